"""The CV inbox sensor: new or changed files -> user partitions and intake runs (never duplicates)."""

import json

import dagster as dg

from assets.partitions import users_partitions
from resources import LocalInboxResource
from sensors.jobs import intake_job

MAX_RUNS_PER_TICK = 200


@dg.sensor(job=intake_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def cv_inbox_sensor(context: dg.SensorEvaluationContext, inbox: LocalInboxResource) -> dg.SensorResult:
    """Watches ``<inbox>/<user>/``: adds the user partition and requests an intake run per changed user.

    The cursor maps each user to a version of their files (size + mtime of each), so only new or
    changed CVs (or settings) cause a run; ``run_key`` makes a re-tick idempotent.
    """
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    scan = inbox.scan()
    for path, reason in scan.rejected:
        context.log.warning(f"inbox: skipped {path!r}: {reason}")
    existing = set(context.instance.get_dynamic_partitions(users_partitions.name or "users"))
    new_users: list[str] = []
    requests: list[dg.RunRequest] = []
    settings_versions = {u: "" for u in scan.users_with_settings}
    for user_id in sorted(scan.by_user()):
        version = scan.user_version(user_id) + settings_versions.get(user_id, "")
        if seen.get(user_id) == version:
            continue
        if len(requests) >= MAX_RUNS_PER_TICK:
            break  # the rest is picked up on the next tick; the cursor is not advanced for them
        if user_id not in existing:
            new_users.append(user_id)
        requests.append(dg.RunRequest(partition_key=user_id, run_key=f"{user_id}:{version}"))
        seen[user_id] = version
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[users_partitions.build_add_request(sorted(new_users))]
        if new_users
        else [],
        cursor=json.dumps(seen, sort_keys=True),
    )
