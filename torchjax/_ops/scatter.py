"""gather / scatter and the index_* family: gather, scatter(_), scatter_add(_), scatter_reduce(_),
index_add(_), index_copy(_), index_fill(_), index_reduce(_), masked_scatter(_), put(_).

Index tensors are bounds-checked on the host in eager mode (torch's CPU kernels raise; XLA would
clamp or drop silently); inside a compiled region the check is skipped. Where several source
elements write the same position, plain ``scatter``/``index_copy``/``put`` keep the last one in
torch's CPU iteration order, deterministically. Backward formulas follow torch's
``derivatives.yaml`` (``jax.custom_vjp`` where JAX's own VJP would differ: scatter's src
gradient, the amax/amin/prod/mean reductions).
"""

from __future__ import annotations

import builtins
import functools
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function, register_method
from ._util import wrap_dim


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _host_minmax(t):
    from .indexing import _host_minmax as h

    return h(t)


def _check_index_bounds(index, n, dim, exc=RuntimeError, msg=None, allow_negative=False):
    if index.numel() == 0:
        return
    mm = _host_minmax(index)
    if mm is None:
        return
    lo, hi = mm
    if hi >= n or lo < (-n if allow_negative else 0):
        bad = hi if hi >= n else lo
        raise exc(
            msg.format(bad=bad)
            if msg
            else f"index {bad} is out of bounds for dimension {dim} with size {n}"
        )


def _dim_of(t):
    return builtins.max(t.dim(), 1)


# ------------------------------------------------------------------ coordinates


def _coords(index, dim):
    """Full coordinates of every element of ``index`` into a tensor scattered along ``dim``."""
    shape = index.shape
    out = []
    for d in range(len(shape)):
        if d == dim:
            out.append(index.astype(np.int64))
        else:
            out.append(lax.broadcasted_iota(np.int64, shape, d))
    return tuple(out)


def _crop(x, shape):
    """``x`` sliced to ``shape`` (index may be smaller than src/self in every dim)."""
    if tuple(x.shape) == tuple(shape):
        return x
    return lax.slice(x, (0,) * x.ndim, tuple(shape))


def _as1d(*arrs):
    return tuple(a.reshape(1) if a is not None and a.ndim == 0 else a for a in arrs)


def at_add(x, coords, vals):
    """x.at[coords].add(vals); for bool tensors torch's add is a logical or."""
    return x.at[coords].max(vals) if x.dtype == np.bool_ else x.at[coords].add(vals)


def at_mul(x, coords, vals):
    """x.at[coords].multiply(vals); for bool tensors a logical and."""
    return x.at[coords].min(vals) if x.dtype == np.bool_ else x.at[coords].multiply(vals)


def _last_writer(shape, coords, n):
    """For each position of a tensor of ``shape``: the flat position (in index order) of the last
    element written to it, or -1 (torch's CPU kernels write in that order, so the last one wins)."""
    lin = jnp.arange(n, dtype=np.int32).reshape(coords[0].shape)
    return jnp.full(shape, -1, np.int32).at[coords].max(lin)


def _scatter_set(x, coords, vals):
    if vals.size == 0:
        return x
    win = _last_writer(x.shape, coords, vals.size)
    taken = vals.reshape(-1)[jnp.maximum(win, 0)]
    return jnp.where(win >= 0, taken, x)


# ------------------------------------------------------------------ gather


def _gather_check(input, dim, index, sparse_grad=False):
    if not isinstance(index, Tensor):
        raise TypeError(
            f"gather(): argument 'index' (position 3) must be Tensor, not {type(index).__name__}"
        )
    d = wrap_dim(dim, input.dim())
    if index.numel() == 0:
        return
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if _dim_of(index) != _dim_of(input):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    ishape = input._shape or (1,)
    jshape = index._shape or (1,)
    for k in range(len(ishape)):
        if k != d and jshape[k] > ishape[k]:
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {_shape_str(jshape)} to be no larger than self "
                f"{_shape_str(ishape)} apart from dimension {d}"
            )
    _check_index_bounds(index, ishape[d], d)


