"""Parity of the matrix/vector product ops (torchjax/_ops/blas.py) with torch 2.13:
values, dtypes, shapes, errors (type and message), grad_fn names, gradients, out= and in-place."""

from __future__ import annotations

import warnings

import pytest
import torch
from _compare import assert_same, both, grad_same, to_tj

import torchjax

torch.manual_seed(0)
r = torch.randn
f64 = torch.float64
c64 = torch.complex64
c128 = torch.complex128


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


# ------------------------------------------------------------------ values and dtypes

VALUES = [
    ("mm", lambda t, a, b: t.mm(a, b), r(2, 3), r(3, 4)),
    ("mm f64", lambda t, a, b: a.mm(b), r(2, 3, dtype=f64), r(3, 4, dtype=f64)),
    ("mm c64", lambda t, a, b: t.mm(a, b), r(2, 3, dtype=c64), r(3, 4, dtype=c64)),
    (
        "mm int",
        lambda t, a, b: t.mm(a, b),
        torch.randint(-9, 9, (2, 3)),
        torch.randint(-9, 9, (3, 4)),
    ),
    (
        "mm int8 wraps",
        lambda t, a, b: t.mm(a, b),
        torch.full((2, 40), 7, dtype=torch.int8),
        torch.full((40, 2), 9, dtype=torch.int8),
    ),
    ("mm half", lambda t, a, b: t.mm(a, b), r(2, 8).half(), r(8, 3).half()),
    ("mm empty", lambda t, a, b: t.mm(a, b), r(2, 0), r(0, 3)),
    ("bmm", lambda t, a, b: t.bmm(a, b), r(2, 2, 3), r(2, 3, 4)),
    ("mv", lambda t, a, b: a.mv(b), r(2, 3, dtype=f64), r(3, dtype=f64)),
    ("dot", lambda t, a, b: t.dot(a, b), r(5), r(5)),
    ("dot c", lambda t, a, b: t.dot(a, b), r(3, dtype=c128), r(3, dtype=c128)),
    ("dot int", lambda t, a, b: t.dot(a, b), torch.arange(4), torch.arange(4)),
    ("vdot c", lambda t, a, b: t.vdot(a, b), r(3, dtype=c64), r(3, dtype=c64)),
    ("matmul 1x1", lambda t, a, b: t.matmul(a, b), r(3), r(3)),
    ("matmul 2x1", lambda t, a, b: t.matmul(a, b), r(2, 3), r(3)),
    ("matmul 1x2", lambda t, a, b: t.matmul(a, b), r(3), r(3, 2)),
    ("matmul 2x2", lambda t, a, b: a.matmul(b), r(2, 3), r(3, 2)),
    ("matmul 3x2", lambda t, a, b: t.matmul(a, b), r(4, 2, 3), r(3, 2)),
    ("matmul 2x3", lambda t, a, b: t.matmul(a, b), r(2, 3), r(4, 3, 2)),
    ("matmul 1x3", lambda t, a, b: t.matmul(a, b), r(3), r(4, 3, 2)),
    ("matmul 3x1", lambda t, a, b: t.matmul(a, b), r(4, 2, 3), r(3)),
    ("matmul 4x3 bcast", lambda t, a, b: t.matmul(a, b), r(2, 1, 2, 3), r(4, 3, 2)),
    ("matmul noncontig", lambda t, a, b: t.matmul(a, b), r(4, 3, 2).transpose(0, 1), r(2, 5)),
    ("matmul c128", lambda t, a, b: a @ b, r(2, 2, 3, dtype=c128), r(3, 2, dtype=c128)),
    (
        "matmul int 3d",
        lambda t, a, b: a @ b,
        torch.randint(-5, 5, (2, 3, 3)),
        torch.randint(-5, 5, (3, 2)),
    ),
    ("matmul empty batch", lambda t, a, b: a @ b, r(0, 2, 3), r(3, 2)),
    ("linalg.matmul", lambda t, a, b: t.linalg.matmul(a, b), r(2, 3), r(3)),
    ("inner", lambda t, a, b: t.inner(a, b), r(2, 3), r(4, 3)),
    ("inner 0d", lambda t, a, b: t.inner(a, b), torch.tensor(2.0), r(4, 3, dtype=f64)),
    ("outer promotes", lambda t, a, b: t.outer(a, b), r(2), r(3, dtype=f64)),
    ("outer int/float", lambda t, a, b: t.outer(a, b), torch.arange(2), r(3)),
    (
        "ger bool",
        lambda t, a, b: t.ger(a, b),
        torch.tensor([True, False]),
        torch.tensor([True, True, False]),
    ),
    ("addmm", lambda t, a, b, c: t.addmm(a, b, c, beta=0.5, alpha=2), r(2), r(2, 3), r(3, 2)),
    (
        "addmm beta0 nan",
        lambda t, a, b, c: t.addmm(a, b, c, beta=0),
        torch.full((2, 2), float("nan")),
        r(2, 3),
        r(3, 2),
    ),
    (
        "addmm int",
        lambda t, a, b, c: t.addmm(a, b, c, beta=2, alpha=3),
        torch.ones(2, 2, dtype=torch.long),
        torch.ones(2, 3, dtype=torch.long),
        torch.ones(3, 2, dtype=torch.long),
    ),
    (
        "addmm int float beta",
        lambda t, a, b, c: t.addmm(a, b, c, beta=0.5),
        torch.ones(2, 2, dtype=torch.long),
        torch.ones(2, 3, dtype=torch.long),
        torch.ones(3, 2, dtype=torch.long),
    ),
    ("addmv", lambda t, a, b, c: t.addmv(a, b, c, beta=0.5, alpha=2), r(1), r(2, 3), r(3)),
    ("addr", lambda t, a, b, c: a.addr(b, c, beta=0.5, alpha=2), r(2, 3, dtype=f64), r(2), r(3)),
    (
        "addr bool",
        lambda t, a, b, c: t.addr(a, b, c),
        torch.tensor([[True, False]]).repeat(2, 1),
        torch.tensor([False, True]),
        torch.tensor([True, False]),
    ),
    (
        "baddbmm",
        lambda t, a, b, c: t.baddbmm(a, b, c, beta=0.5, alpha=2),
        r(2, 2),
        r(3, 2, 3),
        r(3, 3, 2),
    ),
    (
        "addbmm",
        lambda t, a, b, c: t.addbmm(a, b, c, beta=0.5, alpha=2),
        r(2, 2),
        r(3, 2, 3),
        r(3, 3, 2),
    ),
    ("einsum mm", lambda t, a, b: t.einsum("ij,jk->ik", a, b), r(2, 3), r(3, 4)),
    ("einsum list", lambda t, a, b: t.einsum("ij,jk", [a, b]), r(2, 3), r(3, 4)),
    (
        "einsum ellipsis bcast",
        lambda t, a, b: t.einsum("...ij,...jk->...ik", a, b),
        r(5, 2, 3),
        r(1, 3, 4),
    ),
    ("einsum size1 bcast", lambda t, a, b: t.einsum("ij,ij->ij", a, b), r(1, 3), r(2, 1)),
    ("einsum diag", lambda t, a: t.einsum("ii->i", a), r(3, 3)),
    ("einsum trace", lambda t, a: t.einsum("ii", a), r(3, 3)),
    ("einsum implicit", lambda t, a, b: t.einsum("bij,bjk", a, b), r(2, 2, 3), r(2, 3, 4)),
    ("einsum outer", lambda t, a, b: t.einsum("i,j", a, b), r(2), r(3)),
    ("einsum uppercase", lambda t, a, b: t.einsum("Ab,bC->AC", a, b), r(3, 4), r(4, 2)),
    ("einsum spaces", lambda t, a, b: t.einsum(" i j , j k -> i k ", a, b), r(3, 4), r(4, 2)),
    (
        "einsum 3 ops",
        lambda t, a, b, c: t.einsum("ij,jk,kl->il", a, b, c),
        r(3, 4),
        r(4, 2),
        r(2, 5),
    ),
    ("einsum sublist", lambda t, a, b: t.einsum(a, [0, 1], b, [1, 2], [0, 2]), r(2, 3), r(3, 4)),
    (
        "einsum sublist ellipsis",
        lambda t, a, b: t.einsum(a, [Ellipsis, 0, 1], b, [1, 2], [Ellipsis, 0, 2]),
        r(5, 2, 3),
        r(3, 4),
    ),
    ("einsum int sum", lambda t, a: t.einsum("ij->j", a), torch.ones(2, 2, dtype=torch.int32)),
    ("einsum int permute", lambda t, a: t.einsum("ij->ji", a), torch.ones(2, 3, dtype=torch.int32)),
    (
        "einsum c",
        lambda t, a, b: t.einsum("ij,jk->ik", a, b),
        r(2, 3, dtype=c128),
        r(3, 4, dtype=c128),
    ),
    ("tensordot int dims", lambda t, a, b: t.tensordot(a, b, dims=1), r(2, 3), r(3, 4)),
    ("tensordot default", lambda t, a, b: t.tensordot(a, b), r(2, 3, 4), r(3, 4, 5)),
    ("tensordot lists", lambda t, a, b: t.tensordot(a, b, dims=([1, 0], [0, 1])), r(2, 3), r(3, 2)),
    (
        "tensordot tensor dims",
        lambda t, a, b, d: t.tensordot(a, b, dims=d),
        r(2, 3),
        r(3, 4),
        torch.tensor([[1], [0]]),
    ),
    ("tensordot size1", lambda t, a, b: t.tensordot(a, b, dims=1), r(2, 3), r(1, 2)),
    ("kron", lambda t, a, b: t.kron(a, b), r(2, 3), r(3, 2, 2)),
    (
        "kron promote",
        lambda t, a, b: t.kron(a, b),
        torch.ones(2, 3, dtype=torch.long),
        torch.ones(2, dtype=torch.bool),
    ),
    ("cross default dim", lambda t, a, b: t.cross(a, b), r(3, 4), r(3, 4)),
    ("cross dim", lambda t, a, b: a.cross(b, dim=1), r(2, 3), r(2, 3)),
    (
        "linalg.cross bcast",
        lambda t, a, b: t.linalg.cross(a, b),
        r(1, 3, dtype=f64),
        r(4, 3, dtype=f64),
    ),
    ("trace", lambda t, a: t.trace(a), r(3, 4)),
    ("trace int32 -> int64", lambda t, a: a.trace(), torch.ones(2, 3, dtype=torch.int32)),
    ("chain_matmul", lambda t, a, b, c: t.chain_matmul(a, b, c), r(3, 5), r(5, 4), r(4, 6)),
    ("chain_matmul one", lambda t, a: t.chain_matmul(a), r(3, 5)),
    ("multi_dot 1d ends", lambda t, a, b, c: t.linalg.multi_dot([a, b, c]), r(3), r(3, 4), r(4)),
    (
        "multi_dot 4",
        lambda t, a, b, c, d: t.linalg.multi_dot([a, b, c, d]),
        r(3, 5),
        r(5, 4),
        r(4, 6),
        r(6, 2),
    ),
    ("vecdot c", lambda t, a, b: t.linalg.vecdot(a, b), r(2, 3, dtype=c128), r(3, dtype=c128)),
    ("vecdot dim", lambda t, a, b: t.linalg.vecdot(a, b, dim=0), r(3, 2), r(3, 2)),
    ("vander", lambda t, a: t.linalg.vander(a), r(2, 3)),
    ("vander int N", lambda t, a: t.linalg.vander(a, N=5), torch.arange(3, dtype=torch.int32)),
    ("linalg.diagonal", lambda t, a: t.linalg.diagonal(a, offset=1), r(2, 3, 3)),
    ("cdist", lambda t, a, b: t.cdist(a, b), r(3, 4), r(5, 4)),
    ("cdist p1 batched", lambda t, a, b: t.cdist(a, b, p=1), r(2, 3, 4), r(5, 4)),
    ("cdist p0", lambda t, a, b: t.cdist(a, b, p=0), r(3, 4), r(5, 4)),
    ("cdist pinf", lambda t, a, b: t.cdist(a, b, p=float("inf")), r(3, 4), r(5, 4)),
    ("cdist p3", lambda t, a, b: t.cdist(a, b, p=3), r(3, 4), r(5, 4)),
    ("cdist mm path", lambda t, a, b: t.cdist(a, b), r(30, 4, dtype=f64), r(5, 4, dtype=f64)),
    ("cov", lambda t, a: t.cov(a), r(3, 5)),
    ("cov 1d", lambda t, a: a.cov(), r(5)),
    ("cov int", lambda t, a: t.cov(a), torch.arange(6).reshape(2, 3)),
    (
        "cov weights",
        lambda t, a, f, w: t.cov(a, correction=2, fweights=f, aweights=w),
        r(3, 5, dtype=f64),
        torch.tensor([1, 2, 1, 3, 1]),
        torch.rand(5, dtype=f64),
    ),
    (
        "cov float32 aweights on float64 input",
        lambda t, a, w: t.cov(a, correction=2, aweights=w),
        r(2, 3, dtype=f64) * 10,
        torch.rand(3),
    ),
    (
        "cov float64 aweights on float32 input",
        lambda t, a, w: t.cov(a, aweights=w),
        r(2, 3),
        torch.rand(3, dtype=f64),
    ),
    ("corrcoef", lambda t, a: t.corrcoef(a), r(3, 5)),
    ("corrcoef c", lambda t, a: a.corrcoef(), r(3, 5, dtype=c64)),
]


