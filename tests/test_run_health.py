"""`jobland run` heals its own state and reports each failure in one line.

Real parts only: the local runner on a real SQLite Dagster home, `jobland run` as a subprocess, child
processes killed with SIGKILL at a chosen point, the machine's Postgres on a wrong port or database.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.delivery.review import record_decision
from jobland_pipeline.local_state import read_state, write_state
from jobland_pipeline.warehouse import Warehouse
from resources import SETTINGS
from resources.settings import resolve
from sensors.local_run import run_once
from sensors.run_health import mark_dead_runs
from tests.conftest import SAMPLE_INBOX
from tests.test_postgres import database  # noqa: F401 - the fixture: a new database, dropped after

ROOT = Path(__file__).resolve().parent.parent
USER = "emma_clarke"  # a text CV: the quickest intake


def _inbox(home: Path, users: list[str], *, auto_approve: bool = True) -> None:
    for user in users:
        shutil.copytree(SAMPLE_INBOX / user, home / "inbox" / user)
        if not auto_approve:
            (home / "inbox" / user / "settings.yaml").write_text("auto_approve: false\n")


def _env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a `jobland run` subprocess: this machine's, without our settings, plus these."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("JOBLAND_", "DAGSTER_"))}
    return {**base, "JOBLAND_HOME": str(home), **extra}


def _jobland_run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobland_cli", "run", "--no-samples", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )


def _pass(home: Path, instance: dg.DagsterInstance, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    env = {"JOBLAND_HOME": str(home)}
    code = run_once(build_definitions(env), resolve(env, SETTINGS), seed_samples=False, instance=instance)
    return code, capsys.readouterr().out


def _store(home: Path) -> Warehouse:
    values = resolve({"JOBLAND_HOME": str(home)}, SETTINGS)
    return Warehouse(Path(values["JOBLAND_WAREHOUSE_DIR"]), Path(values["JOBLAND_DUCKDB_PATH"]))


def _written_today(home: Path) -> pl.DataFrame:
    ledger = _store(home).read("email_digests")
    return ledger.filter((pl.col("status") == "written") & (pl.col("digest_date") == date.today()))


# --- the state file -------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b'{"cv_inbox_sensor": "z1:eNpV', b"[1, 2]", b"\xff\xfe\x00"])
def test_a_damaged_state_file_reads_as_absent_with_a_warning(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "local_run_state.json"
    path.write_bytes(content)
    (tmp_path / ".local_run_state.json.abc.tmp").write_bytes(b"half")  # left by a killed write
    state, warning = read_state(path)
    assert state == {}
    assert warning is not None and str(path) in warning and "damaged" in warning
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_state_file_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "local_run_state.json"
    write_state(path, {"cv_inbox_sensor": "a"})
    write_state(path, {"cv_inbox_sensor": "b", "search_partitions_sensor": "c"})
    assert json.loads(path.read_text()) == {"cv_inbox_sensor": "b", "search_partitions_sensor": "c"}
    assert [p.name for p in tmp_path.iterdir()] == ["local_run_state.json"]
    assert read_state(path) == ({"cv_inbox_sensor": "b", "search_partitions_sensor": "c"}, None)


# --- one first pass, copied for each case -----------------------------------------------------------


@pytest.fixture(scope="module")
def first_pass(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A home after one pass over Emma, whose packages wait for review (no digest yet)."""
    home = tmp_path_factory.mktemp("first") / "var"
    _inbox(home, [USER], auto_approve=False)
    env = {"JOBLAND_HOME": str(home)}
    (home / "dagster").mkdir(parents=True)
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        assert (
            run_once(build_definitions(env), resolve(env, SETTINGS), seed_samples=False, instance=instance)
            == 0
        )
    assert _written_today(home).is_empty()
    assert _store(home).read("application_packages").height > 0
    yield home


def _copy(first_pass: Path, tmp_path: Path) -> Path:
    home = tmp_path / "var"
    shutil.copytree(first_pass, home)
    return home


