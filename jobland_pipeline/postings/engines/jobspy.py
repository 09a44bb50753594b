"""JobSpy (``python-jobspy``): Indeed, LinkedIn, Glassdoor, ZipRecruiter and Google Jobs in one call.

Optional and off unless ``jobspy`` is among the enabled engines. JobSpy scrapes the sites itself (it
has no API key and no HTTP layer of ours to go through), so this engine wraps the one library call with
what every engine has: a rate limit (one scrape at a time, a few a minute), the answer cache (mapped
rows, keyed by the query and the sites), a :class:`CallRecord` for the ``api_calls`` ledger, and its
failures as :class:`EngineError` (the library raising, every site failing, a frame without the columns
this mapping reads). Each site's terms of use restrict automated access: see the README.

The frame's columns are JobSpy's documented ``JobPost`` fields: ``id, site, job_url, job_url_direct,
title, company, location, date_posted, job_type, interval, min_amount, max_amount, currency,
is_remote, description, ...`` (``location`` as "City, ST, Country", ``job_type`` as "fulltime,
parttime", ``interval`` yearly / monthly / weekly / daily / hourly). ``frame.attrs["errors"]`` holds
the sites that failed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from jobland_pipeline.net import Limiter, ResponseCache, make_cache_key
from jobland_pipeline.postings.engines.base import CallRecord, EngineError, EngineResult, SearchQuery
from jobland_pipeline.postings.engines.common import (
    Collector,
    clean_line,
    clean_text,
    employment_type,
    remote_flag,
    structured_salary,
)
from jobland_pipeline.postings.models import Posting

__all__ = ["JOBSPY_SITES", "REQUIRED_COLUMNS", "JobSpyEngine", "posting_fields"]

JOBSPY_SITES = ("indeed", "linkedin", "glassdoor", "zip_recruiter", "google")
REQUIRED_COLUMNS = ("title", "company", "job_url")
_PERIODS = {"yearly": "year", "monthly": "month", "weekly": "week", "daily": "day", "hourly": "hour"}
_TYPES = {
    "fulltime": "full_time",
    "parttime": "part_time",
    "contract": "contract",
    "temporary": "temporary",
    "internship": "internship",
}
Scrape = Callable[..., Any]  # jobspy.scrape_jobs: keyword arguments -> a pandas DataFrame


def _today() -> date:
    return datetime.now(UTC).date()


def _value(row: Mapping[str, Any], name: str) -> Any:
    """A cell, with pandas' missing values (NaN, NaT, None) as None."""
    value = row.get(name)
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value


def _date_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    iso = getattr(value, "isoformat", None)  # pandas Timestamp
    return str(iso())[:10] if callable(iso) else str(value)


def _remote(location: str, home: str, cell: Any) -> bool | str:
    """Remote or not: "hybrid" in the texts wins over JobSpy's ``is_remote`` flag (a plain boolean that
    cannot say hybrid); without the flag, the texts decide."""
    flag = remote_flag(location, home)
    if flag == "hybrid":
        return "hybrid"
    return bool(cell) if cell is not None else flag


def _employment(row: Mapping[str, Any]) -> str | None:
    """JobSpy's ``job_type`` ("fulltime, parttime"): the first of its own kinds, else the shared parser's."""
    kinds = [k.strip() for k in str(_value(row, "job_type") or "").split(",") if k.strip()]
    return next((_TYPES[k] for k in kinds if k in _TYPES), None) or employment_type(*kinds)


def _links(row: Mapping[str, Any]) -> dict[str, str | None]:
    """The posting's page and where to apply (the employer's own page when JobSpy found it)."""
    url = _value(row, "job_url")
    direct = _value(row, "job_url_direct")
    return {
        "url": str(url) if url else None,
        "apply_url": str(direct or url) if (direct or url) else None,
    }


def _salary(row: Mapping[str, Any]) -> dict[str, object]:
    """The salary range, its currency (USD when the row names none) and its period from ``interval``."""
    interval = str(_value(row, "interval") or "").lower()
    return structured_salary(
        _value(row, "min_amount"),
        _value(row, "max_amount"),
        _value(row, "currency") or "USD",
        _PERIODS.get(interval),
    )


def posting_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """One JobSpy row as the Collector's fields (JSON-able: the cache keeps these)."""
    location = clean_line(_value(row, "location"))
    remote = _remote(location, clean_line(_value(row, "work_from_home_type")), _value(row, "is_remote"))
    return {
        "source_id": _value(row, "id") or _value(row, "job_url"),
        "title": _value(row, "title"),
        "company": _value(row, "company"),
        "raw_date": _date_text(_value(row, "date_posted")),
        "location": location or ("Remote" if remote is True else ""),
        "remote": remote,
        "employment_type": _employment(row),
        **_links(row),
        "description": clean_text(_value(row, "description")),
        "site": _value(row, "site"),
        **_salary(row),
    }


