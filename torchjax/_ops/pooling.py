"""Pooling (ATen's Pooling.cpp, DilatedMaxPool2d/3d.cpp, AveragePool2d/3d.cpp, AdaptiveAveragePooling*,
AdaptiveMaxPooling*): max_pool1d/2d/3d (with indices), avg_pool1d/2d/3d, adaptive_avg_pool1d/2d/3d,
adaptive_max_pool1d/2d/3d, as torch.* and torch.nn.functional.* functions.

The 2-d and 3-d kernels are ops carrying torch's grad_fn names (``MaxPool2DWithIndicesBackward0``,
``AvgPool3DBackward0`` ...); the 1-d front ends run the 2-d kernel on ``unsqueeze(-2)`` and squeeze
back, as ATen does (so their grad_fn is ``SqueezeBackward1``).

Max pooling returns torch's indices (flat within each input plane: ``h * W + w``), chosen as
torch's CPU kernel chooses them: the first maximum of the window, a NaN over any number, padding
never chosen. The output is gathered at those indices, so the gradient goes to exactly that
element (torch's ``max_pool2d_with_indices_backward``), ties included.
"""

from __future__ import annotations

import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import op, register_function
from .pointwise import kernel_error

NF = "nn.functional"
_WORDS = {1: "one", 2: "two", 3: "three"}


# ------------------------------------------------------------------ argument handling


def _tuple(v, k, what, name):
    """torch's ``kernel_size must either be a single int, or a tuple of two ints`` normalisation."""
    if v is None:
        return None
    if isinstance(v, Tensor):
        v = v.tolist()
    if isinstance(v, int):
        return (v,) * k
    v = tuple(v)
    if len(v) == 1:
        return v * k
    if len(v) == 0 and what == "stride":
        return ()
    if len(v) != k:
        if what == "stride":
            raise RuntimeError(
                f"{name}: stride must either be omitted, a single int, or a tuple of {_WORDS[k]} ints"
            )
        if what == "dilation":
            raise RuntimeError(
                f"{name}: dilation must be either a single int, or a tuple of {_WORDS[k]} ints"
            )
        raise RuntimeError(
            f"{name}: {what} must either be a single int, or a tuple of {_WORDS[k]} ints"
        )
    return v


def pool_out_size(size, k, pad, stride, dilation, ceil_mode):
    """ATen's ``pooling_output_shape``."""
    num = size + 2 * pad - dilation * (k - 1) - 1 + (stride - 1 if ceil_mode else 0)
    out = num // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _pool_shape_check(name, x, k, ks, st, pd, dl, ceil_mode):
    """pooling_output_shape + pool2d/pool3d_shape_check: torch's order of checks and messages."""
    nd = x.dim()
    for s in st:
        if s == 0:
            raise RuntimeError("stride should not be zero")
    for p in pd:
        if p < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
    for p, kk, d in zip(pd, ks, dl):
        if p > ((kk - 1) * d + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, kernel_size={kk} and "
                f"dilation={d}"
            )
    letters = ("T", "H", "W")[3 - k :]
    if any(kk <= 0 for kk in ks):
        raise RuntimeError(
            "kernel size should be greater than zero, but got "
            + " ".join(f"k{c}: {v}" for c, v in zip(letters, ks))
        )
    if any(s <= 0 for s in st):
        raise RuntimeError(
            "stride should be greater than zero, but got "
            + " ".join(f"d{c}: {v}" for c, v in zip(letters, st))
        )
    if any(d <= 0 for d in dl):
        raise RuntimeError(
            "dilation should be greater than zero, but got "
            + " ".join(f"dilation{c}: {v}" for c, v in zip(letters, dl))
        )
    if nd not in (k + 1, k + 2):
        raise RuntimeError(f"non-empty {k + 1}D or {k + 2}D (batch mode) tensor expected for input")
    if any(n == 0 for n in x.shape[nd - k - 1 :]):
        raise RuntimeError(
            f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with optional 0 dim batch size for input, but "
            f"got:[{', '.join(map(str, x.shape))}]"
        )
    sizes = x.shape[-k:]
    outs = [
        pool_out_size(n, kk, p, s, d, ceil_mode) for n, kk, p, s, d in zip(sizes, ks, pd, st, dl)
    ]
    if any(o < 1 for o in outs):
        c = x.shape[-k - 1]
        raise RuntimeError(
            f"Given input size: ({'x'.join(map(str, (c,) + tuple(sizes)))}). Calculated output size: "
            f"({'x'.join(map(str, (c,) + tuple(outs)))}). Output size is too small"
        )


