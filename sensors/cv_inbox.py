import dagster as dg

from assets.partitions import users_partitions
from jobland_pipeline.inbox_cursor import InboxCursor, plan_tick
from resources import InboxResource
from sensors.jobs import intake_job

PAGE_SIZE = 1000
MAX_PAGES_PER_TICK = 10
MAX_RUNS_PER_TICK = 200


@dg.sensor(job=intake_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
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
    new_users = sorted(set(plan.changed_users) - existing)
    requests = [
        dg.RunRequest(partition_key=user, run_key=f"{user}:{plan.cursor.user_version(user)}")
        for user in plan.changed_users
    ]
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[users_partitions.build_add_request(new_users)] if new_users else [],
        cursor=plan.cursor.encode(),
    )
