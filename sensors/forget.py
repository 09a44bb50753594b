"""Forgetting a user: their rows, packages, e-mails and delivery claims leave (the right to be
forgotten, or a user who left the inbox). Launched by the inbox sensor when a user's folder goes, or
from the UI's launchpad, or by ``jobland forget``.

A run already under way when the user is forgotten could write their rows again after the removal
(a search batch over their searches, the delivery batch). So the user's partitions go first (no new
run can target them), then the removal waits for the runs in progress that may write the user's rows
(``wait_for_runs``), and only then removes the rows and files.
"""

import time
from collections.abc import Callable, Mapping
from pathlib import Path

import dagster as dg

from assets.partitions import RANGE_START_TAG, USER_TAG, USERS_TAG, run_users
from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR
from jobland_pipeline.warehouse.forget import forget_searches, forget_user
from resources import MailerResource, PackageStoreResource, WarehouseResource
from sensors.run_health import mark_dead_runs

# Runs executing now. A queued run is not waited for: it starts after the user's partitions are gone,
# so its range skips their keys (and a forget run waiting for it would hold the run slot it needs).
RUNNING = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
PARTITION_SETS = ("users", "searches")


class ForgetConfig(dg.Config):
    user_id: str = ""  # a whole user (their files left the inbox, or they asked to be forgotten)
    search_keys: list[str] = []  # noqa: RUF012 - dg.Config copies defaults; searches a user no longer has
    wait_seconds: float = 1800.0  # for runs in progress that may write the user's rows


def partition_keys(instance: dg.DagsterInstance) -> dict[str, list[str]]:
    """Every key of the dynamic partition sets, in order: taken before a user's keys are deleted, it
    still says which partition ranges held them."""
    return {name: list(instance.get_dynamic_partitions(name)) for name in PARTITION_SETS}


def delete_user_partitions(instance: dg.DagsterInstance, user: str, known: dict[str, list[str]]) -> int:
    """The user's ``users`` key and ``searches`` keys deleted (from ``known``, the keys as listed):
    no new run can target them. How many were deleted."""
    mine = [("users", user)] if user in known.get("users", []) else []
    mine += [
        ("searches", k) for k in known.get("searches", []) if k.split(SEARCH_KEY_SEPARATOR, 1)[0] == user
    ]
    for name, key in mine:
        instance.delete_dynamic_partition(name, key)
    return len(mine)


def _may_write(
    tags: Mapping[str, str], user: str, known: dict[str, list[str]] | None, instance: dg.DagsterInstance
) -> bool:
    """Whether a run may write ``user``'s rows, from its tags: its user or partition, its range (read in
    ``known``, the keys as they were before the user's went), or the users it names. A range whose
    keys cannot tell (the user's are gone) is judged by the names; a run that says none of these may
    write anyone's."""
    if tags.get(USER_TAG):
        return tags[USER_TAG] == user
    if tags.get("dagster/partition"):
        return tags["dagster/partition"].split(SEARCH_KEY_SEPARATOR, 1)[0] == user
    if known is not None and RANGE_START_TAG in tags and user in run_users(tags, instance, known):
        return True
    named = [n for n in tags.get(USERS_TAG, "").split(",") if n]
    if named:
        return user in named or named[-1].startswith("+")  # "+N more": the tag was cut
    return True


def runs_in_the_way(
    instance: dg.DagsterInstance,
    user: str,
    known: dict[str, list[str]] | None,
    exclude: frozenset[str] = frozenset(),
) -> list[str]:
    """The ids of the runs executing (starting to cancelling) that may write ``user``'s rows; forget
    runs never count (two forgets must not wait for each other)."""
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=RUNNING))
    return [
        r.run_id
        for r in runs
        if r.run_id not in exclude
        and r.job_name != "forget_job"
        and _may_write(r.tags, user, known, instance)
    ]


def wait_for_runs(
    instance: dg.DagsterInstance,
    user: str,
    *,
    known: dict[str, list[str]] | None,
    timeout: float,
    exclude: frozenset[str] = frozenset(),
    poll: float = 2.0,
    on_wait: Callable[[list[str]], None] | None = None,
) -> list[str]:
    """Wait up to ``timeout`` seconds for ``runs_in_the_way`` to end; the ids of those still going.
    ``on_wait`` is told once, when there is something to wait for."""
    deadline = time.monotonic() + timeout
    told = False
    while True:
        ids = runs_in_the_way(instance, user, known, exclude)
        left = deadline - time.monotonic()
        if not ids or left <= 0:
            return ids
        if on_wait is not None and not told:
            on_wait(ids)
            told = True
        time.sleep(min(poll, left))


def still_running(user: str, ids: list[str]) -> str:
    """The one line that says the removal may be incomplete, and what to do."""
    shown = ", ".join(i[:8] for i in ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return (
        f"{user}: {len(ids)} run(s) that may write their rows were still in progress ({shown}); "
        f"forget {user} again once they end"
    )


def user_folders(user_id: str, packages: PackageStoreResource, mailer: MailerResource) -> list[Path]:
    """The user's files outside the warehouse: their package folders and every digest written to them."""
    return [Path(packages.path) / user_id, *sorted(Path(mailer.outbox_dir).glob(f"*/{user_id}.eml"))]


@dg.op(description="Remove every row and file of one user, or the rows of searches a user no longer has.")
def forget_user_op(
    context: dg.OpExecutionContext,
    config: ForgetConfig,
    warehouse: WarehouseResource,
    packages: PackageStoreResource,
    mailer: MailerResource,
) -> None:
    still: list[str] = []
    if config.user_id:
        # From the inbox sensor its partitions went with the sensor's request, and ranges are judged
        # by the users runs name; from the launchpad they go here.
        known = partition_keys(context.instance)
        deleted = delete_user_partitions(context.instance, config.user_id, known)
        for line in mark_dead_runs(context.instance):  # a killed pass's run would be waited for in vain
            context.log.warning(line)
        still = wait_for_runs(
            context.instance,
            config.user_id,
            known=known if deleted else None,
            timeout=config.wait_seconds,
            exclude=frozenset({context.run_id}),
            on_wait=lambda ids: context.log.info(f"waiting for {len(ids)} run(s) in progress: {ids}"),
        )
        folders = user_folders(config.user_id, packages, mailer)
        context.log.info(forget_user(warehouse.store, config.user_id, folders=folders).summary())
        # The delivery claims name the user too (a state file per digest day, or a Postgres row).
        claims = mailer.claims()
        try:
            context.log.info(f"{config.user_id}: {claims.forget(config.user_id)} delivery claims removed")
        finally:
            claims.close()
    if config.search_keys:
        context.log.info(forget_searches(warehouse.store, config.search_keys).summary())
    if config.user_id and still:
        raise dg.Failure(description=still_running(config.user_id, still))


@dg.job(description="Forget a user: their rows, packages and e-mails are removed for good.")
def forget_job() -> None:
    forget_user_op()
