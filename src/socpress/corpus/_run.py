"""Running many items: in this process or in worker processes, in input order, with the
skips counted and the records handed back as they come.
"""

from __future__ import annotations

import collections
import json
import os
from collections.abc import Iterable, Iterator, Sequence

from socpress.corpus._inputs import Unit, expand, iter_items, iter_units
from socpress.corpus._pieces import Piece
from socpress.corpus._reading import read_item
from socpress.corpus._values import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_TIME_LIMIT,
    Item,
    Line,
    Record,
    Skip,
    Summary,
    to_lines,
)


class Records(Iterator[Record]):
    """The records of a run, in input order; ``summary`` counts them as they come."""

    def __init__(self, batches: Iterator[tuple[Line, ...]], summary: Summary) -> None:
        self.summary = summary
        self._batches = batches
        self._current: collections.deque[Line] = collections.deque()

    def __next__(self) -> Record:
        while not self._current:
            batch = next(self._batches)
            self.summary.count(batch)
            self._current.extend(batch)
        return Record.from_dict(json.loads(self._current.popleft().text))

    def close(self) -> None:
        """Stop the run early: the worker processes are ended."""
        close = getattr(self._batches, "close", None)
        if close is not None:
            close()


def records(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    lean: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
) -> Records:
    """Read every input (as ``iter_items`` expands them) and yield its records, in
    input order whatever ``workers`` is.

    ``workers`` worker processes read the pages (``None``: one per core; ``0``: in this
    process, with no time or memory limit); with workers, web archives are read by the
    workers too, each a piece at a time (a file, a WACZ's WARC, a byte range of a
    ``.warc.gz``: docs/corpus.md), with the records of one reader. A page that takes longer
    than ``time_limit`` seconds or more than ``memory_limit`` bytes is refused
    (``InputError``, kind ``time-limit`` or ``memory-limit``), its worker replaced, and the
    run goes on.
    The returned iterator's ``summary`` counts items, articles, refusals and skips.
    """
    summary = Summary()
    # With workers, archives go to them unread, as their pieces: each worker reads its own.
    expand = iter_items if workers == 0 else iter_units
    units = expand(inputs, include=include, exclude=exclude)
    return Records(
        run_lines(
            units,
            summary,
            workers=workers,
            lean=lean,
            time_limit=time_limit,
            memory_limit=memory_limit,
        ),
        summary,
    )


def run_lines(
    entries: Iterable[Unit],
    summary: Summary,
    *,
    workers: int | None,
    lean: bool,
    time_limit: float,
    memory_limit: int,
) -> Iterator[tuple[Line, ...]]:
    """Each item's serialized records, in input order; skips are counted in ``summary``.
    ``entries`` are ``iter_items``'s or ``iter_units``'s (pieces of archives: read here
    with ``workers=0``, else each by a worker)."""
    if workers == 0:
        items = _counting(expand(entries), summary)
        return (to_lines(read_item(item, lean=lean)) for item in items if isinstance(item, Item))
    from socpress.corpus import _workers

    def skipped(reason: str) -> None:
        summary.skipped[reason] += 1

    return _workers.run(
        _counting(entries, summary),
        workers=workers or cores(),
        lean=lean,
        time_limit=time_limit,
        memory_limit=memory_limit,
        skipped=skipped,
    )


def cores() -> int:
    """The cores this process may run on (its CPU affinity, where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _counting(entries: Iterable[Unit], summary: Summary) -> Iterator[Item | Piece]:
    for entry in entries:
        if isinstance(entry, Skip):
            summary.skipped[entry.reason] += 1
        else:
            yield entry
