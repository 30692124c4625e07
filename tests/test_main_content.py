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


# --- the main-content stage -------------------------------------------------------------------

TEASER = "A short teaser of another story on the site, with enough words to read like prose."
COMMENT = "I read this and I think the council is wrong about the schools, as it was last year."


def _news_page(article: str) -> bytes:
    sidebar = "".join(
        f'<div class="teaser"><h3><a href="/s{i}">Story {i}</a></h3><p>{TEASER}</p></div>'
        for i in range(6)
    )
    comments = "".join(f'<div class="comment-body"><p>{COMMENT} ({i})</p></div>' for i in range(4))
    return _page(
        '<div class="site-wrap"><div class="top-links"><a href="/">Home</a> <a href="/n">News</a>'
        "</div>"
        f'<div class="layout"><div class="column-wide">{article}</div>'
        f'<div class="sidebar">{sidebar}</div></div>'
        f'<div id="comments-list">{comments}</div></div>'
    )


def _accounted(article: socpress.Article, texts: list[str]) -> None:
    """Every visible line of the page ends in a field or in ``removed``."""
    removed = [r.text for r in article.provenance.removed]
    for text in texts:
        assert (
            text in article.paragraphs or text == article.title or any(text in r for r in removed)
        ), text


def test_the_main_container_keeps_the_article_and_names_what_it_removed() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(3)]
    body = "<h1>Budget agreed</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    article = socpress.load_article(_news_page(body))
    assert article.title == "Budget agreed"
    assert article.paragraphs == tuple(paragraphs)
    removed = article.provenance.removed
    sidebar = [r.text for r in removed if r.rule == "main-content:sidebar"]
    assert sidebar.count(TEASER) == 6
    comments = [r.text for r in removed if r.rule == "main-content:comments"]
    assert comments == [f"{COMMENT} ({i})" for i in range(4)]
    _accounted(article, [TEASER, f"{COMMENT} (0)", "Home News", "Story 0", *paragraphs])


def test_inside_the_main_container_links_and_boilerplate_are_pruned() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(3)]
    links = "".join(f'<li><a href="/t{i}">Another headline number {i}</a></li>' for i in range(5))
    body = (
        '<article><h1>Budget agreed</h1><div class="entry-content">'
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + f'<ul class="link-list">{links}</ul>'
        + '<div class="share-buttons"><p>Share this story with your friends and family now</p>'
        + "</div></div></article>"
    )
    article = socpress.load_article(_news_page(body))
    assert article.paragraphs == tuple(paragraphs)
    removed = article.provenance.removed
    dense = [r.text for r in removed if r.rule == "main-content:link-dense"]
    assert dense == [f"• Another headline number {i}" for i in range(5)]
    shared = [r.text for r in removed if r.rule == "main-content:share"]
    assert shared == ["Share this story with your friends and family now"]


def test_prose_without_punctuation_is_told_by_its_function_words() -> None:
    # Turkish prose with no sentence punctuation at all, beside a block of short labels.
    turkish = (
        "Koalisyon bu hafta yapılan toplantıda okullar için daha çok bütçe ayrılması gerektiğini "
        "ve bu kararın tüm ilçeler için geçerli olacağını duyurdu"
    )
    labels = "".join(f"<p>Etiket numarası {i} ve kısa bir başlık</p>" for i in range(3))
    page = _page(
        f'<div class="labels">{labels}</div>'
        f'<div class="story"><h1>Bütçe kararı</h1><p>{turkish}</p><p>{turkish} yine</p></div>'
    )
    article = socpress.load_article(page)
    assert f"{turkish} yine" in article.paragraphs
    outside = [r.text for r in article.provenance.removed if r.rule == "main-content:outside-main"]
    assert outside == [f"Etiket numarası {i} ve kısa bir başlık" for i in range(3)]


def test_a_heading_of_removed_links_and_a_closing_call_to_the_reader_are_removed() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(3)]
    links = "".join(f'<li><a href="/t{i}">Another headline number {i}</a></li>' for i in range(4))
    body = (
        "<article><h1>Budget agreed</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + f"<h3>Elsewhere on the site</h3><ul>{links}</ul>"
        + '<p>Follow us on Twitter and subscribe to our <a href="/n">newsletter</a>.</p>'
        + "</article>"
    )
    article = socpress.load_article(_news_page(body))
    assert article.paragraphs == tuple(paragraphs)
    removed = {r.text: r.rule for r in article.provenance.removed}
    assert removed["Elsewhere on the site"] == "main-content:lone-heading"
    call = "Follow us on Twitter and subscribe to our newsletter."
    assert removed[call] == "main-content:call-to-action"


