"""Exa neural search restricted to ATS job pages, through exa-py with its HTTP call on the Transport.

:class:`ExaClient` is the one Exa client of the project (job search here, company research in
``jobland_pipeline.research.exa_research``). It drives exa-py (:class:`TransportExa`, an ``exa_py.Exa``
whose ``request`` method is replaced): the SDK's ``search`` builds the ``POST /search`` body (Exa's
camelCase, the key in the ``x-api-key`` header) and parses the answer into its ``SearchResponse`` of
``Result`` objects, while the bytes travel through the engine's Transport (cache, rate limit, retries,
CallRecords, redaction). exa-py's own ``requests`` calls are never made.

Cost: Exa bills per request; each answer states it in ``costDollars.total``, recorded as the
CallRecord's ``cost_usd`` (cache hits cost nothing). ``credits`` counts 1 per request made.

A ``/search`` answer must be a JSON object with a ``results`` list that exa-py can read; anything else
(no ``results``, a string there, a ``costDollars`` exa-py cannot parse) is an :class:`EngineError`
naming it, neither cached nor retried. A result whose fields have unexpected types is left out and
counted (``malformed_item``). The Transport's limits apply to every Exa call (job search and company
research alike): the 20 MB cap on the decompressed body, same-host redirects only and never to an
internal address, the 60 s longest wait and the 120 s budget of a call.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import parse_qs, urlsplit

from exa_py import Exa
from exa_py.api import Category, Result, SearchResponse, _parse_entities, parse_cost_dollars
from exa_py.api_warnings import issue_body_warnings, warn_deprecated_fields
from exa_py.request_options import merge_body, merge_headers, merge_query
from exa_py.websets.core.base import ExaJSONEncoder

from jobland_pipeline.postings.engines.base import CallRecord, EngineError, EngineResult, SearchQuery
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
    """Why a ``/search`` answer cannot be kept, or None: not a search response, or one exa-py cannot read.

    exa-py's own readers of the fields it turns into objects (cost, entities) are tried here, so that an
    answer the SDK would fail on is refused before it is cached (and not retried).
    """
    if not isinstance(answer, dict):
        return "unexpected answer from exa (not a search response)"
    if "results" not in answer:
        return "unexpected answer from exa (no 'results' field)"
    if not isinstance(answer["results"], list):
        return "unexpected answer from exa ('results' is not a list)"
    try:
        parse_cost_dollars(answer.get("costDollars") or {})
        for result in _readable(answer)["results"]:
            _parse_entities(result.get("entities"))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        return f"unreadable answer from exa ({type(exc).__name__})"
    return None


def _cost(answer: dict[str, Any]) -> float:
    """The answer's ``costDollars.total`` (0 when absent or unreadable)."""
    cost = answer.get("costDollars")
    try:
        return float((cost.get("total") if isinstance(cost, dict) else None) or 0.0)
    except (TypeError, ValueError):
        return 0.0


