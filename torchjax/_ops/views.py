"""View ops: results share the input's storage (torch's view semantics and stride rules).

Each op gives its layout (``meta``: shape, strides, storage offset computed exactly as ATen
does) and its value as a jax function of the input's value; the registry makes the output a
view of the same storage and records the op's node (``ViewBackward0``, ``TransposeBackward0`` ...).
"""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .. import _storage as S
from .._tensor import Tensor, make_view, wrap_dim
from . import _registry as R
from ._registry import composite, op, override_method, register_function, register_method, view_op


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
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {_shape_str(shape)}")
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
    """Tensor.view(dtype): reinterpret the storage's bytes (torch's checks, in its order).

    As in torch the result shares storage and version counter but is not an autograd view:
    ``_base`` is None and it never requires grad (view.dtype is not differentiable).
    """
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"view(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")
    a, b = self._dtype.itemsize, dtype.itemsize
    src, dst = self._dtype._scalar_name, dtype._scalar_name
    what = f"to view {src} as {dst} (different element sizes)"
    if a != b:
        if self.dim() == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if a > b:
            if self.stride(-1) != 1:
                raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {self.stride(-1)}")
        else:
            k = b // a
            if self._shape[-1] % k:
                raise RuntimeError(f"self.size(-1) must be divisible by {k} {what}, but got {self._shape[-1]}")
            if self._offset % k:
                raise RuntimeError(f"self.storage_offset() must be divisible by {k} {what}, but got {self._offset}")
            if self.stride(-1) != 1:
                raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {self.stride(-1)}")
            for i, st in enumerate(self.stride()[:-1]):
                if st % k:
                    raise RuntimeError(f"self.stride({i}) must be divisible by {k} {what}, but got {st}")
    if dtype is self._dtype:
        out = make_view(self, self._shape, self.stride(), self._offset)
    else:
        from .copy import bitcast

        out = bitcast(self, dtype)
    out._base = None
    return out


def _alias_meta(t):
    return _dims(t)


@view_op("alias(Tensor(a) self) -> Tensor(a)", method=False, function=False, meta=_alias_meta, grad="AliasBackward0")
def _alias(x):
    return x


def _viewer(name):
    """Call the view op registered as ``name`` with all its arguments (for internal callers)."""
    o = R.OPS[name]

    def f(*args):
        return R.call_view(o, args)

    f.__name__ = name
    return f


_alias_view = _viewer("alias")


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
    return _transpose_meta(t, -2, -1)


@view_op("_mT(Tensor(a) self) -> Tensor(a)", function=False, meta=_mT_meta, grad="TransposeBackward0")
def _mT_value(x):
    return jnp.swapaxes(x, -2, -1)


def _T_meta(t):
    return _permute_meta(t, tuple(range(t.dim() - 1, -1, -1)))


@view_op("_T(Tensor(a) self) -> Tensor(a)", function=False, meta=_T_meta, grad="PermuteBackward0")
def _T_value(x):
    return jnp.transpose(x)


_mT_view = _viewer("_mT")
_T_view = _viewer("_T")
_warned_once = set()


def _warn_once(key, msg):
    """torch's TORCH_WARN_ONCE: the first call in the process warns."""
    if key in _warned_once:
        return
    _warned_once.add(key)
    warnings.warn(msg, UserWarning, stacklevel=4)


def _conj(t):
    return t.conj() if t._dtype.is_complex else t


def _mT(self):
    if self.dim() < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {self.dim()}-D tensor.")
    return _mT_view(self)


def _T(self):
    nd = self.dim()
    if nd == 0:
        _warn_once("T0", "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases. "
                   "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4321.)")
    elif nd != 2:
        _warn_once("T", "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
                   "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
                   "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
                   "tensor. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4314.)")
    return _T_view(self)


def _mH(self):
    if self.dim() < 2:
        raise RuntimeError(f"tensor.mH is only supported on matrices or batches of matrices. Got {self.dim()}-D tensor.")
    return _conj(_mT_view(self))


def _H(self):
    nd = self.dim()
    if nd == 0:
        _warn_once("H0", "Tensor.H is deprecated on 0-D tensors. Consider using x.conj(). (Triggered internally at "
                   "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4335.)")
        return _conj(_T_view(self))
    if nd != 2:
        raise RuntimeError(
            f"tensor.H is only supported on matrices (2-D tensors). Got {nd}-D tensor."
            + (" For batches of matrices, consider using tensor.mH" if nd > 2 else "")
        )
    return _conj(_mT_view(self))


def adjoint(input):
    """torch.adjoint: conjugate transpose of the last two dims (a view)."""
    if input.dim() < 2:
        raise RuntimeError(
            f"tensor.adjoint() is only supported on matrices or batches of matrices. Got {input.dim()}-D tensor."
        )
    return _conj(_mT_view(input))


Tensor.mT = property(_mT)
Tensor.T = property(_T)
Tensor.mH = property(_mH)
Tensor.H = property(_H)


# ------------------------------------------------------------------ squeeze / unsqueeze / expand


def _squeeze_dims(t, dim):
    nd = t.dim()
    if dim is None:
        return tuple(d for d in range(nd) if t._shape[d] == 1)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    w = []
    for d in dims:
        x = wrap_dim(d, nd)
        if x in w:
            raise RuntimeError(f"dim {x} appears multiple times in the list of dims")
        w.append(x)
    return tuple(d for d in sorted(w) if nd and t._shape[d] == 1)


def _squeeze_meta(t, dim=None):
    drop = set(_squeeze_dims(t, dim))
    st = t.stride()
    shape = tuple(n for d, n in enumerate(t._shape) if d not in drop)
    stride = tuple(s for d, s in enumerate(st) if d not in drop)
    return shape, stride, t._offset


