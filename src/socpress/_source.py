"""Stage 1: raw input → decoded text, with how the encoding was decided.

Reading bytes, in order (``docs/errors.md`` is the user-facing account; the step that
decided is ``Source.encoding_rule``, shown as ``provenance.encoding_rule``):

0. *Known binary formats* are refused by their signature: gzip, zip, bzip2, xz, zstd, 7z,
   PDF, PNG, JPEG, GIF, WebP, a WARC record. A truncated gzip still starts with its
   signature, so it gets the same clear message.
1. ``bom``: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides. Then the
   transport's declaration (``charset=``, an HTTP header's): ``http-charset`` when it names
   UTF-16, which a ``<meta>`` cannot.
2. NUL bytes without a BOM: UTF-16 without a BOM (NULs in every second byte) is refused
   with a message that says so; socpress does not guess byte order. Any other NUL byte
   means binary input.
3. ``utf-8``: the bytes are valid UTF-8. Valid UTF-8 wins over a ``<meta charset>`` that
   names a legacy single-byte encoding (pages often declare ``iso-8859-1`` and serve UTF-8,
   and a page of legacy text is practically never valid UTF-8): the rule is then
   ``utf-8-over-meta-charset``.
4. ``http-charset``, then ``meta-charset``: for bytes that are not UTF-8, the transport's
   ``charset=``, then a ``<meta charset>`` or ``http-equiv`` declaration in the first 4 KiB,
   naming a web encoding (WHATWG's list), when the bytes decode cleanly with it (valid UTF-8
   over a legacy ``charset=`` is ``utf-8-over-http-charset``). ``iso-8859-1`` and
   ``ascii`` are read as ``windows-1252``, as browsers do; a ``<meta>`` declaring UTF-16 is
   read as UTF-8, as browsers do.
5. ``fallback-windows-1256`` / ``fallback-windows-1252``: Arabic text in windows-1256 is
   words of consecutive high bytes, Western text has single high bytes among ASCII letters;
   the share of high bytes standing next to another high byte decides.

A capture cut inside a character (BOM-marked, or UTF-8 with other multi-byte characters
before the cut) loses only that character, and the rule gets a ``-cut`` suffix
(``utf-8-cut``, ``bom-cut``).

Then the decoded text (and any ``str`` passed in) is checked, and refused with
:class:`~socpress.errors.InputError` when it is:

* empty or only white space;
* binary-looking (many control characters);
* carrying lone surrogates (text decoded with ``errors="surrogateescape"``);
* replacement-character soup (U+FFFD where the original characters were lost);
* mojibake: UTF-8 read as windows-1252/latin-1 (``â€™``, ``Ø§Ù„``, ``Ã©``), or
  windows-1256 Arabic read as windows-1252 (runs like ``ÇáÇÆÊáÇÝ``). socpress refuses
  rather than repairs: a repair would change the text, so the spans in the provenance
  would no longer index the text the caller holds; the message says how to repair.

HTML nested more than :data:`MAX_NESTING` elements deep is refused too: the parser's time
grows with the square of the depth.

Bounded work: a file is opened only when it is a regular file, and at most ``max_bytes + 1``
bytes are read from it; every scan here is a single linear pass.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import urllib.parse
from collections.abc import Callable, Mapping
from typing import BinaryIO, TypeAlias

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

# (signature, offset, what it is, what to do). Checked before anything else: an image
# saved as .html or a compressed capture must be named, not called "undecodable".
_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\x1f\x8b", 0, "gzip-compressed data", "; decompress it first (gzip.decompress)"),
    (b"PK\x03\x04", 0, "a zip archive", ""),
    (b"PK\x05\x06", 0, "an empty zip archive", ""),
    (b"BZh", 0, "bzip2-compressed data", "; decompress it first (bz2.decompress)"),
    (b"\xfd7zXZ\x00", 0, "xz-compressed data", "; decompress it first (lzma.decompress)"),
    (b"\x28\xb5\x2f\xfd", 0, "zstd-compressed data", "; decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7z archive", ""),
    (b"%PDF-", 0, "a PDF document", ""),
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image", ""),
    (b"\xff\xd8\xff", 0, "a JPEG image", ""),
    (b"GIF87a", 0, "a GIF image", ""),
    (b"GIF89a", 0, "a GIF image", ""),
    (b"WEBP", 8, "a WebP image", ""),
    (b"WARC/", 0, "a WARC record", "; pass the HTTP response body it holds"),
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
_HIGH_RUN = re.compile(rb"[\x80-\xff]{2,}")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_FALLBACK_SAMPLE = 1 << 20
"""Bytes examined to choose between windows-1256 and windows-1252."""
_CHUNK = 1 << 20

MAX_NESTING = 1000
"""Markup nested deeper than this is refused. HTML tree construction checks the stack of
open elements for every ``<div>``, ``<section>``, ``<ul>``, …: n nested elements cost O(n²)
(lexbor: 10,000 ``<div>`` 0.16 s, 40,000 3.4 s, 100,000 31 s; 20 MB of ``<div>`` would take
hours). Real pages nest 5-25 deep (the HTML fixtures: at most 21)."""
NESTING_SCAN_MIN = 20_000
"""A page with more ``<`` than this is scanned for deep nesting before it is parsed; a
smaller one is parsed at once (20,000 nested ``<div>``, the worst it can hold, cost lexbor
0.35 s) and the HTML reader refuses it if an element it walks lies deeper than
``MAX_NESTING``. The scan costs about 0.3 µs a tag (6 ms for a 370 KB page), more than
parsing. Real pages: a median of 1,400 ``<``; the largest of the 308 benchmark pages has
19,629."""
_CONTROL_SAMPLE = 16384
# Possessive: a lazy ``[^<>]*?`` backtracks at every character of a tag (2.5x slower).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,40})([^<>]*+)>")
# Elements that never stay open around what follows them: void elements, and those the
# parser closes by itself when the next one starts (an unclosed <p> or <li> does not nest).
_NOT_NESTING = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image",
        "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
        "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body",
        "a", "nobr", "button", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip
_CUT_REASONS = frozenset({"unexpected end of data", "truncated data"})

# The characters windows-1252 (or latin-1, for the five bytes windows-1252 leaves undefined)
# turns the UTF-8 continuation bytes 0x80-0xBF into, plus U+FFFD for a byte that was lost.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122\ufffd"
)
# A UTF-8 lead byte read as windows-1252 followed by a continuation byte read the same way:
# Â/Ã (Latin-1 letters, no-break space), Ä/Å (Turkish ı ş ğ), Ð/Ñ (Cyrillic), Ø/Ù/Ú/Û
# (Arabic and Kurdish letters), and ``â€`` or ``â`` + a C1 control (curly quotes, dashes,
# ellipsis, read as windows-1252 or latin-1). German ``ß“``
# is legitimate, so ß is not a lead here.
_MOJIBAKE_UTF8 = re.compile(f"[ÂÃÄÅÐÑØÙÚÛ][{_CONTINUATION}]|â[€\u0080-\u009f]")
# windows-1256 Arabic read as windows-1252: whole words of Latin-1 letters, which no
# language written in Latin letters has three of in a row.
_MOJIBAKE_1256 = re.compile("[À-ÖØ-öø-ÿ]{3,}")

_MOJIBAKE_MIN = 3
"""This many mojibake sequences (or one per 100 non-blank characters) refuse a text; one or
two stray pairs in a long page may be genuine characters."""
_REPLACEMENT_MIN = 8
"""This many U+FFFD (or one per 100 non-blank characters) refuse a text: a few mangled
emoji keep a page, a lost script does not."""
_COUNT_CAP = 1000
"""Mojibake sequences are counted up to this many, so a huge page is scanned once, cheaply."""

# WHATWG's encodings, as Python names them; a declared charset outside this list (utf-7,
# rot13, base64, unicode-escape, …) is ignored, never decoded with.
_WEB_CODECS = frozenset(
    {
        "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6",
        "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15",
        "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250",
        "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
        "gbk", "gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "cp932", "cp949",
    }
)  # fmt: skip
# Declared labels browsers read as another encoding (WHATWG "get an encoding").
_DECLARED_AS: Mapping[str, str] = {
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gbk",
    "big5": "big5hkscs",
    "euc_kr": "cp949",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}
_DISPLAY_NAMES: Mapping[str, str] = {
    "cp866": "ibm866",
    "cp874": "windows-874",
    **{f"cp125{i}": f"windows-125{i}" for i in range(9)},
}


@attrs.frozen(kw_only=True)
class Source:
    """A decoded input, ready to be cut into blocks."""

    name: str
    sha256: str
    text: str
    encoding: str
    encoding_rule: str
    input_format: str


PageSource: TypeAlias = str | bytes | bytearray | memoryview | os.PathLike[str]
"""What ``load_article`` and friends read: the page's text (``str``), its raw bytes
(``bytes``, ``bytearray`` or ``memoryview``, decoded here), or the path of a file."""


def read_source(
    source: PageSource,
    *,
    url: str | None,
    max_bytes: int,
    charset: str | None = None,
) -> Source:
    """Turn whatever the caller passed into decoded text, refusing what is not a page.

    ``charset`` is the encoding the transport declared (an HTTP ``Content-Type`` header's
    ``charset``, e.g. from a WARC response record); it ranks after a byte-order mark and
    before the markup's own ``<meta charset>``. A ``str`` source ignores it."""
    if url is not None:
        _check_url(url)
    if charset is not None and not isinstance(charset, str):
        raise InputError(
            f"charset must be a str or None, not {type(charset).__name__}",
            source=repr(type(charset)),
        )
    if isinstance(source, os.PathLike):
        name, raw = _read_file(source, max_bytes)
        return _from_bytes(raw, name=name, max_bytes=max_bytes, charset=charset)
    if isinstance(source, bytes | bytearray | memoryview):
        name = url or "<bytes>"
        size = source.nbytes if isinstance(source, memoryview) else len(source)
        if size > max_bytes:  # before copying a bytearray or memoryview
            raise InputError(
                f"{name}: input is {size} bytes, over the limit of {max_bytes}", source=name
            )
        return _from_bytes(bytes(source), name=name, max_bytes=max_bytes, charset=charset)
    if isinstance(source, str):
        return _from_str(source, name=url or "<string>", max_bytes=max_bytes)
    raise InputError(
        f"source must be str, bytes or os.PathLike, not {type(source).__name__}",
        source=repr(type(source)),
    )


