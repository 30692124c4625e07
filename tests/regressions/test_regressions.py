"""Every input that ever made socpress fail, run on every test run.

Each case is ``cases/<name>.input`` (bytes, exact) with ``cases/<name>.json``: how to pass
it (``str`` or ``bytes``), why it is here, who found it, and ``xfail``: the reason while the
bug is open in a module this corpus does not own (the test is then a strict xfail, so the fix
flips it to a failure that says "remove the xfail"). ``fuzz/fuzz_pages.py`` adds cases here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import socpress
from tests.regressions.oracle import CASES, growth, problems


def _cases() -> list[object]:
    params: list[object] = []
    for meta_path in sorted(CASES.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        marks = []
        if meta.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=meta["xfail"]))
        params.append(
            pytest.param(meta_path.with_suffix(".input"), meta, id=meta_path.stem, marks=marks)
        )
    return params


@pytest.mark.parametrize(("path", "meta"), _cases())
def test_case(path: Path, meta: dict[str, object]) -> None:
    raw = path.read_bytes()
    data = raw.decode("utf-8", "surrogatepass") if meta["pass_as"] == "str" else raw
    assert problems(data) == []


def test_corpus_is_not_empty() -> None:
    assert len(list(CASES.glob("*.input"))) >= 5
    for path in CASES.glob("*.input"):
        assert path.with_suffix(".json").is_file(), f"{path.name} has no .json"


# --- timing regressions: inputs whose cost grew faster than their size -------------------


def _tiny_lines(n: int) -> str:
    return "Title of the statement\n" + "a\n" * n


def _whitespace_run(n: int) -> str:
    return "Title of the statement\nThe coalition said" + " " * n + "something.\n"


def test_many_body_lines_is_linear() -> None:
    assert growth(socpress.load_article, _tiny_lines, 4_000) < 8


def test_whitespace_run_in_a_line_is_linear() -> None:
    assert growth(socpress.load_article, _whitespace_run, 4_000) < 8
