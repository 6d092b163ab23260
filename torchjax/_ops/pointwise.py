"""Elementwise arithmetic, comparison, logical and bitwise ops, and the Python operators
(torch's BinaryOps / UnaryOps arithmetic kernels and Tensor.__add__ ...), plus the helpers the
other pointwise modules share (``op``, ``reject``, ``with_grad``, ``overload``, ``_declared`` ...).

Each op is declared once; promotion (torch's, via the registry) happens before the jax
function runs, so the functions below see operands already in the result dtype. Unary float
functions are in ``unary_ops.py``, binary float functions in ``binary_ops.py``, clamp / lerp /
addcmul / addcdiv / where in ``ternary_ops.py``.
"""

from __future__ import annotations

import builtins

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
        if (
            isinstance(alpha, builtins.float)
            or isinstance(alpha, Tensor)
            and alpha.is_floating_point()
        ):
            raise RuntimeError(
                "For integral input tensors, argument alpha must not be a floating point number."
            )
    if not (a.is_complex or b.is_complex) and isinstance(alpha, builtins.complex):
        raise RuntimeError(
            "For non-complex input tensors, argument alpha must not be a complex number."
        )
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
                f" * (Tensor input, Number {second}, *, Tensor out = None)\n"
            )
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got ({a}, {b}), but expected one of:\n"
            f" * (Tensor input, Tensor {second}, *, Tensor out = None)\n"
            f" * (Number self, Tensor {second})\n"
            f"      didn't match because some of the arguments have invalid types: (!{a}!, !{b}!)\n"
            f" * (Tensor input, Number {second}, *, Tensor out = None)\n"
        )

    return check


def _no_bool_result(kernel):
    """torch's kernels for integer division and remainder have no Bool instantiation."""

    def check(input, other, *rest):
        if (isinstance(input, Tensor) or isinstance(other, Tensor)) and result_of(
            input, other
        ) is D.bool:
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
                if i < len(args) and not (
                    isinstance(args[i], Tensor) or (i in opt and args[i] is None)
                ):
                    return None
            return check(*args)

        kw["check"] = guarded
    return R.op(schema, **kw)


