"""The search stage: a batch of (user, title) searches -> the records of the postings found, their
sightings and the registry of every posting seen, ready to write.

The engines are asked search by search (``gather_search``; equal queries are answered once per run by
``SharedSearches``). Everything they answered for the whole batch is then normalised and de-duplicated
in one frame (``run_searches``: fingerprints, canonical URLs, cleaned text and parsed salaries computed
once per posting however many searches found it, each search de-duplicated within its own group) and
split back per search into the frames the asset writes (each table's schema), the same a search on
its own gives. The rows are never pydantic records on the way: what each search alone knows (its
registry, relevance, what became of each sighting) is gathered as tuples, and every posting's own
fields join them from the batch frame. Duplicates across engines keep all their sources, and postings
that closed or went stale never go further.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from functools import cached_property, lru_cache
from operator import attrgetter

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
from jobland_pipeline.postings.records import (
    JOB_POSTINGS,
    POSTING_REGISTRY,
    POSTING_SOURCES,
    ApiCallRow,
    JobPostingRow,
    PostingRegistryRow,
    PostingSourceRow,
)
from jobland_pipeline.postings.registry import OPEN, RegistryEntry, update_registry
from jobland_pipeline.postings.salary import Salary, parse_salary
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
    """One search's rows as the frames written (``JOB_POSTINGS``, ``POSTING_SOURCES`` and
    ``POSTING_REGISTRY``, each with its table's schema), and what the engines said."""

    postings_frame: pl.DataFrame
    sources_frame: pl.DataFrame
    registry_frame: pl.DataFrame
    outcome: SearchOutcome

    @property
    def postings(self) -> list[JobPostingRow]:
        """The postings as records (for reading; the asset writes the frame)."""
        return JOB_POSTINGS.records(self.postings_frame)

    @property
    def sources(self) -> list[PostingSourceRow]:
        return POSTING_SOURCES.records(self.sources_frame)

    @property
    def registry(self) -> list[PostingRegistryRow]:
        return POSTING_REGISTRY.records(self.registry_frame)


@dataclass(frozen=True)
class SearchSettings:
    fresh_days: int | None
    stale_after_days: int
    engines: int  # how many engines were asked (all failing = the search failed)


# Empty frames of each table, shared (frames are never changed in place): a search's first registry, and
# what a search that kept, saw or registered nothing writes.
_NO_POSTINGS = pl.DataFrame(schema=JOB_POSTINGS.schema)
_NO_SOURCES = pl.DataFrame(schema=POSTING_SOURCES.schema)
_NO_REGISTRY = pl.DataFrame(schema=POSTING_REGISTRY.schema)


@dataclass(frozen=True)
class Search:
    """One search of a batch: its partition key, title, what the engines answered, and its registry
    as it stood before today (the ``POSTING_REGISTRY`` frame read: its rows never become records)."""

    key: str
    title: TitleSuggestion
    outcome: SearchOutcome
    previous: pl.DataFrame = field(default_factory=lambda: _NO_REGISTRY)


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
    keep_days: int | None = None,
) -> Batch:
    """Rank, de-duplicate and register the answers of every search of a batch at once.

    Per search: the best ``MAX_POSTINGS_PER_SEARCH`` postings by relevance to the title, de-duplicated
    (exact, fuzzy and near duplicates), the registry updated with every posting the engines returned,
    and only open postings kept. One search failing never loses the others: a batch whose shared frame
    fails is retried one search at a time, and each search's records are built on their own.

    Python's cyclic garbage collector is paused meanwhile (``_gc_paused``).
    """
    with _gc_paused():
        batch = Batch()
        try:
            found = _Found.of(searches)
            rows = []
            for search in searches:
                try:
                    rows.append(found.rows(search, stale_after_days, liveness, today, keep_days))
                except Exception as exc:  # isolation boundary: this search fails, the others go on
                    batch.failed[search.key] = f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            if len(searches) == 1:
                return Batch(failed={searches[0].key: f"{type(exc).__name__}: {exc}"})
            return _one_by_one(searches, stale_after_days, liveness, today, now, keep_days)
        frames = _frames(found, rows, now, batch)
        outcomes = {s.key: s.outcome for s in searches}
        for r in rows:
            if r.key in frames:
                postings, sources, registry = frames[r.key]
                batch.done[r.key] = SearchRecords(postings, sources, registry, outcomes[r.key])
        return batch


