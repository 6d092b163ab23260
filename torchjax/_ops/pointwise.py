"""Elementwise arithmetic, comparison, logical and bitwise ops, and the Python operators.

Each op is declared once; promotion (torch's, via the registry) happens before the jax
function runs, so the functions below see operands already in the result dtype.
"""

from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from . import _registry as R
from ._registry import op, register_method
from ._util import is_complex, is_float, is_int

# ------------------------------------------------------------------ checks


def _tensor_dtype(x):
    if isinstance(x, Tensor):
        return x._dtype
    return D.scalar_dtype(x) if x is not None else None


def _is_intlike(x):
    d = _tensor_dtype(x)
    return d is not None and d._cat <= D._INT


def _check_alpha(input, other, alpha=1):
    if alpha == 1:
        return
    a, b = _tensor_dtype(input), _tensor_dtype(other)
    if a._cat <= D._INT and b._cat <= D._INT:
        if isinstance(alpha, builtins.float) or isinstance(alpha, Tensor) and alpha.is_floating_point():
            raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if not (a.is_complex or b.is_complex) and isinstance(alpha, builtins.complex):
        raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex number.")
    if a is D.bool and b is D.bool and not isinstance(alpha, builtins.bool) and alpha not in (0, 1):
        raise RuntimeError("Boolean alpha only supported for Boolean results.")


def _check_sub(input, other, alpha=1):
    if _tensor_dtype(input) is D.bool and _tensor_dtype(other) is D.bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
            "`logical_xor()` operator instead."
        )
    if _tensor_dtype(input) is D.bool or _tensor_dtype(other) is D.bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead."
        )
    _check_alpha(input, other, alpha)


def _check_int_zero_div(input, other, *rest):
    """Integer division by zero raises on CPU in torch (a host check; skipped while tracing)."""
    if not (_is_intlike(input) and _is_intlike(other)):
        return
    if isinstance(other, Tensor):
        v = other._v()
        if isinstance(v, jax.core.Tracer):
            return
        if builtins.bool(jnp.any(v == 0)):
            raise RuntimeError("ZeroDivisionError")
    elif other == 0:
        raise RuntimeError("ZeroDivisionError")


def _alpha_mul(b, alpha):
    if alpha is None:
        return b
    if b.dtype == np.bool_:
        return jnp.logical_and(b, alpha)
    return b * alpha


# ------------------------------------------------------------------ add / sub / mul / div


@op("add(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor", method=True, inplace=True, saves=(),
    check=_check_alpha)
def add(input, other, alpha):
    if input.dtype == np.bool_:
        return jnp.logical_or(input, jnp.logical_and(other, alpha))
    return input + other * alpha


@op("sub(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor", method=True, inplace=True, saves=(),
    check=_check_sub)
def sub(input, other, alpha):
    return input - other * alpha


@op("subtract(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor", method=True, inplace=True,
    saves=(), check=_check_sub, grad="SubBackward0")
def subtract(input, other, alpha):
    return input - other * alpha


@op("rsub(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor", saves=(), check=_check_sub,
    grad="RsubBackward1")
def rsub(input, other, alpha):
    return other - input * alpha


@op("mul(Tensor input, Tensor|Scalar other) -> Tensor", method=True, inplace=True)
def mul(input, other):
    if input.dtype == np.bool_:
        return jnp.logical_and(input, other)
    return input * other


@op("multiply(Tensor input, Tensor|Scalar other) -> Tensor", method=True, inplace=True, grad="MulBackward0")
def multiply(input, other):
    if input.dtype == np.bool_:
        return jnp.logical_and(input, other)
    return input * other


def _div_promote(compute, args):
    mode = args[2] if len(args) > 2 else None
    if mode is None and not (compute.is_floating_point or compute.is_complex):
        return D.get_default_dtype()
    return compute


def _check_div(input, other, rounding_mode=None):
    if rounding_mode not in (None, "trunc", "floor"):
        raise RuntimeError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
        )
    if rounding_mode is not None:
        _check_int_zero_div(input, other)


