"""Sliding blocks (ATen's Im2Col.cpp / Col2Im.cpp): torch.nn.functional.unfold (im2col) and
fold (col2im), batched or unbatched, with torch's shape checks and grad_fn names
(``Im2ColBackward0`` / ``Col2ImBackward0``).

Both are written as one strided slice per kernel offset (im2col stacks them, col2im scatter-adds
them back), so they are exact for every dtype torch supports (floating, complex, bool) and are
each other's transpose under autograd.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ._registry import op
from .pointwise import kernel_error

NF = "nn.functional"


def _pair(v, name):
    if isinstance(v, int):
        return (v, v)
    v = tuple(v)
    if len(v) == 1:  # a Python int reaches the kernel as a 1-tuple
        return v * 2
    if len(v) != 2:
        raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(v)}")
    return v


def _common_checks(ks, dl, pd, st):
    if ks[0] <= 0 or ks[1] <= 0:
        raise RuntimeError(
            f"kernel size should be greater than zero, but got kernel_height: {ks[0]} kernel_width: "
            f"{ks[1]}"
        )
    if dl[0] <= 0 or dl[1] <= 0:
        raise RuntimeError(
            f"dilation should be greater than zero, but got dilation_height: {dl[0]} dilation_width: "
            f"{dl[1]}"
        )
    if pd[0] < 0 or pd[1] < 0:
        raise RuntimeError(
            f"padding should be non-negative, but got pad_height: {pd[0]} pad_width: {pd[1]}"
        )
    if st[0] <= 0 or st[1] <= 0:
        raise RuntimeError(
            f"stride should be greater than zero, but got stride_height: {st[0]} stride_width: "
            f"{st[1]}"
        )


def _blocks(size, ks, dl, pd, st):
    return tuple((size[i] + 2 * pd[i] - (dl[i] * (ks[i] - 1) + 1)) // st[i] + 1 for i in range(2))


def _check_unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"unfold(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    ks, dl, pd, st = (
        _pair(kernel_size, "kernel_size"),
        _pair(dilation, "dilation"),
        _pair(padding, "padding"),
        _pair(stride, "stride"),
    )
    if input.dim() < 3:
        n = max(input.dim(), 1)
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got 2)"
        )
    _common_checks(ks, dl, pd, st)
    if input.dim() not in (3, 4) or any(s == 0 for s in input.shape[-3:]):
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
            f"dimensions for input, but got: [{', '.join(map(str, input.shape))}]"
        )
    size = tuple(input.shape[-2:])
    ob = _blocks(size, ks, dl, pd, st)
    if ob[0] < 1 or ob[1] < 1:
        raise RuntimeError(
            f"Given input with spatial size ({size[0]}, {size[1]}), kernel_size=({ks[0]}, {ks[1]}), dilation=("
            f"{dl[0]}, {dl[1]}), padding=({pd[0]}, {pd[1]}), calculated shape of the array of sliding blocks as ("
            f"{ob[0]}, {ob[1]}), but its components must be at least one."
        )
    dt = input.dtype
    if not (dt.is_floating_point or dt.is_complex or dt is D.bool):
        raise kernel_error("im2col_out_cpu", dt)


@op(
    "nn.functional.unfold(Tensor input, int[2] kernel_size, int[2] dilation=1, int[2] padding=0, int[2] stride=1) -> Tensor",
    namespace=NF,
    promote="none",
    check=_check_unfold,
    grad="Im2ColBackward0",
    saves=(),
    out=False,
)
def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """torch.nn.functional.unfold: (N, C, H, W) -> (N, C*kh*kw, L), channel-major like im2col."""
    ks, dl, pd, st = (
        _pair(kernel_size, "kernel_size"),
        _pair(dilation, "dilation"),
        _pair(padding, "padding"),
        _pair(stride, "stride"),
    )
    lead = input.shape[:-3]
    c = input.shape[-3]
    oh, ow = _blocks(input.shape[-2:], ks, dl, pd, st)
    x = jnp.pad(input, [(0, 0)] * (input.ndim - 2) + [(pd[0], pd[0]), (pd[1], pd[1])])
    cols = []
    for i in range(ks[0]):
        for j in range(ks[1]):
            h0, w0 = i * dl[0], j * dl[1]
            cols.append(
                x[
                    ...,
                    h0 : h0 + st[0] * (oh - 1) + 1 : st[0],
                    w0 : w0 + st[1] * (ow - 1) + 1 : st[1],
                ]
            )
    out = jnp.stack(cols, axis=-3)  # (..., C, kh*kw, oh, ow)
    return out.reshape(lead + (c * ks[0] * ks[1], oh * ow))


def _check_fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"fold(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    os_ = _pair(output_size, "output_size")
    ks, dl, pd, st = (
        _pair(kernel_size, "kernel_size"),
        _pair(dilation, "dilation"),
        _pair(padding, "padding"),
        _pair(stride, "stride"),
    )
    if os_[0] <= 0 or os_[1] <= 0:
        raise RuntimeError(
            f"Expected output spatial size to be positive, but got: output_size=({os_[0]}, {os_[1]})."
        )
    _common_checks(ks, dl, pd, st)
    if input.dim() not in (2, 3) or any(s == 0 for s in input.shape[-2:]):
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
            f"dimensions for input, but got: [{', '.join(map(str, input.shape))}]"
        )
    cdim = input.shape[-2]
    if cdim % (ks[0] * ks[1]) != 0:
        raise RuntimeError(
            f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
            f"input.size(1)={cdim} and kernel_size=({ks[0]}, {ks[1]})."
        )
    ob = _blocks(os_, ks, dl, pd, st)
    if ob[0] < 1 or ob[1] < 1:
        raise RuntimeError(
            f"Given output_size=({os_[0]}, {os_[1]}), kernel_size=({ks[0]}, {ks[1]}), dilation=({dl[0]}, {dl[1]}), "
            f"padding=({pd[0]}, {pd[1]}), stride=({st[0]}, {st[1]}), calculated shape of the array of sliding "
            f"blocks as ({ob[0]}, {ob[1]}), which is too small (non-positive)"
        )
    if input.shape[-1] != ob[0] * ob[1]:
        raise RuntimeError(
            f"Given output_size=({os_[0]}, {os_[1]}), kernel_size=({ks[0]}, {ks[1]}), dilation=({dl[0]}, {dl[1]}), "
            f"padding=({pd[0]}, {pd[1]}), stride=({st[0]}, {st[1]}), expected size of input's dimension 2 to match "
            f"the calculated number of sliding blocks {ob[0]} * {ob[1]} = {ob[0] * ob[1]}, but got "
            f"input.size(2)={input.shape[-1]}."
        )
    dt = input.dtype
    if not (dt.is_floating_point or dt.is_complex or dt is D.bool):
        raise kernel_error("col2im_out_cpu", dt)


@op(
    "nn.functional.fold(Tensor input, int[2] output_size, int[2] kernel_size, int[2] dilation=1, int[2] padding=0, "
    "int[2] stride=1) -> Tensor",
    namespace=NF,
    promote="none",
    check=_check_fold,
    grad="Col2ImBackward0",
    saves=(),
    out=False,
)
def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """torch.nn.functional.fold: (N, C*kh*kw, L) -> (N, C, H, W), overlapping blocks summed."""
    os_ = _pair(output_size, "output_size")
    ks, dl, pd, st = (
        _pair(kernel_size, "kernel_size"),
        _pair(dilation, "dilation"),
        _pair(padding, "padding"),
        _pair(stride, "stride"),
    )
    lead = input.shape[:-2]
    k = ks[0] * ks[1]
    c = input.shape[-2] // k
    oh, ow = _blocks(os_, ks, dl, pd, st)
    cols = input.reshape(lead + (c, k, oh, ow))
    is_bool = input.dtype == np.bool_
    if is_bool:
        cols = cols.astype(np.int32)
    out = jnp.zeros(lead + (c, os_[0] + 2 * pd[0], os_[1] + 2 * pd[1]), cols.dtype)
    for i in range(ks[0]):
        for j in range(ks[1]):
            h0, w0 = i * dl[0], j * dl[1]
            idx = (
                Ellipsis,
                slice(h0, h0 + st[0] * (oh - 1) + 1, st[0]),
                slice(w0, w0 + st[1] * (ow - 1) + 1, st[1]),
            )
            out = out.at[idx].add(cols[..., i * ks[1] + j, :, :])
    out = out[..., pd[0] : pd[0] + os_[0], pd[1] : pd[1] + os_[1]]
    return out.astype(np.bool_) if is_bool else out
