"""Storage: one jax buffer shared by a base tensor and all its views.

A torch storage is a flat array of elements; a tensor is (storage, shape, strides, offset).
Here the buffer is an immutable jax array holding the storage's elements in row-major order
(it may carry any shape with the right element count, so a tensor that owns its storage keeps
its own shape and reading it costs nothing). An in-place write through any alias builds a new
buffer functionally and swaps it in; every alias sees it on its next read.

``gen`` counts buffer swaps (tensors cache their materialised value per generation).
``observer`` is the hook torch.compile uses to lift storages touched while tracing.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

# set by the compiler while tracing a step: called with every storage read or written
observer = None


class VersionCounter:
    """torch's version counter: shared by a tensor, its views and its detach()es."""

    __slots__ = ("version",)

    def __init__(self, version: int = 0):
        self.version = version


class Storage:
    """A flat buffer of ``size`` elements of one dtype on one device."""

    __slots__ = ("_array", "gen", "size", "__weakref__")

    def __init__(self, array):
        self._array = array
        self.gen = 0
        self.size = math.prod(array.shape)

    @property
    def array(self):
        """The buffer as stored (any shape with ``size`` elements)."""
        if observer is not None:
            observer(self)
        return self._array

    def flat(self):
        a = self.array
        return a if a.ndim == 1 else a.reshape(-1)

    def read(self, shape, stride, offset, dtype=None):
        """The value of the view (shape, stride, offset) as a jax array.

        ``dtype`` (a numpy dtype) reinterprets the storage's bytes, for dtype views.
        """
        a = self.array
        if dtype is not None and dtype != a.dtype:
            return strided_read(
                reinterpret(a.reshape(-1), dtype), tuple(shape), tuple(stride), offset
            )
        if offset == 0 and math.prod(shape) == self.size and _is_contiguous(shape, stride):
            return a if a.shape == shape else a.reshape(shape)
        return strided_read(a, tuple(shape), tuple(stride), offset)

    def replace(self, array):
        """Swap in a whole new buffer (same element count)."""
        if observer is not None:
            observer(self)
        self._array = array
        self.gen += 1

    def write(self, shape, stride, offset, value):
        """Write ``value`` (of ``shape``) through the view (shape, stride, offset)."""
        a = self._array
        if value.dtype != a.dtype:
            # a dtype view: write into the reinterpreted buffer, then reinterpret back
            flat = reinterpret(self.array.reshape(-1), value.dtype)
            new = strided_write(flat, tuple(shape), tuple(stride), offset, value)
            self.replace(reinterpret(new, a.dtype).reshape(a.shape))
            return
        if offset == 0 and math.prod(shape) == self.size and _is_contiguous(shape, stride):
            self.replace(value)
        elif math.prod(shape) == 0:
            return
        else:
            self.replace(strided_write(self.array, tuple(shape), tuple(stride), offset, value))

    @property
    def dtype(self):
        return self._array.dtype

    @property
    def nbytes(self) -> int:
        return self.size * self._array.dtype.itemsize


def contiguous_strides(shape) -> tuple:
    strides = []
    acc = 1
    for s in reversed(shape):
        strides.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(strides))


def _is_contiguous(shape, stride) -> bool:
    # torch's definition: strides of size-1 dims do not matter
    acc = 1
    for n, s in zip(reversed(shape), reversed(stride)):
        if n != 1:
            if s != acc:
                return False
            acc *= n
    return True


is_contiguous = _is_contiguous


def has_internal_overlap(shape, stride) -> bool:
    """True when two elements of the view may share one storage element (torch refuses writes)."""
    dims = sorted((s, n) for n, s in zip(shape, stride) if n > 1)
    if any(s == 0 for s, _ in dims):
        return True
    span = 1
    for s, n in dims:
        if s < span:
            return True
        span = s * (n - 1) + span
    return False


# ------------------------------------------------------------------ strided kernels


def _plan(shape, stride):
    """How to read a strided view with reshape/slice/transpose instead of a gather.

    Returns (kept, ok): ``kept`` lists (dim, size, stride) of the dims that are neither size 1
    nor stride 0, sorted by decreasing stride; ``ok`` tells whether each stride divides the
    previous one and the dims do not overlap, which makes the view a slice of a reshape.
    """
    kept = sorted(
        ((d, n, s) for d, (n, s) in enumerate(zip(shape, stride)) if n != 1 and s != 0),
        key=lambda t: -t[2],
    )
    ok = True
    for (_, _, sa), (_, nb, sb) in zip(kept, kept[1:]):
        if sb == 0 or sa % sb or nb * sb > sa:
            ok = False
            break
    return kept, ok


def _segment(flat, start, length):
    """flat[start:start+length], zero-padded past the end."""
    size = flat.shape[0]
    end = min(start + length, size)
    seg = lax.slice(flat, (start,), (end,))
    if end - start < length:
        seg = jnp.pad(seg, (0, length - (end - start)))
    return seg


