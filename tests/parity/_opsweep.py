"""Engine of the op parity sweep driven by torch's own OpInfo database.

``torch.testing._internal.common_methods_invocations.op_db`` lists torch's operators with
sample inputs, supported dtypes, variants (function / method / in-place / aliases), gradient
support and error inputs. For every in-scope OpInfo this module runs each sample through
torch and through torchjax and compares the results. It is used by ``test_ops.py`` (pytest,
bounded) and by ``sweep.py`` (the full sweep writing ``reports/parity.{md,json}``).

A *case* is one (OpInfo, dtype, variant); its key is ``"opid:dtype:variant"`` where ``opid``
is the OpInfo name plus ``.variant_test_name`` when it has one (``div.trunc_rounding``) and
variant is one of

- ``function``                 ``op.op`` (torch.X, torch.linalg.X ..., or the OpInfo's lambda)
- ``method``                   ``op.method_variant`` (Tensor.X)
- ``inplace``                  ``op.inplace_variant`` (Tensor.X_): mutated self and ``result is self``
- ``alias(NAME)`` / ``alias(NAME).method`` / ``alias(NAME).inplace``   ``op.aliases``
- ``grad``                     input gradients of the function variant for a fixed cotangent
- ``error``                    ``op.error_inputs('cpu')``: same exception type (dtype ``any``)

Comparison: values with the dtype's default tolerance (torch.testing's), widened by the
largest tolerance the OpInfo itself declares for that dtype (``toleranceOverride`` /
``precisionOverride`` decorators, any test class, CPU or any device), NaN == NaN; dtype;
shape; Python types of non-tensor results (bool / int / float / tuple / list / named tuple).
Random ops are compared on shape and dtype; their values are compared too after seeding both
libraries with ``manual_seed(0)`` and a difference is reported as a note, not a failure.
Ops with non-unique outputs (SVD, eigen-decompositions, sort ties) use invariant checks.
Strides are compared and reported as notes (not failures).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import re
import signal
import sys
import time
import traceback
import types
import warnings

import numpy as np

_HERE = os.path.dirname(os.path.abspath(__file__))
for _p in (os.path.dirname(_HERE), _HERE):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import torch  # noqa: E402
from _compare import dtype_tj, to_tj  # noqa: E402

import torchjax  # noqa: E402

# ---------------------------------------------------------------------------------------------
# the OpInfo database

DTYPE_NAMES = ("float32", "float64", "int64", "bool")
# for ops without float32: the dtype that stands in for "float32" in the headline numbers
PRIMARY_ORDER = ("float32", "int64", "bool", "complex64", "float64", "int32", "complex128")


@functools.cache
def op_db():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torch.testing._internal.common_methods_invocations import op_db as db
    return tuple(db)


def opid(op) -> str:
    return op.name + (f".{op.variant_test_name}" if op.variant_test_name else "")


@functools.cache
def ops_by_id():
    out = {}
    for op in op_db():
        k = opid(op)
        assert k not in out, f"duplicate OpInfo id {k}"
        out[k] = op
    return out


# ---------------------------------------------------------------------------------------------
# scope and families

FAMILIES = ("torch", "nn.functional", "linalg", "fft", "special")  # counted in the 90% rule
FAMILY_LABELS = {
    "torch": "torch.* / Tensor",
    "nn.functional": "nn.functional pointwise & reduction",
    "linalg": "torch.linalg",
    "fft": "torch.fft",
    "special": "torch.special",
    "nn.functional (other)": "nn.functional other (not counted)",
}

# nn.functional OpInfos counted in the "pointwise-and-reduction" family: activations, the
# softmax family, distances/normalisation by reductions, losses (elementwise terms + a
# reduction), and dropout (a random pointwise mask). Everything else in nn.functional (conv,
# pooling, interpolation, padding, normalisation layers, embedding, attention, shuffles,
# one_hot) is run and reported as "nn.functional (other)" but not counted.
NN_POINTWISE_REDUCTION = frozenset(
    """
    relu relu6 elu celu selu gelu silu mish hardswish hardsigmoid hardtanh hardshrink softshrink
    tanhshrink softsign softplus logsigmoid leaky_relu prelu rrelu glu threshold
    softmin
    normalize cosine_similarity pairwise_distance pdist
    binary_cross_entropy binary_cross_entropy_with_logits cross_entropy linear_cross_entropy
    nll_loss kl_div mse_loss l1_loss smooth_l1_loss huber_loss soft_margin_loss
    margin_ranking_loss multi_margin_loss multilabel_margin_loss multilabel_soft_margin_loss
    hinge_embedding_loss cosine_embedding_loss triplet_margin_loss
    triplet_margin_with_distance_loss poisson_nll_loss gaussian_nll_loss ctc_loss
    dropout dropout2d dropout3d alpha_dropout feature_alpha_dropout
""".split()
)


def family(op) -> str:
    """The family an in-scope OpInfo is reported under (see FAMILIES)."""
    n = op.name
    for ns in ("linalg", "fft", "special"):
        if n.startswith(ns + "."):
            return ns
    if n.startswith("nn.functional."):
        short = n[len("nn.functional.") :]
        return "nn.functional" if short in NN_POINTWISE_REDUCTION else "nn.functional (other)"
    return "torch"


def torch_name_exists(op) -> bool:
    """The family rule: the OpInfo's torch name exists in its namespace (or on Tensor)."""
    n = op.name
    for ns in ("linalg", "fft", "special"):
        if n.startswith(ns + "."):
            return hasattr(getattr(torch, ns), n[len(ns) + 1 :])
    if n.startswith("nn.functional."):
        return hasattr(torch.nn.functional, n[len("nn.functional.") :])
    if "." in n:
        return False
    # in-place-only ops (cauchy, uniform ...) exist as Tensor.X_
    return hasattr(torch, n) or hasattr(torch.Tensor, n) or hasattr(torch.Tensor, n + "_")


def scope_rule(op) -> str | None:
    """Why an OpInfo is out of scope (None: in scope). known_failures.OUT_OF_SCOPE lists them."""
    n = op.name
    if n.startswith("sparse.") or n == "to_sparse":
        return "sparse layouts: torchjax has strided tensors only"
    if n.startswith("masked."):
        return "torch.masked (prototype masked-tensor reductions): not a target family"
    if n.startswith("signal."):
        return "torch.signal.windows: not a target family"
    if n.startswith("jiterator_"):
        return "CUDA jiterator (torch.cuda.jiterator): needs CUDA"
    if (
        n.startswith("torch.ops.")
        or n == "slice"
        or n in ("native_dropout_backward", "max_pool2d_with_indices_backward")
    ):
        return "raw ATen operator (torch.ops.aten), not public torch API"
    if n in ("torch._scaled_mm", "torch._scaled_mm_v2"):
        return "float8 scaled matmul: CUDA-only private op"
    if n.startswith("_") and not n.startswith("__"):
        return "private ATen op (leading underscore), not public torch API"
    if not op.supported_dtypes("cpu"):
        return "no CPU dtypes (CUDA/cuDNN/triton-only variant)"
    if n == "bmm" and op.variant_test_name == "triton_optimized":
        return "triton DSL override of bmm (GPU); the plain bmm OpInfo covers torch.bmm"
    if not torch_name_exists(op):
        return "no torch name in torch.* / Tensor / nn.functional / linalg / fft / special"
    return None


