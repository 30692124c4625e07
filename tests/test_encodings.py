"""Every encoding a capture comes in is decoded right, or refused with a message that names
the problem; ``provenance.encoding_rule`` says which step decided. Spans index the decoded
text whatever the line endings.
"""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

import socpress
from socpress._read.source import read_source
from socpress.errors import InputError
from tests._account import unaccounted
from tests.regressions.oracle import decoded_text, problems, span_problems

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "000_fdbfbd34f38a0d4c.txt").read_text(encoding="utf-8")
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

ARABIC = (
    "الائتلاف الوطني يطالب بحماية المدنيين في إدلب\n"
    "قال الائتلاف الوطني السوري إن قصف النظام لمدينة إدلب يمثل جريمة حرب جديدة، "
    "وطالب المجتمع الدولي بالتحرك الفوري لحماية المدنيين.\n"
    "وأكد الائتلاف أن الحل السياسي وفق القرار 2254 هو الطريق الوحيد لإنهاء معاناة السوريين.\n"
    "المصدر: الائتلاف\n"
)
WESTERN = (
    "Déclaration de la Coalition nationale syrienne\n"
    "La Coalition a condamné le bombardement des quartiers résidentiels d’Idlib, "
    "qui a fait des dizaines de victimes civiles.\n"
    "Elle a appelé à la mise en œuvre de la résolution 2254 « sans délai ».\n"
)


def _article(data: str | bytes) -> socpress.Article:
    article = socpress.load_article(data)
    assert problems(data) == []
    return article


def _same_content(a: socpress.Article, b: socpress.Article) -> None:
    assert (a.title, a.paragraphs, a.published, a.attribution) == (
        b.title,
        b.paragraphs,
        b.published,
        b.attribution,
    )


# --- Unicode encodings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom", "name", "rule"),
    [
        ("utf-8", b"", "utf-8", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8", "bom"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16", "bom"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16", "bom"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32", "bom"),
        ("utf-32-be", codecs.BOM_UTF32_BE, "utf-32", "bom"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-32-le-bom", "utf-32-be-bom"],
)
@pytest.mark.parametrize("page", [SEED, ARABIC], ids=["english-seed", "arabic"])
def test_unicode_encodings(page: str, encoding: str, bom: bytes, name: str, rule: str) -> None:
    article = _article(bom + page.encode(encoding))
    assert (article.provenance.encoding, article.provenance.encoding_rule) == (name, rule)
    _same_content(article, socpress.load_article(page))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("page", [SEED, ARABIC], ids=["english-seed", "arabic"])
def test_utf16_without_bom_is_read_when_the_byte_order_is_certain(page: str, encoding: str) -> None:
    article = _article(page.encode(encoding))
    assert (article.provenance.encoding, article.provenance.encoding_rule) == (
        encoding,
        "utf-16-without-bom",
    )
    _same_content(article, socpress.load_article(page))


def test_utf16_cut_at_an_odd_byte() -> None:
    data = codecs.BOM_UTF16_LE + SEED.encode("utf-16-le")
    article = _article(data[:-1])
    assert article.provenance.encoding_rule == "bom-cut"


def test_utf8_cut_inside_a_character() -> None:
    data = ARABIC.rstrip("\n").encode("utf-8")[:-1]
    article = _article(data)
    assert article.provenance.encoding_rule == "utf-8-cut"
    assert article.language == "ar"


def test_a_str_keeps_its_own_encoding_rule() -> None:
    article = socpress.load_article(SEED)
    assert (article.provenance.encoding, article.provenance.encoding_rule) == ("str", "str")


# --- legacy single-byte encodings ------------------------------------------------------------


def test_windows_1256_arabic() -> None:
    article = _article(ARABIC.encode("windows-1256"))
    assert article.provenance.encoding == "windows-1256"
    assert article.provenance.encoding_rule == "fallback-windows-1256"
    _same_content(article, socpress.load_article(ARABIC))
    assert article.language == "ar"


def test_windows_1256_arabic_with_english_around() -> None:
    # Menus and markup in ASCII outnumber the Arabic letters: the runs of high bytes decide.
    page = "Home News Coalition News Media Center Contact About\n" * 30 + ARABIC
    article = _article(page.encode("windows-1256"))
    assert article.provenance.encoding_rule == "fallback-windows-1256"


@pytest.mark.parametrize("encoding", ["windows-1252", "latin-1"])
def test_western_single_byte(encoding: str) -> None:
    page = WESTERN if encoding == "windows-1252" else WESTERN.replace("’", "'").replace("œ", "oe")
    article = _article(page.encode(encoding))
    assert article.provenance.encoding == "windows-1252"
    assert article.provenance.encoding_rule == "fallback-windows-1252"
    _same_content(article, socpress.load_article(page))


def test_english_seed_in_windows_1252() -> None:
    article = _article(SEED.encode("windows-1252"))
    assert article.provenance.encoding_rule == "fallback-windows-1252"
    _same_content(article, socpress.load_article(SEED))


def test_windows_1252_ending_in_a_high_byte_is_not_cut_utf8() -> None:
    article = _article("Title of the statement\nThe body ends at the café".encode("cp1252"))
    assert article.paragraphs[-1].endswith("café")
    assert article.provenance.encoding_rule == "fallback-windows-1252"


# --- declared charsets (the decoding step, below the HTML reader) ---------------------------


@pytest.mark.parametrize(
    ("declaration", "payload", "encoding", "rule"),
    [
        ("windows-1256", ARABIC.encode("windows-1256"), "windows-1256", "meta-charset"),
        ("iso-8859-6", "مرحبا بالعالم".encode("iso-8859-6"), "iso8859-6", "meta-charset"),
        ("iso-8859-1", "café".encode("cp1252") + b"\x93", "windows-1252", "meta-charset"),
        ("iso-8859-1", "café “x”".encode(), "utf-8", "utf-8-over-meta-charset"),
        ("utf-16", "café".encode(), "utf-8", "utf-8"),
        ("rot13", "café".encode("cp1252"), "windows-1252", "fallback-windows-1252"),
        ("utf-7", "café".encode("cp1252"), "windows-1252", "fallback-windows-1252"),
        ("no-such-codec", "café".encode("cp1252"), "windows-1252", "fallback-windows-1252"),
    ],
)
def test_meta_charset(declaration: str, payload: bytes, encoding: str, rule: str) -> None:
    raw = f'<html><head><meta charset="{declaration}"></head><body><p>'.encode() + payload
    source = read_source(raw, url=None, max_bytes=10_000)
    assert (source.encoding, source.encoding_rule) == (encoding, rule)


def test_meta_charset_on_a_whole_html_page() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
        "<title>بيان</title></head><body><h1>الائتلاف الوطني يطالب بحماية المدنيين في إدلب</h1>"
        "<p>قال الائتلاف الوطني السوري إن قصف النظام لمدينة إدلب يمثل جريمة حرب جديدة.</p>"
        "</body></html>"
    )
    article = _article(page.encode("windows-1256"))
    assert (article.provenance.encoding, article.provenance.encoding_rule) == (
        "windows-1256",
        "meta-charset",
    )
    assert article.title == "الائتلاف الوطني يطالب بحماية المدنيين في إدلب"


