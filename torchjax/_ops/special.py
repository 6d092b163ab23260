"""torch.special: Bessel, Airy, error, gamma and zeta functions, orthogonal polynomials, and the
aliases torch.special shares with torch (expit, gammaln, psi, multigammaln, softmax ...).

Functions jax.scipy.special provides (i0e, i1, i1e, ndtri, log_ndtr, erfcx, zeta, gammainc)
are used with torch's conventions at the edges (poles, negative arguments, infinities). The
rest are written here from their mathematical definitions:

- J0, J1, Y0, Y1: power series for |x| <= 14, Hankel's asymptotic expansion beyond;
- K0, K1 (and the scaled e^x K): series for x <= 2, else the trapezoidal rule on
  K_nu(x) = int_0^inf exp(-x cosh t) cosh(nu t) dt, which converges geometrically;
- Ai: Maclaurin series on [-8, 1], Ai(x) = sqrt(x/3) K_{1/3}(zeta) / pi above, and the
  oscillatory asymptotic expansion below -8;
- the orthogonal polynomials: their three-term recurrences, with torch's special cases
  (n < 0 -> 0, |x| == 1, closed forms for large n inside (-1, 1)).

These are evaluated in float64 for float16/float32 inputs (except on TPU, which has no
float64) and rounded to the input dtype, so float32 results are torch's to float32 precision.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._tensor import Tensor
from . import _registry as R
from . import binary_ops as B
from . import unary_ops as U
from .pointwise import op, reject, with_grad

SPECIAL = "special"
_EULER = 0.57721566490153286061


def _sp():
    import jax.scipy.special as sp

    return sp


_wide = U.wide


def _special_unary(
    name, f, *, kernel=None, half=False, differentiable=True, grad=None, saves_result=False
):
    fn = lambda input: f(input)  # noqa: E731
    fn.__name__ = name
    return op(
        f"{name}(Tensor input) -> Tensor",
        namespace=SPECIAL,
        promote="float",
        check=reject(kernel or f"{name}_cpu", half=half, promote="float"),
        differentiable=differentiable,
        grad=grad,
        saves_result=saves_result,
        saves=(() if saves_result else "all"),
    )(fn)


def _alias(name, target):
    R.register_function(name, target, SPECIAL)


# ------------------------------------------------------------------ aliases of torch.* ops

_T = R.namespace("")
for _name, _target in (
    ("erf", "erf"), ("erfc", "erfc"), ("erfinv", "erfinv"), ("exp2", "exp2"), ("expm1", "expm1"),
    ("log1p", "log1p"), ("expit", "sigmoid"), ("gammaln", "lgamma"), ("digamma", "digamma"), ("psi", "digamma"),
    ("i0", "i0"), ("sinc", "sinc"), ("logit", "logit"), ("polygamma", "polygamma"), ("multigammaln", "mvlgamma"),
    ("xlogy", "xlogy"), ("logsumexp", "logsumexp"),
):  # fmt: skip
    _alias(_name, getattr(_T, _target))


def _round(input, *, decimals=0, out=None):
    """torch.special.round: always the decimals overload (RoundBackward1)."""
    return R.call(U._round_dec, (input, decimals), out)


_alias("round", _round)


@op(
    "gammainc(Tensor input, Tensor other) -> Tensor",
    namespace=SPECIAL,
    grad="IgammaBackward0",
    check=reject("igamma_cpu", bool_=True, int_=True),
)
def gammainc(input, other):
    return B.igamma_impl(input, other)


@op(
    "gammaincc(Tensor input, Tensor other) -> Tensor",
    namespace=SPECIAL,
    grad="IgammacBackward0",
    check=reject("igammac_cpu", bool_=True, int_=True),
)
def gammaincc(input, other):
    return B.igamma_impl(input, other, upper=True)


# ------------------------------------------------------------------ error functions, normal distribution


def _ndtr(x):
    return (1 + _sp().erf(x * np.asarray(1 / math.sqrt(2), x.dtype))) * np.asarray(0.5, x.dtype)


ndtr = _special_unary("ndtr", _ndtr, kernel="erf_vml_cpu", grad="MulBackward1")


def _ndtri(x):
    return with_grad(
        lambda v: _sp().ndtri(v),
        lambda a, out, g: (g * math.sqrt(2 * math.pi) * jnp.exp(out * out / 2),),
    )(x)


ndtri = _special_unary("ndtri", _ndtri, half=True, grad="SpecialNdtriBackward0")


def _log_ndtr(x):
    return with_grad(
        lambda v: _sp().log_ndtr(v),
        lambda a, out, g: (g / math.sqrt(2 * math.pi) * jnp.exp(-(out + a[0] * a[0] / 2)),),
    )(x)


log_ndtr = _special_unary("log_ndtr", _log_ndtr, half=True, grad="SpecialLogNdtrBackward0")


def _erfcx(x):
    return with_grad(
        lambda v: _sp().erfcx(v), lambda a, out, g: (g * (2 * a[0] * out - 2 / math.sqrt(math.pi)),)
    )(x)


erfcx = _special_unary("erfcx", _erfcx, half=True, grad="SpecialErfcxBackward0")


def _entr(x):
    def f(v):
        r = -v * jnp.log(jnp.where(v > 0, v, jnp.ones_like(v)))
        r = jnp.where(v == 0, jnp.zeros_like(v), r)
        r = jnp.where(v < 0, jnp.full_like(v, -np.inf), r)
        return jnp.where(jnp.isnan(v), v, r)

    return with_grad(f, lambda a, out, g: (g * -(1 + jnp.log(a[0])),))(x)


entr = _special_unary("entr", _entr, grad="SpecialEntrBackward0")


# ------------------------------------------------------------------ modified Bessel functions I (jax.scipy)


def _i0e(x):
    sp = _sp()
    return with_grad(sp.i0e, lambda a, out, g: (g * (sp.i1e(a[0]) - jnp.sign(a[0]) * out),))(x)


def _i1(x):
    sp = _sp()

    def bwd(a, out, g):
        v = a[0]
        eps = np.asarray(np.finfo(v.dtype).eps, v.dtype)
        big = jnp.abs(v) > eps
        safe = jnp.where(big, v, eps)
        return (g * jnp.where(big, sp.i0(safe) - out / safe, 0.5),)

    return with_grad(lambda v: jnp.where(v == 0, jnp.zeros_like(v), sp.i1(v)), bwd)(x)


def _i1e(x):
    sp = _sp()

    def bwd(a, out, g):
        v = a[0]
        eps = np.asarray(np.finfo(v.dtype).eps, v.dtype)
        big = jnp.abs(v) > eps
        safe = jnp.where(big, v, eps)
        return (g * jnp.where(big, sp.i0e(safe) - out * (jnp.sign(safe) + 1 / safe), 0.5),)

    return with_grad(lambda v: jnp.where(v == 0, jnp.zeros_like(v), sp.i1e(v)), bwd)(x)


i0e = _special_unary("i0e", _i0e, grad="SpecialI0EBackward0")
i1 = _special_unary("i1", _i1, grad="SpecialI1Backward0")
i1e = _special_unary("i1e", _i1e, grad="SpecialI1EBackward0")

modified_bessel_i0 = _special_unary(
    "modified_bessel_i0", lambda x: _sp().i0(x), half=True, differentiable=False
)
modified_bessel_i1 = _special_unary(
    "modified_bessel_i1",
    lambda x: jnp.where(x == 0, jnp.zeros_like(x), _sp().i1(x)),
    half=True,
    differentiable=False,
)


# ------------------------------------------------------------------ Bessel functions of the first and second kind

_SERIES_TERMS = 48
_HANKEL_TERMS = 28
_CROSS = 14.0


def _harmonic(n):
    return np.concatenate([[0.0], np.cumsum(1.0 / np.arange(1, n + 1))])


_H = _harmonic(64)


def _j_series(x, nu, sign=-1.0):
    """sum_k (sign q)^k / (k! (k+nu)!) (x/2)^nu, q = x^2/4: J_nu (sign -1) or I_nu (sign +1),
    with the harmonic-number sums the second-kind functions need:
    sum H_k t_k (nu = 0) or sum (H_k + H_{k+1} - 2 gamma) t_k (nu = 1)."""
    q = sign * x * x / 4
    t0 = jnp.ones_like(x) if nu == 0 else x / 2
    h0 = jnp.zeros_like(x) if nu == 0 else (1.0 - 2 * _EULER) * t0
    hs = jnp.asarray(_H, x.dtype)

    def body(k, state):
        term, j, h = state
        kf = k.astype(x.dtype)
        term = term * q / (kf * (kf + nu))
        w = hs[k] if nu == 0 else hs[k] + hs[k + 1] - 2 * _EULER
        return term, j + term, h + w * term

    _, j, h = lax.fori_loop(1, _SERIES_TERMS, body, (t0, t0, h0))
    return j, h


def _asymptotic_pq(z, coef):
    """P = sum_k (-1)^k c_{2k} / z^{2k}, Q = sum_k (-1)^k c_{2k+1} / z^{2k+1} for a coefficient table."""
    inv = 1 / z
    inv2 = inv * inv
    n = len(coef) // 2
    ce = jnp.asarray(coef[0::2][:n] * (-1.0) ** np.arange(n), z.dtype)
    co = jnp.asarray(coef[1::2][:n] * (-1.0) ** np.arange(n), z.dtype)

    def body(k, state):
        p, q, pw = state
        return p + ce[k] * pw, q + co[k] * pw * inv, pw * inv2

    p, q, _ = lax.fori_loop(0, n, body, (jnp.zeros_like(z), jnp.zeros_like(z), jnp.ones_like(z)))
    return p, q


def _hankel_coefficients(nu, n):
    mu = 4.0 * nu * nu
    a = [1.0]
    for k in range(1, n):
        a.append(a[-1] * (mu - (2 * k - 1) ** 2) / (k * 8.0))
    return np.asarray(a)


_HANKEL = {nu: _hankel_coefficients(nu, _HANKEL_TERMS) for nu in (0, 1)}


def _hankel(x, nu):
    """(P, Q) of Hankel's expansion for J_nu, Y_nu at large x."""
    return _asymptotic_pq(x, _HANKEL[nu])


