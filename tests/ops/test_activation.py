"""torch.nn.functional activations (and their torch.* / Tensor.* / in-place spellings) against
real torch: values, dtypes, errors, gradients at the kinks, grad_fn names, softmax's implicit dim,
normalize / cosine_similarity / pairwise_distance, and rrelu's training noise from torch's generator."""

from __future__ import annotations

import warnings

import pytest
import torch
from _compare import assert_same, both, to_tj

import torchjax


def grads(fn, *vals, name=True):
    th = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in vals]
    tj = [to_tj(t) for t in th]
    r_th, r_tj = fn(torch, *th), fn(torchjax, *tj)
    assert_same(r_tj, r_th)
    if name:
        assert type(r_tj.grad_fn).__name__ == type(r_th.grad_fn).__name__
    r_th.sum().backward()
    r_tj.sum().backward()
    for a, b in zip(tj, th):
        if b.grad is None:
            # torch's backward returned an undefined gradient (e.g. the 0-"norm"): torchjax a zero one
            assert a.grad is None or not a.grad.any()
        else:
            assert_same(a.grad, b.grad)


X = torch.tensor([[-6.0, -3.0, -1.0, -0.5, 0.0, 0.3], [0.5, 1.0, 2.0, 3.0, 6.0, 25.0]])
KINKS = [-6.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, 2.0, -0.25, 30.0]


def F(t):
    return t.nn.functional


ACTS = [
    ("relu", (), {}), ("relu6", (), {}), ("leaky_relu", (0.2,), {}), ("elu", (0.7,), {}), ("selu", (), {}),
    ("celu", (2.0,), {}), ("gelu", (), {}), ("gelu", (), {"approximate": "tanh"}), ("silu", (), {}),
    ("mish", (), {}), ("softplus", (), {}), ("softplus", (2.0, 1.0), {}), ("softsign", (), {}),
    ("hardtanh", (-0.5, 0.5), {}), ("hardtanh", (), {}), ("hardsigmoid", (), {}), ("hardswish", (), {}),
    ("logsigmoid", (), {}), ("tanhshrink", (), {}), ("softshrink", (0.5,), {}), ("hardshrink", (0.5,), {}),
    ("threshold", (0.5, -2.0), {}), ("rrelu", (), {}), ("glu", (), {}), ("sigmoid", (), {}), ("tanh", (), {}),
]  # fmt: skip
ACT_IDS = [f"{n}{a}{k}" for n, a, k in ACTS]


@pytest.mark.parametrize("name,args,kw", ACTS, ids=ACT_IDS)
def test_values_and_dtypes(name, args, kw):
    for a in (X, X.double(), X.half(), (X * 2).long(), X > 0):
        tol = {"rtol": 2e-3, "atol": 2e-3} if a.dtype is torch.float16 else {}
        both(lambda t, a: getattr(F(t), name)(a, *args, **kw), a, check_message=True, **tol)


@pytest.mark.parametrize("name,args,kw", ACTS, ids=ACT_IDS)
def test_grads_at_kinks(name, args, kw):
    grads(lambda t, x: getattr(F(t), name)(x, *args, **kw), KINKS)


INPLACE = [
    "relu",
    "relu6",
    "leaky_relu",
    "elu",
    "selu",
    "celu",
    "silu",
    "mish",
    "hardtanh",
    "hardsigmoid",
    "hardswish",
    "rrelu",
]


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_argument(name):
    def f(t, x):
        y = x * 1
        r = getattr(F(t), name)(y, inplace=True)
        assert r is y
        return r

    grads(f, KINKS)
    both(lambda t, a: getattr(F(t), name)(a.clone(), inplace=True), X)


@pytest.mark.parametrize("fname,args", [
    ("relu_", ()), ("elu_", (0.5,)), ("leaky_relu_", (0.1,)), ("hardtanh_", (-2.0, 2.0)), ("selu_", ()),
    ("celu_", (1.5,)), ("threshold_", (0.0, 1.0)), ("rrelu_", ()),
])  # fmt: skip
def test_inplace_functions(fname, args):
    grads(lambda t, x: getattr(F(t), fname)(x * 1, *args), KINKS)
    for lib in (torch, torchjax):
        x = lib.tensor([0.5, -0.2], requires_grad=True)
        with pytest.raises(RuntimeError):
            getattr(lib.nn.functional, fname)(x, *args)


