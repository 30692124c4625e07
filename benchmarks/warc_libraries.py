"""FastWARC against warcio, side by side in one run: throughput and damaged archives.

Builds a WARC of N response records from tests/fixtures/html pages (plain and per-record
gzipped), then times, alternating the contenders and keeping each one's best of --repeat:

* the bare iteration of each library (every record's payload read);
* socpress's reader (``socpress.corpus._archives.iter_archive``), where warcio parses each record's
  WARC and HTTP header, and the same reader with FastWARC's parser swapped in.

Then reads the damaged archives of tests/_warcs.py with each bare library and with
socpress's reader, and counts the pages that come out intact.

    pip install -e '.[bench]'   # fastwarc; warcio is a core dependency
    python benchmarks/warc_libraries.py [--records 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from _machine import machine
from socpress.corpus import _archives, _warc_frames

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import _warcs


def bare_fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator

    count = 0
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, parse_http=True):
            record.reader.read()
            count += 1
    return count


def bare_warcio(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            record.content_stream().read()
            count += 1
    return count


def socpress_reader(path: Path) -> int:
    return sum(1 for _ in _archives.iter_archive(path))


def _fastwarc_adapters() -> tuple[Callable[..., object], Callable[..., object]]:
    """FastWARC doing what warcio does in socpress.corpus._archives: one header block each."""
    from fastwarc.warc import WarcRecord

    def parse_header(raw: bytes) -> object:
        try:
            headers = WarcRecord.from_bytes(raw).headers
        except (OSError, ValueError) as err:
            return f"refused ({err})"
        declared = headers.get("Content-Length")
        return _warc_frames.Header(
            raw=raw,
            warc_type=(headers.get("WARC-Type") or "").strip().lower(),
            length=int(declared) if declared and declared.strip().isdigit() else None,
            record_id=headers.get("WARC-Record-ID"),
            url=headers.get("WARC-Target-URI"),
            date=headers.get("WARC-Date"),
            content_type=headers.get("Content-Type"),
            truncated=headers.get("WARC-Truncated"),
            segmented=headers.get("WARC-Segment-Number") is not None,
        )

    def parse_http(header: _warc_frames.Header, block: bytes) -> object:
        try:
            record = WarcRecord.from_bytes(header.raw + block)
            record.parse_http()
            http = record.http_headers
            status = http.status_code
            body = record.reader.read()
        except (OSError, ValueError) as err:
            return f"refused ({err})"
        if status is None:
            return "no status"
        return _warc_frames._Http(
            status=status,
            content_type=http.get("Content-Type"),
            content_encoding=_warc_frames._tokens(http.get_multiple("Content-Encoding")),
            transfer_encoding=_warc_frames._tokens(http.get_multiple("Transfer-Encoding")),
            body=body,
        )

    return parse_header, parse_http


def socpress_reader_fastwarc(path: Path) -> int:
    parse_header, parse_http = _fastwarc_adapters()
    saved = _warc_frames._parse_header, _warc_frames.parse_http
    _warc_frames._parse_header = parse_header  # type: ignore[assignment]
    _warc_frames.parse_http = parse_http  # type: ignore[assignment]
    try:
        return socpress_reader(path)
    finally:
        _warc_frames._parse_header, _warc_frames.parse_http = saved


CONTENDERS: dict[str, Callable[[Path], int]] = {
    "fastwarc, bare iteration": bare_fastwarc,
    "warcio, bare iteration": bare_warcio,
    "socpress reader + warcio": socpress_reader,
    "socpress reader + fastwarc": socpress_reader_fastwarc,
}


def timings(paths: dict[str, Path], repeat: int) -> dict[tuple[str, str], tuple[float, int]]:
    best: dict[tuple[str, str], tuple[float, int]] = {}
    for _ in range(repeat):
        for form, path in paths.items():
            for name, run in CONTENDERS.items():
                start = time.perf_counter()
                try:
                    count = run(path)
                except Exception:
                    count = -1
                took = time.perf_counter() - start
                if (name, form) not in best or took < best[name, form][0]:
                    best[name, form] = (took, count)
    return best


def _iterate(run: Callable[[Path], Iterator[object]], path: Path) -> tuple[int, str]:
    count = 0
    try:
        for _ in run(path):
            count += 1
    except Exception as err:
        return count, f"stops: {type(err).__name__}"
    return count, "reads to the end"


def damage(directory: Path) -> list[str]:
    """For each damaged archive: intact pages out of those the archive holds whole."""
    from fastwarc.warc import ArchiveIterator as FastIterator
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator

    def fast_pages(path: Path) -> Iterator[object]:
        with open(path, "rb") as handle:
            for record in FastIterator(handle, parse_http=True):
                body = record.reader.read()
                if len(body) == record.content_length:
                    yield record

    def warcio_pages(path: Path) -> Iterator[object]:
        with open(path, "rb") as handle:
            iterator = WarcioIterator(handle)
            for record in iterator:
                record.raw_stream.read()
                # warcio's LimitReader counts down what the Content-Length promised.
                if record.rec_type == "response" and record.raw_stream.limit == 0:
                    yield record

    def our_pages(path: Path) -> Iterator[object]:
        for entry in _archives.iter_archive(path):
            if isinstance(entry, _archives.PageRecord):
                yield entry

    lines = []
    quiet = contextlib.redirect_stderr(io.StringIO())  # warcio prints warnings on damage
    for case in _warcs.damaged_cases(directory):
        row = [f"{case.name}: {case.intact} intact pages, {case.broken} broken"]
        for label, run in (("fastwarc", fast_pages), ("warcio", warcio_pages)):
            with quiet:
                count, how = _iterate(run, case.path)
            row.append(f"{label} {count} ({how})")
        count, how = _iterate(our_pages, case.path)
        row.append(f"socpress {count} ({how})")
        lines.append("; ".join(row))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        paths = {
            "plain": _warcs.write_bulk_warc(directory / "bulk.warc", args.records),
            "gzip per record": _warcs.write_bulk_warc(
                directory / "bulk.warc.gz", args.records, gzip=True
            ),
        }
        sizes = {form: path.stat().st_size for form, path in paths.items()}
        print(f"machine: {machine()}")
        print(f"{args.records} response records; best of {args.repeat}, contenders alternated")
        for form, size in sizes.items():
            print(f"  {form}: {size / 1e6:.1f} MB on disk")
        best = timings(paths, args.repeat)
        for (name, form), (took, count) in sorted(best.items(), key=lambda kv: kv[0][1]):
            rate = args.records / took if count >= 0 else 0.0
            mbps = sizes[form] / took / 1e6
            status = "" if count >= 0 else "  FAILED"
            print(
                f"  {form:16} {name:28} {took:7.2f} s  {rate:9.0f} records/s"
                f"  {mbps:6.0f} MB/s{status}"
            )
        print("damaged archives (pages read intact):")
        for line in damage(directory):
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
