"""The HTML reader: blocks shaped like a text rendering, chrome removed by selector with an
account for every text node, metadata candidates with evidence, Wayback captures, decoding,
and HTML pages that read the same as their text-rendering twins."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

import socpress
from socpress._blocks import normalize
from socpress._read.html import (
    _CHROME_COMPOUNDS,
    HtmlPage,
    read_html,
)
from socpress._read.html_meta import MetaValue
from socpress._read.locators import css_path
from socpress._site.selectors import BLOCK_TAGS, CHROME_SELECTORS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "html"
SEEDS = ROOT / "seeds"
HTML_FIXTURES = sorted(FIXTURES.glob("*.html"))

TWINS = [
    ("jnews-article.html", SEEDS / "000_fdbfbd34f38a0d4c.txt"),
    ("jnews-press-release.html", SEEDS / "001_977a41b535bc16f7.txt"),
    ("joomla-press-release.html", FIXTURES / "joomla-press-release.txt"),
    ("syrianobserver.html", SEEDS / "004_517c1961e2dcf3b5.txt"),
    ("syriakurd.html", SEEDS / "002_c574db3dc0ce512e.txt"),
    ("wayback-jnews-article.html", SEEDS / "000_fdbfbd34f38a0d4c.txt"),
]
TWIN_FIELDS = ("title", "published", "category", "release", "paragraphs", "attribution")
META_RULES = {
    "og:title",
    "html-title",
    "json-ld",
    "article:published_time",
    "article:section",
    "canonical-link",
    "html-lang",
    "og:locale",
    "wayback-timestamp",
    "wayback-original-url",
}


def _page(name: str) -> HtmlPage:
    return read_html((FIXTURES / name).read_bytes().decode("utf-8"))


def _meta(page: HtmlPage, field: str) -> list[MetaValue]:
    return [m for m in page.meta if m.field == field]


# --- twins: an HTML page and its text rendering give the same article ---------------------


@pytest.mark.parametrize(("html_name", "twin"), TWINS, ids=[t[0] for t in TWINS])
def test_html_reads_like_its_text_twin(html_name: str, twin: Path) -> None:
    from_html = socpress.load_article(FIXTURES / html_name)
    from_text = socpress.load_article(twin)
    for field in TWIN_FIELDS:
        got, want = getattr(from_html, field), getattr(from_text, field)
        if want is None and got is not None:
            # The markup may know what the text does not say (a meta-tag date); that value
            # must then come from metadata, never from the visible text.
            assert from_html.provenance.fields[field].rule in META_RULES, field
            continue
        assert got == want, field
    assert from_html.is_soc == from_text.is_soc


def test_twin_evidence_points_at_elements() -> None:
    article = socpress.load_article(FIXTURES / "jnews-article.html")
    fields = article.provenance.fields
    assert fields["title"].locator is not None
    assert fields["title"].locator.endswith("h1.jeg_post_title")
    assert fields["published"].rule == "jnews-date-line"
    assert fields["published"].raw == "November 21, 2022"
    assert fields["attribution"].raw == "(Source: SCO’s Media Department)"
    assert all(ev.spans == () for ev in fields.values())
    assert article.provenance.captured == datetime.date(2023, 6, 6)
    assert article.provenance.input_format == "html"


# --- the account: every non-blank text node is in a block or under a removed element ------


def _text_nodes(node: LexborNode) -> list[LexborNode]:
    return [n for n in node.traverse(include_text=True) if n.is_text_node]


def _ancestors(node: LexborNode) -> list[LexborNode]:
    chain = []
    cursor = node.parent
    while cursor is not None and cursor.tag not in ("body", "html", None):
        chain.append(cursor)
        cursor = cursor.parent
    return chain


@pytest.mark.parametrize("path", HTML_FIXTURES, ids=[p.name for p in HTML_FIXTURES])
def test_every_text_node_is_accounted_for(path: Path) -> None:
    text = socpress.load_articles(path)[0].provenance  # decoded the way the pipeline decodes
    assert text.input_format == "html"
    decoded = path.read_bytes().decode(text.encoding)
    page = read_html(decoded)
    tree = LexborHTMLParser(decoded)
    assert tree.body is not None
    removed = {r.locator for r in page.removed}
    by_locator: dict[str | None, list[str]] = {}
    for block in page.blocks:
        by_locator.setdefault(block.locator, []).append(block.text)
    missing = []
    for node in _text_nodes(tree.body):
        content = normalize(node.text_content or "")
        if not content:
            continue
        chain = _ancestors(node)
        if any(css_path(a) in removed for a in chain):
            continue
        owner = next((a for a in chain if a.tag in BLOCK_TAGS), None)
        owner_path = "body" if owner is None else css_path(owner)
        if any(content in block for block in by_locator.get(owner_path, [])):
            continue
        missing.append((owner_path, content[:60]))
    assert missing == []


@pytest.mark.parametrize("path", HTML_FIXTURES, ids=[p.name for p in HTML_FIXTURES])
def test_blocks_are_well_formed(path: Path) -> None:
    page = read_html(path.read_bytes().decode(socpress.load_articles(path)[0].provenance.encoding))
    assert [b.index for b in page.blocks] == list(range(len(page.blocks)))
    for block in page.blocks:
        assert block.start == block.end == 0
        assert block.locator is not None
        assert block.locator.startswith("body")
        assert block.tag is not None
        assert block.text
        assert block.text == block.text.strip()
    for removal in page.removed:
        assert removal.span is None
        assert removal.locator is not None
    # The locator names the element: the selector finds it.
    tree = LexborHTMLParser(path.read_bytes().decode("utf-8", "replace"))
    for block in page.blocks[:40]:
        assert block.locator is not None
        found = tree.css_first(block.locator.replace(">", " > "))
        assert found is not None, block.locator


# --- how blocks are cut ----------------------------------------------------------------------


def test_blocks_follow_a_text_rendering() -> None:
    page = read_html(
        "<html><body><div class='a'>Top <b>bold</b><br>after break<p>para <i>one</i></p>tail"
        "<ul><li><a href='/'>Home</a><ul><li>Sub</li></ul></li><li>Two</li></ul>"
        "<ol><li>first</li><li>second</li></ol>"
        "<table><tr><td>c1</td><td>c2</td></tr></table></div></body></html>"
    )
    assert [b.text for b in page.blocks] == [
        "Top bold",
        "after break",
        "para one",
        "tail",
        "• Home",
        "• Sub",
        "• Two",
        "1. first",
        "2. second",
        "c1",
        "c2",
    ]
    assert [b.tag for b in page.blocks][:5] == ["div", "div", "p", "div", "li"]
    assert page.blocks[2].locator == "body>div.a>p"
    assert page.blocks[6].locator == "body>div.a>ul>li:nth-of-type(2)"
    assert page.blocks[4].content == "Home"


def test_invisible_content_never_becomes_a_block() -> None:
    page = read_html(
        "<html><body><p>Visible</p><script>var secret = 1;</script><style>p{}</style>"
        "<noscript>Enable JS</noscript><template><p>tpl</p></template>"
        "<svg><text>svg text</text></svg><iframe>frame</iframe></body></html>"
    )
    assert [b.text for b in page.blocks] == ["Visible"]
    # A template's content lives outside the tree: nothing of it is read or shown.
    assert {r.rule for r in page.removed} == {"script", "style", "noscript", "svg", "iframe"}
    assert all(r.locator and r.locator.startswith("body>") for r in page.removed)


def test_chrome_selectors_remove_whole_elements() -> None:
    page = read_html(
        "<html><body><nav><a>Home</a><a>News</a></nav><article><h1>A Title Here</h1>"
        "<p>Body text.</p><div class='sharedaddy'><h3>Share this:</h3></div>"
        "<blockquote><p>Quoted.</p><footer>Speaker</footer></blockquote></article>"
        "<div id='respond'><h3>Leave a Reply</h3><form><p>Your email</p></form></div>"
        "<footer>Site footer</footer></body></html>"
    )
    assert [b.text for b in page.blocks] == ["A Title Here", "Body text.", "Quoted.", "Speaker"]
    assert [(r.rule, r.text) for r in page.removed] == [
        ("menu", "HomeNews"),
        ("share-bar", "Share this:"),
        ("comment-form", "Leave a ReplyYour email"),
        ("footer", "Site footer"),
    ]


def test_chrome_table_rows_are_understood() -> None:
    tree = LexborHTMLParser("<html><body></body></html>")
    assert len(_CHROME_COMPOUNDS) == len(CHROME_SELECTORS)
    for (selector, rule), compound in zip(CHROME_SELECTORS, _CHROME_COMPOUNDS, strict=True):
        assert compound.rule == rule
        tree.css(selector)  # lexbor accepts the selector


@pytest.mark.parametrize("depth", [5, 31, 32, 33, 40, 200])
@pytest.mark.parametrize("every_level", [True, False], ids=["text-at-every-level", "bare-chain"])
def test_locators_of_deep_blocks_are_their_css_paths(depth: int, every_level: bool) -> None:
    # A block's locator is built from its parent's or, below a chain of elements no block
    # named yet (bare-chain), from its nearest steps: either way it is its css_path.
    text = "<p>a</p>" if every_level else ""
    opening = "".join(f'<div class="c{i}">{text}' for i in range(depth))
    page = f"<html><body>{opening}<p>deep</p><p>deeper</p>{'</div>' * depth}</body></html>"
    read = read_html(page)
    tree = LexborHTMLParser(page)
    paths = {css_path(node) for node in tree.css("p")}
    assert len(read.blocks) == (depth if every_level else 0) + 2
    assert {b.locator for b in read.blocks} == paths
    assert read.blocks[-1].locator == css_path(tree.css("p")[-1])


def test_deep_nesting_stops_the_walk_without_recursion() -> None:
    # 5,000 nested <div> parse in 0.02 s; the walk (a loop, not recursion) stops at the limit
    # and names the element, and the caller refuses the page.
    depth = 5000
    page = read_html("<html><body>" + "<div>" * depth + "deep" + "</div>" * depth + "</body>")
    assert page.blocks == ()
    assert page.too_deep is not None
    assert page.too_deep.startswith("<div> at …>" + ">".join(["div"] * 31))
    shallow = read_html("<html><body>" + "<div>" * 990 + "deep" + "</div>" * 990 + "</body>")
    assert [b.text for b in shallow.blocks] == ["deep"]
    assert shallow.too_deep is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "<p>",
                    "</p>",
                    "<div class='x'>",
                    "</div>",
                    "<br>",
                    "<li>",
                    "<ul>",
                    "<nav>",
                    "<script>",
                    "</script>",
                    "<!-- BEGIN WAYBACK TOOLBAR INSERT -->",
                    "<table>",
                    "<td>",
                    "<h1>",
                    "<form>",
                    "<svg>",
                    "&amp;",
                    "\u200b",
                    "<meta property='og:title' content='x'>",
                    "<script type='application/ld+json'>{",
                    "<html lang='ar'>",
                    "<link rel=canonical href='/web/20230101000000/http://a.b/'>",
                ]
            ),
            st.text(max_size=20),
        ),
        max_size=40,
    ).map("".join)
)
def test_read_html_never_raises(markup: str) -> None:
    page = read_html(markup)
    assert [b.index for b in page.blocks] == list(range(len(page.blocks)))
    assert all(b.text for b in page.blocks)


# --- metadata -------------------------------------------------------------------------------


def test_visible_date_wins_over_meta_date() -> None:
    article = socpress.load_article(FIXTURES / "generic-wordpress.html")
    assert article.published == datetime.date(2021, 3, 3)
    assert article.provenance.fields["published"].raw == "March 3, 2021"
    losers = article.provenance.rejected["published"]
    assert losers[0].rule == "article:published_time"
    assert losers[0].raw == "2021-03-04T01:30:00+03:00"
    assert losers[0].locator is not None
    assert losers[0].locator.startswith("head>meta")


def test_metadata_candidates() -> None:
    page = _page("generic-wordpress.html")
    titles = _meta(page, "title")
    assert [m.evidence.rule for m in titles] == ["og:title", "json-ld", "html-title"]
    assert {m.value for m in titles} == {
        "Opposition Coalition Urges Action on Detainees After New Reports"
    }
    assert titles[2].evidence.raw.endswith(" | Levant Monitor")
    published = _meta(page, "published")
    assert [(m.evidence.rule, m.value) for m in published] == [
        ("article:published_time", datetime.date(2021, 3, 4)),
        ("json-ld", datetime.date(2021, 3, 4)),
        # <time class="entry-date published" datetime="2021-03-03T22:30:00+00:00">
        ("time-element", datetime.date(2021, 3, 3)),
    ]
    assert [(m.evidence.rule, m.value) for m in _meta(page, "category")] == [
        ("article:section", "Middle East"),
        ("json-ld", "Middle East"),
    ]
    language = _meta(page, "language")
    assert (language[0].evidence.rule, language[0].evidence.raw) == ("html-lang", "en-GB")
    assert [m.evidence.rule for m in _meta(page, "url")] == ["canonical-link"]
    assert any("json-ld" in note and "not valid JSON" in note for note in page.notes)


def test_site_name_suffixes_are_removed() -> None:
    observer = _page("syrianobserver.html")
    html_title = next(m for m in _meta(observer, "title") if m.evidence.rule == "html-title")
    assert (
        html_title.value
        == "SOC: Whoever Tries to Restore Relations with Assad is Partner in Bloodshed"
    )
    assert html_title.evidence.raw.endswith("| Syrian Observer")
    jnews = _page("jnews-press-release.html")
    og = _meta(jnews, "title")[0]
    assert og.evidence.rule == "og:title"
    assert og.value == "On Sixth Anniversary of Assad Regime’s Chemical Attack on Khan Sheikhoun"


def test_json_ld_in_graph_and_malformed_in_body() -> None:
    page = read_html(
        '<html><head><script type=\'application/ld+json\'>{"@graph": [{"@type": '
        '"BlogPosting", "headline": "Graph &amp; Title", "datePublished": '
        '"2020-06-27", "articleSection": "News", "inLanguage": "ar"}]}</script>'
        "</head><body><p>Text of the page.</p><script type='application/ld+json'>{oops"
        "</script></body></html>"
    )
    assert [(m.field, m.value) for m in page.meta if m.evidence.rule == "json-ld"] == [
        ("title", "Graph & Title"),
        ("published", datetime.date(2020, 6, 27)),
        ("category", "News"),
        ("language", "ar"),
    ]
    assert [r.rule for r in page.removed] == ["json-ld-malformed"]
    assert len(page.notes) == 1
    assert page.notes[0] == "json-ld at body>script is not valid JSON and was ignored"


def test_canonical_link_is_the_url() -> None:
    article = socpress.load_article(FIXTURES / "syrianobserver.html")
    assert article.url == (
        "https://syrianobserver.com/news/76532/"
        "soc-whoever-tries-to-restore-relations-with-assad-is-partner-in-bloodshed.html"
    )
    given_url = socpress.load_article(FIXTURES / "syrianobserver.html", url="https://x.example/a")
    assert given_url.url == "https://x.example/a"


# --- Wayback Machine captures -----------------------------------------------------------------


def test_wayback_capture() -> None:
    page = _page("wayback-jnews-article.html")
    assert not any("Wayback Machine" in b.text for b in page.blocks)
    assert "wayback-toolbar" in {r.rule for r in page.removed}
    (captured,) = _meta(page, "captured")
    assert captured.value == datetime.date(2023, 6, 6)
    assert captured.evidence.rule == "wayback-timestamp"
    (url,) = _meta(page, "url")
    assert url.evidence.rule == "wayback-original-url"
    assert url.value == (
        "https://en.etilaf.org/all-news/news/"
        "soc-syrian-children-are-most-affected-by-assad-regime-and-allies-crimes"
    )
    assert url.evidence.raw.startswith("https://web.archive.org/web/20230606101530/")
    article = socpress.load_article(FIXTURES / "wayback-jnews-article.html")
    assert article.url == url.value
    assert article.language == "en"


def test_wayback_timestamp_from_links_alone() -> None:
    links = "".join(
        f"<a href='/web/20190102030405/https://en.etilaf.org/p{i}'>link {i}</a>" for i in range(3)
    )
    page = read_html(
        "<html><body><!-- BEGIN WAYBACK TOOLBAR INSERT --><div>toolbar words</div>"
        f"<!-- END WAYBACK TOOLBAR INSERT --><p>{links}</p></body></html>"
    )
    assert [(m.field, m.value) for m in page.meta] == [("captured", datetime.date(2019, 1, 2))]
    assert [r.rule for r in page.removed] == ["wayback-toolbar"]
    assert [b.text for b in page.blocks] == ["link 0link 1link 2"]


def test_the_toolbar_and_theme_rows_are_asked_only_of_their_pages() -> None:
    # Another site's elements that bear the Wayback toolbar's or the JNews theme's names
    # are its own content; on a capture (and on a JNews page) they are chrome.
    markup = (
        "<div id='donato'>Donate to our school fund today.</div>"
        "<div class='jnews_comment_container'>Comments are welcome here.</div>"
        "<p>The text of the page.</p>"
    )
    plain = read_html(f"<html><body>{markup}</body></html>")
    assert [b.text for b in plain.blocks][:2] == [
        "Donate to our school fund today.",
        "Comments are welcome here.",
    ]
    capture = read_html(
        "<html><body><!-- BEGIN WAYBACK TOOLBAR INSERT --><div>toolbar</div>"
        f"<!-- END WAYBACK TOOLBAR INSERT --><div class='jeg_viewport'>{markup}</div></body></html>"
    )
    assert [b.text for b in capture.blocks] == ["The text of the page."]
    rules = [r.rule for r in capture.removed]
    assert rules == ["wayback-toolbar", "wayback-toolbar", "comment-form"]


def test_a_page_linking_to_the_archive_is_no_capture() -> None:
    page = read_html(
        "<html><body><p>See <a href='https://web.archive.org/web/20190102030405/http://a.b/'>"
        "the archive</a>.</p></body></html>"
    )
    assert "wayback-toolbar" not in {r.rule for r in page.removed}
    assert _meta(page, "captured") == []


# --- decoding right through load_article(bytes) -------------------------------------------------

ARABIC_TITLE = "الائتلاف يدين القصف على ريف إدلب"


def _arabic_variants() -> dict[str, tuple[bytes, str, str]]:
    raw = (FIXTURES / "arabic-windows-1256.html").read_bytes()
    text = raw.decode("windows-1256")
    no_meta = "\n".join(line for line in text.split("\n") if "charset" not in line)
    return {
        "windows-1256 with meta charset": (raw, "windows-1256", "meta-charset"),
        "windows-1256 without meta": (
            no_meta.encode("windows-1256"),
            "windows-1256",
            "fallback-windows-1256",
        ),
        "utf-8": (no_meta.encode("utf-8"), "utf-8", "utf-8"),
        "utf-8 with bom": (b"\xef\xbb\xbf" + no_meta.encode("utf-8"), "utf-8", "bom"),
    }


@pytest.mark.parametrize("variant", sorted(_arabic_variants()))
def test_bytes_decode_right_through(variant: str) -> None:
    data, encoding, rule = _arabic_variants()[variant]
    article = socpress.load_article(data)
    assert article.title == ARABIC_TITLE
    assert article.attribution == "الائتلاف"
    assert article.language == "ar"
    assert (article.provenance.encoding, article.provenance.encoding_rule) == (encoding, rule)
    assert article.provenance.input_format == "html"


def test_arabic_page_reads_in_reading_order() -> None:
    article = socpress.load_article(FIXTURES / "arabic-windows-1256.html")
    assert article.paragraphs[0].startswith("أدان الائتلاف الوطني السوري")
    assert article.is_soc


def _serialized(article: socpress.Article) -> dict[str, Any]:
    return article.to_dict()


@pytest.mark.parametrize("path", HTML_FIXTURES, ids=[p.name for p in HTML_FIXTURES])
def test_html_articles_round_trip(path: Path) -> None:
    for article in socpress.load_articles(path):  # a listing fixture holds several
        assert socpress.Article.from_dict(_serialized(article)) == article


def test_markup_url_is_decided_once_for_every_listing_item() -> None:
    html = (
        "<html><head><link rel='canonical' href='https://en.etilaf.org/date/2019/3/12.html'>"
        "</head><body><p>Coalition News</p>"
        "<p>12 March 2019 In Coalition News</p><p>The Syrian Coalition condemned the bombing "
        "of a market in Idlib that killed eleven civilians.</p>"
        "<p>11 March 2019 In Coalition News</p><p>President of the Syrian Coalition met with "
        "a delegation of local councils from rural Aleppo.</p></body></html>"
    )
    items = socpress.load_articles(html)
    assert len(items) == 2
    for item in items:
        assert item.url == "https://en.etilaf.org/date/2019/3/12.html"
        assert item.provenance.fields["url"].rule == "canonical-link"
