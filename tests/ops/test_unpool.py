"""max_unpool1d/2d/3d and lp_pool1d/2d/3d against torch 2.13 (values, grads, grad_fn names, errors)."""

import pytest
import torch
from _compare import both


def _r(*shape, dtype=torch.float64):
    g = torch.Generator().manual_seed(sum(shape) * 5 + len(shape))
    return torch.randn(*shape, generator=g, dtype=dtype)


@pytest.mark.parametrize(
    "k,shape,kw",
    [
        (1, (2, 3, 8), {}),
        (1, (3, 9), dict(stride=2, padding=1)),
        (2, (2, 3, 6, 8), {}),
        (2, (3, 7, 8), dict(stride=(2, 3), padding=1)),
        (3, (2, 2, 4, 6, 4), {}),
        (3, (2, 5, 6, 4), dict(stride=1, padding=(1, 0, 1))),
    ],
)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.float16, torch.bfloat16])
def test_max_unpool_roundtrip(k, shape, kw, dtype):
    x = _r(*shape, dtype=dtype)
    ks = 3 if kw else 2
    y, i = getattr(torch.nn.functional, f"max_pool{k}d")(x, ks, return_indices=True, **kw)
    y.requires_grad_()

    def f(L, y, i):
        out = getattr(L.nn.functional, f"max_unpool{k}d")(y, i, ks, **kw)
        return out, type(out.grad_fn).__name__, L.autograd.grad((out * out).sum(), y)[0]

    both(f, y, i)


def test_max_unpool_output_size_and_duplicates():
    y, i = torch.nn.functional.max_pool2d(_r(1, 2, 5, 5), 2, return_indices=True)
    both(lambda L, y, i: L.nn.functional.max_unpool2d(y, i, 2, output_size=(5, 5)), y, i)
    both(lambda L, y, i: L.nn.functional.max_unpool2d(y, i, 2, output_size=(1, 2, 5, 4)), y, i)
    # several elements naming one location: the last one wins; every element gets the gradient there
    x = _r(1, 1, 4).requires_grad_()
    i = torch.tensor([[[0, 0, 1, 1]]])

    def f(L, x, i):
        out = L.nn.functional.max_unpool1d(x, i, 2)
        return out, L.autograd.grad(out.mul(L.arange(8.0, dtype=L.float64)).sum(), x)[0]

    both(f, x, i)


@pytest.mark.parametrize(
    "fn",
    [
        lambda L: L.nn.functional.max_unpool2d(
            L.zeros(1, 2, 2, 2), L.zeros(1, 2, 2, 2, dtype=L.int32), 2
        ),
        lambda L: L.nn.functional.max_unpool2d(L.zeros(2, 2), L.zeros(2, 2, dtype=L.int64), 2),
        lambda L: L.nn.functional.max_unpool2d(
            L.zeros(1, 2, 2, 2), L.zeros(2, 2, 2, dtype=L.int64), 2
        ),
        lambda L: L.nn.functional.max_unpool2d(
            L.zeros(1, 0, 2, 2), L.zeros(1, 0, 2, 2, dtype=L.int64), 2
        ),
        lambda L: L.nn.functional.max_unpool2d(
            L.zeros(1, 1, 2, 2), L.full((1, 1, 2, 2), 16, dtype=L.int64), 2
        ),
        lambda L: L.nn.functional.max_unpool2d(
            L.zeros(1, 1, 2, 2), L.full((1, 1, 2, 2), -1, dtype=L.int64), 2
        ),
        lambda L: L.nn.functional.max_unpool2d(
            L.zeros(1, 1, 2, 2, dtype=L.int64), L.zeros(1, 1, 2, 2, dtype=L.int64), 2
        ),
        lambda L: L.nn.functional.max_unpool2d(
            L.zeros(1, 1, 2, 2), L.zeros(1, 1, 2, 2, dtype=L.int64), 2, output_size=(3, 3, 3)
        ),
        lambda L: L.nn.functional.max_unpool2d(
            L.zeros(1, 1, 2, 2), L.zeros(1, 1, 2, 2, dtype=L.int64), 2, output_size=(30, 3)
        ),
        lambda L: L.nn.functional.max_unpool2d(
            L.zeros(1, 1, 2, 2), L.zeros(1, 1, 2, 2, dtype=L.int64), 2, padding=5
        ),
        lambda L: L.nn.functional.max_unpool3d(
            L.zeros(1, 1, 2, 2, 2), L.zeros(1, 1, 2, 2, 2, dtype=L.int32), 2
        ),
        lambda L: L.nn.functional.max_unpool3d(L.zeros(2, 2), L.zeros(2, 2, dtype=L.int64), 2),
        lambda L: L.nn.functional.max_unpool3d(
            L.zeros(1, 1, 2, 2, 2), L.full((1, 1, 2, 2, 2), 64, dtype=L.int64), 2
        ),
        lambda L: L.nn.functional.max_unpool3d(
            L.zeros(1, 1, 0, 2, 2), L.zeros(1, 1, 0, 2, 2, dtype=L.int64), 2
        ),
        lambda L: L.nn.functional.max_unpool1d(
            L.zeros(1, 1, 2), L.full((1, 1, 2), 9, dtype=L.int64), 2
        ),
    ],
)
def test_max_unpool_errors(fn):
    both(fn, check_message=True)


@pytest.mark.parametrize("k,shape", [(1, (2, 3, 9)), (2, (2, 3, 7, 6)), (3, (1, 2, 5, 4, 6))])
@pytest.mark.parametrize("p", [1, 2, 3.5, float("inf"), -float("inf")])
@pytest.mark.parametrize("stride,ceil", [(None, False), (2, True)])
def test_lp_pool(k, shape, p, stride, ceil):
    x = _r(*shape).abs().add(0.1).requires_grad_()

    def f(L, x):
        out = getattr(L.nn.functional, f"lp_pool{k}d")(x, p, 3, stride=stride, ceil_mode=ceil)
        return out, L.autograd.grad(out.sum(), x)[0]

    both(f, x)


def test_lp_pool_kernel_tuple():
    x = _r(2, 6, 7)
    both(lambda L, x: L.nn.functional.lp_pool2d(x, 2, (2, 3), stride=(1, 2)), x)
