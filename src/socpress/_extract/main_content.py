"""The main-content stage: which blocks of a page no coalition layout claims are its text.

Site knowledge comes first: this stage runs only when the page matched a generic layout
(``Layout.footer_sections`` off) and is HTML. It works on the blocks the HTML reader made
and the elements that hold them (``HtmlPage.elements``, ``owners``, ``links``), in three steps:

1. **Each block** is prose or not: long enough, little of it inside links, and written as
   sentences (sentence punctuation, or a share of function words of some language). Its
   prose characters count for every element around it; its link characters, and all the
   characters of a link-dense block, count against.
2. **Each element** is boilerplate when its tag (``aside``, ``nav``, ``footer``) or its class,
   id, ``itemprop`` or ``role`` words say so (``comment``, ``related``, ``share``,
   ``sidebar``, …), unless it holds most of the page's prose (a wrapper). Prose inside a
   boilerplate element counts against the elements above it. An element's score is its prose
   minus its boilerplate, raised when it says it is the content (``article``, ``main``,
   ``itemprop="articleBody"``, ``entry-content``); the best-scoring element that is not
   boilerplate is the main container.
3. **Pruning**: a block outside the main container is removed (``main-content:outside-main``)
   unless it is the page's ``<h1>`` above it (the title); inside it, a block within a
   boilerplate element is removed with that element's rule, a link-dense one as
   ``main-content:link-dense``. The rest go to the ordinary reading, which makes the fields.

Every block therefore ends in a field or in ``removed`` with its rule. The words, marks and
limits are the rows of ``_site/main_content.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

from socpress._blocks import Block
from socpress._extract.lines import SOURCE_ALONE, date_line, posted_date
from socpress._read.html import Element, HtmlPage
from socpress._site import main_content as M
from socpress._site import rules as R

OUTSIDE = "main-content:outside-main"
LINK_DENSE = "main-content:link-dense"
AFTER_TEXT = "main-content:after-text"
LONE_HEADING = "main-content:lone-heading"
CALL = "main-content:call-to-action"
SECTION = "main-content:section-heading"
CAPTION = "main-content:caption"
PROMO = "main-content:promo"


class Selection(NamedTuple):
    """The blocks the main container keeps, and the others each with its rule."""

    kept: list[Block]
    removed: list[tuple[Block, str]]
    date_line: tuple[Block, str] | None = None
    """A kept date line right under the title that its meta element's rule would have
    removed (``M.DATE_LINE_RULES``), with that rule: kept only if the head reads it as the
    date line; else the caller removes it with the rule."""


def _is_prose(content: str, links: int) -> bool:
    length = len(content)
    if length < M.PROSE_MIN_CHARS or links > M.PROSE_MAX_LINK_SHARE * length:
        return False
    if M.SENTENCE_PUNCTUATION.search(content) is not None:
        return True
    words = content.lower().split()
    function_words = sum(1 for word in words if word in M.ALL_STOPWORDS)
    return function_words >= M.PROSE_MIN_STOPWORDS * len(words)


@functools.lru_cache(maxsize=4096)
def _boilerplate_rule(tag: str, marks: str) -> str | None:
    # Cached: a page repeats the same tag and classes over and over (list items, teasers).
    rule = M.BOILERPLATE_TAGS.get(tag)
    if rule is not None or not marks:
        return rule
    # Every taxonomy word holds a ``-``: the literal clears most marks without a search.
    if "-" in marks and M.TAXONOMY_MARK.search(marks) is not None:
        marks = " ".join(w for w in marks.split() if M.TAXONOMY_MARK.match(w) is None)
    if M.ANY_BOILERPLATE_MARK.search(marks) is None:
        return None
    for pattern, name in M.BOILERPLATE_MARKS:
        if pattern.search(marks) is not None:
            return name
    return None


def select_main(blocks: Sequence[Block], html: HtmlPage) -> Selection | None:
    """The main container's blocks, or ``None`` when the page holds no prose to weigh (the
    ordinary reading then reads every block, as before)."""
    elements = html.elements
    if not blocks or len(html.owners) != len(blocks):
        return None
    good, bad, prose_blocks = _block_weights(blocks, html)
    body = _article_body(html)
    if body is not None:
        _agreement(blocks, html, body, good)
    prose = _subtree_sums(elements, good)
    page_prose = prose[0] if prose else 0
    if page_prose == 0:
        return None
    rules = _boilerplate(elements, prose, page_prose)
    score = _subtree_sums(
        elements,
        [
            -(g + b) if rule is not None else g - b
            for g, b, rule in zip(good, bad, rules, strict=True)
        ],
    )
    best = _best(elements, rules, score)
    main = _with_siblings(elements, rules, score, best)
    return _prune(blocks, html, main, rules, prose_blocks)


def _block_weights(
    blocks: Sequence[Block], html: HtmlPage
) -> tuple[list[int], list[int], list[bool]]:
    """Per element, the prose characters of the blocks it owns itself, and their
    boilerplate characters (link text; all of a link-dense block); per block, whether it is
    prose."""
    count = len(html.elements)
    good = [0] * count
    bad = [0] * count
    prose: list[bool] = []
    for block, owner, link in zip(blocks, html.owners, html.links, strict=True):
        length = len(block.content)
        is_prose = _is_prose(block.content, link)
        prose.append(is_prose)
        if is_prose:
            good[owner] += length - link
            bad[owner] += link
        elif link > M.LINK_DENSE_SHARE * length:
            bad[owner] += length
    return good, bad, prose


def _article_body(html: HtmlPage) -> str | None:
    """The JSON-LD ``articleBody``, folded and lower-cased, when long enough to weigh by."""
    for meta in html.meta:
        if meta.field == "body" and isinstance(meta.value, str):
            if len(meta.value) >= M.ARTICLE_BODY_MIN:
                return " ".join(meta.value.split()).casefold()
            return None
    return None


def _agreement(blocks: Sequence[Block], html: HtmlPage, body: str, good: list[int]) -> None:
    """Prose the page's own ``articleBody`` also holds weighs ``AGREEMENT_BOOST`` times more."""
    owners = html.owners
    for i, block in enumerate(blocks):
        content = block.content
        if len(content) >= M.PROSE_MIN_CHARS and content[: M.AGREEMENT_PREFIX].casefold() in body:
            good[owners[i]] += int(M.AGREEMENT_BOOST * len(content))


