"""A stand-in reader whose worker processes die while they frame one given gzip member of
an archive: between two pages, every time a worker gets there, whatever page it read last.

Importing the module (as every worker does, to unpickle the reader) makes each worker's
gzip members die when they start at byte N of an archive whose file name holds
``frame-death-N.``; the test's own process is left alone (it reads the same archive with
one reader for the expected records)."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
from typing import Any

from socpress import corpus
from socpress.corpus import _archives

_MARK = re.compile(r"frame-death-(\d+)\.")


def _dying_member(real: Any) -> Any:
    class DyingMember(real):  # type: ignore[misc]
        def __init__(self, cursor: Any) -> None:
            name = getattr(cursor.raw, "name", "")
            found = _MARK.search(os.path.basename(str(name)))
            if found is not None and cursor.tell() == int(found[1]):
                os.kill(os.getpid(), signal.SIGSEGV)
            super().__init__(cursor)

    return DyingMember


if multiprocessing.current_process().name == "socpress-worker":
    _archives._GzipMember = _dying_member(_archives._GzipMember)  # type: ignore[misc]


def framing_death_reader(item: corpus.Item, *, lean: bool = False) -> tuple[corpus.Record, ...]:
    """Reads like ``read_item`` (the deaths are in the framing, set up at import)."""
    return corpus.read_item(item, lean=lean)
