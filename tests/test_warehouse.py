import logging
import multiprocessing
import os
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from jobland_pipeline.warehouse import TABLES, Warehouse
from jobland_pipeline.warehouse.views import ANALYST_VIEWS


def _row(user: str, n: int) -> dict[str, object]:
    return {
        "user_id": user,
        "rank": n,
        "title": f"Title {n}",
        "display_title": f"Title {n}",
        "slug": f"t{n}",
        "search_key": f"{user}::t{n}",
        "score": 50.0,
        "reason": "r",
        "source": "vocabulary",
        "aliases": ["a"],
        "skills": ["Python"],
        "built_at": datetime.now(UTC),
    }


def test_write_replace_and_read(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "wh", tmp_path / "db.duckdb")
    wh.write_partition("suggested_titles", "alice", [_row("alice", 1), _row("alice", 2)])
    wh.write_partition("suggested_titles", "alice", [_row("alice", 3)])  # re-materialization replaces
    wh.write_partition("suggested_titles", "bob", [_row("bob", 1)])
    df = wh.read("suggested_titles")
    assert sorted(zip(df["user_id"], df["rank"], strict=True)) == [("alice", 3), ("bob", 1)]
    assert wh.read("suggested_titles", ["bob"])["title"].to_list() == ["Title 1"]
    assert df.schema == TABLES["suggested_titles"].schema


def test_unknown_columns_refused(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "wh", tmp_path / "db.duckdb")
    with pytest.raises(ValueError, match="not in the schema"):
        wh.write_partition("suggested_titles", "alice", [{**_row("alice", 1), "api_key": "x"}])


def test_views_cover_every_table_even_when_empty(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "wh", tmp_path / "db.duckdb")
    assert wh.publish_views()
    wh.write_partition("suggested_titles", "alice", [_row("alice", 1)])
    # No republish needed: the views glob the folders.
    assert wh.query("SELECT count(*) AS n FROM suggested_titles")["n"][0] == 1
    assert wh.query("SELECT count(*) AS n FROM screenings")["n"][0] == 0
    names = set(wh.query("SELECT view_name FROM duckdb_views() WHERE NOT internal")["view_name"])
    assert names == set(TABLES) | set(ANALYST_VIEWS)


def _writer(root: str, db: str, user: str, n: int) -> None:
    wh = Warehouse(Path(root), Path(db))
    for i in range(n):
        wh.write_partition("suggested_titles", f"{user}", [_row(user, j) for j in range(i + 1)])
        wh.append("email_digests", [{"user_id": user, "status": "written"}], group="2026-11-27")


def test_parallel_writers_and_a_reader_lose_nothing(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "wh", tmp_path / "db.duckdb")
    wh.publish_views()
    reader = duckdb.connect(str(wh.duckdb_path), read_only=True)  # an analyst holding the file open
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_writer, args=(str(wh.root), str(wh.duckdb_path), u, 20)) for u in ("alice", "bob")
    ]
    for p in procs:
        p.start()
    seen = [reader.execute("SELECT count(*) FROM suggested_titles").fetchone()[0] for _ in range(20)]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert all(n >= 0 for n in seen)
    final = reader.execute("SELECT user_id, count(*) FROM suggested_titles GROUP BY 1 ORDER BY 1").fetchall()
    assert final == [("alice", 20), ("bob", 20)]
    assert reader.execute("SELECT count(*) FROM email_digests").fetchone()[0] == 40
    # publishing while the analyst holds the file succeeds (a new file renamed into place); the
    # analyst's connection keeps reading the file it opened
    assert wh.publish_views() is True
    assert reader.execute("SELECT count(*) FROM suggested_titles").fetchone()[0] == 40
    reader.close()


def test_compaction_keeps_every_row_in_one_file(tmp_path: Path) -> None:
    from jobland_pipeline.delivery.records import EMAIL_DIGESTS, EmailDigestRow

    store = Warehouse(tmp_path / "wh", tmp_path / "db.duckdb")
    rows = [
        EmailDigestRow(user_id="ann", status=s, recorded_at=datetime(2026, 12, 1, 8, i, tzinfo=UTC))
        for i, s in enumerate(["sending", "written", "no_packages"])
    ]
    for row in rows:
        store.append_records(EMAIL_DIGESTS, [row], group="ann")
    store.append_records(EMAIL_DIGESTS, [EmailDigestRow(user_id="bob", status="written")], group="bob")
    assert len(list((tmp_path / "wh" / "email_digests" / "ann").glob("*.parquet"))) == 3
    assert store.compact("email_digests", "ann") == 3
    assert len(list((tmp_path / "wh" / "email_digests" / "ann").glob("*.parquet"))) == 1
    assert sorted(store.read_records(EMAIL_DIGESTS, ["ann"]), key=lambda r: r.recorded_at) == rows
    assert [r.user_id for r in store.read_records(EMAIL_DIGESTS, ["bob"])] == ["bob"]
    assert store.compact("email_digests", "ann") == 1  # nothing left to merge


# -- the DuckDB file: damage is rebuilt, publishing never locks readers out (issues 12 and 15) ----------


def _published(tmp_path: Path) -> Warehouse:
    wh = Warehouse(tmp_path / "wh", tmp_path / "db.duckdb")
    wh.write_partition("suggested_titles", "alice", [_row("alice", 1), _row("alice", 2)])
    assert wh.publish_views()
    return wh


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _garbage(path: Path) -> None:
    with path.open("r+b") as f:  # 64 KiB of garbage inside the file, past its headers
        f.seek(8192)
        f.write(random.Random(7).randbytes(65536))


