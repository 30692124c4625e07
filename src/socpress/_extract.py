"""Stage 3–5: blocks → layout → labelled blocks → field values with evidence.

Written once for both readers: it sees only ``Block`` objects. Every block ends up in a
field (with ``Evidence``) or in the removed chrome (with the ``Removal`` rule), and a
block is never both part of the body and removed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from socpress import _rules as R
from socpress._blocks import Block, normalize
from socpress._dates import find_dates, parse_date_line
from socpress._layouts import LAYOUTS, LISTINGS, Layout
from socpress._model import Evidence, Release, Removal

_TATWEEL = "\u0640"
_SENTENCE_END = re.compile(r"[.!?…。؟!»”\"’')\]:]$")
_TITLE_BAD_END = re.compile(r"[.:,;]$")
_SUMMARY_MIN_WORDS = 12
_CUT_MIN_WORDS = 8


@attrs.define
class Draft:
    """The mutable record of one reading; frozen into an ``Article`` at the end."""

    layout: str
    own_site: bool = False
    values: dict[str, Any] = attrs.Factory(dict)
    evidence: dict[str, Evidence] = attrs.Factory(dict)
    rejected: dict[str, list[Evidence]] = attrs.Factory(dict)
    removed: list[Removal] = attrs.Factory(list)
    paragraphs: list[tuple[str, tuple[int, int], str | None]] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)
    truncated: bool = False
    claimed: set[int] = attrs.Factory(set)
    """Indexes of blocks that carry a field (in input order), for ``strip_chrome``."""
    credits: list[Evidence] = attrs.Factory(list)
    """Evidence that the text is the coalition's (source line, press header, standfirst)."""
    switcher: list[str] = attrs.Factory(list)
    """Editions listed by a JNews edition switcher (the other languages)."""
    declared_language: list[Evidence] = attrs.Factory(list)
    """Language declarations from markup (``<html lang>``, JSON-LD ``inLanguage``)."""


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


def set_field(draft: Draft, name: str, value: Any, ev: Evidence, block: Block | None) -> None:
    """Record a value, or keep it as a rejected candidate when the field is already set."""
    if name in draft.values and draft.values[name] is not None:
        draft.rejected.setdefault(name, []).append(ev)
        return
    draft.values[name] = value
    draft.evidence[name] = ev
    if block is not None:
        draft.claimed.add(block.index)


def _same_title(a: str, b: str) -> bool:
    return _fold(a) == _fold(b)


def _fold(text: str) -> str:
    return _fold_normalized(normalize(text))


def _fold_normalized(text: str) -> str:
    """``_fold`` of a text ``normalize`` has already returned."""
    if text.isascii():  # no tatweel nor curly quotes, and casefold is lower
        return text.lower()
    text = text.replace(_TATWEEL, "").casefold()
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def _repeats_title(content: str, folded_title: str) -> bool:
    """``_fold(content) == folded_title``, mostly without folding the content.

    An ASCII text folds to itself lower-cased, trimmed, its white space collapsed: its
    first visible letter must already be the title's. And case folding never shortens a
    text, so folding a normalized one drops its tatweels at most: a longer text is no title.
    """
    if content.isascii() and content.lstrip()[:1].lower() != folded_title[:1]:
        return False
    text = normalize(content)
    if len(text) - text.count(_TATWEEL) > len(folded_title):
        return False
    return _fold_normalized(text) == folded_title


def looks_like_title(block: Block) -> bool:
    text = block.content
    words = text.split()
    return (
        0 < len(text) <= 250
        and len(words) >= 2
        and R.RELEASE_KINDS.fullmatch(text.replace(_TATWEEL, "")) is None
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
            )
    return None