@pytest.mark.parametrize("case", VALUES, ids=[c[0] for c in VALUES])
def test_values(case):
    _, fn, *args = case
    both(fn, *args)


# ------------------------------------------------------------------ errors (type and message)

ERRORS = [
    ("mm dtype", lambda t, a, b: t.mm(a, b), r(2, 3), r(3, 4, dtype=f64)),
    ("mm int/float dtype", lambda t, a, b: t.mm(a, b), r(2, 3), torch.ones(3, 4, dtype=torch.long)),
    ("mm shape", lambda t, a, b: t.mm(a, b), r(2, 3), r(4, 5)),
    ("mm 1d", lambda t, a, b: t.mm(a, b), r(3), r(3, 4)),
    (
        "mm bool",
        lambda t, a, b: t.mm(a, b),
        torch.ones(2, 3, dtype=torch.bool),
        torch.ones(3, 2, dtype=torch.bool),
    ),
    ("bmm batch", lambda t, a, b: t.bmm(a, b), r(2, 2, 3), r(3, 3, 5)),
    ("bmm 2d", lambda t, a, b: t.bmm(a, b), r(2, 3), r(2, 3, 5)),
    ("bmm dtype", lambda t, a, b: t.bmm(a, b), r(2, 2, 3), r(2, 3, 5, dtype=f64)),
    ("mv shape", lambda t, a, b: t.mv(a, b), r(2, 3), r(4)),
    ("mv dims", lambda t, a, b: t.mv(a, b), r(2, 3), r(3, 1)),
    ("mv dtype", lambda t, a, b: t.mv(a, b), r(2, 3), r(3, dtype=f64)),
    ("dot dims", lambda t, a, b: t.dot(a, b), r(3, 1), r(3)),
    ("dot dtype", lambda t, a, b: t.dot(a, b), r(3), r(3, dtype=f64)),
    ("dot size", lambda t, a, b: t.dot(a, b), r(3), r(4)),
    (
        "dot bool",
        lambda t, a, b: t.dot(a, b),
        torch.ones(2, dtype=torch.bool),
        torch.ones(2, dtype=torch.bool),
    ),
    ("matmul 0d", lambda t, a, b: t.matmul(a, b), torch.tensor(1.0), r(3)),
    ("matmul 1x1 size", lambda t, a, b: t.matmul(a, b), r(3), r(4)),
    ("matmul 1x2 size", lambda t, a, b: t.matmul(a, b), r(3), r(4, 2)),
    ("matmul fold size", lambda t, a, b: t.matmul(a, b), r(5, 2, 3), r(4, 2)),
    ("matmul fold vec size", lambda t, a, b: t.matmul(a, b), r(5, 2, 3), r(4)),
    ("matmul batch size", lambda t, a, b: t.matmul(a, b), r(5, 2, 3), r(5, 4, 2)),
    ("matmul batch bcast", lambda t, a, b: t.matmul(a, b), r(2, 3, 3), r(4, 3, 3)),
    ("matmul dtype 3d", lambda t, a, b: t.matmul(a, b), r(2, 3, 3), r(2, 3, 3, dtype=f64)),
    ("matmul dtype 2x1", lambda t, a, b: t.matmul(a, b), r(3, 3), r(3, dtype=f64)),
    (
        "matmul bool",
        lambda t, a, b: t.matmul(a, b),
        torch.ones(2, 3, 3, dtype=torch.bool),
        torch.ones(3, 3, dtype=torch.bool),
    ),
    ("addmm self dtype", lambda t, a, b, c: t.addmm(a, b, c), r(2, 2, dtype=f64), r(2, 3), r(3, 2)),
    ("addmm mat dtype", lambda t, a, b, c: t.addmm(a, b, c), r(2, 2), r(2, 3, dtype=f64), r(3, 2)),
    ("addmm expand", lambda t, a, b, c: t.addmm(a, b, c), r(3, 2), r(2, 3), r(3, 2)),
    ("addmm 1d", lambda t, a, b, c: t.addmm(a, b, c), r(2, 2), r(3), r(3, 2)),
    ("addmv shape", lambda t, a, b, c: t.addmv(a, b, c), r(3), r(2, 3), r(3)),
    ("addmv dims", lambda t, a, b, c: t.addmv(a, b, c), r(2, 2), r(2, 3), r(3)),
    ("addr dims", lambda t, a, b, c: t.addr(a, b, c), r(2, 3), r(2, 1), r(3)),
    (
        "addr float beta int",
        lambda t, a, b, c: t.addr(a, b, c, beta=2.5),
        torch.ones(2, 3, dtype=torch.long),
        torch.ones(2, dtype=torch.long),
        torch.ones(3, dtype=torch.long),
    ),
    (
        "baddbmm dtype",
        lambda t, a, b, c: t.baddbmm(a, b, c),
        r(2, 2, 2, dtype=f64),
        r(2, 2, 3),
        r(2, 3, 2),
    ),
    ("baddbmm batch", lambda t, a, b, c: t.baddbmm(a, b, c), r(2, 2, 2), r(2, 2, 3), r(3, 3, 2)),
    ("addbmm batches", lambda t, a, b, c: t.addbmm(a, b, c), r(2, 2), r(2, 2, 3), r(3, 3, 2)),
    ("addbmm sizes", lambda t, a, b, c: t.addbmm(a, b, c), r(2, 2), r(2, 2, 3), r(2, 4, 2)),
    ("outer dims", lambda t, a, b: t.outer(a, b), r(2, 1), r(3)),
    ("inner shape", lambda t, a, b: t.inner(a, b), r(2, 3), r(4, 2)),
    ("inner dtype", lambda t, a, b: t.inner(a, b), r(2, 3), r(4, 3, dtype=f64)),
    ("trace 3d", lambda t, a: t.trace(a), r(2, 3, 4)),
    ("trace bool", lambda t, a: t.trace(a), torch.ones(2, 2, dtype=torch.bool)),
    ("einsum subscript size", lambda t, a, b: t.einsum("ij,jk->ik", a, b), r(2, 3), r(4, 4)),
    ("einsum too few operands", lambda t, a: t.einsum("ij,jk->ik", a), r(2, 3)),
    ("einsum ndim", lambda t, a, b: t.einsum("ijk,jk->ik", a, b), r(2, 3), r(3, 4)),
    ("einsum output label", lambda t, a, b: t.einsum("ij,jk->iq", a, b), r(2, 3), r(3, 4)),
    ("einsum bad char", lambda t, a, b: t.einsum("i1,jk->ik", a, b), r(2, 3), r(3, 4)),
    ("einsum repeated size", lambda t, a: t.einsum("ii", a), r(3, 4)),
    ("einsum output twice", lambda t, a: t.einsum("ij->ii", a), r(3, 4)),
    ("einsum dtype", lambda t, a, b: t.einsum("ij,jk->ik", a, b), r(2, 3), r(3, 4, dtype=f64)),
    ("tensordot dtype", lambda t, a, b: t.tensordot(a, b), r(2, 3), r(3, 4, dtype=f64)),
    ("tensordot size", lambda t, a, b: t.tensordot(a, b, dims=1), r(2, 3), r(4, 4)),
    ("tensordot negative", lambda t, a, b: t.tensordot(a, b, dims=-1), r(2, 3), r(3, 4)),
    ("tensordot too many", lambda t, a, b: t.tensordot(a, b, dims=3), r(2, 3), r(3, 4)),
    (
        "tensordot list lengths",
        lambda t, a, b: t.tensordot(a, b, dims=[[1, 0], [0]]),
        r(2, 3),
        r(3, 4),
    ),
    ("cross no dim 3", lambda t, a, b: t.cross(a, b), r(2, 4), r(2, 4)),
    ("cross dim len", lambda t, a, b: t.cross(a, b, dim=1), r(3, 4), r(3, 4)),
    ("linalg.cross dim len", lambda t, a, b: t.linalg.cross(a, b), r(3, 4), r(3, 4)),
    ("linalg.cross ndim", lambda t, a, b: t.linalg.cross(a, b), r(2, 3), r(3)),
    ("linalg.cross dtype", lambda t, a, b: t.linalg.cross(a, b), r(2, 3), r(2, 3, dtype=f64)),
    ("multi_dot one", lambda t, a: t.linalg.multi_dot([a]), r(2, 3)),
    ("multi_dot 3d first", lambda t, a, b: t.linalg.multi_dot([a, b]), r(2, 2, 3), r(3, 3)),
    (
        "multi_dot middle 1d",
        lambda t, a, b, c: t.linalg.multi_dot([a, b, c]),
        r(2, 3),
        r(3),
        r(3, 3),
    ),
    ("multi_dot dtype", lambda t, a, b: t.linalg.multi_dot([a, b]), r(2, 3), r(3, 3, dtype=f64)),
    (
        "multi_dot shapes",
        lambda t, a, b, c: t.linalg.multi_dot([a, b, c]),
        r(2, 3),
        r(3, 3),
        r(4, 3),
    ),
    ("chain_matmul 1d", lambda t, a, b: t.chain_matmul(a, b), r(3), r(3, 2)),
    (
        "vecdot int",
        lambda t, a, b: t.linalg.vecdot(a, b),
        torch.ones(3, dtype=torch.long),
        torch.ones(3, dtype=torch.long),
    ),
    ("vecdot dtype", lambda t, a, b: t.linalg.vecdot(a, b), r(2, 3), r(3, dtype=f64)),
    ("vander N", lambda t, a: t.linalg.vander(a, N=1), r(3)),
    ("vander bool", lambda t, a: t.linalg.vander(a), torch.ones(2, dtype=torch.bool)),
    (
        "cdist int",
        lambda t, a, b: t.cdist(a, b),
        torch.ones(2, 3, dtype=torch.long),
        torch.ones(2, 3, dtype=torch.long),
    ),
    ("cdist columns", lambda t, a, b: t.cdist(a, b), r(2, 3), r(2, 4)),
    ("cdist 1d", lambda t, a, b: t.cdist(a, b), r(3), r(2, 3)),
    ("cdist negative p", lambda t, a, b: t.cdist(a, b, p=-1.0), r(2, 3), r(2, 3)),
    ("cov 3d", lambda t, a: t.cov(a), r(2, 3, 4)),
    ("cov fweights float", lambda t, a, f: t.cov(a, fweights=f), r(2, 3), r(3)),
    (
        "cov fweights negative",
        lambda t, a, f: t.cov(a, fweights=f),
        r(2, 3),
        torch.tensor([1, -1, 2]),
    ),
    ("cov weights sum to zero", lambda t, a, w: t.cov(a, aweights=w), r(2, 3), torch.zeros(3)),
    ("corrcoef 3d", lambda t, a: t.corrcoef(a), r(2, 3, 4)),
]


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors(case):
    _, fn, *args = case
    th, tj = both(fn, *args, check_message=True)
    assert isinstance(th, Exception) and isinstance(tj, Exception)


