"""The one public error hierarchy of socpress, and the contract it keeps.

::

    Exception
    └── SocpressError                      every error socpress raises on purpose
        ├── InputError(ValueError)         the input cannot be read as a page at all
        └── NotAnArticleError(ValueError)  the page was read, but holds no single
                                           article; ``kind`` says what it is instead

Both leaves also subclass :class:`ValueError`, so a caller that already catches
``ValueError`` keeps working.

**The guarantee.** For a ``source`` of an accepted type (``str``, ``bytes``, ``bytearray``,
``memoryview`` or ``os.PathLike[str]``), ``load_article``, ``load_articles`` and
``strip_chrome`` return, or raise a :class:`SocpressError`; no other exception escapes
them. Time grows about linearly with the input and memory stays a bounded multiple of it;
``max_bytes`` (20 MiB by default) bounds the input (a gzip-compressed one as decompressed),
and HTML whose parse would not be linear is refused: nested over 1,000 elements deep, an
element with over 1,000 attributes, formatting elements reopened in every block
(``tests/test_robustness.py``, ``tests/test_regex_linear.py`` and the fuzz target
``fuzz/fuzz_pages.py`` hold them to it; ``docs/errors.md`` has the measured limits).
Any other exception is a bug in socpress. A source of another type is an ``InputError`` too.

**Messages** start with the source's name (the path, the ``url`` argument, or
``<string>``/``<bytes>``), then say what was wrong and where (a byte or character offset)
when there is a where; ``err.source`` holds the name.

========================================  =====================  ===========================
Input                                     Exception              Message (after the name)
========================================  =====================  ===========================
empty, or only white space                InputError             ``input is empty``
binary data: many control characters or   InputError             ``binary input (N control
NULs; nothing but NULs                                           characters …, K of them
                                                                 NUL …)``
image, PDF, archive, WARC record          InputError             ``binary input: a PNG image
                                                                 (signature … at byte 0)``
gzip that does not decompress, holds no   InputError             ``binary input: gzip-
page, or decompresses over ``max_bytes``                         compressed data … that does
                                                                 not decompress``; ``…
                                                                 decompresses to more than
                                                                 the limit``
UTF-8 BOM over bytes not UTF-8 as a whole InputError             ``starts with a utf-8
                                                                 byte-order mark but is not
                                                                 utf-8: N invalid sequences``
mojibake all through (3 or more, and one  InputError             ``mojibake (…): N sequences
per 100 non-blank characters)                                    like …, the first at
                                                                 character N; repair …``
U+FFFD soup (8 or more, and one per 100)  InputError             ``N replacement characters
                                                                 (U+FFFD), the first at …``
over ``max_bytes`` (20 MiB by default)    InputError             ``input is N bytes, over the
                                                                 limit of M``
a one-line ``str`` shaped like a path,    InputError             ``the str … is shaped like
or naming an existing file                                       a path, not a page`` /
                                                                 ``… names an existing
                                                                 file``; ``pass
                                                                 pathlib.Path(…)``
a one-word ``str`` that is a URL          InputError             ``the str … is a URL, not a
                                                                 page``
missing or unreadable file                InputError             ``cannot read file: <OS
                                                                 reason>``
a directory; a device or FIFO             InputError             ``is a directory, not a
                                                                 file``; ``not a regular
                                                                 file``
a path with a NUL character               InputError             ``not a usable path: …``
over 10,000 text lines averaging under 24 InputError             ``N non-blank lines
characters                                                       averaging M characters …``
HTML nested over 1,000 elements deep      InputError             ``markup nested more than
                                                                 1000 elements deep (<div>
                                                                 at character N)``
an element with over 1,000 attributes     InputError             ``an element with more than
                                                                 1000 attributes (<p> at
                                                                 character N)``
unclosed formatting elements reopened in  InputError             ``markup reopens unclosed
every block, past a budget                                       formatting elements …``
an unparsable ``url`` argument            InputError             ``not a valid URL (…)``
wrong type (``int``, ``None``, …)         InputError             ``source must be str, bytes,
                                                                 bytearray, memoryview or
                                                                 os.PathLike, not int``
a page of nothing but site chrome         NotAnArticleError      ``nothing but site chrome``;
                                          ``kind="empty"``
a listing given to ``load_article``       NotAnArticleError      ``a listing page … use
                                          ``kind="listing"``     load_articles``
========================================  =====================  ===========================

A page cut short (even inside a character) is not an error: it gives an article with
``provenance.truncated`` and an ``encoding_rule`` ending in ``-cut``. Nor is damage that
leaves a page readable, which is read where it stands and named in
``provenance.damage`` (:class:`socpress.Damage`): a few invalid bytes (each one U+FFFD),
stray NULs and control characters, lone surrogates (each one U+FFFD), a little mojibake or
U+FFFD in a long page, a gzip-compressed page, UTF-16 without a byte-order mark when its
byte order is certain. Refusal is for what is not a page. ``docs/errors.md`` has the same
contract with examples that run, how encodings are decided, the damage kinds, and the
measured limits.
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