def counted(op) -> bool:
    return family(op) in FAMILIES


def primary_dtype(op):
    dts = op.supported_dtypes("cpu")
    for name in PRIMARY_ORDER:
        d = getattr(torch, name)
        if d in dts:
            return d
    return None


def sweep_dtypes(op, names=DTYPE_NAMES):
    dts = op.supported_dtypes("cpu")
    out = [getattr(torch, n) for n in names if getattr(torch, n) in dts]
    if not out:
        p = primary_dtype(op)
        out = [p] if p is not None else []
    return out


def torch_dtype(name):
    return getattr(torch, name)


def dtname(d) -> str:
    return "any" if d is None else str(d).replace("torch.", "")


def forward_variants(op):
    out = []
    if op.op is not None:
        out.append("function")
    if op.method_variant is not None:
        out.append("method")
    if op.inplace_variant is not None:
        out.append("inplace")
    for a in op.aliases:
        if a.op is not None:
            out.append(f"alias({a.name})")
        if a.method_variant is not None:
            out.append(f"alias({a.name}).method")
        if a.inplace_variant is not None:
            out.append(f"alias({a.name}).inplace")
    return out


def grad_dtypes(op, dtypes):
    if not op.supports_autograd:
        return []
    bd = op.supported_backward_dtypes("cpu")
    return [d for d in dtypes if d in (torch.float32, torch.float64) and d in bd]


@dataclasses.dataclass(frozen=True)
class Case:
    opid: str
    dtype: str  # "float32" ..., "any" for error cases
    variant: str

    @property
    def key(self):
        return f"{self.opid}:{self.dtype}:{self.variant}"

    def __str__(self):
        return self.key


def cases_for(op, dtypes, *, grad=True, errors=True):
    k = opid(op)
    out = []
    for d in dtypes:
        for v in forward_variants(op):
            out.append(Case(k, dtname(d), v))
    if grad:
        for d in grad_dtypes(op, dtypes):
            out.append(Case(k, dtname(d), "grad"))
    if errors and op.error_inputs_func is not None:
        out.append(Case(k, "any", "error"))
    return out


def known_failure_keys(case: Case):
    """Keys of known_failures.KNOWN_FAILURES that cover a case, finest first."""
    o, d, v = case.opid, case.dtype, case.variant
    return (f"{o}:{d}:{v}", f"{o}:{d}", f"{o}/{v}", o)


def lookup_known(case: Case, known: dict):
    for k in known_failure_keys(case):
        if k in known:
            return k, known[k]
    return None, None


# ---------------------------------------------------------------------------------------------
# resolving torch callables to torchjax callables

_NS = {"": "torch", "linalg": "torch.linalg", "fft": "torch.fft", "special": "torch.special",
       "nn.functional": "torch.nn.functional"}  # fmt: skip


def _torch_ns(ns):
    return {"": torch, "linalg": torch.linalg, "fft": torch.fft, "special": torch.special,
            "nn.functional": torch.nn.functional}[ns]  # fmt: skip


def _tj_ns(ns):
    return {"": torchjax, "linalg": getattr(torchjax, "linalg", None), "fft": getattr(torchjax, "fft", None),
            "special": getattr(torchjax, "special", None),
            "nn.functional": getattr(getattr(torchjax, "nn", None), "functional", None)}[ns]  # fmt: skip


class NotInTorchjax(NotImplementedError):
    """The torchjax counterpart of a torch callable does not exist (yet)."""


class UnsupportedSample(Exception):
    """A sample the harness cannot express in torchjax (sparse layout, nn.Module argument ...)."""


@functools.cache
def _torch_index():
    """id(torch callable) -> (namespace, name), and id(Tensor attribute) -> name."""
    mod, ten = {}, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ns in ("nn.functional", "special", "fft", "linalg", ""):  # later wins: torch.* first
            m = _torch_ns(ns)
            for name in dir(m):
                if name.startswith("__"):
                    continue
                try:
                    v = getattr(m, name)
                except Exception:  # noqa: BLE001
                    continue
                if callable(v) and not isinstance(v, (type, types.ModuleType)):
                    mod[id(v)] = (ns, name)
        for name in dir(torch.Tensor):
            try:
                v = getattr(torch.Tensor, name)
            except Exception:  # noqa: BLE001
                continue
            ten.setdefault(id(v), name)
    return mod, ten


def tj_function(ns, name):
    m = _tj_ns(ns)
    f = getattr(m, name, None) if m is not None else None
    if f is None:
        raise NotInTorchjax(f"torchjax.{ns + '.' if ns else ''}{name} is not implemented")
    return f


def tj_method(obj, name):
    if isinstance(obj, torchjax.Tensor) and not hasattr(type(obj), name):
        raise NotInTorchjax(f"torchjax Tensor.{name} is not implemented")
    return getattr(obj, name)


def _call_function(ns, name):
    def f(*args, **kwargs):
        return tj_function(ns, name)(*args, **kwargs)

    f.__name__ = name
    return f


def _call_method(name):
    python_method = isinstance(getattr(torch.Tensor, name, None), types.FunctionType)

    def f(self, *args, **kwargs):
        if not isinstance(self, torchjax.Tensor):
            # what calling the unbound torch.Tensor.X does: a C method descriptor refuses a
            # non-Tensor self; a Python-level method (torch/_tensor.py) just runs
            if python_method and hasattr(torchjax.Tensor, name):
                return getattr(torchjax.Tensor, name)(self, *args, **kwargs)
            raise TypeError(
                f"descriptor '{name}' for 'Tensor' objects doesn't apply to a '{type(self).__name__}' object"
            )
        return tj_method(self, name)(*args, **kwargs)

    f.__name__ = name
    return f


def resolve(fn, qualname=None):
    """(label, torchjax callable) for a torch callable (function, method or OpInfo lambda)."""
    if qualname is not None:  # a name like "special.i0" / "linalg.norm" / "abs"
        q = qualname[len("torch.") :] if qualname.startswith("torch.") else qualname
        ns, _, short = q.rpartition(".")
        if ns in _NS and getattr(_torch_ns(ns), short, None) is fn:
            return f"{_NS[ns]}.{short}", _call_function(ns, short)
    mod, ten = _torch_index()
    hit = mod.get(id(fn))
    if hit is not None:
        ns, name = hit
        return f"{_NS[ns]}.{name}", _call_function(ns, name)
    name = ten.get(id(fn))
    if name is not None:
        return f"Tensor.{name}", _call_method(name)
    if isinstance(fn, types.FunctionType):
        return f"<{fn.__module__}.{fn.__qualname__}>", swap(fn)
    if isinstance(fn, functools.partial):
        label, f = resolve(fn.func)
        return f"partial({label}, {fn.keywords})", _map_value(fn)
    raise NotImplementedError(f"cannot map {fn!r} to torchjax")


def resolve_method(fn):
    mod, ten = _torch_index()
    name = ten.get(id(fn))
    if name is not None:
        return f"Tensor.{name}", _call_method(name)
    return resolve(fn)


