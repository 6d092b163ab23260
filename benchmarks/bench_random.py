"""Random generation speed: torchjax (host numpy, torch-identical streams) vs torch eager on CPU.

Run: python benchmarks/bench_random.py [--quick]
Prints, per op, the best-of-N wall time of each library and torchjax/torch (lower is better).
Both produce the same numbers for the same seed; the time includes placing the result on the
default jax device.
"""

from __future__ import annotations

import sys
import time

import numpy as np

import torchjax as tj

try:
    import torch
except ImportError:  # torch is only a reference
    torch = None


def best(fn, reps):
    fn()  # warm up (jit caches, allocator)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        r = fn()
        if hasattr(r, "_v"):
            r._v().block_until_ready()
        ts.append(time.perf_counter() - t0)
    return min(ts)


def main():
    quick = "--quick" in sys.argv
    n = 1_000_000 if quick else 10_000_000
    reps = 2 if quick else 3
    cases = [
        (f"rand({n:,})", lambda L: L.rand(n)),
        (f"randn({n:,})", lambda L: L.randn(n)),
        (f"empty({n:,}).uniform_(-b, b)", lambda L: L.empty(n).uniform_(-0.05, 0.05)),
        (f"randint(0, 10, ({n:,},))", lambda L: L.randint(0, 10, (n,))),
        (f"rand({n:,}, float64)", lambda L: L.rand(n, dtype=L.float64)),
        (f"randn({n // 10:,}, float64)", lambda L: L.randn(n // 10, dtype=L.float64)),
        (f"bernoulli_(0.5) x{n // 10:,}", lambda L: L.empty(n // 10).bernoulli_(0.5)),
        (f"randperm({n // 10:,})", lambda L: L.randperm(n // 10)),
        ("randperm(60,000)  (an MNIST epoch)", lambda L: L.randperm(60_000)),
        (
            f"multinomial(1000 cats, {n // 100:,}, True)",
            lambda L: L.multinomial(L.ones(1000), n // 100, True),
        ),
    ]
    print(f"{'op':44s} {'torchjax':>10s} {'torch':>10s} {'ratio':>7s}")
    for name, fn in cases:
        tj.manual_seed(0)
        t_tj = best(lambda fn=fn: fn(tj), reps)
        if torch is not None:
            torch.manual_seed(0)
            t_th = best(lambda fn=fn: fn(torch), reps)
            print(f"{name:44s} {t_tj * 1e3:8.1f}ms {t_th * 1e3:8.1f}ms {t_tj / t_th:6.2f}x")
        else:
            print(f"{name:44s} {t_tj * 1e3:8.1f}ms {'-':>10s}")
    if torch is not None:
        tj.manual_seed(1)
        torch.manual_seed(1)
        same = np.array_equal(tj.randn(n).numpy(), torch.randn(n).numpy())
        print(f"randn({n:,}) identical to torch: {same}")


if __name__ == "__main__":
    main()
