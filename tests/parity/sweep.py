#!/usr/bin/env python
"""The op_db parity sweep: every in-scope OpInfo of torch 2.13's op_db against torchjax.

    python tests/parity/sweep.py               # bounded: primary dtype, 2 samples per case
    python tests/parity/sweep.py --full        # everything: all samples; float32, float64,
                                               # int64, bool (where supported); grads; errors
    python tests/parity/sweep.py --ops 'linalg\\.|^sum$' --samples 0   # a subset, all samples
    python tests/parity/sweep.py --full --write-known-failures         # regenerate the list

Writes reports/parity.md and reports/parity.json (``--out`` to change) and prints the summary.
A case is (OpInfo, dtype, variant); see tests/parity/_opsweep.py for what each variant
compares. Headline number (the family rule): OpInfos of the counted families (torch.* /
Tensor, nn.functional pointwise & reduction, linalg, fft, special) passing every forward
variant on every sample of their primary dtype (float32; int64/bool/complex64 for ops that
have no float32), over all in-scope OpInfos of those families.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(os.path.dirname(_HERE))
sys.path[:0] = [os.path.dirname(_HERE), _HERE]

import _opsweep as S  # noqa: E402
import known_failures as K  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="all samples, dtypes float32/float64/int64/bool, grads, errors",
    )
    p.add_argument(
        "--ops", default=None, help="regex on OpInfo ids (name[.variant_test_name]) to run"
    )
    p.add_argument(
        "--dtypes",
        default=None,
        help="comma list of dtypes, or 'primary' (default: primary; --full: float32,float64,int64,bool)",
    )
    p.add_argument(
        "--samples",
        type=int,
        default=None,
        help="samples per case (0 = all; default 2, --full: all)",
    )
    p.add_argument("--no-grad", dest="grad", action="store_false", help="skip gradient cases")
    p.add_argument(
        "--no-errors", dest="errors", action="store_false", help="skip error-input cases"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds per case (0 = none; default 120, --full: 600)",
    )
    p.add_argument(
        "--grad-samples",
        type=int,
        default=None,
        help="samples per gradient case (0 = all; default 1, --full: all)",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        help="worker processes (spawned; OpInfos are split among them)",
    )
    p.add_argument(
        "--out",
        default=os.path.join(_ROOT, "reports"),
        help="directory for parity.md / parity.json",
    )
    p.add_argument(
        "--write-known-failures",
        action="store_true",
        help="rewrite tests/parity/known_failures.py from this run's failures (reviewed reasons kept)",
    )
    p.add_argument(
        "--force", action="store_true", help="allow --write-known-failures without --full"
    )
    p.add_argument("-q", "--quiet", action="store_true")
    return p.parse_args(argv)


def plan(args):
    dtypes = args.dtypes or ("float32,float64,int64,bool" if args.full else "primary")
    samples, _, _ = _limits(args)
    pat = re.compile(args.ops) if args.ops else None
    cases, ops = [], []
    for op in S.op_db():
        oid = S.opid(op)
        if oid in K.OUT_OF_SCOPE or (pat and not pat.search(oid)):
            continue
        if dtypes == "primary":
            dts = [S.primary_dtype(op)]
        else:
            dts = S.sweep_dtypes(op, tuple(dtypes.split(",")))
        ops.append(oid)
        cases += S.cases_for(op, dts, grad=args.grad, errors=args.errors)
    return dtypes, samples, cases, ops


def _limits(args):
    samples = args.samples if args.samples is not None else (0 if args.full else 2)
    gsamples = args.grad_samples if args.grad_samples is not None else (0 if args.full else 1)
    timeout = args.timeout if args.timeout is not None else (600.0 if args.full else 120.0)
    return samples or None, gsamples or None, timeout or None


def _run_cases(cases, samples, gsamples, timeout, quiet, tag=""):
    results = []
    cur, tcur = None, 0.0
    for i, c in enumerate(cases):
        if c.opid != cur:
            if cur is not None and not quiet:
                print(
                    f"  {tag}{cur}: {time.perf_counter() - tcur:.1f}s", file=sys.stderr, flush=True
                )
            cur, tcur = c.opid, time.perf_counter()
        r = S.run_case(c, max_samples=gsamples if c.variant == "grad" else samples, timeout=timeout)
        results.append(r)
        if not quiet and r.status == "fail":
            print(
                f"{tag}[{i + 1}/{len(cases)}] FAIL {c.key}: {r.category}: {r.message[:200]}",
                file=sys.stderr,
                flush=True,
            )
    return results


def _worker(payload):
    keys, samples, gsamples, timeout, quiet, tag = payload
    cases = [S.Case(*k.split(":", 2)) for k in keys]
    return [r.to_json() for r in _run_cases(cases, samples, gsamples, timeout, quiet, tag)]


def run(args):
    dtypes, _, cases, ops = plan(args)
    samples, gsamples, timeout = _limits(args)
    t0 = time.perf_counter()
    if args.jobs <= 1:
        results = _run_cases(cases, samples, gsamples, timeout, args.quiet)
    else:
        import concurrent.futures as cf
        import multiprocessing as mp

        # whole OpInfos per chunk (their cases share compiled kernels), dealt round-robin
        by_op: dict = {}
        for c in cases:
            by_op.setdefault(c.opid, []).append(c.key)
        chunks = [[] for _ in range(args.jobs)]
        for i, keys in enumerate(by_op.values()):
            chunks[i % args.jobs] += keys
        with cf.ProcessPoolExecutor(args.jobs, mp_context=mp.get_context("spawn")) as ex:
            futs = [
                ex.submit(_worker, (ch, samples, gsamples, timeout, args.quiet, f"w{i} "))
                for i, ch in enumerate(chunks)
                if ch
            ]
            got = {}
            for f in futs:
                for d in f.result():
                    got[d["case"]] = S.Result.from_json(d)
        results = [got[c.key] for c in cases]
    wall = time.perf_counter() - t0
    return dtypes, samples, ops, results, wall


# ---------------------------------------------------------------------------------------------
# known failures: xfail bookkeeping and regeneration


def known_status(results):
    """(known & failing, known entries whose cases now all pass, failing cases not listed)."""
    failing_known, new = {}, []
    hits: dict = {}
    for r in results:
        key, _ = S.lookup_known(r.case, K.KNOWN_FAILURES)
        if key is not None:
            hits.setdefault(key, []).append(r)
        elif r.status == "fail":
            new.append(r.case.key)
    stale = []
    for key, rs in hits.items():
        if all(r.status != "fail" for r in rs):
            stale.append(key)
        else:
            failing_known[key] = sum(r.status == "fail" for r in rs)
    return failing_known, sorted(stale), new


def collapse(results):
    """Failing cases -> few keys that cover only failing cases: "op" when every case of the
    OpInfo fails, else greedily the "op/variant" or "op:dtype" key covering the most failing
    cases (all of its cases failing), else "op:dtype:variant". Reason: the first failure's text."""
    by_op: dict = {}
    for r in results:
        if r.status != "n/a":
            by_op.setdefault(r.case.opid, []).append(r)
    out = {}

    def reason(rs):
        r = next((r for r in rs if r.case.variant == "function"), rs[0])
        msg = (
            f"{r.category}: {r.message}"
            if r.category != "not implemented"
            else f"not implemented: {r.message}"
        )
        msg = re.sub(r"\s+", " ", msg)
        return "auto: " + (msg if len(msg) <= 300 else msg[:297] + "...")

    for oid, rs in by_op.items():
        fails = [r for r in rs if r.status == "fail"]
        if not fails:
            continue
        if len(fails) == len(rs):
            out[oid] = reason(fails)
            continue
        groups: dict = {}
        for r in rs:
            groups.setdefault(f"{oid}/{r.case.variant}", []).append(r)
            if r.case.dtype != "any":
                groups.setdefault(f"{oid}:{r.case.dtype}", []).append(r)
        full = {
            k: v
            for k, v in groups.items()
            if (len(v) > 1 or "/" in k) and all(r.status == "fail" for r in v)
        }
        left = {r.case.key for r in fails}
        while True:
            best = max(
                full, key=lambda k: (len(left & {r.case.key for r in full[k]}), k), default=None
            )
            if best is None or not left & {r.case.key for r in full[best]}:
                break
            out[best] = reason(full[best])
            left -= {r.case.key for r in full.pop(best)}
        for r in fails:
            if r.case.key in left:
                out[r.case.key] = reason([r])
    return out


