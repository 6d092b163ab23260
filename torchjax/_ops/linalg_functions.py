"""Matrix functions and norms: torch.linalg.vector_norm / matrix_norm / norm, cond, matrix_rank,
matrix_power, matrix_exp, torch.nuclear_norm / frobenius_norm, and the torch.* linear algebra
functions torch 2.x removed (they raise torch's message).

Built on the factorizations in ``linalg.py``. Norm gradients follow torch's ``norm_backward``
(zero at zero, even split between ties of the max); matrix_exp's gradient is torch's block-matrix
formula.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from ._registry import composite, op, register_function, register_method
from ._util import wrap_dim
from .blas import _write_out_composite, sname, strict_out
from .linalg import (
    _eye_like,
    _inv,
    _inv_value,
    _mH,
    _mm,
    _need_float,
    _need_matrix,
    _need_square,
    _no_low_precision,
    _real_dtype,
    _t,
    _tabs,
)
from .linalg_decomp import _as_tol, _svd_check, _svdvals_value, _tolerances

# ------------------------------------------------------------------ matrix_power / matrix_rank / cond


def _mpow_check(A, n):
    if not _t(A):
        return
    _need_square("linalg.matrix_power", A)


@op(
    "_matrix_power(Tensor A, int n) -> Tensor",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="MmBackward0",
)
def _mpow_op(A, n):
    if n == 2:
        return _mm(A, A)
    if n == 3:
        return _mm(_mm(A, A), A)
    z = res = None
    while n > 0:
        bit = n % 2
        n //= 2
        z = A if z is None else _mm(z, z)
        if bit:
            res = z if res is None else _mm(res, z)
    return res


@op(
    "_matrix_power_zero(Tensor A) -> Tensor",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="CopyBackwards",
)
def _mpow_zero(A):
    return _eye_like(A) + 0 * A


@composite("linalg.matrix_power(Tensor A, int n) -> Tensor", namespace="linalg", out=True)
def matrix_power_linalg(A, n):
    return _matrix_power(A, n)


def _matrix_power(A, n):
    from . import api

    if not _t(A):
        raise TypeError(
            f"matrix_power(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}"
        )
    n = n.__index__()
    _mpow_check(A, n)
    if n == 0:
        return _mpow_zero(A)
    if n == 1:
        return api.clone(A)
    if n < 0:
        A = _inv(A)
        n = -n
        if n == 1:
            return A
    return _mpow_op(A, n)


@composite("matrix_power(Tensor input, int n) -> Tensor", method=True, out=True)
def matrix_power(input, n):
    return _matrix_power(input, n)


def _rank_check(A, hermitian):
    if A.dim() < 2:
        raise RuntimeError(
            "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions."
        )
    if A.dtype not in (D.float32, D.float64, D.complex64, D.complex128):
        raise RuntimeError("This function doesn't handle types other than float and double")
    if hermitian and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            "torch.linalg.matrix_rank: A must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices"
        )


@op(
    "_matrix_rank(Tensor A, Tensor? atol, Tensor? rtol, bool hermitian) -> Tensor",
    namespace="_linalg",
    promote="none",
    out=False,
    differentiable=False,
)
def _rank_op(A, atol, rtol, hermitian):
    m, n = A.shape[-2:]
    if m == 0 or n == 0:
        return jnp.zeros(A.shape[:-2], np.int64)
    a, r = _tolerances(atol, rtol, A.dtype, m, n)
    if hermitian:
        s = jnp.abs(lax.linalg.eigh(A, symmetrize_input=False)[1])
    else:
        s = jnp.linalg.svd(A, compute_uv=False)
    smax = jnp.max(s, axis=-1, keepdims=True)
    tol = jnp.maximum(
        a[..., None] if jnp.ndim(a) else a, (r[..., None] if jnp.ndim(r) else r) * smax
    )
    return jnp.sum(s > tol, axis=-1).astype(np.int64)


def matrix_rank(A, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """torch.linalg.matrix_rank (and the legacy ``tol`` form)."""
    _rank_check(A, hermitian)
    if tol is not None:
        atol, rtol = tol, 0.0
    r = _rank_op(A, _as_tol(atol, A), _as_tol(rtol, A), hermitian)
    if out is not None:
        return _write_out_composite("linalg_matrix_rank", r, out, (A,))
    return r


register_function("matrix_rank", matrix_rank, ns="linalg")


_COND_ORDS = (None, 2, -2, 1, -1, math.inf, -math.inf, "fro", "nuc")


@op(
    "_cond_svd(Tensor A, float p) -> Tensor",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="SqueezeBackward1",
)
def _cond_svd(A, p):
    S = _svdvals_value(A)
    if S.shape[-1] == 0:
        return jnp.zeros(S.shape[:-1], S.dtype)
    r = S[..., 0] / S[..., -1]
    return r if p > 0 else 1 / r


@op(
    "_cond_nuc(Tensor A) -> Tensor",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="MulBackward0",
)
def _cond_nuc(A):
    """torch's linalg_cond for ord="nuc": straight from the singular values,
    ``S.sum(-1) * S.reciprocal().sum(-1)`` (no inverse, so a singular matrix gives inf, or NaN
    for the zero matrix, rather than the inverse-based path's inf)."""
    S = _svdvals_value(A)
    return jnp.sum(S, axis=-1) * jnp.sum(1 / S, axis=-1)


@op(
    "_cond_inv(Tensor A, Any p) -> Tensor",
    namespace="_linalg",
    promote="none",
    out=False,
    grad="NanToNumBackward0",
)
def _cond_inv(A, p):
    inv_, info = _inv_value(A)
    r = _matrix_norm_value(A, p, (-2, -1), False) * _matrix_norm_value(inv_, p, (-2, -1), False)
    r = jnp.where(info > 0, jnp.inf, r)
    return jnp.where(jnp.isnan(r), jnp.inf, r)


def cond(A, p=None, *, out=None):
    """torch.linalg.cond: the condition number in the norm ``p``."""
    if p not in _COND_ORDS:
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    if A.dim() < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if p in (None, 2, -2):
        _svd_check(A)
        r = _cond_svd(A, 2.0 if p is None else float(p))
    else:
        _need_float("linalg.cond", A)
        if A.shape[-1] != A.shape[-2]:
            raise RuntimeError(
                f"linalg.cond(ord={p}): A must be batches of square matrices, but they are {A.shape[-2]} by "
                f"{A.shape[-1]} matrices"
            )
        _no_low_precision("linalg.cond", A)
        r = _cond_nuc(A) if p == "nuc" and A.numel() else _cond_inv(A, p)
    if out is not None:
        return _write_out_composite("linalg_cond", r, out, (A,))
    return r


register_function("cond", cond, ns="linalg")


# ------------------------------------------------------------------ norms


def _sgn(x):
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        a = jnp.abs(x)
        return jnp.where(
            a == 0, jnp.zeros_like(x), x / jnp.where(a == 0, jnp.ones_like(a), a).astype(x.dtype)
        )
    return jnp.sign(x)


def _vnorm_raw(x, ord, axes, keepdim):
    a = jnp.abs(x)
    if ord == 0:
        return jnp.sum((a != 0).astype(a.dtype), axis=axes, keepdims=keepdim)
    if ord == math.inf:
        return (
            jnp.max(a, axis=axes, keepdims=keepdim, initial=None)
            if a.size
            else jnp.zeros(_reduced_shape(a.shape, axes, keepdim), a.dtype)
        )
    if ord == -math.inf:
        return jnp.min(a, axis=axes, keepdims=keepdim)
    if ord == 1:
        return jnp.sum(a, axis=axes, keepdims=keepdim)
    if ord == 2:
        return jnp.sqrt(jnp.sum(a * a, axis=axes, keepdims=keepdim))
    return jnp.sum(a**ord, axis=axes, keepdims=keepdim) ** (1.0 / ord)


def _reduced_shape(shape, axes, keepdim):
    return tuple(
        (1 if keepdim else None) if i in axes else s
        for i, s in enumerate(shape)
        if keepdim or i not in axes
    )


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2, 3))
def _vnorm(x, ord, axes, keepdim):
    return _vnorm_raw(x, ord, axes, keepdim)


