"""socpress.corpus: inputs expanded in a stable order, every item accounted for, records
that match their JSON Schema, the same records whatever the number of workers, and the
per-page limits."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import socpress
from socpress import corpus
from socpress.corpus import _inputs, _reading, _values
from tests._records import (
    check,
    check_lines,
    crashing_reader,
    greedy_reader,
    run_bytes,
    run_limited,
    slow_reader,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TEXT = ROOT / "tests" / "fixtures" / "text"
HTML = ROOT / "tests" / "fixtures" / "html"
LISTING = TEXT / "listing-date-archive-en.txt"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A directory of pages: nested, with a listing, an empty page and a manifest."""
    root = tmp_path / "pages"
    (root / "b" / "deep").mkdir(parents=True)
    (root / "a").mkdir()
    shutil.copy(SEEDS[0], root / "z-seed.txt")
    shutil.copy(SEEDS[1], root / "a" / "seed1.txt")
    shutil.copy(LISTING, root / "b" / "listing.txt")
    shutil.copy(HTML / "jnews-article.html", root / "b" / "deep" / "page.html")
    (root / "b" / "empty.txt").write_bytes(b"")
    (root / "notes.md").write_text("not a page we want\n")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "b" / "pipe")  # never opened: it would block
    (root / corpus.MANIFEST_NAME).write_text(
        "a/seed1.txt\thttps://en.etilaf.org/all-news/news/seed-one.html\n"
    )
    return root


def entries(*inputs: Any, **kwargs: Any) -> list[corpus.Item | corpus.Skip]:
    return list(corpus.iter_items(inputs, **kwargs))


def test_directory_is_recursive_sorted_with_manifest_and_globs(tree: Path) -> None:
    got = entries(tree, exclude=["*.md"])
    names = [(type(e).__name__, os.path.relpath(e.source, tree)) for e in got]
    # Files of a folder come before its subfolders; names sorted in each.
    assert names == [
        ("Skip", "notes.md"),
        ("Skip", corpus.MANIFEST_NAME),
        ("Item", "z-seed.txt"),
        ("Item", "a/seed1.txt"),
        ("Item", "b/empty.txt"),
        ("Item", "b/listing.txt"),
        ("Skip", "b/pipe"),
        ("Item", "b/deep/page.html"),
    ]
    skips = {e.reason for e in got if isinstance(e, corpus.Skip)}
    assert skips == {"excluded", "manifest", "not-a-file"}
    items = [e for e in got if isinstance(e, corpus.Item)]
    assert items[1].url == "https://en.etilaf.org/all-news/news/seed-one.html"
    assert [i.url for i in items if i is not items[1]] == [None] * 4
    only_html = [e for e in entries(tree, include=["*.html"]) if isinstance(e, corpus.Item)]
    assert [Path(i.source).name for i in only_html] == ["page.html"]
    assert entries(tree) == entries(str(tree))  # Path or str, same items


def test_file_lists_from_stdin_and_from_a_file(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = (
        f"{SEEDS[0]}\n\n{SEEDS[1]}\thttps://www.etilaf.org/en/x.html\r\n{tree / 'a'}\n"
    ).encode()
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(listed)))
    from_stdin = entries("-")
    assert [(Path(i.source).name, i.url) for i in from_stdin if isinstance(i, corpus.Item)] == [
        (SEEDS[0].name, None),
        (SEEDS[1].name, "https://www.etilaf.org/en/x.html"),
        ("seed1.txt", None),
    ]
    list_file = tmp_path / "list.tsv"
    list_file.write_bytes(listed)
    assert entries(_inputs.ListFile(str(list_file))) == from_stdin


def test_a_url_for_a_directory_is_refused(tree: Path) -> None:
    (item,) = entries(_inputs.Listed(str(tree), "https://example.org/"))
    assert isinstance(item, corpus.Item)
    (record,) = corpus.read_item(item)
    assert record.status == "refused"
    assert record.error is not None
    assert record.error.kind == "url-for-directory"


