"""Linear solvers of torch.linalg and the legacy torch.* functions: triangular solves
(triangular_solve, linalg.solve_triangular), LU (lu, linalg.lu_factor / lu_factor_ex, linalg.lu,
lu_unpack, lu_solve), the general linalg.solve / solve_ex, tensorinv / tensorsolve, and LDL^T
(linalg.ldl_factor / ldl_factor_ex, ldl_solve: Bunch-Kaufman pivoting, LAPACK's sytf2 / hetf2).

As in ``linalg.py``: pure jax functions batched over leading dims with torch's names and grad_fn
names; singular inputs give LAPACK's ``info``, checked on the host in eager mode to raise
``torch.linalg.LinAlgError`` with torch's message.
"""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from . import _registry as R
from ._registry import composite, op, register_function, register_method
from ._util import wrap_dim
from .blas import _write_out_composite, sname, strict_out
from .linalg import (
    _inv_msg,
    _inv_value,
    _lu,
    _lu_msg,
    _lu_solve_core,
    _mH,
    _mT,
    _need_float,
    _need_matrix,
    _need_square,
    _no_low_precision,
    _not_impl,
    _perm_matrix,
    _raise_info,
    _same_dtype,
    _solve_msg,
    _t,
    _trsolve,
)

# ------------------------------------------------------------------ triangular solves


def _check_tri_solve(input, A, upper=True, transpose=False, unitriangular=False):
    if not (_t(input) and _t(A)):
        return
    for nm, t in (("b", input), ("A", A)):
        if t.dim() < 2:
            raise RuntimeError(
                f"torch.triangular_solve: Expected {nm} to have at least 2 dimensions, but it has {t.dim()} "
                "dimensions instead"
            )
    if input.dtype is not A.dtype:
        raise RuntimeError(
            f"Expected b and A to have the same dtype, but found b of type {sname(input.dtype)} and A of type "
            f"{sname(A.dtype)} instead."
        )
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices"
        )
    if A.shape[-1] != input.shape[-2]:
        raise RuntimeError(
            f"Incompatible matrix sizes for triangular_solve: each A matrix is {A.shape[-2]} by {A.shape[-1]} but "
            f"each b matrix is {input.shape[-2]} by {input.shape[-1]}"
        )
    err = R.broadcast_error(list(input.shape[:-2]), list(A.shape[:-2]))
    if err is not None:
        raise err
    _not_impl("triangular_solve_cpu", input)


@op(
    "triangular_solve(Tensor input, Tensor A, bool upper=True, bool transpose=False, bool unitriangular=False) -> "
    "(Tensor solution, Tensor cloned_coefficient)",
    namespace="_linalg",
    promote="none",
    check=_check_tri_solve,
)
def _triangular_solve_op(input, A, upper, transpose, unitriangular):
    batch = jnp.broadcast_shapes(input.shape[:-2], A.shape[:-2])
    x = _trsolve(A, input, lower=not upper, trans=transpose, unit=unitriangular)
    return x, jnp.broadcast_to(A, batch + A.shape[-2:])


def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """torch.triangular_solve (deprecated in torch): (solution, cloned_coefficient)."""
    warnings.warn(
        "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will be removed in a "
        "future PyTorch release.\ntorch.linalg.solve_triangular has its arguments reversed and does not return a "
        "copy of one of the inputs.\nX = torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
        "torch.linalg.solve_triangular(A, B).",
        UserWarning,
        stacklevel=2,
    )
    return _triangular_solve_op(input, A, upper, transpose, unitriangular, out=out)


register_function("triangular_solve", triangular_solve)
register_method(
    "triangular_solve",
    lambda self, A, upper=True, transpose=False, unitriangular=False: triangular_solve(
        self, A, upper, transpose, unitriangular
    ),
)


def _check_solve_tri(A, B, upper=None, left=True, unitriangular=False):
    if not (_t(A) and _t(B)):
        return
    if upper is None:
        raise TypeError(
            "linalg_solve_triangular() missing 1 required keyword-only argument: 'upper'"
        )
    name = "linalg.solve_triangular"
    _need_matrix(name, A)
    _need_matrix(name, B, "B")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"{name}: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices"
        )
    n = A.shape[-1]
    if (left and B.shape[-2] != n) or (not left and B.shape[-1] != n):
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"{name}: Incompatible shapes of A and B for the equation {eq} ({A.shape[-2]}x{A.shape[-1]} and "
            f"{B.shape[-2]}x{B.shape[-1]})"
        )
    err = R.broadcast_error(list(A.shape[:-2]), list(B.shape[:-2]))
    if err is not None:
        raise err
    _need_float(name, A)