def test_a_form_that_wraps_the_whole_page_is_not_chrome() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(4)]
    data = _page(
        '<form id="aspnetForm" method="post"><h1>Budget agreed</h1>'
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + '<form class="search"><label>Search the site</label><input name="q"></form>'
        + "</form>"
    )
    article = socpress.load_article(data)
    assert article.paragraphs == tuple(paragraphs)


def test_a_text_title_that_disagrees_with_the_markup_loses_to_it() -> None:
    head = (
        "<title>Budget agreed | Daily Courier</title>"
        '<meta property="og:site_name" content="Daily Courier">'
    )
    data = _page(
        f"<div><h2>Weather warning for the weekend</h2><p>{LOREM}</p><p>{LOREM} More.</p></div>",
        head=head,
    )
    article = socpress.load_article(data)
    assert article.title == "Budget agreed"
    assert article.provenance.fields["title"].rule == "html-title"
    rejected = article.provenance.rejected["title"]
    assert [(e.rule, e.raw) for e in rejected] == [
        ("title-line", "Weather warning for the weekend")
    ]


def test_a_title_line_that_agrees_with_the_markup_stands() -> None:
    data = _page(f"<div><h2>Budget agreed</h2><p>{LOREM}</p><p>{LOREM} More.</p></div>")
    article = socpress.load_article(data)
    assert article.title == "Budget agreed"
    assert article.provenance.fields["title"].rule == "title-line"


def test_ruby_annotations_do_not_enter_the_sentence() -> None:
    sentence = "子どもへの体罰を禁止する法律ができる。" * 3
    ruby = sentence.replace("法律", "<ruby>法律<rp>(</rp><rt>ほうりつ</rt><rp>)</rp></ruby>")
    article = socpress.load_article(_page(f"<h1>法律</h1><p>{ruby}</p><p>{ruby}</p>"))
    assert sentence in article.paragraphs
    assert "ほうりつ" in {r.text for r in article.provenance.removed if r.rule == "ruby-annotation"}


def test_a_caption_between_the_title_and_the_text_is_no_standfirst() -> None:
    caption = "The council chamber on Tuesday evening, before the vote on the budget. Photo: AP"
    standfirst = "The district's schools get more money after a long debate in the chamber."
    paragraphs = [f"{LOREM} Part {i}." for i in range(8)]
    body = (
        f"<h1>Budget agreed</h1><p>{standfirst}</p>"
        f"<figure><figcaption>{caption}</figcaption></figure>"
        '<div class="entry-content">' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"
    )
    article = socpress.load_article(_news_page(body))
    assert article.paragraphs[-8:] == tuple(paragraphs)
    assert caption not in article.paragraphs
    assert standfirst in " ".join((*article.paragraphs, article.summary or ""))
    removed = {r.text: r.rule for r in article.provenance.removed}
    assert removed[caption] == "main-content:outside-main"


def test_closing_notes_to_the_reader_are_told_in_several_languages() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(4)]
    notes = [
        "Materiał chroniony prawem autorskim - wszelkie prawa zastrzeżone.",
        "Dieser Beitrag gibt die Meinung des Autors wieder, nicht die der Redaktion.",
        "Sie müssen sich einloggen, um sich an einer Diskussion beteiligen zu können.",
    ]
    body = (
        "<article><h1>Budget agreed</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "".join(f"<p>{n}</p>" for n in notes)
        + "</article>"
    )
    article = socpress.load_article(_news_page(body))
    assert article.paragraphs == tuple(paragraphs)
    removed = {r.text: r.rule for r in article.provenance.removed}
    assert [removed[n] for n in notes] == ["main-content:call-to-action"] * 3


def test_a_story_that_mentions_a_donation_keeps_its_last_paragraph() -> None:
    last = "The school's head said the district would donate the old desks to a charity."
    paragraphs = [f"{LOREM} Part {i}." for i in range(3)]
    body = "<article><h1>Budget agreed</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    article = socpress.load_article(_news_page(body + f"<p>{last}</p></article>"))
    assert article.paragraphs == (*paragraphs, last)


