"""The public entry points: read the input, run the one pipeline, build ``Article`` values."""

from __future__ import annotations

import bisect
import datetime
import itertools
from collections.abc import Sequence
from typing import TypeVar

from socpress._blocks import Block, text_blocks
from socpress._extract.draft import Draft, Found
from socpress._extract.fields import (
    ATTRIBUTION,
    CAPTURED,
    CATEGORY,
    PUBLISHED,
    RELEASE,
    SUMMARY,
    TITLE,
    Context,
    Decision,
    decide,
    decide_is_soc,
    decide_language,
    decide_url,
)
from socpress._extract.listings import read_page
from socpress._model import Article, Damage, Evidence, Provenance
from socpress._read.damage import lost_text, merged
from socpress._read.guards import MAX_NESTING, refuse_line_soup
from socpress._read.html import HtmlPage, read_html
from socpress._read.source import (
    DEFAULT_MAX_BYTES,
    PageSource,
    Source,
    read_source,
)
from socpress._site.layouts import EMPTY
from socpress._version import VERSION
from socpress.errors import InputError, NotAnArticleError

T = TypeVar("T")


def load_article(
    source: PageSource,
    *,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    charset: str | None = None,
    captured: datetime.datetime | None = None,
) -> Article:
    """Read one captured page and return its article.

    ``source`` is the page's text (``str``), its raw bytes (decoded here), or a path
    (``os.PathLike``). A one-line ``str`` shaped like a path or a URL (``"pages/a.txt"``,
    ``"https://…"``) is refused, not read as a page: pass a ``pathlib.Path`` (the rule is in
    ``docs/errors.md``). ``url`` is where the page was captured from, when known.
    ``charset`` is the encoding the transport declared for bytes (the ``charset`` of an
    HTTP ``Content-Type`` header, e.g. a WARC response record's): it ranks after a
    byte-order mark and before the page's own ``<meta charset>``
    (``provenance.encoding_rule`` ``http-charset``); an unknown label is ignored.
    ``captured`` is when the page was captured (a web archive's ``WARC-Date``; a
    timezone-aware ``datetime``): it becomes ``provenance.captured`` (rule ``warc-date``, the
    UTC day) unless the page prints its own render date, which wins and sends this one to
    ``provenance.rejected["captured"]``.

    Raises ``socpress.errors.InputError`` for input that is not a page, and
    ``socpress.errors.NotAnArticleError`` for a page without one article
    (``kind="listing"``: use ``load_articles``; ``kind="empty"``).
    """
    page = _read(source, url=url, max_bytes=max_bytes, charset=charset, captured=captured)
    layout = page.drafts[0].layout
    if layout.listing:
        raise NotAnArticleError(
            f"{page.source.name}: a listing page ({layout.name}) with {len(page.drafts)} "
            "item(s); use load_articles",
            kind="listing",
            source=page.source.name,
        )
    return _articles(page)[0]


def load_articles(
    source: PageSource,
    *,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    charset: str | None = None,
    captured: datetime.datetime | None = None,
) -> list[Article]:
    """Every article a page holds: one for an article page, one per item of a listing.
    ``url``, ``charset`` and ``captured`` as for ``load_article``."""
    return _articles(
        _read(source, url=url, max_bytes=max_bytes, charset=charset, captured=captured)
    )


def strip_chrome(
    source: PageSource,
    *,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    charset: str | None = None,
) -> str:
    """The page's own lines (title, date line, category, press header, standfirst, body,
    attribution) in page order, one per line, with every line of site chrome removed."""
    page = _read(source, url=url, max_bytes=max_bytes, charset=charset)
    drafts = page.drafts
    keep = sorted({i for d in drafts for i in d.claimed})
    return "\n".join(page.blocks[i].text for i in keep)


class _Page:
    """One input read through the pipeline up to its drafts."""

    def __init__(
        self,
        source: Source,
        url: str | None,
        blocks: Sequence[Block],
        html: HtmlPage | None = None,
        archived: tuple[Found[datetime.date], ...] = (),
        damage: tuple[Damage, ...] = (),
    ) -> None:
        self.source = source
        self.archived = archived
        self.damage = damage
        self.blocks = blocks
        self.html = html
        self.drafts = read_page(blocks, html) if blocks else [Draft(layout=EMPTY)]
        # Where the page came from is decided once for the page, not per item.
        decided = decide_url(url, html)
        self.url = decided.value
        self.url_evidence = decided.evidence
        self.url_rejected = decided.rejected


def _read(
    source: PageSource,
    *,
    url: str | None,
    max_bytes: int,
    charset: str | None,
    captured: datetime.datetime | None = None,
) -> _Page:
    archived = () if captured is None else (_capture_date(captured),)
    src = read_source(source, url=url, max_bytes=max_bytes, charset=charset)
    if src.input_format == "html":
        html = read_html(src.text)
        damage = merged([*src.damage, *html.damage, *_markup_damage(html, src.name)])
        return _Page(src, url, html.blocks, html, archived, damage)
    refuse_line_soup(src.text, src.name)
    return _Page(src, url, text_blocks(src.text), archived=archived, damage=src.damage)