class _NsProxy:
    """Stands for ``torch`` / ``torch.nn.functional`` ... inside OpInfo lambdas run on torchjax."""

    def __init__(self, obj, path):
        self._obj = obj
        self._path = path

    def __getattr__(self, name):
        try:
            v = getattr(self._obj, name)
        except AttributeError:
            raise NotInTorchjax(f"torchjax: {self._path}.{name} is not implemented") from None
        if isinstance(v, types.ModuleType):
            return _NsProxy(v, f"{self._path}.{name}")
        return v

    def __repr__(self):
        return f"<torchjax proxy for {self._path}>"


def _tj_wrapper_set_seed(op, *args, **kwargs):
    torchjax.manual_seed(42)
    return op(*args, **kwargs)


_MAPPED_MODULES = ("torch", "torch.nn", "torch.nn.functional", "torch.linalg", "torch.fft", "torch.special",
                   "torch.autograd", "torch.random")  # fmt: skip


def _map_value(v):
    """The torchjax counterpart of a global/closure value of an OpInfo lambda."""
    if isinstance(v, types.ModuleType):
        if v.__name__ in _MAPPED_MODULES:
            path = v.__name__
            obj = torchjax
            for part in path.split(".")[1:]:
                obj = getattr(obj, part, None)
                if obj is None:
                    return _NsProxy(types.SimpleNamespace(), path)
            return _NsProxy(obj, path)
        return v
    if v is torch.Tensor:
        return torchjax.Tensor
    if isinstance(v, torch.dtype):
        return dtype_tj(v)
    if isinstance(v, type):
        return v
    if isinstance(v, functools.partial):
        return functools.partial(
            _map_value(v.func),
            *[_map_value(a) for a in v.args],
            **{k: _map_value(a) for k, a in v.keywords.items()},
        )
    if getattr(v, "__name__", None) == "wrapper_set_seed" and getattr(
        v, "__module__", ""
    ).startswith("torch.testing"):
        return _tj_wrapper_set_seed
    if callable(v):
        mod, ten = _torch_index()
        hit = mod.get(id(v))
        if hit is not None:
            return _call_function(*hit)
        name = ten.get(id(v))
        if name is not None:
            return _call_method(name)
        if isinstance(v, types.FunctionType) and (v.__module__ or "").startswith("torch.testing"):
            return _LazySwap(v)
    return v


class _LazySwap:
    """A torch.testing helper called from an OpInfo lambda: swapped to torchjax when called."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, *args, **kwargs):
        return swap(self.fn)(*args, **kwargs)


_GLOBALS_CACHE: dict = {}


def _swapped_globals(g):
    key = id(g)
    hit = _GLOBALS_CACHE.get(key)
    if hit is None:
        hit = {k: _map_value(v) for k, v in g.items()}
        _GLOBALS_CACHE[key] = hit
    return hit


@functools.cache
def swap(fn):
    """``fn`` (a Python function written against torch) rebound to torchjax: its globals and
    closure cells that name torch modules/functions/dtypes now name torchjax's."""
    g = _swapped_globals(fn.__globals__)
    closure = None
    if fn.__closure__:
        cells = []
        for c in fn.__closure__:
            try:
                cells.append(types.CellType(_map_value(c.cell_contents)))
            except ValueError:  # empty cell
                cells.append(types.CellType())
        closure = tuple(cells)
    new = types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, closure)
    new.__kwdefaults__ = fn.__kwdefaults__
    new.__qualname__ = fn.__qualname__
    return new


def variant_callables(op, variant):
    """(label, torch callable, torchjax callable) of a forward variant."""
    if variant == "function":
        label, f = resolve(op.op, op.name)
        return label, op.op, f
    if variant == "method":
        label, f = resolve_method(op.method_variant)
        return label, op.method_variant, f
    if variant == "inplace":
        label, f = resolve_method(op.inplace_variant)
        return label, op.inplace_variant, f
    m = re.fullmatch(r"alias\((.+)\)(\.method|\.inplace)?", variant)
    if m:
        alias = next(a for a in op.aliases if a.name == m.group(1))
        if m.group(2) == ".method":
            label, f = resolve_method(alias.method_variant)
            return label, alias.method_variant, f
        if m.group(2) == ".inplace":
            label, f = resolve_method(alias.inplace_variant)
            return label, alias.inplace_variant, f
        label, f = resolve(alias.op, alias.name)
        return label, alias.op, f
    raise ValueError(variant)


# ---------------------------------------------------------------------------------------------
# converting sample inputs

_TJ_MEMFMT = {"torch.contiguous_format": "contiguous_format", "torch.channels_last": "channels_last",
              "torch.channels_last_3d": "channels_last_3d", "torch.preserve_format": "preserve_format"}  # fmt: skip


def _host_copy(t):
    # .numpy() on the sample's own tensor would mark its storage non-resizable, and a later
    # torch call resizing it (an ``out=`` error input) would then fail differently: copy first.
    t = t.detach().clone()
    if t.dtype == torch.bfloat16:
        t = t.float()
    return np.array(t.resolve_conj().resolve_neg().numpy(), copy=True)


def tensor_to_tj(x, storages=None):
    """A torchjax copy of a torch tensor: same dtype, shape, strides, storage offset and
    requires_grad; the data is copied (never shares memory with torch). ``storages`` (a dict
    shared by one sample's conversions) maps torch storages to torchjax tensors already made
    over a copy of them, so that views of one torch storage (``out=x[:1]`` with ``x[1:]``
    ...) are views of one torchjax storage too, as torch's overlap checks need."""
    dt = dtype_tj(x.dtype)
    n = x.untyped_storage().nbytes() // x.element_size()
    key = (x.untyped_storage().data_ptr(), x.dtype)
    shareable = storages is not None and x.numel() > 0 and not x.is_conj() and not x.is_neg()
    if shareable and key in storages:
        out = storages[key].as_strided(tuple(x.shape), tuple(x.stride()), x.storage_offset())
    elif x.numel() > 0 and (not x.is_contiguous() or x.storage_offset() != 0 or n != x.numel()):
        flat = torch.as_strided(x.detach(), (n,), (1,), 0)
        out = torchjax.tensor(_host_copy(flat), dtype=dt).as_strided(
            tuple(x.shape), tuple(x.stride()), x.storage_offset()
        )
    elif x.dim() > 64:  # numpy arrays have at most 64 dims: copy flat, reshape in torchjax
        out = torchjax.tensor(_host_copy(x.reshape(-1)), dtype=dt).reshape(tuple(x.shape))
    else:
        out = torchjax.tensor(_host_copy(x), dtype=dt)
    if shareable and key not in storages:
        storages[key] = out
    if x.requires_grad:
        out = out.detach()
        out.requires_grad_(True)
    return out