def _block_index(kept):
    block = (
        (kept[0][1],)
        + tuple(kept[j - 1][2] // kept[j][2] for j in range(1, len(kept)))
        + (kept[-1][2],)
    )
    index = (slice(None),) + tuple(slice(0, kept[j][1]) for j in range(1, len(kept))) + (0,)
    return block, index


def _iota_index(shape, stride, offset, size):
    idx_dtype = jnp.int32 if size < 2**31 else jnp.int64
    idx = jnp.full(shape, offset, idx_dtype)
    for d, (n, s) in enumerate(zip(shape, stride)):
        if n != 1 and s != 0:
            idx = idx + lax.broadcasted_iota(idx_dtype, shape, d) * s
    return idx


@functools.partial(jax.jit, static_argnums=(1, 2, 3))
def strided_read(buf, shape, stride, offset):
    flat = buf.reshape(-1)
    if math.prod(shape) == 0:
        return jnp.zeros(shape, flat.dtype)
    kept, ok = _plan(shape, stride)
    if not kept:
        v = lax.dynamic_index_in_dim(flat, offset, keepdims=False)
        return jnp.broadcast_to(v, shape)
    if not ok:
        return flat[_iota_index(shape, stride, offset, flat.shape[0])]
    block, index = _block_index(kept)
    v = _segment(flat, offset, kept[0][1] * kept[0][2]).reshape(block)[index]
    # v's axes follow ``kept``; put them back in the view's order, then restore size-1 and
    # stride-0 (broadcast) dims
    order = [d for d, _, _ in kept]
    v = jnp.transpose(v, _inverse_order(order))
    mid_shape = tuple(n if (n != 1 and s != 0) else 1 for n, s in zip(shape, stride))
    return jnp.broadcast_to(v.reshape(mid_shape), shape)


def _inverse_order(order):
    # axes of v are dims sorted by stride; transpose so they come in increasing dim order
    return sorted(range(len(order)), key=lambda i: order[i])


@functools.partial(jax.jit, static_argnums=(1, 2, 3))
def strided_write(buf, shape, stride, offset, value):
    flat = buf.reshape(-1)
    size = flat.shape[0]
    value = value.astype(flat.dtype)
    kept, ok = _plan(shape, stride)
    if not kept:
        v = value.reshape(())
        return lax.dynamic_update_index_in_dim(flat, v, offset, 0).reshape(buf.shape)
    if not ok:
        idx = _iota_index(shape, stride, offset, size)
        return flat.at[idx].set(value).reshape(buf.shape)
    order = [d for d, _, _ in kept]
    v = value.reshape(tuple(n for n, s in zip(shape, stride) if n != 1 and s != 0))
    # v's axes are the kept dims in increasing dim order; permute into ``kept`` (stride) order
    dims_sorted = sorted(order)
    v = jnp.transpose(v, [dims_sorted.index(d) for d in order])
    block, index = _block_index(kept)
    length = kept[0][1] * kept[0][2]
    seg = _segment(flat, offset, length).reshape(block).at[index].set(v).reshape(-1)
    seg = seg[: min(length, size - offset)]
    return lax.dynamic_update_slice(flat, seg, (offset,)).reshape(buf.shape)


def reinterpret(flat, dtype):
    """The bytes of a flat buffer as another dtype (flat result; sizes may differ)."""
    src = flat.dtype
    dtype = np.dtype(dtype)
    if src == dtype:
        return flat
    if jnp.issubdtype(src, jnp.complexfloating):
        real = jnp.stack([jnp.real(flat), jnp.imag(flat)], -1).reshape(-1)
        return reinterpret(real, dtype)
    if jnp.issubdtype(dtype, jnp.complexfloating):
        comp = np.dtype(np.float32 if dtype == np.complex64 else np.float64)
        r = reinterpret(flat, comp).reshape(-1, 2)
        return lax.complex(r[:, 0], r[:, 1])
    if src == np.bool_:
        return reinterpret(flat.astype(np.uint8), dtype)
    if dtype == np.bool_:
        return reinterpret(flat, np.uint8) != 0
    a, b = src.itemsize, dtype.itemsize
    if a == b:
        return lax.bitcast_convert_type(flat, dtype)
    if a > b:
        return lax.bitcast_convert_type(flat, dtype).reshape(-1)
    return lax.bitcast_convert_type(flat.reshape(-1, b // a), dtype)


def view_index_map(shape, stride, offset) -> np.ndarray:
    """Storage positions of every element of a view (host-side; used for rare layouts)."""
    idx = np.full(shape, offset, np.int64)
    for d, (n, s) in enumerate(zip(shape, stride)):
        r = np.arange(n, dtype=np.int64) * s
        idx = idx + r.reshape((1,) * d + (n,) + (1,) * (len(shape) - d - 1))
    return idx
