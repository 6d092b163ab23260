"""torch.random: the default generator's seed and state."""

from __future__ import annotations

from ._generator import Generator, default_generator

__all__ = ["manual_seed", "seed", "initial_seed", "Generator", "default_generator"]


def manual_seed(seed) -> Generator:
    """torch.manual_seed: seed the default generator."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """torch.seed: seed the default generator non-deterministically."""
    return default_generator.seed()


def initial_seed() -> int:
    """torch.initial_seed."""
    return default_generator.initial_seed()
