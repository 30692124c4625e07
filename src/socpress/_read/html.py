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

import datetime
import functools
import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs
from selectolax.lexbor import LexborHTMLParser, LexborNode

from socpress._blocks import BULLETS, Block, normalize
from socpress._model import Damage, Evidence, Removal
from socpress._read.decoding import replace_lone_surrogates
from socpress._read.guards import MAX_NESTING
from socpress._site.dates import parse_iso_datetime
from socpress._site.urls import unwrap_wayback

# --- site knowledge, as data ---------------------------------------------------------------

CHROME_SELECTORS: tuple[tuple[str, str], ...] = (
    # The Wayback Machine's own toolbar and widgets.
    ("#wm-ipp-base", "wayback-toolbar"),
    ("#wm-ipp", "wayback-toolbar"),
    ("#wm-ipp-print", "wayback-toolbar"),
    ("#donato", "wayback-toolbar"),
    (".wb-autocomplete-suggestions", "wayback-toolbar"),
    # Markup that says it is not for readers.
    ("[hidden]", "hidden"),
    ('[aria-hidden="true"]', "hidden"),
    # The coalition's WordPress/JNews theme.
    (".jeg_share_top_container", "share-bar"),
    (".jeg_share_bottom_container", "share-bar"),
    (".jeg_share_button", "share-bar"),
    (".jnews_related_post_container", "related-posts"),
    (".jeg_prevnext_post", "adjacent-posts"),
    (".jeg_breadcrumbs", "breadcrumb"),
    ("ul.jeg_menu", "menu"),
    ("ul.jeg_mobile_menu", "menu"),
    (".jnews_comment_container", "comment-form"),
    # WordPress and generic page furniture.
    (".sharedaddy", "share-bar"),
    (".comments-area", "comment-form"),
    ("#comments", "comment-form"),
    ("#respond", "comment-form"),
    ("nav", "menu"),
    ('[role="navigation"]', "menu"),
    ("ul.menu", "menu"),
    ("body > header", "site-header"),
    ("header.site-header", "site-header"),
    ('[role="banner"]', "site-header"),
    ("body > footer", "footer"),
    ('[role="contentinfo"]', "footer"),
    ("footer:not(blockquote footer)", "footer"),
    ("form", "form"),
)
"""CSS selector → removal rule, for chrome removed before the text pipeline sees it. The
outermost matching element wins; for one element, the first row whose last compound
(``tag#id.class[attr="value"]``) fits it names the rule."""

ALT_TEXT_SELECTORS: tuple[str, ...] = (".jeg_logo img[alt]",)
"""Images whose ``alt`` text a text rendering prints and a layout signature relies on (the
JNews logo carries the site name)."""

_INVISIBLE: dict[str, str] = {
    "script": "script",
    "style": "style",
    "noscript": "noscript",
    "template": "template",
    "svg": "svg",
    "math": "svg",
    "iframe": "iframe",
    "object": "embed",
    "embed": "embed",
    "canvas": "embed",
    "video": "embed",
    "audio": "embed",
    "select": "form",
    "textarea": "form",
    "title": "html-title",
}
"""Elements whose content is never printed as text, and the rule that removes them."""

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)

_ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "BlogPosting", "ReportageNews", "AnalysisNewsArticle", "Report"}
)

_SITE_SUFFIXES = (
    re.compile(
        r"\s+[-–—|:·«»]+\s+(?:The\s+)?(?:Syrian\s+(?:National|Opposition)\s+Coalition|"
        r"National\s+Coalition\s+of\s+Syrian|الائتلاف\s+الوطني).*$",
        re.IGNORECASE,
    ),
    re.compile(r"\s+[-–—|]\s+(?:The\s+)?Syrian\s+Observer\s*$", re.IGNORECASE),
    re.compile(r"\s+[-–—|]\s+Syria\s*Kurd\S*\s*$", re.IGNORECASE),
)
"""Site names that pages append to ``<title>``/``og:title``; removed from the value."""

_TITLE_SEPARATORS = (" – ", " — ", " | ", " - ", " :: ", " « ", " » ", " · ", ": ")

_WAYBACK_TOOLBAR = "BEGIN WAYBACK TOOLBAR INSERT"
_WAYBACK_SCRIPTS = ("__wm.", "web-static.archive.org/_static", "web.archive.org/_static")
_WAYBACK_LINK = re.compile(r"/web/(\d{14})[a-z_]*/(https?:/{1,2}[^\"'\s<>]+)", re.IGNORECASE)
_WOMBAT = re.compile(r"__wm\.wombat\(\s*[\"']([^\"']{1,2048})[\"']\s*,\s*[\"'](\d{14})[\"']")
_IDENT = re.compile(r"\A-?[A-Za-z_][\w-]*\Z")
_INVISIBLE_TEXT_CAP = 200
_BULLET_CHARS = frozenset(BULLETS)