def kernel_error(kernel, dt):
    """torch's error for a dtype its CPU kernel was not compiled for."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{dt._scalar_name}'")


def result_of(*args):
    """torch.result_type over Tensors and Python numbers (None skipped)."""
    ts = [(a._dtype, len(a._shape)) for a in args if isinstance(a, Tensor)]
    ss = [a for a in args if a is not None and not isinstance(a, Tensor)]
    return D.result_dtype(ts, ss)


def float_result_of(*args):
    """result_of, with ints and bools going to the default float dtype (float ops)."""
    d = result_of(*args)
    return d if d._cat >= D._FLOAT else D.get_default_dtype()


def reject(
    kernel,
    *,
    complex_=True,
    bool_=False,
    int_=False,
    half=False,
    floating=False,
    promote=None,
    scalars=(),
):
    """A ``check=``: raise torch's NotImplementedError for the dtypes ``kernel`` lacks.

    The dtype checked is the computed one over the Tensor arguments (and the Python numbers at
    positions ``scalars``): ``promote="float"`` sends ints and bools to the default float dtype."""

    def check(*args):
        ops = [
            a for i, a in enumerate(args) if isinstance(a, Tensor) or (i in scalars and _is_num(a))
        ]
        if not ops:
            return
        dt = (float_result_of if promote == "float" else result_of)(*ops)
        bad = (
            (complex_ and dt.is_complex)
            or (bool_ and dt is D.bool)
            or (int_ and dt._cat == D._INT)
            or (half and dt in (D.float16, D.bfloat16))
            or (floating and dt.is_floating_point)
        )
        if bad:
            raise kernel_error(kernel, dt)

    return check


def _is_num(a):
    return isinstance(
        a, (builtins.int, builtins.float, builtins.bool, builtins.complex, np.number, np.bool_)
    )


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
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and g.shape[lead + i] != 1
    )
    if axes:
        g = jnp.sum(g, axis=axes)
    return g.reshape(shape)


def _inexact(a):
    return a is not None and (
        jnp.issubdtype(a.dtype, jnp.floating) or jnp.issubdtype(a.dtype, jnp.complexfloating)
    )


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


# ------------------------------------------------------------------ overloads


def overload(
    name, ops, pick, *, method=True, inplace=False, function=True, ns="", method_name=None
):
    """Install ``torch.<name>`` (and ``Tensor.<name>``, ``Tensor.<name>_``) choosing among
    several declared ops (one per torch overload, each with its own grad_fn name) by
    ``pick(args, kwargs) -> index``. The ops are declared with ``function=False``."""
    ops = [o.op if hasattr(o, "op") else o for o in ops]
    for o in ops:
        o.short = name
    mname = method_name or name
    fimpls = [R._gen_wrapper(o, name, R._target_op, with_out=o.out) for o in ops]
    mimpls = [R._gen_wrapper(o, mname, R._target_op, self_name="self") for o in ops]
    iimpls = [
        R._gen_wrapper(o, mname + "_", R._target_op, self_name="self", inplace=True) for o in ops
    ]

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


# ------------------------------------------------------------------ add / sub / mul / div


@op(
    "add(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor",
    method=True,
    inplace=True,
    saves=(),
    check=_check_alpha,
)
def add(input, other, alpha):
    if input.dtype == np.bool_:
        return jnp.logical_or(input, jnp.logical_and(other, alpha))
    return input + other * alpha


@op(
    "sub(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor",
    method=True,
    inplace=True,
    saves=(),
    check=_check_sub,
)
def sub(input, other, alpha):
    return input - other * alpha


@op(
    "subtract(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor",
    method=True,
    inplace=True,
    saves=(),
    check=_check_sub,
    grad="SubBackward0",
)
def subtract(input, other, alpha):
    return input - other * alpha


@op(
    "rsub(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor",
    scalar_edge=False,
    saves=(),
    check=_check_sub,
    grad="RsubBackward1",
)
def rsub(input, other, alpha):
    return other - input * alpha


@op("mul(Tensor input, Tensor|Scalar other) -> Tensor", method=True, inplace=True)
def mul(input, other):
    if input.dtype == np.bool_:
        return jnp.logical_and(input, other)
    return input * other


@op(
    "multiply(Tensor input, Tensor|Scalar other) -> Tensor",
    method=True,
    inplace=True,
    grad="MulBackward0",
)
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
        _no_bool_result("div_floor_cpu" if rounding_mode == "floor" else "div_trunc_cpu")(
            input, other
        )
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


@op(
    "div(Tensor input, Tensor|Scalar other, *, str? rounding_mode=None) -> Tensor",
    method=True,
    inplace=True,
    promote=_div_promote,
    check=_check_div,
)
def div(input, other, rounding_mode):
    return _div_impl(input, other, rounding_mode)


@op(
    "divide(Tensor input, Tensor|Scalar other, *, str? rounding_mode=None) -> Tensor",
    method=True,
    inplace=True,
    promote=_div_promote,
    check=_check_div,
    grad="DivBackward0",
)
def divide(input, other, rounding_mode):
    return _div_impl(input, other, rounding_mode)


@op(
    "true_divide(Tensor input, Tensor|Scalar other) -> Tensor",
    method=True,
    inplace=True,
    promote="float",
    grad="DivBackward0",
)
def true_divide(input, other):
    return input / other


@op(
    "floor_divide(Tensor|Scalar input, Tensor|Scalar other) -> Tensor",
    method=True,
    inplace=True,
    check=lambda input, other: chain_checks(_no_bool_result("div_floor_cpu"), _check_int_zero_div)(
        input, other
    ),
    differentiable=False,
)
def floor_divide(input, other):
    return _div_impl(input, other, "floor")


def _remainder_impl(a, b):
    if is_int(a):
        r = lax.rem(a, b)
        return jnp.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)
    r = jnp.fmod(a, b)
    return jnp.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)


@op(
    "remainder(Tensor|Scalar input, Tensor|Scalar other) -> Tensor",
    scalar_edge=False,
    method=True,
    inplace=True,
    check=lambda input, other: chain_checks(
        _not_two_numbers("remainder"), _no_bool_result("remainder_cpu"), _check_int_zero_div
    )(input, other),
)
def remainder(input, other):
    return _remainder_impl(input, other)


@op(
    "fmod(Tensor input, Tensor|Scalar other) -> Tensor",
    scalar_edge=False,
    method=True,
    inplace=True,
    check=lambda input, other: chain_checks(_no_bool_result("fmod_cpu"), _check_int_zero_div)(
        input, other
    ),
)
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
        if (
            isinstance(exponent, builtins.int)
            and not isinstance(exponent, builtins.bool)
            and exponent < 0
        ):
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
        neg = jnp.where(
            a == 1,
            one,
            jnp.where(a == -1, jnp.where((-b) % 2 == 1, -one, one), jnp.zeros_like(res)),
        )
        res = jnp.where(b < 0, neg, res)
    return res


@op(
    "pow(Tensor input, Tensor|Scalar exponent) -> Tensor",
    scalar_edge=False,
    method=True,
    inplace=True,
    check=_check_pow,
    grad="PowBackward0",
)
def pow(input, exponent):  # noqa: A001
    return _pow_impl(input, exponent)


@op(
    "pow_scalar(Scalar self, Tensor exponent) -> Tensor",
    function=False,
    grad="PowBackward2",
    check=lambda self, exponent: _check_pow(self, exponent),
)
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


@op(
    "float_power(Tensor|Scalar input, Tensor|Scalar exponent) -> Tensor",
    method=True,
    inplace=True,
    promote=lambda c, args: D.complex128 if c.is_complex else D.float64,
    check=_not_two_numbers("float_power", "exponent", self_out=True),
)
def float_power(input, exponent):
    return jnp.power(input, exponent)


_FLOAT_POWER_ = Tensor.float_power_


def _float_power_(self, exponent):
    """Tensor.float_power_: the base must already have the result's dtype (double or cdouble)."""
    cplx = (
        self._dtype.is_complex
        or (isinstance(exponent, Tensor) and exponent._dtype.is_complex)
        or isinstance(exponent, builtins.complex)
    )
    need = D.complex128 if cplx else D.float64
    if self._dtype is not need:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {self._dtype._scalar_name} but the operation's result "
            f"requires dtype {need._scalar_name}"
        )
    return _FLOAT_POWER_(self, exponent)


