"""Web archives: every record of a WARC, gzipped WARC or WACZ is a page, a counted skip or
a named damage, and damage never costs the records after it."""

from __future__ import annotations

import datetime
import gzip
import os
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from socpress.corpus._archives import (
    BROKEN_KINDS,
    SKIP_REASONS,
    ArchiveEntry,
    BrokenRecord,
    PageRecord,
    SkippedRecord,
    is_archive,
    iter_archive,
)
from tests import _warcs

MIXED = _warcs.mixed_records()


def outcome(entry: ArchiveEntry) -> tuple[str, str]:
    if isinstance(entry, PageRecord):
        return ("page", entry.url or "")
    if isinstance(entry, SkippedRecord):
        return ("skip", entry.reason)
    return ("broken", entry.kind)


def outcomes(path: Path) -> list[tuple[str, str]]:
    return [outcome(entry) for entry in iter_archive(path)]


@pytest.mark.parametrize("compression", ["none", "record", "whole"])
def test_every_record_is_accounted_for(tmp_path: Path, compression: _warcs.Compression) -> None:
    path = _warcs.write_warc(tmp_path / "mixed.warc", [r.data for r in MIXED], compression)
    entries = list(iter_archive(path))
    assert [outcome(e) for e in entries] == [r.expect for r in MIXED]
    for entry, rec in zip(entries, MIXED, strict=True):
        if isinstance(entry, PageRecord):
            assert entry.data == rec.payload, entry.source
            assert entry.charset == rec.charset, entry.source
            assert entry.archive == str(path)
            assert entry.member is None
        assert entry.source.startswith(f"{path}@")
    kinds = {outcome(e) for e in entries}
    assert {k for k in kinds if k[0] == "skip"} == {
        ("skip", reason)
        for reason in (
            "warcinfo",
            "request",
            "metadata",
            "not-html",
            "redirect",
            "http-error",
            "empty",
            "revisit",
            "conversion",
        )
    }


def test_page_fields(tmp_path: Path) -> None:
    path = _warcs.write_warc(tmp_path / "mixed.warc", [r.data for r in MIXED])
    pages = [e for e in iter_archive(path) if isinstance(e, PageRecord)]
    index = next(i for i, r in enumerate(MIXED) if r.expect[0] == "page")
    first = pages[0]
    assert first.record_id == _warcs.record_id(index)
    assert first.url == f"https://example.org/page/{index}"
    assert first.captured == datetime.datetime.fromisoformat(_warcs.warc_date(index))
    assert first.captured is not None
    assert first.captured.utcoffset() == datetime.timedelta(0)
    assert any(p.charset == "windows-1256" for p in pages)


@pytest.mark.parametrize("compression", ["none", "record"])
def test_offsets_point_at_the_record(tmp_path: Path, compression: _warcs.Compression) -> None:
    path = _warcs.write_warc(tmp_path / "mixed.warc", [r.data for r in MIXED], compression)
    pages = [e for e in iter_archive(path) if isinstance(e, PageRecord)]
    with open(path, "rb") as handle:
        for page in pages:
            handle.seek(page.offset)
            record = next(iter(ArchiveIterator(handle)))
            assert record.rec_headers.get_header("WARC-Record-ID") == page.record_id
            assert page.source == f"{path}@{page.offset}"


def test_whole_file_gzip_names_records_inside_the_member(tmp_path: Path) -> None:
    path = _warcs.write_warc(tmp_path / "mixed.warc.gz", [r.data for r in MIXED], "whole")
    pages = [e for e in iter_archive(path) if isinstance(e, PageRecord)]
    data = gzip.decompress(path.read_bytes())
    for page in pages:
        assert page.offset == 0
        inner = int(page.source.rsplit("+", 1)[1]) if "+" in page.source else 0
        assert data[inner:].startswith(b"WARC/1.")
        assert page.record_id.encode() in data[inner : inner + 400]


def test_wacz_reads_the_warcs_inside(tmp_path: Path) -> None:
    records = [r.data for r in MIXED]
    plain = b"".join(records)
    gz = b"".join(_warcs.gzip_members(records))
    path = _warcs.write_wacz(tmp_path / "crawl.wacz", {"data-1.warc.gz": gz, "data-0.warc": plain})
    entries = list(iter_archive(path))
    expected = [r.expect for r in MIXED]
    assert [outcome(e) for e in entries] == expected + expected
    members = [e.member for e in entries if isinstance(e, PageRecord)]
    half = len(members) // 2
    assert members == ["archive/data-0.warc"] * half + ["archive/data-1.warc.gz"] * half
    first = next(e for e in entries if isinstance(e, PageRecord))
    assert first.source == f"{path}!archive/data-0.warc@{first.offset}"
    assert is_archive(path)


def test_damaged_archives(tmp_path: Path) -> None:
    cases = _warcs.damaged_cases(tmp_path)
    assert len(cases) >= 10
    for case in cases:
        entries = list(iter_archive(case.path))
        assert [outcome(e) for e in entries] == list(case.expect), case.name
        for entry in entries:
            if isinstance(entry, BrokenRecord):
                assert entry.message.startswith(entry.source), case.name
                assert entry.kind in BROKEN_KINDS


