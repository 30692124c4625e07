"""The command line: one JSON object per line, failures named on stderr, exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import socpress
from socpress.__main__ import main

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def test_every_seed_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(p) for p in SEEDS]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(SEEDS)
    for line, path in zip(out, SEEDS, strict=True):
        article = socpress.Article.from_dict(json.loads(line))
        assert article == socpress.load_article(path)


def test_failure_is_named_and_others_still_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main([str(empty), str(SEEDS[0])]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert "empty.txt" in captured.err
    assert "InputError" in captured.err


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "socpress", str(SEEDS[1])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["title"].startswith("On Sixth Anniversary")


def test_internal_error_is_reported_and_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socpress.__main__ as cli

    real = socpress.load_articles
    calls: list[Path] = []

    def flaky(path: Path, *, url: str | None = None) -> list[socpress.Article]:
        calls.append(path)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return real(path, url=url)

    monkeypatch.setattr(cli, "load_articles", flaky)
    assert main([str(SEEDS[0]), str(SEEDS[1])]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert "internal error" in captured.err
    assert "RuntimeError: boom" in captured.err
