"""torch.autograd.functional (jacobian, hessian, vjp, jvp, hvp, vhp), gradcheck and anomaly mode."""

from __future__ import annotations

import pytest
from agutil import both

import torchjax


def exp_adder(x, y):
    return 2 * x.exp() + 3 * y


def _inputs(t, n):
    return (t.linspace(0.1, 0.9, n), t.linspace(-0.5, 0.5, n))


def test_jacobian_tutorial_exp_adder():
    both(lambda t: t.autograd.functional.jacobian(exp_adder, _inputs(t, 1)))
    both(lambda t: t.autograd.functional.jacobian(exp_adder, _inputs(t, 3)))


def test_jacobian_single_input_output_and_vectorize():
    f = lambda x: x.sin() * x.sum()  # noqa: E731
    both(lambda t: t.autograd.functional.jacobian(f, t.linspace(0.0, 1.0, 4)))
    both(lambda t: t.autograd.functional.jacobian(f, t.linspace(0.0, 1.0, 4), vectorize=True))
    both(
        lambda t: t.autograd.functional.jacobian(
            f, t.linspace(0.0, 1.0, 4), vectorize=True, strategy="forward-mode"
        )
    )
    both(
        lambda t: t.autograd.functional.jacobian(
            f, t.linspace(0.0, 1.0, 4), strategy="forward-mode"
        )
    )
    both(lambda t: t.autograd.functional.jacobian(lambda a, b: (a * b, a + b), _inputs(t, 2)))


def test_jacobian_create_graph_and_strict():
    def cg(t):
        x = t.linspace(0.1, 0.9, 3).requires_grad_()
        j = t.autograd.functional.jacobian(lambda a: a**3, x, create_graph=True)
        (g,) = t.autograd.grad(j.sum(), x)
        return [j, j.requires_grad, g]

    both(cg)
    both(lambda t: t.autograd.functional.jacobian(lambda a, b: a * 2, _inputs(t, 2), strict=True))
    both(lambda t: t.autograd.functional.jacobian(lambda a: t.ones(2), t.ones(2), strict=True))
    both(lambda t: t.autograd.functional.jacobian(lambda a, b: a * 2, _inputs(t, 2)))


def do_some_doubling(x):
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    return y


def test_vjp_tutorial_doubling():
    def f(t):
        inputs = t.tensor([0.3, -1.2, 0.8])
        my_gradients = t.tensor([0.1, 1.0, 0.0001])
        return t.autograd.functional.vjp(do_some_doubling, inputs, v=my_gradients)

    both(f)


def test_vjp_jvp_forms_and_errors():
    f = lambda x, y: (x * y, x.exp())  # noqa: E731
    both(lambda t: t.autograd.functional.vjp(f, _inputs(t, 3), (t.ones(3), t.ones(3))))
    both(lambda t: t.autograd.functional.jvp(f, _inputs(t, 3), (t.ones(3), t.full((3,), 0.5))))
    both(lambda t: t.autograd.functional.jvp(lambda x: x**2, t.tensor([3.0])))
    both(lambda t: t.autograd.functional.vjp(lambda x: x.sum() * 2, t.ones(3)))
    both(lambda t: t.autograd.functional.vjp(lambda x: x * 2, t.ones(3)))
    both(lambda t: t.autograd.functional.vjp(f, _inputs(t, 3), (t.ones(2), t.ones(3))))
    both(lambda t: t.autograd.functional.vjp(lambda x: x * 2, [t.ones(3)]))
    both(lambda t: t.autograd.functional.vjp(lambda x: 3, t.ones(3)))


