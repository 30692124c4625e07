"""HTML → blocks: the one module that imports selectolax.

Contract with the pipeline (``_api.py``): ``read_html`` returns the page's content blocks in
reading order (the order a browser's text rendering prints them, so the text pipeline reads
them exactly as it reads a text rendering), the elements it removed by selector rules, and
metadata candidates, each with its evidence. It never raises for any ``str``.
"""

from __future__ import annotations

import datetime

import attrs

from socpress._blocks import Block
from socpress._model import Evidence, Removal


@attrs.frozen(kw_only=True)
class MetaValue:
    """A value read from markup outside the visible text (meta tags, JSON-LD, links)."""

    field: str
    """``title``, ``published``, ``category``, ``language``, ``url`` or ``captured``."""
    value: str | datetime.date
    evidence: Evidence


@attrs.frozen(kw_only=True)
class HtmlPage:
    blocks: tuple[Block, ...]
    """Content blocks in reading order; each has ``locator`` and ``tag``; start/end are 0."""
    removed: tuple[Removal, ...]
    """Elements removed by selector rules (script, style, Wayback toolbar, nav, share bars…),
    each with a locator."""
    meta: tuple[MetaValue, ...]
    """Metadata candidates, best first within a field."""


def read_html(text: str) -> HtmlPage:
    raise NotImplementedError("the HTML reader is being written")  # replaced by the helper
