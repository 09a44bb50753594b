"""The search-engine interface every engine implements, and the record of every external call."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from jobland_pipeline.postings.models import Posting


@dataclass(frozen=True)
class SearchQuery:
    """One search, built from a title and the user's settings; equal queries share one answer."""

    title: str
    keywords: tuple[str, ...] = ()  # synonyms / aliases to include when the engine supports them
    location: str | None = None  # free text, e.g. "Chicago, IL" or "上海"
    country: str | None = None  # ISO 3166-1 alpha-2 when known
    remote: bool | None = None  # True: remote only; False: on-site only; None: either
    posted_within_days: int | None = None
    language: str | None = None  # "en" / "zh": engines that localise results use it

    def cache_key(self) -> str:
        """Stable across users and runs: the same title and place is fetched once and shared."""
        data = asdict(self)
        data["title"] = " ".join(self.title.lower().split())
        data["location"] = " ".join((self.location or "").lower().split()) or None
        data["keywords"] = sorted({k.lower() for k in self.keywords})
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


@dataclass
class CallRecord:
    """One external request (or cache hit): what, when, how it went, what it cost. Never holds secrets."""

    engine: str
    request: str  # method + URL path + query WITHOUT credentials (api keys are never recorded)
    status: str  # ok | empty | error | cached
    http_status: int | None = None
    attempts: int = 1
    credits: float = 0.0  # provider units (SerpAPI searches, Exa requests)
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    cache_hit: bool = False
    error: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class EngineResult:
    postings: list[Posting] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> count of answers not kept
    raw_count: int = 0  # items the engine returned before normalisation


class EngineError(Exception):
    """A search that failed after retries (or permanently); ``calls`` says what was tried."""

    def __init__(self, message: str, calls: list[CallRecord] | None = None) -> None:
        super().__init__(message)
        self.calls = calls or []


class SearchEngine(Protocol):
    name: str

    def search(self, query: SearchQuery) -> EngineResult: ...
