"""The installed version, read from the package metadata (never hard-coded twice)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("socpress")
except PackageNotFoundError:  # pragma: no cover - running from a source tree, uninstalled
    VERSION = "0+unknown"
