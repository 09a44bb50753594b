"""Completion webhooks: when a delivery run ends, one signed event per user of the run.

Run status sensors (success and failure of ``delivery_job``) request a small ``webhooks_job`` run that
sends, rather than a call at the end of ``email_digests``: the event must also go when the delivery
run *fails* (the asset never gets to its end then), sending is not the digest's business, and a slow
receiver holds up neither the delivery run nor a sensor tick. Events, signing and the once-only ledger are
in ``jobland_pipeline.delivery.webhooks``; the counts and failures come from the warehouse and the
instance (``jobland_pipeline.batch``).
"""

import logging
from datetime import UTC, date, datetime

import dagster as dg

from assets.batch_runs import day_runs
from assets.partitions import run_users
from jobland_pipeline.batch import RunView, failures, stage_counts
from jobland_pipeline.delivery.webhooks import WebhookConfig, WebhookOutcome, batch_event, send_event
from jobland_pipeline.net import CircuitBreaker, HttpClient
from jobland_pipeline.warehouse import Warehouse
from resources import WarehouseResource, WebhookResource
from sensors.jobs import delivery_job


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
    day: date = created.astimezone(UTC).date()  # the batch day: UTC, as the schedules and ledgers
    users = run_users(run.tags, instance)
    runs = day_runs(instance, day, users)
    store = warehouse.store
    outcomes: list[WebhookOutcome] = []
    breakers: dict[str, CircuitBreaker] = {}  # per URL, for this run's events
    with HttpClient(timeout=config.timeout, max_body_bytes=64_000) as client:
        for user in users:
            outcomes += _notify_user(config, user, day, run, runs, store, client, breakers, log)
    return outcomes


def _notify_user(
    config: WebhookConfig,
    user: str,
    day: date,
    run: dg.DagsterRun,
    runs: list[RunView],
    store: Warehouse,
    client: HttpClient,
    breakers: dict[str, CircuitBreaker],
    log: logging.Logger | None,
) -> list[WebhookOutcome]:
    """The user's event (counts and failures of that day) sent to every URL, each outcome logged."""
    outcomes: list[WebhookOutcome] = []
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
    sent = send_event(config, event, client=client, log=log.warning if log else None, breakers=breakers)
    for outcome in sent:
        outcomes.append(outcome)
        if log is not None and outcome.status == "failed":
            log.error(
                f"webhook {outcome.target} {outcome.event} for {user}: failed after "
                f"{outcome.attempts} attempt(s): {outcome.error}"
            )
    return outcomes


class WebhookRunConfig(dg.Config):
    """Which delivery run's users to announce."""

    run_id: str


@dg.op
def send_batch_webhooks(
    context: dg.OpExecutionContext,
    config: WebhookRunConfig,
    webhooks: WebhookResource,
    warehouse: WarehouseResource,
) -> None:
    """The events of one finished delivery run; a failing receiver is logged and recorded, never raised."""
    run = context.instance.get_run_by_id(config.run_id)
    if run is None:
        context.log.warning(f"webhooks: no run {config.run_id} in this instance")
        return
    outcomes = notify_run(context.instance, run, webhooks, warehouse, context.log)
    for o in outcomes:
        context.log.info(f"webhook {o.user} {o.event} -> {o.target}: {o.status} ({o.attempts} attempt(s))")


@dg.job(executor_def=dg.in_process_executor, description="Send the completion webhooks of a delivery run.")
def webhooks_job() -> None:
    send_batch_webhooks()


def webhook_request(run: dg.DagsterRun, webhooks: WebhookResource) -> dg.RunRequest | dg.SkipReason:
    """One webhooks run per finished delivery run (run key = its id: a re-evaluation launches none).

    Sending happens in that run, not in the sensor tick: a slow or failing receiver (retries with
    backoff, for each user of a batch of thousands) must not hit the tick's time limit.
    """
    if not webhooks.enabled:
        return dg.SkipReason("no webhook URL configured (JOBLAND_WEBHOOK_URLS)")
    return dg.RunRequest(
        run_key=f"webhooks:{run.run_id}",
        run_config={"ops": {"send_batch_webhooks": {"config": {"run_id": run.run_id}}}},
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[delivery_job],
    request_job=webhooks_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
def webhooks_after_delivery(
    context: dg.RunStatusSensorContext, webhooks: WebhookResource
) -> dg.RunRequest | dg.SkipReason:
    """Per user of a finished delivery run: batch.delivered / partly_delivered / nothing_to_deliver /
    failed (a digest that could not go), once per user, day and event."""
    return webhook_request(context.dagster_run, webhooks)


@dg.run_failure_sensor(
    monitored_jobs=[delivery_job],
    request_job=webhooks_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
def webhooks_after_failed_delivery(
    context: dg.RunFailureSensorContext, webhooks: WebhookResource
) -> dg.RunRequest | dg.SkipReason:
    """Per user of a failed delivery run: batch.failed with the step's reason, once per user and day."""
    return webhook_request(context.dagster_run, webhooks)
