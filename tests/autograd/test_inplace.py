"""In-place ops and views under autograd: leaf errors, version checks, CopySlices, compared with torch."""

from __future__ import annotations

from agutil import both


def test_inplace_on_leaf_requiring_grad_raises():
    both(lambda t: t.ones(3, requires_grad=True).add_(1))
    both(lambda t: t.ones(3, requires_grad=True).mul_(2))
    both(lambda t: t.sin_(t.linspace(0.0, 1.0, 5, requires_grad=True)))
    both(lambda t: t.ones(3, requires_grad=True)[0].add_(1))
    both(lambda t: t.ones(3, requires_grad=True)[1:].zero_())


def test_inplace_on_leaf_allowed_under_no_grad():
    def f(t):
        x = t.ones(3, requires_grad=True)
        with t.no_grad():
            x.add_(1)
            x[0] = 5
        return [x, x.requires_grad, x.is_leaf, x._version]

    both(f)


def test_inplace_on_non_leaf_records():
    def f(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.add_(1)
        n1 = y.grad_fn.name()
        y.mul_(y)
        n2 = y.grad_fn.name()
        y.sum().backward()
        return [n1, n2, x.grad, y._version]

    both(f)


def test_inplace_saved_tensor_version_error_exact_text():
    def exp_then_inplace(t):
        x = t.ones(3, requires_grad=True)
        y = x.exp()
        y.add_(1)
        y.sum().backward()

    both(exp_then_inplace)

    def mul_saved_input(t):
        x = t.ones(3, requires_grad=True)
        w = t.ones(3)
        y = x * w
        w.add_(1)
        y.sum().backward()

    both(mul_saved_input)

    def nonleaf_saved(t):
        # the message names the saved input's current grad_fn (Mul), not the one it had (Add)
        x = t.ones(2, 2, requires_grad=True)
        a = x + 2
        b = a.sin()
        a.mul_(3)
        b.sum().backward()

    both(nonleaf_saved)

    def leaf_modified_under_no_grad(t):
        x = t.ones(3, requires_grad=True)
        y = (x * x).sum()
        with t.no_grad():
            x.add_(1)
        y.backward()

    both(leaf_modified_under_no_grad)

    def double(t):
        x = t.ones(4, dtype=t.float64, requires_grad=True)
        y = x.sigmoid()
        y.mul_(2)
        y.sum().backward()

    both(double)


def test_inplace_exp_on_non_leaf_gradient():
    def f(t):
        x = t.tensor([0.5, 1.0], requires_grad=True)
        y = x * 1
        y.exp_()
        y.sum().backward()
        return [x.grad, y.grad_fn.name()]

    both(f)


def test_no_error_when_unsaved_input_modified():
    def f(t):
        x = t.ones(3, requires_grad=True)
        w = t.ones(3)
        y = x + w
        w.add_(1)
        y.sum().backward()
        return x.grad

    both(f)


def test_views_of_non_leaf_gradients():
    def f(t):
        x = t.arange(6.0).reshape(2, 3).requires_grad_()
        y = x * 1
        v = y[0]
        w = y.t()[1:]
        (v.sum() * 2 + (w * w).sum()).backward()
        return [x.grad, v.grad_fn.name(), w.grad_fn.name(), v.is_leaf, v._base is y]

    both(f)


def test_inplace_through_view_copyslices():
    def f(t):
        x = t.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = x * 1
        v = y[1:3]
        v.mul_(10)
        names = [y.grad_fn.name(), type(y.grad_fn).__name__, v.grad_fn.name()]
        (y * y).sum().backward()
        return [names, x.grad, y]

    both(f)


def test_setitem_with_value_requiring_grad():
    def f(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        z = t.tensor(5.0, requires_grad=True)
        y = x * 2
        y[0] = z * 3
        y[2] = 0.0
        (y * y).sum().backward()
        return [x.grad, z.grad, y.grad_fn.name()]

    both(f)

    def into_plain(t):
        buf = t.zeros(4)
        a = t.tensor([1.0, 2.0], requires_grad=True)
        buf[1:3] = a * a
        buf.sum().backward()
        return [a.grad, buf.requires_grad, buf.is_leaf, buf.grad_fn.name()]

    both(into_plain)


def test_view_grad_fn_regenerated_after_base_inplace():
    def f(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 1
        v = y[:2]
        y.mul_(2)
        (v * v).sum().backward()
        return [v.grad_fn.name(), x.grad]

    both(f)


def test_inplace_on_view_of_leaf_in_no_grad_then_backward():
    def f(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with t.no_grad():
            x[1:].mul_(2)
        (x * x).sum().backward()
        return x.grad

    both(f)


def test_copy_into_non_leaf():
    def f(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        a = t.tensor([3.0, 4.0], requires_grad=True)
        y = x * 1
        y.copy_(a * 2)
        y.sum().backward()
        return [x.grad, a.grad]

    both(f, check_message=True)


def test_detach_shares_version_counter():
    def f(t):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        d = y.detach()
        d.zero_()
        y.sum().backward()

    both(f)


def test_only_inputs_the_backward_reads_are_checked():
    # torch saves an input only when a gradient formula needs it: ``a * 2`` does not save ``a``
    def f(t):
        x = t.ones(3, requires_grad=True)
        a = x * 1
        z = a * 2
        a.add_(1)
        z.sum().backward()
        return x.grad

    both(f)

    def exp_reached(t):
        x = t.ones(3, requires_grad=True)
        y = x.exp()
        z = y * 1
        y.add_(1)
        z.sum().backward()

    both(exp_reached)