def _subtree_sums(elements: Sequence[Element], own: list[int]) -> list[int]:
    """Each element's value plus its descendants': elements come after their parents, so
    one backward pass adds them up."""
    total = own[:]
    for e in range(len(elements) - 1, 0, -1):
        parent = elements[e].parent
        if parent >= 0:
            total[parent] += total[e]
    return total


def _boilerplate(
    elements: Sequence[Element], prose: Sequence[int], page_prose: int
) -> list[str | None]:
    """The boilerplate rule of each element, inherited downwards; a wrapper that holds most
    of the page's prose, and a quotation's own credit, are none."""
    rules: list[str | None] = [None] * len(elements)
    wrapper = M.WRAPPER_SHARE * page_prose
    for e, element in enumerate(elements):
        parent = element.parent
        inherited = rules[parent] if parent >= 0 else None
        if inherited is not None:
            rules[e] = inherited
            continue
        own = _boilerplate_rule(element.tag, element.marks)
        if own is not None and (
            prose[e] >= wrapper or (parent >= 0 and elements[parent].tag in M.QUOTE_TAGS)
        ):
            own = None
        rules[e] = own
    return rules


def _best(elements: Sequence[Element], rules: Sequence[str | None], score: Sequence[int]) -> int:
    """The best-scoring element that is no boilerplate; one that says it is the content
    weighs more."""
    best, best_score = 0, float("-inf")
    for e, element in enumerate(elements):
        if rules[e] is not None:
            continue
        value: float = score[e]
        if value > 0 and (
            element.tag in M.CONTENT_TAGS or M.CONTENT_MARKS.search(element.marks) is not None
        ):
            value *= M.CONTENT_BOOST
        if value >= best_score:  # on a tie the later element, inside the earlier
            best, best_score = e, value
    return best


