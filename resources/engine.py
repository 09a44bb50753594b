import dagster as dg

from jobland_pipeline.llm import Engine, get_engine
from jobland_pipeline.screening.score import Thresholds
from jobland_pipeline.warehouse import Warehouse

TASKS = ("screening", "titles", "dossier", "tailor")


class EngineResource(dg.ConfigurableResource):
    """Which engine does the thinking (offline, or any OpenAI-compatible endpoint) and its thresholds.

    Keys are separate fields so they can come from ``EnvVar`` and never show in the UI or logs.
    """

    name: str = "offline"
    high_score: int = 70
    medium_score: int = 50
    max_titles: int = 8
    max_packages_per_search: int = 3
    llm_base_url: str = "https://api.openai.com/v1"
    llm_api_key: str = ""
    llm_model: str = "gpt-4o-mini"
    llm_task_models: dict[str, str] = {}  # noqa: RUF012 - pydantic copies defaults
    llm_fallback_base_url: str = ""
    llm_fallback_api_key: str = ""
    llm_fallback_model: str = ""
    llm_rpm: float = 60.0
    llm_concurrency: int = 4
    llm_timeout: float = 60.0
    llm_price_in: float = 0.15
    llm_price_out: float = 0.60
    llm_judge_budget: int = 5
    llm_cache_ttl_days: float = 30.0

    def engine(self, store: Warehouse | None = None) -> Engine:
        if self.name != "openai":
            return get_engine(self.name)
        from jobland_pipeline.llm.cache import LLMCache
        from jobland_pipeline.llm.client import Endpoint, LLMClient
        from jobland_pipeline.llm.openai_engine import OpenAICompatibleEngine

        def chain(model: str) -> LLMClient:
            endpoints = [
                Endpoint(
                    "primary",
                    self.llm_base_url,
                    self.llm_api_key,
                    model,
                    rpm=self.llm_rpm,
                    max_concurrent=self.llm_concurrency,
                    timeout=self.llm_timeout,
                    price_in_per_mtok=self.llm_price_in,
                    price_out_per_mtok=self.llm_price_out,
                )
            ]
            if self.llm_fallback_base_url:
                endpoints.append(
                    Endpoint(
                        "fallback",
                        self.llm_fallback_base_url,
                        self.llm_fallback_api_key,
                        self.llm_fallback_model or model,
                        rpm=self.llm_rpm,
                        max_concurrent=self.llm_concurrency,
                        timeout=self.llm_timeout,
                    )
                )
            return LLMClient(endpoints)

        models = {task: self.llm_task_models.get(task) or self.llm_model for task in TASKS}
        return OpenAICompatibleEngine(
            {task: chain(model) for task, model in models.items()},
            models,
            cache=LLMCache(store, ttl_days=self.llm_cache_ttl_days) if store is not None else None,
            judge_budget=self.llm_judge_budget,
        )

    def thresholds(self) -> Thresholds:
        return Thresholds(high=self.high_score, medium=self.medium_score)
