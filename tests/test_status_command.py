"""``jobland status`` after a real run on the samples, and ``jobland cancel`` of a queued run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest

from jobland_cli.main import main
from jobland_pipeline.batch import RunView, StageStatus, batch_status, isolated_failures
from jobland_pipeline.definitions import build_definitions
from resources import SETTINGS
from resources.settings import resolve
from sensors.local_run import run_once
from tests import hostile
from tests.conftest import SAMPLE_CVS, SAMPLE_INBOX

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["intake", "search", "screening", "research", "packages", "digest"]


class Home:
    def __init__(self, home: Path, instance: dg.DagsterInstance) -> None:
        self.home = home
        self.instance = instance
        self.env = {"JOBLAND_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    home = tmp_path_factory.mktemp("status") / "var"
    for user in SAMPLE_CVS:
        shutil.copytree(SAMPLE_INBOX / user, home / "inbox" / user)
    (home / "inbox" / "locked_user").mkdir(parents=True)
    (home / "inbox" / "locked_user" / "cv.pdf").write_bytes(hostile.encrypted_pdf())
    (home / "dagster").mkdir(parents=True)
    shutil.copy(ROOT / "dagster.yaml", home / "dagster" / "dagster.yaml")
    env = {"JOBLAND_HOME": str(home)}
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        assert (
            run_once(build_definitions(env), resolve(env, SETTINGS), seed_samples=False, instance=instance)
            == 0
        )
        yield Home(home, instance)


def _table(text: str, user: str) -> dict[str, tuple[str, str]]:
    """stage -> (state, rest of the line) from the user's block of ``jobland status``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(user + "  "))
    out = {}
    for line in lines[start + 2 : start + 2 + len(STAGES)]:
        stage, state, *rest = line.split(maxsplit=2)
        out[stage] = (state, rest[0] if rest else "")
    return out


