"""Stage 3–5: blocks → layout → labelled blocks → field values with evidence.

Written once for both readers: it sees only ``Block`` objects. Every block ends up in a
field (with ``Evidence``) or in the removed chrome (with the ``Removal`` rule), and a
block is never both part of the body and removed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

import attrs

from socpress._blocks import BULLETS, TATWEEL, Block, normalize
from socpress._extract.draft import Draft, Found, Paragraph, Signal
from socpress._model import Evidence, Release, Removal
from socpress._site import rules as R
from socpress._site.dates import find_dates, parse_date_line
from socpress._site.editions import edition_of_site_name
from socpress._site.layouts import LAYOUTS, LISTINGS, Layout

_SENTENCE_END = re.compile(r"[.!?…。؟!»”\"’')\]:]$")
_TITLE_BAD_END = re.compile(r"[.:,;]$")
_SUMMARY_MIN_WORDS = 12
_CUT_MIN_WORDS = 8
_HEADER_LINE_MAX = 120
_STANDFIRST_MAX = 600

T = TypeVar("T")

# How much one signal weighs for (+) or against (-) the text being the coalition's statement;
# ``_fields.decide_is_soc`` adds the strongest of each side (docs/rules.md, "is_soc").
WEIGHT_OWN_SITE = 10
WEIGHT_CREDIT = 4
WEIGHT_SPEAKER = 2
WEIGHT_OTHER_ISSUER = -4
WEIGHT_BYLINE = -3
WEIGHT_REPORTED = -3


# --- evidence helpers ------------------------------------------------------------------


def evidence_for(block: Block, rule: str, *, part: tuple[int, int] | None = None) -> Evidence:
    """Evidence pointing at a block, or at ``part`` (offsets into ``block.text``)."""
    lo, hi = part if part is not None else (0, len(block.text))
    raw = block.text[lo:hi]
    if block.locator is not None:
        return Evidence(rule=rule, raw=raw, locator=block.locator)
    return Evidence(rule=rule, raw=raw, spans=((block.start + lo, block.start + hi),))


def remove(draft: Draft, block: Block, rule: str) -> None:
    if block.locator is not None:
        draft.removed.append(Removal(rule=rule, text=block.text, locator=block.locator))
    else:
        draft.removed.append(Removal(rule=rule, text=block.text, span=block.span))


def add(
    candidates: list[Found[T]], draft: Draft, value: T, ev: Evidence, block: Block | None
) -> None:
    """Add a candidate for a field; the block is claimed by the first (the one that wins
    among the text's own candidates, see ``_fields``)."""
    if not candidates and block is not None:
        draft.claimed.add(block.index)
    candidates.append(Found(value, ev))


def credit(draft: Draft, weight: int, ev: Evidence) -> None:
    draft.signals.append(Signal(weight, ev))


def _same_title(a: str, b: str) -> bool:
    return _fold(a) == _fold(b)


def _fold(text: str) -> str:
    return _fold_normalized(normalize(text))


def _fold_normalized(text: str) -> str:
    """``_fold`` of a text ``normalize`` has already returned."""
    if text.isascii():  # no tatweel nor curly quotes, and casefold is lower
        return text.lower()
    text = text.replace(TATWEEL, "").casefold()
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def _repeats_title(content: str, folded_title: str) -> bool:
    """``_fold(content) == folded_title``, mostly without folding the content.

    An ASCII text folds to itself lower-cased, trimmed, its white space collapsed: its
    first visible letter must already be the title's. And case folding never shortens a
    text, so folding a normalized one drops its tatweels at most: a longer text is no title.
    """
    head = content.lstrip()[:1]
    # (A control character heads nothing: ``normalize`` drops it.)
    if content.isascii() and head.isprintable() and head.lower() != folded_title[:1]:
        return False
    text = normalize(content)
    if len(text) - text.count(TATWEEL) > len(folded_title):
        return False
    return _fold_normalized(text) == folded_title


def looks_like_title(block: Block) -> bool:
    text = block.content
    words = text.split()
    return (
        0 < len(text) <= 250
        and len(words) >= 2
        and _kind_line(text) is None
        and _TITLE_BAD_END.search(text) is None
        and parse_date_line(text) is None
        and R.footer_sections.first_rule(text) is None
        and R.SOURCE_LINE_ALONE.match(text) is None
    )


def date_line(block: Block) -> datetime.date | None:
    match = parse_date_line(block.content)
    return None if match is None else match.value


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
    between_rule: str = "page-header"
    """Rule for head blocks between title and body that are no field (neighbours' links)."""


def _skip_header_chrome(blocks: Sequence[Block], start: int = 0) -> int:
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
            if body < len(blocks) and _same_title(blocks[body].content, blocks[title].content):
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
    start = _skip_header_chrome(blocks)
    if start >= len(blocks) or not looks_like_title(blocks[start]):
        return None
    for j in range(start + 1, min(len(blocks), start + 10)):
        if _same_title(blocks[j].content, blocks[start].content):
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
    start = _skip_header_chrome(blocks)
    if start >= len(blocks) or not looks_like_title(blocks[start]):
        return None
    return Head(body_start=start + 1, title=start)


def _head_title_first(blocks: Sequence[Block]) -> Head | None:
    start = _skip_header_chrome(blocks)
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
        and not _same_title(first.content, second.content)
        and len(first.content.split()) <= 4
        and start + 2 < len(blocks)
    ):
        title = start + 1
    body = title + 1
    repeats: list[int] = []
    if body < len(blocks) and _same_title(blocks[body].content, blocks[title].content):
        repeats.append(body)
        body += 1
    published = None
    if body < len(blocks) and date_line(blocks[body]) is not None:
        published = body
        body += 1
    if body >= len(blocks):
        return None
    return Head(body_start=body, title=title, repeats=tuple(repeats), published=published)


