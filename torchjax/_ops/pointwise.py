"""Elementwise arithmetic, comparison, logical and bitwise ops, and the Python operators.

Each op is declared once; promotion (torch's, via the registry) happens before the jax
function runs, so the functions below see operands already in the result dtype.
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
from ._registry import register_method
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


def _pyname(v):
    return type(v).__name__


def _not_two_numbers(name, second="other", self_out=False):
    """torch's TypeError when both operands of a Tensor|Number op are Python numbers."""

    def check(input, other, *rest):
        if isinstance(input, Tensor) or isinstance(other, Tensor):
            return
        a, b = _pyname(input), _pyname(other)
        if self_out:
            raise TypeError(
                f"{name}() received an invalid combination of arguments - got ({a}, {b}), but expected one of:\n"
                f" * (Tensor input, Tensor {second}, *, Tensor out = None)\n"
                f" * (Number self, Tensor {second}, *, Tensor out = None)\n"
                f" * (Tensor input, Number {second}, *, Tensor out = None)\n")
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got ({a}, {b}), but expected one of:\n"
            f" * (Tensor input, Tensor {second}, *, Tensor out = None)\n"
            f" * (Number self, Tensor {second})\n"
            f"      didn't match because some of the arguments have invalid types: (!{a}!, !{b}!)\n"
            f" * (Tensor input, Number {second}, *, Tensor out = None)\n")

    return check


def _no_bool_result(kernel):
    """torch's kernels for integer division and remainder have no Bool instantiation."""

    def check(input, other, *rest):
        if (isinstance(input, Tensor) or isinstance(other, Tensor)) and result_of(input, other) is D.bool:
            raise kernel_error(kernel, D.bool)

    return check


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


# ------------------------------------------------------------------ shared helpers (also used by special.py, activation.py)


def op(schema, **kw):
    """``_registry.op`` whose ``check=`` runs only once the Tensor arguments are Tensors (so a
    wrong argument type gets the registry's TypeError, not an error from inside the check)."""
    check = kw.get("check")
    if check is not None:
        _, params, _ = R.parse_schema(schema)
        pos = [i for i, p in enumerate(params) if p.kind in (R.TENSOR, R.OPT_TENSOR)]
        opt = {i for i in pos if params[i].kind == R.OPT_TENSOR}

        def guarded(*args):
            for i in pos:
                if i < len(args) and not (isinstance(args[i], Tensor) or (i in opt and args[i] is None)):
                    return None
            return check(*args)

        kw["check"] = guarded
    return R.op(schema, **kw)



def kernel_error(kernel, dt):
    """torch's error for a dtype its CPU kernel was not compiled for."""
    return NotImplementedError(f'"{kernel}" not implemented for \'{dt._scalar_name}\'')


def result_of(*args):
    """torch.result_type over Tensors and Python numbers (None skipped)."""
    ts = [(a._dtype, len(a._shape)) for a in args if isinstance(a, Tensor)]
    ss = [a for a in args if a is not None and not isinstance(a, Tensor)]
    return D.result_dtype(ts, ss)


def float_result_of(*args):
    """result_of, with ints and bools going to the default float dtype (float ops)."""
    d = result_of(*args)
    return d if d._cat >= D._FLOAT else D.get_default_dtype()


def reject(kernel, *, complex_=True, bool_=False, int_=False, half=False, floating=False, promote=None, scalars=()):
    """A ``check=``: raise torch's NotImplementedError for the dtypes ``kernel`` lacks.

    The dtype checked is the computed one over the Tensor arguments (and the Python numbers at
    positions ``scalars``): ``promote="float"`` sends ints and bools to the default float dtype."""

    def check(*args):
        ops = [a for i, a in enumerate(args) if isinstance(a, Tensor) or (i in scalars and _is_num(a))]
        if not ops:
            return
        dt = (float_result_of if promote == "float" else result_of)(*ops)
        bad = ((complex_ and dt.is_complex) or (bool_ and dt is D.bool) or (int_ and dt._cat == D._INT)
               or (half and dt in (D.float16, D.bfloat16)) or (floating and dt.is_floating_point))
        if bad:
            raise kernel_error(kernel, dt)

    return check


def _is_num(a):
    return isinstance(a, (builtins.int, builtins.float, builtins.bool, builtins.complex, np.number, np.bool_))


def chain_checks(*checks):
    checks = [c for c in checks if c is not None]

    def check(*args):
        for c in checks:
            c(*args)

    return check


def sum_to(g, shape):
    """Reduce a broadcast gradient ``g`` to ``shape``."""
    shape = tuple(shape)
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and g.shape[lead + i] != 1)
    if axes:
        g = jnp.sum(g, axis=axes)
    return g.reshape(shape)


def _inexact(a):
    return a is not None and (jnp.issubdtype(a.dtype, jnp.floating) or jnp.issubdtype(a.dtype, jnp.complexfloating))


