"""Pages per second per core for ``load_articles`` on the text pages, with and without URLs.

Runs every page of the corpus (the seeds, and the real page texts of ``../shared/realpages``
when present) in one process, one core, after a warm-up pass, ``--repeat`` times in each
mode, alternating: ``urls`` gives each real page its gold URL (the coalition's edition
hosts then settle the language), ``no-urls`` gives none (the common case for scraped
republications: language detection runs on every page). Reports, per mode, the median and
slowest pass as pages per CPU-second (``time.process_time``: what one core does, less
sensitive to other processes on a shared machine) and as pages per wall-clock second, and
the per-page p50/p95/max latency. Nothing is skipped.

``--compare`` measures the alternatives side by side, pass by pass in rotating order:
langdetect (the reference), langdetect-rs, and the script-and-stopword pre-classifier of
``_preclassifier.py`` in front of each, and counts where each answers differently from
langdetect. ``--before DIR`` adds another checkout's ``src`` (say, main before a change),
run in a child process in step with the others. ``--first-call`` measures, in fresh
processes, the first detection's latency and memory for each implementation.

    python benchmarks/speed.py                       # both modes
    python benchmarks/speed.py --compare --first-call --before /tmp/old-checkout
    python benchmarks/speed.py --repeat 20 --json    # machine-readable
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import socpress
from _machine import machine
from _preclassifier import detect_language_preclassified
from socpress._extract import fields as _fields
from socpress._extract import language as _language
from socpress._extract.language import LanguageGuess
from socpress.errors import NotAnArticleError

ROOT = Path(__file__).resolve().parents[1]
REALPAGES = ROOT.parent / "shared" / "realpages"
MODES = ("urls", "no-urls")
Page = tuple[str, bytes, str | None]


def corpus() -> list[Page]:
    pages: list[Page] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        pages.append((path.name, path.read_bytes(), None))
    for path in sorted(REALPAGES.glob("*.txt")):
        gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        pages.append((f"realpages/{path.name}", path.read_bytes(), gold.get("url")))
    return pages


def one_pass(pages: list[Page], mode: str, latencies: list[float]) -> tuple[float, float]:
    """(pages per CPU-second, pages per wall-clock second) for one pass."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _, data, url in pages:
        t0 = time.perf_counter()
        with contextlib.suppress(NotAnArticleError):
            socpress.load_articles(data, url=url if mode == "urls" else None)
        latencies.append(time.perf_counter() - t0)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return len(pages) / cpu, len(pages) / wall


# --------------------------------------------------------------------------------------------
# The configurations compared


Detector = Callable[[str], LanguageGuess]
REFERENCE_DETECT: Detector = _language.detect_language


@contextlib.contextmanager
def configured(implementation: str, detect: Detector) -> Iterator[None]:
    before = _language.use_implementation(implementation)
    setattr(_fields, "detect_language", detect)  # noqa: B010 - mypy: a def is not assignable
    try:
        yield
    finally:
        setattr(_fields, "detect_language", REFERENCE_DETECT)  # noqa: B010
        _language.use_implementation(before)


def configurations(compare: bool) -> dict[str, tuple[str, Detector]]:
    if not compare:
        return {_language.implementation(): (_language.implementation(), REFERENCE_DETECT)}
    found = [name for name in _language.IMPLEMENTATIONS if _language._importable(name)]
    configs: dict[str, tuple[str, Detector]] = {}
    for name in reversed(found):  # the reference, langdetect, first
        configs[name] = (name, REFERENCE_DETECT)
    for name in reversed(found):
        configs[f"pre-classifier + {name}"] = (name, detect_language_preclassified)
    return configs


def disagreements(pages: list[Page], detect: Detector, implementation: str) -> dict[str, int]:
    """Answers that differ from langdetect's: on the language sample set, and on the
    articles of the corpus read without URLs."""
    sys.path.insert(0, str(ROOT))
    from tests.test_language_samples import SAMPLES

    texts = [text for _, text in SAMPLES]
    with configured("langdetect", REFERENCE_DETECT):
        for _, data, _ in pages:
            with contextlib.suppress(NotAnArticleError):
                for article in socpress.load_articles(data):
                    texts.append("\n".join([article.title or "", *article.paragraphs]))
        reference = [REFERENCE_DETECT(t).code for t in texts]
    with configured(implementation, detect):
        got = [detect(t).code for t in texts]
    return {
        "texts": len(texts),
        "different_code": sum(r != g for r, g in zip(reference, got, strict=True)),
    }


# --------------------------------------------------------------------------------------------
# Another checkout, in a child process


CHILD = """
import contextlib, json, sys, time
sys.path.insert(0, sys.argv[1])
import socpress
from socpress.errors import NotAnArticleError
assert socpress.__file__.startswith(sys.argv[1]), socpress.__file__
pages = [(bytes.fromhex(d), u) for d, u in json.loads(sys.stdin.readline())]
for line in sys.stdin:
    mode = line.strip()
    cpu, wall = time.process_time(), time.perf_counter()
    for data, url in pages:
        with contextlib.suppress(NotAnArticleError):
            socpress.load_articles(data, url=url if mode == "urls" else None)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps([len(pages) / cpu, len(pages) / wall]), flush=True)
"""


