"""Views of arbitrary geometry, as ATen's TensorShape: diagonal, unfold and as_strided /
as_strided_ (torch's size / stride / storage-offset checks; a result that reaches outside the
input's elements reads the storage), and the in-place view ops (t_, transpose_, swapaxes_,
swapdims_, squeeze_, unsqueeze_) that give ``self`` a view's layout as a new version.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np

from .. import _storage as S
from .._tensor import Tensor, make_view, wrap_dim
from . import _registry as R
from ._registry import register_function, register_method, view_op
from .slicing import _int_arg, _int_list_arg
from .views import _NO_DIM, _shape_str, _squeeze_overload

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


@view_op(
    "diagonal(Tensor(a) input, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)",
    method=True,
    meta=_diagonal_meta,
    grad="DiagonalBackward0",
)
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


@view_op(
    "unfold(Tensor(a) self, int dimension, int size, int step) -> Tensor(a)",
    method=True,
    function=False,
    meta=_unfold_meta,
    grad="UnfoldBackward0",
)
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
            "as_strided: Negative strides are not supported at the moment, got strides: "
            + _shape_str(stride)
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
        return type(o) is _AsStridedSpec and (o.inp, o.out, o.dense) == (
            self.inp,
            self.out,
            self.dense,
        )

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
        raise TypeError(
            f"as_strided(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    size = _int_list_arg(
        size if isinstance(size, (list, tuple)) else (size,), "as_strided", "size", 2
    )
    stride = _int_list_arg(
        stride if isinstance(stride, (list, tuple)) else (stride,), "as_strided", "stride", 3
    )
    if storage_offset is not None:
        storage_offset = _int_arg(storage_offset, "as_strided", "storage_offset", 4)
    shape, st, off = _as_strided_meta(input, size, stride, storage_offset)
    out = make_view(input, shape, st, off)
    if (
        grad_mode.state.enabled
        and input.requires_grad
        and (input._dtype.is_floating_point or input._dtype.is_complex)
    ):
        inp = (tuple(input._shape), tuple(input.stride()), input._offset)
        if _covers(input, shape, st, off):
            G.record(
                _AsStridedSpec(inp, (shape, st, off), True),
                [input],
                (input._v(),),
                [out],
                set(),
                False,
            )
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

    size = _int_list_arg(
        size if isinstance(size, (list, tuple)) else (size,), "as_strided_", "size", 1
    )
    stride = _int_list_arg(
        stride if isinstance(stride, (list, tuple)) else (stride,), "as_strided_", "stride", 2
    )
    if storage_offset is not None:
        storage_offset = _int_arg(storage_offset, "as_strided_", "storage_offset", 3)
    if grad_mode.state.enabled:
        R.check_inplace(self)
    shape, st, off = _as_strided_meta(self, size, stride, storage_offset)
    record = (
        grad_mode.state.enabled
        and self.requires_grad
        and (self._dtype.is_floating_point or self._dtype.is_complex)
    )
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


register_function("as_strided", as_strided)


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


def _inplace_view(self, view_name, args, grad, opname):
    """t_, transpose_, squeeze_, unsqueeze_ ...: ``self`` takes the view's layout (a new version)."""
    from ..autograd import grad_mode
    from ..autograd import graph as G

    o = R.OPS[view_name]
    statics = tuple(R._static_value(p, a, opname) for p, a in zip(o.params[1:], args))
    if grad_mode.state.enabled:
        R.check_inplace(self)
    shape, st, off = o.meta(self, *statics)
    record = (
        grad_mode.state.enabled
        and self.requires_grad
        and (self._dtype.is_floating_point or self._dtype.is_complex)
    )
    before = self._v() if record else None
    self._shape = tuple.__new__(type(self._shape), shape)
    self._stride_ = tuple(st)
    self._offset = off
    self._cache = None
    self._cache_gen = -1
    self._vc.version += 1
    if record:
        G.record(
            _RenamedSpec(R.ViewSpec(o, statics), grad), [self], (before,), [self], set(), False
        )
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
