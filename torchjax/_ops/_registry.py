"""The op registry: one declaration per op yields ``torchjax.X``, ``Tensor.X``, ``Tensor.X_`` and ``out=``.

An op is declared with a torch-style schema and a pure function on jax arrays::

    @op("add(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor",
        method=True, inplace=True, saves=())
    def add(input, other, alpha):
        return input + other * alpha

The registry parses the schema into a Python signature (so argument binding, defaults and
keyword names are torch's), applies torch's type promotion to the tensor/scalar arguments,
runs the function through a jitted kernel keyed by the static arguments, wraps the results,
records the autograd node (the VJP of the same function), and derives the in-place and
``out=`` variants. View ops (``@view_op``) share storage instead of computing a new buffer;
``@composite`` ops are written with other torchjax ops and get the same wrappers.
"""

from __future__ import annotations

import builtins
import math
import re
import types
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, make_view, wrap
from ..autograd import grad_mode
from ..autograd import graph as G
from . import _dispatch

# parameter kinds
(
    TENSOR,
    OPT_TENSOR,
    TENSOR_LIST,
    OPT_TENSOR_LIST,
    TENSOR_OR_SCALAR,
    SCALAR,
    OPT_SCALAR,
    STATIC,
    PASS,
) = range(9)
_DYNAMIC = (TENSOR, OPT_TENSOR, TENSOR_LIST, OPT_TENSOR_LIST, TENSOR_OR_SCALAR, SCALAR, OPT_SCALAR)
_LISTS = (TENSOR_LIST, OPT_TENSOR_LIST)

_KIND = {
    "Tensor": TENSOR,
    "Tensor?": OPT_TENSOR,
    "Tensor[]": TENSOR_LIST,
    "Tensor?[]": OPT_TENSOR_LIST,
    "Tensor|Scalar": TENSOR_OR_SCALAR,
    "Scalar": SCALAR,
    "Scalar?": OPT_SCALAR,
    "Generator?": PASS,
    "Any": PASS,
}

namespaces: dict[str, types.SimpleNamespace] = {}
OPS: dict[str, Op] = {}
_METHODS: dict[str, object] = {}


def namespace(name: str) -> types.SimpleNamespace:
    ns = namespaces.get(name)
    if ns is None:
        ns = namespaces[name] = types.SimpleNamespace()
    return ns


class Param:
    __slots__ = (
        "name",
        "type",
        "kind",
        "default",
        "has_default",
        "kwonly",
        "varargs",
        "promote",
        "edge",
    )

    def __repr__(self):
        return f"Param({self.type} {self.name})"


_PARAM_RE = re.compile(
    r"^(?P<type>[\w\[\]\?\|\.]+(?:\(\w!?\))?)\s+(?P<star>\*)?(?P<name>\w+)(?:\s*=\s*(?P<default>.+))?$"
)


def _split_top(s: str):
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


def parse_schema(schema: str):
    schema = re.sub(r"\(\w!?\)", "", schema)  # alias annotations: Tensor(a) -> Tensor
    m = re.match(r"^\s*([\w\.]+)\((.*?)\)\s*(?:->\s*(.+))?$", schema, re.S)
    if not m:
        raise ValueError(f"bad schema {schema!r}")
    name, params_s, ret = m.group(1), m.group(2), (m.group(3) or "Tensor").strip()
    params = []
    kwonly = False
    for ps in _split_top(params_s):
        if ps == "*":
            kwonly = True
            continue
        pm = _PARAM_RE.match(ps)
        if not pm:
            raise ValueError(f"bad parameter {ps!r} in {schema!r}")
        p = Param()
        t = re.sub(r"\(\w!?\)", "", pm.group("type"))
        p.type = t
        p.kind = _KIND.get(t, STATIC)
        p.name = pm.group("name")
        p.varargs = pm.group("star") is not None
        d = pm.group("default")
        p.has_default = d is not None
        p.default = _eval_default(d) if d is not None else None
        p.kwonly = kwonly
        p.promote = False
        params.append(p)
    return name, params, _parse_return(ret)


def _eval_default(d: str):
    d = d.strip()
    table = {
        "None": None,
        "True": True,
        "False": False,
        "[]": (),
        "inf": math.inf,
        "-inf": -math.inf,
    }
    if d in table:
        return table[d]
    if d.startswith("["):
        return tuple(_eval_default(x) for x in _split_top(d[1:-1]))
    if d.startswith(("'", '"')):
        return d[1:-1]
    try:
        return int(d)
    except ValueError:
        return float(d)


