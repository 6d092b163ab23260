"""gather / scatter / index_* / masked_scatter / put against torch 2.13: values, dtypes, grad_fn
names, gradients (torch's backward formulas) and errors (index bounds are checked as on CPU)."""

# The lambdas built in loops below are called at once, inside their iteration:
# ruff: noqa: B023
from __future__ import annotations

import warnings

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax

MSG = dict(check_message=True)


def _rand(*shape, dtype=torch.float32, seed=0):
    g = torch.Generator().manual_seed(seed)
    if dtype.is_floating_point:
        return torch.randn(tuple(shape), generator=g, dtype=dtype)
    return torch.randint(-5, 5, tuple(shape), generator=g, dtype=dtype)


def check_grad(fn, *xs):
    """Same value, grad_fn name and input gradients as torch for ``fn(lib, *xs)``."""
    xt = [x.detach().clone().requires_grad_() if x.is_floating_point() else x for x in xs]
    xj = [to_tj(x) for x in xt]
    a, b = fn(torch, *xt), fn(torchjax, *xj)
    assert_same(b, a.detach())
    assert type(b.grad_fn).__name__ == type(a.grad_fn).__name__
    w = _rand(*a.shape, seed=7)
    (a * w).sum().backward()
    (b * to_tj(w)).sum().backward()
    for p, q in zip(xt, xj):
        if p.requires_grad:
            assert_same(q.grad, p.grad)


# ------------------------------------------------------------------ the seed note's examples


def test_seed_scatter_examples_exact():
    """../shared/seeds/000: torch.zeros(3, 5).scatter_(dim, index, src), verbatim outputs."""
    src = torchjax.arange(1, 11).reshape((2, 5))
    index = torchjax.tensor([[0, 1, 2, 0]])
    r = torchjax.zeros(3, 5, dtype=src.dtype).scatter_(0, index, src)
    assert r.dtype is torchjax.int64
    assert r.tolist() == [[1, 0, 0, 4, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0]]
    assert (
        repr(r) == "tensor([[1, 0, 0, 4, 0],\n        [0, 2, 0, 0, 0],\n        [0, 0, 3, 0, 0]])"
    )
    index = torchjax.tensor([[0, 1, 2], [0, 1, 4]])
    r = torchjax.zeros(3, 5, dtype=src.dtype).scatter_(1, index, src)
    assert r.tolist() == [[1, 2, 3, 0, 0], [6, 7, 0, 0, 8], [0, 0, 0, 0, 0]]
    assert (
        repr(r) == "tensor([[1, 2, 3, 0, 0],\n        [6, 7, 0, 0, 8],\n        [0, 0, 0, 0, 0]])"
    )


# ------------------------------------------------------------------ gather


def test_gather():
    x = _rand(3, 4)
    for dim, idx in (
        (0, [[0, 1, 2, 0]]),
        (1, [[0, 1, 2], [3, 0, 0]]),
        (1, [[0], [3], [1]]),
        (0, [[2, 2], [0, 0], [1, 1], [2, 0]]),
        (-1, [[3, 3, 3, 3, 3]]),
    ):
        check_grad(lambda L, t: t.gather(dim, L.tensor(idx)), x)
        check_grad(lambda L, t: L.gather(t, dim, L.tensor(idx, dtype=L.int32)), x)
    both(lambda L, t: L.gather(t, 1, L.zeros(3, 0, dtype=L.long)), x)
    both(lambda L: L.tensor(5.0).gather(0, L.tensor(0)))
    both(lambda L: L.tensor(5.0).gather(0, L.tensor([0, 0])))
    both(lambda L, t: L.gather(t, 1, L.tensor([[0, 1]]), out=L.empty(1, 2)), x)
    both(lambda L, t: t.gather(1, L.tensor([[0, 1]]), sparse_grad=False), x)
    for f in (
        lambda L, t: t.gather(1, L.tensor([[0.0]])),
        lambda L, t: t.gather(0, L.tensor([[0, 1, 2, 0, 1]])),
        lambda L, t: t.gather(1, L.tensor([[0], [1], [2], [0]])),
        lambda L, t: t.gather(1, L.tensor([0, 1])),
        lambda L, t: t.gather(1, L.tensor([[4]])),
        lambda L, t: t.gather(1, L.tensor([[-1]])),
        lambda L, t: t.gather(2, L.tensor([[0]])),
    ):
        both(f, x, **MSG)


