"""CPU time of each scan before the parse, in whichever socpress is imported.

The stage functions are wrapped where the stage looks them up (a module global), so the
pipeline runs as it ships and each scan is timed as it is called. Rows name the function in
each checkout that has one (the checks moved from ``_source`` to ``_read`` with the damage
work); a checkout without a row's function does not report it. Imported by
``html_speed.py`` and by its ``--before`` child, before or after socpress: it imports no
socpress module itself until ``guard_times`` runs.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import time
from collections.abc import Callable, Iterator
from typing import Any

GUARDS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "input checks (all below, sniffing)",
        (("socpress._read.source", "_checked_format"), ("socpress._source", "_checked_format")),
    ),
    (
        "control characters: binary test",
        (("socpress._read.source", "_refuse_controls"), ("socpress._source", "_refuse_controls")),
    ),
    ("control characters: damage", (("socpress._read.source", "text_damage"),)),
    ("markup guards (all below)", (("socpress._read.source", "refuse_costly_markup"),)),
    ("attribute guard", (("socpress._read.guards", "_refuse_many_attributes"),)),
    ("formatting guard", (("socpress._read.guards", "_formatting_left_open"),)),
    (
        "tag scan (nesting, reopening)",
        (("socpress._read.guards", "_scan"), ("socpress._source", "_refuse_deep_nesting")),
    ),
)


@contextlib.contextmanager
def _wrapped(totals: dict[str, float]) -> Iterator[None]:
    undo: list[tuple[Any, str, Any]] = []
    for label, places in GUARDS:
        for module_name, attr in places:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            original = getattr(module, attr, None)
            if original is None:
                continue
            totals[label] = 0.0
            setattr(module, attr, _timer(original, label, totals))
            undo.append((module, attr, original))
            break
    try:
        yield
    finally:
        for module, attr, original in undo:
            setattr(module, attr, original)


def _timer(fn: Callable[..., Any], label: str, totals: dict[str, float]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[label] += time.process_time() - start

    return timed


def guard_times(
    load: Callable[[bytes], object], pages: list[bytes], repeat: int
) -> dict[str, float]:
    """Milliseconds per page for each scan: the best of ``repeat`` passes over ``pages``
    through ``load`` (garbage collector off)."""
    best: dict[str, float] = {}
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            totals: dict[str, float] = {}
            with _wrapped(totals):
                for data in pages:
                    load(data)
            for label, seconds in totals.items():
                best[label] = min(best.get(label, float("inf")), seconds)
    finally:
        if enabled:
            gc.enable()
    return {label: round(1000 * seconds / len(pages), 3) for label, seconds in best.items()}
