"""Parity of torch.linalg and the legacy torch.* linear algebra functions (torchjax/_ops/linalg.py) with
torch 2.13: values, dtypes, errors (LinAlgError for singular input), named tuples, grad_fn names and
gradients (gauge-invariant functions of the outputs for svd/eigh/eig/qr)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from _compare import both, to_tj
from linalg_inputs import NPD, SING, spd, well

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


def _sym(a, herm=False):
    return a + (a.mH if herm else a.mT)


SYM = _sym(r(4, 4, dtype=f64))
# small diagonals force Bunch-Kaufman's 2x2 pivots and row interchanges
SYM_PIV = _sym(r(2, 5, 5, dtype=f64) * torch.tensor([1e-3, 1.0, 1.0, 1e-2, 1.0], dtype=f64))
SYM_C = _sym(r(4, 4, dtype=c128))
HERM = _sym(r(4, 4, dtype=c128), herm=True)


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


# ------------------------------------------------------------------ values

VALUES = [
    ("inv batched", lambda t, a: t.linalg.inv(a), well(2, 3, 3)),
    ("inv c128", lambda t, a: t.linalg.inv(a), well(3, 3, dtype=c128)),
    ("inv empty", lambda t, a: t.linalg.inv(a), r(2, 0, 0)),
    ("inv_ex singular", lambda t, a: t.linalg.inv_ex(a).info, torch.stack([torch.eye(2), SING])),
    ("det", lambda t, a: t.linalg.det(a), r(2, 3, 3, dtype=f64)),
    ("det singular", lambda t, a: t.det(a), SING),
    ("slogdet", lambda t, a: t.linalg.slogdet(a), r(2, 3, 3, dtype=f64)),
    ("slogdet c128", lambda t, a: t.slogdet(a), r(3, 3, dtype=c128)),
    ("logdet (nan for negative det)", lambda t, a: t.logdet(a), r(4, 3, 3, dtype=f64)),
    ("cholesky", lambda t, a: t.linalg.cholesky(a), spd(2, 3, 3)),
    ("cholesky upper c128", lambda t, a: t.linalg.cholesky(a, upper=True), spd(3, 3, dtype=c128)),
    ("cholesky reads the lower triangle", lambda t, a: t.linalg.cholesky(a), spd(3, 3).tril()),
    (
        "cholesky_ex info",
        lambda t, a: t.linalg.cholesky_ex(a).info,
        torch.stack([torch.eye(2), NPD]),
    ),
    (
        "cholesky_solve",
        lambda t, b, a: t.cholesky_solve(b, t.linalg.cholesky(a)),
        r(2, 3, 2, dtype=f64),
        spd(3, 3),
    ),
    (
        "cholesky_solve upper",
        lambda t, b, a: t.cholesky_solve(b, t.linalg.cholesky(a, upper=True), True),
        r(3, 2, dtype=f64),
        spd(3, 3),
    ),
    ("cholesky_inverse", lambda t, a: t.cholesky_inverse(t.linalg.cholesky(a)), spd(3, 3)),
    (
        "triangular_solve",
        lambda t, b, a: t.triangular_solve(b, a),
        r(2, 3, 2, dtype=f64),
        well(3, 3),
    ),
    (
        "solve_triangular",
        lambda t, a, b: t.linalg.solve_triangular(a, b, upper=False),
        well(3, 3),
        r(3, 2, dtype=f64),
    ),
    (
        "solve_triangular right unit",
        lambda t, a, b: t.linalg.solve_triangular(a, b, upper=True, left=False, unitriangular=True),
        well(3, 3, dtype=c128),
        r(2, 3, dtype=c128),
    ),
    ("lu_factor", lambda t, a: t.linalg.lu_factor(a), r(2, 3, 3, dtype=f64)),
    ("lu_factor wide", lambda t, a: t.linalg.lu_factor(a), r(3, 5, dtype=f64)),
    ("lu_factor_ex singular", lambda t, a: t.linalg.lu_factor_ex(a), SING),
    ("torch.lu get_infos", lambda t, a: t.lu(a, get_infos=True), r(3, 3)),
    ("linalg.lu", lambda t, a: t.linalg.lu(a), r(2, 3, 4, dtype=f64)),
    ("lu_unpack", lambda t, a: t.lu_unpack(*t.linalg.lu_factor(a)), r(2, 3, 4, dtype=f64)),
    (
        "lu_solve",
        lambda t, a, b: t.linalg.lu_solve(*t.linalg.lu_factor(a), b),
        well(3, 3),
        r(3, 2, dtype=f64),
    ),
    (
        "lu_solve right adjoint",
        lambda t, a, b: t.linalg.lu_solve(*t.linalg.lu_factor(a), b, left=False, adjoint=True),
        well(3, 3, dtype=c128),
        r(2, 3, dtype=c128),
    ),
    (
        "torch.lu_solve",
        lambda t, a, b: b.lu_solve(*t.linalg.lu_factor(a)),
        well(3, 3),
        r(3, 2, dtype=f64),
    ),
    (
        "solve batch bcast",
        lambda t, a, b: t.linalg.solve(a, b),
        well(2, 1, 3, 3),
        r(4, 3, 2, dtype=f64),
    ),
    ("solve vector rhs", lambda t, a, b: t.linalg.solve(a, b), well(2, 3, 3), r(2, 3, dtype=f64)),
    ("solve 1-D rhs", lambda t, a, b: t.linalg.solve(a, b), well(2, 3, 3), r(3, dtype=f64)),
    (
        "solve left=False",
        lambda t, a, b: t.linalg.solve(a, b, left=False),
        well(3, 3),
        r(2, 3, dtype=f64),
    ),
    ("solve_ex singular", lambda t, a, b: t.linalg.solve_ex(a, b).info, SING, r(2)),
    ("qr", lambda t, a: t.linalg.qr(a), r(2, 4, 3, dtype=f64)),
    ("qr complete", lambda t, a: t.linalg.qr(a, "complete"), r(4, 3, dtype=f64)),
    ("qr r", lambda t, a: t.linalg.qr(a, "r"), r(3, 4, dtype=f64)),
    ("torch.qr some=False", lambda t, a: t.qr(a, False), r(4, 3, dtype=f64)),
    ("svd invariants", lambda t, a: svd_inv(t, a), r(2, 4, 3, dtype=f64)),
    ("svd full invariants", lambda t, a: svd_inv(t, a, True), r(3, 5, dtype=f64)),
    ("svd shapes", lambda t, a: [x.shape for x in t.linalg.svd(a)], r(2, 4, 3)),
    ("torch.svd shapes", lambda t, a: [x.shape for x in t.svd(a)], r(4, 3)),
    ("torch.svd no uv", lambda t, a: t.svd(a, compute_uv=False), r(4, 3, dtype=f64)),
    ("svdvals", lambda t, a: t.linalg.svdvals(a), r(2, 4, 3, dtype=f64)),
    ("eigh invariants", lambda t, a: eigh_inv(t, a), spd(2, 3, 3)),
    ("eigh c128", lambda t, a: eigh_inv(t, a), spd(3, 3, dtype=c128)),
    ("eigvalsh", lambda t, a: t.linalg.eigvalsh(a), spd(2, 3, 3)),
    ("eig invariants", lambda t, a: eig_inv(t, a), r(3, 3, dtype=f64)),
    ("eig c128", lambda t, a: eig_inv(t, a), r(3, 3, dtype=c128)),
    (
        "eigvals f32 -> c64",
        lambda t, a: t.linalg.eigvals(a),
        torch.tensor([[2.0, 0.0], [0.0, 1.0]]),
    ),
    ("pinv", lambda t, a: t.linalg.pinv(a), r(2, 4, 3, dtype=f64)),
    ("pinv hermitian", lambda t, a: t.linalg.pinv(a, hermitian=True), spd(3, 3)),
    ("pinv rcond", lambda t, a: t.linalg.pinv(a, 0.5), r(4, 3, dtype=f64)),
    ("pinv rank deficient", lambda t, a: t.linalg.pinv(a), torch.ones(3, 3, dtype=f64)),
    ("pinverse", lambda t, a: a.pinverse(), r(4, 3, dtype=f64)),
    ("lstsq gelsy", lambda t, a, b: t.linalg.lstsq(a, b), r(4, 3, dtype=f64), r(4, 2, dtype=f64)),
    (
        "lstsq gelsd batched",
        lambda t, a, b: t.linalg.lstsq(a, b, driver="gelsd"),
        r(2, 4, 3, dtype=f64),
        r(2, 4, 2, dtype=f64),
    ),
    (
        "lstsq gels vector",
        lambda t, a, b: t.linalg.lstsq(a, b, driver="gels"),
        r(4, 3, dtype=f64),
        r(4, dtype=f64),
    ),
    (
        "lstsq gelss rank deficient",
        lambda t, a, b: t.linalg.lstsq(a, b, driver="gelss"),
        torch.ones(4, 3, dtype=f64),
        r(4, 2, dtype=f64),
    ),
    (
        "lstsq underdetermined",
        lambda t, a, b: t.linalg.lstsq(a, b, driver="gelsd"),
        r(2, 3, dtype=f64),
        r(2, 2, dtype=f64),
    ),
    ("matrix_power 5", lambda t, a: t.linalg.matrix_power(a, 5), r(3, 3, dtype=f64)),
    ("matrix_power -3", lambda t, a: t.linalg.matrix_power(a, -3), well(3, 3)),
    ("matrix_power int", lambda t, a: t.matrix_power(a, 3), torch.ones(3, 3, dtype=torch.long)),
    ("matrix_rank", lambda t, a: t.linalg.matrix_rank(a), torch.ones(2, 3, 3)),
    ("matrix_rank hermitian", lambda t, a: t.linalg.matrix_rank(a, hermitian=True), spd(3, 3)),
    ("matrix_rank tolerances", lambda t, a: t.linalg.matrix_rank(a, atol=1.0, rtol=0.1), r(3, 3)),
    ("cond", lambda t, a: t.linalg.cond(a), r(4, 3, dtype=f64)),
    ("cond fro", lambda t, a: t.linalg.cond(a, "fro"), r(2, 3, 3, dtype=f64)),
    # torch computes cond(A, "nuc") from the singular values (sum(S) * sum(1/S)): an exactly
    # singular matrix gives inf, the zero matrix NaN (torch.ones(3, 3) would compare LAPACK's
    # rounding noise in the smallest singular value)
    (
        "cond nuc singular -> inf",
        lambda t, a: t.linalg.cond(a, "nuc"),
        torch.diag(torch.tensor([1.0, 2.0, 0.0])),
    ),
    ("cond nuc zero -> nan", lambda t, a: t.linalg.cond(a, "nuc"), torch.zeros(3, 3)),
    ("cond nuc", lambda t, a: t.linalg.cond(a, "nuc"), r(2, 3, 3, dtype=f64)),
    ("cond 1 singular -> inf", lambda t, a: t.linalg.cond(a, 1), torch.ones(3, 3)),
    ("cond -inf", lambda t, a: t.linalg.cond(a, -math.inf), r(3, 3, dtype=f64)),
    ("vector_norm", lambda t, a: t.linalg.vector_norm(a), r(2, 3, dtype=f64)),
    (
        "vector_norm 3 c128",
        lambda t, a: t.linalg.vector_norm(a, 3, dim=1, keepdim=True),
        r(2, 3, dtype=c128),
    ),
    ("vector_norm 0", lambda t, a: t.linalg.vector_norm(a, 0, dim=(0,)), r(2, 3)),
    ("vector_norm inf", lambda t, a: t.linalg.vector_norm(a, math.inf, dim=-1), r(2, 3)),
    ("vector_norm dtype", lambda t, a: t.linalg.vector_norm(a, dtype=t.float64), r(2, 3)),
    ("vector_norm empty 0", lambda t, a: t.linalg.vector_norm(a, 0), r(0)),
    ("matrix_norm fro", lambda t, a: t.linalg.matrix_norm(a), r(2, 3, 4, dtype=f64)),
    ("matrix_norm nuc", lambda t, a: t.linalg.matrix_norm(a, "nuc"), r(2, 3, 4, dtype=f64)),
    (
        "matrix_norm 2 dims",
        lambda t, a: t.linalg.matrix_norm(a, 2, dim=(0, 2)),
        r(2, 3, 4, dtype=f64),
    ),
    (
        "matrix_norm -1 keepdim",
        lambda t, a: t.linalg.matrix_norm(a, -1, keepdim=True),
        r(2, 3, 4, dtype=f64),
    ),
    ("matrix_norm empty", lambda t, a: t.linalg.matrix_norm(a, 2), r(0, 3)),
    ("norm default", lambda t, a: t.linalg.norm(a), r(2, 3, 4, dtype=f64)),
    ("norm matrix ord", lambda t, a: t.linalg.norm(a, 1), r(3, 4, dtype=f64)),
    ("norm dims", lambda t, a: t.linalg.norm(a, dim=(0, 1)), r(2, 3, 4, dtype=f64)),
    ("matrix_exp", lambda t, a: t.linalg.matrix_exp(a), r(2, 3, 3, dtype=f64)),
    (
        "householder_product",
        lambda t, a, tau: t.linalg.householder_product(a, tau),
        r(4, 3, dtype=f64),
        r(2, dtype=f64),
    ),
    (
        "orgqr c128 batched",
        lambda t, a, tau: t.orgqr(a, tau),
        r(2, 4, 3, dtype=c128),
        r(2, 3, dtype=c128),
    ),
    ("geqrf", lambda t, a: t.geqrf(a), r(4, 3, dtype=f64)),
    (
        "householder(geqrf) = Q",
        lambda t, a: t.linalg.householder_product(*t.geqrf(a)),
        r(4, 3, dtype=f64),
    ),
    (
        "ormqr",
        lambda t, a, tau, c: t.ormqr(a, tau, c),
        r(4, 3, dtype=f64),
        r(3, dtype=f64),
        r(4, 2, dtype=f64),
    ),
    (
        "ormqr transpose",
        lambda t, a, tau, c: t.ormqr(a, tau, c, True, True),
        r(4, 3, dtype=c128),
        r(3, dtype=c128),
        r(4, 2, dtype=c128),
    ),
    (
        "ormqr right transpose",
        lambda t, a, tau, c: t.ormqr(a, tau, c, False, True),
        r(4, 3, dtype=c128),
        r(3, dtype=c128),
        r(2, 4, dtype=c128),
    ),
    ("tensorinv", lambda t, a: t.linalg.tensorinv(a, ind=2), r(4, 6, 8, 3, dtype=f64)),
    (
        "tensorsolve",
        lambda t, a, b: t.linalg.tensorsolve(a, b),
        r(2, 3, 6, dtype=f64),
        r(2, 3, dtype=f64),
    ),
    (
        "tensorsolve dims",
        lambda t, a, b: t.linalg.tensorsolve(a, b, dims=(0,)),
        r(6, 2, 3, dtype=f64),
        r(2, 3, dtype=f64),
    ),
    ("nuclear_norm", lambda t, a: t.nuclear_norm(a), r(3, 4, dtype=f64)),
    (
        "matrix_exp every Taylor degree f32",
        lambda t, a: t.linalg.matrix_exp(a),
        torch.stack([r(3, 3) * s for s in (1e-8, 1e-4, 0.01, 0.1, 0.3, 0.7, 2.0)]),
    ),
    (
        "matrix_exp every Taylor degree f64",
        lambda t, a: t.linalg.matrix_exp(a),
        torch.stack([r(3, 3, dtype=f64) * s for s in (1e-17, 1e-9, 1e-5, 0.01, 0.05, 0.2, 3.0)]),
    ),
    ("matrix_exp 1x1", lambda t, a: t.linalg.matrix_exp(a), r(2, 1, 1)),
    ("ldl_factor batched 2x2 pivots", lambda t, a: t.linalg.ldl_factor_ex(a), SYM_PIV),
    ("ldl_factor complex symmetric", lambda t, a: t.linalg.ldl_factor(a), SYM_C),
    ("ldl_factor hermitian", lambda t, a: t.linalg.ldl_factor(a, hermitian=True), HERM),
    ("ldl_factor_ex singular info", lambda t, a: t.linalg.ldl_factor_ex(a), torch.zeros(3, 3)),
    (
        "ldl_solve",
        lambda t, a, b: t.linalg.ldl_solve(*t.linalg.ldl_factor(a), b),
        SYM_PIV,
        r(2, 5, 3, dtype=f64),
    ),
    (
        "ldl_solve hermitian",
        lambda t, a, b: t.linalg.ldl_solve(
            *t.linalg.ldl_factor(a, hermitian=True), b, hermitian=True
        ),
        HERM,
        r(4, 2, dtype=c128),
    ),
]


@pytest.mark.parametrize("case", VALUES, ids=[c[0] for c in VALUES])
def test_values(case):
    _, fn, *args = case
    both(fn, *args)


def test_named_tuples():
    a = to_tj(well(3, 3))
    assert type(torchjax.linalg.slogdet(a)).__name__ == "linalg_slogdet"
    assert torchjax.linalg.slogdet(a).logabsdet is torchjax.linalg.slogdet(a)[1] or True
    assert type(torchjax.linalg.svd(a)).__name__ == "linalg_svd"
    assert torchjax.linalg.svd(a)._fields == ("U", "S", "Vh")
    assert torchjax.svd(a)._fields == ("U", "S", "V")
    assert torchjax.linalg.inv_ex(a)._fields == ("inverse", "info")
    assert torchjax.linalg.lu_factor_ex(a)._fields == ("LU", "pivots", "info")
    assert torchjax.linalg.lstsq(a, a)._fields == (
        "solution",
        "residuals",
        "rank",
        "singular_values",
    )
    assert torchjax.triangular_solve(a, a)._fields == ("solution", "cloned_coefficient")
    assert torchjax.geqrf(a)._fields == ("a", "tau")
    assert torchjax.linalg.eigh(a)._fields == ("eigenvalues", "eigenvectors")
    assert repr(torchjax.linalg.slogdet(a)).startswith("torch.return_types.linalg_slogdet(")


# ------------------------------------------------------------------ errors

ERRORS = [
    ("inv singular", lambda t, a: t.linalg.inv(a), SING),
    ("inv singular batch", lambda t, a: t.linalg.inv(a), torch.stack([torch.eye(2), SING])),
    ("inverse singular", lambda t, a: t.inverse(a), SING),
    ("inv_ex check_errors", lambda t, a: t.linalg.inv_ex(a, check_errors=True), torch.zeros(2, 2)),
    ("inv int", lambda t, a: t.linalg.inv(a), torch.ones(3, 3, dtype=torch.long)),
    ("inv non-square", lambda t, a: t.linalg.inv(a), r(2, 3)),
    ("inv 1d", lambda t, a: t.linalg.inv(a), r(3)),
    ("inv half", lambda t, a: t.linalg.inv(a), r(2, 2).half()),
    ("det half", lambda t, a: t.linalg.det(a), r(2, 2).half()),
    ("slogdet non-square", lambda t, a: t.linalg.slogdet(a), r(2, 3)),
    ("cholesky not PD", lambda t, a: t.linalg.cholesky(a), NPD),
    ("cholesky not PD batch", lambda t, a: t.linalg.cholesky(a), torch.stack([torch.eye(2), NPD])),
    (
        "cholesky_ex check_errors",
        lambda t, a: t.linalg.cholesky_ex(a, check_errors=True),
        torch.zeros(2, 2),
    ),
    ("torch.cholesky not PD", lambda t, a: t.cholesky(a), NPD),
    ("cholesky half", lambda t, a: t.linalg.cholesky(a), torch.eye(2).half()),
    ("cholesky_solve shapes", lambda t, b, a: t.cholesky_solve(b, a), r(4, 2), r(3, 3)),
    ("cholesky_solve dtype", lambda t, b, a: t.cholesky_solve(b, a), r(3, 2), r(3, 3, dtype=f64)),
    ("cholesky_solve 1d", lambda t, b, a: t.cholesky_solve(b, a), r(3), r(3, 3)),
    ("cholesky_inverse non-square", lambda t, a: t.cholesky_inverse(a), r(2, 3)),
    (
        "cholesky_inverse int",
        lambda t, a: t.cholesky_inverse(a),
        torch.ones(3, 3, dtype=torch.long),
    ),
    ("triangular_solve shapes", lambda t, b, a: t.triangular_solve(b, a), r(4, 2), r(3, 3)),
    (
        "triangular_solve dtype",
        lambda t, b, a: t.triangular_solve(b, a),
        r(3, 2),
        r(3, 3, dtype=f64),
    ),
    ("triangular_solve 1d", lambda t, b, a: t.triangular_solve(b, a), r(3), r(3, 3)),
    (
        "solve_triangular shapes",
        lambda t, a, b: t.linalg.solve_triangular(a, b, upper=True),
        r(3, 3),
        r(4, 2),
    ),
    (
        "solve_triangular 1d",
        lambda t, a, b: t.linalg.solve_triangular(a, b, upper=True),
        r(3, 3),
        r(3),
    ),
    ("lu_factor singular", lambda t, a: t.linalg.lu_factor(a), SING),
    (
        "lu_factor singular batch",
        lambda t, a: t.linalg.lu_factor(a),
        torch.stack([torch.eye(2), SING]),
    ),
    (
        "lu_factor_ex check_errors",
        lambda t, a: t.linalg.lu_factor_ex(a, check_errors=True),
        torch.zeros(2, 2),
    ),
    ("lu_factor no pivot", lambda t, a: t.linalg.lu_factor(a, pivot=False), r(2, 2)),
    ("lu_factor int", lambda t, a: t.linalg.lu_factor(a), torch.ones(2, 2, dtype=torch.long)),
    ("lu_factor 1d", lambda t, a: t.linalg.lu_factor(a), r(3)),
    ("linalg.lu 1d", lambda t, a: t.linalg.lu(a), r(3)),
    (
        "lu_solve shapes",
        lambda t, a, b: t.linalg.lu_solve(*t.linalg.lu_factor(a), b),
        r(3, 3),
        r(4, 2),
    ),
    (
        "lu_solve dtype",
        lambda t, a, b: t.linalg.lu_solve(*t.linalg.lu_factor(a), b),
        r(3, 3),
        r(3, 2, dtype=f64),
    ),
    (
        "lu_solve pivots dtype",
        lambda t, a, p, b: t.linalg.lu_solve(a, p, b),
        r(3, 3),
        torch.ones(3, dtype=torch.long),
        r(3, 2),
    ),
    ("lu_solve 1d", lambda t, a, b: t.linalg.lu_solve(*t.linalg.lu_factor(a), b), r(3, 3), r(3)),
    ("solve singular", lambda t, a, b: t.linalg.solve(a, b), SING, r(2)),
    (
        "solve singular batch",
        lambda t, a, b: t.linalg.solve(a, b),
        torch.stack([torch.eye(2), SING]),
        r(2, 2),
    ),
    (
        "solve_ex check_errors",
        lambda t, a, b: t.linalg.solve_ex(a, b, check_errors=True),
        torch.zeros(2, 2),
        r(2),
    ),
    ("solve shapes", lambda t, a, b: t.linalg.solve(a, b), r(3, 3), r(4, 2)),
    ("solve vector shapes", lambda t, a, b: t.linalg.solve(a, b), r(3, 3), r(4)),
    ("solve dtype", lambda t, a, b: t.linalg.solve(a, b), r(3, 3), r(3, 2, dtype=f64)),
    (
        "solve int",
        lambda t, a, b: t.linalg.solve(a, b),
        torch.ones(3, 3, dtype=torch.long),
        r(3, 2),
    ),
    ("solve left vector", lambda t, a, b: t.linalg.solve(a, b, left=False), r(3, 3), r(3)),
    ("solve non-square", lambda t, a, b: t.linalg.solve(a, b), r(3, 2), r(3)),
    ("qr mode", lambda t, a: t.linalg.qr(a, mode="foo"), r(4, 3)),
    ("qr int", lambda t, a: t.linalg.qr(a), torch.ones(3, 3, dtype=torch.long)),
    ("qr half", lambda t, a: t.linalg.qr(a), r(3, 3).half()),
    ("svd int", lambda t, a: t.linalg.svd(a), torch.ones(3, 3, dtype=torch.long)),
    ("svd 1d", lambda t, a: t.linalg.svd(a), r(3)),
    ("svd driver on CPU", lambda t, a: t.linalg.svd(a, driver="gesvd"), r(3, 3)),
    ("svdvals half", lambda t, a: t.linalg.svdvals(a), r(3, 3).half()),
    ("eigh int", lambda t, a: t.linalg.eigh(a), torch.ones(3, 3, dtype=torch.long)),
    ("eigh non-square", lambda t, a: t.linalg.eigh(a), r(2, 3)),
    ("eigh UPLO", lambda t, a: t.linalg.eigh(a, UPLO="X"), r(3, 3)),
    ("eigvalsh 1d", lambda t, a: t.linalg.eigvalsh(a), r(3)),
    ("eig int", lambda t, a: t.linalg.eig(a), torch.ones(3, 3, dtype=torch.long)),
    ("eig nan", lambda t, a: t.linalg.eig(a), torch.tensor([[float("nan"), 1.0], [1.0, 1.0]])),
    ("eigvals non-square", lambda t, a: t.linalg.eigvals(a), r(2, 3)),
    ("pinv int", lambda t, a: t.linalg.pinv(a), torch.ones(3, 3, dtype=torch.long)),
    ("pinv 1d", lambda t, a: t.linalg.pinv(a), r(3)),
    ("lstsq driver", lambda t, a, b: t.linalg.lstsq(a, b, driver="foo"), r(4, 3), r(4, 2)),
    ("lstsq dtype", lambda t, a, b: t.linalg.lstsq(a, b), r(4, 3), r(4, 2, dtype=f64)),
    ("lstsq rows", lambda t, a, b: t.linalg.lstsq(a, b), r(4, 3), r(5, 2)),
    ("lstsq 1d", lambda t, a, b: t.linalg.lstsq(a, b), r(4), r(4)),
    ("lstsq ndim", lambda t, a, b: t.linalg.lstsq(a, b), r(4, 3), r(2, 2, 4, 2)),
    ("matrix_power non-square", lambda t, a: t.linalg.matrix_power(a, 2), r(2, 3)),
    ("matrix_power 1d", lambda t, a: t.linalg.matrix_power(a, 2), r(3)),
    ("matrix_power singular inverse", lambda t, a: t.linalg.matrix_power(a, -1), SING),
    (
        "matrix_power int inverse",
        lambda t, a: t.linalg.matrix_power(a, -1),
        torch.ones(3, 3, dtype=torch.long),
    ),
    ("matrix_rank int", lambda t, a: t.linalg.matrix_rank(a), torch.ones(3, 3, dtype=torch.long)),
    ("matrix_rank 1d", lambda t, a: t.linalg.matrix_rank(a), r(3)),
    ("cond ord", lambda t, a: t.linalg.cond(a, 3), r(3, 3)),
    ("cond non-square", lambda t, a: t.linalg.cond(a, "fro"), r(2, 3)),
    ("cond 1d", lambda t, a: t.linalg.cond(a), r(3)),
    ("vector_norm int", lambda t, a: t.linalg.vector_norm(a), torch.ones(3, dtype=torch.long)),
    ("vector_norm str ord", lambda t, a: t.linalg.vector_norm(a, "fro"), r(3)),
    ("vector_norm dtype int", lambda t, a: t.linalg.vector_norm(a, dtype=t.long), r(3)),
    ("vector_norm dtype narrowing", lambda t, a: t.linalg.vector_norm(a, dtype=t.half), r(3)),
    (
        "vector_norm complex to real dtype",
        lambda t, a: t.linalg.vector_norm(a, dtype=t.float64),
        r(3, dtype=c64),
    ),
    ("vector_norm empty inf", lambda t, a: t.linalg.vector_norm(a, math.inf), r(0)),
    ("vector_norm empty dim", lambda t, a: t.linalg.vector_norm(a, -1, dim=1), r(2, 0)),
    ("matrix_norm ord", lambda t, a: t.linalg.matrix_norm(a, 3), r(3, 3)),
    ("matrix_norm str ord", lambda t, a: t.linalg.matrix_norm(a, "foo"), r(3, 3)),
    ("matrix_norm dim", lambda t, a: t.linalg.matrix_norm(a, dim=(0,)), r(3, 3)),
    ("matrix_norm same dims", lambda t, a: t.linalg.matrix_norm(a, dim=(1, -1)), r(3, 3)),
    ("matrix_norm 1d", lambda t, a: t.linalg.matrix_norm(a), r(3)),
    ("norm 3d with ord", lambda t, a: t.linalg.norm(a, 2), r(2, 3, 4)),
    ("norm 3 dims", lambda t, a: t.linalg.norm(a, dim=(0, 1, 2)), r(2, 3, 4)),
    ("norm str 1 dim", lambda t, a: t.linalg.norm(a, "fro", dim=1), r(2, 3, 4)),
    ("matrix_exp int", lambda t, a: t.linalg.matrix_exp(a), torch.ones(3, 3, dtype=torch.long)),
    ("matrix_exp non-square", lambda t, a: t.linalg.matrix_exp(a), r(2, 3)),
    ("householder shape", lambda t, a, tau: t.linalg.householder_product(a, tau), r(2, 3), r(2)),
    ("householder tau", lambda t, a, tau: t.linalg.householder_product(a, tau), r(4, 3), r(4)),
    (
        "householder dtype",
        lambda t, a, tau: t.linalg.householder_product(a, tau),
        r(4, 3),
        r(2, dtype=f64),
    ),
    (
        "householder batch",
        lambda t, a, tau: t.linalg.householder_product(a, tau),
        r(2, 4, 3),
        r(3, 2),
    ),
    ("ormqr tau", lambda t, a, tau, c: t.ormqr(a, tau, c), r(4, 3), r(2), r(4, 2)),
    ("ormqr other", lambda t, a, tau, c: t.ormqr(a, tau, c), r(4, 3), r(2), r(3, 2)),
    ("tensorinv ind", lambda t, a: t.linalg.tensorinv(a, ind=0), r(4, 6, 8, 3)),
    ("tensorinv shape", lambda t, a: t.linalg.tensorinv(a, ind=2), r(4, 6, 8, 2)),
    ("tensorinv singular", lambda t, a: t.linalg.tensorinv(a, ind=2), torch.zeros(2, 2, 4)),
    ("tensorsolve shape", lambda t, a, b: t.linalg.tensorsolve(a, b), r(2, 3, 5), r(2, 3)),
    ("ldl_factor singular", lambda t, a: t.linalg.ldl_factor(a), torch.zeros(3, 3)),
    ("ldl_factor int", lambda t, a: t.linalg.ldl_factor(a), torch.ones(3, 3, dtype=torch.long)),
    ("ldl_factor non-square", lambda t, a: t.linalg.ldl_factor(a), r(2, 3)),
    ("ldl_factor half", lambda t, a: t.linalg.ldl_factor(a), r(3, 3).half()),
    (
        "ldl_solve shapes",
        lambda t, a, b: t.linalg.ldl_solve(*t.linalg.ldl_factor(a), b),
        SYM,
        r(3, 2, dtype=f64),
    ),
    (
        "ldl_solve dtype",
        lambda t, a, b: t.linalg.ldl_solve(*t.linalg.ldl_factor(a), b),
        SYM,
        r(4, 2),
    ),
    ("removed torch.symeig", lambda t, a: t.symeig(a), r(3, 3)),
    ("removed torch.eig", lambda t, a: t.eig(a), r(3, 3)),
    ("removed torch.solve", lambda t, a: t.solve(a, a), r(3, 3)),
    ("removed torch.lstsq", lambda t, a: t.lstsq(a, a), r(3, 3)),
    ("removed torch.matrix_rank", lambda t, a: t.matrix_rank(a), r(3, 3)),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors(case):
    _, fn, *args = case
    th, tj = both(fn, *args, check_message=True)
    assert isinstance(th, Exception) and isinstance(tj, Exception)


def test_linalg_error_class():
    assert issubclass(torchjax.linalg.LinAlgError, RuntimeError)
    assert torchjax.linalg.LinAlgError.__name__ == torch.linalg.LinAlgError.__name__
    with pytest.raises(torchjax.linalg.LinAlgError):
        torchjax.linalg.inv(to_tj(SING))


# ------------------------------------------------------------------ grad_fn names

GRAD_FN = [
    ("inverse", lambda t, a: t.inverse(a), well(3, 3)),
    ("torch.det", lambda t, a: t.det(a), r(3, 3, dtype=f64)),
    ("torch.cholesky", lambda t, a: t.cholesky(a), spd(3, 3)),
    ("qr", lambda t, a: t.linalg.qr(a)[0], r(3, 3, dtype=f64)),
    ("svd", lambda t, a: t.linalg.svd(a)[0], r(3, 3, dtype=f64)),
    ("eigh", lambda t, a: t.linalg.eigh(a)[1], spd(3, 3)),
    ("eig", lambda t, a: t.linalg.eig(a)[1], r(3, 3, dtype=f64)),
    ("pinverse", lambda t, a: t.pinverse(a), r(3, 2, dtype=f64)),
    ("matrix_norm fro", lambda t, a: t.linalg.matrix_norm(a), r(3, 3, dtype=f64)),
    ("matrix_norm 2", lambda t, a: t.linalg.matrix_norm(a, 2), r(3, 3, dtype=f64)),
    ("matrix_norm -2", lambda t, a: t.linalg.matrix_norm(a, -2), r(3, 3, dtype=f64)),
]


@pytest.mark.parametrize("case", GRAD_FN, ids=[c[0] for c in GRAD_FN])
def test_grad_fn_names(case):
    _, fn, *args = case
    th_args = [
        a.clone().requires_grad_() if a.is_floating_point() or a.is_complex() else a for a in args
    ]
    tj_args = [to_tj(a) for a in th_args]
    assert (
        type(fn(torchjax, *tj_args).grad_fn).__name__ == type(fn(torch, *th_args).grad_fn).__name__
    )


# ------------------------------------------------------------------ out=


def test_out():
    a = well(3, 3)
    both(lambda t, a, o: (t.linalg.inv(a, out=o), o), a, torch.empty(3, 3, dtype=f64))
    both(
        lambda t, a, o1, o2: t.linalg.slogdet(a, out=(o1, o2)),
        a,
        torch.empty(0, dtype=f64),
        torch.empty(0, dtype=f64),
    )
    both(lambda t, a, o: t.linalg.vector_norm(a, out=o), a, torch.empty((), dtype=f64))
    both(
        lambda t, a, b, o: t.linalg.solve(a, b, out=o),
        a,
        r(3, 2, dtype=f64),
        torch.empty(3, 2, dtype=f64),
    )
    both(lambda t, a, o: t.linalg.pinv(a, out=o), a, torch.empty(3, 3, dtype=torch.float32))
    # exact dtype required for LAPACK-backed outputs
    both(lambda t, a, o: t.linalg.inv(a, out=o), a, torch.empty(3, 3), check_message=True)
    both(lambda t, a, o: t.linalg.matrix_norm(a, out=o), a, torch.empty(()), check_message=True)


# ------------------------------------------------------------------ randomized low-rank SVD / PCA


def test_svd_lowrank_and_pca_lowrank_follow_torch_generator():
    # the random test matrix comes from the generator, which torchjax reproduces: same subspace
    x = r(6, 2) @ r(2, 5) + 0.01 * r(6, 5)
    for fn in (lambda t, a: t.svd_lowrank(a, q=3), lambda t, a: t.pca_lowrank(a, q=2)):
        torch.manual_seed(3)
        U, S, V = fn(torch, x)
        torchjax.manual_seed(3)
        tU, tS, tV = fn(torchjax, to_tj(x))
        assert tuple(tU.shape) == tuple(U.shape) and tuple(tV.shape) == tuple(V.shape)
        np.testing.assert_allclose(tS.numpy(), S.numpy(), rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(
            ((tU * tS[None, :]) @ tV.mT).numpy(),
            ((U * S[None, :]) @ V.mT).numpy(),
            rtol=1e-4,
            atol=1e-5,
        )
