"""Expanding a run's inputs into items: page files, directories (recursive, sorted, with
globs and a URL manifest), lists of inputs, and web archives, each entry an ``Item`` to read
or a ``Skip`` with its reason.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

import attrs

from socpress.corpus import _archives, _pieces
from socpress.corpus._pieces import Mismatch, Piece, PieceReader, RangeCheck, pinned
from socpress.corpus._values import MANIFEST_NAME, Failure, Item, Skip, failure_of, origin_of
from socpress.errors import SocpressError

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
    page's URL. Globs are ``fnmatch`` patterns matched against the ``/``-separated
    path below the directory (``*`` also matches ``/``).
    """
    walker = _Reading(tuple(include), tuple(exclude))
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
        if not line.strip() or line.startswith(b"#"):
            continue  # a blank line, or a comment (a path starting with # is given as ./#…)
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


_U = TypeVar("_U", bound=Item | Skip | Piece)
"""What a walker gives for a web archive: its items and skips, or its pieces unread."""


class _Walker(Generic[_U]):
    """Inputs expanded into items and skips; a web archive into what ``archive`` gives."""

    def __init__(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> None:
        self.include = include
        self.exclude = exclude

    def listing(self, stream: Iterable[bytes], name: str) -> Iterator[Item | Skip | _U]:
        for entry in _read_list(stream, name):
            if isinstance(entry, Item):
                yield entry
            else:
                yield from self.one(entry.path, entry.url)

    def one(self, path: str, url: str | None) -> Iterator[Item | Skip | _U]:
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

    def directory(self, root: str) -> Iterator[Item | Skip | _U]:
        urls: dict[str, str] = {}
        manifest = os.path.join(root, MANIFEST_NAME)
        if os.path.isfile(manifest):
            with open(manifest, "rb") as handle:
                for entry in _read_list(handle, manifest):
                    if isinstance(entry, Listed) and entry.url is not None:
                        urls[entry.path] = entry.url
        for rel, full, mode, error in _walk(root):
            if error is not None:
                yield _broken(
                    full, "unreadable-directory", f"{full}: cannot read the directory: {error}"
                )
            elif rel == MANIFEST_NAME:
                yield Skip(source=full, reason="manifest")
            elif not self.wanted(rel):
                yield Skip(source=full, reason="excluded")
            elif not stat.S_ISREG(mode):
                yield Skip(source=full, reason="not-a-file")
            elif _is_archive(Path(full)):
                yield from self.archive(full)
            else:
                yield Item(source=full, path=full, url=urls.get(rel))

    def archive(self, path: str) -> Iterator[_U]:
        raise NotImplementedError

    def wanted(self, rel: str) -> bool:
        if self.include and not any(fnmatch.fnmatchcase(rel, g) for g in self.include):
            return False
        return not any(fnmatch.fnmatchcase(rel, g) for g in self.exclude)


class _Reading(_Walker[Item | Skip]):
    """Archives read through, as their items and skips."""

    def archive(self, path: str) -> Iterator[Item | Skip]:
        return _archive_items(path)


class _Splitting(_Walker[Item | Skip | Piece]):
    """Archives as their pieces, for readers elsewhere to read."""

    def __init__(
        self, include: tuple[str, ...], exclude: tuple[str, ...], range_bytes: int | None
    ) -> None:
        super().__init__(include, exclude)
        self.range_bytes = range_bytes

    def archive(self, path: str) -> Iterator[Item | Skip | Piece]:
        yield from _pieces.plan_pieces(Path(path), self.range_bytes)


Unit = Item | Skip | Piece
"""What the parent of a run hands on: a page to read, a skip to count, or a piece of a web
archive for a worker to read itself."""


def iter_units(
    inputs: Iterable[Given],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    range_bytes: int | None = None,
) -> Iterator[Unit]:
    """``iter_items``, with each web archive left unread as its pieces (``plan_pieces``, byte
    ranges of ``range_bytes``): expanding the pieces in order (``expand``) gives
    ``iter_items``'s entries."""
    walker = _Splitting(tuple(include), tuple(exclude), range_bytes)
    for given in inputs:
        if isinstance(given, str) and given == "-":
            yield from walker.listing(sys.stdin.buffer, "<stdin>")
        elif isinstance(given, Listed):
            yield from walker.one(given.path, given.url)
        elif isinstance(given, ListFile):
            yield from iter_items([given], include=include, exclude=exclude)
        else:
            yield from walker.one(os.fsdecode(given), None)


def piece_entries(reader: PieceReader) -> Iterator[tuple[int | None, Item | Skip]]:
    """The items and skips of one piece, each with the gzip member that gave it (see
    ``PieceReader``), as ``iter_items`` would give them for the whole archive."""
    return _entries(reader, reader.piece.archive)


def expand(units: Iterable[Unit]) -> Iterator[Item | Skip]:
    """The entries of ``units`` with each piece read here, the byte ranges of an archive
    merged as ``RangeCheck`` says: what ``iter_items`` gives."""
    merge = Merge()
    for unit in units:
        if isinstance(unit, Piece):
            yield from merge.entries(unit)
        else:
            yield unit


class Merge:
    """Pieces read here one after another, each archive's byte ranges merged (``RangeCheck``)."""

    def __init__(self) -> None:
        self.expected: int | None = 0

    def entries(self, piece: Piece) -> list[Item | Skip]:
        """The entries of ``piece``, which follows the pieces given before it."""
        while True:  # once, or twice for a range whose chain missed the expected member
            check = RangeCheck(piece, self.expected if piece.start else 0)
            reader = PieceReader(piece)
            kept: list[Item | Skip] = []
            try:
                for step, entry in piece_entries(reader):
                    if check.take(step):
                        kept.append(entry)
                self.expected = check.done(reader.next_start)
            except Mismatch as err:
                piece = pinned(piece, err.start)
                continue
            return kept


class _Uncountable(Exception):
    """Counting the items would mean reading a web archive through."""


class _Counter(_Walker[Item | Skip]):
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


class _Entry(NamedTuple):
    rel: str
    """The path below the walked root, ``/``-separated."""
    full: str
    mode: int
    """``st_mode``; 0 when it cannot be read."""
    error: str | None = None
    """Set for a folder that cannot be listed: why."""


def _walk(root: str) -> Iterator[_Entry]:
    """Every non-directory entry below ``root``, depth first, entries sorted by name, and
    an entry with ``error`` set for each folder that cannot be listed. Symbolic links to
    directories are not followed (a loop would never end); links to files are read."""
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            yield _Entry(prefix, folder, 0, err.strerror or str(err))
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
                yield _Entry(rel, entry.path, mode)
        # Files of a folder, then its subfolders in name order: the stack pops the last.
        stack.extend(reversed(subdirs))


def _broken(source: str, kind: str, message: str) -> Item:
    return Item(source=source, broken=Failure(type="InputError", kind=kind, message=message))


def _is_archive(path: Path) -> bool:
    return _archives.is_archive(path)


def _archive_items(path: str) -> Iterator[Item | Skip]:
    whole = ((None, entry) for entry in _archives.iter_archive(Path(path)))
    for _, entry in _entries(whole, path):
        yield entry


def _entries(
    tagged: Iterable[tuple[int | None, _archives.ArchiveEntry]], path: str
) -> Iterator[tuple[int | None, Item | Skip]]:
    step: int | None = None
    try:
        for step, entry in tagged:
            if isinstance(entry, _archives.SkippedRecord):
                yield step, Skip(source=entry.source, reason=entry.reason)
            elif isinstance(entry, _archives.BrokenRecord):
                yield step, _from_broken(entry)
            else:
                yield step, _from_page(entry)
    except SocpressError as err:
        yield (
            step,
            Item(
                source=path,
                archive=path,
                broken=Failure(
                    type=type(err).__name__,
                    kind=getattr(err, "kind", None) or "unreadable-archive",
                    message=str(err),
                ),
            ),
        )
    except Exception as err:  # a reader bug must not end the run either
        yield (
            step,
            Item(
                source=path,
                archive=path,
                broken=failure_of(err),
                broken_status="failed",
            ),
        )


def _from_page(entry: _archives.PageRecord) -> Item:
    return Item(**origin_of(entry), data=entry.data, charset=entry.charset, captured=entry.captured)


def _from_broken(entry: _archives.BrokenRecord) -> Item:
    return Item(
        **origin_of(entry),
        broken=Failure(type="InputError", kind=entry.kind, message=entry.message),
    )
