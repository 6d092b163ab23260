"""Joining, tiling, rearranging and padding ops against torch 2.13: values, dtypes, shapes,
grad_fn chains, gradients and errors."""

# The lambdas built in loops below are called at once, inside their iteration:
# ruff: noqa: B023
from __future__ import annotations

import warnings

import pytest
import torch
import torch.nn.functional as TF
from _compare import assert_same, both, to_tj

import torchjax
import torchjax.nn.functional as JF

MSG = dict(check_message=True)


def _rand(*shape, dtype=torch.float32, seed=0):
    g = torch.Generator().manual_seed(seed)
    if dtype.is_floating_point or dtype.is_complex:
        return torch.randn(tuple(shape), generator=g, dtype=dtype)
    return torch.randint(-5, 5, tuple(shape), generator=g, dtype=dtype)


def _chain(t, n=3):
    out, fn = [], t.grad_fn
    while fn is not None and len(out) < n:
        out.append(type(fn).__name__)
        nxt = [f for f, _ in fn.next_functions if f is not None]
        fn = nxt[0] if nxt else None
    return out


def check_grad(fn, *xs, check_stride=False, depth=3):
    """``fn(lib, *xs)``: same value, grad_fn chain and input gradients as torch."""
    xt = [x.detach().clone().requires_grad_() if x.is_floating_point() else x for x in xs]
    xj = [to_tj(x) for x in xt]
    a, b = fn(torch, *xt), fn(torchjax, *xj)
    outs_a = list(a) if isinstance(a, (tuple, list)) else [a]
    outs_b = list(b) if isinstance(b, (tuple, list)) else [b]
    assert_same(outs_b, [o.detach() for o in outs_a], check_stride=check_stride)
    for p, q in zip(outs_a, outs_b):
        assert _chain(q, depth) == _chain(p, depth), f"{_chain(q)} != torch {_chain(p)}"
    ws = [_rand(*o.shape, seed=i + 3) for i, o in enumerate(outs_a)]
    sum((o * w).sum() for o, w in zip(outs_a, ws) if o.requires_grad).backward()
    sum((o * to_tj(w)).sum() for o, w in zip(outs_b, ws) if o.requires_grad).backward()
    for p, q in zip(xt, xj):
        if p.requires_grad:
            assert_same(q.grad, p.grad)


A = _rand(2, 3)
B = _rand(1, 3, seed=1)


# ------------------------------------------------------------------ cat / stack


def test_cat_values_and_grads():
    check_grad(lambda L, a, b: L.cat([a, b]), A, B)
    check_grad(lambda L, a, b: L.cat((a, b.expand(2, 3)), 1), A, B)
    check_grad(lambda L, a, b: L.concat([a, b], dim=-2), A, B)
    check_grad(lambda L, a, b: L.concatenate([a, b], axis=0), A, B)
    check_grad(lambda L, a, b: L.cat([a.t(), b.t()], 1), A, B, check_stride=True)
    check_grad(lambda L, a: L.cat([a]), A)


@pytest.mark.parametrize(
    "dts",
    [
        (torch.float32, torch.int64),
        (torch.int8, torch.uint8),
        (torch.bool, torch.bool),
        (torch.int32, torch.uint8),
        (torch.float16, torch.bfloat16),
        (torch.complex64, torch.float64),
        (torch.bool, torch.float32),
    ],
)
def test_cat_promotion(dts):
    both(lambda L, a, b: L.cat([a, b]), _rand(2, 3).to(dts[0]), _rand(1, 3).to(dts[1]))


def test_cat_legacy_empty_rule():
    both(lambda L, a: L.cat([a, L.zeros(0)]), A)
    both(lambda L, a: L.cat([L.zeros(0), a]), A)
    both(lambda L, a: L.cat([a, L.zeros(0, dtype=L.float64)]), A)  # still promotes
    both(lambda L: L.cat([L.zeros(0), L.zeros(0, dtype=L.int32)]))
    both(lambda L: L.cat([L.zeros(2, 0), L.zeros(2, 3)], 1))
    check_grad(lambda L, a, e: L.cat([e, a, e]), A, torch.zeros(0))


def test_cat_channels_last_kept():
    x = _rand(2, 3, 4, 5).to(memory_format=torch.channels_last)
    both(lambda L, a: L.cat([a, a]), x, check_stride=True)
    both(lambda L, a: L.cat([a, a.contiguous()]), x, check_stride=True)


