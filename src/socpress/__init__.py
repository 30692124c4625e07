"""socpress: clean, normalized, provenance-carrying articles from captured pages of the
Syrian Opposition Coalition's statements.

Reading one page:

- ``load_article(source, *, url=None)``: the page's one ``Article`` (a ``str`` of its
  text, its bytes, or a ``pathlib.Path``);
- ``load_articles(source, *, url=None)``: every article a page holds (a listing's items);
- ``strip_chrome(source)``: the page's own lines, the site chrome removed;
- ``Article``, ``Provenance``, ``Evidence``, ``Removal``, ``Release``, ``Damage``: the frozen
  values returned, each with ``to_dict()`` / ``from_dict()``;
- ``socpress.errors``: ``SocpressError`` and its ``InputError`` / ``NotAnArticleError``.

Whole corpora: ``socpress.corpus.records(inputs, workers=None)`` reads files, directories
and web archives (WARC, WACZ) into one record per article or per refusal; ``socpress.dask``
does the same on a Dask cluster. ``socpress.statements.group(records)`` links the records
that carry one statement (captures, edits, editions, republications, teasers) with the
evidence for each link. The command line ``socpress INPUT... [-o OUT]`` (or
``python -m socpress``) writes those records as JSON Lines, Parquet or CSV, and with
``--statements`` the statements.

>>> import socpress
>>> article = socpress.load_article("Title of a statement\\n\\nThe body of it.\\n")
>>> article.title
'Title of a statement'
"""

from __future__ import annotations

import logging

from socpress import errors
from socpress._api import load_article, load_articles, strip_chrome
from socpress._model import Article, Damage, Evidence, Provenance, Release, Removal
from socpress._read.source import PageSource
from socpress._version import VERSION as __version__

__all__ = [
    "Article",
    "Damage",
    "Evidence",
    "PageSource",
    "Provenance",
    "Release",
    "Removal",
    "__version__",
    "errors",
    "load_article",
    "load_articles",
    "strip_chrome",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
