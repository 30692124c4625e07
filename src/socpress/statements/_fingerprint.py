"""An article's fingerprint: what grouping compares, computed once per article.

The body is normalized so that what differs between witnesses of one statement and is not
the statement goes (case, Unicode forms, Arabic diacritics, tatweel and letter variants,
Arabic-Indic digits, thousands separators, punctuation), while what tells two statements
apart stays: digits are kept in every shingle, because a template reused for the next
anniversary differs mostly in its numbers. The sketches are word shingles inside a paragraph
(never across a paragraph break, so a banner paragraph is a stretch of its own); the anchors
are the facts that survive translation (numbers, full dates, UN resolution numbers) and the
names and URL slug that survive light edits.

Everything is plain ``bytes`` and ``int`` (no numpy): a fingerprint is small, picklable and
JSON-ready, and grouping keeps only these in compact arrays.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
import urllib.parse
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence

from socpress._model import Article
from socpress._site import dates as site_dates
from socpress._site import urls
from socpress.statements._values import Fingerprint

SHINGLE_WORDS = 3
"""Words per shingle. Three keeps a light edit (``U.S.`` for ``US``) from costing five
shingles, and is still rare enough across unrelated statements."""
MINHASH_SIZE = 64
"""Values kept in the bottom-k MinHash sketch."""
LEAD_WORDS = 12
"""Words of the body's opening compared with a listing teaser's."""
PARAGRAPH_LEAD_WORDS = 8
"""Words of a paragraph's opening kept apart, so a capture cut inside a paragraph still
matches the whole one."""

_MASK64 = (1 << 64) - 1

# One table: Arabic-Indic and Persian digits to ASCII, Arabic letter variants folded,
# tatweel, diacritics and Quranic marks dropped, the Arabic thousands separator a comma.
_FOLD: dict[int, int | None] = {
    **str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"),
    **str.maketrans("أإآٱىة\u066c", "اااايه,"),
    **dict.fromkeys([0x0640, *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]),
}
# 29,894 / 29.894 / 29 894 / 29٬894: a group of three digits after a separator is a thousands
# group in every edition's usage (a decimal with three places is rare in statements).
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:[,.\u00a0\u202f ]\d{3})+)(?![\d]|[.,]\d)")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])(\d+(?:[.,]\d+)?)(?:\s?(%|\w+))?")
# Every repeat is bounded (a word, white space, the list's length), so that a scan stays
# linear on any input (``tests/test_regex_linear.py``): an unbounded ``\w+`` between the
# keyword and the number would be tried again from every letter of a long glued run.
_NUMBER_LIST = (
    r"(\d{3,4}(?:(?:\s{0,3},\s{0,3}|\s{1,3}(?:and|ve|û)\s{1,3}|\s{0,3}و\s{0,3})\d{3,4}){0,8})"
    r"(?!\d)"
)
_RESOLUTION = re.compile(
    r"(?i)(?:resolutions?|unscr|res\.|القرارين|القرارات|القرار|قرار|biryarên|biryara|biryar)"
    r"\W{0,3}(?:\w{1,24}\W{1,3}){0,3}?(?:no\.?\s{0,3})?" + _NUMBER_LIST
)
# Turkish writes the number first: ``2254 sayılı karar``, ``2254 ve 2118 sayılı kararlar``.
_RESOLUTION_AFTER = re.compile(
    r"(?i)" + _NUMBER_LIST + r"\s{1,3}sayılı\s{1,3}(?:\w{1,24}\s{1,3}){0,3}?karar"
)
_LISTED = re.compile(r"\d{3,4}")
# A name: a capitalized Latin-script word not opening a sentence, not in the stop list.
_NAME = re.compile(r"(?<=[\w,;:’'\")] )([A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?)")
_NAME_STOP = frozenset(
    [
        "the",
        "this",
        "that",
        "these",
        "those",
        "they",
        "their",
        "there",
        "then",
        "and",
        "but",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "after",
        "before",
        "during",
        "while",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "what",
        "also",
        "moreover",
        "however",
        "syrian",
        "syria",
        "coalition",
        "opposition",
        "revolution",
        "forces",
        "national",
        "council",
        "committee",
        "political",
        "general",
        "assembly",
        "president",
        "vice",
        "secretary",
        "department",
        "media",
        "office",
        "state",
        "states",
        "government",
        "regime",
        "ministry",
        "minister",
        "foreign",
        "affairs",
        "united",
        "nations",
        "security",
        "international",
        "european",
        "union",
        "republic",
        "assad",
        "russian",
        "russia",
        "iranian",
        "iran",
        "turkish",
        "turkey",
        "american",
        "arab",
        "arabic",
        "islamic",
        "army",
        "free",
        "press",
        "release",
        "statement",
        "media",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_UNITS = {
    "%": "%",
    "percent": "%",
    "per": "%",
    "km": "km",
    "kilometers": "km",
    "kilometres": "km",
    "million": "e6",
    "millions": "e6",
    "billion": "e9",
    "thousand": "e3",
    "مليون": "e6",
    "مليار": "e9",
    "ألف": "e3",
    "الف": "e3",
    "milyon": "e6",
    "milyar": "e9",
    "bin": "e3",
    "mîlyon": "e6",
}


def normalize(text: str) -> str:
    """The words of ``text`` as grouping compares them: NFKC, case-folded, Arabic folded,
    digits made ASCII and thousands groups joined, punctuation dropped, one space between."""
    return " ".join(_words(text))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text).casefold())


def hash64(text: str) -> int:
    """A stable 64-bit hash: two CRC-32s of the UTF-8 text (plain and seeded), the same in
    every process, unlike ``hash``; half the cost of BLAKE2b, and a shingle is hashed for
    every word of every page."""
    data = text.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.crc32(data, 0x9E3779B9)


def _pack(values: Iterable[int]) -> bytes:
    return array("Q", values).tobytes()


def unpack(data: bytes) -> array[int]:
    """The 64-bit values a fingerprint's ``bytes`` field holds (little-endian)."""
    values = array("Q")
    values.frombytes(data)
    return values


