"""Test configuration: tests import torchjax and (as reference) real torch 2.13.0."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import pytest  # noqa: E402

import torchjax  # noqa: E402


@pytest.fixture(autouse=True)
def _reset_state():
    """Each test starts with torch's defaults (default dtype, grad mode, print options)."""
    yield
    torchjax.set_default_dtype(torchjax.float32)
    torchjax.set_printoptions(profile="default")
    from torchjax.autograd import grad_mode

    grad_mode.state.enabled = True
    grad_mode.state.inference = False
