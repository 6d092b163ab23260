"""View ops against torch 2.13: layout (shape, strides, storage offset), aliasing (``_base``,
data_ptr, writes through either side), grad_fn names, gradients and errors."""

# The lambdas built in loops below are called at once, inside their iteration:
# ruff: noqa: B023
from __future__ import annotations

import warnings

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax


def _outs(r):
    return list(r) if isinstance(r, (tuple, list)) else [r]


def _gf(t):
    g = t.grad_fn
    return None if g is None else type(g).__name__


def _rand(*shape, dtype=torch.float32, seed=0):
    g = torch.Generator().manual_seed(seed)
    if dtype.is_floating_point or dtype.is_complex:
        return torch.randn(tuple(shape), generator=g, dtype=dtype)
    return torch.randint(-5, 5, tuple(shape), generator=g, dtype=dtype)


def _real(t):
    return t.real if t.is_complex() else t


def check_view(fn, x, *, grad=True, write=True, is_view=True):
    """Compare ``fn(lib, x)`` (a view or tuple of views of ``x``) between torch and torchjax."""
    # layout, values, aliasing metadata, grad_fn names
    xt = x.detach().clone().requires_grad_(grad) if grad else x.detach().clone()
    xj = to_tj(xt)
    rt, rj = fn(torch, xt), fn(torchjax, xj)
    ot, oj = _outs(rt), _outs(rj)
    assert len(ot) == len(oj)
    root_t = xt if xt._base is None else xt._base
    root_j = xj if xj._base is None else xj._base
    for a, b in zip(oj, ot):
        assert_same(a, b.detach(), check_stride=True)
        assert a.storage_offset() == b.storage_offset()
        assert (a._base is root_j) == (b._base is root_t), "_base"
        assert a._is_view() == b._is_view()
        if b._base is not None and b.numel():
            assert (a.data_ptr() - xj.data_ptr()) == (b.data_ptr() - xt.data_ptr()), "data_ptr"
            assert a.untyped_storage().data_ptr() == xj.untyped_storage().data_ptr()
        assert (a.data_ptr() == 0) == (b.data_ptr() == 0)
        assert _gf(a) == _gf(b), f"grad_fn {_gf(a)} != torch {_gf(b)}"
        assert a.requires_grad == b.requires_grad
    # gradient
    if grad and any(b.requires_grad for b in ot):
        ws = [_rand(*b.shape, dtype=b.dtype, seed=i + 1) for i, b in enumerate(ot)]
        sum(_real((b * w).sum()) for b, w in zip(ot, ws) if b.requires_grad).backward()
        sum(_real((a * to_tj(w)).sum()) for a, w in zip(oj, ws) if a.requires_grad).backward()
        assert_same(xj.grad, xt.grad)
    if not write:
        return
    # writes through the view show in the base, and writes to the base show in the view
    xt, xj = x.detach().clone(), to_tj(x.detach().clone())
    ot, oj = _outs(fn(torch, xt)), _outs(fn(torchjax, xj))
    for k, (a, b) in enumerate(zip(oj, ot)):
        if b.numel() == 0:
            continue
        try:
            b.mul_(-2).add_(k + 1)
            th_exc = None
        except RuntimeError as e:
            th_exc = e
        if th_exc is not None:
            with pytest.raises(RuntimeError):
                a.mul_(-2).add_(k + 1)
            continue
        a.mul_(-2).add_(k + 1)
        assert_same(xj, xt)
        assert xj._version == xt._version
    xt.add_(10)
    xj.add_(10)
    for a, b in zip(oj, ot):
        assert_same(a, b)


X = _rand(3, 4)
X3 = _rand(2, 3, 4)
XT = _rand(4, 3).t()  # non-contiguous input
XS = _rand(6, 5)[1:5:2, 1:4]  # offset and strided input


# ------------------------------------------------------------------ view / reshape / flatten


@pytest.mark.parametrize("x", [X, X3, XS], ids=["2d", "3d", "sliced"])
@pytest.mark.parametrize("shape", [(-1,), (2, -1), (4, 3), (1, 12, 1), (3, 2, 2)])
def test_view_shapes(x, shape):
    both(lambda L, t: t.view(*shape), x)
    if x.numel() == 12 and x.is_contiguous():
        check_view(lambda L, t: t.view(shape), x)


def test_view_errors_match_torch():
    msg = dict(check_message=True)
    both(lambda L, t: t.view(6), XT[:2], **msg)  # incompatible strides
    both(lambda L, t: t.view(-1, -1), X, **msg)
    both(lambda L, t: t.view(5, -1), X, **msg)
    both(lambda L, t: t.view(5, 2), X, **msg)
    both(lambda L, t: t.view(-2, 6), X, **msg)
    both(lambda L, t: t.view(0, -1), torch.zeros(0, 3), **msg)


