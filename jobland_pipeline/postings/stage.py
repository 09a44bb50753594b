"""The search stage: a batch of (user, title) searches -> the records of the postings found, their
sightings and the registry of every posting seen, ready to write.

The engines are asked search by search (``gather_search``; equal queries are answered once per run by
``SharedSearches``). Everything they answered for the whole batch is then normalised and de-duplicated
in one frame (``run_searches``: fingerprints, canonical URLs, cleaned text and parsed salaries computed
once per posting however many searches found it, each search de-duplicated within its own group) and
split back per search into the same records a search on its own gives. Duplicates across engines keep
all their sources, and postings that closed or went stale never go further.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import lru_cache

import polars as pl

from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR, split_search_key
from jobland_pipeline.postings.discovery import SearchOutcome, SharedSearches, build_query
from jobland_pipeline.postings.engines.base import CallRecord
from jobland_pipeline.postings.frame import (
    canonical_urls,
    dedupe_rows,
    fingerprints,
    normalise_frame,
    postings_frame,
    with_near_duplicates,
)
from jobland_pipeline.postings.geo import parse_place
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.near_duplicates import Memo
from jobland_pipeline.postings.records import ApiCallRow, JobPostingRow, PostingRegistryRow, PostingSourceRow
from jobland_pipeline.postings.registry import OPEN, RegistryEntry, update_registry
from jobland_pipeline.postings.salary import parse_salary
from jobland_pipeline.postings.search import SearchHit, search_postings
from jobland_pipeline.profiles.models import Profile, TitleSuggestion
from jobland_pipeline.profiles.preferences import Preferences

MAX_POSTINGS_PER_SEARCH = 40
ATS = frozenset({"greenhouse", "lever", "ashby"})
USER_GIVEN = frozenset({"url"})  # postings the user listed (posting_urls): never cut by the ranking


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


@dataclass(frozen=True)
class Search:
    """One search of a batch: its partition key, title, what the engines answered, and its registry
    as it stood before today."""

    key: str
    title: TitleSuggestion
    outcome: SearchOutcome
    previous: list[PostingRegistryRow] = field(default_factory=list)


@dataclass
class Batch:
    """The records of every search of a batch that went through, and why the others did not."""

    done: dict[str, SearchRecords] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def gather_search(
    title: TitleSuggestion,
    profile: Profile,
    prefs: Preferences,
    shared: SharedSearches,
    *,
    settings: SearchSettings,
) -> SearchOutcome:
    """Ask the engines for one title (broadened step by step); ``EveryEngineFailed`` when none answered."""
    outcome = shared.search(title, build_query(title, profile, prefs, fresh_days=settings.fresh_days))
    _check_answered(outcome, settings)
    return outcome


def run_searches(
    searches: Sequence[Search],
    *,
    stale_after_days: int,
    liveness: Callable[[RegistryEntry], str] | None,
    today: date,
    now: datetime,
) -> Batch:
    """Rank, de-duplicate and register the answers of every search of a batch at once.

    Per search: the best ``MAX_POSTINGS_PER_SEARCH`` postings by relevance to the title, de-duplicated
    (exact, fuzzy and near duplicates), the registry updated with every posting the engines returned,
    and only open postings kept. One search failing never loses the others: a batch whose shared frame
    fails is retried one search at a time, and each search's records are built on their own.

    Python's cyclic garbage collector is paused meanwhile (``_gc_paused``).
    """
    with _gc_paused():
        try:
            found = _Found.of(searches)
        except Exception as exc:
            if len(searches) == 1:
                return Batch(failed={searches[0].key: f"{type(exc).__name__}: {exc}"})
            return _one_by_one(searches, stale_after_days, liveness, today, now)
        batch = Batch()
        for search in searches:
            try:
                batch.done[search.key] = found.records(search, stale_after_days, liveness, today, now)
            except Exception as exc:  # isolation boundary: this search fails, the others go on
                batch.failed[search.key] = f"{type(exc).__name__}: {exc}"
        return batch


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the batch, as it was after.

    A batch allocates objects that all live until it ends (postings, hits, records: no reference cycles;
    reference counting frees the rest). The collector would only walk them again and again: in
    ``bench/discovery.py`` (20,000 answers, 500 searches) four full collections found nothing and took a
    quarter of the batch's CPU time (2.8 -> 2.1 s). A pause is process-wide: seconds, once a day.

    On the way out, everything the batch allocated is still in the youngest generation, so the first
    allocation after ``gc.enable()`` would scan it all (0.13-0.15 s of that bench's 1.5 s batch, for
    nothing). ``gc.freeze()`` then ``gc.unfreeze()`` instead moves every tracked object of the process
    to the oldest generation and resets the counts (list splices): the objects stay collectable, but
    a reference cycle among them that is garbage waits for the next full collection, which they do
    not bring forward. The batch makes none (``gc.collect()`` after it finds nothing in that bench)
    and the step's process ends soon after. Skipped when the process froze objects of its own
    (``gc.unfreeze`` would release them too)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _one_by_one(
    searches: Sequence[Search],
    stale_after_days: int,
    liveness: Callable[[RegistryEntry], str] | None,
    today: date,
    now: datetime,
) -> Batch:
    """Each search as a batch of its own (after the shared frame failed): only the culprits fail."""
    batch = Batch()
    for search in searches:
        alone = run_searches(
            [search], stale_after_days=stale_after_days, liveness=liveness, today=today, now=now
        )
        batch.done.update(alone.done)
        batch.failed.update(alone.failed)
    return batch


@dataclass
class _Found:
    """What the batch's one frame says: per distinct posting (by object: searches that share an engine
    answer share its Posting objects) its fingerprint and canonical URL, and per search its ranked hits,
    the postings kept after de-duplication and {dropped id: kept id}."""

    fingerprint: dict[int, str]
    url: dict[int, str | None]
    hits: dict[str, list[SearchHit]]
    kept: dict[str, tuple[list[Posting], dict[str, str]]]
    _salaried: dict[int, Posting] = field(default_factory=dict)
    _countries: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, searches: Sequence[Search]) -> _Found:
        ranked: dict[tuple[object, ...], list[SearchHit]] = {}
        hits = {s.key: list(_ranked_once(s, ranked)) for s in searches}
        index: dict[int, int] = {}
        distinct: list[Posting] = []
        for s in searches:
            for p in s.outcome.postings:
                if id(p) not in index:
                    index[id(p)] = len(distinct)
                    distinct.append(p)
        raw = postings_frame(distinct)
        raw = raw.with_columns(fingerprints(raw), canonical_urls(raw["url"]))
        fps, urls = raw["fingerprint"].to_list(), raw["canonical_url"].to_list()
        return cls(
            fingerprint={id(p): fp for p, fp in zip(distinct, fps, strict=True)},
            url={id(p): url for p, url in zip(distinct, urls, strict=True)},
            hits=hits,
            kept=_deduped(raw, index, hits),
        )

    def records(
        self,
        search: Search,
        stale_after_days: int,
        liveness: Callable[[RegistryEntry], str] | None,
        today: date,
        now: datetime,
    ) -> SearchRecords:
        """One search's records: its postings still open, every sighting, its registry."""
        found = search.outcome.postings
        fp = self.fingerprint
        registry = update_registry(
            {r.fingerprint: RegistryEntry(**r.model_dump()) for r in search.previous if r.fingerprint},
            [(fp[id(p)], p.source, p.source_id, p.url) for p in found],
            today,
            stale_after_days=stale_after_days,
            liveness=liveness,
        )
        sightings: dict[str, list[Posting]] = defaultdict(list)
        for p in found:
            sightings[fp[id(p)]].append(p)
        kept, merged = self.kept[search.key]
        relevance = {h.posting.id: h.relevance for h in self.hits[search.key]}
        postings = [
            self._record(search, p, registry[f], sightings[f], relevance[p.id], now, f)
            for p in kept
            if registry[f := fp[id(p)]].status == OPEN
        ]
        return SearchRecords(
            postings=postings,
            sources=self._source_rows(search.key, found, {p.id for p in kept}, merged, now),
            registry=[PostingRegistryRow(**vars(e)) for e in registry.values()],
            outcome=search.outcome,
        )

    def _record(
        self,
        search: Search,
        posting: Posting,
        entry: RegistryEntry,
        sightings: list[Posting],
        relevance: float,
        now: datetime,
        fingerprint: str,
    ) -> JobPostingRow:
        if id(posting) not in self._salaried:
            self._salaried[id(posting)] = with_parsed_salary(posting)
        if posting.location not in self._countries:
            self._countries[posting.location] = parse_place(posting.location).country
        return posting_record(
            search.key,
            self._salaried[id(posting)],
            entry,
            search.outcome.step,
            sightings,
            relevance,
            now,
            fingerprint=fingerprint,
            country=self._countries[posting.location],
        )

    def _source_rows(
        self, key: str, found: list[Posting], kept_ids: set[str], merged: dict[str, str], now: datetime
    ) -> list[PostingSourceRow]:
        """One row per posting an engine returned, duplicates included: which posting it was merged into,
        so every source of a kept posting stays known."""
        return [
            PostingSourceRow(
                search_key=key,
                fingerprint=self.fingerprint[id(p)],
                posting_id=merged.get(p.id, p.id),
                source=p.source,
                source_id=p.source_id,
                url=self.url[id(p)],
                apply_url=p.apply_url,
                merged_as="kept" if p.id in kept_ids else "duplicate",
                seen_at=now,
            )
            for p in found
        ]