@op(
    "gather(Tensor input, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor",
    method=True,
    function=False,
    promote="none",
    saves=("index",),
    check=_gather_check,
)
def _gather_value(input, dim, index, sparse_grad=False):
    if index.size == 0:
        return jnp.zeros(index.shape, input.dtype)
    zero_d = input.ndim == 0
    x, idx = _as1d(input, index)
    d = dim % x.ndim
    crop = tuple(idx.shape[k] if k != d else x.shape[k] for k in range(x.ndim))
    out = jnp.take_along_axis(_crop(x, crop), idx.astype(np.int64), axis=d)
    return out.reshape(index.shape) if zero_d or index.ndim == 0 else out


def _gather_wrap_check(input, dim, index):
    d = wrap_dim(dim, input.dim())
    if index.numel():
        n = (input._shape or (1,))[d]
        _check_index_bounds(index, n, d, allow_negative=True)


@op(
    "_gather_wrap(Tensor input, int dim, Tensor index) -> Tensor",
    function=False,
    promote="none",
    saves=("index",),
    grad="GatherBackward0",
    check=_gather_wrap_check,
)
def _gather_wrap(input, dim, index):
    """gather that accepts indices in [-n, n) (torch.take_along_dim's)."""
    if index.size == 0:
        return jnp.zeros(index.shape, input.dtype)
    x, idx = _as1d(input, index)
    d = dim % x.ndim
    n = x.shape[d]
    idx = jnp.where(idx < 0, idx + n, idx)
    crop = tuple(idx.shape[k] if k != d else n for k in range(x.ndim))
    return jnp.take_along_axis(_crop(x, crop), idx.astype(np.int64), axis=d).reshape(index.shape)


# ------------------------------------------------------------------ scatter


_SCATTER_REDUCE_WARNED = [False]


def _scatter_checks(name, self, dim, index, src, is_value):
    d = wrap_dim(dim, self.dim())
    if not isinstance(index, Tensor):
        raise TypeError(
            f"{name}(): argument 'index' (position 2) must be Tensor, not {type(index).__name__}"
        )
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if not is_value and src._dtype is not self._dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    if index.numel() == 0:
        return d
    if _dim_of(index) != _dim_of(self):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if not is_value and _dim_of(index) != _dim_of(src):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    sshape = self._shape or (1,)
    jshape = index._shape or (1,)
    if is_value:
        for k in range(len(sshape)):
            if k != d and jshape[k] > sshape[k]:
                raise RuntimeError(
                    f"Expected index {_shape_str(jshape)} to be no larger than self {_shape_str(sshape)} apart from "
                    f"dimension {d}"
                )
    else:
        rshape = src._shape or (1,)
        for k in range(len(sshape)):
            if (k != d and jshape[k] > sshape[k]) or jshape[k] > rshape[k]:
                raise RuntimeError(
                    f"Expected index {_shape_str(jshape)} to be no larger than self {_shape_str(sshape)} apart from "
                    f"dimension {d} and to be no larger size than src {_shape_str(rshape)}"
                )
    _check_index_bounds(index, sshape[d], d)
    return d


@jax.custom_vjp
def _scatter_src(x, coords, vals):
    return _scatter_set(x, coords, vals)


def _scatter_src_fwd(x, coords, vals):
    return _scatter_set(x, coords, vals), (coords, vals.shape)


def _scatter_src_bwd(res, g):
    coords, vshape = res
    # torch: self <- grad.scatter(dim, index, 0); src <- grad.gather(dim, index)
    # (index_copy / put: the same with index_fill and index_select)
    gx = g.at[coords].set(jnp.zeros((), g.dtype))
    gv = g[coords]
    return gx, tuple(np.zeros(c.shape, jax.dtypes.float0) for c in coords), gv.reshape(vshape)


_scatter_src.defvjp(_scatter_src_fwd, _scatter_src_bwd)


def _scatter_value(input, dim, index, src, reduce, is_value):
    if index.size == 0:
        return input
    shape = input.shape
    x, idx = _as1d(input, index)
    d = dim % x.ndim
    coords = _coords(idx, d)
    if is_value:
        vals = jnp.broadcast_to(src.astype(x.dtype), idx.shape)
    else:
        vals = _crop(src.reshape(src.shape or (1,)), idx.shape)
    if reduce is None:
        out = _scatter_src(x, coords, vals) if not is_value else _scatter_set(x, coords, vals)
    elif reduce == "add":
        out = at_add(x, coords, vals)
    else:
        out = at_mul(x, coords, vals)
    return out.reshape(shape)


