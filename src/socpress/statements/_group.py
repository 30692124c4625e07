"""Grouping: records to documents (one page, its captures), documents to statements.

1. **Documents.** Records of one URL (not listing items) are one page: a record joins the
   page whose first capture it matches (the same body, a prefix of it: a cut capture, or an
   edit of it), else it starts a page of its own (the URL was reused).
2. **Candidates.** Each document is blocked under a few keys (its title, body, opening
   words, the smallest values of its MinHash, its strong anchors); documents sharing a key
   whose publication dates are within ``window`` days are candidates. A key more than
   ``MAX_BLOCK`` documents share is site furniture (a banner) and blocks nothing.
3. **Verification.** A candidate pair is linked only when a rule verifies it: the same
   body; one a prefix of the other under the same title; shingle similarity or containment
   in one language (with the strong anchors agreeing, so a template reused with other
   numbers stays apart); in two languages, strong anchors shared (numbers, dates,
   resolutions), or the ``encoder``'s cosine.
4. **Stars, not chains.** The coalition's own pages are hubs, taken in canonical order:
   a hub joins the best verified earlier hub that is a root, so every hub of a statement
   is verified against its root directly. Other sites' documents join their best
   verified hub (or, without one, a root among them); a listing item joins the one
   statement it verifies against, and none when it verifies against two. Nothing is ever
   joined through a chain of weak links.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import attrs

from socpress.statements._fingerprint import LEAD_WORDS, estimate, hash64, strong
from socpress.statements._store import LISTING, OWN, TRUNCATED, Store
from socpress.statements._values import RELATIONS, Link, Relation, Statement, Witness
from socpress.statements._verify import (
    Encoder,
    Found,
    Options,
    cosine,
    dates_agree,
    matched,
    prefix,
    quoted,
    verify,
)

MAX_BLOCK = 48
"""Documents one blocking key may hold before it counts as site furniture."""
_LANGUAGE_RANK = {"ar": 0, "en": 1, "tr": 2, "ku": 3}
_FAR = 1 << 30


class Doc(NamedTuple):
    records: list[int]
    """Its records, the first capture first."""
    relations: list[tuple[Relation, Link]]
    """Per record after the first: its relation within the page and its link."""


def _order(store: Store, record: int) -> tuple[int, int, int]:
    captured = store.captured[record] or _FAR
    return (captured, store.order[record], record)


def _canonical_order(store: Store, record: int) -> tuple[int, ...]:
    lang = store.languages[store.language[record]]
    flags = store.flags[record]
    return (
        0 if flags & OWN else 1,
        flags & LISTING,
        store.published[record] or _FAR,
        _LANGUAGE_RANK.get(lang, 9),
        store.captured[record] or _FAR,
        flags & TRUNCATED,
        store.order[record],
    )


# --- 1. documents ----------------------------------------------------------------------


def _same_page(store: Store, base: int, rec: int, options: Options) -> tuple[Relation, Link] | None:
    b, r = store.body[base], store.body[rec]
    if b == r:
        return "capture", Link(rule="same-body", score=1.0)
    bp, rp = store.body_paragraphs(b), store.body_paragraphs(r)
    if prefix(store, rec, base) or prefix(store, base, rec):
        return "capture", Link(rule="same-url-prefix", score=1.0)
    jaccard, _, _ = estimate(store.sketch(b), store.sketch(r), store.shingles[b], store.shingles[r])
    shared = set(bp[0]) & set(rp[0])
    if jaccard >= options.edit or 2 * len(shared) >= min(len(bp[0]), len(rp[0])) > 0:
        changed = tuple(i for i, h in enumerate(rp[0]) if h not in set(bp[0]))
        return "edit", Link(rule="same-url-edited", score=round(jaccard, 4), changed=changed)
    return None


def documents(store: Store, options: Options) -> list[Doc]:
    by_url: dict[int, list[int]] = defaultdict(list)
    docs: list[Doc] = []
    for record in range(len(store)):
        if store.url[record] and not store.flags[record] & LISTING:
            by_url[store.url[record]].append(record)
        else:
            docs.append(Doc([record], []))
    for key in sorted(by_url):
        records = sorted(by_url[key], key=lambda r: _order(store, r))
        pages: list[Doc] = []
        for record in records:
            for page in pages:
                found = _same_page(store, page.records[0], record, options)
                if found is not None:
                    page.records.append(record)
                    page.relations.append((found[0], found[1]))
                    break
            else:
                pages.append(Doc([record], []))
        docs.extend(pages)
    docs.sort(key=lambda d: _canonical_order(store, d.records[0]))
    return docs


# --- 2. candidates ---------------------------------------------------------------------


_DOC_BITS = 24
"""Bits of a posting that hold the document (16 million documents); the key has the rest."""


def _keys(store: Store, record: int) -> set[int]:
    """The blocking keys of a document, 40-bit and the same in every process (a collision
    only adds a candidate, which verification then refuses)."""
    body = store.body[record]
    values = [f"b{body}"]
    if store.title[record]:
        values.append(f"t{store.title[record]}")
    if store.words[body] >= LEAD_WORDS and store.lead[body]:
        values.append(f"l{store.lead[body]}")
    sketch = store.minhash[store.minhash_at[body] : store.minhash_at[body + 1]]
    values.extend(f"m{v}" for v in sketch[:4])
    values.extend(f"a{a}" for a in strong(store.body_anchors(body)))
    return {hash64(v) >> _DOC_BITS for v in values}


_SHARDS = 16
"""Postings are sorted a sixteenth at a time (by key), so that only one shard is ever a
list of Python integers."""


def candidates(store: Store, docs: Sequence[Doc], options: Options) -> array[int]:
    """Pairs of documents (``a << 24 | b``, ``a < b``, ascending) sharing a blocking key,
    dated within the window. Postings are one integer each (key, then document) in
    ``array`` shards: no object per posting."""
    shards = [array("Q") for _ in range(_SHARDS)]
    for index, doc in enumerate(docs):
        for key in _keys(store, doc.records[0]):
            shards[key % _SHARDS].append(key << _DOC_BITS | index)
    mask = (1 << _DOC_BITS) - 1
    pairs = array("Q")
    while shards:
        postings = sorted(shards.pop())
        start = 0
        while start < len(postings):
            key = postings[start] >> _DOC_BITS
            end = start + 1
            while end < len(postings) and postings[end] >> _DOC_BITS == key:
                end += 1
            if 1 < end - start <= MAX_BLOCK:
                members = [p & mask for p in postings[start:end]]
                for i, a in enumerate(members):
                    for b in members[i + 1 :]:
                        if dates_agree(store, docs[a].records[0], docs[b].records[0], options):
                            pairs.append(a << _DOC_BITS | b)
            start = end
        del postings
    if options.encoder is not None:
        pairs.extend(a << _DOC_BITS | b for a, b in _dated_pairs(store, docs, options))
    return array("Q", sorted(set(pairs)))


def _dated_pairs(store: Store, docs: Sequence[Doc], options: Options) -> set[tuple[int, int]]:
    """For the encoder: documents in two languages published within the window, whatever
    they share (a translation may share no anchor at all); at most ``MAX_BLOCK`` neighbours
    each."""
    dated = sorted(
        (store.published[doc.records[0]], d)
        for d, doc in enumerate(docs)
        if store.published[doc.records[0]] and store.language[doc.records[0]]
    )
    pairs: set[tuple[int, int]] = set()
    for i, (day, a) in enumerate(dated):
        for other_day, b in dated[i + 1 : i + 1 + MAX_BLOCK]:
            if other_day - day > options.window:
                break
            if store.language[docs[a].records[0]] != store.language[docs[b].records[0]]:
                pairs.add((min(a, b), max(a, b)))
    return pairs


def _text(store: Store, record: int) -> str:
    article = store.article(record)
    return "\n".join([article.title or "", *article.paragraphs])[:4000]


def _encoded(
    store: Store, docs: Sequence[Doc], pairs: Sequence[tuple[int, int]], options: Options
) -> dict[tuple[int, int], Found]:
    """Cross-language candidates the anchors did not verify, verified by the encoder."""
    encoder = options.encoder
    if encoder is None or not pairs:
        return {}
    wanted = sorted({d for pair in pairs for d in pair})
    vectors = dict(
        zip(wanted, encoder([_text(store, docs[d].records[0]) for d in wanted]), strict=True)
    )
    found: dict[tuple[int, int], Found] = {}
    for a, b in pairs:
        ra, rb = docs[a].records[0], docs[b].records[0]
        score = cosine(vectors[a], vectors[b])
        shared = strong(store.body_anchors(store.body[ra])) & strong(
            store.body_anchors(store.body[rb])
        )
        both_dated = store.published[ra] and store.published[rb]
        if score >= options.encoder_threshold and (shared or both_dated):
            found[(a, b)] = Found("encoder", round(min(score, 1.0), 4))
    return found


_RULES = (
    "same-body",
    "same-title-prefix",
    "same-text-prefix",
    "same-text",
    "contains-text",
    "shared-anchors",
    "encoder",
)


class Links:
    """Every verified link, compactly: parallel arrays (the two documents, the rule's
    index in ``_RULES``, the score) and, per document, the indices of its links."""

    def __init__(self, count: int) -> None:
        self.a, self.b = array("l"), array("l")
        self.rule, self.score = array("B"), array("d")
        self.count = count
        self.at = array("l")
        self.index = array("l")

    def add(self, a: int, b: int, found: Found) -> None:
        self.a.append(a)
        self.b.append(b)
        self.rule.append(_RULES.index(found.rule))
        self.score.append(found.score)

    def finish(self) -> None:
        """Index the links by document (both ends), in link order."""
        degree = array("l", bytes(8 * (self.count + 1)))
        for end in (self.a, self.b):
            for d in end:
                degree[d + 1] += 1
        for d in range(self.count):
            degree[d + 1] += degree[d]
        self.at = array("l", degree)
        self.index = array("l", bytes(8 * degree[self.count]))
        fill = array("l", degree)
        for n in range(len(self.a)):
            for d in (self.a[n], self.b[n]):
                self.index[fill[d]] = n
                fill[d] += 1

    def of(self, d: int) -> list[tuple[int, Found]]:
        """The documents ``d`` is linked to, each with the link's rule and score."""
        out = []
        for n in self.index[self.at[d] : self.at[d + 1]]:
            other = self.b[n] if self.a[n] == d else self.a[n]
            out.append((other, Found(_RULES[self.rule[n]], round(self.score[n], 4))))
        return out


