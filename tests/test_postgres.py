"""A materialization with Dagster's storage in the machine's Postgres (dagster-postgres)."""

import os
import shutil
import uuid
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from jobland_pipeline.definitions import build_definitions
from tests.conftest import SAMPLE_CVS

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": os.environ.get("PGUSER", "postgres"), "dbname": "test"}


def _connect(dbname: str = "test"):  # type: ignore[no-untyped-def]
    import psycopg2

    return psycopg2.connect(
        host=PG["host"], port=PG["port"], user=PG["user"], dbname=dbname, connect_timeout=3
    )


@pytest.fixture
def database() -> str:
    try:
        con = _connect()
    except Exception as exc:
        if os.environ.get("CI") == "true":
            raise  # CI must exercise Postgres
        pytest.skip(f"Postgres not reachable on 127.0.0.1:5432 ({str(exc).strip()})")
    name = f"jobland_test_{uuid.uuid4().hex[:8]}"
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    yield name
    with con.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    con.close()


def production_home(tmp_path: Path, database: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DAGSTER_HOME with the production instance (dagster.postgres.yaml) on ``database``."""
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir(exist_ok=True)
    shutil.copy(ROOT / "dagster.postgres.yaml", dagster_home / "dagster.yaml")
    for key, value in {
        "DAGSTER_PG_USERNAME": PG["user"],
        "DAGSTER_PG_PASSWORD": "",
        "DAGSTER_PG_HOST": PG["host"],
        "DAGSTER_PG_PORT": PG["port"],
        "DAGSTER_PG_DB": database,
    }.items():
        monkeypatch.setenv(key, str(value))
    return dagster_home


@pytest.mark.postgres
def test_materialize_with_postgres_instance(
    tmp_path: Path, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    dagster_home = production_home(tmp_path, database, monkeypatch)
    home = tmp_path / "var"
    (home / "inbox" / "emma_clarke").mkdir(parents=True)
    shutil.copy(SAMPLE_CVS["emma_clarke"], home / "inbox" / "emma_clarke")
    defs = build_definitions({"JOBLAND_HOME": str(home)})
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        instance.add_dynamic_partitions("users", ["emma_clarke"])
        result = defs.resolve_job_def("intake_job").execute_in_process(
            instance=instance, partition_key="emma_clarke"
        )
        assert result.success
        record = instance.get_latest_materialization_event(dg.AssetKey("suggested_titles"))
        assert record is not None and record.dagster_event is not None
    with _connect(database) as con, con.cursor() as cur:
        cur.execute("SELECT count(*) FROM runs")
        assert cur.fetchone()[0] == 1
        cur.execute("SELECT count(*) FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'")
        assert cur.fetchone()[0] == 3
    titles = pl.read_parquet(home / "warehouse" / "suggested_titles" / "emma_clarke.parquet")
    assert any("Teacher" in t for t in titles["title"].to_list())
    # Generalised titles name their O*NET occupation: teachers (25-2*), education administrators (11-9*).
    families = {f for f in titles["family"].to_list() if f}
    assert families and all(f.startswith(("25-", "11-9")) for f in families), families
