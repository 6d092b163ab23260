"""torch.autograd.Function: custom forward/backward written with torchjax ops.

As in torch, the ``ctx`` handed to ``forward``/``setup_context``/``backward`` is the graph node
itself (an instance of ``<Name>Backward``), so ``y.grad_fn`` is the ctx and attributes set on
the ctx are visible on the node. ``forward`` runs under no_grad; ``backward`` runs with grad
mode equal to ``create_graph`` (double backward through a custom Function works when its
backward is written with differentiable ops), unless it is ``@once_differentiable``.
"""

from __future__ import annotations

import functools
import inspect

from . import grad_mode
from . import graph as G

__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "once_differentiable", "InplaceFunction"]


def _tensor_cls():
    from .._tensor import Tensor

    return Tensor


_FREED = object()


class FunctionCtx:
    """torch.autograd.function.FunctionCtx: what ``forward`` uses to talk to ``backward``."""

    def save_for_backward(self, *tensors):
        self.to_save = tensors

    def save_for_forward(self, *tensors):
        self.saved_for_forward = tensors

    def mark_dirty(self, *args):
        self.dirty_tensors = args

    def mark_non_differentiable(self, *args):
        self.non_differentiable = args

    def set_materialize_grads(self, value: bool):
        self.materialize_grads = value

    def mark_shared_storage(self, *pairs):  # pragma: no cover - removed in torch
        raise RuntimeError(
            "mark_shared_storage is deprecated. Tensors with shared storages are automatically tracked."
        )

    @property
    def saved_tensors(self):
        saved = self.__dict__.get("_saved")
        if saved is _FREED:
            raise RuntimeError(G._FREED_MSG)
        if saved is None:
            return ()
        tensors, checks = saved
        if checks:
            G.check_versions(checks)
        return tensors

    @property
    def saved_variables(self):
        return self.saved_tensors


class BackwardCFunction(FunctionCtx, G.Node):
    """The node of one custom Function call (torch.autograd.function.BackwardCFunction)."""

    _forward_cls = None

    def __init__(self):
        G.Node.__init__(self, (), 1)
        self.materialize_grads = True

    __repr__ = object.__repr__

    def name(self) -> str:
        return type(self).__name__

    def apply(self, grads):
        """Call the user's backward with one gradient per forward output."""
        cls = self._forward_cls
        grads = list(grads)
        metas = self._out_meta
        if self.materialize_grads:
            from .. import _ops

            for i, (g, m) in enumerate(zip(grads, metas)):
                if g is None and m is not None:
                    grads[i] = _ops.api.zeros(m[0], dtype=m[1])
        backward_fn, vjp_fn = cls.backward, cls.vjp
        if backward_fn is not Function.backward and vjp_fn is not Function.vjp:
            raise RuntimeError(
                "Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You should only "
                "implement one of them."
            )
        user_fn = vjp_fn if vjp_fn is not Function.vjp else backward_fn
        res = user_fn(self, *grads)
        if not isinstance(res, tuple):
            res = (res,)
        n = len(self._arg_is_tensor)
        name = type(self).__name__
        if len(res) != n:
            if len(res) > n and all(r is None for r in res[n:]):
                res = res[:n]
            else:
                raise RuntimeError(
                    f"function {name} returned an incorrect number of gradients (expected {n}, got {len(res)})"
                )
        out = []
        for i, (g, meta) in enumerate(zip(res, self._arg_is_tensor)):
            if meta is None:
                if g is not None:
                    raise RuntimeError(
                        f"function {name} returned a gradient different than None at position {i + 1}, but the "
                        "corresponding forward input was not a Variable"
                    )
                continue
            if g is not None:
                g = _validate_grad(name, len(out), g, meta)
            out.append(g)
        return out

    def release(self):
        if self.__dict__.get("_saved") is not None:
            self._saved = _FREED


