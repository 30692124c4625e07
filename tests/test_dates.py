"""Tests for socpress._site.dates: every date format seen on the coalition's pages, and the guards.

The examples are copied from real captures (see DATA.md, "Traps"). The property tests render
random valid dates in each supported format and language and check they are read back exactly,
and that ``find_dates`` is total and offset-exact on arbitrary text.
"""

from __future__ import annotations

import datetime
import re
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socpress._site import dates as _dates
from socpress._site.dates import DateMatch, find_dates, parse_date_line, parse_iso_datetime

D = datetime.date

# --------------------------------------------------------------------------------------------
# Example-based cases
# --------------------------------------------------------------------------------------------

LINE_CASES: list[tuple[str, datetime.date, str, bool]] = [
    ("November 21, 2022", D(2022, 11, 21), "month-day-year", False),
    ("June 05, 2013", D(2013, 6, 5), "month-day-year", False),
    ("Aug 22 2020", D(2020, 8, 22), "month-day-year", False),
    ("Aug. 22, 2020", D(2020, 8, 22), "month-day-year", False),
    ("Sept 3, 2019", D(2019, 9, 3), "month-day-year", False),
    ("Augusts 21, 2013", D(2013, 8, 21), "month-day-year", False),
    ("NOVEMBER 21, 2022", D(2022, 11, 21), "month-day-year", False),
    ("june 5th, 2020", D(2020, 6, 5), "month-day-year", False),
    ("Friday, 16 January 2015 00:22", D(2015, 1, 16), "weekday-day-month-year-time", True),
    ("Saturday, 08 June 2013 17:22", D(2013, 6, 8), "weekday-day-month-year-time", True),
    ("Friday, 28 February 2020", D(2020, 2, 28), "weekday-day-month-year", False),
    ("30 April 2020", D(2020, 4, 30), "day-month-year", False),
    ("Tuesday, 6 June , 2023", D(2023, 6, 6), "weekday-day-month-year", False),
    ("Sunday, 25 May , 2025", D(2025, 5, 25), "weekday-day-month-year", False),
    ("Friday, June 5, 2020 10:30 am", D(2020, 6, 5), "weekday-month-day-year-time", True),
    ("11.07.2014", D(2014, 7, 11), "dotted", False),
    ("20.12.2024, 11:25", D(2024, 12, 20), "dotted-time", True),
    ("04/11/2020", D(2020, 11, 4), "slashed", False),
    ("2022-11-21", D(2022, 11, 21), "iso", False),
    ("2022-11-21T10:15:00+03:00", D(2022, 11, 21), "iso-time", True),
    ("21 Kasım 2022", D(2022, 11, 21), "day-month-year", False),
    ("21 KASIM 2022", D(2022, 11, 21), "day-month-year", False),
    ("21 kasım 2022", D(2022, 11, 21), "day-month-year", False),
    ("21 Kasim 2022", D(2022, 11, 21), "day-month-year", False),
    ("3 Ağustos 2021", D(2021, 8, 3), "day-month-year", False),
    ("3 AGUSTOS 2021", D(2021, 8, 3), "day-month-year", False),
    ("9 NİSAN 2021", D(2021, 4, 9), "day-month-year", False),
    ("Pazartesi, 21 Kasım 2022", D(2022, 11, 21), "weekday-day-month-year", False),
    ("21 Mijdar 2022", D(2022, 11, 21), "day-month-year", False),
    ("1 Rêbendan 2020", D(2020, 1, 1), "day-month-year", False),
    ("1 Rebendan 2020", D(2020, 1, 1), "day-month-year", False),
    ("7 Çile 2020", D(2020, 1, 7), "day-month-year", False),
    ("12 Sibat 2019", D(2019, 2, 12), "day-month-year", False),
    ("12 Reşemeh 2019", D(2019, 2, 12), "day-month-year", False),
    ("Duşem, 2 Îlon 2019", D(2019, 9, 2), "weekday-day-month-year", False),
    ("١٥ آب، ٢٠١٧", D(2017, 8, 15), "day-month-year", False),
    ("۱۵ آب ۲۰۱۷", D(2017, 8, 15), "day-month-year", False),
    ("26 شباط/فبراير 2016", D(2016, 2, 26), "day-month-year", False),
    ("26 كانون شباط، 2016", D(2016, 2, 26), "day-month-year", False),
    ("4 نوفمبر/تشرين الثاني 2012", D(2012, 11, 4), "day-month-year", False),
    ("8 ديسمبر/كانون الأول 2024", D(2024, 12, 8), "day-month-year", False),
    ("الأربعاء : 18 ديسمبر 2024", D(2024, 12, 18), "weekday-day-month-year", False),
    ("3 تشرين الاول 2015", D(2015, 10, 3), "day-month-year", False),
    ("3 كانون الثاني 2015", D(2015, 1, 3), "day-month-year", False),
    ("12 أكتوير 2019", D(2019, 10, 12), "day-month-year", False),
    ("5 ايار 2014", D(2014, 5, 5), "day-month-year", False),
    ("5 أيار 2014", D(2014, 5, 5), "day-month-year", False),
    ("9 اذار 2014", D(2014, 3, 9), "day-month-year", False),
    ("1 يونية 2014", D(2014, 6, 1), "day-month-year", False),
    ("1 يونيــو 2014", D(2014, 6, 1), "day-month-year", False),  # tatweel
    ("\u200f15 آب، 2017\u200f", D(2017, 8, 15), "day-month-year", False),  # bidi marks
    ("30\u00a0April\u00a0\u00a02020", D(2020, 4, 30), "day-month-year", False),  # NBSP runs
    ("  June 5, 2020.  ", D(2020, 6, 5), "month-day-year", False),
    ("June 5, 2020,", D(2020, 6, 5), "month-day-year", False),
    # The Turkish edition's press headers print the weekday after the date.
    ("27 Mayıs 2021 Perşembe", D(2021, 5, 27), "day-month-year-weekday", False),
    ("9 Eylül 2021, Perşembe", D(2021, 9, 9), "day-month-year-weekday", False),
]