def test_torch_namespace_spellings():
    both(lambda t, a: t.relu(a), X)
    both(lambda t, a: a.relu(), X)
    both(lambda t, a: t.relu_(a.clone()), X)
    both(lambda t, a: a.clone().relu_(), (X * 2).long())
    both(lambda t, a: t.selu(a), X)
    both(lambda t, a: t.selu_(a.clone()), X)
    both(lambda t, a: t.celu(a, 0.5), X)
    both(lambda t, a: t.celu_(a.clone(), 0.5), X)
    both(lambda t, a: t.threshold(a, 0.2, 9.0), X)
    both(lambda t, a: t.threshold_(a.clone(), 0.2, 9.0), X)
    both(lambda t, a: t.hardshrink(a, 0.7), X)
    both(lambda t, a: a.hardshrink(), X)
    both(lambda t, a: t.rrelu(a), X)
    both(lambda t, a: t.rrelu_(a.clone(), 0.2, 0.4), X)
    both(lambda t, a, w: t.prelu(a, w), X, torch.tensor([0.1, 0.2]).reshape(2)[:1])
    both(lambda t, a, w: a.prelu(w), X, torch.tensor([0.3]))
    grads(lambda t, x: t.selu_(x * 1), KINKS)
    grads(lambda t, x: t.threshold_(x * 1, 0.5, 2.0), KINKS)
    grads(lambda t, x: (x * 1).relu_(), KINKS)
    for n in (
        "relu",
        "relu_",
        "selu",
        "selu_",
        "celu",
        "celu_",
        "threshold",
        "threshold_",
        "rrelu",
        "rrelu_",
        "hardshrink",
        "prelu",
        "softmax",
        "log_softmax",
        "cosine_similarity",
        "pairwise_distance",
    ):
        assert hasattr(torch, n) == hasattr(torchjax, n), n
        assert hasattr(torch.Tensor, n) == hasattr(torchjax.Tensor, n), n


def test_errors():
    f = torch.tensor([1.0, -2.0])
    both(lambda t, a: F(t).softshrink(a, -1.0), f, check_message=True)
    both(lambda t, a: F(t).softshrink(a, -1.0), f.double(), check_message=True)
    both(lambda t, a: F(t).gelu(a, approximate="foo"), f, check_message=True)
    both(lambda t, a: F(t).celu(a, 0.0), f, check_message=True)
    both(lambda t, a: F(t).glu(a), torch.rand(3), check_message=True)
    both(lambda t, a: F(t).glu(a), torch.tensor(1.0), check_message=True)
    both(lambda t, a: F(t).glu(a, 2), torch.rand(2, 4), check_message=True)
    both(lambda t, a, w: F(t).prelu(a, w), torch.rand(2, 3), torch.rand(2), check_message=True)
    both(lambda t, a, w: F(t).prelu(a, w), torch.rand(3), torch.rand(3), check_message=True)
    both(lambda t, a, w: F(t).prelu(a, w), torch.tensor(1.0), torch.rand(2), check_message=True)
    both(lambda t, a: F(t).hardtanh(a, 2.0, 1.0), f, check_message=True)
    both(lambda t, a: F(t).rrelu(a, 0.5, 0.1), f, check_message=True)
    both(lambda t, a: F(t).relu(a), torch.tensor([1 + 1j]), check_message=True)
    both(lambda t, a: F(t).silu(a), torch.tensor([1 + 1j, -0.5j]))  # silu supports complex


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_softmax_family(name):
    x = torch.tensor([[[0.5, -1.0, 2.0], [3.0, 0.0, -2.0]], [[1.0, 1.0, 1.0], [-50.0, 50.0, 0.0]]])
    for dim in (0, 1, 2, -1):
        both(lambda t, a, dim=dim: getattr(F(t), name)(a, dim), x)
    both(lambda t, a: getattr(F(t), name)(a, 1, dtype=t.float64), x)
    both(lambda t, a: getattr(F(t), name)(a, -1), x.half(), rtol=1e-3, atol=1e-3)
    both(lambda t, a: getattr(F(t), name)(a, 0), torch.tensor(2.5))
    both(lambda t, a: getattr(F(t), name)(a, 3), x)
    both(lambda t, a: getattr(F(t), name)(a, 1), (x * 3).long(), check_message=True)
    both(lambda t, a: getattr(F(t), name)(a, -1), (x * 3).long(), check_message=True)
    both(lambda t, a: getattr(F(t), name)(a, 1, dtype=t.float32), (x * 3).long())
    both(
        lambda t, a: getattr(F(t), name)(a, 1),
        torch.tensor([[-float("inf"), -float("inf")], [0.0, 1.0]]),
    )
    for a in (x, x[0], x[0, 0], torch.tensor(1.5)):
        with warnings.catch_warnings(record=True) as w_th:
            warnings.simplefilter("always")
            r_th = getattr(torch.nn.functional, name)(a)
        with warnings.catch_warnings(record=True) as w_tj:
            warnings.simplefilter("always")
            r_tj = getattr(torchjax.nn.functional, name)(to_tj(a))
        assert_same(r_tj, r_th)
        assert [str(w.message) for w in w_tj] == [str(w.message) for w in w_th]
    grads(lambda t, v: getattr(F(t), name)(v.reshape(3, 4), 1), KINKS)
    grads(lambda t, v: getattr(F(t), name)(v.reshape(3, 4), 0, dtype=t.float64), KINKS)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_softmax_family_empty_input(name):
    """Empty inputs give an empty result of the input's shape (and the requested dtype) for any
    dim, reduced or not, with empty gradients (op_db sample: a (0, S) tensor)."""
    for shape in ((0,), (0, 5), (3, 0), (2, 0, 3)):
        x = torch.empty(shape)
        for dim in range(-len(shape), len(shape)):
            both(lambda t, a, dim=dim: getattr(F(t), name)(a, dim), x)
            both(lambda t, a, dim=dim: getattr(F(t), name)(a, dim, dtype=t.float64), x)

        def grad(t, a):
            a = a.detach().requires_grad_()
            getattr(F(t), name)(a, -1).sum().backward()
            return a.grad

        both(grad, x)