def _bessel_large(x, nu, second):
    p, q = _hankel(x, nu)
    c, s = jnp.cos(x), jnp.sin(x)
    # chi = x - (nu/2 + 1/4) pi, via the angle-sum formula (no cancellation in x - chi0)
    chi0 = (nu / 2 + 0.25) * math.pi
    cc = c * math.cos(chi0) + s * math.sin(chi0)
    sc = s * math.cos(chi0) - c * math.sin(chi0)
    amp = jnp.sqrt(2 / (math.pi * x))
    if second:
        return amp * (p * sc + q * cc)
    return amp * (p * cc - q * sc)


@_wide
def _bessel_j(x, nu):
    ax = jnp.abs(x)
    small = ax <= _CROSS
    xs = jnp.where(small, ax, 1.0)
    xl = jnp.where(small, _CROSS + 1, ax)
    j, _ = _j_series(xs, nu)
    r = jnp.where(small, j, _bessel_large(xl, nu, False))
    if nu == 1:
        r = jnp.where(x < 0, -r, r)
    return jnp.where(jnp.isnan(x), x, r)


@_wide
def _bessel_y(x, nu):
    small = x <= _CROSS
    xs = jnp.where(small & (x > 0), x, 1.0)
    xl = jnp.where(small, _CROSS + 1, x)
    j, h = _j_series(xs, nu)
    lg = jnp.log(xs / 2)
    if nu == 0:
        ys = (2 / math.pi) * ((lg + _EULER) * j - h)
    else:
        ys = (2 / math.pi) * lg * j - 2 / (math.pi * xs) - h / math.pi
    r = jnp.where(small, ys, _bessel_large(xl, nu, True))
    r = jnp.where(x == 0, -np.inf, r)
    r = jnp.where(x < 0, np.nan, r)
    return jnp.where(jnp.isnan(x), x, r)


