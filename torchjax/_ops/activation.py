"""Activation functions: torch.nn.functional's pointwise activations, softmax family, normalize,
cosine_similarity, pairwise_distance, and their torch.* / Tensor.* / in-place spellings.

Each op carries torch's grad_fn name; where torch's backward differs from the derivative JAX
would take (boundaries of hardtanh / hardsigmoid / hardswish, relu at 0, logsigmoid at 0, norms
at 0) the op states torch's formula with ``with_grad``. In-place variants whose backward torch
computes from the result have their own grad_fn name (``EluBackward1`` ...).
"""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import register_function
from ._util import is_complex, is_float, wrap_dim
from .pointwise import _declared, kernel_error, op, reject, with_grad

NF = "nn.functional"


def _low(x):
    return x.dtype in (np.float16, jnp.bfloat16)


def _opmath(f):
    """Compute in float32 for float16/bfloat16 inputs (torch's opmath), round back."""

    def g(x, *rest):
        if _low(x):
            return f(x.astype(np.float32), *rest).astype(x.dtype)
        return f(x, *rest)

    return g


def _inplace(opobj):
    """The in-place call of a declared op (``Tensor.X_`` / ``torch.X_`` / ``F.X_``)."""
    o = opobj.op if hasattr(opobj, "op") else getattr(opobj, "_op", opobj)

    def f(input, *args, **kwargs):
        bound = _bind(o, (input,) + args, kwargs)
        return R.call(o, bound, None, True)

    return f


def _bind(o, args, kwargs):
    names = [p.name for p in o.params]
    vals = list(args) + [None] * (len(names) - len(args))
    given = [True] * len(args) + [False] * (len(names) - len(args))
    for k, v in kwargs.items():
        if k not in names:
            raise TypeError(f"{o.short}() got an unexpected keyword argument '{k}'")
        i = names.index(k)
        vals[i] = v
        given[i] = True
    for i, p in enumerate(o.params):
        if not given[i]:
            if not p.has_default:
                raise TypeError(f"{o.short}() missing required argument '{p.name}'")
            vals[i] = p.default
    return tuple(vals)


def _op_of(f):
    return f.op if hasattr(f, "op") else f._op


def _call(f, *args):
    return R.call(_op_of(f), args)


def _fmt(v):
    """A number as C++ streams print it (torch's error messages)."""
    return format(v, "g")


# ------------------------------------------------------------------ relu family


def _check_relu(input):
    dt = input._dtype
    if dt is D.bool:
        raise RuntimeError("Boolean inputs not supported for relu")
    if dt.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")


def _relu(x):
    if not is_float(x):
        return jnp.maximum(x, jnp.zeros_like(x))
    return with_grad(
        lambda v: jnp.maximum(v, jnp.zeros_like(v)),
        lambda a, out, g: (jnp.where(out > 0, g, jnp.zeros_like(g)),),
    )(x)


@op(
    "relu(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    out=False,
    check=_check_relu,
    saves=(),
    saves_result=True,
)
def relu(input):
    return _relu(input)


def _f_relu(input, inplace=False):
    return R.namespace("").relu_(input) if inplace else relu(input)


register_function("relu", _f_relu, NF)
register_function("relu_", R.namespace("").relu_, NF)


def _check_hardtanh(input, min_val=-1, max_val=1):
    dt = input._dtype
    if dt is D.bool:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if dt.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")


def _hardtanh(x, lo, hi):
    def fwd(v, lo, hi):
        return jnp.minimum(jnp.maximum(v, lo.astype(v.dtype)), hi.astype(v.dtype))

    if not is_float(x):
        return fwd(x, lo, hi)
    return with_grad(
        fwd,
        lambda a, out, g: (
            jnp.where((a[0] > a[1]) & (a[0] < a[2]), g, jnp.zeros_like(g)),
            None,
            None,
        ),
    )(x, lo, hi)


@op(
    "hardtanh(Tensor input, Scalar min_val=-1, Scalar max_val=1) -> Tensor",
    function=True,
    namespace=NF,
    promote=("input",),
    check=_check_hardtanh,
    out=False,
)
def _hardtanh_op(input, min_val=-1, max_val=1):
    return _hardtanh(input, min_val, max_val)


