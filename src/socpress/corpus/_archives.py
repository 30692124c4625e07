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

import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final

import attrs

from socpress._read.source import DEFAULT_MAX_BYTES
from socpress.corpus._payload import (
    BROKEN_KINDS,
    SKIP_REASONS,
    ArchiveEntry,
    BrokenRecord,
    PageRecord,
    SkippedRecord,
    Where,
    records,
)
from socpress.corpus._warc_frames import CHUNK, WARC_MAGIC, Framer

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

_GZIP_MAGIC: Final = b"\x1f\x8b\x08"
_ZIP_MAGIC: Final = b"PK\x03\x04"
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
    if head.startswith(WARC_MAGIC):
        return True
    if head.startswith(_GZIP_MAGIC):
        try:
            return zlib.decompressobj(31).decompress(head, 16).startswith(WARC_MAGIC)
        except zlib.error:
            return False
    return False


def iter_archive(path: Path, *, max_payload: int = DEFAULT_MAX_BYTES) -> Iterator[ArchiveEntry]:
    """Every record of a WARC, gzipped WARC or WACZ, in file order, as a page, a skip or a
    damage report. Never raises for damaged data; an unreadable file gives one
    ``BrokenRecord``."""
    archive = os.fspath(path)
    where = Where(archive, None)
    if not _is_regular(path):
        yield where.broken(0, None, "unreadable", "cannot read: not a regular file")
        return
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            handle.seek(0)
            by_suffix = archive.lower().endswith(".wacz")
            if head.startswith(_ZIP_MAGIC) or (
                by_suffix and not head.startswith((WARC_MAGIC[:4], _GZIP_MAGIC))
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


# --- WACZ ------------------------------------------------------------------------------


def _iter_wacz(handle: BinaryIO, archive: str, max_payload: int) -> Iterator[ArchiveEntry]:
    where = Where(archive, None)
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
        member = Where(archive, name)
        try:
            with package.open(name) as stream:
                yield from _iter_warc(stream, member, max_payload)  # type: ignore[arg-type]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
            yield member.broken(0, None, "bad-zip", f"cannot read this WARC in the WACZ: {err}")


# --- WARC framing ----------------------------------------------------------------------


def _iter_warc(raw: BinaryIO, where: Where, max_payload: int) -> Iterator[ArchiveEntry]:
    head = raw.read(64)
    raw.seek(0)
    if head.startswith(_GZIP_MAGIC):
        yield from _iter_gzip(raw, where, max_payload, 0)
        return
    if not head.lstrip(b"\r\n").startswith(WARC_MAGIC):
        # A gzipped WARC whose first member's header is damaged: the next member decides.
        found = _next_member(raw, 0)
        if found is not None:
            yield where.broken(0, None, "bad-gzip", f"bytes up to {found} that are not gzip")
            yield from _iter_gzip(raw, where, max_payload, found)
            return
        raw.seek(0)
    frames = Framer(iter(lambda: raw.read(CHUNK), b""))
    yield from records(frames, where, None, max_payload)


def _iter_gzip(raw: BinaryIO, where: Where, max_payload: int, start: int) -> Iterator[ArchiveEntry]:
    """Member by member: each member is framed on its own (records never span members)."""
    cursor = _RawCursor(raw)
    while True:
        if cursor.tell() != start:
            cursor.seek(start)
        member = _GzipMember(cursor)
        framer = Framer(member.chunks(), member.is_complete)
        pending: BrokenRecord | None = None
        for entry in records(framer, where, start, max_payload):
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
            data = self.raw.read(CHUNK)
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
        data = raw.read(CHUNK)
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
        return zlib.decompressobj(31).decompress(data, 8).startswith(WARC_MAGIC)
    except zlib.error:
        return False
