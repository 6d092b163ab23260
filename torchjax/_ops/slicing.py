"""Slicing views, as ATen's TensorShape: narrow, select, slice, unbind and the split family
(split / split_with_sizes / unsafe_split, chunk / unsafe_chunk, tensor_split, hsplit / vsplit /
dsplit). Each result is a view of the input's storage with the shape, strides and storage offset
ATen computes (see ``views.py``), and the grad_fn torch records (``SelectBackward0``,
``SplitBackward0`` ...).
"""

from __future__ import annotations

from jax import lax

from .. import _dtype as D
from .. import _storage as S
from .._tensor import Tensor, wrap_dim
from ._registry import register_function, register_method, view_op
from .views import _viewer

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


@view_op(
    "slice(Tensor(a) self, int dim=0, int? start=None, int? end=None, int step=1) -> Tensor(a)",
    function=False,
    meta=_slice_meta,
    grad="SliceBackward0",
)
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
        raise IndexError(
            f"start out of range (expected to be in range of [{-n}, {n}], but got {start})"
        )
    if start < 0:
        start += n
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return _slice_meta(t, d, start, start + length, 1)


@view_op(
    "_narrow(Tensor(a) input, int dim, int start, int length) -> Tensor(a)",
    function=False,
    meta=_narrow_meta,
    grad="SliceBackward0",
)
def _narrow_value(x, dim, start, length):
    d = dim % x.ndim
    if start < 0:
        start += x.shape[d]
    return lax.slice_in_dim(x, start, start + length, 1, d)


_narrow_view = _viewer("_narrow")


def narrow(input, dim, start, length):
    """torch.narrow: ``length`` elements of ``dim`` from ``start`` (an int or a 0-dim integer tensor); a view."""
    if isinstance(start, Tensor) and (
        start.dim() != 0
        or start._dtype.is_floating_point
        or start._dtype.is_complex
        or start._dtype is D.bool
    ):
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


@view_op(
    "select(Tensor(a) input, int dim, int index) -> Tensor(a)",
    method=True,
    meta=_select_meta,
    grad="SelectBackward0",
)
def select(x, dim, index):
    d = dim % x.ndim
    return lax.index_in_dim(x, index % x.shape[d], d, keepdims=False)


def _unbind_meta(t, dim=0):
    d = wrap_dim(dim, t.dim())
    return [_select_meta(t, d, i) for i in range(t._shape[d])]


@view_op(
    "unbind(Tensor(a) input, int dim=0) -> Tensor[]",
    method=True,
    meta=_unbind_meta,
    grad="UnbindBackward0",
)
def unbind(x, dim=0):
    d = dim % x.ndim
    return tuple(lax.index_in_dim(x, i, d, keepdims=False) for i in range(x.shape[d]))


def _split_sizes(n, split_size):
    if split_size < 0:
        raise RuntimeError(
            f"split expects split_size be non-negative, but got split_size={split_size}"
        )
    if split_size == 0:
        if n != 0:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
            )
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


@view_op(
    "_split(Tensor(a) self, int split_size, int dim=0) -> Tensor[]",
    function=False,
    meta=_split_size_meta,
    grad="SplitBackward0",
)
def _split_by_size_value(x, split_size, dim=0):
    return _split_size_value(x, split_size, dim)


@view_op(
    "split_with_sizes(Tensor(a) self, int[] split_sizes, int dim=0) -> Tensor[]",
    method=True,
    meta=_split_with_sizes_meta,
    grad="SplitWithSizesBackward0",
)
def split_with_sizes(x, split_sizes, dim=0):
    return _split_value(x, split_sizes, dim)


@view_op(
    "_unsafe_split(Tensor(a) self, int split_size, int dim=0) -> Tensor[]",
    function=False,
    meta=_split_size_meta,
    grad="UnsafeSplitBackward0",
)
def _unsafe_split_value(x, split_size, dim=0):
    return _split_size_value(x, split_size, dim)


@view_op(
    "_unsafe_split_with_sizes(Tensor(a) self, int[] split_sizes, int dim=0) -> Tensor[]",
    function=False,
    meta=_split_with_sizes_meta,
    grad="UnsafeSplitWithSizesBackward0",
)
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
    raise TypeError(
        f"{opname}(): argument '{argname}' (position {pos}) must be {what}, not {type(v).__name__}"
    )


def _int_list_arg(v, opname, argname, pos):
    if isinstance(v, (list, tuple)):
        return tuple(_int_arg(x, opname, argname, pos, "tuple of ints") for x in v)
    raise TypeError(
        f"{opname}(): argument '{argname}' (position {pos}) must be tuple of ints, not {type(v).__name__}"
    )


def split(tensor, split_size_or_sections, dim=0):
    """torch.split: an int size (last piece smaller) or a list of sizes."""
    ss = split_size_or_sections
    if isinstance(ss, Tensor) and ss.dim() == 0:
        ss = ss.__index__()
    if isinstance(ss, (list, tuple)) or isinstance(ss, Tensor) or isinstance(ss, float):
        return _split_with_sizes(
            tensor, _int_list_arg(ss, "split_with_sizes", "split_sizes", 2), dim
        )
    return _split_by_size(tensor, _int_arg(ss, "split", "split_size", 2), dim)


def unsafe_split(tensor, split_size, dim=0):
    """torch.unsafe_split: split whose pieces autograd does not track as views."""
    return _unsafe(
        _unsafe_split_view(tensor, _int_arg(split_size, "unsafe_split", "split_size", 2), dim)
    )


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


@view_op(
    "_tensor_split(Tensor(a) self, int sections, int[]? indices, int dim) -> Tensor[]",
    function=False,
    meta=_tensor_split_meta,
    grad="SliceBackward0",
)
def _tensor_split_value(x, sections, indices, dim):
    d = dim % x.ndim
    n = x.shape[d]
    bounds = _section_bounds(n, sections) if indices is None else _index_bounds(n, indices)
    return tuple(lax.slice_in_dim(x, a, b, 1, d) for a, b in bounds)


_tensor_split_impl = _viewer("_tensor_split")
_NOARG = object()


def tensor_split(
    input,
    indices_or_sections=_NOARG,
    dim=0,
    *,
    sections=_NOARG,
    indices=_NOARG,
    tensor_indices_or_sections=_NOARG,
):
    """torch.tensor_split: n sections (first n % k one larger) or split points."""
    given = [
        v
        for v in (indices_or_sections, sections, indices, tensor_indices_or_sections)
        if v is not _NOARG
    ]
    if len(given) != 1:
        raise TypeError("tensor_split() missing required argument 'indices_or_sections'")
    ios = given[0]
    if input.dim() == 0:
        raise RuntimeError(
            "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
        )
    if isinstance(ios, Tensor):
        if ios.device.type != "cpu":
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be on cpu, but it's on "
                + str(ios.device)
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


for _f in (
    split,
    chunk,
    tensor_split,
    hsplit,
    vsplit,
    dsplit,
    unsafe_split,
    unsafe_chunk,
    unsafe_split_with_sizes,
):
    register_function(_f.__name__, _f)
    register_method(_f.__name__, _f)
