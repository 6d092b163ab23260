"""Products built on the BLAS ops (``blas.py``): cross / linalg.cross, linalg.multi_dot /
chain_matmul (torch's optimal parenthesization), linalg.vecdot, einsum (string and sublist
forms, torch's checks and messages); with linalg.vander and linalg.diagonal.

As in ``blas.py``, no type promotion (equal dtypes required, with torch's messages) and float32
products at ``Precision.HIGHEST``.
"""

from __future__ import annotations

import warnings

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import _registry as R
from ._registry import composite, op, register_function
from ._util import wrap_dim
from .blas import (
    HI,
    _is_t,
    _no_bool_uint,
    _shape_str,
    _write_out_composite,
    cname,
    matmul_raw,
    sname,
    strict_out,
)

# ------------------------------------------------------------------ cross


def _cross_fn(a, b, d):
    a, b = jnp.broadcast_arrays(a, b)
    a0, a1, a2 = (jnp.take(a, i, axis=d) for i in range(3))
    b0, b1, b2 = (jnp.take(b, i, axis=d) for i in range(3))
    return jnp.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=d)


def _check_cross(input, other, dim):
    if not _is_t(input, other):
        return
    if input.dim() != other.dim():
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if input.dtype is not other.dtype:
        raise RuntimeError(
            f"expected scalar type {sname(input.dtype)} but found {sname(other.dtype)}"
        )
    d = wrap_dim(dim, input.dim())
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} and {other.shape[d]}"
        )
    err = R.broadcast_error(list(input.shape), list(other.shape))
    if err is not None:
        raise err
    if input.dtype is D.bool or input.dtype in (D.uint16, D.uint32, D.uint64):
        raise NotImplementedError(f"\"cross\" not implemented for '{input.dtype._scalar_name}'")


@op(
    "linalg.cross(Tensor input, Tensor other, *, int dim=-1) -> Tensor",
    namespace="linalg",
    promote="none",
    check=lambda input, other, dim=-1: _check_cross(input, other, dim),
)
def linalg_cross(input, other, dim):
    return _cross_fn(input, other, wrap_dim(dim, input.ndim))


@op(
    "_cross(Tensor input, Tensor other, int dim) -> Tensor",
    namespace="_blas",
    promote="none",
    out=False,
    grad="LinalgCrossBackward0",
)
def _cross_op(input, other, dim):
    return _cross_fn(input, other, dim)


@composite("cross(Tensor input, Tensor other, int? dim=None) -> Tensor", method=True, out=True)
def cross(input, other, dim=None):
    if not _is_t(input, other):
        bad, name, pos = (
            (input, "input", 1) if not isinstance(input, Tensor) else (other, "other", 2)
        )
        raise TypeError(
            f"cross(): argument '{name}' (position {pos}) must be Tensor, not {type(bad).__name__}"
        )
    if dim is None:
        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the dim "
            "explicitly or simply use torch.linalg.cross.\nThe default value of dim will change to agree with "
            "that of linalg.cross in a future release.",
            UserWarning,
            stacklevel=3,
        )
        shape = (
            np.broadcast_shapes(tuple(input.shape), tuple(other.shape))
            if input.dim() == other.dim()
            else None
        )
        d = None
        if shape is not None:
            d = next((i for i, s in enumerate(shape) if s == 3), None)
        if d is None:
            if input.dim() != other.dim():
                raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
            raise RuntimeError("no dimension of size 3 in input")
        dim = d
    _check_cross(input, other, dim)
    return _cross_op(input, other, wrap_dim(dim, input.dim()))


# ------------------------------------------------------------------ multi_dot / chain_matmul


