"""Bytes → text as a browser decodes them, keeping damage where it stands and naming it.

The encoding is decided for the page as a whole, never from whether every byte fits
(``docs/errors.md``, "Encodings", is the user-facing account):

1. a byte-order mark (``bom``);
2. the transport's declaration, ``charset=`` (``http-charset``), when it names UTF-16;
3. UTF-16 without a BOM when the byte order is certain (``utf-16-without-bom``);
4. UTF-8 when the bytes are UTF-8 as a whole (``utf-8``; ``utf-8-over-http-charset`` /
   ``utf-8-over-meta-charset`` when a declaration names a legacy encoding): every byte is
   valid, or the invalid ones are few beside the valid multi-byte characters (or beside a
   UTF-8 declaration); each invalid sequence becomes one U+FFFD where it stands;
5. a declared legacy encoding: ``charset=`` (``http-charset``), then ``<meta charset>``
   (``meta-charset``);
6. otherwise one of the legacy code pages the coalition's readers meet, chosen by the
   words the high bytes make (``fallback-windows-1256``, ``-1251``, ``-1254``, ``-1252``).

Whatever was decoded with ``errors="replace"`` is reported as ``invalid-bytes`` damage, so
the caller rebuilds the very text every span indexes with ``raw.decode(encoding,
"replace")`` (less the BOM, and less a final character cut off by a truncated capture,
which the rule's ``-cut`` suffix reports). Every step is one linear pass in C: strict
decoding first, a ``replace`` decoding only when that fails, and exact offsets for the
first few invalid sequences only.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zlib
from collections.abc import Mapping

import attrs

from socpress._model import DAMAGE_OFFSETS, Damage
from socpress.errors import InputError

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
_HIGH_BYTES = bytes(range(0x80, 0x100))

FEW_INVALID = 8
"""A page declared UTF-8 may hold this many invalid sequences (or one per valid multi-byte
character) and still be read as UTF-8, each becoming U+FFFD; an undeclared one needs a
valid multi-byte character per invalid sequence. Legacy text has next to none: its high
bytes are single, or pairs that UTF-8 rejects. More is a page in another encoding."""
_UTF8_EVIDENCE = 1

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
class Decoded:
    """Decoded bytes: the text, the codec, the rule that chose it, and damage found."""

    text: str
    encoding: str
    rule: str
    damage: tuple[Damage, ...] = ()


# --- gzip ----------------------------------------------------------------------------------


def gunzip(raw: bytes, name: str, max_bytes: int) -> tuple[bytes, Damage]:
    """The page a gzip member holds (a capture saved with its ``Content-Encoding`` still
    on), read no further than ``max_bytes``, and its damage entry: ``gzip``, or
    ``gzip-truncated`` for a member cut short, which gives what it holds."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        page = inflater.decompress(raw, max_bytes + 1)
    except zlib.error as err:
        raise InputError(
            f"{name}: binary input: gzip-compressed data (signature 1f 8b at byte 0) that "
            f"does not decompress ({err}), not a page",
            source=name,
        ) from err
    if len(page) > max_bytes:
        raise InputError(
            f"{name}: gzip-compressed input decompresses to more than the limit of "
            f"{max_bytes} bytes",
            source=name,
        )
    if not page.strip():
        raise InputError(
            f"{name}: binary input: gzip-compressed data (signature 1f 8b at byte 0) that "
            "holds no page; decompress it first (gzip.decompress)",
            source=name,
        )
    return page, Damage(kind="gzip" if inflater.eof else "gzip-truncated", count=1)


# --- decoding with the damage counted --------------------------------------------------------


@attrs.frozen
class _Replaced:
    text: str
    invalid: int
    offsets: tuple[int, ...]
    cut: bool


def _decode_replacing(data: bytes, codec: str) -> _Replaced:
    """``data.decode(codec, "replace")``, counting the invalid sequences and placing the
    first few; a character cut off by the end of the data is dropped (``cut``)."""
    try:
        return _Replaced(data.decode(codec), 0, (), False)
    except UnicodeDecodeError:
        pass
    decoder = codecs.getincrementaldecoder(codec)("replace")
    text = decoder.decode(data, final=False)
    pending = decoder.getstate()[0]
    cut = bool(pending)
    body = data[: len(data) - len(pending)] if cut else data
    # U+FFFD the page itself held are not invalid bytes: an "ignore" decoding keeps only
    # those, and costs one more pass in C.
    invalid = text.count("\ufffd") - body.decode(codec, "ignore").count("\ufffd")
    return _Replaced(text, invalid, _invalid_offsets(body, codec), cut)


def _invalid_offsets(data: bytes, codec: str) -> tuple[int, ...]:
    """Character offsets of the first ``DAMAGE_OFFSETS`` invalid sequences: decode up to
    each error strictly (only the first few, so the cost stays linear)."""
    offsets: list[int] = []
    chars = 0
    at = 0
    view = memoryview(data)
    while len(offsets) < DAMAGE_OFFSETS and at < len(data):
        try:
            chars += len(codecs.decode(view[at:], codec))
            break
        except UnicodeDecodeError as err:
            chars += len(codecs.decode(view[at : at + err.start], codec))
            offsets.append(chars)
            chars += 1
            at += err.end
    return tuple(offsets)


