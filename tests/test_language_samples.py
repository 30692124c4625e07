"""The language sample set: detect_language's answers pinned, so a faster detector cannot
change them (issue 12).

``language_samples/expected.json`` holds the set and the answer (code and rule) of each
sample, recorded from langdetect, the reference; every installed implementation must give
it. The samples were built by :func:`build_samples`: windows (60, 120, 200 and 400
characters, cut at word boundaries, starting every ~40 characters) of texts written for
this set in English, Arabic, Turkish and Kurmanji (``language_samples/written.json``), and
every prose line of the seeds and text fixtures as they stood then (the set is kept as
recorded, so new fixtures do not change it). Rebuild with
``pytest tests/test_language_samples.py --regen-golden`` and read the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socpress._extract import language as _language
from socpress._extract.language import detect_language

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WRITTEN = HERE / "language_samples" / "written.json"
EXPECTED = HERE / "language_samples" / "expected.json"
WINDOWS = (60, 120, 200, 400)
STEP = 40
MIN_LINE_LETTERS = 40


def _windows(text: str) -> list[str]:
    out = []
    starts = sorted({text.find(" ", at) + 1 if at else 0 for at in range(0, len(text), STEP)})
    for start in starts:
        if start == 0 and text[:1] == " ":
            continue
        for size in WINDOWS:
            end = text.rfind(" ", start, start + size + 1) if start + size < len(text) else -1
            window = text[start : end if end > start else len(text)].strip()
            if window:
                out.append(window)
    return out


def build_samples() -> list[tuple[str, str]]:
    """(where it came from, text), deduplicated, in a fixed order."""
    out: dict[str, str] = {}
    written = json.loads(WRITTEN.read_text(encoding="utf-8"))
    for lang in ("en", "ar", "tr", "ku"):
        for i, text in enumerate(written[lang]):
            for window in _windows(text):
                out.setdefault(window, f"written/{lang}/{i}")
    pages = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
        (ROOT / "tests" / "fixtures" / "text").glob("*.txt")
    )
    for page in pages:
        for line in page.read_text(encoding="utf-8").splitlines():
            if sum(ch.isalpha() for ch in line) >= MIN_LINE_LETTERS:
                out.setdefault(line.strip(), f"{page.parent.name}/{page.name}")
    return [(where, text) for text, where in out.items()]


def _recorded() -> list[tuple[str, str]]:
    return [(s["from"], s["text"]) for s in json.loads(EXPECTED.read_text(encoding="utf-8"))]


SAMPLES = _recorded()


def _answers(samples: list[tuple[str, str]]) -> list[dict[str, str | None]]:
    return [
        {"from": where, "text": text, "code": guess.code, "rule": guess.rule}
        for where, text in samples
        for guess in [detect_language(text)]
    ]


def test_the_set_covers_four_languages() -> None:
    written = {where.split("/")[1] for where, _ in SAMPLES if where.startswith("written/")}
    assert written == {"en", "ar", "tr", "ku"}
    assert len(SAMPLES) >= 500


def test_every_window_of_the_written_texts_is_in_the_set() -> None:
    built = {text for where, text in build_samples() if where.startswith("written/")}
    assert built <= {text for _, text in SAMPLES}


@pytest.mark.parametrize("implementation", _language.IMPLEMENTATIONS)
def test_answers_are_pinned(implementation: str, request: pytest.FixtureRequest) -> None:
    if not _language._importable(implementation):
        pytest.skip(f"{implementation} is not installed")
    regen = request.config.getoption("--regen-golden") and implementation == "langdetect"
    before = _language.use_implementation(implementation)
    try:
        got = _answers(build_samples() if regen else SAMPLES)
    finally:
        _language.use_implementation(before)
    if regen:
        text = json.dumps(got, ensure_ascii=False, indent=0)
        EXPECTED.write_text(text + "\n", encoding="utf-8")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert len(got) == len(expected)
    assert [g for g, e in zip(got, expected, strict=True) if g != e] == []