bessel_j0 = _special_unary("bessel_j0", lambda x: _bessel_j(x, 0), half=True, differentiable=False)
bessel_j1 = _special_unary("bessel_j1", lambda x: _bessel_j(x, 1), half=True, differentiable=False)
bessel_y0 = _special_unary("bessel_y0", lambda x: _bessel_y(x, 0), half=True, differentiable=False)
bessel_y1 = _special_unary("bessel_y1", lambda x: _bessel_y(x, 1), half=True, differentiable=False)


# ------------------------------------------------------------------ modified Bessel functions K


_K_NODES = 96


def _k_scaled_integral(x, nu):
    """e^x K_nu(x) for x > 0 (not too small) by the trapezoidal rule in t."""
    top = jnp.arccosh(1 + 750.0 / x)
    h = top / _K_NODES

    def body(j, acc):
        t = h * j
        sh = jnp.sinh(t / 2)
        w = jnp.where((j == 0) | (j == _K_NODES), 0.5, 1.0).astype(x.dtype)
        return acc + w * jnp.exp(-2 * x * sh * sh) * jnp.cosh(nu * t)

    return lax.fori_loop(0, _K_NODES + 1, body, jnp.zeros_like(x)) * h


def _k_series(x, nu):
    """K_nu (nu = 0, 1) for small x > 0 by its series."""
    lg = jnp.log(x / 2)
    i_sum, h_sum = _j_series(x, nu, sign=1.0)
    if nu == 0:
        return -(lg + _EULER) * i_sum + h_sum
    return 1 / x + lg * i_sum - 0.5 * h_sum


