"""Products of vectors, matrices and tensors, as torch's LinearAlgebra / Blas kernels: dot,
vdot, mv, mm, bmm, matmul, the add* family (addmm, addmv, addbmm, baddbmm, addr), outer / ger,
inner, tensordot, kron, trace; and the out= helpers the linear algebra modules share
(``strict_out``, ``_write_out_composite``). cross, multi_dot, vecdot and einsum are in
``products.py``; cdist and cov / corrcoef in ``distance.py``.

Matmul-family ops do not type-promote in torch (they require equal dtypes, with torch's
messages); the checks below run on the tensors' metadata before the kernel. float32 products
use ``Precision.HIGHEST`` so results match torch's float32 arithmetic on every backend;
float16/bfloat16 accumulate in float32 as torch's CPU kernels do.
"""

from __future__ import annotations

import builtins
import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import composite, op, register_function, register_method
from ._util import wrap_dim

HI = lax.Precision.HIGHEST

# C++ type names torch prints in some messages (TypeMeta names)
_CNAME = {
    "float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
    "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
    "uint16": "unsigned short", "uint32": "unsigned int", "uint64": "unsigned long", "bool": "bool",
    "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
}  # fmt: skip


def cname(dt) -> str:
    return _CNAME.get(str(dt).replace("torch.", "").replace("torchjax.", ""), str(dt))


def sname(dt) -> str:
    return dt._scalar_name


def _is_t(*xs):
    return all(isinstance(x, Tensor) for x in xs)


def _no_bool_uint(kernel, dt):
    """torch's CPU BLAS kernels are not instantiated for bool and the wide unsigned types."""
    if dt is D.bool or dt in (D.uint16, D.uint32, D.uint64):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt._scalar_name}'")


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


# ------------------------------------------------------------------ kernels on jax arrays


def matmul_raw(a, b):
    """a @ b with torch's float32 accuracy (HIGHEST) and float32 accumulation for half types."""
    dt = a.dtype
    if dt in (jnp.float16, jnp.bfloat16):
        return jnp.matmul(a, b, precision=HI, preferred_element_type=jnp.float32).astype(dt)
    if dt == np.bool_:
        return jnp.matmul(a.astype(np.int32), b.astype(np.int32)) != 0
    return jnp.matmul(a, b, precision=HI)


def _scal(s, dt):
    """A Scalar argument (0-d numpy array) in the op's dtype (ints truncate, as torch's Scalar.to<T>)."""
    if s is None:
        return None
    if np.dtype(dt) == np.bool_:
        return jnp.asarray(s).astype(np.bool_)
    if not jnp.issubdtype(dt, jnp.complexfloating) and jnp.issubdtype(
        jnp.asarray(s).dtype, jnp.complexfloating
    ):
        s = jnp.real(s)
    return jnp.asarray(s).astype(dt)


def _axpby(beta, c, alpha, prod):
    """beta * c + alpha * prod, with c ignored (NaNs included) when beta == 0, as BLAS does."""
    dt = prod.dtype
    if dt == np.bool_:
        b, a = _scal(beta, dt), _scal(alpha, dt)
        return jnp.logical_or(jnp.logical_and(b, c), jnp.logical_and(a, prod))
    b, a = _scal(beta, dt), _scal(alpha, dt)
    c = c.astype(dt)
    term = jnp.where(b == 0, jnp.zeros_like(c), b * c)
    return term + a * prod


# ------------------------------------------------------------------ dot / vdot


def _check_dot(input, tensor):
    if not _is_t(input, tensor):
        return
    if input.dim() != 1 or tensor.dim() != 1:
        raise RuntimeError(
            f"1D tensors expected, but got {input.dim()}D and {tensor.dim()}D tensors"
        )
    if input.dtype is not tensor.dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {sname(input.dtype)} and {sname(tensor.dtype)}"
        )
    if input.numel() != tensor.numel():
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{input.numel()}] and src [{tensor.numel()}] to have the "
            f"same number of elements, but got {input.numel()} and {tensor.numel()} elements respectively"
        )
    _no_bool_uint("dot", input.dtype)