@op(
    "linalg.solve_triangular(Tensor A, Tensor B, *, bool? upper=None, bool left=True, bool unitriangular=False) "
    "-> Tensor",
    namespace="linalg",
    check=_check_solve_tri,
)
def solve_triangular(A, B, upper, left, unitriangular):
    return _trsolve(A, B, left=left, lower=not upper, unit=unitriangular)


# ------------------------------------------------------------------ LU


def _lu_check(dims_name):
    def check(A, *rest):
        if not _t(A):
            return
        if A.dim() < 2:
            raise RuntimeError(
                f"{dims_name}: Expected tensor with 2 or more dimensions. Got size: {list(A.shape)} instead"
            )
        _not_impl("lu_cpu", A)
        if rest and rest[0] is False:
            raise RuntimeError(
                "linalg.lu_factor: LU without pivoting is not implemented on the CPU"
            )

    return check


def _lu_factor_value(A):
    lu_, piv, perm, info = _lu(A)
    return lu_, piv + 1, info


@op(
    "linalg_lu_factor_ex(Tensor A, *, bool pivot=True, bool check_errors=False) -> "
    "(Tensor LU, Tensor pivots, Tensor info)",
    namespace="_linalg",
    promote="none",
    check=_lu_check("torch.lu_factor"),
)
def _lu_factor_ex_op(A, pivot, check_errors):
    return _lu_factor_value(A)


def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    """torch.linalg.lu_factor_ex: (LU, pivots, info); pivots are LAPACK's 1-based int32 row swaps."""
    r = _lu_factor_ex_op(A, pivot=pivot, check_errors=check_errors, out=out)
    if check_errors:
        _raise_info(r[2], _lu_msg("torch.linalg.lu_factor_ex"), A.dim() > 2, RuntimeError)
    return r


register_function("lu_factor_ex", lu_factor_ex, ns="linalg")


@composite(
    "linalg.lu_factor(Tensor A, *, bool pivot=True) -> (Tensor LU, Tensor pivots)",
    namespace="linalg",
    out=True,
)
def lu_factor(A, pivot=True):
    lu_, piv, info = _lu_factor_ex_op(A, pivot=pivot)
    _raise_info(info, _lu_msg("torch.linalg.lu_factor"), A.dim() > 2, RuntimeError)
    return R.return_type("linalg_lu_factor", ("LU", "pivots"))((lu_, piv))


def lu(A, pivot=True, get_infos=False, out=None):
    """torch.lu (deprecated in torch): (LU, pivots[, infos])."""
    warnings.warn(
        "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be removed "
        "in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced with\nLU, "
        "pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = torch.lu(A, compute_pivots, "
        "get_infos=True)\nshould be replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)",
        UserWarning,
        stacklevel=2,
    )
    lu_, piv, info = _lu_factor_ex_op(A, pivot=pivot)
    res = (lu_, piv, info) if get_infos else (lu_, piv)
    if out is not None:
        return _write_out_composite("lu", res, out, (A,))
    return res


register_function("lu", lu)
register_method("lu", lambda self, pivot=True, get_infos=False: lu(self, pivot, get_infos))


def _unpack_lu(lu_, perm, dt):
    m, n = lu_.shape[-2:]
    k = min(m, n)
    L = jnp.tril(lu_[..., :, :k], -1) + jnp.eye(m, k, dtype=dt)
    U = jnp.triu(lu_[..., :k, :])
    return _perm_matrix(perm, dt), L, U


@op(
    "linalg.lu(Tensor A, *, bool pivot=True) -> (Tensor P, Tensor L, Tensor U)",
    namespace="linalg",
    promote="none",
    check=_lu_check("linalg.lu"),
)
def linalg_lu(A, pivot):
    lu_, piv, perm, info = _lu(A)
    return _unpack_lu(lu_, perm, A.dtype)


