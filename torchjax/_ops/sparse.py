"""Embeddings (ATen's native/Embedding.cpp, EmbeddingBag.cpp) and one_hot: torch.embedding,
torch.embedding_renorm_, torch.embedding_bag, nn.functional.embedding, embedding_bag, one_hot.

- ``embedding``: ``weight[indices]`` with torch's backward (``EmbeddingBackward0``): the gradient is
  scattered into the rows, rows equal to ``padding_idx`` get none, and with ``scale_grad_by_freq``
  each index's gradient is divided by its number of occurrences in ``indices``. ``sparse=True``
  asks torch for a sparse gradient; torchjax has strided tensors only and gives the same values as
  a dense gradient.
- ``max_norm``: F.embedding / F.embedding_bag renormalise the looked-up rows of ``weight`` in
  place first (``torch.embedding_renorm_``: rows whose ``norm_type`` norm exceeds ``max_norm`` are
  scaled by ``max_norm / (norm + 1e-7)``).
- ``embedding_bag``: ATen's CPU kernel, including its auxiliary outputs (offset2bag, bag_size,
  max_indices, laid out as torch's CPU kernel lays them out). Each bag spans from its offset to
  the next one; the last bag runs to the end of the input (also with ``include_last_offset``, as on
  CPU, except that the float32/float16/bfloat16 sum/mean kernel sums it only up to the last offset
  while still counting to the end for ``mean``). Entries equal to ``padding_idx`` are skipped (and not counted by ``mean``); empty bags
  give 0. ``max`` picks the first maximum; its gradient goes to that row only.
- ``one_hot``: int64 result; ``num_classes=-1`` infers ``max + 1`` (a host read, like torch's).

Index bounds are checked on the host (``index out of range in self``) when the indices are
concrete; inside compiled regions they are not (XLA clamps).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from . import _registry as R
from ._registry import op, register_function
from .indexing import _host_minmax
from .pointwise import _declared, with_grad

NF = "nn.functional"
_INDEX_TYPES = (D.int64, D.int32)


def _type_name(t):
    return {
        D.float32: "Float",
        D.float64: "Double",
        D.float16: "Half",
        D.bfloat16: "BFloat16",
        D.bool: "Bool",
        D.uint8: "Byte",
        D.int8: "Char",
        D.int16: "Short",
        D.int32: "Int",
        D.int64: "Long",
        D.complex64: "ComplexFloat",
        D.complex128: "ComplexDouble",
    }.get(t._dtype, str(t._dtype)) + "Tensor"


def _check_indices(t, arg, fname):
    if t._dtype not in _INDEX_TYPES:
        raise RuntimeError(
            f"Expected tensor for argument #1 '{arg}' to have one of the following scalar types: Long, Int; but got "
            f"torch.{_type_name(t)} instead (while checking arguments for {fname})"
        )


def _check_bounds(indices, n, exc=IndexError, msg="index out of range in self"):
    if indices.numel():
        mm = _host_minmax(indices)
        if mm is not None and (mm[0] < 0 or mm[1] >= n):
            raise exc(msg)


def _rows_backward(weight, idx, g, padding_idx, scale_grad_by_freq, bag=False):
    """torch's embedding_dense_backward: g (..., D) scattered into the rows of weight.

    ``bag``: embedding_bag's CPU backward, which divides the gradient of the k-th smallest distinct
    index by ``counts[sorted_indices[k]]`` (not by that index's own count), reproduced as is."""
    num, dim = weight.shape
    flat = idx.reshape(-1)
    g2 = g.reshape(-1, dim)
    if scale_grad_by_freq:
        counts = jnp.zeros((num,), g2.dtype).at[flat].add(1)
        if bag:
            rank = jnp.cumsum(jnp.zeros((num,), np.int64).at[flat].set(1)) - 1
            scale = counts[jnp.sort(flat)[rank[flat]]]
        else:
            scale = counts[flat]
        g2 = g2 / scale[:, None]
    if padding_idx >= 0:
        g2 = jnp.where((flat == padding_idx)[:, None], jnp.zeros_like(g2), g2)
    return jnp.zeros(weight.shape, g2.dtype).at[flat].add(g2)


def _take_rows(weight, idx, padding_idx, scale_grad_by_freq, bag=False):
    return with_grad(
        lambda w, i: jnp.take(w, i, axis=0),
        lambda a, out, g: (
            _rows_backward(a[0], a[1], g, padding_idx, scale_grad_by_freq, bag),
            None,
        ),
    )(weight, idx)


# ------------------------------------------------------------------ embedding


def _check_embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices(indices, "indices", "embedding")
    _check_bounds(indices, weight.shape[0])


@op(
    "embedding(Tensor weight, Tensor indices, int padding_idx=-1, bool scale_grad_by_freq=False, bool sparse=False) "
    "-> Tensor",
    promote="none",
    out=False,
    check=_check_embedding,
    saves=("indices",),
)
def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    return _take_rows(weight, indices, padding_idx, scale_grad_by_freq)


def _renorm_rows(weight, indices, max_norm, norm_type):
    w = weight.astype(np.float32) if weight.dtype in (np.float16, jnp.bfloat16) else weight
    aw = jnp.abs(w)
    if norm_type == float("inf"):
        norms = jnp.max(aw, axis=1)
    elif norm_type == 0:
        norms = jnp.sum((aw != 0).astype(w.dtype), axis=1)
    elif norm_type == 1:
        norms = jnp.sum(aw, axis=1)
    elif norm_type == 2:
        norms = jnp.sqrt(jnp.sum(aw * aw, axis=1))
    else:
        norms = jnp.sum(aw**norm_type, axis=1) ** (1.0 / norm_type)
    present = jnp.zeros((weight.shape[0],), bool).at[indices.reshape(-1)].set(True)
    scale = jnp.where(present & (norms > max_norm), max_norm / (norms + 1e-7), jnp.ones_like(norms))
    return (w * scale[:, None]).astype(weight.dtype)


_renorm_kernel = jax.jit(_renorm_rows, static_argnums=(2, 3))


def embedding_renorm_(input, indices, max_norm, norm_type):
    """torch.embedding_renorm_: rescale, in place, the rows of ``input`` named by ``indices`` whose norm
    exceeds ``max_norm`` to norm ``max_norm`` (factor ``max_norm / (norm + 1e-7)``); returns ``input``."""
    if grad_mode.state.enabled or input._is_inference:
        R.check_inplace(input, grad_mode.state.enabled)
    if input.dim() != 2:
        raise RuntimeError("'self' must be 2-D")
    _check_indices(indices, "indices", "embedding_renorm_")
    _check_bounds(indices, input.shape[0])
    input._write(_renorm_kernel(input._v(), indices._v(), float(max_norm), float(norm_type)))
    return input


def f_embedding(
    input,
    weight,
    padding_idx=None,
    max_norm=None,
    norm_type=2.0,
    scale_grad_by_freq=False,
    sparse=False,
):
    """F.embedding: torch's Python padding_idx handling and max_norm renormalisation, then torch.embedding."""
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if max_norm is not None:
        input = input.contiguous()
        with grad_mode.no_grad():
            embedding_renorm_(weight, input, max_norm, norm_type)
    return embedding(weight, input, padding_idx, scale_grad_by_freq, sparse)


# ------------------------------------------------------------------ embedding_bag


def _bag_forward(
    weight, indices, offsets, psw, mode, num_bags, padding_idx, scale_grad_by_freq, stop_at_last
):
    n = indices.shape[0]
    dim = weight.shape[1]
    pos = jnp.arange(n)
    bag = jnp.searchsorted(offsets[:num_bags], pos, side="right") - 1
    bag = jnp.clip(bag, 0, max(num_bags - 1, 0))
    keep = indices != padding_idx if padding_idx is not None else jnp.ones((n,), bool)
    counts = jax.ops.segment_sum(keep.astype(np.int64), bag, num_segments=num_bags)
    if stop_at_last:  # entries past the last offset are counted in bag_size but not summed
        keep = keep & (pos < offsets[num_bags])
    rows = _take_rows(
        weight,
        indices,
        padding_idx if padding_idx is not None else -1,
        scale_grad_by_freq,
        bag=True,
    )
    if mode == 2:
        x = jnp.where(keep[:, None], rows, -jnp.inf)
        mx = jax.ops.segment_max(jax.lax.stop_gradient(x), bag, num_segments=num_bags)
        hit = (x == mx[bag]) & keep[:, None]
        first = jax.ops.segment_min(jnp.where(hit, pos[:, None], n), bag, num_segments=num_bags)
        empty = counts == 0
        first = jnp.where(empty[:, None], 0, first)
        max_idx = jnp.where(
            empty[:, None], 0, indices[jnp.clip(first, 0, max(n - 1, 0))] if n else first
        )
        cols = jnp.arange(dim)[None, :]
        out = with_grad(
            lambda w, i: w[i, cols],
            lambda a, o, g: (jnp.zeros(a[0].shape, g.dtype).at[a[1], cols].add(g), None),
        )(weight, max_idx)
        out = jnp.where(empty[:, None], jnp.zeros_like(out), out)
        return out, max_idx.astype(np.int64), counts, bag
    x = rows
    if psw is not None:
        x = x * psw[:, None].astype(x.dtype)
    x = jnp.where(keep[:, None], x, jnp.zeros_like(x))
    out = jax.ops.segment_sum(x, bag, num_segments=num_bags)
    if mode == 1:
        out = out / jnp.maximum(counts, 1)[:, None].astype(out.dtype)
    return out, None, counts, bag


@_declared(
    "embedding_bag(Tensor weight, Tensor indices, Tensor offsets, bool scale_grad_by_freq, int mode, "
    "bool sparse, Tensor? per_sample_weights, bool include_last_offset, int? padding_idx) "
    "-> (Tensor, Tensor, Tensor, Tensor)",
    promote="none",
    out=False,
    grad="EmbeddingBagBackward0",
)
def _embedding_bag_op(
    weight,
    indices,
    offsets,
    scale_grad_by_freq,
    mode,
    sparse,
    per_sample_weights,
    include_last_offset,
    padding_idx,
):
    num_bags = offsets.shape[0] - 1 if include_last_offset else offsets.shape[0]
    idt = jnp.promote_types(indices.dtype, offsets.dtype)
    # torch's CPU sum/mean kernel for float32/float16/bfloat16 without padding_idx (the fbgemm path)
    # sums the last bag only up to the last offset (mean still divides by the count to the end of the
    # input) and, for sum, leaves offset2bag empty; the generic kernel runs the last bag to the end
    fast = mode in (0, 1) and weight.dtype != np.float64 and padding_idx is None
    out, max_idx, counts, bag = _bag_forward(
        weight,
        indices.astype(np.int64),
        offsets.astype(np.int64),
        per_sample_weights,
        mode,
        num_bags,
        padding_idx,
        scale_grad_by_freq,
        fast and include_last_offset,
    )
    bag, counts = bag.astype(idt), counts.astype(idt)
    if mode == 0:
        # bag_size and max_indices are zeros, one per offset
        z = jnp.zeros((offsets.shape[0],), idt)
        return out, (jnp.zeros((0,), idt) if fast else bag), z, z
    if mode == 1:
        return out, bag, counts, counts
    return out, bag, counts, max_idx.astype(idt)


def embedding_bag(
    weight,
    indices,
    offsets,
    scale_grad_by_freq=False,
    mode=0,
    sparse=False,
    per_sample_weights=None,
    include_last_offset=False,
    padding_idx=None,
):
    """torch.embedding_bag -> (output, offset2bag, bag_size, max_indices): ATen's CPU embedding_bag."""
    _check_indices(indices, "indices", "embedding_bag")
    _check_indices(offsets, "offsets", "embedding_bag")
    if mode not in (0, 1, 2):
        raise RuntimeError("`mode` must be sum, mean, or max.")
    num = weight.shape[0]
    if padding_idx is not None:
        if not -num <= padding_idx < num:
            raise RuntimeError(
                f"padding_idx must be within the number of embeddings, {-num} through {num - 1}, but got {padding_idx}"
            )
        if padding_idx < 0:
            padding_idx += num
    if per_sample_weights is not None:
        if mode != 0:
            raise RuntimeError("embedding_bag: per_sample_weights only supported with mode='sum'")
        if per_sample_weights._dtype is not weight._dtype:
            raise RuntimeError(
                f"expected scalar type {weight._dtype._scalar_name} but found {per_sample_weights._dtype._scalar_name}"
            )
    if offsets.numel():
        ov = offsets._v()
        if not isinstance(ov, jax.core.Tracer):
            host = np.asarray(ov)
            first, last = int(host[0]), int(host[-1])
            if first != 0:
                raise RuntimeError(
                    "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. "
                    f"However, got {first}\n[ torch.{_type_name(offsets)}{{}} ]"
                )
            if last > indices.numel():
                raise RuntimeError(
                    f"offsets[-1] can not be greater than input's length {indices.numel()} but got offsets[-1] of {last}"
                )
    _check_bounds(
        indices,
        num,
        RuntimeError,
        "Expected i < index_size to be true, but got false.  (Could this error message be improved?  "
        "If so, please report an enhancement request to PyTorch.)",
    )
    return R.call(
        _embedding_bag_op,
        (
            weight,
            indices,
            offsets,
            scale_grad_by_freq,
            mode,
            sparse,
            per_sample_weights,
            include_last_offset,
            padding_idx,
        ),
    )


def f_embedding_bag(
    input,
    weight,
    offsets=None,
    max_norm=None,
    norm_type=2,
    scale_grad_by_freq=False,
    mode="mean",
    sparse=False,
    per_sample_weights=None,
    include_last_offset=False,
    padding_idx=None,
):
    """F.embedding_bag: torch's Python argument handling (2-D input = fixed-length bags), then torch.embedding_bag."""
    import warnings

    import torchjax as torch

    if weight.dtype is D.int64 and input.is_floating_point():
        warnings.warn(
            "Argument order of nn.functional.embedding_bag was changed. "
            "Usage `embedding_bag(weight, input, ...)` is deprecated, "
            "and should now be `embedding_bag(input, weight, ...)`.",
            stacklevel=2,
        )
        weight, input = input, weight
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
            f"then it must have the same shape as the input ({input.shape})"
        )
    if not weight.dim() == 2:
        raise ValueError(
            f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}"
        )
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length "
                f"sequences. However, found offsets of type {type(offsets)}"
            )
        offsets = torch.arange(
            0, input.numel(), input.size(1), dtype=input.dtype, device=input.device
        )
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(
            f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}"
        )
    if mode == "sum":
        mode_enum = 0
    elif mode == "mean":
        mode_enum = 1
    elif mode == "max":
        mode_enum = 2
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    else:
        raise ValueError("mode has to be one of sum, mean or max")
    if max_norm is not None:
        with grad_mode.no_grad():
            embedding_renorm_(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. "
            "per_sample_weights is only supported for mode='sum' "
            f"(got mode='{mode}'). Please open a feature request on GitHub."
        )
    ret, _, _, _ = embedding_bag(
        weight,
        input,
        offsets,
        scale_grad_by_freq,
        mode_enum,
        sparse,
        per_sample_weights,
        include_last_offset,
        padding_idx,
    )
    return ret