def _approve_all(home: Path) -> int:
    store = _store(home)
    ids = sorted(set(store.read("application_packages")["application_id"].to_list()))
    for application_id in ids:
        record_decision(store, application_id, "approved", reviewer="test")
    return len(ids)


@pytest.mark.slow
def test_a_pass_with_an_empty_state_file_warns_and_runs(
    first_pass: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = _copy(first_pass, tmp_path)
    (home / "local_run_state.json").write_bytes(b"")  # what a failed in-place write (ENOSPC) left
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        code, out = _pass(home, instance, capsys)
    assert code == 0, out
    assert f"WARNING: {home / 'local_run_state.json'} was damaged (empty)" in out
    state = json.loads((home / "local_run_state.json").read_text())
    assert state["cv_inbox_sensor"].startswith("z1:") and state["search_partitions_sensor"]


@pytest.mark.slow
def test_a_lost_dagster_home_is_rebuilt_and_digests_resume(
    first_pass: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = _copy(first_pass, tmp_path)
    assert _approve_all(home) >= 1  # the reviewer approves: the next pass must e-mail them
    shutil.rmtree(home / "dagster")  # ...but the Dagster home was lost meanwhile
    (home / "dagster").mkdir()
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        code, out = _pass(home, instance, capsys)
        assert instance.get_dynamic_partitions("users") == [USER]
        searches = instance.get_dynamic_partitions("searches")
    assert code == 0, out
    assert f"Reconciled with the Dagster instance: the Dagster instance does not know {USER}" in out
    titles = _store(home).read("suggested_titles")
    assert sorted(searches) == sorted(titles["search_key"].unique().to_list())
    written = _written_today(home)
    assert written["user_id"].to_list() == [USER]
    eml = Path(written["eml_path"][0])
    assert eml.is_file() and eml.name == f"{USER}.eml"
    assert f"written {eml}" in out


@pytest.mark.slow
def test_a_failed_delivery_is_a_failed_pass_in_one_line(
    first_pass: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = _copy(first_pass, tmp_path)
    _approve_all(home)
    with socket.socket() as probe:  # a port nothing listens on: the SMTP connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "JOBLAND_HOME": str(home),
        "JOBLAND_SMTP_HOST": "127.0.0.1",
        "JOBLAND_SMTP_PORT": str(port),
        "JOBLAND_SMTP_SECURITY": "none",
        "JOBLAND_SMTP_RETRIES": "0",
    }
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        code = run_once(build_definitions(env), resolve(env, SETTINGS), seed_samples=False, instance=instance)
    out = capsys.readouterr().out
    assert code == 1, out
    ledger = _store(home).read("email_digests").filter(pl.col("digest_date") == date.today())
    status = ledger.sort("recorded_at")["status"].to_list()[-1]
    assert status in ("failed", "dead_letter")
    row = next(line for line in out.splitlines() if line.startswith(USER))
    assert row.split()[-1] == status and "sending" not in row
    [failure] = [line for line in out.splitlines() if line.startswith("FAILED")]
    assert failure.startswith(f"FAILED {USER} email_digests: {status}")


# --- `jobland run` as the operator sees it ----------------------------------------------------------


@pytest.mark.slow
def test_packages_that_cannot_be_written_fail_the_run_one_line_each(tmp_path: Path) -> None:
    home = tmp_path / "var"
    _inbox(home, [USER])
    (home / "packages").write_text("a file where the packages folder should be\n")
    result = _jobland_run(_env(home))
    console = result.stdout + result.stderr
    assert result.returncode == 1, console
    failures = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert failures, console
    for line in failures:
        assert line.startswith(f"FAILED {USER}") and " application_packages" in line, line
        assert "Not a directory" in line, line
    assert "Traceback" not in console and "DEBUG" not in console
    log = Path(next(line.split()[1] for line in result.stdout.splitlines() if line.startswith("Log:")))
    assert log.parent == home / "logs" and "Not a directory" in log.read_text()
    assert " - DEBUG - " in log.read_text()  # Dagster's events are in the log, not on the console


@pytest.mark.slow
def test_two_first_runs_at_once_on_an_empty_home_each_user_one_digest(tmp_path: Path) -> None:
    home = tmp_path / "var"
    _inbox(home, [USER])
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "jobland_cli", "run", "--no-samples"],
            env=_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=900) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out + err
        assert "Traceback" not in out + err
    assert _written_today(home)["user_id"].to_list() == [USER]
    assert [p.name for p in (home / "outbox").rglob("*.eml")] == [f"{USER}.eml"]
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        assert instance.get_dynamic_partitions("users") == [USER]
        assert not instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE]))


