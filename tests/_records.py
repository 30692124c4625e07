"""Helpers for corpus tests: the record JSON Schema check, and stand-in readers for the
worker limits (module-level functions, so that they pickle into worker processes)."""

from __future__ import annotations

import functools
import json
import os
import signal
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jsonschema

from socpress import corpus
from socpress.corpus import _run, _workers


@functools.cache
def validator() -> jsonschema.protocols.Validator:
    schema = corpus.json_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def check(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` if it is a valid record, else an assertion error naming what is wrong."""
    errors = sorted(validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    return data


def check_lines(lines: Iterable[bytes | str]) -> list[dict[str, Any]]:
    """Parse JSON lines and check each against the schema."""
    return [check(json.loads(line)) for line in lines]


def slow_reader(item: corpus.Item, *, lean: bool = False) -> tuple[corpus.Record, ...]:
    """Reads like ``read_item``, but hangs on an item whose source ends in ``slow``."""
    if item.source.endswith("slow"):
        time.sleep(60)
    return corpus.read_item(item, lean=lean)


def greedy_reader(item: corpus.Item, *, lean: bool = False) -> tuple[corpus.Record, ...]:
    """Reads like ``read_item``, but on an item whose source ends in ``greedy`` first asks
    for 1 GiB: more than the 512 MiB limit the test sets, far less than the machine has."""
    if item.source.endswith("greedy"):
        hog = bytearray(1024**3)
        del hog
    return corpus.read_item(item, lean=lean)


def crashing_reader(item: corpus.Item, *, lean: bool = False) -> tuple[corpus.Record, ...]:
    """Reads like ``read_item``, but the worker dies (SIGSEGV) on ``...crash``."""
    if item.source.endswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    return corpus.read_item(item, lean=lean)


def run_limited(
    units: Iterable[Any],
    reader: Any,
    *,
    time_limit: float = 60,
    memory_limit: int = corpus.DEFAULT_MEMORY_LIMIT,
) -> list[dict[str, Any]]:
    """The records of a 2-worker run of ``units`` read by ``reader``, checked on the schema."""
    batches = _workers.run(
        units,
        workers=2,
        lean=False,
        time_limit=time_limit,
        memory_limit=memory_limit,
        reader=reader,
    )
    return check_lines(line.text for batch in batches for line in batch)


def run_bytes(inputs: Sequence[str | Path], workers: int) -> bytes:
    """The JSON Lines a run over ``inputs`` with ``workers`` workers writes, as one string."""
    batches = _run.run_lines(
        corpus.iter_items(inputs),
        corpus.Summary(),
        workers=workers,
        lean=False,
        time_limit=60,
        memory_limit=corpus.DEFAULT_MEMORY_LIMIT,
    )
    return b"".join(line.text for batch in batches for line in batch)


def _url_marked(item: corpus.Item, mark: str) -> bool:
    return (item.url or "").endswith(mark)


def slow_url_reader(item: corpus.Item, *, lean: bool = False) -> tuple[corpus.Record, ...]:
    """``slow_reader`` for archive records: hangs on a record whose URL ends in ``slow``."""
    if _url_marked(item, "slow"):
        time.sleep(60)
    return corpus.read_item(item, lean=lean)


def greedy_url_reader(item: corpus.Item, *, lean: bool = False) -> tuple[corpus.Record, ...]:
    """``greedy_reader`` for archive records whose URL ends in ``greedy``."""
    if _url_marked(item, "greedy"):
        hog = bytearray(1024**3)
        del hog
    return corpus.read_item(item, lean=lean)


def crashing_url_reader(item: corpus.Item, *, lean: bool = False) -> tuple[corpus.Record, ...]:
    """``crashing_reader`` for archive records whose URL ends in ``crash``."""
    if _url_marked(item, "crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    return corpus.read_item(item, lean=lean)


def dying_between_url_reader(item: corpus.Item, *, lean: bool = False) -> tuple[corpus.Record, ...]:
    """Reads like ``read_item``; after the first record whose URL ends in ``die-after`` the
    worker dies (SIGSEGV) as it frames the next gzip member: between two pages, with no page
    being read. Once per archive: a mark file beside the archive says it died."""
    if _url_marked(item, "die-after"):
        mark = Path(f"{item.archive}.died")
        if not mark.exists():
            mark.touch()
            from socpress.corpus import _archives

            class _Dying:
                def __init__(self, *args: object) -> None:
                    os.kill(os.getpid(), signal.SIGSEGV)

            _archives._GzipMember = _Dying  # type: ignore[assignment,misc]
    return corpus.read_item(item, lean=lean)