# ------------------------------------------------------------------ one_hot


@_declared(
    "one_hot(Tensor input, int num_classes) -> Tensor",
    promote="none",
    out=False,
    differentiable=False,
)
def _one_hot_op(input, num_classes):
    return (input[..., None] == jnp.arange(num_classes, dtype=input.dtype)).astype(np.int64)


def one_hot(tensor, num_classes=-1):
    """F.one_hot: int64 one-hot encoding with torch's checks (LongTensor input, non-negative classes
    below ``num_classes``; ``-1`` infers ``max + 1``, refused for an empty input)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(
            f"one_hot(): argument 'input' (position 1) must be Tensor, not {type(tensor).__name__}"
        )
    if tensor._dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() == 0:
        if num_classes <= 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
    else:
        mm = _host_minmax(tensor)
        if mm is not None:
            if mm[0] < 0:
                raise RuntimeError("Class values must be non-negative.")
            if num_classes == -1:
                num_classes = mm[1] + 1
            elif mm[1] >= num_classes:
                raise RuntimeError("Class values must be smaller than num_classes.")
        elif num_classes == -1:
            raise RuntimeError(
                "one_hot with num_classes=-1 needs concrete values; pass num_classes inside compiled code"
            )
    return R.call(_one_hot_op, (tensor, num_classes))


register_function("embedding_renorm_", embedding_renorm_)
register_function("embedding_bag", embedding_bag)
for _n, _f in (
    ("embedding", f_embedding),
    ("embedding_bag", f_embedding_bag),
    ("one_hot", one_hot),
):
    _f.__name__ = _n
    register_function(_n, _f, NF)