def test_cat_out():
    both(lambda L, a: L.cat([a, a], out=L.empty(4, 3)), A)
    both(lambda L, a: L.cat([a, a], out=L.empty(4, 3, dtype=L.float64)), A)
    both(lambda L, a: L.cat([a, a], out=L.empty(4, 3, dtype=L.int64)), A, **MSG)
    both(lambda L, a: L.cat([a[:1], a[1:]], out=a), A.clone(), **MSG)


def test_cat_errors():
    both(lambda L, a: L.cat([a, L.tensor(1.0)]), A, **MSG)
    both(lambda L, a: L.cat([a, L.zeros(0, 2)]), A, **MSG)
    both(lambda L, a: L.cat([a, L.zeros(2, 2)]), A, **MSG)
    both(lambda L, a: L.cat([a, L.zeros(2, 3, 1)]), A, **MSG)
    both(lambda L: L.cat([]), **MSG)
    both(lambda L, a: L.cat([a], 2), A, **MSG)
    both(lambda L, a: L.cat(a), A, **MSG)
    both(lambda L, a: L.cat([a, 1]), A, **MSG)


def test_stack_family():
    check_grad(lambda L, a, b: L.stack([a, b.expand(2, 3)]), A, B)
    check_grad(lambda L, a, b: L.stack([a, b.expand(2, 3)], -1), A, B)
    both(lambda L, a: L.stack([a, a.double()], 1), A)
    both(lambda L: L.stack([L.tensor(1.0), L.tensor(2)]))
    both(lambda L: L.stack([]), **MSG)
    both(lambda L, a, b: L.stack([a, b]), A, B, **MSG)
    both(lambda L, a: L.stack([a, a], 3), A, **MSG)
    v = _rand(3)
    for f in (
        lambda L, a, b: L.hstack([a, b]),
        lambda L, a, b: L.vstack([a, b]),
        lambda L, a, b: L.dstack([a, b]),
        lambda L, a, b: L.column_stack([a, b]),
        lambda L, a, b: L.row_stack((a, b)),
    ):
        check_grad(f, A, B.expand(2, 3).contiguous())
        check_grad(f, v, v)
    check_grad(lambda L, a, b: L.column_stack([a, b, L.tensor([1.0, 2.0])]), A[:, 0], A[:, 1])
    for name in ("hstack", "vstack", "dstack", "column_stack", "row_stack"):
        both(lambda L: getattr(L, name)([]), **MSG)
    both(lambda L, a: L.hstack([a, a], out=L.empty(0)), A)


def test_atleast():
    s = torch.tensor(2.0)
    for n in (1, 2, 3):
        for x in (s, _rand(3), A, _rand(2, 2, 2)):
            check_grad(lambda L, t: getattr(L, f"atleast_{n}d")(t), x, check_stride=True)
        both(lambda L, a, b: getattr(L, f"atleast_{n}d")(a, b), s, A, check_stride=True)
        both(lambda L, a, b: getattr(L, f"atleast_{n}d")([a, b]), s, A, check_stride=True)
    xj = to_tj(A)
    assert torchjax.atleast_2d(xj) is xj


# ------------------------------------------------------------------ flip / roll / rot90


def test_flip_roll_rot90():
    x = _rand(2, 3, 4)
    for f in (
        lambda L, t: t.flip(0),
        lambda L, t: L.flip(t, (0, 2)),
        lambda L, t: L.flip(t, [-1]),
        lambda L, t: L.flip(t, ()),
        lambda L, t: L.fliplr(t),
        lambda L, t: t.flipud(),
        lambda L, t: L.roll(t, 1),
        lambda L, t: t.roll(-2, 1),
        lambda L, t: L.roll(t, (1, 5), (0, 2)),
        lambda L, t: L.roll(t, shifts=7, dims=-1),
        lambda L, t: L.rot90(t),
        lambda L, t: t.rot90(2, (1, 2)),
        lambda L, t: L.rot90(t, -1, [2, 0]),
        lambda L, t: L.rot90(t, 0),
        lambda L, t: L.rot90(t, 3, (0, -1)),
    ):
        check_grad(f, x)
    both(lambda L, t: L.flip(t, (0,)), torch.tensor([True, False]))
    both(lambda L, t: L.roll(t, 1), torch.tensor(1.0))
    both(lambda L, t: L.roll(t, 1, 0), torch.zeros(0, 3))
    both(lambda L, t: L.roll(t, 1, 0), torch.tensor(1.0), **MSG)
    both(lambda L, t: L.roll(t, (1, 2), (0, -1)), torch.tensor(1.0), **MSG)
    for f in (
        lambda L, t: L.flip(t, (0, 0)),
        lambda L, t: L.flip(t, 3),
        lambda L, t: L.fliplr(t[0, 0]),
        lambda L, t: L.flipud(t[0, 0, 0]),
        lambda L, t: L.roll(t, ()),
        lambda L, t: L.roll(t, (1, 2), 0),
        lambda L, t: L.roll(t, 1, (0, 1)),
        lambda L, t: L.roll(t, 1, 3),
        lambda L, t: L.rot90(t, 1, (0, 1, 2)),
        lambda L, t: L.rot90(t[0, 0]),
        lambda L, t: L.rot90(t, 1, (0, 0)),
        lambda L, t: L.rot90(t, 1, (0, 3)),
        lambda L, t: L.rot90(t, 1, (-4, 0)),
    ):
        both(f, x, **MSG)


