"""Random factories and fills: rand, randn, randint, randperm, the ``*_like`` factories and the
in-place ``Tensor.uniform_/normal_/random_``; the sampling helpers ``distributions`` shares.

Eagerly, values are computed on the host from the generator's mt19937 stream with torch's CPU
algorithms (``torchjax._generator``), so the same seed gives torch's numbers, and are placed on
the tensor's device. In-place fills follow torch's TensorIterator order (memory order), so
non-contiguous tensors match too. Inside traced code (a compiler installed a traced key on the
generator, or the tensor's buffer is a tracer) the ops draw from ``Generator._jax_key()`` instead
(not torch's numbers; see docs/random.md).
"""

from __future__ import annotations

import builtins
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._creation import from_host
from .._generator import Generator, default_generator
from .._size import Size
from .._tensor import Tensor, wrap
from ..autograd import grad_mode
from ._registry import (
    check_inplace,
    register_function,
    register_method,
)
from .creation import _check_layout, _finish, _like_strides, _sizes, strided_new

_FLOATS = ("float16", "bfloat16", "float32", "float64")
_DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}
_TYPE_NAMES = {
    "bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short", "int32": "int",
    "int64": "long int", "uint16": "unsigned short", "uint32": "unsigned int", "uint64": "unsigned long",
    "float16": "c10::Half", "bfloat16": "c10::BFloat16", "float32": "float", "float64": "double",
}  # fmt: skip


def _gen(generator) -> Generator:
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    return generator


def _is_tracer(x) -> bool:
    return isinstance(x, jax.core.Tracer)


def _traced(g: Generator, t: Tensor | None = None) -> bool:
    return g._trace_key is not None or (t is not None and _is_tracer(t._storage._array))


def _name(dt: D.dtype) -> str:
    return dt.name if hasattr(dt, "name") else str(dt).replace("torch.", "")


def _not_implemented(op, dt):
    return NotImplementedError(f"\"{op}\" not implemented for '{dt._scalar_name}'")


def _require_float(op, dt):
    if _name(dt) not in _FLOATS:
        raise _not_implemented(op, dt)


# ------------------------------------------------------------------ placing values


def _iter_order(t: Tensor):
    """Dims in TensorIterator order (outermost first): by decreasing stride."""
    st = t.stride()
    return sorted(range(t.dim()), key=lambda d: -st[d])


def _place(t: Tensor, flat: np.ndarray) -> Tensor:
    """Write ``flat`` (values in torch's iteration order) into ``t`` in place."""
    shape = tuple(t._shape)
    flat = np.asarray(flat)
    if flat.dtype != t._dtype._np:
        flat = flat.astype(t._dtype._np)
    if t.is_contiguous() or t.dim() <= 1:
        value = flat.reshape(shape)
    else:
        order = _iter_order(t)
        value = flat.reshape([shape[d] for d in order]).transpose(np.argsort(order))
    arr = t._storage._array
    dev = next(iter(arr.devices())) if hasattr(arr, "devices") else None
    t._write(jax.device_put(np.ascontiguousarray(value).reshape(shape), dev))  # 0-d stays 0-d
    return t


def _prepare_inplace(self, op):
    if not isinstance(self, Tensor):
        raise TypeError(f"{op}(): argument 'self' must be Tensor, not {type(self).__name__}")
    if grad_mode.state.enabled:
        check_inplace(self)


def _fill(self, g, host_fn, jax_fn):
    """Fill ``self`` with ``host_fn(n)`` (torch's numbers), or ``jax_fn(key, shape, np_dtype)`` when traced."""
    if _traced(g, self):
        v = jax_fn(g._jax_key(), tuple(self._shape), self._dtype._np)
        self._write(jnp.asarray(v).astype(self._dtype._np))
        return self
    n = self.numel()
    if n == 0:
        return self
    return _place(self, host_fn(n))


def _new(shape, dt, device, g, host_fn, jax_fn):
    """A new tensor of ``shape`` filled by ``host_fn(n)`` (or the JAX variant when tracing)."""
    if g._trace_key is not None:
        return wrap(jnp.asarray(jax_fn(g._jax_key(), shape, dt._np)).astype(dt._np), dt)
    n = math.prod(shape)
    host = host_fn(n) if n else np.zeros(0, dt._np)
    return from_host(np.asarray(host).astype(dt._np, copy=False).reshape(shape), dt, device)


