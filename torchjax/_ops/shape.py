"""Joining, tiling and rearranging ops: cat/stack and friends, flip/roll/rot90,
repeat/tile/repeat_interleave, meshgrid, cartesian_prod/combinations,
broadcast_tensors/broadcast_shapes, atleast_Nd, take/take_along_dim, resize_/resize_as_, _chunk_cat,
unravel_index. Triangular and diagonal ops live in ``diag.py``, padding in ``padding.py``.

Where torch implements an op as a composition (hstack = atleast_1d + cat, repeat_interleave with
an int = unsqueeze + expand + clone + flatten ...) it is written the same way here, so results and
grad_fn chains match torch's.
"""

from __future__ import annotations

import builtins
import itertools
import math
import warnings

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._size import Size
from .._tensor import Tensor
from ..autograd import grad_mode
from . import _registry as R
from ._registry import op, register_function, register_method
from ._util import wrap_dim


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _tensor_list(tensors, name, argname="tensors"):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{name}(): argument '{argname}' (position 1) must be tuple of Tensors, not {type(tensors).__name__}"
        )
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    return list(tensors)


def _varargs_tensors(args, name):
    """torch's ``*tensors`` convention: f(a, b) or f([a, b])."""
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = tuple(args[0])
    for i, t in enumerate(args):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{name}(): expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    return list(args)


def _int(v, name, arg, what="int"):
    if isinstance(v, Tensor):
        if v.numel() == 1 and not (v._dtype.is_floating_point or v._dtype.is_complex):
            return v.__index__()
    elif hasattr(v, "__index__") and not isinstance(v, (builtins.float, builtins.bool)):
        return v.__index__()
    elif isinstance(v, builtins.bool):
        return builtins.int(v)
    raise TypeError(f"{name}(): argument '{arg}' must be {what}, not {type(v).__name__}")


def _ints(v, name, arg):
    if isinstance(v, (list, tuple, Size)):
        return tuple(_int(x, name, arg, "tuple of ints") for x in v)
    return (_int(v, name, arg, "tuple of ints"),)


# ------------------------------------------------------------------ cat / stack


def _skipped(t) -> bool:
    """torch's legacy rule: 1-D empty tensors are ignored by cat (except for dtype promotion)."""
    return t.dim() == 1 and t._shape[0] == 0


def _cat_check(tensors, dim=0):
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    valid = [i for i, t in enumerate(tensors) if not _skipped(t)]
    if not valid:
        return None
    first = tensors[valid[0]]
    d = wrap_dim(dim, first.dim())
    for i in valid:
        t = tensors[i]
        if t.dim() != first.dim():
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {first.dim()} and {t.dim()}"
            )
        for k in range(first.dim()):
            if k != d and t._shape[k] != first._shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {first._shape[k]} but got "
                    f"size {t._shape[k]} for tensor number {i} in the list."
                )
    devs = {t.device for t in tensors}
    if len(devs) > 1:
        raise RuntimeError(
            "Expected all tensors to be on the same device, but found at least two devices, "
            + " and ".join(str(d) for d in list(devs)[:2])
            + "!"
        )
    return d


@op("_cat(Tensor[] tensors, int dim=0) -> Tensor", function=False, grad="CatBackward0", saves=())
def _cat_value(tensors, dim=0):
    keep = [a for a in tensors if not (a.ndim == 1 and a.shape[0] == 0)]
    if not keep:
        return jnp.zeros((0,), tensors[0].dtype)
    d = dim % keep[0].ndim
    if len(keep) == 1:
        return keep[0]
    return jnp.concatenate(keep, axis=d)


_CAT = R.OPS["_cat"]


def _channels_last_all(tensors):
    from .._memory_format import channels_last, is_contiguous_as

    if not all(t.dim() == 4 for t in tensors):
        return False
    for t in tensors:
        if t.is_contiguous() or not is_contiguous_as(t, channels_last):
            return False
    return True


