"""Reductions and scans: sum, mean, prod, std/var, max/min, amax/amin, argmax, all/any, norm,
logsumexp, cumsum/cumprod/cummax/cummin/logcumsumexp, diff, trapezoid ...

``dim`` accepts None, an int or a tuple (torch's ``int[1]? dim``); integer and bool inputs
sum and multiply in int64 as torch does; ``dtype=`` casts the input before reducing.

Ops whose torch overloads record different grad_fns (``x.sum()`` -> ``SumBackward0``,
``x.sum(0)`` -> ``SumBackward1``) or return different things (``max(x)``, ``max(x, dim)``,
``max(x, other)``) are declared as internal kernels (``_kernel``) and reached through a
hand-written front end that parses torch's overloads. Gradients that JAX would compute
differently from torch (ties of max/amax, std at zero, norms at zero, cumprod with zeros,
logcumsumexp at -inf) use ``jax.custom_vjp`` with torch's backward formulas.

Scans and std/var accumulate in torch's CPU accumulation type (double for float32) on the CPU
backend, so cumsum/cumprod/logcumsumexp give torch's bits. ``out=`` tensors of the wrong dtype are
refused with torch's messages where torch refuses them (max/amax/argmax/cummax ...) and computed
into where torch does (sum, cumsum ...).
"""

from __future__ import annotations

import builtins
import functools
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function, register_method
from ._util import check_dim_mask, is_bool, is_complex, is_float, is_int, reduce_dims, wrap_dim

_NO = object()  # "argument not given" (torch overloads depend on which arguments were passed)

_TYPEMETA = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "int16": "short int",
             "int8": "signed char", "uint8": "unsigned char", "bool": "bool", "float16": "c10::Half",
             "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


# ------------------------------------------------------------------ declaration helpers


def _kernel(schema, *, short, rt=None, **kw):
    """An op reached only through a front end (not installed as torchjax.X / Tensor.X).

    ``short`` is the name torch's messages use; ``rt`` names the torch.return_types class of a
    named-tuple result.
    """

    def deco(fn):
        kw.setdefault("promote", "none")
        R._declare("op", schema, function=False, method=False, out=True, **kw)(fn)
        fn.op.short = short
        if rt is not None:
            fn.op.name = rt
        return fn.op

    return deco


def _call(kop, *args, out=None):
    return R.call(kop, args, out)


def _install(name, fn, method=True, function=True):
    """torchjax.<name> = fn (with out=) and Tensor.<name> (without out=)."""
    fn.__name__ = fn.__qualname__ = name
    if function:
        register_function(name, fn)
    if method:
        m = _method_of(fn, name)
        register_method(name, m)


def _method_of(fn, name):
    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        if "out" in kwargs:
            raise TypeError(f"{name}() got an unexpected keyword argument 'out'")
        return fn(self, *args, **kwargs)

    return method


def _invalid(name, *args, **kwargs):
    parts = [type(a).__name__ for a in args] + [f"{k}={type(v).__name__}" for k, v in kwargs.items()]
    return TypeError(f"{name}() received an invalid combination of arguments - got ({', '.join(parts)}), "
                     "but expected one of the overloads torch declares")


def _dtname(x):
    return D._FROM_NP[np.dtype(x.dtype)]._scalar_name


def _keep(r, axes, keepdim):
    """``r`` reduced over ``axes`` with keepdim=False, back to the keepdim=True layout."""
    return r if keepdim or not axes else jnp.expand_dims(r, axes)


def _is_int_or_bool(x):
    return is_bool(x) or is_int(x)


def acc_dtype(x, dtype):
    """Accumulation dtype of sum/prod: ``dtype`` if given, int64 for ints and bools."""
    if dtype is not None:
        return dtype._np
    if _is_int_or_bool(x):
        return np.dtype(np.int64)
    return x.dtype


def _check_nonempty(name, x, axes, full, sep="():"):
    """torch's errors for reductions without identity (max, amax, argmax ...) over empty input."""
    if full:
        if x.size == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                "reduction dim with the 'dim' argument."
            )
        return
    for a in axes:
        if x.ndim and x.shape[a] == 0:
            raise IndexError(f"{name}{sep} Expected reduction dim {a} to have non-zero size.")


def mul_mask(q, mask):
    """``q * mask`` with IEEE semantics (0 * inf = NaN), which XLA would simplify to a select."""
    return jnp.where(mask, q, jnp.where(jnp.isfinite(q), jnp.zeros((), q.dtype), jnp.full((), jnp.nan, q.dtype)))


@jax.custom_vjp
def nan_to_zero(x):
    """NaNs replaced by 0; the gradient is ``grad * ~isnan(x)`` as torch's nansum_backward computes it."""
    return jnp.where(jnp.isnan(x), jnp.zeros((), x.dtype), x)


def _ntz_fwd(x):
    return nan_to_zero(x), jnp.isnan(x)


def _ntz_bwd(nan, g):
    return (mul_mask(g, ~nan),)


nan_to_zero.defvjp(_ntz_fwd, _ntz_bwd)


def _check_bool(name, argname, pos, v):
    if not isinstance(v, (builtins.bool, np.bool_)):
        raise TypeError(f"{name}(): argument '{argname}' (position {pos}) must be bool, not {type(v).__name__}")
    return builtins.bool(v)


# ------------------------------------------------------------------ out= dtype checks (torch refuses, not casts)


def tm(d):
    """A dtype as torch's C++ messages print it (caffe2 TypeMeta: float, double, long int ...)."""
    return _TYPEMETA.get(d._name, d._name)


