"""The same input gives byte-identical output in every process, whatever the hash seed.

Every golden input (text and HTML, articles and listings) and a few refused inputs are
loaded in separate interpreters with ``PYTHONHASHSEED`` 0, 1 and 12345; the serialized
articles (``json.dumps(sort_keys=True)``) and error messages must match byte for byte, and
match this process's own (randomly seeded) run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.regressions.oracle import golden_inputs, serialized

ROOT = Path(__file__).resolve().parents[1]
HASH_SEEDS = ("0", "1", "12345")

SCRIPT = """
import json, sys
from pathlib import Path
from tests.regressions.oracle import golden_inputs, serialized
out = {name: serialized(path, url) for name, path, url in golden_inputs()}
for name in sorted(Path(sys.argv[1]).iterdir()):
    out[name.name] = serialized(name, None)
sys.stdout.write(json.dumps(out, sort_keys=True, ensure_ascii=False))
"""

REFUSED = {
    "mojibake.txt": "Title\nThe coalitionâ€™s statement â€œsaidâ€ it.\n".encode(),
    "random.txt": bytes(range(256)) * 4,
    "png.html": b"\x89PNG\r\n\x1a\n\x00\x00",
    "only-chrome.txt": b"No Result\nView All Result\n",
}


def _in_process(extra: Path) -> dict[str, str]:
    out = {name: serialized(path, url) for name, path, url in golden_inputs()}
    for path in sorted(extra.iterdir()):
        out[path.name] = serialized(path, None)
    return out


def test_same_bytes_under_every_hash_seed(tmp_path: Path) -> None:
    for name, data in REFUSED.items():
        (tmp_path / name).write_bytes(data)
    procs = []
    for seed in HASH_SEEDS:
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", SCRIPT, str(tmp_path)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    outputs = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr.decode()
        outputs.append(stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    runs = json.loads(outputs[0])
    assert runs == _in_process(tmp_path)
    assert len(runs) == len(golden_inputs()) + len(REFUSED)
    assert sum('"error"' in value for value in runs.values()) >= len(REFUSED)
