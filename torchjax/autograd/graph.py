"""The autograd graph: grad_fn nodes named as torch names them, with next_functions.

Every differentiable op records one node whose backward is the JAX VJP of the op's own pure
function, jitted once per (spec, differentiable inputs, outputs) and cached per shapes by
``jax.jit``. A backward run with ``create_graph=True`` calls that same VJP as a recorded op,
so higher-order gradients are VJPs of VJPs. Views and in-place ops follow torch: a view of a
tensor that requires grad gets a view node; an in-place write through a view gives the base a
``CopySlices`` node and regenerates the views' grad_fns as ``AsStridedBackward0``.

Nodes have two entry points: ``apply(grads)`` on Tensors (torch's ``node(*grads)``, and the
engine under ``create_graph``) and ``_apply_raw(values)`` on jax arrays, which the engine uses
for an ordinary backward so that no Tensor is built between nodes.
"""

from __future__ import annotations

import itertools
import re
import traceback
import weakref

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .. import _storage as S
from . import grad_mode

_seq = itertools.count()
_hook_ids = itertools.count()

# torch gives AccumulateGrad the largest sequence number: ready leaves accumulate first
_ACC_SEQ = 2**64 - 1


class RemovableHandle:
    """torch.utils.hooks.RemovableHandle over a dict of hooks."""

    __slots__ = ("hooks_dict_ref", "id", "__weakref__")

    def __init__(self, hooks_dict):
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(_hook_ids)

    def remove(self):
        d = self.hooks_dict_ref()
        if d is not None and self.id in d:
            del d[self.id]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class _HookDict(dict):
    """An ordered dict of hooks that handles can refer to weakly."""

    __slots__ = ("__weakref__",)


def hook_dict():
    return _HookDict()


class Node:
    """Base of every grad_fn (torch.autograd.graph.Node)."""

    __slots__ = (
        "next_functions",
        "_seq_nr",
        "_nin",
        "_pre_hooks",
        "_post_hooks",
        "_tensor_hooks",
        "_retain",
        "_metadata",
        "__weakref__",
    )

    def __init__(self, next_functions=(), nin=1):
        self.next_functions = next_functions
        self._seq_nr = next(_seq)
        self._nin = nin
        self._pre_hooks = None
        self._post_hooks = None
        self._tensor_hooks = None
        self._retain = None
        self._metadata = None

    def name(self) -> str:
        return type(self).__name__

    @property
    def metadata(self) -> dict:
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def register_hook(self, fn):
        """fn(grad_inputs, grad_outputs) -> None or replacement grad_inputs (after the node ran)."""
        if self._post_hooks is None:
            self._post_hooks = hook_dict()
        h = RemovableHandle(self._post_hooks)
        self._post_hooks[h.id] = fn
        return h

    def register_prehook(self, fn):
        """fn(grad_outputs) -> None or replacement grad_outputs (before the node runs)."""
        if self._pre_hooks is None:
            self._pre_hooks = hook_dict()
        h = RemovableHandle(self._pre_hooks)
        self._pre_hooks[h.id] = fn
        return h

    def _tensor_hook_dict(self, output_nr):
        th = self._tensor_hooks
        if th is None:
            th = self._tensor_hooks = {}
        d = th.get(output_nr)
        if d is None:
            d = th[output_nr] = hook_dict()
        return d

    def _sequence_nr(self) -> int:
        return self._seq_nr

    def _input_metadata(self):
        return ()

    def apply(self, grads):
        """Gradients of the node's inputs (one per next_functions entry) from Tensors."""
        raise NotImplementedError

    def _apply_raw(self, grads):
        """Same as ``apply`` on jax arrays (None for an undefined gradient)."""
        from .._tensor import wrap

        outs = self.apply([None if g is None else wrap(g) for g in grads])
        return [None if g is None else g._v() for g in outs]

    def __call__(self, *grads):
        out = self.apply(list(grads))
        return out[0] if len(out) == 1 else tuple(out)

    def release(self):
        pass

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"


