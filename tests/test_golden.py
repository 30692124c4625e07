"""Golden cases: each folder under tests/golden holds case.json (what the input is and why
the case exists) and expected.json (the serialized article(s), provenance included).

Regenerate with ``pytest tests/test_golden.py --regen-golden`` and read ``git diff`` of the
expected files before committing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import socpress
from tests._account import removed_inside_body, unaccounted

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.parent for p in GOLDEN.glob("*/case.json"))


def _load_case(folder: Path) -> tuple[dict[str, Any], Path]:
    case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    return case, (folder / case["input"]).resolve()


def _comparable(article: socpress.Article) -> dict[str, Any]:
    data = article.to_dict()
    # The version changes with every release; everything else must stay put.
    data["provenance"]["parser_version"] = "<version>"
    # The checkout's location differs between machines; keep the path from the repo root.
    source = Path(data["provenance"]["source"])
    if source.is_absolute() and source.is_relative_to(ROOT):
        data["provenance"]["source"] = source.relative_to(ROOT).as_posix()
    return data


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_golden(folder: Path, request: pytest.FixtureRequest) -> None:
    case, path = _load_case(folder)
    articles = socpress.load_articles(path, url=case.get("url"))
    got = [_comparable(a) for a in articles]
    expected_file = folder / "expected.json"
    if request.config.getoption("--regen-golden"):
        expected_file.write_text(
            json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert got == expected
    text = path.read_bytes().decode("utf-8-sig") if case.get("format", "text") == "text" else None
    if text is not None:
        assert unaccounted(text, *articles) == []
    for article in articles:
        if text is not None:
            assert removed_inside_body(article) == []
        assert socpress.Article.from_dict(json.loads(json.dumps(article.to_dict()))) == article
