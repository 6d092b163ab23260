"""Margin and embedding losses of torch.nn.functional, torch.pdist and ctc_loss.

hinge_embedding_loss, margin_ranking_loss, cosine_embedding_loss, multilabel_soft_margin_loss and
the triplet losses are composites in torch (ATen or Python), written here with torchjax ops so the
graph is torch's; multi_margin_loss, multilabel_margin_loss, pdist and _ctc_loss have a backward
of their own in torch and are ``@op`` declarations with torch's grad_fn names. Reductions and the
legacy ``size_average``/``reduce`` handling are shared with ``loss.py``.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function
from .distance import _pdist_p
from .loss import (
    MEAN,
    NF,
    NONE,
    SUM,
    _api,
    _need_tensors,
    _sizes,
    apply_reduction,
    get_enum,
    no_grad_weight,
    reduction_enum,
)
from .pointwise import _declared, kernel_error, with_grad

_EPSILON = 1e-12


def _host(t):
    """``t``'s values on the host, or None inside a compiled region."""
    v = t._v()
    if isinstance(v, jax.core.Tracer):
        return None
    return np.asarray(v)


# ------------------------------------------------------------------ composites: hinge / ranking / cosine


def _hinge_embedding_loss(input, target, margin=1.0, reduction=MEAN):
    """aten::hinge_embedding_loss: x where target != -1, plus max(0, margin - x) where target != 1."""
    _need_tensors("hinge_embedding_loss", input=input, target=target)
    api = _api()
    zeros = api.zeros_like(input)
    margin_clamp = (float(margin) - input).clamp_min_(0)
    output_margin = api.where(target != 1, margin_clamp, zeros)
    output_self = api.where(target != -1, input, zeros)
    return apply_reduction(output_margin + output_self, reduction)


def hinge_embedding_loss(
    input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"
):
    """F.hinge_embedding_loss."""
    return _hinge_embedding_loss(
        input, target, margin, reduction_enum(size_average, reduce, reduction)
    )


def _margin_ranking_loss(input1, input2, target, margin=0.0, reduction=MEAN):
    """aten::margin_ranking_loss: max(0, -target (input1 - input2) + margin)."""
    _need_tensors("margin_ranking_loss", input1=input1, input2=input2, target=target)
    return apply_reduction((-target * (input1 - input2) + float(margin)).clamp_min(0), reduction)


def margin_ranking_loss(
    input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"
):
    """F.margin_ranking_loss (checks that all three inputs have the same number of dimensions)."""
    red = reduction_enum(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(
            f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} "
        )
    return _margin_ranking_loss(input1, input2, target, margin, red)


def _cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=MEAN):
    """aten::cosine_embedding_loss: 1 - cos where target == 1, max(0, cos - margin) where target == -1
    (cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12)))."""
    _need_tensors("cosine_embedding_loss", input1=input1, input2=input2, target=target)
    api = _api()
    targ_dim = target.dim()
    if targ_dim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if targ_dim == 1:
        if input1.dim() != 2 or input2.dim() != 2:
            raise RuntimeError(
                f"1D target tensor expects 2D input tensors, but found inputs with sizes {_sizes(input1)} and "
                f"{_sizes(input2)}."
            )
    elif input1.dim() != 1 or input2.dim() != 1:
        raise RuntimeError(
            f"0D target tensor expects 1D input tensors, but found inputs with sizes {_sizes(input1)} and "
            f"{_sizes(input2)}."
        )
    prod_sum = (input1 * input2).sum(targ_dim)
    mag_square1 = (input1 * input1).sum(targ_dim) + _EPSILON
    mag_square2 = (input2 * input2).sum(targ_dim) + _EPSILON
    denom = (mag_square1 * mag_square2).sqrt_()
    cos = prod_sum / denom
    zeros = api.zeros_like(cos)
    pos = 1 - cos
    neg = (cos - float(margin)).clamp_min_(0)
    output = api.where(target == 1, pos, zeros) + api.where(target == -1, neg, zeros)
    return apply_reduction(output, reduction)


def cosine_embedding_loss(
    input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"
):
    """F.cosine_embedding_loss."""
    return _cosine_embedding_loss(
        input1, input2, target, margin, reduction_enum(size_average, reduce, reduction)
    )


