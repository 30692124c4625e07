"""Where a corpus run's records go: JSON Lines (resumable) or Parquet.

JSON Lines are written one item at a time, every line of the item in one ``write`` and
flushed, so a run killed at any moment leaves whole lines, except perhaps a torn last one.
``resume_point`` finds where to go on: it drops the torn tail and the last item's
records (which may be incomplete: a listing gives several lines), and returns how many
items the output already holds whole, so the run can skip exactly those and append.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import IO, Protocol

import attrs

from socpress.corpus._values import Line, Summary, error_key
from socpress.errors import InputError

__all__ = [
    "JsonLinesSink",
    "ParquetAdapter",
    "Resume",
    "Sink",
    "merge",
    "open_for_resume",
    "resume_point",
]


class Sink(Protocol):
    def write(self, batch: Sequence[Line]) -> None: ...

    def close(self) -> None: ...


class JsonLinesSink:
    """Lines to a binary stream; UTF-8 whatever the locale (the lines are bytes already)."""

    def __init__(self, stream: IO[bytes], *, owned: bool) -> None:
        self.stream = stream
        self.owned = owned

    def write(self, batch: Sequence[Line]) -> None:
        self.stream.write(b"".join(line.text for line in batch))
        self.stream.flush()

    def close(self) -> None:
        if self.owned:
            self.stream.close()
        else:
            self.stream.flush()


class ParquetAdapter:
    """Records to ``socpress.corpus._parquet.ParquetSink`` (the one module importing pyarrow)."""

    def __init__(self, path: str) -> None:
        try:
            from socpress.corpus._parquet import ParquetSink
        except ImportError as err:  # the extra is not installed: its message says which
            raise InputError(f"{path}: {err}", source=path) from err
        self.sink = ParquetSink(path)  # the lines are lean already, when the run is

    def write(self, batch: Sequence[Line]) -> None:
        for line in batch:
            self.sink.write(json.loads(line.text))

    def close(self) -> None:
        self.sink.close()


@attrs.frozen(kw_only=True)
class Resume:
    """Where an interrupted JSON Lines output goes on."""

    offset: int
    """Bytes of the output to keep: the file is cut there and appended to."""
    sources: tuple[str, ...]
    """``input.source`` of each item the kept part holds, in order."""
    summary: Summary
    """The kept items, counted."""


def resume_point(path: str | os.PathLike[str]) -> Resume:
    """Read an output a run left behind; see the module docstring."""
    summary = Summary()
    starts: list[tuple[int, str]] = []  # (offset of the item's first line, source)
    batch: list[Line] = []
    offset = 0
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.endswith(b"\n"):
                break  # a torn last line
            try:
                data = json.loads(raw)
                index = data["input"]["index"]
                source = data["input"]["source"]
                error = data["error"]
                status = data["status"]
            except (ValueError, KeyError, TypeError) as err:
                raise InputError(
                    f"{os.fsdecode(path)}: line {number} is not a socpress record ({err}); "
                    "cannot resume into this file",
                    source=os.fsdecode(path),
                ) from err
            if index == 0:
                starts.append((offset, source))
                if batch:
                    summary.count(batch)
                batch = []
            key = None if error is None else error_key(error["type"], error.get("kind"))
            batch.append(Line(status, key, b""))
            offset += len(raw)
    if not starts:
        return Resume(offset=0, sources=(), summary=Summary())
    return Resume(
        offset=starts[-1][0], sources=tuple(source for _, source in starts[:-1]), summary=summary
    )


def open_for_resume(path: str, resume: Resume) -> IO[bytes]:
    """The output cut to ``resume.offset``, positioned to append."""
    handle = open(path, "r+b")  # noqa: SIM115 - the sink owns and closes it
    handle.truncate(resume.offset)
    handle.seek(resume.offset)
    return handle


def merge(into: Summary, other: Summary) -> None:
    into.items += other.items
    into.articles += other.articles
    into.refused.update(other.refused)
    into.failed.update(other.failed)
