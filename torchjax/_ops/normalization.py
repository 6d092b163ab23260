"""Normalization: torch.native_batch_norm / batch_norm, native_layer_norm / layer_norm, native_group_norm /
group_norm, instance_norm, rms_norm, and nn.functional.batch_norm, layer_norm, group_norm,
instance_norm, rms_norm, local_response_norm.

Each mirrors ATen's CPU path (aten/src/ATen/native/Normalization.cpp, layer_norm.cpp, group_norm.cpp)
and the checks torch's Python front ends (torch/nn/functional.py) make before calling it:

- ``native_*_norm`` are ops whose autograd node carries torch's name (``NativeBatchNormBackward0``,
  ``NativeLayerNormBackward0``, ``NativeGroupNormBackward0``); statistics use the biased variance and
  are computed in float32 for float16/bfloat16 inputs (torch's opmath);
- batch norm in training updates ``running_mean`` / ``running_var`` in place:
  ``running = momentum * batch_stat + (1 - momentum) * running`` with the *unbiased* batch variance,
  as ATen's ``batch_norm_cpu_update_stats_template`` does; in evaluation the running statistics
  normalise the input and the saved mean / invstd are empty, like torch's CPU kernel;
- instance norm is ATen's composite: batch norm of the input viewed as ``(1, N * C, ...)`` with the
  weight / bias / running statistics repeated N times, then the running statistics averaged back;
- rms_norm is ATen's composite (``MulBackward0``): ``x * rsqrt(mean(x^2) + eps)`` in opmath, then
  ``* weight``; ``eps=None`` uses the opmath dtype's machine epsilon;
- local_response_norm follows torch's Python definition (an average of squares over a window of
  ``size`` channels, zero padded, integer inputs averaged with integer division like avg_pool).
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from . import _registry as R
from ._registry import op, register_function
from ._util import wrap_dim
from .pointwise import _declared, kernel_error

NF = "nn.functional"
_FLOATS = (D.float16, D.bfloat16, D.float32, D.float64)


def _opmath(x):
    return x.astype(np.float32) if x.dtype in (np.float16, jnp.bfloat16) else x


def _sizes(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _check_float(kernel, input):
    if input._dtype not in _FLOATS:
        raise kernel_error(kernel, input._dtype)


# ------------------------------------------------------------------ batch norm


def _bn_forward(input, weight, bias, running_mean, running_var, training, momentum, eps):
    """(out, save_mean, save_invstd, new_running_mean, new_running_var) of ATen's CPU batch norm."""
    axes = (0,) + tuple(range(2, input.ndim))
    bshape = (1, -1) + (1,) * (input.ndim - 2)
    x = _opmath(input)
    stat_dt = running_mean.dtype if running_mean is not None else input.dtype
    if training:
        n = x.size // x.shape[1]
        mean = jnp.mean(x, axis=axes)
        var_sum = jnp.sum(jnp.square(x - mean.reshape(bshape)), axis=axes)
        var = var_sum / n
        invstd = lax.rsqrt(var + np.asarray(eps, x.dtype))
        new_rm = new_rv = None
        if running_mean is not None:
            rm = lax.stop_gradient(mean).astype(running_mean.dtype)
            new_rm = momentum * rm + (1 - momentum) * running_mean
        if running_var is not None:
            unbiased = lax.stop_gradient(var_sum / (n - 1)).astype(running_var.dtype)
            new_rv = momentum * unbiased + (1 - momentum) * running_var
        save_mean, save_invstd = mean.astype(stat_dt), invstd.astype(stat_dt)
    else:
        mean = running_mean.astype(x.dtype)
        invstd = lax.rsqrt(running_var.astype(x.dtype) + np.asarray(eps, x.dtype))
        new_rm = new_rv = None
        save_mean = save_invstd = jnp.zeros((0,), stat_dt)
    out = (x - mean.reshape(bshape)) * invstd.reshape(bshape)
    if weight is not None:
        out = out * weight.astype(x.dtype).reshape(bshape)
    if bias is not None:
        out = out + bias.astype(x.dtype).reshape(bshape)
    return out.astype(input.dtype), save_mean, save_invstd, new_rm, new_rv


@_declared(
    "native_batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, "
    "bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor, Tensor, Tensor)",
    promote="none",
    out=False,
    grad="NativeBatchNormBackward0",
    no_edge=("running_mean", "running_var"),
)
def _native_batch_norm_op(input, weight, bias, running_mean, running_var, training, momentum, eps):
    out, save_mean, save_invstd, new_rm, new_rv = _bn_forward(
        input, weight, bias, running_mean, running_var, training, momentum, eps
    )
    # the running statistics come back as extra outputs (written into the buffers by the caller)
    none = jnp.zeros((0,), out.dtype)
    return (
        out,
        save_mean,
        save_invstd,
        none if new_rm is None else new_rm,
        none if new_rv is None else new_rv,
    )


