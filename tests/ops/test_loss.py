"""torch.nn.functional losses (and torch.pdist / the torch.* loss spellings) against real torch:
values, dtypes and shapes for every reduction, the legacy size_average/reduce arguments and their
warning, weight / ignore_index / label_smoothing / pos_weight, gradients and grad_fn names, and
torch's exception types and messages for bad input."""

from __future__ import annotations

import math
import warnings

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax

REDUCTIONS = ("none", "mean", "sum")


def F(t):
    return t.nn.functional


def _g(*shape, seed=0, lo=None, hi=None, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(*shape, generator=g, dtype=torch.float64)
    if lo is not None:
        x = torch.rand(*shape, generator=g, dtype=torch.float64) * (hi - lo) + lo
    return x.to(dtype)


def grad_parity(fn, inputs, others=(), name=True, rtol=None, atol=None):
    """Value, grad_fn name and input gradients of ``fn(lib, *inputs, *others)`` against torch."""
    th_in = [x.detach().clone().requires_grad_(True) for x in inputs]
    tj_in = [to_tj(x) for x in th_in]
    r_th = fn(torch, *th_in, *others)
    r_tj = fn(torchjax, *tj_in, *to_tj(list(others)))
    assert_same(r_tj, r_th, rtol=rtol, atol=atol)
    if name:
        assert type(r_tj.grad_fn).__name__ == type(r_th.grad_fn).__name__
    cot = (
        _g(*r_th.shape, seed=7, dtype=r_th.dtype)
        if r_th.dim()
        else torch.tensor(1.3, dtype=r_th.dtype)
    )
    g_th = torch.autograd.grad(r_th, th_in, cot, allow_unused=True)
    g_tj = torchjax.autograd.grad(r_tj, tj_in, to_tj(cot), allow_unused=True)
    for a, b in zip(g_tj, g_th):
        if b is None:
            assert a is None or not a.any()
        else:
            assert_same(a, b, rtol=rtol, atol=atol)


def quiet(fn):
    def f(lib, *args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(lib, *args)

    return f


X = _g(4, 5)
Y = _g(4, 5, seed=1)
SIGN = torch.sign(_g(4, 5, seed=2))
T = torch.tensor([1, 0, 4, 2])


# ------------------------------------------------------------------ regression losses


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "name,kw",
    [
        ("mse_loss", {}),
        ("l1_loss", {}),
        ("smooth_l1_loss", {}),
        ("smooth_l1_loss", {"beta": 0.5}),
        ("smooth_l1_loss", {"beta": 0.0}),
        ("huber_loss", {}),
        ("huber_loss", {"delta": 0.3}),
    ],
)
def test_regression_losses(name, kw, reduction):
    grad_parity(lambda t, a, b: getattr(F(t), name)(a, b, reduction=reduction, **kw), [X, Y])


def test_regression_kinks():
    # |x - y| exactly at beta / delta and at 0: torch's backward formulas
    x = torch.tensor([0.0, 1.0, -1.0, 0.5, 2.0, -0.5])
    y = torch.zeros(6)
    for name, kw in (("smooth_l1_loss", {}), ("huber_loss", {"delta": 0.5}), ("l1_loss", {})):
        grad_parity(
            lambda t, a, name=name, kw=kw: getattr(F(t), name)(
                a, y if t is torch else to_tj(y), reduction="sum", **kw
            ),
            [x],
        )


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
def test_weighted_regression(name):
    w = _g(4, 5, seed=3).abs()
    for red in REDUCTIONS:
        grad_parity(
            lambda t, a, b, ww, red=red: getattr(F(t), name)(a, b, reduction=red, weight=ww),
            [X, Y],
            [w],
            name=False,
        )
    both(
        lambda t, a, b, ww: getattr(F(t), name)(a, b, weight=ww),
        X,
        Y,
        torch.ones(5),
        check_message=True,
    )


def test_broadcast_warning_and_errors():
    with pytest.warns(UserWarning, match="different to the input size"):
        F(torchjax).mse_loss(to_tj(X), to_tj(Y[0]))
    both(quiet(lambda t, a, b: F(t).mse_loss(a, b)), X, Y[0])
    both(quiet(lambda t, a, b: F(t).mse_loss(a, b)), X, torch.randn(4), check_message=True)
    both(quiet(lambda t, a, b: F(t).huber_loss(a, b)), X, torch.randn(4), check_message=True)


@pytest.mark.parametrize(
    "case",
    [
        lambda t: F(t).mse_loss(t.tensor([1, 2]), t.tensor([1, 2])),
        lambda t: F(t).mse_loss(t.tensor([True]), t.tensor([True])),
        lambda t: F(t).mse_loss(t.tensor([1j]), t.tensor([1j])),
        lambda t: F(t).smooth_l1_loss(t.tensor([1, 2]), t.tensor([1, 2])),
        lambda t: F(t).smooth_l1_loss(t.ones(2), t.ones(2), beta=-1.0),
        lambda t: F(t).huber_loss(t.tensor([1, 2]), t.tensor([1, 2])),
        lambda t: F(t).huber_loss(t.ones(2), t.ones(2), delta=0.0),
        lambda t: F(t).l1_loss(t.tensor([1, 2]), t.tensor([1, 2])),
        lambda t: F(t).soft_margin_loss(t.tensor([1, 2]), t.tensor([1, 2])),
        lambda t: F(t).soft_margin_loss(t.ones(3, 5), t.ones(4)),
        lambda t: F(t).mse_loss(t.ones(2), t.ones(2), reduction="foo"),
    ],
)
def test_regression_errors(case):
    both(quiet(case), check_message=True)


def test_dtypes():
    both(lambda t, a, b: F(t).mse_loss(a, b), X, Y.double())
    both(lambda t, a, b: F(t).mse_loss(a, b), X.long(), Y)
    both(lambda t, a, b: F(t).l1_loss(a, b), X.to(torch.complex64), Y.to(torch.complex64))
    both(lambda t, a, b: F(t).smooth_l1_loss(a, b), X.half(), Y.half(), rtol=1e-2, atol=1e-2)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_soft_margin(reduction):
    grad_parity(lambda t, a, b: F(t).soft_margin_loss(a, b, reduction=reduction), [X], [SIGN])


def test_legacy_reduction_args():
    for sa, rd in ((None, False), (False, None), (True, True), (False, True), (None, None)):
        for name in ("mse_loss", "l1_loss", "soft_margin_loss", "kl_div", "smooth_l1_loss"):
            both(
                quiet(
                    lambda t, a, b, name=name, sa=sa, rd=rd: getattr(F(t), name)(
                        a, b, size_average=sa, reduce=rd
                    )
                ),
                X,
                Y.abs(),
            )
        both(
            quiet(lambda t, a, b, sa=sa, rd=rd: F(t).nll_loss(a, b, size_average=sa, reduce=rd)),
            X,
            T,
        )
        both(
            quiet(
                lambda t, a, b, sa=sa, rd=rd: F(t).cross_entropy(a, b, size_average=sa, reduce=rd)
            ),
            X,
            T,
        )
    with pytest.warns(
        UserWarning,
        match=r"size_average and reduce args will be deprecated, please use "
        r"reduction='sum' instead.",
    ):
        F(torchjax).mse_loss(to_tj(X), to_tj(Y), size_average=False)
    with pytest.warns(UserWarning, match="elementwise_mean"):
        F(torchjax).mse_loss(to_tj(X), to_tj(Y), reduction="elementwise_mean")


# ------------------------------------------------------------------ kl_div


@pytest.mark.parametrize("reduction", ("none", "mean", "sum", "batchmean"))
@pytest.mark.parametrize("log_target", (False, True))
def test_kl_div(reduction, log_target):
    inp = X.log_softmax(1)
    tgt = Y.log_softmax(1) if log_target else Y.softmax(1)
    tgt = tgt.clone()
    if not log_target:
        tgt[0, 0] = 0.0  # xlogy(0, 0) = 0
    grad_parity(
        quiet(lambda t, a, b: F(t).kl_div(a, b, reduction=reduction, log_target=log_target)),
        [inp, tgt],
    )


def test_kl_div_misc():
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        F(torchjax).kl_div(to_tj(X), to_tj(Y))
    both(
        lambda t, a, b: F(t).kl_div(a, b, reduction="batchmean"),
        torch.tensor(0.5),
        torch.tensor(0.3),
    )
    both(lambda t, a, b: t.kl_div(a, b, 2, log_target=True), X, Y)
    both(quiet(lambda t: F(t).kl_div(t.tensor([1]), t.tensor([1]))), check_message=True)
    both(quiet(lambda t: F(t).kl_div(t.tensor([1j]), t.tensor([1j]))), check_message=True)
    both(quiet(lambda t, a: F(t).kl_div(a, a, reduction="foo")), X, check_message=True)


# ------------------------------------------------------------------ nll_loss / cross_entropy


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "shape,tshape",
    [
        ((5,), ()),
        ((4, 5), (4,)),
        ((2, 5, 3), (2, 3)),
        ((2, 5, 3, 2), (2, 3, 2)),
        ((2, 5, 2, 2, 2), (2, 2, 2, 2)),
        ((0, 5), (0,)),
        ((0, 5, 3), (0, 3)),
    ],
)
@pytest.mark.parametrize("weighted", (False, True))
def test_nll_loss(shape, tshape, reduction, weighted):
    x = _g(*shape).log_softmax(1 if len(shape) > 1 else 0)
    t = torch.randint(0, 5, tshape, generator=torch.Generator().manual_seed(1))
    if t.numel() > 2:
        t.view(-1)[1] = -100
    w = _g(5, seed=4).abs() if weighted else None
    grad_parity(
        lambda tt, a, b, ww: F(tt).nll_loss(a, b, weight=ww, reduction=reduction), [x], [t, w]
    )


