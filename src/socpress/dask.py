"""Corpus runs on Dask: inputs to a bag of records, a DataFrame, or partitioned Parquet.

Needs the ``dask`` extra (``pip install 'socpress[dask]'``: dask's bag and dataframe,
distributed, pyarrow). The records are those of ``socpress.corpus.records``, in the
same order, as ``Record.to_dict()`` dicts: the work is ``socpress.corpus.iter_items``
and ``socpress.corpus.read_item`` run inside the partitions, so a page gives the same
record on any worker (``tests/test_dask.py`` compares a 2-worker ``LocalCluster`` with one
process, row for row).

How the inputs are split. Page files (given, listed, or found in directories) are expanded
on the client into items that name their path, ``files_per_partition`` to a partition;
each web archive given as an input is a partition of its own, read on a worker (crawlers
rotate WARC files at about 1 GB, so a crawl is many partitions). An archive found inside a
directory is read while the inputs are expanded, on the client, and its pages travel to
the workers as bytes: give archives as inputs to spread their reading too. Paths must be
readable from the workers (the same machine, or a shared file system).

Every item gives at least one record; what is not a page is not a record (the skips that
``socpress.corpus.Summary`` counts have no row here).

``statements`` groups the records into ``socpress.statements.Statement`` values: the pages
are read and fingerprinted in the partitions, where the work is; the fingerprints (a few
hundred bytes each) and records come back to the client, which links them, so the
statements are those of ``socpress.statements.group`` on the same records, row for row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from socpress import corpus

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
    """One partition's work: page items expanded on the client, or one web archive that
    the worker expands itself."""

    items: tuple[corpus.Item, ...] = ()
    """Items to read, as ``socpress.corpus.iter_items`` gave them on the client."""
    archive: str | None = None
    """A web archive for the worker to expand and read, or ``None``."""


def partitions(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    files_per_partition: int = 100,
) -> list[Partition]:
    """The inputs split into partitions, in input order (see the module docstring)."""
    if files_per_partition < 1:
        raise ValueError(f"files_per_partition must be at least 1, not {files_per_partition}")
    from socpress.corpus import _archives

    plan: list[Partition] = []
    pending: list[corpus.Item] = []

    def flush() -> None:
        if pending:
            plan.append(Partition(items=tuple(pending)))
            pending.clear()

    for given in inputs:
        path = os.fsdecode(given) if not isinstance(given, str) else given
        if path != "-" and os.path.isfile(path) and _archives.is_archive(Path(path)):
            flush()
            plan.append(Partition(archive=path))
            continue
        for entry in corpus.iter_items([given], include=include, exclude=exclude):
            if isinstance(entry, corpus.Item):
                pending.append(entry)
                if len(pending) >= files_per_partition:
                    flush()
    flush()
    return plan


def _items(part: Partition) -> Iterator[corpus.Item]:
    yield from part.items
    if part.archive is not None:
        for entry in corpus.iter_items([part.archive]):
            if isinstance(entry, corpus.Item):
                yield entry


def _records(parts: Iterable[Partition], lean: bool) -> list[dict[str, Any]]:
    return [
        record.to_dict()
        for part in parts
        for item in _items(part)
        for record in corpus.read_item(item, lean=lean)
    ]


def bag(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    lean: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    files_per_partition: int = 100,
) -> dask.bag.Bag:
    """A bag of the records (``Record.to_dict()`` dicts) of ``inputs``, one partition per
    ``Partition``; ``bag(...).compute()`` lists them in input order."""
    plan = partitions(
        inputs, include=include, exclude=exclude, files_per_partition=files_per_partition
    )
    if not plan:
        return dask.bag.from_sequence([], npartitions=1)
    parts = dask.bag.from_sequence(plan, npartitions=len(plan))
    return parts.map_partitions(_records, lean)


def _frame(parts: Iterable[Partition], lean: bool) -> pandas.DataFrame:
    import pandas
    import pyarrow as pa

    from socpress.corpus import _parquet

    schema = _parquet.arrow_schema()
    rows = [_parquet._row(record, schema) for record in _records(parts, lean)]
    table = pa.Table.from_pylist(rows, schema=schema)
    return table.to_pandas(types_mapper=pandas.ArrowDtype)


def dataframe(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    lean: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    files_per_partition: int = 100,
) -> dask.dataframe.DataFrame:
    """The records as a Dask DataFrame with the typed columns of the Parquet output
    (``status``, and the structs ``input``, ``article``, ``error``, as pandas
    ``ArrowDtype``): one row per record, partitioned as ``bag`` is."""
    plan = partitions(
        inputs, include=include, exclude=exclude, files_per_partition=files_per_partition
    )
    meta = _frame([], lean)
    if not plan:
        return dask.dataframe.from_pandas(meta, npartitions=1)
    return dask.dataframe.from_map(_frame_of, plan, lean=lean, meta=meta, enforce_metadata=False)


def _frame_of(part: Partition, lean: bool) -> pandas.DataFrame:
    return _frame([part], lean)


def _write(part: Partition, path: str, lean: bool) -> int:
    from socpress.corpus._parquet import ParquetSink

    with ParquetSink(path) as sink:
        for record in _records([part], lean):
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
) -> list[tuple[str, int]]:
    """Write the records as partitioned Parquet: ``directory/part-00000.parquet``, … one
    file per partition, in input order, each written by ``socpress.corpus._parquet.
    ParquetSink`` (the schema of ``-o OUT.parquet``). Runs on the current Dask scheduler
    (a ``distributed.Client`` when one is active); returns each file with its record count.
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    plan = partitions(
        inputs, include=include, exclude=exclude, files_per_partition=files_per_partition
    )
    names = [str(target / f"part-{n:05d}.parquet") for n in range(len(plan))]
    tasks = [delayed(_write)(part, name, lean) for part, name in zip(plan, names, strict=True)]
    counts: tuple[int, ...] = compute(*tasks)
    return list(zip(names, counts, strict=True))


def _fingerprinted(parts: Iterable[Partition], lean: bool) -> list[tuple[dict[str, Any], Any]]:
    from socpress.statements import fingerprint

    out: list[tuple[dict[str, Any], Any]] = []
    for record in _records(parts, lean):
        article = record.get("article")
        fp = None
        if record["status"] == "ok" and article is not None:
            fp = fingerprint(corpus.Record.from_dict(record).article).to_dict()  # type: ignore[arg-type]
        out.append((record, fp))
    return out


def statements(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    lean: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    files_per_partition: int = 100,
    **options: Any,
) -> list[Any]:
    """The statements of ``inputs`` (``socpress.statements.Statement`` values, in the order
    ``group`` gives them): records read and fingerprinted on the current Dask scheduler,
    linked on the client; ``options`` are ``socpress.statements.group``'s."""
    from socpress.statements import Fingerprint
    from socpress.statements import group as _group

    plan = partitions(
        inputs, include=include, exclude=exclude, files_per_partition=files_per_partition
    )
    rows: list[tuple[dict[str, Any], Any]] = []
    if plan:
        parts = dask.bag.from_sequence(plan, npartitions=len(plan))
        rows = parts.map_partitions(_fingerprinted, lean).compute()
    records = [corpus.Record.from_dict(record) for record, _ in rows]
    fingerprints = [None if fp is None else Fingerprint.from_dict(fp) for _, fp in rows]
    return list(_group(records, fingerprints=fingerprints, **options))
