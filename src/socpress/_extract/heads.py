"""Where a page's head ends and which layout it is: one head strategy per layout row."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import attrs

from socpress._blocks import Block
from socpress._extract.lines import (
    SENTENCE_END,
    date_line,
    kind_line,
    looks_like_title,
    posted_date,
    same_title,
)
from socpress._site import rules as R
from socpress._site.dates import parse_date_line
from socpress._site.layouts import LAYOUTS, Layout

HEADER_LINE_MAX = 120


# --- head strategies -------------------------------------------------------------------


@attrs.frozen
class Head:
    """Where the article starts: which blocks are title, date, category, and body start."""

    body_start: int
    title: int | None = None
    published: int | None = None
    published_rule: str = "date-line"
    category: int | None = None
    repeats: tuple[int, ...] = ()
    controls: tuple[int, ...] = ()
    """Head blocks that are the theme's reading controls (``A A``, font size)."""
    byline: int | None = None
    """A byline line under the title (``By Editorial Team``)."""
    between_rule: str = "page-header"
    """Rule for head blocks between title and body that are no field (neighbours' links)."""


def skip_header_chrome(blocks: Sequence[Block], start: int = 0) -> int:
    i = start
    while i < len(blocks) and (
        R.header_chrome.first_rule(blocks[i].content) is not None or not blocks[i].content
    ):
        i += 1
    return i


def _head_jnews(blocks: Sequence[Block]) -> Head | None:
    for d in range(1, len(blocks) - 1):
        if R.CATEGORY_LINE.match(blocks[d + 1].content) and date_line(blocks[d]) is not None:
            title = d - 1
            if not looks_like_title(blocks[title]):
                continue
            body = d + 2
            controls = []
            while body < len(blocks) and R.header_chrome.first_rule(blocks[body].content) == (
                "font-size"
            ):
                controls.append(body)
                body += 1
            repeats = []
            if body < len(blocks) and same_title(blocks[body].content, blocks[title].content):
                repeats.append(body)
                body += 1
            return Head(
                body_start=body,
                title=title,
                published=d,
                published_rule="jnews-date-line",
                category=d + 1,
                repeats=tuple(repeats),
                controls=tuple(controls),
            )
    return None


_PRINT_VIEW = re.compile(R.PRINT_VIEW, re.IGNORECASE)


def _print_view_lines(blocks: Sequence[Block]) -> int:
    """1 when the page is a print view (its first line ``Print this page``), else 0."""
    return 1 if blocks and _PRINT_VIEW.match(blocks[0].content) else 0


def _head_joomla(blocks: Sequence[Block]) -> Head | None:
    i = _print_view_lines(blocks)
    if i + 1 >= len(blocks) or date_line(blocks[i]) is None:
        return None
    title = i + 1
    if not looks_like_title(blocks[title]):
        return None
    return Head(body_start=title + 1, title=title, published=i, published_rule="joomla-stamp")


def _head_title_repeat(blocks: Sequence[Block]) -> Head | None:
    start = skip_header_chrome(blocks)
    if start >= len(blocks) or not looks_like_title(blocks[start]):
        return None
    for j in range(start + 1, min(len(blocks), start + 10)):
        if same_title(blocks[j].content, blocks[start].content):
            between = blocks[start + 1 : j]
            if all(len(b.content) <= 250 for b in between):
                return Head(
                    body_start=j + 1,
                    title=start,
                    repeats=(j,),
                    between_rule="adjacent-posts",
                )
    return None


def _head_republisher(blocks: Sequence[Block]) -> Head | None:
    start = skip_header_chrome(blocks)
    if start >= len(blocks) or not looks_like_title(blocks[start]):
        return None
    return Head(body_start=start + 1, title=start)


_TWO_SENTENCES = re.compile(r"。|[a-z\u0600-\u06ff]{2}[.!?؟] \w")
"""A sentence's end inside a line (``…台湾。华语…``, ``… in Taiwan. She …``): a lead, no title."""
_NAV_LINE_WORDS = 3
_NAV_LINE_CHARS = 30
_NAV_LINES = 12


