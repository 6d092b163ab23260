"""Loss functions of torch.nn.functional (regression and likelihood losses): mse_loss, l1_loss,
smooth_l1_loss, huber_loss, soft_margin_loss, kl_div, nll_loss, cross_entropy,
linear_cross_entropy, binary_cross_entropy, binary_cross_entropy_with_logits, poisson_nll_loss,
gaussian_nll_loss; the margin / embedding losses, pdist and ctc_loss are in ``loss_margin.py``.

The layering is torch's. ``torch.nn.functional.X`` is a Python front end (legacy
``size_average``/``reduce`` with torch's deprecation warning, the reduction string, Python-level
checks) that calls the ATen op with an integer reduction (0 none, 1 mean, 2 sum). ATen ops with a
backward of their own (``mse_loss`` -> ``MseLossBackward0``, ``nll_loss`` -> ``NllLossBackward0``
...) are ``@op`` declarations; ATen's composite losses (``l1_loss``, ``kl_div``,
``cross_entropy_loss`` ...) are written with other torchjax ops, so their graphs and grad_fn
names (``MeanBackward0``, ``SubBackward0`` ...) are torch's too.
"""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.grad_mode import no_grad
from . import _registry as R
from ._registry import register_function
from .pointwise import _declared, kernel_error, with_grad

NF = "nn.functional"
NONE, MEAN, SUM = 0, 1, 2


def _api():
    return R.namespace("")


# ------------------------------------------------------------------ reductions (torch.nn._reduction)


def get_enum(reduction):
    """torch.nn._reduction.get_enum: the reduction string as ATen's integer."""
    if reduction == "none":
        return NONE
    if reduction == "mean":
        return MEAN
    if reduction == "elementwise_mean":
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            stacklevel=3,
        )
        return MEAN
    if reduction == "sum":
        return SUM
    raise ValueError(f"{reduction} is not a valid value for reduction")


def legacy_get_string(size_average, reduce, emit_warning=True):
    """torch.nn._reduction.legacy_get_string: the deprecated size_average/reduce pair as a string."""
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    ret = "mean" if (size_average and reduce) else ("sum" if reduce else "none")
    if emit_warning:
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
            stacklevel=3,
        )
    return ret


def reduction_enum(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        return get_enum(legacy_get_string(size_average, reduce))
    return get_enum(reduction)


def reduction_string(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return reduction


def apply_reduction(t, reduction):
    """ATen's apply_loss_reduction on a Tensor (MeanBackward0 / SumBackward0 in the graph)."""
    if reduction == MEAN:
        return t.mean()
    if reduction == SUM:
        return t.sum()
    return t


def _reduce(x, reduction):
    """apply_loss_reduction on a jax array (inside fused kernels)."""
    if reduction == MEAN:
        return jnp.mean(x)
    if reduction == SUM:
        return jnp.sum(x)
    return x


def _reduce_grad(g, shape, reduction, dtype):
    """The incoming gradient of a fused loss, expanded to the elementwise shape."""
    if reduction == NONE:
        return jnp.broadcast_to(g, shape)
    n = math.prod(shape)
    if reduction == MEAN:
        g = g / np.asarray(n, dtype) if n else g
    return jnp.broadcast_to(g, shape)


def _size_warning(input, target):
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}). "
            "This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )


def _sizes(t):
    return "[" + ", ".join(str(s) for s in t.shape) + "]"


def _not_tensor(name, pos, a, fname):
    return TypeError(
        f"{fname}(): argument '{name}' (position {pos}) must be Tensor, not {type(a).__name__}"
    )


def _need_tensors(fname, **named):
    for pos, (name, a) in enumerate(named.items(), 1):
        if not isinstance(a, Tensor):
            raise _not_tensor(name, pos, a, fname)


def _check_float(kernel, *ts):
    dt = D.result_dtype([(t._dtype, t.dim()) for t in ts if t is not None], [])
    if not dt.is_floating_point:
        raise kernel_error(kernel, dt)
    return dt


def no_grad_weight(fname, weight):
    """torch's refusal (at the call) to record a loss whose ``weight`` requires grad."""
    if weight is not None and weight.requires_grad and grad_mode.state.enabled:
        raise RuntimeError(
            f"The function '{fname}' is not differentiable with respect to argument 'weight'. This input cannot "
            "have requires_grad True."
        )


# ------------------------------------------------------------------ mse / smooth_l1 / huber / soft_margin / l1