_node_classes: dict = {}


# nodes whose name() torch reports with their C++ namespace
_CPP_NAMED = {"CopySlices", "AccumulateGrad", "DelayedError", "Error", "GraphRoot", "Identity"}


def node_class(name: str, base):
    """The node class with torch's name (``MulBackward0`` ...), created once per name."""
    cls = _node_classes.get((name, base))
    if cls is None:
        ns = {"__slots__": ()}
        if name in _CPP_NAMED:
            full = "torch::autograd::" + name
            ns["name"] = lambda self: full
        cls = _node_classes[(name, base)] = type(name, (base,), ns)
    return cls


# ------------------------------------------------------------------ leaves


class AccumulateGrad(Node):
    """Sink of a leaf that requires grad: adds incoming gradients into ``variable.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable):
        Node.__init__(self, (), 1)
        self._seq_nr = _ACC_SEQ
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    @property
    def _tensor_hooks(self):
        # a leaf's hooks are the tensor pre-hooks of its accumulator (torch registers them there)
        h = self.variable._hooks
        return {0: h} if h else None

    @_tensor_hooks.setter
    def _tensor_hooks(self, value):
        pass

    def apply(self, grads):
        accumulate(self.variable, grads[0], grad_mode.state.enabled)
        return []

    def _apply_raw(self, grads):
        accumulate(self.variable, grads[0], False)
        return []


_jadd = jax.jit(lambda a, b: a + b.astype(a.dtype))


def accumulate(var, g, graph):
    """torch's AccumulateGrad: ``g`` (a jax array, or a Tensor when ``graph``) into ``var.grad``."""
    from .._tensor import Tensor, wrap

    if g is None:
        return
    old = var._grad
    if graph:
        from .. import _ops

        if not isinstance(g, Tensor):
            g = wrap(g)
        if old is None:
            # double backward: the grad keeps its graph, as a copy (torch's CloneBackward0)
            var._grad = _copy_with_graph(g) if g.requires_grad else _fresh(g._v(), var._dtype)
        else:
            var._grad = _ops.api.add(old, g)
    else:
        if isinstance(g, Tensor):
            g = g._v()
        if old is None:
            var._grad = _fresh(g, var._dtype)
        else:
            # in place, so references to .grad (an optimizer's, a user's) see the sum
            _write(old, _jadd(old._v(), g))
    hooks = var._post_acc_hooks
    if hooks:
        for hook in list(hooks.values()):
            hook(var)


class IdentitySpec:
    """A recorded copy (``CopyBackwards``, as torch's grad accumulation makes under create_graph)."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __hash__(self):
        return hash(("identity", self.name))

    def __eq__(self, o):
        return type(o) is IdentitySpec and o.name == self.name

    def fn(self, x):
        return (x,)


def _copy_with_graph(g):
    from .._ops import _dispatch

    return _dispatch.apply_spec(IdentitySpec("CopyBackwards"), [g], saves=set())[0]


def _write(t, v):
    """``t._write(v)``, short-cut for a tensor that owns its whole contiguous storage (a .grad)."""
    s = t._storage
    if (
        t._base is None
        and t._stride_ is None
        and t._offset == 0
        and s.size == v.size
        and s._array.dtype == v.dtype
    ):
        s.replace(v)
        t._cache = v
        t._cache_gen = s.gen
        t._vc.version += 1
    else:
        t._write(v)


def _fresh(v, dtype):
    from .._tensor import wrap

    if v.dtype != dtype._np:
        v = v.astype(dtype._np)
    return wrap(v, dtype)


def grad_accumulator(t) -> AccumulateGrad:
    """The leaf's AccumulateGrad (torch keeps it only while a graph refers to it)."""
    ref = t._accumulator
    acc = ref() if ref is not None else None
    if acc is None:
        acc = _new_accumulator(t)
    return acc