def _modified_k(x, nu, scaled):
    small = x <= 2
    xs = jnp.where(small & (x > 0), x, 1.0)
    xl = jnp.where(small, 3.0, x)
    ks = _k_series(xs, nu)
    if scaled:
        ks = ks * jnp.exp(xs)
        kl = _k_scaled_integral(xl, nu)
    else:
        kl = _k_scaled_integral(xl, nu) * jnp.exp(-xl)
    r = jnp.where(small, ks, kl)
    r = jnp.where(jnp.isposinf(x), 0.0, r)
    r = jnp.where(x == 0, np.inf, r)
    r = jnp.where(x < 0, np.nan, r)
    return jnp.where(jnp.isnan(x), x, r)


modified_bessel_k0 = _special_unary(
    "modified_bessel_k0", _wide(lambda x: _modified_k(x, 0, False)), half=True, differentiable=False
)
modified_bessel_k1 = _special_unary(
    "modified_bessel_k1", _wide(lambda x: _modified_k(x, 1, False)), half=True, differentiable=False
)
scaled_modified_bessel_k0 = _special_unary(
    "scaled_modified_bessel_k0",
    _wide(lambda x: _modified_k(x, 0, True)),
    half=True,
    differentiable=False,
)
scaled_modified_bessel_k1 = _special_unary(
    "scaled_modified_bessel_k1",
    _wide(lambda x: _modified_k(x, 1, True)),
    half=True,
    differentiable=False,
)


# ------------------------------------------------------------------ Airy Ai and spherical j0

_AI0 = 0.355028053887817239260  # Ai(0)
_AIP0 = 0.258819403792806798405  # -Ai'(0)


def _airy_series(x):
    x3 = x * x * x

    def body(k, state):
        f, g, tf, tg = state
        kf = k.astype(x.dtype)
        tf = tf * x3 / ((3 * kf - 1) * (3 * kf))
        tg = tg * x3 / ((3 * kf) * (3 * kf + 1))
        return f + tf, g + tg, tf, tg

    f, g, _, _ = lax.fori_loop(1, 45, body, (jnp.ones_like(x), x, jnp.ones_like(x), x))
    return _AI0 * f - _AIP0 * g


def _airy_positive(x):
    zeta = 2.0 / 3.0 * x * jnp.sqrt(x)
    return jnp.sqrt(x / 3) / math.pi * _k_scaled_integral(zeta, 1.0 / 3.0) * jnp.exp(-zeta)


def _airy_coefficients(n):
    u = [1.0]
    for k in range(1, n):
        u.append(u[-1] * (6 * k - 5) * (6 * k - 3) * (6 * k - 1) / ((2 * k - 1) * 216.0 * k))
    return np.asarray(u)


_AIRY_U = _airy_coefficients(30)