def test_matmul_operator_with_non_tensor_is_type_error():
    a = torchjax.ones(3)
    with pytest.raises(TypeError):
        a @ 2  # noqa: B018
    with pytest.raises(TypeError):
        2 @ a  # noqa: B018


def test_rmatmul():
    both(lambda t, a, b: b.__rmatmul__(a), r(2, 3), r(3, 4))


# ------------------------------------------------------------------ grad_fn names and gradients

GRAD_FN = [
    ("mm", lambda t, a, b: t.mm(a, b), (r(2, 3), r(3, 4))),
    ("bmm", lambda t, a, b: t.bmm(a, b), (r(2, 2, 3), r(2, 3, 4))),
    ("mv", lambda t, a, b: t.mv(a, b), (r(2, 3), r(3))),
    ("dot", lambda t, a, b: t.dot(a, b), (r(3), r(3))),
    ("vdot", lambda t, a, b: t.vdot(a, b), (r(3), r(3))),
    ("matmul 1x1", lambda t, a, b: a @ b, (r(3), r(3))),
    ("matmul 2x1", lambda t, a, b: a @ b, (r(2, 3), r(3))),
    ("matmul 2x2", lambda t, a, b: a @ b, (r(2, 3), r(3, 2))),
    ("matmul 1x2", lambda t, a, b: a @ b, (r(3), r(3, 2))),
    ("matmul 3x3", lambda t, a, b: a @ b, (r(2, 2, 3), r(2, 3, 2))),
    ("matmul 2x3", lambda t, a, b: a @ b, (r(2, 3), r(4, 3, 2))),
    ("addmm", lambda t, a, b, c: t.addmm(a, b, c), (r(2, 2), r(2, 3), r(3, 2))),
    ("addbmm", lambda t, a, b, c: t.addbmm(a, b, c), (r(2, 2), r(3, 2, 3), r(3, 3, 2))),
    ("baddbmm", lambda t, a, b, c: t.baddbmm(a, b, c), (r(3, 2, 2), r(3, 2, 3), r(3, 3, 2))),
    ("addmv", lambda t, a, b, c: t.addmv(a, b, c), (r(2), r(2, 3), r(3))),
    ("addr", lambda t, a, b, c: t.addr(a, b, c), (r(2, 3), r(2), r(3))),
    ("outer", lambda t, a, b: t.outer(a, b), (r(2), r(3))),
    ("trace", lambda t, a: t.trace(a), (r(3, 3),)),
    ("cross", lambda t, a, b: t.cross(a, b, dim=1), (r(2, 3), r(2, 3))),
    ("cdist", lambda t, a, b: t.cdist(a, b), (r(3, 2), r(4, 2))),
    ("kron", lambda t, a, b: t.kron(a, b), (r(2, 2), r(2, 2))),
]


