"""Dagster's Postgres event log, with dynamic partition keys read once per batch loop, not once per key.

Dagster asks the event log for a dynamic partition set's keys on every per-partition call:
``context.add_asset_metadata(..., partition_key=k)`` (each asset of a batch run, once per partition)
checks that ``k`` is in the run's range with two key lookups and a listing of *every* key of the set.
Postgres storage opens a new connection per query, so a search batch of 500 partitions made 1,500
queries, 500 of them reading the whole ``searches`` set: at 1,000 keys 32 ms a call (16 s of a run),
at 8,000 keys 54 ms (27 s; ``bench/partition_keys.py``). At 10,000 users x 8 titles that is
O(batch x keys) per run, every day.

Inside ``cached_partition_keys(instance)`` (an asset's loop over its run's partitions), this thread
reads each set's keys at most once and answers membership from that listing; its own additions and
deletions drop the listing at once. A run's partition range is fixed when the run starts, so a
listing from the start of the loop answers it as well as a fresh one. Everywhere else (the daemon,
the webserver, sensors, other threads) every read goes to the database, as with Dagster's own
event log.

Used by ``dagster.postgres.yaml`` (``event_log_storage``); the embedded SQLite instance is unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import dagster as dg
from dagster_postgres import PostgresEventLogStorage
from dagster_postgres.utils import get_token_provider_from_config, pg_url_from_config
from sqlalchemy.exc import IntegrityError, InternalError


class PartitionCachingPostgresEventLogStorage(PostgresEventLogStorage):
    """``PostgresEventLogStorage`` whose dynamic partition reads are kept for a ``cached()`` block."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._scope = threading.local()
        self.partition_reads = 0  # listings that went to the database (for tests and benches)

    @classmethod
    def from_config_value(
        cls, inst_data: Any, config_value: Mapping[str, Any]
    ) -> PartitionCachingPostgresEventLogStorage:
        return cls(
            inst_data=inst_data,
            postgres_url=pg_url_from_config(config_value),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            token_provider=get_token_provider_from_config(config_value),
        )

    def initialize_concurrency_limit_to_default(self, concurrency_key: str) -> bool:
        """Dagster's, safe when two processes set up the same pool at once (two runs starting their
        first ``llm`` step together): the second INSERT fails on the unique key, which aborts its
        Postgres transaction, and Dagster's fallback UPDATE then fails too. The first process's row
        and slots stand, and they are what both wanted: the pool is set up."""
        try:
            return super().initialize_concurrency_limit_to_default(concurrency_key)
        except (IntegrityError, InternalError):
            if concurrency_key in self.get_concurrency_keys():
                return True
            raise

    @contextmanager
    def cached(self) -> Iterator[None]:
        """This thread's partition reads answered from one listing per set until the block ends."""
        outer = getattr(self._scope, "keys", None) is not None
        if not outer:
            self._scope.keys = {}
        try:
            yield
        finally:
            if not outer:
                self._scope.keys = None

    def _held(self) -> dict[str, tuple[list[str], frozenset[str]]] | None:
        held: dict[str, tuple[list[str], frozenset[str]]] | None = getattr(self._scope, "keys", None)
        return held

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        held = self._held()
        if held is not None and partitions_def_name in held:
            return list(held[partitions_def_name][0])
        self.partition_reads += 1
        keys = list(super().get_dynamic_partitions(partitions_def_name))
        if held is not None:
            held[partitions_def_name] = (keys, frozenset(keys))
        return keys

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        held = self._held()
        if held is not None and partitions_def_name in held and partition_key in held[partitions_def_name][1]:
            return True
        return super().has_dynamic_partition(partitions_def_name, partition_key)

    def _drop(self, partitions_def_name: str) -> None:
        held = self._held()
        if held is not None:
            held.pop(partitions_def_name, None)

    def add_dynamic_partitions(self, partitions_def_name: str, partition_keys: Sequence[str]) -> None:
        try:
            super().add_dynamic_partitions(partitions_def_name, partition_keys)
        finally:
            self._drop(partitions_def_name)

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        try:
            super().delete_dynamic_partition(partitions_def_name, partition_key)
        finally:
            self._drop(partitions_def_name)


@contextmanager
def cached_partition_keys(instance: dg.DagsterInstance) -> Iterator[None]:
    """Wrap an asset's loop over its run's partitions: on the production event log its per-partition
    calls share one key listing per set; on any other instance, nothing changes."""
    storage = instance.event_log_storage
    if not isinstance(storage, PartitionCachingPostgresEventLogStorage):
        yield
        return
    with storage.cached():
        yield
