"""Ops of three operands: clamp / clip / clamp_min / clamp_max (torch's TensorCompare), lerp,
addcmul / addcdiv (torch's PointwiseOps) and where, with torch's overloads (Scalar or Tensor
bounds and weights), dtype checks and backward formulas.
"""

from __future__ import annotations

import warnings

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import register_method
from ._util import is_float
from .pointwise import _arg, _declared, _drop_names, kernel_error, op, overload, with_grad

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
    @_declared(
        f"{name}(Tensor input, Scalar? min=None, Scalar? max=None) -> Tensor",
        grad="ClampBackward1",
        check=lambda input, min=None, max=None: (
            _clamp_none(min, max),
            _clamp_check("clamp")(input),
        ),
    )
    def scalar(input, min=None, max=None):  # noqa: A002
        return _clamp_scalar_fn(input, min, max)

    @_declared(
        f"{name}(Tensor input, Tensor? min=None, Tensor? max=None) -> Tensor",
        grad="ClampBackward0",
        check=lambda input, min=None, max=None: (
            _clamp_none(min, max),
            _clamp_check("clamp")(input),
        ),
    )
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

    @_declared(
        f"{name}(Tensor input, Scalar {side}) -> Tensor",
        grad=f"{base}Backward0",
        check=lambda input, b: _clamp_check("clamp")(input),
    )
    def scalar(input, b):
        if not is_float(input):
            return values(input, b)
        return with_grad(
            values, lambda a, out, g: (jnp.where(cmp_keep(a[0], a[1]), g, jnp.zeros_like(g)), None)
        )(input, b)

    @_declared(
        f"{name}(Tensor input, Tensor {side}) -> Tensor",
        grad=f"{base}Backward1",
        check=lambda input, b: _clamp_check("clamp")(input),
    )
    def tensor(input, b):
        if not is_float(input):
            return values(input, b)

        def bwd(a, out, g):
            keep = cmp_keep(a[0], a[1])
            z = jnp.zeros_like(g)
            return (jnp.where(keep, g, z), jnp.where(keep, z, g))

        return with_grad(values, bwd)(input, b)

    return overload(
        name,
        [scalar, tensor],
        lambda a, k: (
            1
            if isinstance(_arg(a, k, 1, side), Tensor)
            and _arg(a, k, 1, side).dim() > 0
            or isinstance(_arg(a, k, 1, side), Tensor)
            else 0
        ),
        inplace=True,
    )


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
        raise kernel_error(
            "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar",
            input._dtype,
        )


def lerp_impl(a, b, w):
    w = w.astype(a.dtype)
    small = jnp.abs(w) < 0.5
    return jnp.where(small, a + w * (b - a), b - (b - a) * (1 - w))


@_declared(
    "lerp(Tensor input, Tensor end, Scalar weight) -> Tensor",
    promote="none",
    check=_check_lerp,
    grad="LerpBackward0",
)
def _lerp_s(input, end, weight):
    return lerp_impl(input, end, weight)


@_declared(
    "lerp(Tensor input, Tensor end, Tensor weight) -> Tensor",
    promote="none",
    check=_check_lerp,
    grad="LerpBackward1",
)
def _lerp_t(input, end, weight):
    return lerp_impl(input, end, weight)


lerp = overload(
    "lerp",
    [_lerp_s, _lerp_t],
    lambda a, k: 1 if isinstance(_arg(a, k, 2, "weight"), Tensor) else 0,
    inplace=True,
)
_drop_names("lerp_")


@op(
    "addcmul(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor",
    method=True,
    inplace=True,
)
def addcmul(input, tensor1, tensor2, value):
    if input.dtype == np.bool_:
        return input | (value & tensor1 & tensor2)
    return input + value * tensor1 * tensor2


def _check_addcdiv(input, tensor1, tensor2, value=1):
    if (
        isinstance(tensor1, Tensor)
        and isinstance(tensor2, Tensor)
        and tensor1._dtype._cat <= D._INT
        and tensor2._dtype._cat <= D._INT
    ):
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform "
            "a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as "
            "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
            "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter "
            "implementation: (input + value * tensor1 / tensor2), for all dtypes."
        )


@op(
    "addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor",
    method=True,
    inplace=True,
    check=_check_addcdiv,
)
def addcdiv(input, tensor1, tensor2, value):
    return input + value * tensor1 / tensor2


_drop_names("addcmul_", "addcdiv_")


def _where_promote(compute, args):
    return compute


def _check_where(condition, input, other):
    if not isinstance(condition, Tensor):
        raise TypeError(
            f"where(): argument 'condition' (position 1) must be Tensor, not {type(condition).__name__}"
        )
    if condition._dtype is D.uint8:
        warnings.warn(
            "where received a uint8 condition tensor. This behavior is deprecated and will be removed in a future "
            "version of PyTorch. Use a boolean condition instead.",
            UserWarning,
            stacklevel=4,
        )
    elif condition._dtype is not D.bool:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition._dtype._scalar_name}"
        )


@_declared(
    "where(Tensor condition, Tensor|Scalar input, Tensor|Scalar other) -> Tensor",
    promote=("input", "other"),
    check=_check_where,
    saves=("condition",),
    no_edge=("condition",),
)
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
