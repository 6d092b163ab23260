"""torch.nn.functional.linear and bilinear (torch.bilinear), as ATen's native/Linear.cpp composes them.

- ``linear(input, weight, bias)``: 2-D input with bias -> ``addmm(bias, input, weight.t())``
  (``AddmmBackward0``); other contiguous inputs with a 1-D bias (or 3-D inputs) -> the same addmm
  on the input flattened to 2-D, viewed back (``ViewBackward0``); otherwise ``matmul(input, weight.t())`` then ``add_(bias)``.
- ``bilinear(input1, input2, weight, bias)``: torch's checks, both inputs flattened to 2-D,
  ``y[b, o] = sum_ij x1[b, i] W[o, i, j] x2[b, j]`` (ATen's ``_trilinear``), reshaped to the batch
  shape, ``+ bias``.
"""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from . import _registry as R
from ._registry import register_function
from .pointwise import _declared

NF = "nn.functional"


def linear(input, weight, bias=None):
    """F.linear: ``input @ weight.T + bias`` through addmm / matmul exactly where ATen uses them."""
    import torchjax as torch

    for name, t in (("input", input), ("weight", weight)):
        if not isinstance(t, Tensor):
            pos = 1 if name == "input" else 2
            raise TypeError(
                f"linear(): argument '{name}' (position {pos}) must be Tensor, not {type(t).__name__}"
            )
    if input.dim() == 2 and bias is not None:
        return torch.addmm(bias, input, weight.t())
    if bias is not None and input.is_contiguous() and (input.dim() == 3 or bias.dim() == 1):
        sizes = tuple(input.shape)
        flat = 1
        for s in sizes[:-1]:
            flat *= s
        res = torch.addmm(bias, input.reshape(flat, sizes[-1]), weight.t())
        return res.view(*sizes[:-1], res.shape[1])
    output = torch.matmul(input, weight.t())
    if bias is not None:
        output.add_(bias)
    return output


@_declared(
    "_trilinear_bilinear(Tensor input1, Tensor weight, Tensor input2) -> Tensor",
    out=False,
    grad="TrilinearBackward0",
)
def _bilinear_core(input1, weight, input2):
    return jnp.einsum("bi,oij,bj->bo", input1, weight, input2)


def bilinear(input1, input2, weight, bias=None):
    """torch.bilinear / F.bilinear with ATen's checks and messages."""
    if input1.dim() != input2.dim():
        raise RuntimeError(
            f"bilinear(): input dimensions do not match: got {input1.dim()} and {input2.dim()}"
        )
    for i in range(input1.dim() - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(
                f"bilinear(): input batch dimensions do not match at dim {i}: got {input1.shape[i]} and {input2.shape[i]}"
            )
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(
            f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but expected {weight.shape[1]}"
        )
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(
            f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but expected {weight.shape[2]}"
        )
    if bias is not None and bias.shape[0] != weight.shape[0]:
        raise RuntimeError(
            f"bilinear(): bias size does not match weight size: got {bias.shape[0]} but expected {weight.shape[0]}"
        )
    out_size = tuple(input1.shape[:-1]) + (weight.shape[0],)
    x1 = input1.reshape(-1, input1.shape[-1])
    x2 = input2.reshape(-1, input2.shape[-1])
    out = R.call(_bilinear_core, (x1, weight, x2)).reshape(out_size)
    if bias is not None:
        out = out + bias
    return out


register_function("linear", linear, NF)
register_function("bilinear", bilinear)
register_function("bilinear", bilinear, NF)