def _squeeze_value(x, dim=None):
    if x.ndim == 0:
        return x
    if dim is None:
        return jnp.squeeze(x)
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    w = sorted({d % x.ndim for d in dims})
    return jnp.squeeze(x, tuple(d for d in w if x.shape[d] == 1))


# torch has three overloads with three grad_fn names: squeeze(), squeeze(int), squeeze(int[])
@view_op("_squeeze(Tensor(a) input) -> Tensor(a)", function=False, meta=_squeeze_meta, grad="SqueezeBackward0")
def _squeeze_all(x):
    return _squeeze_value(x)


@view_op("_squeeze_dim(Tensor(a) input, int dim) -> Tensor(a)", function=False, meta=_squeeze_meta,
         grad="SqueezeBackward1")
def _squeeze_dim(x, dim):
    return _squeeze_value(x, dim)


@view_op("_squeeze_dims(Tensor(a) input, int[] dim) -> Tensor(a)", function=False, meta=_squeeze_meta,
         grad="SqueezeBackward2")
def _squeeze_dims_value(x, dim):
    return _squeeze_value(x, dim)


_squeeze_views = (_viewer("_squeeze"), _viewer("_squeeze_dim"), _viewer("_squeeze_dims"))
_NO_DIM = object()


def _squeeze_overload(name, input, dim):
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if dim is _NO_DIM:
        return 0, ()
    if isinstance(dim, (list, tuple)):
        return 2, (tuple(_as_int(d, name) for d in dim),)
    if isinstance(dim, Tensor) or (hasattr(dim, "__index__") and not isinstance(dim, float)):
        return 1, (_as_int(dim, name),)
    raise TypeError(
        f"{name}() received an invalid combination of arguments - got ({type(dim).__name__}), but expected one of:\n"
        " * ()\n * (int dim)\n * (tuple of ints dim)\n"
    )


def _as_int(v, name):
    if isinstance(v, float) or not hasattr(v, "__index__"):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(v).__name__}")
    return v.__index__()


def squeeze(input, dim=_NO_DIM):
    """torch.squeeze(input), squeeze(input, int dim), squeeze(input, tuple dims): a view."""
    k, args = _squeeze_overload("squeeze", input, dim)
    return _squeeze_views[k](input, *args)


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
    # ATen's inferExpandGeometry: new leading dims of size 1 get size * stride of the next dim
    st = t.stride()
    n = len(r)
    stride = [0] * n
    for i in range(n - 1, -1, -1):
        j = i - (n - nd)
        size = t._shape[j] if j >= 0 else 1
        s_ = st[j] if j >= 0 else (r[i + 1] * stride[i + 1] if i + 1 < n else 1)
        if size != r[i]:
            s_ = 0
        stride[i] = s_
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


@view_op("_narrow(Tensor(a) input, int dim, int start, int length) -> Tensor(a)", function=False,
         meta=_narrow_meta, grad="SliceBackward0")
def _narrow_value(x, dim, start, length):
    d = dim % x.ndim
    if start < 0:
        start += x.shape[d]
    return lax.slice_in_dim(x, start, start + length, 1, d)


_narrow_view = _viewer("_narrow")


def narrow(input, dim, start, length):
    """torch.narrow: ``length`` elements of ``dim`` from ``start`` (an int or a 0-dim integer tensor); a view."""
    if isinstance(start, Tensor) and (start.dim() != 0 or start._dtype.is_floating_point or start._dtype.is_complex
                                      or start._dtype is D.bool):
        raise RuntimeError("start must be an 0-dim integral Tensor.")
    return _narrow_view(input, dim, start, length)


register_function("narrow", narrow)
register_method("narrow", narrow)


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


def _split_size_value(x, split_size, dim=0):
    return _split_value(x, _split_sizes(x.shape[dim % x.ndim], split_size), dim)


def _split_with_sizes_meta(t, split_sizes, dim=0):
    _check_dim_0d(t, "split")
    d = wrap_dim(dim, t.dim())
    n = t._shape[d]
    sizes = ", ".join(map(str, split_sizes))
    if any(s < 0 for s in split_sizes):
        raise RuntimeError(
            f"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[{sizes}]"
        )
    if sum(split_sizes) != n:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension {dim}), "
            f"but got split_sizes=[{sizes}]"
        )
    return _split_meta(t, split_sizes, d)


@view_op("_split(Tensor(a) self, int split_size, int dim=0) -> Tensor[]", function=False,
         meta=_split_size_meta, grad="SplitBackward0")
def _split_by_size_value(x, split_size, dim=0):
    return _split_size_value(x, split_size, dim)


@view_op("split_with_sizes(Tensor(a) self, int[] split_sizes, int dim=0) -> Tensor[]", method=True,
         meta=_split_with_sizes_meta, grad="SplitWithSizesBackward0")
def split_with_sizes(x, split_sizes, dim=0):
    return _split_value(x, split_sizes, dim)


@view_op("_unsafe_split(Tensor(a) self, int split_size, int dim=0) -> Tensor[]", function=False,
         meta=_split_size_meta, grad="UnsafeSplitBackward0")
def _unsafe_split_value(x, split_size, dim=0):
    return _split_size_value(x, split_size, dim)


@view_op("_unsafe_split_with_sizes(Tensor(a) self, int[] split_sizes, int dim=0) -> Tensor[]", function=False,
         meta=_split_with_sizes_meta, grad="UnsafeSplitWithSizesBackward0")