def _div_impl(input, other, rounding_mode):
    if rounding_mode is None:
        return input / other
    if is_int(input) or input.dtype == np.bool_:
        q = lax.div(input, other)  # truncates
        if rounding_mode == "floor":
            fix = (lax.rem(input, other) != 0) & ((input < 0) != (other < 0))
            q = q - fix.astype(q.dtype)
        return q
    q = input / other
    if rounding_mode == "trunc":
        return jnp.trunc(q)
    return _floor_divide_float(input, other)


def _floor_divide_float(a, b):
    # torch's div_floor: floor((a - fmod(a, b)) / b) with sign fix-ups, like Python's //
    mod = jnp.fmod(a, b)
    div = (a - mod) / b
    adjust = (mod != 0) & ((b < 0) != (mod < 0))
    div = jnp.where(adjust, div - 1, div)
    floordiv = jnp.floor(div)
    floordiv = jnp.where(div - floordiv > 0.5, floordiv + 1, floordiv)
    return jnp.where(div != 0, floordiv, jnp.copysign(jnp.zeros_like(div), a / b))


@op("div(Tensor input, Tensor|Scalar other, *, str? rounding_mode=None) -> Tensor", method=True, inplace=True,
    promote=_div_promote, check=_check_div)
def div(input, other, rounding_mode):
    return _div_impl(input, other, rounding_mode)


@op("divide(Tensor input, Tensor|Scalar other, *, str? rounding_mode=None) -> Tensor", method=True, inplace=True,
    promote=_div_promote, check=_check_div, grad="DivBackward0")
def divide(input, other, rounding_mode):
    return _div_impl(input, other, rounding_mode)


@op("true_divide(Tensor input, Tensor|Scalar other) -> Tensor", method=True, inplace=True, promote="float",
    grad="DivBackward0")
def true_divide(input, other):
    return input / other


@op("floor_divide(Tensor|Scalar input, Tensor|Scalar other) -> Tensor", method=True, inplace=True,
    check=_check_int_zero_div, differentiable=False)
def floor_divide(input, other):
    return _div_impl(input, other, "floor")


def _remainder_impl(a, b):
    if is_int(a):
        r = lax.rem(a, b)
        return jnp.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)
    r = jnp.fmod(a, b)
    return jnp.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)


@op("remainder(Tensor|Scalar input, Tensor|Scalar other) -> Tensor", method=True, inplace=True,
    check=_check_int_zero_div)
def remainder(input, other):
    return _remainder_impl(input, other)


@op("fmod(Tensor input, Tensor|Scalar other) -> Tensor", method=True, inplace=True, check=_check_int_zero_div)
def fmod(input, other):
    if is_int(input):
        return lax.rem(input, other)
    return jnp.fmod(input, other)


# ------------------------------------------------------------------ pow


def _check_pow(input, exponent):
    if _is_intlike(input) and not isinstance(exponent, Tensor):
        if isinstance(exponent, builtins.int) and not isinstance(exponent, builtins.bool) and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    if isinstance(input, Tensor) and isinstance(exponent, Tensor) and _is_intlike(input) and _is_intlike(exponent):
        v = exponent._v()
        if not isinstance(v, jax.core.Tracer) and exponent._dtype is not D.bool and builtins.bool(jnp.any(v < 0)):
            raise RuntimeError("Integers to negative integer powers are not allowed.")


def _pow_impl(a, b):
    if is_int(a) and is_int(b):
        return _int_pow(a, b)
    if a.dtype == np.bool_:
        return jnp.logical_or(a, jnp.logical_not(b)) if b.dtype == np.bool_ else a
    return jnp.power(a, b)


def _int_pow(a, b):
    # exponentiation by squaring with wraparound, as torch's integer pow
    b = jnp.broadcast_to(b, jnp.broadcast_shapes(a.shape, b.shape))
    a = jnp.broadcast_to(a, b.shape)

    def body(state):
        res, base, e = state
        res = jnp.where(e & 1, res * base, res)
        return res, base * base, e >> 1

    def cond(state):
        return jnp.any(state[2] > 0)

    res, _, _ = lax.while_loop(cond, body, (jnp.ones_like(a), a, jnp.maximum(b, 0)))
    return res


