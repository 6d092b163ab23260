"""torch.linalg and the legacy torch.* linear algebra functions: inverses, determinants and
Cholesky (cholesky, cholesky_ex, cholesky_solve, cholesky_inverse), with the jax helpers and
argument checks the linalg modules share. Triangular / LU / LDL^T solvers, the general solve and
tensorsolve / tensorinv are in ``linalg_solve.py``; QR, SVD, eigendecompositions, pinv and lstsq
in ``linalg_decomp.py``; norms and matrix functions in ``linalg_functions.py``; products in
``blas.py``.

Every op is a pure jax function (batched over leading dims) declared with torch's name and
grad_fn name. Ops that torch reports failures for (singular or non positive-definite input)
compute LAPACK's ``info`` alongside the result; the public front end checks it on the host in
eager mode and raises ``torch.linalg.LinAlgError`` with torch's message (inside a compiled
region the check is skipped, like the ``_ex`` variants). Where JAX's generic derivative differs
from torch's convention (cholesky's symmetric gradient, cholesky_solve / cholesky_inverse w.r.t.
the full factor) the op uses torch's backward formula through ``jax.custom_vjp``.
"""

from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import composite, op, register_function
from .blas import matmul_raw, sname, strict_out

# ------------------------------------------------------------------ LinAlgError


class _LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a linear algebra function failed on its input's values."""


_LinAlgError.__module__ = "torch._C"
register_function("LinAlgError", _LinAlgError, ns="linalg")


# ------------------------------------------------------------------ small jax helpers


def _mT(x):
    return jnp.swapaxes(x, -1, -2)


def _mH(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


def _mm(a, b):
    return matmul_raw(a, b)


def _eye_like(x, n=None):
    n = x.shape[-1] if n is None else n
    return jnp.broadcast_to(jnp.eye(n, dtype=x.dtype), x.shape[:-2] + (n, n))


def _real_dtype(dt):
    return jnp.finfo(dt).dtype if jnp.issubdtype(dt, jnp.complexfloating) else dt


def _trsolve(a, b, *, left=True, lower, trans=False, conj=False, unit=False):
    """Solve op(a) x = b (left) or x op(a) = b with a triangular (batched, broadcasting batch dims)."""
    batch = jnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = jnp.broadcast_to(a, batch + a.shape[-2:])
    b = jnp.broadcast_to(b, batch + b.shape[-2:])
    if a.shape[-1] == 0 or b.size == 0:
        return jnp.zeros(b.shape, b.dtype)
    return lax.linalg.triangular_solve(
        a, b, left_side=left, lower=lower, transpose_a=trans, conjugate_a=conj, unit_diagonal=unit
    )


def _info_from_diag(d):
    """LAPACK's getrf info: 1-based index of the first exactly-zero pivot, else 0 (per batch)."""
    zero = d == 0
    if d.shape[-1] == 0:
        return jnp.zeros(d.shape[:-1], np.int32)
    return jnp.where(jnp.any(zero, axis=-1), jnp.argmax(zero, axis=-1) + 1, 0).astype(np.int32)


def _lu(a):
    """(LU, 0-based pivots, permutation, info) of a batch of (possibly rectangular) matrices."""
    m, n = a.shape[-2:]
    if m == 0 or n == 0:
        k = min(m, n)
        perm = jnp.broadcast_to(jnp.arange(m, dtype=np.int32), a.shape[:-2] + (m,))
        return a, jnp.zeros(a.shape[:-2] + (k,), np.int32), perm, jnp.zeros(a.shape[:-2], np.int32)
    lu, piv, perm = lax.linalg.lu(a)
    info = _info_from_diag(jnp.diagonal(lu, axis1=-2, axis2=-1))
    return lu, piv, perm, info


def _perm_matrix(perm, dt):
    """P with A = P L U from the row permutation ``perm`` (A[perm] = L U)."""
    m = perm.shape[-1]
    # (P^T)[i, perm[i]] = 1  ->  P[perm[i], i] = 1
    pt = jax.nn.one_hot(perm, m, dtype=dt)
    return _mT(pt)


def _lu_solve_core(lu, perm, b, trans=0):
    """Solve A x = b (trans 0), A^T x = b (1) or A^H x = b (2) given A[perm] = L U."""
    if trans == 0:
        pb = (
            jnp.take_along_axis(
                b, jnp.broadcast_to(perm[..., :, None], perm.shape + (b.shape[-1],)), axis=-2
            )
            if perm.ndim == b.ndim - 1
            else _apply_perm(b, perm)
        )
        y = _trsolve(lu, pb, lower=True, unit=True)
        return _trsolve(lu, y, lower=False)
    conj = trans == 2
    y = _trsolve(lu, b, lower=False, trans=True, conj=conj)
    x = _trsolve(lu, y, lower=True, unit=True, trans=True, conj=conj)
    return _apply_perm_inv(x, perm)


def _apply_perm(b, perm):
    batch = jnp.broadcast_shapes(b.shape[:-2], perm.shape[:-1])
    b = jnp.broadcast_to(b, batch + b.shape[-2:])
    perm = jnp.broadcast_to(perm, batch + perm.shape[-1:])
    return jnp.take_along_axis(b, perm[..., :, None], axis=-2)


def _apply_perm_inv(x, perm):
    batch = jnp.broadcast_shapes(x.shape[:-2], perm.shape[:-1])
    x = jnp.broadcast_to(x, batch + x.shape[-2:])
    perm = jnp.broadcast_to(perm, batch + perm.shape[-1:])
    inv = jnp.argsort(perm, axis=-1)
    return jnp.take_along_axis(x, inv[..., :, None], axis=-2)


@jax.custom_jvp
def _tabs(x):
    """|x| whose derivative is torch's sgn(x) (0 at 0)."""
    return jnp.abs(x)


@_tabs.defjvp
def _tabs_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        a = jnp.abs(x)
        sg = jnp.where(a == 0, jnp.zeros_like(x), x / jnp.where(a == 0, jnp.ones_like(a), a))
        return a, jnp.real(jnp.conj(sg) * dx)
    return jnp.abs(x), jnp.sign(x) * dx


# ------------------------------------------------------------------ argument checks


def _t(x):
    return isinstance(x, Tensor)


def _need_float(fname, A):
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(
            f"{fname}: Expected a floating point or complex tensor as input. Got {sname(A.dtype)}"
        )


def _need_matrix(fname, A, name="A"):
    if A.dim() < 2:
        raise RuntimeError(f"{fname}: The input tensor {name} must have at least 2 dimensions.")


def _need_square(fname, A, name="A"):
    _need_matrix(fname, A, name)
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"{fname}: {name} must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices"
        )


