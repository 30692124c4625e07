"""Language of an article: from its text, its declarations, its URL and its edition switcher.

This is the only module that imports ``langdetect`` (and langdetect-rs, its Rust port,
which gives the same answers bit for bit and is used where installed: ``IMPLEMENTATIONS``),
so the detector can be pinned, tuned or replaced in one place.

Why the care around langdetect:

* Its module-level ``langdetect.detect`` uses a process-wide factory whose seed is unset,
  so the same page can get different answers in different runs; and setting
  ``DetectorFactory.seed`` would change global state that belongs to the application. We keep a
  private factory, built lazily under a lock, and seed every detector ourselves.
* Its cost grows with the text it is given, and an article's language is settled by its first
  few sentences; so we hand it a bounded sample (``SAMPLE_CHARS``).
* It has no Kurdish profile: Kurmanji (Latin script) comes out as Turkish, Somali, Swahili,
  Indonesian, …, and Sorani (Arabic script) as Persian or Arabic. The coalition publishes a
  Kurdish edition, so both are recognised here by letters and function words first.

Language knowledge (marker letters and words, tag aliases) lives in the tables below, and
the coalition's editions (hosts, switcher labels) are rows of ``_site/editions.py``, so a new
edition or alias is a table entry, not new control flow.
"""

from __future__ import annotations

import importlib
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from socpress._site import editions as _editions

__all__ = [
    "SAMPLE_CHARS",
    "LanguageGuess",
    "detect_language",
    "language_from_declaration",
    "language_from_switcher",
]


@attrs.frozen(kw_only=True)
class LanguageGuess:
    """A language decision and how it was reached."""

    code: str | None
    """ISO 639-1 code (``'en'``, ``'ar'``, ``'tr'``, ``'ku'``, ``'de'``, …), or ``None`` when
    the text does not allow a decision (see ``rule`` for why)."""

    rule: str
    """How it was decided: ``'langdetect'``, ``'kurmanji-markers'``, ``'sorani-letters'``,
    ``'too-short'``, ``'no-features'`` (langdetect found no n-gram it knows) or
    ``'undecided'`` (no language above langdetect's probability threshold)."""

    raw: str
    """The sample of text the decision was made on: at most ``SAMPLE_CHARS`` characters
    from the start of the text, cut at whitespace."""


# --------------------------------------------------------------------------------------------
# Tuning constants

SAMPLE_CHARS: Final = 400
"""Most characters of text examined per call (about three sentences). langdetect's time grows
with its input while an article's language is settled by its first sentences: shorter samples
start to give wrong answers on windows of the real pages, longer ones only cost time
(``docs/benchmarks.md`` has the measurement)."""

MIN_LETTERS: Final = 20
"""Fewer letters than this is a caption or a stray line, not prose: no guess is made."""

_SEED: Final = 0
"""Seed for each detector's random sampling of n-grams: a fixed seed makes a text's answer
the same in every process, thread and run."""

_N_TRIAL: Final = 3
"""langdetect's number of random restarts, averaged. Its default of 7 costs more time per
call and changed no answer on the real pages; a single trial let some windows flip."""

_CONV_THRESHOLD: Final = 0.99999
"""A trial stops once one language's probability passes this (langdetect's default)."""


# --------------------------------------------------------------------------------------------
# Tables (packed by hand; the formatter would put one entry per line)

# fmt: off
_LANGDETECT_CODES: Final[Mapping[str, str]] = {"zh-cn": "zh", "zh-tw": "zh"}
"""langdetect's profile names that are not ISO 639-1 codes; all others already are."""

_KURMANJI_LETTERS: Final = frozenset("êîûÊÎÛ")
"""Circumflexed vowels: frequent in Kurmanji (several per sentence), rare in Turkish and French."""

_TURKISH_LETTERS: Final = frozenset("ıİğĞöÖüÜ")
"""Letters of Turkish that the Kurmanji alphabet lacks (both share ç and ş)."""

_KURMANJI_WORDS: Final = frozenset(
    {
        "û", "ji", "li", "bi", "ya", "yê", "yên", "ku", "jî", "di", "wek", "hat", "kir",
        "hatin", "dike", "dikin", "ew", "em", "wê", "vê", "vî", "ev", "bû", "bûn", "re",
        "ra", "ser", "nav", "ligel", "herwiha", "gelek", "tê", "têde", "dibe", "kirin",
    }
)
"""Kurmanji function words. 'de' and 'ne' are left out on purpose: Turkish and French have
them too, so they would count for Kurmanji in exactly the texts it must be told apart from."""

