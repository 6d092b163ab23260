"""torch dtypes over numpy/jax dtypes, and torch's type-promotion rules in one place.

Mirrors ``torch.dtype``, ``torch.promote_types``, ``torch.result_type``, ``torch.can_cast``,
``torch.finfo``/``iinfo`` and the default dtype. JAX is run with x64 enabled and every op
passes its dtype explicitly, so JAX's own promotion never decides a result type.
"""

from __future__ import annotations

import builtins
import threading

import jax.numpy as jnp
import ml_dtypes
import numpy as np

__all__ = [
    "dtype",
    "promote_types",
    "result_type",
    "can_cast",
    "finfo",
    "iinfo",
    "get_default_dtype",
    "set_default_dtype",
]

# categories, in promotion order
_BOOL, _INT, _FLOAT, _COMPLEX = 0, 1, 2, 3


class dtype:
    """A torch dtype (``torch.float32`` ...): printed and compared as torch prints them."""

    __slots__ = (
        "_name",
        "_scalar_name",
        "_legacy",
        "abbr",
        "itemsize",
        "is_signed",
        "_np",
        "_cat",
        "_rank",
    )

    def __init__(self, name, scalar_name, legacy, abbr, np_dtype, cat, rank, signed):
        self._name = name
        self._scalar_name = scalar_name
        self._legacy = legacy
        self.abbr = abbr
        self._np = np.dtype(np_dtype)
        self.itemsize = self._np.itemsize
        self._cat = cat
        self._rank = rank
        self.is_signed = signed

    @property
    def is_floating_point(self) -> bool:
        return self._cat == _FLOAT

    @property
    def is_complex(self) -> bool:
        return self._cat == _COMPLEX

    def to_real(self) -> dtype:
        return _COMPLEX_TO_REAL.get(self, self)

    def to_complex(self) -> dtype:
        if self._cat == _COMPLEX:
            return self
        if self in _REAL_TO_COMPLEX:
            return _REAL_TO_COMPLEX[self]
        raise RuntimeError(f"Unsupported dtype {self._scalar_name}")

    def __repr__(self):
        return "torch." + self._name

    __str__ = __repr__

    def __reduce__(self):
        return (_dtype_by_name, (self._name,))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _dtype_by_name(name):
    return _BY_NAME[name]


def _mk(name, scalar_name, legacy, abbr, np_dtype, cat, rank, signed):
    return dtype(name, scalar_name, legacy, abbr, np_dtype, cat, rank, signed)


bool = _mk("bool", "Bool", "BoolTensor", "b8", np.bool_, _BOOL, 0, False)  # noqa: A001
uint8 = _mk("uint8", "Byte", "ByteTensor", "u8", np.uint8, _INT, 1, False)
int8 = _mk("int8", "Char", "CharTensor", "i8", np.int8, _INT, 1, True)
int16 = _mk("int16", "Short", "ShortTensor", "i16", np.int16, _INT, 2, True)
int32 = _mk("int32", "Int", "IntTensor", "i32", np.int32, _INT, 3, True)
int64 = _mk("int64", "Long", "LongTensor", "i64", np.int64, _INT, 4, True)
uint16 = _mk("uint16", "UInt16", "UInt16Tensor", "u16", np.uint16, _INT, 2, False)
uint32 = _mk("uint32", "UInt32", "UInt32Tensor", "u32", np.uint32, _INT, 3, False)
uint64 = _mk("uint64", "UInt64", "UInt64Tensor", "u64", np.uint64, _INT, 4, False)
float16 = _mk("float16", "Half", "HalfTensor", "f16", np.float16, _FLOAT, 1, True)
bfloat16 = _mk("bfloat16", "BFloat16", "BFloat16Tensor", "bf16", jnp.bfloat16, _FLOAT, 1, True)
float32 = _mk("float32", "Float", "FloatTensor", "f32", np.float32, _FLOAT, 2, True)
float64 = _mk("float64", "Double", "DoubleTensor", "f64", np.float64, _FLOAT, 3, True)
complex64 = _mk(
    "complex64", "ComplexFloat", "ComplexFloatTensor", "c64", np.complex64, _COMPLEX, 2, True
)
complex128 = _mk(
    "complex128", "ComplexDouble", "ComplexDoubleTensor", "c128", np.complex128, _COMPLEX, 3, True
)
float8_e4m3fn = _mk(
    "float8_e4m3fn",
    "Float8_e4m3fn",
    "Float8_e4m3fnTensor",
    "f8e4m3fn",
    ml_dtypes.float8_e4m3fn,
    _FLOAT,
    0,
    True,
)
float8_e5m2 = _mk(
    "float8_e5m2",
    "Float8_e5m2",
    "Float8_e5m2Tensor",
    "f8e5m2",
    ml_dtypes.float8_e5m2,
    _FLOAT,
    0,
    True,
)
float8_e4m3fnuz = _mk(
    "float8_e4m3fnuz",
    "Float8_e4m3fnuz",
    "Float8_e4m3fnuzTensor",
    "f8e4m3fnuz",
    ml_dtypes.float8_e4m3fnuz,
    _FLOAT,
    0,
    True,
)
float8_e5m2fnuz = _mk(
    "float8_e5m2fnuz",
    "Float8_e5m2fnuz",
    "Float8_e5m2fnuzTensor",
    "f8e5m2fnuz",
    ml_dtypes.float8_e5m2fnuz,
    _FLOAT,
    0,
    True,
)

