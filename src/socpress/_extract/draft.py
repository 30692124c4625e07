"""The typed record one reading of a page fills in, before each field is decided.

Extraction (the ``_extract`` stage) only *finds*: every value a page offers for a field is added,
in the order found, as a ``Found`` with its evidence. ``_extract/fields.py`` then decides each field
from one ordered list of sources, in one place. Nothing here is ``dict[str, Any]``: each field
has its own typed list of candidates.
"""

from __future__ import annotations

import datetime
from typing import Generic, NamedTuple, TypeVar

import attrs

from socpress._blocks import Block
from socpress._model import Evidence, Release, Removal
from socpress._site.editions import Edition
from socpress._site.layouts import Layout

T = TypeVar("T")


class Found(NamedTuple, Generic[T]):
    """One value the page offers for a field, and where it stands."""

    value: T
    evidence: Evidence


class Paragraph(NamedTuple):
    """One body paragraph: its normalized text and where it stands in the input."""

    text: str
    span: tuple[int, int]
    """Offsets into the decoded text; ``(0, 0)`` for HTML input (see ``locator``)."""
    locator: str | None
    """CSS path of the element, for HTML input."""


class Signal(NamedTuple):
    """One piece of evidence for (``weight > 0``) or against the text being the coalition's."""

    weight: int
    evidence: Evidence


@attrs.define
class Draft:
    """The mutable record of one reading; each field's candidates in the order found."""

    layout: Layout
    """The matched layout row itself: behaviour keys on its fields, never on its name."""
    title: list[Found[str]] = attrs.Factory(list)
    published: list[Found[datetime.date]] = attrs.Factory(list)
    category: list[Found[str]] = attrs.Factory(list)
    summary: list[Found[str]] = attrs.Factory(list)
    attribution: list[Found[str]] = attrs.Factory(list)
    release: list[Found[Release]] = attrs.Factory(list)
    captured: list[Found[datetime.date]] = attrs.Factory(list)
    closing_dates: list[Found[datetime.date]] = attrs.Factory(list)
    """Dates at the end of the text: a sign-off's, or a source line's
    (``… Media Department / 12.11.2017``)."""
    paragraphs: list[Paragraph] = attrs.Factory(list)
    removed: list[Removal] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)
    truncated: bool = False
    claimed: set[int] = attrs.Factory(set)
    """Indexes of blocks that carry a field (in input order), for ``strip_chrome``."""
    signals: list[Signal] = attrs.Factory(list)
    """Evidence for and against the text being the coalition's statement."""
    opening: list[Block] = attrs.Factory(list)
    """The body's first blocks, where an outlet's voice would show (read on demand)."""
    switcher: list[str] = attrs.Factory(list)
    """Editions listed by a JNews edition switcher (the other languages)."""
    site_edition: Found[Edition] | None = None
    """The edition whose site name the page head prints."""

    def first_title(self) -> str | None:
        return self.title[0].value if self.title else None