def _bcast(a, b):
    shape = jnp.broadcast_shapes(a.shape, b.shape)
    return jnp.broadcast_to(a, shape), jnp.broadcast_to(b, shape)


def _check_mse(input, target, reduction=MEAN):
    _check_float("mse_cpu", input, target)


@_declared(
    "mse_loss(Tensor input, Tensor target, int reduction=1) -> Tensor", check=_check_mse, out=False
)
def _mse_loss(input, target, reduction):
    """aten::mse_loss: (input - target)^2, then the reduction."""
    a, b = _bcast(input, target)
    return _reduce((a - b) ** 2, reduction)


def _check_smooth_l1(input, target, reduction=MEAN, beta=1.0):
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _check_float("smooth_l1_cpu", input, target)


def _smooth_l1_fwd(beta, reduction):
    def fwd(a, b):
        a, b = _bcast(a, b)
        z = jnp.abs(a - b)
        bt = np.asarray(beta, z.dtype)
        return _reduce(jnp.where(z < bt, 0.5 * z * z / bt, z - 0.5 * bt), reduction)

    def bwd(args, out, g):
        a, b = _bcast(*args)
        x = a - b
        bt = np.asarray(beta, x.dtype)
        gg = _reduce_grad(g, x.shape, reduction, x.dtype)
        d = jnp.where(x < -bt, -gg, jnp.where(x > bt, gg, gg * x / bt))
        return d, -d

    return with_grad(fwd, bwd)


@_declared(
    "smooth_l1_loss(Tensor input, Tensor target, int reduction=1, float beta=1.0) -> Tensor",
    check=_check_smooth_l1,
    out=False,
)
def _smooth_l1_loss(input, target, reduction, beta):
    """aten::smooth_l1_loss: 0.5 z^2 / beta where |z| < beta, |z| - beta / 2 elsewhere (torch's
    backward: -1 / z / beta / 1 on the three pieces)."""
    return _smooth_l1_fwd(beta, reduction)(input, target)


def _check_huber(input, target, reduction=MEAN, delta=1.0):
    if not delta > 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _check_float("huber_cpu", input, target)


def _huber_fwd(delta, reduction):
    def fwd(a, b):
        a, b = _bcast(a, b)
        z = jnp.abs(a - b)
        dl = np.asarray(delta, z.dtype)
        return _reduce(jnp.where(z < dl, 0.5 * z * z, dl * (z - 0.5 * dl)), reduction)

    def bwd(args, out, g):
        a, b = _bcast(*args)
        x = a - b
        dl = np.asarray(delta, x.dtype)
        gg = _reduce_grad(g, x.shape, reduction, x.dtype)
        d = jnp.where(x < -dl, -gg * dl, jnp.where(x > dl, gg * dl, gg * x))
        return d, -d

    return with_grad(fwd, bwd)


@_declared(
    "huber_loss(Tensor input, Tensor target, int reduction=1, float delta=1.0) -> Tensor",
    check=_check_huber,
    out=False,
)
def _huber_loss(input, target, reduction, delta):
    """aten::huber_loss: 0.5 z^2 where |z| < delta, delta (|z| - delta / 2) elsewhere."""
    return _huber_fwd(delta, reduction)(input, target)


def _check_soft_margin(input, target, reduction=MEAN):
    dt = D.result_dtype([(input._dtype, input.dim()), (target._dtype, target.dim())], [])
    if not dt.is_floating_point or not input._dtype.is_floating_point:
        # torch computes neg_out(output, input).mul_(target).exp_() into an output of input's dtype
        out = D.get_default_dtype() if not dt.is_floating_point else dt
        raise RuntimeError(
            f"result type {out._scalar_name} can't be cast to the desired output type {input._dtype._scalar_name}"
        )
    err = R.broadcast_error(list(input.shape), list(target.shape))
    if err is not None:
        raise err
    shape = tuple(np.broadcast_shapes(tuple(input.shape), tuple(target.shape)))
    if shape != tuple(input.shape):
        raise RuntimeError(
            f"output with shape {_sizes(input)} doesn't match the broadcast shape {list(shape)}"
        )


