"""SerpAPI ``engine=google_jobs``: google-search-results builds the request, the engine's Transport sends it.

``serpapi.GoogleSearch`` (its ``BACKEND`` set to the configured base URL) builds the documented wire
call with ``construct_url()``: ``GET {base}/search`` with the search parameters, ``api_key`` and the
library's ``source=python`` tag in the query string. The Transport (net's client) performs the GET, with
cache, rate limit, retries and CallRecords; the library's own ``requests`` call is never made. The key
(``api_key``, or ``serp_api_key`` when the library's class-level key is set) is a secret parameter: it is
sent, never recorded, logged or part of the cache identity. The cache identity is the URL and the
search parameters (``q`` and ``location`` case-folded) without the key and without the client tag.

Cost: 1 SerpAPI search credit per page fetched (about 10 jobs a page, ``max_pages`` pages at most per
query); cache hits cost nothing, and an answer SerpAPI marks "Fully empty" is counted as 0 credits
(SerpAPI bills successful searches only).

Filters: ``location``, ``hl`` (query.language), ``gl`` (query.country) and ``ltype=1`` (remote only).
Google Jobs' date filter is the ``chips=date_posted:...`` parameter, which SerpAPI documents as
deprecated (its replacement, ``uds``, is a token taken from a previous answer's ``filters``), so
``posted_within_days`` is applied here, on the posting dates read from the answer.

An answer must be a JSON object with a ``jobs_results`` list (or SerpAPI's "Fully empty" state); its
``search_metadata``, ``search_information`` and ``serpapi_pagination`` must be objects when present.
Anything else is an :class:`EngineError` naming the field (never cached, not retried); a job whose own
fields have unexpected types is left out and counted (``malformed_item``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from serpapi import GoogleSearch

from jobland_pipeline.postings.engines.base import CallRecord, EngineError, EngineResult, SearchQuery
from jobland_pipeline.postings.engines.common import (
    Collector,
    clean_text,
    employment_type,
    pick_apply_url,
    place_matches,
    remote_flag,
    salary_fields,
    salary_from_text,
)
from jobland_pipeline.postings.engines.transport import Transport

FULLY_EMPTY = "Fully empty"
_OBJECT_FIELDS = ("search_metadata", "search_information", "serpapi_pagination")
# construct_url adds serp_api_key when the library's class-level GoogleSearch.SERP_API_KEY is set
SECRET_PARAMS = ("api_key", "serp_api_key")
CLIENT_TAG = "source"  # construct_url's source=python: sent, but no part of the answer's identity


def _today() -> date:
    return datetime.now(UTC).date()


def _validate(page: Any) -> str | None:
    """Why a page cannot be read (see the module docstring), or None."""
    if not isinstance(page, dict):
        return "unexpected answer from serpapi (not a JSON object)"
    for name in _OBJECT_FIELDS:
        if page.get(name) is not None and not isinstance(page[name], dict):
            return f"unexpected answer from serpapi ('{name}' is not an object)"
    error = page.get("error")
    state = (page.get("search_information") or {}).get("jobs_results_state")
    if state == FULLY_EMPTY:
        return None
    if error:
        return f"serpapi error: {str(error)[:200]}"
    if "jobs_results" not in page:
        return "unexpected answer from serpapi (no 'jobs_results' field)"
    if not isinstance(page["jobs_results"], list):
        return "unexpected answer from serpapi ('jobs_results' is not a list)"
    return None


class SerpApiGoogleJobs:
    """Google Jobs results via SerpAPI, paginated with ``next_page_token``."""

    name = "serpapi"

    def __init__(
        self,
        api_key: str,
        *,
        transport: Transport,
        base_url: str = "https://serpapi.com",
        max_pages: int = 3,
        today: Callable[[], date] = _today,
    ) -> None:
        if not api_key:
            raise ValueError("SerpApiGoogleJobs needs an API key (JOBLAND_SERPAPI_KEY)")
        self.base_url = base_url.rstrip("/")
        self.max_pages = max(1, int(max_pages))
        self.transport = transport
        self.today = today
        self._api_key = api_key
        transport.add_secret(api_key)
        # The library's own configuration point: BACKEND on a GoogleSearch subclass.
        self._search_class: type[GoogleSearch] = type(
            "JobLandGoogleJobsSearch", (GoogleSearch,), {"BACKEND": self.base_url}
        )

    def _params(self, query: SearchQuery) -> dict[str, Any]:
        params: dict[str, Any] = {
            "engine": "google_jobs",
            "q": " ".join(query.title.split()),
            "output": "json",
        }
        if query.location:
            params["location"] = " ".join(query.location.split())
        if query.language:
            params["hl"] = query.language
        if query.country:
            params["gl"] = query.country.lower()
        if query.remote is True:
            params["ltype"] = 1
        return params

    def _fetch(self, params: dict[str, Any]) -> tuple[dict[str, Any], list[CallRecord]]:
        url, sent = self._search_class({**params, "api_key": self._api_key}).construct_url()
        # Google's matching ignores case: "Math Teacher" and "math teacher" share one cached answer.
        same = {
            k: v.lower() if k in {"q", "location"} and isinstance(v, str) else v
            for k, v in sent.items()
            if k != CLIENT_TAG
        }
        page, calls = self.transport.request_json(
            "GET",
            url,
            params=sent,
            cache_key=self.transport.identity("GET", url, same, secret_params=SECRET_PARAMS),
            secret_params=SECRET_PARAMS,
            validate=_validate,
        )
        for call in calls:
            if (page.get("search_information") or {}).get("jobs_results_state") == FULLY_EMPTY:
                call.status = "empty" if not call.cache_hit else call.status
            elif not call.cache_hit:
                call.credits = 1.0
        return page, calls

    def search(self, query: SearchQuery) -> EngineResult:
        today = self.today()
        collected = Collector(self.name, today)
        calls: list[CallRecord] = []
        params = self._params(query)
        token: str | None = None
        for page_number in range(self.max_pages):
            page_params = {**params, **({"next_page_token": token} if token else {})}
            try:
                page, page_calls = self._fetch(page_params)
            except EngineError as exc:
                calls.extend(exc.calls)
                if page_number == 0:
                    raise EngineError(str(exc), calls) from None
                break  # keep the pages already read
            calls.extend(page_calls)
            for item in page.get("jobs_results") or []:
                if isinstance(item, dict):
                    collected.take(partial(self._add, collected, item))
                else:
                    collected.raw += 1
                    collected.dropped["not_an_object"] += 1
            token = (page.get("serpapi_pagination") or {}).get("next_page_token")
            if not token or not page.get("jobs_results"):
                break
        # Google applied the location (with its own radius): only remote and age are checked here.
        anywhere = replace(query, location=None)
        kept = [p for p in collected.postings if place_matches(p, anywhere, today=today)]
        dropped = dict(collected.dropped)
        if len(kept) < len(collected.postings):
            dropped["not_matching"] = len(collected.postings) - len(kept)
        return EngineResult(postings=kept, calls=calls, dropped=dropped, raw_count=collected.raw)

    def _add(self, collected: Collector, item: dict[str, Any]) -> None:
        ext = item.get("detected_extensions") or {}
        chips = [str(c) for c in item.get("extensions") or []]
        links = [o.get("link") for o in item.get("apply_options") or [] if isinstance(o, dict)]
        apply_url = pick_apply_url(links)
        collected.add(
            source_id=item.get("job_id"),
            title=item.get("title"),
            company=item.get("company_name"),
            raw_date=_posted(ext, chips),
            location=item.get("location") or "",
            remote=_remote(item, ext, chips),
            employment_type=employment_type(ext.get("schedule_type"), chips),
            url=apply_url or item.get("share_link"),
            apply_url=apply_url,
            description=clean_text(item.get("description")),
            **salary_fields(_salary(ext, chips)),
        )


def _salary(ext: dict[str, Any], chips: list[str]) -> Any:
    """The detected salary, else the first chip that reads as one."""
    return ext.get("salary") or next((c for c in chips if salary_from_text(c)), None)


def _remote(item: dict[str, Any], ext: dict[str, Any], chips: list[str]) -> bool | str:
    """Google's work-from-home flag, else what the location, title and chips say."""
    if ext.get("work_from_home") is True:
        return True
    return remote_flag(item.get("location"), item.get("title"), *chips)


def _posted(ext: dict[str, Any], chips: list[str]) -> Any:
    """The detected posting age, else the first "... ago" chip."""
    return ext.get("posted_at") or next((c for c in chips if c.lower().endswith("ago")), None)
