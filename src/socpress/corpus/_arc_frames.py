"""ARC framing: the Internet Archive's format before WARC (``.arc``, ``.arc.gz``), cut into
records by their header lines and lengths, as the WARC framer cuts WARC records.

An ARC file is a ``filedesc://`` record (the file's own description) and then one record per
capture: a header line ``URL IP-address Archive-date Content-type [...] Archive-length``
(version 1 has those five fields, version 2 ten, the length always last), the block of
``Archive-length`` bytes (an HTTP response as received, header included) and a newline.
Each record becomes a ``socpress.corpus._warc_frames.Frame`` whose header says what a
WARC ``response`` record would (URL, date in ISO 8601, ``application/http`` when the block
holds an HTTP response), so the payload rules are the WARC ones. The ``filedesc`` record is
a ``warcinfo``. A header line that cannot be read, or a block that does not end where the
next record begins, is damage; reading resumes at the next header line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Final

from socpress.corpus._warc_frames import CHUNK, MAX_RECORD, Damage, Frame, Header

__all__ = ["ArcFramer", "starts_arc"]

_MAX_LINE: Final = 8 * 1024
_NOT_BLANK: Final = re.compile(rb"[^\r\n]")


def starts_arc(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes, decompressed) opens an ARC file."""
    end = head.find(b"\n", 0, _MAX_LINE)
    return head.startswith(b"filedesc://") and end != -1 and _parse_line(head[:end]) is not None


_SCHEME: Final = re.compile(rb"[A-Za-z][A-Za-z0-9+.\-]{0,31}")
_DIGITS: Final = re.compile(rb"[0-9]+")


def _parse_line(line: bytes) -> Header | None:
    """An ARC header line, without its newline; ``None`` when it is not one. Version 1 has
    five fields (``URL IP-address Archive-date Content-type Archive-length``; a URL with
    spaces, which some crawlers wrote, is what stands before the last four); version 2 ten,
    the date third. The length is always last."""
    fields = line.rstrip(b"\r").split(b" ")
    if len(fields) < 5 or not _DIGITS.fullmatch(fields[-1]):
        return None
    if _is_date(fields[-3]):
        url, date, ctype = b" ".join(fields[:-4]), fields[-3], fields[-2]
    elif len(fields) == 10 and _is_date(fields[2]):
        url, date, ctype = fields[0], fields[2], fields[3]
    else:
        return None
    scheme, colon, _ = url.partition(b":")
    if not colon or not _SCHEME.fullmatch(scheme):
        return None
    return _header(url, date, ctype, int(fields[-1]), line)


def _is_date(field: bytes) -> bool:
    return 8 <= len(field) <= 14 and _DIGITS.fullmatch(field) is not None


def starts_record(head: bytes) -> bool:
    """Whether ``head`` opens an ARC record (a whole header line)."""
    end = head.find(b"\n", 0, _MAX_LINE)
    return end != -1 and _parse_line(head[:end]) is not None


def _never() -> bool:
    return False


class ArcFramer:
    """Splits a stream of decompressed ARC bytes into records (see the module doc)."""

    def __init__(self, chunks: Iterator[bytes], complete: Callable[[], bool] = _never) -> None:
        self._chunks = chunks
        self._complete = complete
        self._buf = bytearray()
        self._pos = 0
        self._eof = False

    def _fill(self, size: int) -> bool:
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

    def _resync(self) -> None:
        """Drop bytes up to the next header line after the first byte (all at the end)."""
        start = 1
        while True:
            newline = self._buf.find(b"\n", start)
            while newline != -1:
                end = self._buf.find(b"\n", newline + 1, newline + 1 + _MAX_LINE)
                if end == -1 and not self._eof and len(self._buf) - newline <= _MAX_LINE:
                    break  # the line is not all here yet
                if end != -1 and _parse_line(bytes(self._buf[newline + 1 : end])) is not None:
                    self._drop(newline + 1)
                    return
                newline = self._buf.find(b"\n", newline + 1)
            if self._eof:
                self._drop(len(self._buf))
                return
            keep = newline if newline != -1 else max(len(self._buf) - 1, 0)
            self._drop(keep)
            start = 0
            self._fill(len(self._buf) + CHUNK)

    def __iter__(self) -> Iterator[Frame | Damage]:
        while True:
            while True:
                if not self._fill(1):
                    return
                match = _NOT_BLANK.search(self._buf)
                self._drop(len(self._buf) if match is None else match.start())
                if self._buf:
                    break
            at = self._pos
            self._fill(_MAX_LINE)
            line_end = self._buf.find(b"\n", 0, _MAX_LINE)
            header = None if line_end == -1 else _parse_line(bytes(self._buf[:line_end]))
            if header is None:
                if line_end == -1 and self._eof:
                    self._drop(len(self._buf))
                    yield Damage(at, "truncated-record", "the data ends inside an ARC header line")
                    return
                self._resync()
                yield Damage(at, "bad-header", f"{self._pos - at} bytes that are not an ARC record")
                continue
            start = line_end + 1
            length = header.length or 0
            if length > MAX_RECORD:
                self._drop(len(self._buf))
                self._resync()
                message = f"an ARC block of {length} bytes, over 64 MiB"
                yield Damage(at, "too-large", message, header)
                continue
            end = start + length
            if not self._fill(end):
                got = len(self._buf) - start
                if self._complete():
                    self._resync()
                    message = f"its length ({length}) runs past the data"
                    yield Damage(at, "bad-content-length", message, header)
                    continue
                self._drop(len(self._buf))
                yield Damage(
                    at,
                    "truncated-record",
                    f"cut short: {got} of its {length} block bytes are there",
                    header,
                )
                return
            self._fill(end + 1 + _MAX_LINE)
            rest = bytes(self._buf[end : end + _MAX_LINE]).lstrip(b"\r\n")
            if rest and not starts_record(rest) and not (self._eof and b"\n" not in rest):
                self._resync()
                yield Damage(
                    at,
                    "bad-content-length",
                    f"its length ({length}) does not end it where the next record begins; "
                    "reading resumed at the next record",
                    header,
                )
                continue
            block = bytes(self._buf[start:end])
            self._drop(end)
            yield Frame(at, header, block)


def _header(raw_url: bytes, raw_date: bytes, raw_ctype: bytes, length: int, line: bytes) -> Header:
    url = raw_url.decode("latin-1")
    date = raw_date.decode("ascii").ljust(14, "0")
    iso = f"{date[0:4]}-{date[4:6]}-{date[6:8]}T{date[8:10]}:{date[10:12]}:{date[12:14]}Z"
    ctype = raw_ctype.decode("latin-1")
    filedesc = url.startswith("filedesc:")
    return Header(
        raw=line,
        warc_type="warcinfo" if filedesc else "response",
        length=length,
        record_id=None,
        url=None if filedesc else url,
        date=iso,
        content_type=ctype,
        truncated=None,
        segmented=False,
    )
