"""Date parsing for captured coalition pages: the one place that turns text into dates.

Why a hand-written parser rather than ``dateutil.parser.parse``: dateutil fills any missing
day, month or year from *today* (and ``fuzzy=True`` turns ``June 24, 2020The`` into the current
year), while socpress must never invent a date component. Here a date is reported only when
day, month and year are all written in the text; anything less gives ``None`` / no match.
``dateutil.parser.isoparse`` is used only for machine-written ISO meta values.

How it works: the text is first *normalized* into a folded copy with an offset map back into
the original string (bidi controls, tatweel and combining marks dropped; horizontal whitespace
runs, including no-break spaces, collapsed to one space; Arabic-Indic and Persian digits made
ASCII; letters lower-cased, with Turkish dotless/dotted i both folded to ``i``, and stripped of
diacritics, so ``KASIM``, ``kasım`` and ``Kasim`` are one key, and Arabic ``أ/إ/آ`` fold to
``ا``). One precompiled regex then runs over the folded copy. The month names are data (the
tables below), folded with the same function, so the regex and the lookups always agree.

Linear-time guarantee: every quantifier in the patterns is bounded (no ``*``/``+`` over
anything that can repeat a sub-pattern), so each attempt at a position costs a bounded amount
of work and a scan over ``n`` characters is O(n).

Numeric dates (``11.07.2014``, ``04/11/2020``) are read day-first (DD.MM.YYYY, DD/MM/YYYY)
because every numeric date seen on the coalition's sites (Arabic, Turkish and European
conventions) is day-first; a numeric date that is only valid month-first (``11/25/2020``) is
rejected rather than reinterpreted, so the order is never guessed per-date.

Dates never cross a line break: on captured pages a newline separates unrelated blocks.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping

import attrs
from dateutil.parser import isoparse

from socpress._blocks import TATWEEL

# ---------------------------------------------------------------------------------------------
# Data: month and weekday names. Keys are written as they appear in the wild; they are folded
# (see ``_fold_key``) when the lookup tables and the regex are built, so case and diacritic
# variants (``KASIM``/``kasım``/``Kasim``, ``Rêbendan``/``Rebendan``) need not be listed.
# Alef/hamza variants *are* listed explicitly even though folding also merges them, so the
# tables document what was seen.
# ---------------------------------------------------------------------------------------------

MONTHS_EN: Mapping[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # Typos seen on (or typical of) the coalition's English pages.
    "augusts": 8, "agust": 8, "febuary": 2, "feburary": 2, "januray": 1, "janaury": 1,
    "septmber": 9, "setpember": 9, "ocotber": 10, "novmber": 11, "novemeber": 11,
    "decmber": 12, "decemeber": 12,
}  # fmt: skip

MONTHS_AR_LEVANTINE: Mapping[str, int] = {
    "كانون الثاني": 1, "كانون ثاني": 1,
    "شباط": 2,
    "آذار": 3, "اذار": 3, "أذار": 3,
    "نيسان": 4,
    "أيار": 5, "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8, "اب": 8,
    "أيلول": 9, "ايلول": 9,
    "تشرين الأول": 10, "تشرين الاول": 10, "تشرين أول": 10, "تشرين اول": 10,
    "تشرين الثاني": 11, "تشرين ثاني": 11,
    "كانون الأول": 12, "كانون الاول": 12, "كانون أول": 12, "كانون اول": 12,
}  # fmt: skip

MONTHS_AR_EGYPTIAN: Mapping[str, int] = {
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "أبريل": 4, "ابريل": 4, "إبريل": 4,
    "مايو": 5,
    "يونيو": 6, "يونية": 6, "يونيه": 6,
    "يوليو": 7, "يولية": 7, "يوليه": 7,
    "أغسطس": 8, "اغسطس": 8,
    "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "أكتوير": 10, "اكتوير": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
}  # fmt: skip

MONTHS_TR: Mapping[str, int] = {
    "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7,
    "ağustos": 8, "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
}  # fmt: skip

MONTHS_KU: Mapping[str, int] = {
    "rêbendan": 1, "çile": 1, "kanûn": 1, "kanûna paşîn": 1,
    "reşemeh": 2, "reşemî": 2, "sibat": 2,
    "adar": 3, "nîsan": 4, "gulan": 5, "hezîran": 6, "tîrmeh": 7, "tebax": 8,
    "îlon": 9, "cotmeh": 10, "mijdar": 11,
    "berfanbar": 12, "kanûna pêşîn": 12,
}  # fmt: skip

# Monday = 0 (``datetime.date.weekday``). Weekdays are accepted as a prefix only; a weekday
# that disagrees with the date is kept as written (the date is what the page says).
WEEKDAYS_EN: Mapping[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip

WEEKDAYS_AR: Mapping[str, int] = {
    "الإثنين": 0, "الاثنين": 0, "الأثنين": 0,
    "الثلاثاء": 1, "الثلاثا": 1,
    "الأربعاء": 2, "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4, "الجمعه": 4,
    "السبت": 5,
    "الأحد": 6, "الاحد": 6,
}  # fmt: skip

WEEKDAYS_TR: Mapping[str, int] = {
    "pazartesi": 0, "salı": 1, "çarşamba": 2, "perşembe": 3, "cuma": 4, "cumartesi": 5,
    "pazar": 6,
}  # fmt: skip

# Kurmanji. The short Friday "În" is left out on purpose: folded it is "in", and English
# "In 5 May 2020" must not be read as a weekday-prefixed date.
WEEKDAYS_KU: Mapping[str, int] = {
    "duşem": 0, "duşemb": 0, "sêşem": 1, "sêşemb": 1, "çarşem": 2, "çarşemb": 2,
    "pêncşem": 3, "pêncşemb": 3, "înî": 4, "şemî": 5, "yekşem": 6, "yekşemb": 6,
}  # fmt: skip

MONTH_TABLES: tuple[Mapping[str, int], ...] = (
    MONTHS_EN, MONTHS_AR_LEVANTINE, MONTHS_AR_EGYPTIAN, MONTHS_TR, MONTHS_KU,
)  # fmt: skip
WEEKDAY_TABLES: tuple[Mapping[str, int], ...] = (WEEKDAYS_EN, WEEKDAYS_AR, WEEKDAYS_TR, WEEKDAYS_KU)

WEEKDAY_STAMP = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"الإثنين|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد),? "
    r"\d{1,2} \S{2,20} \d{4} \d{1,2}:\d{2}$"
)
"""A line that is only a weekday, a date and a time (``Monday, 5 June 2017 10:32``): the
render-date stamp some layouts print first."""

# A source error seen on the Arabic site: "26 كانون شباط، 2016" (26 February 2016). A bare
# "كانون" directly followed by another month name is dropped and the other month is taken.
_KANUN = "كانون"

MIN_YEAR = 1990
MAX_YEAR = 2099


@attrs.frozen(kw_only=True)
class DateMatch:
    """One complete date found in a string, with where it was written and how."""

    value: datetime.date
    start: int
    end: int
    raw: str
    form: str
    has_time: bool


# ---------------------------------------------------------------------------------------------
# Normalization with an offset map.
# ---------------------------------------------------------------------------------------------

_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Case folds that ``str.lower`` gets wrong for our purpose: Turkish dotless ı and dotted İ
# both become plain ``i`` so that ``KASIM`` (ASCII I) and ``kasım`` (dotless ı) meet.
_SPECIAL_FOLDS: Mapping[str, str] = {"ı": "i", "İ": "i"}


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """Fold one character: '' (drop), ' ', '\\n', or one folded character.

    Always at most one character out, so offsets stay mappable. Format characters (Cf:
    bidi marks and embeddings, ZWJ/ZWNJ, soft hyphen), combining marks (Arabic harakat,
    decomposed diacritics) and tatweel carry no date information and are dropped.
    """
    if char in _LINE_BREAKS:
        return "\n"
    if char.isspace():
        return " "
    if char == TATWEEL:
        return ""
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me"):
        return ""
    code = ord(char)
    if 0x0660 <= code <= 0x0669:
        return chr(code - 0x0660 + 0x30)
    if 0x06F0 <= code <= 0x06F9:
        return chr(code - 0x06F0 + 0x30)
    special = _SPECIAL_FOLDS.get(char)
    if special is not None:
        return special
    lower = char.lower()
    if len(lower) != 1:
        lower = char
    decomposed = unicodedata.normalize("NFD", lower)
    if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
        return decomposed[0]
    return lower


def _normalize(text: str) -> tuple[str, list[int]]:
    """Return the folded text and, for each of its characters, the index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    previous_space = False
    for position, char in enumerate(text):
        folded = _fold_char(char)
        if not folded:
            continue
        if folded == " ":
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        out.append(folded)
        index.append(position)
    return "".join(out), index