# ------------------------------------------------------------------ uniform / normal


def _check_uniform(dt, lo, hi):
    _require_float("check_uniform_bounds", dt)
    info = np.finfo(dt._np) if _name(dt) != "bfloat16" else D.finfo(dt)
    mn, mx = float(-info.max), float(info.max)
    if not mn <= lo <= mx:
        raise RuntimeError(f"from is out of bounds for {_TYPE_NAMES[_name(dt)]}")
    if not mn <= hi <= mx:
        raise RuntimeError(f"to is out of bounds for {_TYPE_NAMES[_name(dt)]}")
    if not lo <= hi:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={_fmt(lo)} > to={_fmt(hi)}"
        )
    if hi - lo > mx:
        raise RuntimeError(
            f"uniform_ expects to-from <= std::numeric_limits<{dt._scalar_name}>::max(), but found "
            f"to={_fmt(hi)} and from={_fmt(lo)} which result in to-from to exceed the limit"
        )


def _fmt(v):
    v = float(v)
    return repr(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)


def _uniform_host(g, dt, lo, hi):
    return lambda n: g._uniform(n, dt._np, lo, hi)


def _uniform_jax(lo, hi):
    def f(key, shape, npdt):
        cd = npdt if np.dtype(npdt) == np.float64 else np.float32
        return jax.random.uniform(key, shape, cd, lo, hi)

    return f


def uniform_(self, from_=0.0, to=1.0, *, generator=None, **kw):
    """Tensor.uniform_: torch's CPU stream (24/53-bit uniforms, fused scaling)."""
    if "from" in kw:
        from_ = kw.pop("from")
    _reject_kw("uniform_", kw)
    _prepare_inplace(self, "uniform_")
    lo, hi = float(_num(from_)), float(_num(to))
    _check_uniform(self._dtype, lo, hi)
    g = _gen(generator)
    return _fill(self, g, _uniform_host(g, self._dtype, lo, hi), _uniform_jax(lo, hi))


def _check_normal_std(std, op="normal"):
    if std < 0:
        raise RuntimeError(f"{op} expects std >= 0.0, but found std {_fmt(std)}")


def _normal_jax(mean, std):
    def f(key, shape, npdt):
        cd = npdt if np.dtype(npdt) == np.float64 else np.float32
        return jax.random.normal(key, shape, cd) * std + mean

    return f


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Tensor.normal_: torch's Box-Muller paths (AVX2 blocks, float64 blocks, scalar with cache)."""
    _prepare_inplace(self, "normal_")
    _require_float("normal_kernel_cpu", self._dtype)
    mean, std = float(_num(mean)), float(_num(std))
    _check_normal_std(std)
    g = _gen(generator)
    contig = self.is_contiguous()
    return _fill(
        self, g, lambda n: g._normal(n, self._dtype._np, mean, std, contig), _normal_jax(mean, std)
    )


def _float_dtype(dtype, out, name):
    dt = dtype or (out.dtype if out is not None else D.get_default_dtype())
    return dt


def rand(
    *size,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
    names=None,
    **kw,
):
    """torch.rand: uniform [0, 1) with torch's CPU stream."""
    shape = _sizes(size, kw.pop("size", None), "rand")
    _reject_kw("rand", kw)
    _check_layout(layout)
    dt = _float_dtype(dtype, out, "rand")
    _check_uniform(dt, 0.0, 1.0)
    g = _gen(generator)
    t = _new(
        shape,
        dt,
        device or (out.device if out is not None else None),
        g,
        _uniform_host(g, dt, 0.0, 1.0),
        _uniform_jax(0.0, 1.0),
    )
    return _finish(t, requires_grad, out)


def randn(
    *size,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
    names=None,
    **kw,
):
    """torch.randn: standard normal with torch's CPU algorithms."""
    shape = _sizes(size, kw.pop("size", None), "randn")
    _reject_kw("randn", kw)
    _check_layout(layout)
    dt = _float_dtype(dtype, out, "randn")
    _require_float("normal_kernel_cpu", dt)
    g = _gen(generator)
    t = _new(
        shape,
        dt,
        device or (out.device if out is not None else None),
        g,
        lambda n: g._normal(n, dt._np, 0.0, 1.0, True),
        _normal_jax(0.0, 1.0),
    )
    return _finish(t, requires_grad, out)


