"""torch.func (grad, vjp, jvp, jacrev, jacfwd, hessian, vmap, functional_call) on JAX transforms."""

from __future__ import annotations

from agutil import both

import torchjax


def _x(t):
    return t.tensor([0.5, -1.0, 2.0])


def test_grad_and_grad_and_value():
    f = lambda x: (x.sin() * x).sum()  # noqa: E731
    both(lambda t: t.func.grad(f)(_x(t)))
    both(lambda t: t.func.grad_and_value(f)(_x(t)))
    both(lambda t: t.func.grad(lambda a, b: (a * b.exp()).sum(), argnums=(0, 1))(_x(t), _x(t) * 2))
    both(lambda t: t.func.grad(lambda a, b: (a * b.exp()).sum(), argnums=1)(_x(t), _x(t) * 2))
    both(lambda t: t.func.grad(lambda x: ((x**2).sum(), x * 2), has_aux=True)(_x(t)))
    both(
        lambda t: t.func.grad_and_value(lambda x: ((x**2).sum(), {"a": x}), has_aux=True)(_x(t))[1][
            1
        ]["a"]
    )


def test_grad_pytree_inputs_and_kwargs():
    def f(t):
        def loss(params, x, scale=1.0):
            return ((params["w"] * x + params["b"]) ** 2).sum() * scale

        params = {"w": t.tensor([1.0, 2.0]), "b": t.tensor([0.5, -0.5])}
        g = t.func.grad(loss)(params, t.tensor([3.0, 4.0]), scale=2.0)
        return [g["w"], g["b"], sorted(g)]

    both(f)


def test_grad_errors():
    both(lambda t: t.func.grad(lambda x: x * 2)(_x(t)))
    both(lambda t: t.func.grad(lambda x: [x.sum()])(_x(t)))
    both(lambda t: t.func.grad(lambda x: x.sum(), argnums=1)(_x(t)))
    both(lambda t: t.func.grad(lambda x: x.sum(), has_aux=True)(_x(t)))


def test_nested_grad():
    both(
        lambda t: t.func.grad(t.func.grad(lambda x: (x**3).sum() if x.dim() else x**3))(
            t.tensor(1.5)
        )
    )


def test_vjp_and_jvp():
    def f(t):
        fn = lambda x, y: (x * y, x.exp())  # noqa: E731
        out, vjp_fn = t.func.vjp(fn, _x(t), _x(t) + 1)
        g = vjp_fn((t.ones(3), t.full((3,), 2.0)))
        o2, jv = t.func.jvp(fn, (_x(t), _x(t) + 1), (t.ones(3), t.zeros(3)))
        return [out, g, o2, jv]

    both(f)
    both(lambda t: t.func.vjp(lambda a: a * 2, _x(t))[1]((_x(t), _x(t))))
    both(lambda t: t.func.jvp(lambda a: a * 2, _x(t), _x(t)))

    def aux(t):
        out, fn, a = t.func.vjp(lambda x: (x.sin(), x.cos()), _x(t), has_aux=True)
        return [out, fn(t.ones(3)), a]

    both(aux)


def test_jacrev_jacfwd_hessian():
    both(lambda t: t.func.jacrev(lambda a: a.sin())(t.tensor([0.0, 1.0])))
    both(lambda t: t.func.jacfwd(lambda a: a.sin() * a.sum())(t.tensor([0.0, 1.0])))
    both(
        lambda t: t.func.jacrev(lambda a, b: a * b, argnums=(0, 1))(
            t.tensor([1.0, 2.0]), t.tensor([3.0, 4.0])
        )
    )
    both(
        lambda t: sorted(
            t.func.jacrev(lambda a: {"y": a * 2, "z": a.sum()})(t.tensor([1.0, 2.0])).items()
        )
    )
    both(lambda t: t.func.hessian(lambda a: (a**3).sum())(t.tensor([1.0, 2.0])))


def test_vmap_basic_dims_and_nesting():
    both(lambda t: t.func.vmap(lambda a: a * 2, out_dims=1)(t.ones(2, 3)).shape)
    both(lambda t: t.vmap(lambda a: (a * 2, a.sum()))(t.arange(6.0).reshape(2, 3)))
    both(lambda t: t.vmap(lambda a, n: a * n, in_dims=(0, None))(_x(t), 3))
    both(
        lambda t: t.vmap(lambda a, b: a @ b, in_dims=(1, None))(
            t.arange(6.0).reshape(3, 2), t.arange(3.0)
        )
    )
    both(
        lambda t: t.vmap(t.vmap(lambda a, b: a * b))(t.arange(6.0).reshape(2, 3), t.ones(2, 3) * 2)
    )
    both(
        lambda t: t.vmap(lambda d: d["a"] + d["b"], in_dims=({"a": 0, "b": None},))(
            {"a": t.arange(6.0).reshape(2, 3), "b": t.ones(3)}
        )
    )


