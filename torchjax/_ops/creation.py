"""Factory functions: zeros, ones, full, empty, arange, linspace, logspace, eye, *_like, Tensor.new_*.

Mirrors torch's signatures (``*size`` or a size tuple, ``dtype``/``device``/``requires_grad``
keywords), dtype inference (``full`` and ``arange`` infer from their scalars) and the
``*_like`` functions' preserve_format strides. Values are computed on the host with torch's
own formulas where rounding matters (arange, linspace) and placed on the device once.
"""

from __future__ import annotations

import builtins
import math

import jax.numpy as jnp
import numpy as np

from .. import _device as Dev
from .. import _dtype as D
from .. import _storage as S
from .._creation import from_host
from .._size import Size
from .._tensor import Tensor, wrap
from ._registry import copy_into_out, register_function, register_method


def parse_size(size, name: str):
    """torch's ``*size`` convention: ints, or one tuple/list/Size, or size= keyword."""
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    out = []
    for i, s in enumerate(size):
        if isinstance(s, Tensor):
            s = s.__index__()
        if isinstance(s, builtins.bool) or not hasattr(s, "__index__"):
            raise TypeError(
                f"{name}(): argument 'size' (position 1) must be tuple of ints, but found element of "
                f"type {type(s).__name__} at pos {i}"
            )
        s = s.__index__()
        if s < 0:
            raise RuntimeError(f"{name}: Dimension size must be non-negative.")
        out.append(s)
    return tuple(out)


def _sizes(size, kwsize, name):
    if not size and kwsize is None:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if kwsize is not None:
        if size:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        size = (kwsize,)
    if len(size) == 1 and isinstance(size[0], builtins.float):
        raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, not float")
    return parse_size(size, name)


def _jax_device(device):
    return Dev.to_jax(Dev.canonical(device))


def _finish(t: Tensor, requires_grad: bool, out=None):
    if out is not None:
        copy_into_out(t._v(), out)
        return out
    if requires_grad:
        t.requires_grad_(True)
    return t


def _filled(shape, value, dtype: D.dtype, device):
    jdev = _jax_device(device)
    arr = jnp.full(shape, value, dtype=dtype._np, device=jdev)
    return wrap(arr, dtype)


def _check_layout(layout):
    if layout is not None and getattr(layout, "name", "strided") != "strided":
        raise RuntimeError(f"torchjax supports only the strided layout, got {layout}")


def zeros(
    *size,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
    **kw,
):
    """torch.zeros."""
    shape = _sizes(size, kw.pop("size", None), "zeros")
    _check_layout(layout)
    return _finish(
        _filled(shape, 0, dtype or _out_dtype(out), device or _out_dev(out)), requires_grad, out
    )


def ones(
    *size,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
    **kw,
):
    """torch.ones."""
    shape = _sizes(size, kw.pop("size", None), "ones")
    _check_layout(layout)
    return _finish(
        _filled(shape, 1, dtype or _out_dtype(out), device or _out_dev(out)), requires_grad, out
    )


def empty(
    *size,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
    memory_format=None,
    **kw,
):
    """torch.empty (zero-filled: a jax buffer is always initialised)."""
    shape = _sizes(size, kw.pop("size", None), "empty")
    _check_layout(layout)
    t = _filled(shape, 0, dtype or _out_dtype(out), device or _out_dev(out))
    if memory_format is not None:
        t = t.contiguous(memory_format=memory_format)
    return _finish(t, requires_grad, out)


def _out_dtype(out):
    return out.dtype if out is not None else D.get_default_dtype()


def _out_dev(out):
    return out.device if out is not None else None


def _scalar_fill_dtype(v):
    if isinstance(v, Tensor):
        return v.dtype
    return D.wrapped_scalar_dtype(v)