register_function("hinge_embedding_loss", _hinge_embedding_loss)
register_function("hinge_embedding_loss", hinge_embedding_loss, NF)
register_function("margin_ranking_loss", _margin_ranking_loss)
register_function("margin_ranking_loss", margin_ranking_loss, NF)
register_function("cosine_embedding_loss", _cosine_embedding_loss)
register_function("cosine_embedding_loss", cosine_embedding_loss, NF)


def multilabel_soft_margin_loss(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean"
):
    """F.multilabel_soft_margin_loss: torch's Python composite, the per-sample mean over classes of
    -(t logsigmoid(x) + (1 - t) logsigmoid(-x)) [* weight]."""
    from .loss import reduction_string

    reduction = reduction_string(size_average, reduce, reduction)
    logsigmoid = R.namespace(NF).logsigmoid
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    C = input.size(class_dim)
    loss = loss.sum(dim=class_dim) / C
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction + " is not valid")


register_function("multilabel_soft_margin_loss", multilabel_soft_margin_loss, NF)


# ------------------------------------------------------------------ triplet losses


def _check_triplet_dims(anchor, positive, negative):
    a, p, n = anchor.dim(), positive.dim(), negative.dim()
    if not (a == p and p == n):
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number of dimensions, but "
            f"got: anchor {a}D, positive {p}D, and negative {n}D inputs"
        )


def _triplet_margin_loss(
    anchor, positive, negative, margin=1.0, p=2.0, eps=1e-06, swap=False, reduction=MEAN
):
    """aten::triplet_margin_loss: max(0, margin + d(a, p) - d(a, n)) with pairwise_distance (and the
    distance swap)."""
    _need_tensors("triplet_margin_loss", anchor=anchor, positive=positive, negative=negative)
    _check_triplet_dims(anchor, positive, negative)
    api = _api()
    dist_pos = api.pairwise_distance(anchor, positive, p, eps)
    dist_neg = api.pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = api.minimum(dist_neg, api.pairwise_distance(positive, negative, p, eps))
    return apply_reduction(api.clamp_min(margin + dist_pos - dist_neg, 0), reduction)


def triplet_margin_loss(
    anchor,
    positive,
    negative,
    margin=1.0,
    p=2,
    eps=1e-6,
    swap=False,
    size_average=None,
    reduce=None,
    reduction="mean",
):
    """F.triplet_margin_loss (margin must be positive)."""
    red = reduction_enum(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    return _triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, red)