@op(
    "_scatter_src(Tensor input, int dim, Tensor index, Tensor src, str? reduce=None) -> Tensor",
    function=False,
    promote="none",
    saves=("index",),
    grad="ScatterBackward0",
)
def _scatter_src_op(input, dim, index, src, reduce=None):
    return _scatter_value(input, dim, index, src, reduce, False)


@op(
    "_scatter_value(Tensor input, int dim, Tensor index, Scalar value, str? reduce=None) -> Tensor",
    function=False,
    promote="none",
    saves=("index",),
    grad="ScatterBackward1",
)
def _scatter_value_op(input, dim, index, value, reduce=None):
    return _scatter_value(input, dim, index, value, reduce, True)


_NO = object()


def _scatter_front(inplace):
    def scatter(input, dim, index, src=_NO, value=_NO, *, reduce=None, out=None):
        name = "scatter_" if inplace else "scatter"
        if src is not _NO and value is not _NO:
            raise TypeError(f"{name}() got multiple values for argument 'src'")
        arg = src if src is not _NO else value
        if arg is _NO:
            raise TypeError(f"{name}() missing required argument 'src' or 'value'")
        is_value = not isinstance(arg, Tensor)
        if is_value and not R._is_number(arg):
            raise TypeError(
                f"{name}(): argument 'src' must be Tensor or Number, not {type(arg).__name__}"
            )
        d = _scatter_checks("scatter", input, dim, index, None if is_value else arg, is_value)
        if reduce is not None:
            if reduce not in ("add", "multiply"):
                raise RuntimeError("reduce argument must be either add or multiply.")
            if not is_value and not _SCATTER_REDUCE_WARNED[0]:
                _SCATTER_REDUCE_WARNED[0] = True
                warnings.warn(
                    "The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in a "
                    "future PyTorch release. Use torch.scatter_reduce instead for more reduction options. (Triggered "
                    "internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:225.)",
                    UserWarning,
                    stacklevel=2,
                )
        o = R.OPS["_scatter_value" if is_value else "_scatter_src"]
        return R.call(o, (input, d, index, arg, reduce), out, inplace)

    scatter.__name__ = "scatter_" if inplace else "scatter"
    scatter.__doc__ = (
        "torch.scatter: write ``src`` (or ``value``) into ``input`` at ``index`` along ``dim``."
    )
    return scatter


scatter = _scatter_front(False)
scatter_ = _scatter_front(True)


def _scatter_add_check(input, dim, index, src):
    if not isinstance(src, Tensor):
        raise TypeError(
            f"scatter_add(): argument 'src' (position 4) must be Tensor, not {type(src).__name__}"
        )
    _scatter_checks("scatter", input, dim, index, src, False)


@op(
    "scatter_add(Tensor input, int dim, Tensor index, Tensor src) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    saves=("index",),
    check=_scatter_add_check,
)
def scatter_add(input, dim, index, src):
    return _scatter_value(input, dim, index, src, "add", False)


# ------------------------------------------------------------------ scatter_reduce


def _identity(reduce, dtype):
    if reduce in ("sum", "mean"):
        return jnp.zeros((), dtype)
    if reduce == "prod":
        return jnp.ones((), dtype)
    if dtype == np.bool_:
        return jnp.asarray(reduce == "amin", dtype)
    if jnp.issubdtype(dtype, jnp.floating):
        return jnp.asarray(-jnp.inf if reduce == "amax" else jnp.inf, dtype)
    info = jnp.iinfo(dtype)
    return jnp.asarray(info.min if reduce == "amax" else info.max, dtype)


