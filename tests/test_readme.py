"""The README is for users of the package index page (issue 12): its first example runs
outside the checkout and prints what it says, its links work off the repository, and the
two set-up commands ``.ci/run`` relies on stay exactly as they are."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

SETUP_COMMANDS = (
    "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/socpress seeds/*.txt",
    'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest -q',
)


def first_example() -> tuple[str, str]:
    """The first ``python`` block and the ``text`` block after it (what it prints)."""
    match = re.search(r"```python\n(.*?)```.*?```text\n(.*?)```", README, re.DOTALL)
    assert match is not None, "README has no python example followed by its output"
    return match[1], match[2]


def test_first_example_runs_outside_the_checkout(tmp_path: Path) -> None:
    code, expected = first_example()
    assert len(code.strip().splitlines()) <= 7
    done = subprocess.run(
        [sys.executable, "-I", "-c", code],  # -I: no cwd or user site on sys.path
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected


def test_links_work_on_a_package_index_page() -> None:
    """No relative links (they break on an index page) and no absolute ones: the project has
    no public repository URL, and none is invented."""
    assert re.findall(r"\]\(([^)]*)\)", README) == []
    assert re.findall(r"<a\s|https?://", README) == []


def test_set_up_commands_are_kept_exact() -> None:
    for command in SETUP_COMMANDS:
        assert command in README.splitlines()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '.venv/bin/python -m pip install --quiet -e ".[test]"' in ci
    assert ".venv/bin/socpress seeds/*.txt" in ci


def test_licence_is_shipped() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert "License :: OSI Approved :: MIT License" in project["classifiers"]
