"""What every input must satisfy: the one check the regression corpus, the robustness
tests and the long-run fuzz target (``fuzz/fuzz_pages.py``) all apply.

For an input of an accepted type, ``load_article``, ``load_articles`` and ``strip_chrome``
each either return or raise a :class:`~socpress.errors.SocpressError`; nothing else. When an
``Article`` comes back: for text input, every non-blank character of the decoded text is
accounted for (``tests/_account.py``), removal spans hold exactly the removed text, evidence
spans hold their raw value, loading again gives an equal article, ``to_dict``/``from_dict``
round-trips, and ``load_articles`` agrees with ``load_article``.
"""

from __future__ import annotations

import contextlib
import gc
import json
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import socpress
from socpress._blocks import normalize
from socpress._read.source import DEFAULT_MAX_BYTES, read_source
from socpress.errors import SocpressError
from tests._account import removed_inside_body, unaccounted

CASES = Path(__file__).resolve().parent / "cases"

Input = str | bytes


def _where(err: BaseException) -> str:
    frames = traceback.extract_tb(err.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno}"


def outcome(call: Callable[[], Any]) -> tuple[Any, SocpressError | None, str | None]:
    """(result, documented error, problem): exactly one of them is set."""
    try:
        return call(), None, None
    except SocpressError as err:
        return None, err, None
    except Exception as err:  # anything else escaping is the bug this oracle looks for
        return None, None, f"{type(err).__name__}: {err} (at {_where(err)})"


def decoded_text(data: Input) -> str:
    """The text the article's spans index: what the reader decoded."""
    return read_source(data, url=None, max_bytes=DEFAULT_MAX_BYTES).text


def span_problems(text: str, article: socpress.Article) -> list[str]:
    problems = []
    for removal in article.provenance.removed:
        if removal.span is None:
            continue
        start, end = removal.span
        if end > len(text) or text[start:end] != removal.text:
            problems.append(f"removal {removal.rule} span {removal.span} != {removal.text!r}")
    for field, ev in article.provenance.fields.items():
        if not ev.spans:
            continue
        if any(end > len(text) for _, end in ev.spans):
            problems.append(f"evidence {field} span past the end: {ev.spans}")
            continue
        covered = normalize(" ".join(text[s:e] for s, e in ev.spans))
        if normalize(ev.raw.replace("\n", " ")) not in covered:
            problems.append(f"evidence {field} raw {ev.raw[:60]!r} not in its spans")
    return problems


def problems(data: Input, *, account: bool = True) -> list[str]:
    """Everything wrong with how socpress handles ``data`` (empty when all is well)."""
    found: list[str] = []
    article, error, problem = outcome(lambda: socpress.load_article(data))
    if problem is not None:
        found.append(f"load_article: {problem}")
    articles, _, problem = outcome(lambda: socpress.load_articles(data))
    if problem is not None:
        found.append(f"load_articles: {problem}")
    _, _, problem = outcome(lambda: socpress.strip_chrome(data))
    if problem is not None:
        found.append(f"strip_chrome: {problem}")
    if article is None:
        if error is not None and not str(error).startswith(error.source or "\0"):
            found.append(f"message does not start with the source name: {error}")
        return found
    if articles != [article]:
        found.append("load_articles(x) != [load_article(x)]")
    again, _, _ = outcome(lambda: socpress.load_article(data))
    if again != article:
        found.append("a second load gave a different article")
    rebuilt = socpress.Article.from_dict(json.loads(json.dumps(article.to_dict())))
    if rebuilt != article:
        found.append("to_dict/from_dict does not round-trip")
    if account and article.provenance.input_format == "text":
        text = decoded_text(data)
        missing = unaccounted(text, article)
        if missing:
            found.append(f"unaccounted characters: {missing[:5]}")
        overlaps = removed_inside_body(article)
        if overlaps:
            found.append(f"removals inside body paragraphs: {overlaps[:5]}")
        found.extend(span_problems(text, article))
    return found


def save_case(data: Input, *, name: str, why: str, found_by: str) -> Path:
    """Write a failing input to the regression corpus (``cases/<name>.input`` plus
    ``<name>.json``); ``tests/regressions/test_regressions.py`` runs it from then on."""
    CASES.mkdir(exist_ok=True)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    target = CASES / f"{name}.input"
    target.write_bytes(raw)
    meta = {
        "pass_as": "str" if isinstance(data, str) else "bytes",
        "why": why,
        "found_by": found_by,
        "xfail": None,
    }
    (CASES / f"{name}.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
    return target


def seconds_without_gc(call: Callable[[], object], repeat: int = 2) -> float:
    """``seconds`` with the garbage collector off (see ``_no_gc``)."""
    with _no_gc():
        return seconds(call, repeat)


def seconds(call: Callable[[], object], repeat: int = 2) -> float:
    """Best CPU time of ``repeat`` runs: the process's own CPU time (``process_time``), so
    that other work on a shared machine, which takes wall time, cannot fake a slow run."""
    import time

    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        outcome(call)
        best = min(best, time.process_time() - start)
    return best


def growth(load: Callable[[Input], object], make: Callable[[int], Input], n: int) -> float:
    """How much longer ``load`` takes on ``make(4 * n)`` than on ``make(n)``: about 4 for
    linear work, 16 for quadratic. Tiny times are floored so noise cannot fake a ratio.

    Both inputs are warmed (caches; the allocator's arenas grown to the large input's size),
    then timed in turn, round after round, and the best of each kept: on a shared machine
    the speed available changes from second to second, and interleaving lets both best
    times come from the same conditions."""
    import time

    small, large = make(n), make(4 * n)
    outcome(lambda: load(small))
    outcome(lambda: load(large))
    best = {"small": float("inf"), "large": float("inf")}
    with _no_gc():
        for _ in range(_GROWTH_ROUNDS):
            for name, page in (("small", small), ("large", large)):
                start = time.process_time()
                outcome(lambda page=page: load(page))  # type: ignore[misc]
                best[name] = min(best[name], time.process_time() - start)
    return best["large"] / max(best["small"], 0.002)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector off while timing: in a long test session it traverses
    every object earlier tests left alive, so its share of a run grows with the heap, not
    with the input, and made linear work look superlinear."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_GROWTH_ROUNDS = 4


GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def golden_inputs() -> list[tuple[str, Path, str | None]]:
    """``(case name, input path, url)`` of every golden case: text and HTML, articles and
    listings; the corpus the concurrency and determinism tests replay."""
    found = []
    for case in sorted(GOLDEN.glob("*/case.json")):
        meta = json.loads(case.read_text(encoding="utf-8"))
        found.append((case.parent.name, (case.parent / meta["input"]).resolve(), meta.get("url")))
    return found


def serialized(path: Path, url: str | None) -> str:
    """The page's articles (or its error) as canonical JSON text: what must not vary."""
    try:
        articles = socpress.load_articles(path, url=url)
    except SocpressError as err:
        return json.dumps({"error": type(err).__name__, "message": str(err)}, sort_keys=True)
    data = [article.to_dict() for article in articles]
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
