"""Reductions and scans against real torch 2.13: values, dtypes, shapes, dims/keepdim/dtype=,
named-tuple results, out=, errors and gradients (sum, mean, prod, std/var, max/min, amax/amin,
aminmax, argmax/argmin, all/any, count_nonzero, logsumexp, norm, dist, renorm, cumsum, cumprod,
cummax/cummin, logcumsumexp, diff, trapezoid, cumulative_trapezoid, sum_to_size)."""

# ruff: noqa: B023  (the lambdas handed to both() run immediately, inside their loop iteration)
from __future__ import annotations

import warnings

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax

NAN = float("nan")
INF = float("inf")
SHAPES = [(), (0,), (2, 0, 3), (2, 3, 4)]


def rand(shape, dtype=torch.float32, seed=0, low=-3, high=3):
    g = torch.Generator().manual_seed(seed)
    if dtype is torch.bool:
        return torch.rand(shape, generator=g) > 0.5
    if dtype.is_floating_point:
        return (torch.rand(shape, generator=g, dtype=torch.float64) * (high - low) + low).to(dtype)
    if dtype.is_complex:
        return torch.randn(shape, generator=g, dtype=dtype)
    return torch.randint(low, high, shape, generator=g, dtype=dtype)


def dims_for(shape):
    """(dim, keepdim) pairs to try on ``shape``: None, ints (negative too), a tuple, one out of range.

    Few on purpose: every distinct call compiles an XLA kernel.
    """
    n = len(shape)
    out = [(None, False), (-1, True)]
    out += [((0, -1), False)] if n >= 2 else [(0, False)]
    out.append((n + 1, False))  # out of range -> IndexError in both
    return out


def int_dims_for(shape):
    return [(d, k) for d, k in dims_for(shape) if isinstance(d, int)]


def grad_check(fn, x, *, pick=0, rtol=None, atol=None, name=True):
    """x.grad after backward of sum(fn(x) * w) (random w) matches torch; grad_fn names match."""
    xt = x.detach().clone().requires_grad_(True)
    ot = fn(torch, xt)
    if isinstance(ot, tuple):
        ot = ot[pick]
    w = rand(
        tuple(ot.shape),
        ot.dtype if ot.dtype.is_floating_point or ot.dtype.is_complex else torch.float32,
        seed=7,
    )
    loss = (ot * w).sum()
    (loss.real if loss.is_complex() else loss).backward()
    xj = to_tj(x.detach()).requires_grad_(True)
    oj = fn(torchjax, xj)
    if isinstance(oj, tuple):
        oj = oj[pick]
    if name:
        assert (oj.grad_fn.name() if oj.grad_fn else None) == (
            ot.grad_fn.name() if ot.grad_fn else None
        )
    loss = (oj * to_tj(w)).sum()
    (loss.real if loss.is_complex() else loss).backward()
    if xt.grad is None:
        assert xj.grad is None or not xj.grad.any()
        return
    assert_same(xj.grad, xt.grad, rtol=rtol, atol=atol)


# ------------------------------------------------------------------ sum / mean / prod / nansum / nanmean


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool])
def test_sum(shape, dtype):
    x = rand(shape, dtype)
    both(lambda lib, x: lib.sum(x), x)
    if dtype is torch.int64:
        both(lambda lib, x: x.sum(dtype=lib.float64), x)
    for d, k in dims_for(shape):
        both(lambda lib, x: lib.sum(x, d, keepdim=k), x)
        both(lambda lib, x: x.sum(dim=d, keepdim=k), x)


@pytest.mark.parametrize("shape", SHAPES)
def test_mean_prod_nansum_nanmean(shape):
    x = rand(shape, torch.float64)
    if x.numel() > 2:
        x.view(-1)[1] = NAN
    xi = rand(shape, torch.int64)
    both(lambda lib, x: lib.mean(x), x)
    both(lambda lib, x: lib.prod(x), x)
    both(lambda lib, x: lib.prod(x), xi)
    both(lambda lib, x: lib.nansum(x), x)
    both(lambda lib, x: lib.nanmean(x), x)
    both(lambda lib, x: lib.mean(x, dtype=lib.float32), xi)
    both(lambda lib, x: lib.nansum(x, -1), xi)
    both(lambda lib, x: lib.prod(x, -1, True, dtype=lib.float64), xi)
    for d, k in dims_for(shape):
        both(lambda lib, x: x.mean(d, k), x)
        both(lambda lib, x: lib.nansum(x, d, k), x)
        both(lambda lib, x: lib.nanmean(x, d, keepdim=k), x)
        if d is None or isinstance(d, int):
            both(lambda lib, x: lib.prod(x, d, k), x)


