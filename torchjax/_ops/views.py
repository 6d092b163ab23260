"""View ops: results share the input's storage (torch's view semantics and stride rules).

Each op gives its layout (``meta``: shape, strides, storage offset computed exactly as ATen
does) and its value as a jax function of the input's value; the registry makes the output a
view of the same storage and records the op's node (``ViewBackward0``, ``TransposeBackward0`` ...).
"""

from __future__ import annotations

import math
import warnings

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .. import _storage as S
from .._tensor import Tensor, wrap_dim
from ._registry import composite, override_method, register_method, view_op


def _dims(t: Tensor):
    return tuple(t._shape), tuple(t.stride()), t._offset


# ------------------------------------------------------------------ view / reshape


def infer_size(shape, numel: int):
    """Resolve one -1 in ``shape`` (torch's infer_size, with its errors)."""
    shape = list(shape)
    infer = None
    prod = 1
    for i, s in enumerate(shape):
        if s == -1:
            if infer is not None:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif s < 0:
            raise RuntimeError(f"invalid shape dimension {s}")
        else:
            prod *= s
    if infer is not None:
        if prod == 0 or numel % prod != 0:
            if prod == 0 and numel == 0:
                raise RuntimeError(
                    f"cannot reshape tensor of 0 elements into shape {_shape_str(shape)} because the "
                    "unspecified dimension size -1 can be any value and is ambiguous"
                )
            raise RuntimeError(f"shape '{_shape_str(shape)}' is invalid for input of size {numel}")
        shape[infer] = numel // prod
    elif prod != numel:
        raise RuntimeError(f"shape '{_shape_str(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def compute_stride(oldshape, oldstride, newshape):
    """ATen's computeStride: strides for viewing (oldshape, oldstride) as newshape, or None."""
    if not oldshape:
        return (1,) * len(newshape)
    numel = math.prod(oldshape)
    if numel == 0 and tuple(oldshape) == tuple(newshape):
        return tuple(oldstride)
    newstride = [0] * len(newshape)
    if numel == 0:
        for d in range(len(newshape) - 1, -1, -1):
            newstride[d] = 1 if d == len(newshape) - 1 else max(newshape[d + 1], 1) * newstride[d + 1]
        return tuple(newstride)
    view_d = len(newshape) - 1
    chunk_base_stride = oldstride[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(oldshape) - 1, -1, -1):
        tensor_numel *= oldshape[tensor_d]
        if tensor_d == 0 or (
            oldshape[tensor_d - 1] != 1 and oldstride[tensor_d - 1] != tensor_numel * chunk_base_stride
        ):
            while view_d >= 0 and (view_numel < tensor_numel or newshape[view_d] == 1):
                newstride[view_d] = view_numel * chunk_base_stride
                view_numel *= newshape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = oldstride[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(newstride)


def _view_meta(t, size):
    shape = infer_size(size, t.numel())
    stride = compute_stride(t._shape, t.stride(), shape)
    if stride is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one dimension "
            "spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return shape, stride, t._offset


def _view_value(x, size):
    return x.reshape(infer_size(size, x.size))


@view_op("view(Tensor(a) self, int[] *size) -> Tensor(a)", method=True, function=False, meta=_view_meta,
         grad="ViewBackward0")
def _view_shape(x, size):
    return _view_value(x, size)


_view_by_shape = Tensor.view


def view(self, *args, **kwargs):
    """Tensor.view(*shape) or Tensor.view(dtype)."""
    if len(args) == 1 and isinstance(args[0], D.dtype) or "dtype" in kwargs:
        return view_dtype(self, args[0] if args else kwargs["dtype"])
    return _view_by_shape(self, *args, **kwargs)


override_method("view", view)


def view_dtype(self, dtype: D.dtype):
    """Tensor.view(dtype): same-size dtypes reinterpret the bits; others reshape the last dim."""
    if dtype is self._dtype:
        return _alias_view(self)
    a, b = self._dtype.itemsize, dtype.itemsize
    if a != b:
        if self.dim() == 0:
            raise RuntimeError(
                "self.dim() cannot be 0 to view " + str(self._dtype) + " as " + str(dtype) + " (different element sizes)"
            )
        if self.stride(-1) != 1:
            raise RuntimeError(
                "self.stride(-1) must be 1 to view " + str(self._dtype) + " as " + str(dtype) + " (different element sizes), but got " + str(self.stride(-1))
            )
        if b > a and (self._shape[-1] * a) % b:
            raise RuntimeError(
                f"self.size(-1) must be divisible by {b // a} to view {self._dtype} as {dtype} (different element sizes), but got {self._shape[-1]}"
            )
    from .copy import bitcast

    return bitcast(self, dtype)


def _alias_meta(t):
    return _dims(t)


@view_op("alias(Tensor(a) self) -> Tensor(a)", method=False, function=False, meta=_alias_meta, grad="AliasBackward0")
def _alias(x):
    return x


_alias_view = _alias


def _reshape(self, shape):
    shape = infer_size(shape, self.numel())
    if compute_stride(self._shape, self.stride(), shape) is not None:
        return _view_by_shape(self, shape)
    from .copy import _unsafe_view, clone

    return _unsafe_view(clone(self, memory_format=_contig()), shape)


def _contig():
    from .._memory_format import contiguous_format

    return contiguous_format


@composite("reshape(Tensor(a) self, int[] *shape) -> Tensor(a)", method=True)
def reshape(self, shape):
    return _reshape(self, shape)


@composite("reshape_as(Tensor(a) self, Tensor other) -> Tensor(a)", method=True, function=False)
def reshape_as(self, other):
    return _reshape(self, other.shape)


@composite("view_as(Tensor(a) self, Tensor other) -> Tensor(a)", method=True, function=False)
def view_as(self, other):
    return _view_by_shape(self, other.shape)


@composite("flatten(Tensor(a) input, int start_dim=0, int end_dim=-1) -> Tensor(a)", method=True)
def flatten(input, start_dim, end_dim):
    nd = input.dim()
    s = wrap_dim(start_dim, nd)
    e = wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if nd == 0:
        return _reshape(input, (1,))
    if s == e:
        return input
    shape = input._shape[:s] + (math.prod(input._shape[s : e + 1]),) + input._shape[e + 1 :]
    return _reshape(input, shape)


@composite("ravel(Tensor(a) input) -> Tensor(a)", method=True)
def ravel(input):
    return _reshape(input.contiguous(), (-1,))


def _unflatten_meta(t, dim, sizes):
    d = wrap_dim(dim, t.dim())
    sizes = tuple(sizes)
    if len(sizes) == 0:
        raise RuntimeError("unflatten: sizes must be non-empty")
    n = t._shape[d]
    if -1 in sizes:
        known = math.prod(s for s in sizes if s != -1)
        if sizes.count(-1) > 1 or known == 0 or n % known:
            raise RuntimeError(
                f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} ({n}) in the input tensor"
            )
        sizes = tuple(n // known if s == -1 else s for s in sizes)
    if math.prod(sizes) != n:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} ({n}) in the input tensor"
        )
    shape = t._shape[:d] + sizes + t._shape[d + 1 :]
    return _view_meta(t, shape)


