"""Postings found per search, their sightings, the registry of every posting ever seen, and the call ledger.

Each row model is its table: fields are the columns (see ``jobland_pipeline.records``)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from jobland_pipeline.records import Table


class JobPostingRow(BaseModel):
    """Postings found for one (user, title) search, normalised and de-duplicated."""

    search_key: str | None = Field(default=None, description="searches partition key")
    user_id: str | None = Field(default=None, description="user")
    title_slug: str | None = Field(default=None, description="searched title")
    posting_id: str | None = Field(default=None, description="posting id from its source")
    title: str | None = Field(default=None, description="posting title")
    company: str | None = Field(default=None, description="company")
    location: str | None = Field(default=None, description="location as posted")
    country: str | None = Field(default=None, description="ISO country code when known")
    remote: str | None = Field(default=None, description="true, false or hybrid")
    employment_type: str | None = Field(default=None, description="full_time, part_time, contract...")
    posted_at: date | None = Field(default=None, description="date posted")
    salary: str | None = Field(default=None, description="salary as posted")
    url: str | None = Field(default=None, description="apply/posting URL")
    description: str | None = Field(default=None, description="clean plain-text description")
    source: str | None = Field(default=None, description="engine that found it")
    source_id: str | None = Field(default=None, description="the engine's own id")
    apply_url: str | None = Field(
        default=None, description="direct application link (the ATS one when known)"
    )
    salary_min: float | None = Field(default=None, description="parsed minimum pay")
    salary_max: float | None = Field(default=None, description="parsed maximum pay")
    salary_currency: str | None = Field(default=None, description="ISO currency")
    salary_period: str | None = Field(default=None, description="year, month, week, day or hour")
    status: str | None = Field(
        default=None, description="open, closed or stale (only open postings are screened)"
    )
    first_seen: date | None = Field(default=None, description="first day any engine returned it")
    last_seen: date | None = Field(default=None, description="last day it was returned or found live")
    broadening_step: str | None = Field(
        default=None, description="exact, synonyms, no_seniority or wider_location: the step that found it"
    )
    sources: list[str] = Field(default_factory=list, description="every engine that returned it")
    fingerprint: str | None = Field(
        default=None, description="company + normalised title + location hash used for de-duplication"
    )
    relevance: float | None = Field(default=None, description="search relevance 0-1")
    found_at: datetime | None = Field(default=None, description="when found")


JOB_POSTINGS = Table(
    "job_postings",
    JobPostingRow,
    "Postings found for one (user, title) search, normalised and de-duplicated.",
)


class PostingSourceRow(BaseModel):
    """Every engine sighting of a posting: merged duplicates keep all their sources."""

    search_key: str | None = Field(default=None, description="search")
    fingerprint: str | None = Field(default=None, description="posting fingerprint")
    posting_id: str | None = Field(default=None, description="id kept in job_postings")
    source: str | None = Field(default=None, description="engine")
    source_id: str | None = Field(default=None, description="engine's id")
    url: str | None = Field(default=None, description="URL at that source")
    apply_url: str | None = Field(default=None, description="apply link at that source")
    merged_as: str | None = Field(default=None, description="kept, fingerprint, url or fuzzy")
    seen_at: datetime | None = Field(default=None, description="when")


POSTING_SOURCES = Table(
    "posting_sources",
    PostingSourceRow,
    "Every engine sighting of a posting: merged duplicates keep all their sources.",
)


class PostingRegistryRow(BaseModel):
    """One row per posting ever found: first and last seen, and whether it is still open."""

    fingerprint: str | None = Field(default=None, description="posting fingerprint")
    first_seen: date | None = Field(default=None, description="first day seen")
    last_seen: date | None = Field(default=None, description="last day seen or live")
    status: str | None = Field(default=None, description="open, closed or stale")
    source: str | None = Field(default=None, description="engine first seen on")
    source_id: str | None = Field(default=None, description="engine id")
    url: str | None = Field(default=None, description="posting URL")


POSTING_REGISTRY = Table(
    "posting_registry",
    PostingRegistryRow,
    "One row per posting ever found: first and last seen, and whether it is still open.",
)


class ApiCallRow(BaseModel):
    """The call ledger: every external search call or cache hit, with its cost."""

    asset: str | None = Field(default=None, description="asset that made the call")
    run_id: str | None = Field(default=None, description="Dagster run")
    engine: str | None = Field(default=None, description="engine")
    request: str | None = Field(default=None, description="request without credentials")
    status: str | None = Field(default=None, description="ok, empty, error or cached")
    http_status: int | None = Field(default=None, description="last HTTP status")
    attempts: int | None = Field(default=None, description="tries including retries")
    credits: float | None = Field(default=None, description="provider credits used")
    cost_usd: float | None = Field(default=None, description="cost in USD")
    latency_ms: float | None = Field(default=None, description="latency")
    cache_hit: bool | None = Field(default=None, description="answered from a cache")
    error: str | None = Field(default=None, description="error, if any")
    at: datetime | None = Field(default=None, description="when")
    search_key: str | None = Field(
        default=None,
        description="the search that made the call (an answer shared by other searches is charged to "
        "the first that asked: the others record a free shared hit)",
    )
    user_id: str | None = Field(default=None, description="the user of that search (who is charged)")


API_CALLS = Table(
    "api_calls", ApiCallRow, "The call ledger: every external search call or cache hit, with its cost."
)
