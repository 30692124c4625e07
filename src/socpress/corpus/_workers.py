"""Worker processes for a corpus run: order kept, a time and a memory limit per page.

The parent hands out *units*: a page (an ``Item``: a file, or an archive record already
read), or a piece of a web archive (``Piece``: a whole file, one WARC of a WACZ, a byte
range of a ``.warc.gz``) that the worker opens, inflates and frames itself, so that the
parent's cost per record is only taking the worker's finished lines and writing them: one
parent can feed many workers. A worker says which page it starts before it reads it
(``begin``: the page without its bytes, and their SHA-256), so the parent always knows which
page a worker is on: a worker past its deadline is killed (the page is refused with kind
``time-limit``) and replaced; a worker that runs out of its address-space limit refuses the
page with kind ``memory-limit`` and exits, and is replaced; a worker that dies otherwise (a
crash in a C extension) gives a ``"failed"`` record. A piece whose worker was replaced is
read on by another worker from the entry after that page (the entries before it are framed
again, not read again). Results are held until every earlier unit is handed on, so the
output is in input order whatever the number of workers; the units read ahead and the
entries a piece's worker may send ahead of the output are bounded (a worker further ahead
waits on its pipe), so memory stays flat.

A byte range's entries are merged by ``RangeCheck``: only from the gzip member the range
before it goes on at, so the records are those one reader of the whole file gives.

``concurrent.futures`` and ``multiprocessing.Pool`` cannot do this: the first breaks the
whole pool when one worker dies, the second cannot tell which task a hung worker holds.
"""

from __future__ import annotations

import collections
import multiprocessing
import multiprocessing.connection
import os
import select
import selectors
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Final

import attrs

from socpress.corpus._inputs import piece_entries
from socpress.corpus._pieces import Mismatch, Piece, PieceReader, RangeCheck, pinned
from socpress.corpus._reading import read_item
from socpress.corpus._values import (
    Failure,
    Item,
    Line,
    Record,
    Skip,
    item_sha256,
    record_input,
    to_lines,
)
from socpress.errors import SocpressError

__all__ = ["run"]

_READ_AHEAD_PER_WORKER = 8
"""Units dispatched or finished but not yet handed on, per worker: enough to keep workers
busy behind one slow page, few enough to keep memory flat."""
_AHEAD_PER_PIECE = 32
"""Entries of a piece that is not the output's current one the parent takes from its
worker before it lets the worker wait (on its pipe)."""
_BATCH = 256
"""Skips and refusals a worker gathers into one message at most."""
_GATHER = 0.01
"""Seconds the parent lets messages gather while every worker streams a piece: a few
messages a worker, well within a pipe's buffer, far below any time limit."""
_LINES_WAIT = 0.05
"""Seconds a page's lines may wait in the worker for the next page's begin (framing the
records between them), so that the deadline of a page is hardly stretched."""


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        # Forking a clean server (socpress already imported there) is fast and safe; forking
        # this process is not (the caller may run threads, e.g. a progress bar's).
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["socpress.corpus", "socpress.corpus._workers"])
        return ctx
    return multiprocessing.get_context("spawn")


Reader = Callable[..., tuple[Record, ...]]
Unit = Item | Piece
Event = tuple[Any, ...]
"""A worker's report: ``("begin", k, step, page, sha256)``, ``("lines", k, step, lines)``,
``("skip", k, step, reason)``, ``("end", count, next_start)``; ``k`` is the entry's index in
its unit, ``step`` the gzip member it came from (``None`` outside a byte range)."""


_READY: Final = "ready"
"""A worker's first message: it started. One that dies before saying it never could (a
script that starts the run at import time, which every worker imports again)."""

_CANNOT_START: Final = (
    "the worker processes could not start: a script that reads records with workers must "
    'start the run under `if __name__ == "__main__":` (each worker imports the script '
    "again), or use workers=0; see docs/corpus.md"
)