def _frames(
    found: _Found, rows: list[_Rows], now: datetime, batch: Batch
) -> dict[str, tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]]:
    """The batch's frames; when making them at once fails, search by search from the rows made
    already (their registries were checked once: nothing is asked of the engines again), only the
    searches whose frames fail failing."""
    try:
        return found.frames(rows, now)
    except Exception:
        made: dict[str, tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]] = {}
        for r in rows:
            try:
                made.update(found.frames([r], now))
            except Exception as exc:  # isolation boundary: this search fails, the others go on
                batch.failed[r.key] = f"{type(exc).__name__}: {exc}"
        return made


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
    keep_days: int | None,
) -> Batch:
    """Each search as a batch of its own (after the shared frame failed): only the culprits fail."""
    batch = Batch()
    for search in searches:
        alone = run_searches(
            [search],
            stale_after_days=stale_after_days,
            liveness=liveness,
            today=today,
            now=now,
            keep_days=keep_days,
        )
        batch.done.update(alone.done)
        batch.failed.update(alone.failed)
    return batch


@dataclass
class _Found:
    """What the batch's one frame says: per distinct posting (by object: searches that share an engine
    answer share its Posting objects) its row in ``postings`` (fields, fingerprint, canonical URL),
    and per search its ranked hits, the postings kept after de-duplication and {dropped id: kept id}."""

    row: dict[int, int]
    distinct: list[Posting]
    postings: pl.DataFrame
    hits: dict[str, list[SearchHit]]
    kept: dict[str, tuple[list[Posting], dict[str, str]]]

    @cached_property
    def fingerprints(self) -> list[str]:
        """``postings["fingerprint"]`` as a list, read by batch row for every sighting."""
        return self.postings["fingerprint"].to_list()

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
        raw = postings_frame(distinct).with_row_index("_d")  # _d: the posting's batch row
        raw = raw.with_columns(fingerprints(raw), canonical_urls(raw["url"]))
        return cls(
            row=index,
            distinct=distinct,
            postings=raw,
            hits=hits,
            kept=_deduped(raw, index, hits),
        )

    def rows(
        self,
        search: Search,
        stale_after_days: int,
        liveness: Callable[[RegistryEntry], str] | None,
        today: date,
        keep_days: int | None = None,
    ) -> _Rows:
        """One search's rows: its postings still open, every sighting, its registry (each posting's
        fields are taken from ``postings`` when the batch's frames are made)."""
        found = search.outcome.postings
        row, fingerprint = self.row, self.fingerprints
        fp = {id(p): fingerprint[row[id(p)]] for p in found}
        registry = update_registry(
            _entries(search.previous),
            [(fp[id(p)], p.source, p.source_id, p.url) for p in found],
            today,
            stale_after_days=stale_after_days,
            liveness=liveness,
            keep_days=keep_days,
        )
        kept, merged = self.kept[search.key]
        relevance = {h.posting.id: h.relevance for h in self.hits[search.key]}
        kept_ids = {p.id for p in kept}
        return _Rows(
            search.key,
            search.outcome.step,
            kept=[
                (row[id(p)], entry, relevance[p.id])
                for p in kept
                if (entry := registry[fp[id(p)]]).status == OPEN
            ],
            seen=[
                (row[id(p)], merged.get(p.id, p.id), "kept" if p.id in kept_ids else "duplicate")
                for p in found
            ],
            entries=list(registry.values()),
        )

    def frames(
        self, rows: Sequence[_Rows], now: datetime
    ) -> dict[str, tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]]:
        """Each search's (postings, sources, registry) frames: the batch's rows made three frames at
        once, the postings' own fields joined from ``postings``, then split by search."""
        at = pl.Series([now], dtype=JOB_POSTINGS.schema["found_at"])
        raw = self.postings.select(
            "_d",
            "fingerprint",
            "source",
            "source_id",
            pl.col("canonical_url").alias("url"),
            "apply_url",
        )
        sources = (
            _sightings(rows)
            .join(raw, on="_d", how="left", maintain_order="left")
            .with_columns(seen_at=pl.lit(at[0], dtype=at.dtype))
            .select(POSTING_SOURCES.schema.names())
        )
        # per posting of a search: every engine that returned it, and the first ATS link among them
        ats = pl.col("source").is_in(sorted(ATS)) & (pl.col("apply_url").fill_null("") != "")
        seen = sources.group_by("search_key", "fingerprint", maintain_order=True).agg(
            sources=pl.col("source").unique().sort(), _ats=pl.col("apply_url").filter(ats).first()
        )
        postings = (
            _kept(rows)
            .join(self._posting_fields(rows), on="_d", how="left", maintain_order="left")
            .join(seen, on=["search_key", "fingerprint"], how="left", maintain_order="left")
            .with_columns(
                apply_url=pl.coalesce("_ats", pl.when(pl.col("apply_url") != "").then("apply_url"), "url"),
                found_at=pl.lit(at[0], dtype=at.dtype),
            )
            .select(JOB_POSTINGS.schema.names())
        )
        by_postings, by_sources, by_registry = (
            _by_search(postings, "search_key", JOB_POSTINGS.schema),
            _by_search(sources, "search_key", POSTING_SOURCES.schema),
            _by_search(_registry(rows), "_search", POSTING_REGISTRY.schema),
        )
        return {
            r.key: (
                by_postings.get(r.key, _NO_POSTINGS),
                by_sources.get(r.key, _NO_SOURCES),
                by_registry.get(r.key, _NO_REGISTRY),
            )
            for r in rows
        }

    def _posting_fields(self, rows: Sequence[_Rows]) -> pl.DataFrame:
        """The fields of the postings kept open (by row): as the engine gave them, the salary range
        parsed from the text when the engine gave none, the country of the location."""
        used = sorted({d for r in rows for d, _, _ in r.kept})
        salaried = [with_parsed_salary(self.distinct[d]) for d in used]
        countries: dict[str, str | None] = {}
        for p in salaried:
            if p.location not in countries:
                countries[p.location] = parse_place(p.location).country
        extra = pl.DataFrame(
            {
                "_d": used,
                "country": [countries[p.location] for p in salaried],
                "posted_at": [p.posted_at for p in salaried],
                "salary_min": [p.salary_min for p in salaried],
                "salary_max": [p.salary_max for p in salaried],
                "salary_currency": [p.salary_currency for p in salaried],
                "salary_period": [p.salary_period for p in salaried],
            },
            schema={"_d": pl.UInt32(), "country": pl.String(), "posted_at": pl.Date()}
            | {
                c: JOB_POSTINGS.schema[c]
                for c in ("salary_min", "salary_max", "salary_currency", "salary_period")
            },
        )
        own = self.postings.select(
            "_d",
            pl.col("id").alias("posting_id"),
            *("title", "company", "location", "remote", "employment_type", "salary", "url"),
            *("description", "source", "source_id", "apply_url", "fingerprint"),
        )
        return extra.join(own, on="_d", how="left", maintain_order="left")


