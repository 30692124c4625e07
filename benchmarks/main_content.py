"""Main content on other sites' pages: socpress beside trafilatura, resiliparse, readability.

The corpus is trafilatura's own evaluation set (``tests/eval/*.html`` and
``tests/evaldata.json`` of the public repository ``adbar/trafilatura``): about a thousand
pages of many sites, each with snippets that must be in the extracted text (``with``) and
snippets that must not (``without``). It is scored the corpus' own way
(``tests/eval_common.py`` there): each snippet is looked for, white space folded, in the
text an extractor returns; a ``with`` snippet found is a true positive, one missing a false
negative, a ``without`` snippet found a false positive. Precision, recall and F1 come from
the sums over all pages; a crash or a refusal counts as an empty text.

socpress's text is what a user reads as the page's content: the ``paragraphs`` of every
article ``load_articles`` returns (its title, date and release header are fields of their
own, as trafilatura's ``extract`` leaves out the title). Every page is run through every
contender in turn, page by page, so the machine's drift falls on all alike; pages per
CPU-second is the number of pages over the summed ``time.process_time`` of the calls.

    python benchmarks/main_content.py /tmp/trafeval          # the directory holding tests/
    python benchmarks/main_content.py /tmp/trafeval --only socpress --json

The corpus is never copied into this repository. trafilatura, resiliparse and
readability-lxml come with the ``bench`` extra; a competitor that is not installed is left
out with a printed note.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import socpress
from _machine import machine
from socpress.errors import SocpressError

Extractor = Callable[[bytes], str]
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def socpress_text(data: bytes) -> str:
    try:
        articles = socpress.load_articles(data)
    except SocpressError:  # a page of chrome only, a refused input: no text
        return ""
    return "\n".join(p for article in articles for p in article.paragraphs)


def _trafilatura() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(data: bytes) -> str:
        text = trafilatura.extract(
            data, include_comments=False, include_tables=True, include_formatting=False
        )
        return text or ""

    return run


def _resiliparse() -> Extractor | None:
    try:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding
        from resiliparse.parse.html import HTMLTree
    except ImportError:
        return None

    def run(data: bytes) -> str:
        tree = HTMLTree.parse(bytes_to_str(data, detect_encoding(data) or "utf-8"))
        return str(extract_plain_text(tree, main_content=True))

    return run


def _readability() -> Extractor | None:
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        return None

    def run(data: bytes) -> str:
        summary = Document(data.decode("utf-8", "replace")).summary()
        return str(lxml.html.fromstring(summary).text_content()) if summary.strip() else ""

    return run


COMPETITORS: dict[str, Callable[[], Extractor | None]] = {
    "trafilatura": _trafilatura,
    "resiliparse": _resiliparse,
    "readability-lxml": _readability,
}


def load_corpus(root: Path) -> list[tuple[str, bytes, list[str], list[str]]] | None:
    """``(url, html, with, without)`` for every annotated page whose file is present."""
    data_file, eval_dir = root / "tests" / "evaldata.json", root / "tests" / "eval"
    if not data_file.is_file() or not eval_dir.is_dir():
        return None
    annotations: dict[str, dict[str, Any]] = json.loads(data_file.read_text(encoding="utf-8"))
    pages = []
    for url in sorted(annotations):
        item = annotations[url]
        path = eval_dir / item["file"]
        if path.is_file():
            pages.append((url, path.read_bytes(), list(item["with"]), list(item["without"])))
    return pages


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.tn = 0
        self.cpu = 0.0
        self.errors = 0
        self.empty = 0

    def add(self, text: str, with_: list[str], without: list[str]) -> None:
        found = _norm(text)
        if not found:
            self.empty += 1
        tp = sum(1 for w in with_ if _norm(w) in found)
        fp = sum(1 for w in without if _norm(w) in found)
        self.tp += tp
        self.fn += len(with_) - tp
        self.fp += fp
        self.tn += len(without) - fp

    def figures(self, pages: int) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        denominator = 2 * self.tp + self.fp + self.fn
        return {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(2 * self.tp / denominator if denominator else 0.0, 3),
            "pages_per_cpu_second": round(pages / self.cpu, 1) if self.cpu else 0.0,
            "empty_texts": self.empty,
            "errors": self.errors,
        }


def run(
    pages: list[tuple[str, bytes, list[str], list[str]]], extractors: dict[str, Extractor]
) -> dict[str, dict[str, float]]:
    scores = {name: Score() for name in extractors}
    for _url, data, with_, without in pages:
        for name, extract in extractors.items():
            score = scores[name]
            t0 = time.process_time()
            try:
                text = extract(data)
            except Exception:  # a crash counts as a full miss, as the corpus' own scorer does
                text = ""
                score.errors += 1
            score.cpu += time.process_time() - t0
            score.add(text, with_, without)
    return {name: score.figures(len(pages)) for name, score in scores.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", type=Path, help="directory holding tests/eval, evaldata.json")
    parser.add_argument("--only", action="append", help="run only these contenders")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    pages = load_corpus(args.corpus)
    if not pages:
        print(
            f"main_content.py: no corpus at {args.corpus} (expected tests/eval/*.html and "
            "tests/evaldata.json of github.com/adbar/trafilatura); nothing measured",
            file=sys.stderr,
        )
        return 2
    extractors: dict[str, Extractor] = {"socpress": socpress_text}
    for name, make in COMPETITORS.items():
        extractor = make()
        if extractor is None:
            print(f"note: {name} is not installed (pip install -e '.[bench]'); left out")
        else:
            extractors[name] = extractor
    if args.only:
        extractors = {k: v for k, v in extractors.items() if k in args.only}
    figures = run(pages, extractors)
    if args.json:
        print(json.dumps({"pages": len(pages), "machine": machine(), "figures": figures}))
        return 0
    print(f"{len(pages)} pages; {machine()}")
    print(f"{'':18} {'P':>6} {'R':>6} {'F1':>6} {'pages/CPU-s':>12} {'empty':>6} {'errors':>6}")
    for name, f in figures.items():
        print(
            f"{name:18} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f} "
            f"{f['pages_per_cpu_second']:12.1f} {f['empty_texts']:6d} {f['errors']:6d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
