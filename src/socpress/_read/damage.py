"""Damage in a decoded text, found and named where it stands: control characters, NULs,
lone surrogates, mojibake and U+FFFD. A few are kept and named in ``Provenance.damage``; a
text lost all through is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from socpress._model import DAMAGE_OFFSETS, Damage
from socpress.errors import InputError

DAMAGE_ORDER = (
    "gzip",
    "gzip-truncated",
    "invalid-bytes",
    "nul",
    "control-characters",
    "lone-surrogates",
    "replacement-characters",
    "mojibake",
    "mojibake-windows-1256",
)
"""The order of ``Provenance.damage``: from the bytes outwards."""

# C0 controls but tab, line feed, carriage return and form feed; DEL. NUL is counted
# apart; C1 controls are the mark of mojibake (``â\x80\x99``), counted as that.
_CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# --- damage in decoded text ------------------------------------------------------------------


def text_damage(text: str) -> list[Damage]:
    """NULs and control characters in a decoded text: counted, the first placed."""
    found = []
    nuls = text.count("\x00")
    if nuls:
        offsets: list[int] = []
        at = -1
        while len(offsets) < min(nuls, DAMAGE_OFFSETS):
            at = text.index("\x00", at + 1)
            offsets.append(at)
        found.append(Damage(kind="nul", count=nuls, offsets=tuple(offsets)))
    if not text.isascii() or not text.isprintable():
        controls = _CONTROL.findall(text) if _CONTROL.search(text) else []
        if controls:
            first = [
                m.start()
                for _, m in zip(range(DAMAGE_OFFSETS), _CONTROL.finditer(text), strict=False)
            ]
            found.append(
                Damage(kind="control-characters", count=len(controls), offsets=tuple(first))
            )
    return found


def replace_lone_surrogates(text: str) -> tuple[str, Damage | None]:
    """``text`` with each lone surrogate replaced by U+FFFD (same length, so offsets hold)."""
    first = _LONE_SURROGATE.search(text)
    if first is None:
        return text, None
    offsets = [
        m.start()
        for _, m in zip(range(DAMAGE_OFFSETS), _LONE_SURROGATE.finditer(text), strict=False)
    ]
    clean, count = _LONE_SURROGATE.subn("\ufffd", text)
    return clean, Damage(kind="lone-surrogates", count=count, offsets=tuple(offsets))


def merged(entries: Iterable[Damage]) -> tuple[Damage, ...]:
    """One entry per kind, in ``DAMAGE_ORDER``; entries of one kind are added up."""
    by_kind: dict[str, Damage] = {}
    for entry in entries:
        known = by_kind.get(entry.kind)
        if known is None:
            by_kind[entry.kind] = entry
            continue
        by_kind[entry.kind] = Damage(
            kind=entry.kind,
            count=known.count + entry.count,
            offsets=tuple(sorted({*known.offsets, *entry.offsets}))[:DAMAGE_OFFSETS],
            locators=(*known.locators, *entry.locators)[:DAMAGE_OFFSETS],
        )
    rank = {kind: i for i, kind in enumerate(DAMAGE_ORDER)}
    return tuple(sorted(by_kind.values(), key=lambda d: (rank.get(d.kind, len(rank)), d.kind)))


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
"""This many mojibake sequences, when they are also one per 100 non-blank characters,
refuse a text; fewer are read as they stand (and named in ``Provenance.damage``): a few
double-encoded characters in a long page do not make it unreadable."""
_REPLACEMENT_MIN = 8
"""This many U+FFFD, when they are also one per 100 non-blank characters, refuse a text: a
few mangled emoji keep a page, a lost script does not."""
_COUNT_CAP = 1000
"""A refused text's mojibake sequences are counted up to this many for its message."""


Locate = Callable[[list[int]], list[tuple[str, str]]]
"""For HTML: maps offsets into the kept text to the ``(tag, locator)`` of their elements."""


def _non_blank(text: str) -> int:
    return len(text) - sum(text.count(c) for c in " \t\r\n")


