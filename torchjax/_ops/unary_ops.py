"""Unary float functions, as torch's UnaryOps: exp / log / sqrt, trigonometric and hyperbolic
functions, error and gamma functions (erf, lgamma, digamma, polygamma, mvlgamma, i0, logit),
rounding (floor, ceil, trunc, round, frac), classification (isnan, isinf, isfinite, signbit,
isclose ...) and misc unary ops (nan_to_num, angle, conj, complex, polar).

Ints and bools promote to the default float dtype (torch's float ops); the float16/float32
special functions are evaluated in float64 where torch's are more accurate than XLA's.
"""

from __future__ import annotations

import builtins
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import register_method
from ._util import is_complex, is_float
from .blas import strict_out
from .pointwise import _declared, _drop_names, kernel_error, op, overload, reject, with_grad

# ------------------------------------------------------------------ unary float functions


def _unary_float(
    name,
    f,
    *,
    saves_result=False,
    saves="all",
    grad=None,
    check=None,
    namespace="",
    method=True,
    inplace=True,
):
    """Declare ``name(Tensor input)``: ints and bools promote to the default float dtype."""
    fn = lambda input: f(input)  # noqa: E731
    fn.__name__ = name
    return op(
        f"{name}(Tensor input) -> Tensor",
        method=method,
        inplace=inplace,
        promote="float",
        saves_result=saves_result,
        saves=(() if saves_result else saves),
        grad=grad,
        check=check,
        namespace=namespace,
    )(fn)


exp = _unary_float("exp", jnp.exp, saves_result=True)


def _exp2(x):
    if is_complex(x):
        return jnp.exp2(x)
    # 2^round(x) * 2^(x - round(x)): XLA's exp2 (exp(x ln 2)) loses ~20 ulp for large x
    n = jnp.round(x)
    small = jnp.abs(x) < 1e4
    f = jnp.where(small, x - n, x)
    r = jnp.exp2(f)
    return jnp.where(small, jnp.ldexp(r, jnp.where(small, n, 0).astype(np.int32)), r)


exp2 = _unary_float("exp2", _exp2, saves_result=True)
expm1 = _unary_float("expm1", jnp.expm1, saves_result=True)
log = _unary_float("log", jnp.log)
log2 = _unary_float("log2", jnp.log2)
log10 = _unary_float("log10", jnp.log10)
log1p = _unary_float("log1p", jnp.log1p, grad="Log1PBackward0")
sqrt = _unary_float("sqrt", jnp.sqrt, saves_result=True)
rsqrt = _unary_float("rsqrt", lax.rsqrt, saves_result=True)
sin = _unary_float("sin", jnp.sin)
cos = _unary_float("cos", jnp.cos)
tan = _unary_float("tan", jnp.tan, saves_result=True)
tanh = _unary_float("tanh", jnp.tanh, saves_result=True)
sigmoid = _unary_float("sigmoid", jax.nn.sigmoid, saves_result=True)


# ------------------------------------------------------------------ trigonometric / hyperbolic


_TRIG = {
    "acos": jnp.arccos, "asin": jnp.arcsin, "atan": jnp.arctan,
    "acosh": jnp.arccosh, "asinh": jnp.arcsinh, "atanh": jnp.arctanh,
    "cosh": jnp.cosh, "sinh": jnp.sinh,
}  # fmt: skip

acos = _unary_float("acos", jnp.arccos)
asin = _unary_float("asin", jnp.arcsin)
atan = _unary_float("atan", jnp.arctan)
acosh = _unary_float("acosh", jnp.arccosh)
asinh = _unary_float("asinh", jnp.arcsinh)
atanh = _unary_float("atanh", jnp.arctanh)
cosh = _unary_float("cosh", jnp.cosh)
sinh = _unary_float("sinh", jnp.sinh)
arccos = _unary_float("arccos", jnp.arccos, grad="AcosBackward0")
arcsin = _unary_float("arcsin", jnp.arcsin, grad="AsinBackward0")
arctan = _unary_float("arctan", jnp.arctan, grad="AtanBackward0")
arccosh = _unary_float("arccosh", jnp.arccosh, grad="AcoshBackward0")
arcsinh = _unary_float("arcsinh", jnp.arcsinh, grad="AsinhBackward0")
arctanh = _unary_float("arctanh", jnp.arctanh, grad="AtanhBackward0")


