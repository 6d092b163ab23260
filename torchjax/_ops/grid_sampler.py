"""Grid sampling (ATen's GridSampler.cpp / GridSamplerUtils.h / AffineGridGenerator.cpp):
torch.grid_sampler, torch.grid_sampler_2d, torch.grid_sampler_3d, torch.affine_grid_generator and
torch.nn.functional.grid_sample / affine_grid.

The sampler follows ATen's ``grid_sampler_compute_source_index``: the normalised grid is
unnormalised as ``coord * s + (size - 1) / 2`` (``s = (size - 1) / 2`` with align_corners,
``size / 2`` without), then clipped (``border``) or reflected and clipped (``reflection``); a
NaN / infinite location gives NaN with ``zeros`` padding, as torch's vectorized CPU kernel does
(its weights are NaN). ``bilinear`` (trilinear on 5-D input) weights the 2**k neighbours, reading zeros
outside the input; ``nearest`` rounds half to even (``nearbyint``); ``bicubic`` (4-D only) uses the
cubic convolution coefficients with A = -0.75 on the 4x4 taps around ``floor(x)``, each tap mapped
through the padding mode (``get_value_bounded``). Half / bfloat16 are computed in their own dtype, as
torch's CPU kernel does (float16 results differ from torch's by a few ulps).

Gradients are JAX's VJP of the same formulas, with the clip / reflection written with explicit
comparisons so their derivative is torch's ``clip_coordinates_set_grad`` /
``reflect_coordinates_set_grad`` (0 at and beyond the clip bounds, +1 at a reflection point).
"""

from __future__ import annotations

import warnings

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._tensor import Tensor
from ._registry import op, register_function
from .pointwise import kernel_error

NF = "nn.functional"
_MODES = {"bilinear": 0, "nearest": 1, "bicubic": 2}
_PADS = {"zeros": 0, "border": 1, "reflection": 2}
_DT_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16"}


def _sizes(t):
    return "[" + ", ".join(map(str, t.shape)) + "]"


def _check(k):
    def check(input, grid, interpolation_mode, padding_mode, align_corners):
        for n, t in (("input", input), ("grid", grid)):
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"grid_sampler_{k}d(): argument '{n}' (position {1 if n == 'input' else 2}) must be "
                    f"Tensor, not {type(t).__name__}"
                )
        if input.dim() != k + 2 or input.dim() != grid.dim():
            raise RuntimeError(
                f"grid_sampler(): expected {k + 2}D input and grid with same number of dimensions, but "
                f"got input with sizes {_sizes(input)} and grid with sizes {_sizes(grid)}"
            )
        if k == 3 and interpolation_mode == 2:
            raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
        if input.shape[0] != grid.shape[0]:
            raise RuntimeError(
                f"grid_sampler(): expected grid and input to have same batch size, but got input with "
                f"sizes {_sizes(input)} and grid with sizes {_sizes(grid)}"
            )
        if grid.shape[-1] != k:
            raise RuntimeError(
                f"grid_sampler(): expected grid to have size {k} in last dimension, but got grid with "
                f"sizes {_sizes(grid)}"
            )
        for i in range(2, input.dim()):
            if input.shape[i] <= 0:
                raise RuntimeError(
                    f"grid_sampler(): expected input to have non-empty spatial dimensions, but input "
                    f"has sizes {_sizes(input)} with dimension {i} being empty"
                )
        if not input.dtype.is_floating_point or input.dtype.itemsize < 2 or input.dtype.is_complex:
            raise kernel_error(
                f"grid_sampler_{k}d_cpu_kernel_impl" if k == 2 else "grid_sampler_3d_cpu",
                input.dtype,
            )
        if grid.dtype is not input.dtype:
            a, b = (_DT_NAMES.get(t.dtype._name, t.dtype._name) for t in (input, grid))
            raise RuntimeError(f"expected scalar type {a} but found {b}")

    return check


# ------------------------------------------------------------------ coordinate mapping


def _clip(x, size):
    """clip_coordinates with torch's gradient (0 at and beyond the bounds)."""
    hi = np.asarray(size - 1, x.dtype)
    return jnp.where(
        x <= 0, jnp.zeros_like(x), jnp.where(x >= hi, jnp.broadcast_to(hi, x.shape), x)
    )


def _reflect(x, twice_low, twice_high):
    """reflect_coordinates (torch's gradient: -1 where the coordinate was mirrored)."""
    if twice_low == twice_high:
        return jnp.zeros_like(x)
    lo = np.asarray(twice_low / 2, x.dtype)
    span = np.asarray((twice_high - twice_low) / 2, x.dtype)
    x = x - lo
    x = jnp.where(x < 0, -x, x)
    extra = jnp.fmod(x, span)
    flips = lax.stop_gradient(jnp.floor(x / span))
    even = jnp.fmod(flips, 2) == 0
    return jnp.where(even, extra + lo, span - extra + lo)


