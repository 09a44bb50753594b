"""What per-partition metadata costs a batch run on Postgres, with Dagster's event log and with ours.

For each number of keys in the dynamic ``searches`` set, a new Postgres database gets that many keys;
an asset partitioned by the set is materialised over a range of ``--batch`` keys (one run, as a daily
search batch), and calls ``context.add_asset_metadata(..., partition_key=k)`` for each key, as every
per-partition asset of this project does. Printed per storage: the run's wall time, and the wall and
CPU time of the metadata calls alone (Dagster checks each key against the run's range: two key
lookups and a listing of every key of the set, each query on a new connection).

    python bench/partition_keys.py [--keys 1000 8000] [--batch 500]      # Postgres at 127.0.0.1:5432
"""

import argparse
import logging
import os
import platform
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

import dagster as dg  # noqa: E402
import psycopg2  # noqa: E402
from dagster import AssetExecutionContext  # noqa: E402

from resources.event_log import cached_partition_keys  # noqa: E402

STORAGES = {
    "dagster": ("dagster_postgres.event_log", "PostgresEventLogStorage"),
    "cached": ("resources.event_log", "PartitionCachingPostgresEventLogStorage"),
}


def _instance(home: str, db: str, storage: str) -> dg.DagsterInstance:
    module, cls = STORAGES[storage]
    pg = (
        "      postgres_db: {username: postgres, password: '', hostname: 127.0.0.1, "
        f"db_name: {db}, port: 5432}}\n"
    )
    (Path(home) / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\n"
        "run_storage:\n  module: dagster_postgres.run_storage\n  class: PostgresRunStorage\n  config:\n"
        + pg
        + f"event_log_storage:\n  module: {module}\n  class: {cls}\n  config:\n"
        + pg
        + "schedule_storage:\n  module: dagster_postgres.schedule_storage\n  class: PostgresScheduleStorage\n"
        "  config:\n" + pg
    )
    return dg.DagsterInstance.from_config(home)


def measure(keys: int, batch: int, storage: str) -> dict[str, float]:
    db = f"jobland_partition_keys_{os.getpid()}"
    admin = psycopg2.connect(host="127.0.0.1", dbname="test", user="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {db}")
        cur.execute(f"CREATE DATABASE {db}")
    try:
        with tempfile.TemporaryDirectory() as home:
            instance = _instance(home, db, storage)
            names = [f"user{i:05d}::title-{i % 8}" for i in range(keys)]
            instance.add_dynamic_partitions("searches", names)
            calls: dict[str, float] = {}

            @dg.asset(partitions_def=dg.DynamicPartitionsDefinition(name="searches"))
            def searched(context: AssetExecutionContext) -> None:
                wall, cpu = time.perf_counter(), time.process_time()
                with cached_partition_keys(context.instance):  # as for_each_key runs the assets' loops
                    for key in context.partition_keys:
                        context.add_asset_metadata({"dagster/row_count": 1}, partition_key=key)
                calls["wall"] = time.perf_counter() - wall
                calls["cpu"] = time.process_time() - cpu

            start = time.perf_counter()
            result = dg.materialize(
                [searched],
                instance=instance,
                tags={
                    "dagster/asset_partition_range_start": names[0],
                    "dagster/asset_partition_range_end": names[batch - 1],
                },
            )
            assert result.success
            calls["run"] = time.perf_counter() - start
            instance.dispose()
            return calls
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, nargs="+", default=[1000, 8000])
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    logging.getLogger("dagster").setLevel(logging.ERROR)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"dagster {dg.__version__}, load average {os.getloadavg()[0]:.1f}; one run of {args.batch} partitions"
    )
    for keys in args.keys:
        for storage in STORAGES:
            m = measure(keys, min(args.batch, keys), storage)
            print(
                f"keys {keys:>6,}  {storage:8}  run {m['run']:6.1f} s   add_asset_metadata x {args.batch}: "
                f"wall {m['wall']:6.2f} s, CPU {m['cpu']:5.2f} s ({1000 * m['wall'] / args.batch:.1f} ms a call)"
            )


if __name__ == "__main__":
    main()
