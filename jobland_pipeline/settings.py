"""Every setting JobLand reads, in one table: env var, default and meaning.

The Dagster wiring builds its resources from this table (``definitions.py``), the README's settings
section is generated from it (``jobland settings``), and an unknown ``JOBLAND_*`` variable is an error
that names the closest known one — a typo must not silently fall back to a default.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from jobland_pipeline.postings.engines.registry import ENGINE_SETTINGS
from jobland_pipeline.profiles.user_settings import (
    SettingsError,
    UserSettings,
    load_user_settings,
    parse_user_settings,
)


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("JOBLAND_HOME", "var", "Base folder for every default path below (gitignored)."),
    Setting(
        "JOBLAND_INBOX_DIR",
        "{home}/inbox",
        "Local inbox: one folder per user holding their CV (and settings.yaml).",
    ),
    Setting(
        "JOBLAND_INBOX_URL",
        "",
        "S3 inbox 's3://bucket/prefix' (CVs at <prefix>/<user>/<file>); empty = the local inbox.",
    ),
    Setting(
        "JOBLAND_S3_ENDPOINT_URL",
        "",
        "S3-compatible endpoint (MinIO, R2...); empty = AWS. Credentials: the usual AWS_* variables.",
    ),
    Setting("JOBLAND_S3_REGION", "", "S3 region name; empty = the AWS default chain."),
    Setting(
        "JOBLAND_DOCLING",
        "auto",
        "'auto': read DOCX/HTML/Markdown with docling when the [docling] extra is installed; 'off': never.",
    ),
    Setting(
        "JOBLAND_DOCLING_MODELS",
        "",
        "Folder with docling's layout models; PDFs go through docling only when it exists.",
    ),
    Setting(
        "JOBLAND_CV_URL_ALLOW",
        "",
        "host:port list allowed for CV downloads despite a private address (intranets, tests).",
    ),
    Setting("JOBLAND_WAREHOUSE_DIR", "{home}/warehouse", "Parquet files, one per table and partition."),
    Setting("JOBLAND_DUCKDB_PATH", "{home}/jobland.duckdb", "DuckDB file with one view per warehouse table."),
    Setting("JOBLAND_PACKAGES_DIR", "{home}/packages", "Where application packages are written."),
    Setting("JOBLAND_OUTBOX_DIR", "{home}/outbox", "Where digest e-mails (.eml) are written."),
    Setting("JOBLAND_POSTINGS_FILE", "", "Local postings file (JSONL); empty = the bundled sample postings."),
    Setting(
        "JOBLAND_ENGINE",
        "offline",
        "'offline' (deterministic, no LLM) or 'openai' (any OpenAI-compatible endpoint, see JOBLAND_LLM_*).",
    ),
    Setting(
        "JOBLAND_LLM_BASE_URL",
        "https://api.openai.com/v1",
        "OpenAI-compatible endpoint (OpenAI, Azure, Ollama http://localhost:11434/v1, vLLM, llama.cpp).",
    ),
    Setting("JOBLAND_LLM_API_KEY", "", "Key of that endpoint (empty for local servers)."),
    Setting("JOBLAND_LLM_MODEL", "gpt-4o-mini", "Model for every task unless a task names its own."),
    Setting(
        "JOBLAND_LLM_MODEL_SCREENING",
        "",
        "Model for the stage-2 screening judge (empty = JOBLAND_LLM_MODEL).",
    ),
    Setting("JOBLAND_LLM_MODEL_TITLES", "", "Model for title suggestions (empty = JOBLAND_LLM_MODEL)."),
    Setting("JOBLAND_LLM_MODEL_DOSSIER", "", "Model for company dossiers (empty = JOBLAND_LLM_MODEL)."),
    Setting("JOBLAND_LLM_MODEL_TAILOR", "", "Model for tailoring CVs (empty = JOBLAND_LLM_MODEL)."),
    Setting(
        "JOBLAND_LLM_FALLBACK_BASE_URL", "", "Second endpoint tried when the first fails (empty = none)."
    ),
    Setting("JOBLAND_LLM_FALLBACK_API_KEY", "", "Key of the fallback endpoint."),
    Setting("JOBLAND_LLM_FALLBACK_MODEL", "", "Model at the fallback endpoint."),
    Setting("JOBLAND_LLM_RPM", "60", "LLM requests per minute per endpoint."),
    Setting("JOBLAND_LLM_CONCURRENCY", "4", "LLM requests in flight per endpoint."),
    Setting("JOBLAND_LLM_TIMEOUT", "60", "Seconds per LLM request."),
    Setting("JOBLAND_LLM_PRICE_IN", "0.15", "USD per million input tokens (price table for the ledger)."),
    Setting("JOBLAND_LLM_PRICE_OUT", "0.60", "USD per million output tokens."),
    Setting(
        "JOBLAND_LLM_JUDGE_BUDGET",
        "5",
        "Postings per search sent to the LLM judge (stage 2); the rest stay stage 1.",
    ),
    Setting("JOBLAND_LLM_CACHE_TTL_DAYS", "30", "Days an LLM answer is reused for the same inputs."),
    Setting("JOBLAND_HIGH_SCORE", "70", "Screening score from which a match is High (and gets a package)."),
    Setting("JOBLAND_MEDIUM_SCORE", "50", "Screening score from which a match is Medium."),
    Setting(
        "JOBLAND_MAX_PACKAGES_PER_SEARCH", "3", "At most this many packages per (user, title) search and day."
    ),
    Setting("JOBLAND_MAX_TITLES", "8", "Titles suggested per user (5-10)."),
    Setting("JOBLAND_MAIL_FROM", "jobland@localhost", "Sender address of digest e-mails."),
    Setting(
        "JOBLAND_SMTP_HOST", "", "SMTP server; empty = digests are written to the outbox folder instead."
    ),
    Setting("JOBLAND_SMTP_PORT", "587", "SMTP port (587 STARTTLS, 465 SSL)."),
    Setting(
        "JOBLAND_SMTP_SECURITY", "starttls", "starttls, ssl or none (none only for a relay on localhost)."
    ),
    Setting("JOBLAND_SMTP_USERNAME", "", "SMTP login (empty = no authentication)."),
    Setting("JOBLAND_SMTP_PASSWORD", "", "SMTP password (secret: never logged)."),
    Setting("JOBLAND_SMTP_RETRIES", "3", "Retries on transient SMTP failures (4xx, dropped connections)."),
)
# The search engines' settings live with the engines (postings/engines/registry.py).
SETTINGS += tuple(Setting(e.env, e.default, e.help) for e in ENGINE_SETTINGS)
SETTINGS += (
    Setting("JOBLAND_FRESH_DAYS", "", "Only postings at most this many days old (empty = no limit)."),
    Setting("JOBLAND_STALE_AFTER_DAYS", "14", "A posting no engine returned for this long is stale."),
)
_BY_ENV = {s.env: s for s in SETTINGS}
SECRET_SETTINGS = frozenset(
    {
        "JOBLAND_SERPAPI_KEY",
        "JOBLAND_EXA_KEY",
        "JOBLAND_LLM_API_KEY",
        "JOBLAND_LLM_FALLBACK_API_KEY",
        "JOBLAND_SMTP_PASSWORD",
    }
)


def check_environment(env: Mapping[str, str]) -> None:
    """Refuse unknown JOBLAND_* variables (likely typos)."""
    for name in sorted(env):
        if name.startswith("JOBLAND_") and name not in _BY_ENV:
            close = difflib.get_close_matches(name, list(_BY_ENV), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise SettingsError(f"unknown setting {name}{hint}; see README 'Settings'")


def resolve(env: Mapping[str, str]) -> dict[str, str]:
    """Every setting's effective value (env var or default, with ``{home}`` filled in)."""
    check_environment(env)
    home = env.get("JOBLAND_HOME") or _BY_ENV["JOBLAND_HOME"].default
    return {s.env: (env.get(s.env) or s.default).replace("{home}", home) for s in SETTINGS}


def int_setting(values: Mapping[str, str], name: str) -> int:
    try:
        return int(values[name])
    except ValueError as exc:
        raise SettingsError(f"{name}={values[name]!r} is not an integer") from exc


__all__ = [
    "SETTINGS",
    "Setting",
    "SettingsError",
    "UserSettings",
    "load_user_settings",
    "parse_user_settings",
    "resolve",
]
