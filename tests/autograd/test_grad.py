"""torch.autograd.grad and higher-order gradients, compared with torch."""

from __future__ import annotations

from agutil import both


def test_grad_basic_and_no_accumulation():
    def f(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x * x).sum()
        (g,) = t.autograd.grad(y, x)
        return [g, x.grad, g.requires_grad, g.is_leaf]

    both(f)


def test_grad_multiple_inputs_outputs_and_grad_outputs():
    def f(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0, 4.0], requires_grad=True)
        y1 = a * b
        y2 = a.exp()
        return t.autograd.grad([y1, y2], [a, b], [t.tensor([1.0, 2.0]), t.tensor([0.5, 0.5])])

    both(f)


def test_grad_inputs_dict_and_single_tensor_output():
    def f(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0, 4.0], requires_grad=True)
        r = t.autograd.grad((a * b).sum(), {"a": a, "b": b})
        return [type(r).__name__, list(r), list(r.values())]

    both(f)


def test_allow_unused_and_materialize():
    def unused(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0], requires_grad=True)
        return t.autograd.grad((a * 2).sum(), [a, b])

    both(unused)
    both(
        lambda t: list(
            t.autograd.grad(
                (t.ones(2, requires_grad=True) * 2).sum(),
                [t.ones(1, requires_grad=True)],
                allow_unused=True,
            )
        )
    )

    def mat(t):
        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0], requires_grad=True)
        return t.autograd.grad((a * 2).sum(), [a, b], materialize_grads=True)

    both(mat)
    both(
        lambda t: t.autograd.grad(
            (t.ones(2, requires_grad=True) * 2).sum(),
            [t.ones(2, requires_grad=True)],
            materialize_grads=True,
            allow_unused=False,
        )
    )


def test_grad_errors():
    both(lambda t: t.autograd.grad((t.ones(2, requires_grad=True) * 2).sum(), [t.ones(2)]))
    both(lambda t: t.autograd.grad(t.ones(2).sum(), [t.ones(2, requires_grad=True)]))
    both(
        lambda t: t.autograd.grad(
            t.ones(2, requires_grad=True) * 2, [t.ones(2, requires_grad=True)]
        )
    )
    both(lambda t: t.autograd.grad((t.ones(2, requires_grad=True) * 2).sum(), []))


def test_grad_with_respect_to_non_leaf_and_itself():
    def f(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        z = (y * y).sum()
        gy, gx = t.autograd.grad(z, [y, x], retain_graph=True)
        (gz,) = t.autograd.grad(z, z)
        return [gy, gx, gz]

    both(f)


def test_grad_retain_graph_and_second_call_error():
    def f(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = (x.exp() * x).sum()
        g1 = t.autograd.grad(y, x, retain_graph=True)
        g2 = t.autograd.grad(y, x)
        return [g1, g2]

    both(f)

    def twice(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = (x.exp() * x).sum()
        t.autograd.grad(y, x)
        t.autograd.grad(y, x)

    both(twice)


def test_second_and_third_derivatives_of_cube():
    def f(t):
        x = t.tensor([1.0, 2.0, -1.5], requires_grad=True)
        y = (x**3).sum()
        (g,) = t.autograd.grad(y, x, create_graph=True)
        (gg,) = t.autograd.grad(g.sum(), x, create_graph=True)
        (ggg,) = t.autograd.grad(gg.sum(), x)
        return [g, gg, ggg, g.requires_grad, gg.requires_grad]

    both(f)


def test_hessian_vector_product():
    def f(t):
        x = t.tensor([0.5, -1.0, 2.0], requires_grad=True)
        v = t.tensor([1.0, 0.5, -2.0])
        y = (x.sin() * x * x).sum() + (x[0] * x[1] * x[2])
        (g,) = t.autograd.grad(y, x, create_graph=True)
        (hv,) = t.autograd.grad(g, x, grad_outputs=v)
        return [g, hv]

    both(f, rtol=1e-5, atol=1e-5)


def test_double_backward_into_grad():
    def f(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x * x).sum()
        y.backward(create_graph=True)
        g = x.grad
        gsum = g.sum()
        x.grad = None
        gsum.backward()
        return [g.detach(), x.grad, g.requires_grad]

    both(f, warns=False)


def test_create_graph_through_views_and_exp():
    def f(t):
        x = t.tensor([[0.1, 0.2], [0.3, 0.4]], requires_grad=True)
        y = x.exp()[0] * x.t()[1]
        (g,) = t.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = t.autograd.grad((g * g).sum(), x)
        return [g, gg]

    both(f, rtol=1e-5)


def test_grad_of_sum_of_outputs_sharing_nodes():
    def f(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        a = x.sin()
        outs = [a * 2, a * a, a + x]
        return t.autograd.grad([o.sum() for o in outs], [x, a])

    both(f)


def test_is_grads_batched():
    def f(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * x
        return t.autograd.grad(y, x, t.eye(3), is_grads_batched=True)

    both(f)


def test_grad_keeps_leaf_hooks():
    def f(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: g * 10)
        return [t.autograd.grad((x * x).sum(), x), x.grad]

    both(f)


def test_float64_and_mixed_dtype_grads():
    def f(t):
        a = t.tensor([1.0, 2.0], dtype=t.float64, requires_grad=True)
        b = t.tensor([3.0, 4.0], dtype=t.float32, requires_grad=True)
        return t.autograd.grad((a * b).sum(), [a, b])

    both(f)


def test_complex_gradients():
    def f(t):
        z = t.tensor([1 + 2j, 3 - 1j], requires_grad=True)
        y = (z * z.conj()).real.sum() if hasattr(z, "conj") else None
        return t.autograd.grad(y, z)

    both(f)