@pytest.mark.parametrize(("line", "expected", "form", "has_time"), LINE_CASES)
def test_parse_date_line(line: str, expected: datetime.date, form: str, has_time: bool) -> None:
    match = parse_date_line(line)
    assert match is not None
    assert match.value == expected
    assert match.form == form
    assert match.has_time is has_time
    assert line[match.start : match.end] == match.raw


NOT_DATE_LINES = [
    "June 2020",
    "May",
    "May 2020",
    "32 May 2020",
    "2020",
    "12:30",
    "+963 944 123 456",
    "0944 12 05 2020",
    "Feb 30, 2020",
    "29 February 2019",
    "31.04.2020",
    "11/25/2020",  # only valid month-first: rejected, never reinterpreted
    "5 May 1850",
    "5 May 2150",
    "June 24, 20201",
    "2022-11",
    "30 April 2020 In Coalition News",
    "Posted on June 5, 2020",
    "",
    "   ",
    "مارس/أيار 2011",
    "5 مارس/أيار 2011",  # two different months: contradictory, not guessed
    "كانون 2016",
    "5 كانون 2016",  # bare Kanun is ambiguous (January or December)
    "In 5 May 2020",
    "Marching 5, 2020",
    "9 Eylül 2021 Perşembeler",  # a weekday must be a whole word
    "تصريــح 1 يونيــو 2014",  # a word before the date: not a date line
]


@pytest.mark.parametrize("line", NOT_DATE_LINES)
def test_parse_date_line_rejects(line: str) -> None:
    assert parse_date_line(line) is None


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("  June 5, 2020.  ", 2, 14),
        ("\u200f\u200fFriday, 16 January 2015 00:22\n", 2, 31),
        ("Tuesday, 6 June , 2023", 0, 22),
        ("\t١٥ آب، ٢٠١٧ ،", 1, 12),
    ],
)
def test_parse_date_line_offsets(line: str, start: int, end: int) -> None:
    match = parse_date_line(line)
    assert match is not None
    assert (match.start, match.end) == (start, end)
    assert match.raw == line[start:end]