@_declared(
    "soft_margin_loss(Tensor input, Tensor target, int reduction=1) -> Tensor",
    promote="none",
    check=_check_soft_margin,
    out=False,
)
def _soft_margin_loss(input, target, reduction):
    """aten::soft_margin_loss: log(1 + exp(-target * input)), in input's dtype."""
    dt = jnp.promote_types(input.dtype, target.dtype)
    v = jnp.log1p(jnp.exp(-input.astype(dt) * target.astype(dt))).astype(input.dtype)
    return _reduce(v, reduction)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """F.mse_loss: aten::mse_loss (MseLossBackward0); with ``weight``, torch's weighted Python path
    (sum(w * (x - y)^2) / sum(w) for 'mean')."""
    _need_tensors("mse_loss", input=input, target=target)
    _size_warning(input, target)
    reduction = reduction_string(size_average, reduce, reduction)
    if weight is not None:
        return _weighted(input, target, weight, reduction, lambda d: _api().pow(d, 2))
    return R.call(_mse_loss, (input, target, get_enum(reduction)))


def _weighted(input, target, weight, reduction, elementwise):
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    api = _api()
    a, b = api.broadcast_tensors(input, target)
    loss = elementwise(a - b) * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return api.sum(loss)
    if reduction == "mean":
        return api.sum(loss) / api.sum(weight)
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """F.l1_loss: ATen's composite |input - target| then the reduction (AbsBackward0 /
    MeanBackward0 / SumBackward0); with ``weight``, sum(w |x - y|) / sum(w) for 'mean'."""
    _need_tensors("l1_loss", input=input, target=target)
    _size_warning(input, target)
    reduction = reduction_string(size_average, reduce, reduction)
    api = _api()
    if weight is not None:
        return _weighted(input, target, weight, reduction, api.abs)
    red = get_enum(reduction)
    a, b = (
        (input, target)
        if tuple(input.shape) == tuple(target.shape)
        else api.broadcast_tensors(input, target)
    )
    return apply_reduction(api.abs(a - b), red)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """F.smooth_l1_loss: aten::smooth_l1_loss (SmoothL1LossBackward0); beta == 0 is l1_loss."""
    _need_tensors("smooth_l1_loss", input=input, target=target)
    _size_warning(input, target)
    reduction = reduction_string(size_average, reduce, reduction)
    a, b = (
        (input, target)
        if tuple(input.shape) == tuple(target.shape)
        else _api().broadcast_tensors(input, target)
    )
    if beta == 0.0:
        return apply_reduction(_api().abs(a - b), get_enum(reduction))
    return R.call(_smooth_l1_loss, (a, b, get_enum(reduction), float(beta)))


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """F.huber_loss: aten::huber_loss (HuberLossBackward0); with ``weight``, the weighted mean of the
    elementwise loss."""
    _need_tensors("huber_loss", input=input, target=target)
    _size_warning(input, target)
    a, b = (
        (input, target)
        if tuple(input.shape) == tuple(target.shape)
        else _api().broadcast_tensors(input, target)
    )
    if weight is None:
        return R.call(_huber_loss, (a, b, get_enum(reduction), float(delta)))
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    loss = R.call(_huber_loss, (a, b, NONE, float(delta))) * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return _api().sum(loss)
    if reduction == "mean":
        return loss.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """F.soft_margin_loss: aten::soft_margin_loss (SoftMarginLossBackward0)."""
    _need_tensors("soft_margin_loss", input=input, target=target)
    return R.call(
        _soft_margin_loss, (input, target, reduction_enum(size_average, reduce, reduction))
    )


for _f in (mse_loss, l1_loss, smooth_l1_loss, huber_loss, soft_margin_loss):
    register_function(_f.__name__, _f, NF)


# ------------------------------------------------------------------ kl_div


def _kl_div(input, target, reduction=MEAN, *, log_target=False):
    """aten::kl_div (composite): exp(t) (t - x) with log_target, else xlogy(t, t) - t x; then the
    reduction."""
    _need_tensors("kl_div", input=input, target=target)
    if input._dtype.is_complex or target._dtype.is_complex:
        raise RuntimeError("kl_div: Complex inputs not supported.")
    if not input._dtype.is_floating_point or not target._dtype.is_floating_point:
        raise RuntimeError("kl_div: Integral inputs not supported.")
    api = _api()
    if log_target:
        out = api.exp(target) * (target - input)
    else:
        out = api.xlogy(target, target) - target * input
    return apply_reduction(out, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """F.kl_div: torch's front end ('batchmean' divides the sum by the batch size; 'mean' warns)."""
    if size_average is not None or reduce is not None:
        red = get_enum(legacy_get_string(size_average, reduce))
    else:
        if reduction == "mean":
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the support size."
                "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                UserWarning,
                stacklevel=2,
            )
        red = SUM if reduction == "batchmean" else get_enum(reduction)
    reduced = _kl_div(input, target, red, log_target=log_target)
    if reduction == "batchmean" and input.dim() != 0:
        reduced = reduced / input.size()[0]
    return reduced


