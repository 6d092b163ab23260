"""Channel rearrangements (ATen's native/PixelShuffle.cpp, ChanelShuffle.cpp): torch.pixel_shuffle,
pixel_unshuffle, channel_shuffle, native_channel_shuffle and their nn.functional spellings.

Each is a reshape / transpose of the input with torch's checks and messages; results are new
contiguous tensors (``PixelShuffleBackward0`` / ``PixelUnshuffleBackward0`` /
``ChannelShuffleBackward0``). Any dtype is accepted, as in torch.
"""

from __future__ import annotations

import jax.numpy as jnp

from ._registry import op, register_function
from .pointwise import with_grad

NF = "nn.functional"


def _check_pixel_shuffle(input, upscale_factor):
    if input.dim() < 3:
        raise RuntimeError(
            f"pixel_shuffle expects input to have at least 3 dimensions, but got input with {input.dim()} dimension(s)"
        )
    if upscale_factor <= 0:
        raise RuntimeError(
            f"pixel_shuffle expects a positive upscale_factor, but got {upscale_factor}"
        )
    c = input.shape[-3]
    sq = upscale_factor * upscale_factor
    if c % sq != 0:
        raise RuntimeError(
            "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, "
            f"but input.size(-3)={c} is not divisible by {sq}"
        )


@op(
    "pixel_shuffle(Tensor input, int upscale_factor) -> Tensor",
    promote="none",
    out=False,
    check=_check_pixel_shuffle,
    saves=(),
)
def pixel_shuffle(input, upscale_factor):
    r = upscale_factor
    *batch, c, h, w = input.shape
    nb = len(batch)
    oc = c // (r * r)
    x = input.reshape(*batch, oc, r, r, h, w)
    perm = tuple(range(nb)) + tuple(nb + i for i in (0, 3, 1, 4, 2))
    return jnp.transpose(x, perm).reshape(*batch, oc, h * r, w * r)


def _check_pixel_unshuffle(input, downscale_factor):
    if input.dim() < 3:
        raise RuntimeError(
            f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with {input.dim()} "
            "dimension(s)"
        )
    if downscale_factor <= 0:
        raise RuntimeError(
            f"pixel_unshuffle expects a positive downscale_factor, but got {downscale_factor}"
        )
    h, w = input.shape[-2], input.shape[-1]
    if h % downscale_factor != 0:
        raise RuntimeError(
            f"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)={h} is not "
            f"divisible by {downscale_factor}"
        )
    if w % downscale_factor != 0:
        raise RuntimeError(
            f"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)={w} is not "
            f"divisible by {downscale_factor}"
        )


@op(
    "pixel_unshuffle(Tensor input, int downscale_factor) -> Tensor",
    promote="none",
    out=False,
    check=_check_pixel_unshuffle,
    saves=(),
)
def pixel_unshuffle(input, downscale_factor):
    r = downscale_factor
    *batch, c, h, w = input.shape
    nb = len(batch)
    x = input.reshape(*batch, c, h // r, r, w // r, r)
    perm = tuple(range(nb)) + tuple(nb + i for i in (0, 2, 4, 1, 3))
    return jnp.transpose(x, perm).reshape(*batch, c * r * r, h // r, w // r)


def _check_channel_shuffle(input, groups):
    if input.dim() <= 2:
        raise RuntimeError(
            f"channel_shuffle expects input to have at least 3 dimensions, but got input with {input.dim()} dims"
        )
    if groups <= 0:
        raise RuntimeError(
            f"Number of groups to divide channels in must be positive. Value of groups:{groups}"
        )
    c = input.shape[1]
    if c % groups != 0:
        raise RuntimeError(
            f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups."
        )


def _channel_shuffle(input, groups):
    n, c, *rest = input.shape
    x = input.reshape(n, groups, c // groups, *rest)
    return jnp.swapaxes(x, 1, 2).reshape(input.shape)


@op(
    "channel_shuffle(Tensor input, int groups) -> Tensor",
    promote="none",
    out=False,
    check=_check_channel_shuffle,
    saves=(),
)
def channel_shuffle(input, groups):
    return _channel_shuffle(input, groups)


def _no_derivative():
    return RuntimeError("derivative for aten::native_channel_shuffle is not implemented")


@op(
    "native_channel_shuffle(Tensor input, int groups) -> Tensor",
    promote="none",
    out=False,
    check=_check_channel_shuffle,
    grad="NotImplemented",
)
def native_channel_shuffle(input, groups):
    """torch has no derivative for it: backward raises torch's error."""
    return with_grad(
        lambda x: _channel_shuffle(x, groups),
        lambda a, out, g: (None,),
        nondiff={0: _no_derivative},
    )(input)


register_function("pixel_shuffle", pixel_shuffle, NF)
register_function("pixel_unshuffle", pixel_unshuffle, NF)
register_function("channel_shuffle", channel_shuffle, NF)