def test_sum_mean_dtype_rules_and_errors():
    xi = torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)
    xb = torch.tensor([True, True, False])
    both(lambda lib, x: x.sum(), xi)  # int64
    both(lambda lib, x: x.sum(0), xb)
    both(lambda lib, x: x.prod(), xb)
    both(lambda lib, x: x.sum(dtype=lib.int16), xi)
    both(lambda lib, x: x.mean(), xi, check_message=True)
    both(lambda lib, x: x.mean(dtype=lib.int64), torch.ones(2), check_message=True)
    both(lambda lib, x: x.nanmean(), xi, check_message=True)
    both(lambda lib, x: x.sum((0, 0)), xi, check_message=True)
    both(lambda lib, x: x.sum(0, 1), xi)
    both(lambda lib, x: lib.sum(x, keepdim=True), xi)
    both(lambda lib, x: x.prod((0, 1)), xi)
    both(lambda lib, x: lib.nansum(x), torch.tensor([1j]))
    both(lambda lib, x: x.sum(()), torch.ones(2, 3))
    both(lambda lib, x: x.mean(()), torch.ones(2, 3))
    both(lambda lib, x: x.mean(dim=None, keepdim=True), torch.ones(2, 3))
    both(lambda lib, x: x.sum(), torch.tensor([1 + 2j, 3j]))
    both(lambda lib, x: x.mean(0), torch.tensor([[1 + 2j, 3j]]))


def test_sum_out():
    x = rand((3, 4))
    for fn in (
        lambda lib, x: lib.sum(x, 1, out=lib.empty(3)),
        lambda lib, x: lib.mean(x, (0, 1), keepdim=True, out=lib.empty(1, 1)),
        lambda lib, x: lib.prod(x, 0, out=lib.empty(4, dtype=lib.float64)),
        lambda lib, x: lib.sum(x, 0, out=lib.empty(0)),
    ):
        both(fn, x)
    # the out tensor is the result
    o = torchjax.empty(3)
    assert torchjax.sum(to_tj(x), 1, out=o) is o


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: x.sum(),
        lambda lib, x: x.sum((0, 2)),
        lambda lib, x: x.sum(1, keepdim=True),
        lambda lib, x: x.mean(),
        lambda lib, x: x.mean(-1),
        lambda lib, x: lib.nansum(x, 1),
        lambda lib, x: lib.nanmean(x, 0),
        lambda lib, x: x.prod(),
        lambda lib, x: x.prod(1),
    ],
)
def test_sum_family_grad(fn):
    x = rand((2, 3, 4), torch.float64)
    x[1, 1, 1] = 0.0
    grad_check(fn, x)


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: lib.nansum(x, 1),
        lambda lib, x: lib.nanmean(x, 0),
        lambda lib, x: lib.nanmean(x),
        lambda lib, x: x.sum(2),
    ],
)
def test_nan_reduction_grad(fn):
    x = rand((2, 3, 4), torch.float64)
    x[0, 1, 2] = NAN
    x[:, 0, 0] = NAN
    grad_check(fn, x)


def test_prod_grad_with_zeros():
    for v in ([2.0, 0.0, 3.0], [2.0, 0.0, 0.0], [0.0], [[1.0, 0.0], [2.0, 3.0]]):
        x = torch.tensor(v, dtype=torch.float64)
        grad_check(lambda lib, x: x.prod(), x)
        grad_check(lambda lib, x: x.prod(0), x)


# ------------------------------------------------------------------ std / var


