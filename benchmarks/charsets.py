"""Choosing a legacy code page for undeclared, non-UTF-8 bytes: socpress's hand-written rule
(``_decoding.legacy_codec``) against charset-normalizer, side by side in one run.

Samples: every real page text of ``../shared/realpages`` encoded in the code page its
language is written in (Arabic windows-1256, Turkish and Kurdish Kurmanji windows-1254,
English and the rest windows-1252; pages that do not fit the code page are left out), the
test fixtures (Arabic, Russian in windows-1251, Turkish, German, French), and the real
legacy pages of ``../shared/webpages`` (what their ``<meta charset>`` says, which neither
side is shown). A choice is right when it decodes the bytes to the original text.

    .venv/bin/python benchmarks/charsets.py   # charset-normalizer: pip install -e ".[bench]"

Prints accuracy and time per sample for each side, and the samples either gets wrong.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_damage import ARABIC, FRENCH, GERMAN, RUSSIAN, TURKISH  # noqa: E402

from socpress._read.decoding import legacy_codec  # noqa: E402

SHARED = ROOT.parent / "shared"
CODE_PAGE = {"ar": "cp1256", "tr": "cp1254", "ku": "cp1254", "ru": "cp1251"}
_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_CANDIDATES = ["cp1252", "cp1256", "cp1251", "cp1254"]


def samples() -> list[tuple[str, bytes, str]]:
    """``(name, bytes, the text they encode)``."""
    found: list[tuple[str, bytes, str]] = []
    for name, text, codec in (
        ("fixture-arabic", ARABIC, "cp1256"),
        ("fixture-russian", RUSSIAN, "cp1251"),
        ("fixture-turkish", TURKISH, "cp1254"),
        ("fixture-german", GERMAN, "cp1252"),
        ("fixture-french", FRENCH, "cp1252"),
    ):
        found.append((name, text.encode(codec), text))
    for gold in sorted((SHARED / "realpages").glob("*.json")):
        page = gold.with_suffix(".txt")
        if not page.is_file():
            continue
        language = json.loads(gold.read_text(encoding="utf-8")).get("language") or "en"
        text = page.read_text(encoding="utf-8")
        try:
            raw = text.encode(CODE_PAGE.get(language, "cp1252"))
        except UnicodeEncodeError:
            continue
        if not raw.isascii():
            found.append((f"realpages/{page.name} ({language})", raw, text))
    for page in sorted((SHARED / "webpages").glob("*.html")):
        raw = page.read_bytes()
        declared = _META.search(raw[:4096])
        if declared is None or declared.group(1).lower() in (b"utf-8", b"utf8"):
            continue
        label = declared.group(1).decode().lower()
        codec = "cp1252" if label in ("iso-8859-1", "latin-1", "windows-1252") else label
        try:
            found.append((f"webpages/{page.name[:40]} ({label})", raw, raw.decode(codec)))
        except (LookupError, UnicodeDecodeError):
            continue
    return found


def _normalizer(raw: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=_CANDIDATES, preemptive_behaviour=False).best()
    return "cp1252" if best is None else best.encoding


def _right(codec: str, raw: bytes, text: str) -> bool:
    try:
        return raw.decode(codec) == text
    except (LookupError, UnicodeDecodeError):
        return False


def main() -> int:
    try:
        import charset_normalizer
    except ImportError:
        print("charset-normalizer is not installed: pip install charset-normalizer")
        return 1
    found = samples()
    if not found:
        return 1
    sides: dict[str, Callable[[bytes], str]] = {
        "socpress legacy_codec": legacy_codec,
        f"charset-normalizer {charset_normalizer.__version__}": _normalizer,
    }
    print(f"# {len(found)} samples")
    print("| chooser | right | wrong | ms per sample |")
    print("|---|---:|---:|---:|")
    wrong_by: dict[str, list[str]] = {}
    for side, choose in sides.items():
        start = time.perf_counter()
        wrong = [name for name, raw, text in found if not _right(choose(raw), raw, text)]
        ms = (time.perf_counter() - start) * 1000 / len(found)
        wrong_by[side] = wrong
        print(f"| {side} | {len(found) - len(wrong)} | {len(wrong)} | {ms:.2f} |")
    for side, wrong in wrong_by.items():
        for name in wrong:
            print(f"{side}: wrong on {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
