"""Binary float functions, as torch's BinaryOps: maximum / minimum / fmax / fmin, hypot, atan2,
copysign, xlogy, heaviside, logaddexp / logaddexp2, nextafter, ldexp, frexp, gcd / lcm and
igamma / igammac, with torch's Tensor/Scalar overloads and backward formulas.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .._tensor import Tensor
from ._util import is_complex, is_float
from .pointwise import _arg, _declared, _drop_names, op, overload, reject, with_grad
from .unary_ops import _sp

# ------------------------------------------------------------------ binary float functions


def _check_complex_minmax(name):
    def check(input, other):
        if input._dtype.is_complex or other._dtype.is_complex:
            raise RuntimeError(f"{name} not implemented for complex tensors.")

    return check


def _max_bwd(is_max):
    def bwd(a, out, g):
        x, y = a
        half = g / 2
        z = jnp.zeros_like(g)
        gx = jnp.where(x == y, half, g)
        gy = gx
        if is_max:
            gx = jnp.where(x < y, z, gx)
            gy = jnp.where(x > y, z, gy)
        else:
            gx = jnp.where(x > y, z, gx)
            gy = jnp.where(x < y, z, gy)
        return (gx, gy)

    return bwd


@op(
    "maximum(Tensor input, Tensor other) -> Tensor",
    method=True,
    check=_check_complex_minmax("maximum"),
)
def maximum(input, other):
    if input.dtype == np.bool_:
        return input | other
    if not is_float(input):
        return jnp.maximum(input, other)
    return with_grad(jnp.maximum, _max_bwd(True))(input, other)


@op(
    "minimum(Tensor input, Tensor other) -> Tensor",
    method=True,
    check=_check_complex_minmax("minimum"),
)
def minimum(input, other):
    if input.dtype == np.bool_:
        return input & other
    if not is_float(input):
        return jnp.minimum(input, other)
    return with_grad(jnp.minimum, _max_bwd(False))(input, other)


def _fmax_bwd(is_max):
    def bwd(a, out, g):
        x, y = a
        z = jnp.zeros_like(g)
        keep = ((x >= y) if is_max else (x <= y)) | jnp.isnan(y)
        return (jnp.where(keep, g, z), jnp.where(keep, z, g))

    return bwd


@op("fmax(Tensor input, Tensor other) -> Tensor", method=True, check=_check_complex_minmax("fmax"))
def fmax(input, other):
    if input.dtype == np.bool_:
        return input | other
    if not is_float(input):
        return jnp.maximum(input, other)
    return with_grad(jnp.fmax, _fmax_bwd(True))(input, other)


@op("fmin(Tensor input, Tensor other) -> Tensor", method=True, check=_check_complex_minmax("fmin"))
def fmin(input, other):
    if input.dtype == np.bool_:
        return input & other
    if not is_float(input):
        return jnp.minimum(input, other)
    return with_grad(jnp.fmin, _fmax_bwd(False))(input, other)


def _hypot(a, b):
    def bwd(args, out, g):
        x, y = args
        return (g * x / out, g * y / out)

    return with_grad(jnp.hypot, bwd)(a, b)


@op(
    "hypot(Tensor input, Tensor other) -> Tensor",
    method=True,
    inplace=True,
    check=reject("hypot_cpu", bool_=True, int_=True),
)
def hypot(input, other):
    return _hypot(input, other)


def _atan2(a, b):
    def bwd(args, out, g):
        x, y = args
        r = x * x + y * y
        recip = jnp.where(r == 0, jnp.zeros_like(r), 1 / jnp.where(r == 0, jnp.ones_like(r), r))
        return (g * y * recip, g * -x * recip)

    return with_grad(jnp.arctan2, bwd)(a, b)


atan2 = op(
    "atan2(Tensor input, Tensor other) -> Tensor",
    method=True,
    inplace=True,
    promote="float",
    check=reject("atan2_cpu", promote="float"),
)(lambda input, other: _atan2(input, other))
arctan2 = op(
    "arctan2(Tensor input, Tensor other) -> Tensor",
    method=True,
    inplace=True,
    promote="float",
    check=reject("atan2_cpu", promote="float"),
    grad="Atan2Backward0",
)(lambda input, other: _atan2(input, other))
_drop_names("atan2_", "arctan2_", "hypot_")


def _copysign(x, y):
    def bwd(args, out, g):
        a = args[0]
        ratio = jnp.where(a == 0, jnp.zeros_like(out), out / jnp.where(a == 0, jnp.ones_like(a), a))
        return (g * ratio, None)

    return with_grad(lambda a, b: jnp.copysign(a, b.astype(a.dtype)), bwd)(x, y)


@_declared(
    "copysign(Tensor input, Tensor other) -> Tensor",
    promote="float",
    check=reject("copysign_cpu", promote="float"),
    grad="CopysignBackward0",
)
def _copysign_t(input, other):
    return _copysign(input, other)


@_declared(
    "copysign(Tensor input, Scalar other) -> Tensor",
    promote="float",
    check=reject("copysign_cpu", promote="float", scalars=(1,)),
    grad="CopysignBackward1",
)
def _copysign_s(input, other):
    return _copysign(input, other)


copysign = overload(
    "copysign",
    [_copysign_t, _copysign_s],
    lambda a, k: 0 if isinstance(_arg(a, k, 1, "other"), Tensor) else 1,
    inplace=True,
)
_drop_names("copysign_")


def _xlog_impl(log, dlog):
    """x * log(y) (log1p for xlog1py), 0 where x == 0 unless y is nan; torch's gradients:
    the Tensor/Tensor overload masks d/dx where x == 0, the Tensor/Scalar one does not."""

    def impl(x, y, masked=True):
        def fwd(x, y):
            r = jnp.where(x == 0, jnp.zeros_like(x), x * log(y))
            return jnp.where(jnp.isnan(y), y, r)

        def bwd(args, out, g):
            x, y = args
            ly = log(y)
            if masked:
                ly = jnp.where(x != 0, ly, jnp.where(jnp.isnan(y), y, jnp.zeros_like(y)))
            return (g * ly, g * x * dlog(y))

        return with_grad(fwd, bwd)(x, y)

    return impl


xlogy_impl = _xlog_impl(jnp.log, lambda y: 1 / y)
xlog1py_impl = _xlog_impl(jnp.log1p, lambda y: 1 / (y + 1))


def binary_overloads(
    name,
    impl,
    grads,
    kernel,
    *,
    ns="",
    inplace=False,
    method=True,
    self_name="input",
    other_name="other",
    fn_name=None,
    half=False,
):
    """Tensor/Tensor, Tensor/Scalar and Scalar/Tensor overloads of a float binary function."""
    g0, g_other_scalar, g_self_scalar = grads
    chk = reject(kernel, promote="float", scalars=(0, 1), half=half)
    ops = [
        _declared(
            f"{name}(Tensor {self_name}, Tensor {other_name}) -> Tensor",
            promote="float",
            check=chk,
            grad=g0,
        )(lambda a, b: impl(a, b)),
        _declared(
            f"{name}(Tensor {self_name}, Scalar {other_name}) -> Tensor",
            promote="float",
            check=chk,
            grad=g_other_scalar,
        )(lambda a, b: impl(a, b, masked=False)),
        _declared(
            f"{name}(Scalar {self_name}, Tensor {other_name}) -> Tensor",
            promote="float",
            check=chk,
            grad=g_self_scalar,
        )(lambda a, b: impl(a, b)),
    ]

    def pick(args, kwargs):
        a = _arg(args, kwargs, 0, self_name)
        b = _arg(args, kwargs, 1, other_name)
        if isinstance(a, Tensor):
            return 0 if isinstance(b, Tensor) else 1
        return 2

    return overload(fn_name or name, ops, pick, inplace=inplace, method=method, ns=ns)


xlogy = binary_overloads(
    "xlogy",
    xlogy_impl,
    ("XlogyBackward0", "XlogyBackward2", "XlogyBackward1"),
    "xlogy_cpu",
    inplace=True,
)


def _check_heaviside(input, values):
    if input._dtype.is_complex or values._dtype.is_complex:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if input._dtype is not values._dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")


def _heaviside_err():
    return RuntimeError("derivative for aten::heaviside is not implemented")


@op(
    "heaviside(Tensor input, Tensor values) -> Tensor",
    method=True,
    inplace=True,
    check=_check_heaviside,
    grad="NotImplemented",
)
def heaviside(input, values):
    def fwd(x, v):
        return jnp.where(x == 0, v, (x > 0).astype(x.dtype))

    if not is_float(input):
        return fwd(input, values)
    return with_grad(
        fwd, lambda a, out, g: (None, None), nondiff={0: _heaviside_err, 1: _heaviside_err}
    )(input, values)


_drop_names("heaviside_")


def _logaddexp(x, y):
    m = jnp.maximum(x, y)
    same_inf = jnp.isinf(x) & (x == y)
    r = m + jnp.log1p(jnp.exp(-jnp.abs(x - y)))
    return jnp.where(same_inf, x, r)


def _logaddexp_grad(a, out, g):
    x, y = a
    return (g / (1 + jnp.exp(y - x)), g / (1 + jnp.exp(x - y)))


@op(
    "logaddexp(Tensor input, Tensor other) -> Tensor",
    method=True,
    check=reject("logaddexp_cpu", complex_=False, bool_=True, int_=True),
)
def logaddexp(input, other):
    if is_complex(input):
        return jnp.log(jnp.exp(input) + jnp.exp(other))
    return with_grad(_logaddexp, _logaddexp_grad)(input, other)


def _logaddexp2(x, y):
    m = jnp.maximum(x, y)
    same_inf = jnp.isinf(x) & (x == y)
    r = m + jnp.log1p(jnp.exp2(-jnp.abs(x - y))) / np.asarray(np.log(2), x.dtype)
    return jnp.where(same_inf, x, r)


@op(
    "logaddexp2(Tensor input, Tensor other) -> Tensor",
    method=True,
    check=reject("logaddexp2_cpu", bool_=True, int_=True),
)
def logaddexp2(input, other):
    return with_grad(
        _logaddexp2,
        lambda a, out, g: (g / (1 + jnp.exp2(a[1] - a[0])), g / (1 + jnp.exp2(a[0] - a[1]))),
    )(input, other)


@op(
    "nextafter(Tensor input, Tensor other) -> Tensor",
    method=True,
    inplace=True,
    check=reject("nextafter_cpu", bool_=True, int_=True),
)
def nextafter(input, other):
    return with_grad(jnp.nextafter, lambda a, out, g: (g, None))(input, other)


_drop_names("nextafter_")


@op("ldexp(Tensor input, Tensor other) -> Tensor", method=True, inplace=True, promote="float")
def ldexp(input, other):
    return input * jnp.exp2(other)


def _check_frexp(input):
    if not input._dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")


_FLOAT_BITS = {  # dtype: (unsigned int dtype, mantissa bits, exponent bias)
    np.dtype(np.float16): (np.uint16, 10, 15), np.dtype(jnp.bfloat16): (np.uint16, 7, 127),
    np.dtype(np.float32): (np.uint32, 23, 127), np.dtype(np.float64): (np.uint64, 52, 1023),
}  # fmt: skip


def _frexp_bits(x):
    """frexp from the bit pattern: exact for subnormals too (XLA's CPU arithmetic flushes them)."""
    udt, mbits, bias = _FLOAT_BITS[np.dtype(x.dtype)]
    nbits = np.dtype(udt).itemsize * 8
    u = lax.bitcast_convert_type(x, udt)
    mmask = np.asarray((1 << mbits) - 1, udt)
    sign = u & np.asarray(1 << (nbits - 1), udt)
    ebits = (u >> np.asarray(mbits, udt)) & np.asarray((1 << (nbits - 1 - mbits)) - 1, udt)
    frac = u & mmask
    sub = (ebits == 0) & (frac != 0)
    # subnormal: highest set bit p of the fraction; value = frac * 2^(1 - bias - mbits)
    p = (nbits - 1) - lax.clz(frac).astype(np.int32)
    shift = jnp.where(sub, mbits - p, 0).astype(udt)
    frac_n = jnp.where(sub, (frac << shift) & mmask, frac)
    exp = jnp.where(sub, p + 1 - (bias - 1) - mbits, ebits.astype(np.int32) - (bias - 1))
    mant = lax.bitcast_convert_type(
        sign | (np.asarray(bias - 1, udt) << np.asarray(mbits, udt)) | frac_n, x.dtype
    )
    zero = (ebits == 0) & (frac == 0)
    special = ~jnp.isfinite(x)
    mant = jnp.where(zero | special, x, mant)
    exp = jnp.where(zero | special, 0, exp).astype(np.int32)
    return mant, exp


@op(
    "frexp(Tensor input) -> (Tensor mantissa, Tensor exponent)",
    method=True,
    promote="none",
    check=_check_frexp,
)
def frexp(input):
    e = jax.lax.stop_gradient(_frexp_bits(input)[1])
    # torch: d mantissa / d input = 2^-exponent
    m = with_grad(
        lambda x: _frexp_bits(x)[0], lambda a, out, g: (g / jnp.exp2(e.astype(g.dtype)),)
    )(input)
    return m, e


@op(
    "gcd(Tensor input, Tensor other) -> Tensor",
    method=True,
    inplace=True,
    differentiable=False,
    check=reject("gcd_cpu", bool_=True, floating=True),
)
def gcd(input, other):
    return jnp.gcd(input, other)


@op(
    "lcm(Tensor input, Tensor other) -> Tensor",
    method=True,
    inplace=True,
    differentiable=False,
    check=reject("lcm_cpu", bool_=True, floating=True),
)
def lcm(input, other):
    g = jnp.gcd(input, other)
    safe = jnp.where(g == 0, jnp.ones_like(g), g)
    return jnp.where(g == 0, jnp.zeros_like(g), jnp.abs(input // safe * other))


def _igamma_err(name):
    return lambda: NotImplementedError(f"the derivative for '{name}: input' is not implemented.")


def igamma_impl(a, x, upper=False):
    sp = _sp()

    def fwd(a, x):
        r = sp.gammaincc(a, x) if upper else sp.gammainc(a, x)
        # torch: a = inf (x finite) gives P = 0, Q = 1
        fill = jnp.ones_like(r) if upper else jnp.zeros_like(r)
        r = jnp.where(jnp.isposinf(a) & jnp.isfinite(x) & (x >= 0), fill, r)
        # torch: a = 0 and x > 0 gives P = 1, Q = 0
        return jnp.where((a == 0) & (x > 0), 1 - fill, r)

    def bwd(args, out, g):
        a, x = args
        d = jnp.exp((a - 1) * jnp.log(x) - x - sp.gammaln(a))
        return (None, -g * d if upper else g * d)

    name = "igammac" if upper else "igamma"
    return with_grad(fwd, bwd, nondiff={0: _igamma_err(name)})(a, x)


@op(
    "igamma(Tensor input, Tensor other) -> Tensor",
    method=True,
    inplace=True,
    check=reject("igamma_cpu", bool_=True, int_=True),
)
def igamma(input, other):
    return igamma_impl(input, other)


@op(
    "igammac(Tensor input, Tensor other) -> Tensor",
    method=True,
    inplace=True,
    check=reject("igammac_cpu", bool_=True, int_=True),
)
def igammac(input, other):
    return igamma_impl(input, other, upper=True)


_drop_names("igamma_", "igammac_")