def _check_out_overlap(out, tensors):
    for t in tensors:
        if t is out or (t._storage is out._storage and t.numel() and out.numel()):
            raise RuntimeError(
                "unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
                "single memory location. Please clone() the tensor before performing the operation."
            )


def cat(tensors, dim=0, *, out=None):
    """torch.cat: concatenate along ``dim`` with torch's promotion and its legacy empty-tensor rule."""
    d = _cat_check(tensors, dim)
    tensors = list(tensors)
    if out is not None:
        rdt = D.result_dtype([(t._dtype, t.dim()) for t in tensors], [])
        if not D.can_cast(rdt, out._dtype):
            raise TypeError(
                f"torch.cat(): input types can't be cast to the desired output type {out._dtype._scalar_name}"
            )
        _check_out_overlap(out, tensors)
        return R.call(_CAT, (tensors, 0 if d is None else d), out)
    r = R.call(_CAT, (tensors, 0 if d is None else d))
    if _channels_last_all(tensors):
        from .._memory_format import channels_last, strides_for
        from .copy import relayout

        relayout(r, strides_for(r._shape, channels_last))
    return r


def concat(tensors, dim=0, *, out=None):
    """torch.concat: alias of cat."""
    return cat(tensors, dim, out=out)


def concatenate(tensors, axis=0, *, out=None, dim=None):
    """torch.concatenate: alias of cat (numpy's ``axis``; torch also accepts ``dim``)."""
    return cat(tensors, axis if dim is None else dim, out=out)


def _stack_check(tensors, dim=0):
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    s0 = tensors[0]._shape
    for i, t in enumerate(tensors[1:], 1):
        if t._shape != s0:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {_shape_str(s0)} at entry 0 and "
                f"{_shape_str(t._shape)} at entry {i}"
            )
    wrap_dim(dim, len(s0) + 1)


@op("stack(Tensor[] tensors, int dim=0) -> Tensor", check=_stack_check, saves=())
def stack(tensors, dim=0):
    d = dim % (tensors[0].ndim + 1)
    return jnp.stack(tensors, axis=d)


def atleast_1d(*tensors):
    """torch.atleast_1d: 0-d tensors become 1-d (views); others are returned as they are."""
    return _atleast(tensors, 1)


def atleast_2d(*tensors):
    """torch.atleast_2d."""
    return _atleast(tensors, 2)


def atleast_3d(*tensors):
    """torch.atleast_3d."""
    return _atleast(tensors, 3)


def _atleast_one(t, n):
    nd = t.dim()
    if nd >= n:
        return t
    if nd == 0:
        return t.reshape((1,) * n)
    if n == 2:
        return t.unsqueeze(0)
    # n == 3
    if nd == 1:
        return t.unsqueeze(0).unsqueeze(-1)
    return t.unsqueeze(-1)


def _atleast(args, n):
    if len(args) == 1 and isinstance(args[0], Tensor):
        return _atleast_one(args[0], n)
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = tuple(args[0])
    for i, t in enumerate(args):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"atleast_{n}d(): expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    return tuple(_atleast_one(t, n) for t in args)