@attrs.frozen(kw_only=True)
class MetaValue:
    """A value read from markup outside the visible text (meta tags, JSON-LD, links)."""

    field: str
    """``title``, ``published``, ``category``, ``language``, ``url`` or ``captured``."""
    value: str | datetime.date
    evidence: Evidence


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
    wayback: bool = False
    """Whether the page is a Wayback Machine capture (toolbar, rewritten links)."""
    too_deep: str | None = None
    """``<tag> at <locator>`` of the first element nested deeper than ``MAX_NESTING``: the
    walk stopped there, and the caller refuses the page."""
    damage: tuple[Damage, ...] = ()
    """Damage in values read from markup (lone surrogates escaped in JSON-LD strings)."""


# --- locators --------------------------------------------------------------------------------


_MAX_STEPS = 32
"""Locators name at most this many steps; a deeper element's locator starts ``…>``."""


class _Frame:
    """One open element of the walk: enough to name it by a CSS path, built only on demand."""

    __slots__ = ("counts", "node", "nth", "parent", "path", "seg", "steps", "tag")

    def __init__(self, node: LexborNode, tag: str, nth: int, parent: _Frame | None) -> None:
        self.node = node
        self.tag = tag
        self.nth = nth
        self.parent = parent
        self.seg: str | None = None
        """This element's step of a path (``div.content:nth-of-type(2)``)."""
        self.path: str | None = None
        self.steps = 0
        """How many steps ``path`` names (at most ``_MAX_STEPS``)."""
        self.counts: dict[str, int] | None = None
        """Element children seen so far, by tag, for ``:nth-of-type``; made on the first."""


def _segment(node: LexborNode, tag: str, nth: int) -> str:
    attributes = node.attributes
    base = _base_segment(tag, attributes.get("id"), attributes.get("class"))
    return base if nth <= 1 else f"{base}:nth-of-type({nth})"


@functools.lru_cache(maxsize=4096)
def _base_segment(tag: str, ident: str | None, classes: str | None) -> str:
    # Cached: a page repeats the same tag, id and class over and over (menus, lists).
    if ident and _IDENT.match(ident):
        return f"{tag}#{ident}"
    if classes:
        first = classes.split(None, 1)[0] if classes.strip() else ""
        if first and _IDENT.match(first):
            return f"{tag}.{first}"
    return tag


def _join(steps: list[str], deeper: bool) -> str:
    """Steps (innermost first) as a path; ``…>`` marks steps left out above."""
    path = ">".join(reversed(steps))
    return f"…>{path}" if deeper else path


def _frame_path(frame: _Frame) -> str:
    # A frame's path is its parent's plus one step, kept on the frame: a block's locator
    # costs one step, not one per ancestor. At most _MAX_STEPS steps are kept, so a frame
    # holds a bounded string however deep it lies. The walk's root (body) has its path.
    if frame.path is not None:
        return frame.path
    chain: list[_Frame] = []
    cursor = frame
    while cursor.path is None:
        chain.append(cursor)
        if len(chain) > _MAX_STEPS:
            # More unnamed ancestors than a path holds (hundreds of nested elements): build
            # this frame's path from its nearest steps only; giving every ancestor its path
            # would cost O(depth) steps for the chain.
            steps = [_step(f) for f in chain[:_MAX_STEPS]]
            frame.path, frame.steps = _join(steps, True), _MAX_STEPS
            return frame.path
        assert cursor.parent is not None  # the root's path is set
        cursor = cursor.parent
    path, count = cursor.path, cursor.steps
    for step in reversed(chain):
        path = f"{path}>{_step(step)}"
        count += 1
        if count > _MAX_STEPS:  # leave out the outermost step kept; steps hold no ">"
            count = _MAX_STEPS
            path = "…>" + path.removeprefix("…>").split(">", 1)[1]
        step.path, step.steps = path, count
    return path


def _step(frame: _Frame) -> str:
    if frame.seg is None:
        frame.seg = _segment(frame.node, frame.tag, frame.nth)
    return frame.seg


