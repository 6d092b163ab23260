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
import functools
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_method
from ._util import wrap_dim
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
    if isinstance(x, range):
        x = list(x)
    if isinstance(x, (list, tuple)) and _all_empty(x):
        from .. import _dtype as DT

        return make(
            x, dtype=DT.int64, device=device
        )  # torch: an empty sequence is an empty long index
    return make(x, device=device)


def _all_empty(x):
    return all(isinstance(v, (list, tuple)) and _all_empty(v) for v in x)


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
    return isinstance(x, (builtins.int, np.integer)) and not isinstance(
        x, (builtins.bool, np.bool_)
    )


def _check_index_type(x):
    if isinstance(x, builtins.float):
        raise IndexError(
            "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)"
        )


def _apply_basic(self, index, for_set=False):
    """Apply the basic parts of ``index``; return (view, advanced [(dim, index tensor)]).

    As torch: for reading, a lone slice always makes a view and an index that selects
    everything returns an alias; for assignment, full slices are skipped (the write goes to
    ``self`` itself)."""
    t = self
    idx = _normalize(index)
    specified = builtins.sum(
        1
        for x in idx
        if not (x is None or x is Ellipsis or isinstance(x, (builtins.bool, np.bool_)))
        and not (isinstance(x, Tensor) and x._dtype in (D.bool, D.uint8))
    )
    specified += builtins.sum(
        x.dim() for x in idx if isinstance(x, Tensor) and x._dtype in (D.bool, D.uint8)
    )
    if specified > self.dim():
        raise IndexError(f"too many indices for tensor of dimension {self.dim()}")
    dim = 0
    real = 0  # the dim of ``self`` the next index refers to (torch's error messages use it)
    advanced = []  # (dim, tensor)
    single_slice = len(idx) == 1 and isinstance(idx[0], slice) and not for_set
    for x in idx:
        _check_index_type(x)
        if (
            isinstance(x, Tensor)
            and x.dim() == 0
            and x._dtype._cat == D._INT
            and x._dtype is not D.uint8
        ):
            x = x.__index__()  # a 0-dim integer tensor indexes like an int
        if _is_int(x):
            x = builtins.int(x)
            n = t._shape[dim]
            if not -n <= x < n:
                raise IndexError(f"index {x} is out of bounds for dimension {real} with size {n}")
            t = t.select(dim, x)
            real += 1
        elif isinstance(x, slice):
            start, stop, step = x.start, x.stop, x.step
            start = _slice_int(start)
            stop = _slice_int(stop)
            step = 1 if step is None else _slice_int(step)
            if step == 0:
                raise ValueError("slice step cannot be zero")
            if step < 0:
                raise ValueError("step must be greater than zero")
            n = t._shape[dim]
            full = (
                (start in (None, 0) or (start is not None and start <= -n))
                and (stop is None or stop >= n)
                and step == 1
            )
            if not full or single_slice:
                t = _slice(t, dim, start, stop, step)
            dim += 1
            real += 1
        elif x is None:
            t = t.unsqueeze(dim)
            dim += 1
        elif x is Ellipsis:
            dim += self.dim() - specified
            real += self.dim() - specified
        elif isinstance(x, (builtins.bool, np.bool_)):
            # torch: a bool scalar is a 0-d bool mask -- a new dim of size 1 (True) or 0 (False), advanced
            t = t.unsqueeze(dim)
            advanced.append((dim, _bool_scalar_index(builtins.bool(x), t)))
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
                    advanced.append((dim, _bool_scalar_index(builtins.bool(it.item()), t)))
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
                real += it.dim()
            else:
                if it._dtype._cat != D._INT:
                    raise IndexError(
                        "tensors used as indices must be long, int, byte or bool tensors"
                    )
                advanced.append((dim, it))
                dim += 1
                real += 1
    if not advanced and t is self and not for_set:
        t = _alias_view(self)  # torch returns a shallow alias (AliasBackward0), never self
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
    """Host bounds check of index tensors; messages count dims among the indexed ones, as torch's kernel."""
    k = -1
    for d, it in enumerate(lst):
        if it is None:
            continue
        k += 1
        if it.numel() == 0:
            continue
        mm = _host_minmax(it)
        if mm is None:
            continue
        n = t._shape[d]
        lo, hi = mm
        if hi >= n or lo < -n:
            bad = hi if hi >= n else lo
            raise IndexError(f"index {bad} is out of bounds for dimension {k} with size {n}")