def test_view_keeps_strides_of_transposed():
    check_view(lambda L, t: t.view(2, 2, 3), XT.t())  # contiguous again
    check_view(lambda L, t: t.view(3, 4, 1), XT)  # size-1 split of a transposed tensor
    both(lambda L, t: t.view(2, 2, 3), XT, check_stride=True)  # raises in both


@pytest.mark.parametrize("x", [X, XT, XS], ids=["contig", "transposed", "sliced"])
def test_reshape_view_or_copy(x):
    check_view(lambda L, t: t.reshape(-1), x, write=x.is_contiguous())
    check_view(lambda L, t: t.reshape(x.shape[1], x.shape[0]), x, write=x.is_contiguous())


def test_reshape_copy_chain():
    xt = XT.clone().requires_grad_()
    xj = to_tj(xt)
    a, b = xt.reshape(-1), xj.reshape(-1)
    assert _gf(b) == _gf(a) == "UnsafeViewBackward0"
    assert type(b.grad_fn.next_functions[0][0]).__name__ == "CloneBackward0"
    assert b._base is None and a._base is None
    assert b.data_ptr() != xj.data_ptr()


def test_flatten_unflatten():
    for f in (
        lambda L, t: t.flatten(),
        lambda L, t: t.flatten(1),
        lambda L, t: L.flatten(t, 0, 1),
        lambda L, t: t.flatten(-1, -1),
        lambda L, t: t.unflatten(1, (3, 1)),
        lambda L, t: t.unflatten(-1, (2, -1)),
        lambda L, t: L.ravel(t),
    ):
        check_view(f, X3)
    check_view(lambda L, t: t.flatten(), torch.tensor(3.0))
    msg = dict(check_message=True)
    both(lambda L, t: t.flatten(2, 1), X3, **msg)
    both(lambda L, t: t.flatten(0, 5), X3, **msg)
    both(lambda L, t: t.unflatten(1, (2, 2)), X3, **msg)
    both(lambda L, t: t.unflatten(1, ()), X3, **msg)
    both(lambda L, t: t.unflatten(1, (0, -1)), X3, **msg)
    both(lambda L, t: t.flatten(1), XT.t().t()[:, :2])  # copies when not viewable


# ------------------------------------------------------------------ squeeze / unsqueeze / expand


def test_squeeze_variants_and_grad_fn_names():
    x = _rand(1, 3, 1, 2)
    for f in (
        lambda L, t: t.squeeze(),
        lambda L, t: t.squeeze(0),
        lambda L, t: t.squeeze(1),
        lambda L, t: t.squeeze((0, 2)),
        lambda L, t: L.squeeze(t, -2),
        lambda L, t: t.squeeze(dim=(0,)),
        lambda L, t: t.squeeze([]),
    ):
        check_view(f, x)
    check_view(lambda L, t: t.squeeze(0), torch.tensor(1.0))
    msg = dict(check_message=True)
    both(lambda L, t: t.squeeze((0, 0)), x, **msg)
    both(lambda L, t: t.squeeze(4), x, **msg)
    both(lambda L, t: t.squeeze(dim=None), x)  # TypeError in torch
    both(lambda L, t: t.squeeze(1.0), x)


def test_unsqueeze():
    for d in (0, 1, 2, -1, -3):
        check_view(lambda L, t: t.unsqueeze(d), X)
    check_view(lambda L, t: t.unsqueeze(1), XT)
    check_view(lambda L, t: t.unsqueeze(0), torch.tensor(2.0))
    both(lambda L, t: t.unsqueeze(3), X, check_message=True)


def test_expand_family():
    x = _rand(3, 1)
    for f in (
        lambda L, t: t.expand(3, 4),
        lambda L, t: t.expand(2, -1, 5),
        lambda L, t: t.expand((2, 3, 1)),
        lambda L, t: t.expand_as(L.zeros(2, 3, 2)),
        lambda L, t: L.broadcast_to(t, (3, 3)),
        lambda L, t: t.broadcast_to((1, 3, 2)),
    ):
        check_view(f, x)
    msg = dict(check_message=True)
    both(lambda L, t: t.expand(2, 4, 4), x, **msg)
    both(lambda L, t: t.expand(4), x, **msg)
    both(lambda L, t: t.expand(-1, 3, 4), x, **msg)


def test_expanded_view_refuses_writes():
    xt = torch.zeros(3, 1)
    xj = to_tj(xt)
    both(lambda L, t: t.expand(3, 4).add_(1), xt)
    with pytest.raises(RuntimeError, match="single memory location"):
        xj.expand(3, 4).add_(1)


