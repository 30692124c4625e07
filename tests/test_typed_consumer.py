"""socpress used as a typed application uses it, checked by ``mypy --strict`` in CI (this
file is under ``tests/``, which ``[tool.mypy] files`` covers) and run by pytest.

Every accepted source type type-checks without an ignore, the errors' attributes have the
types they have at run time, and the values a consumer reads are typed as they are.
``assert_type`` is checked by mypy and does nothing at run time; the ``assert`` lines
check the run time agrees.
"""

from __future__ import annotations

import datetime
import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import assert_never, assert_type

import pytest

import socpress
from socpress.errors import InputError, NotAnArticleError, SocpressError

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_fdbfbd34f38a0d4c.txt"


class _PathLike:
    def __init__(self, path: str) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return self.path


def read_all(sources: list[socpress.PageSource]) -> list[socpress.Article]:
    """What a pipeline writes: every article, and a typed account of the failures."""
    articles: list[socpress.Article] = []
    for source in sources:
        try:
            articles.extend(socpress.load_articles(source, url=None))
        except SocpressError as err:
            assert_type(err.source, str)
            raise
    return articles


def test_every_accepted_source_type_checks() -> None:
    data = SEED.read_bytes()
    text = data.decode("utf-8")
    sources: list[socpress.PageSource] = [
        text,
        data,
        bytearray(data),
        memoryview(data),
        SEED,
        _PathLike(os.fspath(SEED)),  # any os.PathLike[str], not only pathlib
    ]
    articles = read_all(sources)
    assert len(articles) == len(sources)
    # The same page each time; only provenance.source (the name) differs.
    assert len({(a.title, a.paragraphs, a.provenance.sha256) for a in articles}) == 1


def test_article_values_are_typed_as_they_are() -> None:
    article = socpress.load_article(SEED)
    assert_type(article, socpress.Article)
    assert_type(article.title, str | None)
    assert_type(article.published, datetime.date | None)
    assert_type(article.paragraphs, tuple[str, ...])
    assert_type(article.language, str | None)
    assert_type(article.is_soc, bool)
    assert_type(article.provenance.fields, Mapping[str, socpress.Evidence])
    evidence = article.provenance.fields["published"]
    assert_type(evidence.spans, tuple[tuple[int, int], ...])
    assert_type(article.provenance.removed, tuple[socpress.Removal, ...])
    assert isinstance(article.published, datetime.date)
    assert isinstance(article.title, str)
    assert all(isinstance(s, int) for span in evidence.spans for s in span)
    assert_type(socpress.strip_chrome(SEED), str)


def test_error_attributes_are_typed_as_they_behave() -> None:
    with pytest.raises(InputError) as refused:
        socpress.load_article(b"")
    assert_type(refused.value.source, str)
    assert refused.value.source == "<bytes>"
    with pytest.raises(NotAnArticleError) as listing:
        socpress.load_article(
            "22 May 2017 In Coalition News\n"
            "The coalition condemned the shelling of eastern Ghouta by the regime forces.\n"
            "21 May 2017 In Coalition News\n"
            "The coalition's president met the envoy to discuss the political process.\n"
        )
    err = listing.value
    assert_type(err.source, str)
    assert (err.kind, err.source) == ("listing", "<string>")
    assert _advice(err) == "use load_articles"
    # An error crosses a process boundary whole (workers send them back).
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), again.kind, again.source, str(again)) == (
        NotAnArticleError,
        "listing",
        "<string>",
        str(err),
    )


def _advice(err: NotAnArticleError) -> str:
    """An exhaustive match on ``kind``: mypy fails here if a kind is added and not handled."""
    if err.kind == "listing":
        return "use load_articles"
    if err.kind == "empty":
        return "skip: nothing but site chrome"
    assert_never(err.kind)
