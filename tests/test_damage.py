"""Damage stays local (issue 11): one bad byte, a stray NUL, a garbled word or half an emoji
is read where it stands and named in ``provenance.damage``; it never costs the page, never
garbles the rest of it, and never reaches a value as a character that cannot be written.
The encoding is chosen for the page as a whole, as a browser does."""

from __future__ import annotations

import codecs
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socpress
from socpress import Damage
from socpress._read.decoding import legacy_codec
from socpress._read.source import read_source
from socpress.errors import InputError
from tests.regressions.oracle import decoded_text, outcome, problems

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "000_fdbfbd34f38a0d4c.txt").read_text(encoding="utf-8")
WEBPAGES = ROOT.parent / "shared" / "webpages"

GERMAN = (
    "Die Koalition äußert sich zur Lage\n"
    "Die Nationale Koalition hat die Angriffe auf Wohnviertel in Idlib verurteilt, bei "
    "denen zahlreiche Zivilisten getötet wurden.\n"
    "Sie forderte die Umsetzung der Resolution 2254 ohne weitere Verzögerung.\n"
)
ARABIC = (
    "الائتلاف الوطني يطالب بحماية المدنيين في إدلب\n"
    "قال الائتلاف الوطني السوري إن قصف النظام لمدينة إدلب يمثل جريمة حرب جديدة، "
    "وطالب المجتمع الدولي بالتحرك الفوري لحماية المدنيين.\n"
)
TURKISH = (
    "Suriye Ulusal Koalisyonu açıklama yaptı\n"
    "Koalisyon, rejimin İdlib'deki sivil yerleşim alanlarına yönelik saldırılarını kınadı ve "
    "uluslararası toplumu harekete geçmeye çağırdı.\n"
    "Koalisyon Başkanı, siyasi çözümün tek yol olduğunu söyledi.\n"
)
RUSSIAN = (
    "Национальная коалиция осудила обстрел жилых кварталов\n"
    "Коалиция призвала международное сообщество немедленно защитить мирных жителей.\n"
)
FRENCH = (
    "Déclaration de la Coalition nationale syrienne\n"
    "La Coalition a condamné le bombardement des quartiers résidentiels d’Idlib, "
    "qui a fait des dizaines de victimes civiles.\n"
)


def _html(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!doctype html><html><head>{head}<title>Page</title></head><body>{body}</body></html>"


def _kinds(article: socpress.Article) -> dict[str, Damage]:
    return {d.kind: d for d in article.provenance.damage}


def _fields(article: socpress.Article) -> tuple[object, ...]:
    return (article.title, article.published, article.paragraphs, article.language)


# --- invalid bytes: U+FFFD where they stand ---------------------------------------------------


def test_one_invalid_byte_in_utf8_text_becomes_one_replacement_character() -> None:
    raw = GERMAN.encode()
    at = raw.index(b"Zivilisten")
    damaged = raw[:at] + b"\xff" + raw[at:]
    article = socpress.load_article(damaged)
    assert article.provenance.encoding_rule == "utf-8"
    damage = _kinds(article)["invalid-bytes"]
    text = damaged.decode("utf-8", "replace")  # the documented way to rebuild the text
    assert text == decoded_text(damaged)
    assert damage.count == 1
    assert text[damage.offsets[0]] == "\ufffd"
    assert "\ufffdZivilisten" in article.paragraphs[0]
    assert _kinds(article)["replacement-characters"].offsets == damage.offsets
    assert problems(damaged) == []
    # Everything else reads as in the clean page.
    clean = socpress.load_article(raw)
    assert article.paragraphs[1:] == clean.paragraphs[1:]
    assert (article.title, article.language) == (clean.title, clean.language)


def test_latin1_bytes_in_an_alt_attribute_cost_nothing() -> None:
    # tierschutzpartei.de: valid UTF-8 but for a few latin-1 bytes in <img alt>.
    body = "<h1>Die Koalition äußert sich</h1><p>Die Nationale Koalition hat die Angriffe " * 3
    page = _html(body + '<img alt="Stra\xdfe">' + "verurteilt.</p>")
    clean_page = _html(body + '<img alt="Strasse">' + "verurteilt.</p>")
    damaged = page.encode("utf-8").replace("Stra\xdfe".encode(), b"Stra\xdfe")
    article = socpress.load_article(damaged)
    assert article.provenance.encoding == "utf-8"
    assert _kinds(article)["invalid-bytes"].count == 1
    assert _fields(article) == _fields(socpress.load_article(clean_page.encode()))


def test_the_real_page_with_latin1_bytes_in_its_markup_is_read() -> None:
    path = WEBPAGES / "tierschutzpartei.de-wildvogelauffang.html"
    if not path.is_file():
        pytest.skip("../shared/webpages is not here")
    article = socpress.load_article(path)
    assert (article.provenance.encoding, article.provenance.encoding_rule) == ("utf-8", "utf-8")
    invalid = _kinds(article)["invalid-bytes"]
    assert invalid.count == 4
    text = path.read_bytes().decode("utf-8", "replace")
    assert all(text[at] == "\ufffd" for at in invalid.offsets)


def test_declared_utf8_ascii_page_keeps_its_one_bad_byte_local() -> None:
    page = _html("<h1>A statement</h1><p>The coalition said it today.</p>")
    raw = page.encode()
    at = raw.index(b"it today")
    article = socpress.load_article(raw[:at] + b"\xff" + raw[at:])
    assert article.provenance.encoding == "utf-8"
    assert article.paragraphs == ("The coalition said \ufffdit today.",)
    assert _kinds(article)["invalid-bytes"].count == 1
    assert _kinds(article)["replacement-characters"].locators == ("body>p",)


def test_undeclared_legacy_text_is_still_read_in_its_code_page() -> None:
    article = socpress.load_article(
        "Title of the statement\nThe body ends at the café".encode("cp1252")
    )
    assert article.provenance.encoding_rule == "fallback-windows-1252"
    assert article.provenance.damage == ()


def test_a_byte_order_mark_with_a_few_invalid_bytes_is_read() -> None:
    raw = codecs.BOM_UTF8 + GERMAN.encode().replace(b"Zivilisten", b"Zivil\xffsten")
    article = socpress.load_article(raw)
    assert article.provenance.encoding_rule == "bom"
    assert "Zivil\ufffdsten" in article.paragraphs[0]
    assert _kinds(article)["invalid-bytes"].count == 1
    assert problems(raw) == []


def test_a_byte_order_mark_over_a_legacy_page_is_refused() -> None:
    with pytest.raises(InputError, match=r"starts with a utf-8 byte-order mark but is not utf-8"):
        socpress.load_article(codecs.BOM_UTF8 + ARABIC.encode("cp1256"))


# --- NULs and control characters ------------------------------------------------------------


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8], ids=["no-bom", "utf-8-bom"])
def test_a_stray_nul_is_read_and_named(bom: bytes) -> None:
    raw = bom + GERMAN.encode().replace(b"Zivilisten", b"Zivil\x00isten")
    article = socpress.load_article(raw)
    nul = _kinds(article)["nul"]
    assert nul.count == 1
    assert decoded_text(raw)[nul.offsets[0]] == "\x00"
    assert "Zivilisten" in article.paragraphs[0]  # no value holds the NUL
    assert problems(raw) == []


