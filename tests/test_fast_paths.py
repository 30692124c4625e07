"""The pipeline's shortcuts answer what the full work answers.

Each shortcut rests on a premise (a character class, a joined pattern, a literal every match
contains); the premise is checked here, on every code point where it is about characters,
and the shortcut is compared with the work it skips on generated text.
"""

from __future__ import annotations

import contextlib
import re
import sys
import unicodedata
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from socpress._blocks import _BULLET, _INVISIBLE, _SPACE, Block, normalize
from socpress._extract.heads import _SIGNATURES
from socpress._extract.lines import fold as _fold
from socpress._extract.lines import repeats_title as _repeats_title
from socpress._read import guards as _guards
from socpress._read import source as _source
from socpress._site import dates as _dates
from socpress._site import rules as R
from socpress._site.layouts import LAYOUTS
from socpress.errors import InputError

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


def test_split_folds_what_space_folds_and_invisibles_are_unprintable_non_space() -> None:
    # normalize folds with str.split and drops invisibles only from unprintable text.
    caught = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if bool(_SPACE.fullmatch(char := chr(code))) != char.isspace()
        or (_INVISIBLE.match(char) and (char.isspace() or char.isprintable()))
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
    # It is asked of a block's content: text ``normalize`` has returned.
    content = normalize(content)
    folded = _fold(title)
    assert _repeats_title(content, folded) == (_fold(content) == folded)
    assert _repeats_title(normalize(title), folded)