def _head_none(blocks: Sequence[Block]) -> Head | None:
    return Head(body_start=_skip_header_chrome(blocks))


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


# --- reading a page --------------------------------------------------------------------


def read_page(blocks: Sequence[Block]) -> list[Draft]:
    """One draft for an article page, one per item for a listing page."""
    for finder in (_date_archive, _tag_listing, _section_listing):
        drafts = finder(blocks)
        if drafts:
            return drafts
    return [read_article(blocks)]


def _listing_drafts(
    blocks: Sequence[Block],
    layout: Layout,
    starts: list[int],
    tail: int,
    read_item: Callable[[Draft, int, int], None],
) -> list[Draft]:
    """Shared head and tail chrome go into every item's removals, so each item's
    provenance stands alone; each item reads its own blocks ``[start, next start)``."""
    shared = Draft(layout=layout)
    _read_page_head(shared, blocks[: starts[0]], layout)
    _read_tail(Draft(layout=layout), blocks[tail:], title=None, into=shared)
    drafts = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else tail
        draft = Draft(layout=layout)
        read_item(draft, start, end)
        draft.removed.extend(shared.removed)
        draft.captured.extend(shared.captured[:1])
        draft.switcher.extend(shared.switcher)
        draft.site_edition = shared.site_edition
        draft.signals.extend(shared.signals)
        if tail == len(blocks) and k == len(starts) - 1:
            draft.truncated = True
            draft.notes.append("truncated: the listing ends before its footer chrome")
        drafts.append(draft)
    return drafts