def test_a_heading_of_what_the_site_adds_is_removed_in_any_language() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(3)]
    headings = ["Mehr zum Thema", "Lee también:", "Read more"]
    long_line = "Read more about how the council spent its money, the mayor told the press."
    body = (
        "<article><h1>Budget agreed</h1>"
        + "".join(f"<h3>{h}</h3><p>{p}</p>" for h, p in zip(headings, paragraphs, strict=True))
        + f"<p>{long_line}</p><p>{LOREM} The end.</p></article>"
    )
    article = socpress.load_article(_news_page(body))
    assert article.paragraphs == (*paragraphs, long_line, f"{LOREM} The end.")
    removed = {r.text: r.rule for r in article.provenance.removed}
    assert [removed[h] for h in headings] == ["main-content:section-heading"] * 3


def test_a_credit_or_legend_marked_by_its_class_is_a_caption() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(4)]
    credits = [
        ("image-credits", "The council chamber on Tuesday. Photo: Jane Doe for the Courier"),
        (
            "bildunterschrift",
            "Der Ratssaal am Dienstag, kurz vor der Abstimmung über den Haushalt.",
        ),
    ]
    body = (
        '<article><h1>Budget agreed</h1><div class="entry-content">'
        + f"<p>{paragraphs[0]}</p>"
        + "".join(
            f'<div class="{c}">{t}</div><p>{p}</p>'
            for (c, t), p in zip(credits, paragraphs[1:3], strict=True)
        )
        + f"<p>{paragraphs[3]}</p></div></article>"
    )
    article = socpress.load_article(_news_page(body))
    assert article.paragraphs == tuple(paragraphs)
    removed = {r.text: r.rule for r in article.provenance.removed}
    assert [removed[t] for _, t in credits] == ["main-content:caption"] * 2


def test_comment_affiliate_and_post_meta_boxes_are_named_by_their_class() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(4)]
    boxes = [
        ("editorial-disclosure", "main-content:footer", "This post contains affiliate links."),
        ("postmetadata", "main-content:byline", "This entry was posted in News on Tuesday."),
        ("kommentare", "main-content:comments", "Keine Kommentare bisher, schreiben Sie einen."),
    ]
    body = (
        '<article><h1>Budget agreed</h1><div class="entry-content">'
        + "".join(f"<p>{p}</p>" for p in paragraphs[:2])
        + "".join(f'<div class="{c}"><p>{t}</p></div>' for c, _, t in boxes)
        + "".join(f"<p>{p}</p>" for p in paragraphs[2:])
        + "</div></article>"
    )
    article = socpress.load_article(_news_page(body))
    assert article.paragraphs == tuple(paragraphs)
    removed = {r.text: r.rule for r in article.provenance.removed}
    assert [removed[t] for _, _, t in boxes] == [rule for _, rule, _ in boxes]


def test_a_line_that_names_itself_a_figure_or_photo_is_a_caption() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(4)]
    lines = ["Abbildung 4: Der Ratssaal vor der Abstimmung.", "Photo: Jane Doe / Courier"]
    body = (
        "<article><h1>Budget agreed</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs[:2])
        + "".join(f"<p>{t}</p>" for t in lines)
        + "".join(f"<p>{p}</p>" for p in paragraphs[2:])
        + "</article>"
    )
    article = socpress.load_article(_news_page(body))
    assert article.paragraphs == tuple(paragraphs)
    removed = {r.text: r.rule for r in article.provenance.removed}
    assert [removed[t] for t in lines] == ["main-content:caption"] * 2


def test_a_line_that_labels_itself_an_advert_is_promo_but_a_sentence_about_ads_is_not() -> None:
    paragraphs = [f"{LOREM} Part {i}." for i in range(4)]
    label = "Anzeige - Heute mal ausgehen? Wie wäre es mit einem Tisch im Ratskeller:"
    sentence = "Werbung blockieren viele Leser heute, sagte der Verlag, und das koste ihn Geld."
    body = (
        "<article><h1>Budget agreed</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs[:2])
        + f"<p>{label}</p><p>{sentence}</p>"
        + "".join(f"<p>{p}</p>" for p in paragraphs[2:])
        + "</article>"
    )
    article = socpress.load_article(_news_page(body))
    assert article.paragraphs == (*paragraphs[:2], sentence, *paragraphs[2:])
    removed = {r.text: r.rule for r in article.provenance.removed}
    assert removed[label] == "main-content:promo"
