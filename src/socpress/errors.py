"""The one public error hierarchy of socpress.

::

    Exception
    └── SocpressError                      every error socpress raises on purpose
        ├── InputError(ValueError)         the input cannot be read as a page at all
        └── NotAnArticleError(ValueError)  the page was read, but holds no single
                                           article; ``kind`` says what it is instead

Both leaves also subclass ``ValueError``, so a caller that already catches ``ValueError``
keeps working. For a source of an accepted type, the load functions return or raise a
``SocpressError``; any other exception escaping them is a bug in socpress. Damage that
leaves a page readable is not an error: it is read where it stands and named in
``provenance.damage``. ``docs/errors.md`` is the contract: every refusal with its message,
how encodings are decided, the damage kinds and the limits.
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["InputError", "NotAnArticleError", "SocpressError"]

NotAnArticleKind = Literal["listing", "empty"]
"""What a page that holds no single article is instead."""


class SocpressError(Exception):
    """Base class of every error socpress raises on purpose.

    An error pickles with its attributes (a worker process can send it back whole).
    """

    source: str
    """Where the input came from: a path, a URL, ``<string>`` or ``<bytes>``; the message
    starts with it."""

    def __init__(self, message: str, *, source: str) -> None:
        super().__init__(message)
        self.source = source

    def __reduce__(self) -> tuple[Any, ...]:
        # The default passes only ``args`` back to ``__init__``, which needs its keywords.
        return (_rebuild, (type(self), self.args), self.__dict__)


def _rebuild(cls: type[SocpressError], args: tuple[object, ...]) -> SocpressError:
    return cls.__new__(cls, *args)


class InputError(SocpressError, ValueError):
    """The input cannot be read as a page: empty, binary, undecodable, garbled
    (mojibake, U+FFFD soup), too large, a one-line ``str`` that is a path or a URL and not
    a page, a file that cannot be opened, or a source of the wrong type."""


class NotAnArticleError(SocpressError, ValueError):
    """The page was read but holds no single article."""

    kind: NotAnArticleKind
    """What the page is instead: ``"listing"`` (several items: use ``load_articles``) or
    ``"empty"`` (nothing but site chrome)."""

    def __init__(self, message: str, *, kind: NotAnArticleKind, source: str) -> None:
        super().__init__(message, source=source)
        self.kind = kind