def _outs(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def expect_out_dtype(out, dtypes):
    """torch's "Expected out tensor to have dtype X, but got Y instead" for (values[, indices]) outs."""
    for o, d in zip(_outs(out), dtypes):
        if isinstance(o, Tensor) and d is not None and o.dtype is not d:
            raise RuntimeError(f"Expected out tensor to have dtype {tm(d)}, but got {tm(o.dtype)} instead")


def wrap_out_check(name, check):
    """torchjax.<name> checks its out= tensors with ``check(input, out, args, kwargs)`` first."""
    ns = R.namespace("")
    f = getattr(ns, name)

    @functools.wraps(f)
    def g(*args, out=None, **kwargs):
        if out is not None:
            inp = args[0] if args else next(iter(kwargs.values()), None)
            if isinstance(inp, Tensor):
                check(inp, out, args, kwargs)
        return f(*args, out=out, **kwargs)

    g._op = getattr(f, "_op", None)
    setattr(ns, name, g)


def wrap_out_dtype(name):
    """torchjax.<name>(..., out=o) computes in ``o.dtype`` when no dtype= is given (sum, cumsum ...)."""
    ns = R.namespace("")
    f = getattr(ns, name)

    @functools.wraps(f)
    def g(*args, out=None, **kwargs):
        if isinstance(out, Tensor) and kwargs.get("dtype") is None:
            kwargs["dtype"] = out.dtype
        return f(*args, out=out, **kwargs)

    g._op = getattr(f, "_op", None)
    setattr(ns, name, g)


def _no_complex(x, msg, exc=RuntimeError):
    if is_complex(x):
        raise exc(msg)


# ------------------------------------------------------------------ sum / nansum / mean / nanmean


@_kernel("sum(Tensor input, *, ScalarType? dtype=None) -> Tensor", short="sum", saves=(), grad="SumBackward0")
def _sum_all(input, dtype=None):
    x = input.astype(acc_dtype(input, dtype))
    return jnp.sum(x, dtype=x.dtype)


@_kernel("sum.dim(Tensor input, dim? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", short="sum",
         saves=(), grad="SumBackward1")
def _sum_dim(input, dim, keepdim=False, dtype=None):
    axes = reduce_dims(dim, input.ndim)
    x = input.astype(acc_dtype(input, dtype))
    return jnp.sum(x, axis=axes, keepdims=keepdim, dtype=x.dtype)


def sum(input, dim=_NO, keepdim=_NO, *, dtype=None, out=None):  # noqa: A001
    """torch.sum(input, *, dtype) / torch.sum(input, dim, keepdim=False, *, dtype, out)."""
    if isinstance(out, Tensor) and dtype is None:
        dtype = out.dtype
    if dim is _NO:
        if keepdim is not _NO:
            raise _invalid("sum", input, keepdim=keepdim)
        if out is not None:
            return _call(_sum_dim, input, None, False, dtype, out=out)
        return _call(_sum_all, input, dtype)
    keepdim = False if keepdim is _NO else _check_bool("sum", "keepdim", 2, keepdim)
    return _call(_sum_dim, input, dim, keepdim, dtype, out=out)


@op("nansum(Tensor input, dim? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", method=True,
    promote="none", saves=("input",))
def nansum(input, dim=None, keepdim=False, dtype=None):
    if is_complex(input) or (dtype is not None and dtype.is_complex):
        raise RuntimeError("nansum on CPU does not support complex inputs")
    axes = reduce_dims(dim, input.ndim)
    x = input.astype(acc_dtype(input, dtype))
    if is_float(x):
        x = nan_to_zero(x)
    return jnp.sum(x, axis=axes, keepdims=keepdim, dtype=x.dtype)


def _mean_dtype(x, dtype, name="mean"):
    if dtype is not None:
        if not (dtype.is_floating_point or dtype.is_complex):
            raise RuntimeError(
                f"{name}(): could not infer output dtype. Optional dtype must be either a floating point or "
                f"complex dtype. Got: {dtype._scalar_name}"
            )
        return dtype._np
    if not (is_float(x) or is_complex(x)):
        raise RuntimeError(
            f"{name}(): could not infer output dtype. Input dtype must be either a floating point or complex "
            f"dtype. Got: {_dtname(x)}"
        )
    return x.dtype


@_kernel("mean(Tensor input, *, ScalarType? dtype=None) -> Tensor", short="mean", saves=(), grad="MeanBackward0")
def _mean_all(input, dtype=None):
    return jnp.mean(input.astype(_mean_dtype(input, dtype)))


@_kernel("mean.dim(Tensor input, dim? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", short="mean",
         saves=(), grad="MeanBackward1")
def _mean_dim(input, dim, keepdim=False, dtype=None):
    dt = _mean_dtype(input, dtype)
    axes = reduce_dims(dim, input.ndim)
    return jnp.mean(input.astype(dt), axis=axes, keepdims=keepdim)


def mean(input, dim=_NO, keepdim=_NO, *, dtype=None, out=None):
    """torch.mean(input, *, dtype) / torch.mean(input, dim, keepdim=False, *, dtype, out)."""
    if dim is _NO:
        if keepdim is not _NO:
            raise _invalid("mean", input, keepdim=keepdim)
        if out is not None:
            return _call(_mean_dim, input, None, False, dtype, out=out)
        return _call(_mean_all, input, dtype)
    keepdim = False if keepdim is _NO else _check_bool("mean", "keepdim", 2, keepdim)
    return _call(_mean_dim, input, dim, keepdim, dtype, out=out)


@op("nanmean(Tensor input, dim? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", method=True,
    promote="none", grad="DivBackward0")
def nanmean(input, dim=None, keepdim=False, dtype=None):
    if is_complex(input):
        raise RuntimeError("nansum on CPU does not support complex inputs")
    if not (is_float(input) or is_complex(input)):
        raise RuntimeError(
            f"nanmean(): expected input to have floating point or complex dtype but got {_dtname(input)}"
        )
    axes = reduce_dims(dim, input.ndim)
    x = input.astype(acc_dtype(input, dtype))
    ok = ~jnp.isnan(x)
    s = jnp.sum(nan_to_zero(x), axis=axes, keepdims=keepdim)
    n = jnp.sum(ok, axis=axes, keepdims=keepdim)
    return s / n.astype(s.dtype)


# ------------------------------------------------------------------ prod


@_kernel("prod(Tensor input, *, ScalarType? dtype=None) -> Tensor", short="prod", grad="ProdBackward0")
def _prod_all(input, dtype=None):
    x = input.astype(acc_dtype(input, dtype))
    return jnp.prod(x, dtype=x.dtype)


@_kernel("prod.dim(Tensor input, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", short="prod",
         grad="ProdBackward1")
def _prod_dim(input, dim, keepdim=False, dtype=None):
    d = wrap_dim(dim, input.ndim)
    axes = (d,) if input.ndim else ()
    x = input.astype(acc_dtype(input, dtype))
    return jnp.prod(x, axis=axes, keepdims=keepdim, dtype=x.dtype)


def prod(input, dim=_NO, keepdim=_NO, *, dtype=None, out=None):
    """torch.prod(input, *, dtype) / torch.prod(input, dim, keepdim=False, *, dtype, out)."""
    if isinstance(out, Tensor) and dtype is None:
        dtype = out.dtype
    if dim is _NO or dim is None:
        if keepdim is not _NO or dim is None:
            raise _invalid("prod", input, keepdim=keepdim)
        if out is not None:
            return _write_full_out(_call(_prod_all, input, dtype), out)
        return _call(_prod_all, input, dtype)
    if isinstance(dim, (tuple, list)):
        raise _invalid("prod", input, dim)
    keepdim = False if keepdim is _NO else _check_bool("prod", "keepdim", 2, keepdim)
    return _call(_prod_dim, input, dim, keepdim, dtype, out=out)


def _write_full_out(res, out):
    if res.requires_grad:
        raise RuntimeError(
            "functions with out=... arguments don't support automatic differentiation, but one of the "
            "arguments requires grad."
        )
    R.copy_into_out(res._v(), out)
    return out


# ------------------------------------------------------------------ std / var


def _var_core(x, axes, correction, take_sqrt=False):
    """(M2 / max(0, N - correction)) as torch computes it (|x - mean|^2 for complex), accumulated in
    torch's CPU accumulation type (double for float)."""
    n = math.prod(x.shape[a] for a in axes) if axes else (1 if x.ndim == 0 else x.size)
    out_dt = jnp.real(jnp.zeros((), x.dtype)).dtype
    x = x.astype(cum_acc_dtype(x.dtype))
    m = jnp.mean(x, axis=axes, keepdims=True)
    d = x - m
    sq = (d.real * d.real + d.imag * d.imag) if is_complex(x) else d * d
    m2 = jnp.sum(sq, axis=axes)
    dof = builtins.max(0.0, n - correction)
    v = m2 / jnp.asarray(dof, m2.dtype)
    return (jnp.sqrt(v) if take_sqrt else v).astype(out_dt), n


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2, 3, 4))
def _var_fn(x, axes, correction, full, take_sqrt):
    return _var_core(x, axes, correction, take_sqrt)[0]