def _head_joomla(blocks: Sequence[Block]) -> Head | None:
    i = 1 if blocks and blocks[0].content.casefold() == "print this page" else 0
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
    first_index = 1 if blocks and blocks[0].content.casefold() == "print this page" else 0
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
    shared = Draft(layout=layout.name)
    _read_page_head(shared, blocks[: starts[0]], layout)
    _read_tail(Draft(layout=layout.name), blocks[tail:], title=None, into=shared)
    drafts = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else tail
        draft = Draft(layout=layout.name, own_site=layout.own_site)
        read_item(draft, start, end)
        draft.removed.extend(shared.removed)
        if "captured" in shared.values:
            set_field(
                draft, "captured", shared.values["captured"], shared.evidence["captured"], None
            )
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
        set_field(
            draft,
            "published",
            when.value,
            evidence_for(header, "listing-item-date", part=date_part),
            header,
        )
        set_field(
            draft,
            "category",
            normalize(category),
            evidence_for(header, "listing-item-category", part=rest_part),
            header,
        )
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
        return None
    tail = _find_tail(blocks, starts[-1] + 3)
    layout = LISTINGS["listing-tag"]

    def read_item(draft: Draft, start: int, end: int) -> None:
        title = blocks[start]
        set_field(draft, "title", title.content, evidence_for(title, "listing-item-title"), title)
        remove(draft, blocks[start + 2], "repeated-teaser")
        body = [blocks[start + 1], *blocks[start + 3 : end]]
        _read_body(draft, body, layout)
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
        set_field(draft, "title", title.content, evidence_for(title, "listing-item-title"), title)
        _read_body(draft, list(blocks[start + 1 : end]), layout)

    # The section heading is page chrome, read with the head.
    return _listing_drafts(blocks, layout, items, tail, read_item)


# --- reading one article ---------------------------------------------------------------


def read_article(blocks: Sequence[Block]) -> Draft:
    layout, head = match_layout(blocks)
    draft = Draft(layout=layout.name, own_site=layout.own_site)
    head_start = min(
        (i for i in (head.title, head.published, head.category) if i is not None),
        default=head.body_start,
    )
    _read_page_head(draft, blocks[:head_start], layout)
    _read_head(draft, blocks, head, head_start)
    tail = _find_tail(blocks, head.body_start)
    body_blocks = list(blocks[head.body_start : tail])
    _read_body(draft, body_blocks, layout)
    _read_tail(draft, blocks[tail:], title=draft.values.get("title"))
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
        elif block.bullet:
            rule = "menu"
        if rule is None:
            when = date_line(block)
            if when is not None and "captured" not in draft.values:
                set_field(draft, "captured", when, evidence_for(block, "top-bar-date"), None)
                continue
            rule = "menu" if block.bullet else layout.head_rule
        remove(draft, block, rule)


def _read_head(draft: Draft, blocks: Sequence[Block], head: Head, start: int) -> None:
    for i in range(start, head.body_start):
        block = blocks[i]
        if i == head.title:
            set_field(draft, "title", block.content, evidence_for(block, "title-line"), block)
        elif i == head.published:
            when = date_line(block)
            set_field(draft, "published", when, evidence_for(block, head.published_rule), block)
        elif i == head.category:
            match = R.CATEGORY_LINE.match(block.content)
            assert match is not None
            set_field(
                draft, "category", match.group(1), evidence_for(block, "jnews-category"), block
            )
        elif i in head.repeats:
            remove(draft, block, "repeated-title")
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
    set_field(draft, "category", category, ev, None)


def _find(text: str, needle: str) -> tuple[int, int]:
    at = text.find(needle)
    return (at, at + len(needle)) if at >= 0 else (0, len(text))


# --- the body --------------------------------------------------------------------------


def _read_body(draft: Draft, blocks: list[Block], layout: Layout) -> None:
    i = 0
    if layout.standfirst and blocks:
        i = _read_standfirst(draft, blocks)
    i = _read_release(draft, blocks, i)
    title = draft.values.get("title")
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
    _read_attribution_and_paragraphs(draft, body)


def _read_standfirst(draft: Draft, blocks: list[Block]) -> int:
    title = draft.values.get("title")
    first = blocks[0]
    followed_by_title = (
        title is not None and len(blocks) > 1 and _same_title(blocks[1].content, title)
    )
    credit = R.STANDFIRST_CREDIT.search(first.content)
    if not (followed_by_title or credit) or len(first.content) > 600:
        return 0
    set_field(draft, "summary", first.content, evidence_for(first, "standfirst"), first)
    if credit is not None:
        draft.credits.append(
            evidence_for(first, "standfirst-credit", part=_find(first.text, credit.group()))
        )
    return 1