def _unsafe_split_with_sizes_value(x, split_sizes, dim=0):
    return _split_value(x, split_sizes, dim)


_split_by_size = _viewer("_split")
_split_with_sizes = _viewer("split_with_sizes")
_unsafe_split_view = _viewer("_unsafe_split")
_unsafe_split_with_sizes_view = _viewer("_unsafe_split_with_sizes")


def _unsafe(outs):
    """torch's unsafe_* ops: the pieces share memory with the input but autograd does not treat
    them as views (no ``_base``, own version counters)."""
    for o in outs:
        o._base = None
        o._vc = S.VersionCounter()
    return outs


def _int_arg(v, opname, argname, pos, what="int"):
    if isinstance(v, Tensor):
        if v.numel() == 1 and not (v._dtype.is_floating_point or v._dtype.is_complex):
            return v.__index__()
    elif hasattr(v, "__index__") and not isinstance(v, float):
        return v.__index__()
    raise TypeError(f"{opname}(): argument '{argname}' (position {pos}) must be {what}, not {type(v).__name__}")


def _int_list_arg(v, opname, argname, pos):
    if isinstance(v, (list, tuple)):
        return tuple(_int_arg(x, opname, argname, pos, "tuple of ints") for x in v)
    raise TypeError(f"{opname}(): argument '{argname}' (position {pos}) must be tuple of ints, not {type(v).__name__}")


def split(tensor, split_size_or_sections, dim=0):
    """torch.split: an int size (last piece smaller) or a list of sizes."""
    ss = split_size_or_sections
    if isinstance(ss, Tensor) and ss.dim() == 0:
        ss = ss.__index__()
    if isinstance(ss, (list, tuple)) or isinstance(ss, Tensor) or isinstance(ss, float):
        return _split_with_sizes(tensor, _int_list_arg(ss, "split_with_sizes", "split_sizes", 2), dim)
    return _split_by_size(tensor, _int_arg(ss, "split", "split_size", 2), dim)


def unsafe_split(tensor, split_size, dim=0):
    """torch.unsafe_split: split whose pieces autograd does not track as views."""
    return _unsafe(_unsafe_split_view(tensor, _int_arg(split_size, "unsafe_split", "split_size", 2), dim))


def unsafe_split_with_sizes(tensor, split_sizes, dim=0):
    """torch.unsafe_split_with_sizes."""
    sizes = _int_list_arg(split_sizes, "unsafe_split_with_sizes", "split_sizes", 2)
    return _unsafe(_unsafe_split_with_sizes_view(tensor, sizes, dim))


def _chunk_sizes(input, chunks, dim):
    _check_dim_0d(input, "chunk")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, input.dim())
    n = input._shape[d]
    return -(-n // chunks), n


def chunk(input, chunks, dim=0):
    """torch.chunk: pieces of ceil(n / chunks) along dim (maybe fewer than ``chunks``)."""
    chunks = _int_arg(chunks, "chunk", "chunks", 2)
    size, n = _chunk_sizes(input, chunks, dim)
    if size == 0 and n == 0:
        return _split_with_sizes(input, (0,) * chunks, dim)
    return _split_by_size(input, size, dim)


def unsafe_chunk(input, chunks, dim=0):
    """torch.unsafe_chunk."""
    chunks = _int_arg(chunks, "unsafe_chunk", "chunks", 2)
    size, n = _chunk_sizes(input, chunks, dim)
    if size == 0 and n == 0:
        return _unsafe(_unsafe_split_with_sizes_view(input, (0,) * chunks, dim))
    return _unsafe(_unsafe_split_view(input, size, dim))


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


@view_op("_tensor_split(Tensor(a) self, int sections, int[]? indices, int dim) -> Tensor[]", function=False,
         meta=_tensor_split_meta, grad="SliceBackward0")
def _tensor_split_value(x, sections, indices, dim):
    d = dim % x.ndim
    n = x.shape[d]
    bounds = _section_bounds(n, sections) if indices is None else _index_bounds(n, indices)
    return tuple(lax.slice_in_dim(x, a, b, 1, d) for a, b in bounds)


_tensor_split_impl = _viewer("_tensor_split")
_NOARG = object()


def tensor_split(input, indices_or_sections=_NOARG, dim=0, *, sections=_NOARG, indices=_NOARG,
                 tensor_indices_or_sections=_NOARG):
    """torch.tensor_split: n sections (first n % k one larger) or split points."""
    given = [v for v in (indices_or_sections, sections, indices, tensor_indices_or_sections) if v is not _NOARG]
    if len(given) != 1:
        raise TypeError("tensor_split() missing required argument 'indices_or_sections'")
    ios = given[0]
    if input.dim() == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    if isinstance(ios, Tensor):
        if ios.device.type != "cpu":
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be on cpu, but it's on " + str(ios.device)
            )
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
    dim = _int_arg(dim, "tensor_split", "dim", 3)
    if isinstance(ios, (list, tuple)):
        return _tensor_split_impl(input, 0, _int_list_arg(ios, "tensor_split", "indices", 2), dim)
    return _tensor_split_impl(input, _int_arg(ios, "tensor_split", "sections", 2), None, dim)


