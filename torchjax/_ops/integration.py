"""Finite differences and integration: diff, gradient, trapezoid, trapz, cumulative_trapezoid.

trapezoid/cumulative_trapezoid (``x`` or ``dx`` overloads) and gradient (scalar or coordinate
spacings) record different ops per torch overload, so they are declared as internal kernels
(``_kernel``) and reached through a hand-written front end that parses torch's overloads.
"""

from __future__ import annotations

import builtins

import jax.numpy as jnp
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from ._registry import op
from ._util import is_bool, is_complex, is_float, reduce_dims, wrap_dim
from .reduction import _call, _install, _invalid, _kernel

# ------------------------------------------------------------------ diff / trapezoid


def _diff_check(input, n=1, dim=-1, prepend=None, append=None):
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    for t in (prepend, append):
        if t is not None and t.dim() != input.dim():
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")


def _neighbours(x, d):
    """``(x[1:], x[:-1])`` along dimension ``d``."""
    return lax.slice_in_dim(x, 1, x.shape[d], axis=d), lax.slice_in_dim(
        x, 0, x.shape[d] - 1, axis=d
    )


@op(
    "diff(Tensor input, int n=1, int dim=-1, Tensor? prepend=None, Tensor? append=None) -> Tensor",
    method=True,
    check=_diff_check,
    grad="SubBackward0",
)
def diff(input, n=1, dim=-1, prepend=None, append=None):
    d = wrap_dim(dim, input.ndim)
    if n == 0:  # torch ignores prepend/append then
        return input
    parts = [t for t in (prepend, input, append) if t is not None]
    x = jnp.concatenate(parts, axis=d) if len(parts) > 1 else input
    for _ in range(n):
        if x.shape[d] == 0:
            break
        hi, lo = _neighbours(x, d)
        x = jnp.logical_xor(hi, lo) if is_bool(x) else hi - lo
    return x


def _trapz_promote(compute, args):
    return compute if compute.is_floating_point or compute.is_complex else D.get_default_dtype()


def _trap_x_check(y, x, dim=-1):
    if y.dim() == 0:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [-1, 0], but got {dim})"
        )


def _trap_dx(y, d):
    n = y.shape[d]
    if n == 0:
        return jnp.sum(y, axis=d)
    first = lax.index_in_dim(y, 0, d, keepdims=False)
    last = lax.index_in_dim(y, n - 1, d, keepdims=False)
    return jnp.sum(y, axis=d) - (first + last) * 0.5


def _x_diff(y, x, d):
    if x.ndim == 1:
        if x.shape[0] != y.shape[d]:
            raise RuntimeError("trapezoid: There must be one `x` value for each sample point")
        dx = jnp.diff(x)
        shape = [1] * y.ndim
        shape[d] = dx.shape[0]
        return dx.reshape(shape)
    xd = d - y.ndim + x.ndim if x.ndim < y.ndim else d
    return jnp.diff(x, axis=builtins.max(xd, 0) if x.ndim != y.ndim else d)


@_kernel(
    "trapezoid.x(Tensor y, Tensor x, *, int dim=-1) -> Tensor",
    short="trapezoid",
    promote=_trapz_promote,
    grad="DivBackward1",
)
def _trapezoid_x(y, x, dim=-1):
    d = wrap_dim(dim, y.ndim)
    if y.shape[d] == 0:
        return jnp.sum(y, axis=d) * jnp.zeros((), y.dtype)
    dx = _x_diff(y, x, d)
    hi, lo = _neighbours(y, d)
    return jnp.sum(dx * (hi + lo), axis=d) / 2


@_kernel(
    "trapezoid.dx(Tensor y, *, float dx=1, int dim=-1) -> Tensor",
    short="trapezoid",
    promote=_trapz_promote,
    grad="MulBackward1",
)
def _trapezoid_dx(y, dx=1.0, dim=-1):
    d = wrap_dim(dim, y.ndim)
    return _trap_dx(y, d) * jnp.asarray(dx, y.dtype)


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """torch.trapezoid(y, x, *, dim=-1) / torch.trapezoid(y, *, dx=1, dim=-1)."""
    if x is not None:
        if dx is not None:
            raise _invalid("trapezoid", y, x, dx=dx)
        if not isinstance(x, Tensor):
            return _call(_trapezoid_dx, y, float(x), dim)
        _trap_x_check(y, x, dim)
        return _call(_trapezoid_x, y, x, dim)
    if isinstance(dx, Tensor):
        dx = dx.item()
    return _call(_trapezoid_dx, y, 1.0 if dx is None else float(dx), dim)