def _norm(name, k, kernel_size, stride, padding, dilation=1):
    ks = _tuple(kernel_size, k, "kernel_size", name)
    st = _tuple(stride, k, "stride", name)
    if not st:
        st = ks
    pd = _tuple(padding, k, "padding", name)
    dl = _tuple(dilation, k, "dilation", name)
    return ks, st, pd, dl


# ------------------------------------------------------------------ max selection with torch's ties


def _better(a, ai, b, bi):
    """Does (a, ai) win over (b, bi) in torch's scan order: NaN beats numbers (the later NaN wins),
    otherwise the larger value, equal values -> the earlier index."""
    if jnp.issubdtype(a.dtype, jnp.floating):
        an, bn = jnp.isnan(a), jnp.isnan(b)
        return (an & ~bn) | (an & bn & (ai > bi)) | (~an & ~bn & ((a > b) | ((a == b) & (ai < bi))))
    return (a > b) | ((a == b) & (ai < bi))


def _pick(x, y):
    a, ai = x
    b, bi = y
    w = _better(a, ai, b, bi)
    return jnp.where(w, a, b), jnp.where(w, ai, bi)


_NOWHERE = np.iinfo(np.int64).max


def _lowest(dt):
    if jnp.issubdtype(dt, jnp.floating):
        return np.array(-np.inf, dt)
    if dt == np.bool_:
        return np.array(False)
    return np.array(np.iinfo(dt).min, dt)


def _gather_flat(x, idx, k):
    """x[..., *spatial] at flat plane indices ``idx`` (..., *out)."""
    lead = x.shape[:-k]
    flat = x.reshape(lead + (-1,))
    out = jnp.take_along_axis(
        flat, jnp.clip(idx, 0, flat.shape[-1] - 1).reshape(lead + (-1,)), axis=-1
    )
    return out.reshape(idx.shape)


def max_pool_nd(x, k, ks, st, pd, dl, ceil_mode):
    """(values, int64 flat indices) of an N-d max pool over the last ``k`` dims."""
    sizes = x.shape[-k:]
    outs = [
        pool_out_size(n, kk, p, s, d, ceil_mode) for n, kk, p, s, d in zip(sizes, ks, pd, st, dl)
    ]
    lead = x.ndim - k
    hi = [
        max(0, (o - 1) * s + d * (kk - 1) + 1 - p - n)
        for o, s, d, kk, p, n in zip(outs, st, dl, ks, pd, sizes)
    ]
    iota = jnp.broadcast_to(jnp.arange(math.prod(sizes), dtype=np.int64).reshape(sizes), x.shape)
    _, idx = lax.reduce_window(
        (lax.stop_gradient(x), iota),
        (_lowest(x.dtype), np.int64(_NOWHERE)),
        _pick,
        window_dimensions=(1,) * lead + tuple(ks),
        window_strides=(1,) * lead + tuple(st),
        padding=[(0, 0)] * lead + [(p, h) for p, h in zip(pd, hi)],
        window_dilation=(1,) * lead + tuple(dl),
    )
    idx = idx[(Ellipsis,) + tuple(slice(0, o) for o in outs)]
    return _gather_flat(x, idx, k), idx


