"""Products of vectors, matrices and tensors: dot, mv, mm, bmm, matmul, the add* family, einsum,
tensordot, kron, outer, cross, trace, multi_dot, cdist, cov/corrcoef.

Matmul-family ops do not type-promote in torch (they require equal dtypes, with torch's
messages); the checks below run on the tensors' metadata before the kernel. float32 products
use ``Precision.HIGHEST`` so results match torch's float32 arithmetic on every backend;
float16/bfloat16 accumulate in float32 as torch's CPU kernels do.
"""

from __future__ import annotations

import builtins
import math
import warnings

import jax
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
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dt._scalar_name}\'')


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
    if not jnp.issubdtype(dt, jnp.complexfloating) and jnp.issubdtype(jnp.asarray(s).dtype, jnp.complexfloating):
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
        raise RuntimeError(f"1D tensors expected, but got {input.dim()}D and {tensor.dim()}D tensors")
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
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {cname(adt)} != {cname(bdt)}")
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
        raise RuntimeError(f"size mismatch, got input ({n_input}), mat ({ms[0]}x{ms[1]}), vec ({vs[0]})")
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
_matmul_sq = op("_matmul_squeeze(Tensor input, Tensor other) -> Tensor", promote="none", namespace="_blas",
                out=False, grad="SqueezeBackward4")(_matmul_fn)
_matmul_uv = op("_matmul_unsafe_view(Tensor input, Tensor other) -> Tensor", promote="none", namespace="_blas",
                out=False, grad="UnsafeViewBackward0")(_matmul_fn)
_matmul_clone = op("_matmul_clone(Tensor input, Tensor other) -> Tensor", promote="none", namespace="_blas",
                   out=False, grad="CloneBackward0")(_matmul_fn)


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
        raise TypeError(f"matmul(): argument '{name}' (position {pos}) must be Tensor, not {type(bad).__name__}")
    d1, d2 = input.dim(), other.dim()
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D")
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


@op("addmm(Tensor input, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", method=True,
    inplace=True, promote="none", check=_check_addmm, saves=("mat1", "mat2"))
def addmm(input, mat1, mat2, beta, alpha):
    return _axpby(beta, input, alpha, matmul_raw(mat1, mat2))


def _check_addmv(input, mat, vec, beta=1, alpha=1):
    if not _is_t(input, mat, vec):
        return
    if mat.dim() != 2 or vec.dim() != 1 or input.dim() > 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.dim()}, {mat.dim()}, {vec.dim()}")
    _check_mv_shapes(mat.shape, vec.shape, input.numel(), input.dtype, mat.dtype, vec.dtype)


@op("addmv(Tensor input, Tensor mat, Tensor vec, *, Scalar beta=1, Scalar alpha=1) -> Tensor", method=True,
    inplace=True, promote="none", check=_check_addmv, saves=("mat", "vec"))
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


@op("baddbmm(Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor",
    method=True, inplace=True, promote="none", check=_check_baddbmm, saves=("batch1", "batch2"))
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


@op("addbmm(Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor",
    method=True, inplace=True, promote="none", check=_check_addbmm, saves=("batch1", "batch2"))
def addbmm(input, batch1, batch2, beta, alpha):
    dt = batch1.dtype
    if dt in (jnp.float16, jnp.bfloat16):
        prod = jnp.einsum("bij,bjk->ik", batch1, batch2, precision=HI, preferred_element_type=jnp.float32).astype(dt)
    else:
        prod = jnp.einsum("bij,bjk->ik", batch1, batch2, precision=HI)
    return _axpby(beta, jnp.broadcast_to(input, prod.shape), alpha, prod)


def _check_int_scalars(inputs, **scalars):
    dts = [t.dtype for t in inputs if isinstance(t, Tensor)]
    if dts and all(d._cat <= D._INT for d in dts):
        for name, s in scalars.items():
            if isinstance(s, builtins.float) or (isinstance(s, Tensor) and s.is_floating_point()):
                raise RuntimeError(f"For integral input tensors, argument {name} must not be a floating point number.")


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
            raise NotImplementedError(f'"addr_cpu" not implemented for \'{t.dtype._scalar_name}\'')


def _outer(a, b):
    if a.dtype == np.bool_:
        return jnp.logical_and(a[:, None], b[None, :])
    return a[:, None] * b[None, :]


@op("addr(Tensor input, Tensor vec1, Tensor vec2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", method=True,
    inplace=True, check=_check_addr, saves=("vec1", "vec2"))
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


