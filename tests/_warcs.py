"""Builders of WARC and WACZ test files, made with warcio's writer from the fixture pages.

Used by tests/test_archives.py, the corpus tests and benchmarks (``write_bulk_warc``).
Every builder is deterministic: record ids and dates come from the record's index.

A record is built as an :class:`Rec` (the bytes of one uncompressed WARC record plus what
socpress must make of it: ``("page", url)``, ``("skip", reason)`` or ``("broken", kind)``),
and an archive is written from a list of them, plain, gzipped per record, or gzipped whole.
"""

from __future__ import annotations

import gzip as gzip_module
import io
import itertools
import json
import random
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import attrs
import brotli
from warcio.warcwriter import GzippingWrapper, WARCWriter

FIXTURES = Path(__file__).parent / "fixtures"
HTML_PAGES = sorted((FIXTURES / "html").glob("*.html"))
TEXT_PAGES = sorted((FIXTURES / "text").glob("*.txt"))

Compression = Literal["none", "record", "whole"]


@attrs.frozen
class Rec:
    """One WARC record's bytes and what reading it must give."""

    data: bytes
    expect: tuple[str, str]
    """``("page", url)``, ``("skip", reason)`` or ``("broken", kind)``."""
    payload: bytes | None = None
    """For a page: the payload socpress must hand on (de-chunked, decoded)."""
    charset: str | None = None


def record_id(index: int) -> str:
    return f"<urn:uuid:00000000-0000-4000-8000-{index:012d}>"


def warc_date(index: int) -> str:
    return f"2024-05-{1 + index % 28:02d}T{index % 24:02d}:{index % 60:02d}:07Z"


