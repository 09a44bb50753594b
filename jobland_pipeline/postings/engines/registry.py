"""Build the configured search engines from settings (``JOBLAND_*`` values).

Engines and what they cost:

========== ========================================================================================
local      the JSONL postings file (``JOBLAND_POSTINGS_FILE``; empty = bundled samples). Free, offline.
serpapi    SerpAPI Google Jobs: 1 search credit per page fetched (about 10 jobs a page, at most
           ``JOBLAND_SERPAPI_MAX_PAGES`` pages a query); cache hits and "Fully empty" answers: 0.
exa        Exa search on ATS job pages: billed per request, the amount stated by each answer's
           ``costDollars.total`` (recorded as ``cost_usd``); cache hits: 0.
greenhouse Greenhouse public job boards: free; each board fetched once per cache TTL.
lever      Lever public postings: free; each site fetched once per cache TTL.
ashby      Ashby public job boards: free; each board fetched once per cache TTL (Ashby rate-limits
           repeated unauthenticated requests, so the boards go one request a second).
remoteok   RemoteOK feed: free; fetched once per cache TTL; attribution and a link back required.
========== ========================================================================================

A paid engine without its key, or a board engine without boards, is skipped with the reason
(``build_engines`` returns ``(engines, skipped)``) rather than failing the run.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from jobland_pipeline.postings.engines.base import SearchEngine
from jobland_pipeline.postings.engines.transport import RateLimiter, ResponseCache, Transport


class EngineSetting(NamedTuple):
    env: str
    default: str
    help: str


ENGINE_NAMES = ("local", "serpapi", "exa", "greenhouse", "lever", "ashby", "remoteok")

ENGINE_SETTINGS: tuple[EngineSetting, ...] = (
    EngineSetting(
        "JOBLAND_SEARCH_ENGINES",
        "local",
        "Search engines, comma-separated: local, serpapi, exa, greenhouse, lever, ashby, remoteok.",
    ),
    EngineSetting(
        "JOBLAND_SERPAPI_KEY", "", "SerpAPI key (Google Jobs); empty = the serpapi engine is skipped."
    ),
    EngineSetting(
        "JOBLAND_SERPAPI_BASE_URL", "https://serpapi.com", "SerpAPI endpoint (tests point it elsewhere)."
    ),
    EngineSetting("JOBLAND_SERPAPI_RPM", "100", "SerpAPI requests per minute at most."),
    EngineSetting(
        "JOBLAND_SERPAPI_MAX_PAGES", "3", "SerpAPI pages (1 credit each, ~10 jobs) per query at most."
    ),
    EngineSetting("JOBLAND_EXA_KEY", "", "Exa API key; empty = the exa engine is skipped."),
    EngineSetting("JOBLAND_EXA_BASE_URL", "https://api.exa.ai", "Exa endpoint (tests point it elsewhere)."),
    EngineSetting("JOBLAND_EXA_CONCURRENCY", "10", "Exa requests in flight at most."),
    EngineSetting("JOBLAND_EXA_NUM_RESULTS", "25", "Exa results per query."),
    EngineSetting(
        "JOBLAND_GREENHOUSE_BOARDS",
        "",
        "Greenhouse board tokens, comma-separated (boards.greenhouse.io/<token>).",
    ),
    EngineSetting(
        "JOBLAND_GREENHOUSE_BASE_URL",
        "https://boards-api.greenhouse.io",
        "Greenhouse Job Board API endpoint.",
    ),
    EngineSetting("JOBLAND_LEVER_BOARDS", "", "Lever site names, comma-separated (jobs.lever.co/<site>)."),
    EngineSetting(
        "JOBLAND_LEVER_BASE_URL",
        "https://api.lever.co",
        "Lever Postings API endpoint (EU: https://api.eu.lever.co).",
    ),
    EngineSetting(
        "JOBLAND_ASHBY_BOARDS", "", "Ashby job board names, comma-separated (jobs.ashbyhq.com/<name>)."
    ),
    EngineSetting("JOBLAND_ASHBY_BASE_URL", "https://api.ashbyhq.com", "Ashby public posting API endpoint."),
    EngineSetting(
        "JOBLAND_REMOTEOK_BASE_URL", "https://remoteok.com", "RemoteOK endpoint (its feed is <url>/api)."
    ),
    EngineSetting(
        "JOBLAND_SEARCH_CACHE_DIR", "{home}/search_cache", "Cache of search answers (one JSON file each)."
    ),
    EngineSetting(
        "JOBLAND_SEARCH_CACHE_TTL_HOURS", "20", "Hours a search answer or job board is reused; 0 = no cache."
    ),
    EngineSetting("JOBLAND_HTTP_TIMEOUT", "20", "Seconds per try of an external search request."),
    EngineSetting(
        "JOBLAND_HTTP_RETRIES",
        "3",
        "Retries of a search request on 429, 5xx, timeouts and connection errors.",
    ),
)
_DEFAULTS = {s.env: s.default for s in ENGINE_SETTINGS}


def _number(values: Mapping[str, str], name: str, kind: type[int] | type[float]) -> float:
    raw = values[name]
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a {'whole ' if kind is int else ''}number") from None
    if value < 0:
        raise ValueError(f"{name}={raw!r} must not be negative")
    return value


def _names(raw: str) -> list[str]:
    return list(dict.fromkeys(n.strip().lower() for n in raw.split(",") if n.strip()))


def build_engines(
    config: Mapping[str, str],
    *,
    sleep: Callable[[float], None] = time.sleep,
    today: Callable[[], date] | None = None,
) -> tuple[list[SearchEngine], list[tuple[str, str]]]:
    """The engines named by ``JOBLAND_SEARCH_ENGINES`` and the ``(engine, reason)`` pairs skipped.

    ``config`` holds setting values (missing or empty ones take the defaults of ENGINE_SETTINGS;
    ``JOBLAND_HOME`` fills ``{home}``, ``JOBLAND_POSTINGS_FILE`` is the local engine's file).
    ``sleep`` is the transports' backoff sleep (the rate limiters always wait in real time).
    An unknown engine name or an unreadable number raises ValueError naming the setting.
    """
    from jobland_pipeline.postings.engines.boards import AshbyBoards, GreenhouseBoards, LeverBoards
    from jobland_pipeline.postings.engines.local_file import LocalFileEngine
    from jobland_pipeline.postings.engines.remoteok import RemoteOK

    values = {name: (config.get(name) or default) for name, default in _DEFAULTS.items()}
    home = config.get("JOBLAND_HOME") or "var"
    names = _names(values["JOBLAND_SEARCH_ENGINES"])
    for name in names:
        if name not in ENGINE_NAMES:
            close = difflib.get_close_matches(name, ENGINE_NAMES, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValueError(
                f"JOBLAND_SEARCH_ENGINES: unknown engine {name!r}{hint}; known: {', '.join(ENGINE_NAMES)}"
            )
    cache_root = Path(values["JOBLAND_SEARCH_CACHE_DIR"].replace("{home}", home))
    ttl = _number(values, "JOBLAND_SEARCH_CACHE_TTL_HOURS", float) * 3600
    timeout = _number(values, "JOBLAND_HTTP_TIMEOUT", float) or 20.0
    retries = int(_number(values, "JOBLAND_HTTP_RETRIES", int))
    extra: dict[str, Any] = {"today": today} if today is not None else {}

    def transport(name: str, limiter: RateLimiter | None) -> Transport:
        return Transport(
            name,
            cache=ResponseCache(cache_root / name, ttl),
            limiter=limiter,
            timeout=timeout,
            max_retries=retries,
            sleep=sleep,
        )

    def boards(name: str) -> list[str]:
        return [b.strip() for b in values[name].split(",") if b.strip()]

    engines: list[SearchEngine] = []
    skipped: list[tuple[str, str]] = []
    for name in names:
        if name == "local":
            path = config.get("JOBLAND_POSTINGS_FILE") or None
            engines.append(LocalFileEngine(Path(path) if path else None, **extra))
        elif name == "serpapi":
            key = values["JOBLAND_SERPAPI_KEY"]
            if not key:
                skipped.append((name, "no API key: set JOBLAND_SERPAPI_KEY"))
                continue
            from jobland_pipeline.postings.engines.google_jobs import SerpApiGoogleJobs

            rpm = _number(values, "JOBLAND_SERPAPI_RPM", float) or None
            engines.append(
                SerpApiGoogleJobs(
                    key,
                    transport=transport(name, RateLimiter(rpm, None)),
                    base_url=values["JOBLAND_SERPAPI_BASE_URL"],
                    max_pages=int(_number(values, "JOBLAND_SERPAPI_MAX_PAGES", int)) or 1,
                    **extra,
                )
            )
        elif name == "exa":
            key = values["JOBLAND_EXA_KEY"]
            if not key:
                skipped.append((name, "no API key: set JOBLAND_EXA_KEY"))
                continue
            from jobland_pipeline.postings.engines.exa import ExaJobs

            concurrency = int(_number(values, "JOBLAND_EXA_CONCURRENCY", int)) or None
            engines.append(
                ExaJobs(
                    key,
                    transport=transport(name, RateLimiter(None, concurrency)),
                    base_url=values["JOBLAND_EXA_BASE_URL"],
                    num_results=int(_number(values, "JOBLAND_EXA_NUM_RESULTS", int)) or 25,
                    **extra,
                )
            )
        elif name in {"greenhouse", "lever", "ashby"}:
            setting = f"JOBLAND_{name.upper()}_BOARDS"
            board_list = boards(setting)
            if not board_list:
                skipped.append((name, f"no boards: set {setting}"))
                continue
            cls = {"greenhouse": GreenhouseBoards, "lever": LeverBoards, "ashby": AshbyBoards}[name]
            limiter = RateLimiter(60.0, 4)
            engines.append(
                cls(
                    board_list,
                    transport=transport(name, limiter),
                    base_url=values[f"JOBLAND_{name.upper()}_BASE_URL"],
                    **extra,
                )
            )
        elif name == "remoteok":
            engines.append(
                RemoteOK(
                    transport=transport(name, RateLimiter(60.0, 1)),
                    base_url=values["JOBLAND_REMOTEOK_BASE_URL"],
                    **extra,
                )
            )
    return engines, skipped


def build_research(config: Mapping[str, str], *, sleep: Callable[[float], None] = time.sleep) -> Any | None:
    """Exa company research for dossiers when ``JOBLAND_EXA_KEY`` is set (cached per company, shared by users)."""
    values = {name: (config.get(name) or default) for name, default in _DEFAULTS.items()}
    key = values["JOBLAND_EXA_KEY"]
    if not key:
        return None
    from jobland_pipeline.research.exa_research import ExaResearch

    home = config.get("JOBLAND_HOME") or "var"
    cache_root = Path(values["JOBLAND_SEARCH_CACHE_DIR"].replace("{home}", home))
    ttl = _number(values, "JOBLAND_SEARCH_CACHE_TTL_HOURS", float) * 3600
    concurrency = int(_number(values, "JOBLAND_EXA_CONCURRENCY", int)) or None
    transport = Transport(
        "exa_research",
        cache=ResponseCache(cache_root / "exa_research", ttl),
        limiter=RateLimiter(None, concurrency),
        timeout=_number(values, "JOBLAND_HTTP_TIMEOUT", float) or 20.0,
        max_retries=int(_number(values, "JOBLAND_HTTP_RETRIES", int)),
        sleep=sleep,
    )
    return ExaResearch(key, transport=transport, base_url=values["JOBLAND_EXA_BASE_URL"])
