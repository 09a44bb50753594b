"""Completion webhooks: when a delivery run ends, one signed event per user of the run.

A run status sensor rather than a call at the end of ``email_digests``: the event must also go when
the delivery run *fails* (the asset never gets to its end then), sending is not the digest's business,
and a slow receiver holds up a sensor tick, never a run. Events, signing and the once-only ledger are
in ``jobland_pipeline.delivery.webhooks``; the counts and failures come from the warehouse and the
instance (``jobland_pipeline.batch``).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import dagster as dg

from jobland_pipeline.batch import failures, stage_counts
from jobland_pipeline.delivery.webhooks import WebhookOutcome, batch_event, send_event
from resources import WarehouseResource, WebhookResource
from sensors.batch_runs import day_runs
from sensors.jobs import delivery_job
from sensors.tracker import run_users


def notify_run(
    instance: dg.DagsterInstance,
    run: dg.DagsterRun,
    webhooks: WebhookResource,
    warehouse: WarehouseResource,
    log: logging.Logger | None = None,
) -> list[WebhookOutcome]:
    """Send (once) the batch event of every user the run covered; returns the outcomes."""
    if not webhooks.enabled:
        return []
    config = webhooks.config()
    record = instance.get_run_record_by_id(run.run_id)
    created = record.create_timestamp if record is not None else datetime.now(UTC)
    day: date = created.astimezone().date()
    users = run_users(run.tags, instance)
    runs = day_runs(instance, day, users)
    store = warehouse.store
    outcomes: list[WebhookOutcome] = []
    for user in users:
        counts = stage_counts(store, user, day)
        docs = store.read("cv_documents", [user])
        refused = (
            [str(e) for e in docs.filter(docs["status"] == "error")["error"].to_list()] if docs.height else []
        )
        event = batch_event(
            user,
            day,
            counts,
            failures(user, runs, counts, refused),
            run_failed=run.status == dg.DagsterRunStatus.FAILURE,
            run_id=run.run_id,
        )
        for outcome in send_event(config, event, log=log.warning if log else None):
            outcomes.append(outcome)
            if log is not None and outcome.status == "failed":
                log.error(
                    f"webhook {outcome.target} {outcome.event} for {user}: failed after "
                    f"{outcome.attempts} attempt(s): {outcome.error}"
                )
    return outcomes


def _result(outcomes: list[WebhookOutcome]) -> dg.SkipReason | None:
    if not outcomes:
        return dg.SkipReason("no webhook URL configured (JOBLAND_WEBHOOK_URLS)")
    summary = ", ".join(f"{o.user} {o.event} -> {o.target}: {o.status}" for o in outcomes)
    return dg.SkipReason(f"webhooks: {summary}")  # the tick shows each outcome; nothing to launch


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[delivery_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
def webhooks_after_delivery(
    context: dg.RunStatusSensorContext, webhooks: WebhookResource, warehouse: WarehouseResource
) -> dg.SkipReason | None:
    """Per user of a finished delivery run: batch.delivered / partly_delivered / nothing_to_deliver /
    failed (a digest that could not go), once per user, day and event."""
    return _result(notify_run(context.instance, context.dagster_run, webhooks, warehouse, context.log))


@dg.run_failure_sensor(
    monitored_jobs=[delivery_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
def webhooks_after_failed_delivery(
    context: dg.RunFailureSensorContext, webhooks: WebhookResource, warehouse: WarehouseResource
) -> dg.SkipReason | None:
    """Per user of a failed delivery run: batch.failed with the step's reason, once per user and day."""
    return _result(notify_run(context.instance, context.dagster_run, webhooks, warehouse, context.log))
