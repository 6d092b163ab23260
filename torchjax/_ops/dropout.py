"""Dropout: torch.dropout / feature_dropout / alpha_dropout / feature_alpha_dropout (and their in-place
``_`` forms), torch.native_dropout, and nn.functional.dropout, dropout1d/2d/3d, alpha_dropout,
feature_alpha_dropout.

These mirror ATen's CPU ``_dropout_impl`` (aten/src/ATen/native/Dropout.cpp) step by step, written
with torchjax ops so autograd is torch's (``MulBackward0`` / ``AddBackward0``):

- ``p`` outside [0, 1] (or NaN): RuntimeError ``dropout probability has to be between 0 and 1, but
  got p`` (nn.functional raises the same text as a ValueError first, like torch's Python layer);
- ``p == 0``, ``train=False`` or an empty input: the input itself is returned (the same object);
- ``p == 1``: ``input * 0`` (so NaN/inf stay NaN, as in torch);
- otherwise a noise tensor (``empty_like(input)``, or ``[N, C, 1, ...]`` for the feature variants)
  is filled with ``bernoulli_(1 - p)`` from the torchjax generator and scaled by ``1 / (1 - p)``
  (alpha variants: ``a = 1 / sqrt((alpha^2 p + 1)(1 - p))``, ``b = (noise - 1) * alpha * a + alpha * a * p``,
  result ``input * noise * a + b``), then multiplied into the input.

The mask comes from ``Tensor.bernoulli_(float)``, i.e. torch's default CPU bernoulli path (one 53-bit
uniform per element). torch 2.13 on Intel CPUs with MKL draws ``bernoulli_(float)`` from MKL's VSL
stream instead, so there the masks differ from torch's (statistics, scaling, shapes and dtypes are
the same); see docs/random.md.
"""

from __future__ import annotations

import math
import warnings

from .._tensor import Tensor
from ._registry import register_function

NF = "nn.functional"
_SELU_ALPHA = 1.7580993408473766


def _fmt(p) -> str:
    """A double as C++ streams print it (torch's error text)."""
    return format(p, "g")


def _check_type(name, input):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )


def _feature_noise(input):
    """ATen's make_feature_noise: an uninitialised [N, C, 1, ...] tensor like ``input``."""
    if input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    sizes = [input.shape[0], input.shape[1]] + [1] * (input.dim() - 2)
    return input.new_empty(sizes)


def _dropout_impl(name, input, p, train, *, feature, alpha, inplace):
    """ATen's _dropout_impl<feature_dropout, alpha_dropout, inplace>."""
    import torchjax as torch

    _check_type(name, input)
    p = float(p)
    if not (0 <= p <= 1):
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {_fmt(p)}")
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        zero = torch.zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(zero) if inplace else input.mul(zero)
    with torch.no_grad():
        noise = _feature_noise(input) if feature else torch.empty_like(input)
        noise.bernoulli_(1 - p)
        if alpha:
            a = 1.0 / math.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
            b = noise.add(-1).mul_(_SELU_ALPHA * a).add_(_SELU_ALPHA * a * p)
            noise.mul_(a)
        else:
            noise.div_(1 - p)
    out = input.mul_(noise) if inplace else input.mul(noise)
    if alpha:
        out = out.add_(b)
    return out


def _make(name, feature, alpha):
    def f(input, p, train):
        return _dropout_impl(name, input, p, train, feature=feature, alpha=alpha, inplace=False)

    def f_(input, p, train):
        return _dropout_impl(
            name + "_", input, p, train, feature=feature, alpha=alpha, inplace=True
        )

    kind = ("feature " if feature else "") + ("alpha " if alpha else "") + "dropout"
    f.__name__, f_.__name__ = name, name + "_"
    f.__doc__ = f"torch.{name}(input, p, train): ATen's CPU {kind} (mask from bernoulli_(1 - p))."
    f_.__doc__ = f"torch.{name}_(input, p, train): in-place {kind}; returns ``input``."
    register_function(name, f)
    register_function(name + "_", f_)
    return f, f_