R.override_method("float_power_", _float_power_)


@op(
    "square(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    promote=lambda c, a: D.int64 if c is D.bool else c,
    grad="PowBackward0",
)
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


@op(
    "negative(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    saves=(),
    check=_check_neg,
    grad="NegBackward0",
)
def negative(input):
    return -input


@op(
    "positive(Tensor input) -> Tensor",
    method=True,
    saves=(),
    check=lambda x: _check_positive(x),
    grad="AliasBackward0",
)
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


@op(
    "abs(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    check=reject("abs_cpu", complex_=False, bool_=True),
)
def abs(input):  # noqa: A001
    return _abs_impl(input)


@op(
    "absolute(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    grad="AbsBackward0",
    check=reject("abs_cpu", complex_=False, bool_=True),
)
def absolute(input):
    return _abs_impl(input)


@op(
    "sign(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    saves=(),
    check=lambda x: _no_complex(x, "sign"),
)
def sign(input):
    if input.dtype == np.bool_:
        return input
    return jnp.sign(input)


def _no_complex(x, name):
    if x._dtype.is_complex:
        raise RuntimeError(
            f"Unlike NumPy, torch.{name} is not intended to support complex numbers. Please use torch.sgn instead."
        )


@op("sgn(Tensor input) -> Tensor", method=True, inplace=True)
def sgn(input):
    if is_complex(input):
        a = jnp.abs(input)
        return jnp.where(a == 0, 0, input / jnp.where(a == 0, 1, a)).astype(input.dtype)
    return jnp.sign(input) if input.dtype != np.bool_ else input


@op(
    "reciprocal(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    promote="float",
    saves_result=True,
)
def reciprocal(input):
    return 1 / input


# ------------------------------------------------------------------ comparisons


def _cmp(name, f, aliases=()):
    @op(
        f"{name}(Tensor input, Tensor|Scalar other) -> Tensor",
        method=True,
        inplace=True,
        differentiable=False,
    )
    def impl(input, other):
        return f(input, other)

    for a in aliases:
        op(
            f"{a}(Tensor input, Tensor|Scalar other) -> Tensor",
            method=True,
            inplace=True,
            differentiable=False,
        )(lambda input, other: f(input, other))
    return impl


eq = _cmp("eq", jnp.equal)
ne = _cmp("ne", jnp.not_equal, ("not_equal",))
lt = _cmp("lt", jnp.less, ("less",))
le = _cmp("le", jnp.less_equal, ("less_equal",))
gt = _cmp("gt", jnp.greater, ("greater",))
ge = _cmp("ge", jnp.greater_equal, ("greater_equal",))


# ------------------------------------------------------------------ logical / bitwise


def _logical(name, f):
    @op(
        f"{name}(Tensor input, Tensor other) -> Tensor",
        method=True,
        inplace=True,
        promote="none",
        differentiable=False,
    )
    def impl(input, other):
        return f(input != 0, other != 0)

    return impl