_HARDTANH_ = _inplace(_hardtanh_op)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        return _HARDTANH_(input, min_val, max_val)
    return _call(_hardtanh_op, input, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return _HARDTANH_(input, min_val, max_val)


def relu6(input, inplace=False):
    return hardtanh(input, 0.0, 6.0, inplace)


R.namespace(NF).hardtanh = hardtanh
register_function("hardtanh_", hardtanh_, NF)
register_function("relu6", relu6, NF)


def _leaky(x, slope):
    return jnp.where(x > 0, x, x * slope.astype(x.dtype))


_leaky_check = reject("leaky_relu_cpu", bool_=True, int_=True)


@op(
    "leaky_relu(Tensor input, Scalar negative_slope=0.01) -> Tensor",
    namespace=NF,
    promote=("input",),
    check=_leaky_check,
)
def _leaky_relu(input, negative_slope=0.01):
    return _leaky(input, negative_slope)


@_declared(
    "leaky_relu_(Tensor input, Scalar negative_slope=0.01) -> Tensor",
    promote=("input",),
    check=_leaky_check,
    grad="LeakyReluBackward1",
    saves=(),
    saves_result=True,
)
def _leaky_relu_inplace(input, negative_slope=0.01):
    return _leaky(input, negative_slope)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return leaky_relu_(input, negative_slope)
    return _call(_leaky_relu, input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    return R.call(_leaky_relu_inplace, (input, negative_slope), None, True)


R.namespace(NF).leaky_relu = leaky_relu
register_function("leaky_relu_", leaky_relu_, NF)


# ------------------------------------------------------------------ elu family


def _elu(x, alpha, scale, input_scale):
    @_opmath
    def f(v):
        neg = alpha * scale * jnp.expm1(jnp.where(v > 0, jnp.zeros_like(v), v) * input_scale)
        return jnp.where(v > 0, v * scale, neg)

    return f(x)


_elu_check = reject("elu_cpu", bool_=True, int_=True)

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@op("elu(Tensor input, float alpha=1.0) -> Tensor", namespace=NF, check=_elu_check, out=False)
def _elu_op(input, alpha=1.0):
    return _elu(input, alpha, 1.0, 1.0)


@_declared(
    "elu_(Tensor input, float alpha=1.0) -> Tensor",
    check=_elu_check,
    grad="EluBackward1",
    saves=(),
    saves_result=True,
)
def _elu_inplace(input, alpha=1.0):
    return _elu(input, alpha, 1.0, 1.0)


def elu(input, alpha=1.0, inplace=False):
    if inplace:
        return elu_(input, alpha)
    return _call(_elu_op, input, alpha)


def elu_(input, alpha=1.0):
    return R.call(_elu_inplace, (input, alpha), None, True)


R.namespace(NF).elu = elu
register_function("elu_", elu_, NF)


@op("selu(Tensor input) -> Tensor", check=_elu_check, out=False, grad="EluBackward0")
def _selu_op(input):
    return _elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0)


@_declared(
    "selu_(Tensor input) -> Tensor",
    check=_elu_check,
    grad="EluBackward1",
    saves=(),
    saves_result=True,
)
def _selu_inplace(input):
    return _elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0)


def selu_(input):
    return R.call(_selu_inplace, (input,), None, True)


def _f_selu(input, inplace=False):
    return selu_(input) if inplace else _call(_selu_op, input)


register_function("selu_", selu_)
register_function("selu", _f_selu, NF)
register_function("selu_", selu_, NF)


def _check_celu(input, alpha=1.0):
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    _elu_check(input)


@op("celu(Tensor input, float alpha=1.0) -> Tensor", check=_check_celu, out=False)
def _celu_op(input, alpha=1.0):
    return _elu(input, alpha, 1.0, 1.0 / alpha)


@_declared(
    "celu_(Tensor input, float alpha=1.0) -> Tensor",
    check=_check_celu,
    grad="CeluBackward1",
    saves=(),
    saves_result=True,
)
def _celu_inplace(input, alpha=1.0):
    return _elu(input, alpha, 1.0, 1.0 / alpha)


def celu_(input, alpha=1.0):
    return R.call(_celu_inplace, (input, alpha), None, True)


def _f_celu(input, alpha=1.0, inplace=False):
    return celu_(input, alpha) if inplace else _call(_celu_op, input, alpha)


register_function("celu_", celu_)
register_function("celu", _f_celu, NF)
register_function("celu_", celu_, NF)


# ------------------------------------------------------------------ smooth activations


