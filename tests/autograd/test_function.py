"""torch.autograd.Function: ctx API, node naming, errors, double backward, compared with torch."""

from __future__ import annotations

from agutil import both, strip


def _exp_fn(t):
    class MyExp(t.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            y = x.exp() * k
            ctx.save_for_backward(y)
            ctx.k = k
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y, None

    return MyExp


def test_forward_backward_ctx_and_node():
    def f(t):
        MyExp = _exp_fn(t)
        x = t.tensor([0.0, 1.0], requires_grad=True)
        y = MyExp.apply(x, 2.0)
        fn = y.grad_fn
        info = [
            strip(repr(fn)),
            fn.name(),
            type(fn).__name__,
            fn.needs_input_grad,
            fn.k,
            [(None if n is None else n.name(), i) for n, i in fn.next_functions],
            y.requires_grad,
        ]
        y.sum().backward()
        return [info, x.grad, y]

    both(f)


def test_apply_without_grad():
    def f(t):
        MyExp = _exp_fn(t)
        x = t.tensor([0.0, 1.0])
        y = MyExp.apply(x, 2.0)
        with t.no_grad():
            z = MyExp.apply(t.ones(2, requires_grad=True), 1.0)
        return [y.requires_grad, y.grad_fn is None, z.requires_grad]

    both(f)


def test_saved_tensor_modified_and_freed():
    def modified(t):
        MyExp = _exp_fn(t)
        x = t.ones(3, requires_grad=True)
        y = MyExp.apply(x, 2.0)
        with t.no_grad():
            y.add_(1)
        y.sum().backward()

    both(modified)

    def freed(t):
        MyExp = _exp_fn(t)
        x = t.ones(3, requires_grad=True)
        y = MyExp.apply(x, 2.0)
        y.sum().backward()
        return y.grad_fn.saved_tensors

    both(freed)

    def twice(t):
        MyExp = _exp_fn(t)
        x = t.ones(3, requires_grad=True)
        y = MyExp.apply(x, 2.0).sum()
        y.backward()
        y.backward()

    both(twice)


def test_wrong_number_and_kind_of_gradients():
    def bad_count(t):
        class Bad(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g, g

        Bad.apply(t.ones(3, requires_grad=True)).sum().backward()

    both(bad_count)

    def extra_none_ok(t):
        class Ok(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2, None, None

        x = t.ones(3, requires_grad=True)
        Ok.apply(x).sum().backward()
        return x.grad

    both(extra_none_ok)

    def non_tensor_grad(t):
        class Bad2(t.autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                return x * k

            @staticmethod
            def backward(ctx, g):
                return g, g

        Bad2.apply(t.ones(3, requires_grad=True), 2).sum().backward()

    both(non_tensor_grad)

    def bad_shape(t):
        class Bad3(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g[:2]

        Bad3.apply(t.ones(3, requires_grad=True)).sum().backward()

    both(bad_shape)


def test_identity_returns_alias_and_mark_dirty():
    def f(t):
        class Id(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 3

        x = t.ones(3, requires_grad=True)
        y = Id.apply(x)
        y.sum().backward()
        return [y is x, y.grad_fn.name(), x.grad]

    both(f)

    def dirty(t):
        class Dirty(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        x = t.ones(3, requires_grad=True)
        w = x * 1
        r = Dirty.apply(w)
        names = [r is w, w.grad_fn.name(), w._version]
        r.sum().backward()
        return [names, x.grad]

    both(dirty)

    def dirty_leaf(t):
        class Dirty(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        Dirty.apply(t.ones(3, requires_grad=True))

    both(dirty_leaf)


def test_non_differentiable_and_materialize_grads():
    def f(t):
        log = []

        class ND(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                mask = x > 0
                ctx.mark_non_differentiable(mask)
                return x * 2, mask

            @staticmethod
            def backward(ctx, g, gm):
                log.append(gm)
                return g * 2

        x = t.tensor([1.0, -1.0], requires_grad=True)
        o, m = ND.apply(x)
        o.sum().backward()
        return [m.requires_grad, log, x.grad]

    both(f)

    def mat(t):
        log = []

        class Two(t.autograd.Function):
            @staticmethod
            def forward(ctx, x, materialize):
                ctx.set_materialize_grads(materialize)
                return x * 2, x * 3

            @staticmethod
            def backward(ctx, g1, g2):
                log.append(g2)
                return g1 * 2, None

        x = t.ones(2, requires_grad=True)
        Two.apply(x, True)[0].sum().backward()
        Two.apply(x, False)[0].sum().backward()
        return [log, x.grad]

    both(mat)


def test_setup_context_style_and_defaults():
    def f(t):
        class Scale(t.autograd.Function):
            @staticmethod
            def forward(x, k=3.0):
                return x * k

            @staticmethod
            def setup_context(ctx, inputs, output):
                x, k = inputs
                ctx.k = k
                ctx.save_for_backward(x)

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return g * ctx.k, None

        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = Scale.apply(x)
        y2 = Scale.apply(x, k=5.0)
        (y.sum() + y2.sum()).backward()
        return [y, y2, x.grad, y.grad_fn.name()]

    both(f)


def test_double_backward_through_custom_function():
    def f(t):
        class Cube(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x**3

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return g * 3 * x * x

        x = t.tensor([1.0, 2.0], requires_grad=True)
        (g,) = t.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
        (gg,) = t.autograd.grad(g.sum(), x)
        return [g, gg]

    both(f)


def test_once_differentiable():
    def f(t):
        class Sq(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            @t.autograd.function.once_differentiable
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return 2 * x * g

        x = t.tensor([1.0, 2.0], requires_grad=True)
        (g,) = t.autograd.grad(Sq.apply(x).sum(), x, create_graph=True)
        out = [g, g.requires_grad]
        y = Sq.apply(x)
        (g2,) = t.autograd.grad(y, x, t.ones(2, requires_grad=True), create_graph=True)
        out.append(g2.requires_grad)
        t.autograd.grad(g2.sum(), x)
        return out

    both(f)


def test_multiple_inputs_mixed_requires_grad():
    def f(t):
        class Mul(t.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                ctx.save_for_backward(a, b)
                return a * b

            @staticmethod
            def backward(ctx, g):
                a, b = ctx.saved_tensors
                return (
                    g * b if ctx.needs_input_grad[0] else None,
                    g * a if ctx.needs_input_grad[1] else None,
                )

        a = t.tensor([1.0, 2.0], requires_grad=True)
        b = t.tensor([3.0, 4.0])
        y = Mul.apply(a, b)
        y.sum().backward()
        return [
            y.grad_fn.needs_input_grad,
            [n is None for n, _ in y.grad_fn.next_functions],
            a.grad,
        ]

    both(f)
