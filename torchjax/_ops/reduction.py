"""Reductions: sum, nansum, mean, nanmean, prod, std/var, std_mean/var_mean, all/any,
count_nonzero, logsumexp, norm, dist, renorm, sum_to_size; and the declaration helpers the other
reduction-family modules (minmax, cumulative, integration, sorting ...) share.

``dim`` accepts None, an int or a tuple (torch's ``int[1]? dim``); integer and bool inputs
sum and multiply in int64 as torch does; ``dtype=`` casts the input before reducing.

Ops whose torch overloads record different grad_fns (``x.sum()`` -> ``SumBackward0``,
``x.sum(0)`` -> ``SumBackward1``) are declared as internal kernels (``_kernel``) and reached
through a hand-written front end that parses torch's overloads. Gradients that JAX would compute
differently from torch (std at zero, norms at zero) use ``jax.custom_vjp`` with torch's backward
formulas.

std/var accumulate in torch's CPU accumulation type (double for float32) on the CPU backend
(``cum_acc_dtype``, shared with the scans). ``out=`` tensors of the wrong dtype are refused with
torch's messages where torch refuses them (all/any) and computed into where torch does (sum,
nansum ...).
"""

from __future__ import annotations

import builtins
import functools
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function, register_method
from ._util import is_bool, is_complex, is_float, is_int, reduce_dims, wrap_dim

_NO = object()  # "argument not given" (torch overloads depend on which arguments were passed)

_TYPEMETA = {
    "float32": "float",
    "float64": "double",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
    "float16": "c10::Half",
    "bfloat16": "c10::BFloat16",
    "complex64": "c10::complex<float>",
    "complex128": "c10::complex<double>",
}


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
    parts = [type(a).__name__ for a in args] + [
        f"{k}={type(v).__name__}" for k, v in kwargs.items()
    ]
    return TypeError(
        f"{name}() received an invalid combination of arguments - got ({', '.join(parts)}), "
        "but expected one of the overloads torch declares"
    )


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
    return jnp.where(
        mask, q, jnp.where(jnp.isfinite(q), jnp.zeros((), q.dtype), jnp.full((), jnp.nan, q.dtype))
    )


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
        raise TypeError(
            f"{name}(): argument '{argname}' (position {pos}) must be bool, not {type(v).__name__}"
        )
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
            raise RuntimeError(
                f"Expected out tensor to have dtype {tm(d)}, but got {tm(o.dtype)} instead"
            )


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


@_kernel(
    "sum(Tensor input, *, ScalarType? dtype=None) -> Tensor",
    short="sum",
    saves=(),
    grad="SumBackward0",
)
def _sum_all(input, dtype=None):
    x = input.astype(acc_dtype(input, dtype))
    return jnp.sum(x, dtype=x.dtype)


@_kernel(
    "sum.dim(Tensor input, dim? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    short="sum",
    saves=(),
    grad="SumBackward1",
)
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


@op(
    "nansum(Tensor input, dim? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    method=True,
    promote="none",
    saves=("input",),
)
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


@_kernel(
    "mean(Tensor input, *, ScalarType? dtype=None) -> Tensor",
    short="mean",
    saves=(),
    grad="MeanBackward0",
)
def _mean_all(input, dtype=None):
    return jnp.mean(input.astype(_mean_dtype(input, dtype)))


@_kernel(
    "mean.dim(Tensor input, dim? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    short="mean",
    saves=(),
    grad="MeanBackward1",
)
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


@op(
    "nanmean(Tensor input, dim? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    method=True,
    promote="none",
    grad="DivBackward0",
)
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


@_kernel(
    "prod(Tensor input, *, ScalarType? dtype=None) -> Tensor", short="prod", grad="ProdBackward0"
)
def _prod_all(input, dtype=None):
    x = input.astype(acc_dtype(input, dtype))
    return jnp.prod(x, dtype=x.dtype)


@_kernel(
    "prod.dim(Tensor input, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    short="prod",
    grad="ProdBackward1",
)
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


@_kernel(
    "std(Tensor input, dim? dim=None, float correction=1, bool keepdim=False) -> Tensor",
    short="std",
    grad="StdBackward0",
)
def _std_k(input, dim, correction, keepdim):
    _check_var_dtype(input)
    return _var_impl(input, dim, correction, keepdim, True)


@_kernel(
    "var(Tensor input, dim? dim=None, float correction=1, bool keepdim=False) -> Tensor",
    short="var",
    grad="VarBackward0",
)
def _var_k(input, dim, correction, keepdim):
    _check_var_dtype(input)
    return _var_impl(input, dim, correction, keepdim, False)


@_kernel(
    "std_mean(Tensor input, dim? dim=None, float correction=1, bool keepdim=False) -> (Tensor, Tensor)",
    short="std_mean",
    grad="StdMeanBackward0",
)
def _std_mean_k(input, dim, correction, keepdim):
    _check_var_dtype(input, "std_mean")
    axes = reduce_dims(dim, input.ndim)
    return _var_impl(input, dim, correction, keepdim, True), jnp.mean(
        input, axis=axes, keepdims=keepdim
    )


@_kernel(
    "var_mean(Tensor input, dim? dim=None, float correction=1, bool keepdim=False) -> (Tensor, Tensor)",
    short="var_mean",
    grad="VarMeanBackward0",
)
def _var_mean_k(input, dim, correction, keepdim):
    _check_var_dtype(input, "var_mean")
    axes = reduce_dims(dim, input.ndim)
    return _var_impl(input, dim, correction, keepdim, False), jnp.mean(
        input, axis=axes, keepdims=keepdim
    )


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

    f.__doc__ = (
        f"torch.{name}: overloads (input, unbiased), (input, dim, unbiased, keepdim), "
        "(input, dim, *, correction, keepdim)."
    )
    return f