@pytest.mark.parametrize("case", GRAD_FN, ids=[c[0] for c in GRAD_FN])
def test_grad_fn_names(case):
    _, fn, args = case
    th_args = [a.requires_grad_() for a in args]
    tj_args = [to_tj(a) for a in th_args]
    assert (
        type(fn(torchjax, *tj_args).grad_fn).__name__ == type(fn(torch, *th_args).grad_fn).__name__
    )


GRADS = [
    ("mm", lambda t, a, b: t.mm(a, b), r(2, 3, dtype=f64), r(3, 4, dtype=f64)),
    ("matmul 1x2", lambda t, a, b: t.matmul(a, b), r(3, dtype=f64), r(3, 2, dtype=f64)),
    (
        "matmul bcast",
        lambda t, a, b: t.matmul(a, b),
        r(2, 1, 2, 3, dtype=f64),
        r(4, 3, 2, dtype=f64),
    ),
    ("matmul c128", lambda t, a, b: t.matmul(a, b), r(2, 3, dtype=c128), r(4, 3, 2, dtype=c128)),
    ("vdot c128", lambda t, a, b: t.vdot(a, b), r(3, dtype=c128), r(3, dtype=c128)),
    (
        "addmm",
        lambda t, a, b, c: t.addmm(a, b, c, beta=0.5, alpha=2),
        r(2, dtype=f64),
        r(2, 3, dtype=f64),
        r(3, 2, dtype=f64),
    ),
    (
        "addr",
        lambda t, a, b, c: t.addr(a, b, c, beta=0.5, alpha=2),
        r(2, 3, dtype=f64),
        r(2, dtype=f64),
        r(3, dtype=f64),
    ),
    (
        "baddbmm",
        lambda t, a, b, c: t.baddbmm(a, b, c, beta=0.5, alpha=2),
        r(2, 2, dtype=f64),
        r(3, 2, 3, dtype=f64),
        r(3, 3, 2, dtype=f64),
    ),
    (
        "addbmm",
        lambda t, a, b, c: t.addbmm(a, b, c),
        r(2, 2, dtype=f64),
        r(3, 2, 3, dtype=f64),
        r(3, 3, 2, dtype=f64),
    ),
    (
        "einsum",
        lambda t, a, b: t.einsum("...ij,...jk->...ik", a, b),
        r(5, 2, 3, dtype=f64),
        r(1, 3, 4, dtype=f64),
    ),
    ("kron", lambda t, a, b: t.kron(a, b), r(2, 3, dtype=f64), r(3, 2, 2, dtype=f64)),
    ("cross", lambda t, a, b: t.linalg.cross(a, b), r(2, 3, dtype=f64), r(2, 3, dtype=f64)),
    ("cdist", lambda t, a, b: t.cdist(a, b), r(3, 4, dtype=f64), r(5, 4, dtype=f64)),
    ("cdist p3", lambda t, a, b: t.cdist(a, b, p=3), r(3, 4, dtype=f64), r(5, 4, dtype=f64)),
    ("cdist zero distance", lambda t, a: t.cdist(a, a), r(3, 4, dtype=f64)),
    (
        "cov aweights",
        lambda t, a, w: t.cov(a, aweights=w),
        r(3, 5, dtype=f64),
        torch.rand(5, dtype=f64),
    ),
    ("corrcoef", lambda t, a: t.corrcoef(a), r(3, 5, dtype=f64)),
    ("vecdot c128", lambda t, a, b: t.linalg.vecdot(a, b), r(2, 3, dtype=c128), r(3, dtype=c128)),
    (
        "multi_dot",
        lambda t, a, b, c: t.linalg.multi_dot([a, b, c]),
        r(3, dtype=f64),
        r(3, 4, dtype=f64),
        r(4, dtype=f64),
    ),
    ("vander", lambda t, a: t.linalg.vander(a), r(2, 3, dtype=f64)),
    (
        "tensordot size1",
        lambda t, a, b: t.tensordot(a, b, dims=1),
        r(2, 3, dtype=f64),
        r(1, 2, dtype=f64),
    ),
]