@view_op("unflatten(Tensor(a) input, int dim, int[] sizes) -> Tensor(a)", method=True, meta=_unflatten_meta,
         grad="ViewBackward0")
def unflatten(x, dim, sizes):
    d = dim % x.ndim
    n = x.shape[d]
    if -1 in sizes:
        known = math.prod(s for s in sizes if s != -1)
        sizes = tuple(n // known if s == -1 else s for s in sizes)
    return x.reshape(x.shape[:d] + tuple(sizes) + x.shape[d + 1 :])


# ------------------------------------------------------------------ transpose / permute


def _transpose_meta(t, dim0, dim1):
    nd = t.dim()
    a, b = wrap_dim(dim0, nd), wrap_dim(dim1, nd)
    shape, stride, off = list(t._shape), list(t.stride()), t._offset
    if nd:
        shape[a], shape[b] = shape[b], shape[a]
        stride[a], stride[b] = stride[b], stride[a]
    return tuple(shape), tuple(stride), off


def _swap(x, dim0, dim1):
    if x.ndim == 0:
        return x
    return jnp.swapaxes(x, dim0, dim1)


@view_op("transpose(Tensor(a) input, int dim0, int dim1) -> Tensor(a)", method=True, meta=_transpose_meta,
         grad="TransposeBackward0")
def transpose(x, dim0, dim1):
    return _swap(x, dim0, dim1)


@view_op("swapaxes(Tensor(a) input, int axis0, int axis1) -> Tensor(a)", method=True, meta=_transpose_meta,
         grad="TransposeBackward0")
def swapaxes(x, axis0, axis1):
    return _swap(x, axis0, axis1)


@view_op("swapdims(Tensor(a) input, int dim0, int dim1) -> Tensor(a)", method=True, meta=_transpose_meta,
         grad="TransposeBackward0")
def swapdims(x, dim0, dim1):
    return _swap(x, dim0, dim1)


def _t_meta(t):
    if t.dim() > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {t.dim()}D")
    return _transpose_meta(t, 0, -1) if t.dim() == 2 else _dims(t)


@view_op("t(Tensor(a) input) -> Tensor(a)", method=True, meta=_t_meta, grad="TBackward0")
def t(x):
    return x.T if x.ndim == 2 else x


def _permute_dims(nd, dims):
    if len(dims) != nd:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length "
            f"of the desired ordering of dimensions i.e. input.dim() = {nd} is not equal to len(dims) = {len(dims)}"
        )
    w = tuple(wrap_dim(d, nd) for d in dims)
    if len(set(w)) != len(w):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return w


