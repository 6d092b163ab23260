"""The backward engine: runs grad_fn nodes in dependency order (torch's GraphTask).

Only nodes that lead to a requested gradient run; among ready nodes the most recently
created runs first (torch's sequence-number order, which fixes hook order). Gradients
arriving at the same input are summed. The graph's saved values are freed after the run
unless ``retain_graph``; grad mode during the run equals ``create_graph``.
"""

from __future__ import annotations

import heapq

from . import grad_mode
from .graph import AccumulateGrad, Node, accumulate_into, gradient_edge


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    from .. import _ops

    return _ops.api.add(a, b)


def _collect(roots):
    """All nodes reachable from ``roots`` and, for each, its consumers count."""
    deps: dict[Node, int] = {}
    seen = set()
    order = []
    stack = [n for n in roots if n is not None]
    for n in stack:
        seen.add(n)
    while stack:
        n = stack.pop()
        order.append(n)
        for nxt, _ in n.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return order, deps


def _topo_needed(order, targets):
    """Nodes from which some target is reachable (the ones worth running); one post-order pass."""
    need = set(targets)
    state = {}
    for root in order:
        if root in state:
            continue
        stack = [(root, iter(root.next_functions))]
        state[root] = 1
        while stack:
            n, it = stack[-1]
            advanced = False
            for nxt, _ in it:
                if nxt is None:
                    continue
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(nxt.next_functions)))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            state[n] = 2
            if n not in need and any(nxt is not None and nxt in need for nxt, _ in n.next_functions):
                need.add(n)
    return need


def run_backward(tensors, grad_tensors, retain_graph, create_graph, inputs=None, accumulate=True,
                 allow_unused=False):
    """Run the graph from ``tensors`` seeded with ``grad_tensors``.

    ``accumulate``: write into leaves' ``.grad`` (backward) or return the gradients of
    ``inputs`` (autograd.grad). Returns the captured gradients (for autograd.grad).
    """
    roots = []
    for i, t in enumerate(tensors):
        edge = gradient_edge(t)
        if edge is None:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        roots.append(edge)
    # capture points: (node, input_nr) for non-leaf inputs, AccumulateGrad nodes for leaves
    capture = {}
    input_edges = []
    if inputs is not None:
        for k, t in enumerate(inputs):
            e = gradient_edge(t)
            if e is None:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            input_edges.append(e)
            capture.setdefault(e, []).append(k)
    order, deps = _collect([n for n, _ in roots])
    if inputs is not None:
        targets = {n for n, _ in input_edges}
    else:
        targets = {n for n in order if isinstance(n, AccumulateGrad)}
    need = _topo_needed(order, targets)
    results = [None] * (len(inputs) if inputs is not None else 0)

    buffers: dict[Node, list] = {}
    for (node, nr), g in zip(roots, grad_tensors):
        buf = buffers.setdefault(node, [None] * _num_inputs(node))
        buf[nr] = _add(buf[nr], g)

    # dependencies counted only along edges between reachable nodes
    ready = []
    for node, _ in roots:
        if deps.get(node, 0) == 0 and all(node is not r for r, _ in ready):
            heapq.heappush(ready, (-node._seq_nr, id(node), node))
    queued = {id(n) for _, _, n in ready}

    prev = grad_mode.state.enabled
    grad_mode.state.enabled = bool(create_graph)
    try:
        while ready:
            _, _, node = heapq.heappop(ready)
            grads = buffers.pop(node, None) or [None] * _num_inputs(node)
            grads = _pre_hooks(node, grads)
            for slot in range(len(grads)):
                ks = capture.get((node, slot))
                if ks:
                    for k in ks:
                        results[k] = _add(results[k], grads[slot]) if results[k] is not None else grads[slot]
            if node in need:
                if isinstance(node, AccumulateGrad):
                    if accumulate:
                        accumulate_into(node.variable, grads[0], run_hooks=False)
                    outs = []
                else:
                    outs = node.apply(grads)
                    if node._post_hooks:
                        for hook in list(node._post_hooks.values()):
                            r = hook(tuple(outs), tuple(grads))
                            if r is not None:
                                outs = list(r)
                if not retain_graph:
                    node.release()
            else:
                outs = []
            for (nxt, nr), g in zip(node.next_functions, outs or [None] * len(node.next_functions)):
                if nxt is None:
                    continue
                if g is not None:
                    buf = buffers.setdefault(nxt, [None] * _num_inputs(nxt))
                    buf[nr] = _add(buf[nr], g)
                deps[nxt] -= 1
                if deps[nxt] == 0 and id(nxt) not in queued:
                    queued.add(id(nxt))
                    heapq.heappush(ready, (-nxt._seq_nr, id(nxt), nxt))
    finally:
        grad_mode.state.enabled = prev
    return results


def _num_inputs(node) -> int:
    """How many gradient slots a node has (its forward's outputs)."""
    meta = getattr(node, "_out_meta", None)
    if meta is not None:
        return len(meta)
    n = getattr(node, "_num_outputs", None)
    return n if n is not None else 1


def _pre_hooks(node, grads):
    if isinstance(node, AccumulateGrad):
        var = node.variable
        if var._hooks and grads[0] is not None:
            for hook in list(var._hooks.values()):
                r = hook(grads[0])
                if r is not None:
                    grads[0] = r
    th = node._tensor_hooks
    if th:
        for slot, hooks in th.items():
            if slot < len(grads) and grads[slot] is not None:
                for hook in list(hooks.values()):
                    r = hook(grads[slot])
                    if r is not None:
                        grads[slot] = r
    ret = node._retain
    if ret:
        for slot, ref in ret.items():
            t = ref()
            g = grads[slot] if slot < len(grads) else None
            if t is not None and g is not None:
                if t._grad is None:
                    t._grad = g.detach() if not grad_mode.state.enabled else g
                else:
                    from .. import _ops

                    t._grad = _ops.api.add(t._grad, g)
    if node._pre_hooks:
        for hook in list(node._pre_hooks.values()):
            r = hook(tuple(grads))
            if r is not None:
                grads = list(r)
    return grads