register_function("kl_div", _kl_div)
register_function("kl_div", kl_div, NF)


# ------------------------------------------------------------------ nll_loss


def _host_bad_target(target, n_classes, ignore_index):
    """The first class index in ``target`` outside [0, n_classes) that is not ``ignore_index``
    (None if all are valid, or inside a compiled region where values are unknown)."""
    v = target._v()
    if isinstance(v, jax.core.Tracer) or target.numel() == 0:
        return None
    if target.device.type == "cpu":
        a = np.asarray(v).astype(np.int64).ravel()
        bad = (a != ignore_index) & ((a < 0) | (a >= n_classes))
        return int(a[np.argmax(bad)]) if bad.any() else None
    a = v.astype(jnp.int64).ravel()
    bad = (a != ignore_index) & ((a < 0) | (a >= n_classes))
    anybad, first = np.asarray(jnp.stack([jnp.any(bad).astype(jnp.int64), a[jnp.argmax(bad)]]))
    return int(first) if anybad else None


def _check_nll_dtypes(kernel, input, target, weight):
    if target._dtype not in (D.int64, D.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {target._dtype._scalar_name}"
        )
    if not input._dtype.is_floating_point:
        raise kernel_error(kernel, input._dtype)
    if weight is not None and weight._dtype is not input._dtype:
        raise RuntimeError(
            f"expected scalar type {input._dtype._scalar_name} but found {weight._dtype._scalar_name}"
        )


def _check_nll(input, target, weight=None, reduction=MEAN, ignore_index=-100):
    if not input.dim() or input.dim() > 2:
        raise RuntimeError("input tensor should be 1D or 2D")
    if target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    no_batch = input.dim() == 1 and target.dim() == 0
    if input.dim() == 1 and target.dim() == 1:
        if target.shape[0] != 1:
            raise ValueError(
                f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}"
            )
    elif not no_batch and input.shape[0] != target.shape[0]:
        raise RuntimeError(f"size mismatch (got input: {_sizes(input)}, target: {_sizes(target)})")
    n_classes = input.shape[-1]
    if weight is not None and not (weight.dim() == 1 and weight.numel() == n_classes):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes but got weight "
            f"tensor of shape: {_sizes(weight)}"
        )
    _check_nll_dtypes("nll_loss_out_frame", input, target, weight)
    no_grad_weight("nll_loss_forward", weight)
    bad = _host_bad_target(target, n_classes, ignore_index)
    if bad is not None:
        raise IndexError(f"Target {bad} is out of bounds.")


def _check_nll2d(input, target, weight=None, reduction=MEAN, ignore_index=-100):
    if target.dim() != 3:
        raise RuntimeError(
            f"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.dim()}"
        )
    if input.dim() != 4:
        raise RuntimeError(
            f"only batches of spatial inputs supported (4D tensors), but got input of dimension: {input.dim()}"
        )
    if weight is not None and weight.numel() != input.shape[1]:
        raise RuntimeError("weight tensor should be defined either for all or no classes")
    if (input.shape[0], input.shape[2], input.shape[3]) != tuple(target.shape):
        raise RuntimeError(f"size mismatch (got input: {_sizes(input)} , target: {_sizes(target)}")
    _check_nll_dtypes("nll_loss2d_forward_out_frame", input, target, weight)
    no_grad_weight("nll_loss2d_forward", weight)
    bad = _host_bad_target(target, input.shape[1], ignore_index)
    if bad is not None:
        raise IndexError(f"Target {bad} is out of bounds.")


def _nll_parts(x, t, w, ignore_index, axis):
    """(per-element loss, per-element weight, one-hot of the target along ``axis``) of nll_loss."""
    t = t.astype(jnp.int64) if t.dtype != jnp.int64 else t
    ignored = t == ignore_index
    safe = jnp.where(ignored, 0, t)
    c = x.shape[axis]
    picked = jnp.take_along_axis(x, jnp.expand_dims(safe, axis), axis=axis).squeeze(axis)
    wt = w[safe] if w is not None else jnp.ones(safe.shape, x.dtype)
    wt = jnp.where(ignored, jnp.zeros_like(wt), wt.astype(x.dtype))
    loss = jnp.where(ignored, jnp.zeros_like(picked), -picked * wt)
    shape = [1] * x.ndim
    shape[axis] = c
    onehot = jnp.expand_dims(safe, axis) == jnp.arange(c).reshape(shape)
    return loss, wt, onehot, ignored


