"""The non-aliasing variants of the view ops, as torch generates them for functionalization:
``<view>_copy`` (the view's values in a tensor with its own storage, grad_fn
``<View>Backward0_copy``) and ``<view>_scatter`` (the inverse of a view: ``src`` embedded in a copy
of ``input`` where the view would be: slice_scatter, select_scatter, diagonal_scatter,
as_strided_scatter).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from .. import _dtype as D
from .. import _storage as S
from .._tensor import Tensor, wrap_dim
from . import _registry as R
from ._registry import op, register_function, register_method, view_op
from .as_strided import (
    _as_strided_meta,
    _AsStridedSpec,
    _covers,
    _diagonal_meta,
    _RenamedSpec,
    as_strided,
)
from .slicing import _int_arg, _int_list_arg, _select_meta, _slice_meta
from .views import _NO_DIM, _squeeze_overload, infer_size, view_dtype

# ------------------------------------------------------------------ *_copy variants


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
        raise TypeError(
            f"{opname}(): argument 'input' (position 1) must be Tensor, not {type(t).__name__}"
        )
    statics = tuple(R._static_value(p, a, opname) for p, a in zip(o.params[1:], args[1:]))
    metas = o.meta(t, *statics)  # torch's checks and errors
    multi = isinstance(metas, list)
    spec = R.ViewSpec(o, statics)
    x = t._v()
    vals = o.kernel(spec, x)
    outs = [wrap(v, t._dtype) for v in vals]
    if (
        grad_mode.state.enabled
        and t.requires_grad
        and (t._dtype.is_floating_point or t._dtype.is_complex)
    ):
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
    f.__doc__ = (
        f"torch.{name}: like {view_name} but returns a copy (a tensor with its own storage)."
    )
    register_function(name, f)
    return f


expand_copy = _make_copy(
    "expand_copy", "expand", "ExpandBackward0_copy", ["size", "implicit=False"]
)
permute_copy = _make_copy("permute_copy", "permute", "PermuteBackward0_copy", ["dims"])
t_copy = _make_copy("t_copy", "t", "TBackward0_copy", [])
transpose_copy = _make_copy(
    "transpose_copy", "transpose", "TransposeBackward0_copy", ["dim0", "dim1"]
)
unsqueeze_copy = _make_copy("unsqueeze_copy", "unsqueeze", "UnsqueezeBackward0_copy", ["dim"])
diagonal_copy = _make_copy(
    "diagonal_copy", "diagonal", "DiagonalBackward0_copy", ["offset=0", "dim1=0", "dim2=1"]
)
unbind_copy = _make_copy("unbind_copy", "unbind", "UnbindBackward0_copy", ["dim=0"])
unfold_copy = _make_copy(
    "unfold_copy", "unfold", "UnfoldBackward0_copy", ["dimension", "size", "step"]
)
alias_copy = _make_copy("alias_copy", "alias", "AliasBackward0_copy", [])
select_copy = _make_copy("select_copy", "select", "SelectBackward0_copy", ["dim", "index"])
slice_copy = _make_copy(
    "slice_copy", "slice", "SliceBackward0_copy", ["dim=0", "start=None", "end=None", "step=1"]
)
split_copy = _make_copy("split_copy", "_split", "SplitBackward0_copy", ["split_size", "dim=0"])
split_with_sizes_copy = _make_copy(
    "split_with_sizes_copy",
    "split_with_sizes",
    "SplitWithSizesBackward0_copy",
    ["split_sizes", "dim=0"],
)


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


@view_op(
    "_view_copy_shape(Tensor(a) self, int[] size) -> Tensor(a)",
    function=False,
    meta=_view_copy_meta,
    grad="ViewBackward0_copy",
)
def _view_copy_shape(x, size):
    return x.reshape(infer_size(size, x.size))


_IMPROVE = "  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)"


def narrow_copy(input, dim, start, length, *, out=None):
    """torch.narrow_copy: narrow, as a new tensor (NarrowCopyBackward0), with its own checks."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"narrow_copy(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    dim, start, length = (
        _int_arg(v, "narrow_copy", a, i)
        for v, a, i in ((dim, "dim", 2), (start, "start", 3), (length, "length", 4))
    )
    if input.dim() == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if out is not None and out._dtype is not input._dtype:
        raise RuntimeError(
            "Expected self.dtype() == output.dtype() to be true, but got false." + _IMPROVE
        )
    if dim < 0:
        dim = wrap_dim(dim, input.dim())
    elif dim >= input.dim():
        raise RuntimeError(
            "Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false."
            + _IMPROVE
        )
    n = input._shape[dim]
    if not -n <= start <= n:
        raise IndexError(
            f"start out of range (expected to be in range of [{-n}, {n}], but got {start})"
        )
    if start < 0:
        start += n
    if length < 0 or start > n - length:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return _copy_of_view(
        "_narrow", "NarrowCopyBackward0", (input, dim, start, length), out, "narrow_copy"
    )


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
            spec = _RenamedSpec(
                _AsStridedSpec(inp, (tuple(shape), st, off), True), "AsStridedBackward0_copy"
            )
            G.record(spec, [input], (input._v(),), [r], set(), False)
        else:
            spec = _RenamedSpec(
                _AsStridedSpec(inp, (tuple(shape), st, off), False), "AsStridedBackward0_copy"
            )
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


for _f in (
    squeeze_copy,
    view_copy,
    narrow_copy,
    detach_copy,
    as_strided_copy,
    view_as_real_copy,
    view_as_complex_copy,
):
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


@op(
    "_slice_scatter(Tensor input, Tensor src, int dim=0, int? start=None, int? end=None, int step=1) -> Tensor",
    function=False,
    promote="none",
    saves=(),
    grad="SliceScatterBackward0",
)
def _slice_scatter_op(input, src, dim=0, start=None, end=None, step=1):
    return _slice_scatter_value(input, src, dim, start, end, step)


@op(
    "_select_scatter(Tensor input, Tensor src, int dim, int index) -> Tensor",
    function=False,
    promote="none",
    saves=(),
    grad="SelectScatterBackward0",
)
def _select_scatter_op(input, src, dim, index):
    return _select_scatter_value(input, src, dim, index)


@op(
    "_diagonal_scatter(Tensor input, Tensor src, int offset=0, int dim1=0, int dim2=1) -> Tensor",
    function=False,
    promote="none",
    saves=(),
    grad="DiagonalScatterBackward0",
)
def _diagonal_scatter_op(input, src, offset=0, dim1=0, dim2=1):
    return _diagonal_scatter_value(input, src, offset, dim1, dim2)


def _as_strided_scatter_fwd_value(input, src, geom, n, size, stride, storage_offset):
    # torch: the result has the input's geometry over a copy of the input's storage; the
    # as_strided view (storage coordinates) of that copy is overwritten with src
    ishape, istride, ioff = geom
    if math.prod(size) == 0 or math.prod(ishape) == 0:
        return input
    flat = S.strided_write(jnp.zeros((n,), input.dtype), ishape, istride, ioff, input)
    flat = S.strided_write(
        flat, tuple(size), tuple(stride), storage_offset, src.astype(input.dtype)
    )
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


@op(
    "_as_strided_scatter(Tensor input, Tensor src, Any geom, int n, int[] size, int[] stride, int storage_offset) "
    "-> Tensor",
    function=False,
    promote="none",
    saves=(),
    grad="AsStridedScatterBackward0",
)
def _as_strided_scatter_op(input, src, geom, n, size, stride, storage_offset):
    return _as_strided_scatter_value(input, src, geom, n, size, stride, storage_offset)


def _scatter_front(name, opname, input, src, args, out):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if not isinstance(src, Tensor):
        raise TypeError(
            f"{name}(): argument 'src' (position 2) must be Tensor, not {type(src).__name__}"
        )
    r = R.call(R.OPS[opname], (input, src) + tuple(args))
    if out is not None:
        return _finish_copy(name, [r], out, [input, src], False)
    return _preserve_layout(r, input)


def slice_scatter(input, src, dim=0, start=None, end=None, step=1, *, out=None):
    """torch.slice_scatter: ``input`` with ``input[dim, start:end:step]`` replaced by ``src``."""
    return _scatter_front(
        "slice_scatter", "_slice_scatter", input, src, (dim, start, end, step), out
    )


def select_scatter(input, src, dim, index, *, out=None):
    """torch.select_scatter: ``input`` with ``input.select(dim, index)`` replaced by ``src``."""
    return _scatter_front("select_scatter", "_select_scatter", input, src, (dim, index), out)


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1, *, out=None):
    """torch.diagonal_scatter: ``input`` with its diagonal replaced by ``src``."""
    return _scatter_front(
        "diagonal_scatter", "_diagonal_scatter", input, src, (offset, dim1, dim2), out
    )


