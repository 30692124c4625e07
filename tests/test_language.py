"""Tests for socpress._extract.language: text detection, Kurdish markers, declarations, URLs,
switcher.

The texts below were written for these tests (they paraphrase the kind of statement the
coalition issues); the real pages come from the shared data folder when it is present.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socpress._extract import language as _language
from socpress._extract.language import (
    EDITIONS,
    SAMPLE_CHARS,
    LanguageGuess,
    detect_language,
    language_from_declaration,
    language_from_switcher,
)
from socpress._site.urls import edition_of_url

SRC = Path(__file__).resolve().parents[1] / "src"
REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"

ENGLISH = (
    "The National Coalition of Syrian Revolution and Opposition Forces condemned on Tuesday "
    "the shelling of residential neighbourhoods in Idlib by the Assad regime, which killed at "
    "least twelve civilians, including children. The Coalition called on the international "
    "community to act without delay to protect civilians."
)
ARABIC = (
    "أدان الائتلاف الوطني لقوى الثورة والمعارضة السورية القصف الذي استهدف الأحياء السكنية في "
    "مدينة إدلب، وأدى إلى مقتل عدد من المدنيين بينهم أطفال ونساء. وطالب الائتلاف المجتمع "
    "الدولي بتحمل مسؤولياته تجاه حماية المدنيين."
)
TURKISH = (
    "Suriye Ulusal Koalisyonu, Esed rejiminin İdlib'deki yerleşim alanlarına yönelik "
    "saldırılarını kınadı. Saldırılarda aralarında çocukların da bulunduğu en az on iki sivil "
    "hayatını kaybetti. Koalisyon, uluslararası toplumu harekete geçmeye çağırdı."
)
TURKISH_WITH_CIRCUMFLEX = (
    "Koalisyon, rejimin saldırılarını kınadı ve millî birlik için çağrıda bulundu. Bu "
    "saldırılar, uluslararası hukukun açık bir ihlalidir ve sivillerin hayatını tehdit eden "
    "kâbus gibi bir durumdur."
)
KURMANJI = (
    "Koalîsyona Niştimanî ya Sûriyê ragihand ku rejîma Esed êrîşî gundên bakurê Sûriyê kir û "
    "gelek sivîl hatin kuştin. Koalîsyonê bang li civaka navneteweyî kir ku ji bo parastina "
    "sivîlan gavên cidî bavêje. Herwiha hat ragihandin ku ev êrîş binpêkirineke eşkere ya "
    "qanûnên navneteweyî ye."
)
KURMANJI_SHORT = (
    "Koalîsyona Niştimanî ya Sûriyê ragihand ku rejîma Esed êrîşî gundên bakurê Sûriyê kir û "
    "gelek sivîl hatin kuştin."
)
SORANI = (
    "هاوپەیمانیی نیشتمانیی سووری ڕایگەیاند کە ڕژێمی ئەسەد هێرشی کردە سەر گوندەکانی باکووری "
    "سووریا و چەندین هاووڵاتیی سیڤیل کوژران."
)
ARABIC_WITH_VE = (
    "التقى رئيس الائتلاف الوطني السوري مع وزير الخارجية في ڤيينا لبحث آخر التطورات السياسية "
    "في سوريا ومستقبل العملية السياسية."
)
GERMAN = (
    "Die Nationale Koalition der syrischen Revolutions- und Oppositionskräfte hat am Dienstag "
    "den Beschuss von Wohngebieten in Idlib verurteilt. Dabei wurden mindestens zwölf "
    "Zivilisten getötet, darunter auch Kinder."
)
FRENCH = (
    "La Coalition nationale syrienne a condamné mardi les bombardements des quartiers "
    "résidentiels d'Idleb par le régime d'Assad, qui ont coûté la vie à au moins douze civils, "
    "dont des enfants. Elle a appelé la communauté internationale à agir sans délai."
)
FRENCH_WITH_CIRCUMFLEX = (
    "La Coalition a rappelé qu'il faut être sûr que les frontières soient même contrôlées; la "
    "fête nationale a été annulée, et l'île reste sûre pour les déplacés qui y vivent."
)

TEXTS: dict[str, tuple[str, str, str]] = {
    # name: (text, expected code, expected rule)
    "english": (ENGLISH, "en", "langdetect"),
    "arabic": (ARABIC, "ar", "langdetect"),
    "arabic-with-ve": (ARABIC_WITH_VE, "ar", "langdetect"),
    "turkish": (TURKISH, "tr", "langdetect"),
    "turkish-with-circumflex": (TURKISH_WITH_CIRCUMFLEX, "tr", "langdetect"),
    "kurmanji": (KURMANJI, "ku", "kurmanji-markers"),
    "kurmanji-one-sentence": (KURMANJI_SHORT, "ku", "kurmanji-markers"),
    "sorani": (SORANI, "ku", "sorani-letters"),
    "german": (GERMAN, "de", "langdetect"),
    "french": (FRENCH, "fr", "langdetect"),
    "french-with-circumflex": (FRENCH_WITH_CIRCUMFLEX, "fr", "langdetect"),
}


# --------------------------------------------------------------------------------------------
# detect_language


@pytest.mark.parametrize(("text", "code", "rule"), TEXTS.values(), ids=TEXTS.keys())
def test_detects_composed_texts(text: str, code: str, rule: str) -> None:
    guess = detect_language(text)
    assert (guess.code, guess.rule) == (code, rule)


@pytest.mark.parametrize("text", [KURMANJI, KURMANJI_SHORT, KURMANJI.upper(), KURMANJI * 5])
def test_kurmanji_is_never_turkish(text: str) -> None:
    assert detect_language(text).code == "ku"


def test_kurmanji_caught_after_langdetect_says_turkish(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the letter share sits between the strict pre-check's threshold and the looser one
    used once langdetect has said Turkish, the text is still reported as Kurmanji."""
    n_latin, ku_letters, *_ = _language._kurmanji_evidence(
        KURMANJI, [ch for ch in KURMANJI if ch.isalpha()]
    )
    monkeypatch.setattr(_language, "_KURMANJI_MIN_SHARE", 1.5 * ku_letters / n_latin)
    monkeypatch.setattr(_language, "_run_langdetect", lambda sample: "tr")
    guess = detect_language(KURMANJI)
    assert (guess.code, guess.rule) == ("ku", "kurmanji-markers")
    assert detect_language(TURKISH).code == "tr"


