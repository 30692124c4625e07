"""Stage 2: decoded text → blocks, the one intermediate form both readers produce.

A block is a line of a text rendering, or a block element of HTML. Chrome rules and
field extraction only ever see blocks, so they are written once for both readers.
"""

from __future__ import annotations

import re
import unicodedata

import attrs

# Characters that carry direction or nothing visible, C0 control characters (a stray NUL:
# damage the provenance names) and lone surrogates; they must not leak into fields. C1
# controls stay: they are the mark of mojibake (``â\x80\x99``), which is named instead.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff\u00ad\x00-\x08\x0e-\x1b\x7f\ud800-\udfff]"
)
_SPACE = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
TATWEEL = "\u0640"
"""Arabic tatweel (kashida): letter-stretching padding (``تصريــح``) that carries no meaning."""
# Bullet markers; ``Block.bullet`` asks ``startswith``, quicker than a regex match.
BULLETS = ("•", "·", "▪", "●", "◦", "‣", "∙")
_BULLET = re.compile("^[" + "".join(BULLETS) + r"]\s*")
# From a line's first visible character to its end (white space is ``str.isspace``'s).
NON_BLANK_LINE = re.compile(r"\S[^\r\n]*")


@attrs.frozen(kw_only=True)
class Block:
    """One unit of page content with where it stands in the input."""

    index: int
    text: str
    """The block's text, stripped of surrounding white space (bullet marker kept)."""
    start: int
    """Offset of ``text`` in the decoded input (text input); 0 for HTML."""
    end: int
    locator: str | None = None
    """CSS path of the element, for HTML input."""
    tag: str | None = None
    """The HTML element name (``p``, ``h1``, ``li``…), for HTML input."""
    content: str = attrs.field(
        default=attrs.Factory(lambda self: _content(self.text), takes_self=True)
    )
    """Normalized text without a bullet marker: what rules match against. Computed once;
    pass ``content=`` explicitly when evolving a block's text."""

    @property
    def bullet(self) -> bool:
        return self.text.startswith(BULLETS)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _content(text: str) -> str:
    return normalize(_BULLET.sub("", text, count=1))


def normalize(text: str) -> str:
    """Fold white space, drop invisible and bidi control characters, NFC-compose.

    Normalization never changes letters: quotes, tatweel and typos stay as printed.
    """
    # ``str.split`` folds exactly what ``_SPACE`` folds (its ``\s`` is ``str.isspace``, and
    # the other characters it names are white space too), and no invisible character is
    # white space, so dropping them and folding commute; every invisible character is
    # unprintable, so printable folded text has none to drop (tests/test_fast_paths.py
    # checks each premise on every code point).
    folded = " ".join(text.split())
    if not folded.isprintable():  # a control or invisible character (rare)
        folded = " ".join(_INVISIBLE.sub("", folded).split())
    if folded.isascii():  # NFC already
        return text if folded == text else folded  # the same string: no copy kept
    return unicodedata.normalize("NFC", folded)


def text_blocks(text: str) -> tuple[Block, ...]:
    """Every non-blank line of a text rendering, with its span.

    A line ends at ``\r\n``, ``\r`` or ``\n``; its block is its text without the white
    space around it. One match per non-blank line (from its first visible character to the
    line's end), so blank lines cost nothing; an ASCII line's ``content`` is computed here,
    without the bullet pattern (bullets are not ASCII), and shares the line's string when
    normalizing leaves it as it is."""
    blocks: list[Block] = []
    append = blocks.append
    for match in NON_BLANK_LINE.finditer(text):
        stripped = match.group().rstrip()
        start = match.start()
        if stripped.isascii():
            append(
                Block(
                    index=len(blocks),
                    text=stripped,
                    start=start,
                    end=start + len(stripped),
                    content=normalize(stripped),
                )
            )
        else:
            append(Block(index=len(blocks), text=stripped, start=start, end=start + len(stripped)))
    return tuple(blocks)
