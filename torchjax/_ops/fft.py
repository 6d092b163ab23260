"""torch.fft: discrete Fourier transforms over jnp.fft, with torch's argument rules, dtypes and grad_fns.

The front ends resolve ``n``/``s``/``dim``/``norm`` exactly as torch does (and raise torch's
errors); the transforms run as three ops named after torch's backward nodes (complex-to-complex,
real-to-complex, complex-to-real), so ``y.grad_fn`` reads ``FftC2CBackward0`` etc. Integer and bool
inputs are promoted to the default float dtype; half precision is refused as on torch's CPU.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, wrap
from ._registry import op, register_function
from .blas import _write_out_composite

_NORMS = (None, "backward", "forward", "ortho")


def _swap(norm):
    return {None: "forward", "backward": "forward", "forward": "backward", "ortho": "ortho"}[norm]


# ------------------------------------------------------------------ the transforms (jax)


def _work_dtype(x, complex_):
    dt = x.dtype
    if jnp.issubdtype(dt, jnp.complexfloating):
        return dt
    if not jnp.issubdtype(dt, jnp.floating):
        dt = D.get_default_dtype()._np
    if complex_:
        return jnp.result_type(dt, np.complex64)
    return dt


def _resize(x, s, dims):
    """Crop or zero-pad ``x`` to sizes ``s`` along ``dims``."""
    for n, d in zip(s, dims):
        cur = x.shape[d]
        if n < cur:
            x = jnp.take(x, jnp.arange(n), axis=d)
        elif n > cur:
            pad = [(0, 0)] * x.ndim
            pad[d] = (0, n - cur)
            x = jnp.pad(x, pad)
    return x


def _c2c(x, s, dims, norm, forward):
    x = x.astype(_work_dtype(x, True))
    x = _resize(x, s, dims)
    if not dims:
        return x
    f = jnp.fft.fftn if forward else jnp.fft.ifftn
    return f(x, axes=dims, norm=norm)


def _r2c(x, s, dims, norm, forward):
    """rfftn (forward) or ihfftn (= conj(rfftn) with the other normalisation)."""
    x = x.astype(_work_dtype(x, False))
    x = _resize(x, s, dims)
    if forward:
        return jnp.fft.rfftn(x, axes=dims, norm=norm)
    return jnp.conj(jnp.fft.rfftn(x, axes=dims, norm=_swap(norm)))


def _c2r(x, s, dims, norm, forward):
    """irfftn (inverse) or hfftn (forward: irfftn of the conjugate, other normalisation)."""
    x = x.astype(_work_dtype(x, True))
    half = s[:-1] + (s[-1] // 2 + 1,)
    x = _resize(x, half, dims)
    if forward:
        return jnp.fft.irfftn(jnp.conj(x), s=s, axes=dims, norm=_swap(norm))
    return jnp.fft.irfftn(x, s=s, axes=dims, norm=norm)


_SCHEMA = "(Tensor input, int[] s, int[] dims, str? norm, bool forward) -> Tensor"


@op(
    "_fft_c2c" + _SCHEMA,
    namespace="_fft",
    promote="none",
    out=False,
    grad="FftC2CBackward0",
    saves=(),
)
def _fft_c2c(input, s, dims, norm, forward):
    return _c2c(input, s, dims, norm, forward)


@op(
    "_fft_r2c" + _SCHEMA,
    namespace="_fft",
    promote="none",
    out=False,
    grad="FftR2CBackward0",
    saves=(),
)
def _fft_r2c(input, s, dims, norm, forward):
    return _r2c(input, s, dims, norm, forward)


@op(
    "_fft_c2r" + _SCHEMA,
    namespace="_fft",
    promote="none",
    out=False,
    grad="FftC2RBackward0",
    saves=(),
)
def _fft_c2r(input, s, dims, norm, forward):
    return _c2r(input, s, dims, norm, forward)


# a real signal's full spectrum (torch.fft.fft of real input): torch records FftR2CBackward0
@op(
    "_fft_r2c_twosided" + _SCHEMA,
    namespace="_fft",
    promote="none",
    out=False,
    grad="FftR2CBackward0",
    saves=(),
)
def _fft_r2c_twosided(input, s, dims, norm, forward):
    return _c2c(input.astype(_work_dtype(input, False)), s, dims, norm, forward)


# ihfft2 / ihfftn: torch records FftC2CBackward0
@op(
    "_fft_ihfftn" + _SCHEMA,
    namespace="_fft",
    promote="none",
    out=False,
    grad="FftC2CBackward0",
    saves=(),
)
def _fft_ihfftn(input, s, dims, norm, forward):
    return _r2c(input, s, dims, norm, forward)


# 1-D inverse transforms of real input: torch computes conj(forward transform) (grad_fn ConjBackward0)
@op(
    "_fft_conj_c2c" + _SCHEMA,
    namespace="_fft",
    promote="none",
    out=False,
    grad="ConjBackward0",
    saves=(),
)
def _fft_conj_c2c(input, s, dims, norm, forward):
    return _c2c(input, s, dims, norm, forward)


@op(
    "_fft_conj_r2c" + _SCHEMA,
    namespace="_fft",
    promote="none",
    out=False,
    grad="ConjBackward0",
    saves=(),
)
def _fft_conj_r2c(input, s, dims, norm, forward):
    return _r2c(input, s, dims, norm, forward)


# ------------------------------------------------------------------ argument handling


def _check_input(name, x, *, real_only=None):
    if not isinstance(x, Tensor):
        raise TypeError(
            f"fft_{name}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}"
        )
    if x.dtype in (D.float16, D.bfloat16):
        raise RuntimeError(f"Unsupported dtype {x.dtype._scalar_name}")
    if real_only and x.dtype.is_complex:
        raise RuntimeError(real_only.format(x.dtype._scalar_name))


def _check_norm(norm):
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')


def _wrap(d, nd):
    if nd == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    if d < -nd or d >= nd:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {d})"
        )
    return d % nd


def _check_n(n):
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")


def _resolve_nd(x, s, dim):
    """torch's canonicalize_fft_shape_and_dim_args: (shape, dims) as tuples."""
    nd = x.dim()
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        dims = tuple(_wrap(d, nd) for d in dims)
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
    if s is not None:
        s = (s,) if isinstance(s, int) else tuple(s)
        if dim is not None:
            if len(s) != len(dims):
                raise RuntimeError("When given, dim and shape arguments must have the same length")
        else:
            if len(s) > nd:
                raise RuntimeError(
                    f"Got shape with {len(s)} values but input tensor only has {nd} dimensions."
                )
            dims = tuple(range(nd - len(s), nd))
        shape = tuple(x.shape[d] if n == -1 else n for n, d in zip(s, dims))
        for n in shape:
            _check_n(n)
        return shape, dims
    if dim is None:
        dims = tuple(range(nd))
    return tuple(x.shape[d] for d in dims), dims


