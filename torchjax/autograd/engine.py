"""The backward engine: runs grad_fn nodes in dependency order (torch's GraphTask).

One pass over the reachable graph counts each node's consumers; a node becomes ready when
all of them ran, and among ready nodes the one created last runs first (torch's
sequence-number priority, AccumulateGrad before everything), which fixes the order hooks
fire in. Gradients arriving at the same input are summed. With ``inputs`` (autograd.grad,
``backward(inputs=...)``) only the nodes on a path to an input run. Saved values are freed
after the run unless ``retain_graph``; grad mode during the run equals ``create_graph``.

Without ``create_graph`` gradients travel between nodes as jax arrays; Tensors are made only
for hooks, retained grads and the results. Every step is linear in nodes + edges.
"""

from __future__ import annotations

import heapq
import warnings

import jax.numpy as jnp

from . import _fused, anomaly_mode, grad_mode
from . import graph as G
from .graph import AccumulateGrad

_heappush = heapq.heappush
_heappop = heapq.heappop

# counts of the last run (tests check that work grows linearly with the graph)
last_run_stats = {"nodes": 0, "edges": 0, "executed": 0}


_ONES: dict = {}


def ones_seed(shape, dtype):
    """A cached ``ones`` array (jax arrays are immutable, so one buffer serves every backward)."""
    key = (shape, dtype)
    v = _ONES.get(key)
    if v is None:
        v = _ONES[key] = jnp.ones(shape, dtype)
    return v


def _wrap(v):
    from .._tensor import wrap

    return wrap(v)


def _add_graph(a, b):
    if a is None:
        return b
    if b is None:
        return a
    from .. import _ops

    return _ops.api.add(a, b)


