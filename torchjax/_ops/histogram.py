"""Histograms: histc, histogram, histogramdd; bin edges use torch.linspace's CPU formula."""

from __future__ import annotations

import builtins
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op
from ._util import is_float
from .reduction import (
    _call,
    _dtname,
    _install,
    _invalid,
    _kernel,
    _outs,
    wrap_out_check,
)
from .reduction import tm as _tm
from .sorting import _bsearch, _fmt_double

# ------------------------------------------------------------------ histograms


def torch_linspace(start, end, steps, dtype):
    """torch.linspace's CPU formula: start + step*i for the first half, end - step*(steps-1-i) after."""
    start = jnp.asarray(start).astype(dtype)
    end = jnp.asarray(end).astype(dtype)
    if steps == 1:
        return start.reshape(1)
    step = (end - start) / jnp.asarray(steps - 1, dtype)
    i = jnp.arange(steps)
    half = steps // 2
    lo = start + step * i.astype(dtype)
    hi = end - step * (steps - i - 1).astype(dtype)
    return jnp.where(i < half, lo, hi)


def _bin_positions(x, edges, algorithm):
    """Bin of each element of ``x`` (torch's histogramdd_cpu_contiguous) and whether it counts."""
    nb = edges.shape[0]
    left, right = edges[0], edges[nb - 1]
    valid = (x >= left) & (x <= right)
    if algorithm == "binary":
        pos = _bsearch(edges.reshape(1, nb), x.reshape(1, -1), True).reshape(x.shape) - 1
    else:
        pos = (x - left) * jnp.asarray(nb - 1, x.dtype) / (right - left)
        pos = jnp.where(valid, pos, 0).astype(np.int64)
        if algorithm == "local":
            pmin = jnp.maximum(pos - 1, 0)
            pmax = jnp.minimum(pos + 2, nb)
            cnt = jnp.zeros(x.shape, np.int64)
            for k in range(3):
                j = pmin + k
                inside = j < pmax
                e = edges[jnp.clip(j, 0, nb - 1)]
                cnt = cnt + (inside & (e <= x)).astype(np.int64)
            pos = pmin + cnt - 1
    pos = jnp.where(pos == nb - 1, pos - 1, pos)
    return jnp.where(valid, pos, 0), valid


def _histdd(x2, edges, weight, density, algorithm):
    """hist of the rows of ``x2`` (M, N) over the per-dimension ``edges`` (torch's histogramdd)."""
    m, n = x2.shape
    sizes = tuple(e.shape[0] - 1 for e in edges)
    ok = jnp.ones((m,), bool)
    stride = 1
    flat = jnp.zeros((m,), np.int64)
    for d in range(n - 1, -1, -1):
        pos, valid = _bin_positions(x2[:, d], edges[d], algorithm)
        flat = flat + pos * stride
        ok = ok & valid
        stride *= sizes[d]
    w = jnp.ones((m,), x2.dtype) if weight is None else weight.reshape(-1).astype(x2.dtype)
    w = jnp.where(ok, w, jnp.zeros((), x2.dtype))
    hist = (
        jnp.zeros((builtins.max(stride, 0),), x2.dtype).at[jnp.where(ok, flat, 0)].add(w)
        if n
        else jnp.zeros((), x2.dtype)
    )
    hist = hist.reshape(sizes)
    if density and n:
        hist = hist / jnp.sum(hist)
        for d in range(n):
            shape = [1] * n
            shape[d] = sizes[d]
            hist = hist / jnp.diff(edges[d]).reshape(shape)
    return hist


def _hist_float_check(x, what="histogram_cpu"):
    if not is_float(x):
        raise NotImplementedError(f"\"{what}\" not implemented for '{_dtname(x)}'")


