"""Eager autograd overhead: forward + backward of small graphs, torchjax vs torch, in one run.

    python benchmarks/bench_autograd.py [--iters 300] [--rounds 7]

Cases:
- ``tiny``: ``(l * y).sum().backward()`` on 3x4 tensors (pure engine/dispatch overhead);
- ``mlp``: a 2-layer MLP written with ops (``x @ w1.t() + b1``, relu, ``@ w2.t() + b2``,
  mean squared error), forward + backward, grads reset with ``p.grad = None`` each step;
- ``mlp-large``: the same MLP with batch 256 and width 512 (kernels start to matter).

Prints ms/step for both libraries (median of ``rounds`` rounds of ``iters`` steps, synchronised
on the last loss and gradient) and the ratio torchjax/torch, plus the number of JAX traces that
happened during the timed steps (0 after warm-up: every node backward is a cached jitted VJP).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

import torchjax
from torchjax.autograd._jax_stats import count_traces


def _sync(lib, xs):
    for x in xs:
        if x is None:
            continue
        if lib is torchjax:
            x._v().block_until_ready()


def timeit(lib, step, sync_of, iters, rounds):
    for _ in range(5):
        step()
    times = []
    with count_traces() as traces:
        for _ in range(rounds):
            t = time.perf_counter()
            for _ in range(iters):
                out = step()
            _sync(lib, sync_of(out))
            times.append((time.perf_counter() - t) / iters * 1e3)
    return statistics.median(times), traces["n"]


def tiny(lib):
    x = lib.ones(3, 4, requires_grad=True)
    y = lib.ones(3, 4) * 2

    def step():
        x.grad = None
        lv = x * 2
        loss = (lv * y).sum()
        loss.backward()
        return loss, x.grad

    return step


def mlp(lib, batch, d_in, hidden, d_out):
    rng = np.random.default_rng(0)
    arr = lambda *s: lib.tensor(rng.standard_normal(s).astype(np.float32) * 0.1)  # noqa: E731
    x, target = arr(batch, d_in), arr(batch, d_out)
    w1, b1 = arr(hidden, d_in).requires_grad_(), arr(hidden).requires_grad_()
    w2, b2 = arr(d_out, hidden).requires_grad_(), arr(d_out).requires_grad_()
    params = [w1, b1, w2, b2]
    relu = lib.relu

    def step():
        for p in params:
            p.grad = None
        h = relu(x @ w1.t() + b1)
        out = h @ w2.t() + b2
        loss = ((out - target) ** 2).mean()
        loss.backward()
        return (loss, *[p.grad for p in params])

    return step


CASES = {
    "tiny": lambda lib: tiny(lib),
    "mlp": lambda lib: mlp(lib, 16, 32, 64, 10),
    "mlp-large": lambda lib: mlp(lib, 256, 512, 512, 10),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--cases", default=",".join(CASES))
    a = ap.parse_args()
    torch.set_num_threads(1)
    print(f"{'case':<10} {'torchjax ms':>12} {'torch ms':>10} {'ratio':>7} {'jax traces':>11}")
    for name in a.cases.split(","):
        iters = a.iters if name != "mlp-large" else max(a.iters // 10, 10)
        tj, traces = timeit(torchjax, CASES[name](torchjax), lambda o: o, iters, a.rounds)
        th, _ = timeit(torch, CASES[name](torch), lambda o: o, iters, a.rounds)
        print(f"{name:<10} {tj:>12.3f} {th:>10.3f} {tj / th:>7.2f} {traces:>11}")


if __name__ == "__main__":
    main()
