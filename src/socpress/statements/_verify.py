"""Verification: the rules that link two pages, each from what the store keeps of them.

A candidate pair is linked only when one rule verifies it (``Found.rule`` becomes the
witness's ``Link.rule``); the rules, their thresholds and why are in ``docs/statements.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import attrs

from socpress.statements._fingerprint import estimate, strong
from socpress.statements._store import OWN, SOC, TRUNCATED, Store

Encoder = Callable[[Sequence[str]], Sequence[Sequence[float]]]

MIN_SHARED = 40
"""Shingles (about three sentences) two texts must share for one to hold the other."""


@attrs.frozen(kw_only=True)
class Options:
    """The options of ``group``."""

    window: int = 3
    """Days two publication dates may differ for their pages to be one statement."""
    same_text: float = 0.5
    """Estimated shingle Jaccard at or above which two texts in one language are one."""
    contains: float = 0.5
    """Estimated containment at or above which one text holds the other (a republication
    that adds to or cuts the statement)."""
    edit: float = 0.3
    """Jaccard at or above which a capture of the same URL is an edit, not another page."""
    anchors: int = 3
    """Strong anchors two texts in two languages must share, without an encoder."""
    encoder: Encoder | None = None
    """Texts to vectors; verifies cross-language candidates (cosine at ``encoder_threshold``)."""
    encoder_threshold: float = 0.8


class Found(NamedTuple):
    """A verified link: its rule and score. The anchors both sides share are read again
    (``matched``) only for the links a statement keeps: a corpus has many more links."""

    rule: str
    score: float


_ANCHOR_RULES = {
    "shared-anchors": "strong",
    "encoder": "strong",
    "same-text": "all",
    "contains-text": "all",
}


def matched(store: Store, a: int, b: int, rule: str) -> tuple[str, ...]:
    """The anchors records ``a`` and ``b`` share, as evidence of a link by ``rule``: the
    strong ones for a link across languages, all but the URL slugs for one in a language,
    none for the rules that compare whole texts or paragraphs."""
    kind = _ANCHOR_RULES.get(rule)
    if kind is None:
        return ()
    left, right = store.body_anchors(store.body[a]), store.body_anchors(store.body[b])
    if kind == "strong":
        return tuple(sorted(strong(left) & strong(right)))
    return tuple(sorted(x for x in left & right if not x.startswith("slug:")))


def prefix(store: Store, short: int, long: int) -> bool:
    """Whether the body of record ``short`` opens that of ``long``: its paragraphs all equal,
    the last one perhaps cut (its opening words equal) when ``short`` is a cut capture."""
    paras, leads = store.body_paragraphs(store.body[short])
    long_paras, long_leads = store.body_paragraphs(store.body[long])
    if not paras or len(paras) > len(long_paras):
        return False
    last = len(paras) - 1
    if paras[:last] != long_paras[:last]:
        return False
    if paras[last] == long_paras[last]:
        return True
    return bool(store.flags[short] & TRUNCATED) and leads[last] == long_leads[last]


def paragraphs(store: Store, record: int) -> int:
    body = store.body[record]
    return store.paragraphs_at[body + 1] - store.paragraphs_at[body]


def dates_agree(store: Store, a: int, b: int, options: Options) -> bool:
    pa, pb = store.published[a], store.published[b]
    return not (pa and pb and abs(pa - pb) > options.window)


def verify(store: Store, a: int, b: int, options: Options) -> Found | None:
    """The rule linking records ``a`` and ``b`` (each a document's first record), or ``None``."""
    ba, bb = store.body[a], store.body[b]
    if ba == bb and store.words[ba] >= 8:
        return Found("same-body", 1.0)
    short = a if prefix(store, a, b) else b if prefix(store, b, a) else None
    if short is not None and store.title[a] and store.title[a] == store.title[b]:
        return Found("same-title-prefix", 1.0)
    if short is not None and paragraphs(store, short) >= 2:
        # Two paragraphs or more, word for word, open the other: a copy cut short (a
        # republication without the end). One shared paragraph is an opening formula.
        return Found("same-text-prefix", 1.0)
    la, lb = store.languages[store.language[a]], store.languages[store.language[b]]
    anchors_a, anchors_b = store.body_anchors(ba), store.body_anchors(bb)
    strong_a, strong_b = strong(anchors_a), strong(anchors_b)
    shared = tuple(sorted(strong_a & strong_b))
    if la and lb and la != lb:
        # A translation carries the statement's figures, all of them: most (0.6) of the
        # two sides' strong anchors together must be shared. (Two statements of one day
        # that both recite the same casualty figures share those, and differ in the rest.)
        overlap = len(shared) / len(strong_a | strong_b) if shared else 0.0
        if _weight(shared) >= options.anchors and overlap >= ANCHOR_OVERLAP:
            return Found("shared-anchors", round(overlap, 4))
        return None
    if strong_a - strong_b and strong_b - strong_a:
        return None  # each has numbers the other lacks: a template reused, not a copy
    if _only_wholeparagraphs(store, a, b):
        return None
    jaccard, ca, cb = _similarity(store, a, b, options)
    if jaccard >= options.same_text:
        return Found("same-text", round(jaccard, 4))
    held = max(ca, cb)
    inner = a if ca >= cb else b
    shared_shingles = held * store.shingles[store.body[inner]]
    # One shared paragraph (an opening formula, a quoted sentence) is not a republication:
    # the shared text must run to a few sentences, or be nearly all of a text of several
    # paragraphs (a short copy, lightly edited).
    enough = shared_shingles >= MIN_SHARED or (held >= 0.8 and paragraphs(store, inner) >= 2)
    if held >= options.contains and min(ca, cb) >= 0.1 and enough:
        names_a = {x for x in anchors_a if x.startswith("name:")}
        names_b = {x for x in anchors_b if x.startswith("name:")}
        if names_a and names_b and not names_a & names_b:
            return None
        return Found("contains-text", round(max(ca, cb), 4))
    return None


ANCHOR_OVERLAP = 0.6
"""Share of two languages' strong anchors (shared over all) a translation must reach."""
BORDER = 0.15
"""How near a threshold a sketch's estimate must fall for the texts to be measured exactly."""


def _similarity(store: Store, a: int, b: int, options: Options) -> tuple[float, float, float]:
    """Jaccard and both containments of two records' shingles: estimated from the sketches,
    and measured exactly on the two texts when the estimate falls near a threshold (a
    64-value sketch errs by about 0.06, and a link decided by noise is not verified)."""
    ba, bb = store.body[a], store.body[b]
    found = estimate(store.sketch(ba), store.sketch(bb), store.shingles[ba], store.shingles[bb])
    jaccard, ca, cb = found
    near = abs(jaccard - options.same_text) < BORDER or abs(max(ca, cb) - options.contains) < BORDER
    if not near:
        return found
    left, right = store.shingle_set(a), store.shingle_set(b)
    if not left or not right:
        return found
    both = len(left & right)
    return both / len(left | right), both / len(left), both / len(right)


def _only_wholeparagraphs(store: Store, a: int, b: int) -> bool:
    """Whether two texts share whole paragraphs and nothing else: each has paragraphs the
    other lacks, and none of those opens or ends as one of the other's. A banner paragraph on
    every page of a site, a meeting's opening formula, a passage both quote: furniture, not
    one statement. (A copy that edits a paragraph keeps its opening or its closing words.)"""
    paras_a, leads_a = store.body_paragraphs(store.body[a])
    paras_b, leads_b = store.body_paragraphs(store.body[b])
    common = set(paras_a) & set(paras_b)
    if not common:
        return False
    tails_a, tails_b = store.body_tails(store.body[a]), store.body_tails(store.body[b])
    rest_a = {
        e
        for p, lead, tail in zip(paras_a, leads_a, tails_a, strict=True)
        if p not in common
        for e in ((0, lead), (1, tail))
    }
    rest_b = {
        e
        for p, lead, tail in zip(paras_b, leads_b, tails_b, strict=True)
        if p not in common
        for e in ((0, lead), (1, tail))
    }
    return bool(rest_a) and bool(rest_b) and not rest_a & rest_b


def _weight(shared: Sequence[str]) -> int:
    """How many shared strong anchors count: the UN resolutions the coalition cites in
    statement after statement (2254, 2118) count once together, whichever they are."""
    resolutions = sum(1 for a in shared if a.startswith("resolution:"))
    return len(shared) - resolutions + min(resolutions, 1)


def quoted(store: Store, hub: int, other: int) -> bool:
    """Whether ``other`` (another site's text that does not read as the coalition's) is only
    held inside the hub's text: the hub quotes it; it is not the hub's republication."""
    if store.flags[other] & (OWN | SOC):
        return False
    bh, bo = store.body[hub], store.body[other]
    _, other_in_hub, hub_in_other = estimate(
        store.sketch(bo), store.sketch(bh), store.shingles[bo], store.shingles[bh]
    )
    return other_in_hub >= 0.5 and hub_in_other < 0.5


def cosine(u: Sequence[float], v: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(u, v, strict=True))
    norm = math.sqrt(sum(x * x for x in u)) * math.sqrt(sum(y * y for y in v))
    return dot / norm if norm else 0.0


__all__ = [
    "Encoder",
    "Found",
    "Options",
    "cosine",
    "dates_agree",
    "matched",
    "paragraphs",
    "prefix",
    "quoted",
    "verify",
]
