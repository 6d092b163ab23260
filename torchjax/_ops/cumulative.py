"""Scans: cumsum, cumprod, cummax, cummin, logcumsumexp (and Tensor.cumsum_/cumprod_).

Scans accumulate in torch's CPU accumulation type (double for float32) on the CPU backend
(``reduction.cum_acc_dtype``), so cumsum/cumprod/logcumsumexp give torch's bits; cummax/cummin
ties and NaNs take the later index, as torch does. Gradients that JAX would compute differently
from torch (cumprod with zeros, logcumsumexp at -inf) use ``jax.custom_vjp`` with torch's
backward formulas. ``out=`` tensors of the wrong dtype are refused with torch's messages where
torch refuses them (cummax/cummin) and computed into where torch does (cumsum/cumprod).
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from . import _registry as R
from ._registry import op
from ._util import is_bool, is_complex, is_float, wrap_dim
from .reduction import (
    _TYPEMETA,
    _dtname,
    _outs,
    acc_dtype,
    cum_acc_dtype,
    wrap_out_check,
    wrap_out_dtype,
)

# ------------------------------------------------------------------ scans


@op(
    "cumsum(Tensor input, int dim, *, ScalarType? dtype=None) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    saves=(),
)
def cumsum(input, dim, dtype=None):
    d = wrap_dim(dim, input.ndim)
    x = input.astype(acc_dtype(input, dtype))
    if x.ndim == 0:
        return x
    return _cum(jnp.cumsum, x, d)


def _cum(f, x, d):
    """A cumulative ``f`` (jnp.cumsum / jnp.cumprod) along ``d`` in torch's accumulation dtype."""
    acc = cum_acc_dtype(x.dtype)
    if acc == x.dtype:
        return f(x, axis=d, dtype=x.dtype)
    return f(x.astype(acc), axis=d, dtype=acc).astype(x.dtype)


def _rev_cumsum(x, d):
    return jnp.flip(_cum(jnp.cumsum, jnp.flip(x, d), d), d)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _cumprod(x, d):
    return _cum(jnp.cumprod, x, d)


def _cumprod_fwd(x, d):
    r = _cumprod(x, d)
    return r, (x, r)


def _cumprod_bwd(d, res, g):
    # torch's cumprod_backward (FunctionsManual.cpp, the O(n) formula), in torch's complex convention
    x, out = res
    g = jnp.conj(g)
    if x.size <= 1 or x.shape[d] == 1:
        return (jnp.conj(g),)
    xc, oc = jnp.conj(x), jnp.conj(out)
    zero = jnp.zeros((), g.dtype)
    w = oc * g
    is_zero = x == 0
    cz = jnp.cumsum(is_zero.astype(np.int32), axis=d)
    mask0 = cz == 0
    part0 = jnp.where(mask0, _rev_cumsum(jnp.where(mask0, w, zero), d) / xc, zero)
    mask1 = cz == 1
    fzi = jnp.argmax(mask1, axis=d, keepdims=True)
    iota = lax.broadcasted_iota(fzi.dtype, x.shape, d)
    first = (iota == fzi) & mask1
    between = mask1 & ~first
    prev = jnp.take_along_axis(oc, jnp.maximum(fzi - 1, 0), axis=d)
    prev = jnp.where(fzi == 0, jnp.ones((), prev.dtype), prev)
    val = (
        jnp.sum(
            _cum(jnp.cumprod, jnp.where(between, xc, jnp.ones((), xc.dtype)), d)
            * jnp.where(cz != 1, zero, g),
            axis=d,
            keepdims=True,
        )
        * prev
    )
    out_g = part0 + jnp.where(first, val, zero)
    return (jnp.conj(out_g),)


_cumprod.defvjp(_cumprod_fwd, _cumprod_bwd)


@op(
    "cumprod(Tensor input, int dim, *, ScalarType? dtype=None) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
)
def cumprod(input, dim, dtype=None):
    d = wrap_dim(dim, input.ndim)
    x = input.astype(acc_dtype(input, dtype))
    if x.ndim == 0:
        return x
    if is_float(x) or is_complex(x):
        return _cumprod(x, d)
    return _cum(jnp.cumprod, x, d)


def _cum_choose(x, d, kind):
    """cummax/cummin (values, int64 indices): ties and NaNs take the later index, as torch does."""
    if x.ndim == 0:
        return x, jnp.zeros((), np.int64)
    if x.shape[d] == 0:
        return x, jnp.zeros(x.shape, np.int64)
    idx = lax.broadcasted_iota(np.int64, x.shape, d)
    cmp_x = x.astype(np.int8) if is_bool(x) else x

    def combine(a, b):
        va, ia = a
        vb, ib = b
        take_b = (vb >= va) if kind == "max" else (vb <= va)
        if is_float(cmp_x):
            take_b = take_b | jnp.isnan(vb)
        return jnp.where(take_b, vb, va), jnp.where(take_b, ib, ia)

    _, ind = lax.associative_scan(combine, (cmp_x, idx), axis=d)
    return jnp.take_along_axis(x, ind, axis=d), ind


