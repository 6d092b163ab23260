"""torch.cuda: true when JAX sees a GPU; 'cuda' tensors live on JAX's GPU devices."""

from __future__ import annotations

from .. import _device as Dev

__all__ = [
    "is_available",
    "device_count",
    "current_device",
    "set_device",
    "synchronize",
    "get_device_name",
    "manual_seed",
    "manual_seed_all",
    "empty_cache",
    "is_initialized",
]

_current = [0]


def is_available() -> bool:
    return len(Dev.gpu_devices()) > 0


def device_count() -> int:
    return len(Dev.gpu_devices())


def is_initialized() -> bool:
    return is_available()


def _require():
    if not is_available():
        raise AssertionError("Torch not compiled with CUDA enabled")


def current_device() -> int:
    _require()
    return _current[0]


def set_device(device) -> None:
    _require()
    d = Dev.canonical(device)
    _current[0] = d.index or 0


def synchronize(device=None) -> None:
    """Wait for all queued work (JAX dispatch is asynchronous)."""
    import jax

    (jax.effects_barrier if hasattr(jax, "effects_barrier") else lambda: None)()


def get_device_name(device=None) -> str:
    _require()
    i = Dev.canonical(device).index if device is not None else _current[0]
    return Dev.gpu_devices()[i or 0].device_kind


def manual_seed(seed) -> None:
    """Accepted for compatibility; accelerator random draws derive from the CPU generator."""


def manual_seed_all(seed) -> None:
    """Accepted for compatibility; accelerator random draws derive from the CPU generator."""


def empty_cache() -> None:
    """XLA manages device memory itself; nothing to release here."""