def _check_url(url: object) -> None:
    if not isinstance(url, str):
        raise InputError(
            f"url must be a str or None, not {type(url).__name__}", source=repr(type(url))
        )
    try:
        _ = urllib.parse.urlsplit(url).hostname
    except ValueError as err:
        raise InputError(f"{url}: not a valid URL ({err})", source=url) from err


def _read_file(source: os.PathLike[str], max_bytes: int) -> tuple[str, bytes]:
    """The file's name and at most ``max_bytes`` of its bytes; only regular files are read
    (a FIFO would block, ``/dev/zero`` never ends)."""
    try:
        path = os.fspath(source)
    except TypeError as err:
        raise InputError(f"cannot use {source!r} as a path: {err}", source=repr(source)) from err
    name = os.fsdecode(path)
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{name}: is a directory, not a file", source=name)
        if not stat.S_ISREG(mode):
            raise InputError(f"{name}: not a regular file (a device, FIFO or socket)", source=name)
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise InputError(
                    f"{name}: input is {size} bytes, over the limit of {max_bytes}", source=name
                )
            return name, _read_at_most(handle, size, max_bytes + 1)
    except InputError:
        raise
    except OSError as err:
        raise InputError(f"{name}: cannot read file: {err.strerror or err}", source=name) from err
    except ValueError as err:  # an embedded NUL in the path
        raise InputError(f"{name}: not a usable path: {err}", source=name) from err