def full(
    size,
    fill_value,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """torch.full: the dtype is inferred from ``fill_value`` (bool, int64, default float/complex)."""
    shape = parse_size(
        (size,) if not isinstance(size, (tuple, list, Size)) else (tuple(size),), "full"
    )
    _check_layout(layout)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dt = dtype or (out.dtype if out is not None else _scalar_fill_dtype(fill_value))
    return _finish(_filled(shape, _fill_cast(fill_value, dt), dt, device), requires_grad, out)


def _fill_cast(v, dt: D.dtype):
    if dt._cat != D._COMPLEX and isinstance(v, builtins.complex) and v.imag != 0:
        raise RuntimeError(f"value cannot be converted to type {_C_TYPE[dt]} without overflow")
    if dt._cat == D._INT and isinstance(v, builtins.float):
        if math.isnan(v) or math.isinf(v):
            return 0
        return builtins.int(v)
    if dt._cat == D._BOOL:
        return builtins.bool(v)
    if dt._cat != D._COMPLEX and isinstance(v, builtins.complex):
        return v.real
    return v


_C_TYPE = {
    D.float64: "double",
    D.float32: "float",
    D.float16: "at::Half",
    D.bfloat16: "at::BFloat16",
    D.int64: "int64_t",
    D.int32: "int32_t",
    D.int16: "int16_t",
    D.int8: "int8_t",
    D.uint8: "uint8_t",
    D.bool: "bool",
}


def scalar_tensor(
    s, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
):
    """torch.scalar_tensor (default float dtype whatever the scalar)."""
    if isinstance(s, Tensor):
        s = s.item()
    dt = dtype or (
        D.default_complex() if isinstance(s, builtins.complex) else D.get_default_dtype()
    )
    return _finish(_filled((), _fill_cast(s, dt), dt, device), requires_grad)


def _like_strides(t: Tensor, memory_format):
    """Strides for a *_like result: preserve_format keeps a dense input's layout."""
    if memory_format is not None and memory_format.name != "preserve_format":
        from .._memory_format import strides_for

        return strides_for(t._shape, memory_format)
    st = t.stride()
    if t._stride_ is None or S.is_contiguous(t._shape, st):
        return None
    if t.is_non_overlapping_and_dense():
        return st
    # torch: sort dims by stride, then lay the result out densely in that order
    order = sorted(range(t.dim()), key=lambda d: (-st[d], -d))
    out = [0] * t.dim()
    acc = 1
    for d in reversed(order):
        out[d] = acc
        acc *= max(t._shape[d], 1)
    return tuple(out) if tuple(out) != S.contiguous_strides(t._shape) else None


def strided_new(value, shape, stride) -> Tensor:
    """A tensor owning a fresh storage laid out with ``stride`` (dense, a permutation of dims)."""
    if stride is None:
        return wrap(value)
    order = sorted(range(len(shape)), key=lambda d: -stride[d])
    buf = jnp.transpose(value, order)
    t = wrap(buf.reshape(-1))
    t._shape = tuple.__new__(Size, shape)
    t._stride_ = tuple(stride)
    t._cache = value
    return t


def _like(name, fill):
    def f(
        input,
        *,
        dtype=None,
        layout=None,
        device=None,
        requires_grad=False,
        memory_format=None,
        pin_memory=False,
        **extra,
    ):
        if not isinstance(input, Tensor):
            raise TypeError(
                f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
            )
        dt = dtype or input.dtype
        dev = device or input.device
        value = fill(input, dt, dev, **extra)
        t = strided_new(value, input._shape, _like_strides(input, memory_format))
        return _finish(t, requires_grad)

    f.__name__ = name
    f.__doc__ = f"torch.{name}: same shape (and, for dense inputs, strides) as ``input``."
    return f


def _fill_like(v):
    return lambda t, dt, dev: jnp.full(
        t._shape, _fill_cast(v, dt), dtype=dt._np, device=_jax_device(dev)
    )


zeros_like = _like("zeros_like", _fill_like(0))
ones_like = _like("ones_like", _fill_like(1))
empty_like = _like("empty_like", _fill_like(0))


def _full_like_fill(t, dt, dev, fill_value=None):
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    return jnp.full(t._shape, _fill_cast(fill_value, dt), dtype=dt._np, device=_jax_device(dev))


_full_like_impl = _like("full_like", _full_like_fill)


def full_like(
    input,
    fill_value,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
    pin_memory=False,
):
    """torch.full_like."""
    return _full_like_impl(
        input,
        dtype=dtype,
        layout=layout,
        device=device,
        requires_grad=requires_grad,
        memory_format=memory_format,
        fill_value=fill_value,
    )


def empty_strided(
    size, stride, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False
):
    """torch.empty_strided: a zero-filled storage just large enough for the layout."""
    size = parse_size((tuple(size),), "empty_strided")
    stride = tuple(builtins.int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    dt = dtype or D.get_default_dtype()
    n = 1 + sum((s - 1) * st for s, st in zip(size, stride)) if all(size) else 0
    base = _filled((n,), 0, dt, device)
    base._shape = tuple.__new__(Size, size)
    base._stride_ = stride
    base._cache_gen = -1
    return _finish(base, requires_grad)


def empty_permuted(
    size,
    physical_layout,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """torch.empty_permuted: a dense tensor of ``size`` whose dims are laid out in memory in the
    order ``physical_layout`` (outermost first); ATen's empty_permuted checks and messages."""
    size = parse_size((tuple(size),), "empty_permuted")
    physical_layout = tuple(builtins.int(d) for d in physical_layout)
    n = len(size)
    if n != len(physical_layout):
        raise RuntimeError(
            "Number of dimensions in size does not match the length of the physical_layout; i.e. len(size) = "
            f"{n} is not equal to len(physical_layout) = {len(physical_layout)}"
        )
    seen = [False] * n
    for i, d in enumerate(physical_layout):
        if not 0 <= d < n:
            raise RuntimeError(
                f"Dimension out of range (expected to be between 0 and {n - 1}, but got {d} at index {i}).  NB: "
                "negative dims not currently supported; file an issue if you want it."
            )
        if seen[d]:
            raise RuntimeError("Duplicate dim not allowed")
        seen[d] = True
    stride = [0] * n
    acc = 1
    for d in reversed(physical_layout):
        stride[d] = acc
        acc *= max(size[d], 1)
    return empty_strided(
        size, stride, dtype=dtype, layout=layout, device=device, requires_grad=requires_grad
    )


# ------------------------------------------------------------------ ranges


def _num(x):
    if isinstance(x, Tensor):
        return x.item()
    return x


def arange(
    start=0,
    end=None,
    step=1,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """torch.arange: int64 unless a bound or the step is a float; values start + i*step."""
    if end is None:
        start, end = 0, start
    start, end, step = _num(start), _num(end), _num(step)
    for v in (start, end, step):
        if not isinstance(v, (builtins.int, builtins.float, np.number)) or isinstance(
            v, builtins.complex
        ):
            raise TypeError(
                f"arange() received an invalid combination of arguments - got ({type(v).__name__})"
            )
    if dtype is None:
        if out is not None:
            dtype = out.dtype
        elif any(isinstance(v, (builtins.float, np.floating)) for v in (start, end, step)):
            dtype = D.get_default_dtype()
        else:
            dtype = D.int64
    if dtype is D.bool:  # checked before the bounds: torch has no bool arange kernel
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    # ATen's arange_check_bounds, in its order (a NaN step is not "nonzero"), then the size check
    if not (step > 0 or step < 0):
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(
            f"unsupported range: {_range_bound_str(start)} -> {_range_bound_str(end)}"
        )
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    size_d = (builtins.float(end) - builtins.float(start)) / builtins.float(step)
    if dtype._cat in (D._INT, D._BOOL):
        # torch casts start/end/step to the (int64) accumulate type first
        for v in (start, end, step):
            if not -(2.0**63) <= v < 2.0**63:
                raise RuntimeError("value cannot be converted to type int64_t without overflow")
        xs, xe, xst = (builtins.int(v) for v in (start, end, step))
        if dtype is D.int64:
            if xst == 0:  # torch's int64 arange path raises a ValueError here
                raise ValueError("step must be nonzero")
            sgn = (xst > 0) - (xst < 0)
            num = xe - xs + xst - sgn
            q = abs(num) // abs(xst)  # C integer division truncates toward zero
            n = q if (num >= 0) == (xst > 0) else -q
        else:
            n = _range_size(size_d)
        n = max(n, 0)
        host = xs + np.arange(n, dtype=np.int64) * xst
    else:
        n = max(_range_size(size_d), 0)
        acc = np.float32 if dtype in (D.float16, D.bfloat16) else np.float64
        host = acc(start) + np.arange(n, dtype=acc) * acc(step)
    t = from_host(_range_cast(host, dtype), dtype, device)
    return _finish(t, requires_grad, out)


def _range_size(size_d):
    """ceil of arange's size computed in double, refused as torch does when it overflows int64."""
    if size_d > 2.0**63 - 1:
        raise RuntimeError("invalid size, possible overflow?")
    return builtins.int(math.ceil(size_d))


def _range_bound_str(v):
    """A range bound as ATen prints it (C++ ostream: integers as such, doubles like ``%g``)."""
    if isinstance(v, (builtins.int, np.integer)):
        return str(builtins.int(v))
    return f"{builtins.float(v):g}"


def _range_cast(host, dtype):
    if dtype._cat == D._INT and host.dtype.kind == "f":
        return np.trunc(host).astype(dtype._np)
    return host.astype(dtype._np)


def range_(
    start=0,
    end=None,
    step=1,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
):
    """torch.range (deprecated): inclusive of ``end``, default float dtype."""
    import warnings

    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its behavior is "
        "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).",
        UserWarning,
        stacklevel=2,
    )
    if end is None:
        start, end = 0, start
    dtype = dtype or D.get_default_dtype()
    n = (
        builtins.int(
            math.floor((builtins.float(end) - builtins.float(start)) / builtins.float(step))
        )
        + 1
    )
    host = np.float64(start) + np.arange(max(n, 0), dtype=np.float64) * np.float64(step)
    return _finish(from_host(_range_cast(host, dtype), dtype, device), requires_grad, out)


def _two_prod(a, b):
    # Dekker: a*b = p + err exactly (float64)
    p = a * b
    split = 134217729.0

    def sp(x):
        c = split * x
        hi = c - (c - x)
        return hi, x - hi

    ah, al = sp(a)
    bh, bl = sp(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _fma64(a, b, c):
    """a*b + c with a single rounding (float64 arrays), as the compiler's FMA gives torch."""
    p, ep = _two_prod(a, b)
    s = p + c
    bb = s - p
    es = (p - (s - bb)) + (c - bb)
    return s + (ep + es)


def _linspace_host(start, end, steps, dtype: D.dtype):
    """torch's CPU linspace kernel, bit for bit.

    step = (end - start) / (steps - 1) in the output type (double for integer types); the first
    half is ``start + step*i``, the rest ``end - step*(steps-1-i)``. torch's build contracts
    these into FMAs for float/double; Half/BFloat16 round after every operation and convert
    the index to their own type first.
    """
    if steps == 0:
        return np.zeros((0,), dtype._np)
    if dtype.is_complex:
        s = np.complex128(start)
        e = np.complex128(end)
        if steps == 1:
            return np.asarray([s]).astype(dtype._np)
        step = (e - s) / (steps - 1)
        i = np.arange(steps)
        half = steps // 2
        return np.concatenate([s + step * i[:half], e - step * (steps - i[half:] - 1)]).astype(
            dtype._np
        )
    i = np.arange(steps)
    half = steps // 2
    if dtype in (D.float16, D.bfloat16):
        h = dtype._np.type
        s, e = h(start), h(end)
        if steps == 1:
            return np.asarray([s], h)
        step = h(np.float32(e - s) / np.float32(steps - 1))
        f32 = np.float32

        def term(k):
            return (f32(step) * k.astype(h).astype(f32)).astype(h).astype(f32)

        lo = (f32(s) + term(i[:half])).astype(h)
        hi = (f32(e) - term(steps - i[half:] - 1)).astype(h)
        return np.concatenate([lo, hi])
    if dtype._cat in (D._INT, D._BOOL):
        s = np.float64(np.trunc(np.float64(start)))
        e = np.float64(np.trunc(np.float64(end)))
        step = (e - s) / np.float64(max(steps - 1, 1))
    elif dtype is D.float64:
        s, e = np.float64(start), np.float64(end)
        step = (e - s) / np.float64(max(steps - 1, 1))
    else:
        s, e = np.float32(start), np.float32(end)
        step = (e - s) / np.float32(max(steps - 1, 1))
    if steps == 1:
        return np.asarray([s]).astype(dtype._np)
    k = i.astype(np.float64)
    lo = _fma64(np.full(half, np.float64(step)), k[:half], np.full(half, np.float64(s)))
    hi = _fma64(
        np.full(steps - half, -np.float64(step)),
        steps - k[half:] - 1,
        np.full(steps - half, np.float64(e)),
    )
    res = np.concatenate([lo, hi])
    if dtype._cat == D._INT:
        return np.trunc(res).astype(dtype._np)
    if dtype._cat == D._BOOL:
        return res != 0
    return res.astype(dtype._np)


def _range_dtype(dtype, out, *vals):
    if dtype is not None:
        return dtype
    if out is not None:
        return out.dtype
    if any(isinstance(v, builtins.complex) for v in vals):
        return D.default_complex()
    return D.get_default_dtype()


def _space_args(name, start, end, steps, base=None):
    """torch's argument parsing for linspace/logspace: start/end are Numbers or 0-dim Tensors,
    steps an int (a bool or float is no overload: TypeError), base a float."""

    def tn(v):
        return "Tensor" if isinstance(v, Tensor) else type(v).__name__

    def is_num(v):
        return isinstance(v, (builtins.int, builtins.float, builtins.complex, np.number, Tensor))

    def is_int(v):
        return (
            isinstance(v, (builtins.int, np.integer))
            and not isinstance(v, (builtins.bool, np.bool_))
        ) or (
            isinstance(v, Tensor)
            and v.dim() == 0
            and not v.dtype.is_floating_point
            and not v.dtype.is_complex
            and v.dtype is not D.bool
        )

    given = (start, end, steps) if base is None or base == 10.0 else (start, end, steps, base)
    base_ok = base is None or isinstance(base, (builtins.int, builtins.float, np.number, Tensor))
    if not (is_num(start) and is_num(end) and is_int(steps) and base_ok):
        b = " float base = 10.0," if name == "logspace" else ""
        tail = (
            f" int steps,{b} *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
            "torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n"
        )
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got ({', '.join(tn(v) for v in given)}), "
            "but expected one of:\n"
            + "".join(
                f" * ({a} start, {e} end,{tail}"
                for a, e in (
                    ("Tensor", "Tensor"),
                    ("Number", "Tensor"),
                    ("Tensor", "Number"),
                    ("Number", "Number"),
                )
            )
        )
    for what, v in (("start", start), ("end", end)):
        if isinstance(v, Tensor) and v.dim() != 0:
            raise RuntimeError(
                f"{name} only supports 0-dimensional start and end tensors, but got {what} with "
                f"{v.dim()} dimension(s)."
            )
    return _num(start), _num(end), _num(steps)


def linspace(
    start,
    end,
    steps,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """torch.linspace."""
    start, end, steps = _space_args("linspace", start, end, steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = _range_dtype(dtype, out, start, end)
    return _finish(from_host(_linspace_host(start, end, steps, dt), dt, device), requires_grad, out)


def logspace(
    start,
    end,
    steps,
    base=10.0,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """torch.logspace: base ** linspace(start, end, steps)."""
    start, end, steps = _space_args("logspace", start, end, steps, base)
    base = _num(base)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = _range_dtype(dtype, out, start, end)
    ct = np.float64 if dt._cat in (D._INT, D._BOOL) or dt is D.float64 else np.float32
    if dt.is_complex:
        ct = np.complex128
    exps = _linspace_host(
        start,
        end,
        steps,
        D.float64 if ct is np.float64 else (D.complex128 if dt.is_complex else D.float32),
    )
    host = np.power(np.asarray(base).astype(ct), exps.astype(ct))
    if dt._cat == D._INT:
        host = np.trunc(host)
    return _finish(from_host(host.astype(dt._np), dt, device), requires_grad, out)


def eye(
    n,
    m=None,
    *,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """torch.eye."""
    n = _num(n)
    m = n if m is None else _num(m)
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    dt = dtype or _out_dtype(out)
    arr = jnp.eye(n, m, dtype=dt._np, device=_jax_device(device))
    return _finish(wrap(arr, dt), requires_grad, out)


# ------------------------------------------------------------------ Tensor.new_*


def _new_kw(self, dtype, device):
    return dtype or self.dtype, device or self.device


def new_tensor(
    self, data, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False
):
    """Tensor.new_tensor: like torch.tensor, defaulting to self's dtype and device."""
    from .._creation import tensor as _tensor

    dt, dev = _new_kw(self, dtype, device)
    if isinstance(data, Tensor):
        import warnings

        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
            "or sourceTensor.detach().clone().requires_grad_(True), rather than tensor.new_tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        t = data.detach().to(dtype=dt, device=dev, copy=True)
        return _finish(wrap(t._v(), dt), requires_grad)
    return _tensor(data, dtype=dt, device=dev, requires_grad=requires_grad)


def _new_filled(fill_name):
    def f(
        self,
        *size,
        dtype=None,
        device=None,
        requires_grad=False,
        layout=None,
        pin_memory=False,
        **kw,
    ):
        shape = _sizes(size, kw.pop("size", None), fill_name)
        dt, dev = _new_kw(self, dtype, device)
        v = 1 if fill_name == "new_ones" else 0
        return _finish(_filled(shape, v, dt, dev), requires_grad)

    f.__name__ = fill_name
    f.__doc__ = f"Tensor.{fill_name}: defaults to self's dtype and device."
    return f


def new_full(
    self,
    size,
    fill_value,
    *,
    dtype=None,
    device=None,
    requires_grad=False,
    layout=None,
    pin_memory=False,
):
    """Tensor.new_full."""
    dt, dev = _new_kw(self, dtype, device)
    shape = parse_size((tuple(size) if isinstance(size, (list, tuple)) else (size,),), "new_full")
    return _finish(_filled(shape, _fill_cast(_num(fill_value), dt), dt, dev), requires_grad)


def new_empty_strided(
    self,
    size,
    stride,
    *,
    dtype=None,
    device=None,
    requires_grad=False,
    layout=None,
    pin_memory=False,
):
    dt, dev = _new_kw(self, dtype, device)
    return empty_strided(size, stride, dtype=dt, device=dev, requires_grad=requires_grad)


for _f in (
    zeros,
    ones,
    empty,
    full,
    scalar_tensor,
    zeros_like,
    ones_like,
    empty_like,
    full_like,
    empty_permuted,
    empty_strided,
    arange,
    linspace,
    logspace,
    eye,
):
    register_function(_f.__name__, _f)
register_function("range", range_)
register_method("new_tensor", new_tensor)
register_method("new_zeros", _new_filled("new_zeros"))
register_method("new_ones", _new_filled("new_ones"))
register_method("new_empty", _new_filled("new_empty"))
register_method("new_full", new_full)
register_method("new_empty_strided", new_empty_strided)
