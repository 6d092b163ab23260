"""Small helpers shared by op declarations: dim normalisation and dtype questions on jax arrays."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D


def wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if dim < -n or dim >= n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim + n if dim < 0 else dim


def check_dim_mask(ndim: int) -> None:
    """ATen's ``dim_list_to_bitset`` / ``make_dim_mask``: reductions over explicit dims keep a
    64-bit dim mask, so they refuse inputs of more than 64 dims (full reductions do not)."""
    if ndim > 64:
        raise RuntimeError("only tensors with up to 64 dims are supported")


def reduce_dims(dim, ndim: int):
    """Normalise a reduction's ``dim`` (None, int or tuple) to a sorted tuple of axes."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if not dims:
        return tuple(range(ndim))
    check_dim_mask(ndim)
    out = []
    for d in dims:
        w = wrap_dim(d, ndim)
        if w in out:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        out.append(w)
    if ndim == 0:
        return ()
    return tuple(sorted(out))


def is_float(x) -> bool:
    return jnp.issubdtype(x.dtype, jnp.floating)


def is_complex(x) -> bool:
    return jnp.issubdtype(x.dtype, jnp.complexfloating)


def is_int(x) -> bool:
    return jnp.issubdtype(x.dtype, jnp.integer)


def is_bool(x) -> bool:
    return x.dtype == np.bool_


def torch_dtype(x) -> D.dtype:
    return D._FROM_NP[np.dtype(x.dtype)]


def default_float():
    return D.get_default_dtype()._np


def to_float(x):
    """Integers and bools to the default float dtype (torch's int->float promotion)."""
    if is_float(x) or is_complex(x):
        return x
    return x.astype(default_float())
