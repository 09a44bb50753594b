"""Build the configured search engines from a typed :class:`EngineConfig` (the search resource fills it).

Engines and what they cost:

========== ========================================================================================
local      the JSONL postings file (``postings_file``; empty = bundled samples). Free, offline.
serpapi    SerpAPI Google Jobs: 1 search credit per page fetched (about 10 jobs a page, at most
           ``serpapi_max_pages`` pages a query); cache hits and "Fully empty" answers: 0.
exa        Exa search on ATS job pages: billed per request, the amount stated by each answer's
           ``costDollars.total`` (recorded as ``cost_usd``); cache hits: 0.
greenhouse Greenhouse public job boards: free; each board fetched once per cache TTL.
lever      Lever public postings: free; each site fetched once per cache TTL.
ashby      Ashby public job boards: free; each board fetched once per cache TTL (Ashby rate-limits
           repeated unauthenticated requests, so the boards go one request a second).
remoteok   RemoteOK feed: free; fetched once per cache TTL; attribution and a link back required.
jobspy     python-jobspy scraping Indeed, LinkedIn, Glassdoor, ZipRecruiter, Google: free, one scrape
           at a time (4 a minute), answers cached; each site's terms restrict automated access.
========== ========================================================================================

A paid engine without its key, or a board engine without boards, is skipped with the reason
(``build_engines`` returns ``(engines, skipped)``) rather than failing the run.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jobland_pipeline.net import Limiter, SharedRateLimiter
from jobland_pipeline.postings.engines.base import SearchEngine
from jobland_pipeline.postings.engines.transport import RateLimiter, ResponseCache, Transport

ENGINE_NAMES = ("local", "serpapi", "exa", "greenhouse", "lever", "ashby", "remoteok", "jobspy")
BOARD_ENGINES = ("greenhouse", "lever", "ashby")


@dataclass(frozen=True)
class EngineConfig:
    """What the engines need: which ones, their keys, endpoints, limits and the answer cache.

    The defaults are the product's; the search resource fills every field from its settings.
    """

    enabled: str = "local"  # comma-separated engine names
    postings_file: str = ""  # the local engine's JSONL file; empty = the bundled samples
    serpapi_key: str = ""
    serpapi_base_url: str = "https://serpapi.com"
    serpapi_rpm: float = 100.0
    serpapi_max_pages: int = 3
    exa_key: str = ""
    exa_base_url: str = "https://api.exa.ai"
    exa_concurrency: int = 10
    exa_num_results: int = 25
    greenhouse_boards: str = ""
    greenhouse_base_url: str = "https://boards-api.greenhouse.io"
    lever_boards: str = ""
    lever_base_url: str = "https://api.lever.co"
    ashby_boards: str = ""
    ashby_base_url: str = "https://api.ashbyhq.com"
    remoteok_base_url: str = "https://remoteok.com"
    jobspy_sites: str = "indeed,linkedin"  # jobspy engine: indeed, linkedin, glassdoor, zip_recruiter, google
    jobspy_results: int = 25
    jobspy_country: str = "usa"  # Indeed/Glassdoor country
    cache_dir: str = "var/search_cache"
    cache_ttl_hours: float = 20.0
    http_timeout: float = 20.0
    http_retries: int = 3
    shared_limits_url: str = ""  # redis://...: the engines' limits hold across every run and worker
    posting_url_allow: str = ""  # host:port list a user's posting_urls may reach despite a private address

    def limiter(
        self, name: str, rpm: float | None, concurrent: int | None
    ) -> RateLimiter | SharedRateLimiter:
        """The engine's limits: in this process, or shared through Redis when ``shared_limits_url`` is set."""
        if not self.shared_limits_url:
            return RateLimiter(rpm, concurrent)
        import redis

        return SharedRateLimiter(name, redis.Redis.from_url(self.shared_limits_url), rpm, concurrent)

    def names(self) -> list[str]:
        """The enabled engines, in order; an unknown name raises ValueError naming the closest one."""
        names = list(dict.fromkeys(n.strip().lower() for n in self.enabled.split(",") if n.strip()))
        for name in names:
            if name not in ENGINE_NAMES:
                close = difflib.get_close_matches(name, ENGINE_NAMES, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise ValueError(f"unknown search engine {name!r}{hint}; known: {', '.join(ENGINE_NAMES)}")
        return names

    def boards(self, engine: str) -> list[str]:
        raw = {"greenhouse": self.greenhouse_boards, "lever": self.lever_boards, "ashby": self.ashby_boards}[
            engine
        ]
        return [b.strip() for b in raw.split(",") if b.strip()]

    def transport(self, name: str, limiter: Limiter | None, sleep: Callable[[float], None]) -> Transport:
        """The engine's one way out: its own cache folder, its limiter, the shared timeout and retries."""
        return Transport(
            name,
            cache=ResponseCache(Path(self.cache_dir) / name, self.cache_ttl_hours * 3600),
            limiter=limiter,
            timeout=self.http_timeout or 20.0,
            max_retries=self.http_retries,
            sleep=sleep,
        )


def build_engines(
    config: EngineConfig,
    *,
    sleep: Callable[[float], None] = time.sleep,
    today: Callable[[], date] | None = None,
) -> tuple[list[SearchEngine], list[tuple[str, str]]]:
    """The enabled engines and the ``(engine, reason)`` pairs skipped (a paid engine without its key,
    a board engine without boards). ``sleep`` is the transports' backoff sleep (the rate limiters
    always wait in real time); ``today`` pins the date for the engines' age filter (tests)."""
    extra: dict[str, Any] = {"today": today} if today is not None else {}
    engines: list[SearchEngine] = []
    skipped: list[tuple[str, str]] = []
    for name in config.names():
        engine, reason = _BUILDERS[name](config, sleep, extra)
        if engine is not None:
            engines.append(engine)
        else:
            skipped.append((name, reason))
    return engines, skipped


Built = tuple[SearchEngine | None, str]


def _local(config: EngineConfig, sleep: Callable[[float], None], extra: dict[str, Any]) -> Built:
    from jobland_pipeline.postings.engines.local_file import LocalFileEngine

    return LocalFileEngine(Path(config.postings_file) if config.postings_file else None, **extra), ""


def _serpapi(config: EngineConfig, sleep: Callable[[float], None], extra: dict[str, Any]) -> Built:
    if not config.serpapi_key:
        return None, "no API key: set JOBLAND_SERPAPI_KEY"
    from jobland_pipeline.postings.engines.google_jobs import SerpApiGoogleJobs

    return SerpApiGoogleJobs(
        config.serpapi_key,
        transport=config.transport(
            "serpapi", config.limiter("serpapi", config.serpapi_rpm or None, None), sleep
        ),
        base_url=config.serpapi_base_url,
        max_pages=config.serpapi_max_pages or 1,
        **extra,
    ), ""


def _exa(config: EngineConfig, sleep: Callable[[float], None], extra: dict[str, Any]) -> Built:
    if not config.exa_key:
        return None, "no API key: set JOBLAND_EXA_KEY"
    from jobland_pipeline.postings.engines.exa import ExaJobs

    return ExaJobs(
        config.exa_key,
        transport=config.transport("exa", config.limiter("exa", None, config.exa_concurrency or None), sleep),
        base_url=config.exa_base_url,
        num_results=config.exa_num_results or 25,
        **extra,
    ), ""


def _board(name: str) -> Callable[[EngineConfig, Callable[[float], None], dict[str, Any]], Built]:
    def build(config: EngineConfig, sleep: Callable[[float], None], extra: dict[str, Any]) -> Built:
        from jobland_pipeline.postings.engines.boards import AshbyBoards, GreenhouseBoards, LeverBoards

        boards = config.boards(name)
        if not boards:
            return None, f"no boards: set JOBLAND_{name.upper()}_BOARDS"
        cls = {"greenhouse": GreenhouseBoards, "lever": LeverBoards, "ashby": AshbyBoards}[name]
        base_url = {
            "greenhouse": config.greenhouse_base_url,
            "lever": config.lever_base_url,
            "ashby": config.ashby_base_url,
        }[name]
        return cls(
            boards,
            transport=config.transport(name, config.limiter(name, 60.0, 4), sleep),
            base_url=base_url,
            **extra,
        ), ""

    return build


def _remoteok(config: EngineConfig, sleep: Callable[[float], None], extra: dict[str, Any]) -> Built:
    from jobland_pipeline.postings.engines.remoteok import RemoteOK

    return RemoteOK(
        transport=config.transport("remoteok", config.limiter("remoteok", 60.0, 1), sleep),
        base_url=config.remoteok_base_url,
        **extra,
    ), ""


def _jobspy(config: EngineConfig, sleep: Callable[[float], None], extra: dict[str, Any]) -> Built:
    from jobland_pipeline.postings.engines.jobspy import JobSpyEngine

    return JobSpyEngine(
        config.jobspy_sites.split(","),
        cache=ResponseCache(Path(config.cache_dir) / "jobspy", config.cache_ttl_hours * 3600),
        limiter=config.limiter("jobspy", 4.0, 1),
        results_wanted=config.jobspy_results or 25,
        country_indeed=config.jobspy_country or "usa",
        **extra,
    ), ""


_BUILDERS: dict[str, Callable[[EngineConfig, Callable[[float], None], dict[str, Any]], Built]] = {
    "local": _local,
    "serpapi": _serpapi,
    "exa": _exa,
    **{name: _board(name) for name in BOARD_ENGINES},
    "remoteok": _remoteok,
    "jobspy": _jobspy,
}
