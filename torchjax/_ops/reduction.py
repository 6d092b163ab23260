"""Reductions: sum, mean, prod, std/var, max/min, argmax, all/any, norm, cumulative ops ...

``dim`` accepts None, an int or a tuple (torch's ``int[1]? dim``); integer and bool inputs
sum and multiply in int64 as torch does; ``dtype=`` casts the input before reducing.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from ._registry import op
from ._util import is_bool, is_complex, is_float, reduce_dims


def acc_dtype(x, dtype):
    """Accumulation dtype of sum/prod: ``dtype`` if given, int64 for ints and bools."""
    if dtype is not None:
        return dtype._np
    if is_bool(x) or jnp.issubdtype(x.dtype, jnp.integer):
        return np.dtype(np.int64)
    return x.dtype


@op("sum(Tensor input, dim? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", method=True,
    promote="none", saves=())
def sum(input, dim=None, keepdim=False, dtype=None):  # noqa: A001
    axes = reduce_dims(dim, input.ndim)
    x = input.astype(acc_dtype(input, dtype))
    return jnp.sum(x, axis=axes, keepdims=keepdim)


def _mean_dtype(x, dtype, name="mean"):
    if dtype is not None:
        return dtype._np
    if not (is_float(x) or is_complex(x)):
        raise RuntimeError(
            f"{name}(): could not infer output dtype. Input dtype must be either a floating point or complex "
            f"dtype. Got: {D._FROM_NP[np.dtype(x.dtype)]._scalar_name}"
        )
    return x.dtype


@op("mean(Tensor input, dim? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", method=True,
    promote="none", saves=())
def mean(input, dim=None, keepdim=False, dtype=None):
    dt = _mean_dtype(input, dtype)
    axes = reduce_dims(dim, input.ndim)
    return jnp.mean(input.astype(dt), axis=axes, keepdims=keepdim)
