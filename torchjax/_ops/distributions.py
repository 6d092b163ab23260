"""Random distributions (ATen's Distributions.cpp, not torch.distributions): normal, bernoulli,
multinomial, poisson and the in-place ``Tensor.bernoulli_/exponential_/geometric_/log_normal_/
cauchy_``.

As in ``random``: eagerly, values come from the generator's mt19937 stream with torch's CPU
algorithms, so the same seed gives torch's numbers; inside traced code the ops draw from
``Generator._jax_key()`` instead (not torch's numbers; see docs/random.md).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._creation import from_host
from .._generator import Generator, fma64, libm
from .._tensor import Tensor, wrap
from ..autograd import grad_mode
from . import _registry as R
from ._registry import (
    broadcast_error,
    copy_into_out,
    op,
    register_function,
    register_method,
)
from .creation import _finish, _like_strides, _sizes, strided_new
from .random import (
    _check_normal_std,
    _fill,
    _fmt,
    _gen,
    _is_tracer,
    _iter_order,
    _name,
    _new,
    _normal_jax,
    _not_implemented,
    _num,
    _place,
    _prepare_inplace,
    _reject_kw,
    _require_float,
    _traced,
    normal_,
)

# ------------------------------------------------------------------ bernoulli


def _bernoulli_tensor_host(g, p: np.ndarray):
    """u < p per element; float32-or-narrower p uses 24-bit float uniforms, float64 53-bit."""
    if p.dtype == np.float64:
        return g._f53(p.size) < p
    pf = p.astype(np.float32)
    return g._f24(p.size) < pf


def bernoulli_(self, p=0.5, *, generator=None):
    """Tensor.bernoulli_(p): float p -> u53 < p (torch's default CPU path); tensor p -> per-element."""
    _prepare_inplace(self, "bernoulli_")
    g = _gen(generator)
    if isinstance(p, Tensor):
        if not (p.dtype.is_floating_point):
            raise _not_implemented("bernoulli_tensor_cpu_p_", p.dtype)
        pb = (
            p.detach().expand(tuple(self._shape))
            if tuple(p._shape) != tuple(self._shape)
            else p.detach()
        )
        if _traced(g, self) or _is_tracer(pb._storage._array):
            key = g._jax_key()
            pv = pb._v()
            v = (
                jax.random.uniform(
                    key, pv.shape, jnp.float64 if pv.dtype == jnp.float64 else jnp.float32
                )
                < pv
            )
            self._write(v.astype(self._dtype._np))
            return self
        pv = np.asarray(pb.numpy())
        if self.dim() > 1 and not self.is_contiguous():
            order = _iter_order(self)
            pv = pv.transpose(order)
        pv = np.ascontiguousarray(pv).reshape(-1)
        if pv.size and (np.nanmin(pv) < 0 or np.nanmax(pv) > 1 or np.isnan(pv).any()):
            raise RuntimeError(
                "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)"
            )
        if pv.size == 0:
            return self
        return _place(self, _bernoulli_tensor_host(g, pv))
    p = float(_num(p))
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_fmt(p)}")
    return _fill(
        self,
        g,
        lambda n: g._f53(n) < p,
        lambda key, shape, npdt: jax.random.uniform(key, shape, jnp.float64) < p,
    )