def _var_fwd(x, axes, correction, full, take_sqrt):
    r = _var_fn(x, axes, correction, full, take_sqrt)
    return r, (x, r)


def _var_bwd(axes, correction, full, take_sqrt, res, g):
    # torch's std_backward / var_backward (FunctionsManual.cpp)
    x, r = res
    if take_sqrt:
        g = jnp.where(r == 0, jnp.zeros((), g.dtype), g / (r * 2))
    gk = jnp.expand_dims(g, axes) if axes else g
    n = math.prod(x.shape[a] for a in axes) if axes else x.size
    mean = jnp.mean(x, axis=axes, keepdims=True)
    dof = n - correction
    if full and dof <= 0:
        out = gk * jnp.where(x == mean, jnp.nan, jnp.inf).astype(gk.dtype)
    else:
        scale = (2.0 / dof) if dof != 0 else math.inf
        out = (scale * gk) * (x - mean)
    if is_complex(x):
        out = jnp.conj(out.astype(x.dtype))
    return (out.astype(x.dtype),)


_var_fn.defvjp(_var_fwd, _var_bwd)


def _check_var_dtype(x, name="std and var"):
    if not (is_float(x) or is_complex(x)):
        raise RuntimeError(f"{name} only support floating point and complex dtypes")


def _var_warn(name, x, axes, correction):
    n = math.prod(x.shape[a] for a in axes) if axes else x.size
    if n - correction <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
            "(input numel divided by output numel).",
            UserWarning,
            stacklevel=4,
        )


def _var_impl(x, dim, correction, keepdim, take_sqrt):
    axes = reduce_dims(dim, x.ndim)
    full = dim is None or dim == () or x.ndim == 0
    r = _var_fn(x, axes, correction, full, take_sqrt)
    return jnp.expand_dims(r, axes) if keepdim and axes else r


@_kernel("std(Tensor input, dim? dim=None, float correction=1, bool keepdim=False) -> Tensor", short="std",
         grad="StdBackward0")
def _std_k(input, dim, correction, keepdim):
    _check_var_dtype(input)
    return _var_impl(input, dim, correction, keepdim, True)


@_kernel("var(Tensor input, dim? dim=None, float correction=1, bool keepdim=False) -> Tensor", short="var",
         grad="VarBackward0")
def _var_k(input, dim, correction, keepdim):
    _check_var_dtype(input)
    return _var_impl(input, dim, correction, keepdim, False)


@_kernel("std_mean(Tensor input, dim? dim=None, float correction=1, bool keepdim=False) -> (Tensor, Tensor)",
         short="std_mean", grad="StdMeanBackward0")
def _std_mean_k(input, dim, correction, keepdim):
    _check_var_dtype(input, "std_mean")
    axes = reduce_dims(dim, input.ndim)
    return _var_impl(input, dim, correction, keepdim, True), jnp.mean(input, axis=axes, keepdims=keepdim)


@_kernel("var_mean(Tensor input, dim? dim=None, float correction=1, bool keepdim=False) -> (Tensor, Tensor)",
         short="var_mean", grad="VarMeanBackward0")
def _var_mean_k(input, dim, correction, keepdim):
    _check_var_dtype(input, "var_mean")
    axes = reduce_dims(dim, input.ndim)
    return _var_impl(input, dim, correction, keepdim, False), jnp.mean(input, axis=axes, keepdims=keepdim)


def _parse_var(name, input, dim, unbiased, keepdim, correction):
    """torch's three overloads: (input, unbiased), (input, dim, unbiased, keepdim), (input, dim, *, correction, keepdim)."""
    if isinstance(dim, builtins.bool):
        if unbiased is not _NO or keepdim is not _NO or correction is not _NO:
            raise _invalid(name, input, dim)
        unbiased, dim = dim, None
    if dim is _NO:
        dim = None
    if unbiased is not _NO and correction is not _NO:
        raise _invalid(name, input, dim, unbiased=unbiased, correction=correction)
    if correction is _NO or correction is None:
        corr = 1 if unbiased is _NO or unbiased else 0
    else:
        if isinstance(correction, Tensor):
            correction = correction.item()
        corr = correction
    keepdim = False if keepdim is _NO else keepdim
    if isinstance(input, Tensor):
        v = input._v()
        axes = reduce_dims(dim, v.ndim)
        _var_warn(name.split("_")[0], v, axes, corr)
    return dim, float(corr), keepdim


