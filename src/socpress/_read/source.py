"""Stage 1: raw input → decoded text, with how the encoding was decided.

Reading bytes: a gzip member is decompressed first (no further than ``max_bytes``), known
binary formats are refused by their signature (zip, bzip2, xz, zstd, 7z, PDF, PNG, JPEG,
GIF, WebP, a WARC record), and ``_decoding.decode`` decides the encoding for the page as a
whole, as a browser does (BOM; the transport's ``charset=``; BOM-less UTF-16 of certain
byte order; UTF-8 as a whole, invalid bytes becoming U+FFFD where they stand; a declared
legacy encoding; a legacy code page chosen by evidence). ``docs/errors.md`` is the
user-facing account; the step that decided is ``Source.encoding_rule``.

Then the decoded text (and any ``str`` passed in) is checked. It is refused with
``socpress.errors.InputError`` when it is empty or only white space, binary-looking
(many control characters or NULs in its first 16 KiB), or garbled all through: mojibake
(UTF-8 read as windows-1252/latin-1: ``â€™``, ``Ø§Ù„``; windows-1256 Arabic read as
windows-1252: ``ÇáÇÆÊáÇÝ``) or U+FFFD soup, at one per 100 non-blank characters. socpress
refuses rather than repairs: a repair would change the text, so the spans in the provenance
would no longer index the text the caller holds; the message says how to repair. Damage
short of that is read where it stands and listed in ``Source.damage``: NULs and control
characters (kept in the text, dropped from values), lone surrogates in a ``str`` (each
replaced by U+FFFD, so offsets hold), a few mojibake sequences or U+FFFD.

HTML whose parse would cost more than linear time (nested more than ``MAX_NESTING``
elements deep, an element with thousands of attributes, formatting elements reopened in
every block) is refused too, by ``_guards``.

Bounded work: a file is opened only when it is a regular file, and at most ``max_bytes + 1``
bytes are read from it; every scan here is a single linear pass.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import urllib.parse
from typing import BinaryIO, TypeAlias

import attrs

from socpress._model import Damage
from socpress._read.damage import lost_text, merged, replace_lone_surrogates, text_damage
from socpress._read.decoding import decode, gunzip
from socpress._read.guards import refuse_costly_markup
from socpress.errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Inputs larger than this are refused; pass ``max_bytes`` to change it."""

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

_HTML_SNIFF = re.compile(
    r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>|div[\s>]|p[\s>]|article[\s>])",
    re.IGNORECASE,
)
# Control characters other than tab, newline, carriage return and form feed: a text page
# holds almost none, a binary file many.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Every byte but those of ``_CONTROL``: deleting them from a page's UTF-8 leaves its control
# characters and NULs (UTF-8 writes no other character with a byte under 0x80).
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))
_GZIP = b"\x1f\x8b"
_CHUNK = 1 << 20

_CONTROL_SAMPLE = 16384


@attrs.frozen(kw_only=True)
class Source:
    """A decoded input, ready to be cut into blocks."""

    name: str
    sha256: str
    text: str
    encoding: str
    encoding_rule: str
    input_format: str
    damage: tuple[Damage, ...] = ()
    """Damage found while decoding and checking (``Provenance.damage`` adds the HTML
    reader's), in ``DAMAGE_ORDER``."""


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
        raise _wrong_type("charset", charset)
    if isinstance(source, os.PathLike):
        name, raw = _read_file(source, max_bytes)
        return _from_bytes(raw, name=name, max_bytes=max_bytes, charset=charset)
    if isinstance(source, bytes | bytearray | memoryview):
        name = url or "<bytes>"
        size = source.nbytes if isinstance(source, memoryview) else len(source)
        if size > max_bytes:  # before copying a bytearray or memoryview
            raise _too_large(name, size, max_bytes)
        return _from_bytes(bytes(source), name=name, max_bytes=max_bytes, charset=charset)
    if isinstance(source, str):
        return _from_str(source, name=url or "<string>", max_bytes=max_bytes)
    raise InputError(
        "source must be str, bytes, bytearray, memoryview or os.PathLike, not "
        f"{type(source).__name__}",
        source=repr(type(source)),
    )


def _too_large(name: str, size: int, max_bytes: int, *, at_least: bool = False) -> InputError:
    """The one refusal of an input over ``max_bytes``, wherever its size becomes known."""
    bound = "at least " if at_least else ""
    return InputError(
        f"{name}: input is {bound}{size} bytes, over the limit of {max_bytes}", source=name
    )