def __getitem__(self, indices):
    t, advanced = _apply_basic(self, indices)
    if not advanced:
        return t
    lst = _index_list(t, advanced)
    _check_bounds(t, lst)
    return index(t, lst)


def _indexer(lst):
    return tuple(slice(None) if i is None else i for i in lst)


@op(
    "index(Tensor input, Tensor?[] indices) -> Tensor",
    function=False,
    promote="none",
    saves=("indices",),
    grad="IndexBackward0",
)
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
        vshape = vshape[len(vshape) - len(shape) :]
    for a, b in zip(reversed(vshape), reversed(shape)):
        if a != b and a != 1:
            return None
    return True


def _put_flat(x, pos, v, accumulate):
    flat = x.reshape(-1)
    if pos.size == 0:
        return x
    from .scatter import _scatter_set, at_add

    if accumulate:
        return at_add(flat, (pos,), v).reshape(x.shape)

    return _scatter_set(flat, (pos,), v).reshape(x.shape)


@functools.partial(jax.custom_vjp, nondiff_argnums=(3,))
def _put_core(x, pos, v, accumulate):
    return _put_flat(x, pos, v, accumulate)


def _put_core_fwd(x, pos, v, accumulate):
    return _put_flat(x, pos, v, accumulate), pos


def _put_core_bwd(accumulate, pos, g):
    # torch (index_put): self <- grad (accumulate) or grad.index_put(indices, 0); values <- grad[indices]
    flat = g.reshape(-1)
    gx = g if accumulate else flat.at[pos].set(jnp.zeros((), g.dtype)).reshape(g.shape)
    return gx, np.zeros(pos.shape, jax.dtypes.float0), flat[pos]


_put_core.defvjp(_put_core_fwd, _put_core_bwd)


@op(
    "_index_put(Tensor input, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor",
    function=False,
    promote="none",
    saves=("indices",),
    grad="IndexPutBackward0",
)
def _index_put_value(input, indices, values, accumulate=False):
    idx = _indexer(indices)
    n = builtins.max(input.size, 1)
    ptype = np.int32 if n < 2**31 else np.int64
    pos = jnp.arange(input.size, dtype=ptype).reshape(input.shape)[idx]
    target_shape = pos.shape
    if _broadcast_value(values, target_shape) is None:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape [{', '.join(map(str, values.shape))}] cannot be broadcast "
            f"to indexing result of shape [{', '.join(map(str, target_shape))}]"
        )
    v = values.astype(input.dtype)
    if v.ndim > len(target_shape):
        v = v.reshape(v.shape[v.ndim - len(target_shape) :])
    v = jnp.broadcast_to(v, target_shape).reshape(-1)
    pos = pos.reshape(-1)
    if jnp.issubdtype(input.dtype, jnp.inexact):
        return _put_core(input, pos, v, builtins.bool(accumulate))
    return _put_flat(input, pos, v, accumulate)


_INDEX_PUT = R.OPS["_index_put"]


def _index_put_internal(t, lst, values, accumulate=False, inplace=True):
    """index_put_ on an index list from indexing (None entries: whole dims; bounds already checked)."""
    return R.call(_INDEX_PUT, (t, lst, values, accumulate), None, inplace)