def _like_new(name, input, dtype, device, memory_format, requires_grad, fill_inplace):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    dt = dtype or input.dtype
    dev = device or input.device
    strides = _like_strides(input, memory_format)
    base = from_host(np.zeros(tuple(input._shape), dt._np), dt, dev)
    t = strided_new(base._v(), tuple(input._shape), strides)
    fill_inplace(t)
    return _finish(t, requires_grad)


def rand_like(
    input,
    *,
    generator=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
    pin_memory=False,
):
    """torch.rand_like (values in the result's memory order, as torch fills them)."""
    return _like_new(
        "rand_like",
        input,
        dtype,
        device,
        memory_format,
        requires_grad,
        lambda t: uniform_(t, 0.0, 1.0, generator=generator),
    )


def randn_like(
    input,
    *,
    generator=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
    pin_memory=False,
):
    """torch.randn_like."""
    return _like_new(
        "randn_like",
        input,
        dtype,
        device,
        memory_format,
        requires_grad,
        lambda t: normal_(t, 0.0, 1.0, generator=generator),
    )


# ------------------------------------------------------------------ random_ / randint


def _int_limits(dt):
    n = _name(dt)
    if n == "bool":
        return 0, 1
    info = np.iinfo(dt._np)
    return int(info.min), int(info.max)


def _float_max(dt):
    return float(D.finfo(dt).max)


def _cast_to(v: int, dt) -> float:
    """static_cast<scalar_t>(int64) for a floating dtype (via float for half types)."""
    n = _name(dt)
    if n == "float64":
        return float(np.float64(v))
    f = np.float32(np.int64(v))
    return float(f.astype(dt._np)) if n in ("float16", "bfloat16") else float(f)


def _i64(x: float) -> int:
    """static_cast<int64_t>(float) with x86's saturation to INT64_MIN for out-of-range values."""
    if math.isnan(x) or not -(2.0**63) <= x < 2.0**63:
        return -(2**63)
    return int(x)


def _update_from(frm: int, dt) -> int:
    p1 = _i64(_cast_to(frm + 1, dt))
    if p1 < frm:
        f = abs(frm + 1)
        n = f.bit_length() - 1 if f else 0
        frm = p1 + (1 << (n - _DIGITS[_name(dt)] + 1))
    return frm


def _update_to(to: int, dt) -> int:
    m1 = _i64(_cast_to(to - 1, dt))
    if m1 >= to:
        f = abs(to - 1)
        n = f.bit_length() - 1 if f else 0
        to = m1 - (1 << (n - _DIGITS[_name(dt)] + 1))
    return to


def _check_from_to_in_range(frm, to_inc, dt):
    n = _name(dt)
    tn = _TYPE_NAMES[n]
    if n in _FLOATS:
        mx = _float_max(dt)
        if not -mx <= frm <= mx:
            raise RuntimeError(f"from is out of bounds for {tn}")
        if not -mx <= to_inc <= mx:
            raise RuntimeError(f"to - 1 is out of bounds for {tn}")
        d = _DIGITS[n]
        for v, nm in ((frm, "from"), (to_inc, "to - 1")):
            if v < -(1 << d) or v > (1 << d):
                warnings.warn(
                    f"{nm} is out of bounds [-(2^{d}), 2^{d}]. Due to precision limitations {tn} can support "
                    "discrete uniform distribution only within this range. This warning will become an error "
                    "in version 1.7 release, please fix the code in advance",
                    UserWarning,
                    stacklevel=4,
                )
        return
    lo, hi = _int_limits(dt)
    if n == "uint64":
        lo, hi = 0, 2**63 - 1
    if not lo <= frm <= hi:
        raise RuntimeError(f"from is out of bounds for {tn}")
    if not lo <= to_inc <= hi:
        raise RuntimeError(f"to - 1 is out of bounds for {tn}")


def _int_cast(v: np.ndarray, dt) -> np.ndarray:
    """static_cast<T>(int64 values) into dtype ``dt`` (wrapping ints, rounding floats via float)."""
    n = _name(dt)
    if n == "bool":
        return v != 0
    if n in ("float16", "bfloat16"):
        return v.astype(np.float32).astype(dt._np)
    return v.astype(dt._np)


