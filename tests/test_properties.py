"""Invariants over arbitrary input: an Article or a documented error, the account holds,
the same input gives the same Article, serialization round-trips."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socpress
from socpress.errors import SocpressError
from tests._account import removed_inside_body, unaccounted

LINES = st.sampled_from(
    [
        "No Result",
        "View All Result",
        "  • AR",
        "  • Home",
        "Home News Coalition News",
        "SOC Says Something Important About Syria",
        "November 21, 2022",
        "in Coalition News",
        "Tuesday, 6 June , 2023",
        "Press release",
        "Syrian Opposition Coalition",
        "Department of Media and Communications",
        "The SOC stressed that the regime is responsible for the attack on civilians.",
        "“Quoted words,” the SOC added. (Source: SOC’s Media Department)",
        "(Source: Syrian Coalition)",
        "Share3TweetSend",
        "Posts Related",
        "Read Also: Something Else",
        "Leave a Reply",
        "المصدر: الائتلاف",
        "قال الائتلاف الوطني السوري إن النظام مسؤول عن الهجوم.",
        "",
        "   ",
    ]
)
PAGES = st.lists(st.one_of(LINES, st.text(max_size=80)), max_size=30).map("\n".join)


def _check(text: str) -> None:
    try:
        article = socpress.load_article(text)
    except SocpressError:
        return
    assert unaccounted(text.removeprefix("\ufeff"), article) == []
    assert removed_inside_body(article) == []
    again = socpress.load_article(text)
    assert again == article
    assert socpress.Article.from_dict(json.loads(json.dumps(article.to_dict()))) == article


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGES)
def test_page_shaped_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_arbitrary_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=500))
def test_arbitrary_bytes(data: bytes) -> None:
    try:
        article = socpress.load_article(data)
    except SocpressError:
        return
    assert socpress.Article.from_dict(json.loads(json.dumps(article.to_dict()))) == article


@settings(max_examples=200, deadline=None)
@given(PAGES)
def test_strip_chrome_lines_come_from_the_input(text: str) -> None:
    try:
        kept = socpress.strip_chrome(text)
    except SocpressError:
        return
    # The text reader breaks lines at \r\n, \r and \n only (not at \x0c or \u2028).
    lines = {line.strip() for line in re.split(r"\r\n|\r|\n", text)}
    for line in kept.split("\n") if kept else []:
        assert line in lines
