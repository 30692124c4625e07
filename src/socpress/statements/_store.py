"""Where grouping keeps its items and their fingerprints: compact columns, not an object per
record.

Per record: a few machine integers in ``array`` columns (the witness key's 64-bit order
value, the body's index, the URL key, publication and capture days, language, flags, title
hash). Per distinct body (captures of one page share it): the sketch, the paragraph hashes
and the anchors, in flat arrays with offsets. The items themselves stay where they were (a
sequence is indexed) or are spilled to a temporary file of pickles and read back, by offset,
when a statement is written out.
"""

from __future__ import annotations

import copyreg
import hashlib
import pickle
import tempfile
import types
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import attrs

from socpress import corpus
from socpress._model import Article
from socpress._site import layouts, urls
from socpress._site.editions import OWN_DOMAIN
from socpress.statements._fingerprint import (
    Prepared,
    build,
    hash64,
    shingle_hashes,
    title_hash,
    unpack,
)
from socpress.statements._values import Fingerprint, Link, Relation, Witness

Item = corpus.Record | Article

OWN = 1
"""Flag: the coalition's own site (its host, or without a URL a layout of its site)."""
LISTING = 2
"""Flag: an item of a listing page (a teaser)."""
SOC = 4
"""Flag: the article reads as the coalition's statement (``Article.is_soc``)."""
TRUNCATED = 8
"""Flag: a cut capture (``Provenance.truncated``)."""

_LAYOUTS = {layout.name: layout for layout in (*layouts.LAYOUTS, *layouts.LISTINGS.values())}


def witness_key(item: Item, article: Article, body: str) -> str:
    """``Witness.key``: hex BLAKE2b-128 of what names the item exactly."""
    if isinstance(item, corpus.Record):
        given = item.input
        parts = [
            "record",
            given.source,
            given.archive or "",
            given.member or "",
            str(given.offset),
            str(given.index),
            given.sha256 or "",
        ]
    else:
        p = article.provenance
        parts = ["article", p.source, p.sha256, article.url or "", article.title or "", body]
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def url_key(url: str | None) -> int:
    """64-bit hash of the page a URL names: scheme, ``www.``, a Wayback wrapper, a query, a
    trailing slash and a file suffix do not count; 0 without a URL."""
    if not url:
        return 0
    parts = urls.split_url(url)
    if parts is None or not parts.host:
        return 0
    host = parts.host.removeprefix("www.")
    path = parts.path.rstrip("/").casefold()
    for suffix in (".html", ".htm", ".php"):
        path = path.removesuffix(suffix)
    return hash64(f"{host}{path}") or 1


def flags_of(article: Article) -> int:
    layout = _LAYOUTS.get(article.provenance.layout)
    flags = 0
    if article.url:
        parts = urls.split_url(article.url)
        if parts is not None and (
            parts.host == OWN_DOMAIN or parts.host.endswith("." + OWN_DOMAIN)
        ):
            flags |= OWN
    elif layout is not None and layout.own_site:
        flags |= OWN
    if layout is not None and layout.listing:
        flags |= LISTING
    if article.is_soc:
        flags |= SOC
    if article.provenance.truncated:
        flags |= TRUNCATED
    return flags


def _day(value: object) -> int:
    return value.toordinal() if value is not None else 0  # type: ignore[attr-defined]