def with_grad(fwd, bwd, nondiff=None):
    """``fwd(*arrays)`` with torch's backward formula ``bwd(args, out, g) -> grads`` (None = zero).

    Gradients may be in the broadcast shape; they are reduced to each argument's shape and
    cast to its dtype. ``nondiff``: {arg position: exception factory} for inputs torch cannot
    differentiate: raised when a gradient for that input is requested (at backward time).
    """

    def call(*args):
        # optional (None) arguments are not JAX values: close over them
        present = [i for i, a in enumerate(args) if a is not None]

        def full(vals):
            out = list(args)
            for i, v in zip(present, vals):
                out[i] = v
            return out

        @jax.custom_vjp
        def f(*vals):
            return fwd(*full(vals))

        def f_fwd(*vals):
            if nondiff:
                for i, make in sorted(nondiff.items()):
                    j = present.index(i) if i in present else None
                    if j is not None and vals[j].perturbed:
                        raise make()
                vals = tuple(v.value for v in vals)
            out = fwd(*full(vals))
            return out, (vals, out)

        def f_bwd(res, g):
            vals, out = res
            if type(g).__name__ == "SymbolicZero":
                g = jnp.zeros(g.shape, g.dtype) if hasattr(g, "shape") else jnp.zeros_like(out)
            gs = bwd(full(vals), out, g)
            res_g = []
            for i, v in zip(present, vals):
                gi = gs[i]
                if gi is None or not _inexact(v):
                    res_g.append(None if not _inexact(v) else jnp.zeros(jnp.shape(v), v.dtype))
                else:
                    res_g.append(sum_to(jnp.asarray(gi), jnp.shape(v)).astype(v.dtype))
            return tuple(res_g)

        f.defvjp(f_fwd, f_bwd, symbolic_zeros=bool(nondiff))
        return f(*[args[i] for i in present])

    return call


def _drop_names(*names):
    """Remove torch-namespace in-place functions the registry added but torch does not have."""
    ns = R.namespace("")
    for n in names:
        if hasattr(ns, n):
            delattr(ns, n)


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


@op("rsub(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor", scalar_edge=False, saves=(), check=_check_sub,
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
        _no_bool_result("div_floor_cpu" if rounding_mode == "floor" else "div_trunc_cpu")(input, other)
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
    r = jnp.where(div != 0, floordiv, jnp.copysign(jnp.zeros_like(div), a / b))
    return jnp.where(b == 0, a / b, r)  # division by zero: the IEEE quotient


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
    check=lambda input, other: chain_checks(_no_bool_result("div_floor_cpu"), _check_int_zero_div)(input, other),
    differentiable=False)
def floor_divide(input, other):
    return _div_impl(input, other, "floor")


def _remainder_impl(a, b):
    if is_int(a):
        r = lax.rem(a, b)
        return jnp.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)
    r = jnp.fmod(a, b)
    return jnp.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)


@op("remainder(Tensor|Scalar input, Tensor|Scalar other) -> Tensor", scalar_edge=False, method=True, inplace=True,
    check=lambda input, other: chain_checks(_not_two_numbers("remainder"), _no_bool_result("remainder_cpu"),
                                            _check_int_zero_div)(input, other))
def remainder(input, other):
    return _remainder_impl(input, other)


@op("fmod(Tensor input, Tensor|Scalar other) -> Tensor", scalar_edge=False, method=True, inplace=True,
    check=lambda input, other: chain_checks(_no_bool_result("fmod_cpu"), _check_int_zero_div)(input, other))
def fmod(input, other):
    if is_int(input):
        return lax.rem(input, other)
    return jnp.fmod(input, other)


# ------------------------------------------------------------------ pow


def _check_pow(input, exponent):
    if isinstance(exponent, Tensor) and result_of(input, exponent) is D.bool:
        # (a Python exponent takes torch's 0 / 1 shortcuts, which exist for Bool)
        raise kernel_error("pow", D.bool)
    if _is_intlike(input) and not isinstance(exponent, Tensor):
        if isinstance(exponent, builtins.int) and not isinstance(exponent, builtins.bool) and exponent < 0:
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
    if jnp.issubdtype(b.dtype, jnp.signedinteger):
        # negative exponents (tensor exponents only; a Python exponent is refused): 1, +-1 or 0
        one = jnp.ones_like(res)
        neg = jnp.where(a == 1, one, jnp.where(a == -1, jnp.where((-b) % 2 == 1, -one, one), jnp.zeros_like(res)))
        res = jnp.where(b < 0, neg, res)
    return res


@op("pow(Tensor input, Tensor|Scalar exponent) -> Tensor", scalar_edge=False, method=True, inplace=True, check=_check_pow,
    grad="PowBackward0")
def pow(input, exponent):  # noqa: A001
    return _pow_impl(input, exponent)


@op("pow_scalar(Scalar self, Tensor exponent) -> Tensor", function=False, grad="PowBackward2",
    check=lambda self, exponent: _check_pow(self, exponent))
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
    promote=lambda c, args: D.complex128 if c.is_complex else D.float64,
    check=_not_two_numbers("float_power", "exponent", self_out=True))
def float_power(input, exponent):
    return jnp.power(input, exponent)


_FLOAT_POWER_ = Tensor.float_power_


