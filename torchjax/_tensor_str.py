"""Tensor printing with torch's rules (torch/_tensor_str.py): same widths, modes and summaries.

The tensor is brought to the host once as numpy; values are formatted from Python floats
exactly as torch formats its ``tolist()`` values, so printed output matches torch's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math

import numpy as np

from . import _dtype as D


@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrinterOptions()


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
):
    """torch.set_printoptions."""
    if profile is not None:
        if profile == "default":
            (
                PRINT_OPTS.precision,
                PRINT_OPTS.threshold,
                PRINT_OPTS.edgeitems,
                PRINT_OPTS.linewidth,
            ) = 4, 1000, 3, 80
        elif profile == "short":
            (
                PRINT_OPTS.precision,
                PRINT_OPTS.threshold,
                PRINT_OPTS.edgeitems,
                PRINT_OPTS.linewidth,
            ) = 2, 1000, 2, 80
        elif profile == "full":
            (
                PRINT_OPTS.precision,
                PRINT_OPTS.threshold,
                PRINT_OPTS.edgeitems,
                PRINT_OPTS.linewidth,
            ) = 4, math.inf, 3, 80
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """torch._tensor_str.get_printoptions."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    def __init__(self, values: np.ndarray, floating: bool):
        self.floating_dtype = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not floating:
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(f"{v}"))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)]
        if finite.size == 0:
            return
        absd = np.abs(finite).astype(np.float64)
        fmin, fmax = float(absd.min()), float(absd.max())
        work = finite.astype(np.float32) if finite.dtype.itemsize < 4 else finite
        if np.any(work != np.ceil(work)):
            self.int_mode = False
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = fmax / fmin > 1000.0 or fmax > 1.0e8 or fmin < 1.0e-4
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        vals = _py_floats(finite)
        p = PRINT_OPTS.precision
        if self.int_mode:
            if self.sci_mode:
                for v in vals:
                    self.max_width = max(self.max_width, len(f"{v:.{p}e}"))
            else:
                for v in vals:
                    self.max_width = max(self.max_width, len(f"{v:.0f}") + 1)
        elif self.sci_mode:
            for v in vals:
                self.max_width = max(self.max_width, len(f"{v:.{p}e}"))
        else:
            for v in vals:
                self.max_width = max(self.max_width, len(f"{v:.{p}f}"))

    def width(self):
        return self.max_width

    def format(self, value):
        p = PRINT_OPTS.precision
        if self.floating_dtype:
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{p}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{value:.{p}f}"
        else:
            ret = f"{value}"
        return (self.max_width - len(ret)) * " " + ret


def _py_floats(a: np.ndarray):
    if a.dtype.itemsize < 4 and a.dtype.kind == "f" or a.dtype.kind == "V":
        a = a.astype(np.float32)
    return a.tolist()


def _val_str(val, f1, f2):
    if f2 is not None:
        real_str = f1.format(val.real)
        imag_str = (f2.format(val.imag) + "j").lstrip()
        if imag_str[0] in "+-":
            return real_str + imag_str
        return real_str + "+" + imag_str
    return f1.format(val)


def _tolist(a):
    if a.dtype.kind == "f" and a.dtype.itemsize < 4 or a.dtype.kind == "V":
        a = a.astype(np.float32)
    return a.tolist()