def _check_gelu(input, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    reject("GeluKernelImpl", bool_=True, int_=True)(input)


@op("gelu(Tensor input, *, str approximate='none') -> Tensor", namespace=NF, check=_check_gelu)
def gelu(input, approximate="none"):
    @_opmath
    def f(x):
        if approximate == "tanh":
            inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
            return 0.5 * x * (1 + jnp.tanh(inner))
        return x * 0.5 * (1 + jax.scipy.special.erf(x * (1 / math.sqrt(2))))

    return f(input)


def _silu(x):
    if is_complex(x):
        return x / (1 + jnp.exp(-x))
    return _opmath(lambda v: v * jax.nn.sigmoid(v))(x)


_silu_check = reject("silu_cpu", complex_=False, bool_=True, int_=True)


@op("silu(Tensor input) -> Tensor", namespace=NF, check=_silu_check, out=False)
def _silu_op(input):
    return _silu(input)


def silu(input, inplace=False):
    return _inplace(_silu_op)(input) if inplace else _call(_silu_op, input)


R.namespace(NF).silu = silu

_mish_check = reject("mish_cpu", bool_=True, int_=True)


@op("mish(Tensor input) -> Tensor", namespace=NF, check=_mish_check, out=False)
def _mish_op(input):
    return _opmath(lambda v: v * jnp.tanh(jax.nn.softplus(v)))(input)


def mish(input, inplace=False):
    return _inplace(_mish_op)(input) if inplace else _call(_mish_op, input)


R.namespace(NF).mish = mish


@op(
    "softplus(Tensor input, Scalar beta=1, Scalar threshold=20) -> Tensor",
    namespace=NF,
    promote=("input",),
    check=reject("softplus_cpu", bool_=True, int_=True),
)
def softplus(input, beta=1, threshold=20):
    @_opmath
    def f(x):
        b = beta.astype(x.dtype)
        xb = x * b
        big = xb > threshold.astype(x.dtype)
        safe = jnp.where(big, jnp.zeros_like(xb), xb)
        return jnp.where(big, x, jnp.log1p(jnp.exp(safe)) / b)

    return f(input)


def _logsigmoid(x):
    def fwd(v):
        return jnp.minimum(v, jnp.zeros_like(v)) - jnp.log1p(jnp.exp(-jnp.abs(v)))

    def bwd(a, out, g):
        v = a[0]
        neg = v < 0
        z = jnp.exp(-jnp.abs(v))
        return (
            g
            * (
                jnp.where(neg, 1.0, 0.0).astype(v.dtype)
                - jnp.where(neg, 1.0, -1.0).astype(v.dtype) * (z / (1 + z))
            ),
        )

    return _opmath(with_grad(fwd, bwd))(x)


@op(
    "logsigmoid(Tensor input) -> Tensor",
    namespace=NF,
    grad="LogSigmoidBackward0",
    check=reject("log_sigmoid_cpu", bool_=True, int_=True),
)
def logsigmoid(input):
    return _logsigmoid(input)


def _check_softsign(input):
    if input._dtype is D.bool:
        raise kernel_error("abs_cpu", D.bool)


@op(
    "softsign(Tensor input) -> Tensor",
    namespace=NF,
    promote="float",
    check=_check_softsign,
    grad="DivBackward0",
    out=False,
)
def softsign(input):
    return input / (1 + jnp.abs(input))


def _check_tanhshrink(input):
    if input._dtype is D.bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, "
            "use the `~` or `logical_not()` operator instead."
        )


@op(
    "tanhshrink(Tensor input) -> Tensor",
    namespace=NF,
    promote="float",
    check=_check_tanhshrink,
    grad="SubBackward0",
    out=False,
)
def tanhshrink(input):
    return input - jnp.tanh(input)


# ------------------------------------------------------------------ hard activations


_hs_check = reject("hardsigmoid_cpu", bool_=True, int_=True)


def _hardsigmoid(x):
    def fwd(v):
        return jnp.minimum(jnp.maximum(v + 3, jnp.zeros_like(v)), jnp.full_like(v, 6)) / 6

    return with_grad(
        fwd, lambda a, out, g: (jnp.where((a[0] > -3) & (a[0] < 3), g / 6, jnp.zeros_like(g)),)
    )(x)


@op("hardsigmoid(Tensor input) -> Tensor", namespace=NF, check=_hs_check, out=False)
def _hardsigmoid_op(input):
    return _opmath(_hardsigmoid)(input)