def test_softmax_torch_and_tensor_forms():
    x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 0.0, -2.0]])
    both(lambda t, a: t.softmax(a, 1), x)
    both(lambda t, a: t.softmax(a, 0, t.float64), x)
    both(lambda t, a: t.log_softmax(a, dim=1, dtype=t.float64), x)
    both(lambda t, a: a.softmax(1), x)
    both(lambda t, a: a.log_softmax(dim=0), x)
    both(lambda t, a: t.softmax(a), x)

    def with_out(t, a):
        o = t.empty(0)
        t.log_softmax(a, 1, out=o)
        return o

    both(with_out, x)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"p": 1.0, "dim": 0},
        {"p": float("inf"), "dim": -1},
        {"p": 3.0, "dim": 1},
        {"p": 0.5, "dim": 1, "eps": 1.0},
    ],
    ids=str,
)
def test_normalize(kw):
    x = torch.tensor([[3.0, -4.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0, -1.0]])
    both(lambda t, a: F(t).normalize(a, **kw), x)
    both(lambda t, a: F(t).normalize(a, **kw), x.double())
    both(lambda t, a: F(t).normalize(a, **kw), x.to(torch.complex64))
    both(lambda t, a: F(t).normalize(a, **kw), x.long(), check_message=True)
    grads(lambda t, v: F(t).normalize(v.reshape(3, 4), **kw), [0.0] * 4 + KINKS[:8])

    def with_out(t, a):
        o = t.empty(0)
        F(t).normalize(a, out=o, **kw)
        return o

    both(with_out, x)


def test_normalize_edge_cases():
    both(lambda t, a: F(t).normalize(a, dim=0), torch.tensor(3.0))
    both(lambda t, a: F(t).normalize(a, dim=2), torch.rand(2, 3), check_message=True)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cosine_similarity(dim):
    a = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 0.5, 2.0]])
    b = torch.tensor([[2.0, 1.0, -3.0], [1.0, 1.0, 1.0], [1e-9, 0.0, 0.0]])
    both(lambda t, a, b: F(t).cosine_similarity(a, b, dim=dim), a, b)
    both(lambda t, a, b: t.cosine_similarity(a, b, dim, 1e-3), a.double(), b)
    both(lambda t, a, b: F(t).cosine_similarity(a, b, dim=dim), a, b[0])
    grads(
        lambda t, x, y: F(t).cosine_similarity(x.reshape(3, 3), y.reshape(3, 3), dim=dim),
        [1.0, 2.0, 3.0, 0.0, 0.0, 0.0, -1.0, 0.5, 2.0],
        [2.0, 1.0, -3.0, 1.0, 1.0, 1.0, 1e-9, 0.0, 0.0],
    )


