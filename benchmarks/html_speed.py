"""HTML throughput: socpress ``load_articles`` against trafilatura and a bare parse.

One process, one core. Every page is run through the three contenders in turn (socpress,
trafilatura, a bare ``LexborHTMLParser(html)`` parse as the floor), page by page, so the
machine's state drifts equally for all three. Reports pages/s per core for each, the ratios
socpress/trafilatura and socpress/floor, socpress's per-page p50/p95/max, its slowest pages,
``read_html`` alone against the floor, and exceptions counted by type.

Corpus: the HTML fixtures of ``tests/fixtures/html`` plus ``../shared/webpages/*.html``
(read in place, never copied into the repository).

    python benchmarks/html_speed.py                 # 3 passes
    python benchmarks/html_speed.py --repeat 5 --json
    python benchmarks/html_speed.py --no-trafilatura

trafilatura comes with the ``bench`` extra (``pip install -e ".[bench]"``); without it the
script exits 2 unless ``--no-trafilatura`` is given.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

import socpress
from _machine import machine
from socpress._read.html import read_html
from socpress._read.source import read_source
from socpress.errors import SocpressError

ROOT = Path(__file__).resolve().parents[1]
WEBPAGES = ROOT.parent / "shared" / "webpages"

TARGETS = {
    "socpress_over_trafilatura_min": 20.0,
    "socpress_over_floor_max": 2.0,
    "latency_ms_max": 50.0,
}


def corpus() -> list[tuple[str, bytes]]:
    pages = [
        (f"fixtures/{p.name}", p.read_bytes())
        for p in sorted(ROOT.glob("tests/fixtures/html/*.html"))
    ]
    pages += [(f"webpages/{p.name}", p.read_bytes()) for p in sorted(WEBPAGES.glob("*.html"))]
    return pages


def _decoded(data: bytes) -> str:
    try:
        return read_source(data, url=None, max_bytes=1 << 30).text
    except SocpressError:  # socpress refuses it; the others still get a best-effort text
        return data.decode("utf-8", "replace")


def _socpress(data: bytes) -> object:
    try:
        return socpress.load_articles(data)
    except SocpressError as err:  # documented outcomes (a page of chrome only, …)
        return err


def _floor(text: str) -> object:
    return LexborHTMLParser(text)


def _timed(fn: Callable[[Any], object], arg: Any) -> tuple[float, BaseException | None]:
    t0 = time.perf_counter()
    try:
        fn(arg)
    except Exception as err:  # counted and reported, never hidden
        return time.perf_counter() - t0, err
    return time.perf_counter() - t0, None


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--slowest", type=int, default=5)
    args = parser.parse_args()

    extract: Callable[[str], object] | None = None
    if not args.no_trafilatura:
        try:
            import trafilatura
        except ImportError:
            print(
                "html_speed.py: trafilatura is not installed. Install the bench extra "
                '(pip install -e ".[bench]"), or run with --no-trafilatura to measure '
                "socpress and the parse floor only.",
                file=sys.stderr,
            )
            return 2

        def extract(html: str) -> object:
            return trafilatura.extract(html, output_format="json", with_metadata=True)

    pages = corpus()
    if not WEBPAGES.is_dir():
        print(
            f"html_speed.py: {WEBPAGES} is absent: measuring the {len(pages)} HTML fixtures only "
            "(the published figures include the 300 pages of ../shared/webpages)",
            file=sys.stderr,
        )
    # The floor and trafilatura get the text socpress decodes, so no contender pays for
    # another's decoding; socpress gets the raw bytes and decodes them itself.
    texts = [_decoded(data) for _, data in pages]

    for (_, data), text in zip(pages, texts, strict=True):  # warm-up: imports, caches
        _socpress(data)
        _floor(text)
    totals: dict[str, float] = collections.defaultdict(float)
    per_page: dict[str, list[float]] = collections.defaultdict(list)
    errors: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failing: dict[str, set[str]] = collections.defaultdict(set)
    reader: list[float] = []
    for _ in range(args.repeat):
        for (name, data), text in zip(pages, texts, strict=True):
            runs: list[tuple[str, Callable[[Any], object], Any]] = [
                ("socpress", _socpress, data),
                ("floor", _floor, text),
                ("read_html", read_html, text),
            ]
            if extract is not None:
                runs.append(("trafilatura", extract, text))
            for label, fn, arg in runs:
                seconds, err = _timed(fn, arg)
                totals[label] += seconds
                if label == "socpress":
                    per_page[name].append(seconds)
                if label == "read_html":
                    reader.append(seconds)
                if err is not None:
                    errors[label][type(err).__name__] += 1
                    failing[label].add(name)

    n = len(pages) * args.repeat
    rate = {label: n / seconds for label, seconds in totals.items() if seconds}
    latencies = sorted(s for times in per_page.values() for s in times)
    slowest = sorted(per_page.items(), key=lambda kv: -max(kv[1]))[: args.slowest]
    result: dict[str, Any] = {
        "machine": machine(),
        "socpress": socpress.__version__,
        "pages": len(pages),
        "passes": args.repeat,
        "pages_per_second_per_core": {k: round(v, 1) for k, v in sorted(rate.items())},
        "socpress_over_trafilatura": (
            round(rate["socpress"] / rate["trafilatura"], 1) if "trafilatura" in rate else None
        ),
        "socpress_over_floor": round(rate["floor"] / rate["socpress"], 2),
        "read_html_over_floor": round(rate["floor"] / rate["read_html"], 2),
        "latency_ms_p50": round(1000 * statistics.median(latencies), 3),
        "latency_ms_p95": round(1000 * latencies[int(len(latencies) * 0.95)], 3),
        "latency_ms_max": round(1000 * latencies[-1], 3),
        "read_html_ms_p95": round(1000 * sorted(reader)[int(len(reader) * 0.95)], 3),
        # Every pass's time for the slowest pages: one slow pass among fast ones is a pause
        # (a full garbage collection), not the page.
        "slowest_pages_ms": {name: [round(1000 * t, 1) for t in times] for name, times in slowest},
        "exceptions": {label: dict(counts) for label, counts in errors.items()},
        "failing_pages": {label: sorted(names)[:20] for label, names in failing.items()},
        "targets": TARGETS,
    }
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
