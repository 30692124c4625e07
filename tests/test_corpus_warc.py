"""Corpus runs over real WARC, gzipped WARC and WACZ files (built by tests/_warcs.py with
FastWARC's writer): every record accounted for, inputs named exactly, the WARC-Date and
the HTTP charset passed through, the same bytes whatever the number of workers."""

from __future__ import annotations

import collections
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from socpress import corpus
from tests import _warcs
from tests._records import check_lines, run_bytes

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("compression", ["none", "record", "whole"])
def test_every_warc_record_is_accounted_for(tmp_path: Path, compression: str) -> None:
    recs = _warcs.mixed_records()
    suffix = ".warc" if compression == "none" else ".warc.gz"
    path = _warcs.write_warc(
        tmp_path / f"crawl{suffix}",
        [r.data for r in recs],
        compression,  # type: ignore[arg-type]
    )
    run = corpus.records([path], workers=0)
    got = list(run)
    wanted = [r.expect for r in recs if r.expect[0] != "skip"]
    # One item per page or broken record, in file order; each gives records.
    items = [record for record in got if record.input.index == 0]
    assert len(items) == len(wanted) == run.summary.items
    for record, (kind, what) in zip(items, wanted, strict=True):
        assert record.input.archive == str(path)
        assert record.input.source.startswith(f"{path}@")
        if kind == "page":
            assert record.input.url == what
            assert record.input.record_id is not None
            assert record.status in ("ok", "refused"), record.error
        else:
            assert record.status == "refused"
            assert record.error is not None
            assert (record.error.type, record.error.kind) == ("InputError", what)
    skips = collections.Counter(what for kind, what in (r.expect for r in recs) if kind == "skip")
    assert run.summary.skipped == skips
    for record in got:
        record.to_dict()  # checked against the schema (conftest)


def test_page_records_carry_the_archive_facts(tmp_path: Path) -> None:
    page = (_warcs.FIXTURES / "html" / "arabic-windows-1256.html").read_bytes()
    rec = _warcs.page_response(7, page, charset="windows-1256")
    path = _warcs.write_warc(tmp_path / "one.warc.gz", [rec.data], "record")
    (record,) = corpus.records([path], workers=0)
    assert record.status == "ok", record.error
    assert record.article is not None
    assert record.input == corpus.Input(
        source=f"{path}@0",
        archive=str(path),
        member=None,
        offset=0,
        record_id=_warcs.record_id(7),
        url="https://example.org/page/7",
        sha256=hashlib.sha256(page).hexdigest(),
        index=0,
    )
    prov = record.article.provenance
    assert prov.encoding_rule == "http-charset"
    assert record.article.url == "https://example.org/page/7"
    day = _warcs.warc_date(7)[:10]
    if prov.fields["captured"].rule == "warc-date":
        assert prov.captured is not None
        assert prov.captured.isoformat() == day
    else:  # the page printed its own render date
        assert [e.raw[:10] for e in prov.rejected["captured"] if e.rule == "warc-date"] == [day]


def test_wacz_members_are_named(tmp_path: Path) -> None:
    recs = [_warcs.page_response(i, p.read_bytes()) for i, p in enumerate(_warcs.HTML_PAGES[:3])]
    warc = b"".join(r.data for r in recs)
    path = _warcs.write_wacz(tmp_path / "crawl.wacz", {"data.warc": warc})
    got = [r for r in corpus.records([path], workers=0) if r.input.index == 0]
    assert len(got) == 3
    assert {r.input.member for r in got} == {"archive/data.warc"}
    assert all(r.input.source.startswith(f"{path}!archive/data.warc@") for r in got)


def test_damaged_archives_give_refusals_and_keep_the_rest(tmp_path: Path) -> None:
    from socpress.corpus._archives import BROKEN_KINDS

    for case in _warcs.damaged_cases(tmp_path):
        starts = [r for r in corpus.records([case.path], workers=0) if r.input.index == 0]
        got = [
            ("broken", r.error.kind)
            if r.error is not None and r.error.kind in BROKEN_KINDS
            else ("page", r.input.url)
            for r in starts
        ]
        assert got == list(case.expect), case.name


def test_same_bytes_whatever_the_workers_and_via_the_cli(tmp_path: Path) -> None:
    recs = _warcs.mixed_records()
    warc = _warcs.write_warc(tmp_path / "crawl.warc.gz", [r.data for r in recs], "record")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "inner.warc").write_bytes(b"".join(r.data for r in recs[:6]))  # found in a dir
    for path in _warcs.TEXT_PAGES[:3]:
        (pages / path.name).write_bytes(path.read_bytes())
    inputs = [warc, pages]
    one, two = run_bytes(inputs, 1), run_bytes(inputs, 2)
    assert one == two == run_bytes(inputs, 0)
    check_lines(one.splitlines())
    done = subprocess.run(
        [sys.executable, "-m", "socpress", "--workers", "2", *map(str, inputs)],
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 1, done.stderr  # the broken records are refused
    assert done.stdout == one
    summary = done.stderr.decode().strip().splitlines()[-1]
    assert summary.startswith("socpress: ")
    assert "skipped (" in summary
    assert "request: " in summary
    first = json.loads(one.splitlines()[0])
    assert first["input"]["archive"] == str(warc)
