"""Copies and conversions: clone, contiguous, copy_, to / .float() / .long() ..., fill_, zero_, dtype views.

Dtype conversion follows torch's CPU casts, not XLA's: float -> int truncates toward zero and
gives INT_MIN for NaN and out-of-range values (what x86 does), narrow int types wrap, any
nonzero -> True, complex -> real drops the imaginary part with torch's warning.
"""

from __future__ import annotations

import builtins
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _device as Dev
from .. import _dtype as D
from .. import _storage as S
from .._memory_format import preserve_format, strides_for
from .._tensor import Tensor, make_view, wrap
from ..autograd import grad_mode
from . import _registry as R
from ._registry import op, register_function, register_method, view_op


def convert(x, dt):
    """Cast a jax array to numpy dtype ``dt`` with torch's CPU semantics."""
    dt = np.dtype(dt)
    src = x.dtype
    if src == dt:
        return x
    if jnp.issubdtype(src, jnp.complexfloating) and not jnp.issubdtype(dt, jnp.complexfloating):
        x = jnp.real(x)
        src = x.dtype
    if dt == np.bool_:
        return x != 0
    if jnp.issubdtype(src, jnp.floating) and jnp.issubdtype(dt, jnp.integer):
        wide = np.int64 if dt.itemsize == 8 else np.int32
        info = np.iinfo(wide)
        xf = x.astype(np.float64) if src != np.float64 else x
        bad = jnp.isnan(xf) | (xf >= 2.0 ** (info.bits - 1)) | (xf < -(2.0 ** (info.bits - 1)))
        v = jnp.where(bad, 0, xf).astype(wide)
        v = jnp.where(bad, info.min, v)
        return v.astype(dt)
    return x.astype(dt)


def broadcast_shapes2(a, b):
    """Broadcast two shapes with torch's error text."""
    a, b = tuple(a), tuple(b)
    n = max(len(a), len(b))
    pa = (1,) * (n - len(a)) + a
    pb = (1,) * (n - len(b)) + b
    out = []
    for i, (x, y) in enumerate(zip(pa, pb)):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension {i}"
            )
    return tuple(out)


# ------------------------------------------------------------------ clone / contiguous


def relayout(t: Tensor, stride):
    """Give a freshly made tensor (owning its storage) the dense layout ``stride``."""
    if stride is None or S.is_contiguous(t._shape, stride):
        return t
    v = t._v()
    order = sorted(range(t.dim()), key=lambda d: -stride[d])
    t._storage.replace(jnp.transpose(v, order).reshape(-1))
    t._stride_ = tuple(stride)
    t._cache = v
    t._cache_gen = t._storage.gen
    return t


def _clone_strides(t, memory_format):
    from .creation import _like_strides

    return _like_strides(t, memory_format)


@op(
    "_clone(Tensor input) -> Tensor",
    function=False,
    promote="none",
    saves=(),
    grad="CloneBackward0",
)
def _clone_value(input):
    # jax arrays are immutable: the copy can share the buffer
    return input


_CLONE_OP = R.OPS["_clone"]


def clone(input, *, memory_format=None):
    """torch.clone: a copy with its own storage (dense inputs keep their strides)."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"clone(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    out = R.call(_CLONE_OP, (input,))
    return relayout(out, _clone_strides(input, memory_format))


def contiguous(self, memory_format=None):
    """Tensor.contiguous: self when already contiguous (in ``memory_format``), else a copy."""
    if self.is_contiguous(memory_format):
        return self
    fmt = memory_format
    out = R.call(_CLONE_OP, (self,))
    if fmt is not None and fmt.name not in ("contiguous_format", "preserve_format"):
        return relayout(out, strides_for(self._shape, fmt))
    return out


register_function("clone", clone)
register_method(
    "clone", lambda self, *, memory_format=None: clone(self, memory_format=memory_format)
)
register_method("contiguous", contiguous)


def _unsafe_view_meta(t, size):
    from .views import _view_meta

    return _view_meta(t, size)


@view_op(
    "_unsafe_view(Tensor self, int[] size) -> Tensor",
    function=False,
    meta=_unsafe_view_meta,
    grad="UnsafeViewBackward0",
)
def _unsafe_view_value(x, size):
    from .views import infer_size

    return x.reshape(infer_size(size, x.size))


_UNSAFE_VIEW_OP = R.OPS["_unsafe_view"]


def _unsafe_view(t, size):
    """A view of a private copy that owns its storage, as torch's _unsafe_view."""
    out = R.call_view(_UNSAFE_VIEW_OP, (t, tuple(size)))
    out._base = None
    return out