@op("dot(Tensor input, Tensor tensor) -> Tensor", method=True, promote="none", check=_check_dot)
def dot(input, tensor):
    return matmul_raw(input, tensor)


@op("vdot(Tensor input, Tensor other) -> Tensor", method=True, promote="none", check=_check_dot)
def vdot(input, other):
    return matmul_raw(jnp.conj(input), other)


# ------------------------------------------------------------------ mm / bmm / mv


def _check_mm_shapes(a_shape, b_shape, adt, bdt):
    if a_shape[1] != b_shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({a_shape[0]}x{a_shape[1]} and {b_shape[0]}x{b_shape[1]})"
        )
    if adt is not bdt:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {cname(adt)} != {cname(bdt)}"
        )
    _no_bool_uint("addmm_impl_cpu_", adt)


def _check_mm(input, mat2):
    if not _is_t(input, mat2):
        return
    if input.dim() != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.dim() != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_mm_shapes(input.shape, mat2.shape, input.dtype, mat2.dtype)


@op("mm(Tensor input, Tensor mat2) -> Tensor", method=True, promote="none", check=_check_mm)
def mm(input, mat2):
    return matmul_raw(input, mat2)


def _check_bmm_shapes(s1, s2, dt1, dt2, kernel="bmm"):
    if s2[0] != s1[0] or s2[1] != s1[2]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{s1[0]}, {s1[2]}] but got: "
            f"[{s2[0]}, {s2[1]}]."
        )
    if dt1 is not dt2:
        raise RuntimeError(f"expected scalar type {sname(dt1)} but found {sname(dt2)}")
    _no_bool_uint(kernel, dt1)


def _check_bmm(input, mat2):
    if not _is_t(input, mat2):
        return
    if input.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.dim() != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    _check_bmm_shapes(input.shape, mat2.shape, input.dtype, mat2.dtype)


@op("bmm(Tensor input, Tensor mat2) -> Tensor", method=True, promote="none", check=_check_bmm)
def bmm(input, mat2):
    return matmul_raw(input, mat2)


def _check_mv_shapes(ms, vs, n_input, idt, mdt, vdt):
    if ms[1] != vs[0] or not (ms[0] == n_input or n_input == 1):
        raise RuntimeError(
            f"size mismatch, got input ({n_input}), mat ({ms[0]}x{ms[1]}), vec ({vs[0]})"
        )
    if not (idt is mdt is vdt):
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {sname(idt)}, {sname(mdt)}, and {sname(vdt)}"
        )
    _no_bool_uint("addmv_impl_cpu", mdt)


def _check_mv(input, vec):
    if not _is_t(input, vec):
        return
    if input.dim() != 2 or vec.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.dim()}, {vec.dim()}")
    _check_mv_shapes(input.shape, vec.shape, input.shape[0], vec.dtype, input.dtype, vec.dtype)


@op("mv(Tensor input, Tensor vec) -> Tensor", method=True, promote="none", check=_check_mv)
def mv(input, vec):
    return matmul_raw(input, vec)


# ------------------------------------------------------------------ matmul


def _matmul_fn(input, other):
    return matmul_raw(input, other)


# the same product under the grad_fn names torch's matmul decomposition leaves behind
_matmul_sq = op(
    "_matmul_squeeze(Tensor input, Tensor other) -> Tensor",
    promote="none",
    namespace="_blas",
    out=False,
    grad="SqueezeBackward4",
)(_matmul_fn)
_matmul_uv = op(
    "_matmul_unsafe_view(Tensor input, Tensor other) -> Tensor",
    promote="none",
    namespace="_blas",
    out=False,
    grad="UnsafeViewBackward0",
)(_matmul_fn)
_matmul_clone = op(
    "_matmul_clone(Tensor input, Tensor other) -> Tensor",
    promote="none",
    namespace="_blas",
    out=False,
    grad="CloneBackward0",
)(_matmul_fn)