def _nll_impl(x, t, w, reduction, ignore_index, axis):
    def fwd(x, t, w):
        loss, wt, _, _ = _nll_parts(x, t, w, ignore_index, axis)
        if reduction == NONE:
            return loss
        if reduction == SUM:
            return jnp.sum(loss)
        return jnp.sum(loss) / jnp.sum(wt)

    def bwd(args, out, g):
        x, t, w = args
        _, wt, onehot, ignored = _nll_parts(x, t, w, ignore_index, axis)
        if reduction == MEAN:
            g = g / jnp.sum(wt)
        per = jnp.where(ignored, jnp.zeros_like(wt), -wt * g)
        return jnp.where(onehot, jnp.expand_dims(per, axis), jnp.zeros_like(x)), None, None

    return with_grad(fwd, bwd)(x, t, w)


@_declared(
    "nll_loss(Tensor input, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100) "
    "-> Tensor",
    promote="none",
    check=_check_nll,
    out=False,
    grad="NllLossBackward0",
    no_edge=("target", "weight"),
)
def _nll_loss(input, target, weight, reduction, ignore_index):
    """aten::nll_loss (1-D or 2-D input): -weight[t] * input[.., t], 0 where t == ignore_index; 'mean'
    divides by the summed weights of the counted targets (NaN when there are none)."""
    if input.ndim == 1 and target.ndim == 1:
        target = target.reshape(())
    return _nll_impl(input, target, weight, reduction, ignore_index, input.ndim - 1)


@_declared(
    "nll_loss2d(Tensor input, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100) "
    "-> Tensor",
    promote="none",
    check=_check_nll2d,
    out=False,
    grad="NllLoss2DBackward0",
    no_edge=("target", "weight"),
)
def _nll_loss2d(input, target, weight, reduction, ignore_index):
    """aten::nll_loss2d: nll_loss over (N, C, H, W) input and (N, H, W) target."""
    return _nll_impl(input, target, weight, reduction, ignore_index, 1)


def nll_loss_nd(input, target, weight=None, reduction=MEAN, ignore_index=-100):
    """aten::nll_loss_nd: nll_loss for 1-2 dims, nll_loss2d for 4, other dims reshaped to 4-D."""
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() != 1 and input.shape[0] != (target.shape[0] if target.dim() else 0):
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target.shape[0] if target.dim() else 0})."
        )
    dim = input.dim()
    if dim in (1, 2):
        return R.call(_nll_loss, (input, target, weight, reduction, ignore_index))
    if dim == 4:
        return R.call(_nll_loss2d, (input, target, weight, reduction, ignore_index))
    n, c = input.shape[0], input.shape[1]
    out_size = [n] + list(input.shape[2:])
    if tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {out_size}, got {_sizes(target)}")
    x = input.contiguous()
    tg = target.contiguous()
    x = x.view(n, c, 1, -1) if x.numel() > 0 else x.view(n, c, 0, 0)
    tg = tg.view(n, 1, -1) if tg.numel() > 0 else tg.view(n, 0, 0)
    out = R.call(_nll_loss2d, (x, tg, weight, reduction, ignore_index))
    return out if reduction != NONE else out.view(*out_size)


def nll_loss(
    input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"
):
    """F.nll_loss: torch's front end over aten::nll_loss_nd (NllLossBackward0 / NllLoss2DBackward0)."""
    _need_tensors("nll_loss", input=input, target=target)
    reduction = reduction_string(size_average, reduce, reduction)
    return nll_loss_nd(input, target, weight, get_enum(reduction), ignore_index)


register_function("nll_loss", nll_loss, NF)


# ------------------------------------------------------------------ cross_entropy


def _class_weight_view(weight, ndim, class_dim):
    if ndim > 1:
        shape = [1] * ndim
        shape[class_dim] = weight.shape[0]
        return weight.view(*shape)
    return weight


@_declared(
    "_div_scalar(Tensor input, Scalar other) -> Tensor",
    promote=("input",),
    out=False,
    saves=(),
    grad="DivBackward1",
)
def _div_scalar(input, other):
    """aten::div.Scalar (what ATen's C++ ``tensor / int`` records: DivBackward1)."""
    return input / other


_div_scalar.short = "div"


