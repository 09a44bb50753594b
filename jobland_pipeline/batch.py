"""A user's daily batch, stage by stage: what is done, running, failed or queued, and how much each made.

Two sources, never guesses: the runs the Dagster instance recorded (the wiring turns them into plain
:class:`RunView` records, so this module needs no Dagster) and the rows the warehouse holds for the
user and day. ``jobland status`` prints :func:`batch_status`; the completion webhooks send
:func:`stage_counts` and :func:`failures` in their events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

import polars as pl

from jobland_pipeline.delivery.records import BATCH_STATUS, BatchStatusRow
from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR

__all__ = [
    "STAGES",
    "STAGE_ASSETS",
    "FrameStore",
    "RunView",
    "StageStatus",
    "UserRows",
    "batch_status",
    "counts_of",
    "earlier_rows",
    "failures",
    "first_line",
    "isolated_failures",
    "stage_counts",
    "status_rows",
    "user_rows",
]

STAGES = ("intake", "search", "screening", "research", "packages", "digest")
# The assets (= steps of their job) that make each stage, in the order they run.
STAGE_ASSETS: dict[str, tuple[str, ...]] = {
    "intake": ("cv_documents", "profiles", "suggested_titles"),
    "search": ("job_postings",),
    "screening": ("screenings",),
    "research": ("company_dossiers",),
    "packages": ("application_packages",),
    "digest": ("email_digests",),
}
# Run statuses (Dagster's names) as a stage state.
_QUEUED = {"QUEUED", "NOT_STARTED", "MANAGED"}
_RUNNING = {"STARTING", "STARTED"}
_CANCELED = {"CANCELED", "CANCELING"}


class FrameStore(Protocol):
    """What the status needs from the warehouse: a table's rows for some partitions (the warehouse has it)."""

    def read(self, table: str, partition_keys: Iterable[str] | None = None) -> pl.DataFrame: ...


def first_line(text: str | None, limit: int = 200) -> str:
    """The first non-empty line of an error, cut to ``limit`` characters (a table cell, an event field)."""
    for line in (text or "").splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


@dataclass(frozen=True)
class RunView:
    """One run as the instance recorded it, in plain values.

    ``steps``: step key -> "SUCCESS" | "FAILURE" | "SKIPPED" | "RUNNING" (started, not ended);
    ``step_errors``: step key -> the error of a failed step; ``key_failures``: partition key -> reason
    for the keys an asset isolated as failed while its step went on (``users_failed`` /
    ``searches_failed`` metadata).
    """

    run_id: str
    job: str
    status: str
    users: frozenset[str]
    created: datetime
    steps: Mapping[str, str] = field(default_factory=dict)
    step_errors: Mapping[str, str] = field(default_factory=dict)
    key_failures: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    run_error: str = ""
    assets: frozenset[str] = frozenset()  # the assets the job materializes


@dataclass(frozen=True)
class StageStatus:
    stage: str
    state: str  # done, running, failed, queued, canceled, not run
    reason: str = ""  # first line of the failure, or where "done" comes from
    run_id: str = ""
    count: int | None = None  # rows the stage made for the user that day


FAILURE_METADATA = ("users_failed", "searches_failed", "packages_failed")


def isolated_failures(metadata: Mapping[str, object]) -> dict[str, str]:
    """Partition key -> reason from an asset's ``*_failed`` metadata values: ``{key: reason}`` maps, or
    lists of ``{"user", "posting", "reason"}`` records (one package each, keyed ``user::posting``)."""
    out: dict[str, str] = {}
    for name in FAILURE_METADATA:
        value = metadata.get(name)
        if isinstance(value, Mapping):
            out.update({str(k): str(v) for k, v in value.items()})
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping) and item.get("user"):
                    key = f"{item['user']}{SEARCH_KEY_SEPARATOR}{item.get('posting') or ''}"
                    out[key] = str(item.get("reason") or "failed")
    return out


