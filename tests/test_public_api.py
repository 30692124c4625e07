"""Pins the public API: other projects code against these names."""

from __future__ import annotations

import inspect

import attrs
import pytest

import socpress
from socpress import errors


def test_exported_members() -> None:
    assert sorted(socpress.__all__) == sorted(
        [
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
    )
    for name in socpress.__all__:
        assert hasattr(socpress, name), name


def test_error_tree() -> None:
    assert errors.__all__ == ["InputError", "NotAnArticleError", "SocpressError"]
    assert issubclass(errors.InputError, errors.SocpressError)
    assert issubclass(errors.InputError, ValueError)
    assert issubclass(errors.NotAnArticleError, errors.SocpressError)
    assert issubclass(errors.NotAnArticleError, ValueError)
    err = errors.NotAnArticleError("x: a listing", kind="listing", source="x")
    assert (err.kind, err.source, str(err)) == ("listing", "x", "x: a listing")


def test_function_signatures() -> None:
    for fn in (socpress.load_article, socpress.load_articles, socpress.strip_chrome):
        params = inspect.signature(fn).parameters
        assert list(params)[:2] == ["source", "url"]
        assert params["url"].kind is inspect.Parameter.KEYWORD_ONLY
        assert params["url"].default is None


def _field_names(cls: type) -> list[str]:
    return [f.name for f in attrs.fields(cls)]


def test_model_fields() -> None:
    assert _field_names(socpress.Article) == [
        "title",
        "published",
        "category",
        "summary",
        "paragraphs",
        "attribution",
        "release",
        "language",
        "is_soc",
        "url",
        "provenance",
    ]
    assert _field_names(socpress.Release) == ["kind", "issuer", "department", "dated"]
    assert _field_names(socpress.Evidence) == ["rule", "raw", "spans", "locator"]
    assert _field_names(socpress.Removal) == ["rule", "text", "span", "locator"]
    assert _field_names(socpress.Provenance) == [
        "source",
        "sha256",
        "input_format",
        "encoding",
        "encoding_rule",
        "layout",
        "parser_version",
        "captured",
        "fields",
        "rejected",
        "removed",
        "notes",
        "truncated",
        "damage",
    ]
    assert _field_names(socpress.Damage) == ["kind", "count", "offsets", "locators"]
    for cls in (
        socpress.Article,
        socpress.Release,
        socpress.Evidence,
        socpress.Removal,
        socpress.Provenance,
        socpress.Damage,
    ):
        assert attrs.has(cls)
        assert all(f.kw_only for f in attrs.fields(cls))


def test_version_is_metadata() -> None:
    from importlib.metadata import version

    assert socpress.__version__ == version("socpress")


def test_corpus_module() -> None:
    """``socpress.corpus``: the names other pipelines (and socpress.dask) code against."""
    from socpress import corpus

    assert sorted(corpus.__all__) == [
        "DEFAULT_MEMORY_LIMIT",
        "DEFAULT_TIME_LIMIT",
        "Failure",
        "Input",
        "Item",
        "MANIFEST_NAME",
        "Record",
        "Records",
        "Skip",
        "Summary",
        "iter_items",
        "json_schema",
        "read_item",
        "records",
    ]
    params = inspect.signature(corpus.records).parameters
    assert list(params) == [
        "inputs",
        "workers",
        "lean",
        "include",
        "exclude",
        "time_limit",
        "memory_limit",
    ]
    assert params["workers"].default is None
    assert params["lean"].default is False
    assert list(inspect.signature(corpus.read_item).parameters) == ["item", "lean"]
    assert list(inspect.signature(corpus.iter_items).parameters) == [
        "inputs",
        "include",
        "exclude",
    ]
    assert _field_names(corpus.Record) == ["status", "input", "article", "error", "lean"]
    assert _field_names(corpus.Input) == [
        "source",
        "archive",
        "member",
        "offset",
        "record_id",
        "url",
        "sha256",
        "index",
    ]
    assert _field_names(corpus.Failure) == ["type", "kind", "message"]
    assert _field_names(corpus.Skip) == ["source", "reason"]
    for cls in (corpus.Record, corpus.Input, corpus.Failure, corpus.Item, corpus.Skip):
        assert attrs.has(cls)
        assert all(f.kw_only for f in attrs.fields(cls))


def test_load_functions_take_captured() -> None:
    for fn in (socpress.load_article, socpress.load_articles):
        param = inspect.signature(fn).parameters["captured"]
        assert param.kind is inspect.Parameter.KEYWORD_ONLY
        assert param.default is None


def test_dask_module() -> None:
    """``socpress.dask`` (extra ``dask``): bags, DataFrames and partitioned Parquet."""
    sdask = pytest.importorskip("socpress.dask")
    assert sorted(sdask.__all__) == [
        "Partition",
        "bag",
        "dataframe",
        "partitions",
        "statements",
        "to_parquet",
    ]
    common = ["lean", "include", "exclude", "files_per_partition", "range_bytes"]
    assert list(inspect.signature(sdask.bag).parameters) == ["inputs", *common]
    assert list(inspect.signature(sdask.dataframe).parameters) == ["inputs", *common]
    assert list(inspect.signature(sdask.to_parquet).parameters) == ["inputs", "directory", *common]
    assert list(inspect.signature(sdask.partitions).parameters) == [
        "inputs",
        "include",
        "exclude",
        "files_per_partition",
        "range_bytes",
    ]
    for name in ("bag", "dataframe", "to_parquet", "partitions"):
        for param in list(inspect.signature(getattr(sdask, name)).parameters.values())[1:]:
            if param.name != "directory":
                assert param.kind is inspect.Parameter.KEYWORD_ONLY, (name, param.name)
    assert list(inspect.signature(sdask.statements).parameters) == ["inputs", *common, "options"]
    assert _field_names(sdask.Partition) == ["items", "piece"]
    assert isinstance(sdask.Partition.archive, property)
    assert all(f.kw_only for f in attrs.fields(sdask.Partition))


def test_statements_module() -> None:
    """``socpress.statements``: the names other pipelines code against."""
    from socpress import statements

    assert sorted(statements.__all__) == [
        "Encoder",
        "Fingerprint",
        "Link",
        "RELATIONS",
        "Relation",
        "Statement",
        "Witness",
        "fingerprint",
        "group",
        "json_schema",
        "normalize",
    ]
    assert statements.RELATIONS == (
        "canonical",
        "capture",
        "edit",
        "edition",
        "republication",
        "teaser",
    )
    params = inspect.signature(statements.group).parameters
    assert list(params) == [
        "items",
        "window",
        "encoder",
        "encoder_threshold",
        "same_text",
        "contains",
        "edit",
        "anchors",
        "fingerprints",
    ]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in list(params.values())[1:])
    assert params["encoder"].default is None
    assert list(inspect.signature(statements.fingerprint).parameters) == ["article"]
    assert _field_names(statements.Statement) == [
        "id",
        "canonical",
        "witnesses",
        "published",
        "languages",
        "first_captured",
        "last_captured",
    ]
    assert _field_names(statements.Witness) == ["input", "article", "relation", "evidence", "key"]
    assert _field_names(statements.Link) == ["rule", "score", "anchors", "target", "changed"]
    assert _field_names(statements.Fingerprint) == [
        "body",
        "simhash",
        "minhash",
        "shingles",
        "paragraphs",
        "leads",
        "tails",
        "lead",
        "title",
        "anchors",
    ]
    for cls in (statements.Statement, statements.Witness, statements.Link, statements.Fingerprint):
        assert attrs.has(cls)
        assert all(f.kw_only for f in attrs.fields(cls))
        assert cls.__setattr__ is not object.__setattr__  # frozen