def _serve(conn: Connection, lean: bool, memory_limit: int, reader: Reader) -> None:
    """A worker's loop: ``(unit, first entry)`` in, lists of events out, until the pipe
    closes or a page runs out of memory."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    conn.send(_READY)
    if memory_limit and sys.platform != "win32":
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    while True:
        try:
            unit, first = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(unit, Item):
            lines = _read(unit, reader, lean, memory_limit)
            conn.send([("lines", 0, None, lines), ("end", 1, None)])
            if _hit_memory_limit(lines):
                return  # start afresh: a MemoryError can leave any state behind
        elif not _serve_piece(conn, unit, first, lean, memory_limit, reader):
            return


def _read(item: Item, reader: Reader, lean: bool, memory_limit: int) -> tuple[Line, ...]:
    try:
        lines = to_lines(reader(item, lean=lean))
        if not _hit_memory_limit(lines):
            return lines
    except MemoryError:  # while serializing: the page is still to blame
        pass
    return _limit_record(item, None, "memory-limit", _memory_message(item, memory_limit))


def _serve_piece(
    conn: Connection, piece: Piece, first: int, lean: bool, memory_limit: int, reader: Reader
) -> bool:
    """Read a piece from its entry ``first`` on, sending each page's ``begin`` before its
    reading and its lines after; False when the worker must exit (memory)."""
    entries = PieceReader(piece)
    pending: list[Event] = []
    count = 0
    read_at: float | None = None  # when the page whose lines wait in ``pending`` was read
    for index, (step, entry) in enumerate(piece_entries(entries)):
        count = index + 1
        if index < first:
            continue
        if isinstance(entry, Skip):
            pending.append(("skip", index, step, entry.reason))
        elif entry.broken is not None:  # nothing to read: no deadline needed
            pending.append(("lines", index, step, to_lines(read_item(entry, lean=lean))))
        else:
            # One message a page: its begin goes with the lines of the page before it.
            pending.append(("begin", index, step, _origin(entry), item_sha256(entry)))
            conn.send(pending)
            lines = _read(entry, reader, lean, memory_limit)
            pending = [("lines", index, step, lines)]
            if _hit_memory_limit(lines):
                conn.send(pending)
                return False
            read_at = time.monotonic()
            continue
        late = read_at is not None and time.monotonic() - read_at > _LINES_WAIT
        if len(pending) >= _BATCH or late:
            conn.send(pending)
            pending, read_at = [], None
    pending.append(("end", count, entries.next_start))
    conn.send(pending)
    return True


Origin = tuple[str, str | None, str | None, int | None, str | None, str | None]
"""A page's origin fields (``origin_of``), as a worker reports the page it starts."""


def _origin(item: Item) -> Origin:
    return (item.source, item.archive, item.member, item.offset, item.record_id, item.url)


def _memory_message(item: Item, memory_limit: int) -> str:
    if not memory_limit:
        return f"{item.source}: reading the page ran out of memory"
    return (
        f"{item.source}: reading the page needed more memory than the limit of "
        f"{memory_limit / 2**20:,.0f} MiB"
    )


def _hit_memory_limit(lines: tuple[Line, ...]) -> bool:
    return any(line.key == "InputError/memory-limit" for line in lines)


def _limit_record(
    item: Item, sha256: str | None, kind: str, message: str, status: str = "refused"
) -> tuple[Line, ...]:
    record = Record(
        status="refused" if status == "refused" else "failed",
        input=record_input(item, sha256 if sha256 is not None else item_sha256(item), 0),
        article=None,
        error=Failure(
            type="InputError" if status == "refused" else "WorkerDied", kind=kind, message=message
        ),
    )
    return to_lines((record,))


def _death(item: Item, sha256: str | None, exitcode: int | None) -> tuple[Line, ...]:
    if exitcode is not None and exitcode < 0:
        how = f"signal {-exitcode} ({signal.Signals(-exitcode).name})"
    else:
        how = f"exit status {exitcode}"
    return _limit_record(
        item,
        sha256,
        "worker-died",
        f"{item.source}: the worker process reading this page died ({how})",
        status="failed",
    )


# --- the parent's side ------------------------------------------------------------------


