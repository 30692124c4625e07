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
    "Mismatch",
    "PageRecord",
    "Piece",
    "PieceReader",
    "SkippedRecord",
    "is_archive",
    "iter_archive",
    "pinned",
    "plan_pieces",
]

_GZIP_MAGIC: Final = b"\x1f\x8b\x08"
_ZIP_MAGIC: Final = b"PK\x03\x04"
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
    if not _is_regular(path):  # never open a FIFO or a device to sniff it: it may block
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if head.startswith(WARC_MAGIC) or _arc_frames.starts_arc(head):
        return True
    if head.startswith(_GZIP_MAGIC):
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


# --- pieces: parts of an archive that readers read alone -----------------------------

RANGE_BYTES: Final = 8 * 1024 * 1024
"""A gzipped WARC larger than this is read in byte ranges of this size, one reader each."""


@attrs.frozen(kw_only=True)
class Piece:
    """A part of one archive that one reader reads alone, in another process or on another
    machine: the whole file, one WARC of a WACZ, or the gzip members of a ``.warc.gz`` that
    start in the byte range ``start`` to ``end``. Picklable."""

    archive: str
    """The archive path as given."""
    member: str | None = None
    """The WARC inside a WACZ this piece is, else ``None``."""
    start: int = 0
    """The range's first byte; the reader starts at the first gzip member at or after it
    that inflates to a record (``pinned``: at ``start`` itself, a known member start)."""
    end: int | None = None
    """Where the range ends (members that start here or later belong to the next);
    ``None``: the end of the file. A piece with ``start == 0`` and no ``end`` is the file."""
    pinned: bool = False

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.end is None and self.member is None


def plan_pieces(path: Path, range_bytes: int | None = None) -> tuple[Piece, ...]:
    """The pieces of an archive, in reading order: a WACZ by its WARCs (when its central
    directory reads), a ``.warc.gz`` over ``range_bytes`` (``RANGE_BYTES``) by byte ranges,
    anything else whole. Reads only the file's head and a WACZ's directory, never the records."""
    archive = os.fspath(path)
    whole = (Piece(archive=archive),)
    if not _is_regular(path):
        return whole
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            if head.startswith(_ZIP_MAGIC):
                names = _wacz_members(handle)
                if names is None:
                    return whole
                return tuple(Piece(archive=archive, member=name) for name in names)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return whole
    range_bytes = range_bytes or RANGE_BYTES
    if not head.startswith(_GZIP_MAGIC) or size <= range_bytes:
        return whole
    bounds = list(range(0, size, range_bytes))
    return tuple(
        Piece(archive=archive, start=low, end=None if high >= size else high)
        for low, high in zip(bounds, [*bounds[1:], size], strict=True)
    )


class PieceReader:
    """The entries of one piece, each with the offset of the gzip member that gave it
    (``None`` outside a byte range); after the iteration, ``next_start`` is where the member
    chain goes on past the range (``None``: the end of the file, or not a range).

    A range's reader finds its first member by the resynchronisation of damaged data (the
    next gzip magic that inflates to a record), which a record's payload can fool (a
    ``.warc.gz`` stored in a record); the member chain itself is exact. So the merge takes
    a range's entries only from the member where the range before it said its chain goes
    on (``next_start``), and reads the range again from there, ``pinned``, if its chain
    never met that member."""

    def __init__(self, piece: Piece, *, max_payload: int = DEFAULT_MAX_BYTES) -> None:
        self.piece = piece
        self.max_payload = max_payload
        self.next_start: int | None = None

    def __iter__(self) -> Iterator[tuple[int | None, ArchiveEntry]]:
        piece = self.piece
        if piece.whole:
            for entry in iter_archive(Path(piece.archive), max_payload=self.max_payload):
                yield None, entry
            return
        where = Where(piece.archive, piece.member)
        try:
            with open(piece.archive, "rb") as handle:
                if piece.member is not None:
                    package = zipfile.ZipFile(handle)
                    for entry in _wacz_member(
                        package, piece.archive, piece.member, self.max_payload
                    ):
                        yield None, entry
                    return
                self.next_start = yield from self._range(handle, where)
        except (OSError, zipfile.BadZipFile) as err:
            yield None, where.broken(piece.start, None, "unreadable", f"cannot read: {err}")

    def _range(self, raw: BinaryIO, where: Where) -> Steps:
        piece = self.piece
        head = raw.read(64 * 1024)
        try:
            inflated = zlib.decompressobj(31).decompress(head, 4096)
        except zlib.error:
            inflated = b""
        arc = _arc_frames.starts_arc(inflated)
        begin: int | None = piece.start
        if piece.start and not piece.pinned:
            begin = _next_member(raw, piece.start, arc=arc)
        if begin is None:
            return None
        return (
            yield from _gzip_steps(raw, where, self.max_payload, begin, arc=arc, stop=piece.end)
        )


