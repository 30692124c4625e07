"""Bad input gets a clear, typed error that names the source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import socpress
from socpress.errors import InputError, NotAnArticleError

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_fdbfbd34f38a0d4c.txt"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        ("", "empty"),
        ("  \n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("\x00\x01\x02\x03\x04\x05\x06\x07\x08" * 10, "binary"),
        (b"\xef\xbb\xbf" + "قال الائتلاف الوطني السوري".encode("cp1256"), "utf-8"),
    ],
)
def test_unusable_input(source: str | bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        socpress.load_article(source)


def test_str_naming_a_file_is_refused() -> None:
    with pytest.raises(InputError, match=r"pass pathlib\.Path"):
        socpress.load_article(str(SEED))


def test_pathlike_is_read() -> None:
    by_path = socpress.load_article(SEED)
    assert by_path.provenance.source == os.fspath(SEED)
    by_text = socpress.load_article(SEED.read_text(encoding="utf-8"))
    assert by_text.provenance.source == "<string>"
    assert by_text.paragraphs == by_path.paragraphs
    assert by_text.provenance.sha256 == by_path.provenance.sha256


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError, match=r"nope\.txt"):
        socpress.load_article(missing)


def test_oversized(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a line of text\n" * 1000)
    with pytest.raises(InputError, match="over the limit"):
        socpress.load_article(big, max_bytes=1000)
    with pytest.raises(InputError, match="over the limit"):
        socpress.load_article(b"x" * 2000, max_bytes=1000)


def test_wrong_type() -> None:
    with pytest.raises(InputError, match=r"str, bytes, bytearray, memoryview or os\.PathLike"):
        socpress.load_article(12345)  # type: ignore[arg-type]


def test_only_chrome_is_not_an_article() -> None:
    with pytest.raises(NotAnArticleError) as info:
        socpress.load_article("No Result\nView All Result\n  • AR\n  • TR\n")
    assert info.value.kind == "empty"
    assert info.value.source == "<string>"


def test_error_names_url_as_source() -> None:
    with pytest.raises(InputError, match=r"^https://example\.org/x: input is empty"):
        socpress.load_article(b"", url="https://example.org/x")