def _reduce_forward(x, coords, vals, reduce, include_self):
    """torch's scatter_reduce / index_reduce forward (coords: full coordinates of each val)."""
    base = x if include_self else x.at[coords].set(_identity(reduce, x.dtype))
    if reduce in ("sum", "mean"):
        out = at_add(base, coords, vals)
    elif reduce == "prod":
        out = at_mul(base, coords, vals)
    elif reduce == "amax":
        out = base.at[coords].max(vals)
    else:
        out = base.at[coords].min(vals)
    if reduce == "mean":
        cnt = (
            (jnp.ones(x.shape, x.dtype) if include_self else jnp.zeros(x.shape, x.dtype))
            .at[coords]
            .add(jnp.ones((), x.dtype))
        )
        cnt = jnp.where(cnt == 0, jnp.ones((), x.dtype), cnt)
        if jnp.issubdtype(x.dtype, jnp.inexact):
            out = out / cnt
        else:
            out = jnp.floor_divide(out, cnt)
    return out


def _reduce_backward(x, coords, vals, result, g, reduce, include_self):
    """torch's scatter_reduce_backward (derivatives.yaml), in coordinates form."""
    dt = x.dtype
    if reduce == "sum":
        gx, gv = g, g[coords]
    elif reduce == "prod":
        masked_x = jnp.where(x == 0, jnp.ones((), dt), x)
        masked_x_result = _reduce_forward(masked_x, coords, vals, "prod", include_self)
        gx = g * masked_x_result / masked_x
        v_zero = vals == 0
        n_zeros = jnp.zeros(x.shape, dt).at[coords].add(v_zero.astype(dt))[coords]
        single = v_zero & (n_zeros == 1)
        masked_v = jnp.where(single, jnp.ones((), dt), vals)
        masked_v_result = _reduce_forward(x, coords, masked_v, "prod", include_self)
        gv = jnp.where(
            single,
            (g * masked_v_result)[coords],
            (g * result)[coords] / jnp.where(v_zero, jnp.ones((), dt), vals),
        )
    elif reduce == "mean":
        n = (
            (jnp.ones(x.shape, dt) if include_self else jnp.zeros(x.shape, dt))
            .at[coords]
            .add(jnp.ones((), dt))
        )
        n = jnp.where(n == 0, jnp.ones((), dt), n)
        gx = g / n
        gv = g[coords] / n[coords]
    else:
        value = result[coords]
        x_is = (x == result).astype(dt)
        v_is = (vals == value).astype(dt)
        n = x_is.at[coords].add(v_is)
        gd = g / n
        gx = x_is * gd
        gv = v_is * gd[coords]
    if not include_self:
        gx = gx.at[coords].set(jnp.zeros((), dt))
    return gx, gv


@functools.partial(jax.custom_vjp, nondiff_argnums=(3, 4))
def _reduce(x, coords, vals, reduce, include_self):
    return _reduce_forward(x, coords, vals, reduce, include_self)


def _reduce_fwd(x, coords, vals, reduce, include_self):
    r = _reduce_forward(x, coords, vals, reduce, include_self)
    return r, (x, coords, vals, r)


def _reduce_bwd(reduce, include_self, res, g):
    x, coords, vals, r = res
    gx, gv = _reduce_backward(x, coords, vals, r, g, reduce, include_self)
    return gx, tuple(np.zeros(c.shape, jax.dtypes.float0) for c in coords), gv


_reduce.defvjp(_reduce_fwd, _reduce_bwd)


def _reduce_any(x, coords, vals, reduce, include_self):
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return _reduce(x, coords, vals, reduce, include_self)
    return _reduce_forward(x, coords, vals, reduce, include_self)


_SCATTER_REDUCES = ("sum", "prod", "mean", "amax", "amin")


def _scatter_reduce_check(input, dim, index, src, reduce, include_self=True):
    if not isinstance(src, Tensor):
        raise TypeError(
            f"scatter_reduce(): argument 'src' (position 4) must be Tensor, not {type(src).__name__}"
        )
    if reduce not in _SCATTER_REDUCES:
        raise RuntimeError(
            f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}"
        )
    _scatter_checks("scatter", input, dim, index, src, False)
    if reduce == "mean" and input._dtype is D.bool:
        raise NotImplementedError(
            "\"scatter_gather_tensor_cpu_reduce_mean\" not implemented for 'Bool'"
        )