logical_and = _logical("logical_and", jnp.logical_and)
logical_or = _logical("logical_or", jnp.logical_or)
logical_xor = _logical("logical_xor", jnp.logical_xor)


@op(
    "logical_not(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    differentiable=False,
)
def logical_not(input):
    return input == 0


def _check_bitwise(name):
    def check(input, other=None):
        for x in (input, other):
            d = _tensor_dtype(x)
            if d is not None and d._cat > D._INT:
                raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{d._scalar_name}'")

    return check


def _bitwise(name, f, extra_check=None):
    @op(
        f"{name}(Tensor|Scalar input, Tensor|Scalar other) -> Tensor",
        method=True,
        inplace=True,
        differentiable=False,
        check=chain_checks(_not_two_numbers(name), _check_bitwise(name), extra_check),
    )
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
    fill = (
        jnp.where(a < 0, -1, 0).astype(a.dtype)
        if jnp.issubdtype(a.dtype, jnp.signedinteger)
        else jnp.zeros_like(a)
    )
    return jnp.where((b >= bits) | (b < 0), fill, r)


bitwise_left_shift = _bitwise("bitwise_left_shift", _shift_left, _no_bool_result("lshift_cpu"))
bitwise_right_shift = _bitwise("bitwise_right_shift", _shift_right, _no_bool_result("rshift_cpu"))


def _check_not(input):
    if input._dtype._cat > D._INT:
        raise TypeError(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
        )


@op(
    "bitwise_not(Tensor input) -> Tensor",
    method=True,
    inplace=True,
    differentiable=False,
    check=lambda x: _check_bitwise("bitwise_not")(x),
)
def bitwise_not(input):
    if input.dtype == np.bool_:
        return jnp.logical_not(input)
    return jnp.bitwise_not(input)


# ------------------------------------------------------------------ Python operators


def _binary(fn, reflect=False):
    def method(self, other):
        if not isinstance(
            other,
            (
                Tensor,
                builtins.int,
                builtins.float,
                builtins.bool,
                builtins.complex,
                np.number,
                np.bool_,
            ),
        ):
            return NotImplemented
        if reflect:
            return fn(other, self)
        return fn(self, other)

    return method


def _rsub(self, other):
    if not isinstance(self, Tensor) or not isinstance(
        other, (Tensor, builtins.int, builtins.float, builtins.bool, builtins.complex, np.number)
    ):
        return NotImplemented
    return rsub(self, other)


def _rdiv(self, other):
    if not isinstance(self, Tensor):
        # torch's __rdiv__ is ``self.reciprocal() * other``
        raise AttributeError(f"'{type(self).__name__}' object has no attribute 'reciprocal'")
    if not isinstance(
        other, (Tensor, builtins.int, builtins.float, builtins.bool, builtins.complex, np.number)
    ):
        return NotImplemented
    return mul(reciprocal(self), other)


def _rfloordiv(self, other):
    if not isinstance(self, Tensor) or not isinstance(
        other, (Tensor, builtins.int, builtins.float, builtins.bool, np.number)
    ):
        return NotImplemented
    return floor_divide(other, self)


def _rmod(self, other):
    if not isinstance(self, Tensor) or not isinstance(
        other, (Tensor, builtins.int, builtins.float, builtins.bool, np.number)
    ):
        return NotImplemented
    return remainder(other, self)


def _rpow(self, other):
    if not isinstance(self, Tensor):
        return NotImplemented
    if isinstance(other, Tensor):
        return R.call(_POW, (other, self))
    if not isinstance(
        other, (builtins.int, builtins.float, builtins.bool, builtins.complex, np.number)
    ):
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


# torch has only the Tensor methods (Tensor.add_ ...) for these in-place variants, no torch.X_
_drop_names(
    "absolute_",
    "add_",
    "bitwise_and_",
    "bitwise_left_shift_",
    "bitwise_not_",
    "bitwise_or_",
    "bitwise_right_shift_",
    "bitwise_xor_",
    "div_",
    "divide_",
    "eq_",
    "float_power_",
    "floor_divide_",
    "fmod_",
    "ge_",
    "greater_",
    "greater_equal_",
    "gt_",
    "le_",
    "less_",
    "less_equal_",
    "logical_and_",
    "logical_not_",
    "logical_or_",
    "logical_xor_",
    "lt_",
    "mul_",
    "multiply_",
    "ne_",
    "not_equal_",
    "pow_",
    "remainder_",
    "sgn_",
    "sign_",
    "sub_",
    "subtract_",
    "true_divide_",
)
