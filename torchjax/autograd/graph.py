"""The autograd graph: grad_fn nodes named as torch names them, with next_functions.

Every differentiable op records one node whose backward is the JAX VJP of the op's own pure
function, jitted and cached per (op, static arguments, shapes). A backward run with
``create_graph=True`` calls that same VJP as a recorded op, so higher-order gradients are
VJPs of VJPs. Views and in-place ops follow torch: a view of a tensor that requires grad gets
a view node; an in-place write through a view gives the base a ``CopySlices`` node and
regenerates the views' grad_fns as ``AsStridedBackward0``.
"""

from __future__ import annotations

import functools
import itertools
import re
import weakref

import jax
import jax.numpy as jnp
import numpy as np

from .. import _storage as S
from . import grad_mode

_seq = itertools.count()
_hook_ids = itertools.count()


class RemovableHandle:
    """torch.utils.hooks.RemovableHandle over a dict of hooks."""

    def __init__(self, hooks_dict):
        self.hooks_dict_ref = weakref.ref(hooks_dict) if _weakrefable(hooks_dict) else (lambda: hooks_dict)
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
    pass


def _weakrefable(d):
    return isinstance(d, _HookDict)


def hook_dict():
    return _HookDict()


class Node:
    """Base of every grad_fn (torch.autograd.graph.Node)."""

    __slots__ = (
        "next_functions",
        "_seq_nr",
        "_pre_hooks",
        "_post_hooks",
        "_tensor_hooks",
        "_retain",
        "_metadata",
        "__weakref__",
    )

    def __init__(self, next_functions=()):
        self.next_functions = next_functions
        self._seq_nr = next(_seq)
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
        """fn(grad_inputs, grad_outputs) -> None or replacement grad_inputs."""
        if self._post_hooks is None:
            self._post_hooks = hook_dict()
        h = RemovableHandle(self._post_hooks)
        self._post_hooks[h.id] = fn
        return h

    def register_prehook(self, fn):
        """fn(grad_outputs) -> None or replacement grad_outputs."""
        if self._pre_hooks is None:
            self._pre_hooks = hook_dict()
        h = RemovableHandle(self._pre_hooks)
        self._pre_hooks[h.id] = fn
        return h

    def _sequence_nr(self) -> int:
        return self._seq_nr

    def _register_hook_dict(self, tensor):
        pass

    def apply(self, grads):
        raise NotImplementedError

    def __call__(self, *grads):
        from .._tensor import Tensor

        out = self.apply(list(grads))
        out = [g if g is None or isinstance(g, Tensor) else g for g in out]
        return out[0] if len(out) == 1 else tuple(out)

    def release(self):
        pass

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"


_node_classes: dict = {}


def node_class(name: str, base):
    """The node class with torch's name (``MulBackward0`` ...), created once per name."""
    cls = _node_classes.get((name, base))
    if cls is None:
        cls = _node_classes[(name, base)] = type(name, (base,), {"__slots__": ()})
    return cls


# ------------------------------------------------------------------ leaves