def _fold_key(name: str) -> str:
    """Fold a table key exactly as running text is folded."""
    return _normalize(name)[0].strip()


def _lookup(tables: Iterable[Mapping[str, int]]) -> dict[str, int]:
    return {_fold_key(name): number for table in tables for name, number in table.items()}


def _alternation(names: Iterable[str]) -> str:
    """Regex alternation, longest first so that ``march`` wins over ``mar``."""
    return "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))


# Folded lookups; built at import only because the regex below is compiled from them.
_MONTH_LOOKUP: dict[str, int] = _lookup(MONTH_TABLES)
_WEEKDAY_LOOKUP: dict[str, int] = _lookup(WEEKDAY_TABLES)
_KANUN_PREFIX = _fold_key(_KANUN) + " "

# ---------------------------------------------------------------------------------------------
# Patterns (over folded text: lower case, ASCII digits, single spaces).
# ---------------------------------------------------------------------------------------------

_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_MONTH_WORD = rf"(?:{_alternation(_MONTH_LOOKUP)}){_NOT_LETTER_AFTER}"
# Optional bare "كانون " before a month (source error), then an optional "/" second name
# ("شباط/فبراير", "نوفمبر/تشرين الثاني"); consistency is checked in ``_month_of``.
_MONTH_PHRASE = rf"(?:{re.escape(_KANUN_PREFIX)})?{_MONTH_WORD}(?: ?/ ?{_MONTH_WORD})?\.?"
_WEEKDAY = rf"(?:{_alternation(_WEEKDAY_LOOKUP)}){_NOT_LETTER_AFTER}\.?(?: ?[,،:] ?| )"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?!\d)"
_ORDINAL = r"(?:st|nd|rd|th)?"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])(?!\d)"
_YEAR = r"(?:199\d|20\d\d)(?!\d)"
# Between the day/month and the year: a comma (Latin or Arabic) with optional spaces around
# it ("6 June , 2023", "15 آب، 2017"), or a single space.
_SEP = r"(?: ?[,،] ?| )"
_TIME = (
    r"(?: ?[,،|-] ?| )(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"
    rf"(?: ?[ap]\.?m\.?{_NOT_LETTER_AFTER})?(?![\d:])"
)
_ISO_TIME = (
    r"[t ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d{1,9})?)?"
    r"(?:z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?(?![\d:])"
)
# A day that follows a digit, or a digit and a separator ("1.5 May"), is part of a number.
_DAY_BOUNDARY = r"(?<!\d)(?<!\d[.:/])"