def _validate_grad(name, index, g, meta):
    Tensor = _tensor_cls()
    shape, dtype = meta
    if not isinstance(g, Tensor):
        raise TypeError(
            f"function {name} returned a gradient of type {type(g).__name__} at index {index}"
        )
    if tuple(g.shape) != tuple(shape):
        if not _expandable(shape, g.shape):
            raise RuntimeError(
                f"Function {name} returned an invalid gradient at index {index} - got {list(g.shape)} but expected "
                f"shape compatible with {list(shape)}"
            )
        g = g.sum_to_size(shape) if hasattr(g, "sum_to_size") else _sum_to(g, shape)
    if g.dtype is not dtype and (dtype.is_floating_point or dtype.is_complex):
        g = g.to(dtype)
    return g


def _expandable(shape, target):
    """Whether ``shape`` broadcasts to ``target`` (torch's is_expandable_to)."""
    if len(shape) > len(target):
        return False
    for a, b in zip(reversed(shape), reversed(target)):
        if a != b and a != 1:
            return False
    return True


class _SumToSpec:
    __slots__ = ("shape",)
    name = "SumToSizeBackward0"

    def __init__(self, shape):
        self.shape = tuple(shape)

    def __hash__(self):
        return hash(("sum_to", self.shape))

    def __eq__(self, o):
        return type(o) is _SumToSpec and o.shape == self.shape

    def fn(self, g):
        lead = g.ndim - len(self.shape)
        axes = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(self.shape) if n == 1 and g.shape[lead + i] != 1
        )
        return (g.sum(axis=axes, keepdims=False).reshape(self.shape) if axes else g,)


def _sum_to(g, shape):
    from .._ops import _dispatch

    return _dispatch.apply_spec(_SumToSpec(shape), [g])[0]


class FunctionMeta(type):
    """Gives each Function subclass its node class ``<Name>Backward``."""

    def __init__(cls, name, bases, attrs):
        backward_cls = type(name + "Backward", (BackwardCFunction,), {"_forward_cls": cls})
        # torch's node classes live in torch.autograd.function (it shows in their repr)
        backward_cls.__module__ = "torch.autograd.function"
        backward_cls.__qualname__ = name + "Backward"
        cls._backward_cls = backward_cls
        super().__init__(name, bases, attrs)


