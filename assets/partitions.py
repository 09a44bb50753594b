"""Partitions: ``users`` (one per inbox folder) and ``searches`` (``"<user>::<title-slug>"``).

Why composite keys in one dynamic dimension rather than users x titles (see docs/decisions.md for
the numbers): titles are per user, so a cartesian product would make every title a partition of
every user (10,000 users x ~4,000 distinct titles = 40M mostly meaningless partitions) where the
composite keys give exactly the 100,000 searches that exist.
"""

from collections.abc import Iterable, Mapping
from datetime import date

import dagster as dg

from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR

users_partitions = dg.DynamicPartitionsDefinition(name="users")
searches_partitions = dg.DynamicPartitionsDefinition(name="searches")

# Dagster's run tags for a partition range: one run covers many partitions (single-run backfills).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def range_tags(first: str, last: str) -> dict[str, str]:
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}


# JobLand's own run tags, for filtering runs in the UI (Runs > filter "tag:jobland/day=2026-12-07"):
DAY_TAG = "jobland/day"  # the batch day a run belongs to (UTC)
USER_TAG = "jobland/user"  # the user of a one-user run (intake, forget)
USERS_TAG = "jobland/users"  # the users a batch run covers, comma-separated (cut, "+N more")
USERS_TAG_LIMIT = 1_000


def batch_tags(day: date, users: Iterable[str]) -> dict[str, str]:
    """The day and the users of a run, as tags: ``jobland/user`` for one user, else ``jobland/users``."""
    names = sorted(set(users))
    tags = {DAY_TAG: day.isoformat()}
    if len(names) == 1:
        tags[USER_TAG] = names[0]
    elif names:
        text, shown = "", 0
        for name in names:
            if len(text) + len(name) + 1 > USERS_TAG_LIMIT:
                break
            text, shown = f"{text},{name}" if text else name, shown + 1
        tags[USERS_TAG] = text + (f",+{len(names) - shown} more" if shown < len(names) else "")
    return tags


def run_users(
    tags: Mapping[str, str], instance: dg.DagsterInstance, known: dict[str, list[str]] | None = None
) -> list[str]:
    """The users a run covered (from its tags): its partition, or every key of its partition range.

    ``known``: a cache of the partitions' keys for a caller that asks of many runs (a day of batch runs
    over 100,000 searches would otherwise fetch every search key once per run)."""
    if "dagster/partition" in tags:
        keys = [tags["dagster/partition"]]
    elif RANGE_START_TAG in tags:
        name = (
            searches_partitions.name
            if SEARCH_KEY_SEPARATOR in tags[RANGE_START_TAG]
            else users_partitions.name
        )
        known = {} if known is None else known
        if (name or "") not in known:
            known[name or ""] = list(instance.get_dynamic_partitions(name or ""))
        every = known[name or ""]
        first, last = tags[RANGE_START_TAG], tags[RANGE_END_TAG]
        keys = (
            list(every[every.index(first) : every.index(last) + 1])
            if first in every and last in every
            else []
        )
    else:
        keys = []
    return sorted({k.split(SEARCH_KEY_SEPARATOR, 1)[0] for k in keys})
