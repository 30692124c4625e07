"""Archives that never lose the rest: each shape of damage an archive can hold costs only
itself (a bad header value, a huge Content-Length, an encrypted WACZ member, a truncated
WACZ, a run of junk), old formats (ARC, WARC/0.18) are read as records, and a lying
transport charset is not obeyed. Every file is built here, through the public API."""

from __future__ import annotations

import gzip
import io
import struct
import time
import zipfile
from pathlib import Path

import pytest

from socpress import corpus
from tests import _warcs

PAGES = [path.read_bytes() for path in _warcs.HTML_PAGES[:3]]


def good_records(first: int = 0) -> list[_warcs.Rec]:
    return [_warcs.page_response(first + i, body) for i, body in enumerate(PAGES)]


def outcomes(path: Path) -> list[tuple[str, str]]:
    """What iter_items makes of an archive: ``("page", url)`` or ``("broken", kind)``; skips
    as ``("skip", reason)``."""
    out: list[tuple[str, str]] = []
    for entry in corpus.iter_items([path]):
        if isinstance(entry, corpus.Skip):
            out.append(("skip", entry.reason))
        elif entry.broken is not None:
            out.append(("broken", entry.broken.kind or ""))
        else:
            out.append(("page", entry.url or ""))
    return out


def pages(path: Path) -> list[str]:
    return [what for kind, what in outcomes(path) if kind == "page"]


def urls(recs: list[_warcs.Rec]) -> list[str]:
    return [rec.expect[1] for rec in recs]


def replace_header(record: bytes, name: bytes, value: bytes) -> bytes:
    head, sep, rest = record.partition(b"\r\n\r\n")
    lines = [
        name + b": " + value if line.lower().startswith(name.lower() + b":") else line
        for line in head.split(b"\r\n")
    ]
    return b"\r\n".join(lines) + sep + rest


# --- 1. one bad header value costs only its record ------------------------------------------


@pytest.mark.parametrize("compression", ["none", "record"])
def test_a_superscript_content_length_costs_only_its_record(
    tmp_path: Path, compression: _warcs.Compression
) -> None:
    before, after = good_records(0), good_records(10)
    bad = replace_header(_warcs.page_response(5, PAGES[0]).data, b"Content-Length", "²".encode())
    path = _warcs.write_warc(
        tmp_path / "x.warc.gz",
        [r.data for r in before] + [bad] + [r.data for r in after],
        compression,
    )
    got = outcomes(path)
    assert got == [
        *(("page", u) for u in urls(before)),
        ("broken", "bad-content-length"),
        *(("page", u) for u in urls(after)),
    ]


def test_a_superscript_http_status_costs_only_its_record(tmp_path: Path) -> None:
    before, after = good_records(0), good_records(10)
    record = _warcs.response(5, PAGES[0])
    sup = "²⁰⁰".encode()
    bad = _warcs.with_content_length(
        record.replace(b"HTTP/1.1 200 OK", b"HTTP/1.1 " + sup + b" OK", 1), len(sup) - 3
    )
    path = _warcs.write_warc(
        tmp_path / "x.warc", [r.data for r in before] + [bad] + [r.data for r in after]
    )
    assert outcomes(path) == [
        *(("page", u) for u in urls(before)),
        ("broken", "bad-http-header"),
        *(("page", u) for u in urls(after)),
    ]


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_warc_date_out_of_range_costs_no_record(tmp_path: Path, date: str) -> None:
    """A date that has no UTC form is an unreadable date: the page is read without one."""
    before, after = good_records(0), good_records(10)
    odd = _warcs.page_response(5, PAGES[0])
    bad = replace_header(odd.data, b"WARC-Date", date.encode())
    path = _warcs.write_warc(
        tmp_path / "x.warc", [r.data for r in before] + [bad] + [r.data for r in after]
    )
    items = [e for e in corpus.iter_items([path]) if isinstance(e, corpus.Item)]
    assert [i.url for i in items] == [*urls(before), odd.expect[1], *urls(after)]
    assert all(i.broken is None for i in items)
    assert items[len(before)].captured is None
    assert items[0].captured is not None


# --- 2. a Content-Length over 64 MiB swallows nothing --------------------------------------


@pytest.mark.parametrize("length", [100 * 2**20, 10**12])
@pytest.mark.parametrize("compression", ["none", "whole"])
def test_a_huge_content_length_swallows_no_record(
    tmp_path: Path, length: int, compression: _warcs.Compression
) -> None:
    before, after = good_records(0), good_records(10)
    bad = replace_header(
        _warcs.page_response(5, PAGES[0]).data, b"Content-Length", str(length).encode()
    )
    path = _warcs.write_warc(
        tmp_path / "x.warc.gz",
        [r.data for r in before] + [bad] + [r.data for r in after],
        compression,
    )
    assert outcomes(path) == [
        *(("page", u) for u in urls(before)),
        ("broken", "bad-content-length"),
        *(("page", u) for u in urls(after)),
    ]