# ------------------------------------------------------------------ max_pool2d / max_pool3d


def _make_max_pool(k):
    name = f"max_pool{k}d"

    def check(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{name}_with_indices(): argument 'input' (position 1) must be Tensor, not "
                f"{type(input).__name__}"
            )
        ks, st, pd, dl = _norm(name, k, kernel_size, stride, padding, dilation)
        if input.dtype is D.bool or input.dtype.is_complex:
            raise kernel_error(name if k == 2 else "max_pool3d_cpu", input.dtype)
        _pool_shape_check(name, input, k, ks, st, pd, dl, ceil_mode)

    @op(
        f"{name}_with_indices(Tensor input, int[{k}] kernel_size, int[{k}] stride=[], int[{k}] padding=0, "
        f"int[{k}] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)",
        namespace=NF,
        promote="none",
        check=check,
        grad=f"MaxPool{k}DWithIndicesBackward0",
        out=False,
    )
    def with_indices(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
        ks, st, pd, dl = _norm(name, k, kernel_size, stride, padding, dilation)
        return max_pool_nd(input, k, ks, st, pd, dl, ceil_mode)

    with_indices.__doc__ = (
        f"torch.nn.functional.{name}_with_indices: values and torch's flat indices."
    )
    return with_indices


max_pool2d_with_indices = _make_max_pool(2)
max_pool3d_with_indices = _make_max_pool(3)


def _max_pool_front(k, with_indices):
    def f(
        input,
        kernel_size,
        stride=None,
        padding=0,
        dilation=1,
        ceil_mode=False,
        return_indices=False,
    ):
        out, idx = with_indices(
            input, kernel_size, () if stride is None else stride, padding, dilation, ceil_mode
        )
        return (out, idx) if return_indices else out

    f.__name__ = f.__qualname__ = f"max_pool{k}d"
    f.__doc__ = (
        f"torch.nn.functional.max_pool{k}d (ceil_mode, dilation, -inf padding, return_indices with "
        "torch's flat indices)."
    )
    return f


max_pool2d = _max_pool_front(2, max_pool2d_with_indices)
max_pool3d = _max_pool_front(3, max_pool3d_with_indices)
register_function("max_pool2d", max_pool2d, NF)
register_function("max_pool3d", max_pool3d, NF)


def _torch_max_pool(k, f):
    def g(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
        return f(input, kernel_size, stride, padding, dilation, ceil_mode)

    g.__name__ = g.__qualname__ = f"max_pool{k}d"
    g.__doc__ = f"torch.max_pool{k}d (no indices)."
    return g


register_function("max_pool2d", _torch_max_pool(2, max_pool2d))
register_function("max_pool3d", _torch_max_pool(3, max_pool3d))


def _one(v, what, name):
    """max_pool1d's own int-or-size-1 argument check."""
    if v is None:
        return None
    if isinstance(v, int):
        return v
    v = tuple(v)
    if len(v) == 0 and what == "stride":
        return None
    if len(v) != 1:
        raise RuntimeError(
            f"{name}() {what} must be an int, list of ints or tuple of ints of size 1 but got size "
            f"{len(v)}"
        )
    return v[0]


def max_pool1d_with_indices(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """torch.nn.functional.max_pool1d_with_indices: max_pool2d_with_indices on unsqueeze(-2)."""
    from . import api

    name = "max_pool1d"
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    ks = _one(kernel_size, "kernel_size", name)
    st = _one(stride, "stride", name)
    st = ks if st is None else st
    pd = _one(padding, "padding", name)
    dl = _one(dilation, "dilation", name)
    if (
        input.dim() not in (2, 3)
        or any(s == 0 for s in input.shape[-2:])
        and input.dim() == 3
        or (input.dim() == 2 and input.shape[-1] == 0)
    ):
        raise RuntimeError(
            f"{name}: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got:[{', '.join(map(str, input.shape))}]"
        )
    if ks <= 0:
        raise RuntimeError(f"{name}() kernel_size must be greater than zero, but got {ks}")
    if st <= 0:
        raise RuntimeError(f"{name}() stride must be greater than zero, but got {st}")
    if pd < 0:
        raise RuntimeError(f"{name}() padding must be non-negative, but got {pd}")
    if pd > ks // 2:
        raise RuntimeError(
            f"{name}() padding should be at most half of kernel size, but got padding={pd} and "
            f"kernel_size={ks}"
        )
    if dl <= 0:
        raise RuntimeError(f"{name}() dilation must be greater than zero, but got {dl}")
    o = pool_out_size(input.shape[-1], ks, pd, st, dl, ceil_mode)
    if o <= 0:
        raise RuntimeError(f"{name}() Invalid computed output size: {o}")
    if not input.dtype.is_floating_point:
        raise kernel_error("max_pool1d_impl", input.dtype)
    out, idx = max_pool2d_with_indices(
        api.unsqueeze(input, -2), (1, ks), (1, st), (0, pd), (1, dl), ceil_mode
    )
    out, idx = api.squeeze(out, -2), api.squeeze(idx, -2)
    return (out, idx) if return_indices else out


def max_pool1d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """torch.nn.functional.max_pool1d (torch.max_pool1d without return_indices)."""
    return max_pool1d_with_indices(
        input, kernel_size, stride, padding, dilation, ceil_mode, return_indices
    )


register_function("max_pool1d", max_pool1d, NF)
register_function("max_pool1d_with_indices", max_pool1d_with_indices, NF)
register_function(
    "max_pool1d",
    lambda input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False: max_pool1d(
        input, kernel_size, stride, padding, dilation, ceil_mode
    ),
)
register_function(
    "max_pool1d_with_indices",
    lambda input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False: max_pool1d(
        input, kernel_size, stride, padding, dilation, ceil_mode, True
    ),
)


# ------------------------------------------------------------------ avg_pool


def _low(dt):
    return dt in (np.float16, jnp.bfloat16)


def _divisor_axis(n, kk, p, s, o, ceil_mode, include_pad):
    """Per-dim window counts of torch's avg_pool kernel (the divisor is their product)."""
    start = np.arange(o) * s - p
    end = np.minimum(start + kk, n + p)
    size = end - start
    cs, ce = np.maximum(start, 0), np.minimum(end, n)
    return size if include_pad else np.maximum(ce - cs, 0)


def avg_pool_nd(x, k, ks, st, pd, ceil_mode, count_include_pad, divisor_override):
    """torch's avg_pool kernel over the last ``k`` dims: sum over the in-bounds window / divisor."""
    sizes = x.shape[-k:]
    outs = [pool_out_size(n, kk, p, s, 1, ceil_mode) for n, kk, p, s in zip(sizes, ks, pd, st)]
    lead = x.ndim - k
    dt = x.dtype
    acc = np.float32 if _low(dt) else (np.int64 if not jnp.issubdtype(dt, jnp.inexact) else dt)
    hi = [max(0, (o - 1) * s + kk - p - n) for o, s, kk, p, n in zip(outs, st, ks, pd, sizes)]
    total = lax.reduce_window(
        x.astype(acc),
        np.array(0, acc),
        lax.add,
        (1,) * lead + tuple(ks),
        (1,) * lead + tuple(st),
        [(0, 0)] * lead + [(p, h) for p, h in zip(pd, hi)],
    )
    total = total[(Ellipsis,) + tuple(slice(0, o) for o in outs)]
    if divisor_override:
        div = np.full(outs, divisor_override, np.int64)
    else:
        div = np.ones((), np.int64)
        for j, (n, kk, p, s, o) in enumerate(zip(sizes, ks, pd, st, outs)):
            c = _divisor_axis(n, kk, p, s, o, ceil_mode, count_include_pad)
            div = div[..., None] * c.reshape((1,) * j + (-1,))
    if jnp.issubdtype(acc, jnp.integer):
        out = lax.div(total, jnp.broadcast_to(jnp.asarray(np.maximum(div, 1), acc), total.shape))
    else:
        out = total / jnp.asarray(div, acc)
    return out.astype(dt)


def _make_avg_pool(k):
    name = f"avg_pool{k}d"

    def check(
        input,
        kernel_size,
        stride=(),
        padding=0,
        ceil_mode=False,
        count_include_pad=True,
        divisor_override=None,
    ):
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
            )
        ks, st, pd, _ = _norm(name, k, kernel_size, stride, padding)
        if divisor_override is not None and divisor_override == 0:
            raise RuntimeError("divisor must be not zero")
        if input.dim() < k:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-input.dim()}, "
                f"{input.dim() - 1}], but got {-k - 1})"
            )
        if input.dtype is D.bool or input.dtype.is_complex:
            raise kernel_error(name if k == 2 else "avg_pool3d_out_frame", input.dtype)
        _pool_shape_check(name, input, k, ks, st, pd, (1,) * k, ceil_mode)

    @op(
        f"{name}(Tensor input, int[{k}] kernel_size, int[{k}] stride=[], int[{k}] padding=0, bool ceil_mode=False, "
        f"bool count_include_pad=True, int? divisor_override=None) -> Tensor",
        namespace=NF,
        promote="none",
        check=check,
        grad=f"AvgPool{k}DBackward0",
        saves=(),
        out=False,
    )
    def avg_pool(
        input,
        kernel_size,
        stride=(),
        padding=0,
        ceil_mode=False,
        count_include_pad=True,
        divisor_override=None,
    ):
        ks, st, pd, _ = _norm(name, k, kernel_size, stride, padding)
        return avg_pool_nd(input, k, ks, st, pd, ceil_mode, count_include_pad, divisor_override)

    avg_pool.__doc__ = (
        f"torch.nn.functional.{name} (ceil_mode, count_include_pad, divisor_override)."
    )
    return avg_pool


