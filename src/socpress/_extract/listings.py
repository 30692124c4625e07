"""A page is one article or a listing of items: date archives, tag pages, section pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from socpress._blocks import Block, normalize
from socpress._extract.article import (
    SUMMARY_MIN_WORDS,
    find_tail,
    read_article,
    read_body,
    read_page_head,
    read_tail,
)
from socpress._extract.draft import Draft
from socpress._extract.heads import Head, match_layout, skip_header_chrome
from socpress._extract.lines import (
    add,
    evidence_for,
    looks_like_title,
    posted_date,
    remove,
    same_title,
)
from socpress._extract.main_content import select_main
from socpress._read.html import HtmlPage
from socpress._site import rules as R
from socpress._site.dates import parse_date_line
from socpress._site.layouts import LISTINGS, Layout

# --- reading a page --------------------------------------------------------------------


def read_page(blocks: Sequence[Block], html: HtmlPage | None = None) -> list[Draft]:
    """One draft for an article page, one per item for a listing page. An HTML page no
    coalition layout claims is read from its main container (``_extract/main_content``)."""
    for finder in (_date_archive, _tag_listing, _section_listing, _archive_listing):
        drafts = finder(blocks)
        if drafts:
            return drafts
    matched = match_layout(blocks)
    if html is not None and not matched[0].footer_sections:
        selection = select_main(blocks, html)
        if selection is not None:
            kept, removed = selection.kept, selection.removed
            matched = match_layout(kept)
            if selection.date_line is not None and not _reads_date_line(
                kept, matched[1], selection.date_line[0]
            ):
                # The head does not read it as its date line: removed as its element says.
                kept = [b for b in kept if b is not selection.date_line[0]]
                removed = sorted([*removed, selection.date_line], key=lambda r: r[0].index)
                matched = match_layout(kept)
            draft = read_article(kept, matched)
            for block, rule in removed:
                remove(draft, block, rule)
            return [draft]
    return [read_article(blocks, matched)]


def _reads_date_line(kept: Sequence[Block], head: Head, line: Block) -> bool:
    return head.published is not None and kept[head.published] is line


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
    read_page_head(shared, blocks[: starts[0]], layout)
    read_tail(Draft(layout=layout), blocks[tail:], title=None, into=shared)
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
    tail = find_tail(blocks, starts[0] + 1)
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
        read_body(draft, list(blocks[start + 1 : end]), layout)

    return _listing_drafts(blocks, layout, starts, tail, read_item)


def _tag_listing(blocks: Sequence[Block]) -> list[Draft] | None:
    starts = [
        i
        for i in range(len(blocks) - 2)
        if blocks[i + 1].content.endswith(R.TEASER_ENDS)
        and same_title(blocks[i + 1].content, blocks[i + 2].content)
        and looks_like_title(blocks[i])
    ]
    if not starts:
        # A teaser short enough to print whole has no ellipsis: then the site's mission
        # blurb in the footer says that the page is the coalition's tag listing.
        starts = [
            i
            for i in range(len(blocks) - 2)
            if blocks[i + 1].content == blocks[i + 2].content
            and len(blocks[i + 1].content.split()) >= SUMMARY_MIN_WORDS
            and looks_like_title(blocks[i])
        ]
        if not starts or not any(
            R.footer_sections.first_rule(b.content) == "mission-blurb" for b in blocks[starts[-1] :]
        ):
            return None
    tail = find_tail(blocks, starts[-1] + 3)
    layout = LISTINGS["listing-tag"]

    def read_item(draft: Draft, start: int, end: int) -> None:
        title = blocks[start]
        add(draft.title, draft, title.content, evidence_for(title, "listing-item-title"), title)
        remove(draft, blocks[start + 2], "repeated-teaser")
        body = [blocks[start + 1], *blocks[start + 3 : end]]
        read_body(draft, body, layout)
        if blocks[start + 1].content.endswith(R.TEASER_ENDS):
            draft.notes.append("truncated: a listing teaser, cut by the site")
            draft.truncated = True

    return _listing_drafts(blocks, layout, starts, tail, read_item)


def _section_listing(blocks: Sequence[Block]) -> list[Draft] | None:
    label = skip_header_chrome(blocks)
    if label >= len(blocks) or not R.SECTION_LABELS.match(blocks[label].content):
        return None
    tail = find_tail(blocks, label + 1)
    items = list(range(label + 1, tail, 2))
    if len(items) < 2 or (tail - label - 1) % 2:
        return None
    for i in items:
        title, summary = blocks[i], blocks[i + 1]
        # Summaries are cut by the site (no final stop), so tell them from titles by length.
        if not looks_like_title(title) or len(summary.content.split()) < SUMMARY_MIN_WORDS:
            return None
    layout = LISTINGS["listing-section"]

    def read_item(draft: Draft, start: int, end: int) -> None:
        title = blocks[start]
        add(draft.title, draft, title.content, evidence_for(title, "listing-item-title"), title)
        read_body(draft, list(blocks[start + 1 : end]), layout)

    # The section heading is page chrome, read with the head.
    return _listing_drafts(blocks, layout, items, tail, read_item)


def _ends_listing(content: str) -> bool:
    """A short line of page links or footer chrome: the listing's items end before it."""
    return len(content) <= R.LOCAL_CHROME_MAX and (
        R.PAGINATION.match(content) is not None or R.footer_sections.first_rule(content) is not None
    )


def _archive_listing(blocks: Sequence[Block]) -> list[Draft] | None:
    """Another site's tag, category or archive page: its heading near the top, then at least
    two items, each a title line followed by a date line, or a title line that opens the
    listing or follows an item's ``Read More`` link."""
    heading = next(
        (
            i
            for i, block in enumerate(blocks[: R.ARCHIVE_HEADING_BLOCKS])
            if len(block.content) <= R.LOCAL_CHROME_MAX and R.ARCHIVE_HEADING.match(block.content)
        ),
        None,
    )
    if heading is None:
        return None
    starts: list[int] = []
    dates: dict[int, datetime.date] = {}
    after_link = True  # the first title line after the heading opens the listing
    # Each line's date is read once: as the line under the one before, then as its own.
    upcoming = posted_date(blocks[heading + 1]) if heading + 1 < len(blocks) else None
    for i in range(heading + 1, len(blocks)):
        block = blocks[i]
        content = block.content
        own = upcoming
        upcoming = when = posted_date(blocks[i + 1]) if i + 1 < len(blocks) else None
        if _ends_listing(content):
            break
        if R.READ_MORE.match(content):
            after_link = True
            continue
        if not content:
            continue
        if looks_like_title(block) and own is None and (when or after_link):
            starts.append(i)
            if when is not None:
                dates[i] = when
        after_link = False
    if len(starts) < 2:
        return None
    tail = starts[-1] + 1
    while tail < len(blocks) and not _ends_listing(blocks[tail].content):
        tail += 1
    layout = LISTINGS["listing-archive"]

    def read_item(draft: Draft, start: int, end: int) -> None:
        title = blocks[start]
        add(draft.title, draft, title.content, evidence_for(title, "listing-item-title"), title)
        first = start + 1
        when = dates.get(start)
        if when is not None:
            line = blocks[first]
            add(draft.published, draft, when, evidence_for(line, "listing-item-date"), line)
            first += 1
        body = []
        for block in blocks[first:end]:
            if R.READ_MORE.match(block.content):
                remove(draft, block, "read-more")
            else:
                body.append(block)
        read_body(draft, body, layout)

    return _listing_drafts(blocks, layout, starts, tail, read_item)
