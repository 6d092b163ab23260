"""Developer sessions: tests, parity, examples, bench, lint (``nox -s <name>``)."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

PY = "3.11"


def _install(session, extras="test"):
    # torch is pinned to 2.13.0 in the extras (an unpinned torch pulls several GB of CUDA wheels)
    session.install("-e", f".[{extras}]")


@nox.session(python=PY)
def tests(session):
    """Unit tests and the bounded op parity sweep, on 2 workers."""
    _install(session)
    session.run("pytest", "-n", "2", "-q", "tests", *session.posargs)


@nox.session(python=PY)
def parity(session):
    """The full op_db parity sweep; writes reports/parity.md and reports/parity.json."""
    _install(session)
    session.run("python", "tests/parity/sweep.py", "--full", *session.posargs)


@nox.session(python=PY)
def examples(session):
    """Run every example script."""
    _install(session, "test,examples")
    session.run("python", "examples/run_all.py", *session.posargs)


@nox.session(python=PY)
def bench(session):
    """Run every benchmark (ratios against torch and hand-written JAX)."""
    _install(session, "test,examples")
    session.run("python", "benchmarks/run_all.py", *session.posargs)


@nox.session(python=PY)
def lint(session):
    """ruff check and format check."""
    session.install("ruff")
    session.run("ruff", "check", "torchjax", "tests", "benchmarks", "examples")
    session.run("ruff", "format", "--check", "torchjax", "tests", "benchmarks", "examples")
