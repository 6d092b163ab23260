"""Elementwise ops against real torch: values, dtypes (promotion), broadcasting, scalars, in-place,
out=, errors and gradients (including torch's subgradients at special points)."""

from __future__ import annotations

import warnings

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax

# ------------------------------------------------------------------ helpers


def grads(fn, *vals, dtype=torch.float64, check_name=True, reduce="sum"):
    """Compare fn(lib, *leaves) and the leaves' .grad after backward with torch's."""
    th = [torch.tensor(v, dtype=dtype, requires_grad=True) for v in vals]
    tj = [to_tj(t) for t in th]
    r_th = fn(torch, *th)
    r_tj = fn(torchjax, *tj)
    assert_same(r_tj, r_th)
    if check_name:
        assert type(r_tj.grad_fn).__name__ == type(r_th.grad_fn).__name__
    (r_th.abs() if r_th.is_complex() else r_th).sum().backward()
    (r_tj.abs() if r_tj.is_complex() else r_tj).sum().backward()
    for a, b in zip(tj, th):
        if b.grad is None:
            assert a.grad is None
        else:
            assert_same(a.grad, b.grad)


def backward_error(fn, *vals):
    """Both libraries raise the same exception (type and message) on backward."""
    errs = []
    for lib in (torch, torchjax):
        xs = [lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in vals]
        with pytest.raises(Exception) as ei:
            fn(lib, *xs).sum().backward()
        errs.append(ei.value)
    assert type(errs[0]).__name__ == type(errs[1]).__name__
    assert str(errs[0]) == str(errs[1])


X = torch.tensor([[-2.5, -1.0, -0.3, 0.0], [0.4, 1.0, 2.2, 7.5]])
UNIT = torch.tensor([[-0.9, -0.5, 0.0, 0.2], [0.5, 0.75, 0.99, -0.1]])
POS = torch.tensor([[0.1, 0.5, 1.0, 1.5], [2.0, 3.5, 7.0, 12.0]])
BIG = torch.tensor([[1.0, 1.5, 2.0, 3.0], [5.0, 10.0, 20.0, 1.01]])
SPECIAL = torch.tensor([float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 1.0, -1.0, 3.5])
I = torch.tensor([[-3, -1, 0, 2], [5, 7, -8, 1]])
C = torch.tensor([[0.5 + 1j, -1.5 - 0.5j], [0.0 + 0.0j, 2.0 - 3.0j]])

UNARY = [
    ("acos", UNIT), ("asin", UNIT), ("atan", X), ("acosh", BIG), ("asinh", X), ("atanh", UNIT),
    ("arccos", UNIT), ("arcsin", UNIT), ("arctan", X), ("arccosh", BIG), ("arcsinh", X), ("arctanh", UNIT),
    ("cosh", X), ("sinh", X), ("sinc", X), ("erf", X), ("erfc", X), ("erfinv", UNIT), ("lgamma", X),
    ("digamma", X), ("i0", X), ("deg2rad", X), ("rad2deg", X), ("exp2", X), ("expm1", X), ("logit", UNIT),
    ("angle", X), ("sigmoid", X), ("rsqrt", POS),
]  # fmt: skip
UNARY_IDS = [n for n, _ in UNARY]


@pytest.mark.parametrize("name,x", UNARY, ids=UNARY_IDS)
def test_unary_float_values(name, x):
    for a in (x, x.double(), (x * 3).round().long(), (x > 0.3)):
        both(lambda t, a: getattr(t, name)(a), a)
    both(lambda t, a: getattr(a, name)(), x)


@pytest.mark.parametrize("name,x", UNARY, ids=UNARY_IDS)
def test_unary_float_inplace_and_out(name, x):
    assert hasattr(torch.Tensor, name + "_") == hasattr(torchjax.Tensor, name + "_")
    if hasattr(torch.Tensor, name + "_"):
        both(lambda t, a: getattr(a.clone(), name + "_")(), x)
        # in place on an integer tensor cannot hold the float result
        both(lambda t, a: getattr(a.clone(), name + "_")(), (x * 3).round().long())

    def with_out(t, a, dt):
        o = t.empty(0, dtype=dt)
        r = getattr(t, name)(a, out=o)
        assert r is o
        return o

    both(lambda t, a: with_out(t, a, t.float32), x)
    both(
        lambda t, a: with_out(t, a, t.complex128), x.double()
    )  # the result is cast into out's dtype
    both(lambda t, a: with_out(t, a, t.int64), x)  # float result into an int out: torch's error


