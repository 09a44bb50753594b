"""``jobland why USER:POSTING_ID``: the trail behind one recommendation, from the warehouse."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

__all__ = ["add_parser", "cmd_why"]


def add_parser(sub: Any) -> None:
    """Register ``why`` on ``sub`` (the ``jobland`` subparsers)."""
    p = sub.add_parser(
        "why",
        help="why this job: posting sources, CV hash and profile version, engine/model/prompt versions, "
        "score parts, deal-breaker checks",
    )
    p.add_argument("application_id", help="'USER:POSTING_ID' (as `jobland review list` shows it)")
    p.set_defaults(func=cmd_why)


def cmd_why(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Print the trail; exit 1 when the warehouse has no screening of that posting for that user."""
    from jobland_pipeline.trail import TrailError, build_trail, parse_application_id, render_trail
    from jobland_pipeline.warehouse import Warehouse
    from resources import SETTINGS
    from resources.settings import resolve

    out = out or sys.stdout
    try:
        user_id, posting_id = parse_application_id(args.application_id)
    except ValueError as exc:
        print(f"jobland: {exc}", file=sys.stderr)
        return 2
    values = resolve(os.environ, SETTINGS)
    store = Warehouse(Path(values["JOBLAND_WAREHOUSE_DIR"]), Path(values["JOBLAND_DUCKDB_PATH"]))
    try:
        trail = build_trail(store, user_id, posting_id)
    except TrailError as exc:
        print(f"jobland: {exc}", file=sys.stderr)
        return 1
    print(render_trail(trail), file=out)
    return 0