# A 64-bit hash spread into 64 lanes of 16 bits, so that one big-integer addition counts
# every bit position of every shingle at once (simhash without a loop over 64 bits).
_LANE = 16
_SPREAD = [sum(1 << (bit * _LANE) for bit in range(8) if byte >> bit & 1) for byte in range(256)]


def _simhash(hashes: Sequence[int]) -> int:
    if not hashes:
        return 0
    total = 0
    for value in hashes:
        spread = 0
        for position in range(8):
            spread |= _SPREAD[value >> (8 * position) & 255] << (position * 8 * _LANE)
        total += spread
    half = len(hashes) / 2
    mask = (1 << _LANE) - 1
    out = 0
    for bit in range(64):
        if (total >> (bit * _LANE) & mask) > half:
            out |= 1 << bit
    return out


def shingle_hashes(paragraphs: Sequence[Sequence[str]]) -> set[int]:
    """The 64-bit hashes of the word shingles of each paragraph (a paragraph shorter than a
    shingle is one shingle of its own)."""
    found: set[int] = set()
    width = SHINGLE_WORDS
    for words in paragraphs:
        if len(words) < width:
            if words:
                found.add(hash64(" ".join(words)))
            continue
        for start in range(len(words) - width + 1):
            found.add(hash64(" ".join(words[start : start + width])))
    return found


def _numbers(folded: str) -> set[str]:
    out: set[str] = set()
    for match in _NUMBER.finditer(folded):
        digits = match.group(1).replace(",", ".")
        unit = _UNITS.get((match.group(2) or "").casefold())
        whole = digits.split(".")[0]
        if unit is not None:
            out.add(f"number:{digits}{unit}")
        elif "." in digits:
            out.add(f"number:{digits}")
        elif len(whole) == 4 and site_dates.MIN_YEAR <= int(whole) <= site_dates.MAX_YEAR:
            out.add(f"year:{whole}")
        elif int(whole) >= 10:
            out.add(f"number:{int(whole)}")
    return out


def anchors_of(article: Article) -> tuple[str, ...]:
    """The anchors of ``article``, sorted: ``number:29894``, ``number:2.5e6``, ``year:2011``,
    ``date:2022-11-21``, ``resolution:2254``, ``name:goldrich``, ``slug:<last URL segment>``.

    A year alone is kept apart from other numbers (``year:``): every statement names 2011.
    Dates are the full dates written in the body, in any edition's language."""
    return _anchors(article, [_fold(p) for p in article.paragraphs])


# A year in any digit script (``\d`` is any decimal digit), not inside a longer number.
_YEAR = re.compile(r"(?<!\d)(?:19|20|١٩|٢٠|۱۹|۲۰)\d\d(?!\d)")
_BEFORE_YEAR = 48
"""Characters before a year that a written date may take (``Tuesday, 6 June , 2023``)."""
_AFTER_YEAR = 16
"""And after it (``27 Mayıs 2021 Perşembe``, ``2020-12-24``)."""


def _date_windows(text: str) -> Iterator[str]:
    """The stretches of ``text`` around its years, each widened to word boundaries and
    overlapping ones joined: where ``find_dates`` can find a full date, which writes its
    year. (Reading whole paragraphs with it costs more than the rest of a fingerprint.)"""
    start = end = -1
    for match in _YEAR.finditer(text):
        left = text.rfind(" ", 0, max(0, match.start() - _BEFORE_YEAR)) + 1
        right = text.find(" ", match.end() + _AFTER_YEAR)
        right = len(text) if right < 0 else right
        if left <= end:
            end = right
            continue
        if end >= 0:
            yield text[start:end]
        start, end = left, right
    if end >= 0:
        yield text[start:end]