def bernoulli(input, *args, generator=None, out=None, **kw):
    """torch.bernoulli(input) (input holds the probabilities) / bernoulli(input, p)."""
    p = kw.pop("p", args[0] if args else None)
    _reject_kw("bernoulli", kw)
    if not isinstance(input, Tensor):
        raise TypeError(
            f"bernoulli(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if p is None and not input.dtype.is_floating_point:
        raise _not_implemented("bernoulli_tensor_cpu_p_", input.dtype)
    base = from_host(np.zeros(tuple(input._shape), input.dtype._np), input.dtype, input.device)
    t = strided_new(base._v(), tuple(input._shape), _like_strides(input, None))
    with grad_mode.no_grad():
        bernoulli_(t, input if p is None else p, generator=generator)
    if out is not None:
        copy_into_out(t._v(), out)
        return out
    if p is None and input.requires_grad and grad_mode.state.enabled:
        return R.call(R.OPS["_bernoulli_node"], (input, t))
    return t


@op(
    "_bernoulli_node(Tensor input, Tensor sample) -> Tensor",
    function=False,
    out=False,
    promote="none",
    grad="BernoulliBackward0",
    saves=(),
    no_edge=("sample",),
)
def _bernoulli_node(input, sample):
    """torch.bernoulli(p) records BernoulliBackward0, whose gradient for ``p`` is zero."""
    return sample + jnp.zeros_like(input)


# ------------------------------------------------------------------ other distributions (double)


def exponential_(self, lambd=1.0, *, generator=None):
    """Tensor.exponential_: -1/lambda * log1p(-u53) (torch's default CPU path)."""
    _prepare_inplace(self, "exponential_")
    _require_float("exponential_cpu", self._dtype)
    lambd = float(_num(lambd))
    if not (lambd > 0.0):
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_fmt(lambd)}")
    g = _gen(generator)
    return _fill(
        self,
        g,
        lambda n: g._exponential(n, lambd),
        lambda key, shape, npdt: jax.random.exponential(key, shape, jnp.float64) / lambd,
    )


def geometric_(self, p, *, generator=None):
    """Tensor.geometric_: ceil(log(u53) / log(1 - p))."""
    _prepare_inplace(self, "geometric_")
    p = float(_num(p))
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_fmt(p)}")
    if self._dtype.is_complex or _name(self._dtype) == "bool":
        raise _not_implemented("geometric_cpu", self._dtype)
    g = _gen(generator)
    lq = math.log(1.0 - p)

    def host(n):
        with np.errstate(divide="ignore"):
            return np.ceil(libm("log", g._f53(n)) / lq)

    return _fill(
        self,
        g,
        host,
        lambda key, shape, npdt: jnp.ceil(
            jnp.log(jax.random.uniform(key, shape, jnp.float64)) / lq
        ),
    )


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Tensor.log_normal_: exp(normal_distribution<double>(mean, std)) (shares the normal cache)."""
    _prepare_inplace(self, "log_normal_")
    _require_float("log_normal_cpu", self._dtype)
    mean, std = float(_num(mean)), float(_num(std))
    if not std > 0.0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_fmt(std)}")
    g = _gen(generator)
    return _fill(
        self,
        g,
        lambda n: libm("exp", g._normal_scalar(n, mean, std)),
        lambda key, shape, npdt: jnp.exp(jax.random.normal(key, shape, jnp.float64) * std + mean),
    )


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Tensor.cauchy_: median + sigma * tan(pi * (u53 - 0.5)) (fused multiply-add)."""
    _prepare_inplace(self, "cauchy_")
    _require_float("cauchy_cpu", self._dtype)
    median, sigma = float(_num(median)), float(_num(sigma))
    if not sigma > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_fmt(sigma)}")
    g = _gen(generator)
    return _fill(
        self,
        g,
        lambda n: fma64(sigma, libm("tan", math.pi * (g._f53(n) - 0.5)), median),
        lambda key, shape, npdt: median + sigma * jax.random.cauchy(key, shape, jnp.float64),
    )


# ------------------------------------------------------------------ normal (functional overloads)