def _write_stat(buf, value):
    """Store an updated running statistic in place (torch's kernel writes the buffer directly)."""
    v = value._v()
    buf._write(v.astype(buf._dtype._np) if v.dtype != buf._dtype._np else v)


def native_batch_norm(
    input, weight, bias, running_mean, running_var, training, momentum, eps, *, out=None
):
    """torch.native_batch_norm -> (output, save_mean, save_invstd), ATen's CPU kernel.

    Training: batch statistics (``save_invstd = 1 / sqrt(var + eps)``, biased var) and, when given,
    the running statistics updated in place. Evaluation: the running statistics normalise the
    input and ``save_mean`` / ``save_invstd`` are empty."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"native_batch_norm(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if input.numel() == 0:
        raise RuntimeError(
            f"input tensor must have at least one element, but got input_sizes = {_sizes(input.shape)}"
        )
    _check_float("batch_norm", input)
    c = input.shape[wrap_dim(1, input.dim())]
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(
            f"running_{'mean' if running_mean is None else 'var'} must be defined in evaluation mode"
        )
    for name, t in (
        ("weight", weight),
        ("bias", bias),
        ("running_mean", running_mean),
        ("running_var", running_var),
    ):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    res = R.call(
        _native_batch_norm_op,
        (
            input,
            weight,
            bias,
            running_mean,
            running_var,
            bool(training),
            float(momentum),
            float(eps),
        ),
    )
    o, save_mean, save_invstd, new_rm, new_rv = res
    if training:
        if running_mean is not None:
            _write_stat(running_mean, new_rm)
        if running_var is not None:
            _write_stat(running_var, new_rv)
    result = (o, save_mean.detach(), save_invstd.detach())
    if out is not None:
        return R._write_out(_native_batch_norm_op, list(result), out)
    return result


def batch_norm(
    input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled
):
    """torch.batch_norm: ATen's _batch_norm_impl_index checks, then native_batch_norm's output.

    An empty input gives ``input.clone() * weight[0] + bias[0]`` (torch keeps the graph alive)."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"batch_norm(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if input.numel() == 0:
        o = input.clone()
        if weight is not None:
            o = o * weight[0]
        if bias is not None:
            o = o + bias[0]
        return o
    c = input.shape[wrap_dim(1, input.dim())]
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None:
            if t.numel() != c:
                raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
        elif not training:
            raise RuntimeError(f"{name} must be defined in evaluation mode")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    return native_batch_norm(
        input, weight, bias, running_mean, running_var, training, momentum, eps
    )[0]


def _verify_batch_size(size):
    size_prods = size[0]
    for i in range(len(size) - 2):
        size_prods *= size[i + 2]
    if size_prods == 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {size}"
        )


def f_batch_norm(
    input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5
):
    """F.batch_norm: torch's Python checks (batch size, eps), then torch.batch_norm."""
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    elif eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    return batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, True)


# ------------------------------------------------------------------ instance norm


def instance_norm(
    input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled
):
    """torch.instance_norm: ATen's composite over batch_norm of the (1, N * C, ...) view."""
    if not (use_input_stats or (running_mean is not None and running_var is not None)):
        raise RuntimeError(
            "Expected running_mean and running_var to be defined when use_input_stats is false"
        )
    shape = list(input.shape)
    b, c = input.shape[0], input.shape[1]
    shape[1] = b * c
    shape[0] = 1

    def rep(t):
        return t.repeat(b) if t is not None else None

    rm_, rv_ = rep(running_mean), rep(running_var)
    out = batch_norm(
        input.contiguous().view(shape),
        rep(weight),
        rep(bias),
        rm_,
        rv_,
        use_input_stats,
        momentum,
        eps,
        cudnn_enabled,
    )
    with grad_mode.no_grad():
        if running_mean is not None:
            running_mean.copy_(rm_.view(b, c).mean(0, False))
        if running_var is not None:
            running_var.copy_(rv_.view(b, c).mean(0, False))
    return out.view(input.shape)


def _verify_spatial_size(size):
    size_prods = 1
    for i in range(2, len(size)):
        size_prods *= size[i]
    if size_prods == 1:
        raise ValueError(
            f"Expected more than 1 spatial element when training, got input size {size}"
        )


def f_instance_norm(
    input,
    running_mean=None,
    running_var=None,
    weight=None,
    bias=None,
    use_input_stats=True,
    momentum=0.1,
    eps=1e-5,
):
    """F.instance_norm: torch's spatial-size check, then torch.instance_norm."""
    if use_input_stats:
        _verify_spatial_size(input.size())
    return instance_norm(
        input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, True
    )


