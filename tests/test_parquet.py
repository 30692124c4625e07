"""Parquet output: a typed schema that mirrors the record's JSON form, written in row groups,
read back equal to the JSON records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from socpress import corpus  # noqa: E402
from socpress.corpus._parquet import ParquetSink, arrow_schema, rows  # noqa: E402
from tests import _warcs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def json_records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Records of every status: pages, a listing, refusals, archive records and damage."""
    folder = tmp_path_factory.mktemp("parquet-inputs")
    crawl = _warcs.write_warc(
        folder / "crawl.warc.gz", [r.data for r in _warcs.mixed_records()], "record"
    )
    damaged = _warcs.damaged_cases(folder)
    inputs = [
        ROOT / "seeds",
        ROOT / "tests" / "fixtures",
        crawl,
        *(case.path for case in damaged[:4]),
        folder / "missing.html",
    ]
    got = [record.to_dict() for record in corpus.records(inputs, workers=0)]
    # A record whose provenance names damage, as Article.to_dict() writes it.
    damaged_record = json.loads(json.dumps(next(r for r in got if r["status"] == "ok")))
    damaged_record["article"]["provenance"]["damage"] = [
        {"kind": "nul", "count": 2, "offsets": [3, 9], "locators": []},
        {"kind": "mojibake", "count": 1, "offsets": [], "locators": ["body>p:nth-of-type(2)"]},
    ]
    got.append(damaged_record)
    # As a JSON Lines reader would see them.
    return [json.loads(json.dumps(record)) for record in got]


def test_round_trip_equals_the_json_records(
    json_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    statuses = {record["status"] for record in json_records}
    assert statuses == {"ok", "refused"}
    assert any(r["article"] and r["article"]["provenance"]["damage"] for r in json_records)
    assert any(r["article"] and r["article"]["release"] for r in json_records)
    path = tmp_path / "out.parquet"
    with ParquetSink(path, row_group_size=7) as sink:
        for record in json_records:
            sink.write(record)
    assert sink.written == len(json_records)
    back = list(rows(path))
    assert len(back) == len(json_records)
    for got, want in zip(back, json_records, strict=True):
        assert got == want, want["input"]["source"]
    parquet = pq.ParquetFile(path)
    assert parquet.num_row_groups == -(-len(json_records) // 7)
    assert parquet.metadata.num_rows == len(json_records)


def test_columns_are_typed(json_records: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    with ParquetSink(path) as sink:
        for record in json_records:
            sink.write(record)
    schema = pq.read_schema(path)
    assert schema.equals(arrow_schema(), check_metadata=False)
    assert schema.metadata[b"socpress.schema"] == b"1"
    article = schema.field("article").type
    assert article.field("published").type == pa.date32()
    assert article.field("is_soc").type == pa.bool_()
    provenance = article.field("provenance").type
    assert pa.types.is_map(provenance.field("fields").type)
    table = pq.read_table(path, columns=["status", "input"])
    ok = sum(1 for status in table.column("status").to_pylist() if status == "ok")
    assert ok == sum(1 for record in json_records if record["status"] == "ok")


def test_lean_records_are_written_without_their_removed_texts(tmp_path: Path) -> None:
    path = tmp_path / "lean.parquet"
    lean = [
        json.loads(json.dumps(record.to_dict()))
        for record in corpus.records(
            [ROOT / "seeds", ROOT / "tests" / "fixtures"], lean=True, workers=0
        )
    ]
    with ParquetSink(path) as sink:
        for record in lean:
            sink.write(record)
    back = list(rows(path))
    removed = [r for b in back if b["article"] for r in b["article"]["provenance"]["removed"]]
    assert removed
    assert all(r["text"] is None for r in removed)
    assert all(r["rule"] for r in removed)
    assert back == lean  # written as given: the texts were out already, once


def test_memory_stays_flat_in_row_groups(
    json_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "groups.parquet"
    sink = ParquetSink(path, row_group_size=5)
    for n, record in enumerate(json_records * 3, start=1):
        sink.write(record)
        assert len(sink._rows) == n % 5  # never more than one row group held
    sink.close()
    sink.close()  # idempotent
    with pytest.raises(ValueError, match="closed"):
        sink.write(json_records[0])
    assert pq.ParquetFile(path).metadata.num_rows == 3 * len(json_records)


def test_an_unknown_key_is_an_error_not_a_loss(
    json_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    ok = next(r for r in json_records if r["status"] == "ok")
    bad = {**ok, "article": {**ok["article"], "subtitle": "x"}}
    with ParquetSink(tmp_path / "x.parquet") as sink, pytest.raises(ValueError, match="subtitle"):
        sink.write(bad)
    bad_provenance = {
        **ok,
        "article": {**ok["article"], "provenance": {**ok["article"]["provenance"], "new": 1}},
    }
    with ParquetSink(tmp_path / "y.parquet") as sink, pytest.raises(ValueError, match="new"):
        sink.write(bad_provenance)
    with ParquetSink(tmp_path / "z.parquet") as sink, pytest.raises(ValueError, match="extra"):
        sink.write({**ok, "extra": 1})


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[1]]
    for alternative in node.get("oneOf", ()):
        if alternative.get("type") != "null":
            return _resolve(alternative, defs)
    return node


def _mirror(node: dict[str, Any], arrow: Any, defs: dict[str, Any], path: str) -> None:
    node = _resolve(node, defs)
    if "properties" in node:
        assert pa.types.is_struct(arrow), path
        names = [arrow.field(i).name for i in range(arrow.num_fields)]
        assert sorted(names) == sorted(node["properties"]), path
        for name, child in node["properties"].items():
            _mirror(child, arrow.field(name).type, defs, f"{path}.{name}")
    elif isinstance(node.get("additionalProperties"), dict):
        assert pa.types.is_map(arrow), path
        _mirror(node["additionalProperties"], arrow.item_type, defs, f"{path}[*]")
    elif "items" in node:
        assert pa.types.is_list(arrow) or pa.types.is_fixed_size_list(arrow), path
        _mirror(node["items"], arrow.value_type, defs, f"{path}[]")
    else:
        kinds = node.get("type", "string")
        kinds = {kinds} if isinstance(kinds, str) else set(kinds)
        if isinstance(node.get("const"), int):
            kinds = {"integer"}
        if node.get("format") == "date":
            assert arrow == pa.date32(), path
        elif "integer" in kinds:
            assert pa.types.is_integer(arrow), path
        elif "boolean" in kinds:
            assert arrow == pa.bool_(), path
        else:
            assert arrow == pa.string(), path


def test_schema_mirrors_the_json_schema() -> None:
    schema = corpus.json_schema()
    arrow = arrow_schema()
    assert sorted(arrow.names) == sorted(schema["properties"])
    for name in arrow.names:
        _mirror(schema["properties"][name], arrow.field(name).type, schema["$defs"], name)