@attrs.define
class _Page:
    """The page a worker said it is reading."""

    index: int
    step: int | None
    origin: Item | Origin
    sha256: str | None

    @property
    def item(self) -> Item:
        """The page, without its bytes (its records' names)."""
        if isinstance(self.origin, Item):
            return self.origin
        source, archive, member, offset, record_id, url = self.origin
        return Item(
            source=source,
            archive=archive,
            member=member,
            offset=offset,
            record_id=record_id,
            url=url,
        )


@attrs.define(eq=False)
class _Unit:
    """One unit of the input order and what its workers sent back."""

    value: Unit
    entries: dict[int, tuple[int | None, tuple[Line, ...] | str]] = attrs.field(factory=dict)
    """Entry index -> (gzip member, the lines of a page, or a skip's reason)."""
    count: int | None = None
    """How many entries it has, once its worker said ``end``."""
    next_start: int | None = None
    handed: int = 0
    """Entries handed on (or dropped by the range check)."""
    check: RangeCheck | None = None


class _Worker:
    def __init__(self, ctx: Any, lean: bool, memory_limit: int, reader: Reader) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_serve,
            args=(child, lean, memory_limit, reader),
            daemon=True,
            name="socpress-worker",
        )
        self.process.start()
        child.close()
        self.unit: _Unit | None = None
        self.page: _Page | None = None
        self.deadline = 0.0
        self.held_since: float | None = None
        self.started = False

    def give(self, unit: _Unit, first: int, time_limit: float) -> None:
        self.unit = unit
        self.page = None
        if isinstance(unit.value, Item):
            self.page = _Page(0, None, unit.value, None)
        self.deadline = time.monotonic() + time_limit
        self.conn.send((unit.value, first))

    def stop(self, *, now: bool = False) -> None:
        self.conn.close()
        if not now:
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process.close()