def _sinc(x):
    if is_complex(x):
        px = jnp.pi * x
        safe = jnp.where(x == 0, jnp.ones_like(px), px)
        return jnp.where(x == 0, jnp.ones_like(x), jnp.sin(safe) / safe)
    return jnp.sinc(x)


sinc = _unary_float("sinc", _sinc)


def _deg2rad_check(name):
    def check(x):
        if x._dtype.is_complex:
            raise RuntimeError(f"{name} is not supported for complex tensors.")

    return check


@op(
    "deg2rad(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    promote="float",
    check=_deg2rad_check("deg2rad"),
    saves=(),
    grad="Deg2RadBackward0",
)
def deg2rad(input):
    return input * np.asarray(np.pi / 180, input.dtype)


@op(
    "rad2deg(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    promote="float",
    check=_deg2rad_check("rad2deg"),
    saves=(),
    grad="Rad2DegBackward0",
)
def rad2deg(input):
    return input * np.asarray(180 / np.pi, input.dtype)


# ------------------------------------------------------------------ error / gamma functions


def _sp():
    import jax.scipy.special as sp

    return sp


def wide(f):
    """Evaluate ``f`` in float64 (when the backend has it) and round to the input dtype: the
    float32 versions of XLA's special functions lose several ulp where torch's do not."""

    def g(x, *rest):
        dt = x.dtype
        if dt in (np.float16, np.float32, jnp.bfloat16) and jax.default_backend() != "tpu":
            return f(x.astype(np.float64), *rest).astype(dt)
        return f(x, *rest)

    return g


def _float_fn(name, f, kernel=None, half=False, **kw):
    return _unary_float(
        name, f, check=reject(kernel or f"{name}_vml_cpu", half=half, promote="float"), **kw
    )


erf = _float_fn("erf", lambda x: _sp().erf(x))
erfc = _float_fn("erfc", lambda x: _sp().erfc(x))
erfinv = _float_fn("erfinv", wide(lambda x: _sp().erfinv(x)))


def _digamma_value(x):
    """torch's digamma: -inf/+inf at +0/-0 (sign flipped), nan at negative integers."""
    d = _sp().digamma(x)
    inf = jnp.asarray(np.inf, x.dtype)
    d = jnp.where(x == 0, jnp.where(jnp.signbit(x), inf, -inf), d)
    return jnp.where((x < 0) & (x == jnp.floor(x)), jnp.asarray(np.nan, x.dtype), d)


def digamma_impl(x):
    # value in float64 (XLA's float32 digamma is a few ulp off); the gradient, like torch's,
    # is trigamma in the input's own precision
    return with_grad(wide(_digamma_value), lambda a, out, g: (g * trigamma_impl(a[0]),))(x)


def trigamma_impl(x):
    """torch's trigamma: reflection below 1/2, six recurrence steps, then the asymptotic series."""

    def f(x):
        neg = x < 0.5
        # sin(pi x) with pi and the product rounded to x's dtype, the sine itself correctly
        # rounded (as libm's): near the poles its few ulp decide the value
        px = np.asarray(np.pi, x.dtype) * x
        if x.dtype != np.float64 and jax.default_backend() != "tpu":
            s = jnp.sin(px.astype(np.float64)).astype(x.dtype)
        else:
            s = jnp.sin(px)
        pi2 = np.asarray(np.pi, x.dtype) * np.asarray(np.pi, x.dtype)
        refl = -pi2 / (s * s)
        y = jnp.where(neg, 1 - x, x)
        r = jnp.where(neg, refl, jnp.zeros_like(x))
        for _ in range(6):
            r = r + 1 / (y * y)
            y = y + 1
        ixx = 1 / (y * y)
        r = r + (1 + 1 / (2 * y) + ixx * (1.0 / 6 - ixx * (1.0 / 30 - ixx * (1.0 / 42)))) / y
        return jnp.where(neg, -r, r)

    return with_grad(f, lambda a, out, g: (g * polygamma_impl(2, a[0]),))(x)