def _outer_edges(x2, rng, n):
    """(lo, hi) per dimension as float64 jax scalars: range, else the data's min/max, else [0, 1]."""
    out = []
    for d in range(n):
        if rng is not None:
            lo, hi = jnp.asarray(rng[2 * d], np.float64), jnp.asarray(rng[2 * d + 1], np.float64)
        elif x2.shape[0] > 0:
            col = x2[:, d]
            lo, hi = jnp.min(col).astype(np.float64), jnp.max(col).astype(np.float64)
        else:
            lo, hi = jnp.asarray(0.0, np.float64), jnp.asarray(1.0, np.float64)
        same = lo == hi
        out.append((jnp.where(same, lo - 0.5, lo), jnp.where(same, hi + 0.5, hi)))
    return out


def _check_outer_edges(input2, rng, n):
    """torch's finiteness / ordering checks of the outer bin edges (host; skipped on traced values)."""
    for d in range(n):
        if rng is not None:
            if len(rng) != 2 * n:
                raise RuntimeError(
                    f"torch.histogramdd: for a {n}-dimensional histogram range should have {2 * n} elements, but "
                    f"got {len(rng)}"
                )
            lo, hi = float(rng[2 * d]), float(rng[2 * d + 1])
        elif input2 is not None and input2.shape[0] > 0:
            col = input2[:, d]
            lo, hi = float(np.min(col)), float(np.max(col))
            if np.isnan(col).any():
                lo = hi = math.nan
        else:
            continue
        data = rng is None
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise RuntimeError(
                f"torch.histogramdd: dimension {d}'s range [{_fmt_double(lo, data)}, {_fmt_double(hi, data)}] is "
                "not finite"
            )
        if not lo <= hi:
            raise RuntimeError(
                f"torch.histogramdd: min should not exceed max, but got min {_fmt_double(lo)} max {_fmt_double(hi)} "
                f"for dimension {d}"
            )


def _host_or_none(t):
    v = t._v()
    if isinstance(v, jax.core.Tracer):
        return None
    return np.asarray(v).astype(np.float64) if v.dtype != np.float64 else np.asarray(v)


def _histc_check(input, bins=100, min=0, max=0):  # noqa: A002
    lo, hi = float(min), float(max)
    if input.dtype.is_complex and lo == hi and input.numel() > 0:
        raise NotImplementedError(
            f"\"aminmax_cpu\" not implemented for '{input.dtype._scalar_name}'"
        )
    if input.dtype is D.bool:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    if lo == hi and input.numel() > 0:
        h = _host_or_none(input)
        if h is None:
            return
        lo, hi = float(np.min(h)), float(np.max(h))
        if np.isnan(h).any():
            lo = hi = math.nan
        data = True
    else:
        data = False
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if math.isinf(lo) or math.isinf(hi) or math.isnan(lo) or math.isnan(hi):
        raise RuntimeError(
            f"torch.histc: range of [{_fmt_double(lo, data)}, {_fmt_double(hi, data)}] is not finite"
        )
    if not lo < hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")


@op(
    "histc(Tensor input, int bins=100, float min=0, float max=0) -> Tensor",
    method=True,
    promote="none",
    differentiable=False,
    check=_histc_check,
)
def histc(input, bins=100, min=0.0, max=0.0):  # noqa: A002
    _hist_float_check(input)
    x = input.reshape(-1)
    lo, hi = jnp.asarray(float(min), np.float64), jnp.asarray(float(max), np.float64)
    if float(min) == float(max) and x.size > 0:
        lo, hi = jnp.min(x).astype(np.float64), jnp.max(x).astype(np.float64)
    same = lo == hi
    lo, hi = jnp.where(same, lo - 1, lo), jnp.where(same, hi + 1, hi)
    edges = jnp.stack([lo, hi]).astype(x.dtype)
    # histc maps by linear interpolation over [lo, hi] with bins bins (LINEAR_INTERPOLATION)
    nb = bins + 1
    left, right = edges[0], edges[1]
    valid = (x >= left) & (x <= right)
    pos = (x - left) * jnp.asarray(nb - 1, x.dtype) / (right - left)
    pos = jnp.where(valid, pos, 0).astype(np.int64)
    pos = jnp.where(pos == nb - 1, pos - 1, pos)
    w = jnp.where(valid, jnp.ones((), x.dtype), jnp.zeros((), x.dtype))
    return jnp.zeros((bins,), x.dtype).at[jnp.where(valid, pos, 0)].add(w)