def hardsigmoid(input, inplace=False):
    return _inplace(_hardsigmoid_op)(input) if inplace else _call(_hardsigmoid_op, input)


R.namespace(NF).hardsigmoid = hardsigmoid

_hsw_check = reject("hardswish_cpu", bool_=True, int_=True)


def _hardswish(x):
    def fwd(v):
        return v * jnp.minimum(jnp.maximum(v + 3, jnp.zeros_like(v)), jnp.full_like(v, 6)) / 6

    def bwd(a, out, g):
        v = a[0]
        mid = g * (v / 3 + 0.5)
        return (jnp.where(v <= -3, jnp.zeros_like(g), jnp.where(v < 3, mid, g)),)

    return with_grad(fwd, bwd)(x)


@op("hardswish(Tensor input) -> Tensor", namespace=NF, check=_hsw_check, out=False)
def _hardswish_op(input):
    return _opmath(_hardswish)(input)


def hardswish(input, inplace=False):
    return _inplace(_hardswish_op)(input) if inplace else _call(_hardswish_op, input)


R.namespace(NF).hardswish = hardswish


def _check_lambd(kernel):
    def check(input, lambd=0.5):
        reject(kernel, bool_=True, int_=True)(input)
        if kernel == "softshrink_check":
            hi = np.finfo(input._dtype._np).max if input._dtype.is_floating_point else 0
            if not (0 <= lambd <= hi):
                raise RuntimeError(
                    f"lambda must be in range [0, {_fmt(hi)}] for input dtype {input._dtype._scalar_name}, "
                    f"but found {_fmt(lambd)}"
                )

    return check


@op(
    "softshrink(Tensor input, Scalar lambd=0.5) -> Tensor",
    namespace=NF,
    promote=("input",),
    check=_check_lambd("softshrink_check"),
)
def softshrink(input, lambd=0.5):
    lam = lambd.astype(input.dtype)
    z = jnp.zeros_like(input)
    return jnp.where(
        input > lam,
        input - lam,
        jnp.where(input < -lam, input + lam, jnp.where(input == input, z, input)),
    )


@op(
    "hardshrink(Tensor input, Scalar lambd=0.5) -> Tensor",
    method=True,
    promote=("input",),
    check=_check_lambd("hardshrink_cpu"),
)
def hardshrink(input, lambd=0.5):
    lam = lambd.astype(input.dtype)
    return jnp.where((input >= -lam) & (input <= lam), jnp.zeros_like(input), input)


register_function("hardshrink", hardshrink, NF)

_threshold_check = reject("threshold_cpu", bool_=True)


def _threshold(x, th, value):
    # the comparison happens in opmath precision (float32 for half inputs), as in torch's kernel
    xc = x.astype(np.float32) if _low(x) else x
    return jnp.where(xc <= np.asarray(th, xc.dtype), np.asarray(value).astype(x.dtype), x)


@op(
    "threshold(Tensor input, float threshold, float value) -> Tensor",
    promote="none",
    check=_threshold_check,
)
def threshold(input, threshold, value):  # noqa: A002
    return _threshold(input, threshold, value)


@_declared(
    "threshold_(Tensor input, float threshold, float value) -> Tensor",
    promote="none",
    check=_threshold_check,
    grad="ThresholdBackward1",
    saves=(),
    saves_result=True,
)
def _threshold_inplace(input, threshold, value):  # noqa: A002
    return _threshold(input, threshold, value)


def threshold_(input, threshold, value):  # noqa: A002
    return R.call(_threshold_inplace, (input, threshold, value), None, True)


_threshold_op = threshold


def _f_threshold(input, threshold, value, inplace=False):  # noqa: A002
    return (
        threshold_(input, threshold, value)
        if inplace
        else _call(_threshold_op, input, threshold, value)
    )


register_function("threshold_", threshold_)
register_function("threshold", _f_threshold, NF)
register_function("threshold_", threshold_, NF)


# ------------------------------------------------------------------ glu, prelu, rrelu


def _check_glu(input, dim=-1):
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = wrap_dim(dim, input.dim())
    n = input.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    reject("glu_cpu", bool_=True, int_=True)(input)


@op("glu(Tensor input, int dim=-1) -> Tensor", namespace=NF, check=_check_glu, out=False)
def glu(input, dim=-1):
    d = wrap_dim(dim, input.ndim)
    a, b = jnp.split(input, 2, axis=d)
    return _opmath(lambda a_, b_: a_ * jax.nn.sigmoid(b_))(a, b)