@op(
    "scatter_reduce(Tensor input, int dim, Tensor index, Tensor src, str reduce, *, bool include_self=True) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    check=_scatter_reduce_check,
)
def scatter_reduce(input, dim, index, src, reduce, include_self=True):
    if index.size == 0:
        return input
    shape = input.shape
    x, idx, s = _as1d(input, index, src)
    d = dim % x.ndim
    coords = _coords(idx, d)
    return _reduce_any(x, coords, _crop(s, idx.shape), reduce, include_self).reshape(shape)


# ------------------------------------------------------------------ index_add / index_copy / index_fill / index_reduce


def _index_coords(x_shape, dim, index, src_shape):
    """Coordinates for writing a ``src`` (src_shape) into x along ``dim`` at ``index`` (1-d)."""
    out = []
    for k in range(len(src_shape)):
        if k == dim:
            shp = [1] * len(src_shape)
            shp[k] = src_shape[k]
            out.append(jnp.broadcast_to(index.astype(np.int64).reshape(shp), src_shape))
        else:
            out.append(lax.broadcasted_iota(np.int64, src_shape, k))
    return tuple(out)


def _index_source_checks(
    name, self, dim, index, source, int_dtypes=(D.int64, D.int32), dtype_msg=None
):
    d = wrap_dim(dim, self.dim())
    if index.dim() > 1:
        raise IndexError(
            f"{name}(): Index is supposed to be a vector, but got dim: {index.dim()} with type: "
            f"{index._dtype._scalar_name} and size: {_shape_str(index._shape)}"
        )
    if index._dtype not in int_dtypes:
        raise RuntimeError(
            dtype_msg
            or f"{name}(): Expected dtype int32/int64 for index but got: {index._dtype._scalar_name}"
        )
    if source._dtype is not self._dtype:
        raise RuntimeError(
            f"{name}(): self ({self._dtype._scalar_name}) and source ({source._dtype._scalar_name}) must have the "
            "same scalar type"
        )
    if self.dim() > 1 or source.dim() > 1:
        if source.dim() != self.dim():
            if d >= source.dim():
                raise RuntimeError(
                    f"{name}(): Indexing dim {d} is out of bounds of the source tensor with dim {source.dim()}"
                )
        n_src = source._shape[d] if source.dim() else 1
        if index.numel() != n_src:
            raise RuntimeError(
                f"{name}(): Number of indices ({index.numel()}) should be equal to source.size(dim): ({n_src}), "
                f"for dim: {d}"
            )
        ss, rs = list(self._shape), list(source._shape)
        if len(ss) == len(rs):
            ss[d] = rs[d] = 0
        if ss != rs:
            raise RuntimeError(
                "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape "
                f"= {_shape_str(self._shape)} source.shape = {_shape_str(source._shape)}"
            )
    elif index.numel() != builtins.max(source.numel(), 1) and source.dim() <= 1:
        n_src = source._shape[0] if source.dim() else 1
        raise RuntimeError(
            f"{name}(): Number of indices ({index.numel()}) should be equal to source.size(dim): ({n_src}), "
            f"for dim: {d}"
        )
    return d


def _index_add_check(input, dim, index, source, alpha=1):
    if not isinstance(source, Tensor):
        raise TypeError(
            f"index_add(): argument 'source' (position 3) must be Tensor, not {type(source).__name__}"
        )
    d = _index_source_checks("index_add_", input, dim, index, source)
    n = input._shape[d] if input.dim() else 1
    _check_index_bounds(index, n, d)


def _index_prep(input, dim, index, source):
    """Inputs of index_add/index_copy/index_reduce with 0-d tensors as 1-d (torch's convention)."""
    x, s = _as1d(input, source)
    return x, s, index.reshape(-1)


@op(
    "index_add(Tensor input, int dim, Tensor index, Tensor source, *, Scalar alpha=1) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    saves=("index",),
    check=_index_add_check,
)
def index_add(input, dim, index, source, alpha=1):
    if index.size == 0:
        return input
    shape = input.shape
    x, s, idx = _index_prep(input, dim % builtins.max(input.ndim, 1), index, source)
    d = dim % x.ndim
    coords = _index_coords(x.shape, d, idx, s.shape)
    a = alpha.astype(x.dtype)
    vals = s & a if x.dtype == np.bool_ else s * a
    return at_add(x, coords, vals).reshape(shape)