def _no_low_precision(fname, A):
    if A.dtype in (D.float16, D.bfloat16):
        raise RuntimeError(f"{fname}: Low precision dtypes not supported. Got {sname(A.dtype)}")


def _not_impl(kernel, A, *, ints=True):
    dt = A.dtype
    if dt in (D.float16, D.bfloat16) or (ints and not (dt.is_floating_point or dt.is_complex)):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{sname(dt)}'")


def _same_dtype(fname, A, B, an="A", bn="B"):
    if A.dtype is not B.dtype:
        raise RuntimeError(
            f"{fname}: Expected {an} and {bn} to have the same dtype, but found {an} of type {sname(A.dtype)} and "
            f"{bn} of type {sname(B.dtype)} instead"
        )


def _square_float(fname, *, lowprec=None, kernel=None):
    """A check: float/complex, at least 2-D, square; half types refused as torch does."""

    def check(A, *rest, **kw):
        if not _t(A):
            return
        _need_float(fname, A)
        _need_square(fname, A)
        if lowprec:
            _no_low_precision(fname, A)
        if kernel:
            _not_impl(kernel, A)

    return check


def _raise_info(info, msg, batched, exc=_LinAlgError):
    """Host check of LAPACK info values (eager only): raise torch's error for the first failure."""
    v = info._v() if isinstance(info, Tensor) else info
    if isinstance(v, jax.core.Tracer):
        return
    arr = np.asarray(v).reshape(-1)
    bad = np.nonzero(arr > 0)[0]
    if bad.size:
        i = int(bad[0])
        prefix = f"(Batch element {i}): " if batched else ""
        raise exc(msg(prefix, int(arr[i])))


def _inv_msg(name):
    return lambda p, i: (
        f"{name}: {p}The diagonal element {i} is zero, the inversion could not be completed because the input matrix "
        "is singular."
    )


def _chol_msg(name):
    return lambda p, i: (
        f"{name}: {p}The factorization could not be completed because the input is not positive-definite (the "
        f"leading minor of order {i} is not positive-definite)."
    )