_TURKISH_WORDS: Final = frozenset(
    {
        "ve", "bir", "için", "olan", "ile", "bu", "olarak", "ise", "gibi", "daha", "çok",
        "da", "ki", "göre", "sonra", "kadar", "tarafından", "etti", "olduğu", "şu",
    }
)
"""Turkish function words: evidence against Kurmanji."""

_SORANI_LETTERS: Final = frozenset("ێۆڕڵەڤ")
"""Letters of the Kurdish (Sorani) Arabic-script alphabet that Arabic itself does not use."""

_SORANI_MIN_DISTINCT: Final = 2
"""Distinct Sorani letters required: Arabic borrows ڤ alone to spell a foreign 'v'."""

_SORANI_MIN_SHARE: Final = 0.02
"""Share of Arabic-script letters that must be Sorani letters (ە alone is ~5-8% in Sorani)."""

_KURMANJI_MIN_SHARE: Final = 0.015
"""Share of Latin letters that must be ê/î/û (Kurmanji ~5%; French prose well under 1%)."""

_KURMANJI_MIN_WORDS: Final = 2
"""Kurmanji function-word occurrences required besides the letters."""

_DECLARATION_ALIASES: Final[Mapping[str, str]] = {
    # ISO 639-2/3 codes and macrolanguage members seen or likely in lang attributes.
    "eng": "en", "ara": "ar", "arb": "ar", "apc": "ar", "ajp": "ar", "acm": "ar", "arz": "ar",
    "tur": "tr", "kur": "ku", "kmr": "ku", "ckb": "ku", "sdh": "ku", "deu": "de", "ger": "de",
    "fra": "fr", "fre": "fr", "spa": "es", "ita": "it", "rus": "ru", "fas": "fa", "per": "fa",
    "heb": "he", "nld": "nl", "dut": "nl", "pol": "pl", "por": "pt", "zho": "zh", "chi": "zh",
    # Deprecated ISO 639-1 codes still served by old CMSs.
    "iw": "he", "in": "id", "ji": "yi",
    # Language names (schema.org inLanguage may be a name, not a code).
    "english": "en", "arabic": "ar", "turkish": "tr", "kurdish": "ku", "kurmanji": "ku",
    "sorani": "ku", "german": "de", "french": "fr", "العربية": "ar", "عربي": "ar",
    "türkçe": "tr", "kurdî": "ku", "kurmancî": "ku", "کوردی": "ku", "deutsch": "de",
    "français": "fr",
}
"""Declared values that are not ISO 639-1 codes, mapped to one."""

_ISO_639_1: Final = frozenset(
    [
        "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg",
        "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv",
        "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi",
        "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr",
        "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja",
        "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw",
        "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml",
        "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv",
        "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro",
        "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr",
        "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr",
        "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
        "yo", "za", "zh", "zu",
    ]
)
"""Valid two-letter codes: a declared 'xx' or 'zz' is garbage, not a language."""

EDITIONS: Final = tuple(edition.code for edition in _editions.EDITIONS)
"""The coalition's site editions, as listed by its edition switcher (rows of ``_editions``)."""
# fmt: on

_WORD_RE: Final = re.compile(r"[^\W\d_]+")


# --------------------------------------------------------------------------------------------
# The detector: langdetect's algorithm, from the fastest implementation installed.

IMPLEMENTATIONS: Final = ("langdetect_rs", "langdetect")
"""Modules implementing langdetect's detector, in order of preference. ``langdetect_rs``
(langdetect-rs, a Rust port) reproduces langdetect's random walk and floating-point
operations, so its probabilities equal langdetect's bit for bit; ``langdetect`` is the
reference, and the fallback where langdetect-rs is not installed. Both are loaded with
langdetect's own profile files. ``tests/test_language_implementations.py`` pins that they
give the same answers."""


@attrs.frozen(kw_only=True)
class _Detector:
    implementation: str
    factory: Any
    no_features: type[Exception]
    """The implementation's LangDetectException: raised for text without a known n-gram."""


_detectors: dict[str, _Detector] = {}
_detector_lock: Final = threading.Lock()
_chosen: list[str] = []
"""The implementation in use, once chosen (a list, so no ``global`` is needed)."""