def css_path(node: LexborNode) -> str:
    """The locator ``read_html`` gives an element: ``body>div.jeg_viewport>p:nth-of-type(2)``.

    Each step is the tag, then ``#id`` or the first class (when they are plain identifiers),
    then ``:nth-of-type(n)`` when the element is not the first of its tag among its siblings.
    The path starts at ``body`` or ``head`` (``html`` for the root itself); past
    ``_MAX_STEPS`` steps the outer ones are left out and the path starts ``…>``.
    """
    steps: list[str] = []
    cursor: LexborNode | None = node
    while cursor is not None and len(steps) < _MAX_STEPS:
        tag = cursor.tag or ""
        if tag in ("body", "head", "html") or tag.startswith("-"):
            if tag in ("body", "head", "html"):
                steps.append(tag)
            cursor = None
            break
        nth = 1
        sibling = cursor.prev
        while sibling is not None:
            if sibling.tag == tag:
                nth += 1
            sibling = sibling.prev
        steps.append(_segment(cursor, tag, nth))
        cursor = cursor.parent
    deeper = cursor is not None and (cursor.tag or "") not in ("", "html", "-document")
    return _join(steps, deeper)


# --- the walk ----------------------------------------------------------------------------------


class _Walk:
    """Cuts ``<body>`` into blocks in one depth-first pass (no recursion: pages nest deeply)."""

    def __init__(self, chrome: set[int], alt_ids: set[int]) -> None:
        self.chrome = chrome
        self.alt_ids = alt_ids
        self.blocks: list[Block] = []
        self.removed: list[Removal] = []
        self.parts: list[str] = []
        self.owners: list[_Frame] = []
        self.bullet: str | None = None
        self.toolbar = False
        self.json_ld: list[tuple[LexborNode, int]] = []
        """JSON-LD scripts in the body, with the index of their removal."""
        self.too_deep: str | None = None
        """The first element met deeper than ``MAX_NESTING`` (the walk stops there)."""

    def flush(self) -> None:
        parts = self.parts
        if not parts:
            return
        raw = "".join(parts)
        parts.clear()
        if raw.isspace():
            return
        text = normalize(raw)
        if not text:
            return
        owner = self.owners[-1]
        index = len(self.blocks)
        locator = _frame_path(owner)
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

    def remove(self, rule: str, frame: _Frame, text: str, *, cap: bool = False) -> bool:
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
        self.removed.append(Removal(rule=rule, text=folded, locator=_frame_path(frame)))
        return True

    def run(self, body: LexborNode) -> None:
        root = _Frame(body, "body", 1, None)
        root.path, root.steps = "body", 1
        self.owners.append(root)
        stack: list[tuple[Iterator[LexborNode], _Frame, bool, bool]] = [
            (body.iter(include_text=True), root, True, False)
        ]
        chrome = self.chrome
        alt_ids = self.alt_ids
        parts = self.parts
        block_tags = _BLOCK_TAGS
        invisible = _INVISIBLE
        while stack and self.too_deep is None:
            children, frame, is_block, is_li = stack[-1]
            for child in children:
                tag = child.tag
                if tag == "-text":
                    if self.toolbar:
                        self.remove("wayback-toolbar", frame, child.text_content or "")
                    else:
                        parts.append(child.text_content or "")
                    continue
                if tag is None or tag[0] == "-":
                    if tag == "-comment":
                        self._comment(child)
                    continue
                counts = frame.counts
                if counts is None:
                    counts = frame.counts = {}
                nth = counts.get(tag, 0) + 1
                counts[tag] = nth
                if self.toolbar:
                    self.remove("wayback-toolbar", _Frame(child, tag, nth, frame), child.text())
                    continue
                rule = invisible.get(tag)
                if rule is not None:
                    text = child.text()
                    if text and not text.isspace():
                        json_ld = tag == "script" and _is_json_ld(child)
                        at = len(self.removed)
                        if (
                            self.remove(
                                "json-ld" if json_ld else rule,
                                _Frame(child, tag, nth, frame),
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
                        rule = _chrome_rule(tag, child.attributes)
                        self.remove(rule, _Frame(child, tag, nth, frame), text)
                    continue
                if tag == "br":
                    if parts:
                        self.flush()
                    continue
                if tag == "img":
                    if alt_ids and child.mem_id in alt_ids:
                        self._alt(child, _Frame(child, tag, nth, frame))
                    continue
                if len(stack) > MAX_NESTING:  # the child would lie more than that below body
                    self.too_deep = f"<{tag}> at {_frame_path(_Frame(child, tag, nth, frame))}"
                    break
                child_block = tag in block_tags
                child_frame = _Frame(child, tag, nth, frame)
                child_li = False
                if child_block:
                    if parts:
                        self.flush()
                    self.owners.append(child_frame)
                    if tag == "li":
                        child_li = True
                        self.bullet = f"{nth}. " if frame.tag == "ol" else "• "
                stack.append((child.iter(include_text=True), child_frame, child_block, child_li))
                break
            else:
                stack.pop()
                if is_block:
                    if parts:
                        self.flush()
                    self.owners.pop()
                    if is_li:
                        self.bullet = None
        self.flush()

    def _comment(self, node: LexborNode) -> None:
        content = node.comment_content or ""
        if "WAYBACK TOOLBAR INSERT" in content:
            self.flush()
            self.toolbar = content.lstrip().upper().startswith("BEGIN")

    def _alt(self, node: LexborNode, frame: _Frame) -> None:
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
                locator=_frame_path(frame),
                tag="img",
            )
        )


# --- metadata ----------------------------------------------------------------------------------


def _strip_site_name(title: str, site_name: str | None) -> str:
    text = normalize(title)
    if site_name:
        site = normalize(site_name)
        for sep in _TITLE_SEPARATORS:
            if text.endswith(sep + site) and len(text) > len(sep + site):
                return text[: -len(sep + site)].strip()
            if text.startswith(site + sep) and len(text) > len(site + sep):
                return text[len(site + sep) :].strip()
    for pattern in _SITE_SUFFIXES:
        cut = pattern.sub("", text)
        if cut and cut != text:
            return cut.strip()
    return text


def _timestamp_date(stamp: str) -> datetime.date | None:
    try:
        return datetime.date(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]))
    except ValueError:
        return None


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


def _json_ld_articles(data: Any) -> Iterator[dict[str, Any]]:
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict):
            continue
        if _types(item) & _ARTICLE_TYPES:
            yield item
        graph = item.get("@graph")
        if isinstance(graph, list):
            for inner in graph:
                if isinstance(inner, dict) and _types(inner) & _ARTICLE_TYPES:
                    yield inner


def _first_string(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str) and item.strip():
                return item
    if isinstance(value, dict):
        name = value.get("name") or value.get("alternateName")
        if isinstance(name, str) and name.strip():
            return name
    return None


class _Meta:
    """Collects metadata candidates per field, best first."""

    FIELDS = ("title", "published", "category", "language", "url", "captured")

    def __init__(self) -> None:
        self.by_field: dict[str, list[MetaValue]] = {f: [] for f in self.FIELDS}
        self.notes: list[str] = []
        self.damage: list[Damage] = []

    def add(
        self, field: str, value: str | datetime.date, rule: str, raw: str, loc: str | None
    ) -> None:
        evidence = Evidence(rule=rule, raw=raw, locator=loc)
        self.by_field[field].append(MetaValue(field=field, value=value, evidence=evidence))

    def result(self) -> tuple[MetaValue, ...]:
        return tuple(m for f in self.FIELDS for m in self.by_field[f])


def _is_json_ld(node: LexborNode) -> bool:
    return "ld+json" in (node.attributes.get("type") or "").lower()


