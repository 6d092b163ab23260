"""torch.Tensor: a Storage plus shape/strides/offset, plus autograd metadata.

The value of a tensor is read from its storage through its view metadata and cached per
storage generation, so a tensor that owns a contiguous storage reads at no cost and a view
sees every write made through any alias. Methods that are ops (``add``, ``view``, ``sum`` ...)
are installed on this class by the op registry from their one declaration.
"""

from __future__ import annotations

import builtins
import copy
import math
import warnings
import weakref

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtype as D
from . import _storage as S
from ._device import from_jax as _device_from_jax
from ._size import Size
from .autograd import grad_mode

_tuple_new = tuple.__new__


def _size(shape) -> Size:
    return _tuple_new(Size, shape)


_PTR = [0x10000]


class UntypedStorage:
    """torch.UntypedStorage view of a Storage: byte size, data_ptr and identity."""

    __slots__ = ("_s",)

    def __init__(self, s):
        self._s = s

    def size(self) -> int:
        return self._s.nbytes

    nbytes = size

    def __len__(self):
        return self._s.nbytes

    def data_ptr(self) -> int:
        return _storage_ptr(self._s)

    def element_size(self) -> int:
        return 1

    @property
    def device(self):
        return _storage_device(self._s)

    def __eq__(self, other):
        return isinstance(other, UntypedStorage) and other._s is self._s

    def __hash__(self):
        return id(self._s)

    def __repr__(self):
        return (
            f" [torchjax.UntypedStorage(device={_storage_device(self._s)}) of size {self.size()}]"
        )


_storage_ptrs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_storage_devs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _storage_ptr(s) -> int:
    p = _storage_ptrs.get(s)
    if p is None:
        # a fake but stable address: a bump allocator, 64-byte aligned like torch's CPU allocator
        p = _storage_ptrs[s] = _PTR[0]
        _PTR[0] += (s.nbytes + 63) // 64 * 64 + 64
    return p


def _storage_device(s):
    d = _storage_devs.get(s)
    if d is None:
        a = s._array
        try:
            d = _device_from_jax(next(iter(a.devices())))
        except Exception:
            # a tracer (inside torch.compile): the device it will run on
            from ._device import CPU

            return CPU
        _storage_devs[s] = d
    return d


