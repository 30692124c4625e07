"""Properties of socpress.statements.group: the same statements in any input order, the
same ones when unrelated records are added, and every ok record in exactly one."""

from __future__ import annotations

import datetime
import functools

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socpress
from socpress import corpus
from tests import test_statements as cases
from tests._statements import article, emitted, record

D = datetime.date


@functools.cache
def pool() -> tuple[corpus.Record, ...]:
    """Witnesses of a few statements (captures, an edit, a cut capture, a republication, a
    teaser) and the traps beside them."""
    full = article("SOC Condemns the Bombing of Azaz Market", cases.BODY, url=cases.URL)
    full = attrs.evolve(full, published=D(2021, 5, 1))
    items: list[socpress.Article] = [
        full,
        attrs.evolve(full, provenance=attrs.evolve(full.provenance, captured=D(2023, 1, 1))),
        article(
            "SOC Condemns the Bombing of Azaz Market",
            [*cases.BODY[:2], cases.BODY[2] + " It was a crime."],
            url=cases.URL,
            published=D(2021, 5, 1),
        ),
        article(
            "Coalition condemns Azaz market bombing",
            [p.replace("The SOC", "The Coalition") for p in cases.BODY] + ["(Source: SOC)"],
            url="https://syrian-news.example/azaz-bombing",
            published=D(2021, 5, 2),
        ),
        article(
            None,
            [cases.BODY[0][:140] + " ..."],
            url="https://en.etilaf.org/date/2021/5/1.html",
            published=D(2021, 5, 1),
            layout="listing-date-archive",
        ),
    ]
    for n, subject in enumerate(cases.SUBJECTS):
        items.append(
            article(
                f"Weekly meeting {n}",
                [cases.FORMULA, *subject],
                url=cases._coalition(f"weekly-{n}"),
                published=D(2023, 1, 2) + datetime.timedelta(days=7 * n),
            )
        )
        items.append(article(None, [cases.BANNER, *subject], url=f"https://news.example/{n}"))
    items.append(cases._anniversary("tenth", 2023, 10, None))
    items.append(cases._anniversary("eleventh", 2024, 11, None))
    return tuple(record(f"pool/{n}.txt", item) for n, item in enumerate(items))


WORDS = st.sampled_from(
    [
        "olive",
        "river",
        "bakery",
        "stadium",
        "violin",
        "harbour",
        "orchard",
        "glacier",
        "lantern",
        "meadow",
        "pepper",
        "tunnel",
        "velvet",
        "saddle",
        "quarry",
        "compass",
        "ribbon",
        "thimble",
        "walnut",
        "beacon",
    ]
)


@st.composite
def unrelated(draw: st.DrawFn) -> list[corpus.Record]:
    count = draw(st.integers(min_value=1, max_value=4))
    out = []
    for n in range(count):
        words = draw(st.lists(WORDS, min_size=12, max_size=40))
        text = " ".join(words).capitalize() + f" number {1000 + n} here."
        item = article(f"Unrelated note {n}", [text], url=f"https://elsewhere.example/{n}")
        out.append(record(f"unrelated/{n}.txt", item))
    return out


def _shape(found: list[socpress.statements.Statement]) -> list[dict[str, object]]:
    return [s.to_dict() for s in found]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(len(pool()))))
def test_any_input_order_gives_the_same_statements(order: list[int]) -> None:
    items = pool()
    assert _shape(emitted([items[i] for i in order])) == _shape(emitted(list(items)))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(unrelated(), st.randoms(use_true_random=False))
def test_unrelated_records_change_no_statement(extra: list[corpus.Record], rnd: object) -> None:
    items = list(pool())
    before = {s.id: s for s in emitted(items)}
    mixed = items + extra
    rnd.shuffle(mixed)  # type: ignore[attr-defined]
    after = {s.id: s for s in emitted(mixed)}
    for sid, statement in before.items():
        assert after[sid] == statement


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=len(pool()) - 1), min_size=1, max_size=20))
def test_every_ok_record_is_in_exactly_one_statement(picks: list[int]) -> None:
    items = [pool()[i] for i in sorted(set(picks))]
    failed = corpus.Record(
        status="failed",
        input=corpus.Input(source="broken.txt"),
        article=None,
        error=corpus.Failure(type="RuntimeError", kind=None, message="boom"),
    )
    found = emitted([*items, failed])
    seen = [w.input for s in found for w in s.witnesses]
    assert sorted(str(i) for i in seen) == sorted(str(r.input) for r in items)
