"""``batch_status`` reads only what its run owns, once per table, and writes what the per-user reading did.

The scenario is a day as the pipeline makes it, without its work: N users, one intake run each (one
of them failed: an unreadable CV), one search batch run over every user's searches (one search isolated
as failed in the asset's ``searches_failed`` metadata), one delivery run, all tagged as the sensors tag
them, and the warehouse rows those runs would have written. The runs are real Dagster runs of stand-in
asset jobs of the same names, assets and partitions, so the instance holds what ``day_runs`` reads.
``scenario(instance, store, n)`` builds the same day at any N, to time the step (``tracker_run``).
"""

import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import dagster as dg
import polars as pl
import pytest

from assets import batch_runs
from assets.batch_runs import day_runs
from assets.batch_status import batch_status as batch_status_asset
from assets.partitions import batch_tags, range_tags, searches_partitions, users_partitions
from jobland_pipeline.batch import batch_status, stage_counts, status_rows
from jobland_pipeline.delivery.records import BATCH_STATUS, BatchStatusRow
from jobland_pipeline.keys import search_key
from jobland_pipeline.warehouse import Warehouse
from resources import WarehouseResource

TITLES = ("nurse", "teacher")  # two searches per user
FAILED_USER_INDEX = 1  # the user whose CV nobody can read: intake failed, nothing after it


def _users(n: int) -> list[str]:
    return [f"user_{i:04d}" for i in range(n)]


def _stand_in_jobs(failed_user: str, failed_search: str) -> dg.Definitions:
    """Asset jobs named and shaped as the pipeline's (same assets, partitions, failures in metadata)."""

    def user_asset(name: str) -> dg.AssetsDefinition:
        @dg.asset(name=name, partitions_def=users_partitions, backfill_policy=dg.BackfillPolicy.single_run())
        def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
            if name == "cv_documents" and failed_user in context.partition_keys:
                raise dg.Failure(description=f"No readable CV for user {failed_user}\nsecond line")
            return dg.MaterializeResult(metadata={"users_failed": dg.MetadataValue.json({})})

        return _asset

    def search_asset(name: str) -> dg.AssetsDefinition:
        @dg.asset(
            name=name, partitions_def=searches_partitions, backfill_policy=dg.BackfillPolicy.single_run()
        )
        def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
            failed = {failed_search: "EngineError: every engine failed"} if name == "job_postings" else {}
            return dg.MaterializeResult(metadata={"searches_failed": dg.MetadataValue.json(failed)})

        return _asset

    intake = [user_asset(n) for n in ("cv_documents", "profiles", "suggested_titles")]
    search = [
        search_asset(n) for n in ("job_postings", "screenings", "company_dossiers", "application_packages")
    ]
    delivery = [user_asset("email_digests")]
    return dg.Definitions(
        assets=[*intake, *search, *delivery],
        jobs=[
            dg.define_asset_job("intake_job", selection=[a.key for a in intake]),
            dg.define_asset_job("search_job", selection=[a.key for a in search]),
            dg.define_asset_job("delivery_job", selection=[a.key for a in delivery]),
        ],
    )


def _warehouse_rows(store: Warehouse, users: list[str], failed_user: str, day: date) -> None:
    """What the day's runs would have written: CVs, titles, postings, screenings, dossiers, packages, digests."""
    now = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=6)
    yesterday = now - timedelta(days=1)
    for u, user in enumerate(users):
        if user == failed_user:
            store.write_partition(
                "cv_documents", user, [{"user_id": user, "status": "error", "error": "encrypted"}]
            )
            continue
        store.write_partition("cv_documents", user, [{"user_id": user, "status": "ok"}])
        keys = [search_key(user, t) for t in TITLES]
        store.write_partition("suggested_titles", user, [{"user_id": user, "search_key": k} for k in keys])
        for t, key in enumerate(keys):
            n = 2 + (u + t) % 3
            postings = [f"gh-{u}-{t}-{p}" for p in range(n)]
            store.write_partition(
                "job_postings",
                key,
                [{"search_key": key, "user_id": user, "posting_id": p, "found_at": now} for p in postings]
                + [{"search_key": key, "user_id": user, "posting_id": "old", "found_at": yesterday}],
            )
            store.write_partition(
                "screenings",
                key,
                [
                    {
                        "search_key": key,
                        "user_id": user,
                        "posting_id": p,
                        "probability": "High" if i % 2 == 0 else "Low",
                        "screened_at": now,
                    }
                    for i, p in enumerate(postings)
                ],
            )
            store.write_partition(
                "company_dossiers", key, [{"search_key": key, "user_id": user, "built_at": now}]
            )
            store.write_partition(
                "application_packages",
                key,
                [
                    {
                        "search_key": key,
                        "user_id": user,
                        "application_id": f"{key}:{p}",
                        "grounded": i != 1 or u % 4 != 0,
                        "created_at": now,
                    }
                    for i, p in enumerate(postings[:2])
                ],
            )
        store.append(
            "email_digests",
            [
                {
                    "user_id": user,
                    "digest_date": day,
                    "status": "no_recipient" if u % 5 == 3 else "written",
                    "error": "no address" if u % 5 == 3 else None,
                    "application_ids": [f"{keys[0]}:a", f"{keys[1]}:b"],
                    "recorded_at": now + timedelta(hours=1),
                }
            ],
            group=user,
        )
    # yesterday's batch_status rows of every user: kept as history beside today's
    for user in users:
        store.write_partition(
            "batch_status",
            user,
            [
                {
                    "user_id": user,
                    "day": day - timedelta(days=1),
                    "stage": "intake",
                    "position": 1,
                    "state": "done",
                },
                {
                    "user_id": user,
                    "day": day - timedelta(days=40),
                    "stage": "intake",
                    "position": 1,
                    "state": "done",
                },
            ],
        )


