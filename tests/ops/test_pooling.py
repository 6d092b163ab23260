"""Pooling against torch 2.13: values, torch's indices, gradients (ties included), errors."""

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax


def _r(*shape, dtype=torch.float64, grad=False):
    g = torch.Generator().manual_seed(sum(shape) * 5 + len(shape))
    return torch.randn(*shape, generator=g, dtype=dtype).requires_grad_(grad)


def _grads(fn, x, tol=None):
    th_out = fn(torch, x)
    outs = th_out if isinstance(th_out, tuple) else (th_out,)
    cot = _r(*outs[0].shape)
    (th_g,) = torch.autograd.grad(outs[0], [x], cot)
    tj_x = to_tj(x)
    tj_out = fn(torchjax, tj_x)
    tj_outs = tj_out if isinstance(tj_out, tuple) else (tj_out,)
    (tj_g,) = torchjax.autograd.grad(tj_outs[0], [tj_x], to_tj(cot))
    assert_same(tj_out, th_out)
    assert_same(tj_g, th_g, **(tol or {}))
    assert type(tj_outs[0].grad_fn).__name__ == type(outs[0].grad_fn).__name__


MAX = [
    (
        "max_pool1d",
        (2, 3, 11),
        dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True),
    ),
    (
        "max_pool2d",
        (2, 3, 9, 8),
        dict(kernel_size=(3, 2), stride=(2, 3), padding=1, ceil_mode=True),
    ),
    ("max_pool2d", (3, 9, 8), dict(kernel_size=3, dilation=2, padding=1)),
    ("max_pool3d", (1, 2, 7, 6, 5), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
]


@pytest.mark.parametrize("name,shape,kw", MAX)
@pytest.mark.parametrize("ret", [False, True])
def test_max_pool(name, shape, kw, ret):
    _grads(
        lambda m, x: getattr(m.nn.functional, name)(x, return_indices=ret, **kw),
        _r(*shape, grad=True),
    )


def test_max_pool_ties_and_neg_inf():
    # ReLU'd activations tie at 0: torch sends the gradient to the first maximum only
    x = torch.tensor(
        [[[[0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [float("-inf"), 0.0, 0.0]]]], requires_grad=True
    )
    _grads(lambda m, x: m.nn.functional.max_pool2d(x, 2, 1, 1, return_indices=True), x)
    both(
        lambda m, x: m.nn.functional.max_pool2d(x, 2, 1, return_indices=True),
        torch.full((1, 1, 3, 3), float("-inf")),
    )
    both(
        lambda m, x: m.nn.functional.max_pool2d(x, 3, 1, 1, return_indices=True),
        -torch.arange(1, 17).reshape(1, 1, 4, 4),
    )


AVG = [
    (
        "avg_pool1d",
        (2, 3, 11),
        dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    ),
    (
        "avg_pool2d",
        (2, 3, 9, 8),
        dict(kernel_size=(3, 2), stride=(2, 3), padding=1, ceil_mode=True),
    ),
    ("avg_pool2d", (3, 9, 8), dict(kernel_size=3, padding=1, count_include_pad=False)),
    ("avg_pool2d", (1, 2, 5, 5), dict(kernel_size=2, divisor_override=3)),
    ("avg_pool3d", (1, 2, 7, 6, 5), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
]


@pytest.mark.parametrize("name,shape,kw", AVG)
def test_avg_pool(name, shape, kw):
    _grads(lambda m, x: getattr(m.nn.functional, name)(x, **kw), _r(*shape, grad=True))


def test_avg_pool_int():
    both(
        lambda m, x: m.nn.functional.avg_pool2d(x, 3, 1, 1),
        torch.arange(16).reshape(1, 1, 4, 4) * 3,
    )


@pytest.mark.parametrize(
    "k,shape,out",
    [
        (1, (2, 3, 10), 4),
        (2, (2, 3, 7, 9), (3, 4)),
        (2, (3, 7, 9), (None, 2)),
        (2, (2, 3, 8, 8), 1),
        (3, (1, 2, 5, 6, 7), 3),
    ],
)
@pytest.mark.parametrize("kind", ["avg", "max"])
def test_adaptive(k, shape, out, kind):
    if kind == "max":
        _grads(
            lambda m, x: getattr(m.nn.functional, f"adaptive_max_pool{k}d")(
                x, out, return_indices=True
            ),
            _r(*shape, grad=True),
        )
    else:
        _grads(
            lambda m, x: getattr(m.nn.functional, f"adaptive_avg_pool{k}d")(x, out),
            _r(*shape, grad=True),
        )


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: m.nn.functional.max_pool2d(x, 3, padding=2),
        lambda m, x: m.nn.functional.max_pool2d(x, 0, 1),
        lambda m, x: m.nn.functional.max_pool2d(x, 2, -1),
        lambda m, x: m.nn.functional.max_pool2d(x, 2, dilation=0),
        lambda m, x: m.nn.functional.max_pool2d(x, (2, 2, 2)),
        lambda m, x: m.nn.functional.max_pool2d(x[0, 0], 2),
        lambda m, x: m.nn.functional.max_pool2d(x, 7),
        lambda m, x: m.nn.functional.max_pool2d(x.bool(), 2),
        lambda m, x: m.nn.functional.max_pool1d(x[0], 0),
        lambda m, x: m.nn.functional.max_pool1d(x[0], 3, 1, 2),
        lambda m, x: m.nn.functional.max_pool1d(x, 2),
        lambda m, x: m.nn.functional.avg_pool2d(x, 3, padding=2),
        lambda m, x: m.nn.functional.avg_pool2d(x, 2, divisor_override=0),
        lambda m, x: m.nn.functional.avg_pool1d(x, 2),
        lambda m, x: m.nn.functional.adaptive_avg_pool2d(x[0, 0], (2, 2)),
        lambda m, x: m.nn.functional.adaptive_max_pool2d(x.long(), 2),
        lambda m, x: m.nn.functional.adaptive_max_pool1d(x, 2),
        lambda m, x: m.nn.functional.adaptive_avg_pool3d(x[0], 2),
    ],
)
def test_pool_errors(fn):
    both(fn, _r(2, 3, 6, 6), check_message=True)