# --- line endings: spans stay right ---------------------------------------------------------


@pytest.mark.parametrize("ending", ["\r\n", "\r", "mixed"])
@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_line_endings_keep_spans_right(seed: Path, ending: str) -> None:
    lines = seed.read_text(encoding="utf-8").split("\n")
    rng = random.Random(seed.name)
    if ending == "mixed":
        page = "".join(line + rng.choice(["\r\n", "\r", "\n"]) for line in lines)
    else:
        page = ending.join(lines)
    for data in (page, page.encode("utf-8")):
        article = _article(data)
        text = decoded_text(data)
        assert span_problems(text, article) == []
        assert unaccounted(text, article) == []
        for removal in article.provenance.removed:
            assert removal.span is not None
            assert text[removal.span[0] : removal.span[1]] == removal.text
        _same_content(article, socpress.load_article(seed.read_text(encoding="utf-8")))


# --- text that was already garbled: refused, never passed on as soup -------------------------

QUOTES = "Title of the statement\nThe coalition’s “statement” said it — again.\n"
TURKISH = (
    "Suriye Ulusal Koalisyonu açıklama yaptı\n"
    "Koalisyon, rejimin saldırılarını kınadı ve uluslararası toplumu harekete geçmeye çağırdı.\n"
)
MOJIBAKE = {
    "curly quotes (windows-1252)": QUOTES.encode().decode("cp1252", "replace"),
    "curly quotes (latin-1)": QUOTES.encode().decode("latin-1"),
    "arabic (windows-1252)": ARABIC.encode().decode("cp1252", "replace"),
    "arabic (latin-1)": ARABIC.encode().decode("latin-1"),
    "turkish (windows-1252)": TURKISH.encode().decode("cp1252", "replace"),
    "windows-1256 read as windows-1252": ARABIC.encode("cp1256").decode("cp1252", "replace"),
}


@pytest.mark.parametrize("garbled", MOJIBAKE.values(), ids=MOJIBAKE.keys())
def test_mojibake_is_refused(garbled: str) -> None:
    with pytest.raises(InputError, match=r"mojibake|replacement characters"):
        socpress.load_article(garbled)
    with pytest.raises(InputError, match=r"mojibake|replacement characters"):
        socpress.load_article(garbled.encode("utf-8"))


def test_mojibake_message_says_how_to_repair() -> None:
    # ” is E2 80 9D, and windows-1252 has no 0x9D: only a text without it can be repaired.
    page = "Title of the statement\nThe coalition’s “statement said it — again.\n"
    garbled = page.encode().decode("cp1252")
    with pytest.raises(InputError) as info:
        socpress.load_article(garbled)
    assert "text.encode('windows-1252').decode('utf-8')" in str(info.value)
    repaired = garbled.encode("windows-1252").decode("utf-8")
    assert socpress.load_article(repaired).paragraphs[0].startswith("The coalition’s “statement")


