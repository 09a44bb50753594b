"""The Dagster side of a user's batch status: run records of a day as plain ``RunView`` values.

Read by ``jobland status`` / ``jobland cancel`` and the completion webhooks; the rules (which run
decides a stage, what counts as failed) are in ``jobland_pipeline.batch``, which needs no Dagster.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import dagster as dg

from assets.partitions import run_users
from jobland_pipeline.batch import FAILURE_METADATA, STAGE_ASSETS, RunView, isolated_failures

# The assets each job materializes (the jobs are asset jobs: one step per asset).
JOB_ASSETS: dict[str, frozenset[str]] = {
    "intake_job": frozenset(STAGE_ASSETS["intake"]),
    "search_job": frozenset(
        STAGE_ASSETS["search"]
        + STAGE_ASSETS["screening"]
        + STAGE_ASSETS["research"]
        + STAGE_ASSETS["packages"]
    ),
    "delivery_job": frozenset(STAGE_ASSETS["digest"]),
}
ACTIVE = (
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
)
PAGE_RUNS = 1_000  # runs read per query of the day's runs (every page is read)
MAX_ACTIVE_RUNS = (
    5_000  # queued or running runs read at most (the run queue's concurrency keeps it far below)
)


def _assets_of(run: dg.DagsterRun) -> frozenset[str]:
    if run.asset_selection:
        return frozenset(k.path[-1] for k in run.asset_selection)
    return JOB_ASSETS.get(run.job_name, frozenset())


# One read of a run's event log gives what run_view needs: its steps' starts and ends, the assets'
# materializations (their isolated failures) and the run's failure.
_STEP_STATE = {
    dg.DagsterEventType.STEP_START: "RUNNING",
    dg.DagsterEventType.STEP_SUCCESS: "SUCCESS",
    dg.DagsterEventType.STEP_FAILURE: "FAILURE",
    dg.DagsterEventType.STEP_SKIPPED: "SKIPPED",
}
_DETAIL_EVENTS = {*_STEP_STATE, dg.DagsterEventType.ASSET_MATERIALIZATION, dg.DagsterEventType.RUN_FAILURE}


def _failures_metadata(records: Iterable[dg.EventLogRecord]) -> dict[str, dict[str, str]]:
    """asset -> {partition key: reason}: the keys an asset isolated as failed (its metadata)."""
    out: dict[str, dict[str, str]] = {}
    for record in records:
        materialization = record.event_log_entry.asset_materialization
        if materialization is None:
            continue
        data = {n: getattr(materialization.metadata.get(n), "data", None) for n in FAILURE_METADATA}
        found = isolated_failures(data)
        if found:
            out.setdefault(materialization.asset_key.path[-1], {}).update(found)
    return out


def _readable(error: Any) -> str:
    """The error's message (``SerializableErrorInfo``: ``message``, ``cls_name``) without its class's module path: a ``dagster.Failure`` is the asset saying
    why in words ("No readable CV for user ..."), another error keeps its class name ("ValueError: ...")."""
    message = error.message or ""
    head, sep, rest = message.partition(": ")
    if sep and " " not in head and head.rsplit(".", 1)[-1] == error.cls_name:
        return rest if error.cls_name == "Failure" else f"{error.cls_name}: {rest}"
    return message


def _errors(records: Iterable[dg.EventLogRecord]) -> tuple[dict[str, str], str]:
    """(step -> error message of its failure, the run's failure message)."""
    steps: dict[str, str] = {}
    run_error = ""
    for record in records:
        event = record.event_log_entry.dagster_event
        if event is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_FAILURE and event.step_key is not None:
            data = event.step_failure_data
            steps[event.step_key] = (_readable(data.error) if data and data.error else "") or (
                event.message or ""
            )
        elif event.event_type == dg.DagsterEventType.RUN_FAILURE:
            run_error = event.message or record.event_log_entry.user_message or run_error
    return steps, run_error


def _steps(records: Iterable[dg.EventLogRecord]) -> dict[str, str]:
    """step key -> "SUCCESS" | "FAILURE" | "SKIPPED" | "RUNNING" (started, not ended): its last start or
    end event, as Dagster's step stats (``instance.get_run_step_stats``) tell it."""
    steps: dict[str, str] = {}
    for record in records:
        event = record.event_log_entry.dagster_event
        if event is not None and event.step_key and event.event_type in _STEP_STATE:
            steps[event.step_key] = _STEP_STATE[event.event_type]
    return steps


def run_view(
    instance: dg.DagsterInstance,
    record: dg.RunRecord,
    *,
    details: bool = True,
    keys: dict[str, list[str]] | None = None,
) -> RunView:
    """One run record as a RunView: its users from its tags, its steps and errors from the event log
    (one read of the run's events)."""
    run = record.dagster_run
    steps: dict[str, str] = {}
    step_errors: dict[str, str] = {}
    run_error = ""
    key_failures: dict[str, dict[str, str]] = {}
    if details and run.status not in (dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED):
        records = instance.get_records_for_run(run.run_id, of_type=_DETAIL_EVENTS).records
        steps = _steps(records)
        step_errors, run_error = _errors(records)
        key_failures = _failures_metadata(records)
    return RunView(
        run_id=run.run_id,
        job=run.job_name,
        status=run.status.value,
        users=frozenset(run_users(run.tags, instance, keys)),
        created=record.create_timestamp.astimezone(UTC),
        steps=steps,
        step_errors=step_errors,
        key_failures=key_failures,
        run_error=run_error,
        assets=_assets_of(run),
    )


def day_records(instance: dg.DagsterInstance, day: date) -> list[dg.RunRecord]:
    """The pipeline's runs created on ``day`` (UTC), oldest first: every one, read in pages of
    ``PAGE_RUNS`` (a day with more new CVs than a page has more intake runs)."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    records: list[dg.RunRecord] = []
    for job in JOB_ASSETS:
        day_filter = dg.RunsFilter(
            job_name=job, created_after=start, created_before=start + timedelta(days=1)
        )
        cursor: str | None = None
        while True:
            page = instance.get_run_records(filters=day_filter, limit=PAGE_RUNS, cursor=cursor)
            records.extend(page)
            if len(page) < PAGE_RUNS:
                break
            cursor = page[-1].dagster_run.run_id
    return sorted(records, key=lambda r: r.create_timestamp)


def day_runs(instance: dg.DagsterInstance, day: date, users: Iterable[str] | None = None) -> list[RunView]:
    """RunViews of the day's runs (only the runs covering one of ``users`` when given)."""
    wanted = set(users) if users is not None else None
    keys: dict[str, list[str]] = {}  # the partitions, fetched once for all the runs
    out = []
    for record in day_records(instance, day):
        covered = set(run_users(record.dagster_run.tags, instance, keys))
        if wanted is not None and not covered & wanted:
            continue
        out.append(run_view(instance, record, keys=keys))
    return out


def active_runs_of(instance: dg.DagsterInstance, user: str) -> list[dg.DagsterRun]:
    """Every queued or running pipeline run (any day) that covers ``user``."""
    records = instance.get_run_records(filters=dg.RunsFilter(statuses=list(ACTIVE)), limit=MAX_ACTIVE_RUNS)
    return [
        r.dagster_run
        for r in records
        if r.dagster_run.job_name in JOB_ASSETS and user in run_users(r.dagster_run.tags, instance)
    ]
