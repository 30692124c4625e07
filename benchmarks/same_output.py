"""Same output check: every page's ``load_articles(bytes)`` as ``to_dict()``, for two checkouts.

A speed change must not change what socpress reads. This script writes, for every page of
the corpus, the list of ``Article.to_dict()`` that ``socpress.load_articles(page_bytes)``
returns (or the error's type and message), as one JSON object keyed by the page's path; with
``--against DIR`` it runs the same in a child process on another checkout (``DIR/src``) and
reports every page whose output differs, field by field. Exits 1 when any page differs.

Corpus: ``tests/fixtures/html``, ``tests/fixtures/text``, ``../shared/webpages``,
``../shared/seeds`` and ``../shared/realpages`` (``*.txt``), read in place.

    python benchmarks/same_output.py --against /tmp/main
    python benchmarks/same_output.py --dump out.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def corpus() -> list[Path]:
    """The pages, in a fixed order."""
    dirs = [
        (ROOT / "tests" / "fixtures" / "html", "*"),
        (ROOT / "tests" / "fixtures" / "text", "*"),
        (SHARED / "webpages", "*.html"),
        (SHARED / "seeds", "*.txt"),
        (SHARED / "realpages", "*.txt"),
    ]
    return [p for d, pattern in dirs for p in sorted(d.glob(pattern)) if p.is_file()]


def dump(paths: list[Path]) -> dict[str, Any]:
    """``to_dict()`` of every article of every page (or the error), keyed by path."""
    import socpress
    from socpress.errors import SocpressError

    out: dict[str, Any] = {"socpress": socpress.__file__}
    for path in paths:
        key = f"{path.parent.name}/{path.name}"
        try:
            out[key] = [a.to_dict() for a in socpress.load_articles(path.read_bytes())]
        except SocpressError as exc:
            out[key] = {"error": type(exc).__name__, "message": str(exc)}
    return out


def _differences(mine: Any, theirs: Any, where: str) -> list[str]:
    if type(mine) is not type(theirs):
        return [f"{where}: {theirs!r} -> {mine!r}"[:300]]
    if isinstance(mine, dict):
        keys = sorted(set(mine) | set(theirs))
        return [d for k in keys for d in _differences(mine.get(k), theirs.get(k), f"{where}.{k}")]
    if isinstance(mine, list) and len(mine) == len(theirs):
        return [
            d
            for i, (m, t) in enumerate(zip(mine, theirs, strict=True))
            for d in _differences(m, t, f"{where}[{i}]")
        ]
    if mine != theirs:
        return [f"{where}: {theirs!r} -> {mine!r}"[:300]]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--dump", type=Path, help="write this checkout's output here")
    args = parser.parse_args()
    paths = corpus()
    if args.dump is not None and args.against is None:
        args.dump.write_text(json.dumps(dump(paths), sort_keys=True), encoding="utf-8")
        return 0
    if args.against is None:
        parser.error("give --against DIR or --dump FILE")
    src = args.against / "src" if (args.against / "src").is_dir() else args.against
    env = {**os.environ, "PYTHONPATH": str(src)}
    child = subprocess.run(
        [sys.executable, __file__, "--dump", "/dev/stdout"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    theirs = json.loads(child.stdout)
    mine = dump(paths)
    print(f"this: {mine.pop('socpress')}\nagainst: {theirs.pop('socpress')}")
    differing = 0
    for key in mine:
        found = _differences(mine[key], theirs.get(key), key)
        if found:
            differing += 1
            print("\n".join(found[:5]))
    print(f"{len(mine)} pages, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
