"""fractional_max_pool2d/3d against torch 2.13: values, indices and grads with given _random_samples,
NaN and tie handling, shapes/dtypes with the generator's samples, and torch's errors."""

import pytest
import torch
from _compare import both, to_tj

import torchjax


def _r(*shape, dtype=torch.float64):
    g = torch.Generator().manual_seed(sum(shape) * 11 + len(shape))
    return torch.randn(*shape, generator=g, dtype=dtype)


def _u(*shape, dtype=torch.float64):
    g = torch.Generator().manual_seed(sum(shape) * 13 + 1)
    return torch.rand(*shape, generator=g, dtype=dtype)


@pytest.mark.parametrize(
    "k,shape,ks,os",
    [
        (2, (2, 3, 9, 8), (2, 3), (4, 3)),
        (2, (3, 7, 10), 2, (5, 6)),
        (2, (2, 3, 9, 8), 2, (1, 1)),
        (2, (2, 3, 9, 8), 2, (8, 7)),
        (3, (2, 2, 7, 8, 9), (2, 3, 2), (3, 4, 5)),
        (3, (2, 6, 5, 7), 2, (3, 3, 3)),
    ],
)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.float16, torch.bfloat16])
def test_fractional_max_pool_given_samples(k, shape, ks, os, dtype):
    x = _r(*shape, dtype=dtype)
    x[..., 1, 1] = x[..., 1, 2]  # ties: the first maximum wins
    x.requires_grad_()
    s = _u(shape[0] if len(shape) == k + 2 else 1, shape[-k - 1], k, dtype=dtype)

    def f(L, x, s):
        fn = getattr(L.nn.functional, f"fractional_max_pool{k}d")
        out, idx = fn(x, ks, output_size=os, return_indices=True, _random_samples=s)
        return out, idx, type(out.grad_fn).__name__, L.autograd.grad((out * out).sum(), x)[0]

    both(f, x, s)


def test_fractional_max_pool_nan():
    x = _r(1, 2, 6, 6)
    x[0, 0, 1, 1] = float("nan")
    x[0, 1, 2, 2] = x[0, 1, 2, 3] = float("nan")
    s = _u(1, 2, 2)
    both(
        lambda L, x, s: L.nn.functional.fractional_max_pool2d(
            x, 2, output_size=3, return_indices=True, _random_samples=s
        ),
        x,
        s,
    )


@pytest.mark.parametrize(
    "k,shape,kw",
    [
        (2, (2, 3, 9, 8), dict(output_size=4)),
        (2, (3, 9, 8), dict(output_ratio=(0.5, 0.7))),
        (3, (2, 2, 7, 8, 9), dict(output_ratio=0.5)),
        (3, (2, 7, 8, 9), dict(output_size=(3, 4, 5))),
    ],
)
def test_fractional_max_pool_random_shapes(k, shape, kw):
    fn = f"fractional_max_pool{k}d"
    th = getattr(torch.nn.functional, fn)(
        _r(*shape, dtype=torch.float32), 2, return_indices=True, **kw
    )
    torchjax.manual_seed(0)
    tj = getattr(torchjax.nn.functional, fn)(
        to_tj(_r(*shape, dtype=torch.float32)), 2, return_indices=True, **kw
    )
    for a, b in zip(tj, th):
        assert tuple(a.shape) == tuple(b.shape) and str(a.dtype) == str(b.dtype)
    # deterministic under the generator: the same seed gives the same pooling
    torchjax.manual_seed(0)
    again = getattr(torchjax.nn.functional, fn)(
        to_tj(_r(*shape, dtype=torch.float32)), 2, return_indices=True, **kw
    )
    assert (again[1] == tj[1]).all().item()


@pytest.mark.parametrize(
    "fn",
    [
        lambda L: L.nn.functional.fractional_max_pool2d(L.zeros(1, 1, 8, 8), 2, output_ratio=0.5),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(1, 1, 8, 8), 2, output_ratio=(0.5, 0.5, 0.5)
        ),
        lambda L: L.nn.functional.fractional_max_pool2d(L.zeros(1, 1, 8, 8), 2),
        lambda L: L.nn.functional.fractional_max_pool3d(L.zeros(1, 1, 8, 8, 8), 2),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(8, 8), 2, output_size=4, _random_samples=L.rand(1, 8, 2)
        ),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(1, 0, 8, 8), 2, output_size=4, _random_samples=L.rand(1, 0, 2)
        ),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(1, 1, 8, 8), 2, output_size=(4, 8), _random_samples=L.rand(1, 1, 2)
        ),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(1, 1, 8, 8), 2, output_size=4, _random_samples=L.rand(1, 2)
        ),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(2, 1, 8, 8), 2, output_size=4, _random_samples=L.rand(1, 1, 2)
        ),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(1, 1, 8, 8), 2, output_size=4, _random_samples=L.rand(1, 2, 2)
        ),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(1, 1, 8, 8), 2, output_size=4, _random_samples=L.rand(1, 1, 3)
        ),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(1, 1, 8, 8), 2, output_size=4, _random_samples=L.rand(1, 1, 2, dtype=L.float64)
        ),
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(1, 1, 8, 8, dtype=L.int32),
            2,
            output_size=4,
            _random_samples=L.zeros(1, 1, 2, dtype=L.int32),
        ),
        lambda L: L.nn.functional.fractional_max_pool3d(
            L.zeros(1, 1, 8, 8, 8), 2, output_size=(7, 4, 4), _random_samples=L.rand(1, 1, 3)
        ),
        lambda L: L.nn.functional.fractional_max_pool3d(
            L.zeros(1, 1, 8, 8, 8), 2, output_size=(4, 4, 7), _random_samples=L.rand(1, 1, 3)
        ),
        lambda L: L.nn.functional.fractional_max_pool3d(
            L.zeros(8, 8, 8), 2, output_size=4, _random_samples=L.rand(1, 8, 3)
        ),
        lambda L: L.nn.functional.fractional_max_pool3d(
            L.zeros(1, 1, 8, 8, 8), 2, output_size=4, _random_samples=L.rand(1, 1, 2)
        ),
    ],
)
def test_fractional_max_pool_errors(fn):
    both(fn, check_message=True)


def test_fractional_max_pool_empty_batch():
    both(
        lambda L: L.nn.functional.fractional_max_pool2d(
            L.zeros(0, 2, 8, 8),
            2,
            output_size=4,
            return_indices=True,
            _random_samples=L.rand(0, 2, 2),
        )
    )