def _parse_return(ret: str):
    ret = ret.strip()
    if ret.startswith("("):
        items = _split_top(ret[1:-1])
        names = []
        for it in items:
            parts = it.split()
            names.append(parts[1] if len(parts) > 1 else None)
        return ("tuple", len(items), tuple(names) if all(names) else None)
    if ret == "Tensor[]":
        return ("list", None, None)
    if ret == "Tensor":
        return ("tensor", 1, None)
    return ("other", 1, None)


# ------------------------------------------------------------------ return types


class _ReturnType(tuple):
    """torch.return_types.X: a named tuple printed as torch prints it."""

    _fields: tuple = ()

    def __new__(cls, values):
        return tuple.__new__(cls, values)

    def __repr__(self):
        body = ",\n".join(f"{n}={v!r}" for n, v in zip(self._fields, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    def __reduce__(self):
        return (type(self), (tuple(self),))


return_types = types.SimpleNamespace()


def return_type(name: str, fields):
    cls = getattr(return_types, name, None)
    if cls is None:
        ns = {"_fields": tuple(fields), "__slots__": ()}
        for i, f in enumerate(fields):
            ns[f] = property(lambda self, i=i: self[i])
        cls = type(name, (_ReturnType,), ns)
        cls.__module__ = "torch.return_types"
        setattr(return_types, name, cls)
    return cls


# ------------------------------------------------------------------ specs


def _cast(v, dt):
    return v if dt is None or v is None or v.dtype == dt else v.astype(dt)


class OpSpec:
    """(op, argument layout, cast plan, static values, output cast): the static key of a kernel call."""

    __slots__ = ("op", "layout", "plan", "statics", "post", "_hash")

    def __init__(self, op, layout, plan, statics, post=None):
        self.op = op
        self.layout = layout
        self.plan = plan
        self.statics = statics
        self.post = post
        self._hash = hash((op.name, layout, plan, statics, post))

    def __hash__(self):
        return self._hash

    def __eq__(self, o):
        return (
            type(o) is OpSpec
            and o.op is self.op
            and o.layout == self.layout
            and o.plan == self.plan
            and o.statics == self.statics
            and o.post == self.post
        )

    @property
    def name(self):
        return self.op.grad_name

    def with_post(self, post):
        return OpSpec(self.op, self.layout, self.plan, self.statics, post)

    def fn(self, *flat):
        args = []
        k = 0
        plan = self.plan
        for cnt, st in zip(self.layout, self.statics):
            if cnt is None:
                args.append(st)
            elif cnt < 0:
                args.append(_cast(flat[k], plan[k]))
                k += 1
            else:
                args.append(tuple(_cast(flat[k + i], plan[k + i]) for i in range(cnt)))
                k += cnt
        out = self.op.fn(*args)
        if not isinstance(out, tuple):
            out = (out,)
        if self.post is not None:
            out = (out[0].astype(self.post),) + out[1:]
        return out


# ------------------------------------------------------------------ the op record


# parameters torch's derivative formulas never differentiate: no next_functions entry
_INDEX_PARAMS = frozenset({"index", "indices", "mask", "condition"})


class Op:
    """One declared op."""

    def __init__(
        self,
        schema,
        fn,
        *,
        method,
        function,
        inplace,
        out,
        promote,
        grad,
        saves,
        saves_result,
        check,
        differentiable,
        namespace_,
        kind,
        scalar_edge=True,
        no_edge=(),
    ):
        name, params, ret = parse_schema(schema)
        self.schema = schema
        self.name = name
        self.short = name.rsplit(".", 1)[-1]
        self.fn = fn
        self.params = params
        self.ret = ret
        self.kind = kind
        self.promote = promote
        self.check = check
        self.differentiable = differentiable
        self.grad_name = grad or (_camel(name) + "Backward0")
        self.saves = None if saves == "all" else saves
        self.saves_result = saves_result
        self.ns = namespace_
        # torch's Scalar overloads (pow.Tensor_Scalar, fmod.Scalar ...) give a number no edge
        # in next_functions; non-differentiable tensor inputs (where's condition) get none either
        self.scalar_edge = scalar_edge
        for p in params:
            p.edge = p.name not in no_edge and p.name not in _INDEX_PARAMS
        if isinstance(promote, (tuple, list)):
            self.promote_mode = "default"
            promote_names = set(promote)
        elif isinstance(promote, str) and ":" in promote:
            mode, names = promote.split(":", 1)
            self.promote_mode = mode
            promote_names = set(names.split(","))
        else:
            self.promote_mode = promote
            promote_names = None
        for p in params:
            if promote_names is not None:
                p.promote = p.name in promote_names
            else:
                p.promote = p.kind in (TENSOR, OPT_TENSOR, TENSOR_LIST, TENSOR_OR_SCALAR) or (
                    p.kind in (SCALAR, OPT_SCALAR) and not p.kwonly
                )
        self._specs: dict = {}
        self.kernel = jax.jit(_dispatch._run, static_argnums=0)
        self.method = method
        self.function = function
        self.inplace = inplace
        self.out = out

    def __repr__(self):
        return f"<op {self.name}>"


def _camel(name: str) -> str:
    parts = re.split(r"[._]", name)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


# ------------------------------------------------------------------ calling


def _scalar_value(a, name, opname):
    if isinstance(a, Tensor):
        if a.numel() != 1:
            raise RuntimeError(f"{opname}(): argument '{name}' must be Number, not Tensor")
        return a.item()
    if isinstance(
        a, (builtins.bool, builtins.int, builtins.float, builtins.complex, np.number, np.bool_)
    ):
        return a
    raise TypeError(f"{opname}(): argument '{name}' must be Number, not {type(a).__name__}")


_SCALARS: dict = {}


def _np_scalar(v, dt):
    """A Python scalar as a 0-d array of dtype ``dt``, cached on the device.

    A numpy argument is transferred on every kernel call; a cached (uncommitted) device array
    is not, and scalars such as 1, 2, 0.5 recur constantly.
    """
    if dt is None:
        dt = D.scalar_dtype(v)._np
    tv = type(v)
    # -0.0 == 0.0 hash alike, but their sign matters (1 / -0.0, copysign)
    key = (v, tv, dt, math.copysign(1.0, v) if tv is float else (repr(v) if tv is complex else 0))
    try:
        r = _SCALARS.get(key)
    except TypeError:  # unhashable (numpy array scalars)
        r = None
        key = None
    if r is not None:
        return r
    try:
        a = np.asarray(v, dt)
    except (OverflowError, ValueError):
        a = np.array(v).astype(dt)
    if key is None or isinstance(v, float) and v != v:
        return a
    if len(_SCALARS) > 4096:
        _SCALARS.clear()
    r = _SCALARS[key] = jax.device_put(a)
    return r


def _static_value(p, a, opname):
    t = p.type
    if a is None:
        return None
    if t in ("int[]", "int[]?", "SymInt[]", "int[1]", "int[2]", "int[3]", "float[]", "float[]?"):
        if isinstance(a, Tensor):
            a = a.tolist()
            return tuple(a) if isinstance(a, list) else (a,)
        if isinstance(a, (list, tuple)):
            return tuple(
                x.__index__()
                if hasattr(x, "__index__") and not isinstance(x, builtins.float)
                else x
                for x in a
            )
        if hasattr(a, "__index__") or isinstance(a, builtins.float):
            return (a.__index__() if hasattr(a, "__index__") else a,)
        raise TypeError(
            f"{opname}(): argument '{p.name}' must be tuple of ints, not {type(a).__name__}"
        )
    if t in ("int", "int?", "SymInt"):
        if isinstance(a, Tensor):
            return a.__index__()
        if hasattr(a, "__index__") and not isinstance(a, builtins.float):
            return a.__index__()
        raise TypeError(f"{opname}(): argument '{p.name}' must be int, not {type(a).__name__}")
    if t in ("float", "float?"):
        if isinstance(a, Tensor):
            return builtins.float(a.item())
        return a
    if t in ("bool", "bool?"):
        return builtins.bool(a)
    if t in ("dim", "dim?"):
        # int or tuple of ints, or None
        if isinstance(a, (list, tuple)):
            return tuple(x.__index__() for x in a)
        if isinstance(a, Tensor):
            return a.__index__()
        if hasattr(a, "__index__"):
            return a.__index__()
        raise TypeError(
            f"{opname}(): argument '{p.name}' must be int or tuple of ints, not {type(a).__name__}"
        )
    return a


def call(op: Op, args, out=None, inplace=False):
    """Run ``op`` on bound arguments (in parameter order)."""
    if op.check is not None:
        op.check(*args)
    params = op.params
    layout = []
    statics = []
    dyn = []
    tins = []
    promo_t = []
    promo_s = []
    promo_pos = []
    lazy_scalars = []
    edge_pos = []
    for p, a in zip(params, args):
        kind = p.kind
        if kind == STATIC or kind == PASS:
            layout.append(None)
            statics.append(_static_value(p, a, op.short) if kind == STATIC else a)
            continue
        statics.append(None)
        if kind == TENSOR or kind == OPT_TENSOR or kind == TENSOR_OR_SCALAR:
            if p.edge and (op.scalar_edge or isinstance(a, Tensor) or a is None):
                edge_pos.append(len(dyn))
            if isinstance(a, Tensor):
                layout.append(-1)
                if p.promote:
                    promo_t.append((a._dtype, len(a._shape)))
                    promo_pos.append(len(dyn))
                dyn.append(a._v())
                tins.append(a)
            elif a is None and kind == OPT_TENSOR:
                layout.append(-1)
                dyn.append(None)
                tins.append(None)
            elif kind == TENSOR_OR_SCALAR and _is_number(a):
                layout.append(-1)
                if p.promote:
                    promo_s.append(a)
                    promo_pos.append(len(dyn))
                lazy_scalars.append(len(dyn))
                dyn.append(a)
                tins.append(None)
            else:
                raise TypeError(_arg_type_error(op, p, a, "Tensor"))
        elif kind == TENSOR_LIST or kind == OPT_TENSOR_LIST:
            if isinstance(a, Tensor) or not isinstance(a, (list, tuple)):
                raise TypeError(_arg_type_error(op, p, a, "tuple of Tensors"))
            layout.append(len(a))
            for x in a:
                if p.edge:
                    edge_pos.append(len(dyn))
                if isinstance(x, Tensor):
                    if p.promote:
                        promo_t.append((x._dtype, len(x._shape)))
                        promo_pos.append(len(dyn))
                    dyn.append(x._v())
                    tins.append(x)
                elif x is None and kind == OPT_TENSOR_LIST:
                    dyn.append(None)
                    tins.append(None)
                else:
                    raise TypeError(
                        f"expected Tensor as element {len(tins) - 0} in argument {params.index(p)}, but got {type(x).__name__}"
                    )
        else:  # SCALAR / OPT_SCALAR
            layout.append(-1)
            if a is None:
                if kind != OPT_SCALAR:
                    raise TypeError(_arg_type_error(op, p, a, "Number"))
                dyn.append(None)
                tins.append(None)
                continue
            v = _scalar_value(a, p.name, op.short)
            if p.promote:
                promo_s.append(v)
                promo_pos.append(len(dyn))
            lazy_scalars.append(len(dyn))
            dyn.append(v)
            tins.append(None)

    # type promotion
    mode = op.promote_mode
    plan = [None] * len(dyn)
    compute = None
    if mode != "none" and (promo_t or promo_s):
        compute = D.result_dtype(promo_t, promo_s)
        if mode == "float" and not (compute.is_floating_point or compute.is_complex):
            compute = D.get_default_dtype()
        elif callable(mode):
            compute = mode(compute, args)
        cnp = compute._np
        for k in promo_pos:
            if k not in lazy_scalars and dyn[k].dtype != cnp:
                plan[k] = cnp
    cnp = compute._np if compute is not None else None
    for k in lazy_scalars:
        dyn[k] = _np_scalar(dyn[k], cnp if (k in promo_pos or cnp is not None) else None)

    key = (tuple(layout), tuple(plan), tuple(statics))
    spec = op._specs.get(key)
    if spec is None:
        spec = op._specs[key] = OpSpec(op, *key)
    dyn = tuple(dyn)

    grad_on = grad_mode.state.enabled
    if inplace:
        self = args[0]
        if grad_on or self._is_inference:
            check_inplace(self, grad_on)
        if out is not None:
            raise RuntimeError("in-place ops take no out=")
    try:
        outs = op.kernel(spec, *dyn)
    except (TypeError, ValueError) as e:  # jnp raises either for incompatible shapes
        raise _translate_jax_error(e, op) from None

    if inplace:
        return _finish_inplace(op, spec, self, outs, tins, dyn, grad_on, edge_pos)
    res = [wrap(o) for o in outs]
    if out is not None:
        if grad_on and any(t is not None and t.requires_grad for t in tins):
            raise RuntimeError(
                f"{op.short}(): functions with out=... arguments don't support automatic "
                "differentiation, but one of the arguments requires grad."
            )
        return _write_out(op, res, out)
    if grad_on and op.differentiable:
        for t in tins:
            if t is not None and t.requires_grad:
                G.record(
                    spec, tins, dyn, res, _saves_positions(op, spec), op.saves_result, edge_pos
                )
                break
    return _pack(op, res)


def _is_number(a):
    return isinstance(
        a, (builtins.bool, builtins.int, builtins.float, builtins.complex, np.number, np.bool_)
    )


def _saves_positions(op, spec):
    if op.saves is None:
        return None
    pos = set()
    k = 0
    for p, cnt in zip(op.params, spec.layout):
        if cnt is None:
            continue
        n = 1 if cnt < 0 else cnt
        if p.name in op.saves:
            pos.update(range(k, k + n))
        k += n
    return pos


def _arg_type_error(op, p, a, expected):
    pos = [q.name for q in op.params].index(p.name) + 1
    return f"{op.short}(): argument '{p.name}' (position {pos}) must be {expected}, not {type(a).__name__}"


def _translate_jax_error(e, op):
    msg = str(e)
    if "incompatible shapes for broadcasting" in msg.lower():
        shapes = [
            [int(x) for x in s.split(",") if x.strip()] for s in re.findall(r"\(([\d, ]*)\)", msg)
        ]
        # torch broadcasts operands left to right: report the first pair that fails
        acc = shapes[0] if shapes else []
        for b in shapes[1:]:
            err = broadcast_error(acc, b)
            if err is not None:
                return err
            n = max(len(acc), len(b))
            pa, pb = [1] * (n - len(acc)) + list(acc), [1] * (n - len(b)) + list(b)
            acc = [x if x != 1 else y for x, y in zip(pa, pb)]
    return e


def broadcast_error(a, b):
    n = max(len(a), len(b))
    a = [1] * (n - len(a)) + list(a)
    b = [1] * (n - len(b)) + list(b)
    for i in range(n - 1, -1, -1):
        if a[i] != b[i] and a[i] != 1 and b[i] != 1:
            return RuntimeError(
                f"The size of tensor a ({a[i]}) must match the size of tensor b ({b[i]}) at non-singleton dimension {i}"
            )
    return None


def check_inplace(self, grad_on=True):
    """torch's refusal to write in place into a leaf (or a view of a leaf) that requires grad,
    and into an inference tensor outside inference mode."""
    if self._is_inference and not grad_mode.state.inference:
        raise RuntimeError(
            "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to "
            "get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for "
            "more details."
        )
    if not grad_on:
        return
    if self._base is None:
        if self._requires_grad and self._grad_fn is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
    else:
        b = self._base
        if b._requires_grad and b._grad_fn is None:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place operation."
            )


def _finish_inplace(op, spec, self, outs, tins, dyn, grad_on, edge_pos=None):
    v = outs[0]
    sdt = self._dtype
    if tuple(v.shape) != tuple(self._shape):
        raise RuntimeError(
            f"output with shape {list(self._shape)} doesn't match the broadcast shape {list(v.shape)}"
        )
    rdt = D._FROM_NP[v.dtype]
    if rdt is not sdt:
        if not D.can_cast(rdt, sdt):
            raise RuntimeError(
                f"result type {rdt._scalar_name} can't be cast to the desired output type {sdt._scalar_name}"
            )
        v = v.astype(sdt._np)
        spec = spec.with_post(sdt._np)
    record = grad_on and op.differentiable and any(t is not None and t.requires_grad for t in tins)
    base_before = self._base._v() if (record and self._base is not None) else None
    self._write(v)
    if record:
        inplace_autograd(
            self,
            spec,
            tins,
            dyn,
            base_before,
            _saves_positions(op, spec),
            edge_pos,
            op.saves_result,
        )
    return self


def inplace_autograd(
    self, spec, tins, dyn, base_before, saves=None, edge_pos=None, saves_result=False
):
    """After ``self`` was overwritten by ``spec`` (inputs ``tins``/``dyn``, self first): rebase its graph."""
    if self._base is None:
        G.record(spec, tins, dyn, [self], saves, saves_result, edge_pos)
        self._rebase_gen += 1
        return
    base = self._base
    cs = G.CopySlicesSpec(G.RelView(base, self), spec)
    # the base enters CopySlices linearly; it need not be saved when the op saves neither self nor its result
    G.record(
        cs,
        [base] + list(tins[1:]),
        (base_before,) + tuple(dyn[1:]),
        [base],
        None if (saves_result or saves is None) else saves,
        False,
        edge_pos,
    )
    base._rebase_gen += 1


def _write_out(op, res, out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    if len(outs) != len(res):
        raise RuntimeError(f"{op.short}(): expected {len(res)} out tensors, got {len(outs)}")
    for r, o in zip(res, outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"{op.short}(): argument 'out' must be Tensor, not {type(o).__name__}")
        if r._dtype is not o._dtype and not D.can_cast(r._dtype, o._dtype):
            raise RuntimeError(
                f"result type {r._dtype._scalar_name} can't be cast to the desired output type {o._dtype._scalar_name}"
            )
    for r, o in zip(res, outs):
        copy_into_out(r._v(), o)
    return (
        out if isinstance(out, Tensor) else _pack(op, list(outs)) if op.ret[0] == "tuple" else out
    )


def resize_output(o, shape, stacklevel=3):
    """ATen's resize_output: resize ``out`` tensor ``o`` to ``shape`` (a no-op when it already has
    it), warning when an output with elements is resized."""
    shape = tuple(shape)
    if shape == tuple(o._shape):
        return o
    if o.numel() != 0:
        warnings.warn(
            f"An output with one or more elements was resized since it had shape {list(o._shape)}, "
            f"which does not match the required output shape {list(shape)}. This behavior is "
            "deprecated, and in a future PyTorch release outputs will not be resized unless they "
            "have zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, "
            "to zero elements with t.resize_(0).",
            UserWarning,
            stacklevel=stacklevel,
        )
    return resize_(o, shape)


def copy_into_out(v, o):
    """Write value ``v`` into ``out`` tensor ``o`` (resizing it as torch does)."""
    resize_output(o, v.shape, stacklevel=5)
    if v.dtype != o._dtype._np:
        v = v.astype(o._dtype._np)
    o._write(v)


def resize_(t, shape):
    """Tensor.resize_: keep the storage when it is large enough, else grow a fresh one."""
    from .. import _storage as S

    shape = tuple(shape)
    n = math.prod(shape)
    if t._stride_ is None and t._shape == shape:
        return t
    needed = t._offset + n
    s = t._storage
    if needed > s.size:
        old = s.flat()
        new = jnp.zeros((needed,), old.dtype).at[: s.size].set(old)
        s.replace(new)
        s.size = needed  # the storage grew (replace() assumes the element count is unchanged)
    t._shape = tuple.__new__(type(t._shape), shape)
    t._stride_ = S.contiguous_strides(shape)
    t._cache_gen = -1
    return t


def _pack(op, res):
    kind = op.ret[0]
    if kind == "tensor" or kind == "other":
        return res[0]
    if kind == "tuple":
        names = op.ret[2]
        if names:
            # torch names namespaced ones after the full name: torch.return_types.linalg_svd
            return return_type(op.name.replace(".", "_"), names)(res)
        return tuple(res)
    return tuple(res)


# ------------------------------------------------------------------ views


class ViewSpec:
    """A view op as a function of its input's value (for its value and its VJP)."""

    __slots__ = ("op", "statics", "_hash")

    def __init__(self, op, statics):
        self.op = op
        self.statics = statics
        self._hash = hash((op.name, statics))

    def __hash__(self):
        return self._hash

    def __eq__(self, o):
        return type(o) is ViewSpec and o.op is self.op and o.statics == self.statics

    @property
    def name(self):
        return self.op.grad_name

    def fn(self, x):
        out = self.op.fn(x, *self.statics)
        return out if isinstance(out, tuple) else (out,)


def call_view(op: Op, args):
    """A view op: outputs share the input's storage; values come from the op's jax function."""
    t = args[0]
    if not isinstance(t, Tensor):
        raise TypeError(_arg_type_error(op, op.params[0], t, "Tensor"))
    statics = tuple(_static_value(p, a, op.short) for p, a in zip(op.params[1:], args[1:]))
    metas = op.meta(t, *statics)
    multi = isinstance(metas, list)
    if not multi:
        metas = [metas]
    spec = op._specs.get(statics)
    if spec is None:
        spec = op._specs[statics] = ViewSpec(op, statics)
    s = t._storage
    if t._cache_gen == s.gen and t._cache is not None:
        vals = op.kernel(spec, t._cache)
    else:
        vals = (None,) * len(metas)
    outs = [
        make_view(t, shape, stride, offset, v) for (shape, stride, offset), v in zip(metas, vals)
    ]
    if (
        grad_mode.state.enabled
        and t.requires_grad
        and (t._dtype.is_floating_point or t._dtype.is_complex)
    ):
        G.record(spec, [t], (t._v(),), outs, set(), False)
    elif not grad_mode.state.enabled:
        for o in outs:
            o._view_fn_gen = o._base._rebase_gen
    if multi:
        return tuple(outs)
    return outs[0]


# ------------------------------------------------------------------ declaration


def _install(op, func_impl, method_impl, inplace_impl):
    ns = namespace(op.ns)
    if op.function and func_impl is not None:
        if hasattr(ns, op.short) and getattr(getattr(ns, op.short), "_op", None) is not op:
            raise RuntimeError(
                f"duplicate registration of {op.ns + '.' if op.ns else ''}{op.short}"
            )
        setattr(ns, op.short, func_impl)
    if op.method and method_impl is not None:
        mname = op.method if isinstance(op.method, str) else op.short
        if mname in _METHODS:
            raise RuntimeError(f"duplicate registration of Tensor.{mname}")
        _METHODS[mname] = method_impl
        setattr(Tensor, mname, method_impl)
    if op.inplace and inplace_impl is not None:
        iname = (op.method if isinstance(op.method, str) else op.short) + "_"
        if iname in _METHODS:
            raise RuntimeError(f"duplicate registration of Tensor.{iname}")
        _METHODS[iname] = inplace_impl
        setattr(Tensor, iname, inplace_impl)
        if op.function and op.ns == "" and not hasattr(ns, iname):
            f = _make_inplace_function(inplace_impl, iname)
            setattr(ns, iname, f)
    OPS[op.name] = op


def _make_inplace_function(m, name):
    def f(input, *args, **kwargs):
        return m(input, *args, **kwargs)

    f.__name__ = name
    return f


def _gen_wrapper(op, fname, target, self_name=None, inplace=False, with_out=False):
    """Generate a Python function with the op's exact signature that calls ``target``."""
    sig = []
    call_args = []
    g = {"_target": target, "_OP": op, "_unpack": _unpack_varargs, "_Tensor": Tensor}
    seen_kwonly = False
    varargs = None
    for i, p in enumerate(op.params):
        pname = p.name if not (i == 0 and self_name) else self_name
        if p.kwonly and not seen_kwonly:
            if varargs is None:
                sig.append("*")
            seen_kwonly = True
        if p.varargs:
            sig.append(f"*{pname}")
            varargs = pname
            call_args.append(pname)
            continue
        if p.has_default:
            g[f"_d{i}"] = p.default
            sig.append(f"{pname}=_d{i}")
        else:
            sig.append(pname)
        call_args.append(pname)
    if with_out:
        if not seen_kwonly and varargs is None:
            sig.append("*")
        sig.append("out=None")
    if varargs is not None:
        sig.append("**_kw")
    body = []
    if varargs is not None:
        body.append(f"    {varargs} = _unpack({varargs}, _kw, {varargs!r}, {op.short!r})")
    out_expr = "out" if with_out else "None"
    body.append(f"    return _target(_OP, ({', '.join(call_args)},), {out_expr}, {inplace})")
    src = f"def {fname}({', '.join(sig)}):\n" + "\n".join(body) + "\n"
    exec(compile(src, f"<torchjax op {op.name}>", "exec"), g)  # noqa: S102
    f = g[fname]
    f._op = op
    f.__doc__ = _doc(op)
    f.__qualname__ = fname
    return f


def _unpack_varargs(v, kw, name, opname):
    if kw:
        if name in kw and not v:
            v = kw.pop(name)
            if not isinstance(v, (tuple, list)):
                v = (v,)
        if kw:
            k = next(iter(kw))
            raise TypeError(f"{opname}() got an unexpected keyword argument '{k}'")
    if len(v) == 1 and isinstance(v[0], (tuple, list)):
        return tuple(v[0])
    if len(v) == 1 and v[0] is None:
        return None
    return tuple(v)


def _doc(op):
    return f"Mirrors torch.{op.name}: {op.schema}"


def _target_op(op, args, out, inplace):
    return call(op, args, out, inplace)


def _target_view(op, args, out, inplace):
    return call_view(op, args)


def _target_composite(op, args, out, inplace):
    if inplace:
        self = args[0]
        if grad_mode.state.enabled or self._is_inference:
            check_inplace(self, grad_mode.state.enabled)
        r = op.fn(*args)
        if isinstance(r, tuple):
            r = r[0]
        return self.copy_(r)
    r = op.fn(*args)
    if out is not None:
        rs = r if isinstance(r, tuple) else (r,)
        if grad_mode.state.enabled and any(isinstance(a, Tensor) and a.requires_grad for a in args):
            raise RuntimeError(
                f"{op.short}(): functions with out=... arguments don't support automatic "
                "differentiation, but one of the arguments requires grad."
            )
        return _write_out(op, list(rs), out)
    return r


def _declare(
    kind,
    schema,
    *,
    method=False,
    function=True,
    inplace=False,
    out=None,
    promote="default",
    grad=None,
    saves="all",
    saves_result=False,
    check=None,
    differentiable=True,
    namespace="",
    meta=None,
    scalar_edge=True,
    no_edge=(),
):
    def deco(fn):
        op = Op(
            schema,
            fn,
            method=method,
            function=function,
            inplace=inplace,
            out=(out if out is not None else (kind == "op" and function)),
            promote=promote,
            grad=grad,
            saves=saves,
            saves_result=saves_result,
            check=check,
            differentiable=differentiable,
            namespace_=namespace,
            kind=kind,
            scalar_edge=scalar_edge,
            no_edge=tuple(no_edge),
        )
        op.meta = meta
        target = {"op": _target_op, "view": _target_view, "composite": _target_composite}[kind]
        fimpl = (
            _gen_wrapper(op, op.short, target, with_out=bool(op.out) and kind != "view")
            if function
            else None
        )
        mimpl = (
            _gen_wrapper(
                op, op.method if isinstance(op.method, str) else op.short, target, self_name="self"
            )
            if method
            else None
        )
        iimpl = (
            _gen_wrapper(
                op,
                (op.method if isinstance(op.method, str) else op.short) + "_",
                target,
                self_name="self",
                inplace=True,
            )
            if inplace
            else None
        )
        _install(op, fimpl, mimpl, iimpl)
        fn.op = op
        return fimpl or mimpl

    return deco


def op(schema, **kw):
    """Declare an op as a pure function on jax arrays (see module docstring)."""
    return _declare("op", schema, **kw)


def view_op(schema, *, meta, **kw):
    """Declare a view op: ``meta(tensor, *statics) -> (shape, stride, offset)`` (or a list of
    them) gives the views' layout, the decorated jax function their values."""
    kw.setdefault("promote", "none")
    return _declare("view", schema, meta=meta, **kw)


def composite(schema, **kw):
    """Declare an op written with other torchjax ops (autograd comes from those ops)."""
    kw.setdefault("promote", "none")
    return _declare("composite", schema, **kw)


def method_only(schema, **kw):
    return op(schema, method=True, function=False, **kw)


def register_method(name, fn):
    """Install a hand-written Tensor method (for protocol methods that are not ops)."""
    if name in _METHODS:
        raise RuntimeError(f"duplicate registration of Tensor.{name}")
    _METHODS[name] = fn
    setattr(Tensor, name, fn)


def override_method(name, fn):
    """Replace a generated Tensor method by a hand-written front end (e.g. view(dtype) | view(*shape))."""
    if name not in _METHODS:
        raise RuntimeError(f"Tensor.{name} is not registered")
    _METHODS[name] = fn
    setattr(Tensor, name, fn)


def register_function(name, fn, ns=""):
    space = namespace(ns)
    if hasattr(space, name):
        raise RuntimeError(f"duplicate registration of {ns + '.' if ns else ''}{name}")
    setattr(space, name, fn)
    return fn
