"""Corpus scale: many inputs in, one record per article or per refusal out, nothing lost.

A run is a pipeline of readers, a map and writers::

    inputs ──iter_items──▶ Item | Skip ──read_item (in worker processes)──▶ Record ...

- :func:`iter_items` expands the inputs (page files; directories, recursively and sorted;
  web archives through ``socpress.corpus._archives``; ``"-"`` for a list on standard input) into
  :class:`Item` values, which are picklable and hold what a worker needs, and :class:`Skip`
  values for what is not a page (counted by reason, never an error).
- :func:`read_item` turns one item into its records: one ``"ok"`` record per article (a
  listing page gives several), or one ``"refused"`` record (a documented
  :class:`~socpress.errors.SocpressError`, or a page that ran past a limit) or one
  ``"failed"`` record (anything else: a socpress bug, reported, never fatal).
- :func:`records` runs both over worker processes, in input order whatever their number,
  with a time and a memory limit per page; ``Records.summary`` counts what happened.

Every record names its input exactly (:class:`Input`), so that the items in and the
records out can always be matched. ``docs/corpus.md`` documents the record format, whose
JSON Schema is :func:`json_schema`.
"""

from __future__ import annotations

import collections
import datetime
import fnmatch
import functools
import hashlib
import importlib.resources
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

import attrs

