"""Forgetting a user: after it, nothing of theirs remains (rows, packages, e-mails, partitions), and
the other users' data is untouched. Also the path a user takes by leaving: their inbox folder goes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import dagster as dg
import duckdb
import polars as pl
import pytest

from jobland_cli import main as jobland
from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.inbox_cursor import InboxCursor
from jobland_pipeline.warehouse import Warehouse
from resources import SETTINGS, LocalInboxResource
from resources.settings import resolve
from sensors.cv_inbox import cv_inbox_sensor
from sensors.local_run import run_once
from tests.conftest import SAMPLE_INBOX

USERS = ("maria_santos", "emma_clarke")


def _mentions(store: Warehouse, user: str) -> dict[str, int]:
    """Rows of any table where any text (or list of texts) names the user."""
    found: dict[str, int] = {}
    for path in store.root.rglob("*.parquet"):
        df = pl.read_parquet(path)
        hits = 0
        for name, dtype in df.schema.items():
            column = df[name]
            if dtype == pl.List(pl.String):
                column = column.list.join("|")
            elif dtype != pl.String:
                continue
            hits += int(column.fill_null("").str.contains(user, literal=True).sum())
        if hits:
            found[str(path.relative_to(store.root))] = hits
    return found


def _copied_mentions(duckdb_path: Path, user: str) -> dict[str, int]:
    """Rows of the DuckDB file's own tables (the search index's copy of the postings, not the views
    over Parquet) where any text or list of texts names the user."""
    found: dict[str, int] = {}
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
        for schema, table in tables:
            cursor = con.execute(f'SELECT * FROM "{schema}"."{table}"')
            hits = sum(user in repr(row) for row in cursor.fetchall())
            if hits:
                found[f"{schema}.{table}"] = hits
    return found


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    home = tmp_path_factory.mktemp("forget") / "var"
    for user in USERS:
        shutil.copytree(SAMPLE_INBOX / user, home / "inbox" / user)
    env = {"JOBLAND_HOME": str(home)}
    values = resolve(env, SETTINGS)
    with dg.instance_for_test() as instance:
        assert run_once(build_definitions(env), values, seed_samples=False, instance=instance) == 0
        store = Warehouse(Path(values["JOBLAND_WAREHOUSE_DIR"]), Path(values["JOBLAND_DUCKDB_PATH"]))
        yield {"home": home, "env": env, "values": values, "instance": instance, "store": store}


def test_leaving_the_inbox_deletes_the_partitions_and_starts_the_forget_run(world: dict[str, object]) -> None:
    home, instance = Path(str(world["home"])), world["instance"]
    assert isinstance(instance, dg.DagsterInstance)
    duckdb_path = Path(world["values"]["JOBLAND_DUCKDB_PATH"])  # type: ignore[index]
    assert "main.posting_search" in _copied_mentions(duckdb_path, "emma_clarke")  # indexed for search
    state = json.loads((home / "local_run_state.json").read_text())
    assert [p for p in (home / "outbox" / ".claims").rglob("*") if p.name == "emma_clarke.json"]
    shutil.rmtree(home / "inbox" / "emma_clarke")
    inbox = LocalInboxResource(path=str(home / "inbox"))
    with dg.build_sensor_context(
        instance=instance, cursor=state["cv_inbox_sensor"], resources={"inbox": inbox}
    ) as ctx:
        result = cv_inbox_sensor(ctx)
    assert isinstance(result, dg.SensorResult)
    deletes = [
        r
        for r in result.dynamic_partitions_requests or []
        if isinstance(r, dg.DeleteDynamicPartitionsRequest)
    ]
    deleted = {(r.partitions_def_name, k) for r in deletes for k in r.partition_keys or []}
    emma_searches = [k for k in instance.get_dynamic_partitions("searches") if k.startswith("emma_clarke::")]
    assert emma_searches and deleted == {("users", "emma_clarke")} | {("searches", k) for k in emma_searches}
    [run] = result.run_requests or []
    assert run.job_name == "forget_job"
    assert run.run_config == {"ops": {"forget_user_op": {"config": {"user_id": "emma_clarke"}}}}
    # The run the sensor asks for removes everything of hers.
    defs = build_definitions(world["env"])  # type: ignore[arg-type]
    assert (
        defs.resolve_job_def("forget_job")
        .execute_in_process(run_config=run.run_config, instance=instance)
        .success
    )
    store = world["store"]
    assert isinstance(store, Warehouse)
    assert _mentions(store, "emma_clarke") == {}
    assert _copied_mentions(duckdb_path, "emma_clarke") == {}  # the search index was rebuilt without her
    assert "main.posting_search" in _copied_mentions(duckdb_path, "maria_santos")
    assert not list((home / "outbox" / ".claims").rglob("emma_clarke*"))  # files and folders
    assert [p for p in (home / "outbox" / ".claims").rglob("*") if p.name == "maria_santos.json"]
    assert not (home / "packages" / "emma_clarke").exists()
    assert not list((home / "outbox").glob("*/emma_clarke.eml"))
    # Maria's data is all still there.
    assert store.read("profiles")["user_id"].to_list() == ["maria_santos"]
    assert store.read("screenings").height > 0 and set(store.read("screenings")["user_id"]) == {
        "maria_santos"
    }
    assert list((home / "outbox").glob("*/maria_santos.eml"))


def test_jobland_forget_removes_a_user_on_request(
    world: dict[str, object], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = Path(str(world["home"]))
    for name, value in dict(world["env"]).items():  # type: ignore[call-overload]
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert jobland(["forget", "maria_santos"]) == 2  # refuses without --yes
    assert "--yes" in capsys.readouterr().err
    assert jobland(["forget", "maria_santos", "--yes"]) == 0
    assert "maria_santos: removed" in capsys.readouterr().out
    store = world["store"]
    assert isinstance(store, Warehouse)
    assert _mentions(store, "maria_santos") == {}
    assert _copied_mentions(Path(world["values"]["JOBLAND_DUCKDB_PATH"]), "maria_santos") == {}  # type: ignore[index]
    assert (
        not (home / "inbox" / "maria_santos").exists() and not (home / "packages" / "maria_santos").exists()
    )
    assert not list((home / "outbox").glob("*/maria_santos.eml"))
    assert not list((home / "outbox" / ".claims").rglob("maria_santos*"))  # delivery claims too
    # ... and the local pass's inbox cursor: the next pass does not take her for a lost user.
    state = json.loads((home / "local_run_state.json").read_text())
    assert "maria_santos" not in InboxCursor.decode(state["cv_inbox_sensor"]).users()


def test_a_search_index_that_cannot_be_rebuilt_is_said_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    """The rows are gone when the rebuild runs: its failure must not stop what follows (claims,
    partitions), and the summary says the index still names the user."""
    from jobland_pipeline.warehouse.forget import Forgotten, _rebuild_index

    class FullDisk:
        def publish_views(self) -> bool:
            raise OSError("No space left on device")

    report = Forgotten("ana", rows={"profiles": 1})
    report.index_rebuilt = _rebuild_index(FullDisk(), report)  # type: ignore[arg-type]
    assert report.index_rebuilt is False
    assert "No space left on device" in caplog.text
    assert "search index could not be rebuilt" in report.summary() and "still names them" in report.summary()


def test_forgetting_a_user_keeps_the_user_whose_id_extends_theirs_with_a_double_underscore(
    tmp_path: Path,
) -> None:
    """ "ana__bob" is a user of their own (ids may hold "__", the file form of "::"): forgetting "ana"
    removes ana's profile and searches, never ana__bob's files."""
    from jobland_pipeline.warehouse.forget import forget_user

    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    for user in ("ana", "ana__bob"):
        store.write_partition("profiles", user, [{"user_id": user, "name": user}])
        for slug in ("bob", "chef"):
            key = f"{user}::{slug}"
            store.write_partition(
                "job_postings", key, [{"search_key": key, "user_id": user, "posting_id": "p1"}]
            )
    report = forget_user(store, "ana")
    left = sorted(PurePosixPath(k).name for t in ("profiles", "job_postings") for k in store.files(t))
    assert left == ["ana__bob.parquet", "ana__bob__bob.parquet", "ana__bob__chef.parquet"]
    assert report.rows == {**report.rows, "profiles": 1, "job_postings": 2}
    assert store.read("profiles")["user_id"].to_list() == ["ana__bob"]


def _run(instance: dg.DagsterInstance, job: str, tags: dict[str, str]) -> dg.DagsterRun:
    """A run in progress, as the daemon's would be while a user is forgotten."""
    return instance.add_run(dg.DagsterRun(job_name=job, status=dg.DagsterRunStatus.STARTED, tags=tags))


