"""Corpus runs at scale: pages/s over a WARC with 1 and 2 workers, what the parent costs per
record before and after the workers read their own archives, and peak memory at 10k and
100k records.

    python benchmarks/corpus.py                        # 20,000 records; RSS at 10k, 100k
    python benchmarks/corpus.py --records 2000 --rss 1000,5000 --json   # a quick look

The WARCs are built with tests/_warcs.py's record builder (one gzip member per record, as
crawlers write them, each record its own URL), cycling the 300 real-world pages of
``../shared/webpages`` when it is there (``--pages fixtures``: the 8 HTML fixtures, which
are small and read about 3x faster, so the parent's share of the work shows more).
Measured, side by side in one run on a machine others may share (so alternated, best of
``--rounds``):

1. **Workers, two designs**: ``socpress.corpus`` over the WARC with 1 and then 2 worker
   processes, the records serialized and written (to ``/dev/null``) as the command line
   does, in the two designs: **before**, the parent reads the archive (inflates, frames,
   decodes every record) and pipes each payload to a worker (``iter_items``: what a run did
   until the workers read their own archives); **after**, the parent hands the workers the
   archive's byte ranges (``iter_units``) and only takes their finished lines. Pages/s and
   the 1- to 2-worker ratio of each, measured (aim: 2 workers >= 1.8x one).
2. **CPU per record**, which a busy machine does not skew: the parent's (its own CPU time
   during the 2-worker run, over the records) and a worker's (an in-process run: reading
   and extracting, less the reading before, when the parent read), and **a model** of where
   the parent caps: N workers keep up while N times the parent's CPU per record stays under
   one worker's, so the cap is worker / parent CPU per record, and the modelled speedup at
   8, 16 and 64 workers is ``min(N, cap)`` (aim: cap >= 32). A model, not a measurement:
   it assumes a core per worker and the parent, and no other limit (disk, memory bandwidth).
3. **Archive reading**: ``corpus.iter_items`` over the WARC alone (socpress's framing,
   decompression and payload decoding) against a bare iteration of warcio that reads every
   record's payload; and reading as a share of the 1-worker run.
4. **Memory**: ``socpress WARC --workers 2 > /dev/null`` as a subprocess, its process tree's
   resident memory (parent + workers) sampled every 50 ms; peak at 10k and 100k records
   (aim: within 10%).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _machine import machine
from socpress import corpus
from socpress.corpus import _inputs, _pieces, _run

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import _warcs

ROOT = Path(__file__).resolve().parents[1]
WEBPAGES = ROOT.parent / "shared" / "webpages"


def bodies(source: str) -> list[bytes]:
    """The pages the WARCs cycle through: the 8 HTML fixtures (small, quick to read), or the
    300 real-world pages of ../shared/webpages (what a crawl holds)."""
    if source == "webpages":
        return [page.read_bytes() for page in sorted(WEBPAGES.glob("*.html"))]
    return [page.read_bytes() for page in _warcs.HTML_PAGES]


def write_warc(path: Path, count: int, pages: list[bytes]) -> Path:
    """``count`` response records cycling ``pages``, one gzip member per record, written
    in a stream."""
    with open(path, "wb") as handle:
        for i in range(count):
            handle.write(_warcs.gzip_member(_warcs.page_response(i, pages[i % len(pages)]).data))
    return path


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


DESIGNS = ("before", "after")
"""``before``: the parent reads the archive; ``after``: the workers read its byte ranges."""


def pipeline(warc: Path, workers: int, design: str = "after") -> tuple[float, int, int]:
    """Seconds, items and bytes of JSON lines (written to /dev/null) for one run over
    ``warc``; the CPU seconds this (the parent) process spent go to
    ``PARENT_CPU[design, workers]`` (the least of the rounds)."""
    summary = corpus.Summary()
    expand = corpus.iter_items if design == "before" else _inputs.iter_units
    cpu = cpu_seconds()
    start = time.perf_counter()
    size = 0
    with open(os.devnull, "wb") as sink:
        for batch in _run.run_lines(
            expand([warc]),
            summary,
            workers=workers,
            lean=False,
            time_limit=corpus.DEFAULT_TIME_LIMIT,
            memory_limit=corpus.DEFAULT_MEMORY_LIMIT,
        ):
            summary.count(batch)
            for line in batch:
                sink.write(line.text)
                size += len(line.text)
    seconds = time.perf_counter() - start
    key = (design, workers)
    PARENT_CPU[key] = min(PARENT_CPU.get(key, 1e9), cpu_seconds() - cpu)
    return seconds, summary.items, size


PARENT_CPU: dict[tuple[str, int], float] = {}
MODELLED = (8, 16, 64)
"""Worker counts the parent-cap model is printed for."""


def read_items(warc: Path) -> tuple[float, int]:
    start = time.perf_counter()
    count = sum(1 for entry in corpus.iter_items([warc]) if isinstance(entry, corpus.Item))
    return time.perf_counter() - start, count


def read_bare(warc: Path) -> tuple[float, int]:
    """A bare iteration of warcio (the WARC library socpress.corpus._archives uses): every
    response record's payload read, de-chunked and decoded as warcio does it."""
    from warcio.archiveiterator import ArchiveIterator

    start = time.perf_counter()
    count = 0
    with open(warc, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                record.content_stream().read()
                count += 1
    return time.perf_counter() - start, count


def tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry.name)] = int(line.split()[1])
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, ()))
    return total