def _bernoulli_ratios(n):
    """(2k)! / B_2k for k = 1..n, from the Bernoulli numbers (exact rational arithmetic)."""
    from fractions import Fraction

    b = [Fraction(1)]
    for m in range(1, 2 * n + 1):
        b.append(-sum(Fraction(math.comb(m + 1, j)) * b[j] for j in range(m)) / (m + 1))
    return [float(math.factorial(2 * k) / b[2 * k]) for k in range(1, n + 1)]


_ZETA_A = _bernoulli_ratios(12)
_MACHEP = 1.11022302462515654042e-16


def zeta_impl(x, q):
    """Hurwitz zeta(x, q) = sum_k (q + k)^-x, by direct summation until q + k > 9 then the
    Euler-Maclaurin tail (the method of torch's kernel, accumulated in float64), with torch's
    conventions at the poles and for q <= 0."""

    def f(x, q):
        x, q = jnp.broadcast_arrays(x, q)
        dt = x.dtype
        s0 = jnp.power(q, -x)
        # direct sum: at least 9 terms and until a > 9; stop early once terms are negligible
        steps = jnp.maximum(9, jnp.floor(9 - q) + 1)
        steps = jnp.where(jnp.isfinite(steps), steps, 9)
        nmax = jnp.max(steps, initial=9) if x.size else jnp.asarray(9.0, dt)

        def cond(st):
            return st[0] < nmax

        def body(st):
            i, a, b, s, done = st
            act = ~done & (i < steps)
            a2 = a + 1
            b2 = jnp.power(a2, -x)
            s2 = s + b2
            fin = act & (jnp.abs(b2 / s2) < _MACHEP)
            return (
                i + 1,
                jnp.where(act, a2, a),
                jnp.where(act, b2, b),
                jnp.where(act, s2, s),
                done | fin,
            )

        zero = jnp.zeros_like(x)
        _, a, b, s, done = lax.while_loop(
            cond, body, (jnp.asarray(0.0, dt), q, zero, s0, jnp.zeros(x.shape, bool))
        )
        w = a
        tail = s + b * w / (x - 1) - 0.5 * b
        aa = jnp.ones_like(x)
        k = jnp.zeros_like(x)
        bb = b
        fin = done
        s_t = tail
        for coef in _ZETA_A:
            aa = aa * (x + k)
            bb = bb / w
            t = aa * bb / coef
            s_new = s_t + t
            s_t = jnp.where(fin, s_t, s_new)
            fin = fin | (jnp.abs(t / s_new) < _MACHEP)
            k = k + 1
            aa = aa * (x + k)
            bb = bb / w
            k = k + 1
        z = jnp.where(done, s, s_t)
        nan = jnp.asarray(np.nan, dt)
        inf = jnp.asarray(np.inf, dt)
        z = jnp.where(x == 1, inf, z)
        z = jnp.where(x < 1, nan, z)
        qint = q == jnp.floor(q)
        z = jnp.where((x > 1) & (q <= 0) & qint, inf, z)
        z = jnp.where((x > 1) & (q <= 0) & ~qint & (x != jnp.floor(x)), nan, z)
        return jnp.where(jnp.isnan(x) | jnp.isnan(q), nan, z)

    x = jnp.asarray(x)
    dt = jnp.result_type(x, q)
    if dt != np.float64 and jax.default_backend() != "tpu":
        return f(x.astype(np.float64), jnp.asarray(q).astype(np.float64)).astype(dt)
    return f(x.astype(dt), jnp.asarray(q).astype(dt))