def _var_front(name, kop):
    def f(input, dim=_NO, unbiased=_NO, keepdim=_NO, *, correction=_NO, out=None):
        d, c, k = _parse_var(name, input, dim, unbiased, keepdim, correction)
        return _call(kop, input, d, c, k, out=out)

    f.__doc__ = f"torch.{name}: overloads (input, unbiased), (input, dim, unbiased, keepdim), " \
                "(input, dim, *, correction, keepdim)."
    return f


std = _var_front("std", _std_k)
var = _var_front("var", _var_k)
std_mean = _var_front("std_mean", _std_mean_k)
var_mean = _var_front("var_mean", _var_mean_k)


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
    return (jnp.argmax if kind == "max" else jnp.argmin)(x, axis=axis, keepdims=True).astype(np.int64)


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
            raise NotImplementedError(f'"{kind}_all" not implemented for \'{_dtname(input)}\'')
        _check_nonempty(kind, input, (), True)
        return choose_even(input, tuple(range(input.ndim)), False, kind)

    @_kernel(f"{kind}.dim(Tensor input, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)", short=kind,
             rt=kind, grad=f"{kind.capitalize()}Backward0")
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

    f.__doc__ = f"torch.{kind}: {kind}(input), {kind}(input, dim, keepdim=False) -> (values, indices), " \
                f"{kind}(input, other) (= torch.{binary})."
    return f


max = _minmax_front("max", _max_full, _max_dim, "maximum")  # noqa: A001
min = _minmax_front("min", _min_full, _min_dim, "minimum")  # noqa: A001


def _amaxmin(kind):
    @op(f"a{kind}(Tensor input, int[1] dim=[], bool keepdim=False) -> Tensor", method=True, promote="none")
    def f(input, dim=(), keepdim=False):
        if is_complex(input):
            raise NotImplementedError(f'"{kind}_values_cpu" not implemented for \'{_dtname(input)}\'')
        axes = reduce_dims(dim, input.ndim)
        full = not dim or input.ndim == 0
        _check_nonempty(f"a{kind}", input, axes, full)
        return _choose(input, axes, keepdim, kind, False)

    return f


amax = _amaxmin("max")
amin = _amaxmin("min")


@op("aminmax(Tensor input, *, int? dim=None, bool keepdim=False) -> (Tensor min, Tensor max)", method=True,
    promote="none")
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
            return (_choose(input, axes, True, "min", False), _choose(input, axes, True, "max", False))
        return _choose(input, axes, False, "min", False), _choose(input, axes, False, "max", False)
    check_dim_mask(input.ndim)
    d = wrap_dim(dim, input.ndim)
    axes = (d,) if input.ndim else ()
    _check_nonempty("aminmax", input, axes, False, sep=":")
    return _choose(input, axes, keepdim, "min", False), _choose(input, axes, keepdim, "max", False)


def _argminmax(kind):
    @op(f"arg{kind}(Tensor input, int? dim=None, bool keepdim=False) -> Tensor", method=True, promote="none",
        differentiable=False)
    def f(input, dim=None, keepdim=False):
        if is_bool(input):
            raise RuntimeError(f"arg{kind}(): does not support bool input")
        if is_complex(input):
            raise RuntimeError(f"arg{kind}(): does not support complex input")
        if dim is None:
            if input.size == 0:
                raise IndexError(f"arg{kind}(): Expected reduction dim to be specified for input.numel() == 0.")
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


# ------------------------------------------------------------------ all / any / count_nonzero


def _logical_reduce(kind):
    @op(f"{kind}(Tensor input, dim? dim=None, bool keepdim=False) -> Tensor", method=True, promote="none",
        differentiable=False)
    def f(input, dim=None, keepdim=False):
        b = input if is_bool(input) else (input != 0)
        if dim == ():
            r = b  # an empty dim list reduces nothing
        else:
            axes = reduce_dims(dim, input.ndim)
            r = (jnp.all if kind == "all" else jnp.any)(b, axis=axes, keepdims=keepdim)
        return r.astype(np.uint8) if input.dtype == np.uint8 else r

    return f


all = _logical_reduce("all")  # noqa: A001
any = _logical_reduce("any")  # noqa: A001


@op("count_nonzero(Tensor input, dim? dim=None) -> Tensor", method=True, promote="none", differentiable=False)
def count_nonzero(input, dim=None):
    axes = reduce_dims(dim, input.ndim)
    return jnp.sum(input != 0, axis=axes).astype(np.int64)


# ------------------------------------------------------------------ logsumexp


def _lse_value(x, axes, keepdim):
    if x.size == 0:
        return jnp.log(jnp.sum(jnp.exp(x), axis=axes, keepdims=keepdim))
    re = x.real if is_complex(x) else x
    m = jnp.max(re, axis=axes, keepdims=True)
    m = jnp.where(jnp.abs(m) == jnp.inf, jnp.zeros((), m.dtype), m)
    s = jnp.sum(jnp.exp(x - m.astype(x.dtype)), axis=axes, keepdims=True)
    r = jnp.log(s) + m.astype(x.dtype)
    return r if keepdim else (jnp.squeeze(r, axes) if axes else r)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2))
def _lse(x, axes, keepdim):
    return _lse_value(x, axes, keepdim)


def _lse_fwd(x, axes, keepdim):
    r = _lse_value(x, axes, keepdim)
    return r, (x, r)


def _lse_bwd(axes, keepdim, res, g):
    x, r = res
    gk, rk = _keep(g, axes, keepdim), _keep(r, axes, keepdim)
    out = gk * jnp.exp(x - rk)
    return (jnp.conj(out) if is_complex(x) else out,)


_lse.defvjp(_lse_fwd, _lse_bwd)


@op("logsumexp(Tensor input, int[1] dim, bool keepdim=False) -> Tensor", method=True, promote="float")
def logsumexp(input, dim, keepdim=False):
    axes = reduce_dims(dim, input.ndim)
    return _lse(input, axes, keepdim)