def _pyrepr(s):
    return json.dumps(s)  # a valid Python str literal, double-quoted


def write_known_failures(results, ran_ops):
    new = collapse(results)
    keep = {k: v for k, v in K.KNOWN_FAILURES.items() if _key_op(k) not in ran_ops}
    for k, v in new.items():
        old = K.KNOWN_FAILURES.get(k)
        if old is not None and not old.startswith("auto:"):
            v = old  # a reviewed reason survives regeneration while the case still fails
        keep[k] = v
    oos = {}
    for op in S.op_db():
        reason = S.scope_rule(op)
        if reason is not None:
            oid = S.opid(op)
            old = K.OUT_OF_SCOPE.get(oid)
            oos[oid] = old if old is not None else reason
    path = os.path.join(_HERE, "known_failures.py")
    lines = [
        '"""The reviewed list of op_db parity failures, and the OpInfos that are out of scope.',
        "",
        "Read by tests/parity/test_ops.py (each listed case is xfail(strict=True): a listed case that",
        "passes fails the run, so this list stays honest) and by tests/parity/sweep.py.",
        "",
        'KNOWN_FAILURES keys, finest first: "opid:dtype:variant", "opid:dtype", "opid/variant",',
        '"opid" (all cases of the OpInfo). opid = OpInfo name + ".variant_test_name" if any;',
        "variant = function | method | inplace | alias(NAME)[.method|.inplace] | grad | error",
        '(error cases have dtype "any"). Reasons starting with "auto:" were written by',
        "`python tests/parity/sweep.py --full --write-known-failures` and await review; edit a",
        'reason (drop the "auto:") to keep it across regenerations.',
        "",
        "OUT_OF_SCOPE: OpInfos not run at all, with the reason (tests/parity/_opsweep.py scope_rule;",
        "test_ops.py checks this list matches the rule).",
        '"""',
        "",
        "# fmt: off",
        "KNOWN_FAILURES: dict[str, str] = {",
    ]
    for k in sorted(keep):
        lines.append(f"    {_pyrepr(k)}: {_pyrepr(keep[k])},")
    lines += ["}", "", "OUT_OF_SCOPE: dict[str, str] = {"]
    for k in sorted(oos):
        lines.append(f"    {_pyrepr(k)}: {_pyrepr(oos[k])},")
    lines += ["}", "# fmt: on", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path, len(keep), len(oos)


def _key_op(key):
    if ":" in key:
        return key.split(":", 1)[0]
    return key.split("/", 1)[0]


# ---------------------------------------------------------------------------------------------
# reports


def write_reports(args, dtypes, samples, ops, results, wall, summary):
    os.makedirs(args.out, exist_ok=True)
    failing_known, stale, new = known_status(results)
    db = S.ops_by_id()
    oos = {k: v for k, v in K.OUT_OF_SCOPE.items()}
    notes: dict = {}
    for r in results:
        for kind, msg in r.notes.items():
            notes.setdefault(kind, {}).setdefault(r.case.opid, f"{r.case.key}: {msg}")
    meta = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "mode": "full" if args.full else "bounded",
        "dtypes": dtypes, "samples_per_case": samples or "all", "grad": args.grad, "errors": args.errors,
        "ops_filter": args.ops, "wall_seconds": round(wall, 1), "python": platform.python_version(),
        "torch": S.torch.__version__, "jax": __import__("jax").__version__,
    }  # fmt: skip
    fam_of = {oid: S.family(db[oid]) for oid in ops}
    data = {
        "meta": meta,
        "summary": summary,
        "denominator": {
            "rule": "in-scope OpInfos whose family is one of "
            + ", ".join(S.FAMILIES)
            + "; nn.functional counted: "
            + " ".join(sorted(S.NN_POINTWISE_REDUCTION)),
            "counted_ops": sorted(o for o in ops if fam_of[o] in S.FAMILIES),
            "not_counted_ops": sorted(o for o in ops if fam_of[o] not in S.FAMILIES),
        },
        "out_of_scope": oos,
        "known_failures": {
            "listed_and_failing": failing_known,
            "listed_but_passing": stale,
            "failing_not_listed": new,
        },
        "notes": notes,
        "results": [r.to_json() for r in results],
    }
    with open(os.path.join(args.out, "parity.json"), "w") as f:
        json.dump(data, f, indent=1, default=str)

    md = ["# torchjax op_db parity", ""]
    md.append(
        f"{meta['date']} — mode **{meta['mode']}** (dtypes: {dtypes}; samples per case: {meta['samples_per_case']}; "
        f"grad: {args.grad}; errors: {args.errors}{'; ops: ' + args.ops if args.ops else ''}); "
        f"torch {meta['torch']}, jax {meta['jax']}; wall {meta['wall_seconds']} s."
    )
    md += ["", "```", S.format_summary(summary), "```", ""]
    md += [
        "## Families",
        "",
        "Counted in the 90% rule: torch.* / Tensor, nn.functional pointwise & reduction, linalg, fft, special. "
        "An OpInfo passes when every forward variant (function, method, in-place, aliases) matches torch on every "
        "sample of its primary dtype (float32; int64, bool or complex64 when it has no float32).",
        "",
        "| family | passing | total | % |",
        "|---|---:|---:|---:|",
    ]
    for f in list(S.FAMILIES) + ["nn.functional (other)"]:
        e = summary["families"].get(f)
        if e:
            md.append(
                f"| {S.FAMILY_LABELS[f]} | {e['passing']} | {e['total']} | {100 * e['passing'] / max(e['total'], 1):.1f} |"
            )
    c = summary["counted"]
    md.append(
        f"| **counted** | **{c['passing']}** | **{c['total']}** | **{100 * c['rate']:.1f}** |"
    )
    md += [
        "",
        "nn.functional OpInfos counted as pointwise & reduction: "
        + ", ".join(sorted(S.NN_POINTWISE_REDUCTION))
        + ".",
        "",
    ]
    md += ["## Failure categories (cases)", "", "| category | cases |", "|---|---:|"]
    for k, v in summary["failure_categories"].items():
        md.append(f"| {k} | {v} |")
    if summary["missing"]:
        md += ["", '## Missing in torchjax (from "not implemented" failures)', ""]
        md += ["| torchjax name | OpInfos needing it |", "|---|---|"]
        for name, oids in summary["missing"].items():
            md.append(f"| `{name}` | {', '.join(oids)} |")
    md += [
        "",
        "## Known-failure list",
        "",
        f"- listed and still failing: {len(failing_known)} keys",
        f"- listed but now passing (remove them): {len(stale)}"
        + (": " + ", ".join(f"`{k}`" for k in stale[:100]) if stale else ""),
        f"- failing but not listed: {len(new)}"
        + (": " + ", ".join(f"`{k}`" for k in new[:100]) if new else ""),
        "",
    ]
    md += ["## Failures", "", "| case | category | message |", "|---|---|---|"]
    for r in results:
        if r.status == "fail":
            msg = r.message.replace("|", "\\|").replace("\n", " ")
            md.append(f"| `{r.case.key}` | {r.category} | {msg[:300]} |")
    if notes:
        md += ["", "## Notes (not failures)", ""]
        titles = {
            "rng": "Random ops whose values differ from torch after manual_seed(0)",
            "stride": "Outputs whose strides differ from torch's",
            "ties": "Index results that differ from torch only among tied values",
        }
        for kind, per in notes.items():
            md += [f"### {titles.get(kind, kind)} ({len(per)} ops)", ""]
            for _oid, m in sorted(per.items()):
                md.append(f"- {m[:250]}")
            md.append("")
    md += ["", "## Out of scope", "", "| OpInfo | reason |", "|---|---|"]
    for k, v in sorted(oos.items()):
        md.append(f"| `{k}` | {v} |")
    slow = sorted(results, key=lambda r: -r.seconds)[:15]
    md += ["", "## Slowest cases", ""] + [
        f"- `{r.case.key}`: {r.seconds:.1f} s ({r.samples_run} samples)" for r in slow
    ]
    with open(os.path.join(args.out, "parity.md"), "w") as f:
        f.write("\n".join(md) + "\n")


def main(argv=None):
    args = parse_args(argv)
    if args.write_known_failures and not args.full and not args.force:
        sys.exit(
            "--write-known-failures needs --full (a bounded run would miss failures); --force to override"
        )
    dtypes, samples, ops, results, wall = run(args)
    summary = S.summarize(results)
    write_reports(args, dtypes, samples, ops, results, wall, summary)
    print(
        S.format_summary(
            summary, title=f"op_db parity ({'full' if args.full else 'bounded'}, {wall:.0f} s)"
        )
    )
    failing_known, stale, new = known_status(results)
    print(
        f"known failures: {len(failing_known)} listed keys failing, {len(stale)} listed but passing, "
        f"{len(new)} failing cases not listed"
    )
    print(
        f"reports: {os.path.join(args.out, 'parity.md')}, {os.path.join(args.out, 'parity.json')}"
    )
    if args.write_known_failures:
        path, n, m = write_known_failures(results, set(ops))
        print(f"wrote {path}: {n} known failures, {m} out-of-scope OpInfos")


if __name__ == "__main__":
    main()