def _vnorm_fwd(x, ord, axes, keepdim):
    n = _vnorm_raw(x, ord, axes, keepdim)
    return n, (x, n)


def _vnorm_bwd(ord, axes, keepdim, res, g):
    # torch's norm_backward
    x, norm = res
    if not keepdim:
        g = jnp.expand_dims(g, axes)
        norm = jnp.expand_dims(norm, axes)
    p = ord
    a = jnp.abs(x)
    if p == 0:
        gx = jnp.zeros_like(x)
    elif p == 1:
        gx = _sgn(x) * g
    elif p == 2:
        gx = g * jnp.where(
            norm == 0, jnp.zeros_like(x), x / jnp.where(norm == 0, jnp.ones_like(norm), norm)
        )
    elif math.isinf(p):
        mask = (a == norm) | jnp.isnan(a)
        cnt = jnp.sum(mask, axis=axes, keepdims=True).astype(g.dtype)
        gx = _sgn(x) * ((g / cnt) * mask)
    elif p < 1:
        scaled = _sgn(x) * jnp.where(x == 0, jnp.zeros_like(a), a ** (p - 1))
        gx = scaled * g * norm ** (1 - p)
    elif p < 2:
        scaled = _sgn(x) * a ** (p - 1)
        sv = jnp.where(norm == 0, jnp.zeros_like(g), g / norm ** (p - 1))
        gx = scaled * sv
    else:
        scaled = x * a ** (p - 2)
        sv = jnp.where(norm == 0, jnp.zeros_like(g), g / norm ** (p - 1))
        gx = scaled * sv
    return (jnp.conj(gx).astype(x.dtype),)


