"""Max unpooling and power-average pooling (ATen's MaxUnpooling.cpp and torch/nn/functional.py):
torch.nn.functional.max_unpool1d/2d/3d and lp_pool1d/2d/3d.

``max_unpool2d`` / ``max_unpool3d`` are ops with torch's grad_fn names (``MaxUnpool2DBackward0``,
``MaxUnpool3DBackward0``) and ATen's checks, in ATen's order; the indices are validated on the host
(torch's ``Found an invalid max index`` error needs their values). Each input element is written
to ``output.flatten(-k)[indices]`` of its plane; when several elements name the same location the
last one in scan order wins, as in torch's sequential CPU kernel. The backward is torch's
(``max_pool_double_backward``): every input element receives the output gradient at its index.
``max_unpool1d`` runs the 2-d op on ``unsqueeze(-1)`` as torch does (grad_fn ``SqueezeBackward1``).

``lp_pool*`` are torch's Python compositions: ``max_pool`` of ``|x|`` for ``norm_type = +-inf``,
otherwise ``(sign(avg) * relu(|avg|) * prod(kernel)) ** (1 / p)`` of ``avg_pool(x ** p)``.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function
from .pointwise import kernel_error

NF = "nn.functional"
_NAMES = {2: "(height, width)", 3: "(depth, height, width)"}


def _sizes(t):
    return "[" + ", ".join(map(str, t.shape)) + "]"


def _check_indices(self, indices, output_size):
    """The kernel's ``Found an invalid max index`` check (host side, first bad index in scan order)."""
    if self.numel() == 0 or math.prod(output_size) == 0:
        return
    idx = np.asarray(indices.detach().numpy()).reshape(-1)
    bad = np.nonzero((idx < 0) | (idx >= math.prod(output_size)))[0]
    if bad.size:
        raise RuntimeError(
            f"Found an invalid max index: {idx[bad[0]]} (output volumes are of size "
            f"{'x'.join(map(str, output_size))})"
        )


def _check_dtype(k, self):
    dt = self.dtype
    if not dt.is_floating_point or dt.is_complex or dt.itemsize < 2:
        raise kernel_error(f"max_unpool{k}d", dt)


def _check2(self, indices, output_size):
    for n, t in (("input", self), ("indices", indices)):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"max_unpool2d(): argument '{n}' must be Tensor, not {type(t).__name__}"
            )
    if indices.dtype is not D.int64:
        raise RuntimeError(
            f"elements in indices should be type int64 but got: {indices.dtype._scalar_name}"
        )
    if len(output_size) != 2:
        raise RuntimeError(
            f"There should be exactly two elements {_NAMES[2]} in output_size, but got "
            f"{len(output_size)} elements."
        )
    if self.dim() not in (3, 4):
        raise RuntimeError(
            f"Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with "
            f"{self.dim()} dimensions."
        )
    _check_common(2, self, indices, "max_unpooling2d_forward_out_cpu()")
    _check_dtype(2, self)
    _check_indices(self, indices, output_size)


def _check3(self, indices, output_size, stride, padding):
    for n, t in (("input", self), ("indices", indices)):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"max_unpool3d(): argument '{n}' must be Tensor, not {type(t).__name__}"
            )
    if indices.dtype is not D.int64:
        raise RuntimeError("elements in indices should be type int64")
    if self.dim() not in (4, 5):
        raise RuntimeError(
            f"Input to max_unpooling3d should be a 4d or 5d Tensor, but got a tensor with "
            f"{self.dim()} dimensions."
        )
    if len(output_size) != 3:
        raise RuntimeError(
            f"There should be exactly three elements {_NAMES[3]} in output_size, but got "
            f"{len(output_size)} elements."
        )
    for what, v in (("stride", stride), ("padding", padding)):
        if len(v) != 3:
            raise RuntimeError(
                f"There should be exactly three elements {_NAMES[3]} in {what}, but got: {len(v)} "
                "elements."
            )
    _check_common(3, self, indices, "max_unpooling3d_forward_out_cpu()")
    if any(s <= 0 for s in stride):
        raise RuntimeError(
            f"strides should be greater than zero, but got stride: [{', '.join(map(str, stride))}]"
        )
    _check_dtype(3, self)
    _check_indices(self, indices, output_size)


def _check_common(k, self, indices, fn_name):
    if tuple(self.shape) != tuple(indices.shape):
        raise RuntimeError(
            f"Expected shape of indices to be same as that of the input tensor ({_sizes(self)}) but "
            f"got indices tensor with shape: {_sizes(indices)}"
        )
    for i in range(1, self.dim()):
        if self.shape[i] <= 0:
            raise RuntimeError(
                f"{fn_name}: Expected input to have non-zero size for non-batch dimensions, but got "
                f"{_sizes(self)} with dimension {i} being empty."
            )


@functools.partial(jax.custom_vjp, nondiff_argnums=(2,))
def _unpool_flat(x, idx, p_out):
    """(B, P_in) values scattered to (B, P_out) at ``idx``; the last writer wins."""
    b, p_in = x.shape
    pos = jnp.broadcast_to(jnp.arange(p_in, dtype=np.int64), (b, p_in))
    rows = jnp.broadcast_to(jnp.arange(b)[:, None], (b, p_in))
    winner = jnp.full((b, p_out), -1, np.int64).at[rows, idx].max(pos)
    vals = jnp.take_along_axis(x, jnp.clip(winner, 0, p_in - 1), axis=1)
    return jnp.where(winner >= 0, vals, jnp.zeros((), x.dtype))


def _unpool_fwd(x, idx, p_out):
    return _unpool_flat(x, idx, p_out), idx


def _unpool_bwd(p_out, idx, g):
    return jnp.take_along_axis(g, idx, axis=1), None


_unpool_flat.defvjp(_unpool_fwd, _unpool_bwd)


def _unpool(self, indices, output_size):
    k = len(output_size)
    lead = self.shape[:-k]
    p_out = math.prod(output_size)
    out_shape = tuple(lead) + tuple(output_size)
    if math.prod(lead) == 0 or p_out == 0:
        return jnp.zeros(out_shape, self.dtype)
    b = math.prod(lead)
    y = _unpool_flat(self.reshape(b, -1), indices.reshape(b, -1), p_out)
    return y.reshape(out_shape)


@op(
    "max_unpool2d(Tensor self, Tensor indices, int[2] output_size) -> Tensor",
    function=False,
    promote="none",
    check=_check2,
    grad="MaxUnpool2DBackward0",
    out=False,
)
def _max_unpool2d(self, indices, output_size):
    """torch._C._nn.max_unpool2d (ATen's max_unpooling2d_forward_out_cpu)."""
    return _unpool(self, indices, tuple(output_size))


@op(
    "max_unpool3d(Tensor self, Tensor indices, int[3] output_size, int[3] stride, int[3] padding) -> Tensor",
    function=False,
    promote="none",
    check=_check3,
    grad="MaxUnpool3DBackward0",
    out=False,
)
def _max_unpool3d(self, indices, output_size, stride, padding):
    """torch._C._nn.max_unpool3d (ATen's max_unpooling3d_forward_out_cpu)."""
    return _unpool(self, indices, tuple(output_size))


_UNPOOL2D = R.OPS["max_unpool2d"]
_UNPOOL3D = R.OPS["max_unpool3d"]


# ------------------------------------------------------------------ nn.functional front ends


def _ntuple(v, n):
    """torch.nn.modules.utils._ntuple: iterables become tuples, anything else is repeated."""
    if isinstance(v, Tensor):
        v = v.tolist()
    try:
        return tuple(iter(v))
    except TypeError:
        return (v,) * n


def _unpool_output_size(input, kernel_size, stride, padding, output_size):
    """torch.nn.functional._unpool_output_size (with its ValueErrors)."""
    input_size = input.size()
    k = len(kernel_size)
    default = [
        (input_size[-k + d] - 1) * stride[d] + kernel_size[d] - 2 * padding[d] for d in range(k)
    ]
    if output_size is None:
        ret = default
    else:
        if len(output_size) == k + 2:
            output_size = output_size[2:]
        if len(output_size) != k:
            raise ValueError(
                f"output_size should be a sequence containing {k} or {k + 2} elements, but it has a "
                f"length of '{len(output_size)}'"
            )
        for d in range(k):
            lo, hi = default[d] - stride[d], default[d] + stride[d]
            if not (lo < output_size[d] < hi):
                raise ValueError(
                    f'invalid output_size "{output_size}" (dim {d} must be between {lo} and {hi})'
                )
        ret = output_size
    for d in range(k):
        if ret[d] < 0:
            raise ValueError(
                f"max_unpooling: output_size must contain non-negative spatial dimensions, but got "
                f"output_size[{d}]={ret[d]}"
            )
    return ret


def _front(k, input, indices, kernel_size, stride, padding, output_size):
    kernel_size = _ntuple(kernel_size, k)
    stride = _ntuple(stride, k) if stride is not None else kernel_size
    padding = _ntuple(padding, k)
    return (
        kernel_size,
        stride,
        padding,
        _unpool_output_size(input, kernel_size, stride, padding, output_size),
    )


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """torch.nn.functional.max_unpool1d: max_unpool2d on ``unsqueeze(-1)``, squeezed back."""
    _, _, _, out = _front(1, input, indices, kernel_size, stride, padding, output_size)
    out = list(out) + [1]
    return R.call(_UNPOOL2D, (input.unsqueeze(-1), indices.unsqueeze(-1), out)).squeeze(-1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """torch.nn.functional.max_unpool2d."""
    _, _, _, out = _front(2, input, indices, kernel_size, stride, padding, output_size)
    return R.call(_UNPOOL2D, (input, indices, list(out)))


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """torch.nn.functional.max_unpool3d."""
    _, st, pd, out = _front(3, input, indices, kernel_size, stride, padding, output_size)
    return R.call(_UNPOOL3D, (input, indices, list(out), list(st), list(pd)))


register_function("max_unpool1d", max_unpool1d, NF)
register_function("max_unpool2d", max_unpool2d, NF)
register_function("max_unpool3d", max_unpool3d, NF)


def _lp_pool(k, input, norm_type, kernel_size, stride, ceil_mode, mul):
    F = R.namespace(NF)
    import torchjax as torch

    max_pool = getattr(F, f"max_pool{k}d")
    avg_pool = getattr(F, f"avg_pool{k}d")
    if isinstance(norm_type, (int, float)):
        if norm_type == float("inf"):
            return max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        if norm_type == -float("inf"):
            return -max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if stride is not None:
        out = avg_pool(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (torch.sign(out) * F.relu(torch.abs(out))).mul(mul).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """torch.nn.functional.lp_pool1d (torch's composition, see the module doc)."""
    return _lp_pool(1, input, norm_type, kernel_size, stride, ceil_mode, kernel_size)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """torch.nn.functional.lp_pool2d (torch's composition, see the module doc)."""
    kw, kh = _ntuple(kernel_size, 2)
    return _lp_pool(2, input, norm_type, kernel_size, stride, ceil_mode, kw * kh)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """torch.nn.functional.lp_pool3d (torch's composition, see the module doc)."""
    kd, kw, kh = _ntuple(kernel_size, 3)
    return _lp_pool(3, input, norm_type, kernel_size, stride, ceil_mode, kd * kw * kh)


register_function("lp_pool1d", lp_pool1d, NF)
register_function("lp_pool2d", lp_pool2d, NF)
register_function("lp_pool3d", lp_pool3d, NF)
