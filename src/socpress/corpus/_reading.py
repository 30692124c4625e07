"""Reading one item into its records: one ``ok`` record per article, or one ``refused`` or
``failed`` record saying why not. Never raises.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from socpress._api import load_articles
from socpress._model import Article
from socpress.corpus._values import (
    Failure,
    Item,
    Record,
    Status,
    failure_of,
    item_sha256,
    record_input,
)
from socpress.errors import SocpressError

# --- reading one item -------------------------------------------------------------------


def read_item(item: Item, *, lean: bool = False) -> tuple[Record, ...]:
    """The records of one item: one ``"ok"`` record per article, or one ``"refused"`` or
    ``"failed"`` record saying why not. Never raises (but lets ``KeyboardInterrupt`` and
    ``SystemExit`` through)."""
    if item.broken is not None:
        return (_refusal(item, None, item.broken, item.broken_status),)
    try:
        source: bytes | Path = item.data if item.data is not None else Path(item.path or "")
        articles = load_articles(source, url=item.url, charset=item.charset, captured=item.captured)
    except SocpressError as err:
        kind = getattr(err, "kind", None)
        failure = Failure(type=type(err).__name__, kind=kind, message=str(err))
        return (_refusal(item, item_sha256(item), failure, "refused"),)
    except MemoryError:
        failure = Failure(
            type="InputError",
            kind="memory-limit",
            message=f"{item.source}: reading the page ran out of memory",
        )
        return (_refusal(item, item_sha256(item), failure, "refused"),)
    except Exception as err:  # a socpress bug: reported in the record, the run goes on
        return (_refusal(item, item_sha256(item), failure_of(err), "failed"),)
    if lean:
        articles = [_lean(a) for a in articles]
    return tuple(
        Record(
            status="ok",
            input=record_input(item, article.provenance.sha256, index),
            article=article,
            error=None,
            lean=lean,
        )
        for index, article in enumerate(articles)
    )


def _refusal(item: Item, sha256: str | None, failure: Failure, status: Status) -> Record:
    return Record(status=status, input=record_input(item, sha256, 0), article=None, error=failure)


def _lean(article: Article) -> Article:
    """The article with its removed-chrome texts out, and each field's evidence ``raw`` out
    where it says no more than the record already does (up to white space): the field's
    own value, or a run of the article's words (its title and paragraphs), such as the
    sample the language was detected on. Rule, spans and locator stay, and point at it in
    the input."""
    prov = article.provenance
    removed = tuple(attrs.evolve(r, text="") for r in prov.removed)
    words = f" {' '.join([*(article.title or '').split(), *article.text.split()])} "
    fields = {
        name: attrs.evolve(evidence, raw="")
        if _said_already(article, name, evidence.raw, words)
        else evidence
        for name, evidence in prov.fields.items()
    }
    return attrs.evolve(article, provenance=attrs.evolve(prov, removed=removed, fields=fields))


def _said_already(article: Article, name: str, raw: str, words: str) -> bool:
    said = raw.split()
    value = article.text if name == "paragraphs" else getattr(article, name, None)
    if isinstance(value, str) and said == value.split():
        return True
    return f" {' '.join(said)} " in words
