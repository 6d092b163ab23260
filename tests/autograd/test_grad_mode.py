"""no_grad, enable_grad, set_grad_enabled, inference_mode, compared with torch."""

from __future__ import annotations

from agutil import both


def test_no_grad_context_and_decorator():
    def f(t):
        x = t.ones(2, requires_grad=True)
        with t.no_grad():
            y = x * 2
            inner = t.is_grad_enabled()

        @t.no_grad()
        def g(a):
            return a * 2

        @t.no_grad
        def h(a):
            return a * 3

        return [
            y.requires_grad,
            inner,
            t.is_grad_enabled(),
            g(x).requires_grad,
            h(x).requires_grad,
            (x * 2).requires_grad,
        ]

    both(f)


def test_enable_grad_inside_no_grad():
    def f(t):
        x = t.ones(2, requires_grad=True)
        with t.no_grad():
            with t.enable_grad():
                y = x * 2
            z = x * 2

        @t.enable_grad()
        def g(a):
            return a * 2

        with t.no_grad():
            w = g(x)
        return [y.requires_grad, z.requires_grad, w.requires_grad]

    both(f)


def test_set_grad_enabled_function_context_decorator():
    def f(t):
        x = t.ones(2, requires_grad=True)
        r = []
        for is_train in (True, False):
            with t.set_grad_enabled(is_train):
                loss = (x * 2).sum()
            r.append(loss.requires_grad)
        t.set_grad_enabled(False)
        r.append((x * 2).requires_grad)
        t.set_grad_enabled(True)
        r.append((x * 2).requires_grad)

        @t.set_grad_enabled(False)
        def g(a):
            return a * 2

        r.append(g(x).requires_grad)
        r.append(t.is_grad_enabled())
        return r

    both(f)
    both(lambda t: t.set_grad_enabled(1))


def test_seed_set_grad_enabled_val_loss():
    # seed 003: ``with torch.set_grad_enabled(is_train)`` and ``assert val_loss.requires_grad == False``
    def f(t):
        params = t.tensor([1.0, 0.0], requires_grad=True)
        x = t.tensor([1.0, 2.0, 3.0])
        y = t.tensor([2.0, 4.0, 6.0])
        out = []
        for is_train in (True, False):
            with t.set_grad_enabled(is_train):
                pred = params[0] * x + params[1]
                loss = ((pred - y) ** 2).mean()
            if is_train:
                loss.backward()
            else:
                val_loss = loss
                assert val_loss.requires_grad == False  # noqa: E712
            out.append(loss.requires_grad)
        return [out, params.grad]

    both(f)


def test_generator_decorator():
    def f(t):
        x = t.ones(2, requires_grad=True)

        @t.no_grad()
        def gen():
            for i in range(3):
                yield (x * i).requires_grad, t.is_grad_enabled()
            return "done"

        r = list(gen())
        return [r, t.is_grad_enabled()]

    both(f)


def test_inference_mode_tensors_and_errors():
    def f(t):
        x = t.ones(2, requires_grad=True)
        with t.inference_mode():
            y = x * 2
            z = t.ones(2)
            inner = (t.is_grad_enabled(), t.is_inference_mode_enabled())
        return [
            y.requires_grad,
            y.is_inference(),
            z.is_inference(),
            x.is_inference(),
            inner,
            t.is_inference_mode_enabled(),
        ]

    both(f)

    def mk(t):
        with t.inference_mode():
            return t.ones(3)

    both(lambda t: mk(t).requires_grad_())
    both(lambda t: mk(t).add_(1))
    both(lambda t: (mk(t) * t.ones(3, requires_grad=True)).sum().backward())
    both(lambda t: (mk(t) + t.ones(3, requires_grad=True)).sum().backward())

    def inside(t):
        with t.inference_mode():
            a = t.ones(3)
            a.add_(1)
            return a

    both(inside)

    def clone_ok(t):
        x = t.ones(3, requires_grad=True)
        c = mk(t).clone()
        (c * x).sum().backward()
        return [c.is_inference(), x.grad]

    both(clone_ok)


def test_inference_mode_false_and_decorator():
    def f(t):
        x = t.ones(2, requires_grad=True)
        with t.inference_mode():
            with t.inference_mode(False):
                y = x * 2
                flags = (t.is_grad_enabled(), t.is_inference_mode_enabled())

        @t.inference_mode()
        def g(a):
            return a * 2

        @t.inference_mode
        def h(a):
            return a * 2

        return [y.requires_grad, flags, g(x).is_inference(), h(x).requires_grad]

    both(f)


def test_detach_in_no_grad_and_requires_grad_false():
    def f(t):
        x = t.ones(2, requires_grad=True)
        y = x * 2
        with t.no_grad():
            z = y * 2
        a = x.detach()
        b = t.ones(2, requires_grad=True)
        b.requires_grad = False
        return [z.requires_grad, z.grad_fn is None, a.requires_grad, (b * 2).requires_grad]

    both(f)
