"""A ``str`` that is a path or a URL, not a page, is refused (issue 12).

The rule is ``socpress._read.source.path_str_kind`` (documented in ``docs/errors.md``, "A str that
is a path"). Its other half matters as much: no page text is ever refused by it. That is held
against every seed, real page text, fixture and golden input, whole and line by line (each line
as if it were a one-line page), and by hypothesis properties.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socpress
from socpress._read.source import PAGE_FILE_EXTENSIONS, path_str_kind
from socpress.errors import InputError, SocpressError

ROOT = Path(__file__).resolve().parents[1]
REALPAGES = ROOT.parent / "shared" / "realpages"


def _page_files() -> list[Path]:
    files = [*sorted((ROOT / "seeds").glob("*.txt")), *sorted(REALPAGES.glob("*.txt"))]
    files += sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.is_file())
    for case in sorted((ROOT / "tests" / "golden").glob("*/case.json")):
        files.append((case.parent / json.loads(case.read_text("utf-8"))["input"]).resolve())
    return files


PAGE_FILES = _page_files()
TEXT_PAGES = [p for p in PAGE_FILES if p.suffix == ".txt"]


@pytest.fixture(autouse=True)
def _in_empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative names resolve in an empty directory, so only the shape of a str decides,
    unless a test makes a file."""
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "pages/missing-file.txt",
        "missing-file.txt",
        "capture.warc.gz",
        "PAGE.HTML",
        "./page.html",
        "../shared/realpages/003.txt",
        "~/pages/003",
        "/data/pages/003",
        "C:\\pages\\003.txt",
        "\\\\server\\share\\page.htm",
        "/data/My Pages/page 1.html",
        "  pages/missing-file.txt\n",
    ],
)
def test_path_shaped_str_is_refused(text: str) -> None:
    path = text.strip()
    expected = f"<string>: the str {path!r} is shaped like a path, not a page; pass pathlib.Path"
    with pytest.raises(InputError) as caught:
        socpress.load_article(text)
    assert str(caught.value).startswith(expected)
    assert str(caught.value).endswith("to read the file, or the page's text itself")
    assert caught.value.source == "<string>"
    with pytest.raises(InputError, match="shaped like a path"):
        socpress.load_articles(text)
    with pytest.raises(InputError, match="shaped like a path"):
        socpress.strip_chrome(text)


@pytest.mark.parametrize("text", ["https://en.etilaf.org/post/1", "file:///tmp/x.html"])
def test_url_str_is_refused(text: str) -> None:
    with pytest.raises(InputError, match=r"is a URL, not a page \(socpress does not download\)"):
        socpress.load_article(text)


def test_str_naming_an_existing_file_or_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Statement").write_text("Title of it\nThe body of it.\n", encoding="utf-8")
    (tmp_path / "pages").mkdir()
    with pytest.raises(InputError, match=r"'Statement' names an existing file; pass pathlib"):
        socpress.load_article("Statement")
    with pytest.raises(InputError, match=r"'pages' names an existing directory, not a page"):
        socpress.load_article("pages")
    assert socpress.load_article(Path("Statement")).title == "Title of it"


@pytest.mark.parametrize(
    "text",
    [
        "Title of a statement",
        "SOC: Syria/Turkey border talks resume",
        "Read the report at docs/report.pdf",
        "U.S.",
        "etilaf.org",
        "Version 3.5",
        "<p>pages/a.txt</p>",
        "قال الائتلاف الوطني السوري إن النظام مسؤول",
        "pages/missing-file.txt\nThe body of the page.",
    ],
)
def test_page_text_is_not_taken_for_a_path(text: str) -> None:
    assert path_str_kind(text) is None


@pytest.mark.parametrize("page", PAGE_FILES, ids=[p.name for p in PAGE_FILES])
def test_no_page_text_is_refused(page: Path) -> None:
    text = page.read_bytes().decode("utf-8", errors="replace")
    assert path_str_kind(text) is None


def test_no_line_of_a_text_page_is_taken_for_a_path() -> None:
    """Each line of every text page, read as a one-line page, is never a path: titles,
    date lines, menus, share bars, source lines in four languages."""
    assert len(TEXT_PAGES) >= 19
    lines = 0
    for page in TEXT_PAGES:
        for line in page.read_text(encoding="utf-8").splitlines():
            lines += 1
            assert path_str_kind(line) is None, (page.name, line)
    assert lines > 500


_SEGMENT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")).filter(
        lambda c: c not in "/\\<>" and not c.isspace()
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_SEGMENT, min_size=2, max_size=5), st.sampled_from(["/", "\\"]))
def test_any_one_word_with_a_separator_is_a_path(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    assert path_str_kind(text) in {"path", "url", "file", "directory"}


@settings(max_examples=200, deadline=None)
@given(_SEGMENT, st.sampled_from(sorted(PAGE_FILE_EXTENSIONS)))
def test_any_file_name_with_a_page_extension_is_a_path(stem: str, extension: str) -> None:
    if stem.endswith("."):
        stem += "x"
    assert path_str_kind(f"{stem}.{extension}") in {"path", "url"}


@settings(max_examples=300, deadline=None)
@given(st.lists(_SEGMENT, min_size=2, max_size=12))
def test_words_separated_by_spaces_are_never_a_path(words: list[str]) -> None:
    """Text of two or more words that does not start like a path (``/``, ``./``, ``~/``,
    ``C:\\``, ``\\\\``) is never refused, whatever its words and its ending."""
    text = " ".join(words)
    if os.path.exists(text.strip()):  # pragma: no cover - the directory is empty
        return
    first = words[0]
    if first.startswith(("/", "~", ".", "\\")) or (len(first) > 1 and first[1] == ":"):
        return
    assert path_str_kind(text) is None


_PATH_REFUSALS = re.compile(r"to read the file|is a URL, not a page|names an existing directory")
"""The words of every path-shaped-str refusal (``docs/errors.md``, "A str that is a path")."""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=2, max_size=8))
def test_two_or_more_non_blank_lines_are_never_refused_as_a_path(lines: list[str]) -> None:
    text = "\n".join(lines)
    if sum(bool(line.strip()) for line in lines) < 2:
        return
    refusal = ""
    try:
        socpress.strip_chrome(text)
    except SocpressError as err:  # refused for another reason, never a path
        refusal = str(err)
    assert not _PATH_REFUSALS.search(refusal), refusal