def trapz(y, x=None, *, dx=None, dim=-1):
    """torch.trapz: alias of trapezoid."""
    return trapezoid(y, x, dx=dx, dim=dim)


@_kernel(
    "cumulative_trapezoid.x(Tensor y, Tensor x, *, int dim=-1) -> Tensor",
    short="cumulative_trapezoid",
    promote=_trapz_promote,
    grad="DivBackward1",
)
def _cumtrapz_x(y, x, dim=-1):
    d = wrap_dim(dim, y.ndim)
    if y.shape[d] == 0:
        return y
    dx = _x_diff(y, x, d)
    hi, lo = _neighbours(y, d)
    return jnp.cumsum(dx * (hi + lo), axis=d) / 2


@_kernel(
    "cumulative_trapezoid.dx(Tensor y, *, float dx=1, int dim=-1) -> Tensor",
    short="cumulative_trapezoid",
    promote=_trapz_promote,
    grad="CumsumBackward0",
)
def _cumtrapz_dx(y, dx=1.0, dim=-1):
    d = wrap_dim(dim, y.ndim)
    if y.shape[d] == 0:
        return y
    hi, lo = _neighbours(y, d)
    return jnp.cumsum((hi + lo) * jnp.asarray(dx / 2.0, y.dtype), axis=d)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """torch.cumulative_trapezoid(y, x, *, dim=-1) / (y, *, dx=1, dim=-1)."""
    if x is not None:
        if dx is not None:
            raise _invalid("cumulative_trapezoid", y, x, dx=dx)
        if not isinstance(x, Tensor):
            return _call(_cumtrapz_dx, y, float(x), dim)
        _trap_x_check(y, x, dim)
        return _call(_cumtrapz_x, y, x, dim)
    if isinstance(dx, Tensor):
        dx = dx.item()
    return _call(_cumtrapz_dx, y, 1.0 if dx is None else float(dx), dim)


# ------------------------------------------------------------------ gradient


def _grad_float(x):
    return x if (is_float(x) or is_complex(x)) else x.astype(D.get_default_dtype()._np)


def _sl(x, d, a, b=None):
    n = x.shape[d]
    a = a + n if a < 0 else a
    b = n if b is None else (b + n if b < 0 else b)
    return lax.slice_in_dim(x, a, b, axis=d)


@_kernel(
    "gradient.scalars(Tensor input, float[] spacing, int[] dim, int edge_order=1) -> Tensor[]",
    short="gradient",
    grad="CatBackward0",
)
def _gradient_scalars(input, spacing, dim, edge_order=1):
    out = []
    for h, d in zip(spacing, dim):
        d = wrap_dim(d, input.ndim)
        x = input
        dt = _grad_float(x).dtype
        hx = jnp.asarray(h, dt)
        center = (_sl(x, d, 2) - _sl(x, d, 0, -2)).astype(dt) / hx
        if edge_order == 1:
            pre = (_sl(x, d, 1, 2) - _sl(x, d, 0, 1)).astype(dt) / hx
            app = (_sl(x, d, -1) - _sl(x, d, -2, -1)).astype(dt) / hx
        else:
            xf = _grad_float(x)
            pre = (_sl(xf, d, 0, 1) * -1.5 + _sl(xf, d, 1, 2) * 2.0 - _sl(xf, d, 2, 3) * 0.5) / hx
            app = (_sl(xf, d, -3, -2) * 0.5 + _sl(xf, d, -2, -1) * -2.0 + _sl(xf, d, -1) * 1.5) / hx
        out.append(jnp.concatenate([pre, center / 2, app], axis=d))
    return tuple(out)


