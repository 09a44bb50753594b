"""One pass of the sensors and schedules in this process: what ``make run`` / ``jobland run`` does.

It exercises the same sensor and schedule code the daemon runs, then executes their run requests
in-process against the configured Dagster instance, so every run shows up in the Dagster UI.
"""

import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import resources as package_files
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl

from assets.partitions import DAY_TAG, RANGE_END_TAG, RANGE_START_TAG, range_tags
from jobland_pipeline.inbox_cursor import InboxCursor
from jobland_pipeline.local_state import file_lock, first_line, read_state, write_state
from jobland_pipeline.progress import ProgressLine, bar
from jobland_pipeline.warehouse import Warehouse
from resources import SETTINGS, WarehouseResource, WebhookResource
from resources.settings import resolve
from sensors.cv_inbox import cv_inbox_sensor
from sensors.run_health import (
    FAILED,
    Failure,
    delivery_status,
    failures_of,
    ledger_of_day,
    mark_dead_runs,
    own_tags,
    reconcile_state,
    storage_error,
    storage_target,
)
from sensors.schedules import daily_delivery_schedule, daily_search_schedule
from sensors.searches import search_partitions_sensor
from sensors.webhooks import webhook_request, webhooks_after_delivery

STATE_FILE = "local_run_state.json"


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


@dataclass
class _Pass:
    """One pass's runs against one instance, and every failure they reported."""

    defs: dg.Definitions
    instance: dg.DagsterInstance
    state_path: Path
    state: dict[str, Any]
    log_level: str = "WARNING"
    failures: list[Failure] = field(default_factory=list)
    progress: ProgressLine = field(default_factory=lambda: ProgressLine(sys.stdout))
    expected: int = 0  # runs requested so far in this pass (the total grows as each phase plans)
    finished: int = 0

    def expect(self, runs: int) -> None:
        self.expected += runs

    def execute(self, job: str, request: dg.RunRequest, origin: tuple[str, str] | None = None) -> str:
        """Run a sensor's or schedule's request in this process.

        ``origin`` = ("sensor" | "schedule", its name): the run is tagged with the request's run key and
        its origin as the daemon tags it, so the daemon (``make ui``) later skips what this pass already
        did; and with this process (``run_health.PROCESS_TAG``), so a run a kill leaves STARTED is
        recognised as dead at the next start.
        """
        job = request.job_name or job
        tags = {DAY_TAG: datetime.now(UTC).date().isoformat()} | dict(request.tags or {}) | own_tags()
        if origin and request.run_key:
            tags |= {"dagster/run_key": request.run_key, f"dagster/{origin[0]}_name": origin[1]}
        logging_config = {"loggers": {"console": {"config": {"log_level": self.log_level}}}}
        what = request.partition_key or "..".join(
            str((request.tags or {}).get(t, "")) for t in (RANGE_START_TAG, RANGE_END_TAG)
        )
        self.expected = max(self.expected, self.finished + 1)
        with self.progress.ticking(
            lambda s: (
                f"{bar(self.finished, self.expected)} {self.finished}/{self.expected} runs done, "
                f"running {job} {what} ({s:.0f} s)"
            )
        ):
            result = self.defs.resolve_job_def(job).execute_in_process(
                run_config={**logging_config, **dict(request.run_config or {})},
                instance=self.instance,
                partition_key=request.partition_key,
                tags=tags,
                raise_on_error=False,
            )
        self.finished += 1
        found = failures_of(result, job, what or job)
        self.failures += found
        status = (
            "ok" if result.success and not found else ("FAILED" if not result.success else "PARTLY FAILED")
        )
        print(f"  {job:<13} {what:<60} {status}  (run {result.run_id[:8]})", flush=True)
        return result.run_id

    def save(self, key: str, cursor: str | None) -> None:
        """Keep a sensor's cursor (atomically: a kill or a full disk leaves the previous state)."""
        self.state[key] = cursor
        write_state(self.state_path, self.state)