def _nonempty(tensors, name):
    tensors = _tensor_list(tensors, name)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def hstack(tensors, *, out=None):
    """torch.hstack: cat along dim 0 for 1-d inputs, else dim 1 (after atleast_1d)."""
    ts = [atleast_1d(t) for t in _nonempty(tensors, "hstack")]
    return cat(ts, 0 if ts[0].dim() == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    """torch.vstack: cat along dim 0 after atleast_2d."""
    ts = [atleast_2d(t) for t in _nonempty(tensors, "vstack")]
    return cat(ts, 0, out=out)


def row_stack(tensors, *, out=None):
    """torch.row_stack: alias of vstack."""
    ts = [atleast_2d(t) for t in _nonempty(tensors, "vstack")]
    return cat(ts, 0, out=out)


def dstack(tensors, *, out=None):
    """torch.dstack: cat along dim 2 after atleast_3d."""
    ts = [atleast_3d(t) for t in _nonempty(tensors, "dstack")]
    return cat(ts, 2, out=out)


def column_stack(tensors, *, out=None):
    """torch.column_stack: 0-d and 1-d inputs become columns, then cat along dim 1."""
    ts = _nonempty(tensors, "column_stack")
    ts = [t.reshape(t.numel(), 1) if t.dim() <= 1 else t for t in ts]
    return cat(ts, 1, out=out)


# ------------------------------------------------------------------ flip / roll / rot90


def _flip_check(input, dims):
    if isinstance(dims, Tensor) or not isinstance(dims, (list, tuple)):
        raise TypeError(
            f"flip(): argument 'dims' (position 2) must be tuple of ints, not {type(dims).__name__}"
        )
    seen = []
    for d in dims:
        w = wrap_dim(_int(d, "flip", "dims", "tuple of ints"), input.dim())
        if w in seen:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        seen.append(w)


@op("flip(Tensor input, int[] dims) -> Tensor", promote="none", saves=(), check=_flip_check)
def flip(input, dims):
    if input.ndim == 0 or not dims:
        return input
    return jnp.flip(input, tuple(d % input.ndim for d in dims))


def fliplr(input):
    """torch.fliplr: flip dim 1."""
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input):
    """torch.flipud: flip dim 0."""
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def _roll_args(input, shifts, dims):
    shifts = _ints(shifts, "roll", "shifts")
    dims = () if dims is None else _ints(dims, "roll", "dims")
    if not shifts:
        raise RuntimeError("`shifts` required")
    if not dims and len(shifts) == 1:
        return shifts, ()
    if len(shifts) != len(dims):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}"
        )
    for d in dims:
        if input.dim() == 0:
            raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
        wrap_dim(d, input.dim())
    return shifts, dims


@op(
    "_roll(Tensor input, int[] shifts, int[] dims) -> Tensor",
    function=False,
    promote="none",
    saves=(),
    grad="RollBackward0",
)
def _roll_value(input, shifts, dims):
    if input.size == 0:
        return input
    if not dims:
        return jnp.roll(input.reshape(-1), shifts[0]).reshape(input.shape)
    return jnp.roll(input, shifts, tuple(d % input.ndim for d in dims))


def roll(input, shifts, dims=None):
    """torch.roll: shift elements along dims (or the flattened tensor) cyclically."""
    shifts, dims = _roll_args(input, shifts, dims)
    return R.call(R.OPS["_roll"], (input, shifts, dims))


def _rot90_check(input, k=1, dims=(0, 1)):
    dims = _ints(dims, "rot90", "dims")
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.dim() < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.dim()}")
    if wrap_dim(dims[0], input.dim()) == wrap_dim(dims[1], input.dim()):
        raise RuntimeError(
            f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}"
        )


@op(
    "rot90(Tensor input, int k=1, int[] dims=[0,1]) -> Tensor",
    method=True,
    promote="none",
    saves=(),
    check=_rot90_check,
)
def rot90(input, k=1, dims=(0, 1)):
    nd = input.ndim
    d0, d1 = dims[0] % nd, dims[1] % nd
    k = k % 4
    if k == 1:
        return jnp.swapaxes(jnp.flip(input, d1), d0, d1)
    if k == 2:
        return jnp.flip(input, (d0, d1))
    if k == 3:
        return jnp.flip(jnp.swapaxes(input, d0, d1), d1)
    return input


# ------------------------------------------------------------------ repeat / tile / repeat_interleave


def _repeat_check(input, repeats):
    if len(repeats) < input.dim():
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
        )
    pad = (1,) * (len(repeats) - input.dim()) + tuple(input._shape)
    target = [a * b for a, b in zip(pad, repeats)]
    for r in repeats:
        if r < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {min(target)}: {_shape_str(target)}"
            )


@op(
    "repeat(Tensor input, int[] *repeats) -> Tensor",
    method=True,
    function=False,
    promote="none",
    saves=(),
    check=_repeat_check,
)
def _repeat(input, repeats):
    pad = (1,) * (len(repeats) - input.ndim) + tuple(input.shape)
    x = input.reshape(pad)
    if math.prod(pad) * math.prod(repeats) == 0:
        return jnp.zeros(tuple(a * b for a, b in zip(pad, repeats)), input.dtype)
    return jnp.tile(x, repeats)


