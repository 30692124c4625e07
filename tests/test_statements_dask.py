"""socpress.dask.statements on a 2-worker LocalCluster (processes) gives the statements of
socpress.statements.group in one process, row for row."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

from socpress import corpus, statements  # noqa: E402
from socpress import dask as sdask  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The seeds; the gold statement pages and the other editions' real pages where present
    (with their URLs in a manifest), so that statements of several witnesses are made."""
    folder = tmp_path_factory.mktemp("statement-inputs")
    lines = []
    for name in ("statements/pages", "realpages"):
        for page in sorted((SHARED / name).glob("*.txt")) if (SHARED / name).is_dir() else []:
            target = f"{name.replace('/', '-')}-{page.name}"
            shutil.copy(page, folder / target)
            gold = page.with_suffix(".json")
            url = json.loads(gold.read_text("utf-8")).get("url") if gold.exists() else None
            if url:
                lines.append(f"{target}\t{url}\n")
    (folder / "socpress-urls.tsv").write_text("".join(lines), encoding="utf-8")
    return [ROOT / "seeds", folder, folder / "missing.txt"]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_cluster_gives_the_single_process_statements(inputs: list[Path], client: Any) -> None:
    single = [s.to_dict() for s in statements.group(corpus.records(inputs, workers=0))]
    spread = [s.to_dict() for s in sdask.statements(inputs, files_per_partition=7)]
    assert len({w["input"]["source"] for s in spread for w in s["witnesses"]}) > 5
    assert spread == single
    assert any(len(s["witnesses"]) > 1 for s in spread)


def test_options_reach_the_grouping(inputs: list[Path], client: Any) -> None:
    tight = [s.to_dict() for s in statements.group(corpus.records(inputs, workers=0), window=0)]
    assert [s.to_dict() for s in sdask.statements(inputs, window=0)] == tight