def _hvd_split(name, dim_fn, min_dim):
    def f(input, indices_or_sections=_NOARG, *, sections=_NOARG, indices=_NOARG):
        given = [v for v in (indices_or_sections, sections, indices) if v is not _NOARG]
        if len(given) != 1:
            raise TypeError(f"{name}() missing required argument 'indices_or_sections'")
        ios = given[0]
        if input.dim() < min_dim:
            raise RuntimeError(
                f"torch.{name} requires a tensor with at least {min_dim} dimension, but got a tensor with {input.dim()} dimensions!"
            )
        d = dim_fn(input)
        if not isinstance(ios, (list, tuple)):
            ios = _int_arg(ios, name, "sections", 2)
            n = input._shape[d]
            if ios == 0 or n % ios:
                raise RuntimeError(
                    f"torch.{name} attempted to split along dimension {d}, but the size of the dimension {n} is "
                    f"not divisible by the split_size {ios}!"
                )
        return tensor_split(input, ios, d)

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
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
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
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError(
            "as_strided: Negative strides are not supported at the moment, got strides: " + _shape_str(stride)
        )
    off = t._offset if storage_offset is None else storage_offset
    if off < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {off}")
    if any(n < 0 for n in size):
        raise RuntimeError(
            f"Storage size calculation overflowed with sizes={_shape_str(size)} and strides={_shape_str(stride)}"
        )
    item = t._dtype.itemsize
    if math.prod(size):
        need = (off + sum((n - 1) * s for n, s in zip(size, stride)) + 1) * item
        if need > t._storage.nbytes:
            raise RuntimeError(
                f"setStorage: sizes {_shape_str(size)}, strides {_shape_str(stride)}, storage offset {off}, and "
                f"itemsize {item} requiring a storage size of {need} are out of bounds for storage of size "
                f"{t._storage.nbytes}"
            )
    return size, stride, off


class _AsStridedSpec:
    """as_strided as a function of its input's value (``AsStridedBackward0``).

    Storage elements the input does not cover come from ``flat`` (the storage, a constant);
    when the input is dense and holds every element the view reads, no storage is needed.
    """

    __slots__ = ("inp", "out", "dense", "_hash")
    name = "AsStridedBackward0"

    def __init__(self, inp, out, dense):
        self.inp = inp  # (shape, stride, offset) of the input in storage coordinates
        self.out = out
        self.dense = dense
        self._hash = hash(("as_strided", inp, out, dense))

    def __hash__(self):
        return self._hash

    def __eq__(self, o):
        return type(o) is _AsStridedSpec and (o.inp, o.out, o.dense) == (self.inp, self.out, self.dense)

    def fn(self, x, flat=None):
        shape, stride, off = self.out
        if self.dense:
            return (S.strided_read(x.reshape(-1), shape, stride, off - self.inp[2]),)
        ishape, istride, ioff = self.inp
        flat = S.strided_write(flat, ishape, istride, ioff, x)
        return (S.strided_read(flat, shape, stride, off),)


def _covers(t, shape, stride, off):
    """Is ``t`` contiguous and does it hold every storage element of the view (shape, stride, off)?"""
    if not t.is_contiguous():
        return False
    if not math.prod(shape):
        return True
    lo, hi = off, off + sum((n - 1) * s for n, s in zip(shape, stride))
    return t._offset <= lo and hi < t._offset + t.numel()


