"""One pass of the sensors and schedules in this process: what ``make run`` / ``jobland run`` does.

It exercises the same sensor and schedule code the daemon runs, then executes their run requests
in-process against the configured Dagster instance, so every run shows up in the Dagster UI.
"""

import json
import os
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources as package_files
from pathlib import Path

import dagster as dg
import polars as pl

from assets.partitions import RANGE_END_TAG, RANGE_START_TAG, range_tags
from jobland_pipeline.warehouse import Warehouse
from resources import SETTINGS, WarehouseResource
from resources.settings import resolve
from sensors.cv_inbox import cv_inbox_sensor
from sensors.schedules import daily_delivery_schedule, daily_search_schedule
from sensors.searches import search_partitions_sensor

# Runs print one line each; Dagster's own event log stays in the instance (and the UI).
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def seed_sample_inbox(inbox: Path) -> list[str]:
    """Copy the bundled sample users into the inbox (only users not there yet); returns those copied."""
    source = Path(str(package_files.files("jobland_pipeline.data").joinpath("sample_inbox")))
    copied = []
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        target = inbox / folder.name
        if not target.exists():
            shutil.copytree(folder, target)  # copy2 keeps mtimes: re-seeding is not a "change"
            copied.append(folder.name)
    return copied


def _apply_partition_requests(instance: dg.DagsterInstance, result: dg.SensorResult) -> None:
    """What the daemon does with a sensor's partition requests: add, or delete (users who left)."""
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest) and request.partition_keys:
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        elif isinstance(request, dg.DeleteDynamicPartitionsRequest):
            for key in request.partition_keys or []:
                instance.delete_dynamic_partition(request.partitions_def_name, key)


def _execute(
    defs: dg.Definitions,
    job: str,
    instance: dg.DagsterInstance,
    request: dg.RunRequest,
    origin: tuple[str, str] | None = None,
) -> bool:
    """Run a sensor's or schedule's request in this process.

    ``origin`` = ("sensor" | "schedule", its name): the run is tagged with the request's run key and its
    origin as the daemon tags it, so the daemon (``make ui``) later skips what this pass already did.
    """
    job = request.job_name or job
    tags = dict(request.tags or {})
    if origin and request.run_key:
        tags |= {"dagster/run_key": request.run_key, f"dagster/{origin[0]}_name": origin[1]}
    result = defs.resolve_job_def(job).execute_in_process(
        run_config={**QUIET, **dict(request.run_config or {})},
        instance=instance,
        partition_key=request.partition_key,
        tags=tags,
        raise_on_error=False,
    )
    what = request.partition_key or "..".join(
        str((request.tags or {}).get(t, "")) for t in (RANGE_START_TAG, RANGE_END_TAG)
    )
    print(f"  {job:<13} {what:<60} {'ok' if result.success else 'FAILED'}  (run {result.run_id[:8]})")
    return result.success


_SEE_UI = "see the run in the Dagster UI"


def run_once(
    defs: dg.Definitions,
    values: Mapping[str, str],
    *,
    seed_samples: bool = True,
    instance: dg.DagsterInstance | None = None,
) -> int:
    """One pass: intake from the CV inbox, then the searches and the daily schedules, then the tracker.

    Returns 1 when a search, delivery or tracker run failed; a failed intake (a CV refused) is
    reported but is the user's to fix, so it does not fail the pass.
    """
    started = time.monotonic()
    instance = instance or dg.DagsterInstance.get()
    inbox_path = Path(values["JOBLAND_INBOX_DIR"])
    inbox_path.mkdir(parents=True, exist_ok=True)
    if seed_samples and not values["JOBLAND_INBOX_URL"]:
        _seed(inbox_path)
    warehouse = WarehouseResource(
        root=values["JOBLAND_WAREHOUSE_DIR"], duckdb_path=values["JOBLAND_DUCKDB_PATH"]
    )
    failures: dict[str, str] = {}
    _intake(defs, instance, Path(values["JOBLAND_HOME"]) / "local_run_state.json", failures)
    state_path = Path(values["JOBLAND_HOME"]) / "local_run_state.json"
    _searches_and_schedules(defs, instance, warehouse, state_path, failures)
    _tracker(defs, instance, failures)

    store = warehouse.store
    store.publish_views()
    print_summary(store, values, time.monotonic() - started, failures)
    return 1 if any(not k.startswith("intake") for k in failures) else 0


def _seed(inbox_path: Path) -> None:
    """Seed the sample users into a local inbox, saying which were added."""
    seeded = seed_sample_inbox(inbox_path)
    if seeded:
        print(f"Seeded sample users into {inbox_path}: {', '.join(seeded)}")


def _intake(
    defs: dg.Definitions, instance: dg.DagsterInstance, state_path: Path, failures: dict[str, str]
) -> None:
    """The CV inbox sensor, then its intake runs (one per new or changed user).

    The sensor's cursor is kept in ``state_path`` between passes, as the daemon keeps it in the instance.
    """
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    with dg.build_sensor_context(
        instance=instance,
        cursor=state.get("cv_inbox_sensor"),
        resources={"inbox": (defs.resources or {})["inbox"]},
    ) as ctx:
        intake = cv_inbox_sensor(ctx)
    assert isinstance(intake, dg.SensorResult)
    _apply_partition_requests(instance, intake)
    for request in intake.run_requests or []:
        if not _execute(defs, "intake_job", instance, request, ("sensor", "cv_inbox_sensor")):
            failures[f"intake {request.partition_key}"] = _SEE_UI
    state["cv_inbox_sensor"] = intake.cursor
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state))


