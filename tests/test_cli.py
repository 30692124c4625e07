"""The command line: one JSON record per line in input order, a summary on stderr, exit
status; pipes, signals, locales and --resume after a real kill."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

import socpress
from socpress import corpus
from socpress.__main__ import main
from socpress.corpus import _reading
from tests._records import check, check_lines

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ARABIC = ROOT / "tests" / "fixtures" / "html" / "arabic-windows-1256.html"
LISTING = ROOT / "tests" / "fixtures" / "text" / "listing-date-archive-en.txt"
IN_PROCESS = "socpress: --workers 0 reads in this process: the time and memory limits do not apply"


def cli(
    *args: str,
    env: dict[str, str] | None = None,
    stdout: int | IO[bytes] = subprocess.PIPE,
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "socpress", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


def test_every_seed_one_record_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(p) for p in SEEDS]) == 0
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    assert len(out) == len(SEEDS)
    for data, path in zip(check_lines(out), SEEDS, strict=True):
        assert data["status"] == "ok"
        assert data["input"]["source"] == str(path)
        assert socpress.Article.from_dict(data["article"]) == socpress.load_article(path)
    assert captured.err == "socpress: 5 items read: 5 articles, 0 refused, 0 failed; 0 skipped\n"


def test_a_refusal_is_a_record_and_others_still_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["--workers", "0", str(empty), str(SEEDS[0])]) == 1
    captured = capsys.readouterr()
    refused, ok = check_lines(captured.out.splitlines())
    assert refused["status"] == "refused"
    assert refused["error"]["type"] == "InputError"
    assert "empty.txt: input is empty" in refused["error"]["message"]
    assert ok["status"] == "ok"
    assert "1 refused (InputError: 1)" in captured.err


def test_python_dash_m_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "socpress", str(SEEDS[1]), str(LISTING), "-o", str(out)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    records = check_lines(out.read_bytes().splitlines())
    assert records[0]["article"]["title"].startswith("On Sixth Anniversary")
    assert [r["input"]["index"] for r in records] == [0, 0, 1]


def test_internal_error_is_a_failed_record_and_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = socpress.load_articles
    calls: list[object] = []

    def flaky(source: object, **kwargs: object) -> list[socpress.Article]:
        calls.append(source)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return real(source, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_reading, "load_articles", flaky)
    assert main(["--workers", "0", str(SEEDS[0]), str(SEEDS[1])]) == 1
    captured = capsys.readouterr()
    failed, ok = check_lines(captured.out.splitlines())
    assert failed["status"] == "failed"
    assert failed["error"]["message"].startswith("boom")
    assert ok["status"] == "ok"
    assert "1 failed (RuntimeError: 1)" in captured.err


def test_schema_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--schema"]) == 0
    assert json.loads(capsys.readouterr().out) == corpus.json_schema()


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit):
        main(["--resume", str(SEEDS[0])])
    assert "--resume needs -o" in capsys.readouterr().err


def test_url_for_one_page(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://en.etilaf.org/all-news/news/x.html"
    assert main(["--workers", "0", "--url", url, str(SEEDS[0])]) == 0
    (record,) = check_lines(capsys.readouterr().out.splitlines())
    assert record["input"]["url"] == record["article"]["url"] == url


def test_output_is_utf8_whatever_the_locale() -> None:
    proc = cli(
        "--workers",
        "1",
        str(ARABIC),
        env={"PYTHONIOENCODING": "cp1252", "LC_ALL": "C", "LANG": "C"},
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    (record,) = check_lines([out.decode("utf-8")])
    assert any("\u0600" <= ch <= "\u06ff" for ch in record["article"]["title"])


def _page_list(tmp_path: Path, copies: int) -> Path:
    """A list of many small pages: the seeds, a listing (two records) and an empty page."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    pages = [*SEEDS, LISTING, empty]
    listing = tmp_path / "list.txt"
    listing.write_text("".join(f"{pages[i % len(pages)]}\n" for i in range(copies)))
    return listing


def test_closed_stdout_ends_quietly(tmp_path: Path) -> None:
    listing = _page_list(tmp_path, 2000)
    proc = cli("--workers", "2", "--from", str(listing))
    assert proc.stdout is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read() if proc.stderr else b""
    assert proc.wait(timeout=60) == 141
    check(json.loads(first))
    assert err == b""


def test_ctrl_c_stops_and_says_how_far(tmp_path: Path) -> None:
    listing = _page_list(tmp_path, 20000)
    out = tmp_path / "out.jsonl"
    proc = cli("--workers", "2", "--from", str(listing), "-o", str(out))
    deadline = time.monotonic() + 30
    while (not out.exists() or out.stat().st_size < 10_000) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    said = re.search(
        rb"interrupted after (\d+) items?; .*reads item (\d+) again, after the (\d+)", err
    )
    assert said is not None, err
    # What the resume will keep is said the way the resume says it: one item fewer.
    assert int(said[1]) == int(said[2]) == int(said[3]) + 1
    assert b"Traceback" not in err
    data = out.read_bytes()
    assert data.endswith(b"\n")
    check_lines(data.splitlines()[:50])