# ------------------------------------------------------------------ transpose family


def test_transpose_family():
    for f in (
        lambda L, t: t.transpose(0, 2),
        lambda L, t: L.transpose(t, -1, 0),
        lambda L, t: t.swapaxes(1, 2),
        lambda L, t: L.swapdims(t, 0, 1),
        lambda L, t: t.permute(2, 0, 1),
        lambda L, t: L.permute(t, (1, 2, 0)),
        lambda L, t: t.movedim(0, -1),
        lambda L, t: L.movedim(t, (0, 1), (2, 0)),
        lambda L, t: L.moveaxis(t, 1, 0),
        lambda L, t: t.mT,
    ):
        check_view(f, X3)
    for f in (
        lambda L, t: t.t(),
        lambda L, t: t.T,
        lambda L, t: t.H,
        lambda L, t: t.mH,
        lambda L, t: L.adjoint(t),
        lambda L, t: L.t(t),
    ):
        check_view(f, X)
        check_view(f, XT)
    check_view(lambda L, t: t.t(), _rand(4))
    check_view(lambda L, t: t.t(), torch.tensor(1.0))


def test_transpose_errors():
    msg = dict(check_message=True)
    both(lambda L, t: t.t(), X3, **msg)
    both(lambda L, t: t.mT, _rand(3), **msg)
    both(lambda L, t: t.mH, _rand(3), **msg)
    both(lambda L, t: t.H, X3, **msg)
    both(lambda L, t: t.H, _rand(3), **msg)
    both(lambda L, t: L.adjoint(t), _rand(3), **msg)
    both(lambda L, t: t.permute(2, 0), X3, **msg)
    both(lambda L, t: t.permute(2, 0, 0), X3, **msg)
    both(lambda L, t: t.permute(0, 1, 3), X3, **msg)
    both(lambda L, t: t.transpose(0, 3), X3, **msg)
    both(lambda L, t: t.movedim((0, 1), (1,)), X3, **msg)
    both(lambda L, t: t.movedim((0, 0), (1, 2)), X3, **msg)
    both(lambda L, t: t.movedim((0, 1), (1, 1)), X3, **msg)


def test_T_on_non_matrix_warns_once_and_reverses():
    both(lambda L, t: t.T, X3, check_stride=True)
    both(lambda L, t: t.T, torch.tensor(2.0))


# ------------------------------------------------------------------ narrow / select / slicing


def test_narrow_select():
    for f in (
        lambda L, t: t.narrow(0, 1, 2),
        lambda L, t: L.narrow(t, -1, -3, 2),
        lambda L, t: t.narrow(1, 4, 0),
        lambda L, t: t.narrow(0, L.tensor(1), 2),
        lambda L, t: t.select(1, -1),
        lambda L, t: L.select(t, 0, 2),
        lambda L, t: t[1],
        lambda L, t: t[:, 2],
        lambda L, t: t[1:3, ::2],
        lambda L, t: t[-2:, 1:10],
        lambda L, t: t[..., 1],
        lambda L, t: t[None, 1:, None],
        lambda L, t: t[5:],
        lambda L, t: t[:, 3:1],
    ):
        check_view(f, X)
        check_view(f, XT)
    msg = dict(check_message=True)
    both(lambda L, t: t.narrow(0, 3, 2), X, **msg)
    both(lambda L, t: t.narrow(0, 5, 0), X, **msg)
    both(lambda L, t: t.narrow(0, 1, -1), X, **msg)
    both(lambda L, t: t.select(1, 4), X, **msg)
    both(lambda L, t: t.select(0, 0), torch.tensor(1.0), **msg)
    both(lambda L, t: t.narrow(0, 0, 1), torch.tensor(1.0), **msg)
    both(lambda L, t: L.narrow(t, 0, L.tensor([1]), 1), X, **msg)
    both(lambda L, t: L.narrow(t, 0, L.tensor(1.0), 1), X, **msg)


def test_unbind_split_chunk():
    for f in (
        lambda L, t: t.unbind(),
        lambda L, t: L.unbind(t, 1),
        lambda L, t: t.split(2),
        lambda L, t: L.split(t, [1, 3], 1),
        lambda L, t: t.split(3, -1),
        lambda L, t: t.split_with_sizes([2, 1]),
        lambda L, t: t.chunk(2),
        lambda L, t: L.chunk(t, 3, 1),
        lambda L, t: t.chunk(5, 1),
        lambda L, t: L.tensor_split(t, 3, 1),
        lambda L, t: t.tensor_split([1, 3], 1),
        lambda L, t: L.tensor_split(t, L.tensor([1, 2])),
        lambda L, t: L.tensor_split(t, L.tensor(2), 1),
        lambda L, t: t.tensor_split((3, 1, 7, -1), 1),
        lambda L, t: L.hsplit(t, 2),
        lambda L, t: t.vsplit([1]),
        lambda L, t: L.split(t, 1, 0),
    ):
        check_view(f, X)
        check_view(f, XT)
    check_view(lambda L, t: L.dsplit(t, [1, 3]), X3)
    check_view(lambda L, t: L.hsplit(t, 3), _rand(6))
    check_view(lambda L, t: t.chunk(3), torch.zeros(0, 3))
    check_view(lambda L, t: t.split(0), torch.zeros(0, 3))


