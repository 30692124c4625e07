"""Metadata candidates from markup outside the visible text: meta tags, JSON-LD, links and
Wayback Machine captures. Each candidate carries its evidence; the fields stage decides.
"""

from __future__ import annotations

import datetime
import html
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs
from selectolax.lexbor import LexborHTMLParser, LexborNode

from socpress._blocks import normalize
from socpress._model import Damage, Evidence
from socpress._read.damage import replace_lone_surrogates
from socpress._read.locators import css_path, segment
from socpress._site.dates import parse_iso_datetime
from socpress._site.editions import SITE_SUFFIXES
from socpress._site.selectors import (
    ARTICLE_TYPES,
    TITLE_SEPARATORS,
)
from socpress._site.urls import WAYBACK_LINK, WAYBACK_WOMBAT, unwrap_wayback


@attrs.frozen(kw_only=True)
class MetaValue:
    """A value read from markup outside the visible text (meta tags, JSON-LD, links)."""

    field: str
    """``title``, ``published``, ``category``, ``language``, ``url``, ``captured`` or ``body``
    (a JSON-LD ``articleBody``: what the main-content stage checks its blocks against)."""
    value: str | datetime.date
    evidence: Evidence


# --- metadata ----------------------------------------------------------------------------------


def _strip_site_name(title: str, site_name: str | None) -> str:
    text = normalize(title)
    if site_name:
        site = normalize(site_name)
        for sep in TITLE_SEPARATORS:
            if text.endswith(sep + site) and len(text) > len(sep + site):
                return text[: -len(sep + site)].strip()
            if text.startswith(site + sep) and len(text) > len(site + sep):
                return text[len(site + sep) :].strip()
    for pattern in SITE_SUFFIXES:
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
        if _types(item) & ARTICLE_TYPES:
            yield item
        graph = item.get("@graph")
        if isinstance(graph, list):
            for inner in graph:
                if isinstance(inner, dict) and _types(inner) & ARTICLE_TYPES:
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

    FIELDS = ("title", "published", "category", "language", "url", "captured", "body")

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


def is_json_ld(node: LexborNode) -> bool:
    return "ld+json" in (node.attributes.get("type") or "").lower()


@attrs.define
class _Head:
    """What one pass over ``<head>`` found: the first value of each ``<meta>`` key, the
    ``<title>``, the canonical link, and the JSON-LD scripts with their locators."""

    og: dict[str, tuple[str, LexborNode]] = attrs.Factory(dict)
    title: LexborNode | None = None
    canonical: tuple[str, LexborNode] | None = None
    scripts: list[tuple[LexborNode, str]] = attrs.Factory(list)

    def value(self, key: str) -> tuple[str, str] | None:
        found = self.og.get(key)
        return None if found is None else (found[0], css_path(found[1]))


def read_meta(
    tree: LexborHTMLParser, text: str, wayback: bool, scripts: list[tuple[LexborNode, str]]
) -> tuple[_Meta, set[int]]:
    """Metadata candidates from ``<head>``, ``<html lang>`` and JSON-LD (in ``scripts`` from
    the body too, with their locators), and the mem_ids of JSON-LD scripts that failed to
    parse."""
    meta = _Meta()
    bad_json: set[int] = set()
    ld: list[tuple[str, str, str]] = []  # (field, raw, locator)
    head = _scan_head(tree)
    for script, locator in (*head.scripts, *scripts):
        _read_json_ld(script, locator, meta, ld, bad_json)
    _titles(meta, head, ld)
    _published(meta, head, ld)
    if "<time" in text or "datePublished" in text:  # a search of the markup: cheaper
        _time_element(meta, tree)
    _categories(meta, head, ld)
    _languages(meta, tree, head, ld)
    for field, raw, loc in ld:
        if field == "body":
            value = normalize(html.unescape(raw))
            if value:
                meta.add("body", value, "json-ld", raw, loc)
    canonical = None if head.canonical is None else (head.canonical[0], css_path(head.canonical[1]))
    _read_urls(meta, text, wayback, canonical, head.value("og:url"))
    return meta, bad_json