def test_the_runs_that_may_write_a_forgotten_users_rows_are_told_apart() -> None:
    from assets.partitions import USER_TAG, USERS_TAG, range_tags
    from sensors.forget import partition_keys, runs_in_the_way

    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", ["ana", "bo", "cy"])
        instance.add_dynamic_partitions("searches", ["ana::nurse", "bo::chef", "bo::cook", "cy::pilot"])
        known = partition_keys(instance)
        # batch runs as the schedules launch them: a range of keys, and the users they hold
        over_ana = _run(instance, "search_job", {**range_tags("ana::nurse", "bo::chef"), USERS_TAG: "ana,bo"})
        over_bo_cy = _run(instance, "search_job", {**range_tags("bo::cook", "cy::pilot"), USERS_TAG: "bo,cy"})
        unnamed_range = _run(instance, "search_job", range_tags("bo::cook", "cy::pilot")).run_id
        bo_intake = _run(instance, "intake_job", {USER_TAG: "bo", "dagster/partition": "bo"}).run_id
        unnamed = _run(instance, "tracker_job", {}).run_id
        _run(instance, "forget_job", {USER_TAG: "ana"})  # another forget never blocks one
        named = _run(instance, "delivery_job", {USERS_TAG: "ana,cy"}).run_id
        cut = _run(instance, "delivery_job", {USERS_TAG: "bo,+2 more"}).run_id
        done = instance.add_run(
            dg.DagsterRun(job_name="search_job", status=dg.DagsterRunStatus.SUCCESS, tags={USER_TAG: "ana"})
        )
        ana = {over_ana.run_id, unnamed_range, unnamed, named, cut}  # a range naming no one may hold anyone
        assert set(runs_in_the_way(instance, "ana", known)) == ana
        assert set(runs_in_the_way(instance, "bo", known)) == {
            over_ana.run_id,
            over_bo_cy.run_id,
            unnamed_range,
            bo_intake,
            unnamed,
            cut,
        }
        assert done.run_id not in runs_in_the_way(instance, "ana", None)
        # Once ana's keys are gone (a second forget, or the sensor deleted them) ranges are judged by
        # the users they name.
        instance.delete_dynamic_partition("searches", "ana::nurse")
        assert set(runs_in_the_way(instance, "ana", None)) == ana
        assert set(runs_in_the_way(instance, "ana", partition_keys(instance))) == ana
        assert over_ana.run_id not in runs_in_the_way(
            instance, "ana", None, exclude=frozenset({over_ana.run_id})
        )


