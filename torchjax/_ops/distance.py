"""Distances and covariance: cdist (torch's Distance.cpp, with its p-norm gradient conventions)
and cov / corrcoef (torch's Correlation.cpp: correction, fweights / aweights, torch's checks).
"""

from __future__ import annotations

import builtins
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op
from .blas import _is_t, matmul_raw, sname

# ------------------------------------------------------------------ cdist


def _pdist_p(diff, p):
    """||diff||_p over the last axis with torch's gradient conventions (zero at zero distance)."""
    a = jnp.abs(diff)
    if p == 0:
        return jnp.sum((a != 0).astype(diff.dtype), axis=-1)
    if p == math.inf:
        return jnp.max(a, axis=-1) if a.shape[-1] else jnp.zeros(a.shape[:-1], a.dtype)
    if p == 1:
        return jnp.sum(a, axis=-1)
    if p == 2:
        s = jnp.sum(a * a, axis=-1)
        safe = jnp.where(s == 0, jnp.ones_like(s), s)
        return jnp.where(s == 0, jnp.zeros_like(s), jnp.sqrt(safe))
    s = jnp.sum(a**p, axis=-1)
    safe = jnp.where(s == 0, jnp.ones_like(s), s)
    return jnp.where(s == 0, jnp.zeros_like(s), safe ** (1.0 / p))


def _check_cdist(x1, x2, p=2.0, compute_mode=None):
    if not _is_t(x1, x2):
        return
    if x1.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.dim()}D")
    if x2.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {x2.dim()}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
    if not x1.dtype.is_floating_point:
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {sname(x1.dtype)}")
    if not x2.dtype.is_floating_point:
        raise RuntimeError(f"cdist only supports floating-point dtypes, X2 got: {sname(x2.dtype)}")
    if not p >= 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if compute_mode not in (
        None,
        "use_mm_for_euclid_dist_if_necessary",
        "use_mm_for_euclid_dist",
        "donot_use_mm_for_euclid_dist",
    ):
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    err = R.broadcast_error(list(x1.shape[:-2]), list(x2.shape[:-2]))
    if err is not None:
        raise err


@op(
    "cdist(Tensor x1, Tensor x2, float p=2., str? compute_mode=None) -> Tensor",
    promote="none",
    check=_check_cdist,
    out=False,
)
def cdist(x1, x2, p, compute_mode):
    p = float(p)
    batch = jnp.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    a = jnp.broadcast_to(x1, batch + x1.shape[-2:])
    b = jnp.broadcast_to(x2, batch + x2.shape[-2:])
    r1, r2 = a.shape[-2], b.shape[-2]
    use_mm = p == 2 and (
        compute_mode == "use_mm_for_euclid_dist"
        or (compute_mode in (None, "use_mm_for_euclid_dist_if_necessary") and (r1 > 25 or r2 > 25))
    )
    if use_mm and a.shape[-1] > 0:
        # torch's _euclidean_dist: |x|^2 - 2 x.y + |y|^2 via one matmul, clamped at 0
        an = jnp.sum(a * a, axis=-1, keepdims=True)
        bn = jnp.sum(b * b, axis=-1, keepdims=True)
        a_ = jnp.concatenate([-2 * a, an, jnp.ones_like(an)], axis=-1)
        b_ = jnp.concatenate([b, jnp.ones_like(bn), bn], axis=-1)
        d2 = jnp.maximum(matmul_raw(a_, jnp.swapaxes(b_, -1, -2)), 0)
        safe = jnp.where(d2 == 0, jnp.ones_like(d2), d2)
        return jnp.where(d2 == 0, jnp.zeros_like(d2), jnp.sqrt(safe))
    diff = a[..., :, None, :] - b[..., None, :, :]
    return _pdist_p(diff, p)


# ------------------------------------------------------------------ cov / corrcoef