def test_a_damaged_page_keeps_its_identity(tmp_path: Path) -> None:
    case = next(c for c in _warcs.damaged_cases(tmp_path) if c.name == "truncated-last.warc")
    broken = [e for e in iter_archive(case.path) if isinstance(e, BrokenRecord)]
    assert len(broken) == 1
    assert broken[0].url == "https://example.org/page/4"
    assert broken[0].record_id == _warcs.record_id(4)
    assert "cut short" in broken[0].message


def test_decompression_is_bounded(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<html>" + b" " * 5_000_000, mtime=0)
    headers = (("Content-Type", "text/html"), ("Content-Encoding", "gzip"))
    record = _warcs.response(0, bomb, headers=headers)
    path = _warcs.write_warc(tmp_path / "bomb.warc", [record])
    (entry,) = iter_archive(path, max_payload=1_000_000)
    assert isinstance(entry, BrokenRecord)
    assert entry.kind == "too-large"
    (entry,) = iter_archive(path)
    assert isinstance(entry, PageRecord)
    assert len(entry.data) == 5_000_006


def test_bad_encodings_are_named(tmp_path: Path) -> None:
    html = b"<html><body>a page</body></html>"
    records = [
        _warcs.response(0, b"\x1f\x8b\x08garbage", headers=(("Content-Encoding", "gzip"),)),
        _warcs.response(1, b"not brotli at all", headers=(("Content-Encoding", "br"),)),
        _warcs.response(2, b"5\r\nabcde\r\nzz\r\n", headers=(("Transfer-Encoding", "chunked"),)),
        _warcs.response(3, html, headers=(("Content-Encoding", "compress"),)),
        # Stored de-chunked and decoded by the crawler, headers kept: read as it is.
        _warcs.response(
            4,
            html,
            headers=(
                ("Content-Type", "text/html"),
                ("Transfer-Encoding", "chunked"),
                ("Content-Encoding", "gzip"),
            ),
        ),
        _warcs.response(5, zlib.compress(html)[2:-4], headers=(("Content-Encoding", "deflate"),)),
    ]
    path = _warcs.write_warc(tmp_path / "encodings.warc", records)
    got = outcomes(path)
    assert got == [
        ("broken", "bad-content-encoding"),
        ("broken", "bad-content-encoding"),
        ("broken", "bad-transfer-encoding"),
        ("broken", "bad-content-encoding"),
        ("page", "https://example.org/page/4"),
        ("page", "https://example.org/page/5"),
    ]


def test_unreadable_inputs_give_one_entry(tmp_path: Path) -> None:
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    assert outcomes(empty) == []
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a WARC file\n" * 100)
    assert outcomes(junk) == [("broken", "bad-header")]
    not_zip = tmp_path / "x.wacz"
    not_zip.write_bytes(b"PK\x03\x04 not really a zip")
    assert outcomes(not_zip) == [("broken", "bad-zip")]
    missing = tmp_path / "missing.warc"
    assert outcomes(missing) == [("broken", "unreadable")]
    assert outcomes(tmp_path) == [("broken", "unreadable")]
    fifo = tmp_path / "pipe.warc"
    os.mkfifo(fifo)
    assert outcomes(fifo) == [("broken", "unreadable")]
    assert not is_archive(tmp_path / "pipe")
    (tmp_path / "pipe").symlink_to(fifo)
    assert not is_archive(tmp_path / "pipe")
    # A WARC named .wacz is read as the WARC it is.
    misnamed = tmp_path / "misnamed.wacz"
    misnamed.write_bytes(MIXED[2].data)
    assert outcomes(misnamed) == [MIXED[2].expect]
    cut_header = tmp_path / "cut-header.warc"
    cut_header.write_bytes(MIXED[2].data[:40])
    assert outcomes(cut_header) == [("broken", "truncated-record")]


def test_is_archive(tmp_path: Path) -> None:
    record = MIXED[2].data
    for name, data in (
        ("a.warc", record),
        ("a.WARC.GZ", gzip.compress(record)),
        ("no-suffix", record),
        ("no-suffix-gz", gzip.compress(record)),
    ):
        (tmp_path / name).write_bytes(data)
        assert is_archive(tmp_path / name), name
    for name, data in (("page.html", b"<html></html>"), ("page.gz", gzip.compress(b"<html>"))):
        (tmp_path / name).write_bytes(data)
        assert not is_archive(tmp_path / name), name
    assert not is_archive(tmp_path / "does-not-exist")


def test_skip_reasons_and_kinds_are_documented() -> None:
    doc = Path(__file__).parent.parent / "docs" / "corpus.md"
    if not doc.exists():
        pytest.skip("docs/corpus.md is written by the corpus work")
    text = doc.read_text(encoding="utf-8")
    for name in (*SKIP_REASONS, *BROKEN_KINDS):
        assert f"`{name}`" in text, name


_SAMPLE = b"".join(_warcs.gzip_members([r.data for r in MIXED[:8]]))
_PLAIN = b"".join(r.data for r in MIXED[:8])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.sampled_from(["plain", "gzip"]),
    cuts=st.lists(st.tuples(st.integers(0, 10**6), st.binary(max_size=8)), max_size=4),
    stop=st.integers(0, 10**6),
)
def test_any_damage_is_survived(
    tmp_path: Path, which: str, cuts: list[tuple[int, bytes]], stop: int
) -> None:
    data = bytearray(_PLAIN if which == "plain" else _SAMPLE)
    for at, junk in cuts:
        at %= len(data)
        data[at : at + len(junk)] = junk
    data = data[: max(1, stop % (len(data) + 1))]
    path = tmp_path / "damaged.warc"
    path.write_bytes(bytes(data))
    entries = list(iter_archive(path))
    pages = [e for e in entries if isinstance(e, PageRecord)]
    assert len(pages) <= 8
    for entry in entries:
        if isinstance(entry, SkippedRecord):
            assert entry.reason in SKIP_REASONS
        elif isinstance(entry, BrokenRecord):
            assert entry.kind in BROKEN_KINDS


