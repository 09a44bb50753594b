from datetime import UTC, datetime

import dagster as dg

from assets.partitions import batch_tags, searches_partitions, users_partitions
from jobland_pipeline.inbox_cursor import InboxCursor, plan_tick
from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR
from resources import InboxResource
from sensors.forget import forget_job
from sensors.jobs import intake_job

PAGE_SIZE = 1000
MAX_PAGES_PER_TICK = 10
MAX_RUNS_PER_TICK = 200


@dg.sensor(
    jobs=[intake_job, forget_job], minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING
)
def cv_inbox_sensor(context: dg.SensorEvaluationContext, inbox: InboxResource) -> dg.SensorResult:
    """Watches the inbox (``<inbox>/<user>/`` locally or ``s3://bucket/prefix/<user>/``).

    New, changed (ETag / mtime) or deleted CVs and settings add the user partition and request one
    intake run per user; ``run_key`` = user + the version of their files, so a re-tick never launches
    a duplicate. Each tick lists at most ``MAX_PAGES_PER_TICK`` pages and resumes where it stopped.
    """
    cursor = InboxCursor.decode(context.cursor)
    plan = plan_tick(
        inbox.lister(),
        cursor,
        page_size=PAGE_SIZE,
        max_pages=MAX_PAGES_PER_TICK,
        max_changed_users=MAX_RUNS_PER_TICK,
    )
    for key, reason in plan.rejected:
        context.log.warning(f"inbox: skipped {key!r}: {reason}")
    for key in plan.deleted:
        context.log.info(f"inbox: {key} was deleted")
    existing = set(context.instance.get_dynamic_partitions(users_partitions.name or "users"))
    gone = set(plan.gone_users)
    present = [u for u in plan.changed_users if u not in gone]
    new_users = sorted(set(present) - existing)
    today = datetime.now(UTC).date()
    requests = [
        dg.RunRequest(
            job_name=intake_job.name,
            partition_key=user,
            run_key=f"{user}:{plan.cursor.user_version(user)}",
            tags=batch_tags(today, [user]),
        )
        for user in present
    ]
    partition_requests: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
    if new_users:
        partition_requests.append(users_partitions.build_add_request(new_users))
    forgotten = sorted(gone & existing)
    if forgotten:
        context.log.info(f"inbox: forgetting {', '.join(forgotten)} (their files left the inbox)")
        searches = context.instance.get_dynamic_partitions(searches_partitions.name or "searches")
        theirs = [k for k in searches if k.split(SEARCH_KEY_SEPARATOR, 1)[0] in forgotten]
        partition_requests.append(users_partitions.build_delete_request(forgotten))
        if theirs:
            partition_requests.append(searches_partitions.build_delete_request(theirs))
        requests += [
            dg.RunRequest(
                job_name=forget_job.name,
                run_key=f"forget:{user}:{plan.cursor.user_version(user)}",
                run_config={"ops": {"forget_user_op": {"config": {"user_id": user}}}},
                tags=batch_tags(today, [user]),
            )
            for user in forgotten
        ]
    return dg.SensorResult(
        run_requests=requests, dynamic_partitions_requests=partition_requests, cursor=plan.cursor.encode()
    )
