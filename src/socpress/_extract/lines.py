"""What one line is: title-like, a date line, the same title again, a sentence's end; and
the draft's small verbs (evidence for a block, add a value, remove a block as chrome).
"""

from __future__ import annotations

import datetime
import re
from typing import TypeVar

from socpress._blocks import TATWEEL, Block, normalize
from socpress._extract.draft import Draft, Found, Signal
from socpress._model import Evidence, Removal
from socpress._site import rules as R
from socpress._site.dates import parse_date_line

SENTENCE_END = re.compile(r"[.!?…。؟!»”\"’')\]:]$")
_TITLE_BAD_END = re.compile(r"[.:,;]$")
STANDFIRST_MAX = 600

T = TypeVar("T")


# --- evidence helpers ------------------------------------------------------------------


def evidence_for(block: Block, rule: str, *, part: tuple[int, int] | None = None) -> Evidence:
    """Evidence pointing at a block, or at ``part`` (offsets into ``block.text``)."""
    lo, hi = part if part is not None else (0, len(block.text))
    raw = block.text[lo:hi]
    if block.locator is not None:
        return Evidence(rule=rule, raw=raw, locator=block.locator)
    return Evidence(rule=rule, raw=raw, spans=((block.start + lo, block.start + hi),))


def remove(draft: Draft, block: Block, rule: str) -> None:
    if block.locator is not None:
        draft.removed.append(Removal(rule=rule, text=block.text, locator=block.locator))
    else:
        draft.removed.append(Removal(rule=rule, text=block.text, span=block.span))


def add(
    candidates: list[Found[T]], draft: Draft, value: T, ev: Evidence, block: Block | None
) -> None:
    """Add a candidate for a field; the block is claimed by the first (the one that wins
    among the text's own candidates, see ``_fields``)."""
    if not candidates and block is not None:
        draft.claimed.add(block.index)
    candidates.append(Found(value, ev))


def credit(draft: Draft, weight: int, ev: Evidence) -> None:
    draft.signals.append(Signal(weight, ev))


def same_title(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def fold(text: str) -> str:
    return _fold_normalized(normalize(text))


def _fold_normalized(text: str) -> str:
    """``fold`` of a text ``normalize`` has already returned."""
    if text.isascii():  # no tatweel nor curly quotes, and casefold is lower
        return text.lower()
    text = text.replace(TATWEEL, "").casefold()
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def repeats_title(content: str, folded_title: str) -> bool:
    """``fold(content) == folded_title`` for a block's ``content`` (text ``normalize`` has
    returned: normalizing it again changes nothing), mostly without folding it.

    An ASCII text folds to itself lower-cased, trimmed, its white space collapsed: its
    first visible letter must already be the title's. And case folding never shortens a
    text, so folding a normalized one drops its tatweels at most: a longer text is no title.
    """
    head = content.lstrip()[:1]
    # (A control character heads nothing: ``normalize`` drops it.)
    if content.isascii() and head.isprintable() and head.lower() != folded_title[:1]:
        return False
    if len(content) - content.count(TATWEEL) > len(folded_title):
        return False
    return _fold_normalized(content) == folded_title


def looks_like_title(block: Block) -> bool:
    text = block.content
    words = text.split()
    return (
        0 < len(text) <= 250
        and len(words) >= 2
        and kind_line(text) is None
        and _TITLE_BAD_END.search(text) is None
        and parse_date_line(text) is None
        and R.footer_sections.first_rule(text) is None
        and R.SOURCE_LINE_ALONE.match(text) is None
    )


def date_line(block: Block) -> datetime.date | None:
    match = parse_date_line(block.content)
    return None if match is None else match.value


def posted_date(block: Block) -> datetime.date | None:
    """The date of a date line as other sites print it: the date alone (``March 5, 2021``)
    or after ``Posted on`` and before a byline (``Posted on March 5, 2021 by admin``)."""
    content = block.content
    if len(content) > R.LOCAL_CHROME_MAX:
        return None
    when = date_line(block)
    if when is not None:
        return when
    match = R.POSTED_LINE.match(content)
    if match is None or match.group(1) == content:
        return None
    found = parse_date_line(match.group(1))
    return None if found is None else found.value


def find(text: str, needle: str) -> tuple[int, int]:
    at = text.find(needle)
    return (at, at + len(needle)) if at >= 0 else (0, len(text))


def kind_line(content: str) -> tuple[str, str] | None:
    """``(kind, note)`` when a line is a header's kind line: the kind alone, or the kind and a
    note (``Press Release Original in arabic``); tatweel padding dropped from the kind."""
    text = content.replace(TATWEEL, "")
    match = R.RELEASE_KINDS.match(text)
    if match is None:
        return None
    rest = text[match.end() :]
    if not rest:
        return text, ""
    if rest[:1] == " " and R.KIND_NOTE.fullmatch(rest.strip()) is not None:
        return text[: match.end()], rest.strip()
    return None


SOURCE_PATTERNS = (R.SOURCE_LINE_GLUED, R.SOURCE_LINE_BARE)
SOURCE_ALONE = (R.SOURCE_LINE_ALONE, R.SOURCE_LINE_BARE)
