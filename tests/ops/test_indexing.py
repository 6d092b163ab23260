"""x[...] and x[...] = v, index_put, masked_fill/masked_select, nonzero against torch 2.13:
values, layouts and aliasing of basic indexing, grad_fns, gradients, dtype casting and errors."""

# The lambdas built in loops below are called at once, inside their iteration:
# ruff: noqa: B023
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax

MSG = dict(check_message=True)
X = torch.arange(24.0).reshape(2, 3, 4)


def _rand(*shape, seed=0):
    return torch.randn(tuple(shape), generator=torch.Generator().manual_seed(seed))


def _conv(idx):
    return to_tj(idx) if not isinstance(idx, (np.ndarray, range)) else idx


def check_get(idx, x=X):
    """torch's result for x[idx]: values, strides, view-ness, grad_fn name and gradient."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xt = x.clone().requires_grad_()
        xj = to_tj(xt)
        a, b = xt[idx], xj[_conv(idx)]
    assert_same(b, a.detach(), check_stride=True)
    assert (b._base is not None) == (a._base is not None)
    assert b.storage_offset() == a.storage_offset() or a._base is None
    assert type(b.grad_fn).__name__ == type(a.grad_fn).__name__
    w = _rand(*a.shape, seed=1)
    (a * w).sum().backward()
    (b * to_tj(w)).sum().backward()
    assert_same(xj.grad, xt.grad)


BASIC = [
    0,
    -1,
    (1,),
    (0, 1),
    (0, 1, 2),
    (1, -1, -4),
    slice(None),
    slice(1, None),
    slice(None, None, 2),
    slice(-10, 10),
    slice(5, 1),
    slice(1, 3, 5),
    None,
    (None, 0),
    (..., 1),
    (..., None),
    (0, ..., 1),
    (..., ...),
    (1, None, ..., None, 2),
    (),
    (slice(None), slice(None)),
    (slice(0, 1), slice(None), 3),
    (np.int64(1),),
    (np.int64(0), slice(np.int64(1), None)),
    (slice(None), 0, slice(1, None, 2)),
]


@pytest.mark.parametrize("idx", BASIC, ids=[repr(i) for i in BASIC])
def test_basic_getitem_views(idx):
    check_get(idx)
    check_get(idx, X.transpose(0, 2).contiguous().transpose(0, 2))  # non-contiguous input


ADV = [
    torch.tensor(1),
    torch.tensor([1, 0]),
    torch.tensor([[1, 0], [0, 1]]),
    torch.tensor([-1, 1]),
    [0, 1],
    [[0, 1]],
    [0, [1]],
    ([0, 1],),
    ([0, 1], [1, 2]),
    ([0, 1], slice(None), [1, 2]),
    (slice(None), [0, 2], [1, 3]),
    (0, [0, 2], [1, 3]),
    ([0, 1], 0, [1, 3]),
    ([[0], [1]], [1, 2]),
    (X[:, :, 0] > 5,),
    (X[0] > 5,),
    (X > 5,),
    (X[:, 0] > 2,),
    (slice(None), X[0, :, 0] > 2),
    (X[0, :, 0] > 2).to(torch.uint8),
    np.array([0, 1]),
    (np.array([0, 1]), 1),
    (torch.tensor([True, False]), torch.tensor([1])),
    (torch.tensor([1, 0]), None, torch.tensor([0, 1])),
    ([],),
    (torch.tensor([], dtype=torch.long),),
    (slice(None), torch.tensor([0, 1]).int()),
    True,
    False,
    (True, 0),
    (0, True),
    (False,),
    (None, True),
    torch.tensor(True),
    torch.tensor(False),
    (torch.tensor(1), torch.tensor(2)),
    (slice(torch.tensor(1), None),),
    (Ellipsis, torch.tensor([0, 1]), None),
    (torch.tensor([0, 1]), ..., torch.tensor([0, 1])),
    [True, False],
    (X[0, 0] > 1,),
    torch.tensor([[[True]]]),
    range(2),
    (0, torch.tensor([-4])),
    (torch.tensor([[0, 1]]), torch.tensor([[2], [0]])),
]


@pytest.mark.parametrize("idx", ADV, ids=[f"adv{i}" for i in range(len(ADV))])
def test_advanced_getitem(idx):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            X.clone()[idx]
    except IndexError:
        both(
            lambda L, t: t[idx if L is torch else _conv(idx)], X, **MSG
        )  # torch refuses it: so must we
        return
    check_get(idx)


BAD_GET = [
    5,
    -3,
    (0, 3),
    (0, 0, 4),
    (0, 0, 0, 0),
    slice(None, None, -1),
    slice(None, None, 0),
    1.0,
    (0, 1.5),
    torch.tensor([1.0]),
    "a",
    torch.tensor([2]),
    torch.tensor([3]),
    (0, torch.tensor([-5])),
    X[0] > 5,
    (X[0, 0] > 1, X[0, 0] > 1),
    (0, [0, 3]),
    torch.tensor([[1, 2]]).float(),
    (slice(None), torch.tensor([-5])),
    (1, torch.tensor([1]), torch.tensor([4])),
    (X[:, 0] > 2,),
    (0, 1, torch.tensor([4])),
]


@pytest.mark.parametrize("idx", BAD_GET, ids=[f"bad{i}" for i in range(len(BAD_GET))])
def test_getitem_errors(idx):
    both(lambda L, t: t[idx if L is torch else _conv(idx)], X, **MSG)


def test_getitem_list_warning_and_aliasing():
    xj = to_tj(X.clone())
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        xj[[0, slice(None)]]
    assert any("non-tuple sequence" in str(m.message) for m in w)
    # a basic index is a view: writes go both ways
    xt = X.clone()
    xj = to_tj(xt)
    vt, vj = xt[1, :, ::2], xj[1, :, ::2]
    vt.mul_(-1)
    vj.mul_(-1)
    assert_same(xj, xt)
    xt[1, 0, 0] = 100.0
    xj[1, 0, 0] = 100.0
    assert_same(vj, vt)
    assert vj.data_ptr() - xj.data_ptr() == vt.data_ptr() - xt.data_ptr()
    # an advanced index copies
    at, aj = xt[[0]], xj[[0]]
    aj.fill_(0)
    at.fill_(0)
    assert_same(xj, xt)


SET = [
    (0, 1.5),
    ((0, 1), torch.tensor([9.0, 8, 7, 6])),
    ((0, 1), torch.tensor([[9.0, 8, 7, 6]])),
    ((0, 1), torch.tensor([[9.0], [8.0]])),
    (slice(None), torch.tensor(5)),
    ((..., 0), torch.tensor([1, 2, 3])),
    ((..., 0), torch.tensor([1, 2])),
    (None, 3.0),
    (True, 2.0),
    (False, 2.0),
    (torch.tensor([1, 0]), torch.tensor([1.0, 2, 3, 4])),
    ([0, 0], torch.tensor([[1.0, 2, 3, 4]]).expand(3, 4)),
    (([0, 1], [1, 2]), 7.0),
    (([0, 1], [1, 2]), torch.tensor([[1.0, 2, 3, 4], [5, 6, 7, 8]])),
    ((X > 10,), -1.0),
    ((X > 10,), torch.tensor(-1.0)),
    ((X > 100,), torch.tensor([])),
    ((X > 10,), torch.arange(13.0)),
    ((X > 10,), torch.arange(12.0)),
    ((slice(None), [0, 2]), torch.ones(2, 2, 4)),
    ((slice(None), [0, 2], slice(1, 3)), torch.ones(2, 2, 2) * 3),
    (0, torch.ones(3, 4, dtype=torch.int64)),
    (0, torch.ones(3, 4, dtype=torch.float64)),
    (([0],), torch.ones(1, 3, 4, dtype=torch.float64)),
    ((0, 0, 0), 1 + 2j),
    ((0, 0, 0), torch.tensor([1.0])),
    (([0, 1],), torch.ones(3, 3, 4)),
    (torch.tensor([5]), 1.0),
    ((slice(None, None, 2),), torch.zeros(1, 3, 4)),
    ((0, slice(None, None, -1)), 1.0),
    ((1, torch.tensor([0, 0, 0])), torch.arange(12.0).reshape(3, 4)),
    ((X[:, :, 0] > 5,), 1.0),
    ((X[:, :, 0] > 5, 1), torch.tensor([100.0])),
    (([1, 0], [2, 2], [3, 3]), torch.tensor([1.0, 2.0])),
    (..., torch.zeros(4)),
    ((), 3.0),
    ([[0, 1], [1, 2]], 5.0),
    ((torch.tensor([0, 1]).int(),), 1.0),
    (np.array([1]), 2.0),
    ((0, [0, 1]), np.float64(3.0)),
    (0, [1.0, 2.0, 3.0, 4.0]),
    (0, np.float32(1)),
    (0, np.ones(4)),
    (0, None),
    ((X >= 0,), torch.tensor(1.0, dtype=torch.float64)),
    ((X >= 0,), torch.ones(24, dtype=torch.float64)),
    ([0], torch.tensor(1.0, dtype=torch.float64)),
    (0, np.int64(4)),
    (0, 1e300),
    (0, float("inf")),
]


@pytest.mark.parametrize("idx,val", SET, ids=[f"set{i}" for i in range(len(SET))])
def test_setitem(idx, val):
    def f(L, t, v):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t[idx if L is torch else _conv(idx)] = v
        return t

    both(f, X.clone(), val, **MSG)


@pytest.mark.parametrize(
    "dt,val",
    [
        (torch.int64, 2.7),
        (torch.int64, float("nan")),
        (torch.int64, 1e30),
        (torch.int64, 2**70),
        (torch.uint8, 300),
        (torch.uint8, -1),
        (torch.uint8, -129),
        (torch.int8, 127.9),
        (torch.int8, -128),
        (torch.bool, 2.5),
        (torch.int32, 1j),
        (torch.float16, 1e10),
        (torch.float64, 1j),
        (torch.complex64, 1 + 1j),
    ],
)
def test_setitem_scalar_conversion(dt, val):
    both(lambda L, t: (t.__setitem__(0, val), t)[1], torch.zeros(3, dtype=dt), **MSG)
    both(lambda L, t: (t.__setitem__([1], val), t)[1], torch.zeros(3, dtype=dt), **MSG)


@pytest.mark.parametrize(
    "idx",
    [
        (0, 1),
        (slice(None), [0, 2]),
        "mask",
        ([0, 1], [1, 2]),
        (0,),
        (slice(None),),
        (..., 1),
        (None, 0),
    ],
)
@pytest.mark.parametrize("scalar", [False, True])
def test_setitem_autograd(idx, scalar):
    if isinstance(idx, str):
        idx = (X > 10,)
    res = {}
    for L in (torch, torchjax):
        a = to_tj(X.clone().requires_grad_()) if L is torchjax else X.clone().requires_grad_()
        y = a * 2
        ii = _conv(idx) if L is torchjax else idx
        shape = tuple(y[ii].shape)
        v = torch.linspace(-1, 1, int(np.prod(shape))).reshape(shape).requires_grad_()
        if L is torchjax:
            v = to_tj(v)
        if scalar:
            y[ii] = 3.0
        else:
            y[ii] = v * 5
        w = torch.arange(24.0).reshape(2, 3, 4)
        (y * (to_tj(w) if L is torchjax else w)).sum().backward()
        res[L] = (y.detach(), a.grad, None if scalar else v.grad, type(y.grad_fn).__name__)
    (yt, gat, gvt, nt), (yj, gaj, gvj, nj) = res[torch], res[torchjax]
    assert_same(yj, yt)
    assert_same(gaj, gat)
    if not scalar:
        assert_same(gvj, gvt)
    if not (
        scalar and nt.startswith("Fill")
    ):  # torch: FillBackward3 (fill_ with a Tensor); see report
        assert nj == nt


def test_setitem_through_views_and_versions():
    xt = X.clone()
    xj = to_tj(xt)
    vt, vj = xt[0], xj[0]
    vt[1:, ::2] = -1.0
    vj[1:, ::2] = -1.0
    assert_same(xj, xt)
    assert xj._version == xt._version
    vt[[0, 1], [0, 1]] = 9.0
    vj[[0, 1], [0, 1]] = 9.0
    assert_same(xj, xt)
    both(lambda L, t: t.expand(2, 3)[0].__setitem__(0, 1.0), torch.zeros(3))  # overlapping view


# ------------------------------------------------------------------ index_put


def test_index_put():
    x = _rand(3, 4)
    v = _rand(2, 4, seed=1)
    for f in (
        lambda L, t, u: t.index_put((L.tensor([0, 2]),), u),
        lambda L, t, u: L.index_put(t, (L.tensor([0, 0]),), u, accumulate=True),
        lambda L, t, u: t.index_put([L.tensor([0, 1]), L.tensor([3, 3])], u[0, :2], True),
        lambda L, t, u: t.index_put((t > 0,), u.sum()),
        lambda L, t, u: t.index_put((L.tensor([[0, 0]]).int(),), u[:1]),
    ):
        xt, vt = x.clone().requires_grad_(), v.clone().requires_grad_()
        xj, vj = to_tj(xt), to_tj(vt)
        a, b = f(torch, xt, vt), f(torchjax, xj, vj)
        assert_same(b, a.detach())
        assert type(b.grad_fn).__name__ == type(a.grad_fn).__name__ == "IndexPutBackward0"
        w = _rand(3, 4, seed=3)
        (a * w).sum().backward()
        (b * to_tj(w)).sum().backward()
        assert_same(xj.grad, xt.grad)
        assert_same(vj.grad, vt.grad)
    both(lambda L, t, u: t.clone().index_put_((L.tensor([0, 2]),), u), x, v)
    both(lambda L, t, u: L.index_put_(t.clone(), (L.tensor([1, 1]),), u, True), x, v)
    for f in (
        lambda L, t, u: t.index_put((L.tensor([0, 1]),), u[0, :2]),
        lambda L, t, u: t.index_put((L.tensor([0, 1]),), u[0, :3]),
        lambda L, t, u: t.index_put((L.tensor([0, 1]),) * 3, u[0, :2]),
        lambda L, t, u: t.index_put((L.tensor([0, 5]),), u),
        lambda L, t, u: t.index_put((L.tensor([0.0, 1]),), u),
        lambda L, t, u: t.index_put((L.tensor([0, 1]),), u.double()),
        lambda L, t, u: t.index_put((None, L.tensor([0, 1])), u[0, :2]),
        lambda L, t, u: t.index_put(L.tensor([0, 0]), u),
        lambda L, t, u: t.index_put((t[0] > 0,), u),
    ):
        both(f, x, v, **MSG)


# ------------------------------------------------------------------ masked_fill / masked_select


def test_masked_fill():
    x = _rand(2, 3)
    for f in (
        lambda L, t: t.masked_fill(t > 0, 9.0),
        lambda L, t: L.masked_fill(t, t[0] > 0, -1),
        lambda L, t: t.masked_fill(t > 0, L.tensor(9.5)),
        lambda L, t: t.masked_fill(t > 0, L.tensor(2.0).double()),
    ):
        xt = x.clone().requires_grad_()
        xj = to_tj(xt)
        a, b = f(torch, xt), f(torchjax, xj)
        assert_same(b, a.detach())
        assert type(b.grad_fn).__name__ == type(a.grad_fn).__name__
        (a * 3).sum().backward()
        (b * 3).sum().backward()
        assert_same(xj.grad, xt.grad)
    vt = torch.tensor(2.0, requires_grad=True)
    vj = to_tj(vt)
    (x.masked_fill(x > 0, vt) * 2).sum().backward()
    (to_tj(x).masked_fill(to_tj(x) > 0, vj) * 2).sum().backward()
    assert_same(vj.grad, vt.grad)
    both(lambda L, t: t[0].masked_fill(t > 0, 9.0), x)  # broadcasts the input
    both(lambda L, t: t.long().masked_fill(t > 0, 9.5), x)
    both(lambda L, t: t.long().masked_fill(t > 0, L.tensor(9.5)), x)
    both(lambda L, t: t.clone().masked_fill_(t > 0, 1.0), x)
    for f in (
        lambda L, t: t[0].masked_fill_(t > 0, 9.0),
        lambda L, t: t.masked_fill((t > 0).int(), 9),
        lambda L, t: t.masked_fill(t > 0, L.tensor([9.0])),
        lambda L, t: t.masked_fill(t > 0, 1 + 2j),
    ):
        both(f, x, **MSG)


def test_masked_select():
    x = _rand(2, 3)
    for f in (
        lambda L, t: t.masked_select(t > 0),
        lambda L, t: L.masked_select(t, t[0] > 0),
        lambda L, t: t[0].masked_select(t > 0),
        lambda L, t: t.t().masked_select(t.t() > 0),
    ):
        xt = x.clone().requires_grad_()
        xj = to_tj(xt)
        a, b = f(torch, xt), f(torchjax, xj)
        assert_same(b, a.detach())
        assert type(b.grad_fn).__name__ == type(a.grad_fn).__name__
        (a * torch.arange(float(a.numel()))).sum().backward()
        (b * torchjax.arange(float(b.numel()))).sum().backward()
        assert_same(xj.grad, xt.grad)
    both(lambda L, t: L.masked_select(t, t > 0, out=L.empty(0)), x)
    both(lambda L, t: t.masked_select((t > 0).int()), x, **MSG)


# ------------------------------------------------------------------ nonzero / argwhere / nonzero_static / _unsafe_masked_index


def test_nonzero_family():
    for x in (
        torch.tensor([[1, 0], [0, 2]]),
        torch.tensor(3.0),
        torch.tensor(0.0),
        torch.zeros(2, 0),
        torch.tensor([1, 0, 2]),
        torch.tensor([[True, False, True]]),
    ):
        both(lambda L, t: t.nonzero(), x)
        both(lambda L, t: L.nonzero(t, as_tuple=True), x)
        both(lambda L, t: L.argwhere(t), x)
        for size, fill in ((4, -1), (1, -5), (0, -1)):
            both(lambda L, t: L.nonzero_static(t, size=size, fill_value=fill), x)
    both(lambda L: L.nonzero(L.tensor([1, 0]), out=L.empty(0, dtype=L.long)))
    both(lambda L: L.nonzero_static(L.tensor([1]), size=-1), **MSG)


def test_unsafe_masked_index():
    x = _rand(3, 4)
    mask = torch.tensor([[True, False, True, True]])
    idx = [torch.tensor([[0], [2], [5]]), torch.tensor([[1, 3, -9, 2]])]
    xt = x.clone().requires_grad_()
    xj = to_tj(xt)
    a = torch._unsafe_masked_index(xt, mask, idx, 0.5)
    b = torchjax._unsafe_masked_index(xj, to_tj(mask), to_tj(idx), 0.5)
    assert_same(b, a.detach())
    assert type(b.grad_fn).__name__ == type(a.grad_fn).__name__
    a.sum().backward()
    b.sum().backward()
    assert_same(xj.grad, xt.grad)
    vals = _rand(3, 4, seed=2)
    both(
        lambda L, t, m, i0, i1, v: L._unsafe_masked_index_put_accumulate(t, m, [i0, i1], v),
        x,
        mask,
        idx[0],
        idx[1],
        vals,
    )