def _check_prelu(input, weight):
    reject("prelu_cpu", bool_=True, int_=True)(input)
    if weight.dim() > 1:
        raise RuntimeError(
            f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.dim()}"
        )
    n = weight.numel()
    if n != 1:
        if input.dim() == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        ch = input.shape[1] if input.dim() > 1 else 1
        if ch != n:
            raise RuntimeError(
                f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {n} and channel "
                f"size = {ch}."
            )


@op(
    "prelu(Tensor input, Tensor weight) -> Tensor",
    method=True,
    check=_check_prelu,
    out=False,
    grad="PreluKernelBackward0",
)
def prelu(input, weight):
    w = weight
    if w.size == 1:
        w = w.reshape(())
    else:
        w = w.reshape((1, -1) + (1,) * (input.ndim - 2))
    return jnp.where(input > 0, input, w * input)


register_function("prelu", prelu, NF)


def _check_rrelu(input, noise, lower, upper, training):
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    reject("leaky_relu_cpu", bool_=True, int_=True)(input)


def _rrelu_fn(input, noise, lower, upper, training):
    if noise is not None:
        return jnp.where(input <= 0, input * noise.astype(input.dtype), input)
    return jnp.where(input > 0, input, input * np.asarray((lower + upper) / 2, input.dtype))


@_declared(
    "rrelu_with_noise(Tensor input, Tensor? noise, float lower, float upper, bool training) -> Tensor",
    check=_check_rrelu,
    grad="RreluWithNoiseBackward0",
    out=False,
    saves=("input", "noise"),
)
def _rrelu_op(input, noise, lower, upper, training):
    return _rrelu_fn(input, noise, lower, upper, training)


@_declared(
    "rrelu_with_noise_(Tensor input, Tensor? noise, float lower, float upper, bool training) -> Tensor",
    check=_check_rrelu,
    grad="RreluWithNoiseBackward1",
    out=False,
    saves=("noise",),
    saves_result=True,
)
def _rrelu_inplace_op(input, noise, lower, upper, training):
    return _rrelu_fn(input, noise, lower, upper, training)


_rrelu_op.short = _rrelu_inplace_op.short = "rrelu"


def _rrelu_noise(input, lower, upper, generator):
    """torch's CPU training noise: for each element (memory order) with input <= 0, one
    uniform_real_distribution<double>(lower, upper) draw (53 bits of random64()); 1 elsewhere."""
    from .._generator import default_generator

    gen = generator if generator is not None else default_generator
    v = input.detach()._v()
    if isinstance(v, jax.core.Tracer):
        raise RuntimeError(
            "rrelu(training=True) draws its noise on the host from torch's CPU generator and needs a concrete "
            "input; call it eagerly (outside compiled regions)."
        )
    host = np.asarray(v).reshape(-1)
    mask = host <= 0
    n = int(mask.sum())
    with gen._lock:
        bits = gen.random_u64(n)
    r = (bits & np.uint64((1 << 53) - 1)).astype(np.float64) * (2.0**-53) * (upper - lower) + lower
    noise = np.ones(host.shape, np.float64)
    noise[mask] = r
    opm = np.float32 if input._dtype in (D.float16, D.bfloat16) else input._dtype._np
    from .._creation import tensor as _tensor

    return _tensor(noise.astype(opm).reshape(tuple(input.shape)), dtype=D._FROM_NP[np.dtype(opm)])


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"rrelu(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    _check_rrelu(input, None, lower, upper, training)
    noise = _rrelu_noise(input, lower, upper, generator) if training else None
    return R.call(_rrelu_op, (input, noise, lower, upper, training))


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"rrelu_(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    _check_rrelu(input, None, lower, upper, training)
    noise = _rrelu_noise(input, lower, upper, generator) if training else None
    return R.call(_rrelu_inplace_op, (input, noise, lower, upper, training), None, True)


def _f_rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    return (
        rrelu_(input, lower, upper, training) if inplace else rrelu(input, lower, upper, training)
    )


register_function("rrelu", rrelu)
register_function("rrelu_", rrelu_)
register_function("rrelu", _f_rrelu, NF)
register_function(
    "rrelu_",
    lambda input, lower=1.0 / 8, upper=1.0 / 3, training=False: rrelu_(
        input, lower, upper, training
    ),
    NF,
)