def _float_power_(self, exponent):
    """Tensor.float_power_: the base must already have the result's dtype (double or cdouble)."""
    cplx = self._dtype.is_complex or (isinstance(exponent, Tensor) and exponent._dtype.is_complex) or \
        isinstance(exponent, builtins.complex)
    need = D.complex128 if cplx else D.float64
    if self._dtype is not need:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {self._dtype._scalar_name} but the operation's result "
            f"requires dtype {need._scalar_name}")
    return _FLOAT_POWER_(self, exponent)


R.override_method("float_power_", _float_power_)


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


def _abs_impl(x):
    if x.dtype == np.bool_:
        return x
    if is_float(x):
        # torch: d|x|/dx = sgn(x), 0 at 0 (JAX's abs has 1 there)
        return with_grad(jnp.abs, lambda a, out, g: (g * jnp.sign(a[0]),))(x)
    return jnp.abs(x)


@op("abs(Tensor input) -> Tensor", method=True, inplace=True, check=reject("abs_cpu", complex_=False, bool_=True))
def abs(input):  # noqa: A001
    return _abs_impl(input)


@op("absolute(Tensor input) -> Tensor", method=True, inplace=True, grad="AbsBackward0",
    check=reject("abs_cpu", complex_=False, bool_=True))
def absolute(input):
    return _abs_impl(input)


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


def _bitwise(name, f, extra_check=None):
    @op(f"{name}(Tensor|Scalar input, Tensor|Scalar other) -> Tensor", method=True, inplace=True,
        differentiable=False, check=chain_checks(_not_two_numbers(name), _check_bitwise(name), extra_check))
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


bitwise_left_shift = _bitwise("bitwise_left_shift", _shift_left, _no_bool_result("lshift_cpu"))
bitwise_right_shift = _bitwise("bitwise_right_shift", _shift_right, _no_bool_result("rshift_cpu"))


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
    if not isinstance(self, Tensor) or not isinstance(
            other, (Tensor, builtins.int, builtins.float, builtins.bool, builtins.complex, np.number)):
        return NotImplemented
    return rsub(self, other)


def _rdiv(self, other):
    if not isinstance(self, Tensor):
        # torch's __rdiv__ is ``self.reciprocal() * other``
        raise AttributeError(f"'{type(self).__name__}' object has no attribute 'reciprocal'")
    if not isinstance(other, (Tensor, builtins.int, builtins.float, builtins.bool, builtins.complex, np.number)):
        return NotImplemented
    return mul(reciprocal(self), other)


def _rfloordiv(self, other):
    if not isinstance(self, Tensor) or not isinstance(other, (Tensor, builtins.int, builtins.float, builtins.bool,
                                                               np.number)):
        return NotImplemented
    return floor_divide(other, self)


def _rmod(self, other):
    if not isinstance(self, Tensor) or not isinstance(other, (Tensor, builtins.int, builtins.float, builtins.bool,
                                                               np.number)):
        return NotImplemented
    return remainder(other, self)


def _rpow(self, other):
    if not isinstance(self, Tensor):
        return NotImplemented
    if isinstance(other, Tensor):
        return R.call(_POW, (other, self))
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


def _unary_float(name, f, *, saves_result=False, saves="all", grad=None, check=None, namespace="", method=True,
                 inplace=True):
    """Declare ``name(Tensor input)``: ints and bools promote to the default float dtype."""
    fn = lambda input: f(input)  # noqa: E731
    fn.__name__ = name
    return op(f"{name}(Tensor input) -> Tensor", method=method, inplace=inplace, promote="float",
              saves_result=saves_result, saves=(() if saves_result else saves), grad=grad, check=check,
              namespace=namespace)(fn)


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


# ------------------------------------------------------------------ overloads


def overload(name, ops, pick, *, method=True, inplace=False, function=True, ns="", method_name=None):
    """Install ``torch.<name>`` (and ``Tensor.<name>``, ``Tensor.<name>_``) choosing among
    several declared ops (one per torch overload, each with its own grad_fn name) by
    ``pick(args, kwargs) -> index``. The ops are declared with ``function=False``."""
    ops = [o.op if hasattr(o, "op") else o for o in ops]
    for o in ops:
        o.short = name
    mname = method_name or name
    fimpls = [R._gen_wrapper(o, name, R._target_op, with_out=o.out) for o in ops]
    mimpls = [R._gen_wrapper(o, mname, R._target_op, self_name="self") for o in ops]
    iimpls = [R._gen_wrapper(o, mname + "_", R._target_op, self_name="self", inplace=True) for o in ops]

    def make(impls, fname):
        def f(*args, **kwargs):
            return impls[pick(args, kwargs)](*args, **kwargs)

        f.__name__ = f.__qualname__ = fname
        f.__doc__ = impls[0].__doc__
        return f

    f = make(fimpls, name)
    if function:
        R.register_function(name, f, ns)
    if method:
        register_method(mname, make(mimpls, mname))
    if inplace:
        m_ = make(iimpls, mname + "_")
        register_method(mname + "_", m_)
        if function and ns == "":
            R.register_function(name + "_", R._make_inplace_function(m_, name + "_"), ns)
    return f


