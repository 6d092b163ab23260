"""Gradients of torch.linalg and the legacy torch.* linear algebra functions (torchjax/_ops/linalg.py)
compared with torch 2.13 (float64/complex128; gauge-invariant functions of the outputs for svd/eigh/eig),
and the grad_fn names of the outputs. Values and errors are in test_linalg.py."""

from __future__ import annotations

import math
import warnings

import pytest
import torch
from _compare import assert_same, grad_same, to_tj
from linalg_inputs import LU_PIV, spd, well

import torchjax

torch.manual_seed(0)
r = torch.randn
f64 = torch.float64
c64 = torch.complex64
c128 = torch.complex128
L = torch.linalg


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


# gauge-invariant functions of decompositions (eigen/singular vectors are defined up to sign/phase)
def svd_inv(t, a, full=False):
    U, S, Vh = t.linalg.svd(a, full_matrices=full)
    k = S.shape[-1]
    Uk, Vk = U[..., :, :k], Vh[..., :k, :]
    return S, Uk @ Uk.mH, Vk.mH @ Vk, (Uk * S[..., None, :]) @ Vk


def eigh_inv(t, a, uplo="L"):
    w, V = t.linalg.eigh(a, UPLO=uplo)
    return w, (V * w[..., None, :]) @ V.mH, V[..., :, :1] @ V[..., :, :1].mH


def eig_inv(t, a):
    w, V = t.linalg.eig(a)
    return w, (V * w[..., None, :]) @ t.linalg.inv(V), (V * V.conj()).sum(-2)


# ------------------------------------------------------------------ gradients (float64 / complex128)

GRADS = [
    # (id, fn, args..., [compare grad_fn names])
    ("inv", lambda t, a: t.linalg.inv(a), well(2, 3, 3)),
    ("inv c128", lambda t, a: t.linalg.inv(a), well(3, 3, dtype=c128)),
    ("det", lambda t, a: t.linalg.det(a), r(2, 3, 3, dtype=f64)),
    ("slogdet", lambda t, a: t.linalg.slogdet(a)[1], r(2, 3, 3, dtype=f64)),
    ("logdet", lambda t, a: t.logdet(a), spd(3, 3)),
    ("cholesky (symmetric gradient)", lambda t, a: t.linalg.cholesky(a), spd(2, 3, 3)),
    ("cholesky upper c128", lambda t, a: t.linalg.cholesky(a, upper=True), spd(3, 3, dtype=c128)),
    (
        "cholesky_solve",
        lambda t, b, a: t.cholesky_solve(b, a),
        r(3, 2, dtype=f64),
        torch.linalg.cholesky(spd(3, 3)),
    ),
    ("cholesky_inverse", lambda t, a: t.cholesky_inverse(a), torch.linalg.cholesky(spd(3, 3))),
    (
        "triangular_solve",
        lambda t, b, a: t.triangular_solve(b, a),
        r(2, 3, 2, dtype=f64),
        well(3, 3),
    ),
    (
        "solve_triangular right c128",
        lambda t, a, b: t.linalg.solve_triangular(a, b, upper=True, left=False),
        well(3, 3, dtype=c128),
        r(2, 3, dtype=c128),
    ),
    ("lu_factor", lambda t, a: t.linalg.lu_factor(a)[0], r(2, 3, 3, dtype=f64)),
    ("linalg.lu wide", lambda t, a: t.linalg.lu(a)[1:], r(3, 5, dtype=f64)),
    ("lu_unpack", lambda t, a, p: t.lu_unpack(a, p)[1:], r(3, 3, dtype=f64), LU_PIV),
    (
        "lu_solve",
        lambda t, a, p, b: t.linalg.lu_solve(a, p, b),
        well(3, 3),
        LU_PIV,
        r(3, 2, dtype=f64),
    ),
    ("solve bcast", lambda t, a, b: t.linalg.solve(a, b), well(2, 1, 3, 3), r(4, 3, 2, dtype=f64)),
    (
        "solve left=False c128",
        lambda t, a, b: t.linalg.solve(a, b, left=False),
        well(3, 3, dtype=c128),
        r(2, 3, dtype=c128),
    ),
    ("qr", lambda t, a: t.linalg.qr(a), r(2, 4, 3, dtype=f64)),
    ("qr wide", lambda t, a: t.linalg.qr(a), r(3, 5, dtype=f64)),
    ("svdvals", lambda t, a: t.linalg.svdvals(a), r(2, 4, 3, dtype=f64)),
    ("svd invariants", lambda t, a: svd_inv(t, a), r(2, 4, 3, dtype=f64), False),
    ("svd full_matrices wide", lambda t, a: svd_inv(t, a, True), r(3, 5, dtype=f64), False),
    ("svd c128", lambda t, a: svd_inv(t, a), r(3, 4, dtype=c128), False),
    ("eigvalsh", lambda t, a: t.linalg.eigvalsh(a), spd(2, 3, 3)),
    ("eigh", lambda t, a: eigh_inv(t, a), r(3, 3, dtype=f64), False),
    ("eigh c128", lambda t, a: eigh_inv(t, a), spd(3, 3, dtype=c128), False),
    ("eigvals", lambda t, a: t.linalg.eigvals(a), r(3, 3, dtype=f64)),
    ("eig c128", lambda t, a: eig_inv(t, a), r(3, 3, dtype=c128), False),
    ("pinv", lambda t, a: t.linalg.pinv(a), r(2, 4, 3, dtype=f64)),
    ("pinv hermitian", lambda t, a: t.linalg.pinv(a, hermitian=True), spd(3, 3)),
    (
        "lstsq",
        lambda t, a, b: t.linalg.lstsq(a, b, driver="gelsd")[:2],
        r(4, 3, dtype=f64),
        r(4, 2, dtype=f64),
    ),
    ("matrix_power", lambda t, a: t.linalg.matrix_power(a, 5), r(3, 3, dtype=f64)),
    ("matrix_power negative", lambda t, a: t.linalg.matrix_power(a, -3), well(3, 3)),
    ("cond", lambda t, a: t.linalg.cond(a), r(4, 3, dtype=f64)),
    ("vector_norm", lambda t, a: t.linalg.vector_norm(a), r(2, 3, dtype=f64)),
    (
        "vector_norm 3 c128",
        lambda t, a: t.linalg.vector_norm(a, 3, dim=1, keepdim=True),
        r(2, 3, dtype=c128),
    ),
    (
        "vector_norm inf ties",
        lambda t, a: t.linalg.vector_norm(a, math.inf, dim=-1),
        torch.tensor([[1.0, -2.0, 2.0], [0.0, 0.0, 0.0]], dtype=f64),
    ),
    (
        "vector_norm 0.5 zeros",
        lambda t, a: t.linalg.vector_norm(a, 0.5),
        torch.tensor([[1.0, -2.0, 0.0], [0.0, 3.0, 0.0]], dtype=f64),
    ),
    (
        "vector_norm 1.5 zero row",
        lambda t, a: t.linalg.vector_norm(a, 1.5, dim=1),
        torch.tensor([[1.0, -2.0, 0.0], [0.0, 0.0, 0.0]], dtype=f64),
    ),
    (
        "vector_norm 1 zeros",
        lambda t, a: t.linalg.vector_norm(a, 1),
        torch.tensor([1.0, -2.0, 0.0], dtype=f64),
    ),
    (
        "vector_norm 2 zero row",
        lambda t, a: t.linalg.vector_norm(a, dim=1),
        torch.tensor([[1.0, -2.0, 0.0], [0.0, 0.0, 0.0]], dtype=f64),
    ),
    ("matrix_norm nuc", lambda t, a: t.linalg.matrix_norm(a, "nuc"), r(2, 3, 4, dtype=f64)),
    ("matrix_norm 2", lambda t, a: t.linalg.matrix_norm(a, 2, dim=(0, 2)), r(2, 3, 4, dtype=f64)),
    (
        "matrix_norm -1",
        lambda t, a: t.linalg.matrix_norm(a, -1, keepdim=True),
        r(2, 3, 4, dtype=f64),
    ),
    (
        "matrix_norm inf",
        lambda t, a: t.linalg.matrix_norm(a, math.inf, dim=(2, 0)),
        r(2, 3, 4, dtype=f64),
    ),
    ("matrix_exp c128", lambda t, a: t.matrix_exp(a), r(2, 3, 3, dtype=c128)),
    (
        "householder_product",
        lambda t, a, tau: t.linalg.householder_product(a, tau),
        r(4, 3, dtype=f64),
        r(2, dtype=f64),
    ),
    (
        "ormqr transpose c128",
        lambda t, a, tau, c: t.ormqr(a, tau, c, True, True),
        r(4, 3, dtype=c128),
        r(3, dtype=c128),
        r(4, 2, dtype=c128),
    ),
    ("tensorinv", lambda t, a: t.linalg.tensorinv(a, ind=1), well(4, 4).reshape(4, 2, 2)),
    (
        "tensorsolve",
        lambda t, a, b: t.linalg.tensorsolve(a, b),
        r(2, 3, 6, dtype=f64),
        r(2, 3, dtype=f64),
    ),
]


