"""torch.func on JAX transforms.

The user's torch-style function runs on Tensors whose values are JAX tracers: every torchjax op
is a JAX function, so ``jax.grad``/``jax.vjp``/``jax.jvp``/``jax.vmap``/``jax.jacrev`` see through
it. Around a transform:

- Tensor leaves of the arguments (pytrees: tuples, lists, dicts) become arrays for JAX and are
  wrapped back as Tensors inside (``wrap`` takes tracers); other leaves are passed unchanged.
- The user's function runs with grad mode off, so no eager graph is recorded on tracers.
- Results are Tensors. When grad mode is on and an argument requires grad, the whole
  transformed computation is recorded as one eager node (its backward is the JAX VJP of the
  transform), so ``torch.func.grad(f)(x).sum().backward()`` reaches ``x`` as in torch.

Tensors the function captures by closure are constants to the transform (gradients do not
flow to them through the eager node); pass them as arguments or use ``functional_call``.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from ..autograd import grad_mode
from ..autograd import graph as G

_depth = [0]


def active() -> bool:
    """True while a torch.func transform runs the user's function."""
    return _depth[0] > 0


def _T():
    from .._tensor import Tensor

    return Tensor


def _wrap(a):
    from .._tensor import wrap

    return wrap(a)


def _is_tensor(x):
    return isinstance(x, _T())


def _flatten(tree):
    return jax.tree_util.tree_flatten(tree, is_leaf=_is_tensor)


def _to_arrays(tree):
    return jax.tree_util.tree_map(
        lambda x: x._v() if _is_tensor(x) else x, tree, is_leaf=_is_tensor
    )


def _to_tensors(tree):
    return jax.tree_util.tree_map(lambda x: _wrap(x) if isinstance(x, jax.Array) else x, tree)


class _UserFn:
    """The user's function as a function of arrays: tensors in, tensors out, grad mode off."""

    def __init__(self, func):
        self.func = func

    def __call__(self, *args, **kwargs):
        args = _to_tensors(args)
        kwargs = _to_tensors(kwargs)
        prev = grad_mode.state.enabled
        grad_mode.state.enabled = False
        _depth[0] += 1
        try:
            return self.func(*args, **kwargs)
        finally:
            _depth[0] -= 1
            grad_mode.state.enabled = prev


def _outputs_to_arrays(out, what):
    leaves, tree = _flatten(out)
    for leaf in leaves:
        if not _is_tensor(leaf):
            raise RuntimeError(
                f"{what}: Expected f(*args) to return only tensors, got unsupported type {type(leaf)}"
            )
    return jax.tree_util.tree_unflatten(tree, [x._v() for x in leaves])


# ------------------------------------------------------------------ eager composition


class _TransformNode(G.Node):
    """An eager node for a whole transform call: its backward is the JAX VJP of the transform."""

    __slots__ = ("_pullback", "_out_avals", "_label")

    def name(self):
        return self._label

    def _apply_raw(self, grads):
        if self._pullback is None:
            raise RuntimeError(G._FREED_MSG)
        cts = []
        for g, (shape, dt) in zip(grads, self._out_avals):
            if not jnp.issubdtype(dt, jnp.inexact):
                cts.append(np.zeros(shape, jax.dtypes.float0))
            elif g is None:
                cts.append(jnp.zeros(shape, dt))
            else:
                cts.append(g.astype(dt) if g.dtype != dt else g)
        gs = self._pullback(tuple(cts))
        return [None if (g is None or g.dtype == jax.dtypes.float0) else g for g in gs]

    def apply(self, grads):
        out = self._apply_raw([None if g is None else g._v() for g in grads])
        return [None if g is None else _wrap(g) for g in out]

    def release(self):
        self._pullback = None