# ------------------------------------------------------------------ repeat / tile / repeat_interleave


def test_repeat_tile():
    for f in (
        lambda L, t: t.repeat(2, 1),
        lambda L, t: t.repeat(1, 2, 3),
        lambda L, t: t.repeat((2, 2)),
        lambda L, t: t.repeat(0, 2),
        lambda L, t: L.tile(t, (2,)),
        lambda L, t: t.tile((2, 1, 2)),
        lambda L, t: t.tile(()),
    ):
        check_grad(f, A)
    both(lambda L: L.tensor(3.0).repeat(2, 2))
    both(lambda L, t: t.repeat(2), A, **MSG)
    both(lambda L, t: t.repeat(-1, 1), A, **MSG)
    both(lambda L, t: L.tile(t, (-1,)), A, **MSG)


def test_repeat_interleave():
    for f in (
        lambda L, t: t.repeat_interleave(2),
        lambda L, t: L.repeat_interleave(t, 3, 0),
        lambda L, t: t.repeat_interleave(2, dim=-1),
        lambda L, t: t.repeat_interleave(L.tensor([1, 2]), 0),
        lambda L, t: t.repeat_interleave(L.tensor([0, 2, 1]), 1),
        lambda L, t: t.repeat_interleave(L.tensor(2)),
        lambda L, t: t.repeat_interleave(L.tensor([3])),
        lambda L, t: t.repeat_interleave(2, 0, output_size=4),
        lambda L, t: t.repeat_interleave(L.tensor([1, 2]), 0, output_size=3),
    ):
        check_grad(f, A)
    both(lambda L: L.repeat_interleave(L.tensor([1, 0, 3])))
    both(lambda L: L.repeat_interleave(L.tensor([1, 2], dtype=L.int32)))
    both(lambda L: L.repeat_interleave(L.tensor([1, 2]), output_size=3))
    for f in (
        lambda L, t: t.repeat_interleave(-1),
        lambda L, t: t.repeat_interleave(L.tensor([1, 2, 3])),
        lambda L, t: t.repeat_interleave(L.tensor([1, 2, 3]), 0),
        lambda L, t: t.repeat_interleave(L.tensor([[1, 2]]), 0),
        lambda L, t: t.repeat_interleave(L.tensor([1, -2]), 0),
        lambda L, t: t.repeat_interleave(2, 0, output_size=5),
        lambda L, t: t.repeat_interleave(2, 5),
        lambda L, t: L.repeat_interleave(L.tensor(2)),
        lambda L, t: L.repeat_interleave(L.tensor([1, 2]), output_size=4),
    ):
        both(f, A, **MSG)


# ------------------------------------------------------------------ tril / triu / indices


def test_tril_triu():
    x = _rand(2, 3, 4)
    for d in (0, 1, -1, 5, -5):
        check_grad(lambda L, t: L.tril(t, d), x)
        check_grad(lambda L, t: t.triu(diagonal=d), x)
    both(lambda L, t: t.clone().tril_(1), x)
    both(lambda L, t: t.clone().triu_(), x.int())
    both(lambda L, t: L.tril(t, out=L.empty(2, 3, 4)), x)
    both(lambda L, t: L.tril(t), x[0, 0], **MSG)
    both(lambda L, t: t.triu(), torch.tensor(1.0), **MSG)


