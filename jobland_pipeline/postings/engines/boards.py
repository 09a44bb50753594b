"""Public ATS job boards (no key, no cost): Greenhouse, Lever and Ashby, plus liveness checks.

Each configured board is fetched whole, once per cache TTL (a day by default), whatever the number of
queries; every query then filters the board's postings by title (the searched title or any keyword as
words of the posting title) and by remote / location / age. A board that fails does not fail the
others: its error is recorded as a CallRecord; only when every board fails does the search raise.

An answer without its list (Greenhouse's and Ashby's ``jobs``, Lever's top-level array), or with a
value of another type there, is an :class:`EngineError` naming what is missing (never cached); an item
whose own fields have unexpected types is left out and counted (``malformed_item``).

Liveness (no LLM): ``greenhouse_job_alive`` (404 of the single-job endpoint = closed),
``lever_job_alive`` (a 404 alone proves nothing: Lever hides confidential postings from the API, so
closed only when also absent from a freshly fetched board), ``ashby_job_alive`` (presence on the board).
Each returns "open" | "closed" | "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from jobland_pipeline.postings.engines.base import CallRecord, EngineError, EngineResult, SearchQuery
from jobland_pipeline.postings.engines.common import (
    MALFORMED,
    Collector,
    clean_line,
    clean_text,
    employment_type,
    employment_type_in_text,
    json_kind,
    period_of,
    place_matches,
    remote_flag,
    salary_fields,
    salary_from_text,
    slug_to_name,
    structured_salary,
    title_matches,
    workplace_flag,
)
from jobland_pipeline.postings.engines.transport import AUTO, Transport
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.normalize import canonical_url

GREENHOUSE_BASE = "https://boards-api.greenhouse.io"
LEVER_BASE = "https://api.lever.co"
ASHBY_BASE = "https://api.ashbyhq.com"
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_WORK_MODEL_ONLY = re.compile(r"^\s*(remote|hybrid|on[\s-]?site|anywhere|flexible)\s*$", re.I)

OPEN, CLOSED, UNKNOWN = "open", "closed", "unknown"


def _today() -> date:
    return datetime.now(UTC).date()


def _check_tokens(kind: str, tokens: Iterable[str]) -> list[str]:
    cleaned = [t.strip() for t in tokens if t and t.strip()]
    bad = [t for t in cleaned if not _TOKEN.fullmatch(t)]
    if bad:
        raise ValueError(f"invalid {kind} board name(s): {', '.join(repr(b) for b in bad)}")
    return list(dict.fromkeys(cleaned))


class _BoardEngine:
    name = "board"
    kind = "board"

    def __init__(
        self,
        boards: Sequence[str],
        *,
        transport: Transport,
        base_url: str,
        today: Callable[[], date] = _today,
    ) -> None:
        self.boards = _check_tokens(self.kind, boards)
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.today = today

    # subclasses
    def _request(self, board: str) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def _items(self, answer: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _add(self, collected: Collector, item: dict[str, Any], board: str) -> None:
        raise NotImplementedError

    def fetch_board(
        self, board: str, *, fresh: bool = False
    ) -> tuple[list[dict[str, Any]], list[CallRecord]]:
        """The board's raw items (cached for the TTL unless ``fresh``); raises EngineError."""
        url, params = self._request(board)
        answer, calls = self.transport.request_json(
            "GET", url, params=params, cache_key=None if fresh else AUTO, validate=self._validate
        )
        return self._items(answer), calls

    def _validate(self, answer: Any) -> str | None:
        try:
            self._items(answer)
        except MALFORMED as exc:
            return f"unexpected answer from {self.name}: {exc}"
        return None

    def search(self, query: SearchQuery) -> EngineResult:
        today = self.today()
        collected = Collector(self.name, today)
        calls: list[CallRecord] = []
        errors: list[str] = []
        for board in self.boards:
            try:
                items, board_calls = self.fetch_board(board)
            except EngineError as exc:
                calls.extend(exc.calls)
                errors.append(str(exc))
                continue
            calls.extend(board_calls)
            for item in items:
                if isinstance(item, dict):
                    collected.take(partial(self._add, collected, item, board))
                else:
                    collected.raw += 1
                    collected.dropped["not_an_object"] += 1
        if self.boards and len(errors) == len(self.boards):
            raise EngineError(f"{self.name}: every board failed: " + "; ".join(errors), calls)
        kept = [
            p
            for p in collected.postings
            if title_matches(p.title, query) and place_matches(p, query, today=today)
        ]
        dropped = dict(collected.dropped)
        if len(kept) < len(collected.postings):
            dropped["not_matching"] = len(collected.postings) - len(kept)
        if errors:
            dropped["board_errors"] = len(errors)
        return EngineResult(postings=kept, calls=calls, dropped=dropped, raw_count=collected.raw)


