"""What the local runner checks before a pass and reads after each run, so that ``jobland run`` heals
its own state and reports every failure in one line.

Why here and not in the daemon: ``jobland run`` plays the daemon's part on one machine (sensor ticks,
schedules, in-process runs), so it also owns what the daemon's run monitoring would do for it — a run
its process left STARTED when it was killed — and the reconciliation of its cursor file with the
instance (the instance may be new or restored while the file says every user is known).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import yaml

from jobland_pipeline.delivery.records import EMAIL_DIGESTS, EmailDigestRow
from jobland_pipeline.inbox_cursor import InboxCursor
from jobland_pipeline.local_state import first_line, pid_gone, process_gone, process_token
from jobland_pipeline.warehouse import Warehouse

# The process running a run, as ``local_state.process_token`` names it; set on every run jobland runs.
PROCESS_TAG = "jobland/process"
IN_PROGRESS = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
_PID = re.compile(r"\(pid: (\d+)\)")


def own_tags() -> dict[str, str]:
    """Tags naming this process, so a later start can tell the run's process is gone."""
    return {PROCESS_TAG: process_token()}


def mark_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs left STARTING/STARTED/CANCELING by a process that no longer exists.

    A SIGKILLed ``jobland run`` cannot report its run's end; left as it is, the run counts against the
    queued run coordinator's ``max_concurrent_runs`` forever and the daemon launches nothing. Runs
    jobland started carry ``PROCESS_TAG`` (host, boot, pid, start time: a reused pid is not mistaken
    for the old process). Other runs are judged by the pids their engine events name, and only when
    the instance is local (SQLite: every run of it ran on this machine); the rest is left to Dagster's
    run monitoring. Returns one line per run marked.
    """
    marked = []
    local = "sqlite" in type(instance.run_storage).__name__.lower()
    for run in instance.get_runs(dg.RunsFilter(statuses=IN_PROGRESS)):
        why = _process_gone(instance, run, local=local)
        if why:
            instance.report_run_failed(run, message=f"marked failed by jobland at the next start: {why}")
            marked.append(f"{run.job_name} {run.run_id[:8]} ({run.status.value}): {why}")
    return marked


def _process_gone(instance: dg.DagsterInstance, run: dg.DagsterRun, *, local: bool) -> str | None:
    token = run.tags.get(PROCESS_TAG)
    if token:
        gone = process_gone(token)
        return f"its process ({token.split()[2]}) no longer exists" if gone else None
    if not local:
        return None
    events = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
    pids = sorted({int(m) for e in events for m in _PID.findall(e.message or "")})
    if pids and all(pid_gone(p) for p in pids):
        return f"its process ({', '.join(map(str, pids))}) no longer exists"
    return None


def reconcile_state(instance: dg.DagsterInstance, state: dict[str, Any]) -> list[str]:
    """Bring the cursor file in line with the instance; returns what was changed, one line each.

    The instance is the truth: a user the state knows but the ``users`` partition lacks (the Dagster
    home was deleted, replaced or restored) is dropped from the inbox cursor, so the CV sensor reads
    that user again, re-adds the partition and runs the intake — e-mails resume. The searches
    sensor's cursor then points into an event log that may not be this one: it starts over.
    """
    notes = []
    try:
        cursor = InboxCursor.decode(state.get("cv_inbox_sensor"))
    except Exception as exc:  # base64, zlib and json each raise their own error on a damaged cursor
        notes.append(f"the inbox cursor was damaged ({type(exc).__name__}); the inbox is read again")
        state.pop("cv_inbox_sensor", None)
        state.pop("search_partitions_sensor", None)
        return notes
    missing = cursor.users() - set(instance.get_dynamic_partitions("users"))
    if missing:
        names = sorted(missing)
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        notes.append(f"the Dagster instance does not know {shown}: read again from the inbox")
        state["cv_inbox_sensor"] = cursor.without_users(missing).encode()
        state.pop("search_partitions_sensor", None)
    return notes


@dataclass(frozen=True)
class Failure:
    """One line of the summary: who (user, search or partition range), which step, why (first line)."""

    job: str
    subject: str
    step: str
    reason: str

    def line(self) -> str:
        return f"FAILED {self.subject} {self.step}: {self.reason}"


def failures_of(result: dg.ExecuteInProcessResult, job: str, subject: str) -> list[Failure]:
    """Every failure a run reports: failed steps (first line of the user's error, not Dagster's
    wrapper), keys an asset recorded as failed in its ``*_failed`` metadata (a search whose engines
    all failed, a package that could not be written), and a run that failed outside any step."""
    found: dict[tuple[str, str], Failure] = {}
    for event in result.get_step_failure_events():
        data = event.step_failure_data
        reason = _error_line(data.error) if data and data.error else "failed"
        found[(subject, event.step_key or job)] = Failure(job, subject, event.step_key or job, reason)
    for failure in _metadata_failures(result, job):
        found.setdefault((failure.subject, failure.step), failure)
    if not result.success and not found:
        runs = [e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE]
        why = first_line(runs[-1].message or "failed") if runs else "failed"
        found[(subject, job)] = Failure(job, subject, job, why)
    return list(found.values())


def _metadata_failures(result: dg.ExecuteInProcessResult, job: str) -> list[Failure]:
    """The items each materialization lists under a ``*_failed`` metadata key (a partition range
    repeats the same metadata on every partition: the caller keeps each item once)."""
    failures = []
    for event in result.all_events:
        if not event.is_step_materialization:
            continue
        materialization = event.step_materialization_data.materialization
        step = materialization.asset_key.to_user_string()
        for name, value in materialization.metadata.items():
            if name.endswith("_failed"):
                for key, where, why in _failed_items(getattr(value, "value", None)):
                    failures.append(Failure(job, key, f"{step} {where}".strip(), first_line(why)))
    return failures


def _failed_items(failed: object) -> list[tuple[str, str, str]]:
    """(who, where, why) from a ``*_failed`` metadata value: ``{key: reason}`` (a search or user that
    failed) or ``[{"user": …, "posting": …, "reason": …}]`` (one record per failed item)."""
    if isinstance(failed, Mapping):
        return [(str(key), "", str(why)) for key, why in failed.items()]
    items = []
    for item in failed if isinstance(failed, list) else []:
        if isinstance(item, Mapping):
            who = str(item.get("user") or item.get("search") or item.get("key") or "?")
            rest = {k: v for k, v in item.items() if k not in ("user", "search", "key", "reason", "error")}
            where = " ".join(f"{k}={v}" for k, v in rest.items())
            items.append((who, where, str(item.get("reason") or item.get("error") or "failed")))
    return items


def _error_line(error: Any) -> str:
    """The first line of the innermost error Dagster wrapped around the user's own exception."""
    while getattr(error, "cause", None) is not None and str(getattr(error, "cls_name", "")).startswith(
        "Dagster"
    ):
        error = error.cause
    line = first_line(str(error.message))
    head, _, rest = line.partition(": ")
    cls_name = str(getattr(error, "cls_name", "") or "")
    if rest and cls_name and head.endswith(cls_name):
        line = rest if cls_name == "Failure" else f"{cls_name}: {rest}"
    return line