def test_split_errors():
    msg = dict(check_message=True)
    for f in (
        lambda L, t: t.split(-1),
        lambda L, t: t.split(0),
        lambda L, t: L.split(t, [2, 2]),
        lambda L, t: L.split(t, [4, -1]),
        lambda L, t: t.split_with_sizes([2, 2], -2),
        lambda L, t: t.chunk(0),
        lambda L, t: t.chunk(-1, 5),
        lambda L, t: L.tensor_split(t, 0),
        lambda L, t: L.tensor_split(t, L.tensor([1.0])),
        lambda L, t: L.tensor_split(t, L.tensor([[1]])),
        lambda L, t: L.hsplit(t, 2),
        lambda L, t: L.vsplit(t, 2),
        lambda L, t: L.dsplit(t, 2),
        lambda L, t: L.hsplit(t, 0),
        lambda L, t: t.split(2.0),
    ):
        both(f, X, **msg)
    both(lambda L, t: t.split(1), torch.tensor(1.0), **msg)
    both(lambda L, t: t.chunk(1), torch.tensor(1.0), **msg)
    both(lambda L, t: L.tensor_split(t, 1), torch.tensor(1.0), **msg)
    both(lambda L, t: L.hsplit(t, 1), torch.tensor(1.0), **msg)


def test_unsafe_split_shares_memory_but_not_autograd_view():
    for _name, f in (
        ("unsafe_split", lambda L, t: L.unsafe_split(t, 2)),
        ("unsafe_chunk", lambda L, t: L.unsafe_chunk(t, 2, 1)),
        ("unsafe_split_with_sizes", lambda L, t: L.unsafe_split_with_sizes(t, [1, 2])),
    ):
        xt = X.clone().requires_grad_()
        xj = to_tj(xt)
        a, b = f(torch, xt), f(torchjax, xj)
        assert_same(list(b), [p.detach() for p in a], check_stride=True)
        assert [_gf(p) for p in b] == [_gf(p) for p in a]
        assert all(p._base is None and not p._is_view() for p in b)
        assert b[0].data_ptr() == xj.data_ptr()
        sum((p * (i + 1)).sum() for i, p in enumerate(a)).backward()
        sum((p * (i + 1)).sum() for i, p in enumerate(b)).backward()
        assert_same(xj.grad, xt.grad)
        # memory is shared: a write into a piece shows in the input
        xt2, xj2 = X.clone(), to_tj(X.clone())
        with torch.no_grad():
            f(torch, xt2)[0].fill_(7)
        with torchjax.no_grad():
            f(torchjax, xj2)[0].fill_(7)
        assert_same(xj2, xt2)


# ------------------------------------------------------------------ diagonal / unfold / as_strided


def test_diagonal_unfold():
    for f in (
        lambda L, t: t.diagonal(),
        lambda L, t: L.diagonal(t, 1),
        lambda L, t: t.diagonal(-1),
        lambda L, t: t.diagonal(5),
        lambda L, t: t.diagonal(0, 1, 0),
    ):
        check_view(f, X)
        check_view(f, XT)
    check_view(lambda L, t: t.diagonal(0, 0, 2), X3)
    check_view(lambda L, t: L.diagonal(t, offset=1, dim1=-1, dim2=1), X3)
    for f in (
        lambda L, t: t.unfold(0, 2, 1),
        lambda L, t: t.unfold(1, 2, 2),
        lambda L, t: t.unfold(-1, 4, 1),
        lambda L, t: t.unfold(0, 0, 1),
    ):
        check_view(f, X, write=False)
        check_view(f, XT, write=False)
    check_view(lambda L, t: t.unfold(0, 1, 1), torch.tensor(2.0))
    check_view(lambda L, t: t.unfold(1, 2, 2), X)  # non-overlapping windows can be written
    msg = dict(check_message=True)
    for f in (
        lambda L, t: t.diagonal(0, 1, 1),
        lambda L, t: t.diagonal(0, 0, 3),
        lambda L, t: t.unfold(1, 5, 1),
        lambda L, t: t.unfold(1, 2, 0),
        lambda L, t: t.unfold(1, -1, 1),
        lambda L, t: t.unfold(3, 1, 1),
    ):
        both(f, X, **msg)
    both(lambda L, t: t.unfold(0, 2, 1), torch.tensor(2.0), **msg)


