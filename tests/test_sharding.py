"""Workers that read their own archives: several archives shard by file, one big
``.warc.gz`` by byte ranges, a WACZ by its WARCs; the output is byte for byte the one
reader's (0 workers), in the same order, with the same counts, under any hash seed; a page
past its limit, or a worker that dies, costs that page's record and nothing else.

The byte ranges are made small (``_pieces.RANGE_BYTES``, read in the parent where the
pieces are planned) so that small built archives have many, and their boundaries fall in
damaged members, in junk, and inside a record that carries a ``.warc.gz`` of its own (the
gzip magic a resynchronising reader can be fooled by).
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from socpress import corpus
from socpress.corpus import _inputs, _pieces, _run
from tests import _warcs
from tests._records import (
    check_lines,
    crashing_url_reader,
    dying_between_url_reader,
    greedy_url_reader,
    run_limited,
    slow_url_reader,
)

ROOT = Path(__file__).resolve().parents[1]


def _lines(units: Any, workers: int, **kwargs: Any) -> tuple[bytes, corpus.Summary]:
    summary = corpus.Summary()
    out: list[bytes] = []
    for batch in _run.run_lines(
        units,
        summary,
        workers=workers,
        lean=False,
        time_limit=60,
        memory_limit=corpus.DEFAULT_MEMORY_LIMIT,
    ):
        summary.count(batch)
        out.extend(line.text for line in batch)
    return b"".join(out), summary


def _one_reader(inputs: Sequence[Path]) -> tuple[bytes, corpus.Summary]:
    return _lines(corpus.iter_items(inputs), 0)


@pytest.fixture
def small_ranges(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_size(size: int) -> None:
        monkeypatch.setattr(_pieces, "RANGE_BYTES", size)

    set_size(4096)
    return set_size


def test_several_archives_shard_by_file_with_the_one_readers_bytes(
    tmp_path: Path, small_ranges: Any
) -> None:
    recs = _warcs.mixed_records()
    crawl = _warcs.write_warc(tmp_path / "crawl.warc.gz", [r.data for r in recs], "record")
    plain = _warcs.write_warc(tmp_path / "plain.warc", [r.data for r in recs[:8]])
    wacz = _warcs.write_wacz(
        tmp_path / "site.wacz",
        {
            "b.warc.gz": b"".join(_warcs.gzip_members(_warcs.pages_and_skips(6))),
            "a.warc": b"".join(_warcs.pages(3, 100)),
        },
    )
    folder = tmp_path / "saved"
    folder.mkdir()
    _warcs.write_warc(folder / "inner.warc.gz", _warcs.pages_and_skips(8), "record")
    (folder / "page.txt").write_bytes(_warcs.TEXT_PAGES[0].read_bytes())
    inputs = [crawl, plain, wacz, folder, _warcs.HTML_PAGES[0]]
    units = list(_inputs.iter_units(inputs))
    pieces = [u for u in units if isinstance(u, _pieces.Piece)]
    assert [p.member for p in pieces if p.member] == ["archive/a.warc", "archive/b.warc.gz"]
    assert sum(1 for p in pieces if p.start) >= 3  # byte ranges of the gzipped WARCs
    assert not any(isinstance(u, corpus.Item) and u.data is not None for u in units)

    want, want_summary = _one_reader(inputs)
    for workers in (1, 2):
        got, summary = _lines(_inputs.iter_units(inputs), workers)
        assert got == want, workers
        assert summary == want_summary
    # The public API and the in-process merge give the same.
    public = [r.to_dict() for r in corpus.records(inputs, workers=2)]
    assert public == [json.loads(line) for line in want.splitlines()]
    assert _lines(_inputs.iter_units(inputs), 0)[0] == want
    got_records = check_lines(want.splitlines())
    assert {r["status"] for r in got_records} == {"ok", "refused"}
    assert want_summary.skipped["metadata"] >= 6 + 8  # the built ones, and mixed_records


def test_byte_ranges_give_the_one_readers_records_at_every_boundary(
    tmp_path: Path, small_ranges: Any
) -> None:
    path = _warcs.damaged_members_warc(tmp_path)
    want, want_summary = _one_reader([path])
    kinds = {r["error"]["kind"] for r in check_lines(want.splitlines()) if r["error"]}
    assert {"bad-gzip", "truncated-record"} <= kinds
    size = path.stat().st_size
    # Boundaries everywhere: inside members, in the damage, in the carried WARC.
    for range_bytes in (997, 1531, 2048, 3001, size // 3, size // 2 + 7):
        small_ranges(range_bytes)
        assert len(_pieces.plan_pieces(path)) >= 2
        got, summary = _lines(_inputs.iter_units([path]), 0)
        assert got == want, range_bytes
        assert summary == want_summary
    small_ranges(1531)
    for workers in (1, 2):
        got, summary = _lines(_inputs.iter_units([path]), workers)
        assert got == want
        assert summary == want_summary


def test_a_range_whose_first_member_is_not_the_files_is_merged_right(
    tmp_path: Path, small_ranges: Any
) -> None:
    """A range's reader starts at the next gzip magic that inflates to a record. Inside the
    record carrying a ``.warc.gz`` that is a carried member (before the file's next one):
    the merge drops what it read until the member the range before goes on at. Before a
    member that does not inflate to a record (junk, gzipped) it is a later member: the
    merge reads the range again from the right member. Both give the one reader's output."""
    path = _warcs.damaged_members_warc(tmp_path)
    fooled = _warcs.fooled_range_starts(path)
    assert set(fooled) == {"carried", "skipped"}
    want, want_summary = _one_reader([path])
    for kind, boundary in fooled.items():
        small_ranges(boundary)
        for workers in (0, 2):
            got, summary = _lines(_inputs.iter_units([path]), workers)
            assert got == want, (kind, workers)
            assert summary == want_summary


def _url_records(marks: dict[int, str] | None = None) -> list[bytes]:
    """14 pages, each followed by one metadata record; page i's URL ends in ``marks[i]``."""
    bodies = [p.read_bytes() for p in _warcs.HTML_PAGES[:3]]
    records = []
    for i in range(14):
        url = f"https://example.org/{i}/{(marks or {}).get(i, 'page')}"
        headers = (("Content-Type", "text/html; charset=utf-8"),)
        records.append(_warcs.response(i, bodies[i % 3], url=url, headers=headers))
        records.extend(_warcs.incompressible(1, 100 + i, 500))
    return records


def _url_warc(tmp_path: Path, marks: dict[int, str]) -> Path:
    return _warcs.write_warc(tmp_path / "marked.warc.gz", _url_records(marks), "record")


def _expected(path: Path) -> list[dict[str, Any]]:
    return check_lines(_one_reader([path])[0].splitlines())


def _outcome(records: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    return [(r["input"]["source"], r["status"], r["error"] and r["error"]["kind"]) for r in records]


def test_a_page_past_the_time_limit_inside_a_piece_costs_that_page(
    tmp_path: Path, small_ranges: Any
) -> None:
    path = _url_warc(tmp_path, {2: "slow", 9: "slow"})
    small_ranges(path.stat().st_size // 3)
    want = _expected(path)
    got = run_limited(list(_inputs.iter_units([path])), slow_url_reader, time_limit=1.5)
    slow = {i for i, r in enumerate(want) if r["input"]["url"].endswith("slow")}
    assert len(slow) == 2
    assert [o[0] for o in _outcome(got)] == [o[0] for o in _outcome(want)]
    for i, (mine, theirs) in enumerate(zip(got, want, strict=True)):
        if i in slow:
            assert (mine["status"], mine["error"]["kind"]) == ("refused", "time-limit")
            assert mine["input"]["sha256"] == theirs["input"]["sha256"]
            assert mine["input"]["offset"] == theirs["input"]["offset"]
        else:
            assert mine == theirs


def test_a_worker_that_dies_or_runs_out_of_memory_inside_a_piece(
    tmp_path: Path, small_ranges: Any
) -> None:
    path = _url_warc(tmp_path, {1: "crash", 6: "greedy", 12: "crash"})
    small_ranges(path.stat().st_size // 2)
    want = _expected(path)
    reader = crashing_url_reader
    got = run_limited(list(_inputs.iter_units([path])), reader)
    marked = {i: r["input"]["url"].rsplit("/", 1)[1] for i, r in enumerate(want)}
    assert [o[0] for o in _outcome(got)] == [o[0] for o in _outcome(want)]
    for i, (mine, theirs) in enumerate(zip(got, want, strict=True)):
        if marked[i] == "crash":
            assert (mine["status"], mine["error"]["type"]) == ("failed", "WorkerDied")
            assert "SIGSEGV" in mine["error"]["message"]
        else:
            assert mine == theirs
    if sys.platform == "win32":
        return
    got = run_limited(list(_inputs.iter_units([path])), greedy_url_reader, memory_limit=512 * 2**20)
    for i, (mine, theirs) in enumerate(zip(got, want, strict=True)):
        if marked[i] == "greedy":
            assert (mine["status"], mine["error"]["kind"]) == ("refused", "memory-limit")
        else:
            assert mine == theirs


def test_a_worker_that_dies_between_two_pages_costs_nothing_the_first_time(
    tmp_path: Path, small_ranges: Any
) -> None:
    """A worker lost while it frames the next record (no page being read) is replaced, and
    the new one reads on from the last page the parent has: every record as one reader's."""
    path = _url_warc(tmp_path, {3: "die-after", 10: "die-after"})
    small_ranges(path.stat().st_size // 2)
    want = _expected(path)
    got = run_limited(list(_inputs.iter_units([path])), dying_between_url_reader)
    assert Path(f"{path}.died").exists()  # the worker did die
    assert got == want


def test_a_worker_that_dies_twice_at_the_same_place_between_pages_ends_its_piece(
    tmp_path: Path, small_ranges: Any
) -> None:
    """Framing that kills every worker at the same record is not retried for ever: the
    records before it are kept, the rest of that byte range is one failed record saying
    so, and the next range is read from its own first member (nothing after it is lost)."""
    from tests._framing_death import framing_death_reader

    plain = _url_warc(tmp_path, {})
    members = _warcs.gzip_members(_url_records())
    # Page 3 is record 6 (each page is followed by one metadata record): the member after it.
    at = sum(len(m) for m in members[:7])
    path = plain.rename(tmp_path / f"frame-death-{at}.warc.gz")
    small_ranges(path.stat().st_size // 2)
    want = _expected(path)
    got = run_limited(list(_inputs.iter_units([path])), framing_death_reader)
    assert got[:4] == want[:4]
    lost = got[4]
    assert (lost["status"], lost["error"]["type"]) == ("failed", "WorkerDied")
    assert "twice between the same two records" in lost["error"]["message"]
    assert "are not read" in lost["error"]["message"]
    after = got[5:]
    assert after, "the range after the lost one was not read"
    assert after == want[len(want) - len(after) :]
    assert len(after) < len(want) - 4  # some pages of the lost range are not read


def _big_warc(path: Path) -> Path:
    """Over two default byte ranges: pages among incompressible metadata records."""
    with open(path, "wb") as handle:
        for i in range(24):
            handle.write(_warcs.gzip_member(_warcs.pages(1, i)[0]))
            handle.write(
                _warcs.gzip_member(_warcs.incompressible(1, 1000 + i, _pieces.RANGE_BYTES // 8)[0])
            )
    return path


def test_the_command_line_splits_a_big_warc_and_writes_the_same_bytes(tmp_path: Path) -> None:
    big = _big_warc(tmp_path / "big.warc.gz")
    assert len(_pieces.plan_pieces(big)) >= 3
    small = _warcs.write_warc(
        tmp_path / "small.warc.gz", [r.data for r in _warcs.mixed_records()], "record"
    )
    inputs = [str(big), str(small)]
    outputs = []
    for workers, seed in (("0", "0"), ("2", "1"), ("2", "12345"), ("1", "7")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "socpress", "--workers", workers, *inputs],
            capture_output=True,
            check=False,
            cwd=ROOT,
            env=env,
        )
        assert done.returncode == 1, done.stderr  # the broken records are refused
        outputs.append((done.stdout, done.stderr.decode().strip().splitlines()[-1]))
    assert len({out for out, _ in outputs}) == 1
    assert len({summary for _, summary in outputs}) == 1
    small_lines, small_summary = _one_reader([small])
    assert f"metadata: {24 + small_summary.skipped['metadata']}," in outputs[0][1]
    assert len(outputs[0][0].splitlines()) == 24 + len(small_lines.splitlines())


def test_resume_inside_a_split_archive(tmp_path: Path, small_ranges: Any) -> None:
    """``--resume`` reads the archive the output stops in here, checking each item kept,
    and hands the rest of the inputs to the workers."""
    from socpress.__main__ import main

    path = _warcs.write_warc(tmp_path / "a.warc.gz", _warcs.pages_and_skips(12), "record")
    after = _warcs.write_warc(tmp_path / "b.warc.gz", _warcs.pages_and_skips(5), "record")
    inputs = [str(path), str(after)]
    whole = tmp_path / "whole.jsonl"
    assert main(["--workers", "0", *inputs, "-o", str(whole)]) == 0
    lines = whole.read_bytes().splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"".join(lines[:5]))
    assert main(["--workers", "2", *inputs, "-o", str(out), "--resume"]) == 0
    assert out.read_bytes() == whole.read_bytes()


@pytest.mark.parametrize("over", [1, 4096, 8191])
def test_byte_ranges_are_of_equal_size_and_at_most_the_range(tmp_path: Path, over: int) -> None:
    # An archive just over one range is two halves, not a whole range and a sliver.
    path = tmp_path / "big.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08" + bytes(8189 + over))
    size = path.stat().st_size
    pieces = _pieces.plan_pieces(path, 8192)
    bounds = [(p.start, size if p.end is None else p.end) for p in pieces]
    assert bounds[0][0] == 0
    assert bounds[-1][1] == size
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(bounds))
    lengths = [end - start for start, end in bounds]
    assert len(lengths) == -(-size // 8192)
    assert max(lengths) <= 8192
    assert max(lengths) - min(lengths) <= 1
