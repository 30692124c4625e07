"""WARC framing: records cut out of a byte stream by their headers and lengths, with the
damage between them (a wrong Content-Length, a truncated record, junk) found and skipped so
that one bad record costs only itself; and the one WARC and HTTP header parse each.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from typing import Final

import attrs
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

MAX_HEADER: Final = 64 * 1024
"""A WARC or HTTP header block longer than this is not read (``bad-header``)."""
MAX_RECORD: Final = 64 * 1024 * 1024
"""A record block longer than this is skipped in a stream, never held in memory."""
CHUNK: Final = 1024 * 1024
WARC_MAGIC: Final = b"WARC/"
VERSIONS: Final = ("WARC/1.0", "WARC/1.1", "WARC/0.18", "WARC/0.17")
"""The record lines read: WARC 1.0 and 1.1, and the drafts ClueWeb09 and early crawlers
wrote (0.18, 0.17), whose records frame the same way."""
RUN_LIMIT: Final = 16
"""Damage reports in a row before the rest of the run is one account (with a count)."""


# --- the WARC library: one WARC header block, one HTTP header block ---------------------


@attrs.frozen
class Header:
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


_DIGITS: Final = re.compile(r"[0-9]+")
_WARC_PARSER: Final = StatusAndHeadersParser(list(VERSIONS))
_HTTP_PARSER: Final = StatusAndHeadersParser([], verify=False)


def _parse_header(raw: bytes) -> Header | str:
    """The WARC header block (``WARC/1.x`` to the blank line); a message when the WARC
    library refuses it."""
    try:
        headers: StatusAndHeaders = _WARC_PARSER.parse(io.BytesIO(raw))
        get = headers.get_header
        declared = get("Content-Length")
    except Exception as err:  # warcio raises its own parser errors, and ValueError
        return f"a WARC header the WARC library refuses ({type(err).__name__}: {err})"
    # ASCII digits only: str.isdigit() is also true for superscripts, which int() refuses.
    length = None
    if declared is not None and _DIGITS.fullmatch(declared.strip()):
        length = int(declared.strip())
    return Header(
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


def parse_http(header: Header, block: bytes) -> _Http | str:
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
    if not headers.protocol.upper().startswith("HTTP/") or not _DIGITS.fullmatch(status_text):
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
class Frame:
    """One framed record: where it starts in the decompressed data, its header, and its
    block (``None`` for a record that is not a page, or one skipped in a stream)."""

    at: int
    header: Header
    block: bytes | None


@attrs.frozen
class Damage:
    at: int
    kind: str
    message: str
    header: Header | None = None


_HEADER_END: Final = b"\r\n\r\n"
_RECORD_LINE: Final = re.compile(rb"WARC/(?:1\.[01]|0\.1[78])\r?\n")
_LINE_ROOM: Final = 12
"""Bytes a record line needs (``WARC/0.18\\r\\n`` and one more)."""
_NOT_BLANK: Final = re.compile(rb"[^\r\n]")


def _never() -> bool:
    return False


class Framer:
    """Splits a stream of decompressed bytes into WARC records by their Content-Length,
    checking that each ends where the next begins; on damage, resumes at the next
    ``WARC/1.`` line. ``complete`` says whether the data ended as it should (a gzip member
    that ended whole) rather than being cut."""

    def __init__(
        self,
        chunks: Iterator[bytes],
        complete: Callable[[], bool] = _never,
        reopen: Callable[[int], Iterator[bytes]] | None = None,
    ) -> None:
        self._chunks = chunks
        self._complete = complete
        self._reopen = reopen
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

    def _skip_stream(self, count: int) -> tuple[int, int | None]:
        """Discard ``count`` bytes without holding them; how many there were, and the
        offset of the first record line among them (where to resume if the length lied)."""
        dropped = 0
        first: int | None = None
        while dropped < count:
            if not self._buf and not self._fill(1):
                break
            take = min(count - dropped, len(self._buf))
            if first is None:
                self._fill(take + _LINE_ROOM)
                found = _RECORD_LINE.search(self._buf, 0, take + _LINE_ROOM)
                if found is not None and found.start() < take:
                    first = self._pos + found.start()
            self._drop(take)
            dropped += take
        return dropped, first

    def _restart(self, offset: int) -> None:
        """Read on from decompressed ``offset`` (earlier than the buffer), reopening."""
        assert self._reopen is not None
        self._chunks = self._reopen(offset)
        self._buf = bytearray()
        self._pos = offset
        self._eof = False

    def _find_record(self, start: int, stop: int | None = None) -> int:
        """Buffer index of the first ``WARC/1.0`` or ``WARC/1.1`` line between ``start``
        and ``stop``, -1 if the buffer holds none (yet). Not only at the start of a line:
        damage can take the newline before it."""
        found = _RECORD_LINE.search(self._buf, start, len(self._buf) if stop is None else stop)
        return -1 if found is None else found.start()

    def _resync(self, after: int) -> bool:
        """Drop bytes up to the next record line starting after buffer index ``after``;
        False (all dropped) at the end of the data."""
        start = after + 1
        while True:
            at = self._find_record(start)
            if at != -1:
                self._drop(at)
                return True
            if self._eof:
                self._drop(len(self._buf))
                return False
            if at == -1:
                # Junk: keep only a tail that could hold the start of a record line.
                keep = max(len(self._buf) - _LINE_ROOM, start)
                self._drop(keep - 1 if keep > 0 else 0)
                start = 1 if keep > 0 else start
            self._fill(len(self._buf) + CHUNK)

    def _ends_cleanly(self, start: int, end: int) -> bool:
        """Whether the block from buffer index ``start`` to ``end`` is followed by its
        CRLF CRLF and then another record or the end of the data; or by its CRLF CRLF and
        junk, when no record starts inside the block (else the length swallowed it)."""
        self._fill(end + 4 + len(WARC_MAGIC))
        gap = bytes(self._buf[end : end + 4])
        # Tolerate fewer or bare newlines, but only before a record or the end.
        newlines = len(gap) - len(gap.lstrip(b"\r\n"))
        if newlines == 0 and end < len(self._buf):
            return False
        rest = bytes(self._buf[end + newlines : end + newlines + len(WARC_MAGIC)])
        if rest == WARC_MAGIC or not rest.strip(b"\r\n"):
            return True
        return gap == _HEADER_END and self._find_record(start, end) == -1

    def __iter__(self) -> Iterator[Frame | Damage]:
        """The frames, with each run of damage in a row (junk, record lines without a
        record) reported once: damage without a header merges into the damage before it
        of the same kind, and after ``RUN_LIMIT`` reports in a row the rest of the run
        is one account. The account says how many there were and which bytes they span."""
        run = 0
        pending: Damage | None = None
        count = 0
        for frame in self._frames():
            if isinstance(frame, Frame):
                if pending is not None:
                    yield _account(pending, count, frame.at)
                    pending = None
                run = 0
                yield frame
                continue
            if pending is not None and (
                run >= RUN_LIMIT
                or (frame.header is None and pending.header is None and frame.kind == pending.kind)
            ):
                count += 1
                continue
            if pending is not None:
                yield _account(pending, count, frame.at)
            pending, count = frame, 1
            run += 1
        if pending is not None:
            yield _account(pending, count, self._pos)

    def _frames(self) -> Iterator[Frame | Damage]:
        while True:
            while True:  # blank lines between records are harmless
                if not self._fill(1):
                    return
                found = _NOT_BLANK.search(self._buf)  # a C scan, not a loop per byte
                self._drop(len(self._buf) if found is None else found.start())
                if self._buf:
                    break
            at = self._pos
            self._fill(len(WARC_MAGIC))
            if not self._buf.startswith(WARC_MAGIC):
                more = self._resync(-1)
                tail = "" if more else ", up to the end of the data"
                yield Damage(
                    at, "bad-header", f"{self._pos - at} bytes that are not a WARC record{tail}"
                )
                continue
            end, cut = self._header_end()
            if cut:
                # Another record starts inside this header: damage took this one's end.
                self._resync(0)
                yield Damage(at, "bad-header", "a WARC header cut short by the next record")
                continue
            if end == -1:
                if self._eof and len(self._buf) < MAX_HEADER:
                    self._drop(len(self._buf))
                    yield Damage(at, "truncated-record", "the data ends inside a WARC header")
                    return
                self._resync(0)
                yield Damage(at, "bad-header", "a WARC header that does not end within 64 KiB")
                continue
            header = _parse_header(bytes(self._buf[: end + 4]))
            if isinstance(header, str):
                self._resync(0)
                yield Damage(at, "bad-header", header)
                continue
            if header.length is None:
                self._resync(0)
                yield Damage(at, "bad-content-length", "no usable Content-Length", header)
                continue
            yield self._block(at, end + 4, header)

    def _header_end(self) -> tuple[int, bool]:
        """Where the header at the buffer's start ends (its CRLF CRLF), -1 if not within
        ``MAX_HEADER``; and whether the next record line comes first (the header is cut
        short). Only the bytes up to the next record line are searched, so a run of record
        lines costs each line's length, not 64 KiB a line."""
        while True:
            window = min(len(self._buf), MAX_HEADER)
            after = self._find_record(1, window)
            end = self._buf.find(_HEADER_END, 0, window if after == -1 else after)
            if end != -1:
                return end, False
            if after != -1:
                return -1, True
            if len(self._buf) >= MAX_HEADER or self._eof:
                return -1, False
            self._fill(len(self._buf) + 8192)

    def _block(self, at: int, start: int, header: Header) -> Frame | Damage:
        length = header.length
        assert length is not None
        if length > MAX_RECORD:
            self._drop(start)
            got, first = self._skip_stream(length)
            if got == length and self._ends_cleanly(0, 0):
                return Frame(at, header, None)
            if got < length and first is None and not self._complete():
                return Damage(at, "truncated-record", _cut(got, length), header)
            # The length lied: resume at the first record it swallowed, as for a small one.
            if first is not None and self._reopen is not None:
                self._restart(first)
            elif got == length:
                self._resync(-1)
            return Damage(at, "bad-content-length", _misframed(length), header)
        end = start + length
        if not self._fill(end):
            # Short of the claimed length: the length is wrong if a record starts inside
            # the claimed block, or if the data ended whole (a gzip member); else it is cut.
            inside = self._find_record(start)
            if inside != -1 or self._complete():
                self._drop(inside if inside != -1 else len(self._buf))
                return Damage(at, "bad-content-length", _misframed(length), header)
            got = len(self._buf) - start
            self._drop(len(self._buf))
            return Damage(at, "truncated-record", _cut(got, length), header)
        if not self._ends_cleanly(start, end):
            self._resync(0)
            return Damage(at, "bad-content-length", _misframed(length), header)
        block = bytes(self._buf[start:end]) if header.wanted else None
        self._drop(end)
        return Frame(at, header, block)


def _account(first: Damage, count: int, end: int) -> Damage:
    if count == 1:
        return first
    return attrs.evolve(
        first,
        message=(
            f"{count:,} damaged stretches in a row, bytes {first.at} to {end} of the data, "
            f"reported once; the first: {first.message}"
        ),
    )


def _cut(got: int, length: int) -> str:
    return f"cut short: {got} of its {length} block bytes are there"


def _misframed(length: int) -> str:
    return (
        f"its Content-Length ({length}) does not end it where the next record begins; "
        "reading resumed at the next record"
    )


def _tokens(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        token.strip().lower()
        for value in values
        for token in value.split(",")
        if token.strip() and token.strip().lower() != "identity"
    )