def _should_fold(t1, t2, has_out):
    """ATen's should_fold: fold the batch of the larger operand into mm/mv rows."""
    larger = t1.dim() >= t2.dim()
    big = t1 if larger else t2
    dim_big = big.dim()
    dim_small = t2.dim() if larger else t1.dim()
    if not (dim_big >= 3 and dim_small <= 2):
        return False
    small_rg = t2.requires_grad if larger else t1.requires_grad
    if small_rg and not has_out:
        return True
    if t1.dim() == 2:
        return False
    if big.numel() == 0:
        return True
    shape = list(big.shape)
    stride = list(big.stride())
    if not larger:  # big is t2.mT
        shape[-1], shape[-2] = shape[-2], shape[-1]
        stride[-1], stride[-2] = stride[-2], stride[-1]
    for i in range(dim_big - 2):
        if stride[i] != stride[i + 1] * shape[i + 1]:
            return False
    return True


def _matmul_impl(input, other, has_out=False):
    if not _is_t(input, other):
        bad = input if not isinstance(input, Tensor) else other
        name = "input" if bad is input else "other"
        pos = 1 if bad is input else 2
        raise TypeError(
            f"matmul(): argument '{name}' (position {pos}) must be Tensor, not {type(bad).__name__}"
        )
    d1, d2 = input.dim(), other.dim()
    if d1 == 0 or d2 == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D"
        )
    if d1 == 1 and d2 == 1:
        return dot(input, other)
    if d1 == 2 and d2 == 1:
        return mv(input, other)
    if d1 == 1 and d2 == 2:
        _check_mm_shapes((1, input.shape[0]), other.shape, input.dtype, other.dtype)
        return _matmul_sq(input, other)
    if d1 == 2 and d2 == 2:
        return mm(input, other)
    if _should_fold(input, other, has_out):
        transpose = d2 > d1
        if transpose:
            s1 = list(other.shape)
            s1[-1], s1[-2] = s1[-2], s1[-1]
            s2 = list(input.shape)[::-1] if d1 == 2 else list(input.shape)
            dt1, dt2 = other.dtype, input.dtype
        else:
            s1, s2 = list(input.shape), list(other.shape)
            dt1, dt2 = input.dtype, other.dtype
        rows = math.prod(s1[:-1])
        if len(s2) == 2:
            _check_mm_shapes((rows, s1[-1]), s2, dt1, dt2)
        else:
            _check_mv_shapes((rows, s1[-1]), s2, rows, dt2, dt1, dt2)
        if transpose and d1 == 2:
            return _matmul_clone(input, other)
        return _matmul_uv(input, other)
    # broadcast batched product (bmm)
    b1 = list(input.shape[:-2]) if d1 > 1 else []
    b2 = list(other.shape[:-2]) if d2 > 1 else []
    err = R.broadcast_error(b1, b2)
    if err is not None:
        raise err
    batch = math.prod(np.broadcast_shapes(tuple(b1), tuple(b2)))
    n = input.shape[-2] if d1 > 1 else 1
    m1 = input.shape[-1]
    m2 = other.shape[-2] if d2 > 1 else other.shape[0]
    p = other.shape[-1] if d2 > 1 else 1
    _check_bmm_shapes((batch, n, m1), (batch, m2, p), input.dtype, other.dtype)
    return _matmul_uv(input, other)


@composite("matmul(Tensor input, Tensor other) -> Tensor", method=True, out=True)
def matmul(input, other):
    return _matmul_impl(input, other)


register_function("matmul", matmul, ns="linalg")


def _dunder_matmul(self, other):
    if not isinstance(other, Tensor):
        return NotImplemented
    return _matmul_impl(self, other)


