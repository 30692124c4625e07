"""The values of statement grouping: a fingerprint, a link's evidence, a witness, a statement;
their JSON-ready form and its JSON Schema."""

from __future__ import annotations

import base64
import datetime
import functools
import importlib.resources
import json
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from socpress import corpus
from socpress._model import Article

__all__ = ["RELATIONS", "Fingerprint", "Link", "Relation", "Statement", "Witness", "json_schema"]

Relation = Literal["canonical", "capture", "edit", "edition", "republication", "teaser"]
RELATIONS: tuple[Relation, ...] = (
    "canonical",
    "capture",
    "edit",
    "edition",
    "republication",
    "teaser",
)
"""What a witness is to its statement, in the order witnesses are listed."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@attrs.frozen(kw_only=True)
class Fingerprint:
    """What grouping compares of one article: hashes, sketches and anchors, nothing else.

    Pipelines may store these and compare them without socpress; ``to_dict`` gives bytes
    fields as base64 and hashes as integers."""

    body: str
    """Hex BLAKE2b-128 of the normalized body (``socpress.statements.normalize`` of the
    paragraphs, joined by a line feed): equal bodies, equal hash."""
    simhash: int
    """64-bit simhash of the body's shingles (word 3-grams inside a paragraph, digits kept)."""
    minhash: bytes
    """Bottom-k MinHash of the same shingles: their 64 smallest 64-bit hashes (fewer for a
    short body), ascending, little-endian."""
    shingles: int
    """How many distinct shingles the body has (the size the sketch was drawn from)."""
    paragraphs: bytes
    """One 64-bit hash per body paragraph (normalized), little-endian."""
    leads: bytes
    """One 64-bit hash per body paragraph of its first 8 normalized words: a capture cut
    inside a paragraph still opens it the same."""
    tails: bytes
    """One 64-bit hash per body paragraph of its last 8 normalized words: a copy that edits
    a paragraph's opening still ends it the same."""
    lead: int
    """64-bit hash of the body's first 12 normalized words (0 for an empty body)."""
    title: int | None
    """64-bit hash of the normalized title, or ``None`` without a title."""
    anchors: tuple[str, ...]
    """Sorted ``kind:value`` strings: ``number:29894`` (thousands separators and digit
    scripts folded; with a unit: ``number:2.5e6``, ``number:40%``), ``year:2011``,
    ``date:2022-11-21`` (full dates in the body), ``resolution:2254``, ``name:goldrich``
    (a capitalized Latin-script name inside a sentence), ``slug:<the URL's last segment>``."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "body": self.body,
            "simhash": self.simhash,
            "minhash": _b64(self.minhash),
            "shingles": self.shingles,
            "paragraphs": _b64(self.paragraphs),
            "leads": _b64(self.leads),
            "tails": _b64(self.tails),
            "lead": self.lead,
            "title": self.title,
            "anchors": list(self.anchors),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fingerprint:
        return cls(
            body=data["body"],
            simhash=int(data["simhash"]),
            minhash=base64.b64decode(data["minhash"]),
            shingles=int(data["shingles"]),
            paragraphs=base64.b64decode(data["paragraphs"]),
            leads=base64.b64decode(data["leads"]),
            tails=base64.b64decode(data["tails"]),
            lead=int(data["lead"]),
            title=None if data.get("title") is None else int(data["title"]),
            anchors=tuple(data.get("anchors", ())),
        )


@attrs.frozen(kw_only=True)
class Link:
    """Why a witness belongs to its statement: the rule that linked it, as ``Provenance``
    says where a field came from."""

    rule: str
    """The rule: ``canonical``, ``same-body``, ``same-url-prefix``, ``same-url-edited``,
    ``same-title-prefix``, ``same-text-prefix``, ``same-text``, ``contains-text``,
    ``shared-anchors``,
    ``encoder``, ``teaser-title``, ``teaser-lead`` (listed in ``docs/statements.md``)."""
    score: float
    """How strongly: the estimated shingle Jaccard or containment, the share of strong anchors
    matched, or the encoder's cosine (rounded to 4 places); 1.0 for ``canonical``."""
    anchors: tuple[str, ...] = ()
    """The anchors both sides share (sorted), when anchors were part of the decision."""
    target: str | None = None
    """The ``Witness.key`` of the witness this one was verified against; ``None`` for the
    canonical."""
    changed: tuple[int, ...] = ()
    """For an ``edit``: indices of this witness's paragraphs not found in the one it was
    compared with."""


