"""Corpus runs on Dask: inputs to a bag of records, a DataFrame, or partitioned Parquet.

Needs the ``dask`` extra (``pip install 'socpress[dask]'``: dask's bag and dataframe,
distributed, pyarrow). The records are those of ``socpress.corpus.records``, in the
same order, as ``Record.to_dict()`` dicts: the work is ``socpress.corpus.iter_items``
and ``socpress.corpus.read_item`` run inside the partitions, so a page gives the same
record on any worker (``tests/test_dask.py`` compares a 2-worker ``LocalCluster`` with one
process, row for row).

How the inputs are split. Page files (given, listed, or found in directories) are expanded
on the client into items that name their path, ``files_per_partition`` to a partition; a web
archive, given or found in a directory, is partitioned by its pieces, which workers read
themselves: a WACZ by its WARC files, a gzipped WARC over ``range_bytes`` (8 MiB unless
given) by byte ranges, so that one 10 GB WARC is some 1,200 partitions across the cluster,
and any other archive whole. A byte range's partition holds the records of the gzip members
that start in it, merged after the range before it as ``socpress.corpus`` does it (a small
task per range, in order: only the records from the member the range before it goes on at,
the range read again from there in the rare case its reader started elsewhere), so the rows
are those of one reader. Paths must be readable from the workers (the same machine, or a
shared file system).

Every item gives at least one record; what is not a page is not a record (the skips that
``socpress.corpus.Summary`` counts have no row here).

``statements`` groups the records into ``socpress.statements.Statement`` values: the pages
are read and fingerprinted in the partitions, where the work is; the fingerprints (a few
hundred bytes each) and records come back to the client, which links them, so the
statements are those of ``socpress.statements.group`` on the same records, row for row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from socpress import corpus
from socpress.corpus import _inputs
from socpress.corpus._pieces import Mismatch, Piece, PieceReader, RangeCheck, pinned

try:
    import dask.bag
    import dask.dataframe
    from dask.base import compute
    from dask.delayed import delayed
except ImportError as err:  # pragma: no cover - exercised only without the extra
    raise ImportError("socpress.dask needs the 'dask' extra: pip install 'socpress[dask]'") from err

if TYPE_CHECKING:
    import pandas

__all__ = ["Partition", "bag", "dataframe", "partitions", "statements", "to_parquet"]


@attrs.frozen(kw_only=True)
class Partition:
    """One partition's work: page items expanded on the client, or one piece of a web
    archive that the worker reads itself."""

    items: tuple[corpus.Item, ...] = ()
    """Items to read, as ``socpress.corpus.iter_items`` gave them on the client."""
    piece: Piece | None = None
    """A piece of a web archive (the whole file, a WARC of a WACZ, a byte range of a
    ``.warc.gz``) for the worker to read, or ``None``."""

    @property
    def archive(self) -> str | None:
        """The web archive the piece is of, or ``None``."""
        return None if self.piece is None else self.piece.archive


def partitions(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    files_per_partition: int = 100,
    range_bytes: int | None = None,
) -> list[Partition]:
    """The inputs split into partitions, in input order (see the module docstring)."""
    if files_per_partition < 1:
        raise ValueError(f"files_per_partition must be at least 1, not {files_per_partition}")
    plan: list[Partition] = []
    pending: list[corpus.Item] = []

    def flush() -> None:
        if pending:
            plan.append(Partition(items=tuple(pending)))
            pending.clear()

    units = _inputs.iter_units(inputs, include=include, exclude=exclude, range_bytes=range_bytes)
    for unit in units:
        if isinstance(unit, Piece):
            flush()
            plan.append(Partition(piece=unit))
        elif isinstance(unit, corpus.Item):
            pending.append(unit)
            if len(pending) >= files_per_partition:
                flush()
    flush()
    return plan


_Rows = list[tuple[int | None, list[dict[str, Any]]]]
"""A partition's entries as read: each with its gzip member and its records' dicts (none
for a skip), for the merge to choose from."""


def _read(part: Partition, lean: bool) -> tuple[_Rows, int | None]:
    """The entries of a partition, and where its archive's member chain goes on."""
    rows: _Rows
    if part.piece is None:
        rows = [(None, _dicts(item, lean)) for item in part.items]
        return rows, None
    reader = PieceReader(part.piece)
    rows = [
        (step, [] if isinstance(entry, corpus.Skip) else _dicts(entry, lean))
        for step, entry in _inputs.piece_entries(reader)
    ]
    return rows, reader.next_start


def _dicts(item: corpus.Item, lean: bool) -> list[dict[str, Any]]:
    return [record.to_dict() for record in corpus.read_item(item, lean=lean)]


def _merge(
    read: tuple[_Rows, int | None], part: Partition, expected: int | None, lean: bool
) -> tuple[list[dict[str, Any]], int | None]:
    """The partition's records after the partitions before it, and where its archive's
    chain goes on (``RangeCheck``)."""
    rows, next_start = read
    piece = part.piece
    while True:
        if piece is None or not piece.start:
            return [d for _, dicts in rows for d in dicts], next_start
        check = RangeCheck(piece, expected)
        try:
            kept = [d for step, dicts in rows if check.take(step) for d in dicts]
            return kept, check.done(next_start)
        except Mismatch as err:  # its reader started elsewhere: read it again, pinned
            piece = pinned(piece, err.start)
            rows, next_start = _read(Partition(piece=piece), lean)
            expected = err.start