def _permute_meta(t, dims):
    w = _permute_dims(t.dim(), dims)
    st = t.stride()
    return tuple(t._shape[d] for d in w), tuple(st[d] for d in w), t._offset


@view_op("permute(Tensor(a) input, int[] *dims) -> Tensor(a)", method=True, meta=_permute_meta,
         grad="PermuteBackward0")
def permute(x, dims):
    return jnp.transpose(x, tuple(d % max(x.ndim, 1) for d in dims)) if x.ndim else x


def _movedim_perm(nd, source, destination):
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain the "
            f"same number of dims as destination ({list(dst)} dims)"
        )
    src = tuple(wrap_dim(d, nd) for d in src)
    dst = tuple(wrap_dim(d, nd) for d in dst)
    if len(set(src)) != len(src):
        raise RuntimeError(f"movedim: repeated dim in `source` ({list(src)})")
    if len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(dst)})")
    order = [None] * nd
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(d for d in range(nd) if d not in src)
    return tuple(o if o is not None else next(rest) for o in order)


def _movedim_meta(t, source, destination):
    return _permute_meta(t, _movedim_perm(t.dim(), source, destination))


@view_op("movedim(Tensor(a) input, dim source, dim destination) -> Tensor(a)", method=True, meta=_movedim_meta,
         grad="PermuteBackward0")
def movedim(x, source, destination):
    return jnp.transpose(x, _movedim_perm(x.ndim, source, destination)) if x.ndim else x


@view_op("moveaxis(Tensor(a) input, dim source, dim destination) -> Tensor(a)", method=True, meta=_movedim_meta,
         grad="PermuteBackward0")
def moveaxis(x, source, destination):
    return jnp.transpose(x, _movedim_perm(x.ndim, source, destination)) if x.ndim else x


def _mT_meta(t):
    if t.dim() < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {t.dim()}-D tensor.")
    return _transpose_meta(t, -2, -1)


@view_op("mT(Tensor(a) self) -> Tensor(a)", function=False, meta=_mT_meta, grad="TransposeBackward0")
def _mT(x):
    return jnp.swapaxes(x, -2, -1)


def _T_meta(t):
    nd = t.dim()
    if nd != 2 and nd != 0:
        warnings.warn(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
            "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
            "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
            "tensor. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4314.)",
            UserWarning,
            stacklevel=4,
        )
    return _permute_meta(t, tuple(range(nd - 1, -1, -1)))


@view_op("T(Tensor(a) self) -> Tensor(a)", function=False, meta=_T_meta, grad="PermuteBackward0")
def _T(x):
    return jnp.transpose(x)


Tensor.mT = property(_mT)
Tensor.T = property(_T)
Tensor.mH = property(lambda self: self.mT.conj() if self.is_complex() else self.mT)
Tensor.H = property(lambda self: self.T.conj() if self.is_complex() else _H_check(self))


def _H_check(self):
    if self.dim() > 2:
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {self.dim()}-D tensor.")
    return self.T


def adjoint(self):
    """torch.adjoint: conjugate transpose of the last two dims."""
    return self.mH


# ------------------------------------------------------------------ squeeze / unsqueeze / expand


def _squeeze_dims(t, dim):
    nd = t.dim()
    if dim is None:
        return tuple(d for d in range(nd) if t._shape[d] == 1)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    w = {wrap_dim(d, nd) for d in dims}
    return tuple(d for d in sorted(w) if nd and t._shape[d] == 1)