@pytest.mark.slow
def test_a_killed_pass_does_not_redo_the_intakes_it_finished(tmp_path: Path) -> None:
    home = tmp_path / "var"
    _inbox(home, ["daniel_okafor", USER])  # intakes in this order
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobland_cli", "run", "--no-samples"],
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    second = home / "warehouse" / "cv_documents" / f"{USER}.parquet"
    deadline = time.monotonic() + 600
    while not second.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # Daniel's intake finished, Emma's is under way
    proc.wait()
    result = _jobland_run(_env(home))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "intake_job    daniel_okafor" not in result.stdout
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        intakes = instance.get_runs(
            dg.RunsFilter(job_name="intake_job", tags={"dagster/partition": "daniel_okafor"})
        )
        assert [r.status for r in intakes] == [dg.DagsterRunStatus.SUCCESS]
        assert not instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
    assert sorted(_written_today(home)["user_id"].to_list()) == ["daniel_okafor", USER]


# --- runs left STARTED by a killed process ----------------------------------------------------------

STUCK = """
import sys, time, warnings
from pathlib import Path
warnings.filterwarnings("ignore")
import dagster as dg
from sensors.local_run import _Pass

@dg.op
def wait() -> None:
    Path(sys.argv[2]).write_text("started")
    time.sleep(600)

@dg.job
def stuck() -> None:
    wait()

defs = dg.Definitions(jobs=[stuck])
with dg.DagsterInstance.get() as instance:
    if sys.argv[1] == "jobland":  # as `jobland run` runs it (tagged with its process)
        _Pass(defs, instance, Path(sys.argv[2] + ".state"), {}).execute("stuck", dg.RunRequest())
    else:  # as any in-process run (only its engine events name the pid)
        stuck.execute_in_process(instance=instance)
"""


def test_runs_left_started_by_a_killed_process_are_marked_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", dagster_home / "dagster.yaml")  # the queued run coordinator
    env = {**_env(tmp_path / "var"), "DAGSTER_HOME": str(dagster_home)}
    procs = []
    for how in ("jobland", "plain"):
        marker = tmp_path / how
        procs.append(subprocess.Popen([sys.executable, "-c", STUCK, how, str(marker)], env=env, cwd=ROOT))
        deadline = time.monotonic() + 300
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists()
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        started = instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        assert len(started) == 2
        assert mark_dead_runs(instance) == []  # their processes are alive: left alone
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert len(instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))) == 2
        home = tmp_path / "var"
        code, out = _pass(home, instance, capsys)  # the next start
        assert code == 0, out
        assert out.count("Marked failed (left in progress by a process that is gone): stuck") == 2
        runs = instance.get_runs(dg.RunsFilter(run_ids=[r.run_id for r in started]))
        assert [r.status for r in runs] == [dg.DagsterRunStatus.FAILURE] * 2
        assert not instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        for run in runs:
            [failure] = [
                e
                for e in instance.all_logs(run.run_id)
                if e.dagster_event_type == dg.DagsterEventType.RUN_FAILURE
            ]
            assert "no longer exists" in (failure.message or "")


# --- Postgres -------------------------------------------------------------------------------------


