"""The one public error hierarchy of socpress.

::

    Exception
    └── SocpressError                      every error socpress raises on purpose
        ├── InputError(ValueError)         the input cannot be read as a page at all:
        │                                  empty, binary, undecodable, oversized, a str
        │                                  that names a file, an unreadable file
        └── NotAnArticleError(ValueError)  the page was read, but holds no single
                                           article; ``kind`` says what it is instead
                                           (``"listing"``, ``"empty"``, ``"no-article"``)

Both leaves also subclass :class:`ValueError`, so a caller that already catches
``ValueError`` keeps working. ``load_article``, ``load_articles`` and ``strip_chrome``
raise nothing else for inputs of their accepted types: any other exception escaping
them is a bug in socpress.

Every message names the source (a path, a URL or ``<string>``/``<bytes>``), says what
was wrong, and where (a byte or character offset) when there is a where.
"""

from __future__ import annotations

__all__ = ["InputError", "NotAnArticleError", "SocpressError"]


class SocpressError(Exception):
    """Base class of every error socpress raises on purpose."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        #: Where the input came from: a path, a URL, ``<string>`` or ``<bytes>``.
        self.source = source


class InputError(SocpressError, ValueError):
    """The input cannot be read as a page: empty, binary, undecodable, too large,
    a ``str`` that names an existing file, or a file that cannot be opened."""


class NotAnArticleError(SocpressError, ValueError):
    """The page was read but holds no single article.

    ``kind`` says what it is instead: ``"listing"`` (several items: use
    ``load_articles``), ``"empty"`` (nothing but site chrome) or ``"no-article"``.
    """

    def __init__(self, message: str, *, kind: str, source: str | None = None) -> None:
        super().__init__(message, source=source)
        #: What the page is instead of an article.
        self.kind = kind