def _vector_str(a, indent, summarize, f1, f2):
    element_length = f1.width() + 2
    if f2 is not None:
        element_length += f2.width() + 1
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    e = PRINT_OPTS.edgeitems
    if summarize and not e:
        data = ["..."]
    elif summarize and a.shape[0] > 2 * e:
        data = (
            [_val_str(v, f1, f2) for v in _tolist(a[:e])]
            + [" ..."]
            + [_val_str(v, f1, f2) for v in _tolist(a[-e:])]
        )
    else:
        data = [_val_str(v, f1, f2) for v in _tolist(a)]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _str_with_formatter(a, indent, summarize, f1, f2):
    dim = a.ndim
    if dim == 0:
        v = _tolist(a)
        return _val_str(v, f1, f2)
    if dim == 1:
        return _vector_str(a, indent, summarize, f1, f2)
    e = PRINT_OPTS.edgeitems
    if summarize and a.shape[0] > 2 * e:
        slices = (
            [_str_with_formatter(a[i], indent + 1, summarize, f1, f2) for i in range(e)]
            + ["..."]
            + [
                _str_with_formatter(a[i], indent + 1, summarize, f1, f2)
                for i in range(a.shape[0] - e, a.shape[0])
            ]
        )
    else:
        slices = [
            _str_with_formatter(a[i], indent + 1, summarize, f1, f2) for i in range(a.shape[0])
        ]
    return "[" + ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized(a):
    e = PRINT_OPTS.edgeitems
    if a.ndim == 0:
        return a
    if a.ndim == 1:
        return np.concatenate([a[:e], a[-e:]]) if a.shape[0] > 2 * e else a
    if not e:
        return a[(slice(0, 0),) * a.ndim]
    if a.shape[0] > 2 * e:
        parts = [a[i] for i in range(e)] + [a[i] for i in range(a.shape[0] - e, a.shape[0])]
    else:
        parts = list(a)
    return np.stack([_summarized(x) for x in parts])


def _tensor_str(a: np.ndarray, dtype: D.dtype, indent: int) -> str:
    if a.size == 0:
        return "[]"
    summarize = a.size > PRINT_OPTS.threshold
    if dtype.is_complex:
        re = np.real(a)
        im = np.imag(a)
        f1 = _Formatter(_summarized(re) if summarize else re, True)
        f2 = _Formatter(_summarized(im) if summarize else im, True)
        return _str_with_formatter(a, indent, summarize, f1, f2)
    f = _Formatter(_summarized(a) if summarize else a, dtype.is_floating_point)
    return _str_with_formatter(a, indent, summarize, f, None)


def _add_suffixes(tensor_str, suffixes, indent, force_newline):
    strs = [tensor_str]
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        if force_newline or last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            strs.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
            force_newline = False
        else:
            strs.append(", " + suffix)
            last_line_len += len(suffix) + 2
    strs.append(")")
    return "".join(strs)


def _host_array(t) -> np.ndarray:
    a = np.asarray(t._v())
    if t._dtype in (D.bfloat16,) or t._dtype in D._FLOAT8:
        a = a.astype(np.float32)
    return a


def tensor_repr(t, tensor_contents=None) -> str:
    """repr/str of a tensor, as torch prints it."""
    from ._tensor import Tensor

    is_plain = (
        type(t) is Tensor or getattr(t, "_is_param", False) and type(t).__name__ == "Parameter"
    )
    prefix = "tensor(" if is_plain else f"{type(t).__name__}("
    indent = len(prefix)
    suffixes = []
    dev = t.device
    if dev.type != "cpu":
        suffixes.append("device='" + str(dev if dev.index is not None else f"{dev.type}:0") + "'")
    default = D.get_default_dtype()
    default_complex = D.complex128 if default is D.float64 else D.complex64
    has_default_dtype = t._dtype in (default, default_complex, D.int64, D.bool)
    if tensor_contents is not None:
        tensor_str = tensor_contents
    elif t.numel() == 0:
        if t.dim() != 1:
            suffixes.append("size=" + str(tuple(t._shape)))
        if t._dtype is not default:
            suffixes.append("dtype=" + str(t._dtype))
        tensor_str = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append("size=" + str(tuple(t._shape)))
        if not has_default_dtype:
            suffixes.append("dtype=" + str(t._dtype))
        tensor_str = _tensor_str(_host_array(t), t._dtype, indent)
    if tensor_contents is not None and t.numel() != 0 and not has_default_dtype:
        suffixes.append("dtype=" + str(t._dtype))
    fn = t.grad_fn
    if fn is not None:
        suffixes.append(f"grad_fn=<{fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    s = _add_suffixes(prefix + tensor_str, suffixes, indent, force_newline=False)
    if getattr(t, "_is_param", False) and not is_plain:
        s = f"Parameter({s})"
    return s