def _out(name, r, out, x):
    if out is None:
        return r
    if r.dtype.is_complex and not out.dtype.is_complex:
        raise RuntimeError(
            f"{name} expects a complex output tensor, but got {out.dtype._scalar_name}"
        )
    return _write_out_composite(f"fft_{name}", r, out, (x,))


# ------------------------------------------------------------------ 1-D


def _one(x, n, dim):
    d = _wrap(dim, x.dim())
    if n is None:
        n = x.shape[d]
    _check_n(n)
    return (n,), (d,)


def fft(input, n=None, dim=-1, norm=None, *, out=None):
    """torch.fft.fft."""
    _check_input("fft", input)
    _check_norm(norm)
    s, dims = _one(input, n, dim)
    f = _fft_c2c if input.dtype.is_complex else _fft_r2c_twosided
    return _out("fft", f(input, s, dims, norm, True), out, input)


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """torch.fft.ifft."""
    _check_input("ifft", input)
    _check_norm(norm)
    s, dims = _one(input, n, dim)
    f = _fft_c2c if input.dtype.is_complex else _fft_conj_c2c
    return _out("ifft", f(input, s, dims, norm, False), out, input)


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """torch.fft.rfft."""
    _check_input("rfft", input, real_only="rfft expects a real input tensor, but got {}")
    _check_norm(norm)
    s, dims = _one(input, n, dim)
    return _out("rfft", _fft_r2c(input, s, dims, norm, True), out, input)


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """torch.fft.ihfft."""
    _check_input("ihfft", input, real_only="ihfft expects a real input tensor, but got {}")
    _check_norm(norm)
    s, dims = _one(input, n, dim)
    return _out("ihfft", _fft_conj_r2c(input, s, dims, norm, False), out, input)


def _c2r_one(input, n, dim):
    d = _wrap(dim, input.dim())
    if n is None:
        n = 2 * (input.shape[d] - 1)
    _check_n(n)
    return (n,), (d,)


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """torch.fft.irfft."""
    _check_input("irfft", input)
    _check_norm(norm)
    s, dims = _c2r_one(input, n, dim)
    return _out("irfft", _fft_c2r(input, s, dims, norm, False), out, input)


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """torch.fft.hfft."""
    _check_input("hfft", input)
    _check_norm(norm)
    s, dims = _c2r_one(input, n, dim)
    return _out("hfft", _fft_c2r(input, s, dims, norm, True), out, input)


# ------------------------------------------------------------------ N-D


def _nd_c2c(name, forward):
    def f(input, s=None, dim=None, norm=None, *, out=None):
        _check_input(name, input)
        _check_norm(norm)
        shape, dims = _resolve_nd(input, s, dim)
        return _out(name, _fft_c2c(input, shape, dims, norm, forward), out, input)

    f.__name__ = name
    f.__doc__ = f"torch.fft.{name}."
    return f