def _ce_prob_target(input, target, weight, reduction, label_smoothing):
    """ATen's cross_entropy_loss_prob_target: -sum(log_softmax(x) * target [* weight])."""
    api = _api()
    class_dim = 0 if input.dim() == 1 else 1
    n_classes = input.shape[class_dim]
    if weight is not None and not (weight.dim() == 1 and weight.numel() == n_classes):
        raise RuntimeError(
            f"cross_entropy: weight tensor should be defined either for all {n_classes} classes or no classes but "
            f"got weight tensor of shape: {_sizes(weight)}"
        )
    logp = api.log_softmax(input, class_dim, input.dtype)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(
                f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}"
            )
        target = target * (1 - label_smoothing) + (label_smoothing / n_classes)
    prod = logp * target
    if weight is not None:
        prod = prod * _class_weight_view(weight, logp.dim(), class_dim)
    if reduction == MEAN:
        if logp.numel() == 0:
            return -(prod.sum().fill_(math.nan))
        return R.call(_div_scalar, (-prod.sum(), logp.numel() // n_classes))
    if reduction == SUM:
        return -prod.sum()
    return -prod.sum(class_dim)


def _ce_label_smoothing(input, target, weight, reduction, ignore_index, label_smoothing):
    """ATen's cross_entropy_loss_label_smoothing: (1 - eps) nll + eps / C * smooth term."""
    api = _api()
    class_dim = 0 if input.dim() == 1 else 1
    n_classes = input.shape[class_dim]
    logp = api.log_softmax(input, class_dim, input.dtype)
    nll = nll_loss_nd(logp, target, weight, reduction, ignore_index)
    ignore_mask = target == ignore_index
    if weight is not None:
        smooth = -(logp * _class_weight_view(weight, logp.dim(), class_dim)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth = smooth.masked_fill(ignore_mask, 0.0)
    if reduction == MEAN:
        if weight is not None:
            tw = weight.gather(0, target.masked_fill(ignore_mask, 0).flatten()).view(*target.shape)
            ret = smooth.sum() / tw.masked_fill(ignore_mask, 0).sum()
        else:
            ret = smooth.sum() / (~ignore_mask).sum()
    elif reduction == SUM:
        ret = smooth.sum()
    else:
        ret = smooth
    return (1 - label_smoothing) * nll + ret * (label_smoothing / n_classes)


def cross_entropy_loss(
    input, target, weight=None, reduction=MEAN, ignore_index=-100, label_smoothing=0.0
):
    """aten::cross_entropy_loss: class probabilities when target has input's shape, else class
    indices (log_softmax + nll_loss_nd, or the label-smoothing mixture)."""
    if tuple(input.shape) == tuple(target.shape):
        if not target._dtype.is_floating_point:
            raise RuntimeError(
                f"Expected floating point type for target with class probabilities, got {target._dtype._scalar_name}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _ce_prob_target(input, target, weight, reduction, label_smoothing)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(
                f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}"
            )
        return _ce_label_smoothing(input, target, weight, reduction, ignore_index, label_smoothing)
    class_dim = 0 if input.dim() == 1 else 1
    return nll_loss_nd(
        _api().log_softmax(input, class_dim, input.dtype), target, weight, reduction, ignore_index
    )


def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    """F.cross_entropy: torch's front end over aten::cross_entropy_loss."""
    _need_tensors("cross_entropy", input=input, target=target)
    reduction = reduction_string(size_average, reduce, reduction)
    return cross_entropy_loss(
        input, target, weight, get_enum(reduction), ignore_index, float(label_smoothing)
    )


register_function("cross_entropy", cross_entropy, NF)


def linear_cross_entropy(
    input,
    linear_weight,
    target,
    *,
    linear_bias=None,
    weight=None,
    reduction="mean",
    ignore_index=None,
    label_smoothing=0.0,
    options=None,
):
    """F.linear_cross_entropy: cross_entropy(linear(input, linear_weight, linear_bias), target), with
    torch's checks. ``options`` (torch's chunking strategy) only changes how torch schedules memory;
    XLA fuses the whole computation, so every path here is torch's reference path."""
    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.dim()}")
    if linear_weight.dim() < 2:
        raise RuntimeError(
            f"expected linear_weight with dimensionality at least 2, got {linear_weight.dim()}"
        )
    num_batches = tuple(input.shape[:-1])
    in_features = input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise RuntimeError(
            "expected equal input and linear_weight last dimensions (in_features), "
            f"got {input.shape[-1]} and {linear_weight.shape[-1]}, respectively"
        )
    num_classes = linear_weight.shape[0]
    out_features = tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (num_classes, *out_features):
        raise RuntimeError(
            f"expected linear_bias shape {(num_classes, *out_features)}, got {tuple(linear_bias.shape)}"
        )
    if out_features and not num_batches:
        raise RuntimeError(
            f"K-dimensional loss defined by linear_weight shape {tuple(linear_weight.shape)} requires"
            f" batched input, (N, {in_features}), got unbatched input with shape {tuple(input.shape)}"
        )
    logits_shape = (*num_batches, num_classes, *out_features)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains probabilities")
    ignore_index = ignore_index if ignore_index is not None else -100
    if options is not None and (
        out_features
        or reduction not in {"mean", "sum", "none"}
        or label_smoothing != 0.0
        or target._dtype is not D.int64
    ):
        warnings.warn(
            "linear_cross_entropy: ``options`` ignored; chunked path needs "
            "reduction in {'mean','sum','none'}, label_smoothing == 0, target.dtype"
            " == int64, out_features == (). Got "
            f"reduction={reduction!r}, label_smoothing={label_smoothing}, "
            f"target.dtype={target.dtype}, out_features={out_features}"
            ", tracing=False, linear_bias.shape="
            f"{tuple(linear_bias.shape) if linear_bias is not None else None}.",
            UserWarning,
            stacklevel=2,
        )
    api = _api()
    w = linear_weight
    b = linear_bias
    if out_features:
        w = w.reshape(math.prod(out_features, start=num_classes), in_features)
        if b is not None:
            b = b.reshape(math.prod(out_features, start=num_classes))
    logits = api.matmul(input, w.t())
    if b is not None:
        logits = logits + b
    logits = logits.reshape(*logits_shape)
    return cross_entropy(
        logits,
        target,
        weight=weight,
        reduction=reduction,
        ignore_index=ignore_index,
        label_smoothing=label_smoothing,
    )


register_function("linear_cross_entropy", linear_cross_entropy, NF)


# ------------------------------------------------------------------ binary cross entropy


def _check_bce(input, target, weight=None, reduction=MEAN):
    if not input._dtype.is_floating_point:
        raise kernel_error("binary_cross_entropy", input._dtype)
    if target._dtype is not input._dtype:
        raise RuntimeError(
            f"Found dtype {target._dtype._scalar_name} but expected {input._dtype._scalar_name}"
        )
    if weight is not None:
        err = R.broadcast_error(list(input.shape), list(weight.shape))
        if err is not None:
            raise err
    no_grad_weight("binary_cross_entropy", weight)
    v = input._v()
    if not isinstance(v, jax.core.Tracer) and input.numel():
        lo, hi = np.asarray(jnp.stack([jnp.min(v), jnp.max(v)]).astype(np.float64))
        if not (lo >= 0 and hi <= 1):
            raise RuntimeError("all elements of input should be between 0 and 1")


def _bce_fwd(reduction):
    def fwd(x, t, w):
        lo = np.asarray(-100, x.dtype)
        v = (t - 1) * jnp.maximum(jnp.log1p(-x), lo) - t * jnp.maximum(jnp.log(x), lo)
        if w is not None:
            v = v * w.astype(x.dtype)
        return _reduce(v, reduction)

    def bwd(args, out, g):
        x, t, w = args
        gg = _reduce_grad(g, x.shape, reduction, x.dtype)
        eps = np.asarray(1e-12, x.dtype)
        gx = gg * (x - t) / jnp.maximum((1 - x) * x, eps)
        gt = -(jnp.log(x) - jnp.log1p(-x)) * gg
        if w is not None:
            gx = gx * w.astype(x.dtype)
            gt = gt * w.astype(x.dtype)
        return gx, gt, None

    return with_grad(fwd, bwd)


@_declared(
    "binary_cross_entropy(Tensor input, Tensor target, Tensor? weight=None, int reduction=1) -> Tensor",
    promote="none",
    check=_check_bce,
    out=False,
    no_edge=("weight",),
)
def _binary_cross_entropy(input, target, weight, reduction):
    """aten::binary_cross_entropy: -w (t log x + (1 - t) log(1 - x)), each log clamped at -100 as torch
    does; torch's backward w (x - t) / max(x (1 - x), 1e-12)."""
    return _bce_fwd(reduction)(input, target, weight)


def binary_cross_entropy(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean"
):
    """F.binary_cross_entropy (BinaryCrossEntropyBackward0)."""
    _need_tensors("binary_cross_entropy", input=input, target=target)
    red = reduction_enum(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Using a target size ({target.size()}) that is different to the input size ({input.size()}) is "
            "deprecated. Please ensure they have the same size."
        )
    if weight is not None:
        new_size = _api().broadcast_shapes(target.size(), weight.size())
        weight = weight.expand(new_size)
    return R.call(_binary_cross_entropy, (input, target, weight, red))


def _check_bce_logits(input, target, weight=None, pos_weight=None, reduction=MEAN):
    if not input._dtype.is_floating_point:
        raise kernel_error("log_sigmoid_cpu", input._dtype)
    if not target._dtype.is_floating_point:
        raise RuntimeError(
            f"result type {input._dtype._scalar_name} can't be cast to the desired output type "
            f"{target._dtype._scalar_name}"
        )
    shape = list(input.shape)
    if pos_weight is not None:
        err = R.broadcast_error(list(pos_weight.shape), list(target.shape))
        if err is not None:
            raise err
    if weight is not None:
        err = R.broadcast_error(shape, list(weight.shape))
        if err is not None:
            raise err


@_declared(
    "binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight=None, "
    "Tensor? pos_weight=None, int reduction=1) -> Tensor",
    promote="none",
    check=_check_bce_logits,
    out=False,
    no_edge=("weight", "pos_weight"),
)
def _bce_with_logits(input, target, weight, pos_weight, reduction):
    """aten::binary_cross_entropy_with_logits: (1 - t) x - log_sigmoid(x) ((pos_weight - 1) t + 1),
    times weight; the result has target's dtype (torch accumulates in place into 1 - target)."""
    dt = jnp.promote_types(input.dtype, target.dtype)
    x = input.astype(dt)
    t = target.astype(dt)
    ls = jax.nn.log_sigmoid(x)
    if pos_weight is not None:
        ls = ls * ((pos_weight.astype(dt) - 1) * t + 1)
    loss = (1 - t) * x - ls
    if weight is not None:
        loss = loss * weight.astype(dt)
    return _reduce(loss.astype(target.dtype), reduction)


def binary_cross_entropy_with_logits(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None
):
    """F.binary_cross_entropy_with_logits (BinaryCrossEntropyWithLogitsBackward0)."""
    _need_tensors("binary_cross_entropy_with_logits", input=input, target=target)
    red = reduction_enum(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Target size ({target.size()}) must be the same as input size ({input.size()})"
        )
    return R.call(_bce_with_logits, (input, target, weight, pos_weight, red))


def _torch_bce_with_logits(input, target, weight=None, pos_weight=None, reduction=MEAN):
    return R.call(_bce_with_logits, (input, target, weight, pos_weight, reduction))


register_function("binary_cross_entropy", binary_cross_entropy, NF)
register_function("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits, NF)
register_function("binary_cross_entropy_with_logits", _torch_bce_with_logits)


# ------------------------------------------------------------------ poisson / gaussian nll


def _poisson_nll_loss(input, target, log_input, full, eps, reduction):
    """aten::poisson_nll_loss (composite): exp(x) - t x, or x - t log(x + eps); plus the Stirling
    term t log t - t + log(2 pi t) / 2 where t > 1 when ``full``."""
    _need_tensors("poisson_nll_loss", input=input, target=target)
    api = _api()
    if log_input:
        loss = api.exp(input) - target * input
    else:
        loss = input - target * api.log(input + eps)
    if full:
        stirling = target * api.log(target) - target + 0.5 * api.log(2 * math.pi * target)
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return apply_reduction(loss, reduction)


def poisson_nll_loss(
    input,
    target,
    log_input=True,
    full=False,
    size_average=None,
    eps=1e-8,
    reduce=None,
    reduction="mean",
):
    """F.poisson_nll_loss."""
    reduction = reduction_string(size_average, reduce, reduction)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    return _poisson_nll_loss(input, target, log_input, full, eps, get_enum(reduction))


register_function("poisson_nll_loss", _poisson_nll_loss)
register_function("poisson_nll_loss", poisson_nll_loss, NF)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """F.gaussian_nll_loss: torch's Python implementation (var clamped at eps without gradient,
    homoscedastic ``var`` one dimension short or with one mismatched dimension)."""
    api = _api()
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * api.ones_like(input)
    elif bool(api.any(var < 0)):
        raise ValueError("var has negative entry/entries")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = api.unsqueeze(var, -1)
        elif (
            input.dim() == var.dim()
            and sum(y for x, y in zip(input.shape, var.shape) if x != y) == 1
        ):
            pass
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (api.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


register_function("gaussian_nll_loss", gaussian_nll_loss, NF)