# ------------------------------------------------------------------ norms


def _vnorm_value(x, p, axes, keepdim):
    a = jnp.abs(x)
    if p == math.inf:
        return jnp.max(a, axis=axes, keepdims=keepdim)
    if p == -math.inf:
        return jnp.min(a, axis=axes, keepdims=keepdim)
    if p == 0:
        return jnp.sum(a != 0, axis=axes, keepdims=keepdim).astype(a.dtype)
    if p == 1:
        return jnp.sum(a, axis=axes, keepdims=keepdim)
    if p == 2:
        return jnp.sqrt(jnp.sum(a * a, axis=axes, keepdims=keepdim))
    return jnp.sum(a ** p, axis=axes, keepdims=keepdim) ** (1.0 / p)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2, 3))
def _vnorm(x, p, axes, keepdim):
    return _vnorm_value(x, p, axes, keepdim)


def _vnorm_fwd(x, p, axes, keepdim):
    r = _vnorm_value(x, p, axes, keepdim)
    return r, (x, r)


def _sgn(x):
    if is_complex(x):
        a = jnp.abs(x)
        return jnp.where(a == 0, jnp.zeros((), x.dtype), x / jnp.where(a == 0, 1, a).astype(x.dtype))
    return jnp.sign(x)


def _vnorm_bwd(p, axes, keepdim, res, g):
    # torch's norm_backward (FunctionsManual.cpp), in torch's complex convention
    x, norm = res
    g, norm = _keep(g, axes, keepdim), _keep(norm, axes, keepdim)
    zero = jnp.zeros((), g.dtype)
    a = jnp.abs(x)
    if p == 0:
        out = jnp.zeros_like(x)
    elif p == 1:
        out = _sgn(x) * g
    elif p == 2:
        out = jnp.where(norm == 0, jnp.zeros((), x.dtype), g * (x / norm))
    elif math.isinf(p):
        mask = (a == norm) | jnp.isnan(a)
        cnt = jnp.sum(mask, axis=axes, keepdims=True).astype(g.dtype)
        out = _sgn(x) * mul_mask(g / cnt, mask)
    elif p < 1:
        scaled = _sgn(x) * jnp.where(x == 0, zero, a ** (p - 1))
        out = scaled * g * norm ** (1 - p)
    elif p < 2:
        scaled = _sgn(x) * a ** (p - 1)
        scale_v = jnp.where(norm == 0, zero, g / norm ** (p - 1))
        out = scaled * scale_v
    else:
        scaled = x * a ** (p - 2)
        scale_v = jnp.where(norm == 0, zero, g / norm ** (p - 1))
        out = scaled * scale_v
    out = out.astype(x.dtype)
    return (jnp.conj(out) if is_complex(x) else out,)


_vnorm.defvjp(_vnorm_fwd, _vnorm_bwd)


def vector_norm_value(x, p, dim, keepdim, dtype, name="linalg.vector_norm"):
    """torch.linalg.vector_norm's value as a jax function (torch's dtype rules and errors)."""
    if not (is_float(x) or is_complex(x)):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {_dtname(x)}")
    if dtype is not None:
        x = x.astype(dtype._np)
    axes = reduce_dims(dim, x.ndim)
    if x.size == 0 and p < 0 or (x.size == 0 and math.isinf(p)):
        if dim is None or dim == () or x.ndim == 0:
            raise RuntimeError(
                f"{name} cannot compute the {p} norm on an empty tensor because the operation does not have an "
                "identity"
            )
        for a in axes:
            if x.shape[a] == 0:
                raise RuntimeError(
                    f"{name} cannot compute the {p} norm on the dimension {a}because this dimension is empty and "
                    "the operation does not have an identity"
                )
    return _vnorm(x, float(p), axes, keepdim)


@_kernel("norm.vector(Tensor input, float p, dim? dim, bool keepdim, ScalarType? dtype) -> Tensor", short="norm",
         grad="LinalgVectorNormBackward0")
def _norm_vec(input, p, dim, keepdim, dtype):
    if dtype is not None and input.dtype != dtype._np and not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(
            f"linalg.vector_norm: dtype should be floating point or complex, but got {dtype._scalar_name}"
        )
    return vector_norm_value(input, p, dim, keepdim, dtype)


def _matrix_dims(x, dim):
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(str(d) for d in dim)}")
    d0, d1 = wrap_dim(dim[0], x.ndim), wrap_dim(dim[1], x.ndim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, {dim[1]})")
    return d0, d1


@_kernel("norm.matrix(Tensor input, str p, int[] dim, bool keepdim, ScalarType? dtype) -> Tensor", short="norm",
         grad="SumBackward1")
