from __future__ import annotations

from typing import Any

import pytest

from socpress import corpus


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*/expected.json from the current code (read the diff!)",
    )


@pytest.fixture(autouse=True)
def _records_match_their_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every corpus record the suite serializes in this process is checked against the
    shipped JSON Schema (records made in worker processes are checked by the tests that
    read their lines, with tests._records.check_lines)."""
    from tests._records import check

    real = corpus.Record.to_dict

    def checked(self: corpus.Record) -> dict[str, Any]:
        return check(real(self))

    monkeypatch.setattr(corpus.Record, "to_dict", checked)