def as_strided(input, size, stride, storage_offset=None):
    """torch.as_strided: a view with an arbitrary layout on the input's storage."""
    from ..autograd import grad_mode
    from ..autograd import graph as G

    if not isinstance(input, Tensor):
        raise TypeError(f"as_strided(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    size = _int_list_arg(size if isinstance(size, (list, tuple)) else (size,), "as_strided", "size", 2)
    stride = _int_list_arg(stride if isinstance(stride, (list, tuple)) else (stride,), "as_strided", "stride", 3)
    if storage_offset is not None:
        storage_offset = _int_arg(storage_offset, "as_strided", "storage_offset", 4)
    shape, st, off = _as_strided_meta(input, size, stride, storage_offset)
    out = make_view(input, shape, st, off)
    if grad_mode.state.enabled and input.requires_grad and (input._dtype.is_floating_point or input._dtype.is_complex):
        inp = (tuple(input._shape), tuple(input.stride()), input._offset)
        if _covers(input, shape, st, off):
            G.record(_AsStridedSpec(inp, (shape, st, off), True), [input], (input._v(),), [out], set(), False)
        else:
            spec = _AsStridedSpec(inp, (shape, st, off), False)
            G.record(spec, [input, None], (input._v(), input._storage.flat()), [out], set(), False)
    elif not grad_mode.state.enabled:
        out._view_fn_gen = out._base._rebase_gen
    return out


register_method("as_strided", as_strided)


class _AsStridedInplaceSpec(_AsStridedSpec):
    __slots__ = ()
    name = "AsStridedBackward1"


def as_strided_(self, size, stride, storage_offset=None):
    """Tensor.as_strided_: give ``self`` a new layout on its storage (metadata only; AsStridedBackward1)."""
    from ..autograd import grad_mode
    from ..autograd import graph as G

    size = _int_list_arg(size if isinstance(size, (list, tuple)) else (size,), "as_strided_", "size", 1)
    stride = _int_list_arg(stride if isinstance(stride, (list, tuple)) else (stride,), "as_strided_", "stride", 2)
    if storage_offset is not None:
        storage_offset = _int_arg(storage_offset, "as_strided_", "storage_offset", 3)
    if grad_mode.state.enabled:
        R.check_inplace(self)
    shape, st, off = _as_strided_meta(self, size, stride, storage_offset)
    record = grad_mode.state.enabled and self.requires_grad and (self._dtype.is_floating_point or self._dtype.is_complex)
    inp = (tuple(self._shape), tuple(self.stride()), self._offset)
    dense = _covers(self, shape, st, off)
    before = self._v() if record else None
    flat = self._storage.flat() if record and not dense else None
    self._shape = tuple.__new__(type(self._shape), shape)
    self._stride_ = tuple(st)
    self._offset = off
    self._cache = None
    self._cache_gen = -1
    if record:
        spec = _AsStridedInplaceSpec(inp, (tuple(shape), tuple(st), off), dense)
        if dense:
            G.record(spec, [self], (before,), [self], set(), False)
        else:
            G.record(spec, [self, None], (before, flat), [self], set(), False)
        if self._base is not None:
            self._view_fn_gen = self._base._rebase_gen
    return self


register_method("as_strided_", as_strided_)


def _inplace_view(self, view_name, args, grad, opname):
    """t_, transpose_, squeeze_, unsqueeze_ ...: ``self`` takes the view's layout (a new version)."""
    from ..autograd import grad_mode
    from ..autograd import graph as G

    o = R.OPS[view_name]
    statics = tuple(R._static_value(p, a, opname) for p, a in zip(o.params[1:], args))
    if grad_mode.state.enabled:
        R.check_inplace(self)
    shape, st, off = o.meta(self, *statics)
    record = grad_mode.state.enabled and self.requires_grad and (self._dtype.is_floating_point or self._dtype.is_complex)
    before = self._v() if record else None
    self._shape = tuple.__new__(type(self._shape), shape)
    self._stride_ = tuple(st)
    self._offset = off
    self._cache = None
    self._cache_gen = -1
    self._vc.version += 1
    if record:
        G.record(_RenamedSpec(R.ViewSpec(o, statics), grad), [self], (before,), [self], set(), False)
        if self._base is not None:
            self._view_fn_gen = self._base._rebase_gen
    return self


def _t_(self):
    """Tensor.t_."""
    return _inplace_view(self, "t", (), "TBackward1", "t_")


def _transpose_(self, dim0, dim1):
    """Tensor.transpose_ (also swapaxes_ / swapdims_)."""
    return _inplace_view(self, "transpose", (dim0, dim1), "TransposeBackward1", "transpose_")


def _unsqueeze_(self, dim):
    """Tensor.unsqueeze_."""
    return _inplace_view(self, "unsqueeze", (dim,), "UnsqueezeBackward1", "unsqueeze_")


def _squeeze_(self, dim=_NO_DIM):
    """Tensor.squeeze_ (three overloads, like squeeze)."""
    k, args = _squeeze_overload("squeeze_", self, dim)
    name = ("_squeeze", "_squeeze_dim", "_squeeze_dims")[k]
    return _inplace_view(self, name, args, f"SqueezeBackward{k + 3}", "squeeze_")


register_method("t_", _t_)
register_method("transpose_", _transpose_)
register_method("swapaxes_", _transpose_)
register_method("swapdims_", _transpose_)
register_method("unsqueeze_", _unsqueeze_)
register_method("squeeze_", _squeeze_)


# ------------------------------------------------------------------ *_copy variants


class _RenamedSpec:
    """A view op's spec under another grad_fn name (``ExpandBackward0_copy`` for expand_copy ...)."""

    __slots__ = ("inner", "name", "_hash")

    def __init__(self, inner, name):
        self.inner = inner
        self.name = name
        self._hash = hash(("renamed", inner, name))

    def __hash__(self):
        return self._hash

    def __eq__(self, o):
        return type(o) is _RenamedSpec and o.inner == self.inner and o.name == self.name

    def fn(self, *a):
        return self.inner.fn(*a)


def _finish_copy(opname, outs, out, tensors, multi):
    from ..autograd import grad_mode

    if out is not None:
        if grad_mode.state.enabled and any(t.requires_grad for t in tensors):
            raise RuntimeError(
                f"{opname}(): functions with out=... arguments don't support automatic differentiation, "
                "but one of the arguments requires grad."
            )
        outs_l = list(out) if multi else [out]
        if len(outs_l) != len(outs):
            raise RuntimeError(f"{opname}(): expected {len(outs)} out tensors, got {len(outs_l)}")
        for r, o in zip(outs, outs_l):
            R.copy_into_out(r._v(), o)
        return out
    return tuple(outs) if multi else outs[0]


def _copy_of_view(view_name, copy_grad, args, out=None, opname=None):
    """``<view>_copy``: the view op's value in a fresh tensor, its node renamed as torch names it."""
    from .._tensor import wrap
    from ..autograd import grad_mode
    from ..autograd import graph as G

    o = R.OPS[view_name]
    t = args[0]
    if not isinstance(t, Tensor):
        raise TypeError(f"{opname}(): argument 'input' (position 1) must be Tensor, not {type(t).__name__}")
    statics = tuple(R._static_value(p, a, opname) for p, a in zip(o.params[1:], args[1:]))
    metas = o.meta(t, *statics)  # torch's checks and errors
    multi = isinstance(metas, list)
    spec = R.ViewSpec(o, statics)
    x = t._v()
    vals = o.kernel(spec, x)
    outs = [wrap(v, t._dtype) for v in vals]
    if grad_mode.state.enabled and t.requires_grad and (t._dtype.is_floating_point or t._dtype.is_complex):
        G.record(_RenamedSpec(spec, copy_grad), [t], (x,), outs, set(), False)
    return _finish_copy(opname, outs, out, [t], multi)


def _make_copy(name, view_name, grad, params):
    """Build ``torch.<name>(input, <params>, *, out=None)`` over view op ``view_name``."""
    sig = ", ".join(p if "=" not in p else p for p in params)
    call = ", ".join(p.split("=")[0] for p in params)
    src = (
        f"def {name}(input{', ' + sig if sig else ''}, *, out=None):\n"
        f"    return _copy_of_view({view_name!r}, {grad!r}, (input{', ' + call if call else ''},), out, {name!r})\n"
    )
    g = {"_copy_of_view": _copy_of_view}
    exec(compile(src, f"<torchjax {name}>", "exec"), g)  # noqa: S102
    f = g[name]
    f.__doc__ = f"torch.{name}: like {view_name} but returns a copy (a tensor with its own storage)."
    register_function(name, f)
    return f


expand_copy = _make_copy("expand_copy", "expand", "ExpandBackward0_copy", ["size", "implicit=False"])
permute_copy = _make_copy("permute_copy", "permute", "PermuteBackward0_copy", ["dims"])
t_copy = _make_copy("t_copy", "t", "TBackward0_copy", [])
transpose_copy = _make_copy("transpose_copy", "transpose", "TransposeBackward0_copy", ["dim0", "dim1"])
unsqueeze_copy = _make_copy("unsqueeze_copy", "unsqueeze", "UnsqueezeBackward0_copy", ["dim"])
diagonal_copy = _make_copy("diagonal_copy", "diagonal", "DiagonalBackward0_copy", ["offset=0", "dim1=0", "dim2=1"])
unbind_copy = _make_copy("unbind_copy", "unbind", "UnbindBackward0_copy", ["dim=0"])
unfold_copy = _make_copy("unfold_copy", "unfold", "UnfoldBackward0_copy", ["dimension", "size", "step"])
alias_copy = _make_copy("alias_copy", "alias", "AliasBackward0_copy", [])
select_copy = _make_copy("select_copy", "select", "SelectBackward0_copy", ["dim", "index"])
slice_copy = _make_copy("slice_copy", "slice", "SliceBackward0_copy", ["dim=0", "start=None", "end=None", "step=1"])
split_copy = _make_copy("split_copy", "_split", "SplitBackward0_copy", ["split_size", "dim=0"])
split_with_sizes_copy = _make_copy("split_with_sizes_copy", "split_with_sizes", "SplitWithSizesBackward0_copy",
                                   ["split_sizes", "dim=0"])


def squeeze_copy(input, dim=_NO_DIM, *, out=None):
    """torch.squeeze_copy (three overloads, like squeeze)."""
    k, args = _squeeze_overload("squeeze_copy", input, dim)
    name = ("_squeeze", "_squeeze_dim", "_squeeze_dims")[k]
    return _copy_of_view(name, f"SqueezeBackward{k}_copy", (input,) + args, out, "squeeze_copy")


def view_copy(input, size, *, out=None):
    """torch.view_copy(input, size) or view_copy(input, dtype) (non-viewable inputs are reshaped)."""
    if isinstance(size, D.dtype):
        r = view_dtype(input, size).clone()
        return _finish_copy("view_copy", [r], out, [], False)
    return _copy_of_view("_view_copy_shape", "ViewBackward0_copy", (input, size), out, "view_copy")


def _view_copy_meta(t, size):
    return infer_size(size, t.numel()), None, 0


@view_op("_view_copy_shape(Tensor(a) self, int[] size) -> Tensor(a)", function=False, meta=_view_copy_meta,
         grad="ViewBackward0_copy")
def _view_copy_shape(x, size):
    return x.reshape(infer_size(size, x.size))


_IMPROVE = "  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)"


def narrow_copy(input, dim, start, length, *, out=None):
    """torch.narrow_copy: narrow, as a new tensor (NarrowCopyBackward0), with its own checks."""
    if not isinstance(input, Tensor):
        raise TypeError(f"narrow_copy(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    dim, start, length = (_int_arg(v, "narrow_copy", a, i) for v, a, i in
                          ((dim, "dim", 2), (start, "start", 3), (length, "length", 4)))
    if input.dim() == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if out is not None and out._dtype is not input._dtype:
        raise RuntimeError("Expected self.dtype() == output.dtype() to be true, but got false." + _IMPROVE)
    if dim < 0:
        dim = wrap_dim(dim, input.dim())
    elif dim >= input.dim():
        raise RuntimeError("Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false." + _IMPROVE)
    n = input._shape[dim]
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    if start < 0:
        start += n
    if length < 0 or start > n - length:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return _copy_of_view("_narrow", "NarrowCopyBackward0", (input, dim, start, length), out, "narrow_copy")


def detach_copy(input, *, out=None):
    """torch.detach_copy: a detached copy."""
    from .copy import clone

    r = clone(input.detach())
    return _finish_copy("detach_copy", [r], out, [], False)


def as_strided_copy(input, size, stride, storage_offset=None, *, out=None):
    """torch.as_strided_copy: as_strided's elements in a new tensor (AsStridedBackward0_copy)."""
    from .._tensor import wrap
    from ..autograd import grad_mode

    with grad_mode.no_grad():
        v = as_strided(input, size, stride, storage_offset)
    r = wrap(v._v(), input._dtype)
    if grad_mode.state.enabled and input.requires_grad:
        from ..autograd import graph as G

        shape, st, off = v._shape, v.stride(), v._offset
        inp = (tuple(input._shape), tuple(input.stride()), input._offset)
        if _covers(input, shape, st, off):
            spec = _RenamedSpec(_AsStridedSpec(inp, (tuple(shape), st, off), True), "AsStridedBackward0_copy")
            G.record(spec, [input], (input._v(),), [r], set(), False)
        else:
            spec = _RenamedSpec(_AsStridedSpec(inp, (tuple(shape), st, off), False), "AsStridedBackward0_copy")
            G.record(spec, [input, None], (input._v(), input._storage.flat()), [r], set(), False)
    return _finish_copy("as_strided_copy", [r], out, [input], False)


def view_as_real_copy(input, *, out=None):
    """torch.view_as_real_copy."""
    from .copy import _AsRealSpec, view_as_real

    with _no_grad():
        view_as_real(input)  # torch's checks
    return _copy_by_spec("view_as_real_copy", _AsRealSpec(), "ViewAsRealBackward0_copy", input, out)


def view_as_complex_copy(input, *, out=None):
    """torch.view_as_complex_copy (torch has no autograd for it: complex outputs)."""
    from ..autograd import grad_mode
    from .copy import _AsComplexSpec, view_as_complex

    with _no_grad():
        view_as_complex(input)  # torch's checks
    if grad_mode.state.enabled and input.requires_grad:
        raise RuntimeError(
            "view_as_complex_copy does not support automatic differentiation for outputs with complex dtype."
        )
    return _copy_by_spec("view_as_complex_copy", _AsComplexSpec(), None, input, out)


def _no_grad():
    from ..autograd import grad_mode

    return grad_mode.no_grad()


def _copy_by_spec(name, spec, grad, input, out):
    from .._tensor import wrap
    from ..autograd import grad_mode
    from ..autograd import graph as G

    x = input._v()
    r = wrap(spec.fn(x)[0])
    if grad is not None and grad_mode.state.enabled and input.requires_grad:
        G.record(_RenamedSpec(spec, grad), [input], (x,), [r], set(), False)
    return _finish_copy(name, [r], out, [input], False)


for _f in (squeeze_copy, view_copy, narrow_copy, detach_copy, as_strided_copy, view_as_real_copy,
           view_as_complex_copy):
    register_function(_f.__name__, _f)
register_method("narrow_copy", narrow_copy)


# ------------------------------------------------------------------ *_scatter: the inverse of a view


def _shape_of(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


def _check_scatter_src(src_shape, slice_shape):
    if tuple(src_shape) != tuple(slice_shape):
        raise RuntimeError(
            "expected src to have a size equal to the slice of self. src size = "
            f"{_shape_of(src_shape)}, slice size = {_shape_of(slice_shape)}"
        )


def _view_into(x, shape, stride, off, src):
    """``x`` (dense, contiguous) with the strided view (shape, stride, off) replaced by ``src``."""
    flat = S.strided_write(x.reshape(-1), tuple(shape), tuple(stride), off, src.astype(x.dtype))
    return flat.reshape(x.shape)


class _FakeStorage:
    def __init__(self, nbytes):
        self.nbytes = nbytes


class _FakeT:
    """The metadata of a contiguous tensor of ``shape``: enough for the view ops' meta functions."""

    def __init__(self, shape, dtype=None, storage_size=None):
        self._shape = tuple(shape)
        self._offset = 0
        self._dtype = dtype
        self._st = S.contiguous_strides(self._shape)
        if storage_size is not None:
            self._storage = _FakeStorage(storage_size * dtype.itemsize)

    def dim(self):
        return len(self._shape)

    def stride(self, d=None):
        return self._st if d is None else self._st[d]

    def numel(self):
        return math.prod(self._shape)


def _scatter_via(meta_fn):
    def value(input, src, *statics):
        shape, stride, off = meta_fn(_FakeT(input.shape), *statics)
        _check_scatter_src(src.shape, shape)
        if math.prod(shape) == 0:
            return input
        return _view_into(input, shape, stride, off, src)

    return value


def _slice_scatter_meta(t, dim=0, start=None, end=None, step=1):
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    return _slice_meta(t, dim, start, end, step)


_slice_scatter_value = _scatter_via(_slice_scatter_meta)
_select_scatter_value = _scatter_via(_select_meta)
_diagonal_scatter_value = _scatter_via(_diagonal_meta)


def _preserve_layout(out, input):
    from .copy import _clone_strides, relayout

    return relayout(out, _clone_strides(input, None))


@op("_slice_scatter(Tensor input, Tensor src, int dim=0, int? start=None, int? end=None, int step=1) -> Tensor",
    function=False, promote="none", saves=(), grad="SliceScatterBackward0")
def _slice_scatter_op(input, src, dim=0, start=None, end=None, step=1):
    return _slice_scatter_value(input, src, dim, start, end, step)


@op("_select_scatter(Tensor input, Tensor src, int dim, int index) -> Tensor", function=False, promote="none",
    saves=(), grad="SelectScatterBackward0")
def _select_scatter_op(input, src, dim, index):
    return _select_scatter_value(input, src, dim, index)


@op("_diagonal_scatter(Tensor input, Tensor src, int offset=0, int dim1=0, int dim2=1) -> Tensor", function=False,
    promote="none", saves=(), grad="DiagonalScatterBackward0")
def _diagonal_scatter_op(input, src, offset=0, dim1=0, dim2=1):
    return _diagonal_scatter_value(input, src, offset, dim1, dim2)


def _as_strided_scatter_fwd_value(input, src, geom, n, size, stride, storage_offset):
    # torch: the result has the input's geometry over a copy of the input's storage; the
    # as_strided view (storage coordinates) of that copy is overwritten with src
    ishape, istride, ioff = geom
    if math.prod(size) == 0 or math.prod(ishape) == 0:
        return input
    flat = S.strided_write(jnp.zeros((n,), input.dtype), ishape, istride, ioff, input)
    flat = S.strided_write(flat, tuple(size), tuple(stride), storage_offset, src.astype(input.dtype))
    return S.strided_read(flat, ishape, istride, ioff)


def _as_strided_scatter_value(input, src, geom, n, size, stride, storage_offset):
    """as_strided_scatter with torch's gradients (derivatives.yaml): src receives
    ``grad.as_strided(size, stride, storage_offset)``; self receives torch's
    ``as_strided_scatter_backward``, which copies that same slice of ``grad`` into zeros, so the
    scattered region (not its complement) gets the gradient, exactly as torch 2.13 computes it."""
    ishape, istride, ioff = geom
    size, stride = tuple(size), tuple(stride)

    def grad_slice(g):
        flat = S.strided_write(jnp.zeros((n,), g.dtype), ishape, istride, ioff, g)
        return flat, S.strided_read(flat, size, stride, storage_offset)

    @jax.custom_vjp
    def f(input, src):
        return _as_strided_scatter_fwd_value(input, src, geom, n, size, stride, storage_offset)

    def fwd(input, src):
        return f(input, src), None

    def bwd(_, g):
        if math.prod(size) == 0 or math.prod(ishape) == 0:
            return g, jnp.zeros(src.shape, src.dtype)
        _, sl = grad_slice(g)
        region = S.strided_write(jnp.zeros((n,), g.dtype), size, stride, storage_offset, sl)
        return S.strided_read(region, ishape, istride, ioff), sl.astype(src.dtype)

    f.defvjp(fwd, bwd)
    return f(input, src)


@op("_as_strided_scatter(Tensor input, Tensor src, Any geom, int n, int[] size, int[] stride, int storage_offset) "
    "-> Tensor", function=False, promote="none", saves=(), grad="AsStridedScatterBackward0")
def _as_strided_scatter_op(input, src, geom, n, size, stride, storage_offset):
    return _as_strided_scatter_value(input, src, geom, n, size, stride, storage_offset)


def _scatter_front(name, opname, input, src, args, out):
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if not isinstance(src, Tensor):
        raise TypeError(f"{name}(): argument 'src' (position 2) must be Tensor, not {type(src).__name__}")
    r = R.call(R.OPS[opname], (input, src) + tuple(args))
    if out is not None:
        return _finish_copy(name, [r], out, [input, src], False)
    return _preserve_layout(r, input)


def slice_scatter(input, src, dim=0, start=None, end=None, step=1, *, out=None):
    """torch.slice_scatter: ``input`` with ``input[dim, start:end:step]`` replaced by ``src``."""
    return _scatter_front("slice_scatter", "_slice_scatter", input, src, (dim, start, end, step), out)


def select_scatter(input, src, dim, index, *, out=None):
    """torch.select_scatter: ``input`` with ``input.select(dim, index)`` replaced by ``src``."""
    return _scatter_front("select_scatter", "_select_scatter", input, src, (dim, index), out)


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1, *, out=None):
    """torch.diagonal_scatter: ``input`` with its diagonal replaced by ``src``."""
    return _scatter_front("diagonal_scatter", "_diagonal_scatter", input, src, (offset, dim1, dim2), out)


def as_strided_scatter(input, src, size, stride, storage_offset=None, *, out=None):
    """torch.as_strided_scatter: ``input`` (same geometry, new storage) with the elements of
    ``as_strided(size, stride, storage_offset)`` (storage coordinates, as torch) set to ``src``."""
    if not isinstance(input, Tensor):
        raise TypeError(f"as_strided_scatter(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if not isinstance(src, Tensor):
        raise TypeError(f"as_strided_scatter(): argument 'src' (position 2) must be Tensor, not {type(src).__name__}")
    size = _int_list_arg(size if isinstance(size, (list, tuple)) else (size,), "as_strided_scatter", "size", 3)
    stride = _int_list_arg(stride if isinstance(stride, (list, tuple)) else (stride,), "as_strided_scatter", "stride", 4)
    if storage_offset is not None:
        storage_offset = _int_arg(storage_offset, "as_strided_scatter", "storage_offset", 5)
    shape, st, off = _as_strided_meta(input, size, stride, storage_offset)
    _check_scatter_src(src._shape, shape)
    if S.has_internal_overlap(shape, st):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location. Please clone() the tensor before performing the operation."
        )
    if input.requires_grad and not input.is_contiguous():
        raise RuntimeError(
            "!self.requires_grad() || self.is_contiguous() INTERNAL ASSERT FAILED at "
            "\"/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp\":4754, please report a bug to PyTorch. "
            "as_strided_scatter is currently only supported for contiguous inputs"
        )
    geom = (tuple(input._shape), tuple(input.stride()), input._offset)
    n = input._storage.size
    r = R.call(R.OPS["_as_strided_scatter"], (input, src, geom, n, shape, st, off))
    if out is not None:
        return _finish_copy("as_strided_scatter", [r], out, [input, src], False)
    # the result's layout is the input's, on a storage of the input's size
    v = r._v()
    r._storage = S.Storage(S.strided_write(jnp.zeros((n,), v.dtype), *geom, v) if math.prod(geom[0]) else
                           jnp.zeros((n,), v.dtype))
    r._stride_ = geom[1]
    r._offset = geom[2]
    r._cache = v
    r._cache_gen = r._storage.gen
    return r


for _f in (slice_scatter, select_scatter, diagonal_scatter, as_strided_scatter):
    register_function(_f.__name__, _f)
    register_method(_f.__name__, _f)


for _f in (split, chunk, tensor_split, hsplit, vsplit, dsplit, as_strided, adjoint, squeeze, unsafe_split,
           unsafe_chunk, unsafe_split_with_sizes):
    register_function(_f.__name__, _f)
for _f in (split, chunk, tensor_split, hsplit, vsplit, dsplit, squeeze, unsafe_split, unsafe_chunk,
           unsafe_split_with_sizes):
    register_method(_f.__name__, _f)
register_method("adjoint", adjoint)