def test_as_strided():
    for f in (
        lambda L, t: t.as_strided((2, 2), (1, 2)),
        lambda L, t: L.as_strided(t, (3,), (4,), 1),
        lambda L, t: t.as_strided((2, 3), (1, 2), 2),
        lambda L, t: t.as_strided((0, 2), (100, 1), 50),
        lambda L, t: t.as_strided((), (), 11),
    ):
        check_view(f, X)
    check_view(lambda L, t: t[1:].as_strided((2, 2), (1, 3)), X, write=True)
    check_view(lambda L, t: t.as_strided((2, 2), (0, 1)), X, write=False)
    msg = dict(check_message=True)
    for f in (
        lambda L, t: t.as_strided((2, 2), (1,)),
        lambda L, t: t.as_strided((2, 2), (1, -1)),
        lambda L, t: t.as_strided((2, 2), (100, 1)),
        lambda L, t: t.as_strided((2, -2), (1, 1)),
        lambda L, t: t.as_strided((2, 2), (1, 1), -1),
        lambda L, t: t.as_strided((2, 2), (1, 1), 11),
    ):
        both(f, X, **msg)


def test_as_strided_of_a_view_reaches_outside_it():
    # storage positions outside the input view: values come from storage, gradient from the input
    base = torch.arange(15.0)
    xt = base[2:8].clone()
    for f in (lambda L, t: t[1:].as_strided((2, 2), (1, 3), 0),):
        bt = torch.arange(15.0).requires_grad_()
        bj = to_tj(bt)
        rt, rj = f(torch, bt[2:8]), f(torchjax, bj[2:8])
        assert_same(rj, rt.detach(), check_stride=True)
        (rt * torch.arange(4.0).reshape(2, 2)).sum().backward()
        (rj * torchjax.arange(4.0).reshape(2, 2)).sum().backward()
        assert_same(bj.grad, bt.grad)
    del xt


# ------------------------------------------------------------------ alias / view_as / dtype views


def test_alias_and_view_as():
    check_view(lambda L, t: t[...], X)
    check_view(lambda L, t: t[:, :], X)
    check_view(lambda L, t: t[()], X)
    check_view(lambda L, t: t[:], X)
    check_view(lambda L, t: t.view_as(L.zeros(4, 3)), X)
    check_view(lambda L, t: t.reshape_as(L.zeros(2, 6)), X)


@pytest.mark.parametrize(
    "dt",
    [
        torch.int32,
        torch.int16,
        torch.float64,
        torch.uint8,
        torch.bool,
        torch.float32,
        torch.complex64,
    ],
)
def test_view_dtype(dt):
    x = torch.arange(24.0).reshape(2, 3, 4)
    both(lambda L, t: t.view(dt if L is torch else to_tj(dt)), x, check_stride=True)
    # not an autograd view, never requires grad, but shares storage and version counter
    xt = x.clone().requires_grad_()
    xj = to_tj(xt)
    a, b = xt.view(dt), xj.view(to_tj(dt))
    assert (b._base is None) == (a._base is None)
    assert b.requires_grad == a.requires_grad
    assert b.data_ptr() == xj.data_ptr()


def test_view_dtype_writes_through():
    xt = torch.arange(6.0)
    xj = to_tj(xt)
    xt.view(torch.int32)[0] = 1
    xj.view(torchjax.int32)[0] = 1
    assert_same(xj, xt)
    assert xj._version == xt._version


def test_view_dtype_errors():
    x = torch.arange(24.0).reshape(2, 3, 4)
    msg = dict(check_message=True)
    for f in (
        lambda L, t: t[:, :, :3].view(L.float64),
        lambda L, t: t[:, :, 1:3].view(L.float64),
        lambda L, t: t.transpose(1, 2).view(L.float64),
        lambda L, t: t[0, 0, 0].view(L.float64),
        lambda L, t: t[:, :, ::2].view(L.int16),
        lambda L, t: t[0, :, 1:3].view(L.float64),
    ):
        both(f, x, **msg)
    both(lambda L, t: t[1:].view(L.int32), torch.zeros(3, dtype=torch.int16), **msg)