def _read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
    """Up to ``limit`` bytes. ``read(limit)`` would allocate ``limit`` bytes up front (a
    large ``max_bytes`` would be a MemoryError), and files such as ``/proc`` ones report a
    size of 0: read what ``stat`` promised, then on in 1 MiB steps."""
    chunks = [handle.read(min(size + 1, limit))]
    total = len(chunks[0])
    while total < limit:
        chunk = handle.read(min(_CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _from_str(source: str, *, name: str, max_bytes: int) -> Source:
    # Every character takes at least one byte: a long str is refused before encoding it.
    if len(source) > max_bytes:
        raise InputError(
            f"{name}: input is at least {len(source)} bytes, over the limit of {max_bytes}",
            source=name,
        )
    try:
        raw = source.encode("utf-8")
    except UnicodeEncodeError as err:  # only lone surrogates fail to encode as UTF-8
        raise InputError(
            f"{name}: lone surrogate {source[err.start]!r} at character {err.start}: "
            "the text was decoded with errors='surrogateescape' or similar; pass the bytes",
            source=name,
        ) from None
    _refuse_path_string(source, name)
    if len(raw) > max_bytes:
        raise InputError(
            f"{name}: input is {len(raw)} bytes, over the limit of {max_bytes}", source=name
        )
    text = source.removeprefix("\ufeff")
    return Source(
        name=name,
        sha256=hashlib.sha256(raw).hexdigest(),
        text=text,
        encoding="str",
        encoding_rule="str",
        input_format=_checked_format(text, name),
    )


PATH_STR_MAX = 4096
"""Longest ``str`` the path rule examines (Linux's ``PATH_MAX``); a longer one is a page."""

PAGE_FILE_EXTENSIONS = frozenset(
    {
        "txt", "text", "htm", "html", "xhtml", "shtml", "mht", "mhtml", "php", "asp", "aspx",
        "jsp", "xml", "json", "jsonl", "md", "csv", "tsv", "warc", "wacz", "arc", "gz", "bz2",
        "xz", "zst", "zip", "pdf", "doc", "docx",
    }
)  # fmt: skip
"""Endings that make a word a file name (``page.txt``, ``capture.warc.gz``)."""

_URL_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}://\S*")
_PATH_START = re.compile(r"/|~[/\\]|\.\.?[/\\]|[A-Za-z]:[/\\]|\\\\")
_SEPARATOR = re.compile(r"[/\\]")


def path_str_kind(text: str) -> str | None:
    r"""Why a one-line ``str`` is taken for a path or a URL and not a page; ``None`` for a
    page. The rule (``docs/errors.md``, "A str that is a path"), on the text without its
    surrounding white space:

    * ``"url"``: one word (no white space) that starts with a scheme (``https://…``);
    * ``"file"`` / ``"directory"``: it names an existing file / directory;
    * ``"path"``: one word with a path separator (``pages/missing.txt``, ``C:\pages\a``) or
      ending in a page-file extension (``page.txt``); or it starts like a path (``/``,
      ``./``, ``../``, ``~/``, ``C:\``, ``\\server``) and its last part ends in a page-file
      extension (``/data/My Pages/page 1.html``).

    A text with ``<`` or ``>`` is markup, never a path. Page text is words separated by
    spaces, so it is never one word, and it does not start with ``/`` or ``./`` and end in
    ``.html``. The caller checks that it is one line.
    """
    stripped = text.strip()
    if not stripped or "<" in stripped or ">" in stripped:
        return None  # blank, or markup (``<p>x</p>``), never a path anyone types
    one_word = not any(ch.isspace() for ch in stripped)
    if one_word and _URL_WORD.fullmatch(stripped):
        return "url"
    try:
        if os.path.isfile(stripped):
            return "file"
        if os.path.isdir(stripped):
            return "directory"
    except (OSError, ValueError):  # an embedded NUL, a name too long
        pass
    stem, dot, extension = _SEPARATOR.split(stripped)[-1].rpartition(".")
    file_name = (
        bool(dot)
        and stem[-1:] not in {"", "."}
        and not stem[-1].isspace()
        and extension.lower() in PAGE_FILE_EXTENSIONS
    )
    if one_word:
        return "path" if file_name or _SEPARATOR.search(stripped) else None
    return "path" if file_name and _PATH_START.match(stripped) else None


def _refuse_path_string(text: str, name: str) -> None:
    """Refuse a one-line ``str`` that is a path or a URL, not a page: read as a page, it
    would give an article whose body is the path."""
    if len(text) > PATH_STR_MAX:
        return
    line = text.strip()
    if "\n" in line or "\r" in line:
        return  # more than one line: a page
    kind = path_str_kind(line)
    if kind is None:
        return
    if kind == "url":
        raise InputError(
            f"{name}: the str {line!r} is a URL, not a page (socpress does not download); "
            "pass the page's bytes or text, with url=",
            source=name,
        )
    if kind == "directory":
        raise InputError(
            f"{name}: the str {line!r} names an existing directory, not a page; pass the "
            "page's text, or a pathlib.Path of a file",
            source=name,
        )
    what = "names an existing file" if kind == "file" else "is shaped like a path, not a page"
    raise InputError(
        f"{name}: the str {line!r} {what}; "
        f"pass pathlib.Path({line!r}) to read the file, or the page's text itself",
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


def _checked_format(text: str, name: str) -> str:
    """The input format, after refusing text that is empty, binary or already garbled.

    A text rendering is checked for lost characters whole; an HTML page only where it is
    read (its visible text, by ``refuse_lost_text`` once the reader has found it: markup and
    scripts are no evidence, and scanning them cost more than parsing the page). An HTML
    page is first refused if its markup nests too deep to parse in time."""
    if not text or text.isspace():
        raise InputError(f"{name}: input is empty (only white space)", source=name)
    _refuse_controls(text, name)
    form = sniff_format(text)
    if form == "html":
        _refuse_deep_nesting(text, name)
    else:
        refuse_lost_text(text, name)
    return form


def _refuse_deep_nesting(text: str, name: str) -> None:
    # Lexbor's cost is (elements) x (depth): with at most NESTING_SCAN_MIN tags, any nesting
    # parses in well under a second, and the HTML reader refuses the page if it meets an
    # element nested deeper than MAX_NESTING. Only a larger page is scanned here, before it
    # reaches the parser. Counting ``<`` is a fast C loop; the scan is not (~4 ns a char).
    if text.count("<") <= NESTING_SCAN_MIN:
        return
    # An estimate of the depth the parser's stack of open elements reaches: start tags of
    # elements that stay open, less their end tags. One pass, stopping at the first excess.
    depth = 0
    for match in _TAG.finditer(text):
        closing, tag, rest = match.groups()
        tag = tag.lower()
        if tag in _NOT_NESTING:
            continue
        if closing:
            depth = max(0, depth - 1)
        elif not rest.endswith("/"):
            depth += 1
            if depth > MAX_NESTING:
                raise InputError(
                    f"{name}: markup nested more than {MAX_NESTING} elements deep (<{tag}> at "
                    f"character {match.start()}); an HTML parser takes quadratic time on "
                    "such a page",
                    source=name,
                )


def _from_bytes(raw: bytes, *, name: str, max_bytes: int, charset: str | None) -> Source:
    if len(raw) > max_bytes:
        raise InputError(
            f"{name}: input is {len(raw)} bytes, over the limit of {max_bytes}", source=name
        )
    if not raw.strip():
        raise InputError(f"{name}: input is empty", source=name)
    _refuse_known_binary(raw, name)
    digest = hashlib.sha256(raw).hexdigest()
    text, encoding, rule = _decode(raw, name, charset)
    return Source(
        name=name,
        sha256=digest,
        text=text,
        encoding=encoding,
        encoding_rule=rule,
        input_format=_checked_format(text, name),
    )


def _refuse_known_binary(raw: bytes, name: str) -> None:
    for signature, offset, what, advice in _SIGNATURES:
        if raw.startswith(signature, offset):
            shown = " ".join(f"{b:02x}" for b in signature)
            raise InputError(
                f"{name}: binary input: {what} (signature {shown} at byte {offset}), "
                f"not a page{advice}",
                source=name,
            )


def _decode(raw: bytes, name: str, charset: str | None) -> tuple[str, str, str]:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text, cut = _decode_cut(raw[len(bom) :], codec)
            except UnicodeDecodeError as err:
                raise InputError(
                    f"{name}: starts with a {codec} byte-order mark but is not valid {codec} "
                    f"at byte {err.start + len(bom)} ({err.reason})",
                    source=name,
                ) from err
            return text, codec.removesuffix("-le").removesuffix("-be"), f"bom{cut}"
    transport = _transport_charset(charset)
    if transport is not None and transport.startswith("utf-16"):
        # Browsers honour UTF-16 from the transport (not from a <meta>): NULs are then text.
        try:
            text, cut = _decode_cut(raw, transport)
        except UnicodeDecodeError:
            pass
        else:
            return text, "utf-16", f"http-charset{cut}"
    nul = raw.find(b"\x00")
    if nul != -1:
        _refuse_utf16_without_bom(raw, name)
        raise InputError(
            f"{name}: binary input (NUL byte at offset {nul}; UTF-16/32 input needs a "
            "byte-order mark)",
            source=name,
        )
    declared = [(codec, "http-charset") for codec in (transport,) if codec is not None]
    declared += [(codec, "meta-charset") for codec in (_declared_charset(raw),) if codec]
    try:
        text, cut = _decode_cut(raw, "utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    else:
        # Valid UTF-8 (with non-ASCII) wins over a declared legacy encoding: servers and
        # templates often declare iso-8859-1 and send UTF-8; legacy text is practically
        # never valid UTF-8. The first declaration is the one overridden.
        if declared and declared[0][0] != "utf-8" and not raw.isascii():
            return text, "utf-8", f"utf-8-over-{declared[0][1]}{cut}"
        return text, "utf-8", f"utf-8{cut}"
    for codec, rule in declared:
        if codec == "utf-8":
            continue
        try:
            return raw.decode(codec), _DISPLAY_NAMES.get(codec, codec), rule
        except UnicodeError:
            continue
    for codec in _fallback_order(raw):
        try:
            return raw.decode(codec), codec, f"fallback-{codec}"
        except UnicodeDecodeError:
            continue
    raise InputError(  # pragma: no cover - windows-1256 maps every byte
        f"{name}: not valid UTF-8 (byte {utf8_error.start}) and not decodable as "
        "windows-1256 or windows-1252",
        source=name,
    ) from utf8_error


def _decode_cut(data: bytes, codec: str) -> tuple[str, str]:
    """Decode strictly, except that a character cut off by the end of a truncated capture
    is dropped: then the second value is ``"-cut"`` (the rule's suffix), else ``""``.

    For UTF-8 that needs other multi-byte characters before the cut, as evidence the text is
    UTF-8: ``café`` in windows-1252 also ends in what looks like a cut UTF-8 lead byte."""
    try:
        return data.decode(codec), ""
    except UnicodeDecodeError as err:
        if err.end != len(data) or err.reason not in _CUT_REASONS:
            raise
        if codec == "utf-8" and data[: err.start].isascii():
            raise
        return data[: err.start].decode(codec), "-cut"


def _fallback_order(raw: bytes) -> tuple[str, str]:
    sample = raw[:_FALLBACK_SAMPLE]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    in_runs = sum(match.end() - match.start() for match in _HIGH_RUN.finditer(sample))
    if high and in_runs * 2 > high:
        return ("windows-1256", "windows-1252")
    return ("windows-1252", "windows-1256")


def _refuse_utf16_without_bom(raw: bytes, name: str) -> None:
    head = raw[:4096]
    pairs = len(head) // 2
    if pairs < 4:
        return
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    # ASCII in UTF-16-LE has a NUL in every odd byte; Arabic still has one after each space,
    # digit and newline (~15%). Binary data has NULs at both parities.
    for order, nuls, others in (("LE", odd, even), ("BE", even, odd)):
        if nuls >= max(4, pairs // 10) and others * 20 <= nuls:
            raise InputError(
                f"{name}: looks like UTF-16-{order} text without a byte-order mark "
                f"({nuls} of the first {pairs} byte pairs hold a NUL on the same side); "
                f"socpress does not guess byte order: decode it (data.decode('utf-16-"
                f"{order.lower()}')) and pass the str, or add a byte-order mark",
                source=name,
            )


def _declared_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:4096])
    if match is None:
        return None
    return _web_codec(match.group(1).decode("ascii", "replace"))


def _transport_charset(label: str | None) -> str | None:
    """The codec an HTTP ``charset`` parameter names, or ``None`` for no or an unknown one.
    Unlike a ``<meta>``, the transport may declare UTF-16 (WHATWG: ``utf-16`` is LE)."""
    if label is None:
        return None
    label = label.strip().strip("\"'").strip().lower()
    if label in ("utf-16", "utf16", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2"):
        return "utf-16-le"
    if label in ("utf-16le", "utf-16-le", "utf-16be", "utf-16-be"):
        return "utf-16-" + label[-2:]
    return _web_codec(label)


def _web_codec(label: str) -> str | None:
    """The Python codec for a declared label, read as browsers read it (``iso-8859-1`` is
    windows-1252, a declared UTF-16 is UTF-8); ``None`` for a label outside WHATWG's list."""
    try:
        codec = codecs.lookup(label.strip().lower()).name
    except (LookupError, ValueError):
        return None
    codec = _DECLARED_AS.get(codec, codec)
    return codec if codec in _WEB_CODECS else None


def _refuse_controls(text: str, name: str) -> None:
    # Binary data has control characters all through it: the first 16 KiB tell.
    sample = text[:_CONTROL_SAMPLE]
    first = _CONTROL.search(sample)
    if first is None:
        return
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise InputError(
            f"{name}: binary input ({controls} control characters in the first "
            f"{len(sample)}, the first at character {first.start()})",
            source=name,
        )


def _pervasive(count: int, text: str, at_least: int) -> bool:
    if count == 0:
        return False
    if count >= at_least:
        return True
    return count * 100 >= len(text) - sum(text.count(c) for c in " \t\r\n")


def refuse_lost_text(
    text: str, name: str, where: Callable[[int], str] = lambda at: f"at character {at}"
) -> None:
    """Refuse text whose characters were lost or garbled before socpress saw it.

    ``where`` names the place of a character offset in ``text`` for the message (the HTML
    reader passes its visible text and names the element instead)."""
    if text.isascii():  # O(1) for a str: no mojibake and no U+FFFD can be in it
        return
    for pattern, what, repair in (
        (
            _MOJIBAKE_UTF8,
            "UTF-8 read as windows-1252 or latin-1",
            "text.encode('windows-1252').decode('utf-8'), or pass the original bytes",
        ),
        (
            _MOJIBAKE_1256,
            "windows-1256 Arabic read as windows-1252 or latin-1",
            "text.encode('windows-1252').decode('windows-1256'), or pass the original bytes",
        ),
    ):
        count = 0
        first: re.Match[str] | None = None
        for match in pattern.finditer(text):
            first = first or match
            count += 1
            if count >= _COUNT_CAP:
                break
        if first is not None and _pervasive(count, text, _MOJIBAKE_MIN):
            many = f"{count} or more" if count >= _COUNT_CAP else str(count)
            noun = "sequence" if count == 1 else "sequences"
            raise InputError(
                f"{name}: mojibake ({what}): {many} {noun} like {first.group()!r}, the "
                f"first {where(first.start())}; repair it first, e.g. {repair}",
                source=name,
            )
    replacements = text.count("\ufffd")
    if _pervasive(replacements, text, _REPLACEMENT_MIN):
        plural = "" if replacements == 1 else "s"
        raise InputError(
            f"{name}: {replacements} replacement character{plural} (U+FFFD), the first "
            f"{where(text.index(chr(0xFFFD)))}: the text was decoded with the wrong "
            "encoding and errors='replace'; pass the original bytes",
            source=name,
        )
