"""torch.Generator: torch's CPU generator state (mt19937 + cached normals), on numpy's MT19937.

numpy's ``MT19937`` seeded with ``_legacy_seeding(seed)`` runs the same init_genrand as
torch, so the 32-bit stream is torch's. Draws are vectorised (numpy fills whole arrays).
"""

from __future__ import annotations

import threading

import numpy as np

_DEFAULT_SEED = 67280421310721


class Generator:
    """torch.Generator(device='cpu')."""

    def __init__(self, device="cpu"):
        from ._device import canonical

        self.device = canonical(device)
        self._lock = threading.Lock()
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed):
        seed = int(seed)
        if seed < 0:
            seed += 2**64
        if not 0 <= seed < 2**64:
            raise RuntimeError(f"Overflow when unpacking long long")
        self._initial_seed = seed
        bg = np.random.MT19937(0)
        bg._legacy_seeding(seed & 0xFFFFFFFF)
        self._bg = bg
        # torch caches one normal from its scalar Box-Muller path (double and float variants)
        self._next_double_normal = None
        self._next_float_normal = None
        return self

    def seed(self) -> int:
        s = int.from_bytes(np.random.SeedSequence().generate_state(2, np.uint32).tobytes(), "little") & (2**63 - 1)
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._initial_seed

    def random_u32(self, n: int) -> np.ndarray:
        """The next ``n`` 32-bit outputs of the mt19937 stream."""
        return self._bg.random_raw(n).astype(np.uint32) if n else np.zeros(0, np.uint32)

    def random_u64(self, n: int) -> np.ndarray:
        """torch's random64(): two consecutive 32-bit draws, the first as the high word."""
        r = self.random_u32(2 * n).astype(np.uint64)
        return (r[0::2] << np.uint64(32)) | r[1::2]


default_generator = Generator()
