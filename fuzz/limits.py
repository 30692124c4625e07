"""Measure socpress on pathological pages: the "Limits, measured" table of docs/errors.md.

Each case runs in a fresh subprocess (so peak memory is the case's own) under a wall-clock
timeout, and prints one Markdown row: case, input size, outcome, seconds (after a warm-up
call that loads the language profiles), peak RSS.

    .venv/bin/python fuzz/limits.py                 # every case, 120 s timeout each
    .venv/bin/python fuzz/limits.py --timeout 30 deep-divs no-result-lines

Not a test: timings depend on the machine. The unit tests check growth rates instead
(``tests/test_robustness.py``, ``tests/test_regex_linear.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_fdbfbd34f38a0d4c.txt"
MB = 1024 * 1024

Maker = Callable[[], "str | bytes | Path"]


def _seed() -> str:
    return SEED.read_text(encoding="utf-8")


def _to_file(data: bytes, name: str) -> Path:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"socpress-limits-{os.getpid()}-{name}"
    path.write_bytes(data)
    return path


CASES: dict[str, tuple[str, Maker]] = {
    "single-line-10mb": (
        "one 10 MB line of words",
        lambda: "Title of the statement\n" + "word " * (2 * MB),
    ),
    "tiny-lines-1m": (
        "a million one-letter lines",
        lambda: "Title of the page\n" + "a\n" * 1_000_000,
    ),
    "tiny-lines-100k": (
        "100,000 one-letter lines",
        lambda: "Title of the page\n" + "a\n" * 100_000,
    ),
    "body-lines-100k": (
        "100,000 sentence lines (3.8 MB)",
        lambda: "Title of the page\n" + "The coalition said this today, again.\n" * 100_000,
    ),
    "no-result-lines": (
        '100,000 "No Result" lines',
        lambda: "Title of the page\nThe body.\n" + "No Result\n" * 100_000,
    ),
    "bullets-100k": ("100,000 menu bullets", lambda: "  • Home\n" * 100_000),
    "date-lines-100k": ("100,000 date lines", lambda: "November 21, 2022\n" * 100_000),
    "source-unclosed-100k": (
        '100,000 unclosed "(Source:" in one line',
        lambda: "Title of the page\nThe body " + "(Source: " * 100_000,
    ),
    "space-run-100k": (
        "a run of 100,000 spaces inside a body line",
        lambda: "Title of the page\nThe coalition said" + " " * 100_000 + "this.\n",
    ),
    "seed-x3000-19mb": ("seed 000 repeated to 19 MB", lambda: _seed() * 3000),
    "divs-40mb-bytes": ("40 MB of repeated <div> (bytes)", lambda: b"<div>" * (8 * MB)),
    "divs-40mb-str": ("40 MB of repeated <div> (str)", lambda: "<div>" * (8 * MB)),
    "divs-40mb-file": (
        "40 MB of repeated <div> (a file)",
        lambda: _to_file(b"<div>" * (8 * MB), "divs.html"),
    ),
    "divs-19mb": ("19 MB of repeated <div>, under the limit", lambda: "<div>x" * (19 * MB // 6)),
    "deep-divs-100k": (
        "100,000 nested <div> around one paragraph",
        lambda: "<html><body>" + "<div>" * 100_000 + "<p>The coalition said this.</p>",
    ),
    "deep-divs-999": (
        "999 nested <div> around one paragraph",
        lambda: "<html><body>" + "<div>" * 999 + "<p>The coalition said.</p>" + "</div>" * 999,
    ),
    "chunks-999-19mb": (
        "19 MB of blocks of 999 nested <div>",
        lambda: (
            "<html><body>" + ("<div>" * 999 + "<p>The coalition said.</p>" + "</div>" * 999) * 1650
        ),
    ),
    "empty-divs-19mb": (
        "19 MB of <div></div>",
        lambda: "<html><body><p>The body.</p>" + "<div></div>" * 1_800_000,
    ),
    "paragraphs-100k-html": (
        "100,000 <p> paragraphs (HTML)",
        lambda: (
            "<html><body><h1>Title of it</h1>"
            + "<p>The coalition said this today.</p>" * 100_000
            + "</body></html>"
        ),
    ),
    "random-bytes-19mb": ("19 MB of random bytes", lambda: os.urandom(19 * MB)),
    # Issue 11's table, and relatives.
    "select-options-100k": (
        "one <select> with 100,000 <option>",
        lambda: (
            "<html><body><p>The coalition said.</p><select>"
            + "<option>x</option>" * 100_000
            + "</select>"
        ),
    ),
    "reopened-b-900": (
        "900 unclosed <b id=N> in a <p>, then 4,000 short <p>",
        lambda: (
            "<html><body><p>"
            + "".join(f"<b id={i}>" for i in range(900))
            + "x</p>"
            + "<p>short</p>" * 4000
        ),
    ),
    "reopened-font-10k": (
        "one unclosed <font> reopened in 10,000 <p>",
        lambda: "<html><body><p><font face=x>" + "<p>The coalition said it.</p>" * 10_000,
    ),
    "stray-end-tags-100k": ("<div></x> x 100,000", lambda: "<html><body>" + "<div></x>" * 100_000),
    "self-closing-divs-100k": ("<div/> x 100,000", lambda: "<html><body>" + "<div/>" * 100_000),
    "json-ld-10k": (
        "10,000 JSON-LD <script> blocks",
        lambda: (
            "<html><body><p>The coalition said.</p>"
            + '<script type="application/ld+json">{"@type": "NewsArticle"}</script>' * 10_000
        ),
    ),
    "attributes-100k": (
        "100,000 attributes on one element",
        lambda: (
            "<html><body><p "
            + " ".join(f"a{i}=x" for i in range(100_000))
            + ">The coalition said.</p>"
        ),
    ),
    "short-lines-9m": (
        "9 million short lines of text",
        lambda: "Title of it\n" + "a\n" * 9_000_000,
    ),
    "short-lines-1m": (
        "a million short lines of text",
        lambda: "Title of it\n" + "a\n" * 1_000_000,
    ),
    "lines-of-25-19mb": (
        "19 MB of 25-character lines (just over the text guard's mean)",
        lambda: "Title of it\n" + "The line of a few words.\n" * (19 * MB // 25),
    ),
    "invalid-bytes-19mb": (
        "19 MB of UTF-8 text with an invalid byte every 1,000",
        lambda: (("Die Koalition äußert sich. " * 37)[:999].encode() + b"\xff") * (19 * 1024),
    ),
    "gzip-bomb": ("gzip of 1 GB of zeros (1 MB compressed)", lambda: _gzip_bomb()),
    "utf16-bom-19mb": (
        "seed 000 in UTF-16 with BOM, 19 MB",
        lambda: (_seed() * 1500).encode("utf-16"),
    ),
    "mojibake-19mb": (
        "UTF-8 Arabic read as windows-1252, about 16 MB as UTF-8",
        lambda: (
            ("قال الائتلاف الوطني السوري إن النظام مسؤول. " * 100_000)
            .encode("utf-8")
            .decode("windows-1252", "replace")
        ),
    ),
}


def _gzip_bomb() -> bytes:
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\x00" * MB
    return b"".join([*(compressor.compress(chunk) for _ in range(1024)), compressor.flush()])


def run_case(name: str) -> dict[str, object]:
    import socpress
    from socpress.errors import SocpressError

    # Warm up first (language profiles, caches), so the row is the case's own cost.
    socpress.load_articles("Title of it\nThe coalition said it again today.\n")
    data = CASES[name][1]()
    size = data.stat().st_size if isinstance(data, Path) else len(data)
    start = time.perf_counter()
    try:
        articles = socpress.load_articles(data)
        outcome = (
            f"{len(articles)} article(s), {sum(len(a.paragraphs) for a in articles)} paragraphs"
        )
    except SocpressError as err:
        outcome = f"{type(err).__name__}: {str(err)[:70]}"
    seconds = time.perf_counter() - start
    if isinstance(data, Path):
        data.unlink()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "case": name,
        "size": size,
        "outcome": outcome,
        "seconds": seconds,
        "peak_mb": peak_kb / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=list(CASES))
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_case(args.one)))
        return 0
    print("| case | input | outcome | seconds | peak RSS |")
    print("|---|---:|---|---:|---:|")
    for name in args.cases:
        described = CASES[name][0]
        try:
            proc = subprocess.run(
                [sys.executable, __file__, "--one", name],
                capture_output=True,
                text=True,
                timeout=args.timeout,
                check=True,
            )
        except subprocess.TimeoutExpired:
            limit = f"{args.timeout:.0f}"
            print(f"| {described} | | **no result in {limit} s** | > {limit} | |")
            continue
        except subprocess.CalledProcessError as err:
            print(f"| {described} | | **crashed**: {err.stderr.strip().splitlines()[-1]} | | |")
            continue
        row = json.loads(proc.stdout)
        print(
            f"| {described} | {row['size']:,} | {row['outcome']} | {row['seconds']:.2f} | "
            f"{row['peak_mb']:.0f} MB |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
