"""Exa neural search restricted to ATS job pages, through the exa-py SDK.

Cost: Exa bills per request; each answer states it in ``costDollars.total`` (exa-py exposes it as
``SearchResponse.cost_dollars``), recorded as the CallRecord's ``cost_usd`` (cache hits cost nothing).
``credits`` counts 1 per request made.

exa-py reads answers whole, so the transport's body cap cannot cut an Exa answer short; the SDK's
``timeout`` is set from the transport's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from exa_py import Exa

from jobland_pipeline.postings.engines.base import EngineResult, SearchQuery
from jobland_pipeline.postings.engines.common import (
    Collector,
    clean_line,
    clean_text,
    employment_type_in_text,
    place_matches,
    remote_flag,
    salary_fields,
    salary_from_text,
    slug_to_name,
)
from jobland_pipeline.postings.engines.transport import Transport

ATS_DOMAINS = (
    "boards.greenhouse.io",
    "job-boards.greenhouse.io",
    "jobs.lever.co",
    "jobs.ashbyhq.com",
    "apply.workable.com",
    "jobs.smartrecruiters.com",
    "myworkdayjobs.com",
)
_PREFIX = re.compile(r"^(job application for|apply for|apply now:?|job:|careers?:)\s+", re.I)
_SUFFIX = re.compile(r"\s*[-|–—]\s*(workable|lever|greenhouse|ashby|smartrecruiters|careers?|jobs)$", re.I)
_LOCATION_LINE = re.compile(r"^\s*(?:location|locations|based in|office)\s*[:：]\s*(.{2,120})$", re.I | re.M)


def _today() -> date:
    return datetime.now(UTC).date()


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _same_company(text: str, slug: str) -> bool:
    a, b = _squash(text), _squash(slug)
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))


def company_slug(url: str) -> str | None:
    """The company part of an ATS job URL (greenhouse / lever / ashby / workable / smartrecruiters / workday)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = [p for p in parts.path.split("/") if p]
    if host.endswith("greenhouse.io"):
        if path[:1] == ["embed"]:
            return (parse_qs(parts.query).get("for") or [None])[0]
        return path[0] if path else None
    if host in {"jobs.lever.co", "jobs.eu.lever.co", "jobs.ashbyhq.com", "apply.workable.com"}:
        return path[0] if path else None
    if host == "jobs.smartrecruiters.com":
        return path[0] if path else None
    if host.endswith("myworkdayjobs.com"):
        return host.split(".")[0]
    return None


def split_title(raw_title: str, slug: str | None, *, company_first: bool = False) -> tuple[str, str | None]:
    """(job title, company or None) from an ATS page title.

    Handles "Job Application for X at Y" (Greenhouse), "Y - X" (Lever), "X @ Y" (Ashby) and
    "X - Y" / "X | Y"; the company part is the one that matches the URL's company slug when it can tell.
    """
    title = _SUFFIX.sub("", _PREFIX.sub("", clean_line(raw_title)))
    for sep in (" at ", " @ "):
        if sep in title:
            left, right = title.rsplit(sep, 1)
            return left.strip(), right.strip() or None
    for sep in (" - ", " | ", " – ", " — "):
        if sep not in title:
            continue
        left, right = (p.strip() for p in title.split(sep, 1))
        if slug and _same_company(left, slug):
            return right, left
        if slug and _same_company(right, slug):
            return left, right
        return (right, left) if company_first else (left, right)
    return title, None


def exa_answer(response: Any) -> dict[str, Any]:
    """An exa-py SearchResponse as the JSON-able answer the transport caches (camelCase, like the wire)."""
    cost = getattr(response.cost_dollars, "total", None)
    return {
        "results": [
            {
                "id": r.id,
                "url": r.url,
                "title": r.title,
                "publishedDate": r.published_date,
                "author": r.author,
                "text": r.text,
            }
            for r in response.results
        ],
        "costDollars": {"total": cost} if cost is not None else None,
        "searchTime": getattr(response, "search_time", None),
    }


class ExaJobs:
    """Neural web search for job pages on ATS domains; each result normalised to a Posting."""

    name = "exa"

    def __init__(
        self,
        api_key: str,
        *,
        transport: Transport,
        base_url: str = "https://api.exa.ai",
        num_results: int = 25,
        include_domains: tuple[str, ...] = ATS_DOMAINS,
        today: Callable[[], date] = _today,
    ) -> None:
        if not api_key:
            raise ValueError("ExaJobs needs an API key (JOBLAND_EXA_KEY)")
        self.base_url = base_url.rstrip("/")
        self.num_results = max(1, int(num_results))
        self.include_domains = list(include_domains)
        self.transport = transport
        self.today = today
        transport.add_secret(api_key)
        self._client = Exa(api_key=api_key, base_url=self.base_url, timeout=transport.timeout)

    def _request(self, query: SearchQuery, today: date) -> tuple[str, dict[str, Any]]:
        text = f"{' '.join(query.title.split())} job opening"
        if query.remote is True:
            text += " remote"
        if query.location:
            text += f" in {query.location}"
        options: dict[str, Any] = {
            "contents": {"text": {"maxCharacters": 8000}},
            "num_results": self.num_results,
            "include_domains": self.include_domains,
        }
        if query.posted_within_days is not None:
            start = today - timedelta(days=query.posted_within_days)
            options["start_published_date"] = f"{start.isoformat()}T00:00:00.000Z"
        return text, options

    def search(self, query: SearchQuery) -> EngineResult:
        today = self.today()
        text, options = self._request(query, today)

        def fetch() -> dict[str, Any]:
            return exa_answer(self._client.search(text, **options))

        identity = {"url": f"{self.base_url}/search", "query": text.lower(), **options}
        answer, calls = self.transport.call(identity, fetch, request="POST /search")
        for call in calls:
            if not call.cache_hit:
                call.credits = 1.0
                call.cost_usd = float((answer.get("costDollars") or {}).get("total") or 0.0)
            if not answer.get("results") and call.status == "ok":
                call.status = "empty"
        collected = Collector(self.name, today)
        for item in answer.get("results") or []:
            if isinstance(item, dict):
                self._add(collected, item)
        # The location went into the query text; Exa pages rarely state it in a field we can filter on.
        local_filter = replace(query, location=None)
        kept = [p for p in collected.postings if place_matches(p, local_filter, today=today)]
        dropped = dict(collected.dropped)
        if len(kept) < len(collected.postings):
            dropped["not_matching"] = len(collected.postings) - len(kept)
        return EngineResult(postings=kept, calls=calls, dropped=dropped, raw_count=collected.raw)

    def _add(self, collected: Collector, item: dict[str, Any]) -> None:
        url = str(item.get("url") or "")
        slug = company_slug(url) if url else None
        lever = "lever.co" in (urlsplit(url).hostname or "")
        title, company = split_title(str(item.get("title") or ""), slug, company_first=lever)
        if not company and slug:
            company = slug_to_name(slug)
        description = clean_text(item.get("text"))
        head = "\n".join(line for line in description.splitlines()[:6] if line.strip())
        found = _LOCATION_LINE.search(description[:3000])
        location = found.group(1) if found else ""
        collected.add(
            source_id=item.get("id") or url,
            title=title,
            company=company,
            raw_date=item.get("publishedDate"),
            location=location,
            remote=remote_flag(title, location, head),
            employment_type=employment_type_in_text(description[:3000]),
            url=url or None,
            apply_url=url or None,
            description=description,
            **salary_fields(salary_from_text(description)),
        )


__all__ = ["ATS_DOMAINS", "ExaJobs", "company_slug", "split_title"]