def _cum_kernel(kind):
    @op(
        f"cum{kind}(Tensor input, int dim) -> (Tensor values, Tensor indices)",
        method=True,
        promote="none",
    )
    def f(input, dim):
        if is_complex(input):
            raise NotImplementedError(f"\"cum{kind}_cpu\" not implemented for '{_dtname(input)}'")
        if input.size == 0:  # torch returns before checking dim
            return input, jnp.zeros(input.shape, np.int64)
        d = wrap_dim(dim, input.ndim)
        return _cum_choose(input, d, kind)

    return f


cummax = _cum_kernel("max")
cummin = _cum_kernel("min")


def _complex_log_add_exp(x, y):
    """torch's complex _log_add_exp_helper (min/max by real part, NaNs infectious, infinities exact)."""
    xnan = jnp.isnan(x.real) | jnp.isnan(x.imag)
    ynan = jnp.isnan(y.real) | jnp.isnan(y.imag)
    lt = x.real < y.real
    mn = jnp.where(ynan, y, jnp.where(xnan, x, jnp.where(lt, x, y)))
    mx = jnp.where(ynan, y, jnp.where(xnan, x, jnp.where(lt, y, x)))
    general = jnp.log1p(jnp.exp(mn - mx)) + mx
    infinite = jnp.where(mn.real < 0, mn, jnp.log(jnp.exp(mn) + jnp.exp(mx)))
    nan = jnp.full((), complex(jnp.nan, jnp.nan), x.dtype)
    both_inf = ~jnp.isfinite(mn.real) & (mn.real == mx.real)
    return jnp.where(jnp.isnan(mn.real), nan, jnp.where(both_inf, infinite, general))


def _lcse_scan(x, d):
    acc = cum_acc_dtype(x.dtype)
    xa = x.astype(acc)
    if is_complex(x):
        r = lax.associative_scan(_complex_log_add_exp, xa, axis=d)
    else:
        r = lax.cumlogsumexp(xa, axis=d)
    return r.astype(x.dtype)


def _lcse_value(x, d):
    if x.ndim == 0 or x.shape[d] == 0:
        return x
    return _lcse_scan(x, d)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _lcse(x, d):
    return _lcse_value(x, d)


def _lcse_fwd(x, d):
    r = _lcse_value(x, d)
    return r, (x, r)


def _lcse_bwd(d, res, g):
    # torch's logcumsumexp_backward (FunctionsManual.cpp)
    x, r = res
    if x.ndim == 0 or x.shape[d] == 0:
        return (g,)

    def rev_lcse(t):
        return jnp.flip(_lcse_scan(jnp.flip(t, d), d), d)

    if is_complex(x):
        # torch: conj(exp(rev_lcse(log(conj(grad)) - result) + self)); JAX's cotangent is conj(grad)
        return (jnp.exp(rev_lcse(jnp.log(g) - r) + x),)
    lowest = jnp.asarray(jnp.finfo(g.dtype).min, g.dtype)
    log_abs = jnp.log(jnp.abs(g))
    pos = jnp.where(g > 0, log_abs, lowest)
    neg = jnp.where(g < 0, log_abs, lowest)
    out = jnp.exp(rev_lcse(pos - r) + x) - jnp.exp(rev_lcse(neg - r) + x)
    return (out,)


_lcse.defvjp(_lcse_fwd, _lcse_bwd)


@op("logcumsumexp(Tensor input, int dim) -> Tensor", method=True, promote="none")
def logcumsumexp(input, dim):
    if not (is_float(input) or is_complex(input)):
        raise NotImplementedError(
            f"\"logcumsumexp_out_cpu\" not implemented for '{_dtname(input)}'"
        )
    d = wrap_dim(dim, input.ndim)
    return _lcse(input, d)


# ------------------------------------------------------------------ installation of the front ends


def _cum_inplace(name):
    gen = R._METHODS[name + "_"]

    def method(self, dim, *, dtype=None):
        if dtype is not None and dtype is not self.dtype:
            raise RuntimeError(
                f"Bad in-place call: input tensor dtype {_TYPEMETA.get(self.dtype._name, self.dtype._name)} and "
                f"output tensor dtype {_TYPEMETA.get(dtype._name, dtype._name)} should match"
            )
        return gen(self, dim, dtype=dtype)

    method.__name__ = name + "_"
    R.override_method(name + "_", method)


def _cum_out(inp, out, args, kwargs):
    for o, d in zip(_outs(out), (inp.dtype, D.int64)):
        if o.dtype is not d:
            raise RuntimeError(
                f"expected scalar_type {d._scalar_name} but found {o.dtype._scalar_name}"
            )


wrap_out_dtype("cumsum")
wrap_out_dtype("cumprod")
wrap_out_check("cummax", _cum_out)
wrap_out_check("cummin", _cum_out)

_cum_inplace("cumsum")
_cum_inplace("cumprod")

# torch has Tensor.cumsum_/cumprod_ but no torch.cumsum_ ...
for _name in ("cumsum_", "cumprod_"):
    if hasattr(R.namespace(""), _name):
        delattr(R.namespace(""), _name)

for _rt, _fields in (("cummax", ("values", "indices")), ("cummin", ("values", "indices"))):
    R.return_type(_rt, _fields)