def _new_accumulator(t):
    acc = _ACC_NEW(AccumulateGrad)
    acc.next_functions = ()
    acc._seq_nr = _ACC_SEQ
    acc._nin = 1
    acc._pre_hooks = acc._post_hooks = acc._retain = acc._metadata = None
    acc.variable = t
    t._accumulator = weakref.ref(acc)
    return acc


_ACC_NEW = object.__new__


class GradientEdge(tuple):
    """torch.autograd.graph.GradientEdge(node, output_nr): where a tensor's gradient enters the graph."""

    __slots__ = ()

    def __new__(cls, node, output_nr):
        return tuple.__new__(cls, (node, output_nr))

    @property
    def node(self):
        return self[0]

    @property
    def output_nr(self):
        return self[1]

    def __repr__(self):
        return f"GradientEdge(node={self[0]!r}, output_nr={self[1]})"


def get_gradient_edge(tensor):
    """torch.autograd.graph.get_gradient_edge: the tensor's grad_fn (or its AccumulateGrad) and slot."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "It is not possible to get the gradient edge for a Tensor that does not require gradients"
        )
    node, nr = gradient_edge(tensor)
    return GradientEdge(node, nr)


def gradient_edge(t):
    """(node, input_nr) where gradient for ``t`` flows, or None when it needs none."""
    if type(t) is GradientEdge:
        return t
    fn = t.grad_fn
    if fn is not None:
        return (fn, t._output_nr)
    if t._requires_grad:
        return (grad_accumulator(t), 0)
    return None


# ------------------------------------------------------------------ VJP nodes


def _is_complex(dt) -> bool:
    return jnp.issubdtype(dt, jnp.complexfloating)


def _vjp_body(spec, diff, osel, dropped, dyn, cts):
    """Gradients of ``spec.fn`` w.r.t. the inputs at ``diff`` for cotangents of outputs ``osel``."""
    dyn = list(dyn)
    for i, shape, dt in dropped:
        dyn[i] = jnp.zeros(shape, dt)

    def f(*d):
        args = list(dyn)
        for i, v in zip(diff, d):
            args[i] = v
        outs = spec.fn(*args)
        return tuple(outs[j] for j in osel)

    outs, pullback = jax.vjp(f, *[dyn[i] for i in diff])
    full = []
    for o, c in zip(outs, cts):
        if c is None:
            c = jnp.zeros_like(o)
        else:
            if c.dtype != o.dtype:
                c = c.astype(o.dtype)
            if c.shape != o.shape:
                c = jnp.broadcast_to(c, o.shape)
            # torch's convention for complex gradients is the conjugate of JAX's cotangents
            if _is_complex(c.dtype):
                c = jnp.conj(c)
        full.append(c)
    gs = pullback(tuple(full))
    return tuple(jnp.conj(g) if _is_complex(g.dtype) else g for g in gs)


_KERNELS: dict = {}
_vjp_traces = [0]


def vjp_trace_count() -> int:
    """How many times a node backward kernel was traced (for tests: retracing means a cache miss)."""
    return _vjp_traces[0]


def _kernel(spec, diff, osel, dropped):
    key = (spec, diff, osel, dropped)
    k = _KERNELS.get(key)
    if k is None:

        def body(dyn, cts):
            _vjp_traces[0] += 1
            return _vjp_body(spec, diff, osel, dropped, dyn, cts)

        k = _KERNELS[key] = jax.jit(body)
    return k


class VJPSpec:
    """A node's backward as a pure function of (inputs..., cotangents...): used for create_graph."""

    __slots__ = ("spec", "diff", "osel", "dropped", "ndyn", "name", "_hash")

    def __init__(self, spec, diff, osel, dropped, ndyn):
        self.spec, self.diff, self.osel, self.dropped, self.ndyn = spec, diff, osel, dropped, ndyn
        self.name = spec.name + "Backward"
        self._hash = hash((spec, diff, osel, dropped, ndyn))

    def __hash__(self):
        return self._hash

    def __eq__(self, o):
        return (
            type(o) is VJPSpec
            and o.spec == self.spec
            and (o.diff, o.osel, o.dropped, o.ndyn)
            == (self.diff, self.osel, self.dropped, self.ndyn)
        )

    def fn(self, *flat):
        return _vjp_body(
            self.spec, self.diff, self.osel, self.dropped, flat[: self.ndyn], flat[self.ndyn :]
        )


