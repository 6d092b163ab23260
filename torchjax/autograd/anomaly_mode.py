"""torch.autograd.anomaly_mode: detect_anomaly and set_detect_anomaly.

With anomaly detection on, every recorded node keeps the traceback of the forward call that
made it (``node.metadata["traceback_"]``, as torch keeps it); an error inside a node's backward
is preceded by a warning that prints it, and with ``check_nan`` a backward that produces NaN
raises torch's "Function 'XBackward0' returned nan values in its 0th output." Each NaN check
is a host sync, as in torch.
"""

from __future__ import annotations

import threading
import warnings

from . import graph as _graph

__all__ = [
    "detect_anomaly",
    "set_detect_anomaly",
    "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled",
]


class _State(threading.local):
    def __init__(self):
        self.enabled = False
        self.check_nan = True


_state = _State()


def is_anomaly_enabled() -> bool:
    """torch.is_anomaly_enabled."""
    return _state.enabled


def is_anomaly_check_nan_enabled() -> bool:
    """torch.is_anomaly_check_nan_enabled."""
    return _state.check_nan


def set_anomaly_enabled(mode: bool, check_nan: bool = True) -> None:
    """torch.set_anomaly_enabled."""
    _state.enabled = bool(mode)
    _state.check_nan = bool(check_nan)
    _graph.record_traceback = _state.enabled


class detect_anomaly:
    """torch.autograd.detect_anomaly: a context manager turning anomaly detection on."""

    def __init__(self, check_nan=True) -> None:
        self.prev = is_anomaly_enabled()
        self.check_nan = check_nan
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should only be "
            "enabled for debugging.",
            stacklevel=2,
        )

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *args) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class set_detect_anomaly:
    """torch.autograd.set_detect_anomaly: takes effect at once, and restores on context exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = is_anomaly_enabled()
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)