class _Pool:
    """The workers, the units in flight, and the output order."""

    def __init__(
        self,
        units: Iterable[Item | Piece],
        *,
        workers: int,
        lean: bool,
        time_limit: float,
        memory_limit: int,
        reader: Reader,
        skipped: Callable[[str], None],
    ) -> None:
        self._ctx = _context()
        self._args = (lean, memory_limit, reader)
        self.lean = lean
        self.time_limit = time_limit
        self.skipped = skipped
        self.source = iter(units)
        self.exhausted = False
        self.window = _READ_AHEAD_PER_WORKER * workers
        self.order: collections.deque[_Unit] = collections.deque()
        """Units pulled and not yet handed on, in input order."""
        self.todo: collections.deque[tuple[_Unit, int]] = collections.deque()
        """Units (or the rest of a piece, from an entry on) waiting for a worker."""
        self.expected: int | None = 0
        """Where the gzip member chain of the current archive goes on (``RangeCheck``)."""
        self.selector = selectors.DefaultSelector()
        self.watched: set[_Worker] = set()
        self.pool = [self.spawn() for _ in range(workers)]

    def spawn(self) -> _Worker:
        return _Worker(self._ctx, *self._args)

    # -- handing out ----------------------------------------------------------------------

    def dispatch(self) -> None:
        for index, worker in enumerate(self.pool):
            while worker.unit is None:
                task = self._next_task()
                if task is None:
                    return
                if not worker.process.is_alive():
                    self._forget(worker)
                    worker.stop(now=True)
                    worker = self.pool[index] = self.spawn()
                worker.give(*task, self.time_limit)

    def _next_task(self) -> tuple[_Unit, int] | None:
        if self.todo:
            return self.todo.popleft()
        while not self.exhausted and len(self.order) < self.window:
            value = next(self.source, None)
            if value is None:
                self.exhausted = True
                return None
            unit = _Unit(value)
            self.order.append(unit)
            if isinstance(value, Item) and value.broken is not None:  # no worker needed
                unit.entries[0] = (None, to_lines(read_item(value, lean=self.lean)))
                unit.count = 1
                continue
            return unit, 0
        return None

    # -- handing on, in order ---------------------------------------------------------------

    def ready(self) -> Iterator[tuple[Line, ...]]:
        """The lines of every entry that is next in the output order."""
        while self.order:
            unit = self.order[0]
            if unit.check is None:
                expected = self.expected
                if not isinstance(unit.value, Piece) or not unit.value.start:
                    expected = 0  # an item, or a piece that starts its file
                unit.check = RangeCheck(_piece(unit), expected)
            try:
                while unit.handed in unit.entries:
                    step, value = unit.entries.pop(unit.handed)
                    unit.handed += 1
                    if not unit.check.take(step):
                        continue
                    if isinstance(value, str):
                        self.skipped(value)
                    else:
                        yield value
                if unit.count is None or unit.handed < unit.count:
                    return
                self.expected = unit.check.done(unit.next_start)
            except Mismatch as err:
                self._read_again(unit, err.start)
                return
            self.order.popleft()

    def _read_again(self, unit: _Unit, start: int | None) -> None:
        """A range whose chain missed the expected member: read again, pinned there."""
        for worker in self.pool:
            if worker.unit is unit:
                self._replace(worker, kill=True)
        unit.value = pinned(_piece(unit), start)
        unit.entries.clear()
        unit.count = None
        unit.handed = 0
        unit.check = None
        self.todo.appendleft((unit, 0))

    # -- taking in --------------------------------------------------------------------------

    def wait(self) -> bool:
        """Wait for the busy workers, take what they sent; False when all is done."""
        head_waits = any(unit is self.order[0] for unit, _ in self.todo)
        busy = [w for w in self.pool if w.unit is not None and self._reading(w, head_waits)]
        if not busy:
            return not (self.exhausted and not self.order and not self.todo)
        if all(w.unit is not None and isinstance(w.unit.value, Piece) for w in self.pool):
            # Every worker streams a piece and none waits for work: let their messages
            # gather, to take many in one wake (the parent's cost is per wake, not per byte).
            time.sleep(_GATHER)
        deadlines = [w.deadline for w in busy if w.page is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        self._watch(busy)
        ready = {key.data for key, _ in self.selector.select(timeout)}
        for worker in busy:
            if worker in ready:
                self._take(worker)
                # What else it sent already: one wake for many messages when busy.
                while (
                    worker.unit is not None
                    and worker in self.pool
                    and self._reading(worker, head_waits)
                    and _readable(worker.conn)
                ):
                    self._take(worker)
            elif worker.page is not None and time.monotonic() >= worker.deadline:
                self._time_out(worker)
        return True

    def _watch(self, workers: list[_Worker]) -> None:
        """The selector watches these workers' pipes and processes, and no others."""
        wanted = set(workers)
        for worker in self.watched - wanted:
            self._forget(worker)
        for worker in wanted - self.watched:
            self.selector.register(worker.conn, selectors.EVENT_READ, worker)
            self.selector.register(worker.process.sentinel, selectors.EVENT_READ, worker)
            self.watched.add(worker)

    def _forget(self, worker: _Worker) -> None:
        if worker in self.watched:
            self.selector.unregister(worker.conn)
            self.selector.unregister(worker.process.sentinel)
            self.watched.discard(worker)

    def _reading(self, worker: _Worker, head_waits: bool) -> bool:
        """Whether the parent takes this worker's messages now: always for the output's
        current unit, and while a later piece has not sent too far ahead (or while the
        current unit waits for a worker: the others must finish to free one)."""
        unit = worker.unit
        assert unit is not None
        ahead = (
            not head_waits and unit is not self.order[0] and len(unit.entries) >= _AHEAD_PER_PIECE
        )
        now = time.monotonic()
        if ahead and worker.held_since is None:
            worker.held_since = now
        elif not ahead and worker.held_since is not None:
            worker.deadline += now - worker.held_since  # waiting on its pipe is not reading
            worker.held_since = None
        return not ahead

    def _take(self, worker: _Worker) -> None:
        unit = worker.unit
        assert unit is not None
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join()
            if not worker.started:
                raise SocpressError(_CANNOT_START, source=_source(unit)) from None
            self._lost(worker, _death, worker.process.exitcode)
            return
        if message == _READY:
            worker.started = True
            return
        for event in message:
            self._event(worker, unit, event)

    def _event(self, worker: _Worker, unit: _Unit, event: Event) -> None:
        what = event[0]
        if what == "begin":
            _, index, step, page, sha256 = event
            worker.page = _Page(index, step, page, sha256)
            worker.deadline = time.monotonic() + self.time_limit
        elif what == "end":
            unit.count, unit.next_start = event[1], event[2]
            worker.unit = worker.page = None
        else:
            _, index, step, value = event
            unit.entries[index] = (step, value)
            worker.page = None
            if what == "lines" and _hit_memory_limit(value):  # it exits: start another
                worker.process.join(timeout=5)
                resume = index + 1 if isinstance(unit.value, Piece) else None
                self._replace(worker, resume=resume)

    def _time_out(self, worker: _Worker) -> None:
        def refusal(item: Item, sha256: str | None, _: object) -> tuple[Line, ...]:
            return _limit_record(
                item,
                sha256,
                "time-limit",
                f"{item.source}: reading the page took longer than the time limit "
                f"of {self.time_limit:g} s",
            )

        self._lost(worker, refusal, None, kill=True)

    def _lost(
        self,
        worker: _Worker,
        record: Callable[[Item, str | None, int | None], tuple[Line, ...]],
        exitcode: int | None,
        *,
        kill: bool = False,
    ) -> None:
        """A worker that died or ran out of time: its page's record, and the rest of its
        unit to another worker."""
        unit, page = worker.unit, worker.page
        assert unit is not None
        if page is None:  # between pages, while framing: the rest of the piece is lost
            index = max(unit.entries, default=unit.handed - 1) + 1
            item = Item(source=_source(unit), archive=_piece(unit).archive)
            unit.entries[index] = (None, record(item, None, exitcode))
            unit.count, unit.next_start = index + 1, None
            self._replace(worker, kill=kill)
            return
        unit.entries[page.index] = (page.step, record(page.item, page.sha256, exitcode))
        if isinstance(unit.value, Item):
            unit.count = 1
            self._replace(worker, kill=kill)
        else:
            self._replace(worker, kill=kill, resume=page.index + 1)

    def _replace(self, worker: _Worker, *, kill: bool = False, resume: int | None = None) -> None:
        if resume is not None and worker.unit is not None:
            self.todo.appendleft((worker.unit, resume))
        if kill and worker.process.pid is not None:
            os.kill(worker.process.pid, signal.SIGKILL)
        self._forget(worker)
        worker.stop(now=True)
        self.pool[self.pool.index(worker)] = self.spawn()

    def close(self) -> None:
        for worker in self.pool:
            self._forget(worker)
            worker.stop(now=worker.unit is not None)
        self.selector.close()


def _readable(conn: Connection) -> bool:
    """Whether a message (or the end) waits in the pipe: one poll, no selector built."""
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN)
    return bool(poller.poll(0))


def _piece(unit: _Unit) -> Piece:
    value = unit.value
    if isinstance(value, Piece):
        return value
    return Piece(archive=value.archive or value.source)


def _source(unit: _Unit) -> str:
    value = unit.value
    return value.source if isinstance(value, Item) else value.archive


def _ignore(reason: str) -> None:
    pass


def run(
    units: Iterable[Item | Piece],
    *,
    workers: int,
    lean: bool,
    time_limit: float,
    memory_limit: int,
    reader: Reader = read_item,
    skipped: Callable[[str], None] | None = None,
) -> Iterator[tuple[Line, ...]]:
    """Each item's serialized records, in the order of ``units`` (a piece's items in
    archive order); ``skipped`` is called with each skip's reason found in a piece, in
    order. ``reader`` (a module-level function, so that it pickles) stands in for
    ``read_item`` in tests of the limits."""
    pool = _Pool(
        units,
        workers=workers,
        lean=lean,
        time_limit=time_limit,
        memory_limit=memory_limit,
        reader=reader,
        skipped=skipped or _ignore,
    )
    try:
        while True:
            pool.dispatch()
            yield from pool.ready()
            if not pool.wait():
                return
    finally:
        pool.close()