from socpress._api import load_articles
from socpress._model import Article
from socpress.corpus import _archives
from socpress.errors import SocpressError

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_TIME_LIMIT",
    "MANIFEST_NAME",
    "Failure",
    "Input",
    "Item",
    "Record",
    "Records",
    "Skip",
    "Summary",
    "iter_items",
    "json_schema",
    "read_item",
    "records",
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
    """Whether the article's removed-chrome texts were left out (``records(lean=True)``):
    then each ``provenance.removed`` entry keeps its rule, span and locator, its ``text`` is
    ``""`` here and ``null`` in :meth:`to_dict`."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, which :func:`json_schema` describes."""
        article = None
        if self.article is not None:
            article = self.article.to_dict()
            if self.lean:
                for removal in article["provenance"]["removed"]:
                    removal["text"] = None
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
        """Rebuild a ``Record`` from :meth:`to_dict` output (e.g. one JSON line)."""
        article = data.get("article")
        lean = False
        if article is not None:
            removed = article["provenance"]["removed"]
            lean = any(r.get("text") is None for r in removed)
            if lean:
                article = {
                    **article,
                    "provenance": {
                        **article["provenance"],
                        "removed": [{**r, "text": r.get("text") or ""} for r in removed],
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
    """As :attr:`Input.source`."""
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
    record, an unreadable archive, a bad list line): :func:`read_item` refuses it."""
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


# --- expanding the inputs ---------------------------------------------------------------


@attrs.frozen
class Listed:
    """An input with the URL a file list or manifest gave it."""

    path: str
    url: str | None


@attrs.frozen
class ListFile:
    """A file that lists inputs (the command line's ``--from FILE``)."""

    path: str


Given = str | os.PathLike[str] | Listed | ListFile
"""What ``iter_items`` takes: a path (or ``"-"``), or the command line's typed inputs."""


def iter_items(
    inputs: Iterable[Given],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Iterator[Item | Skip]:
    """Expand ``inputs`` into the items to read, in a stable order.

    An input is a page file; a directory (read recursively, entries sorted by name; files
    whose path below it matches an ``exclude`` glob, or no ``include`` glob when there are
    some, are skipped as ``excluded``; a ``socpress-urls.tsv`` manifest in it gives URLs); a
    web archive (``.warc``, ``.warc.gz``, ``.wacz``); or the ``str`` ``"-"``, a list of
    inputs on standard input, one per line, each optionally followed by a tab and the
    page's URL. Globs are :mod:`fnmatch` patterns matched against the ``/``-separated
    path below the directory (``*`` also matches ``/``).
    """
    walker = _Walker(tuple(include), tuple(exclude))
    for given in inputs:
        if isinstance(given, str) and given == "-":
            yield from walker.listing(sys.stdin.buffer, "<stdin>")
        elif isinstance(given, Listed):
            yield from walker.one(given.path, given.url)
        elif isinstance(given, ListFile):
            try:
                with open(given.path, "rb") as handle:
                    lines = handle.readlines()
            except OSError as err:
                yield _broken(
                    given.path,
                    "unreadable-list",
                    f"{given.path}: cannot read the list of inputs: {err.strerror or err}",
                )
                continue
            yield from walker.listing(lines, given.path)
        else:
            yield from walker.one(os.fsdecode(given), None)


def _read_list(stream: Iterable[bytes], name: str) -> Iterator[Listed | Item]:
    """``path`` or ``path<TAB>url`` lines; blank lines are ignored. Bytes in, so that a
    file name that is not UTF-8 survives (``os.fsdecode``)."""
    for number, raw in enumerate(stream, 1):
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        path, _, url = line.partition(b"\t")
        try:
            url_text = url.decode("utf-8").strip() or None
        except UnicodeDecodeError:
            yield Item(
                source=f"{name}:{number}",
                broken=Failure(
                    type="InputError",
                    kind="bad-list-line",
                    message=f"{name}:{number}: the URL is not UTF-8",
                ),
            )
            continue
        yield Listed(os.fsdecode(path), url_text)


class _Walker:
    def __init__(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> None:
        self.include = include
        self.exclude = exclude

    def listing(self, stream: Iterable[bytes], name: str) -> Iterator[Item | Skip]:
        for entry in _read_list(stream, name):
            if isinstance(entry, Item):
                yield entry
            else:
                yield from self.one(entry.path, entry.url)

    def one(self, path: str, url: str | None) -> Iterator[Item | Skip]:
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            mode = 0  # read_item names the reason
        if stat.S_ISDIR(mode):
            if url is not None:
                yield _broken(path, "url-for-directory", f"{path}: a URL given for a directory")
                return
            yield from self.directory(path)
        elif stat.S_ISREG(mode) and _is_archive(Path(path)):
            yield from self.archive(path)
        else:
            yield Item(source=path, path=path, url=url)

    def directory(self, root: str) -> Iterator[Item | Skip]:
        urls: dict[str, str] = {}
        manifest = os.path.join(root, MANIFEST_NAME)
        if os.path.isfile(manifest):
            with open(manifest, "rb") as handle:
                for entry in _read_list(handle, manifest):
                    if isinstance(entry, Listed) and entry.url is not None:
                        urls[entry.path] = entry.url
        for rel, full, mode in _walk(root):
            if rel == MANIFEST_NAME:
                yield Skip(source=full, reason="manifest")
            elif not self.wanted(rel):
                yield Skip(source=full, reason="excluded")
            elif not stat.S_ISREG(mode):
                yield Skip(source=full, reason="not-a-file")
            elif _is_archive(Path(full)):
                yield from self.archive(full)
            else:
                yield Item(source=full, path=full, url=urls.get(rel))

    def archive(self, path: str) -> Iterator[Item | Skip]:
        return _archive_items(path)

    def wanted(self, rel: str) -> bool:
        if self.include and not any(fnmatch.fnmatchcase(rel, g) for g in self.include):
            return False
        return not any(fnmatch.fnmatchcase(rel, g) for g in self.exclude)


class _Uncountable(Exception):
    """Counting the items would mean reading a web archive through."""


class _Counter(_Walker):
    def archive(self, path: str) -> Iterator[Item | Skip]:
        raise _Uncountable(path)


def count_items(
    inputs: Iterable[Given],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> int | None:
    """How many items ``iter_items`` will give, when that is cheap to know (files and
    directories: a walk, no reading); ``None`` when an input is a web archive or ``-``."""
    walker = _Counter(tuple(include), tuple(exclude))
    count = 0
    try:
        for given in inputs:
            if isinstance(given, str) and given == "-":
                return None
            if isinstance(given, ListFile):
                with open(given.path, "rb") as handle:
                    entries: Iterable[Item | Skip] = walker.listing(handle.readlines(), "")
                    count += sum(isinstance(e, Item) for e in entries)
                continue
            path, url = (
                (given.path, given.url)
                if isinstance(given, Listed)
                else (
                    os.fsdecode(given),
                    None,
                )
            )
            count += sum(isinstance(e, Item) for e in walker.one(path, url))
    except (_Uncountable, OSError):
        return None
    return count


def _walk(root: str) -> Iterator[tuple[str, str, int]]:
    """``(path below root with "/", full path, st_mode)`` of every non-directory entry,
    depth first, entries sorted by name. Symbolic links to directories are not followed
    (a loop would never end); links to files are read."""
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            rel = prefix + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                mode = 0 if is_dir else entry.stat(follow_symlinks=True).st_mode
            except OSError:
                is_dir, mode = False, 0
            if is_dir:
                subdirs.append((rel + "/", entry.path))
            else:
                yield rel, entry.path, mode
        # Files of a folder, then its subfolders in name order: the stack pops the last.
        stack.extend(reversed(subdirs))


def _broken(source: str, kind: str, message: str) -> Item:
    return Item(source=source, broken=Failure(type="InputError", kind=kind, message=message))


def _is_archive(path: Path) -> bool:
    return _archives.is_archive(path)


def _archive_items(path: str) -> Iterator[Item | Skip]:
    try:
        for entry in _archives.iter_archive(Path(path)):
            if isinstance(entry, _archives.SkippedRecord):
                yield Skip(source=entry.source, reason=entry.reason)
            elif isinstance(entry, _archives.BrokenRecord):
                yield _from_broken(entry)
            else:
                yield _from_page(entry)
    except SocpressError as err:
        yield Item(
            source=path,
            archive=path,
            broken=Failure(
                type=type(err).__name__,
                kind=getattr(err, "kind", None) or "unreadable-archive",
                message=str(err),
            ),
        )
    except Exception as err:  # a reader bug must not end the run either
        yield Item(
            source=path,
            archive=path,
            broken=_failure(err),
            broken_status="failed",
        )


def _from_page(entry: _archives.PageRecord) -> Item:
    return Item(
        source=entry.source,
        data=entry.data,
        url=entry.url,
        charset=entry.charset,
        captured=entry.captured,
        archive=entry.archive,
        member=entry.member,
        offset=entry.offset,
        record_id=entry.record_id,
    )


def _from_broken(entry: _archives.BrokenRecord) -> Item:
    return Item(
        source=entry.source,
        url=entry.url,
        archive=entry.archive,
        member=entry.member,
        offset=entry.offset,
        record_id=entry.record_id,
        broken=Failure(type="InputError", kind=entry.kind, message=entry.message),
    )


# --- reading one item -------------------------------------------------------------------


def read_item(item: Item, *, lean: bool = False) -> tuple[Record, ...]:
    """The records of one item: one ``"ok"`` record per article, or one ``"refused"`` or
    ``"failed"`` record saying why not. Never raises (but lets ``KeyboardInterrupt`` and
    ``SystemExit`` through)."""
    if item.broken is not None:
        return (_refusal(item, None, item.broken, item.broken_status),)
    sha256 = None if item.data is None else hashlib.sha256(item.data).hexdigest()
    try:
        source: bytes | Path = item.data if item.data is not None else Path(item.path or "")
        articles = load_articles(source, url=item.url, charset=item.charset, captured=item.captured)
    except SocpressError as err:
        kind = getattr(err, "kind", None)
        failure = Failure(type=type(err).__name__, kind=kind, message=str(err))
        return (_refusal(item, sha256 or file_sha256(item), failure, "refused"),)
    except MemoryError:
        failure = Failure(
            type="InputError",
            kind="memory-limit",
            message=f"{item.source}: reading the page ran out of memory",
        )
        return (_refusal(item, sha256 or file_sha256(item), failure, "refused"),)
    except Exception as err:  # a socpress bug: reported in the record, the run goes on
        return (_refusal(item, sha256 or file_sha256(item), _failure(err), "failed"),)
    if lean:
        articles = [_lean(a) for a in articles]
    return tuple(
        Record(
            status="ok",
            input=record_input(item, article.provenance.sha256, index),
            article=article,
            error=None,
            lean=lean,
        )
        for index, article in enumerate(articles)
    )


def record_input(item: Item, sha256: str | None, index: int) -> Input:
    return Input(
        source=item.source,
        archive=item.archive,
        member=item.member,
        offset=item.offset,
        record_id=item.record_id,
        url=item.url,
        sha256=sha256,
        index=index,
    )


def _refusal(item: Item, sha256: str | None, failure: Failure, status: Status) -> Record:
    return Record(status=status, input=record_input(item, sha256, 0), article=None, error=failure)


def _failure(err: BaseException) -> Failure:
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


def _lean(article: Article) -> Article:
    prov = article.provenance
    removed = tuple(attrs.evolve(r, text="") for r in prov.removed)
    return attrs.evolve(article, provenance=attrs.evolve(prov, removed=removed))


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
    """The JSON Schema (draft 2020-12) of :meth:`Record.to_dict` output, as shipped in the
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
    """The record's JSON line (:func:`to_json_line`)."""


def to_lines(batch: Sequence[Record]) -> tuple[Line, ...]:
    """An item's records, serialized for the trip from a worker process."""
    out = []
    for record in batch:
        key = None
        if record.error is not None:
            key = record.error.type + (f"/{record.error.kind}" if record.error.kind else "")
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
            f"{self.items} items read: {self.articles} articles, "
            f"{sum(self.refused.values())} refused{by(self.refused)}, "
            f"{sum(self.failed.values())} failed{by(self.failed)}; "
            f"{sum(self.skipped.values())} skipped{by(self.skipped)}"
        )


class Records(Iterator[Record]):
    """The records of a run, in input order; ``summary`` counts them as they come."""

    def __init__(self, batches: Iterator[tuple[Line, ...]], summary: Summary) -> None:
        self.summary = summary
        self._batches = batches
        self._current: collections.deque[Line] = collections.deque()

    def __next__(self) -> Record:
        while not self._current:
            batch = next(self._batches)
            self.summary.count(batch)
            self._current.extend(batch)
        return Record.from_dict(json.loads(self._current.popleft().text))

    def close(self) -> None:
        """Stop the run early: the worker processes are ended."""
        close = getattr(self._batches, "close", None)
        if close is not None:
            close()


def records(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    lean: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
) -> Records:
    """Read every input (as :func:`iter_items` expands them) and yield its records, in
    input order whatever ``workers`` is.

    ``workers`` worker processes read the pages (``None``: one per core; ``0``: in this
    process, with no time or memory limit). A page that takes longer than ``time_limit``
    seconds or more than ``memory_limit`` bytes is refused (``InputError``, kind
    ``time-limit`` or ``memory-limit``), its worker replaced, and the run goes on.
    The returned iterator's ``summary`` counts items, articles, refusals and skips.
    """
    summary = Summary()
    items = iter_items(inputs, include=include, exclude=exclude)
    return Records(
        run_lines(
            items,
            summary,
            workers=workers,
            lean=lean,
            time_limit=time_limit,
            memory_limit=memory_limit,
        ),
        summary,
    )


def run_lines(
    entries: Iterable[Item | Skip],
    summary: Summary,
    *,
    workers: int | None,
    lean: bool,
    time_limit: float,
    memory_limit: int,
) -> Iterator[tuple[Line, ...]]:
    """Each item's serialized records, in input order; skips are counted in ``summary``."""
    items = _counting(entries, summary)
    if workers == 0:
        return (to_lines(read_item(item, lean=lean)) for item in items)
    from socpress.corpus import _workers

    return _workers.run(
        items,
        workers=workers or cores(),
        lean=lean,
        time_limit=time_limit,
        memory_limit=memory_limit,
    )


def cores() -> int:
    """The cores this process may run on (its CPU affinity, where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _counting(entries: Iterable[Item | Skip], summary: Summary) -> Iterator[Item]:
    for entry in entries:
        if isinstance(entry, Skip):
            summary.skipped[entry.reason] += 1
        else:
            yield entry
