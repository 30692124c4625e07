"""CSS-path locators for HTML elements: short, stable, and unique within a page.

A block's or a removal's ``locator`` names the element it came from, so a user can find it
in the markup again.
"""

from __future__ import annotations

import functools
import re

from selectolax.lexbor import LexborNode

_IDENT = re.compile(r"\A-?[A-Za-z_][\w-]*\Z")


# --- locators --------------------------------------------------------------------------------


_MAX_STEPS = 32
"""Locators name at most this many steps; a deeper element's locator starts ``…>``."""


class Frame:
    """One open element of the walk: enough to name it by a CSS path, built only on demand."""

    __slots__ = ("counts", "element", "node", "nth", "parent", "path", "seg", "steps", "tag")

    def __init__(self, node: LexborNode, tag: str, nth: int, parent: Frame | None) -> None:
        self.node = node
        self.tag = tag
        self.nth = nth
        self.parent = parent
        self.seg: str | None = None
        """This element's step of a path (``div.content:nth-of-type(2)``)."""
        self.path: str | None = None
        self.steps = 0
        """How many steps ``path`` names (at most ``_MAX_STEPS``)."""
        self.counts: dict[str, int] | None = None
        """Element children seen so far, by tag, for ``:nth-of-type``; made on the first."""
        self.element = -1
        """Index of this element in ``HtmlPage.elements`` once a block lies in it; else -1."""


def segment(node: LexborNode, tag: str, nth: int) -> str:
    return segment_of(node.attributes, tag, nth)


def segment_of(attributes: dict[str, str | None], tag: str, nth: int) -> str:
    """``segment`` from attributes already read (reading them from the node costs a dict)."""
    base = _base_segment(tag, attributes.get("id"), attributes.get("class"))
    return base if nth <= 1 else f"{base}:nth-of-type({nth})"


@functools.lru_cache(maxsize=4096)
def _base_segment(tag: str, ident: str | None, classes: str | None) -> str:
    # Cached: a page repeats the same tag, id and class over and over (menus, lists).
    if ident and _IDENT.match(ident):
        return f"{tag}#{ident}"
    if classes:
        first = classes.split(None, 1)[0] if classes.strip() else ""
        if first and _IDENT.match(first):
            return f"{tag}.{first}"
    return tag


def _join(steps: list[str], deeper: bool) -> str:
    """Steps (innermost first) as a path; ``…>`` marks steps left out above."""
    path = ">".join(reversed(steps))
    return f"…>{path}" if deeper else path


def frame_path(frame: Frame) -> str:
    # A frame's path is its parent's plus one step, kept on the frame: a block's locator
    # costs one step, not one per ancestor. At most _MAX_STEPS steps are kept, so a frame
    # holds a bounded string however deep it lies. The walk's root (body) has its path.
    if frame.path is not None:
        return frame.path
    chain: list[Frame] = []
    cursor = frame
    while cursor.path is None:
        chain.append(cursor)
        if len(chain) > _MAX_STEPS:
            # More unnamed ancestors than a path holds (hundreds of nested elements): build
            # this frame's path from its nearest steps only; giving every ancestor its path
            # would cost O(depth) steps for the chain.
            steps = [_step(f) for f in chain[:_MAX_STEPS]]
            frame.path, frame.steps = _join(steps, True), _MAX_STEPS
            return frame.path
        assert cursor.parent is not None  # the root's path is set
        cursor = cursor.parent
    path, count = cursor.path, cursor.steps
    for step in reversed(chain):
        path = f"{path}>{_step(step)}"
        count += 1
        if count > _MAX_STEPS:  # leave out the outermost step kept; steps hold no ">"
            count = _MAX_STEPS
            path = "…>" + path.removeprefix("…>").split(">", 1)[1]
        step.path, step.steps = path, count
    return path


def _step(frame: Frame) -> str:
    if frame.seg is None:
        frame.seg = segment(frame.node, frame.tag, frame.nth)
    return frame.seg


def css_path(node: LexborNode) -> str:
    """The locator ``read_html`` gives an element: ``body>div.jeg_viewport>p:nth-of-type(2)``.

    Each step is the tag, then ``#id`` or the first class (when they are plain identifiers),
    then ``:nth-of-type(n)`` when the element is not the first of its tag among its siblings.
    The path starts at ``body`` or ``head`` (``html`` for the root itself); past
    ``_MAX_STEPS`` steps the outer ones are left out and the path starts ``…>``.
    """
    steps: list[str] = []
    cursor: LexborNode | None = node
    while cursor is not None and len(steps) < _MAX_STEPS:
        tag = cursor.tag or ""
        if tag in ("body", "head", "html") or tag.startswith("-"):
            if tag in ("body", "head", "html"):
                steps.append(tag)
            cursor = None
            break
        nth = 1
        sibling = cursor.prev
        while sibling is not None:
            if sibling.tag == tag:
                nth += 1
            sibling = sibling.prev
        steps.append(segment(cursor, tag, nth))
        cursor = cursor.parent
    deeper = cursor is not None and (cursor.tag or "") not in ("", "html", "-document")
    return _join(steps, deeper)