def tile(input, dims):
    """torch.tile: repeat, with ``dims`` padded by leading ones to the tensor's rank."""
    dims = _ints(dims, "tile", "dims")
    if len(dims) < input.dim():
        dims = (1,) * (input.dim() - len(dims)) + dims
    return input.repeat(dims)


def _repeats_host(repeats):
    from .indexing import _host_values

    return _host_values(repeats, "repeat_interleave").astype(np.int64)


def _repeat_interleave_indices(repeats, output_size=None):
    """torch.repeat_interleave(repeats): index i repeated repeats[i] times (host; data-dependent size)."""
    from .._creation import from_host

    if repeats.dim() != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    if repeats._dtype not in (D.int64, D.int32):
        raise RuntimeError("repeats has to be Long or Int tensor")
    r = _repeats_host(repeats)
    if r.size and r.min() < 0:
        raise RuntimeError("repeats can not be negative")
    total = builtins.int(r.sum())
    if output_size is not None and output_size != total:
        raise RuntimeError("allocated size does not match required size")
    idx = np.repeat(np.arange(r.size, dtype=np.int64), r).astype(repeats._dtype._np)
    return from_host(idx, device=repeats.device)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """torch.repeat_interleave(input, repeats, dim=None, *, output_size=None) / repeat_interleave(repeats)."""
    if repeats is None:
        if not isinstance(input, Tensor):
            raise TypeError("repeat_interleave(): argument 'repeats' must be Tensor")
        if input.dim() == 0:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        return _repeat_interleave_indices(input, output_size)
    if dim is not None:
        dim = _int(dim, "repeat_interleave", "dim")
    if isinstance(repeats, Tensor):
        x = input if dim is not None else input.flatten()
        d = wrap_dim(0 if dim is None else dim, input.dim())
        n = x._shape[d]
        if repeats.dim() == 0 or (repeats.dim() == 1 and repeats._shape[0] == 1):
            reps = repeats.reshape(1).expand(n)
        elif repeats.dim() == 1:
            if repeats._shape[0] != n:
                raise RuntimeError(
                    f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                    f"{repeats._shape[0]} and input.size({d}) = {n}"
                )
            reps = repeats
        else:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if reps._dtype.is_floating_point or reps._dtype.is_complex:
            raise NotImplementedError(
                f"\"repeat_interleave_cpu\" not implemented for '{reps._dtype._scalar_name}'"
            )
        from .indexing import index_select

        return index_select(x, d, _repeat_interleave_indices(reps, output_size))
    repeats = _int(repeats, "repeat_interleave", "repeats")
    x = input if dim is not None else input.flatten()
    d = wrap_dim(0 if dim is None else dim, input.dim())
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    if output_size is not None and output_size != x._shape[d] * repeats:
        raise RuntimeError(
            f"repeat_interleave: Invalid output_size, expected {x._shape[d] * repeats} but got {output_size}"
        )
    shape = list(x._shape)
    shape.insert(d + 1, repeats)
    from .._memory_format import contiguous_format
    from .copy import clone

    y = clone(x.unsqueeze(d + 1).expand(shape), memory_format=contiguous_format)
    return y.flatten(d, d + 1)


# ------------------------------------------------------------------ meshgrid and products


def meshgrid(*tensors, indexing=None):
    """torch.meshgrid: expanded views of the 0-d/1-d inputs ('ij' or 'xy' indexing)."""
    tensors = _varargs_tensors(tensors, "meshgrid")
    if indexing is None:
        warnings.warn(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument. "
            "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4215.)",
            UserWarning,
            stacklevel=2,
        )
        indexing = "ij"
    return _meshgrid(tensors, indexing)