def _squeeze_meta(t, dim=None):
    drop = set(_squeeze_dims(t, dim))
    st = t.stride()
    shape = tuple(n for d, n in enumerate(t._shape) if d not in drop)
    stride = tuple(s for d, s in enumerate(st) if d not in drop)
    return shape, stride, t._offset


@view_op("squeeze(Tensor(a) input, dim? dim=None) -> Tensor(a)", method=True, meta=_squeeze_meta,
         grad="SqueezeBackward0")
def squeeze(x, dim=None):
    if x.ndim == 0:
        return x
    if dim is None:
        return jnp.squeeze(x)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    w = sorted({d % x.ndim for d in dims})
    return jnp.squeeze(x, tuple(d for d in w if x.shape[d] == 1))


def _unsqueeze_meta(t, dim):
    nd = t.dim()
    d = wrap_dim(dim, nd + 1)
    shape = list(t._shape)
    stride = list(t.stride())
    new_stride = 1 if d >= nd else shape[d] * stride[d]
    shape.insert(d, 1)
    stride.insert(d, new_stride)
    return tuple(shape), tuple(stride), t._offset


@view_op("unsqueeze(Tensor(a) input, int dim) -> Tensor(a)", method=True, meta=_unsqueeze_meta,
         grad="UnsqueezeBackward0")
def unsqueeze(x, dim):
    return jnp.expand_dims(x, dim % (x.ndim + 1))


def _expand_shape(t_shape, size):
    size = tuple(size)
    nd = len(t_shape)
    if len(size) < nd:
        return None
    out = []
    for i, s in enumerate(size):
        j = i - (len(size) - nd)
        if j < 0:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a leading, non-existing dimension {i}")
            out.append(s)
        else:
            cur = t_shape[j]
            if s == -1:
                s = cur
            if cur != s and cur != 1:
                return ("err", s, cur, i)
            out.append(s)
    return tuple(out)


def _expand_meta(t, size):
    nd = t.dim()
    size = tuple(size)
    if len(size) < nd:
        raise RuntimeError(
            f"expand(torch.{t._dtype._legacy}{{[{', '.join(map(str, t._shape))}]}}, size=[{', '.join(map(str, size))}]): "
            f"the number of sizes provided ({len(size)}) must be greater or equal to the number of dimensions in the tensor ({nd})"
        )
    r = _expand_shape(t._shape, size)
    if r and r[0] == "err":
        _, s, cur, i = r
        raise RuntimeError(
            f"The expanded size of the tensor ({s}) must match the existing size ({cur}) at non-singleton "
            f"dimension {i}.  Target sizes: [{', '.join(map(str, size))}].  Tensor sizes: [{', '.join(map(str, t._shape))}]"
        )
    st = t.stride()
    stride = []
    for i, s in enumerate(r):
        j = i - (len(r) - nd)
        if j < 0 or (t._shape[j] == 1 and s != 1):
            stride.append(0)
        else:
            stride.append(st[j])
    return r, tuple(stride), t._offset


@view_op("expand(Tensor(a) self, int[] *size, *, bool implicit=False) -> Tensor(a)", method=True, function=False,
         meta=lambda t, size, implicit=False: _expand_meta(t, size), grad="ExpandBackward0")
def expand(x, size, implicit=False):
    return jnp.broadcast_to(x, _expand_shape(x.shape, size))


@composite("expand_as(Tensor(a) self, Tensor other) -> Tensor(a)", method=True, function=False)
def expand_as(self, other):
    return expand(self, other.shape)


@composite("broadcast_to(Tensor(a) input, int[] size) -> Tensor(a)", method=True)
def broadcast_to(input, size):
    return expand(input, size)


# ------------------------------------------------------------------ narrow / select / slice