def _nd_2d(fn, name):
    def f(input, s=None, dim=(-2, -1), norm=None, *, out=None):
        return fn(input, s, dim, norm, out=out)

    f.__name__ = name
    f.__doc__ = f"torch.fft.{name}."
    return f


fftn = _nd_c2c("fftn", True)
ifftn = _nd_c2c("ifftn", False)
fft2 = _nd_2d(fftn, "fft2")
ifft2 = _nd_2d(ifftn, "ifft2")


def _r2c_nd(name, forward, msg):
    def f(input, s=None, dim=None, norm=None, *, out=None):
        _check_input(name, input, real_only=msg)
        _check_norm(norm)
        shape, dims = _resolve_nd(input, s, dim)
        if not dims:
            raise RuntimeError(f"{name} must transform at least one axis")
        return _out(
            name,
            (_fft_r2c if forward else _fft_ihfftn)(input, shape, dims, norm, forward),
            out,
            input,
        )

    f.__name__ = name
    f.__doc__ = f"torch.fft.{name}."
    return f


rfftn = _r2c_nd("rfftn", True, "rfftn expects a real-valued input tensor, but got {}")
ihfftn = _r2c_nd("ihfftn", False, "Only supports floating-point dtypes, but found: {}")
rfft2 = _nd_2d(rfftn, "rfft2")
ihfft2 = _nd_2d(ihfftn, "ihfft2")


def _c2r_nd(name, forward):
    def f(input, s=None, dim=None, norm=None, *, out=None):
        _check_input(name, input)
        _check_norm(norm)
        given_last = s is not None and (s if isinstance(s, int) else tuple(s))[-1] != -1
        shape, dims = _resolve_nd(input, s, dim)
        if not dims:
            raise RuntimeError(f"{name} must transform at least one axis")
        if not given_last:
            shape = shape[:-1] + (2 * (input.shape[dims[-1]] - 1),)
        _check_n(shape[-1])
        return _out(name, _fft_c2r(input, shape, dims, norm, forward), out, input)

    f.__name__ = name
    f.__doc__ = f"torch.fft.{name}."
    return f


irfftn = _c2r_nd("irfftn", False)
hfftn = _c2r_nd("hfftn", True)
irfft2 = _nd_2d(irfftn, "irfft2")
hfft2 = _nd_2d(hfftn, "hfft2")


# ------------------------------------------------------------------ helpers: frequencies and shifts


def _freq(name, n, d, out, dtype, requires_grad, values):
    dt = dtype if dtype is not None else D.get_default_dtype()
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"{name} requires a floating point or complex dtype")
    if dt.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{dt._scalar_name}'")
    npdt = dt._np
    v = np.asarray(values).astype(npdt) * np.asarray(1.0 / (n * d)).astype(npdt)
    r = wrap(jnp.asarray(v, npdt))
    if out is not None:
        return _write_out_composite(f"fft_{name}", r, out, ())
    if requires_grad:
        r.requires_grad_(True)
    return r


def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """torch.fft.fftfreq: sample frequencies [0, 1, ..., -(n//2), ..., -1] / (d * n)."""
    k = np.arange(n, dtype=np.int64)
    k[(n + 1) // 2 :] -= n
    return _freq("fftfreq", n, d, out, dtype, requires_grad, k)


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """torch.fft.rfftfreq: [0, 1, ..., n//2] / (d * n)."""
    return _freq("rfftfreq", n, d, out, dtype, requires_grad, np.arange(n // 2 + 1, dtype=np.int64))


@op(
    "_fft_roll(Tensor input, int[] shifts, int[] dims) -> Tensor",
    namespace="_fft",
    promote="none",
    out=False,
    grad="RollBackward0",
    saves=(),
)
def _fft_roll(input, shifts, dims):
    return jnp.roll(input, shifts, axis=dims) if dims else input


def _shift(x, dim, inverse):
    if not isinstance(x, Tensor):
        raise TypeError(
            f"fft_fftshift(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}"
        )
    nd = x.dim()
    if dim is None:
        dims = tuple(range(nd))
    else:
        dims = tuple(_wrap(d, nd) for d in ((dim,) if isinstance(dim, int) else dim))
    shifts = tuple(((x.shape[d] + 1) // 2) if inverse else (x.shape[d] // 2) for d in dims)
    return _fft_roll(x, shifts, dims)


def fftshift(input, dim=None):
    """torch.fft.fftshift: move the zero-frequency term to the centre."""
    return _shift(input, dim, False)


def ifftshift(input, dim=None):
    """torch.fft.ifftshift: the inverse of fftshift."""
    return _shift(input, dim, True)


for _f in (
    fft,
    ifft,
    rfft,
    irfft,
    hfft,
    ihfft,
    fft2,
    ifft2,
    rfft2,
    irfft2,
    hfft2,
    ihfft2,
    fftn,
    ifftn,
    rfftn,
    irfftn,
    hfftn,
    ihfftn,
    fftfreq,
    rfftfreq,
    fftshift,
    ifftshift,
):
    register_function(_f.__name__, _f, ns="fft")