def _index_put_front(inplace):
    def index_put(input, indices, values, accumulate=False):
        name = "index_put_" if inplace else "index_put"
        if isinstance(indices, Tensor) or not isinstance(indices, (list, tuple)):
            raise TypeError(
                f"{name}(): argument 'indices' (position 1) must be tuple of Tensors, not "
                f"{type(indices).__name__}"
            )
        for i, it in enumerate(indices):
            if not isinstance(it, Tensor):
                raise TypeError(
                    f"expected Tensor as element {i} in argument 0, but got {type(it).__name__}"
                )
        if not isinstance(values, Tensor):
            raise TypeError(
                f"{name}(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}"
            )
        # masks become index tensors (as torch's expandTensors), then the usual checks
        lst = []
        for it in indices:
            if it._dtype in (D.bool, D.uint8):
                d = len(lst)
                for k in range(it.dim()):
                    if d + k >= input.dim() or it._shape[k] != input._shape[d + k]:
                        raise IndexError(
                            f"The shape of the mask [{', '.join(map(str, it._shape))}] at index {k} does not match "
                            f"the shape of the indexed tensor [{', '.join(map(str, input._shape))}] at index {d + k}"
                        )
                nz = it.nonzero()
                lst.extend(nz.select(1, k) for k in range(it.dim()))
            elif it._dtype._cat != D._INT:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            else:
                lst.append(it)
        if len(lst) > input.dim():
            raise IndexError(
                f"too many indices for tensor of dimension {input.dim()} (got {len(lst)})"
            )
        if values._dtype is not input._dtype:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{input._dtype._scalar_name} for the destination and {values._dtype._scalar_name} for the source."
            )
        _check_bounds(input, lst)
        return R.call(_INDEX_PUT, (input, lst, values, builtins.bool(accumulate)), None, inplace)

    index_put.__name__ = "index_put_" if inplace else "index_put"
    index_put.__doc__ = "torch.index_put: ``input[indices] = values`` (``+=`` with accumulate)."
    return index_put


index_put = _index_put_front(False)
index_put_ = _index_put_front(True)
R.register_function("index_put", index_put)
R.register_function("index_put_", index_put_)
register_method("index_put", index_put)
register_method("index_put_", index_put_)


_OVERFLOW_NAMES = {
    "float32": "float",
    "float64": "double",
    "float16": "double",
    "bfloat16": "double",
    "int64": "int64_t",
    "int32": "int",
    "int16": "int16_t",
    "int8": "int8_t",
    "uint8": "uint8_t",
    "uint16": "uint16_t",
    "uint32": "uint32_t",
    "uint64": "uint64_t",
}


def _check_scalar_fits(v, dt):
    """torch's checked conversion of a Python scalar assigned into a tensor of dtype ``dt``."""
    if isinstance(v, builtins.bool) or dt is D.bool or dt.is_complex:
        return
    if isinstance(v, builtins.int) and not -(2**63) <= v < 2**63:
        raise ValueError("Overflow when unpacking long long")
    name = _OVERFLOW_NAMES.get(dt._name)
    err = RuntimeError(f"value cannot be converted to type {name} without overflow")
    if isinstance(v, builtins.complex):
        raise err
    if dt.is_floating_point:
        if (
            dt is D.float32
            and isinstance(v, builtins.float)
            and np.isfinite(v)
            and builtins.abs(v) > np.finfo(np.float32).max
        ):
            raise err
        return
    info = np.iinfo(dt._np)
    lo = (-info.max if isinstance(v, builtins.int) else 0) if info.min == 0 else info.min
    if isinstance(v, builtins.float) and (v != v or v < lo or v > info.max):
        raise err
    if isinstance(v, builtins.int) and not lo <= v <= info.max:
        raise err


def _scalar_value_for_set(self, value):
    if isinstance(value, (builtins.bool, builtins.int, builtins.float, builtins.complex)):
        return value
    if isinstance(value, np.integer):
        return builtins.int(value)
    raise TypeError(f"can't assign a {_typename(value)} to a torch.{self._dtype._legacy}")


