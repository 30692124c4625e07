"""The value objects socpress returns, and their JSON-ready serialization.

Everything here is frozen, keyword-only and built by the pipeline after parsing is done:
validators guard invariants only.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = ["Article", "Damage", "Evidence", "Provenance", "Release", "Removal"]

SCHEMA_VERSION = 1
"""Bumped whenever the shape of ``Article.to_dict()`` changes incompatibly."""

Span = tuple[int, int]


def _check_span(span: Span) -> None:
    start, end = span
    if not (0 <= start <= end):
        raise ValueError(f"span {span!r} is not 0 <= start <= end")


def _validate_spans(_: object, attribute: attrs.Attribute[Any], value: tuple[Span, ...]) -> None:
    for span in value:
        _check_span(span)


def _validate_span(_: object, attribute: attrs.Attribute[Any], value: Span | None) -> None:
    if value is not None:
        _check_span(value)


def _frozen_mapping(value: Mapping[str, Evidence]) -> Mapping[str, Evidence]:
    # Sorted keys make iteration order, and so serialization, independent of build order.
    return MappingProxyType({key: value[key] for key in sorted(value)})


def _frozen_rejected(
    value: Mapping[str, tuple[Evidence, ...]],
) -> Mapping[str, tuple[Evidence, ...]]:
    return MappingProxyType({key: tuple(value[key]) for key in sorted(value)})


@attrs.frozen(kw_only=True)
class Evidence:
    """Where one value came from."""

    rule: str
    """How the value was found: ``text-line``, ``press-header``, ``url-slug``, ``json-ld``,
    ``og:meta``, ``jnews-date``, ``source-line``, ``edition-switcher``, ``langdetect``, …"""
    raw: str
    """The input as it stood, before normalization (for several spans, joined by ``\\n``)."""
    spans: tuple[Span, ...] = attrs.field(default=(), validator=_validate_spans)
    """``(start, end)`` character offsets into the decoded input text, end exclusive.
    Empty for values that come from outside the text (the ``url`` argument, a detector)
    and for HTML input, where ``locator`` says where instead."""
    locator: str | None = None
    """For HTML input: a CSS path to the element the value was read from."""


@attrs.frozen(kw_only=True)
class Removal:
    """One stretch of input removed as site chrome, and the rule that removed it."""

    rule: str
    """Why it was removed: ``menu``, ``edition-switcher``, ``share-bar``, ``related-posts``,
    ``repeated-title``, ``footer``, ``login-form``, … (listed in ``docs/rules.md``)."""
    text: str
    """The removed text as it stood in the input."""
    span: Span | None = attrs.field(default=None, validator=_validate_span)
    """``(start, end)`` character offsets into the decoded input text; ``None`` for HTML."""
    locator: str | None = None
    """For HTML input: a CSS path to the removed element."""


def _validate_offsets(_: object, attribute: attrs.Attribute[Any], value: tuple[int, ...]) -> None:
    if any(offset < 0 for offset in value):
        raise ValueError(f"offsets {value!r} must not be negative")


def _validate_count(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise ValueError(f"a damage entry counts at least one occurrence, not {value}")


DAMAGE_OFFSETS = 8
"""A ``Damage`` entry lists the offsets of at most this many occurrences (the first ones)."""


@attrs.frozen(kw_only=True)
class Damage:
    """One kind of damage found in the input, read as it stands instead of refused.

    The page was read; ``kind`` says what was wrong, ``count`` how often, ``offsets`` where
    the first occurrences are. ``docs/errors.md`` lists the kinds and how to rebuild the
    decoded text the offsets index from the raw bytes."""

    kind: str
    """What was damaged: ``invalid-bytes`` (bytes not valid in ``Provenance.encoding``; each
    invalid sequence is one U+FFFD in the decoded text, as ``bytes.decode(encoding,
    "replace")`` gives), ``nul`` (NUL characters), ``control-characters`` (other C0
    controls but tab, line feed, carriage return and form feed, and DEL), ``lone-surrogates`` (in a
    ``str`` source, each replaced by U+FFFD in place; or escaped in a JSON-LD string, and
    replaced in the value), ``replacement-characters`` (U+FFFD in the text kept from the
    page, whatever put it there: invalid bytes, lone surrogates, or the input itself),
    ``mojibake`` (UTF-8 read as windows-1252 or latin-1, e.g. ``â€™``, in the text kept from
    the page),
    ``mojibake-windows-1256`` (windows-1256 Arabic read as windows-1252, ``ÇáÇÆÊáÇÝ``),
    ``gzip`` (the input was gzip-compressed and was decompressed before decoding;
    ``gzip-truncated`` when the compressed stream was cut short, and gave what it held). NULs and
    controls stay in the decoded text, so spans still index it, but never in a value."""
    count: int = attrs.field(validator=_validate_count)
    """How many occurrences (invalid sequences, characters, mojibake sequences)."""
    offsets: tuple[int, ...] = attrs.field(default=(), validator=_validate_offsets)
    """Character offsets into the decoded input text of the first occurrences (at most
    ``DAMAGE_OFFSETS``), ascending. Empty where the damage has no place in the decoded
    text (``gzip``; a JSON-LD escape, which ``locators`` names; mojibake in HTML, where the
    kept text is not the markup)."""
    locators: tuple[str, ...] = ()
    """For HTML input: CSS paths of the elements holding the first occurrences, when the
    damage was found in the text kept from them (mojibake, U+FFFD) or in a JSON-LD value."""


@attrs.frozen(kw_only=True)
class Release:
    """The press-release header block that opens many statements."""

    kind: str
    """What the text says it is, as printed: ``Press release``, ``Media Statement``,
    ``بيان صحفي``."""
    issuer: str | None = None
    """Who issued it, as printed: ``Syrian Opposition Coalition``."""
    department: str | None = None
    """Department or place line, as printed: ``Department of Media and Communications``,
    ``Istanbul, Turkey``."""
    dated: datetime.date | None = None
    """The header's own date. May differ from ``Article.published`` by a day."""


