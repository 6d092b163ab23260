"""Convolutions (ATen's Convolution.cpp): torch.convolution, conv1d/2d/3d and conv_transpose1d/2d/3d
(torch.* and torch.nn.functional.*).

One kernel, ``convolution``, does the work on ``lax.conv_general_dilated``; it carries torch's
argument and shape checks (ConvUtils.h ``check_shape_forward``) and its grad_fn name
(``ConvolutionBackward0``). The public front ends mirror torch's: unbatched inputs are batched
with ``unsqueeze(0)`` and squeezed back, ``padding='same'`` pads asymmetrically with
``constant_pad_nd`` when the total padding is odd, exactly as ``_convolution_mode`` does.

float32 / complex64 convolutions use ``Precision.HIGHEST`` (TF32 / bf16 passes would miss torch's
tolerances); float16 / bfloat16 accumulate in float32 and round once, like torch's CPU kernels.
"""

from __future__ import annotations

import warnings

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import composite, op, register_function

NF = "nn.functional"

# the C++ type names torch prints in "Input type (...) and bias type (...)" errors
_CPP_NAME = {
    "float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
    "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
    "bool": "bool", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
}  # fmt: skip


def _cpp(dt):
    return _CPP_NAME.get(dt._name, dt._name)


def _size(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def expand_param(value, name, n):
    """ATen's ``expand_param_if_needed``: one int for every spatial dim, or exactly ``n`` of them."""
    if isinstance(value, int):
        return (value,) * n
    value = tuple(value)
    if len(value) == 1:
        return value * n
    if len(value) != n:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {n} values to match the convolution "
            f"dimensions, but got {name}={list(value)}"
        )
    return value


def _params(weight_ndim, stride, padding, dilation, output_padding):
    n = max(weight_ndim - 2, 1)
    return (
        expand_param(stride, "stride", n),
        expand_param(padding, "padding", n),
        expand_param(dilation, "dilation", n),
        expand_param(output_padding, "output_padding", n),
    )


def _check_convolution(
    input, weight, bias, stride, padding, dilation, transposed, output_padding, groups
):
    """torch's argument, dtype and shape checks of at::_convolution / check_shape_forward."""
    for name, t in (("input", input), ("weight", weight)):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"convolution(): argument '{name}' must be Tensor, not {type(t).__name__}"
            )
    stride, padding, dilation, output_padding = _params(
        weight.dim(), stride, padding, dilation, output_padding
    )
    if weight.dim() < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        if input.dtype is D.float64:  # torch's slow_conv path checks first, in other words
            raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
        raise RuntimeError("non-positive dilation is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    ws, xs = tuple(weight.shape), tuple(input.shape)
    if input.dim() != weight.dim():
        raise RuntimeError(
            f"Expected {weight.dim()}-dimensional input for {weight.dim()}-dimensional weight {_size(ws)}, but got "
            f"{input.dim()}-dimensional input of size {_size(xs)} instead"
        )
    if ws[0] < groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of "
            f"size {_size(ws)} instead"
        )
    if ws[0] % groups != 0:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight "
            f"of size [{_size(ws)}] instead"
        )
    if not transposed:
        if xs[1] != ws[1] * groups:
            raise RuntimeError(
                f"Given groups={groups}, weight of size {_size(ws)}, expected input{_size(xs)} to have "
                f"{ws[1] * groups} channels, but got {xs[1]} channels instead"
            )
        if bias is not None and (bias.dim() != 1 or bias.shape[0] != ws[0]):
            raise RuntimeError(
                f"Given weight of size {_size(ws)}, expected bias to be 1-dimensional with {ws[0]} elements, but "
                f"got bias of size {_size(bias.shape)} instead"
            )
        padded = [xs[2 + i] + 2 * padding[i] for i in range(len(padding))]
        kernel = [dilation[i] * (ws[2 + i] - 1) + 1 for i in range(len(padding))]
        if any(k > p for k, p in zip(kernel, padded)):
            raise RuntimeError(
                f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
                f"({' x '.join(map(str, kernel))}). Kernel size can't be greater than actual input size"
            )
    else:
        if xs[1] != ws[0]:
            raise RuntimeError(
                f"Given transposed=1, weight of size {_size(ws)}, expected input{_size(xs)} to have {ws[0]} "
                f"channels, but got {xs[1]} channels instead"
            )
        if bias is not None and (bias.dim() != 1 or bias.shape[0] != ws[1] * groups):
            raise RuntimeError(
                f"Given transposed=1, weight of size {_size(ws)}, expected bias to be 1-dimensional with "
                f"{ws[1] * groups} elements, but got bias of size {_size(bias.shape)} instead"
            )
        if any(op_ >= s and op_ >= d for op_, s, d in zip(output_padding, stride, dilation)):
            parts = (
                " ".join(
                    f"output_padding_{n}: {v}"
                    for n, v in zip(_DIM_NAMES[len(stride)], output_padding)
                )
                + " "
                + " ".join(f"stride_{n}: {v}" for n, v in zip(_DIM_NAMES[len(stride)], stride))
                + " "
                + " ".join(f"dilation_{n}: {v}" for n, v in zip(_DIM_NAMES[len(stride)], dilation))
            )
            raise RuntimeError(
                f"output padding must be smaller than either stride or dilation, but got {parts}"
            )
        out = [
            (xs[2 + i] - 1) * stride[i]
            - 2 * padding[i]
            + dilation[i] * (ws[2 + i] - 1)
            + output_padding[i]
            + 1
            for i in range(len(stride))
        ]
        if any(o <= 0 for o in out):
            raise RuntimeError(
                f"Given input size per channel: ({' x '.join(map(str, xs[2:]))}). Calculated output size per "
                f"channel: ({' x '.join(map(str, out))}). Output size is too small"
            )
    dt = input.dtype
    if weight.dtype is not dt and dt is not D.float32:
        # torch's slow (non-mkldnn) CPU path
        raise RuntimeError(
            f"expected scalar type {dt._scalar_name} but found {weight.dtype._scalar_name}"
        )
    if weight.dtype is not dt:
        raise RuntimeError(
            f"Input type (torch.{dt._legacy}) and weight type (torch.{weight.dtype._legacy}) should be the same or "
            "input should be a MKLDNN tensor and weight is a dense tensor"
        )
    if bias is not None and bias.dtype is not dt:
        raise RuntimeError(
            f"Input type ({_cpp(dt)}) and bias type ({_cpp(bias.dtype)}) should be the same"
        )
    if dt is D.bool:
        raise NotImplementedError(f"\"slow_conv{len(stride)}d_cpu\" not implemented for 'Bool'")