def run_once(
    defs: dg.Definitions,
    values: Mapping[str, str],
    *,
    seed_samples: bool = True,
    instance: dg.DagsterInstance | None = None,
    log_level: str = "WARNING",
    log_path: Path | None = None,
    progress: ProgressLine | None = None,
) -> int:
    """One pass: intake from the CV inbox, then the searches and the daily schedules, then the tracker.

    Before it: runs a killed pass left in progress are marked failed, and the cursor file is reconciled
    with the instance. Returns 1 when a step failed (a refused CV is the user's to fix and does not
    count), a digest of today is ``failed``/``dead_letter`` in the ledger, or a package could not be
    written; each is one line of the summary. On a terminal ``progress`` redraws a bar of the runs
    done while each run executes; in a file or a pipe only the plain line per run is written.
    """
    started = time.monotonic()
    instance = instance or dg.DagsterInstance.get()
    for line in mark_dead_runs(instance):
        print(f"Marked failed (left in progress by a process that is gone): {line}")
    state_path = Path(values["JOBLAND_HOME"]) / STATE_FILE
    state, warning = read_state(state_path)
    if warning:
        print(f"WARNING: {warning}")
    for note in reconcile_state(instance, state):
        print(f"Reconciled with the Dagster instance: {note}")
    inbox_path = Path(values["JOBLAND_INBOX_DIR"])
    inbox_path.mkdir(parents=True, exist_ok=True)
    if seed_samples and not values["JOBLAND_INBOX_URL"]:
        _seed(inbox_path)
    warehouse = WarehouseResource(
        root=values["JOBLAND_WAREHOUSE_DIR"], duckdb_path=values["JOBLAND_DUCKDB_PATH"]
    )
    run = _Pass(defs, instance, state_path, state, log_level, progress=progress or ProgressLine(sys.stdout))
    _intake(run)
    _searches_and_schedules(run, warehouse)
    _tracker(run)

    store = warehouse.store
    store.publish_views()
    failures = print_summary(store, values, time.monotonic() - started, run.failures, log_path)
    return 1 if failures else 0


def _seed(inbox_path: Path) -> None:
    """Seed the sample users into a local inbox, saying which were added."""
    seeded = seed_sample_inbox(inbox_path)
    if seeded:
        print(f"Seeded sample users into {inbox_path}: {', '.join(seeded)}")


def _request_user(request: dg.RunRequest) -> str:
    """The user an inbox request is for: its partition (intake), else its run key (forget:<user>:…)."""
    if request.partition_key:
        return request.partition_key
    return (request.run_key or "").split(":")[1 if (request.run_key or "").startswith("forget:") else 0]


MAX_TICKS_PER_PASS = 1_000  # a sweep of 10 million inbox objects at 10 pages of 1,000 per tick


def _intake(run: _Pass) -> None:
    """The CV inbox sensor's ticks until one sweep of the inbox is complete, each tick's intake runs
    executed (one per new or changed user).

    A tick lists a bounded number of pages (the daemon ticks again 30 s later); a pass is one day's
    work, so it ticks on until the sweep ends: 1,000 users dropped at once are all taken in, not the
    first tick's 500. The sensor's cursor is kept in the state file between passes, as the daemon
    keeps it in the instance; it is saved after each finished run (the users done so far), so a pass
    that dies half-way — a kill, a lost database — does not redo the intakes it finished.
    """
    for _ in range(MAX_TICKS_PER_PASS):
        if not _intake_tick(run):
            return


def _intake_tick(run: _Pass) -> bool:
    """One tick and its intake runs; True when the sweep goes on (more pages to list)."""
    previous = InboxCursor.decode(run.state.get("cv_inbox_sensor"))
    with dg.build_sensor_context(
        instance=run.instance,
        cursor=run.state.get("cv_inbox_sensor"),
        resources={"inbox": (run.defs.resources or {})["inbox"]},
    ) as ctx:
        intake = cv_inbox_sensor(ctx)
    assert isinstance(intake, dg.SensorResult)
    _apply_partition_requests(run.instance, intake)
    latest = InboxCursor.decode(intake.cursor)
    done: set[str] = set()
    run.expect(len(intake.run_requests or []))
    for request in intake.run_requests or []:
        run.execute("intake_job", request, ("sensor", "cv_inbox_sensor"))
        done.add(_request_user(request))
        run.save("cv_inbox_sensor", previous.with_users(latest, done).encode())
    run.save("cv_inbox_sensor", intake.cursor)
    return latest.after is not None


