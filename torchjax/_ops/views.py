"""View ops: results share the input's storage (torch's view semantics and stride rules).

Each op gives its layout (``meta``: shape, strides, storage offset computed exactly as ATen
does) and its value as a jax function of the input's value; the registry makes the output a
view of the same storage and records the op's node (``ViewBackward0``, ``TransposeBackward0`` ...).

This module: view / reshape / flatten / unflatten, transpose / permute / movedim and the
``.T`` / ``.mT`` / ``.H`` / ``.mH`` properties, squeeze / unsqueeze / expand / broadcast_to.
Slicing views (narrow, select, slice, the split family) are in ``slicing.py``; diagonal, unfold,
as_strided and the in-place view ops in ``as_strided.py``; the ``*_copy`` and ``*_scatter``
variants in ``view_copy.py``.
"""

from __future__ import annotations

import math
import warnings

import jax.numpy as jnp

from .. import _dtype as D
from .._tensor import Tensor, make_view, wrap_dim
from . import _registry as R
from ._registry import composite, override_method, register_function, register_method, view_op


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
            raise RuntimeError(
                f"invalid shape dimension {s} at index {i} of shape {_shape_str(shape)}"
            )
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
            newstride[d] = (
                1 if d == len(newshape) - 1 else max(newshape[d + 1], 1) * newstride[d + 1]
            )
        return tuple(newstride)
    view_d = len(newshape) - 1
    chunk_base_stride = oldstride[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(oldshape) - 1, -1, -1):
        tensor_numel *= oldshape[tensor_d]
        if tensor_d == 0 or (
            oldshape[tensor_d - 1] != 1
            and oldstride[tensor_d - 1] != tensor_numel * chunk_base_stride
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


@view_op(
    "view(Tensor(a) self, int[] *size) -> Tensor(a)",
    method=True,
    function=False,
    meta=_view_meta,
    grad="ViewBackward0",
)
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
                raise RuntimeError(
                    f"self.size(-1) must be divisible by {k} {what}, but got {self._shape[-1]}"
                )
            if self._offset % k:
                raise RuntimeError(
                    f"self.storage_offset() must be divisible by {k} {what}, but got {self._offset}"
                )
            if self.stride(-1) != 1:
                raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {self.stride(-1)}")
            for i, st in enumerate(self.stride()[:-1]):
                if st % k:
                    raise RuntimeError(
                        f"self.stride({i}) must be divisible by {k} {what}, but got {st}"
                    )
    if dtype is self._dtype:
        out = make_view(self, self._shape, self.stride(), self._offset)
    else:
        from .copy import bitcast

        out = bitcast(self, dtype)
    out._base = None
    return out


def _alias_meta(t):
    return _dims(t)


@view_op(
    "alias(Tensor(a) self) -> Tensor(a)",
    method=False,
    function=False,
    meta=_alias_meta,
    grad="AliasBackward0",
)
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


@view_op(
    "unflatten(Tensor(a) input, int dim, int[] sizes) -> Tensor(a)",
    method=True,
    meta=_unflatten_meta,
    grad="ViewBackward0",
)
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


@view_op(
    "transpose(Tensor(a) input, int dim0, int dim1) -> Tensor(a)",
    method=True,
    meta=_transpose_meta,
    grad="TransposeBackward0",
)
def transpose(x, dim0, dim1):
    return _swap(x, dim0, dim1)


@view_op(
    "swapaxes(Tensor(a) input, int axis0, int axis1) -> Tensor(a)",
    method=True,
    meta=_transpose_meta,
    grad="TransposeBackward0",
)
def swapaxes(x, axis0, axis1):
    return _swap(x, axis0, axis1)


@view_op(
    "swapdims(Tensor(a) input, int dim0, int dim1) -> Tensor(a)",
    method=True,
    meta=_transpose_meta,
    grad="TransposeBackward0",
)
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


@view_op(
    "permute(Tensor(a) input, int[] *dims) -> Tensor(a)",
    method=True,
    meta=_permute_meta,
    grad="PermuteBackward0",
)
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


@view_op(
    "movedim(Tensor(a) input, dim source, dim destination) -> Tensor(a)",
    method=True,
    meta=_movedim_meta,
    grad="PermuteBackward0",
)
def movedim(x, source, destination):
    return jnp.transpose(x, _movedim_perm(x.ndim, source, destination)) if x.ndim else x


@view_op(
    "moveaxis(Tensor(a) input, dim source, dim destination) -> Tensor(a)",
    method=True,
    meta=_movedim_meta,
    grad="PermuteBackward0",
)
def moveaxis(x, source, destination):
    return jnp.transpose(x, _movedim_perm(x.ndim, source, destination)) if x.ndim else x


def _mT_meta(t):
    return _transpose_meta(t, -2, -1)


@view_op(
    "_mT(Tensor(a) self) -> Tensor(a)", function=False, meta=_mT_meta, grad="TransposeBackward0"
)
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
        raise RuntimeError(
            f"tensor.mT is only supported on matrices or batches of matrices. Got {self.dim()}-D tensor."
        )
    return _mT_view(self)


def _T(self):
    nd = self.dim()
    if nd == 0:
        _warn_once(
            "T0",
            "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases. "
            "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4321.)",
        )
    elif nd != 2:
        _warn_once(
            "T",
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
            "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
            "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
            "tensor. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4314.)",
        )
    return _T_view(self)


def _mH(self):
    if self.dim() < 2:
        raise RuntimeError(
            f"tensor.mH is only supported on matrices or batches of matrices. Got {self.dim()}-D tensor."
        )
    return _conj(_mT_view(self))


def _H(self):
    nd = self.dim()
    if nd == 0:
        _warn_once(
            "H0",
            "Tensor.H is deprecated on 0-D tensors. Consider using x.conj(). (Triggered internally at "
            "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4335.)",
        )
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
@view_op(
    "_squeeze(Tensor(a) input) -> Tensor(a)",
    function=False,
    meta=_squeeze_meta,
    grad="SqueezeBackward0",
)
def _squeeze_all(x):
    return _squeeze_value(x)


@view_op(
    "_squeeze_dim(Tensor(a) input, int dim) -> Tensor(a)",
    function=False,
    meta=_squeeze_meta,
    grad="SqueezeBackward1",
)
def _squeeze_dim(x, dim):
    return _squeeze_value(x, dim)


@view_op(
    "_squeeze_dims(Tensor(a) input, int[] dim) -> Tensor(a)",
    function=False,
    meta=_squeeze_meta,
    grad="SqueezeBackward2",
)
def _squeeze_dims_value(x, dim):
    return _squeeze_value(x, dim)


_squeeze_views = (_viewer("_squeeze"), _viewer("_squeeze_dim"), _viewer("_squeeze_dims"))
_NO_DIM = object()


def _squeeze_overload(name, input, dim):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
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


@view_op(
    "unsqueeze(Tensor(a) input, int dim) -> Tensor(a)",
    method=True,
    meta=_unsqueeze_meta,
    grad="UnsqueezeBackward0",
)
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
                raise RuntimeError(
                    f"The expanded size of the tensor ({s}) isn't allowed in a leading, non-existing dimension {i}"
                )
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


@view_op(
    "expand(Tensor(a) self, int[] *size, *, bool implicit=False) -> Tensor(a)",
    method=True,
    function=False,
    meta=lambda t, size, implicit=False: _expand_meta(t, size),
    grad="ExpandBackward0",
)
def expand(x, size, implicit=False):
    return jnp.broadcast_to(x, _expand_shape(x.shape, size))


@composite("expand_as(Tensor(a) self, Tensor other) -> Tensor(a)", method=True, function=False)
def expand_as(self, other):
    return expand(self, other.shape)


@composite("broadcast_to(Tensor(a) input, int[] size) -> Tensor(a)", method=True)
def broadcast_to(input, size):
    return expand(input, size)


for _f in (adjoint, squeeze):
    register_function(_f.__name__, _f)
register_method("squeeze", squeeze)
register_method("adjoint", adjoint)
