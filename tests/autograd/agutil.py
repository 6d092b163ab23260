"""Helpers for autograd tests: run one function under torch and torchjax and compare."""

from __future__ import annotations

import re
import warnings

import torch
from _compare import assert_same, strip_addresses

import torchjax


def both(fn, *, check_message=True, warns=False, **compare):
    """Run ``fn(lib)`` with real torch and with torchjax; compare results or raised errors.

    Results may nest tensors, numbers, strings, bools and None. With ``warns`` the warnings
    each run emitted (category and message) must match too.
    """
    out = {}
    for lib in (torch, torchjax):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                r = ("ok", fn(lib))
            except Exception as e:  # noqa: BLE001
                r = ("err", e)
        ws = [(x.category.__name__, str(x.message)) for x in w]
        out[lib] = (r, ws)
    (th_kind, th), th_w = out[torch]
    (tj_kind, tj), tj_w = out[torchjax]
    if th_kind == "err" or tj_kind == "err":
        assert th_kind == tj_kind, f"torch: {th_kind} {th!r}; torchjax: {tj_kind} {tj!r}"
        assert type(th).__name__ == type(tj).__name__, (
            f"torch raised {type(th).__name__}({th}), torchjax {type(tj).__name__}({tj})"
        )
        if check_message:
            assert str(tj) == str(th), f"message:\n{tj}\n!= torch:\n{th}"
        return th, tj
    assert_same(tj, th, **compare)
    if warns:
        th_w = [x for x in th_w if x[0] != "DeprecationWarning"]
        tj_w = [x for x in tj_w if x[0] != "DeprecationWarning"]
        assert tj_w == th_w, f"warnings {tj_w} != torch {th_w}"
    return th, tj


def numbers_close(a: str, b: str, rtol=1e-5, atol=1e-6):
    """Compare two printed outputs: identical text outside numbers, numbers equal within tolerance."""
    num = r"-?\d+\.?\d*(?:e[+-]?\d+)?"
    ta, tb = re.sub(num, "#", a), re.sub(num, "#", b)
    if ta != tb:
        return False
    for x, y in zip(re.findall(num, a), re.findall(num, b)):
        fx, fy = float(x), float(y)
        if abs(fx - fy) > atol + rtol * abs(fy):
            return False
    return True


def strip(s: str) -> str:
    return strip_addresses(s)
