"""torch.random: the default generator's seed and state, and fork_rng."""

from __future__ import annotations

import contextlib
import warnings

from ._generator import Generator, default_generator

__all__ = [
    "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state", "fork_rng",
    "Generator", "default_generator",
]  # fmt: skip


def manual_seed(seed) -> Generator:
    """torch.manual_seed: seed the default generator (returns it)."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """torch.seed: seed the default generator non-deterministically; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """torch.initial_seed: the default generator's seed."""
    return default_generator.initial_seed()


def get_rng_state():
    """torch.get_rng_state: the default generator's state as torch's 5056-byte uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    """torch.set_rng_state: restore a state from get_rng_state (torchjax's or real torch's)."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(
    devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices", device_type="cuda"
):
    """torch.random.fork_rng: restore the CPU (and accelerator) generator state on exit.

    Accelerator generators are the same mt19937 generators here (see docs/random.md), so only
    the default generator's state is saved; ``devices`` is accepted for compatibility.
    """
    if not enabled:
        yield
        return
    if devices is not None and len(list(devices)) > 1:
        warnings.warn(
            f"{_caller}: torchjax keeps one generator; {_devices_kw} is ignored", stacklevel=3
        )
    state = default_generator._state_bytes()
    try:
        yield
    finally:
        default_generator._set_state_bytes(state)
