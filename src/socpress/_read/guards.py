"""Markup that would cost the HTML parser more than linear time, refused before parsing.

HTML tree construction (lexbor, as every HTML5 tree builder) is quadratic on a few
constructs; each guard here counts what the tokenizer and the tree builder would, in one
linear pass, and refuses a page only when the parse would be out of proportion to its size:

* nesting: the stack of open elements is walked for every ``<div>``, ``<section>``, …, so n
  nested elements cost O(n²). Counted as the tree builder counts them: an end tag closes
  only an element that is open (a stray ``</x>`` closes nothing), ``<div/>`` opens a
  ``<div>`` (the slash means something only for void elements and inside SVG and MathML),
  and nothing inside comments, scripts, styles or ``<textarea>`` is a tag;
* attributes: each new attribute of an element is checked against all earlier ones, so an
  element with n attributes costs O(n²);
* formatting elements: a ``<b>``, ``<i>``, ``<font>``, … left open is reopened ("the list of
  active formatting elements is reconstructed") in every later block, so a few hundred
  unclosed ``<b id=N>`` before a few thousand paragraphs build millions of elements from a
  page of a few KB.

(``<option>`` runs, quadratic in lexbor's ``<select>``, are cut by the HTML reader instead:
options are never shown, so the page is read rather than refused.)

The text path is linear, but each non-blank line becomes a block, a paragraph and its
evidence, so a text of very many very short lines costs far more than its size:
``refuse_line_soup`` refuses one before it is cut into blocks.

Every page pays for these scans before its parse, so each is written in the cheapest form
that decides exactly as the plain one would (``tests/test_fast_paths.py`` compares them):
the attribute regex runs only where a long tag can be, and the formatting regex leaves the
other tags at their first letter. What they cost, and the limits measured, are in
``docs/benchmarks.md`` and ``docs/errors.md`` ("Limits, measured").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from socpress._blocks import NON_BLANK_LINE
from socpress.errors import InputError

MAX_NESTING = 1000
"""Markup nested deeper than this is refused. HTML tree construction checks the stack of
open elements for every ``<div>``, ``<section>``, ``<ul>``, …: n nested elements cost O(n²),
and 20 MB of ``<div>`` would take hours. Real pages nest a few dozen deep at most."""
NESTING_SCAN_MIN = 20_000
"""A page with more ``<`` than this is scanned for deep nesting before it is parsed; a
smaller one is parsed at once (even all nested, so few elements parse in a fraction of a
second) and the HTML reader refuses it if an element it walks lies deeper than
``MAX_NESTING``. Real pages have fewer, so they never pay for the scan."""
MAX_ATTRIBUTES = 1000
"""An element with more attributes than this is refused: the parse is quadratic in them.
Real elements have a few, a few dozen at most."""
_LONG_TAG = 8192
"""Only tags longer than this many characters can hold ``MAX_ATTRIBUTES`` attributes."""
FORMATTING_SCAN_MIN = 32
"""A page where more formatting elements than this stand open at once (counted by start
and end tags of each name) is scanned for reopened formatting elements; below, at most
this many can stay open, which no page reopens often enough to matter."""
REOPEN_BUDGET = 20_000
"""The formatting elements the tree builder may reopen (beyond one per 8 characters of the
page) before a page is refused: an old page whose one unclosed ``<font>`` is reopened in
every paragraph is read; a few hundred unclosed ``<b>`` reopened in each of hundreds of
paragraphs, a small page that would build hundreds of thousands of elements, are not."""

_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image",
    }
)  # fmt: skip
# Elements the parser closes by itself when the next one starts, or that never nest: an
# unclosed <p> or <li> does not deepen the stack.
_NOT_NESTING = _VOID | frozenset(
    {
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
        "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body",
        "a", "nobr", "button", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip
# Whose content is text to the tokenizer, up to their own end tag.
_RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
)
_FORMATTING = (
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt",
    "u",
)  # fmt: skip
_FORMATTING_SET = frozenset(_FORMATTING)
# Start tags that close an open <p> ("close a p element"): the blocks a reopened
# formatting element is rebuilt in.
_CLOSES_P = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
        "div", "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main",
        "menu", "nav", "ol", "p", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5",
        "h6", "pre", "listing", "form", "table", "hr", "li", "dd", "dt",
    }
)  # fmt: skip

# A comment, or a tag. Possessive: a lazy ``[^<>]*?`` backtracks at every character of a tag.
_TOKEN = re.compile(r"<!--|<(/?)([A-Za-z][A-Za-z0-9-]{0,40})([^<>]*+)>")
_COMMENT_END = re.compile(r"--!?>")
_RAW_END = {tag: re.compile(rf"</{tag}[\s/>]", re.IGNORECASE) for tag in _RAW_TEXT}
# Start and end tags of formatting elements; case by character classes, which the regex
# engine runs faster than IGNORECASE. The lookahead on the first letter lets the engine
# leave the tags of other names (most of a page's) without trying each alternative, and the
# names branch letter by letter (``<span`` tries ``s`` once, not ``s``, ``small``, …).
_FORMATTING_FIRST = "".join(sorted({c for tag in _FORMATTING for c in (tag[0], tag[0].upper())}))


def _cased(letters: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in letters)


def _alternatives(names: list[str]) -> str:
    """``names`` as a regex that branches letter by letter (``s(?:mall|tr(?:ike|ong))?``): the
    engine tries each first letter once, instead of each name in turn from its start."""
    by_first: dict[str, list[str]] = {}
    for name in sorted(names):
        by_first.setdefault(name[0], []).append(name[1:])
    branches = []
    for first, rests in by_first.items():
        longer = [rest for rest in rests if rest]
        tail = "" if not longer else f"(?:{_alternatives(longer)})" + ("?" if "" in rests else "")
        branches.append(_cased(first) + tail)
    return "|".join(branches)


_FORMATTING_TAG = re.compile(
    f"</?(?=[{_FORMATTING_FIRST}])(?:" + _alternatives(list(_FORMATTING)) + r")[\s/>]"
)
_LONG_TAG_START = re.compile(rf"<[A-Za-z][A-Za-z0-9-]*\s[^<>]{{{_LONG_TAG}}}")
_ATTRIBUTE = re.compile(r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")


SHORT_LINES_FROM = 10_000
"""A text rendering with more non-blank lines than this is checked for line soup."""
MIN_MEAN_LINE = 24
"""…and refused when its lines average fewer characters than this (counting the line
breaks and blank lines between them). Real texts have either few lines or longer ones (the
menu-heavy Turkish JNews renderings come closest to this mean): it is the two together, ten
thousand lines *and* a mean this short, that no page shows, while a text of millions of
such lines would cost seconds and many times its size in memory. ``fuzz/limits.py``
measures both sides of the limit (``docs/benchmarks.md``)."""


def refuse_line_soup(text: str, name: str) -> None:
    """Refuse a text of more than ``SHORT_LINES_FROM`` non-blank lines that average fewer
    than ``MIN_MEAN_LINE`` characters; two cheap counts decide most texts without a scan."""
    breaks = text.count("\n") + text.count("\r")  # at least the number of lines, less one
    if breaks < SHORT_LINES_FROM or len(text) >= MIN_MEAN_LINE * (breaks + 1):
        return
    lines = sum(1 for _ in NON_BLANK_LINE.finditer(text))
    if lines > SHORT_LINES_FROM and len(text) < MIN_MEAN_LINE * lines:
        raise InputError(
            f"{name}: {lines:,} non-blank lines averaging {len(text) / lines:.1f} characters "
            f"(more than {SHORT_LINES_FROM:,} lines under {MIN_MEAN_LINE} characters on "
            "average is not a page, and would cost far more than its size to read)",
            source=name,
        )


def refuse_costly_markup(text: str, name: str, utf8: bytes | None = None) -> None:
    """Refuse markup whose parse would cost more than linear time: see the module's doc.
    ``utf8``: the bytes ``text`` was decoded from as UTF-8, when the caller holds them; its
    ``<`` are the text's (no UTF-8 sequence of another character holds the byte, and a
    byte decoding replaced was none), and counting bytes is quicker."""
    tags = text.count("<") if utf8 is None else utf8.count(b"<")
    _refuse_many_attributes(text, name)
    if tags > NESTING_SCAN_MIN or _formatting_left_open(text) > FORMATTING_SCAN_MIN:
        _scan(text, name, reopen_budget=REOPEN_BUDGET + len(text) // 8)


def _formatting_left_open(text: str) -> int:
    """How many formatting elements stand open at once, at most (up to the first count
    over ``FORMATTING_SCAN_MIN``): an end tag closes one of its own name that is open, so
    stray end tags cannot hide the start tags that follow them."""
    open_by_tag: dict[str, int] = {}
    total = 0
    for found in _FORMATTING_TAG.findall(text):
        if found[1] == "/":
            tag = found[2:-1].lower()
            if open_by_tag.get(tag):
                open_by_tag[tag] -= 1
                total -= 1
        else:
            tag = found[1:-1].lower()
            open_by_tag[tag] = open_by_tag.get(tag, 0) + 1
            total += 1
            if total > FORMATTING_SCAN_MIN:
                break
    return total


def _refuse_many_attributes(text: str, name: str) -> None:
    raw_text: _RawText | None = None  # made at the first long tag: most pages have none
    for match in _long_tag_starts(text):
        start = match.start()
        raw_text = raw_text or _RawText(text)
        if raw_text.inside(start):
            continue  # ``i<e; …`` in a script is no tag
        end = text.find(">", start)
        tag = text[start + 1 : len(text) if end == -1 else end]
        for count, _ in enumerate(_ATTRIBUTE.finditer(tag), 1):
            if count > MAX_ATTRIBUTES + 1:  # the tag name is the first "attribute"
                element = tag.split(None, 1)[0].lower()
                raise InputError(
                    f"{name}: an element with more than {MAX_ATTRIBUTES} attributes "
                    f"(<{element}> at character {start}); an HTML parser takes quadratic "
                    "time on it",
                    source=name,
                )


def _long_tag_starts(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_LONG_TAG_START``, in order, looked for only in the stretches of
    text without a ``>`` that are long enough to hold one: a long tag is more than
    ``_LONG_TAG`` characters without ``>``, and most pages have no such stretch outside
    their scripts, so the regex never has to walk the attributes of every tag.

    Such a stretch covers a whole window of ``2 * step`` characters around some multiple of
    ``step`` (it is longer than ``4 * step``), so ``str.find`` over one window per ``step``
    characters finds every one; each stretch is then searched once, from end to end."""
    step = _LONG_TAG // 4
    at = step
    while at + step <= len(text):
        if text.find(">", at - step, at + step) != -1:
            at += step
            continue
        start = text.rfind(">", 0, at - step) + 1
        end = text.find(">", at + step)
        end = len(text) if end == -1 else end
        yield from _LONG_TAG_START.finditer(text, start, end)
        at = (end // step + 1) * step  # the first window past this stretch


_RAW_TEXT_MARKS = tuple(
    (case(opening), case(closing))
    for opening, closing in (("<script", "</script"), ("<style", "</style"))
    for case in (str.lower, str.upper)
)


class _RawText:
    """Whether a long tag lies inside a ``<script>`` or ``<style>``: the last opening mark
    before it is later than the last closing one (each mark in lower or in upper case).

    Asked at positions that only grow, so each mark's last occurrence is carried forward
    with ``str.find`` instead of searched back to the start of the text at every long tag:
    one pass over the text for all of them, where a page of many long tags was quadratic."""

    def __init__(self, text: str) -> None:
        self._text = text
        marks = [mark for pair in _RAW_TEXT_MARKS for mark in pair]
        self._marks = marks
        self._last = [-1] * len(marks)  # the last occurrence ending at or before ``at``
        self._next = [text.find(mark) for mark in marks]  # the occurrence after it

    def inside(self, at: int) -> bool:
        text, marks, last, following = self._text, self._marks, self._last, self._next
        for i, mark in enumerate(marks):
            found = following[i]
            while found != -1 and found + len(mark) <= at:
                last[i] = found
                found = text.find(mark, found + 1)
            following[i] = found
        return any(last[i] > last[i + 1] for i in range(0, len(marks), 2))


# One loop over every tag of the page, before the parse: its branches stay inline (a call per
# tag type would cost on every page), so the complexity check is waived here, reviewed.
def _scan(text: str, name: str, reopen_budget: int) -> None:  # noqa: C901
    """One pass over the tags, as the tree builder would see them: the depth of the stack
    of open elements, and how many formatting elements it reopens."""
    stack: list[str] = []
    open_count: dict[str, int] = {}
    # The list of active formatting elements, by tag (at most 3 identical ones, as the
    # "Noah's Ark" clause keeps), and those of them closed with a block around them:
    # the tree builder reopens these before the next text or inline element.
    active: dict[str, list[str]] = {}
    identical: dict[str, int] = {}
    closed: list[str] = []
    reopened = 0
    skip_to = 0  # the end of a comment or of a script's text: no tags before it
    last = 0  # the end of the previous tag
    formatting_set, not_nesting, closes_p = _FORMATTING_SET, _NOT_NESTING, _CLOSES_P

    def pop_to(tag: str) -> None:
        while stack:
            popped = stack.pop()
            open_count[popped] -= 1
            if popped == tag:
                return
            if popped in formatting_set and len(active.get(popped, ())) > open_count[popped]:
                closed.append(popped)

    for match in _TOKEN.finditer(text):
        start = match.start()
        if start < skip_to:
            continue
        closing, tag, rest = match.groups()
        if tag is None:  # a comment: skip to its end
            end = _COMMENT_END.search(text, match.end())
            skip_to = len(text) if end is None else end.end()
            continue
        tag = tag.lower()
        if closed and (
            (not closing and tag not in closes_p)
            or (start > last and not text[last:start].isspace())
        ):
            reopened += len(closed)
            if reopened > reopen_budget:
                raise InputError(
                    f"{name}: markup reopens unclosed formatting elements (<b>, <i>, <font>, "
                    f"…) in every block: more than {reopen_budget} elements would be built "
                    f"(at character {start}); an HTML parser takes quadratic time on such "
                    "a page",
                    source=name,
                )
            for again in closed:
                stack.append(again)
                open_count[again] = open_count.get(again, 0) + 1
            closed.clear()
        last = match.end()
        if closing:  # an end tag closes an open element, or nothing
            if tag in formatting_set and active.get(tag):
                identical[active[tag].pop()] -= 1
                if not open_count.get(tag) and tag in closed:
                    closed.remove(tag)
            if open_count.get(tag):
                if stack[-1] == tag:  # the usual case: it closes the current element
                    stack.pop()
                    open_count[tag] -= 1
                else:
                    pop_to(tag)
            continue
        if tag in _RAW_TEXT:
            end = _RAW_END[tag].search(text, last)
            skip_to = len(text) if end is None else end.start()
            continue
        if tag in closes_p and open_count.get("p"):
            pop_to("p")
        if tag in formatting_set:
            key = tag + rest
            if identical.get(key, 0) < 3:
                identical[key] = identical.get(key, 0) + 1
                active.setdefault(tag, []).append(key)
        elif tag in not_nesting and tag != "p":
            continue
        if rest and rest[-1] == "/" and _in_foreign(open_count):
            continue
        stack.append(tag)
        open_count[tag] = open_count.get(tag, 0) + 1
        if len(stack) > MAX_NESTING and len(stack) - open_count.get("p", 0) > MAX_NESTING:
            raise InputError(
                f"{name}: markup nested more than {MAX_NESTING} elements deep (<{tag}> at "
                f"character {start}); an HTML parser takes quadratic time on such a page",
                source=name,
            )


def _in_foreign(open_count: dict[str, int]) -> bool:
    return bool(open_count.get("svg") or open_count.get("math"))