def _with_siblings(
    elements: Sequence[Element], rules: Sequence[str | None], score: Sequence[int], best: int
) -> set[int]:
    """An article cut into sibling sections (a standfirst, the text, a second part): the
    siblings of the main container, and of its parent, that hold prose of their own."""
    main = {best}
    floor = max(0.0, M.SIBLING_SHARE * score[best])
    level = best
    for _ in range(M.SIBLING_LEVELS):
        parent = elements[level].parent
        if parent < 0:
            break
        main.update(
            e
            for e in range(parent + 1, len(elements))
            if elements[e].parent == parent and e != level and rules[e] is None and score[e] > floor
        )
        level = parent
    return main


def _inside_main(elements: Sequence[Element], main: set[int]) -> list[bool]:
    """Whether each element lies in one of the ``main`` elements (or is one): parents come
    first, so one forward pass answers for all."""
    inside: list[bool] = []
    for e, element in enumerate(elements):
        parent = element.parent
        inside.append(e in main or (parent >= 0 and inside[parent]))
    return inside


def _site_rule(block: Block, head: bool) -> bool:
    """Whether the coalition's own rules read this block: a short line one of its chrome
    rules names (``Skip to content`` above the text; ``© 2024 …``, ``Tags: …`` after it), or
    a source line. Such a block is left to them, so it is removed with their rule or read as
    the attribution."""
    content = block.content
    if len(content) > R.LOCAL_CHROME_MAX:
        return _source_line(block.text)
    return _short_site_rule(content, block.text, head)


@functools.lru_cache(maxsize=4096)
def _short_site_rule(content: str, text: str, head: bool) -> bool:
    # Cached (short lines only, so the cache stays small): the stage asks it of a block up
    # to four times, and pages repeat their menus' and footers' lines.
    if head:
        return R.header_chrome.first_rule(content) is not None
    if (
        R.footer_sections.first_rule(content) is not None
        or R.inline_chrome.first_rule(content) is not None
    ):
        return True
    return _source_line(text)


def _source_line(text: str) -> bool:
    tail = max(0, len(text) - R.SOURCE_TAIL)
    if ":" not in text[tail:]:  # every source line has its marker's colon
        return False
    return any(pattern.search(text, tail) is not None for pattern in SOURCE_ALONE)


def _prune(
    blocks: Sequence[Block],
    html: HtmlPage,
    main: set[int],
    rules: Sequence[str | None],
    prose: Sequence[bool],
) -> Selection:
    verdicts = _verdicts(blocks, html, main, rules, prose)
    dated = _title_date_line(blocks, verdicts, prose)
    _closing_calls(blocks, verdicts)
    _lone_headings(blocks, verdicts, prose)
    date_line = None
    if dated is not None:
        at, own = dated
        if verdicts[at] is None:
            date_line = (blocks[at], own)
        else:  # another pass removed it after all: then by its element's rule, as before
            verdicts[at] = own
    kept: list[Block] = []
    removed: list[tuple[Block, str]] = []
    for block, verdict in zip(blocks, verdicts, strict=True):
        if verdict is None:
            kept.append(block)
        else:
            removed.append((block, verdict))
    return Selection(kept, removed, date_line)