def implementation() -> str:
    """The module that detects: the first of ``IMPLEMENTATIONS`` that imports."""
    if not _chosen:
        with _detector_lock:
            if not _chosen:
                _chosen.append(next(name for name in IMPLEMENTATIONS if _importable(name)))
    return _chosen[0]


def use_implementation(name: str) -> str:
    """Detect with ``name`` from now on (tests and benchmarks compare them); returns the one
    in use before."""
    if name not in IMPLEMENTATIONS:
        raise ValueError(f"unknown implementation {name!r}; one of {IMPLEMENTATIONS}")
    before = implementation()
    _chosen[0] = name
    return before


def _importable(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def _get_detector(name: str | None = None) -> _Detector:
    """The implementation's private factory, built on first use under a lock.

    Profiles are langdetect's files, read in sorted file order (langdetect's own
    ``load_profile`` follows ``os.listdir``, whose order depends on the file system) so that
    the language order, and with it every floating-point sum over languages, is the same on
    every machine and in both implementations.
    """
    name = name or implementation()
    detector = _detectors.get(name)
    if detector is not None:
        return detector
    with _detector_lock:
        if name not in _detectors:
            from langdetect.detector_factory import PROFILES_DIRECTORY

            module = importlib.import_module(f"{name}.detector_factory")
            errors = importlib.import_module(f"{name}.lang_detect_exception")
            profiles = sorted(
                p
                for p in Path(PROFILES_DIRECTORY).iterdir()
                if p.is_file() and not p.name.startswith(".")
            )
            factory = module.DetectorFactory()
            factory.load_json_profile([p.read_text(encoding="utf-8") for p in profiles])
            _detectors[name] = _Detector(
                implementation=name, factory=factory, no_features=errors.LangDetectException
            )
        return _detectors[name]


# --------------------------------------------------------------------------------------------
# Detection


def _sample(text: str) -> str:
    """The first ``SAMPLE_CHARS`` characters of ``text``, cut back to whitespace, with
    runs of whitespace collapsed (so the bound counts characters of prose, not indentation)
    and NFC-composed (so a decomposed ê still counts as a Kurmanji letter). Only a bounded
    head of the text is ever touched."""
    head = unicodedata.normalize("NFC", text.lstrip()[: SAMPLE_CHARS * 4])
    collapsed = " ".join(head.split())
    if len(collapsed) <= SAMPLE_CHARS:
        return collapsed
    cut = collapsed.rfind(" ", 0, SAMPLE_CHARS + 1)
    return collapsed[: cut if cut > 0 else SAMPLE_CHARS]


def _is_arabic_script(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


def _is_sorani(sample: str) -> bool:
    # Most texts hold fewer than two distinct Sorani letters: decided without a scan.
    if sum(ch in sample for ch in _SORANI_LETTERS) < _SORANI_MIN_DISTINCT:
        return False
    arabic = [ch for ch in sample if ch.isalpha() and _is_arabic_script(ch)]
    found = [ch for ch in arabic if ch in _SORANI_LETTERS]
    return len(set(found)) >= _SORANI_MIN_DISTINCT and len(found) >= _SORANI_MIN_SHARE * len(arabic)


def _kurmanji_evidence(sample: str, letters: list[str]) -> tuple[int, int, int, int, int]:
    """Counts for the Kurmanji/Turkish decision: (Latin letters, Kurmanji letters, Turkish
    letters, Kurmanji words, Turkish words)."""
    latin = [ch for ch in letters if ch < "\u0250"]
    ku_letters = sum(ch in _KURMANJI_LETTERS for ch in latin)
    tr_letters = sum(ch in _TURKISH_LETTERS for ch in latin)
    words = [w.lower() for w in _WORD_RE.findall(sample)]
    ku_words = sum(w in _KURMANJI_WORDS for w in words)
    tr_words = sum(w in _TURKISH_WORDS for w in words)
    return len(latin), ku_letters, tr_letters, ku_words, tr_words


def _is_kurmanji(sample: str, *, detected: str | None) -> bool:
    """Kurmanji when its letters are frequent, its function words occur, and both outweigh
    the Turkish evidence. When langdetect has already said Turkish (its usual answer for
    Kurmanji) the letter-share threshold is halved: the question is then only which of the
    two it is, and Turkish prose has almost no ê/î/û at all."""
    if not any(ch in sample for ch in _KURMANJI_LETTERS):
        return False  # no ê, î or û: the letter share below is 0, whatever the words
    letters = [ch for ch in sample if ch.isalpha()]
    n_latin, ku_letters, tr_letters, ku_words, tr_words = _kurmanji_evidence(sample, letters)
    if n_latin == 0:
        return False
    min_share = _KURMANJI_MIN_SHARE / 2 if detected == "tr" else _KURMANJI_MIN_SHARE
    return (
        ku_letters >= min_share * n_latin
        and ku_words >= _KURMANJI_MIN_WORDS
        and ku_letters > tr_letters
        and ku_words > tr_words
    )


def _run_langdetect(sample: str) -> str | None:
    """langdetect's best code for ``sample`` (mapped to ISO 639-1), or ``None`` when no
    language passes its probability threshold. Raises the implementation's
    LangDetectException when the sample has no n-gram it knows."""
    detector = _get_detector().factory.create()
    detector.seed = _SEED
    detector.n_trial = _N_TRIAL
    detector.CONV_THRESHOLD = _CONV_THRESHOLD
    detector.set_max_text_length(SAMPLE_CHARS)
    detector.append(sample)
    ranked = detector.get_probabilities()
    if not ranked:
        return None
    code = str(ranked[0].lang)
    return _LANGDETECT_CODES.get(code, code)


def detect_language(text: str) -> LanguageGuess:
    """Detect the language of article text (title + body paragraphs, already cleaned of chrome).

    Only the first ``SAMPLE_CHARS`` characters are examined. Kurdish is recognised before
    langdetect (which has no Kurdish and would say Turkish or Persian); Turkish from
    langdetect is checked again against the Kurmanji markers, because a Kurdish page reported
    as Turkish would be filed under the wrong edition.
    """
    sample = _sample(text)
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return LanguageGuess(code=None, rule="too-short", raw=sample)
    if _is_sorani(sample):
        return LanguageGuess(code="ku", rule="sorani-letters", raw=sample)
    if _is_kurmanji(sample, detected=None):
        return LanguageGuess(code="ku", rule="kurmanji-markers", raw=sample)

    try:
        code = _run_langdetect(sample)
    except _get_detector().no_features:
        return LanguageGuess(code=None, rule="no-features", raw=sample)
    if code is None:
        return LanguageGuess(code=None, rule="undecided", raw=sample)
    if code == "tr" and _is_kurmanji(sample, detected=code):
        return LanguageGuess(code="ku", rule="kurmanji-markers", raw=sample)
    return LanguageGuess(code=code, rule="langdetect", raw=sample)


# --------------------------------------------------------------------------------------------
# Declarations, URLs, switcher


def language_from_declaration(value: str) -> str | None:
    """Normalise a declared language: an html ``lang`` attribute, JSON-LD ``inLanguage`` or
    ``og:locale``. ``'en-US'`` → ``'en'``, ``'ar_SY'`` → ``'ar'``, ``'kmr'``/``'ckb'`` →
    ``'ku'``, ``'Arabic'`` → ``'ar'``; anything that is not a language (``''``, ``'und'``,
    ``'x-default'``, ``'zz'``) → ``None``, so a broken declaration never outvotes the text."""
    cleaned = value.strip().lower()
    if not cleaned:
        return None
    if cleaned in _DECLARATION_ALIASES:
        return _DECLARATION_ALIASES[cleaned]
    primary = re.split(r"[-_.@]", cleaned, maxsplit=1)[0]
    if primary in _DECLARATION_ALIASES:
        return _DECLARATION_ALIASES[primary]
    if primary in _ISO_639_1:
        return primary
    return None


_SWITCHER_LABELS: Final = {
    label.casefold(): edition for edition in _editions.EDITIONS for label in edition.switcher_labels
}
"""Each edition under the labels other editions' switchers list it by."""


def language_from_switcher(other_editions: Iterable[str]) -> str | None:
    """The edition of a page from its JNews edition switcher, which lists the *other* editions
    (``AR / TR / KU`` on the English site): the one edition not listed, when exactly one is
    missing. Labels are the editions' own (``_editions``: ``'AR'``, ``'Türkçe'``, ``'In English'``)
    or else read as declarations; an unknown label, or a list that leaves none or several
    editions out, gives ``None``."""
    listed: set[str] = set()
    for label in other_editions:
        edition = _SWITCHER_LABELS.get(label.casefold())
        code = edition.code if edition is not None else language_from_declaration(label)
        if code not in EDITIONS:
            return None
        listed.add(code)
    missing = [code for code in EDITIONS if code not in listed]
    return missing[0] if len(missing) == 1 else None