@op("pow(Tensor input, Tensor|Scalar exponent) -> Tensor", method=True, inplace=True, check=_check_pow,
    grad="PowBackward0")
def pow(input, exponent):  # noqa: A001
    return _pow_impl(input, exponent)


@op("pow_scalar(Scalar self, Tensor exponent) -> Tensor", function=False, grad="PowBackward2")
def _pow_scalar_base(self, exponent):
    return _pow_impl(self, exponent)


_POW = R.OPS["pow"]
_POW_SCALAR = R.OPS["pow_scalar"]


def _pow_dispatch(input, exponent, *, out=None):
    """torch.pow(Tensor, Tensor|Scalar) or torch.pow(Scalar, Tensor)."""
    if not isinstance(input, Tensor):
        return R.call(_POW_SCALAR, (input, exponent), out)
    return R.call(_POW, (input, exponent), out)


R.namespace("").pow = _pow_dispatch


@op("float_power(Tensor|Scalar input, Tensor|Scalar exponent) -> Tensor", method=True, inplace=True,
    promote=lambda c, args: D.complex128 if c.is_complex else D.float64)
def float_power(input, exponent):
    return jnp.power(input, exponent)


@op("square(Tensor input) -> Tensor", method=True, inplace=True, promote=lambda c, a: D.int64 if c is D.bool else c,
    grad="PowBackward0")
def square(input):
    return input * input


# ------------------------------------------------------------------ unary arithmetic


def _check_neg(input):
    if input._dtype is D.bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
            "mask, use the `~` or `logical_not()` operator instead."
        )


@op("neg(Tensor input) -> Tensor", method=True, inplace=True, saves=(), check=_check_neg)
def neg(input):
    return -input


@op("negative(Tensor input) -> Tensor", method=True, inplace=True, saves=(), check=_check_neg, grad="NegBackward0")
def negative(input):
    return -input


@op("positive(Tensor input) -> Tensor", method=True, saves=(), check=lambda x: _check_positive(x), grad="AliasBackward0")
def positive(input):
    return input


def _check_positive(x):
    if x._dtype is D.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")


@op("abs(Tensor input) -> Tensor", method=True, inplace=True)
def abs(input):  # noqa: A001
    if input.dtype == np.bool_:
        return input
    return jnp.abs(input)


@op("absolute(Tensor input) -> Tensor", method=True, inplace=True, grad="AbsBackward0")
def absolute(input):
    return jnp.abs(input) if input.dtype != np.bool_ else input


@op("sign(Tensor input) -> Tensor", method=True, inplace=True, saves=(), check=lambda x: _no_complex(x, "sign"))
def sign(input):
    if input.dtype == np.bool_:
        return input
    return jnp.sign(input)


def _no_complex(x, name):
    if x._dtype.is_complex:
        raise RuntimeError(f"Unlike NumPy, torch.{name} is not intended to support complex numbers. Please use torch.sgn instead.")


@op("sgn(Tensor input) -> Tensor", method=True, inplace=True)
def sgn(input):
    if is_complex(input):
        a = jnp.abs(input)
        return jnp.where(a == 0, 0, input / jnp.where(a == 0, 1, a)).astype(input.dtype)
    return jnp.sign(input) if input.dtype != np.bool_ else input


@op("reciprocal(Tensor input) -> Tensor", method=True, inplace=True, promote="float", saves_result=True)
def reciprocal(input):
    return 1 / input


# ------------------------------------------------------------------ comparisons


def _cmp(name, f, aliases=()):
    @op(f"{name}(Tensor input, Tensor|Scalar other) -> Tensor", method=True, inplace=True, differentiable=False)
    def impl(input, other):
        return f(input, other)

    for a in aliases:
        op(f"{a}(Tensor input, Tensor|Scalar other) -> Tensor", method=True, inplace=True, differentiable=False)(
            lambda input, other: f(input, other)
        )
    return impl


