"""The values of a corpus run: what an item is, what a record says, how a record is
serialized (its JSON line and JSON Schema), and the run's counts.
"""

from __future__ import annotations

import collections
import datetime
import functools
import hashlib
import importlib.resources
import json
import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple, Protocol, TypedDict

import attrs

from socpress._model import Article

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_TIME_LIMIT",
    "MANIFEST_NAME",
    "Failure",
    "Input",
    "Item",
    "Line",
    "Record",
    "Skip",
    "Status",
    "Summary",
    "json_schema",
]

Status = Literal["ok", "refused", "failed"]

DEFAULT_TIME_LIMIT = 60.0
"""Seconds one page may take in a worker before it is refused (kind ``time-limit``)."""
DEFAULT_MEMORY_LIMIT = 2 * 1024**3
"""Bytes of address space a worker may hold while it reads one page (kind
``memory-limit``)."""
MANIFEST_NAME = "socpress-urls.tsv"
"""A file of this name in a directory gives its pages' URLs: ``relative/path<TAB>url``
lines. It is read as the manifest, not as a page (skipped with reason ``manifest``)."""


# --- the values -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Input:
    """Exactly which input a record comes from."""

    source: str
    """The page file's path as given (or as found under a directory), or for a web
    archive record ``archive@offset`` (``x.wacz!member@offset`` inside a WACZ)."""
    archive: str | None = None
    """The web archive's path as given, for an archive record; else ``None``."""
    member: str | None = None
    """The WARC file's path inside a WACZ package; else ``None``."""
    offset: int | None = None
    """Byte offset of the WARC record in its (member) file; ``None`` for a page file."""
    record_id: str | None = None
    """The record's ``WARC-Record-ID``, for an archive record."""
    url: str | None = None
    """Where the page was captured from: ``WARC-Target-URI``, a file list's or manifest's
    URL column; ``None`` when nothing says."""
    sha256: str | None = None
    """Hex SHA-256 of the page's raw bytes; ``None`` when they could not be read."""
    index: int = 0
    """The article's position among the records of its item (a listing gives several)."""


@attrs.frozen(kw_only=True)
class Failure:
    """Why an item gave no article."""

    type: str
    """The exception's class name (``InputError``, ``NotAnArticleError``, …; for a
    ``"failed"`` record, whatever was raised)."""
    kind: str | None
    """A stable sub-kind: ``NotAnArticleError.kind`` (``empty``, …), an archive's broken-record
    kind (``truncated-record``, …), ``time-limit`` or ``memory-limit``; else ``None``."""
    message: str
    """What was wrong and where."""