_DATE_RX = re.compile(
    # "November 21, 2022", "Aug 22 2020", "Friday, June 5th, 2020 10:00"
    rf"(?P<mdy>(?P<mdy_wd>{_WEEKDAY})?(?P<mdy_mon>{_MONTH_PHRASE}) ?"
    rf"(?P<mdy_day>{_DAY}){_ORDINAL}{_SEP}(?P<mdy_year>{_YEAR})(?P<mdy_time>{_TIME})?)"
    # "Friday, 16 January 2015 00:22", "15 آب، 2017", "الأربعاء : 18 ديسمبر 2024"
    rf"|(?P<dmy>(?P<dmy_wd>{_WEEKDAY})?{_DAY_BOUNDARY}(?P<dmy_day>{_DAY}){_ORDINAL} ?(?:of )?"
    rf"(?P<dmy_mon>{_MONTH_PHRASE}){_SEP}(?P<dmy_year>{_YEAR})(?P<dmy_time>{_TIME})?)"
    # "11.07.2014", "20.12.2024, 11:25", "04/11/2020": day first, see module docstring.
    rf"|(?P<num>(?P<num_wd>{_WEEKDAY})?(?<![\d.:/-])(?P<num_day>{_DAY})(?P<num_sep>[./])"
    rf"(?P<num_mon>{_MONTH_NUMBER})(?P=num_sep)(?P<num_year>{_YEAR})(?![./]\d)"
    rf"(?P<num_time>{_TIME})?)"
    # "2022-11-21", "2022-11-21T10:15:00+03:00"
    rf"|(?P<iso>(?<![\d./-])(?P<iso_year>{_YEAR})-(?P<iso_mon>0[1-9]|1[0-2])-"
    rf"(?P<iso_day>0[1-9]|[12]\d|3[01])(?!\d)(?P<iso_time>{_ISO_TIME})?)"
)

