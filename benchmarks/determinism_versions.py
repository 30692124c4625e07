"""Same bytes, same Article, across Python versions: serialize every seed and fixture under
each interpreter found (3.11, 3.12, 3.13) and compare the JSON byte for byte.

Each interpreter gets a throwaway virtual environment with socpress installed from this
checkout. Interpreters that are not on the machine are reported as skipped; with fewer than
two found nothing is compared, and the script exits 2.

    python benchmarks/determinism_versions.py
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = ("3.11", "3.12", "3.13")
DUMP = """
import json, sys
from pathlib import Path
import socpress
root = Path(sys.argv[1])
paths = sorted(root.glob("seeds/*.txt")) + sorted(root.glob("tests/fixtures/*/*"))
for path in paths:
    try:
        out = [a.to_dict() for a in socpress.load_articles(path)]
    except socpress.errors.SocpressError as err:
        out = {"error": type(err).__name__, "message": str(err)}
    for item in out if isinstance(out, list) else []:
        item["provenance"]["source"] = path.relative_to(root).as_posix()
    print(json.dumps([path.relative_to(root).as_posix(), out], ensure_ascii=False, sort_keys=True))
"""


def interpreter(version: str) -> str | None:
    # pyenv's shims refuse versions that are installed but not selected: use the binary.
    for candidate in sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}")):
        return str(candidate)
    return shutil.which(f"python{version}")


def run(version: str, workdir: Path) -> bytes | None:
    python = interpreter(version)
    if python is None:
        return None
    venv = workdir / f"venv{version}"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(ROOT)]
    subprocess.run(pip, check=True)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", DUMP, str(ROOT)],
        check=True,
        capture_output=True,
        env={"PYTHONHASHSEED": "random", "PATH": "/usr/bin:/bin"},
    )
    return done.stdout


def main() -> int:
    outputs: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for version in VERSIONS:
            out = run(version, Path(tmp))
            if out is None:
                print(f"python{version}: not on this machine, skipped")
                continue
            outputs[version] = out
            digest = hashlib.sha256(out).hexdigest()[:16]
            pages = out.count(b"\n")
            print(f"python{version}: {pages} pages, sha256 {digest}")
    if len(outputs) < 2:
        print(f"fewer than two of Python {', '.join(VERSIONS)} found: nothing compared")
        return 2
    distinct = set(outputs.values())
    if len(distinct) > 1:
        print("DIFFERENT output across versions")
        return 1
    print(f"identical across {', '.join(outputs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
