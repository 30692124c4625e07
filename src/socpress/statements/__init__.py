"""Statements: one statement, many witnesses.

A corpus holds each of the coalition's statements many times: captures of one URL over the
years (other chrome, another render date, sometimes an edited body), the site's other
editions (translations, the same or the next day), republications on news sites (a credit
line, light edits), teasers on listing pages. ``group`` links them, with the evidence for
every link, and keeps them:

- ``group(items, **options)``: ``socpress.corpus.Record``s or bare ``Article``s in, one
  ``Statement`` per statement out; every ``"ok"`` record is in exactly one;
- ``Statement``, ``Witness``, ``Link`` (a witness's evidence), ``Fingerprint``: frozen
  values with ``to_dict()`` / ``from_dict()``; ``json_schema()`` describes a statement's
  dict;
- ``fingerprint(article)``: what grouping compares, public so that pipelines can store and
  compare fingerprints without socpress; ``normalize(text)``: the words it compares.

Precision first: a wrong merge is worse than a missed link. ``docs/statements.md``
describes the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from socpress.statements._fingerprint import fingerprint, normalize
from socpress.statements._group import statements as _statements
from socpress.statements._store import Item, load
from socpress.statements._values import (
    RELATIONS,
    Fingerprint,
    Link,
    Relation,
    Statement,
    Witness,
    json_schema,
)
from socpress.statements._verify import Encoder, Options

__all__ = [
    "RELATIONS",
    "Encoder",
    "Fingerprint",
    "Link",
    "Relation",
    "Statement",
    "Witness",
    "fingerprint",
    "group",
    "json_schema",
    "normalize",
]


def group(
    items: Iterable[Item],
    *,
    window: int = 3,
    encoder: Encoder | None = None,
    encoder_threshold: float = 0.8,
    same_text: float = 0.5,
    contains: float = 0.5,
    edit: float = 0.3,
    anchors: int = 3,
    fingerprints: Sequence[Fingerprint | None] | None = None,
) -> Iterator[Statement]:
    """The statements of ``items`` (records or articles; records that are not ``"ok"``
    are left out), each with its witnesses, ordered by publication date then id.

    ``window``: days two publication dates may differ within one statement. ``encoder``: any
    callable mapping a list of texts to a list of vectors (a multilingual sentence-embedding
    model of your own); it only verifies candidate pairs in two languages that the anchors
    did not, at cosine ``encoder_threshold`` or more. ``same_text``, ``contains``, ``edit``:
    the estimated shingle Jaccard, containment and same-URL Jaccard the rules need.
    ``anchors``: strong anchors (numbers, dates, resolutions) two languages must share.
    ``fingerprints``: one per item (``None`` where the item is not ok), when they were
    computed elsewhere (``socpress.dask`` computes them on the workers); the same
    statements as without them.

    A sequence is indexed as it is; any other iterable is read once and its items kept in
    a temporary file until their statements are written out."""
    options = Options(
        window=window,
        same_text=same_text,
        contains=contains,
        edit=edit,
        anchors=anchors,
        encoder=encoder,
        encoder_threshold=encoder_threshold,
    )
    store = load(items, fingerprints)
    try:
        yield from _statements(store, options)
    finally:
        store.close()