def test_nul_padding_after_a_capture_is_read() -> None:
    raw = GERMAN.encode() + b"\x00" * 4096
    article = socpress.load_article(raw)
    assert _kinds(article)["nul"].count == 4096
    assert article.paragraphs == socpress.load_article(GERMAN).paragraphs


def test_a_few_control_characters_are_read_and_named() -> None:
    page = GERMAN.replace("Idlib", "Idlib\x07").replace("2254", "\x1b2254")
    article = socpress.load_article(page)
    controls = _kinds(article)["control-characters"]
    assert controls.count == 2
    assert [page[at] for at in controls.offsets] == ["\x07", "\x1b"]
    assert not any(c in p for p in article.paragraphs for c in "\x07\x1b")


# --- lone surrogates never reach a value -----------------------------------------------------


def test_lone_surrogates_in_a_str_become_replacement_characters_in_place() -> None:
    page = GERMAN.replace("Zivilisten", "Zivilisten \udcff")
    article = socpress.load_article(page)
    damage = _kinds(article)["lone-surrogates"]
    assert damage.count == 1
    assert page[damage.offsets[0]] == "\udcff"
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    assert "Zivilisten \ufffd" in article.paragraphs[0]
    assert problems(page) == []


def test_half_an_emoji_in_json_ld_never_reaches_the_title() -> None:
    head = (
        '<meta charset="utf-8"><script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "Half \\ud83d emoji", '
        '"datePublished": "2023-01-05"}</script>'
    )
    page = _html("<p>The coalition said something about it today.</p>", head)
    article = socpress.load_article(page.encode())
    assert article.title == "Half \ufffd emoji"
    damage = _kinds(article)["lone-surrogates"]
    assert (damage.count, damage.offsets, damage.locators) == (1, (), ("head>script",))
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")


# --- mojibake in a small share of the text: read, flagged ---------------------------------------


def test_a_little_mojibake_in_a_long_page_is_read_and_named() -> None:
    garbled = "NPC\u00c2\u00b4s"  # a double-encoded acute accent, as archive.org pages have
    page = SEED.replace("Syrian children", f"Syrian {garbled} children", 2)
    article = socpress.load_article(page)
    damage = _kinds(article)["mojibake"]
    assert damage.count == 2
    assert [page[at : at + 2] for at in damage.offsets] == ["\u00c2\u00b4"] * 2