def _entries(previous: pl.DataFrame) -> dict[str, RegistryEntry]:
    """A registry frame as entries by fingerprint (rows without one skipped)."""
    if previous.is_empty():  # a search's first day
        return {}
    names = [f.name for f in fields(RegistryEntry)]
    return {row[0]: RegistryEntry(*row) for row in previous.select(names).iter_rows() if row[0]}


def _kept(rows: Sequence[_Rows]) -> pl.DataFrame:
    """The postings every search keeps open, by batch row, with what the search says of them."""
    kept = [(r, d, entry, relevance) for r in rows for d, entry, relevance in r.kept]
    return pl.DataFrame(
        {
            "search_key": [r.key for r, _, _, _ in kept],
            "user_id": [r.user_id for r, _, _, _ in kept],
            "title_slug": [r.slug for r, _, _, _ in kept],
            "broadening_step": [r.step for r, _, _, _ in kept],
            "_d": [d for _, d, _, _ in kept],
            "status": [e.status for _, _, e, _ in kept],
            "first_seen": [e.first_seen for _, _, e, _ in kept],
            "last_seen": [e.last_seen for _, _, e, _ in kept],
            "relevance": [relevance for _, _, _, relevance in kept],
        },
        schema={
            "search_key": pl.String(),
            "user_id": pl.String(),
            "title_slug": pl.String(),
            "broadening_step": pl.String(),
            "_d": pl.UInt32(),
            "status": pl.String(),
            "first_seen": pl.Date(),
            "last_seen": pl.Date(),
            "relevance": pl.Float64(),
        },
    )