def _date_archive(blocks: Sequence[Block]) -> list[Draft] | None:
    starts = []
    for i, block in enumerate(blocks):
        if R.LISTING_ITEM_MARK not in block.content:
            continue
        match = R.LISTING_ITEM_HEADER.match(block.content)
        if match is not None and parse_date_line(match.group(1)) is not None:
            starts.append(i)
    if not starts:
        return None
    tail = _find_tail(blocks, starts[0] + 1)
    starts = [i for i in starts if i < tail]
    layout = LISTINGS["listing-date-archive"]

    def read_item(draft: Draft, start: int, end: int) -> None:
        header = blocks[start]
        # The finder matched the normalized content; match the same string here.
        match = R.LISTING_ITEM_HEADER.match(header.content)
        assert match is not None
        date_text, category = match.group(1), match.group(2)
        when = parse_date_line(date_text)
        assert when is not None
        # Offsets into the raw text when it holds the date as printed; else the whole line.
        at = header.text.find(date_text)
        date_part = (at, at + len(date_text)) if at >= 0 else (0, len(header.text))
        gap = len(header.text[date_part[1] :]) - len(header.text[date_part[1] :].lstrip())
        rest_part = (date_part[1] + gap, len(header.text)) if at >= 0 else date_part
        ev = evidence_for(header, "listing-item-date", part=date_part)
        add(draft.published, draft, when.value, ev, header)
        ev = evidence_for(header, "listing-item-category", part=rest_part)
        add(draft.category, draft, normalize(category), ev, header)
        _read_body(draft, list(blocks[start + 1 : end]), layout)

    return _listing_drafts(blocks, layout, starts, tail, read_item)


def _tag_listing(blocks: Sequence[Block]) -> list[Draft] | None:
    starts = [
        i
        for i in range(len(blocks) - 2)
        if blocks[i + 1].content.endswith(R.TEASER_ENDS)
        and _same_title(blocks[i + 1].content, blocks[i + 2].content)
        and looks_like_title(blocks[i])
    ]
    if not starts:
        # A teaser short enough to print whole has no ellipsis: then the site's mission
        # blurb in the footer says that the page is the coalition's tag listing.
        starts = [
            i
            for i in range(len(blocks) - 2)
            if blocks[i + 1].content == blocks[i + 2].content
            and len(blocks[i + 1].content.split()) >= _SUMMARY_MIN_WORDS
            and looks_like_title(blocks[i])
        ]
        if not starts or not any(
            R.footer_sections.first_rule(b.content) == "mission-blurb" for b in blocks[starts[-1] :]
        ):
            return None
    tail = _find_tail(blocks, starts[-1] + 3)
    layout = LISTINGS["listing-tag"]

    def read_item(draft: Draft, start: int, end: int) -> None:
        title = blocks[start]
        add(draft.title, draft, title.content, evidence_for(title, "listing-item-title"), title)
        remove(draft, blocks[start + 2], "repeated-teaser")
        body = [blocks[start + 1], *blocks[start + 3 : end]]
        _read_body(draft, body, layout)
        if blocks[start + 1].content.endswith(R.TEASER_ENDS):
            draft.notes.append("truncated: a listing teaser, cut by the site")
            draft.truncated = True

    return _listing_drafts(blocks, layout, starts, tail, read_item)


def _section_listing(blocks: Sequence[Block]) -> list[Draft] | None:
    label = _skip_header_chrome(blocks)
    if label >= len(blocks) or not R.SECTION_LABELS.match(blocks[label].content):
        return None
    tail = _find_tail(blocks, label + 1)
    items = list(range(label + 1, tail, 2))
    if len(items) < 2 or (tail - label - 1) % 2:
        return None
    for i in items:
        title, summary = blocks[i], blocks[i + 1]
        # Summaries are cut by the site (no final stop), so tell them from titles by length.
        if not looks_like_title(title) or len(summary.content.split()) < _SUMMARY_MIN_WORDS:
            return None
    layout = LISTINGS["listing-section"]

    def read_item(draft: Draft, start: int, end: int) -> None:
        title = blocks[start]
        add(draft.title, draft, title.content, evidence_for(title, "listing-item-title"), title)
        _read_body(draft, list(blocks[start + 1 : end]), layout)

    # The section heading is page chrome, read with the head.
    return _listing_drafts(blocks, layout, items, tail, read_item)