def _pivots_to_perm(piv, m):
    """LAPACK's 1-based sequential row swaps -> ``perm`` with A[perm] = L U."""
    if piv.shape[-1] == 0:
        return jnp.broadcast_to(jnp.arange(m, dtype=np.int32), piv.shape[:-1] + (m,))
    return lax.linalg.lu_pivots_to_permutation(piv.astype(np.int32) - 1, m)


def _check_lu_unpack(LU_data, LU_pivots):
    if not (_t(LU_data) and _t(LU_pivots)):
        return
    if LU_pivots.dtype is not D.int32:
        raise RuntimeError(
            "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\nNote: this "
            "function is intended to be used with the output produced by torch.linalg.lu_factor"
        )
    if LU_data.dim() < 2:
        raise RuntimeError(
            f"torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: {list(LU_data.shape)} instead"
        )


@op(
    "_lu_unpack_p(Tensor LU_data, Tensor LU_pivots) -> Tensor",
    namespace="_linalg",
    promote="none",
    out=False,
    differentiable=False,
)
def _lu_unpack_p(LU_data, LU_pivots):
    m = LU_data.shape[-2]
    perm = jnp.broadcast_to(_pivots_to_perm(LU_pivots, m), LU_data.shape[:-2] + (m,))
    return _perm_matrix(perm, LU_data.dtype)


@op(
    "_lu_unpack_lu(Tensor LU_data) -> (Tensor, Tensor)",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="LuUnpackBackward0",
)
def _lu_unpack_lu(LU_data):
    _, L, U = _unpack_lu(LU_data, jnp.zeros(LU_data.shape[:-1], np.int32), LU_data.dtype)
    return L, U


@composite(
    "lu_unpack(Tensor LU_data, Tensor LU_pivots, bool unpack_data=True, bool unpack_pivots=True) -> "
    "(Tensor P, Tensor L, Tensor U)",
    out=True,
)
def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True):
    from . import api

    _check_lu_unpack(LU_data, LU_pivots)
    empty = lambda: api.zeros((0,), dtype=LU_data.dtype)  # noqa: E731
    P = _lu_unpack_p(LU_data, LU_pivots) if unpack_pivots else empty()
    L, U = _lu_unpack_lu(LU_data) if unpack_data else (empty(), empty())
    return R.return_type("lu_unpack", ("P", "L", "U"))((P, L, U))


def _check_lu_solve(LU, pivots, B, left=True, adjoint=False):
    if not (_t(LU) and _t(pivots) and _t(B)):
        return
    name = "linalg.lu_solve"
    _need_matrix(name, LU, "LU")
    _need_matrix(name, B, "B")
    if LU.shape[-1] != LU.shape[-2]:
        raise RuntimeError(
            f"{name}: A must be batches of square matrices, but they are {LU.shape[-2]} by {LU.shape[-1]} matrices"
        )
    n = LU.shape[-1]
    if (left and B.shape[-2] != n) or (not left and B.shape[-1] != n):
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"{name}: Incompatible shapes of A and B for the equation {eq} ({n}x{n} and {B.shape[-2]}x{B.shape[-1]})"
        )
    if LU.dtype is not B.dtype:
        raise RuntimeError(
            f"{name}: Expected LU and B to have the same dtype, but found LU of type {sname(LU.dtype)} and B of type "
            f"{sname(B.dtype)} instead"
        )
    if pivots.dtype is not D.int32:
        raise RuntimeError(f"{name}: pivots should be a Tensor of scalar type torch.int32")
    if tuple(pivots.shape) != tuple(LU.shape[:-1]):
        raise RuntimeError(
            f"{name}: Incompatible shapes of LU and pivots. LU has shape {list(LU.shape)} and pivots has shape "
            f"{list(pivots.shape)}"
        )
    err = R.broadcast_error(list(LU.shape[:-2]), list(B.shape[:-2]))
    if err is not None:
        raise err


def _lu_solve_value(LU, pivots, B, left, adjoint):
    perm = _pivots_to_perm(pivots, LU.shape[-1])
    if left:
        return _lu_solve_core(LU, perm, B, 2 if adjoint else 0)
    # X A = B  <=>  A^H X^H = B^H ;  X A^H = B  <=>  A X^H = B^H
    return _mH(_lu_solve_core(LU, perm, _mH(B), 0 if adjoint else 2))