def test_real_imag_views():
    z = torch.complex(_rand(2, 3), _rand(2, 3, seed=1))
    for f in (
        lambda L, t: L.view_as_real(t),
        lambda L, t: t.real,
        lambda L, t: t.imag,
        lambda L, t: L.real(t),
        lambda L, t: L.imag(t),
    ):
        check_view(f, z, grad=False)
        check_view(f, z.t(), grad=False)
    check_view(lambda L, t: L.view_as_complex(t), _rand(3, 2))
    check_view(lambda L, t: L.view_as_real(t), z)
    # real of a real tensor is the tensor itself
    xj = to_tj(X)
    assert xj.real is xj
    msg = dict(check_message=True)
    both(lambda L, t: t.imag, X, **msg)
    both(lambda L, t: L.view_as_real(t), X, **msg)
    both(lambda L, t: L.view_as_complex(t), _rand(3, 3), **msg)
    both(lambda L, t: L.view_as_complex(t), _rand(2, 4)[:, ::2], **msg)


# ------------------------------------------------------------------ in-place through views + autograd


def test_inplace_through_view_grad():
    for f in (
        lambda t: t[1].mul_(2),
        lambda t: t[:, 1:].add_(1),
        lambda t: t.t()[0].zero_(),
        lambda t: t.diagonal().mul_(3),
        lambda t: t.unsqueeze(0)[0, 1].fill_(2),
    ):
        at = X.clone().requires_grad_()
        aj = to_tj(at)
        bt, bj = at * 1, aj * 1
        f(bt)
        f(bj)
        assert _gf(bj) == _gf(bt) == "CopySlices"
        (bt * torch.arange(12.0).reshape(3, 4)).sum().backward()
        (bj * torchjax.arange(12.0).reshape(3, 4)).sum().backward()
        assert_same(aj.grad, at.grad)


def test_view_of_leaf_requiring_grad_cannot_be_modified():
    both(lambda L, t: t[0].add_(1), X.clone().requires_grad_())
    both(lambda L, t: t.view(-1).add_(1), X.clone().requires_grad_())


# ------------------------------------------------------------------ *_copy variants


_COPIES = [
    ("expand_copy", lambda L, t: L.expand_copy(t[:1], (2, 3, 4))),
    ("permute_copy", lambda L, t: L.permute_copy(t, (1, 0))),
    ("t_copy", lambda L, t: L.t_copy(t)),
    ("transpose_copy", lambda L, t: L.transpose_copy(t, 0, 1)),
    ("unsqueeze_copy", lambda L, t: L.unsqueeze_copy(t, 1)),
    ("squeeze_copy", lambda L, t: L.squeeze_copy(t[:1])),
    ("squeeze_copy_dim", lambda L, t: L.squeeze_copy(t[:1], 0)),
    ("squeeze_copy_dims", lambda L, t: L.squeeze_copy(t[:1], (0, 1))),
    ("view_copy", lambda L, t: L.view_copy(t, (4, 3))),
    ("unbind_copy", lambda L, t: L.unbind_copy(t, 1)),
    ("unfold_copy", lambda L, t: L.unfold_copy(t, 0, 2, 1)),
    ("narrow_copy", lambda L, t: L.narrow_copy(t, 1, 1, 2)),
    ("narrow_copy_method", lambda L, t: t.narrow_copy(0, 0, 2)),
    ("alias_copy", lambda L, t: L.alias_copy(t)),
    ("as_strided_copy", lambda L, t: L.as_strided_copy(t, (2, 2), (1, 3), 1)),
    ("split_copy", lambda L, t: L.split_copy(t, 2)),
    ("split_with_sizes_copy", lambda L, t: L.split_with_sizes_copy(t, [1, 3], 1)),
    ("select_copy", lambda L, t: L.select_copy(t, 1, -1)),
    ("slice_copy", lambda L, t: L.slice_copy(t, 1, 0, 4, 2)),
    ("diagonal_copy", lambda L, t: L.diagonal_copy(t, 1)),
]


@pytest.mark.parametrize("name,f", _COPIES, ids=[c[0] for c in _COPIES])
@pytest.mark.parametrize("x", [X, XT], ids=["contig", "transposed"])
def test_copy_variants(name, f, x):
    xt = (
        x.clone().requires_grad_()
        if x.is_contiguous()
        else x.detach().clone().t().contiguous().t().requires_grad_()
    )
    xj = to_tj(xt)
    a, b = f(torch, xt), f(torchjax, xj)
    for p, q in zip(_outs(a), _outs(b)):
        assert_same(q, p.detach(), check_stride=True)
        assert q._base is None and q.data_ptr() != xj.data_ptr()
        assert _gf(q) == _gf(p)
    ws = [_rand(*p.shape, seed=i) for i, p in enumerate(_outs(a))]
    sum((p * w).sum() for p, w in zip(_outs(a), ws)).backward()
    sum((q * to_tj(w)).sum() for q, w in zip(_outs(b), ws)).backward()
    assert_same(xj.grad, xt.grad)


