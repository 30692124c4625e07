"""A benchmark that cannot measure fails loudly instead of exiting 0 having measured nothing
(issue 12): ``accuracy.py`` without ``../shared/realpages``, ``html_speed.py`` without the
``bench`` extra."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # for their ``from _machine import …``
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_accuracy_without_gold_pages_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    accuracy = _load("accuracy", monkeypatch)
    monkeypatch.setattr(accuracy, "REALPAGES", tmp_path / "realpages")
    monkeypatch.setattr(sys, "argv", ["accuracy.py", "--min", "0.95"])
    assert accuracy.main() == 2
    err = capsys.readouterr().err
    assert "nothing measured" in err
    assert "../shared/realpages" in err


def test_html_speed_without_trafilatura_names_the_bench_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    html_speed = _load("html_speed", monkeypatch)
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # makes the import fail
    monkeypatch.setattr(sys, "argv", ["html_speed.py", "--repeat", "1"])
    assert html_speed.main() == 2
    err = capsys.readouterr().err
    assert 'pip install -e ".[bench]"' in err
    assert "--no-trafilatura" in err


def test_main_content_without_corpus_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main_content = _load("main_content", monkeypatch)
    monkeypatch.setattr(sys, "argv", ["main_content.py", str(tmp_path / "absent")])
    assert main_content.main() == 2
    err = capsys.readouterr().err
    assert "no corpus at" in err
    assert "adbar/trafilatura" in err