def links(store: Store, docs: Sequence[Doc], options: Options) -> Links:
    """Every verified link between documents."""
    out = Links(len(docs))
    unverified: list[tuple[int, int]] = []
    mask = (1 << _DOC_BITS) - 1
    for pair in candidates(store, docs, options):
        a, b = pair >> _DOC_BITS, pair & mask
        ra, rb = docs[a].records[0], docs[b].records[0]
        found = verify(store, ra, rb, options)
        if found is None:
            la, lb = store.language[ra], store.language[rb]
            if options.encoder is not None and la and lb and la != lb:
                unverified.append((a, b))
            continue
        out.add(a, b, found)
    for (a, b), found in sorted(_encoded(store, docs, unverified, options).items()):
        out.add(a, b, found)
    out.finish()
    return out


# --- 4. stars --------------------------------------------------------------------------


class Joined(NamedTuple):
    root: int
    target: int
    found: Found


def _best(
    options: list[tuple[int, Found]], docs: Sequence[Doc], store: Store
) -> tuple[int, Found] | None:
    if not options:
        return None
    return min(options, key=lambda o: (-o[1].score, store.order[docs[o[0]].records[0]], o[0]))


def stars(store: Store, docs: Sequence[Doc], options: Options) -> dict[int, Joined]:
    """Which document joins which: ``joined[d]`` names the root and the document ``d`` was
    verified against; roots are absent."""
    linked = links(store, docs, options)
    joined: dict[int, Joined] = {}
    hubs = [d for d in range(len(docs)) if _kind(store, docs[d]) == "hub"]
    for d in hubs:  # docs are in canonical order: an earlier document has a lower index
        earlier = [
            (o, f)
            for o, f in linked.of(d)
            if _kind(store, docs[o]) == "hub" and o < d and o not in joined
        ]
        best = _best(earlier, docs, store)
        if best is not None:
            joined[d] = Joined(best[0], best[0], best[1])
    for d in range(len(docs)):
        if _kind(store, docs[d]) != "other":
            continue
        rd = docs[d].records[0]
        verified = [
            (o, f)
            for o, f in linked.of(d)
            if _kind(store, docs[o]) == "hub" and not quoted(store, docs[o].records[0], rd)
        ]
        best = _best(verified, docs, store)
        if best is None:
            earlier = [
                (o, f)
                for o, f in linked.of(d)
                if _kind(store, docs[o]) == "other" and o < d and o not in joined
            ]
            best = _best(earlier, docs, store)
        if best is not None:
            target = best[0]
            joined[d] = Joined(joined[target].root if target in joined else target, target, best[1])
    _teasers(store, docs, options, joined)
    return joined