_FREED_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


class OpNode(Node):
    """Backward of an op declared as a pure JAX function (``spec.fn``)."""

    __slots__ = (
        "_spec",
        "_dyn",
        "_diff",
        "_gpos",
        "_osel",
        "_dropped",
        "_checks",
        "_saves",
        "_freed",
    )

    def _apply_raw(self, grads):
        if self._freed:
            raise RuntimeError(_FREED_MSG)
        osel = self._osel
        if len(osel) == 1:
            g = grads[osel[0]]
            if g is None:
                return [None] * len(self.next_functions)
            cts = (g,)
        else:
            cts = tuple(grads[j] for j in osel)
            if all(g is None for g in cts):
                return [None] * len(self.next_functions)
        if self._checks:
            check_versions(self._checks, _saved_used(self, cts))
        gs = _kernel(self._spec, self._diff, osel, self._dropped)(self._dyn, cts)
        gpos = self._gpos
        if gpos is None:
            return list(gs)
        out = [None] * len(self.next_functions)
        for i, g in zip(gpos, gs):
            out[i] = g
        return out

    def apply(self, grads):
        from .._tensor import wrap

        if grad_mode.state.enabled:
            return self._apply_graph(grads)
        out = self._apply_raw([None if g is None else g._v() for g in grads])
        return [None if g is None else wrap(g) for g in out]

    def _apply_graph(self, grads):
        """The backward as recorded ops (create_graph=True): gradients that have a graph."""
        from .._ops import _dispatch
        from .._tensor import wrap

        if self._freed:
            raise RuntimeError(_FREED_MSG)
        if all(grads[j] is None for j in self._osel):
            return [None] * len(self.next_functions)
        if self._checks:
            check_versions(
                self._checks,
                _saved_used(
                    self, [None if grads[j] is None else grads[j]._v() for j in self._osel]
                ),
            )
        gpos = self._gpos if self._gpos is not None else range(len(self._diff))
        edges = dict(zip(self._diff, (self.next_functions[i] for i in gpos)))
        vspec = VJPSpec(self._spec, self._diff, self._osel, self._dropped, len(self._dyn))
        cts = [grads[j] for j in self._osel]
        used = _vjp_used_inputs(
            vspec, list(self._dyn) + [None if g is None else g._v() for g in cts]
        )
        ins = []
        for k, v in enumerate(self._dyn):
            e = edges.get(k)
            if e is not None and v is not None and used[k]:
                # the saved input, connected to where its gradient flows in the forward graph
                t = wrap(v)
                node, nr = e
                if node is not None:
                    t._grad_fn = node
                    t._output_nr = nr
                ins.append(t)
            else:
                ins.append(v)
        n = len(self._dyn)
        for i, g in enumerate(cts):
            # a gradient the backward formula does not read carries no graph (a linear op's
            # saved inputs, for one): like torch, its result then needs no grad
            ins.append(g if (g is None or used[n + i]) else g._v())
        gs = _dispatch.apply_spec(vspec, ins)
        out = [None] * len(self.next_functions)
        for i, g in zip(gpos, gs):
            out[i] = g
        return out

    def release(self):
        if self._saves:
            self._freed = True
            self._dyn = None
            self._checks = ()


_USED: dict = {}