def call_transformed(label, jfun, args, kwargs=None):
    """Run ``jfun`` (a JAX function of the argument pytrees with arrays for tensors) on ``args``.

    Returns the output pytree with arrays wrapped as Tensors; records a ``_TransformNode`` when
    grad mode is on and a tensor argument requires grad.
    """
    kwargs = kwargs or {}
    leaves, tree = _flatten((args, kwargs))
    pos = [i for i, x in enumerate(leaves) if _is_tensor(x)]
    tensors = [leaves[i] for i in pos]
    arrays = [t._v() for t in tensors]

    def flat_fn(*arrs):
        ls = list(leaves)
        for i, a in zip(pos, arrs):
            ls[i] = a
        a, k = jax.tree_util.tree_unflatten(tree, ls)
        out = jfun(*a, **k)
        return jax.tree_util.tree_flatten(out)

    needs = grad_mode.state.enabled and any(
        t.requires_grad and (t.dtype.is_floating_point or t.dtype.is_complex) for t in tensors
    )
    if not needs:
        out_leaves, out_tree = flat_fn(*arrays)
        return jax.tree_util.tree_unflatten(out_tree, [_wrap(o) for o in out_leaves])

    diff = [
        k
        for k, t in enumerate(tensors)
        if t.requires_grad and (t.dtype.is_floating_point or t.dtype.is_complex)
    ]
    box = {}

    def diff_fn(*darrs):
        arrs = list(arrays)
        for k, a in zip(diff, darrs):
            arrs[k] = a
        out_leaves, out_tree = flat_fn(*arrs)
        box["tree"] = out_tree
        return tuple(out_leaves)

    out_leaves, pullback = jax.vjp(diff_fn, *[arrays[k] for k in diff])
    outs = [_wrap(o) for o in out_leaves]
    node = _TransformNode.__new__(_TransformNode)
    G.Node.__init__(node, tuple(G.gradient_edge(tensors[k]) for k in diff), len(outs))
    node._pullback = pullback
    node._out_avals = tuple((tuple(o.shape), o.dtype) for o in out_leaves)
    node._label = label
    for j, o in enumerate(outs):
        if o.dtype.is_floating_point or o.dtype.is_complex:
            o._grad_fn = node
            o._output_nr = j
    return jax.tree_util.tree_unflatten(box["tree"], outs)


# ------------------------------------------------------------------ helpers


def _norm_argnums(argnums, n, fname="grad"):
    if isinstance(argnums, int):
        nums = (argnums,)
    elif isinstance(argnums, tuple) and all(isinstance(a, int) for a in argnums):
        nums = argnums
        if len(nums) == 0:
            raise RuntimeError("argnums must be non-empty")
    else:
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    out = []
    for a in nums:
        if not -n <= a < n:
            raise RuntimeError(f"Got argnum={a}, but only {n} positional inputs")
        out.append(a % n)
    if len(set(out)) != len(out):
        raise RuntimeError(f"argnums must be unique, got {argnums}")
    return tuple(out)


def _check_floating(args, nums):
    for i in nums:
        for leaf in _flatten(args[i])[0]:
            if _is_tensor(leaf) and not (leaf.dtype.is_floating_point or leaf.dtype.is_complex):
                raise RuntimeError("only Tensors of floating point dtype can require gradients")


# ------------------------------------------------------------------ grad


