"""From a framed WARC record to an archive entry: which records are pages, their media type,
charset and capture date, and the payload's transfer and content codings undone within a
bound.
"""

from __future__ import annotations

import datetime
import re
import zlib
from collections.abc import Iterable, Iterator
from typing import Final

import attrs
import brotli

from socpress.corpus import _warc_frames
from socpress.corpus._warc_frames import Damage, Frame, Header

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
    "bad-zip": "a WACZ that is not a readable zip file, or a WARC inside it that cannot be read "
    "(encrypted, an unsupported compression method): the other WARCs are read",
    "over-budget": "a gzip or zip member that inflates to over 100 times its compressed size "
    "past 64 MiB (a decompression bomb): the rest of the member is not read",
    "unreadable-record": "a record the reader could not turn into a page (a socpress bug: "
    "the message says where); reading goes on after it",
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


@attrs.frozen(kw_only=True)
class SkippedRecord:
    """A record that is not a page: counted by reason, never an error."""

    source: str
    """The record's name, as in ``PageRecord.source``."""
    reason: str
    """Why it is not a page: one of ``SKIP_REASONS``."""


@attrs.frozen(kw_only=True)
class BrokenRecord:
    """A record, or a stretch of bytes, that cannot be read whole."""

    source: str
    """Its name, as in ``PageRecord.source``."""
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
    """What is wrong: one of ``BROKEN_KINDS``."""
    message: str
    """What is wrong, and where, in words."""


ArchiveEntry = PageRecord | SkippedRecord | BrokenRecord


# --- where a record is -----------------------------------------------------------------


@attrs.frozen
class Where:
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
        header: Header | None = None,
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


# --- records -> entries ----------------------------------------------------------------

_TYPE_REASONS: Final = {
    "warcinfo": "warcinfo",
    "request": "request",
    "metadata": "metadata",
    "revisit": "revisit",
    "conversion": "conversion",
    "continuation": "continuation",
}


def records(
    framer: Iterable[Frame | Damage], where: Where, member_start: int | None, max_payload: int
) -> Iterator[ArchiveEntry]:
    """Entries for the frames of one stream. ``member_start`` is the gzip member's offset
    in the file (records are then named by it), ``None`` for an uncompressed WARC."""
    for frame in framer:
        if member_start is None:
            offset, inner = frame.at, None
        else:
            offset, inner = member_start, frame.at or None
        if isinstance(frame, Damage):
            yield where.broken(offset, inner, frame.kind, frame.message, frame.header)
            continue
        try:
            entry = _entry(frame, where, offset, inner, max_payload)
        except Exception as err:  # one record's bug must not cost the records after it
            entry = where.broken(
                offset,
                inner,
                "unreadable-record",
                f"this record could not be read ({type(err).__name__}: {err})",
                frame.header,
            )
        yield entry


def _entry(
    frame: Frame, where: Where, offset: int, inner: int | None, max_payload: int
) -> ArchiveEntry:
    header = frame.header
    name = where.name(offset, inner)
    if not header.wanted:
        return SkippedRecord(
            source=name, reason=_TYPE_REASONS.get(header.warc_type, "unknown-type")
        )

    def broken(kind: str, message: str) -> BrokenRecord:
        return where.broken(offset, inner, kind, message, header)

    refused = _framing_refusal(frame)
    if refused is not None:
        return broken(*refused)
    assert frame.block is not None  # a missing block is a framing refusal
    if not frame.block.strip():
        return SkippedRecord(source=name, reason="empty")
    payload = _payload(header, frame.block)
    if isinstance(payload, str):
        return broken("bad-http-header", payload)
    if isinstance(payload, int):
        reason = "redirect" if 300 <= payload < 400 else "http-error"
        return SkippedRecord(source=name, reason=reason)
    content_type, body, encodings, transfer = payload
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
    if not _is_page(_media_type(content_type), body):
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
    )


def _framing_refusal(frame: Frame) -> tuple[str, str] | None:
    """The refusal kind and message of a record whose block cannot be a page as framed."""
    header = frame.header
    if frame.block is None:
        return "too-large", f"a block of {header.length} bytes, over 64 MiB"
    if header.truncated is not None:
        return "truncated-record", f"the crawler truncated it (WARC-Truncated: {header.truncated})"
    if header.segmented:
        return "segmented-record", "a segmented record (segments are not reassembled)"
    return None


_Payload = tuple[str | None, bytes, tuple[str, ...], tuple[str, ...]]


def _payload(header: Header, block: bytes) -> _Payload | str | int:
    """``(content type, body, content encodings, transfer encodings)`` of a record's block:
    the HTTP message's for a response that holds one, else the block itself. A bad HTTP
    header gives its message (``str``); a status that is not 2xx gives the status."""
    if header.warc_type == "response" and (
        _media_type(header.content_type) == "application/http" or block.startswith(b"HTTP/")
    ):
        http = _warc_frames.parse_http(header, block)
        if isinstance(http, str):
            return http
        if not 200 <= http.status < 300:
            return http.status
        return http.content_type, http.body, http.content_encoding, http.transfer_encoding
    return header.content_type, block, (), ()


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


def _warc_date(value: str | None) -> datetime.datetime | None:
    """``WARC-Date`` (ISO 8601, UTC by the standard) as an aware UTC datetime."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):  # not a date, or one with no UTC form (year 0001+01)
        return None


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
