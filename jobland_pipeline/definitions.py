"""The one entry point: assets, resources, sensors and schedules wired into ``dagster.Definitions``.

Settings are read from the environment here and only here (``jobland_pipeline.settings`` lists them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import dagster as dg

from assets import ALL_ASSETS
from jobland_pipeline.postings.engines.registry import ENGINE_SETTINGS
from jobland_pipeline.settings import SECRET_SETTINGS, int_setting, resolve
from resources import (
    CvReaderResource,
    EngineResource,
    OutboxMailerResource,
    PackageStoreResource,
    SearchEnginesResource,
    WarehouseResource,
    inbox_from_settings,
)
from sensors import (
    cv_inbox_sensor,
    daily_delivery_schedule,
    daily_search_schedule,
    search_partitions_sensor,
    tracker_after_runs,
)
from sensors.jobs import JOBS
from sensors.review import review_job


def _setting(values: Mapping[str, str], env: Mapping[str, str] | None, name: str, *, integer: bool = False):  # type: ignore[no-untyped-def]
    """An ``EnvVar`` when the variable is set (the UI then shows where the value comes from), else the default."""
    if env is None and os.environ.get(name):
        return dg.EnvVar.int(name) if integer else dg.EnvVar(name)
    return int_setting(values, name) if integer else values[name]


def build_resources(env: Mapping[str, str] | None = None) -> dict[str, dg.ConfigurableResource]:
    """Resources from the settings table; ``env`` replaces the process environment (tests)."""
    values = resolve(os.environ if env is None else env)

    def v(name: str, *, integer: bool = False):  # type: ignore[no-untyped-def]
        return _setting(values, env, name, integer=integer)

    return {
        "warehouse": WarehouseResource(root=v("JOBLAND_WAREHOUSE_DIR"), duckdb_path=v("JOBLAND_DUCKDB_PATH")),
        "inbox": inbox_from_settings(values, v),
        "reader": CvReaderResource(
            docling=v("JOBLAND_DOCLING"),
            docling_models=values["JOBLAND_DOCLING_MODELS"],
            allow_private=values["JOBLAND_CV_URL_ALLOW"],
        ),
        "search": SearchEnginesResource(
            settings={e.env: values[e.env] for e in ENGINE_SETTINGS if e.env not in SECRET_SETTINGS}
            | {
                "JOBLAND_HOME": values["JOBLAND_HOME"],
                "JOBLAND_POSTINGS_FILE": values["JOBLAND_POSTINGS_FILE"],
            },
            serpapi_key=v("JOBLAND_SERPAPI_KEY"),
            exa_key=v("JOBLAND_EXA_KEY"),
            fresh_days=int(values["JOBLAND_FRESH_DAYS"] or 0),
            stale_after_days=int_setting(values, "JOBLAND_STALE_AFTER_DAYS"),
        ),
        "engine": EngineResource(
            name=v("JOBLAND_ENGINE"),
            high_score=v("JOBLAND_HIGH_SCORE", integer=True),
            medium_score=v("JOBLAND_MEDIUM_SCORE", integer=True),
            max_titles=v("JOBLAND_MAX_TITLES", integer=True),
            max_packages_per_search=v("JOBLAND_MAX_PACKAGES_PER_SEARCH", integer=True),
            llm_base_url=values["JOBLAND_LLM_BASE_URL"],
            llm_api_key=v("JOBLAND_LLM_API_KEY"),
            llm_model=values["JOBLAND_LLM_MODEL"],
            llm_task_models={
                task: values[f"JOBLAND_LLM_MODEL_{task.upper()}"]
                for task in ("screening", "titles", "dossier", "tailor")
                if values[f"JOBLAND_LLM_MODEL_{task.upper()}"]
            },
            llm_fallback_base_url=values["JOBLAND_LLM_FALLBACK_BASE_URL"],
            llm_fallback_api_key=v("JOBLAND_LLM_FALLBACK_API_KEY"),
            llm_fallback_model=values["JOBLAND_LLM_FALLBACK_MODEL"],
            llm_rpm=float(values["JOBLAND_LLM_RPM"]),
            llm_concurrency=int_setting(values, "JOBLAND_LLM_CONCURRENCY"),
            llm_timeout=float(values["JOBLAND_LLM_TIMEOUT"]),
            llm_price_in=float(values["JOBLAND_LLM_PRICE_IN"]),
            llm_price_out=float(values["JOBLAND_LLM_PRICE_OUT"]),
            llm_judge_budget=int_setting(values, "JOBLAND_LLM_JUDGE_BUDGET"),
            llm_cache_ttl_days=float(values["JOBLAND_LLM_CACHE_TTL_DAYS"]),
        ),
        "packages": PackageStoreResource(path=v("JOBLAND_PACKAGES_DIR")),
        "mailer": OutboxMailerResource(
            outbox_dir=v("JOBLAND_OUTBOX_DIR"),
            sender=v("JOBLAND_MAIL_FROM"),
            smtp_host=values["JOBLAND_SMTP_HOST"],
            smtp_port=int_setting(values, "JOBLAND_SMTP_PORT"),
            smtp_security=values["JOBLAND_SMTP_SECURITY"],
            smtp_username=values["JOBLAND_SMTP_USERNAME"],
            smtp_password=v("JOBLAND_SMTP_PASSWORD"),
            smtp_retries=int_setting(values, "JOBLAND_SMTP_RETRIES"),
        ),
    }


def build_definitions(env: Mapping[str, str] | None = None) -> dg.Definitions:
    return dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[*JOBS, review_job],
        sensors=[cv_inbox_sensor, search_partitions_sensor, tracker_after_runs],
        schedules=[daily_search_schedule, daily_delivery_schedule],
        resources=build_resources(env),
    )


defs = build_definitions()