dropout, dropout_ = _make("dropout", False, False)
feature_dropout, feature_dropout_ = _make("feature_dropout", True, False)
alpha_dropout, alpha_dropout_ = _make("alpha_dropout", False, True)
feature_alpha_dropout, feature_alpha_dropout_ = _make("feature_alpha_dropout", True, True)


def native_dropout(input, p, train):
    """torch.native_dropout(input, p, train) -> (output, mask): ATen's native_dropout_cpu.

    ``mask`` is a bool tensor drawn with ``bernoulli_(1 - p)``; ``output = input * mask * (1 / (1 - p))``
    (scale 0 when p == 1); ``train=None`` counts as True. With ``train`` False torch returns
    ``(input.clone(), ones_like(input, bool))``; an empty input gives ``(input, empty bool mask)``."""
    import torchjax as torch

    _check_type("native_dropout", input)
    p = float(p)
    if input.numel() == 0:
        return input, torch.empty_like(input, dtype=torch.bool)
    if train is None or train:
        p1m = 1.0 - p
        scale = 0.0 if p1m == 0 else 1.0 / p1m
        mask = torch.empty_like(input, dtype=torch.bool)
        mask.bernoulli_(p1m)
        return input.mul(mask).mul_(scale), mask
    return input.clone(), torch.ones_like(input, dtype=torch.bool)


register_function("native_dropout", native_dropout)


# ------------------------------------------------------------------ torch.nn.functional


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def f_dropout(input, p=0.5, training=True, inplace=False):
    """F.dropout: elementwise dropout with probability ``p`` (torch's Python checks, then torch.dropout)."""
    _check_p(p)
    return dropout_(input, p, training) if inplace else dropout(input, p, training)


def f_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """F.alpha_dropout: SELU-preserving dropout (torch.alpha_dropout)."""
    _check_p(p)
    return alpha_dropout_(input, p, training) if inplace else alpha_dropout(input, p, training)


def f_feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """F.feature_alpha_dropout: channel-wise alpha dropout (torch.feature_alpha_dropout)."""
    _check_p(p)
    return (
        feature_alpha_dropout_(input, p, training)
        if inplace
        else feature_alpha_dropout(input, p, training)
    )


def dropout1d(input, p=0.5, training=True, inplace=False):
    """F.dropout1d: channel-wise dropout of (N, C, L) or (C, L) inputs (torch's Python front end)."""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. "
            "Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
            "spatial dimension, a channel dimension, and an optional batch dimension "
            "(i.e. 2D or 3D inputs)."
        )
    is_batched = inp_dim == 3
    if not is_batched:
        input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    result = (
        feature_dropout_(input, p, training) if inplace else feature_dropout(input, p, training)
    )
    if not is_batched:
        result = result.squeeze_(0) if inplace else result.squeeze(0)
    return result


def dropout2d(input, p=0.5, training=True, inplace=False):
    """F.dropout2d: channel-wise dropout (torch's warnings for non-3D/4D and 3D inputs)."""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout2d "
            "exists to provide channel-wise dropout on inputs with 2 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if inp_dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2,
        )
    return feature_dropout_(input, p, training) if inplace else feature_dropout(input, p, training)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """F.dropout3d: channel-wise dropout of (N, C, D, H, W) or (C, D, H, W) inputs."""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {inp_dim}-D input to dropout3d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout3d "
            "exists to provide channel-wise dropout on inputs with 3 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )
    is_batched = inp_dim == 5
    if not is_batched:
        input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    result = (
        feature_dropout_(input, p, training) if inplace else feature_dropout(input, p, training)
    )
    if not is_batched:
        result = result.squeeze_(0) if inplace else result.squeeze(0)
    return result


for _n, _f in (
    ("dropout", f_dropout),
    ("alpha_dropout", f_alpha_dropout),
    ("feature_alpha_dropout", f_feature_alpha_dropout),
    ("dropout1d", dropout1d),
    ("dropout2d", dropout2d),
    ("dropout3d", dropout3d),
):
    _f.__name__ = _n
    register_function(_n, _f, NF)
