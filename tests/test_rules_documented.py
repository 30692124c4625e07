"""Every rule and layout in the tables is documented in docs/rules.md."""

from __future__ import annotations

import re
from pathlib import Path

from socpress._site import rules as R
from socpress._site.layouts import LAYOUTS, LISTINGS

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
HTML_DOC = (ROOT / "docs" / "html.md").read_text(encoding="utf-8")
STATEMENTS_DOC = (ROOT / "docs" / "statements.md").read_text(encoding="utf-8")
# Rule names written in the code rather than in a table: ``rule="…"`` keywords, and the
# rule argument of ``evidence_for(block, "…")`` and ``remove(draft, block, "…")``.
_CODE_RULES = (
    re.compile(r'rule="([a-z][a-z0-9:+-]*)"'),
    re.compile(r'evidence_for\(\s*\w+,\s*"([a-z][a-z0-9+-]*)"'),
    re.compile(r'remove\(\s*\w+,\s*\w+,\s*"([a-z][a-z0-9+-]*)"'),
)


def test_removal_rules_documented() -> None:
    tables = (R.HEADER_CHROME, R.FOOTER_SECTIONS, R.INLINE_CHROME)
    names = {rule for table in tables for _, rule in table}
    missing = sorted(n for n in names if f"`{n}`" not in DOC)
    assert missing == []


def test_layouts_documented() -> None:
    names = {layout.name for layout in LAYOUTS} | set(LISTINGS)
    missing = sorted(n for n in names if f"`{n}`" not in DOC)
    assert missing == []


def test_rules_written_in_the_code_documented() -> None:
    package = ROOT / "src" / "socpress"
    found = {
        (name, path.is_relative_to(package / "statements"))
        for path in package.rglob("*.py")
        for pattern in _CODE_RULES
        for name in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert len(found) > 40  # the patterns still find the rules
    # A page's rules are in rules.md or html.md; the links of socpress.statements in its page.
    missing = sorted(
        name
        for name, linking in found
        if not any(
            f"`{name}`" in doc for doc in ((STATEMENTS_DOC,) if linking else (DOC, HTML_DOC))
        )
    )
    assert missing == []


def test_main_content_rules_documented() -> None:
    from socpress._extract import main_content as stage
    from socpress._site import main_content as M

    names = {rule for _, rule in M.BOILERPLATE_MARKS} | set(M.BOILERPLATE_TAGS.values())
    names |= set(M.BLOCK_TAG_RULES.values()) | {
        stage.OUTSIDE,
        stage.LINK_DENSE,
        stage.AFTER_TEXT,
        stage.LONE_HEADING,
        stage.CALL,
    }
    missing = sorted(n for n in names if f"`{n}`" not in HTML_DOC)
    assert missing == []
