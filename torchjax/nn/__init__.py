"""torch.nn (functional interface so far; modules come with the nn issue)."""

from __future__ import annotations

from . import functional  # noqa: F401
