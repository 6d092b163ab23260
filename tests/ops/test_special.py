"""torch.special against real torch: values over wide argument ranges (float32 and float64,
int promotion), edge values (0, negatives, infinities, nan), the orthogonal polynomials' special
cases, aliases, errors, and gradients with torch's grad_fn names."""

from __future__ import annotations

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax

S = torch.special

GRID = torch.tensor([
    -float("inf"), -200.0, -30.0, -14.5, -13.9, -10.0, -8.0, -7.9, -3.0, -1.0, -0.0, 0.0, 1e-5, 0.3, 0.5, 1.0, 1.1,
    2.0, 2.1, 5.0, 8.0, 13.9, 14.0, 14.1, 20.0, 50.0, 103.0, 104.0, 1e4, float("inf"), float("nan"),
], dtype=torch.float64)  # fmt: skip

UNARY = [
    "airy_ai",
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "spherical_bessel_j0",
    "i0e",
    "i1",
    "i1e",
    "ndtri",
    "log_ndtr",
    "erfcx",
    "entr",
    "ndtr",
    "expit",
    "gammaln",
    "psi",
    "digamma",
    "sinc",
    "exp2",
    "expm1",
    "log1p",
    "erf",
    "erfc",
    "erfinv",
    "i0",
    "logit",
]


@pytest.mark.parametrize("name", UNARY)
def test_unary_values(name):
    # torch's own float64 kernels agree with the true values to ~1e-8 (its Bessel fits), so
    # float64 is compared at 1e-7; float32 at torch's default float32 tolerance
    both(lambda t, a: getattr(t.special, name)(a), GRID, rtol=1e-7, atol=1e-9)
    both(lambda t, a: getattr(t.special, name)(a), GRID.float())
    both(lambda t, a: getattr(t.special, name)(a), torch.tensor([[-3, 0, 1], [2, 7, 40]]))


@pytest.mark.parametrize("name", UNARY)
def test_unary_dtype_errors_and_out(name):
    both(lambda t, a: getattr(t.special, name)(a), torch.tensor([1.0 + 1j]), check_message=True)
    both(
        lambda t, a: getattr(t.special, name)(a),
        torch.tensor([0.5, 2.0], dtype=torch.float16),
        check_message=True,
        rtol=1e-3,
        atol=1e-3,
    )

    def with_out(t, a):
        o = t.empty(0)
        r = getattr(t.special, name)(a, out=o)
        assert r is o
        return o

    both(with_out, GRID.float())


X = torch.tensor(
    [-float("inf"), -2.0, -1.0, -0.99, -0.5, 0.0, 0.3, 0.5, 0.7, 1.0, 1.5, 3.0, float("inf")],
    dtype=torch.float64,
)
POLYS = [
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
]


@pytest.mark.parametrize("name", POLYS)
def test_polynomials(name):
    # n is truncated to an integer; nan and huge n act as negative (result 0). (torch returns
    # uninitialised memory for some polynomials at x = nan, so x = nan is not compared.)
    n = torch.tensor(
        [
            -1.0,
            0.0,
            1.0,
            2.0,
            3.0,
            5.0,
            6.0,
            7.0,
            8.0,
            9.0,
            10.0,
            13.0,
            2.7,
            float("nan"),
            -0.5,
            1e30,
        ]
    )
    n = n.reshape(-1, 1)
    both(lambda t, x, n: getattr(t.special, name)(x, n), X, n.double(), rtol=1e-10, atol=1e-6)
    both(lambda t, x, n: getattr(t.special, name)(x, n), X.float(), n, atol=1e-4)
    both(lambda t, x: getattr(t.special, name)(x, 4), X)  # Scalar n
    both(lambda t, n: getattr(t.special, name)(0.25, n), n[:12].long())  # Scalar x, int n -> float
    both(lambda t: getattr(t.special, name)(0.5, 3))
    both(lambda t, x: getattr(t.special, name)(x, 3), X.half(), check_message=True)


def test_polynomial_is_not_differentiable():
    for lib in (torch, torchjax):
        x = lib.tensor([0.5, 0.2], requires_grad=True)
        r = lib.special.chebyshev_polynomial_t(x, 3)
        assert r.grad_fn is None and not r.requires_grad


@pytest.mark.parametrize("name", ["xlog1py", "zeta", "xlogy"])
def test_binary_overloads(name):
    a = torch.tensor([[0.0, 0.5, 2.0], [3.0, -1.0, 1.0]])
    b = torch.tensor([1.5, 0.0, 2.0])
    both(lambda t, a, b: getattr(t.special, name)(a, b), a, b)
    both(lambda t, a: getattr(t.special, name)(a, 2.0), a)
    both(lambda t, b: getattr(t.special, name)(3.0, b), b)
    both(lambda t, a, b: getattr(t.special, name)(a, b), a.long(), b.long())
    both(lambda t, a, b: getattr(t.special, name)(a, b), a.double(), b)
    both(lambda t, a, b: getattr(t.special, name)(a, b), a, b[:2])
    both(
        lambda t, a: getattr(t.special, name)(a, 2.0),
        a.half(),
        check_message=True,
        rtol=1e-3,
        atol=1e-3,
    )


def test_zeta_edges():
    q = torch.tensor([-2.5, -2.0, -1.5, 0.0, 0.5, 1.0, 3.0], dtype=torch.float64)
    for s in (0.5, 1.0, 2.0, 3.0, 2.5, 7.0):
        both(lambda t, q, s=s: t.special.zeta(s, q), q)


