"""Fused backward: a graph seen again and again runs as one jitted XLA program.

An eager training loop builds the same graph every step. Run node by node, its backward costs
one JAX dispatch per node (plus one per leaf accumulation), and each dispatch waits on the
previous one's buffers. Here the engine's execution order is planned without running anything;
the plan (every node's VJP key and where its gradients go) is the graph's *signature*. From the
third backward over the same signature on, the whole backward - every node's VJP, the sums of
gradients arriving at one input, and the in-place ``.grad += g`` of every leaf - runs as one
program, jitted once per signature and cached like the per-node VJPs.

It computes what the node-by-node engine computes, in the same order (the same VJP bodies,
the same summation order). It is used only where that equivalence is plain: no create_graph,
no ``inputs=``, no anomaly mode, only op nodes and leaf accumulators, no hooks of any kind,
no retained grads, no freed nodes and no saved tensor modified in place (the node-by-node engine raises those
errors at the node where torch raises them).
"""

from __future__ import annotations

import heapq

import jax

from . import graph as G

FUSE_AFTER = 3  # a signature runs fused from its third backward on
MAX_NODES = 512  # larger graphs stay node by node (compile time grows with the graph)
_MAX_SEEN = 4096

_seen: dict = {}
_programs: dict = {}
fused_runs = [0]


def _plan(roots, deps):
    """The engine's execution order (torch's priorities), or None when fusing does not apply."""
    d = dict(deps)
    heap = []
    for node in roots:
        if d[node] <= 0:  # 0, or -1: already queued by the engine
            d[node] = -2
            heapq.heappush(heap, (-node._seq_nr, id(node), node))
    order = []
    index = {}
    Acc = G.AccumulateGrad
    Op = G.OpNode
    while heap:
        node = heapq.heappop(heap)[2]
        if node._retain or node._pre_hooks or node._post_hooks:
            return None
        cls = type(node)
        if cls is Acc:
            if node.variable._hooks or node.variable._post_acc_hooks:
                return None
        elif not isinstance(node, Op) or node._tensor_hooks or node._freed:
            return None
        index[node] = len(order)
        order.append(node)
        if len(order) > MAX_NODES:
            return None
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            c = d[nxt] - 1
            d[nxt] = c
            if c == 0:
                heapq.heappush(heap, (-nxt._seq_nr, id(nxt), nxt))
    return order, index


def _signature(order, index, seed_slots):
    items = []
    Acc = G.AccumulateGrad
    for node in order:
        if type(node) is Acc:
            items.append(node.variable._dtype._np)
        else:
            wiring = tuple(
                None if nxt is None else (index[nxt], nr) for nxt, nr in node.next_functions
            )
            items.append(
                (node._spec, node._diff, node._osel, node._dropped, node._gpos, node._nin, wiring)
            )
    return (tuple(items), seed_slots)


def _build(sig):
    items, seed_slots = sig

    def program(dyns, seeds, olds):
        bufs = {}
        for slot, s in zip(seed_slots, seeds):
            old = bufs.get(slot)
            bufs[slot] = s if old is None else old + s.astype(old.dtype)
        k = 0
        news = []
        a = 0
        for idx, item in enumerate(items):
            if not isinstance(item, tuple):
                # a leaf: the summed gradient, added to its current .grad
                g = bufs.get((idx, 0))
                old = olds[a]
                a += 1
                if g is None:
                    news.append(None)
                elif old is None:
                    news.append(g.astype(item))
                else:
                    news.append(old + g.astype(old.dtype))
                continue
            spec, diff, osel, dropped, gpos, nin, wiring = item
            dyn = dyns[k]
            k += 1
            cts = tuple(bufs.get((idx, j)) for j in osel)
            if all(c is None for c in cts):
                continue
            gs = G._vjp_body(spec, diff, osel, dropped, dyn, cts)
            positions = gpos if gpos is not None else range(len(gs))
            for pos, g in zip(positions, gs):
                tgt = wiring[pos]
                if tgt is None:
                    continue
                old = bufs.get(tgt)
                bufs[tgt] = g if old is None else old + g.astype(old.dtype)
        return news

    return jax.jit(program)


def try_run(roots, buffers, deps, retain_graph):
    """Run the backward fused when its signature is hot; returns the node count, or None."""
    planned = _plan(roots, deps)
    if planned is None:
        return None
    order, index = planned
    seed_slots = []
    seeds = []
    for node, buf in buffers.items():
        i = index.get(node)
        if i is None:
            return None
        for slot, v in enumerate(buf):
            if v is not None:
                seed_slots.append((i, slot))
                seeds.append(v)
    sig = _signature(order, index, tuple(seed_slots))
    n = _seen.get(sig, 0) + 1
    if n < FUSE_AFTER:
        if len(_seen) > _MAX_SEEN:
            _seen.clear()
        _seen[sig] = n
        return None
    _seen[sig] = n
    # a saved tensor modified in place: the node-by-node engine decides (and raises at the node
    # where torch raises)
    Acc = G.AccumulateGrad
    for node in order:
        if type(node) is not Acc and node._checks:
            for vc, version, _t, _o, _k in node._checks:
                if vc.version != version:
                    return None
    prog = _programs.get(sig)
    if prog is None:
        prog = _programs[sig] = _build(sig)
    accs = [node for node in order if type(node) is Acc]
    dyns = [node._dyn for node in order if type(node) is not Acc]
    olds = []
    for acc in accs:
        old = acc.variable._grad
        olds.append(None if old is None else old._v())
    news = prog(dyns, seeds, olds)
    for acc, v in zip(accs, news):
        if v is None:
            continue
        var = acc.variable
        old = var._grad
        if old is None:
            var._grad = G._fresh(v, var._dtype)
        else:
            G._write(old, v)
    if not retain_graph:
        for node in order:
            node.release()
    fused_runs[0] += 1
    return len(order)
