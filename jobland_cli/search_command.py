"""``jobland search``: full-text search over the postings found (DuckDB fts)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the command(s) on ``sub`` (the ``jobland`` subparsers); not built yet."""
    del sub


__all__ = ["add_parser", "argparse"]