eq = _cmp("eq", jnp.equal)
ne = _cmp("ne", jnp.not_equal, ("not_equal",))
lt = _cmp("lt", jnp.less, ("less",))
le = _cmp("le", jnp.less_equal, ("less_equal",))
gt = _cmp("gt", jnp.greater, ("greater",))
ge = _cmp("ge", jnp.greater_equal, ("greater_equal",))


# ------------------------------------------------------------------ logical / bitwise


def _logical(name, f):
    @op(f"{name}(Tensor input, Tensor other) -> Tensor", method=True, inplace=True, promote="none",
        differentiable=False)
    def impl(input, other):
        return f(input != 0, other != 0)

    return impl


logical_and = _logical("logical_and", jnp.logical_and)
logical_or = _logical("logical_or", jnp.logical_or)
logical_xor = _logical("logical_xor", jnp.logical_xor)


@op("logical_not(Tensor input) -> Tensor", method=True, inplace=True, promote="none", differentiable=False)
def logical_not(input):
    return input == 0


def _check_bitwise(name):
    def check(input, other=None):
        for x in (input, other):
            d = _tensor_dtype(x)
            if d is not None and d._cat > D._INT:
                raise NotImplementedError(f'"{name}_cpu" not implemented for \'{d._scalar_name}\'')

    return check


def _bitwise(name, f):
    @op(f"{name}(Tensor|Scalar input, Tensor|Scalar other) -> Tensor", method=True, inplace=True,
        differentiable=False, check=_check_bitwise(name))
    def impl(input, other):
        return f(input, other)

    return impl