# ------------------------------------------------------------------ copy_ / fill_ / zero_


@op(
    "copy(Tensor self, Tensor|Scalar src, bool non_blocking=False) -> Tensor",
    function=False,
    inplace=True,
    promote="none",
    saves=(),
    grad="CopyBackwards",
)
def _copy(self, src, non_blocking=False):
    shape = broadcast_shapes2(self.shape, src.shape)
    return jnp.broadcast_to(convert(src, self.dtype), shape)


_copy_inplace = Tensor.copy_


def copy_(self, src, non_blocking=False):
    """Tensor.copy_: broadcasts ``src`` into self, casting to self's dtype, across devices."""
    if isinstance(src, Tensor) and src.device != self.device:
        src = _move(src, self.device)
    if isinstance(src, Tensor) and src._dtype.is_complex and not self._dtype.is_complex:
        _warn_complex()
    return _copy_inplace(self, src, non_blocking)


R.override_method("copy_", copy_)


@op(
    "fill(Tensor self, Tensor|Scalar value) -> Tensor",
    function=False,
    inplace=True,
    promote="none",
    saves=(),
    grad="FillBackward2",
    check=lambda self, value: _check_fill(value),
)
def _fill(self, value):
    return jnp.full(self.shape, convert(value, self.dtype), self.dtype)


def _check_fill(value):
    if isinstance(value, Tensor) and value.dim() != 0:
        raise RuntimeError(
            f"fill_ only supports 0-dimension value tensor but got tensor with {value.dim()} dimensions."
        )


@op(
    "zero(Tensor self) -> Tensor",
    function=False,
    inplace=True,
    promote="none",
    saves=(),
    grad="ZeroBackward0",
)
def _zero(self):
    return jnp.zeros(self.shape, self.dtype)


def fill(input, value):
    return input.clone().fill_(value)


register_function("fill", fill)


def zero_(input):
    """torch.zero_: the function form of Tensor.zero_ (fills ``input`` with zeros in place, returns it)."""
    return input.zero_()


register_function("zero_", zero_)


# ------------------------------------------------------------------ dtype and device moves


def _warn_complex():
    warnings.warn(
        "Casting complex values to real discards the imaginary part (Triggered internally at "
        "/__w/pytorch/pytorch/aten/src/ATen/native/Copy.cpp:307.)",
        UserWarning,
        stacklevel=4,
    )


@op(
    "_to_copy(Tensor self, ScalarType dtype) -> Tensor",
    function=False,
    promote="none",
    saves=(),
    grad="ToCopyBackward0",
)
def _to_copy(self, dtype):
    return convert(self, dtype._np)


_TO_COPY = R.OPS["_to_copy"]


class _DeviceSpec:
    """Moving a value to a device (and its VJP, which moves the gradient back)."""

    __slots__ = ("device", "_hash")
    name = "ToCopyBackward0"

    def __init__(self, device):
        self.device = device
        self._hash = hash(("to_device", device))

    def __hash__(self):
        return self._hash

    def __eq__(self, o):
        return type(o) is _DeviceSpec and o.device == self.device

    def fn(self, x):
        return (jax.device_put(x, self.device),)


