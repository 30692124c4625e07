"""Bodies of other sites' pages: how many come out empty, and which rules removed what.

Reads every ``../shared/webpages/*.html`` (real pages of many sites, read in place, never
copied into the repository) with ``load_articles`` and counts:

- pages whose articles have no paragraph at all (``empty body``), and among them the pages
  where trafilatura's ``extract`` finds a text of 200 characters or more (``empty where
  trafilatura finds one``: the figure issue 16 wants at 0);
- removals per rule, and the characters they removed;
- pages whose title is the page's own ``<title>`` or ``<h1>`` (or contained in ``<title>``).

    python benchmarks/generic_bodies.py              # the table
    python benchmarks/generic_bodies.py --json       # the figures as JSON
    python benchmarks/generic_bodies.py --list-empty # name the pages with an empty body

Without the pages it exits 2; without trafilatura (the ``bench`` extra) it leaves that column
out with a note.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

import socpress
from socpress.errors import SocpressError

ROOT = Path(__file__).resolve().parents[1]
WEBPAGES = ROOT.parent / "shared" / "webpages"
FOUND_MIN = 200
"""Characters of trafilatura text that count as "trafilatura finds a body"."""


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _title_agrees(title: str | None, data: bytes) -> bool:
    if not title:
        return False
    tree = LexborHTMLParser(data.decode("utf-8", "replace"))
    head_title = tree.css_first("title")
    h1 = tree.css_first("h1")
    folded = _fold(title)
    page_title = _fold(head_title.text()) if head_title is not None else ""
    return bool(folded) and (
        folded in page_title or (h1 is not None and folded == _fold(h1.text()))
    )


def measure(pages: list[Path], extract: Any) -> dict[str, Any]:
    rules: collections.Counter[str] = collections.Counter()
    chars: collections.Counter[str] = collections.Counter()
    empty: list[str] = []
    empty_found: list[str] = []
    titles = 0
    for path in pages:
        data = path.read_bytes()
        try:
            articles = socpress.load_articles(data)
        except SocpressError:
            articles = []
        for article in articles[:1]:  # the removals are the page's, shared by its items
            for removal in article.provenance.removed:
                rules[removal.rule] += 1
                chars[removal.rule] += len(removal.text)
        if articles and _title_agrees(articles[0].title, data):
            titles += 1
        if not any(a.paragraphs for a in articles):
            empty.append(path.name)
            if extract is not None and len(extract(data) or "") >= FOUND_MIN:
                empty_found.append(path.name)
    return {
        "pages": len(pages),
        "empty_body": len(empty),
        "empty_where_trafilatura_finds_one": None if extract is None else len(empty_found),
        "title_agrees_with_page": titles,
        "removals": dict(rules.most_common()),
        "removed_chars": dict(chars.most_common()),
        "empty_pages": empty,
        "empty_found_pages": empty_found,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--list-empty", action="store_true")
    args = parser.parse_args()
    pages = sorted(WEBPAGES.glob("*.html"))
    if not pages:
        print(f"generic_bodies.py: no pages in {WEBPAGES}; nothing measured", file=sys.stderr)
        return 2
    try:
        import trafilatura

        extract: Any = trafilatura.extract
    except ImportError:
        print("note: trafilatura is not installed (pip install -e '.[bench]'); column left out")
        extract = None
    figures = measure(pages, extract)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"{figures['pages']} pages of ../shared/webpages")
    print(f"empty body: {figures['empty_body']}")
    print(f"empty body where trafilatura finds one: {figures['empty_where_trafilatura_finds_one']}")
    print(f"title agrees with <title>/<h1>: {figures['title_agrees_with_page']}")
    print("removals by rule (count, characters):")
    for rule, count in figures["removals"].items():
        print(f"  {rule:28} {count:7d} {figures['removed_chars'][rule]:9d}")
    if args.list_empty:
        for name in figures["empty_pages"]:
            mark = " (trafilatura finds one)" if name in figures["empty_found_pages"] else ""
            print(f"  empty: {name}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
