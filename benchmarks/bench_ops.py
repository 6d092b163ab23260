"""Per-op eager overhead: torchjax vs raw jax.numpy vs torch eager, measured in one run.

    python benchmarks/bench_ops.py [--size 16] [--iters 2000]

For each op, the median of several timing rounds of ``iters`` calls on small tensors (where
dispatch overhead dominates) and on larger ones (where the kernel does). Prints microseconds
per call and the ratios torchjax/jnp and torchjax/torch. Results are synchronised once per
round (block_until_ready on the last output), as an eager training loop would be.
"""

from __future__ import annotations

import argparse
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np
import torch

import torchjax

jax.config.update("jax_enable_x64", True)


def _sync(x):
    if isinstance(x, torchjax.Tensor):
        x._v().block_until_ready()
    elif isinstance(x, jax.Array):
        x.block_until_ready()
    elif isinstance(x, (tuple, list)):
        _sync(x[0])


def timeit(fn, iters, rounds=5):
    out = fn()
    _sync(out)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(iters):
            out = fn()
        _sync(out)
        times.append((time.perf_counter() - t) / iters * 1e6)
    return statistics.median(times)


def cases(n):
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((n, n)).astype(np.float32)
    b_np = rng.standard_normal((n, n)).astype(np.float32)
    ta, tb = torch.from_numpy(a_np.copy()), torch.from_numpy(b_np.copy())
    ja, jb = jnp.asarray(a_np), jnp.asarray(b_np)
    xa, xb = torchjax.tensor(a_np), torchjax.tensor(b_np)
    return [
        ("add", lambda: xa + xb, lambda: ja + jb, lambda: ta + tb),
        ("mul scalar", lambda: xa * 0.5, lambda: ja * 0.5, lambda: ta * 0.5),
        ("exp", lambda: xa.exp(), lambda: jnp.exp(ja), lambda: ta.exp()),
        ("sum", lambda: xa.sum(), lambda: ja.sum(), lambda: ta.sum()),
        ("sum(dim)", lambda: xa.sum(1), lambda: ja.sum(1), lambda: ta.sum(1)),
        ("matmul", lambda: xa @ xb, lambda: ja @ jb, lambda: ta @ tb),
        ("transpose (view)", lambda: xa.t(), lambda: ja.T, lambda: ta.t()),
        ("view", lambda: xa.view(-1), lambda: ja.reshape(-1), lambda: ta.view(-1)),
        ("slice x[1:]", lambda: xa[1:], lambda: ja[1:], lambda: ta[1:]),
        ("add_ (in place)", lambda: xa.add_(0.0), lambda: ja + 0.0, lambda: ta.add_(0.0)),
        ("relu", lambda: xa.relu(), lambda: jax.nn.relu(ja), lambda: ta.relu()),
        ("softmax", lambda: xa.softmax(-1), lambda: jax.nn.softmax(ja, -1), lambda: ta.softmax(-1)),
    ]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--iters", type=int, default=1000)
    p.add_argument("--sizes", type=int, nargs="*", default=[4, 256])
    args = p.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}, torch {torch.__version__}")
    for n in args.sizes:
        print(f"\n{n}x{n} float32: microseconds per call (median of 5 rounds of {args.iters})")
        print(
            f"{'op':18s} {'torchjax':>10s} {'jnp':>10s} {'torch':>10s} {'tj/jnp':>8s} {'tj/torch':>9s}"
        )
        ratios_j, ratios_t = [], []
        for name, f_tj, f_jnp, f_th in cases(n):
            try:
                a = timeit(f_tj, args.iters)
            except AttributeError as e:
                print(f"{name:18s} missing: {e}")
                continue
            b = timeit(f_jnp, args.iters)
            c = timeit(f_th, args.iters)
            ratios_j.append(a / b)
            ratios_t.append(a / c)
            print(f"{name:18s} {a:10.2f} {b:10.2f} {c:10.2f} {a / b:8.2f} {a / c:9.2f}")
        if ratios_j:
            gj = float(np.exp(np.mean(np.log(ratios_j))))
            gt = float(np.exp(np.mean(np.log(ratios_t))))
            print(f"{'geomean':18s} {'':10s} {'':10s} {'':10s} {gj:8.2f} {gt:9.2f}")


if __name__ == "__main__":
    main()