def _searches_and_schedules(run: _Pass, warehouse: WarehouseResource) -> None:
    """The searches sensor keeps the searches in step with the titles (its search runs are left to the
    daily schedule, which covers every search; its clean-up runs are executed); the daily schedules
    then refresh every search and deliver."""
    with dg.build_sensor_context(
        instance=run.instance,
        cursor=run.state.get("search_partitions_sensor"),
        resources={"warehouse": warehouse},
    ) as ctx:
        searches = search_partitions_sensor(ctx)
    if isinstance(searches, dg.SensorResult):
        _apply_partition_requests(run.instance, searches)
        for request in searches.run_requests or []:
            if request.job_name == "forget_job":
                run.execute("forget_job", request, ("sensor", "search_partitions_sensor"))
        run.save("search_partitions_sensor", searches.cursor)
    now = datetime.now(UTC)
    for schedule, job in ((daily_search_schedule, "search_job"), (daily_delivery_schedule, "delivery_job")):
        with dg.build_schedule_context(instance=run.instance, scheduled_execution_time=now) as ctx:
            requests = schedule(ctx)
        run.expect(len(requests) if isinstance(requests, list) else 0)
        for request in requests if isinstance(requests, list) else []:
            run_id = run.execute(job, request, ("schedule", schedule.name))
            if job == "delivery_job":
                _webhooks(run, run_id)


def _webhooks(run: _Pass, delivery_run_id: str) -> None:
    """The completion webhooks of a delivery run, as the daemon's run status sensors request them
    (same request, same once-only ledger: a later ``make ui`` daemon sends nothing twice)."""
    webhooks = (run.defs.resources or {}).get("webhooks")
    delivery = run.instance.get_run_by_id(delivery_run_id)
    if not isinstance(webhooks, WebhookResource) or delivery is None:
        return
    request = webhook_request(delivery, webhooks)
    if isinstance(request, dg.RunRequest):
        run.execute("webhooks_job", request, ("sensor", webhooks_after_delivery.name))


def _tracker(run: _Pass) -> None:
    """The tracker over every user (the daemon's tracker sensor does it per finished run)."""
    users = run.instance.get_dynamic_partitions("users")
    if users:
        run.execute("tracker_job", dg.RunRequest(tags=range_tags(users[0], users[-1])))


@dataclass(frozen=True)
class UserSummary:
    user: str
    titles: list[str]
    postings: int
    high: int
    packages: int
    email: str  # what the delivery ledger says of today: sent / written <file> / failed / dead_letter / ...
    errors: list[str]
    email_error: str = ""  # the ledger's reason when the digest was not delivered
    refused: list[str] = field(default_factory=list)  # per package refused by its grounding: first issue


def summary_rows(store: Warehouse, day: date) -> list[UserSummary]:
    """Per user: titles, postings found, High matches, packages written, today's delivery outcome."""
    titles = store.read("suggested_titles")
    postings = store.read("job_postings")
    screenings = store.read("screenings")
    packages = store.read("application_packages")
    if "write_error" in packages.columns:  # a package whose files could not be written is not one
        packages = packages.filter(pl.col("write_error").is_null())
    docs = store.read("cv_documents")
    users = sorted(set(docs["user_id"].to_list()) | set(titles["user_id"].to_list()))
    ledger = ledger_of_day(store, users, day)
    rows = []
    for user_id in users:
        errors = docs.filter((pl.col("user_id") == user_id) & (pl.col("status") == "error"))[
            "error"
        ].to_list()
        outcome = delivery_status(ledger.get(user_id, []))
        email, email_error = "-", ""
        if outcome is not None:
            email = str(outcome.status)
            if outcome.status == "written" and outcome.eml_path:
                email = f"written {outcome.eml_path}"
            elif outcome.status == "sent" and outcome.recipient:
                email = f"sent to {outcome.recipient}"
            email_error = first_line(outcome.error or "")
        mine = packages.filter(pl.col("user_id") == user_id)
        refused = _refused(mine)
        rows.append(
            UserSummary(
                user=user_id,
                titles=titles.filter(pl.col("user_id") == user_id).sort("rank")["display_title"].to_list(),
                postings=postings.filter(pl.col("user_id") == user_id)["posting_id"].n_unique(),
                high=screenings.filter((pl.col("user_id") == user_id) & (pl.col("probability") == "High"))[
                    "posting_id"
                ].n_unique(),
                packages=mine["application_id"].n_unique(),
                email=email,
                errors=errors,
                email_error=email_error,
                refused=refused,
            )
        )
    return rows