class AccumulateGrad(Node):
    """Sink of a leaf that requires grad: adds incoming gradients into ``variable.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable):
        super().__init__(())
        self.variable = variable

    def apply(self, grads):
        accumulate_into(self.variable, grads[0])
        return []


def accumulate_into(var, g, run_hooks=True):
    from .._tensor import Tensor

    if g is None:
        return
    if run_hooks and var._hooks:
        for hook in list(var._hooks.values()):
            r = hook(g)
            if r is not None:
                g = r
    create_graph = grad_mode.state.enabled
    old = var._grad
    if old is None:
        if create_graph:
            var._grad = g
        else:
            v = g._v()
            if v.dtype != var._dtype._np:
                v = v.astype(var._dtype._np)
            from .._tensor import wrap

            var._grad = wrap(v, var._dtype)
    elif create_graph or old.requires_grad:
        from .. import _ops

        var._grad = _ops.api.add(old, g)
    else:
        # in place, so references to .grad (e.g. held by an optimizer) see the sum
        v = old._v() + g._v().astype(old._v().dtype)
        if isinstance(old, Tensor):
            old._write(v)
    if var._post_acc_hooks:
        for hook in list(var._post_acc_hooks.values()):
            hook(var)


def grad_accumulator(t) -> AccumulateGrad:
    acc = t._accumulator() if t._accumulator is not None else None
    if acc is None:
        acc = AccumulateGrad(t)
        t._accumulator = weakref.ref(acc)
    return acc


def gradient_edge(t):
    """(node, input_nr) where gradient for ``t`` flows, or None when it needs none."""
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
    dyn = list(dyn)
    for i, shape, dt in dropped:
        dyn[i] = jnp.zeros(shape, dt)

    def f(*d):
        args = list(dyn)
        for i, v in zip(diff, d):
            args[i] = v
        outs = spec.fn(*args)
        return tuple(outs[j] for j in osel)

    _, pullback = jax.vjp(f, *[dyn[i] for i in diff])
    # torch's convention for complex gradients is the conjugate of JAX's cotangents
    cts = tuple(jnp.conj(c) if _is_complex(c.dtype) else c for c in cts)
    gs = pullback(cts)
    return tuple(jnp.conj(g) if _is_complex(g.dtype) else g for g in gs)


@functools.lru_cache(maxsize=None)
def _vjp_runner(spec_type):
    # one jitted VJP per kind of spec keeps each cache small; statics select the function
    return jax.jit(_vjp_body, static_argnums=(0, 1, 2, 3))


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
            and (o.diff, o.osel, o.dropped, o.ndyn) == (self.diff, self.osel, self.dropped, self.ndyn)
        )

    def fn(self, *flat):
        return _vjp_body(self.spec, self.diff, self.osel, self.dropped, flat[: self.ndyn], flat[self.ndyn :])


class OpNode(Node):
    """Backward of an op declared as a pure JAX function (``spec.fn``)."""

    __slots__ = ("_spec", "_dyn", "_diff", "_edge_pos", "_osel", "_out_meta", "_dropped", "_checks", "_saves",
                 "_freed")

    def apply(self, grads):
        from .._tensor import Tensor, wrap

        if self._freed:
            raise RuntimeError(_FREED_MSG)
        self._check_versions()
        metas = self._out_meta
        if all(grads[j] is None for j in self._osel):
            return [None] * len(self._edge_pos)
        if grad_mode.state.enabled:
            return self._spread(self._apply_differentiable(grads))
        cts = []
        for j in self._osel:
            g = grads[j]
            shape, dt = metas[j]
            if g is None:
                cts.append(jnp.zeros(shape, dt))
            else:
                v = g._v()
                cts.append(v if v.dtype == dt else v.astype(dt))
        runner = _vjp_runner(type(self._spec))
        gs = runner(self._spec, self._diff, self._osel, self._dropped, self._dyn, tuple(cts))
        return self._spread([wrap(g) for g in gs])

    def _spread(self, gs):
        """Gradients of the differentiable inputs, placed at their next_functions slots."""
        if len(gs) == len(self._edge_pos):
            return gs
        out = [None] * len(self._edge_pos)
        pos = {k: i for i, k in enumerate(self._edge_pos)}
        for k, g in zip(self._diff, gs):
            out[pos[k]] = g
        return out

    def _apply_differentiable(self, grads):
        from .._ops import _dispatch
        from .._tensor import wrap

        ins = []
        for k, v in enumerate(self._dyn):
            if k in self._diff:
                t = wrap(v) if v is not None else None
                if t is not None:
                    edge = self.next_functions[self._edge_pos.index(k)]
                    _attach_edge(t, edge)
                ins.append(t)
            else:
                ins.append(v)
        for j in self._osel:
            g = grads[j]
            if g is None:
                shape, dt = self._out_meta[j]
                g = wrap(jnp.zeros(shape, dt))
            ins.append(g)
        vspec = VJPSpec(self._spec, self._diff, self._osel, self._dropped, len(self._dyn))
        return list(_dispatch.apply_spec(vspec, ins))

    def _check_versions(self):
        for vc, version, desc in self._checks:
            if vc.version != version:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an "
                    f"inplace operation: {desc()} is at version {vc.version}; expected version "
                    f"{version} instead. Hint: enable anomaly detection to find the operation that "
                    "failed to compute its gradient, with torch.autograd.set_detect_anomaly(True)."
                )

    def release(self):
        if self._saves:
            self._freed = True
            self._dyn = None


_FREED_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


def _attach_edge(t, edge):
    if edge is None:
        return
    node, nr = edge
    if isinstance(node, AccumulateGrad):
        # a saved leaf: gradients reach the leaf itself
        t._requires_grad = False
        t._grad_fn = _LeafForward(node)
        t._output_nr = 0
    else:
        t._grad_fn = node
        t._output_nr = nr


class _LeafForward(Node):
    """Identity node forwarding to a leaf's AccumulateGrad (saved leaves in double backward)."""

    __slots__ = ()

    def __init__(self, acc):
        super().__init__(((acc, 0),))

    def name(self):
        return "AccumulateGrad"

    def apply(self, grads):
        return [grads[0]]


def strip_backward(name: str) -> str:
    return re.sub(r"Backward\d*$", "", name)