@op("outer(Tensor input, Tensor vec2) -> Tensor", method=True, check=_check_outer, grad="MulBackward0")
def outer(input, vec2):
    return _outer(input, vec2)


@op("ger(Tensor input, Tensor vec2) -> Tensor", method=True, check=_check_outer, grad="MulBackward0")
def ger(input, vec2):
    return _outer(input, vec2)


# ------------------------------------------------------------------ inner / tensordot / kron / trace


@op("_inner(Tensor input, Tensor other) -> Tensor", promote="none", namespace="_blas", out=False,
    grad="ViewBackward0")
def _inner_fn(input, other):
    dt = input.dtype
    kw = {"preferred_element_type": jnp.float32} if dt in (jnp.float16, jnp.bfloat16) else {}
    r = jnp.tensordot(input, other, axes=((input.ndim - 1,), (other.ndim - 1,)), precision=HI, **kw)
    return r.astype(dt)


@composite("inner(Tensor input, Tensor other) -> Tensor", method=True, out=True)
def inner(input, other):
    from . import api

    if not _is_t(input, other):
        bad, name, pos = (input, "input", 1) if not isinstance(input, Tensor) else (other, "other", 2)
        raise TypeError(f"inner(): argument '{name}' (position {pos}) must be Tensor, not {type(bad).__name__}")
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


@op("_tensordot(Tensor a, Tensor b, int[] dims_a, int[] dims_b) -> Tensor", promote="none", namespace="_blas",
    out=False, grad="ViewBackward0")
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
        raise TypeError(f"tensordot expects dims to be int or tuple of lists, got {type(dims).__name__}")
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

    if grad_mode.state.enabled and any(isinstance(t, Tensor) and t.requires_grad for t in _tensors_in(inputs)):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic differentiation, but one of the "
            "arguments requires grad."
        )
    if isinstance(r, tuple):
        if not isinstance(out, (tuple, list)) or len(out) != len(r):
            raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not {type(out).__name__}")
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
        prod = jnp.logical_and(a.reshape(_interleave(a.shape, 1)), b.reshape(_interleave(b.shape, 0)))
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


@op("trace(Tensor input) -> Tensor", method=True, promote="none", check=_check_trace, saves=(), out=False)
def trace(input):
    d = jnp.diagonal(input)
    if jnp.issubdtype(d.dtype, jnp.integer):
        d = d.astype(np.int64)
    return jnp.sum(d)


# ------------------------------------------------------------------ cross


def _cross_fn(a, b, d):
    a, b = jnp.broadcast_arrays(a, b)
    a0, a1, a2 = (jnp.take(a, i, axis=d) for i in range(3))
    b0, b1, b2 = (jnp.take(b, i, axis=d) for i in range(3))
    return jnp.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=d)


def _check_cross(input, other, dim):
    if not _is_t(input, other):
        return
    if input.dim() != other.dim():
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {sname(input.dtype)} but found {sname(other.dtype)}")
    d = wrap_dim(dim, input.dim())
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} and {other.shape[d]}"
        )
    err = R.broadcast_error(list(input.shape), list(other.shape))
    if err is not None:
        raise err
    if input.dtype is D.bool or input.dtype in (D.uint16, D.uint32, D.uint64):
        raise NotImplementedError(f'"cross" not implemented for \'{input.dtype._scalar_name}\'')


@op("linalg.cross(Tensor input, Tensor other, *, int dim=-1) -> Tensor", namespace="linalg", promote="none",
    check=lambda input, other, dim=-1: _check_cross(input, other, dim))
def linalg_cross(input, other, dim):
    return _cross_fn(input, other, wrap_dim(dim, input.ndim))


@op("_cross(Tensor input, Tensor other, int dim) -> Tensor", namespace="_blas", promote="none", out=False,
    grad="LinalgCrossBackward0")
def _cross_op(input, other, dim):
    return _cross_fn(input, other, dim)


@composite("cross(Tensor input, Tensor other, int? dim=None) -> Tensor", method=True, out=True)
def cross(input, other, dim=None):
    if not _is_t(input, other):
        bad, name, pos = (input, "input", 1) if not isinstance(input, Tensor) else (other, "other", 2)
        raise TypeError(f"cross(): argument '{name}' (position {pos}) must be Tensor, not {type(bad).__name__}")
    if dim is None:
        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim "
            "explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree with "
            "that of linalg.cross in a future release.",
            UserWarning,
            stacklevel=3,
        )
        shape = np.broadcast_shapes(tuple(input.shape), tuple(other.shape)) if input.dim() == other.dim() else None
        d = None
        if shape is not None:
            d = next((i for i, s in enumerate(shape) if s == 3), None)
        if d is None:
            if input.dim() != other.dim():
                raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
            raise RuntimeError("no dimension of size 3 in input")
        dim = d
    _check_cross(input, other, dim)
    return _cross_op(input, other, wrap_dim(dim, input.dim()))


