"""The one entry point: assets, resources, sensors and schedules wired into ``dagster.Definitions``.

Settings are read from the environment here and only here: each resource's fields are its settings
(``resources/settings.py``), and a set variable becomes an ``EnvVar``. The executor of the runs is
chosen here too (``JOBLAND_EXECUTOR``: in-process, a process per step, or Celery workers).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import dagster as dg

from assets import ALL_ASSETS
from resources import (
    SETTINGS,
    CvReaderResource,
    ExecutionResource,
    LLMResource,
    LocalInboxResource,
    MailerResource,
    MatchingResource,
    PackageStoreResource,
    S3ClientResource,
    S3InboxResource,
    SearchEnginesResource,
    WarehouseResource,
    WebhookResource,
)
from resources.settings import check_environment, configure
from sensors import (
    cv_inbox_sensor,
    daily_delivery_schedule,
    daily_search_schedule,
    search_partitions_sensor,
    tracker_after_failed_runs,
    tracker_after_runs,
)
from sensors.forget import forget_job
from sensors.jobs import JOBS
from sensors.malware import cv_rescan_sensor
from sensors.review import review_job
from sensors.webhooks import webhooks_after_delivery, webhooks_after_failed_delivery, webhooks_job


def build_resources(env: Mapping[str, str] | None = None) -> dict[str, dg.ConfigurableResource]:
    """Every resource from its settings; ``env`` replaces the process environment (tests).

    The one place the environment chooses: an S3 inbox when ``JOBLAND_INBOX_URL`` is set, else the
    local folder. Unknown ``JOBLAND_*`` variables stop loading (a typo must not fall back silently).
    """
    source = os.environ if env is None else env
    check_environment(source, SETTINGS)
    inbox = (
        configure(S3InboxResource, env, s3=configure(S3ClientResource, env))
        if source.get("JOBLAND_INBOX_URL")
        else configure(LocalInboxResource, env)
    )
    return {
        "warehouse": configure(WarehouseResource, env),
        "inbox": inbox,
        "reader": configure(CvReaderResource, env),
        "search": configure(SearchEnginesResource, env),
        "llm": configure(LLMResource, env),
        "matching": configure(MatchingResource, env),
        "packages": configure(PackageStoreResource, env),
        "mailer": configure(MailerResource, env),
        "webhooks": configure(WebhookResource, env),
    }


def build_executor(env: Mapping[str, str] | None = None) -> dg.ExecutorDefinition:
    """The executor of every job that does not pin its own (intake and search runs; delivery and
    tracker runs stay in their run's process, where the outbox and the DuckDB file are)."""
    source = os.environ if env is None else env
    return configure(ExecutionResource, source).executor_def(from_env=os.environ if env is None else None)


def build_definitions(env: Mapping[str, str] | None = None) -> dg.Definitions:
    resources = build_resources(env)  # checks the settings first
    return dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[*JOBS, review_job, forget_job, webhooks_job],
        sensors=[
            cv_inbox_sensor,
            search_partitions_sensor,
            tracker_after_runs,
            tracker_after_failed_runs,
            webhooks_after_delivery,
            webhooks_after_failed_delivery,
            cv_rescan_sensor,
        ],
        schedules=[daily_search_schedule, daily_delivery_schedule],
        resources=resources,
        executor=build_executor(env),
    )


defs = build_definitions()