def _scan_head(tree: LexborHTMLParser) -> _Head:
    found = _Head()
    head = tree.head
    seen: Counter[str] = Counter()  # nth-of-type as we go: a locator per script costs O(1)
    for node in head.iter() if head is not None else ():
        tag = node.tag
        if tag is not None and tag[0] != "-":
            seen[tag] += 1
        if tag == "meta":
            attributes = node.attributes
            key = (attributes.get("property") or attributes.get("name") or "").strip().lower()
            content = attributes.get("content")
            if key and content is not None and key not in found.og:
                found.og[key] = (content, node)
        elif tag == "title":
            found.title = found.title or node
        elif tag == "link":
            attributes = node.attributes
            rel = (attributes.get("rel") or "").lower().split()
            href = attributes.get("href")
            if "canonical" in rel and href and found.canonical is None:
                found.canonical = (href, node)
        elif tag == "script" and is_json_ld(node):
            found.scripts.append((node, "head>" + segment(node, tag, seen[tag])))
    return found


def _titles(meta: _Meta, head: _Head, ld: list[tuple[str, str, str]]) -> None:
    site_name = head.og["og:site_name"][0] if "og:site_name" in head.og else None
    found = head.value("og:title")
    if found is not None:
        value = _strip_site_name(found[0], site_name)
        if value:
            meta.add("title", value, "og:title", found[0], found[1])
    for field, raw, loc in ld:
        if field == "title":
            value = normalize(html.unescape(raw))
            if value:
                meta.add("title", value, "json-ld", raw, loc)
    if head.title is not None:
        raw = head.title.text()
        value = _strip_site_name(raw, site_name)
        if value:
            meta.add("title", value, "html-title", raw, css_path(head.title))


def _published(meta: _Meta, head: _Head, ld: list[tuple[str, str, str]]) -> None:
    found = head.value("article:published_time")
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


_PUBLISHED_ELEMENT = (
    '[itemprop="datePublished"], article time[datetime], time[pubdate], time.published, '
    "time.entry-date"
)
"""The elements that give a page's own publication time in the body: microdata's
``datePublished``, a ``<time>`` inside the ``<article>``, or one marked as the post's."""


def _time_element(meta: _Meta, tree: LexborHTMLParser) -> None:
    """The first such element's machine-readable time (``datetime`` or ``content``), after
    the head's and JSON-LD's; never a ``<time>`` of the page at large (a sidebar's posts)."""
    body = tree.body
    node = body.css_first(_PUBLISHED_ELEMENT) if body is not None else None
    if node is None:
        return
    raw = node.attributes.get("datetime") or node.attributes.get("content")
    if raw:
        day = parse_iso_datetime(raw)
        if day is not None:
            meta.add("published", day, "time-element", raw, css_path(node))


def _categories(meta: _Meta, head: _Head, ld: list[tuple[str, str, str]]) -> None:
    found = head.value("article:section")
    if found is not None and normalize(found[0]):
        meta.add("category", normalize(found[0]), "article:section", found[0], found[1])
    for field, raw, loc in ld:
        if field == "category" and normalize(raw):
            meta.add("category", normalize(html.unescape(raw)), "json-ld", raw, loc)


def _languages(
    meta: _Meta, tree: LexborHTMLParser, head: _Head, ld: list[tuple[str, str, str]]
) -> None:
    root = tree.root
    lang = root.attributes.get("lang") if root is not None and root.tag == "html" else None
    if lang is not None and lang.strip():
        meta.add("language", lang.strip(), "html-lang", lang, "html")
    for field, raw, loc in ld:
        if field == "language" and raw.strip():
            meta.add("language", raw.strip(), "json-ld", raw, loc)
    found = head.value("og:locale")
    if found is not None and found[0].strip():
        meta.add("language", found[0].strip(), "og:locale", found[0], found[1])


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
            ("articleBody", "body"),
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
    wombat = WAYBACK_WOMBAT.search(text)
    if wombat is not None:
        original = original or (wombat.group(1), wombat.group(1), None)
        stamp = stamp or (wombat.group(2), wombat.group(2), None)
    if stamp is None:
        stamps = Counter(m.group(1) for m in WAYBACK_LINK.finditer(text))
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