def _jobland(
    args: list[str], home: Home, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    for key, value in home.env.items():
        monkeypatch.setenv(key, value)
    code = main(args)
    return code, capsys.readouterr().out


def test_status_after_a_run_shows_every_stage_done(
    ran: Home, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, text = _jobland(["status"], ran, capsys, monkeypatch)
    assert code == 0, text
    for user in SAMPLE_CVS:
        table = _table(text, user)
        assert list(table) == STAGES
        assert {stage: state for stage, (state, _) in table.items()} == dict.fromkeys(STAGES, "done"), text
        assert int(table["packages"][1].split()[0]) > 0  # rows the stage made today
    # The CV nobody can read: its intake failed, with the first line of the reason; nothing after it ran.
    locked = _table(text, "locked_user")
    assert locked["intake"][0] == "failed" and "No readable CV for user locked_user" in locked["intake"][1]
    assert "dagster._core" not in locked["intake"][1]  # the asset's words, not the class path
    assert locked["search"][0] == "not"  # "not run"


def test_status_of_one_user_and_another_day(
    ran: Home, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, text = _jobland(["status", "--user", "wang_fang", "--day", "2020-01-01"], ran, capsys, monkeypatch)
    assert code == 0
    assert text.startswith("wang_fang  2020-01-01")
    table = _table(text, "wang_fang")
    assert table["intake"][0] == "done"  # the profile holds (a CV read on another day)
    assert {table[s][0] for s in STAGES[1:]} == {"not"}  # nothing searched or sent that day
    assert "maria_santos" not in text


def test_cancel_cancels_a_queued_run_of_that_user_only(
    ran: Home, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A run queued the way an operator queues one: `dagster job launch` through the instance's
    # QueuedRunCoordinator (no daemon here, so it stays queued).
    launched = subprocess.run(
        [
            str(Path(sys.executable).with_name("dagster")),
            "job",
            "launch",
            "-m",
            "jobland_pipeline.definitions",
            "-a",
            "defs",
            "-j",
            "intake_job",
            "--tags",
            json.dumps({"dagster/partition": "maria_santos"}),
        ],
        env={**os.environ, **ran.env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert launched.returncode == 0, launched.stderr[-2000:]
    [mine] = ran.instance.get_runs(
        dg.RunsFilter(statuses=[dg.DagsterRunStatus.QUEUED], tags={"dagster/partition": "maria_santos"})
    )
    job = build_definitions({"JOBLAND_HOME": str(ran.home)}).resolve_job_def("intake_job")
    theirs = ran.instance.create_run_for_job(
        job, status=dg.DagsterRunStatus.NOT_STARTED, tags={"dagster/partition": "emma_clarke"}
    )
    code, text = _jobland(["status", "--user", "maria_santos"], ran, capsys, monkeypatch)
    assert _table(text, "maria_santos")["intake"][0] == "queued"

    code, text = _jobland(["cancel", "--user", "maria_santos"], ran, capsys, monkeypatch)
    assert code == 0
    assert text.strip() == f"maria_santos: run {mine.run_id[:8]} intake_job: canceled (was queued)"
    run = ran.instance.get_run_by_id(mine.run_id)
    assert run is not None and run.status == dg.DagsterRunStatus.CANCELED
    other = ran.instance.get_run_by_id(theirs.run_id)
    assert other is not None and other.status == dg.DagsterRunStatus.NOT_STARTED

    # The canceled run never started: the intake that ran before it still tells the state.
    code, text = _jobland(["status", "--user", "maria_santos"], ran, capsys, monkeypatch)
    assert _table(text, "maria_santos")["intake"][0] == "done"
    code, text = _jobland(["cancel", "--user", "maria_santos"], ran, capsys, monkeypatch)
    assert text.strip() == "maria_santos: no queued or running run"
    ran.instance.report_run_canceled(other)


def test_a_running_step_and_an_isolated_failure() -> None:
    now = datetime.now(UTC)
    running = RunView(
        "r1",
        "search_job",
        "STARTED",
        frozenset({"ann", "bob"}),
        now,
        steps={"job_postings": "SUCCESS", "screenings": "RUNNING"},
        key_failures={"job_postings": {"ann::nurse": "EngineError: every engine failed\nTraceback..."}},
        assets=frozenset({"job_postings", "screenings", "company_dossiers", "application_packages"}),
    )
    [_, search, screening, research, packages, _] = batch_status("ann", now.date(), [running], {})
    assert search == StageStatus("search", "failed", "ann::nurse: EngineError: every engine failed", "r1")
    assert (screening.state, research.state, packages.state) == ("running", "queued", "queued")
    bob = batch_status("bob", now.date(), [running], {})
    assert bob[1].state == "done"
    assert batch_status("ann", date(2020, 1, 1), [running], {})[1].state == "not run"


def test_unknown_user_id_is_refused(
    ran: Home, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in ran.env.items():
        monkeypatch.setenv(key, value)
    assert main(["cancel", "--user", "../etc"]) == 2
    assert "jobland:" in capsys.readouterr().err
    assert os.environ["DAGSTER_HOME"] == ran.env["DAGSTER_HOME"]


def test_failure_metadata_of_either_shape() -> None:
    found = isolated_failures(
        {
            "searches_failed": {"ann::nurse": "EngineError: boom"},
            "packages_failed": [
                {"user": "ann", "posting": "gh-1", "reason": "OSError: [Errno 28] No space left on device"},
                {"user": None, "posting": "x"},
            ],
            "users_failed": None,
        }
    )
    assert found == {
        "ann::nurse": "EngineError: boom",
        "ann::gh-1": "OSError: [Errno 28] No space left on device",
    }
    now = datetime.now(UTC)
    run = RunView(
        "r2",
        "search_job",
        "SUCCESS",
        frozenset({"ann"}),
        now,
        steps=dict.fromkeys(
            ["job_postings", "screenings", "company_dossiers", "application_packages"], "SUCCESS"
        ),
        key_failures={"application_packages": {"ann::gh-1": found["ann::gh-1"]}},
        assets=frozenset({"job_postings", "screenings", "company_dossiers", "application_packages"}),
    )
    packages = batch_status("ann", now.date(), [run], {})[4]
    assert (packages.stage, packages.state) == ("packages", "failed")
    assert packages.reason == "ann::gh-1: OSError: [Errno 28] No space left on device"


def test_the_ui_sees_the_same_status_and_runs_are_tagged_by_day_and_user(
    ran: Home, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tracker run writes what `jobland status` prints into the batch_status asset (its partition
    page and the DuckDB view), and every run carries the day and its user(s) as tags."""
    import duckdb

    from assets.partitions import DAY_TAG, USER_TAG, USERS_TAG

    _, text = _jobland(["status"], ran, capsys, monkeypatch)
    today = datetime.now(UTC).date()  # run tags and batch_status days are UTC days
    con = duckdb.connect(str(ran.home / "jobland.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT user_id, stage, state, detail FROM batch_status WHERE day = ? ORDER BY user_id, position",
        [today],
    ).fetchall()
    con.close()
    for user in [*SAMPLE_CVS, "locked_user"]:
        mine = [(stage, state, detail) for u, stage, state, detail in rows if u == user]
        assert [m[0] for m in mine] == STAGES
        printed = _table(text, user)
        assert [m[1].split()[0] for m in mine] == [printed[s][0] for s in STAGES]
    locked = {stage: (state, detail) for u, stage, state, detail in rows if u == "locked_user"}
    assert locked["intake"][0] == "failed" and "No readable CV for user locked_user" in locked["intake"][1]
    # the partition's page in the UI: its own status table
    [event] = ran.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("batch_status"), asset_partitions=["locked_user"]),
        limit=1,
    ).records
    page = event.asset_materialization.metadata  # type: ignore[union-attr]
    assert page["failed_stages"].value == 1 and "No readable CV" in str(page["status"].value)
    # run tags: the day on every run, the user on one-user runs, the users on batch runs
    from sensors.run_health import PROCESS_TAG

    runs = [r.dagster_run for r in ran.instance.get_run_records() if PROCESS_TAG in r.dagster_run.tags]
    assert runs and {r.tags.get(DAY_TAG) for r in runs} == {today.isoformat()}
    intakes = [r for r in runs if r.job_name == "intake_job"]
    assert sorted(r.tags[USER_TAG] for r in intakes) == sorted([*SAMPLE_CVS, "locked_user"])
    [search] = [r for r in runs if r.job_name == "search_job"]
    assert sorted(search.tags[USERS_TAG].split(",")) == sorted(SAMPLE_CVS)


def test_a_failed_run_requests_a_tracker_run_for_its_users(ran: Home) -> None:
    """The failed intake of the unreadable CV refreshes that user's batch status (through the tracker job)."""
    from assets.partitions import DAY_TAG, RANGE_END_TAG, RANGE_START_TAG, USER_TAG
    from sensors.tracker import tracker_after_failed_runs

    [record] = ran.instance.get_run_records(
        dg.RunsFilter(job_name="intake_job", statuses=[dg.DagsterRunStatus.FAILURE])
    )
    run = record.dagster_run
    [failure] = ran.instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE).records
    assert failure.event_log_entry.dagster_event is not None
    with dg.build_run_status_sensor_context(
        sensor_name=tracker_after_failed_runs.name,
        dagster_event=failure.event_log_entry.dagster_event,
        dagster_instance=ran.instance,
        dagster_run=run,
    ) as ctx:
        request = tracker_after_failed_runs(ctx.for_run_failure())
    assert isinstance(request, dg.RunRequest)
    assert request.run_key == f"tracker-after:{run.run_id}"
    assert request.tags[RANGE_START_TAG] == request.tags[RANGE_END_TAG] == "locked_user"
    assert (
        request.tags[USER_TAG] == "locked_user"
        and request.tags[DAY_TAG] == datetime.now(UTC).date().isoformat()
    )


def test_a_day_that_is_not_a_date_is_said_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from jobland_cli import main as jobland

    with pytest.raises(SystemExit) as exit_:
        jobland(["status", "--day", "yesterday"])
    assert exit_.value.code == 2
    assert "'yesterday' is not a date (YYYY-MM-DD)" in capsys.readouterr().err