@given(TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    # ``_add_paragraph`` and ``repeats_title`` take a block's content as normalized.
    once = normalize(text)
    assert normalize(once) == once
    block = Block(index=0, text=text.strip(), start=0, end=0)
    assert normalize(block.content) == block.content


# --- stage 1 and the parser guards: cheap forms of the scans --------------------------------

# The old attribute guard, as it was: the long-tag regex over the whole text, and each long
# tag's raw-text check searched back to the start of the text.


def _refuse_many_attributes_in_full(text: str, name: str) -> None:
    for match in _guards._LONG_TAG_START.finditer(text):
        start = match.start()
        if _in_raw_text_searched_back(text, start):
            continue
        end = text.find(">", start)
        tag = text[start + 1 : len(text) if end == -1 else end]
        for count, _ in enumerate(_guards._ATTRIBUTE.finditer(tag), 1):
            if count > _guards.MAX_ATTRIBUTES + 1:
                element = tag.split(None, 1)[0].lower()
                raise InputError(
                    f"{name}: an element with more than {_guards.MAX_ATTRIBUTES} attributes "
                    f"(<{element}> at character {start}); an HTML parser takes quadratic "
                    "time on it",
                    source=name,
                )


def _in_raw_text_searched_back(text: str, at: int) -> bool:
    for opening, closing in (("<script", "</script"), ("<style", "</style")):
        for case in (str.lower, str.upper):
            if text.rfind(case(opening), 0, at) > text.rfind(case(closing), 0, at):
                return True
    return False


_FORMATTING_TAG_WITHOUT_LOOKAHEAD = re.compile(
    "</?(?:"
    + "|".join("".join(f"[{c}{c.upper()}]" for c in tag) for tag in _guards._FORMATTING)
    + r")[\s/>]"
)


class _Scanned(Exception):
    """Raised in place of the tag scan: the guards decided to run it."""


def _scan_probe(text: str, name: str, reopen_budget: int) -> None:
    raise _Scanned


def _guard_verdict(text: str, *, in_full: bool) -> str | None:
    """What ``refuse_costly_markup`` decides: refused for attributes (its message), sent to
    the tag scan, or passed; ``in_full`` with the old forms of the attribute and formatting
    checks in place of the cheap ones."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(_guards, "_scan", _scan_probe))
        if in_full:
            stack.enter_context(
                mock.patch.object(
                    _guards, "_refuse_many_attributes", _refuse_many_attributes_in_full
                )
            )
            stack.enter_context(
                mock.patch.object(_guards, "_FORMATTING_TAG", _FORMATTING_TAG_WITHOUT_LOOKAHEAD)
            )
        try:
            _guards.refuse_costly_markup(text, "page")
        except _Scanned:
            return "scanned"
        except InputError as err:
            return str(err)
    return None


MARKUP = [
    "<script>", "</script>", "<SCRIPT>", "</SCRIPT>", "<Script>", "</script ", "<scripts",
    "<style>", "</style>", "<STYLE>", "</STYLE>", "<p ", "<div\n", "<x-y\t", "<p>", "</p>",
    "<b>", "</b>", "<B>", "</B >", "<b/>", "<big>", "<bdi>", "<br>", "<font ", "</font>",
    "<strong>", "<u/>", "<a\n", "<abbr>", "<i>" * 20, "<S>" * 20, "</i>" * 10, "<tt>" * 12,
    ">", "<", "<!--", "-->", "x", " ", "\n", "\x0c", "\x85", "\u2028", "=", '"', "'",
    "a=1 ", ' d="' + "y" * 9000 + '"', "y" * 9000, "a " * 4500, " ab=x" * 1700, "z" * 4100,
    "<p " + " ab=x" * 1700, "<DIV " + "a " * 4500 + ">", '<p d="' + "y" * 9000 + '">',
]  # fmt: skip


_MANY = "<p " + " ab=x" * 1700 + ">"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MARKUP) | st.text(max_size=3), max_size=24).map("".join))
# Marks that end where a long tag starts, or one character before; cases the check ignores.
@example("<script" + _MANY)
@example("<script>" + _MANY)
@example("<STYLE></STYLE" + _MANY)
@example("<style></style>" + _MANY)
@example("<Script>" + _MANY + "</Script>" + _MANY)
@example("<script>" + _MANY + "</script>" + _MANY + "<SCRIPT>" + _MANY)
def test_cheap_guards_decide_as_the_full_ones(text: str) -> None:
    assert _guard_verdict(text, in_full=False) == _guard_verdict(text, in_full=True)


@given(st.binary(max_size=64))
@example(b"\xe2\x80<p>")  # a sequence cut short by a "<"
@example(b"<\xff\xfe<")
def test_utf8_decoding_keeps_every_lt_byte(data: bytes) -> None:
    # refuse_costly_markup counts the "<" of a UTF-8 page in its bytes.
    assert data.decode("utf-8", "replace").count("<") == data.count(b"<")


@pytest.mark.parametrize("tags", [_guards.NESTING_SCAN_MIN, _guards.NESTING_SCAN_MIN + 1])
def test_guards_count_tags_in_the_bytes_as_in_the_text(tags: int) -> None:
    text = "<p>x" * (tags // 2) + "\xe9<br>" * (tags - tags // 2)
    verdicts = []
    for utf8 in (None, text.encode("utf-8")):
        with mock.patch.object(_guards, "_scan", _scan_probe):
            try:
                _guards.refuse_costly_markup(text, "page", utf8)
                verdicts.append("passed")
            except _Scanned:
                verdicts.append("scanned")
    assert verdicts == ["scanned" if tags > _guards.NESTING_SCAN_MIN else "passed"] * 2


# Formatting tags of every name in three cases, names that only start like one, and the
# characters that end a tag name: the count of open formatting elements, to and past
# ``FORMATTING_SCAN_MIN``, decides whether the tag scan runs.
FORMATTING_MARKUP = [
    f"<{slash}{name}{end}"
    for tag in (*_guards._FORMATTING, "bdi", "big2", "abbr", "span", "ins", "sup", "table")
    for name in (tag, tag.upper(), tag.capitalize())
    for slash, end in (("", ">"), ("/", ">"), ("", " x=1>"), ("", "/>"), ("", "\n>"), ("", "-"))
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FORMATTING_MARKUP), min_size=30, max_size=90).map("".join))
def test_cheap_formatting_count_decides_as_the_full_one(text: str) -> None:
    assert _guard_verdict(text, in_full=False) == _guard_verdict(text, in_full=True)


def test_utf8_writes_only_ascii_with_bytes_under_0x80() -> None:
    # The premise of skipping the control scans when a page's UTF-8 has no control byte.
    caught = [
        f"U+{code:04X}"
        for code in range(0x80, sys.maxunicode + 1)
        if min(chr(code).encode("utf-8", "surrogatepass")) < 0x80
    ]
    assert caught == []


def _read(source: str | bytes, *, in_full: bool) -> object:
    """``read_source``'s Source (text, encoding, damage) or refusal; ``in_full`` with the
    control scans run on every page, as before the byte check."""
    with contextlib.ExitStack() as stack:
        if in_full:
            stack.enter_context(mock.patch.object(_source, "_NOT_CONTROL_BYTES", b""))
        try:
            got = _source.read_source(source, url=None, max_bytes=1 << 20)
        except InputError as err:
            return str(err)
    return (got.text, got.encoding, got.encoding_rule, got.damage)


PAGE_BYTES = [
    b"<html><body><p>", b"</p>", b"Title\n", b"\n", b"\r\n", b" ", b"\x00", b"\x01", b"\x08",
    b"\x09", b"\x0b", b"\x0c", b"\x1b", b"\x1f", b"\x7f", b"\x80", b"\x85", b"\xc2\x85",
    b"\xc2\x9f", b"\xe2\x80\xa8", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    b"\xc3", b"\xd8\xa7\xd9\x84", b"\xc7\xe1", b'<meta charset="windows-1256">',
    b'<meta charset="utf-8">', b"word ", "القاهرة".encode("utf-16-le"),
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PAGE_BYTES) | st.binary(max_size=4), max_size=30).map(b"".join))
def test_control_byte_check_reads_bytes_as_the_full_scan(data: bytes) -> None:
    assert _read(data, in_full=False) == _read(data, in_full=True)


PAGE_TEXT = [
    "<html><body><p>", "</p>", "Title\n", "\n", "\r", " ", "\x00", "\x01", "\x0b", "\x0c",
    "\x1f", "\x7f", "\x85", "\x9f", "\u2028", "\ufeff", "\ud800", "\udfff", "\ufffd", "é",
    "ب", "word ",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(PAGE_TEXT) | st.text(st.characters(blacklist_categories=()), max_size=3),
        max_size=30,
    ).map("".join)
)
def test_control_byte_check_reads_a_str_as_the_full_scan(text: str) -> None:
    assert _read(text, in_full=False) == _read(text, in_full=True)
