"""Loading has no side effects and gives the same answer from threads and processes.

No network (sockets raise during the loads), no files written (``open`` for writing raises),
no change to langdetect's module-level factory, the ``random`` module's state or the logging
configuration; a ``ThreadPoolExecutor(8)`` (starting from a cold language detector, so its
lazy construction races) and a ``ProcessPoolExecutor(2)`` give what a plain loop gives.
"""

from __future__ import annotations

import builtins
import importlib
import io
import logging
import multiprocessing
import random
import socket
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import socpress
from socpress._extract import language as _language
from tests.regressions.oracle import golden_inputs, serialized

CORPUS = golden_inputs()


def _load_all() -> list[str]:
    return [serialized(path, url) for _, path, url in CORPUS]


@pytest.fixture
def sealed(monkeypatch: pytest.MonkeyPatch) -> None:
    """No sockets, no file writes while the test body runs."""

    def no_network(*args: object, **kwargs: object) -> Any:
        raise AssertionError("socpress tried to use the network")

    real_open = builtins.open

    def read_only_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(flag in mode for flag in "wax+"):
            raise AssertionError(f"socpress tried to write {file!r}")
        return real_open(file, mode, *args, **kwargs)

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, no_network)
    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(io, "open", read_only_open)


def test_the_seal_holds(sealed: None, tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="network"):
        socket.socket()
    with pytest.raises(AssertionError, match="write"):
        (tmp_path / "x").write_text("x")
    with pytest.raises(AssertionError, match="write"):
        open(tmp_path / "y", "a")  # noqa: SIM115


def test_corpus_is_not_trivial() -> None:
    kinds = {name.split("-")[0] for name, _, _ in CORPUS}
    assert {"seed", "html", "text"} <= kinds
    assert len(CORPUS) >= 10


def test_no_network_and_no_writes(
    sealed: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    results = _load_all()
    assert all(r for r in results)
    for _, path, url in CORPUS:
        socpress.strip_chrome(path, url=url)
        socpress.strip_chrome(path.read_bytes(), url=url)
    assert list(tmp_path.iterdir()) == []


def _global_state() -> tuple[object, ...]:
    """What loading a page must leave as it found it: langdetect's global factory and
    seed, the random module, and logging's configuration."""
    factories = [
        importlib.import_module(f"{name}.detector_factory")
        for name in _language.IMPLEMENTATIONS
        if _language._importable(name)
    ]
    root = logging.getLogger()
    ours = logging.getLogger("socpress")
    return (
        [(module._factory, module.DetectorFactory.seed) for module in factories],
        random.getstate(),
        list(root.handlers),
        root.level,
        ours.handlers[:],
        ours.level,
        ours.propagate,
        logging.root.manager.disable,
    )


def test_no_global_state_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    # A cold private detector, so its construction happens inside this test too.
    monkeypatch.setattr(_language, "_detectors", {})
    before = _global_state()
    _load_all()
    assert _global_state() == before


def test_threads_give_what_a_loop_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _load_all()
    monkeypatch.setattr(_language, "_detectors", {})
    jobs = [(path, url) for _, path, url in CORPUS] * 3
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda job: serialized(*job), jobs))
    assert got == expected * 3


def test_processes_give_what_a_loop_gives() -> None:
    expected = _load_all()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        got = list(pool.map(serialized, [p for _, p, _ in CORPUS], [u for _, _, u in CORPUS]))
    assert got == expected