@pytest.mark.parametrize("case", GRADS, ids=[c[0] for c in GRADS])
def test_gradients(case):
    _, fn, *args = case
    grad_same(fn, *args)


def test_matmul_float32_gradient_tolerance():
    grad_same(lambda t, a, b: a @ b, r(3, 4, 5), r(5, 2), rtol=1e-5, atol=1e-5)


# ------------------------------------------------------------------ out= and in-place


def test_out_variants():
    a, b = r(2, 3), r(3, 4)
    both(lambda t, a, b, o: (t.mm(a, b, out=o), o), a, b, torch.empty(2, 4))
    both(lambda t, a, b, o: (t.matmul(a, b, out=o), o), r(2, 2, 3), r(3, 4), torch.empty(2, 2, 4))
    both(lambda t, a, b, o: (t.tensordot(a, b, dims=1, out=o), o), a, b, torch.empty(2, 4))
    both(lambda t, a, b, o: (t.linalg.cross(a, b, out=o), o), r(2, 3), r(2, 3), torch.empty(2, 3))
    both(
        lambda t, a, b, c, o: (t.addmm(a, b, c, out=o), o),
        r(2, 2),
        r(2, 3),
        r(3, 2),
        torch.empty(2, 2),
    )
    # out= of a different dtype that the result cannot be cast to
    both(
        lambda t, a, b, o: t.mm(a, b, out=o),
        a,
        b,
        torch.empty(2, 4, dtype=torch.long),
        check_message=True,
    )