@pytest.mark.parametrize("shape", [(), (1,), (2, 0), (2, 3, 4)])
def test_std_var(shape):
    x = rand(shape, torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for f in ("std", "var"):
            both(lambda lib, x: getattr(x, f)(), x)
            both(lambda lib, x: getattr(lib, f)(x, False), x)
            both(lambda lib, x: getattr(lib, f)(x, unbiased=False), x)
            for d, k in dims_for(shape):
                both(lambda lib, x: getattr(lib, f)(x, d, True, k), x)
                both(lambda lib, x: getattr(x, f)(dim=d, correction=2.5 if k else 0, keepdim=k), x)
            both(lambda lib, x: getattr(lib, f + "_mean")(x), x)
            both(lambda lib, x: getattr(lib, f + "_mean")(x, 0, correction=0, keepdim=True), x)


def test_std_var_dtypes_and_errors():
    both(lambda lib, x: x.std(), torch.tensor([1, 2]), check_message=True)
    both(lambda lib, x: lib.std_mean(x), torch.tensor([1, 2]), check_message=True)
    both(lambda lib, x: x.var(0, unbiased=True, correction=1), torch.ones(3))
    c = rand((3, 4), torch.complex64)
    both(lambda lib, x: x.std(), c)
    both(lambda lib, x: x.var(1), c)
    both(lambda lib, x: lib.var_mean(x, 1), c)
    both(lambda lib, x: x.std(0), rand((3, 4), torch.float16), rtol=2e-3, atol=2e-3)
    with pytest.warns(UserWarning, match="degrees of freedom"):
        torchjax.ones(1).std()


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: x.std(),
        lambda lib, x: x.var(1),
        lambda lib, x: x.std(0, keepdim=True),
        lambda lib, x: x.var(correction=0),
        lambda lib, x: lib.std_mean(x, 1)[0],
        lambda lib, x: lib.var_mean(x, 0)[1],
        lambda lib, x: lib.std_mean(x)[1],
    ],
)
def test_std_var_grad(fn):
    x = rand((3, 4), torch.float64)
    x[1] = 1.0  # zero variance along dim 1: std's gradient is 0 there
    grad_check(fn, x)


def test_std_var_grad_edge_cases():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        grad_check(lambda lib, x: x.std(), torch.tensor([1.5], dtype=torch.float64))
        grad_check(lambda lib, x: x.var(), torch.tensor([1.5], dtype=torch.float64))
        grad_check(
            lambda lib, x: x.var(0, correction=3), torch.tensor([1.5, 2.0], dtype=torch.float64)
        )
    grad_check(lambda lib, x: x.std(), rand((4,), torch.complex128))
    grad_check(lambda lib, x: x.var(0), rand((3, 2), torch.complex128))


# ------------------------------------------------------------------ max / min / amax / amin / aminmax / argmax


TIES = torch.tensor([[1.0, 3.0, 3.0, -1.0], [2.0, NAN, 0.0, NAN], [-1.0, -1.0, 5.0, 5.0]])


@pytest.mark.parametrize(
    "shape,dtype",
    [(s, torch.float32) for s in SHAPES] + [((2, 3, 4), torch.int64), ((3, 4), torch.bool)],
)
def test_max_min(shape, dtype):
    x = rand(shape, dtype)
    for f in ("max", "min"):
        both(lambda lib, x: getattr(lib, f)(x), x)
        both(lambda lib, x: getattr(x, "a" + f)(), x)
        both(lambda lib, x: lib.aminmax(x), x)
        for d, k in dims_for(shape):
            both(lambda lib, x: getattr(lib, "a" + f)(x, d, k), x)
            if (d is None or isinstance(d, int)) and f == "max":
                both(lambda lib, x: lib.aminmax(x, dim=d, keepdim=k), x)
            if isinstance(d, int):
                both(lambda lib, x: getattr(lib, f)(x, d, k), x)
                both(lambda lib, x: getattr(x, f)(dim=d, keepdim=k), x)
            if dtype is not torch.bool and (d is None or isinstance(d, int)):
                both(lambda lib, x: getattr(lib, "arg" + f)(x, d, k), x)


def test_max_min_ties_and_nans():
    for f in ("max", "min"):
        for d in (0, 1, -1):
            both(lambda lib, x: getattr(lib, f)(x, d), TIES)
            both(lambda lib, x: getattr(lib, "arg" + f)(x, d), TIES)
            both(lambda lib, x: getattr(lib, "a" + f)(x, d), TIES)
        both(lambda lib, x: getattr(lib, f)(x), TIES)
        both(lambda lib, x: getattr(lib, "arg" + f)(x), TIES)
        both(lambda lib, x: getattr(lib, f)(x), torch.tensor([-0.0, 0.0]))


