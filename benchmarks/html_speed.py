"""HTML throughput: socpress ``load_articles`` against trafilatura and a bare parse.

One process, one core. Every page is run through the contenders in turn (socpress,
trafilatura with its metadata, a bare ``LexborHTMLParser(html)`` parse as the floor, and
with ``--before`` another checkout of socpress), page by page, so the machine's state
drifts equally for all. Each call is timed in CPU time (``time.process_time``: what one
core does, less sensitive to other processes on a shared machine). Reports pages per
CPU-second for each, the ratios socpress/trafilatura and socpress/floor, socpress's
per-page p50/p95/max, its slowest pages, ``read_html`` alone against the floor, and
exceptions counted by type.

``--before DIR`` runs another checkout (``DIR/src``, or ``DIR`` itself when it holds
``socpress``; make one with ``git worktree add /tmp/before <commit>``) beside this one, each
in a child process of its own that times its ``load_articles`` of the same page, page by
page with the others, and prints both rates and their ratio. The two children are alike and
take turns at going first: in a fixed order, the same code measured against itself came out
4% faster when it went second. This checkout's own figure in the parent, a process that also
holds trafilatura and every decoded page, comes out slower than its child's (about 10%).
``--guards`` adds the CPU time of each scan before the parse, in ms per page
(``_guard_timing.py``), for this checkout in the parent and in each child, in passes of
their own after the timed ones (the timers cost a little).

Corpus: the HTML fixtures of ``tests/fixtures/html`` plus ``../shared/webpages/*.html``
(read in place, never copied into the repository).

    python benchmarks/html_speed.py                 # 3 passes
    python benchmarks/html_speed.py --repeat 5 --json
    python benchmarks/html_speed.py --before /tmp/before --guards
    python benchmarks/html_speed.py --no-trafilatura

trafilatura comes with the ``bench`` extra (``pip install -e ".[bench]"``); without it the
script exits 2 unless ``--no-trafilatura`` is given.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

import socpress
from _guard_timing import guard_times
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


def corpus_paths() -> list[tuple[str, Path]]:
    paths = [(f"fixtures/{p.name}", p) for p in sorted(ROOT.glob("tests/fixtures/html/*.html"))]
    paths += [(f"webpages/{p.name}", p) for p in sorted(WEBPAGES.glob("*.html"))]
    return paths


def corpus() -> list[tuple[str, bytes]]:
    return [(name, path.read_bytes()) for name, path in corpus_paths()]


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
    t0 = time.process_time()
    try:
        fn(arg)
    except Exception as err:  # counted and reported, never hidden
        return time.process_time() - t0, err
    return time.process_time() - t0, None


# --------------------------------------------------------------------------------------------
# Another checkout, in a child process: one page at a time, timed there in its own CPU time.

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(1, sys.argv[2])
import socpress
from socpress.errors import SocpressError
from _guard_timing import guard_times
assert socpress.__file__.startswith(sys.argv[1]), socpress.__file__
pages = [open(path, "rb").read() for path in json.loads(sys.stdin.readline())]
def load(data):
    try:
        return socpress.load_articles(data)
    except SocpressError as err:
        return err
for line in sys.stdin:
    request = json.loads(line)
    if "guards" in request:
        print(json.dumps(guard_times(load, pages, request["guards"])), flush=True)
        continue
    data = pages[request["page"]]
    t0 = time.process_time()
    try:
        load(data)
        error = None
    except Exception as err:
        error = type(err).__name__
    print(json.dumps([time.process_time() - t0, error]), flush=True)
"""


class Checkout:
    """A checkout's socpress, loading the same pages in a child process."""

    def __init__(self, checkout: Path, paths: list[Path]) -> None:
        src = checkout / "src" if (checkout / "src" / "socpress").is_dir() else checkout
        if not (src / "socpress").is_dir():
            raise SystemExit(f"html_speed.py: no socpress package in {checkout} or its src/")
        self.child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(src.resolve()), str(Path(__file__).parent)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._ask([str(p) for p in paths])

    def _ask(self, request: object) -> Any:
        assert self.child.stdin is not None
        assert self.child.stdout is not None
        self.child.stdin.write(json.dumps(request) + "\n")
        self.child.stdin.flush()
        if isinstance(request, list):
            return None
        return json.loads(self.child.stdout.readline())

    def load(self, index: int) -> tuple[float, str | None]:
        seconds, error = self._ask({"page": index})
        return float(seconds), error

    def guards(self, repeat: int) -> dict[str, float]:
        return dict(self._ask({"guards": repeat}))

    def close(self) -> None:
        assert self.child.stdin is not None
        self.child.stdin.close()
        self.child.wait(timeout=60)


