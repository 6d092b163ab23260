"""Sorting, selection and searching against real torch 2.13: sort, argsort, msort, topk, kthvalue,
median, nanmedian, mode, quantile, nanquantile, unique, unique_consecutive, searchsorted, bucketize,
histc, histogram, histogramdd, bincount, isin, equal, allclose.

Where torch's CPU kernels leave the index of tied elements to std::nth_element / partial_sort
(topk, kthvalue, median(dim)), indices are compared on tie-free data and, with ties, checked for
consistency (the index points at the returned value)."""

# ruff: noqa: B023  (the lambdas handed to both() run immediately, inside their loop iteration)
from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax

NAN = float("nan")
INF = float("inf")


def rand(shape, dtype=torch.float32, seed=0, low=-3, high=3):
    g = torch.Generator().manual_seed(seed)
    if dtype is torch.bool:
        return torch.rand(shape, generator=g) > 0.5
    if dtype.is_floating_point:
        return (torch.rand(shape, generator=g, dtype=torch.float64) * (high - low) + low).to(dtype)
    return torch.randint(low, high, shape, generator=g, dtype=dtype)


def distinct(shape, dtype=torch.float64, seed=0):
    """Tie-free data (a random permutation)."""
    g = torch.Generator().manual_seed(seed)
    n = 1
    for s in shape:
        n *= s
    return (torch.randperm(n, generator=g).to(dtype) - n // 2).reshape(shape)


def grad_check(fn, x, *, pick=0, name=True):
    xt = x.detach().clone().requires_grad_(True)
    ot = fn(torch, xt)
    ot = ot[pick] if isinstance(ot, tuple) else ot
    w = rand(tuple(ot.shape), torch.float64, seed=7).to(ot.dtype)
    (ot * w).sum().backward()
    xj = to_tj(x.detach()).requires_grad_(True)
    oj = fn(torchjax, xj)
    oj = oj[pick] if isinstance(oj, tuple) else oj
    if name:
        assert oj.grad_fn.name() == ot.grad_fn.name()
    (oj * to_tj(w)).sum().backward()
    assert_same(xj.grad, xt.grad)


def consistent(values_idx_fn, x, dim=-1):
    """torch and torchjax agree on values; torchjax's indices point at its values."""
    th, tj = both(lambda lib, x: values_idx_fn(lib, x)[0], x)
    v, i = values_idx_fn(torchjax, to_tj(x))
    xj = to_tj(x)
    if xj.dim() == 0:
        return
    ii = i if i.dim() == xj.dim() else i.unsqueeze(dim)
    vv = v if v.dim() == xj.dim() else v.unsqueeze(dim)
    g = torch.gather(x, dim, torch.from_numpy(ii.numpy().copy()))
    assert_same(vv, g)


TIES = torch.tensor(
    [
        [3.0, 1.0, 2.0, 1.0, 3.0, NAN, 2.0, 1.0, -0.0, 0.0],
        [0.0, -0.0, NAN, NAN, 5.0, -INF, INF, 5.0, 5.0, -1.0],
    ]
)


# ------------------------------------------------------------------ sort / argsort / msort


@pytest.mark.parametrize(
    "x",
    [
        TIES,
        torch.tensor(2.5),
        torch.empty(0),
        rand((2, 3, 4)),
        rand((3, 5), torch.int64),
        rand((6,), torch.bool),
        rand((2, 0, 3)),
    ],
    ids=lambda t: str(tuple(t.shape)) + str(t.dtype),
)
def test_sort_argsort(x):
    for d in (-1, 0) if x.dim() >= 2 else (-1,):
        for desc in (False, True):
            both(lambda lib, x: lib.sort(x, d, desc), x)
            both(lambda lib, x: x.argsort(dim=d, descending=desc, stable=True), x)
    both(lambda lib, x: x.sort(descending=True, stable=True), x)
    both(lambda lib, x: lib.argsort(x), x)
    both(lambda lib, x: lib.msort(x), x)
    both(lambda lib, x: x.sort(x.dim() + 1), x)


def test_sort_extremes_out_errors_print():
    x = torch.tensor([5, -(2**63), 2**63 - 1, 0, -1])
    both(lambda lib, x: x.sort(descending=True), x)
    both(lambda lib, x: x.sort(), x.to(torch.uint8))
    both(lambda lib, x: x.sort(descending=True), x.to(torch.int16))
    both(lambda lib, x: x.sort(descending=True), TIES.half())
    both(lambda lib, x: lib.sort(x, 1, out=(lib.empty(0), lib.empty(0, dtype=lib.int64))), TIES)
    both(lambda lib, x: lib.argsort(x, stable=True, out=lib.empty(0, dtype=lib.int64)), TIES)
    both(lambda lib, x: x.sort(), torch.tensor([1j]), check_message=True)
    r = torchjax.sort(to_tj(TIES[0, :4]))
    assert type(r).__name__ == "sort" and r.values is r[0]
    assert repr(r) == repr(torch.sort(TIES[0, :4]))


def test_sort_grad():
    grad_check(lambda lib, x: x.sort(1)[0], distinct((3, 4)))
    grad_check(lambda lib, x: x.sort(0, descending=True)[0], TIES.double())
    grad_check(lambda lib, x: x.msort(), distinct((3, 4)))


# ------------------------------------------------------------------ topk / kthvalue


def test_topk():
    x = distinct((3, 7))
    for k in (0, 3, 7):
        for largest in (True, False):
            both(lambda lib, x: lib.topk(x, k, 1, largest), x)
    both(lambda lib, x: x.topk(3, dim=0, largest=False), x)
    both(lambda lib, x: x.topk(1), torch.tensor(4.0))
    both(lambda lib, x: x.topk(2), torch.tensor([1.0, NAN, 3.0, NAN]))
    both(lambda lib, x: x.topk(2, largest=False), torch.tensor([1.0, NAN, 3.0, NAN]))
    for args in ((8,), (-1,), (1, 3)):
        both(lambda lib, x: x.topk(*args), x)
    both(lambda lib, x: x.topk(1), torch.tensor([1j]), check_message=True)
    for k in (1, 6):
        consistent(lambda lib, x: lib.topk(x, k), TIES)
        consistent(lambda lib, x: lib.topk(x, k, largest=False), TIES)
    both(
        lambda lib, x: lib.topk(
            x, 2, out=(lib.empty(3, 2, dtype=lib.float64), lib.empty(3, 2, dtype=lib.int64))
        ),
        x,
    )
    grad_check(lambda lib, x: x.topk(3)[0], x)


def test_kthvalue():
    x = distinct((3, 5))
    for k, d, keep in ((1, 1, False), (3, -1, True), (5, 1, True)):
        both(lambda lib, x: lib.kthvalue(x, k, d, keep), x)
    both(lambda lib, x: x.kthvalue(2, 0), x)
    both(lambda lib, x: x.kthvalue(1), torch.tensor(3.0))
    both(lambda lib, x: x.kthvalue(1), torch.tensor([NAN, 1.0, 2.0]))
    both(lambda lib, x: x.kthvalue(3), torch.tensor([NAN, 1.0, 2.0]))
    for args in ((0,), (6,), (1, 2)):
        both(lambda lib, x: x.kthvalue(*args), x)
    both(lambda lib, x: x.kthvalue(1, 0), torch.empty(0, 3), check_message=True)
    both(lambda lib, x: x.kthvalue(7), x, check_message=True)
    for k in (1, 10):
        consistent(lambda lib, x: lib.kthvalue(x, k), TIES)
    grad_check(lambda lib, x: x.kthvalue(2, 0)[0], x)


# ------------------------------------------------------------------ median / nanmedian / mode


def test_median_nanmedian():
    x = distinct((3, 6))
    xn = x.clone()
    xn[0, 2] = NAN
    xn[1] = NAN
    for f in ("median", "nanmedian"):
        for t in (x, xn, torch.tensor(2.0), torch.empty(0), rand((7,), torch.int64)):
            both(lambda lib, x: getattr(lib, f)(x), t)
        for d, keep in ((1, False), (0, True), (-1, False)):
            both(lambda lib, x: getattr(lib, f)(x, d, keep), x)
            both(lambda lib, x: getattr(x, f)(dim=d, keepdim=keep)[0], xn)
            consistent(lambda lib, x: getattr(x, f)(dim=d, keepdim=keep), xn, d)
        both(lambda lib, x: getattr(x, f)(0), torch.tensor(5.0))
        both(
            lambda lib, x: getattr(lib, f)(x, 0),
            rand((5, 3), torch.int64, low=-100, high=100) * 0 + distinct((5, 3), torch.int64),
        )
        both(lambda lib, x: getattr(x, f)(0), torch.empty(0, 2))
        both(lambda lib, x: getattr(x, f)(1), torch.empty(0, 2))
        both(lambda lib, x: getattr(x, f)(dim=None), x)
        both(lambda lib, x: getattr(x, f)(), torch.tensor([1j]))
        both(
            lambda lib, x: getattr(lib, f)(
                x, 1, out=(lib.empty(0, dtype=lib.float64), lib.empty(0, dtype=lib.int64))
            ),
            x,
        )
        consistent(lambda lib, x: getattr(lib, f)(x, 1), TIES)
        grad_check(
            lambda lib, x: getattr(x, f)(),
            torch.tensor([[1.0, 3.0, 3.0], [1.0, 2.0, 7.0]], dtype=torch.float64),
        )
        grad_check(lambda lib, x: getattr(x, f)(), xn)
        xn1 = x.clone()
        xn1[0, 2] = xn1[2, 0] = NAN  # (an all-NaN row's nanmedian index is left to nth_element)
        grad_check(lambda lib, x: getattr(x, f)(1)[0], xn1)
    r = torchjax.median(to_tj(x), 1)
    assert repr(r) == repr(torch.median(x, 1)) and type(r).__name__ == "median"


def test_mode():
    # small slices (<= 16 elements) are sorted stably by torch, so tied indices are deterministic
    x = torch.tensor(
        [[1.0, 2.0, 2.0, 1.0, 3.0], [5.0, 5.0, 4.0, 4.0, 4.0], [7.0, 6.0, 5.0, 4.0, 3.0]]
    )
    for d, keep in ((-1, False), (0, True), (1, True)):
        both(lambda lib, x: lib.mode(x, d, keep), x)
    both(lambda lib, x: x.mode(), rand((4, 9), torch.int64, low=0, high=3))
    both(lambda lib, x: x.mode(0), rand((9, 4), torch.bool))
    both(lambda lib, x: x.mode(), torch.tensor(3.0))
    both(lambda lib, x: x.mode(1), torch.empty(0, 2))
    both(lambda lib, x: x.mode(0), torch.empty(0, 2), check_message=True)
    both(lambda lib, x: lib.mode(x, out=(lib.empty(0), lib.empty(0, dtype=lib.int64))), x)
    assert repr(torchjax.mode(to_tj(x))) == repr(torch.mode(x))
    grad_check(lambda lib, x: x.mode()[0], x.double())


# ------------------------------------------------------------------ quantile / nanquantile


@pytest.mark.parametrize("interp", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile(interp):
    x = rand((3, 5), torch.float64)
    xn = x.clone()
    xn[0, 1] = NAN
    xn[2] = NAN
    qs = torch.tensor([0.0, 0.25, 0.5, 0.9, 1.0], dtype=torch.float64)
    for f in ("quantile", "nanquantile"):
        for t in (x, xn):
            both(lambda lib, x: getattr(lib, f)(x, 0.3, interpolation=interp), t)
            both(lambda lib, x, q: getattr(lib, f)(x, q, 1, True, interpolation=interp), t, qs)
        both(lambda lib, x, q: getattr(x, f)(q, dim=0, interpolation=interp), xn, qs[2])
    both(lambda lib, x: lib.quantile(x, 0.625, -1, keepdim=True, interpolation=interp), x.float())


def test_quantile_errors_out_grad():
    x = rand((3, 4), torch.float64)
    for f in ("quantile", "nanquantile"):
        both(lambda lib, x: getattr(x, f)(1.5), x, check_message=True)
        both(
            lambda lib, x: getattr(x, f)(lib.tensor([0.5, 2.0], dtype=lib.float64)),
            x,
            check_message=True,
        )
        both(lambda lib, x: getattr(x, f)(lib.tensor([0.5])), x, check_message=True)
        both(
            lambda lib, x: getattr(x, f)(lib.tensor([[0.5]], dtype=lib.float64)),
            x,
            check_message=True,
        )
        both(lambda lib, x: getattr(x, f)(0.5), torch.tensor([1, 2]), check_message=True)
        both(lambda lib, x: getattr(x, f)(0.5), torch.empty(0), check_message=True)
        both(lambda lib, x: getattr(x, f)(0.5, interpolation="foo"), x, check_message=True)
        both(lambda lib, x: getattr(x, f)(0.5, dim=2), x)
        both(lambda lib, x: getattr(lib, f)(x, 0.5, 0, out=lib.empty(4, dtype=lib.float64)), x)
        both(lambda lib, x: getattr(x, f)(0.5, 0), torch.tensor(3.0, dtype=torch.float64))
        grad_check(lambda lib, x: getattr(x, f)(0.3, dim=1), x, name=False)
        grad_check(
            lambda lib, x: getattr(x, f)(lib.tensor([0.2, 0.8], dtype=lib.float64)), x, name=False
        )


# ------------------------------------------------------------------ unique / unique_consecutive


@pytest.mark.parametrize(
    "x",
    [
        torch.tensor([3, 1, 2, 1, 3, 3]),
        torch.tensor([NAN, 1.0, NAN, -0.0, 0.0, 1.0]),
        torch.tensor([[1, 2], [1, 2], [0, 5]]),
        torch.tensor(7),
        torch.empty(0),
        torch.tensor([True, False, True]),
        rand((3, 4, 2), torch.int64, low=0, high=2),
    ],
    ids=lambda t: str(tuple(t.shape)) + str(t.dtype),
)
def test_unique(x):
    for inv in (False, True):
        for cnt in (False, True):
            both(lambda lib, x: lib.unique(x, return_inverse=inv, return_counts=cnt), x)
            both(lambda lib, x: x.unique(sorted=False, return_inverse=inv, return_counts=cnt), x)
            both(lambda lib, x: lib.unique_consecutive(x, return_inverse=inv, return_counts=cnt), x)
            if (
                x.dim() >= 1 and x.numel() and not x.isnan().any()
            ):  # torch's unique_dim sort breaks on NaN
                both(lambda lib, x: lib.unique(x, return_inverse=inv, return_counts=cnt, dim=0), x)
                both(
                    lambda lib, x: x.unique_consecutive(
                        return_inverse=inv, return_counts=cnt, dim=-1
                    ),
                    x,
                )
    both(lambda lib, x: lib.unique(x, dim=3), x)


def test_unique_dim_empty():
    x = torch.empty(5, 0, 5)
    for d in (0, 1, 2):
        both(
            lambda lib, x: lib.unique(x, dim=d, return_inverse=True, return_counts=True),
            x,
            check_message=True,
        )
        both(
            lambda lib, x: lib.unique_consecutive(x, dim=d, return_counts=True),
            x,
            check_message=True,
        )


def test_host_ops_refuse_traced_values():
    def f(a):
        return torchjax.unique(torchjax.from_jax(a))

    with pytest.raises(RuntimeError, match="data-dependent output shape"):
        jax.jit(f)(jnp.arange(3))
    with pytest.raises(RuntimeError, match="data-dependent output shape"):
        jax.jit(lambda a: torchjax.bincount(torchjax.from_jax(a)))(jnp.arange(3))

    # sort and friends have static shapes and trace fine
    def g(a):
        return torchjax.sort(torchjax.from_jax(a), descending=True).values.jax()

    assert jax.jit(g)(jnp.array([3.0, 1.0, 2.0])).tolist() == [3.0, 2.0, 1.0]


def test_bincount():
    x = torch.tensor([1, 3, 1, 0, 7])
    both(lambda lib, x: lib.bincount(x), x)
    both(lambda lib, x: x.bincount(minlength=10), x)
    for w in (
        torch.tensor([0.5, 1.0, 2.0, 3.0, 4.0]),
        torch.tensor([0.5, 1.0, 2.0, 3.0, 4.0], dtype=torch.float64),
        torch.tensor([1, 2, 3, 4, 5]),
    ):
        both(lambda lib, x, w: lib.bincount(x, w), x, w)
    both(lambda lib, x: lib.bincount(x, minlength=3), torch.empty(0, dtype=torch.int64))
    both(lambda lib, x: lib.bincount(x), torch.tensor([2, 0], dtype=torch.uint8))
    for bad in (torch.tensor([-1, 2]), torch.tensor([[1, 2]])):
        both(lambda lib, x: lib.bincount(x), bad, check_message=True)
    both(lambda lib, x: lib.bincount(x), torch.tensor([1.0, 2.0]), check_message=True)
    both(lambda lib, x: lib.bincount(x, lib.ones(1)), x, check_message=True)
    both(lambda lib, x: lib.bincount(x, minlength=-1), x, check_message=True)


# ------------------------------------------------------------------ searchsorted / bucketize


def test_searchsorted_bucketize():
    seq = torch.tensor([1.0, 2.0, 2.0, 4.0, 8.0])
    vals = torch.tensor([[0.0, 2.0, 3.0], [8.0, 9.0, NAN]])
    for right in (False, True):
        both(lambda lib, s, v: lib.searchsorted(s, v, right=right), seq, vals)
        both(lambda lib, s, v: lib.bucketize(v, s, right=right, out_int32=True), seq, vals)
        both(lambda lib, s: lib.searchsorted(s, 2, right=right), seq)
        both(lambda lib, s: lib.bucketize(2.5, s, right=right), seq)
    both(lambda lib, s, v: lib.searchsorted(s, v, side="right"), seq, vals)
    both(lambda lib, s, v: lib.searchsorted(s, v, out_int32=True), seq.long(), vals)
    both(
        lambda lib, s, v: lib.searchsorted(s, v),
        torch.tensor([1.0, 2.0, NAN]),
        torch.tensor([NAN, 2.0, 5.0]),
    )
    both(
        lambda lib, s, v: lib.searchsorted(s, v, right=True),
        torch.tensor([1.0, 2.0, NAN]),
        torch.tensor([NAN, 2.0, 5.0]),
    )
    nd = torch.sort(rand((2, 3, 6)), -1).values
    both(lambda lib, s, v: lib.searchsorted(s, v), nd, rand((2, 3, 4), seed=1))
    unsorted = torch.tensor([4.0, 1.0, 8.0, 2.0])
    both(
        lambda lib, s, v, o: lib.searchsorted(s, v, sorter=o),
        unsorted,
        vals,
        torch.argsort(unsorted),
    )
    both(lambda lib, s, v: lib.searchsorted(s, v, out=lib.empty(2, 3, dtype=lib.int64)), seq, vals)
    both(lambda lib, s, v: lib.searchsorted(s, v), torch.empty(0), vals)
    both(lambda lib, s, v: lib.searchsorted(s, v), torch.empty(0, 0), torch.empty(0, 0))
    both(lambda lib, s, v: lib.searchsorted(s, v), seq, torch.empty(0))
    # errors
    both(lambda lib, s, v: lib.searchsorted(s, v), nd, torch.tensor([1.0, 2.0]), check_message=True)
    both(lambda lib, s, v: lib.searchsorted(s, v, side="foo"), seq, vals, check_message=True)
    both(
        lambda lib, s, v: lib.searchsorted(s, v, side="left", right=True),
        seq,
        vals,
        check_message=True,
    )
    both(lambda lib, s, v: lib.searchsorted(s, v), torch.tensor(1.0), vals, check_message=True)
    both(
        lambda lib, s, v: lib.searchsorted(s, v, sorter=lib.zeros(5, dtype=lib.int32)),
        seq,
        vals,
        check_message=True,
    )
    both(lambda lib, s, v: lib.bucketize(v, s), nd, vals, check_message=True)


# ------------------------------------------------------------------ histc / histogram / histogramdd


def test_histc():
    x = torch.tensor([1.0, 2.0, 1.0, 2.5, 0.3, -1.0, 7.0, NAN])
    both(lambda lib, x: lib.histc(x[:-1]), x)
    both(lambda lib, x: x[:-1].histc(bins=4), x)
    both(lambda lib, x: lib.histc(x, bins=5, min=0, max=3), x)
    both(lambda lib, x: lib.histc(x, 3, 1, 1), x[:3])
    both(lambda lib, x: lib.histc(x, 3), torch.tensor([2.0, 2.0]))
    both(lambda lib, x: lib.histc(x, 4), torch.empty(0))
    both(lambda lib, x: lib.histc(x, 6, -2, 4), rand((3, 4), torch.float64))
    both(lambda lib, x: lib.histc(x, 4, out=lib.empty(4)), x[:-1])
    both(lambda lib, x: lib.histc(x), x, check_message=True)  # range from the data includes nan
    both(lambda lib, x: lib.histc(x, bins=0), x[:2], check_message=True)
    both(lambda lib, x: lib.histc(x, min=3, max=1), x[:2], check_message=True)
    both(lambda lib, x: lib.histc(x), torch.tensor([1.0, INF]), check_message=True)
    both(lambda lib, x: lib.histc(x), torch.tensor([1, 2]), check_message=True)


def test_histogram():
    x = torch.tensor([1.0, 2.0, 1.0, 2.5, 0.3, 7.0])
    w = torch.tensor([1.0, 2.0, 3.0, 0.5, 1.0, 1.0])
    for density in (False, True):
        both(lambda lib, x: lib.histogram(x, 4, density=density), x)
        both(lambda lib, x, w: x.histogram(3, range=(0.0, 4.0), weight=w, density=density), x, w)
        both(
            lambda lib, x, b: lib.histogram(x, b, density=density),
            x,
            torch.tensor([0.0, 1.0, 2.5, 7.0]),
        )
        both(lambda lib, x, b, w: lib.histogram(x, b, weight=w), x, torch.tensor([1.0, 2.0]), w)
    both(lambda lib, x: lib.histogram(x, 3), torch.tensor([2.0, 2.0]))
    both(lambda lib, x: lib.histogram(x, 3), torch.empty(0, dtype=torch.float64))
    both(lambda lib, x: lib.histogram(x.reshape(2, 3), 5), x)
    both(lambda lib, x: lib.histogram(x, bins=0), x, check_message=True)
    both(lambda lib, x: lib.histogram(x, 3, range=(3.0, 1.0)), x, check_message=True)
    both(
        lambda lib, x: lib.histogram(x, lib.tensor([1.0, 2.0], dtype=lib.float64)),
        x,
        check_message=True,
    )
    both(lambda lib, x: lib.histogram(x, 3, weight=lib.ones(2)), x)
    r = torchjax.histogram(to_tj(x), 3)
    assert type(r).__name__ == "histogram" and repr(r) == repr(torch.histogram(x, 3))


def test_histogramdd():
    x = rand((6, 2), torch.float32)
    w = rand((6,), torch.float32, seed=3, low=0, high=1)
    both(lambda lib, x: lib.histogramdd(x, bins=[2, 3]), x)
    both(lambda lib, x: lib.histogramdd(x, 3, range=[-3.0, 3.0, 0.0, 1.0], density=True), x)
    both(lambda lib, x, w: lib.histogramdd(x, [2, 2], weight=w), x, w)
    both(
        lambda lib, x, a, b: lib.histogramdd(x, [a, b]),
        x,
        torch.tensor([-3.0, 0.0, 3.0]),
        torch.tensor([-1.0, 1.0]),
    )
    both(lambda lib, x: lib.histogramdd(x.reshape(2, 3, 2), 2), x)
    both(lambda lib, x: lib.histogramdd(x, 2), torch.tensor([1.0, 2.0]), check_message=True)
    r = torchjax.histogramdd(to_tj(x), [2, 3])
    assert type(r).__name__ == "histogramdd" and isinstance(r.bin_edges, tuple)


# ------------------------------------------------------------------ isin / equal / allclose


def test_isin():
    e = torch.tensor([[1, 2, 3], [4, 5, 6]])
    t = torch.tensor([2.0, 3.5, 6.0])
    for inv in (False, True):
        both(lambda lib, e, t: lib.isin(e, t, invert=inv), e, t)
        both(lambda lib, e: lib.isin(e, 4, invert=inv), e)
        both(lambda lib, t: lib.isin(2, t, invert=inv), t)
    both(lambda lib, e, t: lib.isin(e, t), torch.tensor([NAN, 1.0]), torch.tensor([NAN]))
    both(lambda lib, e, t: lib.isin(e, t), e, torch.empty(0))
    big_e, big_t = (
        rand((300,), torch.int64, low=0, high=500),
        rand((400,), torch.int64, seed=1, low=0, high=500),
    )
    both(lambda lib, e, t: lib.isin(e, t), big_e, big_t)
    both(
        lambda lib, e, t: lib.isin(e, t, assume_unique=True, out=lib.empty(2, 3, dtype=lib.bool)),
        e,
        t,
    )
    both(lambda lib: lib.isin(1, 2))


def test_equal_allclose():
    a = torch.tensor([1.0, 2.0, NAN])
    assert torchjax.equal(to_tj(a[:2]), to_tj(a[:2])) is True
    both(lambda lib, a: lib.equal(a, a), a)
    both(lambda lib, a: lib.equal(a[:2], lib.tensor([1, 2])), a)
    both(lambda lib, a: lib.equal(a, a[:2]), a)
    both(lambda lib, a: a.equal(a + 1), a)
    both(lambda lib, a: lib.equal(a, 1.0), a)
    b = a + 1e-6
    for en in (False, True):
        both(lambda lib, a, b: lib.allclose(a, b, equal_nan=en), a, b)
        both(lambda lib, a, b: a.allclose(b, rtol=0, atol=0, equal_nan=en), a, b)
    both(lambda lib, a, b: lib.allclose(a, b), torch.tensor([INF, -INF]), torch.tensor([INF, -INF]))
    both(lambda lib, a, b: lib.allclose(a, b, rtol=1e-9, atol=1e-9), a[:2], b[:2])
    both(lambda lib, a, b: lib.allclose(a, b), torch.tensor([1, 2]), torch.tensor([1, 3]))
    both(
        lambda lib, a, b: lib.allclose(a, b),
        torch.tensor([1, 2]),
        torch.tensor([1.0, 2.0]),
        check_message=True,
    )
    both(lambda lib, a, b: lib.allclose(a, b, rtol=-1.0), a, b, check_message=True)
    both(lambda lib, a, b: lib.allclose(a, b), torch.ones(2, 1), torch.ones(3))


def test_unsupported_dtypes():
    b, c = torch.tensor([True, False]), torch.tensor([1j, 2 + 1j])
    for fn in (
        lambda lib, x: x.kthvalue(1),
        lambda lib, x: x.median(),
        lambda lib, x: x.nanmedian(0),
        lambda lib, x: x.topk(1),
        lambda lib, x: lib.isin(x, x),
        lambda lib, x: lib.searchsorted(x, x),
        lambda lib, x: lib.bucketize(x, x),
        lambda lib, x: lib.bincount(x),
        lambda lib, x: x.unique(),
        lambda lib, x: x.unique_consecutive(),
        lambda lib, x: x.mode(),
        lambda lib, x: lib.histc(x),
        lambda lib, x: x.sort(),
        lambda lib, x: x.argsort(),
        lambda lib, x: x.quantile(0.5),
    ):
        both(fn, b, check_message=True)
        both(fn, c, check_message=True)
    both(lambda lib, x: x.median(), torch.empty(0, dtype=torch.int32))


def test_out_dtype_is_checked_like_torch():
    x = rand((3, 4), torch.float64)
    f32, i64, i32 = (
        (lambda lib: lib.empty(0)),
        (lambda lib: lib.empty(0, dtype=lib.int64)),
        (lambda lib: lib.empty(0, dtype=lib.int32)),
    )
    for fn in (
        lambda lib, x: lib.sort(x, out=(f32(lib), i64(lib))),
        lambda lib, x: lib.sort(x.float(), out=(f32(lib), i32(lib))),
        lambda lib, x: lib.topk(x, 2, out=(f32(lib), i64(lib))),
        lambda lib, x: lib.kthvalue(x, 2, out=(f32(lib), i64(lib))),
        lambda lib, x: lib.mode(x, out=(f32(lib), i64(lib))),
        lambda lib, x: lib.median(x, 0, out=(f32(lib), i64(lib))),
        lambda lib, x: lib.nanmedian(x, 0, out=(f32(lib), i64(lib))),
        lambda lib, x: lib.quantile(x, 0.5, 0, out=f32(lib)),
        lambda lib, x: lib.searchsorted(x.sort().values, x, out=i32(lib)),
        lambda lib, x: lib.histc(x, out=f32(lib)),
    ):
        both(fn, x, check_message=True)


def test_kthvalue_out_overlapping_input():
    # kthvalue_out_impl_cpu: at::assert_no_overlap(self, values) once k is valid
    def f(lib, x, i):
        return lib.kthvalue(x, 5, out=(x, i))

    both(f, torch.randn(10), torch.empty((), dtype=torch.long), check_message=True)
    both(
        lambda lib, x, i: lib.kthvalue(x, 11, out=(x, i)),
        torch.randn(10),
        torch.empty((), dtype=torch.long),
        check_message=True,
    )
    both(
        lambda lib, x, v, i: lib.kthvalue(x, 2, out=(v, i)),
        torch.randn(10),
        torch.empty(()),
        torch.empty((), dtype=torch.long),
    )