def _refused(packages: pl.DataFrame) -> list[str]:
    """The first issue of each package its grounding refused (never attached: the digest lists it, and why)."""
    if "grounded" not in packages.columns or packages.is_empty():
        return []
    bad = packages.filter(pl.col("grounded").eq(False)).unique(
        "application_id", keep="last", maintain_order=True
    )
    issues = bad["issues"].to_list() if "issues" in bad.columns else [[] for _ in range(bad.height)]
    return [first_line(i[0]) if i else "not grounded" for i in issues]


def run_failures(rows: list[UserSummary], failures: list[Failure]) -> list[Failure]:
    """What fails the pass: every failure the runs reported, except an intake that failed because the
    user's CV was refused (the user's to fix; said on the user's line), plus each digest the ledger
    says is ``failed`` or ``dead_letter`` today."""
    refused = {r.user for r in rows if r.errors}
    found = {(f.subject, f.step): f for f in failures if not (f.job == "intake_job" and f.subject in refused)}
    for r in rows:
        status = r.email.split(" ", 1)[0]
        if status in FAILED:
            reason = f"{status}: {r.email_error}" if r.email_error else status
            found.setdefault(
                (r.user, "email_digests"), Failure("delivery_job", r.user, "email_digests", reason)
            )
    return list(found.values())


def print_summary(
    store: Warehouse,
    values: Mapping[str, str],
    seconds: float,
    failures: list[Failure],
    log_path: Path | None = None,
) -> list[Failure]:
    """The operator's report: one row per user, one line per failure; returns the failures that fail
    the pass (stack traces are in the log file and the Dagster UI, not here)."""
    rows = summary_rows(store, datetime.now(UTC).date())  # the batch day is the UTC day, as scheduled
    fatal = run_failures(rows, failures)
    print()
    print(f"JobLand run finished in {seconds:.1f} s")
    print(f"{'user':<16} {'titles':>6} {'postings':>8} {'high':>5} {'packages':>8}  e-mail")
    for r in rows:
        print(f"{r.user:<16} {len(r.titles):>6} {r.postings:>8} {r.high:>5} {r.packages:>8}  {r.email}")
        if r.titles:
            print(f"{'':<16} titles: {', '.join(r.titles)}")
        for error in r.errors:
            print(f"{'':<16} CV refused: {error}")
        if r.email_error and r.email.split(" ", 1)[0] not in FAILED:
            print(f"{'':<16} e-mail waits: {r.email_error}")
        if r.refused:
            print(f"{'':<16} {len(r.refused)} of {r.packages} packages refused, not sent: {r.refused[0]}")
    if fatal:
        print()
    for failure in fatal:
        print(failure.line())
    print()
    print(
        f"DuckDB:   {store.duckdb_path}   (read-only: duckdb.connect(path, read_only=True); tables in README)"
    )
    print(f"Packages: {Path(values['JOBLAND_PACKAGES_DIR']).resolve()}")
    print(f"Outbox:   {Path(values['JOBLAND_OUTBOX_DIR']).resolve()}")
    if log_path is not None:
        print(f"Log:      {log_path}   (Dagster's events and stack traces; -v shows them here)")
    return fatal


@contextmanager
def _logging_to(path: Path, *, verbose: bool) -> Iterator[None]:
    """Python logging and everything written to stderr (Dagster's console logger, warnings, child
    processes) go to ``path``; with ``verbose`` stderr stays on the console and logging goes to both."""
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    level = root.level
    with path.open("a", encoding="utf-8") as log:
        handlers: list[logging.Handler] = [logging.StreamHandler(log)]
        if verbose:
            handlers.append(logging.StreamHandler(sys.stderr))
        for handler in handlers:
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            root.addHandler(handler)
        root.setLevel(logging.INFO)
        saved = None
        if not verbose:
            sys.stderr.flush()
            saved = os.dup(2)
            os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            if saved is not None:
                os.dup2(saved, 2)
                os.close(saved)
            for handler in handlers:
                root.removeHandler(handler)
            root.setLevel(level)