def test_cosine_similarity_errors_and_promotion():
    both(
        lambda t, a, b: F(t).cosine_similarity(a, b, dim=0),
        torch.tensor([1, 2]),
        torch.tensor([1, 2]),
        check_message=True,
    )
    both(
        lambda t, a, b: F(t).cosine_similarity(a, b, dim=0),
        torch.tensor([1, 2]),
        torch.tensor([1.0, 2.0]),
    )
    both(lambda t, a, b: F(t).cosine_similarity(a, b), torch.rand(3), torch.rand(2, 3))
    both(lambda t, a, b: F(t).cosine_similarity(a, b), torch.rand(2, 3), torch.rand(2, 4))
    both(lambda t, a, b: F(t).cosine_similarity(a, b, dim=0), torch.tensor(2.0), torch.tensor(3.0))


@pytest.mark.parametrize(
    "kw",
    [{}, {"p": 1.0}, {"p": float("inf")}, {"p": 3.0, "keepdim": True}, {"eps": 0.0}, {"p": 0.0}],
    ids=str,
)
def test_pairwise_distance(kw):
    a = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 0.5, 2.0]])
    b = torch.tensor([[2.0, 1.0, -3.0], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    both(lambda t, a, b: F(t).pairwise_distance(a, b, **kw), a, b)
    both(lambda t, a, b: t.pairwise_distance(a, b, **kw), a.long(), b.long())
    both(lambda t, a, b: F(t).pairwise_distance(a, b, **kw), a[0], b)
    grads(
        lambda t, x, y: F(t).pairwise_distance(x.reshape(3, 3), y.reshape(3, 3), **kw),
        [1.0, 2.0, 3.0, 0.0, 0.0, 0.0, -1.0, 0.5, 2.0],
        [2.0, 1.0, -3.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    )


def test_pairwise_distance_scalars_and_broadcast_error():
    both(lambda t, a, b: F(t).pairwise_distance(a, b), torch.tensor(1.0), torch.tensor(2.0))
    both(lambda t, a, b: F(t).pairwise_distance(a, b), torch.rand(2, 3), torch.rand(4, 3))


def test_prelu():
    x = torch.tensor([[[-1.0, 2.0], [0.0, -3.0], [4.0, -0.5]]]).repeat(2, 1, 1)
    w = torch.tensor([0.1, 0.2, 0.3])
    both(lambda t, a, w: F(t).prelu(a, w), x, w)
    both(lambda t, a, w: F(t).prelu(a, w), x, w[:1])
    both(lambda t, a, w: F(t).prelu(a, w), x[0, 0], w[:1])
    grads(lambda t, v, w: F(t).prelu(v.reshape(2, 3, 2), w), KINKS, [0.1, 0.2, 0.3])
    grads(lambda t, v, w: F(t).prelu(v, w), KINKS, [0.25])


def test_rrelu_training_uses_torchs_generator():
    x = torch.tensor([[-1.0, 2.0, -3.0], [0.0, 5.0, -0.5]])
    torch.manual_seed(3)
    torchjax.manual_seed(3)
    th = [F(torch).rrelu(x, training=True), torch.rrelu(x, 0.2, 0.6, True)]
    tj = [F(torchjax).rrelu(to_tj(x), training=True), torchjax.rrelu(to_tj(x), 0.2, 0.6, True)]
    assert_same(tj, th)
    assert_same(torchjax.rand(3), torch.rand(3))  # the generator advanced by the same draws
    g_th, g_tj = torch.Generator().manual_seed(7), torchjax.Generator().manual_seed(7)
    assert_same(
        torchjax.rrelu(to_tj(x), training=True, generator=g_tj),
        torch.rrelu(x, training=True, generator=g_th),
    )

    def f(t, v):
        t.manual_seed(11)
        return F(t).rrelu(v * 1, training=True)

    grads(f, [-1.0, 2.0, -3.0, 0.0, 5.0, -0.5])

    def g(t, v):
        t.manual_seed(12)
        return F(t).rrelu(v * 1, training=True, inplace=True)

    grads(g, [-1.0, 2.0, -3.0, 0.0, 5.0, -0.5])


@pytest.mark.parametrize("wshape", [(3, 1), (2,), (1, 1)])
def test_prelu_weight_checks(wshape):
    both(
        lambda L, x, w: L.nn.functional.prelu(x, w),
        torch.randn(2, 3),
        torch.randn(wshape),
        check_message=True,
    )
