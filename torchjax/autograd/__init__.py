"""torch.autograd: backward, grad, grad modes, Function, functional, gradcheck, anomaly mode."""

from __future__ import annotations

import warnings

from . import graph  # noqa: F401
from .anomaly_mode import (
    detect_anomaly,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_detect_anomaly,
)
from .engine import run_backward
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
    set_multithreading_enabled,
)

__all__ = [
    "Function",
    "Variable",
    "backward",
    "grad",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "gradcheck",
    "gradgradcheck",
    "detect_anomaly",
    "set_detect_anomaly",
    "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled",
    "functional",
    "forward_ad",
    "graph",
    "profiler",
    "FunctionCtx",
    "once_differentiable",
    "GradcheckError",
    "set_multithreading_enabled",
]


def _tensor_cls():
    from .._tensor import Tensor

    return Tensor


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, _tensor_cls()):
        return (x,)
    return tuple(x)


def _inputs_tuple(inputs, fname):
    Tensor = _tensor_cls()
    if isinstance(inputs, (Tensor, graph.GradientEdge)):
        return (inputs,)
    if type(inputs) is dict:
        return tuple(inputs.values())
    from collections.abc import Mapping

    if isinstance(inputs, Mapping):
        raise TypeError(
            f"`inputs` argument to `{fname}()` must be a dict, not {type(inputs).__name__}. "
            "Other Mapping types are not supported."
        )
    return tuple(inputs)


def _make_grads(outputs, grads, is_grads_batched=False):
    """torch's _make_grads: check given gradients; None stands for an implicit ``ones``."""
    Tensor = _tensor_cls()
    out = []
    for i, (o, g) in enumerate(zip(outputs, grads)):
        if isinstance(g, Tensor):
            first = g[0] if is_grads_batched else g
            if first.shape != o.shape:
                if is_grads_batched:
                    raise RuntimeError(
                        "If `is_grads_batched=True`, we interpret the first dimension of each grad_output as "
                        "the batch dimension. The sizes of the remaining dimensions are expected to match "
                        f"the shape of corresponding output, but a mismatch was detected: grad_output[{i}] "
                        f"has a shape of {first.shape} and output[{i}] has a shape of {o.shape}. If you only "
                        "want some tensors in `grad_output` to be considered batched, consider using vmap."
                    )
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] has a "
                    f"shape of {o.shape}."
                )
            if o.dtype.is_complex != g.dtype.is_complex:
                raise RuntimeError(
                    "For complex Tensors, both grad_output and output are required to have the same dtype. "
                    f"Mismatch in dtype: grad_output[{i}] has a dtype of {g.dtype} and output[{i}] has a "
                    f"dtype of {o.dtype}."
                )
            out.append(g)
        elif g is None:
            if o.requires_grad:
                if o.numel() != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if not o.dtype.is_floating_point:
                    raise RuntimeError(
                        f"grad can be implicitly created only for real scalar outputs but got {o.dtype}"
                    )
            out.append(None)
        else:
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
    return out


