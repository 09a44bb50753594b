"""The thinking: which engine reads CVs, suggests titles, judges and writes (offline, or any
OpenAI-compatible endpoint), and the matching thresholds that decide what is High."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg
from pydantic import PrivateAttr

from jobland_pipeline.llm import Engine, get_engine
from jobland_pipeline.llm.budget import Budget, BudgetedEngine
from jobland_pipeline.records import TableStore
from jobland_pipeline.screening.score import Thresholds
from resources.settings import setting

if TYPE_CHECKING:
    from collections.abc import Callable

    from jobland_pipeline.llm.client import Endpoint, LLMClient
    from jobland_pipeline.net import Limiter

TASKS = ("screening", "titles", "dossier", "tailor")


class LLMResource(dg.ConfigurableResource):
    """The engine: ``offline`` (deterministic, no LLM) or ``openai`` (any OpenAI-compatible endpoint).

    Keys are separate fields so they come from ``EnvVar`` and never show in the UI or logs.
    """

    name: str = setting(
        "JOBLAND_ENGINE",
        "offline",
        "'offline' (deterministic, no LLM) or 'openai' (any OpenAI-compatible endpoint, see JOBLAND_LLM_*).",
    )
    base_url: str = setting(
        "JOBLAND_LLM_BASE_URL",
        "https://api.openai.com/v1",
        "OpenAI-compatible endpoint (OpenAI, Azure, Ollama http://localhost:11434/v1, vLLM, llama.cpp).",
    )
    api_key: str = setting(
        "JOBLAND_LLM_API_KEY", "", "Key of that endpoint (empty for local servers).", secret=True
    )
    model: str = setting(
        "JOBLAND_LLM_MODEL", "gpt-4o-mini", "Model for every task unless a task names its own."
    )
    model_screening: str = setting(
        "JOBLAND_LLM_MODEL_SCREENING",
        "",
        "Model for the stage-2 screening judge (empty = JOBLAND_LLM_MODEL).",
    )
    model_titles: str = setting(
        "JOBLAND_LLM_MODEL_TITLES", "", "Model for title suggestions (empty = JOBLAND_LLM_MODEL)."
    )
    model_dossier: str = setting(
        "JOBLAND_LLM_MODEL_DOSSIER", "", "Model for company dossiers (empty = JOBLAND_LLM_MODEL)."
    )
    model_tailor: str = setting(
        "JOBLAND_LLM_MODEL_TAILOR", "", "Model for tailoring CVs (empty = JOBLAND_LLM_MODEL)."
    )
    fallback_base_url: str = setting(
        "JOBLAND_LLM_FALLBACK_BASE_URL", "", "Second endpoint tried when the first fails (empty = none)."
    )
    fallback_api_key: str = setting(
        "JOBLAND_LLM_FALLBACK_API_KEY", "", "Key of the fallback endpoint.", secret=True
    )
    fallback_model: str = setting("JOBLAND_LLM_FALLBACK_MODEL", "", "Model at the fallback endpoint.")
    rpm: float = setting("JOBLAND_LLM_RPM", 60.0, "LLM requests per minute per endpoint.")
    concurrency: int = setting("JOBLAND_LLM_CONCURRENCY", 4, "LLM requests in flight per endpoint.")
    timeout: float = setting("JOBLAND_LLM_TIMEOUT", 60.0, "Seconds per LLM request.")
    price_in: float = setting(
        "JOBLAND_LLM_PRICE_IN", 0.15, "USD per million input tokens (price table for the ledger)."
    )
    price_out: float = setting("JOBLAND_LLM_PRICE_OUT", 0.60, "USD per million output tokens.")
    judge_budget: int = setting(
        "JOBLAND_LLM_JUDGE_BUDGET",
        5,
        "Postings per search sent to the LLM judge (stage 2); the rest stay stage 1.",
    )
    cache_ttl_days: float = setting(
        "JOBLAND_LLM_CACHE_TTL_DAYS", 30.0, "Days an LLM answer is reused for the same inputs."
    )
    shared_limits_url: str = setting(
        "JOBLAND_SHARED_LIMITS_URL",
        "",
        "redis://host:port/db holding the engines' and LLM endpoints' rate limits, shared by every run and "
        "worker; empty = limits per process.",
    )

    budget_usd_per_user_day: float | None = setting(
        "JOBLAND_BUDGET_USD_PER_USER_DAY",
        None,
        "USD a user may spend a day on the LLM (paid searches count in the run's); past it the rest of "
        "their day uses the offline engine and their digest says so (empty = unlimited).",
    )
    budget_usd_per_run: float | None = setting(
        "JOBLAND_BUDGET_USD_PER_RUN",
        None,
        "USD a run may spend on the LLM and paid searches; past it the rest of the run uses the offline "
        "engine (empty = unlimited).",
    )
    _run_id: str | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """The run, for the per-run budget (its ledger rows carry it)."""
        self._run_id = context.run.run_id if context.run is not None else None

    def engine(self, store: TableStore | None = None) -> Engine:
        """The engine for one run; with a store, LLM answers are cached and reused across runs, and
        the budgets (when set) count what the day's ledgers already hold."""
        engine = self._engine(store)
        budget = Budget(self.budget_usd_per_user_day, self.budget_usd_per_run)
        if not budget.limited:
            return engine
        return BudgetedEngine(engine, budget, store=store, run_id=self._run_id)

    def _engine(self, store: TableStore | None) -> Engine:
        if self.name != "openai":
            return get_engine(self.name)
        from jobland_pipeline.llm.cache import LLMCache
        from jobland_pipeline.llm.openai_engine import OpenAICompatibleEngine

        task_models = {
            "screening": self.model_screening,
            "titles": self.model_titles,
            "dossier": self.model_dossier,
            "tailor": self.model_tailor,
        }
        models = {task: task_models[task] or self.model for task in TASKS}
        return OpenAICompatibleEngine(
            {task: self._chain(model) for task, model in models.items()},
            models,
            cache=LLMCache(store, ttl_days=self.cache_ttl_days) if store is not None else None,
            judge_budget=self.judge_budget,
        )

    def _chain(self, model: str) -> LLMClient:
        from jobland_pipeline.llm.client import Endpoint, LLMClient

        endpoints = [
            Endpoint(
                "primary",
                self.base_url,
                self.api_key,
                model,
                rpm=self.rpm,
                max_concurrent=self.concurrency,
                timeout=self.timeout,
                price_in_per_mtok=self.price_in,
                price_out_per_mtok=self.price_out,
            )
        ]
        if self.fallback_base_url:
            endpoints.append(
                Endpoint(
                    "fallback",
                    self.fallback_base_url,
                    self.fallback_api_key,
                    self.fallback_model or model,
                    rpm=self.rpm,
                    max_concurrent=self.concurrency,
                    timeout=self.timeout,
                )
            )
        return LLMClient(endpoints, limiter=self._shared_limiter() if self.shared_limits_url else None)

    def _shared_limiter(self) -> Callable[[Endpoint], Limiter]:
        """Each endpoint's limits in Redis, named by its URL and model: every run and worker shares them."""
        import redis

        from jobland_pipeline.net import SharedRateLimiter

        client = redis.Redis.from_url(self.shared_limits_url)
        return lambda e: SharedRateLimiter(f"llm:{e.base_url}:{e.model}", client, e.rpm, e.max_concurrent)


class MatchingResource(dg.ConfigurableResource):
    """What counts as a match: the score thresholds, titles per user and packages per search."""

    high_score: int = setting(
        "JOBLAND_HIGH_SCORE", 70, "Screening score from which a match is High (and gets a package)."
    )
    medium_score: int = setting("JOBLAND_MEDIUM_SCORE", 50, "Screening score from which a match is Medium.")
    max_packages_per_search: int = setting(
        "JOBLAND_MAX_PACKAGES_PER_SEARCH", 3, "At most this many packages per (user, title) search and day."
    )
    max_titles: int = setting("JOBLAND_MAX_TITLES", 8, "Titles suggested per user (5-10).")

    def thresholds(self) -> Thresholds:
        return Thresholds(high=self.high_score, medium=self.medium_score)