# --------------------------------------------------------------------------- Greenhouse


class GreenhouseBoards(_BoardEngine):
    """``GET /v1/boards/{token}/jobs?content=true`` per board (content is entity-escaped HTML)."""

    name = "greenhouse"
    kind = "Greenhouse"

    def __init__(
        self,
        boards: Sequence[str],
        *,
        transport: Transport,
        base_url: str = GREENHOUSE_BASE,
        today: Callable[[], date] = _today,
    ) -> None:
        super().__init__(boards, transport=transport, base_url=base_url, today=today)

    def _request(self, board: str) -> tuple[str, dict[str, Any]]:
        return f"{self.base_url}/v1/boards/{board}/jobs", {"content": "true"}

    def _items(self, answer: Any) -> list[dict[str, Any]]:
        return _jobs(answer)

    def _add(self, collected: Collector, item: dict[str, Any], board: str) -> None:
        description = clean_text(item.get("content"))
        location, offices = _greenhouse_location(item)
        meta_type = _metadata_value(item.get("metadata"), _EMPLOYMENT_FIELD)
        collected.add(
            source_id=item.get("id"),
            title=item.get("title"),
            company=item.get("company_name") or slug_to_name(board),
            raw_date=item.get("first_published") or item.get("updated_at"),
            location=location,
            remote=remote_flag(location, item.get("title"), *offices),
            employment_type=employment_type(meta_type) or employment_type_in_text(description[:3000]),
            url=item.get("absolute_url"),
            apply_url=item.get("absolute_url"),
            description=description,
            **salary_fields(salary_from_text(description)),
        )

    def job_alive(self, board: str, job_id: str | int) -> str:
        return greenhouse_job_alive(board, job_id, transport=self.transport, base_url=self.base_url)


# --------------------------------------------------------------------------- Lever


class LeverBoards(_BoardEngine):
    """``GET /v0/postings/{site}?mode=json`` per site (a JSON array; salaryRange, workplaceType)."""

    name = "lever"
    kind = "Lever"

    def __init__(
        self,
        sites: Sequence[str],
        *,
        transport: Transport,
        base_url: str = LEVER_BASE,
        today: Callable[[], date] = _today,
    ) -> None:
        super().__init__(sites, transport=transport, base_url=base_url, today=today)

    def _request(self, board: str) -> tuple[str, dict[str, Any]]:
        return f"{self.base_url}/v0/postings/{board}", {"mode": "json"}

    def _items(self, answer: Any) -> list[dict[str, Any]]:
        if not isinstance(answer, list):
            raise ValueError(f"expected a JSON array, got {json_kind(answer)}")
        return answer

    def _add(self, collected: Collector, item: dict[str, Any], board: str) -> None:
        categories = item.get("categories") or {}
        location = categories.get("location") or ", ".join(categories.get("allLocations") or [])
        flag = workplace_flag(item.get("workplaceType"))
        collected.add(
            source_id=item.get("id"),
            title=item.get("text"),
            company=slug_to_name(board),
            raw_date=item.get("createdAt"),
            location=location,
            remote=flag if flag is not None else remote_flag(location, item.get("text")),
            employment_type=employment_type(categories.get("commitment")),
            url=item.get("hostedUrl"),
            apply_url=item.get("applyUrl") or item.get("hostedUrl"),
            description=_lever_description(item),
            **_lever_salary(item),
        )

    def posting_ids(self, site: str) -> set[str]:
        """Ids on the site's board, fetched fresh (for ``lever_job_alive``); raises EngineError."""
        items, _ = self.fetch_board(site, fresh=True)
        return {str(i.get("id")) for i in items if isinstance(i, dict) and i.get("id")}

    def job_alive(self, site: str, posting_id: str, board_ids: set[str] | None = None) -> str:
        return lever_job_alive(site, posting_id, board_ids, transport=self.transport, base_url=self.base_url)


# --------------------------------------------------------------------------- Ashby