class Before:
    def __init__(self, src: Path, pages: list[Page]) -> None:
        self.child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(src)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._send(json.dumps([(data.hex(), url) for _, data, url in pages]))

    def _send(self, line: str) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write(line + "\n")
        self.child.stdin.flush()

    def one_pass(self, mode: str) -> tuple[float, float]:
        self._send(mode)
        assert self.child.stdout is not None
        cpu_rate, wall_rate = json.loads(self.child.stdout.readline())
        return float(cpu_rate), float(wall_rate)

    def close(self) -> None:
        assert self.child.stdin is not None
        self.child.stdin.close()
        self.child.wait(timeout=60)


# --------------------------------------------------------------------------------------------
# First call


FIRST = """
import sys, time
from pathlib import Path
def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
import socpress
from socpress._extract import language as _language
_language.use_implementation(sys.argv[1])
socpress.load_article("Warm up\\nA page whose edition settles its language.\\n",
                      url="https://en.etilaf.org/x")
page = ("SOC Condemns the Shelling of Idlib\\nThe Syrian Opposition Coalition condemned the "
        "shelling of Idlib by regime forces on Monday.\\n")
before, t0 = rss(), time.perf_counter()
socpress.load_article(page)
t1, after = time.perf_counter(), rss()
t2 = time.perf_counter()
socpress.load_article(page.replace("Monday", "Tuesday"))
t3 = time.perf_counter()
print(f"{1000 * (t1 - t0):.0f} {1000 * (t3 - t2):.2f} {after - before:.1f} {after:.0f}")
"""


def first_call(implementation: str, runs: int = 3) -> dict[str, float]:
    """Median over fresh processes: the first detection's ms, the next one's, the RSS it
    added (MiB) and the RSS after it."""
    rows = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FIRST, implementation],
            capture_output=True,
            text=True,
            check=True,
            env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
        ).stdout.split()
        rows.append([float(x) for x in out])
    first, then, added, rss = (statistics.median(col) for col in zip(*rows, strict=True))
    return {"first_ms": first, "next_ms": then, "rss_added_mib": added, "rss_mib": rss}


Rates = dict[tuple[str, str], list[tuple[float, float]]]
Latencies = dict[tuple[str, str], list[float]]


def alternate(
    names: list[str],
    configs: dict[str, Any],
    pages: list[Page],
    before: Before | None,
    repeat: int,
) -> tuple[Rates, Latencies]:
    """Every configuration and mode once to warm up, then ``repeat`` passes with the order
    rotated each pass, so a noisy moment of a shared machine falls on each in turn."""
    rates: Rates = {}
    latencies: Latencies = {}

    def run(name: str, mode: str, record: bool) -> None:
        if name == "before":
            assert before is not None
            rate = before.one_pass(mode)
        else:
            with configured(*configs[name]):
                rate = one_pass(pages, mode, latencies.setdefault((name, mode), []))
        if record:
            rates.setdefault((name, mode), []).append(rate)

    for name in names:  # warm-up: profiles, regex caches
        for mode in MODES:
            run(name, mode, record=False)
    latencies.clear()
    for i in range(repeat):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            for mode in MODES if i % 2 == 0 else MODES[::-1]:
                run(name, mode, record=True)
    if before is not None:
        before.close()
    return rates, latencies


def summary(rates: Rates, latencies: Latencies) -> dict[str, Any]:
    """Per configuration and mode: median and minimum pages per CPU-second, median per
    wall-second, latency percentiles."""
    result: dict[str, Any] = {}
    for (name, mode), got in rates.items():
        cpu = sorted(r[0] for r in got)
        wall = sorted(r[1] for r in got)
        row: dict[str, Any] = {
            "pages_per_cpu_second_median": round(statistics.median(cpu)),
            "pages_per_cpu_second_min": round(cpu[0]),
            "pages_per_wall_second_median": round(statistics.median(wall)),
        }
        lat = sorted(latencies.get((name, mode), []))
        if lat:
            row["latency_ms_p50_p95_max"] = [
                round(1000 * lat[len(lat) // 2], 2),
                round(1000 * lat[int(len(lat) * 0.95)], 2),
                round(1000 * lat[-1], 2),
            ]
        result[f"{name} | {mode}"] = row
    return result


# --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--compare", action="store_true", help="every detector, side by side")
    parser.add_argument("--before", type=Path, help="another checkout, run alongside")
    parser.add_argument("--first-call", action="store_true")
    args = parser.parse_args()
    pages = corpus()
    if not REALPAGES.is_dir():
        print(
            f"speed.py: {REALPAGES} is absent: measuring the {len(pages)} seeds only "
            "(the published figures include the real pages)",
            file=sys.stderr,
        )
    configs = configurations(args.compare)
    before = Before(args.before / "src", pages) if args.before else None
    names = [*configs, *(["before"] if before else [])]
    rates, latencies = alternate(names, configs, pages, before, args.repeat)

    result: dict[str, Any] = {
        "machine": machine(),
        "socpress": socpress.__version__,
        "pages": len(pages),
        "passes": args.repeat,
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    result.update(summary(rates, latencies))
    if args.compare:
        for name, (implementation, detect) in configs.items():
            result[f"{name} | answers unlike langdetect's"] = disagreements(
                pages, detect, implementation
            )
    if args.first_call:
        for name in _language.IMPLEMENTATIONS:
            if _language._importable(name):
                result[f"{name} | first detection"] = first_call(name)
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:48} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