class Function(metaclass=FunctionMeta):
    """torch.autograd.Function: subclass with static ``forward`` and ``backward``; call ``apply``."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use new-style "
            "autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    @staticmethod
    def forward(*args, **kwargs):
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function to use "
            "it with backward mode AD."
        )

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with forward mode AD."
        )

    generate_vmap_rule = False

    @classmethod
    def apply(cls, *args, **kwargs):
        has_setup = cls.setup_context is not Function.setup_context and _overrides_setup(cls)
        if has_setup:
            sig = inspect.signature(cls.forward)
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, {}
        return _apply(cls, args, kwargs, has_setup)


def _overrides_setup(cls):
    for k in cls.__mro__:
        if "setup_context" in k.__dict__:
            return k is not Function
    return False


def _apply(cls, args, kwargs, has_setup):
    Tensor = _tensor_cls()
    ctx = cls._backward_cls()
    grad_on = grad_mode.state.enabled
    needs = tuple(isinstance(a, Tensor) and grad_on and a.requires_grad for a in args)
    ctx.needs_input_grad = needs
    tensor_args = [a for a in args if isinstance(a, Tensor)]
    with grad_mode.no_grad():
        if has_setup:
            raw = cls.forward(*args, **kwargs)
            cls.setup_context(ctx, args, raw)
        else:
            raw = cls.forward(ctx, *args, **kwargs)
    single = not isinstance(raw, tuple)
    outs = (raw,) if single else tuple(raw)
    is_executable = grad_on and any(needs)
    dirty = {id(t) for t in ctx.__dict__.get("dirty_tensors", ())}
    nondiff = {id(t) for t in ctx.__dict__.get("non_differentiable", ())}
    input_ids = {id(t) for t in tensor_args}

    if is_executable:
        nexts = []
        for a in tensor_args:
            e = G.gradient_edge(a) if a.requires_grad else None
            nexts.append(e if e is not None else (None, 0))
        ctx.next_functions = tuple(nexts)
    ctx._nin = len(outs)
    ctx._arg_is_tensor = tuple(
        (tuple(a.shape), a.dtype) if isinstance(a, Tensor) else None for a in args
    )

    new_outs = []
    metas = []
    for i, o in enumerate(outs):
        if not isinstance(o, Tensor):
            new_outs.append(o)
            metas.append(None)
            continue
        metas.append((tuple(o.shape), o.dtype))
        if id(o) in dirty:
            if is_executable and o.grad_fn is None and o._requires_grad:
                raise RuntimeError(
                    "a leaf Variable that requires grad has been used in an in-place operation."
                )
            o._vc.version += 1
        elif id(o) in input_ids:
            # an input returned as is becomes a new alias (torch: input.view_as(input))
            o = o.detach()
        if (
            is_executable
            and id(outs[i]) not in nondiff
            and (o.dtype.is_floating_point or o.dtype.is_complex)
        ):
            o._grad_fn = ctx
            o._output_nr = i
            o._requires_grad = False
            if o._base is not None:
                o._view_fn_gen = o._base._rebase_gen
        new_outs.append(o)
    ctx._out_meta = tuple(metas)

    to_save = ctx.__dict__.pop("to_save", None)
    if to_save is not None:
        # outputs saved by identity are the returned (possibly re-aliased) outputs
        remap = {id(a): b for a, b in zip(outs, new_outs)}
        saved = tuple(remap.get(id(t), t) if t is not None else None for t in to_save)
        checks = []
        out_ids = {id(o) for o in new_outs}
        for t in saved:
            if isinstance(t, Tensor):
                if id(t) in out_ids and t._grad_fn is ctx:
                    # a saved output names this node, without holding the tensor (no cycle)
                    checks.append(
                        (
                            t._vc,
                            t._vc.version,
                            None,
                            (t._dtype, t._shape, ctx.name(), t._output_nr),
                            None,
                        )
                    )
                else:
                    checks.append((t._vc, t._vc.version, t, None, None))
        ctx._saved = (saved, tuple(checks))
    if G.record_traceback and is_executable:
        import traceback

        ctx.metadata["traceback_"] = traceback.format_stack()[:-3]
    return new_outs[0] if single else tuple(new_outs)


class _DelayedError(G.Node):
    """Stands for the gradient of a once_differentiable backward: differentiating it raises."""

    __slots__ = ("msg",)

    def __init__(self, msg, nexts):
        G.Node.__init__(self, nexts, 1)
        self.msg = msg

    def name(self):
        return "DelayedError"

    def apply(self, grads):
        raise RuntimeError(self.msg)


def once_differentiable(fn):
    """torch.autograd.function.once_differentiable: backward runs without recording a graph."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            outputs = fn(ctx, *args)
        if not grad_mode.state.enabled:
            return outputs
        Tensor = _tensor_cls()
        requires = any(isinstance(a, Tensor) and a.requires_grad for a in args)
        if not requires:
            return outputs
        tup = outputs if isinstance(outputs, tuple) else (outputs,)
        nexts = tuple(
            G.gradient_edge(a) or (None, 0)
            for a in args
            if isinstance(a, Tensor) and a.requires_grad
        )
        err = _DelayedError(
            "trying to differentiate twice a function that was marked with @once_differentiable",
            nexts,
        )
        res = []
        for o in tup:
            if isinstance(o, Tensor) and (o.dtype.is_floating_point or o.dtype.is_complex):
                o = o.detach()
                o._grad_fn = err
                o._output_nr = 0
            res.append(o)
        return tuple(res) if isinstance(outputs, tuple) else res[0]

    wrapper._once_differentiable = True
    return wrapper


class InplaceFunction(Function):
    """torch.autograd.function.InplaceFunction."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace
