"""HTML → blocks: the one module that imports selectolax.

Contract with the pipeline (``_api.py``): ``read_html`` returns the page's content blocks in
reading order (the order a browser's text rendering prints them, so the text pipeline reads
them exactly as it reads a text rendering), the elements it removed by selector rules, and
metadata candidates, each with its evidence. It never raises for any ``str``.

How blocks are cut (one depth-first pass over ``<body>``):

- every block-level element (``p``, ``div``, ``h1``–``h6``, ``li``, ``td``, ``blockquote``,
  ``pre``, ``figcaption``, ``dt``/``dd``, …) ends the current line before and after itself;
  inline elements (``span``, ``a``, ``strong``, …) flow into the line around them, so one
  block is one run of text between two block boundaries, owned by the innermost block
  element (its ``tag`` and ``locator``);
- ``<br>`` ends a line inside its block; white space is folded by ``_blocks.normalize``;
- ``li`` prints a ``• `` bullet (``N. `` inside ``ol``), as the text renderings do;
- elements whose content is never shown (``script``, ``style``, ``template``, ``svg``, …) and
  site chrome named by ``CHROME_SELECTORS`` are skipped whole and listed in ``removed`` with
  their rule and locator.

Only chrome that is surely chrome *and* carries no signal the text rules need is removed here:
the JNews header (top-bar capture date, site name, search widget) and footer stay, because the
``jnews-full`` layout signature and the truncation check read them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

import attrs
from selectolax.lexbor import LexborHTMLParser, LexborNode

from socpress._blocks import BULLETS, Block, normalize
from socpress._model import Damage, Removal
from socpress._read.guards import MAX_NESTING
from socpress._read.html_meta import MetaValue, is_json_ld, read_meta
from socpress._read.locators import Frame, frame_path, segment_of
from socpress._site.selectors import (
    ALT_TEXT_SELECTORS,
    BLOCK_TAGS,
    CHROME_SELECTORS,
    INVISIBLE,
    JNEWS_MARK,
    JNEWS_ROWS,
    WAYBACK_ROWS,
)
from socpress._site.urls import WAYBACK_TOOLBAR_COMMENT, is_wayback

_INVISIBLE_TEXT_CAP = 200
_BULLET_CHARS = frozenset(BULLETS)


class Element(NamedTuple):
    """An element that holds a block, or holds one that does: what the main-content stage
    weighs a container by."""

    tag: str
    marks: str
    """Its ``id``, ``class``, ``itemprop`` and ``role`` values, lower-cased, space-joined."""
    parent: int
    """Index of the enclosing element in ``HtmlPage.elements``; -1 for ``<body>``."""


@attrs.frozen(kw_only=True)
class HtmlPage:
    blocks: tuple[Block, ...]
    """Content blocks in reading order; each has ``locator`` and ``tag``; start/end are 0."""
    removed: tuple[Removal, ...]
    """Elements removed by selector rules (script, style, Wayback toolbar, nav, share bars…),
    each with a locator."""
    meta: tuple[MetaValue, ...]
    """Metadata candidates, best first within a field."""
    notes: tuple[str, ...] = ()
    """Remarks on the markup that explain a missing candidate (``json-ld: malformed …``)."""
    too_deep: str | None = None
    """``<tag> at <locator>`` of the first element nested deeper than ``MAX_NESTING``: the
    walk stopped there, and the caller refuses the page."""
    damage: tuple[Damage, ...] = ()
    """Damage in values read from markup (lone surrogates escaped in JSON-LD strings)."""
    elements: tuple[Element, ...] = ()
    """The elements that hold blocks, each after its parent."""
    owners: tuple[int, ...] = ()
    """For each block, the index in ``elements`` of the element that owns it."""
    links: tuple[int, ...] = ()
    """For each block, how many of its characters stand inside ``<a>`` (estimated on the
    folded text, from the share of the raw text that was link text)."""


# --- the walk ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _facts(
    tag: str, ident: str | None, classes: str | None, itemprop: str | None, role: str | None
) -> tuple[str, str]:
    """An element's locator step without ``:nth-of-type`` (``segment_of``) and its
    ``Element.marks``. Cached: a page repeats the same tag and attributes over and over
    (menus, lists, teasers), and both are pure functions of them."""
    base = segment_of({"id": ident, "class": classes}, tag, 1)
    values = [v for v in (ident, classes, itemprop, role) if v]
    return base, " ".join(values).lower() if values else ""


class _Walk:
    """Cuts ``<body>`` into blocks in one depth-first pass (no recursion: pages nest deeply)."""

    def __init__(self, chrome: set[int], alt_ids: set[int]) -> None:
        self.chrome = chrome
        self.alt_ids = alt_ids
        self.blocks: list[Block] = []
        self.removed: list[Removal] = []
        self.parts: list[str] = []
        self.owners: list[Frame] = []
        self.bullet: str | None = None
        self.toolbar = False
        self.json_ld: list[tuple[LexborNode, int]] = []
        """JSON-LD scripts in the body, with the index of their removal."""
        self.too_deep: str | None = None
        """The first element met deeper than ``MAX_NESTING`` (the walk stops there)."""
        self.elements: list[Element] = []
        self.block_owners: list[int] = []
        self.links: list[int] = []
        self.link_raw = 0
        """Raw characters of the line now read that stand inside ``<a>``."""
        self.pad = 0
        """Raw characters of white space before the line's first piece of text: not kept in
        ``parts`` (most such pieces are the indentation between two block elements, and a
        line of nothing else would cost a flush), only counted, for the line's link share."""

    def element(self, frame: Frame) -> int:
        """The index of ``frame``'s element in ``elements``, registering it (and the
        ancestors not yet registered, outermost first) on first use."""
        if frame.element >= 0:
            return frame.element
        chain: list[Frame] = []
        cursor: Frame | None = frame
        while cursor is not None and cursor.element < 0:
            chain.append(cursor)
            cursor = cursor.parent
        parent = -1 if cursor is None else cursor.element
        elements = self.elements
        for step in reversed(chain):
            get = step.node.attributes.get
            base, marks = _facts(step.tag, get("id"), get("class"), get("itemprop"), get("role"))
            if step.seg is None:  # the locator's step, from the same attributes
                step.seg = base if step.nth <= 1 else f"{base}:nth-of-type({step.nth})"
            step.element = len(elements)
            elements.append(Element(step.tag, marks, parent))
            parent = step.element
        return parent

    def owned(self, element: int, links: int) -> None:
        """Record the owner and link characters of the block just appended."""
        self.block_owners.append(element)
        self.links.append(links)

    def flush(self) -> None:
        """End the line now read: make its block, if it holds any text."""
        parts = self.parts
        if not parts:
            self.pad = self.link_raw = 0
            return
        raw = parts[0] if len(parts) == 1 else "".join(parts)
        parts.clear()
        link_raw, self.link_raw = self.link_raw, 0
        pad, self.pad = self.pad, 0
        text = normalize(raw)  # ``raw`` starts with a piece that is not white space
        if not text:
            return
        owner = self.owners[-1]
        links = min(len(text), link_raw * len(text) // (pad + len(raw))) if link_raw else 0
        index = len(self.blocks)
        # First the element: registering it reads the attributes the locator needs.
        element = owner.element if owner.element >= 0 else self.element(owner)
        locator = owner.path or frame_path(owner)
        bullet = self.bullet
        if bullet is not None:
            self.bullet = None
            content = text if bullet == "• " else bullet + text
            text = bullet + text
        elif text[0] in _BULLET_CHARS:
            # Let Block strip the page's own bullet from ``content``.
            self.blocks.append(
                Block(index=index, text=text, start=0, end=0, locator=locator, tag=owner.tag)
            )
            self.owned(element, links)
            return
        else:
            content = text
        self.blocks.append(
            Block(
                index=index,
                text=text,
                start=0,
                end=0,
                locator=locator,
                tag=owner.tag,
                content=content,
            )
        )
        self.owned(element, links)

    def remove(self, rule: str, frame: Frame, text: str, *, cap: bool = False) -> bool:
        """Record a removed element; ``cap`` keeps only the start of content never shown."""
        if cap:
            text = text.lstrip()[: 4 * _INVISIBLE_TEXT_CAP]
        if not text or text.isspace():
            return False
        folded = normalize(text)
        if not folded:
            return False
        if cap and len(folded) > _INVISIBLE_TEXT_CAP:
            folded = folded[:_INVISIBLE_TEXT_CAP] + "…"
        self.removed.append(Removal(rule=rule, text=folded, locator=frame_path(frame)))
        return True

    # The walk's loop visits every node of the tree: its branches stay inline (a call per
    # node kind would cost on every page), so the complexity check is waived here, reviewed.
    def run(self, body: LexborNode) -> None:  # noqa: C901
        root = Frame(body, "body", 1, None)
        root.path, root.steps = "body", 1
        self.owners.append(root)
        stack: list[tuple[Iterator[LexborNode], Frame, bool, bool]] = [
            (body.iter(include_text=True), root, True, False)
        ]
        chrome = self.chrome
        alt_ids = self.alt_ids
        parts = self.parts
        block_tags = BLOCK_TAGS
        invisible = INVISIBLE
        toolbar = False  # inside the Wayback toolbar (``self.toolbar``, read after comments)
        open_links = 0  # ``<a>`` elements open around the text now read
        while stack and self.too_deep is None:
            children, frame, is_block, is_li = stack[-1]
            for child in children:
                tag = child.tag
                if tag == "-text":
                    if toolbar:
                        self.remove("wayback-toolbar", frame, child.text_content or "")
                    else:
                        piece = child.text_content or ""
                        if parts or (piece and not piece.isspace()):
                            parts.append(piece)
                        else:
                            self.pad += len(piece)
                        if open_links:
                            self.link_raw += len(piece)
                    continue
                if tag is None or tag[0] == "-":
                    if tag == "-comment":
                        self._comment(child)
                        toolbar = self.toolbar
                    continue
                counts = frame.counts
                if counts is None:
                    counts = frame.counts = {}
                nth = counts.get(tag, 0) + 1
                counts[tag] = nth
                if toolbar:
                    self.remove("wayback-toolbar", Frame(child, tag, nth, frame), child.text())
                    continue
                rule = invisible.get(tag)
                if rule is not None:
                    text = child.text()
                    if text and not text.isspace():
                        json_ld = tag == "script" and is_json_ld(child)
                        at = len(self.removed)
                        if (
                            self.remove(
                                "json-ld" if json_ld else rule,
                                Frame(child, tag, nth, frame),
                                text,
                                cap=True,
                            )
                            and json_ld
                        ):
                            self.json_ld.append((child, at))
                    continue
                if chrome and child.mem_id in chrome:
                    text = child.text()
                    if text and not text.isspace():
                        if parts:
                            self.flush()
                        elif self.pad:  # a line of white space only
                            self.pad = self.link_raw = 0
                        rule = _chrome_rule(tag, child.attributes)
                        self.remove(rule, Frame(child, tag, nth, frame), text)
                    continue
                if tag == "br":
                    if parts:
                        self.flush()
                    elif self.pad:  # a line of white space only
                        self.pad = self.link_raw = 0
                    continue
                if tag == "img":
                    if alt_ids and child.mem_id in alt_ids:
                        self._alt(child, Frame(child, tag, nth, frame))
                    continue
                if len(stack) > MAX_NESTING:  # the child would lie more than that below body
                    self.too_deep = f"<{tag}> at {frame_path(Frame(child, tag, nth, frame))}"
                    break
                child_block = tag in block_tags
                child_frame = Frame(child, tag, nth, frame)
                child_li = False
                if tag == "a":
                    open_links += 1
                if child_block:
                    if parts:
                        self.flush()
                    elif self.pad:  # a line of white space only
                        self.pad = self.link_raw = 0
                    self.owners.append(child_frame)
                    if tag == "li":
                        child_li = True
                        self.bullet = f"{nth}. " if frame.tag == "ol" else "• "
                stack.append((child.iter(include_text=True), child_frame, child_block, child_li))
                break
            else:
                stack.pop()
                if frame.tag == "a":
                    open_links -= 1
                if is_block:
                    if parts:
                        self.flush()
                    elif self.pad:  # a line of white space only
                        self.pad = self.link_raw = 0
                    self.owners.pop()
                    if is_li:
                        self.bullet = None
        self.flush()

    def _comment(self, node: LexborNode) -> None:
        content = node.comment_content or ""
        if WAYBACK_TOOLBAR_COMMENT in content:
            self.flush()
            self.toolbar = content.lstrip().upper().startswith("BEGIN")

    def _alt(self, node: LexborNode, frame: Frame) -> None:
        alt = node.attributes.get("alt") or ""
        text = normalize(alt)
        if not text:
            return
        self.flush()
        self.blocks.append(
            Block(
                index=len(self.blocks),
                text=text,
                start=0,
                end=0,
                locator=frame_path(frame),
                tag="img",
            )
        )
        assert frame.parent is not None  # an image lies inside body
        self.owned(self.element(frame.parent), 0)


# --- the entry point --------------------------------------------------------------------------

_COMPOUND = re.compile(
    r"""\A(?P<tag>[a-z][a-z0-9]*)?(?:\#(?P<id>[\w-]+))?(?:\.(?P<cls>[\w-]+))?"""
    r"""(?:\[(?P<attr>[\w-]+)(?:="(?P<value>[^"]*)")?\])?(?::not\([^()]*\))?\Z"""
)


@attrs.frozen
class _Compound:
    """The last compound of a selector: what the element itself must be."""

    rule: str
    tag: str | None
    ident: str | None
    cls: str | None
    attr: str | None
    value: str | None

    def matches(self, tag: str, attributes: dict[str, str | None]) -> bool:
        if self.tag is not None and tag != self.tag:
            return False
        if self.ident is not None and attributes.get("id") != self.ident:
            return False
        if self.cls is not None and self.cls not in (attributes.get("class") or "").split():
            return False
        if self.attr is not None:
            if self.attr not in attributes:
                return False
            if self.value is not None and (attributes[self.attr] or "") != self.value:
                return False
        return True


def _compound(selector: str, rule: str) -> _Compound:
    last = re.split(r"\s*>\s*|\s+(?![^(]*\))", selector.strip())[-1]
    match = _COMPOUND.match(last)
    if match is None:  # pragma: no cover - the table is checked by the tests
        raise ValueError(f"unsupported chrome selector {selector!r}")
    return _Compound(rule, match["tag"], match["id"], match["cls"], match["attr"], match["value"])


@functools.cache
def _chrome_query(wayback: bool, jnews: bool) -> str:
    """One query finds every chrome element (one pass of the selector engine, not one per
    row): the rows of the page's kind (the Wayback toolbar's only on a capture, the JNews
    theme's only on its pages), each of which costs the engine on every element."""
    return ", ".join(
        selector
        for selector, _ in CHROME_SELECTORS
        if (wayback or selector not in WAYBACK_ROWS) and (jnews or selector not in JNEWS_ROWS)
    )


_CHROME_COMPOUNDS = tuple(_compound(selector, rule) for selector, rule in CHROME_SELECTORS)
_ALT_QUERY = ", ".join(ALT_TEXT_SELECTORS)


_CHROME_ATTRIBUTES = tuple(sorted({c.attr for c in _CHROME_COMPOUNDS if c.attr is not None}))
"""The attributes other than ``id`` and ``class`` some row's compound looks at."""


def _chrome_rule(tag: str, attributes: dict[str, str | None]) -> str:
    """The rule of an element some row matched: the first row whose own compound (tag, id,
    class, attribute) fits it. Asked only of the outermost chrome elements the walk meets."""
    # Only these attributes decide the match: the rule is cached on them (sites repeat
    # their chrome's markup; trying every row costs a call per row).
    looked_at = {a: attributes[a] for a in _CHROME_ATTRIBUTES if a in attributes}
    return _chrome_rule_of(
        tag, attributes.get("id"), attributes.get("class"), tuple(looked_at.items())
    )


@functools.lru_cache(maxsize=1024)
def _chrome_rule_of(
    tag: str, ident: str | None, classes: str | None, others: tuple[tuple[str, str | None], ...]
) -> str:
    attributes: dict[str, str | None] = dict(others)
    if ident is not None:
        attributes["id"] = ident
    if classes is not None:
        attributes["class"] = classes
    return next((c.rule for c in _CHROME_COMPOUNDS if c.matches(tag, attributes)), "chrome")


MAX_OPTIONS = 1000
"""Options of one ``<select>`` parsed at most. lexbor runs the select's "selectedness"
steps over every option as each is inserted: n options cost O(n²). Options are never
shown, and the reader removes a ``<select>`` whole (its removal text stops at 200
characters), so those past the first ``MAX_OPTIONS`` are cut from the markup the parser
sees, with a note."""
_SELECT = re.compile(r"<select[\s>]", re.IGNORECASE)
_SELECT_END = re.compile(r"</select[\s>]", re.IGNORECASE)
_OPTION = re.compile(r"<option[\s/>]", re.IGNORECASE)


def _bounded_selects(text: str, notes: list[str]) -> str:
    """``text`` with the options of each ``<select>`` past the first ``MAX_OPTIONS`` cut."""
    if len(_OPTION.findall(text)) <= MAX_OPTIONS:
        return text
    pieces: list[str] = []
    kept = 0
    for select in _SELECT.finditer(text):
        if select.start() < kept:
            continue
        end_match = _SELECT_END.search(text, select.end())
        end = len(text) if end_match is None else end_match.start()
        cut = None
        for count, option in enumerate(_OPTION.finditer(text, select.end(), end), 1):
            if count > MAX_OPTIONS:
                cut = option.start()
                break
        if cut is None:
            continue
        dropped = len(_OPTION.findall(text, cut, end))
        notes.append(
            f"select at character {select.start()}: {dropped} options past the first "
            f"{MAX_OPTIONS} were not parsed (options are never shown)"
        )
        pieces += [text[kept:cut]]
        kept = end
    return "".join([*pieces, text[kept:]]) if pieces else text


PAGE_FORM_SHARE = 0.5
"""A ``<form>`` that holds at least this share of the body's text wraps the page (ASP.NET
WebForms put the whole page in one): not chrome; the chrome inside it still is."""
_FORM_TEXT_MIN = 500
"""A form with less text than this is never a page wrapper (no need to weigh the body)."""


def _chrome_nodes(tree: LexborHTMLParser, body: LexborNode | None, query: str) -> list[LexborNode]:
    """The elements some chrome selector of ``query`` matches, less the forms that wrap the
    page."""
    nodes = tree.css(query)
    forms = [n for n in nodes if n.tag == "form" and len(n.text()) >= _FORM_TEXT_MIN]
    if not forms or body is None:
        return nodes
    page = len(body.text())
    wrappers = {n.mem_id for n in forms if len(n.text()) >= PAGE_FORM_SHARE * page}
    return [n for n in nodes if n.mem_id not in wrappers]


def read_html(text: str) -> HtmlPage:
    """Parse ``text`` once and return its blocks, removed chrome and metadata candidates."""
    cut_notes: list[str] = []
    tree = LexborHTMLParser(_bounded_selects(text, cut_notes))
    wayback = is_wayback(text)
    body = tree.body
    # One selector pass finds every chrome element; the alt-text images are JNews's logo,
    # looked for only on pages of that theme (a second pass costs as much as the first).
    jnews = JNEWS_MARK in text
    chrome = {node.mem_id for node in _chrome_nodes(tree, body, _chrome_query(wayback, jnews))}
    alt_ids = {node.mem_id for node in tree.css(_ALT_QUERY)} if jnews else set()
    walk = _Walk(chrome, alt_ids)
    if body is not None:
        walk.run(body)
    removed = walk.removed
    scripts = [(node, removed[at].locator or "") for node, at in walk.json_ld]
    meta, bad_json = read_meta(tree, text, wayback, scripts)
    for node, at in walk.json_ld:
        if node.mem_id in bad_json:
            removed[at] = attrs.evolve(removed[at], rule="json-ld-malformed")
    return HtmlPage(
        blocks=tuple(walk.blocks),
        removed=tuple(removed),
        meta=meta.result(),
        notes=(*meta.notes, *cut_notes),
        too_deep=walk.too_deep,
        damage=tuple(meta.damage),
        elements=tuple(walk.elements),
        owners=tuple(walk.block_owners),
        links=tuple(walk.links),
    )