class Mismatch(Exception):
    """A range's member chain never met the member the range before it goes on at: read
    the range again, pinned at ``start``."""

    def __init__(self, start: int | None) -> None:
        super().__init__(start)
        self.start = start


class RangeCheck:
    """The merge of one piece's entries after the pieces of its archive before it:
    ``take`` says whether an entry (by its member, ``step``) is the piece's, ``done`` where
    the chain goes on after it. ``expected`` is the member the pieces before it said the
    chain goes on at (``None``: the end of the file). A piece that starts the file, a
    pinned one, and one that is not a byte range are taken whole."""

    def __init__(self, piece: Piece, expected: int | None) -> None:
        self.expected = expected
        self.trusted = piece.pinned or not piece.start
        self.void = not self.trusted and (
            expected is None or (piece.end is not None and expected >= piece.end)
        )
        self.met = self.trusted

    def take(self, step: int | None) -> bool:
        """Whether the entry of member ``step`` is the piece's; ``Mismatch`` when the chain
        went past the expected member."""
        if self.met or self.void:
            return not self.void
        if step is None or step < (self.expected or 0):
            return False  # a member inside the last member before the range
        if step == self.expected:
            self.met = True
            return True
        raise Mismatch(self.expected)

    def done(self, next_start: int | None) -> int | None:
        """Where the chain goes on after the piece; ``Mismatch`` if it never met it."""
        if self.void:
            return self.expected
        if self.met:
            return next_start
        raise Mismatch(self.expected)


def pinned(piece: Piece, start: int | None) -> Piece:
    """The piece read again from the member ``start`` (after a ``Mismatch``)."""
    return attrs.evolve(piece, start=start or 0, pinned=True)


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
        yield from _wacz_member(package, archive, name, max_payload)


def _wacz_members(handle: BinaryIO) -> list[str] | None:
    """The WARCs of a WACZ by its central directory, in reading order; ``None`` when the
    directory cannot be read or holds none (the whole file is then one piece)."""
    try:
        package = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    names = sorted(info.filename for info in package.infolist() if _wanted(info.filename))
    return names or None


def _wacz_member(
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
    if head.startswith(_GZIP_MAGIC):
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
        found = _next_member(raw, 0)
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
    for _, entry in _gzip_steps(raw, where, max_payload, start, arc=arc):
        yield entry


Steps = Generator[tuple[int, ArchiveEntry], None, int | None]
"""Entries tagged with the offset of the gzip member (the step of the member chain) that
gave them; the generator returns where the chain goes on after its stop (``None``: the
end of the file)."""


def _gzip_steps(
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
            found = _next_member(raw, cursor.tell(), arc=arc)
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
        found = _next_member(raw, start + 1, arc=arc)
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
        elif lead == _GZIP_MAGIC:
            self.end = after
        else:  # junk after the member, or a damaged member header
            self.junk_at = after
            self.end = _next_member(cursor.raw, after)


def _next_member(raw: BinaryIO, start: int, *, arc: bool = False) -> int | None:
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
            if _member_starts_warc(raw, candidate, arc=arc):
                return candidate
            at = window.find(_GZIP_MAGIC, at + 1)
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
