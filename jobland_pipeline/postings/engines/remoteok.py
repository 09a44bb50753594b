"""RemoteOK's public feed (no key, no cost): ``GET /api`` once per cache TTL, filtered per query.

The feed is a JSON array whose element 0 is a legal notice (dropped). RemoteOK's terms ask for
attribution and a followed link back: every posting's ``url`` is its RemoteOK page, ``apply_url`` the
employer's link. Descriptions are HTML and sometimes mojibake ("Ã©"), repaired on the way in.

An answer that is not a JSON array is an :class:`EngineError` saying what it is (never cached); an entry
that is not an object, or whose fields have unexpected types, is left out and counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from jobland_pipeline.postings.engines.base import EngineResult, SearchQuery
from jobland_pipeline.postings.engines.common import (
    Collector,
    clean_line,
    clean_text,
    employment_type,
    json_kind,
    place_matches,
    remote_flag,
    structured_salary,
    title_matches,
)
from jobland_pipeline.postings.engines.transport import AUTO, Transport
from jobland_pipeline.postings.models import Posting

REMOTEOK_BASE = "https://remoteok.com"


def _today() -> date:
    return datetime.now(UTC).date()


def _validate(answer: Any) -> str | None:
    if isinstance(answer, list):
        return None
    return f"unexpected answer from remoteok (expected a JSON array, got {json_kind(answer)})"


def _is_legal_notice(item: dict[str, Any]) -> bool:
    return ("legal" in item or "last_updated" in item) and "position" not in item


def _wanted(posting: Posting, tags: str, query: SearchQuery, anywhere: SearchQuery, today: date) -> bool:
    """Remote allowed, the title (or the tags) matching, and the rest of the query (no location) met."""
    return (
        query.remote is not False
        and (title_matches(posting.title, query) or title_matches(tags, query))
        and place_matches(posting, anywhere, today=today)
    )


class RemoteOK:
    """Remote jobs from remoteok.com; every posting is remote."""

    name = "remoteok"

    def __init__(
        self,
        *,
        transport: Transport,
        base_url: str = REMOTEOK_BASE,
        today: Callable[[], date] = _today,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.today = today

    def search(self, query: SearchQuery) -> EngineResult:
        today = self.today()
        answer, calls = self.transport.request_json(
            "GET",
            f"{self.base_url}/api",
            headers={"User-Agent": self.transport.user_agent},
            cache_key=AUTO,
            validate=_validate,
        )
        collected, tags_of = self._collect(answer, today)
        # Every posting is remote: the query's location does not narrow a remote feed.
        anywhere = replace(query, location=None)
        kept = [p for p in collected.postings if _wanted(p, tags_of.get(p.id, ""), query, anywhere, today)]
        dropped = dict(collected.dropped)
        if len(kept) < len(collected.postings):
            dropped["not_matching"] = len(collected.postings) - len(kept)
        return EngineResult(postings=kept, calls=calls, dropped=dropped, raw_count=collected.raw)

    def _collect(self, answer: list[Any], today: date) -> tuple[Collector, dict[str, str]]:
        """The feed's entries through the Collector (the legal notice skipped); each posting's tags."""
        collected = Collector(self.name, today)
        tags_of: dict[str, str] = {}
        for index, item in enumerate(answer):
            if not isinstance(item, dict):
                collected.raw += 1
                collected.dropped["not_an_object"] += 1
                continue
            if index == 0 and _is_legal_notice(item):
                continue
            found = collected.take(partial(self._add, collected, item))
            if isinstance(found, tuple):
                posting, tags = found
                tags_of[posting.id] = " ".join(tags)
        return collected, tags_of

    def _add(self, collected: Collector, item: dict[str, Any]) -> tuple[Posting, list[str]] | None:
        """The posting of one entry and its tags (None when the Collector left it out)."""
        tags = [clean_line(t) for t in item.get("tags") or [] if t]
        location = clean_line(item.get("location")) or "Remote"
        posting = collected.add(
            source_id=item.get("id") or item.get("slug"),
            title=item.get("position"),
            company=item.get("company"),
            raw_date=item.get("date") or item.get("epoch"),
            location=location,
            remote="hybrid" if remote_flag(location) == "hybrid" else True,
            employment_type=employment_type(tags),
            url=item.get("url"),
            apply_url=item.get("apply_url") or item.get("url"),
            description=clean_text(item.get("description")),
            **structured_salary(item.get("salary_min"), item.get("salary_max"), "USD", "year"),
        )
        return (posting, tags) if posting is not None else None
