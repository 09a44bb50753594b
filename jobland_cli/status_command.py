"""``jobland status`` and ``jobland cancel``: per-user batch status from the Dagster instance.

``status`` prints one small table per user: each stage (intake, search, screening, research, packages,
digest) done / running / failed (first line of the reason) / queued / not run, from the runs the
instance recorded that day (their partition tags say which users they cover, their step stats and
event logs what happened) and the rows the warehouse holds for that user and day. The rules are in
``jobland_pipeline.batch``; the instance is read in ``assets.batch_runs``.

``cancel`` cancels a user's queued runs (``report_run_canceled``: the queue never starts them) and
asks the run launcher to terminate its running ones. A batch run shared with other users is left
alone unless ``--shared`` is given (cancelling it stops their work too).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from jobland_cli.search_command import iso_day

if TYPE_CHECKING:
    import dagster as dg

    from jobland_pipeline.warehouse import Warehouse

__all__ = ["add_parser", "cancel_user", "cmd_cancel", "cmd_status", "status_text"]


def add_parser(sub: Any) -> None:
    """Register ``status`` and ``cancel`` on ``sub`` (the ``jobland`` subparsers)."""
    p = sub.add_parser("status", help="each stage of each user's batch today: done, running, failed, queued")
    p.add_argument("--user", help="only this user")
    p.add_argument(
        "--day",
        type=iso_day,
        help="YYYY-MM-DD (default: today, UTC: the batch day of the schedules)",
    )
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("cancel", help="cancel a user's queued and running runs")
    p.add_argument("--user", required=True)
    p.add_argument(
        "--shared",
        action="store_true",
        help="also cancel batch runs that cover other users too (they stop for everyone)",
    )
    p.set_defaults(func=cmd_cancel)


def _instance() -> dg.DagsterInstance:
    import dagster as dg

    from jobland_cli.main import CliError

    home = Path(os.environ.get("DAGSTER_HOME") or "")
    if not (home / "dagster.yaml").is_file():
        raise CliError(f"no Dagster instance at {home} (run `make run` or `make ui` first)")
    return dg.DagsterInstance.get()


def _store() -> Warehouse:
    from jobland_cli.main import _warehouse

    store: Warehouse = _warehouse()
    return store


def status_text(
    instance: dg.DagsterInstance, store: Warehouse, day: date, users: Sequence[str] | None = None
) -> str:
    """The status tables of ``users`` (default: every user partition) on ``day``."""
    from assets.batch_runs import day_runs
    from assets.batch_status import CHUNK_USERS
    from jobland_pipeline.batch import UserRows, batch_status, counts_of, user_rows

    every = list(users) if users else sorted(instance.get_dynamic_partitions("users"))
    if not every:
        return f"no users yet ({day.isoformat()})\n"
    runs = day_runs(instance, day, every)
    lines: list[str] = []
    rows_of: dict[str, UserRows] = {}
    for i, user in enumerate(every):
        if user not in rows_of:  # each table read once per chunk of users, one chunk held at a time
            rows_of = user_rows(store, every[i : i + CHUNK_USERS], day)
        counts = counts_of(rows_of[user], day)
        lines.append(f"{user}  {day.isoformat()}")
        lines.append(f"  {'stage':<10} {'state':<9} {'rows':>5}  detail")
        for s in batch_status(user, day, runs, counts):
            rows = "" if s.count is None else str(s.count)
            detail = s.reason or (f"run {s.run_id[:8]}" if s.run_id else "")
            lines.append(f"  {s.stage:<10} {s.state:<9} {rows:>5}  {detail}".rstrip())
        lines.append("")
    return "\n".join(lines)


def cmd_status(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from jobland_cli.main import CliError
    from jobland_pipeline.keys import InvalidKeyError, validate_user_id

    if args.user:
        try:
            validate_user_id(args.user)
        except InvalidKeyError as exc:
            raise CliError(str(exc)) from exc
    with _instance() as instance:
        text = status_text(
            instance, _store(), args.day or datetime.now(UTC).date(), [args.user] if args.user else None
        )
    print(text, end="", file=out or sys.stdout)
    return 0


def cancel_user(instance: dg.DagsterInstance, user: str, *, shared: bool = False) -> list[tuple[str, str]]:
    """Cancel ``user``'s queued and running runs; returns (run id, what happened) per run found."""
    import dagster as dg

    from assets.batch_runs import active_runs_of
    from assets.partitions import run_users

    done: list[tuple[str, str]] = []
    for run in active_runs_of(instance, user):
        others = [u for u in run_users(run.tags, instance) if u != user]
        if others and not shared:
            done.append((run.run_id, f"left alone: shared with {len(others)} other user(s) (use --shared)"))
            continue
        if run.status in (dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED):
            instance.report_run_canceled(run, message=f"canceled by `jobland cancel --user {user}`")
            done.append((run.run_id, f"{run.job_name}: canceled (was {run.status.value.lower()})"))
        elif instance.run_launcher.terminate(run.run_id):
            done.append((run.run_id, f"{run.job_name}: termination requested (was running)"))
        else:
            done.append(
                (
                    run.run_id,
                    f"{run.job_name}: the run launcher could not terminate it (a run executed in "
                    "another process outside the launcher, e.g. `make run`)",
                )
            )
    return done


def cmd_cancel(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from jobland_cli.main import CliError
    from jobland_pipeline.keys import InvalidKeyError, validate_user_id

    try:
        validate_user_id(args.user)
    except InvalidKeyError as exc:
        raise CliError(str(exc)) from exc
    stream = out or sys.stdout
    with _instance() as instance:
        done = cancel_user(instance, args.user, shared=args.shared)
    if not done:
        print(f"{args.user}: no queued or running run", file=stream)
        return 0
    for run_id, what in done:
        print(f"{args.user}: run {run_id[:8]} {what}", file=stream)
    return 1 if any("could not" in w for _, w in done) else 0