# --- reading one article ---------------------------------------------------------------


def read_article(blocks: Sequence[Block]) -> Draft:
    layout, head = match_layout(blocks)
    draft = Draft(layout=layout)
    head_start = min(
        (i for i in (head.title, head.published, head.category) if i is not None),
        default=head.body_start,
    )
    _read_page_head(draft, blocks[:head_start], layout)
    _read_head(draft, blocks, head, head_start)
    tail = _find_tail(blocks, head.body_start)
    body_blocks = list(blocks[head.body_start : tail])
    _read_body(draft, body_blocks, layout)
    _read_tail(draft, blocks[tail:], title=draft.first_title())
    if tail == len(blocks) and layout.expects_footer:
        draft.truncated = True
        draft.notes.append("truncated: the page ends before its footer chrome")
    return draft


def _read_page_head(draft: Draft, blocks: Sequence[Block], layout: Layout) -> None:
    """Everything above the title is chrome, except a capture (render) date."""
    for block in blocks:
        rule = R.header_chrome.first_rule(block.content)
        if rule == "edition-switcher":
            if block.content not in draft.switcher:
                draft.switcher.append(block.content)
        elif rule == "site-name" and draft.site_edition is None:
            edition = edition_of_site_name(block.content)
            if edition is not None:
                draft.site_edition = Found(edition, evidence_for(block, "site-name-edition"))
        elif block.bullet:
            rule = "menu"
        if rule is None:
            when = date_line(block)
            if when is not None and not draft.captured:
                add(draft.captured, draft, when, evidence_for(block, "top-bar-date"), None)
                continue
            rule = "menu" if block.bullet else layout.head_rule
        remove(draft, block, rule)


def _read_head(draft: Draft, blocks: Sequence[Block], head: Head, start: int) -> None:
    for i in range(start, head.body_start):
        block = blocks[i]
        if i == head.title:
            add(draft.title, draft, block.content, evidence_for(block, "title-line"), block)
        elif i == head.published:
            when = date_line(block)
            assert when is not None
            add(draft.published, draft, when, evidence_for(block, head.published_rule), block)
        elif i == head.category:
            match = R.CATEGORY_LINE.match(block.content)
            assert match is not None
            ev = evidence_for(block, "jnews-category")
            add(draft.category, draft, match.group(1), ev, block)
        elif i in head.repeats:
            remove(draft, block, "repeated-title")
        elif i in head.controls:
            remove(draft, block, "font-size")
        else:
            remove(draft, block, head.between_rule)


def _find_tail(blocks: Sequence[Block], start: int) -> int:
    for i in range(start, len(blocks)):
        # The first footer-section block after the article head ends the body.
        if R.footer_sections.first_rule(blocks[i].content) is not None:
            return i
    return len(blocks)


def _read_tail(
    draft: Draft, blocks: Sequence[Block], *, title: str | None, into: Draft | None = None
) -> None:
    """Footer chrome, section by section. A Joomla breadcrumb that repeats the title gives
    the category to ``draft``; removals go to ``into`` (default: ``draft``)."""
    target = draft if into is None else into
    section = "footer"
    for block in blocks:
        content = block.content
        rule = R.footer_sections.first_rule(content)
        if rule is not None:
            section = rule
        if rule == "breadcrumb":
            if title is not None:
                _joomla_breadcrumb(draft, block, title)
            remove(target, block, "breadcrumb")
            continue
        if not content:
            remove(target, block, "invisible")
            continue
        remove(target, block, "menu" if block.bullet and rule is None else section)


def _joomla_breadcrumb(draft: Draft, block: Block, title: str) -> None:
    match = R.JOOMLA_BREADCRUMB.match(block.content)
    if match is None:
        return
    category, rest = match.group(1), match.group(2)
    if not _same_title(rest, title):
        return
    ev = evidence_for(block, "joomla-breadcrumb", part=_find(block.text, category))
    add(draft.category, draft, category, ev, None)


