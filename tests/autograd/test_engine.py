"""Engine structure and caching: no retracing per step, work linear in the graph size.

No wall-clock thresholds: the checks count JAX traces and the engine's own counters.
"""

from __future__ import annotations

import torchjax
from torchjax.autograd import _fused, engine, graph
from torchjax.autograd._jax_stats import count_traces


def _step(x, w, y):
    h = (x * w).sum(1).exp()
    loss = ((h - y) * (h - y)).mean()
    loss.backward()
    return loss


def test_repeated_identical_steps_do_not_retrace():
    x = torchjax.linspace(-1.0, 1.0, 12).reshape(3, 4)
    w = torchjax.full((4,), 0.1, requires_grad=True)
    y = torchjax.tensor([0.5, 1.0, 1.5])
    for _ in range(_fused.FUSE_AFTER + 1):  # warm-up: per-node kernels, then the fused program
        _step(x, w, y)
        w.grad = None
    before = graph.vjp_trace_count()
    with count_traces() as c:
        for _ in range(5):
            _step(x, w, y)
            w.grad = None
    assert c["n"] == 0, f"{c['n']} JAX traces in steady state"
    assert graph.vjp_trace_count() == before


def test_new_shapes_trace_once_then_cache():
    w = torchjax.full((5,), 0.1, requires_grad=True)
    x = torchjax.ones(2, 5)
    y = torchjax.ones(2)
    _step(x, w, y)
    n0 = graph.vjp_trace_count()
    _step(x, w, y)
    assert graph.vjp_trace_count() == n0


def test_create_graph_steps_do_not_retrace():
    def hvp():
        x = torchjax.tensor([0.5, 1.5, -1.0], requires_grad=True)
        (g,) = torchjax.autograd.grad((x.sin() * x).sum(), x, create_graph=True)
        (h,) = torchjax.autograd.grad(g.sum(), x)
        return h

    hvp()
    hvp()
    with count_traces() as c:
        hvp()
    assert c["n"] == 0


def _chain(n):
    x = torchjax.ones(3, requires_grad=True)
    y = x
    for i in range(n):
        y = y * 1.0 if i % 2 else y + 0.0
    return x, y.sum()


def test_backward_work_is_linear_in_graph_size():
    counts = {}
    pushes = {}
    orig = engine._heappush

    def counting_push(heap, item):
        pushes["n"] += 1
        orig(heap, item)

    engine._heappush = counting_push
    try:
        for n in (500, 1000, 2000):
            x, out = _chain(n)
            pushes["n"] = 0
            out.backward()
            counts[n] = dict(engine.last_run_stats, pushes=pushes["n"])
            assert x.grad.tolist() == [1.0, 1.0, 1.0]
    finally:
        engine._heappush = orig
    for key in ("nodes", "edges", "executed", "pushes"):
        a, b, c = counts[500][key], counts[1000][key], counts[2000][key]
        # exactly one more unit of work per extra node: linear, not quadratic
        assert b - a == (c - b) / 2, (key, counts)
        assert b <= 2 * a + 2, (key, counts)


def test_wide_fan_in_is_linear():
    # one tensor used by many consumers, summed: each edge is seen once
    stats = {}
    for n in (100, 200, 400):
        x = torchjax.ones(2, requires_grad=True)
        total = x * 0.0
        for _ in range(n):
            total = total + x * 2.0
        total.sum().backward()
        stats[n] = dict(engine.last_run_stats)
        assert x.grad.tolist() == [2.0 * n, 2.0 * n]
    for key in ("nodes", "edges", "executed"):
        a, b, c = stats[100][key], stats[200][key], stats[400][key]
        assert c - b == 2 * (b - a), (key, stats)


def test_autograd_grad_runs_only_needed_nodes():
    x = torchjax.ones(3, requires_grad=True)
    z = torchjax.ones(3, requires_grad=True)
    a = x * 2
    b = z.exp()
    for _ in range(50):
        b = b * 1.0
    out = (a + b).sum()
    torchjax.autograd.grad(out, x)
    # Sum, Add, Mul(x) run; the 51 nodes on z's branch do not
    assert engine.last_run_stats["executed"] == 3


def test_fused_backward_matches_node_by_node():
    def run(fuse):
        saved = _fused.FUSE_AFTER
        _fused.FUSE_AFTER = 1 if fuse else 10**9
        try:
            x = torchjax.linspace(-1.0, 1.0, 12).reshape(3, 4)
            w = torchjax.linspace(0.1, 0.4, 4).requires_grad_()
            b = torchjax.tensor(0.3, requires_grad=True)
            before = _fused.fused_runs[0]
            for _ in range(3):  # accumulates into .grad in place
                h = (x * w).sum(1) + b
                loss = (h.exp() * h).mean() + (w * w).sum()
                loss.backward()
            used = _fused.fused_runs[0] - before
            return w.grad.tolist(), b.grad.tolist(), used
        finally:
            _fused.FUSE_AFTER = saved

    gw1, gb1, used1 = run(True)
    gw2, gb2, used2 = run(False)
    assert used1 == 3 and used2 == 0
    assert gw1 == gw2 and gb1 == gb2


def test_fused_signature_falls_back_for_version_errors_and_hooks():
    saved = _fused.FUSE_AFTER
    _fused.FUSE_AFTER = 1
    try:
        x = torchjax.ones(3, requires_grad=True)
        y = x.exp()
        z = y * 1
        y.add_(1)
        import pytest

        with pytest.raises(RuntimeError, match="output 0 of Exp"):  # as torch: y * 1 saves no y
            z.sum().backward()
        seen = []
        x2 = torchjax.ones(3, requires_grad=True)
        x2.register_hook(lambda g: seen.append(1))
        before = _fused.fused_runs[0]
        (x2 * 2).sum().backward()
        assert seen == [1] and _fused.fused_runs[0] == before
    finally:
        _fused.FUSE_AFTER = saved