def _pad_coord(x, size, padding_mode, align_corners):
    """ATen's compute_coordinates."""
    if padding_mode == 1:
        x = _clip(x, size)
    elif padding_mode == 2:
        x = _reflect(x, 0, 2 * (size - 1)) if align_corners else _reflect(x, -1, 2 * size - 1)
        x = _clip(x, size)
    return x


def _unnormalize(c, size, align_corners):
    s = (size - 1) / 2 if align_corners else size / 2
    return c * np.asarray(s, c.dtype) + np.asarray((size - 1) / 2, c.dtype)


def _reader(input, k):
    """read(idx_list, mask) -> (N, C, Q): input values at integer locations, 0 where masked."""
    n, c = input.shape[:2]
    sizes = input.shape[2:]
    flat = input.reshape(n, c, -1)

    def read(idx, mask):
        lin = jnp.zeros(idx[0].shape, np.int64)
        for i, s in zip(idx, sizes):
            lin = lin * s + jnp.clip(i, 0, s - 1)
        v = jnp.take_along_axis(
            flat, jnp.broadcast_to(lin[:, None, :], (n, c, lin.shape[-1])), axis=2
        )
        return jnp.where(mask[:, None, :], v, jnp.zeros((), v.dtype))

    return read


def _cubic_coeffs(t):
    A = -0.75

    def c1(x):  # |x| <= 1
        return ((A + 2) * x - (A + 3)) * x * x + 1

    def c2(x):  # 1 < |x| < 2
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A

    return (c2(t + 1), c1(t), c1(1 - t), c2(2 - t))


def _grid_sample(input, grid, mode, padding_mode, align_corners):
    k = input.ndim - 2
    dt = input.dtype
    x = input
    n, c = x.shape[:2]
    sizes = x.shape[2:]  # (D,) H, W
    out_sp = grid.shape[1:-1]
    if c == 0 or n == 0 or 0 in out_sp:
        return jnp.zeros((n, c) + out_sp, dt)
    g = grid.reshape(n, -1, k)
    read = _reader(x, k)
    # grid's last dim is (x, y[, z]) = (W, H[, D]): reverse it to the input's dim order
    coords = [g[..., k - 1 - d] for d in range(k)]
    if mode == 2:
        src = [_unnormalize(cc, s, align_corners) for cc, s in zip(coords, sizes)]
        base = [lax.stop_gradient(jnp.floor(s_)) for s_ in src]
        wts = [_cubic_coeffs(s_ - b) for s_, b in zip(src, base)]
        out = 0
        for i in range(4):
            for j in range(4):
                mask = True
                idx = []
                for b, o, s in zip(base, (i, j), sizes):
                    t = lax.stop_gradient(_pad_coord(b + (o - 1), s, padding_mode, align_corners))
                    ti = t.astype(np.int64)
                    mask = mask & (ti >= 0) & (ti < s)
                    idx.append(ti)
                out = out + read(idx, mask) * (wts[0][i] * wts[1][j])[:, None, :]
        return out.reshape((n, c) + out_sp).astype(dt)
    src = [
        _pad_coord(_unnormalize(cc, s, align_corners), s, padding_mode, align_corners)
        for cc, s in zip(coords, sizes)
    ]
    if mode == 1:
        idx = [lax.stop_gradient(jnp.round(s_)).astype(np.int64) for s_ in src]
        mask = True
        for i, s in zip(idx, sizes):
            mask = mask & (i >= 0) & (i < s)
        out = read(idx, mask)
        return out.reshape((n, c) + out_sp).astype(dt)
    lo = [lax.stop_gradient(jnp.floor(s_)) for s_ in src]
    out = 0
    for corner in range(2**k):
        w = 1
        idx = []
        mask = True
        for d in range(k):
            up = (corner >> (k - 1 - d)) & 1
            pos = lo[d] + up
            w = w * (src[d] - lo[d] if up else lo[d] + 1 - src[d])
            pi = pos.astype(np.int64)
            mask = mask & (pos >= 0) & (pos < sizes[d])
            idx.append(pi)
        out = out + read(idx, mask) * w[:, None, :]
    return out.reshape((n, c) + out_sp).astype(dt)