def _kind(store: Store, doc: Doc) -> str:
    flags = store.flags[doc.records[0]]
    if flags & LISTING:
        return "teaser"
    return "hub" if flags & OWN else "other"


def _teasers(
    store: Store, docs: Sequence[Doc], options: Options, joined: dict[int, Joined]
) -> None:
    """A listing item joins the one statement whose text it opens (or whose title it
    carries); none when two statements would take it."""
    by_lead: dict[int, list[int]] = defaultdict(list)
    by_title: dict[int, list[int]] = defaultdict(list)
    for d, doc in enumerate(docs):
        if _kind(store, doc) == "teaser":
            continue
        r = doc.records[0]
        by_lead[store.lead[store.body[r]]].append(d)
        if store.title[r]:
            by_title[store.title[r]].append(d)
    for d, doc in enumerate(docs):
        if _kind(store, doc) != "teaser":
            continue
        r = doc.records[0]
        found: list[tuple[int, Found]] = []
        body = store.body[r]
        if store.words[body] >= LEAD_WORDS:
            found += [(o, Found("teaser-lead", 1.0)) for o in by_lead.get(store.lead[body], [])]
        if store.title[r]:
            found += [(o, Found("teaser-title", 1.0)) for o in by_title.get(store.title[r], [])]
        found = [(o, f) for o, f in found if dates_agree(store, r, docs[o].records[0], options)]
        roots = {joined[o].root if o in joined else o for o, _ in found}
        if len(roots) == 1:
            best = _best(found, docs, store)
            assert best is not None
            joined[d] = Joined(roots.pop(), best[0], best[1])