bitwise_and = _bitwise("bitwise_and", jnp.bitwise_and)
bitwise_or = _bitwise("bitwise_or", jnp.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", jnp.bitwise_xor)


def _shift_left(a, b):
    bits = a.dtype.itemsize * 8
    r = jnp.left_shift(a, jnp.clip(b, 0, bits - 1).astype(a.dtype))
    return jnp.where((b >= bits) | (b < 0), jnp.zeros_like(a), r)


def _shift_right(a, b):
    bits = a.dtype.itemsize * 8
    r = jnp.right_shift(a, jnp.clip(b, 0, bits - 1).astype(a.dtype))
    fill = jnp.where(a < 0, -1, 0).astype(a.dtype) if jnp.issubdtype(a.dtype, jnp.signedinteger) else jnp.zeros_like(a)
    return jnp.where((b >= bits) | (b < 0), fill, r)


bitwise_left_shift = _bitwise("bitwise_left_shift", _shift_left)
bitwise_right_shift = _bitwise("bitwise_right_shift", _shift_right)


def _check_not(input):
    if input._dtype._cat > D._INT:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")


@op("bitwise_not(Tensor input) -> Tensor", method=True, inplace=True, differentiable=False,
    check=lambda x: _check_bitwise("bitwise_not")(x))
def bitwise_not(input):
    if input.dtype == np.bool_:
        return jnp.logical_not(input)
    return jnp.bitwise_not(input)


# ------------------------------------------------------------------ Python operators


def _binary(fn, reflect=False):
    def method(self, other):
        if not isinstance(other, (Tensor, builtins.int, builtins.float, builtins.bool, builtins.complex, np.number, np.bool_)):
            return NotImplemented
        if reflect:
            return fn(other, self)
        return fn(self, other)

    return method


def _rsub(self, other):
    if not isinstance(other, (Tensor, builtins.int, builtins.float, builtins.bool, builtins.complex, np.number)):
        return NotImplemented
    return rsub(self, other)


def _rdiv(self, other):
    if not isinstance(other, (Tensor, builtins.int, builtins.float, builtins.bool, builtins.complex, np.number)):
        return NotImplemented
    return mul(reciprocal(self), other)


def _rfloordiv(self, other):
    if not isinstance(other, (Tensor, builtins.int, builtins.float, builtins.bool, np.number)):
        return NotImplemented
    return floor_divide(other, self)


def _rmod(self, other):
    if not isinstance(other, (Tensor, builtins.int, builtins.float, builtins.bool, np.number)):
        return NotImplemented
    return remainder(other, self)


def _rpow(self, other):
    if not isinstance(other, (builtins.int, builtins.float, builtins.bool, builtins.complex, np.number)):
        return NotImplemented
    return R.call(_POW_SCALAR, (other, self))


_OPERATORS = {
    "__add__": _binary(add), "__radd__": _binary(add), "__iadd__": _binary(Tensor.add_),
    "__sub__": _binary(sub), "__rsub__": _rsub, "__isub__": _binary(Tensor.sub_),
    "__mul__": _binary(mul), "__rmul__": _binary(mul), "__imul__": _binary(Tensor.mul_),
    "__truediv__": _binary(div), "__rtruediv__": _rdiv, "__itruediv__": _binary(Tensor.div_),
    "__div__": _binary(div), "__rdiv__": _rdiv, "__idiv__": _binary(Tensor.div_),
    "__floordiv__": _binary(floor_divide), "__rfloordiv__": _rfloordiv, "__ifloordiv__": _binary(Tensor.floor_divide_),
    "__mod__": _binary(remainder), "__rmod__": _rmod, "__imod__": _binary(Tensor.remainder_),
    "__pow__": _binary(lambda a, b: R.call(_POW, (a, b))), "__rpow__": _rpow, "__ipow__": _binary(Tensor.pow_),
    "__and__": _binary(bitwise_and), "__rand__": _binary(bitwise_and), "__iand__": _binary(Tensor.bitwise_and_),
    "__or__": _binary(bitwise_or), "__ror__": _binary(bitwise_or), "__ior__": _binary(Tensor.bitwise_or_),
    "__xor__": _binary(bitwise_xor), "__rxor__": _binary(bitwise_xor), "__ixor__": _binary(Tensor.bitwise_xor_),
    "__lshift__": _binary(bitwise_left_shift), "__rlshift__": _binary(bitwise_left_shift, reflect=True),
    "__ilshift__": _binary(Tensor.bitwise_left_shift_),
    "__rshift__": _binary(bitwise_right_shift), "__rrshift__": _binary(bitwise_right_shift, reflect=True),
    "__irshift__": _binary(Tensor.bitwise_right_shift_),
    "__eq__": _binary(eq), "__ne__": _binary(ne), "__lt__": _binary(lt), "__le__": _binary(le),
    "__gt__": _binary(gt), "__ge__": _binary(ge),
}  # fmt: skip

for _name, _fn in _OPERATORS.items():
    register_method(_name, _fn)


def _invert(self):
    _check_not(self)
    return bitwise_not(self)


register_method("__neg__", lambda self: neg(self))
register_method("__pos__", lambda self: positive(self))
register_method("__abs__", lambda self: abs(self))
register_method("__invert__", _invert)


# ------------------------------------------------------------------ unary float functions


def _unary_float(name, f, *, saves_result=False, saves="all", grad=None):
    """Declare ``name(Tensor input)``: ints and bools promote to the default float dtype."""
    fn = lambda input: f(input)  # noqa: E731
    fn.__name__ = name
    return op(f"{name}(Tensor input) -> Tensor", method=True, inplace=True, promote="float",
              saves_result=saves_result, saves=(() if saves_result else saves), grad=grad)(fn)


exp = _unary_float("exp", jnp.exp, saves_result=True)
exp2 = _unary_float("exp2", jnp.exp2, saves_result=True)
expm1 = _unary_float("expm1", jnp.expm1, saves_result=True)
log = _unary_float("log", jnp.log)
log2 = _unary_float("log2", jnp.log2)
log10 = _unary_float("log10", jnp.log10)
log1p = _unary_float("log1p", jnp.log1p)
sqrt = _unary_float("sqrt", jnp.sqrt, saves_result=True)
rsqrt = _unary_float("rsqrt", lax.rsqrt, saves_result=True)
sin = _unary_float("sin", jnp.sin)
cos = _unary_float("cos", jnp.cos)
tan = _unary_float("tan", jnp.tan, saves_result=True)
tanh = _unary_float("tanh", jnp.tanh, saves_result=True)
sigmoid = _unary_float("sigmoid", jax.nn.sigmoid, saves_result=True)
