"""Padding ops: constant_pad_nd, reflection/replication_pad{1,2,3}d, _pad_circular and
``nn.functional.pad``.

torch builds circular padding from slice copies; ``_pad_circular`` is one gather here but keeps
torch's grad_fn (CopySlices), so grad_fn chains match torch's.
"""

from __future__ import annotations

import builtins

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function
from .shape import _ints, _shape_str


def _check_pad(pad, nd):
    if len(pad) % 2:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    if len(pad) // 2 > nd:
        raise RuntimeError(
            f"Length of pad should be no more than twice the number of dimensions of the input. Pad length is "
            f"{len(pad)}while the input has {nd}dimensions."
        )


def _narrow_check(n, start, length):
    """torch.narrow's checks (constant_pad_nd crops negative padding with narrow first)."""
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -n <= start <= n:
        raise IndexError(
            f"start out of range (expected to be in range of [{-n}, {n}], but got {start})"
        )
    if start < 0:
        start += n
    if start > n - length:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return length


def _constant_pad_check(input, pad, value=0):
    pad = _ints(pad, "constant_pad_nd", "pad")
    nd = input.dim()
    _check_pad(pad, nd)
    for i in range(len(pad) // 2):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = input._shape[d]
        if lo < 0:
            n = _narrow_check(n, -lo, n + lo)
        if hi < 0:
            n = _narrow_check(n, 0, n + hi)
    for i in range(len(pad) // 2):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        if input._shape[d] + lo + hi < 0:
            raise RuntimeError(
                f"The input size {input._shape[d]}, plus negative padding {lo} and {hi} resulted in a negative output "
                f"size, which is invalid. Check dimension {d} of your input."
            )


@op(
    "constant_pad_nd(Tensor input, int[] pad, Scalar value=0) -> Tensor",
    promote="none",
    saves=(),
    check=_constant_pad_check,
)
def constant_pad_nd(input, pad, value=0):
    nd = input.ndim
    cfg = [(0, 0, 0)] * nd
    for i in range(len(pad) // 2):
        cfg[nd - 1 - i] = (pad[2 * i], pad[2 * i + 1], 0)
    v = (
        value.astype(input.dtype)
        if not (
            jnp.issubdtype(value.dtype, jnp.complexfloating)
            and not jnp.issubdtype(input.dtype, jnp.complexfloating)
        )
        else jnp.real(value).astype(input.dtype)
    )
    return lax.pad(input, v, cfg)


def _pad_index(n, lo, hi, mode):
    """Source positions along one dim for reflect/replicate padding (negative pads crop)."""
    k = np.arange(-lo, n + hi)
    if mode == "reflect":
        k = np.where(k < 0, -k, k)
        k = np.where(k >= n, 2 * (n - 1) - k, k)
    else:
        k = np.clip(k, 0, n - 1)
    return k


def _nonconst_pad(input, pad, mode):
    nd = input.ndim
    x = input
    for i in range(len(pad) // 2):
        d = nd - 1 - i
        idx = _pad_index(x.shape[d], pad[2 * i], pad[2 * i + 1], mode)
        x = jnp.take(x, jnp.asarray(idx, np.int32), axis=d)
    return x


def _pad_op(mode, k):
    name = f"{'reflection' if mode == 'reflect' else 'replication'}_pad{k}d"

    @op(
        f"{name}(Tensor input, int[] padding) -> Tensor",
        function=False,
        promote="none",
        saves=(),
        grad=f"{'Reflection' if mode == 'reflect' else 'Replication'}Pad{k}DBackward0",
    )
    def f(input, padding):
        return _nonconst_pad(input, padding, mode)

    return R.OPS[name]


_PAD_OPS = {(m, k): _pad_op(m, k) for m in ("reflect", "replicate") for k in (1, 2, 3)}


def _check_nonconst(input, pad, mode, k):
    """reflection_pad{k}d / replication_pad{k}d checks, in ATen's order and words."""
    shape = input._shape
    nd = len(shape)
    batch = nd == k + 2
    if any(n == 0 for n in shape[1 if batch else 0 :]):
        raise RuntimeError(
            f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero "
            f"dimensions for input, but got: {_shape_str(shape)}"
        )
    if mode == "reflect":
        for i in range(k):
            d = nd - 1 - i
            lo, hi = pad[2 * i], pad[2 * i + 1]
            if lo >= shape[d] or hi >= shape[d]:
                raise RuntimeError(
                    f"Argument #{4 + 2 * i}: Padding size should be less than the corresponding input dimension, but "
                    f"got: padding ({lo}, {hi}) at dimension {d} of input {_shape_str(shape)}"
                )
    outs = [shape[nd - 1 - i] + pad[2 * i] + pad[2 * i + 1] for i in range(k)]  # W, H, D
    names = ("W", "H", "D")
    if k == 1 and outs[0] < 1:
        raise RuntimeError(f"input (W: {shape[-1]}) is too small. Calculated output W: {outs[0]}")
    if all(o < 1 for o in outs) and k > 1:
        ins = ", ".join(f"{names[i]}: {shape[nd - 1 - i]}" for i in reversed(range(k)))
        got = " ".join(f"{names[i]}: {outs[i]}" for i in reversed(range(k)))
        raise RuntimeError(f"input ({ins}) is too small. Calculated output {got}")
    full = list(shape[: nd - k]) + [outs[i] for i in reversed(range(k))]
    for n in full:
        if n < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {n}: {_shape_str(full)}"
            )


def _pad_circular(input, pad):
    """ATen's _pad_circular: checks, then the padded tensor (torch builds it with slice copies,
    hence its grad_fn CopySlices; here it is one gather with the same values and gradient)."""
    in_shape = input._shape
    nd = input.dim()
    k = len(pad) // 2
    nonpad = nd - k
    if nonpad not in (1, 2):
        raise RuntimeError(
            "Invalid padding size, expected 1 or 2 non-padded dimensions, which would be equivalent to padding of "
            f"length {(nd - 1) * 2} or {(nd - 2) * 2} respectively but got {len(pad)}"
        )
    for i in range(k):
        pl, pr = pad[2 * (k - i - 1)], pad[2 * (k - i - 1) + 1]
        size = in_shape[nonpad + i]
        if not (pl <= size and pr <= size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if size + pl + pr < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
    return R.call(R.OPS["_pad_circular"], (input, pad))


@op(
    "_pad_circular(Tensor input, int[] padding) -> Tensor",
    function=False,
    promote="none",
    saves=(),
    grad="CopySlices",
)
def _pad_circular_value(input, padding):
    x = input
    nd = x.ndim
    for i in range(len(padding) // 2):
        d = nd - 1 - i
        n = x.shape[d]
        lo, hi = padding[2 * i], padding[2 * i + 1]
        kept = np.arange(builtins.max(-lo, 0), n - builtins.max(-hi, 0))
        m = builtins.max(kept.size, 1)
        idx = (
            kept[np.arange(-builtins.max(lo, 0), kept.size + builtins.max(hi, 0)) % m]
            if kept.size
            else kept
        )
        x = jnp.take(x, jnp.asarray(idx, np.int32), axis=d)
    return x


_MODES = {"constant", "reflect", "replicate", "circular"}


def pad(input, pad, mode="constant", value=None):
    """torch.nn.functional.pad: constant, reflect, replicate or circular padding of the last dims."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"pad(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    pad = _ints(pad, "pad", "pad")
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    nd = input.dim()
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) > nd * 2:
        raise RuntimeError(
            f"Padding length should be less than or equal to two times the input dimension but got padding length "
            f"{len(pad)} and input of dimension {nd}"
        )
    if mode == "constant":
        return constant_pad_nd(input, pad, 0.0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pad) // 2
    if (k == 1 and nd in (2, 3)) or (k == 2 and nd in (3, 4)) or (k == 3 and nd in (4, 5)):
        if mode == "circular":
            return _pad_circular(input, pad)
        _check_nonconst(input, pad, mode, k)
        return R.call(_PAD_OPS[(mode, k)], (input, pad))
    raise NotImplementedError(
        f"Padding size {len(pad)} is not supported for {nd}D input tensor.\nSupported combinations for non-constant "
        "padding:\n  - 2D or 3D input: padding size = 2 (pads last dimension)\n  - 3D or 4D input: padding size = 4 "
        "(pads last 2 dimensions)\n  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
    )


register_function("pad", pad, ns="nn.functional")