def test_every_item_accounted_for(tree: Path) -> None:
    missing = tree / "missing.txt"
    run = corpus.records([tree, missing], workers=0, exclude=["*.md"])
    got = list(run)
    by_source: dict[str, list[corpus.Record]] = {}
    for record in got:
        by_source.setdefault(record.input.source, []).append(record)
    items = [e for e in entries(tree, missing, exclude=["*.md"]) if isinstance(e, corpus.Item)]
    assert list(by_source) == [i.source for i in items]  # items in = records out, in order
    listing = by_source[str(tree / "b" / "listing.txt")]
    assert [r.input.index for r in listing] == [0, 1]
    assert [r.article for r in listing] == socpress.load_articles(tree / "b" / "listing.txt")
    (empty,) = by_source[str(tree / "b" / "empty.txt")]
    assert empty.status == "refused"
    assert empty.error == corpus.Failure(
        type="InputError", kind=None, message=f"{tree / 'b' / 'empty.txt'}: input is empty"
    )
    assert empty.input.sha256 == hashlib.sha256(b"").hexdigest()
    (gone,) = by_source[str(missing)]
    assert gone.status == "refused"
    assert gone.input.sha256 is None
    assert "cannot read file" in gone.error.message  # type: ignore[union-attr]
    seed1 = by_source[str(tree / "a" / "seed1.txt")][0]
    assert seed1.article is not None
    assert seed1.article.url == "https://en.etilaf.org/all-news/news/seed-one.html"
    assert run.summary.items == len(items) == 6
    assert run.summary.articles == 5
    assert run.summary.refused == {"InputError": 2}
    assert run.summary.skipped == {"excluded": 1, "manifest": 1, "not-a-file": 1}
    assert str(run.summary) == (
        "6 items read: 5 articles, 2 refused (InputError: 2), 0 failed; "
        "3 skipped (excluded: 1, manifest: 1, not-a-file: 1)"
    )
    for record in got:
        check(record.to_dict())
        assert corpus.Record.from_dict(json.loads(json.dumps(record.to_dict()))) == record