def test_copy_variants_misc():
    both(lambda L, t: L.view_copy(t, L.int32), X, check_stride=True)
    both(lambda L, t: L.detach_copy(t), X)
    z = torch.complex(_rand(2, 3), _rand(2, 3, seed=1))
    both(lambda L, t: L.view_as_real_copy(t), z, check_stride=True)
    both(lambda L, t: L.view_as_complex_copy(t), _rand(3, 2))
    both(lambda L, t: L.view_as_complex_copy(t), _rand(3, 2).requires_grad_(), check_message=True)
    both(lambda L, t: L.expand_copy(t, (5, 4)), X, check_message=True)
    both(lambda L, t: L.expand_copy(t, (2, 3, 4), out=L.empty(2, 3, 4)), X)
    both(lambda L, t: L.permute_copy(t, (0, 0)), X, check_message=True)


# ------------------------------------------------------------------ *_scatter


_SCATTERS = [
    ("slice_scatter", lambda L, t, s: L.slice_scatter(t, s[:2], 0, 0, 4, 2)),
    ("slice_scatter_dim1", lambda L, t, s: L.slice_scatter(t, s[:, :2], 1, -2)),
    ("slice_scatter_method", lambda L, t, s: t.slice_scatter(s[:1], start=1, end=2)),
    ("select_scatter", lambda L, t, s: L.select_scatter(t, s[0], 0, -1)),
    ("diagonal_scatter", lambda L, t, s: L.diagonal_scatter(t, s[0, :3], 1)),
    ("diagonal_scatter_neg", lambda L, t, s: L.diagonal_scatter(t, s[0, :2], -1)),
    ("as_strided_scatter", lambda L, t, s: L.as_strided_scatter(t, s[:2, :2], (2, 2), (1, 4), 1)),
]


@pytest.mark.parametrize("name,f", _SCATTERS, ids=[c[0] for c in _SCATTERS])
def test_view_scatter_ops(name, f):
    xt = X.clone().requires_grad_()
    st = _rand(3, 4, seed=5).requires_grad_()
    xj, sj = to_tj(xt), to_tj(st)
    a, b = f(torch, xt, st), f(torchjax, xj, sj)
    assert_same(b, a.detach(), check_stride=True)
    assert _gf(b) == _gf(a)
    w = _rand(*a.shape, seed=9)
    (a * w).sum().backward()
    (b * to_tj(w)).sum().backward()
    assert_same(sj.grad, st.grad)
    # as_strided_scatter: torch's self-gradient (as_strided_scatter_backward) is the scattered
    # region of grad, not its complement; torchjax mirrors it
    assert_same(xj.grad, xt.grad)


def test_view_scatter_layout_and_dtype():
    x = torch.zeros(4, 3)
    both(lambda L, t: L.slice_scatter(t.t(), L.ones(1, 4) + 5, 0, 1, 2), x, check_stride=True)
    both(lambda L, t: L.slice_scatter(t, L.ones(2, 3, dtype=L.int64), 0, 0, 2), x)
    both(
        lambda L, t: L.as_strided_scatter(t[1:], L.ones(2, 2), (2, 2), (1, 2)), x, check_stride=True
    )
    both(
        lambda L, t: L.as_strided_scatter(t[1:], L.ones(2, 2), (2, 2), (1, 2), 0),
        x,
        check_stride=True,
    )
    both(
        lambda L, t: L.as_strided_scatter(t[1:, ::2], -L.ones(2), (2,), (1,), 4),
        x,
        check_stride=True,
    )
    both(lambda L, t: L.select_scatter(t, L.ones(3, dtype=L.int32), 0, 1), x)


def test_view_scatter_errors():
    x = torch.zeros(4, 3)
    msg = dict(check_message=True)
    for f in (
        lambda L, t: L.slice_scatter(t, L.ones(3, 3), 0, 0, 2),
        lambda L, t: L.slice_scatter(t, L.ones(2, 1), 0, 0, 2),
        lambda L, t: L.slice_scatter(t, L.ones(4, 1), 1, 1, 2, 0),
        lambda L, t: L.select_scatter(t, L.ones(3), 0, 4),
        lambda L, t: L.select_scatter(t, L.ones(4), 0, 1),
        lambda L, t: L.diagonal_scatter(t, L.ones(2)),
        lambda L, t: L.as_strided_scatter(t, L.ones(2, 3), (2, 2), (1, 2)),
        lambda L, t: L.as_strided_scatter(t, L.ones(2, 2), (2, 2), (1, 2), 20),
        lambda L, t: L.as_strided_scatter(t, L.ones(2, 2), (2, 2), (0, 1)),
    ):
        both(f, x, **msg)


