"""URLs: the one place that splits them, reads a Wayback Machine capture through to its
original, and tells the coalition's own hosts (and so its editions) from other sites; and the
one home of what socpress knows of the Wayback Machine (capture URLs, rewritten links, the
replay script, the toolbar's marks)."""

from __future__ import annotations

import functools
import re
import urllib.parse

import attrs

from socpress._blocks import normalize
from socpress._site.editions import HOSTS, OWN_DOMAIN, PATH_PREFIXES, Edition

WAYBACK_URL = re.compile(
    r"^(?:https?:)?(?://web\.archive\.org)?/web/(\d{14})[a-z_]*/([a-z][a-z0-9+.-]*:/*.*)$",
    re.IGNORECASE,
)
"""A Wayback Machine capture URL (or rewritten link): timestamp, then the original URL."""

WAYBACK_LINK = re.compile(r"/web/(\d{14})[a-z_]*/(https?:/{1,2}[^\"'\s<>]+)", re.IGNORECASE)
"""A rewritten link anywhere in a capture's markup: its timestamp and original URL."""

WAYBACK_WOMBAT = re.compile(r"__wm\.wombat\(\s*[\"']([^\"']{1,2048})[\"']\s*,\s*[\"'](\d{14})[\"']")
"""The replay script's own record of a capture: original URL, then timestamp."""

WAYBACK_TOOLBAR_COMMENT = "WAYBACK TOOLBAR INSERT"
"""The comments (``BEGIN …``, ``END …``) the Wayback Machine puts around its toolbar."""

WAYBACK_SCRIPTS = ("__wm.", "web-static.archive.org/_static", "web.archive.org/_static")
"""Marks of the replay scripts a capture loads."""


_SCHEME_SLASH = re.compile(r"^([a-z][a-z0-9+.-]*):/+", re.IGNORECASE)
_SLUG_SUFFIX = re.compile(r"\.(?:html?|php|aspx?)$", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class UrlParts:
    """A URL taken apart, through a Wayback capture to the original where there is one."""

    host: str
    """Lower-case host name without a trailing dot (``''`` when there is none)."""
    path: str
    """The path, percent-encoding kept."""


def unwrap_wayback(url: str) -> tuple[str, str] | None:
    """``(original URL, timestamp)`` from a ``/web/<timestamp>[flags]/<url>`` capture URL."""
    match = WAYBACK_URL.match(url.strip())
    if match is None:
        return None
    original = _SCHEME_SLASH.sub(lambda m: f"{m.group(1)}://", match.group(2), count=1)
    return original, match.group(1)


@functools.lru_cache(maxsize=256)
def split_url(url: str) -> UrlParts | None:
    """Host and path of ``url`` (a capture URL is read through to the original); ``None`` when
    ``urllib`` cannot take it apart (a bad IPv6 host makes it raise). Cached: a page's URL
    is asked about by several fields."""
    url = url.strip()
    unwrapped = unwrap_wayback(url)
    if unwrapped is not None:
        url = unwrapped[0]
    if "://" not in url and not url.startswith("//"):
        url = "//" + url
    try:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    return UrlParts(host=host, path=parts.path)


def splits(url: str) -> bool:
    """Whether ``urllib`` can take the URL apart."""
    return split_url(url) is not None


def own_site(parts: UrlParts) -> bool:
    """Whether the host is the coalition's own site."""
    return parts.host == OWN_DOMAIN or parts.host.endswith("." + OWN_DOMAIN)


def edition_of_url(url: str) -> Edition | None:
    """The edition a URL on the coalition's site names by its host or first path segment
    (which overrides the host's); ``None`` for other sites and unknown hosts."""
    parts = split_url(url)
    if parts is None:
        return None
    edition = HOSTS.get(parts.host)
    if edition is None:
        return None
    first_segment = parts.path.lstrip("/").split("/", 1)[0].lower()
    return PATH_PREFIXES.get(first_segment, edition)


def slug_title(url: str) -> tuple[str, str] | None:
    """``(title, slug)`` from the URL's last path segment, when it holds two words or more."""
    parts = split_url(url)
    if parts is None:
        return None
    path = parts.path.rstrip("/")
    slug = _SLUG_SUFFIX.sub("", path.rsplit("/", 1)[-1])
    if not slug or slug.isdigit():
        return None
    words = urllib.parse.unquote(slug).replace("_", "-").split("-")
    words = [w for w in words if w]
    if len(words) < 2:
        return None
    text = " ".join(words)
    if text.isascii():
        text = text[:1].upper() + text[1:]
    return normalize(text), slug


def is_wayback(text: str) -> bool:
    """Whether the page is a Wayback Machine capture (toolbar comment, ``__wm`` script, or
    scripts served from the archive's ``/_static/``). The scripts come with the archive's
    host name, looked for first: ``__wm.`` is a slow search (``_`` is frequent in scripts)."""
    return f"BEGIN {WAYBACK_TOOLBAR_COMMENT}" in text or (
        "archive.org" in text and any(marker in text for marker in WAYBACK_SCRIPTS)
    )