def tensor_desc(t, node_name=None):
    """Text torch uses for a saved tensor in the in-place version error."""

    legacy = t._dtype._legacy
    shape = ", ".join(str(s) for s in t._shape)
    fn = t._grad_fn
    name = node_name or (fn.name() if fn is not None else None)
    nr = t._output_nr
    base = f"[torch.{legacy} [{shape}]]"

    def desc():
        if name is None:
            return base
        return f"{base}, which is output {nr} of {strip_backward(name)},"

    return desc


def record(spec, inputs, dyn, outs, saves, saves_result, edge_pos=None):
    """Record a node for ``outs`` (tensors) computed by ``spec`` from ``inputs``.

    ``inputs`` aligns with ``dyn`` (flat dynamic values): a Tensor where the value came from a
    tensor, else None. ``edge_pos`` lists the positions that are tensor inputs in torch's eyes
    (including Python scalars wrapped as tensors): one ``next_functions`` entry each.
    ``saves`` is None for "every tensor input is saved", else the set of flat positions torch
    saves (the others, when differentiable, are kept only as shapes).
    """
    if edge_pos is None:
        edge_pos = [k for k, t in enumerate(inputs) if t is not None]
    diff = [k for k in edge_pos if inputs[k] is not None and inputs[k].requires_grad]
    if not diff:
        return None
    cls = node_class(spec.name, OpNode)
    node = cls.__new__(cls)
    dset = set(diff)
    Node.__init__(
        node,
        tuple((gradient_edge(inputs[k]) or (None, 0)) if k in dset else (None, 0) for k in edge_pos),
    )
    node._spec = spec
    diff = tuple(diff)
    node._diff = diff
    node._edge_pos = tuple(edge_pos)
    osel = []
    metas = []
    for j, o in enumerate(outs):
        metas.append((tuple(o._shape), o._dtype._np))
        if o._dtype.is_floating_point or o._dtype.is_complex:
            osel.append(j)
    node._osel = tuple(osel)
    node._out_meta = tuple(metas)
    dropped = ()
    if saves is not None:
        dyn = list(dyn)
        drop = []
        for k in diff:
            if k not in saves:
                v = dyn[k]
                drop.append((k, tuple(v.shape), v.dtype))
                dyn[k] = None
        dropped = tuple(drop)
        dyn = tuple(dyn)
    node._dyn = dyn
    node._dropped = dropped
    checks = []
    for k, t in enumerate(inputs):
        if t is not None and (saves is None or k in saves):
            checks.append((t._vc, t._vc.version, tensor_desc(t)))
    if saves_result:
        for j in osel:
            o = outs[j]
            checks.append((o._vc, o._vc.version, tensor_desc(o, spec.name)))
    node._checks = tuple(checks)
    node._saves = saves is None or len(saves) > 0 or saves_result
    node._freed = False
    for j in osel:
        o = outs[j]
        o._grad_fn = node
        o._output_nr = j
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
        return (
            type(o) is RelView
            and (o.shape, o.stride, o.offset, o.index) == (self.shape, self.stride, self.offset, self.index)
        )

    def read(self, base_val):
        if self.index is None:
            return S.strided_read(base_val, self.shape, self.stride, self.offset)
        return base_val.reshape(-1)[np.asarray(self.index, np.int64)].reshape(self.shape)

    def write(self, base_val, v):
        if self.index is None:
            return S.strided_write(base_val, self.shape, self.stride, self.offset, v)
        flat = base_val.reshape(-1).at[np.asarray(self.index, np.int64)].set(v.reshape(-1).astype(base_val.dtype))
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
    from .._ops import _dispatch

    spec = AsStridedSpec(RelView(base, view))
    _dispatch.record_only(spec, [base], [view])


def rebase_after_inplace(self, spec, inputs, dyn):
    """Autograd bookkeeping after an in-place op ``spec`` wrote into ``self``.

    ``inputs``/``dyn`` are the op's flat inputs with ``self`` first. A view makes its base the
    node's owner (CopySlices) and regenerates its own grad_fn; a base gets the op's node.
    """
    from .._ops import _dispatch

    if self._base is None:
        _dispatch.record_only(spec, inputs, [self], dyn=dyn)
        self._rebase_gen += 1
        return
    base = self._base
    rel = RelView(base, self)
    cs = CopySlicesSpec(rel, spec)
    # the base's value before the write, at the generation it was before it
    base_val = rel_base_value(base, self, dyn[0])
    _dispatch.record_only(cs, [base] + list(inputs[1:]), [base], dyn=(base_val,) + tuple(dyn[1:]))
    base._rebase_gen += 1


def rel_base_value(base, view, old_view_val):
    """The base's value before a write that left the view holding ``old_view_val``'s successor.

    Called after the storage was written, so the base is read now and the view's old values are
    put back in.
    """
    rel = RelView(base, view)
    return rel.write(base._v(), old_view_val)