# --- 3. WACZ: one bad member is one refusal; a cut WACZ keeps its whole entries -------------


def _patch_member(data: bytes, name: str, *, flag: int = 0, method: int | None = None) -> bytes:
    """The zip with one member's local and central headers patched (a flag bit set, or its
    compression method changed), as an encrypting or deflate64 zip tool would write them."""
    out = bytearray(data)
    encoded = name.encode()
    for sig, flag_at, method_at, name_len_at, header in (
        (b"PK\x03\x04", 6, 8, 26, 30),
        (b"PK\x01\x02", 8, 10, 28, 46),
    ):
        at = out.find(sig)
        while at != -1:
            (name_len,) = struct.unpack_from("<H", out, at + name_len_at)
            if bytes(out[at + header : at + header + name_len]) == encoded:
                (flags,) = struct.unpack_from("<H", out, at + flag_at)
                struct.pack_into("<H", out, at + flag_at, flags | flag)
                if method is not None:
                    struct.pack_into("<H", out, at + method_at, method)
            at = out.find(sig, at + 4)
    return bytes(out)


def _wacz(tmp_path: Path) -> tuple[bytes, list[str]]:
    recs = {
        "a.warc.gz": good_records(0),
        "b.warc.gz": good_records(10),
        "c.warc.gz": good_records(20),
    }
    warcs = {name: b"".join(_warcs.gzip_members(r.data for r in rs)) for name, rs in recs.items()}
    path = _warcs.write_wacz(tmp_path / "src.wacz", warcs)
    return path.read_bytes(), [u for rs in recs.values() for u in urls(rs)]


@pytest.mark.parametrize("how", ["encrypted", "deflate64"])
def test_an_unreadable_wacz_member_costs_only_itself(tmp_path: Path, how: str) -> None:
    data, expected = _wacz(tmp_path)
    if how == "encrypted":
        patched = _patch_member(data, "archive/b.warc.gz", flag=0x1)
    else:
        patched = _patch_member(data, "archive/b.warc.gz", method=9)
    path = tmp_path / "x.wacz"
    path.write_bytes(patched)
    got = outcomes(path)
    assert got == [
        *(("page", u) for u in expected[:3]),
        ("broken", "bad-zip"),
        *(("page", u) for u in expected[6:]),
    ]