@op(
    "linalg.lu_solve(Tensor LU, Tensor pivots, Tensor B, *, bool left=True, bool adjoint=False) -> Tensor",
    namespace="linalg",
    promote="none",
    check=_check_lu_solve,
)
def lu_solve_linalg(LU, pivots, B, left, adjoint):
    return _lu_solve_value(LU, pivots, B, left, adjoint)


def _check_tlu_solve(input, LU_data, LU_pivots):
    if _t(input) and _t(LU_data) and input.dim() < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    _check_lu_solve(LU_data, LU_pivots, input)


@op(
    "_lu_solve(Tensor input, Tensor LU_data, Tensor LU_pivots) -> Tensor",
    namespace="_linalg",
    promote="none",
    grad="LinalgLuSolveBackward0",
    check=_check_tlu_solve,
)
def _tlu_solve_op(input, LU_data, LU_pivots):
    return _lu_solve_value(LU_data, LU_pivots, input, True, False)


def lu_solve(input, LU_data, LU_pivots, *, out=None):
    """torch.lu_solve (deprecated in torch): solve A X = b from torch.linalg.lu_factor's output."""
    warnings.warn(
        "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a future PyTorch "
        "release.\nNote that torch.linalg.lu_solve has its arguments reversed.\nX = torch.lu_solve(B, LU, pivots)\n"
        "should be replaced with\nX = torch.linalg.lu_solve(LU, pivots, B)",
        UserWarning,
        stacklevel=2,
    )
    return _tlu_solve_op(input, LU_data, LU_pivots, out=out)


register_function("lu_solve", lu_solve)
register_method("lu_solve", lambda self, LU_data, LU_pivots: lu_solve(self, LU_data, LU_pivots))


# ------------------------------------------------------------------ solve


def _vector_rhs(A, B):
    return B.dim() == 1 or (A.dim() - 1 == B.dim() and tuple(B.shape) == tuple(A.shape[:-1]))


def _check_solve(A, B, left=True, name="linalg.solve"):
    if not (_t(A) and _t(B)):
        raise TypeError(f"{name}(): argument 'A' and 'B' must be Tensors")
    _need_float(name, A)
    _same_dtype(name, A, B)
    _need_square(name, A)
    vec = _vector_rhs(A, B)
    n = A.shape[-1]
    bs = (B.shape[-1], 1) if vec else tuple(B.shape[-2:])
    bad = (vec and (B.shape[-1] != n or not left)) or (
        not vec and ((left and B.shape[-2] != n) or (not left and B.shape[-1] != n))
    )
    if bad:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"{name}: Incompatible shapes of A and B for the equation {eq} ({n}x{n} and {bs[0]}x{bs[1]})"
        )
    err = R.broadcast_error(list(A.shape[:-2]), list(B.shape[:-1]) if vec else list(B.shape[:-2]))
    if err is not None:
        raise err
    _no_low_precision(name, A)


def _solve_value(A, B, left, vec):
    if vec:
        B = B[..., None]
    if not left:
        A, B = _mT(A), _mT(B)
    batch = jnp.broadcast_shapes(A.shape[:-2], B.shape[:-2])
    lu_, piv, perm, info = _lu(A)
    if A.shape[-1]:
        X = _lu_solve_core(lu_, perm, B, 0)
    else:
        X = jnp.zeros(batch + B.shape[-2:], B.dtype)
    if not left:
        X = _mT(X)
    if vec:
        X = X[..., 0]
    return X, jnp.broadcast_to(info, batch)


@op(
    "linalg_solve_ex(Tensor A, Tensor B, bool left, bool vec) -> (Tensor result, Tensor info)",
    namespace="_linalg",
    promote="none",
)
def _solve_ex_op(A, B, left, vec):
    return _solve_value(A, B, left, vec)


def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    """torch.linalg.solve_ex: (result, info) without raising unless check_errors=True."""
    _check_solve(A, B, left)
    r = _solve_ex_op(A, B, left, _vector_rhs(A, B), out=out)
    if check_errors:
        _raise_info(r[1], _solve_msg("torch.linalg.solve_ex"), A.dim() > 2)
    return r


register_function("solve_ex", solve_ex, ns="linalg")