def test_max_min_overloads_out_and_print():
    x, y = rand((3, 4)), rand((3, 4), seed=1)
    r = both(lambda lib, x: lib.max(x, 1, True), x)[1]
    assert type(r).__name__ == "max" and r.values is r[0] and r.indices is r[1]
    assert repr(torchjax.max(to_tj(TIES), 1)) == repr(torch.max(TIES, 1))
    assert repr(torchjax.aminmax(to_tj(TIES[0]))) == repr(torch.aminmax(TIES[0]))
    both(lambda lib, x: lib.max(x, dim=0, keepdim=False), x)
    both(lambda lib, x: lib.max(x, 1, out=(lib.empty(0), lib.empty(0, dtype=lib.int64))), x)
    both(lambda lib, x: lib.min(x, out=lib.empty(())), x)
    both(lambda lib, x: lib.amax(x, 0, out=lib.empty(4)), x)
    both(lambda lib, x: lib.argmax(x, 1, out=lib.empty(3, dtype=lib.int64)), x)
    both(lambda lib, x: lib.max(x, 0.5), x)
    both(lambda lib, x: x.max(keepdim=True), x)
    if hasattr(torchjax, "maximum"):
        both(lambda lib, x, y: lib.max(x, y), x, y)
        both(lambda lib, x, y: x.min(y), x, y)
    out = torchjax.max(
        to_tj(x), 1, out=(torchjax.empty(3), torchjax.empty(3, dtype=torchjax.int64))
    )
    assert type(out).__name__ == "max"


def test_max_min_errors():
    e = torch.empty(0, 3)
    for fn in (
        lambda lib, x: x.max(),
        lambda lib, x: x.max(0),
        lambda lib, x: x.amin(),
        lambda lib, x: x.amax(0),
        lambda lib, x: x.argmax(),
        lambda lib, x: x.argmin(0),
        lambda lib, x: lib.aminmax(x),
        lambda lib, x: lib.aminmax(x, dim=0),
    ):
        both(fn, e, check_message=True)
    for fn in (
        lambda lib, x: x.max(1),
        lambda lib, x: x.amax(1),
        lambda lib, x: x.argmax(1),
        lambda lib, x: lib.aminmax(x, dim=1),
    ):
        both(fn, e)
    both(lambda lib, x: x.argmax(), torch.tensor([True, False]), check_message=True)
    both(lambda lib, x: x.argmax(), torch.tensor([1j]), check_message=True)
    both(lambda lib, x: x.max(), torch.tensor([1j]))
    both(lambda lib, x: x.amax(), torch.tensor([1j]))
    both(lambda lib, x: x.amax((0, -2)), torch.ones(2, 2), check_message=True)
    both(lambda lib, x: x.argmax(keepdim=True), rand((2, 3)))


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: x.max(),
        lambda lib, x: x.min(),
        lambda lib, x: x.max(1)[0],
        lambda lib, x: x.min(0)[0],
        lambda lib, x: x.max(1, keepdim=True)[0],
        lambda lib, x: x.amax(),
        lambda lib, x: x.amax(1),
        lambda lib, x: x.amin((0, 1), True),
        lambda lib, x: lib.aminmax(x)[0],
        lambda lib, x: lib.aminmax(x, dim=1)[1],
    ],
)
def test_max_min_grad_ties_nans(fn):
    grad_check(fn, TIES.double())
    grad_check(fn, torch.nan_to_num(TIES.double(), nan=3.0))


# ------------------------------------------------------------------ all / any / count_nonzero


@pytest.mark.parametrize(
    "shape,dtype",
    [
        ((), torch.float32),
        ((2, 0, 3), torch.float32),
        ((2, 3, 4), torch.float32),
        ((2, 3, 4), torch.bool),
        ((3, 4), torch.uint8),
    ],
)
def test_all_any_count_nonzero(shape, dtype):
    x = rand(shape, dtype, low=0, high=2)
    for f in ("all", "any"):
        both(lambda lib, x: getattr(lib, f)(x), x)
        both(lambda lib, x: getattr(x, f)(()), x)
        for d, k in dims_for(shape):
            both(lambda lib, x: getattr(lib, f)(x, d, keepdim=k), x)
    both(lambda lib, x: lib.count_nonzero(x), x)
    for d, _ in dims_for(shape):
        both(lambda lib, x: x.count_nonzero(d), x)
    odt = torch.uint8 if dtype is torch.uint8 else torch.bool
    both(
        lambda lib, x: lib.all(x, out=lib.empty((), dtype=to_tj(odt) if lib is torchjax else odt)),
        x,
    )


# ------------------------------------------------------------------ logsumexp / norm / dist / renorm


@pytest.mark.parametrize("shape", SHAPES)
def test_logsumexp(shape):
    x = rand(shape, torch.float64)
    for d, k in dims_for(shape):
        if d is not None:
            both(lambda lib, x: lib.logsumexp(x, d, k), x)
    both(lambda lib, x: x.logsumexp(0), torch.tensor([[INF, 1.0], [-INF, -INF], [NAN, 0.0]]).T)
    both(lambda lib, x: x.logsumexp(0), torch.tensor([1, 2, 3]))
    both(lambda lib, x: lib.logsumexp(x), x)