# Ledger statuses: delivered, failed (the run must say so), or a reason the digest waits.
DELIVERED = ("sent", "written")
FAILED = ("failed", "dead_letter")


def ledger_of_day(store: Warehouse, users: Iterable[str], day: date) -> dict[str, list[EmailDigestRow]]:
    """Each user's delivery-ledger rows of ``day``, oldest first (read through the records API)."""
    rows: dict[str, list[EmailDigestRow]] = {}
    for row in store.read_records(EMAIL_DIGESTS, list(users)):
        if row.digest_date == day:
            rows.setdefault(str(row.user_id), []).append(row)
    for user_rows in rows.values():
        user_rows.sort(key=lambda r: (r.recorded_at is None, r.recorded_at))
    return rows


def delivery_status(rows: list[EmailDigestRow]) -> EmailDigestRow | None:
    """What the ledger says of the day: a delivery if one happened, else the latest outcome (an intent
    ``sending`` only when nothing followed it — a send that never reported back)."""
    delivered = [r for r in rows if r.status in DELIVERED]
    if delivered:
        return delivered[0]
    outcomes = [r for r in rows if r.status not in ("sending", "already_sent")] or rows
    return outcomes[-1] if outcomes else None


def storage_target(dagster_home: str | os.PathLike[str] | None) -> str | None:
    """``host:port/db`` of the instance's Postgres storage (from its dagster.yaml and the environment),
    None when the instance is not on Postgres. Read without Dagster so it works when Dagster cannot start."""
    if not dagster_home:
        return None
    try:
        config = yaml.safe_load((Path(dagster_home) / "dagster.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    sections = [config.get("storage", {}).get("postgres")] + [
        (config.get(name) or {}).get("config")
        for name in ("run_storage", "event_log_storage", "schedule_storage")
    ]
    for section in sections:
        if isinstance(section, Mapping):
            if section.get("postgres_url"):
                return _value(section["postgres_url"])
            db = section.get("postgres_db")
            if isinstance(db, Mapping):
                host, port = _value(db.get("hostname")), _value(db.get("port")) or "5432"
                return f"{host}:{port}/{_value(db.get('db_name'))}"
    return None


def _value(item: object) -> str:
    if isinstance(item, Mapping) and "env" in item:
        return os.environ.get(str(item["env"]), f"${item['env']} (not set)")
    return "" if item is None else str(item)


def storage_error(exc: BaseException) -> str | None:
    """The reason, in one line, when ``exc`` comes from losing the instance's database (the driver's
    own message: "Connection refused", "database … does not exist"), else None."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    names = [f"{type(e).__module__}.{type(e).__name__}" for e in seen]
    if not any(n.startswith(("psycopg", "sqlalchemy.exc", "dagster_postgres")) for n in names):
        return None
    for error in reversed(seen):  # the driver's error is the innermost
        module = type(error).__module__
        if module.startswith(("psycopg", "sqlalchemy")):
            text = str(getattr(error, "orig", None) or error)
            return _driver_reason(text)
    return first_line(str(exc))


def _driver_reason(text: str) -> str:
    lines = [
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("(Background")
    ]
    # psycopg2 says 'connection to server at "h" (ip), port p failed: <reason>' then details on more lines.
    reasons = [re.sub(r"^.*failed: ", "", line) for line in lines if "[SQL:" not in line]
    reasons = [re.sub(r"^FATAL:\s*", "", r) for r in reasons if r]
    return first_line("; ".join(dict.fromkeys(reasons)) or text)