def _forget_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dg.DagsterInstance:
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home))
    monkeypatch.setenv("JOBLAND_HOME", str(tmp_path / "var"))
    (tmp_path / "var" / "packages" / "ana").mkdir(parents=True)
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions("users", ["ana", "bo"])
    instance.add_dynamic_partitions("searches", ["ana::nurse", "bo::chef"])
    return instance


def test_jobland_forget_waits_for_a_run_that_may_write_the_users_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import threading

    from assets.partitions import range_tags

    with _forget_world(tmp_path, monkeypatch) as instance:
        run = _run(instance, "search_job", range_tags("ana::nurse", "bo::chef"))
        ends = threading.Timer(1.0, lambda: instance.report_run_failed(run))
        ends.start()
        try:
            assert jobland(["forget", "ana", "--yes", "--wait", "30"]) == 0
        finally:
            ends.cancel()
        out = capsys.readouterr().out
        assert "ana: waiting up to 30 s for 1 run(s) in progress" in out and "ana: removed" in out
        assert list(instance.get_dynamic_partitions("users")) == ["bo"]
        assert list(instance.get_dynamic_partitions("searches")) == ["bo::chef"]
        assert not (tmp_path / "var" / "packages" / "ana").exists()


def test_jobland_forget_says_when_a_run_may_still_write_the_users_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assets.partitions import USER_TAG

    with _forget_world(tmp_path, monkeypatch) as instance:
        run = _run(instance, "intake_job", {USER_TAG: "ana", "dagster/partition": "ana"})
        _run(instance, "intake_job", {USER_TAG: "bo", "dagster/partition": "bo"})  # not hers
        assert jobland(["forget", "ana", "--yes", "--wait", "0.2"]) == 1
        captured = capsys.readouterr()
        assert "ana: removed" in captured.out  # what could be removed was
        [line] = captured.err.strip().splitlines()
        assert line == (
            f"ana: 1 run(s) that may write their rows were still in progress ({run.run_id[:8]}); "
            "forget ana again once they end"
        )
        assert not (tmp_path / "var" / "packages" / "ana").exists()
        assert list(instance.get_dynamic_partitions("users")) == ["bo"]


def test_jobland_forget_does_not_wait_for_a_run_whose_process_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A killed pass left its run STARTED: forget marks it failed (as the next pass would) and goes on."""
    import subprocess
    import sys

    from assets.partitions import USER_TAG
    from jobland_pipeline.local_state import process_token
    from sensors.run_health import PROCESS_TAG

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.2)"])
    token = process_token(child.pid)
    child.wait()
    with _forget_world(tmp_path, monkeypatch) as instance:
        run = _run(instance, "intake_job", {USER_TAG: "ana", PROCESS_TAG: token})
        assert jobland(["forget", "ana", "--yes", "--wait", "30"]) == 0
        out = capsys.readouterr().out
        assert f"intake_job {run.run_id[:8]} (STARTED): its process ({child.pid}) no longer exists" in out
        assert "waiting" not in out
        status = instance.get_run_by_id(run.run_id)
        assert status is not None and status.status == dg.DagsterRunStatus.FAILURE


def test_forget_job_from_the_launchpad_deletes_the_users_partitions_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _forget_world(tmp_path, monkeypatch) as instance:
        defs = build_definitions({"JOBLAND_HOME": str(tmp_path / "var")})
        config = {"ops": {"forget_user_op": {"config": {"user_id": "ana"}}}}
        assert (
            defs.resolve_job_def("forget_job")
            .execute_in_process(run_config=config, instance=instance)
            .success
        )
        assert list(instance.get_dynamic_partitions("users")) == ["bo"]
        assert list(instance.get_dynamic_partitions("searches")) == ["bo::chef"]
        assert not (tmp_path / "var" / "packages" / "ana").exists()