@pytest.mark.parametrize("text", ["", "   \n\t", "12 345 678", "Idlib, 2020", "—" * 500])
def test_too_short(text: str) -> None:
    guess = detect_language(text)
    assert (guess.code, guess.rule) == (None, "too-short")


def test_no_features() -> None:
    """Letters of a script langdetect has no profile for give it no n-gram to weigh."""
    guess = detect_language("ᚠᚢᚦᚨᚱᚲ ᚷᚹᚺᚾᛁᛃ ᛇᛈᛉᛊᛏᛒ ᛖᛗᛚᛜᛞᛟ ᚠᚢᚦᚨᚱᚲ")
    assert (guess.code, guess.rule) == (None, "no-features")


def test_sample_is_bounded_and_cut_at_whitespace() -> None:
    text = ENGLISH * 40
    guess = detect_language(text)
    assert guess.code == "en"
    assert 0 < len(guess.raw) <= SAMPLE_CHARS
    collapsed = " ".join(text.split())
    assert collapsed.startswith(guess.raw)
    assert collapsed[len(guess.raw)] == " "


def test_short_text_is_its_own_sample() -> None:
    assert detect_language("  " + GERMAN + "\n\n").raw == GERMAN


def test_only_the_start_counts() -> None:
    """Bounded work: what follows the sample cannot change the answer."""
    assert detect_language(ENGLISH * 3 + ARABIC * 20).code == "en"


