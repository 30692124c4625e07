"""``socpress FILE...`` / ``python -m socpress FILE...``: one JSON article per line.

A file that fails is named on stderr with the reason; the others are still written, and
the exit status is 1 if any file failed (2 for a usage error).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from socpress._api import load_articles
from socpress._version import VERSION
from socpress.errors import SocpressError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="socpress",
        description="Read captured pages of the Syrian Opposition Coalition's statements "
        "and print one JSON article per line.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--url", help="where the page was captured from (one FILE only)")
    parser.add_argument("--version", action="version", version=f"socpress {VERSION}")
    args = parser.parse_args(argv)
    if args.url is not None and len(args.files) != 1:
        parser.error("--url applies to a single FILE")
    failed = 0
    for path in args.files:
        try:
            articles = load_articles(path, url=args.url)
        except SocpressError as err:
            failed += 1
            print(f"socpress: {path}: {type(err).__name__}: {err}", file=sys.stderr)
            continue
        except Exception as err:  # one bad page must not stop a batch
            failed += 1
            print(
                f"socpress: {path}: internal error (a socpress bug, please report it): "
                f"{type(err).__name__}: {err}",
                file=sys.stderr,
            )
            continue
        for article in articles:
            sys.stdout.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