_vnorm.defvjp(_vnorm_fwd, _vnorm_bwd)


def _ord_str(o):
    if isinstance(o, float) and math.isinf(o):
        return "inf" if o > 0 else "-inf"
    if isinstance(o, float) and o.is_integer():
        return str(int(o))
    return str(o)


def _norm_dtype_check(name, x, dtype):
    if dtype is None:
        return
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(
            f"{name}: dtype should be floating point or complex, but got {sname(dtype)}"
        )
    if x.dtype.is_complex and not dtype.is_complex:
        raise RuntimeError(
            f"{name}: dtype should be complex for complex inputs, but got {sname(dtype)}"
        )
    if not D.can_cast(x.dtype, dtype) or D.promote_types(x.dtype, dtype) is not dtype:
        raise RuntimeError(
            f"{name}: the dtype of the input ({sname(x.dtype)}) should be convertible without narrowing to the "
            f"specified dtype ({sname(dtype)})"
        )


def _vnorm_check(x, ord=2, dim=None, keepdim=False, dtype=None):
    if not _t(x):
        return
    if isinstance(ord, (str, bytes)) or not isinstance(ord, (int, float, np.number)):
        raise TypeError(
            f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {type(ord).__name__}"
        )
    name = "linalg.vector_norm"
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as input. Got {sname(x.dtype)}"
        )
    _norm_dtype_check(name, x, dtype)
    nd = x.dim()
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        axes = tuple(range(nd))
    else:
        axes = tuple(wrap_dim(d, nd) for d in ((dim,) if isinstance(dim, int) else dim))
    if ord < 0 or math.isinf(ord):
        if dim is None and x.numel() == 0:
            raise RuntimeError(
                f"{name} cannot compute the {_ord_str(float(ord))} norm on an empty tensor because the operation "
                "does not have an identity"
            )
        if dim is not None:
            for d in axes:
                if nd and x.shape[d] == 0:
                    raise RuntimeError(
                        f"{name} cannot compute the {_ord_str(float(ord))} norm on the dimension {d}because this "
                        "dimension is empty and the operation does not have an identity"
                    )


def _vector_norm_value(x, ord, dim, keepdim, dtype):
    if dtype is not None:
        x = x.astype(dtype._np)
    if x.ndim == 0:
        axes = ()
    elif dim is None or (isinstance(dim, tuple) and len(dim) == 0):
        axes = tuple(range(x.ndim))
    else:
        axes = tuple(sorted(wrap_dim(d, x.ndim) for d in ((dim,) if isinstance(dim, int) else dim)))
    rd = _real_dtype(x.dtype)
    if x.ndim == 0:
        return _tabs(x).astype(rd) if ord != 0 else (x != 0).astype(rd)
    if x.size == 0 or any(x.shape[a] == 0 for a in axes):
        return (
            jnp.zeros(_reduced_shape(x.shape, axes, keepdim), rd)
            if ord >= 0
            else jnp.full(_reduced_shape(x.shape, axes, keepdim), jnp.inf, rd)
        )
    return _vnorm(x, float(ord), axes, keepdim).astype(rd)