def triplet_margin_with_distance_loss(
    anchor, positive, negative, *, distance_function=None, margin=1.0, swap=False, reduction="mean"
):
    """F.triplet_margin_with_distance_loss: torch's Python implementation."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    api = _api()
    if distance_function is None:
        distance_function = api.pairwise_distance
    dist_pos = distance_function(anchor, positive)
    dist_neg = distance_function(anchor, negative)
    if swap:
        dist_neg = api.minimum(dist_neg, distance_function(positive, negative))
    loss = api.clamp_min(margin + dist_pos - dist_neg, 0)
    if reduction == "sum":
        return api.sum(loss)
    if reduction == "mean":
        return api.mean(loss)
    return loss


register_function("triplet_margin_loss", _triplet_margin_loss)
register_function("triplet_margin_loss", triplet_margin_loss, NF)
register_function("triplet_margin_with_distance_loss", triplet_margin_with_distance_loss, NF)


# ------------------------------------------------------------------ multi_margin_loss / multilabel_margin_loss


def _frames(input):
    nd = input.dim()
    if not ((nd == 2 and input.shape[1] != 0) or (nd == 1 and input.shape[0] != 0) or nd == 0):
        raise RuntimeError(
            f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: {_sizes(input)}"
        )
    nframe = 1 if nd <= 1 else input.shape[0]
    dim = 1 if nd == 0 else input.shape[-1]
    return nframe, dim


def _check_long_target(target):
    if target._dtype is not D.int64:
        raise RuntimeError(f"expected scalar type Long but found {target._dtype._scalar_name}")


def _check_multi_margin(input, target, p, margin, weight, reduction):
    nframe, dim = _frames(input)
    if not (target.dim() <= 1 and target.numel() == nframe):
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples (batch "
            f"size). Expected target size [{nframe}], but got {_sizes(target)}. Input has shape {_sizes(input)}."
        )
    if weight is not None and not (weight.dim() <= 1 and weight.numel() == dim):
        raise RuntimeError(f"inconsistent weight size, expected {dim} but got {_sizes(weight)}")
    if not input._dtype.is_floating_point:
        raise kernel_error("multi_margin_loss_cpu_kernel", input._dtype)
    _check_long_target(target)
    if weight is not None and weight._dtype is not input._dtype:
        raise RuntimeError(
            f"expected scalar type {input._dtype._scalar_name} but found {weight._dtype._scalar_name}"
        )
    no_grad_weight("multi_margin_loss", weight)
    v = _host(target)
    if v is not None and v.size and (v.min() < 0 or v.max() >= dim):
        raise RuntimeError("target out of range")


@_declared(
    "multi_margin_loss(Tensor input, Tensor target, int p=1, float margin=1.0, Tensor? weight=None, "
    "int reduction=1) -> Tensor",
    promote="none",
    check=_check_multi_margin,
    out=False,
    no_edge=("target", "weight"),
)
def _multi_margin_loss(input, target, p, margin, weight, reduction):
    """aten::multi_margin_loss: per sample, sum over j != y of w[y] max(0, margin - x[y] + x[j])^p / C."""
    nd = input.ndim
    nframe = 1 if nd <= 1 else input.shape[0]
    dim = 1 if nd == 0 else input.shape[-1]

    def fwd(x, t, w):
        x2 = x.reshape(nframe, dim)
        t2 = t.reshape(nframe, 1)
        xt = jnp.take_along_axis(x2, t2, axis=1)
        z = np.asarray(margin, x.dtype) - xt + x2
        keep = (z > 0) & (jnp.arange(dim)[None, :] != t2)
        h = z if p == 1 else z * z
        per = jnp.sum(jnp.where(keep, h, jnp.zeros_like(h)), axis=1)
        if w is not None:
            per = per * w.reshape(-1)[t2[:, 0]]
        per = per / np.asarray(dim, x.dtype)
        if reduction == NONE:
            return per.reshape(()) if nd <= 1 else per
        return jnp.mean(per) if reduction == MEAN else jnp.sum(per)

    return with_grad(
        fwd,
        lambda args, out, g: (
            jax.vjp(lambda x: fwd(x, args[1], args[2]), args[0])[1](g)[0],
            None,
            None,
        ),
    )(input, target, weight)


def multi_margin_loss(
    input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction="mean"
):
    """F.multi_margin_loss (MultiMarginLossBackward0); p is 1 or 2."""
    _need_tensors("multi_margin_loss", input=input, target=target)
    red = reduction_enum(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    return R.call(_multi_margin_loss, (input, target, int(p), float(margin), weight, red))


def _check_multilabel_margin(input, target, reduction):
    nframe, dim = _frames(input)
    if input.dim() <= 1:
        ok = target.dim() <= 1 and target.numel() == dim
    else:
        ok = target.dim() == 2 and tuple(target.shape) == (nframe, dim)
    if not ok:
        raise RuntimeError(
            f"inconsistent target size: {_sizes(target)} for input of size: {_sizes(input)}"
        )
    if not input._dtype.is_floating_point:
        raise kernel_error("multilabel_margin_loss_forward_out_frame", input._dtype)
    _check_long_target(target)
    v = _host(target)
    if v is not None and v.size and (v.min() < -1 or v.max() >= dim):
        raise RuntimeError("argument #2 'target' is out of range")


@_declared(
    "multilabel_margin_loss(Tensor input, Tensor target, int reduction=1) -> Tensor",
    promote="none",
    check=_check_multilabel_margin,
    out=False,
    no_edge=("target",),
)
def _multilabel_margin_loss(input, target, reduction):
    """aten::multilabel_margin_loss: per sample, the targets are the class indices before the first
    -1; sum over targets j and non-targets i of max(0, 1 - (x[j] - x[i])) / C."""
    nd = input.ndim
    nframe = 1 if nd <= 1 else input.shape[0]
    dim = 1 if nd == 0 else input.shape[-1]
    x2 = input.reshape(nframe, dim)
    t2 = target.reshape(nframe, dim)
    valid = jnp.cumprod((t2 >= 0).astype(jnp.int32), axis=1).astype(bool)
    safe = jnp.where(valid, t2, 0)
    classes = jnp.arange(dim)
    is_target = jnp.any(valid[:, :, None] & (safe[:, :, None] == classes[None, None, :]), axis=1)
    xt = jnp.take_along_axis(x2, safe, axis=1)
    z = 1 - xt[:, :, None] + x2[:, None, :]
    keep = valid[:, :, None] & ~is_target[:, None, :] & (z > 0)
    per = jnp.sum(jnp.where(keep, z, jnp.zeros_like(z)), axis=(1, 2)) / np.asarray(dim, input.dtype)
    if reduction == NONE:
        return per.reshape(()) if nd <= 1 else per
    return jnp.mean(per) if reduction == MEAN else jnp.sum(per)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """F.multilabel_margin_loss (MultilabelMarginLossBackward0)."""
    _need_tensors("multilabel_margin_loss", input=input, target=target)
    return R.call(
        _multilabel_margin_loss, (input, target, reduction_enum(size_average, reduce, reduction))
    )


register_function("multi_margin_loss", multi_margin_loss, NF)
register_function("multilabel_margin_loss", multilabel_margin_loss, NF)


# ------------------------------------------------------------------ pdist


def _check_pdist(input, p=2.0):
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if not input._dtype.is_floating_point:
        raise RuntimeError("pdist only supports floating-point dtypes")
    if not p >= 0:
        raise RuntimeError("pdist only supports non-negative p values")
    if input._dtype in (D.float16, D.bfloat16):
        raise kernel_error("pdist", input._dtype)


def _pdist_pair_grad(diff, dist, g, p):
    """torch's _pdist_backward for one pair: d dist / d diff times the incoming gradient."""
    ad = jnp.abs(diff)
    sg = jnp.sign(diff)
    dist = dist[:, None]
    g = g[:, None]
    zero = dist == 0
    safe = jnp.where(zero, jnp.ones_like(dist), dist)
    if p == 0:
        return jnp.zeros_like(diff)
    if p == 1:
        return g * sg
    if math.isinf(p):
        return g * sg * (ad == dist).astype(diff.dtype)
    if p == 2:
        return jnp.where(zero, jnp.zeros_like(diff), g * diff / safe)
    if p < 2:
        safe_ad = jnp.where(ad == 0, jnp.ones_like(ad), ad)
        r = (
            sg
            * jnp.where(
                ad == 0, jnp.zeros_like(ad) if p < 1 else (ad ** (p - 1)), safe_ad ** (p - 1)
            )
            * g
        )
        return jnp.where(zero, jnp.zeros_like(diff), r / safe ** (p - 1))
    return jnp.where(zero, jnp.zeros_like(diff), diff * ad ** (p - 2) * g / safe ** (p - 1))


