"""How the two partition schemes scale: composite search keys vs a users x titles cartesian product.

Prints, for N users with ~8 titles each: the number of partitions each scheme creates, and the time
to add and list the composite keys in a SQLite and (when reachable) a Postgres Dagster instance.

    python bench/partitions.py [--users 10000] [--titles 8] [--distinct-titles 4000]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
import uuid
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

import dagster as dg  # noqa: E402


def _instance_sqlite(path: str) -> dg.DagsterInstance:
    (Path(path) / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return dg.DagsterInstance.from_config(path)


def _instance_postgres(path: str, db: str) -> dg.DagsterInstance:
    (Path(path) / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\nstorage:\n  postgres:\n    postgres_db:\n      username: postgres\n"
        f"      password: ''\n      hostname: 127.0.0.1\n      db_name: {db}\n      port: 5432\n"
        "      scheme: postgresql+psycopg2\n"
    )
    return dg.DagsterInstance.from_config(path)


def measure(instance: dg.DagsterInstance, keys: list[str], batch: int = 1000) -> tuple[float, float, int]:
    start = time.perf_counter()
    for i in range(0, len(keys), batch):
        instance.add_dynamic_partitions("searches", keys[i : i + batch])
    added = time.perf_counter() - start
    start = time.perf_counter()
    listed = instance.get_dynamic_partitions("searches")
    listing = time.perf_counter() - start
    return added, listing, len(listed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--titles", type=int, default=8)
    parser.add_argument("--distinct-titles", type=int, default=4_000)
    args = parser.parse_args()
    rng = random.Random(7)
    vocabulary = [f"title-{i}" for i in range(args.distinct_titles)]
    keys = [f"user{u:05d}::{t}" for u in range(args.users) for t in rng.sample(vocabulary, args.titles)]
    print(
        f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"dagster {dg.__version__}"
    )
    print(
        f"inputs: {args.users:,} users x {args.titles} titles each, {args.distinct_titles:,} distinct titles"
    )
    print(f"composite searches partitions:           {len(keys):>14,}")
    print(f"cartesian users x titles partitions:     {args.users * args.distinct_titles:>14,}")
    print(
        f"share of cartesian partitions that exist: {len(keys) / (args.users * args.distinct_titles):>13.4%}"
    )
    with tempfile.TemporaryDirectory() as tmp, _instance_sqlite(tmp) as instance:
        added, listing, n = measure(instance, keys)
        print(f"sqlite   add {n:,} keys: {added:6.1f} s   list: {listing:5.2f} s")
        # The cartesian alternative, at a tenth of the users and titles, just to enumerate its keys.
        users = [f"user{u:05d}" for u in range(args.users // 10)]
        titles = vocabulary[: args.distinct_titles // 10]
        instance.add_dynamic_partitions("users", users)
        instance.add_dynamic_partitions("titles", titles)
        multi = dg.MultiPartitionsDefinition(
            {
                "user": dg.DynamicPartitionsDefinition(name="users"),
                "title": dg.DynamicPartitionsDefinition(name="titles"),
            }
        )
        start = time.perf_counter()
        with dg.partition_loading_context(dynamic_partitions_store=instance):
            count = len(multi.get_partition_keys())
        print(
            f"cartesian at 1/10 scale ({len(users):,} x {len(titles):,}): enumerating {count:,} keys took "
            f"{time.perf_counter() - start:.1f} s (x100 at full scale)"
        )
    try:
        import psycopg2

        db = f"jl_bench_{uuid.uuid4().hex[:6]}"
        con = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="test", connect_timeout=3)
        con.autocommit = True
        con.cursor().execute(f'CREATE DATABASE "{db}"')
        try:
            with tempfile.TemporaryDirectory() as tmp, _instance_postgres(tmp, db) as instance:
                added, listing, n = measure(instance, keys)
            print(f"postgres add {n:,} keys: {added:6.1f} s   list: {listing:5.2f} s")
        finally:
            con.cursor().execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    except Exception as exc:  # no Postgres here: say so, do not fail the benchmark
        print(f"postgres: skipped ({str(exc).strip()[:80]})")


if __name__ == "__main__":
    main()
