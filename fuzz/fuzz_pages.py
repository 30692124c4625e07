"""Long-run fuzz target: mutate real pages until socpress breaks its contract.

    .venv/bin/python fuzz/fuzz_pages.py --minutes 15 [--seed N] [--pages DIR ...]

Starting points are the seeds (``seeds/*.txt``), the golden inputs (text and HTML) and any
``--pages`` directories (``/work/shared/realpages`` when present). Each round stacks one to
six mutations (lines dropped, duplicated, shuffled, spliced from another page; characters,
NULs, bidi controls and odd line breaks inserted; chrome lines inserted; a re-encoding into
another codec, with or without a BOM; truncation at a random byte) and runs the oracle of
``tests/regressions/oracle.py`` on the result: no exception but ``SocpressError``, the account
invariant, the spans, determinism, the round-trip.

A failure is shrunk (lines, then characters, for at most a minute) and written to
``tests/regressions/cases/`` unless an existing case already fails the same way, so the
regression suite runs it from then on. The run ends with a summary line: inputs tried,
seconds, failures found and saved.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.regressions.oracle import (  # noqa: E402
    CASES,
    Input,
    golden_inputs,
    problems,
    save_case,
)

INSERTS = [
    "\x00", "\u202e", "\u202b", "\u200f", "\u2066", "\u2069", "\ufeff", "\u2028", "\u2029",
    "\x85", "\x0c", "\x0b", "\r", "\r\n", "\t", "\u00a0", "\u0640", "\ufffd", "\u0301",
    "<", ">", "&", "(", ")", "[", "]", "http://[", "%", ":", "•", "…", "’", "“", "\\", "١٥",
    "2020", " In ", "\U0001f600", "&#0;", "\"", "'",
]  # fmt: skip
LINES = [
    "No Result", "View All Result", "  • Home", "  • AR", "(Source: SOC’s Media Department)",
    "(Source: ", "Home News Coalition News", "in Coalition News", "November 21, 2022",
    "Tuesday, 6 June , 2023", "Friday, 16 January 2015 00:22", "Press release",
    "Syrian Opposition Coalition", "Department of Media and Communications", "Share3TweetSend",
    "Posts Related", "Next Post", "Last News", "Leave a Reply", "Read Also: Something",
    "22 May 2017 In Coalition News", "١٥ آب، ٢٠١٧", "المصدر: الائتلاف", "Print this page",
    "Recommend article", "This article was edited by The Syrian Observer.", "<div>", "</p>",
    "<meta charset=windows-1256>", "<html>", "<!--", "Copyright © 2023",
]  # fmt: skip
T = TypeVar("T")

ENCODINGS = [
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "windows-1252",
    "windows-1256", "latin-1", "iso-8859-6", "cp1254",
]  # fmt: skip


def starting_pages(extra: list[Path]) -> list[str]:
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    paths += [path for _, path, _ in golden_inputs()]
    for folder in extra:
        paths += sorted(folder.glob("*.txt")) + sorted(folder.glob("*.html"))
    pages = {}
    for path in paths:
        raw = path.read_bytes()
        for codec in ("utf-8", "windows-1256"):
            try:
                pages[str(path)] = raw.decode(codec)
                break
            except UnicodeDecodeError:
                continue
    return list(pages.values())


def mutate(rng: random.Random, page: str, pages: list[str]) -> Input:
    lines = page.splitlines(keepends=True) or [page]
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(10)
        i = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [rng.choice(LINES) + "\n"]
        elif op == 0 and len(lines) > 1:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i] * rng.choice([1, 1, 2, 50]))
        elif op == 2:
            rng.shuffle(lines)
        elif op == 3:
            other = rng.choice(pages).splitlines(keepends=True)
            j = rng.randrange(len(other) + 1)
            lines[i:i] = other[j : j + rng.randint(1, 20)]
        elif op == 4:
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + rng.choice(INSERTS) * rng.choice([1, 1, 3]) + lines[i][at:]
        elif op == 5:
            lines.insert(i, rng.choice(LINES) + rng.choice(["\n", "\r\n", "\r", ""]))
        elif op == 6:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif op == 7:
            lines = lines[i:] + lines[:i]
        elif op == 8:
            lines[i] = re.sub(r"\s+", lambda _: rng.choice([" ", "  ", "\u00a0", "\t"]), lines[i])
        else:
            lines = [line.upper() if rng.random() < 0.1 else line for line in lines]
    text = "".join(lines)
    if rng.random() < 0.5:
        return text
    data = text.encode(rng.choice(ENCODINGS), "replace")
    if rng.random() < 0.3:
        data = data[: rng.randrange(len(data) + 1)]
    if rng.random() < 0.05:
        at = rng.randrange(len(data) + 1)
        data = data[:at] + bytes([rng.randrange(256)]) + data[at:]
    return data


def signature(found: list[str]) -> str:
    """What kind of failure, without the input-specific details."""
    first = found[0]
    where = re.search(r"\(at ([\w.]+:\d+)\)", first)
    head = first.split(":", 2)[:2]
    return f"{':'.join(head)} @ {where.group(1)}" if where else re.sub(r"\[.*", "", first)[:80]


def _ddmin(units: list[T], fails: Callable[[list[T]], bool], deadline: float) -> list[T]:
    """Delta debugging: a smaller list of units that still fails."""
    n = 2
    while len(units) >= 2 and time.monotonic() < deadline:
        chunk = max(1, len(units) // n)
        for start in range(0, len(units), chunk):
            candidate = units[:start] + units[start + chunk :]
            if candidate and fails(candidate):
                units, n = candidate, max(n - 1, 2)
                break
        else:
            if chunk == 1:
                break
            n = min(len(units), n * 2)
    return units


def shrink(data: Input, still_fails: Callable[[Input], bool], budget: float) -> Input:
    """Lines, then characters (or bytes), within ``budget`` seconds."""
    deadline = time.monotonic() + budget
    if isinstance(data, str):
        lines = _ddmin(data.splitlines(keepends=True), lambda u: still_fails("".join(u)), deadline)
        chars = _ddmin(list("".join(lines)), lambda u: still_fails("".join(u)), deadline)
        return "".join(chars)
    raw = data

    def fails_bytes(units: list[bytes]) -> bool:
        return still_fails(b"".join(units))

    rows: list[bytes] = _ddmin(raw.splitlines(keepends=True), fails_bytes, deadline)
    joined = b"".join(rows)
    single: list[bytes] = _ddmin(
        [joined[i : i + 1] for i in range(len(joined))], fails_bytes, deadline
    )
    return b"".join(single)


def _fails_as(kind: str) -> Callable[[Input], bool]:
    def fails(data: Input) -> bool:
        found = problems(data)
        return bool(found) and signature(found) == kind

    return fails


def known_signatures() -> set[str]:
    known = set()
    for meta in CASES.glob("*.json"):
        raw = meta.with_suffix(".input").read_bytes()
        import json

        as_str = json.loads(meta.read_text(encoding="utf-8"))["pass_as"] == "str"
        found = problems(raw.decode("utf-8", "surrogatepass") if as_str else raw)
        if found:
            known.add(signature(found))
    return known


def main() -> int:
    parser = argparse.ArgumentParser(description="Mutational fuzzing of socpress's loaders.")
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pages", type=Path, action="append", default=[])
    parser.add_argument("--no-save", action="store_true", help="report failures, write nothing")
    args = parser.parse_args()
    shared = Path("/work/shared/realpages")
    folders = args.pages or ([shared] if shared.is_dir() else [])
    pages = starting_pages(folders)
    rng = random.Random(args.seed)
    known = known_signatures()
    print(f"{len(pages)} starting pages, {len(known)} known failure kinds", flush=True)
    start = time.monotonic()
    deadline = start + args.minutes * 60
    tried = failures = saved = 0
    kinds: dict[str, int] = {}
    while time.monotonic() < deadline:
        data = mutate(rng, rng.choice(pages), pages)
        tried += 1
        found = problems(data)
        if not found:
            continue
        failures += 1
        kind = signature(found)
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind in known:
            continue
        known.add(kind)
        small = shrink(data, _fails_as(kind), 60)
        print(
            f"NEW {kind}\n    {problems(small)[0][:300]}\n    input: {small!r}"[:1500], flush=True
        )
        if not args.no_save:
            path = save_case(
                small,
                name=f"fuzz-{args.seed}-{tried}",
                why=f"fuzz_pages.py found: {problems(small)[0][:300]}",
                found_by=f"fuzz/fuzz_pages.py --seed {args.seed}, input #{tried}",
            )
            saved += 1
            print(f"    saved {path.relative_to(ROOT)}", flush=True)
    seconds = time.monotonic() - start
    print(
        f"tried {tried} inputs in {seconds:.0f} s ({tried / seconds:.0f}/s); "
        f"{failures} failing inputs of {len(kinds)} kinds; {saved} new cases saved",
        flush=True,
    )
    for kind, count in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {count:6d}  {kind}")
    return 1 if saved else 0


if __name__ == "__main__":
    sys.exit(main())