def test_a_wacz_cut_before_its_central_directory_keeps_its_whole_members(tmp_path: Path) -> None:
    data, expected = _wacz(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        info = package.getinfo("archive/c.warc.gz")
    # Cut inside the last WARC's data, after its second record.
    members = _warcs.gzip_members(r.data for r in good_records(20))
    start = info.header_offset + 30 + len(info.filename)
    cut = start + len(members[0]) + len(members[1]) + len(members[2]) // 2
    path = tmp_path / "x.wacz"
    path.write_bytes(data[:cut])
    got = outcomes(path)
    # The missing directory is named once, then every whole record is read.
    assert got[0] == ("broken", "bad-zip")
    assert got[1:9] == [("page", u) for u in expected[:8]]
    assert got[9:] == [("broken", "truncated-record")]


# --- 4. a run of junk is one damage account ---------------------------------------------


def test_a_run_of_record_lines_is_one_damage_account(tmp_path: Path) -> None:
    before, after = good_records(0), good_records(10)
    junk = b"WARC/1.0\r\n" * 100_000
    path = _warcs.write_warc(
        tmp_path / "x.warc.gz",
        [r.data for r in before] + [junk] + [r.data for r in after],
        "whole",
    )
    got = outcomes(path)
    assert got == [
        *(("page", u) for u in urls(before)),
        ("broken", "bad-header"),
        *(("page", u) for u in urls(after)),
    ]
    broken = [
        e for e in corpus.iter_items([path]) if isinstance(e, corpus.Item) and e.broken is not None
    ]
    assert "100,000" in broken[0].broken.message  # type: ignore[union-attr]


def test_a_member_of_record_lines_over_a_chunk_costs_only_itself(tmp_path: Path) -> None:
    """Over 1 MiB inflated (so the member's output is capped), then per-record members."""
    junk = gzip.compress(b"WARC/1.0\r\n" * 200_000, mtime=0)
    members = _warcs.gzip_members(r.data for r in good_records(0))
    path = tmp_path / "x.warc.gz"
    path.write_bytes(junk + b"".join(members))
    got = outcomes(path)
    assert got[-3:] == [("page", u) for u in urls(good_records(0))]
    assert len(got) <= 5


def test_a_run_of_bad_lengths_is_one_damage_account_after_a_few(tmp_path: Path) -> None:
    stub = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\n"
    path = _warcs.write_warc(
        tmp_path / "x.warc", [stub * 20_000, *(r.data for r in good_records(0))]
    )
    got = outcomes(path)
    assert got[-3:] == [("page", u) for u in urls(good_records(0))]
    assert len(got) <= 3 + 20


# --- 5. blank runs cost C time; a member that inflates without end is refused ------------


def test_a_member_of_newlines_is_read_fast(tmp_path: Path) -> None:
    blank = gzip.compress(b"\r\n" * (50 * 2**20), mtime=0)
    members = _warcs.gzip_members(r.data for r in good_records(0))
    path = tmp_path / "x.warc.gz"
    path.write_bytes(members[0] + blank + b"".join(members[1:]))
    started = time.process_time()
    got = pages(path)
    spent = time.process_time() - started
    assert got == urls(good_records(0))
    assert spent < 3.0, spent  # the byte loop took over 5 s for 100 MB


def test_a_gzip_bomb_member_is_refused_within_its_budget(tmp_path: Path) -> None:
    # 1 GiB of zeros after a record header: a 1 MB member.
    inflater = gzip.compress(b"", mtime=0)[:0]
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", mtime=0) as out:
        out.write(b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 2000000000\r\n\r\n")
        zeros = b"\0" * 2**20
        for _ in range(1024):
            out.write(zeros)
    members = _warcs.gzip_members(r.data for r in good_records(0))
    path = tmp_path / "x.warc.gz"
    path.write_bytes(members[0] + inflater + bomb.getvalue() + b"".join(members[1:]))
    started = time.process_time()
    got = outcomes(path)
    spent = time.process_time() - started
    assert [k for k in got if k[0] == "page"] == [("page", u) for u in urls(good_records(0))]
    assert ("broken", "over-budget") in got
    assert spent < 3.0, spent


# --- 6. ARC files ------------------------------------------------------------------------


def arc_file(recs: list[tuple[str, bytes]]) -> bytes:
    """An ARC (version 1) file: its filedesc record, then one record per (url, HTTP block)."""
    desc_body = b"1 0 socpress-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    parts = [
        b"filedesc://test.arc 0.0.0.0 20240501000000 text/plain %d\n" % len(desc_body)
        + desc_body
        + b"\n"
    ]
    for n, (url, block) in enumerate(recs):
        line = f"{url} 192.0.2.1 202405{1 + n:02d}120000 text/html {len(block)}\n"
        parts.append(line.encode() + block + b"\n")
    return b"".join(parts)


@pytest.mark.parametrize("gzipped", [False, True])
def test_arc_files_are_read_as_records(tmp_path: Path, gzipped: bool) -> None:
    recs = [(f"http://example.org/arc/{i}", _warcs.http_response(b)) for i, b in enumerate(PAGES)]
    data = arc_file(recs)
    path = tmp_path / ("x.arc.gz" if gzipped else "x.arc")
    if gzipped:
        lines = data.split(b"\n")  # one gzip member per record, as ARC writers do
        desc_len = len(lines[0]) + 1 + int(lines[0].split()[-1]) + 1
        blobs = [data[:desc_len]]
        rest = data[desc_len:]
        for _url, block in recs:
            head = rest.split(b"\n", 1)[0]
            size = len(head) + 1 + len(block) + 1
            blobs.append(rest[:size])
            rest = rest[size:]
        path.write_bytes(b"".join(gzip.compress(b, mtime=0) for b in blobs))
    else:
        path.write_bytes(data)
    items = [e for e in corpus.iter_items([path]) if isinstance(e, corpus.Item)]
    assert [i.url for i in items] == [url for url, _ in recs]
    assert all(i.broken is None for i in items)
    assert items[0].captured is not None
    assert items[0].captured.isoformat().startswith("2024-05-01T12:00:00")
    run = list(corpus.records([path], workers=0))
    assert [r.status for r in run if r.input.index == 0] == ["ok"] * len(recs)
    for record in run:
        assert record.article is not None
        assert "Archive-length" not in record.article.text


# --- 7. WARC/0.18 ------------------------------------------------------------------------


def test_warc_0_18_records_are_read(tmp_path: Path) -> None:
    recs = good_records(0)
    old = [rec.data.replace(b"WARC/1.1\r\n", b"WARC/0.18\r\n", 1) for rec in recs]
    assert all(o.startswith(b"WARC/0.18\r\n") for o in old)
    path = _warcs.write_warc(tmp_path / "clueweb.warc.gz", old, "whole")
    assert pages(path) == urls(recs)


# --- 8. a lying transport charset --------------------------------------------------------


def test_a_utf16_charset_over_utf8_bytes_is_not_obeyed(tmp_path: Path) -> None:
    # Mostly ASCII, as most pages: read as UTF-16 its byte pairs are valid CJK characters.
    page = PAGES[1].replace(b"</title>", "\u2014</title>".encode(), 1)
    page += b" " * (len(page) % 2)
    headers = (("Content-Type", "text/html; charset=utf-16"),)
    path = _warcs.write_warc(tmp_path / "x.warc", [_warcs.response(0, page, headers=headers)])
    (record,) = list(corpus.records([path], workers=0))
    assert record.article is not None, record.error
    assert record.article.provenance.encoding == "utf-8"
    truth = corpus.read_item(corpus.Item(source="same", data=page))[0].article
    assert truth is not None
    assert record.article.text == truth.text