def _find(text: str, needle: str) -> tuple[int, int]:
    at = text.find(needle)
    return (at, at + len(needle)) if at >= 0 else (0, len(text))


# --- the body --------------------------------------------------------------------------


def _read_body(draft: Draft, blocks: list[Block], layout: Layout) -> None:
    i = 0
    if layout.standfirst and blocks:
        i = _read_standfirst(draft, blocks)
    i = _read_release(draft, blocks, i)
    if not draft.release:
        _read_inner_release(draft, blocks, i)
    title = draft.first_title()
    folded_title = None if title is None else _fold(title)
    body: list[Block] = []
    for block in blocks[i:]:
        content = block.content
        if not content:
            remove(draft, block, "invisible")
            continue
        rule = R.inline_chrome.first_rule(content)
        if rule is not None:
            remove(draft, block, rule)
        elif folded_title is not None and _repeats_title(content, folded_title):
            remove(draft, block, "repeated-title")
        else:
            body.append(block)
    if body and folded_title is not None and _closing_breadcrumb(draft, body[-1], folded_title):
        body.pop()
    _read_voice(draft, body, blocks[0] if draft.summary else None)
    _read_attribution_and_paragraphs(draft, body)


def _closing_breadcrumb(draft: Draft, block: Block, folded_title: str) -> bool:
    """``Home <section> <title>`` closing the text (the coalition's static pages print
    ``Home About Coalition Principles``): a breadcrumb, whose section is the category."""
    match = R.CLOSING_BREADCRUMB.match(block.content)
    if match is None:
        return False
    trail = match.group(1)
    words = trail.split(" ")
    for cut in range(1, len(words)):
        if _fold(" ".join(words[cut:])) == folded_title:
            section = " ".join(words[:cut])
            ev = evidence_for(block, "closing-breadcrumb", part=_find(block.text, section))
            add(draft.category, draft, section, ev, None)
            remove(draft, block, "breadcrumb")
            return True
    return False


def _read_standfirst(draft: Draft, blocks: list[Block]) -> int:
    title = draft.first_title()
    first = blocks[0]
    followed_by_title = (
        title is not None and len(blocks) > 1 and _same_title(blocks[1].content, title)
    )
    found = R.STANDFIRST_CREDIT.search(first.content)
    if not (followed_by_title or found) or len(first.content) > _STANDFIRST_MAX:
        return 0
    add(draft.summary, draft, first.content, evidence_for(first, "standfirst"), first)
    if found is not None:
        ev = evidence_for(first, "standfirst-credit", part=_find(first.text, found.group()))
        credit(draft, WEIGHT_CREDIT, ev)
    return 1


def _kind_line(content: str) -> tuple[str, str] | None:
    """``(kind, note)`` when a line is a header's kind line: the kind alone, or the kind and a
    note (``Press Release Original in arabic``); tatweel padding dropped from the kind."""
    text = content.replace(TATWEEL, "")
    match = R.RELEASE_KINDS.match(text)
    if match is None:
        return None
    rest = text[match.end() :]
    if not rest:
        return text, ""
    if rest[:1] == " " and R.KIND_NOTE.fullmatch(rest.strip()) is not None:
        return text[: match.end()], rest.strip()
    return None