def _searches_and_schedules(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    warehouse: WarehouseResource,
    state_path: Path,
    failures: dict[str, str],
) -> None:
    """The searches sensor keeps the searches in step with the titles (its search runs are left to the
    daily schedule, which covers every search; its clean-up runs are executed); the daily schedules
    then refresh every search and deliver."""
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    with dg.build_sensor_context(
        instance=instance, cursor=state.get("search_partitions_sensor"), resources={"warehouse": warehouse}
    ) as ctx:
        searches = search_partitions_sensor(ctx)
    if isinstance(searches, dg.SensorResult):
        _apply_partition_requests(instance, searches)
        for request in searches.run_requests or []:
            origin = ("sensor", "search_partitions_sensor")
            if request.job_name == "forget_job" and not _execute(
                defs, "forget_job", instance, request, origin
            ):
                failures["forget_job"] = _SEE_UI
        state["search_partitions_sensor"] = searches.cursor
        state_path.write_text(json.dumps(state))
    now = datetime.now(UTC)
    for schedule, job in ((daily_search_schedule, "search_job"), (daily_delivery_schedule, "delivery_job")):
        with dg.build_schedule_context(instance=instance, scheduled_execution_time=now) as ctx:
            requests = schedule(ctx)
        for request in requests if isinstance(requests, list) else []:
            if not _execute(defs, job, instance, request, ("schedule", schedule.name)):
                failures[job] = _SEE_UI


def _tracker(defs: dg.Definitions, instance: dg.DagsterInstance, failures: dict[str, str]) -> None:
    """The tracker over every user (the daemon's tracker sensor does it per finished run)."""
    users = instance.get_dynamic_partitions("users")
    if users and not _execute(
        defs, "tracker_job", instance, dg.RunRequest(tags=range_tags(users[0], users[-1]))
    ):
        failures["tracker_job"] = _SEE_UI


@dataclass(frozen=True)
class UserSummary:
    user: str
    titles: list[str]
    postings: int
    high: int
    packages: int
    email: str  # the .eml written, else the delivery status
    errors: list[str]


def summary_rows(store: Warehouse, day: date) -> list[UserSummary]:
    """Per user: titles, postings found, High matches, packages written, e-mail written."""
    titles = store.read("suggested_titles")
    postings = store.read("job_postings")
    screenings = store.read("screenings")
    packages = store.read("application_packages")
    ledger = store.read("email_digests").filter(pl.col("digest_date") == day)
    docs = store.read("cv_documents")
    rows = []
    for user_id in sorted(set(docs["user_id"].to_list()) | set(titles["user_id"].to_list())):
        errors = docs.filter((pl.col("user_id") == user_id) & (pl.col("status") == "error"))[
            "error"
        ].to_list()
        user_ledger = ledger.filter(pl.col("user_id") == user_id).sort("recorded_at")
        email = "-"
        for r in user_ledger.iter_rows(named=True):
            if r["status"] == "written":
                email = str(r["eml_path"])
            elif email == "-":
                email = str(r["status"])
        rows.append(
            UserSummary(
                user=user_id,
                titles=titles.filter(pl.col("user_id") == user_id).sort("rank")["display_title"].to_list(),
                postings=postings.filter(pl.col("user_id") == user_id)["posting_id"].n_unique(),
                high=screenings.filter((pl.col("user_id") == user_id) & (pl.col("probability") == "High"))[
                    "posting_id"
                ].n_unique(),
                packages=packages.filter(pl.col("user_id") == user_id)["application_id"].n_unique(),
                email=email,
                errors=errors,
            )
        )
    return rows


def print_summary(
    store: Warehouse, values: Mapping[str, str], seconds: float, failures: dict[str, str]
) -> None:
    rows = summary_rows(store, date.today())
    print()
    print(f"JobLand run finished in {seconds:.1f} s")
    print(f"{'user':<16} {'titles':>6} {'postings':>8} {'high':>5} {'packages':>8}  e-mail")
    for r in rows:
        print(f"{r.user:<16} {len(r.titles):>6} {r.postings:>8} {r.high:>5} {r.packages:>8}  {r.email}")
        if r.titles:
            print(f"{'':<16} titles: {', '.join(r.titles)}")
        for error in r.errors:
            print(f"{'':<16} CV refused: {error}")
    for what, why in failures.items():
        print(f"FAILED {what}: {why}")
    print()
    print(
        f"DuckDB:   {store.duckdb_path}   (read-only: duckdb.connect(path, read_only=True); tables in README)"
    )
    print(f"Packages: {Path(values['JOBLAND_PACKAGES_DIR']).resolve()}")
    print(f"Outbox:   {Path(values['JOBLAND_OUTBOX_DIR']).resolve()}")


def run_local(*, seed_samples: bool = True, verbose: bool = False) -> int:
    """What ``make run`` does: one pass of the sensors and schedules, executed in this process."""
    del verbose  # the console shows the summary only; -v (stack traces on the console) comes next
    from jobland_pipeline.definitions import defs

    return run_once(defs, resolve(os.environ, SETTINGS), seed_samples=seed_samples)
