"""Running pure JAX functions on tensors: one jitted kernel per spec, outputs wrapped, graph recorded.

A *spec* is a hashable object with ``name`` (the grad_fn name) and ``fn(*arrays) -> tuple``;
it is the static argument of a jitted runner, so each (spec, shapes, dtypes) compiles once.
"""

from __future__ import annotations

import functools

import jax

from .._tensor import Tensor, wrap
from ..autograd import grad_mode
from ..autograd import graph as G


def _run(spec, *dyn):
    return spec.fn(*dyn)


@functools.cache
def runner(spec_type):
    """The jitted forward runner for one kind of spec (small caches, one per kind)."""
    return jax.jit(_run, static_argnums=0)


def apply_spec(spec, inputs, saves=None, saves_result=False):
    """Run ``spec`` on ``inputs`` (Tensors, arrays or None); record a node when needed."""
    dyn = tuple(x._v() if isinstance(x, Tensor) else x for x in inputs)
    outs = runner(type(spec))(spec, *dyn)
    res = tuple(wrap(o) for o in outs)
    if grad_mode.state.enabled:
        tins = [x if isinstance(x, Tensor) else None for x in inputs]
        if any(t is not None and t.requires_grad for t in tins):
            G.record(spec, tins, dyn, res, saves, saves_result)
    return res


def record_only(spec, inputs, outs, dyn=None, saves=None):
    """Record a node for ``outs`` already computed from ``inputs`` (values ``dyn``)."""
    if dyn is None:
        dyn = tuple(x._v() if isinstance(x, Tensor) else x for x in inputs)
    tins = [x if isinstance(x, Tensor) else None for x in inputs]
    return G.record(spec, tins, dyn, outs, saves, False)
