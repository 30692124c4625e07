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


def _both(name: str) -> list[socpress.Article]:
    return [
        socpress.load_article(FIXTURES / "text" / f"{name}.txt"),
        socpress.load_article(FIXTURES / "html" / f"{name}.html"),
    ]


def test_a_credited_republication_ends_before_its_related_posts() -> None:
    for article in _both("republication-related-posts"):
        assert article.is_soc is True
        assert article.provenance.fields["is_soc"].rule == "source-line"
        assert article.title == "SOC Condemns Assad Regime Shelling of Idlib Countryside"
        assert article.paragraphs[0].startswith("The Syrian Opposition Coalition (SOC) condemned")
        assert article.text.endswith("commit further massacres.")
        assert article.attribution == "SOC’s Media Department"
        removed = {r.rule for r in article.provenance.removed}
        assert "related-posts" in removed
        assert not any("Azaz" in p for p in article.paragraphs)


def test_a_said_in_a_statement_report_is_not_the_coalitions() -> None:
    for article in _both("report-said-in-statement"):
        assert article.is_soc is False
        assert not any("refugee conference" in p and len(p) < 60 for p in article.paragraphs)
        assert article.text.endswith("would not attend.")


def test_a_quoted_press_release_is_the_coalitions_and_its_intro_a_summary() -> None:
    for article in _both("republication-quoted-release"):
        assert article.is_soc is True
        assert article.release is not None
        assert article.release.kind == "Press release"
        assert str(article.release.dated) == "2020-04-28"
        assert article.summary == (
            "The Syrian Opposition Coalition issued the following press release on Tuesday:"
        )
        assert article.paragraphs[0].startswith("The terrorist bombing")
    text = socpress.load_article(FIXTURES / "text" / "republication-quoted-release.txt")
    assert text.provenance.fields["summary"].rule == "release-intro"


def test_an_arabic_credit_naming_the_coalition_with_its_prefix_counts() -> None:
    for article in _both("republication-ar-related"):
        assert article.is_soc is True
        assert article.attribution == "الدائرة الإعلامية للائتلاف الوطني السوري"
        assert article.title == "الائتلاف الوطني يدين القصف على ريف إدلب"
        assert str(article.published) == "2021-03-03"
        assert len(article.paragraphs) == 2


def test_a_byline_under_the_title_is_chrome_and_weighs_against() -> None:
    article = socpress.load_article(FIXTURES / "text" / "report-said-in-statement.txt")
    assert "byline" in {r.rule for r in article.provenance.removed}
    assert article.provenance.fields["is_soc"].rule == "byline"


def test_a_closing_section_with_prose_after_it_does_not_end_the_body() -> None:
    text = (
        "Opposition Figures Meet in Istanbul\n"
        "June 2, 2022\n"
        "Opposition figures met in Istanbul on Thursday to discuss the coming round of talks.\n"
        "Related\n"
        "The meeting, the third this year, ended with a call on the UN envoy to set a date for "
        "the next round of the constitutional committee.\n"
    )
    article = socpress.load_article(text.encode())
    assert article.text.endswith("constitutional committee.")


def test_a_credited_standfirst_on_a_generic_page_is_the_summary() -> None:
    text = (
        "Levant Daily\n"
        "SOC Calls for Release of Detainees\n"
        "June 1, 2022\n"
        "The coalition renewed its call to release the detainees, according to the SOC’s media "
        "office.\n"
        "The Syrian Opposition Coalition called on the international community to press the "
        "Assad regime to release tens of thousands of detainees and to reveal their fate.\n"
        "Related Articles\n"
        "Another headline about detainees\n"
    )
    article = socpress.load_article(text.encode())
    assert article.is_soc is True
    assert article.provenance.fields["is_soc"].rule == "standfirst-credit"
    assert article.summary is not None
    assert article.summary.endswith("according to the SOC’s media office.")
    assert article.paragraphs == (
        "The Syrian Opposition Coalition called on the international community to press the "
        "Assad regime to release tens of thousands of detainees and to reveal their fate.",
    )


def test_a_posted_on_line_under_a_title_dates_the_article() -> None:
    text = (
        "Levant Daily\n"
        "SOC Condemns Shelling of Idlib Countryside\n"
        "Posted on March 3, 2021 by admin\n"
        "The Syrian Opposition Coalition condemned the shelling of the southern countryside of "
        "Idlib, which killed four civilians.\n"
        "(Source: SOC’s Media Department)\n"
    )
    article = socpress.load_article(text.encode())
    assert str(article.published) == "2021-03-03"
    assert article.provenance.fields["published"].raw == "Posted on March 3, 2021 by admin"
    assert article.is_soc is True


def test_a_visible_date_line_under_the_title_dates_the_article_not_the_markup() -> None:
    for article in _both("republication-visible-date"):
        assert str(article.published) == "2021-06-02"
        published = article.provenance.fields["published"]
        assert published.rule == "date-line"
        assert published.raw == "Posted on June 2, 2021"
        # Nothing of a neighbour's: the related posts' dates are removed with their section.
        removed = {r.text for r in article.provenance.removed}
        assert {"May 28, 2021", "May 21, 2021"} <= removed
        assert "Posted on June 2, 2021" not in removed
    html = socpress.load_article(FIXTURES / "html" / "republication-visible-date.html")
    # The markup's dates lost to the visible one and are kept among the rejected.
    assert {e.rule for e in html.provenance.rejected["published"]} == {
        "article:published_time",
        "json-ld",
    }