class Timings:
    """CPU seconds per contender, socpress's and ``read_html``'s per page, and errors."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = collections.defaultdict(float)
        self.per_page: dict[str, list[float]] = collections.defaultdict(list)
        self.reader: list[float] = []
        self.errors: dict[str, collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )
        self.failing: dict[str, set[str]] = collections.defaultdict(set)

    def add(self, label: str, page: str, seconds: float, error: str | None) -> None:
        self.totals[label] += seconds
        if label == "socpress":
            self.per_page[page].append(seconds)
        if label == "read_html":
            self.reader.append(seconds)
        if error is not None:
            self.errors[label][error] += 1
            self.failing[label].add(page)


def timed_passes(
    pages: list[tuple[str, bytes]],
    texts: list[str],
    extract: Callable[[str], object] | None,
    checkouts: dict[str, Checkout],
    repeat: int,
) -> Timings:
    """A warm-up pass, then ``repeat`` passes, each page through every contender in turn."""
    timings = Timings()
    for index, ((_, data), text) in enumerate(zip(pages, texts, strict=True)):
        _socpress(data)
        _floor(text)
        for checkout in checkouts.values():
            checkout.load(index)
    for _ in range(repeat):
        for index, ((name, data), text) in enumerate(zip(pages, texts, strict=True)):
            turns = list(checkouts.items())
            for label, checkout in turns[index % 2 :] + turns[: index % 2]:
                timings.add(label, name, *checkout.load(index))
            runs: list[tuple[str, Callable[[Any], object], Any]] = [
                ("socpress", _socpress, data),
                ("floor", _floor, text),
                ("read_html", read_html, text),
            ]
            if extract is not None:
                runs.append(("trafilatura", extract, text))
            for label, fn, arg in runs:
                seconds, err = _timed(fn, arg)
                timings.add(label, name, seconds, None if err is None else type(err).__name__)
    return timings


def _ratio(rate: dict[str, float], over: str, under: str, digits: int = 1) -> float | None:
    return round(rate[over] / rate[under], digits) if over in rate and under in rate else None


def report(timings: Timings, pages: int, repeat: int, slowest: int) -> dict[str, Any]:
    n = pages * repeat
    rate = {label: n / seconds for label, seconds in timings.totals.items() if seconds}
    latencies = sorted(s for times in timings.per_page.values() for s in times)
    slow = sorted(timings.per_page.items(), key=lambda kv: -max(kv[1]))[:slowest]
    reader = sorted(timings.reader)
    return {
        "machine": machine(),
        "socpress": socpress.__version__,
        "pages": pages,
        "passes": repeat,
        "pages_per_cpu_second": {k: round(v, 1) for k, v in sorted(rate.items())},
        "socpress_over_trafilatura": _ratio(rate, "socpress", "trafilatura"),
        "after_over_trafilatura": _ratio(rate, "after", "trafilatura"),
        "before_over_trafilatura": _ratio(rate, "before", "trafilatura"),
        "after_over_before": _ratio(rate, "after", "before", 3),
        "socpress_over_floor": _ratio(rate, "floor", "socpress", 2),
        "read_html_over_floor": _ratio(rate, "floor", "read_html", 2),
        "latency_ms_p50": round(1000 * statistics.median(latencies), 3),
        "latency_ms_p95": round(1000 * latencies[int(len(latencies) * 0.95)], 3),
        "latency_ms_max": round(1000 * latencies[-1], 3),
        "read_html_ms_p95": round(1000 * reader[int(len(reader) * 0.95)], 3),
        # Every pass's time for the slowest pages: one slow pass among fast ones is a pause
        # (a full garbage collection), not the page.
        "slowest_pages_ms": {name: [round(1000 * t, 1) for t in times] for name, times in slow},
        "exceptions": {label: dict(counts) for label, counts in timings.errors.items()},
        "failing_pages": {label: sorted(names)[:20] for label, names in timings.failing.items()},
        "targets": TARGETS,
    }


def _trafilatura() -> Callable[[str], object] | None:
    try:
        import trafilatura
    except ImportError:
        print(
            "html_speed.py: trafilatura is not installed. Install the bench extra "
            '(pip install -e ".[bench]"), or run with --no-trafilatura to measure '
            "socpress and the parse floor only.",
            file=sys.stderr,
        )
        return None

    def extract(html: str) -> object:
        return trafilatura.extract(html, output_format="json", with_metadata=True)

    return extract


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--slowest", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another checkout, run alongside")
    parser.add_argument("--guards", action="store_true", help="ms per page of each scan")
    args = parser.parse_args()

    extract = None if args.no_trafilatura else _trafilatura()
    if extract is None and not args.no_trafilatura:
        return 2
    paths = corpus_paths()
    pages = [(name, path.read_bytes()) for name, path in paths]
    if not WEBPAGES.is_dir():
        print(
            f"html_speed.py: {WEBPAGES} is absent: measuring the {len(pages)} HTML fixtures only "
            "(the published figures include the 300 pages of ../shared/webpages)",
            file=sys.stderr,
        )
    checkouts: dict[str, Checkout] = {}
    if args.before:
        files = [path for _, path in paths]
        checkouts = {"after": Checkout(ROOT, files), "before": Checkout(args.before, files)}
    # The floor and trafilatura get the text socpress decodes, so no contender pays for
    # another's decoding; socpress gets the raw bytes and decodes them itself.
    texts = [_decoded(data) for _, data in pages]
    timings = timed_passes(pages, texts, extract, checkouts, args.repeat)
    result = report(timings, len(pages), args.repeat, args.slowest)
    if args.guards:
        loads = [data for _, data in pages]
        result["guards_ms_per_page"] = guard_times(_socpress, loads, max(3, args.repeat))
        for label, checkout in checkouts.items():
            result[f"{label}_guards_ms_per_page"] = checkout.guards(max(3, args.repeat))
    for checkout in checkouts.values():
        checkout.close()
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