def _typename(v):
    t = type(v)
    mod = t.__module__
    if mod == "builtins":
        return t.__name__
    if mod == "numpy":
        return "numpy." + t.__name__
    return f"{mod}.{t.__name__}"


def __setitem__(self, indices, value):
    from .._creation import tensor as make

    if not isinstance(value, Tensor):
        value = _scalar_value_for_set(self, value)
        _check_scalar_fits(value, self._dtype)
    t, advanced = _apply_basic(self, indices, for_set=True)
    if not advanced:
        # torch's copy_to: same shape -> copy_; a scalar or 0-d value -> fill_; else drop the value's
        # leading 1s and expand it to the destination's shape
        if not isinstance(value, Tensor) or value.dim() == 0:
            t.fill_(value)
            return
        if value._shape != t._shape:
            k = 0
            while k < value.dim() and value._shape[k] == 1:
                k += 1
            value = value.view(value._shape[k:]).expand(t._shape)
        t.copy_(value)
        return
    lst = _index_list(t, advanced)
    _check_bounds(t, lst)
    if not isinstance(value, Tensor):
        value = make(value, dtype=self._dtype, device=self.device)
    elif value._dtype is not t._dtype:
        idx = _normalize(indices)
        lone_mask = len(idx) == 1 and isinstance(idx[0], Tensor) and idx[0]._dtype is D.bool
        if lone_mask and value.numel() == 1:
            value = value.to(t._dtype)
        else:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{t._dtype._scalar_name} for the destination and {value._dtype._scalar_name} for the source."
            )
    _index_put_internal(t, lst, value)


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
        return tuple(
            from_host(np.ascontiguousarray(idx[:, k]), device=input.device) for k in range(a.ndim)
        )
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


# ------------------------------------------------------------------ host helpers


_OVERLAP_MSG = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory "
    "location. Please clone() the tensor before performing the operation."
)


def overlap_status(a, b):
    """ATen's get_overlap_status(a, b): ``"full"`` (the same tensor, or the same bytes with the same
    strides), ``"partial"`` (intersecting byte ranges of one storage), ``"no"``, or ``"too_hard"``
    (either is not non-overlapping and dense: torch's overlap asserts let it pass)."""
    if a is b:
        return "full"
    if not a.numel() or not b.numel():
        return "no"
    if not a.is_non_overlapping_and_dense() or not b.is_non_overlapping_and_dense():
        return "too_hard"
    if a._storage is b._storage:
        a0 = a.storage_offset() * a.element_size()
        b0 = b.storage_offset() * b.element_size()
        a1, b1 = a0 + a.numel() * a.element_size(), b0 + b.numel() * b.element_size()
        if a0 == b0 and a1 == b1:
            return "full" if a.stride() == b.stride() else "partial"
        if a0 < b1 and b0 < a1:
            return "partial"
    return "no"