@composite(
    "linalg.solve(Tensor A, Tensor B, *, bool left=True) -> Tensor", namespace="linalg", out=True
)
def solve(A, B, left=True):
    _check_solve(A, B, left)
    X, info = _solve_ex_op(A, B, left, _vector_rhs(A, B))
    _raise_info(info, _solve_msg("torch.linalg.solve"), info.dim() > 0)
    return X


# ------------------------------------------------------------------ tensorinv / tensorsolve


@op(
    "_tensorinv(Tensor A, int ind) -> (Tensor, Tensor)",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="ReshapeAliasBackward0",
)
def _tensorinv_op(A, ind):
    p = math.prod(A.shape[:ind])
    inv_, info = _inv_value(A.reshape(p, p))
    return inv_.reshape(A.shape[ind:] + A.shape[:ind]), info


def tensorinv(A, ind=2, *, out=None):
    """torch.linalg.tensorinv."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    a, b = math.prod(A.shape[ind:]), math.prod(A.shape[:ind])
    if a != b:
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got "
            f"{a} != {b}"
        )
    _need_float("linalg.inv", A)
    _no_low_precision("linalg.inv", A)
    r, info = _tensorinv_op(A, ind)
    _raise_info(info, _inv_msg("inv"), False)
    if out is not None:
        return _write_out_composite("linalg_tensorinv", r, out, (A,))
    return r


register_function("tensorinv", tensorinv, ns="linalg")


@op(
    "_tensorsolve(Tensor A, Tensor B, int[]? dims) -> (Tensor, Tensor)",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="ViewBackward0",
)
def _tensorsolve_op(A, B, dims):
    if dims is not None:
        nd = A.ndim
        src = tuple(wrap_dim(d, nd) for d in dims)
        A = jnp.moveaxis(A, src, tuple(range(nd - len(src), nd)))
    out_shape = A.shape[B.ndim :]
    p = math.prod(A.shape[: B.ndim])
    q = math.prod(out_shape)
    X, info = _solve_value(A.reshape(p, q), B.reshape(p), True, True)
    return X.reshape(out_shape), info


def tensorsolve(A, B, dims=None, *, out=None):
    """torch.linalg.tensorsolve."""
    shape = list(A.shape)
    if dims is not None:
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        src = [wrap_dim(d, A.dim()) for d in dims]
        rest = [s for i, s in enumerate(shape) if i not in src]
        shape = rest + [shape[i] for i in src]
    a, b = math.prod(shape[B.dim() :]), math.prod(shape[: B.dim()])
    if a != b:
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), "
            f"but got {a} != {b}"
        )
    if A.dtype is not B.dtype:
        _same_dtype("linalg.solve", A, B)
    _need_float("linalg.solve", A)
    X, info = _tensorsolve_op(A, B, dims)
    _raise_info(info, _solve_msg("torch.linalg.solve"), False)
    if out is not None:
        return _write_out_composite("linalg_tensorsolve", X, out, (A, B))
    return X


register_function("tensorsolve", tensorsolve, ns="linalg")


# ------------------------------------------------------------------ LDL^T (Bunch-Kaufman), LAPACK's sytf2 / hetf2


def _cabs1(x):
    return (
        (jnp.abs(jnp.real(x)) + jnp.abs(jnp.imag(x)))
        if jnp.issubdtype(x.dtype, jnp.complexfloating)
        else jnp.abs(x)
    )


def _ldl_one(a, hermitian):
    """LAPACK's unblocked Bunch-Kaufman factorization (UPLO='L') of one matrix: (LD, 1-based pivots, info).

    The trailing block is kept as a full symmetric/Hermitian matrix (so swaps and rank updates are plain
    array operations); the factor columns already computed are left unswapped, as LAPACK leaves them."""
    n = a.shape[-1]
    dt = a.dtype
    cplx = jnp.issubdtype(dt, jnp.complexfloating)
    herm = hermitian and cplx
    conj = jnp.conj if herm else (lambda z: z)
    alpha = (1.0 + math.sqrt(17.0)) / 8.0
    idx = jnp.arange(n)
    low = jnp.tril(a)
    full = low + conj(jnp.swapaxes(jnp.tril(a, -1), -1, -2))
    if herm:
        full = jnp.where(jnp.eye(n, dtype=bool), jnp.real(full).astype(dt), full)

    def dabs(z):  # magnitude of a diagonal entry
        return jnp.abs(jnp.real(z)) if herm else _cabs1(z)

    def swap(M, i, j, k):
        """Symmetric interchange of rows/columns i and j of M restricted to rows, columns >= k."""
        p = jnp.where(idx == i, j, jnp.where(idx == j, i, idx))
        p = jnp.where(idx >= k, p, idx)
        Mp = M[p][:, p]
        trailing = (idx[:, None] >= k) & (idx[None, :] >= k)
        # factor columns < k keep their rows; their rows >= k are permuted as LAPACK does not
        return jnp.where(trailing, Mp, M)

    def body(st):
        M, piv, info, k = st
        col = M[:, k]
        absakk = dabs(M[k, k])
        below = jnp.where(idx > k, _cabs1(col), -1.0)
        imax = jnp.argmax(below)
        colmax = jnp.where(k < n - 1, jnp.max(jnp.where(idx > k, _cabs1(col), 0.0)), 0.0)
        zero = (jnp.maximum(absakk, colmax) == 0) | jnp.isnan(absakk)
        rowv = M[imax, :]
        rowmax = jnp.max(jnp.where((idx >= k) & (idx != imax), _cabs1(rowv), 0.0))
        c1 = absakk >= alpha * colmax
        c2 = absakk >= alpha * colmax * (colmax / jnp.where(rowmax == 0, 1, rowmax))
        c3 = dabs(M[imax, imax]) >= alpha * rowmax
        kp = jnp.where(zero | c1 | c2, k, imax)
        kstep = jnp.where(zero | c1 | c2 | c3, 1, 2)
        kk = k + kstep - 1
        Ms = swap(M, kk, kp, k)
        Ms = jnp.where(zero, M, Ms)

        def one(M):
            d = jnp.real(M[k, k]) if herm else M[k, k]
            x = jnp.where(idx > k, M[:, k], 0)
            r1 = (1.0 / d).astype(dt)
            trailing = (idx[:, None] > k) & (idx[None, :] > k)
            M = M - jnp.where(trailing, r1 * x[:, None] * conj(x)[None, :], 0)
            newcol = jnp.where(idx > k, x * r1, M[:, k])
            M = M.at[:, k].set(newcol)
            return M

        def two(M):
            xk = jnp.where(idx > k + 1, M[:, k], 0)
            xk1 = jnp.where(idx > k + 1, M[:, k + 1], 0)
            if herm:
                dabs21 = jnp.abs(M[k + 1, k])
                d11 = jnp.real(M[k + 1, k + 1]) / dabs21
                d22 = jnp.real(M[k, k]) / dabs21
                tt = 1.0 / (d11 * d22 - 1.0)
                d21 = M[k + 1, k] / dabs21
                dd = tt / dabs21
                wk = dd * (d11 * xk - d21 * xk1)
                wkp1 = dd * (d22 * xk1 - jnp.conj(d21) * xk)
                upd = xk[:, None] * jnp.conj(wk)[None, :] + xk1[:, None] * jnp.conj(wkp1)[None, :]
            else:
                d21 = M[k + 1, k]
                d11 = M[k + 1, k + 1] / d21
                d22 = M[k, k] / d21
                t = 1.0 / (d11 * d22 - 1.0)
                d21 = t / d21
                wk = d21 * (d11 * xk - xk1)
                wkp1 = d21 * (d22 * xk1 - xk)
                upd = xk[:, None] * wk[None, :] + xk1[:, None] * wkp1[None, :]
            trailing = (idx[:, None] > k + 1) & (idx[None, :] > k + 1)
            M = M - jnp.where(trailing, upd, 0)
            if herm:
                M = jnp.where(
                    jnp.eye(n, dtype=bool) & (idx[:, None] > k + 1), jnp.real(M).astype(dt), M
                )
            M = M.at[:, k].set(jnp.where(idx > k + 1, wk, M[:, k]))
            M = M.at[:, k + 1].set(jnp.where(idx > k + 1, wkp1, M[:, k + 1]))
            return M

        Mn = lax.cond(zero, lambda M: M, lambda M: lax.cond(kstep == 1, one, two, M), Ms)
        info = jnp.where(zero & (info == 0), k + 1, info)
        p1 = (kp + 1).astype(np.int32)
        piv = jnp.where(
            kstep == 1, piv.at[k].set(p1), piv.at[k].set(-p1).at[jnp.minimum(k + 1, n - 1)].set(-p1)
        )
        return Mn, piv, info, k + kstep

    init = (full, jnp.zeros((n,), np.int32), jnp.zeros((), np.int32), jnp.zeros((), np.int32))
    M, piv, info, _ = lax.while_loop(lambda st: st[3] < n, body, init)
    return jnp.tril(M), piv, info


def _ldl_check(name):
    def check(A, *rest):
        if not _t(A):
            return
        _need_float(name, A)
        _need_square(name, A)
        _not_impl("ldl_factor_kernel_cpu", A)

    return check


@op(
    "linalg_ldl_factor_ex(Tensor A, *, bool hermitian=False, bool check_errors=False) -> "
    "(Tensor LD, Tensor pivots, Tensor info)",
    namespace="_linalg",
    promote="none",
    differentiable=False,
    check=_ldl_check("torch.linalg.ldl_factor_ex"),
)
def _ldl_factor_ex_op(A, hermitian, check_errors):
    n = A.shape[-1]
    batch = A.shape[:-2]
    if n == 0:
        return A, jnp.zeros(batch + (0,), np.int32), jnp.zeros(batch, np.int32)
    f = jax.vmap(lambda m: _ldl_one(m, hermitian))
    LD, piv, info = f(A.reshape((math.prod(batch), n, n)))
    return LD.reshape(A.shape), piv.reshape(batch + (n,)), info.reshape(batch)


def _ldl_msg(name):
    return lambda p, i: (
        'false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp":1642, '
        f"please report a bug to PyTorch. {name}: Unknown error code: {i}."
    )


def ldl_factor_ex(A, *, hermitian=False, check_errors=False, out=None):
    """torch.linalg.ldl_factor_ex: LAPACK's compact Bunch-Kaufman LDL^T factorization (LD, pivots, info)."""
    r = _ldl_factor_ex_op(A, hermitian=hermitian, check_errors=check_errors, out=out)
    if check_errors:
        _raise_info(
            r[2], lambda p, i: _ldl_msg("torch.linalg.ldl_factor_ex")("", i), False, RuntimeError
        )
    return r


