"""The op library: importing the family modules registers every op (see _registry)."""

from __future__ import annotations

from . import _registry
from . import (
    creation,
    copy,
    views,
    slicing,
    as_strided,
    view_copy,
    pointwise,
    unary_ops,
    ternary_ops,
    binary_ops,
    reduction,
    minmax,
    cumulative,
    integration,
    indexing,
)  # noqa: F401  (registration order matters)
from . import api

_MODULES = []


def _load_optional():
    import importlib
    import pkgutil

    for m in pkgutil.iter_modules(__path__):
        if m.name.startswith("_") or m.name in ("api",):
            continue
        importlib.import_module(f"{__name__}.{m.name}")


_load_optional()

for _name, _fn in vars(_registry.namespace("")).items():
    setattr(api, _name, _fn)