def _arg(args, kwargs, i, name, default=None):
    if len(args) > i:
        return args[i]
    return kwargs.get(name, default)


def _declared(schema, **kw):
    """Declare an overload op (no public function / method of its own)."""
    kw.setdefault("function", False)
    kw.setdefault("out", True)

    def deco(fn):
        op(schema, **kw)(fn)
        return fn.op

    return deco


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


@op("deg2rad(Tensor input) -> Tensor", method=True, inplace=True, promote="float", check=_deg2rad_check("deg2rad"),
    saves=(), grad="Deg2RadBackward0")
def deg2rad(input):
    return input * np.asarray(np.pi / 180, input.dtype)


@op("rad2deg(Tensor input) -> Tensor", method=True, inplace=True, promote="float", check=_deg2rad_check("rad2deg"),
    saves=(), grad="Rad2DegBackward0")
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
    return _unary_float(name, f, check=reject(kernel or f"{name}_vml_cpu", half=half, promote="float"), **kw)


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
            return (i + 1, jnp.where(act, a2, a), jnp.where(act, b2, b), jnp.where(act, s2, s), done | fin)

        zero = jnp.zeros_like(x)
        _, a, b, s, done = lax.while_loop(
            cond, body, (jnp.asarray(0.0, dt), q, zero, s0, jnp.zeros(x.shape, bool)))
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
    return with_grad(wide(lambda v: _sp().gammaln(v)), lambda a, out, g: (g * digamma_impl(a[0]),))(x)


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


@_declared("polygamma_(Tensor self, int n) -> Tensor", promote="float", grad="PolygammaBackward0",
           check=lambda self, n: _check_polygamma(n, self))
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


@op("mvlgamma(Tensor input, int p) -> Tensor", method=True, inplace=True, promote="float", check=_check_mvlgamma)
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


@op("logit(Tensor input, float? eps=None) -> Tensor", method=True, inplace=True, promote="float",
    check=lambda input, eps=None: reject("logit_cpu", promote="float")(input))
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
    return op(f"{fname}(Tensor input) -> Tensor", method=True, inplace=True, promote="none", saves=(),
              check=_round_check(name, f"{name} is not supported for complex inputs"), grad=grad)(impl)


floor = _rounding("floor", jnp.floor)
ceil = _rounding("ceil", jnp.ceil)
trunc = _rounding("trunc", jnp.trunc)
fix = _rounding("trunc", jnp.trunc, grad="TruncBackward0", fn_name="fix")


@_declared("round(Tensor input) -> Tensor", method=False, inplace=False, promote="none", saves=(),
           check=_round_check("round"))
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


@_declared("round(Tensor input, *, int decimals) -> Tensor", promote="none", saves=(), check=_check_round_dec,
           grad="RoundBackward1")
def _round_dec(input, decimals):
    return round_decimals_impl(input, decimals)


round = overload("round", [_round0, _round_dec], lambda a, k: 1 if "decimals" in k else 0, inplace=True)  # noqa: A001


def _check_frac(x):
    if not x._dtype.is_floating_point:
        raise kernel_error("frac_cpu", x._dtype)


@op("frac(Tensor input) -> Tensor", method=True, inplace=True, promote="none", saves=(), check=_check_frac)
def frac(input):
    return input - jnp.trunc(input)


# ------------------------------------------------------------------ clamp


def _clamp_check(name):
    def check(input, min=None, max=None):  # noqa: A002
        if input._dtype.is_complex:
            raise NotImplementedError(f"{name} is not supported for complex types")

    return check


def _clamp_none(min, max):  # noqa: A002
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")


def _clamp_values(x, lo, hi):
    if lo is not None:
        x = jnp.maximum(x, lo.astype(x.dtype))
    if hi is not None:
        x = jnp.minimum(x, hi.astype(x.dtype))
    return x


def _clamp_scalar_fn(x, lo, hi):
    def bwd(a, out, g):
        v = a[0]
        m = jnp.ones(v.shape, bool)
        if lo is not None:
            m = m & (v >= lo)
        if hi is not None:
            m = m & (v <= hi)
        return (jnp.where(m, g, jnp.zeros_like(g)), None, None)

    if not is_float(x):
        return _clamp_values(x, lo, hi)
    return with_grad(_clamp_values, bwd)(x, lo, hi)


def _clamp_tensor_fn(x, lo, hi):
    def bwd(a, out, g):
        v, lo_, hi_ = a
        z = jnp.zeros_like(g)
        if lo_ is not None and hi_ is not None:
            gx = jnp.where((v >= lo_) & (v <= hi_), g, z)
            glo = jnp.where((v < lo_) & (lo_ < hi_), g, z)
            ghi = jnp.where((v > hi_) | (hi_ < lo_), g, z)
            return (gx, glo, ghi)
        if lo_ is not None:
            return (jnp.where(v >= lo_, g, z), jnp.where(v < lo_, g, z), None)
        return (jnp.where(v <= hi_, g, z), None, jnp.where(v > hi_, g, z))

    if not is_float(x):
        return _clamp_values(x, lo, hi)
    return with_grad(_clamp_values, bwd)(x, lo, hi)


