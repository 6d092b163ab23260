"""torch.autograd.gradcheck / gradgradcheck: analytical gradients against finite differences.

The numerical Jacobian uses central differences ``(f(x + eps) - f(x - eps)) / 2 eps`` per input
element (computed on the host in the inputs' dtype, as torch does); the analytical one takes one
``autograd.grad`` per output element. ``fast_mode`` runs the same full check. Complex inputs
are checked as pairs of real numbers (real and imaginary parts perturbed separately) only
through their real Jacobian; torch's Wirtinger checks are not reproduced.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by gradcheck and gradgradcheck when raise_exception=True."""


def _tensor_cls():
    from .._tensor import Tensor

    return Tensor


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _differentiable_outputs(outs):
    return tuple(o for o in outs if isinstance(o, _tensor_cls()) and o.requires_grad)


def _to_np(t):
    return np.array(t.detach().numpy(), copy=True)


def _from_np(a, like):
    import torchjax

    return torchjax.tensor(a, dtype=like.dtype)


def _fail(msg, raise_exception):
    if raise_exception:
        raise GradcheckError(msg)
    return False


def _numerical_jacobian(func, inputs, diff_idx, out_pos, outputs, eps):
    """J[i][k]: (numel(output k), numel(input i)) by central differences."""
    jac = []
    base_vals = [_to_np(t) if isinstance(t, _tensor_cls()) else t for t in inputs]
    for i in diff_idx:
        x = base_vals[i]
        flat = x.reshape(-1)
        cols = [np.zeros((o.numel(), flat.size), dtype=np.float64) for o in outputs]
        for j in range(flat.size):
            vals = []
            for sign in (1, -1):
                pert = flat.copy()
                pert[j] = pert[j] + sign * eps
                args = list(inputs)
                args[i] = _from_np(pert.reshape(x.shape), inputs[i]).requires_grad_(True)
                outs = _as_tuple(func(*args))
                vals.append([_to_np(outs[p]).reshape(-1).astype(np.float64) for p in out_pos])
            for k in range(len(outputs)):
                cols[k][:, j] = (vals[0][k] - vals[1][k]) / (2 * eps)
        jac.append(cols)
    return jac


def _analytical_jacobian(inputs, diff_idx, outputs):
    import torchjax

    from . import grad as autograd_grad

    jac = [
        [np.zeros((o.numel(), inputs[i].numel()), dtype=np.float64) for o in outputs]
        for i in diff_idx
    ]
    diff_inputs = [inputs[i] for i in diff_idx]
    for k, o in enumerate(outputs):
        n = o.numel()
        for m in range(n):
            onehot = np.zeros(n, dtype=_to_np(o).dtype)
            onehot[m] = 1
            go = torchjax.tensor(onehot.reshape(tuple(o.shape)), dtype=o.dtype)
            gs = autograd_grad(o, diff_inputs, go, retain_graph=True, allow_unused=True)
            for a, g in enumerate(gs):
                if g is not None:
                    jac[a][k][m, :] = _to_np(g).reshape(-1).astype(np.float64)
    return jac


