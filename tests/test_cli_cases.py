"""The command line never hurts its user: output formats chosen by suffix, the run's own
output never read or overwritten, a resume that notices changed pages, a full disk that
leaves whole lines and says so, and every item accounted for."""

from __future__ import annotations

import csv
import gzip
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from socpress import corpus
from socpress.__main__ import main
from tests._records import check_lines

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "socpress", *args],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        **kwargs,
    )


# --- formats by suffix -------------------------------------------------------------------


def test_jsonl_gz_is_gzip_of_the_same_lines(tmp_path: Path) -> None:
    inputs = list(map(str, SEEDS))
    assert main(["--workers", "0", *inputs, "-o", str(tmp_path / "a.jsonl")]) == 0
    assert main(["--workers", "0", *inputs, "-o", str(tmp_path / "b.JSONL.GZ")]) == 0
    plain = (tmp_path / "a.jsonl").read_bytes()
    assert gzip.decompress((tmp_path / "b.JSONL.GZ").read_bytes()) == plain
    assert len(check_lines(plain.splitlines())) == len(SEEDS)


def test_parquet_suffix_in_any_case(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from socpress.corpus._parquet import rows

    out = tmp_path / "OUT.PARQUET"
    assert main(["--workers", "0", *map(str, SEEDS), "-o", str(out)]) == 0
    assert out.read_bytes()[:4] == b"PAR1"
    assert [r["input"]["source"] for r in rows(out)] == list(map(str, SEEDS))


def test_csv_holds_the_main_fields_of_every_record(tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    out = tmp_path / "out.csv"
    assert main(["--workers", "0", *map(str, SEEDS), str(missing), "-o", str(out)]) == 1
    with open(out, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0] == [
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
    ]
    rows = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    want = [r.to_dict() for r in corpus.records([*SEEDS, missing], workers=0)]
    assert len(rows) == len(want) == len(SEEDS) + 1
    for row, record in zip(rows, want, strict=True):
        assert row["status"] == record["status"]
        assert row["source"] == record["input"]["source"]
        article = record["article"]
        if article is None:
            assert row["title"] == row["text"] == ""
            error = record["error"]
            key = error["type"] + (f"/{error['kind']}" if error["kind"] else "")
            assert row["error"] == f"{key}: {error['message']}"
            continue
        assert row["title"] == article["title"]
        assert row["published"] == (article["published"] or "")
        assert row["is_soc"] == ("true" if article["is_soc"] else "false")
        assert row["text"] == "\n\n".join(article["paragraphs"])
        assert row["error"] == ""


@pytest.mark.parametrize("name", ["out.json", "out.txt", "out", "out.jsonl.zip"])
def test_an_unknown_suffix_is_a_usage_error_and_writes_nothing(tmp_path: Path, name: str) -> None:
    done = _run(str(SEEDS[0]), "-o", str(tmp_path / name))
    assert done.returncode == 2
    assert b"socpress writes .jsonl.gz, .jsonl, .csv, .parquet" in done.stderr
    assert not (tmp_path / name).exists()


# --- the run's own output ----------------------------------------------------------------


def test_an_output_that_is_an_input_is_refused_before_it_is_touched(tmp_path: Path) -> None:
    page = tmp_path / "page.jsonl"  # a page file with an output's suffix
    page.write_bytes(SEEDS[0].read_bytes())
    done = _run(str(page), "-o", str(page))
    assert done.returncode == 2
    assert b"is also an input" in done.stderr
    assert page.read_bytes() == SEEDS[0].read_bytes()
    listing = tmp_path / "list.csv"
    listing.write_text(f"{SEEDS[0]}\n")
    done = _run("--from", str(listing), "-o", str(listing))
    assert done.returncode == 2
    assert listing.read_text() == f"{SEEDS[0]}\n"


def test_an_output_inside_an_input_directory_is_not_read(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for seed in SEEDS:
        (pages / seed.name).write_bytes(seed.read_bytes())
    outs = {}
    for workers in ("0", "2"):
        out = pages / f"out-{workers}.jsonl"
        for stale in pages.glob("out-*.jsonl"):
            stale.unlink()
        done = _run("--workers", workers, str(pages), "-o", str(out))
        assert done.returncode == 0, done.stderr
        assert b"1 skipped (own-output: 1)" in done.stderr
        outs[workers] = out.read_bytes()
    assert len(outs["0"].splitlines()) == len(SEEDS)
    assert outs["0"] == outs["2"]


# --- resume -------------------------------------------------------------------------------


def test_resume_notices_a_page_that_changed_under_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = []
    for seed in SEEDS:
        page = tmp_path / seed.name
        page.write_bytes(seed.read_bytes())
        pages.append(str(page))
    out = tmp_path / "out.jsonl"
    assert main(["--workers", "0", *pages, "-o", str(out)]) == 0
    written = out.read_bytes()
    Path(pages[1]).write_bytes(SEEDS[1].read_bytes().replace(b"the", b"a"))
    capsys.readouterr()
    assert main(["--workers", "0", *pages, "-o", str(out), "--resume"]) == 2
    err = capsys.readouterr().err
    assert f"cannot resume: item 2, {pages[1]!r}, changed since the output was written" in err
    assert out.read_bytes() == written  # untouched


# --- a full disk ----------------------------------------------------------------------------


def _file_size_limit(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails: EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_an_output_that_cannot_grow_leaves_whole_lines_and_a_distinct_status(
    tmp_path: Path,
) -> None:
    inputs = [str(p) for p in SEEDS] * 4
    whole = tmp_path / "whole.jsonl"
    assert main(["--workers", "0", *inputs, "-o", str(whole)]) == 0
    expected = whole.read_bytes()
    out = tmp_path / "out.jsonl"
    limit = len(expected) // 2
    done = _run(
        "--workers", "0", *inputs, "-o", str(out), preexec_fn=lambda: _file_size_limit(limit)
    )
    assert done.returncode == 3, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"socpress: cannot write" in done.stderr
    assert b"run again with --resume" in done.stderr
    kept = out.read_bytes()
    assert 0 < len(kept) <= limit
    assert kept.endswith(b"\n")  # no torn line
    assert expected.startswith(kept)
    # With room again, --resume ends with exactly the records of one run.
    assert _run("--workers", "0", *inputs, "-o", str(out), "--resume").returncode == 0
    assert out.read_bytes() == expected


def test_a_full_device_is_said_plainly() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "socpress", "--workers", "0", str(SEEDS[0])],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    assert done.returncode == 3, done.stderr
    assert b"socpress: cannot write standard output: No space left on device" in done.stderr
    assert b"Traceback" not in done.stderr


# --- every item accounted for ---------------------------------------------------------------


def test_an_unreadable_folder_is_a_refused_record_not_a_silence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_bytes(SEEDS[0].read_bytes())
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_bytes(SEEDS[1].read_bytes())
    real = os.scandir

    def scandir(path: str) -> object:  # as for a folder without read permission (root reads all)
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    got = list(corpus.records([tmp_path], workers=0))
    assert [r.status for r in got] == ["ok", "refused"]
    assert got[1].error is not None
    assert got[1].error.kind == "unreadable-directory"
    assert got[1].error.message == f"{locked}: cannot read the directory: Permission denied"


def test_comment_lines_in_a_list_are_not_paths(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(f"# pages of 2023\n{SEEDS[0]}\n\n#{SEEDS[1]}\n")
    done = _run("--workers", "0", "--from", str(listing))
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1


def test_a_url_given_as_an_input_says_socpress_does_not_fetch() -> None:
    done = _run("https://en.etilaf.org/press")
    assert done.returncode == 2
    assert b"it does not fetch URLs" in done.stderr


def test_url_with_a_directory_is_a_usage_error() -> None:
    done = _run("--url", "https://en.etilaf.org/x", str(ROOT / "seeds"))
    assert done.returncode == 2
    assert b"is a directory" in done.stderr


def test_one_item_is_one_item(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--workers", "1", str(SEEDS[0])]) == 0
    assert capsys.readouterr().err == (
        "socpress: 1 item read: 1 article, 0 refused, 0 failed; 0 skipped\n"
    )


def test_workers_0_says_the_limits_do_not_apply(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--workers", "0", str(SEEDS[0])]) == 0
    assert "the time and memory limits do not apply" in capsys.readouterr().err


def test_a_script_without_the_main_guard_is_told_once_and_stops(tmp_path: Path) -> None:
    script = tmp_path / "read_all.py"
    script.write_text(
        "from socpress import corpus\n"
        f"records = list(corpus.records([{str(ROOT / 'seeds')!r}], workers=2))\n"
        "print('statuses', [r.status for r in records])\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, timeout=120, check=False
    )
    assert done.returncode == 1
    assert b"statuses" not in done.stdout  # never a run of 'failed' records
    assert done.stderr.count(b"socpress.errors.SocpressError: the worker processes could not") == 1
    assert b'if __name__ == "__main__":' in done.stderr