def _ranked_once(search: Search, ranked: dict[tuple[object, ...], list[SearchHit]]) -> list[SearchHit]:
    """``_ranked`` once per distinct (title, answer): searches that share an engine answer (equal
    queries, ``SharedSearches``) and ask for the same title get the same hits."""
    title = search.title
    key = (title.title, tuple(title.aliases), title.title_zh, id(search.outcome.postings))
    if key not in ranked:
        ranked[key] = _ranked(search)
    return ranked[key]


def _ranked(search: Search) -> list[SearchHit]:
    """The search's best ``MAX_POSTINGS_PER_SEARCH`` postings by relevance to its title, plus any
    posting the user gave (``USER_GIVEN`` sources) that the cut left out."""
    postings = search.outcome.postings
    hits = search_postings(search.title, postings, limit=MAX_POSTINGS_PER_SEARCH, min_relevance=0.0)
    listed = {id(h.posting) for h in hits}
    own = [p for p in postings if p.source in USER_GIVEN and id(p) not in listed]
    return hits + search_postings(search.title, own, limit=len(own), min_relevance=0.0) if own else hits


def _deduped(
    raw: pl.DataFrame, index: dict[int, int], hits: dict[str, list[SearchHit]]
) -> dict[str, tuple[list[Posting], dict[str, str]]]:
    """Per search, its hits de-duplicated as one group of the batch's frame: the postings kept (hit
    order) and {dropped id: kept id}. A hit the normalisation drops (no title once tidied...) is neither.

    Searches whose hits are the same postings in the same order (users sharing an answer) are one
    group: groups never meet, so a group's result is the same computed once or twice."""
    clean, _ = normalise_frame(raw.with_row_index("_d"), known_keys=True)
    group_of: dict[tuple[int, ...], int] = {}
    lists: list[list[Posting]] = []
    search_group: dict[str, int] = {}
    for search_key, h in hits.items():
        rows_of = tuple(index[id(hit.posting)] for hit in h)
        if rows_of not in group_of:
            group_of[rows_of] = len(lists)
            lists.append([hit.posting for hit in h])
        search_group[search_key] = group_of[rows_of]
    order = pl.DataFrame(
        {
            "_g": [g for g, ps in enumerate(lists) for _ in ps],
            "_d": [d for rows_of in group_of for d in rows_of],
        },
        schema={"_g": pl.UInt32, "_d": pl.UInt32},
    )
    rows = order.join(clean, on="_d", how="inner", maintain_order="left")
    keep, merged = dedupe_rows(rows, by="_g")
    groups, ids, kept = rows["_g"].to_list(), rows["id"].to_list(), keep.to_list()
    kept_ids: dict[int, set[str]] = defaultdict(set)
    for g, posting_id, k in zip(groups, ids, kept, strict=True):
        if k:
            kept_ids[g].add(posting_id)
    mapping: dict[int, dict[str, str]] = defaultdict(dict)
    for i, kept_i, _ in merged.iter_rows():
        mapping[groups[i]][ids[i]] = ids[kept_i]
    memo = Memo()
    done = [
        with_near_duplicates(postings, kept_ids[g], mapping[g], memo=memo) for g, postings in enumerate(lists)
    ]
    return {  # each search its own list and mapping
        search_key: (list(done[g][0]), dict(done[g][1])) for search_key, g in search_group.items()
    }


