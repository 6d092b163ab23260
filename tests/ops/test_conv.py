"""Convolutions against torch 2.13: values, dtypes, shapes, gradients, grad_fn names, errors."""

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax


def _r(*shape, dtype=torch.float64, grad=False):
    g = torch.Generator().manual_seed(sum(shape) * 7 + len(shape))
    return torch.randn(*shape, generator=g, dtype=dtype).requires_grad_(grad)


def _grads(fn, *args):
    """Forward values and input gradients (fixed cotangent) in both libraries."""
    th_out = fn(torch, *args)
    cot = _r(*th_out.shape, dtype=th_out.dtype)
    th_g = torch.autograd.grad(th_out, [a for a in args if isinstance(a, torch.Tensor)], cot)
    tj_args = to_tj(list(args))
    tj_out = fn(torchjax, *tj_args)
    tj_g = torchjax.autograd.grad(
        tj_out, [a for a in tj_args if isinstance(a, torchjax.Tensor)], to_tj(cot)
    )
    assert_same(tj_out, th_out)
    assert_same(list(tj_g), list(th_g), rtol=1e-6, atol=1e-6)
    assert type(tj_out.grad_fn).__name__ == type(th_out.grad_fn).__name__


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"stride": 2, "padding": 1},
        {"padding": (1, 2), "dilation": (2, 1)},
        {"groups": 2},
        {"padding": "same", "dilation": 2},
        {"padding": "valid"},
        {"padding": "same"},
    ],
)
def test_conv2d_values_and_grads(kw):
    _grads(
        lambda m, x, w, b: m.nn.functional.conv2d(x, w, b, **kw),
        _r(2, 4, 7, 6, grad=True),
        _r(6, 4 // kw.get("groups", 1), 3, 2, grad=True),
        _r(6, grad=True),
    )


@pytest.mark.parametrize("k", [1, 2, 3])
def test_conv_nd_unbatched_and_torch_alias(k):
    x = _r(*([3] + [6] * k), grad=True)
    w = _r(*([5, 3] + [3] * k), grad=True)
    _grads(lambda m, x, w: getattr(m, f"conv{k}d")(x, w, stride=2, padding=1), x, w)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_conv_transpose(k):
    x = _r(*([2, 4] + [5] * k), grad=True)
    w = _r(*([4, 3] + [3] * k), grad=True)
    b = _r(6, grad=True)
    _grads(
        lambda m, x, w, b: getattr(m.nn.functional, f"conv_transpose{k}d")(
            x, w, b, stride=2, padding=1, output_padding=1, groups=2, dilation=1
        ),
        x,
        w,
        b,
    )
    _grads(lambda m, x, w: getattr(m, f"conv_transpose{k}d")(x, w, None, 3, 0, 2, 1, 2), x, w)


@pytest.mark.parametrize(
    "dtype", [torch.float32, torch.int64, torch.complex64, torch.float16, torch.bfloat16]
)
def test_conv_dtypes(dtype):
    x = (torch.randn(2, 3, 6, 6) * 3).to(dtype)
    w = (torch.randn(4, 3, 3, 3) * 3).to(dtype)
    tol = {
        torch.float16: dict(rtol=1e-2, atol=1e-2),
        torch.bfloat16: dict(rtol=2e-2, atol=5e-2),
    }.get(dtype, {})
    both(lambda m, x, w: m.nn.functional.conv2d(x, w, padding=1), x, w, **tol)


def test_torch_convolution():
    both(
        lambda m, x, w, b: m.convolution(x, w, b, [2, 1], [1, 0], [1, 1], False, [0, 0], 1),
        _r(1, 2, 5, 5),
        _r(3, 2, 3, 3),
        _r(3),
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x, w: m.nn.functional.conv2d(x.double(), w.float()),
        lambda m, x, w: m.nn.functional.conv2d(x, w, m.zeros(4, dtype=m.float32)),
        lambda m, x, w: m.nn.functional.conv2d(x[0, 0], w),
        lambda m, x, w: m.nn.functional.conv2d(x, w[:, :2]),
        lambda m, x, w: m.nn.functional.conv2d(x, w, groups=3),
        lambda m, x, w: m.nn.functional.conv2d(x, w, m.zeros(3, dtype=m.float64)),
        lambda m, x, w: m.nn.functional.conv2d(x, w, stride=0),
        lambda m, x, w: m.nn.functional.conv2d(x, w, padding=-1),
        lambda m, x, w: m.nn.functional.conv2d(x, w, dilation=0),
        lambda m, x, w: m.nn.functional.conv2d(x, w, groups=0),
        lambda m, x, w: m.nn.functional.conv2d(x, w, dilation=4),
        lambda m, x, w: m.nn.functional.conv2d(x, w, padding="same", stride=2),
        lambda m, x, w: m.nn.functional.conv2d(x, w, padding="foo"),
        lambda m, x, w: m.nn.functional.conv2d(x, w, stride=(1, 1, 1)),
        lambda m, x, w: m.nn.functional.conv2d(x.bool(), w.bool()),
        lambda m, x, w: m.nn.functional.conv1d(x, w),
        lambda m, x, w: m.nn.functional.conv_transpose2d(x, w),
        lambda m, x, w: m.nn.functional.conv_transpose2d(x, w.transpose(0, 1), output_padding=1),
        lambda m, x, w: m.nn.functional.conv_transpose2d(x, w.transpose(0, 1), output_padding=-1),
    ],
)
def test_conv_errors(fn):
    both(fn, _r(2, 3, 6, 6), _r(4, 3, 3, 3), check_message=True)