def test_langdetect_codes_are_iso_639_1() -> None:
    text = (
        "中华人民共和国外交部发言人今天表示，"
        "中方一贯支持叙利亚的主权、独立和领土完整，希望各方通过对话解决分歧。"
    )
    assert detect_language(text).code == "zh"


@pytest.mark.parametrize("implementation", _language.IMPLEMENTATIONS)
def test_does_not_touch_langdetect_global_state(implementation: str) -> None:
    if not _language._importable(implementation):
        pytest.skip(f"{implementation} is not installed")
    ldf = importlib.import_module(f"{implementation}.detector_factory")
    before = _language.use_implementation(implementation)
    try:
        detect_language(ENGLISH)
    finally:
        _language.use_implementation(before)
    assert ldf._factory is None
    assert ldf.DetectorFactory.seed is None


def test_no_langdetect_at_import_time() -> None:
    code = (
        "import sys, socpress._extract.language\n"
        "print([name for name in sys.modules if name.startswith('langdetect')])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=_env(), capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, **extra)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def test_same_answer_in_fresh_processes_whatever_the_hash_seed() -> None:
    """The detector samples n-grams at random: only a fixed seed makes runs agree."""
    texts = [ENGLISH[:60], TURKISH[:70], FRENCH[:50], "Syria Suriye Sûriyê سوريا " * 3]
    code = (
        "import json, sys\n"
        "from socpress._extract.language import detect_language\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([[g.code, g.rule] for g in map(detect_language, texts)]))\n"
    )
    answers = {
        subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(texts),
            env=_env(PYTHONHASHSEED=seed),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(answers) == 1
    in_process = [[g.code, g.rule] for g in map(detect_language, texts)]
    assert json.loads(answers.pop()) == in_process


def test_threads_share_one_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads racing on first use build one factory and get the single-threaded answers."""
    texts = [ENGLISH, ARABIC, GERMAN, FRENCH, TURKISH, KURMANJI]
    expected = [detect_language(t) for t in texts]
    monkeypatch.setattr(_language, "_detectors", {})
    built: list[int] = []
    real_detector = _language._get_detector

    def counting_detector(name: str | None = None) -> _language._Detector:
        detector = real_detector(name)
        built.append(id(detector.factory))
        return detector

    monkeypatch.setattr(_language, "_get_detector", counting_detector)
    n_threads = 8
    start = threading.Barrier(n_threads)
    results: list[list[LanguageGuess]] = [[] for _ in range(n_threads)]

    def run(slot: int) -> None:
        start.wait(timeout=30)
        results[slot] = [detect_language(t) for t in texts]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(got == expected for got in results)
    assert len(set(built)) == 1


_SCRIPTS = st.sampled_from(
    [
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0x20, max_codepoint=0x24F),
        st.characters(min_codepoint=0x600, max_codepoint=0x6FF),
        st.sampled_from(list("êîûığşçöü ")),
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(max_size=3000),
        _SCRIPTS.flatmap(lambda chars: st.text(chars, max_size=400)),
        st.lists(st.sampled_from([*TEXTS, "ji", "ve", "û", "ە", "ڤ"]), max_size=30).map(
            lambda names: " ".join(TEXTS[n][0] if n in TEXTS else n for n in names)
        ),
    )
)
def test_any_text_gives_a_stable_guess(text: str) -> None:
    first = detect_language(text)
    assert isinstance(first, LanguageGuess)
    assert first == detect_language(text)
    assert len(first.raw) <= SAMPLE_CHARS
    if first.code is not None:
        assert len(first.code) == 2


# --------------------------------------------------------------------------------------------
# Real pages


def _realpages() -> list[Path]:
    return sorted(REALPAGES.glob("*.txt")) if REALPAGES.is_dir() else []


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="shared/realpages not present")
@pytest.mark.parametrize("page", _realpages(), ids=lambda p: p.stem)
def test_realpages(page: Path) -> None:
    gold = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    if gold.get("language") is None:
        pytest.skip("no gold language")
    assert detect_language(page.read_text(encoding="utf-8")).code == gold["language"]


# --------------------------------------------------------------------------------------------
# Declarations


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en-US", "en"),
        ("en", "en"),
        ("EN-gb", "en"),
        ("ar", "ar"),
        ("ar_SY", "ar"),
        ("ar-SA", "ar"),
        ("tr-TR", "tr"),
        ("tr_TR", "tr"),
        ("ku", "ku"),
        ("kmr", "ku"),
        ("ckb", "ku"),
        ("ckb-IQ", "ku"),
        ("kmr-Latn", "ku"),
        ("de_DE", "de"),
        ("de-DE", "de"),
        (" fr ", "fr"),
        ("en_US.UTF-8", "en"),
        ("iw", "he"),
        ("eng", "en"),
        ("Arabic", "ar"),
        ("العربية", "ar"),
        ("Türkçe", "tr"),
        ("Kurdî", "ku"),
        ("", None),
        ("   ", None),
        ("und", None),
        ("x-default", None),
        ("zz", None),
        ("english language", None),
        ("{{lang}}", None),
        ("e", None),
    ],
)
def test_language_from_declaration(value: str, code: str | None) -> None:
    assert language_from_declaration(value) == code


# --------------------------------------------------------------------------------------------
# URLs


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://en.etilaf.org/all-news/news/some-slug", "en"),
        ("http://en.etilaf.org/press", "en"),
        ("HTTP://EN.ETILAF.ORG/press/", "en"),
        ("https://www.etilaf.org/all-news/news/%D9%86", "ar"),
        ("http://etilaf.org/date/2016/2.html?catid=10", "ar"),
        ("https://etilaf.org:443/", "ar"),
        ("https://tr.etilaf.org/tum-haberler", "tr"),
        ("https://ku.etilaf.org/", "ku"),
        ("https://kurdi.etilaf.org/hemu-nuce", "ku"),
        ("https://etilaf.org/en/press/x", "en"),
        ("https://www.etilaf.org/tr/x", "tr"),
        ("https://www.etilaf.org/ku/x", "ku"),
        ("https://www.etilaf.org/english-news", "ar"),
        ("en.etilaf.org/press", "en"),
        ("https://web.archive.org/web/20170522000000/http://en.etilaf.org/press", "en"),
        ("https://web.archive.org/web/20170522000000id_/https://www.etilaf.org/x", "ar"),
        ("https://www.syrianobserver.com/news/123", None),
        ("https://etilaf.org.example.com/en/", None),
        ("https://en.etilaf.org.evil.test/", None),
        ("http://www.zeit.de/news/2017-05/06/syrien", None),
        ("", None),
        ("not a url", None),
        ("http://[::1", None),
    ],
)
def test_edition_of_url(url: str, code: str | None) -> None:
    edition = edition_of_url(url)
    assert (None if edition is None else edition.code) == code


# --------------------------------------------------------------------------------------------
# Edition switcher


@pytest.mark.parametrize(
    ("labels", "code"),
    [
        (["AR", "TR", "KU"], "en"),
        (["EN", "TR", "KU"], "ar"),
        (["EN", "AR", "KU"], "tr"),
        (["en", "ar", "tr"], "ku"),
        (("English", "Türkçe", "Kurdî"), "ar"),
        (iter([" AR ", "TR", "KU"]), "en"),
        (["AR", "AR", "TR", "KU"], "en"),
        (["AR", "TR"], None),
        ([], None),
        (["EN", "AR", "TR", "KU"], None),
        (["AR", "TR", "KU", "FR"], None),
        (["AR", "TR", "Menu"], None),
    ],
)
def test_language_from_switcher(labels: list[str], code: str | None) -> None:
    assert language_from_switcher(labels) == code


def test_editions_are_the_site_editions() -> None:
    assert set(EDITIONS) == {"en", "ar", "tr", "ku"}
