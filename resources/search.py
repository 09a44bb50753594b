"""The job search engines and company research, configured from typed settings."""

from __future__ import annotations

from dataclasses import fields

import dagster as dg

from jobland_pipeline.postings.engines.base import SearchEngine
from jobland_pipeline.postings.engines.registry import EngineConfig, build_engines
from jobland_pipeline.profiles.user_settings import SettingsError
from jobland_pipeline.research.exa_research import ExaResearch, build_research
from resources.settings import setting

_D = EngineConfig()  # the engines' defaults: one place


class SearchEnginesResource(dg.ConfigurableResource):
    """The configured job search engines (local file by default; SerpAPI, Exa, ATS boards, RemoteOK).

    Keys are separate fields so they come from ``EnvVar`` and never show in the UI or logs.
    """

    enabled: str = setting(
        "JOBLAND_SEARCH_ENGINES",
        _D.enabled,
        "Search engines, comma-separated: local, serpapi, exa, greenhouse, lever, ashby, remoteok, jobspy.",
    )
    postings_file: str = setting(
        "JOBLAND_POSTINGS_FILE", "", "Local postings file (JSONL); empty = the bundled sample postings."
    )
    serpapi_key: str = setting(
        "JOBLAND_SERPAPI_KEY",
        "",
        "SerpAPI key (Google Jobs); empty = the serpapi engine is skipped.",
        secret=True,
    )
    serpapi_base_url: str = setting(
        "JOBLAND_SERPAPI_BASE_URL", _D.serpapi_base_url, "SerpAPI endpoint (tests point it elsewhere)."
    )
    serpapi_rpm: float = setting(
        "JOBLAND_SERPAPI_RPM", _D.serpapi_rpm, "SerpAPI requests per minute at most."
    )
    serpapi_max_pages: int = setting(
        "JOBLAND_SERPAPI_MAX_PAGES",
        _D.serpapi_max_pages,
        "SerpAPI pages (1 credit each, ~10 jobs) per query at most.",
    )
    exa_key: str = setting(
        "JOBLAND_EXA_KEY", "", "Exa API key; empty = the exa engine is skipped.", secret=True
    )
    exa_base_url: str = setting(
        "JOBLAND_EXA_BASE_URL", _D.exa_base_url, "Exa endpoint (tests point it elsewhere)."
    )
    exa_concurrency: int = setting(
        "JOBLAND_EXA_CONCURRENCY", _D.exa_concurrency, "Exa requests in flight at most."
    )
    exa_num_results: int = setting("JOBLAND_EXA_NUM_RESULTS", _D.exa_num_results, "Exa results per query.")
    greenhouse_boards: str = setting(
        "JOBLAND_GREENHOUSE_BOARDS",
        "",
        "Greenhouse board tokens, comma-separated (boards.greenhouse.io/<token>).",
    )
    greenhouse_base_url: str = setting(
        "JOBLAND_GREENHOUSE_BASE_URL",
        _D.greenhouse_base_url,
        "Greenhouse Job Board API endpoint.",
    )
    lever_boards: str = setting(
        "JOBLAND_LEVER_BOARDS", "", "Lever site names, comma-separated (jobs.lever.co/<site>)."
    )
    lever_base_url: str = setting(
        "JOBLAND_LEVER_BASE_URL",
        _D.lever_base_url,
        "Lever Postings API endpoint (EU: https://api.eu.lever.co).",
    )
    ashby_boards: str = setting(
        "JOBLAND_ASHBY_BOARDS", "", "Ashby job board names, comma-separated (jobs.ashbyhq.com/<name>)."
    )
    ashby_base_url: str = setting(
        "JOBLAND_ASHBY_BASE_URL", _D.ashby_base_url, "Ashby public posting API endpoint."
    )
    remoteok_base_url: str = setting(
        "JOBLAND_REMOTEOK_BASE_URL", _D.remoteok_base_url, "RemoteOK endpoint (its feed is <url>/api)."
    )
    jobspy_sites: str = setting(
        "JOBLAND_JOBSPY_SITES",
        _D.jobspy_sites,
        "Sites the jobspy engine scrapes: indeed, linkedin, glassdoor, zip_recruiter, google (see their terms).",
    )
    jobspy_results: int = setting(
        "JOBLAND_JOBSPY_RESULTS", _D.jobspy_results, "Postings asked per site and search."
    )
    jobspy_country: str = setting(
        "JOBLAND_JOBSPY_COUNTRY",
        _D.jobspy_country,
        "Country of the Indeed and Glassdoor searches (JobSpy's names).",
    )
    cache_dir: str = setting(
        "JOBLAND_SEARCH_CACHE_DIR", "{home}/search_cache", "Cache of search answers (one JSON file each)."
    )
    cache_ttl_hours: float = setting(
        "JOBLAND_SEARCH_CACHE_TTL_HOURS",
        _D.cache_ttl_hours,
        "Hours a search answer or job board is reused; 0 = no cache.",
    )
    http_timeout: float = setting(
        "JOBLAND_HTTP_TIMEOUT", _D.http_timeout, "Seconds per try of an external search request."
    )
    http_retries: int = setting(
        "JOBLAND_HTTP_RETRIES",
        _D.http_retries,
        "Retries of a search request on 429, 5xx, timeouts and connection errors.",
    )
    shared_limits_url: str = setting(
        "JOBLAND_SHARED_LIMITS_URL",
        _D.shared_limits_url,
        "redis://host:port/db holding the engines' and LLM endpoints' rate limits, shared by every run and "
        "worker; empty = limits per process.",
    )
    posting_url_allow: str = setting(
        "JOBLAND_POSTING_URL_ALLOW",
        _D.posting_url_allow,
        "host:port list allowed for posting URL downloads (posting_urls, --posting-url) despite a private "
        "address (intranets, tests).",
    )
    fresh_days: int = setting(
        "JOBLAND_FRESH_DAYS", 0, "Only postings at most this many days old (0 = no limit)."
    )
    stale_after_days: int = setting(
        "JOBLAND_STALE_AFTER_DAYS", 14, "A posting no engine returned for this long is stale."
    )
    registry_keep_days: int = setting(
        "JOBLAND_REGISTRY_KEEP_DAYS",
        90,
        "A closed or stale posting last seen longer ago than this leaves its search's registry "
        "(0 = kept for ever).",
    )

    def config(self) -> EngineConfig:
        """The engines' typed configuration (field for field)."""
        return EngineConfig(**{f.name: getattr(self, f.name) for f in fields(EngineConfig)})

    def engines(self) -> tuple[list[SearchEngine], list[tuple[str, str]]]:
        """(engines, [(engine, why skipped)]): a paid engine without its key is skipped, not fatal."""
        try:
            return build_engines(self.config())
        except ValueError as exc:
            raise SettingsError(f"JOBLAND_SEARCH_ENGINES: {exc}") from exc

    def research(self) -> ExaResearch | None:
        """Exa company research (news, mission, culture) when an Exa key is set, else None (offline dossiers)."""
        return build_research(self.config())
