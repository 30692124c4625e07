"""The pipeline's shortcuts answer what the full work answers.

Each shortcut rests on a premise (a character class, a joined pattern, a literal every match
contains); the premise is checked here, on every code point where it is about characters,
and the shortcut is compared with the work it skips on generated text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socpress._blocks import _BULLET, _INVISIBLE, _SPACE, Block, normalize
from socpress._extract.heads import _SIGNATURES
from socpress._extract.lines import fold as _fold
from socpress._extract.lines import repeats_title as _repeats_title
from socpress._site import dates as _dates
from socpress._site import rules as R
from socpress._site.layouts import LAYOUTS

ROOT = Path(__file__).resolve().parents[1]

FRAGMENTS = [
    "a",
    "E",
    "ب",
    "ـ",
    "é",
    "e\u0301",
    " ",
    "  ",
    "\u00a0",
    "\t",
    "\n",
    "\u200f",
    "\u00ad",
    "’",
    "“",
    "•",
    "·",
    "...",
    "…",
    "٢٠٢٠",
    "2020",
    "In",
    " In ",
    "Home",
    "Share",
    "Related",
    "Tags:",
    "Copyright",
    "جميع الحقوق محفوظة",
    "No Result",
    "Leave a Reply",
    "Logo Wide",
    "Read Also:",
    "The Syrian Coalition",
]
TEXT = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=12).map("".join)


def _corpus_lines() -> list[str]:
    """Every line of the text fixtures and seeds: real chrome and body text."""
    paths = [*ROOT.glob("tests/fixtures/text/*"), *ROOT.glob("seeds/*.txt")]
    lines = {line.strip() for p in paths for line in p.read_text("utf-8").splitlines()}
    return sorted(line for line in lines if line)


LINES = _corpus_lines()


# --- normalize: printable, singly spaced text only needs NFC ------------------------------


def test_printable_characters_are_neither_invisible_nor_space() -> None:
    caught = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if (char := chr(code)).isprintable()
        and char != " "
        and (char.isspace() or _INVISIBLE.match(char) or _SPACE.match(char))
    ]
    assert caught == []


@given(TEXT)
def test_normalize_agrees_with_full_folding(text: str) -> None:
    full = unicodedata.normalize("NFC", _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip())
    assert normalize(text) == full


def test_ascii_normalize_is_split_and_join() -> None:
    # normalize's ASCII shortcut: str.split folds exactly the ASCII characters _SPACE folds
    # (\x1c-\x1f too), and no ASCII character is invisible or changed by NFC.
    for code in range(128):
        c = chr(code)
        for text in (c, f" a{c}{c}b {c}", f"{c}x"):
            full = unicodedata.normalize("NFC", _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip())
            assert normalize(text) == full, repr(text)


# --- dates: no digit, no date --------------------------------------------------------------


def test_only_the_digit_class_folds_to_digits() -> None:
    caught = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if any(c in "0123456789" for c in _dates._fold_char(chr(code)))
        and _dates._ANY_DIGIT.match(chr(code)) is None
    ]
    assert caught == []


@given(TEXT)
def test_digitless_text_holds_no_date(text: str) -> None:
    if _dates._ANY_DIGIT.search(text) is None:
        assert _dates.find_dates(text) == ()


# --- rule tables and layout signatures: one joined search ---------------------------------

TABLES = {"header": R.header_chrome, "footer": R.footer_sections, "inline": R.inline_chrome}


def _first_rule_row_by_row(rows: R.RuleTable, text: str) -> str | None:
    return next((rule for pattern, rule in rows if pattern.search(text)), None)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_first_rule_on_real_lines(name: str) -> None:
    table = TABLES[name]
    for line in LINES:
        assert table.first_rule(line) == _first_rule_row_by_row(table.rows, line), line


@given(TEXT)
def test_first_rule_on_generated_text(text: str) -> None:
    for table in TABLES.values():
        assert table.first_rule(text) == _first_rule_row_by_row(table.rows, text)


@given(TEXT)
def test_signatures_find_what_some_signature_finds(text: str) -> None:
    patterns = [p for layout in LAYOUTS for p in (*layout.all_of, *layout.any_of)]
    assert _SIGNATURES.found_in(text) == any(p.search(text) for p in patterns)


def test_the_joined_rule_rows_are_split_by_anchor() -> None:
    # The footer's unanchored copyright row gets a search of its own; the rest start with
    # ``^`` and share one.
    assert len(R.footer_sections.any_row.joined) == 2
    assert len(R.header_chrome.any_row.joined) == 1
    assert len(_SIGNATURES.joined) == 1


@pytest.mark.parametrize(
    "patterns",
    [
        [re.compile("^a"), re.compile("^b", re.IGNORECASE)],
        [re.compile(r"^(a)\1")],
    ],
)
def test_any_of_refuses_what_joining_would_change(patterns: list[re.Pattern[str]]) -> None:
    with pytest.raises(ValueError, match="one set of flags and no groups"):
        R.AnyOf.of(patterns)


# --- listings: a literal every item header contains -----------------------------------------


def test_every_item_header_contains_the_mark() -> None:
    assert R.LISTING_ITEM_MARK in R.LISTING_ITEM_HEADER.pattern
    assert not R.LISTING_ITEM_HEADER.flags & re.IGNORECASE


# --- blocks and titles --------------------------------------------------------------------


@given(TEXT)
def test_bullet_agrees_with_the_bullet_pattern(text: str) -> None:
    block = Block(index=0, text=text, start=0, end=len(text))
    assert block.bullet == (_BULLET.match(text) is not None)


def test_case_folding_never_shortens() -> None:
    # ``_repeats_title`` skips folding a text longer than the folded title.
    assert all(chr(code).casefold() for code in range(sys.maxunicode + 1))


@given(TEXT, TEXT)
def test_repeats_title_is_fold_equality(content: str, title: str) -> None:
    folded = _fold(title)
    assert _repeats_title(content, folded) == (_fold(content) == folded)
    assert _repeats_title(title, folded)
