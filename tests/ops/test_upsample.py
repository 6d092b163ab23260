"""interpolate / unfold / fold / scaled_dot_product_attention against torch 2.13 (values, grads, errors)."""

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax


def _r(*shape, dtype=torch.float64, grad=False):
    g = torch.Generator().manual_seed(sum(shape) * 3 + len(shape))
    return torch.randn(*shape, generator=g, dtype=dtype).requires_grad_(grad)


def _grads(fn, *xs, check_name=True):
    th_out = fn(torch, *xs)
    cot = _r(*th_out.shape, dtype=th_out.dtype)
    th_g = torch.autograd.grad(th_out, list(xs), cot)
    tj_xs = to_tj(list(xs))
    tj_out = fn(torchjax, *tj_xs)
    tj_g = torchjax.autograd.grad(tj_out, tj_xs, to_tj(cot))
    assert_same(tj_out, th_out)
    assert_same(list(tj_g), list(th_g), rtol=1e-6, atol=1e-6)
    if check_name:
        assert type(tj_out.grad_fn).__name__ == type(th_out.grad_fn).__name__


@pytest.mark.parametrize(
    "shape,kw",
    [
        ((2, 3, 5), dict(scale_factor=2.5, mode="nearest")),
        ((2, 3, 5, 4), dict(size=(7, 3), mode="nearest")),
        ((2, 3, 5, 4), dict(scale_factor=1.7, mode="nearest-exact")),
        ((2, 3, 7), dict(size=4, mode="linear", align_corners=True)),
        ((2, 3, 5, 4), dict(scale_factor=(2.3, 0.6), mode="bilinear")),
        ((2, 3, 5, 4), dict(scale_factor=1.5, mode="bilinear", recompute_scale_factor=True)),
        ((2, 3, 5, 4), dict(size=(9, 7), mode="bicubic", align_corners=False)),
        ((2, 3, 5, 4), dict(scale_factor=1.6, mode="bicubic", align_corners=True)),
        ((1, 2, 3, 4, 5), dict(scale_factor=1.5, mode="trilinear")),
        ((2, 3, 9, 7), dict(size=(4, 3), mode="area")),
    ],
)
def test_interpolate(shape, kw):
    _grads(lambda m, x: m.nn.functional.interpolate(x, **kw), _r(*shape, grad=True))


@pytest.mark.parametrize(
    "kw",
    [
        dict(size=3, scale_factor=2),
        dict(),
        dict(size=(3,)),
        dict(size=3, mode="nearest", align_corners=True),
        dict(size=3, mode="bilinear"),
        dict(size=3, recompute_scale_factor=True),
    ],
)
def test_interpolate_errors(kw):
    both(
        lambda m, x: m.nn.functional.interpolate(x, **kw),
        _r(1, 2, 4, 4).narrow(2, 0, 4)[0],
        check_message=True,
    )


def test_unfold_fold():
    kw = dict(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    _grads(lambda m, x: m.nn.functional.unfold(x, **kw), _r(2, 3, 7, 6, grad=True))
    _grads(lambda m, x: m.nn.functional.fold(x, (7, 6), **kw), _r(2, 18, 16, grad=True))
    _grads(lambda m, x: m.nn.functional.unfold(x, 2), _r(3, 4, 4, grad=True))
    both(lambda m, x: m.nn.functional.unfold(x, 7), _r(2, 3, 6, 6), check_message=True)
    both(lambda m, x: m.nn.functional.fold(x, (6, 7), 2), _r(2, 12, 25), check_message=True)


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(is_causal=True),
        dict(scale=0.3),
        dict(mask="bool"),
        dict(mask="float"),
        dict(enable_gqa=True),
    ],
)
def test_sdpa(kw):
    kw = dict(kw)
    mask = kw.pop("mask", None)
    q, k, v = (
        _r(2, 4, 5, 8, grad=True),
        _r(2, 2 if kw.get("enable_gqa") else 4, 6, 8, grad=True),
        _r(2, 2 if kw.get("enable_gqa") else 4, 6, 3, grad=True),
    )
    if mask == "bool":
        m = torch.rand(5, 6, generator=torch.Generator().manual_seed(0)) > 0.4
        m[0] = False  # a row masked out completely gives zeros (torch's _safe_softmax)
        kw["attn_mask"] = m
    elif mask == "float":
        kw["attn_mask"] = _r(5, 6)
    attn_mask = kw.pop("attn_mask", None)
    _grads(
        lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(
            q, k, v, to_tj(attn_mask) if lib is torchjax else attn_mask, **kw
        ),
        q,
        k,
        v,
        check_name=False,
    )  # torch's CPU backend choice (flash / math) shows in its grad_fn name
