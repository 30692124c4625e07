"""Web archives in: WARC, gzipped WARC and WACZ files read into page records.

The one module that imports the WARC library (warcio). ``iter_archive`` yields one entry
per WARC record, in file order, and one for every stretch of bytes it could not read, so
that every record is accounted for:

* ``PageRecord``: a ``response`` or ``resource`` record that carries a page (HTML or
  plain text), with its payload de-chunked and its ``Content-Encoding`` undone;
* ``SkippedRecord``: a record that is not a page, with a stable ``reason``
  (``SKIP_REASONS``);
* ``BrokenRecord``: a record (or stretch of bytes) that cannot be read whole, with a
  stable ``kind`` (``BROKEN_KINDS``); reading goes on after it.

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

Bounds. Headers longer than ``MAX_HEADER``, blocks longer than ``MAX_RECORD`` (they
are skipped without being held in memory) and payloads that decode to more than
``max_payload`` bytes (a decompression bomb) are named, not read.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO, Final

import attrs

from socpress._read.source import DEFAULT_MAX_BYTES
from socpress.corpus import _arc_frames, _zip_local
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
from socpress.corpus._warc_frames import CHUNK, MAX_RECORD, WARC_MAGIC, Damage, Frame, Framer

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

GZIP_MAGIC: Final = b"\x1f\x8b\x08"
ZIP_MAGIC: Final = b"PK\x03\x04"
_ARCHIVE_SUFFIXES: Final = (".warc", ".warc.gz", ".wacz", ".arc", ".arc.gz")
MAX_RATIO: Final = 100
"""A gzip or zip member that has inflated past ``MAX_RECORD`` bytes to over this many
times the compressed bytes it came from is a decompression bomb (``over-budget``): web pages
compress 3 to 15 times, a run of one byte over 1,000."""

Frames = Iterable[Frame | Damage]
FramerFactory = Callable[..., Frames]


def is_archive(path: Path) -> bool:
    """Whether ``path`` names a WARC, gzipped WARC or WACZ file: by its suffix, else by its
    first bytes (``WARC/``, or a gzip member that starts with ``WARC/``)."""
    name = path.name.lower()
    if name.endswith(_ARCHIVE_SUFFIXES):
        return True
    if not is_regular(path):  # never open a FIFO or a device to sniff it: it may block
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if head.startswith(WARC_MAGIC) or _arc_frames.starts_arc(head):
        return True
    if head.startswith(GZIP_MAGIC):
        try:
            inflated = zlib.decompressobj(31).decompress(head, 4096)
        except zlib.error:
            return False
        return inflated.startswith(WARC_MAGIC) or _arc_frames.starts_arc(inflated)
    return False


def iter_archive(path: Path, *, max_payload: int = DEFAULT_MAX_BYTES) -> Iterator[ArchiveEntry]:
    """Every record of a WARC, gzipped WARC or WACZ, in file order, as a page, a skip or a
    damage report. Never raises for damaged data; an unreadable file gives one
    ``BrokenRecord``."""
    archive = os.fspath(path)
    where = Where(archive, None)
    if not is_regular(path):
        yield where.broken(0, None, "unreadable", "cannot read: not a regular file")
        return
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            handle.seek(0)
            by_suffix = archive.lower().endswith(".wacz")
            if head.startswith(ZIP_MAGIC) or (
                by_suffix and not head.startswith((WARC_MAGIC[:4], GZIP_MAGIC))
            ):
                yield from _iter_wacz(handle, archive, max_payload)
            else:
                yield from _iter_warc(handle, where, max_payload)
    except OSError as err:
        yield where.broken(0, None, "unreadable", f"cannot read: {err}")


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


# --- WACZ ------------------------------------------------------------------------------


def _iter_wacz(handle: BinaryIO, archive: str, max_payload: int) -> Iterator[ArchiveEntry]:
    where = Where(archive, None)
    try:
        package = zipfile.ZipFile(handle)
        names = sorted(info.filename for info in package.infolist() if _wanted(info.filename))
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        yield from _iter_local_wacz(handle, archive, max_payload, err)
        return
    if not names:
        yield where.broken(0, None, "bad-zip", "a WACZ without WARC files under archive/")
    for name in names:
        yield from wacz_member(package, archive, name, max_payload)


def wacz_members(handle: BinaryIO) -> list[str] | None:
    """The WARCs of a WACZ by its central directory, in reading order; ``None`` when the
    directory cannot be read or holds none (the whole file is then one piece)."""
    try:
        package = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    names = sorted(info.filename for info in package.infolist() if _wanted(info.filename))
    return names or None


def wacz_member(
    package: zipfile.ZipFile, archive: str, name: str, max_payload: int
) -> Iterator[ArchiveEntry]:
    member = Where(archive, name)
    try:
        size = package.getinfo(name).compress_size
        with package.open(name) as stream:
            budgeted = _Budgeted(stream, size)
            yield from _iter_warc(budgeted, member, max_payload)  # type: ignore[arg-type]
    except _OverBudget as err:
        yield member.broken(0, None, "over-budget", str(err))
    except Exception as err:  # encrypted, deflate64, a damaged member: this member only
        yield member.broken(
            0,
            None,
            "bad-zip",
            f"cannot read this WARC in the WACZ ({type(err).__name__}: {err})",
        )


def _wanted(name: str) -> bool:
    return name.startswith("archive/") and name.lower().endswith((".warc", ".warc.gz"))


def _iter_local_wacz(
    handle: BinaryIO, archive: str, max_payload: int, err: Exception
) -> Iterator[ArchiveEntry]:
    """A WACZ whose central directory is missing or damaged: its members by their local
    headers, the whole ones read, the last one to the cut."""
    where = Where(archive, None)
    try:
        found = [m for m in _zip_local.local_members(handle) if _wanted(m.name)]
    except OSError as error:
        found, err = [], error
    if not found:
        yield where.broken(0, None, "bad-zip", f"not a readable WACZ (zip) file: {err}")
        return
    yield where.broken(
        0,
        None,
        "bad-zip",
        f"a WACZ without a readable central directory ({err}): its WARCs are read by their "
        "local headers, up to where the file ends",
    )
    for local in sorted(found, key=lambda m: m.name):
        member = Where(archive, local.name)
        if local.problem is not None:
            yield member.broken(
                0, None, "bad-zip", f"cannot read this WARC in the WACZ: {local.problem}"
            )
            continue
        try:
            with _zip_local.open_member(handle, local, _member_budget(local.size)) as stream:
                yield from _iter_warc(stream, member, max_payload)  # type: ignore[arg-type]
        except Exception as error:  # a damaged member: this member only
            yield member.broken(
                0,
                None,
                "bad-zip",
                f"cannot read this WARC in the WACZ ({type(error).__name__}: {error})",
            )


def _member_budget(size: int | None) -> int:
    return max(MAX_RECORD, MAX_RATIO * (size or 0))


class _OverBudget(Exception):
    pass


class _Budgeted:
    """A zip member's stream that stops (``_OverBudget``) once it has inflated past its
    budget."""

    def __init__(self, stream: IO[bytes], compressed: int) -> None:
        self._stream = stream
        self._budget = _member_budget(compressed)
        self._compressed = compressed

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if self._stream.tell() > self._budget:
            raise _OverBudget(
                f"this WARC inflates past {self._budget:,} bytes from {self._compressed:,}: "
                "the rest of it is not read"
            )
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()


# --- WARC framing ----------------------------------------------------------------------


def _iter_warc(raw: BinaryIO, where: Where, max_payload: int) -> Iterator[ArchiveEntry]:
    head = raw.read(64 * 1024)
    raw.seek(0)
    if head.startswith(GZIP_MAGIC):
        try:
            inflated = zlib.decompressobj(31).decompress(head, 4096)
        except zlib.error:
            inflated = b""
        arc = _arc_frames.starts_arc(inflated)
        yield from _iter_gzip(raw, where, max_payload, 0, arc=arc)
        return
    arc = _arc_frames.starts_arc(head)
    if not arc and not head.lstrip(b"\r\n").startswith(WARC_MAGIC):
        # A gzipped WARC whose first member's header is damaged: the next member decides.
        found = next_member(raw, 0)
        if found is not None:
            yield where.broken(0, None, "bad-gzip", f"bytes up to {found} that are not gzip")
            yield from _iter_gzip(raw, where, max_payload, found)
            return
        raw.seek(0)

    def reopen(offset: int) -> Iterator[bytes]:
        raw.seek(offset)
        return iter(lambda: raw.read(CHUNK), b"")

    chunks = iter(lambda: raw.read(CHUNK), b"")
    frames: Frames = _arc_frames.ArcFramer(chunks) if arc else Framer(chunks, reopen=reopen)
    yield from records(frames, where, None, max_payload)


def _iter_gzip(
    raw: BinaryIO, where: Where, max_payload: int, start: int, *, arc: bool = False
) -> Iterator[ArchiveEntry]:
    for _, entry in gzip_steps(raw, where, max_payload, start, arc=arc):
        yield entry


Steps = Generator[tuple[int, ArchiveEntry], None, int | None]
"""Entries tagged with the offset of the gzip member (the step of the member chain) that
gave them; the generator returns where the chain goes on after its stop (``None``: the
end of the file)."""


def gzip_steps(
    raw: BinaryIO,
    where: Where,
    max_payload: int,
    start: int,
    *,
    arc: bool = False,
    stop: int | None = None,
) -> Steps:
    """Member by member: each member is framed on its own (records never span members).
    With ``stop``, the chain ends before the first member that starts at or after it."""
    cursor = _RawCursor(raw)
    while True:
        if stop is not None and start >= stop:
            return start
        if cursor.tell() != start:
            cursor.seek(start)
        member = _GzipMember(cursor)
        framer: Frames = (
            _arc_frames.ArcFramer(member.chunks(), member.is_complete)
            if arc
            else Framer(member.chunks(), member.is_complete, member.reopen)
        )
        pending: BrokenRecord | None = None
        for entry in records(framer, where, start, max_payload):
            if pending is not None:
                yield start, pending
                pending = None
            if isinstance(entry, BrokenRecord) and entry.kind == "truncated-record":
                pending = entry  # cut by a gzip error, or by the end of the file?
            else:
                yield start, entry
        if member.over_budget:
            message = (
                f"gzip member at byte {start} inflates past {member.inflated:,} bytes from "
                f"{member.consumed:,} (over {MAX_RATIO} times, a decompression bomb): the rest "
                "of the member is not read"
            )
            yield start, where.broken(start, None, "over-budget", message)
            found = next_member(raw, cursor.tell(), arc=arc)
            if found is None:
                return None
            start = found
            continue
        if member.error is None:
            if pending is not None:
                yield start, pending
            if member.junk_at is not None:
                upto = "the end of the file" if member.end is None else f"byte {member.end}"
                yield (
                    start,
                    where.broken(
                        member.junk_at, None, "bad-gzip", f"bytes up to {upto} that are not gzip"
                    ),
                )
            if member.end is None:
                return None
            start = member.end
            continue
        message = (
            f"gzip member at byte {start} does not decompress ({member.error}) after "
            f"{member.inflated} decompressed bytes; the rest of the member is lost"
        )
        if pending is not None:
            yield (
                start,
                attrs.evolve(pending, kind="bad-gzip", message=f"{pending.source}: {message}"),
            )
        else:
            yield start, where.broken(start, None, "bad-gzip", message)
        found = next_member(raw, start + 1, arc=arc)
        if found is None:
            return None
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
        self.start = cursor.tell()
        self.consumed = 0
        self.over_budget = False
        self.end: int | None = None
        self.error: str | None = None
        self.complete = False
        self.inflated = 0
        self.junk_at: int | None = None

    def is_complete(self) -> bool:
        return self.complete

    def reopen(self, offset: int) -> Iterator[bytes]:
        """The member's decompressed bytes again, from ``offset`` (the framer rewinds to a
        record a lying Content-Length swallowed)."""
        self._cursor.seek(self.start)
        self.inflated = self.consumed = 0
        skip = offset
        for chunk in self.chunks():
            if skip >= len(chunk):
                skip -= len(chunk)
                continue
            yield chunk[skip:]
            skip = 0

    def chunks(self) -> Iterator[bytes]:
        cursor = self._cursor
        inflater = zlib.decompressobj(31)
        while True:
            piece = cursor.piece()
            if not piece:
                return  # the file ends inside the member
            try:
                out = inflater.decompress(piece, CHUNK)
            except zlib.error as err:
                self.error = str(err)
                return
            used = len(piece) - len(inflater.unconsumed_tail)
            self.inflated += len(out)
            self.consumed += used
            if self.inflated > MAX_RECORD and self.inflated > MAX_RATIO * self.consumed:
                self.over_budget = True
                cursor.advance(used)
                return
            if inflater.unconsumed_tail and not inflater.eof:
                cursor.advance(used)
                if out:
                    yield out
                continue
            if not inflater.eof:
                cursor.advance(len(piece))
                if out:
                    yield out
                continue
            # At the member's end the bytes after it are unused_data (zlib may also leave
            # them in unconsumed_tail when the output was capped: the same bytes).
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
        elif lead == GZIP_MAGIC:
            self.end = after
        else:  # junk after the member, or a damaged member header
            self.junk_at = after
            self.end = next_member(cursor.raw, after)


def next_member(raw: BinaryIO, start: int, *, arc: bool = False) -> int | None:
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
        at = window.find(GZIP_MAGIC)
        while at != -1:
            candidate = base + at
            if _member_starts_warc(raw, candidate, arc=arc):
                return candidate
            at = window.find(GZIP_MAGIC, at + 1)
        pos += len(data)
        tail = window[-2:]
        raw.seek(pos)


def _member_starts_warc(raw: BinaryIO, offset: int, *, arc: bool = False) -> bool:
    here = raw.tell()
    raw.seek(offset)
    data = raw.read(64 * 1024)
    raw.seek(here)
    try:
        head = zlib.decompressobj(31).decompress(data, 64)
    except zlib.error:
        return False
    return head.startswith(WARC_MAGIC) or (arc and _arc_frames.starts_record(head))
