"""torch.Size: a tuple of ints printed as ``torch.Size([2, 3])``."""

from __future__ import annotations

import math


class Size(tuple):
    """torch.Size."""

    def __new__(cls, sizes=()):
        out = []
        for s in sizes:
            if hasattr(s, "__index__") and not isinstance(s, bool):
                out.append(s.__index__())
            elif type(s).__name__ == "Tensor" and s.dim() == 0:
                out.append(int(s.item()))
            else:
                raise TypeError(
                    f"torch.Size() takes an iterable of 'int' (item {len(out)} is '{type(s).__name__}')"
                )
        return super().__new__(cls, out)

    def __repr__(self):
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        return math.prod(self)

    def __getitem__(self, item):
        r = super().__getitem__(item)
        return Size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n):
        return Size(tuple(self) * n)

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))