FIND_CASES: list[tuple[str, list[tuple[datetime.date, str]]]] = [
    (
        "Press releaseSyrian Opposition Coalition - SyriaDepartment of Media and "
        "CommunicationsJune 24, 2020The Syrian Revolution",
        [(D(2020, 6, 24), "June 24, 2020")],
    ),
    ("09 April 2020 In Coalition News", [(D(2020, 4, 9), "09 April 2020")]),
    ("26 شباط/فبراير 2016 In بيانات صحفية", [(D(2016, 2, 26), "26 شباط/فبراير 2016")]),
    ("Formation11 November 2012 (in Doha, Qatar)", [(D(2012, 11, 11), "11 November 2012")]),
    ("Qamishlo, April 24, 2023", [(D(2023, 4, 24), "April 24, 2023")]),
    (
        "s filtered by date: Friday, 28 February 2020",
        [(D(2020, 2, 28), "Friday, 28 February 2020")],
    ),
    (
        "On April 4, 2017, the Assad regime; on 31 May 2013, the coalition met.",
        [(D(2017, 4, 4), "April 4, 2017"), (D(2013, 5, 31), "31 May 2013")],
    ),
    (
        "published 2022-11-21, updated 20.12.2024, 11:25.",
        [
            (D(2022, 11, 21), "2022-11-21"),
            (D(2024, 12, 20), "20.12.2024, 11:25"),
        ],
    ),
    ("Feb 30, 2020 and Feb 28, 2020", [(D(2020, 2, 28), "Feb 28, 2020")]),
    ("since March 2011, including 198 under torture", []),
    ("in September 2013. These crimes", []),
    ("UN Resolutions 2118 and 2254 of 2015", []),
    ("call +90 212 555 12 34 or 0944.12.2020", []),
    ("dismay 5, 2020 and ROMAY 5, 2020", []),
    ("June 24, 20201", []),
    ("June\n24, 2020", []),  # dates do not cross line breaks
    ("المصدر: الائتلاف ١٥ آب، ٢٠١٧.", [(D(2017, 8, 15), "١٥ آب، ٢٠١٧")]),
    ("Hadi el-Bahra, 21 Kasım 2022 tarihinde", [(D(2022, 11, 21), "21 Kasım 2022")]),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_dates(text: str, expected: list[tuple[datetime.date, str]]) -> None:
    found = find_dates(text)
    assert [(m.value, m.raw) for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.raw


def test_find_dates_glued_offsets() -> None:
    text = "Communications June 24, 2020The Syrian"
    (match,) = find_dates(text)
    assert match == DateMatch(
        value=D(2020, 6, 24),
        start=15,
        end=28,
        raw="June 24, 2020",
        form="month-day-year",
        has_time=False,
    )


def test_find_dates_with_invisible_characters_inside() -> None:
    text = "x 15\u200f آب\u0640، 2017 y"
    (match,) = find_dates(text)
    assert match.value == D(2017, 8, 15)
    assert match.raw == "15\u200f آب\u0640، 2017"
    assert text[match.start : match.end] == match.raw


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-11-21T10:15:00+03:00", D(2022, 11, 21)),
        ("2022-11-21T23:30:00-05:00", D(2022, 11, 21)),  # as written, not converted to UTC
        ("2022-11-21T00:30:00Z", D(2022, 11, 21)),
        ("2022-11-21", D(2022, 11, 21)),
        ("2022-11-21 10:15:00", D(2022, 11, 21)),
        (" 2022-11-21 ", D(2022, 11, 21)),
        ("20221121", D(2022, 11, 21)),
        ("2022-11", None),
        ("2022", None),
        ("2022-02-30", None),
        ("2022-11-21T25:00:00", None),
        ("November 21, 2022", None),
        ("", None),
        ("not a date", None),
    ],
)
def test_parse_iso_datetime(value: str, expected: datetime.date | None) -> None:
    assert parse_iso_datetime(value) == expected


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def test_month_tables_do_not_conflict_after_folding() -> None:
    seen: dict[str, int] = {}
    for table in _dates.MONTH_TABLES:
        for name, number in table.items():
            key = _dates._fold_key(name)
            assert seen.setdefault(key, number) == number, name
            assert 1 <= number <= 12


def test_weekdays_and_months_are_disjoint() -> None:
    months = {_dates._fold_key(n) for t in _dates.MONTH_TABLES for n in t}
    weekdays = {_dates._fold_key(n) for t in _dates.WEEKDAY_TABLES for n in t}
    assert not months & weekdays
    assert "in" not in weekdays


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