def _check_answered(outcome: SearchOutcome, settings: SearchSettings) -> None:
    """Raise ``EveryEngineFailed`` when every engine asked failed and none found a posting."""
    if outcome.errors and not outcome.postings and len(outcome.errors) == settings.engines:
        raise EveryEngineFailed(
            "every engine failed: " + "; ".join(f"{e}: {r}" for e, r in outcome.errors.items())
        )


def posting_record(
    key: str,
    posting: Posting,
    entry: RegistryEntry,
    step: str | None,
    sightings: list[Posting],
    relevance: float,
    now: datetime,
    *,
    fingerprint: str,
    country: str | None,
) -> JobPostingRow:
    """The warehouse record of a posting found by a search (its salary parsed already, see
    ``with_parsed_salary``; the ATS link preferred)."""
    user_id, slug = _split_key(key)
    p = posting
    ats = next((s.apply_url for s in sightings if s.source in ATS and s.apply_url), None)
    return JobPostingRow(
        search_key=key,
        user_id=user_id,
        title_slug=slug,
        posting_id=p.id,
        title=p.title,
        company=p.company,
        location=p.location,
        country=country,
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
        fingerprint=fingerprint,
        relevance=relevance,
        found_at=now,
    )


@lru_cache(maxsize=4096)
def _split_key(key: str) -> tuple[str, str]:
    """``split_search_key``, once per search rather than once per posting it found."""
    return split_search_key(key)


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


def call_records(
    calls: Iterable[CallRecord], *, asset: str, run_id: str, search_key: str | None = None
) -> list[ApiCallRow]:
    """The call ledger's records of an engine's calls (never with credentials: engines redact), charged
    to ``search_key``'s user when given (budgets and ``cost_per_package`` read them by user)."""
    user = search_key.split(SEARCH_KEY_SEPARATOR, 1)[0] if search_key else None
    return [
        ApiCallRow(**asdict(c), asset=asset, run_id=run_id, search_key=search_key, user_id=user)
        for c in calls
    ]