def _read_release(draft: Draft, blocks: list[Block], i: int) -> int:
    """A header block (kind, issuer, department or place, date) at the top of the body; or
    the kind line alone, when issuer and date come in a sign-off at the end or not at all."""
    if i >= len(blocks):
        return i
    first = blocks[i]
    kind_note = _kind_line(first.content)
    if kind_note is None:
        if R.RELEASE_KINDS.match(first.content.replace(TATWEEL, "")) is not None:
            return _read_glued_release(draft, blocks, i)
        return i
    kind = kind_note[0]
    lines: list[Block] = []
    dated: datetime.date | None = None
    for block in blocks[i + 1 : i + 5]:
        when = date_line(block)
        if when is not None:
            dated = when
            lines.append(block)
            break
        if len(block.content) > _HEADER_LINE_MAX:
            break
        lines.append(block)
    if dated is None:
        # The kind line alone, then the body: a header without issuer and date.
        if i + 1 < len(blocks) and len(blocks[i + 1].content) > _HEADER_LINE_MAX:
            ev = evidence_for(first, "press-header-kind")
            add(draft.release, draft, Release(kind=kind), ev, first)
            return i + 1
        return i
    middle = [b.content for b in lines[:-1]]
    issuer, department = _split_issuer(middle)
    release = Release(kind=kind, issuer=issuer, department=department, dated=dated)
    header = [first, *lines]
    ev = Evidence(
        rule="press-header",
        raw="\n".join(b.text for b in header),
        spans=() if first.locator is not None else tuple(b.span for b in header),
        locator=first.locator,
    )
    add(draft.release, draft, release, ev, first)
    for block in lines:
        draft.claimed.add(block.index)
    _issuer_signal(draft, issuer, lines, "press-header-issuer")
    return i + 1 + len(lines)


_INNER_HEADER_BLOCKS = 3
"""How deep in the body a press header may stand below a republisher's introduction."""


def _read_inner_release(draft: Draft, blocks: list[Block], i: int) -> None:
    """A complete press header (kind line, issuer, date) a few blocks into the body, below a
    republisher's introduction: read as the header, and taken out of the body's blocks."""
    for j in range(i + 1, min(len(blocks), i + 1 + _INNER_HEADER_BLOCKS)):
        kind = _kind_line(blocks[j].content)
        if kind is None or kind[1]:
            continue
        end = _read_release(draft, blocks, j)
        if draft.release and end > j + 1:
            del blocks[j:end]
            return
        draft.release.clear()
        return


def _issuer_signal(draft: Draft, issuer: str | None, lines: Sequence[Block], rule: str) -> None:
    """A header or sign-off naming the coalition counts for it; naming another body, against.
    The evidence points at the issuer's own line."""
    if issuer is None:
        return
    line = next(b for b in lines if b.content == issuer)
    at = evidence_for(line, rule)
    if R.COALITION.search(issuer):
        credit(draft, WEIGHT_CREDIT, at)
    else:
        credit(draft, WEIGHT_OTHER_ISSUER, attrs.evolve(at, rule="other-issuer"))


def _read_sign_off(draft: Draft, body: list[Block]) -> list[Block]:
    """A closing sign-off (issuer, office, date on lines of their own) naming the coalition:
    removed from the body with rule ``sign-off``; it completes the press header. A source
    line on its own after the sign-off stays for the attribution."""
    if body and any(p.fullmatch(body[-1].content) for p in _SOURCE_ALONE):
        return [*_read_sign_off(draft, body[:-1]), body[-1]]
    # Short lines only, the last a date: measured cheaply before any date is parsed.
    if len(body) < 3 or len(body[-1].content) > _HEADER_LINE_MAX:
        return body
    dated = date_line(body[-1])
    if dated is None:
        return body
    for size in range(2, min(R.SIGN_OFF_LINES, len(body) - 1) + 1):
        block = body[-size:]
        line = block[0]
        if len(line.content) > _HEADER_LINE_MAX or date_line(line) is not None:
            break
        names = [b.content for b in block[:-1]]
        if not any(R.COALITION.search(n) for n in names):
            continue
        issuer, department = _split_issuer(names)
        ev = Evidence(
            rule="sign-off",
            raw="\n".join(b.text for b in block),
            spans=() if block[0].locator is not None else tuple(b.span for b in block),
            locator=block[0].locator,
        )
        for b in block:
            remove(draft, b, "sign-off")
        _issuer_signal(draft, issuer, block, "sign-off-issuer")
        add(draft.closing_dates, draft, dated, ev, None)
        if draft.release and draft.release[0].value.issuer is None:
            header = draft.release[0]
            release = attrs.evolve(header.value, issuer=issuer, department=department, dated=dated)
            both = Evidence(
                rule="press-header+sign-off",
                raw=header.evidence.raw + "\n" + ev.raw,
                spans=header.evidence.spans + ev.spans,
                locator=header.evidence.locator,
            )
            draft.release[0] = Found(release, both)
        return body[:-size]
    return body