# ------------------------------------------------------------------ multi_dot / chain_matmul


@op("_multi_dot(Tensor[] tensors) -> Tensor", namespace="_blas", promote="none", out=False,
    grad="ViewBackward0")
def _multi_dot_fn(tensors):
    ts = list(tensors)
    first_1d = ts[0].ndim == 1
    last_1d = ts[-1].ndim == 1
    if first_1d:
        ts[0] = ts[0][None, :]
    if last_1d:
        ts[-1] = ts[-1][:, None]
    r = _chain(ts)
    if first_1d and last_1d:
        return r.reshape(())
    if first_1d:
        return r[0]
    if last_1d:
        return r[:, 0]
    return r


def _chain(ts):
    """Product of matrices in the cheapest order (the textbook matrix-chain order torch uses)."""
    n = len(ts)
    if n == 1:
        return ts[0]
    if n == 2:
        return matmul_raw(ts[0], ts[1])
    if n == 3:
        a, b = ts[0].shape[0], ts[0].shape[1]
        c, d = ts[2].shape[0], ts[2].shape[1]
        cost1 = a * c * (b + d)
        cost2 = b * d * (a + c)
        if cost1 > cost2:
            return matmul_raw(ts[0], matmul_raw(ts[1], ts[2]))
        return matmul_raw(matmul_raw(ts[0], ts[1]), ts[2])
    p = [t.shape[0] for t in ts] + [ts[-1].shape[1]]
    m = [[0] * n for _ in range(n)]
    s = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            m[i][j] = None
            for k in range(i, j):
                q = m[i][k] + m[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if m[i][j] is None or q < m[i][j]:
                    m[i][j] = q
                    s[i][j] = k

    def rec(i, j):
        if i == j:
            return ts[i]
        return matmul_raw(rec(i, s[i][j]), rec(s[i][j] + 1, j))

    return rec(0, n - 1)


def _check_multi_dot(tensors, name="multi_dot"):
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    d0, dl = tensors[0].dim(), tensors[-1].dim()
    if d0 not in (1, 2):
        raise RuntimeError(f"multi_dot(): the first tensor must be 1D or 2D but got {d0}D")
    if dl not in (1, 2):
        raise RuntimeError(f"multi_dot(): the last tensor must be 1D or 2D but got {dl}D")
    for i in range(1, n - 1):
        if tensors[i].dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {tensors[i].dim()}D")
    dt = tensors[0].dtype
    for i, t in enumerate(tensors):
        if t.dtype is not dt:
            raise RuntimeError(
                f"multi_dot(): all tensors must have be the same dtype but tensor 0 is {cname(dt)} and tensor {i} "
                f"{cname(t.dtype)}"
            )
    shapes = [tuple(t.shape) for t in tensors]
    shapes[0] = (1,) + shapes[0] if d0 == 1 else shapes[0]
    shapes[-1] = shapes[-1] + (1,) if dl == 1 else shapes[-1]
    for i in range(n - 1):
        if shapes[i][-1] != shapes[i + 1][0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {_shape_str(tensors[i].shape)} and "
                f"{_shape_str(tensors[i + 1].shape)} cannot be multiplied"
            )
    _no_bool_uint("addmm_impl_cpu_", dt)


@composite("linalg.multi_dot(Tensor[] tensors) -> Tensor", namespace="linalg", out=True)
def multi_dot(tensors):
    tensors = list(tensors)
    _check_multi_dot(tensors)
    return _multi_dot_fn(tensors)


def chain_matmul(*matrices, out=None):
    """torch.chain_matmul (deprecated in torch): the product of 2-D matrices."""
    warnings.warn(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
        "parameters.",
        UserWarning,
        stacklevel=2,
    )
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if len(matrices) == 0:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for t in matrices:
        if t.dim() != 2:
            raise RuntimeError(f"Tensor dimension is {t.dim()}, expected 2 instead.")
    if len(matrices) == 1:
        from . import api

        r = api.clone(matrices[0])
    else:
        _check_multi_dot(list(matrices))
        r = _multi_dot_fn(list(matrices))
    if out is not None:
        return _write_out_composite("chain_matmul", r, out, matrices)
    return r


register_function("chain_matmul", chain_matmul)


# ------------------------------------------------------------------ vecdot / vander / diagonal


def _check_vecdot(x, y, dim=-1):
    if not _is_t(x, y):
        return
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(
            f"linalg.vecdot: Expected a floating point or complex tensor as input. Got {sname(x.dtype)}"
        )
    if x.dtype is not y.dtype:
        raise RuntimeError(
            f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type {sname(x.dtype)} and y of "
            f"type {sname(y.dtype)} instead"
        )
    err = R.broadcast_error(list(x.shape), list(y.shape))
    if err is not None:
        raise err
    wrap_dim(dim, max(x.dim(), y.dim()))


@op("linalg.vecdot(Tensor x, Tensor y, *, int dim=-1) -> Tensor", namespace="linalg", promote="none",
    check=_check_vecdot, grad="SumBackward1")
def vecdot(x, y, dim):
    x, y = jnp.broadcast_arrays(x, y)
    d = wrap_dim(dim, x.ndim)
    return jnp.sum(jnp.conj(x) * y, axis=d)


def _check_vander(x, N=None):
    if not isinstance(x, Tensor):
        return
    if x.dtype is D.bool or x.dtype in (D.float16, D.bfloat16):
        raise RuntimeError(
            f"linalg.vander supports floating point, complex, and integer tensors, but got {sname(x.dtype)}"
        )
    if N is None:
        N = x.shape[-1] if x.dim() > 0 else 1
    if N <= 1:
        raise RuntimeError("N must be greater than 1.")


@op("linalg.vander(Tensor x, *, int? N=None) -> Tensor", namespace="linalg", promote="none", check=_check_vander,
    grad="CatBackward0", out=False)
def vander(x, N):
    if x.ndim == 0:
        x = x.reshape(1)
    if N is None:
        N = x.shape[-1]
    if jnp.issubdtype(x.dtype, jnp.integer):
        x = x.astype(np.int64)
    # cumulative product, as torch computes it (x^0 = 1, x^k = x^(k-1) * x)
    cols = [jnp.ones_like(x)]
    for _ in range(1, N):
        cols.append(cols[-1] * x)
    return jnp.stack(cols, axis=-1)


def _linalg_diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    from . import api

    return api.diagonal(A, offset, dim1, dim2)


register_function("diagonal", _linalg_diagonal, ns="linalg")


# ------------------------------------------------------------------ einsum


def _parse_subscripts(s, pos0=0):
    """Labels of one operand's subscripts: ints 0..51 (A-Z, a-z) and 'ell' for an ellipsis."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == ".":
            if s[i : i + 3] != "...":
                raise RuntimeError("einsum(): found '.' for operand 0 that is not part of any ellipsis")
            out.append("ell")
            i += 3
            continue
        if c == " ":
            i += 1
            continue
        if "A" <= c <= "Z":
            out.append(ord(c) - ord("A"))
        elif "a" <= c <= "z":
            out.append(ord(c) - ord("a") + 26)
        else:
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {pos0 + i} in the equation string, subscripts must "
                "be in [a-zA-Z]"
            )
        i += 1
    return out


def _label_char(lab):
    return chr(ord("A") + lab) if lab < 26 else chr(ord("a") + lab - 26)


def _einsum_parse_string(eq, nops):
    if "->" in eq:
        lhs, rhs = eq.split("->", 1)
    else:
        lhs, rhs = eq, None
    terms = lhs.split(",")
    if len(terms) > nops:
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < nops:
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    subs = []
    pos = 0
    for t in terms:
        subs.append(_parse_subscripts(t, pos))
        pos += len(t) + 1
    out = _parse_subscripts(rhs, len(lhs) + 2) if rhs is not None else None
    return subs, out


def _sublist_labels(sub):
    out = []
    for x in sub:
        if x is Ellipsis:
            out.append("ell")
        else:
            x = int(x)
            if not 0 <= x < 52:
                raise RuntimeError("einsum(): subscript in subscript list is not within the valid range [0, 52)")
            out.append(x)
    return out


def _einsum_spec(subs, out, shapes):
    """Validate and build the static einsum plan: per-operand label lists with ellipsis dims expanded."""
    ell_n = 0
    for i, (s, shp) in enumerate(zip(subs, shapes)):
        nlab = sum(1 for x in s if x != "ell")
        has_ell = "ell" in s
        if s.count("ell") > 1:
            raise RuntimeError(f"einsum(): found '.' for operand {i} for which an ellipsis was already found")
        if (has_ell and nlab > len(shp)) or (not has_ell and nlab != len(shp)):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({nlab}) "
                + ("is more than" if has_ell else "does not match")
                + f" the number of dimensions ({len(shp)}) for operand {i}"
                + ("" if has_ell else " and no ellipsis was given")
            )
        if has_ell:
            ell_n = max(ell_n, len(shp) - nlab)
    # ellipsis dims get labels 52.. (right-aligned)
    ell_labels = list(range(52, 52 + ell_n))
    full = []
    for s, shp in zip(subs, shapes):
        if "ell" in s:
            k = len(shp) - (len(s) - 1)
            i = s.index("ell")
            full.append(s[:i] + ell_labels[ell_n - k :] + s[i + 1 :])
        else:
            full.append(list(s))
    counts = {}
    for f in full:
        for lab in f:
            counts[lab] = counts.get(lab, 0) + 1
    if out is None:
        out_full = ell_labels + sorted(lab for lab, c in counts.items() if c == 1 and lab < 52)
    else:
        seen = set()
        out_full = []
        for lab in out:
            if lab == "ell":
                if "ell" in seen:
                    raise RuntimeError("einsum(): found '.' for output but an ellipsis (...) was already found")
                seen.add("ell")
                out_full += ell_labels
                continue
            if lab in seen:
                raise RuntimeError(
                    f"einsum(): output subscript {_label_char(lab)} appears more than once in the output"
                )
            if lab not in counts:
                raise RuntimeError(
                    f"einsum(): output subscript {_label_char(lab)} does not appear in the equation for any input "
                    "operand"
                )
            seen.add(lab)
            out_full.append(lab)
    # sizes: repeated labels within an operand must match; across operands they broadcast
    sizes = {}
    for i, (f, shp) in enumerate(zip(full, shapes)):
        local = {}
        for lab, n in zip(f, shp):
            if lab in local and local[lab] != n:
                raise RuntimeError(
                    f"einsum(): subscript {_label_char(lab)} is repeated for operand {i} but the sizes don't match, "
                    f"{n} != {local[lab]}"
                )
            local[lab] = n
        for lab, n in local.items():
            prev = sizes.get(lab)
            if prev is None or prev == 1:
                sizes[lab] = n
            elif n != 1 and n != prev:
                if lab >= 52:
                    raise RuntimeError(
                        f"einsum(): operands do not broadcast with remapped shapes (original->remapped): "
                        f"{_shape_str(shp)}"
                    )
                raise RuntimeError(
                    f"einsum(): subscript {_label_char(lab)} has size {n} for operand {i} which does not broadcast "
                    f"with previously seen size {prev}"
                )
    return tuple(tuple(f) for f in full), tuple(out_full), tuple(sorted(sizes.items()))


@op("_einsum(Tensor[] operands, Any spec) -> Tensor", namespace="_blas", promote="none", out=False,
    grad="ViewBackward0")
def _einsum_fn(operands, spec):
    full, out_full, sizes, presum = spec
    sizes = dict(sizes)
    ops = []
    subs = []
    for x, f, ps in zip(operands, full, presum):
        # broadcast size-1 dims to the common size
        tgt = tuple(sizes[lab] for lab in f)
        if tuple(x.shape) != tgt:
            x = jnp.broadcast_to(x, tgt)
        if ps:
            x = x.astype(np.int64) if (jnp.issubdtype(x.dtype, jnp.integer) or x.dtype == np.bool_) else x
        ops.append(x)
        subs.append(list(f))
    dt = ops[0].dtype
    for x in ops[1:]:
        dt = jnp.promote_types(dt, x.dtype)
    if dt == np.bool_:
        ops = [x.astype(np.int64) for x in ops]
        args = [a for pair in zip(ops, subs) for a in pair]
        return jnp.einsum(*args, list(out_full)) != 0
    ops = [x.astype(dt) for x in ops]
    args = [a for pair in zip(ops, subs) for a in pair]
    kw = {"preferred_element_type": jnp.float32} if dt in (jnp.float16, jnp.bfloat16) else {}
    r = jnp.einsum(*args, list(out_full), precision=HI, **kw)
    return r.astype(dt)


def einsum(*args):
    """torch.einsum(equation, *operands) or torch.einsum(op0, sublist0, op1, sublist1, ..., [sublist_out])."""
    if not args:
        raise TypeError(
            "einsum(): must specify the equation string and at least one operand, or at least one operand and its "
            "subscripts list"
        )
    if isinstance(args[0], str):
        eq = args[0]
        ops = list(args[1:])
        if len(ops) == 1 and isinstance(ops[0], (list, tuple)):
            ops = list(ops[0])
        if not ops:
            raise RuntimeError("einsum(): must provide at least one operand")
        for i, t in enumerate(ops):
            if not isinstance(t, Tensor):
                raise TypeError(f"einsum(): expected Tensor as element {i} in argument 1, but got {type(t).__name__}")
        subs, out = _einsum_parse_string(eq, len(ops))
    else:
        ops, subs = [], []
        rest = list(args)
        while len(rest) >= 2 and isinstance(rest[0], Tensor):
            ops.append(rest.pop(0))
            subs.append(_sublist_labels(rest.pop(0)))
        out = _sublist_labels(rest.pop(0)) if rest else None
        if rest or not ops:
            raise TypeError("einsum(): expected operand/sublist pairs followed by an optional output sublist")
    full, out_full, sizes = _einsum_spec(subs, out, [tuple(t.shape) for t in ops])
    # labels summed away inside one operand (integer inputs then sum in int64, as torch does)
    counts = {}
    for f in full:
        for lab in set(f):
            counts[lab] = counts.get(lab, 0) + 1
    presum = tuple(any(counts[lab] == 1 and lab not in out_full for lab in f) for f in full)
    dts = []
    for t, ps in zip(ops, presum):
        d = t.dtype
        if ps and (d._cat <= D._INT):
            d = D.int64
        dts.append(d)
    if len(ops) > 1:
        left = set(full[0])
        dl = dts[0]
        for f, d in zip(full[1:], dts[1:]):
            contracted = any(lab in left and lab not in out_full for lab in f)
            if contracted:
                if d is not dl:
                    raise RuntimeError(f"expected scalar type {sname(dl)} but found {sname(d)}")
                _no_bool_uint("bmm", dl)
            else:
                dl = D.promote_types(dl, d)
            left |= set(f)
    return _einsum_fn(ops, (full, out_full, sizes, presum))


register_function("einsum", einsum)


# ------------------------------------------------------------------ cdist


def _pdist_p(diff, p):
    """||diff||_p over the last axis with torch's gradient conventions (zero at zero distance)."""
    a = jnp.abs(diff)
    if p == 0:
        return jnp.sum((a != 0).astype(diff.dtype), axis=-1)
    if p == math.inf:
        return jnp.max(a, axis=-1) if a.shape[-1] else jnp.zeros(a.shape[:-1], a.dtype)
    if p == 1:
        return jnp.sum(a, axis=-1)
    if p == 2:
        s = jnp.sum(a * a, axis=-1)
        safe = jnp.where(s == 0, jnp.ones_like(s), s)
        return jnp.where(s == 0, jnp.zeros_like(s), jnp.sqrt(safe))
    s = jnp.sum(a**p, axis=-1)
    safe = jnp.where(s == 0, jnp.ones_like(s), s)
    return jnp.where(s == 0, jnp.zeros_like(s), safe ** (1.0 / p))


def _check_cdist(x1, x2, p=2.0, compute_mode=None):
    if not _is_t(x1, x2):
        return
    if x1.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.dim()}D")
    if x2.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {x2.dim()}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
    if not x1.dtype.is_floating_point:
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {sname(x1.dtype)}")
    if not x2.dtype.is_floating_point:
        raise RuntimeError(f"cdist only supports floating-point dtypes, X2 got: {sname(x2.dtype)}")
    if not p >= 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if compute_mode not in (None, "use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                            "donot_use_mm_for_euclid_dist"):
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    err = R.broadcast_error(list(x1.shape[:-2]), list(x2.shape[:-2]))
    if err is not None:
        raise err


@op("cdist(Tensor x1, Tensor x2, float p=2., str? compute_mode=None) -> Tensor", promote="none",
    check=_check_cdist, out=False)
def cdist(x1, x2, p, compute_mode):
    p = float(p)
    batch = jnp.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    a = jnp.broadcast_to(x1, batch + x1.shape[-2:])
    b = jnp.broadcast_to(x2, batch + x2.shape[-2:])
    r1, r2 = a.shape[-2], b.shape[-2]
    use_mm = p == 2 and (
        compute_mode == "use_mm_for_euclid_dist"
        or (compute_mode in (None, "use_mm_for_euclid_dist_if_necessary") and (r1 > 25 or r2 > 25))
    )
    if use_mm and a.shape[-1] > 0:
        # torch's _euclidean_dist: |x|^2 - 2 x.y + |y|^2 via one matmul, clamped at 0
        an = jnp.sum(a * a, axis=-1, keepdims=True)
        bn = jnp.sum(b * b, axis=-1, keepdims=True)
        a_ = jnp.concatenate([-2 * a, an, jnp.ones_like(an)], axis=-1)
        b_ = jnp.concatenate([b, jnp.ones_like(bn), bn], axis=-1)
        d2 = jnp.maximum(matmul_raw(a_, jnp.swapaxes(b_, -1, -2)), 0)
        safe = jnp.where(d2 == 0, jnp.ones_like(d2), d2)
        return jnp.where(d2 == 0, jnp.zeros_like(d2), jnp.sqrt(safe))
    diff = a[..., :, None, :] - b[..., None, :, :]
    return _pdist_p(diff, p)


# ------------------------------------------------------------------ cov / corrcoef


def _check_cov(input, correction=1, fweights=None, aweights=None):
    if not isinstance(input, Tensor):
        return
    if input.dim() > 2:
        raise RuntimeError(
            f"cov(): expected input to have two or fewer dimensions but got an input with {input.dim()} dimensions"
        )
    n_obs = input.shape[-1] if input.dim() > 0 else 1
    if fweights is not None:
        if fweights.dim() > 1:
            raise RuntimeError(
                "cov(): expected fweights to have one or fewer dimensions but got fweights with "
                f"{fweights.dim()} dimensions"
            )
        if fweights.dtype.is_floating_point or fweights.dtype.is_complex or fweights.dtype is D.bool:
            raise RuntimeError(
                f"cov(): expected fweights to have integral dtype but got fweights with {sname(fweights.dtype)} dtype"
            )
        if fweights.numel() != n_obs:
            raise RuntimeError(
                f"cov(): expected fweights to have the same numel as there are observations in the input but got "
                f"{fweights.numel()} != {n_obs}"
            )
        fv = fweights._v()
        if not isinstance(fv, jax.core.Tracer) and builtins.bool(jnp.any(fv < 0)):
            raise RuntimeError("cov(): fweights cannot be negative")
    if aweights is not None:
        if aweights.dim() > 1:
            raise RuntimeError(
                "cov(): expected aweights to have one or fewer dimensions but got aweights with "
                f"{aweights.dim()} dimensions"
            )
        if not aweights.dtype.is_floating_point:
            raise RuntimeError(
                "cov(): expected aweights to have floating point dtype but got aweights with "
                f"{sname(aweights.dtype)} dtype"
            )
        if aweights.numel() != n_obs:
            raise RuntimeError(
                f"cov(): expected aweights to have the same numel as there are observations in the input but got "
                f"{aweights.numel()} != {n_obs}"
            )
        av = aweights._v()
        if not isinstance(av, jax.core.Tracer) and builtins.bool(jnp.any(av < 0)):
            raise RuntimeError("cov(): aweights cannot be negative")
    if fweights is None and aweights is None and n_obs - correction <= 0:
        warnings.warn(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of observations.",
            UserWarning,
            stacklevel=3,
        )
    ws = [w._v() for w in (fweights, aweights) if w is not None]
    if ws and not any(isinstance(v, jax.core.Tracer) for v in ws):
        prod = ws[0] if len(ws) == 1 else ws[0] * ws[1]
        if builtins.bool(jnp.sum(prod) == 0):
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")


def _rt(*operands):
    """torch.result_type over jax arrays given as (array, ndim) pairs (0-dim ones promote by category)."""
    return D.result_dtype([(D._FROM_NP[np.dtype(x.dtype)], nd) for x, nd in operands])._np


def _binop(op_, a, b):
    """a (op) b with torch's promotion (both operands as tensors of their own rank)."""
    dt = _rt((a, a.ndim), (b, b.ndim))
    if op_ == "/" and not jnp.issubdtype(dt, jnp.inexact):
        dt = D.get_default_dtype()._np
    a, b = a.astype(dt), b.astype(dt)
    return {"*": a * b, "-": a - b, "/": a / b}[op_]


def _cov_impl(x, correction, fw, aw):
    """torch's cov, step by step with its intermediate dtypes (weights keep their own precision)."""
    if x.ndim < 2:
        x = x.reshape(1, -1)
    n = x.shape[1]
    w = fw
    if aw is not None:
        w = aw if w is None else _binop("*", w, aw)
    if w is None:
        w_sum = jnp.asarray(n, np.int64)
    else:
        w_sum = jnp.sum(w.astype(np.int64) if jnp.issubdtype(w.dtype, jnp.integer) else w)
    xw = x if w is None else _binop("*", x, w)
    if jnp.issubdtype(xw.dtype, jnp.integer) or xw.dtype == np.bool_:
        xw = xw.astype(np.int64)
    avg = _binop("/", jnp.sum(xw, axis=1), w_sum)
    if w is not None and aw is not None and correction != 0:
        norm = _binop("-", w_sum, _binop("/", _binop("*", jnp.asarray(correction, np.int64),
                                                     jnp.sum(_binop("*", w, aw))), w_sum))
    else:
        norm = _binop("-", w_sum, jnp.asarray(correction, np.int64))
    norm = jnp.where(norm <= 0, jnp.zeros_like(norm), norm)
    xc = _binop("-", x, avg[:, None])
    xcw = xc if w is None else _binop("*", xc, w)
    dt = jnp.promote_types(xc.dtype, xcw.dtype)
    c = matmul_raw(xc.astype(dt), jnp.conj(xcw.astype(dt)).T)
    return jnp.squeeze(_binop("/", c, norm))


@op("cov(Tensor input, *, int correction=1, Tensor? fweights=None, Tensor? aweights=None) -> Tensor",
    method=True, promote="none", check=_check_cov, out=False, grad="SqueezeBackward0")
def cov(input, correction, fweights, aweights):
    return _cov_impl(input, correction, fweights, aweights)


def _check_corrcoef(input):
    if isinstance(input, Tensor) and input.dim() > 2:
        raise RuntimeError(
            f"corrcoef(): expected input to have two or fewer dimensions but got an input with {input.dim()} dimensions"
        )


@op("corrcoef(Tensor input) -> Tensor", method=True, promote="none", check=_check_corrcoef, out=False,
    grad="ClampBackward1")
def corrcoef(input):
    c = _cov_impl(input, 1, None, None)
    if c.ndim == 0:
        return c / c
    d = jnp.diagonal(c)
    if jnp.issubdtype(c.dtype, jnp.complexfloating):
        sd = jnp.sqrt(jnp.real(d))
        c = c / sd[:, None]
        c = c / sd[None, :]
        return lax.complex(jnp.clip(jnp.real(c), -1, 1), jnp.clip(jnp.imag(c), -1, 1))
    sd = jnp.sqrt(d)
    c = c / sd[:, None]
    c = c / sd[None, :]
    return jnp.clip(c, -1, 1)


# torch's matmul-family kernels require out= to have the result's exact dtype
for _name in ("mm", "bmm", "mv", "dot", "vdot", "matmul", "addmm", "addbmm", "baddbmm", "addmv", "cross"):
    strict_out("", _name)
for _ns, _name in (("", "tensordot"), ("", "inner")):
    strict_out(_ns, _name, lambda rd, od: (
        f"tensordot: Expected the output tensor to have dtype {sname(rd)}, but got an output tensor with dtype "
        f"{sname(od)}"))
strict_out("linalg", "matmul")
strict_out("linalg", "cross")
strict_out("linalg", "vecdot", lambda rd, od: f"linalg.vecdot: Expected out of dtype{sname(rd)} but found {sname(od)}")
for _ns, _name in (("linalg", "multi_dot"), ("", "chain_matmul")):
    strict_out(_ns, _name,
               lambda rd, od: f"multi_dot(): expected out tensor to have dtype {cname(rd)} but got {cname(od)}")


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


_inplace_front("addmm_", lambda s, m1, m2, *a: (m1.shape[0], m2.shape[-1])
               if _tshape(m1, m2) and m1.dim() == 2 and m2.dim() == 2 else None)
_inplace_front("addmv_", lambda s, m, v, *a: (m.shape[0],) if _tshape(m, v) and m.dim() == 2 else None)
_inplace_front("baddbmm_", lambda s, b1, b2, *a: (b1.shape[0], b1.shape[1], b2.shape[-1])
               if _tshape(b1, b2) and b1.dim() == 3 and b2.dim() == 3 else None)
_inplace_front("addr_", lambda s, v1, v2, *a: (v1.shape[0], v2.shape[0])
               if _tshape(v1, v2) and v1.dim() == 1 and v2.dim() == 1 else None)