# torch's aliases
half = float16
float = float32  # noqa: A001
double = float64
short = int16
int = int32  # noqa: A001
long = int64
cfloat = complex64
cdouble = complex128

ALL = (
    bool, uint8, int8, int16, int32, int64, uint16, uint32, uint64,
    float16, bfloat16, float32, float64, complex64, complex128,
    float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz,
)  # fmt: skip
_BY_NAME = {d._name: d for d in ALL}
_FLOAT8 = frozenset({float8_e4m3fn, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz})
_BIG_UNSIGNED = frozenset({uint16, uint32, uint64})
_COMPLEX_TO_REAL = {complex64: float32, complex128: float64}
_REAL_TO_COMPLEX = {float32: complex64, float64: complex128, float16: complex64}
_FROM_NP = {d._np: d for d in ALL}
_SIGNED_INTS = (int8, int16, int32, int64)
_FLOATS = (float16, float32, float64)


def from_np(np_dtype) -> dtype:
    """The torch dtype of a numpy/jax dtype (TypeError for dtypes torch lacks)."""
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(f"can't convert np.ndarray of type {np.dtype(np_dtype)}.") from None


def to_jnp(d: dtype):
    return d._np


# ---------------------------------------------------------------- default dtype


class _State(threading.local):
    def __init__(self):
        self.default = float32


_state = _State()


def get_default_dtype() -> dtype:
    """torch.get_default_dtype."""
    return _state.default


def set_default_dtype(d: dtype) -> None:
    """torch.set_default_dtype: only float32/float64/float16/bfloat16 are accepted."""
    if not isinstance(d, dtype) or d not in (float32, float64, float16, bfloat16):
        raise TypeError(
            "only floating-point types are supported as the default type"
            if isinstance(d, dtype)
            else "invalid dtype object: only floating-point types are supported as the default type"
        )
    _state.default = d


def default_complex() -> dtype:
    return complex128 if _state.default is float64 else complex64


# ---------------------------------------------------------------- promotion


def _promote_error(a: dtype, b: dtype):
    if a in _FLOAT8 or b in _FLOAT8:
        return RuntimeError(
            "Promotion for Float8 Types is not supported, attempted to promote "
            f"{a._scalar_name} and {b._scalar_name}"
        )
    return RuntimeError(
        "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
        f"{a._scalar_name} and {b._scalar_name}"
    )


def _promote(a: dtype, b: dtype) -> dtype:
    if a is b:
        return a
    if a in _FLOAT8 or b in _FLOAT8:
        raise _promote_error(a, b)
    if a in _BIG_UNSIGNED or b in _BIG_UNSIGNED:
        # torch only promotes these with floating and complex types
        other = b if a in _BIG_UNSIGNED else a
        if other._cat != _FLOAT:
            raise _promote_error(a, b)
        return other
    ca, cb = a._cat, b._cat
    if ca != cb:
        if ca > cb:
            a, b, ca, cb = b, a, cb, ca
        # a is of the lower category
        if cb == _COMPLEX and ca == _FLOAT:
            # a float widens the complex's component type
            real = _promote(a, b.to_real())
            return _REAL_TO_COMPLEX[real] if real is not bfloat16 else complex64
        return b
    if ca == _INT:
        if a.is_signed == b.is_signed:
            return a if a._rank >= b._rank else b
        signed, unsigned = (a, b) if a.is_signed else (b, a)
        # uint8 with a signed type: the smallest signed type holding both
        return int16 if signed is int8 else signed
    if ca == _FLOAT:
        if {a, b} == {float16, bfloat16}:
            return float32
        return a if a._rank >= b._rank else b
    return a if a._rank >= b._rank else b