def polygamma_impl(n, x):
    if n == 0:
        return digamma_impl(x)
    if n == 1:
        return trigamma_impl(x)

    def f(x):
        fact = math.exp(math.lgamma(n + 1))
        sign = 1.0 if n % 2 else -1.0
        return sign * fact * zeta_impl(jnp.asarray(n + 1, x.dtype), x)

    return with_grad(f, lambda a, out, g: (g * polygamma_impl(n + 1, a[0]),))(x)


def lgamma_impl(x):
    return with_grad(wide(lambda v: _sp().gammaln(v)), lambda a, out, g: (g * digamma_impl(a[0]),))(
        x
    )


lgamma = _float_fn("lgamma", lgamma_impl)
digamma = _float_fn("digamma", digamma_impl, kernel="digamma")


def _check_polygamma(n, input):
    if not isinstance(n, builtins.int) and not (isinstance(n, Tensor)):
        return
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if input._dtype.is_complex:
        raise kernel_error({0: "digamma", 1: "trigamma"}.get(n, "polygamma"), input._dtype)


def _polygamma_value(n, x):
    # (digamma and zeta evaluate in float64 themselves; trigamma, like torch's, in x's precision)
    return polygamma_impl(n, x)


@op("polygamma(int n, Tensor input) -> Tensor", promote="float", check=_check_polygamma)
def polygamma(n, input):
    return _polygamma_value(n, input)


register_method("polygamma", lambda self, n: polygamma(n, self))


@_declared(
    "polygamma_(Tensor self, int n) -> Tensor",
    promote="float",
    grad="PolygammaBackward0",
    check=lambda self, n: _check_polygamma(n, self),
)
def _polygamma_inplace_fn(self, n):
    return _polygamma_value(n, self)


_polygamma_inplace_fn.short = "polygamma"
register_method("polygamma_", lambda self, n: R.call(_polygamma_inplace_fn, (self, n), None, True))


def mvlgamma_impl(x, p):
    terms = sum(lgamma_impl(x - np.asarray(j / 2, x.dtype)) for j in range(p))
    return terms + np.asarray(p * (p - 1) / 4 * math.log(math.pi), x.dtype)


def _check_mvlgamma(input, p):
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    reject("mvlgamma", promote="float")(input)


@op(
    "mvlgamma(Tensor input, int p) -> Tensor",
    method=True,
    inplace=True,
    promote="float",
    check=_check_mvlgamma,
)
def mvlgamma(input, p):
    return mvlgamma_impl(input, p)


def i0_impl(x):
    def f(v):
        return _sp().i0(v)

    return with_grad(f, lambda a, out, g: (g * _sp().i1(a[0]),))(x)


i0 = _float_fn("i0", wide(i0_impl))


def _logit_impl(x, eps):
    def fwd(v):
        if eps is not None and eps >= 0:
            v = jnp.clip(v, eps, 1 - eps)
        return jnp.log(v / (1 - v))

    def bwd(a, out, g):
        v = a[0]
        d = g / (v * (1 - v))
        if eps is None or eps < 0:
            return (jnp.where((v < 0) | (v > 1), jnp.asarray(np.nan, v.dtype), d),)
        return (jnp.where((v < eps) | (v > 1 - eps), jnp.zeros_like(v), d),)

    return with_grad(fwd, bwd)(x)


@op(
    "logit(Tensor input, float? eps=None) -> Tensor",
    method=True,
    inplace=True,
    promote="float",
    check=lambda input, eps=None: reject("logit_cpu", promote="float")(input),
)
def logit(input, eps=None):
    return _logit_impl(input, eps)