@pytest.mark.parametrize("case", GRADS, ids=[c[0] for c in GRADS])
def test_gradients(case):
    _, fn, *args = case
    names = True
    if isinstance(args[-1], bool):
        *args, names = args
    grad_same(fn, *args, names=names)


def test_det_gradient_at_a_singular_matrix():
    # torch 2.13 returns a zero gradient for an exactly singular input when not creating a graph, and the
    # cofactor matrix when it does; torchjax returns the cofactor matrix (the true gradient) in both modes
    a = torch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=f64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.linalg.det(a), a, create_graph=True)
    ta = to_tj(a.detach()).requires_grad_()
    (tg,) = torchjax.autograd.grad(torchjax.linalg.det(ta), ta)
    assert_same(tg, g.detach())


def test_float32_gradients_within_torch_tolerance():
    grad_same(lambda t, a: t.linalg.inv(a), well(3, 3, dtype=torch.float32), rtol=1e-4, atol=1e-5)


def test_cond_gradient_is_the_gradient_of_its_definition():
    # torch 2.13 raises at backward for cond with p in (1, -1, inf, -inf, 'fro') (an in-place bug in its
    # implementation); torchjax returns the gradient of norm(A, p) * norm(inv(A), p)
    a = well(3, 3)
    ta = to_tj(a).requires_grad_()
    torchjax.linalg.cond(ta, "fro").backward()
    a = a.clone().requires_grad_()
    (torch.linalg.matrix_norm(a) * torch.linalg.matrix_norm(torch.linalg.inv(a))).backward()
    assert_same(ta.grad, a.grad)


def test_double_backward_inv():
    a = well(3, 3).requires_grad_()
    ta = to_tj(a.detach()).requires_grad_()
    (g,) = torch.autograd.grad(torch.linalg.inv(a).sum(), a, create_graph=True)
    (tg,) = torchjax.autograd.grad(torchjax.linalg.inv(ta).sum(), ta, create_graph=True)
    assert_same(
        torchjax.autograd.grad(tg.pow(2).sum(), ta)[0], torch.autograd.grad(g.pow(2).sum(), a)[0]
    )