def normal(
    mean,
    std=None,
    size=None,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    pin_memory=False,
    requires_grad=False,
):
    """torch.normal: (Tensor, Tensor), (Tensor, float), (float, Tensor), (float, float, size)."""
    mt, st = isinstance(mean, Tensor), isinstance(std, Tensor)
    g = _gen(generator)
    if not mt and not st:
        if std is None:
            std = 1.0
        if size is None:
            raise TypeError(
                "normal() received an invalid combination of arguments - size is required for float mean and std"
            )
        shape = _sizes((size,), None, "normal")
        dt = dtype or (out.dtype if out is not None else D.get_default_dtype())
        _require_float("normal_kernel_cpu", dt)
        mean_f, std_f = float(mean), float(std)
        _check_normal_std(std_f)
        t = _new(
            shape,
            dt,
            device or (out.device if out is not None else None),
            g,
            lambda n: g._normal(n, dt._np, mean_f, std_f, True),
            _normal_jax(mean_f, std_f),
        )
        return _finish(t, requires_grad, out)
    if std is None:
        std = 1.0
    if mt and not st:
        std_f = float(_num(std))
        if std_f < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std_f)}")
        dt = mean.dtype
        _require_float("normal_kernel_cpu", dt)
        res = _new_plain(tuple(mean._shape), dt, mean.device)
        with grad_mode.no_grad():
            normal_(res, 0.0, std_f, generator=generator)
        r = res + mean  # add_(mean): torch's promotion, autograd through mean
    elif st and not mt:
        mean_f = float(_num(mean))
        dt = std.dtype
        _require_float("normal_kernel_cpu", dt)
        _check_std_tensor(std)
        res = _new_plain(tuple(std._shape), dt, std.device)
        with grad_mode.no_grad():
            normal_(res, 0.0, 1.0, generator=generator)
        r = res * std + mean_f
    else:
        _check_std_tensor(std)
        shape = _broadcast_shape(tuple(mean._shape), tuple(std._shape))
        dt = mean.dtype
        _require_float("normal_kernel_cpu", dt)
        res = _new_plain(shape, dt, mean.device)
        with grad_mode.no_grad():
            normal_(res, 0.0, 1.0, generator=generator)
        r = res * std + mean
    if r.dtype is not dt:
        r = r.to(dt)
    if out is not None:
        copy_into_out(r._v(), out)
        return out
    return r


def _std_ok(std: Tensor) -> bool:
    if _is_tracer(std._storage._array):
        return True
    v = np.asarray(std.detach().numpy())
    return not (v.size and (v < 0).any())


def _check_std_tensor(std):
    if not _std_ok(std):
        raise RuntimeError("normal expects all elements of std >= 0.0")


def _broadcast_shape(a, b):
    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        raise broadcast_error(list(a), list(b)) from None


def _new_plain(shape, dt, device):
    return from_host(np.zeros(shape, dt._np), dt, device)


