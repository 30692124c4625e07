"""Web archives in: WARC, gzipped WARC and WACZ files read into page records.

The one module that imports the WARC library (warcio). ``iter_archive`` yields one entry
per WARC record, in file order, and one for every stretch of bytes it could not read, so
that every record is accounted for:

* :class:`PageRecord`: a ``response`` or ``resource`` record that carries a page (HTML or
  plain text), with its payload de-chunked and its ``Content-Encoding`` undone;
* :class:`SkippedRecord`: a record that is not a page, with a stable ``reason``
  (:data:`SKIP_REASONS`);
* :class:`BrokenRecord`: a record (or stretch of bytes) that cannot be read whole, with a
  stable ``kind`` (:data:`BROKEN_KINDS`); reading goes on after it.

How damage is survived. warcio (like FastWARC) stops at the first record it cannot frame,
and a wrong ``Content-Length`` is only noticed at the record after it, so the framing is
done here and warcio parses each framed record (WARC header, HTTP header, record type).
A record is framed by its ``Content-Length`` and must be followed by its ``CRLF CRLF`` and
then the next ``WARC/`` line or the end of the data. When it is not, the record is a
``bad-content-length`` and reading resumes at the next ``WARC/1.`` line after the record's
first byte, so a length that is too long loses no record it swallowed. A gzip member that
does not decompress is a ``bad-gzip``; reading resumes at the next gzip member that does.
A record cut by the end of the file is a ``truncated-record``.

Offsets. ``offset`` is the record's byte offset in the file as stored: for a per-record
gzipped WARC (what crawlers write) the offset of its gzip member, as in CDX indexes. A
record inside a gzip member that holds several (a whole-file gzip) is named by the member's
offset plus its offset in the decompressed member, ``x.warc.gz@0+1580``, and ``offset`` is
the member's offset. In a WACZ, ``member`` is the WARC's path inside the zip and offsets are
into that WARC.

Bounds. Headers longer than :data:`MAX_HEADER`, blocks longer than :data:`MAX_RECORD` (they
are skipped without being held in memory) and payloads that decode to more than
``max_payload`` bytes (a decompression bomb) are named, not read.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Final

import attrs
import brotli
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

from socpress._read.source import DEFAULT_MAX_BYTES

__all__ = [
    "BROKEN_KINDS",
    "SKIP_REASONS",
    "ArchiveEntry",
    "BrokenRecord",
    "PageRecord",
    "SkippedRecord",
    "is_archive",
    "iter_archive",
]

MAX_HEADER: Final = 64 * 1024
"""A WARC or HTTP header block longer than this is not read (``bad-header``)."""
MAX_RECORD: Final = 64 * 1024 * 1024
"""A record block longer than this is skipped in a stream, never held in memory."""
_CHUNK: Final = 1024 * 1024

SKIP_REASONS: Final = {
    "warcinfo": "a warcinfo record (about the crawl, not a capture)",
    "request": "an HTTP request record",
    "metadata": "a metadata record (crawler notes, outlinks)",
    "revisit": "a revisit record (a capture identical to an earlier one; no payload)",
    "conversion": "a conversion record (another format of a capture)",
    "continuation": "a continuation record (a later segment of a segmented record)",
    "unknown-type": "a record of a WARC-Type the standard does not define",
    "not-html": "a capture that is neither HTML nor text (image, CSS, JavaScript, PDF, JSON…)",
    "redirect": "an HTTP 3xx response",
    "http-error": "an HTTP response whose status is not 2xx or 3xx",
    "empty": "a response or resource with an empty payload",
}
"""Every ``SkippedRecord.reason``, with what it means."""

BROKEN_KINDS: Final = {
    "truncated-record": "the record is cut short by the end of the file or gzip member, or "
    "the crawler marked it truncated (WARC-Truncated)",
    "bad-content-length": "the record's Content-Length does not end it where the next record "
    "begins (or is missing); reading resumes at the next record",
    "bad-gzip": "a gzip member that does not decompress; reading resumes at the next member",
    "bad-header": "bytes that are not a readable WARC record header (junk between records, "
    "a header over 64 KiB, a header the WARC library refuses)",
    "bad-http-header": "a response record whose HTTP header cannot be parsed",
    "bad-transfer-encoding": "a chunked payload whose chunks break off",
    "bad-content-encoding": "a payload that does not decode with its Content-Encoding",
    "too-large": "a payload over the size bound (after decoding), or a block over 64 MiB",
    "segmented-record": "the first segment of a segmented record (not reassembled)",
    "unreadable": "the archive file cannot be opened or read (the OS error is in the message)",
    "bad-zip": "a WACZ that is not a readable zip file, or a WARC inside it that cannot be read",
}
"""Every ``BrokenRecord.kind``, with what it means."""


@attrs.frozen(kw_only=True)
class PageRecord:
    """An HTTP response or resource record that carries a page."""

    source: str
    """The record's name: ``crawl.warc.gz@1234``, ``x.wacz!archive/data.warc.gz@1234``."""
    archive: str
    """The archive path as given."""
    member: str | None
    """The WARC's path inside a WACZ, else ``None``."""
    offset: int
    """Byte offset of the record (of its gzip member) in the WARC file as stored."""
    record_id: str
    """``WARC-Record-ID``, as written (``<urn:uuid:…>``)."""
    url: str | None
    """``WARC-Target-URI``."""
    data: bytes
    """The payload: de-chunked, ``Content-Encoding`` (gzip, deflate, br) undone."""
    charset: str | None
    """The charset the HTTP ``Content-Type`` header declares, as declared; ``None`` if none."""
    captured: datetime.datetime | None
    """``WARC-Date``, timezone-aware UTC; ``None`` when missing or unreadable."""
    content_type: str | None
    """The payload's media type, lower-cased, without parameters (``text/html``)."""


