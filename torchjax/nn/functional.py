"""torch.nn.functional: ops declared with namespace="nn.functional" in torchjax/_ops."""

from __future__ import annotations

from .._ops._registry import namespace as _namespace

globals().update(
    {k: v for k, v in vars(_namespace("nn.functional")).items() if not k.startswith("__")}
)