def test_an_unexpected_error_is_a_failed_record(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> list[socpress.Article]:
        raise RuntimeError("boom")

    monkeypatch.setattr(_reading, "load_articles", broken)
    (record,) = corpus.read_item(corpus.Item(source="x", path=str(SEEDS[0])))
    assert record.status == "failed"
    assert record.error is not None
    assert record.error.type == "RuntimeError"
    assert record.error.message.startswith("boom (in broken, test_corpus.py:")
    assert record.input.sha256 == hashlib.sha256(SEEDS[0].read_bytes()).hexdigest()
    check(record.to_dict())


def test_memory_error_in_process_is_a_memory_limit_refusal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def greedy(*args: object, **kwargs: object) -> list[socpress.Article]:
        raise MemoryError

    monkeypatch.setattr(_reading, "load_articles", greedy)
    (record,) = corpus.read_item(corpus.Item(source="x", data=b"page"))
    assert (record.status, record.error and record.error.kind) == ("refused", "memory-limit")


@pytest.mark.parametrize(
    ("seed", "said_already"),
    # The body's and the title's raw repeat them; a detected language's is the article's
    # opening words (seed 2), an edition switcher's ("AR TR KU", seed 0) is said nowhere else.
    [(0, {"paragraphs", "title"}), (2, {"paragraphs", "title", "language"})],
)
def test_lean_leaves_out_removed_texts_and_raws_the_record_holds(
    seed: int, said_already: set[str]
) -> None:
    item = corpus.Item(source=str(SEEDS[seed]), path=str(SEEDS[seed]))
    (full,) = corpus.read_item(item)
    (lean,) = corpus.read_item(item, lean=True)
    full_d, lean_d = check(full.to_dict()), check(lean.to_dict())
    removed = full_d["article"]["provenance"]["removed"]
    assert removed
    assert [r["text"] for r in lean_d["article"]["provenance"]["removed"]] == [None] * len(removed)
    for r in removed:
        r["text"] = None
    article = full_d["article"]
    words = " ".join([article["title"] or "", *article["paragraphs"]]).split()
    dropped = []
    for name, evidence in article["provenance"]["fields"].items():
        said = evidence["raw"].split()
        value = "\n\n".join(article["paragraphs"]) if name == "paragraphs" else article.get(name)
        in_words = any(words[i : i + len(said)] == said for i in range(len(words)))
        if not said or (isinstance(value, str) and said == value.split()) or in_words:
            evidence["raw"] = None
            dropped.append(name)
    assert set(dropped) == said_already
    assert lean_d == full_d
    assert len(json.dumps(lean_d)) < len(json.dumps(full.to_dict()))
    again = corpus.Record.from_dict(lean_d)
    assert again.lean
    assert again.to_dict() == lean_d


def test_bytes_items_carry_url_charset_and_capture_date() -> None:
    captured = datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
    page = (HTML / "arabic-windows-1256.html").read_bytes()
    item = corpus.Item(
        source="crawl.warc.gz@1234",
        data=page,
        url="https://www.etilaf.org/ar/x.html",
        charset="windows-1256",
        captured=captured,
        archive="crawl.warc.gz",
        offset=1234,
        record_id="<urn:uuid:1>",
    )
    (record,) = corpus.read_item(item)
    assert record.status == "ok", record.error
    assert record.article is not None
    prov = record.article.provenance
    assert prov.encoding_rule == "http-charset"
    evidence = prov.fields["captured"] if prov.captured == captured.date() else None
    rejected = [e for e in prov.rejected.get("captured", ()) if e.rule == "warc-date"]
    assert (evidence is not None and evidence.rule == "warc-date") or rejected
    assert record.input == corpus.Input(
        source="crawl.warc.gz@1234",
        archive="crawl.warc.gz",
        offset=1234,
        record_id="<urn:uuid:1>",
        url="https://www.etilaf.org/ar/x.html",
        sha256=hashlib.sha256(page).hexdigest(),
    )
    check(record.to_dict())


def test_broken_items_are_refused_without_reading() -> None:
    item = corpus.Item(
        source="crawl.warc.gz@99",
        archive="crawl.warc.gz",
        offset=99,
        broken=corpus.Failure(type="InputError", kind="truncated-record", message="cut"),
    )
    (record,) = corpus.read_item(item)
    assert record.status == "refused"
    assert record.error == item.broken
    assert record.input.offset == 99
    check(record.to_dict())


def test_non_utf8_file_names(tmp_path: Path) -> None:
    if sys.platform == "darwin":
        pytest.skip("APFS refuses file names that are not UTF-8")
    name = os.fsencode(tmp_path) + b"/caf\xe9-\xff.txt"
    with open(name, "wb") as handle:
        handle.write(SEEDS[0].read_bytes())
    (record,) = corpus.records([os.fsdecode(name)], workers=0)
    assert record.status == "ok"
    line = _values.to_json_line(record)
    line.decode("utf-8")  # valid UTF-8 whatever the name
    back = json.loads(line)
    assert os.fsencode(back["input"]["source"]) == name
    check(back)


def test_same_records_whatever_the_number_of_workers(tree: Path) -> None:
    inputs = [tree, *SEEDS, HTML]
    runs = {workers: run_bytes(inputs, workers) for workers in (0, 1, 2)}
    assert runs[0] == runs[1] == runs[2]
    lines = runs[0].splitlines()
    assert len(lines) > 20
    check_lines(lines)
    public = [r.to_dict() for r in corpus.records(inputs, workers=2)]
    assert public == [json.loads(line) for line in lines]


def _items(*sources: str) -> list[corpus.Item]:
    return [corpus.Item(source=s, path=str(SEEDS[i % len(SEEDS)])) for i, s in enumerate(sources)]


def test_a_page_past_the_time_limit_is_refused_and_the_run_goes_on() -> None:
    items = _items("a", "b-slow", "c", "d", "e-slow", "f", "g")
    got = run_limited(items, slow_reader, time_limit=1.5)
    assert [r["input"]["source"] for r in got] == [i.source for i in items]
    statuses = [(r["status"], r["error"] and r["error"]["kind"]) for r in got]
    assert statuses == [
        ("ok", None),
        ("refused", "time-limit"),
        ("ok", None),
        ("ok", None),
        ("refused", "time-limit"),
        ("ok", None),
        ("ok", None),
    ]
    assert "time limit of 1.5 s" in got[1]["error"]["message"]
    assert got[1]["input"]["sha256"] == hashlib.sha256(SEEDS[1].read_bytes()).hexdigest()


def test_a_page_past_the_memory_limit_is_refused_and_the_run_goes_on() -> None:
    if sys.platform == "win32":
        pytest.skip("no address-space limit on Windows")
    items = _items("a", "b-greedy", "c", "d-greedy", "e")
    got = run_limited(items, greedy_reader, memory_limit=512 * 1024**2)
    statuses = [(r["status"], r["error"] and r["error"]["kind"]) for r in got]
    assert statuses == [
        ("ok", None),
        ("refused", "memory-limit"),
        ("ok", None),
        ("refused", "memory-limit"),
        ("ok", None),
    ]
    assert got[1]["error"]["message"].endswith("the limit of 512 MiB")


def test_a_worker_that_dies_gives_a_failed_record() -> None:
    items = _items("a", "b-crash", "c")
    got = run_limited(items, crashing_reader)
    assert [r["status"] for r in got] == ["ok", "failed", "ok"]
    assert got[1]["error"]["type"] == "WorkerDied"
    assert "SIGSEGV" in got[1]["error"]["message"]


def test_fake_archive_entries_are_items_skips_and_refusals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entries of the _archives contract, from a stand-in reader that also fails half
    way (the WARC tests use real archives)."""
    from socpress.corpus._archives import BrokenRecord, PageRecord, SkippedRecord

    archive = tmp_path / "crawl.warc"
    archive.write_bytes(b"WARC/1.0\r\n")

    def iter_archive(path: Path) -> Any:
        a = str(path)
        yield SkippedRecord(source=f"{a}@0", reason="warcinfo")
        yield PageRecord(
            source=f"{a}@10",
            archive=a,
            member=None,
            offset=10,
            record_id="<urn:uuid:2>",
            url="https://en.etilaf.org/x.html",
            data=SEEDS[2].read_bytes(),
            charset="utf-8",
            captured=datetime.datetime(2023, 1, 2, tzinfo=datetime.UTC),
        )
        yield SkippedRecord(source=f"{a}@20", reason="request")
        yield BrokenRecord(
            source=f"{a}@30",
            archive=a,
            member=None,
            offset=30,
            record_id=None,
            url=None,
            kind="truncated-record",
            message="the record stops 12 bytes short",
        )
        raise OSError("read error at byte 40")

    fake = SimpleNamespace(
        is_archive=lambda p: Path(p).suffix == ".warc",
        iter_archive=iter_archive,
        PageRecord=PageRecord,
        SkippedRecord=SkippedRecord,
        BrokenRecord=BrokenRecord,
    )
    monkeypatch.setattr(_inputs, "_archives", fake)
    run = corpus.records([archive], workers=0)
    got = [check(r.to_dict()) for r in run]
    assert [(r["status"], r["input"]["source"]) for r in got] == [
        ("ok", f"{archive}@10"),
        ("refused", f"{archive}@30"),
        ("failed", str(archive)),
    ]
    assert got[0]["input"]["record_id"] == "<urn:uuid:2>"
    assert got[0]["article"]["url"] == "https://en.etilaf.org/x.html"
    assert got[1]["error"]["kind"] == "truncated-record"
    assert "read error at byte 40" in got[2]["error"]["message"]
    assert run.summary.skipped == {"warcinfo": 1, "request": 1}


def test_the_schema_is_shipped_and_strict() -> None:
    schema = corpus.json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    (record,) = corpus.read_item(corpus.Item(source="s", path=str(SEEDS[0])))
    data = record.to_dict()
    data["article"]["surprise"] = 1
    with pytest.raises(AssertionError, match="surprise"):
        check(data)
    with pytest.raises(AssertionError):
        check({**record.to_dict(), "status": "ok", "article": None})


def test_items_are_counted_ahead_when_that_is_cheap(tree: Path, tmp_path: Path) -> None:
    """For the progress bar's ETA: a walk, no reading; no count through an archive or stdin."""
    items = [e for e in entries(tree, *SEEDS) if isinstance(e, corpus.Item)]
    assert _inputs.count_items([tree, *SEEDS]) == len(items)
    assert _inputs.count_items([tree], include=["*.html"]) == 1
    assert _inputs.count_items([tree, "-"]) is None
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(b"WARC/1.0\r\n\r\n")
    assert _inputs.count_items([warc]) is None