def test_undamaged_prefix_survives_damage_after_it(tmp_path: Path) -> None:
    members = _warcs.gzip_members([r.data for r in MIXED])
    for cut in range(1, len(members[-1]), max(1, len(members[-1]) // 7)):
        path = tmp_path / "cut.warc.gz"
        path.write_bytes(b"".join(members[:-1]) + members[-1][:cut])
        got = outcomes(path)
        assert got[:-1] == [r.expect for r in MIXED[:-1]]
        assert got[-1][0] == "broken"


def test_stream_input_is_not_held(tmp_path: Path) -> None:
    # A large non-page record is skipped in a stream; the pages after it are read.
    big = _warcs.response(0, b"\0" * 3_000_000, headers=(("Content-Type", "video/mp4"),))
    path = _warcs.write_warc(tmp_path / "big.warc", [big, MIXED[2].data])
    assert outcomes(path) == [("skip", "not-html"), MIXED[2].expect]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    gzipped=st.booleans(),
    which=st.integers(0, len(MIXED) - 1),
    where=st.floats(0, 1, exclude_max=True),
    operation=st.sampled_from(["overwrite", "delete", "insert"]),
    junk=st.binary(min_size=1, max_size=200),
)
def test_damage_costs_only_the_damaged_record(
    tmp_path: Path, gzipped: bool, which: int, where: float, operation: str, junk: bytes
) -> None:
    """Damage inside one record (or gzip member) never costs the records around it."""
    parts = _warcs.gzip_members([r.data for r in MIXED]) if gzipped else [r.data for r in MIXED]
    damaged = bytearray(parts[which])
    at = int(where * len(damaged))
    if operation == "overwrite":
        damaged[at : at + len(junk)] = junk[: len(damaged) - at]
    elif operation == "delete":
        del damaged[at : at + len(junk)]
    else:
        damaged[at:at] = junk
    parts[which] = bytes(damaged)
    path = tmp_path / ("damaged.warc.gz" if gzipped else "damaged.warc")
    path.write_bytes(b"".join(parts))
    got = outcomes(path)
    before = [r.expect for r in MIXED[:which]]
    after = [r.expect for r in MIXED[which + 1 :]]
    assert got[: len(before)] == before
    assert got[len(got) - len(after) :] == after


@pytest.mark.parametrize("gzipped", [False, True])
def test_reading_memory_stays_flat(tmp_path: Path, gzipped: bool) -> None:
    """Ten times the records, about the same peak memory: nothing is held but the record
    being read (a generous ratio, not a timing)."""

    def peak(count: int) -> int:
        path = _warcs.write_bulk_warc(tmp_path / f"bulk-{count}.warc", count, gzip=gzipped)
        tracemalloc.start()
        try:
            pages = sum(isinstance(e, PageRecord) for e in iter_archive(path))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert pages == count

    small, large = peak(150), peak(1500)
    assert large < 1.5 * small + 1_000_000, (small, large)


@pytest.mark.parametrize("before_boundary", [1, 50, 300])
def test_a_header_across_a_read_boundary_near_the_end(tmp_path: Path, before_boundary: int) -> None:
    # The reader takes the file in 1 MiB chunks; the last record's header starts just
    # before a chunk's end and the file ends less than 8 KiB after it.
    last = MIXED[2].data
    size = 2**20 - before_boundary
    filler = _warcs.response(0, b"\0" * size, headers=(("Content-Type", "video/mp4"),))
    filler = _warcs.response(
        0, b"\0" * (size - (len(filler) - size)), headers=(("Content-Type", "video/mp4"),)
    )
    assert len(filler) == size
    path = _warcs.write_warc(tmp_path / "boundary.warc", [filler, last])
    assert outcomes(path) == [("skip", "not-html"), MIXED[2].expect]