def convert(x, memo, storages=None):
    """A torchjax copy of torch sample data; tensors keep dtype, layout and requires_grad, and
    a tensor appearing twice becomes one torchjax tensor, views of one storage views of one
    torchjax storage (aliasing is preserved; ``storages``: see ``tensor_to_tj``)."""
    if storages is None:
        storages = {}
    if isinstance(x, torch.Tensor):
        hit = memo.get(id(x))
        if hit is None:
            if x.layout != torch.strided:
                raise UnsupportedSample(f"sample uses a {x.layout} tensor")
            if x.device.type != "cpu":
                raise UnsupportedSample(f"sample uses a {x.device.type} tensor")
            if x.dtype not in (torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
                               torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64,
                               torch.complex128, torch.uint16, torch.uint32, torch.uint64):  # fmt: skip
                raise UnsupportedSample(f"sample uses dtype {x.dtype}")
            hit = memo[id(x)] = (tensor_to_tj(x, storages), x)
        return hit[0]
    if isinstance(x, (torch.dtype, torch.Size, torch.device)):
        return to_tj(x)
    if isinstance(x, torch.memory_format):
        return getattr(torchjax, _TJ_MEMFMT[str(x)])
    if isinstance(x, torch.layout):
        return getattr(torchjax, str(x).replace("torch.", ""))
    if isinstance(x, torch.Generator):
        return torchjax.Generator().manual_seed(x.initial_seed())
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return type(x)(*[convert(v, memo, storages) for v in x])
    if isinstance(x, (list, tuple)):
        return type(x)(convert(v, memo, storages) for v in x)
    if isinstance(x, dict):
        return {k: convert(v, memo, storages) for k, v in x.items()}
    if isinstance(x, torch.nn.PairwiseDistance) and hasattr(
        getattr(torchjax, "nn", None), "PairwiseDistance"
    ):
        return torchjax.nn.PairwiseDistance(p=x.norm, eps=x.eps, keepdim=x.keepdim)
    if isinstance(x, torch.nn.Module):
        raise UnsupportedSample(f"sample passes a torch.nn.Module ({type(x).__name__})")
    if callable(x) and not isinstance(x, type):
        return (
            _map_value(x)
            if not isinstance(x, types.FunctionType) or x.__module__ != "builtins"
            else x
        )
    return x


def convert_sample(sample, memo):
    storages = {}
    return (
        convert(sample.input, memo, storages),
        convert(tuple(sample.args), memo, storages),
        convert(dict(sample.kwargs), memo, storages),
    )


# ---------------------------------------------------------------------------------------------
# tolerances

_BASE_TOL = {
    torch.float16: (1e-3, 1e-5),
    torch.bfloat16: (1.6e-2, 1e-5),
    torch.float32: (1.3e-6, 1e-5),
    torch.float64: (1e-7, 1e-7),
    torch.complex64: (1.3e-6, 1e-5),
    torch.complex128: (1e-7, 1e-7),
}  # fmt: skip  (torch.testing.assert_close defaults)


@functools.cache
def _declared_tol(oid, dtype):
    """The largest (rtol, atol) the OpInfo declares for ``dtype`` in its decorators."""
    from torch.testing._internal.common_device_type import precisionOverride, toleranceOverride
    from torch.testing._internal.opinfo.core import DecorateInfo

    op = ops_by_id()[oid]
    rtol = atol = 0.0
    for di in op.decorators:
        decs, ok = [di], True
        if isinstance(di, DecorateInfo):
            decs = di.decorators
            ok = (
                di.device_type in (None, "cpu")
                and (di.dtypes is None or dtype in di.dtypes)
                and di.active_if is not False
            )
        if not ok:
            continue
        for dd in decs:
            if isinstance(dd, toleranceOverride) and dtype in dd.d:
                atol, rtol = max(atol, dd.d[dtype].atol), max(rtol, dd.d[dtype].rtol)
            elif isinstance(dd, precisionOverride) and dtype in dd.d:
                atol = max(atol, dd.d[dtype])
    return rtol, atol


GRAD_TOL_FACTOR = 10.0  # gradients chain several kernels: 10x the forward tolerance


def tolerance(oid, sample_dtype, out_dtype, grad=False):
    if not (out_dtype.is_floating_point or out_dtype.is_complex):
        return 0.0, 0.0
    r, a = _BASE_TOL.get(out_dtype, (0.0, 0.0))
    if sample_dtype is not None and (sample_dtype.is_floating_point or sample_dtype.is_complex):
        dr, da = _declared_tol(oid, sample_dtype)
        r, a = max(r, dr), max(a, da)
    if grad:
        r, a = r * GRAD_TOL_FACTOR, a * GRAD_TOL_FACTOR
    return r, a


# ---------------------------------------------------------------------------------------------
# comparison


class Mismatch(AssertionError):
    def __init__(self, kind, msg):
        super().__init__(msg)
        self.kind = kind


def _np(t):
    if isinstance(t, torchjax.Tensor):
        return np.asarray(t.detach().numpy())
    t = t.detach()
    if t._is_zerotensor():  # e.g. torch's gradient of sgn for real inputs
        t = torch.zeros(t.shape, dtype=t.dtype)
    if t.dtype == torch.bfloat16:
        t = t.float()
    return t.resolve_conj().resolve_neg().numpy()


def _value_diff(a, b, rtol, atol):
    """None if equal within tolerance (NaN == NaN), else a short description."""
    if a.shape != b.shape:
        return f"shape {a.shape} != {b.shape}"
    if a.size == 0:
        return None
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        cplx = a.dtype.kind == "c" or b.dtype.kind == "c"
        a = a.astype(np.complex128 if cplx else np.float64)
        b = b.astype(np.complex128 if cplx else np.float64)
        with np.errstate(all="ignore"):
            an, bn = np.isnan(a), np.isnan(b)
            same_inf = a == b
            diff = np.abs(a - b)
            bad = ~((an & bn) | same_inf | (~an & ~bn & (diff <= atol + rtol * np.abs(b))))
        if not bad.any():
            return None
        idx = np.unravel_index(np.argmax(bad), a.shape) if a.ndim else ()
        finite = np.isfinite(diff) & bad
        mx = float(diff[finite].max()) if finite.any() else float("nan")
        return (
            f"{int(bad.sum())}/{a.size} elements differ (rtol={rtol:g}, atol={atol:g}); max abs diff {mx:.3g}; "
            f"first at {tuple(int(i) for i in idx)}: torchjax {a[idx]!r} vs torch {b[idx]!r}"
        )
    if a.dtype.kind == "b" or b.dtype.kind == "b":
        bad = a.astype(bool) != b.astype(bool)
    else:
        bad = (
            a.astype(np.int64) != b.astype(np.int64)
            if a.dtype.kind in "iub" and b.dtype.kind in "iub"
            else a != b
        )
    if not np.any(bad):
        return None
    idx = np.unravel_index(np.argmax(bad), a.shape) if a.ndim else ()
    return (
        f"{int(np.sum(bad))}/{a.size} elements differ; first at {tuple(int(i) for i in idx)}: "
        f"torchjax {a[idx]!r} vs torch {b[idx]!r}"
    )