# ------------------------------------------------------------------ softmax family


def _softmax_check(kernel):
    def check(input, dim, dtype=None):
        nd = input.dim()
        d = wrap_dim(dim, nd)
        dt = dtype if dtype is not None else input._dtype
        if not dt.is_floating_point:
            last = nd == 0 or d == nd - 1
            raise kernel_error(
                f"{kernel}_lastdim_kernel_impl" if last else f"{kernel}_kernel_impl", dt
            )

    return check


def _softmax_impl(x, dim, dtype, log):
    if dtype is not None:
        x = x.astype(dtype._np)
    if x.ndim == 0:
        return jnp.zeros_like(x) if log else jnp.ones_like(x)
    d = wrap_dim(dim, x.ndim)
    if x.size == 0:  # torch returns the empty input's shape (no reduction over an empty dim)
        return x

    @_opmath
    def f(v):
        m = lax.stop_gradient(jnp.max(v, axis=d, keepdims=True))
        m = jnp.where(jnp.isfinite(m), m, jnp.zeros_like(m))
        s = v - m
        if log:
            return s - jnp.log(jnp.sum(jnp.exp(s), axis=d, keepdims=True))
        e = jnp.exp(s)
        return e / jnp.sum(e, axis=d, keepdims=True)

    return f(x)


@op(
    "softmax(Tensor input, int dim, ScalarType? dtype=None) -> Tensor",
    method=True,
    promote="none",
    check=_softmax_check("softmax"),
    saves=(),
    saves_result=True,
)
def softmax(input, dim, dtype=None):
    return _softmax_impl(input, dim, dtype, False)


@op(
    "log_softmax(Tensor input, int dim, ScalarType? dtype=None) -> Tensor",
    method=True,
    promote="none",
    check=_softmax_check("log_softmax"),
    saves=(),
    saves_result=True,
)
def log_softmax(input, dim, dtype=None):
    return _softmax_impl(input, dim, dtype, True)


_SOFTMAX = softmax._op
_LOG_SOFTMAX = log_softmax._op


def _get_softmax_dim(name, ndim, stacklevel):
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def _f_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return R.call(_SOFTMAX, (input, dim, dtype))


def _f_log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return R.call(_LOG_SOFTMAX, (input, dim, dtype))


def _f_softmin(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim(), _stacklevel)
    return R.call(_SOFTMAX, (-input, dim, dtype))


register_function("softmax", _f_softmax, NF)
register_function("log_softmax", _f_log_softmax, NF)
register_function("softmin", _f_softmin, NF)


def _special_softmax(input, dim, dtype=None):
    return R.call(_SOFTMAX, (input, dim, dtype))


def _special_log_softmax(input, dim, *, dtype=None):
    return R.call(_LOG_SOFTMAX, (input, dim, dtype))


register_function("softmax", _special_softmax, "special")
register_function("log_softmax", _special_log_softmax, "special")


# ------------------------------------------------------------------ norms: normalize, cosine_similarity, pairwise


def _abs_pow_grad(x, n, g, p, axis):
    """torch's vector-norm backward for order ``p`` (n = norm with keepdims, g broadcastable)."""
    ax = jnp.abs(x)
    sgn = jnp.sign(x) if not is_complex(x) else jnp.where(ax == 0, 0, x / jnp.where(ax == 0, 1, ax))
    zero = n == 0
    safe_n = jnp.where(zero, jnp.ones_like(n), n)
    if p == 0:
        return jnp.zeros_like(x)
    if p == 1:
        return g * sgn
    if math.isinf(p):
        hit = (ax == n).astype(ax.dtype)
        cnt = jnp.sum(hit, axis=axis, keepdims=True)
        return sgn * (g / cnt) * hit
    if p < 1:
        scaled = sgn * jnp.where(x == 0, jnp.zeros_like(ax), ax ** (p - 1))
        return scaled * g * n ** (1 - p)
    scale = jnp.where(zero, jnp.zeros_like(n), g / safe_n ** (p - 1))
    if p < 2:
        return sgn * ax ** (p - 1) * scale
    if p == 2:
        return x * scale
    return x * ax ** (p - 2) * scale