def _meshgrid(tensors, indexing):
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        if t.dim() > 1:
            raise RuntimeError(
                f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t.dim()}-D tensor of shape "
                f"{_shape_str(t._shape)}"
            )
    for t in tensors[1:]:
        if t._dtype is not tensors[0]._dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        if t.device != tensors[0].device:
            raise RuntimeError("meshgrid expects all tensors to have the same device")
    if indexing not in ("ij", "xy"):
        raise RuntimeError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    ts = list(tensors)
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(t.numel() for t in ts)
    grids = []
    for i, t in enumerate(ts):
        vs = [1] * len(ts)
        vs[i] = -1
        grids.append(t.view(vs).expand(shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def cartesian_prod(*tensors):
    """torch.cartesian_prod: rows of the cartesian product of 1-d inputs."""
    tensors = _varargs_tensors(tensors, "cartesian_prod")
    for t in tensors:
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_str(t._shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = _meshgrid(tensors, "ij")
    return stack([g.flatten() for g in grids], 1)


def combinations(input, r=2, with_replacement=False):
    """torch.combinations: like itertools.combinations(_with_replacement) over a 1-d tensor."""
    from .creation import empty
    from .indexing import masked_select

    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_str(input._shape)}")
    r = _int(r, "combinations", "r")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return empty(0, dtype=input._dtype, device=input.device)
    n = input.numel()
    grids = _meshgrid([input] * r, "ij")
    # torch's _triu_mask: indices non-decreasing (with replacement) or increasing
    idx = np.indices((n,) * r) if n else np.zeros((r,) + (0,) * r, np.int64)
    mask = np.ones((n,) * r, bool)
    for a, b in zip(idx[:-1], idx[1:]):
        mask &= (a <= b) if with_replacement else (a < b)
    from .._creation import from_host

    m = from_host(mask, device=input.device)
    return stack([masked_select(g, m) for g in grids], 1)


def broadcast_shapes(*shapes):
    """torch.broadcast_shapes: the broadcast of shapes (ints or sequences), as torch.Size."""
    shapes = [
        (s,)
        if isinstance(s, builtins.int)
        or (hasattr(s, "__index__") and not isinstance(s, (list, tuple, Size)))
        else s
        for s in shapes
        if s is not None
    ]
    if not shapes:
        return Size(())
    for s in shapes:
        if not isinstance(s, (list, tuple, Size)):
            raise RuntimeError(
                f"Input shapes should be of type ints, a tuple of ints, or a list of ints, got {s}"
            )
    common = [1] * builtins.max(len(s) for s in shapes)
    for arg_idx, shape in enumerate(shapes):
        for idx in range(-1, -1 - len(shape), -1):
            if shape[idx] == common[idx]:
                continue
            if common[idx] == 1:
                if shape[idx] < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[idx] = shape[idx]
            if shape[idx] == 1:
                continue
            if common[idx] != shape[idx]:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {shape[idx]} at {idx}! Mismatching argument at "
                    f"index {arg_idx} had {tuple(shape) if isinstance(shape, tuple) else shape}; but expected shape "
                    f"should be broadcastable to {common}"
                )
    return Size(tuple(common))


def broadcast_tensors(*tensors):
    """torch.broadcast_tensors: every input expanded (a view) to the common shape."""
    from .copy import broadcast_shapes2

    tensors = _varargs_tensors(tensors, "broadcast_tensors")
    shape = ()
    for t in tensors:
        shape = broadcast_shapes2(shape, t._shape) if shape != () or t.dim() else shape
    out = []
    for t in tensors:
        out.append(t if t._shape == shape else t.expand(shape))
    return tuple(out)


# ------------------------------------------------------------------ take / take_along_dim


def _take_check(input, index):
    if index._dtype is not D.int64:
        raise RuntimeError(
            f"take(): Expected a long tensor for index, but got {index._dtype._scalar_name}"
        )
    n = input.numel()
    if index.numel():
        from .indexing import _host_minmax

        mm = _host_minmax(index)
        if mm is not None:
            lo, hi = mm
            if hi >= n or lo < -n:
                bad = hi if hi >= n else lo
                raise IndexError(
                    f"out of range: tried to access index {bad} on a tensor of {n} elements."
                )


@op(
    "take(Tensor input, Tensor index) -> Tensor",
    method=True,
    function=False,
    promote="none",
    saves=("index",),
    check=_take_check,
)
def _take_value(input, index):
    flat = input.reshape(-1)
    if flat.shape[0] == 0:
        return jnp.zeros(index.shape, input.dtype)
    return flat[jnp.where(index < 0, index + flat.shape[0], index)]


def _take_out_check(out, input, index):
    """take_out's checks before its overlap asserts: a long index, then ``out`` of ``input``'s dtype."""
    if isinstance(index, Tensor) and index._dtype is not D.int64:
        raise RuntimeError(
            f"take(): Expected a long tensor for index, but got {index._dtype._scalar_name}"
        )
    if isinstance(input, Tensor) and input._dtype is not out._dtype:
        raise RuntimeError(
            "take(): self and out expected to have the same dtype, but got self.dtype = "
            f"{input._dtype._scalar_name} and out.dtype = {out._dtype._scalar_name}"
        )


def _take_front():
    from .indexing import with_out

    return with_out("take", out_check=_take_out_check)


take = _take_front()


def take_along_dim(input, indices, dim=None, *, out=None):
    """torch.take_along_dim: gather along ``dim`` after broadcasting (or from the flattened input)."""
    from .scatter import gather

    def gather_wrap(x, d, idx, out=None):
        r = R.call(R.OPS["_gather_wrap"], (x, d, idx), out)
        return r

    if indices._dtype is not D.int64:
        raise RuntimeError(
            f"torch.take_along_dim(): dtype of indices should be Long but got {indices._dtype._scalar_name}"
        )
    if dim is None:
        return gather(
            input.view(-1), 0, indices.view(-1), out=out
        )  # torch: no negative indices here
    if input.dim() != indices.dim():
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of dimensions, but got "
            f"{input.dim()} dimensions for input, and {indices.dim()} dimensions for indices"
        )
    d = wrap_dim(dim, input.dim())
    from .copy import broadcast_shapes2

    ishape = list(input._shape)
    jshape = list(indices._shape)
    ishape[d] = jshape[d] = 1
    b = list(broadcast_shapes2(ishape, jshape))
    a_shape = list(b)
    a_shape[d] = input._shape[d]
    i_shape = list(b)
    i_shape[d] = indices._shape[d]
    from .views import broadcast_to

    # torch's kernel accepts negative indices along ``dim`` here (as numpy's take_along_axis)
    return gather_wrap(input.expand(a_shape), d, broadcast_to(indices, i_shape), out=out)


