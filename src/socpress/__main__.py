"""``socpress INPUT... [-o OUT] [--workers N] [--resume] [--lean]``: one JSON record per line.

``socpress INPUT... --statements [-o OUT]`` groups the records into statements
(``socpress.statements``) and writes one statement per line; ``socpress --statements
--from-records RUN.jsonl`` groups a finished run's records file again without reading the
pages.

A thin layer over ``socpress.corpus``: every item of the inputs gives records (one per
article, or one saying why not), in input order, to standard output or ``-o OUT``, whose
suffix chooses the format (``.jsonl``, ``.jsonl.gz``, ``.csv``, ``.parquet`` with the
``parquet`` extra). A summary goes to standard error.

Exit status: 0 when every item gave articles; 1 when some item was refused or failed (the
others are still written); 2 for a usage error; 3 when the output could not be written (a
full disk); 130 when interrupted (Ctrl-C); 141 when standard output was closed early
(``| head``), quietly.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import IO, Any, Final

from socpress import corpus
from socpress._version import VERSION
from socpress.corpus import _inputs, _run
from socpress.corpus import _values as corpus_values
from socpress.corpus._output import (
    FORMATS,
    CsvSink,
    JsonLinesSink,
    ParquetAdapter,
    Resume,
    Sink,
    merge,
    open_for_resume,
    open_output,
    output_format,
    resume_point,
)
from socpress.corpus._pieces import Piece
from socpress.corpus._values import counted, item_sha256
from socpress.errors import SocpressError

_SIZE = re.compile(r"(?i)^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$")


def _size(text: str) -> int:
    """``2G``, ``512M``, ``2GiB`` or a number of bytes."""
    match = _SIZE.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 2G, 512M)")
    scale = 1024 ** " kmgt".index(match.group(2).lower() or " ")
    return int(float(match.group(1)) * scale)


def _workers(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("--workers must be 0 or more")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socpress",
        description="Read captured pages of the Syrian Opposition Coalition's statements (page "
        "files, directories, WARC/WACZ web archives) and write one JSON record per article, "
        "or per input that gave none, in input order.",
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="a page file, a directory (read recursively, sorted), a .warc/.warc.gz/.wacz "
        "archive, or - for a list of inputs on stdin (one per line, optionally PATH<TAB>URL)",
    )
    parser.add_argument(
        "--from",
        dest="lists",
        action="append",
        default=[],
        metavar="FILE",
        help="read a list of inputs from FILE (as for -); may be repeated",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write to OUT, not stdout; its suffix says how: .jsonl, .jsonl.gz, .csv, .parquet",
    )
    parser.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help=f"worker processes (default: all cores, {_run.cores()} here; 0: in this process, "
        "no limits)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="go on with an interrupted run: keep the records already in -o OUT.jsonl and "
        "append the rest",
    )
    parser.add_argument(
        "--lean", action="store_true", help="leave the removed-chrome texts out (rules kept)"
    )
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="in directories, read only files whose path below it matches GLOB (repeatable)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="in directories, skip files whose path below it matches GLOB (repeatable)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=corpus.DEFAULT_TIME_LIMIT,
        metavar="SECONDS",
        help="refuse a page that takes longer (default: %(default)g)",
    )
    parser.add_argument(
        "--memory-limit",
        type=_size,
        default=corpus.DEFAULT_MEMORY_LIMIT,
        metavar="SIZE",
        help="refuse a page whose worker needs more memory (default: 2G)",
    )
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show a progress bar on stderr even when it is not a terminal",
    )
    progress.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show one"
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="group the records into statements (captures, edits, editions, republications, "
        "teasers of one statement together) and write one statement per line instead: "
        "JSON Lines, or Parquet for -o OUT.parquet",
    )
    parser.add_argument(
        "--from-records",
        dest="from_records",
        action="append",
        default=[],
        metavar="RECORDS",
        help="with --statements: group the records of a finished run (a .jsonl, .jsonl.gz or "
        ".parquet file socpress wrote) instead of reading pages; may be repeated",
    )
    parser.add_argument(
        "--window",
        type=int,
        default=3,
        metavar="DAYS",
        help="with --statements: days two publication dates may differ within one "
        "statement (default: %(default)s)",
    )
    parser.add_argument("--url", help="where the page was captured from (a single page INPUT only)")
    parser.add_argument(
        "--schema",
        action="store_true",
        help="print the record's JSON Schema (with --statements: the statement's) and exit",
    )
    parser.add_argument("--version", action="version", version=f"socpress {VERSION}")
    return parser


EXIT_OUTPUT: Final = 3
"""Exit status when the output cannot be written (a full disk): see the module docstring."""


class _CannotResume(Exception):
    """The output holds items that are not, or no longer, those the inputs give."""


class _OutputFailed(Exception):
    """Writing the output failed (``OSError``, but not a closed pipe)."""


def main(argv: Sequence[str] | None = None) -> int:
    if isinstance(sys.stderr, io.TextIOWrapper):
        # A file name or message the locale cannot show is escaped, never a crash.
        sys.stderr.reconfigure(errors="backslashreplace")
    parser = _parser()
    args = parser.parse_args(argv)
    stdout = sys.stdout.buffer
    if args.schema:
        return _print_schema(stdout, statements=args.statements)
    if args.statements or args.from_records:
        return _statements(parser, args, stdout)
    output: str | None = args.output
    kind = _output_kind(parser, output)
    inputs = _given(parser, args, kind=kind)
    workers = _run.cores() if args.workers is None else args.workers
    _say_what_does_not_apply(workers)
    resume = Resume(offset=0, sources=(), digests=(), summary=corpus.Summary())
    try:
        if args.resume and output is not None and os.path.exists(output):
            resume = resume_point(output)
        sink = _open_sink(output, kind, resume=resume, stdout=stdout)
    except (SocpressError, OSError) as err:
        print(f"socpress: {err}", file=sys.stderr)
        return 2

    summary = corpus.Summary()
    # With workers, archives go to them unread, as their pieces: each worker reads its own.
    expand = _inputs.iter_units if workers else corpus.iter_items
    entries = _not_own_output(expand(inputs, include=args.include, exclude=args.exclude), output)
    batches = _run.run_lines(
        _skipping(entries, resume),
        summary,
        workers=workers,
        lean=args.lean,
        time_limit=args.time_limit,
        memory_limit=args.memory_limit,
    )
    show = sys.stderr.isatty() if args.progress is None else args.progress
    bar = _progress(len(resume.sources)) if show else None
    if bar is not None:  # the total (for the ETA) is counted beside the run, when it can be
        threading.Thread(
            target=_set_total, args=(bar, inputs, args.include, args.exclude), daemon=True
        ).start()
    try:
        for batch in batches:
            _write(sink, batch)
            summary.count(batch)
            if bar is not None:
                bar.update(1)
    except BrokenPipeError:
        _close_quietly(batches)
        # Python would report the pipe again when it flushes stdout on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        _close_quietly(batches)
        _finish(sink, bar)
        merge(summary, resume.summary)
        print(_interrupted(summary, output, kind), file=sys.stderr)
        return 130
    except _CannotResume as err:
        _close_quietly(batches)
        _finish(sink, bar)
        print(f"socpress: cannot resume: {err}", file=sys.stderr)
        return 2
    except _OutputFailed as err:
        _close_quietly(batches)
        merge(summary, resume.summary)
        print(_output_failed(sink, bar, output, kind, err, summary), file=sys.stderr)
        return EXIT_OUTPUT
    except BaseException:
        _close_quietly(batches)
        _finish(sink, bar)  # what was written stays readable (a Parquet file its footer)
        raise
    _finish(sink, bar)
    merge(summary, resume.summary)
    if resume.sources:
        print(f"socpress: resumed after {counted(len(resume.sources), 'item')}", file=sys.stderr)
    print(f"socpress: {summary}", file=sys.stderr)
    return 1 if summary.refused or summary.failed else 0


def _print_schema(stdout: IO[bytes], *, statements: bool) -> int:
    """``--schema``: the record's JSON Schema, or with ``--statements`` the statement's."""
    schema = corpus.json_schema()
    if statements:
        from socpress import statements as grouping

        schema = grouping.json_schema()
    stdout.write(json.dumps(schema, indent=2).encode() + b"\n")
    stdout.flush()
    return 0


def _statements(
    parser: argparse.ArgumentParser, args: argparse.Namespace, stdout: IO[bytes]
) -> int:
    """``--statements``: the records of the inputs (or of ``--from-records`` files), grouped."""
    from socpress import statements
    from socpress.statements import _runs

    if not args.statements:
        parser.error("--from-records goes with --statements")
    if args.resume:
        parser.error("--resume does not apply to --statements")
    if args.output is not None and not _runs.writable(args.output):
        parser.error(f"-o {args.output}: statements are written as .jsonl, .jsonl.gz or .parquet")
    if args.window < 0:
        parser.error("--window must be 0 or more")
    summary: corpus.Summary | None = None
    if args.from_records:
        if args.inputs or args.lists:
            parser.error("give either INPUTs or --from-records, not both")
        for name in args.from_records:
            if args.output is not None and _same_file(name, args.output):
                parser.error(f"-o {args.output} is also an input: it would be overwritten")
        records: Iterator[corpus.Record] = _chained(
            _runs.read_records(n) for n in args.from_records
        )
    else:
        inputs = _given(parser, args, kind="jsonl")
        workers = _run.cores() if args.workers is None else args.workers
        _say_what_does_not_apply(workers)
        summary = corpus.Summary()
        entries = corpus.iter_items(inputs, include=args.include, exclude=args.exclude)
        batches = _run.run_lines(
            _not_own_output(entries, args.output),
            summary,
            workers=workers,
            lean=args.lean,
            time_limit=args.time_limit,
            memory_limit=args.memory_limit,
        )
        records = _run.Records(batches, summary)
    count = 0
    try:
        writer = _runs.open_writer(args.output, stdout)
        try:
            for statement in statements.group(records, window=args.window):
                writer.write(statement)
                count += 1
        finally:
            writer.close()
    except SocpressError as err:
        print(f"socpress: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as err:
        print(f"socpress: cannot write {args.output or 'standard output'}: {err}", file=sys.stderr)
        return EXIT_OUTPUT
    if summary is not None:
        print(f"socpress: {summary}", file=sys.stderr)
    print(f"socpress: {counted(count, 'statement')}", file=sys.stderr)
    return 1 if summary is not None and (summary.refused or summary.failed) else 0


def _chained(parts: Iterator[Iterator[corpus.Record]]) -> Iterator[corpus.Record]:
    for part in parts:
        yield from part


def _output_kind(parser: argparse.ArgumentParser, output: str | None) -> str:
    if output is None:
        return "jsonl"
    kind = output_format(output)
    if kind is None:
        parser.error(
            f"-o {output}: socpress writes {', '.join(FORMATS)} (chosen by the suffix, "
            "in any case), not this"
        )
    return kind


_URL = re.compile(r"(?i)^[a-z][a-z0-9+.-]*:/")


def _given(
    parser: argparse.ArgumentParser, args: argparse.Namespace, *, kind: str
) -> list[_inputs.Given]:
    """The inputs the arguments name, or a usage error (which exits) for arguments that clash."""
    if not args.inputs and not args.lists:
        parser.error("give at least one INPUT (or - or --from FILE)")
    if args.url is not None and (len(args.inputs) != 1 or args.lists):
        parser.error("--url applies to a single page INPUT")
    if args.url is not None and os.path.isdir(args.inputs[0]):
        parser.error(f"--url applies to a single page INPUT, and {args.inputs[0]} is a directory")
    if args.resume and (args.output is None or kind != "jsonl"):
        parser.error("--resume needs -o OUT.jsonl (the output it goes on with)")
    for name in [*args.inputs, *args.lists]:
        if name != "-" and _URL.match(name) and not os.path.exists(name):
            parser.error(
                f"{name}: socpress reads captured pages and web archives, it does not fetch "
                "URLs (save the page, or give its WARC capture)"
            )
        if args.output is not None and _same_file(name, args.output):
            parser.error(f"-o {args.output} is also an input: it would be overwritten")
    inputs: list[_inputs.Given] = list(args.inputs)
    if args.url is not None:
        inputs = [_inputs.Listed(args.inputs[0], args.url)]
    inputs.extend(_inputs.ListFile(name) for name in args.lists)
    return inputs


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _say_what_does_not_apply(workers: int) -> None:
    if workers == 0:
        print(
            "socpress: --workers 0 reads in this process: the time and memory limits do not apply",
            file=sys.stderr,
        )
    elif sys.platform == "win32":  # pragma: no cover - no Windows runner
        print(
            "socpress: --memory-limit does not apply on Windows (no address-space limit "
            "there); the time limit does",
            file=sys.stderr,
        )


def _open_sink(output: str | None, kind: str, *, resume: Resume, stdout: IO[bytes]) -> Sink:
    if output is None:
        return JsonLinesSink(stdout, owned=False)
    if kind == "parquet":
        return ParquetAdapter(output)
    if kind == "jsonl" and os.path.exists(output) and (resume.offset or resume.sources):
        return open_for_resume(output, resume)
    stream = open_output(output, kind)
    if kind == "csv":
        return CsvSink(stream)
    return JsonLinesSink(stream, owned=True, flush=kind == "jsonl")


def _write(sink: Sink, batch: Sequence[corpus_values.Line]) -> None:
    try:
        with _no_interrupt():  # a Ctrl-C lands between items, never inside a line
            sink.write(batch)
    except BrokenPipeError:
        raise
    except OSError as err:
        raise _OutputFailed(err.strerror or str(err)) from err


def _interrupted(summary: corpus.Summary, output: str | None, kind: str) -> str:
    text = (
        f"socpress: interrupted after {counted(summary.items, 'item')}; every record up to "
        "there is written"
    )
    if output is not None and kind == "jsonl" and summary.items:
        # The output cannot show that its last item's records are all there (a listing
        # gives several): --resume reads that item again.
        text += (
            f"; run again with --resume to go on (it reads item {summary.items} again, "
            f"after the {counted(summary.items - 1, 'item')} it keeps)"
        )
    return text


def _output_failed(
    sink: Sink, bar: Any, output: str | None, kind: str, err: _OutputFailed, summary: corpus.Summary
) -> str:
    name = output or "standard output"
    finished = True
    try:
        _finish(sink, bar)
    except OSError:
        finished = False
    text = f"socpress: cannot write {name}: {err}"
    if kind == "parquet" and not finished and output is not None:
        with contextlib.suppress(OSError):
            os.remove(output)
        return text + "; the Parquet file could not be finished and was removed"
    text += f"; the records of the first {counted(summary.items, 'item')} are whole in it"
    if output is not None and kind == "jsonl":
        text += "; make room and run again with --resume to go on"
    return text


def _not_own_output(entries: Iterator[_inputs.Unit], output: str | None) -> Iterator[_inputs.Unit]:
    """The entries, the run's own output file skipped (reason ``own-output``) where a
    directory input holds it: a run never reads what it writes."""
    try:
        own = None if output is None else os.stat(output)
    except OSError:
        own = None
    if own is None or output is None:
        yield from entries
        return
    name = os.path.basename(output)
    for entry in entries:
        path = entry.path if isinstance(entry, corpus.Item) else None
        if path is not None and os.path.basename(path) == name and _is(path, own):
            yield corpus.Skip(source=path, reason="own-output")
        else:
            yield entry


def _is(path: str, own: os.stat_result) -> bool:
    try:
        found = os.stat(path)
    except OSError:
        return False
    return (found.st_dev, found.st_ino) == (own.st_dev, own.st_ino)


def _read_here(entries: Iterator[_inputs.Unit], resume: Resume) -> Iterator[_inputs.Unit]:
    """The pieces of archives read in this process while the output holds their items
    (and the rest of an archive whose reading here began), so that each item is checked."""
    merge = _inputs.Merge()
    here = 0  # items seen
    archive: str | None = None  # the archive read here
    for entry in entries:
        if isinstance(entry, Piece) and (
            here < len(resume.sources) or (entry.start and entry.archive == archive)
        ):
            archive = entry.archive
            for inner in merge.entries(entry):
                here += isinstance(inner, corpus.Item)
                yield inner
            continue
        if isinstance(entry, Piece):
            archive = None  # this archive (even the same file given again) goes to workers
        here += isinstance(entry, corpus.Item)
        yield entry


def _skipping(entries: Iterator[_inputs.Unit], resume: Resume) -> Iterator[_inputs.Unit]:
    """The entries after the first ``len(resume.sources)`` items, which the output already
    holds: each must be the item the output has there, with the same bytes."""
    done = resume.sources
    position = 0
    for entry in _read_here(entries, resume) if done else entries:
        if position < len(done) and isinstance(entry, corpus.Item):
            if entry.source != done[position]:
                raise _CannotResume(
                    f"item {position + 1} of the inputs is {entry.source!r}, but the output "
                    f"has {done[position]!r} there (not the same inputs?)"
                )
            want = resume.digests[position]
            if want is not None and item_sha256(entry) not in (want, None):
                raise _CannotResume(
                    f"item {position + 1}, {entry.source!r}, changed since the output was "
                    "written (its SHA-256 differs); run without --resume to read it again"
                )
            position += 1
            continue
        yield entry  # skips too: they are counted, and write nothing


def _finish(sink: Sink, bar: Any) -> None:
    if bar is not None:
        bar.close()
    sink.close()


@contextlib.contextmanager
def _no_interrupt() -> Iterator[None]:
    """SIGINT held back while the block runs (POSIX), delivered right after it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _close_quietly(batches: Iterator[object]) -> None:
    close = getattr(batches, "close", None)
    if close is not None:
        with contextlib.suppress(KeyboardInterrupt, Exception):  # stopping anyway
            close()


def _set_total(bar: Any, inputs: list[Any], include: list[str], exclude: list[str]) -> None:
    total = _inputs.count_items(inputs, include=include, exclude=exclude)
    if total is not None:
        bar.total = total
        bar.refresh()


def _progress(initial: int) -> Any:
    from tqdm import tqdm

    return tqdm(
        initial=initial,
        unit=" items",
        file=sys.stderr,
        dynamic_ncols=True,
        smoothing=0.05,
        mininterval=0.5,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