def _read_meta(
    tree: LexborHTMLParser, text: str, wayback: bool, scripts: list[tuple[LexborNode, str]]
) -> tuple[_Meta, set[int]]:
    """Metadata candidates from ``<head>``, ``<html lang>`` and JSON-LD (in ``scripts`` from
    the body too, with their locators), and the mem_ids of JSON-LD scripts that failed to
    parse."""
    meta = _Meta()
    bad_json: set[int] = set()
    og: dict[str, tuple[str, LexborNode]] = {}
    title: LexborNode | None = None
    canonical: tuple[str, LexborNode] | None = None
    ld: list[tuple[str, str, str]] = []  # (field, raw, locator)
    head = tree.head
    head_scripts: list[tuple[LexborNode, str]] = []
    seen: Counter[str] = Counter()  # nth-of-type as we go: a locator per script costs O(1)
    for node in head.iter() if head is not None else ():
        tag = node.tag
        if tag is not None and tag[0] != "-":
            seen[tag] += 1
        if tag == "meta":
            attributes = node.attributes
            key = (attributes.get("property") or attributes.get("name") or "").strip().lower()
            content = attributes.get("content")
            if key and content is not None and key not in og:
                og[key] = (content, node)
        elif tag == "title":
            title = title or node
        elif tag == "link":
            attributes = node.attributes
            rel = (attributes.get("rel") or "").lower().split()
            href = attributes.get("href")
            if "canonical" in rel and href and canonical is None:
                canonical = (href, node)
        elif tag == "script" and _is_json_ld(node):
            head_scripts.append((node, "head>" + _segment(node, tag, seen[tag])))
    for script, locator in (*head_scripts, *scripts):
        _read_json_ld(script, locator, meta, ld, bad_json)

    def og_value(key: str) -> tuple[str, str] | None:
        found = og.get(key)
        return None if found is None else (found[0], css_path(found[1]))

    site_name = og["og:site_name"][0] if "og:site_name" in og else None
    found = og_value("og:title")
    if found is not None:
        value = _strip_site_name(found[0], site_name)
        if value:
            meta.add("title", value, "og:title", found[0], found[1])
    for field, raw, loc in ld:
        if field == "title":
            value = normalize(html.unescape(raw))
            if value:
                meta.add("title", value, "json-ld", raw, loc)
    if title is not None:
        raw = title.text()
        value = _strip_site_name(raw, site_name)
        if value:
            meta.add("title", value, "html-title", raw, css_path(title))

    found = og_value("article:published_time")
    if found is not None:
        day = parse_iso_datetime(found[0])
        if day is not None:
            meta.add("published", day, "article:published_time", found[0], found[1])
        else:
            meta.notes.append(f"article:published_time {found[0]!r} is not an ISO 8601 date")
    for field, raw, loc in ld:
        if field == "published":
            day = parse_iso_datetime(raw)
            if day is not None:
                meta.add("published", day, "json-ld", raw, loc)

    found = og_value("article:section")
    if found is not None and normalize(found[0]):
        meta.add("category", normalize(found[0]), "article:section", found[0], found[1])
    for field, raw, loc in ld:
        if field == "category" and normalize(raw):
            meta.add("category", normalize(html.unescape(raw)), "json-ld", raw, loc)

    root = tree.root
    lang = root.attributes.get("lang") if root is not None and root.tag == "html" else None
    if lang is not None and lang.strip():
        meta.add("language", lang.strip(), "html-lang", lang, "html")
    for field, raw, loc in ld:
        if field == "language" and raw.strip():
            meta.add("language", raw.strip(), "json-ld", raw, loc)
    found = og_value("og:locale")
    if found is not None and found[0].strip():
        meta.add("language", found[0].strip(), "og:locale", found[0], found[1])

    canonical_found = None if canonical is None else (canonical[0], css_path(canonical[1]))
    _read_urls(meta, text, wayback, canonical_found, og_value("og:url"))
    return meta, bad_json


def _read_json_ld(
    node: LexborNode, loc: str, meta: _Meta, out: list[tuple[str, str, str]], bad: set[int]
) -> None:
    source = node.text()
    if not source.strip():
        return
    data = _json(source)
    if data is None and "\ufffd" in source:
        # Invalid bytes (provenance.damage names them) outside the JSON strings: a U+FFFD
        # between tokens reads as the white space it stands in for.
        data = _json(source.replace("\ufffd", " "))
        if data is not None:
            meta.notes.append(f"json-ld at {loc} held U+FFFD outside its strings; read as space")
    if data is None:
        # Not the decoder's message: its wording and offsets differ between Python versions,
        # and the same bytes must give the same Article under any of them.
        meta.notes.append(f"json-ld at {loc} is not valid JSON and was ignored")
        bad.add(node.mem_id)
        return
    for item in _json_ld_articles(data):
        for key, field in (
            ("headline", "title"),
            ("datePublished", "published"),
            ("articleSection", "category"),
            ("inLanguage", "language"),
        ):
            value = _first_string(item.get(key))
            if value is not None:
                # JSON escapes can spell half an emoji ("\ud83d"): no value holds it.
                value, damage = replace_lone_surrogates(value)
                if damage is not None:
                    meta.damage.append(attrs.evolve(damage, offsets=(), locators=(loc,)))
                out.append((field, value, loc))


def _json(source: str) -> Any:
    """The parsed JSON, or ``None`` when it is not valid (JSON ``null`` gives no metadata)."""
    try:
        return json.loads(source, strict=False)
    except (ValueError, RecursionError):
        return None