@pytest.mark.parametrize(
    "name",
    [
        "acos",
        "asin",
        "atan",
        "asinh",
        "atanh",
        "cosh",
        "sinh",
        "sinc",
        "exp2",
        "expm1",
        "sigmoid",
        "rsqrt",
        "angle",
    ],
)
def test_unary_complex(name):
    both(lambda t, a: getattr(t, name)(a), C, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "name,kernel",
    [
        ("erf", "erf"),
        ("erfinv", "erfinv"),
        ("lgamma", "lgamma"),
        ("digamma", "digamma"),
        ("i0", "i0"),
        ("logit", "logit"),
        ("deg2rad", "deg2rad"),
        ("rad2deg", "rad2deg"),
    ],
)
def test_unary_complex_errors(name, kernel):
    th, tj = both(lambda t, a: getattr(t, name)(a), C, check_message=True)
    assert isinstance(th, Exception)


def test_special_values():
    for name in ("lgamma", "digamma", "erfinv", "i0", "sinc", "erf", "atanh", "logit", "angle"):
        both(lambda t, a, name=name: getattr(t, name)(a), SPECIAL.double())
    both(lambda t, a: t.polygamma(2, a), SPECIAL.double())
    both(
        lambda t, a: t.polygamma(1, a),
        torch.tensor([0.0, -0.0, -1.0, -2.5, 0.3, 10.0], dtype=torch.float64),
    )
    both(lambda t, a: t.mvlgamma(a, 3), torch.tensor([1.0, 1.5, 2.0, 7.25], dtype=torch.float64))


@pytest.mark.parametrize("name,pts", [
    ("abs", [-1.0, 0.0, 2.0]), ("sinc", [0.0, 1.0, 0.3]), ("lgamma", [0.0, -1.0, 2.5, -2.5]),
    ("digamma", [0.0, -1.0, 2.5, -2.5]), ("i0", [0.0, -1.0, 2.5]), ("logit", [0.0, -1.0, 0.5, 1.0]),
    ("erfinv", [1.0, 0.5, -0.2]), ("acos", [0.5, -0.3]), ("atanh", [0.2, -0.3]), ("frac", [1.5, -2.5]),
    ("angle", [1.5, -2.5, 0.0]), ("nan_to_num", [float("nan"), float("inf"), 1.0]), ("deg2rad", [1.0, 90.0]),
    ("floor", [1.5, -0.5]), ("round", [0.5, 1.5]), ("trunc", [1.7, -1.7]), ("fix", [1.7, -1.7]),
    ("exp2", [0.5, -3.0]), ("i0", [0.0, 3.0]), ("cosh", [0.5, -1.0]),
])  # fmt: skip
def test_unary_grads(name, pts):
    grads(lambda t, x: getattr(t, name)(x), pts)


def test_polygamma_mvlgamma_logit_eps_grads():
    grads(lambda t, x: t.polygamma(2, x), [0.0, -1.0, 2.5, -2.5])
    grads(lambda t, x: t.polygamma(1, x), [0.0, 2.5, -2.5])
    grads(lambda t, x: t.polygamma(0, x), [0.0, 2.5])
    grads(lambda t, x: x.polygamma(3), [0.5, 2.5])
    grads(lambda t, x: t.mvlgamma(x, 2), [2.0, 2.5])
    grads(lambda t, x: t.logit(x, 0.1), [0.0, -1.0, 0.5, 0.1, 1.0])
    grads(lambda t, x: t.logit(x, eps=-0.5), [0.3, 1.5])


