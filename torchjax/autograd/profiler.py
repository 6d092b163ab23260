"""torch.autograd.profiler: a host-side op profiler (profile, record_function, key_averages().table()).

Inside ``profile()`` every torchjax op call is timed on the host and recorded as ``aten::<name>``
(nested calls of composite ops count as children, so self time excludes them), together with
``record_function`` ranges. Times are host dispatch times: JAX runs kernels asynchronously, so
device time is not attributed per op (use ``jax.profiler`` for device traces). The table has
torch's columns.
"""

from __future__ import annotations

import json
import time

__all__ = ["profile", "record_function", "EventList", "FunctionEvent", "FunctionEventAvg"]

_active = []


class FunctionEvent:
    """One recorded call: name, start/end (ns) and the time spent in recorded children."""

    __slots__ = ("name", "start_ns", "end_ns", "child_ns", "input_shapes", "id")

    def __init__(self, name, start_ns, input_shapes=None, id=0):
        self.name = name
        self.start_ns = start_ns
        self.end_ns = start_ns
        self.child_ns = 0
        self.input_shapes = input_shapes
        self.id = id

    key = property(lambda self: self.name)

    @property
    def cpu_time_total(self) -> float:
        return (self.end_ns - self.start_ns) / 1000.0

    @property
    def self_cpu_time_total(self) -> float:
        return (self.end_ns - self.start_ns - self.child_ns) / 1000.0

    @property
    def count(self) -> int:
        return 1

    def __repr__(self):
        return f"<FunctionEvent id={self.id} name={self.name} cpu_time={self.cpu_time_total:.3f}us>"


class FunctionEventAvg:
    """Events with the same key, summed (torch.autograd.profiler_util.FunctionEventAvg)."""

    def __init__(self, key):
        self.key = key
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0
        self.input_shapes = None

    def add(self, ev):
        self.count += 1
        self.cpu_time_total += ev.cpu_time_total
        self.self_cpu_time_total += ev.self_cpu_time_total
        return self

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total / max(self.count, 1)

    def __repr__(self):
        return (
            f"<FunctionEventAvg key={self.key} self_cpu_time={self.self_cpu_time_total:.3f}us "
            f"cpu_time={self.cpu_time_total:.3f}us count={self.count}>"
        )


def _fmt_time(us: float) -> str:
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


class EventList(list):
    """A list of events with torch's summaries."""

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0):
        groups: dict = {}
        for ev in self:
            k = (ev.key, str(ev.input_shapes)) if group_by_input_shape else ev.key
            if k not in groups:
                groups[k] = FunctionEventAvg(ev.key)
                if group_by_input_shape:
                    groups[k].input_shapes = ev.input_shapes
            groups[k].add(ev)
        return EventList(groups.values())

    def total_average(self):
        tot = FunctionEventAvg("Total")
        for ev in self:
            tot.count += ev.count
            tot.cpu_time_total += ev.cpu_time_total
            tot.self_cpu_time_total += ev.self_cpu_time_total
        return tot

    @property
    def self_cpu_time_total(self) -> float:
        return sum(ev.self_cpu_time_total for ev in self)

    def table(
        self,
        sort_by=None,
        row_limit=100,
        max_src_column_width=75,
        max_name_column_width=55,
        max_shapes_column_width=80,
        header=None,
        top_level_events_only=False,
        time_unit=None,
    ):
        rows = list(self)
        if sort_by is not None:
            attr = {
                "cpu_time_total": "cpu_time_total",
                "self_cpu_time_total": "self_cpu_time_total",
                "cpu_time": "cpu_time_total",
                "count": "count",
            }.get(sort_by, sort_by)
            rows.sort(key=lambda e: getattr(e, attr, 0), reverse=True)
        if row_limit is not None and row_limit > 0:
            rows = rows[:row_limit]
        total_self = self.self_cpu_time_total or 1.0
        name_w = max([len("Name")] + [len(str(e.key)) for e in rows]) + 2
        name_w = min(name_w, max_name_column_width)
        cols = ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg", "# of Calls"]
        sep = "-" * name_w + "  " + "  ".join("-" * 12 for _ in cols) + "  "
        lines = [sep, f"{'Name':>{name_w}}  " + "  ".join(f"{c:>12}" for c in cols) + "  ", sep]
        for e in rows:
            vals = [
                f"{100.0 * e.self_cpu_time_total / total_self:.2f}%",
                _fmt_time(e.self_cpu_time_total),
                f"{100.0 * e.cpu_time_total / total_self:.2f}%",
                _fmt_time(e.cpu_time_total),
                _fmt_time(e.cpu_time_total / max(e.count, 1)),
                str(e.count),
            ]
            name = str(e.key)
            if len(name) > name_w:
                name = name[: name_w - 3] + "..."
            lines.append(f"{name:>{name_w}}  " + "  ".join(f"{v:>12}" for v in vals) + "  ")
        lines.append(sep)
        lines.append(f"Self CPU time total: {_fmt_time(self.self_cpu_time_total)}")
        return "\n".join(lines) + "\n"

    def export_chrome_trace(self, path):
        events = []
        for ev in self:
            if isinstance(ev, FunctionEvent):
                events.append(
                    {
                        "name": ev.name,
                        "ph": "X",
                        "ts": ev.start_ns / 1000.0,
                        "dur": ev.cpu_time_total,
                        "pid": 0,
                        "tid": 0,
                        "cat": "cpu_op",
                    }
                )
        with open(path, "w") as f:
            json.dump({"traceEvents": events}, f)