@attrs.frozen(kw_only=True)
class Record:
    """One article read from an input, or the account of why an input gave none."""

    status: Status
    """``"ok"`` (``article`` is set), ``"refused"`` (a documented refusal: ``error`` says
    which) or ``"failed"`` (an unexpected error: a socpress bug, please report it)."""
    input: Input
    """Which input this record comes from."""
    article: Article | None
    """The article, for an ``"ok"`` record."""
    error: Failure | None
    """Why not, for a ``"refused"`` or ``"failed"`` record."""
    lean: bool = False
    """Whether the record is lean (``records(lean=True)``): each ``provenance.removed`` entry
    keeps its rule, span and locator, and its ``text`` is ``""`` here and ``null`` in
    ``to_dict``; each field's evidence keeps its rule, spans and locator, and its ``raw``,
    where the record already says it up to white space (the field's value, or a run of the
    article's title and paragraphs) or it is empty, is ``""`` here and ``null`` in
    ``to_dict``."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, which ``json_schema`` describes."""
        article = None
        if self.article is not None:
            article = self.article.to_dict()
            if self.lean:
                for removal in article["provenance"]["removed"]:
                    removal["text"] = None
                for evidence in article["provenance"]["fields"].values():
                    evidence["raw"] = evidence["raw"] or None
        error = None
        if self.error is not None:
            error = {
                "type": self.error.type,
                "kind": self.error.kind,
                "message": self.error.message,
            }
        return {
            "status": self.status,
            "input": attrs.asdict(self.input),
            "article": article,
            "error": error,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        """Rebuild a ``Record`` from ``to_dict`` output (e.g. one JSON line)."""
        article = data.get("article")
        lean = False
        if article is not None:
            provenance = article["provenance"]
            removed, fields = provenance["removed"], provenance["fields"]
            lean = any(r.get("text") is None for r in removed) or any(
                e.get("raw") is None for e in fields.values()
            )
            if lean:
                article = {
                    **article,
                    "provenance": {
                        **provenance,
                        "removed": [{**r, "text": r.get("text") or ""} for r in removed],
                        "fields": {k: {**e, "raw": e.get("raw") or ""} for k, e in fields.items()},
                    },
                }
        error = data.get("error")
        return cls(
            status=data["status"],
            input=Input(**data["input"]),
            article=None if article is None else Article.from_dict(article),
            error=None if error is None else Failure(**error),
            lean=lean,
        )


@attrs.frozen(kw_only=True)
class Item:
    """One page to read: picklable, so that it can be sent to a worker process.

    Exactly one of ``path`` and ``data`` is set, or neither when ``broken`` is.
    """

    source: str
    """As ``Input.source``."""
    path: str | None = None
    """The page file to read (a str: ``os.fsdecode`` of the path, so any file name)."""
    data: bytes | None = None
    """The page's bytes (an archive record's HTTP payload, decoded of its transfer and
    content encodings)."""
    url: str | None = None
    """Where the page was captured from, when known."""
    charset: str | None = None
    """The transport-declared charset (an HTTP ``Content-Type`` header's), as declared."""
    captured: datetime.datetime | None = None
    """When it was captured (``WARC-Date``), timezone-aware."""
    archive: str | None = None
    member: str | None = None
    offset: int | None = None
    record_id: str | None = None
    broken: Failure | None = None
    """Set when the item could not even be read out of its input (a truncated archive
    record, an unreadable archive, a bad list line): ``read_item`` refuses it."""
    broken_status: Status = "refused"
    """The status a ``broken`` item's record gets (``"failed"`` for an unexpected error
    while expanding the inputs)."""


@attrs.frozen(kw_only=True)
class Skip:
    """Something found among the inputs that is not a page: counted, never an error."""

    source: str
    """Where it was found (a path, or ``archive@offset``)."""
    reason: str
    """Why it is not a page: ``excluded`` (a glob), ``manifest``, ``not-a-file``, and the
    archive reader's reasons (``request``, ``revisit``, ``not-html``, …: docs/corpus.md)."""


class Origin(TypedDict):
    """Where a page comes from, as every stage carries it: an archive's page and broken
    records, an ``Item`` and a record's ``Input``. One mechanism copies it between them."""

    source: str
    archive: str | None
    member: str | None
    offset: int | None
    record_id: str | None
    url: str | None


class _HasOrigin(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def archive(self) -> str | None: ...
    @property
    def member(self) -> str | None: ...
    @property
    def offset(self) -> int | None: ...
    @property
    def record_id(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...


def origin_of(value: _HasOrigin) -> Origin:
    """The origin fields of ``value``, to pass on as ``Item(**origin_of(entry), ...)``."""
    return Origin(
        source=value.source,
        archive=value.archive,
        member=value.member,
        offset=value.offset,
        record_id=value.record_id,
        url=value.url,
    )


def record_input(item: Item, sha256: str | None, index: int) -> Input:
    return Input(**origin_of(item), sha256=sha256, index=index)


def item_sha256(item: Item) -> str | None:
    """Hex SHA-256 of the item's bytes (read from its file when it has no data in hand);
    ``None`` when they cannot be read."""
    if item.data is not None:
        return hashlib.sha256(item.data).hexdigest()
    return file_sha256(item)


def error_key(type_name: str, kind: str | None) -> str:
    """How the summary counts a refusal or failure: ``type/kind``, or ``type`` alone."""
    return type_name + (f"/{kind}" if kind else "")


def failure_of(err: BaseException) -> Failure:
    where = ""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None:
        code = tb.tb_frame.f_code
        where = f" (in {code.co_name}, {Path(code.co_filename).name}:{tb.tb_lineno})"
    return Failure(type=type(err).__name__, kind=None, message=f"{err}{where}")


def file_sha256(item: Item) -> str | None:
    if item.path is None:
        return None
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(item.path).st_mode):
            return None
        with open(item.path, "rb") as handle:
            for chunk in iter(functools.partial(handle.read, 1 << 20), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


# --- serialization ----------------------------------------------------------------------


def to_json_line(record: Record) -> bytes:
    """One record as one line of UTF-8 JSON, ``\\n`` included. A string that cannot be
    UTF-8 (a file name that was not, decoded with surrogate escapes) is written with
    ``\\udcXX`` escapes, which ``json.loads`` and ``os.fsencode`` turn back into the name."""
    data = record.to_dict()
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(data, ensure_ascii=True, separators=(",", ":")) + "\n").encode()


@functools.cache
def _schema_text() -> str:
    return (
        importlib.resources.files("socpress.corpus")
        .joinpath("record.schema.json")
        .read_text("utf-8")
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``Record.to_dict`` output, as shipped in the
    package (``socpress/record.schema.json``)."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


# --- running many -----------------------------------------------------------------------


class Line(NamedTuple):
    """A record as a worker hands it back: serialized, with what the summary counts."""

    status: Status
    key: str | None
    """``type/kind`` of a refused or failed record's error (``type`` without a kind)."""
    text: bytes
    """The record's JSON line (``to_json_line``)."""


def to_lines(batch: Sequence[Record]) -> tuple[Line, ...]:
    """An item's records, serialized for the trip from a worker process."""
    out = []
    for record in batch:
        key = None
        if record.error is not None:
            key = error_key(record.error.type, record.error.kind)
        out.append(Line(record.status, key, to_json_line(record)))
    return tuple(out)


@attrs.define
class Summary:
    """What a run did, counted as it goes."""

    items: int = 0
    """Items read: each gave one or more records."""
    articles: int = 0
    """``"ok"`` records."""
    refused: collections.Counter[str] = attrs.field(factory=collections.Counter)
    """Refused items by ``type/kind`` (``type`` when there is no kind)."""
    failed: collections.Counter[str] = attrs.field(factory=collections.Counter)
    """Failed items by exception type."""
    skipped: collections.Counter[str] = attrs.field(factory=collections.Counter)
    """Skipped entries by reason."""

    def count(self, batch: Sequence[Line]) -> None:
        """Count one item's records."""
        self.items += 1
        for line in batch:
            if line.status == "ok":
                self.articles += 1
            else:
                target = self.refused if line.status == "refused" else self.failed
                target[line.key or "?"] += 1

    def __str__(self) -> str:
        def by(counter: Mapping[str, int]) -> str:
            if not counter:
                return ""
            return " (" + ", ".join(f"{k}: {v}" for k, v in sorted(counter.items())) + ")"

        return (
            f"{counted(self.items, 'item')} read: {counted(self.articles, 'article')}, "
            f"{sum(self.refused.values())} refused{by(self.refused)}, "
            f"{sum(self.failed.values())} failed{by(self.failed)}; "
            f"{sum(self.skipped.values())} skipped{by(self.skipped)}"
        )


def counted(count: int, noun: str) -> str:
    """``1 item``, ``2 items``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