def _read_urls(
    meta: _Meta,
    text: str,
    wayback: bool,
    canonical: tuple[str, str] | None,
    og_url: tuple[str, str] | None,
) -> None:
    if not wayback:
        if canonical is not None and canonical[0].strip():
            meta.add("url", canonical[0].strip(), "canonical-link", canonical[0], canonical[1])
        return
    # (value, raw, locator): the canonical link unwrapped first, then the replay script's
    # own record, then the timestamp most rewritten links carry.
    original: tuple[str, str, str | None] | None = None
    stamp: tuple[str, str, str | None] | None = None
    for candidate in (canonical, og_url):
        if candidate is None:
            continue
        unwrapped = unwrap_wayback(candidate[0])
        if unwrapped is not None:
            original = original or (unwrapped[0], candidate[0], candidate[1])
            stamp = stamp or (unwrapped[1], candidate[0], candidate[1])
    wombat = _WOMBAT.search(text)
    if wombat is not None:
        original = original or (wombat.group(1), wombat.group(1), None)
        stamp = stamp or (wombat.group(2), wombat.group(2), None)
    if stamp is None:
        stamps = Counter(m.group(1) for m in _WAYBACK_LINK.finditer(text))
        if stamps:
            best = stamps.most_common(1)[0][0]
            stamp = (best, best, None)
    if original is not None:
        meta.add("url", original[0], "wayback-original-url", original[1], original[2])
    elif canonical is not None and canonical[0].strip():
        meta.add("url", canonical[0].strip(), "canonical-link", canonical[0], canonical[1])
    if stamp is not None:
        day = _timestamp_date(stamp[0])
        if day is not None:
            meta.add("captured", day, "wayback-timestamp", stamp[1], stamp[2])


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


_CHROME_QUERY = ", ".join(selector for selector, _ in CHROME_SELECTORS)
"""One query finds every chrome element (one pass of the selector engine, not one per row)."""
_CHROME_COMPOUNDS = tuple(_compound(selector, rule) for selector, rule in CHROME_SELECTORS)
_ALT_QUERY = ", ".join(ALT_TEXT_SELECTORS)


def _chrome_rule(tag: str, attributes: dict[str, str | None]) -> str:
    """The rule of an element some row matched: the first row whose own compound (tag, id,
    class, attribute) fits it. Asked only of the outermost chrome elements the walk meets."""
    return next((c.rule for c in _CHROME_COMPOUNDS if c.matches(tag, attributes)), "chrome")


def is_wayback(text: str) -> bool:
    """Whether the page is a Wayback Machine capture (toolbar comment, ``__wm`` script, or
    scripts served from the archive's ``/_static/``). The scripts come with the archive's
    host name, looked for first: ``__wm.`` is a slow search (``_`` is frequent in scripts)."""
    return _WAYBACK_TOOLBAR in text or (
        "archive.org" in text and any(marker in text for marker in _WAYBACK_SCRIPTS)
    )


MAX_OPTIONS = 1000
"""Options of one ``<select>`` parsed at most. lexbor runs the select's "selectedness"
steps over every option as each is inserted: n options cost O(n²) (5,000 took 0.16 s,
10,000 1.0 s). Options are never shown, and the reader removes a ``<select>`` whole (its
removal text stops at 200 characters), so those past the first ``MAX_OPTIONS`` are cut from
the markup the parser sees, with a note."""
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


def read_html(text: str) -> HtmlPage:
    """Parse ``text`` once and return its blocks, removed chrome and metadata candidates."""
    cut_notes: list[str] = []
    tree = LexborHTMLParser(_bounded_selects(text, cut_notes))
    wayback = is_wayback(text)
    body = tree.body
    # One selector pass finds every chrome element; the alt-text images are JNews's logo,
    # looked for only on pages of that theme (a second pass costs as much as the first).
    chrome = {node.mem_id for node in tree.css(_CHROME_QUERY)}
    alt_ids = {node.mem_id for node in tree.css(_ALT_QUERY)} if "jeg_" in text else set()
    walk = _Walk(chrome, alt_ids)
    if body is not None:
        walk.run(body)
    removed = walk.removed
    scripts = [(node, removed[at].locator or "") for node, at in walk.json_ld]
    meta, bad_json = _read_meta(tree, text, wayback, scripts)
    for node, at in walk.json_ld:
        if node.mem_id in bad_json:
            removed[at] = attrs.evolve(removed[at], rule="json-ld-malformed")
    return HtmlPage(
        blocks=tuple(walk.blocks),
        removed=tuple(removed),
        meta=meta.result(),
        notes=(*meta.notes, *cut_notes),
        wayback=wayback,
        too_deep=walk.too_deep,
        damage=tuple(meta.damage),
    )