def _declare(k):
    schema = (
        f"grid_sampler_{k}d(Tensor input, Tensor grid, int interpolation_mode, int padding_mode, "
        "bool align_corners) -> Tensor"
    )

    @op(schema, promote="none", check=_check(k), grad=f"GridSampler{k}DBackward0", out=False)
    def sampler(input, grid, interpolation_mode, padding_mode, align_corners):
        return _grid_sample(input, grid, interpolation_mode, padding_mode, align_corners)

    sampler.__doc__ = f"torch.grid_sampler_{k}d (ATen's grid_sampler_{k}d_cpu, see the module doc)."
    return sampler


grid_sampler_2d = _declare(2)
grid_sampler_3d = _declare(3)


def grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners):
    """torch.grid_sampler: grid_sampler_2d on 4-D input, grid_sampler_3d otherwise (as ATen dispatches)."""
    if isinstance(input, Tensor) and input.dim() == 4:
        return grid_sampler_2d(input, grid, interpolation_mode, padding_mode, align_corners)
    return grid_sampler_3d(input, grid, interpolation_mode, padding_mode, align_corners)


register_function("grid_sampler", grid_sampler)

_DEFAULT_WARNING = (
    "Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
    "Please specify align_corners=True if the old behavior is desired. See the documentation of "
    "grid_sample for details."
)


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """torch.nn.functional.grid_sample: torch's argument checks, then torch.grid_sampler."""
    if mode not in _MODES:
        raise ValueError(
            f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but "
            f"got: '{mode}'"
        )
    if padding_mode not in _PADS:
        raise ValueError(
            f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
            f"'reflection', but got: '{padding_mode}'"
        )
    if align_corners is None:
        warnings.warn(_DEFAULT_WARNING, stacklevel=2)
        align_corners = False
    return grid_sampler(input, grid, _MODES[mode], _PADS[padding_mode], align_corners)


register_function("grid_sample", grid_sample, NF)


# ------------------------------------------------------------------ affine_grid


def _linspace(num, align_corners, dt):
    """ATen's linspace_from_neg_one."""
    if num <= 1:
        return np.zeros((1,), dt)
    r = np.linspace(-1.0, 1.0, num)
    if not align_corners:
        r = r * (num - 1) / num
    return r.astype(dt)


def _affine_check(theta, size, align_corners):
    if not isinstance(theta, Tensor):
        raise TypeError(
            f"affine_grid_generator(): argument 'theta' (position 1) must be Tensor, not "
            f"{type(theta).__name__}"
        )
    if len(size) not in (4, 5):
        raise RuntimeError("AffineGridGenerator needs 4d (spatial) or 5d (volumetric) inputs.")


@op(
    "affine_grid_generator(Tensor theta, int[] size, bool align_corners) -> Tensor",
    promote="none",
    check=_affine_check,
    out=False,
)
def affine_grid_generator(theta, size, align_corners):
    """torch.affine_grid_generator: the base grid ``(x, y[, z], 1)`` of linspace_from_neg_one
    coordinates times ``theta^T`` (ATen's affine_grid_generator_4D / _5D)."""
    acc = np.float32 if theta.dtype in (np.float16, jnp.bfloat16) else theta.dtype
    sp = tuple(size[2:])
    k = len(sp)
    axes = [_linspace(s, align_corners, np.float64) for s in sp]  # D, H, W order
    mesh = np.meshgrid(*axes, indexing="ij")
    base = (
        np.stack([mesh[k - 1 - d] for d in range(k)] + [np.ones(sp)], axis=-1)
        .reshape(-1, k + 1)
        .astype(acc)
    )
    th = theta.astype(acc)
    if theta.dtype != acc:
        base = base.astype(theta.dtype).astype(acc)
    out = jnp.einsum("pj,nij->npi", jnp.asarray(base), th, precision=lax.Precision.HIGHEST)
    return out.reshape((size[0],) + sp + (k,)).astype(theta.dtype)


def affine_grid(theta, size, align_corners=None):
    """torch.nn.functional.affine_grid: torch's Python checks, then torch.affine_grid_generator."""
    if align_corners is None:
        warnings.warn(_DEFAULT_WARNING, stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = list(size) if not isinstance(size, (list, tuple)) else size
    if len(size) == 4:
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError(
                f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. Got "
                f"{theta.shape}."
            )
        spatial = size[-2:]
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError(
                f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {size}. Got "
                f"{theta.shape}."
            )
        spatial = size[-3:]
    else:
        raise NotImplementedError(
            f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
            f"respectively. Got size {size}."
        )
    if align_corners and min(spatial) == 1:
        warnings.warn(
            "Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
            "align_corners=True. This is not an intended use case of affine_grid. See the documentation "
            "of affine_grid for details.",
            stacklevel=2,
        )
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    return affine_grid_generator(theta, list(size), align_corners)


register_function("affine_grid", affine_grid, NF)