class Tensor:
    """torch.Tensor."""

    # class-level defaults keep tensor creation cheap: only what differs is set per instance
    _stride_ = None  # None means contiguous
    _offset = 0
    _base = None
    _requires_grad = False
    _grad_fn = None
    _output_nr = 0
    _grad = None
    _retains_grad = False
    _hooks = None
    _post_acc_hooks = None
    _accumulator = None
    _view_fn_gen = -1
    _rebase_gen = 0
    _is_inference = False
    _is_param = False

    __array_priority__ = 1000

    # ------------------------------------------------------------- construction

    def __new__(cls, *args, **kwargs):
        """Legacy constructor: ``torch.Tensor(2, 3)``, ``torch.Tensor([1, 2])``, ``torch.Tensor(t)``."""
        from ._creation import legacy_new

        return legacy_new(cls, D.get_default_dtype(), args, kwargs)

    def __init__(self, *args, **kwargs):
        pass

    @classmethod
    def _make_subclass(cls, subcls, data, require_grad=False):
        t = object.__new__(subcls)
        t._adopt(data)
        if require_grad:
            t.requires_grad_(True)
        return t

    def _adopt(self, other: Tensor):
        """Make self an alias of ``other`` (same storage, view metadata and version counter)."""
        self._storage = other._storage
        self._shape = other._shape
        self._stride_ = other._stride_
        self._offset = other._offset
        self._dtype = other._dtype
        self._cache = other._cache
        self._cache_gen = other._cache_gen
        self._vc = other._vc

    # ------------------------------------------------------------- value access

    def _v(self):
        """The value as a jax array (materialised from storage, cached per storage generation)."""
        s = self._storage
        if S.observer is not None:
            S.observer(s)
        if self._cache_gen == s.gen:
            return self._cache
        dt = self._dtype._np
        v = s.read(self._shape, self.stride(), self._offset, dt if dt != s._array.dtype else None)
        self._cache = v
        self._cache_gen = s.gen
        return v

    def _write(self, value):
        """Write a new value (already of this tensor's shape and dtype) through this view."""
        s = self._storage
        stride = self.stride()
        if S.has_internal_overlap(self._shape, stride):
            raise RuntimeError(
                "unsupported operation: more than one element of the written-to tensor refers to a "
                "single memory location. Please clone() the tensor before performing the operation."
            )
        s.write(self._shape, stride, self._offset, value)
        self._cache = value
        self._cache_gen = s.gen
        self._vc.version += 1

    # ------------------------------------------------------------- metadata

    @property
    def shape(self) -> Size:
        return self._shape

    def size(self, dim=None):
        if dim is None:
            return self._shape
        return self._shape[_wrap_dim(dim, len(self._shape))]

    def dim(self) -> int:
        return len(self._shape)

    ndimension = dim

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def numel(self) -> int:
        return math.prod(self._shape)

    nelement = numel

    @property
    def dtype(self) -> D.dtype:
        return self._dtype

    @property
    def device(self):
        return _storage_device(self._storage)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        return self.device.type == "cpu"

    is_sparse = False
    is_quantized = False
    is_meta = False
    is_nested = False
    is_mkldnn = False

    @property
    def layout(self):
        from . import strided

        return strided

    def stride(self, dim=None):
        st = self._stride_
        if st is None:
            st = self._stride_ = S.contiguous_strides(self._shape)
        if dim is None:
            return st
        return st[_wrap_dim(dim, len(self._shape))]

    def storage_offset(self) -> int:
        return self._offset

    def is_contiguous(self, memory_format=None) -> bool:
        if (
            memory_format is None
            or memory_format.name == "contiguous_format"
            or memory_format.name == "preserve_format"
        ):
            return self._stride_ is None or S.is_contiguous(self._shape, self._stride_)
        from ._memory_format import is_contiguous_as

        return is_contiguous_as(self, memory_format)

    def is_non_overlapping_and_dense(self) -> bool:
        st = self.stride()
        dims = sorted((s, n) for n, s in zip(self._shape, st) if n != 1)
        acc = 1
        for s, n in dims:
            if s != acc:
                return False
            acc *= n
        return True

    def element_size(self) -> int:
        return self._dtype.itemsize

    @property
    def itemsize(self) -> int:
        return self._dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.numel() * self._dtype.itemsize

    def data_ptr(self) -> int:
        if not self.numel():
            return 0  # torch: an empty tensor has no data (nullptr)
        return _storage_ptr(self._storage) + self._offset * self._dtype.itemsize

    def untyped_storage(self) -> UntypedStorage:
        return UntypedStorage(self._storage)

    def storage(self):
        warnings.warn(
            "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will "
            "be the only storage class. This should only matter to you if you are using storages "
            "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
            "tensor.storage()",
            UserWarning,
            stacklevel=2,
        )
        return UntypedStorage(self._storage)

    @property
    def _version(self) -> int:
        return self._vc.version

    def _is_view(self) -> bool:
        return self._base is not None

    def is_floating_point(self) -> bool:
        return self._dtype.is_floating_point

    def is_complex(self) -> bool:
        return self._dtype.is_complex

    def is_signed(self) -> bool:
        return self._dtype.is_signed

    def is_inference(self) -> bool:
        return self._is_inference

    def get_device(self) -> int:
        d = self.device
        return -1 if d.type == "cpu" else (d.index or 0)

    def is_shared(self) -> bool:
        return False

    def is_pinned(self, device=None) -> bool:
        return False

    def share_memory_(self):
        return self

    def pin_memory(self, device=None):
        return self

    @property
    def names(self):
        return (None,) * self.dim()

    # ------------------------------------------------------------- autograd metadata

    @property
    def grad_fn(self):
        if self._base is not None and self._view_fn_gen != self._base._rebase_gen:
            from .autograd.graph import regenerate_view_grad_fn

            regenerate_view_grad_fn(self)
        return self._grad_fn

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad or self.grad_fn is not None

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        if self.grad_fn is not None:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if requires_grad and not (self._dtype.is_floating_point or self._dtype.is_complex):
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and self._is_inference and not grad_mode.state.inference:
            raise RuntimeError(
                "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed."
            )
        self._requires_grad = builtins.bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self):
        if self._grad is None and self.grad_fn is not None and not self._retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during autograd.backward(). If you indeed want "
                "the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the "
                "non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access "
                "the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more "
                "information. (Triggered internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}"
                )
            if value._dtype is not self._dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_CPP_TYPE.get(value._dtype._name, value._dtype._name)}' "
                    f"to a tensor with grad_dtype '{self._dtype._scalar_name}'. The gradient must match the tensor's "
                    "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with a "
                    "specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of "
                    "a tensor and its gradient may break downstream systems that assume they match."
                )
            if value._shape != self._shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value._shape)}' to a tensor of size "
                    f"'{list(self._shape)}'. Please ensure that the gradient and the tensor are the same size"
                )
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self):
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        fn = self.grad_fn
        if fn is None or self._retains_grad:
            return
        self._retains_grad = True
        if fn._retain is None:
            fn._retain = {}
        fn._retain[self._output_nr] = weakref.ref(self)

    def register_hook(self, hook):
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from .autograd.graph import RemovableHandle, hook_dict

        if self._hooks is None:
            self._hooks = hook_dict()
        h = RemovableHandle(self._hooks)
        self._hooks[h.id] = hook
        fn = self.grad_fn
        if fn is not None:
            if fn._tensor_hooks is None:
                fn._tensor_hooks = {}
            fn._tensor_hooks[self._output_nr] = self._hooks
        return h

    def register_post_accumulate_grad_hook(self, hook):
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        from .autograd.graph import RemovableHandle, hook_dict

        if self._post_acc_hooks is None:
            self._post_acc_hooks = hook_dict()
        h = RemovableHandle(self._post_acc_hooks)
        self._post_acc_hooks[h.id] = hook
        return h

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        from .autograd import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """An alias sharing storage and version counter, outside the graph."""
        t = _alias(self)
        t._vc = self._vc
        t._base = self._base if self._base is not None else None
        if self._base is not None:
            t._view_fn_gen = self._base._rebase_gen
        return t

    def detach_(self):
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
                "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
                "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
                "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self._grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """Like detach(), but with a fresh version counter (writes through .data go unnoticed)."""
        t = _alias(self)
        t._vc = S.VersionCounter()
        return t

    @data.setter
    def data(self, new):
        if not isinstance(new, Tensor):
            raise TypeError(f"data must be a Tensor, not {type(new).__name__}")
        self._storage = new._storage
        self._shape = new._shape
        self._stride_ = new._stride_
        self._offset = new._offset
        self._dtype = new._dtype
        self._cache = new._cache
        self._cache_gen = new._cache_gen

    # ------------------------------------------------------------- conversions

    def item(self):
        n = self.numel()
        if n != 1:
            raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
        return _to_py(np.asarray(self._v()).reshape(()))

    def tolist(self):
        a = _host(self)
        if a.ndim == 0:
            return _to_py(a)
        return _host_list(a)

    def numpy(self, *, force=False) -> np.ndarray:
        if self.requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
            )
        if self.device.type != "cpu" and not force:
            raise TypeError(
                f"can't convert {self.device.type}:{self.device.index or 0} device type tensor to numpy. "
                "Use Tensor.cpu() to copy the tensor to host memory first."
            )
        return _host(self)

    def __array__(self, dtype=None, copy=None):
        a = _host(self)
        if dtype is not None:
            a = a.astype(dtype)
        elif copy:
            a = a.copy()
        return a

    def __array_wrap__(self, array, context=None, return_scalar=False):
        from ._creation import from_numpy_copy

        return from_numpy_copy(np.asarray(array))

    def jax(self):
        """The value as a jax array (torchjax extension; zero copy)."""
        return self._v()

    def __dlpack__(self, stream=None, **kwargs):
        return self._v().__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self._v().__dlpack_device__()

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __iter__(self):
        if not self._shape:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        n = self.numel()
        if n == 0:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
        if n > 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self.item())

    def __index__(self):
        if self.numel() != 1 or self._dtype.is_floating_point or self._dtype.is_complex:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    def __int__(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.int(self.item())

    def __float__(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.float(self.item())

    def __complex__(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.complex(self.item())

    def __hash__(self):
        return id(self)

    def __contains__(self, element):
        if isinstance(
            element, (Tensor, builtins.int, builtins.float, builtins.bool, builtins.complex)
        ):
            return builtins.bool((self == element).any().item())
        raise RuntimeError(
            f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}."
        )

    def __format__(self, format_spec):
        if self.dim() == 0 and not self.is_meta:
            return self.item().__format__(format_spec)
        return object.__format__(self, format_spec)

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import tensor_repr

        return tensor_repr(self, tensor_contents=tensor_contents)

    __str__ = __repr__

    def __reduce_ex__(self, proto):
        from ._creation import _rebuild_from_numpy

        state = (_host(self).copy(), self._dtype._name, self.requires_grad, self._grad)
        return (_rebuild_from_numpy, state)

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                "because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001"
            )
        if id(self) in memo:
            return memo[id(self)]
        with grad_mode.no_grad():
            new = self.clone()
        if type(self) is not Tensor:
            new = (
                type(self)._from_deepcopy(new, self)
                if hasattr(type(self), "_from_deepcopy")
                else new
            )
        new._requires_grad = self._requires_grad
        if self._grad is not None:
            new._grad = copy.deepcopy(self._grad, memo)
        new.__dict__.update(
            {k: copy.deepcopy(v, memo) for k, v in self.__dict__.items() if not k.startswith("_")}
        )
        memo[id(self)] = new
        return new

    # ------------------------------------------------------------- device / dtype moves

    def cpu(self, memory_format=None):
        return self.to("cpu")

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        from ._device import device as dev

        d = (
            dev("cuda", device)
            if isinstance(device, builtins.int) or device is None
            else dev(device)
        )
        return self.to(d)

    def type(self, dtype=None, non_blocking=False, **kwargs):
        if dtype is None:
            return "torch." + self._dtype._legacy
        if isinstance(dtype, str):
            name = dtype.rsplit(".", 1)[-1]
            for d in D.ALL:
                if d._legacy == name:
                    dtype = d
                    break
            else:
                raise ValueError(f"invalid type: '{dtype}'")
        return self.to(dtype)

    def __torch_function__(
        self, *a, **k
    ):  # pragma: no cover - torch subclass protocol not supported
        return NotImplemented


# C++ names torch prints for a dtype in the .grad assignment error
_CPP_TYPE = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "bfloat16": "c10::BFloat16",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
    "complex64": "c10::complex<float>",
    "complex128": "c10::complex<double>",
}


def _alias(t: Tensor) -> Tensor:
    a = object.__new__(Tensor)
    a._storage = t._storage
    a._shape = t._shape
    a._stride_ = t._stride_
    a._offset = t._offset
    a._dtype = t._dtype
    a._cache = t._cache
    a._cache_gen = t._cache_gen
    return a


def _wrap_dim(dim, ndim: int) -> int:
    if not isinstance(dim, builtins.int) or isinstance(dim, builtins.bool):
        if hasattr(dim, "__index__"):
            dim = dim.__index__()
        else:
            raise TypeError(f"dim must be int, not {type(dim).__name__}")
    n = max(ndim, 1)
    if dim < -n or dim >= n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim + n if dim < 0 else dim


wrap_dim = _wrap_dim


def wrap(value, dtype: D.dtype | None = None) -> Tensor:
    """A new tensor owning a fresh storage holding ``value`` (a jax array)."""
    t = object.__new__(Tensor)
    s = S.Storage(value)
    t._storage = s
    t._shape = _tuple_new(Size, value.shape)
    t._dtype = dtype if dtype is not None else D._FROM_NP[value.dtype]
    t._cache = value
    t._cache_gen = 0
    t._vc = S.VersionCounter()
    if grad_mode.state.inference:
        t._is_inference = True
    return t


def make_view(src: Tensor, shape, stride, offset, value=None, dtype=None) -> Tensor:
    """A view of ``src``'s storage; ``value`` (if given) is its value at the current generation."""
    t = object.__new__(Tensor)
    s = src._storage
    t._storage = s
    t._shape = _tuple_new(Size, shape)
    t._stride_ = tuple(stride)
    t._offset = offset
    t._dtype = src._dtype if dtype is None else dtype
    if value is not None:
        t._cache = value
        t._cache_gen = s.gen
    else:
        t._cache = None
        t._cache_gen = -1
    t._vc = src._vc
    base = src._base if src._base is not None else src
    t._base = base
    t._view_fn_gen = base._rebase_gen
    if src._is_inference:
        t._is_inference = True
    return t


def _host(t: Tensor) -> np.ndarray:
    a = np.asarray(t._v())
    if a.dtype == jnp.bfloat16 or a.dtype.itemsize == 1 and a.dtype.kind == "V":
        a = a.astype(np.float32)
    elif t._dtype in D._FLOAT8:
        a = a.astype(np.float32)
    return a


def _host_list(a: np.ndarray):
    return a.tolist()


def _to_py(a: np.ndarray):
    if (
        a.dtype == jnp.bfloat16
        or a.dtype.kind == "V"
        or a.dtype.itemsize == 1
        and a.dtype.kind == "f"
    ):
        a = a.astype(np.float32)
    if a.dtype.kind == "f" and a.dtype.itemsize < 4:
        a = a.astype(np.float32)
    return a.item()


jax_array_types = (jax.Array,)