# ------------------------------------------------------------------ layer norm


def _check_normalized(name, input, normalized_shape, weight, bias=None, check_bias=True):
    """ATen's _check_layer_norm_inputs / _check_rms_norm_inputs (same messages)."""
    ns = list(normalized_shape)
    if len(ns) < 1:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got "
            f"normalized_shape = {_sizes(ns)}"
        )
    if weight is not None and list(weight.shape) != ns:
        raise RuntimeError(
            f"Expected weight to be of same shape as normalized_shape, but got weight of shape {_sizes(weight.shape)} "
            f"and normalized_shape = {_sizes(ns)}"
        )
    if check_bias and bias is not None and list(bias.shape) != ns:
        raise RuntimeError(
            f"Expected bias to be of same shape as normalized_shape, but got bias of shape {_sizes(bias.shape)} "
            f"and normalized_shape = {_sizes(ns)}"
        )
    shp = list(input.shape)
    if len(shp) < len(ns) or shp[len(shp) - len(ns) :] != ns:
        raise RuntimeError(
            f"Given normalized_shape={_sizes(ns)}, expected input with shape [*"
            + "".join(f", {s}" for s in ns)
            + f"], but got input of size{_sizes(shp)}"
        )


def _check_layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    _check_normalized("layer_norm", input, normalized_shape, weight, bias)
    _check_float("LayerNormKernelImpl", input)


@_declared(
    "native_layer_norm(Tensor input, int[] normalized_shape, Tensor? weight, Tensor? bias, float eps) "
    "-> (Tensor, Tensor, Tensor)",
    promote="none",
    out=False,
    grad="NativeLayerNormBackward0",
    check=_check_layer_norm,
)
def _native_layer_norm_op(input, normalized_shape, weight, bias, eps):
    axes = tuple(range(input.ndim - len(normalized_shape), input.ndim))
    x = _opmath(input)
    mean = jnp.mean(x, axis=axes, keepdims=True)
    var = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True)
    rstd = lax.rsqrt(var + np.asarray(eps, x.dtype))
    out = (x - mean) * rstd
    if weight is not None:
        out = out * weight.astype(x.dtype)
    if bias is not None:
        out = out + bias.astype(x.dtype)
    return out.astype(input.dtype), mean.astype(input.dtype), rstd.astype(input.dtype)


def native_layer_norm(input, normalized_shape, weight, bias, eps):
    """torch.native_layer_norm -> (output, mean, rstd); mean/rstd keep the normalised dims as size 1
    and, as in torch, carry no gradient."""
    o, mean, rstd = R.call(_native_layer_norm_op, (input, normalized_shape, weight, bias, eps))
    return o, mean.detach(), rstd.detach()


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True):
    """torch.layer_norm: native_layer_norm's output (grad_fn ``NativeLayerNormBackward0``)."""
    return R.call(_native_layer_norm_op, (input, normalized_shape, weight, bias, eps))[0]


def f_layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """F.layer_norm."""
    return layer_norm(input, normalized_shape, weight, bias, eps, True)


# ------------------------------------------------------------------ group norm


def _check_native_group_norm(input, weight, bias, N, C, HxW, group, eps):
    _check_float("GroupNormKernelImpl", input)
    if input.numel() != N * C * HxW:
        raise RuntimeError(
            f"Expected input to have {N * C * HxW} elements, but got {input.numel()}"
        )
    if group <= 0 or C % group != 0:
        raise RuntimeError(
            f"Expected number of channels in input to be divisible by num_groups, but got input of shape "
            f"{_sizes(input.shape)} and num_groups={group}"
        )


@op(
    "native_group_norm(Tensor input, Tensor? weight, Tensor? bias, int N, int C, int HxW, int group, float eps) "
    "-> (Tensor, Tensor, Tensor)",
    promote="none",
    out=False,
    check=_check_native_group_norm,
)
def native_group_norm(input, weight, bias, N, C, HxW, group, eps):
    x = _opmath(input).reshape(N, group, (C // group) * HxW)
    mean = jnp.mean(x, axis=2)
    var = jnp.mean(jnp.square(x - mean[..., None]), axis=2)
    rstd = lax.rsqrt(var + np.asarray(eps, x.dtype))
    out = ((x - mean[..., None]) * rstd[..., None]).reshape(N, C, HxW)
    if weight is not None:
        out = out * weight.astype(x.dtype).reshape(1, C, 1)
    if bias is not None:
        out = out + bias.astype(x.dtype).reshape(1, C, 1)
    return (
        out.reshape(input.shape).astype(input.dtype),
        mean.astype(input.dtype),
        rstd.astype(input.dtype),
    )


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True):
    """torch.group_norm: ATen's checks, then native_group_norm's output."""
    n, c = input.shape[0], input.shape[1]
    if num_groups <= 0 or c % num_groups != 0:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input of shape "
            f"{_sizes(input.shape)} and num_groups={num_groups}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in input, but got {name} of "
                f"shape {_sizes(t.shape)} and input of shape {_sizes(input.shape)}"
            )
    hxw = 1
    for s in input.shape[2:]:
        hxw *= s
    return native_group_norm(input.contiguous(), weight, bias, n, c, hxw, num_groups, eps)[0]


