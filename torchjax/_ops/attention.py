"""Attention (ATen's attention.cpp): torch.nn.functional.scaled_dot_product_attention.

The math is torch's reference: ``softmax(q @ k^T * scale + bias) @ v`` with a boolean mask
(False -> -inf), an additive float mask, ``is_causal`` (lower-triangular), ``enable_gqa``
(key/value heads repeated to the query's) and torch's ``_safe_softmax``: a row masked out
completely gives zeros, not NaN. float16 / bfloat16 accumulate in float32 as torch's CPU flash
kernel does. With ``dropout_p > 0`` the attention weights go through nn.functional.dropout.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function

NF = "nn.functional"
_NAMES = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "bfloat16": "c10::BFloat16",
}


def _check(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False
):
    for n, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"scaled_dot_product_attention(): argument '{n}' must be Tensor, not {type(t).__name__}"
            )
    if not (query.dtype is key.dtype is value.dtype):
        nm = [_NAMES.get(t.dtype._name, t.dtype._name) for t in (query, key, value)]
        raise RuntimeError(
            f"Expected query, key, and value to have the same dtype, but got query.dtype: {nm[0]} "
            f"key.dtype: {nm[1]} and value.dtype: {nm[2]} instead."
        )
    if is_causal and attn_mask is not None:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True"
        )
    if (
        attn_mask is not None
        and attn_mask.dtype is not query.dtype
        and not attn_mask.dtype._name == "bool"
    ):
        raise RuntimeError(
            f"Expected attn_mask dtype to be bool or float or to match query dtype, but got "
            f"attn_mask.dtype: {_NAMES.get(attn_mask.dtype._name, attn_mask.dtype._name)} and  "
            f"query.dtype: {_NAMES.get(query.dtype._name, query.dtype._name)} instead."
        )
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError(
            "scaled_dot_product_attention: query, key and value must be at least 2-dimensional"
        )
    if query.shape[-1] != key.shape[-1]:
        b = math.prod(query.shape[:-2])
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {query.shape[-1]}] "
            f"but got: [{b}, {key.shape[-1]}]."
        )
    if enable_gqa and query.dim() >= 3 and key.dim() >= 3:
        hq, hk, hv = query.shape[-3], key.shape[-3], value.shape[-3]
        if hq % hk != 0 or hq % hv != 0:
            raise RuntimeError(
                "Number of heads in key and value must divide the number of heads in query"
            )


def _weights(query, key, attn_mask, is_causal, scale, enable_gqa):
    dt = query.dtype
    acc = np.float32 if dt in (np.float16, jnp.bfloat16) else dt
    q, k = query.astype(acc), key.astype(acc)
    if enable_gqa and k.ndim >= 3 and k.shape[-3] != q.shape[-3]:
        k = jnp.repeat(k, q.shape[-3] // k.shape[-3], axis=-3)
    s = (1.0 / math.sqrt(q.shape[-1])) if scale is None else scale
    w = jnp.matmul(q, jnp.swapaxes(k, -1, -2), precision=lax.Precision.HIGHEST) * np.asarray(s, acc)
    L, S = q.shape[-2], k.shape[-2]
    allowed = None
    if is_causal:
        allowed = jnp.asarray(np.tril(np.ones((L, S), bool)))
    if attn_mask is not None:
        if attn_mask.dtype == np.bool_:
            allowed = attn_mask
        else:
            w = w + attn_mask.astype(acc)
    if allowed is not None:
        w = jnp.where(allowed, w, -jnp.inf)
    # torch's _safe_softmax: rows that are -inf everywhere give 0
    m = jnp.max(w, axis=-1, keepdims=True)
    dead = jnp.isneginf(m)
    e = jnp.exp(w - jnp.where(dead, jnp.zeros_like(m), lax.stop_gradient(m)))
    p = e / jnp.sum(e, axis=-1, keepdims=True)
    return jnp.where(dead, jnp.zeros_like(p), p), acc


_SDPA = op(
    "_scaled_dot_product_attention_math(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, "
    "bool is_causal=False, float? scale=None, bool enable_gqa=False) -> Tensor",
    function=False,
    promote="none",
    grad="ScaledDotProductFlashAttentionForCpuBackward0",
    out=False,
)


def _sdpa(query, key, value, attn_mask=None, is_causal=False, scale=None, enable_gqa=False):
    p, acc = _weights(query, key, attn_mask, is_causal, scale, enable_gqa)
    v = value.astype(acc)
    if enable_gqa and v.ndim >= 3 and v.shape[-3] != query.shape[-3]:
        v = jnp.repeat(v, query.shape[-3] // v.shape[-3], axis=-3)
    return jnp.matmul(p, v, precision=lax.Precision.HIGHEST).astype(query.dtype)


_SDPA(_sdpa)


_WEIGHTS = op(
    "_scaled_dot_product_attention_weights(Tensor query, Tensor key, Tensor? attn_mask=None, bool is_causal=False, "
    "float? scale=None, bool enable_gqa=False) -> Tensor",
    function=False,
    promote="none",
    grad="SoftmaxBackward0",
    out=False,
)


def _sdpa_weights(query, key, attn_mask=None, is_causal=False, scale=None, enable_gqa=False):
    p, _ = _weights(query, key, attn_mask, is_causal, scale, enable_gqa)
    return p.astype(query.dtype)


_WEIGHTS(_sdpa_weights)


def scaled_dot_product_attention(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False
):
    """torch.nn.functional.scaled_dot_product_attention (torch's math semantics, see module doc)."""
    from . import api

    _check(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa)
    if dropout_p > 0.0:
        p = R.call(_sdpa_weights.op, (query, key, attn_mask, is_causal, scale, enable_gqa))
        p = R.namespace(NF).dropout(p, dropout_p, True)
        if enable_gqa and value.dim() >= 3 and value.shape[-3] != query.shape[-3]:
            value = api.repeat_interleave(value, query.shape[-3] // value.shape[-3], -3)
        return api.matmul(p, value)
    return R.call(_sdpa.op, (query, key, value, attn_mask, is_causal, scale, enable_gqa))


register_function("scaled_dot_product_attention", scaled_dot_product_attention, NF)