def _dunder_rmatmul(self, other):
    if not isinstance(other, Tensor):
        return NotImplemented
    return _matmul_impl(other, self)


if "__matmul__" not in R._METHODS:
    register_method("__matmul__", _dunder_matmul)
if "__rmatmul__" not in R._METHODS:
    register_method("__rmatmul__", _dunder_rmatmul)


# ------------------------------------------------------------------ add* family


def _expand_error(target, shape):
    """torch's expand() error when ``shape`` cannot be broadcast to ``target``, else None."""
    target, shape = list(target), list(shape)
    if len(shape) > len(target):
        return RuntimeError(
            f"expand(torch.FloatTensor{{{_shape_str(shape)}}}, size={_shape_str(target)}): the number of sizes "
            "provided ({}) must be greater or equal to the number of dimensions in the tensor ({})".format(
                len(target), len(shape)
            )
        )
    off = len(target) - len(shape)
    for i in range(len(shape) - 1, -1, -1):
        if shape[i] != 1 and shape[i] != target[i + off]:
            return RuntimeError(
                f"The expanded size of the tensor ({target[i + off]}) must match the existing size ({shape[i]}) at "
                f"non-singleton dimension {i + off}.  Target sizes: {_shape_str(target)}.  Tensor sizes: "
                f"{_shape_str(shape)}"
            )
    return None


def _check_addmm(input, mat1, mat2, beta=1, alpha=1):
    if not _is_t(input, mat1, mat2):
        return
    if input.dtype is not mat2.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {sname(input.dtype)} and {sname(mat2.dtype)}"
        )
    if mat1.dtype is not mat2.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {sname(mat1.dtype)} and {sname(mat2.dtype)}"
        )
    if mat1.dim() != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1.dim()}-D tensor")
    if mat2.dim() != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {mat2.dim()}-D tensor")
    _check_mm_shapes(mat1.shape, mat2.shape, mat1.dtype, mat2.dtype)
    err = _expand_error((mat1.shape[0], mat2.shape[1]), input.shape)
    if err is not None:
        raise err


@op(
    "addmm(Tensor input, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    check=_check_addmm,
    saves=("mat1", "mat2"),
)
def addmm(input, mat1, mat2, beta, alpha):
    return _axpby(beta, input, alpha, matmul_raw(mat1, mat2))


def _check_addmv(input, mat, vec, beta=1, alpha=1):
    if not _is_t(input, mat, vec):
        return
    if mat.dim() != 2 or vec.dim() != 1 or input.dim() > 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got {input.dim()}, {mat.dim()}, {vec.dim()}"
        )
    _check_mv_shapes(mat.shape, vec.shape, input.numel(), input.dtype, mat.dtype, vec.dtype)


@op(
    "addmv(Tensor input, Tensor mat, Tensor vec, *, Scalar beta=1, Scalar alpha=1) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    check=_check_addmv,
    saves=("mat", "vec"),
)
def addmv(input, mat, vec, beta, alpha):
    return _axpby(beta, jnp.broadcast_to(input, (mat.shape[0],)), alpha, matmul_raw(mat, vec))


def _check_baddbmm(input, batch1, batch2, beta=1, alpha=1):
    if not _is_t(input, batch1, batch2):
        return
    if batch1.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if batch2.dim() != 3:
        wrap_dim(2, batch2.dim())
        raise RuntimeError("batch2 must be a 3D tensor")
    err = _expand_error((batch1.shape[0], batch1.shape[1], batch2.shape[2]), input.shape)
    if err is not None:
        raise err
    if input.dtype is not batch1.dtype:
        raise RuntimeError(
            f"Input dtypes must be the same, got: input {cname(input.dtype)}, batch1: {cname(batch1.dtype)}, "
            f"batch2: {cname(batch2.dtype)}"
        )
    _check_bmm_shapes(batch1.shape, batch2.shape, batch1.dtype, batch2.dtype)


