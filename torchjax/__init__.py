"""torchjax: the PyTorch API implemented on JAX.

``import torchjax as torch`` and run torch code on XLA (CPU, GPU, TPU).
"""

from __future__ import annotations

import jax as _jax

# torch needs int64 and float64; every op passes its dtype explicitly (see _dtype.py)
_jax.config.update("jax_enable_x64", True)

import math as _math

from . import _dtype
from ._dtype import (
    bfloat16, bool, cdouble, cfloat, complex64, complex128, double, float, float16, float32, float64,
    float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz, half, int, int8, int16, int32, int64,
    long, short, uint8, uint16, uint32, uint64,
    can_cast, finfo, get_default_dtype, iinfo, promote_types, result_type, set_default_dtype,
)  # fmt: skip
from ._dtype import dtype
from ._device import device
from ._size import Size
from ._memory_format import (
    channels_last, channels_last_3d, contiguous_format, layout, memory_format, preserve_format, sparse_coo,
    strided,
)  # fmt: skip
from ._tensor import Tensor, UntypedStorage
from ._creation import as_tensor, asarray, frombuffer, from_jax, from_numpy, tensor
from ._creation import LEGACY as _LEGACY
from . import autograd
from .autograd import (
    enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad, set_grad_enabled,
)  # fmt: skip
from .autograd.anomaly_mode import (
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_anomaly_enabled,
)
from . import func
from .func import vmap
from ._generator import Generator, default_generator
from .random import get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from ._tensor_str import set_printoptions, get_printoptions, printoptions
from . import _ops
from ._ops._registry import namespaces as _namespaces, return_types

globals().update({k: v for k, v in vars(_namespaces[""]).items() if not k.startswith("__")})
from . import linalg, fft, special, nn, cuda  # noqa: E402  (namespaces filled by _ops)

globals().update(_LEGACY)

inf = _math.inf
nan = _math.nan
pi = _math.pi
e = _math.e

__version__ = "2.13.0"


def is_tensor(obj) -> bool:
    """torch.is_tensor."""
    return isinstance(obj, Tensor)


def is_storage(obj) -> bool:
    return isinstance(obj, UntypedStorage)


def is_floating_point(input) -> bool:
    return input.is_floating_point()


def is_complex(input) -> bool:
    return input.is_complex()


def is_nonzero(input) -> bool:
    if input.numel() == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if input.numel() > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return input.item() != 0


def numel(input) -> int:
    return input.numel()


def typename(obj) -> str:
    if isinstance(obj, Tensor):
        return obj.type()
    return type(obj).__module__ + "." + type(obj).__qualname__