def _airy_negative(x):
    z = -x
    zeta = 2.0 / 3.0 * z * jnp.sqrt(z)
    p, q = _asymptotic_pq(zeta, _AIRY_U)
    c, s = jnp.cos(zeta), jnp.sin(zeta)
    r2 = math.sqrt(0.5)
    cm = (c + s) * r2  # cos(zeta - pi/4)
    sm = (s - c) * r2  # sin(zeta - pi/4)
    return (cm * p + sm * q) / (math.sqrt(math.pi) * jnp.sqrt(jnp.sqrt(z)))


@_wide
def _airy_ai(x):
    mid = (x >= -8) & (x <= 1)
    pos = x > 1
    xm = jnp.where(mid, x, 0.0)
    xp = jnp.where(pos, x, 2.0)
    xn = jnp.where(x < -8, x, -9.0)
    r = jnp.where(mid, _airy_series(xm), jnp.where(pos, _airy_positive(xp), _airy_negative(xn)))
    r = jnp.where(x > 103.892, 0.0, r)
    return jnp.where(jnp.isinf(x) | jnp.isnan(x), np.nan, r)


airy_ai = _special_unary("airy_ai", _airy_ai, half=True, differentiable=False)


def _spherical_j0(x):
    x2 = x * x
    series = 1 + x2 * (
        -1.0 / 6
        + x2
        * (
            1.0 / 120
            + x2
            * (-1.0 / 5040 + x2 * (1.0 / 362880 + x2 * (-1.0 / 39916800 + x2 * (1.0 / 6227020800))))
        )
    )
    safe = jnp.where(jnp.abs(x) < 0.5, jnp.ones_like(x), x)
    r = jnp.where(jnp.abs(x) < 0.5, series.astype(x.dtype), jnp.sin(safe) / safe)
    return jnp.where(jnp.isinf(x), jnp.zeros_like(x), r)


spherical_bessel_j0 = _special_unary(
    "spherical_bessel_j0", _spherical_j0, half=True, differentiable=False
)


# ------------------------------------------------------------------ xlog1py, zeta


B.binary_overloads(
    "xlog1py",
    B.xlog1py_impl,
    ("SpecialXlog1PyBackward0", "SpecialXlog1PyBackward2", "SpecialXlog1PyBackward1"),
    "xlog1py_cpu",
    ns=SPECIAL,
    method=False,
)


def _zeta_err():
    return NotImplementedError("the derivative for 'zeta' is not implemented.")


def _zeta(x, q, masked=True):
    del masked
    return with_grad(
        U.zeta_impl,
        lambda a, out, g: (None, g * -a[0] * U.zeta_impl(a[0] + 1, a[1])),
        nondiff={0: _zeta_err},
    )(x, q)


B.binary_overloads(
    "zeta",
    _zeta,
    ("SpecialZetaBackward0", "SpecialZetaBackward2", "SpecialZetaBackward1"),
    "zeta_cpu",
    ns=SPECIAL,
    method=False,
    half=True,
)


# ------------------------------------------------------------------ orthogonal polynomials


def _poly_n(n):
    """torch casts n to int64 (truncating); nan and out-of-range values act as negative."""
    bad = jnp.isnan(n) | (jnp.abs(n) >= 2.0**62)
    return jnp.where(bad, -1, jnp.where(bad, 0, n).astype(np.int64))


def _recur(x, n, q0, step, closed=None):
    """Three-term recurrence p_{k} = step(k, p_{k-2}, p_{k-1}) for k = 2..n, with p_0 = 1, p_1 = q0."""
    x, n = jnp.broadcast_arrays(x, n)
    q0 = jnp.broadcast_to(q0, x.shape)
    loop_n = n if closed is None else jnp.where(closed, 0, n)
    nmax = jnp.max(loop_n, initial=0) if x.size else jnp.asarray(0, np.int64)

    def cond(state):
        return state[0] <= nmax

    def body(state):
        k, p, q = state
        r = step(k.astype(x.dtype), p, q)
        act = k <= loop_n
        return k + 1, jnp.where(act, q, p), jnp.where(act, r, q)

    _, _, q = lax.while_loop(cond, body, (jnp.asarray(2, np.int64), jnp.ones_like(x), q0))
    r = jnp.where(n == 0, jnp.ones_like(x), q)
    return jnp.where(n < 0, jnp.zeros_like(x), r)