def _slice_meta(t, dim, start, end, step):
    nd = t.dim()
    d = wrap_dim(dim, nd)
    n = t._shape[d]
    if step <= 0:
        raise ValueError("step must be greater than zero")
    start, end = _clamp_slice(start, end, n)
    length = max(0, (end - start + step - 1) // step)
    shape = list(t._shape)
    stride = list(t.stride())
    offset = t._offset + start * stride[d] if length else t._offset + start * stride[d]
    shape[d] = length
    stride[d] *= step
    return tuple(shape), tuple(stride), offset


def _clamp_slice(start, end, n):
    start = 0 if start is None else start
    end = n if end is None else end
    if start < 0:
        start += n
    if end < 0:
        end += n
    start = min(max(start, 0), n)
    end = min(max(end, start), n)
    return start, end


@view_op("slice(Tensor(a) self, int dim=0, int? start=None, int? end=None, int step=1) -> Tensor(a)",
         function=False, meta=_slice_meta, grad="SliceBackward0")
def slice_(x, dim=0, start=None, end=None, step=1):
    d = dim % x.ndim
    s, e = _clamp_slice(start, end, x.shape[d])
    return lax.slice_in_dim(x, s, max(e, s), step, d)


def _narrow_meta(t, dim, start, length):
    nd = t.dim()
    if nd == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, nd)
    n = t._shape[d]
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    if start < 0:
        start += n
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return _slice_meta(t, d, start, start + length, 1)


@view_op("narrow(Tensor(a) input, int dim, int start, int length) -> Tensor(a)", method=True,
         meta=_narrow_meta, grad="SliceBackward0")
def narrow(x, dim, start, length):
    d = dim % x.ndim
    if start < 0:
        start += x.shape[d]
    return lax.slice_in_dim(x, start, start + length, 1, d)


def _select_meta(t, dim, index):
    nd = t.dim()
    if nd == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, nd)
    n = t._shape[d]
    if not -n <= index < n:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size [{', '.join(map(str, t._shape))}] at dimension {dim}"
        )
    if index < 0:
        index += n
    st = t.stride()
    return (
        t._shape[:d] + t._shape[d + 1 :],
        st[:d] + st[d + 1 :],
        t._offset + index * st[d],
    )


@view_op("select(Tensor(a) input, int dim, int index) -> Tensor(a)", method=True, meta=_select_meta,
         grad="SelectBackward0")
def select(x, dim, index):
    d = dim % x.ndim
    return lax.index_in_dim(x, index % x.shape[d], d, keepdims=False)


def _unbind_meta(t, dim=0):
    d = wrap_dim(dim, t.dim())
    return [_select_meta(t, d, i) for i in range(t._shape[d])]


@view_op("unbind(Tensor(a) input, int dim=0) -> Tensor[]", method=True, meta=_unbind_meta, grad="UnbindBackward0")
def unbind(x, dim=0):
    d = dim % x.ndim
    return tuple(lax.index_in_dim(x, i, d, keepdims=False) for i in range(x.shape[d]))


def _split_sizes(n, split_size):
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={split_size}")
    if split_size == 0:
        if n != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        return [0]
    k = max(1, -(-n // split_size))
    return [min(split_size, n - i * split_size) for i in range(k)]


def _split_meta(t, sizes, dim):
    d = wrap_dim(dim, t.dim())
    out = []
    start = 0
    for s in sizes:
        out.append(_slice_meta(t, d, start, start + s, 1))
        start += s
    return out


def _split_value(x, sizes, dim):
    d = dim % x.ndim
    outs = []
    start = 0
    for s in sizes:
        outs.append(lax.slice_in_dim(x, start, start + s, 1, d))
        start += s
    return tuple(outs)


def _check_dim_0d(t, name):
    if t.dim() == 0:
        raise RuntimeError(f"{name} expects at least a 1-dimensional tensor")


def _split_size_meta(t, split_size, dim=0):
    _check_dim_0d(t, "split")
    d = wrap_dim(dim, t.dim())
    return _split_meta(t, _split_sizes(t._shape[d], split_size), d)


@view_op("split_size(Tensor(a) self, int split_size, int dim=0) -> Tensor[]", function=False,
         meta=_split_size_meta, grad="SplitBackward0")
def _split_by_size(x, split_size, dim=0):
    return _split_value(x, _split_sizes(x.shape[dim % x.ndim], split_size), dim)


def _split_with_sizes_meta(t, split_sizes, dim=0):
    _check_dim_0d(t, "split")
    d = wrap_dim(dim, t.dim())
    n = t._shape[d]
    if sum(split_sizes) != n or any(s < 0 for s in split_sizes):
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension {d}), "
            f"but got split_sizes=[{', '.join(map(str, split_sizes))}]"
        )
    return _split_meta(t, split_sizes, d)


