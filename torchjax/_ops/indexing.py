"""Tensor indexing: ``x[...]`` and ``x[...] = v`` with torch's rules, plus index / index_put_.

Basic indices (ints, slices, None, Ellipsis) apply left to right as view ops (select, slice,
unsqueeze), so results share storage and record SelectBackward0/SliceBackward0 chains as torch
does. Tensor (and list) indices then gather through ``index`` (IndexBackward0), numpy-style:
adjacent advanced indices keep their place, separated ones move to the front. Assignment
writes through the basic view with ``copy_`` (CopySlices on the base) or ``index_put_``.

Bounds of integer index tensors are checked on the host in eager mode, as torch's CPU kernels
check them (JAX would clamp silently); boolean masks become indices with ``nonzero`` and so need
concrete values (not available inside a compiled region).
"""

from __future__ import annotations

import builtins
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from . import _registry as R
from ._registry import op, register_method
from .views import _alias_view

_SLICE = R.OPS["slice"]


def _slice(t, dim, start, stop, step):
    return R.call_view(_SLICE, (t, dim, start, stop, step))


def _treat_as_tuple(index) -> bool:
    if isinstance(index, tuple):
        return True
    if isinstance(index, (Tensor, np.ndarray, str)):
        return False
    if not isinstance(index, list):
        return False
    if len(index) >= 32:
        return False
    for x in index:
        if isinstance(x, (Tensor, list, tuple, slice)) or x is Ellipsis or x is None:
            return True
    return False


def _as_index_tensor(x, device):
    from .._creation import tensor as make

    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return make(x, device=device)
    return make(x, device=device)


def _normalize(index):
    if _treat_as_tuple(index):
        if isinstance(index, list):
            warnings.warn(
                "Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed "
                "in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted "
                "as tensor index, x[torch.tensor(seq)], which will result either in an error or a different "
                "result (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_variable_indexing.cpp:349.)",
                UserWarning,
                stacklevel=3,
            )
        return tuple(index)
    return (index,)


def _is_int(x):
    return (isinstance(x, (builtins.int, np.integer)) and not isinstance(x, (builtins.bool, np.bool_)))


def _check_index_type(x):
    if isinstance(x, builtins.float):
        raise IndexError(
            "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)"
        )


def _apply_basic(self, index):
    """Apply the basic parts of ``index``; return (view, advanced {dim: tensor}, dims info)."""
    t = self
    idx = _normalize(index)
    specified = builtins.sum(
        1 for x in idx
        if not (x is None or x is Ellipsis or isinstance(x, (builtins.bool, np.bool_)))
        and not (isinstance(x, Tensor) and x._dtype in (D.bool, D.uint8))
    )
    specified += builtins.sum(
        x.dim() for x in idx if isinstance(x, Tensor) and x._dtype in (D.bool, D.uint8)
    )
    if specified > self.dim():
        raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
    if builtins.sum(1 for x in idx if x is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    dim = 0
    advanced = []  # (dim, tensor)
    single_slice = len(idx) == 1 and isinstance(idx[0], slice)
    for x in idx:
        _check_index_type(x)
        if isinstance(x, Tensor) and x.dim() == 0 and x._dtype._cat == D._INT and x._dtype is not D.uint8:
            x = x.__index__()  # a 0-dim integer tensor indexes like an int
        if _is_int(x):
            x = builtins.int(x)
            n = t._shape[dim]
            if not -n <= x < n:
                raise IndexError(f"index {x} is out of bounds for dimension {dim} with size {n}")
            t = t.select(dim, x)
        elif isinstance(x, slice):
            start, stop, step = x.start, x.stop, x.step
            start = _slice_int(start)
            stop = _slice_int(stop)
            step = 1 if step is None else _slice_int(step)
            if step <= 0:
                raise ValueError("step must be greater than zero")
            n = t._shape[dim]
            full = (start in (None, 0) or (start is not None and start <= -n)) and (stop is None or stop >= n) and step == 1
            if not full or single_slice:
                t = _slice(t, dim, start, stop, step)
            dim += 1
        elif x is None:
            t = t.unsqueeze(dim)
            dim += 1
        elif x is Ellipsis:
            dim += self.dim() - specified
        elif isinstance(x, (builtins.bool, np.bool_)):
            t = t.unsqueeze(dim)
            if not x:
                advanced.append((dim, _bool_scalar_index(False, t)))
            dim += 1
        else:
            it = _as_index_tensor(x, self.device)
            if it._dtype in (D.bool, D.uint8):
                if it._dtype is D.uint8:
                    warnings.warn(
                        "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.",
                        UserWarning,
                        stacklevel=3,
                    )
                if it.dim() == 0:
                    t = t.unsqueeze(dim)
                    if not it.item():
                        advanced.append((dim, _bool_scalar_index(False, t)))
                    dim += 1
                    continue
                for k in range(it.dim()):
                    if dim + k >= t.dim() or it._shape[k] != t._shape[dim + k]:
                        raise IndexError(
                            f"The shape of the mask [{', '.join(map(str, it._shape))}] at index {k} does not match "
                            f"the shape of the indexed tensor [{', '.join(map(str, t._shape))}] at index {dim + k}"
                        )
                nz = it.nonzero()
                for k in range(it.dim()):
                    advanced.append((dim + k, nz.select(1, k)))
                dim += it.dim()
            else:
                if it._dtype._cat != D._INT:
                    raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
                advanced.append((dim, it))
                dim += 1
    if not advanced and t is self:
        t = _alias_view(self) if any(x is Ellipsis for x in idx) or len(idx) == 0 else t
    return t, advanced


def _bool_scalar_index(value, t):
    from .._creation import tensor as make

    return make([0] if value else [], dtype=D.int64, device=t.device)


def _slice_int(v):
    if v is None:
        return None
    if isinstance(v, Tensor):
        return v.__index__()
    if not hasattr(v, "__index__"):
        raise TypeError("slice indices must be integers or None or have an __index__ method")
    return v.__index__()


def _index_list(t, advanced):
    lst = [None] * t.dim()
    for d, it in advanced:
        lst[d] = it
    while lst and lst[-1] is None:
        lst.pop()
    return lst


def _check_bounds(t, lst):
    for d, it in enumerate(lst):
        if it is None or it.numel() == 0:
            continue
        v = it._v()
        if isinstance(v, jax.core.Tracer):
            continue
        n = t._shape[d]
        lo, hi = (builtins.int(x) for x in np.asarray(jnp.stack([v.min(), v.max()]).astype(np.int64)))
        if hi >= n or lo < -n:
            bad = hi if hi >= n else lo
            raise IndexError(f"index {bad} is out of bounds for dimension {d} with size {n}")


def __getitem__(self, indices):
    t, advanced = _apply_basic(self, indices)
    if not advanced:
        return t
    lst = _index_list(t, advanced)
    _check_bounds(t, lst)
    return index(t, lst)


def _indexer(lst):
    return tuple(slice(None) if i is None else i for i in lst)


@op("index(Tensor input, Tensor?[] indices) -> Tensor", function=False, promote="none", saves=("indices",),
    grad="IndexBackward0")
def _index_value(input, indices):
    return input[_indexer(indices)]


_INDEX = R.OPS["index"]


def index(t, lst):
    """aten::index: advanced indexing by a list of index tensors (None: whole dim)."""
    return R.call(_INDEX, (t, lst))


def _broadcast_value(values, shape):
    vshape = tuple(values.shape)
    if len(vshape) > len(shape):
        # leading 1s may be dropped
        extra = vshape[: len(vshape) - len(shape)]
        if any(s != 1 for s in extra):
            return None
        vshape = vshape[len(vshape) - len(shape):]
    for a, b in zip(reversed(vshape), reversed(shape)):
        if a != b and a != 1:
            return None
    return True


def _check_index_put(self, indices, values, accumulate=False):
    lst = list(indices)
    if len(lst) > self.dim():
        raise IndexError(f"too many indices for tensor of dimension {self.dim()} (got {len(lst)})")


@op("index_put(Tensor input, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor", method=True,
    inplace=True, promote="none", check=_check_index_put, grad="IndexPutBackward0")
def index_put(input, indices, values, accumulate=False):
    idx = _indexer(indices)
    target_shape = jax.eval_shape(lambda a: a[idx], input).shape
    if _broadcast_value(values, target_shape) is None:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape [{', '.join(map(str, values.shape))}] cannot be broadcast "
            f"to indexing result of shape [{', '.join(map(str, target_shape))}]"
        )
    v = values.astype(input.dtype)
    if v.ndim > len(target_shape):
        v = v.reshape(v.shape[v.ndim - len(target_shape):])
    if accumulate:
        return input.at[idx].add(v)
    return input.at[idx].set(v)