@attrs.define
class Store:
    """The compact columns of one grouping run (see the module docstring)."""

    languages: list[str] = attrs.field(factory=lambda: [""])
    order: array[int] = attrs.field(factory=lambda: array("Q"))
    order2: array[int] = attrs.field(factory=lambda: array("Q"))
    body: array[int] = attrs.field(factory=lambda: array("l"))
    url: array[int] = attrs.field(factory=lambda: array("Q"))
    published: array[int] = attrs.field(factory=lambda: array("l"))
    captured: array[int] = attrs.field(factory=lambda: array("l"))
    language: array[int] = attrs.field(factory=lambda: array("b"))
    flags: array[int] = attrs.field(factory=lambda: array("B"))
    title: array[int] = attrs.field(factory=lambda: array("Q"))
    bodies: dict[int, int] = attrs.field(factory=dict)
    minhash: array[int] = attrs.field(factory=lambda: array("Q"))
    minhash_at: array[int] = attrs.field(factory=lambda: array("l", [0]))
    shingles: array[int] = attrs.field(factory=lambda: array("l"))
    words: array[int] = attrs.field(factory=lambda: array("l"))
    lead: array[int] = attrs.field(factory=lambda: array("Q"))
    paragraphs: array[int] = attrs.field(factory=lambda: array("Q"))
    leads: array[int] = attrs.field(factory=lambda: array("Q"))
    tails: array[int] = attrs.field(factory=lambda: array("Q"))
    paragraphs_at: array[int] = attrs.field(factory=lambda: array("l", [0]))
    anchors: list[str] = attrs.field(factory=list)
    items: Sequence[Item] | None = None
    spill: IO[bytes] | None = None
    offsets: array[int] = attrs.field(factory=lambda: array("q"))
    positions: array[int] = attrs.field(factory=lambda: array("l"))
    pickler: pickle.Pickler | None = None
    exact: dict[int, set[int]] = attrs.field(factory=dict)
    raw: dict[int, int] = attrs.field(factory=dict)
    """64-bit hash of a body's paragraphs as they stand -> its index: a capture's body is
    looked up before it is normalized."""
    body_hex: list[str] = attrs.field(factory=list)

    def __len__(self) -> int:
        return len(self.order)

    def add(self, item: Item, article: Article, fp: Fingerprint | None, position: int) -> None:
        """Add one ok item; its fingerprint is computed here unless given, and only as far as
        its body is new (the captures of a page share one)."""
        body, index, title = self._body_of(article, fp)
        key = witness_key(item, article, body)
        self.order.append(int(key[:16], 16))
        self.order2.append(int(key[16:], 16))
        self.body.append(index)
        given = item.input.url if isinstance(item, corpus.Record) else None
        self.url.append(url_key(article.url or given))
        self.published.append(_day(article.published))
        self.captured.append(_day(article.provenance.captured))
        self.language.append(self._language(article.language))
        self.flags.append(flags_of(article))
        self.title.append(title or 0)
        self.positions.append(position)
        if self.spill is not None:
            self.offsets.append(self.spill.tell())
            self._pickler().dump(item)
            self._pickler().clear_memo()  # each item stands alone: read back by its offset

    def _body_of(self, article: Article, fp: Fingerprint | None) -> tuple[str, int, int | None]:
        """The article's body hash, its index (added when new) and its title hash. The same
        paragraphs are looked up as they stand before anything is normalized, and a body
        seen already is not fingerprinted again."""
        raw = hash64("\n".join(article.paragraphs))
        known = self.raw.get(raw) if fp is None else None
        if known is not None:  # the very same paragraphs: another capture of a page
            return self.body_hex[known], known, title_hash(article)
        if fp is None:
            prepared = Prepared(article)
            index = self.bodies.get(int(prepared.body[:16], 16))
            if index is not None:
                self.raw[raw] = index
                return prepared.body, index, title_hash(article)
            fp = build(article, prepared, with_simhash=False)
        index = self.bodies.get(int(fp.body[:16], 16))
        if index is None:
            index = self._add_body(fp, article)
            self.bodies[int(fp.body[:16], 16)] = index
        self.raw.setdefault(raw, index)
        return fp.body, index, fp.title

    def _language(self, code: str | None) -> int:
        if not code:
            return 0
        try:
            return self.languages.index(code)
        except ValueError:
            self.languages.append(code)
            return len(self.languages) - 1

    def _add_body(self, fp: Fingerprint, article: Article) -> int:
        self.minhash.extend(unpack(fp.minhash))
        self.minhash_at.append(len(self.minhash))
        self.shingles.append(fp.shingles)
        self.words.append(sum(len(p.split()) for p in article.paragraphs))
        self.lead.append(fp.lead)
        self.paragraphs.extend(unpack(fp.paragraphs))
        self.leads.extend(unpack(fp.leads))
        self.tails.extend(unpack(fp.tails))
        self.paragraphs_at.append(len(self.paragraphs))
        self.anchors.append("\n".join(fp.anchors))
        self.body_hex.append(fp.body)
        return len(self.shingles) - 1

    # --- reading back ---------------------------------------------------------------

    def sketch(self, body: int) -> bytes:
        return self.minhash[self.minhash_at[body] : self.minhash_at[body + 1]].tobytes()

    def body_paragraphs(self, body: int) -> tuple[array[int], array[int]]:
        start, end = self.paragraphs_at[body], self.paragraphs_at[body + 1]
        return self.paragraphs[start:end], self.leads[start:end]

    def body_tails(self, body: int) -> array[int]:
        return self.tails[self.paragraphs_at[body] : self.paragraphs_at[body + 1]]

    def body_anchors(self, body: int) -> set[str]:
        text = self.anchors[body]
        return set(text.split("\n")) if text else set()

    def item(self, record: int) -> Item:
        if self.items is not None:
            return self.items[self.positions[record]]
        assert self.spill is not None
        self.spill.seek(self.offsets[record])
        loaded: Item = pickle.load(self.spill)  # this run's own temporary file
        return loaded

    def _pickler(self) -> pickle.Pickler:
        if self.pickler is None:
            assert self.spill is not None
            self.pickler = pickle.Pickler(self.spill, protocol=pickle.HIGHEST_PROTOCOL)
            # An Article's provenance holds mapping proxies, which do not pickle by
            # themselves; this pickler alone writes them as the dicts they show.
            table = copyreg.dispatch_table.copy()
            table[types.MappingProxyType] = _proxy_reduce
            self.pickler.dispatch_table = table
        return self.pickler

    def shingle_set(self, record: int) -> set[int]:
        """The record's shingle hashes, computed again from its text (for the few candidate
        pairs a sketch cannot decide; the last ones asked for are kept)."""
        body = self.body[record]
        found = self.exact.get(body)
        if found is None:
            found = shingle_hashes(Prepared(self.article(record)).words)
            if len(self.exact) >= 64:
                self.exact.pop(next(iter(self.exact)))
            self.exact[body] = found
        return found

    def key(self, record: int) -> str:
        return f"{self.order[record]:016x}{self.order2[record]:016x}"

    def article(self, record: int) -> Article:
        article = article_of(self.item(record))
        assert article is not None  # only ok items were stored
        return article

    def witness(self, record: int, relation: Relation, link: Link) -> Witness:
        item = self.item(record)
        article = article_of(item)
        assert article is not None
        return Witness(
            input=item.input if isinstance(item, corpus.Record) else None,
            article=article,
            relation=relation,
            evidence=link,
            key=self.key(record),
        )

    def close(self) -> None:
        if self.spill is not None:
            self.spill.close()