@view_op("split_with_sizes(Tensor(a) self, int[] split_sizes, int dim=0) -> Tensor[]", method=True,
         meta=_split_with_sizes_meta, grad="SplitWithSizesBackward0")
def split_with_sizes(x, split_sizes, dim=0):
    return _split_value(x, split_sizes, dim)


def split(tensor, split_size_or_sections, dim=0):
    """torch.split: an int size (last piece smaller) or a list of sizes."""
    if isinstance(split_size_or_sections, (list, tuple)):
        return split_with_sizes(tensor, split_size_or_sections, dim)
    if isinstance(split_size_or_sections, Tensor):
        split_size_or_sections = split_size_or_sections.__index__()
    return _split_by_size(tensor, split_size_or_sections, dim)


def _chunk_sizes(n, chunks):
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    size = -(-n // chunks)
    return size


def chunk(input, chunks, dim=0):
    """torch.chunk: pieces of ceil(n / chunks) along dim (maybe fewer than ``chunks``)."""
    _check_dim_0d(input, "chunk")
    d = wrap_dim(dim, input.dim())
    size = _chunk_sizes(input._shape[d], chunks)
    if size == 0 and input._shape[d] == 0:
        return split_with_sizes(input, [0] * chunks, d)
    return _split_by_size(input, size, d)


def _tensor_split_meta(t, sections, indices, dim):
    d = wrap_dim(dim, t.dim())
    n = t._shape[d]
    if indices is None:
        bounds = _section_bounds(n, sections)
    else:
        bounds = _index_bounds(n, indices)
    return [_slice_meta(t, d, a, b, 1) for a, b in bounds]


def _section_bounds(n, sections):
    if sections <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
    q, r = divmod(n, sections)
    out = []
    start = 0
    for i in range(sections):
        size = q + (1 if i < r else 0)
        out.append((start, start + size))
        start += size
    return out


def _index_bounds(n, indices):
    out = []
    prev = 0
    for i in list(indices) + [n]:
        a, b = _clamp_slice(prev, i, n)
        out.append((a, max(a, b)))
        prev = i
    return out


@view_op("tensor_split_impl(Tensor(a) self, int sections, int[]? indices, int dim) -> Tensor[]", function=False,
         meta=_tensor_split_meta, grad="SliceBackward0")
def _tensor_split_impl(x, sections, indices, dim):
    d = dim % x.ndim
    n = x.shape[d]
    bounds = _section_bounds(n, sections) if indices is None else _index_bounds(n, indices)
    return tuple(lax.slice_in_dim(x, a, b, 1, d) for a, b in bounds)


def tensor_split(input, indices_or_sections, dim=0):
    """torch.tensor_split: n sections (first n % k one larger) or split points."""
    if input.dim() == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    ios = indices_or_sections
    if isinstance(ios, Tensor):
        if ios.dtype is not D.int64:
            raise RuntimeError(
                f"tensor_split expected tensor_indices_or_sections to have dtype of long, but got {ios.dtype._scalar_name}"
            )
        if ios.dim() > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, "
                f"but got a tensor with {ios.dim()} dims"
            )
        ios = ios.item() if ios.dim() == 0 else ios.tolist()
    if isinstance(ios, (list, tuple)):
        return _tensor_split_impl(input, 0, tuple(int(i) for i in ios), dim)
    return _tensor_split_impl(input, int(ios), None, dim)


def _hvd_split(name, dim_fn, min_dim):
    def f(input, indices_or_sections):
        if input.dim() < min_dim:
            raise RuntimeError(
                f"torch.{name} requires a tensor with at least {min_dim} dimension, but got a tensor with {input.dim()} dimensions!"
            )
        d = dim_fn(input)
        if isinstance(indices_or_sections, int):
            n = input._shape[d]
            if indices_or_sections == 0 or n % indices_or_sections:
                raise RuntimeError(
                    f"torch.{name} attempted to split along dimension {d}, but the size of the dimension {n} is "
                    f"not divisible by the split_size {indices_or_sections}!"
                )
        return tensor_split(input, indices_or_sections, d)

    f.__name__ = name
    f.__doc__ = f"torch.{name}."
    return f


hsplit = _hvd_split("hsplit", lambda t: 0 if t.dim() == 1 else 1, 1)
vsplit = _hvd_split("vsplit", lambda t: 0, 2)
dsplit = _hvd_split("dsplit", lambda t: 2, 3)