def test_tri_indices():
    for args in ((3, 3), (3, 4, -1), (4, 3, 2), (0, 3), (3, 3, -10), (1, 5, 10)):
        both(lambda L: L.tril_indices(*args))
        both(lambda L: L.triu_indices(*args))
    both(lambda L: L.tril_indices(3, 3, dtype=L.int32))
    both(lambda L: L.tril_indices(-1, 3), **MSG)
    both(lambda L: L.triu_indices(3, -3), **MSG)
    both(lambda L: L.tril_indices(3, 3, dtype=L.float32), **MSG)


# ------------------------------------------------------------------ diag family / block_diag


def test_diag_family():
    v, m = _rand(3), _rand(3, 4)
    for f in (
        lambda L, t: L.diag(t, 1),
        lambda L, t: t.diag(-2),
        lambda L, t: L.diagflat(t, -1),
        lambda L, t: L.diag_embed(t),
    ):
        check_grad(f, v)
    for f in (
        lambda L, t: L.diag(t),
        lambda L, t: L.diag(t, -1),
        lambda L, t: L.diagflat(t),
        lambda L, t: L.diag_embed(t, -1, 0, 2),
        lambda L, t: t.diag_embed(1, 2, 0),
    ):
        check_grad(f, m)
    both(lambda L, t: L.diag(t, out=L.empty(3, 3)), v)
    both(lambda L, t: L.diag(t.int()), m)
    for f in (
        lambda L: L.diag(L.zeros(2, 2, 2)),
        lambda L: L.diag(L.tensor(1.0)),
        lambda L: L.diag_embed(L.zeros(2, 3), 0, 1, 1),
        lambda L: L.diag_embed(L.zeros(2, 3), 0, 0, 3),
    ):
        both(f, **MSG)
    both(lambda L: L.diagflat(L.tensor(1.0)))


def test_block_diag():
    check_grad(lambda L, a, b, c: L.block_diag(a, b, c), A, _rand(3), torch.tensor(2.0))
    both(lambda L, a: L.block_diag(L.tensor(1.0), L.tensor([2, 3]), a.int()), A)
    both(lambda L: L.block_diag())
    both(lambda L: L.block_diag(L.zeros(2, 0), L.ones(0, 3), L.ones(1, 1)))
    both(lambda L: L.block_diag(L.zeros(2, 2, 2)), **MSG)


# ------------------------------------------------------------------ meshgrid / cartesian_prod / combinations


def test_meshgrid():
    a, b = _rand(3), _rand(2, seed=1)
    for ind in ("ij", "xy"):
        check_grad(lambda L, x, y: L.meshgrid(x, y, indexing=ind), a, b, check_stride=True)
        check_grad(lambda L, x, y: L.meshgrid([x, y, x], indexing=ind), a, b, check_stride=True)
    both(lambda L, x: L.meshgrid(x, L.tensor(1.0), indexing="ij"), a, check_stride=True)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torchjax.meshgrid(to_tj(a), to_tj(b))
    assert any("indexing argument" in str(x.message) for x in w)
    both(lambda L: L.meshgrid(), **MSG)
    both(lambda L, x: L.meshgrid(x, x.int(), indexing="ij"), a, **MSG)
    both(lambda L, x: L.meshgrid(x, x, indexing="abc"), a, **MSG)
    both(lambda L, x: L.meshgrid(x.reshape(3, 1), indexing="ij"), a)


def test_cartesian_prod_combinations():
    a, b = _rand(3), _rand(2, seed=1)
    check_grad(lambda L, x, y: L.cartesian_prod(x, y), a, b)
    check_grad(lambda L, x: L.cartesian_prod(x), a)
    both(lambda L: L.cartesian_prod(L.tensor([1, 2]), L.tensor([3, 4]), L.tensor([5])))
    for r, rep in ((2, False), (3, True), (1, False), (0, False), (4, False)):
        check_grad(lambda L, x: L.combinations(x, r, rep), a) if r else both(
            lambda L, x: L.combinations(x, r), a
        )
    both(lambda L: L.combinations(L.tensor([1, 2, 3]), with_replacement=True))
    both(lambda L, x: L.cartesian_prod(x.reshape(1, 3)), a, **MSG)
    both(lambda L, x: L.combinations(x.reshape(1, 3)), a, **MSG)
    both(lambda L, x: L.combinations(x, -1), a, **MSG)


