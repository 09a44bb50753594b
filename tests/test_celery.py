"""The daily search batch on Celery workers: two workers on RabbitMQ, the warehouse and the packages on
S3 (moto's server on loopback), Dagster's instance on Postgres with the queued run coordinator.

Each worker has its own JOBLAND_HOME, as a worker on another machine would: only S3, RabbitMQ and
Postgres are shared. The batch's steps are split across both workers (the hostname each step ran on
is in the step's engine event), and every row of the batch is in the warehouse exactly once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import boto3
import dagster as dg
import pytest
from moto.server import ThreadedMotoServer

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from jobland_pipeline.keys import file_stem
from jobland_pipeline.postings.records import JOB_POSTINGS
from jobland_pipeline.profiles.records import SUGGESTED_TITLES
from jobland_pipeline.profiles.user_settings import SettingsError
from jobland_pipeline.screening.records import SCREENINGS
from resources import PackageStoreResource, WarehouseResource
from tests.conftest import SAMPLE_CVS
from tests.test_postgres import PG, _connect

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BROKER = "amqp://guest:guest@127.0.0.1:5672//"  # the machine's RabbitMQ (.ci/run starts it)
BUCKET = "jobland-shared"
USERS = ["emma_clarke", "maria_santos"]
SEARCHES_PER_USER = 3
# The batch's assets, and the golden-set check that blocks screenings (a step of its own).
STEPS = {
    "job_postings",
    "screenings",
    "screenings_golden_set_quality",
    "company_dossiers",
    "application_packages",
}


# -- the executor settings (no service needed) -------------------------------------------------------
def _executor(env: dict[str, str]) -> dg.ExecutorDefinition:
    job = build_definitions(env).resolve_job_def("search_job")
    return job.executor_def


def test_the_executor_follows_the_setting(tmp_path: Path) -> None:
    home = {"JOBLAND_HOME": str(tmp_path)}
    assert _executor(home).name == "in_process"  # the embedded default
    assert _executor({**home, "JOBLAND_EXECUTOR": "multiprocess"}).name == "multiprocess"
    celery = _executor({**home, "JOBLAND_EXECUTOR": "celery", "JOBLAND_CELERY_QUEUE": "jobs-a"})
    assert celery.name == "celery"
    defs = build_definitions({**home, "JOBLAND_EXECUTOR": "celery"})
    # Delivery and tracker runs stay in their run's process (the outbox, the DuckDB file).
    assert defs.resolve_job_def("delivery_job").executor_def.name == "in_process"
    assert defs.resolve_job_def("tracker_job").executor_def.name == "in_process"
    assert defs.resolve_job_def("intake_job").executor_def.name == "celery"
    with pytest.raises(SettingsError, match="JOBLAND_EXECUTOR='threads'"):
        build_definitions({**home, "JOBLAND_EXECUTOR": "threads"})


# -- services -------------------------------------------------------------------------------------
def _required(service: str, exc: Exception) -> None:
    if os.environ.get("CI") == "true":
        raise exc  # CI must exercise the real services
    pytest.skip(f"{service} not reachable ({str(exc).strip()[:200]})")


@pytest.fixture
def rabbitmq() -> Iterator[str]:
    from kombu import Connection

    try:
        with Connection(BROKER, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        _required(f"RabbitMQ at {BROKER}", exc)
    queue = f"jobland-test-{uuid.uuid4().hex[:8]}"  # its own queue: other runs on the broker never see it
    yield queue
    with Connection(BROKER, connect_timeout=3) as conn:
        channel = conn.channel()
        channel.queue_delete(queue)
        channel.exchange_delete(queue)


@pytest.fixture
def database() -> Iterator[str]:
    try:
        con = _connect()
    except Exception as exc:
        _required("Postgres at 127.0.0.1:5432", exc)
    name = f"jobland_celery_{uuid.uuid4().hex[:8]}"
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    yield name
    with con.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    con.close()


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _worker_config(path: Path) -> Path:
    """The workers' config, as the README's "Scaling out" gives it: the broker from JobLand's setting."""
    path.write_text(
        "execution:\n  config:\n    broker: {env: JOBLAND_CELERY_BROKER}\n"
        "    backend: {env: JOBLAND_CELERY_BACKEND}\n",
        encoding="utf-8",
    )
    return path