def check_out(name, out, inputs=(), dtype=None, partial=(), resize_to=None):
    """torch's checks on an ``out=`` tensor: dtype (when it must match exactly); with ``resize_to``
    (structured kernels: gather ...) ``out`` is first resized to that shape, as torch does before
    its overlap asserts; then internal overlap, overlap with each of ``inputs``
    (``at::assert_no_overlap``) and partial overlap with each of ``partial``
    (``at::assert_no_partial_overlap``)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if dtype is not None and out._dtype is not dtype:
        raise RuntimeError(
            f"Expected out tensor to have dtype {dtype._np.name.replace('float32', 'float').replace('float64', 'double')}, "
            f"but got {out._dtype._np.name.replace('float32', 'float').replace('float64', 'double')} instead"
        )
    if resize_to is not None:
        R.resize_output(out, resize_to, stacklevel=4)
    from .. import _storage as S

    if out.numel() and S.has_internal_overlap(out._shape, out.stride()):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location. Please clone() the tensor before performing the operation."
        )
    for t in inputs:
        if isinstance(t, Tensor) and overlap_status(out, t) in ("full", "partial"):
            raise RuntimeError(_OVERLAP_MSG)
    for t in partial:
        if isinstance(t, Tensor) and overlap_status(out, t) == "partial":
            raise RuntimeError(_OVERLAP_MSG)


def with_out(opname, name=None, exact_dtype=False, partial=(), out_shape=None, out_check=None):
    """torch.<opname>(..., out=None) over an op declared with function=False: ``check_out`` on
    ``out`` (``partial``: names of the parameters only checked for partial overlap;
    ``out_shape(*args)``: the shape ``out`` is resized to before the overlap checks;
    ``out_check(out, *args)``: the op's own checks on ``out`` that torch makes first), then R.call."""
    o = R.OPS[opname]
    name = name or opname
    pnames = [p.name for p in o.params]

    def front(*args, out=None, **kwargs):
        sig_args = _bind(o, args, kwargs, name)
        if out is not None:
            if out_check is not None and isinstance(out, Tensor):
                out_check(out, *sig_args)
            tensors = [(n, a) for n, a in zip(pnames, sig_args) if isinstance(a, Tensor)]
            check_out(
                name,
                out,
                [a for n, a in tensors if n not in partial],
                sig_args[0]._dtype if exact_dtype and isinstance(sig_args[0], Tensor) else None,
                [a for n, a in tensors if n in partial],
                None if out_shape is None else out_shape(*sig_args),
            )
        return R.call(o, tuple(sig_args), out)

    front.__name__ = name
    front.__doc__ = f"torch.{name} (with torch's checks on ``out=``)."
    return front


def _bind(o, args, kwargs, name):
    vals = []
    for i, p in enumerate(o.params):
        if i < len(args):
            vals.append(args[i])
        elif p.name in kwargs:
            vals.append(kwargs.pop(p.name))
        elif p.has_default:
            vals.append(p.default)
        else:
            raise TypeError(f"{name}() missing required argument '{p.name}' (pos {i + 1})")
    if len(args) > len(o.params):
        raise TypeError(
            f"{name}() takes {len(o.params)} positional arguments but {len(args)} were given"
        )
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return vals


def _host_minmax(t):
    """(min, max) of an integer tensor's values on the host, or None inside a compiled region.

    Cached on the tensor per storage generation: an index tensor reused every step syncs once.
    """
    v = t._v()
    if isinstance(v, jax.core.Tracer):
        return None
    key = (id(t._storage), t._storage.gen, t._offset, t._shape, t.stride())
    c = t.__dict__.get("_minmax")
    if c is not None and c[0] == key:
        return c[1]
    if t.device.type == "cpu":
        a = np.asarray(v)
        mm = (builtins.int(a.min()), builtins.int(a.max()))
    else:  # two scalars cross to the host, not the whole index
        lo, hi = np.asarray(jnp.stack([v.min(), v.max()]).astype(np.int64))
        mm = (builtins.int(lo), builtins.int(hi))
    t.__dict__["_minmax"] = (key, mm)
    return mm


# ------------------------------------------------------------------ index_select


def _index_select_check(input, dim, index):
    if not isinstance(index, Tensor):
        raise TypeError(
            f"index_select(): argument 'index' (position 3) must be Tensor, not {type(index).__name__}"
        )
    d = wrap_dim(dim, input.dim())
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    n = input._shape[d] if input.dim() else 1
    if index.numel():
        mm = _host_minmax(index)
        if mm is not None:
            lo, hi = mm
            if hi >= n or lo < 0:
                bad = hi if hi >= n else lo
                if input.dim() == 0:
                    raise IndexError("index out of range in self")
                raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={n}")


@op(
    "index_select(Tensor input, int dim, Tensor index) -> Tensor",
    method=True,
    function=False,
    promote="none",
    saves=("index",),
    check=_index_select_check,
)
def index_select(input, dim, index):
    if input.ndim == 0:
        return (
            input
            if index.size
            else jnp.zeros((0,) if index.ndim else (), input.dtype).reshape(
                () if index.ndim == 0 else (0,)
            )
        )
    d = dim % input.ndim
    return jnp.take(input, index.reshape(-1).astype(np.int64), axis=d)


# ------------------------------------------------------------------ masked_fill / masked_select


_C_NAMES = {
    "uint8": "unsigned char",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long int",
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "bfloat16": "c10::BFloat16",
    "bool": "bool",
    "complex64": "c10::complex<float>",
    "complex128": "c10::complex<double>",
    "uint16": "unsigned short",
    "uint32": "unsigned int",
    "uint64": "unsigned long",
}


def _masked_fill_check(input, mask, value):
    if not isinstance(mask, Tensor):
        raise TypeError(
            f"masked_fill(): argument 'mask' (position 2) must be Tensor, not {type(mask).__name__}"
        )
    if mask._dtype is not D.bool:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {_C_NAMES.get(mask._dtype._name)}"
        )
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(
                f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.dim()} dimension(s)."
            )
        v = value.item()
    else:
        v = value
    if (
        isinstance(v, builtins.complex)
        and not input._dtype.is_complex
        and input._dtype is not D.bool
    ):
        name = {"float16": "c10::Half", "bfloat16": "c10::BFloat16"}.get(
            input._dtype._name
        ) or _OVERFLOW_NAMES.get(input._dtype._name)
        raise RuntimeError(f"value cannot be converted to type {name} without overflow")


