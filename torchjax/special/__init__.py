"""torch.special: ops declared with namespace="special" in torchjax/_ops."""

from __future__ import annotations

from .._ops._registry import namespace as _namespace

globals().update({k: v for k, v in vars(_namespace("special")).items() if not k.startswith("__")})