@op(
    "_multi_dot(Tensor[] tensors) -> Tensor",
    namespace="_blas",
    promote="none",
    out=False,
    grad="ViewBackward0",
)
def _multi_dot_fn(tensors):
    ts = list(tensors)
    first_1d = ts[0].ndim == 1
    last_1d = ts[-1].ndim == 1
    if first_1d:
        ts[0] = ts[0][None, :]
    if last_1d:
        ts[-1] = ts[-1][:, None]
    r = _chain(ts)
    if first_1d and last_1d:
        return r.reshape(())
    if first_1d:
        return r[0]
    if last_1d:
        return r[:, 0]
    return r


def _chain(ts):
    """Product of matrices in the cheapest order (the textbook matrix-chain order torch uses)."""
    n = len(ts)
    if n == 1:
        return ts[0]
    if n == 2:
        return matmul_raw(ts[0], ts[1])
    if n == 3:
        a, b = ts[0].shape[0], ts[0].shape[1]
        c, d = ts[2].shape[0], ts[2].shape[1]
        cost1 = a * c * (b + d)
        cost2 = b * d * (a + c)
        if cost1 > cost2:
            return matmul_raw(ts[0], matmul_raw(ts[1], ts[2]))
        return matmul_raw(matmul_raw(ts[0], ts[1]), ts[2])
    p = [t.shape[0] for t in ts] + [ts[-1].shape[1]]
    m = [[0] * n for _ in range(n)]
    s = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            m[i][j] = None
            for k in range(i, j):
                q = m[i][k] + m[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if m[i][j] is None or q < m[i][j]:
                    m[i][j] = q
                    s[i][j] = k

    def rec(i, j):
        if i == j:
            return ts[i]
        return matmul_raw(rec(i, s[i][j]), rec(s[i][j] + 1, j))

    return rec(0, n - 1)


def _check_multi_dot(tensors, name="multi_dot"):
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    d0, dl = tensors[0].dim(), tensors[-1].dim()
    if d0 not in (1, 2):
        raise RuntimeError(f"multi_dot(): the first tensor must be 1D or 2D but got {d0}D")
    if dl not in (1, 2):
        raise RuntimeError(f"multi_dot(): the last tensor must be 1D or 2D but got {dl}D")
    for i in range(1, n - 1):
        if tensors[i].dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {tensors[i].dim()}D")
    dt = tensors[0].dtype
    for i, t in enumerate(tensors):
        if t.dtype is not dt:
            raise RuntimeError(
                f"multi_dot(): all tensors must have be the same dtype but tensor 0 is {cname(dt)} and tensor {i} "
                f"{cname(t.dtype)}"
            )
    shapes = [tuple(t.shape) for t in tensors]
    shapes[0] = (1,) + shapes[0] if d0 == 1 else shapes[0]
    shapes[-1] = shapes[-1] + (1,) if dl == 1 else shapes[-1]
    for i in range(n - 1):
        if shapes[i][-1] != shapes[i + 1][0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {_shape_str(tensors[i].shape)} and "
                f"{_shape_str(tensors[i + 1].shape)} cannot be multiplied"
            )
    _no_bool_uint("addmm_impl_cpu_", dt)


@composite("linalg.multi_dot(Tensor[] tensors) -> Tensor", namespace="linalg", out=True)
def multi_dot(tensors):
    tensors = list(tensors)
    _check_multi_dot(tensors)
    return _multi_dot_fn(tensors)


def chain_matmul(*matrices, out=None):
    """torch.chain_matmul (deprecated in torch): the product of 2-D matrices."""
    warnings.warn(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
        "parameters.",
        UserWarning,
        stacklevel=2,
    )
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if len(matrices) == 0:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for t in matrices:
        if t.dim() != 2:
            raise RuntimeError(f"Tensor dimension is {t.dim()}, expected 2 instead.")
    if len(matrices) == 1:
        from . import api

        r = api.clone(matrices[0])
    else:
        _check_multi_dot(list(matrices))
        r = _multi_dot_fn(list(matrices))
    if out is not None:
        return _write_out_composite("chain_matmul", r, out, matrices)
    return r


register_function("chain_matmul", chain_matmul)


# ------------------------------------------------------------------ vecdot / vander / diagonal


def _check_vecdot(x, y, dim=-1):
    if not _is_t(x, y):
        return
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(
            f"linalg.vecdot: Expected a floating point or complex tensor as input. Got {sname(x.dtype)}"
        )
    if x.dtype is not y.dtype:
        raise RuntimeError(
            f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type {sname(x.dtype)} and y of "
            f"type {sname(y.dtype)} instead"
        )
    err = R.broadcast_error(list(x.shape), list(y.shape))
    if err is not None:
        raise err
    wrap_dim(dim, max(x.dim(), y.dim()))


@op(
    "linalg.vecdot(Tensor x, Tensor y, *, int dim=-1) -> Tensor",
    namespace="linalg",
    promote="none",
    check=_check_vecdot,
    grad="SumBackward1",
)
def vecdot(x, y, dim):
    x, y = jnp.broadcast_arrays(x, y)
    d = wrap_dim(dim, x.ndim)
    return jnp.sum(jnp.conj(x) * y, axis=d)


def _check_vander(x, N=None):
    if not isinstance(x, Tensor):
        return
    if x.dtype is D.bool or x.dtype in (D.float16, D.bfloat16):
        raise RuntimeError(
            f"linalg.vander supports floating point, complex, and integer tensors, but got {sname(x.dtype)}"
        )
    if N is None:
        N = x.shape[-1] if x.dim() > 0 else 1
    if N <= 1:
        raise RuntimeError("N must be greater than 1.")


@op(
    "linalg.vander(Tensor x, *, int? N=None) -> Tensor",
    namespace="linalg",
    promote="none",
    check=_check_vander,
    grad="CatBackward0",
    out=False,
)
def vander(x, N):
    if x.ndim == 0:
        x = x.reshape(1)
    if N is None:
        N = x.shape[-1]
    if jnp.issubdtype(x.dtype, jnp.integer):
        x = x.astype(np.int64)
    # cumulative product, as torch computes it (x^0 = 1, x^k = x^(k-1) * x)
    cols = [jnp.ones_like(x)]
    for _ in range(1, N):
        cols.append(cols[-1] * x)
    return jnp.stack(cols, axis=-1)


def _linalg_diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    from . import api

    return api.diagonal(A, offset, dim1, dim2)


register_function("diagonal", _linalg_diagonal, ns="linalg")


# ------------------------------------------------------------------ einsum


def _parse_subscripts(s, pos0=0):
    """Labels of one operand's subscripts: ints 0..51 (A-Z, a-z) and 'ell' for an ellipsis."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == ".":
            if s[i : i + 3] != "...":
                raise RuntimeError(
                    "einsum(): found '.' for operand 0 that is not part of any ellipsis"
                )
            out.append("ell")
            i += 3
            continue
        if c == " ":
            i += 1
            continue
        if "A" <= c <= "Z":
            out.append(ord(c) - ord("A"))
        elif "a" <= c <= "z":
            out.append(ord(c) - ord("a") + 26)
        else:
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {pos0 + i} in the equation string, subscripts must "
                "be in [a-zA-Z]"
            )
        i += 1
    return out


def _label_char(lab):
    return chr(ord("A") + lab) if lab < 26 else chr(ord("a") + lab - 26)


def _einsum_parse_string(eq, nops):
    if "->" in eq:
        lhs, rhs = eq.split("->", 1)
    else:
        lhs, rhs = eq, None
    terms = lhs.split(",")
    if len(terms) > nops:
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < nops:
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    subs = []
    pos = 0
    for t in terms:
        subs.append(_parse_subscripts(t, pos))
        pos += len(t) + 1
    out = _parse_subscripts(rhs, len(lhs) + 2) if rhs is not None else None
    return subs, out


def _sublist_labels(sub):
    out = []
    for x in sub:
        if x is Ellipsis:
            out.append("ell")
        else:
            x = int(x)
            if not 0 <= x < 52:
                raise RuntimeError(
                    "einsum(): subscript in subscript list is not within the valid range [0, 52)"
                )
            out.append(x)
    return out


def _einsum_spec(subs, out, shapes):
    """Validate and build the static einsum plan: per-operand label lists with ellipsis dims expanded."""
    ell_n = 0
    for i, (s, shp) in enumerate(zip(subs, shapes)):
        nlab = sum(1 for x in s if x != "ell")
        has_ell = "ell" in s
        if s.count("ell") > 1:
            raise RuntimeError(
                f"einsum(): found '.' for operand {i} for which an ellipsis was already found"
            )
        if (has_ell and nlab > len(shp)) or (not has_ell and nlab != len(shp)):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({nlab}) "
                + ("is more than" if has_ell else "does not match")
                + f" the number of dimensions ({len(shp)}) for operand {i}"
                + ("" if has_ell else " and no ellipsis was given")
            )
        if has_ell:
            ell_n = max(ell_n, len(shp) - nlab)
    # ellipsis dims get labels 52.. (right-aligned)
    ell_labels = list(range(52, 52 + ell_n))
    full = []
    for s, shp in zip(subs, shapes):
        if "ell" in s:
            k = len(shp) - (len(s) - 1)
            i = s.index("ell")
            full.append(s[:i] + ell_labels[ell_n - k :] + s[i + 1 :])
        else:
            full.append(list(s))
    counts = {}
    for f in full:
        for lab in f:
            counts[lab] = counts.get(lab, 0) + 1
    if out is None:
        out_full = ell_labels + sorted(lab for lab, c in counts.items() if c == 1 and lab < 52)
    else:
        seen = set()
        out_full = []
        for lab in out:
            if lab == "ell":
                if "ell" in seen:
                    raise RuntimeError(
                        "einsum(): found '.' for output but an ellipsis (...) was already found"
                    )
                seen.add("ell")
                out_full += ell_labels
                continue
            if lab in seen:
                raise RuntimeError(
                    f"einsum(): output subscript {_label_char(lab)} appears more than once in the output"
                )
            if lab not in counts:
                raise RuntimeError(
                    f"einsum(): output subscript {_label_char(lab)} does not appear in the equation for any input "
                    "operand"
                )
            seen.add(lab)
            out_full.append(lab)
    # sizes: repeated labels within an operand must match; across operands they broadcast
    sizes = {}
    for i, (f, shp) in enumerate(zip(full, shapes)):
        local = {}
        for lab, n in zip(f, shp):
            if lab in local and local[lab] != n:
                raise RuntimeError(
                    f"einsum(): subscript {_label_char(lab)} is repeated for operand {i} but the sizes don't match, "
                    f"{n} != {local[lab]}"
                )
            local[lab] = n
        for lab, n in local.items():
            prev = sizes.get(lab)
            if prev is None or prev == 1:
                sizes[lab] = n
            elif n != 1 and n != prev:
                if lab >= 52:
                    raise RuntimeError(
                        f"einsum(): operands do not broadcast with remapped shapes (original->remapped): "
                        f"{_shape_str(shp)}"
                    )
                raise RuntimeError(
                    f"einsum(): subscript {_label_char(lab)} has size {n} for operand {i} which does not broadcast "
                    f"with previously seen size {prev}"
                )
    return tuple(tuple(f) for f in full), tuple(out_full), tuple(sorted(sizes.items()))


@op(
    "_einsum(Tensor[] operands, Any spec) -> Tensor",
    namespace="_blas",
    promote="none",
    out=False,
    grad="ViewBackward0",
)
def _einsum_fn(operands, spec):
    full, out_full, sizes, presum = spec
    sizes = dict(sizes)
    ops = []
    subs = []
    for x, f, ps in zip(operands, full, presum):
        # broadcast size-1 dims to the common size
        tgt = tuple(sizes[lab] for lab in f)
        if tuple(x.shape) != tgt:
            x = jnp.broadcast_to(x, tgt)
        if ps:
            x = (
                x.astype(np.int64)
                if (jnp.issubdtype(x.dtype, jnp.integer) or x.dtype == np.bool_)
                else x
            )
        ops.append(x)
        subs.append(list(f))
    dt = ops[0].dtype
    for x in ops[1:]:
        dt = jnp.promote_types(dt, x.dtype)
    if dt == np.bool_:
        ops = [x.astype(np.int64) for x in ops]
        args = [a for pair in zip(ops, subs) for a in pair]
        return jnp.einsum(*args, list(out_full)) != 0
    ops = [x.astype(dt) for x in ops]
    args = [a for pair in zip(ops, subs) for a in pair]
    kw = {"preferred_element_type": jnp.float32} if dt in (jnp.float16, jnp.bfloat16) else {}
    r = jnp.einsum(*args, list(out_full), precision=HI, **kw)
    return r.astype(dt)


def einsum(*args):
    """torch.einsum(equation, *operands) or torch.einsum(op0, sublist0, op1, sublist1, ..., [sublist_out])."""
    if not args:
        raise TypeError(
            "einsum(): must specify the equation string and at least one operand, or at least one operand and its "
            "subscripts list"
        )
    if isinstance(args[0], str):
        eq = args[0]
        ops = list(args[1:])
        if len(ops) == 1 and isinstance(ops[0], (list, tuple)):
            ops = list(ops[0])
        if not ops:
            raise RuntimeError("einsum(): must provide at least one operand")
        for i, t in enumerate(ops):
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"einsum(): expected Tensor as element {i} in argument 1, but got {type(t).__name__}"
                )
        subs, out = _einsum_parse_string(eq, len(ops))
    else:
        ops, subs = [], []
        rest = list(args)
        while len(rest) >= 2 and isinstance(rest[0], Tensor):
            ops.append(rest.pop(0))
            subs.append(_sublist_labels(rest.pop(0)))
        out = _sublist_labels(rest.pop(0)) if rest else None
        if rest or not ops:
            raise TypeError(
                "einsum(): expected operand/sublist pairs followed by an optional output sublist"
            )
    full, out_full, sizes = _einsum_spec(subs, out, [tuple(t.shape) for t in ops])
    # labels summed away inside one operand (integer inputs then sum in int64, as torch does)
    counts = {}
    for f in full:
        for lab in set(f):
            counts[lab] = counts.get(lab, 0) + 1
    presum = tuple(any(counts[lab] == 1 and lab not in out_full for lab in f) for f in full)
    dts = []
    for t, ps in zip(ops, presum):
        d = t.dtype
        if ps and (d._cat <= D._INT):
            d = D.int64
        dts.append(d)
    if len(ops) > 1:
        left = set(full[0])
        dl = dts[0]
        for f, d in zip(full[1:], dts[1:]):
            contracted = any(lab in left and lab not in out_full for lab in f)
            if contracted:
                if d is not dl:
                    raise RuntimeError(f"expected scalar type {sname(dl)} but found {sname(d)}")
                _no_bool_uint("bmm", dl)
            else:
                dl = D.promote_types(dl, d)
            left |= set(f)
    return _einsum_fn(ops, (full, out_full, sizes, presum))


register_function("einsum", einsum)


# torch's kernels require out= to have the result's exact dtype
strict_out("", "cross")
strict_out("linalg", "cross")
strict_out(
    "linalg",
    "vecdot",
    lambda rd, od: f"linalg.vecdot: Expected out of dtype{sname(rd)} but found {sname(od)}",
)
for _ns, _name in (("linalg", "multi_dot"), ("", "chain_matmul")):
    strict_out(
        _ns,
        _name,
        lambda rd, od: (
            f"multi_dot(): expected out tensor to have dtype {cname(rd)} but got {cname(od)}"
        ),
    )