def _verdicts(
    blocks: Sequence[Block],
    html: HtmlPage,
    main: set[int],
    rules: Sequence[str | None],
    prose: Sequence[bool],
) -> list[str | None]:
    """Each block's removal rule, or ``None`` for a block the ordinary reading gets."""
    owners, links = html.owners, html.links
    inside = _inside_main(html.elements, main)
    verdicts: list[str | None] = []
    title_seen = inside_seen = kept_any = False
    last_prose = -1
    for i, block in enumerate(blocks):
        owner = owners[i]
        rule: str | None
        if not inside[owner]:
            if not title_seen and not inside_seen and block.tag in M.TITLE_TAGS:
                title_seen = True
                rule = None
            elif (
                title_seen
                and not inside_seen
                and block.tag not in M.BLOCK_TAG_RULES
                and (prose[i] or date_line(block) is not None)
            ):
                rule = None  # between the title and the text: a standfirst, a date line
            else:  # named by its boilerplate element where it lies in one
                rule = rules[owner] or OUTSIDE
        else:
            inside_seen = True
            rule = rules[owner] or M.BLOCK_TAG_RULES.get(block.tag or "")
            if rule is None and links[i] > M.LINK_DENSE_SHARE * len(block.content):
                rule = LINK_DENSE
            elif (
                rule is None
                and len(block.content) <= M.SECTION_HEADING_MAX_CHARS
                and M.SECTION_HEADING.search(block.content) is not None
            ):
                rule = SECTION
            elif (
                rule is None
                and len(block.content) <= M.CAPTION_LINE_MAX_CHARS
                and M.CAPTION_LINE.search(block.content) is not None
            ):
                rule = CAPTION
            elif (
                rule is None
                and len(block.content) <= M.CAPTION_LINE_MAX_CHARS
                and M.AD_LABEL.search(block.content) is not None
            ):
                rule = PROMO
        if rule is not None and _site_rule(block, not kept_any):
            rule = None
        if rule is None:
            kept_any = True
            if prose[i]:
                last_prose = i
        verdicts.append(rule)
    # What follows the last paragraph of prose (a heading of the next section, a credit,
    # a label) is the container's own furniture; the coalition's rules still read theirs.
    if last_prose >= 0:
        for i in range(last_prose + 1, len(blocks)):
            if verdicts[i] is None and not _site_rule(blocks[i], False):
                verdicts[i] = AFTER_TEXT
    return verdicts


def _title_date_line(
    blocks: Sequence[Block], verdicts: list[str | None], prose: Sequence[bool]
) -> tuple[int, str] | None:
    """The date line right under the kept title that its meta element's rule removed
    (``M.DATE_LINE_RULES``): kept after all, and returned with that rule. Only above the
    first kept paragraph of prose, and only right under the title (removed blocks between
    them, such as a byline, aside): a date further down is a neighbour's or an event's."""
    under_title = False
    for i, verdict in enumerate(verdicts):
        if verdict is None:
            under_title = blocks[i].tag in M.TITLE_TAGS
            if prose[i] and not under_title:  # a title may read as prose; a paragraph ends it
                return None
        elif under_title and verdict in M.DATE_LINE_RULES and posted_date(blocks[i]) is not None:
            verdicts[i] = None
            return i, verdict
    return None


def _closing_calls(blocks: Sequence[Block], verdicts: list[str | None]) -> None:
    """The last kept paragraphs when they address the reader rather than tell the story:
    subscribe, follow us, download the app, copyright (``CALL_TO_ACTION``)."""
    seen = 0
    for i in range(len(blocks) - 1, -1, -1):
        if verdicts[i] is not None:
            continue
        content = blocks[i].content
        if _site_rule(blocks[i], False):
            continue
        if len(content) > M.CALL_MAX_CHARS or M.CALL_TO_ACTION.search(content) is None:
            seen += 1
            if seen >= M.CALL_LAST_BLOCKS:
                return
            continue
        verdicts[i] = CALL


def _lone_headings(
    blocks: Sequence[Block], verdicts: list[str | None], prose: Sequence[bool]
) -> None:
    """A short line kept before blocks that were all removed, up to the next line that is
    no prose (or the end), headed what was removed (``Read more``, ``Related topics``)."""
    following: str | None = None  # the next block's verdict, walking backwards
    next_kept_prose = False
    for i in range(len(blocks) - 1, -1, -1):
        verdict = verdicts[i]
        if verdict is None:
            if (
                following is not None
                and following != AFTER_TEXT
                and not next_kept_prose
                and not prose[i]
                and len(blocks[i].content) < M.PROSE_MIN_CHARS
                and not _site_rule(blocks[i], False)
            ):
                verdicts[i] = LONE_HEADING
                following = LONE_HEADING
                continue
            next_kept_prose = prose[i]
        following = verdict
