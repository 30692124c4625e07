"""The account invariant and determinism on every real page text in ../shared/realpages.

Field accuracy on the same pages is measured by benchmarks/accuracy.py (run by CI with a
floor); this test checks what must hold on every page whatever its fields.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import socpress
from tests._account import removed_inside_body, unaccounted

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"
PAGES = sorted(REALPAGES.glob("*.txt"))

pytestmark = pytest.mark.skipif(not PAGES, reason="../shared/realpages is not present")


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_account_holds(path: Path) -> None:
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    articles = socpress.load_articles(path, url=gold.get("url"))
    assert unaccounted(text, *articles) == []
    for article in articles:
        assert removed_inside_body(article) == []
    assert socpress.load_articles(path, url=gold.get("url")) == articles
    if gold["kind"] == "listing":
        with pytest.raises(socpress.errors.NotAnArticleError) as info:
            socpress.load_article(path, url=gold.get("url"))
        assert info.value.kind == "listing"