# ------------------------------------------------------------------ diagonal / unfold / as_strided


def _diag_geometry(shape, stride, offset, off, d1, d2):
    n1, n2 = shape[d1], shape[d2]
    if off >= 0:
        size = max(min(n1, n2 - off), 0)
    else:
        size = max(min(n1 + off, n2), 0)
    new_off = offset
    if size > 0:
        new_off += off * stride[d2] if off >= 0 else -off * stride[d1]
    keep = [d for d in range(len(shape)) if d not in (d1, d2)]
    return (
        tuple(shape[d] for d in keep) + (size,),
        tuple(stride[d] for d in keep) + (stride[d1] + stride[d2],),
        new_off,
    )


def _diagonal_meta(t, offset=0, dim1=0, dim2=1):
    nd = t.dim()
    a, b = wrap_dim(dim1, nd), wrap_dim(dim2, nd)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _diag_geometry(t._shape, t.stride(), t._offset, offset, a, b)


@view_op("diagonal(Tensor(a) input, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)", method=True,
         meta=_diagonal_meta, grad="DiagonalBackward0")
def diagonal(x, offset=0, dim1=0, dim2=1):
    return jnp.diagonal(x, offset, dim1 % x.ndim, dim2 % x.ndim)


def _unfold_meta(t, dimension, size, step):
    nd = t.dim()
    d = wrap_dim(dimension, nd) if nd else 0
    n = t._shape[d] if nd else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    st = t.stride()
    if nd == 0:
        return (size,), (1,), t._offset
    count = (n - size) // step + 1
    shape = t._shape[:d] + (count,) + t._shape[d + 1 :] + (size,)
    stride = st[:d] + (st[d] * step,) + st[d + 1 :] + (st[d],)
    return shape, stride, t._offset


@view_op("unfold(Tensor(a) self, int dimension, int size, int step) -> Tensor(a)", method=True, function=False,
         meta=_unfold_meta, grad="UnfoldBackward0")
def unfold(x, dimension, size, step):
    if x.ndim == 0:
        return x.reshape(1)
    d = dimension % x.ndim
    n = x.shape[d]
    count = (n - size) // step + 1
    idx = np.arange(count)[:, None] * step + np.arange(size)[None, :]
    g = jnp.take(x, jnp.asarray(idx.reshape(-1)), axis=d)
    g = g.reshape(x.shape[:d] + (count, size) + x.shape[d + 1 :])
    return jnp.moveaxis(g, d + 1, -1)


def _as_strided_meta(t, size, stride, storage_offset=None):
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape")
    off = t._offset if storage_offset is None else storage_offset
    if any(s < 0 for s in stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: " + str(list(stride)))
    if math.prod(size) and off + sum((n - 1) * s for n, s in zip(size, stride)) >= t._storage.size:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {off}, and itemsize "
            f"{t._dtype.itemsize} requiring a storage size of "
            f"{(off + sum((n - 1) * s for n, s in zip(size, stride)) + 1) * t._dtype.itemsize} are out of bounds "
            f"for storage of size {t._storage.size * t._dtype.itemsize}"
        )
    return size, stride, off


def as_strided(input, size, stride, storage_offset=None):
    """torch.as_strided: a view with an arbitrary layout on the input's storage."""
    from ..autograd import grad_mode
    from ..autograd import graph as G
    from .._tensor import make_view

    shape, st, off = _as_strided_meta(input, size, stride, storage_offset)
    out = make_view(input, shape, st, off)
    if grad_mode.state.enabled and input.requires_grad:
        # as a function of the input's own value: positions relative to the input's layout
        base = input._base if input._base is not None else input
        G.record(G.AsStridedSpec(G.RelView(base, out)), [base], (base._v(),), [out], set(), False)
    return out


register_method("as_strided", as_strided)


# ------------------------------------------------------------------ complex views


def _real_meta(t):
    return _complex_part_meta(t, 0)


def _imag_meta(t):
    if not t._dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _complex_part_meta(t, 1)


def _complex_part_meta(t, part):
    return _dims(t)


for _f in (split, chunk, tensor_split, hsplit, vsplit, dsplit, as_strided, adjoint):
    from ._registry import register_function

    register_function(_f.__name__, _f)
for _f in (split, chunk, tensor_split, hsplit, vsplit, dsplit):
    register_method(_f.__name__, _f)
register_method("adjoint", adjoint)
