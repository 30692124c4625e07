"""Each field decided in one place: an ordered list of candidate sources per field.

Extraction leaves a typed ``Draft`` with every candidate the page offered, in the order found;
markup metadata (HTML input) and the ``url`` add theirs. For each field, the sources below are
tried in table order and the first that gives a value wins, with its evidence. A source marked
``contested`` competes for the value: when it loses, its candidates are kept in
``provenance.rejected`` (a meta-tag date that disagrees with the visible one). A fallback
(``contested=False``) only fills a field nothing else gave (the URL slug as a title).

``is_soc`` is the one field weighed rather than chosen: see ``decide_is_soc``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Generic, NamedTuple, TypeVar

import attrs

from socpress._extract.draft import Draft, Found
from socpress._extract.is_soc import weigh
from socpress._extract.language import (
    detect_language,
    language_from_declaration,
    language_from_switcher,
)
from socpress._extract.lines import fold
from socpress._model import Evidence, Release
from socpress._read.html import HtmlPage
from socpress._site.editions import Edition
from socpress._site.urls import edition_of_url, slug_title, splits

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Context:
    """What a field's sources may read: the draft, the page's markup, the page's URL, and
    what the caller knows from outside the page (a web archive's capture date)."""

    draft: Draft
    html: HtmlPage | None
    url: str | None
    archived: Sequence[Found[datetime.date]] = ()


class Source(NamedTuple, Generic[T]):
    """One row of a field's table: where candidates come from, and whether they compete."""

    name: str
    candidates: Callable[[Context], Sequence[Found[T]]]
    contested: bool = True


class Decision(NamedTuple, Generic[T]):
    """A field's value (or ``None``), the evidence for it, and the candidates that lost."""

    value: T | None
    evidence: Evidence | None
    rejected: tuple[Evidence, ...] = ()


def decide(sources: Sequence[Source[T]], ctx: Context) -> Decision[T]:
    """The first source that gives a value wins; contested losers are kept as rejected."""
    winner: Found[T] | None = None
    rejected: list[Evidence] = []
    for source in sources:
        found = source.candidates(ctx)
        if not found:
            continue
        if winner is None:
            winner = found[0]
            rejected.extend(f.evidence for f in found[1:])
        elif source.contested:
            rejected.extend(f.evidence for f in found)
    if winner is None:
        return Decision(None, None, tuple(rejected))
    return Decision(winner.value, winner.evidence, tuple(rejected))


# --- candidate sources -----------------------------------------------------------------


def _markup(field: str) -> Callable[[Context], Sequence[Found[object]]]:
    def candidates(ctx: Context) -> Sequence[Found[object]]:
        # A listing's markup describes the listing page, not any one of its items.
        if ctx.html is None or ctx.draft.layout.listing:
            return ()
        return tuple(Found(m.value, m.evidence) for m in ctx.html.meta if m.field == field)

    return candidates


def _markup_str(field: str) -> Callable[[Context], Sequence[Found[str]]]:
    read = _markup(field)
    return lambda ctx: tuple(Found(str(f.value), f.evidence) for f in read(ctx))


def _markup_date(field: str) -> Callable[[Context], Sequence[Found[datetime.date]]]:
    read = _markup(field)
    return lambda ctx: tuple(
        Found(f.value, f.evidence) for f in read(ctx) if isinstance(f.value, datetime.date)
    )


def _url_slug(ctx: Context) -> Sequence[Found[str]]:
    if ctx.url is None or not ctx.draft.layout.slug_title:
        return ()
    found = slug_title(ctx.url)
    if found is None:
        return ()
    return (Found(found[0], Evidence(rule="url-slug", raw=found[1])),)


def _release_date(ctx: Context) -> Sequence[Found[datetime.date]]:
    return tuple(
        Found(r.value.dated, r.evidence) for r in ctx.draft.release[:1] if r.value.dated is not None
    )


def _agrees_with_markup(ctx: Context) -> bool:
    """Whether the text's title agrees with the page's own markup titles: on a page no
    coalition layout claims, the first title-like line may be a section label or a teaser,
    and the title the page declares (``og:title``, JSON-LD ``headline``, ``<title>``, site name
    stripped) decides. A text title agrees when it is one of them, or stands inside the raw
    ``<title>``; with no markup title at all it stands, and so does an ``<h1>`` that only a
    ``<title>`` contradicts."""
    if (
        ctx.draft.layout.footer_sections
        or ctx.draft.layout.listing
        or not ctx.draft.title
        or ctx.html is None
    ):
        return True
    marked = [m for m in ctx.html.meta if m.field == "title"]
    if not marked:
        return True
    found = ctx.draft.title[0]
    text = fold(found.value)
    if any(
        text == fold(str(m.value))
        or (m.evidence.rule == "html-title" and text in fold(m.evidence.raw))
        for m in marked
    ):
        return True
    # The page's own <h1> yields only to a title the page declares for the article
    # (og:title, JSON-LD headline), not to a <title> that may be the site's or a section's.
    step = (found.evidence.locator or "").rsplit(">", 1)[-1]
    is_h1 = step == "h1" or step.startswith(("h1.", "h1#", "h1:"))
    return is_h1 and all(m.evidence.rule == "html-title" for m in marked)


TITLE: tuple[Source[str], ...] = (
    Source("text", lambda ctx: ctx.draft.title if _agrees_with_markup(ctx) else ()),
    Source("markup", _markup_str("title")),
    # A text title that disagrees with the markup loses to it, and is kept among the rejected.
    Source("text-disagreeing", lambda ctx: () if _agrees_with_markup(ctx) else ctx.draft.title),
    Source("url-slug", _url_slug, contested=False),
)


def _markup_published(ctx: Context) -> Sequence[Found[datetime.date]]:
    """The markup's publication dates; a body ``<time>`` element's (``time-element``) only
    on a page no coalition layout claims, where the layout's own date line is not known."""
    found = _markup_date("published")(ctx)
    if ctx.draft.layout.footer_sections:
        return tuple(f for f in found if f.evidence.rule != "time-element")
    return found


PUBLISHED: tuple[Source[datetime.date], ...] = (
    Source("text", lambda ctx: ctx.draft.published),
    Source("markup", _markup_published),
    Source("press-header", _release_date, contested=False),
    Source("closing", lambda ctx: ctx.draft.closing_dates, contested=False),
)
CATEGORY: tuple[Source[str], ...] = (
    Source("text", lambda ctx: ctx.draft.category),
    Source("markup", _markup_str("category")),
)
SUMMARY: tuple[Source[str], ...] = (Source("text", lambda ctx: ctx.draft.summary),)
ATTRIBUTION: tuple[Source[str], ...] = (Source("text", lambda ctx: ctx.draft.attribution),)
RELEASE: tuple[Source[Release], ...] = (Source("text", lambda ctx: ctx.draft.release),)
CAPTURED: tuple[Source[datetime.date], ...] = (
    Source("text", lambda ctx: ctx.draft.captured),
    Source("markup", _markup_date("captured")),
    Source("warc-date", lambda ctx: ctx.archived),
)
"""Each field's sources, in the order they are tried."""


# --- the page's URL ---------------------------------------------------------------------


def decide_url(argument: str | None, html: HtmlPage | None) -> Decision[str]:
    """Where the page came from, decided once for the page (not per listing item): the
    caller's ``url``, else the first markup URL (canonical link, Wayback original, in the
    reader's order) that ``urllib`` can take apart. Every other markup URL is rejected."""
    candidates: list[Found[str]] = []
    if argument is not None:
        candidates.append(Found(argument, Evidence(rule="url-argument", raw=argument)))
    for meta in html.meta if html is not None else ():
        if meta.field == "url":
            candidates.append(Found(str(meta.value), meta.evidence))
    winner = next(
        (c for c in candidates if c.evidence.rule == "url-argument" or splits(c.value)), None
    )
    rejected = tuple(c.evidence for c in candidates if c is not winner)
    if winner is None:
        return Decision(None, None, rejected)
    return Decision(winner.value, winner.evidence, rejected)


# --- language ----------------------------------------------------------------------------


def _url_edition(ctx: Context) -> Sequence[Found[str]]:
    if ctx.url is None:
        return ()
    edition = edition_of_url(ctx.url)
    if edition is None:
        return ()
    return (Found(edition.code, Evidence(rule="url-edition", raw=ctx.url)),)


def _declared(ctx: Context) -> Sequence[Found[str]]:
    found = []
    for meta in ctx.html.meta if ctx.html is not None else ():
        if meta.field == "language":
            code = language_from_declaration(meta.evidence.raw)
            if code is not None:
                found.append(Found(code, meta.evidence))
    return found[:1]


def _switcher(ctx: Context) -> Sequence[Found[str]]:
    switcher = ctx.draft.switcher
    code = language_from_switcher(switcher) if switcher else None
    if code is None:
        return ()
    return (Found(code, Evidence(rule="edition-switcher", raw=" ".join(switcher))),)


def _site_name(ctx: Context) -> Sequence[Found[str]]:
    edition: Found[Edition] | None = ctx.draft.site_edition
    return () if edition is None else (Found(edition.value.code, edition.evidence),)


def _detected(ctx: Context) -> Sequence[Found[str]]:
    title = ctx.draft.first_title() or ""
    sample = "\n".join([title, *(p.text for p in ctx.draft.paragraphs)]).strip()
    if not sample:
        return ()
    guess = detect_language(sample)
    # A guess without a code still explains why ``language`` is None.
    return (Found(guess.code or "", Evidence(rule=guess.rule, raw=guess.raw)),)


LANGUAGE: tuple[Source[str], ...] = (
    Source("url-edition", _url_edition, contested=False),
    Source("declared", _declared, contested=False),
    Source("edition-switcher", _switcher, contested=False),
    Source("site-name", _site_name, contested=False),
    Source("detected", _detected, contested=False),
)
"""The language's sources: the edition the page is on, then what it declares, then its text.
Detection runs only when nothing before it answered."""


def decide_language(ctx: Context) -> Decision[str]:
    for source in LANGUAGE:
        found = source.candidates(ctx)
        if found:
            return Decision(found[0].value or None, found[0].evidence)
    return Decision(None, None)


# --- is_soc --------------------------------------------------------------------------------


def decide_is_soc(ctx: Context) -> Decision[bool]:
    """Weighed, not chosen: ``_extract/is_soc.py`` holds the weights and the decision."""
    value, evidence, rejected = weigh(ctx.draft, ctx.url)
    return Decision(value, evidence, rejected)