EN_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
EN_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AR_LEVANT = [
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
    "تشرين الأول", "تشرين الثاني", "كانون الأول",
]  # fmt: skip
AR_EGYPT = [
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
    "نوفمبر", "ديسمبر",
]  # fmt: skip
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
TR_MONTHS = [
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
    "Kasım", "Aralık",
]  # fmt: skip
TR_WEEKDAYS = ["Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"]
KU_MONTHS = [
    "Rêbendan", "Reşemeh", "Adar", "Nîsan", "Gulan", "Hezîran", "Tîrmeh", "Tebax", "Îlon",
    "Cotmeh", "Mijdar", "Berfanbar",
]  # fmt: skip
KU_WEEKDAYS = ["Duşem", "Sêşem", "Çarşem", "Pêncşem", "Înî", "Şemî", "Yekşem"]

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _ascii(word: str) -> str:
    """Strip diacritics the way a careless typist would (ı -> i)."""
    word = word.replace("ı", "i").replace("İ", "I")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _turkish_upper(word: str) -> str:
    return word.replace("i", "İ").replace("ı", "I").upper()


def _pick_case(draw: st.DrawFn, word: str, turkish: bool = False) -> str:
    upper = _turkish_upper(word) if turkish else word.upper()
    return draw(st.sampled_from([word, word.lower(), upper]))


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31))


@st.composite
def rendered_dates(draw: st.DrawFn) -> tuple[datetime.date, str]:
    """A random date written in one of the supported formats and languages."""
    d = draw(dates)
    day = draw(st.sampled_from([str(d.day), f"{d.day:02d}"]))
    hh, mm = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    time_suffix = draw(st.sampled_from(["", f" {hh:02d}:{mm:02d}", f", {hh}:{mm:02d}"]))
    style = draw(
        st.sampled_from(
            [
                "en-mdy", "en-mdy-abbr", "en-dmy", "en-jnews", "dotted", "slashed", "iso",
                "ar-levant", "ar-egypt", "ar-combined", "tr", "ku",
            ]
        )
    )  # fmt: skip
    month_index = d.month - 1
    weekday = d.weekday()
    if style == "en-mdy":
        month = _pick_case(draw, EN_MONTHS[month_index])
        sep = draw(st.sampled_from([", ", " ", " , "]))
        return d, f"{month} {day}{sep}{d.year}{time_suffix}"
    if style == "en-mdy-abbr":
        month = EN_ABBR[month_index] + draw(st.sampled_from(["", "."]))
        return d, f"{month} {day} {d.year}"
    if style == "en-dmy":
        prefix = draw(st.sampled_from(["", f"{EN_WEEKDAYS[weekday]}, "]))
        return d, f"{prefix}{day} {EN_MONTHS[month_index]} {d.year}{time_suffix}"
    if style == "en-jnews":
        return d, f"{EN_WEEKDAYS[weekday]}, {d.day} {EN_MONTHS[month_index]} , {d.year}"
    if style == "dotted":
        return d, f"{d.day:02d}.{d.month:02d}.{d.year}{time_suffix}"
    if style == "slashed":
        return d, f"{day}/{d.month:02d}/{d.year}"
    if style == "iso":
        return d, d.isoformat() + draw(st.sampled_from(["", f"T{hh:02d}:{mm:02d}:00+03:00"]))
    if style.startswith("ar-"):
        if style == "ar-levant":
            month = AR_LEVANT[month_index]
        elif style == "ar-egypt":
            month = AR_EGYPT[month_index]
        else:
            month = f"{AR_LEVANT[month_index]}/{AR_EGYPT[month_index]}"
        digits = draw(st.sampled_from([None, ARABIC_INDIC, PERSIAN]))
        comma = draw(st.sampled_from(["", "،"]))
        prefix = draw(
            st.sampled_from(["", f"{AR_WEEKDAYS[weekday]} : ", f"{AR_WEEKDAYS[weekday]} "])
        )
        text = f"{prefix}{day} {month}{comma} {d.year}"
        return d, text.translate(digits) if digits else text
    if style == "tr":
        month = TR_MONTHS[month_index]
        month = draw(st.sampled_from([month, _ascii(month)]))
        month = _pick_case(draw, month, turkish=True)
        prefix = draw(st.sampled_from(["", f"{TR_WEEKDAYS[weekday]}, "]))
        return d, f"{prefix}{day} {month} {d.year}"
    month = KU_MONTHS[month_index]
    month = draw(st.sampled_from([month, _ascii(month)]))
    prefix = draw(st.sampled_from(["", f"{KU_WEEKDAYS[weekday]}, "]))
    return d, f"{prefix}{day} {month} {d.year}"