avg_pool2d = _make_avg_pool(2)
avg_pool3d = _make_avg_pool(3)


def _check_1d_input(input, name):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 "
            f"'self' (while checking arguments for {name})"
        )


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """torch.avg_pool1d / torch.nn.functional.avg_pool1d: avg_pool2d on unsqueeze(-2)."""
    from . import api

    def one(v, what):
        if isinstance(v, int):
            return v
        v = tuple(v)
        if len(v) != 1:
            raise RuntimeError(
                f"avg_pool1d() argument '{what}' should contain one int (got {len(v)})"
            )
        return v[0]

    ks = one(kernel_size, "kernel_size")
    st = (
        ks
        if stride is None or (not isinstance(stride, int) and len(tuple(stride)) == 0)
        else one(stride, "stride")
    )
    pd = one(padding, "padding")
    _check_1d_input(input, "avg_pool1d")
    out = avg_pool2d(
        api.unsqueeze(input, -2), (1, ks), (1, st), (0, pd), ceil_mode, count_include_pad
    )
    return api.squeeze(out, -2)


register_function("avg_pool1d", avg_pool1d, NF)
register_function("avg_pool1d", avg_pool1d)


# ------------------------------------------------------------------ adaptive pooling


def _adaptive_windows(n, o):
    """(start index (o, K) clipped, valid mask (o, K), counts (o,)) of torch's adaptive windows:
    [floor(i*n/o), ceil((i+1)*n/o))."""
    i = np.arange(o)
    start = (i * n) // o
    end = -((-(i + 1) * n) // o)
    K = int((end - start).max()) if o > 0 else 1
    idx = start[:, None] + np.arange(K)[None, :]
    mask = idx < end[:, None]
    return np.minimum(idx, n - 1), mask, end - start


def _windows(x, k, outs):
    """Gather the adaptive windows: (..., *outs, *K) values, flat plane indices and validity mask."""
    sizes = x.shape[-k:]
    lead = x.ndim - k
    idxs, masks, Ks = [], [], []
    for j, (n, o) in enumerate(zip(sizes, outs)):
        idx, mask, _ = _adaptive_windows(n, o)
        axis = lead + 2 * j
        x = jnp.take(x, jnp.asarray(idx.reshape(-1)), axis=axis)
        x = x.reshape(x.shape[:axis] + idx.shape + x.shape[axis + 1 :])
        idxs.append(idx)
        masks.append(mask)
        Ks.append(idx.shape[1])
    perm = (
        tuple(range(lead))
        + tuple(lead + 2 * j for j in range(k))
        + tuple(lead + 2 * j + 1 for j in range(k))
    )
    x = jnp.transpose(x, perm)
    flat = np.zeros(tuple(outs) + tuple(Ks), np.int64)
    valid = np.ones(tuple(outs) + tuple(Ks), bool)
    stride = 1
    for j in reversed(range(k)):
        shape = [1] * (2 * k)
        shape[j], shape[k + j] = outs[j], Ks[j]
        flat = flat + idxs[j].reshape(shape) * stride
        valid = valid & masks[j].reshape(shape)
        stride *= sizes[j]
    return x, flat, valid


def adaptive_avg_nd(x, k, outs):
    """torch's adaptive average pool over the last ``k`` dims (separably, per dim)."""
    dt = x.dtype
    if _low(dt):
        x = x.astype(np.float32)
    lead = x.ndim - k
    for j, o in enumerate(outs):
        axis = lead + j
        n = x.shape[axis]
        if o > 0 and n % o == 0:
            x = x.reshape(x.shape[:axis] + (o, n // o) + x.shape[axis + 1 :]).mean(axis=axis + 1)
            continue
        idx, mask, cnt = _adaptive_windows(n, o)
        g = jnp.take(x, jnp.asarray(idx.reshape(-1)), axis=axis)
        g = g.reshape(g.shape[:axis] + idx.shape + g.shape[axis + 1 :])
        m = mask.reshape(mask.shape + (1,) * (x.ndim - axis - 1))
        g = jnp.where(jnp.asarray(m), g, jnp.zeros((), g.dtype)).sum(axis=axis + 1)
        x = g / jnp.asarray(cnt.reshape((-1,) + (1,) * (x.ndim - axis - 1)), g.dtype)
    return x.astype(dt)


def adaptive_max_nd(x, k, outs):
    """(values, flat indices) of torch's adaptive max pool over the last ``k`` dims."""
    if 0 in outs:
        shape = x.shape[:-k] + tuple(outs)
        return jnp.zeros(shape, x.dtype), jnp.zeros(shape, np.int64)
    w, flat, valid = _windows(lax.stop_gradient(x), k, outs)
    lead = x.ndim - k
    K = int(np.prod(flat.shape[k:]))
    w = w.reshape(w.shape[: lead + k] + (K,))
    flat = flat.reshape(tuple(outs) + (K,))
    valid = valid.reshape(tuple(outs) + (K,))
    fi = jnp.broadcast_to(jnp.asarray(np.where(valid, flat, _NOWHERE)), w.shape)
    w = jnp.where(jnp.asarray(valid), w, _lowest(w.dtype))
    _, idx = lax.reduce((w, fi), (_lowest(w.dtype), np.int64(_NOWHERE)), _pick, (w.ndim - 1,))
    return _gather_flat(x, idx, k), idx


def _adaptive_size(output_size, k, x, name):
    if isinstance(output_size, Tensor):
        output_size = output_size.tolist()
    if isinstance(output_size, int):
        out = (output_size,) * k
    else:
        out = tuple(output_size)
        if len(out) == 1:
            out = out * k
    if len(out) != k:
        raise RuntimeError(f"{name}(): internal error: output_size.size() must be {k}")
    return tuple(x.shape[-k + i] if o is None else o for i, o in enumerate(out))


def _check_adaptive(name, k, input, output_size):
    """torch's checks of adaptive_{avg,max}_pool{2,3}d, in torch's order and words."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    is_max = "max" in name
    if not isinstance(output_size, int) and input.dim() <= len(tuple(output_size)):
        # torch.nn.functional's _list_with_default
        raise ValueError(f"Input dimension should be at least {len(tuple(output_size)) + 1}")
    if input.dim() not in (k + 1, k + 2):
        raise RuntimeError(
            f"{name}(): Expected {k + 1}D or {k + 2}D tensor, but got{': ' if is_max else ' '}"
            f"[{', '.join(map(str, input.shape))}]"
        )
    outs = _adaptive_size(output_size, k, input, name)
    for i in range(1, input.dim()):
        if input.shape[i] == 0:
            raise RuntimeError(
                f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input "
                f"has sizes [{', '.join(map(str, input.shape))}] with dimension {i} being empty"
            )
    neg = [o for o in outs if o < 0]
    if neg:
        if is_max:
            shape = list(input.shape[:-k]) + list(outs)
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {neg[0]}: [{', '.join(map(str, shape))}]"
            )
        body = ", ".join(map(str, outs[:2])) + ("," + str(outs[2]) if k == 3 else "")
        raise RuntimeError(
            f"{name}: elements of output_size must be greater than or equal to 0 but received {{{body}}}"
        )
    dt = input.dtype
    if not dt.is_floating_point:
        if not is_max and all(o == 1 for o in outs):
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating point or "
                f"complex dtype. Got: {dt._scalar_name}"
            )
        raise kernel_error(name, dt)


def _make_adaptive_avg(k):
    name = f"adaptive_avg_pool{k}d"

    def check(input, output_size):
        _check_adaptive(name, k, input, output_size)

    @op(
        f"{name}(Tensor input, Any output_size) -> Tensor",
        namespace=NF,
        promote="none",
        check=check,
        grad=f"AdaptiveAvgPool{k}DBackward0",
        saves=(),
        out=False,
    )
    def adaptive_avg(input, output_size):
        return adaptive_avg_nd(input, k, _adaptive_size(output_size, k, input, name))

    adaptive_avg.__doc__ = f"torch.nn.functional.{name}: windows [floor(i*n/o), ceil((i+1)*n/o))."
    return adaptive_avg


def _hashable_size(f):
    """Front end: output_size as a hashable static (list -> tuple, tensors -> ints)."""

    def g(input, output_size):
        if isinstance(output_size, Tensor):
            output_size = output_size.tolist()
        if isinstance(output_size, list):
            output_size = tuple(output_size)
        return f(input, output_size)

    g.__name__ = g.__qualname__ = f.__name__
    g.__doc__ = f.__doc__
    g._op = f._op
    return g


def _mean_if_global(k, f):
    """torch's adaptive_avg_pool{2,3}d: an all-ones output_size is ``input.mean(spatial, keepdim=True)``."""

    def g(input, output_size):
        from . import api

        if isinstance(output_size, Tensor):
            output_size = output_size.tolist()
        if isinstance(output_size, list):
            output_size = tuple(output_size)
        g_size = (output_size,) * k if isinstance(output_size, int) else output_size
        if (
            isinstance(input, Tensor)
            and input.dim() in (k + 1, k + 2)
            and len(g_size) == k
            and all(o == 1 for o in g_size)
            and input.dtype.is_floating_point
            and all(input.shape[i] > 0 for i in range(1, input.dim()))
        ):
            return api.mean(input, tuple(range(-k, 0)), True)
        return f(input, output_size)

    g.__name__ = g.__qualname__ = f.__name__
    g.__doc__ = f.__doc__
    g._op = f._op
    return g


adaptive_avg_pool2d = _mean_if_global(2, _make_adaptive_avg(2))
adaptive_avg_pool3d = _mean_if_global(3, _make_adaptive_avg(3))
R.namespace(NF).adaptive_avg_pool2d = adaptive_avg_pool2d
R.namespace(NF).adaptive_avg_pool3d = adaptive_avg_pool3d


def _make_adaptive_max(k):
    name = f"adaptive_max_pool{k}d"

    def check(input, output_size):
        _check_adaptive(name, k, input, output_size)

    @op(
        f"{name}_with_indices(Tensor input, Any output_size) -> (Tensor, Tensor)",
        namespace=NF,
        promote="none",
        check=check,
        grad=f"AdaptiveMaxPool{k}DBackward0",
        out=False,
    )
    def adaptive_max(input, output_size):
        return adaptive_max_nd(input, k, _adaptive_size(output_size, k, input, name))

    adaptive_max.__doc__ = (
        f"torch.nn.functional.{name}_with_indices: values and torch's flat indices."
    )
    return _hashable_size(adaptive_max)


adaptive_max_pool2d_with_indices = _make_adaptive_max(2)
adaptive_max_pool3d_with_indices = _make_adaptive_max(3)
R.namespace(NF).adaptive_max_pool2d_with_indices = adaptive_max_pool2d_with_indices
R.namespace(NF).adaptive_max_pool3d_with_indices = adaptive_max_pool3d_with_indices


def _adaptive_max_front(k, f):
    def g(input, output_size, return_indices=False):
        out, idx = f(input, output_size)
        return (out, idx) if return_indices else out

    g.__name__ = g.__qualname__ = f"adaptive_max_pool{k}d"
    g.__doc__ = f"torch.nn.functional.adaptive_max_pool{k}d (return_indices: torch's flat indices)."
    return g


register_function(
    "adaptive_max_pool2d", _adaptive_max_front(2, adaptive_max_pool2d_with_indices), NF
)
register_function(
    "adaptive_max_pool3d", _adaptive_max_front(3, adaptive_max_pool3d_with_indices), NF
)


def _size1(output_size, name):
    if isinstance(output_size, Tensor):
        output_size = output_size.tolist()
    if isinstance(output_size, int):
        return output_size
    v = tuple(output_size)
    if len(v) != 1:
        raise RuntimeError(f"{name}: output_size must be 1")
    return v[0]


def adaptive_avg_pool1d(input, output_size):
    """torch.adaptive_avg_pool1d / F.adaptive_avg_pool1d: adaptive_avg_pool2d on unsqueeze(-2)."""
    from . import api

    _check_1d_input(input, "adaptive_avg_pool1d")
    o = _size1(output_size, "adaptive_avg_pool1d")
    return api.squeeze(adaptive_avg_pool2d(api.unsqueeze(input, -2), (1, o)), -2)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=True):
    """torch.adaptive_max_pool1d (values, indices): adaptive_max_pool2d on unsqueeze(-2)."""
    from . import api

    _check_1d_input(input, "adaptive_max_pool1d")
    o = _size1(output_size, "adaptive_max_pool1d")
    out, idx = adaptive_max_pool2d_with_indices(api.unsqueeze(input, -2), (1, o))
    return api.squeeze(out, -2), api.squeeze(idx, -2)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """torch.nn.functional.adaptive_max_pool1d."""
    out, idx = adaptive_max_pool1d_with_indices(input, output_size)
    return (out, idx) if return_indices else out


register_function("adaptive_avg_pool1d", adaptive_avg_pool1d, NF)
register_function("adaptive_avg_pool1d", adaptive_avg_pool1d)
register_function("adaptive_max_pool1d", adaptive_max_pool1d, NF)
register_function("adaptive_max_pool1d_with_indices", adaptive_max_pool1d_with_indices, NF)
register_function("adaptive_max_pool1d", adaptive_max_pool1d_with_indices)
