"""Shared helpers for comparing torchjax with real torch 2.13.0 (tests only; torch is a test dependency).

- ``to_tj(x)`` / ``to_torch(x)``: convert tensors (nested in lists/tuples/dicts) between the two
  libraries, keeping dtype, requires_grad and the exact strided layout (shape, strides, offset).
- ``assert_same(tj, th)``: values (torch's default tolerances unless given), dtype, shape and,
  on request, strides; recurses into tuples/lists; Python scalars compare as values.
- ``both(fn, *args)``: run ``fn(lib, *args)`` on torch and on torchjax (args converted) and
  compare results, or check both raise the same exception type (and, optionally, message).
"""

from __future__ import annotations

import math
import re

import numpy as np
import torch

import torchjax

_DT_TO_TJ = {getattr(torch, n): getattr(torchjax, n) for n in (
    "bool", "uint8", "int8", "int16", "int32", "int64", "uint16", "uint32", "uint64",
    "float16", "bfloat16", "float32", "float64", "complex64", "complex128",
    "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
)}  # fmt: skip
_DT_TO_TH = {v: k for k, v in _DT_TO_TJ.items()}


def dtype_tj(d):
    return _DT_TO_TJ[d]


def dtype_th(d):
    return _DT_TO_TH[d]


def _np_of(t: torch.Tensor) -> np.ndarray:
    # a clone: .numpy() would make the torch tensor's own storage non-resizable
    t = t.detach().cpu().clone()
    if t.dtype == torch.bfloat16:
        return t.float().numpy()
    return t.resolve_conj().resolve_neg().numpy()


def to_tj(x, keep_layout=True):
    """A torchjax copy of torch data (same dtype, layout and requires_grad)."""
    if isinstance(x, torch.Tensor):
        dt = dtype_tj(x.dtype)
        if keep_layout and not x.is_contiguous() and x.numel() > 0:
            # rebuild the same storage, then view it with the same strides
            n = x.untyped_storage().nbytes() // x.element_size()
            flat = torch.as_strided(x.detach(), (n,), (1,), 0)
            base = torchjax.tensor(_np_of(flat), dtype=dt)
            out = base.as_strided(tuple(x.shape), tuple(x.stride()), x.storage_offset())
        else:
            out = torchjax.tensor(_np_of(x), dtype=dt)
        if x.requires_grad:
            out = out.detach()
            out.requires_grad_(True)
        return out
    if isinstance(x, torch.dtype):
        return dtype_tj(x)
    if isinstance(x, torch.Size):
        return torchjax.Size(x)
    if isinstance(x, torch.device):
        return torchjax.device(str(x))
    if isinstance(x, (list, tuple)):
        return (
            type(x)(to_tj(v, keep_layout) for v in x)
            if not hasattr(x, "_fields")
            else type(x)(*[to_tj(v, keep_layout) for v in x])
        )
    if isinstance(x, dict):
        return {k: to_tj(v, keep_layout) for k, v in x.items()}
    return x


def to_torch(x):
    """A torch copy of torchjax data."""
    if isinstance(x, torchjax.Tensor):
        a = np.asarray(x.detach().numpy())
        t = (
            torch.from_numpy(np.array(a)).to(dtype_th(x.dtype))
            if x.dtype is not torchjax.bfloat16
            else torch.from_numpy(np.array(a, np.float32)).bfloat16()
        )
        if x.requires_grad:
            t.requires_grad_(True)
        return t
    if isinstance(x, torchjax.dtype):
        return dtype_th(x)
    if isinstance(x, (list, tuple)):
        return type(x)(to_torch(v) for v in x)
    if isinstance(x, dict):
        return {k: to_torch(v) for k, v in x.items()}
    return x


def _tols(dtype, rtol, atol):
    if rtol is not None or atol is not None:
        return (rtol if rtol is not None else 0.0), (atol if atol is not None else 0.0)
    table = {
        torch.float16: (1e-3, 1e-5), torch.bfloat16: (1.6e-2, 1e-5), torch.float32: (1.3e-6, 1e-5),
        torch.float64: (1e-7, 1e-7), torch.complex64: (1.3e-6, 1e-5), torch.complex128: (1e-7, 1e-7),
    }  # fmt: skip
    return table.get(dtype, (0.0, 0.0))


def assert_same(
    tj,
    th,
    *,
    rtol=None,
    atol=None,
    check_dtype=True,
    check_stride=False,
    equal_nan=True,
    path="result",
):
    """Assert a torchjax result equals a torch result (values, dtype, shape[, strides])."""
    if isinstance(th, torch.Tensor):
        assert isinstance(tj, torchjax.Tensor), (
            f"{path}: expected a Tensor, got {type(tj).__name__}"
        )
        assert tuple(tj.shape) == tuple(th.shape), (
            f"{path}: shape {tuple(tj.shape)} != torch {tuple(th.shape)}"
        )
        if check_dtype:
            assert tj.dtype is dtype_tj(th.dtype), f"{path}: dtype {tj.dtype} != torch {th.dtype}"
        if check_stride:
            assert tuple(tj.stride()) == tuple(th.stride()), (
                f"{path}: stride {tj.stride()} != torch {th.stride()}"
            )
        a = np.asarray(tj.detach().numpy())
        b = _np_of(th)
        r, t = _tols(th.dtype, rtol, atol)
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            np.testing.assert_allclose(
                a.astype(np.complex128 if a.dtype.kind == "c" else np.float64),
                b.astype(np.complex128 if b.dtype.kind == "c" else np.float64),
                rtol=r,
                atol=t,
                equal_nan=equal_nan,
                err_msg=path,
            )
        else:
            np.testing.assert_array_equal(a, b, err_msg=path)
        return
    if isinstance(th, (tuple, list)):
        assert isinstance(tj, (tuple, list)), (
            f"{path}: expected a sequence, got {type(tj).__name__}"
        )
        assert len(tj) == len(th), f"{path}: length {len(tj)} != torch {len(th)}"
        for i, (a, b) in enumerate(zip(tj, th)):
            assert_same(
                a,
                b,
                rtol=rtol,
                atol=atol,
                check_dtype=check_dtype,
                check_stride=check_stride,
                equal_nan=equal_nan,
                path=f"{path}[{i}]",
            )
        return
    if isinstance(th, torch.dtype):
        assert tj is dtype_tj(th), f"{path}: {tj} != torch {th}"
        return
    if isinstance(th, float) and isinstance(tj, float):
        assert (math.isnan(th) and math.isnan(tj)) or math.isclose(
            tj, th, rel_tol=1e-6, abs_tol=1e-9
        ), f"{path}: {tj} != {th}"
        return
    assert tj == th, f"{path}: {tj!r} != torch {th!r}"