# --- statements ------------------------------------------------------------------------


def statements(store: Store, options: Options) -> Iterator[Statement]:
    docs = documents(store, options)
    joined = stars(store, docs, options)
    members: dict[int, list[int]] = defaultdict(list)
    for d in range(len(docs)):
        members[joined[d].root if d in joined else d].append(d)
    # Ordered from the columns, then built one at a time: only the statement being yielded
    # holds its witnesses' articles (read back from the spill file), never the whole corpus.
    order = sorted(members, key=lambda root: _position(store, docs, root, members[root]))
    for root in order:
        yield _statement(store, docs, joined, root, members.pop(root))


def _statement_id(key: str) -> str:
    return "st-" + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def _position(store: Store, docs: Sequence[Doc], root: int, group: list[int]) -> tuple[int, str]:
    """Where a statement comes in the output: by its ``published`` date (none last), then
    its id; as ``Statement.published`` and ``Statement.id`` will be."""
    head = docs[root].records[0]
    published = store.published[head] or min(
        (store.published[r] for d in group for r in docs[d].records if store.published[r]),
        default=_FAR,
    )
    return published, _statement_id(store.key(head))


def _statement(
    store: Store, docs: Sequence[Doc], joined: dict[int, Joined], root: int, group: list[int]
) -> Statement:
    keys = {d: store.key(docs[d].records[0]) for d in group}
    canonical_record = docs[root].records[0]
    canonical_language = store.languages[store.language[canonical_record]]
    witnesses: list[Witness] = []
    for d in group:
        doc = docs[d]
        head = doc.records[0]
        if d == root:
            relation: Relation = "canonical"
            link = Link(rule="canonical", score=1.0)
        else:
            j = joined[d]
            relation = _relation(store, docs, d, canonical_language)
            link = Link(
                rule=j.found.rule,
                score=j.found.score,
                anchors=matched(store, head, docs[j.target].records[0], j.found.rule),
                target=keys[j.target],
            )
        witnesses.append(store.witness(head, relation, link))
        for record, (inner, inner_link) in zip(doc.records[1:], doc.relations, strict=True):
            inner_relation = inner if relation in ("canonical", "capture") else relation
            witnesses.append(
                store.witness(record, inner_relation, attrs.evolve(inner_link, target=keys[d]))
            )
    # The root's first record is the one "canonical" witness, so it sorts first.
    witnesses.sort(key=lambda w: (RELATIONS.index(w.relation), w.key))
    first = witnesses[0]
    captured = [w.article.provenance.captured for w in witnesses if w.article.provenance.captured]
    published = first.article.published or min(
        (w.article.published for w in witnesses if w.article.published), default=None
    )
    return Statement(
        id=_statement_id(first.key),
        canonical=first,
        witnesses=tuple(witnesses),
        published=published,
        languages=tuple(sorted({w.article.language for w in witnesses if w.article.language})),
        first_captured=min(captured, default=None),
        last_captured=max(captured, default=None),
    )


def _relation(store: Store, docs: Sequence[Doc], d: int, canonical_language: str) -> Relation:
    head = docs[d].records[0]
    kind = _kind(store, docs[d])
    if kind == "teaser":
        return "teaser"
    if kind == "other":
        return "republication"
    language = store.languages[store.language[head]]
    return (
        "edition"
        if language and canonical_language and language != canonical_language
        else "capture"
    )


__all__ = ["Encoder", "Options", "statements"]
