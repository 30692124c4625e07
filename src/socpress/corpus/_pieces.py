"""Pieces of web archives: the parts that readers in other processes (or on other
machines) read alone, and the merge that makes their records one reader's.

A piece is a whole archive, one WARC of a WACZ, or the gzip members of a ``.warc.gz`` that
start in a byte range. ``plan_pieces`` splits an archive without reading its records;
``PieceReader`` reads one piece, each entry tagged with its gzip member; ``RangeCheck``
takes a range's entries after the ranges before it.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final

import attrs

from socpress._read.source import DEFAULT_MAX_BYTES
from socpress.corpus import _arc_frames
from socpress.corpus._archives import (
    GZIP_MAGIC,
    ZIP_MAGIC,
    ArchiveEntry,
    Steps,
    gzip_steps,
    is_regular,
    iter_archive,
    next_member,
    wacz_member,
    wacz_members,
)
from socpress.corpus._payload import Where

__all__ = ["RANGE_BYTES", "Mismatch", "Piece", "PieceReader", "RangeCheck", "pinned", "plan_pieces"]

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
    directory reads), a ``.warc.gz`` over ``range_bytes`` (``RANGE_BYTES``) by byte ranges
    of equal size, at most ``range_bytes`` each, anything else whole. Reads only the file's
    head and a WACZ's directory, never the records."""
    archive = os.fspath(path)
    whole = (Piece(archive=archive),)
    if not is_regular(path):
        return whole
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            if head.startswith(ZIP_MAGIC):
                names = wacz_members(handle)
                if names is None:
                    return whole
                return tuple(Piece(archive=archive, member=name) for name in names)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return whole
    range_bytes = range_bytes or RANGE_BYTES
    if not head.startswith(GZIP_MAGIC) or size <= range_bytes:
        return whole
    # As many ranges as ``range_bytes`` needs, of equal size: an archive just over one range
    # is two halves, not a whole range and a sliver.
    count = -(-size // range_bytes)
    bounds = [size * n // count for n in range(count)]
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
                    for entry in wacz_member(
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
            begin = next_member(raw, piece.start, arc=arc)
        if begin is None:
            return None
        return (yield from gzip_steps(raw, where, self.max_payload, begin, arc=arc, stop=piece.end))


class Mismatch(Exception):
    """A range's member chain never met the member the range before it goes on at: read
    the range again, pinned at ``start``."""

    def __init__(self, start: int | None) -> None:
        super().__init__(start)
        self.start = start


CHAIN_LOST: Final = -1
"""``next_start`` of a piece whose reading was lost before its end (every worker died
framing the same record): the range after it is taken from its own first member."""


class RangeCheck:
    """The merge of one piece's entries after the pieces of its archive before it:
    ``take`` says whether an entry (by its member, ``step``) is the piece's, ``done`` where
    the chain goes on after it. ``expected`` is the member the pieces before it said the
    chain goes on at (``None``: the end of the file; ``CHAIN_LOST``: unknown). A piece that
    starts the file, a pinned one, one after a lost chain and one that is not a byte range
    are taken whole."""

    def __init__(self, piece: Piece, expected: int | None) -> None:
        self.expected = expected
        self.trusted = piece.pinned or not piece.start or expected == CHAIN_LOST
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