@_kernel(
    "gradient.coordinates(Tensor input, Tensor[] spacing, int[] dim, int edge_order=1) -> Tensor[]",
    short="gradient",
    grad="CatBackward0",
)
def _gradient_coords(input, spacing, dim, edge_order=1):
    out = []
    for c, d in zip(spacing, dim):
        d = wrap_dim(d, input.ndim)
        dt = D.promote_types(D.from_np(input.dtype), D.from_np(c.dtype))
        dt = dt._np if (dt.is_floating_point or dt.is_complex) else D.get_default_dtype()._np
        x = input.astype(dt)
        c = c.astype(dt)
        shape = [1] * x.ndim
        shape[d] = -1
        ax = jnp.diff(c)
        dx1, dx2 = ax[:-1], ax[1:]
        a = (-dx2 / (dx1 * (dx1 + dx2))).reshape(shape)
        b = ((dx2 - dx1) / (dx1 * dx2)).reshape(shape)
        cc = (dx1 / (dx2 * (dx1 + dx2))).reshape(shape)
        center = a * _sl(x, d, 0, -2) + b * _sl(x, d, 1, -1) + cc * _sl(x, d, 2)
        if edge_order == 1:
            pre = (_sl(x, d, 1, 2) - _sl(x, d, 0, 1)) / ax[0]
            app = (_sl(x, d, -1) - _sl(x, d, -2, -1)) / ax[-1]
        else:
            a0 = -(2.0 * ax[0] + ax[1]) / (ax[0] * (ax[0] + ax[1]))
            b0 = (ax[0] + ax[1]) / (ax[0] * ax[1])
            c0 = (-ax[0]) / (ax[1] * (ax[0] + ax[1]))
            pre = a0 * _sl(x, d, 0, 1) + b0 * _sl(x, d, 1, 2) + c0 * _sl(x, d, 2, 3)
            a1 = ax[-1] / (ax[-2] * (ax[-1] + ax[-2]))
            b1 = -(ax[-1] + ax[-2]) / (ax[-1] * ax[-2])
            c1 = (2 * ax[-1] + ax[-2]) / (ax[-1] * (ax[-1] + ax[-2]))
            app = a1 * _sl(x, d, -3, -2) + b1 * _sl(x, d, -2, -1) + c1 * _sl(x, d, -1)
        out.append(jnp.concatenate([pre, center, app], axis=d))
    return tuple(out)


def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """torch.gradient: central differences (one-sided, of order ``edge_order``, at the edges) along
    ``dim`` with unit, scalar, per-dim scalar or coordinate-tensor ``spacing``; a tuple of tensors."""
    if input.dtype is D.uint8:
        raise RuntimeError("torch.gradient does not support uint8 input.")
    dims = (
        tuple(range(input.dim()))
        if dim is None
        else ((dim,) if isinstance(dim, int) else tuple(dim))
    )
    if spacing is None:  # the `Number spacing = None` overload: unit spacing
        spacing = 1
    if isinstance(spacing, Tensor):
        if spacing.dim():
            raise TypeError(
                "gradient() received an invalid combination of arguments - got (Tensor, spacing=Tensor), "
                "but expected spacing to be a Number, a tuple of Scalars or a tuple of Tensors"
            )
        spacing = spacing.item()
    scalar = not isinstance(spacing, (list, tuple))
    if scalar:
        spacing = [spacing] * len(dims)
    n = len(spacing)
    if not scalar and dim is None and n != input.dim():
        raise RuntimeError(
            "torch.gradient expected spacing to be unspecified, a scalar, or a list of length equal to "
            f"'self.dim() = {input.dim()}', since dim argument was not given, but got a list of length {n}"
        )
    if not scalar and dim is not None and n != len(dims):
        raise RuntimeError(
            "torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim arguments to have "
            f"the same length, but got a spacing argument of length {n} and a dim argument of length {len(dims)}."
        )
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if dims:
        reduce_dims(dims, input.dim())  # dim range / duplicate checks
    for d in dims:
        if input.shape[wrap_dim(d, input.dim())] < edge_order + 1:
            raise RuntimeError(
                "torch.gradient expected each dimension size to be at least edge_order+1"
            )
    if n and isinstance(spacing[0], Tensor):
        for c in spacing:
            if c.dim() != 1:
                raise RuntimeError(
                    "torch.gradient expected each element of spacing to have one dimension, but got an element with "
                    f"{c.dim()} dimensions!"
                )
        return tuple(_call(_gradient_coords, input, list(spacing), dims, edge_order))
    vals = [s.item() if isinstance(s, Tensor) else s for s in spacing]
    return tuple(_call(_gradient_scalars, input, tuple(float(v) for v in vals), dims, edge_order))


# ------------------------------------------------------------------ installation of the front ends

for _name, _fn in (
    ("trapezoid", trapezoid),
    ("trapz", trapz),
    ("cumulative_trapezoid", cumulative_trapezoid),
):
    _install(_name, _fn, method=False)
_install("gradient", gradient, method=False)
