"""op_db parity: torch's OpInfo samples through torchjax, compared with torch (pytest -m parity).

One test per case "opid:dtype:variant" (see _opsweep.py). Cases listed in
known_failures.KNOWN_FAILURES are xfail(strict=True) and run on *all* their samples, so a
listed case that now passes is reported as XPASS(strict) and fails the run. OpInfos in
known_failures.OUT_OF_SCOPE are not collected (test_scope_is_explicit checks that list).
Cases with nothing to compare (no samples / no differentiable output) are reported as
skipped with the reason.

Bounded by default for CI; environment variables widen it:

    TORCHJAX_PARITY_SAMPLES=2        samples per case (0 or "all": every sample)
    TORCHJAX_PARITY_DTYPES=primary   "primary" (float32; int64/bool/complex64 for ops without
                                     float32) or a comma list, e.g. float32,float64,int64,bool
    TORCHJAX_PARITY_GRAD=1           gradient cases (0 to skip collecting them)
    TORCHJAX_PARITY_GRAD_SAMPLES=1   samples per gradient case (0 or "all": every sample)
    TORCHJAX_PARITY_ERRORS=1         error-input cases (0 to skip collecting them)
    TORCHJAX_PARITY_OPS=<regex>      only OpInfo ids matching the regex
    TORCHJAX_PARITY_TIMEOUT=120      seconds per case

The full sweep with reports is ``python tests/parity/sweep.py --full``.
"""

from __future__ import annotations

import os
import re

import _opsweep as S
import known_failures as K
import pytest

pytestmark = pytest.mark.parity


def _env(name, default):
    return os.environ.get(name, default).strip()


_SAMPLES = _env("TORCHJAX_PARITY_SAMPLES", "2")
SAMPLES = None if _SAMPLES.lower() in ("0", "all", "") else int(_SAMPLES)
_GSAMPLES = _env("TORCHJAX_PARITY_GRAD_SAMPLES", "1")
GRAD_SAMPLES = None if _GSAMPLES.lower() in ("0", "all", "") else int(_GSAMPLES)
DTYPES = _env("TORCHJAX_PARITY_DTYPES", "primary")
GRAD = _env("TORCHJAX_PARITY_GRAD", "1") not in ("0", "false", "no")
ERRORS = _env("TORCHJAX_PARITY_ERRORS", "1") not in ("0", "false", "no")
OPS = _env("TORCHJAX_PARITY_OPS", "")
TIMEOUT = float(_env("TORCHJAX_PARITY_TIMEOUT", "120")) or None


def _cases():
    pat = re.compile(OPS) if OPS else None
    out = []
    for op in S.op_db():
        oid = S.opid(op)
        if oid in K.OUT_OF_SCOPE or (pat and not pat.search(oid)):
            continue
        dts = (
            [S.primary_dtype(op)]
            if DTYPES == "primary"
            else S.sweep_dtypes(op, tuple(DTYPES.split(",")))
        )
        out += S.cases_for(op, dts, grad=GRAD, errors=ERRORS)
    return out


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_op(case, request):
    key, reason = S.lookup_known(case, K.KNOWN_FAILURES)
    if key is not None:
        request.applymarker(
            pytest.mark.xfail(reason=f"known failure [{key}]: {reason}", strict=True)
        )
    # a listed case runs on every sample, so "now passes" is decided on the full evidence
    limit = GRAD_SAMPLES if case.variant == "grad" else SAMPLES
    res = S.run_case(case, max_samples=None if key is not None else limit, timeout=TIMEOUT)
    request.node.user_properties.append(("parity_result", res.to_json()))  # for conftest's summary
    if res.status == "fail":
        pytest.fail(f"{res.label}: {res.category}: {res.message}", pytrace=False)
    if res.status == "n/a":
        pytest.skip(f"nothing to compare: {res.category}")


def test_scope_is_explicit():
    """Every op_db OpInfo is either run or listed in OUT_OF_SCOPE, as the scope rule says."""
    db = S.ops_by_id()
    problems = []
    for oid, op in db.items():
        rule = S.scope_rule(op)
        listed = oid in K.OUT_OF_SCOPE
        if rule is not None and not listed:
            problems.append(f"{oid}: out of scope ({rule}) but not listed in OUT_OF_SCOPE")
        if rule is None and listed:
            problems.append(f"{oid}: listed in OUT_OF_SCOPE but in scope by the rule")
    for oid in K.OUT_OF_SCOPE:
        if oid not in db:
            problems.append(f"{oid}: listed in OUT_OF_SCOPE but not in op_db")
    assert not problems, "\n".join(problems)


def test_known_failure_keys_are_valid():
    """Every KNOWN_FAILURES key names an in-scope OpInfo, a dtype it supports and a variant it has."""
    db = S.ops_by_id()
    problems = []
    for key, reason in K.KNOWN_FAILURES.items():
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"{key}: empty reason")
        if ":" in key:
            parts = key.split(":")
            oid, dt, variant = parts[0], parts[1], (parts[2] if len(parts) > 2 else None)
        else:
            oid, _, variant = key.partition("/")
            dt, variant = None, variant or None
        op = db.get(oid)
        if op is None:
            problems.append(f"{key}: no OpInfo {oid!r}")
            continue
        if oid in K.OUT_OF_SCOPE:
            problems.append(f"{key}: {oid} is out of scope")
        valid_variants = set(S.forward_variants(op)) | {"grad", "error"}
        if variant is not None and variant not in valid_variants:
            problems.append(f"{key}: {oid} has no variant {variant!r}")
        if dt is not None and dt != "any" and S.torch_dtype(dt) not in op.supported_dtypes("cpu"):
            problems.append(f"{key}: {oid} does not support {dt}")
    assert not problems, "\n".join(problems)


def test_sample_conversion_keeps_aliasing():
    """Views of one torch storage in a sample become views of one torchjax storage (out= overlap
    checks), and converting never pins the torch storage (an out= error input resizes it)."""
    import torch
    from torch.testing._internal.opinfo.core import SampleInput

    ind = torch.tensor([2, 1, 0])
    s = SampleInput(ind.clone(), args=(ind[1:],), kwargs=dict(out=ind[:-1]))
    x, (index,), kw = S.convert_sample(s, {})
    assert index._storage is kw["out"]._storage and x._storage is not index._storage
    assert index.storage_offset() == 1 and index.tolist() == [1, 0] and kw["out"].tolist() == [2, 1]
    e = torch.zeros(0)
    S.convert_sample(SampleInput(e), {})
    e.resize_(4)  # still resizable
