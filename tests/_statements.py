"""Shared helpers of the statement tests: articles made from text, and the schema check
every emitted statement goes through."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import jsonschema

import socpress
from socpress import corpus, statements

SHARED = Path(__file__).resolve().parents[2] / "shared"

_VALIDATOR = jsonschema.Draft202012Validator(statements.json_schema())


def article(
    title: str | None,
    paragraphs: Sequence[str],
    *,
    url: str | None = None,
    published: datetime.date | None = None,
    captured: datetime.date | None = None,
    layout: str | None = None,
) -> socpress.Article:
    """An article read from a plain text rendering, with the dates set as a page would."""
    text = "\n\n".join([*([title] if title else []), *paragraphs]) + "\n"
    made = socpress.load_article(text, url=url)
    provenance = made.provenance
    if captured is not None:
        provenance = attrs.evolve(provenance, captured=captured)
    if layout is not None:
        provenance = attrs.evolve(provenance, layout=layout)
    return attrs.evolve(made, published=published, provenance=provenance)


def record(source: str, item: socpress.Article, index: int = 0) -> corpus.Record:
    return corpus.Record(
        status="ok",
        input=corpus.Input(source=source, url=item.url, sha256=item.provenance.sha256, index=index),
        article=item,
        error=None,
    )


def emitted(items: Iterable[Any], **options: Any) -> list[statements.Statement]:
    """``statements.group`` run to a list, each statement validated against the shipped
    schema and round-tripped through its dict and JSON."""
    out = list(statements.group(items, **options))
    for statement in out:
        data = statement.to_dict()
        _VALIDATOR.validate(data)
        assert statements.Statement.from_dict(json.loads(json.dumps(data))) == statement
    return out


def where(found: Sequence[statements.Statement]) -> dict[str, tuple[str, str]]:
    """Witness key -> (statement id, relation)."""
    return {w.key: (s.id, w.relation) for s in found for w in s.witnesses}