def _random_plan(dt, frm, to):
    """(kind, range, base) for random_(from, to) on ``dt`` with torch's checks and float adjustments."""
    n = _name(dt)
    if to is not None:
        if not frm < to:
            raise RuntimeError(
                f"random_ expects 'from' to be less than 'to', but got from={frm} >= to={to}"
            )
        if n in _FLOATS:
            frm = _update_from(frm, dt)
            to = _update_to(to, dt)
            if not frm < to:
                raise RuntimeError(
                    f"random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from={frm} >= to={to}"
                )
        _check_from_to_in_range(frm, to - 1, dt)
        return "range", (to - frm) % 2**64, frm
    if frm != -(2**63):
        if n in _FLOATS:
            to_inc = min(1 << _DIGITS[n], 2**63 - 1)
            frm = _update_from(frm, dt)
            if not frm < to_inc:
                raise RuntimeError(
                    f"random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from={frm} > to_inc={to_inc}"
                )
        else:
            to_inc = _int_limits(dt)[1] if n != "uint64" else 2**64 - 1
        _check_from_to_in_range(frm, to_inc, dt)
        return "range", (to_inc - frm + 1) % 2**64, frm
    if n not in ("int64", "float64", "float32", "bfloat16"):
        raise RuntimeError(
            "random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16"
        )
    return "full", 0, 0


def _random_host(g, dt, kind, rng, base):
    def f(n):
        if kind == "full":
            v = g.random_u64(n).view(np.int64)
        elif kind == "range":
            v = g._random_from_to(n, rng, base)
        else:  # random_() without bounds: uniform_int<T>
            nm = _name(dt)
            if nm in ("float64", "int64"):
                raw = g.random_u64(n)
            else:
                raw = g.random_u32(n).astype(np.uint64)
            if nm == "bool":
                return (raw & np.uint64(1)).astype(np.bool_)
            if nm in _FLOATS:
                mod = (1 << _DIGITS[nm]) + 1
            else:
                mod = _int_limits(dt)[1] + 1
            v = (raw % np.uint64(mod)).astype(np.int64)
        return _int_cast(v, dt)

    return f


def _random_jax(dt, kind, rng, base):
    def f(key, shape, npdt):
        bits = jax.random.bits(key, shape, jnp.uint64)
        if kind == "full":
            v = bits.astype(jnp.int64)
        elif kind == "range":
            v = ((bits % jnp.uint64(rng)) + jnp.uint64(base % 2**64)).astype(jnp.int64)
        else:
            nm = _name(dt)
            mod = (
                (1 << _DIGITS[nm]) + 1
                if nm in _FLOATS
                else (2 if nm == "bool" else _int_limits(dt)[1] + 1)
            )
            v = (bits % jnp.uint64(mod)).astype(jnp.int64)
        return (
            v.astype(jnp.float32).astype(npdt)
            if _name(dt) in ("float16", "bfloat16")
            else v.astype(npdt)
        )

    return f


def random_(self, *args, generator=None, **kw):
    """Tensor.random_(), random_(to), random_(from, to): torch's modulo sampling on the mt19937 stream."""
    frm, to = kw.pop("from", None), kw.pop("to", None)
    _reject_kw("random_", kw)
    if len(args) == 1:
        if frm is None and to is None:
            to = args[0]
        else:
            frm = args[0]
    elif len(args) == 2:
        frm, to = args
    elif len(args) > 2:
        raise TypeError(f"random_() takes at most 2 positional arguments ({len(args)} given)")
    _prepare_inplace(self, "random_")
    dt = self._dtype
    g = _gen(generator)
    if frm is None and to is None:
        if _name(dt) in ("uint16", "uint32", "uint64") or dt.is_complex:
            raise _not_implemented("random_kernel_cpu", dt)
        plan = ("int", 0, 0)
    else:
        frm = 0 if frm is None else _index(frm, "from")
        to = None if to is None else _index(to, "to")
        plan = _random_plan(dt, frm, to)
    return _fill(self, g, _random_host(g, dt, *plan), _random_jax(dt, *plan))


def _index(v, name):
    if isinstance(v, Tensor):
        v = v.item()
    if isinstance(v, builtins.float):
        if not v.is_integer():
            raise TypeError(f"random_(): argument '{name}' must be int, not float")
        v = int(v)
    return int(v)