# ------------------------------------------------------------------ broadcasting helpers


def test_broadcast_tensors_and_shapes():
    check_grad(lambda L, x, y: L.broadcast_tensors(x, y), A, _rand(3, 1, 1), check_stride=True)
    check_grad(lambda L, x, y: L.broadcast_tensors(x, y), A, _rand(3), check_stride=True)
    xj = to_tj(A)
    assert torch.broadcast_tensors(A, A)[0] is A
    assert torchjax.broadcast_tensors(xj, xj)[0] is xj  # same shape: torch returns the input itself
    both(lambda L, x: L.broadcast_tensors(x, x[:, :2]), A, **MSG)
    for shapes in (
        ((2, 3), (3,)),
        ((2, 3), 3, [1, 1, 3]),
        (),
        ((1,), (4, 1)),
        ((0, 1), (1, 5)),
        ((2, 1), None),
    ):
        both(lambda L: L.broadcast_shapes(*shapes))
        assert type(torchjax.broadcast_shapes(*shapes)) is torchjax.Size
    for shapes in (((2, 3), (3, 2)), ((2, -1),), ((1,), (-1,)), (2.0,)):
        both(lambda L: L.broadcast_shapes(*shapes), **MSG)


# ------------------------------------------------------------------ take / take_along_dim


def test_take():
    idx = torch.tensor([[0, 5], [-1, -6]])
    check_grad(lambda L, x, i: L.take(x, i), A, idx)
    check_grad(lambda L, x, i: x.take(i), A.t(), idx)
    check_grad(
        lambda L, x, i: L.take(x, i), A, torch.tensor([1, 1, 1])
    )  # repeated indices accumulate
    both(lambda L, x: L.take(x, L.tensor([10])), A, **MSG)
    both(lambda L, x: L.take(x, L.tensor([-7])), A, **MSG)
    both(lambda L, x: L.take(x, L.tensor([1.0])), A, **MSG)
    both(lambda L, x: L.take(x, L.tensor([1], dtype=L.int32)), A, **MSG)


def test_take_out_checks():
    """take_out: ``out`` must have ``input``'s dtype and must not overlap ``input`` or ``index``
    (checked before the resize); disjoint views of one storage and non-dense outputs are allowed."""

    def run(make):
        def f(L):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the resize warning
                src, index, out = make(L)
                r = L.take(src, index, out=out)
            return r, r.data_ptr() == out.data_ptr()

        both(f, **MSG)

    run(lambda L: (L.rand(6), L.tensor([2, 1, 0]), L.rand(1).expand(3)))  # internal overlap
    run(lambda L: (lambda s: (s, L.tensor([2, 1, 0]), s))(L.rand(6)))  # out is input
    run(lambda L: (lambda i: (i.clone(), i[1:], i[:-1]))(L.tensor([2, 1, 0])))  # partial with index
    run(lambda L: (lambda i: (L.arange(5), i[:2], i[:2]))(L.arange(6)))  # out is index
    run(
        lambda L: (lambda b: (b[:4], L.tensor([0, 1]), b[6:8]))(L.arange(10.0))
    )  # disjoint: allowed
    run(
        lambda L: (lambda b: (b[5:8], L.tensor([0, 1]), b[4:5]))(L.arange(10.0))
    )  # overlap only after resize
    run(lambda L: (L.arange(4.0), L.tensor([0, 1]), L.empty(2, dtype=L.float64)))  # dtype
    run(
        lambda L: (L.arange(4.0), L.tensor([0, 1], dtype=L.int32), L.empty(2, dtype=L.float64))
    )  # index first


def test_take_along_dim():
    x = _rand(3, 4)
    for f in (
        lambda L, t: L.take_along_dim(t, L.tensor([[0], [3], [1]]), 1),
        lambda L, t: L.take_along_dim(t, L.tensor([[2, 0, 1, 1]]), 0),
        lambda L, t: L.take_along_dim(t, L.tensor([1, 11, 5])),
        lambda L, t: t.take_along_dim(L.tensor([[0, 1]]), 1),
        lambda L, t: L.take_along_dim(t[None], L.tensor([[[1], [0], [2]]]), 2),
    ):
        check_grad(f, x)
    both(lambda L, t: L.take_along_dim(t, L.tensor([[0, 1]]), 1, out=L.empty(3, 2)), x)
    check_grad(
        lambda L, t: L.take_along_dim(t, L.tensor([[-1], [-4], [2]]), 1), x
    )  # negative indices wrap
    both(
        lambda L, t: L.take_along_dim(t, L.tensor([-1])), x, **MSG
    )  # ... but not in the flattened form
    for f in (
        lambda L, t: L.take_along_dim(t, L.tensor([1]), 0),
        lambda L, t: L.take_along_dim(t, L.tensor([[1.0]]), 0),
        lambda L, t: L.take_along_dim(t, L.tensor([[1]], dtype=L.int32), 0),
        lambda L, t: L.take_along_dim(t, L.tensor([[1], [0]]), 1),
    ):
        both(f, x, **MSG)