def as_strided_scatter(input, src, size, stride, storage_offset=None, *, out=None):
    """torch.as_strided_scatter: ``input`` (same geometry, new storage) with the elements of
    ``as_strided(size, stride, storage_offset)`` (storage coordinates, as torch) set to ``src``."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"as_strided_scatter(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if not isinstance(src, Tensor):
        raise TypeError(
            f"as_strided_scatter(): argument 'src' (position 2) must be Tensor, not {type(src).__name__}"
        )
    size = _int_list_arg(
        size if isinstance(size, (list, tuple)) else (size,), "as_strided_scatter", "size", 3
    )
    stride = _int_list_arg(
        stride if isinstance(stride, (list, tuple)) else (stride,),
        "as_strided_scatter",
        "stride",
        4,
    )
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
            '"/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp":4754, please report a bug to PyTorch. '
            "as_strided_scatter is currently only supported for contiguous inputs"
        )
    geom = (tuple(input._shape), tuple(input.stride()), input._offset)
    n = input._storage.size
    r = R.call(R.OPS["_as_strided_scatter"], (input, src, geom, n, shape, st, off))
    if out is not None:
        return _finish_copy("as_strided_scatter", [r], out, [input, src], False)
    # the result's layout is the input's, on a storage of the input's size
    v = r._v()
    r._storage = S.Storage(
        S.strided_write(jnp.zeros((n,), v.dtype), *geom, v)
        if math.prod(geom[0])
        else jnp.zeros((n,), v.dtype)
    )
    r._stride_ = geom[1]
    r._offset = geom[2]
    r._cache = v
    r._cache_gen = r._storage.gen
    return r


for _f in (slice_scatter, select_scatter, diagonal_scatter, as_strided_scatter):
    register_function(_f.__name__, _f)
    register_method(_f.__name__, _f)