# ------------------------------------------------------------------ rounding


def _round_check(name, complex_msg=None):
    def check(input, *rest):
        dt = input._dtype
        if dt is D.bool:
            raise kernel_error(f"{name}_vml_cpu", dt)
        if dt.is_complex:
            if complex_msg:
                raise NotImplementedError(complex_msg)
            raise kernel_error(f"{name}_vml_cpu", dt)

    return check


def _rounding(name, f, grad=None, fn_name=None):
    fname = fn_name or name

    def impl(input):
        if not (is_float(input)):
            return input
        return f(input)

    impl.__name__ = fname
    return op(
        f"{fname}(Tensor input) -> Tensor",
        method=True,
        inplace=True,
        promote="none",
        saves=(),
        check=_round_check(name, f"{name} is not supported for complex inputs"),
        grad=grad,
    )(impl)


floor = _rounding("floor", jnp.floor)
ceil = _rounding("ceil", jnp.ceil)
trunc = _rounding("trunc", jnp.trunc)
fix = _rounding("trunc", jnp.trunc, grad="TruncBackward0", fn_name="fix")


@_declared(
    "round(Tensor input) -> Tensor",
    method=False,
    inplace=False,
    promote="none",
    saves=(),
    check=_round_check("round"),
)
def _round0(input):
    return jnp.round(input) if is_float(input) else input


def _check_round_dec(input, decimals):
    dt = input._dtype
    if not (dt.is_floating_point):
        raise kernel_error("round_vml_cpu" if decimals == 0 else "round_cpu", dt)


def round_decimals_impl(x, decimals):
    if decimals == 0:
        return jnp.round(x)
    ten = np.asarray(10.0 ** builtins.abs(decimals), x.dtype)
    if decimals < 0:
        return jnp.round(x / ten) * ten
    return jnp.round(x * ten) / ten


@_declared(
    "round(Tensor input, *, int decimals) -> Tensor",
    promote="none",
    saves=(),
    check=_check_round_dec,
    grad="RoundBackward1",
)
def _round_dec(input, decimals):
    return round_decimals_impl(input, decimals)


round = overload(
    "round", [_round0, _round_dec], lambda a, k: 1 if "decimals" in k else 0, inplace=True
)  # noqa: A001


def _check_frac(x):
    if not x._dtype.is_floating_point:
        raise kernel_error("frac_cpu", x._dtype)


@op(
    "frac(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    saves=(),
    check=_check_frac,
)
def frac(input):
    return input - jnp.trunc(input)


# ------------------------------------------------------------------ classification (bool results)


@op("isnan(Tensor input) -> Tensor", method=True, promote="none", differentiable=False)
def isnan(input):
    return (
        jnp.isnan(input) if (is_float(input) or is_complex(input)) else jnp.zeros(input.shape, bool)
    )


@op("isinf(Tensor input) -> Tensor", method=True, promote="none", differentiable=False)
def isinf(input):
    return (
        jnp.isinf(input) if (is_float(input) or is_complex(input)) else jnp.zeros(input.shape, bool)
    )


@op("isfinite(Tensor input) -> Tensor", method=True, promote="none", differentiable=False)
def isfinite(input):
    return (
        jnp.isfinite(input)
        if (is_float(input) or is_complex(input))
        else jnp.ones(input.shape, bool)
    )


def _no_complex_inf(name):
    def check(x):
        if x._dtype.is_complex:
            raise RuntimeError(f"{name} does not support complex inputs.")

    return check


@op(
    "isposinf(Tensor input) -> Tensor",
    method=True,
    promote="none",
    differentiable=False,
    check=_no_complex_inf("isposinf"),
)
def isposinf(input):
    return jnp.isposinf(input) if is_float(input) else jnp.zeros(input.shape, bool)


