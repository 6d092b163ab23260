"""torch.autograd.forward_ad: dual tensors, with tangents computed on demand by reverse mode.

``make_dual(primal, tangent)`` returns an alias of ``primal`` that is tracked by autograd;
``unpack_dual(y)`` returns ``(primal, tangent)`` where the tangent of a result is the
Jacobian-vector product of the recorded graph with the duals' tangents, computed by the double
backward trick (as ``torch.autograd.functional.jvp`` does). Values equal torch's.

Differences from torch: tangents are not propagated op by op (there is no per-op JVP), so they
exist only where ``unpack_dual`` asks for them; a dual tensor reports ``requires_grad=True``
(it is tracked by the reverse-mode graph); computations on duals must run with grad mode on.
For forward-mode transforms of functions, ``torch.func.jvp`` / ``torch.func.jacfwd`` use
``jax.jvp`` directly.
"""

from __future__ import annotations

from collections import namedtuple

__all__ = [
    "UnpackedDualTensor",
    "dual_level",
    "enter_dual_level",
    "exit_dual_level",
    "make_dual",
    "unpack_dual",
]

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])

_levels: list = []


class _Level:
    def __init__(self, idx):
        self.idx = idx
        self.duals = []  # (dual tensor, tangent)


def enter_dual_level():
    """torch.autograd.forward_ad.enter_dual_level: returns the new level's index."""
    if _levels:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _levels.append(_Level(len(_levels)))
    return _levels[-1].idx


def exit_dual_level(*, level=None):
    """torch.autograd.forward_ad.exit_dual_level."""
    if not _levels:
        raise RuntimeError(
            "Trying to exit a forward AD level that was not the last one that was created."
        )
    lev = _levels.pop()
    for dual, _ in lev.duals:
        dual._fw_tangent = None


class dual_level:
    """torch.autograd.forward_ad.dual_level: a context in which dual tensors live."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()


def make_dual(tensor, tangent, *, level=None):
    """torch.autograd.forward_ad.make_dual: ``tensor`` with ``tangent`` attached (same shape)."""
    if not _levels:
        raise RuntimeError(
            "To create a dual Tensor, you need to be within a dual_level context. Please use "
            "`with fwAD.dual_level():`"
        )
    if tuple(tangent.shape) != tuple(tensor.shape):
        raise RuntimeError(
            f"Trying to set a forward gradient that has a different size than that of the original Tensor, "
            f"this is not supported. Tensor is of size {list(tensor.shape)} while the given forward gradient "
            f"is of size {list(tangent.shape)}."
        )
    if tensor.requires_grad:
        dual = tensor.view_as(tensor)
    else:
        dual = tensor.detach().requires_grad_(True)
    _levels[-1].duals.append((dual, tangent))
    dual._fw_tangent = tangent
    return dual


def unpack_dual(tensor, *, level=None):
    """torch.autograd.forward_ad.unpack_dual: (primal, tangent or None)."""
    from .. import _ops
    from . import grad as autograd_grad

    direct = getattr(tensor, "_fw_tangent", None)
    if direct is not None:
        return UnpackedDualTensor(tensor.detach(), direct)
    if not _levels or not _levels[-1].duals or not tensor.requires_grad:
        return UnpackedDualTensor(tensor, None)
    duals = [d for d, _ in _levels[-1].duals]
    tangents = [t for _, t in _levels[-1].duals]
    u = _ops.api.zeros_like(tensor).requires_grad_(True)
    gs = autograd_grad(tensor, duals, u, create_graph=True, retain_graph=True, allow_unused=True)
    total = None
    for g, tan in zip(gs, tangents):
        if g is None or not g.requires_grad:
            continue
        term = (g * tan).sum()
        total = term if total is None else total + term
    if total is None:
        return UnpackedDualTensor(tensor.detach(), None)
    (jv,) = autograd_grad(total, u, retain_graph=True, allow_unused=True)
    if jv is None:
        jv = _ops.api.zeros_like(tensor)
    return UnpackedDualTensor(tensor.detach(), jv)