def vector_norm(x, p, axis, keepdims=False):
    """||x||_p over ``axis`` with torch's gradient (0 at the zero vector for p >= 1)."""
    axis = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)

    def fwd(v):
        av = jnp.abs(v)
        if p == 0:
            r = jnp.sum((av != 0).astype(av.dtype), axis=axis, keepdims=True)
        elif math.isinf(p):
            r = (jnp.max if p > 0 else jnp.min)(av, axis=axis, keepdims=True)
        elif p == 1:
            r = jnp.sum(av, axis=axis, keepdims=True)
        elif p == 2:
            r = jnp.sqrt(jnp.sum(av * av, axis=axis, keepdims=True))
        else:
            r = jnp.sum(av**p, axis=axis, keepdims=True) ** (1.0 / p)
        return r

    def bwd(a, out, g):
        return (_abs_pow_grad(a[0], out, g, p, axis),)

    r = with_grad(fwd, bwd)(x)
    return r if keepdims else jnp.squeeze(r, axis=axis)


def _check_normalize(input, p=2.0, dim=1, eps=1e-12):
    if not (input._dtype.is_floating_point or input._dtype.is_complex):
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{input._dtype._scalar_name}"
        )
    wrap_dim(dim, input.dim())


@op(
    "normalize(Tensor input, float p=2.0, int dim=1, float eps=1e-12) -> Tensor",
    namespace=NF,
    promote="none",
    check=_check_normalize,
    grad="DivBackward0",
)
def normalize(input, p=2.0, dim=1, eps=1e-12):
    if input.ndim == 0:
        n = vector_norm(input.reshape(1), p, 0, keepdims=False).reshape(())
    else:
        n = vector_norm(input, p, wrap_dim(dim, input.ndim), keepdims=True)
    denom = jnp.maximum(n, np.asarray(eps, n.dtype))
    return input / denom.astype(input.dtype) if is_complex(input) else input / denom


def _clamped_norm(x, axis, eps):
    """norm(x) clamped below at eps in value; gradient that of the unclamped norm (torch clamps
    in place under no_grad)."""
    n = vector_norm(x, 2, axis, keepdims=True)
    return n + lax.stop_gradient(jnp.maximum(n, eps) - n)


def _check_cos(x1, x2, dim=1, eps=1e-8):
    dt = D.result_dtype([(x1._dtype, x1.dim()), (x2._dtype, x2.dim())])
    if not dt.is_floating_point:
        raise RuntimeError(
            f"expected common dtype to be floating point, yet common dtype is {dt._scalar_name}"
        )
    nd = max(x1.dim(), x2.dim())
    wrap_dim(dim, nd)


@op(
    "cosine_similarity(Tensor x1, Tensor x2, int dim=1, float eps=1e-08) -> Tensor",
    check=_check_cos,
    out=False,
    grad="SumBackward1",
)
def cosine_similarity(x1, x2, dim=1, eps=1e-08):
    shape = jnp.broadcast_shapes(x1.shape, x2.shape)
    a = jnp.broadcast_to(x1, shape)
    b = jnp.broadcast_to(x2, shape)
    if len(shape) == 0:
        a, b = a.reshape(1), b.reshape(1)
        d = 0
    else:
        d = wrap_dim(dim, len(shape))
    na = _clamped_norm(a, d, np.asarray(eps, a.dtype))
    nb = _clamped_norm(b, d, np.asarray(eps, b.dtype))
    r = jnp.sum((a / na) * (b / nb), axis=d)
    return r.reshape(()) if len(shape) == 0 else r


register_function("cosine_similarity", cosine_similarity, NF)


def _pairwise_promote(compute, args):
    return compute if compute._cat >= D._FLOAT else D.get_default_dtype()


@op(
    "pairwise_distance(Tensor x1, Tensor x2, float p=2.0, float eps=1e-06, bool keepdim=False) -> Tensor",
    out=False,
    promote=_pairwise_promote,
    grad="NormBackward1",
)
def pairwise_distance(x1, x2, p=2.0, eps=1e-06, keepdim=False):
    diff = x1 - x2 + np.asarray(eps, x1.dtype)
    if diff.ndim == 0:
        r = vector_norm(diff.reshape(1), p, 0, keepdims=False)
        return r.reshape(())
    return vector_norm(diff, p, diff.ndim - 1, keepdims=keepdim)


register_function("pairwise_distance", pairwise_distance, NF)


# ------------------------------------------------------------------ torch.nn.functional spellings of torch ops

for _n in ("sigmoid", "tanh"):
    register_function(_n, getattr(R.namespace(""), _n), NF)
