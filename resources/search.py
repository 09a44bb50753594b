import dagster as dg
from pydantic import Field

from jobland_pipeline.postings.engines.base import SearchEngine
from jobland_pipeline.postings.engines.registry import build_engines, build_research


class SearchEnginesResource(dg.ConfigurableResource):
    """The configured job search engines (local file by default; SerpAPI, Exa, ATS boards, RemoteOK).

    Keys are separate fields so they can come from ``EnvVar`` and never show in the UI or logs.
    """

    settings: dict[str, str] = Field(default_factory=dict)  # every non-secret JOBLAND_* engine setting
    serpapi_key: str = ""
    exa_key: str = ""
    fresh_days: int = 0  # 0 = no age limit
    stale_after_days: int = 14

    def engines(self) -> tuple[list[SearchEngine], list[tuple[str, str]]]:
        """(engines, [(engine, why skipped)]): a paid engine without its key is skipped, not fatal."""
        return build_engines(
            {**self.settings, "JOBLAND_SERPAPI_KEY": self.serpapi_key, "JOBLAND_EXA_KEY": self.exa_key}
        )

    def research(self):  # type: ignore[no-untyped-def]
        """Exa company research (news, mission, culture) when an Exa key is set, else None (offline dossiers)."""
        return build_research({**self.settings, "JOBLAND_EXA_KEY": self.exa_key})
