"""Worker processes for a corpus run: order kept, a time and a memory limit per page.

The parent hands out *units*: a page (an ``Item``: a file, or an archive record already
read), or a piece of a web archive (``Piece``: a whole file, one WARC of a WACZ, a byte
range of a ``.warc.gz``) that the worker opens, inflates and frames itself. The parent's
cost per record is then taking the worker's finished lines, several pages to a message,
and writing them: one parent can feed many workers.

The limits hold per page. For a page file the parent knows the page it handed out; a
piece's worker writes the entry it is reading, and since when, into a shared ``slot`` that
the parent reads. A worker past its deadline is killed (the page is refused with kind
``time-limit``) and replaced; a worker that runs out of its address-space limit refuses the
page with kind ``memory-limit`` and exits, and is replaced; a worker that dies otherwise (a
crash in a C extension) gives a ``"failed"`` record. A piece whose worker was lost is read
on by another worker from the first entry the parent did not get, the lost page's record
written in its place (the entries before are framed again, not read again). Results are
held until every earlier unit is handed on, so the output is in input order whatever the
number of workers; the units read ahead and the entries a piece's worker may send ahead of
the output are bounded (a worker further ahead waits on its pipe), so memory stays flat.

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
from socpress.corpus._pieces import (
    CHAIN_LOST,
    Mismatch,
    Piece,
    PieceReader,
    RangeCheck,
    pinned,
)
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
_AHEAD_BYTES_PER_PIECE = 16 * 1024 * 1024
"""Bytes of lines of a piece that is not the output's current one the parent holds before
it lets the piece's worker wait (on its pipe): more than one byte range's records, so the
worker of the next range reads the whole of it while the current one is read (a bound of
entries held it after a few pages, and two workers on one archive read almost in turn)."""
_AHEAD_ENTRIES_PER_PIECE = 65536
"""Entries held for such a piece at most, whatever their size (skips weigh nothing)."""
_BATCH = 256
"""Skips and refusals a worker gathers into one message at most."""
_TICK = 0.25
"""Seconds between the parent's looks at which page each piece's worker reads (its time
limit is enforced to within this)."""
_LINES_WAIT = 0.05
"""Seconds a page's lines may wait in a worker for more to send with them: a few pages a
message, taken in one wake of the parent."""


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
"""A worker's report: ``("lines", k, step, lines)``, ``("skip", k, step, reason)``,
``("end", count, next_start)``; ``k`` is the entry's index in its unit, ``step`` the gzip
member it came from (``None`` outside a byte range)."""


_READY: Final = "ready"
"""A worker's first message: it started. One that dies before saying it never could (a
script that starts the run at import time, which every worker imports again)."""

_CANNOT_START: Final = (
    "the worker processes could not start: a script that reads records with workers must "
    'start the run under `if __name__ == "__main__":` (each worker imports the script '
    "again), or use workers=0; see docs/corpus.md"
)


def _serve(
    conn: Connection, slot: Any, lean: bool, memory_limit: int, time_limit: float, reader: Reader
) -> None:
    """A worker's loop: ``(unit, first entry, refusal)`` in, lists of events out, until the
    pipe closes or a page runs out of memory. ``slot`` says which page of a piece it is
    reading, and since when: the parent reads it to enforce the time limit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    conn.send(_READY)
    if memory_limit and sys.platform != "win32":
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    while True:
        try:
            unit, first, refusal, each = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(unit, Item):
            lines = _read(unit, reader, lean, memory_limit)
            conn.send([("lines", 0, None, lines), ("end", 1, None)])
            if _hit_memory_limit(lines):
                return  # start afresh: a MemoryError can leave any state behind
            continue
        task = _PieceTask(conn, slot, lean, memory_limit, time_limit, reader, each=each)
        if not task.serve(unit, first, refusal):
            return


def _read(item: Item, reader: Reader, lean: bool, memory_limit: int) -> tuple[Line, ...]:
    try:
        lines = to_lines(reader(item, lean=lean))
        if not _hit_memory_limit(lines):
            return lines
    except MemoryError:  # while serializing: the page is still to blame
        pass
    return _limit_record(item, None, "memory-limit", _memory_message(item, memory_limit))


Refusal = tuple[int, str, int | None]
"""The entry of a piece its last worker was lost on: ``(index, "time-limit" or
"worker-died", the exit code)``; the next worker writes its record instead of reading it."""