def _index_copy_check(input, dim, index, source):
    if not isinstance(source, Tensor):
        raise TypeError(
            f"index_copy(): argument 'source' (position 3) must be Tensor, not {type(source).__name__}"
        )
    d = wrap_dim(dim, input.dim())
    if index.dim() > 1:
        raise IndexError(
            "index_copy_(): Index should have dimension 1 or 0 (got " + str(index.dim()) + ")"
        )
    if index._dtype is not D.int64:
        raise RuntimeError(
            f"index_copy_(): Expected a long tensor for index, but got {index._dtype._scalar_name}"
        )
    if source._dtype is not input._dtype:
        raise RuntimeError(
            "index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{input._dtype._scalar_name} and (source) {source._dtype._scalar_name}"
        )
    n_src = source._shape[d] if source.dim() > d else 1
    if (
        index.numel() != (source._shape[d] if source.dim() > 0 and source.dim() > d else 1)
        and source.dim() > 0
    ):
        raise IndexError(
            f"index_copy_(): Number of indices ({index.numel()}) should be equal to source.size(dim) ({n_src})"
        )
    if input.dim() > 0 and source.dim() > 0:
        for k in range(builtins.max(input.dim(), source.dim())):
            if k == d:
                continue
            a = input._shape[k] if k < input.dim() else None
            b = source._shape[k] if k < source.dim() else None
            if a != b:
                raise RuntimeError(
                    f"index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: "
                    f"{_shape_str(input._shape[:d] + input._shape[d + 1 :])[1:-1]} at dimension {d} and source slice "
                    f"shape: {_shape_str(source._shape[:d] + source._shape[d + 1 :])[1:-1]} at dimension 0."
                )
    n = input._shape[d] if input.dim() else 1
    _check_index_bounds(
        index,
        n,
        d,
        IndexError,
        "index_copy_(): index {bad} is out of bounds for dimension " + f"{d} with size {n}",
    )


@op(
    "index_copy(Tensor input, int dim, Tensor index, Tensor source) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    saves=("index",),
    check=_index_copy_check,
)
def index_copy(input, dim, index, source):
    if index.size == 0:
        return input
    shape = input.shape
    x, s, idx = _index_prep(input, dim % builtins.max(input.ndim, 1), index, source)
    d = dim % x.ndim
    coords = _index_coords(x.shape, d, idx, s.shape)
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return _scatter_src(x, coords, s).reshape(shape)
    return _scatter_set(x, coords, s).reshape(shape)


def _index_fill_checks(input, dim, index, value):
    d = wrap_dim(dim, input.dim())
    if index.dim() > 1:
        raise IndexError(
            f"index_fill_(): Index is supposed to be a vector, but got dim: {index.dim()} with type: "
            f"{index._dtype._scalar_name} and size: {_shape_str(index._shape)}"
        )
    if index._dtype is not D.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(
            f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.dim()} dimension(s)."
        )
    n = input._shape[d] if input.dim() else 1
    _check_index_bounds(index, n, d, IndexError, allow_negative=True)
    return d


def _index_fill_value(input, dim, index, value):
    if index.size == 0:
        return input
    shape = input.shape
    x = input.reshape(1) if input.ndim == 0 else input
    d = dim % x.ndim
    n = x.shape[d]
    idx = index.reshape(-1).astype(np.int64)
    idx = jnp.where(idx < 0, idx + n, idx)
    mask = jnp.zeros((n,), bool).at[idx].set(True)
    shp = [1] * x.ndim
    shp[d] = n
    from .copy import convert

    v = convert(value, x.dtype)
    return jnp.where(mask.reshape(shp), v, x).reshape(shape)


@op(
    "_index_fill_scalar(Tensor input, int dim, Tensor index, Scalar value) -> Tensor",
    function=False,
    promote="none",
    saves=("index",),
    grad="IndexFillBackward0",
)
def _index_fill_scalar(input, dim, index, value):
    return _index_fill_value(input, dim, index, value)