def test_vmap_errors():
    both(lambda t: t.vmap(lambda a, n: a * n)(_x(t), 3))
    both(lambda t: t.vmap(lambda a, b: a * b)(_x(t), t.ones(4)))


def test_per_sample_grads_vmap_of_grad():
    def f(t):
        w = t.tensor([0.5, -0.25])
        xs = t.arange(8.0).reshape(4, 2)
        ys = t.tensor([1.0, 2.0, 3.0, 4.0])

        def loss(w, x, y):
            return ((x * w).sum() - y) ** 2

        return t.func.vmap(t.func.grad(loss), in_dims=(None, 0, 0))(w, xs, ys)

    both(f)


def test_func_grad_composes_with_backward():
    def f(t):
        x = t.tensor([0.5, 1.5], requires_grad=True)
        g = t.func.grad(lambda a: (a**3).sum())(x)
        r = [g.requires_grad, g.grad_fn is not None]
        g.sum().backward()
        return r + [x.grad]

    both(f)

    def vm(t):
        x = t.tensor([[0.5, 1.5], [2.0, -1.0]], requires_grad=True)
        y = t.vmap(lambda a: a.sin() * a.sum())(x)
        y.sum().backward()
        return x.grad

    both(vm)


class TinyLinear:
    """A hand-written module (torchjax has no nn.Module yet): named_parameters/buffers + __call__."""

    def __init__(self, lib):
        self.lib = lib
        self.weight = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        self.bias = lib.tensor([0.5, -0.5], requires_grad=True)
        self.scale = lib.tensor(2.0)

    def named_parameters(self, remove_duplicate=True):
        return [("weight", self.weight), ("bias", self.bias)]

    def named_buffers(self, remove_duplicate=True):
        return [("scale", self.scale)]

    def __call__(self, x):
        return (x @ self.weight.t() + self.bias) * self.scale


def _tiny(lib):
    """The same module for real torch (whose functional_call needs an nn.Module)."""
    if lib is torchjax:
        return TinyLinear(lib)

    class TorchTiny(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = lib.nn.Parameter(lib.tensor([[1.0, 2.0], [3.0, 4.0]]))
            self.bias = lib.nn.Parameter(lib.tensor([0.5, -0.5]))
            self.register_buffer("scale", lib.tensor(2.0))

        def forward(self, x):
            return (x @ self.weight.t() + self.bias) * self.scale

    return TorchTiny()


def test_functional_call_and_grad_over_params():
    def f(t):
        m = _tiny(t)
        x = t.tensor([[1.0, -1.0], [0.5, 2.0]])
        params = {k: v.detach() for k, v in m.named_parameters()}
        out = t.func.functional_call(m, params, (x,))
        new = {"weight": t.ones(2, 2), "bias": t.zeros(2)}
        out2 = t.func.functional_call(m, (new, {"scale": t.tensor(1.0)}), x)
        restored = m.weight is dict(m.named_parameters())["weight"] and m.weight.requires_grad

        def loss(p, x):
            return t.func.functional_call(m, p, (x,)).pow(2).sum()

        g = t.func.grad(loss)(params, x)
        per_sample = t.func.vmap(t.func.grad(loss), in_dims=(None, 0))(params, x.unsqueeze(1))
        return [out, out2, restored, g["weight"], g["bias"], per_sample["weight"]]

    both(f)
    both(
        lambda t: t.func.functional_call(
            _tiny(t), ({"bias": t.ones(2)}, {"bias": t.ones(2)}), t.ones(1, 2)
        )
    )


def test_no_retracing_of_user_function_values():
    # two calls with different values give different results (no stale constants)
    g = torchjax.func.grad(lambda x: (x**2).sum())
    a = g(torchjax.tensor([1.0, 2.0])).tolist()
    b = g(torchjax.tensor([3.0, 4.0])).tolist()
    assert a == [2.0, 4.0] and b == [6.0, 8.0]