def _hist_ct_check(input, bins=100, range=None, weight=None, density=False):  # noqa: A002
    _hist_weight_check(input, weight, flat=True)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    if input.dtype._cat == D._FLOAT:
        h = None if range is not None else _host_or_none(input)
        if range is not None or h is not None:
            _check_outer_edges(None if h is None else h.reshape(-1, 1), range, 1)


def _hist_weight_check(input, weight, flat=False):
    if weight is None:
        return
    if weight.dtype is not input.dtype:
        raise RuntimeError(
            "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the same "
            f"dtype, but got input({_tm(input.dtype)}), and weight({_tm(weight.dtype)})"
        )
    ok = (
        tuple(weight.shape) == tuple(input.shape)
        if flat
        else tuple(weight.shape or (1,)) == tuple(input.shape[:-1])
    )
    if not ok:
        in_shape = [input.numel(), 1] if flat else list(input.shape)
        w_shape = [weight.numel()] if flat else list(weight.shape)
        raise RuntimeError(
            "torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor "
            f"excluding its innermost dimension, but got input with shape {in_shape} and weight with shape {w_shape}"
        )


@_kernel(
    "histogram.bin_ct(Tensor input, int bins=100, *, float[]? range=None, Tensor? weight=None, "
    "bool density=False) -> (Tensor hist, Tensor bin_edges)",
    short="histogram",
    rt="histogram",
    differentiable=False,
    check=_hist_ct_check,
)
def _histogram_ct(input, bins=100, range=None, weight=None, density=False):  # noqa: A002
    _hist_float_check(input)
    x2 = input.reshape(-1, 1)
    ((lo, hi),) = _outer_edges(x2, range, 1)
    edges = torch_linspace(lo, hi, bins + 1, input.dtype)
    hist = _histdd(x2, [edges], weight, density, "local")
    return hist, edges


def _hist_t_check(input, bins, weight=None, density=False):
    _hist_weight_check(input, weight, flat=True)
    if bins.dtype is not input.dtype:
        raise RuntimeError(
            "torch.histogramdd: input tensor and bins tensors should have the same dtype, but got input with dtype "
            f"{_tm(input.dtype)} and bins for dimension 0 with dtype {_tm(bins.dtype)}"
        )
    if bins.dim() != 1:
        raise RuntimeError(
            "torch.histogramdd: bins tensor should have one dimension, but got "
            f"{bins.dim()} dimensions in the bins tensor for dimension 0"
        )
    if bins.numel() == 0:
        raise RuntimeError(
            "torch.histogramdd: bins tensor should have at least 1 element, but got 0 elements in the bins tensor "
            "for dimension 0"
        )


@_kernel(
    "histogram.bins_tensor(Tensor input, Tensor bins, *, Tensor? weight=None, bool density=False) -> "
    "(Tensor hist, Tensor bin_edges)",
    short="histogram",
    rt="histogram",
    differentiable=False,
    check=_hist_t_check,
)
def _histogram_t(input, bins, weight=None, density=False):
    _hist_float_check(input)
    x2 = input.reshape(-1, 1)
    return _histdd(x2, [bins], weight, density, "binary"), bins


def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):  # noqa: A002
    """torch.histogram(input, bins, *, range=None, weight=None, density=False) -> (hist, bin_edges)."""
    if isinstance(bins, Tensor):
        if range is not None:
            raise _invalid("histogram", input, bins, range=range)
        return _call(_histogram_t, input, bins, weight, density, out=out)
    rng = None if range is None else tuple(float(v) for v in range)
    return _call(_histogram_ct, input, int(bins), rng, weight, density, out=out)