def _split_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    issuer = next((s for s in lines if R.COALITION.search(s) and not R.DEPARTMENT.search(s)), None)
    if issuer is None:
        issuer = next((s for s in lines if not R.DEPARTMENT.search(s)), None)
    rest = [s for s in lines if s != issuer]
    department = " / ".join(rest) if rest else None
    if issuer is None and rest:
        issuer, department = rest[0], " / ".join(rest[1:]) or None
    return issuer, department


def _read_glued_release(draft: Draft, blocks: list[Block], i: int) -> int:
    """``Press releaseSyrian Opposition Coalition - SyriaDepartment of …June 24, 2020The…``."""
    block = blocks[i]
    text = block.text
    dates = [m for m in find_dates(text) if m.start <= 250]
    if not dates:
        return i
    date = dates[0]
    kind_match = R.RELEASE_KINDS.match(text)
    if kind_match is None:
        return i
    kind = text[: kind_match.end()]
    middle = text[kind_match.end() : date.start].strip()
    department_match = R.GLUED_DEPARTMENT.search(middle)
    if department_match is not None:
        issuer = middle[: department_match.start()].strip(" -–") or None
        department: str | None = department_match.group()
    else:
        issuer, department = middle or None, None
    release = Release(kind=kind, issuer=issuer, department=department, dated=date.value)
    ev = evidence_for(block, "press-header-glued", part=(0, date.end))
    add(draft.release, draft, release, ev, block)
    if issuer is not None and R.COALITION.search(issuer):
        credit(draft, WEIGHT_CREDIT, attrs.evolve(ev, rule="press-header-issuer"))
    rest = text[date.end :]
    lead = len(rest) - len(rest.lstrip())
    if rest.strip():
        start = date.end + lead
        # The remainder is the first body paragraph: re-enter it as a block of its own.
        blocks[i] = attrs.evolve(
            block,
            text=text[start:].rstrip(),
            content=normalize(text[start:]),
            start=block.start + start if block.locator is None else 0,
            end=block.end if block.locator is None else 0,
        )
        return i
    return i + 1


_SOURCE_PATTERNS = (R.SOURCE_LINE_GLUED, R.SOURCE_LINE_BARE)
_SOURCE_ALONE = (R.SOURCE_LINE_ALONE, R.SOURCE_LINE_BARE)


def _read_attribution_and_paragraphs(draft: Draft, body: list[Block]) -> None:
    body = _read_sign_off(draft, body)
    found: tuple[int, int, int, str] | None = None  # block position, lo, hi, credit
    for pos in range(len(body) - 1, max(-1, len(body) - 4), -1):
        text = body[pos].text
        for pattern in _SOURCE_PATTERNS:
            match = pattern.search(text, max(0, len(text) - R.SOURCE_TAIL))
            if match is not None:
                lo = match.start() + (len(match.group()) - len(match.group().lstrip()))
                found = (pos, lo, match.end(), normalize(match.group(1)))
                break
        if found is not None:
            break
    for pos, block in enumerate(body):
        if found is not None and pos == found[0]:
            _, lo, hi, line_credit = found
            ev = evidence_for(block, "source-line", part=(lo, hi))
            line_credit = _source_date(draft, line_credit, ev)
            add(draft.attribution, draft, line_credit, ev, block)
            if R.COALITION.search(line_credit):
                credit(draft, WEIGHT_CREDIT, ev)
            before = block.text[:lo].rstrip()
            if before:
                _add_paragraph(draft, block, (0, len(before)))
            continue
        _add_paragraph(draft, block, (0, len(block.text)))
    last = draft.paragraphs[-1].text if draft.paragraphs else ""
    # A short closing line (a signature, ``Qamishlo, April 24, 2023``) has no final stop
    # either, nor has a list item; only a long paragraph that stops without one is a cut.
    if (
        found is None
        and len(last.split()) >= _CUT_MIN_WORDS
        and not last.startswith(BULLETS)
        and not _SENTENCE_END.search(last)
    ):
        draft.truncated = True
        draft.notes.append("truncated: the last paragraph stops mid-sentence")


