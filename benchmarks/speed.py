"""Pages per second per core for ``load_article`` on the text pages.

Runs every page of the corpus ``--repeat`` times in one process (single core), after one
warm-up pass (langdetect profiles load on first use), and reports the median and the
slowest of the per-pass rates, plus the per-page p50/p95/max latency. Language detection
is included: nothing is skipped.

    python benchmarks/speed.py                     # seeds + ../shared/realpages if present
    python benchmarks/speed.py --repeat 20 --json  # machine-readable
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path

import socpress
from _machine import machine
from socpress.errors import NotAnArticleError

ROOT = Path(__file__).resolve().parents[1]


def corpus() -> list[tuple[str, bytes, str | None]]:
    pages: list[tuple[str, bytes, str | None]] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        pages.append((path.name, path.read_bytes(), None))
    real = ROOT.parent / "shared" / "realpages"
    for path in sorted(real.glob("*.txt")):
        gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        pages.append((f"realpages/{path.name}", path.read_bytes(), gold.get("url")))
    return pages


def one_pass(pages: list[tuple[str, bytes, str | None]], latencies: list[float]) -> float:
    start = time.perf_counter()
    for _, data, url in pages:
        t0 = time.perf_counter()
        with contextlib.suppress(NotAnArticleError):
            socpress.load_articles(data, url=url)
        latencies.append(time.perf_counter() - t0)
    return len(pages) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pages = corpus()
    one_pass(pages, [])  # warm-up: langdetect profiles, regex caches
    rates: list[float] = []
    latencies: list[float] = []
    for _ in range(args.repeat):
        rates.append(one_pass(pages, latencies))
    latencies.sort()
    result = {
        "machine": machine(),
        "socpress": socpress.__version__,
        "pages": len(pages),
        "passes": args.repeat,
        "pages_per_second_per_core_median": round(statistics.median(rates), 1),
        "pages_per_second_per_core_min": round(min(rates), 1),
        "latency_ms_p50": round(1000 * latencies[len(latencies) // 2], 3),
        "latency_ms_p95": round(1000 * latencies[int(len(latencies) * 0.95)], 3),
        "latency_ms_max": round(1000 * latencies[-1], 3),
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for key, value in result.items():
            print(f"{key:36} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