@op(
    "linalg.vector_norm(Tensor x, float ord=2, dim? dim=None, bool keepdim=False, *, ScalarType? dtype=None) "
    "-> Tensor",
    namespace="linalg",
    promote="none",
    check=_vnorm_check,
)
def vector_norm(x, ord, dim, keepdim, dtype):
    return _vector_norm_value(x, ord, dim, keepdim, dtype)


def _mnorm_dims(dim, nd, name="linalg.matrix_norm"):
    if isinstance(dim, int) or len(dim) != 2:
        got = dim if isinstance(dim, int) else " ".join(str(d) for d in dim)
        raise RuntimeError(f"{name}: dim must be a 2-tuple. Got {got}")
    d0, d1 = wrap_dim(dim[0], nd), wrap_dim(dim[1], nd)
    if d0 == d1:
        raise RuntimeError(f"{name}: dims must be different. Got ({d0}, {d1})")
    return d0, d1


def _matrix_norm_value(A, ord, dim, keepdim, dtype=None):
    if dtype is not None:
        A = A.astype(dtype._np)
    rd = _real_dtype(A.dtype)
    d0, d1 = _mnorm_dims(dim, A.ndim)
    if ord == "fro":
        return _vector_norm_value(A, 2, (d0, d1), keepdim, None)
    empty = A.shape[d0] == 0 or A.shape[d1] == 0

    def restore(r):
        if keepdim:
            r = jnp.expand_dims(r, tuple(sorted((d0, d1))))
        return r

    if ord in ("nuc", 2, -2):
        B = jnp.moveaxis(A, (d0, d1), (-2, -1))
        if empty:
            return restore(jnp.zeros(B.shape[:-2], rd))
        s = _svdvals_value(B)
        r = (
            jnp.sum(s, axis=-1)
            if ord == "nuc"
            else (jnp.max(s, axis=-1) if ord == 2 else jnp.min(s, axis=-1))
        )
        return restore(r)
    # 1, -1 (max/min column sum), inf, -inf (max/min row sum)
    if empty:
        return restore(jnp.zeros(tuple(s for i, s in enumerate(A.shape) if i not in (d0, d1)), rd))
    sum_dim, red_dim = (d0, d1) if abs(ord) == 1 else (d1, d0)
    s = jnp.sum(_tabs(A), axis=sum_dim, keepdims=True)
    r = (
        jnp.max(s, axis=red_dim, keepdims=True)
        if ord > 0
        else jnp.min(s, axis=red_dim, keepdims=True)
    )
    if not keepdim:
        r = jnp.squeeze(r, axis=(d0, d1))
    return r.astype(rd)


def _mk_mnorm(gname):
    def f(A, ord, dim, keepdim, dtype):
        return _matrix_norm_value(A, ord, dim, keepdim, dtype)

    f.__name__ = "_mnorm_" + gname
    return op(
        f"_matrix_norm_{gname}(Tensor A, Any ord, Any dim, bool keepdim, ScalarType? dtype) -> Tensor",
        namespace="_linalg",
        promote="none",
        out=False,
        grad=gname,
    )(f)


_MNORM = {
    g: _mk_mnorm(g)
    for g in ("LinalgVectorNormBackward0", "SumBackward1", "AmaxBackward0", "AminBackward0")
}


def _mnorm_grad_name(ord):
    if ord == "fro":
        return "LinalgVectorNormBackward0"
    if ord == "nuc":
        return "SumBackward1"
    return "AmaxBackward0" if ord > 0 else "AminBackward0"


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """torch.linalg.matrix_norm."""
    name = "linalg.matrix_norm"
    if not _t(A):
        raise TypeError(
            f"linalg_matrix_norm(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}"
        )
    _need_float(name, A)
    _need_matrix(name, A)
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"{name}: Order {ord} not supported.")
    elif ord not in (1, -1, 2, -2, math.inf, -math.inf):
        raise RuntimeError(f"{name}: Order {_ord_str(float(ord))} not supported.")
    dim = tuple(dim) if isinstance(dim, (list, tuple)) else dim
    _mnorm_dims(dim, A.dim())
    _norm_dtype_check(name, A, dtype)
    if ord == "nuc" or ord in (2, -2):
        _no_low_precision(name, A)
    ordv = ord if isinstance(ord, str) else float(ord)
    r = _MNORM[_mnorm_grad_name(ord)](A, ordv, dim, keepdim, dtype)
    if out is not None:
        return _write_out_composite("linalg_matrix_norm", r, out, (A,))
    return r


