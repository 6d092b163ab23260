"""torch.device over jax devices: 'cpu' -> the host, 'cuda' -> a GPU, 'xla'/'tpu' -> the default accelerator."""

from __future__ import annotations

import functools

import jax

_KNOWN = (
    "cpu cuda ipu xpu mkldnn opengl opencl ideep hip ve fpga maia xla lazy vulkan mps meta hpu "
    "mtia privateuseone"
).split()
# torchjax also accepts 'tpu' (an alias for the accelerator XLA runs on)
_ACCEPTED = frozenset(_KNOWN) | {"tpu"}


class device:
    """torch.device: a type ('cpu', 'cuda', ...) and an optional index."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):  # noqa: A002
        if isinstance(type, device):
            if index is not None:
                raise RuntimeError("device(): an index cannot be given with a device object")
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        if not isinstance(type, str):
            raise TypeError(
                f"device() received an invalid combination of arguments - got ({_tn(type)})"
            )
        s = type.strip()
        name, _, idx = s.partition(":")
        if name not in _ACCEPTED:
            raise RuntimeError(
                "Expected one of "
                + ", ".join(_KNOWN)
                + f" device type at start of device string: {s}"
            )
        if idx:
            if index is not None:
                raise RuntimeError(
                    f"type (string) must not include an index because index was passed explicitly: {s}"
                )
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{s}'")
            index = int(idx)
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type = name
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        return isinstance(other, device) and other.type == self.type and other.index == self.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _tn(x):
    return type(x).__name__


CPU = device("cpu")


@functools.cache
def _platform_devices(platform: str):
    try:
        return tuple(jax.devices(platform))
    except RuntimeError:
        return ()


def gpu_devices():
    return _platform_devices("gpu") or _platform_devices("cuda") or _platform_devices("rocm")


def accelerator_devices():
    return _platform_devices("tpu") or gpu_devices()


def cpu_jax_device():
    return _platform_devices("cpu")[0]


def canonical(d) -> device:
    """Parse a ``device=`` argument (str, int, device or None -> cpu) into a device."""
    if d is None:
        return CPU
    if isinstance(d, device):
        return d
    if isinstance(d, int):
        return device("cuda", d)
    return device(d)


def to_jax(d: device):
    """The jax device a torch device maps to, raising torch's error when it is absent."""
    t = d.type
    if t == "cpu":
        return cpu_jax_device()
    if t == "cuda":
        devs = gpu_devices()
        if not devs:
            raise AssertionError("Torch not compiled with CUDA enabled")
    elif t in ("xla", "tpu"):
        devs = accelerator_devices() or _platform_devices("cpu")
    else:
        raise RuntimeError(f"torchjax has no backend for device type '{t}'")
    i = d.index or 0
    if i >= len(devs):
        raise RuntimeError(
            "CUDA error: invalid device ordinal"
            if t == "cuda"
            else f"{t} device {i} is not available"
        )
    return devs[i]


def from_jax(jdev) -> device:
    """The torch device describing where a jax array lives."""
    p = jdev.platform
    if p == "cpu":
        return CPU
    if p in ("gpu", "cuda", "rocm"):
        return device("cuda", gpu_devices().index(jdev))
    return device("xla", accelerator_devices().index(jdev))