def _utf8_evidence(data: bytes, replaced: _Replaced) -> int:
    """How many valid multi-byte UTF-8 characters ``data`` holds."""
    ascii_bytes = len(data.translate(None, _HIGH_BYTES))
    return len(replaced.text) - ascii_bytes - replaced.invalid


def _invalid_damage(replaced: _Replaced) -> list[Damage]:
    if not replaced.invalid:
        return []
    return [Damage(kind="invalid-bytes", count=replaced.invalid, offsets=replaced.offsets)]


# --- the decision ---------------------------------------------------------------------------


def decode(raw: bytes, name: str, charset: str | None) -> Decoded:
    """Decide the encoding of ``raw`` (not empty, no known binary signature) and decode."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _decode_bom(raw[len(bom) :], codec, name)
    transport = transport_charset(charset)
    if transport is not None and transport.startswith("utf-16") and _may_be_utf16(raw):
        # Browsers honour UTF-16 from the transport (not from a <meta>): NULs are then text.
        replaced = _decode_replacing(raw, transport)
        if replaced.invalid <= FEW_INVALID:
            return _decoded(replaced, "utf-16", "http-charset")
    order = utf16_order(raw)
    if order is not None:
        replaced = _decode_replacing(raw, f"utf-16-{order}")
        if replaced.invalid <= FEW_INVALID:
            return _decoded(replaced, f"utf-16-{order}", "utf-16-without-bom")
    declared = [(codec, "http-charset") for codec in (transport,) if codec is not None]
    declared += [(codec, "meta-charset") for codec in (declared_charset(raw),) if codec]
    utf8 = _decode_replacing(raw, "utf-8")
    if _utf8_as_a_whole(raw, utf8, declared):
        # Valid UTF-8 (with non-ASCII) wins over a declared legacy encoding: servers and
        # templates often declare iso-8859-1 and send UTF-8; legacy text is practically
        # never valid UTF-8. The first declaration is the one overridden.
        rule = "utf-8"
        if declared and declared[0][0] != "utf-8" and not raw.isascii():
            rule = f"utf-8-over-{declared[0][1]}"
        return _decoded(utf8, "utf-8", rule)
    for codec, rule in declared:
        if codec == "utf-8" or codec.startswith("utf-16"):
            continue  # a UTF-16 declaration over bytes that are not UTF-16 is a lie
        replaced = _decode_replacing(raw, codec)
        if replaced.invalid <= FEW_INVALID:
            return _decoded(replaced, _DISPLAY_NAMES.get(codec, codec), rule)
    codec = legacy_codec(raw)
    return _decoded(_decode_replacing(raw, codec), codec, f"fallback-{codec}")


def _decoded(replaced: _Replaced, encoding: str, rule: str) -> Decoded:
    return Decoded(
        text=replaced.text,
        encoding=encoding,
        rule=rule + ("-cut" if replaced.cut else ""),
        damage=tuple(_invalid_damage(replaced)),
    )


def _decode_bom(data: bytes, codec: str, name: str) -> Decoded:
    replaced = _decode_replacing(data, codec)
    encoding = codec.removesuffix("-le").removesuffix("-be")
    if codec == "utf-8" and replaced.invalid > FEW_INVALID:
        evidence = _utf8_evidence(data, replaced)
        if replaced.invalid * _UTF8_EVIDENCE > evidence:
            first = replaced.offsets[0] if replaced.offsets else 0
            raise InputError(
                f"{name}: starts with a utf-8 byte-order mark but is not utf-8: "
                f"{replaced.invalid} invalid sequences, the first at character {first}",
                source=name,
            )
    return _decoded(replaced, encoding, "bom")


def _may_be_utf16(raw: bytes) -> bool:
    """Whether bytes a transport declares UTF-16 may be: markup and text in UTF-16 have NULs
    (every ASCII character has one), and bytes that are valid UTF-8 without any NUL are
    UTF-8 (or ASCII) that a server mislabelled; read as UTF-16 they would be CJK mojibake."""
    if b"\x00" in raw[:4096]:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _utf8_as_a_whole(raw: bytes, utf8: _Replaced, declared: list[tuple[str, str]]) -> bool:
    if utf8.invalid == 0:
        # A cut needs other multi-byte characters before it (or a UTF-8 declaration):
        # ``café`` in windows-1252 also ends in what looks like a cut UTF-8 lead byte.
        return not utf8.cut or not utf8.text.isascii() or _declares_utf8(declared)
    evidence = _utf8_evidence(raw, utf8)
    if _declares_utf8(declared) and utf8.invalid <= max(FEW_INVALID, evidence):
        return True
    return evidence > 0 and utf8.invalid * _UTF8_EVIDENCE <= evidence


def _declares_utf8(declared: list[tuple[str, str]]) -> bool:
    return bool(declared) and declared[0][0] == "utf-8"


# --- BOM-less UTF-16 -------------------------------------------------------------------------


def utf16_order(raw: bytes) -> str | None:
    """``le`` or ``be`` when the bytes are surely UTF-16 without a BOM: NULs on one side of
    most byte pairs and almost never on the other (ASCII in UTF-16-LE has a NUL in every odd
    byte; Arabic still has one after each space, digit and newline, ~15%). Binary data has
    NULs at both parities; single-byte text has none."""
    head = raw[:4096]
    pairs = len(head) // 2
    if pairs < 4 or b"\x00" not in head:
        return None
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    for order, nuls, others in (("le", odd, even), ("be", even, odd)):
        if nuls >= max(4, pairs // 10) and others * 20 <= nuls:
            return order
    return None


# --- declarations ----------------------------------------------------------------------------


def declared_charset(raw: bytes) -> str | None:
    """The codec a ``<meta charset>``/``http-equiv`` in the first 4 KiB names, if a web one."""
    match = _META_CHARSET.search(raw[:4096])
    if match is None:
        return None
    return _web_codec(match.group(1).decode("ascii", "replace"))


def transport_charset(label: str | None) -> str | None:
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


# --- legacy code pages -----------------------------------------------------------------------

LEGACY_CODECS = ("windows-1252", "windows-1256", "windows-1251", "windows-1254")
"""The code pages an undeclared, non-UTF-8 page is read in: Western, Arabic, Cyrillic and
Turkish. A tie goes to the earlier one; windows-1254 needs Turkish evidence besides."""
_LEGACY_SAMPLE = 1 << 14
"""Bytes of words with high bytes examined to choose a legacy code page."""
# From a word's start only (the look-behind), without backtracking: linear on any input.
_HIGH_WORD = re.compile(rb"(?<![A-Za-z\x80-\xff])[A-Za-z]*+[\x80-\xff][A-Za-z\x80-\xff]*+")
# The bytes windows-1254 reads as the Turkish letters windows-1252 lacks (Ğ İ Ş ğ ı ş);
# windows-1252 reads them as Icelandic letters (Ð Ý Þ ð ý þ).
_TURKISH_ONLY = re.compile(rb"[\xd0\xdd\xde\xf0\xfd\xfe]")
_SCRIPTS = (("ARABIC", "arabic"), ("CYRILLIC", "cyrillic"), ("LATIN", "latin"))
_SCRIPT_OF: dict[str, str] = {}
_NO_ASCII = dict.fromkeys(range(128))


def legacy_codec(raw: bytes) -> str:
    """The legacy code page whose reading of the high bytes makes the most plausible words.

    A word (a run of letters holding a high byte) is plausible when every character is a
    letter of one script, in one case pattern (``word``, ``Word``, ``WORD``). Arabic in
    windows-1252 is ``ÇáÇÆÊáÇÝ`` (mixed case) and in windows-1251 ``ЗбЗЖКбЗЭ`` (mixed case);
    Russian in windows-1256 mixes Arabic and Latin letters; so each reading is told by its
    words. windows-1252 and windows-1254 read the same words but for six letters:
    windows-1254 wins a tie only where those bytes stand inside words."""
    words: list[bytes] = []
    size = 0
    for match in _HIGH_WORD.finditer(raw):
        words.append(match.group())
        size += len(words[-1]) + 1
        if size >= _LEGACY_SAMPLE:
            break
    if not words:
        return "windows-1252"
    sample = b" ".join(words)
    scores = {codec: _plausible_words(sample.decode(codec, "replace")) for codec in LEGACY_CODECS}
    best = max(scores.values())
    turkish = scores["windows-1254"]
    if turkish == best and (turkish > scores["windows-1252"] or _TURKISH_ONLY.search(sample)):
        return "windows-1254"
    return next(codec for codec in LEGACY_CODECS if scores[codec] == best)


def _plausible_words(text: str) -> int:
    count = 0
    for word in text.split(" "):
        if not word.isalpha():
            continue
        script = _one_script(word)
        if script is None:
            continue
        if script == "latin" and len(word) > 2 and word.translate(_NO_ASCII) == word:
            continue  # Latin words mix plain letters in: Russian in windows-1252 has none
        if word.islower() or word.isupper() or word.istitle() or word.lower() == word.upper():
            count += 1
    return count


def _one_script(word: str) -> str | None:
    """The script all of ``word``'s letters belong to, or ``None`` for a mixture."""
    found: str | None = None
    for char in word:
        script = _SCRIPT_OF.get(char)
        if script is None:
            name = unicodedata.name(char, "")
            script = next((s for key, s in _SCRIPTS if name.startswith(key)), "other")
            _SCRIPT_OF[char] = script
        if found is None:
            found = script
        elif script != found:
            return None
    return None if found == "other" else found
