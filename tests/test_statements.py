"""socpress.statements: the gold statements of ../shared/statements linked with their
relations and the near misses apart; the corpus's recurring traps kept apart; captures,
edits, teasers, the encoder hook; every statement valid against the shipped schema."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence

import attrs
import pytest

import socpress
from socpress import corpus, statements
from tests._statements import SHARED, article, emitted, record, where

GOLD = SHARED / "statements"
needs_gold = pytest.mark.skipif(not GOLD.is_dir(), reason="../shared/statements is not present")

# The gold files' relations, as a witness of socpress's statement can have them: one of a
# statement's captures or editions is its canonical witness; a translation on another site
# is a republication, on the coalition's site an edition.
ALLOWED = {
    "capture": {"canonical", "capture"},
    "edition": {"canonical", "edition"},
    "translation": {"canonical", "edition", "republication"},
    "republication": {"republication"},
}

D = datetime.date


def _gold_article(name: str) -> list[socpress.Article]:
    path = SHARED / name
    gold = path.with_suffix(".json")
    url = json.loads(gold.read_text("utf-8")).get("url") if gold.exists() else None
    return socpress.load_articles(path, url=url)


@pytest.fixture(scope="module")
def gold() -> tuple[list[statements.Statement], dict[str, list[str]], list[dict[str, object]]]:
    groups = json.loads((GOLD / "groups.json").read_text("utf-8"))
    misses = json.loads((GOLD / "near_misses.json").read_text("utf-8"))
    names = sorted(
        {w["file"] for g in groups for w in g["witnesses"]} | {n for m in misses for n in m["pair"]}
    )
    records = []
    keys: dict[str, list[str]] = {}
    for name in names:
        for index, item in enumerate(_gold_article(name)):
            records.append(record(name, item, index))
    found = emitted(records)
    for s in found:
        for w in s.witnesses:
            assert w.input is not None
            keys.setdefault(w.input.source, []).append(w.key)
    return found, keys, groups + [{"pair": m["pair"]} for m in misses]


@needs_gold
def test_every_gold_witness_is_linked_with_its_relation(gold: tuple) -> None:  # type: ignore[type-arg]
    found, keys, cases = gold
    placed = where(found)
    groups = [c for c in cases if "witnesses" in c]
    assert groups
    for case in groups:
        ids = set()
        for witness in case["witnesses"]:
            for key in keys[witness["file"]]:
                statement, relation = placed[key]
                ids.add(statement)
                assert relation in ALLOWED[witness["relation"]], (case["group"], witness, relation)
        assert len(ids) == 1, case["group"]


@needs_gold
def test_no_near_miss_is_merged(gold: tuple) -> None:  # type: ignore[type-arg]
    found, keys, cases = gold
    placed = where(found)
    pairs = [c["pair"] for c in cases if "pair" in c]
    assert pairs
    for left, right in pairs:
        assert {placed[k][0] for k in keys[left]}.isdisjoint({placed[k][0] for k in keys[right]})


@needs_gold
def test_gold_evidence_names_rules_and_anchors(gold: tuple) -> None:  # type: ignore[type-arg]
    found, keys, _ = gold
    placed = where(found)
    by_key = {w.key: w for s in found for w in s.witnesses}
    # The Arabic reprint of the Children's Day statement shares no shingle with the English
    # edition: only its figures link it.
    (arabic,) = keys["statements/pages/g002.txt"]
    witness = by_key[arabic]
    assert witness.evidence.rule == "shared-anchors"
    assert {"number:29894", "number:182", "number:5162"} <= set(witness.evidence.anchors)
    assert placed[arabic][0] == placed[keys["seeds/000_fdbfbd34f38a0d4c.txt"][0]][0]


# --- synthetic traps -------------------------------------------------------------------

FORMULA = (
    "The Political Committee of the Syrian Opposition Coalition held its regular weekly "
    "meeting at the headquarters in Azaz to discuss the latest political and field "
    "developments in Syria."
)
SUBJECTS = [
    [
        "The committee discussed the humanitarian situation in the camps of northwestern Syria "
        "after the heavy rain flooded hundreds of tents near Atmeh.",
        "Members stressed the need for urgent relief and called on donor countries to fund "
        "winterization programmes before the snow arrives.",
    ],
    [
        "The members reviewed the outcome of the talks held by the constitutional committee in "
        "Geneva and the obstruction practised by the regime delegation there.",
        "They called on the UN envoy to set a clear timetable for the drafting sessions and to "
        "name the party responsible for the stalemate.",
    ],
    [
        "The committee condemned the shelling of Idlib countryside by regime forces, which "
        "killed several civilians including children in the village of Kansafra.",
        "It called for the protection of civilians and for holding the perpetrators "
        "accountable before international courts.",
    ],
]
BANNER = (
    "The National Coalition of Syrian Revolution and Opposition Forces is the legitimate "
    "representative of the Syrian people and works to achieve their aspirations for freedom."
)


def _coalition(slug: str) -> str:
    return f"https://en.etilaf.org/all-news/news/{slug}"


def _statement_of(found: Sequence[statements.Statement], item: socpress.Article) -> str:
    for s in found:
        if any(w.article == item for w in s.witnesses):
            return s.id
    raise AssertionError("not emitted")


def test_same_opening_formula_on_different_days_stays_apart() -> None:
    items = [
        article(
            f"Political Committee Holds Weekly Meeting {n}",
            [FORMULA, *subject],
            url=_coalition(f"political-committee-weekly-meeting-{n}"),
            published=D(2023, 1, 2) + datetime.timedelta(days=7 * n),
        )
        for n, subject in enumerate(SUBJECTS)
    ]
    undated = [attrs.evolve(a, published=None) for a in items]
    for batch in (items, undated):
        found = emitted(batch)
        assert len(found) == len(batch)


def test_a_long_banner_over_short_items_stays_apart() -> None:
    banner = (
        f"{BANNER} It was founded in Doha in November of the second year of the revolution, "
        "and its General Assembly elects a president, vice presidents and a political "
        "committee every year. Its Interim Government runs schools, hospitals and courts in "
        "the liberated areas of the north, with the help of local councils and of donors."
    )
    items = [
        article(
            None,
            [banner, subject[0]],
            url=f"https://syrian-news.example/short-{n}",
            published=D(2023, 3, 1),
        )
        for n, subject in enumerate(SUBJECTS)
    ]
    found = emitted(items)
    assert len(found) == len(items)


def test_banner_paragraph_on_every_page_stays_apart() -> None:
    items = [
        article(
            None,
            [BANNER, *subject],
            url=f"https://syrian-news.example/{n}-item",
            published=D(2023, 3, 1),
        )
        for n, subject in enumerate(SUBJECTS)
    ]
    found = emitted(items)
    assert len(found) == len(items)


TEMPLATE = [
    "On the {nth} anniversary of the chemical massacre in Eastern Ghouta, the Syrian "
    "Opposition Coalition renews its call for holding the Assad regime accountable for the "
    "killing of {killed} civilians with sarin gas on August 21, {year}.",
    "The SOC stressed that {years} years have passed without justice for the victims and "
    "that impunity encourages the regime to commit further crimes against the Syrian people.",
    "The SOC called on the UN Security Council to enforce Resolution 2118 and to refer the "
    "file to the International Criminal Court.",
]


def _anniversary(nth: str, year: int, years: int, published: D | None) -> socpress.Article:
    paragraphs = [p.format(nth=nth, killed=1400 + years, year=2013, years=years) for p in TEMPLATE]
    del year
    return article(
        f"SOC on the {nth} Anniversary of the Ghouta Chemical Massacre",
        paragraphs,
        url=_coalition(f"soc-on-the-{nth}-anniversary-of-the-ghouta-chemical-massacre"),
        published=published,
    )


@pytest.mark.parametrize("dated", [True, False])
def test_template_reused_for_the_next_anniversary_stays_apart(dated: bool) -> None:
    first = _anniversary("tenth", 2023, 10, D(2023, 8, 21) if dated else None)
    second = _anniversary("eleventh", 2024, 11, D(2024, 8, 21) if dated else None)
    found = emitted([first, second])
    assert _statement_of(found, first) != _statement_of(found, second)


BODY = [
    "The Syrian Opposition Coalition condemned the bombing of the market in Azaz, which killed "
    "17 civilians and wounded 43 others on Tuesday morning.",
    "The SOC called on the international community to take firm action against the "
    "perpetrators and to support the institutions of the liberated areas.",
    "It stressed that such crimes will not break the will of the Syrian people to achieve "
    "freedom and dignity, and that the perpetrators will be held to account.",
]
URL = _coalition("soc-condemns-the-bombing-of-the-market-in-azaz")


def test_captures_edits_and_cut_captures_of_one_url() -> None:
    first = article(
        "SOC Condemns the Bombing of Azaz Market", BODY, url=URL, captured=D(2021, 5, 1)
    )
    later = attrs.evolve(first, provenance=attrs.evolve(first.provenance, captured=D(2023, 6, 6)))
    edited_body = [
        *BODY[:2],
        BODY[2].replace("freedom and dignity", "freedom, dignity and justice"),
    ]
    edited = article(
        "SOC Condemns the Bombing of Azaz Market", edited_body, url=URL, captured=D(2024, 1, 9)
    )
    cut = article(
        "SOC Condemns the Bombing of Azaz Market",
        [BODY[0], BODY[1][:60]],
        url=URL.replace("https://", "http://") + "/",
        captured=D(2022, 2, 2),
    )
    items = [
        record("a.txt", first),
        record("b.txt", later),
        record("c.txt", edited),
        record("d.txt", cut),
    ]
    (found,) = emitted(items)
    relations = {w.input.source: w for w in found.witnesses if w.input is not None}
    assert relations["a.txt"].relation == "canonical"
    assert relations["b.txt"].relation == "capture"
    assert relations["d.txt"].relation == "capture"
    assert relations["c.txt"].relation == "edit"
    assert relations["c.txt"].evidence.changed == (2,)
    assert relations["c.txt"].evidence.target == relations["a.txt"].key
    assert (found.first_captured, found.last_captured) == (D(2021, 5, 1), D(2024, 1, 9))


def test_teaser_joins_its_one_statement_and_an_ambiguous_one_none() -> None:
    full = article(
        "SOC Condemns the Bombing of Azaz Market", BODY, url=URL, published=D(2021, 5, 1)
    )
    teaser = article(
        None,
        [BODY[0][:140] + " ..."],
        url="https://en.etilaf.org/date/2021/5/1.html",
        published=D(2021, 5, 1),
        layout="listing-date-archive",
    )
    found = emitted([full, teaser])
    assert len(found) == 1
    assert {w.relation for w in found[0].witnesses} == {"canonical", "teaser"}
    # The same opening on two statements of the day: the teaser could be either's.
    other = article(
        "SOC Condemns the Bombing of Azaz Market Again",
        [BODY[0], "Later the same day a second car bomb exploded near the hospital of the town."],
        url=_coalition("second-bombing-azaz"),
        published=D(2021, 5, 1),
    )
    found = emitted([full, teaser, other])
    assert len(found) == 3


def test_without_the_coalitions_page_a_republication_stands_for_it() -> None:
    copy = article(
        "Coalition condemns Azaz market bombing",
        BODY,
        url="https://syrian-news.example/azaz",
        published=D(2021, 5, 1),
    )
    teaser = article(
        None,
        [BODY[0][:140] + " ..."],
        url="https://en.etilaf.org/date/2021/5/1.html",
        published=D(2021, 5, 1),
        layout="listing-date-archive",
    )
    (found,) = emitted([teaser, copy])
    assert [(w.article.url, w.relation) for w in found.witnesses] == [
        (copy.url, "canonical"),
        (teaser.url, "teaser"),
    ]


def test_quoting_a_third_party_is_not_membership() -> None:
    quoted = [
        "The United States condemns the regime's attack on civilians in Idlib province, which "
        "killed at least 12 people, including 5 children, at a crowded market.",
        "We call on all parties to respect the ceasefire and allow humanitarian access.",
    ]
    state_department = article(
        "Statement on the Attack in Idlib",
        quoted,
        url="https://www.state.gov/statement-on-the-attack-in-idlib/",
        published=D(2022, 6, 3),
    )
    coalition = article(
        "SOC Welcomes US Condemnation of Idlib Attack",
        [
            "The Syrian Opposition Coalition welcomed the statement of the US State Department, "
            "which said:",
            *quoted,
            "The SOC called for turning such statements into practical measures that deter the "
            "regime, and stressed that the victims deserve justice and accountability now.",
            "It said the international community must stop the Russian air strikes that "
            "target markets, schools and hospitals across the northwest of the country.",
        ],
        url=_coalition("soc-welcomes-us-condemnation-of-idlib-attack"),
        published=D(2022, 6, 3),
    )
    assert not state_department.is_soc
    found = emitted([state_department, coalition])
    assert len(found) == 2


def test_two_languages_citing_the_same_resolutions_stay_apart() -> None:
    english = article(
        "SOC President Tours Bazaa",
        [
            "The President of the SOC toured the town of Bazaa and met local dignitaries, "
            "stressing that UN Resolutions 2254 and 2118 must be implemented in full.",
            "He said that the resolution 2139 on humanitarian access has been ignored.",
        ],
        url=_coalition("soc-president-tours-bazaa"),
        published=D(2022, 5, 10),
    )
    turkish = article(
        "SMDK heyeti Brüksel'de Türkiye Dışişleri Bakan Yardımcısı ile görüştü",
        [
            "SMDK heyeti, Brüksel konferansı kapsamında Türkiye Dışişleri Bakan Yardımcısı "
            "ile görüştü ve 2254 ve 2118 sayılı kararların uygulanmasını istedi.",
            "Heyet ayrıca 2139 sayılı kararın insani yardım için önemini vurguladı.",
        ],
        url="https://tr.etilaf.org/tum-haberler/smdk-heyeti-brukselde",
        published=D(2022, 5, 10),
    )
    both = {"resolution:2254", "resolution:2118", "resolution:2139"}
    assert both <= set(statements.fingerprint(english).anchors)
    assert both <= set(statements.fingerprint(turkish).anchors)
    assert len(emitted([english, turkish])) == 2


def test_two_languages_reciting_the_same_figures_on_one_day_stay_apart() -> None:
    figures = (
        "At least 29,894 children have been killed since 2011, 182 of them under torture, "
        "and 5,162 children are still detained."
    )
    english = article(
        "SOC Condemns the Shelling of Atarib",
        [
            "The SOC condemned the shelling of Atarib, which killed 9 civilians and wounded "
            "27, and destroyed 3 schools.",
            figures,
        ],
        url=_coalition("soc-condemns-the-shelling-of-atarib"),
        published=D(2022, 11, 21),
    )
    arabic = article(
        "الائتلاف الوطني يطالب بالإفراج عن المعتقلين",
        [
            "طالب الائتلاف الوطني بالإفراج عن 130 ألف معتقل في سجون النظام، وبكشف مصير "
            "85 ألف مختف قسرياً.",
            "وقُتل ما لا يقل عن 29.894 طفلاً منذ عام 2011، بينهم 182 تحت التعذيب، وما يزال "
            "5162 طفلاً قيد الاعتقال.",
        ],
        url="https://www.etilaf.org/all-news/news/al-itilaf-yutalib",
        published=D(2022, 11, 21),
    )
    shared = set(statements.fingerprint(english).anchors) & set(
        statements.fingerprint(arabic).anchors
    )
    assert {"number:29894", "number:182", "number:5162"} <= shared
    assert len(emitted([english, arabic])) == 2


# --- the encoder hook ------------------------------------------------------------------

# A stand-in for a multilingual sentence encoder: a bag of concepts from a tiny bilingual
# dictionary of word stems (never a downloaded model).
CONCEPTS = {
    "refugee": 0,
    "mülteci": 0,
    "return": 1,
    "dönüş": 1,
    "lebanon": 2,
    "lübnan": 2,
    "forced": 3,
    "zorla": 3,
    "deportation": 4,
    "sınır": 4,
    "coalition": 5,
    "koalisyon": 5,
}


def stand_in(texts: Sequence[str]) -> list[list[float]]:
    vectors = []
    for text in texts:
        vector = [0.0] * 6
        for word in text.casefold().replace(",", " ").replace(".", " ").split():
            for stem, concept in CONCEPTS.items():
                if word.startswith(stem):
                    vector[concept] += 1.0
        vectors.append(vector)
    return vectors


def test_encoder_verifies_a_translation_the_anchors_cannot() -> None:
    english = article(
        "SOC Rejects Forced Return of Refugees from Lebanon",
        [
            "The coalition rejected the forced return of refugees from Lebanon and the "
            "deportation of families to the areas controlled by the regime.",
            "It said that refugees face arrest, forced conscription and torture on return.",
        ],
        url=_coalition("soc-rejects-forced-return-of-refugees-from-lebanon"),
        published=D(2023, 5, 2),
    )
    turkish = article(
        "SMDK, Lübnan'dan mültecilerin zorla dönüşünü reddetti",
        [
            "Koalisyon, Lübnan'dan mültecilerin zorla dönüşünü ve ailelerin sınır dışı "
            "edilmesini reddetti.",
            "Koalisyon, dönüş sonrası mültecilerin tutuklanma ve işkence ile karşı karşıya "
            "olduğunu söyledi.",
        ],
        url="https://tr.etilaf.org/tum-haberler/smdk-lubnandan-multecilerin-zorla-donusunu",
        published=D(2023, 5, 3),
    )
    assert english.language == "en"
    assert turkish.language == "tr"
    assert len(emitted([english, turkish])) == 2
    calls: list[int] = []

    def counting(texts: Sequence[str]) -> list[list[float]]:
        calls.append(len(texts))
        return stand_in(texts)

    (found,) = emitted([english, turkish], encoder=counting)
    assert calls == [2]
    by_language = {w.article.language: w for w in found.witnesses}
    assert by_language["tr"].relation == "edition"
    assert by_language["tr"].evidence.rule == "encoder"
    # Out of the date window, the encoder is not even asked.
    late = attrs.evolve(turkish, published=D(2023, 9, 3))
    calls.clear()
    assert len(emitted([english, late], encoder=counting)) == 2
    assert calls == []


# --- values ----------------------------------------------------------------------------


def test_fingerprint_keeps_digits_and_anchors() -> None:
    a = article("t", ["Killed 29,894 children under UN Resolution 2254 on November 21, 2022."])
    b = article("t", ["Killed 29,895 children under UN Resolution 2254 on November 21, 2022."])
    fa, fb = statements.fingerprint(a), statements.fingerprint(b)
    assert fa.body != fb.body
    assert fa.minhash != fb.minhash
    assert {"number:29894", "resolution:2254", "date:2022-11-21"} <= set(fa.anchors)
    assert statements.Fingerprint.from_dict(json.loads(json.dumps(fa.to_dict()))) == fa
    assert statements.fingerprint(a) == fa
    arabic = article("t", ["قتل ٢٩٬٨٩٤ طفلاً و5162 معتقلاً"])
    assert {"number:29894", "number:5162"} <= set(statements.fingerprint(arabic).anchors)


def test_only_ok_records_each_in_exactly_one_statement() -> None:
    items: list[corpus.Record] = [
        record(f"{n}.txt", article(None, [FORMULA, *subject])) for n, subject in enumerate(SUBJECTS)
    ]
    refused = corpus.Record(
        status="refused",
        input=corpus.Input(source="bad.txt"),
        article=None,
        error=corpus.Failure(type="InputError", kind=None, message="bad"),
    )
    found = emitted([*items, refused])
    sources = sorted(w.input.source for s in found for w in s.witnesses if w.input is not None)
    assert sources == ["0.txt", "1.txt", "2.txt"]


def test_a_one_shot_iterator_is_grouped_as_a_list_is() -> None:
    items = [
        article("SOC Condemns the Bombing of Azaz Market", BODY, url=URL),
        article(None, [BANNER, *SUBJECTS[0]]),
    ]
    assert [s.to_dict() for s in emitted(iter(items))] == [s.to_dict() for s in emitted(items)]


def test_public_schema_is_draft_2020_12() -> None:
    schema = statements.json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert {"witness", "link", "article", "input"} <= set(schema["$defs"])