def grad_and_value(func, argnums=0, has_aux=False):
    """torch.func.grad_and_value: (gradient w.r.t. ``argnums``, value) of a scalar function."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        nums = _norm_argnums(argnums, len(args))
        _check_floating(args, nums)
        user = _UserFn(func)

        def scalar_fn(*arr_args, **arr_kwargs):
            out = user(*arr_args, **arr_kwargs)
            aux = None
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise RuntimeError(
                        "grad_and_value(f)(*args): output of function f should be a tuple: (output, aux) "
                        "if has_aux is True"
                    )
                out, aux = out
            if not _is_tensor(out):
                raise RuntimeError(
                    f"grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got {type(out)}"
                )
            if out.dim() != 0:
                raise RuntimeError(
                    "grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor with "
                    f"{out.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs instead?"
                )
            return out._v(), _to_arrays(aux)

        def jfun(*arr_args, **arr_kwargs):
            (val, aux), g = jax.value_and_grad(scalar_fn, argnums=nums, has_aux=True)(
                *arr_args, **arr_kwargs
            )
            g = g[0] if isinstance(argnums, int) else g
            return (g, (val, aux)) if has_aux else (g, val)

        return call_transformed("GradAndValueBackward", jfun, args, kwargs)

    return wrapper


def grad(func, argnums=0, has_aux=False):
    """torch.func.grad: the gradient of a scalar function w.r.t. ``argnums``."""
    gv = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        g, rest = gv(*args, **kwargs)
        if has_aux:
            return g, rest[1]
        return g

    return wrapper


# ------------------------------------------------------------------ vjp / jvp / linearize


def vjp(func, *primals, has_aux=False):
    """torch.func.vjp: (output, vjp_fn[, aux]); ``vjp_fn(cotangents)`` gives one gradient per primal."""
    user = _UserFn(func)

    def f(*arr_primals):
        out = user(*arr_primals)
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError(
                    "vjp(f, *primals): output of function f should be a tuple: (output, aux) if has_aux is True"
                )
            out, aux = out
        return _outputs_to_arrays(out, "vjp(f, *primals)"), _to_arrays(aux)

    out, pullback, aux = jax.vjp(f, *_to_arrays(primals), has_aux=True)
    out_t = _to_tensors(out)
    out_tree = jax.tree_util.tree_structure(out)

    def vjp_fn(*cotangents, retain_graph=True, create_graph=False):
        ct = cotangents[0] if len(cotangents) == 1 else cotangents
        ct_arr = _to_arrays(ct)
        if jax.tree_util.tree_structure(ct_arr) != out_tree:
            raise RuntimeError(
                "Expected pytree structure of cotangents to be the same as pytree structure of outputs to the "
                f"function. cotangents: {_spec_str(ct)}, primal output: {_spec_str(out_t)}"
            )
        gs = pullback(ct_arr)
        return tuple(_to_tensors(g) for g in gs)

    if has_aux:
        return out_t, vjp_fn, _to_tensors(aux)
    return out_t, vjp_fn


def _spec_str(tree):
    leaves, t = _flatten(tree)
    s = str(jax.tree_util.tree_unflatten(t, ["*"] * len(leaves)))
    return s.replace("'*'", "*")


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """torch.func.jvp: (output, jvp_out[, aux]) for tuples of primals and tangents."""
    if not isinstance(primals, tuple):
        raise RuntimeError(
            "jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it should be valid to call f(*primals)."
        )
    if not isinstance(tangents, tuple):
        raise RuntimeError(
            "jvp(f, primals, tangents): Expected tangents to be a tuple. E.g. it should be valid to call "
            "f(*primals)."
        )
    if len(primals) != len(tangents):
        raise RuntimeError(
            "jvp(f, primals, tangents): Expected primals and tangents to have the same python structure. For "
            f"example, if primals is a tuple of 3 tensors, tangents also must be. Got primals with structure "
            f"{_spec_str(primals)} and tangents with structure {_spec_str(tangents)}"
        )
    user = _UserFn(func)

    def f(*arr_primals):
        out = user(*arr_primals)
        aux = None
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError(
                    "jvp(f, primals, tangents): output of function f should be a tuple: (output, aux) if "
                    "has_aux is True"
                )
            out, aux = out
        return _outputs_to_arrays(out, "jvp(f, primals, tangents)"), _to_arrays(aux)

    def jfun(p, t):
        (out, aux), (tout, _) = jax.jvp(f, tuple(p), tuple(t))
        return (out, tout, aux) if has_aux else (out, tout)

    return call_transformed("JvpBackward", jfun, (primals, tangents))


def linearize(func, *primals):
    """torch.func.linearize: (output, jvp_fn) with ``jvp_fn(*tangents)``."""
    user = _UserFn(func)

    def f(*arr_primals):
        return _outputs_to_arrays(user(*arr_primals), "linearize(f, *primals)")

    out, lin = jax.linearize(f, *_to_arrays(primals))

    def jvp_fn(*tangents):
        return _to_tensors(lin(*_to_arrays(tangents)))

    return _to_tensors(out), jvp_fn


# ------------------------------------------------------------------ jacobians


def _jac(kind, func, argnums, has_aux):
    jax_t = jax.jacrev if kind == "jacrev" else jax.jacfwd

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        nums = _norm_argnums(argnums, len(args))
        _check_floating(args, nums)
        user = _UserFn(func)

        def f(*arr_args, **arr_kwargs):
            out = user(*arr_args, **arr_kwargs)
            aux = None
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise RuntimeError(
                        f"{kind}(f, ...)(*args): output of function f should be a tuple: (output, aux) if "
                        "has_aux is True"
                    )
                out, aux = out
            return _outputs_to_arrays(out, f"{kind}(f, ...)(*args)"), _to_arrays(aux)

        def jfun(*arr_args, **arr_kwargs):
            jac, aux = jax_t(
                f, argnums=argnums if isinstance(argnums, int) else nums, has_aux=True
            )(*arr_args, **arr_kwargs)
            return (jac, aux) if has_aux else jac

        return call_transformed(kind.capitalize() + "Backward", jfun, args, kwargs)

    return wrapper


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    """torch.func.jacrev: the Jacobian by reverse mode (pytrees of outputs, then of argnums)."""
    return _jac("jacrev", func, argnums, has_aux)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """torch.func.jacfwd: the Jacobian by forward mode."""
    return _jac("jacfwd", func, argnums, has_aux)


def hessian(func, argnums=0):
    """torch.func.hessian: jacfwd(jacrev(func))."""
    return jacfwd(jacrev(func, argnums), argnums)


# ------------------------------------------------------------------ vmap


def _broadcast_prefix(prefix, tree, what):
    """Flatten ``prefix`` against ``tree``: one value per leaf of ``tree`` (torch's in_dims rules)."""
    out = []

    def rec(p, t):
        if isinstance(p, (int, type(None))) and not isinstance(p, bool):
            out.extend([p] * len(_flatten(t)[0]))
            return
        if isinstance(t, (tuple, list)) and isinstance(p, (tuple, list)) and len(p) == len(t):
            for a, b in zip(p, t):
                rec(a, b)
            return
        if isinstance(t, dict) and isinstance(p, dict) and set(p) == set(t):
            for k in sorted(t):  # jax flattens dicts in sorted key order
                rec(p[k], t[k])
            return
        raise ValueError(what)

    rec(prefix, tree)
    return out


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """torch.func.vmap over jax.vmap: ``in_dims``/``out_dims`` ints, None or nested structures."""
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(
            f"Only allowed values for randomness are 'error', 'different', or 'same'. Got {randomness}"
        )
    fname = getattr(func, "__name__", repr(func))

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if not isinstance(in_dims, (int, tuple)) or isinstance(in_dims, bool):
            if in_dims is not None:
                raise ValueError(
                    f"vmap({fname}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a "
                    f"(potentially nested) tuple matching the structure of inputs, got: {type(in_dims)}."
                )
        if len(args) == 0:
            raise ValueError(
                f"vmap({fname})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying to "
                "vmap over a function with no inputs. The latter is unsupported."
            )
        prefix = in_dims if isinstance(in_dims, tuple) else in_dims
        if isinstance(in_dims, tuple) and len(in_dims) != len(args):
            raise ValueError(
                f"vmap({fname}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the structure "
                f"of `inputs`. in_dims has structure {_spec_str(in_dims)} but inputs has structure "
                f"{_spec_str(args)}."
            )
        leaves, tree = _flatten(args)
        dims = _broadcast_prefix(
            prefix,
            args,
            (
                f"vmap({fname}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the structure of "
                f"`inputs`."
            ),
        )
        sizes = set()
        for leaf, d in zip(leaves, dims):
            if d is None:
                continue
            if not _is_tensor(leaf):
                raise ValueError(
                    f"vmap({fname}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for an input but the input "
                    f"is of type {type(leaf)}. We cannot vmap over non-Tensor arguments, please use None as the "
                    "respective in_dim"
                )
            if not -leaf.dim() <= d < max(leaf.dim(), 1) or leaf.dim() == 0:
                raise ValueError(
                    f"vmap({fname}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for some input, but that "
                    f"input is a Tensor of dimensionality {leaf.dim()} so expected in_dim to satisfy "
                    f"-{leaf.dim()} <= in_dim < {leaf.dim()}."
                )
            sizes.add(leaf.shape[d])
        if not sizes:
            raise ValueError(
                f"vmap({fname}, in_dims={in_dims}, ...)(<inputs>): at least one input must be a Tensor batched "
                "along some dimension (in_dims is None for every input)."
            )
        if len(sizes) > 1:
            got = [leaf.shape[d] for leaf, d in zip(leaves, dims) if d is not None]
            raise ValueError(
                f"vmap: Expected all tensors to have the same size in the mapped dimension, got sizes {got} for "
                "the mapped dimension"
            )
        pos = [i for i, leaf in enumerate(leaves) if _is_tensor(leaf)]
        axes = tuple(dims[i] for i in pos)
        user = _UserFn(func)
        out_box = {}

        def flat(*arrs):
            ls = list(leaves)
            for i, a in zip(pos, arrs):
                ls[i] = a
            a = jax.tree_util.tree_unflatten(tree, ls)
            out = user(*a, **_to_arrays(kwargs))
            o_leaves, o_tree = _flatten(out)
            for leaf in o_leaves:
                if not _is_tensor(leaf):
                    raise ValueError(
                        f"vmap({fname}, ...): `{fname}` must only return Tensors, got type {type(leaf)}. Did you "
                        "mean to set out_dims= to None for output?"
                    )
            out_box["tree"] = o_tree
            out_box["n"] = len(o_leaves)
            return tuple(x._v() for x in o_leaves)

        def jfun(*arrs):
            if isinstance(out_dims, int) and not isinstance(out_dims, bool):
                return jax.vmap(flat, in_axes=axes, out_axes=out_dims)(*arrs)
            # a structured out_dims is matched against the output structure, known after one trace
            jax.eval_shape(jax.vmap(flat, in_axes=axes), *arrs)
            o_struct = jax.tree_util.tree_unflatten(out_box["tree"], [0] * out_box["n"])
            per_leaf = tuple(
                _broadcast_prefix(
                    out_dims,
                    o_struct,
                    (
                        f"vmap({fname}, ..., out_dims={out_dims})(<inputs>): out_dims is not compatible with the "
                        "structure of `outputs`."
                    ),
                )
            )
            return jax.vmap(flat, in_axes=axes, out_axes=per_leaf)(*arrs)

        tensors = [leaves[i] for i in pos]
        res = call_transformed("VmapBackward", jfun, tuple(tensors))
        return jax.tree_util.tree_unflatten(out_box["tree"], list(res))

    return wrapper


# ------------------------------------------------------------------ functional_call


def _set_tensor(module, name, value):
    """Put ``value`` at dotted ``name`` in a (duck-typed) module; returns a restore callable."""
    *path, leaf = name.split(".")
    mod = module
    for p in path:
        mod = getattr(mod, p)
    for slot in ("_parameters", "_buffers"):
        d = getattr(mod, slot, None)
        if isinstance(d, dict) and leaf in d:
            old = d[leaf]
            d[leaf] = value

            def restore(d=d, old=old):
                d[leaf] = old

            return restore
    had = leaf in getattr(mod, "__dict__", {})
    old = getattr(mod, leaf, None)
    setattr(mod, leaf, value)

    def restore_attr(mod=mod, old=old, had=had):
        if had:
            setattr(mod, leaf, old)
        else:
            try:
                delattr(mod, leaf)
            except AttributeError:
                pass

    return restore_attr


def functional_call(
    module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True, strict=False
):
    """torch.func.functional_call: call ``module`` with its parameters and buffers replaced."""
    if isinstance(parameter_and_buffer_dicts, dict):
        values = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, (list, tuple)):
        keys = [k for d in parameter_and_buffer_dicts for k in d]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            raise ValueError(
                f"{dup} appeared in multiple dictionaries; behavior of functional call is ambiguous"
            )
        values = {k: v for d in parameter_and_buffer_dicts for k, v in d.items()}
    else:
        raise ValueError(
            f"Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but got "
            f"{type(parameter_and_buffer_dicts)}"
        )
    if strict:
        names = set()
        for attr in ("named_parameters", "named_buffers"):
            fn = getattr(module, attr, None)
            if fn is not None:
                names.update(n for n, _ in fn())
        missing = sorted(names - set(values))
        unexpected = sorted(set(values) - names)
        if missing or unexpected:
            parts = []
            if unexpected:
                parts.append("Unexpected key(s): " + ", ".join(repr(k) for k in unexpected) + ".")
            if missing:
                parts.append("Missing key(s): " + ", ".join(repr(k) for k in missing) + ".")
            raise RuntimeError(
                f"Error(s) in reparametrizing for {type(module).__name__}:\n\t" + "\n\t".join(parts)
            )
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    kwargs = kwargs or {}
    restores = []
    try:
        for name, value in values.items():
            restores.append(_set_tensor(module, name, value))
        return module(*args, **kwargs)
    finally:
        for r in reversed(restores):
            r()


def stack_module_state(models):
    """torch.func.stack_module_state: (params, buffers) dicts stacked over a list of modules."""
    import torchjax

    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    params = {}
    buffers = {}
    for name, _ in models[0].named_parameters():
        params[name] = torchjax.stack(
            [dict(m.named_parameters())[name].detach() for m in models]
        ).requires_grad_()
    if hasattr(models[0], "named_buffers"):
        for name, _ in models[0].named_buffers():
            buffers[name] = torchjax.stack([dict(m.named_buffers())[name] for m in models])
    return params, buffers