def _check_cov(input, correction=1, fweights=None, aweights=None):
    if not isinstance(input, Tensor):
        return
    if input.dim() > 2:
        raise RuntimeError(
            f"cov(): expected input to have two or fewer dimensions but got an input with {input.dim()} dimensions"
        )
    n_obs = input.shape[-1] if input.dim() > 0 else 1
    if fweights is not None:
        if fweights.dim() > 1:
            raise RuntimeError(
                "cov(): expected fweights to have one or fewer dimensions but got fweights with "
                f"{fweights.dim()} dimensions"
            )
        if (
            fweights.dtype.is_floating_point
            or fweights.dtype.is_complex
            or fweights.dtype is D.bool
        ):
            raise RuntimeError(
                f"cov(): expected fweights to have integral dtype but got fweights with {sname(fweights.dtype)} dtype"
            )
        if fweights.numel() != n_obs:
            raise RuntimeError(
                f"cov(): expected fweights to have the same numel as there are observations in the input but got "
                f"{fweights.numel()} != {n_obs}"
            )
        fv = fweights._v()
        if not isinstance(fv, jax.core.Tracer) and builtins.bool(jnp.any(fv < 0)):
            raise RuntimeError("cov(): fweights cannot be negative")
    if aweights is not None:
        if aweights.dim() > 1:
            raise RuntimeError(
                "cov(): expected aweights to have one or fewer dimensions but got aweights with "
                f"{aweights.dim()} dimensions"
            )
        if not aweights.dtype.is_floating_point:
            raise RuntimeError(
                "cov(): expected aweights to have floating point dtype but got aweights with "
                f"{sname(aweights.dtype)} dtype"
            )
        if aweights.numel() != n_obs:
            raise RuntimeError(
                f"cov(): expected aweights to have the same numel as there are observations in the input but got "
                f"{aweights.numel()} != {n_obs}"
            )
        av = aweights._v()
        if not isinstance(av, jax.core.Tracer) and builtins.bool(jnp.any(av < 0)):
            raise RuntimeError("cov(): aweights cannot be negative")
    if fweights is None and aweights is None and n_obs - correction <= 0:
        warnings.warn(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of observations.",
            UserWarning,
            stacklevel=3,
        )
    ws = [w._v() for w in (fweights, aweights) if w is not None]
    if ws and not any(isinstance(v, jax.core.Tracer) for v in ws):
        prod = ws[0] if len(ws) == 1 else ws[0] * ws[1]
        if builtins.bool(jnp.sum(prod) == 0):
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")


def _rt(*operands):
    """torch.result_type over jax arrays given as (array, ndim) pairs (0-dim ones promote by category)."""
    return D.result_dtype([(D._FROM_NP[np.dtype(x.dtype)], nd) for x, nd in operands])._np


def _binop(op_, a, b):
    """a (op) b with torch's promotion (both operands as tensors of their own rank)."""
    dt = _rt((a, a.ndim), (b, b.ndim))
    if op_ == "/" and not jnp.issubdtype(dt, jnp.inexact):
        dt = D.get_default_dtype()._np
    a, b = a.astype(dt), b.astype(dt)
    return {"*": a * b, "-": a - b, "/": a / b}[op_]


def _cov_impl(x, correction, fw, aw):
    """torch's cov, step by step with its intermediate dtypes (weights keep their own precision)."""
    if x.ndim < 2:
        x = x.reshape(1, -1)
    n = x.shape[1]
    w = fw
    if aw is not None:
        w = aw if w is None else _binop("*", w, aw)
    if w is None:
        w_sum = jnp.asarray(n, np.int64)
    else:
        w_sum = jnp.sum(w.astype(np.int64) if jnp.issubdtype(w.dtype, jnp.integer) else w)
    xw = x if w is None else _binop("*", x, w)
    if jnp.issubdtype(xw.dtype, jnp.integer) or xw.dtype == np.bool_:
        xw = xw.astype(np.int64)
    avg = _binop("/", jnp.sum(xw, axis=1), w_sum)
    if w is not None and aw is not None and correction != 0:
        norm = _binop(
            "-",
            w_sum,
            _binop(
                "/",
                _binop("*", jnp.asarray(correction, np.int64), jnp.sum(_binop("*", w, aw))),
                w_sum,
            ),
        )
    else:
        norm = _binop("-", w_sum, jnp.asarray(correction, np.int64))
    norm = jnp.where(norm <= 0, jnp.zeros_like(norm), norm)
    xc = _binop("-", x, avg[:, None])
    xcw = xc if w is None else _binop("*", xc, w)
    dt = jnp.promote_types(xc.dtype, xcw.dtype)
    c = matmul_raw(xc.astype(dt), jnp.conj(xcw.astype(dt)).T)
    return jnp.squeeze(_binop("/", c, norm))


@op(
    "cov(Tensor input, *, int correction=1, Tensor? fweights=None, Tensor? aweights=None) -> Tensor",
    method=True,
    promote="none",
    check=_check_cov,
    out=False,
    grad="SqueezeBackward0",
)
def cov(input, correction, fweights, aweights):
    return _cov_impl(input, correction, fweights, aweights)


def _check_corrcoef(input):
    if isinstance(input, Tensor) and input.dim() > 2:
        raise RuntimeError(
            f"corrcoef(): expected input to have two or fewer dimensions but got an input with {input.dim()} dimensions"
        )


@op(
    "corrcoef(Tensor input) -> Tensor",
    method=True,
    promote="none",
    check=_check_corrcoef,
    out=False,
    grad="ClampBackward1",
)
def corrcoef(input):
    c = _cov_impl(input, 1, None, None)
    if c.ndim == 0:
        return c / c
    d = jnp.diagonal(c)
    if jnp.issubdtype(c.dtype, jnp.complexfloating):
        sd = jnp.sqrt(jnp.real(d))
        c = c / sd[:, None]
        c = c / sd[None, :]
        return lax.complex(jnp.clip(jnp.real(c), -1, 1), jnp.clip(jnp.imag(c), -1, 1))
    sd = jnp.sqrt(d)
    c = c / sd[:, None]
    c = c / sd[None, :]
    return jnp.clip(c, -1, 1)
