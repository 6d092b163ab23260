"""tests/parity: prints the op_db parity summary (families, gradients, errors) after a run.

Results travel in each test report's ``user_properties`` so the summary also works under
pytest-xdist (the controller receives the workers' reports).
"""

from __future__ import annotations

_RESULTS: list = []


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for name, value in getattr(report, "user_properties", ()):
        if name == "parity_result":
            _RESULTS.append(value)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _RESULTS:
        return
    import _opsweep as S

    results = [S.Result.from_json(d) for d in _RESULTS]
    terminalreporter.section("op_db parity summary")
    title = f"op_db parity, this pytest run ({len(results)} cases; bounded unless TORCHJAX_PARITY_* widen it)"
    terminalreporter.write_line(S.format_summary(S.summarize(results), title=title))