def _norm_mat(input, p, dim, keepdim, dtype):
    if input.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    if not (is_float(input) or is_complex(input)):
        raise RuntimeError(
            f"linalg.matrix_norm: Expected a floating point or complex tensor as input. Got {_dtname(input)}"
        )
    if p not in ("fro", "nuc"):
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    d0, d1 = _matrix_dims(input, dim)
    x = input.astype(dtype._np) if dtype is not None else input
    if p == "fro":
        return _vnorm(x, 2.0, tuple(sorted((d0, d1))), keepdim)
    xm = jnp.moveaxis(x, (d0, d1), (-2, -1))
    s = jnp.linalg.svd(xm, compute_uv=False)
    r = jnp.sum(s, axis=-1)
    if keepdim:
        r = jnp.expand_dims(r, tuple(sorted((d0, d1))))
    return r


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm (torch/functional.py): vector norms through linalg.vector_norm, 'nuc' (and 'fro' over
    more than two dims) through linalg.matrix_norm."""
    if isinstance(dim, (int, np.integer)) and not isinstance(dim, builtins.bool):
        _dim = (int(dim),)
    elif dim is not None:
        _dim = tuple(dim)
    else:
        _dim = None
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
            if out is not None:
                expect_out_dtype(out, ((dtype or input.dtype).to_real(),))
            return _call(_norm_vec, input, 2.0, _dim, keepdim, dtype, out=out)
        if _dim is None:
            _dim = tuple(range(input.dim()))
        return _call(_norm_mat, input, p, _dim, keepdim, dtype, out=out)
    _p = 2.0 if p is None else p
    if isinstance(_p, Tensor):
        _p = _p.item()
    if out is not None:
        expect_out_dtype(out, ((dtype or input.dtype).to_real(),))
    return _call(_norm_vec, input, float(_p), _dim, keepdim, dtype, out=out)


def _norm_method(self, p="fro", dim=None, keepdim=False, dtype=None):
    return norm(self, p, dim, keepdim, dtype=dtype)


@op("dist(Tensor input, Tensor other, float p=2) -> Tensor", method=True, promote=("input", "other"))
def dist(input, other, p=2.0):
    # p is static: torch's norm formula (and its backward) depends on its value
    if not (is_float(input) or is_complex(input)):
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {_dtname(input)}"
        )
    d = input - other
    return _vnorm(d, float(p), tuple(range(d.ndim)), False)


def _renorm_check(input, p, dim, maxnorm):
    if isinstance(p, Tensor):
        p = p.item()
    if isinstance(maxnorm, Tensor):
        maxnorm = maxnorm.item()
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm:g}")
    if input.dim() <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.dim()} dimensions")


@op("renorm(Tensor input, float p, int dim, float maxnorm) -> Tensor", method=True, inplace=True, promote="none",
    check=_renorm_check)
def renorm(input, p, dim, maxnorm):
    d = wrap_dim(dim, input.ndim)
    axes = tuple(i for i in range(input.ndim) if i != d)
    n = vector_norm_value(input, p, axes, True, None)
    factor = jnp.where(n > maxnorm, maxnorm / (n + 1e-7), jnp.ones((), n.dtype))
    return (input * factor.astype(input.dtype)).astype(input.dtype)


# ------------------------------------------------------------------ scans


@op("cumsum(Tensor input, int dim, *, ScalarType? dtype=None) -> Tensor", method=True, inplace=True,
    promote="none", saves=())
def cumsum(input, dim, dtype=None):
    d = wrap_dim(dim, input.ndim)
    x = input.astype(acc_dtype(input, dtype))
    if x.ndim == 0:
        return x
    return _cum(jnp.cumsum, x, d)


def cum_acc_dtype(dt):
    """torch's CPU scans accumulate in at::acc_type<T, false>: double for float, float for half/bfloat16
    (on accelerators torch accumulates float in float, which is what we do there too)."""
    dt = np.dtype(dt)
    if dt in (np.dtype(np.float16), np.dtype(jnp.bfloat16)):
        return np.dtype(np.float32)
    if jax.default_backend() == "cpu":
        if dt == np.float32:
            return np.dtype(np.float64)
        if dt == np.complex64:
            return np.dtype(np.complex128)
    return dt


def _cum(f, x, d):
    """A cumulative ``f`` (jnp.cumsum / jnp.cumprod) along ``d`` in torch's accumulation dtype."""
    acc = cum_acc_dtype(x.dtype)
    if acc == x.dtype:
        return f(x, axis=d, dtype=x.dtype)
    return f(x.astype(acc), axis=d, dtype=acc).astype(x.dtype)


def _rev_cumsum(x, d):
    return jnp.flip(_cum(jnp.cumsum, jnp.flip(x, d), d), d)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _cumprod(x, d):
    return _cum(jnp.cumprod, x, d)


def _cumprod_fwd(x, d):
    r = _cumprod(x, d)
    return r, (x, r)


def _cumprod_bwd(d, res, g):
    # torch's cumprod_backward (FunctionsManual.cpp, the O(n) formula), in torch's complex convention
    x, out = res
    g = jnp.conj(g)
    if x.size <= 1 or x.shape[d] == 1:
        return (jnp.conj(g),)
    xc, oc = jnp.conj(x), jnp.conj(out)
    zero = jnp.zeros((), g.dtype)
    w = oc * g
    is_zero = x == 0
    cz = jnp.cumsum(is_zero.astype(np.int32), axis=d)
    mask0 = cz == 0
    part0 = jnp.where(mask0, _rev_cumsum(jnp.where(mask0, w, zero), d) / xc, zero)
    mask1 = cz == 1
    fzi = jnp.argmax(mask1, axis=d, keepdims=True)
    iota = lax.broadcasted_iota(fzi.dtype, x.shape, d)
    first = (iota == fzi) & mask1
    between = mask1 & ~first
    prev = jnp.take_along_axis(oc, jnp.maximum(fzi - 1, 0), axis=d)
    prev = jnp.where(fzi == 0, jnp.ones((), prev.dtype), prev)
    val = jnp.sum(_cum(jnp.cumprod, jnp.where(between, xc, jnp.ones((), xc.dtype)), d) * jnp.where(cz != 1, zero, g),
                  axis=d, keepdims=True) * prev
    out_g = part0 + jnp.where(first, val, zero)
    return (jnp.conj(out_g),)


_cumprod.defvjp(_cumprod_fwd, _cumprod_bwd)


@op("cumprod(Tensor input, int dim, *, ScalarType? dtype=None) -> Tensor", method=True, inplace=True,
    promote="none")
def cumprod(input, dim, dtype=None):
    d = wrap_dim(dim, input.ndim)
    x = input.astype(acc_dtype(input, dtype))
    if x.ndim == 0:
        return x
    if is_float(x) or is_complex(x):
        return _cumprod(x, d)
    return _cum(jnp.cumprod, x, d)


def _cum_choose(x, d, kind):
    """cummax/cummin (values, int64 indices): ties and NaNs take the later index, as torch does."""
    if x.ndim == 0:
        return x, jnp.zeros((), np.int64)
    if x.shape[d] == 0:
        return x, jnp.zeros(x.shape, np.int64)
    idx = lax.broadcasted_iota(np.int64, x.shape, d)
    cmp_x = x.astype(np.int8) if is_bool(x) else x

    def combine(a, b):
        va, ia = a
        vb, ib = b
        take_b = (vb >= va) if kind == "max" else (vb <= va)
        if is_float(cmp_x):
            take_b = take_b | jnp.isnan(vb)
        return jnp.where(take_b, vb, va), jnp.where(take_b, ib, ia)

    _, ind = lax.associative_scan(combine, (cmp_x, idx), axis=d)
    return jnp.take_along_axis(x, ind, axis=d), ind