def test_gather_out_overlap():
    """torch's gather meta function: ``out`` is resized to the index's shape first, then it must not
    overlap ``input`` (full or partial) nor partially overlap ``index``; disjoint views of one
    storage, and non-dense (too hard to tell) outputs, are allowed."""

    def run(make):
        def f(L):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the resize warning
                src, index, out = make(L)
                r = L.gather(src, 0, index, out=out)
            return r, r.data_ptr() == out.data_ptr()

        both(f, **MSG)

    run(lambda L: (L.rand(6), L.tensor([2, 1, 0]), L.rand(1).expand(3)))  # internal overlap
    run(lambda L: (lambda s: (s, L.tensor([2, 1, 0]), s))(L.rand(6)))  # out is input
    run(
        lambda L: (lambda b: (b[:4], L.tensor([0, 1]), b[2:4]))(L.arange(10.0))
    )  # partial with input
    run(
        lambda L: (lambda b: (b[:4], L.tensor([0, 1]), b[6:8]))(L.arange(10.0))
    )  # disjoint: allowed
    run(
        lambda L: (lambda b: (b[5:8], L.tensor([0, 1]), b[4:5]))(L.arange(10.0))
    )  # overlaps once resized
    run(
        lambda L: (lambda b: (b[:4], L.tensor([0, 1]), b[5:9:2]))(L.arange(10.0))
    )  # not dense: not checked
    run(lambda L: (lambda i: (i.clone(), i[1:], i[:1]))(L.tensor([2, 1, 0])))  # partial with index
    run(lambda L: (lambda i: (L.arange(5), i[:2], i[:2]))(L.arange(6)))  # out is index: allowed
    both(
        lambda L, t: L.gather(t, 1, L.tensor([[0, 1]]), out=L.empty(1, 2, dtype=L.float64)),
        _rand(3, 4),
        **MSG,
    )


def test_index_select_out_overlap():
    """index_select refuses an ``out`` overlapping ``input`` or ``index`` (checked before the
    resize); a disjoint view of the same storage is allowed."""

    def run(make):
        def f(L):
            src, out = make(L)
            r = L.index_select(src, 0, L.tensor([0, 1]), out=out)
            return r, r.data_ptr() == out.data_ptr()

        both(f, **MSG)

    run(lambda L: (lambda b: (b[:4], b[6:8]))(L.arange(10.0)))
    run(lambda L: (lambda b: (b[:4], b[3:5]))(L.arange(10.0)))


# ------------------------------------------------------------------ scatter / scatter_add / scatter_reduce


def test_scatter_src_and_value():
    x = _rand(3, 5)
    src = _rand(2, 5, seed=1)
    idx = torch.tensor([[0, 1, 2, 0, 1], [2, 0, 1, 1, 1]])
    # an index smaller than src: torch's own backward rejects the src gradient's shape, so values only
    both(lambda L, t, s: t.scatter(0, L.tensor([[0, 1, 2, 0]]), s), x, src)
    both(lambda L, t, s: L.scatter(t, 1, L.tensor([[0, 1, 4], [3, 2, 0]]), s), x, src)
    check_grad(
        lambda L, t, s: L.scatter(t, 1, L.tensor([[0, 1, 4, 2, 3], [3, 2, 0, 1, 4]]), s), x, src
    )
    check_grad(lambda L, t: t.scatter(0, L.tensor([[0, 1, 2, 0]]), 2.5), x)
    check_grad(lambda L, t: L.scatter(t, 1, L.tensor([[4], [0], [2]]), value=-1.0), x)
    # duplicate targets: the last write wins (torch's CPU order); src gradient as torch (all writers)
    check_grad(lambda L, t, s: t.scatter(0, L.tensor(idx.tolist()), s), x, src)
    check_grad(
        lambda L, t, s: t.scatter(1, L.tensor([[1, 1, 1, 1, 1], [0, 0, 2, 2, 2]]), s), x, src
    )
    both(lambda L, t: t.scatter(0, L.tensor([[0, 1, 2, 0]]).int(), 1.0), x)
    both(lambda L: L.zeros(3, 5, dtype=L.long).scatter(0, L.tensor([[0, 1, 2, 0]]), 2.7))
    both(lambda L: L.zeros(3, 5, dtype=L.bool).scatter(0, L.tensor([[0, 1]]), True))
    both(lambda L: L.tensor(1.0).scatter(0, L.tensor(0), L.tensor(5.0)))
    both(lambda L, t: t.scatter(1, L.zeros(3, 0, dtype=L.long), 5.0), x)


