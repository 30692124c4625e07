"""Stage 1: raw input → decoded text, with how the encoding was decided.

Decoding order for ``bytes`` (documented in ``docs/input.md``):

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. for HTML, a ``<meta charset>`` or ``http-equiv`` declaration in the first 4 KiB
   naming a codec Python knows, when the bytes decode cleanly with it;
3. strict UTF-8;
4. a fallback between windows-1256 (Arabic) and windows-1252 (Western), chosen by the
   shape of the non-ASCII bytes: Arabic text in windows-1256 is mostly high bytes, while
   Western text has a few high bytes among many ASCII letters.

Binary input (NUL bytes without a UTF-16/32 BOM, or a large share of control bytes) and
empty input are refused with :class:`~socpress.errors.InputError`.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from pathlib import Path

import attrs

from socpress.errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Inputs larger than this are refused; pass ``max_bytes`` to change it."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_HTML_SNIFF = re.compile(
    r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>|div[\s>]|p[\s>]|article[\s>])",
    re.IGNORECASE,
)
# Control characters other than tab, newline, carriage return and form feed: a text page
# holds almost none, a binary file many.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@attrs.frozen(kw_only=True)
class Source:
    """A decoded input, ready to be cut into blocks."""

    name: str
    sha256: str
    text: str
    encoding: str
    encoding_rule: str
    input_format: str


def read_source(
    source: str | bytes | os.PathLike[str], *, url: str | None, max_bytes: int
) -> Source:
    """Turn whatever the caller passed into decoded text, refusing what is not a page."""
    if isinstance(source, os.PathLike):
        path = Path(source)
        name = str(path)
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise InputError(
                    f"{name}: input is {size} bytes, over the limit of {max_bytes}", source=name
                )
            raw = path.read_bytes()
        except OSError as err:
            raise InputError(
                f"{name}: cannot read file: {err.strerror or err}", source=name
            ) from err
        return _from_bytes(raw, name=name, max_bytes=max_bytes)
    if isinstance(source, bytes | bytearray | memoryview):
        return _from_bytes(bytes(source), name=url or "<bytes>", max_bytes=max_bytes)
    if isinstance(source, str):
        name = url or "<string>"
        _refuse_path_string(source, name)
        raw = source.encode("utf-8", "surrogatepass")
        if len(raw) > max_bytes:
            raise InputError(
                f"{name}: input is {len(raw)} bytes, over the limit of {max_bytes}", source=name
            )
        text = _check_text(source.removeprefix("\ufeff"), name)
        return Source(
            name=name,
            sha256=hashlib.sha256(raw).hexdigest(),
            text=text,
            encoding="str",
            encoding_rule="str",
            input_format=sniff_format(text),
        )
    raise InputError(
        f"source must be str, bytes or os.PathLike, not {type(source).__name__}",
        source=repr(type(source)),
    )


def _refuse_path_string(text: str, name: str) -> None:
    # A short one-line str that names an existing file is almost surely a path passed by
    # mistake; parsing it as a page would silently give garbage.
    if len(text) > 4096 or "\n" in text or not text.strip():
        return
    try:
        exists = Path(text).is_file()
    except (OSError, ValueError):
        return
    if exists:
        raise InputError(
            f"{name}: the str {text!r} names an existing file; pass pathlib.Path({text!r}) "
            "to read the file, or the page's text itself",
            source=name,
        )


def sniff_format(text: str) -> str:
    """``html`` when the first 4 KiB look like markup, else ``text``."""
    head = text[:4096].lstrip()
    if head.startswith("<") and _HTML_SNIFF.search(head) is not None:
        return "html"
    if _HTML_SNIFF.search(head) is not None and head.count("<") >= 5:
        return "html"
    return "text"


def _from_bytes(raw: bytes, *, name: str, max_bytes: int) -> Source:
    if len(raw) > max_bytes:
        raise InputError(
            f"{name}: input is {len(raw)} bytes, over the limit of {max_bytes}", source=name
        )
    if not raw.strip():
        raise InputError(f"{name}: input is empty", source=name)
    digest = hashlib.sha256(raw).hexdigest()
    text, encoding, rule = _decode(raw, name)
    text = _check_text(text, name)
    return Source(
        name=name,
        sha256=digest,
        text=text,
        encoding=encoding,
        encoding_rule=rule,
        input_format=sniff_format(text),
    )


def _decode(raw: bytes, name: str) -> tuple[str, str, str]:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return (
                    raw[len(bom) :].decode(codec),
                    codec.removesuffix("-le").removesuffix("-be"),
                    "bom",
                )
            except UnicodeDecodeError as err:
                raise InputError(
                    f"{name}: starts with a {codec} byte-order mark but is not valid {codec} "
                    f"at byte {err.start + len(bom)}",
                    source=name,
                ) from err
    nul = raw.find(b"\x00")
    if nul != -1:
        raise InputError(
            f"{name}: binary input (NUL byte at offset {nul}; UTF-16/32 input needs a "
            "byte-order mark)",
            source=name,
        )
    declared = _declared_charset(raw)
    if declared is not None:
        try:
            return raw.decode(declared), declared, "meta-charset"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8", "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    high = sum(1 for b in raw if b >= 0x80)
    ascii_letters = sum(1 for b in raw if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    order = (
        ("windows-1256", "windows-1252")
        if high > ascii_letters
        else (
            "windows-1252",
            "windows-1256",
        )
    )
    for codec in order:
        try:
            return raw.decode(codec), codec, f"fallback-{codec}"
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"{name}: not valid UTF-8 (byte {utf8_error.start}) and not decodable as "
        "windows-1256 or windows-1252",
        source=name,
    ) from utf8_error


def _declared_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    # Pages often declare iso-8859-1 and mean windows-1252, as browsers assume (WHATWG).
    return {"latin-1": "windows-1252", "iso8859-1": "windows-1252", "ascii": "utf-8"}.get(
        codec, codec
    )


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: input is empty (only white space)", source=name)
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        first = _CONTROL.search(sample)
        where = first.start() if first is not None else 0
        raise InputError(
            f"{name}: binary input ({controls} control characters in the first "
            f"{len(sample)}, the first at character {where})",
            source=name,
        )
    return text