# ------------------------------------------------------------------ resize_


def test_resize():
    for f in (
        lambda L, t: t.resize_(2, 3),
        lambda L, t: t.resize_((3, 2)),
        lambda L, t: t.resize_(4),
        lambda L, t: t.resize_(0),
        lambda L, t: t.resize_as_(L.zeros(1, 6)),
        lambda L, t: L.resize_as_(t, L.zeros(3, 2)),
    ):
        both(f, torch.arange(6.0), check_stride=True)
    xt, xj = torch.arange(6.0), torchjax.arange(6.0)
    xt.resize_(4, 4)
    xj.resize_(4, 4)
    assert tuple(xj.shape) == (4, 4) and xj.stride() == xt.stride()
    assert (
        xj.flatten()[:6].tolist() == xt.flatten()[:6].tolist()
    )  # the rest is uninitialised in torch
    v = to_tj(torch.arange(6.0)).view(2, 3)
    v[0].resize_(2)  # a view keeps its storage
    both(
        lambda L: L.arange(6.0).resize_(-1), **MSG
    )  # (torch leaves its tensor broken: use a fresh one)
    both(lambda L, t: t.resize_(2), torch.arange(6.0).requires_grad_(), **MSG)
    both(lambda L, t: t.resize_(2, 2, memory_format=L.channels_last), torch.arange(6.0))
    both(
        lambda L, t: t.resize_(1, 2, 2, 1, memory_format=L.channels_last),
        torch.arange(6.0),
        check_stride=True,
    )


# ------------------------------------------------------------------ padding


def test_constant_pad_nd():
    x = _rand(2, 3, 4)
    for pad in ((1, 1), (0, 2, 1, 0), (1, 1, 1, 1, 1, 1), (-1, 2), (-1, -1, 0, 1), (0, 0)):
        check_grad(lambda L, t: L.constant_pad_nd(t, pad), x)
        check_grad(lambda L, t: (TF if L is torch else JF).pad(t, pad, value=2.5), x)
    both(lambda L, t: L.constant_pad_nd(t.int(), (1, 1), 2.7), x)
    both(lambda L, t: (TF if L is torch else JF).pad(t.bool(), (1, 1)), x)
    for pad in ((1,), (1, 1, 1, 1, 1, 1, 1, 1), (-3, -2)):
        both(lambda L, t: L.constant_pad_nd(t, pad), x, **MSG)
        both(lambda L, t: (TF if L is torch else JF).pad(t, pad), x, **MSG)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_pad_modes(mode):
    def F(L):
        return TF if L is torch else JF

    cases = [
        (_rand(2, 5), (1, 2)),
        (_rand(2, 4, 5), (1, 1, 2, 0)),
        (_rand(1, 2, 3, 4, 5), (1, 0, 1, 2, 2, 1)),
        (_rand(1, 2, 3, 5), (0, -2, 1, 1)),
    ]
    for x, pad in cases:
        # torch builds circular padding from slice copies (a chain of CopySlices); here it is one node
        check_grad(
            lambda L, t: F(L).pad(t, pad, mode=mode), x, depth=1 if mode == "circular" else 3
        )
    both(lambda L, t: F(L).pad(t, (2, 1), mode=mode), _rand(1, 2, 5))
    both(lambda L, t: F(L).pad(t, (1, 1), mode=mode, value=1.0), _rand(2, 5), **MSG)
    both(lambda L, t: F(L).pad(t, (1, 1), mode=mode), _rand(5), **MSG)
    both(lambda L, t: F(L).pad(t, (1, 1, 1, 1), mode=mode), _rand(2, 5), **MSG)
    both(lambda L, t: F(L).pad(t, (6, 6), mode=mode), _rand(2, 5), **MSG)
    both(lambda L, t: F(L).pad(t, (1, 1), mode=mode, value=0.0), _rand(2, 5))
    for pad in (
        (-1, 1),
        (1, -2),
        (2, -3),
        (-2, -1, 1, 1),
        (2, -1, -1, 2),
    ):  # negative pads crop first
        both(lambda L, t: F(L).pad(t, pad, mode=mode), torch.arange(36.0).reshape(1, 2, 3, 6))