def _nav_line(block: Block) -> bool:
    """A menu entry printed as a line of its own (``World``, ``أخبار سوريا``): a few words that
    start with a letter, no sentence, no date, no press-header kind."""
    text = block.content
    return (
        0 < len(text) <= _NAV_LINE_CHARS
        and text[0].isalpha()
        and len(text.split()) <= _NAV_LINE_WORDS
        and SENTENCE_END.search(text) is None
        and parse_date_line(text) is None
        and kind_line(text) is None
    )


def _after_menu(blocks: Sequence[Block], start: int) -> int:
    """The first line after a run of header chrome and menu lines, when it is title-like and
    a date line, a byline or its repeat follows it; else ``start`` (a short title followed by
    its body is no menu)."""
    j = start
    while (
        j < len(blocks)
        and j < start + _NAV_LINES
        and (_nav_line(blocks[j]) or R.header_chrome.first_rule(blocks[j].content) is not None)
    ):
        j += 1
    if (
        j > start
        and j < len(blocks)
        and looks_like_title(blocks[j])
        and _TWO_SENTENCES.search(blocks[j].content) is None
        and j + 1 < len(blocks)
        and _heads_article(blocks[j], blocks[j + 1])
    ):
        return j
    return start


def _heads_article(title: Block, below: Block) -> bool:
    """Whether the line under a title candidate says it heads an article: its date line, a
    byline, or the title printed again."""
    return (
        posted_date(below) is not None
        or R.BYLINE.match(below.content) is not None
        or same_title(below.content, title.content)
    )


def _head_title_first(blocks: Sequence[Block]) -> Head | None:
    start = skip_header_chrome(blocks)
    if start + 1 >= len(blocks):
        return None
    if not looks_like_title(blocks[start]) or len(blocks[start].content.split()) <= 4:
        start = _after_menu(blocks, start)
        if start + 1 >= len(blocks):
            return None
    first, second = blocks[start], blocks[start + 1]
    if not looks_like_title(first):
        return None
    # Two title-like lines in a row: the first is a section label (``South Arabia``),
    # unless the second merely repeats it.
    title = start
    if (
        looks_like_title(second)
        and not same_title(first.content, second.content)
        and len(first.content.split()) <= 4
        and start + 2 < len(blocks)
    ):
        title = start + 1
    body = title + 1
    repeats: list[int] = []
    if body < len(blocks) and same_title(blocks[body].content, blocks[title].content):
        repeats.append(body)
        body += 1
    published = byline = None
    for _ in range(2):  # a date line and a byline, in either order
        if body >= len(blocks):
            break
        if published is None and posted_date(blocks[body]) is not None:
            published = body
        elif byline is None and R.BYLINE.match(blocks[body].content):
            byline = body
        else:
            break
        body += 1
    if body >= len(blocks):
        return None
    return Head(
        body_start=body, title=title, repeats=tuple(repeats), published=published, byline=byline
    )


def _head_none(blocks: Sequence[Block]) -> Head | None:
    return Head(body_start=skip_header_chrome(blocks))


HEADS: dict[str, Callable[[Sequence[Block]], Head | None]] = {
    "jnews": _head_jnews,
    "joomla": _head_joomla,
    "title-repeat": _head_title_repeat,
    "republisher": _head_republisher,
    "title-first": _head_title_first,
    "none": _head_none,
}


_SIGNATURES = R.AnyOf.of(p for layout in LAYOUTS for p in (*layout.all_of, *layout.any_of))
"""Found in the blocks that some layout's signature pattern matches, and in no others."""


def match_layout(blocks: Sequence[Block]) -> tuple[Layout, Head]:
    """The first layout whose signature matches and whose head strategy finds a head."""
    first_index = _print_view_lines(blocks)
    # Signatures are tried on the few blocks that match one of them, not on every block.
    marked = [b.content for b in blocks if _SIGNATURES.found_in(b.content)]
    for layout in LAYOUTS:
        if layout.first is not None and (
            first_index >= len(blocks) or not layout.first.match(blocks[first_index].content)
        ):
            continue
        if not all(any(p.search(c) for c in marked) for p in layout.all_of):
            continue
        if layout.any_of and not any(p.search(c) for p in layout.any_of for c in marked):
            continue
        head = HEADS[layout.head](blocks)
        if head is not None:
            return layout, head
    raise AssertionError("the body-only layout always matches")  # pragma: no cover