def _vjp_used_inputs(vspec, vals):
    """Which of a backward's inputs its result depends on (dead-code elimination of its jaxpr)."""
    key = (vspec, tuple(None if v is None else (tuple(v.shape), v.dtype) for v in vals))
    used = _USED.get(key)
    if used is None:
        from jax._src.interpreters import partial_eval as pe

        specs = [None if v is None else jax.ShapeDtypeStruct(v.shape, v.dtype) for v in vals]
        closed = jax.make_jaxpr(vspec.fn)(*specs)
        _, used_flat = pe.dce_jaxpr(closed.jaxpr, [True] * len(closed.jaxpr.outvars))
        it = iter(used_flat)
        used = _USED[key] = tuple(False if v is None else next(it) for v in vals)
    return used


_SAVED_USED: dict = {}


def _saved_used(node, cts):
    """Which inputs the node's backward reads: torch saves an input only when a formula needs it
    (``x * 2`` does not save ``x``), so only those are version-checked. Cached per VJP."""
    key = (node._spec, node._diff, node._osel, node._dropped)
    used = _SAVED_USED.get(key)
    if used is None:
        dyn = list(node._dyn)
        vspec = VJPSpec(node._spec, node._diff, node._osel, node._dropped, len(dyn))
        used = _SAVED_USED[key] = _vjp_used_inputs(vspec, dyn + list(cts))[: len(dyn)]
    return used


def check_versions(checks, used=None):
    """torch's SavedVariable check: a saved tensor modified in place since it was saved.

    Each entry is ``(version_counter, saved_version, tensor, out, position)``: a saved input
    keeps the tensor (the message names its current grad_fn, as torch's does); a saved output
    keeps ``out = (dtype, shape, node_name, output_nr)`` instead (no reference cycle through
    the node). With ``used``, inputs the backward does not read are not checked.
    """
    for vc, version, t, out, k in checks:
        if vc.version != version and (used is None or k is None or used[k]):
            if out is None:
                dtype, shape, fn, nr = t._dtype, t._shape, t._grad_fn, t._output_nr
                name = fn.name() if fn is not None else None
            else:
                dtype, shape, name, nr = out
            dims = ", ".join(str(s) for s in shape)
            msg = (
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: [torch.{dtype._legacy} [{dims}]]"
            )
            if name is not None:
                msg += f", which is output {nr} of {strip_backward(name)},"
            msg += f" is at version {vc.version}; expected version {version} instead. Hint: " + (
                "the backtrace further above shows the operation that failed to compute its "
                "gradient. The variable in question was changed in there or anywhere later. Good luck!"
                if _anomaly_enabled()
                else "enable anomaly detection to find the operation that failed to compute its "
                "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
            )
            raise RuntimeError(msg)


def _anomaly_enabled():
    from . import anomaly_mode

    return anomaly_mode._state.enabled


def strip_backward(name: str) -> str:
    return re.sub(r"Backward\d*$", "", name)


_INFERENCE_SAVE_MSG = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference "
    "mode in computation tracked by autograd. To work around this, you can make a clone to get a "
    "normal tensor and use it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`."
)

# set by anomaly mode: record each node's forward traceback
record_traceback = False

_NO_EDGE = (None, 0)
_OSEL0 = (0,)
_FLOAT_CAT = D._FLOAT  # floating and complex dtypes have categories >= this
_op_classes: dict = {}