def peak_rss(warc: Path) -> tuple[float, float]:
    """Peak tree RSS in MiB, and seconds, of the command line over ``warc``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        # JSON Lines to standard output, thrown away (``-o /dev/null`` has no format suffix).
        [sys.executable, "-m", "socpress", str(warc), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.05)
    if proc.returncode not in (0, 1):  # 1: some record refused; anything else: no run
        raise SystemExit(f"socpress {warc} exited {proc.returncode}: nothing measured")
    return peak / 1024, time.perf_counter() - start


def measure(warc: Path, records: int, rounds: int) -> dict[str, Any]:
    """The side-by-side runs, alternated round by round, best of ``rounds``."""
    best: dict[str, float] = {}
    runs = ["bare", "items", *(f"{d}-{w}" for d in DESIGNS for w in (1, 2))]
    for round_ in range(rounds):
        # Alternate the order so that neither side always runs first on a busy machine.
        for what in runs if round_ % 2 == 0 else reversed(runs):
            if what == "bare":
                seconds, count = read_bare(warc)
            elif what == "items":
                seconds, count = read_items(warc)
            else:
                design, workers = what.split("-")
                seconds, count, _ = pipeline(warc, int(workers), design)
            if count != records:
                raise SystemExit(f"{what}: {count} records of {records}: not measured")
            best[what] = min(best.get(what, seconds), seconds)
    # CPU per record in a worker, from in-process runs (0 workers): before, a worker only
    # extracted (the parent read); after, it reads its range too.
    in_process = 1e9
    for _ in range(max(1, rounds // 2)):
        cpu = cpu_seconds()
        pipeline(warc, 0)
        in_process = min(in_process, cpu_seconds() - cpu)
    reading = best["items"]
    results: dict[str, Any] = {"seconds": {k: round(v, 3) for k, v in best.items()}}
    for design in DESIGNS:
        worker_ms = (in_process - (reading if design == "before" else 0.0)) / records * 1000
        parent_ms = PARENT_CPU[design, 2] / records * 1000
        cap = worker_ms / parent_ms if parent_ms > 0 else float("inf")
        results[design] = {
            "pages_per_s_1_worker": round(records / best[f"{design}-1"], 1),
            "pages_per_s_2_workers": round(records / best[f"{design}-2"], 1),
            "ratio_2_to_1": round(best[f"{design}-1"] / best[f"{design}-2"], 3),
            "cpu_ms_per_record_worker": round(worker_ms, 3),
            "cpu_ms_per_record_parent_2_workers": round(parent_ms, 3),
            "cpu_ms_per_record_parent_1_worker": round(PARENT_CPU[design, 1] / records * 1000, 3),
            # On 2 cores the parent shares them with the 2 workers.
            "ratio_2_to_1_cpu_model": round(min(2.0, 2 * worker_ms / (worker_ms + parent_ms)), 3),
            "modelled_parent_cap_workers": round(cap, 1),
            "modelled_speedup": {str(n): round(min(n, cap), 1) for n in MODELLED},
        }
    results["reading_share_of_1_worker_run"] = round(reading / best["before-1"], 4)
    results["reading_vs_bare_warcio"] = round(reading / best["bare"], 2)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rss", default="10000,100000", help="record counts for the RSS runs")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--pages",
        choices=("webpages", "fixtures"),
        default="webpages" if WEBPAGES.is_dir() else "fixtures",
        help="what the records hold (default: ../shared/webpages when it is there)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pages = bodies(args.pages)
    if args.records < 1:
        parser.error("--records must be at least 1")
    results: dict[str, Any] = {
        "machine": machine(),
        "records": args.records,
        "pages": f"{args.pages} ({len(pages)} pages in turn)",
    }
    with tempfile.TemporaryDirectory() as tmp:
        warc = write_warc(Path(tmp) / "bulk.warc.gz", args.records, pages)
        results["warc_mib"] = round(warc.stat().st_size / 2**20, 1)
        results["byte_ranges"] = len(_pieces.plan_pieces(warc))
        results.update(measure(warc, args.records, args.rounds))
        rss = {}
        for count in (int(c) for c in args.rss.split(",") if c):
            path = write_warc(Path(tmp) / f"rss-{count}.warc.gz", count, pages)
            peak, seconds = peak_rss(path)
            path.unlink()
            rss[count] = {"peak_rss_mib": round(peak, 1), "seconds": round(seconds, 1)}
        results["rss"] = rss
        if len(rss) >= 2:
            low, high = (rss[k]["peak_rss_mib"] for k in (min(rss), max(rss)))
            results["rss_growth"] = round(high / low - 1, 4)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    report(results)
    return 0


def report(results: dict[str, Any]) -> None:
    print(f"machine: {results['machine']}")
    print(
        f"WARC: {results['records']} response records of {results['pages']}, "
        f"{results['warc_mib']} MiB (gzip per record), {results['byte_ranges']} byte ranges"
    )
    for design in DESIGNS:
        got = results[design]
        speedups = ", ".join(f"{n}: {x}x" for n, x in got["modelled_speedup"].items())
        print(
            f"{design}: 1 worker {got['pages_per_s_1_worker']} pages/s, 2 workers "
            f"{got['pages_per_s_2_workers']} pages/s, ratio {got['ratio_2_to_1']} measured "
            f"(aim >= 1.8), {got['ratio_2_to_1_cpu_model']} the CPU model's bound on 2 cores\n"
            f"  CPU per record: worker {got['cpu_ms_per_record_worker']} ms, parent "
            f"{got['cpu_ms_per_record_parent_2_workers']} ms (2 workers; "
            f"{got['cpu_ms_per_record_parent_1_worker']} ms with 1)\n"
            f"  model: the parent caps at {got['modelled_parent_cap_workers']} workers; "
            f"modelled speedup over 1 worker at {speedups} (aim: cap >= 32)"
        )
    seconds = results["seconds"]
    print(
        f"reading the WARC (iter_items): {seconds['items']:.2f} s = "
        f"{results['reading_share_of_1_worker_run']:.1%} of the 1-worker run (before); "
        f"bare warcio iteration {seconds['bare']:.2f} s ({results['reading_vs_bare_warcio']}x)"
    )
    rss = results["rss"]
    for count, figures in rss.items():
        print(
            f"peak RSS (parent + 2 workers), {count} records: {figures['peak_rss_mib']} MiB "
            f"in {figures['seconds']} s"
        )
    if "rss_growth" in results:
        print(f"RSS growth {min(rss)} -> {max(rss)}: {results['rss_growth']:+.1%} (aim within 10%)")


if __name__ == "__main__":
    sys.exit(main())
