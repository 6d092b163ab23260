"""Max/min reductions: max, min, amax, amin, aminmax, argmax, argmin.

``max(x)``, ``max(x, dim)`` and ``max(x, other)`` return different things and record different
grad_fns, so they are declared as internal kernels (``_kernel``) and reached through a
hand-written front end that parses torch's overloads. Gradients that JAX would compute
differently from torch (ties of max/amax) use ``jax.custom_vjp`` with torch's backward formulas.
``out=`` tensors of the wrong dtype are refused with torch's messages (amax, aminmax, argmax ...).
"""

from __future__ import annotations

import builtins
import functools

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op
from ._util import check_dim_mask, is_bool, is_complex, reduce_dims, wrap_dim
from .reduction import (
    _NO,
    _call,
    _check_bool,
    _check_nonempty,
    _dtname,
    _install,
    _invalid,
    _keep,
    _kernel,
    _outs,
    _write_full_out,
    expect_out_dtype,
    mul_mask,
    wrap_out_check,
)

# ------------------------------------------------------------------ max / min / amax / amin / aminmax


def _raw_choose(x, axes, keepdim, kind):
    f = jnp.max if kind == "max" else jnp.min
    return f(x, axis=axes, keepdims=keepdim)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2, 3, 4))
def _choose(x, axes, keepdim, kind, even):
    return _raw_choose(x, axes, keepdim, kind)


def _choose_fwd(x, axes, keepdim, kind, even):
    r = _raw_choose(x, axes, keepdim, kind)
    return r, (x, r)


def _choose_bwd(axes, keepdim, kind, even, res, g):
    x, r = res
    rk = _keep(r, axes, keepdim)
    gk = _keep(g, axes, keepdim)
    if even:
        # evenly_distribute_backward: ties share the gradient; a NaN result sends it to the NaNs
        mask = jnp.where(jnp.isnan(rk), jnp.isnan(x), x == rk)
        cnt = jnp.sum(mask, axis=axes, keepdims=True).astype(g.dtype)
        return (jnp.where(mask, gk / cnt, jnp.zeros((), g.dtype)),)
    # amax/amin backward: scale_grad_by_count(grad, result == self) (a NaN result gives NaN)
    mask = x == rk
    cnt = jnp.sum(mask, axis=axes, keepdims=True).astype(g.dtype)
    return (mul_mask(gk / cnt, mask),)


_choose.defvjp(_choose_fwd, _choose_bwd)


def choose_even(x, axes, keepdim, kind):
    """max/min over ``axes`` whose gradient is split evenly among ties (torch's max()/median())."""
    return _choose(x, axes, keepdim, kind, True)


def _arg_choose(x, axis, kind):
    """Index of the max/min along ``axis`` (first occurrence; NaN counts as the extreme)."""
    if is_bool(x):
        x = x.astype(np.int8)
    return (jnp.argmax if kind == "max" else jnp.argmin)(x, axis=axis, keepdims=True).astype(
        np.int64
    )


def _values_indices(x, dim, keepdim, kind, name):
    """(values, indices) of max/min along ``dim``; the gradient reaches the returned index."""
    check_dim_mask(x.ndim)
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return x, jnp.zeros((), np.int64)
    _check_nonempty(name, x, (d,), False)
    idx = _arg_choose(x, d, kind)
    vals = jnp.take_along_axis(x, idx, axis=d)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, d), jnp.squeeze(idx, d)
    return vals, idx


def _minmax_kernels(kind):
    @_kernel(f"{kind}(Tensor input) -> Tensor", short=kind, grad=f"{kind.capitalize()}Backward1")
    def full(input):
        if is_complex(input):
            raise NotImplementedError(f"\"{kind}_all\" not implemented for '{_dtname(input)}'")
        _check_nonempty(kind, input, (), True)
        return choose_even(input, tuple(range(input.ndim)), False, kind)

    @_kernel(
        f"{kind}.dim(Tensor input, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)",
        short=kind,
        rt=kind,
        grad=f"{kind.capitalize()}Backward0",
    )
    def dim(input, dim, keepdim=False):
        if is_complex(input):
            raise RuntimeError(f"{kind}(): does not support complex input")
        return _values_indices(input, dim, keepdim, kind, kind)

    return full, dim


_max_full, _max_dim = _minmax_kernels("max")
_min_full, _min_dim = _minmax_kernels("min")