def test_logsumexp_grad():
    grad_check(lambda lib, x: x.logsumexp(1), rand((3, 4), torch.float64))
    grad_check(lambda lib, x: x.logsumexp((0, 1), True), rand((3, 4), torch.float64))
    grad_check(lambda lib, x: x.logsumexp(0), torch.tensor([-INF, -INF], dtype=torch.float64))
    grad_check(lambda lib, x: x.logsumexp(0), torch.tensor([-INF, 1.0], dtype=torch.float64))


NORM_PS = [2, 1, 0, 3, 0.5, INF, -INF, "fro", None]


@pytest.mark.parametrize("p", NORM_PS)
def test_norm(p):
    x = rand((3, 4), torch.float32)
    both(lambda lib, x: lib.norm(x, p), x)
    both(lambda lib, x: x.norm(p, dim=1, keepdim=True), x)
    both(lambda lib, x: x.norm(p, -1, dtype=lib.float64), x)
    both(lambda lib, x: lib.norm(x, p, 0, out=lib.empty(4)), x)
    both(lambda lib, x: lib.norm(x, p, 0), torch.empty(0, 3))
    if p in (2, INF, 0.5):
        both(lambda lib, x: lib.norm(x, p, (0, 1)), rand((2, 3), torch.complex64))
        both(lambda lib, x: lib.norm(x, p), torch.zeros(3))
        both(lambda lib, x: lib.norm(x, p, 1), torch.empty(0, 3))
        both(lambda lib, x: lib.norm(x, p), torch.tensor(2.5))


def test_norm_matrix_and_errors():
    x = rand((2, 3, 4), torch.float64)
    both(lambda lib, x: lib.norm(x, "nuc", (1, 2)), x)
    both(lambda lib, x: lib.norm(x, "nuc", (2, 0), keepdim=True), x)
    both(lambda lib, x: lib.norm(x[0], "nuc"), x)
    both(lambda lib, x: lib.norm(x, "fro", (0, 1, 2)), x)
    both(lambda lib, x: lib.norm(x, "nuc"), x)
    both(lambda lib, x: lib.norm(x, "nuc", (1, 1)), x)
    both(lambda lib, x: x.norm(), torch.tensor([1, 2]), check_message=True)
    both(lambda lib, x: x.norm(INF), torch.empty(0), check_message=True)


@pytest.mark.parametrize("p", [2, 1, 3, 0.5, 1.5, INF, 0])
def test_norm_grad(p):
    x = torch.tensor([[0.0, -2.0, 2.0], [0.0, 0.0, 0.0], [1.0, -3.0, 0.5]], dtype=torch.float64)
    grad_check(lambda lib, x: x.norm(p, dim=1), x)
    if p in (2, INF):
        grad_check(lambda lib, x: x.norm(p), x)
        grad_check(lambda lib, x: lib.dist(x, lib.ones(3, dtype=lib.float64), p), x)
        grad_check(lambda lib, x: x.norm(p), rand((3,), torch.complex128))


def test_norm_nuc_grad():
    grad_check(lambda lib, x: lib.norm(x, "nuc"), rand((3, 4), torch.float64), rtol=1e-6, atol=1e-8)


def test_dist_renorm():
    x, y = rand((3, 4)), rand((4,), seed=3)
    for p in (2, 1, 0, INF, 3.5):
        both(lambda lib, x, y: lib.dist(x, y, p), x, y)
        both(lambda lib, x, y: x.dist(y, p=p), x, y)
    both(lambda lib, x, y: lib.dist(x, y), torch.tensor([1, 2]), torch.tensor([3, 4]))
    z = rand((3, 4, 2), torch.float64)
    for p, d, m in ((2, 0, 1.0), (1, 1, 0.5), (INF, -1, 0.7), (3, 2, 100.0)):
        both(lambda lib, x: lib.renorm(x, p, d, m), z)
        both(lambda lib, x: x.clone().renorm_(p, d, m), z)
        grad_check(lambda lib, x: x.renorm(p, d, m), z)
    for args in ((-1, 0, 1.0), (2, 0, -1.0)):
        both(lambda lib, x: x.renorm(*args), z, check_message=True)
    both(lambda lib, x: x.renorm(2, 0, 1.0), torch.ones(3), check_message=True)
    both(lambda lib, x: x.renorm(2, 0, 1.0), torch.ones(3, 2, dtype=torch.long))
    grad_check(
        lambda lib, x: lib.dist(x, lib.zeros(2, dtype=lib.float64)),
        torch.zeros(2, dtype=torch.float64),
    )


# ------------------------------------------------------------------ scans