def ldl_factor(A, *, hermitian=False, out=None):
    """torch.linalg.ldl_factor: (LD, pivots); raises when a diagonal block of D is exactly zero."""
    LD, piv, info = _ldl_factor_ex_op(A, hermitian=hermitian)
    _raise_info(info, lambda p, i: _ldl_msg("torch.linalg.ldl_factor")("", i), False, RuntimeError)
    r = R.return_type("linalg_ldl_factor", ("LD", "pivots"))((LD, piv))
    if out is not None:
        return _write_out_composite("linalg_ldl_factor", r, out, (A,))
    return r


register_function("ldl_factor_ex", ldl_factor_ex, ns="linalg")
register_function("ldl_factor", ldl_factor, ns="linalg")


def _ldl_solve_one(LD, piv, B, hermitian):
    """LAPACK's sytrs / hetrs (UPLO='L') for one matrix and a block of right-hand sides."""
    n = LD.shape[-1]
    herm = hermitian and jnp.issubdtype(LD.dtype, jnp.complexfloating)
    cj = jnp.conj if herm else (lambda z: z)
    idx = jnp.arange(n)

    def swap_rows(B, i, j):
        p = jnp.where(idx == i, j, jnp.where(idx == j, i, idx))
        return B[p]

    def fwd_body(st):
        B, k = st

        def one(B):
            kp = piv[k] - 1
            B = swap_rows(B, k, kp)
            x = jnp.where(idx > k, LD[:, k], 0)
            B = B - x[:, None] * B[k][None, :]
            d = jnp.real(LD[k, k]).astype(B.dtype) if herm else LD[k, k]
            return B.at[k].set(B[k] / d)

        def two(B):
            kp = -piv[k] - 1
            B = swap_rows(B, k + 1, kp)
            x0 = jnp.where(idx > k + 1, LD[:, k], 0)
            x1 = jnp.where(idx > k + 1, LD[:, k + 1], 0)
            B = B - x0[:, None] * B[k][None, :] - x1[:, None] * B[k + 1][None, :]
            akm1k = LD[k + 1, k]
            akm1 = LD[k, k] / cj(akm1k)
            ak = LD[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1
            bkm1 = B[k] / cj(akm1k)
            bk = B[k + 1] / akm1k
            return B.at[k].set((ak * bkm1 - bk) / denom).at[k + 1].set((akm1 * bk - bkm1) / denom)

        is_one = piv[k] > 0
        B = lax.cond(is_one, one, two, B)
        return B, k + jnp.where(is_one, 1, 2)

    B, _ = lax.while_loop(lambda st: st[1] < n, fwd_body, (B, jnp.zeros((), np.int32)))

    def bwd_body(st):
        B, k = st

        def one(B):
            x = jnp.where(idx > k, LD[:, k], 0)
            B = B.at[k].add(-jnp.sum(cj(x)[:, None] * B, axis=0))
            return swap_rows(B, k, piv[k] - 1)

        def two(B):
            x0 = jnp.where(idx > k, LD[:, k], 0)
            x1 = jnp.where(idx > k, LD[:, k - 1], 0)
            B = B.at[k].add(-jnp.sum(cj(x0)[:, None] * B, axis=0))
            B = B.at[k - 1].add(-jnp.sum(cj(x1)[:, None] * B, axis=0))
            return swap_rows(B, k, -piv[k] - 1)

        is_one = piv[k] > 0
        B = lax.cond(is_one, one, two, B)
        return B, k - jnp.where(is_one, 1, 2)

    B, _ = lax.while_loop(lambda st: st[1] >= 0, bwd_body, (B, jnp.asarray(n - 1, np.int32)))
    return B


def _check_ldl_solve(LD, pivots, B, hermitian=False):
    if not (_t(LD) and _t(pivots) and _t(B)):
        return
    name = "torch.linalg.ldl_solve"
    _need_matrix(name, LD, "LD")
    if B.dim() < 2:
        wrap_dim(-2, B.dim())
    _need_square(name, LD, "LD")
    if LD.shape[-1] != B.shape[-2]:
        raise RuntimeError(
            f"Incompatible matrix sizes for {name}: each A matrix is {LD.shape[-2]} by {LD.shape[-1]} but each b "
            f"matrix is {B.shape[-2]} by {B.shape[-1]}"
        )
    if B.dtype is not LD.dtype:
        raise RuntimeError(
            f"Expected b and A to have the same dtype, but found b of type {sname(B.dtype)} and A of type "
            f"{sname(LD.dtype)} instead."
        )
    if pivots.dtype.is_floating_point or pivots.dtype.is_complex:
        raise RuntimeError(f"{name}: Expected pivots to be integers. Got {sname(pivots.dtype)}")


@op(
    "linalg.ldl_solve(Tensor LD, Tensor pivots, Tensor B, *, bool hermitian=False) -> Tensor",
    namespace="linalg",
    promote="none",
    differentiable=False,
    check=_check_ldl_solve,
)
def ldl_solve(LD, pivots, B, hermitian):
    n = LD.shape[-1]
    batch = jnp.broadcast_shapes(LD.shape[:-2], pivots.shape[:-1], B.shape[:-2])
    if n == 0 or B.size == 0:
        return jnp.zeros(batch + B.shape[-2:], B.dtype)
    nb = math.prod(batch)
    LDb = jnp.broadcast_to(LD, batch + (n, n)).reshape((nb, n, n))
    pb = jnp.broadcast_to(pivots.astype(np.int32), batch + (n,)).reshape((nb, n))
    Bb = jnp.broadcast_to(B, batch + B.shape[-2:]).reshape((nb,) + B.shape[-2:])
    X = jax.vmap(lambda a, p, b: _ldl_solve_one(a, p, b, hermitian))(LDb, pb, Bb)
    return X.reshape(batch + B.shape[-2:])


# torch's LAPACK-backed kernels require out= to have the result's exact dtype
for _ns, _names in (
    ("", ("triangular_solve", "lu_solve", "lu_unpack")),
    ("linalg", ("lu_factor", "lu_factor_ex", "lu", "lu_solve", "solve", "solve_ex")),
):
    for _name in _names:
        strict_out(_ns, _name)
strict_out(
    "linalg",
    "solve_triangular",
    lambda rd, od: f"expected scalar type {sname(rd)} but found {sname(od)}",
)