@attrs.frozen(kw_only=True)
class SkippedRecord:
    """A record that is not a page: counted by reason, never an error."""

    source: str
    """The record's name, as in :attr:`PageRecord.source`."""
    reason: str
    """Why it is not a page: one of :data:`SKIP_REASONS`."""


@attrs.frozen(kw_only=True)
class BrokenRecord:
    """A record, or a stretch of bytes, that cannot be read whole."""

    source: str
    """Its name, as in :attr:`PageRecord.source`."""
    archive: str
    """The archive path as given."""
    member: str | None
    """The WARC's path inside a WACZ, else ``None``."""
    offset: int
    """Byte offset where the damage starts (a record's or gzip member's offset)."""
    record_id: str | None
    """``WARC-Record-ID``, when the header could be read."""
    url: str | None
    """``WARC-Target-URI``, when the header could be read."""
    kind: str
    """What is wrong: one of :data:`BROKEN_KINDS`."""
    message: str
    """What is wrong, and where, in words."""


ArchiveEntry = PageRecord | SkippedRecord | BrokenRecord

_GZIP_MAGIC: Final = b"\x1f\x8b\x08"
_ZIP_MAGIC: Final = b"PK\x03\x04"
_WARC_MAGIC: Final = b"WARC/"
_ARCHIVE_SUFFIXES: Final = (".warc", ".warc.gz", ".wacz")


def is_archive(path: Path) -> bool:
    """Whether ``path`` names a WARC, gzipped WARC or WACZ file: by its suffix, else by its
    first bytes (``WARC/``, or a gzip member that starts with ``WARC/``)."""
    name = path.name.lower()
    if name.endswith(_ARCHIVE_SUFFIXES):
        return True
    if not _is_regular(path):  # never open a FIFO or a device to sniff it: it may block
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if head.startswith(_WARC_MAGIC):
        return True
    if head.startswith(_GZIP_MAGIC):
        try:
            return zlib.decompressobj(31).decompress(head, 16).startswith(_WARC_MAGIC)
        except zlib.error:
            return False
    return False


def iter_archive(path: Path, *, max_payload: int = DEFAULT_MAX_BYTES) -> Iterator[ArchiveEntry]:
    """Every record of a WARC, gzipped WARC or WACZ, in file order, as a page, a skip or a
    damage report. Never raises for damaged data; an unreadable file gives one
    ``BrokenRecord``."""
    archive = os.fspath(path)
    where = _Where(archive, None)
    if not _is_regular(path):
        yield where.broken(0, None, "unreadable", "cannot read: not a regular file")
        return
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            handle.seek(0)
            by_suffix = archive.lower().endswith(".wacz")
            if head.startswith(_ZIP_MAGIC) or (
                by_suffix and not head.startswith((_WARC_MAGIC[:4], _GZIP_MAGIC))
            ):
                yield from _iter_wacz(handle, archive, max_payload)
            else:
                yield from _iter_warc(handle, where, max_payload)
    except OSError as err:
        yield where.broken(0, None, "unreadable", f"cannot read: {err}")


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


