"""Record size: bytes of a JSON Lines record, full and lean, against its article's body.

For every page it reads, the script writes the record as ``socpress -o out.jsonl`` would
(``Record.to_dict`` in compact JSON, UTF-8) once in full and once lean, and sets both beside
the bytes of the article's own words (its title and paragraphs, UTF-8), the yardstick the
lean record is measured against. It then says where a lean record's bytes go (the article's
fields, its field evidence, its removed-chrome entries, the rest), and which rules the
removed entries name most.

Corpus: ``../shared/webpages/*.html`` (read in place, never copied into the repository) and,
with ``--realpages``, the hand-read texts of ``../shared/realpages``.

    python benchmarks/record_size.py
    python benchmarks/record_size.py --realpages --json

It exits 2 when no page is found.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Any

from _machine import machine
from socpress import corpus

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _bytes(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _body(article: dict[str, Any]) -> int:
    words = [article.get("title") or "", *article["paragraphs"]]
    return sum(len(w.encode()) for w in words)


def measure(paths: list[Path]) -> dict[str, Any]:
    totals: collections.Counter[str] = collections.Counter()
    rules: collections.Counter[str] = collections.Counter()
    ratios: list[float] = []
    for path in paths:
        item = corpus.Item(source=str(path), path=str(path))
        pairs = zip(corpus.read_item(item), corpus.read_item(item, lean=True), strict=True)
        for full, lean in pairs:
            if full.article is None:
                totals["not-ok"] += 1
                continue
            _count(full.to_dict(), lean.to_dict(), totals, rules, ratios)
    return _report(totals, rules, ratios)


def _count(
    full_d: dict[str, Any],
    lean_d: dict[str, Any],
    totals: collections.Counter[str],
    rules: collections.Counter[str],
    ratios: list[float],
) -> None:
    article = lean_d["article"]
    provenance = article["provenance"]
    body = _body(article)
    totals["records"] += 1
    totals["full"] += _bytes(full_d)
    totals["lean"] += _bytes(lean_d)
    totals["body"] += body
    totals["lean.evidence"] += _bytes(provenance["fields"])
    totals["lean.removed"] += _bytes(provenance["removed"])
    totals["lean.article-fields"] += _bytes({k: v for k, v in article.items() if k != "provenance"})
    for removal in provenance["removed"]:
        rules[removal["rule"]] += _bytes(removal)
    if body:
        ratios.append(_bytes(lean_d) / body)


def _report(
    totals: collections.Counter[str], rules: collections.Counter[str], ratios: list[float]
) -> dict[str, Any]:
    pages = totals["records"]
    if not pages:
        return {"pages": 0}
    ratios.sort()
    return {
        "pages": pages,
        "not_ok": totals["not-ok"],
        "per_record_bytes": {
            key: round(totals[key] / pages)
            for key in (
                "full",
                "lean",
                "body",
                "lean.article-fields",
                "lean.evidence",
                "lean.removed",
            )
        },
        "lean_over_full": round(totals["lean"] / totals["full"], 3),
        "lean_over_body": round(totals["lean"] / max(totals["body"], 1), 2),
        "lean_over_body_median": round(ratios[len(ratios) // 2], 2) if ratios else None,
        "removed_bytes_by_rule": dict(rules.most_common(8)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webpages", type=Path, default=SHARED / "webpages")
    parser.add_argument("--realpages", action="store_true", help="also the hand-read texts")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    sets = {"webpages": sorted(args.webpages.glob("*.html"))}
    if args.realpages:
        sets["realpages"] = sorted((SHARED / "realpages").glob("*.txt"))
    if not any(sets.values()):
        print(f"record_size: no page found under {args.webpages}", file=sys.stderr)
        return 2
    measured = {name: measure(paths) for name, paths in sets.items()}
    if args.json:
        print(json.dumps({"machine": machine(), **measured}, indent=2))
        return 0
    print(f"machine: {machine()}")
    for name, figures in measured.items():
        print(f"\n{name}: {figures['pages']} records (and {figures.get('not_ok', 0)} not ok)")
        for key, value in figures.get("per_record_bytes", {}).items():
            print(f"  {key:<22} {value:>9,} bytes a record")
        print(f"  lean / full            {figures.get('lean_over_full')}")
        print(f"  lean / body            {figures.get('lean_over_body')} (all bytes)")
        print(f"  lean / body, median    {figures.get('lean_over_body_median')} (per record)")
        print("  removed entries' bytes by rule:")
        for rule, size in figures.get("removed_bytes_by_rule", {}).items():
            print(f"    {rule:<28} {size:>11,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
