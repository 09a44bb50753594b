"""Partitions: ``users`` (one per inbox folder) and ``searches`` (``"<user>::<title-slug>"``).

Why composite keys in one dynamic dimension rather than users x titles (see docs/decisions.md for
the numbers): titles are per user, so a cartesian product would make every title a partition of
every user (10,000 users x ~4,000 distinct titles = 40M mostly meaningless partitions) where the
composite keys give exactly the 100,000 searches that exist.
"""

import dagster as dg

users_partitions = dg.DynamicPartitionsDefinition(name="users")
searches_partitions = dg.DynamicPartitionsDefinition(name="searches")

# Dagster's run tags for a partition range: one run covers many partitions (single-run backfills).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def range_tags(first: str, last: str) -> dict[str, str]:
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}