# --- where a record is -----------------------------------------------------------------


@attrs.frozen
class _Where:
    archive: str
    member: str | None

    def name(self, offset: int, inner: int | None = None) -> str:
        base = self.archive if self.member is None else f"{self.archive}!{self.member}"
        return f"{base}@{offset}" if not inner else f"{base}@{offset}+{inner}"

    def broken(
        self,
        offset: int,
        inner: int | None,
        kind: str,
        message: str,
        header: _Header | None = None,
    ) -> BrokenRecord:
        name = self.name(offset, inner)
        return BrokenRecord(
            source=name,
            archive=self.archive,
            member=self.member,
            offset=offset,
            record_id=None if header is None else header.record_id,
            url=None if header is None else header.url,
            kind=kind,
            message=f"{name}: {message}",
        )


# --- WACZ ------------------------------------------------------------------------------


def _iter_wacz(handle: BinaryIO, archive: str, max_payload: int) -> Iterator[ArchiveEntry]:
    where = _Where(archive, None)
    try:
        package = zipfile.ZipFile(handle)
        names = sorted(
            info.filename
            for info in package.infolist()
            if info.filename.startswith("archive/")
            and info.filename.lower().endswith((".warc", ".warc.gz"))
        )
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        yield where.broken(0, None, "bad-zip", f"not a readable WACZ (zip) file: {err}")
        return
    if not names:
        yield where.broken(0, None, "bad-zip", "a WACZ without WARC files under archive/")
    for name in names:
        member = _Where(archive, name)
        try:
            with package.open(name) as stream:
                yield from _iter_warc(stream, member, max_payload)  # type: ignore[arg-type]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
            yield member.broken(0, None, "bad-zip", f"cannot read this WARC in the WACZ: {err}")


# --- WARC framing ----------------------------------------------------------------------


def _iter_warc(raw: BinaryIO, where: _Where, max_payload: int) -> Iterator[ArchiveEntry]:
    head = raw.read(64)
    raw.seek(0)
    if head.startswith(_GZIP_MAGIC):
        yield from _iter_gzip(raw, where, max_payload, 0)
        return
    if not head.lstrip(b"\r\n").startswith(_WARC_MAGIC):
        # A gzipped WARC whose first member's header is damaged: the next member decides.
        found = _next_member(raw, 0)
        if found is not None:
            yield where.broken(0, None, "bad-gzip", f"bytes up to {found} that are not gzip")
            yield from _iter_gzip(raw, where, max_payload, found)
            return
        raw.seek(0)
    frames = _Framer(iter(lambda: raw.read(_CHUNK), b""))
    yield from _records(frames, where, None, max_payload)


def _iter_gzip(
    raw: BinaryIO, where: _Where, max_payload: int, start: int
) -> Iterator[ArchiveEntry]:
    """Member by member: each member is framed on its own (records never span members)."""
    cursor = _RawCursor(raw)
    while True:
        if cursor.tell() != start:
            cursor.seek(start)
        member = _GzipMember(cursor)
        framer = _Framer(member.chunks(), member.is_complete)
        pending: BrokenRecord | None = None
        for entry in _records(framer, where, start, max_payload):
            if pending is not None:
                yield pending
                pending = None
            if isinstance(entry, BrokenRecord) and entry.kind == "truncated-record":
                pending = entry  # cut by a gzip error, or by the end of the file?
            else:
                yield entry
        if member.error is None:
            if pending is not None:
                yield pending
            if member.junk_at is not None:
                upto = "the end of the file" if member.end is None else f"byte {member.end}"
                yield where.broken(
                    member.junk_at, None, "bad-gzip", f"bytes up to {upto} that are not gzip"
                )
            if member.end is None:
                return
            start = member.end
            continue
        message = (
            f"gzip member at byte {start} does not decompress ({member.error}) after "
            f"{member.inflated} decompressed bytes; the rest of the member is lost"
        )
        if pending is not None:
            yield attrs.evolve(pending, kind="bad-gzip", message=f"{pending.source}: {message}")
        else:
            yield where.broken(start, None, "bad-gzip", message)
        found = _next_member(raw, start + 1)
        if found is None:
            return
        start = found


_PIECE: Final = 16 * 1024
"""Compressed bytes handed to zlib at a time: a member's end leaves at most this much
unused input to copy, so a file of many small members is read in one linear pass."""