def _merged(plan: list[Partition], lean: bool) -> list[Any]:
    """One delayed list of record dicts per partition: the reading in parallel, the merge a
    small task per partition after the one before it."""
    out = []
    expected: Any = 0
    for part in plan:
        read = delayed(_read, pure=True)(part, lean)
        merged = delayed(_merge, nout=2, pure=True)(read, part, expected, lean)
        out.append(merged[0])
        expected = merged[1]
    return out


def bag(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    lean: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    files_per_partition: int = 100,
    range_bytes: int | None = None,
) -> dask.bag.Bag:
    """A bag of the records (``Record.to_dict()`` dicts) of ``inputs``, one partition per
    ``Partition``; ``bag(...).compute()`` lists them in input order."""
    plan = partitions(
        inputs,
        include=include,
        exclude=exclude,
        files_per_partition=files_per_partition,
        range_bytes=range_bytes,
    )
    if not plan:
        return dask.bag.from_sequence([], npartitions=1)
    return dask.bag.from_delayed(_merged(plan, lean))


def _frame(records: list[dict[str, Any]]) -> pandas.DataFrame:
    import pandas
    import pyarrow as pa

    from socpress.corpus import _parquet

    schema = _parquet.arrow_schema()
    rows = [_parquet._row(record, schema) for record in records]
    table = pa.Table.from_pylist(rows, schema=schema)
    return table.to_pandas(types_mapper=pandas.ArrowDtype)


def dataframe(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    lean: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    files_per_partition: int = 100,
    range_bytes: int | None = None,
) -> dask.dataframe.DataFrame:
    """The records as a Dask DataFrame with the typed columns of the Parquet output
    (``status``, and the structs ``input``, ``article``, ``error``, as pandas
    ``ArrowDtype``): one row per record, partitioned as ``bag`` is."""
    plan = partitions(
        inputs,
        include=include,
        exclude=exclude,
        files_per_partition=files_per_partition,
        range_bytes=range_bytes,
    )
    meta = _frame([])
    if not plan:
        return dask.dataframe.from_pandas(meta, npartitions=1)
    frames = [delayed(_frame, pure=True)(records) for records in _merged(plan, lean)]
    return dask.dataframe.from_delayed(frames, meta=meta, verify_meta=False)


def _write(records: list[dict[str, Any]], path: str) -> int:
    from socpress.corpus._parquet import ParquetSink

    with ParquetSink(path) as sink:
        for record in records:
            sink.write(record)
    return sink.written


def to_parquet(
    inputs: Iterable[str | os.PathLike[str]],
    directory: str | os.PathLike[str],
    *,
    lean: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    files_per_partition: int = 100,
    range_bytes: int | None = None,
) -> list[tuple[str, int]]:
    """Write the records as partitioned Parquet: ``directory/part-00000.parquet``, … one
    file per partition, in input order, each written by ``socpress.corpus._parquet.
    ParquetSink`` (the schema of ``-o OUT.parquet``). Runs on the current Dask scheduler
    (a ``distributed.Client`` when one is active); returns each file with its record count.
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    plan = partitions(
        inputs,
        include=include,
        exclude=exclude,
        files_per_partition=files_per_partition,
        range_bytes=range_bytes,
    )
    names = [str(target / f"part-{n:05d}.parquet") for n in range(len(plan))]
    merged = _merged(plan, lean)
    tasks = [delayed(_write)(records, name) for records, name in zip(merged, names, strict=True)]
    counts: tuple[int, ...] = compute(*tasks)
    return list(zip(names, counts, strict=True))


def _fingerprinted(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Any]]:
    from socpress.statements import fingerprint

    out: list[tuple[dict[str, Any], Any]] = []
    for record in records:
        fp = None
        if record["status"] == "ok" and record.get("article") is not None:
            article = corpus.Record.from_dict(record).article
            fp = None if article is None else fingerprint(article).to_dict()
        out.append((record, fp))
    return out


def statements(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    lean: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    files_per_partition: int = 100,
    range_bytes: int | None = None,
    **options: Any,
) -> list[Any]:
    """The statements of ``inputs`` (``socpress.statements.Statement`` values, in the order
    ``group`` gives them): records read and fingerprinted on the current Dask scheduler,
    linked on the client; ``options`` are ``socpress.statements.group``'s."""
    from socpress.statements import Fingerprint
    from socpress.statements import group as _group

    plan = partitions(
        inputs,
        include=include,
        exclude=exclude,
        files_per_partition=files_per_partition,
        range_bytes=range_bytes,
    )
    tasks = [delayed(_fingerprinted, pure=True)(part) for part in _merged(plan, lean)]
    rows = [row for part in compute(*tasks) for row in part]
    records = [corpus.Record.from_dict(record) for record, _ in rows]
    fingerprints = [None if fp is None else Fingerprint.from_dict(fp) for _, fp in rows]
    return list(_group(records, fingerprints=fingerprints, **options))
