"""Exa neural search restricted to ATS job pages: ``POST {base}/search`` through the engine's Transport.

:class:`ExaClient` is the one Exa client of the project (job search here, company research in
``jobland_pipeline.research.exa_research``): the documented wire call (JSON body in Exa's camelCase,
the key in the ``x-api-key`` header), cached, rate-limited and retried by the Transport.

Cost: Exa bills per request; each answer states it in ``costDollars.total``, recorded as the
CallRecord's ``cost_usd`` (cache hits cost nothing). ``credits`` counts 1 per request made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jobland_pipeline.postings.engines.base import CallRecord, EngineResult, SearchQuery
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
            return next(iter(parse_qs(parts.query).get("for", [])), None)
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


def _validate(answer: Any) -> str | None:
    if not isinstance(answer, dict) or not isinstance(answer.get("results", []), list):
        return "unexpected answer from exa (not a search response)"
    return None


def _cost(answer: dict[str, Any]) -> float:
    """The answer's ``costDollars.total`` (0 when absent or unreadable)."""
    cost = answer.get("costDollars")
    try:
        return float((cost.get("total") if isinstance(cost, dict) else None) or 0.0)
    except (TypeError, ValueError):
        return 0.0


class ExaClient:
    """``POST /search`` on Exa through a Transport: one client for job search and company research."""

    def __init__(self, api_key: str, *, transport: Transport, base_url: str = "https://api.exa.ai") -> None:
        if not api_key:
            raise ValueError("Exa needs an API key (JOBLAND_EXA_KEY)")
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self._api_key = api_key
        transport.add_secret(api_key)

    def search(
        self, body: dict[str, Any], *, identity: Any, request: str = "POST /search"
    ) -> tuple[dict[str, Any], list[CallRecord]]:
        """Exa's answer to ``body`` (wire camelCase) and its CallRecords with credits and the stated cost.

        ``identity``: the cache identity (no key; None = not cached). Raises EngineError.
        """
        answer, calls = self.transport.request_json(
            "POST",
            f"{self.base_url}/search",
            json_body=body,
            headers={"x-api-key": self._api_key},
            cache_key=identity,
            validate=_validate,
            request=request,
        )
        for call in calls:
            if not call.cache_hit:
                call.credits = 1.0
                call.cost_usd = _cost(answer)
            if not answer.get("results") and call.status == "ok":
                call.status = "empty"
        return answer, calls


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
        self.num_results = max(1, int(num_results))
        self.include_domains = list(include_domains)
        self.transport = transport
        self.today = today
        self._exa = ExaClient(api_key, transport=transport, base_url=base_url)
        self.base_url = self._exa.base_url

    def _request(self, query: SearchQuery, today: date) -> dict[str, Any]:
        """The ``POST /search`` body (Exa's camelCase)."""
        text = f"{' '.join(query.title.split())} job opening"
        if query.remote is True:
            text += " remote"
        if query.location:
            text += f" in {query.location}"
        body: dict[str, Any] = {
            "query": text,
            "numResults": self.num_results,
            "includeDomains": self.include_domains,
            "contents": {"text": {"maxCharacters": 8000}},
        }
        if query.posted_within_days is not None:
            start = today - timedelta(days=query.posted_within_days)
            body["startPublishedDate"] = f"{start.isoformat()}T00:00:00.000Z"
        return body

    def search(self, query: SearchQuery) -> EngineResult:
        today = self.today()
        body = self._request(query, today)
        identity = {"url": f"{self.base_url}/search", **body, "query": body["query"].lower()}
        answer, calls = self._exa.search(body, identity=identity)
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


__all__ = ["ATS_DOMAINS", "ExaClient", "ExaJobs", "company_slug", "split_title"]
