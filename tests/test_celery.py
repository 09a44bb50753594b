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
BROKER = os.environ.get("JOBLAND_TEST_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//")
BUCKET = "jobland-shared"
USERS = ["emma_clarke", "maria_santos"]
SEARCHES_PER_USER = 3
STEPS = {"job_postings", "screenings", "company_dossiers", "application_packages"}


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
        "execution:\n  config:\n    broker: {env: JOBLAND_CELERY_BROKER}\n    backend: 'rpc://'\n",
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
    for key, value in aws.items():
        monkeypatch.setenv(key, value)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    for user in USERS:
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
        "JOBLAND_CELERY_QUEUE": rabbitmq,
    }
    dagster = {
        "DAGSTER_HOME": str(dagster_home),
        "DAGSTER_PG_USERNAME": str(PG["user"]),
        "DAGSTER_PG_PASSWORD": "",
        "DAGSTER_PG_HOST": str(PG["host"]),
        "DAGSTER_PG_DB": database,
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith(("JOBLAND_", "DAGSTER_"))}

    def machine(name: str, **extra: str) -> dict[str, str]:
        """The environment of one machine: the shared settings, its own local folders."""
        return {**base, **aws, **settings, **dagster, "JOBLAND_HOME": str(tmp_path / name), **extra}

    # 1. Intake of the sample users (in this process), then their first searches as partitions.
    for key, value in dagster.items():
        monkeypatch.setenv(key, value)
    env = machine("launcher")
    defs = build_definitions({k: v for k, v in env.items() if k.startswith("JOBLAND_")})
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        instance.add_dynamic_partitions("users", USERS)
        for user in USERS:
            result = defs.resolve_job_def("intake_job").execute_in_process(
                instance=instance, partition_key=user
            )
            assert result.success, user
        store = WarehouseResource(
            root=settings["JOBLAND_WAREHOUSE_DIR"],
            duckdb_path=str(tmp_path / "launcher" / "j.duckdb"),
            endpoint_url=s3_endpoint,
            region_name="us-east-1",
        ).store
        titles = sorted(store.read_records(SUGGESTED_TITLES, USERS), key=lambda t: (t.user_id, t.rank))
        keys = [
            str(t.search_key)
            for u in USERS
            for t in [t for t in titles if t.user_id == u][:SEARCHES_PER_USER]
        ]
        instance.add_dynamic_partitions("searches", keys)

        # 2. Two workers, each as on its own machine, listening on the test's queue.
        config = _worker_config(tmp_path / "celery.yaml")
        workers = {
            name: _start_worker(
                name,
                config,
                machine(name, PATH=f"{BIN}{os.pathsep}{base.get('PATH', '')}"),
                tmp_path / f"{name}.log",
            )
            for name in ("w1", "w2")
        }
        try:
            _wait_for_workers(list(workers), rabbitmq)
            # 3. One search batch over every search, as the daily schedule asks for it.
            tags = {
                "dagster/asset_partition_range_start": keys[0],
                "dagster/asset_partition_range_end": keys[-1],
            }
            started = time.monotonic()
            command = [
                str(BIN / "dagster"),
                "job",
                "execute",
                "-m",
                "jobland_pipeline.definitions",
                "-a",
                "defs",
            ]
            run = subprocess.run(
                [*command, "-j", "search_job", "--tags", json.dumps(tags)],
                env=machine("launcher"),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=900,
            )
            elapsed = time.monotonic() - started
        finally:
            _stop(workers)
        logs = {name: (tmp_path / f"{name}.log").read_text(errors="replace")[-3000:] for name in workers}
        assert run.returncode == 0, f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}\n{logs}"
        [record] = instance.get_run_records(dg.RunsFilter(job_name="search_job"))
        assert record.dagster_run.status == dg.DagsterRunStatus.SUCCESS
        ran_on = _steps_by_worker(instance, record.dagster_run.run_id)
    print(f"search batch of {len(keys)} searches on 2 Celery workers: {elapsed:.1f} s; steps: {ran_on}")

    # The four steps of the batch ran, split across both workers.
    assert set(ran_on) == STEPS
    assert {w.split("@")[0] for w in ran_on.values()} == {"w1", "w2"}, ran_on
    # Every row of the batch is in the shared warehouse exactly once, for every search.
    for table, key_columns in (
        (JOB_POSTINGS, ["search_key", "posting_id"]),
        (SCREENINGS, ["search_key", "posting_id"]),
        (APPLICATION_PACKAGES, ["search_key", "posting_id"]),
    ):
        df = store.read(table.name, keys)
        assert df.height and df.select(key_columns).is_duplicated().sum() == 0, table.name
        # every search wrote its partition (empty when it found nothing), as its step reported
        assert {f"{table.name}/{file_stem(k)}.parquet" for k in keys} <= set(store.files(table.name))
    # Packages are on S3 with every file their record lists; nothing went to a worker's folders.
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