@op(
    "_index_fill_tensor(Tensor input, int dim, Tensor index, Tensor value) -> Tensor",
    function=False,
    promote="none",
    saves=("index",),
    grad="IndexFillBackward1",
)
def _index_fill_tensor(input, dim, index, value):
    return _index_fill_value(input, dim, index, value)


def _index_fill_front(inplace):
    def index_fill(input, dim, index, value, *, out=None):
        _index_fill_checks(input, dim, index, value)
        if isinstance(value, Tensor):
            return R.call(R.OPS["_index_fill_tensor"], (input, dim, index, value), out, inplace)
        if not R._is_number(value):
            raise TypeError(
                f"index_fill(): argument 'value' must be Number, not {type(value).__name__}"
            )
        return R.call(R.OPS["_index_fill_scalar"], (input, dim, index, value), out, inplace)

    index_fill.__name__ = "index_fill_" if inplace else "index_fill"
    index_fill.__doc__ = (
        "torch.index_fill: fill the slices of ``input`` at ``index`` along ``dim`` with ``value``."
    )
    return index_fill


index_fill = _index_fill_front(False)
index_fill_ = _index_fill_front(True)

_INDEX_REDUCES = ("prod", "mean", "amax", "amin")
_INDEX_REDUCE_WARNED = [False]


def _index_reduce_check(input, dim, index, source, reduce, include_self=True):
    if not isinstance(source, Tensor):
        raise TypeError(
            f"index_reduce(): argument 'source' (position 4) must be Tensor, not {type(source).__name__}"
        )
    if not _INDEX_REDUCE_WARNED[0]:
        _INDEX_REDUCE_WARNED[0] = True
        warnings.warn(
            "index_reduce() is in beta and the API may change at any time. (Triggered internally at "
            "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:1523.)",
            UserWarning,
            stacklevel=4,
        )
    if reduce not in _INDEX_REDUCES:
        raise RuntimeError(
            f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}."
        )
    d = _index_source_checks("index_reduce_", input, dim, index, source)
    n = input._shape[d] if input.dim() else 1
    _check_index_bounds(index, n, d, IndexError, "index out of range in self")
    if input._dtype is D.bool:
        raise NotImplementedError("\"index_func_\" not implemented for 'Bool'")


@op(
    "index_reduce(Tensor input, int dim, Tensor index, Tensor source, str reduce, *, bool include_self=True) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    check=_index_reduce_check,
)
def index_reduce(input, dim, index, source, reduce, include_self=True):
    if index.size == 0:
        return input
    shape = input.shape
    x, s, idx = _index_prep(input, dim % builtins.max(input.ndim, 1), index, source)
    d = dim % x.ndim
    coords = _index_coords(x.shape, d, idx, s.shape)
    return _reduce_any(x, coords, s, reduce, include_self).reshape(shape)


# ------------------------------------------------------------------ masked_scatter / put


def _masked_scatter_check(input, mask, source):
    if not isinstance(mask, Tensor) or not isinstance(source, Tensor):
        raise TypeError("masked_scatter(): argument 'mask' and 'source' must be Tensors")
    if mask._dtype is not D.bool:
        raise RuntimeError(
            f"masked_scatter_ only supports boolean masks, but got mask with dtype {mask._dtype._scalar_name}"
        )
    if source._dtype is not input._dtype:
        raise RuntimeError(
            f"masked_scatter: expected self and source to have same dtypes but got{input._dtype._scalar_name} and "
            f"{source._dtype._scalar_name}"
        )


def _masked_scatter_count_check(input, mask, source):
    from .copy import broadcast_shapes2

    shape = broadcast_shapes2(input._shape, mask._shape)
    if mask.numel():
        v = mask._v()
        if not isinstance(v, jax.core.Tracer):
            cnt = builtins.int(np.count_nonzero(np.broadcast_to(np.asarray(v), shape)))
            if cnt > source.numel():
                raise RuntimeError("Number of elements of source < number of ones in mask")