def _histdd_check(input, bins, range, weight, density):
    if input.dim() < 2:
        raise RuntimeError("torch.histogramdd: input tensor should have at least 2 dimensions")
    n = input.shape[-1]
    if isinstance(bins, (list, tuple)) and bins and isinstance(bins[0], Tensor):
        if len(bins) != n:
            raise RuntimeError(
                f"torch.histogramdd: expected {n} sequences of bin edges for a {n}-dimensional histogram but got "
                f"{len(bins)}"
            )
        for d, b in enumerate(bins):
            if b.dtype is not input.dtype:
                raise RuntimeError(
                    "torch.histogramdd: input tensor and bins tensors should have the same dtype, but got input with "
                    f"dtype {_tm(input.dtype)} and bins for dimension {d} with dtype {_tm(b.dtype)}"
                )
            if b.dim() != 1:
                raise RuntimeError(
                    f"torch.histogramdd: bins tensor should have one dimension, but got {b.dim()} dimensions in the "
                    f"bins tensor for dimension {d}"
                )
            if b.numel() == 0:
                raise RuntimeError(
                    "torch.histogramdd: bins tensor should have at least 1 element, but got 0 elements in the bins "
                    f"tensor for dimension {d}"
                )
    else:
        if len(bins) != n:
            raise RuntimeError(
                "torch.histogramdd: The size of bins must be equal to the innermost dimension of the input."
            )
        for d, b in enumerate(bins):
            if b <= 0:
                raise RuntimeError(
                    f"torch.histogram(): bins must be > 0, but got {b} for dimension {d}"
                )
        if input.dtype._cat == D._FLOAT:
            h = None if range is not None else _host_or_none(input)
            if range is not None or h is not None:
                _check_outer_edges(None if h is None else h.reshape(-1, n), range, n)
    _hist_weight_check(input, weight)


@_kernel(
    "histogramdd.bin_ct(Tensor input, int[] bins, float[]? range=None, Tensor? weight=None, "
    "bool density=False) -> Tensor[]",
    short="histogramdd",
    differentiable=False,
)
def _histdd_ct(input, bins, range=None, weight=None, density=False):  # noqa: A002
    _hist_float_check(input)
    n = input.shape[-1]
    x2 = input.reshape(-1, n)
    edges = [
        torch_linspace(lo, hi, b + 1, input.dtype)
        for (lo, hi), b in zip(_outer_edges(x2, range, n), bins)
    ]
    return (_histdd(x2, edges, weight, density, "local"),) + tuple(edges)


@_kernel(
    "histogramdd.tensors(Tensor input, Tensor[] bins, Tensor? weight=None, bool density=False) -> Tensor[]",
    short="histogramdd",
    differentiable=False,
)
def _histdd_t(input, bins, weight=None, density=False):
    _hist_float_check(input)
    n = input.shape[-1]
    x2 = input.reshape(-1, n)
    return (_histdd(x2, list(bins), weight, density, "binary"),) + tuple(bins)


def histogramdd(input, bins, *, range=None, weight=None, density=False):  # noqa: A002
    """torch.histogramdd(input, bins, *, range=None, weight=None, density=False) -> (hist, bin_edges)."""
    if isinstance(bins, int):
        bins = [bins] * (input.shape[-1] if input.dim() else 0)
    if isinstance(bins, Tensor):
        bins = [bins]
    bins = list(bins)
    _histdd_check(input, bins, range, weight, density)
    if bins and isinstance(bins[0], Tensor):
        res = _call(_histdd_t, input, bins, weight, density)
    else:
        rng = None if range is None else tuple(float(v) for v in range)
        res = _call(_histdd_ct, input, tuple(int(b) for b in bins), rng, weight, density)
    return R.return_type("histogramdd", ("hist", "bin_edges"))((res[0], tuple(res[1:])))


# ------------------------------------------------------------------ installation

_install("histogram", histogram)
_install("histogramdd", histogramdd, method=False)


def _histc_out(inp, out, args, kwargs):
    o = _outs(out)[0]
    if o.dtype is not inp.dtype:
        raise RuntimeError(
            "torch.histogram: input tensor and hist tensor should have the same dtype, but got input "
            f"{_tm(inp.dtype)} and hist {_tm(o.dtype)}"
        )


wrap_out_check("histc", _histc_out)

for _rt, _fields in (("histogram", ("hist", "bin_edges")), ("histogramdd", ("hist", "bin_edges"))):
    R.return_type(_rt, _fields)