def _sightings(rows: Sequence[_Rows]) -> pl.DataFrame:
    """Every posting each search's engines returned, by batch row, and what became of it."""
    seen = [(r.key, d, posting_id, merged_as) for r in rows for d, posting_id, merged_as in r.seen]
    return pl.DataFrame(
        seen,
        schema={
            "search_key": pl.String(),
            "_d": pl.UInt32(),
            "posting_id": pl.String(),
            "merged_as": pl.String(),
        },
        orient="row",
    )


def _registry(rows: Sequence[_Rows]) -> pl.DataFrame:
    """Each search's registry, the search's key in ``_search``."""
    names = POSTING_REGISTRY.schema.names()
    values = attrgetter(*names)  # one tuple per entry, made in C; zip(*...) turns them into columns
    columns = list(zip(*(values(e) for r in rows for e in r.entries), strict=True)) or [()] * len(names)
    return pl.DataFrame(
        {"_search": [r.key for r in rows for _ in r.entries], **dict(zip(names, columns, strict=True))},
        schema={"_search": pl.String(), **POSTING_REGISTRY.schema},
    )


def _by_search(frame: pl.DataFrame, column: str, schema: pl.Schema) -> dict[str, pl.DataFrame]:
    """{search key: its rows, with the table's columns}."""
    parts = frame.partition_by(column, as_dict=True, maintain_order=True, include_key=column in schema)
    return {str(key[0]): part for key, part in parts.items()}


@dataclass
class _Rows:
    """One search's rows, before they are frames: what only the search knows (its registry, the
    relevance of what it kept, what became of each sighting); the postings' own fields join them
    from the batch frame by batch row."""

    key: str
    step: str | None
    kept: list[tuple[int, RegistryEntry, float]]  # (batch row, registry entry, relevance), kept open
    seen: list[tuple[int, str, str]]  # (batch row, posting id it counts as, kept or duplicate)
    entries: list[RegistryEntry]

    @property
    def user_id(self) -> str:
        return _split_key(self.key)[0]

    @property
    def slug(self) -> str:
        return _split_key(self.key)[1]


def _ranked_once(search: Search, ranked: dict[tuple[object, ...], list[SearchHit]]) -> list[SearchHit]:
    """``_ranked`` once per distinct (title, answer): searches that share an engine answer (equal
    queries, ``SharedSearches``: the same Posting objects in the same order, each search its own
    list) and ask for the same title get the same hits."""
    title = search.title
    answer = tuple(map(id, search.outcome.postings))
    key = (title.title, tuple(title.aliases), title.title_zh, answer)
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
    """Per search, its hits de-duplicated as one group of the batch's frame (``_d``: the batch row): the
    postings kept (hit order) and {dropped id: kept id}. A hit the normalisation drops (no title once
    tidied...) is neither.

    Searches whose hits are the same postings in the same order (users sharing an answer) are one
    group: groups never meet, so a group's result is the same computed once or twice."""
    # Posting texts are clean, but cleaning is not idempotent ("R&amp;amp;D" -> "R&amp;D" -> "R&D"):
    # they are cleaned again here, as a search alone (``dedupe_postings``) compares them
    clean, _ = normalise_frame(raw, known_keys=True)
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


@lru_cache(maxsize=4096)
def _split_key(key: str) -> tuple[str, str]:
    """``split_search_key``, once per search rather than once per posting it found."""
    return split_search_key(key)


def with_parsed_salary(posting: Posting) -> Posting:
    """The posting with its salary range parsed from the text when the engine gave none."""
    if posting.salary_min is not None or posting.salary_max is not None:
        return posting
    parsed = _parsed_salary(posting.salary)
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


@lru_cache(maxsize=4096)
def _parsed_salary(text: str | None) -> Salary | None:
    """``parse_salary``, once per text in a batch (engines repeat a few salary phrasings)."""
    return parse_salary(text)


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