@op(
    "baddbmm(Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    check=_check_baddbmm,
    saves=("batch1", "batch2"),
)
def baddbmm(input, batch1, batch2, beta, alpha):
    prod = matmul_raw(batch1, batch2)
    return _axpby(beta, jnp.broadcast_to(input, prod.shape), alpha, prod)


def _check_addbmm(input, batch1, batch2, beta=1, alpha=1):
    if not _is_t(input, batch1, batch2):
        return
    if input.dtype is not batch2.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {sname(input.dtype)} and {sname(batch2.dtype)}"
        )
    if batch1.dtype is not batch2.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {sname(batch1.dtype)} and {sname(batch2.dtype)}"
        )
    wrap_dim(2, batch1.dim())
    wrap_dim(2, batch2.dim())
    err = _expand_error((batch1.shape[1], batch2.shape[2]), input.shape)
    if err is not None:
        raise err
    if batch1.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if batch2.dim() != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(
            f"batch1 and batch2 must have same number of batches, got {batch1.shape[0]} and {batch2.shape[0]}"
        )
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(
            f"Incompatible matrix sizes for bmm ({batch1.shape[1]}x{batch1.shape[2]} and "
            f"{batch2.shape[1]}x{batch2.shape[2]})"
        )
    _no_bool_uint("addmm_impl_cpu_", batch1.dtype)


@op(
    "addbmm(Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    check=_check_addbmm,
    saves=("batch1", "batch2"),
)
def addbmm(input, batch1, batch2, beta, alpha):
    dt = batch1.dtype
    if dt in (jnp.float16, jnp.bfloat16):
        prod = jnp.einsum(
            "bij,bjk->ik", batch1, batch2, precision=HI, preferred_element_type=jnp.float32
        ).astype(dt)
    else:
        prod = jnp.einsum("bij,bjk->ik", batch1, batch2, precision=HI)
    return _axpby(beta, jnp.broadcast_to(input, prod.shape), alpha, prod)


def _check_int_scalars(inputs, **scalars):
    dts = [t.dtype for t in inputs if isinstance(t, Tensor)]
    if dts and all(d._cat <= D._INT for d in dts):
        for name, s in scalars.items():
            if isinstance(s, builtins.float) or (isinstance(s, Tensor) and s.is_floating_point()):
                raise RuntimeError(
                    f"For integral input tensors, argument {name} must not be a floating point number."
                )


def _check_addr(input, vec1, vec2, beta=1, alpha=1):
    if not _is_t(input, vec1, vec2):
        return
    if vec1.dim() != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec1, but got {vec1.dim()}-D")
    if vec2.dim() != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec2, but got {vec2.dim()}-D")
    err = _expand_error((vec1.shape[0], vec2.shape[0]), input.shape)
    if err is not None:
        raise err
    _check_int_scalars((input, vec1, vec2), beta=beta, alpha=alpha)
    for t in (input, vec1, vec2):
        if t.dtype in (D.uint16, D.uint32, D.uint64):
            raise NotImplementedError(f"\"addr_cpu\" not implemented for '{t.dtype._scalar_name}'")


def _outer(a, b):
    if a.dtype == np.bool_:
        return jnp.logical_and(a[:, None], b[None, :])
    return a[:, None] * b[None, :]


@op(
    "addr(Tensor input, Tensor vec1, Tensor vec2, *, Scalar beta=1, Scalar alpha=1) -> Tensor",
    method=True,
    inplace=True,
    check=_check_addr,
    saves=("vec1", "vec2"),
)
def addr(input, vec1, vec2, beta, alpha):
    prod = _outer(vec1, vec2)
    return _axpby(beta, jnp.broadcast_to(input, prod.shape), alpha, prod)


def _check_outer(input, vec2):
    if not _is_t(input, vec2):
        return
    if input.dim() != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input.dim()}-D")
    if vec2.dim() != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {vec2.dim()}-D")