@attrs.frozen(kw_only=True)
class Witness:
    """One record (or bare article) of a statement."""

    input: corpus.Input | None
    """The record's input; ``None`` for a bare ``Article``."""
    article: Article
    """The article itself."""
    relation: Relation
    """``canonical``, ``capture`` (the same page again: another capture of its URL, a cut
    capture, the same text at another of the site's URLs), ``edit`` (a capture of the same
    URL whose body changed: ``evidence.changed`` says which paragraphs), ``edition``
    (another edition of the coalition's site, in another language), ``republication``
    (another site: verbatim, lightly edited, merged or translated), ``teaser`` (a listing
    page's item)."""
    evidence: Link
    """What linked it."""
    key: str
    """Stable identity of the witness: hex BLAKE2b of its input (source, archive, member,
    offset, index, SHA-256), or for a bare article of its provenance's source and SHA-256,
    URL and body. The same in every process."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "relation": self.relation,
            "input": None if self.input is None else attrs.asdict(self.input),
            "article": self.article.to_dict(),
            "evidence": {
                "rule": self.evidence.rule,
                "score": self.evidence.score,
                "anchors": list(self.evidence.anchors),
                "target": self.evidence.target,
                "changed": list(self.evidence.changed),
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Witness:
        ev = data["evidence"]
        given = data.get("input")
        return cls(
            key=data["key"],
            relation=data["relation"],
            input=None if given is None else corpus.Input(**given),
            article=Article.from_dict(data["article"]),
            evidence=Link(
                rule=ev["rule"],
                score=float(ev["score"]),
                anchors=tuple(ev.get("anchors", ())),
                target=ev.get("target"),
                changed=tuple(int(i) for i in ev.get("changed", ())),
            ),
        )


def _date_out(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date_in(value: Any) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _canonical_first(instance: Statement, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not instance.witnesses or instance.witnesses[0] != value:
        raise ValueError("a statement's canonical witness is its first witness")


@attrs.frozen(kw_only=True)
class Statement:
    """One statement and every witness of it found in the input."""

    id: str
    """``st-`` and 16 hex digits, from the canonical witness's key: the same witnesses give
    the same id in any input order, process or run; unrelated records do not change it."""
    canonical: Witness = attrs.field(validator=_canonical_first)
    """The witness that stands for the statement: on the coalition's own site first, then
    the earliest published, then Arabic (the language the coalition writes in) before the
    other editions, then the earliest captured. Always ``witnesses[0]``."""
    witnesses: tuple[Witness, ...]
    """Every witness, the canonical first, then by relation (``RELATIONS`` order) and key."""
    published: datetime.date | None
    """The canonical's publication date, else the earliest any witness gives."""
    languages: tuple[str, ...]
    """The witnesses' languages (ISO 639-1), sorted; unknown ones left out."""
    first_captured: datetime.date | None
    """The earliest render date (``Provenance.captured``) among the witnesses."""
    last_captured: datetime.date | None
    """The latest."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form that ``json_schema()`` describes (``canonical`` is the index of
        the canonical witness in ``witnesses``: always 0)."""
        return {
            "schema": 1,
            "id": self.id,
            "canonical": 0,
            "published": _date_out(self.published),
            "languages": list(self.languages),
            "first_captured": _date_out(self.first_captured),
            "last_captured": _date_out(self.last_captured),
            "witnesses": [w.to_dict() for w in self.witnesses],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Statement:
        witnesses = tuple(Witness.from_dict(w) for w in data["witnesses"])
        return cls(
            id=data["id"],
            canonical=witnesses[int(data.get("canonical", 0))],
            witnesses=witnesses,
            published=_date_in(data.get("published")),
            languages=tuple(data.get("languages", ())),
            first_captured=_date_in(data.get("first_captured")),
            last_captured=_date_in(data.get("last_captured")),
        )


@functools.cache
def _schema_text() -> str:
    return (
        importlib.resources.files("socpress.statements")
        .joinpath("statement.schema.json")
        .read_text("utf-8")
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``Statement.to_dict`` output: the shipped
    ``socpress/statements/statement.schema.json`` with the record schema's definitions of an
    input and an article (``socpress.corpus.json_schema()``) copied into its ``$defs``."""
    schema: dict[str, Any] = json.loads(_schema_text())
    defs = corpus.json_schema()["$defs"]
    schema["$defs"] = {**defs, **schema["$defs"]}
    return schema