def _wrong_type(argument: str, value: object) -> InputError:
    return InputError(
        f"{argument} must be a str or None, not {type(value).__name__}",
        source=repr(type(value)),
    )


def _check_url(url: object) -> None:
    if not isinstance(url, str):
        raise _wrong_type("url", url)
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
                raise _too_large(name, size, max_bytes)
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
        raise _too_large(name, len(source), max_bytes, at_least=True)
    damage: list[Damage] = []
    try:
        raw = source.encode("utf-8")
    except UnicodeEncodeError:  # only lone surrogates fail to encode as UTF-8
        # Text decoded with errors="surrogateescape", or half an emoji: each lone surrogate
        # becomes U+FFFD in place (one character for one, so offsets hold); a text that is
        # mostly surrogates is refused below as replacement-character soup.
        raw = source.encode("utf-8", "surrogatepass")
        source, found = replace_lone_surrogates(source)
        if found is not None:
            damage.append(found)
    _refuse_path_string(source, name)
    if len(raw) > max_bytes:
        raise _too_large(name, len(raw), max_bytes)
    text = source.removeprefix("\ufeff")
    if len(text) < len(source):  # offsets index the text without its BOM
        damage = [attrs.evolve(d, offsets=tuple(o - 1 for o in d.offsets if o)) for d in damage]
    form, found_in_text = _checked_format(text, name, raw)
    return Source(
        name=name,
        sha256=hashlib.sha256(raw).hexdigest(),
        text=text,
        encoding="str",
        encoding_rule="str",
        input_format=form,
        damage=merged([*damage, *found_in_text]),
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


def _checked_format(text: str, name: str, utf8: bytes | None) -> tuple[str, list[Damage]]:
    """The input format and the damage in the text, after refusing text that is empty,
    binary or mostly garbled.

    ``utf8`` is the text in UTF-8 as the caller holds it (the bytes it was decoded from, or
    the ``str`` encoded), ``None`` for another encoding: when it has no control byte the
    text has no control character, and the scans for them are skipped. On the text they
    are a regex over every character (``str.isprintable`` is false for any newline); on
    the bytes, one ``bytes.translate``.

    A text rendering is checked for lost characters whole; an HTML page only where it is
    read (its visible text, by ``lost_text`` once the reader has found it: markup and
    scripts are no evidence, and scanning them cost more than parsing the page). An HTML
    page is first refused if its markup nests too deep to parse in time."""
    if not text or text.isspace():
        raise InputError(f"{name}: input is empty (only white space)", source=name)
    found: list[Damage] = []
    if utf8 is None or utf8.translate(None, _NOT_CONTROL_BYTES):
        _refuse_controls(text, name)
        found = text_damage(text)
    form = sniff_format(text)
    if form == "html":
        refuse_costly_markup(text, name)
    else:
        found += lost_text(text, name)
    return form, found


def _from_bytes(raw: bytes, *, name: str, max_bytes: int, charset: str | None) -> Source:
    if len(raw) > max_bytes:
        raise _too_large(name, len(raw), max_bytes)
    if not raw.strip():
        raise InputError(f"{name}: input is empty", source=name)
    digest = hashlib.sha256(raw).hexdigest()
    damage: list[Damage] = []
    if raw.startswith(_GZIP):
        raw, gzipped = gunzip(raw, name, max_bytes)
        damage.append(gzipped)
    _refuse_known_binary(raw, name)
    decoded = decode(raw, name, charset)
    damage += decoded.damage
    text = decoded.text
    form, found = _checked_format(text, name, raw if decoded.encoding == "utf-8" else None)
    return Source(
        name=name,
        sha256=digest,
        text=text,
        encoding=decoded.encoding,
        encoding_rule=decoded.rule,
        input_format=form,
        damage=merged([*damage, *found]),
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


def _refuse_controls(text: str, name: str) -> None:
    # Binary data has control characters all through it: the first 16 KiB tell. NULs
    # padding the end of a capture (a crawler's preallocated file) are no such evidence.
    body = text.rstrip("\x00")
    if not body.strip():
        raise InputError(f"{name}: binary input (nothing but NUL bytes)", source=name)
    sample = body[:_CONTROL_SAMPLE]
    first = _CONTROL.search(sample)
    if first is None:
        return
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        nuls = sample.count("\x00")
        also = f", {nuls} of them NUL" if nuls else ""
        raise InputError(
            f"{name}: binary input ({controls} control characters in the first "
            f"{len(sample)}{also}, the first at character {first.start()})",
            source=name,
        )
