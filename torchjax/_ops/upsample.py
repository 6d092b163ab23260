"""Resampling (ATen's UpSample*.cpp and torch.nn.functional.interpolate): the upsample kernels
(nearest, nearest-exact, linear / bilinear / trilinear, bicubic) and the public
``interpolate`` / ``upsample`` / ``upsample_nearest`` / ``upsample_bilinear``.

Every kernel is separable: each spatial dim is resampled in turn by gathering source indices
computed with ATen's formulas (``area_pixel_compute_scale``, ``area_pixel_compute_source_index``,
``nearest_idx`` in float32, cubic convolution with A = -0.75 and clamped taps) in torch's
``opmath`` precision (float32 for float16 / bfloat16 / float32, float64 for float64). Gradients
are JAX's (gather -> scatter-add), i.e. torch's ``upsample_*_backward``. ``area`` is
adaptive_avg_pool, as in torch.
"""

from __future__ import annotations

import math
import warnings

import jax.numpy as jnp
import numpy as np

from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function

NF = "nn.functional"


def _opmath(dt):
    return np.float64 if dt == np.float64 else np.float32


def _scale(in_size, out_size, align_corners, scale, T):
    """ATen's area_pixel_compute_scale (in type T)."""
    if align_corners:
        return T(in_size - 1) / T(out_size - 1) if out_size > 1 else T(0)
    if scale is not None and scale > 0:
        return T(1.0 / scale)
    return T(in_size) / T(out_size)


def _source(scale, dst, align_corners, cubic, T):
    if align_corners:
        return scale * dst
    src = scale * (dst + T(0.5)) - T(0.5)
    return src if cubic else np.maximum(src, T(0))


def _nearest_index(in_size, out_size, scale, exact):
    """ATen's nearest_idx / nearest_neighbor_exact_compute_source_index (float32 arithmetic)."""
    dst = np.arange(out_size)
    if not exact:
        if out_size == in_size:
            return dst
        if out_size == 2 * in_size:
            return dst >> 1
    s = (
        np.float32(1.0 / scale)
        if scale is not None and scale > 0
        else np.float32(in_size) / np.float32(out_size)
    )
    d = dst.astype(np.float32)
    src = np.floor((d + np.float32(0.5)) * s if exact else d * s)
    return np.minimum(src.astype(np.int64), in_size - 1)


def _take(x, idx, axis):
    return jnp.take(x, jnp.asarray(idx), axis=axis)


def _bshape(w, ndim, axis):
    return jnp.asarray(w.reshape((-1,) + (1,) * (ndim - axis - 1)))


def _resample_axis(x, axis, out_size, mode, align_corners, scale):
    n = x.shape[axis]
    if mode in ("nearest", "nearest-exact"):
        return _take(x, _nearest_index(n, out_size, scale, mode == "nearest-exact"), axis)
    T = np.dtype(x.dtype).type
    s = _scale(n, out_size, align_corners, scale, T)
    dst = np.arange(out_size).astype(T)
    if mode == "linear":
        src = _source(s, dst, align_corners, False, T)
        i0 = np.minimum(np.floor(src).astype(np.int64), n - 1)
        l1 = np.clip(src - i0.astype(T), T(0), T(1)).astype(T)
        l0 = (T(1) - l1).astype(T)
        i1 = np.minimum(i0 + 1, n - 1)
        return _bshape(l0, x.ndim, axis) * _take(x, i0, axis) + _bshape(l1, x.ndim, axis) * _take(
            x, i1, axis
        )
    # bicubic
    src = _source(s, dst, align_corners, True, T)
    i = np.floor(src).astype(np.int64)
    t = (src - i.astype(T)).astype(T)
    A = T(-0.75)

    def c1(v):
        return ((A + T(2)) * v - (A + T(3))) * v * v + T(1)

    def c2(v):
        return ((A * v - T(5) * A) * v + T(8) * A) * v - T(4) * A

    ws = [c2(t + T(1)), c1(t), c1(T(1) - t), c2(T(1) - t + T(1))]
    out = None
    for j, w in enumerate(ws):
        term = _bshape(w.astype(T), x.ndim, axis) * _take(x, np.clip(i - 1 + j, 0, n - 1), axis)
        out = term if out is None else out + term
    return out


def _upsample(x, output_size, scales, mode, align_corners):
    dt = x.dtype
    k = len(output_size)
    lead = x.ndim - k
    if mode != "nearest" and mode != "nearest-exact":
        x = x.astype(_opmath(dt))
    for j in reversed(range(k)):
        x = _resample_axis(
            x, lead + j, output_size[j], mode, align_corners, scales[j] if scales else None
        )
    return x.astype(dt)


def _check_upsample(name, k, input, output_size, scales):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if len(output_size) != k:
        raise RuntimeError(
            f"It is expected output_size equals to {k}, but got size {len(output_size)}"
        )
    if input.dim() != k + 2:
        raise RuntimeError(
            f"It is expected input_size equals to {k + 2}, but got size {input.dim()}"
        )
    ins = input.shape[2:]
    if any(n <= 0 for n in ins) or any(o <= 0 for o in output_size):
        raise RuntimeError(
            f"Input and output sizes should be greater than 0, but got input ({_dims(ins)}) and output "
            f"({_dims(output_size)})"
        )
    if input.shape[1] == 0 or input.numel() == 0 and input.shape[0] != 0:
        raise RuntimeError(
            f"Non-empty {k + 2}D data tensor expected but got a tensor with sizes "
            f"[{', '.join(map(str, input.shape))}]"
        )


def _dims(sizes):
    names = ("D", "H", "W")[3 - len(sizes) :]
    return (
        ", ".join(f"{n}: {v}" for n, v in zip(names, sizes)) if len(sizes) > 1 else f"W: {sizes[0]}"
    )