def _readable(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as exa-py reads it: ``results`` present, holding objects only (others left out)."""
    return {**answer, "results": [r for r in answer.get("results") or [] if isinstance(r, dict)]}


def _json_body(data: dict[str, Any] | str | None) -> Any:
    """The JSON body exa-py would send (its encoder, its rule that an empty body is none), as plain JSON."""
    if isinstance(data, str):
        return json.loads(data)
    return json.loads(json.dumps(data, cls=ExaJSONEncoder)) if data else None


def _streams(body: Any, headers: Mapping[str, str]) -> bool:
    """Would exa-py stream this answer (``stream`` in the body, or an event-stream ``Accept``)?"""
    return bool(isinstance(body, dict) and body.get("stream")) or headers.get("Accept") == "text/event-stream"


@dataclass
class _Exchange:
    """One SDK call's bookkeeping: its cache identity (from the body sent), its description, its records."""

    identity: Callable[[Any], Any] | None  # the JSON body -> cache identity (no secret); None = not cached
    request: str | None
    calls: list[CallRecord] = field(default_factory=list)


class TransportExa(Exa):
    """exa-py's client whose HTTP call goes through a :class:`Transport`.

    The SDK's methods (``search`` ...) build the request and parse the answer as usual; only
    ``request`` is replaced: it sends what the SDK built (body, headers, query) with
    ``Transport.request_json`` and returns the decoded answer, as exa-py's own ``request`` does.
    Streaming is not supported, and the Transport's timeout applies (a per-call ``timeout`` is ignored).
    The CallRecords of each call land in the :meth:`exchange` open on the calling thread.
    """

    def __init__(self, api_key: str, *, transport: Transport, base_url: str) -> None:
        super().__init__(
            api_key=api_key, base_url=base_url, user_agent=transport.user_agent, timeout=transport.timeout
        )
        self.transport = transport
        transport.add_secret(api_key)
        self._local = threading.local()

    @contextmanager
    def exchange(
        self, identity: Callable[[Any], Any] | None, request: str | None = None
    ) -> Iterator[_Exchange]:
        """Key and describe the requests made inside the block; collect their CallRecords."""
        current = _Exchange(identity, request)
        previous = getattr(self._local, "exchange", None)
        self._local.exchange = current
        try:
            yield current
        finally:
            self._local.exchange = previous

    def request(
        self,
        endpoint: str,
        data: dict[str, Any] | str | None = None,
        method: str = "POST",
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        extra_headers: Mapping[str, str | None] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """exa-py's ``request`` (same arguments, same body/header/query rules), sent by the Transport."""
        method = method.upper()
        if method in ("POST", "PATCH"):
            data = merge_body(data, extra_body)
            warn_deprecated_fields(endpoint, data)
        body = _json_body(data)
        sent_headers = {**self.headers, **(headers or {})}
        if _streams(body, sent_headers):
            raise ValueError("exa-py streaming is not supported through the Transport")
        # GET sends `params` with the extra query merged over them; the other methods only the extra query.
        query = merge_query(params if method == "GET" else None, extra_query)
        exchange = getattr(self._local, "exchange", None) or _Exchange(None, None)
        answer, calls = self.transport.request_json(
            method,
            self.base_url + endpoint,
            params=query,
            json_body=body,
            headers=merge_headers(sent_headers, extra_headers),
            cache_key=exchange.identity(body) if exchange.identity is not None else None,
            validate=_validate if endpoint == "/search" else None,
            request=exchange.request,
        )
        if endpoint == "/search":
            _account(calls, answer)
            answer = _readable(answer)
        exchange.calls.extend(calls)
        issue_body_warnings(endpoint, method, answer)
        return answer


def _account(calls: list[CallRecord], answer: dict[str, Any]) -> None:
    """Credits (1 a request made) and the stated cost on fresh records; an answer without results is empty."""
    for call in calls:
        if not call.cache_hit:
            call.credits = 1.0
            call.cost_usd = _cost(answer)
        if not answer.get("results") and call.status == "ok":
            call.status = "empty"


@dataclass(frozen=True)
class ExaQuery:
    """One Exa search, as arguments of exa-py's ``search`` (text contents only)."""

    query: str
    num_results: int
    max_characters: int
    category: Category | None = None
    include_domains: list[str] | None = None
    start_published_date: str | None = None


class ExaClient:
    """Exa's ``POST /search`` through exa-py on a Transport: one client for job search and company research."""

    def __init__(self, api_key: str, *, transport: Transport, base_url: str = "https://api.exa.ai") -> None:
        if not api_key:
            raise ValueError("Exa needs an API key (JOBLAND_EXA_KEY)")
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.sdk = TransportExa(api_key, transport=transport, base_url=self.base_url)

    def search(
        self, ask: ExaQuery, *, identity: Callable[[Any], Any] | None, request: str = "POST /search"
    ) -> tuple[SearchResponse[Result], list[CallRecord]]:
        """exa-py's answer to ``ask`` and its CallRecords with credits and the stated cost.

        ``identity(body)``: the cache identity of the JSON body the SDK built (no key; None = not
        cached). Raises EngineError, also when the SDK cannot read an answer (its records kept).
        """
        with self.sdk.exchange(identity, request) as exchange:
            try:
                response = self.sdk.search(
                    ask.query,
                    num_results=ask.num_results,
                    include_domains=ask.include_domains,
                    category=ask.category,
                    start_published_date=ask.start_published_date,
                    contents={"text": {"max_characters": ask.max_characters}},
                )
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                if not exchange.calls:  # refused before anything was sent: a bug, not an answer
                    raise
                message = f"{self.transport.engine}: unreadable answer from exa ({type(exc).__name__})"
                raise EngineError(message, exchange.calls) from None
        return response, exchange.calls


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

    def _ask(self, query: SearchQuery, today: date) -> ExaQuery:
        """The search: the title as a job-opening query, ATS domains, 8,000 characters of text a page."""
        text = f"{' '.join(query.title.split())} job opening"
        if query.remote is True:
            text += " remote"
        if query.location:
            text += f" in {query.location}"
        start = None
        if query.posted_within_days is not None:
            start = f"{(today - timedelta(days=query.posted_within_days)).isoformat()}T00:00:00.000Z"
        return ExaQuery(
            text,
            num_results=self.num_results,
            max_characters=8000,
            include_domains=self.include_domains,
            start_published_date=start,
        )

    def _identity(self, body: Any) -> Any:
        """The body sent, the query case-folded (Exa's matching ignores case), and the URL."""
        return {"url": f"{self.base_url}/search", **body, "query": str(body["query"]).lower()}

    def search(self, query: SearchQuery) -> EngineResult:
        today = self.today()
        response, calls = self._exa.search(self._ask(query, today), identity=self._identity)
        collected = Collector(self.name, today)
        for item in response.results:
            collected.take(partial(self._add, collected, item))
        # The location went into the query text; Exa pages rarely state it in a field we can filter on.
        local_filter = replace(query, location=None)
        kept = [p for p in collected.postings if place_matches(p, local_filter, today=today)]
        dropped = dict(collected.dropped)
        if len(kept) < len(collected.postings):
            dropped["not_matching"] = len(collected.postings) - len(kept)
        return EngineResult(postings=kept, calls=calls, dropped=dropped, raw_count=collected.raw)

    def _add(self, collected: Collector, item: Result) -> None:
        url = str(item.url or "")
        slug = company_slug(url) if url else None
        lever = "lever.co" in (urlsplit(url).hostname or "")
        title, company = split_title(str(item.title or ""), slug, company_first=lever)
        if not company and slug:
            company = slug_to_name(slug)
        description = clean_text(item.text)
        head = "\n".join(line for line in description.splitlines()[:6] if line.strip())
        found = _LOCATION_LINE.search(description[:3000])
        location = found.group(1) if found else ""
        collected.add(
            source_id=item.id or url,
            title=title,
            company=company,
            raw_date=item.published_date,
            location=location,
            remote=remote_flag(title, location, head),
            employment_type=employment_type_in_text(description[:3000]),
            url=url or None,
            apply_url=url or None,
            description=description,
            **salary_fields(salary_from_text(description)),
        )


__all__ = ["ATS_DOMAINS", "ExaClient", "ExaJobs", "ExaQuery", "TransportExa", "company_slug", "split_title"]