_DIM_NAMES = {1: ("width",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def conv_nd(x, w, stride, padding, dilation, groups, lhs_dilation=None):
    """``lax.conv_general_dilated`` in torch's numerics: HIGHEST precision for float32/complex64,
    float32 results for float16/bfloat16 inputs (the caller adds the bias, then rounds once).
    ``padding`` is a list of (low, high) pairs."""
    dt = x.dtype
    low = dt in (np.float16, jnp.bfloat16)
    prec = lax.Precision.HIGHEST if jnp.issubdtype(dt, jnp.inexact) else None
    return lax.conv_general_dilated(
        x,
        w,
        tuple(stride),
        list(padding),
        lhs_dilation=lhs_dilation,
        rhs_dilation=tuple(dilation),
        feature_group_count=groups,
        precision=prec,
        preferred_element_type=np.float32 if low else None,
    )


def _conv_value(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups):
    k = weight.ndim - 2
    stride, padding, dilation, output_padding = _params(
        weight.ndim, stride, padding, dilation, output_padding
    )
    x = input
    if not transposed:
        out = conv_nd(x, weight, stride, [(p, p) for p in padding], dilation, groups)
    else:
        # the gradient of a convolution: dilate the input by the stride, correlate with the
        # spatially flipped kernel whose in/out channels are swapped within each group
        cin, cout_g = weight.shape[0], weight.shape[1]
        ks = weight.shape[2:]
        w = weight.reshape((groups, cin // groups, cout_g) + ks)
        w = jnp.swapaxes(w, 1, 2).reshape((groups * cout_g, cin // groups) + ks)
        w = jnp.flip(w, axis=tuple(range(2, 2 + k)))
        pads = [
            (
                dilation[i] * (ks[i] - 1) - padding[i],
                dilation[i] * (ks[i] - 1) - padding[i] + output_padding[i],
            )
            for i in range(k)
        ]
        out = conv_nd(x, w, (1,) * k, pads, dilation, groups, lhs_dilation=tuple(stride))
    if bias is not None:
        out = out + bias.reshape((1, -1) + (1,) * k).astype(out.dtype)
    return out.astype(input.dtype)


@op(
    "convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, "
    "bool transposed, int[] output_padding, int groups) -> Tensor",
    promote="none",
    check=_check_convolution,
    saves=("input", "weight"),
    out=False,
)
def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups):
    """torch.convolution: the N-d (transposed) convolution every conv front end reaches."""
    return _conv_value(
        input, weight, bias, stride, padding, dilation, transposed, output_padding, groups
    )


def _conv_op():
    return convolution._op


def _batchify(input, k, name):
    """ATen's ``batchify``: an unbatched input gets a batch dim of 1 (and loses it again)."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    d = input.dim()
    if d not in (k + 1, k + 2):
        raise RuntimeError(
            f"Expected {k + 1}D (unbatched) or {k + 2}D (batched) input to {name}, but got input of size: "
            f"{_size(input.shape)}"
        )
    return (input, True) if d == k + 2 else (input.unsqueeze(0), False)


def _conv_front(name, k, input, weight, bias, stride, padding, dilation, groups):
    from . import api

    x, batched = _batchify(input, k, name)
    if isinstance(padding, str):
        if padding == "valid":
            padding = 0
        elif padding == "same":
            x, padding = _same_padding(x, weight, k, stride, dilation)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    if not isinstance(weight, Tensor):
        raise TypeError(
            f"{name}(): argument 'weight' (position 2) must be Tensor, not {type(weight).__name__}"
        )
    out = R.call(
        _conv_op(),
        (
            x,
            weight,
            bias,
            expand_param(stride, "stride", k),
            expand_param(padding, "padding", k),
            expand_param(dilation, "dilation", k),
            False,
            (0,) * k,
            groups,
        ),
    )
    return out if batched else api.squeeze(out, 0)


def _same_padding(x, weight, k, stride, dilation):
    """``_convolution_mode`` with padding='same': symmetric where possible, the odd remainder
    padded on the right with constant_pad_nd first."""
    from . import api

    stride = expand_param(stride, "stride", k)
    dilation = expand_param(dilation, "dilation", k)
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    if weight.dim() != k + 2:
        # let the kernel raise torch's shape error
        return x, 0
    total = [dilation[i] * (weight.shape[2 + i] - 1) for i in range(k)]
    sym = [t // 2 for t in total]
    extra = [t - 2 * s for t, s in zip(total, sym)]
    if any(extra):
        warnings.warn(
            "Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of the "
            "input be created",
            UserWarning,
            stacklevel=4,
        )
        pad = []
        for i in reversed(range(k)):
            pad += [0, extra[i]]
        x = api.constant_pad_nd(x, pad)
    return x, tuple(sym)


def _make_conv(k):
    name = f"conv{k}d"

    @composite(
        f"{name}(Tensor input, Tensor weight, Tensor? bias=None, int[{k}] stride=1, Any padding=0, "
        f"int[{k}] dilation=1, int groups=1) -> Tensor",
        out=False,
    )
    def conv(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
        return _conv_front(name, k, input, weight, bias, stride, padding, dilation, groups)

    conv.__doc__ = (
        f"torch.{name} / torch.nn.functional.{name} (int, tuple, 'same' or 'valid' padding)."
    )
    register_function(name, conv, NF)
    return conv


conv1d = _make_conv(1)
conv2d = _make_conv(2)
conv3d = _make_conv(3)


def _make_conv_transpose(k):
    name = f"conv_transpose{k}d"

    @composite(
        f"{name}(Tensor input, Tensor weight, Tensor? bias=None, int[{k}] stride=1, int[{k}] padding=0, "
        f"int[{k}] output_padding=0, int groups=1, int[{k}] dilation=1) -> Tensor",
        out=False,
    )
    def conv_transpose(
        input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
    ):
        from . import api

        if isinstance(padding, str):
            raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
        x, batched = _batchify(input, k, name)
        out = R.call(
            _conv_op(),
            (
                x,
                weight,
                bias,
                expand_param(stride, "stride", k),
                expand_param(padding, "padding", k),
                expand_param(dilation, "dilation", k),
                True,
                expand_param(output_padding, "output_padding", k),
                groups,
            ),
        )
        return out if batched else api.squeeze(out, 0)

    conv_transpose.__doc__ = (
        f"torch.{name} / torch.nn.functional.{name} (output_padding, groups, dilation)."
    )
    register_function(name, conv_transpose, NF)
    return conv_transpose


conv_transpose1d = _make_conv_transpose(1)
conv_transpose2d = _make_conv_transpose(2)
conv_transpose3d = _make_conv_transpose(3)