def f_group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """F.group_norm: torch's Python checks (dims, batch size), then torch.group_norm."""
    if input.dim() < 2:
        raise RuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.dim()}"
        )
    _verify_batch_size(
        [input.size(0) * input.size(1) // num_groups, num_groups] + list(input.size()[2:])
    )
    return group_norm(input, num_groups, weight, bias, eps, True)


# ------------------------------------------------------------------ rms norm


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """torch.rms_norm: ATen's composite ``(x * rsqrt(mean(x^2, normalized dims) + eps)).type_as(x) * weight``
    in opmath; ``eps=None`` is the opmath dtype's machine epsilon."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"rms_norm(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    _check_normalized("rms_norm", input, normalized_shape, weight, check_bias=False)
    dt = input._dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise kernel_error("rms_norm", dt)
    dims = [input.dim() - i - 1 for i in range(len(normalized_shape))]
    opmath = D.float32 if dt in (D.float16, D.bfloat16) else dt
    eps_val = float(np.finfo(opmath._np).eps) if eps is None else float(eps)
    if dt in (D.float16, D.bfloat16):  # torch holds eps as scalar_t
        eps_val = float(np.asarray(eps_val, np.float32).astype(dt._np))
    up = input.to(opmath)
    rsq = up.pow(2).mean(dims, keepdim=True).add_(eps_val).rsqrt()
    result = up.mul(rsq).type_as(input)
    if weight is not None:
        result = result.mul(weight)
    return result


# ------------------------------------------------------------------ local response norm


def _check_lrn(input, size, alpha=1e-4, beta=0.75, k=1.0):
    if input.dim() < 3:
        raise ValueError(
            f"Expected 3D or higher dimensionality                          input (got {input.dim()} dimensions)"
        )


@op(
    "local_response_norm(Tensor input, int size, float alpha=0.0001, float beta=0.75, float k=1.0) -> Tensor",
    namespace=NF,
    promote="none",
    out=False,
    check=_check_lrn,
    grad="DivBackward0",
)
def _local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    sq = input * input
    c = input.shape[1]
    lo, hi = size // 2, (size - 1) // 2
    pad = [(0, 0)] * input.ndim
    pad[1] = (lo, hi)
    sp = jnp.pad(sq, pad)
    win = sum(lax.slice_in_dim(sp, j, j + c, axis=1) for j in range(size))
    if jnp.issubdtype(input.dtype, jnp.floating):
        div = win / np.asarray(size, win.dtype)
    else:  # avg_pool of integers: integer division
        div = win // size
    fdt = input.dtype if jnp.issubdtype(input.dtype, jnp.floating) else D.get_default_dtype()._np
    div = (div.astype(fdt) * np.asarray(alpha, fdt) + np.asarray(k, fdt)) ** np.asarray(beta, fdt)
    return input.astype(fdt) / div


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """F.local_response_norm: ``input / (k + alpha * avg of squares over size channels) ** beta``
    (an empty input is returned as is)."""
    _check_lrn(input, size)
    if input.numel() == 0:
        return input
    return R.call(_local_response_norm._op, (input, size, alpha, beta, k))


# ------------------------------------------------------------------ registration

for _name, _fn in (
    ("native_batch_norm", native_batch_norm),
    ("batch_norm", batch_norm),
    ("instance_norm", instance_norm),
    ("native_layer_norm", native_layer_norm),
    ("layer_norm", layer_norm),
    ("group_norm", group_norm),
    ("rms_norm", rms_norm),
):
    register_function(_name, _fn)

R.namespace(NF).local_response_norm = local_response_norm
for _name, _fn in (
    ("batch_norm", f_batch_norm),
    ("instance_norm", f_instance_norm),
    ("layer_norm", f_layer_norm),
    ("group_norm", f_group_norm),
    ("rms_norm", rms_norm),
):
    _fn.__name__ = _name
    register_function(_name, _fn, NF)