@op(
    "_masked_scatter(Tensor input, Tensor mask, Tensor source) -> Tensor",
    function=False,
    promote="none",
    saves=("mask",),
    grad="MaskedScatterBackward0",
)
def _masked_scatter_op(input, mask, source):
    shape = jnp.broadcast_shapes(input.shape, mask.shape)
    x = jnp.broadcast_to(input, shape)
    m = jnp.broadcast_to(mask, shape)
    flat_src = source.reshape(-1)
    if flat_src.shape[0] == 0:
        return x
    pos = jnp.cumsum(m.reshape(-1).astype(np.int64)) - 1
    taken = flat_src[jnp.clip(pos, 0, flat_src.shape[0] - 1)].reshape(shape)
    return jnp.where(m, taken, x)


def _masked_scatter_front(inplace):
    def masked_scatter(input, mask, source, *, out=None):
        _masked_scatter_check(input, mask, source)
        if inplace and mask._shape != input._shape:
            if mask.dim() > input.dim():
                raise RuntimeError(
                    f"expand(CPUBoolType{{{_shape_str(mask._shape)}}}, size={_shape_str(input._shape)}): the number of "
                    f"sizes provided ({input.dim()}) must be greater or equal to the number of dimensions in the "
                    f"tensor ({mask.dim()})"
                )
            from .views import _expand_meta

            _expand_meta(mask, input._shape)
        _masked_scatter_count_check(input, mask, source)
        return R.call(R.OPS["_masked_scatter"], (input, mask, source), out, inplace)

    masked_scatter.__name__ = "masked_scatter_" if inplace else "masked_scatter"
    masked_scatter.__doc__ = (
        "torch.masked_scatter: ``source``'s elements, in order, where ``mask`` is True."
    )
    return masked_scatter


masked_scatter = _masked_scatter_front(False)
masked_scatter_ = _masked_scatter_front(True)


def _put_check(input, index, source, accumulate=False):
    if not isinstance(index, Tensor) or not isinstance(source, Tensor):
        raise TypeError("put(): argument 'index' and 'source' must be Tensors")
    if index._dtype is not D.int64:
        raise RuntimeError(
            f"put_(): Expected a long tensor for index, but got {index._dtype._scalar_name}"
        )
    if source._dtype is not input._dtype:
        raise RuntimeError(
            "put_(): self and source expected to have the same dtype, but got self.dtype = "
            f"{input._dtype._scalar_name} and source.dtype = {source._dtype._scalar_name}"
        )
    if source.numel() != index.numel():
        raise IndexError(
            "put_(): Expected source and index to have the same number of elements, but got source.numel() = "
            f"{source.numel()}, index.numel() = {index.numel()}"
        )
    n = input.numel()
    _check_index_bounds(
        index,
        n,
        0,
        IndexError,
        "out of range: tried to access index {bad} on a tensor of " + f"{n} elements.",
        allow_negative=True,
    )


@op(
    "put(Tensor input, Tensor index, Tensor source, bool accumulate=False) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    saves=("index",),
    check=_put_check,
)
def put(input, index, source, accumulate=False):
    if index.size == 0:
        return input
    flat = input.reshape(-1)
    n = flat.shape[0]
    idx = index.reshape(-1).astype(np.int64)
    idx = jnp.where(idx < 0, idx + n, idx)
    vals = source.reshape(-1)
    if accumulate:
        out = at_add(flat, (idx,), vals)
    elif jnp.issubdtype(flat.dtype, jnp.inexact):
        out = _scatter_src(flat, (idx,), vals)
    else:
        out = _scatter_set(flat, (idx,), vals)
    return out.reshape(input.shape)


def _gather_front():
    from .indexing import with_out

    # torch's gather meta function resizes ``out`` to the index's shape, then asserts no overlap
    # with ``input`` and no partial overlap with ``index``
    return with_out(
        "gather",
        exact_dtype=True,
        partial=("index",),
        out_shape=lambda input, dim, index, sparse_grad=False: (
            index._shape if isinstance(index, Tensor) else None
        ),
    )


gather = _gather_front()
for _f in (scatter, index_fill, masked_scatter, gather):
    register_function(_f.__name__, _f)
for _f in (scatter, scatter_, index_fill, index_fill_, masked_scatter, masked_scatter_):
    register_method(_f.__name__, _f)