@op(
    "outer(Tensor input, Tensor vec2) -> Tensor",
    method=True,
    check=_check_outer,
    grad="MulBackward0",
)
def outer(input, vec2):
    return _outer(input, vec2)


@op(
    "ger(Tensor input, Tensor vec2) -> Tensor", method=True, check=_check_outer, grad="MulBackward0"
)
def ger(input, vec2):
    return _outer(input, vec2)


# ------------------------------------------------------------------ inner / tensordot / kron / trace


@op(
    "_inner(Tensor input, Tensor other) -> Tensor",
    promote="none",
    namespace="_blas",
    out=False,
    grad="ViewBackward0",
)
def _inner_fn(input, other):
    dt = input.dtype
    kw = {"preferred_element_type": jnp.float32} if dt in (jnp.float16, jnp.bfloat16) else {}
    r = jnp.tensordot(input, other, axes=((input.ndim - 1,), (other.ndim - 1,)), precision=HI, **kw)
    return r.astype(dt)


@composite("inner(Tensor input, Tensor other) -> Tensor", method=True, out=True)
def inner(input, other):
    from . import api

    if not _is_t(input, other):
        bad, name, pos = (
            (input, "input", 1) if not isinstance(input, Tensor) else (other, "other", 2)
        )
        raise TypeError(
            f"inner(): argument '{name}' (position {pos}) must be Tensor, not {type(bad).__name__}"
        )
    if input.dim() == 0 or other.dim() == 0:
        return api.mul(input, other)
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            "inner() the last dimension must match on both input tensors but got shapes "
            f"{_shape_str(input.shape)} and {_shape_str(other.shape)}"
        )
    if input.dtype is not other.dtype:
        raise RuntimeError("both inputs should have same dtype")
    _no_bool_uint("addmm_impl_cpu_", input.dtype)
    return _inner_fn(input, other)


@op(
    "_tensordot(Tensor a, Tensor b, int[] dims_a, int[] dims_b) -> Tensor",
    promote="none",
    namespace="_blas",
    out=False,
    grad="ViewBackward0",
)
def _tensordot_fn(a, b, dims_a, dims_b):
    da, db = [], []
    for x, y in zip(dims_a, dims_b):
        if b.shape[y] == 1 and a.shape[x] != 1:
            a = jnp.sum(a, axis=x, keepdims=True)
        elif a.shape[x] == 1 and b.shape[y] != 1:
            b = jnp.sum(b, axis=y, keepdims=True)
        da.append(x)
        db.append(y)
    dt = a.dtype
    kw = {"preferred_element_type": jnp.float32} if dt in (jnp.float16, jnp.bfloat16) else {}
    return jnp.tensordot(a, b, axes=(tuple(da), tuple(db)), precision=HI, **kw).astype(dt)


def _dims_list(v):
    if isinstance(v, Tensor):
        v = v.tolist()
    if isinstance(v, int):
        return [v]
    return [int(x) for x in v]


def tensordot(a, b, dims=2, out=None):
    """torch.tensordot(a, b, dims=2 | (dims_a, dims_b), out=None)."""
    if isinstance(dims, Tensor):
        dims = dims.item() if dims.numel() == 1 else dims.tolist()
    if isinstance(dims, (list, tuple)):
        if len(dims) != 2:
            raise RuntimeError("tensordot expects dims to be a pair of lists (or a single int)")
        da, db = _dims_list(dims[0]), _dims_list(dims[1])
    elif isinstance(dims, int) or hasattr(dims, "__index__"):
        dims = int(dims)
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.dim() or dims > b.dim():
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da, db = list(range(-dims, 0)), list(range(dims))
    else:
        raise TypeError(
            f"tensordot expects dims to be int or tuple of lists, got {type(dims).__name__}"
        )
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    wa = [wrap_dim(x, a.dim()) for x in da]
    wb = [wrap_dim(x, b.dim()) for x in db]
    for lst in (wa, wb):
        if len(set(lst)) != len(lst):
            dup = next(x for x in lst if lst.count(x) > 1)
            raise RuntimeError(f"dim {dup} appears multiple times in the list of dims")
    for x, y, ox, oy in zip(wa, wb, da, db):
        s1, s2 = a.shape[x], b.shape[y]
        if s1 != s2 and s1 != 1 and s2 != 1:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {s1} in dim {ox} and second has size "
                f"{s2} in dim {oy}"
            )
    _no_bool_uint("dot" if len(wa) == a.dim() == b.dim() else "addmm_impl_cpu_", a.dtype)
    r = _tensordot_fn(a, b, tuple(wa), tuple(wb))
    if out is not None:
        return _write_out_composite("tensordot", r, out, (a, b))
    return r