def strip_addresses(s: str) -> str:
    """Drop object addresses (``at 0x...``) from printed output."""
    return re.sub(r" at 0x[0-9a-f]+", "", s)


def both(fn, *args, check_message=False, **compare):
    """Run ``fn(torch_module, *args)`` with torch and torchjax; compare results or exceptions.

    ``args`` are torch objects; torchjax receives converted copies.
    """
    th_exc = tj_exc = None
    tj_args = to_tj(
        list(args)
    )  # before torch runs: an in-place op must not reach torchjax's inputs
    try:
        th = fn(torch, *args)
    except Exception as e:  # noqa: BLE001
        th_exc = e
    try:
        tj = fn(torchjax, *tj_args)
    except Exception as e:  # noqa: BLE001
        tj_exc = e
    if th_exc is not None or tj_exc is not None:
        assert th_exc is not None, (
            f"torch succeeded but torchjax raised {type(tj_exc).__name__}: {tj_exc}"
        )
        assert tj_exc is not None, (
            f"torch raised {type(th_exc).__name__}: {th_exc}, torchjax returned {tj!r}"
        )
        assert isinstance(tj_exc, type(th_exc)) or type(th_exc).__name__ == type(tj_exc).__name__, (
            f"torch raised {type(th_exc).__name__}({th_exc}), torchjax {type(tj_exc).__name__}({tj_exc})"
        )
        if check_message:
            assert str(tj_exc) == str(th_exc), f"message {str(tj_exc)!r} != torch {str(th_exc)!r}"
        return th_exc, tj_exc
    assert_same(tj, th, **compare)
    return th, tj


def run_snippet(code: str, lib) -> str:
    """Execute ``code`` with ``torch`` bound to ``lib``; return what it printed (addresses stripped).

    Exceptions are printed as ``TypeName: message`` so error parity shows up in the output.
    """
    import contextlib
    import io
    import warnings

    buf = io.StringIO()
    env = {"torch": lib, "np": np, "__name__": "__snippet__"}
    if lib is torchjax:
        env["nn"] = getattr(lib, "nn", None)
    with contextlib.redirect_stdout(buf), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(code, "<snippet>", "exec"), env)  # noqa: S102
        except Exception as e:  # noqa: BLE001
            print(f"{type(e).__name__}: {e}")
    return strip_addresses(buf.getvalue())


def assert_same_output(code: str):
    """The snippet prints the same under torchjax as under torch."""
    want = run_snippet(code, torch)
    got = run_snippet(code, torchjax)
    assert got == want, f"torchjax printed:\n{got}\ntorch printed:\n{want}"


def _flat(x):
    if isinstance(x, (tuple, list)):
        return [z for y in x for z in _flat(y)]
    return [x]


def grad_same(fn, *args, rtol=1e-6, atol=1e-8, names=True):
    """Compare the vector-Jacobian products (fixed random cotangents) of ``fn``'s outputs with respect to
    its floating inputs between torch and torchjax, and (``names``) the outputs' grad_fn names."""
    th_args = [
        a.detach().clone().requires_grad_(a.is_floating_point() or a.is_complex())
        if isinstance(a, torch.Tensor)
        else a
        for a in args
    ]
    tj_args = [to_tj(a) for a in th_args]
    th_all, tj_all = _flat(fn(torch, *th_args)), _flat(fn(torchjax, *tj_args))
    keep = [i for i, o in enumerate(th_all) if isinstance(o, torch.Tensor) and o.requires_grad]
    th_out, tj_out = [th_all[i] for i in keep], [tj_all[i] for i in keep]
    if names:
        assert [type(o.grad_fn).__name__ for o in tj_out] == [
            type(o.grad_fn).__name__ for o in th_out
        ]
    gen = torch.Generator().manual_seed(1)
    ws = [torch.randn(o.shape, generator=gen, dtype=o.dtype) for o in th_out]
    ins_th = [a for a in th_args if isinstance(a, torch.Tensor) and a.requires_grad]
    ins_tj = [a for a in tj_args if isinstance(a, torchjax.Tensor) and a.requires_grad]
    g_th = torch.autograd.grad(th_out, ins_th, grad_outputs=ws, allow_unused=True)
    g_tj = torchjax.autograd.grad(
        tj_out, ins_tj, grad_outputs=[to_tj(w) for w in ws], allow_unused=True
    )
    for i, (a, b) in enumerate(zip(g_tj, g_th)):
        if b is None:
            assert a is None or not np.any(a.numpy()), f"grad[{i}]: torch has no gradient"
        else:
            assert_same(a, b, rtol=rtol, atol=atol, path=f"grad[{i}]")
