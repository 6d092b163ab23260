"""Triangular and diagonal ops: tril/triu and tril_indices/triu_indices, diag/diag_embed/diagflat,
block_diag."""

from __future__ import annotations

import builtins

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from . import _registry as R
from ._registry import op, register_function, register_method
from ._util import wrap_dim
from .shape import _int, _varargs_tensors

# ------------------------------------------------------------------ tril / triu and their indices


def _tri_check(name):
    def check(input, diagonal=0):
        if input.dim() < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")

    return check


def _tri_mask(shape, diagonal, lower):
    r = lax.broadcasted_iota(np.int64, shape[-2:], 0)
    c = lax.broadcasted_iota(np.int64, shape[-2:], 1)
    return (c - r <= diagonal) if lower else (c - r >= diagonal)


@op(
    "tril(Tensor input, int diagonal=0) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    saves=(),
    check=_tri_check("tril"),
)
def tril(input, diagonal=0):
    return jnp.where(_tri_mask(input.shape, diagonal, True), input, jnp.zeros((), input.dtype))


@op(
    "triu(Tensor input, int diagonal=0) -> Tensor",
    method=True,
    inplace=True,
    promote="none",
    saves=(),
    check=_tri_check("triu"),
)
def triu(input, diagonal=0):
    return jnp.where(_tri_mask(input.shape, diagonal, False), input, jnp.zeros((), input.dtype))


def _tri_indices(name, lower, row, col, offset, dtype, device, requires_grad):
    from .._creation import from_host

    row, col, offset = (
        _int(v, name, a) for v, a in ((row, "row"), (col, "col"), (offset, "offset"))
    )
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    dtype = D.int64 if dtype is None else dtype
    if dtype not in (D.int64, D.int32, D.int16, D.int8, D.uint8):
        raise NotImplementedError(f"\"{name}\" not implemented for '{dtype._scalar_name}'")
    r, c = np.tril_indices(row, offset, col) if lower else np.triu_indices(row, offset, col)
    out = from_host(np.stack([r, c]).astype(dtype._np).reshape(2, -1), device=device)
    if requires_grad:
        raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
    return out


def tril_indices(
    row,
    col,
    offset=0,
    *,
    dtype=None,
    device=None,
    layout=None,
    requires_grad=False,
    pin_memory=False,
):
    """torch.tril_indices: (2, N) coordinates of the lower triangle of a row x col matrix."""
    return _tri_indices("tril_indices", True, row, col, offset, dtype, device, requires_grad)


def triu_indices(
    row,
    col,
    offset=0,
    *,
    dtype=None,
    device=None,
    layout=None,
    requires_grad=False,
    pin_memory=False,
):
    """torch.triu_indices: (2, N) coordinates of the upper triangle of a row x col matrix."""
    return _tri_indices("triu_indices", False, row, col, offset, dtype, device, requires_grad)


# ------------------------------------------------------------------ diag family


def _diag_embed_check(input, offset=0, dim1=-2, dim2=-1):
    nd = input.dim() + 1
    a, b = wrap_dim(dim1, nd), wrap_dim(dim2, nd)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")


@op(
    "diag_embed(Tensor input, int offset=0, int dim1=-2, int dim2=-1) -> Tensor",
    method=True,
    promote="none",
    saves=(),
    check=_diag_embed_check,
)
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    nd = input.ndim + 1
    a, b = dim1 % nd, dim2 % nd
    m = input.shape[-1]
    n = m + builtins.abs(offset)
    rows = np.arange(m) + builtins.max(-offset, 0)
    cols = np.arange(m) + builtins.max(offset, 0)
    out = jnp.zeros(input.shape[:-1] + (n, n), input.dtype).at[..., rows, cols].set(input)
    # out's last two dims are (dim1, dim2) in that order; move them into place
    rest = [d for d in range(nd) if d not in (a, b)]
    order = [None] * nd
    for i, d in enumerate(rest):
        order[d] = i
    order[a] = nd - 2
    order[b] = nd - 1
    return jnp.transpose(out, order)


def diag(input, diagonal=0, *, out=None):
    """torch.diag: a 1-d input becomes a diagonal matrix; a 2-d input gives its diagonal (a copy)."""
    nd = input.dim()
    if nd == 1:
        return diag_embed(input, diagonal, 0, 1, out=out)
    if nd == 2:
        from .view_copy import diagonal_copy

        return diagonal_copy(input, diagonal, out=out)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {nd}D")


def diagflat(input, offset=0):
    """torch.diagflat: the flattened input on the ``offset`` diagonal of a square matrix."""
    return diag_embed(input.contiguous().view(-1), offset)


def _block_diag_check(*tensors):
    for i, t in enumerate(tensors):
        if t.dim() > 2:
            raise RuntimeError(
                f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has {t.dim()} dimensions"
            )


@op("_block_diag(Tensor[] tensors) -> Tensor", function=False, saves=(), grad="BlockDiagBackward0")
def _block_diag_value(tensors):
    mats = []
    for a in tensors:
        if a.ndim == 0:
            a = a.reshape(1, 1)
        elif a.ndim == 1:
            a = a.reshape(1, -1)
        mats.append(a)
    rows = builtins.sum(m.shape[0] for m in mats)
    cols = builtins.sum(m.shape[1] for m in mats)
    out = jnp.zeros((rows, cols), mats[0].dtype)
    r = c = 0
    for m in mats:
        out = lax.dynamic_update_slice(out, m.astype(out.dtype), (r, c)) if m.size else out
        r += m.shape[0]
        c += m.shape[1]
    return out


def block_diag(*tensors):
    """torch.block_diag: the inputs (0-, 1- or 2-d) as blocks on the diagonal."""
    tensors = _varargs_tensors(tensors, "block_diag")
    if not tensors:
        from .creation import empty

        return empty(1, 0)
    _block_diag_check(*tensors)
    return R.call(R.OPS["_block_diag"], (tensors,))


for _f in (tril_indices, triu_indices, diag, diagflat, block_diag):
    register_function(_f.__name__, _f)

register_method("diag", lambda self, diagonal=0: diag(self, diagonal))
register_method("diagflat", diagflat)