def __setitem__(self, indices, value):
    if isinstance(value, Tensor):
        pass
    elif isinstance(value, (builtins.int, builtins.float, builtins.bool, builtins.complex, np.number, np.bool_)):
        pass
    else:
        from .._creation import tensor as make

        value = make(value, dtype=self._dtype, device=self.device)
    t, advanced = _apply_basic(self, indices)
    if not advanced:
        if isinstance(value, Tensor) and value.dim() > t.dim():
            # torch drops leading size-1 dims of the value before copying
            extra = value._shape[: value.dim() - t.dim()]
            if all(s == 1 for s in extra):
                value = value.reshape(value._shape[value.dim() - t.dim():])
        if isinstance(value, Tensor) and value.dim() <= t.dim():
            from .views import _expand_meta

            _expand_meta(value, t._shape)
        t.copy_(value)
        return
    lst = _index_list(t, advanced)
    _check_bounds(t, lst)
    if not isinstance(value, Tensor):
        from .._creation import tensor as make

        value = make(value, dtype=self._dtype, device=self.device)
    elif value._dtype is not t._dtype:
        value = value.to(t._dtype)
    t.index_put_(lst, value)


register_method("__getitem__", __getitem__)
register_method("__setitem__", __setitem__)


def _host_values(t, what):
    v = t._v()
    if isinstance(v, jax.core.Tracer):
        raise RuntimeError(
            f"{what} has a data-dependent output shape and cannot run inside a compiled region; "
            "torchjax runs it eagerly (move it out of the compiled function)"
        )
    return np.asarray(v)


def nonzero(input, *, out=None, as_tuple=False):
    """torch.nonzero: (n, ndim) int64 indices of nonzero elements (or a tuple of index vectors)."""
    from .._creation import from_host

    a = _host_values(input, "nonzero")
    if a.dtype.kind == "V" or a.dtype == jnp.bfloat16:
        a = a.astype(np.float32)
    idx = np.argwhere(a != 0).astype(np.int64) if a.ndim else np.zeros((int(a != 0), 0), np.int64)
    if as_tuple:
        if a.ndim == 0:
            return (from_host(np.zeros(int(a != 0), np.int64), device=input.device),)
        return tuple(from_host(np.ascontiguousarray(idx[:, k]), device=input.device) for k in range(a.ndim))
    t = from_host(idx, device=input.device)
    if out is not None:
        R.copy_into_out(t._v(), out)
        return out
    return t


def argwhere(input):
    """torch.argwhere."""
    return nonzero(input)


R.register_function("nonzero", nonzero)
R.register_function("argwhere", argwhere)
register_method("nonzero", lambda self, *, as_tuple=False: nonzero(self, as_tuple=as_tuple))
register_method("argwhere", argwhere)