def test_out_with_requires_grad_raises():
    a = to_tj(r(2, 3)).requires_grad_()
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        torchjax.mm(a, to_tj(r(3, 4)), out=torchjax.zeros(2, 4))


def test_inplace_variants():
    # clone first: torch runs before torchjax on the same (converted) inputs
    both(lambda t, a, b, c: a.clone().addmm_(b, c, beta=0.5), r(2, 2), r(2, 3), r(3, 2))
    both(lambda t, a, b, c: a.clone().addmv_(b, c, alpha=2), r(2), r(2, 3), r(3))
    both(lambda t, a, b, c: a.clone().addr_(b, c), r(2, 3), r(2), r(3))
    both(lambda t, a, b, c: a.clone().baddbmm_(b, c), r(3, 2, 2), r(3, 2, 3), r(3, 3, 2))
    both(lambda t, a, b, c: a.clone().addbmm_(b, c), r(2, 2), r(3, 2, 3), r(3, 3, 2))


def test_inplace_refuses_a_broadcasting_self():
    both(lambda t, a, b, c: a.clone().addmm_(b, c), r(2), r(2, 3), r(3, 2), check_message=True)
    both(lambda t, a, b, c: a.clone().addmv_(b, c), r(1), r(2, 3), r(3), check_message=True)
    both(lambda t, a, b, c: a.clone().addr_(b, c), r(3), r(2), r(3), check_message=True)
    both(
        lambda t, a, b, c: a.clone().baddbmm_(b, c),
        r(2, 2),
        r(3, 2, 3),
        r(3, 3, 2),
        check_message=True,
    )
    both(
        lambda t, a, b, c: a.clone().addr_(b, c),
        torch.ones(2, 3, dtype=torch.long),
        r(2),
        r(3),
        check_message=True,
    )


