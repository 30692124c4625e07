"""Field accuracy against the hand-read gold files of ``../shared/realpages``.

For every ``NNN.txt`` with its ``NNN.json`` (conventions in ``shared/DATA.md``), reads the
page with its gold ``url`` and scores one check per gold field:

- article: ``title``, ``published``, ``category``, ``first_body_sentence`` (the first body
  paragraph starts with it), ``last_body_sentence_seen`` (it is in the body and only a cut
  fragment follows it), ``source_line`` (the attribution evidence's raw text), ``is_soc``,
  and where the gold states them ``language``, ``captured`` (the render date in the
  provenance) and ``release.kind`` / ``release.dated``;
- listing: ``load_article`` refuses with ``kind="listing"``, item count, each item's
  ``title`` and ``published``, and the first item's ``language``;
- other / not_soc: ``is_soc`` is false (or the page is refused as no article).

A title taken from the URL slug (evidence rule ``url-slug``) counts as "no title in the
text", which is what a gold ``title: null`` records.

    python benchmarks/accuracy.py            # per-layout table and every miss
    python benchmarks/accuracy.py --min 0.95 # exit 1 below that share of checks

A second set, ``../shared/statements/pages/g*.txt`` with their gold ``.json`` (the same form,
fewer fields: no ``layout``, ``category``, ``last_body_sentence_seen`` nor ``source_line``), is
scored the same way on the fields its gold states and reported in a table and an ``ALL`` line of
its own (``statements ALL …``), after the realpages' ``ALL`` line; ``--min`` applies to the
realpages.

Without ``../shared/realpages`` it measures nothing and exits 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import socpress
from socpress.errors import NotAnArticleError

ROOT = Path(__file__).resolve().parents[1]
REALPAGES = ROOT.parent / "shared" / "realpages"
STATEMENT_PAGES = ROOT.parent / "shared" / "statements" / "pages"
# A sentence ends at a terminator followed by space or the end, but not after a title
# abbreviation ("Mr. de Mistura").
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bSt)[.!?؟…][”’\"')»]*(?:\s|$)")


def _norm(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _title(article: socpress.Article) -> str | None:
    ev = article.provenance.fields.get("title")
    return None if ev is None or ev.rule == "url-slug" else article.title


def _last_sentence_ok(article: socpress.Article, sentence: str) -> bool:
    body = _norm(article.text) or ""
    want = _norm(sentence) or ""
    at = body.rfind(want)
    if at < 0:
        return False
    rest = body[at + len(want) :]
    return _SENTENCE_END.search(rest) is None


def check_article(
    gold: dict[str, Any], article: socpress.Article
) -> Iterator[tuple[str, bool, str]]:
    def same(name: str, got: object, want: object) -> tuple[str, bool, str]:
        return name, got == want, f"got {got!r}, want {want!r}"

    yield same("is_soc", article.is_soc, True)
    yield same("title", _norm(_title(article)), _norm(gold["title"]))
    published = None if article.published is None else article.published.isoformat()
    yield same("published", published, gold["published"])
    if "category" in gold:
        yield same("category", article.category, gold["category"])
    first = (_norm(article.paragraphs[0]) or "") if article.paragraphs else ""
    want_first = _norm(gold["first_body_sentence"]) or ""
    yield (
        "first_body_sentence",
        bool(first) and first.startswith(want_first),
        f"got {first[:90]!r}",
    )
    if "last_body_sentence_seen" in gold:
        yield (
            "last_body_sentence_seen",
            _last_sentence_ok(article, gold["last_body_sentence_seen"]),
            f"got ...{(_norm(article.text) or '')[-90:]!r}",
        )
    if "source_line" in gold:
        ev = article.provenance.fields.get("attribution")
        want_line = _norm(gold["source_line"])
        yield same("source_line", None if ev is None else _norm(ev.raw), want_line)
    if "captured" in gold:
        captured = article.provenance.captured
        yield same("captured", None if captured is None else captured.isoformat(), gold["captured"])
    if gold.get("release") is not None:
        release = article.release
        want = gold["release"]
        yield same("release.kind", None if release is None else release.kind, want["kind"])
        dated = None if release is None or release.dated is None else release.dated.isoformat()
        yield same("release.dated", dated, want["dated"])


def check_page(txt: Path) -> Iterator[tuple[str, bool, str]]:
    gold = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    data = txt.read_bytes()
    url = gold.get("url")
    kind = gold["kind"]
    if kind == "listing":
        try:
            socpress.load_article(data, url=url)
            yield "listing-refused", False, "load_article returned an article"
        except NotAnArticleError as err:
            yield "listing-refused", err.kind == "listing", f"kind {err.kind!r}"
        try:
            items = socpress.load_articles(data, url=url)
        except NotAnArticleError as err:
            yield "items", False, f"load_articles raised {err}"
            return
        want = gold["items"]
        yield "items", len(items) == len(want), f"got {len(items)} items, want {len(want)}"
        if "language" in gold:
            for item in items[:1]:
                yield (
                    "language",
                    item.language == gold["language"],
                    f"got {item.language!r}, want {gold['language']!r}",
                )
        for n, (item, gold_item) in enumerate(zip(items, want, strict=False)):
            yield (
                f"item{n}.title",
                _norm(_title(item)) == _norm(gold_item["title"]),
                f"got {_title(item)!r}",
            )
            published = None if item.published is None else item.published.isoformat()
            yield (
                f"item{n}.published",
                published == gold_item["published"],
                f"got {published!r}, want {gold_item['published']!r}",
            )
        return
    try:
        article = socpress.load_article(data, url=url)
    except NotAnArticleError as err:
        if kind == "article":
            yield "article", False, f"refused: {err}"
        else:
            yield "is_soc", True, f"refused ({err.kind})"
        return
    if kind == "article":
        yield from check_article(gold, article)
        if "language" in gold:
            yield (
                "language",
                article.language == gold["language"],
                f"got {article.language!r}, want {gold['language']!r}",
            )
    else:
        yield "is_soc", article.is_soc is False, f"got is_soc={article.is_soc}"


def score(pages: list[Path], label: str, *, quiet: bool) -> tuple[int, int]:
    """Print one set's per-layout and per-field tables, its ``ALL`` line and its misses;
    return the passed and total checks."""
    per_layout: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_field: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    for txt in pages:
        gold = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        layout = f"{gold['kind']}:{gold.get('layout', gold.get('site', '?'))}"
        for name, ok, detail in check_page(txt):
            field = re.sub(r"^item\d+\.", "item.", name)
            for table, key in ((per_layout, layout), (per_field, field)):
                table[key][0] += ok
                table[key][1] += 1
            if not ok:
                misses.append(f"{txt.stem} {layout} {name}: {detail}")
    passed = sum(v[0] for v in per_layout.values())
    total = sum(v[1] for v in per_layout.values())
    print(f"{'layout':42} checks")
    for key in sorted(per_layout):
        good, n = per_layout[key]
        print(f"{key:42} {good:3}/{n:<3} {100 * good / n:5.1f}%")
    print(f"\n{'field':42} checks")
    for key in sorted(per_field):
        good, n = per_field[key]
        print(f"{key:42} {good:3}/{n:<3} {100 * good / n:5.1f}%")
    print(f"\n{label}ALL {passed}/{total} = {100 * passed / total:.1f}% over {len(pages)} pages")
    if not quiet:
        for miss in misses:
            print("MISS", miss)
    return passed, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min", type=float, default=None, help="fail below this share")
    parser.add_argument("--quiet", action="store_true", help="no per-miss lines")
    args = parser.parse_args()
    pages = sorted(REALPAGES.glob("*.txt"))
    if not pages:
        print(
            f"accuracy.py: no gold pages under {REALPAGES}, nothing measured. It needs the "
            "development data: ../shared/realpages beside the checkout (see the README, "
            "'Development data').",
            file=sys.stderr,
        )
        return 2
    passed, total = score(pages, "", quiet=args.quiet)
    statements = [
        p for p in sorted(STATEMENT_PAGES.glob("g*.txt")) if p.with_suffix(".json").is_file()
    ]
    if statements:
        print("\n# statements/pages (second set)\n")
        score(statements, "statements ", quiet=args.quiet)
    if args.min is not None and passed / total < args.min:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