def scenario(instance: dg.DagsterInstance, store: Warehouse, n: int) -> list[str]:
    """N users' day on ``instance`` and in ``store`` (see the module's docstring); returns the users."""
    users = _users(n)
    failed_user = users[FAILED_USER_INDEX]
    day = datetime.now(UTC).date()
    instance.add_dynamic_partitions(users_partitions.name or "users", users)
    ok = [u for u in users if u != failed_user]
    searches = [search_key(u, t) for u in ok for t in TITLES]
    instance.add_dynamic_partitions(searches_partitions.name or "searches", searches)
    defs = _stand_in_jobs(failed_user, searches[0])
    intake = defs.resolve_job_def("intake_job")
    for user in users:
        intake.execute_in_process(
            instance=instance,
            partition_key=user,
            tags=batch_tags(day, [user]),
            raise_on_error=False,
        )
    defs.resolve_job_def("search_job").execute_in_process(
        instance=instance, tags={**range_tags(searches[0], searches[-1]), **batch_tags(day, ok)}
    )
    defs.resolve_job_def("delivery_job").execute_in_process(
        instance=instance, tags={**range_tags(ok[0], ok[-1]), **batch_tags(day, ok)}
    )
    _warehouse_rows(store, users, failed_user, day)
    return users


def tracker_run(instance: dg.DagsterInstance, root: Path, users: list[str]) -> dg.ExecuteInProcessResult:
    """The tracker's batch_status step over ``users`` (a contiguous range of the users partition)."""
    return dg.materialize(
        [batch_status_asset],
        instance=instance,
        resources={
            "warehouse": WarehouseResource(root=str(root / "wh"), duckdb_path=str(root / "wh.duckdb"))
        },
        tags=range_tags(users[0], users[-1]),
    )


def reference_counts(store: Warehouse, user: str, day: date) -> dict[str, int | str | None]:
    """``stage_counts`` as it was written before the reads were shared (commit 810e8ff): each of the
    user's tables read apart, then counted. The reference the shared reading must equal."""

    def on_day(df: pl.DataFrame, column: str) -> pl.DataFrame:
        if df.is_empty() or column not in df.columns:
            return df
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        return df.filter((pl.col(column) >= start) & (pl.col(column) < start + timedelta(days=1)))

    docs = store.read("cv_documents", [user])
    titles = store.read("suggested_titles", [user])
    searches = [str(k) for k in titles["search_key"].to_list() if k]
    postings = on_day(store.read("job_postings", searches), "found_at")
    screenings = on_day(store.read("screenings", searches), "screened_at")
    dossiers = on_day(store.read("company_dossiers", searches), "built_at")
    packages = on_day(store.read("application_packages", searches), "created_at")
    digest = store.read("email_digests", [user])
    digest = digest.filter(pl.col("digest_date") == day).sort("recorded_at") if digest.height else digest
    outcomes = (
        digest.filter(~pl.col("status").is_in(["sending", "already_sent"])) if digest.height else digest
    )
    return {
        "cv_documents": docs.filter(pl.col("status") == "ok").height,
        "cv_refused": docs.filter(pl.col("status") == "error").height,
        "titles": titles.height,
        "searches": len(searches),
        "postings": postings["posting_id"].n_unique() if postings.height else 0,
        "screened": screenings["posting_id"].n_unique() if screenings.height else 0,
        "high": screenings.filter(pl.col("probability") == "High")["posting_id"].n_unique()
        if screenings.height
        else 0,
        "dossiers": dossiers.height,
        "packages": packages["application_id"].n_unique() if packages.height else 0,
        "packages_not_grounded": packages.filter(pl.col("grounded").not_())["application_id"].n_unique()
        if packages.height
        else 0,
        "digest": str(outcomes["status"][-1]) if outcomes.height else None,
        "digest_packages": len(outcomes["application_ids"][-1]) if outcomes.height else 0,
        "digest_error": str(outcomes["error"][-1]) if outcomes.height and outcomes["error"][-1] else None,
    }


