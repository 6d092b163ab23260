"""Sorting, selection and searching: sort, argsort, msort, topk, kthvalue, median, nanmedian, mode,
quantile, nanquantile, searchsorted, bucketize, isin, equal, allclose.

Sorting follows torch's CPU order: stable, NaN greater than every number (last ascending, first
descending), ``-0.0 == 0.0``. unique/unique_consecutive/bincount live in ``unique``,
histc/histogram/histogramdd in ``histogram``.

Which of several tied elements an index points at is left by torch's CPU kernels to
std::sort / std::nth_element / partial_sort (sort with stable=False on slices longer than 16,
topk, kthvalue, median(dim), mode on slices longer than 16): torchjax always uses the stable
order (the first occurrence; the last one for mode, as torch's small-slice insertion sort gives).
Values always agree.
"""

from __future__ import annotations

import builtins
import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op
from ._util import is_bool, is_complex, is_float, wrap_dim
from .reduction import (
    _NO,
    _call,
    _check_nonempty,
    _dtname,
    _install,
    _invalid,
    _kernel,
    _outs,
    expect_out_dtype,
    wrap_out_check,
)

# ------------------------------------------------------------------ the sort permutation


def sort_perm(x, axis, descending=False):
    """Stable permutation sorting ``x`` along ``axis`` in torch's order (int64 indices)."""
    iota = lax.broadcasted_iota(np.int64, x.shape, axis)
    if is_float(x):
        nan = jnp.isnan(x)
        v = jnp.where(nan, jnp.zeros((), x.dtype), x) + jnp.zeros((), x.dtype)  # -0.0 -> 0.0
        if descending:
            keys = ((~nan).astype(np.int8), -v)
        else:
            keys = (nan.astype(np.int8), v)
        return lax.sort(keys + (iota,), dimension=axis, is_stable=True, num_keys=2)[-1]
    if is_bool(x):
        k = x.astype(np.int8)
        k = -k if descending else k
    else:
        k = ~x if descending else x  # bitwise not reverses the order without overflow
    return lax.sort((k, iota), dimension=axis, is_stable=True, num_keys=1)[-1]


def _sorted(x, axis, descending=False):
    perm = sort_perm(x, axis, descending)
    return jnp.take_along_axis(x, perm, axis=axis), perm


def _no_complex_sort(x, what):
    if is_complex(x):
        raise RuntimeError(f" {what} does not support complex dtypes on CPU")


# ------------------------------------------------------------------ sort / argsort / msort


@op(
    "sort(Tensor input, int dim=-1, bool descending=False, *, bool? stable=None) -> (Tensor values, Tensor indices)",
    method=True,
    promote="none",
)
def sort(input, dim=-1, descending=False, stable=None):
    _no_complex_sort(input, "Sort")
    d = wrap_dim(dim, input.ndim)
    if input.ndim == 0:
        return input, jnp.zeros((), np.int64)
    return _sorted(input, d, descending)


@op(
    "argsort(Tensor input, int dim=-1, bool descending=False, *, bool stable=False) -> Tensor",
    method=True,
    promote="none",
    differentiable=False,
)
def argsort(input, dim=-1, descending=False, stable=False):
    _no_complex_sort(input, "Sort")
    d = wrap_dim(dim, input.ndim)
    if input.ndim == 0:
        return jnp.zeros((), np.int64)
    return sort_perm(input, d, descending)


@op("msort(Tensor input) -> Tensor", method=True, promote="none", grad="SortBackward0")
def msort(input):
    _no_complex_sort(input, "Sort")
    if input.ndim == 0:
        return input
    return _sorted(input, 0)[0]


# ------------------------------------------------------------------ topk / kthvalue


