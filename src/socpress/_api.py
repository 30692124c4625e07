"""The public entry points: read the input, run the one pipeline, build ``Article`` values."""

from __future__ import annotations

import bisect
import itertools
import os
import re
import urllib.parse
from collections.abc import Sequence

from socpress._blocks import Block, normalize, text_blocks
from socpress._extract import Draft, read_page
from socpress._html import HtmlPage, read_html
from socpress._language import (
    detect_language,
    language_from_declaration,
    language_from_switcher,
    language_from_url,
)
from socpress._model import Article, Evidence, Provenance, Removal
from socpress._rules import OWN_SITE_CHROME
from socpress._source import (
    DEFAULT_MAX_BYTES,
    MAX_NESTING,
    Source,
    read_source,
    refuse_lost_text,
)
from socpress._version import VERSION
from socpress.errors import InputError, NotAnArticleError

PageSource = str | bytes | os.PathLike[str]

_OWN_HOST = re.compile(r"(?:^|\.)etilaf\.org$", re.IGNORECASE)
_SLUG_SUFFIX = re.compile(r"\.(?:html?|php|aspx?)$", re.IGNORECASE)


def load_article(
    source: PageSource,
    *,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    charset: str | None = None,
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

    Raises :class:`~socpress.errors.InputError` for input that is not a page, and
    :class:`~socpress.errors.NotAnArticleError` for a page without one article
    (``kind="listing"``: use :func:`load_articles`; ``kind="empty"``).
    """
    page = _read(source, url=url, max_bytes=max_bytes, charset=charset)
    layout = page.drafts[0].layout
    if layout.startswith("listing"):
        raise NotAnArticleError(
            f"{page.source.name}: a listing page ({layout}) with {len(page.drafts)} "
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
) -> list[Article]:
    """Every article a page holds: one for an article page, one per item of a listing."""
    return _articles(_read(source, url=url, max_bytes=max_bytes, charset=charset))


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
    ) -> None:
        self.source = source
        self.blocks = blocks
        self.html = html
        self.drafts = read_page(blocks) if blocks else [Draft(layout="empty")]
        # Where the page came from is decided once for the page, not per item: the caller's
        # url, else the first markup URL (canonical link, Wayback original) urllib can split.
        self.url = url
        self.url_evidence = None if url is None else Evidence(rule="url-argument", raw=url)
        self.url_rejected: list[Evidence] = []
        for meta in html.meta if html is not None else ():
            if meta.field != "url":
                continue
            if self.url is None and _splits(str(meta.value)):
                self.url, self.url_evidence = str(meta.value), meta.evidence
            else:
                self.url_rejected.append(meta.evidence)


def _read(source: PageSource, *, url: str | None, max_bytes: int, charset: str | None) -> _Page:
    src = read_source(source, url=url, max_bytes=max_bytes, charset=charset)
    if src.input_format == "html":
        html = read_html(src.text)
        _refuse_bad_markup(html, src.name)
        return _Page(src, url, html.blocks, html)
    return _Page(src, url, text_blocks(src.text))


def _refuse_bad_markup(html: HtmlPage, name: str) -> None:
    """Refuse a page the HTML reader found nested too deep, or whose visible text (not its
    markup and scripts) had its characters lost or garbled before socpress saw it."""
    if html.too_deep is not None:
        raise InputError(
            f"{name}: markup nested more than {MAX_NESTING} elements deep ({html.too_deep}); "
            "an HTML parser takes quadratic time on such a page",
            source=name,
        )
    blocks = html.blocks

    def where(at: int) -> str:  # only asked when refusing
        starts = list(itertools.accumulate((len(b.text) + 1 for b in blocks), initial=0))
        block = blocks[bisect.bisect_right(starts, at) - 1]
        return f"in <{block.tag}> at {block.locator}"

    refuse_lost_text("\n".join(b.text for b in blocks), name, where)


def _merge_html(page: _Page, draft: Draft, evidence: dict[str, Evidence]) -> list[Removal]:
    """Fold markup metadata into a draft: visible values win, the others are kept as
    rejected candidates; fields the text did not give are taken from metadata."""
    html = page.html
    if html is None:
        return []
    if page.url_rejected:
        draft.rejected.setdefault("url", []).extend(page.url_rejected)
    for meta in html.meta:
        if meta.field == "url":
            continue  # decided once for the page in _Page
        if meta.field == "language":
            draft.declared_language.append(meta.evidence)
            continue
        current = draft.values.get(meta.field)
        if current is None:
            draft.values[meta.field] = meta.value
            evidence[meta.field] = meta.evidence
        elif evidence.get(meta.field) is not meta.evidence:
            draft.rejected.setdefault(meta.field, []).append(meta.evidence)
    return list(html.removed)


def _articles(page: _Page) -> list[Article]:
    articles = [_finish(page, draft) for draft in page.drafts]
    if all(not a.paragraphs and a.title is None for a in articles):
        raise NotAnArticleError(
            f"{page.source.name}: nothing but site chrome ({len(page.blocks)} blocks, "
            f"layout {page.drafts[0].layout})",
            kind="empty",
            source=page.source.name,
        )
    return articles


def _finish(page: _Page, draft: Draft) -> Article:
    src = page.source
    values = draft.values
    evidence = dict(draft.evidence)
    notes = list(draft.notes)
    removed = [*draft.removed, *_merge_html(page, draft, evidence)]
    url = page.url

    if values.get("title") is None and url is not None and draft.layout == "body-only":
        slug_title = _title_from_slug(url)
        if slug_title is not None:
            values["title"] = slug_title[0]
            evidence["title"] = Evidence(rule="url-slug", raw=slug_title[1])

    release = values.get("release")
    if values.get("published") is None and release is not None and release.dated is not None:
        values["published"] = release.dated
        evidence["published"] = evidence["release"]

    paragraphs = tuple(text for text, _, _ in draft.paragraphs)
    if paragraphs:
        spans = tuple(span for _, span, loc in draft.paragraphs if loc is None)
        evidence["paragraphs"] = Evidence(
            rule="body",
            raw="\n".join(text for text, _, _ in draft.paragraphs),
            spans=spans,
            locator=draft.paragraphs[0][2],
        )

    language, language_ev = _language(draft, url, values.get("title"), paragraphs)
    if language_ev is not None:
        evidence["language"] = language_ev

    is_soc, soc_ev = _is_soc(draft, url)
    evidence["is_soc"] = soc_ev
    if page.url_evidence is not None:
        evidence["url"] = page.url_evidence
    if page.html is not None:
        notes.extend(page.html.notes)

    provenance = Provenance(
        source=src.name,
        sha256=src.sha256,
        input_format=src.input_format,
        encoding=src.encoding,
        encoding_rule=src.encoding_rule,
        layout=draft.layout,
        parser_version=VERSION,
        captured=values.get("captured"),
        fields=evidence,
        rejected={k: tuple(v) for k, v in draft.rejected.items()},
        # Text removals in input order; HTML ones (no spans) in the order they were made:
        # the selector removals in document order, then the text rules' in block order.
        removed=tuple(sorted(removed, key=lambda r: r.span or (0, 0)))
        if src.input_format == "text"
        else tuple(removed),
        notes=tuple(notes),
        truncated=draft.truncated,
    )
    return Article(
        title=values.get("title"),
        published=values.get("published"),
        category=values.get("category"),
        summary=values.get("summary"),
        paragraphs=paragraphs,
        attribution=values.get("attribution"),
        release=release,
        language=language,
        is_soc=is_soc,
        url=url,
        provenance=provenance,
    )


def _splits(url: str) -> bool:
    """Whether ``urllib`` can take the URL apart (a bad IPv6 host makes it raise)."""
    try:
        urllib.parse.urlsplit(url).hostname  # noqa: B018 - parsing is the check
    except ValueError:
        return False
    return True


def _title_from_slug(url: str) -> tuple[str, str] | None:
    if not _splits(url):
        return None
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    slug = _SLUG_SUFFIX.sub("", path.rsplit("/", 1)[-1])
    if not slug or slug.isdigit():
        return None
    words = urllib.parse.unquote(slug).replace("_", "-").split("-")
    words = [w for w in words if w]
    if len(words) < 2:
        return None
    text = " ".join(words)
    if text.isascii():
        text = text[:1].upper() + text[1:]
    return normalize(text), slug


def _language(
    draft: Draft, url: str | None, title: str | None, paragraphs: Sequence[str]
) -> tuple[str | None, Evidence | None]:
    if url is not None:
        code = language_from_url(url)
        if code is not None:
            return code, Evidence(rule="url-edition", raw=url)
    for declared in draft.declared_language:
        code = language_from_declaration(declared.raw)
        if code is not None:
            return code, declared
    if draft.switcher:
        code = language_from_switcher(draft.switcher)
        if code is not None:
            return code, Evidence(rule="edition-switcher", raw=" ".join(draft.switcher))
    sample = "\n".join([title or "", *paragraphs]).strip()
    if not sample:
        return None, None
    guess = detect_language(sample)
    return guess.code, Evidence(rule=guess.rule, raw=guess.raw)


def _is_soc(draft: Draft, url: str | None) -> tuple[bool, Evidence]:
    if draft.own_site:
        return True, Evidence(rule="site-layout", raw=draft.layout)
    for removal in draft.removed:
        if removal.rule in OWN_SITE_CHROME:
            return True, Evidence(
                rule="site-chrome",
                raw=removal.text,
                spans=() if removal.span is None else (removal.span,),
                locator=removal.locator,
            )
    if url is not None and _splits(url):
        host = urllib.parse.urlsplit(url).hostname or ""
        if _OWN_HOST.search(host):
            return True, Evidence(rule="url-host", raw=host)
    if draft.credits:
        return True, draft.credits[0]
    return False, Evidence(rule="no-coalition-credit", raw="")


__all__ = ["load_article", "load_articles", "strip_chrome"]
