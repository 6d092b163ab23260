"""grid_sample / grid_sampler_2d / grid_sampler_3d / affine_grid against torch 2.13 (values, grads, errors)."""

import itertools
import warnings

import pytest
import torch
from _compare import both, to_tj

import torchjax


def _r(*shape, dtype=torch.float64, grad=False, lo=None, hi=None):
    g = torch.Generator().manual_seed(sum(shape) * 7 + len(shape))
    if lo is not None:
        t = torch.rand(*shape, generator=g, dtype=dtype) * (hi - lo) + lo
    else:
        t = torch.randn(*shape, generator=g, dtype=dtype)
    return t.requires_grad_(grad)


_CASES = [
    (k, m, p, a)
    for k in (2, 3)
    for m, p, a in itertools.product(
        ("bilinear", "nearest", "bicubic"), ("zeros", "border", "reflection"), (False, True)
    )
    if not (k == 3 and m == "bicubic")
]


@pytest.mark.parametrize("k,mode,pad,ac", _CASES)
def test_grid_sample_values_and_grads(k, mode, pad, ac):
    x = _r(2, 3, *(4, 5, 3)[:k], grad=True)
    g = _r(2, *(3, 2, 4)[:k], k, lo=-1.6, hi=1.6, grad=True)

    def f(L, x, g):
        y = L.nn.functional.grid_sample(x, g, mode=mode, padding_mode=pad, align_corners=ac)
        gx, gg = L.autograd.grad((y * y).sum(), (x, g))
        return y, gx, gg

    both(f, x, g)
    y = torchjax.nn.functional.grid_sample(
        to_tj(x), to_tj(g), mode=mode, padding_mode=pad, align_corners=ac
    )
    assert type(y.grad_fn).__name__ == f"GridSampler{k}DBackward0"


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16])
def test_grid_sample_dtypes(dtype):
    x = _r(1, 2, 5, 4, dtype=dtype)
    g = _r(1, 3, 3, 2, dtype=dtype, lo=-1.2, hi=1.2)
    tol = {} if dtype is torch.float32 else dict(rtol=2e-2, atol=1.2e-2)
    for mode in ("bilinear", "nearest", "bicubic"):
        both(
            lambda L, x, g, m=mode: L.nn.functional.grid_sample(x, g, mode=m, align_corners=False),
            x,
            g,
            **tol,
        )


def test_grid_sample_special_grid_values():
    x = _r(1, 1, 3, 3)
    g = torch.tensor(
        [[[[float("nan"), 0.0], [float("inf"), 0.2], [-1.0, -1.0], [1.0, 1.0]]]],
        dtype=torch.float64,
    )
    for mode in (0, 2):  # NaN weights: NaN output with zeros padding
        both(lambda L, x, g, m=mode: L.grid_sampler(x, g, m, 0, True), x, g)
    g = torch.tensor([[[[1e6, 0.0], [-7.3, 0.2], [-1.0, -1.0], [1.0, 1.0]]]], dtype=torch.float64)
    for mode, pad in itertools.product((0, 1, 2), (0, 1, 2)):
        both(lambda L, x, g, m=mode, p=pad: L.grid_sampler(x, g, m, p, False), x, g)


def test_grid_sample_default_align_corners_warns():
    x, g = to_tj(_r(1, 1, 3, 3)), to_tj(_r(1, 2, 2, 2, lo=-1, hi=1))
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        torchjax.nn.functional.grid_sample(x, g)


@pytest.mark.parametrize(
    "fn",
    [
        lambda L: L.nn.functional.grid_sample(
            L.zeros(1, 1, 2, 2), L.zeros(1, 2, 2, 2), mode="area"
        ),
        lambda L: L.nn.functional.grid_sample(
            L.zeros(1, 1, 2, 2), L.zeros(1, 2, 2, 2), padding_mode="wrap"
        ),
        lambda L: L.grid_sampler(L.zeros(1, 1, 2, 2), L.zeros(2, 2, 2, 2), 0, 0, False),
        lambda L: L.grid_sampler(L.zeros(1, 1, 2, 2), L.zeros(1, 2, 2, 3), 0, 0, False),
        lambda L: L.grid_sampler(L.zeros(1, 1, 2, 0), L.zeros(1, 2, 2, 2), 0, 0, False),
        lambda L: L.grid_sampler(L.zeros(1, 1, 2, 2, 2), L.zeros(1, 2, 2, 2, 3), 2, 0, False),
        lambda L: L.grid_sampler(
            L.zeros(1, 1, 2, 2), L.zeros(1, 2, 2, 2, dtype=L.float64), 0, 0, False
        ),
        lambda L: L.grid_sampler_3d(L.zeros(1, 1, 2, 2), L.zeros(1, 2, 2, 2), 0, 0, False),
        lambda L: L.grid_sampler(
            L.zeros(1, 1, 2, 2, dtype=L.int32), L.zeros(1, 2, 2, 2, dtype=L.int32), 0, 0, False
        ),
    ],
)
def test_grid_sample_errors(fn):
    both(fn, check_message=True)


def test_grid_sample_empty():
    both(lambda L: L.grid_sampler(L.zeros(2, 0, 3, 3), L.zeros(2, 4, 1, 2), 0, 0, False))
    both(lambda L: L.grid_sampler(L.zeros(0, 2, 3, 3), L.zeros(0, 4, 1, 2), 1, 1, True))


@pytest.mark.parametrize(
    "size,ac",
    [
        ((2, 3, 4, 5), False),
        ((2, 3, 4, 5), True),
        ((2, 1, 3, 1, 4), False),
        ((2, 1, 3, 2, 4), True),
        ((1, 1, 1, 3), False),
    ],
)
def test_affine_grid(size, ac):
    theta = _r(size[0], len(size) - 2, len(size) - 1, grad=True)

    def f(L, t):
        y = L.nn.functional.affine_grid(t, size, align_corners=ac)
        return y, L.autograd.grad((y * y).sum(), t)[0]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both(f, theta)


@pytest.mark.parametrize(
    "fn",
    [
        lambda L: L.nn.functional.affine_grid(L.zeros(1, 2, 3, dtype=L.int64), (1, 1, 2, 2), False),
        lambda L: L.nn.functional.affine_grid(L.zeros(1, 3, 4), (1, 1, 2, 2), False),
        lambda L: L.nn.functional.affine_grid(L.zeros(1, 2, 3), (1, 1, 2, 2, 2), False),
        lambda L: L.nn.functional.affine_grid(L.zeros(1, 2, 3), (1, 1, 2), False),
        lambda L: L.nn.functional.affine_grid(L.zeros(1, 2, 3), (1, 1, 0, 2), False),
        lambda L: L.affine_grid_generator(L.zeros(1, 2, 3), (1, 1, 2), False),
    ],
)
def test_affine_grid_errors(fn):
    both(fn, check_message=True)
