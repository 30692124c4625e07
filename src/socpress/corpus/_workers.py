"""Worker processes for a corpus run: order kept, a time and a memory limit per page.

Each worker reads one item at a time, so the parent always knows which page a worker is
on: a worker past its deadline is killed (the page is refused with kind ``time-limit``)
and replaced; a worker that runs out of its address-space limit refuses the page with
kind ``memory-limit`` and exits, and is replaced; a worker that dies otherwise (a crash
in a C extension) gives a ``"failed"`` record. Results are held until every earlier item
is done, so the output is in input order whatever the number of workers, and the number
of items read ahead is bounded, so memory stays flat.

``concurrent.futures`` and ``multiprocessing.Pool`` cannot do this: the first breaks the
whole pool when one worker dies, the second cannot tell which task a hung worker holds.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Final

from socpress.corpus._reading import read_item
from socpress.corpus._values import (
    Failure,
    Item,
    Line,
    Record,
    item_sha256,
    record_input,
    to_lines,
)
from socpress.errors import SocpressError

__all__ = ["run"]

_READ_AHEAD_PER_WORKER = 8
"""Items dispatched or finished but not yet yielded, per worker: enough to keep workers busy
behind one slow page, few enough to keep memory flat."""


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        # Forking a clean server (socpress already imported there) is fast and safe; forking
        # this process is not (the caller may run threads, e.g. a progress bar's).
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["socpress.corpus", "socpress.corpus._workers"])
        return ctx
    return multiprocessing.get_context("spawn")


Reader = Callable[..., tuple[Record, ...]]


_READY: Final = "ready"
"""A worker's first message: it started. One that dies before saying it never could (a
script that starts the run at import time, which every worker imports again)."""

_CANNOT_START: Final = (
    "the worker processes could not start: a script that reads records with workers must "
    'start the run under `if __name__ == "__main__":` (each worker imports the script '
    "again), or use workers=0; see docs/corpus.md"
)


def _serve(conn: Connection, lean: bool, memory_limit: int, reader: Reader) -> None:
    """A worker's loop: ``(seq, item)`` in, ``(seq, lines)`` out, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    conn.send(_READY)
    if memory_limit and sys.platform != "win32":
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        seq, item = task
        try:
            lines = to_lines(reader(item, lean=lean))
            if not _hit_memory_limit(lines):
                conn.send((seq, lines))
                continue
        except MemoryError:  # while serializing or sending: the page is still to blame
            pass
        conn.send((seq, _limit_record(item, "memory-limit", _memory_message(item, memory_limit))))
        return  # start afresh: a MemoryError can leave any state behind


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
        self.task: tuple[int, Item] | None = None
        self.deadline = 0.0
        self.started = False

    def give(self, seq: int, item: Item, time_limit: float) -> None:
        self.task = (seq, item)
        self.deadline = time.monotonic() + time_limit
        self.conn.send(self.task)

    def stop(self, *, now: bool = False) -> None:
        self.conn.close()
        if not now:
            self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process.close()


def _memory_message(item: Item, memory_limit: int) -> str:
    if not memory_limit:
        return f"{item.source}: reading the page ran out of memory"
    return (
        f"{item.source}: reading the page needed more memory than the limit of "
        f"{memory_limit / 2**20:,.0f} MiB"
    )


def _hit_memory_limit(lines: tuple[Line, ...]) -> bool:
    return any(line.key == "InputError/memory-limit" for line in lines)


def _limit_record(item: Item, kind: str, message: str, status: str = "refused") -> tuple[Line, ...]:
    record = Record(
        status="refused" if status == "refused" else "failed",
        input=record_input(item, item_sha256(item), 0),
        article=None,
        error=Failure(
            type="InputError" if status == "refused" else "WorkerDied", kind=kind, message=message
        ),
    )
    return to_lines((record,))


def _death(item: Item, exitcode: int | None) -> tuple[Line, ...]:
    if exitcode is not None and exitcode < 0:
        how = f"signal {-exitcode} ({signal.Signals(-exitcode).name})"
    else:
        how = f"exit status {exitcode}"
    return _limit_record(
        item,
        "worker-died",
        f"{item.source}: the worker process reading this page died ({how})",
        status="failed",
    )


def run(
    items: Iterable[Item],
    *,
    workers: int,
    lean: bool,
    time_limit: float,
    memory_limit: int,
    reader: Reader = read_item,
) -> Iterator[tuple[Line, ...]]:
    """Each item's serialized records, in the order of ``items``. ``reader`` (a module-level
    function, so that it pickles) stands in for ``read_item`` in tests of the limits."""
    ctx = _context()

    def spawn() -> _Worker:
        return _Worker(ctx, lean, memory_limit, reader)

    pool = [spawn() for _ in range(workers)]
    source = iter(items)
    finished: dict[int, tuple[Line, ...]] = {}
    window = _READ_AHEAD_PER_WORKER * workers
    dispatched = emitted = 0
    exhausted = False
    try:
        while True:
            # Hand out work while there are idle workers and room ahead.
            for index, worker in enumerate(pool):
                while worker.task is None and not exhausted and dispatched - emitted < window:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                    elif item.broken is not None:  # nothing to read: no worker needed
                        finished[dispatched] = to_lines(read_item(item, lean=lean))
                        dispatched += 1
                    else:
                        if not worker.process.is_alive():
                            worker.stop(now=True)
                            worker = pool[index] = spawn()
                        worker.give(dispatched, item, time_limit)
                        dispatched += 1
            while emitted in finished:
                yield finished.pop(emitted)
                emitted += 1
            busy = [w for w in pool if w.task is not None]
            if not busy:
                if exhausted and emitted == dispatched:
                    return
                continue
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            waits: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
            ready = set(multiprocessing.connection.wait(waits, timeout))
            _collect(busy, ready, finished, pool, spawn, time_limit)
    finally:
        for worker in pool:
            worker.stop(now=worker.task is not None)


def _collect(
    busy: list[_Worker],
    ready: set[Any],
    finished: dict[int, tuple[Line, ...]],
    pool: list[_Worker],
    spawn: Callable[[], _Worker],
    time_limit: float,
) -> None:
    """Take the lines of every busy worker that answered, died or ran out of time into
    ``finished``, replacing the workers that cannot go on."""
    for worker in busy:
        assert worker.task is not None
        seq, item = worker.task
        if worker.conn in ready or worker.process.sentinel in ready:
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join()
                if not worker.started:
                    raise SocpressError(_CANNOT_START, source=item.source) from None
                finished[seq] = _death(item, worker.process.exitcode)
                _replace(pool, worker, spawn)
                continue
            if message == _READY:
                worker.started = True
                continue  # its answer comes next
            got_seq, lines = message
            assert got_seq == seq
            finished[seq] = lines
            worker.task = None
            if _hit_memory_limit(lines):  # it exits: wait for it, start another
                worker.process.join(timeout=5)
                _replace(pool, worker, spawn)
        elif time.monotonic() >= worker.deadline:
            finished[seq] = _limit_record(
                item,
                "time-limit",
                f"{item.source}: reading the page took longer than the time limit "
                f"of {time_limit:g} s",
            )
            _replace(pool, worker, spawn, kill=True)


def _replace(
    pool: list[_Worker], worker: _Worker, spawn: Callable[[], _Worker], *, kill: bool = False
) -> None:
    if kill and worker.process.pid is not None:
        os.kill(worker.process.pid, signal.SIGKILL)
    worker.stop(now=True)
    pool[pool.index(worker)] = spawn()