register_function("matrix_norm", matrix_norm, ns="linalg")


def norm(input, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """torch.linalg.norm: a vector or matrix norm depending on ``ord`` and ``dim``."""
    if not _t(input):
        raise TypeError(
            f"linalg_norm(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if dim is not None:
        dim = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dim) not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dim)}"
            )
    elif ord is not None and input.dim() not in (1, 2):
        raise RuntimeError(
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {input.dim()}D."
        )
    if ord is not None and (
        isinstance(ord, str)
        or (dim is not None and len(dim) == 2)
        or (dim is None and input.dim() == 2)
    ):
        return matrix_norm(
            input, ord, dim if dim is not None else (-2, -1), keepdim, dtype=dtype, out=out
        )
    o = 2 if ord is None else ord
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {sname(input.dtype)}"
        )
    return vector_norm(input, o, dim, keepdim, dtype=dtype, out=out)


register_function("norm", norm, ns="linalg")


# ------------------------------------------------------------------ matrix_exp

# torch's algorithm (Bader, Blanes & Casas 2019): a Taylor polynomial of degree 1, 2, 4, 8, 12 or 18
# chosen by the 1-norm, with scaling and squaring beyond the degree-18 bound; the same polynomial
# evaluation schemes and bounds, so float32 results track torch's own rounding
_MEXP_THETAS = {
    "float": (
        1.192092800768788e-07,
        5.978858893805233e-04,
        5.116619363445086e-02,
        5.800524627688768e-01,
        1.461661507209034e00,
        3.010066362817634e00,
    ),
    "double": (
        2.220446049250313e-16,
        2.580956802971767e-08,
        3.397168839976962e-04,
        4.991228871115323e-02,
        2.996158913811580e-01,
        1.090863719290036e00,
    ),
}
_T12_B = (
    (9.0198e-16, 0.46932117595418237389, -0.20099424927047284052, -0.04623946134063071740),
    (
        5.31597895759871264183,
        1.19926790417132231573,
        0.01179296240992997031,
        0.01108844528519167989,
    ),
    (
        0.18188869982170434744,
        0.05502798439925399070,
        0.09351590770535414968,
        0.00610700528898058230,
    ),
    (-2.0861320e-13, -0.13181061013830184015, -0.02027855540589259079, -0.00675951846863086359),
)
_T18_B = (
    (
        0.0,
        -1.00365581030144618291e-01,
        -8.02924648241156932449e-03,
        -8.92138498045729985177e-04,
        0.0,
    ),
    (
        0.0,
        3.97849749499645077844e-01,
        1.36783778460411720168e00,
        4.98289622525382669416e-01,
        -6.37898194594723280150e-04,
    ),
    (
        -1.09676396052962061844e01,
        1.68015813878906206114e00,
        5.71779846478865511061e-02,
        -6.98210122488052056106e-03,
        3.34975017086070470649e-05,
    ),
    (
        -9.04316832390810593223e-02,
        -6.76404519071381882256e-02,
        6.75961301770459654925e-02,
        2.95552570429315521194e-02,
        -1.39180257516060693404e-05,
    ),
    (
        0.0,
        0.0,
        -9.23364619367118555360e-02,
        -1.69364939002081722752e-02,
        -1.40086798182036094347e-05,
    ),
)


def _lincomb(coeffs, mats, rd):
    acc = None
    for c, m in zip(coeffs, mats):
        t = np.asarray(c, rd).astype(m.dtype) * m
        acc = t if acc is None else acc + t
    return acc