@attrs.frozen(kw_only=True)
class Provenance:
    """How an ``Article`` was made: input, decoding, layout, and evidence for every value."""

    source: str
    """Where the input came from: a file path, a URL, or ``<string>`` / ``<bytes>``."""
    sha256: str
    """Hex SHA-256 of the raw input bytes (a ``str`` input is hashed as UTF-8)."""
    input_format: str
    """``text`` or ``html``."""
    encoding: str
    """The codec the bytes were decoded with (``utf-8``, ``utf-16``, ``windows-1256``, …)."""
    encoding_rule: str
    """How the encoding was decided: ``str`` (already text), ``bom``, ``utf-8``,
    ``http-charset`` (the ``charset=`` argument), ``meta-charset``,
    ``utf-8-over-http-charset``, ``utf-8-over-meta-charset``, ``fallback-windows-1256``,
    ``fallback-windows-1252``; a ``-cut`` suffix when the bytes end inside a character."""
    layout: str
    """The page layout that matched (``jnews-full``, ``syriakurd``, …; ``generic`` if none)."""
    parser_version: str
    """The socpress version that made this record."""
    captured: datetime.date | None = None
    """The day the page was rendered (e.g. the JNews top-bar date), when the page says."""
    fields: Mapping[str, Evidence] = attrs.field(
        factory=dict, converter=_frozen_mapping, hash=False
    )
    """Evidence for each ``Article`` field that has a value (keyed by field name), plus
    ``captured``. A field that is ``None`` has no entry unless a note explains why."""
    rejected: Mapping[str, tuple[Evidence, ...]] = attrs.field(
        factory=dict, converter=_frozen_rejected, hash=False
    )
    """Values found for a field that lost to the chosen one (e.g. a meta-tag date that
    disagrees with the visible date), keyed by field name."""
    removed: tuple[Removal, ...] = ()
    """Every stretch of input removed as chrome, in input order."""
    notes: tuple[str, ...] = ()
    """Remarks on the reading: ``truncated: …`` for a cut capture, why a field is empty, …"""
    truncated: bool = False
    """True when the capture stops mid-page (no closing chrome, or a last sentence cut)."""
    damage: tuple[Damage, ...] = ()
    """Damage found in the input and read as it stands (invalid bytes, NULs, control
    characters, lone surrogates, U+FFFD, a little mojibake, gzip), one entry per kind in a
    fixed order; empty for an undamaged page."""


