"""Republications and other sites' listings, through the public API (issue 16): where a
republisher's body starts and ends, whether it is the coalition's statement, and another
site's tag or category page read as a listing, on text and HTML alike."""

from __future__ import annotations

from pathlib import Path

import pytest

import socpress
from socpress.errors import NotAnArticleError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize(
    "name", ["text/listing-archive-other-site.txt", "html/listing-archive-other-site.html"]
)
def test_another_sites_tag_or_category_page_is_a_listing(name: str) -> None:
    path = FIXTURES / name
    with pytest.raises(NotAnArticleError) as refused:
        socpress.load_article(path)
    assert refused.value.kind == "listing"
    items = socpress.load_articles(path)
    assert [i.title for i in items] == [
        "SOC President Meets Turkish Foreign Minister in Ankara",
        "SOC Condemns Assad Regime Shelling of Idlib Countryside",
        "Syrian Coalition Calls for Release of Detainees",
    ]
    assert [str(i.published) for i in items] == ["2021-03-05", "2021-03-03", "2021-02-27"]
    assert {i.provenance.layout for i in items} == {"listing-archive"}
    for item in items:
        assert len(item.paragraphs) == 1
        assert "read-more" in {r.rule for r in item.provenance.removed}


def test_a_posted_on_date_line_dates_a_listing_item() -> None:
    text = (
        "Category Archives: Syria\n"
        "Coalition Meets Envoy in Geneva\n"
        "Posted on June 2, 2022 by admin\n"
        "The coalition's delegation met the UN envoy in Geneva on Thursday to discuss the talks.\n"
        "Coalition Condemns Shelling of Idlib\n"
        "Posted on June 1, 2022 by admin\n"
        "The coalition condemned the shelling of Idlib by the regime's forces on Wednesday night.\n"
        "Older posts\n"
    )
    items = socpress.load_articles(text.encode())
    assert [str(i.published) for i in items] == ["2022-06-02", "2022-06-01"]
    assert items[-1].text.endswith("Wednesday night.")


def test_an_article_whose_tags_line_closes_it_is_no_listing() -> None:
    text = (
        "Coalition Meets Envoy in Geneva\n"
        "June 2, 2022\n"
        "The coalition's delegation met the UN envoy in Geneva on Thursday to discuss the talks.\n"
        "The delegation stressed the need to implement Resolution 2254 in full.\n"
        "Tags: Geneva, UN\n"
    )
    article = socpress.load_article(text.encode())
    assert article.title == "Coalition Meets Envoy in Geneva"