def lost_text(text: str, name: str, locate: Locate | None = None) -> list[Damage]:
    """The mojibake and U+FFFD in ``text``, refused when they are pervasive.

    ``text`` is the decoded text of a text rendering (offsets index it), or the text the
    HTML reader kept (``locate`` then names the elements). A page is refused when at least
    ``_MOJIBAKE_MIN`` mojibake sequences (``_REPLACEMENT_MIN`` U+FFFD) make one per 100
    non-blank characters: then it is garbled through, and no field of it can be trusted. A
    few in a long page are read as they stand, and named in ``Provenance.damage``."""
    if text.isascii():  # O(1) for a str: no mojibake and no U+FFFD can be in it
        return []
    non_blank = -1  # counted when a count could reach a threshold: most texts have none
    found: list[Damage] = []
    for pattern, kind, what, repair in (
        (
            _MOJIBAKE_UTF8,
            "mojibake",
            "UTF-8 read as windows-1252 or latin-1",
            "text.encode('windows-1252').decode('utf-8'), or pass the original bytes",
        ),
        (
            _MOJIBAKE_1256,
            "mojibake-windows-1256",
            "windows-1256 Arabic read as windows-1252 or latin-1",
            "text.encode('windows-1252').decode('windows-1256'), or pass the original bytes",
        ),
    ):
        refuse_at = _MOJIBAKE_MIN  # raised to one per 100 non-blank at the first reach
        count = 0
        offsets: list[int] = []
        first = ""
        for match in pattern.finditer(text):
            if pattern is _MOJIBAKE_1256 and len(set(match.group().lower())) < 3:
                continue  # "Äääähm" is German; Arabic words read as Latin-1 vary
            count += 1
            if len(offsets) < DAMAGE_OFFSETS:
                offsets.append(match.start())
                first = first or match.group()
            if count == _MOJIBAKE_MIN:
                if non_blank < 0:
                    non_blank = _non_blank(text)
                refuse_at = max(_MOJIBAKE_MIN, -(-non_blank // 100))
            if count >= refuse_at:
                total = _pervasive_total(pattern, text)
                many = f"{total} or more" if total >= _COUNT_CAP else str(total)
                raise InputError(
                    f"{name}: mojibake ({what}): {many} sequences like {first!r}, "
                    f"the first {_where(offsets[0], locate)}; repair it first, e.g. {repair}",
                    source=name,
                )
        if count:
            found.append(_damage(kind, count, offsets, locate))
    replacements = text.count("\ufffd")
    if replacements:
        offsets = []
        at = -1
        while len(offsets) < min(replacements, DAMAGE_OFFSETS):
            at = text.index("\ufffd", at + 1)
            offsets.append(at)
        if replacements >= _REPLACEMENT_MIN and non_blank < 0:
            non_blank = _non_blank(text)
        if replacements >= max(_REPLACEMENT_MIN, -(-non_blank // 100)):
            raise InputError(
                f"{name}: {replacements} replacement characters (U+FFFD), the first "
                f"{_where(offsets[0], locate)}: the text was decoded with the wrong encoding "
                "and errors='replace'; pass the original bytes",
                source=name,
            )
        found.append(_damage("replacement-characters", replacements, offsets, locate))
    return found


def _pervasive_total(pattern: re.Pattern[str], text: str) -> int:
    """How many sequences a refused text holds, counted up to ``_COUNT_CAP``."""
    count = 0
    for match in pattern.finditer(text):
        if pattern is _MOJIBAKE_1256 and len(set(match.group().lower())) < 3:
            continue
        count += 1
        if count >= _COUNT_CAP:
            break
    return count


def _where(at: int, locate: Locate | None) -> str:
    if locate is None:
        return f"at character {at}"
    tag, locator = locate([at])[0]
    return f"in <{tag}> at {locator}"


def _damage(kind: str, count: int, offsets: list[int], locate: Locate | None) -> Damage:
    if locate is None:
        return Damage(kind=kind, count=count, offsets=tuple(offsets))
    locators = tuple(dict.fromkeys(locator for _, locator in locate(offsets)))
    return Damage(kind=kind, count=count, locators=locators)