def backward(
    tensors,
    grad_tensors=None,
    retain_graph=None,
    create_graph=False,
    grad_variables=None,
    inputs=None,
) -> None:
    """torch.autograd.backward: accumulate gradients of ``tensors`` into the leaves' ``.grad``."""
    if grad_variables is not None:
        warnings.warn(
            "`grad_variables` is deprecated. Use `grad_tensors` instead.",
            FutureWarning,
            stacklevel=2,
        )
        if grad_tensors is None:
            grad_tensors = grad_variables
        else:
            raise RuntimeError(
                "`grad_tensors` and `grad_variables` (deprecated) arguments both passed to `backward()`. "
                "Please only use `grad_tensors`."
            )
    inputs_t = None
    if inputs is not None:
        inputs_t = _inputs_tuple(inputs, "backward")
        if len(inputs_t) == 0:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    tensors = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(tensors)
    grads = _make_grads(tensors, grads)
    if len(grads) != len(tensors):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grads)} gradients")
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph:
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the parameter and "
            "its gradient which can cause a memory leak. We recommend using autograd.grad when creating the "
            "graph to avoid this. If you have to use this function, make sure to reset the .grad fields of "
            "your parameters to None after use to break the cycle and avoid the leak. (Triggered internally "
            "at /__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)",
            UserWarning,
            stacklevel=3,
        )
    if inputs_t is not None:
        for t in inputs_t:
            if isinstance(t, _tensor_cls()) and t.grad_fn is not None:
                # torch retains the grad of non-leaf inputs (and keeps retaining it)
                t.retain_grad()
    run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs_t, accumulate=True)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    only_inputs=True,
    allow_unused=None,
    is_grads_batched=False,
    materialize_grads=False,
):
    """torch.autograd.grad: gradients of ``outputs`` with respect to ``inputs`` (no .grad writes)."""
    from .. import _ops

    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, but got: allow_unused=False."
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    outputs = _as_tuple(outputs)
    inputs_t = _inputs_tuple(inputs, "grad")
    if len(inputs_t) == 0:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        warnings.warn(
            "only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
            "gradient for other parts of the graph, please use torch.autograd.backward.",
            FutureWarning,
            stacklevel=2,
        )
    go = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    go = _make_grads(outputs, go, is_grads_batched)
    if len(go) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(go)} gradients")
    if retain_graph is None:
        retain_graph = create_graph
    if is_grads_batched:
        res = _batched_grad(outputs, go, inputs_t, retain_graph, create_graph)
    else:
        res = run_backward(
            outputs, go, retain_graph, create_graph, inputs=inputs_t, accumulate=False
        )
    out = []
    for i, (t, g) in enumerate(zip(inputs_t, res)):
        if g is None:
            if materialize_grads:
                g = _ops.api.zeros_like(t)
                if create_graph:
                    g.requires_grad_(True)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
        out.append(g)
    if type(inputs) is dict:
        return dict(zip(inputs.keys(), out))
    return tuple(out)


def _batched_grad(outputs, go, inputs, retain_graph, create_graph):
    """is_grads_batched: one vector-Jacobian product per row of the grad_outputs, stacked."""
    from .._ops import _dispatch

    n = None
    for g in go:
        if g is not None:
            n = g.shape[0]
            break
    if n is None:
        return run_backward(
            outputs, go, retain_graph, create_graph, inputs=inputs, accumulate=False
        )
    rows = []
    for b in range(n):
        gb = [None if g is None else g[b] for g in go]
        rows.append(
            run_backward(
                outputs,
                gb,
                True if b < n - 1 else retain_graph,
                create_graph,
                inputs=inputs,
                accumulate=False,
            )
        )
    out = []
    for k in range(len(inputs)):
        col = [r[k] for r in rows]
        if all(c is None for c in col):
            out.append(None)
            continue
        col = [c if c is not None else _zeros_like(inputs[k]) for c in col]
        out.append(_dispatch.apply_spec(_StackSpec(len(col)), col)[0])
    return out


def _zeros_like(t):
    from .. import _ops

    return _ops.api.zeros_like(t)


class _StackSpec:
    """torch.stack over dim 0, as a spec (StackBackward0) for batched gradients."""

    __slots__ = ("n",)
    name = "StackBackward0"

    def __init__(self, n):
        self.n = n

    def __hash__(self):
        return hash(("stack", self.n))

    def __eq__(self, o):
        return type(o) is _StackSpec and o.n == self.n

    def fn(self, *xs):
        import jax.numpy as jnp

        return (jnp.stack(xs),)


def Variable(data, requires_grad=False, volatile=False):  # noqa: N802 - torch's deprecated name
    """torch.autograd.Variable: deprecated; returns the tensor (with requires_grad set)."""
    if requires_grad:
        data.requires_grad_(True)
    return data


from . import forward_ad, functional, profiler  # noqa: E402
from .function import Function, FunctionCtx, once_differentiable  # noqa: E402
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: E402
