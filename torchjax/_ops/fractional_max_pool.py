"""Fractional max pooling (ATen's FractionalMaxPool2d.cpp / FractionalMaxPool3d.cpp and
torch/nn/functional.py): torch.nn.functional.fractional_max_pool2d/3d (and their ``_with_indices``
forms).

The front ends are torch's Python: ``output_ratio`` becomes ``int(size * ratio)``, and without
``_random_samples`` one uniform sample per (batch, plane, spatial dim) is drawn with
``torchjax.rand(n_batch, C, k, dtype=input.dtype)`` from the torchjax generator.

The kernels are ops with torch's grad_fn names (``FractionalMaxPool2DBackward0`` ...). Window
starts are ATen's ``generate_intervals`` computed in the input's dtype:
``alpha = (in - pool) / (out - 1)``, ``start[i] = int((i + u) * alpha) - int(u * alpha)`` and the
last window ends at the input's edge. Each output is the first maximum of its ``pool``-sized window
in scan order, a NaN replacing any earlier pick (``val > max || isnan(val)``); indices are flat
within the plane (``h * W + w``, ``t * H * W + ...``). The values are gathered at those indices, so
the gradient goes to exactly the chosen element (torch's backward scatter-adds to the indices).
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function
from .pointwise import kernel_error

NF = "nn.functional"
_DIM_NAMES = {2: ("height", "width"), 3: ("time", "height", "width")}


def _sizes(t):
    return "[" + ", ".join(map(str, t.shape)) + "]"


def _make_check(k):
    name = f"fractional_max_pool{k}d"
    fn = f"{name}()" if k == 2 else f"{name}_out()"
    tail = "Ints" if k == 2 else "three Ints"

    def check(self, kernel_size, output_size, random_samples):
        for n, t in (("input", self), ("random_samples", random_samples)):
            if not isinstance(t, Tensor):
                raise TypeError(f"{name}(): argument '{n}' must be Tensor, not {type(t).__name__}")
        if len(kernel_size) != k:
            raise RuntimeError(
                f"{name}: kernel_size must either be a single Int or tuple of {tail}"
            )
        if len(output_size) != k:
            raise RuntimeError(
                f"{name}: output_size must either be a single Int or tuple of {tail}"
            )
        nd = self.dim()
        if nd not in (k + 1, k + 2):
            raise RuntimeError(
                f"{fn}: Expected {k + 1}D or {k + 2}D tensor, but got: {_sizes(self)}"
            )
        for i in range(1, nd):
            if self.shape[i] <= 0:
                raise RuntimeError(
                    f"{fn}: Expected input to have non-zero size for non-batch dimensions, but got"
                    f"{_sizes(self)} with dimension {i} being empty."
                )
        for what, o, p, n in zip(_DIM_NAMES[k], output_size, kernel_size, self.shape[-k:]):
            # 2-d allows the last window to end at the edge; 3-d requires strictly less (ATen's checks)
            if (o + p - 1 > n) if k == 2 else (o + p - 1 >= n):
                raise RuntimeError(f"{fn}: pool {what} {p} too large relative to input {what} {n}")
        if random_samples.dim() != 3:
            raise RuntimeError(
                f"Expect _random_samples to have 3 dimensions, got {random_samples.dim()}"
            )
        n_batch = self.shape[0] if nd == k + 2 else 1
        if random_samples.shape[0] < n_batch:
            raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
        if random_samples.shape[1] != self.shape[-k - 1]:
            raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
        if random_samples.shape[2] != k:
            raise RuntimeError(
                f"Expect _random_samples.size(2) equals to {k}; got {random_samples.shape[2]}."
            )
        if random_samples.dtype is not self.dtype:
            raise RuntimeError("Expect _random_samples to have the same dtype as input")
        dt = self.dtype
        if not dt.is_floating_point or dt.is_complex or dt.itemsize < 2:
            raise kernel_error(f"{name}_out_frame", dt)

    return check


def _intervals(u, in_size, out_size, pool):
    """ATen's generate_intervals in the samples' dtype: (..., out_size) int32 window starts."""
    dt = u.dtype
    i = jnp.arange(out_size).astype(dt)
    if out_size > 1:
        alpha = jnp.asarray(in_size - pool, dt) / jnp.asarray(out_size - 1, dt)
        seq = ((i + u[..., None]) * alpha).astype(np.int32) - (u * alpha).astype(np.int32)[
            ..., None
        ]
    else:
        seq = jnp.zeros(u.shape + (out_size,), np.int32)
    return seq.at[..., out_size - 1].set(in_size - pool) if out_size > 0 else seq


def _fractional(x, kernel_size, output_size, samples):
    k = len(kernel_size)
    batched = x.ndim == k + 2
    if not batched:
        x = x[None]
    n, c = x.shape[:2]
    sizes = x.shape[2:]
    if n == 0 or 0 in output_size:
        shape = (n, c) + tuple(output_size)
        out = (jnp.zeros(shape, x.dtype), jnp.zeros(shape, np.int64))
        return out if batched else (out[0][0], out[1][0])
    u = samples[:n]  # (N, C, k): 2-d samples are (w, h), 3-d samples (t, h, w), as ATen reads them
    # per spatial dim d (in D/H/W order): absolute positions (N, C, out_d, pool_d)
    pos = []
    for d in range(k):
        starts = _intervals(
            u[..., k - 1 - d if k == 2 else d], sizes[d], output_size[d], kernel_size[d]
        )
        pos.append(starts[..., None] + jnp.arange(kernel_size[d], dtype=np.int32))
    # flat in-plane index of every window element: (N, C, o_0, ..., o_{k-1}, p_0, ..., p_{k-1})
    flat = 0
    for d in range(k):
        shape = [n, c] + [1] * (2 * k)
        shape[2 + d] = output_size[d]
        shape[2 + k + d] = kernel_size[d]
        stride = int(np.prod(sizes[d + 1 :], dtype=np.int64))
        flat = flat + pos[d].astype(np.int64).reshape(shape) * stride
    flat = jnp.broadcast_to(flat, (n, c) + tuple(output_size) + tuple(kernel_size))
    win = flat.reshape((n, c) + tuple(output_size) + (-1,))
    plane = x.reshape(n, c, -1)
    vals = jnp.take_along_axis(plane, win.reshape(n, c, -1), axis=2).reshape(win.shape)
    w = win.shape[-1]
    first_max = jnp.argmax(jnp.where(jnp.isnan(vals), -jnp.inf, vals), axis=-1)
    nan = jnp.isnan(vals)
    last_nan = w - 1 - jnp.argmax(nan[..., ::-1], axis=-1)
    choice = jnp.where(jnp.any(nan, axis=-1), last_nan, first_max)
    idx = jnp.take_along_axis(win, choice[..., None], axis=-1)[..., 0]
    out = jnp.take_along_axis(plane, idx.reshape(n, c, -1), axis=2).reshape(idx.shape)
    return (out, idx) if batched else (out[0], idx[0])


def _declare(k):
    def kernel(self, kernel_size, output_size, random_samples):
        return _fractional(self, tuple(kernel_size), tuple(output_size), random_samples)

    kernel.__doc__ = f"torch._C._nn.fractional_max_pool{k}d (ATen's kernel, see the module doc)."
    op(
        f"fractional_max_pool{k}d(Tensor self, int[{k}] kernel_size, int[{k}] output_size, Tensor random_samples) "
        "-> (Tensor output, Tensor indices)",
        function=False,
        promote="none",
        check=_make_check(k),
        grad=f"FractionalMaxPool{k}DBackward0",
        out=False,
        no_edge=("random_samples",),
    )(kernel)
    return R.OPS[f"fractional_max_pool{k}d"]


_KERNELS = {2: _declare(2), 3: _declare(3)}


def _ntuple(v, n):
    if isinstance(v, Tensor):
        v = v.tolist()
    try:
        return tuple(iter(v))
    except TypeError:
        return (v,) * n


def _with_indices(k, input, kernel_size, output_size, output_ratio, _random_samples):
    import torchjax

    name = f"fractional_max_pool{k}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if k == 2 and len(output_ratio) > 2:
            raise ValueError(
                f"{name} requires output_ratio to either be a single Int or tuple of Ints."
            )
        ratio = _ntuple(output_ratio, k)
        output_size = [int(input.size(-k + d) * ratio[d]) for d in range(k)]
    if _random_samples is None:
        n_batch = 1 if input.dim() == k + 1 else input.size(0)
        _random_samples = torchjax.rand(
            n_batch, input.size(-k - 1), k, dtype=input.dtype, device=input.device
        )
    return R.call(
        _KERNELS[k],
        (input, list(_ntuple(kernel_size, k)), list(_ntuple(output_size, k)), _random_samples),
    )


def fractional_max_pool2d_with_indices(
    input,
    kernel_size,
    output_size=None,
    output_ratio=None,
    return_indices=False,
    _random_samples=None,
):
    """torch.nn.functional.fractional_max_pool2d_with_indices: (values, indices)."""
    return _with_indices(2, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool3d_with_indices(
    input,
    kernel_size,
    output_size=None,
    output_ratio=None,
    return_indices=False,
    _random_samples=None,
):
    """torch.nn.functional.fractional_max_pool3d_with_indices: (values, indices)."""
    return _with_indices(3, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool2d(
    input,
    kernel_size,
    output_size=None,
    output_ratio=None,
    return_indices=False,
    _random_samples=None,
):
    """torch.nn.functional.fractional_max_pool2d (values, or (values, indices) with return_indices)."""
    out, idx = fractional_max_pool2d_with_indices(
        input, kernel_size, output_size, output_ratio, return_indices, _random_samples
    )
    return (out, idx) if return_indices else out


def fractional_max_pool3d(
    input,
    kernel_size,
    output_size=None,
    output_ratio=None,
    return_indices=False,
    _random_samples=None,
):
    """torch.nn.functional.fractional_max_pool3d (values, or (values, indices) with return_indices)."""
    out, idx = fractional_max_pool3d_with_indices(
        input, kernel_size, output_size, output_ratio, return_indices, _random_samples
    )
    return (out, idx) if return_indices else out


for _f in (
    fractional_max_pool2d_with_indices,
    fractional_max_pool3d_with_indices,
    fractional_max_pool2d,
    fractional_max_pool3d,
):
    register_function(_f.__name__, _f, NF)