def compare(tj, th, ctx, path="out", values=True):
    """Raise Mismatch unless ``tj`` (torchjax) matches ``th`` (torch)."""
    if isinstance(th, torch.Tensor):
        if not isinstance(tj, torchjax.Tensor):
            raise Mismatch("type", f"{path}: torch returns a Tensor, torchjax {type(tj).__name__}")
        if tuple(tj.shape) != tuple(th.shape):
            raise Mismatch("shape", f"{path}: shape {tuple(tj.shape)} != torch {tuple(th.shape)}")
        dt_ok = str(tj.dtype) == str(th.dtype)
        if values:
            rtol, atol = tolerance(ctx.oid, ctx.dtype, th.dtype, grad=ctx.grad)
            d = _value_diff(_np(tj), _np(th), rtol, atol)
            if d is not None:
                raise Mismatch(
                    "values",
                    f"{path}: {d}"
                    + ("" if dt_ok else f" (and dtype {tj.dtype} != torch {th.dtype})"),
                )
        if not dt_ok:
            raise Mismatch("dtype", f"{path}: dtype {tj.dtype} != torch {th.dtype}")
        if (
            th.numel() > 1
            and th.layout == torch.strided
            and tuple(tj.stride()) != tuple(th.stride())
        ):
            ctx.note("stride", f"{path}: stride {tuple(tj.stride())} != torch {tuple(th.stride())}")
        return
    if isinstance(th, torch.Size):
        if not isinstance(tj, tuple) or tuple(tj) != tuple(th):
            raise Mismatch("values", f"{path}: {tj!r} != torch {th!r}")
        return
    if isinstance(th, (tuple, list)):
        if not isinstance(tj, (tuple, list)):
            raise Mismatch(
                "type", f"{path}: torch returns {type(th).__name__}, torchjax {type(tj).__name__}"
            )
        if len(tj) != len(th):
            raise Mismatch("shape", f"{path}: length {len(tj)} != torch {len(th)}")
        for i, (a, b) in enumerate(zip(tj, th)):
            compare(a, b, ctx, f"{path}[{i}]", values)
        if isinstance(th, list) != isinstance(tj, list):
            raise Mismatch(
                "type", f"{path}: torch returns {type(th).__name__}, torchjax {type(tj).__name__}"
            )
        if hasattr(th, "_fields") and getattr(tj, "_fields", None) != th._fields:
            raise Mismatch(
                "type",
                f"{path}: torch returns a named tuple {th._fields}, torchjax {type(tj).__name__}",
            )
        return
    if isinstance(th, torch.dtype):
        if not isinstance(tj, torchjax.dtype) or str(tj) != str(th):
            raise Mismatch("values", f"{path}: {tj!r} != torch {th!r}")
        return
    if th is None:
        if tj is not None:
            raise Mismatch("type", f"{path}: torch returns None, torchjax {type(tj).__name__}")
        return
    if isinstance(th, (bool, int, float, complex)):
        if isinstance(tj, torchjax.Tensor) or type(tj) is not type(th):
            raise Mismatch(
                "type",
                f"{path}: torch returns {type(th).__name__} {th!r}, torchjax {type(tj).__name__} {tj!r}",
            )
        if values and isinstance(th, (float, complex)):
            if not ((th != th and tj != tj) or th == tj or abs(tj - th) <= 1e-5 + 1.3e-6 * abs(th)):
                raise Mismatch("values", f"{path}: {tj!r} != torch {th!r}")
        elif values and tj != th:
            raise Mismatch("values", f"{path}: {tj!r} != torch {th!r}")
        return
    if tj != th:
        raise Mismatch("values", f"{path}: {tj!r} != torch {th!r}")


# ---------------------------------------------------------------------------------------------
# op-specific comparisons (non-unique outputs)


def _recon_svd(U, S, V, linalg):
    U, S, V = (np.asarray(_np(x), dtype=np.complex128) for x in (U, S, V))
    k = S.shape[-1]
    Vh = V if linalg else np.conj(np.swapaxes(V, -1, -2))
    return (U[..., :, :k] * S[..., None, :]) @ Vh[..., :k, :]


def _cmp_arrays(a, b, ctx, path, out_dtype):
    rtol, atol = tolerance(ctx.oid, ctx.dtype, out_dtype)
    d = _value_diff(a, b, rtol * 10, atol * 10)
    if d is not None:
        raise Mismatch("values", f"{path}: {d}")


def _cmp_svd(tj, th, ctx, sample, linalg):
    compare(tj, th, ctx, values=False)  # types, shapes, dtypes
    compare(tj[1], th[1], ctx, "out.S")
    _cmp_arrays(
        _recon_svd(*tj, linalg),
        _recon_svd(*th, linalg),
        ctx,
        "out: U diag(S) Vh (invariant)",
        th[0].dtype,
    )


def _sort_eigvals(w):
    w = np.asarray(w, dtype=np.complex128)
    if w.size == 0:
        return w
    flat = w.reshape(-1, w.shape[-1]) if w.ndim else w.reshape(1, 1)
    out = (
        np.stack([r[np.lexsort((np.round(r.imag, 4), np.round(r.real, 4)))] for r in flat])
        if flat.size
        else flat
    )
    return out.reshape(w.shape)


def _cmp_eig(tj, th, ctx, sample):
    compare(tj, th, ctx, values=False)
    _cmp_arrays(
        _sort_eigvals(_np(tj[0])),
        _sort_eigvals(_np(th[0])),
        ctx,
        "out.eigenvalues (sorted)",
        th[0].dtype,
    )
    A = np.asarray(_np(sample.input), dtype=np.complex128)
    w, V = (np.asarray(_np(x), dtype=np.complex128) for x in tj)
    _cmp_arrays(
        A @ V, V * w[..., None, :], ctx, "torchjax A V == V diag(w) (invariant)", th[1].dtype
    )


def _cmp_eigvals(tj, th, ctx, sample):
    compare(tj, th, ctx, values=False)
    _cmp_arrays(_sort_eigvals(_np(tj)), _sort_eigvals(_np(th)), ctx, "out (sorted)", th.dtype)


def _cmp_eigh(tj, th, ctx, sample):
    compare(tj, th, ctx, values=False)
    compare(tj[0], th[0], ctx, "out.eigenvalues")

    def recon(w, V):
        w, V = np.asarray(_np(w), np.complex128), np.asarray(_np(V), np.complex128)
        return (V * w[..., None, :]) @ np.conj(np.swapaxes(V, -1, -2))

    _cmp_arrays(recon(*tj), recon(*th), ctx, "out: V diag(w) V^H (invariant)", th[1].dtype)


def _cmp_with_ties(tj, th, ctx, sample, dim_arg=None):
    """(values, indices) results: values must match; indices may differ where values tie, as
    long as they point at the same values in the input."""
    try:
        compare(tj, th, ctx)
        return
    except Mismatch as e:
        first = e
    compare(tj, th, ctx, values=False)
    vals_tj, idx_tj = (tj[0], tj[1]) if isinstance(th, tuple) else (None, tj)
    if vals_tj is not None:
        compare(vals_tj, th[0], ctx, "out.values")
    x = sample.input
    dim = sample.kwargs.get(
        "dim", sample.args[dim_arg] if dim_arg is not None and len(sample.args) > dim_arg else -1
    )
    if not isinstance(dim, int):
        raise first
    xi = _np(x)
    ii = _np(idx_tj).astype(np.int64)
    if xi.ndim == 0:
        raise first
    ref = (
        _np(th[0])
        if isinstance(th, tuple)
        else np.take_along_axis(xi, _np(th).astype(np.int64), axis=dim)
    )
    keep = ii.ndim == xi.ndim
    got = np.take_along_axis(xi, ii if keep else np.expand_dims(ii, dim), axis=dim)
    got = got if keep else np.squeeze(got, dim)
    if ref.shape != got.shape or _value_diff(got, ref, 0, 0) is not None:
        raise first
    ctx.note("ties", "indices differ from torch only among tied values")


