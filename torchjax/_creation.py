"""Tensors from Python data: torch.tensor, as_tensor, from_numpy and the legacy Tensor(...) constructors.

Data is converted on the host with numpy (torch's dtype inference: bool < int64 < default
float < default complex for Python scalars and lists; numpy arrays keep their dtype), then
placed on the requested device once.

torch.from_numpy shares memory with the array; a jax buffer cannot, so here the array is
copied and then marked read-only, so a later write to it fails loudly instead of being
silently lost (documented in docs/differences.md).
"""

from __future__ import annotations

import builtins
import numbers
import warnings

import jax
import numpy as np

from . import _device as Dev
from . import _dtype as D
from ._size import Size
from ._tensor import Tensor, wrap
from .autograd import grad_mode


def _put(host: np.ndarray, device=None):
    dev = Dev.canonical(device)
    jdev = Dev.to_jax(dev)
    return jax.device_put(host, jdev)


def from_host(host: np.ndarray, dtype: D.dtype | None = None, device=None) -> Tensor:
    """A new tensor holding a copy of a numpy array (cast to ``dtype`` if given)."""
    if dtype is None:
        dtype = D.from_np(host.dtype)
    src = host
    if host.dtype != dtype._np:
        host = _cast_host(host, dtype)
    if not host.flags.c_contiguous:
        host = np.ascontiguousarray(host)  # (never for 0-d arrays: it would make them 1-d)
    if host is src or host.base is not None:
        # jax may wrap a CPU numpy buffer without copying (even with may_alias=False); a jax
        # buffer is immutable, so it must not share memory the caller can still write
        host = host.copy()
    return wrap(_put(host, device), dtype)


def _cast_host(host, dtype):
    if dtype._cat == D._BOOL:
        return host != 0
    if dtype._cat in (D._INT,) and host.dtype.kind == "f":
        # torch truncates toward zero; numpy's cast of inf/nan is undefined, keep it quiet
        with np.errstate(invalid="ignore"):
            return np.trunc(host).astype(dtype._np)
    if dtype._cat != D._COMPLEX and host.dtype.kind == "c":
        host = host.real
    return host.astype(dtype._np)


def from_numpy_copy(a: np.ndarray) -> Tensor:
    return from_host(a)


def _first_leaf(data):
    while isinstance(data, (list, tuple)) and len(data) > 0:
        data = data[0]
    return data


def _infer_host(data):
    """numpy array and torch dtype for Python data (scalar or nested sequences)."""
    if isinstance(data, np.ndarray):
        return data, D.from_np(data.dtype)
    if isinstance(data, np.generic):
        a = np.asarray(data)
        return a, D.from_np(a.dtype)
    if isinstance(data, builtins.bool):
        return np.asarray(data), D.bool
    if isinstance(data, builtins.int):
        if not -(2**63) <= data < 2**63:
            raise ValueError("Overflow when unpacking long long")
        return np.asarray(data, np.int64), D.int64
    if isinstance(data, builtins.float):
        return np.asarray(data, np.float64), D.get_default_dtype()
    if isinstance(data, builtins.complex):
        return np.asarray(data, np.complex128), D.default_complex()
    if isinstance(data, (list, tuple)):
        leaf = _first_leaf(data)
        if not isinstance(leaf, Tensor):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    a = np.array(data)
            except (ValueError, TypeError, OverflowError):
                a = None
            if a is not None and a.dtype.kind in "biufc":
                return a, _kind_dtype(a, data)
        return _slow_sequence(data)
    if isinstance(data, Tensor):
        return data.detach().numpy(), data.dtype
    if hasattr(data, "__array__") and not isinstance(data, (str, bytes)):
        a = np.asarray(data)
        return a, D.from_np(a.dtype)
    if isinstance(data, str):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if isinstance(data, numbers.Number):
        return _infer_host(
            complex(data)
            if isinstance(data, numbers.Complex) and not isinstance(data, numbers.Real)
            else float(data)
        )
    raise TypeError(f"new(): invalid data type '{type(data).__name__}'")