@op(
    "topk(Tensor input, int k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices)",
    method=True,
    promote="none",
)
def topk(input, k, dim=-1, largest=True, sorted=True):  # noqa: A002
    _no_complex_sort(input, "topk")
    if is_bool(input):
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d] if input.ndim else 1
    if k < 0 or k > n:
        raise RuntimeError("selected index k out of range")
    if input.ndim == 0:
        return input, jnp.zeros((), np.int64)
    perm = lax.slice_in_dim(sort_perm(input, d, largest), 0, k, axis=d)
    return jnp.take_along_axis(input, perm, axis=d), perm


@op(
    "kthvalue(Tensor input, int k, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)",
    method=True,
    promote="none",
)
def kthvalue(input, k, dim=-1, keepdim=False):
    if is_complex(input) or is_bool(input):
        raise NotImplementedError(f"\"kthvalue_cpu\" not implemented for '{_dtname(input)}'")
    d = wrap_dim(dim, input.ndim)
    if input.ndim == 0:
        if k != 1:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
        return input, jnp.zeros((), np.int64)
    _check_nonempty("kthvalue", input, (d,), False)
    if k < 1 or k > input.shape[d]:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    idx = lax.slice_in_dim(sort_perm(input, d), k - 1, k, axis=d)
    vals = jnp.take_along_axis(input, idx, axis=d)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, d), jnp.squeeze(idx, d)
    return vals, idx


# ------------------------------------------------------------------ median / nanmedian / mode