def warc_record(
    index: int,
    warc_type: str,
    block: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    extra: Sequence[tuple[str, str]] = (),
) -> bytes:
    """One WARC record, written by warcio (Content-Length and digests included)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False, warc_version="1.1")
    headers = {"WARC-Record-ID": record_id(index), "WARC-Date": warc_date(index), **dict(extra)}
    record = writer.create_warc_record(
        url,
        warc_type,
        payload=io.BytesIO(block),
        length=len(block),
        warc_content_type=content_type or "",
        warc_headers_dict=headers,
    )
    writer.write_record(record)
    return out.getvalue()


def http_response(
    body: bytes,
    *,
    status: str = "200 OK",
    headers: Sequence[tuple[str, str]] = (("Content-Type", "text/html; charset=utf-8"),),
) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def chunked(body: bytes, size: int = 1000) -> bytes:
    """``body`` in chunked transfer encoding, with a chunk extension on the first chunk."""
    parts = []
    for i in range(0, len(body), size):
        piece = body[i : i + size]
        ext = ";name=value" if i == 0 else ""
        parts.append(f"{len(piece):x}{ext}\r\n".encode() + piece + b"\r\n")
    return b"".join(parts) + b"0\r\n\r\n"


def response(
    index: int,
    body: bytes,
    *,
    url: str | None = None,
    status: str = "200 OK",
    headers: Sequence[tuple[str, str]] = (("Content-Type", "text/html; charset=utf-8"),),
) -> bytes:
    url = url or f"https://example.org/page/{index}"
    return warc_record(
        index,
        "response",
        http_response(body, status=status, headers=headers),
        url=url,
        content_type="application/http; msgtype=response",
    )


def page_response(index: int, body: bytes, charset: str | None = "utf-8") -> Rec:
    url = f"https://example.org/page/{index}"
    ctype = "text/html" if charset is None else f"text/html; charset={charset}"
    headers = (("Content-Type", ctype), ("Content-Length", str(len(body))))
    return Rec(response(index, body, url=url, headers=headers), ("page", url), body, charset)


def mixed_records() -> list[Rec]:
    """Every kind of record a crawl holds, each with what socpress must make of it."""
    html = [path.read_bytes() for path in HTML_PAGES]
    text = TEXT_PAGES[0].read_bytes() if TEXT_PAGES else b"A statement\n\nIts body.\n"
    arabic = (FIXTURES / "html" / "arabic-windows-1256.html").read_bytes()
    recs: list[Rec] = []

    def add(rec: Rec) -> None:
        recs.append(rec)

    i = len(recs)
    info = b"software: socpress-tests\r\nformat: WARC File Format 1.1\r\n"
    add(
        Rec(
            warc_record(i, "warcinfo", info, content_type="application/warc-fields"),
            ("skip", "warcinfo"),
        )
    )
    url = "https://example.org/page/1"
    request = b"GET /page/1 HTTP/1.1\r\nHost: example.org\r\n\r\n"
    add(
        Rec(
            warc_record(
                len(recs),
                "request",
                request,
                url=url,
                content_type="application/http; msgtype=request",
            ),
            ("skip", "request"),
        )
    )
    add(page_response(len(recs), html[0]))
    add(
        Rec(
            warc_record(
                len(recs),
                "metadata",
                b"outlink: https://example.org/x\r\n",
                url=url,
                content_type="application/warc-fields",
            ),
            ("skip", "metadata"),
        )
    )
    # Chunked transfer encoding, stored as sent.
    i = len(recs)
    url = f"https://example.org/page/{i}"
    headers: tuple[tuple[str, str], ...] = (
        ("Content-Type", "text/html; charset=UTF-8"),
        ("Transfer-Encoding", "chunked"),
    )
    add(
        Rec(
            response(i, chunked(html[1]), url=url, headers=headers), ("page", url), html[1], "UTF-8"
        )
    )
    # Content-Encoding: gzip, and chunked on top of it.
    i = len(recs)
    url = f"https://example.org/page/{i}"
    headers = (
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Encoding", "gzip"),
        ("Transfer-Encoding", "chunked"),
    )
    body = chunked(gzip_module.compress(html[2], mtime=0), 700)
    add(Rec(response(i, body, url=url, headers=headers), ("page", url), html[2], "utf-8"))
    # Content-Encoding: br.
    i = len(recs)
    url = f"https://example.org/page/{i}"
    headers = (("Content-Type", "text/html"), ("Content-Encoding", "br"))
    add(
        Rec(
            response(i, brotli.compress(html[3]), url=url, headers=headers),
            ("page", url),
            html[3],
            None,
        )
    )
    # Content-Encoding: deflate (zlib-wrapped).
    i = len(recs)
    url = f"https://example.org/page/{i}"
    headers = (
        ("Content-Type", "application/xhtml+xml; charset=utf-8"),
        ("Content-Encoding", "deflate"),
    )
    add(
        Rec(
            response(i, zlib.compress(html[4]), url=url, headers=headers),
            ("page", url),
            html[4],
            "utf-8",
        )
    )
    # A windows-1256 page, the charset declared in quotes and capitals.
    i = len(recs)
    url = f"https://example.org/page/{i}"
    headers = (("Content-Type", 'text/html; Charset="windows-1256"'),)
    add(Rec(response(i, arabic, url=url, headers=headers), ("page", url), arabic, "windows-1256"))
    # No Content-Type at all: the first bytes say HTML.
    i = len(recs)
    url = f"https://example.org/page/{i}"
    add(Rec(response(i, html[5], url=url, headers=()), ("page", url), html[5], None))
    # Not pages.
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    add(
        Rec(
            response(len(recs), png, headers=(("Content-Type", "image/png"),)), ("skip", "not-html")
        )
    )
    add(
        Rec(
            response(len(recs), b"body { color: red }", headers=(("Content-Type", "text/css"),)),
            ("skip", "not-html"),
        )
    )
    add(
        Rec(
            response(
                len(recs), b"var x = 1;", headers=(("Content-Type", "application/javascript"),)
            ),
            ("skip", "not-html"),
        )
    )
    add(Rec(response(len(recs), b"\x00\x01binary", headers=()), ("skip", "not-html")))
    add(
        Rec(
            response(
                len(recs),
                b"",
                status="301 Moved Permanently",
                headers=(("Location", "https://example.org/new"),),
            ),
            ("skip", "redirect"),
        )
    )
    add(
        Rec(
            response(len(recs), b"<html><body>Not found</body></html>", status="404 Not Found"),
            ("skip", "http-error"),
        )
    )
    add(Rec(response(len(recs), b"", status="200 OK"), ("skip", "empty")))
    revisit = http_response(b"", headers=(("Content-Type", "text/html"),))
    add(
        Rec(
            warc_record(
                len(recs),
                "revisit",
                revisit,
                url="https://example.org/page/1",
                content_type="application/http; msgtype=response",
                extra=(
                    (
                        "WARC-Profile",
                        "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
                    ),
                    ("WARC-Refers-To-Target-URI", "https://example.org/page/1"),
                ),
            ),
            ("skip", "revisit"),
        )
    )
    add(
        Rec(
            warc_record(
                len(recs),
                "conversion",
                b"converted text",
                url="https://example.org/c",
                content_type="text/plain",
            ),
            ("skip", "conversion"),
        )
    )
    # A resource record (a saved file, no HTTP header): a text rendering.
    i = len(recs)
    url = f"https://example.org/page/{i}.txt"
    add(
        Rec(
            warc_record(i, "resource", text, url=url, content_type="text/plain; charset=utf-8"),
            ("page", url),
            text,
            "utf-8",
        )
    )
    # A record the crawler cut at its size limit.
    i = len(recs)
    truncated = response(i, html[6][:2000])
    truncated = truncated.replace(
        b"\r\nContent-Type: application/http",
        b"\r\nWARC-Truncated: length\r\nContent-Type: application/http",
        1,
    )
    add(Rec(truncated, ("broken", "truncated-record")))
    return recs


def write_warc(path: Path, records: Iterable[bytes], compression: Compression = "none") -> Path:
    """Write records plain, one gzip member per record (as crawlers do), or one gzip
    stream for the whole file."""
    data = list(records)
    if compression == "record":
        path.write_bytes(b"".join(gzip_members(data)))
    elif compression == "whole":
        path.write_bytes(gzip_module.compress(b"".join(data), mtime=0))
    else:
        path.write_bytes(b"".join(data))
    return path


def write_wacz(path: Path, warcs: dict[str, bytes]) -> Path:
    """A WACZ: the WARCs under archive/, with a datapackage.json listing them."""
    resources = [{"name": Path(name).name, "path": f"archive/{name}"} for name in warcs]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as package:
        package.writestr(
            "datapackage.json", json.dumps({"profile": "data-package", "resources": resources})
        )
        for name, data in warcs.items():
            package.writestr(f"archive/{name}", data)
        package.writestr("pages/pages.jsonl", '{"format": "json-pages-1.0"}\n')
    return path


def gzip_members(records: Iterable[bytes]) -> list[bytes]:
    """Each record as its own gzip member (warcio's gzip writer)."""
    return [gzip_member(record) for record in records]


def gzip_member(record: bytes) -> bytes:
    """One record as one gzip member, compressed as warcio's writer does it."""
    out = io.BytesIO()
    wrapper = GzippingWrapper(out)
    wrapper.write(record)
    wrapper.flush()
    return out.getvalue()


def with_content_length(record: bytes, delta: int) -> bytes:
    """The record with its Content-Length header changed by ``delta`` (a wrong length)."""
    head, sep, rest = record.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    for n, line in enumerate(lines):
        if line.lower().startswith(b"content-length:"):
            lines[n] = b"Content-Length: " + str(int(line.split(b":")[1]) + delta).encode()
    return b"\r\n".join(lines) + sep + rest


@attrs.frozen
class Damaged:
    name: str
    path: Path
    intact: int
    """Pages the archive still holds whole."""
    broken: int
    """Entries that must be reported broken."""
    expect: tuple[tuple[str, str], ...]


def damaged_cases(directory: Path) -> list[Damaged]:
    """Archives with the damage crawls meet, each with what reading it must give."""
    pages = [page_response(i, path.read_bytes()) for i, path in enumerate(HTML_PAGES[:5])]
    good = [rec.data for rec in pages]
    urls = [rec.expect for rec in pages]
    cases = []

    def case(name: str, data: bytes, expect: list[tuple[str, str]]) -> None:
        path = directory / name
        path.write_bytes(data)
        intact = sum(1 for kind, _ in expect if kind == "page")
        broken = sum(1 for kind, _ in expect if kind == "broken")
        cases.append(Damaged(name, path, intact, broken, tuple(expect)))

    cut = good[-1][: len(good[-1]) // 2]
    case(
        "truncated-last.warc",
        b"".join([*good[:-1], cut]),
        [*urls[:-1], ("broken", "truncated-record")],
    )
    members = gzip_members(good)
    case(
        "truncated-last.warc.gz",
        b"".join([*members[:-1], members[-1][: len(members[-1]) // 2]]),
        [*urls[:-1], ("broken", "truncated-record")],
    )
    for delta in (+300, -300):
        sign = "long" if delta > 0 else "short"
        data = b"".join([*good[:2], with_content_length(good[2], delta), *good[3:]])
        case(
            f"content-length-too-{sign}.warc",
            data,
            [*urls[:2], ("broken", "bad-content-length"), *urls[3:]],
        )
        members_cl = gzip_members([*good[:2], with_content_length(good[2], delta), *good[3:]])
        case(
            f"content-length-too-{sign}.warc.gz",
            b"".join(members_cl),
            [*urls[:2], ("broken", "bad-content-length"), *urls[3:]],
        )
    bad = bytearray(members[2])
    middle = len(bad) // 2
    bad[middle : middle + 16] = b"\x00" * 16
    case(
        "bad-gzip-member.warc.gz",
        b"".join([*members[:2], bytes(bad), *members[3:]]),
        [*urls[:2], ("broken", "bad-gzip"), *urls[3:]],
    )
    case(
        "junk-between-records.warc",
        b"".join([*good[:2], b"junk that is no record\r\n" * 3, *good[2:]]),
        [*urls[:2], ("broken", "bad-header"), *urls[2:]],
    )
    case(
        "junk-between-members.warc.gz",
        b"".join([*members[:2], b"junk" * 10, *members[2:]]),
        [*urls[:2], ("broken", "bad-gzip"), *urls[2:]],
    )
    whole = gzip_module.compress(b"".join(good), mtime=0)
    # Cut the one gzip stream inside a record: the records before the cut are read.
    cut_at = len(whole) * 3 // 4
    available = len(zlib.decompressobj(31).decompress(whole[:cut_at]))
    ends = [sum(len(rec) for rec in good[: k + 1]) for k in range(len(good))]
    whole_records = sum(1 for end in ends if end <= available)
    assert available not in ends
    case(
        "whole-file-gzip-cut.warc.gz",
        whole[:cut_at],
        [*urls[:whole_records], ("broken", "truncated-record")],
    )
    return cases


def write_bulk_warc(path: Path, count: int, *, gzip: bool = False) -> Path:
    """A WARC of ``count`` response records (fixture pages in turn, each URL its own), for
    benchmarks; written in a stream, so memory stays flat whatever ``count``."""
    bodies = [page.read_bytes() for page in HTML_PAGES]
    with open(path, "wb") as handle:
        for i in range(count):
            record = page_response(i, bodies[i % len(bodies)]).data
            handle.write(gzip_member(record) if gzip else record)
    return path


def pages(count: int, start: int = 0) -> list[bytes]:
    """``count`` page responses of the first 3 HTML fixtures in turn, indices from ``start``."""
    bodies = [p.read_bytes() for p in HTML_PAGES[:3]]
    return [page_response(start + i, bodies[i % len(bodies)]).data for i in range(count)]


def incompressible(count: int, start: int, size: int = 3000) -> list[bytes]:
    """Metadata records of incompressible bytes: framed, never extracted."""
    rng = random.Random(start)
    return [
        warc_record(start + i, "metadata", rng.randbytes(size), content_type="x/y")
        for i in range(count)
    ]


def pages_and_skips(count: int) -> list[bytes]:
    """``count`` pages, each followed by an incompressible metadata record."""
    out: list[bytes] = []
    for i in range(count):
        out.extend(pages(1, 2 * i))
        out.extend(incompressible(1, 2 * i + 1))
    return out


def damaged_members_warc(directory: Path) -> Path:
    """Many members; a damaged member, junk, and a record carrying a gzipped WARC (whose
    own members sit, stored, inside the record's member) among them."""
    members = gzip_members(pages_and_skips(10))
    bad = bytearray(members[5])
    bad[len(bad) // 2 : len(bad) // 2 + 24] = b"\x00" * 24
    members[5] = bytes(bad)
    members.insert(9, b"junk that is no gzip member " * 40)
    members.insert(
        11, gzip_module.compress(b"a gzip member that holds no WARC record\r\n", mtime=0)
    )
    # Incompressible records around the carried pages: deflate stores such bytes as they
    # are, so the carried members' gzip magic stands in the file.
    carried = [
        rec for i in range(3) for rec in (*incompressible(1, 800 + i, 40000), *pages(1, 500 + i))
    ]
    inner = b"".join(gzip_members(carried))
    carrier = warc_record(
        600, "resource", inner, url="https://example.org/crawl.warc.gz", content_type="x/y"
    )
    members.insert(13, gzip_member(carrier))
    members.append(gzip_member(pages(1, 700)[0])[:-40])  # cut at the end
    return write_warc(directory / "damaged.warc.gz", [b"".join(members)])


def fooled_range_starts(path: Path) -> dict[str, int]:
    """Range starts at which a range's reader does not start at the member the file's chain
    goes on at: ``carried`` (it finds a member of a carried ``.warc.gz`` first), ``skipped``
    (it passes over a member that inflates to no record)."""
    from socpress.corpus import _pieces

    data = path.read_bytes()
    one_range = _pieces.Piece(archive=str(path), start=0, end=len(data) + 1)
    chain = sorted({s for s, _ in _pieces.PieceReader(one_range) if s is not None})
    fooled: dict[str, int] = {}
    for low, high in itertools.pairwise(chain):
        piece = _pieces.Piece(archive=str(path), start=low + 1, end=None)
        first = next(s for s, _ in _pieces.PieceReader(piece))
        if first is not None and first != high:
            fooled.setdefault("carried" if first < high else "skipped", low + 1)
    return fooled
