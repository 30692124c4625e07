"""Statements in and out of files: a finished run's records read back (so a corpus can be
grouped again without reading its pages), statements written as JSON Lines or Parquet."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import IO, Any, Protocol, cast

from socpress import corpus
from socpress.errors import InputError
from socpress.statements._values import Statement

__all__ = ["RECORD_FORMATS", "StatementWriter", "open_writer", "read_records", "statement_line"]

RECORD_FORMATS = (".jsonl", ".jsonl.gz", ".parquet")
"""The records files ``read_records`` reads (any case): what ``socpress -o`` writes, but CSV
(which keeps only some columns)."""


def _kind(path: str) -> str | None:
    lower = path.lower()
    return next((s for s in (".jsonl.gz", ".jsonl", ".parquet") if lower.endswith(s)), None)


def read_records(path: str) -> Iterator[corpus.Record]:
    """The records of a file written by ``socpress -o`` (``.jsonl``, ``.jsonl.gz``,
    ``.parquet``), in file order. A line that is not a record is an ``InputError`` naming
    the file and line."""
    kind = _kind(path)
    if kind is None:
        raise InputError(
            f"{path}: a records file is {', '.join(RECORD_FORMATS)} (written by socpress -o)",
            source=path,
        )
    if kind == ".parquet":
        try:
            from socpress.corpus import _parquet
        except ImportError as err:
            raise InputError(f"{path}: {err}", source=path) from err
        for number, row in enumerate(_parquet.rows(path), 1):
            yield _record(row, path, number)
        return
    opener = gzip.open if kind == ".jsonl.gz" else open
    try:
        with opener(path, "rb") as handle:
            for number, line in enumerate(cast(IO[bytes], handle), 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except ValueError as err:
                    raise InputError(f"{path}:{number}: not JSON ({err})", source=path) from err
                yield _record(data, path, number)
    except OSError as err:
        raise InputError(f"{path}: {err.strerror or err}", source=path) from err


def _record(data: Any, path: str, number: int) -> corpus.Record:
    try:
        return corpus.Record.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise InputError(
            f"{path}:{number}: not a socpress record ({type(err).__name__}: {err})", source=path
        ) from err


def statement_line(statement: Statement) -> bytes:
    """One statement as one line of UTF-8 JSON (a name that cannot be UTF-8 is escaped)."""
    data = statement.to_dict()
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(data, separators=(",", ":")) + "\n").encode()


class StatementWriter(Protocol):
    def write(self, statement: Statement) -> None: ...

    def close(self) -> None: ...


class _Lines:
    def __init__(self, stream: IO[bytes], owned: bool) -> None:
        self.stream, self.owned = stream, owned

    def write(self, statement: Statement) -> None:
        self.stream.write(statement_line(statement))

    def close(self) -> None:
        if self.owned:
            self.stream.close()
        else:
            self.stream.flush()


class _Parquet:
    def __init__(self, path: str) -> None:
        try:
            from socpress.statements._parquet import StatementSink
        except ImportError as err:
            raise InputError(f"{path}: {err}", source=path) from err
        self.sink = StatementSink(path)

    def write(self, statement: Statement) -> None:
        self.sink.write(statement.to_dict())

    def close(self) -> None:
        self.sink.close()


def open_writer(path: str | None, stdout: IO[bytes]) -> StatementWriter:
    """Where statements go: standard output, or ``path`` (JSON Lines, gzipped for
    ``.jsonl.gz``, Parquet for ``.parquet``)."""
    if path is None:
        return _Lines(stdout, owned=False)
    kind = _kind(path)
    if kind == ".parquet":
        return _Parquet(path)
    if kind == ".jsonl.gz":
        return _Lines(cast(IO[bytes], gzip.open(path, "wb")), owned=True)
    if kind == ".jsonl":
        return _Lines(open(path, "wb"), owned=True)
    raise InputError(
        f"-o {path}: statements are written as .jsonl, .jsonl.gz or .parquet", source=path
    )


def writable(path: str) -> bool:
    """Whether ``open_writer`` writes this suffix."""
    return _kind(path) is not None