class profile:
    """torch.autograd.profiler.profile: records torchjax op calls made inside the context."""

    def __init__(
        self,
        enabled=True,
        *,
        use_cuda=False,
        use_device=None,
        record_shapes=False,
        with_flops=False,
        profile_memory=False,
        with_stack=False,
        with_modules=False,
        use_kineto=True,
        use_cpu=True,
        experimental_config=None,
        acc_events=False,
        custom_trace_id_callback=None,
    ):
        self.enabled = enabled
        self.record_shapes = record_shapes
        self.function_events = None
        self._events = []
        self._stack = []
        self._saved = None

    # recording
    def _begin(self, name, shapes=None):
        ev = FunctionEvent(name, time.perf_counter_ns(), shapes, len(self._events))
        self._events.append(ev)
        self._stack.append(ev)
        return ev

    def _end(self, ev):
        ev.end_ns = time.perf_counter_ns()
        self._stack.pop()
        if self._stack:
            self._stack[-1].child_ns += ev.end_ns - ev.start_ns

    def __enter__(self):
        if not self.enabled:
            return self
        from .._ops import _registry

        self._saved = (_registry.call, _registry.call_view)
        prof = self
        orig_call, orig_view = self._saved

        def call(op, args, out=None, inplace=False):
            ev = prof._begin(
                "aten::" + op.short + ("_" if inplace else ""),
                _shapes(args) if prof.record_shapes else None,
            )
            try:
                return orig_call(op, args, out, inplace)
            finally:
                prof._end(ev)

        def call_view(op, args):
            ev = prof._begin("aten::" + op.short, _shapes(args) if prof.record_shapes else None)
            try:
                return orig_view(op, args)
            finally:
                prof._end(ev)

        _registry.call, _registry.call_view = call, call_view
        _active.append(self)
        return self

    def __exit__(self, *exc):
        if not self.enabled:
            return
        from .._ops import _registry

        _registry.call, _registry.call_view = self._saved
        _active.remove(self)
        self.function_events = EventList(self._events)

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0):
        self._check_finish()
        return self.function_events.key_averages(group_by_input_shape, group_by_stack_n)

    def total_average(self):
        self._check_finish()
        return self.function_events.total_average()

    def table(self, sort_by=None, row_limit=100, **kw):
        self._check_finish()
        return self.function_events.table(sort_by=sort_by, row_limit=row_limit, **kw)

    def export_chrome_trace(self, path):
        self._check_finish()
        self.function_events.export_chrome_trace(path)

    @property
    def self_cpu_time_total(self):
        self._check_finish()
        return self.function_events.self_cpu_time_total

    def _check_finish(self):
        if self.function_events is None:
            raise RuntimeError("Profiler didn't finish running")

    def __str__(self):
        self._check_finish()
        return self.table()


def _shapes(args):
    from .._tensor import Tensor

    return [list(a.shape) if isinstance(a, Tensor) else [] for a in args]


class record_function:
    """torch.autograd.profiler.record_function: a labelled range in the active profiler."""

    def __init__(self, name: str, args=None):
        self.name = name
        self._ev = None
        self._prof = None

    def __enter__(self):
        if _active:
            self._prof = _active[-1]
            self._ev = self._prof._begin(self.name)
        return self

    def __exit__(self, *exc):
        if self._ev is not None:
            self._prof._end(self._ev)
            self._ev = None

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*a, **k):
            with record_function(self.name):
                return fn(*a, **k)

        return wrapper