def _kind_dtype(a: np.ndarray, data):
    k = a.dtype.kind
    if k == "b":
        return D.bool
    if k in "iu":
        if k == "u" and a.dtype.itemsize == 8 and a.size and a.max() >= 2**63:
            raise RuntimeError("Overflow when unpacking long long")
        return D.int64
    if k == "f":
        return D.get_default_dtype()
    return D.default_complex()


def _slow_sequence(data):
    """Walk nested sequences the way torch does (its errors for ragged data and bad elements)."""
    shape = []
    d = data
    while isinstance(d, (list, tuple)):
        shape.append(len(d))
        if not d:
            break
        d = d[0]
    flat = []
    cats = set()

    def walk(x, dim):
        if dim == len(shape):
            if isinstance(x, (list, tuple)):
                raise ValueError(f"expected sequence of length {0} at dim {dim} (got {len(x)})")
            if isinstance(x, Tensor):
                if x.numel() != 1:
                    raise ValueError("only one element tensors can be converted to Python scalars")
                cats.add(x.dtype._cat if x.dtype._cat != D._FLOAT else D._FLOAT)
                flat.append(x.item())
                return
            if isinstance(x, np.generic):
                x = x.item()
            if isinstance(x, builtins.bool):
                cats.add(D._BOOL)
            elif isinstance(x, builtins.int):
                if not -(2**63) <= x < 2**63:
                    raise RuntimeError("Overflow when unpacking long long")
                cats.add(D._INT)
            elif isinstance(x, builtins.float):
                cats.add(D._FLOAT)
            elif isinstance(x, builtins.complex):
                cats.add(D._COMPLEX)
            else:
                raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
            flat.append(x)
            return
        if not isinstance(x, (list, tuple)) and not (isinstance(x, Tensor) and x.dim() > 0):
            raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
        if len(x) != shape[dim]:
            raise ValueError(
                f"expected sequence of length {shape[dim]} at dim {dim} (got {len(x)})"
            )
        for e in x:
            walk(e, dim + 1)

    walk(data, 0)
    cat = max(cats) if cats else D._FLOAT
    dt = {
        D._BOOL: D.bool,
        D._INT: D.int64,
        D._FLOAT: D.get_default_dtype(),
        D._COMPLEX: D.default_complex(),
    }[cat]
    npdt = {D._BOOL: np.bool_, D._INT: np.int64, D._FLOAT: np.float64, D._COMPLEX: np.complex128}[
        cat
    ]
    a = np.array(flat, dtype=npdt).reshape(shape) if flat else np.zeros(shape, npdt)
    return a, dt


_NO_DATA = object()