def _capture_date(captured: object) -> Found[datetime.date]:
    """The ``captured`` argument as a candidate capture day (rule ``warc-date``)."""
    if not isinstance(captured, datetime.datetime) or captured.utcoffset() is None:
        raise InputError(
            f"captured must be a timezone-aware datetime, not {captured!r}",
            source=repr(captured),
        )
    stamp = captured.astimezone(datetime.UTC)
    raw = stamp.isoformat().replace("+00:00", "Z")
    return Found(stamp.date(), Evidence(rule="warc-date", raw=raw))


def _markup_damage(html: HtmlPage, name: str) -> list[Damage]:
    """Refuse a page the HTML reader found nested too deep, or whose visible text (not its
    markup and scripts) had its characters lost or garbled before socpress saw it; the
    mojibake and U+FFFD of a page that is read, named by their elements."""
    if html.too_deep is not None:
        raise InputError(
            f"{name}: markup nested more than {MAX_NESTING} elements deep ({html.too_deep}); "
            "an HTML parser takes quadratic time on such a page",
            source=name,
        )
    blocks = html.blocks

    def locate(offsets: list[int]) -> list[tuple[str, str]]:  # only asked for damage
        starts = list(itertools.accumulate((len(b.text) + 1 for b in blocks), initial=0))
        found = [blocks[bisect.bisect_right(starts, at) - 1] for at in offsets]
        return [(block.tag or "", block.locator or "") for block in found]

    return lost_text("\n".join(b.text for b in blocks), name, locate)


def _articles(page: _Page) -> list[Article]:
    articles = [_finish(page, draft) for draft in page.drafts]
    if all(not a.paragraphs and a.title is None for a in articles):
        raise NotAnArticleError(
            f"{page.source.name}: nothing but site chrome ({len(page.blocks)} blocks, "
            f"layout {page.drafts[0].layout.name})",
            kind="empty",
            source=page.source.name,
        )
    return articles


def _finish(page: _Page, draft: Draft) -> Article:
    """Run each field's chain (``_fields``) and freeze the result."""
    src = page.source
    ctx = Context(draft=draft, html=page.html, url=page.url, archived=page.archived)
    evidence: dict[str, Evidence] = {}
    rejected: dict[str, tuple[Evidence, ...]] = {}

    def take(name: str, decision: Decision[T]) -> T | None:
        if decision.evidence is not None:
            evidence[name] = decision.evidence
        if decision.rejected:
            rejected[name] = decision.rejected
        return decision.value

    title = take("title", decide(TITLE, ctx))
    published = take("published", decide(PUBLISHED, ctx))
    category = take("category", decide(CATEGORY, ctx))
    summary = take("summary", decide(SUMMARY, ctx))
    attribution = take("attribution", decide(ATTRIBUTION, ctx))
    release = take("release", decide(RELEASE, ctx))
    captured = take("captured", decide(CAPTURED, ctx))
    paragraphs = tuple(p.text for p in draft.paragraphs)
    if paragraphs:
        evidence["paragraphs"] = Evidence(
            rule="body",
            raw="\n".join(paragraphs),
            spans=tuple(p.span for p in draft.paragraphs if p.locator is None),
            locator=draft.paragraphs[0].locator,
        )
    language = take("language", decide_language(ctx))
    soc = decide_is_soc(ctx)
    is_soc = soc.value is True
    take("is_soc", soc)
    if page.url_evidence is not None:
        evidence["url"] = page.url_evidence
    if page.url_rejected:
        rejected["url"] = tuple(page.url_rejected)
    notes = list(draft.notes)
    removed = list(draft.removed)
    if page.html is not None:
        notes.extend(page.html.notes)
        removed.extend(page.html.removed)

    provenance = Provenance(
        source=src.name,
        sha256=src.sha256,
        input_format=src.input_format,
        encoding=src.encoding,
        encoding_rule=src.encoding_rule,
        layout=draft.layout.name,
        parser_version=VERSION,
        captured=captured,
        fields=evidence,
        rejected=rejected,
        # Text removals in input order; HTML ones (no spans) in the order they were made:
        # the text rules' in block order, then the selector removals in document order.
        removed=tuple(sorted(removed, key=lambda r: r.span or (0, 0)))
        if src.input_format == "text"
        else tuple(removed),
        notes=tuple(notes),
        truncated=draft.truncated,
        damage=page.damage,
    )
    return Article(
        title=title,
        published=published,
        category=category,
        summary=summary,
        paragraphs=paragraphs,
        attribution=attribution,
        release=release,
        language=language,
        is_soc=is_soc,
        url=page.url,
        provenance=provenance,
    )


__all__ = ["load_article", "load_articles", "strip_chrome"]
