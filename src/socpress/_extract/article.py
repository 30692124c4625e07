"""Stage 3–5: blocks → layout → labelled blocks → field values with evidence.

Written once for both readers: it sees only ``Block`` objects. Every block ends up in a
field (with ``Evidence``) or in the removed chrome (with the ``Removal`` rule), and a
block is never both part of the body and removed.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from socpress._blocks import BULLETS, Block, normalize
from socpress._extract.draft import Draft, Found, Paragraph, Signal
from socpress._extract.heads import Head, match_layout
from socpress._extract.is_soc import WEIGHT_BYLINE, WEIGHT_CREDIT, read_voice
from socpress._extract.lines import (
    SENTENCE_END,
    SOURCE_PATTERNS,
    STANDFIRST_MAX,
    add,
    credit,
    date_line,
    evidence_for,
    find,
    fold,
    posted_date,
    remove,
    repeats_title,
    same_title,
)
from socpress._extract.release import read_inner_release, read_release, read_sign_off
from socpress._model import Evidence
from socpress._site import rules as R
from socpress._site.dates import parse_date_line
from socpress._site.editions import edition_of_site_name
from socpress._site.layouts import Layout

SUMMARY_MIN_WORDS = 12
_CUT_MIN_WORDS = 8


# --- reading one article ---------------------------------------------------------------


def read_article(blocks: Sequence[Block], matched: tuple[Layout, Head] | None = None) -> Draft:
    """One article from ``blocks``; ``matched`` is their ``match_layout`` when already known."""
    layout, head = match_layout(blocks) if matched is None else matched
    draft = Draft(layout=layout)
    head_start = min(
        (i for i in (head.title, head.published, head.category) if i is not None),
        default=head.body_start,
    )
    read_page_head(draft, blocks[:head_start], layout)
    _read_head(draft, blocks, head, head_start)
    if layout.footer_sections:
        tail = find_tail(blocks, head.body_start)
    else:
        tail = generic_tail(blocks, head.body_start)
    body_blocks = list(blocks[head.body_start : tail])
    read_body(draft, body_blocks, layout)
    read_tail(draft, blocks[tail:], title=draft.first_title())
    if tail == len(blocks) and layout.expects_footer:
        draft.truncated = True
        draft.notes.append("truncated: the page ends before its footer chrome")
    return draft


def read_page_head(draft: Draft, blocks: Sequence[Block], layout: Layout) -> None:
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
            when = posted_date(block)
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
        elif i == head.byline:
            # Someone else's writing: weighed against the text being the coalition's.
            remove(draft, block, "byline")
            draft.signals.append(Signal(WEIGHT_BYLINE, evidence_for(block, "byline")))
        else:
            remove(draft, block, head.between_rule)


def find_tail(blocks: Sequence[Block], start: int) -> int:
    for i in range(start, len(blocks)):
        # The first footer-section block after the article head ends the body.
        if R.footer_sections.first_rule(blocks[i].content) is not None:
            return i
    return len(blocks)


def generic_tail(blocks: Sequence[Block], start: int) -> int:
    """Where a page no coalition layout claims ends: at the first line that heads a closing
    section (``Related Posts``, ``Leave a Reply``, ``Tags: …``: ``R.CLOSING_SECTIONS``) after the
    last prose paragraph, when nothing after it is prose. Walks back from the end over the
    closing lines only; a page without prose keeps every block."""
    tail = len(blocks)
    for i in range(len(blocks) - 1, start - 1, -1):
        content = blocks[i].content
        if content.count(" ") + 1 >= R.CLOSING_PROSE_WORDS and SENTENCE_END.search(content):
            return tail
        if (
            len(content) <= R.LOCAL_CHROME_MAX
            and R.footer_sections.first_rule(content) in R.CLOSING_SECTIONS
        ):
            tail = i
    return len(blocks)


def read_tail(
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
        if rule is None and not draft.layout.footer_sections:
            # A generic page's closing lines keep the name of the chrome they are, where
            # a rule knows it (``Advertisement``, ``Read also: …``).
            own = R.inline_chrome.first_rule(content)
            if own is not None:
                remove(target, block, own)
                continue
        remove(target, block, "menu" if block.bullet and rule is None else section)


def _joomla_breadcrumb(draft: Draft, block: Block, title: str) -> None:
    match = R.JOOMLA_BREADCRUMB.match(block.content)
    if match is None:
        return
    category, rest = match.group(1), match.group(2)
    if not same_title(rest, title):
        return
    ev = evidence_for(block, "joomla-breadcrumb", part=find(block.text, category))
    add(draft.category, draft, category, ev, None)


# --- the body --------------------------------------------------------------------------


def read_body(draft: Draft, blocks: list[Block], layout: Layout) -> None:
    i = 0
    if layout.standfirst and blocks:
        i = _read_standfirst(draft, blocks)
    elif not layout.footer_sections and not layout.listing and len(blocks) > 1:
        # A republisher's standfirst that credits the coalition's media office (``…,
        # according to the SOC’s media office.``) is no body on a generic page either.
        i = _read_standfirst(draft, blocks, credited_only=True)
    i = read_release(draft, blocks, i)
    if not draft.release:
        i = read_inner_release(draft, blocks, i)
    title = draft.first_title()
    folded_title = None if title is None else fold(title)
    body: list[Block] = []
    for block in blocks[i:]:
        content = block.content
        if not content:
            remove(draft, block, "invisible")
            continue
        rule = R.inline_chrome.first_rule(content)
        if rule is None and not layout.footer_sections and len(content) <= R.LOCAL_CHROME_MAX:
            rule = R.footer_sections.first_rule(content)
        if rule is not None:
            remove(draft, block, rule)
        elif folded_title is not None and repeats_title(content, folded_title):
            remove(draft, block, "repeated-title")
        else:
            body.append(block)
    if body and folded_title is not None and _closing_breadcrumb(draft, body[-1], folded_title):
        body.pop()
    read_voice(draft, body, blocks[0] if draft.summary else None)
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
        if fold(" ".join(words[cut:])) == folded_title:
            section = " ".join(words[:cut])
            ev = evidence_for(block, "closing-breadcrumb", part=find(block.text, section))
            add(draft.category, draft, section, ev, None)
            remove(draft, block, "breadcrumb")
            return True
    return False


def _read_standfirst(draft: Draft, blocks: list[Block], *, credited_only: bool = False) -> int:
    title = draft.first_title()
    first = blocks[0]
    if credited_only and len(first.content) > STANDFIRST_MAX:
        return 0
    followed_by_title = (
        title is not None and len(blocks) > 1 and same_title(blocks[1].content, title)
    )
    found = R.STANDFIRST_CREDIT.search(first.content)
    if credited_only and found is None:
        return 0
    if not (followed_by_title or found) or len(first.content) > STANDFIRST_MAX:
        return 0
    add(draft.summary, draft, first.content, evidence_for(first, "standfirst"), first)
    if found is not None:
        ev = evidence_for(first, "standfirst-credit", part=find(first.text, found.group()))
        credit(draft, WEIGHT_CREDIT, ev)
    return 1


def _read_attribution_and_paragraphs(draft: Draft, body: list[Block]) -> None:
    body = read_sign_off(draft, body)
    found: tuple[int, int, int, str] | None = None  # block position, lo, hi, credit
    for pos in range(len(body) - 1, max(-1, len(body) - 4), -1):
        text = body[pos].text
        for pattern in SOURCE_PATTERNS:
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
        and not SENTENCE_END.search(last)
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


def _add_paragraph(draft: Draft, block: Block, part: tuple[int, int]) -> None:
    lo, hi = part
    piece = block.text[lo:hi]
    # A block's ``content`` is ``normalize``'s output and ``normalize`` is idempotent: a
    # piece equal to it (most paragraphs: the whole text, no bullet) normalizes to it.
    text = block.content if piece == block.content else normalize(piece)
    span = (block.start + lo, block.start + hi) if block.locator is None else (0, 0)
    # tuple.__new__ skips the NamedTuple's Python-level __new__: a page may hold 100,000
    # paragraphs, and this is the one place they are made.
    draft.paragraphs.append(tuple.__new__(Paragraph, (text, span, block.locator)))
    draft.claimed.add(block.index)