def per_user_rows(
    instance: dg.DagsterInstance, store: Warehouse, users: list[str], day: date
) -> dict[str, list[BatchStatusRow]]:
    """The straightforward reading: every user's counts (``reference_counts``), earlier rows and statuses
    read one user at a time."""
    runs = day_runs(instance, day, users)
    out = {}
    for user in users:
        counts = reference_counts(store, user, day)
        assert stage_counts(store, user, day) == counts
        statuses = batch_status(user, day, runs, counts)
        out[user] = status_rows(
            user, day, statuses, datetime.now(UTC), store.read_records(BATCH_STATUS, [user])
        )
    return out


class CountingWarehouse(Warehouse):
    """A warehouse that counts its reads per table (one ``read`` call = one read, whatever its keys)."""

    reads: ClassVar[Counter[str]] = Counter()

    def read(self, table: str, partition_keys: object = None) -> pl.DataFrame:  # type: ignore[override]
        CountingWarehouse.reads[table] += 1
        return super().read(table, partition_keys)  # type: ignore[arg-type]


N = 6


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dg.DagsterInstance, Path, list[str]]]:
    root = tmp_path_factory.mktemp("batch_status_cost")
    (root / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(root / "dagster")) as instance:
        store = Warehouse(root / "wh", root / "wh.duckdb")
        users = scenario(instance, store, N)
        yield instance, root, users


def _without_time(rows: list[BatchStatusRow]) -> list[dict[str, object]]:
    return [r.model_dump(exclude={"checked_at"}) for r in rows]


def test_the_tracker_writes_what_the_per_user_reading_gives(
    day: tuple[dg.DagsterInstance, Path, list[str]],
) -> None:
    instance, root, users = day
    store = Warehouse(root / "wh", root / "wh.duckdb")
    today = datetime.now(UTC).date()
    expected = per_user_rows(instance, store, users, today)
    result = tracker_run(instance, root, users)
    assert result.success
    written = {u: store.read_records(BATCH_STATUS, [u]) for u in users}
    assert {u: _without_time(rows) for u, rows in written.items()} == {
        u: _without_time(rows) for u, rows in expected.items()
    }
    # the scenario is not trivial: a failed intake with its reason, an isolated search failure,
    # a digest not delivered, counts from the warehouse, yesterday's rows kept, 40 days ago dropped
    failed = users[FAILED_USER_INDEX]
    by_stage = {r.stage: r for r in written[failed] if r.day == today}
    assert by_stage["intake"].state == "failed" and "No readable CV" in (by_stage["intake"].detail or "")
    assert by_stage["search"].state == "not run"
    first = {r.stage: r for r in written[users[0]] if r.day == today}
    assert first["search"].state == "failed" and "EngineError" in (first["search"].detail or "")
    assert (first["screening"].state, first["screening"].rows) == ("done", 5)
    assert [r.day for r in written[users[2]]] == [today - timedelta(days=1)] + [today] * 6
    # the partition pages: each user's own table
    events = {
        e.partition_key: e.asset_materialization.metadata
        for e in instance.fetch_materializations(dg.AssetKey("batch_status"), limit=100).records
        if e.asset_materialization is not None
    }
    assert events[failed]["failed_stages"].value == 1
    assert "No readable CV" in str(events[failed]["status"].value)


