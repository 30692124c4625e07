"""Memory stays flat: load 10,000 HTML pages (cycling the corpus) in one process and report
peak RSS and traced Python memory at checkpoints.

The articles are dropped as soon as they are made, as a batch job would; a leak (parser
trees kept alive, caches that grow with input) shows as RSS or traced memory that keeps
climbing from checkpoint to checkpoint.

    python benchmarks/html_memory.py                       # 10,000 pages
    python benchmarks/html_memory.py --pages 2000 --json
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import socpress
from socpress.errors import SocpressError

ROOT = Path(__file__).resolve().parents[1]
WEBPAGES = ROOT.parent / "shared" / "webpages"


def corpus() -> list[bytes]:
    paths = sorted(ROOT.glob("tests/fixtures/html/*.html")) + sorted(WEBPAGES.glob("*.html"))
    return [p.read_bytes() for p in paths]


def rss_mib() -> float:
    """Current resident set size (Linux ``/proc``), falling back to the peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--checkpoints", default="1000,5000,10000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    checkpoints = sorted(int(c) for c in args.checkpoints.split(",") if int(c) <= args.pages)
    pages = corpus()
    if not WEBPAGES.is_dir():
        print(
            f"html_memory.py: {WEBPAGES} is absent: cycling through the {len(pages)} HTML "
            "fixtures only (the published figures cycle through ../shared/webpages too)",
            file=sys.stderr,
        )
    for data in pages:  # warm-up: imports, langdetect profiles, regex caches
        with contextlib.suppress(SocpressError):
            socpress.load_articles(data)
    gc.collect()
    tracemalloc.start()
    base_traced = tracemalloc.get_traced_memory()[0]
    rows: list[dict[str, Any]] = []
    errors = 0
    start = time.perf_counter()
    for i in range(1, args.pages + 1):
        try:
            socpress.load_articles(pages[(i - 1) % len(pages)])
        except SocpressError:
            errors += 1
        if i in checkpoints:
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
            rows.append(
                {
                    "pages": i,
                    "rss_mib": round(rss_mib(), 1),
                    "peak_rss_mib": round(peak_rss_mib(), 1),
                    "traced_mib_retained": round((current - base_traced) / 2**20, 2),
                    "traced_mib_peak": round(peak / 2**20, 2),
                    "seconds": round(time.perf_counter() - start, 1),
                }
            )
    tracemalloc.stop()
    result = {
        "corpus_pages": len(pages),
        "documented_errors": errors,
        "checkpoints": rows,
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"corpus {len(pages)} pages; documented SocpressError outcomes: {errors}")
        print(
            f"{'pages':>7} {'rss MiB':>9} {'peak rss':>9} {'retained':>9} {'traced pk':>9} {'s':>7}"
        )
        for row in rows:
            print(
                f"{row['pages']:>7} {row['rss_mib']:>9} {row['peak_rss_mib']:>9} "
                f"{row['traced_mib_retained']:>9} {row['traced_mib_peak']:>9} {row['seconds']:>7}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