def test_view_ops_exist_under_torch_names():
    for name in (
        "expand_copy",
        "permute_copy",
        "t_copy",
        "transpose_copy",
        "unsqueeze_copy",
        "squeeze_copy",
        "view_copy",
        "unbind_copy",
        "unfold_copy",
        "narrow_copy",
        "alias_copy",
        "as_strided_copy",
        "split_with_sizes_copy",
        "split_copy",
        "select_copy",
        "slice_copy",
        "diagonal_copy",
        "detach_copy",
        "view_as_real_copy",
        "view_as_complex_copy",
        "slice_scatter",
        "select_scatter",
        "diagonal_scatter",
        "as_strided_scatter",
        "unsafe_split",
        "unsafe_chunk",
        "unsafe_split_with_sizes",
        "as_strided",
        "swapaxes",
        "swapdims",
        "moveaxis",
        "movedim",
        "adjoint",
        "tensor_split",
        "hsplit",
        "vsplit",
        "dsplit",
    ):
        assert hasattr(torchjax, name), name
    for name in (
        "narrow_copy",
        "slice_scatter",
        "select_scatter",
        "diagonal_scatter",
        "as_strided_scatter",
        "view_as",
        "expand_as",
        "reshape_as",
        "unfold",
        "unflatten",
        "split_with_sizes",
        "as_strided",
    ):
        assert hasattr(torchjax.Tensor, name), name


def test_no_warning_spam_from_T():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for _ in range(3):
            to_tj(X3).T  # noqa: B018
    assert len(w) <= 1


def test_as_strided_inplace():
    both(lambda L, t: t.as_strided_((2, 2), (1, 2), 1), torch.arange(6.0), check_stride=True)
    both(
        lambda L, t: t.as_strided_((2,), (1,)),
        torch.arange(6.0).requires_grad_(),
        check_message=True,
    )
    for L in (torch, torchjax):
        a = L.arange(6.0).requires_grad_()
        b = a * 1
        c = b.as_strided_((2, 2), (1, 2))
        assert c is b and type(c.grad_fn).__name__ == "AsStridedBackward1"
        (c * L.tensor([[1.0, 2], [3, 4]])).sum().backward()
        assert a.grad.tolist() == [1.0, 3.0, 2.0, 4.0, 0.0, 0.0]


@pytest.mark.parametrize(
    "call",
    [
        "t_()",
        "transpose_(0, 1)",
        "swapaxes_(1, 0)",
        "swapdims_(0, -1)",
        "squeeze_()",
        "unsqueeze_(0)",
        "squeeze_(0)",
        "squeeze_((0,))",
        "unsqueeze_(-1)",
    ],
)
def test_inplace_view_ops(call):
    res = {}
    for L in (torch, torchjax):
        a = L.arange(6.0).reshape(2, 3).requires_grad_()
        b = a * 1
        r = eval("b." + call)  # noqa: S307
        assert r is b
        w = L.arange(float(b.numel())).reshape(b.shape)
        (b * w).sum().backward()
        res[L] = (tuple(b.shape), b.stride(), b._version, type(b.grad_fn).__name__, a.grad.tolist())
    assert res[torchjax] == res[torch]
    both(lambda L, t: eval("t." + call), torch.zeros(2, 3).requires_grad_(), check_message=True)  # noqa: S307


@pytest.mark.parametrize(
    "shape,sshape,size,stride,off",
    [
        ((3, 3), (2, 2), (2, 2), (1, 2), 1),
        ((1,), (), (), (), 0),
        ((1,), (1,), (1,), (1,), None),
        ((4, 5), (2, 3), (2, 3), (5, 1), 6),
    ],
)
def test_as_strided_scatter_grad(shape, sshape, size, stride, off):
    # torch's as_strided_scatter_backward copies grad's as_strided slice into zeros for self (the
    # scattered region gets the gradient); src gets the same slice
    def f(lib, x, s, g):
        y = lib.as_strided_scatter(x, s, size, stride, off)
        return (y,) + tuple(lib.autograd.grad(y, (x, s), g))

    both(
        f,
        torch.randn(shape, requires_grad=True),
        torch.randn(sshape, requires_grad=True),
        torch.randn(shape),
    )


def test_as_strided_scatter_noncontiguous_requires_grad():
    x = torch.randn(3, 3).t()
    both(
        lambda lib, x, s: lib.as_strided_scatter(x, s, (2, 2), (1, 2)),
        x.requires_grad_(),
        torch.randn(2, 2),
        check_message=True,
    )
    both(
        lambda lib, x, s: lib.as_strided_scatter(x, s, (2, 2), (1, 2)),
        x.detach(),
        torch.randn(2, 2),
    )