@attrs.frozen(kw_only=True)
class Article:
    """One article, as the page holds it, with where every value came from."""

    title: str | None
    """The headline, normalized (whitespace folded); ``None`` when the page has none."""
    published: datetime.date | None
    """The page's own publication date; never a neighbour's, a capture date, or a guess."""
    category: str | None
    """The site's section for the article as printed (``Coalition News``)."""
    summary: str | None
    """A standfirst printed between title and body (republishers), else ``None``."""
    paragraphs: tuple[str, ...]
    """Body paragraphs in page order, without chrome, header block or attribution line."""
    attribution: str | None
    """The source line's credit, e.g. ``SOC’s Media Department`` (parentheses and
    ``Source:`` removed); ``None`` when there is no source line."""
    release: Release | None
    """The press-release header block, when the text opens with one."""
    language: str | None
    """ISO 639-1 code of the article text (``ku`` for Kurdish)."""
    is_soc: bool
    """Whether this is the coalition's own statement: on its site, or republished with its
    attribution (a source line, a press header naming it, a standfirst crediting it)."""
    url: str | None
    """Where the page was captured from: the ``url`` argument, or the page's canonical link."""
    provenance: Provenance
    """How every value was found, and what was removed as chrome."""

    @property
    def text(self) -> str:
        """The body: paragraphs joined by a blank line."""
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; ``Article.from_dict(a.to_dict()) == a`` always holds."""
        return _article_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        """Rebuild an ``Article`` from ``to_dict()`` output (e.g. after ``json.loads``)."""
        return _article_from_dict(data)


# --- serialization -------------------------------------------------------------------


def _date_out(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date_in(value: Any) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _evidence_to_dict(evidence: Evidence) -> dict[str, Any]:
    return {
        "rule": evidence.rule,
        "raw": evidence.raw,
        "spans": [list(span) for span in evidence.spans],
        "locator": evidence.locator,
    }


def _evidence_from_dict(data: Mapping[str, Any]) -> Evidence:
    return Evidence(
        rule=data["rule"],
        raw=data["raw"],
        spans=tuple((int(s), int(e)) for s, e in data.get("spans", ())),
        locator=data.get("locator"),
    )


def _removal_to_dict(removal: Removal) -> dict[str, Any]:
    return {
        "rule": removal.rule,
        "text": removal.text,
        "span": None if removal.span is None else list(removal.span),
        "locator": removal.locator,
    }


def _removal_from_dict(data: Mapping[str, Any]) -> Removal:
    span = data.get("span")
    return Removal(
        rule=data["rule"],
        text=data["text"],
        span=None if span is None else (int(span[0]), int(span[1])),
        locator=data.get("locator"),
    )


def _damage_to_dict(damage: Damage) -> dict[str, Any]:
    return {
        "kind": damage.kind,
        "count": damage.count,
        "offsets": list(damage.offsets),
        "locators": list(damage.locators),
    }


def _damage_from_dict(data: Mapping[str, Any]) -> Damage:
    return Damage(
        kind=data["kind"],
        count=int(data["count"]),
        offsets=tuple(int(o) for o in data.get("offsets", ())),
        locators=tuple(data.get("locators", ())),
    )


def _provenance_to_dict(p: Provenance) -> dict[str, Any]:
    return {
        "source": p.source,
        "sha256": p.sha256,
        "input_format": p.input_format,
        "encoding": p.encoding,
        "encoding_rule": p.encoding_rule,
        "layout": p.layout,
        "parser_version": p.parser_version,
        "captured": _date_out(p.captured),
        "truncated": p.truncated,
        "notes": list(p.notes),
        "fields": {key: _evidence_to_dict(ev) for key, ev in p.fields.items()},
        "rejected": {key: [_evidence_to_dict(ev) for ev in evs] for key, evs in p.rejected.items()},
        "removed": [_removal_to_dict(r) for r in p.removed],
        "damage": [_damage_to_dict(d) for d in p.damage],
    }


def _provenance_from_dict(data: Mapping[str, Any]) -> Provenance:
    return Provenance(
        source=data["source"],
        sha256=data["sha256"],
        input_format=data["input_format"],
        encoding=data["encoding"],
        encoding_rule=data["encoding_rule"],
        layout=data["layout"],
        parser_version=data["parser_version"],
        captured=_date_in(data.get("captured")),
        truncated=bool(data.get("truncated", False)),
        notes=tuple(data.get("notes", ())),
        fields={k: _evidence_from_dict(v) for k, v in data.get("fields", {}).items()},
        rejected={
            k: tuple(_evidence_from_dict(e) for e in v) for k, v in data.get("rejected", {}).items()
        },
        removed=tuple(_removal_from_dict(r) for r in data.get("removed", ())),
        damage=tuple(_damage_from_dict(d) for d in data.get("damage", ())),
    )


def _article_to_dict(a: Article) -> dict[str, Any]:
    release = None
    if a.release is not None:
        release = {
            "kind": a.release.kind,
            "issuer": a.release.issuer,
            "department": a.release.department,
            "dated": _date_out(a.release.dated),
        }
    return {
        "schema": SCHEMA_VERSION,
        "title": a.title,
        "published": _date_out(a.published),
        "category": a.category,
        "summary": a.summary,
        "paragraphs": list(a.paragraphs),
        "attribution": a.attribution,
        "release": release,
        "language": a.language,
        "is_soc": a.is_soc,
        "url": a.url,
        "provenance": _provenance_to_dict(a.provenance),
    }


def _article_from_dict(data: Mapping[str, Any]) -> Article:
    schema = data.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        raise ValueError(f"unsupported socpress schema version {schema!r}")
    rel = data.get("release")
    release = None
    if rel is not None:
        release = Release(
            kind=rel["kind"],
            issuer=rel.get("issuer"),
            department=rel.get("department"),
            dated=_date_in(rel.get("dated")),
        )
    return Article(
        title=data.get("title"),
        published=_date_in(data.get("published")),
        category=data.get("category"),
        summary=data.get("summary"),
        paragraphs=tuple(data.get("paragraphs", ())),
        attribution=data.get("attribution"),
        release=release,
        language=data.get("language"),
        is_soc=bool(data["is_soc"]),
        url=data.get("url"),
        provenance=_provenance_from_dict(data["provenance"]),
    )