def record(spec, inputs, dyn, outs, saves, saves_result, edge_pos=None):
    """Record a node for ``outs`` (tensors) computed by ``spec`` from ``inputs``.

    ``inputs`` aligns with ``dyn`` (flat dynamic values): a Tensor where the value came from a
    tensor, else None. ``edge_pos`` lists the positions that are tensor inputs in torch's eyes
    (including Python scalars wrapped as tensors): one ``next_functions`` entry each.
    ``saves`` is None for "every tensor input is saved", else the set of flat positions torch
    saves; ``saves_result``: torch saves the outputs. Saved tensors are version-checked and
    freed after backward; a differentiable input torch does not save is kept only as a shape
    (the op must be linear in it) unless the op saves its result (then its value is needed to
    recompute the forward inside the VJP).
    """
    if edge_pos is None:
        edge_pos = [k for k, t in enumerate(inputs) if t is not None]
    nexts = []
    diff = []
    for k in edge_pos:
        t = inputs[k]
        e = None
        if t is not None:
            fn = t._grad_fn
            if t._base is not None and t._view_fn_gen != t._base._rebase_gen:
                fn = t.grad_fn
            if fn is not None:
                e = (fn, t._output_nr)
            elif t._requires_grad:
                ref = t._accumulator
                acc = ref() if ref is not None else None
                e = (acc if acc is not None else _new_accumulator(t), 0)
        if e is None:
            nexts.append(_NO_EDGE)
        else:
            nexts.append(e)
            diff.append(k)
    if not diff:
        return None
    name = spec.name
    cls = _op_classes.get(name)
    if cls is None:
        cls = _op_classes[name] = node_class(name, OpNode)
    node = _ACC_NEW(cls)
    node.next_functions = tuple(nexts)
    node._seq_nr = next(_seq)
    node._nin = len(outs)
    node._pre_hooks = node._post_hooks = node._tensor_hooks = node._retain = node._metadata = None
    node._spec = spec
    diff = tuple(diff)
    node._diff = diff
    node._gpos = None if len(diff) == len(edge_pos) else tuple(edge_pos.index(k) for k in diff)
    if len(outs) == 1:
        osel = _OSEL0 if outs[0]._dtype._cat >= _FLOAT_CAT else ()
    else:
        osel = tuple(j for j, o in enumerate(outs) if o._dtype._cat >= _FLOAT_CAT)
    node._osel = osel
    dropped = ()
    if saves is not None and not saves_result:
        drop = None
        for k in diff:
            if k not in saves:
                v = dyn[k]
                if drop is None:
                    drop = []
                    dyn = list(dyn)
                drop.append((k, tuple(v.shape), v.dtype))
                dyn[k] = None
        if drop is not None:
            dropped = tuple(drop)
            dyn = tuple(dyn)
    node._dyn = dyn
    node._dropped = dropped
    checks = []
    # an in-place op (its output is its first input, already overwritten): torch saves the
    # original self as a copy, and an input aliasing self was saved before the write
    self_vc = outs[0]._vc if (outs and inputs and outs[0] is inputs[0]) else None
    for k, t in enumerate(inputs):
        if t is not None and (saves is None or k in saves):
            if t._is_inference:
                raise RuntimeError(_INFERENCE_SAVE_MSG)
            vc = t._vc
            if self_vc is None:
                checks.append((vc, vc.version, t, None, k))
            elif k > 0:
                checks.append((vc, vc.version - 1 if vc is self_vc else vc.version, t, None, k))
    if saves_result:
        for j in osel:
            o = outs[j]
            checks.append((o._vc, o._vc.version, None, (o._dtype, o._shape, name, j), None))
    node._checks = tuple(checks)
    node._saves = saves is None or len(saves) > 0 or saves_result
    node._freed = False
    for j in osel:
        o = outs[j]
        o._grad_fn = node
        o._output_nr = j
    if record_traceback:
        node.metadata["traceback_"] = traceback.format_stack()[:-2]
    return node


# ------------------------------------------------------------------ views and in-place