def _postgres_reachable() -> None:
    try:
        import psycopg2

        psycopg2.connect(
            host="127.0.0.1", port=5432, user="postgres", dbname="test", connect_timeout=3
        ).close()
    except Exception as exc:
        if os.environ.get("CI") == "true":
            raise  # CI must exercise Postgres
        pytest.skip(f"Postgres not reachable on 127.0.0.1:5432 ({str(exc).strip()})")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("port", "db", "reason"),
    [
        (0, "test", "Connection refused"),  # 0: a port nothing listens on
        (5432, "jobland_no_such_db", 'database "jobland_no_such_db" does not exist'),
    ],
)
def test_unreachable_postgres_is_one_line_naming_it(tmp_path: Path, port: int, db: str, reason: str) -> None:
    _postgres_reachable()
    port = port or _closed_port()
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    shutil.copy(ROOT / "dagster.postgres.yaml", dagster_home / "dagster.yaml")
    env = _env(
        tmp_path / "var",
        DAGSTER_HOME=str(dagster_home),
        DAGSTER_PG_HOST="127.0.0.1",
        DAGSTER_PG_PORT=str(port),
        DAGSTER_PG_DB=db,
        DAGSTER_PG_USERNAME=os.environ.get("PGUSER", "postgres"),
        DAGSTER_PG_PASSWORD="",
    )
    result = _jobland_run(env)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 2
    assert len(lines) == 1, lines
    assert f"127.0.0.1:{port}/{db}" in lines[0] and reason in lines[0], lines[0]
    log = Path(lines[0].rsplit("(details: ", 1)[1].rstrip(")"))
    assert "too many retries" in log.read_text()


class _Proxy:
    """A TCP forwarder to the Postgres server that can be cut: the database lost in the middle of a run."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        import threading

        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.sockets: list[socket.socket] = []
        self.closed = False
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            with self.lock:
                if self.closed:
                    client.close()
                    server.close()
                    return
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for s in (source, target):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def cut(self) -> None:
        self.listener.close()
        with self.lock:
            self.closed = True
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_lost_mid_run_is_one_line_and_the_next_run_heals(
    tmp_path: Path,
    database: str,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    shutil.copy(ROOT / "dagster.postgres.yaml", dagster_home / "dagster.yaml")
    home = tmp_path / "var"
    _inbox(home, ["daniel_okafor", USER])  # intakes in this order
    proxy = _Proxy(("127.0.0.1", 5432))
    pg = {
        "DAGSTER_HOME": str(dagster_home),
        "DAGSTER_PG_HOST": "127.0.0.1",
        "DAGSTER_PG_DB": database,
        "DAGSTER_PG_USERNAME": os.environ.get("PGUSER", "postgres"),
        "DAGSTER_PG_PASSWORD": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobland_cli", "run", "--no-samples"],
        env=_env(home, **pg, DAGSTER_PG_PORT=str(proxy.port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    second = home / "warehouse" / "cv_documents" / f"{USER}.parquet"
    deadline = time.monotonic() + 600
    while not second.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proxy.cut()  # Daniel's intake finished, Emma's is under way: the database goes away
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 2, out + err
    assert "Traceback" not in out + err
    [line] = err.strip().splitlines()
    assert line.startswith(
        f"jobland run: cannot use the Dagster storage at 127.0.0.1:{proxy.port}/{database}: "
    )
    # The database is back (here: reached directly): the run left STARTED is failed, Daniel is not redone.
    result = _jobland_run(_env(home, **pg, DAGSTER_PG_PORT="5432"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Marked failed (left in progress by a process that is gone): intake_job" in result.stdout
    assert "intake_job    daniel_okafor" not in result.stdout
    for key, value in {**pg, "DAGSTER_PG_PORT": "5432"}.items():
        monkeypatch.setenv(key, value)
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        assert not instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
    assert sorted(_written_today(home)["user_id"].to_list()) == ["daniel_okafor", USER]
