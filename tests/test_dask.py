"""socpress.dask on a 2-worker LocalCluster (processes) gives the single-process records,
row for row: as a bag, as a DataFrame and as partitioned Parquet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask.bag")
pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from socpress import corpus  # noqa: E402
from socpress import dask as sdask  # noqa: E402
from socpress.corpus._parquet import rows  # noqa: E402
from tests import _warcs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("dask-inputs")
    crawl = _warcs.write_warc(
        folder / "crawl.warc.gz", [r.data for r in _warcs.mixed_records()], "record"
    )
    nested = folder / "saved"
    nested.mkdir()
    (nested / "inner.warc").write_bytes(b"".join(r.data for r in _warcs.mixed_records()[:6]))
    damaged = _warcs.damaged_cases(folder)
    return [
        ROOT / "seeds",
        crawl,
        ROOT / "tests" / "fixtures",
        nested,
        damaged[2].path,
        folder / "missing.html",
    ]


@pytest.fixture(scope="module")
def single_process(inputs: list[Path]) -> list[dict[str, Any]]:
    return [record.to_dict() for record in corpus.records(inputs, workers=0)]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _plain(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(json.dumps(record)) for record in records]


def test_partitions_keep_input_order(inputs: list[Path]) -> None:
    plan = sdask.partitions(inputs, files_per_partition=4)
    archives = [part.archive for part in plan if part.archive is not None]
    # An archive found in a directory is a partition too, read on a worker.
    assert archives == [str(inputs[1]), str(inputs[3] / "inner.warc"), str(inputs[4])]
    assert all(len(part.items) <= 4 for part in plan)
    assert len(plan) > 4


@pytest.fixture(scope="module")
def big_warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gzipped WARC whose byte ranges fall in damage, junk and a carried ``.warc.gz``."""
    return _warcs.damaged_members_warc(tmp_path_factory.mktemp("dask-ranges"))


def test_one_warc_by_byte_ranges_gives_one_readers_rows(client: Any, big_warc: Path) -> None:
    want = [record.to_dict() for record in corpus.records([big_warc], workers=0)]
    fooled = _warcs.fooled_range_starts(big_warc)
    assert set(fooled) == {"carried", "skipped"}
    for range_bytes in (*fooled.values(), 1531):
        plan = sdask.partitions([big_warc], range_bytes=range_bytes)
        assert len(plan) >= 5
        assert all(part.piece is not None for part in plan)
        records_bag = sdask.bag([big_warc], range_bytes=range_bytes)
        with distributed.get_task_stream(client) as stream:
            got = records_bag.compute()
        assert len({task["worker"] for task in stream.data}) == 2
        assert _plain(got) == _plain(want), range_bytes
    written = sdask.to_parquet([big_warc], Path(big_warc).parent / "out", range_bytes=1531)
    back = [row for name, _ in written for row in rows(name)]
    assert back == _plain(want)
    frame = sdask.dataframe([big_warc], range_bytes=1531).compute()
    assert [row["source"] for row in frame["input"]] == [r["input"]["source"] for r in want]


def test_bag_on_a_local_cluster_equals_one_process(
    client: Any, inputs: list[Path], single_process: list[dict[str, Any]]
) -> None:
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    records_bag = sdask.bag(inputs, files_per_partition=4)
    assert records_bag.npartitions > 2
    with distributed.get_task_stream(client) as stream:
        got = records_bag.compute()
    # The work was spread: both worker processes ran partitions.
    assert len({task["worker"] for task in stream.data}) == 2
    assert len(got) == len(single_process)
    statuses = {record["status"] for record in got}
    assert statuses == {"ok", "refused"}
    for mine, theirs in zip(_plain(got), _plain(single_process), strict=True):
        assert mine == theirs, theirs["input"]["source"]


def test_dataframe_and_parquet_on_a_local_cluster(
    client: Any, inputs: list[Path], single_process: list[dict[str, Any]], tmp_path: Path
) -> None:
    frame = sdask.dataframe(inputs, files_per_partition=5)
    computed = frame.compute()
    assert len(computed) == len(single_process)
    assert list(computed["status"]) == [r["status"] for r in single_process]
    sources = [row["source"] for row in computed["input"]]
    assert sources == [r["input"]["source"] for r in single_process]
    written = sdask.to_parquet(inputs, tmp_path / "out", files_per_partition=5)
    assert sum(count for _, count in written) == len(single_process)
    back = [row for name, _ in written for row in rows(name)]
    for mine, theirs in zip(back, _plain(single_process), strict=True):
        assert mine == theirs, theirs["input"]["source"]


def test_lean_bag(client: Any, inputs: list[Path]) -> None:
    got = sdask.bag(inputs[:1], lean=True).compute()
    removed = [r for rec in got if rec["article"] for r in rec["article"]["provenance"]["removed"]]
    assert removed
    assert all(r["text"] is None for r in removed)