def test_the_warehouse_is_read_once_per_table_not_once_per_user(
    day: tuple[dg.DagsterInstance, Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    instance, root, users = day
    monkeypatch.setattr("resources.warehouse.Warehouse", CountingWarehouse)
    CountingWarehouse.reads.clear()
    assert tracker_run(instance, root, users).success
    reads = dict(CountingWarehouse.reads)
    assert reads == {
        "cv_documents": 1,
        "suggested_titles": 1,
        "job_postings": 1,
        "screenings": 1,
        "company_dossiers": 1,
        "application_packages": 1,
        "email_digests": 1,
        "batch_status": 1,
    }


def test_users_are_read_in_chunks_with_the_same_rows(
    day: tuple[dg.DagsterInstance, Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a chunk of users' rows is held at a time: 6 users in chunks of 4 read each table twice, and
    write what the per-user reading gives."""
    instance, root, users = day
    store = Warehouse(root / "wh", root / "wh.duckdb")
    today = datetime.now(UTC).date()
    expected = per_user_rows(instance, store, users, today)
    monkeypatch.setattr(sys.modules["assets.batch_status"], "CHUNK_USERS", 4)  # the module, not the asset
    monkeypatch.setattr("resources.warehouse.Warehouse", CountingWarehouse)
    CountingWarehouse.reads.clear()
    assert tracker_run(instance, root, users).success
    assert set(CountingWarehouse.reads.values()) == {2} and len(CountingWarehouse.reads) == 8
    written = {u: store.read_records(BATCH_STATUS, [u]) for u in users}
    assert {u: _without_time(r) for u, r in written.items()} == {
        u: _without_time(r) for u, r in expected.items()
    }


def test_one_read_of_a_runs_events_gives_dagsters_step_states(
    day: tuple[dg.DagsterInstance, Path, list[str]],
) -> None:
    """run_view reads a run's events once; its step states are those of Dagster's step stats."""
    from assets.batch_runs import run_view

    instance, _, _ = day
    records = instance.get_run_records()
    assert {r.dagster_run.status for r in records} >= {
        dg.DagsterRunStatus.SUCCESS,
        dg.DagsterRunStatus.FAILURE,
    }
    named = {"SUCCESS": "SUCCESS", "FAILURE": "FAILURE", "SKIPPED": "SKIPPED", "IN_PROGRESS": "RUNNING"}
    for record in records:
        stats = instance.get_run_step_stats(record.dagster_run.run_id)
        expected = {s.step_key: named[s.status.value] for s in stats if s.status is not None}
        assert dict(run_view(instance, record).steps) == expected
    [failed] = [r for r in records if r.dagster_run.status == dg.DagsterRunStatus.FAILURE]
    view = run_view(instance, failed)
    assert view.steps["cv_documents"] == "FAILURE"
    assert f"No readable CV for user {_users(N)[FAILED_USER_INDEX]}" in view.step_errors["cv_documents"]
    assert "cv_documents" in view.run_error
    [search] = [r for r in records if r.dagster_run.job_name == "search_job"]
    assert run_view(instance, search).key_failures == {
        "job_postings": {search_key(_users(N)[0], TITLES[0]): "EngineError: every engine failed"}
    }


def test_rows_that_do_not_name_their_partition_are_read_partition_by_partition(tmp_path: Path) -> None:
    """The split by key column is only trusted when every row names a partition read; otherwise each
    partition is read apart, and the counts are those of the per-user reading."""
    from jobland_pipeline.batch import user_rows

    store = Warehouse(tmp_path / "wh", tmp_path / "wh.duckdb")
    today = datetime.now(UTC).date()
    now = datetime.now(UTC)
    for user in ("ann", "bob"):
        keys = [search_key(user, t) for t in TITLES]
        store.write_partition("cv_documents", user, [{"user_id": None, "status": "ok"}])  # no user named
        store.write_partition("suggested_titles", user, [{"user_id": user, "search_key": k} for k in keys])
        for k in keys:
            store.write_partition(
                "screenings",
                k,
                [{"search_key": None, "posting_id": f"{k}-{i}", "screened_at": now} for i in range(2)],
            )
    rows = user_rows(store, ["ann", "bob"])
    for user in ("ann", "bob"):
        counts = stage_counts(store, user, today)
        assert counts == reference_counts(store, user, today)
        assert counts["cv_documents"] == 1 and counts["screened"] == 4
        assert rows[user].cv_documents.height == 1 and rows[user].screenings.height == 4
        assert set(rows[user].screenings["posting_id"]) == {
            f"{search_key(user, t)}-{i}" for t in TITLES for i in range(2)
        }


def test_every_run_of_the_day_is_read_whatever_the_page_size(
    day: tuple[dg.DagsterInstance, Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day with more runs than a page (more new CVs than ``PAGE_RUNS``) loses none of them."""
    instance, _, users = day
    today = datetime.now(UTC).date()
    whole = [r.dagster_run.run_id for r in batch_runs.day_records(instance, today)]
    assert len(whole) >= N + 2  # an intake run per user, the search batch, the delivery batch
    monkeypatch.setattr(batch_runs, "PAGE_RUNS", 2)
    paged = [r.dagster_run.run_id for r in batch_runs.day_records(instance, today)]
    assert paged == whole and len(set(paged)) == len(paged)
    intake_users = {u for r in day_runs(instance, today) if r.job == "intake_job" for u in r.users}
    assert intake_users == set(users)