@pytest.mark.parametrize("harm", [_truncate, _garbage], ids=["truncated", "garbage"])
def test_a_damaged_duckdb_file_is_moved_aside_and_rebuilt(
    tmp_path: Path, harm: Any, caplog: pytest.LogCaptureFixture
) -> None:
    wh = _published(tmp_path)
    harm(wh.duckdb_path)
    # really damaged: DuckDB refuses to read it whole
    with pytest.raises(duckdb.Error), duckdb.connect(str(wh.duckdb_path), read_only=True) as con:
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall():
            con.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall()
    caplog.set_level(logging.WARNING)
    assert wh.publish_views() is True
    aside = list(tmp_path.glob("db.duckdb.damaged-*"))
    assert len(aside) == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("damaged" in m and str(aside[0]) in m for m in warnings), warnings
    assert not any("in use" in m for m in warnings)
    assert wh.query("SELECT user_id, rank FROM suggested_titles ORDER BY rank").rows() == [
        ("alice", 1),
        ("alice", 2),
    ]
    names = set(wh.query("SELECT view_name FROM duckdb_views() WHERE NOT internal")["view_name"])
    assert names >= set(TABLES) | set(ANALYST_VIEWS)
    assert not list(tmp_path.glob(".db.duckdb.*"))  # no temporary file left


def test_reading_a_damaged_file_rebuilds_it(tmp_path: Path) -> None:
    wh = _published(tmp_path)
    _garbage(wh.duckdb_path)
    assert wh.query("SELECT count(*) AS n FROM suggested_titles")["n"].to_list() == [2]
    assert len(list(tmp_path.glob("db.duckdb.damaged-*"))) == 1


def test_a_publisher_killed_midway_leaves_nothing_behind(tmp_path: Path) -> None:
    wh = _published(tmp_path)
    dead = tmp_path / ".db.duckdb.999999999.0123456789ab.tmp"  # no such pid: its writer is gone
    dead.write_bytes(b"half a file")
    (tmp_path / "db.duckdb.wal").write_bytes(b"a log of another file")  # would be replayed
    assert wh.publish_views()
    assert not dead.exists() and not (tmp_path / "db.duckdb.wal").exists()
    assert wh.query("SELECT count(*) AS n FROM suggested_titles")["n"].to_list() == [2]


def _connect_in_a_loop(db: str, times: int, out: Any) -> None:
    errors: list[str] = []
    counts: set[int] = set()
    for _ in range(times):
        try:
            with duckdb.connect(db, read_only=True) as con:
                counts.add(con.execute("SELECT count(*) FROM suggested_titles").fetchone()[0])
        except duckdb.Error as exc:
            errors.append(str(exc).splitlines()[0])
    out.put((errors, sorted(counts)))


def test_readers_never_meet_a_lock_while_views_are_published(tmp_path: Path) -> None:
    wh = _published(tmp_path)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    reader = ctx.Process(target=_connect_in_a_loop, args=(str(wh.duckdb_path), 300, out))
    reader.start()
    publishes = 0
    while reader.is_alive() or publishes < 20:
        assert wh.publish_views()
        publishes += 1
        if publishes > 2000:
            break
    errors, counts = out.get(timeout=120)
    reader.join(60)
    assert reader.exitcode == 0
    assert errors == []  # the old in-place writer: "Could not set lock ... Conflicting lock"
    assert counts == [2]
    assert publishes >= 20


def test_the_tracker_job_rebuilds_a_damaged_file_without_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import dagster as dg

    from assets.application_tracker import application_tracker
    from resources import WarehouseResource

    wh = _published(tmp_path)
    _truncate(wh.duckdb_path)  # what a full disk left: every later tracker run used to end in a traceback
    caplog.set_level(logging.WARNING)
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", ["alice"])
        result = dg.materialize(
            [application_tracker],
            partition_key="alice",
            instance=instance,
            resources={"warehouse": WarehouseResource(root=str(wh.root), duckdb_path=str(wh.duckdb_path))},
        )
        assert result.success
        [materialization] = result.asset_materializations_for_node("application_tracker")
        assert materialization.metadata["duckdb_views_published"].value is True
    assert len(list(tmp_path.glob("db.duckdb.damaged-*"))) == 1
    assert any("is damaged" in r.getMessage() for r in caplog.records)
    assert wh.query("SELECT count(*) AS n FROM suggested_titles")["n"].to_list() == [2]


def test_publishes_of_the_duckdb_file_take_turns(tmp_path: Path) -> None:
    """Two publishers at once (a run's and a forget's): each builds and renames before the other
    starts, so the last file renamed is the last one built."""
    import threading
    import time

    from jobland_pipeline.warehouse import duckdb_file

    path = tmp_path / "jobland.duckdb"
    spans: list[tuple[str, float, float]] = []

    def build(name: str) -> None:
        def run(con: duckdb.DuckDBPyConnection) -> None:
            start = time.monotonic()
            con.execute(f"CREATE TABLE built_by AS SELECT '{name}' AS name")
            time.sleep(0.3)
            spans.append((name, start, time.monotonic()))

        duckdb_file.publish(path, run)

    threads = [threading.Thread(target=build, args=(n,)) for n in ("first", "second")]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    (_, _, first_end), (b, second_start, _) = sorted(spans, key=lambda s: s[1])
    assert first_end <= second_start  # no overlap
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT name FROM built_by").fetchone() == (b,)