def _taylor(A, deg, rd):
    """The degree-``deg`` Taylor approximant of exp(A), evaluated as torch evaluates it."""
    n = A.shape[-1]
    eye = jnp.eye(n, dtype=A.dtype)
    if deg == 1:
        return eye + A
    A2 = _mm(A, A)
    if deg == 2:
        return eye + A + A2 / 2
    if deg == 4:
        inner = _lincomb((1 / 2.0, 1 / 6.0, 1 / 24.0), (eye, A, A2), rd)
        return _lincomb((1.0, 1.0, 1.0), (eye, A, _mm(A2, inner)), rd)
    if deg == 8:
        sq = np.asarray(0.1330413469565007072504e2, rd)
        x3 = np.asarray(2.0 / 3.0, rd)
        x1 = x3 * ((1.0 + sq) / 88.0)
        x2 = x3 * ((1.0 + sq) / 352.0)
        x4 = (-271.0 + 29.0 * sq) / (315.0 * x3)
        x5 = (-11.0 + 11.0 * sq) / (1260.0 * x3)
        x6 = (-99.0 + 11.0 * sq) / (5040.0 * x3)
        x7 = (89.0 - sq) / (5040.0 * x3)
        y2 = (857.0 - 58.0 * sq) / 630.0
        A4 = _mm(A2, _lincomb((x1, x2), (A, A2), rd))
        A8 = _mm(
            _lincomb((x3, 1.0), (A2, A4), rd), _lincomb((x4, x5, x6, x7), (eye, A, A2, A4), rd)
        )
        return _lincomb((1.0, 1.0, y2, 1.0), (eye, A, A2, A8), rd)
    A3 = _mm(A, A2)
    if deg == 12:
        P = (eye, A, A2, A3)
        B = [_lincomb(row, P, rd) for row in _T12_B]
        B2 = B[2] + _mm(B[3], B[3])
        return B[0] + _mm(B[1] + B2, B2)
    P = (eye, A, A2, A3, _mm(A3, A3))
    B = [_lincomb(row, P, rd) for row in _T18_B]
    B3 = B[3] + _mm(B[0], B[4])
    return B[1] + _mm(B[2] + B3, B3)


def _expm_one(a, thetas, rd):
    norm = jnp.max(jnp.sum(jnp.abs(a), axis=-2), axis=-1)
    idx = jnp.sum(jnp.asarray(thetas[:5], rd) < norm).astype(np.int32)
    idx = jnp.where(norm >= thetas[4], 5, idx)

    def scale_square(a):
        s = jnp.maximum(0, jnp.ceil(jnp.log2(norm / thetas[5]))).astype(np.int32)
        x = _taylor(a / (2.0**s).astype(a.dtype), 18, rd)
        return lax.fori_loop(0, s, lambda i, x: _mm(x, x), x)

    branches = [functools.partial(_taylor, deg=d, rd=rd) for d in (1, 2, 4, 8, 12)] + [scale_square]
    return lax.switch(idx, branches, a)


def _expm_raw(A):
    n = A.shape[-1]
    if n == 1:
        return jnp.exp(A)
    dt = A.dtype
    if dt in (jnp.float32, jnp.complex64):
        thetas, rd, work = _MEXP_THETAS["float"], np.float32, A
    elif dt in (jnp.float16, jnp.bfloat16):
        thetas, rd, work = _MEXP_THETAS["double"], np.float32, A.astype(np.float32)
    else:
        thetas, rd, work = _MEXP_THETAS["double"], np.float64, A
    flat = work.reshape((-1, n, n))
    out = lax.map(lambda a: _expm_one(a, thetas, rd), flat)
    return out.reshape(A.shape).astype(dt)


@jax.custom_vjp
def _expm(A):
    return _expm_raw(A)


def _expm_fwd(A):
    return _expm_raw(A), A


def _expm_bwd(A, ct):
    # torch's backward_analytic_function_of_a_matrix: exp([[A^H, G], [0, A^H]]) upper-right block
    n = A.shape[-1]
    g = jnp.conj(ct)
    Ah = _mH(A)
    top = jnp.concatenate([Ah, g], axis=-1)
    bot = jnp.concatenate([jnp.zeros_like(Ah), Ah], axis=-1)
    M = jnp.concatenate([top, bot], axis=-2)
    return (jnp.conj(_expm(M)[..., :n, n:]),)


_expm.defvjp(_expm_fwd, _expm_bwd)


def _mexp_check(A):
    if not _t(A):
        return
    _need_float("linalg.matrix_exp", A)
    _need_square("linalg.matrix_exp", A)


@op(
    "linalg.matrix_exp(Tensor A) -> Tensor",
    namespace="linalg",
    promote="none",
    check=_mexp_check,
    out=False,
)
def matrix_exp_linalg(A):
    return _expm(A) if A.shape[-1] else A


@op(
    "matrix_exp(Tensor input) -> Tensor",
    method=True,
    promote="none",
    check=_mexp_check,
    out=False,
    grad="LinalgMatrixExpBackward0",
)
def matrix_exp(input):
    return _expm(input) if input.shape[-1] else input