SPECIAL_COMPARE = {
    "svd": lambda tj, th, ctx, s: _cmp_svd(tj, th, ctx, s, linalg=False),
    "linalg.svd": lambda tj, th, ctx, s: _cmp_svd(tj, th, ctx, s, linalg=True),
    "linalg.eig": _cmp_eig,
    "linalg.eigvals": _cmp_eigvals,
    "linalg.eigh": _cmp_eigh,
    "sort": lambda tj, th, ctx, s: _cmp_with_ties(tj, th, ctx, s, dim_arg=0),
    "argsort": lambda tj, th, ctx, s: _cmp_with_ties(tj, th, ctx, s, dim_arg=0),
    "topk": lambda tj, th, ctx, s: _cmp_with_ties(tj, th, ctx, s, dim_arg=1),
    "kthvalue": lambda tj, th, ctx, s: _cmp_with_ties(tj, th, ctx, s, dim_arg=1),
    "mode": lambda tj, th, ctx, s: _cmp_with_ties(tj, th, ctx, s, dim_arg=0),
    "median": lambda tj, th, ctx, s: _cmp_with_ties(tj, th, ctx, s, dim_arg=0),
    "nanmedian": lambda tj, th, ctx, s: _cmp_with_ties(tj, th, ctx, s, dim_arg=0),
}

# random ops: shapes/dtypes are compared; values after manual_seed(0) are a note
RANDOM_OPS = frozenset(
    """
    cauchy exponential geometric log_normal normal uniform bernoulli multinomial randn randn_like
    rand_like randint randint_like svd_lowrank pca_lowrank nn.functional.dropout nn.functional.dropout2d
    nn.functional.dropout3d nn.functional.alpha_dropout nn.functional.feature_alpha_dropout
    nn.functional.rrelu nn.functional.fractional_max_pool2d nn.functional.fractional_max_pool3d
""".split()
)
# uninitialised memory: shapes/dtypes only
UNINITIALIZED_OPS = frozenset(
    "empty empty_like new_empty new_empty_strided empty_strided empty_permuted resize_ resize_as_".split()
)


# ---------------------------------------------------------------------------------------------
# running cases


@dataclasses.dataclass
class Result:
    case: Case
    status: str  # "pass" | "fail" | "n/a" (nothing to compare, e.g. no samples)
    category: str = ""
    message: str = ""
    samples_run: int = 0
    seconds: float = 0.0
    label: str = ""
    notes: dict = dataclasses.field(default_factory=dict)
    message_match: bool | None = None  # error cases: all messages matched torch's regex

    def to_json(self):
        d = dataclasses.asdict(self)
        d["case"] = self.case.key
        return d

    @classmethod
    def from_json(cls, d):
        d = dict(d)
        o, dt, v = d.pop("case").split(":", 2)
        return cls(Case(o, dt, v), **d)


class _Ctx:
    def __init__(self, oid, dtype, grad=False):
        self.oid = oid
        self.dtype = dtype
        self.grad = grad
        self.notes = {}

    def note(self, kind, msg):
        self.notes.setdefault(kind, msg)


class CaseTimeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds):
    if not seconds or not hasattr(signal, "SIGALRM"):
        yield
        return

    def handler(signum, frame):
        raise CaseTimeout(f"case exceeded {seconds}s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_NOT_IMPL_RE = re.compile(
    r"has no attribute '(\w+)'|is not implemented|not implemented|NotImplemented", re.I
)


def categorize(exc) -> str:
    if isinstance(exc, NotInTorchjax):
        return "not implemented"
    if (
        isinstance(exc, AttributeError)
        and not _raised_in_torchjax(exc)
        and re.search(
            r"'Tensor' object has no attribute|type object 'Tensor' has no attribute", str(exc)
        )
    ):
        return "not implemented"  # e.g. an OpInfo lambda calling a Tensor method torchjax lacks
    if isinstance(exc, UnsupportedSample):
        return "unsupported sample"
    if isinstance(exc, CaseTimeout):
        return "timeout"
    if isinstance(exc, NotImplementedError):
        return "torchjax NotImplementedError"
    return f"exception {type(exc).__name__}"


def _raised_in_torchjax(exc):
    tb = traceback.extract_tb(exc.__traceback__)
    return bool(tb) and "/torchjax/" in tb[-1].filename


def _short(exc, limit=400):
    s = f"{type(exc).__name__}: {exc}".strip().replace("\n", " ")
    return s if len(s) <= limit else s[: limit - 3] + "..."


def _where(exc):
    """The innermost torchjax frame of a traceback (file:line), for bug hunting."""
    tb = traceback.extract_tb(exc.__traceback__)
    for fr in reversed(tb):
        if "/torchjax/" in fr.filename:
            return f" [at {os.path.relpath(fr.filename, os.path.dirname(os.path.dirname(torchjax.__file__)))}:{fr.lineno}]"
    return ""


def _reset_state():
    torchjax.set_default_dtype(torchjax.float32)
    torch.set_default_dtype(torch.float32)
    try:
        from torchjax.autograd import grad_mode

        grad_mode.state.enabled = True
        grad_mode.state.inference = False
    except Exception:  # noqa: BLE001
        pass
    torch.set_grad_enabled(True)


def _samples(op, dtype, requires_grad=False, limit=None):
    it = op.sample_inputs("cpu", dtype, requires_grad=requires_grad)
    return itertools.islice(it, limit) if limit else it


def _exc_same(tj_exc, th_exc):
    return isinstance(tj_exc, type(th_exc)) or type(th_exc).__name__ == type(tj_exc).__name__


def _forward_sample(op, oid, variant, th_fn, tj_fn, sample, ctx):
    inplace = variant.endswith("inplace")
    rnd = op.name in RANDOM_OPS
    memo = {}
    tj_args = convert_sample(sample, memo)  # before torch runs: in-place would change the input
    th_exc = tj_exc = None
    th_self = sample.input
    torch.manual_seed(0)
    try:
        th = th_fn(sample.input, *sample.args, **sample.kwargs)
    except Exception as e:  # noqa: BLE001
        th_exc = e
    torchjax.manual_seed(0)
    try:
        tj = tj_fn(tj_args[0], *tj_args[1], **tj_args[2])
    except Exception as e:  # noqa: BLE001
        tj_exc = e
    if th_exc is not None:
        if tj_exc is None:
            raise Mismatch(
                "no exception", f"torch raised {_short(th_exc, 200)}; torchjax returned a result"
            )
        if not _exc_same(tj_exc, th_exc):
            if categorize(tj_exc) == "not implemented":
                raise tj_exc
            raise Mismatch(
                "wrong exception type",
                f"torch raised {_short(th_exc, 200)}; torchjax {_short(tj_exc, 200)}",
            )
        return
    if tj_exc is not None:
        raise tj_exc
    if inplace:
        if th is th_self and tj is not tj_args[0]:
            raise Mismatch("inplace", "in-place variant did not return self")
        compare(
            tj_args[0],
            th_self,
            ctx,
            "self (mutated in place)",
            values=not (rnd or op.name in UNINITIALIZED_OPS),
        )
        if th is not th_self:
            compare(tj, th, ctx)
        if rnd:
            try:
                compare(tj_args[0], th_self, ctx, "self (mutated in place)")
            except Mismatch as e:
                ctx.note("rng", f"values differ from torch after manual_seed(0): {e}")
        return
    if rnd or op.name in UNINITIALIZED_OPS:
        compare(tj, th, ctx, values=False)
        if rnd:
            try:
                compare(tj, th, ctx)
            except Mismatch as e:
                ctx.note("rng", f"values differ from torch after manual_seed(0): {e}")
        return
    special = SPECIAL_COMPARE.get(op.name)
    if special is not None:
        special(tj, th, ctx, sample)
    else:
        compare(tj, th, ctx)