_KERNELS = {}


def _declare(mode, k, torch_name, grad):
    has_ac = mode in ("linear", "bicubic")

    if has_ac:
        schema = (
            f"{torch_name}(Tensor input, int[{k}] output_size, bool align_corners, float[]? scales=None) "
            "-> Tensor"
        )

        def check(input, output_size, align_corners, scales=None):
            _check_upsample(torch_name, k, input, output_size, scales)

        def fn(input, output_size, align_corners, scales=None):
            return _upsample(input, output_size, scales, mode, align_corners)
    else:
        schema = f"{torch_name}(Tensor input, int[{k}] output_size, float[]? scales=None) -> Tensor"

        def check(input, output_size, scales=None):
            _check_upsample(torch_name, k, input, output_size, scales)

        def fn(input, output_size, scales=None):
            return _upsample(input, output_size, scales, mode, False)

    fn.__doc__ = f"ATen's {torch_name} kernel ({mode})."
    op(schema, function=False, promote="none", check=check, grad=grad, saves=(), out=False)(fn)
    _KERNELS[(mode, k)] = fn.op
    return fn.op


for _k, _d in ((1, "1D"), (2, "2D"), (3, "3D")):
    _declare("nearest", _k, f"upsample_nearest{_k}d", f"UpsampleNearest{_d}Backward0")
    _declare(
        "nearest-exact", _k, f"_upsample_nearest_exact{_k}d", f"UpsampleNearestExact{_d}Backward0"
    )
_declare("linear", 1, "upsample_linear1d", "UpsampleLinear1DBackward0")
_declare("linear", 2, "upsample_bilinear2d", "UpsampleBilinear2DBackward0")
_declare("linear", 3, "upsample_trilinear3d", "UpsampleTrilinear3DBackward0")
_declare("bicubic", 2, "upsample_bicubic2d", "UpsampleBicubic2DBackward0")

_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")
_LINEAR_DIM = {"linear": 1, "bilinear": 2, "trilinear": 3, "bicubic": 2}


def interpolate(
    input,
    size=None,
    scale_factor=None,
    mode="nearest",
    align_corners=None,
    recompute_scale_factor=None,
    antialias=False,
):
    """torch.nn.functional.interpolate: torch's argument handling (size / scale_factor,
    recompute_scale_factor, align_corners), dispatched to the upsample kernels or, for 'area',
    adaptive_avg_pool."""
    from . import pooling

    if not isinstance(input, Tensor):
        raise TypeError(
            f"interpolate(): argument 'input' must be Tensor, not {type(input).__name__}"
        )
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(
                "align_corners option can only be set with the interpolating modes: "
                "linear | bilinear | bicubic | trilinear"
            )
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got input with spatial "
                    f"dimensions of {list(input.shape[2:])} and output size of {size}. Please provide input tensor "
                    "in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format."
                )
            output_size = [int(s) for s in size]
        else:
            output_size = [int(size)] * dim
        scale_factors = None
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but got input with "
                    f"spatial dimensions of {list(input.shape[2:])} and scale_factor of shape {scale_factor}. "
                    "Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in "
                    "(s1, s2, ...,sK) format."
                )
            scale_factors = [float(s) for s in scale_factor]
        else:
            scale_factors = [float(scale_factor)] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor is not None and recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor is not None and recompute_scale_factor:
        output_size = [math.floor(float(input.shape[i + 2]) * scale_factors[i]) for i in range(dim)]
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic") and input.dim() == 4):
        raise ValueError(
            "Anti-alias option is restricted to bilinear and bicubic modes and requires a 4-D tensor "
            "as input"
        )
    if mode not in _MODES:
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for the modes: "
            f"nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got {mode})"
        )
    if antialias:
        raise NotImplementedError("interpolate(): antialias=True is not available in torchjax")
    if dim not in (1, 2, 3):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for the modes: "
            f"nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got {mode})"
        )
    if mode in _LINEAR_DIM and _LINEAR_DIM[mode] != dim:
        raise NotImplementedError(
            f"Got {input.dim()}D input, but {mode} mode needs {_LINEAR_DIM[mode] + 2}D input"
        )
    if output_size is None:
        output_size = [math.floor(float(input.shape[i + 2]) * scale_factors[i]) for i in range(dim)]
    output_size = tuple(output_size)
    if mode == "area":
        pool = {
            1: pooling.adaptive_avg_pool1d,
            2: pooling.adaptive_avg_pool2d,
            3: pooling.adaptive_avg_pool3d,
        }[dim]
        return pool(input, output_size if dim > 1 else output_size[0])
    scales = tuple(scale_factors) if scale_factors is not None else None
    if mode in ("nearest", "nearest-exact"):
        return R.call(_KERNELS[(mode, dim)], (input, output_size, scales))
    kmode = "bicubic" if mode == "bicubic" else "linear"
    return R.call(_KERNELS[(kmode, dim)], (input, output_size, bool(align_corners), scales))


register_function("interpolate", interpolate, NF)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """torch.nn.functional.upsample (deprecated alias of interpolate, with torch's warning)."""
    warnings.warn(
        "`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """torch.nn.functional.upsample_nearest (deprecated: interpolate(mode='nearest'))."""
    warnings.warn(
        "`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """torch.nn.functional.upsample_bilinear (deprecated: interpolate(mode='bilinear', align_corners=True))."""
    warnings.warn(
        "`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
        stacklevel=2,
    )
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


register_function("upsample", upsample, NF)
register_function("upsample_nearest", upsample_nearest, NF)
register_function("upsample_bilinear", upsample_bilinear, NF)