def _user_failures(run: RunView, asset: str, user: str) -> list[str]:
    """Reasons the asset gave for this user's keys (the user itself or its ``user::title`` searches)."""
    out = []
    for key, reason in (run.key_failures.get(asset) or {}).items():
        if key == user or key.startswith(user + SEARCH_KEY_SEPARATOR):
            out.append(f"{key}: {first_line(reason)}")
    return out


# Run statuses that decide every stage of the run before its steps are looked at: state, reason.
_BEFORE_STEPS: tuple[tuple[frozenset[str], str, str], ...] = (
    (frozenset(_QUEUED), "queued", "run {run} is queued"),
    (frozenset(_CANCELED), "canceled", "run {run} was canceled"),
)


def _stage_of_steps(stage: str, run: RunView, user: str) -> StageStatus | None:
    """The stage from its own steps in the run: a failed step, one running, or all done (then the keys
    the assets isolated as failed for the user); None while none of that is known."""
    assets = STAGE_ASSETS[stage]
    steps = [run.steps.get(a) for a in assets]
    failed = next((a for a in assets if run.steps.get(a) == "FAILURE"), None)
    if failed is not None:
        reason = first_line(run.step_errors.get(failed)) or f"step {failed} failed"
        return StageStatus(stage, "failed", reason, run.run_id)
    if "RUNNING" in steps:
        return StageStatus(stage, "running", f"run {run.run_id[:8]}", run.run_id)
    if steps and all(s == "SUCCESS" for s in steps):
        isolated = [r for a in assets for r in _user_failures(run, a, user)]
        if isolated:
            return StageStatus(stage, "failed", isolated[0], run.run_id)
        return StageStatus(stage, "done", "", run.run_id)
    return None


def _stage_of_run_status(stage: str, run: RunView) -> StageStatus:
    """The stage when its steps did not say: from the run's own status (waiting, failed before the step,
    or a successful run that did not need the step)."""
    if run.status in _RUNNING:
        return StageStatus(stage, "queued", f"waiting in run {run.run_id[:8]}", run.run_id)
    if run.status == "FAILURE":
        why = first_line(run.run_error) or "the run failed before this step"
        return StageStatus(stage, "failed", f"not run: {why}", run.run_id)
    if run.status == "SUCCESS":  # a run that did not need this step (e.g. nothing selected)
        return StageStatus(stage, "done", "", run.run_id)
    return StageStatus(stage, "queued", "", run.run_id)


def _stage_of_run(stage: str, run: RunView, user: str) -> StageStatus:
    """The stage as one run tells it: its status first (queued, canceled), then its steps, then its status."""
    for statuses, state, reason in _BEFORE_STEPS:
        if run.status in statuses:
            return StageStatus(stage, state, reason.format(run=run.run_id[:8]), run.run_id)
    return _stage_of_steps(stage, run, user) or _stage_of_run_status(stage, run)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    from datetime import UTC, time, timedelta

    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _on_day(df: pl.DataFrame, column: str, day: date) -> pl.DataFrame:
    if df.is_empty() or column not in df.columns:
        return df
    dtype = df.schema[column]
    if dtype == pl.Date:
        return df.filter(pl.col(column) == day)
    start, end = _day_bounds(day)
    return df.filter((pl.col(column) >= start) & (pl.col(column) < end))


# The warehouse tables the status counts from, and the column that names each row's partition.
_USER_TABLES = ("cv_documents", "suggested_titles", "email_digests")  # partitioned by user: user_id
# partitioned by search (search_key), counted on the day their rows were written (this column's day)
_SEARCH_TABLES = {
    "job_postings": "found_at",
    "screenings": "screened_at",
    "company_dossiers": "built_at",
    "application_packages": "created_at",
}