def test_scatter_inplace_and_out():
    x = _rand(3, 5)
    src = _rand(2, 5, seed=1)
    both(lambda L, t, s: t.clone().scatter_(0, L.tensor([[0, 1, 2, 0]]), s), x, src)
    both(lambda L, t: t.clone().scatter_(1, L.tensor([[0, 1]]), 9.0), x)
    both(lambda L, t, s: L.scatter(t, 0, L.tensor([[0, 1, 2, 0]]), s, out=L.empty(3, 5)), x, src)
    xt = x.clone()
    xj = to_tj(xt)
    v0 = xj._version
    xj.scatter_(0, torchjax.tensor([[0]]), 1.0)
    assert xj._version == v0 + 1
    # through a view: the base sees the write
    bt, bj = x.clone(), to_tj(x.clone())
    bt[1:].scatter_(1, torch.tensor([[0], [1]]), -7.0)
    bj[1:].scatter_(1, torchjax.tensor([[0], [1]]), -7.0)
    assert_same(bj, bt)


def test_scatter_reduce_argument():
    x = _rand(3, 5)
    src = _rand(2, 5, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for red in ("add", "multiply"):
            both(
                lambda L, t, s: t.scatter(0, L.tensor([[0, 1, 0, 0], [0, 0, 2, 0]]), s, reduce=red),
                x,
                src,
            )
            both(lambda L, t: t.scatter(0, L.tensor([[0, 1, 0, 0]]), 2.0, reduce=red), x)
            both(lambda L, t: t.clone().scatter_(1, L.tensor([[0, 0]]), 3.0, reduce=red), x)
        both(lambda L, t, s: t.scatter(0, L.tensor([[0]]), s, reduce="mean"), x, src, **MSG)


def test_scatter_add():
    x = _rand(3, 5)
    src = _rand(2, 5, seed=1)
    idx = [[0, 1, 0, 0, 2], [0, 0, 0, 1, 2]]
    check_grad(lambda L, t, s: t.scatter_add(0, L.tensor(idx), s), x, src)
    both(lambda L, t, s: L.scatter_add(t, 1, L.tensor([[1, 1], [0, 4]]), s), x, src)
    check_grad(
        lambda L, t, s: L.scatter_add(t, 1, L.tensor([[1, 1, 1, 1, 1], [0, 4, 4, 0, 2]]), s), x, src
    )
    both(lambda L, t, s: t.clone().scatter_add_(0, L.tensor(idx), s), x, src)
    both(
        lambda L: L.zeros(3, dtype=L.long).scatter_add(0, L.tensor([0, 0, 2]), L.tensor([1, 2, 3]))
    )
    both(lambda L, t, s: t.scatter_add(0, L.tensor(idx), s.double()), x, src, **MSG)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce(reduce, include_self):
    x = _rand(3, 5)
    src = _rand(2, 5, seed=1)
    src[0, 2] = 0.0  # a zero for prod's gradient
    x[1, 1] = src[1, 1]  # a tie between self and src for amax/amin
    idx = torch.tensor([[0, 1, 0, 0, 2], [0, 1, 0, 1, 2]])
    check_grad(
        lambda L, t, s: t.scatter_reduce(
            0, L.tensor(idx.tolist()), s, reduce, include_self=include_self
        ),
        x,
        src,
    )
    xi = torch.tensor([[1, -4, 7, 2, 0], [3, 3, -2, 5, 1], [0, 0, 0, 0, 0]])
    si = torch.tensor([[5, -3, 2, 8, 1], [-7, 4, 4, 1, 9]])
    both(
        lambda L, t, s: L.scatter_reduce(
            t, 0, L.tensor(idx.tolist()), s, reduce, include_self=include_self
        ),
        xi,
        si,
    )
    both(
        lambda L, t, s: t.clone().scatter_reduce_(
            1, L.tensor([[0, 0], [4, 4]]), s, reduce, include_self=include_self
        ),
        x,
        src,
    )


def test_scatter_errors():
    x = torch.zeros(3, 5)
    src = torch.arange(1, 11.0).reshape(2, 5)
    for f in (
        lambda L, t, s: t.scatter(0, L.tensor([[0, 1, 3, 0]]), s),
        lambda L, t, s: t.scatter(0, L.tensor([[0, 1, -1, 0]]), s),
        lambda L, t, s: t.scatter(0, L.tensor([[0, 1, 2, 0, 0, 0]]), s),
        lambda L, t, s: t.scatter(0, L.tensor([[0, 1, 2, 0], [0, 0, 0, 0], [1, 1, 1, 1]]), s),
        lambda L, t, s: t.scatter(0, L.tensor([0, 1, 2, 0]), s),
        lambda L, t, s: t.scatter(0, L.tensor([[0, 1, 2, 0]]), s.double()),
        lambda L, t, s: t.scatter(0, L.tensor([[0, 1, 2, 0]]), L.tensor(2.7)),
        lambda L, t, s: t.scatter(0, L.tensor([[0.0]]), s),
        lambda L, t, s: t.scatter(2, L.tensor([[0]]), s),
        lambda L, t, s: t.scatter(0, L.tensor([[0]]), s, reduce="foo"),
        lambda L, t, s: t.scatter_add(0, L.tensor([[3]]), s),
        lambda L, t, s: t.scatter_reduce(0, L.tensor([[0]]), s, "foo"),
        lambda L, t, s: t.scatter_reduce(0, L.tensor([[5]]), s, "sum"),
        lambda L, t, s: t.scatter(1, L.tensor([[5]]), 1.0),
        lambda L, t, s: t.scatter(0, L.tensor([[0, 0, 0, 0, 0, 0]]), 1.0),
    ):
        both(f, x, src, **MSG)


# ------------------------------------------------------------------ index_select / index_add / index_copy / index_fill / index_reduce


def test_index_select():
    x = _rand(3, 4)
    for dim, idx in ((0, [2, 0, 2]), (1, [3]), (-1, [1, 1, 0]), (0, [])):
        check_grad(lambda L, t: t.index_select(dim, L.tensor(idx, dtype=L.long)), x)
    check_grad(lambda L, t: L.index_select(t, 1, L.tensor(2)), x)
    check_grad(lambda L, t: L.index_select(t, 0, L.tensor([1], dtype=L.int32)), x)
    both(lambda L: L.tensor(5.0).index_select(0, L.tensor([0])))
    both(lambda L: L.tensor(5.0).index_select(0, L.tensor(0)))
    both(lambda L, t: L.index_select(t, 0, L.tensor([1]), out=L.empty(1, 4)), x)
    for f in (
        lambda L, t: t.index_select(1, L.tensor([[2]])),
        lambda L, t: t.index_select(1, L.tensor([2.0])),
        lambda L, t: t.index_select(1, L.tensor([4])),
        lambda L, t: t.index_select(1, L.tensor([-1])),
        lambda L, t: t.index_select(2, L.tensor([0])),
    ):
        both(f, x, **MSG)


def test_index_add_copy_fill():
    x = _rand(3, 4)
    s = _rand(3, 2, seed=1)
    check_grad(lambda L, t, u: t.index_add(1, L.tensor([0, 0]), u), x, s)
    check_grad(lambda L, t, u: L.index_add(t, 1, L.tensor([3, 1]), u, alpha=-2.5), x, s)
    check_grad(lambda L, t, u: t.index_add(0, L.tensor([2, 2]), u.new_ones(2, 4) * u[0, 0]), x, s)
    check_grad(lambda L, t, u: t.index_copy(1, L.tensor([2, 0]), u), x, s)
    check_grad(
        lambda L, t, u: L.index_copy(t, 1, L.tensor([1, 1]), u), x, s
    )  # duplicates: last wins
    check_grad(lambda L, t: t.index_fill(1, L.tensor([0, 2]), -1.0), x)
    check_grad(lambda L, t: t.index_fill(1, L.tensor([-1]), L.tensor(7.0)), x)
    check_grad(lambda L, t, v: L.index_fill(t, 0, L.tensor([1]), v.sum()), x, s)
    both(
        lambda L: (
            L.arange(6)
            .reshape(2, 3)
            .index_add(1, L.tensor([0, 0]), L.ones(2, 2, dtype=L.long), alpha=2)
        )
    )
    both(lambda L: L.arange(6).reshape(2, 3).index_fill(1, L.tensor([0, 2]), 2.5))
    both(lambda L: L.tensor(1.0).index_add(0, L.tensor([0]), L.tensor(5.0)))
    both(lambda L: L.tensor(1.0).index_copy(0, L.tensor([0]), L.tensor(5.0)))
    both(lambda L: L.tensor(1.0).index_fill(0, L.tensor([0]), 5.0))
    both(lambda L, t, u: t.clone().index_add_(1, L.tensor([0, 0]), u), x, s)
    both(lambda L, t, u: t.clone().index_copy_(1, L.tensor([0, 3]), u), x, s)
    both(lambda L, t: t.clone().index_fill_(0, L.tensor([0, 2]), 0.0), x)
    for f in (
        lambda L, t, u: t.index_add(1, L.tensor([0, 0]), L.ones(2, 3)),
        lambda L, t, u: t.index_add(1, L.tensor([0, 4]), u),
        lambda L, t, u: t.index_add(1, L.tensor([0, -1]), u),
        lambda L, t, u: t.index_add(1, L.tensor([0, 0]), u.double()),
        lambda L, t, u: t.index_add(1, L.tensor([0.0, 0]), u),
        lambda L, t, u: t.index_add(1, L.tensor([[0, 0]]), u),
        lambda L, t, u: t.index_add(1, L.tensor([0, 1]), L.ones(4, 2)),
        lambda L, t, u: t.index_copy(1, L.tensor([0, 2]), u.double()),
        lambda L, t, u: t.index_copy(1, L.tensor([0, 5]), u),
        lambda L, t, u: t.index_copy(1, L.tensor([0, -1]), u),
        lambda L, t, u: t.index_copy(1, L.tensor([0, 2], dtype=L.int32), u),
        lambda L, t, u: t.index_copy(1, L.tensor([0, 2, 1]), u),
        lambda L, t, u: t.index_fill(1, L.tensor([0, 2]), L.tensor([-1.0])),
        lambda L, t, u: t.index_fill(1, L.tensor([0, 4]), -1),
        lambda L, t, u: t.index_fill(1, L.tensor([0, -5]), -1),
        lambda L, t, u: t.index_fill(1, L.tensor([0], dtype=L.int32), -1),
    ):
        both(f, x, s, **MSG)


@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
def test_index_reduce(reduce):
    x = _rand(3, 4)
    s = _rand(3, 3, seed=1)
    s[1, 0] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for inc in (True, False):
            check_grad(
                lambda L, t, u: t.index_reduce(1, L.tensor([0, 2, 0]), u, reduce, include_self=inc),
                x,
                s,
            )
            both(
                lambda L: (
                    L.arange(12)
                    .reshape(3, 4)
                    .index_reduce(
                        1,
                        L.tensor([0, 0, 3]),
                        L.arange(9).reshape(3, 3) - 4,
                        reduce,
                        include_self=inc,
                    )
                )
            )
        both(
            lambda L, t, u: t.clone().index_reduce_(
                0, L.tensor([1, 1, 1]), u[:, :1].expand(3, 4).contiguous(), reduce
            ),
            x,
            s,
        )
        for f in (
            lambda L, t, u: t.index_reduce(1, L.tensor([0, 2, 0]), u, "sum"),
            lambda L, t, u: t.index_reduce(1, L.tensor([0, 4, 0]), u, reduce),
            lambda L, t, u: t.index_reduce(1, L.tensor([0, -1, 0]), u, reduce),
            lambda L, t, u: t.index_reduce(1, L.tensor([0, 2, 0]), u.double(), reduce),
            lambda L, t, u: t.index_reduce(1, L.tensor([0, 2]), u, reduce),
            lambda L, t, u: t.index_reduce(1, L.tensor([0.0, 2, 0]), u, reduce),
        ):
            both(f, x, s, **MSG)


# ------------------------------------------------------------------ masked_scatter / put


def test_masked_scatter():
    x = _rand(2, 3)
    src = _rand(10, seed=1)
    check_grad(lambda L, t, s: t.masked_scatter(t > 0, s), x, src)
    check_grad(lambda L, t, s: L.masked_scatter(t, L.tensor([True, False, True]), s), x, src)
    check_grad(lambda L, t, s: t[0].masked_scatter(t > 0, s), x, src)  # mask broadcasts the input
    both(lambda L, t, s: t.clone().masked_scatter_(t > 0, s.reshape(2, 5)), x, src)
    for f in (
        lambda L, t, s: t.masked_scatter(t > -10, s[:2]),
        lambda L, t, s: t.masked_scatter(t > 0, s.double()),
        lambda L, t, s: t.masked_scatter((t > 0).int(), s),
        lambda L, t, s: t.clone().masked_scatter_(L.ones(2, 2, 3, dtype=L.bool), s),
    ):
        both(f, x, src, **MSG)


def test_put():
    x = _rand(2, 3)
    check_grad(lambda L, t, s: t.put(L.tensor([0, 5, -1]), s[:3]), x, _rand(4, seed=1))
    check_grad(lambda L, t, s: t.put(L.tensor([1, 1]), s[:2], accumulate=True), x, _rand(4, seed=1))
    check_grad(lambda L, t, s: L.put(t, L.tensor([[0, 1]]), s[:2]), x, _rand(4, seed=1))
    check_grad(
        lambda L, t, s: t.put(L.tensor([2, 2, 2]), s[:3]), x, _rand(4, seed=1)
    )  # last write wins
    both(lambda L, t: t.clone().put_(L.tensor([0, 0]), L.tensor([7.0, 8.0]), accumulate=True), x)
    both(lambda L, t: t.t().clone().put_(L.tensor([1]), L.tensor([7.0])), x)
    for f in (
        lambda L, t: t.put(L.tensor([0, 6]), L.tensor([7.0, 8.0])),
        lambda L, t: t.put(L.tensor([-7]), L.tensor([7.0])),
        lambda L, t: t.put(L.tensor([0]), L.tensor([7.0, 8])),
        lambda L, t: t.put(L.tensor([0.0]), L.tensor([7.0])),
        lambda L, t: t.put(L.tensor([0], dtype=L.int32), L.tensor([7.0])),
        lambda L, t: t.put(L.tensor([0]), L.tensor([7])),
    ):
        both(f, x, **MSG)


def test_bool_tensors():
    """torch's add on bool is a logical or, multiply a logical and; mean/index_reduce refuse bool."""
    idx, v = torch.tensor([0, 0, 1]), torch.tensor([True, False, True])
    for f in (
        lambda L, i, s: L.zeros(2, dtype=L.bool).scatter_add(0, i[:2], s[:2]),
        lambda L, i, s: L.ones(3, dtype=L.bool).scatter_reduce(0, i, s, "prod"),
        lambda L, i, s: L.ones(3, dtype=L.bool).scatter_reduce(0, i, s, "amin", include_self=False),
        lambda L, i, s: L.ones(3, dtype=L.bool).scatter_reduce(0, i, ~s, "sum", include_self=False),
        lambda L, i, s: L.zeros(3, dtype=L.bool).index_add(0, i, s),
        lambda L, i, s: L.zeros(3, dtype=L.bool).put(i, s, accumulate=True),
        lambda L, i, s: L.zeros(3, dtype=L.bool).index_put((i,), s, accumulate=True),
        lambda L, i, s: L.ones(3, dtype=L.bool).scatter(0, i, ~s, reduce="multiply"),
        lambda L, i, s: L.zeros(3, dtype=L.bool).scatter(0, i, s, reduce="add"),
        lambda L, i, s: L.zeros(3, dtype=L.bool).scatter_reduce(0, i, s, "mean"),
        lambda L, i, s: L.ones(3, dtype=L.bool).index_reduce(0, i, s, "prod"),
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            both(f, idx, v, **MSG)


def test_scatter_ops_exist_under_torch_names():
    for name in (
        "gather",
        "scatter",
        "scatter_add",
        "scatter_reduce",
        "index_select",
        "index_add",
        "index_copy",
        "index_fill",
        "index_reduce",
        "masked_scatter",
        "put",
        "take",
        "index_put",
        "index_put_",
        "masked_fill",
        "masked_select",
        "nonzero",
        "_unsafe_masked_index",
    ):
        assert hasattr(torchjax, name), name
    for name in (
        "gather",
        "scatter",
        "scatter_",
        "scatter_add",
        "scatter_add_",
        "scatter_reduce",
        "scatter_reduce_",
        "index_select",
        "index_add",
        "index_add_",
        "index_copy",
        "index_copy_",
        "index_fill",
        "index_fill_",
        "index_reduce",
        "index_reduce_",
        "masked_scatter",
        "masked_scatter_",
        "put",
        "put_",
        "index_put",
        "index_put_",
        "masked_fill",
        "masked_fill_",
        "masked_select",
    ):
        assert hasattr(torchjax.Tensor, name), name


def test_bounds_checks_skipped_inside_compiled_region():
    """Inside jax tracing the host bounds check is skipped (values are not known)."""
    import jax

    xj = torchjax.arange(6.0).reshape(2, 3)

    def f(v, i):
        t = torchjax.from_jax(v) if hasattr(torchjax, "from_jax") else torchjax.Tensor(v)
        return t.gather(1, torchjax.from_jax(i)).jax()

    out = jax.jit(f)(xj.jax(), torchjax.tensor([[0, 2], [1, 1]]).jax())
    assert out.tolist() == [[0.0, 2.0], [4.0, 4.0]]