def _flatten(x, out):
    if isinstance(x, (tuple, list)):
        for v in x:
            _flatten(v, out)
    else:
        out.append(x)
    return out


def _grad_sample(op, oid, sample, ctx):
    rnd = op.name in RANDOM_OPS
    memo = {}
    tj_in = convert_sample(sample, memo)
    pairs = [
        (th, tj)
        for tj, th in memo.values()
        if th.requires_grad and (th.is_floating_point() or th.is_complex())
    ]
    if not pairs:
        return "n/a"
    th_inputs = [p[0] for p in pairs]
    tj_inputs = [p[1] for p in pairs]
    _, _, tj_fn = variant_callables(op, "function")
    torch.manual_seed(0)
    try:  # the torch side first: forward, the OpInfo's output processing, backward
        th_out = sample.output_process_fn_grad(op.op(sample.input, *sample.args, **sample.kwargs))
        th_flat = _flatten(th_out, [])
        idx = [i for i, a in enumerate(th_flat) if isinstance(a, torch.Tensor) and a.requires_grad]
        if not idx:
            return "n/a"
        outs_th = [th_flat[i] for i in idx]
        g = torch.Generator().manual_seed(1234)
        cots = [torch.randn(o.shape, dtype=o.dtype, generator=g) for o in outs_th]
        th_grads = torch.autograd.grad(outs_th, th_inputs, cots, allow_unused=True)
    except Exception as e:  # noqa: BLE001
        ctx.note(
            "torch-grad-error",
            f"torch itself raises on a gradient sample ({_short(e, 150)}); sample ignored",
        )
        return "n/a"
    torchjax.manual_seed(0)
    tj_out = tj_fn(tj_in[0], *tj_in[1], **tj_in[2])
    proc = sample.output_process_fn_grad
    tj_out = (swap(proc) if isinstance(proc, types.FunctionType) else proc)(tj_out)
    tj_flat = _flatten(tj_out, [])
    if len(th_flat) != len(tj_flat):
        raise Mismatch(
            "shape",
            f"differentiable outputs: torchjax has {len(tj_flat)} outputs, torch {len(th_flat)}",
        )
    outs_tj = []
    for i in idx:
        b = tj_flat[i]
        if not isinstance(b, torchjax.Tensor) or not b.requires_grad:
            raise Mismatch("grad", f"output {i} requires grad in torch but not in torchjax")
        outs_tj.append(b)
    tj_grads = torchjax.autograd.grad(
        outs_tj, tj_inputs, [to_tj(c) for c in cots], allow_unused=True
    )
    for i, (a, b) in enumerate(zip(tj_grads, th_grads)):
        path = f"grad[{i}]"
        if b is None:
            if a is not None and np.any(_np(a) != 0):
                raise Mismatch(
                    "grad", f"{path}: torch has no gradient (unused input), torchjax a nonzero one"
                )
            continue
        if a is None:
            if np.any(_np(b) != 0):
                raise Mismatch(
                    "grad", f"{path}: torchjax has no gradient (input unused?), torch a nonzero one"
                )
            continue
        compare(a, b, ctx, path, values=not rnd)
        if rnd:
            try:
                compare(a, b, ctx, path)
            except Mismatch as e:
                ctx.note("rng", f"gradient values differ from torch after manual_seed(0): {e}")
    return "ok"


def _error_input(op, ei, tj_fn, ctx):
    """True/False: torchjax raised torch's exception type, with/without a message matching the
    ErrorInput's regex; None: torch itself does not raise on this input (ignored, noted)."""
    s = ei.sample_input
    try:
        tj_args = convert_sample(s, {})  # before torch runs (error inputs may mutate)
    except UnsupportedSample as e:  # e.g. a meta-device tensor: torchjax has no such device
        ctx.note(
            "error-input",
            f"ErrorInput expecting {ei.error_type.__name__}({ei.error_regex!r}) skipped: {e}",
        )
        return None
    th_exc = None
    try:
        th_out = op.op(s.input, *s.args, **s.kwargs)
    except Exception as e:  # noqa: BLE001
        th_exc = e
    if th_exc is None and th_out is not NotImplemented:
        ctx.note(
            "error-input",
            f"torch raises nothing on an ErrorInput expecting {ei.error_type.__name__}({ei.error_regex!r}); ignored",
        )
        return None
    try:
        tj_out = tj_fn(tj_args[0], *tj_args[1], **tj_args[2])
    except Exception as e:  # noqa: BLE001
        if categorize(e) == "not implemented":
            raise
        if th_exc is None:
            raise Mismatch(
                "wrong exception type",
                f"torch returns NotImplemented; torchjax raised {_short(e, 250)}",
            ) from None
        if not _exc_same(e, th_exc):
            raise Mismatch(
                "wrong exception type",
                f"torch raised {type(th_exc).__name__} (expected {ei.error_type.__name__} "
                f"matching {ei.error_regex!r}); torchjax raised {_short(e, 250)}",
            ) from None
        return bool(re.search(ei.error_regex, str(e)))
    if th_exc is None:  # both returned NotImplemented?
        if tj_out is NotImplemented:
            return True
        raise Mismatch("no exception", "torch returns NotImplemented; torchjax returned a result")
    raise Mismatch("no exception", f"torch raised {_short(th_exc, 200)}; torchjax raised nothing")


def run_case(case: Case, max_samples=None, timeout=None) -> Result:
    """Run one case; ``max_samples`` bounds the samples (None: all). Stops at the first failure."""
    op = ops_by_id()[case.opid]
    res = Result(case, "pass")
    t0 = time.perf_counter()
    dtype = None if case.dtype == "any" else getattr(torch, case.dtype)
    ctx = _Ctx(case.opid, dtype, grad=case.variant == "grad")
    n = 0
    matched = True
    try:
        with warnings.catch_warnings(), _time_limit(timeout):
            warnings.simplefilter("ignore")
            if case.variant == "error":
                res.label = "error_inputs"
                _, _, tj_fn = variant_callables(op, "function")
                checked = 0
                for ei in itertools.islice(op.error_inputs("cpu"), max_samples):
                    m = _error_input(op, ei, tj_fn, ctx)
                    n += 1
                    if m is not None:
                        matched &= m
                        checked += 1
                res.message_match = matched
                if n and not checked:
                    res.status, res.category = "n/a", "torch raises on none of the error inputs"
            elif case.variant == "grad":
                res.label = "autograd.grad"
                any_ok = False
                for s in _samples(op, dtype, requires_grad=True, limit=max_samples):
                    any_ok |= _grad_sample(op, case.opid, s, ctx) == "ok"
                    n += 1
                if not any_ok:
                    res.status, res.category = "n/a", "no differentiable samples"
            else:
                label, th_fn, tj_fn = variant_callables(op, case.variant)
                res.label = label
                for s in _samples(op, dtype, limit=max_samples):
                    _forward_sample(op, case.opid, case.variant, th_fn, tj_fn, s, ctx)
                    n += 1
            if n == 0 and res.status == "pass":
                res.status, res.category = "n/a", "no samples"
    except Mismatch as e:
        res.status, res.category, res.message = "fail", f"mismatch: {e.kind}", f"sample {n}: {e}"
    except Exception as e:  # noqa: BLE001
        cat = categorize(e)
        res.status, res.category = "fail", cat
        res.message = f"sample {n}: {_short(e)}" + ("" if cat == "not implemented" else _where(e))
    finally:
        _reset_state()
    res.samples_run = n
    res.notes = ctx.notes
    res.seconds = round(time.perf_counter() - t0, 3)
    return res