@pytest.mark.parametrize(
    "shape,dtype",
    [(s, torch.float64) for s in ((), (2, 0, 3), (3, 4))]
    + [((3, 4), torch.int64), ((5,), torch.bool)],
)
def test_cumulative(shape, dtype):
    x = rand(shape, dtype)
    for d in (0, -1, 2) if len(shape) == 2 else (-1, 3):
        both(lambda lib, x: lib.cumsum(x, d), x)
        both(lambda lib, x: x.cumprod(d), x)
        both(lambda lib, x: lib.cummax(x, d), x)
        both(lambda lib, x: x.cummin(dim=d), x)
        both(lambda lib, x: lib.cumsum(x, d, dtype=lib.float32), x)
        if dtype.is_floating_point:
            both(lambda lib, x: lib.logcumsumexp(x, d), x)
    both(lambda lib, x: x.cumsum(), x)


def test_cumulative_ties_nans_inplace_out():
    x = torch.tensor(
        [[1.0, 1.0, 0.0, 1.0, NAN, 2.0, NAN, 3.0], [3.0, -1.0, 3.0, 3.0, 0.0, -5.0, -5.0, 7.0]]
    )
    for f in ("cummax", "cummin"):
        both(lambda lib, x: getattr(lib, f)(x, 1), x)
        both(lambda lib, x: getattr(lib, f)(x, 0), x)
    both(lambda lib, x: lib.logcumsumexp(x, 1), torch.tensor([[-INF, -INF, 1.0, INF, 2.0]]))
    both(lambda lib, x: x.clone().cumsum_(1), x)
    both(lambda lib, x: x.clone().cumprod_(0, dtype=lib.float64), x)
    both(lambda lib, x: lib.cumsum(x, 1, out=lib.empty(2, 8)), x)
    both(
        lambda lib, x: lib.cummax(x, 1, out=(lib.empty(2, 8), lib.empty(2, 8, dtype=lib.int64))), x
    )
    both(lambda lib, x: x.logcumsumexp(0), torch.tensor([1, 2]))
    c = torch.tensor([1j, 2 + 1j, -1 - 3j, complex(-INF, 0.5), 0.5j], dtype=torch.complex128)
    both(lambda lib, x: x.logcumsumexp(0), c)
    grad_check(lambda lib, x: x.logcumsumexp(0), c[:3])
    both(lambda lib, x: x.logsumexp(0), c[:3])
    both(lambda lib, x: x.nansum(), c, check_message=True)
    both(lambda lib, x: x.nanmean(), c, check_message=True)
    both(lambda lib, x: x.cummax(0), torch.tensor([1j]))
    assert not hasattr(torchjax, "cumsum_")
    assert repr(torchjax.cummax(to_tj(x[1]), 0)) == repr(torch.cummax(x[1], 0))


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: x.cumsum(1),
        lambda lib, x: x.cumprod(1),
        lambda lib, x: x.cumprod(0),
        lambda lib, x: x.cummax(1)[0],
        lambda lib, x: x.cummin(0)[0],
        lambda lib, x: x.logcumsumexp(1),
        lambda lib, x: x.logcumsumexp(0),
    ],
)
def test_cumulative_grad(fn):
    x = torch.tensor(
        [[2.0, 0.0, 3.0, 0.0, 5.0], [1.0, 1.0, -1.0, 1.0, 4.0], [0.0, 2.0, 2.0, 1.0, 2.0]],
        dtype=torch.float64,
    )
    grad_check(fn, x)
    grad_check(
        fn,
        torch.tensor([[-INF, 1.0, 2.0, -INF, 0.5]], dtype=torch.float64).expand(3, 5).contiguous(),
    )


def test_diff():
    x = rand((3, 5), torch.float64)
    for n in (0, 1, 2, 6):
        for d in (0, -1, 1):
            both(lambda lib, x: lib.diff(x, n, d), x)
    p, a = rand((3, 2), torch.float64, seed=1), rand((3, 1), torch.float64, seed=2)
    both(lambda lib, x, p, a: lib.diff(x, 1, 1, p, a), x, p, a)
    both(lambda lib, x, a: x.diff(dim=1, append=a), x, a)
    both(lambda lib, x, p, a: lib.diff(x, 0, 1, p, a), x, p, a)
    both(lambda lib, x: x.diff(), torch.tensor([True, False, False, True]))
    both(lambda lib, x: x.diff(2), torch.tensor([1, 5, 2, 8]))
    both(lambda lib, x: x.diff(), torch.tensor(1.0), check_message=True)
    both(lambda lib, x: x.diff(-1), torch.ones(3), check_message=True)
    both(lambda lib, x: lib.diff(x, out=lib.empty(4)), torch.arange(5.0))
    grad_check(lambda lib, x: x.diff(2, 1), x)