class RelView:
    """A view described relative to its base's value: read it from / write it into the base."""

    __slots__ = ("shape", "stride", "offset", "index", "_hash")

    def __init__(self, base, view):
        self.shape = tuple(view._shape)
        bst = base.stride()
        if S.is_contiguous(base._shape, bst):
            self.stride = tuple(view.stride())
            self.offset = view._offset - base._offset
            self.index = None
        else:
            # rare: a base with a non-contiguous layout; map storage positions to base positions
            bpos = S.view_index_map(base._shape, bst, base._offset).reshape(-1)
            inv = {int(p): i for i, p in enumerate(bpos)}
            vpos = S.view_index_map(view._shape, view.stride(), view._offset)
            self.stride = self.offset = None
            self.index = tuple(inv[int(p)] for p in vpos.reshape(-1))
        self._hash = hash((self.shape, self.stride, self.offset, self.index))

    def __hash__(self):
        return self._hash

    def __eq__(self, o):
        return type(o) is RelView and (o.shape, o.stride, o.offset, o.index) == (
            self.shape,
            self.stride,
            self.offset,
            self.index,
        )

    def read(self, base_val):
        if self.index is None:
            return S.strided_read(base_val, self.shape, self.stride, self.offset)
        return base_val.reshape(-1)[np.asarray(self.index, np.int64)].reshape(self.shape)

    def write(self, base_val, v):
        if self.index is None:
            return S.strided_write(base_val, self.shape, self.stride, self.offset, v)
        flat = (
            base_val.reshape(-1)
            .at[np.asarray(self.index, np.int64)]
            .set(v.reshape(-1).astype(base_val.dtype))
        )
        return flat.reshape(base_val.shape)


class AsStridedSpec:
    """The view of a base: ``AsStridedBackward0`` for regenerated view grad_fns."""

    __slots__ = ("rel", "_hash")
    name = "AsStridedBackward0"

    def __init__(self, rel):
        self.rel = rel
        self._hash = hash(("as_strided", rel))

    def __hash__(self):
        return self._hash

    def __eq__(self, o):
        return type(o) is AsStridedSpec and o.rel == self.rel

    def fn(self, base):
        return (self.rel.read(base),)


class CopySlicesSpec:
    """An in-place op applied through a view, as a function of the whole base (torch's CopySlices)."""

    __slots__ = ("rel", "inner", "_hash")
    name = "CopySlices"

    def __init__(self, rel, inner):
        self.rel = rel
        self.inner = inner
        self._hash = hash(("copy_slices", rel, inner))

    def __hash__(self):
        return self._hash

    def __eq__(self, o):
        return type(o) is CopySlicesSpec and o.rel == self.rel and o.inner == self.inner

    def fn(self, base, *rest):
        new_view = self.inner.fn(self.rel.read(base), *rest)[0]
        return (self.rel.write(base, new_view),)


def regenerate_view_grad_fn(view):
    """Give ``view`` a fresh AsStridedBackward0 from its base after the base was rebased."""
    base = view._base
    view._view_fn_gen = base._rebase_gen
    if not base.requires_grad or not (view._dtype.is_floating_point or view._dtype.is_complex):
        view._grad_fn = None
        return
    spec = AsStridedSpec(RelView(base, view))
    record(spec, [base], (base._v(),), [view], None, False)


def rebase_after_inplace(self, spec, inputs, dyn):
    """Autograd bookkeeping after an in-place op ``spec`` wrote into ``self``.

    ``inputs``/``dyn`` are the op's flat inputs with ``self`` first. A view makes its base the
    node's owner (CopySlices) and regenerates its own grad_fn; a base gets the op's node.
    """
    if self._base is None:
        record(spec, inputs, dyn, [self], None, False)
        self._rebase_gen += 1
        return
    base = self._base
    rel = RelView(base, self)
    cs = CopySlicesSpec(rel, spec)
    # the base's value before the write, at the generation it was before it
    base_val = rel_base_value(base, self, dyn[0])
    record(cs, [base] + list(inputs[1:]), (base_val,) + tuple(dyn[1:]), [base], None, False)
    base._rebase_gen += 1


def rel_base_value(base, view, old_view_val):
    """The base's value before a write that left the view holding ``old_view_val``'s successor.

    Called after the storage was written, so the base is read now and the view's old values are
    put back in.
    """
    rel = RelView(base, view)
    return rel.write(base._v(), old_view_val)


def increment_version(tensor) -> None:
    """torch.autograd.graph.increment_version: mark ``tensor`` (or each of a list) as modified."""
    ts = tensor if isinstance(tensor, (list, tuple)) else (tensor,)
    for t in ts:
        t._vc.version += 1