# ---------------------------------------------------------------------------------------------
# summaries


def summarize(results, known=None, oos=None):
    """Headline numbers from a list of Results (see sweep.py for the meaning of each)."""
    db = ops_by_id()
    by_op: dict = {}
    for r in results:
        by_op.setdefault(r.case.opid, []).append(r)
    fam: dict = {}
    for oid, rs in by_op.items():
        op = db[oid]
        f = family(op)
        pd = dtname(primary_dtype(op))
        fwd = [r for r in rs if r.case.dtype == pd and r.case.variant not in ("grad", "error")]
        if not fwd:
            continue
        ok = all(r.status in ("pass", "n/a") for r in fwd) and any(r.status == "pass" for r in fwd)
        e = fam.setdefault(f, {"total": 0, "passing": 0, "failing_ops": []})
        e["total"] += 1
        e["passing"] += ok
        if not ok:
            e["failing_ops"].append(oid)
    counted_total = sum(fam.get(f, {}).get("total", 0) for f in FAMILIES)
    counted_pass = sum(fam.get(f, {}).get("passing", 0) for f in FAMILIES)
    grads = [r for r in results if r.case.variant == "grad" and r.status != "n/a"]
    grad_ops = {}
    for r in grads:
        grad_ops[r.case.opid] = grad_ops.get(r.case.opid, True) and r.status == "pass"
    errs = [r for r in results if r.case.variant == "error" and r.status != "n/a"]
    by_dtype = {}
    for r in results:
        if r.case.variant in ("grad", "error"):
            continue
        d = by_dtype.setdefault(r.case.dtype, [0, 0])
        d[0] += r.status == "pass"
        d[1] += r.status != "n/a"
    cats: dict = {}
    for r in results:
        if r.status == "fail":
            cats[r.category] = cats.get(r.category, 0) + 1
    ops_by_dtype: dict = {}
    for rs in by_op.values():
        per: dict = {}
        for r in rs:
            if r.case.variant not in ("grad", "error") and r.status != "n/a":
                per.setdefault(r.case.dtype, []).append(r.status == "pass")
        for d, oks in per.items():
            e = ops_by_dtype.setdefault(d, [0, 0])
            e[0] += all(oks)
            e[1] += 1
    return {
        "families": fam,
        "counted": {
            "passing": counted_pass,
            "total": counted_total,
            "rate": counted_pass / counted_total if counted_total else 0.0,
            "target": 0.9,
        },
        "grad": {
            "cases_passing": sum(r.status == "pass" for r in grads),
            "cases": len(grads),
            "ops_passing": sum(grad_ops.values()),
            "ops": len(grad_ops),
        },
        "errors": {
            "ops_type_match": sum(r.status == "pass" for r in errs),
            "ops": len(errs),
            "ops_message_match": sum(r.status == "pass" and bool(r.message_match) for r in errs),
        },
        "variant_cases_by_dtype": {
            k: {"passing": v[0], "total": v[1]} for k, v in sorted(by_dtype.items())
        },
        "ops_by_dtype": {
            k: {"passing": v[0], "total": v[1]} for k, v in sorted(ops_by_dtype.items())
        },
        "failure_categories": dict(sorted(cats.items(), key=lambda kv: -kv[1])),
        "missing": missing_callables(results),
        "cases": {
            "total": len(results),
            "pass": sum(r.status == "pass" for r in results),
            "fail": sum(r.status == "fail" for r in results),
            "n/a": sum(r.status == "n/a" for r in results),
        },
    }


_MISSING_RE = re.compile(
    r"torchjax Tensor\.(\w+) is not implemented|'Tensor' (?:object )?has no attribute '(\w+)'"
    r"|torchjax: torch\.((?:\w+\.)*\w+) is not implemented|torchjax\.((?:\w+\.)*\w+) is not implemented"
)


def missing_callables(results):
    """torchjax names that "not implemented" failures ask for -> the OpInfos needing them."""
    out: dict = {}
    for r in results:
        if r.category != "not implemented":
            continue
        m = _MISSING_RE.search(r.message)
        if m is None:
            name = "?"
        elif m.group(1) or m.group(2):
            name = "Tensor." + (m.group(1) or m.group(2))
        else:
            name = "torch." + (m.group(3) or m.group(4))
        out.setdefault(name, set()).add(r.case.opid)
    return {k: sorted(v) for k, v in sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0]))}


def format_summary(s, title="op_db parity"):
    lines = [f"== {title} =="]
    lines.append(
        "OpInfos passing all their float32 samples (all forward variants; int64/bool/complex64 for ops without float32):"
    )
    order = list(FAMILIES) + ["nn.functional (other)"]
    for f in order:
        e = s["families"].get(f)
        if not e:
            continue
        lines.append(
            f"  {FAMILY_LABELS[f]:<42} {e['passing']:>4} / {e['total']:<4} ({100 * e['passing'] / max(e['total'], 1):5.1f}%)"
        )
    c = s["counted"]
    lines.append(
        f"  {'COUNTED (90% rule denominator)':<42} {c['passing']:>4} / {c['total']:<4} ({100 * c['rate']:5.1f}%, target 90%)"
    )
    g = s["grad"]
    lines.append(
        f"gradients: {g['cases_passing']}/{g['cases']} (op, dtype) cases; {g['ops_passing']}/{g['ops']} ops with all gradients matching"
    )
    e = s["errors"]
    lines.append(
        f"error parity: {e['ops_type_match']}/{e['ops']} ops raise torch's exception types for all error inputs; "
        f"{e['ops_message_match']}/{e['ops']} also match torch's message regex"
    )
    for d, v in s["variant_cases_by_dtype"].items():
        o = s["ops_by_dtype"].get(d, {"passing": 0, "total": 0})
        lines.append(
            f"  at {d}: {o['passing']}/{o['total']} OpInfos pass all forward variants; "
            f"{v['passing']}/{v['total']} forward cases"
        )
    if s["failure_categories"]:
        lines.append(
            "failure categories (cases): "
            + ", ".join(f"{k}: {v}" for k, v in s["failure_categories"].items())
        )
    return "\n".join(lines)
