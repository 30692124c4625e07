"""Corpus scale: many inputs in, one record per article or per refusal out, nothing lost.

A run is a pipeline of readers, a map and writers::

    inputs ──iter_items──▶ Item | Skip ──read_item (in worker processes)──▶ Record ...

- ``iter_items`` expands the inputs (page files; directories, recursively and sorted;
  web archives through ``socpress.corpus._archives``; ``"-"`` for a list on standard input) into
  ``Item`` values, which are picklable and hold what a worker needs, and ``Skip``
  values for what is not a page (counted by reason, never an error).
- ``read_item`` turns one item into its records: one ``"ok"`` record per article (a
  listing page gives several), or one ``"refused"`` record (a documented
  ``socpress.errors.SocpressError``, or a page that ran past a limit) or one
  ``"failed"`` record (anything else: a socpress bug, reported, never fatal).
- ``records`` runs both over worker processes, in input order whatever their number,
  with a time and a memory limit per page; ``Records.summary`` counts what happened.

Every record names its input exactly (``Input``), so that the items in and the
records out can always be matched. ``docs/corpus.md`` documents the record format, whose
JSON Schema is ``json_schema``.
"""

from socpress.corpus._inputs import iter_items
from socpress.corpus._reading import read_item
from socpress.corpus._run import Records, records
from socpress.corpus._values import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_TIME_LIMIT,
    MANIFEST_NAME,
    Failure,
    Input,
    Item,
    Record,
    Skip,
    Summary,
    json_schema,
)

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