def test_trapezoid():
    y = rand((3, 5), torch.float64)
    xs = torch.tensor([0.0, 0.5, 2.0, 2.5, 4.0], dtype=torch.float64)
    for f in ("trapezoid", "trapz", "cumulative_trapezoid"):
        both(lambda lib, y: getattr(lib, f)(y), y)
        both(lambda lib, y: getattr(lib, f)(y, dx=0.5, dim=0), y)
        both(lambda lib, y, x: getattr(lib, f)(y, x), y, xs)
        both(lambda lib, y, x: getattr(lib, f)(y, x, dim=-1), y, y * 2)
        both(lambda lib, y: getattr(lib, f)(y), torch.tensor([1, 2, 4]))
        both(lambda lib, y: getattr(lib, f)(y), torch.empty(0))
        both(lambda lib, y: getattr(lib, f)(y, dim=3), torch.ones(2))
        both(lambda lib, y, x: getattr(lib, f)(y, x), torch.ones(3, 2), torch.ones(3))
        grad_check(lambda lib, y: getattr(lib, f)(y), y, name=False)
        grad_check(
            lambda lib, y: getattr(lib, f)(
                y, lib.tensor([0.0, 0.5, 2.0, 2.5, 4.0], dtype=lib.float64)
            ),
            y,
        )


def test_sum_to_size():
    x = rand((2, 3, 4), torch.float64)
    for size in ((1, 4), (3, 1), (2, 1, 4), (4,), (1, 1, 1), (2, 3, 4)):
        both(lambda lib, x: x.sum_to_size(size), x)
        both(lambda lib, x: x.sum_to_size(*size), x)
    both(lambda lib, x: x.sum_to_size(3), x)
    both(lambda lib, x: x.sum_to_size(()), torch.tensor(True))
    both(lambda lib, x: x.sum_to_size(1, 1), torch.tensor([[3]], dtype=torch.int32))
    grad_check(lambda lib, x: x.sum_to_size(1, 4), x)


def test_out_dtype_is_checked_like_torch():
    x = rand((3, 4), torch.float64)
    f32, i64, i32 = (
        (lambda lib: lib.empty(0)),
        (lambda lib: lib.empty(0, dtype=lib.int64)),
        (lambda lib: lib.empty(0, dtype=lib.int32)),
    )
    for fn in (
        lambda lib, x: lib.max(x, 0, out=(f32(lib), i64(lib))),
        lambda lib, x: lib.min(x.float(), 0, out=(f32(lib), i32(lib))),
        lambda lib, x: lib.amax(x, 0, out=f32(lib)),
        lambda lib, x: lib.aminmax(x, dim=0, out=(f32(lib), f32(lib))),
        lambda lib, x: lib.argmax(x, 0, out=i32(lib)),
        lambda lib, x: lib.all(x, 0, out=f32(lib)),
        lambda lib, x: lib.cummax(x, 0, out=(f32(lib), i64(lib))),
        lambda lib, x: lib.norm(x, dim=0, out=f32(lib)),
    ):
        both(fn, x, check_message=True)
    # sums and means cast into their out tensor
    both(lambda lib, x: lib.sum(x, 0, out=f32(lib)), x)
    both(lambda lib, x: lib.cumsum(x, 0, out=i64(lib)), x)