def _open_instance() -> dg.DagsterInstance:
    """The instance of ``$DAGSTER_HOME``, its storage created under a file lock: two first runs at once
    on an empty home otherwise race on the schema (two alembic heads, "table already exists")."""
    home = Path(os.environ["DAGSTER_HOME"])
    with file_lock(home / ".instance.lock"):
        instance = dg.DagsterInstance.get()
        try:  # touch every storage so its tables exist before the lock is released
            instance.get_runs(limit=1)
            instance.get_dynamic_partitions("users")
            instance.all_instigator_state()
        except BaseException:
            instance.dispose()
            raise
    return instance


def run_local(*, seed_samples: bool = True, verbose: bool = False) -> int:
    """What ``make run`` does: one pass of the sensors and schedules, executed in this process.

    One pass at a time per JobLand home (a file lock; a second ``jobland run`` waits, saying so), as
    the daemon is one. The console shows the runs and the summary; Dagster's events and stack traces
    go to ``<JOBLAND_HOME>/logs/run-<time>.log`` (``verbose``: to the console as well). A database
    that cannot be reached ends the pass with one line naming it and the reason (exit 2).
    """
    values = resolve(os.environ, SETTINGS)
    home = Path(values["JOBLAND_HOME"])
    log_path = home / "logs" / f"run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
    problem = ""
    with _logging_to(log_path, verbose=verbose):
        try:
            with run_lock(home):
                from jobland_pipeline.definitions import defs

                with _open_instance() as instance:
                    return run_once(
                        defs,
                        values,
                        seed_samples=seed_samples,
                        instance=instance,
                        log_level="DEBUG",
                        log_path=log_path,
                        # -v interleaves Dagster's log lines: a redrawn line would garble them
                        progress=ProgressLine(sys.stdout, live=False if verbose else None),
                    )
        except Exception as exc:
            logging.getLogger("jobland").exception("jobland run stopped")
            problem = _one_line(exc)
    print(f"jobland run: {problem} (details: {log_path})", file=sys.stderr)
    return 2


def _waiting(home: Path, who: str) -> None:
    print(f"Another jobland run is using {home} ({who}); waiting for it to finish", flush=True)


@contextmanager
def run_lock(home: Path) -> Iterator[None]:
    """One pass (or one ``jobland forget``) at a time per JobLand home; a second waits, saying so."""
    with file_lock(home / ".jobland-run.lock", on_wait=lambda who: _waiting(home, who)):
        yield


def forget_in_cursor(home: Path, user_id: str) -> bool:
    """Drop a forgotten user from the local pass's inbox cursor: else the next pass would report the
    user as unknown to the Dagster instance ("read again from the inbox") although they were removed."""
    path = home / STATE_FILE
    state, _ = read_state(path)
    try:
        cursor = InboxCursor.decode(state.get("cv_inbox_sensor"))
    except ValueError:
        return False  # a damaged cursor: the next pass reads the inbox again anyway
    if user_id not in cursor.users():
        return False
    state["cv_inbox_sensor"] = cursor.without_users({user_id}).encode()
    write_state(path, state)
    return True


def _one_line(exc: BaseException) -> str:
    """One line for an error that stopped the pass: the database and the driver's reason when the
    instance's storage was lost, else the error's first line."""
    reason = storage_error(exc)
    if reason is not None:
        target = storage_target(os.environ.get("DAGSTER_HOME")) or "the Dagster storage"
        return f"cannot use the Dagster storage at {target}: {reason}"
    errors = getattr(exc, "errors", None)  # a dagster.yaml Dagster refused: its first error says why
    if isinstance(errors, list) and errors and getattr(errors[0], "message", None):
        lines = str(errors[0].message).split("\n\nStack Trace:", 1)[0].splitlines()
        why = lines[-1].split("Error: ", 1)[-1] if lines else ""  # e.g. a variable that is not set
        where = Path(os.environ.get("DAGSTER_HOME", ".")) / "dagster.yaml"
        return f"{where}: {first_line(why)}"
    return f"{type(exc).__name__}: {first_line(str(exc))}"