def _html_page(body: str, script: str = "") -> str:
    return (
        "<!doctype html><html><head><title>A statement</title>"
        f"<script>{script}</script></head><body><h1>A statement</h1>{body}</body></html>"
    )


def test_mojibake_in_html_is_refused_naming_the_element() -> None:
    garbled = "<p>The coalition said.</p><p>" + QUOTES.encode().decode("latin-1") + "</p>"
    with pytest.raises(InputError) as info:
        socpress.load_article(_html_page(garbled))
    message = str(info.value)
    assert "mojibake (UTF-8 read as windows-1252 or latin-1)" in message
    assert "the first in <p> at body>p:nth-of-type(2);" in message


def test_mojibake_only_in_html_markup_is_not_read() -> None:
    # Scripts are not the page's text: garbled strings in them do not refuse the page.
    script = "var s = '" + QUOTES.encode().decode("latin-1").replace("\n", " ") + "';"
    page = _html_page("<p>The coalition’s statement said it.</p>", script=script)
    assert socpress.load_article(page).paragraphs == ("The coalition’s statement said it.",)


def test_replacement_character_soup_is_refused() -> None:
    soup = ARABIC.encode().decode("ascii", "replace")
    with pytest.raises(InputError, match=r"replacement characters \(U\+FFFD\)"):
        socpress.load_article(soup)


def test_a_few_stray_characters_are_kept() -> None:
    # One broken emoji and one stray mojibake pair in a long page: the page is kept as is.
    page = SEED.replace("Syrian children", "Syrian \ufffd children", 1) + "\nA café Ã© note.\n"
    article = _article(page)
    assert article.title is not None


def test_german_closing_quote_is_not_mojibake() -> None:
    page = "Erklärung der Koalition\nDie Koalition sagte: „Das ist groß“ und „weiß“.\n"
    assert _article(page).paragraphs == ("Die Koalition sagte: „Das ist groß“ und „weiß“.",)


# --- the transport's charset (an HTTP Content-Type header, e.g. from a WARC record) ----------


def _declaring(meta: str, payload: bytes) -> bytes:
    return f'<html><head><meta charset="{meta}"></head><body><p>'.encode() + payload


@pytest.mark.parametrize(
    ("charset", "raw", "encoding", "rule"),
    [
        # Ranks before the markup's own declaration (here a wrong one).
        ("windows-1256", _declaring("windows-1252", ARABIC.encode("cp1256")), "windows-1256",
         "http-charset"),
        ('"windows-1254"', TURKISH.encode("cp1254"), "windows-1254", "http-charset"),
        ("ISO-8859-9", TURKISH.encode("cp1254"), "windows-1254", "http-charset"),
        # An unknown label or a non-web codec is ignored: the markup's declaration decides.
        ("x-no-such", _declaring("windows-1256", ARABIC.encode("cp1256")), "windows-1256",
         "meta-charset"),
        ("rot13", _declaring("windows-1256", ARABIC.encode("cp1256")), "windows-1256",
         "meta-charset"),
        # Valid UTF-8 wins over a declared legacy encoding, as it does over a <meta>.
        ("iso-8859-1", WESTERN.encode(), "utf-8", "utf-8-over-http-charset"),
        ("utf-8", _declaring("iso-8859-1", WESTERN.encode()), "utf-8", "utf-8"),
        # Unlike a <meta>, the transport may declare UTF-16: BOM-less UTF-16 then reads.
        ("utf-16le", WESTERN.encode("utf-16-le"), "utf-16", "http-charset"),
        ("UTF-16BE", WESTERN.encode("utf-16-be"), "utf-16", "http-charset"),
        ("utf-16", WESTERN.encode("utf-16-le"), "utf-16", "http-charset"),
        # A byte-order mark outranks the transport.
        ("windows-1252", codecs.BOM_UTF8 + ARABIC.encode(), "utf-8", "bom"),
    ],
)  # fmt: skip
def test_http_charset(charset: str, raw: bytes, encoding: str, rule: str) -> None:
    source = read_source(raw, url=None, max_bytes=100_000, charset=charset)
    assert (source.encoding, source.encoding_rule) == (encoding, rule)


def test_http_charset_through_the_public_functions(tmp_path: Path) -> None:
    raw = TURKISH.encode("cp1254")
    path = tmp_path / "page.txt"
    path.write_bytes(raw)
    for source in (raw, path):
        article = socpress.load_article(source, charset="windows-1254")
        assert article.provenance.encoding_rule == "http-charset"
        _same_content(article, socpress.load_article(TURKISH))
        assert socpress.load_articles(source, charset="windows-1254") == [article]
        assert socpress.strip_chrome(source, charset="windows-1254") == TURKISH.strip()


def test_http_charset_is_ignored_for_a_str() -> None:
    article = socpress.load_article(TURKISH, charset="windows-1256")
    assert (article.provenance.encoding, article.provenance.encoding_rule) == ("str", "str")


def test_http_charset_of_the_wrong_type() -> None:
    with pytest.raises(InputError, match=r"^charset must be a str or None, not bytes$"):
        socpress.load_article(b"Title\nBody.\n", charset=b"utf-8")  # type: ignore[arg-type]
