"""langdetect-rs gives langdetect's answers, bit for bit (issue 12).

socpress detects with langdetect-rs where it is installed and with langdetect, the reference,
elsewhere (``socpress._extract.language.IMPLEMENTATIONS``). Same bytes must give the same Article on
either, so this pins, on every text we hold (the language sample set, and the article text
of every seed, fixture, golden input and real page, read without its URL so that detection
runs): the same probabilities to the last bit, the same ``detect_language`` answers, and the
same serialized articles.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import socpress
from socpress._extract import language as _language
from socpress._extract.language import SAMPLE_CHARS, _sample, detect_language
from socpress.errors import SocpressError
from tests.test_language_samples import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
REALPAGES = ROOT.parent / "shared" / "realpages"

pytestmark = pytest.mark.skipif(
    not _language._importable("langdetect_rs"), reason="langdetect-rs is not installed"
)


def _inputs() -> list[tuple[Path, str | None]]:
    paths = [*sorted((ROOT / "seeds").glob("*.txt"))]
    paths += sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.is_file())
    for case in sorted((ROOT / "tests" / "golden").glob("*/case.json")):
        paths.append((case.parent / json.loads(case.read_text("utf-8"))["input"]).resolve())
    inputs: list[tuple[Path, str | None]] = [(p, None) for p in dict.fromkeys(paths)]
    for page in sorted(REALPAGES.glob("*.txt")):
        gold = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        inputs += [(page, None), (page, gold.get("url"))]
    return inputs


INPUTS = _inputs()


@contextmanager
def implementation(name: str) -> Iterator[None]:
    before = _language.use_implementation(name)
    try:
        yield
    finally:
        _language.use_implementation(before)


def _articles(path: Path, url: str | None) -> list[dict[str, object]] | str:
    try:
        return [a.to_dict() for a in socpress.load_articles(path, url=url)]
    except SocpressError as err:
        return f"{type(err).__name__}: {err}"


def _texts() -> list[str]:
    """Every sample, and the title and body of every article we can read."""
    texts = [text for _, text in SAMPLES]
    with implementation("langdetect"):
        for path, _ in INPUTS:
            try:
                articles = socpress.load_articles(path)
            except SocpressError:
                continue
            texts += ["\n".join([a.title or "", *a.paragraphs]) for a in articles]
    return list(dict.fromkeys(t for t in texts if t.strip()))


def _probabilities(name: str, sample: str) -> list[tuple[str, float]] | str:
    detector = _language._get_detector(name)
    langdetect = detector.factory.create()
    langdetect.seed = _language._SEED
    langdetect.n_trial = _language._N_TRIAL
    langdetect.set_max_text_length(SAMPLE_CHARS)
    langdetect.append(sample)
    try:
        return [(str(p.lang), float(p.prob)) for p in langdetect.get_probabilities()]
    except detector.no_features as err:
        return f"no features: {err}"


def test_same_probabilities_bit_for_bit() -> None:
    texts = _texts()
    assert len(texts) > 550
    differ = [
        text[:80]
        for text in texts
        for sample in [_sample(text)]
        if _probabilities("langdetect", sample) != _probabilities("langdetect_rs", sample)
    ]
    assert differ == []


def test_same_answers() -> None:
    texts = _texts()
    with implementation("langdetect"):
        reference = [detect_language(t) for t in texts]
    with implementation("langdetect_rs"):
        fast = [detect_language(t) for t in texts]
    assert [(t[:80], r, f) for t, r, f in zip(texts, reference, fast, strict=True) if r != f] == []


def test_same_articles() -> None:
    with implementation("langdetect"):
        reference = [_articles(path, url) for path, url in INPUTS]
    with implementation("langdetect_rs"):
        fast = [_articles(path, url) for path, url in INPUTS]
    differ = [str(path) for (path, _), r, f in zip(INPUTS, reference, fast, strict=True) if r != f]
    assert differ == []


def test_langdetect_rs_is_preferred_and_langdetect_is_the_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_language, "_chosen", [])
    assert _language.implementation() == "langdetect_rs"
    monkeypatch.setattr(_language, "_chosen", [])
    monkeypatch.setitem(sys.modules, "langdetect_rs", None)  # not installed
    assert _language.implementation() == "langdetect"
    assert detect_language("The coalition condemned the shelling of Idlib.").code == "en"


def test_unknown_implementation_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown implementation 'cld3'"):
        _language.use_implementation("cld3")
