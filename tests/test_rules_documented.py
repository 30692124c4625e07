"""Every rule and layout in the tables is documented in docs/rules.md."""

from __future__ import annotations

from pathlib import Path

from socpress import _rules as R
from socpress._layouts import LAYOUTS, LISTINGS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")


def test_removal_rules_documented() -> None:
    tables = (R.HEADER_CHROME, R.FOOTER_SECTIONS, R.INLINE_CHROME)
    names = {rule for table in tables for _, rule in table}
    missing = sorted(n for n in names if f"`{n}`" not in DOC)
    assert missing == []


def test_layouts_documented() -> None:
    names = {layout.name for layout in LAYOUTS} | set(LISTINGS)
    missing = sorted(n for n in names if f"`{n}`" not in DOC)
    assert missing == []