@dataclass(frozen=True)
class UserRows:
    """A user's rows the status counts from: their CV documents, titles and digests, and the rows of
    their searches (as one read of those partitions gives them)."""

    cv_documents: pl.DataFrame
    suggested_titles: pl.DataFrame
    email_digests: pl.DataFrame
    job_postings: pl.DataFrame
    screenings: pl.DataFrame
    company_dossiers: pl.DataFrame
    application_packages: pl.DataFrame
    day: date | None = None  # the search tables' rows are this day's only (None: every day's)


def _by_key(df: pl.DataFrame, column: str, keys: Iterable[str]) -> dict[str, pl.DataFrame] | None:
    """The rows of a read of several partitions, per partition key, by the column that names it (the
    stages write their partition's key in every row), in read order. None when a row names no key read
    (or none at all): then the rows cannot be told apart, and the caller reads partition by partition."""
    if df.is_empty():
        return {}
    if column not in df.columns or df[column].is_null().any() or not df[column].is_in(list(keys)).all():
        return None
    return {str(k[0]): part for k, part in df.partition_by(column, as_dict=True, maintain_order=True).items()}


def _read_each(store: FrameStore, table: str, keys: Sequence[str]) -> dict[str, pl.DataFrame]:
    """Per partition key, its rows (one read per key: the reading before rows were split by key)."""
    return {k: store.read(table, [k]) for k in dict.fromkeys(keys)}