def _mk_clamp(name):
    @_declared(f"{name}(Tensor input, Scalar? min=None, Scalar? max=None) -> Tensor", grad="ClampBackward1",
               check=lambda input, min=None, max=None: (_clamp_none(min, max), _clamp_check("clamp")(input)))
    def scalar(input, min=None, max=None):  # noqa: A002
        return _clamp_scalar_fn(input, min, max)

    @_declared(f"{name}(Tensor input, Tensor? min=None, Tensor? max=None) -> Tensor", grad="ClampBackward0",
               check=lambda input, min=None, max=None: (_clamp_none(min, max), _clamp_check("clamp")(input)))
    def tensor(input, min=None, max=None):  # noqa: A002
        return _clamp_tensor_fn(input, min, max)

    def pick(args, kwargs):
        lo = _arg(args, kwargs, 1, "min")
        hi = _arg(args, kwargs, 2, "max")
        bounds = [b for b in (lo, hi) if b is not None]
        if bounds and all(isinstance(b, Tensor) for b in bounds):
            return 1
        for b in bounds:
            if isinstance(b, Tensor) and b.dim() != 0:
                raise TypeError(
                    f"{name}() received an invalid combination of arguments - got (min={type(lo).__name__}, "
                    f"max={type(hi).__name__}), but expected one of:\n * (Tensor min = None, Tensor max = None)\n"
                    " * (Number min = None, Number max = None)\n"
                )
        return 0

    return overload(name, [scalar, tensor], pick, inplace=True)


clamp = _mk_clamp("clamp")
clip = _mk_clamp("clip")


def _mk_clamp_side(name, side):
    cmp_keep = (lambda v, b: v >= b) if side == "min" else (lambda v, b: v <= b)
    apply = jnp.maximum if side == "min" else jnp.minimum
    base = "ClampMin" if side == "min" else "ClampMax"

    def values(x, b):
        return apply(x, b.astype(x.dtype))

    @_declared(f"{name}(Tensor input, Scalar {side}) -> Tensor", grad=f"{base}Backward0",
               check=lambda input, b: _clamp_check("clamp")(input))
    def scalar(input, b):
        if not is_float(input):
            return values(input, b)
        return with_grad(values, lambda a, out, g: (jnp.where(cmp_keep(a[0], a[1]), g, jnp.zeros_like(g)), None))(
            input, b)

    @_declared(f"{name}(Tensor input, Tensor {side}) -> Tensor", grad=f"{base}Backward1",
               check=lambda input, b: _clamp_check("clamp")(input))
    def tensor(input, b):
        if not is_float(input):
            return values(input, b)

        def bwd(a, out, g):
            keep = cmp_keep(a[0], a[1])
            z = jnp.zeros_like(g)
            return (jnp.where(keep, g, z), jnp.where(keep, z, g))

        return with_grad(values, bwd)(input, b)

    return overload(name, [scalar, tensor], lambda a, k: 1 if isinstance(_arg(a, k, 1, side), Tensor)
                    and _arg(a, k, 1, side).dim() > 0 or isinstance(_arg(a, k, 1, side), Tensor) else 0, inplace=True)


clamp_min = _mk_clamp_side("clamp_min", "min")
clamp_max = _mk_clamp_side("clamp_max", "max")


# ------------------------------------------------------------------ lerp / addcmul / addcdiv / where


def _check_lerp(input, end, weight):
    for nm, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and (nm == "end" or t.dim() > 0) and t._dtype is not input._dtype:
            raise RuntimeError(
                f"expected dtype {input._dtype._scalar_name.lower()} for `{nm}` but got dtype "
                f"{t._dtype._scalar_name.lower()}"
            )
    if not (input._dtype.is_floating_point or input._dtype.is_complex):
        raise kernel_error("lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar", input._dtype)


def lerp_impl(a, b, w):
    w = w.astype(a.dtype)
    small = jnp.abs(w) < 0.5
    return jnp.where(small, a + w * (b - a), b - (b - a) * (1 - w))


@_declared("lerp(Tensor input, Tensor end, Scalar weight) -> Tensor", promote="none", check=_check_lerp,
           grad="LerpBackward0")
def _lerp_s(input, end, weight):
    return lerp_impl(input, end, weight)


@_declared("lerp(Tensor input, Tensor end, Tensor weight) -> Tensor", promote="none", check=_check_lerp,
           grad="LerpBackward1")
def _lerp_t(input, end, weight):
    return lerp_impl(input, end, weight)


lerp = overload("lerp", [_lerp_s, _lerp_t], lambda a, k: 1 if isinstance(_arg(a, k, 2, "weight"), Tensor) else 0,
                inplace=True)
_drop_names("lerp_")


@op("addcmul(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor", method=True, inplace=True)
def addcmul(input, tensor1, tensor2, value):
    if input.dtype == np.bool_:
        return input | (value & tensor1 & tensor2)
    return input + value * tensor1 * tensor2


