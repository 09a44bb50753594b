"""``jobland status`` and ``jobland cancel``: per-user batch status from the Dagster instance."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the command(s) on ``sub`` (the ``jobland`` subparsers); not built yet."""
    del sub


__all__ = ["add_parser", "argparse"]