def _median_value(x, ignore_nan):
    flat = x.reshape(-1)
    n = flat.shape[0]
    if n == 0:
        return jnp.full((), jnp.nan, x.dtype)
    s = _sorted(flat, 0)[0]
    if not is_float(x):
        return s[(n - 1) // 2]
    nan_cnt = jnp.sum(jnp.isnan(flat))
    if ignore_nan:
        m = n - nan_cnt
        return jnp.where(m > 0, s[jnp.maximum(m - 1, 0) // 2], jnp.nan).astype(x.dtype)
    return jnp.where(nan_cnt > 0, jnp.nan, s[(n - 1) // 2]).astype(x.dtype)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _median_full(x, ignore_nan):
    return _median_value(x, ignore_nan)


def _median_full_fwd(x, ignore_nan):
    r = _median_value(x, ignore_nan)
    return r, (x, r)


def _median_full_bwd(ignore_nan, res, g):
    # evenly_distribute_backward: ties share the gradient; a NaN result sends it to the NaNs
    x, r = res
    mask = jnp.where(jnp.isnan(r), jnp.isnan(x), x == r)
    cnt = jnp.sum(mask).astype(g.dtype)
    return (jnp.where(mask, g / cnt, jnp.zeros((), g.dtype)),)


_median_full.defvjp(_median_full_fwd, _median_full_bwd)


def _median_dim(x, dim, keepdim, ignore_nan, name):
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return x, jnp.zeros((), np.int64)
    _check_nonempty(name, x, (d,), False)
    n = x.shape[d]
    perm = sort_perm(x, d)
    if is_float(x):
        nan_cnt = jnp.sum(jnp.isnan(x), axis=d, keepdims=True)
        if ignore_nan:
            m = n - nan_cnt
            pos = jnp.where(m > 0, jnp.maximum(m - 1, 0) // 2, 0)
        else:
            pos = jnp.where(nan_cnt > 0, n - nan_cnt, (n - 1) // 2)
    else:
        shape = list(x.shape)
        shape[d] = 1
        pos = jnp.full(shape, (n - 1) // 2, np.int64)
    idx = jnp.take_along_axis(perm, pos.astype(np.int64), axis=d)
    vals = jnp.take_along_axis(x, idx, axis=d)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, d), jnp.squeeze(idx, d)
    return vals, idx


def _median_kernels(name, ignore_nan, grad):
    @_kernel(f"{name}(Tensor input) -> Tensor", short=name, grad=f"{grad}Backward0")
    def full(input):
        if is_complex(input) or is_bool(input):
            raise NotImplementedError(f"\"median_cpu\" not implemented for '{_dtname(input)}'")
        if input.size == 0 and not is_float(input):
            # torch converts its NaN result to the integer type: the lowest value
            return jnp.asarray(jnp.iinfo(input.dtype).min, input.dtype)
        return _median_full(input, ignore_nan)

    @_kernel(
        f"{name}.dim(Tensor input, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)",
        short=name,
        rt=name,
        grad=f"{grad}Backward1",
    )
    def dim(input, dim, keepdim=False):
        if is_complex(input) or is_bool(input):
            raise NotImplementedError(f"\"median_out\" not implemented for '{_dtname(input)}'")
        return _median_dim(input, dim, keepdim, ignore_nan, name)

    def front(input, dim=_NO, keepdim=_NO, *, out=None):
        if dim is _NO:
            if keepdim is not _NO:
                raise _invalid(name, input, keepdim=keepdim)
            r = _call(full, input)
            if out is not None:
                R.copy_into_out(r._v(), out)
                return out
            return r
        if dim is None or isinstance(dim, (tuple, list, builtins.float)):
            raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
        if out is not None:
            v = _outs(out)[0]
            if v.dtype is not input.dtype:
                raise RuntimeError(
                    "Expected tensor for 'values' to have the same type as tensor for argument #2 'self'; but type "
                    f"torch.{v.dtype._legacy} does not equal torch.{input.dtype._legacy} (while checking arguments "
                    "for median)"
                )
        return _call(dim_k, input, dim, False if keepdim is _NO else keepdim, out=out)

    dim_k = dim
    front.__doc__ = (
        f"torch.{name}(input) / torch.{name}(input, dim, keepdim=False) -> (values, indices)."
    )
    return front


median = _median_kernels("median", False, "Median")
nanmedian = _median_kernels("nanmedian", True, "Nanmedian")


@op(
    "mode(Tensor input, int dim=-1, bool keepdim=False) -> (Tensor values, Tensor indices)",
    method=True,
    promote="none",
)
def mode(input, dim=-1, keepdim=False):
    d = wrap_dim(dim, input.ndim)
    if input.ndim == 0:
        return input, jnp.zeros((), np.int64)
    _check_nonempty("mode", input, (d,), False)
    if is_complex(input):
        raise NotImplementedError(f"\"mode_cpu\" not implemented for '{_dtname(input)}'")
    x = jnp.moveaxis(input, d, -1)
    s, perm = _sorted(x, x.ndim - 1)
    j = lax.broadcasted_iota(np.int64, s.shape, s.ndim - 1)
    new_run = jnp.concatenate(
        [jnp.ones(s.shape[:-1] + (1,), bool), s[..., 1:] != s[..., :-1]], axis=-1
    )
    start = lax.cummax(jnp.where(new_run, j, 0), axis=s.ndim - 1)
    count = j - start + 1
    # the first longest run ends at the smallest most frequent value; with a stable sort its last
    # element is that value's last occurrence
    best = jnp.argmax(count, axis=-1, keepdims=True)
    idx = jnp.take_along_axis(perm, best, axis=-1)
    vals = jnp.take_along_axis(x, idx, axis=-1)
    vals, idx = jnp.moveaxis(vals, -1, d), jnp.moveaxis(idx, -1, d)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, d), jnp.squeeze(idx, d)
    return vals, idx


# ------------------------------------------------------------------ quantile / nanquantile

_INTERP = ("linear", "lower", "higher", "midpoint", "nearest")


def _lerp(a, b, w):
    # torch's lerp: a + w * (b - a) for |w| < 0.5, else b - (b - a) * (1 - w)
    return jnp.where(jnp.abs(w) < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


@_kernel(
    "quantile(Tensor input, Tensor q, int? dim, bool keepdim, str interpolation, bool ignore_nan, "
    "bool scalar_q) -> Tensor",
    short="quantile",
    grad="SqueezeBackward4",
)
def _quantile_k(input, q, dim, keepdim, interpolation, ignore_nan, scalar_q):
    if dim is None:
        x = input.reshape(-1)
        out_shape = [1] * input.ndim if keepdim else []
    else:
        d = wrap_dim(dim, input.ndim)
        x = jnp.moveaxis(input, d, -1) if input.ndim else input.reshape(1)
        out_shape = list(input.shape)
        if input.ndim:
            if keepdim:
                out_shape[d] = 1
            else:
                del out_shape[d]
    n = x.shape[-1]
    s = _sorted(x, x.ndim - 1)[0].reshape(-1, n)
    qv = q.reshape(1, -1)
    dt = s.dtype
    if ignore_nan:
        cnt = jnp.sum(~jnp.isnan(s), axis=-1, keepdims=True)
        ranks = qv * (cnt - 1).astype(dt)
        ranks = jnp.where(ranks < 0, jnp.zeros((), dt), ranks)
    else:
        last = n - 1
        has_nan = jnp.any(jnp.isnan(s), axis=-1, keepdims=True)
        ranks = jnp.where(has_nan, jnp.asarray(last, dt), qv * jnp.asarray(last, dt))
    if interpolation == "lower":
        ranks = jnp.floor(ranks)
    elif interpolation == "higher":
        ranks = jnp.ceil(ranks)
    elif interpolation == "nearest":
        ranks = jnp.round(ranks)
    below = ranks.astype(np.int64)
    vals = jnp.take_along_axis(s, below, axis=-1)
    if interpolation in ("linear", "midpoint"):
        w = jnp.full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below.astype(dt)
        above = jnp.ceil(ranks).astype(np.int64)
        vals = _lerp(vals, jnp.take_along_axis(s, above, axis=-1), w)
    vals = vals.reshape(tuple(out_shape) + (qv.shape[-1],))
    if scalar_q:
        return vals[..., 0]
    return jnp.moveaxis(vals, -1, 0)


def _fmt_double(v, data=False):
    # a NaN that torch's CPU aminmax produced prints as "-nan" (x86's default NaN has the sign bit set)
    if data and v != v:
        return "-nan"
    return f"{v:g}"


def _is_traced(t):
    return isinstance(t._v(), jax.core.Tracer)


def _quantile_front(fname, ignore_nan):
    name = "quantile"  # torch's checks say quantile() for nanquantile too

    def f(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
        if input.numel() == 0:
            raise RuntimeError(f"{name}() input tensor must be non-empty")
        scalar_q = not isinstance(q, Tensor)
        if scalar_q:
            qf = float(q)
            if not (0 <= qf <= 1):
                raise RuntimeError(
                    f"{name}() q must be in the range [0, 1] but got {_fmt_double(qf)}"
                )
            if input.dtype not in (D.float32, D.float64):
                raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
            from .._creation import from_host

            q = from_host(np.asarray(qf, input.dtype._np), device=input.device)
        else:
            if q.dim() > 1:
                raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
            if input.dtype not in (D.float32, D.float64):
                raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
            if q.dtype is not input.dtype:
                raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
            if not _is_traced(q):
                qh = np.asarray(q._v())
                if not np.all((qh >= 0) & (qh <= 1)):
                    raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
            scalar_q = q.dim() == 0
        if interpolation not in _INTERP:
            raise RuntimeError(
                f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, but got "
                f"{interpolation}"
            )
        if dim is not None:
            wrap_dim(dim, input.dim())
        if out is not None and out.dtype is not input.dtype:
            raise RuntimeError(f"{name}() out tensor must be same dtype as the input tensor")
        return _call(
            _quantile_k, input, q, dim, keepdim, interpolation, ignore_nan, scalar_q, out=out
        )

    f.__doc__ = f"torch.{fname}(input, q, dim=None, keepdim=False, *, interpolation='linear')."
    return f


quantile = _quantile_front("quantile", False)
nanquantile = _quantile_front("nanquantile", True)


# ------------------------------------------------------------------ searchsorted / bucketize


def _bsearch(seq, vals, right):
    """torch's cus_lower_bound / cus_upper_bound, batched: seq (B, n), vals (B, m) -> (B, m) int64."""
    n = seq.shape[-1]
    lo = jnp.zeros(vals.shape, np.int64)
    if n == 0:
        return lo
    hi = jnp.full(vals.shape, n, np.int64)

    def body(_, state):
        lo, hi = state
        active = lo < hi
        mid = lo + ((hi - lo) >> 1)
        midv = jnp.take_along_axis(seq, jnp.clip(mid, 0, n - 1), axis=-1)
        go_right = ~(midv > vals) if right else ~(midv >= vals)
        return jnp.where(active & go_right, mid + 1, lo), jnp.where(active & ~go_right, mid, hi)

    lo, _ = lax.fori_loop(0, n.bit_length(), body, (lo, hi))
    return lo


def _search_common(a, b):
    dt = D.promote_types(D.from_np(a.dtype), D.from_np(b.dtype))._np
    return a.astype(dt), b.astype(dt)


def _searchsorted_check(
    sorted_sequence, input, out_int32=False, right=False, side=None, sorter=None
):
    bdim = sorted_sequence.dim()
    if sorter is not None:
        if sorter.dtype is not D.int64:
            raise RuntimeError(
                f"torch.searchsorted(): sorter must be a tensor of long dtype but got dtype {sorter.dtype._scalar_name}"
            )
        if tuple(sorter.shape) != tuple(sorted_sequence.shape):
            raise RuntimeError(
                "torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor "
                f"{list(sorted_sequence.shape)}and got sorter tensor {list(sorter.shape)}"
            )
    if isinstance(input, Tensor):
        if input.dim() == 0 and bdim != 1:
            raise RuntimeError(
                "torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, "
                f"but we got boundaries tensor dim({bdim}) and input value's dim(0) numel(1)"
            )
    if bdim == 0:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension"
        )
    if (
        isinstance(input, Tensor)
        and bdim != 1
        and (input.dim() != bdim or tuple(input.shape[:-1]) != tuple(sorted_sequence.shape[:-1]))
    ):
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries "
            f"tensor and input value tensor must match, but we got boundaries tensor {list(sorted_sequence.shape)} "
            f"and input value tensor {list(input.shape)}"
        )
    if side is not None and side not in ("left", "right"):
        raise RuntimeError(
            f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}"
        )
    if right and side == "left":
        raise RuntimeError(
            f"torch.searchsorted(): side and right can't be set to opposites, got side of {side} while right was True"
        )


def _searchsorted_impl(seq, vals, out_int32, right, sorter):
    seq, vals = _search_common(seq, vals)
    if is_bool(seq) or is_complex(seq):
        raise NotImplementedError(f"\"searchsorted_out_cpu\" not implemented for '{_dtname(seq)}'")
    if sorter is not None:
        seq = jnp.take_along_axis(seq, sorter, axis=-1)
    shape = vals.shape
    n = seq.shape[-1]
    odt = np.int32 if out_int32 else np.int64
    if vals.size == 0:
        return jnp.zeros(shape, odt)
    if seq.ndim == 1:
        r = _bsearch(seq.reshape(1, n), vals.reshape(1, -1), right)
    else:
        b = math.prod(seq.shape[:-1])
        r = _bsearch(seq.reshape(b, n), vals.reshape(b, -1), right)
    return r.reshape(shape).astype(odt)


@op(
    "searchsorted(Tensor sorted_sequence, Tensor|Scalar input, *, bool out_int32=False, bool right=False, "
    "str? side=None, Tensor? sorter=None) -> Tensor",
    promote="none",
    differentiable=False,
    check=_searchsorted_check,
)
def searchsorted(sorted_sequence, input, out_int32=False, right=False, side=None, sorter=None):
    is_right = side == "right" if side is not None else right
    return _searchsorted_impl(sorted_sequence, input, out_int32, is_right, sorter)


def _bucketize_check(input, boundaries, out_int32=False, right=False):
    if boundaries.dim() != 1:
        raise RuntimeError(
            f"boundaries tensor must be 1 dimension, but got dim({boundaries.dim()})"
        )


@op(
    "bucketize(Tensor|Scalar input, Tensor boundaries, *, bool out_int32=False, bool right=False) -> Tensor",
    promote="none",
    differentiable=False,
    check=_bucketize_check,
)
def bucketize(input, boundaries, out_int32=False, right=False):
    return _searchsorted_impl(boundaries, input, out_int32, right, None)


# ------------------------------------------------------------------ isin / equal / allclose


def _isin_check(elements, test_elements, assume_unique=False, invert=False):
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError(
            "isin() received an invalid combination of arguments - got (Number, Number)"
        )
    for t in (elements, test_elements):
        if isinstance(t, Tensor) and (t.dtype is D.bool or t.dtype.is_complex):
            raise RuntimeError(
                f"Unsupported input type encountered for isin(): {t.dtype._scalar_name}"
            )


@op(
    "isin(Tensor|Scalar elements, Tensor|Scalar test_elements, *, bool assume_unique=False, bool invert=False) "
    "-> Tensor",
    differentiable=False,
    check=_isin_check,
)
def isin(elements, test_elements, assume_unique=False, invert=False):
    t = test_elements.reshape(-1)
    e = elements
    if t.size == 0:
        r = jnp.zeros(e.shape, bool)
    elif e.size * t.size <= 1 << 16:
        r = jnp.any(e[..., None] == t, axis=-1)
    else:
        st = _sorted(t, 0)[0]
        pos = jnp.clip(jnp.searchsorted(st, e.reshape(-1)), 0, t.size - 1)
        r = (st[pos] == e.reshape(-1)).reshape(e.shape)
    return ~r if invert else r


@_kernel("equal(Tensor input, Tensor other) -> Tensor", short="equal", differentiable=False)
def _equal_k(input, other):
    if input.shape != other.shape:
        return jnp.asarray(False)
    a, b = _search_common(input, other)
    return jnp.all(a == b)


def equal(input, other):
    """torch.equal: same size and elements (NaN never equal); a Python bool."""
    if not isinstance(input, Tensor) or not isinstance(other, Tensor):
        bad = other if isinstance(input, Tensor) else input
        raise TypeError(
            f"equal(): argument '{'other' if isinstance(input, Tensor) else 'input'}' must be Tensor, "
            f"not {type(bad).__name__}"
        )
    return builtins.bool(_call(_equal_k, input, other).item())


def _isclose_value(a, b, rtol, atol, equal_nan):
    close = a == b
    if equal_nan and (is_float(a) or is_complex(a)):
        close = close | (jnp.isnan(a) & jnp.isnan(b))
    if rtol == 0 and atol == 0:
        return close
    if is_bool(a):
        a = a.astype(D.get_default_dtype()._np)
        b = b.astype(D.get_default_dtype()._np)
    if not (is_float(a) or is_complex(a)):
        a = a.astype(D.get_default_dtype()._np)
        b = b.astype(D.get_default_dtype()._np)
    allowed = atol + jnp.abs(rtol * b)
    actual = jnp.abs(a - b)
    return close | (jnp.isfinite(actual) & (actual <= allowed))


def _allclose_check(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{input.dtype._scalar_name} did not match {other.dtype._scalar_name}")
    if rtol < 0:
        raise RuntimeError(
            f"rtol must be greater than or equal to zero, but got {_fmt_double(rtol)}"
        )
    if atol < 0:
        raise RuntimeError(
            f"atol must be greater than or equal to zero, but got {_fmt_double(atol)}"
        )


@_kernel(
    "allclose(Tensor input, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> Tensor",
    short="allclose",
    differentiable=False,
    check=_allclose_check,
)
def _allclose_k(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return jnp.all(_isclose_value(input, other, rtol, atol, equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """torch.allclose: isclose(...).all() as a Python bool (dtypes must match)."""
    return builtins.bool(
        _call(_allclose_k, input, other, float(rtol), float(atol), equal_nan).item()
    )


# ------------------------------------------------------------------ installation

_install("median", median)
_install("nanmedian", nanmedian)
_install("quantile", quantile)
_install("nanquantile", nanquantile)
_install("equal", equal)
_install("allclose", allclose)


def _kth_out(inp, out, args, kwargs):
    """kthvalue_out_impl_cpu's checks: torch refuses a values output that shares memory with the
    input (``at::assert_no_overlap``) once ``k`` is known to be valid."""
    if _outs(out)[0].dtype is not inp.dtype:
        raise RuntimeError("output values must be of same type as input")
    k = args[1] if len(args) > 1 else kwargs.get("k")
    dim = args[2] if len(args) > 2 else kwargs.get("dim", -1)
    if (
        not isinstance(k, int)
        or not isinstance(dim, int)
        or not -max(inp.dim(), 1) <= dim < max(inp.dim(), 1)
    ):
        return  # the op itself raises torch's error
    size = inp.shape[dim] if inp.dim() else 1
    if 1 <= k <= size and inp.numel() and _overlaps(inp, _outs(out)[0]):
        raise RuntimeError(
            "unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )


def _overlaps(a, b):
    """ATen's get_overlap_status != NO: same storage and intersecting element ranges."""
    if a is b:
        return True
    if a._storage is not b._storage or not a.numel() or not b.numel():
        return False

    def span(t):
        lo = t.storage_offset()
        return lo, lo + sum((n - 1) * st for n, st in zip(t.shape, t.stride())) + 1

    (a0, a1), (b0, b1) = span(a), span(b)
    return a0 < b1 and b0 < a1


def _mode_out(inp, out, args, kwargs):
    v = _outs(out)[0]
    if v.dtype is not inp.dtype:
        raise RuntimeError(
            f"expected scalar type '{inp.dtype._scalar_name}' but got '{v.dtype._scalar_name}' for values output"
        )


def _searchsorted_out(inp, out, args, kwargs):
    o = _outs(out)[0]
    out_int32 = kwargs.get("out_int32", False)
    if o.dtype is not (D.int32 if out_int32 else D.int64):
        raise RuntimeError(
            "torch.searchsorted(): output tensor's dtype is wrong, it can only be Int(int32) or Long(int64) depending "
            f"on whether out_int32 flag is True, but we got output tensor's dtype {o.dtype._scalar_name} and out_int32 "
            f"flag is {'True' if out_int32 else 'False'}"
        )


wrap_out_check("sort", lambda inp, out, a, k: expect_out_dtype(out, (inp.dtype, D.int64)))
wrap_out_check("argsort", lambda inp, out, a, k: expect_out_dtype(out, (D.int64,)))
wrap_out_check("msort", lambda inp, out, a, k: expect_out_dtype(out, (inp.dtype,)))
wrap_out_check("topk", lambda inp, out, a, k: expect_out_dtype(out, (inp.dtype, D.int64)))
wrap_out_check("kthvalue", _kth_out)
wrap_out_check("mode", _mode_out)
wrap_out_check("searchsorted", _searchsorted_out)

for _rt, _fields in (
    ("sort", ("values", "indices")),
    ("topk", ("values", "indices")),
    ("kthvalue", ("values", "indices")),
    ("median", ("values", "indices")),
    ("nanmedian", ("values", "indices")),
    ("mode", ("values", "indices")),
):
    R.return_type(_rt, _fields)