class AshbyBoards(_BoardEngine):
    """``GET /posting-api/job-board/{name}?includeCompensation=true`` per board."""

    name = "ashby"
    kind = "Ashby"

    def __init__(
        self,
        boards: Sequence[str],
        *,
        transport: Transport,
        base_url: str = ASHBY_BASE,
        today: Callable[[], date] = _today,
    ) -> None:
        super().__init__(boards, transport=transport, base_url=base_url, today=today)

    def _request(self, board: str) -> tuple[str, dict[str, Any]]:
        return f"{self.base_url}/posting-api/job-board/{board}", {"includeCompensation": "true"}

    def _items(self, answer: Any) -> list[dict[str, Any]]:
        return _jobs(answer)

    def _add(self, collected: Collector, item: dict[str, Any], board: str) -> None:
        if item.get("isListed") is False:
            collected.raw += 1
            collected.dropped["unlisted"] += 1
            return
        location = _ashby_location(item)
        description = clean_text(item.get("descriptionHtml") or item.get("descriptionPlain"))
        collected.add(
            source_id=item.get("id") or item.get("jobUrl"),
            title=item.get("title"),
            company=slug_to_name(board),
            raw_date=item.get("publishedAt"),
            location=location,
            remote=_ashby_remote(item, location),
            employment_type=employment_type(item.get("employmentType")),
            url=item.get("jobUrl"),
            apply_url=item.get("applyUrl") or item.get("jobUrl"),
            description=description,
            **_ashby_salary(item.get("compensation") or {}, description),
        )

    def board_jobs(self, board: str) -> list[dict[str, Any]]:
        """The board's raw jobs, fetched fresh (for ``ashby_job_alive``); raises EngineError."""
        items, _ = self.fetch_board(board, fresh=True)
        return items


def _jobs(answer: Any) -> list[dict[str, Any]]:
    """The ``jobs`` list of a Greenhouse or Ashby board (ValueError naming what is wrong)."""
    if not isinstance(answer, dict):
        raise ValueError(f"expected a JSON object, got {json_kind(answer)}")
    if "jobs" not in answer:
        raise ValueError("no 'jobs' field")
    if not isinstance(answer["jobs"], list):
        raise ValueError(f"'jobs' is {json_kind(answer['jobs'])}, not a list")
    return answer["jobs"]


# --------------------------------------------------------------------------- item fields

_EMPLOYMENT_FIELD = re.compile(r"employment|time type|job type|schedule", re.I)


def _greenhouse_location(item: dict[str, Any]) -> tuple[str, list[str]]:
    """(location, office names): a bare work model ("Remote", "Hybrid") is completed by the first office."""
    location = clean_line((item.get("location") or {}).get("name"))
    offices = [clean_line(o.get("location") or o.get("name")) for o in item.get("offices") or []]
    offices = [o for o in offices if o]
    if (not location or _WORK_MODEL_ONLY.match(location)) and offices:
        work_model = location
        location = offices[0] + (f" ({work_model})" if work_model else "")
    return location, offices


def _metadata_value(metadata: Any, name: re.Pattern[str]) -> Any:
    """The value of the first custom field whose name matches (Greenhouse ``metadata``)."""
    fields = [m for m in metadata or [] if isinstance(m, dict)]
    return next((m.get("value") for m in fields if name.search(str(m.get("name")))), None)


def _lever_description(item: dict[str, Any]) -> str:
    """Opening, the titled lists ("What you'll do") and the closing text, as one clean description."""
    parts = [item.get("description") or item.get("descriptionPlain") or item.get("opening") or ""]
    sections = [s for s in item.get("lists") or [] if isinstance(s, dict)]
    parts += [f"<h3>{s.get('text') or ''}</h3><ul>{s.get('content') or ''}</ul>" for s in sections]
    parts.append(item.get("additional") or item.get("additionalPlain") or "")
    return clean_text("\n".join(str(p) for p in parts if p))


def _lever_salary(item: dict[str, Any]) -> dict[str, object]:
    """Posting salary fields from ``salaryRange`` (the plain description kept as the text)."""
    salary_range = item.get("salaryRange") or {}
    salary_text = item.get("salaryDescriptionPlain") or None
    return structured_salary(
        salary_range.get("min"),
        salary_range.get("max"),
        salary_range.get("currency"),
        period_of(salary_range.get("interval")),
        clean_line(salary_text) if salary_text else None,
    )


def _ashby_location(item: dict[str, Any]) -> str:
    """The primary location and the secondary ones, " / "-separated."""
    secondary = [s.get("location") for s in item.get("secondaryLocations") or [] if isinstance(s, dict)]
    places = [clean_line(item.get("location")), *(clean_line(s) for s in secondary)]
    return " / ".join(x for x in places if x)


