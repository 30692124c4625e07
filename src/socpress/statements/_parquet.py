"""Statements out as Parquet: one row per statement, its witnesses a list of structs.

A witness's ``input`` and ``article`` have the Arrow types of the corpus records'
(``socpress.corpus._parquet``, the records' one pyarrow module, whose types and row
conversion this reuses), so a statement file and a records file read alike. ``rows()``
reads a file back into the JSON form of ``Statement.to_dict()``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator, Mapping
from typing import Any

from socpress.corpus import _parquet

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError as err:  # pragma: no cover - corpus._parquet raised first
    raise ImportError(
        "writing Parquet needs the 'parquet' extra: pip install 'socpress[parquet]'"
    ) from err

__all__ = ["StatementSink", "arrow_schema", "rows"]

_DATES = ("published", "first_captured", "last_captured")


def arrow_schema() -> Any:
    """The Arrow schema of ``Statement.to_dict()``."""
    records = _parquet.arrow_schema()
    evidence = pa.struct(
        [
            ("rule", pa.string()),
            ("score", pa.float64()),
            ("anchors", pa.list_(pa.string())),
            ("target", pa.string()),
            ("changed", pa.list_(pa.int64())),
        ]
    )
    witness = pa.struct(
        [
            ("key", pa.string()),
            ("relation", pa.string()),
            ("input", records.field("input").type),
            ("article", records.field("article").type),
            ("evidence", evidence),
        ]
    )
    return pa.schema(
        [
            ("schema", pa.int64()),
            ("id", pa.string()),
            ("canonical", pa.int64()),
            ("published", pa.date32()),
            ("languages", pa.list_(pa.string())),
            ("first_captured", pa.date32()),
            ("last_captured", pa.date32()),
            ("witnesses", pa.list_(witness)),
        ],
        metadata=records.metadata,
    )


def _row(statement: Mapping[str, Any], records: Any) -> dict[str, Any]:
    row = dict(statement)
    for name in _DATES:
        if row[name] is not None:
            row[name] = datetime.date.fromisoformat(row[name])
    witnesses = []
    for witness in statement["witnesses"]:
        as_record = {"status": "ok", "input": witness["input"], "article": witness["article"]}
        converted = _parquet._row({**as_record, "error": None}, records)
        witnesses.append({**witness, "input": converted["input"], "article": converted["article"]})
    row["witnesses"] = witnesses
    return row


class StatementSink(_parquet.RowGroupWriter):
    """Writes ``Statement.to_dict()`` dicts to a Parquet file, in row groups."""

    def __init__(self, path: os.PathLike[str] | str, *, row_group_size: int = 200) -> None:
        self._records = _parquet.arrow_schema()
        super().__init__(path, arrow_schema(), row_group_size=row_group_size)

    def write(self, statement: Mapping[str, Any]) -> None:
        self._add(_row(statement, self._records))


def rows(path: os.PathLike[str] | str) -> Iterator[dict[str, Any]]:
    """The statements of a file ``StatementSink`` wrote, in the JSON form."""
    parquet = pq.ParquetFile(os.fspath(path))
    for group in range(parquet.num_row_groups):
        for row in parquet.read_row_group(group).to_pylist():
            for name in _DATES:
                if row[name] is not None:
                    row[name] = row[name].isoformat()
            row["witnesses"] = [
                {**w, **_parquet._json_form({"article": w["article"]})} for w in row["witnesses"]
            ]
            yield row
