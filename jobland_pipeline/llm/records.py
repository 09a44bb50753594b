"""The LLM ledger and the LLM answer cache as the warehouse keeps them.

Each row model is its table: fields are the columns (see ``jobland_pipeline.records``)."""

from __future__ import annotations

from datetime import date, datetime  # noqa: F401 (column types)

from pydantic import BaseModel, Field

from jobland_pipeline.records import Table


class LlmCallRow(BaseModel):
    """The LLM ledger: one row per LLM call or cache hit, with tokens and cost."""

    asset: str | None = Field(default=None, description="asset that asked")
    partition: str | None = Field(default=None, description="partition key")
    task: str | None = Field(default=None, description="screening, titles, dossier")
    endpoint: str | None = Field(default=None, description="endpoint name from settings")
    model: str | None = Field(default=None, description="model")
    prompt_version: str | None = Field(
        default=None, description="prompt version (content hash of the prompt files)"
    )
    input_tokens: int | None = Field(default=None, description="prompt tokens")
    output_tokens: int | None = Field(default=None, description="completion tokens")
    cost_usd: float | None = Field(default=None, description="cost from the price table in settings")
    latency_ms: float | None = Field(default=None, description="latency")
    attempts: int | None = Field(default=None, description="tries including retries and the repair")
    mode: str | None = Field(default=None, description="structured, json_object or prompted")
    cache_hit: bool | None = Field(default=None, description="answered from the LLM cache")
    status: str | None = Field(
        default=None,
        description="ok, repaired, invalid, error, circuit_open, cached, over_budget (answered offline)",
    )
    error: str | None = Field(default=None, description="error, if any")
    at: datetime | None = Field(default=None, description="when")
    user_id: str | None = Field(
        default=None, description="user whose work it was (a dossier: the search that first needed it)"
    )
    run_id: str | None = Field(default=None, description="Dagster run (when a budget is set)")
    budget_scope: str | None = Field(
        default=None, description="over_budget rows: user_day or run, the limit that was reached"
    )
    budget_spent_usd: float | None = Field(
        default=None, description="over_budget rows: USD spent (LLM + paid search) when the call was switched"
    )
    budget_limit_usd: float | None = Field(default=None, description="over_budget rows: the limit in USD")


LLM_CALLS = Table(
    "llm_calls", LlmCallRow, "The LLM ledger: one row per LLM call or cache hit, with tokens and cost."
)


class LlmCacheRow(BaseModel):
    """Cached LLM answers keyed by task, model, prompt version and content hash."""

    key: str | None = Field(default=None, description="cache key")
    task: str | None = Field(default=None, description="task")
    model: str | None = Field(default=None, description="model")
    prompt_version: str | None = Field(default=None, description="prompt version")
    answer_json: str | None = Field(default=None, description="the validated answer")
    cached_at: datetime | None = Field(default=None, description="when cached")


LLM_CACHE = Table(
    "llm_cache", LlmCacheRow, "Cached LLM answers keyed by task, model, prompt version and content hash."
)