def test_the_real_page_with_double_encoded_accents_is_read() -> None:
    path = WEBPAGES / "archive.org.the-pain.net.silkroad.html"
    if not path.is_file():
        pytest.skip("../shared/webpages is not here")
    article = socpress.load_article(path)
    damage = _kinds(article)["mojibake"]
    assert damage.count == 16
    assert damage.locators
    assert not damage.offsets


def test_mostly_garbled_text_is_still_refused() -> None:
    with pytest.raises(InputError, match=r"mojibake"):
        socpress.load_article(ARABIC.encode().decode("latin-1"))


# --- recoverable containers -------------------------------------------------------------------


def test_a_gzipped_page_is_read_and_named() -> None:
    raw = gzip.compress(GERMAN.encode())
    article = socpress.load_article(raw)
    assert _kinds(article)["gzip"].count == 1
    assert article.paragraphs == socpress.load_article(GERMAN).paragraphs
    assert article.provenance.sha256 == socpress.load_article(raw).provenance.sha256


def test_gzip_is_bounded_by_max_bytes() -> None:
    bomb = gzip.compress(b"a" * 10_000_000)
    assert len(bomb) < 20_000
    with pytest.raises(InputError, match=r"decompresses to more than the limit of 1000000"):
        socpress.load_article(bomb, max_bytes=1_000_000)


# --- choosing a legacy code page by evidence ---------------------------------------------------


@pytest.mark.parametrize(
    ("page", "codec"),
    [
        (ARABIC, "windows-1256"),
        (RUSSIAN, "windows-1251"),
        (TURKISH, "windows-1254"),
        (GERMAN, "windows-1252"),
        (FRENCH, "windows-1252"),
        (SEED, "windows-1252"),
    ],
    ids=["arabic", "russian", "turkish", "german", "french", "english-seed"],
)
def test_undeclared_legacy_code_page_is_chosen_by_its_words(page: str, codec: str) -> None:
    raw = page.encode(codec)
    assert legacy_codec(raw) == codec
    article = socpress.load_article(raw)
    assert article.provenance.encoding_rule == f"fallback-{codec}"
    assert article.paragraphs == socpress.load_article(page).paragraphs


def test_a_turkish_page_wrongly_declared_utf8_is_read_in_windows_1254() -> None:
    raw = _html("<h1>" + TURKISH.replace("\n", "</h1><p>", 1) + "</p>").encode("cp1254")
    source = read_source(raw, url=None, max_bytes=100_000)
    assert (source.encoding, source.encoding_rule) == ("windows-1254", "fallback-windows-1254")


# --- serialization ------------------------------------------------------------------------------


def test_damage_round_trips_through_json() -> None:
    raw = gzip.compress(codecs.BOM_UTF8 + GERMAN.encode().replace(b"Idlib", b"Id\x00l\xffib"))
    article = socpress.load_article(raw)
    assert [d.kind for d in article.provenance.damage] == [
        "gzip",
        "invalid-bytes",
        "nul",
        "replacement-characters",
    ]
    data = json.loads(json.dumps(article.to_dict(), ensure_ascii=False))
    assert data["provenance"]["damage"][1] == {
        "kind": "invalid-bytes",
        "count": 1,
        "offsets": [data["provenance"]["damage"][1]["offsets"][0]],
        "locators": [],
    }
    assert socpress.Article.from_dict(data) == article


def test_damage_validators() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Damage(kind="nul", count=0)
    with pytest.raises(ValueError, match="negative"):
        Damage(kind="nul", count=1, offsets=(-1,))


# --- any bytes: an Article that writes as UTF-8, or a documented error -------------------------

_BITS = [
    b"<p>",
    b"</p>",
    b"<h1>Title of it</h1>",
    b'<meta charset="utf-8">',
    b"<meta charset=windows-1256>",
    b'<script type="application/ld+json">{"@type":"NewsArticle","headline":"x\\ud83dy"}</script>',
    b"\xff",
    b"\x00",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\xed\xa0\xbd",
    b"The coalition said it. ",
    "قال الائتلاف ".encode(),
    "قال الائتلاف ".encode("cp1256"),
    "açıklama ".encode("cp1254"),
    b"\x1f\x8b",
    b"\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(st.sampled_from(_BITS), max_size=30).map(b"".join),
        st.lists(st.sampled_from(_BITS), max_size=30).map(b"".join).map(gzip.compress),
    )
)
def test_any_bytes_give_an_article_that_writes_as_utf8_or_a_documented_error(data: bytes) -> None:
    articles, error, problem = outcome(lambda: socpress.load_articles(data))
    assert problem is None
    if error is not None:
        assert str(error).startswith(error.source or "\0")
        return
    for article in articles:
        json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    assert problems(data) == []