std = _var_front("std", _std_k)
var = _var_front("var", _var_k)
std_mean = _var_front("std_mean", _std_mean_k)
var_mean = _var_front("var_mean", _var_mean_k)


# ------------------------------------------------------------------ all / any / count_nonzero


def _logical_reduce(kind):
    @op(
        f"{kind}(Tensor input, dim? dim=None, bool keepdim=False) -> Tensor",
        method=True,
        promote="none",
        differentiable=False,
    )
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


@op(
    "count_nonzero(Tensor input, dim? dim=None) -> Tensor",
    method=True,
    promote="none",
    differentiable=False,
)
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


@op(
    "logsumexp(Tensor input, int[1] dim, bool keepdim=False) -> Tensor",
    method=True,
    promote="float",
)
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
    return jnp.sum(a**p, axis=axes, keepdims=keepdim) ** (1.0 / p)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1, 2, 3))
def _vnorm(x, p, axes, keepdim):
    return _vnorm_value(x, p, axes, keepdim)


def _vnorm_fwd(x, p, axes, keepdim):
    r = _vnorm_value(x, p, axes, keepdim)
    return r, (x, r)


def _sgn(x):
    if is_complex(x):
        a = jnp.abs(x)
        return jnp.where(
            a == 0, jnp.zeros((), x.dtype), x / jnp.where(a == 0, 1, a).astype(x.dtype)
        )
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
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as input. Got {_dtname(x)}"
        )
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


@_kernel(
    "norm.vector(Tensor input, float p, dim? dim, bool keepdim, ScalarType? dtype) -> Tensor",
    short="norm",
    grad="LinalgVectorNormBackward0",
)
def _norm_vec(input, p, dim, keepdim, dtype):
    if (
        dtype is not None
        and input.dtype != dtype._np
        and not (dtype.is_floating_point or dtype.is_complex)
    ):
        raise RuntimeError(
            f"linalg.vector_norm: dtype should be floating point or complex, but got {dtype._scalar_name}"
        )
    return vector_norm_value(input, p, dim, keepdim, dtype)


def _matrix_dims(x, dim):
    if len(dim) != 2:
        raise RuntimeError(
            f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(str(d) for d in dim)}"
        )
    d0, d1 = wrap_dim(dim[0], x.ndim), wrap_dim(dim[1], x.ndim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, {dim[1]})")
    return d0, d1


@_kernel(
    "norm.matrix(Tensor input, str p, int[] dim, bool keepdim, ScalarType? dtype) -> Tensor",
    short="norm",
    grad="SumBackward1",
)
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


@op(
    "dist(Tensor input, Tensor other, float p=2) -> Tensor", method=True, promote=("input", "other")
)
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
        raise RuntimeError(
            f"renorm: input needs at least 2 dimensions, got {input.dim()} dimensions"
        )


@op(
    "renorm(Tensor input, float p, int dim, float maxnorm) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    check=_renorm_check,
)
def renorm(input, p, dim, maxnorm):
    d = wrap_dim(dim, input.ndim)
    axes = tuple(i for i in range(input.ndim) if i != d)
    n = vector_norm_value(input, p, axes, True, None)
    factor = jnp.where(n > maxnorm, maxnorm / (n + 1e-7), jnp.ones((), n.dtype))
    return (input * factor.astype(input.dtype)).astype(input.dtype)


# ------------------------------------------------------------------ sum_to_size


def _sum_to(input, size):
    size = tuple(size)
    shape = input.shape
    if len(size) > len(shape) or builtins.any(
        s != 1 and s != t for s, t in zip(size, shape[len(shape) - len(size) :])
    ):
        raise RuntimeError(
            f"size {{{', '.join(str(s) for s in size)}}} is not expandable to size "
            f"{{{', '.join(str(s) for s in shape)}}}."
        )
    lead = len(shape) - len(size)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(size) if s == 1 and shape[lead + i] != 1
    )
    if not axes:
        return input.reshape(size)
    x = input.astype(acc_dtype(input, None))
    r = jnp.sum(x, axis=axes, keepdims=True, dtype=x.dtype)
    return r.reshape(size)


@_kernel(
    "sum_to_size(Tensor input, int[] size) -> Tensor",
    short="sum_to_size",
    saves=(),
    grad="SumBackward1",
)
def _sum_to_size_same_rank(input, size):
    return _sum_to(input, size)


@_kernel(
    "sum_to_size.view(Tensor input, int[] size) -> Tensor",
    short="sum_to_size",
    saves=(),
    grad="ViewBackward0",
)
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

for _name, _fn in (("sum", sum), ("mean", mean), ("prod", prod), ("std", std), ("var", var)):
    _install(_name, _fn)
for _name, _fn in (("std_mean", std_mean), ("var_mean", var_mean)):
    _install(_name, _fn, method=False)
_install("norm", norm, method=False)
register_method("norm", _norm_method)
register_method("sum_to_size", _sum_to_size)


def _logical_out(name):
    def check(inp, out, args, kwargs):
        o = _outs(out)[0]
        if o.dtype not in (D.bool, D.uint8):
            raise RuntimeError(
                f"{name} only supports bool tensor for result, got: {o.dtype._scalar_name}"
            )

    return check


wrap_out_dtype("nansum")
wrap_out_check("all", _logical_out("all"))
wrap_out_check("any", _logical_out("any"))

# torch has Tensor.renorm_ but no torch.renorm_
for _name in ("renorm_",):
    if hasattr(R.namespace(""), _name):
        delattr(R.namespace(""), _name)