_TRAILING_WEEKDAY = re.compile(
    rf"(?: ?[,،] ?| )(?:{_alternation(_WEEKDAY_LOOKUP)}){_NOT_LETTER_AFTER}"
)
"""A weekday written after a date on a line of its own (``27 Mayıs 2021 Perşembe``)."""

_CORE_FORMS: Mapping[str, str] = {
    "mdy": "month-day-year",
    "dmy": "day-month-year",
    "iso": "iso",
}

# Calendar date at the start of an ISO value: YYYY-MM-DD or YYYYMMDD, then end or time.
_ISO_VALUE_RX = re.compile(r"\d{4}(?:-\d\d-\d\d|\d{4})(?![\d-])")

_LINE_TRAILING = " \n.,،"

# Every form needs its year in digits, and folding makes these characters ASCII digits and
# no others (tests/test_fast_paths.py checks each code point): a line without one is no
# date, and a search says so far faster than folding the line.
_ANY_DIGIT = re.compile("[0-9\u0660-\u0669\u06f0-\u06f9]")


def _month_of(phrase: str) -> int | None:
    """Month number of a folded month phrase, or None if unknown or self-contradictory.

    ``شباط/فبراير`` names one month in two series and is fine; ``مارس/أيار`` names two different
    months and is rejected rather than guessed.
    """
    months: set[int] = set()
    for raw_part in phrase.rstrip(".").split("/"):
        part = raw_part.strip()
        number = _MONTH_LOOKUP.get(part)
        if number is None and part.startswith(_KANUN_PREFIX):
            number = _MONTH_LOOKUP.get(part[len(_KANUN_PREFIX) :])
        if number is None:
            return None
        months.add(number)
    if len(months) != 1:
        return None
    return months.pop()


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _glue_ok(text: str, folded: str, index: list[int], start: int) -> bool:
    """Whether a match starting with a letter at ``folded[start]`` begins a word.

    Collapsed markup glues words: ``CommunicationsJune 24, 2020``. A name that follows a letter
    is accepted only at such a lower-to-upper case seam in the original text; ``dismay 5, 2020``
    or an Arabic prefix glued to a month are not dates.
    """
    if start == 0 or not folded[start].isalpha() or not folded[start - 1].isalpha():
        return True
    return text[index[start]].isupper() and text[index[start - 1]].islower()