def _check_addcdiv(input, tensor1, tensor2, value=1):
    if isinstance(tensor1, Tensor) and isinstance(tensor2, Tensor) and tensor1._dtype._cat <= D._INT and \
            tensor2._dtype._cat <= D._INT:
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform "
            "a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as "
            "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
            "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter "
            "implementation: (input + value * tensor1 / tensor2), for all dtypes."
        )


@op("addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor", method=True, inplace=True,
    check=_check_addcdiv)
def addcdiv(input, tensor1, tensor2, value):
    return input + value * tensor1 / tensor2


_drop_names("addcmul_", "addcdiv_")


def _where_promote(compute, args):
    return compute


def _check_where(condition, input, other):
    if not isinstance(condition, Tensor):
        raise TypeError(
            f"where(): argument 'condition' (position 1) must be Tensor, not {type(condition).__name__}")
    if condition._dtype is D.uint8:
        warnings.warn(
            "where received a uint8 condition tensor. This behavior is deprecated and will be removed in a future "
            "version of PyTorch. Use a boolean condition instead.", UserWarning, stacklevel=4)
    elif condition._dtype is not D.bool:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition._dtype._scalar_name}")


@_declared("where(Tensor condition, Tensor|Scalar input, Tensor|Scalar other) -> Tensor", promote=("input", "other"),
           check=_check_where, saves=("condition",), no_edge=("condition",))
def _where3(condition, input, other):
    return jnp.where(condition.astype(bool), input, other)


def where(condition, input=None, other=None, *, out=None):
    """torch.where(condition, input, other) / torch.where(condition) (= nonzero(as_tuple=True))."""
    if input is None and other is None:
        if out is not None:
            raise TypeError("where() got an unexpected keyword argument 'out'")
        from . import api

        return api.nonzero(condition, as_tuple=True)
    if input is None or other is None:
        raise TypeError("where() missing required argument")
    return R.call(_where3, (condition, input, other), out)


R.namespace("").where = where
register_method("where", lambda self, condition, other: R.call(_where3, (condition, self, other)))


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


@op("maximum(Tensor input, Tensor other) -> Tensor", method=True, check=_check_complex_minmax("maximum"))
def maximum(input, other):
    if input.dtype == np.bool_:
        return input | other
    if not is_float(input):
        return jnp.maximum(input, other)
    return with_grad(jnp.maximum, _max_bwd(True))(input, other)


@op("minimum(Tensor input, Tensor other) -> Tensor", method=True, check=_check_complex_minmax("minimum"))
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


@op("hypot(Tensor input, Tensor other) -> Tensor", method=True, inplace=True,
    check=reject("hypot_cpu", bool_=True, int_=True))
def hypot(input, other):
    return _hypot(input, other)


def _atan2(a, b):
    def bwd(args, out, g):
        x, y = args
        r = x * x + y * y
        recip = jnp.where(r == 0, jnp.zeros_like(r), 1 / jnp.where(r == 0, jnp.ones_like(r), r))
        return (g * y * recip, g * -x * recip)

    return with_grad(jnp.arctan2, bwd)(a, b)


atan2 = op("atan2(Tensor input, Tensor other) -> Tensor", method=True, inplace=True, promote="float",
           check=reject("atan2_cpu", promote="float"))(lambda input, other: _atan2(input, other))
arctan2 = op("arctan2(Tensor input, Tensor other) -> Tensor", method=True, inplace=True, promote="float",
             check=reject("atan2_cpu", promote="float"), grad="Atan2Backward0")(lambda input, other: _atan2(input, other))
_drop_names("atan2_", "arctan2_", "hypot_")


def _copysign(x, y):
    def bwd(args, out, g):
        a = args[0]
        ratio = jnp.where(a == 0, jnp.zeros_like(out), out / jnp.where(a == 0, jnp.ones_like(a), a))
        return (g * ratio, None)

    return with_grad(lambda a, b: jnp.copysign(a, b.astype(a.dtype)), bwd)(x, y)


@_declared("copysign(Tensor input, Tensor other) -> Tensor", promote="float",
           check=reject("copysign_cpu", promote="float"), grad="CopysignBackward0")
def _copysign_t(input, other):
    return _copysign(input, other)


@_declared("copysign(Tensor input, Scalar other) -> Tensor", promote="float",
           check=reject("copysign_cpu", promote="float", scalars=(1,)), grad="CopysignBackward1")
def _copysign_s(input, other):
    return _copysign(input, other)


copysign = overload("copysign", [_copysign_t, _copysign_s],
                    lambda a, k: 0 if isinstance(_arg(a, k, 1, "other"), Tensor) else 1, inplace=True)
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


