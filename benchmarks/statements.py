"""Statement grouping at corpus scale: time and peak memory at 100,000 and 1,000,000 records.

    python benchmarks/statements.py                          # 100k and 1M records
    python benchmarks/statements.py --sizes 20000,40000      # a quick look
    python benchmarks/statements.py --one 100000             # one size, in this process

A synthetic corpus is built from the real pages (``seeds/``, ``../shared/realpages``,
``../shared/statements/pages``; at least the seeds): each synthetic statement is a real
page's paragraphs (of its language) around an opening sentence of its own with three
figures and a date, published on a day of 2013-2025, then witnessed as a corpus holds it:

- 2 to 5 **captures** of its URL, rendered on other days (another top-bar date removed as
  chrome), one in two with an **edit** (a sentence added to the last paragraph) and one in
  two a **cut capture** (two paragraphs, the second cut mid-sentence);
- two in five an **edition** in another of the site's languages (the same figures and date,
  that language's paragraphs), the same or the next day;
- four in five 1 or 2 **republications** on news sites (the coalition's name changed, a
  credit, one in three without the last paragraph), 0 to 2 days later;
- three in five a **teaser** on a date-archive listing (the opening cut at 140 characters).

That is about 7.7 records per statement. Each size runs in a child process (``--one``) so
that its peak resident memory (``ru_maxrss``) is its own; the records are generated lazily
and handed to ``socpress.statements.group`` as a one-shot iterator (so it spills them to
a temporary file, as it would a corpus too large to hold), and every statement it yields is
consumed with its witnesses read back. Grouping time is the run's time less the time to
generate the same records alone (measured in the same child, before). Also printed: how
many synthetic statements came out whole, split, or merged with another (the truth is in
each record's source name).

Aims (issue 17): 1,000,000 records on one core in 10 minutes or less, within 2 GiB, growing
near-linearly (the time per doubling near 2x).
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import math
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

import socpress
from _machine import machine
from socpress import corpus, statements

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCES = (ROOT / "seeds", SHARED / "realpages", SHARED / "statements" / "pages")

HOSTS = {
    "en": "en.etilaf.org",
    "ar": "www.etilaf.org",
    "tr": "tr.etilaf.org",
    "ku": "ku.etilaf.org",
}
LANGUAGES = ("en", "en", "en", "en", "en", "en", "en", "ar", "ar", "tr")
OPENING = {
    "en": "The Syrian Opposition Coalition said on {date} that {a} civilians were killed, "
    "{b} were detained and {c} families were displaced in statement number {i}.",
    "ar": "أعلن الائتلاف الوطني السوري في {date} مقتل {a} مدنياً واعتقال {b} وتهجير {c} عائلة "
    "في البيان رقم {i}.",
    "tr": "SMDK {date} tarihinde {a} sivilin öldürüldüğünü, {b} kişinin tutuklandığını ve "
    "{c} ailenin yerinden edildiğini açıkladı, açıklama {i}.",
    "ku": "Hevbendiya Niştimanî ya Sûrî di {date} de ragihand ku {a} sivîl hatin kuştin, {b} "
    "hatin girtin û {c} malbat koçber bûn, daxuyanî {i}.",
}
_WORDS = re.compile(r"\w+")


def pools() -> tuple[dict[str, list[str]], socpress.Article]:
    """Paragraphs of the real pages by language, and one real article to build from."""
    by_language: dict[str, list[str]] = defaultdict(list)
    template: socpress.Article | None = None
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            try:
                found = socpress.load_articles(path)
            except socpress.errors.SocpressError:
                continue
            for item in found:
                if item.language in OPENING:
                    template = template or item
                    by_language[item.language].extend(
                        p for p in item.paragraphs if len(_WORDS.findall(p)) >= 15
                    )
    if template is None or not by_language.get("en"):
        raise SystemExit("benchmarks/statements.py: no real page to build from (seeds/?)")
    for language in OPENING:
        by_language.setdefault(language, by_language["en"])
    return dict(by_language), template


@attrs.frozen
class Maker:
    pool: dict[str, list[str]]
    template: socpress.Article
    epoch: datetime.date = datetime.date(2013, 1, 1)

    def article(
        self,
        paragraphs: list[str],
        *,
        url: str,
        language: str,
        published: datetime.date | None,
        captured: datetime.date | None,
        layout: str = "jnews-full",
        truncated: bool = False,
        attribution: str | None = None,
    ) -> socpress.Article:
        chrome = (
            ()
            if captured is None
            else (socpress.Removal(rule="top-bar-date", text=f"{captured:%A, %d %B , %Y}"),)
        )
        provenance = socpress.Provenance(
            source="<string>",
            sha256="0" * 64,
            input_format="text",
            encoding="utf-8",
            encoding_rule="str",
            layout=layout,
            parser_version=socpress.__version__,
            captured=captured,
            removed=chrome,
            truncated=truncated,
        )
        return attrs.evolve(
            self.template,
            title=None,
            published=published,
            category=None,
            summary=None,
            release=None,
            paragraphs=tuple(paragraphs),
            attribution=attribution,
            language=language,
            is_soc=True,
            url=url,
            provenance=provenance,
        )

    def statement(self, i: int) -> Iterator[tuple[str, socpress.Article]]:
        """The witnesses of synthetic statement ``i``: (kind, article)."""
        rng = random.Random(i)
        language = rng.choice(LANGUAGES)
        day = self.epoch + datetime.timedelta(days=rng.randrange(4600))
        figures = {"a": rng.randrange(10, 99999), "b": rng.randrange(10, 99999)}
        figures["c"] = rng.randrange(10, 99999)
        body = self._body(rng, language, day, figures, i)
        url = f"https://{HOSTS[language]}/all-news/news/statement-{i}-{rng.randrange(10**6)}"
        captured = [day + datetime.timedelta(days=rng.randrange(1, 3000)) for _ in range(5)]
        yield (
            "canonical",
            self.article(body, url=url, language=language, published=day, captured=day),
        )
        for n in range(rng.randint(2, 5)):
            yield (
                "capture",
                self.article(body, url=url, language=language, published=day, captured=captured[n]),
            )
        if rng.random() < 0.5:
            edited = [*body[:-1], body[-1] + " The coalition renewed its call on the world."]
            yield (
                "edit",
                self.article(
                    edited, url=url, language=language, published=day, captured=captured[0]
                ),
            )
        if rng.random() < 0.5 and len(body) > 1:
            cut = [body[0], body[1][: len(body[1]) // 2]]
            yield (
                "cut",
                self.article(
                    cut,
                    url=url,
                    language=language,
                    published=day,
                    captured=captured[1],
                    truncated=True,
                ),
            )
        if rng.random() < 0.4:
            other = rng.choice([x for x in OPENING if x != language])
            edition = self._body(rng, other, day, figures, i)
            when = day + datetime.timedelta(days=rng.randint(0, 1))
            link = f"https://{HOSTS[other]}/all-news/news/statement-{i}-{other}"
            yield (
                "edition",
                self.article(
                    edition, url=link, language=other, published=when, captured=captured[2]
                ),
            )
        if rng.random() < 0.8:
            for n in range(rng.randint(1, 2)):
                copy = [
                    p.replace("Syrian Opposition Coalition", "Syrian National Coalition")
                    for p in body
                ]
                if rng.random() < 0.33 and len(copy) > 2:
                    copy = copy[:-1]
                when = day + datetime.timedelta(days=rng.randint(0, 2))
                link = f"https://news{rng.randrange(40)}.example/{when:%Y/%m}/{i}-{n}"
                yield (
                    "republication",
                    self.article(
                        copy,
                        url=link,
                        language=language,
                        published=when,
                        captured=None,
                        layout="title-body",
                        attribution="SOC’s Media Department",
                    ),
                )
        if rng.random() < 0.6:
            teaser = [body[0][:140] + " ..."]
            link = f"https://{HOSTS[language]}/date/{day.year}/{day.month}/{day.day}.html"
            yield (
                "teaser",
                self.article(
                    teaser,
                    url=link,
                    language=language,
                    published=day,
                    captured=captured[3],
                    layout="listing-date-archive",
                ),
            )

    def _body(
        self, rng: random.Random, language: str, day: datetime.date, figures: dict[str, int], i: int
    ) -> list[str]:
        opening = OPENING[language].format(date=day.isoformat(), i=i, **figures)
        return [
            opening,
            *rng.sample(self.pool[language], k=min(rng.randint(2, 4), len(self.pool[language]))),
        ]


def records(maker: Maker, count: int) -> Iterator[corpus.Record]:
    """``count`` records of synthetic statements 0, 1, 2, …"""
    made = 0
    i = 0
    while True:
        for n, (kind, item) in enumerate(maker.statement(i)):
            source = f"synthetic/{i}/{kind}-{n}.txt"
            yield corpus.Record(
                status="ok",
                input=corpus.Input(source=source, url=item.url, sha256=f"{made:064x}"),
                article=item,
                error=None,
            )
            made += 1
            if made >= count:
                return
        i += 1


def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def one(count: int) -> dict[str, Any]:
    """One size, in this process: generation alone, then generation and grouping."""
    pool, template = pools()
    maker = Maker(pool, template)
    start = time.process_time()
    for _ in records(maker, count):
        pass
    generate = time.process_time() - start
    generated_peak = _peak()
    start = time.process_time()
    truth: Counter[str] = Counter()
    per_statement: list[set[str]] = []
    witnesses = 0
    for statement in statements.group(records(maker, count)):
        ids = {w.input.source.split("/")[1] for w in statement.witnesses if w.input is not None}
        per_statement.append(ids)
        witnesses += len(statement.witnesses)
        truth.update(ids)
    total = time.process_time() - start
    merged = sum(1 for ids in per_statement if len(ids) > 1)
    split = sum(1 for n in truth.values() if n > 1)
    return {
        "records": count,
        "witnesses": witnesses,
        "statements": len(per_statement),
        "true_statements": len(truth),
        "whole": len(truth) - split - sum(len(ids) for ids in per_statement if len(ids) > 1),
        "split": split,
        "merged": merged,
        "generate_s": round(generate, 2),
        "group_s": round(total - generate, 2),
        "peak_bytes": _peak(),
        "generated_peak_bytes": generated_peak,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="record counts, comma-separated")
    parser.add_argument("--one", type=int, help="run one size in this process, print JSON")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for size in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 2
        results.append(json.loads(done.stdout))
        print(f"{size:>9,} records done", file=sys.stderr)
    if args.json:
        print(json.dumps({"machine": machine(), "results": results}, indent=2))
        return 0
    print(f"# {machine()}")
    print(
        "records | grouping s | µs/record | peak MiB | statements (true) | whole | split | merged"
    )
    for r in results:
        print(
            f"{r['records']:,} | {r['group_s']:.1f} | {1e6 * r['group_s'] / r['records']:.0f} | "
            f"{r['peak_bytes'] / 2**20:.0f} | {r['statements']:,} ({r['true_statements']:,}) | "
            f"{r['whole']:,} | {r['split']:,} | {r['merged']:,}"
        )
    for a, b in itertools.pairwise(results):
        doublings = math.log2(b["records"] / a["records"])
        growth = (b["group_s"] / a["group_s"]) ** (1 / doublings) if a["group_s"] else float("nan")
        print(f"growth per doubling, {a['records']:,} -> {b['records']:,}: {growth:.2f}x time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