@given(rendered_dates())
@settings(max_examples=400)
def test_property_parse_date_line_round_trip(case: tuple[datetime.date, str]) -> None:
    expected, text = case
    match = parse_date_line(text)
    assert match is not None, text
    assert match.value == expected
    assert (match.start, match.end, match.raw) == (0, len(text), text)


@given(
    rendered_dates(),
    st.sampled_from(["", "Posted: ", "في ", "Communications", "\u200f"]),
    st.sampled_from(["", " In Coalition News", "The Syrian", ". Next", "\u200f"]),
)
@settings(max_examples=400)
def test_property_find_dates_in_context(
    case: tuple[datetime.date, str], before: str, after: str
) -> None:
    expected, rendered = case
    if rendered[0].isdigit() or not rendered[0].isupper():
        before = before.replace("Communications", "Communications ")
    text = f"{before}{rendered}{after}"
    found = find_dates(text)
    assert [m.value for m in found] == [expected], text
    assert found[0].raw == rendered


DATEISH = st.lists(
    st.sampled_from(
        [
            "May", "may ", "June", "Friday", ", ", " ", ",", "،", "/", ".", ":", "-", "\n",
            "1", "12", "31", "2020", "1999", "2022-11-21", "آب", "كانون", "شباط", "الأربعاء",
            "\u200f", "\u0640", "\u00a0", "Kasım", "KASIM", "Mijdar", "١٥", "T10:15", "am", "x",
        ]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@given(st.one_of(st.text(), DATEISH))
@settings(max_examples=500)
def test_property_find_dates_total_and_offset_exact(text: str) -> None:
    found = find_dates(text)
    previous_end = 0
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.raw
        assert m.start >= previous_end
        previous_end = m.end
        assert _dates.MIN_YEAR <= m.value.year <= _dates.MAX_YEAR
        again = parse_date_line(m.raw)
        assert again is not None
        assert again.value == m.value


@given(st.one_of(st.text(), DATEISH))
@settings(max_examples=300)
def test_property_parse_date_line_total(text: str) -> None:
    match = parse_date_line(text)
    if match is not None:
        assert text[match.start : match.end] == match.raw
        assert find_dates(text)[0].value == match.value


# --------------------------------------------------------------------------------------------
# Pathological inputs: every compiled pattern must stay linear.
# --------------------------------------------------------------------------------------------

ADVERSARIAL = [
    "1 " * 50000,
    "May " * 25000,
    "،" * 100000,
    "1" * 100000,
    " " * 100000,
    "5 May " * 16666,
    "May 5 " * 16666,
    "Friday, " * 12500,
    "Friday, 5 " * 10000,
    "11." * 33333,
    "11/" * 33333,
    "2020-" * 20000,
    "2020-11-" * 12500,
    "12:30 " * 16666,
    "كانون " * 16666,
    "كانون شباط/" * 9090,
    "الأربعاء : " * 9090,
    "\u200f" * 100000,
    "\u0640" * 100000,
    "5 May, " * 14285,
    "June 24, 202" * 8333,
]


def _patterns() -> list[re.Pattern[str]]:
    return [v for v in vars(_dates).values() if isinstance(v, re.Pattern)]


def test_module_has_patterns() -> None:
    assert len(_patterns()) >= 2


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]))
def test_patterns_are_linear(text: str) -> None:
    folded, _ = _dates._normalize(text)
    for pattern in _patterns():
        for subject in (text, folded):
            started = time.perf_counter()
            for _ in pattern.finditer(subject):
                pass
            pattern.match(subject)
            pattern.fullmatch(subject)
            assert time.perf_counter() - started < 2.0, pattern.pattern[:80]
    started = time.perf_counter()
    find_dates(text)
    parse_date_line(text)
    assert time.perf_counter() - started < 2.0