def binary_overloads(name, impl, grads, kernel, *, ns="", inplace=False, method=True, self_name="input",
                     other_name="other", fn_name=None, half=False):
    """Tensor/Tensor, Tensor/Scalar and Scalar/Tensor overloads of a float binary function."""
    g0, g_other_scalar, g_self_scalar = grads
    chk = reject(kernel, promote="float", scalars=(0, 1), half=half)
    ops = [
        _declared(f"{name}(Tensor {self_name}, Tensor {other_name}) -> Tensor", promote="float", check=chk,
                  grad=g0)(lambda a, b: impl(a, b)),
        _declared(f"{name}(Tensor {self_name}, Scalar {other_name}) -> Tensor", promote="float", check=chk,
                  grad=g_other_scalar)(lambda a, b: impl(a, b, masked=False)),
        _declared(f"{name}(Scalar {self_name}, Tensor {other_name}) -> Tensor", promote="float", check=chk,
                  grad=g_self_scalar)(lambda a, b: impl(a, b)),
    ]

    def pick(args, kwargs):
        a = _arg(args, kwargs, 0, self_name)
        b = _arg(args, kwargs, 1, other_name)
        if isinstance(a, Tensor):
            return 0 if isinstance(b, Tensor) else 1
        return 2

    return overload(fn_name or name, ops, pick, inplace=inplace, method=method, ns=ns)


xlogy = binary_overloads("xlogy", xlogy_impl, ("XlogyBackward0", "XlogyBackward2", "XlogyBackward1"), "xlogy_cpu",
                         inplace=True)


def _check_heaviside(input, values):
    if input._dtype.is_complex or values._dtype.is_complex:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if input._dtype is not values._dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")


def _heaviside_err():
    return RuntimeError("derivative for aten::heaviside is not implemented")


@op("heaviside(Tensor input, Tensor values) -> Tensor", method=True, inplace=True, check=_check_heaviside,
    grad="NotImplemented")
def heaviside(input, values):
    def fwd(x, v):
        return jnp.where(x == 0, v, (x > 0).astype(x.dtype))

    if not is_float(input):
        return fwd(input, values)
    return with_grad(fwd, lambda a, out, g: (None, None), nondiff={0: _heaviside_err, 1: _heaviside_err})(
        input, values)


_drop_names("heaviside_")


def _logaddexp(x, y):
    m = jnp.maximum(x, y)
    same_inf = jnp.isinf(x) & (x == y)
    r = m + jnp.log1p(jnp.exp(-jnp.abs(x - y)))
    return jnp.where(same_inf, x, r)


def _logaddexp_grad(a, out, g):
    x, y = a
    return (g / (1 + jnp.exp(y - x)), g / (1 + jnp.exp(x - y)))


@op("logaddexp(Tensor input, Tensor other) -> Tensor", method=True,
    check=reject("logaddexp_cpu", complex_=False, bool_=True, int_=True))
def logaddexp(input, other):
    if is_complex(input):
        return jnp.log(jnp.exp(input) + jnp.exp(other))
    return with_grad(_logaddexp, _logaddexp_grad)(input, other)


def _logaddexp2(x, y):
    m = jnp.maximum(x, y)
    same_inf = jnp.isinf(x) & (x == y)
    r = m + jnp.log1p(jnp.exp2(-jnp.abs(x - y))) / np.asarray(np.log(2), x.dtype)
    return jnp.where(same_inf, x, r)


@op("logaddexp2(Tensor input, Tensor other) -> Tensor", method=True,
    check=reject("logaddexp2_cpu", bool_=True, int_=True))
def logaddexp2(input, other):
    return with_grad(_logaddexp2, lambda a, out, g: (g / (1 + jnp.exp2(a[1] - a[0])),
                                                     g / (1 + jnp.exp2(a[0] - a[1]))))(input, other)


@op("nextafter(Tensor input, Tensor other) -> Tensor", method=True, inplace=True,
    check=reject("nextafter_cpu", bool_=True, int_=True))
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
    mant = lax.bitcast_convert_type(sign | (np.asarray(bias - 1, udt) << np.asarray(mbits, udt)) | frac_n, x.dtype)
    zero = (ebits == 0) & (frac == 0)
    special = ~jnp.isfinite(x)
    mant = jnp.where(zero | special, x, mant)
    exp = jnp.where(zero | special, 0, exp).astype(np.int32)
    return mant, exp


@op("frexp(Tensor input) -> (Tensor mantissa, Tensor exponent)", method=True, promote="none", check=_check_frexp)
def frexp(input):
    e = jax.lax.stop_gradient(_frexp_bits(input)[1])
    # torch: d mantissa / d input = 2^-exponent
    m = with_grad(lambda x: _frexp_bits(x)[0], lambda a, out, g: (g / jnp.exp2(e.astype(g.dtype)),))(input)
    return m, e


@op("gcd(Tensor input, Tensor other) -> Tensor", method=True, inplace=True, differentiable=False,
    check=reject("gcd_cpu", bool_=True, floating=True))
def gcd(input, other):
    return jnp.gcd(input, other)


@op("lcm(Tensor input, Tensor other) -> Tensor", method=True, inplace=True, differentiable=False,
    check=reject("lcm_cpu", bool_=True, floating=True))
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


@op("igamma(Tensor input, Tensor other) -> Tensor", method=True, inplace=True,
    check=reject("igamma_cpu", bool_=True, int_=True))
def igamma(input, other):
    return igamma_impl(input, other)