def gradcheck(
    func,
    inputs,
    *,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    raise_exception=True,
    nondet_tol=0.0,
    check_undefined_grad=True,
    check_grad_dtypes=False,
    check_batched_grad=False,
    check_batched_forward_grad=False,
    check_forward_ad=False,
    check_backward_ad=True,
    fast_mode=False,
    masked=None,
) -> bool:
    """torch.autograd.gradcheck: True when analytical and numerical Jacobians agree."""
    T = _tensor_cls()
    inputs = _as_tuple(inputs)
    diff_idx = [i for i, t in enumerate(inputs) if isinstance(t, T) and t.requires_grad]
    if not diff_idx:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them have "
            "requires_grad=True."
        )
    for i in diff_idx:
        dt = inputs[i].dtype
        if dt.is_complex:
            raise NotImplementedError("torchjax gradcheck does not check complex inputs")
        if dt.itemsize != 8:
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point or complex. "
                "This check will likely fail if all the inputs are not of double precision floating point "
                "or complex. ",
                UserWarning,
                stacklevel=2,
            )
    outs = _as_tuple(func(*inputs))
    out_pos = [k for k, o in enumerate(outs) if isinstance(o, T) and o.requires_grad]
    outputs = tuple(outs[k] for k in out_pos)
    if not check_backward_ad:
        return True
    if not outputs:
        # every output is non-differentiable: the numerical Jacobian must vanish
        tpos = [k for k, o in enumerate(outs) if isinstance(o, T)]
        num = _numerical_jacobian(func, inputs, diff_idx, tpos, [outs[k] for k in tpos], eps)
        for cols in num:
            for c in cols:
                if not np.allclose(c, 0, rtol=rtol, atol=atol):
                    return _fail(
                        "Numerical gradient for function expected to be zero", raise_exception
                    )
        return True
    ana = _analytical_jacobian(inputs, diff_idx, outputs)
    num = _numerical_jacobian(func, inputs, diff_idx, out_pos, outputs, eps)
    for a, i in enumerate(diff_idx):
        for k in range(len(outputs)):
            A, N = ana[a][k], num[a][k]
            if not np.allclose(A, N, rtol=rtol, atol=atol):
                return _fail(
                    f"Jacobian mismatch for output {k} with respect to input {i},\n"
                    f"numerical:{_show(N)}\nanalytical:{_show(A)}\n",
                    raise_exception,
                )
    # reentrancy: a second analytical pass must give the same Jacobian (within nondet_tol)
    ana2 = _analytical_jacobian(inputs, diff_idx, outputs)
    for a in range(len(diff_idx)):
        for k in range(len(outputs)):
            if np.abs(ana[a][k] - ana2[a][k]).max(initial=0.0) > nondet_tol:
                return _fail(
                    "Backward is not reentrant, i.e., running backward with same input and grad_output "
                    "multiple times gives different values, although analytical gradient matches numerical "
                    f"gradient.The tolerance for nondeterminism was {nondet_tol}.",
                    raise_exception,
                )
    if check_grad_dtypes:
        for i in diff_idx:
            g = __import__("torchjax").autograd.grad(
                outputs,
                inputs[i],
                [_from_np(np.ones(tuple(o.shape), _to_np(o).dtype), o) for o in outputs],
                retain_graph=True,
                allow_unused=True,
            )[0]
            if g is not None and (
                g.dtype is not inputs[i].dtype or tuple(g.shape) != tuple(inputs[i].shape)
            ):
                return _fail("Gradient has dtype mismatch", raise_exception)
    return True


def _show(a):
    import torchjax

    return repr(torchjax.tensor(a, dtype=torchjax.float64))


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    *,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    gen_non_contig_grad_outputs=False,
    raise_exception=True,
    nondet_tol=0.0,
    check_undefined_grad=True,
    check_grad_dtypes=False,
    check_batched_grad=False,
    check_fwd_over_rev=False,
    check_rev_over_rev=True,
    fast_mode=False,
    masked=False,
) -> bool:
    """torch.autograd.gradgradcheck: gradcheck of the function's vector-Jacobian product."""
    import torchjax

    from . import grad as autograd_grad

    T = _tensor_cls()
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outs = _differentiable_outputs(_as_tuple(func(*inputs)))
        rng = np.random.RandomState(0)
        grad_outputs = tuple(
            torchjax.tensor(rng.uniform(-1, 1, tuple(o.shape)), dtype=o.dtype).requires_grad_(True)
            for o in outs
        )
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)

    def new_func(*args):
        ins, gos = args[:n_in], args[n_in:]
        outs = _differentiable_outputs(_as_tuple(func(*ins)))
        diff = [x for x in ins if isinstance(x, T) and x.requires_grad]
        gs = autograd_grad(outs, diff, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(
        new_func,
        inputs + tuple(grad_outputs),
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        nondet_tol=nondet_tol,
        check_grad_dtypes=check_grad_dtypes,
        fast_mode=fast_mode,
    )
