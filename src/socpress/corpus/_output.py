"""Where a corpus run's records go: JSON Lines (resumable), gzipped JSON Lines, a flat CSV
of the main fields, or Parquet, chosen by the output's suffix.

JSON Lines are written one item at a time, every line of the item in one ``write`` and
flushed, so a run killed at any moment leaves whole lines, except perhaps a torn last one.
``resume_point`` finds where to go on: it drops the torn tail and the last item's
records (which may be incomplete: a listing gives several lines), and returns how many
items the output already holds whole, so the run can skip exactly those and append.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import os
from collections.abc import Sequence
from typing import IO, Any, Final, Protocol, cast

import attrs

from socpress.corpus._values import Line, Summary, error_key
from socpress.errors import InputError

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "CsvSink",
    "JsonLinesSink",
    "ParquetAdapter",
    "Resume",
    "Sink",
    "merge",
    "open_for_resume",
    "open_output",
    "output_format",
    "resume_point",
]


class Sink(Protocol):
    def write(self, batch: Sequence[Line]) -> None: ...

    def close(self) -> None: ...


FORMATS: Final = {
    ".jsonl.gz": "jsonl.gz",
    ".jsonl": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
}
"""Output suffix (any case) -> format. The longer suffix is tried first."""


def output_format(path: str) -> str | None:
    """The format an output path asks for by its suffix, whatever its case; ``None`` for a
    suffix socpress does not write."""
    lower = path.lower()
    return next((kind for suffix, kind in FORMATS.items() if lower.endswith(suffix)), None)


class JsonLinesSink:
    """Lines to a binary stream; UTF-8 whatever the locale (the lines are bytes already).

    Each item's lines go out in one write. To a file the sink owns (opened unbuffered), a
    write that fails part way (a full disk) is cut back to the last whole item before the
    error is raised, so the file never ends in a torn line.
    """

    def __init__(
        self, stream: IO[bytes], *, owned: bool, flush: bool = True, cut: int | None = None
    ) -> None:
        self.stream = stream
        self.owned = owned
        self.flush = flush
        # Only a plain file can be cut back to its last whole item.
        plain = owned and isinstance(stream, io.FileIO)
        self.whole = stream.tell() if plain else None
        self.cut = cut
        """Where a resumed output is cut, at the first write (so a resume that stops before
        writing anything leaves the file as it was)."""

    def write(self, batch: Sequence[Line]) -> None:
        data = b"".join(line.text for line in batch)
        if self.cut is not None:
            self.stream.truncate(self.cut)
            self.cut = None
        try:
            view = memoryview(data)
            while view:  # an unbuffered file may take part of it at a time
                done = self.stream.write(view)
                view = view[done if done is not None else len(view) :]
            if self.flush:
                self.stream.flush()
        except OSError:
            if self.whole is not None:
                with contextlib.suppress(OSError):
                    os.ftruncate(self.stream.fileno(), self.whole)
                    self.stream.seek(self.whole)
            raise
        if self.whole is not None:
            self.whole += len(data)

    def close(self) -> None:
        if self.owned:
            self.stream.close()
        else:
            self.stream.flush()


CSV_COLUMNS: Final = (
    "status",
    "source",
    "url",
    "title",
    "published",
    "language",
    "is_soc",
    "category",
    "attribution",
    "text",
    "error",
)
"""The flat CSV's columns: the record's main fields, the body as one text (paragraphs
joined by a blank line), and for a refused or failed record its ``type/kind: message``."""


class CsvSink:
    """One CSV row per record, UTF-8, ``\r\n`` rows as RFC 4180 has them."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        self.writer = csv.writer(self.text)
        self.writer.writerow(CSV_COLUMNS)

    def write(self, batch: Sequence[Line]) -> None:
        self.writer.writerows(_csv_row(json.loads(line.text)) for line in batch)
        self.text.flush()

    def close(self) -> None:
        self.text.close()


def _csv_row(record: dict[str, Any]) -> list[str]:
    article = record["article"] or {}
    error = record["error"]
    values: dict[str, Any] = {
        "status": record["status"],
        "source": record["input"]["source"],
        "url": article.get("url") or record["input"]["url"],
        "text": "\n\n".join(article.get("paragraphs", ())),
        "error": ""
        if error is None
        else f"{error_key(error['type'], error['kind'])}: {error['message']}",
    }
    for name in ("title", "published", "language", "is_soc", "category", "attribution"):
        values[name] = article.get(name)
    return [_cell(values[name]) for name in CSV_COLUMNS]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def open_output(path: str, kind: str) -> IO[bytes]:
    """The output file for a new run of the given format, opened to write."""
    if kind == "jsonl.gz":
        return cast(IO[bytes], gzip.open(path, "wb"))  # the sink owns and closes it
    if kind == "jsonl":
        return open(path, "wb", buffering=0)  # one write per item anyway
    return open(path, "wb")


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
    digests: tuple[str | None, ...]
    """``input.sha256`` of each of those items, as written."""
    summary: Summary
    """The kept items, counted."""


def resume_point(path: str | os.PathLike[str]) -> Resume:
    """Read an output a run left behind; see the module docstring."""
    summary = Summary()
    starts: list[tuple[int, str, str | None]] = []  # (offset of its first line, source, sha)
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
                starts.append((offset, source, data["input"].get("sha256")))
                if batch:
                    summary.count(batch)
                batch = []
            key = None if error is None else error_key(error["type"], error.get("kind"))
            batch.append(Line(status, key, b""))
            offset += len(raw)
    if not starts:
        return Resume(offset=0, sources=(), digests=(), summary=Summary())
    return Resume(
        offset=starts[-1][0],
        sources=tuple(source for _, source, _ in starts[:-1]),
        digests=tuple(digest for _, _, digest in starts[:-1]),
        summary=summary,
    )


def open_for_resume(path: str, resume: Resume) -> JsonLinesSink:
    """A sink appending to the output at ``resume.offset``; what follows there is cut when
    the first record is written."""
    handle = open(path, "r+b", buffering=0)  # noqa: SIM115 - the sink owns and closes it
    handle.seek(resume.offset)
    return JsonLinesSink(handle, owned=True, cut=resume.offset)


def merge(into: Summary, other: Summary) -> None:
    into.items += other.items
    into.articles += other.articles
    into.refused.update(other.refused)
    into.failed.update(other.failed)
