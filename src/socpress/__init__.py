"""socpress: clean, normalized, provenance-carrying articles from captured pages of the
Syrian Opposition Coalition's statements.

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