def _write_out_composite(name, r, out, inputs):
    """``out=`` for front ends written in Python: torch's autograd refusal, dtype check, copy (resizing)."""
    from ..autograd import grad_mode

    if grad_mode.state.enabled and any(
        isinstance(t, Tensor) and t.requires_grad for t in _tensors_in(inputs)
    ):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic differentiation, but one of the "
            "arguments requires grad."
        )
    if isinstance(r, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(r):
            raise TypeError(
                f"{name}(): argument 'out' must be tuple of Tensors, not {type(out).__name__}"
            )
        for v, o in zip(r, out):
            _check_out_dtype(v, o)
        for v, o in zip(r, out):
            R.copy_into_out(v._v(), o)
        return type(r)(tuple(out)) if hasattr(r, "_fields") else tuple(out)
    _check_out_dtype(r, out)
    R.copy_into_out(r._v(), out)
    return out


def _tensors_in(inputs):
    for x in inputs:
        if isinstance(x, (tuple, list)):
            yield from x
        else:
            yield x


def _check_out_dtype(r, o):
    if not isinstance(o, Tensor):
        raise TypeError(f"argument 'out' must be Tensor, not {type(o).__name__}")
    if r.dtype is not o.dtype and not D.can_cast(r.dtype, o.dtype):
        raise RuntimeError(
            f"result type {r.dtype._scalar_name} can't be cast to the desired output type {o.dtype._scalar_name}"
        )


def _default_out_msg(rd, od):
    return f"Expected out tensor to have dtype {cname(rd)}, but got {cname(od)} instead"


def strict_out(ns, name, msg=_default_out_msg):
    """Make ``ns.name``'s ``out=`` require the result's exact dtype, as torch's linear algebra kernels do."""
    import functools

    space = R.namespace(ns)
    orig = getattr(space, name)

    @functools.wraps(orig)
    def f(*args, out=None, **kwargs):
        if out is None:
            return orig(*args, **kwargs)
        r = orig(*args, **kwargs)
        rs = r if isinstance(r, tuple) else (r,)
        outs = out if isinstance(out, (tuple, list)) else (out,)
        for v, o in zip(rs, outs):
            if isinstance(o, Tensor) and isinstance(v, Tensor) and v.dtype is not o.dtype:
                raise RuntimeError(msg(v.dtype, o.dtype))
        return _write_out_composite(name, r, out, tuple(args) + tuple(kwargs.values()))

    setattr(space, name, f)
    return f


register_function("tensordot", tensordot)


@op("kron(Tensor input, Tensor other) -> Tensor", method=True, grad="UnsafeViewBackward0")
def kron(input, other):
    nd = max(input.ndim, other.ndim)
    a = input.reshape((1,) * (nd - input.ndim) + input.shape)
    b = other.reshape((1,) * (nd - other.ndim) + other.shape)
    if a.dtype == np.bool_:
        prod = jnp.logical_and(
            a.reshape(_interleave(a.shape, 1)), b.reshape(_interleave(b.shape, 0))
        )
    else:
        prod = a.reshape(_interleave(a.shape, 1)) * b.reshape(_interleave(b.shape, 0))
    return prod.reshape(tuple(x * y for x, y in zip(a.shape, b.shape)))


def _interleave(shape, first):
    out = []
    for s in shape:
        out += [s, 1] if first else [1, s]
    return tuple(out)


def _check_trace(input):
    if not isinstance(input, Tensor):
        return
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    _no_bool_uint("trace", input.dtype)


@op(
    "trace(Tensor input) -> Tensor",
    method=True,
    promote="none",
    check=_check_trace,
    saves=(),
    out=False,
)
def trace(input):
    d = jnp.diagonal(input)
    if jnp.issubdtype(d.dtype, jnp.integer):
        d = d.astype(np.int64)
    return jnp.sum(d)


# torch's matmul-family kernels require out= to have the result's exact dtype
for _name in ("mm", "bmm", "mv", "dot", "vdot", "matmul", "addmm", "addbmm", "baddbmm", "addmv"):
    strict_out("", _name)
for _ns, _name in (("", "tensordot"), ("", "inner")):
    strict_out(
        _ns,
        _name,
        lambda rd, od: (
            f"tensordot: Expected the output tensor to have dtype {sname(rd)}, but got an output tensor with dtype "
            f"{sname(od)}"
        ),
    )
strict_out("linalg", "matmul")


# in-place add* variants refuse a self that only broadcasts to the result (torch's messages)
def _inplace_front(name, out_shape):
    import functools

    orig = R._METHODS[name]

    @functools.wraps(orig)
    def f(self, *args, **kwargs):
        shape = out_shape(self, *args)
        if shape is not None and tuple(self.shape) != tuple(shape):
            if name == "addr_" and self.dim() != 2:
                raise RuntimeError(f"2D tensor expected, got {self.dim()}D tensor for input")
            raise RuntimeError(
                f"Bad in-place call: input tensor size {_shape_str(self.shape)} and output tensor size "
                f"{_shape_str(shape)} should match"
            )
        return orig(self, *args, **kwargs)

    R.override_method(name, f)


def _tshape(*ts):
    return all(isinstance(t, Tensor) for t in ts)


_inplace_front(
    "addmm_",
    lambda s, m1, m2, *a: (
        (m1.shape[0], m2.shape[-1]) if _tshape(m1, m2) and m1.dim() == 2 and m2.dim() == 2 else None
    ),
)
_inplace_front(
    "addmv_", lambda s, m, v, *a: (m.shape[0],) if _tshape(m, v) and m.dim() == 2 else None
)
_inplace_front(
    "baddbmm_",
    lambda s, b1, b2, *a: (
        (b1.shape[0], b1.shape[1], b2.shape[-1])
        if _tshape(b1, b2) and b1.dim() == 3 and b2.dim() == 3
        else None
    ),
)
_inplace_front(
    "addr_",
    lambda s, v1, v2, *a: (
        (v1.shape[0], v2.shape[0]) if _tshape(v1, v2) and v1.dim() == 1 and v2.dim() == 1 else None
    ),
)


def _addbmm_inplace_front():
    """Tensor.addbmm_: torch runs addbmm_out(self, ..., out=self), so a ``self`` that only broadcasts
    to the (n, p) result (e.g. shape (1,)) is resized to it instead of being refused."""
    import functools

    from . import api

    orig = Tensor.addbmm_

    @functools.wraps(orig)
    def addbmm_(self, batch1, batch2, *args, **kwargs):
        if _tshape(batch1, batch2) and batch1.dim() == 3 and batch2.dim() == 3:
            shape = (batch1.shape[1], batch2.shape[2])
            if tuple(self.shape) != shape:
                r = api.addbmm(self, batch1, batch2, *args, **kwargs)
                self.resize_(shape)
                return self.copy_(r)
        return orig(self, batch1, batch2, *args, **kwargs)

    R.override_method("addbmm_", addbmm_)


_addbmm_inplace_front()