class JobSpyEngine:
    """Postings from the job sites JobSpy scrapes, mapped to the posting schema."""

    name = "jobspy"

    def __init__(
        self,
        sites: Iterable[str] = ("indeed", "linkedin"),
        *,
        cache: ResponseCache | None = None,
        limiter: Limiter | None = None,
        results_wanted: int = 25,
        hours_old: int | None = 72,
        country_indeed: str = "usa",
        scrape: Scrape | None = None,
        today: Callable[[], date] = _today,
    ) -> None:
        self.sites = tuple(dict.fromkeys(s.strip().lower() for s in sites if s.strip()))
        unknown = [s for s in self.sites if s not in JOBSPY_SITES]
        if unknown or not self.sites:
            raise ValueError(f"JobSpy sites must be among {', '.join(JOBSPY_SITES)}; got {unknown or 'none'}")
        self.cache = cache
        self.limiter = limiter
        self.results_wanted = results_wanted
        self.hours_old = hours_old
        self.country_indeed = country_indeed
        self._scrape = scrape
        self.today = today

    def _scraper(self) -> Scrape:
        if self._scrape is not None:
            return self._scrape
        try:
            from jobspy import scrape_jobs
        except ImportError as exc:  # an optional engine: say how to get it
            raise EngineError("the jobspy engine needs python-jobspy (pip install python-jobspy)") from exc
        scrape: Scrape = scrape_jobs
        return scrape

    def arguments(self, query: SearchQuery) -> dict[str, Any]:
        """What is asked of JobSpy for a query (also the cache identity: no secret in it)."""
        args: dict[str, Any] = {
            "site_name": list(self.sites),
            "search_term": query.title,
            "google_search_term": f"{query.title} jobs near {query.location}" if query.location else None,
            "location": query.location,
            "is_remote": query.remote is True,
            "results_wanted": self.results_wanted,
            "hours_old": (query.posted_within_days * 24) if query.posted_within_days else self.hours_old,
            "country_indeed": self.country_indeed,
            "description_format": "html",  # to plain text by the engines' HTML cleaner
            "verbose": 0,
        }
        return {k: v for k, v in args.items() if v is not None}

    def search(self, query: SearchQuery) -> EngineResult:
        args = self.arguments(query)
        request = f"jobspy {','.join(self.sites)} q={query.title!r} where={query.location or ''!r}"
        key = make_cache_key(self.name, args)
        started = time.monotonic()
        cached = self.cache.get(key) if self.cache is not None else None
        if isinstance(cached, list):
            call = CallRecord(
                self.name, request, "cached", cache_hit=True, attempts=0, latency_ms=_ms(started)
            )
            return self._result(cached, [call], len(cached))
        rows, errors = self._fetch(args, request, started)
        failed = "; ".join(f"{site}: {why}" for site, why in sorted(errors.items()))
        call = CallRecord(
            self.name,
            request,
            "ok" if rows else "empty",
            latency_ms=_ms(started),
            error=failed or None,
        )
        if not rows and errors and len(errors) >= len(self.sites):
            call.status = "error"
            raise EngineError(f"jobspy: every site failed ({failed})", calls=[call])
        mapped: list[dict[str, Any]] = []
        malformed = 0
        for row in rows:
            try:
                mapped.append(posting_fields(row))
            except (AttributeError, TypeError, ValueError):
                malformed += 1
        if self.cache is not None and not errors:
            self.cache.put(key, mapped)
        result = self._result(mapped, [call], len(rows))
        if malformed:
            result.dropped["malformed_item"] = result.dropped.get("malformed_item", 0) + malformed
        return result

    def _fetch(
        self, args: dict[str, Any], request: str, started: float
    ) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The frame's rows and the sites that failed; the library raising is an EngineError."""
        scrape = self._scraper()
        try:
            if self.limiter is not None:
                with self.limiter:
                    frame = scrape(**args)
            else:
                frame = scrape(**args)
        except Exception as exc:  # the library's own failure, whatever its type
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
            call = CallRecord(self.name, request, "error", latency_ms=_ms(started), error=reason[:300])
            raise EngineError(f"jobspy failed: {reason}"[:400], calls=[call]) from None
        columns = [str(c) for c in getattr(frame, "columns", [])]
        if not hasattr(frame, "to_dict"):
            call = CallRecord(self.name, request, "error", latency_ms=_ms(started), error="not a DataFrame")
            raise EngineError(f"jobspy answered {type(frame).__name__}, not a DataFrame", calls=[call])
        rows: list[dict[str, Any]] = frame.to_dict("records")
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing and rows:
            error = f"the frame has no column {', '.join(missing)}"
            call = CallRecord(self.name, request, "error", latency_ms=_ms(started), error=error)
            raise EngineError(f"jobspy: {error} (columns: {', '.join(columns[:20])})", calls=[call])
        attrs = getattr(frame, "attrs", None) or {}
        errors = {str(k): str(v).splitlines()[0][:200] for k, v in (attrs.get("errors") or {}).items()}
        return rows, errors

    def _result(self, mapped: list[dict[str, Any]], calls: list[CallRecord], raw: int) -> EngineResult:
        collected = Collector(self.name, self.today())
        postings: list[Posting] = []
        for fields in mapped:
            item = {k: v for k, v in fields.items() if k != "site"}
            posting = collected.take(partial(collected.add, **item))
            if isinstance(posting, Posting):
                postings.append(posting)
        return EngineResult(postings=postings, calls=calls, dropped=dict(collected.dropped), raw_count=raw)


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