def _solve_msg(name):
    return lambda p, i: f"{name}: {p}The solver failed because the input matrix is singular."


def _lu_msg(name):
    return lambda p, i: (
        f"{name}: {p}U[{i},{i}] is zero and using it on lu_solve would result in a division by zero. If you still "
        "want to perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
    )


# ------------------------------------------------------------------ inverse


@jax.custom_vjp
def _inv_core(a):
    lu_, piv, perm, info = _lu(a)
    return _lu_solve_core(lu_, perm, _eye_like(a)), info


def _inv_fwd(a):
    out = _inv_core(a)
    return out, out[0]


def _inv_bwd(inv_, cts):
    g = cts[0]
    # d(A^-1) = -A^-1 dA A^-1, whose transpose is g -> -A^-T g A^-T (JAX's convention)
    return (-_mm(_mT(inv_), _mm(g, _mT(inv_))),)


_inv_core.defvjp(_inv_fwd, _inv_bwd)


def _inv_value(A):
    if A.shape[-1] == 0:
        return A, jnp.zeros(A.shape[:-2], np.int32)
    return _inv_core(A)


def _inv_check(A, *rest):
    _square_float("linalg.inv", lowprec=True)(A)


@op(
    "linalg_inv_ex(Tensor A, *, bool check_errors=False) -> (Tensor inverse, Tensor info)",
    namespace="_linalg",
    promote="none",
    check=_inv_check,
)
def _inv_ex_op(A, check_errors):
    return _inv_value(A)


def inv_ex(A, *, check_errors=False, out=None):
    """torch.linalg.inv_ex: (inverse, info) without raising unless check_errors=True."""
    r = _inv_ex_op(A, check_errors=check_errors, out=out)
    if check_errors:
        _raise_info(r[1], _inv_msg("linalg.inv_ex"), A.dim() > 2)
    return r


register_function("inv_ex", inv_ex, ns="linalg")


def _inv(A, name="linalg.inv"):
    res, info = _inv_ex_op(A)
    _raise_info(info, _inv_msg(name), A.dim() > 2)
    return res


@composite("linalg.inv(Tensor A) -> Tensor", namespace="linalg", out=True)
def inv(A):
    return _inv(A)


@composite("inverse(Tensor input) -> Tensor", method=True, out=True)
def inverse(input):
    return _inv(input)


# ------------------------------------------------------------------ det / slogdet / logdet


def _det_check(name, kernel):
    def check(A):
        if not _t(A):
            return
        _need_float(name, A)
        _need_square(name, A)
        if kernel:
            _not_impl(kernel, A)
        else:
            _no_low_precision(name, A)

    return check


def _det_value(A):
    if A.shape[-1] == 0:
        return jnp.ones(A.shape[:-2], A.dtype)
    return jnp.linalg.det(A)


def _slogdet_value(A):
    if A.shape[-1] == 0:
        return jnp.ones(A.shape[:-2], A.dtype), jnp.zeros(A.shape[:-2], _real_dtype(A.dtype))
    s, l = jnp.linalg.slogdet(A)
    return s.astype(A.dtype), l.astype(_real_dtype(A.dtype))


@op(
    "linalg.det(Tensor A) -> Tensor",
    namespace="linalg",
    promote="none",
    check=_det_check("linalg.det", "lu_cpu"),
)
def det(A):
    return _det_value(A)


@op(
    "det(Tensor input) -> Tensor",
    method=True,
    promote="none",
    check=_det_check("linalg.det", "lu_cpu"),
    grad="LinalgDetBackward0",
    out=False,
)
def _tdet(input):
    return _det_value(input)


@op(
    "linalg.slogdet(Tensor A) -> (Tensor sign, Tensor logabsdet)",
    namespace="linalg",
    promote="none",
    check=_det_check("linalg.slogdet", None),
)
def slogdet(A):
    return _slogdet_value(A)


@op(
    "slogdet(Tensor input) -> (Tensor sign, Tensor logabsdet)",
    method=True,
    promote="none",
    check=_det_check("linalg.slogdet", None),
    grad="LinalgSlogdetBackward0",
)
def _tslogdet(input):
    return _slogdet_value(input)


@op(
    "logdet(Tensor input) -> Tensor",
    method=True,
    promote="none",
    check=_det_check("linalg.slogdet", None),
    grad="WhereBackward0",
    out=False,
)
def logdet(input):
    s, l = _slogdet_value(input)
    if jnp.issubdtype(input.dtype, jnp.complexfloating):
        return jnp.log(s) + l.astype(input.dtype)
    return jnp.where(s < 0, jnp.full_like(l, jnp.nan), l)


