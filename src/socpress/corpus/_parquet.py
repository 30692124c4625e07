"""Corpus records out as Parquet: a typed Arrow schema that mirrors ``Record.to_dict()``.

The one module that imports pyarrow (the optional extra ``parquet``). Rows are buffered and
written as row groups of ``row_group_size``, so memory stays flat however long the run.
Every key of the record's JSON form has a column; a key the schema does not know is an
error, never dropped. Dates are Arrow ``date32``, spans fixed-size pairs of ``int64``,
``provenance.fields`` and ``provenance.rejected`` maps keyed by field name. ``rows()``
reads a file back into the JSON form, so ``rows(path)`` equals the records written.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator, Mapping
from typing import Any, Final, Self

from socpress._model import SCHEMA_VERSION
from socpress._version import VERSION

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError as err:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "writing Parquet needs the 'parquet' extra: pip install 'socpress[parquet]'"
    ) from err

__all__ = ["ParquetSink", "RowGroupWriter", "arrow_schema", "rows"]

_SPAN: Final = pa.list_(pa.int64(), 2)


def _evidence() -> pa.DataType:
    return pa.struct(
        [
            ("rule", pa.string()),
            ("raw", pa.string()),
            ("spans", pa.list_(_SPAN)),
            ("locator", pa.string()),
        ]
    )


def _provenance() -> pa.DataType:
    return pa.struct(
        [
            ("source", pa.string()),
            ("sha256", pa.string()),
            ("input_format", pa.string()),
            ("encoding", pa.string()),
            ("encoding_rule", pa.string()),
            ("layout", pa.string()),
            ("parser_version", pa.string()),
            ("captured", pa.date32()),
            ("truncated", pa.bool_()),
            ("notes", pa.list_(pa.string())),
            ("fields", pa.map_(pa.string(), _evidence())),
            ("rejected", pa.map_(pa.string(), pa.list_(_evidence()))),
            (
                "removed",
                pa.list_(
                    pa.struct(
                        [
                            ("rule", pa.string()),
                            ("text", pa.string()),
                            ("span", _SPAN),
                            ("locator", pa.string()),
                        ]
                    )
                ),
            ),
            (
                "damage",
                pa.list_(
                    pa.struct(
                        [
                            ("kind", pa.string()),
                            ("count", pa.int64()),
                            ("offsets", pa.list_(pa.int64())),
                            ("locators", pa.list_(pa.string())),
                        ]
                    )
                ),
            ),
        ]
    )


def _article() -> pa.DataType:
    return pa.struct(
        [
            ("schema", pa.int32()),
            ("title", pa.string()),
            ("published", pa.date32()),
            ("category", pa.string()),
            ("summary", pa.string()),
            ("paragraphs", pa.list_(pa.string())),
            ("attribution", pa.string()),
            (
                "release",
                pa.struct(
                    [
                        ("kind", pa.string()),
                        ("issuer", pa.string()),
                        ("department", pa.string()),
                        ("dated", pa.date32()),
                    ]
                ),
            ),
            ("language", pa.string()),
            ("is_soc", pa.bool_()),
            ("url", pa.string()),
            ("provenance", _provenance()),
        ]
    )


def arrow_schema() -> pa.Schema:
    """The Arrow schema of a corpus record: ``status``, ``input``, ``article``, ``error``,
    typed field by field as ``Record.to_dict()`` and ``Article.to_dict()`` describe them."""
    return pa.schema(
        [
            ("status", pa.string()),
            (
                "input",
                pa.struct(
                    [
                        ("source", pa.string()),
                        ("archive", pa.string()),
                        ("member", pa.string()),
                        ("offset", pa.int64()),
                        ("record_id", pa.string()),
                        ("url", pa.string()),
                        ("sha256", pa.string()),
                        ("index", pa.int64()),
                    ]
                ),
            ),
            ("article", _article()),
            (
                "error",
                pa.struct([("type", pa.string()), ("kind", pa.string()), ("message", pa.string())]),
            ),
        ],
        metadata={"socpress.version": VERSION, "socpress.schema": str(SCHEMA_VERSION)},
    )


# --- JSON form <-> Arrow rows ----------------------------------------------------------

# Where the JSON form holds an ISO date string and Arrow a date, by path of keys.
_DATES: Final = (
    ("article", "published"),
    ("article", "provenance", "captured"),
    ("article", "release", "dated"),
)


def _check_keys(kind: str, value: Mapping[str, Any], type_: pa.DataType) -> None:
    names = {type_.field(i).name for i in range(type_.num_fields)}
    unknown = set(value) - names
    if unknown:
        raise ValueError(
            f"{kind} has keys the Parquet schema does not know: {sorted(unknown)} "
            "(socpress.corpus._parquet.arrow_schema must grow with the record)"
        )


def _row(record: Mapping[str, Any], schema: pa.Schema) -> dict[str, Any]:
    """The record's JSON form with ISO dates as dates, checked against the schema. A lean
    record (``Record(lean=True).to_dict()``) is written as it is: its texts are already out."""
    top = {name: record.get(name) for name in schema.names}
    unknown = set(record) - set(schema.names)
    if unknown:
        raise ValueError(f"record has keys the Parquet schema does not know: {sorted(unknown)}")
    if top["input"] is not None:
        _check_keys("input", top["input"], schema.field("input").type)
    article = top["article"]
    if article is None:
        return top
    article_type = schema.field("article").type
    _check_keys("article", article, article_type)
    article = dict(article)
    provenance = dict(article["provenance"])
    _check_keys("provenance", provenance, article_type.field("provenance").type)
    article["provenance"] = provenance
    if article.get("release") is not None:
        article["release"] = dict(article["release"])
    top["article"] = article
    for path in _DATES:
        holder: Any = top
        for key in path[:-1]:
            holder = holder.get(key) if holder is not None else None
        if holder is not None and holder.get(path[-1]) is not None:
            holder[path[-1]] = _date_in(holder[path[-1]])
    return top


def _date_in(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _json_form(row: dict[str, Any]) -> dict[str, Any]:
    """An Arrow row back in the JSON form: maps as dicts, dates as ISO strings."""
    article = row.get("article")
    if article is not None:
        provenance = article["provenance"]
        provenance["fields"] = dict(provenance["fields"] or ())
        provenance["rejected"] = dict(provenance["rejected"] or ())
        for path in _DATES:
            holder: Any = row
            for key in path[:-1]:
                holder = holder.get(key) if holder is not None else None
            if holder is not None and holder.get(path[-1]) is not None:
                holder[path[-1]] = holder[path[-1]].isoformat()
    return row


class RowGroupWriter:
    """Rows of one Arrow schema to a Parquet file, buffered and written in row groups.

    A context manager; ``close`` writes what is buffered and the footer, and is idempotent.
    Subclasses turn their values into rows and hand them to ``_add``."""

    def __init__(
        self, path: os.PathLike[str] | str, schema: pa.Schema, *, row_group_size: int
    ) -> None:
        if row_group_size < 1:
            raise ValueError(f"row_group_size must be at least 1, not {row_group_size}")
        self._schema = schema
        self._size = row_group_size
        self._rows: list[dict[str, Any]] = []
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(
            os.fspath(path), schema, compression="zstd"
        )
        self.written = 0
        """How many rows have been written (flushed or buffered)."""

    def _add(self, row: dict[str, Any]) -> None:
        """Add one row; a full buffer is written out as one row group."""
        if self._writer is None:
            raise ValueError(f"write to a closed {type(self).__name__}")
        self._rows.append(row)
        self.written += 1
        if len(self._rows) >= self._size:
            self._flush()

    def _flush(self) -> None:
        if self._rows and self._writer is not None:
            table = pa.Table.from_pylist(self._rows, schema=self._schema)
            self._writer.write_table(table, row_group_size=self._size)
            self._rows = []

    def close(self) -> None:
        """Write what is buffered and finish the file (its footer). Idempotent."""
        if self._writer is None:
            return
        try:
            self._flush()
        finally:
            self._writer.close()
            self._writer = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ParquetSink(RowGroupWriter):
    """Writes corpus records (``Record.to_dict()``) to a Parquet file in row groups.

    A context manager: ``with ParquetSink(path) as sink: sink.write(record.to_dict())``.
    Lean records (``records(lean=True)``) come with their removed-chrome texts already out.
    """

    def __init__(self, path: os.PathLike[str] | str, *, row_group_size: int = 1000) -> None:
        super().__init__(path, arrow_schema(), row_group_size=row_group_size)

    def write(self, record: Mapping[str, Any]) -> None:
        """Add one record; a full buffer is written out as one row group."""
        self._add(_row(record, self._schema))


def rows(path: os.PathLike[str] | str) -> Iterator[dict[str, Any]]:
    """The records of a Parquet file written by ``ParquetSink``, in the JSON form of
    ``Record.to_dict()``, one row group at a time."""
    parquet = pq.ParquetFile(os.fspath(path))
    for group in range(parquet.num_row_groups):
        for row in parquet.read_row_group(group).to_pylist():
            yield _json_form(row)