# ------------------------------------------------------------------ multinomial


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """torch.multinomial: with replacement, binary search of u53 in the float CDF per row;
    without replacement (or one sample), argmax/topk of p / Exp(1) (torch's CPU algorithms)."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"multinomial(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    n_sample = int(num_samples)
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: {input.dtype._scalar_name}"
        )
    if out is not None and out.dtype is not D.int64:
        raise RuntimeError(f"multinomial expects Long tensor out, got: {out.dtype._scalar_name}")
    if n_sample <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    ncat = input.shape[-1]
    if not replacement and n_sample > ncat:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    if ncat > 2**24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    g = _gen(generator)
    p = input.detach()
    rows = 1 if input.dim() == 1 else input.shape[0]
    if _traced(g, input):
        key = g._jax_key()
        pv = p._v().reshape(rows, ncat)
        logits = jnp.log(pv)
        if replacement:
            idx = jax.random.categorical(key, logits, axis=-1, shape=(n_sample, rows)).T
        else:
            gmb = jax.random.gumbel(key, (rows, ncat))
            idx = jax.lax.top_k(logits + gmb, n_sample)[1]
        res = wrap(idx.astype(jnp.int64).reshape(tuple(input.shape[:-1]) + (n_sample,)), D.int64)
    else:
        pv = np.asarray(p.numpy()).reshape(rows, ncat)
        if not replacement or n_sample == 1:
            pf = pv.astype(np.float64) if pv.dtype != np.float64 else pv
            if pv.size and (not np.all(np.isfinite(pf)) or (pf < 0).any()):
                raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
            if (pf.sum(axis=1) == 0).any():
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
            q = g._exponential(rows * ncat, 1.0).astype(pv.dtype).reshape(rows, ncat)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = (pv / q).astype(pv.dtype)
            if n_sample == 1:
                idx = np.argmax(ratio, axis=1)[:, None]
            else:
                idx = np.argsort(-ratio.astype(np.float64), axis=1, kind="stable")[:, :n_sample]
        else:
            acc = np.float64 if pv.dtype == np.float64 else np.float32
            idx = np.empty((rows, n_sample), np.int64)
            for i in range(rows):
                row = pv[i].astype(acc)
                if (row < 0).any():
                    raise RuntimeError(
                        "invalid multinomial distribution (encountering probability entry < 0)"
                    )
                if not np.all(np.isfinite(row)):
                    raise RuntimeError(
                        "invalid multinomial distribution (encountering probability entry = infinity or NaN)"
                    )
                cum = np.cumsum(row, dtype=acc)
                total = cum[-1]
                if not total > 0:
                    raise RuntimeError(
                        "invalid multinomial distribution (sum of probabilities <= 0)"
                    )
                cum = (cum / total).astype(acc)
                cum[-1] = 1
                u = g._f53(n_sample)
                idx[i] = np.searchsorted(cum.astype(np.float64), u, side="left")
        shape = tuple(input.shape[:-1]) + (n_sample,)
        res = from_host(idx.reshape(shape).astype(np.int64), D.int64, input.device)
    if out is not None:
        copy_into_out(res._v(), out)
        return out
    return res


# ------------------------------------------------------------------ poisson


class _UniformReader:
    """Serial uniform_real_distribution<double> draws for data-dependent samplers: reads ahead in
    blocks, then advances the generator by exactly what was used."""

    def __init__(self, g: Generator):
        self.g = g
        self.state = g._bg.state
        self.fresh = g._fresh
        self.buf = []
        self.pos = 0
        self.used = 0

    def __call__(self) -> float:
        if self.pos == len(self.buf):
            self.buf = self.g._f53(4096).tolist()
            self.pos = 0
        self.pos += 1
        self.used += 1
        return self.buf[self.pos - 1]

    def finish(self):
        self.g._bg.state = self.state
        self.g._fresh = self.fresh
        if self.used:
            self.g.random_u32(2 * self.used)


def _sample_poisson(lam: float, uniform) -> float:
    if lam >= 10:
        slam = math.sqrt(lam)
        loglam = math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            U = uniform() - 0.5
            V = uniform()
            us = 0.5 - abs(U)
            k = math.floor((2 * a / us + b) * U + lam + 0.43)
            if us >= 0.07 and V <= vr:
                return float(k)
            if k < 0 or (us < 0.013 and V > us):
                continue
            if (math.log(V) + math.log(invalpha) - math.log(a / (us * us) + b)) <= (
                -lam + k * loglam - math.lgamma(k + 1.0)
            ):
                return float(k)
    if lam == 0:
        return 0.0
    enlam = math.exp(-lam)
    X = 0
    prod = 1.0
    while True:
        prod *= uniform()
        if prod > enlam:
            X += 1
        else:
            return float(X)


def poisson(input, generator=None):
    """torch.poisson: torch's CPU sampler (transformed rejection for rate >= 10, products below).

    Data-dependent rejection loops: evaluated element by element on the host (not vectorised).
    """
    if not isinstance(input, Tensor):
        raise TypeError(
            f"poisson(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    _require_float("poisson_cpu", input.dtype)
    g = _gen(generator)
    if _traced(g, input):
        lam = input._v()
        v = jax.random.poisson(g._jax_key(), lam, lam.shape).astype(lam.dtype)
        return wrap(v, input.dtype)
    lam = np.asarray(input.detach().numpy()).astype(np.float64).reshape(-1)
    if lam.size and (lam < 0).any():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    with g._lock:
        rd = _UniformReader(g)
        try:
            out = np.array([_sample_poisson(float(x), rd) for x in lam], np.float64)
        finally:
            rd.finish()
    return from_host(
        out.reshape(tuple(input._shape)).astype(input.dtype._np), input.dtype, input.device
    )


# ------------------------------------------------------------------ registration


def _bernoulli_method(self, *args, generator=None, **kw):
    """Tensor.bernoulli(p=None, *, generator=None)."""
    return bernoulli(self, *args, generator=generator, **kw)


def _multinomial_method(self, num_samples, replacement=False, *, generator=None):
    return multinomial(self, num_samples, replacement, generator=generator)


for _f in (normal, bernoulli, multinomial, poisson):
    register_function(_f.__name__, _f)
register_method("bernoulli_", bernoulli_)
register_method("bernoulli", _bernoulli_method)
register_method("exponential_", exponential_)
register_method("geometric_", geometric_)
register_method("log_normal_", log_normal_)
register_method("cauchy_", cauchy_)
register_method("multinomial", _multinomial_method)
