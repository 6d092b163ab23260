"""Parity of torch.fft (torchjax/_ops/fft.py) with torch 2.13: values, output dtypes (complex64 for
float32, float promotion of integer inputs), n/s/dim/norm handling, errors, grad_fn names, gradients, out=."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax

torch.manual_seed(0)
r = torch.randn
f64 = torch.float64
c64 = torch.complex64
c128 = torch.complex128

ONE_D = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]
TWO_D = ["fft2", "ifft2", "rfft2", "irfft2", "hfft2", "ihfft2"]
N_D = ["fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn"]
REAL_ONLY = {"rfft", "ihfft", "rfft2", "ihfft2", "rfftn", "ihfftn"}


def _call(name, **kw):
    return lambda t, x: getattr(t.fft, name)(x, **kw)


# ------------------------------------------------------------------ values and dtypes

VALUES = []
for _name in ONE_D + TWO_D + N_D:
    _dts = [torch.float32, f64] + ([] if _name in REAL_ONLY else [c64, c128])
    for _dt in _dts:
        VALUES.append((f"{_name} {_dt}".replace("torch.", ""), _call(_name), r(3, 4, 5, dtype=_dt)))
    for _norm in ("ortho", "forward"):
        VALUES.append((f"{_name} norm={_norm}", _call(_name, norm=_norm), r(3, 4, 5, dtype=f64)))
    VALUES.append((f"{_name} int input", _call(_name), torch.arange(12).reshape(3, 4)))
    VALUES.append((f"{_name} bool input", _call(_name), torch.arange(12).reshape(3, 4) % 3 == 0))
for _name in ONE_D:
    for _n in (3, 8):
        VALUES.append((f"{_name} n={_n} dim=0", _call(_name, n=_n, dim=0), r(5, 2, dtype=f64)))
for _name in N_D:
    VALUES.append((f"{_name} s", _call(_name, s=(3, 7)), r(2, 5, 4, dtype=f64)))
    VALUES.append((f"{_name} s dim", _call(_name, s=(3, -1), dim=(2, 0)), r(2, 5, 4, dtype=f64)))
    VALUES.append((f"{_name} one dim", _call(_name, dim=(0,)), r(2, 5, 4, dtype=f64)))
for _name in TWO_D:
    VALUES.append((f"{_name} s dim", _call(_name, s=(4, 6), dim=(0, 2)), r(2, 5, 4, dtype=f64)))
VALUES += [
    ("fftn no dims", _call("fftn", dim=()), r(2, 3)),
    ("fftn 0-d", _call("fftn"), torch.tensor(2.0)),
    ("ifftn 0-d", _call("ifftn"), torch.tensor(2.0)),
    ("irfftn s=-1", _call("irfftn", s=(-1, -1)), r(2, 3, dtype=c64)),
    ("fftfreq", lambda t: t.fft.fftfreq(7)),
    ("fftfreq d dtype", lambda t: t.fft.fftfreq(8, 0.3, dtype=t.float64)),
    ("rfftfreq", lambda t: t.fft.rfftfreq(7, 2.5)),
    ("rfftfreq even", lambda t: t.fft.rfftfreq(8)),
    ("fftshift", lambda t, x: t.fft.fftshift(x), r(3, 4, 5)),
    ("fftshift dim", lambda t, x: t.fft.fftshift(x, dim=-1), torch.arange(7)),
    ("ifftshift dims", lambda t, x: t.fft.ifftshift(x, dim=(0, 2)), r(3, 4, 5)),
    ("roundtrip", lambda t, x: t.fft.irfft(t.fft.rfft(x), n=7), r(2, 7, dtype=f64)),
]


@pytest.mark.parametrize("case", VALUES, ids=[c[0] for c in VALUES])
def test_values(case):
    _, fn, *args = case
    both(fn, *args)


# ------------------------------------------------------------------ errors

ERRORS = []
for _name in ONE_D + N_D:
    ERRORS.append((f"{_name} half", _call(_name), r(3, 4).half()))
    ERRORS.append((f"{_name} bfloat16", _call(_name), r(3, 4).bfloat16()))
    if _name not in (
        "fftn",
        "ifftn",
    ):  # these transform no dims of a 0-d tensor (a value test below)
        ERRORS.append((f"{_name} 0-d", _call(_name), torch.tensor(1.0)))
    ERRORS.append((f"{_name} norm", _call(_name, norm="bad"), r(3, 4)))
    if _name in REAL_ONLY:
        ERRORS.append((f"{_name} complex input", _call(_name), r(3, 4, dtype=c64)))
for _name in ONE_D:
    ERRORS.append((f"{_name} n=0", _call(_name, n=0), r(5)))
    ERRORS.append((f"{_name} dim", _call(_name, dim=1), r(5)))
for _name in N_D:
    ERRORS.append((f"{_name} s too long", _call(_name, s=(3, 7, 2, 2)), r(2, 5, 4)))
    ERRORS.append((f"{_name} repeated dims", _call(_name, dim=(1, 1)), r(2, 5, 4)))
    ERRORS.append((f"{_name} s/dim lengths", _call(_name, s=(3,), dim=(0, 1)), r(2, 5, 4)))
for _name in TWO_D:
    ERRORS.append((f"{_name} 1-d input", _call(_name), r(4)))
ERRORS += [
    ("irfft of one point", _call("irfft"), r(1, dtype=c64)),
    ("rfftn no dims", _call("rfftn", dim=()), r(2, 3)),
    ("hfftn no dims", _call("hfftn", dim=()), r(2, 3)),
    ("fftfreq int dtype", lambda t: t.fft.fftfreq(7, dtype=t.int64)),
    ("fftfreq complex dtype", lambda t: t.fft.fftfreq(7, dtype=t.complex64)),
    ("complex result into real out", lambda t, x, o: t.fft.fft(x, out=o), r(4), torch.empty(4)),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors(case):
    _, fn, *args = case
    th, tj = both(fn, *args, check_message=True)
    assert isinstance(th, Exception) and isinstance(tj, Exception)


# ------------------------------------------------------------------ grad_fn names and gradients


def _grad_same(fn, x, rtol=1e-6, atol=1e-8):
    xt = x.clone().requires_grad_()
    xj = to_tj(x).requires_grad_()
    yt, yj = fn(torch, xt), fn(torchjax, xj)
    assert type(yj.grad_fn).__name__ == type(yt.grad_fn).__name__
    w = torch.randn(yt.shape, dtype=yt.dtype, generator=torch.Generator().manual_seed(1))
    (gt,) = torch.autograd.grad(yt, xt, grad_outputs=w)
    (gj,) = torchjax.autograd.grad(yj, xj, grad_outputs=to_tj(w))
    assert_same(gj, gt, rtol=rtol, atol=atol)


GRADS = []
for _name in ONE_D + TWO_D + N_D:
    for _dt in [f64] + ([] if _name in REAL_ONLY else [c128]):
        GRADS.append(
            (
                f"{_name} {_dt}".replace("torch.", ""),
                _call(_name, norm="ortho" if _dt is f64 else None),
                r(3, 4, 5, dtype=_dt),
            )
        )
for _name in ("rfft", "irfft", "hfft", "ihfft"):
    GRADS.append((f"{_name} n=7", _call(_name, n=7), r(2, 5, dtype=f64)))
for _name in ("rfftn", "irfftn", "hfftn"):
    GRADS.append(
        (f"{_name} s", _call(_name, s=(3, 7)), r(2, 5, 4, dtype=c128 if _name != "rfftn" else f64))
    )
GRADS.append(("fftshift", lambda t, x: t.fft.fftshift(x), r(3, 4, dtype=f64)))


@pytest.mark.parametrize("case", GRADS, ids=[c[0] for c in GRADS])
def test_gradients(case):
    _, fn, x = case
    _grad_same(fn, x)


def test_float32_gradient():
    _grad_same(_call("rfft"), r(4, 6), rtol=1e-5, atol=1e-5)


# ------------------------------------------------------------------ out= and misc


def test_out():
    both(lambda t, x, o: (t.fft.fft(x, out=o), o), r(4), torch.empty(4, dtype=c64))
    both(lambda t, x, o: (t.fft.rfftn(x, out=o), o), r(2, 4, dtype=f64), torch.empty(0, dtype=c128))
    both(lambda t, o: (t.fft.fftfreq(4, out=o), o), torch.empty(4))


def test_fftfreq_requires_grad():
    f = torchjax.fft.fftfreq(4, requires_grad=True)
    assert f.requires_grad and f.is_leaf


def test_fft_of_real_input_equals_numpy():
    x = np.random.default_rng(0).standard_normal((3, 8))
    np.testing.assert_allclose(
        torchjax.fft.rfft(torchjax.tensor(x)).numpy(), np.fft.rfft(x), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        torchjax.fft.hfft(torchjax.tensor(x)).numpy(), np.fft.hfft(x), rtol=1e-12, atol=1e-12
    )


# ------------------------------------------------------------------ stft / istft (torchjax/_ops/spectral.py)


def _tensors_to(lib, kw):
    return {
        k: (lib.tensor(v.numpy()) if lib is torchjax and isinstance(v, torch.Tensor) else v)
        for k, v in kw.items()
    }


STFT_CASES = [
    dict(n_fft=10, return_complex=True),
    dict(n_fft=10, return_complex=False),
    dict(n_fft=16, hop_length=4, center=False, return_complex=True),
    dict(n_fft=16, window=torch.hann_window(16), return_complex=True, normalized=True),
    dict(n_fft=16, window=torch.hann_window(16), onesided=False, return_complex=True),
    dict(
        n_fft=16,
        win_length=8,
        window=torch.hann_window(8),
        return_complex=True,
        pad_mode="constant",
    ),
    dict(
        n_fft=16,
        win_length=8,
        window=torch.hann_window(8),
        return_complex=True,
        center=False,
        align_to_window=True,
    ),
    dict(n_fft=16, return_complex=True, pad_mode="circular"),
    dict(n_fft=16),  # real input without return_complex: RuntimeError
    dict(n_fft=16, hop_length=0, return_complex=True),
    dict(n_fft=16, window=torch.hann_window(8), return_complex=True),
    dict(n_fft=1000, center=False, return_complex=True),
]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("kw", STFT_CASES)
def test_stft(kw):
    both(
        lambda t, x: t.stft(x, **_tensors_to(t, kw)),
        r(2, 100),
        check_message=True,
        rtol=1e-5,
        atol=1e-5,
    )
    both(lambda t, x: x.stft(**_tensors_to(t, kw)), r(100), rtol=1e-5, atol=1e-5)


@pytest.mark.filterwarnings("ignore")
def test_stft_complex_input_and_grad():
    both(lambda t, x: t.stft(x, 16), r(100, dtype=c64), rtol=1e-5, atol=1e-5)

    def g(t, x, w):
        y = t.stft(x, 16, window=w, return_complex=True)
        return t.autograd.grad(y.abs().sum(), (x, w))

    both(g, r(2, 64, requires_grad=True), r(16, requires_grad=True), rtol=1e-4, atol=1e-4)


ISTFT_CASES = [
    (lambda: torch.randn(10, 2, dtype=c64), dict(n_fft=10)),
    (lambda: torch.randn(6, 3, dtype=c64), dict(n_fft=6, onesided=False)),
    (lambda: torch.randn(6, 4, dtype=c64), dict(n_fft=10, onesided=True)),
    (lambda: torch.randn(10, 10, 6, dtype=c64), dict(n_fft=10, center=False)),
    (lambda: torch.randn(1, 9, 10, dtype=c64), dict(n_fft=16, hop_length=4, center=False)),
    (
        lambda: torch.randn(10, 10, 6, dtype=c64),
        dict(n_fft=10, window=torch.randn(10, dtype=c64), return_complex=True),
    ),
    (
        lambda: torch.randn(10, 10, 10, dtype=c64),
        dict(n_fft=10, window=torch.randn(8, dtype=c64), win_length=8, return_complex=True),
    ),
    (lambda: torch.randn(10, 5, 6, dtype=c64), dict(n_fft=8, window=torch.randn(8))),
    (
        lambda: torch.stft(
            torch.randn(3, 100), 16, window=torch.hann_window(16), return_complex=True
        ),
        dict(n_fft=16, window=torch.hann_window(16), length=120),
    ),
    (
        lambda: torch.stft(
            torch.randn(3, 100), 16, window=torch.hann_window(16), return_complex=True
        ),
        dict(n_fft=16, window=torch.hann_window(16), normalized=True, length=90),
    ),
    (lambda: torch.randn(9, 5, dtype=c64), dict(n_fft=10)),  # frequency size mismatch
    (lambda: torch.randn(9, 5, dtype=c64), dict(n_fft=16, window=torch.ones(8))),  # bad window
    (
        lambda: torch.zeros(9, 5, dtype=c64),
        dict(n_fft=16, window=torch.zeros(16)),
    ),  # zero overlap-add envelope
    (lambda: torch.randn(9, 5), dict(n_fft=16)),  # real input
]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("make,kw", ISTFT_CASES)
def test_istft(make, kw):
    both(
        lambda t, x: t.istft(x, **_tensors_to(t, kw)),
        make(),
        check_message=True,
        rtol=1e-4,
        atol=1e-4,
    )


@pytest.mark.filterwarnings("ignore")
def test_istft_roundtrip_grad():
    def g(t, x, w):
        X = t.stft(x, 16, window=w, return_complex=True)
        y = t.istft(X, 16, window=w, length=x.shape[-1])
        return y, t.autograd.grad((y * y).sum(), x)

    both(g, r(2, 50, requires_grad=True), torch.hann_window(16), rtol=1e-4, atol=1e-4)