# ------------------------------------------------------------------ resize


def resize_(self, *sizes, memory_format=None):
    """Tensor.resize_: new shape (contiguous strides) on the same storage, grown when needed."""
    if len(sizes) == 1 and isinstance(sizes[0], (list, tuple, Size)):
        sizes = tuple(sizes[0])
    sizes = tuple(_int(s, "resize_", "size", "tuple of ints") for s in sizes)
    if self.requires_grad and grad_mode.state.enabled:
        raise RuntimeError("cannot resize variables that require grad")
    if any(s < 0 for s in sizes):
        raise RuntimeError("numel: integer multiplication overflow")
    R.resize_(self, sizes)
    if memory_format is not None and memory_format.name not in (
        "contiguous_format",
        "preserve_format",
    ):
        from .._memory_format import strides_for

        self._stride_ = strides_for(sizes, memory_format)
        self._cache_gen = -1
    return self


def resize_as_(self, the_template, *, memory_format=None):
    """Tensor.resize_as_: resize_ to another tensor's shape."""
    if not isinstance(the_template, Tensor):
        raise TypeError(
            f"resize_as_(): argument 'the_template' (position 1) must be Tensor, not {type(the_template).__name__}"
        )
    return resize_(self, the_template._shape, memory_format=memory_format)


# ------------------------------------------------------------------ _chunk_cat / unravel_index