def _read_release(draft: Draft, blocks: list[Block], i: int) -> int:
    """A header block (kind, issuer, department or place, date) at the top of the body."""
    if i >= len(blocks):
        return i
    first = blocks[i]
    kind_match = R.RELEASE_KINDS.match(first.content.replace(_TATWEEL, ""))
    if kind_match is None:
        return i
    if kind_match.end() < len(first.content.replace(_TATWEEL, "")):
        return _read_glued_release(draft, blocks, i)
    lines: list[Block] = []
    dated: datetime.date | None = None
    for block in blocks[i + 1 : i + 5]:
        when = date_line(block)
        if when is not None:
            dated = when
            lines.append(block)
            break
        if len(block.content) > 120:
            return i
        lines.append(block)
    if dated is None:
        return i
    middle = [b.content for b in lines[:-1]]
    issuer, department = _split_issuer(middle)
    release = Release(
        kind=first.content.replace(_TATWEEL, ""),
        issuer=issuer,
        department=department,
        dated=dated,
    )
    header = [first, *lines]
    ev = Evidence(
        rule="press-header",
        raw="\n".join(b.text for b in header),
        spans=() if first.locator is not None else tuple(b.span for b in header),
        locator=first.locator,
    )
    set_field(draft, "release", release, ev, first)
    for block in lines:
        draft.claimed.add(block.index)
    if issuer is not None and R.COALITION.search(issuer):
        draft.credits.append(
            Evidence(rule="press-header-issuer", raw=issuer, spans=ev.spans, locator=ev.locator)
        )
    return i + 1 + len(lines)


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
    set_field(
        draft,
        "release",
        release,
        evidence_for(block, "press-header-glued", part=(0, date.end)),
        block,
    )
    if issuer is not None and R.COALITION.search(issuer):
        draft.credits.append(evidence_for(block, "press-header-issuer", part=(0, date.end)))
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


def _read_attribution_and_paragraphs(draft: Draft, body: list[Block]) -> None:
    found: tuple[int, int, int, str] | None = None  # block position, lo, hi, credit
    for pos in range(len(body) - 1, max(-1, len(body) - 4), -1):
        text = body[pos].text
        for pattern in (R.SOURCE_LINE_GLUED, R.SOURCE_LINE_AR):
            match = pattern.search(text)
            if match is not None:
                lo = match.start() + (len(match.group()) - len(match.group().lstrip()))
                found = (pos, lo, match.end(), normalize(match.group(1)))
                break
        if found is not None:
            break
    for pos, block in enumerate(body):
        if found is not None and pos == found[0]:
            _, lo, hi, credit = found
            ev = evidence_for(block, "source-line", part=(lo, hi))
            set_field(draft, "attribution", credit, ev, block)
            if R.COALITION.search(credit):
                draft.credits.append(evidence_for(block, "source-line", part=(lo, hi)))
            before = block.text[:lo].rstrip()
            if before:
                _add_paragraph(draft, block, (0, len(before)))
            continue
        _add_paragraph(draft, block, (0, len(block.text)))
    last = draft.paragraphs[-1][0] if draft.paragraphs else ""
    # A short closing line (a signature, ``Qamishlo, April 24, 2023``) has no final stop
    # either; only a long paragraph that stops without one is a cut.
    if found is None and len(last.split()) >= _CUT_MIN_WORDS and not _SENTENCE_END.search(last):
        draft.truncated = True
        draft.notes.append("truncated: the last paragraph stops mid-sentence")


def _add_paragraph(draft: Draft, block: Block, part: tuple[int, int]) -> None:
    lo, hi = part
    text = normalize(block.text[lo:hi])
    span = (block.start + lo, block.start + hi) if block.locator is None else (0, 0)
    draft.paragraphs.append((text, span, block.locator))
    draft.claimed.add(block.index)
