"""The production event log (dagster.postgres.yaml) on the machine's Postgres: per-partition metadata of
a batch run (inside ``cached_partition_keys``, as ``for_each_key`` runs it) costs no key listing per
partition and lands on each partition's own materialization; outside such a block every read goes to
the database, and inside one the thread's own changes are seen at once."""

from pathlib import Path

import dagster as dg
import pytest

from assets.search_context import for_each_key
from resources.event_log import PartitionCachingPostgresEventLogStorage, cached_partition_keys
from tests.test_postgres import database, production_home  # noqa: F401 - the fixture: a new database, dropped after

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = dg.DynamicPartitionsDefinition(name="searches")


@dg.asset(partitions_def=SEARCHES)
def searched(context: dg.AssetExecutionContext) -> None:
    """Each partition's own row count, reported as the project's per-partition assets do it."""

    def work(key: str) -> None:
        context.add_asset_metadata({"dagster/row_count": int(key.rsplit("-", 1)[1])}, partition_key=key)

    done, failed = for_each_key(context, list(context.partition_keys), work)
    assert len(done) == len(context.partition_keys) and not failed


def _instance(tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(production_home(tmp_path, db, monkeypatch)))


def _storage(instance: dg.DagsterInstance) -> PartitionCachingPostgresEventLogStorage:
    storage = instance.event_log_storage
    assert isinstance(storage, PartitionCachingPostgresEventLogStorage)
    return storage


@pytest.mark.postgres
def test_batch_metadata_reads_the_keys_once_and_each_partition_keeps_its_own(
    tmp_path: Path,
    database: str,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys = [f"user{i:03d}::title-{i}" for i in range(120)]
    with _instance(tmp_path, database, monkeypatch) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        storage = _storage(instance)
        instance.add_dynamic_partitions("searches", keys)
        storage.partition_reads = 0
        result = dg.materialize(
            [searched],
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": keys[10],
                "dagster/asset_partition_range_end": keys[89],
            },
        )
        assert result.success
        # 80 partitions: one listing for the loop, a few of Dagster's own around the step (84 without
        # the loop's cache)
        assert storage.partition_reads <= 8, storage.partition_reads
        counts: dict[str, object] = {}
        for key in (keys[10], keys[50], keys[89], keys[9], keys[90]):
            found = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey("searched"), asset_partitions=[key]), limit=1
            ).records
            materialization = found[0].asset_materialization if found else None
            counts[key] = materialization.metadata["dagster/row_count"].value if materialization else None
        assert counts == {keys[10]: 10, keys[50]: 50, keys[89]: 89, keys[9]: None, keys[90]: None}


@pytest.mark.postgres
def test_keys_are_read_afresh_outside_a_batch_loop_and_follow_the_threads_own_changes_inside(
    tmp_path: Path,
    database: str,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with (
        _instance(tmp_path, database, monkeypatch) as mine,
        _instance(tmp_path, database, monkeypatch) as other,  # another process's storage
    ):
        storage = _storage(mine)
        mine.add_dynamic_partitions("users", ["ana", "bo"])
        other.delete_dynamic_partition("users", "bo")  # outside a loop: seen at once, as Dagster's
        assert list(mine.get_dynamic_partitions("users")) == ["ana"]
        assert not mine.has_dynamic_partition("users", "bo")
        with cached_partition_keys(mine):
            reads = storage.partition_reads
            assert list(mine.get_dynamic_partitions("users")) == ["ana"]
            assert mine.has_dynamic_partition("users", "ana")
            assert list(mine.get_dynamic_partitions("users")) == ["ana"]
            assert storage.partition_reads == reads + 1  # one listing for the loop
            other.add_dynamic_partitions("users", ["cy"])
            assert mine.has_dynamic_partition("users", "cy")  # a key not listed is asked again
            mine.add_dynamic_partitions("users", ["dee"])  # this thread's change: seen at once
            assert list(mine.get_dynamic_partitions("users")) == ["ana", "cy", "dee"]
            mine.delete_dynamic_partition("users", "ana")
            assert not mine.has_dynamic_partition("users", "ana")
            assert list(mine.get_dynamic_partitions("users")) == ["cy", "dee"]  # listed again
            other.delete_dynamic_partition("users", "cy")
            assert "cy" in mine.get_dynamic_partitions("users")  # the loop's listing
        assert list(mine.get_dynamic_partitions("users")) == ["dee"]  # after it: afresh


def test_the_production_instance_names_this_event_log() -> None:
    """dagster.postgres.yaml is what operators copy: the cached event log must be what it configures."""
    import yaml

    config = yaml.safe_load((ROOT / "dagster.postgres.yaml").read_text(encoding="utf-8"))
    section = config["event_log_storage"]
    assert (section["module"], section["class"]) == (
        "resources.event_log",
        PartitionCachingPostgresEventLogStorage.__name__,
    )
    for name in ("run_storage", "event_log_storage", "schedule_storage"):
        assert config[name]["config"]["postgres_db"]["db_name"] == {"env": "DAGSTER_PG_DB"}
    assert "storage" not in config  # one storage per part, or Dagster's own event log would be used


@pytest.mark.postgres
def test_a_pool_another_process_set_up_at_the_same_moment_is_set_up(
    tmp_path: Path,
    database: str,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two runs starting their first step of a pool together both set up its default limit; the
    second one's INSERT conflicts (Dagster's fallback then fails in the aborted transaction)."""
    with (
        _instance(tmp_path, database, monkeypatch) as first,
        _instance(tmp_path, database, monkeypatch) as second,
    ):
        assert first.event_log_storage.initialize_concurrency_limit_to_default("llm")
        # the second process had not seen the row when it chose to set the pool up
        assert second.event_log_storage.initialize_concurrency_limit_to_default("llm")
        assert second.event_log_storage.get_concurrency_info("llm").slot_count == 4  # the default limit
