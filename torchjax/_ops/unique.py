"""Ops with data-dependent output shapes: unique, unique_consecutive, bincount.

They run on the host with numpy in eager mode and raise a RuntimeError on traced values.
"""

from __future__ import annotations

import jax
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ._registry import register_function, register_method
from ._util import wrap_dim

# ------------------------------------------------------------------ host ops (data-dependent shapes)


def _host(t, what):
    v = t._v()
    if isinstance(v, jax.core.Tracer):
        raise RuntimeError(
            f"torch.{what}() has a data-dependent output shape and cannot run on traced values (inside "
            "torch.compile / jit); call it eagerly, outside the compiled function"
        )
    a = np.asarray(v)
    return a


def _to_host_sortable(a):
    # numpy cannot sort bfloat16 / float8 reliably: widen exactly to float32
    if a.dtype.kind == "V" or a.dtype.name in ("bfloat16",) or "float8" in a.dtype.name:
        return a.astype(np.float32)
    return a


def _new(a, dtype, like):
    from .._creation import from_host

    return from_host(np.asarray(a), dtype, device=like.device)


def _unique_flat(a):
    """np.unique with torch's NaN semantics (every NaN distinct), sorted."""
    flat = a.reshape(-1)
    order = np.argsort(flat, kind="stable")
    s = flat[order]
    if s.size:
        neq = s[1:] != s[:-1]
        first = np.concatenate([[True], neq])
    else:
        first = np.zeros(0, bool)
    group = np.cumsum(first) - 1
    inverse = np.empty(flat.shape, np.int64)
    inverse[order] = group
    uniq = s[first]
    counts = np.diff(np.concatenate([np.nonzero(first)[0], [s.size]])).astype(np.int64)
    return uniq, inverse, counts


def _unique_rows(a2):
    """Unique rows of a 2-D array, sorted lexicographically (torch's unique_dim)."""
    m = a2.shape[0]
    if m == 0:
        return a2, np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = [a2[:, j] for j in range(a2.shape[1] - 1, -1, -1)]
    order = np.lexsort(keys) if keys else np.arange(m)
    s = a2[order]
    if a2.shape[1]:
        neq = np.any(s[1:] != s[:-1], axis=1)
    else:
        neq = np.zeros(m - 1, bool)
    first = np.concatenate([[True], neq])
    group = np.cumsum(first) - 1
    inverse = np.empty(m, np.int64)
    inverse[order] = group
    counts = np.diff(np.concatenate([np.nonzero(first)[0], [m]])).astype(np.int64)
    return s[first], inverse, counts


def _unique_dim_empty(input, a, d, return_inverse, return_counts):
    """torch's unique_dim on a tensor with a zero-size dimension (None when there is none)."""
    if a.size != 0:
        return None
    if a.shape[d] != 0:
        raise RuntimeError(
            "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied"
        )
    empty = _new(np.zeros(0, np.int64), D.int64, input)
    return _pack_unique((_new(a, input.dtype, input), empty, empty), return_inverse, return_counts)


def _pack_unique(res, return_inverse, return_counts):
    out, inv, cnt = res
    if return_inverse and return_counts:
        return out, inv, cnt
    if return_inverse:
        return out, inv
    if return_counts:
        return out, cnt
    return out


def _no_complex_unique(input):
    if input.dtype.is_complex:
        raise NotImplementedError(f"\"unique\" not implemented for '{input.dtype._scalar_name}'")


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
    """torch.unique (always sorted on CPU, as in torch; NaNs are distinct)."""
    _no_complex_unique(input)
    a = _host(input, "unique")
    h = _to_host_sortable(a)
    dt = input.dtype
    if dim is None:
        u, inv, cnt = _unique_flat(h)
        res = (
            _new(u.astype(a.dtype), dt, input),
            _new(inv.reshape(a.shape), D.int64, input),
            _new(cnt, D.int64, input),
        )
        return _pack_unique(res, return_inverse, return_counts)
    d = wrap_dim(dim, input.dim())
    if a.ndim == 0:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [-1, 0], but got {dim})"
        )
    r = _unique_dim_empty(input, a, d, return_inverse, return_counts)
    if r is not None:
        return r
    moved = np.moveaxis(h, d, 0)
    u, inv, cnt = _unique_rows(moved.reshape(moved.shape[0], -1))
    u = np.moveaxis(u.reshape((u.shape[0],) + moved.shape[1:]), 0, d).astype(a.dtype)
    res = (_new(u, dt, input), _new(inv, D.int64, input), _new(cnt, D.int64, input))
    return _pack_unique(res, return_inverse, return_counts)