def _start_worker(name: str, config: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``dagster-celery worker start`` (it runs ``celery -A dagster_celery.app worker``), one process
    at a time, in its own process group so that stopping it stops the Celery worker it started."""
    command = [str(BIN / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app", "-y", str(config)]
    command += ["-n", name, "-q", env["JOBLAND_CELERY_QUEUE"], "-l", "INFO", "--", "-c", "1"]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(workers: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in workers.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the group this test started: dagster-celery and celery
    for proc in workers.values():
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_for_workers(names: list[str], queue: str, timeout: float = 120.0) -> None:
    from dagster_celery.make_app import make_app

    app = make_app({"broker": BROKER, "backend": "rpc://"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answers = app.control.inspect(timeout=1.0).active_queues() or {}
        ready = {
            node.split("@")[0] for node, queues in answers.items() if any(q["name"] == queue for q in queues)
        }
        if set(names) <= ready:
            return
        time.sleep(0.5)
    raise TimeoutError(f"workers {names} did not start listening on {queue}")


def _execute(job: str, tags: dict[str, str], env: dict[str, str]) -> subprocess.Popen[str]:
    """A run as the daemon would start it: its own process loading the code location, the Definitions'
    executor (Celery here) sending each step to the workers."""
    command = [str(BIN / "dagster"), "job", "execute", "-m", "jobland_pipeline.definitions", "-a", "defs"]
    return subprocess.Popen(
        [*command, "-j", job, "--tags", json.dumps(tags)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(runs: list[subprocess.Popen[str]], logs: list[Path]) -> None:
    for run in runs:
        output, _ = run.communicate(timeout=900)
        workers = "\n".join(p.read_text(errors="replace")[-2000:] for p in logs)
        assert run.returncode == 0, f"{output[-4000:]}\n--- workers ---\n{workers}"


@pytest.mark.slow
@pytest.mark.postgres
def test_a_search_batch_splits_across_two_celery_workers(
    tmp_path: Path, rabbitmq: str, database: str, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.create_bucket(Bucket=BUCKET)
    for user in USERS:  # the CVs arrive in the S3 inbox
        cv = SAMPLE_CVS[user]
        s3.put_object(Bucket=BUCKET, Key=f"cvs/{user}/{cv.name}", Body=cv.read_bytes())
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    shutil.copy(ROOT / "dagster.postgres.yaml", dagster_home / "dagster.yaml")
    settings = {
        "JOBLAND_INBOX_URL": f"s3://{BUCKET}/cvs",
        "JOBLAND_WAREHOUSE_DIR": f"s3://{BUCKET}/warehouse",
        "JOBLAND_PACKAGES_DIR": f"s3://{BUCKET}/packages",
        "JOBLAND_S3_ENDPOINT_URL": s3_endpoint,
        "JOBLAND_S3_REGION": "us-east-1",
        "JOBLAND_EXECUTOR": "celery",
        "JOBLAND_CELERY_BROKER": BROKER,
        "JOBLAND_CELERY_BACKEND": "rpc://",
        "JOBLAND_CELERY_QUEUE": rabbitmq,
    }
    dagster = {
        "DAGSTER_HOME": str(dagster_home),
        "DAGSTER_PG_USERNAME": str(PG["user"]),
        "DAGSTER_PG_PASSWORD": "",
        "DAGSTER_PG_HOST": str(PG["host"]),
        "DAGSTER_PG_PORT": str(PG["port"]),
        "DAGSTER_PG_DB": database,
    }
    for key, value in {**aws, **dagster}.items():
        monkeypatch.setenv(key, value)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("JOBLAND_", "DAGSTER_"))}
    base["PATH"] = f"{BIN}{os.pathsep}{base.get('PATH', '')}"  # dagster-celery runs `celery`

    def machine(name: str) -> dict[str, str]:
        """The environment of one machine: the shared settings, its own local folders."""
        return {**base, **settings, **dagster, "JOBLAND_HOME": str(tmp_path / name)}

    store = WarehouseResource(
        root=settings["JOBLAND_WAREHOUSE_DIR"],
        duckdb_path=str(tmp_path / "analyst.duckdb"),
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
    ).store
    config = _worker_config(tmp_path / "celery.yaml")
    logs = [tmp_path / f"{name}.log" for name in ("w1", "w2")]
    workers = {log.stem: _start_worker(log.stem, config, machine(log.stem), log) for log in logs}
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        try:
            _wait_for_workers(list(workers), rabbitmq)
            # 1. Intake of both users on the workers (two runs at once), as the CV sensor asks for it.
            instance.add_dynamic_partitions("users", USERS)
            _finish(
                [_execute("intake_job", {"dagster/partition": u}, machine("launcher")) for u in USERS], logs
            )
            # 2. Their first searches as partitions, in order, as the searches sensor adds them.
            titles = sorted(store.read_records(SUGGESTED_TITLES, USERS), key=lambda t: (t.user_id, t.rank))
            keys = [
                str(t.search_key)
                for u in USERS
                for t in [t for t in titles if t.user_id == u][:SEARCHES_PER_USER]
            ]
            instance.add_dynamic_partitions("searches", keys)
            # 3. One search batch over every search, as the daily schedule asks for it.
            started = time.monotonic()
            tags = {
                "dagster/asset_partition_range_start": keys[0],
                "dagster/asset_partition_range_end": keys[-1],
            }
            _finish([_execute("search_job", tags, machine("launcher"))], logs)
            elapsed = time.monotonic() - started
        finally:
            _stop(workers)
        runs = {
            r.dagster_run.job_name + ":" + r.dagster_run.run_id[:8]: r for r in instance.get_run_records()
        }
        assert all(r.dagster_run.status == dg.DagsterRunStatus.SUCCESS for r in runs.values()), runs
        [search] = [r.dagster_run.run_id for r in runs.values() if r.dagster_run.job_name == "search_job"]
        ran_on = _steps_by_worker(instance, search)
        intake_on = [
            _steps_by_worker(instance, r.dagster_run.run_id)
            for r in runs.values()
            if r.dagster_run.job_name == "intake_job"
        ]
        stats = {
            s.step_key: (s.end_time or 0) - (s.start_time or 0) for s in instance.get_run_step_stats(search)
        }
    print(f"\nsearch batch of {len(keys)} searches on 2 Celery workers: {elapsed:.1f} s")
    print(
        f"steps: {ran_on}\nstep seconds: { {k: round(v, 1) for k, v in stats.items()} }\nintake: {intake_on}"
    )

    # The batch's steps ran, split across both workers; the intake steps ran on the workers too.
    assert set(ran_on) == STEPS
    assert {w.split("@")[0] for w in ran_on.values()} == {"w1", "w2"}, ran_on
    assert all(set(i) == {"cv_documents", "profiles", "suggested_titles"} for i in intake_on), intake_on
    # Every row of the batch is in the shared warehouse exactly once, for every search.
    for table, key_columns in (
        (JOB_POSTINGS, ["search_key", "posting_id"]),
        (SCREENINGS, ["search_key", "posting_id"]),
        (APPLICATION_PACKAGES, ["search_key", "posting_id"]),
    ):
        df = store.read(table.name, keys)
        assert df.height and df.select(key_columns).is_duplicated().sum() == 0, table.name
        # every search wrote its partition (empty when it found nothing)
        assert {f"{table.name}/{file_stem(k)}.parquet" for k in keys} <= set(store.files(table.name))
    # Packages are on S3 with every file their record lists; nothing went to a machine's folders.
    packages = store.read(APPLICATION_PACKAGES.name, keys)
    files = PackageStoreResource(path=settings["JOBLAND_PACKAGES_DIR"], endpoint_url=s3_endpoint)
    today = date.today().isoformat()
    for row in packages.iter_rows(named=True):
        assert row["package_dir"].startswith(f"s3://{BUCKET}/packages/{row['user_id']}/{today}/")
        assert files.missing_files(row["package_dir"], row["files"]) == []
    for name in ("w1", "w2", "launcher"):
        assert not (tmp_path / name / "warehouse").exists() and not (tmp_path / name / "packages").exists()


def _steps_by_worker(instance: dg.DagsterInstance, run_id: str) -> dict[str, str]:
    """Step key -> the Celery worker that executed it (from the engine event the worker writes)."""
    out: dict[str, str] = {}
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        event = record.dagster_event
        worker = event.engine_event_data.metadata.get("Celery worker") if event is not None else None
        if event is not None and event.step_key and worker is not None:
            out[event.step_key] = str(worker.value)
    return out