def test_gammainc():
    a = torch.tensor(
        [0.0, 0.0, 1.0, 1.0, float("inf"), 2.0, -1.0, 2.0, 3.0, 0.5], dtype=torch.float64
    )
    x = torch.tensor(
        [0.0, 1.0, 0.0, float("inf"), 1.0, float("inf"), 1.0, -1.0, 2.5, 0.25], dtype=torch.float64
    )
    both(lambda t, a, x: t.special.gammainc(a, x), a, x)
    both(lambda t, a, x: t.special.gammaincc(a, x), a, x)
    both(lambda t, a, x: t.special.gammainc(a, x), a.long(), x.long(), check_message=True)
    both(lambda t, a: t.special.gammainc(a, 2.0), a)


def _grads(fn, *vals, name=True):
    th = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in vals]
    tj = [to_tj(t) for t in th]
    r_th, r_tj = fn(torch, *th), fn(torchjax, *tj)
    assert_same(r_tj, r_th)
    if name:
        assert type(r_tj.grad_fn).__name__ == type(r_th.grad_fn).__name__
    r_th.sum().backward()
    r_tj.sum().backward()
    for a, b in zip(tj, th):
        assert_same(a.grad, b.grad) if b.grad is not None else None


PTS = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0]


@pytest.mark.parametrize("name,pts", [
    ("i0e", PTS), ("i1", PTS), ("i1e", PTS), ("ndtr", PTS), ("ndtri", [0.1, 0.5, 0.9, 0.0, 1.0]), ("log_ndtr", PTS),
    ("erfcx", PTS), ("entr", [0.0, 0.5, 1.0, -1.0]), ("expit", PTS), ("gammaln", [0.5, 2.5, 0.0]),
    ("psi", [0.5, 2.5, 0.0]), ("sinc", PTS), ("erf", PTS), ("log1p", [0.5, 2.0]), ("i0", PTS),
    ("round", PTS), ("logit", [0.2, 0.7]),
])  # fmt: skip
def test_unary_grads(name, pts):
    _grads(lambda t, x: getattr(t.special, name)(x), pts)


def test_binary_and_parametrised_grads():
    _grads(lambda t, x, y: t.special.xlog1py(x, y), [0.0, 0.5, 1.0], [0.0, 1.0, -0.5])
    _grads(lambda t, x: t.special.xlog1py(x, 2.0), [0.0, 0.5, 1.0])
    _grads(lambda t, y: t.special.xlog1py(2.0, y), [0.0, 0.5, 1.0])
    _grads(lambda t, q: t.special.zeta(3.0, q), [1.0, 2.0])
    _grads(lambda t, x, q: t.special.zeta(x.detach(), q), [2.0, 3.0], [1.0, 2.0])
    _grads(lambda t, x: t.special.multigammaln(x, 3), [2.0, 3.0])
    _grads(lambda t, x: t.special.polygamma(2, x), [1.0, 2.0])
    _grads(lambda t, a, x: t.special.gammaincc(a.detach(), x), [2.0, 3.0], [1.0, 2.0])
    _grads(lambda t, x: t.special.softmax(x, 0), PTS)
    _grads(lambda t, x: t.special.log_softmax(x, 0), PTS)
    _grads(lambda t, x: t.special.logsumexp(x, 0), PTS)
    _grads(lambda t, x: t.special.xlogy(x, 2.0), [0.0, 1.0])


@pytest.mark.parametrize(
    "name",
    [
        "airy_ai",
        "bessel_j0",
        "bessel_y1",
        "modified_bessel_k0",
        "scaled_modified_bessel_k1",
        "spherical_bessel_j0",
        "modified_bessel_i1",
    ],
)
def test_non_differentiable(name):
    for lib in (torch, torchjax):
        x = lib.tensor([0.5, 2.0], requires_grad=True)
        r = getattr(lib.special, name)(x)
        assert r.grad_fn is None and not r.requires_grad


def test_zeta_derivative_not_implemented():
    errs = []
    for lib in (torch, torchjax):
        x = lib.tensor([2.0, 3.0], requires_grad=True)
        with pytest.raises(NotImplementedError) as ei:
            lib.special.zeta(x, 2.0).sum().backward()
        errs.append(str(ei.value))
    assert errs[0] == errs[1]


def test_aliases_and_softmax_family():
    x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 0.0, -2.0]])
    both(lambda t, a: t.special.softmax(a, 1), x)
    both(lambda t, a: t.special.softmax(a, 0, t.float64), x)
    both(lambda t, a: t.special.log_softmax(a, 1, dtype=t.float64), x)
    both(lambda t, a: t.special.log_softmax(a, 1, t.float64), x)  # dtype is keyword-only here
    both(lambda t, a: t.special.logsumexp(a, 1), x)
    both(lambda t, a: t.special.logsumexp(a, (0, 1), keepdim=True), x)
    both(lambda t, a: t.special.multigammaln(a.abs() + 2, 2), x)
    both(lambda t, a: t.special.polygamma(1, a), x)
    both(lambda t, a: t.special.round(a * 3.3), x)
    both(lambda t, a: t.special.logit(a.sigmoid(), 1e-3), x)
    both(lambda t, a: t.special.xlogy(a, a.abs()), x)
    both(lambda t, a: t.special.gammaincc(a.abs() + 0.1, a.abs()), x)
    names = [
        n
        for n in dir(torch.special)
        if not n.startswith("_")
        and callable(getattr(torch.special, n))
        and n not in ("Tensor", "torch")
    ]
    missing = [n for n in names if not hasattr(torchjax.special, n)]
    assert not missing


def test_int_and_bool_promotion_of_float_aliases():
    i = torch.tensor([[0, 1, 2], [-1, 3, 5]])
    for name in ("expit", "gammaln", "psi", "i0", "ndtr", "entr", "sinc", "erf", "exp2", "log1p"):
        both(lambda t, a, name=name: getattr(t.special, name)(a), i)
