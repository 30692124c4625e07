"""Pages no coalition layout claims: the coalition's chrome rules never take a generic page's
body, and the main-content stage keeps the article and removes the rest, each removal with
its rule. Pages are built here, in the test, from a few generic shapes."""

from __future__ import annotations

import socpress

LOREM = (
    "The council met on Tuesday to discuss the new budget for the coming year, and its members "
    "agreed after a long debate that the schools of the district would receive more money."
)


def _page(body: str, *, head: str = "<title>Budget agreed - Daily Courier</title>") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def _paragraphs(data: bytes) -> tuple[str, ...]:
    return socpress.load_article(data).paragraphs


def test_a_paragraph_that_starts_with_copyright_is_body_on_a_generic_page() -> None:
    long_copyright = (
        "Copyright disputes between the studio and its streaming partners were settled this "
        "week, the company said, ending a quarrel that had kept the series off the service. "
        + LOREM
    )
    data = _page(
        f"<h1>Budget agreed</h1><p>{LOREM}</p><p>{long_copyright}</p><p>{LOREM} Again.</p>"
        "<footer><p>© 2024 Daily Courier</p></footer>"
    )
    article = socpress.load_article(data)
    assert long_copyright in article.paragraphs
    assert f"{LOREM} Again." in article.paragraphs
    removed = [r for r in article.provenance.removed if r.rule == "copyright"]
    assert all(len(r.text) <= 100 for r in removed)


def test_an_image_credit_before_the_body_does_not_end_it() -> None:
    data = _page(
        "<h1>Budget agreed</h1><figure><figcaption>© Reuters</figcaption></figure>"
        f"<p>{LOREM}</p><p>Tags: are what the council calls its budget lines, said one.</p>"
        f"<p>{LOREM} The end.</p>"
    )
    paragraphs = _paragraphs(data)
    assert LOREM in paragraphs
    assert f"{LOREM} The end." in paragraphs
    assert "© Reuters" not in paragraphs


def test_a_search_widget_line_removes_itself_only() -> None:
    data = _page(
        "<div><p>Menu</p><p>Search</p></div>"
        '<h2 class="entry-title">Budget agreed</h2>'
        f"<p>{LOREM}</p><p>{LOREM} More.</p>"
    )
    article = socpress.load_article(data)
    assert LOREM in article.paragraphs
    searched = [r.text for r in article.provenance.removed if r.rule == "search-widget"]
    assert searched == ["Search"]
