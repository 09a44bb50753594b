"""The search stage: one (user, title) search -> the records of the postings found, their sightings and
the registry of every posting seen, ready to write.

Equal queries are answered once per run (``SharedSearches``), duplicates across engines keep all
their sources, and postings that closed or went stale never go further.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings.discovery import SearchOutcome, SharedSearches, build_query
from jobland_pipeline.postings.engines.base import CallRecord
from jobland_pipeline.postings.frame import dedupe_postings
from jobland_pipeline.postings.geo import parse_place
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.normalize import canonical_url, fingerprint
from jobland_pipeline.postings.records import ApiCallRow, JobPostingRow, PostingRegistryRow, PostingSourceRow
from jobland_pipeline.postings.registry import OPEN, RegistryEntry, update_registry
from jobland_pipeline.postings.salary import parse_salary
from jobland_pipeline.postings.search import search_postings
from jobland_pipeline.profiles.models import Profile, TitleSuggestion
from jobland_pipeline.profiles.preferences import Preferences

MAX_POSTINGS_PER_SEARCH = 40
ATS = frozenset({"greenhouse", "lever", "ashby"})


class EveryEngineFailed(RuntimeError):
    """No engine answered this search: a failure, not "no jobs today"."""


@dataclass(frozen=True)
class SearchRecords:
    postings: list[JobPostingRow]
    sources: list[PostingSourceRow]
    registry: list[PostingRegistryRow]
    outcome: SearchOutcome


@dataclass(frozen=True)
class SearchSettings:
    fresh_days: int | None
    stale_after_days: int
    engines: int  # how many engines were asked (all failing = the search failed)


def run_search(
    key: str,
    title: TitleSuggestion,
    profile: Profile,
    prefs: Preferences,
    shared: SharedSearches,
    previous: list[PostingRegistryRow],
    *,
    settings: SearchSettings,
    liveness: Callable[[RegistryEntry], str] | None,
    today: date,
    now: datetime,
) -> SearchRecords:
    """Search, rank by relevance to the title, de-duplicate, update the registry; only open postings kept."""
    outcome = shared.search(title, build_query(title, profile, prefs, fresh_days=settings.fresh_days))
    _check_answered(outcome, settings)
    hits = search_postings(title, outcome.postings, limit=MAX_POSTINGS_PER_SEARCH, min_relevance=0.0)
    kept, merged = dedupe_postings([h.posting for h in hits])
    registry = update_registry(
        {r.fingerprint: RegistryEntry(**r.model_dump()) for r in previous if r.fingerprint},
        [(fingerprint(p), p.source, p.source_id, p.url) for p in outcome.postings],
        today,
        stale_after_days=settings.stale_after_days,
        liveness=liveness,
    )
    sightings = _sightings(outcome.postings)
    relevance = {h.posting.id: h.relevance for h in hits}
    postings = [
        posting_record(key, p, registry[fp], outcome.step, sightings[fp], relevance[p.id], now)
        for p in kept
        if registry[fp := fingerprint(p)].status == OPEN
    ]
    return SearchRecords(
        postings=postings,
        sources=_source_rows(key, outcome.postings, {p.id for p in kept}, merged, now),
        registry=[PostingRegistryRow(**asdict(e)) for e in registry.values()],
        outcome=outcome,
    )


def _check_answered(outcome: SearchOutcome, settings: SearchSettings) -> None:
    """Raise ``EveryEngineFailed`` when every engine asked failed and none found a posting."""
    if outcome.errors and not outcome.postings and len(outcome.errors) == settings.engines:
        raise EveryEngineFailed(
            "every engine failed: " + "; ".join(f"{e}: {r}" for e, r in outcome.errors.items())
        )


def _source_rows(
    key: str, found: list[Posting], kept_ids: set[str], merged: dict[str, str], now: datetime
) -> list[PostingSourceRow]:
    """One row per posting an engine returned, duplicates included: which posting it was merged into,
    so every source of a kept posting stays known."""
    return [
        PostingSourceRow(
            search_key=key,
            fingerprint=fingerprint(p),
            posting_id=merged.get(p.id, p.id),
            source=p.source,
            source_id=p.source_id,
            url=canonical_url(p.url),
            apply_url=p.apply_url,
            merged_as="kept" if p.id in kept_ids else "duplicate",
            seen_at=now,
        )
        for p in found
    ]


def _sightings(found: list[Posting]) -> dict[str, list[Posting]]:
    """The postings found, grouped by fingerprint (the same job seen on several engines)."""
    sightings: dict[str, list[Posting]] = defaultdict(list)
    for p in found:
        sightings[fingerprint(p)].append(p)
    return sightings


def posting_record(
    key: str,
    posting: Posting,
    entry: RegistryEntry,
    step: str | None,
    sightings: list[Posting],
    relevance: float,
    now: datetime,
) -> JobPostingRow:
    """The warehouse record of a posting found by a search (salary parsed, the ATS link preferred)."""
    user_id, slug = split_search_key(key)
    p = with_parsed_salary(posting)
    ats = next((s.apply_url for s in sightings if s.source in ATS and s.apply_url), None)
    return JobPostingRow(
        search_key=key,
        user_id=user_id,
        title_slug=slug,
        posting_id=p.id,
        title=p.title,
        company=p.company,
        location=p.location,
        country=parse_place(p.location).country,
        remote=p.remote_flag,
        employment_type=p.employment_type,
        posted_at=p.posted_at,
        salary=p.salary,
        url=p.url,
        description=p.description,
        source=p.source,
        source_id=p.source_id,
        apply_url=ats or p.apply_url or p.url,
        salary_min=p.salary_min,
        salary_max=p.salary_max,
        salary_currency=p.salary_currency,
        salary_period=p.salary_period,
        status=entry.status,
        first_seen=entry.first_seen,
        last_seen=entry.last_seen,
        broadening_step=step,
        sources=sorted({s.source for s in sightings}),
        fingerprint=fingerprint(p),
        relevance=relevance,
        found_at=now,
    )


def with_parsed_salary(posting: Posting) -> Posting:
    """The posting with its salary range parsed from the text when the engine gave none."""
    if posting.salary_min is not None or posting.salary_max is not None:
        return posting
    parsed = parse_salary(posting.salary)
    if parsed is None:
        return posting
    return posting.model_copy(
        update={
            "salary_min": parsed.min,
            "salary_max": parsed.max,
            "salary_currency": parsed.currency,
            "salary_period": parsed.period,
        }
    )


def posting_of(row: JobPostingRow) -> Posting:
    """The posting a record holds, every field kept (id, source id, apply link, parsed salary)."""
    return Posting(
        id=row.posting_id or "",
        title=row.title or "",
        company=row.company or "",
        location=row.location or "",
        remote=row.remote or False,  # type: ignore[arg-type]  # "true" / "false" / "hybrid", validated
        employment_type=row.employment_type,
        posted_at=row.posted_at,
        salary=row.salary,
        url=row.url,
        description=row.description or "",
        source=row.source or "local",
        source_id=row.source_id,
        apply_url=row.apply_url,
        salary_min=row.salary_min,
        salary_max=row.salary_max,
        salary_currency=row.salary_currency,
        salary_period=row.salary_period,
    )


def call_records(calls: Iterable[CallRecord], *, asset: str, run_id: str) -> list[ApiCallRow]:
    """The call ledger's records of an engine's calls (never with credentials: engines redact)."""
    return [ApiCallRow(**asdict(c), asset=asset, run_id=run_id) for c in calls]