def article_of(item: Item) -> Article | None:
    """The article of an ``"ok"`` record or a bare article; ``None`` for other records."""
    if isinstance(item, Article):
        return item
    return item.article if item.status == "ok" else None


_MISSING: Any = object()


def proxy(mapping: dict[str, Any]) -> types.MappingProxyType[str, Any]:
    """A mapping proxy again, as the spill file is read back."""
    return types.MappingProxyType(mapping)


def _proxy_reduce(value: types.MappingProxyType[str, Any]) -> tuple[Any, tuple[dict[str, Any]]]:
    return proxy, (dict(value),)


def load(items: Iterable[Item], fingerprints: Iterable[Fingerprint | None] | None = None) -> Store:
    """Fingerprint every ok item into a new ``Store`` (a sequence is kept and indexed; any
    other iterable is spilled to a temporary file). ``fingerprints``, when given, holds one
    per item (``None`` for an item that is not ok), computed elsewhere (``socpress.dask``)."""
    store = Store()
    if isinstance(items, Sequence):
        store.items = items
    else:
        # Closed by Store.close, after the statements are written out.
        store.spill = tempfile.TemporaryFile(prefix="socpress-statements-")  # noqa: SIM115
    given: Iterator[Fingerprint | None] | None = (
        None if fingerprints is None else iter(fingerprints)
    )
    for position, item in enumerate(items):
        fp = None if given is None else next(given, _MISSING)
        if fp is _MISSING:
            raise ValueError("fewer fingerprints than items: give one per item (None if not ok)")
        article = article_of(item)
        if article is None:
            continue
        store.add(item, article, fp, position)
    return store


__all__ = ["LISTING", "OWN", "SOC", "TRUNCATED", "Item", "Store", "article_of", "load"]
