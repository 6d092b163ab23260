"""torch.hash_tensor: an xor reduction of the elements' 64-bit patterns (torch 2.13, mode 0).

Mirrors ATen's ``hash_tensor`` (ReduceOps.cpp, ``xor_sum`` kernel): every element is upcast to
its 64-bit equivalent (floating -> float64, integers and bools -> int64, sign-extended) and
bitcast to uint64, then the values are xor-reduced over ``dim`` (all dims when ``dim=[]``).
The result is always uint64 and not differentiable.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from ._registry import op
from ._util import is_complex, is_float, reduce_dims
from .reduction import wrap_out_check

# the dtypes ATen's xor_sum_cpu kernel dispatches over (AT_DISPATCH_ALL_TYPES_AND3(Bool, Half, BFloat16))
_SUPPORTED = frozenset(
    {
        D.bool,
        D.uint8,
        D.int8,
        D.int16,
        D.int32,
        D.int64,
        D.float16,
        D.bfloat16,
        D.float32,
        D.float64,
    }
)


@op(
    "hash_tensor(Tensor input, int[1] dim=[], *, bool keepdim=False, int mode=0) -> Tensor",
    method=True,
    promote="none",
    differentiable=False,
)
def hash_tensor(input, dim=(), keepdim=False, mode=0):
    """torch.hash_tensor / Tensor.hash_tensor: xor of the inputs' 64-bit patterns over ``dim``."""
    if mode != 0:
        raise RuntimeError(f"Unknown hash_tensor mode: {mode}")
    dt = D.from_np(input.dtype)
    if dt not in _SUPPORTED:
        raise NotImplementedError(f"\"xor_sum_cpu\" not implemented for '{dt._scalar_name}'")
    axes = reduce_dims(dim, input.ndim)
    if not dim or input.ndim == 0:
        if input.size == 0:
            raise RuntimeError(
                "hash_tensor: Expected reduction dim to be specified for input.numel() == 0. Specify the "
                "reduction dim with the 'dim' argument."
            )
    else:
        for a in axes:
            if input.shape[a] == 0:
                raise IndexError(f"hash_tensor: Expected reduction dim {a} to have non-zero size.")
    if is_float(input):
        bits = lax.bitcast_convert_type(input.astype(np.float64), np.uint64)
    elif is_complex(input):  # unreachable: refused above
        raise AssertionError
    else:
        bits = input.astype(np.int64).astype(np.uint64)
    r = lax.reduce(bits, np.uint64(0), lax.bitwise_xor, axes)
    if keepdim and axes:
        r = jnp.expand_dims(r, axes)
    return r


def _check_out(inp, out, args, kwargs):
    """hash_tensor.out refuses an out= tensor that is not uint64 (no casting into out)."""
    if out.dtype is not D.uint64:
        raise RuntimeError(
            f"Expected result to be of dtype uint64, but got {out.dtype._scalar_name}"
        )


wrap_out_check("hash_tensor", _check_out)