def _move(t: Tensor, device) -> Tensor:
    from ._dispatch import apply_spec

    jdev = Dev.to_jax(device)
    if not t.requires_grad or not grad_mode.state.enabled:
        return wrap(jax.device_put(t._v(), jdev), t._dtype)
    return apply_spec(_DeviceSpec(jdev), [t], saves=set())[0]


def _parse_to(args, kwargs):
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    non_blocking = kwargs.pop("non_blocking", False)
    copy = kwargs.pop("copy", False)
    memory_format = kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    rest = list(args)
    if rest and isinstance(rest[0], Tensor):
        other = rest.pop(0)
        device, dtype = other.device, other.dtype
    elif rest and isinstance(rest[0], D.dtype):
        dtype = rest.pop(0)
    elif rest and (
        isinstance(rest[0], (str, Dev.device))
        or (isinstance(rest[0], builtins.int) and not isinstance(rest[0], builtins.bool))
    ):
        device = Dev.canonical(rest.pop(0))
        if rest and isinstance(rest[0], D.dtype):
            dtype = rest.pop(0)
    elif rest and rest[0] is None:
        rest.pop(0)
    if rest:
        non_blocking = rest.pop(0)
    if rest:
        copy = rest.pop(0)
    if rest:
        raise TypeError("to() received an invalid combination of arguments")
    if device is not None:
        device = Dev.canonical(device)
    return device, dtype, non_blocking, copy, memory_format


def to(self, *args, **kwargs):
    """Tensor.to(dtype | device | tensor, non_blocking=False, copy=False, memory_format=...)."""
    device, dtype, _nb, copy, memory_format = _parse_to(args, dict(kwargs))
    if device is not None:
        Dev.to_jax(device)  # raises torch's error for an absent device
    same_dtype = dtype is None or dtype is self._dtype
    same_dev = (
        device is None
        or device == self.device
        or (device.index is None and device.type == self.device.type)
    )
    if same_dtype and same_dev and not copy:
        if (
            memory_format is not None
            and memory_format is not preserve_format
            and not self.is_contiguous(memory_format)
        ):
            return contiguous(self, memory_format)
        return self
    t = self
    if not same_dtype:
        if self._dtype.is_complex and not dtype.is_complex:
            _warn_complex()
        t = R.call(_TO_COPY, (t, dtype))
    elif copy:
        t = clone(t)
    if not same_dev:
        t = _move(t, device)
    if memory_format is not None and memory_format is not preserve_format:
        t = contiguous(t, memory_format)
    else:
        t = relayout(t, _clone_strides(self, None)) if t._base is None and t is not self else t
    return t


register_method("to", to)


def _cast_method(name, dtype):
    def m(self, memory_format=None):
        return to(self, dtype, memory_format=memory_format)

    m.__name__ = name
    m.__doc__ = f"Tensor.{name}: self.to({dtype})."
    register_method(name, m)


for _name, _dt in (
    ("float", D.float32),
    ("double", D.float64),
    ("half", D.float16),
    ("bfloat16", D.bfloat16),
    ("int", D.int32),
    ("long", D.int64),
    ("short", D.int16),
    ("char", D.int8),
    ("byte", D.uint8),
    ("bool", D.bool),
    ("cfloat", D.complex64),
    ("cdouble", D.complex128),
):
    _cast_method(_name, _dt)


def type_as(self, other):
    """Tensor.type_as."""
    return self.type(other.type())


register_method("type_as", type_as)


# ------------------------------------------------------------------ dtype views