def _even(n):
    return n % 2 == 0


def _cheb_t(x, n):
    one = jnp.ones_like(x)
    closed = (n > 6) & (jnp.abs(x) < 1)
    r = _recur(x, n, x, lambda k, p, q: (x + x) * q - p, closed)
    r = jnp.where(closed, jnp.cos(n.astype(x.dtype) * jnp.arccos(jnp.where(closed, x, 0.0))), r)
    r = jnp.where(jnp.abs(x) == 1, jnp.where((x > 0) | _even(n), one, -one), r)
    return jnp.where(n < 0, jnp.zeros_like(x), r)


def _cheb_u(x, n):
    nf = n.astype(x.dtype)
    closed = (n > 8) & (jnp.abs(x) < 1)
    r = _recur(x, n, x + x, lambda k, p, q: (x + x) * q - p, closed)
    ac = jnp.arccos(jnp.where(closed, x, 0.5))
    s = jnp.sin(ac)
    cf = jnp.where(
        s != 0,
        jnp.sin((nf + 1) * ac) / jnp.where(s != 0, s, 1.0),
        (nf + 1) * jnp.cos((nf + 1) * ac) / x,
    )
    r = jnp.where(closed, cf, r)
    r = jnp.where(jnp.abs(x) == 1, jnp.where((x > 0) | _even(n), nf + 1, -(nf + 1)), r)
    return jnp.where(n < 0, jnp.zeros_like(x), r)


def _cheb_v(x, n):
    nf = n.astype(x.dtype)
    closed = (n > 8) & (jnp.abs(x) < 1)
    r = _recur(x, n, x + x - 1, lambda k, p, q: (x + x) * q - p, closed)
    ac = jnp.arccos(jnp.where(closed, x, 0.5))
    odd_val = jnp.where(_even(n), nf + nf + 1, -(nf + nf + 1))
    cf = jnp.where(jnp.sin(ac / 2) != 1, jnp.cos((nf + 0.5) * ac) / jnp.cos(ac / 2), odd_val)
    r = jnp.where(closed, cf, r)
    r = jnp.where(jnp.abs(x) == 1, jnp.where(x > 0, jnp.ones_like(x), odd_val), r)
    return jnp.where(n < 0, jnp.zeros_like(x), r)


def _cheb_w(x, n):
    nf = n.astype(x.dtype)
    closed = (n > 8) & (jnp.abs(x) < 1)
    r = _recur(x, n, x + x + 1, lambda k, p, q: (x + x) * q - p, closed)
    ac = jnp.arccos(jnp.where(closed, x, 0.5))
    pm1 = jnp.where(_even(n), jnp.ones_like(x), -jnp.ones_like(x))
    edge = jnp.where(x > 0, nf + nf + 1, pm1)
    cf = jnp.where(jnp.cos(ac / 2) != 1, jnp.sin((nf + 0.5) * ac) / jnp.sin(ac / 2), edge)
    r = jnp.where(closed, cf, r)
    r = jnp.where(jnp.abs(x) == 1, edge, r)
    return jnp.where(n < 0, jnp.zeros_like(x), r)


def _shifted(kind, x, n):
    nf = n.astype(x.dtype)
    y = x + x - 1
    thresh = 4 if kind == "w" else 6
    closed = (n > thresh) & (jnp.abs(y) < 1)
    q0 = {"t": y, "u": y + y, "v": y + y - 1, "w": y + y + 1}[kind]
    r = _recur(x, n, q0, lambda k, p, q: (y + y) * q - p, closed)
    ac = jnp.arccos(jnp.where(closed, y, 0.5))
    sign = jnp.where(_even(n), jnp.ones_like(x), -jnp.ones_like(x))
    if kind == "t":
        cf = jnp.cos(nf * ac)
        at1, at0 = jnp.ones_like(x), sign
    elif kind == "u":
        s = jnp.sin(ac)
        cf = jnp.where(
            s != 0,
            jnp.sin((nf + 1) * ac) / jnp.where(s != 0, s, 1.0),
            (nf + 1) * jnp.cos((nf + 1) * ac) / y,
        )
        at1, at0 = nf + 1, sign * (nf + 1)
    elif kind == "v":
        cf = jnp.where(
            jnp.sin(ac / 2) != 1, jnp.cos((nf + 0.5) * ac) / jnp.cos(ac / 2), sign * (nf + nf + 1)
        )
        at1, at0 = jnp.ones_like(x), sign * (nf + nf + 1)
    else:
        cf = jnp.where(jnp.cos(ac / 2) != 1, jnp.sin((nf + 0.5) * ac) / jnp.sin(ac / 2), sign)
        at1, at0 = nf + nf + 1, sign
    r = jnp.where(closed, cf, r)
    r = jnp.where(x == 0, at0, r)
    r = jnp.where(x == 1, at1, r)
    return jnp.where(n < 0, jnp.zeros_like(x), r)