def _masked_fill_value(input, mask, value):
    from .copy import convert

    shape = jnp.broadcast_shapes(input.shape, mask.shape)
    return jnp.where(mask, convert(value, input.dtype), jnp.broadcast_to(input, shape))


@op(
    "_masked_fill_scalar(Tensor input, Tensor mask, Scalar value) -> Tensor",
    function=False,
    promote="none",
    saves=("mask",),
    grad="MaskedFillBackward0",
)
def _masked_fill_scalar(input, mask, value):
    return _masked_fill_value(input, mask, value)


@op(
    "_masked_fill_tensor(Tensor input, Tensor mask, Tensor value) -> Tensor",
    function=False,
    promote="none",
    saves=("mask",),
    grad="MaskedFillBackward1",
)
def _masked_fill_tensor(input, mask, value):
    return _masked_fill_value(input, mask, value)


def _masked_fill_front(inplace):
    def masked_fill(input, mask, value, *, out=None):
        _masked_fill_check(input, mask, value)
        if isinstance(value, Tensor):
            return R.call(R.OPS["_masked_fill_tensor"], (input, mask, value), out, inplace)
        if not R._is_number(value):
            raise TypeError(
                f"masked_fill(): argument 'value' (position 3) must be Number, not {type(value).__name__}"
            )
        return R.call(R.OPS["_masked_fill_scalar"], (input, mask, value), out, inplace)

    masked_fill.__name__ = "masked_fill_" if inplace else "masked_fill"
    masked_fill.__doc__ = (
        "torch.masked_fill: ``value`` where ``mask`` is True (broadcast), else ``input``."
    )
    return masked_fill


masked_fill = _masked_fill_front(False)
masked_fill_ = _masked_fill_front(True)


def masked_select(input, mask, *, out=None):
    """torch.masked_select: the elements of ``input`` where ``mask`` (broadcast) is True, as a 1-d tensor."""
    from .copy import broadcast_shapes2

    if not isinstance(mask, Tensor):
        raise TypeError(
            f"masked_select(): argument 'mask' (position 2) must be Tensor, not {type(mask).__name__}"
        )
    if mask._dtype is not D.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes2(input._shape, mask._shape)
    x = input if input._shape == shape else input.expand(shape)
    m = np.broadcast_to(_host_values(mask, "masked_select"), shape)
    from .._creation import from_host

    idx = from_host(np.flatnonzero(m).astype(np.int64), device=input.device)
    if out is not None:
        for t in (input, mask):
            if t._storage is out._storage and t.numel() and out.numel():
                raise RuntimeError(
                    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
                    "single memory location. Please clone() the tensor before performing the operation."
                )
    return R.call(R.OPS["_masked_select"], (x, idx), out)