def randint(
    *args,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
    **kw,
):
    """torch.randint(high, size) / randint(low, high, size): ``random_(low, high)`` on a new tensor."""
    low, high, size = 0, None, None
    if "low" in kw:
        low = kw.pop("low")
    if "high" in kw:
        high = kw.pop("high")
    if "size" in kw:
        size = kw.pop("size")
    _reject_kw("randint", kw)
    args = list(args)
    if size is None and args and isinstance(args[-1], (tuple, list, Size)):
        size = args.pop()
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        if high is None:
            high = args[0]
        else:
            low = args[0]
    elif len(args) > 2:
        raise TypeError("randint() received an invalid combination of arguments")
    if high is None or size is None:
        raise TypeError(
            "randint() received an invalid combination of arguments - expected one of:\n"
            " * (int high, tuple of ints size, *, torch.Generator generator, ...)\n"
            " * (int low, int high, tuple of ints size, *, torch.Generator generator, ...)"
        )
    shape = _sizes((size,), None, "randint")
    _check_layout(layout)
    dt = dtype or (out.dtype if out is not None else D.int64)
    if requires_grad and not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    plan = _random_plan(dt, _index(low, "low"), _index(high, "high"))
    g = _gen(generator)
    t = _new(
        shape,
        dt,
        device or (out.device if out is not None else None),
        g,
        _random_host(g, dt, *plan),
        _random_jax(dt, *plan),
    )
    return _finish(t, requires_grad, out)


def randint_like(
    input,
    *args,
    generator=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    memory_format=None,
    pin_memory=False,
    **kw,
):
    """torch.randint_like(input, high) / (input, low, high)."""
    low = kw.pop("low", 0)
    high = kw.pop("high", None)
    _reject_kw("randint_like", kw)
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        if high is None:
            high = args[0]
        else:
            low = args[0]
    if high is None:
        raise TypeError("randint_like() missing required argument 'high'")
    dt = dtype or input.dtype
    plan = _random_plan(dt, _index(low, "low"), _index(high, "high"))
    g = _gen(generator)

    def fill(t):
        _fill(t, g, _random_host(g, dt, *plan), _random_jax(dt, *plan))

    return _like_new("randint_like", input, dtype, device, memory_format, requires_grad, fill)


# ------------------------------------------------------------------ randperm


def _prev_same(keys: np.ndarray):
    """For each i: the largest j < i with keys[j] == keys[i], else -1 (and the stable order)."""
    order = np.argsort(keys, kind="stable")
    ks = keys[order]
    prev = np.full(keys.shape[0], -1, np.int64)
    same = np.empty(ks.shape[0], np.bool_)
    if ks.shape[0]:
        same[0] = False
        same[1:] = ks[1:] == ks[:-1]
        prev[order[same]] = order[np.flatnonzero(same) - 1]
    return prev, order, ks


def _roots(ptr: np.ndarray) -> np.ndarray:
    """Follow parent pointers (``ptr[i] <= i``, roots point to themselves) to the root, by doubling."""
    while True:
        nxt = ptr[ptr]
        if np.array_equal(nxt, ptr):
            return ptr
        ptr = nxt


def _fisher_yates_forward(z: np.ndarray, n: int) -> np.ndarray:
    """``r = arange(n); for i in range(n - 1): swap(r[i], r[i + z[i]])``, vectorised.

    Position i is final after step i. The value carried into position k (``A[k]``) is the one a
    previous step ``k' < k`` with target ``k`` left there (``A[k']``), else ``k`` itself; step i
    takes the value at its target, which is ``A`` of the previous step with the same target.
    """
    m = n - 1
    idx = np.arange(m, dtype=np.int64)
    j = idx + z.astype(np.int64)
    prev, order, js = _prev_same(j)
    # par[p]: the last step k < p that targeted p
    par = np.arange(n, dtype=np.int64)
    last_of_group = np.ones(js.shape[0], np.bool_)
    if js.shape[0] > 1:
        last_of_group[:-1] = js[:-1] != js[1:]
    pos = np.flatnonzero(last_of_group)
    tgt = js[pos]
    writer = order[pos]
    # the last writer of target p may be step p itself (z[p] == 0): use the one before it
    selfw = writer == tgt
    cand = np.where(selfw, prev[writer], writer)
    ok = cand >= 0
    par[tgt[ok]] = cand[ok]
    A = _roots(par)
    out = np.empty(n, np.int64)
    if m > 0:
        out[:m] = np.where(prev >= 0, A[np.maximum(prev, 0)], j)
    out[n - 1] = A[n - 1]
    return out