def test_polygamma_and_mvlgamma_errors():
    both(lambda t, a: t.polygamma(-1, a), X, check_message=True)
    both(lambda t, a: t.mvlgamma(a, 0), X, check_message=True)
    both(lambda t, a: t.polygamma(1, a), C, check_message=True)
    both(lambda t, a: a.clone().polygamma_(2), POS)
    both(lambda t, a: a.clone().mvlgamma_(2), BIG)


def test_logit_eps():
    both(lambda t, a: t.logit(a, eps=0.2), UNIT)
    both(lambda t, a: a.logit(1e-6), torch.tensor([0.0, 1.0, 0.5, -2.0]))


# ------------------------------------------------------------------ rounding

R_X = torch.tensor([[-2.5, -1.5, -0.5, 0.5], [1.5, 2.5, 2.49, -3.7]])


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc", "fix", "round", "frac"])
@pytest.mark.parametrize(
    "dtype", [torch.float32, torch.float64, torch.int64, torch.bool, torch.complex64], ids=str
)
def test_rounding(name, dtype):
    a = R_X.to(dtype) if dtype is not torch.bool else R_X > 0
    both(lambda t, a: getattr(t, name)(a), a, check_message=True)
    both(lambda t, a: getattr(a.clone(), name + "_")(), a)


@pytest.mark.parametrize("decimals", [0, 1, 3, -1, -2])
def test_round_decimals(decimals):
    x = torch.tensor([1.2345, -1.2355, 1234.5678, 0.005, -155.0, 2.5])
    both(lambda t, a: t.round(a, decimals=decimals), x)
    both(lambda t, a: a.round(decimals=decimals), x.double())
    both(lambda t, a: a.clone().round_(decimals=decimals), x)
    both(lambda t, a: t.special.round(a, decimals=decimals), x)
    both(lambda t, a: t.round(a, decimals=decimals), torch.tensor([1, 25]), check_message=True)
    grads(lambda t, a: t.round(a, decimals=decimals), [1.26, -0.5])


def test_round_positional_decimals_is_type_error():
    both(lambda t, a: t.round(a, 2), X)


# ------------------------------------------------------------------ clamp


@pytest.mark.parametrize(
    "fname,args",
    [
        ("clamp", (-0.5, 1.0)),
        ("clip", (None, 0.3)),
        ("clamp", (0.0, None)),
        ("clip", (2, 1)),
        ("clamp", (float("nan"), None)),
        ("clamp", (-1, 1)),
    ],
    ids=str,
)
@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool], ids=str)
def test_clamp_scalar(fname, args, dtype):
    a = (X * 2).to(dtype) if dtype is not torch.bool else X > 0
    both(lambda t, a: getattr(t, fname)(a, *args), a)
    both(lambda t, a: getattr(a, fname)(min=args[0], max=args[1]), a)
    both(lambda t, a: getattr(a.clone(), fname + "_")(*args), a)


def test_clamp_tensor_bounds_and_errors():
    lo = torch.tensor([-1.0, 0.0, 0.5, 3.0])
    hi = torch.tensor([[1.0], [2.0]])
    both(lambda t, a, lo, hi: t.clamp(a, lo, hi), X, lo, hi)
    both(lambda t, a, lo: t.clamp(a, min=lo), X, lo)
    both(lambda t, a, hi: t.clip(a, max=hi), X, hi)
    both(lambda t, a, lo: a.clone().clamp_(lo), X, lo)
    both(lambda t, a, lo: t.clamp(a, lo.long(), None), I, lo)
    both(lambda t, a: t.clamp(a, 1, t.tensor(2.0)), X)  # a 0-dim tensor is a Number
    both(lambda t, a: t.clamp(a), X, check_message=True)
    both(lambda t, a: t.clamp(a, 0, 1), C, check_message=True)
    both(lambda t, a: t.clamp(a, min=t.tensor([1.0]), max=2.0), X)
    both(lambda t, a, lo: t.clamp(a, lo[:3]), X, lo)  # shape mismatch
    both(lambda t, a: a.clone().clamp_(0.5), I)  # float bound on an int tensor in place