def _cum_kernel(kind):
    @op(f"cum{kind}(Tensor input, int dim) -> (Tensor values, Tensor indices)", method=True, promote="none")
    def f(input, dim):
        if is_complex(input):
            raise NotImplementedError(f'"cum{kind}_cpu" not implemented for \'{_dtname(input)}\'')
        if input.size == 0:  # torch returns before checking dim
            return input, jnp.zeros(input.shape, np.int64)
        d = wrap_dim(dim, input.ndim)
        return _cum_choose(input, d, kind)

    return f


cummax = _cum_kernel("max")
cummin = _cum_kernel("min")


def _complex_log_add_exp(x, y):
    """torch's complex _log_add_exp_helper (min/max by real part, NaNs infectious, infinities exact)."""
    xnan = jnp.isnan(x.real) | jnp.isnan(x.imag)
    ynan = jnp.isnan(y.real) | jnp.isnan(y.imag)
    lt = x.real < y.real
    mn = jnp.where(ynan, y, jnp.where(xnan, x, jnp.where(lt, x, y)))
    mx = jnp.where(ynan, y, jnp.where(xnan, x, jnp.where(lt, y, x)))
    general = jnp.log1p(jnp.exp(mn - mx)) + mx
    infinite = jnp.where(mn.real < 0, mn, jnp.log(jnp.exp(mn) + jnp.exp(mx)))
    nan = jnp.full((), complex(jnp.nan, jnp.nan), x.dtype)
    both_inf = ~jnp.isfinite(mn.real) & (mn.real == mx.real)
    return jnp.where(jnp.isnan(mn.real), nan, jnp.where(both_inf, infinite, general))


def _lcse_scan(x, d):
    acc = cum_acc_dtype(x.dtype)
    xa = x.astype(acc)
    if is_complex(x):
        r = lax.associative_scan(_complex_log_add_exp, xa, axis=d)
    else:
        r = lax.cumlogsumexp(xa, axis=d)
    return r.astype(x.dtype)


def _lcse_value(x, d):
    if x.ndim == 0 or x.shape[d] == 0:
        return x
    return _lcse_scan(x, d)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _lcse(x, d):
    return _lcse_value(x, d)


def _lcse_fwd(x, d):
    r = _lcse_value(x, d)
    return r, (x, r)


def _lcse_bwd(d, res, g):
    # torch's logcumsumexp_backward (FunctionsManual.cpp)
    x, r = res
    if x.ndim == 0 or x.shape[d] == 0:
        return (g,)

    def rev_lcse(t):
        return jnp.flip(_lcse_scan(jnp.flip(t, d), d), d)

    if is_complex(x):
        # torch: conj(exp(rev_lcse(log(conj(grad)) - result) + self)); JAX's cotangent is conj(grad)
        return (jnp.exp(rev_lcse(jnp.log(g) - r) + x),)
    lowest = jnp.asarray(jnp.finfo(g.dtype).min, g.dtype)
    log_abs = jnp.log(jnp.abs(g))
    pos = jnp.where(g > 0, log_abs, lowest)
    neg = jnp.where(g < 0, log_abs, lowest)
    out = jnp.exp(rev_lcse(pos - r) + x) - jnp.exp(rev_lcse(neg - r) + x)
    return (out,)


_lcse.defvjp(_lcse_fwd, _lcse_bwd)


@op("logcumsumexp(Tensor input, int dim) -> Tensor", method=True, promote="none")
def logcumsumexp(input, dim):
    if not (is_float(input) or is_complex(input)):
        raise NotImplementedError(f'"logcumsumexp_out_cpu" not implemented for \'{_dtname(input)}\'')
    d = wrap_dim(dim, input.ndim)
    return _lcse(input, d)


# ------------------------------------------------------------------ diff / trapezoid


def _diff_check(input, n=1, dim=-1, prepend=None, append=None):
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    for t in (prepend, append):
        if t is not None and t.dim() != input.dim():
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")


@op("diff(Tensor input, int n=1, int dim=-1, Tensor? prepend=None, Tensor? append=None) -> Tensor", method=True,
    check=_diff_check, grad="SubBackward0")
def diff(input, n=1, dim=-1, prepend=None, append=None):
    d = wrap_dim(dim, input.ndim)
    if n == 0:  # torch ignores prepend/append then
        return input
    parts = [t for t in (prepend, input, append) if t is not None]
    x = jnp.concatenate(parts, axis=d) if len(parts) > 1 else input
    for _ in range(n):
        if x.shape[d] == 0:
            break
        hi = lax.slice_in_dim(x, 1, x.shape[d], axis=d)
        lo = lax.slice_in_dim(x, 0, x.shape[d] - 1, axis=d)
        x = jnp.logical_xor(hi, lo) if is_bool(x) else hi - lo
    return x


def _trapz_promote(compute, args):
    return compute if compute.is_floating_point or compute.is_complex else D.get_default_dtype()


def _trap_x_check(y, x, dim=-1):
    if y.dim() == 0:
        raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but got {dim})")


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


@_kernel("trapezoid.x(Tensor y, Tensor x, *, int dim=-1) -> Tensor", short="trapezoid", promote=_trapz_promote,
         grad="DivBackward1")
def _trapezoid_x(y, x, dim=-1):
    d = wrap_dim(dim, y.ndim)
    if y.shape[d] == 0:
        return jnp.sum(y, axis=d) * jnp.zeros((), y.dtype)
    dx = _x_diff(y, x, d)
    hi = lax.slice_in_dim(y, 1, y.shape[d], axis=d)
    lo = lax.slice_in_dim(y, 0, y.shape[d] - 1, axis=d)
    return jnp.sum(dx * (hi + lo), axis=d) / 2


@_kernel("trapezoid.dx(Tensor y, *, float dx=1, int dim=-1) -> Tensor", short="trapezoid", promote=_trapz_promote,
         grad="MulBackward1")
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


@_kernel("cumulative_trapezoid.x(Tensor y, Tensor x, *, int dim=-1) -> Tensor", short="cumulative_trapezoid",
         promote=_trapz_promote, grad="DivBackward1")
def _cumtrapz_x(y, x, dim=-1):
    d = wrap_dim(dim, y.ndim)
    if y.shape[d] == 0:
        return y
    dx = _x_diff(y, x, d)
    hi = lax.slice_in_dim(y, 1, y.shape[d], axis=d)
    lo = lax.slice_in_dim(y, 0, y.shape[d] - 1, axis=d)
    return jnp.cumsum(dx * (hi + lo), axis=d) / 2