class _PieceTask:
    """One worker reading a piece: pages' lines sent several to a message (the parent's
    cost is per message), the page being read and since when in ``slot``; with ``each``,
    every entry at once (after a worker died between pages of the piece: the parent then
    knows exactly how far a second one got before it died there too)."""

    def __init__(
        self,
        conn: Connection,
        slot: Any,
        lean: bool,
        memory_limit: int,
        time_limit: float,
        reader: Reader,
        *,
        each: bool = False,
    ) -> None:
        self.conn = conn
        self.each = each
        self.slot = slot
        self.lean = lean
        self.memory_limit = memory_limit
        self.time_limit = time_limit
        self.reader = reader
        self.pending: list[Event] = []
        self.since: float | None = None  # when the oldest page lines in ``pending`` were read

    def serve(self, piece: Piece, first: int, refusal: Refusal | None) -> bool:
        """Read the piece from its entry ``first`` on; False when the worker must exit."""
        entries = PieceReader(piece)
        count = 0
        for index, (step, entry) in enumerate(piece_entries(entries)):
            count = index + 1
            if index < first:
                continue
            if isinstance(entry, Skip):
                self.pending.append(("skip", index, step, entry.reason))
            elif refusal is not None and index == refusal[0]:
                self.pending.append(("lines", index, step, self._refused(entry, refusal)))
            elif entry.broken is not None:  # nothing to read: no time limit needed
                self.pending.append(
                    ("lines", index, step, to_lines(read_item(entry, lean=self.lean)))
                )
            elif not self._page(index, step, entry):
                return False
            self._flush(force=self.each)
        self.pending.append(("end", count, entries.next_start))
        self._flush(force=True)
        return True

    def _page(self, index: int, step: int | None, entry: Item) -> bool:
        self.slot[1] = time.monotonic()
        self.slot[0] = index  # after its start time: the parent reads them in that order
        lines = _read(entry, self.reader, self.lean, self.memory_limit)
        self.slot[0] = -1
        self.pending.append(("lines", index, step, lines))
        if _hit_memory_limit(lines):
            self._flush(force=True)
            return False
        if self.since is None:
            self.since = time.monotonic()
        return True

    def _flush(self, *, force: bool) -> None:
        late = self.since is not None and time.monotonic() - self.since > _LINES_WAIT
        if force or late or len(self.pending) >= _BATCH:
            self.conn.send(self.pending)
            self.pending, self.since = [], None

    def _refused(self, entry: Item, refusal: Refusal) -> tuple[Line, ...]:
        _, kind, exitcode = refusal
        sha256 = item_sha256(entry)
        page = attrs.evolve(entry, data=None)
        if kind == "time-limit":
            return _limit_record(page, sha256, kind, _time_message(page, self.time_limit))
        return _death(page, sha256, exitcode)


def _time_message(item: Item, time_limit: float) -> str:
    return f"{item.source}: reading the page took longer than the time limit of {time_limit:g} s"


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


def _death(
    item: Item, sha256: str | None, exitcode: int | None, after: str = ""
) -> tuple[Line, ...]:
    """The record of a page (or, with ``after``, of the rest of a piece) a worker died on."""
    if exitcode is not None and exitcode < 0:
        how = f"signal {-exitcode} ({signal.Signals(-exitcode).name})"
    else:
        how = f"exit status {exitcode}"
    return _limit_record(
        item,
        sha256,
        "worker-died",
        f"{item.source}: the worker process reading this "
        f"{'archive' if after else 'page'} died ({how}){after}",
        status="failed",
    )


# --- the parent's side ------------------------------------------------------------------


Task = tuple["_Unit", int, Refusal | None]
"""A unit for a worker: from which entry on, and the entry to refuse (``Refusal``)."""


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
    taken: int = 0
    """One past the last entry a worker sent: where another worker goes on."""
    lost_at: int | None = None
    """``taken`` when a worker last died between its pages (framing): a second death there
    ends the piece."""
    check: RangeCheck | None = None