def _build(match: re.Match[str], text: str, folded: str, index: list[int]) -> DateMatch | None:
    """Validate a structural regex match and turn it into a DateMatch (None if invalid)."""
    kind = match.lastgroup
    if kind is None:  # pragma: no cover - every alternative is a named group
        return None
    day = int(match.group(f"{kind}_day"))
    year = int(match.group(f"{kind}_year"))
    if kind in ("num", "iso"):
        month: int | None = int(match.group(f"{kind}_mon"))
    else:
        month = _month_of(match.group(f"{kind}_mon"))
    if month is None:
        return None
    value = _make_date(year, month, day)
    if value is None:
        return None
    start, end = match.span()
    if not _glue_ok(text, folded, index, start):
        return None
    has_weekday = kind != "iso" and match.group(f"{kind}_wd") is not None
    has_time = match.group(f"{kind}_time") is not None
    if kind == "num":
        core = "dotted" if match.group("num_sep") == "." else "slashed"
    else:
        core = _CORE_FORMS[kind]
    form = ("weekday-" if has_weekday else "") + core + ("-time" if has_time else "")
    original_start = index[start]
    original_end = index[end - 1] + 1
    return DateMatch(
        value=value,
        start=original_start,
        end=original_end,
        raw=text[original_start:original_end],
        form=form,
        has_time=has_time,
    )


def parse_date_line(line: str) -> DateMatch | None:
    """Parse a line that consists only of one date expression; else None.

    Surrounding whitespace, trailing commas/periods, bidi controls and tatweel are ignored.
    An optional leading weekday and trailing time belong to the expression. Used for header
    and stamp lines, where anything besides the date means the line is something else.
    Offsets are into ``line``.
    """
    if _ANY_DIGIT.search(line) is None:
        return None
    folded, index = _normalize(line)
    begin = len(folded) - len(folded.lstrip(" \n"))
    finish = len(folded.rstrip(_LINE_TRAILING))
    if finish <= begin:
        return None
    match = _DATE_RX.fullmatch(folded, begin, finish)
    if match is None:
        # A weekday may also follow the date (Turkish ``27 Mayıs 2021 Perşembe``).
        match = _DATE_RX.match(folded, begin, finish)
        if match is None or _TRAILING_WEEKDAY.fullmatch(folded, match.end(), finish) is None:
            return None
        built = _build(match, line, folded, index)
        if built is None:
            return None
        end = index[finish - 1] + 1
        return attrs.evolve(
            built, end=end, raw=line[built.start : end], form=built.form + "-weekday"
        )
    return _build(match, line, folded, index)


def find_dates(text: str) -> tuple[DateMatch, ...]:
    """Every complete date (day, month and year written) in running text, left to right.

    Matches do not overlap. Text glued by collapsed markup works (``June 24, 2020The``: a year
    followed by a letter is fine, by a digit it is not). A structural match that fails
    validation (``Feb 30, 2020``) is skipped and the scan resumes one character later.
    """
    folded, index = _normalize(text)
    found: list[DateMatch] = []
    position = 0
    while True:
        match = _DATE_RX.search(folded, position)
        if match is None:
            break
        date_match = _build(match, text, folded, index)
        if date_match is None:
            position = match.start() + 1
            continue
        found.append(date_match)
        position = match.end()
    return tuple(found)


def parse_iso_datetime(value: str) -> datetime.date | None:
    """Calendar date of an ISO 8601 meta value, as written (no timezone conversion).

    ``2022-11-21T23:30:00-05:00`` is 21 November: the publisher wrote that date, and converting
    to UTC would move it. Incomplete values (``2022-11``, ``2022``) give None rather than being
    completed to the first of the month, which ``isoparse`` would do.
    """
    stripped = value.strip()
    if _ISO_VALUE_RX.match(stripped) is None:
        return None
    try:
        return isoparse(stripped).date()
    except (ValueError, OverflowError):
        return None