def test_nll_loss_cases():
    x = X.log_softmax(1)
    both(lambda t, a, b: F(t).nll_loss(a, b, ignore_index=0), x, T)
    both(lambda t, a, b: F(t).nll_loss(a, b), x, torch.full((4,), -100))  # all ignored: nan
    both(lambda t, a, b: F(t).nll_loss(a, b), x, T.to(torch.uint8))
    both(lambda t, a, b: F(t).nll_loss(a, b), torch.randn(5), torch.tensor([2]))
    both(lambda t, a, b: F(t).nll_loss(a, b, reduction="none"), torch.randn(5), torch.tensor(2))
    grad_parity(lambda t, a, b: F(t).nll_loss(a, b), [x], [torch.full((4,), -100)])


@pytest.mark.parametrize(
    "case",
    [
        lambda t: F(t).nll_loss(t.randn(3, 5), t.tensor([1, 0, 4]).int()),
        lambda t: F(t).nll_loss(t.randn(3, 5), t.tensor([1.0, 0.0, 4.0])),
        lambda t: F(t).nll_loss(t.randn(3, 5), t.tensor([1, 0, 5])),
        lambda t: F(t).nll_loss(t.randn(3, 5), t.tensor([1, -1, 2]), reduction="none"),
        lambda t: F(t).nll_loss(t.randn(3, 5), t.tensor([1, 0])),
        lambda t: F(t).nll_loss(t.tensor(1.0), t.tensor(0)),
        lambda t: F(t).nll_loss(t.randn(5), t.tensor([2, 1])),
        lambda t: F(t).nll_loss(t.randn(3, 5), t.zeros(3, 1, dtype=t.long)),
        lambda t: F(t).nll_loss(t.randn(3, 5), t.tensor([1, 0, 4]), weight=t.ones(4)),
        lambda t: F(t).nll_loss(
            t.randn(3, 5), t.tensor([1, 0, 4]), weight=t.ones(5, dtype=t.float64)
        ),
        lambda t: F(t).nll_loss(t.ones(3, 5, dtype=t.long), t.tensor([1, 0, 4])),
        lambda t: F(t).nll_loss(t.randn(2, 3, 4), t.zeros(2, 5, dtype=t.long)),
        lambda t: F(t).nll_loss(t.randn(2, 3, 4, 5), t.zeros(2, 5, 5, dtype=t.long)),
        lambda t: F(t).nll_loss(t.randn(2, 3, 4, 5), t.full((2, 4, 5), 3)),
        lambda t: F(t).nll_loss(t.randn(2, 3, 4), t.full((2, 4), 3)),
        lambda t: F(t).nll_loss(t.randn(2, 3, 4, 5), t.zeros(2, 4, 5, 1, dtype=t.long)),
        lambda t: F(t).nll_loss(
            t.randn(2, 3, 4, 5), t.zeros(2, 4, 5, dtype=t.long), weight=t.ones(4)
        ),
        lambda t: F(t).nll_loss(t.randn(3, 5), t.tensor([1, 0, 4]), reduction="foo"),
        lambda t: F(t).cross_entropy(t.randn(3, 5), t.rand(3, 4)),
        lambda t: F(t).cross_entropy(t.randn(3, 5), t.ones(3, 5, dtype=t.long)),
        lambda t: F(t).cross_entropy(t.randn(3, 5), t.rand(3, 5), ignore_index=1),
        lambda t: F(t).cross_entropy(t.randn(3, 5), t.tensor([1, 0, 4]), label_smoothing=1.5),
        lambda t: F(t).cross_entropy(t.randn(3, 5), t.rand(3, 5), label_smoothing=1.5),
        lambda t: F(t).cross_entropy(t.randn(3, 5), t.rand(3, 5), weight=t.ones(3)),
        lambda t: F(t).cross_entropy(
            t.randn(3, 5), t.tensor([1, 0, 4]), weight=t.ones(4), label_smoothing=0.1
        ),
        lambda t: F(t).cross_entropy(t.ones(3, 5, dtype=t.long), t.tensor([1, 0, 4])),
        lambda t: F(t).cross_entropy(t.tensor(1.0), t.tensor(0)),
        lambda t: F(t).cross_entropy(t.randn(3, 5), t.tensor([1, 0, 7]), label_smoothing=0.1),
        lambda t: F(t).cross_entropy(t.randn(3, 5), t.tensor([1, 0, 4]).int()),
    ],
)
def test_nll_cross_entropy_errors(case):
    both(case, check_message=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", (0.0, 0.2))
@pytest.mark.parametrize("weighted", (False, True))
@pytest.mark.parametrize("shape", [(5,), (4, 5), (2, 5, 3)])
def test_cross_entropy_indices(shape, weighted, smoothing, reduction):
    x = _g(*shape)
    tshape = shape[:1] + shape[2:] if len(shape) > 1 else ()
    t = torch.randint(0, 5, tshape, generator=torch.Generator().manual_seed(3))
    if t.numel() > 2:
        t.view(-1)[0] = -100
    w = _g(5, seed=4).abs() if weighted else None
    grad_parity(
        lambda tt, a, b, ww: F(tt).cross_entropy(
            a, b, weight=ww, reduction=reduction, label_smoothing=smoothing
        ),
        [x],
        [t, w],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", (0.0, 0.2))
@pytest.mark.parametrize("weighted", (False, True))
@pytest.mark.parametrize("shape", [(5,), (4, 5), (2, 5, 3)])
def test_cross_entropy_probs(shape, weighted, smoothing, reduction):
    x = _g(*shape)
    p = _g(*shape, seed=5).softmax(1 if len(shape) > 1 else 0)
    w = _g(5, seed=4).abs() if weighted else None
    grad_parity(
        lambda tt, a, b, ww: F(tt).cross_entropy(
            a, b, weight=ww, reduction=reduction, label_smoothing=smoothing
        ),
        [x, p],
        [w],
    )


def test_cross_entropy_edge():
    both(lambda t, a, b: F(t).cross_entropy(a, b), torch.randn(0, 5), torch.rand(0, 5))
    both(lambda t, a, b: F(t).cross_entropy(a, b, label_smoothing=0.1), X, torch.full((4,), -100))
    both(lambda t, a, b: F(t).cross_entropy(a, b), X.half(), T, rtol=1e-2, atol=1e-2)
    both(lambda t, a, b: F(t).cross_entropy(a, b, label_smoothing=-0.5), X, T)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_linear_cross_entropy(reduction):
    inp, w, b = _g(6, 3), _g(5, 3, seed=1), _g(5, seed=2)
    t = torch.tensor([0, 4, 2, 1, 3, 3])
    grad_parity(
        lambda tt, a, ww, bb, tg: F(tt).linear_cross_entropy(
            a, ww, tg, linear_bias=bb, reduction=reduction
        ),
        [inp, w, b],
        [t],
    )
    wk = _g(5, 2, 3, seed=3)
    tk = torch.randint(0, 5, (6, 2), generator=torch.Generator().manual_seed(0))
    grad_parity(
        lambda tt, a, ww, tg: F(tt).linear_cross_entropy(a, ww, tg, reduction=reduction),
        [inp, wk],
        [tk],
    )
    both(
        lambda tt, a, ww: F(tt).linear_cross_entropy(
            a, ww, tt.tensor([1, 0, 4, 2, 1, 0]), label_smoothing=0.3, ignore_index=1
        ),
        inp,
        w,
    )
    both(
        lambda tt, a, ww: F(tt).linear_cross_entropy(a, ww, a.new_ones(6, 5) / 5, ignore_index=1),
        inp,
        w,
        check_message=True,
    )


# ------------------------------------------------------------------ binary cross entropy


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", (False, True))
def test_binary_cross_entropy(reduction, weighted):
    x = _g(4, 5, lo=0.02, hi=0.98)
    y = _g(4, 5, seed=1, lo=0.0, hi=1.0)
    w = _g(5, seed=2).abs() if weighted else None
    grad_parity(
        lambda t, a, b, ww: F(t).binary_cross_entropy(a, b, weight=ww, reduction=reduction),
        [x, y],
        [w],
    )


def test_binary_cross_entropy_clamp():
    # log clamped at -100; backward divides by max(x (1 - x), 1e-12)
    x = torch.tensor([0.0, 1.0, 0.5, 1e-30])
    y = torch.tensor([1.0, 0.0, 0.5, 1.0])
    both(lambda t, a, b: F(t).binary_cross_entropy(a, b, reduction="none"), x, y)
    grad_parity(
        lambda t, a: F(t).binary_cross_entropy(a, y if t is torch else to_tj(y), reduction="sum"),
        [torch.tensor([0.0, 1.0, 0.5, 0.25])],
    )


@pytest.mark.parametrize(
    "case",
    [
        lambda t: F(t).binary_cross_entropy(t.rand(3, 5), t.rand(5)),
        lambda t: F(t).binary_cross_entropy(t.tensor([1, 0]), t.tensor([1, 0])),
        lambda t: F(t).binary_cross_entropy(t.tensor([1.5, 0.2]), t.tensor([1.0, 0.0])),
        lambda t: F(t).binary_cross_entropy(
            t.tensor([0.5, 0.2]), t.tensor([1.0, 0.0], dtype=t.float64)
        ),
        lambda t: F(t).binary_cross_entropy_with_logits(t.rand(3, 5), t.rand(5)),
        lambda t: F(t).binary_cross_entropy_with_logits(t.tensor([1, 0]), t.tensor([1, 0])),
        lambda t: F(t).binary_cross_entropy_with_logits(
            t.rand(3, 5), t.rand(3, 5), pos_weight=t.rand(4)
        ),
        lambda t: F(t).binary_cross_entropy_with_logits(
            t.rand(3, 5), t.rand(3, 5), weight=t.rand(4)
        ),
    ],
)
def test_bce_errors(case):
    both(case, check_message=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos", (False, True))
@pytest.mark.parametrize("weighted", (False, True))
def test_bce_with_logits(reduction, pos, weighted):
    y = _g(4, 5, seed=1, lo=0.0, hi=1.0)
    pw = _g(5, seed=3).abs() if pos else None
    w = _g(4, 1, seed=2).abs() if weighted else None
    grad_parity(
        lambda t, a, b, ww, pp: F(t).binary_cross_entropy_with_logits(
            a, b, weight=ww, pos_weight=pp, reduction=reduction
        ),
        [X * 10, y],
        [w, pw],
    )
    both(lambda t, a, b: t.binary_cross_entropy_with_logits(a, b, None, None, 2), X, y)
    both(lambda t, a, b: F(t).binary_cross_entropy_with_logits(a, b), X, y.double())


# ------------------------------------------------------------------ poisson / gaussian nll


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("log_input", (True, False))
@pytest.mark.parametrize("full", (False, True))
def test_poisson_nll(reduction, log_input, full):
    x = X.abs() + 0.1
    y = torch.tensor([0.0, 1.0, 2.0, 5.0, 0.5]).repeat(4, 1)
    grad_parity(
        lambda t, a, b: F(t).poisson_nll_loss(
            a, b, log_input=log_input, full=full, reduction=reduction
        ),
        [x],
        [y],
    )
    both(lambda t, a, b: t.poisson_nll_loss(a, b, log_input, full, 1e-8, 1), x, y)
    both(lambda t, a: F(t).poisson_nll_loss(a, a, reduction="foo"), x, check_message=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("var_shape", [(4, 5), (4,), (4, 1), (1, 5)])
def test_gaussian_nll(reduction, var_shape):
    var = _g(*var_shape, seed=3).abs()
    var.view(-1)[0] = 0.0  # clamped at eps without gradient
    grad_parity(
        lambda t, a, b, v: F(t).gaussian_nll_loss(a, b, v, full=True, reduction=reduction),
        [X, Y, var],
    )
    both(lambda t, a, b: F(t).gaussian_nll_loss(a, b, 0.5, reduction=reduction), X, Y)


@pytest.mark.parametrize(
    "case",
    [
        lambda t: F(t).gaussian_nll_loss(t.ones(3, 5), t.ones(3, 5), -t.ones(3, 5)),
        lambda t: F(t).gaussian_nll_loss(t.ones(3, 5), t.ones(3, 5), t.ones(2, 5)),
        lambda t: F(t).gaussian_nll_loss(t.ones(3, 5), t.ones(3, 5), -1.0),
        lambda t: F(t).gaussian_nll_loss(t.ones(3, 5), t.ones(3, 5), t.ones(3, 5), reduction="foo"),
    ],
)
def test_gaussian_nll_errors(case):
    both(case, check_message=True)


# ------------------------------------------------------------------ margin / embedding losses


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_ranking_cosine(reduction):
    grad_parity(
        lambda t, a, b: F(t).hinge_embedding_loss(a, b, margin=0.7, reduction=reduction),
        [X],
        [SIGN],
    )
    grad_parity(
        lambda t, a, b, c: F(t).margin_ranking_loss(a, b, c, margin=0.2, reduction=reduction),
        [X, Y],
        [SIGN],
    )
    tg = torch.tensor([1, -1, 1, -1])
    grad_parity(
        lambda t, a, b, c: F(t).cosine_embedding_loss(a, b, c, margin=0.1, reduction=reduction),
        [X, Y],
        [tg],
    )
    grad_parity(
        lambda t, a, b, c: F(t).cosine_embedding_loss(a, b, c, reduction=reduction),
        [X[0], Y[0]],
        [torch.tensor(-1)],
    )
    both(lambda t, a, b: t.hinge_embedding_loss(a, b, 1.0, 0), X, SIGN)
    both(lambda t, a, b, c: t.margin_ranking_loss(a, b, c, 0.0, 2), X, Y, SIGN)
    both(lambda t, a, b, c: t.cosine_embedding_loss(a, b, c, 0.0, 1), X, Y, tg)
    both(lambda t, a: F(t).margin_ranking_loss(a, a, a), X.long())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", (1, 2))
@pytest.mark.parametrize("weighted", (False, True))
def test_multi_margin(reduction, p, weighted):
    w = _g(5, seed=4).abs() if weighted else None
    x = X.clone()
    x[0, 2] = x[0, 1] - 1.0  # z == 0 exactly: no gradient (torch uses z > 0)
    grad_parity(
        lambda t, a, b, ww: F(t).multi_margin_loss(
            a, b, p=p, margin=1.0, weight=ww, reduction=reduction
        ),
        [x],
        [T, w],
    )
    grad_parity(
        lambda t, a, b: F(t).multi_margin_loss(a, b, p=p, margin=0.5, reduction=reduction),
        [X[0]],
        [torch.tensor(3)],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_margin(reduction):
    tg = torch.tensor([[3, 0, -1, 1, 1], [1, 2, 3, 4, 0], [-1, 2, 0, 0, 0], [4, 4, -1, 0, 0]])
    grad_parity(lambda t, a, b: F(t).multilabel_margin_loss(a, b, reduction=reduction), [X], [tg])
    grad_parity(
        lambda t, a, b: F(t).multilabel_margin_loss(a, b, reduction=reduction), [X[0]], [tg[0]]
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_soft_margin(reduction):
    tg = (SIGN > 0).float()
    w = _g(5, seed=4).abs()
    grad_parity(
        lambda t, a, b: F(t).multilabel_soft_margin_loss(a, b, reduction=reduction), [X], [tg]
    )
    grad_parity(
        lambda t, a, b, ww: F(t).multilabel_soft_margin_loss(a, b, weight=ww, reduction=reduction),
        [X],
        [tg, w],
    )


@pytest.mark.parametrize(
    "case",
    [
        lambda t: F(t).margin_ranking_loss(t.ones(3, 5), t.ones(3, 5), t.ones(3)),
        lambda t: F(t).cosine_embedding_loss(t.ones(3, 5), t.ones(3, 5), t.ones(3, 5)),
        lambda t: F(t).cosine_embedding_loss(t.ones(3), t.ones(3), t.ones(3)),
        lambda t: F(t).cosine_embedding_loss(t.ones(3, 5), t.ones(3, 5), t.tensor(1)),
        lambda t: F(t).multi_margin_loss(t.ones(3, 5), t.tensor([1, 0, 4]), p=3),
        lambda t: F(t).multi_margin_loss(t.ones(3, 5), t.tensor([1, 0, 4]), weight=t.ones(1, 5)),
        lambda t: F(t).multi_margin_loss(t.ones(3, 5), t.tensor([1, 0, 5])),
        lambda t: F(t).multi_margin_loss(t.ones(3, 5), t.tensor([1, 0])),
        lambda t: F(t).multi_margin_loss(t.ones(5), t.tensor([1, 2])),
        lambda t: F(t).multi_margin_loss(t.ones(2, 3, 4), t.zeros(2, dtype=t.long)),
        lambda t: F(t).multi_margin_loss(t.ones(3, 5), t.tensor([1, 0, 4]).int()),
        lambda t: F(t).multi_margin_loss(t.ones(3, 5), t.tensor([1, 0, 4]), weight=t.ones(4)),
        lambda t: F(t).multi_margin_loss(
            t.ones(3, 5), t.tensor([1, 0, 4]), weight=t.ones(5, dtype=t.float64)
        ),
        lambda t: F(t).multi_margin_loss(t.ones(3, 5, dtype=t.long), t.tensor([1, 0, 4])),
        lambda t: F(t).multilabel_margin_loss(t.ones(3, 5), t.full((3, 5), 7)),
        lambda t: F(t).multilabel_margin_loss(t.ones(3, 5), t.full((3, 5), -2)),
        lambda t: F(t).multilabel_margin_loss(t.ones(3, 5), t.zeros(3, 4, dtype=t.long)),
        lambda t: F(t).multilabel_margin_loss(t.ones(3, 5), t.zeros(3, 5, dtype=t.int)),
        lambda t: F(t).multilabel_margin_loss(t.ones(2, 3, 4), t.zeros(2, 3, 4, dtype=t.long)),
        lambda t: F(t).multilabel_margin_loss(
            t.ones(3, 5, dtype=t.long), t.zeros(3, 5, dtype=t.long)
        ),
        lambda t: F(t).triplet_margin_loss(t.ones(3, 5), t.ones(3, 5), t.ones(3)),
        lambda t: F(t).triplet_margin_loss(t.ones(3, 5), t.ones(3, 5), t.ones(3, 5), margin=0),
        lambda t: F(t).triplet_margin_with_distance_loss(
            t.ones(3, 5), t.ones(3, 5), t.ones(3, 5), margin=-1.0
        ),
        lambda t: F(t).triplet_margin_with_distance_loss(
            t.ones(3, 5), t.ones(3, 5), t.ones(3, 5), reduction="x"
        ),
        lambda t: t.pdist(t.ones(5)),
        lambda t: t.pdist(t.ones(3, 5), p=-1),
        lambda t: t.pdist(t.ones(3, 1, dtype=t.long)),
        lambda t: t.pdist(t.ones(3, 5, dtype=t.float16)),
    ],
)
def test_margin_errors(case):
    both(case, check_message=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("swap", (False, True))
def test_triplet(reduction, swap):
    n = _g(4, 5, seed=9)
    grad_parity(
        lambda t, a, b, c: F(t).triplet_margin_loss(
            a, b, c, margin=0.5, p=1.5, swap=swap, reduction=reduction
        ),
        [X, Y, n],
    )
    grad_parity(
        lambda t, a, b, c: F(t).triplet_margin_with_distance_loss(
            a, b, c, swap=swap, reduction=reduction
        ),
        [X, Y, n],
    )
    grad_parity(
        lambda t, a, b, c: F(t).triplet_margin_with_distance_loss(
            a,
            b,
            c,
            distance_function=lambda u, v: 1 - F(t).cosine_similarity(u, v),
            reduction=reduction,
        ),
        [X, Y, n],
    )


@pytest.mark.parametrize("p", (0.0, 0.5, 1.0, 2.0, 3.0, math.inf))
def test_pdist(p):
    x = _g(5, 3, dtype=torch.float64)
    x[3] = x[1]  # a zero distance
    grad_parity(lambda t, a: t.pdist(a, p), [x], name=p != 0.0)
    grad_parity(lambda t, a: F(t).pdist(a, p=p), [x], name=False)
    both(lambda t, a: t.pdist(a), torch.ones(1, 3))
    both(lambda t, a: t.pdist(a), torch.ones(0, 3))


# ------------------------------------------------------------------ ctc_loss


def _ctc_inputs(seed=0):
    g = torch.Generator().manual_seed(seed)
    lp = torch.randn(8, 3, 5, generator=g, dtype=torch.float64).log_softmax(2)
    targets = torch.tensor([[1, 2, 2], [3, 1, 0], [4, 4, 4]])
    return lp, targets, torch.tensor([8, 6, 7]), torch.tensor([3, 2, 3])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("zero_infinity", (False, True))
def test_ctc_loss(reduction, zero_infinity):
    lp, tg, il, tl = _ctc_inputs()
    grad_parity(
        lambda t, a, b, c, d: F(t).ctc_loss(
            a, b, c, d, reduction=reduction, zero_infinity=zero_infinity
        ),
        [lp],
        [tg, il, tl],
    )
    # concatenated 1-D targets, tuple lengths, another blank
    cat = torch.tensor([1, 2, 2, 3, 1, 4, 4, 4])
    grad_parity(
        lambda t, a, b: F(t).ctc_loss(a, b, (8, 6, 7), (3, 2, 3), blank=0, reduction=reduction),
        [lp],
        [cat],
    )
    grad_parity(
        lambda t, a, b: F(t).ctc_loss(a, b, (8, 6, 7), (3, 2, 3), blank=4, reduction=reduction),
        [lp],
        [torch.tensor([1, 2, 2, 3, 1, 0, 0, 0])],
    )
    # unbatched
    grad_parity(
        lambda t, a, b, c, d: F(t).ctc_loss(a, b, c, d, reduction=reduction),
        [lp[:, 0]],
        [tg[0], torch.tensor(8), torch.tensor(3)],
    )
    both(lambda t, a, b, c, d: t.ctc_loss(a, b, c, d, 0, 1, False), lp, tg, il, tl)


def test_ctc_infinite():
    lp = _g(2, 2, 4, dtype=torch.float64).log_softmax(2)
    tg = torch.tensor([[1, 1], [1, 2]])
    for zi in (False, True):
        grad_parity(
            lambda t, a, b, zi=zi: F(t).ctc_loss(
                a, b, (2, 2), (2, 2), reduction="none", zero_infinity=zi
            ),
            [lp],
            [tg],
            name=False,
        )


@pytest.mark.parametrize(
    "case",
    [
        lambda t: F(t).ctc_loss(
            t.randn(6, 2, 4), t.tensor([[1, 2], [1, 1]]), t.tensor([7, 5]), t.tensor([2, 1])
        ),
        lambda t: F(t).ctc_loss(
            t.randn(6, 2, 4),
            t.tensor([[1, 2], [1, 1]]),
            t.tensor([6, 5]),
            t.tensor([2, 1]),
            blank=4,
        ),
        lambda t: F(t).ctc_loss(
            t.randn(6, 2, 4), t.tensor([[1, 2], [1, 1]]), t.tensor([6, 5]), t.tensor([3, 1])
        ),
        lambda t: F(t).ctc_loss(
            t.ones(6, 2, 4, dtype=t.long),
            t.tensor([[1, 2], [1, 1]]),
            t.tensor([6, 5]),
            t.tensor([2, 1]),
        ),
        lambda t: F(t).ctc_loss(
            t.randn(6, 2, 4),
            t.tensor([[1, 2], [1, 1]]),
            t.tensor([6, 5]),
            t.tensor([2, 1]),
            reduction="foo",
        ),
    ],
)
def test_ctc_errors(case):
    both(case, check_message=True)


@pytest.mark.parametrize(
    "case",
    [
        lambda t, w: F(t).nll_loss(t.randn(3, 5), t.tensor([1, 0, 4]), weight=w),
        lambda t, w: F(t).nll_loss(t.randn(2, 5, 3, 3), t.zeros(2, 3, 3, dtype=t.long), weight=w),
        lambda t, w: F(t).cross_entropy(t.randn(3, 5), t.tensor([1, 0, 4]), weight=w),
        lambda t, w: F(t).multi_margin_loss(t.randn(3, 5), t.tensor([1, 0, 4]), weight=w),
        lambda t, w: F(t).binary_cross_entropy(t.rand(3, 5), t.rand(3, 5), weight=w),
    ],
)
def test_weight_requires_grad_refused(case):
    both(case, torch.rand(5, requires_grad=True), check_message=True)
    with torchjax.no_grad():
        case(torchjax, to_tj(torch.rand(5, requires_grad=True)))