# ------------------------------------------------------------------ cholesky


def _chol_info(a):
    """potrf's info: the order of the first leading minor that is not positive-definite (0 if none)."""
    n = a.shape[-1]
    rd = _real_dtype(a.dtype)
    idx = jnp.arange(n)

    def body(j, st):
        L, info = st
        row = L[..., j, :]
        mask = (idx < j).astype(rd)
        d = jnp.real(a[..., j, j]) - jnp.sum(jnp.abs(row) ** 2 * mask, axis=-1)
        ok = d > 0
        info = jnp.where((info == 0) & ~ok, j + 1, info)
        dj = jnp.sqrt(jnp.where(ok, d, 1)).astype(a.dtype)
        col = (a[..., :, j] - jnp.sum(L * jnp.conj(row)[..., None, :] * mask, axis=-1)) / dj[
            ..., None
        ]
        col = jnp.where(idx > j, col, jnp.where(idx == j, dj[..., None], 0))
        return L.at[..., :, j].set(col), info

    _, info = lax.fori_loop(0, n, body, (jnp.zeros_like(a), jnp.zeros(a.shape[:-2], np.int32)))
    return info


@jax.custom_vjp
def _chol_core(a):
    L = lax.linalg.cholesky(a, symmetrize_input=False)
    bad = jnp.any(~jnp.isfinite(L))
    info = lax.cond(bad, _chol_info, lambda x: jnp.zeros(x.shape[:-2], np.int32), a)
    return L, info


def _chol_fwd(a):
    out = _chol_core(a)
    return out, out[0]


def _chol_bwd(L, cts):
    # torch's cholesky_backward (torch's conjugate convention in, JAX's out); a symmetric gradient
    gL = jnp.conj(cts[0])
    phi = jnp.tril(_mm(_mH(L), gL))
    P = 0.5 * (phi + _mH(jnp.tril(phi, -1)))
    gA = _trsolve(_mH(L), P, lower=False)
    gA = _trsolve(L, gA, left=False, lower=True)
    return (jnp.conj(gA),)


_chol_core.defvjp(_chol_fwd, _chol_bwd)


def _cholesky_value(A, upper):
    if A.shape[-1] == 0:
        return A, jnp.zeros(A.shape[:-2], np.int32)
    L, info = _chol_core(A)
    return (_mH(L) if upper else L), info


@op(
    "linalg_cholesky_ex(Tensor A, *, bool upper=False, bool check_errors=False) -> (Tensor L, Tensor info)",
    namespace="_linalg",
    promote="none",
    check=lambda A, *a: _square_float("linalg.cholesky", kernel="cholesky_cpu")(A),
)
def _cholesky_ex_op(A, upper, check_errors):
    return _cholesky_value(A, upper)


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """torch.linalg.cholesky_ex: (L, info) without raising unless check_errors=True."""
    r = _cholesky_ex_op(A, upper=upper, check_errors=check_errors, out=out)
    if check_errors:
        _raise_info(r[1], _chol_msg("linalg.cholesky_ex"), A.dim() > 2)
    return r


register_function("cholesky_ex", cholesky_ex, ns="linalg")


@composite("linalg.cholesky(Tensor A, *, bool upper=False) -> Tensor", namespace="linalg", out=True)
def linalg_cholesky(A, upper=False):
    L, info = _cholesky_ex_op(A, upper=upper)
    _raise_info(info, _chol_msg("linalg.cholesky"), A.dim() > 2)
    return L


@op(
    "_cholesky(Tensor input, bool upper) -> (Tensor, Tensor)",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="CholeskyBackward0",
    check=lambda input, upper: _square_float("cholesky", kernel="cholesky_cpu")(input),
)
def _tcholesky_op(input, upper):
    return _cholesky_value(input, upper)


@composite("cholesky(Tensor input, bool upper=False) -> Tensor", method=True, out=True)
def cholesky(input, upper=False):
    warnings.warn(
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch "
        "release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\nand\nU = "
        "torch.cholesky(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\nThis transform "
        "will produce equivalent results for all valid (symmetric positive definite) inputs.",
        UserWarning,
        stacklevel=3,
    )
    L, info = _tcholesky_op(input, upper)
    _raise_info(info, _chol_msg("cholesky"), input.dim() > 2)
    return L