def _ashby_remote(item: dict[str, Any], location: str) -> bool | str:
    """``workplaceType`` when set, else ``isRemote``, else what the location says."""
    flag = workplace_flag(item.get("workplaceType"))
    if flag is not None:
        return flag
    return True if item.get("isRemote") else remote_flag(location)


def _salary_components(compensation: dict[str, Any]) -> list[dict[str, Any]]:
    """The "Salary" components of every compensation tier (equity and bonus left out)."""
    tiers = [t for t in compensation.get("compensationTiers") or [] if isinstance(t, dict)]
    components = [c for tier in tiers for c in tier.get("components") or [] if isinstance(c, dict)]
    return [c for c in components if str(c.get("compensationType", "")).lower() == "salary"]


def _ashby_salary(compensation: dict[str, Any], description: str) -> dict[str, object]:
    """The range across the salary components, else the summary text, else a salary in the description."""
    summary = (
        compensation.get("scrapeableCompensationSalarySummary")
        or compensation.get("compensationTierSummary")
        or None
    )
    summary_text = clean_line(summary) if summary else None
    components = _salary_components(compensation)
    if not components:
        return salary_fields(summary_text or salary_from_text(description))
    lows = [c["minValue"] for c in components if isinstance(c.get("minValue"), int | float)]
    highs = [c["maxValue"] for c in components if isinstance(c.get("maxValue"), int | float)]
    return structured_salary(
        min(lows) if lows else None,
        max(highs) if highs else None,
        components[0].get("currencyCode"),
        period_of(components[0].get("interval")),
        summary_text,
    )


# --------------------------------------------------------------------------- liveness


def _status_of(exc: EngineError) -> int | None:
    return exc.calls[-1].http_status if exc.calls else None


def greenhouse_job_alive(
    board: str,
    job_id: str | int,
    *,
    transport: Transport | None = None,
    base_url: str = GREENHOUSE_BASE,
) -> str:
    """ "closed" on a 404 of ``GET /v1/boards/{board}/jobs/{id}``, "open" on 200, else "unknown"."""
    _check_tokens("Greenhouse", [board])
    if not re.fullmatch(r"\d{1,20}", str(job_id)):
        return UNKNOWN
    transport = transport or Transport("greenhouse", max_retries=1)
    try:
        transport.request_json(
            "GET", f"{base_url.rstrip('/')}/v1/boards/{board}/jobs/{job_id}", cache_key=None
        )
    except EngineError as exc:
        return CLOSED if _status_of(exc) == 404 else UNKNOWN
    return OPEN


def lever_job_alive(
    site: str,
    posting_id: str,
    board_ids: set[str] | None = None,
    *,
    transport: Transport | None = None,
    base_url: str = LEVER_BASE,
) -> str:
    """ "open" on 200 or when on the board; "closed" only on a 404 AND absent from ``board_ids``.

    ``board_ids``: the ids on a freshly fetched board (``LeverBoards.posting_ids``); None = not known,
    and then a 404 gives "unknown" (Lever answers 404 for confidential postings that are still live).
    """
    _check_tokens("Lever", [site])
    if not re.fullmatch(r"[A-Za-z0-9-]{1,64}", str(posting_id)):
        return UNKNOWN
    transport = transport or Transport("lever", max_retries=1)
    try:
        transport.request_json(
            "GET", f"{base_url.rstrip('/')}/v0/postings/{site}/{posting_id}", cache_key=None
        )
    except EngineError as exc:
        if board_ids is not None and str(posting_id) in board_ids:
            return OPEN
        if _status_of(exc) == 404 and board_ids is not None:
            return CLOSED
        return UNKNOWN
    return OPEN


def ashby_job_alive(board_jobs: Iterable[dict[str, Any] | Posting | str] | None, job_url: str) -> str:
    """ "open" when ``job_url`` is on the (freshly fetched) board, "closed" when not, "unknown" without one."""
    if board_jobs is None or not job_url:
        return UNKNOWN
    wanted = canonical_url(job_url)
    for job in board_jobs:
        urls: list[str | None]
        if isinstance(job, str):
            urls = [job]
        elif isinstance(job, Posting):
            urls = [job.url, job.apply_url]
        else:
            urls = [job.get("jobUrl"), job.get("applyUrl")]
        if any(u and canonical_url(u) == wanted for u in urls):
            return OPEN
        if isinstance(job, dict) and job.get("id") and str(job["id"]) in job_url:
            return OPEN
    return CLOSED