class _RawCursor:
    """Sequential reads of the compressed file in large chunks, handed out in pieces."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self._buf = b""
        self._at = raw.tell()  # file offset of self._buf[0]
        self._pos = 0

    def tell(self) -> int:
        return self._at + self._pos

    def seek(self, offset: int) -> None:
        self.raw.seek(offset)
        self._buf, self._at, self._pos = b"", offset, 0

    def _more(self, size: int) -> None:
        while len(self._buf) - self._pos < size:
            data = self.raw.read(_CHUNK)
            if not data:
                return
            self._buf, self._at = self._buf[self._pos :] + data, self._at + self._pos
            self._pos = 0

    def piece(self) -> memoryview:
        self._more(1)
        return memoryview(self._buf)[self._pos : self._pos + _PIECE]

    def peek(self, size: int) -> bytes:
        self._more(size)
        return self._buf[self._pos : self._pos + size]

    def advance(self, count: int) -> None:
        self._pos += count


class _GzipMember:
    """Decompresses one gzip member from the cursor (at its start), in chunks; then says
    where the next member starts (``end``; ``None`` at the end of the file), whether it
    ended whole (``complete``) or why it failed (``error``)."""

    def __init__(self, cursor: _RawCursor) -> None:
        self._cursor = cursor
        self.end: int | None = None
        self.error: str | None = None
        self.complete = False
        self.inflated = 0
        self.junk_at: int | None = None

    def is_complete(self) -> bool:
        return self.complete

    def chunks(self) -> Iterator[bytes]:
        cursor = self._cursor
        inflater = zlib.decompressobj(31)
        while True:
            piece = cursor.piece()
            if not piece:
                return  # the file ends inside the member
            try:
                out = inflater.decompress(piece)
            except zlib.error as err:
                self.error = str(err)
                return
            self.inflated += len(out)
            if not inflater.eof:
                cursor.advance(len(piece))
                if out:
                    yield out
                continue
            cursor.advance(len(piece) - len(inflater.unused_data))
            self.complete = True
            self._find_next()
            if out:
                yield out
            return

    def _find_next(self) -> None:
        cursor = self._cursor
        while (lead := cursor.peek(3)) and lead[:1] in (b"\0", b"\r", b"\n"):
            cursor.advance(1)  # padding between members, or at the end
        after = cursor.tell()
        if not lead:
            self.end = None
        elif lead == _GZIP_MAGIC:
            self.end = after
        else:  # junk after the member, or a damaged member header
            self.junk_at = after
            self.end = _next_member(cursor.raw, after)


def _next_member(raw: BinaryIO, start: int) -> int | None:
    """The offset of the next gzip member at or after ``start`` that decompresses to a
    WARC record header."""
    pos = start
    raw.seek(pos)
    tail = b""
    while True:
        data = raw.read(_CHUNK)
        if not data:
            return None
        window = tail + data
        base = pos - len(tail)
        at = window.find(_GZIP_MAGIC)
        while at != -1:
            candidate = base + at
            if _member_starts_warc(raw, candidate):
                return candidate
            at = window.find(_GZIP_MAGIC, at + 1)
        pos += len(data)
        tail = window[-2:]
        raw.seek(pos)


def _member_starts_warc(raw: BinaryIO, offset: int) -> bool:
    here = raw.tell()
    raw.seek(offset)
    data = raw.read(64 * 1024)
    raw.seek(here)
    try:
        return zlib.decompressobj(31).decompress(data, 8).startswith(_WARC_MAGIC)
    except zlib.error:
        return False


# --- the WARC library: one WARC header block, one HTTP header block ---------------------


@attrs.frozen
class _Header:
    """A WARC record header, as the WARC library parsed it."""

    raw: bytes
    warc_type: str
    length: int | None
    record_id: str | None
    url: str | None
    date: str | None
    content_type: str | None
    truncated: str | None
    segmented: bool

    @property
    def wanted(self) -> bool:
        return self.warc_type in ("response", "resource")


@attrs.frozen
class _Http:
    """An HTTP response header, as the WARC library parsed it, and the payload after it."""

    status: int
    content_type: str | None
    content_encoding: tuple[str, ...]
    transfer_encoding: tuple[str, ...]
    body: bytes


_WARC_PARSER: Final = StatusAndHeadersParser(["WARC/1.0", "WARC/1.1"])
_HTTP_PARSER: Final = StatusAndHeadersParser([], verify=False)


def _parse_header(raw: bytes) -> _Header | str:
    """The WARC header block (``WARC/1.x`` to the blank line); a message when the WARC
    library refuses it."""
    try:
        headers: StatusAndHeaders = _WARC_PARSER.parse(io.BytesIO(raw))
    except Exception as err:  # warcio raises its own parser errors, and ValueError
        return f"a WARC header the WARC library refuses ({type(err).__name__}: {err})"
    get = headers.get_header
    declared = get("Content-Length")
    length = int(declared) if declared is not None and declared.strip().isdigit() else None
    return _Header(
        raw=raw,
        warc_type=(get("WARC-Type") or "").strip().lower(),
        length=length,
        record_id=get("WARC-Record-ID"),
        url=get("WARC-Target-URI"),
        date=get("WARC-Date"),
        content_type=get("Content-Type"),
        truncated=get("WARC-Truncated"),
        segmented=get("WARC-Segment-Number") is not None,
    )


def _parse_http(header: _Header, block: bytes) -> _Http | str:
    """The HTTP response header at the start of a response block; a message when it cannot
    be parsed."""
    stream = io.BytesIO(block)
    end = block.find(b"\r\n\r\n", 0, MAX_HEADER)
    if end == -1 and block.find(b"\n\n", 0, MAX_HEADER) == -1:
        return "an HTTP header that does not end within 64 KiB"
    try:
        headers: StatusAndHeaders = _HTTP_PARSER.parse(stream)
        status_text = headers.get_statuscode()
    except Exception as err:  # warcio raises its own parser errors, and ValueError
        return f"an HTTP header that cannot be parsed ({type(err).__name__}: {err})"
    if not headers.protocol.upper().startswith("HTTP/") or not status_text.isdigit():
        return f"an HTTP header without a status line ({headers.protocol} {status_text})"
    fields: list[tuple[str, str]] = headers.headers

    def every(name: str) -> tuple[str, ...]:
        return tuple(value for key, value in fields if key.lower() == name)

    content_type = every("content-type")
    return _Http(
        status=int(status_text),
        content_type=content_type[0] if content_type else None,
        content_encoding=_tokens(every("content-encoding")),
        transfer_encoding=_tokens(every("transfer-encoding")),
        body=block[stream.tell() :],
    )


# --- framing ---------------------------------------------------------------------------


@attrs.frozen
class _Frame:
    """One framed record: where it starts in the decompressed data, its header, and its
    block (``None`` for a record that is not a page, or one skipped in a stream)."""

    at: int
    header: _Header
    block: bytes | None


@attrs.frozen
class _Damage:
    at: int
    kind: str
    message: str
    header: _Header | None = None


_HEADER_END: Final = b"\r\n\r\n"
_VERSION: Final = b"WARC/1."


def _never() -> bool:
    return False


class _Framer:
    """Splits a stream of decompressed bytes into WARC records by their Content-Length,
    checking that each ends where the next begins; on damage, resumes at the next
    ``WARC/1.`` line. ``complete`` says whether the data ended as it should (a gzip member
    that ended whole) rather than being cut."""

    def __init__(self, chunks: Iterator[bytes], complete: Callable[[], bool] = _never) -> None:
        self._chunks = chunks
        self._complete = complete
        self._buf = bytearray()
        self._pos = 0  # decompressed offset of self._buf[0]
        self._eof = False

    def _fill(self, size: int) -> bool:
        """Make at least ``size`` bytes available; False if the data ends first."""
        while len(self._buf) < size and not self._eof:
            chunk = next(self._chunks, None)
            if chunk is None:
                self._eof = True
            else:
                self._buf += chunk
        return len(self._buf) >= size

    def _drop(self, count: int) -> None:
        del self._buf[:count]
        self._pos += count

    def _skip_stream(self, count: int) -> int:
        """Discard ``count`` bytes without holding them; how many there were."""
        dropped = 0
        while dropped < count:
            if not self._buf and not self._fill(1):
                break
            take = min(count - dropped, len(self._buf))
            self._drop(take)
            dropped += take
        return dropped

    def _find_record(self, start: int, stop: int | None = None) -> int:
        """Buffer index of the first ``WARC/1.0`` or ``WARC/1.1`` line between ``start``
        and ``stop``, -1 if the buffer holds none (yet). Not only at the start of a line:
        damage can take the newline before it."""
        buf = self._buf
        at = buf.find(_VERSION, start, stop)
        while at != -1:
            line = bytes(buf[at + 7 : at + 10])
            if line[:1] in (b"0", b"1") and line[1:2] in (b"\r", b"\n"):
                return at
            at = buf.find(_VERSION, at + 1, stop)
        return -1

    def _resync(self, after: int) -> bool:
        """Drop bytes up to the next record line starting after buffer index ``after``;
        False (all dropped) at the end of the data."""
        start = after + 1
        while True:
            at = self._find_record(start)
            if at != -1 and (at + 10 <= len(self._buf) or self._eof):
                self._drop(at)
                return True
            if self._eof:
                self._drop(len(self._buf))
                return False
            if at == -1:
                # Junk: keep only a tail that could hold the start of a record line.
                keep = max(len(self._buf) - 10, start)
                self._drop(keep - 1 if keep > 0 else 0)
                start = 1 if keep > 0 else start
            self._fill(len(self._buf) + _CHUNK)

    def _ends_cleanly(self, start: int, end: int) -> bool:
        """Whether the block from buffer index ``start`` to ``end`` is followed by its
        CRLF CRLF and then another record or the end of the data; or by its CRLF CRLF and
        junk, when no record starts inside the block (else the length swallowed it)."""
        self._fill(end + 4 + len(_WARC_MAGIC))
        gap = bytes(self._buf[end : end + 4])
        # Tolerate fewer or bare newlines, but only before a record or the end.
        newlines = len(gap) - len(gap.lstrip(b"\r\n"))
        if newlines == 0 and end < len(self._buf):
            return False
        rest = bytes(self._buf[end + newlines : end + newlines + len(_WARC_MAGIC)])
        if rest == _WARC_MAGIC or not rest.strip(b"\r\n"):
            return True
        return gap == _HEADER_END and self._find_record(start, end) == -1

    def __iter__(self) -> Iterator[_Frame | _Damage]:
        while True:
            while True:  # blank lines between records are harmless
                if not self._fill(1):
                    return
                buf = self._buf
                blank = 0
                while blank < len(buf) and buf[blank] in b"\r\n":
                    blank += 1  # not lstrip(): that would copy the whole buffer
                self._drop(blank)
                if self._buf:
                    break
            at = self._pos
            self._fill(len(_WARC_MAGIC))
            if not self._buf.startswith(_WARC_MAGIC):
                more = self._resync(-1)
                tail = "" if more else ", up to the end of the data"
                yield _Damage(
                    at, "bad-header", f"{self._pos - at} bytes that are not a WARC record{tail}"
                )
                continue
            end = self._buf.find(_HEADER_END, 0, MAX_HEADER)
            while end == -1 and len(self._buf) < MAX_HEADER:
                more = self._fill(len(self._buf) + 8192)  # False at the end, bytes or not
                end = self._buf.find(_HEADER_END, 0, MAX_HEADER)
                if not more:
                    break
            if end == -1:
                if self._eof and len(self._buf) < MAX_HEADER:
                    self._drop(len(self._buf))
                    yield _Damage(at, "truncated-record", "the data ends inside a WARC header")
                    return
                self._resync(0)
                yield _Damage(at, "bad-header", "a WARC header that does not end within 64 KiB")
                continue
            if self._find_record(1, end) != -1:
                # Another record starts inside this header: damage took this one's end.
                self._resync(0)
                yield _Damage(at, "bad-header", "a WARC header cut short by the next record")
                continue
            header = _parse_header(bytes(self._buf[: end + 4]))
            if isinstance(header, str):
                self._resync(0)
                yield _Damage(at, "bad-header", header)
                continue
            if header.length is None:
                self._resync(0)
                yield _Damage(at, "bad-content-length", "no usable Content-Length", header)
                continue
            yield self._block(at, end + 4, header)

    def _block(self, at: int, start: int, header: _Header) -> _Frame | _Damage:
        length = header.length
        assert length is not None
        if length > MAX_RECORD:
            self._drop(start)
            got = self._skip_stream(length)
            if got < length:
                return _Damage(at, "truncated-record", _cut(got, length), header)
            if not self._ends_cleanly(0, 0):
                self._resync(-1)
                return _Damage(at, "bad-content-length", _misframed(length), header)
            return _Frame(at, header, None)
        end = start + length
        if not self._fill(end):
            # Short of the claimed length: the length is wrong if a record starts inside
            # the claimed block, or if the data ended whole (a gzip member); else it is cut.
            inside = self._find_record(start)
            if inside != -1 or self._complete():
                self._drop(inside if inside != -1 else len(self._buf))
                return _Damage(at, "bad-content-length", _misframed(length), header)
            got = len(self._buf) - start
            self._drop(len(self._buf))
            return _Damage(at, "truncated-record", _cut(got, length), header)
        if not self._ends_cleanly(start, end):
            self._resync(0)
            return _Damage(at, "bad-content-length", _misframed(length), header)
        block = bytes(self._buf[start:end]) if header.wanted else None
        self._drop(end)
        return _Frame(at, header, block)


def _cut(got: int, length: int) -> str:
    return f"cut short: {got} of its {length} block bytes are there"


def _misframed(length: int) -> str:
    return (
        f"its Content-Length ({length}) does not end it where the next record begins; "
        "reading resumed at the next record"
    )


# --- records -> entries ----------------------------------------------------------------

_TYPE_REASONS: Final = {
    "warcinfo": "warcinfo",
    "request": "request",
    "metadata": "metadata",
    "revisit": "revisit",
    "conversion": "conversion",
    "continuation": "continuation",
}


def _records(
    framer: _Framer, where: _Where, member_start: int | None, max_payload: int
) -> Iterator[ArchiveEntry]:
    """Entries for the frames of one stream. ``member_start`` is the gzip member's offset
    in the file (records are then named by it), ``None`` for an uncompressed WARC."""
    for frame in framer:
        if member_start is None:
            offset, inner = frame.at, None
        else:
            offset, inner = member_start, frame.at or None
        if isinstance(frame, _Damage):
            yield where.broken(offset, inner, frame.kind, frame.message, frame.header)
        else:
            yield _entry(frame, where, offset, inner, max_payload)


def _entry(
    frame: _Frame, where: _Where, offset: int, inner: int | None, max_payload: int
) -> ArchiveEntry:
    header = frame.header
    name = where.name(offset, inner)
    if not header.wanted:
        return SkippedRecord(
            source=name, reason=_TYPE_REASONS.get(header.warc_type, "unknown-type")
        )

    def broken(kind: str, message: str) -> BrokenRecord:
        return where.broken(offset, inner, kind, message, header)

    if frame.block is None:
        return broken("too-large", f"a block of {header.length} bytes, over 64 MiB")
    if header.truncated is not None:
        return broken(
            "truncated-record", f"the crawler truncated it (WARC-Truncated: {header.truncated})"
        )
    if header.segmented:
        return broken("segmented-record", "a segmented record (segments are not reassembled)")
    if not frame.block.strip():
        return SkippedRecord(source=name, reason="empty")
    if header.warc_type == "response" and (
        _media_type(header.content_type) == "application/http" or frame.block.startswith(b"HTTP/")
    ):
        http = _parse_http(header, frame.block)
        if isinstance(http, str):
            return broken("bad-http-header", http)
        if 300 <= http.status < 400:
            return SkippedRecord(source=name, reason="redirect")
        if not 200 <= http.status < 300:
            return SkippedRecord(source=name, reason="http-error")
        content_type, body = http.content_type, http.body
        encodings, transfer = http.content_encoding, http.transfer_encoding
    else:
        content_type, body = header.content_type, frame.block
        encodings, transfer = (), ()
    try:
        if "chunked" in transfer:
            body = _dechunk(body, max_payload)
        for coding in reversed(encodings):
            body = _decode(body, coding, max_payload)
    except _Decoding as err:
        return broken(err.kind, err.message)
    if len(body) > max_payload:
        return broken("too-large", f"a payload of {len(body)} bytes, over {max_payload}")
    if not body.strip():
        return SkippedRecord(source=name, reason="empty")
    media_type = _media_type(content_type)
    if not _is_page(media_type, body):
        return SkippedRecord(source=name, reason="not-html")
    return PageRecord(
        source=name,
        archive=where.archive,
        member=where.member,
        offset=offset,
        record_id=header.record_id or "",
        url=header.url,
        data=body,
        charset=_charset(content_type),
        captured=_warc_date(header.date),
        content_type=media_type,
    )


# --- payload ---------------------------------------------------------------------------

_PAGE_TYPES: Final = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
"""Media types that are pages. Other ``text/*`` (CSS, JavaScript, CSV, XML) are not."""
_SNIFFED_TYPES: Final = frozenset({None, "", "application/octet-stream", "unknown/unknown"})
"""Media types that say nothing: the payload's first bytes decide."""
_HTML_START: Final = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_CHARSET: Final = re.compile(r"""charset\s*=\s*["']?([^"';,\s]+)""", re.IGNORECASE)


def _media_type(value: str | None) -> str | None:
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower() or None


def _charset(value: str | None) -> str | None:
    if value is None:
        return None
    match = _CHARSET.search(value)
    return None if match is None else match.group(1)


def _is_page(media_type: str | None, body: bytes) -> bool:
    """HTML or plain text by the declared media type; when the type says nothing, the first
    bytes must open an HTML document."""
    if media_type in _PAGE_TYPES:
        return True
    if media_type in _SNIFFED_TYPES:
        return _HTML_START.match(body[:4096]) is not None
    return False


def _tokens(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        token.strip().lower()
        for value in values
        for token in value.split(",")
        if token.strip() and token.strip().lower() != "identity"
    )


def _warc_date(value: str | None) -> datetime.datetime | None:
    """``WARC-Date`` (ISO 8601, UTC by the standard) as an aware UTC datetime."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


class _Decoding(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


_CHUNK_SIZE: Final = re.compile(rb"[0-9a-fA-F]+")


def _dechunk(body: bytes, bound: int) -> bytes:
    """Undo chunked transfer encoding. A body whose first line is not a chunk size was
    stored de-chunked already (some crawlers do, and keep the header): it is kept as is."""
    first = body.split(b"\n", 1)[0].split(b";", 1)[0].strip()
    if not _CHUNK_SIZE.fullmatch(first):
        return body
    out = bytearray()
    pos = 0
    while True:
        line_end = body.find(b"\n", pos)
        if line_end == -1:
            raise _Decoding("bad-transfer-encoding", f"chunks break off at payload byte {pos}")
        size_text = body[pos:line_end].split(b";", 1)[0].strip()
        if not _CHUNK_SIZE.fullmatch(size_text):
            raise _Decoding("bad-transfer-encoding", f"not a chunk size at payload byte {pos}")
        size = int(size_text, 16)
        start = line_end + 1
        if size == 0:
            return bytes(out)
        if start + size > len(body):
            raise _Decoding(
                "bad-transfer-encoding",
                f"a chunk of {size} bytes at payload byte {pos} is cut short",
            )
        out += body[start : start + size]
        if len(out) > bound:
            raise _Decoding("too-large", f"the de-chunked payload is over {bound} bytes")
        pos = start + size
        if body.startswith(b"\r\n", pos):
            pos += 2
        elif body.startswith(b"\n", pos):
            pos += 1


def _decode(body: bytes, coding: str, bound: int) -> bytes:
    """Undo one Content-Encoding, producing at most ``bound + 1`` bytes."""
    if coding in ("gzip", "x-gzip"):
        if not body.startswith(b"\x1f\x8b"):
            return body  # stored decoded, header kept (some crawlers do)
        return _inflate(body, 31, bound, coding)
    if coding == "deflate":
        # Servers send both zlib-wrapped and raw deflate under this name.
        wbits = 15 if len(body) >= 2 and (body[0] * 256 + body[1]) % 31 == 0 else -15
        return _inflate(body, wbits, bound, coding)
    if coding == "br":
        return _unbrotli(body, bound)
    raise _Decoding("bad-content-encoding", f"an unsupported Content-Encoding: {coding}")


def _inflate(body: bytes, wbits: int, bound: int, coding: str) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(body, bound + 1)
    except zlib.error as err:
        raise _Decoding(
            "bad-content-encoding", f"the payload does not decode as {coding} ({err})"
        ) from err
    if len(out) > bound:
        raise _Decoding("too-large", f"the payload decodes to over {bound} bytes ({coding})")
    return out


def _unbrotli(body: bytes, bound: int) -> bytes:
    decompressor = brotli.Decompressor()
    try:
        out = decompressor.process(body, output_buffer_limit=bound + 1)
    except brotli.error as err:
        raise _Decoding(
            "bad-content-encoding", f"the payload does not decode as br ({err})"
        ) from err
    if len(out) > bound:
        raise _Decoding("too-large", f"the payload decodes to over {bound} bytes (br)")
    return bytes(out)