def bitcast(self, dtype: D.dtype) -> Tensor:
    """Tensor.view(dtype): a view reinterpreting the storage's bytes."""
    a, b = self._dtype.itemsize, dtype.itemsize
    st = self.stride()
    if a == b:
        shape, stride, off = self._shape, st, self._offset
    elif a > b:
        k = a // b
        shape = self._shape[:-1] + (self._shape[-1] * k,)
        stride = tuple(s * k for s in st[:-1]) + (1,)
        off = self._offset * k
    else:
        k = b // a
        shape = self._shape[:-1] + (self._shape[-1] // k,)
        for s in st[:-1]:
            if s % k:
                raise RuntimeError(
                    f"self.stride(0) must be divisible by {k} to view {self._dtype} as {dtype} (different element sizes), but got {s}"
                )
        if self._offset % k:
            raise RuntimeError(
                f"self.storage_offset() must be divisible by {k} to view {self._dtype} as {dtype} (different element sizes), but got {self._offset}"
            )
        stride = tuple(s // k for s in st[:-1]) + (1,)
        off = self._offset // k
    return make_view(self, shape, stride, off, dtype=dtype)


def _part_view(self, part: int) -> Tensor:
    real = self._dtype.to_real()
    st = self.stride()
    return make_view(
        self, self._shape, tuple(s * 2 for s in st), self._offset * 2 + part, dtype=real
    )


def real(input):
    """torch.real: for complex tensors a view of the real parts (shares storage), else input."""
    if not input._dtype.is_complex:
        return input
    return _complex_part(input, 0)


def imag(input):
    """torch.imag: a view of the imaginary parts of a complex tensor."""
    if not input._dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _complex_part(input, 1)


class _PartSpec:
    __slots__ = ("part",)

    def __init__(self, part):
        self.part = part

    @property
    def name(self):
        return "RealBackward0" if self.part == 0 else "ImagBackward0"

    def __hash__(self):
        return hash(("part", self.part))

    def __eq__(self, o):
        return type(o) is _PartSpec and o.part == self.part

    def fn(self, x):
        return (jnp.real(x) if self.part == 0 else jnp.imag(x),)


def _complex_part(t, part):
    from ..autograd import graph as G

    v = _part_view(t, part)
    if grad_mode.state.enabled and t.requires_grad:
        G.record(_PartSpec(part), [t], (t._v(),), [v], set(), False)
    return v


def view_as_real(input):
    """torch.view_as_real: a (..., 2) float view of a complex tensor."""
    if not input._dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    st = input.stride()
    v = make_view(
        input,
        input._shape + (2,),
        tuple(s * 2 for s in st) + (1,),
        input._offset * 2,
        dtype=input._dtype.to_real(),
    )
    if grad_mode.state.enabled and input.requires_grad:
        from ..autograd import graph as G

        G.record(_AsRealSpec(), [input], (input._v(),), [v], set(), False)
    return v


class _AsRealSpec:
    __slots__ = ()
    name = "ViewAsRealBackward0"

    def __hash__(self):
        return hash("view_as_real")

    def __eq__(self, o):
        return type(o) is _AsRealSpec

    def fn(self, x):
        return (jnp.stack([jnp.real(x), jnp.imag(x)], -1),)


def view_as_complex(input):
    """torch.view_as_complex: a complex view of a (..., 2) float tensor."""
    if input._dtype not in (D.float32, D.float64, D.float16):
        raise RuntimeError(
            f"view_as_complex is only supported for float and double tensors, but got a tensor of scalar type: {input._dtype._scalar_name}"
        )
    if input.dim() == 0 or input._shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    st = input.stride()
    if st[-1] != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % 2 for s in st[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if input._offset % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    cdt = D.complex128 if input._dtype is D.float64 else D.complex64
    v = make_view(
        input, input._shape[:-1], tuple(s // 2 for s in st[:-1]), input._offset // 2, dtype=cdt
    )
    if grad_mode.state.enabled and input.requires_grad:
        from ..autograd import graph as G

        G.record(_AsComplexSpec(), [input], (input._v(),), [v], set(), False)
    return v


class _AsComplexSpec:
    __slots__ = ()
    name = "ViewAsComplexBackward0"

    def __hash__(self):
        return hash("view_as_complex")

    def __eq__(self, o):
        return type(o) is _AsComplexSpec

    def fn(self, x):
        return (jax.lax.complex(x[..., 0], x[..., 1]),)


for _f in (real, imag, view_as_real, view_as_complex):
    register_function(_f.__name__, _f)
Tensor.real = property(real)
Tensor.imag = property(imag)