@op(
    "_masked_select(Tensor input, Tensor flat_index) -> Tensor",
    function=False,
    promote="none",
    saves=("flat_index",),
    grad="MaskedSelectBackward0",
)
def _masked_select_value(input, flat_index):
    return input.reshape(-1)[flat_index]


# ------------------------------------------------------------------ index_put (function) / _unsafe_masked_index


def _unsafe_masked_index(x, mask, indices, fill):
    """torch._unsafe_masked_index: ``where(mask, x[indices], fill)`` with indices clamped into range."""
    lst = []
    for d, it in enumerate(indices):
        if it is None:
            lst.append(None)
            continue
        n = x._shape[d]
        lst.append(it.clamp(-n, n - 1) if n else it)
    r = R.call(R.OPS["_unsafe_masked_index_k"], (x, mask, lst, fill))
    return r


def _clamped(x, indices):
    out = []
    for d, it in enumerate(indices):
        if it is None:
            out.append(slice(None))
        else:
            n = x.shape[d]
            out.append(jnp.clip(it, -n, n - 1) if n else it)
    return tuple(out)


@op(
    "_unsafe_masked_index_k(Tensor x, Tensor mask, Tensor?[] indices, Scalar fill) -> Tensor",
    function=False,
    promote="none",
    saves=("mask", "indices"),
    grad="UnsafeMaskedIndexBackward0",
)
def _unsafe_masked_index_k(x, mask, indices, fill):
    from .copy import convert

    v = x[_clamped(x, indices)]
    return jnp.where(mask, v, convert(fill, x.dtype))


@op(
    "_unsafe_masked_index_put_accumulate(Tensor x, Tensor mask, Tensor?[] indices, Tensor values) -> Tensor",
    promote="none",
    saves=("mask", "indices"),
)
def _unsafe_masked_index_put_accumulate(x, mask, indices, values):
    vals = jnp.where(mask, values, jnp.zeros((), values.dtype)).astype(x.dtype)
    return x.at[_clamped(x, indices)].add(vals)


R.register_function("index_select", with_out("index_select"))
R.register_function("masked_fill", masked_fill)
R.register_function("masked_select", masked_select)
R.register_function("_unsafe_masked_index", _unsafe_masked_index)
register_method("masked_fill", masked_fill)
register_method("masked_fill_", masked_fill_)
register_method("masked_select", lambda self, mask: masked_select(self, mask))


# ------------------------------------------------------------------ nonzero_static


def _nonzero_static_check(input, size, fill_value=-1):
    if size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")


@op(
    "nonzero_static(Tensor input, *, int size, int fill_value=-1) -> Tensor",
    method=True,
    promote="none",
    differentiable=False,
    check=_nonzero_static_check,
)
def nonzero_static(input, size, fill_value=-1):
    """The first ``size`` nonzero coordinates (padded with ``fill_value``): a static shape, so jittable."""
    nd = builtins.max(input.ndim, 0)
    if input.size == 0:
        return jnp.full((size, nd), fill_value, np.int64)
    flat = (input != 0).reshape(-1)
    (pos,) = jnp.nonzero(flat, size=size, fill_value=-1)
    if nd == 0:
        return jnp.zeros((size, 0), np.int64)
    coords = jnp.stack(jnp.unravel_index(jnp.maximum(pos, 0), input.shape), axis=-1).astype(
        np.int64
    )
    return jnp.where((pos >= 0)[:, None], coords, jnp.asarray(fill_value, np.int64))
