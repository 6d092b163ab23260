"""torch.fft: ops declared with namespace="fft" in torchjax/_ops."""

from __future__ import annotations

from .._ops._registry import namespace as _namespace

globals().update({k: v for k, v in vars(_namespace("fft")).items() if not k.startswith("__")})
