"""The one-bad-byte experiment: does one stray byte cost a page, or change it silently?

For every page of a directory of real HTML pages (``../shared/webpages`` by default), one
byte 0xFF is put, in turn, into the first attribute value after ``<body``, into the first
comment, into the first script and into the visible text (inside a word of the clean
page's first paragraph, where it stands as text in the markup). Each damaged page is read
and its fields (every ``Article`` field but the provenance, for every article of the page)
compared with the clean page's:

* ``same``: the same fields;
* ``named``: the fields differ only by U+FFFD where the byte stood, and
  ``provenance.damage`` names it (``invalid-bytes``, and ``replacement-characters`` with the
  element where it reached the kept text);
* ``character``: the page is in a legacy code page where the byte is a character (0xFF is
  ``ÿ`` in windows-1252), and the fields differ by that character only: not damage at all;
* ``silent``: any other difference (another encoding chosen for the whole page, a value
  changed without a U+FFFD, a language flipped): the failure this experiment looks for;
* ``refused``: the damaged page raised, though the clean one was read.

    .venv/bin/python fuzz/one_bad_byte.py [--pages DIR] [--show N]

Prints one table row per place, with the machine, and the first ``--show`` silent cases.
Not a test: it reads data that is not in the repository. Exit status 1 if it measured
nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


import socpress  # noqa: E402
from socpress.errors import SocpressError  # noqa: E402

BAD = b"\xff"
PLACES = ("attribute", "comment", "script", "text")
_ATTRIBUTE = re.compile(rb"""<[A-Za-z][A-Za-z0-9-]*\s[^<>]*?=\s*["']""")
_COMMENT = re.compile(rb"<!--")
_SCRIPT = re.compile(rb"<script\b[^<>]*>(?=[^<])", re.IGNORECASE)
_BODY = re.compile(rb"<body\b", re.IGNORECASE)


def _fields(articles: list[socpress.Article]) -> list[dict[str, Any]]:
    out = []
    for article in articles:
        data = article.to_dict()
        del data["provenance"]
        out.append(data)
    return out


def _without(value: Any, char: str) -> Any:
    if isinstance(value, str):
        return value.replace(char, "")
    if isinstance(value, list):
        return [_without(v, char) for v in value]
    if isinstance(value, dict):
        return {k: _without(v, char) for k, v in value.items()}
    return value


def _place(raw: bytes, place: str, first_paragraph: str | None, encoding: str) -> int | None:
    """The byte offset to put the bad byte at, or ``None`` when the page has no such place."""
    body = _BODY.search(raw)
    start = body.end() if body is not None else 0
    if place == "attribute":
        match = _ATTRIBUTE.search(raw, start)
        return None if match is None else match.end()
    if place == "comment":
        match = _COMMENT.search(raw, start) or _COMMENT.search(raw)
        return None if match is None else match.end()
    if place == "script":
        match = _SCRIPT.search(raw, start) or _SCRIPT.search(raw)
        return None if match is None else match.end()
    if not first_paragraph:
        return None
    for word in re.findall(r"[A-Za-z]{5,}", first_paragraph):
        try:
            needle = word.encode(encoding)
        except (LookupError, UnicodeError):
            needle = word.encode()
        at = raw.find(needle, start)
        while at != -1:
            before = raw.rfind(b"<", 0, at), raw.rfind(b">", 0, at)
            if before[1] > before[0]:  # in text, not inside a tag
                return at + len(needle) // 2
            at = raw.find(needle, at + 1)
    return None


def _judge(clean: list[dict[str, Any]], articles: list[socpress.Article], encoding: str) -> str:
    damaged = _fields(articles)
    if damaged == clean:
        return "same"
    kinds = {d.kind for a in articles for d in a.provenance.damage}
    if _without(damaged, "\ufffd") == _without(clean, "\ufffd") and "invalid-bytes" in kinds:
        return "named"
    char = BAD.decode(articles[0].provenance.encoding, "replace")
    same_encoding = articles[0].provenance.encoding == encoding
    if same_encoding and char != "\ufffd" and _without(damaged, char) == _without(clean, char):
        return "character"
    return "silent"


def run(pages: list[Path], show: int) -> int:
    counts: dict[str, Counter[str]] = {place: Counter() for place in PLACES}
    examples: list[str] = []
    clean_refused = 0
    started = time.perf_counter()
    for path in pages:
        raw = path.read_bytes()
        try:
            clean_articles = socpress.load_articles(raw)
        except SocpressError:
            clean_refused += 1
            continue
        clean = _fields(clean_articles)
        paragraphs = clean_articles[0].paragraphs
        encoding = clean_articles[0].provenance.encoding
        for place in PLACES:
            at = _place(raw, place, paragraphs[0] if paragraphs else None, encoding)
            if at is None:
                counts[place]["no such place"] += 1
                continue
            damaged = raw[:at] + BAD + raw[at:]
            try:
                verdict = _judge(clean, socpress.load_articles(damaged), encoding)
            except SocpressError as err:
                verdict = "refused"
                if len(examples) < show:
                    examples.append(f"{place:9} {path.name[:50]}: refused: {str(err)[:90]}")
            if verdict == "silent" and len(examples) < show:
                examples.append(f"{place:9} {path.name[:50]}: silent change")
            counts[place][verdict] += 1
    seconds = time.perf_counter() - started
    tried = sum(sum(c.values()) - c["no such place"] for c in counts.values())
    print(f"# one byte 0xFF, {len(pages)} pages ({clean_refused} refused clean), {seconds:.0f} s")
    python = platform.python_version()
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {python}, {platform.system()}")
    print(
        "| place | pages tried | same fields | differ, named in damage | "
        "a character of the page's code page | differ silently | refused |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for place in PLACES:
        c = counts[place]
        n = sum(c.values()) - c["no such place"]
        cells = [f"{c[k]} ({100 * c[k] / n:.1f}%)" if n else "0" for k in
                 ("same", "named", "character", "silent", "refused")]  # fmt: skip
        print(f"| {place} | {n} | " + " | ".join(cells) + " |")
    for line in examples:
        print(line)
    return 0 if tried else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "webpages")
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    pages = sorted(args.pages.glob("*.html"))
    if not pages:
        print(f"no pages in {args.pages}", file=sys.stderr)
        return 1
    return run(pages, args.show)


if __name__ == "__main__":
    sys.exit(main())