@op("igammac(Tensor input, Tensor other) -> Tensor", method=True, inplace=True,
    check=reject("igammac_cpu", bool_=True, int_=True))
def igammac(input, other):
    return igamma_impl(input, other, upper=True)


_drop_names("igamma_", "igammac_")


# ------------------------------------------------------------------ classification (bool results)


@op("isnan(Tensor input) -> Tensor", method=True, promote="none", differentiable=False)
def isnan(input):
    return jnp.isnan(input) if (is_float(input) or is_complex(input)) else jnp.zeros(input.shape, bool)


@op("isinf(Tensor input) -> Tensor", method=True, promote="none", differentiable=False)
def isinf(input):
    return jnp.isinf(input) if (is_float(input) or is_complex(input)) else jnp.zeros(input.shape, bool)


@op("isfinite(Tensor input) -> Tensor", method=True, promote="none", differentiable=False)
def isfinite(input):
    return jnp.isfinite(input) if (is_float(input) or is_complex(input)) else jnp.ones(input.shape, bool)


def _no_complex_inf(name):
    def check(x):
        if x._dtype.is_complex:
            raise RuntimeError(f"{name} does not support complex inputs.")

    return check


@op("isposinf(Tensor input) -> Tensor", method=True, promote="none", differentiable=False,
    check=_no_complex_inf("isposinf"))
def isposinf(input):
    return jnp.isposinf(input) if is_float(input) else jnp.zeros(input.shape, bool)


@op("isneginf(Tensor input) -> Tensor", method=True, promote="none", differentiable=False,
    check=_no_complex_inf("isneginf"))
def isneginf(input):
    return jnp.isneginf(input) if is_float(input) else jnp.zeros(input.shape, bool)


@op("isreal(Tensor input) -> Tensor", method=True, promote="none", differentiable=False)
def isreal(input):
    return jnp.imag(input) == 0 if is_complex(input) else jnp.ones(input.shape, bool)


def _check_signbit(x):
    if x._dtype.is_complex:
        raise NotImplementedError("signbit is not implemented for complex tensors.")


@op("signbit(Tensor input) -> Tensor", method=True, promote="none", differentiable=False, check=_check_signbit)
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


@op("isclose(Tensor input, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> Tensor",
    method=True, promote="none", differentiable=False, check=_isclose_check)
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
        allowed = (np.asarray(atol, ft) + jnp.abs(np.asarray(rtol, ft) * b.astype(ft)))
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
    return jnp.where(jnp.isnan(x), nanv, jnp.where(jnp.isposinf(x), pv, jnp.where(jnp.isneginf(x), nv, x)))


@op("nan_to_num(Tensor input, float? nan=0.0, float? posinf=None, float? neginf=None) -> Tensor", method=True,
    inplace=True, promote="none")
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


@_declared("conj(Tensor input) -> Tensor", promote="none", saves=(), grad="ConjBackward0", out=False)
def _conj_complex(input):
    return jnp.conj(input)


def conj(input):
    """torch.conj: the tensor itself for non-complex tensors; a conjugated tensor otherwise.

    torch returns a lazily conjugated view (``is_conj()``); torchjax materialises the values."""
    if not isinstance(input, Tensor):
        raise TypeError(f"conj(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
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
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
        return input

    f.__name__ = name
    return f


def _false_pred(name):
    def f(input):
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
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
            f"Expected both inputs to be Half, Float or Double tensors but got {da._scalar_name} and {db._scalar_name}")
    if da is not db:
        raise RuntimeError(
            f"Expected object of scalar type {da._scalar_name} but got scalar type {db._scalar_name} for second argument")


@op("complex(Tensor real, Tensor imag) -> Tensor", promote="none", check=_check_complex_parts, saves=())
def complex(real, imag):  # noqa: A001
    if real.dtype == np.float16:
        raise kernel_error("complex_cpu", D.float16)
    return jax.lax.complex(real, imag)


@op("polar(Tensor abs, Tensor angle) -> Tensor", promote="none", check=_check_complex_parts)
def polar(abs, angle):  # noqa: A002
    if abs.dtype == np.float16:
        raise kernel_error("polar_cpu", D.float16)
    return jax.lax.complex(abs * jnp.cos(angle), abs * jnp.sin(angle))


# torch has no torch.X_ for these (only Tensor.X_)
_drop_names("erfinv_", "lgamma_", "digamma_", "mvlgamma_")

# torch has only the Tensor methods (Tensor.add_ ...) for these in-place variants, no torch.X_
_drop_names(
    "absolute_", "add_", "bitwise_and_", "bitwise_left_shift_", "bitwise_not_", "bitwise_or_", "bitwise_right_shift_",
    "bitwise_xor_", "div_", "divide_", "eq_", "float_power_", "floor_divide_", "fmod_", "ge_", "greater_",
    "greater_equal_", "gt_", "le_", "less_", "less_equal_", "logical_and_", "logical_not_", "logical_or_",
    "logical_xor_", "lt_", "mul_", "multiply_", "ne_", "not_equal_", "pow_", "remainder_", "sgn_", "sign_", "sub_",
    "subtract_", "true_divide_",
)