def test_inplace_through_view_updates_base():
    base = torch.zeros(2, 4)
    tb = to_tj(base)
    tb[:, :2].addmm_(to_tj(torch.eye(2)), to_tj(torch.ones(2, 2)))
    base[:, :2].addmm_(torch.eye(2), torch.ones(2, 2))
    assert_same(tb, base)


def test_cross_without_dim_warns():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torchjax.cross(to_tj(r(2, 3)), to_tj(r(2, 3)))
    assert any("torch.cross without specifying the dim" in str(x.message) for x in w)


def test_chain_matmul_warns():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torchjax.chain_matmul(to_tj(r(2, 2)), to_tj(r(2, 2)))
    assert any("chain_matmul is deprecated" in str(x.message) for x in w)


def test_matmul_double_backward():
    a = r(2, 3, dtype=f64, requires_grad=True)
    b = r(3, 2, dtype=f64, requires_grad=True)
    ta, tb = to_tj(a), to_tj(b)
    (ga,) = torch.autograd.grad((a @ b).pow(2).sum(), a, create_graph=True)
    (tga,) = torchjax.autograd.grad((ta @ tb).pow(2).sum(), ta, create_graph=True)
    (gb,) = torch.autograd.grad(ga.sum(), b)
    (tgb,) = torchjax.autograd.grad(tga.sum(), tb)
    assert_same(tgb, gb)


@pytest.mark.parametrize(
    "shape", [(1,), (10,), (10, 10)]
)  # (10, 1): torch reads resized, uninitialised memory
def test_addbmm_inplace_resizes_broadcastable_self(shape):
    """torch's addbmm_ is addbmm_out(self, ..., out=self): a broadcastable self takes the result's shape."""
    b1, b2 = torch.randn(5, 10, 3), torch.randn(5, 3, 10)

    def fn(L, x, b1, b2):
        r = x.addbmm_(b1, b2, beta=0.5)
        assert r is x
        return x

    both(fn, torch.randn(shape), b1, b2)
