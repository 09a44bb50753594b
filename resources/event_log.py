"""Dagster's Postgres event log with dynamic partition keys read once per moment, not once per question.

Dagster asks the event log for a dynamic partition set's keys on every per-partition call:
``context.add_asset_metadata(..., partition_key=k)`` (each asset of a batch run, once per partition)
checks that ``k`` is in the run's range with two key lookups and a listing of *every* key of the set.
Postgres storage opens a new connection per query, so a search batch of 500 partitions made 1,500
queries, 500 of them reading the whole ``searches`` set: at 1,000 keys 37 ms a call (18 s of a run),
at 8,000 keys 56 ms (28 s; ``bench/partition_keys.py``). At 10,000 users x 8 titles the listing alone
would be O(batch x keys) per run, every day.

Here a set's keys are read at most once per ``CACHE_SECONDS`` per process, and a process forgets them
as soon as it adds or deletes keys of that set. A key another process added since is never reported
absent (an absent key is asked of the database again); one it deleted within the last
``CACHE_SECONDS`` may still be listed here. That is the window the sensors already live with: a sensor
reads the keys, then acts on them a moment later; sensor ticks are 30 s or more apart, longer than the
cache, so no tick sees an earlier tick's keys.

Used by ``dagster.postgres.yaml`` (``event_log_storage``); the embedded SQLite instance is unchanged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from dagster_postgres import PostgresEventLogStorage
from dagster_postgres.utils import get_token_provider_from_config, pg_url_from_config

CACHE_SECONDS = 5.0


class PartitionCachingPostgresEventLogStorage(PostgresEventLogStorage):
    """``PostgresEventLogStorage`` whose dynamic partition reads are kept for ``CACHE_SECONDS``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keys: dict[str, tuple[float, list[str], frozenset[str]]] = {}
        self._keys_lock = threading.Lock()
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

    def _fresh(self, name: str) -> tuple[list[str], frozenset[str]] | None:
        with self._keys_lock:
            held = self._keys.get(name)
        if held is not None and time.monotonic() - held[0] < CACHE_SECONDS:
            return held[1], held[2]
        return None

    def _listed(self, name: str) -> tuple[list[str], frozenset[str]]:
        fresh = self._fresh(name)
        if fresh is not None:
            return fresh
        read_at = time.monotonic()
        keys = list(super().get_dynamic_partitions(name))
        self.partition_reads += 1
        members = frozenset(keys)
        with self._keys_lock:
            self._keys[name] = (read_at, keys, members)
        return keys, members

    def _forget(self, name: str) -> None:
        with self._keys_lock:
            self._keys.pop(name, None)

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        return list(self._listed(partitions_def_name)[0])

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        fresh = self._fresh(partitions_def_name)  # never a whole listing for one key
        if fresh is not None and partition_key in fresh[1]:
            return True
        return super().has_dynamic_partition(partitions_def_name, partition_key)

    def add_dynamic_partitions(self, partitions_def_name: str, partition_keys: Sequence[str]) -> None:
        try:
            super().add_dynamic_partitions(partitions_def_name, partition_keys)
        finally:
            self._forget(partitions_def_name)

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        try:
            super().delete_dynamic_partition(partitions_def_name, partition_key)
        finally:
            self._forget(partitions_def_name)