@pytest.mark.parametrize(
    ("name", "day"),
    [("republication-related-posts", "2021-03-03"), ("republication-quoted-release", "2020-04-29")],
)
def test_the_html_twins_read_the_date_line_under_the_title(name: str, day: str) -> None:
    text, html = _both(name)
    assert str(html.published) == str(text.published) == day
    assert html.provenance.fields["published"].rule == "date-line"
    assert "main-content:byline" not in {
        r.rule for r in html.provenance.removed if r.text == html.provenance.fields["published"].raw
    }


_META_DATE_PAGE = """<!doctype html><html lang="en"><head><title>Costumes to make at home</title>
<meta property="article:published_time" content="2020-10-30T07:45:02+00:00"></head><body>
<main><article>{above}<h1>Costumes to make at home this autumn</h1>{under}
<div class="entry-content"><p>Cheap and easy costumes are all that matter this year, and we are
here to tell you that you can make one at home.</p>
<p>Check out the best homemade ideas ahead, and get ready to get crafty with what you have.</p>
</div>{after}</article></main></body></html>"""


def test_a_meta_date_after_the_text_is_no_date_line() -> None:
    page = _META_DATE_PAGE.format(
        above="", under="", after='<div class="post-meta">Posted on October 31, 2020</div>'
    )
    article = socpress.load_article(page.encode())
    assert str(article.published) == "2020-10-30"
    assert article.provenance.fields["published"].rule == "article:published_time"
    assert ("main-content:byline", "Posted on October 31, 2020") in {
        (r.rule, r.text) for r in article.provenance.removed
    }


def test_a_date_line_the_head_cannot_read_is_removed_not_body() -> None:
    # A paragraph above the title: the head finds no title, so the date line under the
    # title is no field; it is removed by its element's rule, as before, not made body.
    page = _META_DATE_PAGE.format(
        above="<p>A note from the editors: this guide is updated every autumn, with new ideas.</p>",
        under='<div class="post-meta">Oct 29 2020 by Emily Co</div>',
        after="",
    )
    article = socpress.load_article(page.encode())
    assert str(article.published) == "2020-10-30"
    assert "Oct 29 2020 by Emily Co" not in article.paragraphs
    assert ("main-content:byline", "Oct 29 2020 by Emily Co") in {
        (r.rule, r.text) for r in article.provenance.removed
    }


def test_a_long_introduction_above_a_quoted_release_is_the_republishers() -> None:
    for article in _both("republication-long-intro"):
        assert article.is_soc is True
        assert article.release is not None
        assert str(article.release.dated) == "2020-04-28"
        assert article.summary is not None
        assert article.summary.startswith("The Syrian Opposition Coalition on Tuesday condemned")
        assert article.provenance.fields["summary"].rule == "release-intro"
        assert article.paragraphs[0].startswith("The terrorist bombing")
        assert len(article.paragraphs) == 4
        intro = [r.text for r in article.provenance.removed if r.rule == "release-intro"]
        assert len(intro) == 3
        assert intro[-1] == "The coalition's statement read in full:"


_LONG_REPORT = (
    "Opposition Figures Meet in Istanbul\n"
    "June 2, 2022\n"
    "Opposition figures met in Istanbul on Thursday to discuss the coming round of talks in "
    "Geneva, and the place of the constitutional committee in them.\n"
    "The meeting, the third this year, brought together members of the coalition, the "
    "negotiation commission and independent figures from inside Syria and abroad.\n"
    "Participants said the talks had stalled for two years and that the regime had no "
    "intention of engaging with the committee's work in good faith.\n"
    "They called on the UN envoy to set a date for the next round and to hold the regime "
    "responsible for the delay, according to several people who attended the meeting.\n"
    "The coalition later published a short statement:\n"
    "Press release\n"
    "{issuer}\n"
    "June 2, 2022\n"
    "The coalition met today in Istanbul and discussed the coming round of talks.\n"
)


def test_a_short_release_quoted_below_a_longer_report_leaves_the_report_whole() -> None:
    article = socpress.load_article(
        _LONG_REPORT.format(issuer="Syrian Opposition Coalition").encode()
    )
    assert article.paragraphs[0].startswith("Opposition figures met in Istanbul")
    assert "release-intro" not in {r.rule for r in article.provenance.removed}
    assert article.summary is None


def test_an_introduction_above_another_bodys_release_stays_in_the_body() -> None:
    text = (
        "Ministry statement on the Istanbul talks\n"
        "June 2, 2022\n"
        "The foreign ministry commented on the talks in Istanbul on Thursday.\n"
        "Its statement read:\n"
        "Press release\n"
        "Ministry of Foreign Affairs\n"
        "June 2, 2022\n"
        "The ministry welcomes the meeting held today in Istanbul and the progress made there "
        "towards a political solution, and calls on all sides to keep to the ceasefire.\n"
        "It stresses the need to implement Resolution 2254 in full and without delay.\n"
    )
    article = socpress.load_article(text.encode())
    assert article.paragraphs[0] == (
        "The foreign ministry commented on the talks in Istanbul on Thursday."
    )
    assert article.summary is None
