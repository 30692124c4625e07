"""The account invariant: every non-blank input character is claimed or removed."""

from __future__ import annotations

from socpress import Article


def unaccounted(text: str, *articles: Article) -> list[tuple[int, str]]:
    """Offsets and characters of non-blank input no span of evidence or removal covers
    (over all the articles a page gave: a listing's items share the page)."""
    covered = bytearray(len(text) + 1)
    spans = []
    for article in articles:
        prov = article.provenance
        spans += [span for ev in prov.fields.values() for span in ev.spans]
        spans += [r.span for r in prov.removed if r.span is not None]
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    return [(i, ch) for i, ch in enumerate(text) if not covered[i] and not ch.isspace()]


def removed_inside_body(article: Article) -> list[tuple[int, int]]:
    """Removal spans that overlap a body paragraph's span."""
    body = article.provenance.fields.get("paragraphs")
    if body is None:
        return []
    bad = []
    for removal in article.provenance.removed:
        if removal.span is None:
            continue
        lo, hi = removal.span
        if any(lo < p_hi and p_lo < hi for p_lo, p_hi in body.spans):
            bad.append(removal.span)
    return bad