def test_gradient():
    x = torch.tensor(
        [[1.0, 2.0, 4.0, 8.0, 9.0], [10.0, 20.0, 40.0, 80.0, -3.0], [0.5, 0.0, 1.0, 2.0, 3.0]],
        dtype=torch.float64,
    )
    c0, c1 = (
        torch.tensor([0.0, 1.0, 3.0], dtype=torch.float64),
        torch.tensor([0.0, 1.0, 3.0, 4.0, 7.0], dtype=torch.float64),
    )
    for eo in (1, 2):
        both(lambda lib, x: lib.gradient(x, edge_order=eo), x)
        both(lambda lib, x: lib.gradient(x, spacing=2.0, dim=1, edge_order=eo), x)
        both(lambda lib, x: lib.gradient(x, spacing=[2.0, 0.5], edge_order=eo), x)
        both(lambda lib, x, a, b: lib.gradient(x, spacing=(a, b), edge_order=eo), x, c0, c1)
        both(lambda lib, x, b: lib.gradient(x, spacing=[b], dim=-1, edge_order=eo), x, c1)
    both(lambda lib, x: lib.gradient(x), torch.tensor([1, 2, 4, 8]))
    both(lambda lib, x: lib.gradient(x, spacing=2), torch.tensor([1, 2, 4, 8]))
    both(lambda lib, x: lib.gradient(x), torch.tensor(3.0))
    for kw in (
        {"edge_order": 3},
        {"spacing": [1.0, 2.0, 3.0]},
        {"dim": (0, 0)},
        {"spacing": [1.0], "dim": (0, 1)},
    ):
        both(lambda lib, x: lib.gradient(x, **kw), x, check_message=True)
    both(lambda lib, x: lib.gradient(x, edge_order=2), torch.tensor([1.0, 2.0]), check_message=True)
    both(
        lambda lib, x: lib.gradient(x), torch.tensor([1, 2], dtype=torch.uint8), check_message=True
    )
    grad_check(lambda lib, x: lib.gradient(x, dim=1)[0], x)
    grad_check(
        lambda lib, x: lib.gradient(
            x, spacing=[lib.tensor([0.0, 1.0, 3.0], dtype=lib.float64)], dim=0, edge_order=2
        )[0],
        x,
    )


def test_gradient_spacing_none_and_tensor():
    x = torch.randn(5, 5)
    both(lambda lib, x: lib.gradient(x, spacing=None, edge_order=2), x)
    both(lambda lib, x: lib.gradient(x, spacing=None, dim=1), x)
    both(
        lambda lib, x: lib.gradient(
            x, spacing=torch.tensor(2.0) if lib is torch else lib.tensor(2.0)
        ),
        x,
    )
    both(
        lambda lib, x, a: lib.gradient(x, spacing=[a, a]), x, torch.tensor(2.0)
    )  # 0-dim coordinates: error


def test_reductions_over_more_than_64_dims():
    # ATen's dim bitset: explicit dims on a >64-dim input are refused; full reductions are not
    def mk(lib):
        return lib.zeros(1).reshape([1] * 65)

    for f in (
        lambda x: x.amax(-1),
        lambda x: x.amin(64),
        lambda x: x.aminmax(dim=-1),
        lambda x: x.sum(0),
        lambda x: x.max(0),
        lambda x: x.argmax(0),
    ):
        both(lambda lib: f(mk(lib)), check_message=True)
    both(lambda lib: mk(lib).amax())
    both(lambda lib: mk(lib).aminmax())


HASH_X = torch.tensor([[1.5, 2.0, -0.0], [3.0, 4.0, float("nan")]])


@pytest.mark.parametrize(
    "fn,x",
    [
        (lambda t, x: t.hash_tensor(x), HASH_X),
        (lambda t, x: t.hash_tensor(x, 0), HASH_X),
        (lambda t, x: t.hash_tensor(x, [0, 1], keepdim=True), HASH_X),
        (lambda t, x: x.hash_tensor(dim=1, mode=0), HASH_X),
        (lambda t, x: t.hash_tensor(x.double(), 1), HASH_X),
        (lambda t, x: t.hash_tensor(x), torch.tensor([1, 2, -3])),
        (lambda t, x: t.hash_tensor(x), torch.tensor([True, False, True])),
        (lambda t, x: t.hash_tensor(x), torch.tensor([-1, 5], dtype=torch.int8)),
        (lambda t, x: t.hash_tensor(x, 1), torch.tensor([[1.0, 2.5]]).half()),
        (lambda t, x: t.hash_tensor(x, 0), torch.zeros(2, 0)),
        (lambda t, x: t.hash_tensor(x, 1), torch.zeros(2, 0)),  # IndexError: empty reduced dim
        (lambda t, x: t.hash_tensor(x), torch.zeros(2, 0)),  # RuntimeError: no dim for empty input
        (lambda t, x: t.hash_tensor(x, 0, keepdim=True), torch.tensor(2.5)),
        (lambda t, x: t.hash_tensor(x, mode=1), HASH_X),
        (lambda t, x: t.hash_tensor(x), HASH_X.to(torch.complex64)),
        (lambda t, x: t.hash_tensor(x), torch.tensor([1, 2], dtype=torch.uint32)),
        (lambda t, x: t.hash_tensor(x, out=t.empty(0, dtype=t.int64)), HASH_X),
        (lambda t, x: t.hash_tensor(x, 1, out=t.empty(0, dtype=t.uint64)), HASH_X),
    ],
)
def test_hash_tensor(fn, x):
    both(fn, x, check_message=True)