def _read_split(
    store: FrameStore,
    table: str,
    column: str,
    keys: Sequence[str],
    keep: Callable[[pl.DataFrame], pl.DataFrame] = lambda df: df,
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """One read of the partitions ``keys`` of ``table``, the rows ``keep`` keeps, split per key (read per
    key when they cannot be split); also an empty frame of the table (for a key with no rows)."""
    df = keep(store.read(table, keys))
    split = _by_key(df, column, keys)
    if split is None:
        split = {k: keep(part) for k, part in _read_each(store, table, keys).items()}
    return split, df.clear()


def _day_filter(column: str, day: date | None) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """The rows of ``day`` by ``column`` (every row without a day)."""
    if day is None:
        return lambda df: df
    return lambda df: _on_day(df, column, day)


def user_rows(store: FrameStore, users: Sequence[str], day: date | None = None) -> dict[str, UserRows]:
    """Each user's rows for :func:`counts_of`, read once per table for all ``users`` (only their
    partitions and their searches' partitions): the same rows as reading each user's partitions apart.
    With ``day``, the search tables keep that day's rows only (filtered once, not once per user)."""
    users = list(dict.fromkeys(users))
    split: dict[str, dict[str, pl.DataFrame]] = {}
    empty: dict[str, pl.DataFrame] = {}
    for table in _USER_TABLES:
        split[table], empty[table] = _read_split(store, table, "user_id", users)
    titles = {u: split["suggested_titles"].get(u, empty["suggested_titles"]) for u in users}
    searches = {u: [str(k) for k in t["search_key"].to_list() if k] for u, t in titles.items()}
    every = list(dict.fromkeys(k for keys in searches.values() for k in keys))
    for table, column in _SEARCH_TABLES.items():
        split[table], empty[table] = _read_split(store, table, "search_key", every, _day_filter(column, day))

    def of_searches(table: str, user: str) -> pl.DataFrame:
        parts = [split[table][k] for k in searches[user] if k in split[table]]
        return pl.concat(parts) if parts else empty[table]

    return {
        u: UserRows(
            cv_documents=split["cv_documents"].get(u, empty["cv_documents"]),
            suggested_titles=titles[u],
            email_digests=split["email_digests"].get(u, empty["email_digests"]),
            **{t: of_searches(t, u) for t in _SEARCH_TABLES},
            day=day,
        )
        for u in users
    }


def earlier_rows(store: FrameStore, users: Sequence[str]) -> dict[str, list[BatchStatusRow]]:
    """Each user's ``batch_status`` rows as stored, read once for all ``users``."""
    users = list(dict.fromkeys(users))
    split, _ = _read_split(store, BATCH_STATUS.name, "user_id", users)
    return {u: BATCH_STATUS.records(split[u]) if u in split else [] for u in users}


def stage_counts(store: FrameStore, user: str, day: date) -> dict[str, int | str | None]:
    """What the user's batch made that day, per stage, from the warehouse (``digest``: its status).

    Intake counts are the user's current CV documents and titles (a CV read on an earlier day still
    feeds today's searches); the other stages count the rows written that day.
    """
    return counts_of(user_rows(store, [user], day)[user], day)


def counts_of(rows: UserRows, day: date) -> dict[str, int | str | None]:
    """:func:`stage_counts` from the user's rows (read by :func:`user_rows`, for many users at once)."""
    docs = rows.cv_documents
    titles = rows.suggested_titles
    searches = [str(k) for k in titles["search_key"].to_list() if k]

    def on_day(df: pl.DataFrame, table: str) -> pl.DataFrame:
        return df if rows.day == day else _on_day(df, _SEARCH_TABLES[table], day)

    postings = on_day(rows.job_postings, "job_postings")
    screenings = on_day(rows.screenings, "screenings")
    dossiers = on_day(rows.company_dossiers, "company_dossiers")
    packages = on_day(rows.application_packages, "application_packages")
    digest = rows.email_digests
    digest = digest.filter(pl.col("digest_date") == day).sort("recorded_at") if digest.height else digest
    # "already_sent" notes a later delivery run that found the day's digest gone: not the day's outcome
    outcomes = (
        digest.filter(~pl.col("status").is_in(["sending", "already_sent"])) if digest.height else digest
    )
    return {
        "cv_documents": docs.filter(pl.col("status") == "ok").height,
        "cv_refused": docs.filter(pl.col("status") == "error").height,
        "titles": titles.height,
        "searches": len(searches),
        "postings": postings["posting_id"].n_unique() if postings.height else 0,
        "screened": screenings["posting_id"].n_unique() if screenings.height else 0,
        "high": screenings.filter(pl.col("probability") == "High")["posting_id"].n_unique()
        if screenings.height
        else 0,
        "dossiers": dossiers.height,
        "packages": packages["application_id"].n_unique() if packages.height else 0,
        "packages_not_grounded": packages.filter(pl.col("grounded").not_())["application_id"].n_unique()
        if packages.height
        else 0,
        "digest": str(outcomes["status"][-1]) if outcomes.height else None,
        "digest_packages": len(outcomes["application_ids"][-1]) if outcomes.height else 0,
        "digest_error": str(outcomes["error"][-1]) if outcomes.height and outcomes["error"][-1] else None,
    }


def _count_of(stage: str, counts: Mapping[str, int | str | None]) -> int | None:
    key = {
        "intake": "titles",
        "search": "postings",
        "screening": "screened",
        "research": "dossiers",
        "packages": "packages",
        "digest": "digest_packages",
    }[stage]
    value = counts.get(key)
    return value if isinstance(value, int) else None


def _deciding_run(mine: Sequence[RunView], stage: str, day: date) -> RunView | None:
    """The latest of the day's runs that covers the stage, or None."""
    assets = set(STAGE_ASSETS[stage])
    covering = [r for r in mine if r.assets & assets and r.created.date() == day]
    # a run canceled before it started changed nothing: the run before it still tells the state
    started = [r for r in covering if not (r.status in _CANCELED and not r.steps)]
    covering = started or covering
    return covering[-1] if covering else None


def _stage_without_run(stage: str, counts: Mapping[str, int | str | None], count: int | None) -> StageStatus:
    """A stage no run of the day covers: done if the warehouse holds what it makes, else "not run"."""
    if stage == "intake" and (counts.get("titles") or counts.get("cv_documents")):
        return StageStatus(stage, "done", "CV unchanged: intake of an earlier day", "", count)
    if stage == "digest" and counts.get("digest"):
        return StageStatus(stage, "done", f"digest {counts['digest']}", "", count)
    if count:
        return StageStatus(stage, "done", "rows in the warehouse", "", count)
    return StageStatus(stage, "not run", "", "", count)


def batch_status(
    user: str, day: date, runs: Iterable[RunView], counts: Mapping[str, int | str | None]
) -> list[StageStatus]:
    """Each stage of the user's batch: the latest run of that day that covers the user and the stage
    decides; with no run, rows in the warehouse for that day mean done, else "not run"."""
    mine = sorted((r for r in runs if user in r.users), key=lambda r: r.created)
    out = []
    for stage in STAGES:
        count = _count_of(stage, counts)
        run = _deciding_run(mine, stage, day)
        if run is None:
            out.append(_stage_without_run(stage, counts, count))
            continue
        status = _stage_of_run(stage, run, user)
        out.append(StageStatus(status.stage, status.state, status.reason, status.run_id, count))
    return out


def status_rows(
    user: str,
    day: date,
    statuses: Sequence[StageStatus],
    checked_at: datetime,
    earlier: Sequence[BatchStatusRow] = (),
    keep_days: int = 30,
) -> list[BatchStatusRow]:
    """The user's ``batch_status`` rows: ``day``'s stages replacing that day's earlier rows, plus the
    rows of the ``keep_days`` days before it (a history for analysts, bounded per user)."""
    kept = [r for r in earlier if r.day is not None and r.day != day and (day - r.day).days < keep_days]
    today = [
        BatchStatusRow(
            user_id=user,
            day=day,
            stage=s.stage,
            position=STAGES.index(s.stage) + 1,
            state=s.state,
            rows=s.count,
            detail=s.reason,
            run_id=s.run_id or None,
            checked_at=checked_at,
        )
        for s in statuses
    ]
    return sorted(kept, key=lambda r: (r.day, r.position or 0)) + today


def _run_failures(run: RunView, user: str) -> list[dict[str, str]]:
    """One run's failures for the user: its failed steps, the user's keys its assets isolated as
    failed, and the run itself when it failed outside any step."""
    out: list[dict[str, str]] = []
    for stage in STAGES:
        for asset in STAGE_ASSETS[stage]:
            if run.steps.get(asset) == "FAILURE":
                error = first_line(run.step_errors.get(asset)) or f"step {asset} failed"
                out.append({"stage": stage, "reason": error, "run_id": run.run_id})
            for isolated in _user_failures(run, asset, user):
                out.append({"stage": stage, "reason": isolated, "run_id": run.run_id})
    if run.status == "FAILURE" and "FAILURE" not in run.steps.values():
        out.append({"stage": run.job, "reason": first_line(run.run_error) or "run failed"})
    return out


def _count_failures(counts: Mapping[str, int | str | None]) -> list[dict[str, str]]:
    """Failures the warehouse shows: a digest not delivered, packages held back as not grounded."""
    out: list[dict[str, str]] = []
    if counts.get("digest") in ("no_recipient", "dead_letter", "failed"):
        out.append(
            {"stage": "digest", "reason": first_line(str(counts.get("digest_error") or counts["digest"]))}
        )
    if counts.get("packages_not_grounded"):
        n = counts["packages_not_grounded"]
        out.append({"stage": "packages", "reason": f"{n} package(s) not grounded in the CV, held back"})
    return out


def failures(
    user: str,
    runs: Sequence[RunView],
    counts: Mapping[str, int | str | None],
    refused: Iterable[str] = (),
) -> list[dict[str, str]]:
    """What went wrong in the user's batch, each with its stage and the first line of its reason."""
    out = [{"stage": "intake", "reason": first_line(reason)} for reason in refused]
    for run in runs:
        if user in run.users:
            out.extend(_run_failures(run, user))
    out.extend(_count_failures(counts))
    return out