def _source_date(draft: Draft, line_credit: str, ev: Evidence) -> str:
    """A date the source line carries after its credit (``… Department / 12.11.2017``) is
    the item's own dating: kept as a candidate for ``published``, cut from the credit."""
    for separator in R.SOURCE_DATE_SEPARATORS:
        head, sep, tail = line_credit.rpartition(separator)
        if sep and head:
            when = parse_date_line(tail)
            if when is not None:
                dated = attrs.evolve(ev, rule="source-line-date")
                add(draft.closing_dates, draft, when.value, dated, None)
                return head.strip()
    return line_credit


_VOICE_PARAGRAPHS = 8
"""Paragraphs searched for an outlet's voice (the opening of a report is where it shows)."""


def _read_voice(draft: Draft, body: list[Block], standfirst: Block | None) -> None:
    """Whether the coalition speaks in the text's opening sentence, or a standfirst-like
    credit opens it; the opening blocks are kept for ``outlet_voice``."""
    openings = [b for b in (standfirst, *body[:1]) if b is not None]
    for block in openings:
        match = R.SPEAKER.match(block.text)  # every fragment is anchored
        if match is not None:
            ev = evidence_for(block, "coalition-speaker", part=match.span())
            credit(draft, WEIGHT_SPEAKER, ev)
            break
    if body and standfirst is None:
        # A standfirst that runs on credits in its opening: search that much of it.
        found = R.STANDFIRST_CREDIT.search(body[0].text, 0, _STANDFIRST_MAX)
        if found is not None:
            credit(
                draft, WEIGHT_CREDIT, evidence_for(body[0], "standfirst-credit", part=found.span())
            )
    # An outlet's voice is looked for only when a signal for the coalition could be
    # outweighed by it (``_fields.decide_is_soc``): the blocks are kept for that.
    draft.opening = body[:_VOICE_PARAGRAPHS]


def outlet_voice(blocks: Sequence[Block]) -> list[Signal]:
    """Signals that an outlet speaks, not the coalition: a byline, reported speech or a news
    agency's credit in the opening blocks of the body."""
    signals = []
    for block in blocks:
        if R.BYLINE.match(block.text):
            signals.append(Signal(WEIGHT_BYLINE, evidence_for(block, "byline")))
            break
    for block in blocks:
        match = R.reported_speech(block.text)
        if match is not None:
            ev = evidence_for(block, "reported-speech", part=match.span())
            signals.append(Signal(WEIGHT_REPORTED, ev))
            break
    return signals


def _add_paragraph(draft: Draft, block: Block, part: tuple[int, int]) -> None:
    lo, hi = part
    text = normalize(block.text[lo:hi])
    span = (block.start + lo, block.start + hi) if block.locator is None else (0, 0)
    # tuple.__new__ skips the NamedTuple's Python-level __new__: a page may hold 100,000
    # paragraphs, and this is the one place they are made.
    draft.paragraphs.append(tuple.__new__(Paragraph, (text, span, block.locator)))
    draft.claimed.add(block.index)