def _anchors(article: Article, folded_paragraphs: Sequence[str]) -> tuple[str, ...]:
    folded = "\n".join(folded_paragraphs)
    found = _numbers(folded)
    for raw in article.paragraphs:
        for window in _date_windows(raw):
            for written in site_dates.find_dates(window):
                found.add(f"date:{written.value.isoformat()}")
                found.discard(f"number:{written.value.day}")
    for pattern in (_RESOLUTION, _RESOLUTION_AFTER):
        for resolution in pattern.finditer(folded):
            for number in _LISTED.findall(resolution.group(1)):
                found.add(f"resolution:{number}")
                found.discard(f"number:{number}")
    for match in _NAME.finditer(folded):
        word = match.group(1).casefold()
        if len(word) >= 4 and word not in _NAME_STOP:
            found.add(f"name:{word}")
    slug = _slug(article.url)
    if slug is not None:
        found.add(f"slug:{slug}")
    return tuple(sorted(found))


def _slug(url: str | None) -> str | None:
    if url is None:
        return None
    got = urls.slug_title(url)
    if got is None:
        return None
    return urllib.parse.unquote(got[1]).casefold()


STRONG_KINDS = ("number:", "date:", "resolution:")
"""Anchors that survive translation and rarely recur between statements by chance."""


def strong(anchors: Iterable[str]) -> set[str]:
    """The anchors among ``anchors`` that survive translation (``STRONG_KINDS``)."""
    return {a for a in anchors if a.startswith(STRONG_KINDS)}


def minhash(hashes: Iterable[int]) -> bytes:
    """The bottom-k MinHash sketch of a set of 64-bit hashes: its ``MINHASH_SIZE`` smallest,
    ascending, packed little-endian."""
    return _pack(heapq.nsmallest(MINHASH_SIZE, hashes))


def estimate(a: bytes, b: bytes, size_a: int, size_b: int) -> tuple[float, float, float]:
    """``(jaccard, containment of a in b, containment of b in a)`` estimated from two bottom-k
    sketches and the set sizes they were drawn from."""
    if not size_a or not size_b:
        return 0.0, 0.0, 0.0
    left, right = unpack(a), unpack(b)
    union = heapq.nsmallest(MINHASH_SIZE, set(left) | set(right))
    both = set(left) & set(right)
    if not union:
        return 0.0, 0.0, 0.0
    jaccard = sum(1 for v in union if v in both) / len(union)
    if len(left) < MINHASH_SIZE and len(right) < MINHASH_SIZE:
        jaccard = len(both) / len(set(left) | set(right))  # exact: both sketches are whole
    shared = jaccard * (size_a + size_b) / (1 + jaccard)
    return jaccard, min(1.0, shared / size_a), min(1.0, shared / size_b)


class Prepared:
    """An article's body folded and split into words, once: what every part of its
    fingerprint is computed from."""

    __slots__ = ("body", "folded", "words")

    def __init__(self, article: Article) -> None:
        self.folded = [_fold(p) for p in article.paragraphs]
        self.words = [_WORD.findall(f.casefold()) for f in self.folded]
        self.body = hashlib.blake2b(
            "\n".join(" ".join(p) for p in self.words).encode("utf-8"), digest_size=16
        ).hexdigest()
        """Hex BLAKE2b-128 of the normalized body (``Fingerprint.body``)."""


def title_hash(article: Article) -> int | None:
    """``Fingerprint.title``."""
    if article.title is None:
        return None
    words = _words(article.title)
    return hash64(" ".join(words)) if words else None


def fingerprint(article: Article) -> Fingerprint:
    """The fingerprint of ``article``'s body, title and URL (see ``Fingerprint``)."""
    return build(article, Prepared(article), with_simhash=True)


def build(article: Article, prepared: Prepared, *, with_simhash: bool) -> Fingerprint:
    """The fingerprint from a prepared body. Grouping does not compare simhashes (its
    sketches are the MinHash and the paragraph hashes), so it builds without one (0): the
    simhash is for pipelines that index fingerprints by Hamming distance."""
    words = prepared.words
    flat = [w for para in words for w in para]
    hashes = shingle_hashes(words)
    return Fingerprint(
        body=prepared.body,
        simhash=_simhash(sorted(hashes)) if with_simhash else 0,
        minhash=minhash(hashes),
        shingles=len(hashes),
        paragraphs=_pack(hash64(" ".join(p)) for p in words),
        leads=_pack(hash64(" ".join(p[:PARAGRAPH_LEAD_WORDS])) for p in words),
        tails=_pack(hash64(" ".join(p[-PARAGRAPH_LEAD_WORDS:])) for p in words),
        lead=hash64(" ".join(flat[:LEAD_WORDS])) if flat else 0,
        title=title_hash(article),
        anchors=_anchors(article, prepared.folded),
    )
