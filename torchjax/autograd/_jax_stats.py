"""Counting JAX traces (tests and benchmarks check that steady-state steps never retrace)."""

from __future__ import annotations

import contextlib

import jax
from jax._src import dispatch as _jax_dispatch


@contextlib.contextmanager
def count_traces():
    """Yields a dict whose ``"n"`` counts every jit trace JAX performs inside the block."""
    box = {"n": 0}

    def listener(event, duration, **kw):
        if event == _jax_dispatch.JAXPR_TRACE_EVENT:
            box["n"] += 1

    jax.monitoring.register_event_duration_secs_listener(listener)
    try:
        yield box
    finally:
        jax.monitoring.unregister_event_duration_listener(listener)