@op("pdist(Tensor input, float p=2.0) -> Tensor", promote="none", check=_check_pdist, out=False)
def pdist(input, p=2.0):
    """torch.pdist: the p-norm distances between rows i < j, in row-major pair order, with torch's
    backward (zero at zero distances and, for p < 1, at zero differences; every tie of the
    inf-norm gets the gradient)."""
    n = input.shape[0]
    p = float(p)
    if n <= 1:
        return jnp.zeros((0,), input.dtype)
    i, j = np.triu_indices(n, 1)

    def fwd(x):
        return _pdist_p(x[i] - x[j], p)

    def bwd(args, dist, g):
        x = args[0]
        gp = _pdist_pair_grad(x[i] - x[j], dist, g, p)
        return (jnp.zeros_like(x).at[i].add(gp).at[j].add(-gp),)

    return with_grad(fwd, bwd)(input)


register_function("pdist", pdist, NF)


# ------------------------------------------------------------------ ctc_loss


def _lse(*xs):
    """log(sum(exp(x))) of same-shaped arrays, -inf when all are -inf (no NaN)."""
    m = xs[0]
    for x in xs[1:]:
        m = jnp.maximum(m, x)
    safe = jnp.where(jnp.isfinite(m), m, jnp.zeros_like(m))
    s = sum(jnp.exp(x - safe) for x in xs)
    return jnp.log(s) + safe