def _fisher_yates_inside_out(z: np.ndarray, n: int) -> np.ndarray:
    """``for i in range(n): r[i] = r[z[i]]; r[z[i]] = i`` (torch's large-n randperm), vectorised."""
    z = z.astype(np.int64)
    i = np.arange(n, dtype=np.int64)
    prev, order, zs = _prev_same(z)
    # C[p]: the value position p was created with (step p copies position z[p] before step p)
    direct = np.where(z == i, i, -1)
    C_ptr = np.arange(n, dtype=np.int64)
    val = direct.copy()
    # for z[p] < p: value at z[p] before step p = last step i' < p with z[i'] == z[p], else C[z[p]]
    has_prev = (z < i) & (prev >= 0)
    val[has_prev] = prev[has_prev]
    chase = (z < i) & (prev < 0)
    C_ptr[chase] = z[chase]
    root = _roots(C_ptr)
    C = val[root]
    # final r[p] = last step with z == p, else C[p]
    last = np.full(n, -1, np.int64)
    lg = np.ones(zs.shape[0], np.bool_)
    if zs.shape[0] > 1:
        lg[:-1] = zs[:-1] != zs[1:]
    last[zs[lg]] = order[lg]
    return np.where(last >= 0, last, C)


_RANDPERM_SMALL = (2**32 - 1) // 20


def _randperm_host(g: Generator, n: int) -> np.ndarray:
    if n < _RANDPERM_SMALL:
        if n <= 1:
            return np.arange(n, dtype=np.int64)
        r = g.random_u32(n - 1).astype(np.int64)
        z = r % (n - np.arange(n - 1, dtype=np.int64))
        return _fisher_yates_forward(z, n)
    r = g.random_u64(n)
    z = (r % (np.arange(n, dtype=np.uint64) + np.uint64(1))).astype(np.int64)
    return _fisher_yates_inside_out(z, n)


def randperm(
    n,
    *,
    generator=None,
    out=None,
    dtype=None,
    layout=None,
    device=None,
    requires_grad=False,
    pin_memory=False,
):
    """torch.randperm: torch's CPU Fisher-Yates (random() % (n - i) swaps; random64 inside-out for huge n)."""
    if isinstance(n, Tensor):
        n = n.item()
    if isinstance(n, builtins.float) or not hasattr(n, "__index__"):
        raise TypeError(
            f"randperm(): argument 'n' (position 1) must be int, not {type(n).__name__}"
        )
    n = int(n)
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    _check_layout(layout)
    dt = dtype or (out.dtype if out is not None else D.int64)
    nm = _name(dt)
    if nm == "bool" or dt.is_complex:
        raise _not_implemented("randperm", dt)
    if nm in _FLOATS:
        lim = (1 << _DIGITS[nm]) + 1
        if n > lim:
            raise RuntimeError(f"n cannot be greater than {lim} for {dt._scalar_name} type.")
    elif n > 0 and n - 1 > _int_limits(dt)[1]:
        raise RuntimeError(f"n is too large for result tensor type: '{dt}'")
    g = _gen(generator)
    if g._trace_key is not None:
        t = wrap(jax.random.permutation(g._jax_key(), n).astype(dt._np), dt)
    else:
        t = from_host(
            _randperm_host(g, n).astype(dt._np),
            dt,
            device or (out.device if out is not None else None),
        )
    return _finish(t, requires_grad, out)


# ------------------------------------------------------------------ helpers and registration


def _num(v):
    return v.item() if isinstance(v, Tensor) else v


def _reject_kw(name, kw):
    if kw:
        k = next(iter(kw))
        raise TypeError(f"{name}() got an unexpected keyword argument '{k}'")


for _f in (rand, randn, randint, randperm, rand_like, randn_like, randint_like):
    register_function(_f.__name__, _f)
register_method("uniform_", uniform_)
register_method("normal_", normal_)
register_method("random_", random_)