class _Worker:
    def __init__(
        self, ctx: Any, lean: bool, memory_limit: int, time_limit: float, reader: Reader
    ) -> None:
        self.conn, child = ctx.Pipe()
        self.slot = ctx.RawArray("d", [-1.0, 0.0])
        """The entry of its piece it reads (-1: none), and since when (``time.monotonic``)."""
        self.process = ctx.Process(
            target=_serve,
            args=(child, self.slot, lean, memory_limit, time_limit, reader),
            daemon=True,
            name="socpress-worker",
        )
        self.process.start()
        child.close()
        self.unit: _Unit | None = None
        self.item: Item | None = None
        """The page file (or broken-free archive item) it reads, for an ``Item`` unit."""
        self.deadline = 0.0
        self.started = False

    def give(self, task: Task, time_limit: float) -> None:
        unit, first, refusal = task
        self.unit = unit
        self.item = unit.value if isinstance(unit.value, Item) else None
        self.deadline = time.monotonic() + time_limit
        # Entries one to a message once a worker died between this unit's pages.
        self.conn.send((unit.value, first, refusal, unit.lost_at is not None))

    def reading(self, time_limit: float) -> tuple[int, float] | None:
        """The entry of a piece it reads and its deadline; ``None`` between pages."""
        if self.item is not None:
            return 0, self.deadline
        index = int(self.slot[0])
        if index < 0:
            return None
        deadline = self.slot[1] + time_limit
        return (index, deadline) if int(self.slot[0]) == index else None

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
        self._args = (lean, memory_limit, time_limit, reader)
        self.lean = lean
        self.time_limit = time_limit
        self.skipped = skipped
        self.source = iter(units)
        self.exhausted = False
        self.window = _READ_AHEAD_PER_WORKER * workers
        self.order: collections.deque[_Unit] = collections.deque()
        """Units pulled and not yet handed on, in input order."""
        self.todo: collections.deque[Task] = collections.deque()
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
                worker.give(task, self.time_limit)

    def _next_task(self) -> Task | None:
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
            return unit, 0, None
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
        unit.taken = 0
        self.todo.appendleft((unit, 0, None))

    # -- taking in --------------------------------------------------------------------------

    def wait(self) -> bool:
        """Wait for the busy workers, take what they sent; False when all is done."""
        head_waits = any(unit is self.order[0] for unit, _, _ in self.todo)
        busy = [w for w in self.pool if w.unit is not None and self._reading(w, head_waits)]
        if not busy:
            return not (self.exhausted and not self.order and not self.todo)
        pages = {w: w.reading(self.time_limit) for w in busy}
        deadlines = [page[1] for page in pages.values() if page is not None]
        if any(w.item is None for w in busy):  # a piece's next page starts unannounced
            deadlines.append(time.monotonic() + _TICK)
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
            else:
                page = worker.reading(self.time_limit)
                if page is not None and time.monotonic() >= page[1]:
                    self._time_out(worker, page[0])
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
        if head_waits or unit is self.order[0]:
            return True
        # One held waits on its pipe, between pages: no time limit runs.
        return len(unit.entries) < _AHEAD_ENTRIES_PER_PIECE and _held_bytes(unit) < (
            _AHEAD_BYTES_PER_PIECE
        )

    def _take(self, worker: _Worker) -> None:
        unit = worker.unit
        assert unit is not None
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join()
            if not worker.started:
                raise SocpressError(_CANNOT_START, source=_source(unit)) from None
            page = worker.reading(self.time_limit)
            self._lost(worker, page and page[0], "worker-died", worker.process.exitcode)
            return
        if message == _READY:
            worker.started = True
            return
        for event in message:
            self._event(worker, unit, event)

    def _event(self, worker: _Worker, unit: _Unit, event: Event) -> None:
        what = event[0]
        if what == "end":
            unit.count, unit.next_start = event[1], event[2]
            worker.unit = worker.item = None
            return
        _, index, step, value = event
        unit.entries[index] = (step, value)
        unit.taken = index + 1
        if what == "lines" and _hit_memory_limit(value):  # it exits: start another
            worker.process.join(timeout=5)
            self._replace(worker, resume=(unit, index + 1, None) if worker.item is None else None)

    def _time_out(self, worker: _Worker, index: int) -> None:
        self._lost(worker, index, "time-limit", None, kill=True)

    def _lost(
        self,
        worker: _Worker,
        index: int | None,
        kind: str,
        exitcode: int | None,
        *,
        kill: bool = False,
    ) -> None:
        """A worker that died or ran out of time on entry ``index`` of its unit (``None``:
        between pages): that page's record, and the rest of its unit to another worker."""
        unit, item = worker.unit, worker.item
        assert unit is not None
        if item is not None:  # a page file: its record is written here
            if kind == "time-limit":
                lines = _limit_record(item, None, kind, _time_message(item, self.time_limit))
            else:
                lines = _death(item, None, exitcode)
            unit.entries[0], unit.count = (None, lines), 1
            self._replace(worker, kill=kill)
        elif index is None and unit.lost_at != unit.taken:  # between pages: once more
            unit.lost_at = unit.taken
            self._replace(worker, kill=kill, resume=(unit, unit.taken, None))
        elif index is None:  # twice at the same place, framing: the rest of the piece is lost
            piece = _piece(unit)
            broken = Item(source=_source(unit), archive=piece.archive)
            end = "the end of the file" if piece.end is None else f"byte {piece.end:,}"
            after = (
                f", twice between the same two records, after the range's first "
                f"{unit.taken:,} entries from byte {piece.start:,}: its records from there "
                f"to {end} are not read"
            )
            unit.entries[unit.taken] = (None, _death(broken, None, exitcode, after))
            # Where its member chain goes on is unknown: the next range is read from its
            # own first member, not dropped as past the end of the file.
            unit.count, unit.next_start = unit.taken + 1, CHAIN_LOST
            self._replace(worker, kill=kill)
        else:  # the next worker reads on from what this one sent, and refuses the page
            self._replace(worker, kill=kill, resume=(unit, unit.taken, (index, kind, exitcode)))

    def _replace(self, worker: _Worker, *, kill: bool = False, resume: Task | None = None) -> None:
        if resume is not None:
            self.todo.appendleft(resume)
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


def _held_bytes(unit: _Unit) -> int:
    return sum(
        len(line.text)
        for _, value in unit.entries.values()
        if not isinstance(value, str)
        for line in value
    )


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
