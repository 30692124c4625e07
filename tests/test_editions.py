"""The edition table and the weighed ``is_soc``: every edition's forms, on short authored texts."""

from __future__ import annotations

import pytest

import socpress
from socpress._site.editions import EDITIONS, HOSTS
from socpress._site.rules import COALITION, RELEASE_KINDS, header_chrome
from socpress._site.urls import edition_of_url

BODY = (
    "The meeting discussed the humanitarian situation in the north of the country and the "
    "next steps of the political process under the relevant resolutions."
)


def test_every_edition_has_its_words() -> None:
    codes = [e.code for e in EDITIONS]
    assert sorted(codes) == ["ar", "en", "ku", "tr"]
    for edition in EDITIONS:
        assert edition.hosts, edition.code
        assert edition.switcher_labels, edition.code
        assert edition.coalition, edition.code
        assert edition.release_kinds, edition.code
        for host in edition.hosts:
            assert HOSTS[host] is edition
            assert edition_of_url(f"https://{host}/some/page") is edition
        for label in edition.switcher_labels:
            assert header_chrome.first_rule(label) == "edition-switcher", label


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://web.archive.org/web/20200101000000/https://tr.etilaf.org/x", "tr"),
        ("https://etilaf.org/en/x", "en"),
        ("https://kurdi.etilaf.org/x", "ku"),
        ("https://example.org/tr.etilaf.org", None),
    ],
)
def test_edition_of_url(url: str, code: str | None) -> None:
    edition = edition_of_url(url)
    assert (None if edition is None else edition.code) == code


@pytest.mark.parametrize(
    "line",
    ["Press Release", "بيان صحفي", "Basın Açıklaması", "Daxwiyaniyeke Rojnamevanî"],
)
def test_release_kinds_of_every_edition(line: str) -> None:
    assert RELEASE_KINDS.match(line) is not None


@pytest.mark.parametrize(
    "name",
    [
        "Syrian Opposition Coalition",
        "الائتلاف الوطني لقوى الثورة والمعارضة السورية",
        "Suriye Muhalif ve Devrimci Güçler Ulusal Koalisyonu (SMDK)",
        "Hevbendiya Niştimanî ya Hêzên Şoreş û Rikberiya Sûrî",
        "Hevbendî",
    ],
)
def test_the_coalition_is_named_in_every_edition(name: str) -> None:
    assert COALITION.search(name) is not None


@pytest.mark.parametrize(
    "name", ["Kurdish National Council", "Southern Transitional Council (STC)", "Ministry"]
)
def test_look_alikes_are_not_the_coalition(name: str) -> None:
    assert COALITION.search(name) is None


SOC_TEXTS = {
    "en speaker": "The Syrian Opposition Coalition (SOC) stressed that " + BODY,
    "en issued": "The National Coalition issued a statement on the talks. " + BODY,
    "ar speaker": "أصدر الائتلاف الوطني بياناً أدان فيه القصف على ريف إدلب وطالب بحماية المدنيين.",
    "ar noun first": "الائتلاف الوطني السوري يدين القصف على ريف إدلب ويطالب بحماية المدنيين.",
    "tr speaker": (
        "SMDK, İdlib'e yönelik saldırıları kınadı ve uluslararası toplumu göreve çağırdı."
    ),
    "standfirst credit runs on": (
        "The coalition discussed the talks, according to the SOC Media Department. " + BODY
    ),
    "header below an introduction": (
        "The coalition issued the following statement:\n"
        "Press Release\nSyrian Opposition Coalition\nDepartment of Media and Communications\n"
        "June 24, 2020\n" + BODY
    ),
}

NOT_SOC_TEXTS = {
    "reported speech": (
        "The Syrian Opposition Coalition (SOC) condemned the attack, the group said in a "
        "statement on Sunday. " + BODY
    ),
    "bracketed acronym": "The Syrian Opposition Coalition condemns the attack. The (SOC) " + BODY,
    "agency dateline": "ISTANBUL (Reuters) - The Syrian Coalition condemned the attack. " + BODY,
    "byline": "By John Smith\nThe Syrian Opposition Coalition condemns the attack. " + BODY,
    "about the coalition": (
        "The Syrian National Coalition, which represents the opposition, elected a new "
        "president on Monday. " + BODY
    ),
    "other issuer": (
        "Press Release\nMinistry of Foreign Affairs\nPress Department\nMarch 3, 2021\n" + BODY
    ),
    "knc": "The Kurdish National Council condemns the attack on the villages. " + BODY,
}


@pytest.mark.parametrize("name", sorted(SOC_TEXTS))
def test_the_coalitions_statement_is_soc(name: str) -> None:
    article = socpress.load_article("A headline of the republished statement\n" + SOC_TEXTS[name])
    assert article.is_soc, article.provenance.fields["is_soc"]


@pytest.mark.parametrize("name", sorted(NOT_SOC_TEXTS))
def test_reports_and_look_alikes_are_not_soc(name: str) -> None:
    article = socpress.load_article("A headline of the news report\n" + NOT_SOC_TEXTS[name])
    assert not article.is_soc, article.provenance.fields["is_soc"]


def test_the_deciding_and_the_outweighed_signal_are_kept() -> None:
    article = socpress.load_article(
        "A headline of the news report\n" + NOT_SOC_TEXTS["reported speech"]
    )
    assert article.provenance.fields["is_soc"].rule == "reported-speech"
    assert [e.rule for e in article.provenance.rejected["is_soc"]] == ["coalition-speaker"]


def test_own_site_outweighs_an_outlets_voice() -> None:
    article = socpress.load_article(
        "A headline of the news item\n" + NOT_SOC_TEXTS["reported speech"],
        url="https://en.etilaf.org/all-news/news/a-headline",
    )
    assert article.is_soc
    assert article.provenance.fields["is_soc"].rule == "url-host"


def test_a_sign_off_of_another_body_stays_in_the_body() -> None:
    text = (
        "Statement on the attack\n" + BODY + "\nKurdish National Council\nGeneral Secretariat\n"
        "April 24, 2023\n"
    )
    article = socpress.load_article(text)
    assert "sign-off" not in {r.rule for r in article.provenance.removed}
    assert article.published is None


def test_a_day_range_without_a_year_is_no_date() -> None:
    text = "Daxwiyaniyeke Rojnamevanî\nDi herdu rojên 20-21 heyva gulanê " + BODY + "\n"
    article = socpress.load_article(text)
    assert article.published is None
    assert article.release is not None
    assert article.release.dated is None