def _minmax_front(kind, kfull, kdim, binary):
    def f(input, dim=_NO, keepdim=_NO, *, out=None, other=_NO):
        if other is not _NO:
            dim = other
        if dim is _NO:
            if keepdim is not _NO:
                raise _invalid(kind, input, keepdim=keepdim)
            if out is not None:
                return _write_full_out(_call(kfull, input), out)
            return _call(kfull, input)
        if isinstance(dim, Tensor):
            if keepdim is not _NO:
                raise _invalid(kind, input, dim, keepdim)
            fn = getattr(R.namespace(""), binary, None)
            if fn is None:
                raise RuntimeError(f"torchjax.{binary} is not available")
            return fn(input, dim) if out is None else fn(input, dim, out=out)
        if not hasattr(dim, "__index__") or isinstance(dim, builtins.float):
            raise _invalid(kind, input, dim)
        keepdim = False if keepdim is _NO else _check_bool(kind, "keepdim", 2, keepdim)
        if out is not None:
            expect_out_dtype(out, (input.dtype, D.int64))
        return _call(kdim, input, dim, keepdim, out=out)

    f.__doc__ = (
        f"torch.{kind}: {kind}(input), {kind}(input, dim, keepdim=False) -> (values, indices), "
        f"{kind}(input, other) (= torch.{binary})."
    )
    return f


max = _minmax_front("max", _max_full, _max_dim, "maximum")  # noqa: A001
min = _minmax_front("min", _min_full, _min_dim, "minimum")  # noqa: A001


def _amaxmin(kind):
    @op(
        f"a{kind}(Tensor input, int[1] dim=[], bool keepdim=False) -> Tensor",
        method=True,
        promote="none",
    )
    def f(input, dim=(), keepdim=False):
        if is_complex(input):
            raise NotImplementedError(
                f"\"{kind}_values_cpu\" not implemented for '{_dtname(input)}'"
            )
        axes = reduce_dims(dim, input.ndim)
        full = not dim or input.ndim == 0
        _check_nonempty(f"a{kind}", input, axes, full)
        return _choose(input, axes, keepdim, kind, False)

    return f


amax = _amaxmin("max")
amin = _amaxmin("min")


@op(
    "aminmax(Tensor input, *, int? dim=None, bool keepdim=False) -> (Tensor min, Tensor max)",
    method=True,
    promote="none",
)
def aminmax(input, dim=None, keepdim=False):
    if is_complex(input):
        raise RuntimeError("aminmax(): does not support complex input")
    if dim is None:
        if input.size == 0:
            raise RuntimeError(
                "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity."
            )
        axes = tuple(range(input.ndim))
        if keepdim:
            return (
                _choose(input, axes, True, "min", False),
                _choose(input, axes, True, "max", False),
            )
        return _choose(input, axes, False, "min", False), _choose(input, axes, False, "max", False)
    check_dim_mask(input.ndim)
    d = wrap_dim(dim, input.ndim)
    axes = (d,) if input.ndim else ()
    _check_nonempty("aminmax", input, axes, False, sep=":")
    return _choose(input, axes, keepdim, "min", False), _choose(input, axes, keepdim, "max", False)


def _argminmax(kind):
    @op(
        f"arg{kind}(Tensor input, int? dim=None, bool keepdim=False) -> Tensor",
        method=True,
        promote="none",
        differentiable=False,
    )
    def f(input, dim=None, keepdim=False):
        if is_bool(input):
            raise RuntimeError(f"arg{kind}(): does not support bool input")
        if is_complex(input):
            raise RuntimeError(f"arg{kind}(): does not support complex input")
        if dim is None:
            if input.size == 0:
                raise IndexError(
                    f"arg{kind}(): Expected reduction dim to be specified for input.numel() == 0."
                )
            r = _arg_choose(input.reshape(-1), 0, kind).reshape(())
            return r.reshape((1,) * input.ndim) if keepdim else r
        check_dim_mask(input.ndim)
        d = wrap_dim(dim, input.ndim)
        if input.ndim == 0:
            return jnp.zeros((), np.int64)
        _check_nonempty(f"arg{kind}", input, (d,), False)
        r = _arg_choose(input, d, kind)
        return r if keepdim else jnp.squeeze(r, d)

    return f


argmax = _argminmax("max")
argmin = _argminmax("min")


# ------------------------------------------------------------------ installation of the front ends

for _name, _fn in (("max", max), ("min", min)):
    _install(_name, _fn)


def _amax_out(inp, out, args, kwargs):
    o = _outs(out)[0]
    if o.dtype is not inp.dtype:
        raise RuntimeError(
            f"Expected the dtype for input and out to match, but got {inp.dtype._scalar_name} for input's dtype and "
            f"{o.dtype._scalar_name} for out's dtype."
        )


wrap_out_check("amax", _amax_out)
wrap_out_check("amin", _amax_out)
wrap_out_check("aminmax", lambda inp, out, a, k: expect_out_dtype(out, (inp.dtype, inp.dtype)))
wrap_out_check("argmax", lambda inp, out, a, k: expect_out_dtype(out, (D.int64,)))
wrap_out_check("argmin", lambda inp, out, a, k: expect_out_dtype(out, (D.int64,)))

for _rt, _fields in (
    ("max", ("values", "indices")),
    ("min", ("values", "indices")),
    ("aminmax", ("min", "max")),
):
    R.return_type(_rt, _fields)