def _check_chol_solve(input, input2, upper=False):
    if not (_t(input) and _t(input2)):
        return
    if input.dim() < 2:
        raise RuntimeError(
            f"b should have at least 2 dimensions, but has {input.dim()} dimensions instead"
        )
    if input2.dim() < 2:
        raise RuntimeError(
            f"u should have at least 2 dimensions, but has {input2.dim()} dimensions instead"
        )
    if input.dtype is not input2.dtype:
        raise RuntimeError(
            f"Expected b and A to have the same dtype, but found b of type {sname(input.dtype)} and A of type "
            f"{sname(input2.dtype)} instead."
        )
    if input2.shape[-1] != input2.shape[-2]:
        raise RuntimeError(
            f"A must be batches of square matrices, but they are {input2.shape[-2]} by {input2.shape[-1]} matrices"
        )
    if input2.shape[-1] != input.shape[-2]:
        raise RuntimeError(
            f"Incompatible matrix sizes for cholesky_solve: each A matrix is {input2.shape[-2]} by {input2.shape[-1]} "
            f"but each b matrix is {input.shape[-2]} by {input.shape[-1]}"
        )
    err = R.broadcast_error(list(input.shape[:-2]), list(input2.shape[:-2]))
    if err is not None:
        raise err
    _not_impl("cholesky_solve_cpu", input)


def _chol_solve_raw(B, L):
    y = _trsolve(L, B, lower=True)
    return _trsolve(L, y, lower=True, trans=True, conj=True)


@jax.custom_vjp
def _chol_solve_core(B, L):
    return _chol_solve_raw(B, L)


def _chol_solve_fwd(B, L):
    X = _chol_solve_raw(B, L)
    return X, (L, X)


def _chol_solve_bwd(res, ct):
    # torch's cholesky_solve_backward: the gradient of the factor as a full matrix
    L, X = res
    gX = jnp.conj(ct)
    gB = _chol_solve_raw(gX, L)
    common = _mm(gB, _mH(X))
    common = common + _mH(common)
    return jnp.conj(gB), jnp.conj(-_mm(common, L))


_chol_solve_core.defvjp(_chol_solve_fwd, _chol_solve_bwd)


@op(
    "cholesky_solve(Tensor input, Tensor input2, bool upper=False) -> Tensor",
    method=True,
    promote="none",
    check=_check_chol_solve,
)
def cholesky_solve(input, input2, upper):
    batch = jnp.broadcast_shapes(input.shape[:-2], input2.shape[:-2])
    B = jnp.broadcast_to(input, batch + input.shape[-2:])
    L = jnp.broadcast_to(input2, batch + input2.shape[-2:])
    if upper:
        L = _mH(L)
    if L.shape[-1] == 0:
        return B
    return _chol_solve_core(B, L)


def _check_chol_inv(input, upper=False):
    if not _t(input):
        return
    _need_square("cholesky_inverse", input)
    _not_impl("cholesky_inverse_out_cpu", input)


def _chol_inv_raw(L):
    return _chol_solve_raw(_eye_like(L), L)


@jax.custom_vjp
def _chol_inv_core(L):
    return _chol_inv_raw(L)


def _chol_inv_fwd(L):
    inv_ = _chol_inv_raw(L)
    return inv_, (L, inv_)


def _chol_inv_bwd(res, ct):
    # torch's cholesky_inverse_backward (full-matrix gradient of the factor)
    L, inv_ = res
    g = jnp.conj(ct)
    common = _mm(inv_, _mm(g + _mH(g), inv_))
    return (jnp.conj(-_mm(common, L)),)


_chol_inv_core.defvjp(_chol_inv_fwd, _chol_inv_bwd)


@op(
    "cholesky_inverse(Tensor input, bool upper=False) -> Tensor",
    method=True,
    promote="none",
    check=_check_chol_inv,
)
def cholesky_inverse(input, upper):
    if input.shape[-1] == 0:
        return input
    L = _mH(input) if upper else input
    return _chol_inv_core(L)


# torch's LAPACK-backed kernels require out= to have the result's exact dtype
for _ns, _names in (
    ("", ("inverse", "cholesky_solve")),
    ("linalg", ("inv", "inv_ex", "det", "slogdet", "cholesky", "cholesky_ex")),
):
    for _name in _names:
        strict_out(_ns, _name)
