import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

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
    # publishing while the analyst holds the file does not fail, it reports that it skipped
    assert wh.publish_views(attempts=1) is False
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