def test_resume_after_sigkill_gives_exactly_the_records_of_one_run(tmp_path: Path) -> None:
    listing = _page_list(tmp_path, 800)
    reference = tmp_path / "reference.jsonl"
    assert main(["--workers", "0", "--from", str(listing), "-o", str(reference)]) == 1
    expected = reference.read_bytes()
    out = tmp_path / "out.jsonl"
    kills = 0
    for attempt in range(8):
        proc = cli("--workers", "2", "--from", str(listing), "-o", str(out), "--resume")
        # Kill at a moment that moves on each attempt, partway through the writing.
        target = len(expected) * (attempt + 1) // 5
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            if out.exists() and out.stat().st_size >= target:
                break
            time.sleep(0.01)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=60)
        if proc.returncode != -signal.SIGKILL:
            assert proc.returncode == 1  # finished (the empty pages are refused)
            break
        assert expected.startswith(out.read_bytes()[: out.read_bytes().rfind(b"\n") + 1])
    assert kills >= 2
    assert out.read_bytes() == expected
    # And once more on a finished output: nothing lost, nothing added.
    proc = cli("--workers", "2", "--from", str(listing), "-o", str(out), "--resume")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert out.read_bytes() == expected
    assert b"resumed after" in err


def test_resume_drops_a_torn_line_and_refuses_other_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    inputs = [str(p) for p in SEEDS]
    assert main(["--workers", "0", *inputs, "-o", str(out)]) == 0
    note, summary = capsys.readouterr().err.splitlines()
    assert note == IN_PROCESS
    expected = out.read_bytes()
    out.write_bytes(expected[: len(expected) - len(expected.splitlines()[-1]) // 2])  # torn
    assert main(["--workers", "0", *inputs, "-o", str(out), "--resume"]) == 0
    assert out.read_bytes() == expected
    resumed = capsys.readouterr().err.splitlines()
    # The torn item and the one before it (which may be incomplete) are read again.
    assert resumed == [IN_PROCESS, "socpress: resumed after 3 items", summary]
    # Other inputs: a usage error, and the output as it was.
    assert main(["--workers", "0", *reversed(inputs), "-o", str(out), "--resume"]) == 2
    assert "socpress: cannot resume: item 1 of the inputs is" in capsys.readouterr().err
    assert out.read_bytes() == expected


def test_progress_bar_when_asked(tmp_path: Path) -> None:
    proc = cli("--progress", "--workers", "1", *map(str, SEEDS))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert b" items/s]" in err  # tqdm's rate
    proc = cli("--workers", "1", *map(str, SEEDS))  # stderr is a pipe: no bar
    _, err = proc.communicate(timeout=60)
    assert err.count(b"\n") == 1


def test_stdin_list_and_non_utf8_file_names(tmp_path: Path) -> None:
    if sys.platform == "darwin":
        pytest.skip("APFS refuses file names that are not UTF-8")
    folder = os.fsencode(tmp_path) + b"/caf\xe9"
    os.mkdir(folder)
    name = folder + b"/\xff\xfe page.txt"
    with open(name, "wb") as handle:
        handle.write(SEEDS[0].read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "socpress", "--workers", "1", "-"],
        input=folder + b"\n" + os.fsencode(SEEDS[1]) + b"\thttps://en.etilaf.org/x.html\n",
        capture_output=True,
        env={**os.environ, "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    first, second = check_lines(proc.stdout.decode("utf-8").splitlines())
    assert os.fsencode(first["input"]["source"]) == name
    assert second["input"]["url"] == "https://en.etilaf.org/x.html"


@pytest.mark.parametrize("lean", [False, True])
def test_parquet_output_holds_the_json_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lean: bool
) -> None:
    pytest.importorskip("pyarrow")
    from socpress.corpus._parquet import rows

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    inputs = [*map(str, SEEDS), str(LISTING), str(empty)]
    flags = ["--lean"] if lean else []
    jsonl, parquet = tmp_path / "out.jsonl", tmp_path / "out.parquet"
    assert main(["--workers", "0", *flags, *inputs, "-o", str(jsonl)]) == 1
    assert main(["--workers", "0", *flags, *inputs, "-o", str(parquet)]) == 1
    expected = check_lines(jsonl.read_bytes().splitlines())
    assert list(rows(parquet)) == expected
    assert len(expected) == 8
    removed = [r for e in expected if e["article"] for r in e["article"]["provenance"]["removed"]]
    assert removed
    assert all((r["text"] is None) == lean for r in removed)
    err = [line for line in capsys.readouterr().err.splitlines() if line != IN_PROCESS]
    assert err[0] == err[1]  # the same summary