def _ctc_setup(lp, targets, il, tl, blank, smax):
    """Extended label sequences (blank, l1, blank, l2, ... blank), their emissions and skip masks."""
    T, N, C = lp.shape
    il = il.astype(jnp.int64)
    tl = tl.astype(jnp.int64)
    if targets.ndim == 1:
        offsets = jnp.cumsum(tl) - tl
        idx = offsets[:, None] + jnp.arange(smax)[None, :]
        tg = (
            targets[jnp.clip(idx, 0, targets.shape[0] - 1)]
            if targets.shape[0]
            else jnp.zeros((N, smax), jnp.int64)
        )
    else:
        tg = targets[:, :smax]
    tg = tg.astype(jnp.int64)
    if smax == 0:
        tg = jnp.zeros((N, 1), jnp.int64)
    S = tg.shape[1]
    L = 2 * S + 1
    s = jnp.arange(L)
    lab = jnp.take_along_axis(tg, jnp.clip((s - 1) // 2, 0, S - 1)[None, :].repeat(N, 0), axis=1)
    ext = jnp.where(s % 2 == 0, blank, jnp.clip(lab, 0, C - 1))
    prev2 = jnp.concatenate([jnp.full((N, 2), -1, ext.dtype), ext[:, :-2]], axis=1)
    skip = (s % 2 == 1)[None, :] & (s >= 2)[None, :] & (ext != prev2)
    lpe = jnp.take_along_axis(lp, jnp.broadcast_to(ext[None], (T, N, L)), axis=2)
    return il, tl, ext, skip, lpe


def _ctc_alpha(lpe, il, tl, skip):
    T, N, L = lpe.shape
    ninf = jnp.full((N, L), -jnp.inf, lpe.dtype)
    s = jnp.arange(L)[None, :]
    a0 = jnp.where((s == 0) | ((s == 1) & (tl[:, None] > 0)), lpe[0], ninf)

    def step(a, inp):
        t, e = inp
        a1 = jnp.concatenate([ninf[:, :1], a[:, :-1]], axis=1)
        a2 = jnp.where(skip, jnp.concatenate([ninf[:, :2], a[:, :-2]], axis=1)[:, :L], ninf)
        new = jnp.where((t < il)[:, None], _lse(a, a1, a2) + e, a)
        return new, new

    last, rest = lax.scan(step, a0, (jnp.arange(1, T), lpe[1:]))
    return last, jnp.concatenate([a0[None], rest], axis=0)


def _ctc_nll(lpe, il, tl, skip):
    last, alphas = _ctc_alpha(lpe, il, tl, skip)
    N = last.shape[0]
    end = jnp.take_along_axis(last, (2 * tl)[:, None], axis=1)[:, 0]
    end1 = jnp.take_along_axis(last, jnp.maximum(2 * tl - 1, 0)[:, None], axis=1)[:, 0]
    end1 = jnp.where(tl > 0, end1, jnp.full((N,), -jnp.inf, last.dtype))
    return -_lse(end, end1), alphas


def _ctc_beta(lpe, il, tl, skip):
    T, N, L = lpe.shape
    ninf = jnp.full((N, L), -jnp.inf, lpe.dtype)
    s = jnp.arange(L)[None, :]
    skip_next = jnp.concatenate([skip[:, 2:], jnp.zeros((N, 2), bool)], axis=1)
    init_mask = (s == 2 * tl[:, None]) | ((s == 2 * tl[:, None] - 1) & (tl[:, None] > 0))

    def step(b, inp):
        t, e = inp
        b1 = jnp.concatenate([b[:, 1:], ninf[:, :1]], axis=1)
        b2 = jnp.where(skip_next, jnp.concatenate([b[:, 2:], ninf[:, :2]], axis=1)[:, :L], ninf)
        rec = _lse(b, b1, b2) + e
        init = jnp.where(init_mask, e, ninf)
        new = jnp.where((t == il - 1)[:, None], init, jnp.where((t < il - 1)[:, None], rec, ninf))
        return new, new

    _, betas = lax.scan(step, ninf, (jnp.arange(T), lpe), reverse=True)
    return betas


def _check_ctc(log_probs, targets, input_lengths, target_lengths, blank, zero_infinity, smax):
    if not log_probs._dtype.is_floating_point:
        raise kernel_error("ctc_loss_cpu", log_probs._dtype)
    T, N, C = log_probs.shape
    if not 0 <= blank < C:
        raise RuntimeError("blank must be in label range")
    if input_lengths.numel() != N:
        raise RuntimeError("input_lengths must be of size batch_size")
    if target_lengths.numel() != N:
        raise RuntimeError("target_lengths must be of size batch_size")
    il = _host(input_lengths)
    tl = _host(target_lengths)
    if tl is not None and targets.dim() == 2 and tl.size and tl.max() > targets.shape[1]:
        raise RuntimeError(
            f"Expected tensor to have size at least {int(tl.max())} at dimension 1, but got size "
            f"{targets.shape[1]} for argument #2 'targets' (while checking arguments for ctc_loss_allocate_outputs)"
        )
    if il is not None and il.size and il.max() > T:
        raise RuntimeError(
            f"Expected input_lengths to have value at most {T}, but got value {int(il.max())} (while checking "
            "arguments for ctc_loss_allocate_outputs)"
        )


@_declared(
    "_ctc_loss(Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, int blank=0, "
    "bool zero_infinity=False, int smax=0) -> Tensor",
    promote="none",
    check=_check_ctc,
    out=False,
    grad="CtcLossBackward0",
)
def _ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, zero_infinity, smax):
    """aten::_ctc_loss: the negative log likelihood of each target sequence (alpha recursion in log
    space), with torch's backward exp(lp) - exp(log(alpha beta) + nll - lp) (the gradient torch
    returns for log_probs: zero past each input length, and for infinite losses when
    ``zero_infinity``)."""

    def fwd(lp, tg, il, tl):
        il, tl, ext, skip, lpe = _ctc_setup(lp, tg, il, tl, blank, smax)
        return _ctc_nll(lpe, il, tl, skip)[0]

    def bwd(args, nll, g):
        lp, tg, il, tl = args
        T, N, C = lp.shape
        il, tl, ext, skip, lpe = _ctc_setup(lp, tg, il, tl, blank, smax)
        _, alphas = _ctc_nll(lpe, il, tl, skip)
        betas = _ctc_beta(lpe, il, tl, skip)
        ab = alphas + betas
        m = jnp.max(ab, axis=2, keepdims=True)
        m = jnp.where(jnp.isfinite(m), m, jnp.zeros_like(m))
        onehot = (ext[:, :, None] == jnp.arange(C)[None, None, :]).astype(lp.dtype)
        agg = jnp.einsum("tns,nsc->tnc", jnp.exp(ab - m), onehot)
        lcab = jnp.log(agg) + m
        grad = (jnp.exp(lp) - jnp.exp(lcab + nll[None, :, None] - lp)) * g[None, :, None]
        live = jnp.arange(T)[:, None] < il[None, :]
        if zero_infinity:
            live = live & ~jnp.isinf(nll)[None, :]
        return jnp.where(live[:, :, None], grad, jnp.zeros_like(grad)), None, None, None

    return with_grad(fwd, bwd)(log_probs, targets, input_lengths, target_lengths)


def _lengths(v, name):
    from .._creation import tensor as _tensor

    if isinstance(v, Tensor):
        return v.reshape(-1) if v.dim() == 0 else v
    if isinstance(v, (list, tuple)):
        return _tensor(list(v), dtype=D.int64)
    raise TypeError(
        f"ctc_loss(): argument '{name}' must be tuple of ints or Tensor, not {type(v).__name__}"
    )


def _ctc(
    log_probs, targets, input_lengths, target_lengths, blank=0, reduction=MEAN, zero_infinity=False
):
    """aten::ctc_loss: _ctc_loss per sequence, inf -> 0 with ``zero_infinity``, then 'mean' divides
    each loss by its target length (at least 1) before averaging."""
    _need_tensors("ctc_loss", log_probs=log_probs, targets=targets)
    api = _api()
    batched = log_probs.dim() == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    tg = targets if (batched or targets.dim() != 1) else targets.unsqueeze(0)
    il = _lengths(input_lengths, "input_lengths")
    tl = _lengths(target_lengths, "target_lengths")
    if tg.dim() == 2:
        smax = tg.shape[1]
    else:
        h = _host(tl)
        smax = int(h.max()) if h is not None and h.size else tg.shape[0]
    res = R.call(_ctc_loss, (lp, tg, il, tl, int(blank), bool(zero_infinity), smax))
    if zero_infinity:
        res = api.where(res == math.inf, api.zeros((), dtype=res.dtype), res)
    if reduction == MEAN:
        tlt = tl.to(res.dtype).clamp_min(1)
        return (res / tlt).mean()
    if reduction == SUM:
        return res.sum()
    return res if batched else res.squeeze(0)


def ctc_loss(
    log_probs,
    targets,
    input_lengths,
    target_lengths,
    blank=0,
    reduction="mean",
    zero_infinity=False,
):
    """F.ctc_loss (CtcLossBackward0)."""
    return _ctc(
        log_probs, targets, input_lengths, target_lengths, blank, get_enum(reduction), zero_infinity
    )


register_function("ctc_loss", _ctc)
register_function("ctc_loss", ctc_loss, NF)
