"""A zip file read by its local entries, for a WACZ whose central directory is cut off (a
copy or download that stopped early): every member whose local header is whole is found
by walking the headers from the start, and its data (to the cut, for the last one) is read.

Only what a WACZ holds is supported: members stored or deflated, sizes in the local header
or (deflated) found by inflating to the end of the stream; anything else is named, never
guessed.
"""

from __future__ import annotations

import io
import struct
import tempfile
import zlib
from collections.abc import Iterator
from typing import IO, BinaryIO, Final

import attrs

__all__ = ["LocalMember", "local_members", "open_member"]

_LOCAL: Final = b"PK\x03\x04"
_FIXED: Final = struct.Struct("<4sHHHHHIIIHH")
_STORED: Final = 0
_DEFLATED: Final = 8
_DESCRIPTOR: Final = 0x08
_ENCRYPTED: Final = 0x01
_SPOOL: Final = 8 * 1024 * 1024


@attrs.frozen
class LocalMember:
    """One member found by its local header: where its data starts, how it is stored and,
    when the local header says, its compressed size; ``problem`` when it cannot be read."""

    name: str
    data_at: int
    method: int
    size: int | None
    problem: str | None = None


def local_members(handle: BinaryIO) -> Iterator[LocalMember]:
    """The members in file order, until the local headers stop (a central directory, or the
    cut). A member whose size is unknown ends the walk after it (its end is not known)."""
    handle.seek(0, io.SEEK_END)
    file_end = handle.tell()
    at = 0
    while True:
        handle.seek(at)
        fixed = handle.read(_FIXED.size)
        if len(fixed) < _FIXED.size or not fixed.startswith(_LOCAL):
            return
        _, _, flags, method, _, _, _, csize, _, name_len, extra_len = _FIXED.unpack(fixed)
        raw_name = handle.read(name_len)
        extra = handle.read(extra_len)
        if len(raw_name) < name_len or len(extra) < extra_len:
            return
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        data_at = at + _FIXED.size + name_len + extra_len
        size: int | None = csize
        if csize == 0xFFFFFFFF:
            size = _zip64_size(extra)
        if flags & _DESCRIPTOR and not csize:
            size = None
        problem = None
        if flags & _ENCRYPTED:
            problem = "the member is encrypted"
        elif method not in (_STORED, _DEFLATED):
            problem = f"the member's compression method ({method}) is not supported"
        elif size is None and method == _STORED:
            problem = "a stored member whose size its local header does not give"
        yield LocalMember(name, data_at, method, size, problem)
        if size is None:
            return
        at = data_at + size
        if flags & _DESCRIPTOR:
            handle.seek(at)
            head = handle.read(4)
            at += 16 if head == b"PK\x07\x08" else 12
        if at >= file_end:
            return


def _zip64_size(extra: bytes) -> int | None:
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        if tag == 0x0001 and length >= 16:
            return int(struct.unpack_from("<Q", extra, pos + 12)[0])
        pos += 4 + length
    return None


def open_member(handle: BinaryIO, member: LocalMember, budget: int) -> IO[bytes]:
    """A seekable file of the member's data, up to the cut: a window on the zip for a stored
    member, the inflated data (at most ``budget`` bytes) for a deflated one."""
    handle.seek(0, io.SEEK_END)
    file_end = handle.tell()
    available = file_end - member.data_at
    size = available if member.size is None else min(member.size, available)
    if member.method == _STORED:
        handle.seek(member.data_at)
        return io.BufferedReader(_Window(handle, member.data_at, size))
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 (returned open)
    inflater = zlib.decompressobj(-15)
    handle.seek(member.data_at)
    left = size
    written = 0
    while left > 0 and not inflater.eof and written <= budget:
        piece = handle.read(min(left, 1024 * 1024))
        if not piece:
            break
        left -= len(piece)
        try:
            data = inflater.decompress(piece, budget + 1 - written)
            while data:
                out.write(data)
                written += len(data)
                if written > budget or not inflater.unconsumed_tail:
                    break
                data = inflater.decompress(inflater.unconsumed_tail, budget + 1 - written)
        except zlib.error:
            break  # what inflated before the damage is read; the rest is cut
    out.seek(0)
    return out


class _Window(io.RawIOBase):
    """Bytes ``start`` to ``start + size`` of ``handle``, as a seekable file of their own."""

    def __init__(self, handle: BinaryIO, start: int, size: int) -> None:
        super().__init__()
        self._handle = handle
        self._start = start
        self._size = size
        self._at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: self._size}[whence]
        self._at = max(0, min(base + offset, self._size))
        return self._at

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self._size - self._at)
        if count <= 0:
            return 0
        self._handle.seek(self._start + self._at)
        data = self._handle.read(count)
        buffer[: len(data)] = data
        self._at += len(data)
        return len(data)