@op(
    "isneginf(Tensor input) -> Tensor",
    method=True,
    promote="none",
    differentiable=False,
    check=_no_complex_inf("isneginf"),
)
def isneginf(input):
    return jnp.isneginf(input) if is_float(input) else jnp.zeros(input.shape, bool)


@op("isreal(Tensor input) -> Tensor", method=True, promote="none", differentiable=False)
def isreal(input):
    return jnp.imag(input) == 0 if is_complex(input) else jnp.ones(input.shape, bool)


def _check_signbit(x):
    if x._dtype.is_complex:
        raise NotImplementedError("signbit is not implemented for complex tensors.")


@op(
    "signbit(Tensor input) -> Tensor",
    method=True,
    promote="none",
    differentiable=False,
    check=_check_signbit,
)
def signbit(input):
    if is_float(input):
        return jnp.signbit(input)
    if input.dtype == np.bool_ or not jnp.issubdtype(input.dtype, jnp.signedinteger):
        return jnp.zeros(input.shape, bool)
    return input < 0


def _isclose_check(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    if input._dtype is not other._dtype:
        raise RuntimeError(f"{input._dtype._scalar_name} did not match {other._dtype._scalar_name}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {_fmt_num(rtol)}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {_fmt_num(atol)}")


def _fmt_num(v):
    return str(builtins.int(v)) if builtins.float(v).is_integer() else repr(builtins.float(v))


@op(
    "isclose(Tensor input, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> Tensor",
    method=True,
    promote="none",
    differentiable=False,
    check=_isclose_check,
)
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    close = input == other
    if equal_nan and (is_float(input) or is_complex(input)):
        close = close | (jnp.isnan(input) & jnp.isnan(other))
    if rtol == 0 and atol == 0:
        return close
    a, b = input, other
    if a.dtype == np.bool_:
        a, b = a.astype(default_float_np()), b.astype(default_float_np())
    if is_float(a) or is_complex(a):
        ft = a.dtype
        allowed = atol + jnp.abs(rtol * b)
        actual = jnp.abs(a - b)
    else:
        ft = default_float_np()
        allowed = np.asarray(atol, ft) + jnp.abs(np.asarray(rtol, ft) * b.astype(ft))
        actual = jnp.abs(a - b)
    allowed = allowed.astype(jnp.real(jnp.zeros((), ft)).dtype if is_complex(a) else ft)
    actual_f = actual.astype(allowed.dtype)
    return close | (jnp.isfinite(actual_f) & (actual_f <= allowed))


def default_float_np():
    return D.get_default_dtype()._np


# ------------------------------------------------------------------ misc unary


def _nan_to_num_impl(x, nan, posinf, neginf):
    if not (is_float(x) or is_complex(x)):
        return x
    if is_complex(x):
        re = _nan_to_num_impl(jnp.real(x), nan, posinf, neginf)
        im = _nan_to_num_impl(jnp.imag(x), nan, posinf, neginf)
        return jax.lax.complex(re, im)
    fi = jnp.finfo(x.dtype)
    nanv = np.asarray(0.0 if nan is None else nan).astype(x.dtype)
    pv = np.asarray(fi.max if posinf is None else posinf).astype(x.dtype)
    nv = np.asarray(fi.min if neginf is None else neginf).astype(x.dtype)
    return jnp.where(
        jnp.isnan(x), nanv, jnp.where(jnp.isposinf(x), pv, jnp.where(jnp.isneginf(x), nv, x))
    )


@op(
    "nan_to_num(Tensor input, float? nan=0.0, float? posinf=None, float? neginf=None) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
)
def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    return _nan_to_num_impl(input, nan, posinf, neginf)


def _angle_complex_bwd(a, out, g):
    z = a[0]
    zero = z == 0
    _, pb = jax.vjp(jnp.angle, jnp.where(zero, jnp.ones_like(z), z))
    return (jnp.where(zero, jnp.zeros_like(z), pb(g)[0]),)


@op("angle(Tensor input) -> Tensor", method=True, promote="float")
def angle(input):
    if is_complex(input):
        return with_grad(jnp.angle, _angle_complex_bwd)(input)
    pi = jnp.asarray(np.pi, input.dtype)
    return jnp.where(jnp.isnan(input), input, jnp.where(input < 0, pi, jnp.zeros_like(input)))


@_declared("conj_physical(Tensor input) -> Tensor", promote="none", saves=())
def _conj_physical(input):
    return jnp.conj(input) if is_complex(input) else input


@_declared(
    "conj(Tensor input) -> Tensor", promote="none", saves=(), grad="ConjBackward0", out=False
)
def _conj_complex(input):
    return jnp.conj(input)


def conj(input):
    """torch.conj: the tensor itself for non-complex tensors; a conjugated tensor otherwise.

    torch returns a lazily conjugated view (``is_conj()``); torchjax materialises the values."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"conj(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if not input._dtype.is_complex:
        return input
    return R.call(_conj_complex, (input,))


def conj_physical(input, *, out=None):
    if isinstance(input, Tensor) and not input._dtype.is_complex and out is None:
        return input
    return R.call(_conj_physical, (input,), out)


def _identity_self(name):
    def f(input):
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
            )
        return input

    f.__name__ = name
    return f


def _false_pred(name):
    def f(input):
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
            )
        return False

    f.__name__ = name
    return f


_NS = R.namespace("")
_NS.conj = conj
_NS.conj_physical = conj_physical
register_method("conj", conj)
for _n in ("resolve_conj", "resolve_neg"):
    R.register_function(_n, _identity_self(_n))
    register_method(_n, _identity_self(_n))
for _n in ("is_conj", "is_neg"):
    R.register_function(_n, _false_pred(_n))
    register_method(_n, _false_pred(_n))
register_method("conj_physical", lambda self: conj_physical(self))
register_method("conj_physical_", lambda self: R.call(_conj_physical, (self,), None, True))
R.register_function("conj_physical_", lambda input: R.call(_conj_physical, (input,), None, True))


def _check_complex_parts(a, b):
    da, db = a._dtype, b._dtype
    ok = (D.float16, D.float32, D.float64)
    if da not in ok or db not in ok:
        raise RuntimeError(
            f"Expected both inputs to be Half, Float or Double tensors but got {da._scalar_name} and {db._scalar_name}"
        )
    if da is not db:
        raise RuntimeError(
            f"Expected object of scalar type {da._scalar_name} but got scalar type {db._scalar_name} for second argument"
        )


@op(
    "complex(Tensor real, Tensor imag) -> Tensor",
    promote="none",
    check=_check_complex_parts,
    saves=(),
)
def complex(real, imag):  # noqa: A001
    if real.dtype == np.float16:
        raise kernel_error("complex_cpu", D.float16)
    real, imag = jnp.broadcast_arrays(
        real, imag
    )  # torch broadcasts (TensorIterator); lax.complex does not
    return jax.lax.complex(real, imag)


@op("polar(Tensor abs, Tensor angle) -> Tensor", promote="none", check=_check_complex_parts)
def polar(abs, angle):  # noqa: A002
    if abs.dtype == np.float16:
        raise kernel_error("polar_cpu", D.float16)
    return jax.lax.complex(abs * jnp.cos(angle), abs * jnp.sin(angle))


def _complex_out_msg(result_dtype, out_dtype):
    return (
        f"Expected object of scalar type {result_dtype._scalar_name} but got scalar type "
        f"{out_dtype._scalar_name} for argument 'out'"
    )


# ATen's complex_check_dtype: out= must be exactly the complex type of the inputs (no cast on write)
for _name in ("complex", "polar"):
    strict_out("", _name, msg=_complex_out_msg)

# torch has no torch.X_ for these (only Tensor.X_)
_drop_names("erfinv_", "lgamma_", "digamma_", "mvlgamma_")