def _chunk_cat(tensors, dim, num_chunks, *, out=None):
    """torch._chunk_cat: each tensor chunked (zero-padded) into ``num_chunks`` along ``dim``,
    flattened per chunk and concatenated chunk-wise."""
    from .creation import zeros

    tensors = _tensor_list(tensors, "_chunk_cat")
    if not tensors:
        raise RuntimeError("_chunk_cat expects a non-empty input tensor list")
    if num_chunks < 1:
        raise RuntimeError("_chunk_cat expects positive num_chunks")
    nd0 = tensors[0].dim()
    for t in tensors:
        if t.numel() == 0:
            raise RuntimeError("_chunk_cat expects non-empty tensor")
    d = wrap_dim(dim, nd0)
    for t in tensors:
        if t.dim() != nd0:
            raise RuntimeError("_chunk_cat expects same number of dimensions for all tensors")
        if t._shape[:d] != tensors[0]._shape[:d]:
            raise RuntimeError(
                "_chunk_cat expects same sizes of 0,...,dim-1 dimensions for all tensors"
            )
    views = []
    for t in tensors:
        n = t._shape[d]
        chunk = -(-n // num_chunks)
        padded = chunk * num_chunks
        if padded != n:
            shape = list(t._shape)
            shape[d] = padded - n
            t = cat([t, zeros(shape, dtype=t._dtype, device=t.device)], d)
        views.append(t.reshape(t._shape[:d] + (num_chunks, -1)))
    return cat(views, d + 1, out=out)


def unravel_index(indices, shape):
    """torch.unravel_index: coordinates of flat ``indices`` in a tensor of ``shape``."""
    from .._creation import tensor as make

    if indices.is_complex() or indices.is_floating_point() or indices._dtype is D.bool:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices._dtype}")
    if isinstance(shape, builtins.int):
        shape = (shape,)
    if not isinstance(shape, (list, tuple, Size, str)):
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got {type(shape)}")
    for s in shape:
        if not isinstance(s, builtins.int):
            raise TypeError(f"expected 'shape' sequence to only contain ints, but got {type(s)}")
    shape = tuple(shape)
    if any(s < 0 for s in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    coefs = list(
        reversed(list(itertools.accumulate(reversed(shape[1:] + (1,)), lambda a, b: a * b)))
    )
    lead = (1,) * indices.dim()
    res = indices.unsqueeze(-1).floor_divide(
        make(coefs, dtype=D.int64, device=indices.device).reshape(lead + (len(coefs),))
    ) % make(list(shape), dtype=D.int64, device=indices.device).reshape(lead + (len(shape),))
    return res.unbind(-1)


for _f in (
    cat,
    concat,
    concatenate,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    hstack,
    vstack,
    row_stack,
    dstack,
    column_stack,
    fliplr,
    flipud,
    roll,
    tile,
    repeat_interleave,
    meshgrid,
    cartesian_prod,
    combinations,
    broadcast_shapes,
    broadcast_tensors,
    take_along_dim,
    _chunk_cat,
    unravel_index,
    take,
):
    register_function(_f.__name__, _f)

register_function("resize_as_", resize_as_)


def _flip_method(self, *dims, **kw):
    if kw:
        if dims or set(kw) != {"dims"}:
            raise TypeError(
                f"flip() got an unexpected keyword argument '{next(iter(set(kw) - {'dims'}))}'"
            )
        dims = kw["dims"]
    elif len(dims) == 1 and isinstance(dims[0], (list, tuple)):
        dims = dims[0]
    return flip(self, tuple(dims))


register_method("flip", _flip_method)
register_method("fliplr", fliplr)
register_method("flipud", flipud)
register_method("roll", roll)
register_method("tile", tile)
register_method(
    "repeat_interleave",
    lambda self, repeats=None, dim=None, *, output_size=None: repeat_interleave(
        self, repeats, dim, output_size=output_size
    ),
)
register_method(
    "take_along_dim", lambda self, indices, dim=None: take_along_dim(self, indices, dim)
)
register_method("resize_", resize_)
register_method("resize_as_", resize_as_)