def test_pad_misc_errors():
    x = _rand(2, 5)
    both(lambda L, t: (TF if L is torch else JF).pad(t, (1, 1), mode="foo"), x, **MSG)
    both(lambda L, t: (TF if L is torch else JF).pad(t, (1, 1, 1), mode="reflect"), x, **MSG)
    both(lambda L, t: (TF if L is torch else JF).pad(t, (1,) * 6, mode="replicate"), x, **MSG)
    both(lambda L, t: (TF if L is torch else JF).pad(t, (5, 5), mode="reflect"), x, **MSG)
    both(lambda L, t: (TF if L is torch else JF).pad(t, (5, 5), mode="replicate"), x)
    both(
        lambda L, t: (TF if L is torch else JF).pad(t, (-5, -1), mode="replicate"),
        _rand(1, 2, 5),
        **MSG,
    )
    both(lambda L, t: (TF if L is torch else JF).pad(t, (0, 1), mode="reflect"), _rand(0, 5), **MSG)
    both(lambda L, t: (TF if L is torch else JF).pad(t, (1, 1), mode="reflect"), _rand(2, 0), **MSG)


# ------------------------------------------------------------------ _chunk_cat / unravel_index


def test_chunk_cat():
    a, b = _rand(2, 5), _rand(2, 3, seed=1)
    for dim, n in ((1, 2), (1, 3), (0, 1), (0, 2), (-1, 4)):
        both(lambda L, x, y: L._chunk_cat([x, y], dim, n), a, b)
    both(lambda L, x, y: L._chunk_cat([x, y], 1, 2, out=L.empty(2, 2, 5)), a, b)
    both(lambda L, x: L._chunk_cat([x, x[:1]], 1, 2), a, **MSG)
    both(lambda L, x: L._chunk_cat([], 1, 2), a, **MSG)


def test_unravel_index():
    for idx, shape in (
        (4, (3, 2)),
        ([4, 1], (3, 2)),
        ([[1234], [5678]], (10, 10, 10, 10)),
        ([5, 2], 6),
        ([3, 0], torch.Size([2, 2])),
        ([0, 0], ()),
        ([0], (0, 3)),
    ):
        both(lambda L: L.unravel_index(L.tensor(idx), shape))
    both(lambda L: L.unravel_index(L.tensor([1.0]), (2,)), **MSG)
    both(lambda L: L.unravel_index(L.tensor([1]), (2, -3)), **MSG)
    both(lambda L: L.unravel_index(L.tensor([1]), "ab"), **MSG)


def test_shape_ops_exist_under_torch_names():
    for name in (
        "cat",
        "concat",
        "concatenate",
        "stack",
        "hstack",
        "vstack",
        "dstack",
        "column_stack",
        "row_stack",
        "flip",
        "fliplr",
        "flipud",
        "roll",
        "rot90",
        "tile",
        "repeat_interleave",
        "tril",
        "triu",
        "tril_indices",
        "triu_indices",
        "diag",
        "diag_embed",
        "diagflat",
        "block_diag",
        "meshgrid",
        "cartesian_prod",
        "combinations",
        "broadcast_tensors",
        "broadcast_shapes",
        "atleast_1d",
        "atleast_2d",
        "atleast_3d",
        "take",
        "take_along_dim",
        "resize_as_",
        "constant_pad_nd",
        "_chunk_cat",
        "unravel_index",
    ):
        assert hasattr(torchjax, name), name
    for name in (
        "repeat",
        "tile",
        "flip",
        "roll",
        "rot90",
        "tril_",
        "triu_",
        "resize_",
        "resize_as_",
        "take",
        "take_along_dim",
        "diag",
        "diag_embed",
        "diagflat",
        "repeat_interleave",
        "fliplr",
        "flipud",
    ):
        assert hasattr(torchjax.Tensor, name), name
    assert hasattr(JF, "pad")