def _add_raw(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return G._jadd(a, b)


def _discover(roots):
    """Consumer counts of every node reachable from ``roots`` (one pass, iterative)."""
    deps = dict.fromkeys(roots, 0)
    stack = list(deps)
    edges = 0
    while stack:
        n = stack.pop()
        for nxt, _ in n.next_functions:
            if nxt is not None:
                edges += 1
                c = deps.get(nxt)
                if c is None:
                    deps[nxt] = 1
                    stack.append(nxt)
                else:
                    deps[nxt] = c + 1
    return deps, edges


def _discover_needed(roots, targets):
    """Consumer counts, plus the set of nodes to visit: targets and every node leading to one.

    A post-order walk: a node is visited when it is a target or one of its next functions is.
    """
    deps = dict.fromkeys(roots, 0)
    visit = {}
    edges = 0
    for r in roots:
        if r in visit:
            continue
        visit[r] = False
        stack = [(r, iter(r.next_functions))]
        while stack:
            n, it = stack[-1]
            for nxt, _ in it:
                if nxt is None:
                    continue
                edges += 1
                c = deps.get(nxt)
                deps[nxt] = 1 if c is None else c + 1
                if nxt not in visit:
                    visit[nxt] = False
                    stack.append((nxt, iter(nxt.next_functions)))
                    break
            else:
                stack.pop()
                if n in targets:
                    visit[n] = True
                else:
                    for nxt, _ in n.next_functions:
                        if nxt is not None and visit[nxt]:
                            visit[n] = True
                            break
    return deps, {n for n, v in visit.items() if v}, edges


def run_backward(tensors, grad_tensors, retain_graph, create_graph, inputs=None, accumulate=True):
    """Run the graph from ``tensors`` seeded with ``grad_tensors`` (None: ones).

    ``accumulate``: write into leaves' ``.grad`` (backward); with ``inputs`` and not
    ``accumulate``, return the gradients of ``inputs`` (autograd.grad), None where unused.
    """
    graph = bool(create_graph)
    roots = []
    for i, t in enumerate(tensors):
        edge = G.gradient_edge(t)
        if edge is None:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        roots.append(edge)

    # where gradients are captured (autograd.grad) and which nodes need to run
    captures = None
    execute_only = None  # nodes that are visited but not run (captured inputs)
    if inputs is not None:
        targets = set()
        run_targets = set()
        captures = {}
        for k, t in enumerate(inputs):
            e = G.gradient_edge(t)
            if e is None:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            node, nr = e
            targets.add(node)
            if accumulate and isinstance(node, AccumulateGrad):
                run_targets.add(node)
            elif not accumulate:
                captures.setdefault(node, []).append((nr, k))
        deps, visit, nedges = _discover_needed([n for n, _ in roots], targets)
        # a target runs only if it is a leaf being accumulated or leads to another target
        execute_only = {
            n
            for n in targets
            if n in visit
            and n not in run_targets
            and not any(c is not None and c in visit for c, _ in n.next_functions)
        }
    else:
        deps, nedges = _discover([n for n, _ in roots])
        visit = None
    results = [None] * len(inputs) if (inputs is not None and not accumulate) else None

    add = _add_graph if graph else _add_raw
    buffers = {}
    for (node, nr), t, g in zip(roots, tensors, grad_tensors):
        if g is None:
            v = ones_seed(tuple(t._shape), t._dtype._np)
            g = _wrap(v) if graph else v
        elif not graph:
            g = g._v()
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * node._nin
        buf[nr] = add(buf[nr], g)

    heap = []
    for node, _ in roots:
        if deps[node] == 0 and (visit is None or node in visit):
            deps[node] = -1  # queued
            _heappush(heap, (-node._seq_nr, id(node), node))

    anomaly = anomaly_mode._state.enabled
    prev = grad_mode.state.enabled
    grad_mode.state.enabled = graph
    try:
        if captures is None and visit is None and not anomaly and not graph:
            executed = _fused.try_run([n for n, _ in roots], buffers, deps, retain_graph)
            if executed is None:
                executed = _loop_plain(heap, buffers, deps, retain_graph)
        else:
            executed = _loop(
                heap,
                buffers,
                deps,
                retain_graph,
                graph,
                anomaly,
                captures,
                results,
                visit,
                execute_only,
                add,
            )
    finally:
        grad_mode.state.enabled = prev
    last_run_stats["nodes"] = len(deps)
    last_run_stats["edges"] = nedges
    last_run_stats["executed"] = executed
    if results is not None and not graph:
        results = [None if r is None else _wrap(r) for r in results]
    return results


def _loop_plain(heap, buffers, deps, retain_graph):
    """The common case (backward without create_graph, inputs or anomaly mode): arrays between nodes."""
    heappop, heappush, jadd = _heappop, _heappush, G._jadd
    executed = 0
    while heap:
        node = heappop(heap)[2]
        grads = buffers.pop(node, None)
        if grads is None:
            grads = [None] * node._nin
        if node._tensor_hooks or node._retain or node._pre_hooks:
            grads = _call_pre_hooks(node, grads, False)
        outs = node._apply_raw(grads)
        executed += 1
        if node._post_hooks:
            outs = _call_post_hooks(node, outs, grads, False)
        if not retain_graph:
            node.release()
        if not outs:
            continue
        for (nxt, nr), g in zip(node.next_functions, outs):
            if nxt is None:
                continue
            if g is not None:
                buf = buffers.get(nxt)
                if buf is None:
                    buf = buffers[nxt] = [None] * nxt._nin
                    buf[nr] = g
                else:
                    old = buf[nr]
                    buf[nr] = g if old is None else jadd(old, g)
            c = deps[nxt] - 1
            deps[nxt] = c
            if c == 0:
                heappush(heap, (-nxt._seq_nr, id(nxt), nxt))
    return executed


def _loop(
    heap, buffers, deps, retain_graph, graph, anomaly, captures, results, visit, execute_only, add
):
    """Every other case: captured inputs, nodes that need not run, create_graph, anomaly mode."""
    executed = 0
    while heap:
        node = _heappop(heap)[2]
        grads = buffers.pop(node, None)
        if grads is None:
            grads = [None] * node._nin
        if node._tensor_hooks or node._retain or node._pre_hooks:
            grads = _call_pre_hooks(node, grads, graph)
        if captures:
            cap = captures.get(node)
            if cap:
                for nr, k in cap:
                    results[k] = add(results[k], grads[nr])
        if execute_only is not None and node in execute_only:
            continue
        executed += 1
        if anomaly:
            outs = _apply_anomaly(node, grads, graph)
        elif graph:
            outs = node.apply(grads)
        else:
            outs = node._apply_raw(grads)
        if node._post_hooks:
            outs = _call_post_hooks(node, outs, grads, graph)
        if not retain_graph:
            node.release()
        if not outs:
            continue
        for (nxt, nr), g in zip(node.next_functions, outs):
            if nxt is None or (visit is not None and nxt not in visit):
                continue
            if g is not None:
                buf = buffers.get(nxt)
                if buf is None:
                    buf = buffers[nxt] = [None] * nxt._nin
                buf[nr] = add(buf[nr], g)
            c = deps[nxt] - 1
            deps[nxt] = c
            if c == 0:
                _heappush(heap, (-nxt._seq_nr, id(nxt), nxt))
    return executed


def _to_tensors(grads, graph):
    if graph:
        return list(grads)
    return [None if g is None else _wrap(g) for g in grads]


def _from_tensors(ts, graph):
    if graph:
        return list(ts)
    return [None if t is None else t._v() for t in ts]


def _call_pre_hooks(node, grads, graph):
    """torch's order: tensor hooks, then retain_grad, then the node's own pre-hooks."""
    ts = _to_tensors(grads, graph)
    th = node._tensor_hooks
    if th:
        for slot, hooks in list(th.items()):
            if slot < len(ts) and ts[slot] is not None:
                for hook in list(hooks.values()):
                    r = hook(ts[slot])
                    if r is not None:
                        ts[slot] = r
    ret = node._retain
    if ret:
        for slot, ref in list(ret.items()):
            t = ref()
            g = ts[slot] if slot < len(ts) else None
            if t is not None and g is not None:
                from .. import _ops

                if t._grad is None:
                    t._grad = _ops.api.clone(g) if graph else _wrap(g._v())
                elif graph:
                    t._grad = _ops.api.add(t._grad, g)
                else:
                    t._grad = _wrap(G._jadd(t._grad._v(), g._v()))
    if node._pre_hooks:
        for hook in list(node._pre_hooks.values()):
            r = hook(tuple(ts))
            if r is not None:
                ts = list(r)
    return _from_tensors(ts, graph)


def _call_post_hooks(node, outs, grads, graph):
    gi = tuple(_to_tensors(outs, graph))
    go = tuple(_to_tensors(grads, graph))
    for hook in list(node._post_hooks.values()):
        r = hook(gi, go)
        if r is not None:
            gi = tuple(r)
    return _from_tensors(gi, graph)


def _apply_anomaly(node, grads, graph):
    """Run a node under anomaly detection: report its forward traceback on error, check for NaN."""
    try:
        outs = node.apply(grads) if graph else node._apply_raw(grads)
    except Exception:
        tb = node._metadata.get("traceback_") if node._metadata else None
        if tb:
            warnings.warn(
                f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n"
                + "".join(tb),
                UserWarning,
                stacklevel=2,
            )
        raise
    if anomaly_mode._state.check_nan:
        for i, g in enumerate(outs):
            if g is None:
                continue
            v = g._v() if graph else g
            if bool(jnp.isnan(v).any()):
                raise RuntimeError(
                    f"Function '{node.name()}' returned nan values in its {i}th output."
                )
    return outs