def _unique_method(self, sorted=True, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
    return unique(self, sorted, return_inverse, return_counts, dim)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """torch.unique_consecutive: collapse runs of equal consecutive elements (or slices along ``dim``)."""
    _no_complex_unique(input)
    a = _host(input, "unique_consecutive")
    h = _to_host_sortable(a)
    dt = input.dtype
    if dim is None:
        flat = h.reshape(-1)
        first = np.concatenate([[True], flat[1:] != flat[:-1]]) if flat.size else np.zeros(0, bool)
        inv = (np.cumsum(first) - 1).astype(np.int64).reshape(a.shape)
        u = flat[first].astype(a.dtype)
        cnt = np.diff(np.concatenate([np.nonzero(first)[0], [flat.size]])).astype(np.int64)
    else:
        d = wrap_dim(dim, input.dim())
        r = _unique_dim_empty(input, a, d, return_inverse, return_counts)
        if r is not None:
            return r
        moved = np.moveaxis(h, d, 0)
        rows = moved.reshape(moved.shape[0], -1)
        m = rows.shape[0]
        if m:
            first = np.concatenate([[True], np.any(rows[1:] != rows[:-1], axis=1)])
        else:
            first = np.zeros(0, bool)
        inv = (np.cumsum(first) - 1).astype(np.int64)
        u = np.moveaxis(moved[first], 0, d).astype(a.dtype)
        cnt = np.diff(np.concatenate([np.nonzero(first)[0], [m]])).astype(np.int64)
    res = (_new(u, dt, input), _new(inv, D.int64, input), _new(cnt, D.int64, input))
    return _pack_unique(res, return_inverse, return_counts)


def _unique_consecutive_method(self, return_inverse=False, return_counts=False, dim=None):
    return unique_consecutive(self, return_inverse, return_counts, dim)


def bincount(input, weights=None, minlength=0):
    """torch.bincount: counts (int64) or summed weights (float32 for float32 weights, else float64)."""
    if isinstance(input, Tensor) and input.dtype._cat != D._INT:
        raise NotImplementedError(
            f"\"bincount_cpu\" not implemented for '{input.dtype._scalar_name}'"
        )
    if weights is not None and (
        weights.dim() != 1 or weights.shape[0] != (input.shape[0] if input.dim() else -1)
    ):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    a = _host(input, "bincount")
    out_dt = (
        D.int64
        if weights is None
        else (weights.dtype if weights.dtype in (D.float32, D.float64) else D.float64)
    )
    if a.ndim == 1 and a.size == 0:
        return _new(np.zeros(minlength, out_dt._np), out_dt, input)
    if a.ndim != 1 or a.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    ai = a.astype(np.int64)
    if weights is None:
        r = np.bincount(ai, minlength=minlength).astype(np.int64)
    else:
        w = _host(weights, "bincount").astype(np.float64)
        r = np.bincount(ai, weights=w, minlength=minlength).astype(out_dt._np)
    return _new(r, out_dt, input)


def _bincount_method(self, weights=None, minlength=0):
    return bincount(self, weights, minlength)


# ------------------------------------------------------------------ installation

register_function("unique", unique)
register_method("unique", _unique_method)
register_function("unique_consecutive", unique_consecutive)
register_method("unique_consecutive", _unique_consecutive_method)
register_function("bincount", bincount)
register_method("bincount", _bincount_method)