def _hermite_h(x, n):
    return _recur(x, n, x + x, lambda k, p, q: (x + x) * q - 2 * (k - 1) * p)


def _hermite_he(x, n):
    return _recur(x, n, x, lambda k, p, q: x * q - (k - 1) * p)


def _laguerre(x, n):
    r = _recur(x, n, 1 - x, lambda k, p, q: ((2 * (k - 1) + (1 - x)) * q - (k - 1) * p) / k)
    return jnp.where((x == 0) & (n >= 0), jnp.ones_like(x), r)


def _legendre(x, n):
    r = _recur(x, n, x, lambda k, p, q: ((2 * (k - 1) + 1) * x * q - (k - 1) * p) / k)
    one = jnp.ones_like(x)
    r = jnp.where((jnp.abs(x) == 1) & (n >= 0), jnp.where((x > 0) | _even(n), one, -one), r)
    return r


def _poly_check(name):
    def check(input, n):
        if not isinstance(input, Tensor) and not isinstance(n, Tensor):
            raise TypeError(
                f"special_{name}() received an invalid combination of arguments - got "
                f"({type(input).__name__}, {type(n).__name__}), but expected one of:\n"
                " * (Tensor input, Tensor n, *, Tensor out = None)\n"
                " * (Number x, Tensor n, *, Tensor out = None)\n"
                " * (Tensor x, Number n, *, Tensor out = None)\n"
            )
        reject(f"{name}_cpu", half=True, promote="float", scalars=(0, 1))(input, n)

    return check


def _polynomial(name, f):
    def impl(input, n):
        x, n = jnp.broadcast_arrays(input, n)
        return f(x, _poly_n(n))

    impl.__name__ = name
    return op(
        f"{name}(Tensor|Scalar input, Tensor|Scalar n) -> Tensor",
        namespace=SPECIAL,
        promote="float",
        differentiable=False,
        check=_poly_check(name),
    )(impl)


chebyshev_polynomial_t = _polynomial("chebyshev_polynomial_t", _cheb_t)
chebyshev_polynomial_u = _polynomial("chebyshev_polynomial_u", _cheb_u)
chebyshev_polynomial_v = _polynomial("chebyshev_polynomial_v", _cheb_v)
chebyshev_polynomial_w = _polynomial("chebyshev_polynomial_w", _cheb_w)
shifted_chebyshev_polynomial_t = _polynomial(
    "shifted_chebyshev_polynomial_t", lambda x, n: _shifted("t", x, n)
)
shifted_chebyshev_polynomial_u = _polynomial(
    "shifted_chebyshev_polynomial_u", lambda x, n: _shifted("u", x, n)
)
shifted_chebyshev_polynomial_v = _polynomial(
    "shifted_chebyshev_polynomial_v", lambda x, n: _shifted("v", x, n)
)
shifted_chebyshev_polynomial_w = _polynomial(
    "shifted_chebyshev_polynomial_w", lambda x, n: _shifted("w", x, n)
)
hermite_polynomial_h = _polynomial("hermite_polynomial_h", _hermite_h)
hermite_polynomial_he = _polynomial("hermite_polynomial_he", _hermite_he)
laguerre_polynomial_l = _polynomial("laguerre_polynomial_l", _laguerre)
legendre_polynomial_p = _polynomial("legendre_polynomial_p", _legendre)