# ------------------------------------------------------------------ functions torch 2.x removed (they raise)

_REMOVED = {
    "symeig": (
        "This function was deprecated since version 1.9 and is now removed. The default behavior ha"
        "s changed from using the upper triangular portion of the matrix by default to using the lo"
        "wer triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be replaced with:\nL = "
        "torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = torch.symeig(A, eigenvec"
        "tors=True) should be replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L'"
        ")"
    ),
    "eig": (
        "This function was deprecated since version 1.9 and is now removed. `torch.linalg.eig` retu"
        "rns complex tensors of dtype `cfloat` or `cdouble` rather than real tensors mimicking comp"
        "lex tensors.\n\nL, _ = torch.eig(A) should be replaced with:\nL_complex = torch.linalg.eigval"
        "s(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True) should be replaced with:\nL_complex, V_co"
        "mplex = torch.linalg.eig(A)"
    ),
    "solve": (
        "This function was deprecated since version 1.9 and is now removed. `torch.solve` is deprec"
        "ated in favor of `torch.linalg.solve`. `torch.linalg.solve` has its arguments reversed and"
        " does not return the LU factorization.\n\nTo get the LU factorization see `torch.lu`, which "
        "can be used with `torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution sho"
        "uld be replaced with:\nX = torch.linalg.solve(A, B)"
    ),
    "lstsq": (
        "This function was deprecated since version 1.9 and is now removed. `torch.lstsq` is deprec"
        "ated in favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` has reversed arguments and doe"
        "s not return the QR decomposition in the returned tuple (although it returns other informa"
        "tion about the problem).\n\nTo get the QR decomposition consider using `torch.linalg.qr`.\n\nT"
        "he returned solution in `torch.lstsq` stored the residuals of the solution in the last m -"
        " n columns of the returned value whenever m > n. In torch.linalg.lstsq, the residuals are "
        "in the field 'residuals' of the returned named tuple.\n\nThe unpacking of the solution, as i"
        "n\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\nX = torch.linalg."
        "lstsq(A, B).solution"
    ),
    "matrix_rank": (
        "This function was deprecated since version 1.9 and is now removed.\nPlease use the `torch.l"
        "inalg.matrix_rank` function instead. The parameter 'symmetric' was renamed in `torch.linal"
        "g.matrix_rank()` to 'hermitian'."
    ),
}


def _removed(name):
    msg = _REMOVED[name]

    def f(*args, **kwargs):
        raise RuntimeError(msg)

    f.__name__ = name
    f.__doc__ = f"torch.{name}: removed in torch 1.9+ (raises, as torch does)."
    return f


for _name in _REMOVED:
    register_function(_name, _removed(_name))
    if _name != "matrix_rank":
        register_method(_name, _removed(_name))


# ------------------------------------------------------------------ torch.nuclear_norm / torch.frobenius_norm


def nuclear_norm(input, dim=None, keepdim=False, *, out=None, dtype=None):
    """torch.nuclear_norm(input, keepdim=False) / nuclear_norm(input, dim, keepdim=False)."""
    if isinstance(dim, bool):
        dim, keepdim = None, dim
    if dim is None:
        if input.dim() != 2:
            raise RuntimeError(
                f"Expected a tensor with 2 dimensions, but got a tensor with {input.dim()} dimension"
                f"{'' if input.dim() == 1 else 's'} instead."
            )
        dim = (-2, -1)
    return matrix_norm(input, "nuc", tuple(dim), keepdim, dtype=dtype, out=out)


def frobenius_norm(input, dim, keepdim=False, *, out=None):
    """torch.frobenius_norm(input, dim, keepdim=False)."""
    dim = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dim) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dim)} dimensions instead.")
    return vector_norm(input, 2, dim, keepdim, out=out)


register_function("nuclear_norm", nuclear_norm)
register_function("frobenius_norm", frobenius_norm)


for _name in ("matrix_power",):
    strict_out("", _name)
for _name in ("matrix_power", "vector_norm"):
    strict_out("linalg", _name)
strict_out(
    "linalg",
    "matrix_norm",
    lambda rd, od: f"linalg.matrix_norm expected out tensor dtype {sname(rd)} but got: {sname(od)}",
)
strict_out(
    "linalg",
    "norm",
    lambda rd, od: f"linalg.norm expected out tensor dtype {sname(rd)} but got: {sname(od)}",
)