_PROMOTE_TABLE: dict = {}


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """torch.promote_types."""
    key = (type1, type2)
    r = _PROMOTE_TABLE.get(key)
    if r is None:
        r = _PROMOTE_TABLE[key] = _promote(type1, type2)
    return r


def _combine_categories(higher, lower):
    # at::native::combine_categories: dims>0 beat 0-dims beat scalars, except across categories
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher._cat == _COMPLEX:
        return higher
    if lower._cat == _COMPLEX:
        if higher._cat == _FLOAT:
            return higher.to_complex() if higher is not bfloat16 else complex64
        return lower
    if higher._cat == _FLOAT:
        return higher
    if higher is bool or lower._cat == _FLOAT:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(value) -> dtype:
    """The dtype torch gives a Python scalar wrapped as a tensor (before category rules)."""
    t = type(value)
    if t is builtins.bool or isinstance(value, np.bool_):
        return bool
    if t is builtins.int or isinstance(value, np.integer):
        return int64
    if t is builtins.float or isinstance(value, np.floating):
        return float64
    if t is builtins.complex or isinstance(value, np.complexfloating):
        return complex128
    raise TypeError(f"unsupported scalar type {t.__name__}")


def wrapped_scalar_dtype(value) -> dtype:
    """dtype a Python scalar takes part in promotion with (default dtype for floats)."""
    t = type(value)
    if t is builtins.bool:
        return bool
    if t is builtins.int:
        return int64
    if t is builtins.float:
        return _state.default
    if t is builtins.complex:
        return default_complex()
    return {bool: bool, int64: int64, float64: _state.default, complex128: default_complex()}[
        scalar_dtype(value)
    ]


def result_dtype(tensors=(), scalars=()) -> dtype:
    """torch.result_type over operands: ``tensors`` are (dtype, ndim) pairs, ``scalars`` Python numbers."""
    dim_r = zero_r = wrap_r = None
    for dt, nd in tensors:
        if nd > 0:
            dim_r = dt if dim_r is None else promote_types(dim_r, dt)
        else:
            zero_r = dt if zero_r is None else promote_types(zero_r, dt)
    for s in scalars:
        dt = wrapped_scalar_dtype(s)
        wrap_r = dt if wrap_r is None else promote_types(wrap_r, dt)
    return _combine_categories(dim_r, _combine_categories(zero_r, wrap_r))


def result_type(tensor1, tensor2) -> dtype:
    """torch.result_type(tensor1, tensor2): either may be a Tensor or a Python number."""
    from ._tensor import Tensor

    ts, ss = [], []
    for x in (tensor1, tensor2):
        if isinstance(x, Tensor):
            ts.append((x.dtype, x.dim()))
        else:
            ss.append(x)
    return result_dtype(ts, ss)


def can_cast(from_: dtype, to: dtype) -> builtins.bool:
    """torch.can_cast: no cast to a lower category (complex->real, float->int, non-bool->bool)."""
    return from_._cat <= to._cat or (to._cat == _BOOL and from_._cat == _BOOL)


# ---------------------------------------------------------------- finfo / iinfo


class finfo:
    """torch.finfo: machine limits of a floating point dtype."""

    def __init__(self, type: dtype | None = None):  # noqa: A002
        d = _state.default if type is None else type
        if d._cat == _COMPLEX:
            d = d.to_real()
        if d._cat != _FLOAT:
            raise TypeError(
                f"torch.finfo() requires a floating point input type. Use torch.iinfo to handle '{d}'"
            )
        info = ml_dtypes.finfo(d._np)
        self.bits = d.itemsize * 8
        self.eps = builtins.float(info.eps)
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = builtins.float(info.tiny)
        self.smallest_normal = self.tiny
        self.resolution = 10.0 ** -builtins.int(info.precision)
        self.dtype = d._name

    def __repr__(self):
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )

    def __eq__(self, other):
        return isinstance(other, finfo) and other.dtype == self.dtype

    def __hash__(self):
        return hash(("finfo", self.dtype))


class iinfo:
    """torch.iinfo: machine limits of an integer dtype."""

    def __init__(self, type: dtype):  # noqa: A002
        if type._cat not in (_INT, _BOOL):
            raise TypeError(
                f"torch.iinfo() requires an integer input type. Use torch.finfo to handle '{type}'"
            )
        info = np.iinfo(type._np) if type is not bool else None
        self.bits = type.itemsize * 8
        self.max = builtins.int(info.max) if info else 1
        self.min = builtins.int(info.min) if info else 0
        self.dtype = type._name

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"

    def __eq__(self, other):
        return isinstance(other, iinfo) and other.dtype == self.dtype

    def __hash__(self):
        return hash(("iinfo", self.dtype))
