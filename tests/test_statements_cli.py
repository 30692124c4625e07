"""``socpress INPUT... --statements`` and ``socpress --statements --from-records RUN``: the
same statements whether the pages are read or a finished run's records file is, in JSON
Lines or Parquet, each valid against the shipped schema, every ok record in one."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from socpress import statements
from socpress.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "statements" / "pages"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, and the gold pages where they are present, with a manifest of URLs."""
    folder = tmp_path_factory.mktemp("pages")
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    lines = []
    for page in sorted(GOLD.glob("g*.txt")) if GOLD.is_dir() else []:
        shutil.copy(page, folder / page.name)
        url = json.loads(page.with_suffix(".json").read_text("utf-8"))["url"]
        lines.append(f"{page.name}\t{url}\n")
    (folder / "socpress-urls.tsv").write_text("".join(lines), encoding="utf-8")
    return folder


def _lines(path: Path) -> list[dict[str, Any]]:
    opener: Any = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def direct(pages: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("direct") / "statements.jsonl"
    assert main([str(pages), "--statements", "--workers", "0", "-o", str(out)]) == 0
    found = _lines(out)
    validator = jsonschema.Draft202012Validator(statements.json_schema())
    for line in found:
        validator.validate(line)
    return found


def test_every_ok_record_is_in_one_statement(
    pages: Path, direct: list[dict[str, Any]], tmp_path: Path
) -> None:
    run = tmp_path / "run.jsonl"
    assert main([str(pages), "--workers", "0", "-o", str(run)]) == 0
    ok = sorted(
        (r["input"]["source"], r["input"]["index"]) for r in _lines(run) if r["status"] == "ok"
    )
    seen = sorted(
        (w["input"]["source"], w["input"]["index"]) for s in direct for w in s["witnesses"]
    )
    assert seen == ok
    assert len(direct) < len(ok) or not GOLD.is_dir()


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".parquet"])
def test_a_finished_run_groups_again_without_its_pages(
    pages: Path, tmp_path: Path, suffix: str
) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    copy = tmp_path / "pages"
    shutil.copytree(pages, copy)
    first = tmp_path / "first.jsonl"
    assert main([str(copy), "--statements", "--workers", "0", "-o", str(first)]) == 0
    run = tmp_path / f"run{suffix}"
    assert main([str(copy), "--workers", "0", "-o", str(run)]) == 0
    shutil.rmtree(copy)  # the pages are gone: only the records file is read
    out = tmp_path / "again.jsonl.gz"
    assert main(["--statements", "--from-records", str(run), "-o", str(out)]) == 0
    assert _lines(out) == _lines(first)


def test_statements_as_parquet_read_back_equal(
    pages: Path, direct: list[dict[str, Any]], tmp_path: Path
) -> None:
    pytest.importorskip("pyarrow")
    from socpress.statements._parquet import rows

    out = tmp_path / "statements.parquet"
    assert main([str(pages), "--statements", "--workers", "0", "-o", str(out)]) == 0
    assert list(rows(out)) == direct


def test_usage_errors(pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run.jsonl"
    assert main([str(pages), "--workers", "0", "-o", str(run)]) == 0
    for argv, says in [
        ([str(pages), "--statements", "-o", str(tmp_path / "x.csv")], "are written as"),
        (["--from-records", str(run)], "goes with --statements"),
        ([str(pages), "--statements", "--from-records", str(run)], "not both"),
        (["--statements", "--from-records", str(run), "-o", str(run)], "also an input"),
    ]:
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
        assert says in capsys.readouterr().err


def test_a_broken_records_file_is_refused_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run.jsonl"
    run.write_text('{"status": "ok"}\n', encoding="utf-8")
    assert main(["--statements", "--from-records", str(run)]) == 2
    assert f"{run}:1: not a socpress record" in capsys.readouterr().err


def test_schema_flag_prints_the_statement_schema(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    assert main(["--statements", "--schema"]) == 0
    assert json.loads(capsysbinary.readouterr().out) == statements.json_schema()