@_kernel("cumulative_trapezoid.dx(Tensor y, *, float dx=1, int dim=-1) -> Tensor", short="cumulative_trapezoid",
         promote=_trapz_promote, grad="CumsumBackward0")
def _cumtrapz_dx(y, dx=1.0, dim=-1):
    d = wrap_dim(dim, y.ndim)
    if y.shape[d] == 0:
        return y
    hi = lax.slice_in_dim(y, 1, y.shape[d], axis=d)
    lo = lax.slice_in_dim(y, 0, y.shape[d] - 1, axis=d)
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


@_kernel("gradient.scalars(Tensor input, float[] spacing, int[] dim, int edge_order=1) -> Tensor[]",
         short="gradient", grad="CatBackward0")
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


@_kernel("gradient.coordinates(Tensor input, Tensor[] spacing, int[] dim, int edge_order=1) -> Tensor[]",
         short="gradient", grad="CatBackward0")
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
    dims = tuple(range(input.dim())) if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
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
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
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


# ------------------------------------------------------------------ sum_to_size


def _sum_to(input, size):
    size = tuple(size)
    shape = input.shape
    if len(size) > len(shape) or builtins.any(
        s != 1 and s != t for s, t in zip(size, shape[len(shape) - len(size):])
    ):
        raise RuntimeError(f"size {{{', '.join(str(s) for s in size)}}} is not expandable to size "
                           f"{{{', '.join(str(s) for s in shape)}}}.")
    lead = len(shape) - len(size)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(size) if s == 1 and shape[lead + i] != 1
    )
    if not axes:
        return input.reshape(size)
    x = input.astype(acc_dtype(input, None))
    r = jnp.sum(x, axis=axes, keepdims=True, dtype=x.dtype)
    return r.reshape(size)


@_kernel("sum_to_size(Tensor input, int[] size) -> Tensor", short="sum_to_size", saves=(), grad="SumBackward1")
def _sum_to_size_same_rank(input, size):
    return _sum_to(input, size)


@_kernel("sum_to_size.view(Tensor input, int[] size) -> Tensor", short="sum_to_size", saves=(),
         grad="ViewBackward0")
def _sum_to_size_lower_rank(input, size):
    return _sum_to(input, size)


def _sum_to_size(self, *size, **kw):
    """Tensor.sum_to_size(*size): sum ``self`` down to ``size`` (which ``self`` must expand from)."""
    size = R._unpack_varargs(size, kw, "size", "sum_to_size")
    size = tuple(size) if size is not None else ()
    if not size:
        return sum(self)  # at::sum_to: an empty target shape is a full sum (SumBackward0)
    if tuple(size) == tuple(self.shape):
        return self
    k = _sum_to_size_lower_rank if len(size) < self.dim() else _sum_to_size_same_rank
    return _call(k, self, size)


# ------------------------------------------------------------------ installation of the front ends

for _name, _fn in (("sum", sum), ("mean", mean), ("prod", prod), ("std", std), ("var", var), ("max", max),
                   ("min", min)):
    _install(_name, _fn)
for _name, _fn in (("std_mean", std_mean), ("var_mean", var_mean), ("trapezoid", trapezoid), ("trapz", trapz),
                   ("cumulative_trapezoid", cumulative_trapezoid)):
    _install(_name, _fn, method=False)
_install("norm", norm, method=False)
_install("gradient", gradient, method=False)
register_method("norm", _norm_method)
register_method("sum_to_size", _sum_to_size)


def _cum_inplace(name):
    gen = R._METHODS[name + "_"]

    def method(self, dim, *, dtype=None):
        if dtype is not None and dtype is not self.dtype:
            raise RuntimeError(
                f"Bad in-place call: input tensor dtype {_TYPEMETA.get(self.dtype._name, self.dtype._name)} and "
                f"output tensor dtype {_TYPEMETA.get(dtype._name, dtype._name)} should match"
            )
        return gen(self, dim, dtype=dtype)

    method.__name__ = name + "_"
    R.override_method(name + "_", method)


def _amax_out(inp, out, args, kwargs):
    o = _outs(out)[0]
    if o.dtype is not inp.dtype:
        raise RuntimeError(
            f"Expected the dtype for input and out to match, but got {inp.dtype._scalar_name} for input's dtype and "
            f"{o.dtype._scalar_name} for out's dtype."
        )


def _logical_out(name):
    def check(inp, out, args, kwargs):
        o = _outs(out)[0]
        if o.dtype not in (D.bool, D.uint8):
            raise RuntimeError(f"{name} only supports bool tensor for result, got: {o.dtype._scalar_name}")

    return check


def _cum_out(inp, out, args, kwargs):
    for o, d in zip(_outs(out), (inp.dtype, D.int64)):
        if o.dtype is not d:
            raise RuntimeError(f"expected scalar_type {d._scalar_name} but found {o.dtype._scalar_name}")


wrap_out_dtype("cumsum")
wrap_out_dtype("cumprod")
wrap_out_dtype("nansum")
wrap_out_check("amax", _amax_out)
wrap_out_check("amin", _amax_out)
wrap_out_check("aminmax", lambda inp, out, a, k: expect_out_dtype(out, (inp.dtype, inp.dtype)))
wrap_out_check("argmax", lambda inp, out, a, k: expect_out_dtype(out, (D.int64,)))
wrap_out_check("argmin", lambda inp, out, a, k: expect_out_dtype(out, (D.int64,)))
wrap_out_check("all", _logical_out("all"))
wrap_out_check("any", _logical_out("any"))
wrap_out_check("cummax", _cum_out)
wrap_out_check("cummin", _cum_out)

_cum_inplace("cumsum")
_cum_inplace("cumprod")

# torch has Tensor.cumsum_/cumprod_/renorm_ but no torch.cumsum_ ...
for _name in ("cumsum_", "cumprod_", "renorm_"):
    if hasattr(R.namespace(""), _name):
        delattr(R.namespace(""), _name)

for _rt, _fields in (("max", ("values", "indices")), ("min", ("values", "indices")), ("aminmax", ("min", "max")),
                     ("cummax", ("values", "indices")), ("cummin", ("values", "indices"))):
    R.return_type(_rt, _fields)