def tensor(
    data=_NO_DATA, *, dtype=None, device=None, requires_grad=False, pin_memory=False
) -> Tensor:
    """torch.tensor: always copies ``data``; Python data gets torch's dtype inference."""
    if data is _NO_DATA:
        raise TypeError('tensor() missing 1 required positional arguments: "data"')
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
            "or sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        with grad_mode.no_grad():
            t = data.detach().to(dtype=dtype or data.dtype, device=device or data.device, copy=True)
        t = wrap(t._v(), t.dtype)
    else:
        host, inferred = _infer_host(data)
        t = from_host(host, dtype or inferred, device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """torch.as_tensor: returns ``data`` itself when it is a tensor of the right dtype and device."""
    if isinstance(data, Tensor):
        if (dtype is None or dtype is data.dtype) and (
            device is None or Dev.canonical(device) == data.device
        ):
            return data
        return data.to(dtype=dtype or data.dtype, device=device or data.device)
    host, inferred = _infer_host(data)
    return from_host(host, dtype or inferred, device)


asarray_dtype_default = object()


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False) -> Tensor:
    """torch.asarray."""
    if isinstance(obj, Tensor):
        t = obj
        if (
            dtype is not None
            and dtype is not t.dtype
            or device is not None
            and Dev.canonical(device) != t.device
        ):
            t = t.to(dtype=dtype or t.dtype, device=device or t.device)
        elif copy:
            t = t.clone()
    elif isinstance(obj, jax.Array):
        t = wrap(obj)
        if dtype is not None:
            t = t.to(dtype)
    else:
        host, inferred = _infer_host(obj)
        t = from_host(host, dtype or inferred, device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(ndarray) -> Tensor:
    """torch.from_numpy (copies; the array is made read-only so later writes fail loudly)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    try:
        dt = D.from_np(ndarray.dtype)
    except TypeError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{ndarray.dtype}. The only supported types are: "
            "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, "
            "uint32, uint16, uint8, and bool."
        ) from None
    t = from_host(ndarray, dt)
    try:
        ndarray.flags.writeable = False
    except ValueError:
        pass
    return t


def from_jax(array) -> Tensor:
    """A tensor over a jax array (torchjax extension; zero copy)."""
    return wrap(array)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    a = np.frombuffer(buffer, dtype=dtype._np, count=count, offset=offset)
    t = from_host(a, dtype)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_from_numpy(arr, dtype_name, requires_grad, grad):
    t = from_host(arr, D._BY_NAME[dtype_name])
    if requires_grad:
        t.requires_grad_(True)
    if grad is not None:
        t._grad = grad
    return t


# ------------------------------------------------------------------ legacy constructors


def legacy_new(cls, dtype, args, kwargs, strict=False):
    """torch.Tensor(...), torch.FloatTensor(...), ...: sizes, data, or an existing tensor."""
    device = kwargs.pop("device", None)
    if kwargs:
        k = next(iter(kwargs))
        raise TypeError(
            f"new() received an invalid combination of arguments - got ({_argdesc(args, kwargs)}, {k}=...), "
            "but expected one of:\n * (*, torch.device device = None)\n * (torch.Storage storage)\n"
            " * (Tensor other)\n * (tuple of ints size, *, torch.device device = None)\n"
            " * (object data, *, torch.device device = None)\n"
        )
    if not args:
        t = from_host(np.zeros((0,), dtype._np), dtype, device)
    elif len(args) == 1 and isinstance(args[0], Tensor):
        src = args[0]
        if strict and src.dtype is not dtype:
            raise TypeError(f"expected {dtype._scalar_name} (got {src.dtype._scalar_name})")
        # an alias of the same storage, as torch's legacy constructor returns
        t = src.detach()
    elif (
        len(args) == 1
        and isinstance(args[0], Size)
        or all(isinstance(a, builtins.int) and not isinstance(a, builtins.bool) for a in args)
    ):
        shape = tuple(args[0]) if isinstance(args[0], Size) else tuple(args)
        t = from_host(np.zeros(shape, dtype._np), dtype, device)
    elif len(args) == 1:
        data = args[0]
        if not isinstance(data, (list, tuple, np.ndarray)) and not hasattr(data, "__array__"):
            raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
        host, _ = _infer_host(data)
        t = from_host(host, dtype, device)
    else:
        raise TypeError(
            f"new() received an invalid combination of arguments - got ({_argdesc(args, {})})"
        )
    if cls is not Tensor and not isinstance(t, cls):
        n = object.__new__(cls)
        n._adopt(t)
        t = n
    return t


def _argdesc(args, kwargs):
    return ", ".join(type(a).__name__ for a in args)


def _legacy_class(name: str, dtype: D.dtype):
    """torch.FloatTensor and friends: constructors whose instances are plain Tensors."""

    class _Meta(type):
        def __instancecheck__(cls, inst):
            return isinstance(inst, Tensor) and inst.dtype is dtype

        def __call__(cls, *args, **kwargs):
            return legacy_new(Tensor, dtype, args, kwargs, strict=True)

    return _Meta(name, (), {"dtype": dtype, "__module__": "torch"})


LEGACY = {d._legacy: _legacy_class(d._legacy, d) for d in D.ALL}