def test_hessian_hvp_vhp():
    def pow_reducer(x):
        return x.pow(3).sum()

    both(lambda t: t.autograd.functional.hessian(pow_reducer, t.tensor([1.0, 2.0, -1.0])))
    both(
        lambda t: t.autograd.functional.hessian(
            lambda a, b: (a * b).sum() + (a**2).sum(), _inputs(t, 2)
        )
    )
    both(
        lambda t: t.autograd.functional.hvp(
            pow_reducer, t.tensor([1.0, 2.0]), t.tensor([1.0, -1.0])
        )
    )
    both(
        lambda t: t.autograd.functional.vhp(
            pow_reducer, t.tensor([1.0, 2.0]), t.tensor([1.0, -1.0])
        )
    )
    both(lambda t: t.autograd.functional.hessian(lambda x: x * 2, t.ones(2)))
    both(lambda t: t.autograd.functional.hessian(lambda x: x.sum() * 2, t.ones(2), strict=True))


def test_gradcheck_and_gradgradcheck():
    def f(t):
        x = t.tensor([0.3, -0.7, 1.1], dtype=t.float64, requires_grad=True)
        y = t.tensor([1.5, 0.2, -0.4], dtype=t.float64, requires_grad=True)
        fn = lambda a, b: (a.sin() * b.exp(), (a * b).sum())  # noqa: E731
        return [t.autograd.gradcheck(fn, (x, y)), t.autograd.gradgradcheck(fn, (x, y))]

    both(f)


def test_gradcheck_detects_wrong_backward():
    def f(t):
        class Wrong(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * x

            @staticmethod
            def backward(ctx, g):
                return g * 3

        x = t.tensor([0.3, 0.5], dtype=t.float64, requires_grad=True)
        ok = t.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False)
        try:
            t.autograd.gradcheck(Wrong.apply, (x,))
            raised = None
        except RuntimeError as e:
            raised = (type(e).__name__, str(e).split(",")[0])
        return [ok, raised]

    both(f)
    both(lambda t: t.autograd.gradcheck(lambda a: a * 2, (t.ones(2, dtype=t.float64),)))


def test_gradcheck_warns_for_float32():
    both(
        lambda t: t.autograd.gradcheck(
            lambda a: a * 2, (t.ones(2, requires_grad=True),), atol=1e-2, eps=1e-3
        ),
        warns=True,
    )


def test_detect_anomaly_nan_and_traceback():
    def nan(t):
        x = t.tensor([0.0, 1.0], requires_grad=True)
        with t.autograd.detect_anomaly():
            y = x.sqrt() * 0.0
            (y / y).sum().backward()

    th, tj = both(nan, check_message=True)

    def flags(t):
        with t.autograd.set_detect_anomaly(True, check_nan=False):
            inner = (t.is_anomaly_enabled(), t.is_anomaly_check_nan_enabled())
        t.autograd.set_detect_anomaly(True)
        mid = t.is_anomaly_enabled()
        t.autograd.set_detect_anomaly(False)
        return [inner, mid, t.is_anomaly_enabled(), t.is_anomaly_check_nan_enabled()]

    both(flags)


def test_anomaly_records_forward_traceback_and_warns():
    x = torchjax.ones(3, requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        ctx = torchjax.autograd.detect_anomaly()
    with ctx:
        y = x.exp()
        assert "traceback_" in y.grad_fn.metadata
        y.add_(1)
        # the saved result of exp was modified: ExpBackward0 fails, as in torch
        with pytest.warns(UserWarning, match="Error detected in ExpBackward0"):
            with pytest.raises(RuntimeError, match="The variable in question was changed"):
                y.sum().backward()
    assert not torchjax.is_anomaly_enabled()


def test_forward_ad_dual_tensors():
    def f(t):
        import torch.autograd.forward_ad as _real_fwad  # noqa: F401  (real torch's module name)

        fwAD = t.autograd.forward_ad
        x = t.tensor([0.5, 1.0, 2.0])
        v = t.tensor([1.0, 0.0, -1.0])
        with fwAD.dual_level():
            dx = fwAD.make_dual(x, v)
            y = dx.sin() * dx + dx.exp()
            p, tangent = fwAD.unpack_dual(y)
            p0, t0 = fwAD.unpack_dual(dx)
            _, none = fwAD.unpack_dual(t.ones(3))
        return [p, tangent, p0, t0, none]

    both(f)
