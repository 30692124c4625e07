"""The page layouts socpress knows, as data.

A layout is a signature (what its pages contain), a head strategy (how title, date and
category stand at the top), and a few switches. The pipeline tries layouts in table order
and takes the first whose signature matches and whose head strategy finds its head.
Adding a layout is a new row here plus a golden case; a new head strategy is the only
reason to touch the ``_extract`` stage.
"""

from __future__ import annotations

import re

import attrs

from socpress._site.dates import WEEKDAY_STAMP
from socpress._site.editions import EDITIONS
from socpress._site.rules import PRINT_VIEW


@attrs.frozen(kw_only=True)
class Layout:
    name: str
    """What ``provenance.layout`` says when this layout matched."""
    head: str
    """Head strategy: ``jnews``, ``joomla``, ``title-repeat``, ``republisher``,
    ``title-first`` or ``none`` (see ``_extract.HEADS``)."""
    all_of: tuple[re.Pattern[str], ...] = ()
    """Each must match the content of some block."""
    any_of: tuple[re.Pattern[str], ...] = ()
    """At least one must match some block (when not empty)."""
    first: re.Pattern[str] | None = None
    """Must match the first block (after a ``Print this page`` line)."""
    own_site: bool = False
    """Pages of this layout are the coalition's own site, so its statements."""
    standfirst: bool = False
    """A standfirst may stand between title and body."""
    expects_footer: bool = False
    """A complete capture ends in footer chrome; its absence means the capture was cut."""
    head_rule: str = "page-header"
    """Rule for head lines no specific header rule names."""
    slug_title: bool = False
    """The text holds no title: one may be read from the ``url``'s last path segment."""
    listing: bool = False
    """Pages of this layout hold several items (``load_article`` refuses them)."""
    footer_sections: bool = True
    """The first block a footer rule of ``_site/rules.py`` matches ends the body, and its rule
    labels every block after it (the coalition's chrome, for the layouts it was written for).
    Off for the generic layouts: there a footer rule removes only a short block that is
    exactly the chrome (``LOCAL_CHROME_MAX``), and never ends the body."""


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        name="jnews-full",
        head="jnews",
        all_of=(
            _rx(r"^No Result$"),
            _rx(r"^View All Result$"),
            # Any edition's site name: the Turkish rendering reads exactly like the English.
            _rx("^(?:" + "|".join(re.escape(n) for e in EDITIONS for n in e.site_names) + ")$"),
        ),
        own_site=True,
        expects_footer=True,
        head_rule="site-header",
    ),
    Layout(
        name="joomla-print",
        head="joomla",
        all_of=(_rx(PRINT_VIEW),),
        first=WEEKDAY_STAMP,
        own_site=True,
    ),
    Layout(
        name="joomla",
        head="joomla",
        first=WEEKDAY_STAMP,
        own_site=True,
        expects_footer=True,
    ),
    Layout(
        name="syrianobserver",
        head="republisher",
        any_of=(
            _rx(r"^This article was (?:translated and )?edited by The Syrian Observer"),
            _rx(r"^Recommend article$"),
            _rx(r"^Logo Wide$"),
        ),
        standfirst=True,
        head_rule="site-logo",
    ),
    Layout(
        name="syriakurd",
        head="title-repeat",
        any_of=(_rx(r"^Leave a Reply$"), _rx(r"^Your email address will not be published")),
    ),
    Layout(name="title-body", head="title-first", footer_sections=False),
    Layout(name="body-only", head="none", slug_title=True, footer_sections=False),
)
"""Tried in order; the last two always match, so every text gets a layout."""

EMPTY = Layout(name="empty", head="none")
"""The layout of an input with no blocks at all."""

LISTINGS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        # /date/2017/5/22.html and the Arabic archives: ``<date> In <Category>`` + body.
        Layout(
            name="listing-date-archive",
            head="none",
            own_site=True,
            head_rule="listing-header",
            listing=True,
        ),
        # /tag/…: title, teaser ending in ``...`` printed twice, then the mission blurb.
        Layout(name="listing-tag", head="none", head_rule="listing-header", listing=True),
        # /press: a section heading, then title + summary pairs, no dates.
        Layout(name="listing-section", head="none", head_rule="listing-header", listing=True),
        # Another site's tag, category or archive page: a heading (``Tag: …``), then items of
        # a title and a date line (or a ``Read More`` link) with a teaser. Its chrome is not
        # the coalition's, so footer rules are block-local, as on the generic layouts.
        Layout(
            name="listing-archive",
            head="none",
            head_rule="listing-header",
            listing=True,
            footer_sections=False,
        ),
    )
}
"""Listing pages: several items, each read into an ``Article`` of its own."""