def test_clamp_min_max():
    b = torch.tensor([0.0, 1.0, -0.3, 5.0])
    for f in ("clamp_min", "clamp_max"):
        both(lambda t, a, f=f: getattr(t, f)(a, 0.5), X)
        both(lambda t, a, b, f=f: getattr(t, f)(a, b), X, b)
        both(lambda t, a, f=f: getattr(t, f)(a, 2.5), I)
        both(lambda t, a, b, f=f: getattr(a.clone(), f + "_")(b), X, b)
        both(lambda t, a, f=f: getattr(a, f)(1), I)


def test_clamp_grads():
    grads(
        lambda t, x, lo, hi: t.clamp(x, lo, hi),
        [0.0, 1.0, 2.0, 3.0, 0.5],
        [1.0] * 4 + [2.0],
        [2.0] * 4 + [1.0],
    )
    grads(lambda t, x, lo: t.clamp(x, lo), [0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
    grads(lambda t, x, hi: t.clamp(x, max=hi), [0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
    grads(lambda t, x: t.clamp(x, 1.0, 2.0), [0.0, 1.0, 2.0, 3.0, float("nan")])
    grads(lambda t, x: t.clip(x, max=2.0), [0.0, 2.0, 3.0])
    grads(lambda t, x, b: t.clamp_min(x, b), [0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
    grads(lambda t, x, b: t.clamp_max(x, b), [0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
    grads(lambda t, x: t.clamp_min(x, 1.0), [0.0, 1.0, 2.0])
    grads(lambda t, x: t.clamp_max(x, 1.0), [0.0, 1.0, 2.0])


# ------------------------------------------------------------------ binary float functions

A = torch.tensor([[0.5, -1.5, 0.0, 2.0], [3.0, -0.25, 1.0, -4.0]])
B = torch.tensor([1.5, 0.5, -2.0, 0.0])
BINARY = [
    "maximum",
    "minimum",
    "fmax",
    "fmin",
    "hypot",
    "atan2",
    "arctan2",
    "copysign",
    "xlogy",
    "logaddexp",
    "logaddexp2",
    "nextafter",
    "igamma",
    "igammac",
    "heaviside",
]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize(
    "dtypes",
    [
        (torch.float64, torch.float32),
        (torch.int64, torch.float32),
        (torch.int64, torch.int64),
        (torch.bool, torch.bool),
    ],
    ids=str,
)
def test_binary_values_and_promotion(name, dtypes):
    a = A.abs() if name.startswith("igamma") else A
    b = B.abs() if name.startswith("igamma") else B
    a = a.to(dtypes[0]) if dtypes[0] is not torch.bool else a > 0
    b = b.to(dtypes[1]) if dtypes[1] is not torch.bool else b > 0
    both(lambda t, a, b: getattr(t, name)(a, b), a, b, check_message=True)
    both(lambda t, a, b: getattr(a, name)(b), a, b)


@pytest.mark.parametrize("name", BINARY)
def test_binary_broadcast_out_inplace_and_errors(name):
    a, b = A.abs() + 0.1, B.abs() + 0.2
    both(lambda t, a, b: getattr(t, name)(a, b[:3]), a, b)  # shape mismatch

    def with_out(t, a, b):
        o = t.empty(2, 4)
        getattr(t, name)(a, b, out=o)
        return o

    both(with_out, a, b)
    if hasattr(torch.Tensor, name + "_"):
        both(lambda t, a, b: getattr(a.clone(), name + "_")(b), a, b)
        both(lambda t, a, b: getattr(b.clone(), name + "_")(a), a, b)  # cannot broadcast in place
    both(lambda t, a: getattr(t, name)(a, 2.0), a)  # Tensor other only (except copysign, xlogy)
    both(lambda t, a, b: getattr(t, name)(a, b), C, C, check_message=True)


def test_binary_special_values():
    s = SPECIAL.double()
    for name in (
        "maximum",
        "minimum",
        "fmax",
        "fmin",
        "hypot",
        "atan2",
        "copysign",
        "xlogy",
        "logaddexp",
        "logaddexp2",
        "nextafter",
    ):
        both(lambda t, a, b, name=name: getattr(t, name)(a, b), s[:, None], s)
    a = torch.tensor([0.0, 0.0, 1.0, 1.0, float("inf"), 2.0, -1.0, 2.0, 3.0], dtype=torch.float64)
    b = torch.tensor(
        [0.0, 1.0, 0.0, float("inf"), 1.0, float("inf"), 1.0, -1.0, 2.5], dtype=torch.float64
    )
    both(lambda t, a, b: t.igamma(a, b), a, b)
    both(lambda t, a, b: t.igammac(a, b), a, b)


@pytest.mark.parametrize("name,a,b", [
    ("maximum", [1.0, float("nan"), 2.0], [1.0, 1.0, float("nan")]),
    ("minimum", [1.0, float("nan"), 2.0], [1.0, 1.0, float("nan")]),
    ("fmax", [1.0, float("nan"), 2.0], [1.0, 1.0, float("nan")]),
    ("fmin", [1.0, float("nan"), 2.0], [1.0, 1.0, float("nan")]),
    ("hypot", [0.0, 3.0], [0.0, 4.0]), ("atan2", [0.0, 3.0], [0.0, 4.0]),
    ("copysign", [0.0, -0.0, 2.0, -3.0], [-1.0, 1.0, -1.0, 1.0]), ("xlogy", [0.0, 0.0, 2.0], [0.0, 1.0, 3.0]),
    ("logaddexp", [-1.0, 1.0], [-3.0, 1.0]), ("logaddexp2", [-1.0, 1.0], [-3.0, 1.0]),
    ("nextafter", [1.0, 0.5], [2.0, 0.0]), ("ldexp", [1.5, -2.5], [2.0, 3.0]),
])  # fmt: skip
def test_binary_grads(name, a, b):
    grads(lambda t, x, y: getattr(t, name)(x, y), a, b)


def test_scalar_overload_grads():
    grads(lambda t, x: t.copysign(x, -1.0), [0.0, -0.0, 2.0, -3.0])
    grads(lambda t, x: t.xlogy(x, 3.0), [0.0, 1.0, 3.0])
    grads(lambda t, y: t.xlogy(2.0, y), [0.0, 1.0, 3.0])
    grads(lambda t, y: t.special.xlogy(2.0, y), [1.0, 3.0])
    grads(lambda t, x: t.igamma(x.detach(), x), [1.0, 2.5])


def test_not_implemented_derivatives():
    backward_error(lambda t, a, b: t.heaviside(a, b), [1.0, -0.5], [2.0, 3.0])
    backward_error(lambda t, a, b: t.igamma(a, b), [1.0, 0.5], [2.0, 3.0])
    backward_error(lambda t, a, b: t.igammac(a, b), [1.0, 0.5], [2.0, 3.0])


def test_xlogy_copysign_scalar_overloads():
    both(lambda t, a: t.xlogy(a, 2), A)
    both(lambda t, b: t.xlogy(3, b), B)
    both(lambda t, a: t.xlogy(a, 2.5), I)
    both(lambda t, a: a.clone().xlogy_(2.0), A)
    both(lambda t, a: t.xlogy_(a.clone(), 2.0), A)
    both(lambda t, a: t.copysign(a, -0.0), A)
    both(lambda t, a: t.copysign(a, -1), I)
    both(lambda t, a, b: a.clone().copysign_(b), A, B)


def test_heaviside_dtype_rules():
    both(lambda t, a, b: t.heaviside(a, b), I, torch.tensor([7, -7, 9, 0]))
    both(lambda t, a, b: t.heaviside(a, b), A, B.double(), check_message=True)
    both(lambda t, a, b: t.heaviside(a, b), A, B)


def test_ldexp_frexp():
    e = torch.tensor([1, 0, -2, 3])
    both(lambda t, a, e: t.ldexp(a, e), A, e)
    both(lambda t, a, e: t.ldexp(a, e), A.half(), e)
    both(lambda t, a, e: t.ldexp(a, e), I, e)
    both(lambda t, a, e: a.clone().ldexp_(e), A, e)
    both(lambda t, a, e: t.ldexp_(a.clone(), e), A, e)
    v = torch.tensor([0.0, 8.0, -0.3, float("inf"), float("nan"), 1e-40, -5.5, 3.0])
    for dt in (torch.float32, torch.float64, torch.float16):
        both(lambda t, a: t.frexp(a), v.to(dt))
        both(lambda t, a: a.frexp(), v.to(dt))
    r = torchjax.frexp(torchjax.tensor([3.0]))
    assert (
        type(r).__name__ == "frexp" and r.mantissa.tolist() == [0.75] and r.exponent.tolist() == [2]
    )
    both(lambda t, a: t.frexp(a), I, check_message=True)

    def with_out(t, a):
        m, ex = t.empty(0), t.empty(0, dtype=t.int32)
        t.frexp(a, out=(m, ex))
        return m, ex

    both(with_out, v)
    grads(lambda t, x: t.frexp(x)[0], [1.5, -2.5, 0.0, 8.0])


def test_gcd_lcm():
    a = torch.tensor([0, 4, -6, 12, 7, 0])
    b = torch.tensor([0, 6, 4, -18, 13, 5])
    for name in ("gcd", "lcm"):
        both(lambda t, a, b, name=name: getattr(t, name)(a, b), a, b)
        both(lambda t, a, b, name=name: getattr(t, name)(a, b), a.int(), b.short())
        both(lambda t, a, b, name=name: getattr(t, name + "_")(a.clone(), b), a, b)
        both(lambda t, a, b, name=name: getattr(t, name)(a, b), a.float(), b, check_message=True)
        both(lambda t, a, b, name=name: getattr(t, name)(a, b), a > 0, b > 0, check_message=True)


# ------------------------------------------------------------------ lerp, addcmul, addcdiv, where


def test_lerp():
    end = torch.tensor([1.0, 2.0, -1.0, 0.5])
    w = torch.tensor([[0.0], [0.75]])
    both(lambda t, a, e: t.lerp(a, e, 0.3), A, end)
    both(lambda t, a, e, w: t.lerp(a, e, w), A, end, w)
    both(lambda t, a, e, w: a.lerp(e, w), A.double(), end.double(), w.double())
    both(lambda t, a, e: a.clone().lerp_(e, 0.7), A, end)
    both(lambda t, a, e: t.lerp(a, e, 0.5), A, end.double(), check_message=True)
    both(lambda t, a, e, w: t.lerp(a, e, w), A, end, w.double(), check_message=True)
    both(lambda t, a, e: t.lerp(a, e, t.tensor(0.5, dtype=t.float64)), A, end)
    both(lambda t, a: t.lerp(a, a, 0.5), I, check_message=True)
    both(lambda t, a, e: t.lerp(a, e, 0.5), C, C * 2)
    grads(lambda t, x, y, w: t.lerp(x, y, w), [1.5, -2.5], [2.0, 3.0], [0.3, 0.7])
    grads(lambda t, x, y: t.lerp(x, y, 0.6), [1.5, -2.5], [2.0, 3.0])


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_addcmul_addcdiv(name):
    t1 = torch.tensor([[1.0], [2.0]])
    t2 = torch.tensor([0.5, -1.0, 4.0, 3.0])
    both(lambda t, a, b, c: getattr(t, name)(a, b, c), A, t1, t2)
    both(lambda t, a, b, c: getattr(t, name)(a, b, c, value=-0.5), A, t1, t2)
    both(lambda t, a, b, c: getattr(a, name)(b, c, value=2), A.double(), t1, t2)
    both(lambda t, a, b, c: getattr(a.clone(), name + "_")(b, c, value=3), A, t1, t2)
    both(lambda t, a, b, c: getattr(t, name)(a, b, c), I, t1.long(), t2.long(), check_message=True)
    both(lambda t, a, b, c: getattr(t, name)(a, b, c, value=0.5), I, I, I)
    both(lambda t, a, b, c: getattr(t, name)(a, b, c), A, t1, t2[:3])

    def with_out(t, a, b, c):
        o = t.empty(0)
        getattr(t, name)(a, b, c, value=2, out=o)
        return o

    both(with_out, A, t1, t2)
    grads(
        lambda t, a, b, c: getattr(t, name)(a, b, c, value=0.5), [1.0, -0.5], [2.0, 3.0], [2.0, 1.0]
    )


def test_where():
    cond = A > 0
    both(lambda t, c, a, b: t.where(c, a, b), cond, A, B)
    both(lambda t, c, a: t.where(c, a, 0.0), cond, A)
    both(lambda t, c, a: t.where(c, 2, a), cond, I)
    both(lambda t, c: t.where(c, 1, 2.0), cond)
    both(lambda t, c: t.where(c, 1, 2), cond)
    both(lambda t, c: t.where(c, True, False), cond)
    both(lambda t, c, a: t.where(c, a, 2.5), cond, I)
    both(lambda t, c, a, b: t.where(c, a, b), cond, A.double(), B)
    both(lambda t, c, a: a.where(c, -1.0), cond, A)
    both(lambda t, c: t.where(c), cond)
    both(lambda t, a: t.where(a, a, a), A, check_message=True)
    both(lambda t, c, a, b: t.where(c, a, b[:3]), cond, A, B)

    def with_out(t, c, a, b):
        o = t.empty(0)
        t.where(c, a, b, out=o)
        return o

    both(with_out, cond, A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        both(lambda t, c, a: t.where(c, a, 0.0), cond.to(torch.uint8), A)
    grads(lambda t, x, y: t.where(x > 0, x, y), [1.0, -0.5], [2.0, 3.0])


# ------------------------------------------------------------------ classification and misc


@pytest.mark.parametrize(
    "name", ["isnan", "isinf", "isfinite", "isposinf", "isneginf", "isreal", "signbit"]
)
def test_classification(name):
    both(lambda t, a: getattr(t, name)(a), SPECIAL)
    both(lambda t, a: getattr(a, name)(), SPECIAL.double())
    both(lambda t, a: getattr(t, name)(a), I)
    both(lambda t, a: getattr(t, name)(a), I > 0)
    both(
        lambda t, a: getattr(t, name)(a),
        torch.tensor([1 + 0j, float("nan") + 1j, 2j]),
        check_message=True,
    )


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"rtol": 0.0, "atol": 0.0},
        {"atol": 0.5},
        {"rtol": 0.1, "equal_nan": True},
        {"rtol": -1.0},
        {"atol": -0.5},
    ],
    ids=str,
)
def test_isclose(kw):
    a = torch.tensor([1.0, 1.00001, float("nan"), float("inf"), -float("inf"), 0.0, 2.0, 1e-9])
    b = torch.tensor([1.0, 1.0, float("nan"), float("inf"), float("inf"), 1e-9, 2.3, 0.0])
    both(lambda t, a, b: t.isclose(a, b, **kw), a, b, check_message=True)
    both(lambda t, a, b: a.isclose(b, **kw), a.double(), b.double())
    both(lambda t, a, b: t.isclose(a, b, **kw), torch.tensor([1, 2, 3]), torch.tensor([1, 3, 6]))
    both(
        lambda t, a, b: t.isclose(a, b, **kw),
        torch.tensor([True, False]),
        torch.tensor([True, True]),
    )
    both(
        lambda t, a, b: t.isclose(a, b, **kw),
        a.to(torch.complex64),
        (b + 1e-7j).to(torch.complex64),
    )
    both(lambda t, a, b: t.isclose(a, b), a, b.double(), check_message=True)


@pytest.mark.parametrize("kw", [{}, {"nan": -1.0, "posinf": 7.0, "neginf": -9.0}], ids=str)
@pytest.mark.parametrize(
    "dtype", [torch.float32, torch.float64, torch.float16, torch.int64, torch.complex64], ids=str
)
def test_nan_to_num(kw, dtype):
    a = SPECIAL.to(dtype) if dtype is not torch.int64 else I
    both(lambda t, a: t.nan_to_num(a, **kw), a)
    both(lambda t, a: a.clone().nan_to_num_(**kw), a)
    both(lambda t, a: t.nan_to_num_(a.clone(), **kw), a)


def test_angle_conj_complex_polar():
    both(lambda t, a: t.angle(a), C)
    both(lambda t, a: t.angle(a), I)
    both(lambda t, a: t.conj(a), C)
    both(lambda t, a: a.conj_physical(), C)
    both(lambda t, a: t.conj_physical(a), A)
    both(lambda t, a: a.clone().conj_physical_(), C)
    both(lambda t, a: t.resolve_neg(t.resolve_conj(a)), C)
    for lib, a in ((torch, A), (torchjax, to_tj(A))):
        assert (
            a.conj() is a
            and a.resolve_conj() is a
            and a.resolve_neg() is a
            and a.conj_physical() is a
        )
        assert not a.is_conj() and not lib.is_neg(a)
    re, im = A[0], A[1]
    both(lambda t, r, i: t.complex(r, i), re, im)
    both(lambda t, r, i: t.complex(r, i), re.double(), im.double())
    both(lambda t, r, i: t.polar(r, i), re.abs(), im)
    both(lambda t, r, i: t.complex(r, i), re, im.double(), check_message=True)
    both(lambda t, r, i: t.complex(r, i), re.long(), im.long(), check_message=True)
    both(lambda t, r, i: t.polar(r, i), re.double(), im, check_message=True)
    grads(lambda t, x, y: t.complex(x, y), [1.0, 0.5], [2.0, 3.0])
    grads(lambda t, x, y: t.polar(x, y), [1.0, 0.5], [2.0, 3.0])
    grads(
        lambda t, x, y: t.angle(t.complex(x, y)),
        [1.0, 0.5, 0.0],
        [2.0, -3.0, 0.0],
        check_name=False,
    )
    grads(lambda t, x, y: t.complex(x, y).conj().real, [1.0, 0.5], [2.0, -3.0], check_name=False)


def test_deg2rad_rad2deg_errors():
    both(lambda t, a: t.deg2rad(a), C, check_message=True)
    both(lambda t, a: t.rad2deg(a), C, check_message=True)
    both(lambda t, a: a.clone().deg2rad_(), A)


def test_namespace_matches_torch():
    names = [
        "acos",
        "arccos",
        "sinc",
        "logit",
        "erfinv",
        "lgamma",
        "digamma",
        "polygamma",
        "mvlgamma",
        "i0",
        "floor",
        "fix",
        "clamp",
        "clip",
        "clamp_min",
        "clamp_max",
        "lerp",
        "addcmul",
        "addcdiv",
        "where",
        "maximum",
        "fmax",
        "hypot",
        "atan2",
        "arctan2",
        "copysign",
        "xlogy",
        "heaviside",
        "logaddexp",
        "logaddexp2",
        "nextafter",
        "ldexp",
        "frexp",
        "gcd",
        "lcm",
        "nan_to_num",
        "isposinf",
        "isreal",
        "signbit",
        "angle",
        "conj",
        "conj_physical",
        "resolve_conj",
        "resolve_neg",
        "complex",
        "polar",
        "deg2rad",
        "isclose",
        "igamma",
        "igammac",
    ]
    for n in names:
        for suffix in ("", "_"):
            assert hasattr(torch, n + suffix) == hasattr(torchjax, n + suffix), n + suffix
            assert hasattr(torch.Tensor, n + suffix) == hasattr(torchjax.Tensor, n + suffix), (
                "Tensor." + n + suffix
            )


def test_inplace_on_leaf_requiring_grad_and_autograd_through_inplace():
    for lib in (torch, torchjax):
        x = lib.tensor([0.5, -0.2], requires_grad=True)
        with pytest.raises(RuntimeError):
            x.clamp_(0, 1)
    grads(lambda t, x: (x * 1).clamp_(0.0, 1.0), [0.5, -0.2, 1.5])
    grads(lambda t, x: (x * 1).lgamma_(), [0.5, 2.5])
