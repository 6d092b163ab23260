"""torch.memory_format and torch.layout objects, and the strides each memory format implies."""

from __future__ import annotations

from . import _storage as S


class memory_format:
    """torch.memory_format: contiguous_format, channels_last, channels_last_3d, preserve_format."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))


class layout:
    """torch.layout: only ``torch.strided`` tensors exist in torchjax."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name


contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
preserve_format = memory_format("preserve_format")
_ALL = {m.name: m for m in (contiguous_format, channels_last, channels_last_3d, preserve_format)}
strided = layout("strided")
sparse_coo = layout("sparse_coo")


def _by_name(name):
    return _ALL[name]


def strides_for(shape, fmt) -> tuple:
    """Strides torch gives a dense tensor of ``shape`` in memory format ``fmt``."""
    shape = tuple(shape)
    if fmt is channels_last:
        if len(shape) != 4:
            raise RuntimeError("required rank 4 tensor to use channels_last format")
        order = (1, 3, 2, 0)
    elif fmt is channels_last_3d:
        if len(shape) != 5:
            raise RuntimeError("required rank 5 tensor to use channels_last_3d format")
        order = (1, 4, 3, 2, 0)
    else:
        return S.contiguous_strides(shape)
    strides = [0] * len(shape)
    acc = 1
    for d in order:
        strides[d] = acc
        acc *= max(shape[d], 1)
    return tuple(strides)


def is_contiguous_as(t, fmt) -> bool:
    st = t.stride()
    want = strides_for(t.shape, fmt)
    return all(n == 1 or a == b for n, a, b in zip(t.shape, st, want))
