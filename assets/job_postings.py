from collections import defaultdict
from dataclasses import asdict
from datetime import UTC, date, datetime

import dagster as dg
import polars as pl

from assets.common import check, definition_metadata, preview, spec
from assets.partitions import searches_partitions
from assets.search_context import SearchContext, for_each_key
from assets.suggested_titles import suggested_titles
from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings import fingerprint, search_postings
from jobland_pipeline.postings.discovery import SearchOutcome, SharedSearches, build_query
from jobland_pipeline.postings.engines.registry import ENGINE_NAMES
from jobland_pipeline.postings.frame import dedupe_postings
from jobland_pipeline.postings.geo import parse_place
from jobland_pipeline.postings.liveness import make_liveness
from jobland_pipeline.postings.normalize import canonical_url
from jobland_pipeline.postings.registry import OPEN, RegistryEntry, update_registry
from jobland_pipeline.postings.salary import parse_salary
from resources import InboxResource, SearchEnginesResource, WarehouseResource

MAX_POSTINGS_PER_SEARCH = 40


def _health(
    engine: str, outcomes: list[SearchOutcome], enabled: set[str], skipped: dict[str, str]
) -> dg.AssetCheckResult:
    """An engine that suddenly returns nothing, or postings without descriptions, is flagged."""
    name = f"source_health_{engine}"
    if engine not in enabled:
        return check(
            name, True, f"not enabled{': ' + skipped[engine] if engine in skipped else ''}", warn=True
        )
    returned = sum(o.per_engine.get(engine, 0) for o in outcomes)
    missing = sum(o.missing_description.get(engine, 0) for o in outcomes)
    failed = sum(1 for o in outcomes if engine in o.errors)
    asked = sum(1 for o in outcomes if engine in o.per_engine or engine in o.errors)
    if asked and failed == asked:
        return check(name, False, f"every query failed ({failed}); see api_calls", warn=True)
    if asked and returned == 0:
        return check(
            name, False, f"0 results for {asked} searches: broken source, not 'no jobs today'", warn=True
        )
    if returned and missing / returned > 0.5:
        return check(name, False, f"{missing} of {returned} postings have no description", warn=True)
    return check(
        name, True, f"{returned} postings for {asked} searches, {missing} without description", warn=True
    )


@dg.asset(
    partitions_def=searches_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="search",
    kinds={"python", "parquet"},
    deps=[dg.AssetDep(suggested_titles, partition_mapping=dg.AllPartitionMapping())],
    metadata=definition_metadata("job_postings"),
    check_specs=[
        spec("job_postings", "unique_postings", "No posting appears twice in a search."),
        spec("job_postings", "clean_text", "Descriptions are plain text: no HTML tags or scripts."),
        spec(
            "job_postings", "every_search_ran", "Every search in the run produced a result (possibly empty)."
        ),
        *(
            spec("job_postings", f"source_health_{e}", f"The {e} engine returns postings with descriptions.")
            for e in ENGINE_NAMES
        ),
    ],
)
def job_postings(
    context: dg.AssetExecutionContext,
    search: SearchEnginesResource,
    inbox: InboxResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Fresh postings for each (user, title) search from the configured engines, normalised and de-duplicated.

    Equal queries are fetched once and shared by every user (and cached across runs), a search that
    finds nothing is broadened step by step, duplicates across engines keep all their sources, and
    postings that closed or went stale never go further.
    """
    keys = list(context.partition_keys)
    store = warehouse.store
    ctx = SearchContext.load(keys, store, inbox)
    engines, skipped = search.engines()
    shared = SharedSearches(engines)
    liveness = make_liveness(engines)
    today, now = date.today(), datetime.now(UTC)
    outcomes: list[SearchOutcome] = []
    calls: list[dict[str, object]] = []

    def run(key: str) -> pl.DataFrame:
        user_id, slug = split_search_key(key)
        title = ctx.title(key)
        query = build_query(
            title,
            ctx.profile(user_id),
            ctx.settings(user_id).preferences,
            fresh_days=search.fresh_days or None,
        )
        outcome = shared.search(title, query)
        outcomes.append(outcome)
        calls.extend(
            {**asdict(c), "asset": "job_postings", "run_id": context.run.run_id} for c in outcome.calls
        )
        if outcome.errors and not outcome.postings and len(outcome.errors) == len(engines):
            raise RuntimeError(
                "every engine failed: " + "; ".join(f"{e}: {r}" for e, r in outcome.errors.items())
            )
        hits = search_postings(title, outcome.postings, limit=MAX_POSTINGS_PER_SEARCH, min_relevance=0.0)
        kept, merged = dedupe_postings([h.posting for h in hits])
        relevance = {h.posting.id: h.relevance for h in hits}
        by_fp = defaultdict(list)
        for p in outcome.postings:
            by_fp[fingerprint(p)].append(p)
        previous = {
            r["fingerprint"]: RegistryEntry(**{k: r[k] for k in RegistryEntry.__dataclass_fields__})
            for r in store.read("posting_registry", [key]).iter_rows(named=True)
        }
        registry = update_registry(
            previous,
            [(fingerprint(p), p.source, p.source_id, p.url) for p in outcome.postings],
            today,
            stale_after_days=search.stale_after_days,
            liveness=liveness,
        )
        store.write_partition("posting_registry", key, [vars(e) for e in registry.values()])
        kept_ids = {p.id for p in kept}
        store.write_partition(
            "posting_sources",
            key,
            [
                {
                    "search_key": key,
                    "fingerprint": fingerprint(p),
                    "posting_id": merged.get(p.id, p.id),
                    "source": p.source,
                    "source_id": p.source_id,
                    "url": canonical_url(p.url),
                    "apply_url": p.apply_url,
                    "merged_as": "kept" if p.id in kept_ids else "duplicate",
                    "seen_at": now,
                }
                for p in outcome.postings
            ],
        )
        rows = []
        for p in kept:
            fp = fingerprint(p)
            entry = registry[fp]
            if entry.status != OPEN:
                continue
            sightings = by_fp[fp]
            if p.salary_min is None and p.salary_max is None and (parsed := parse_salary(p.salary)):
                p = p.model_copy(
                    update={
                        "salary_min": parsed.min,
                        "salary_max": parsed.max,
                        "salary_currency": parsed.currency,
                        "salary_period": parsed.period,
                    }
                )
            ats = next(
                (
                    s.apply_url
                    for s in sightings
                    if s.source in {"greenhouse", "lever", "ashby"} and s.apply_url
                ),
                None,
            )
            rows.append(
                {
                    "search_key": key,
                    "user_id": user_id,
                    "title_slug": slug,
                    "posting_id": p.id,
                    "title": p.title,
                    "company": p.company,
                    "location": p.location,
                    "country": parse_place(p.location).country,
                    "remote": p.remote_flag,
                    "employment_type": p.employment_type,
                    "posted_at": p.posted_at,
                    "salary": p.salary,
                    "url": p.url,
                    "description": p.description,
                    "source": p.source,
                    "source_id": p.source_id,
                    "apply_url": ats or p.apply_url or p.url,
                    "salary_min": p.salary_min,
                    "salary_max": p.salary_max,
                    "salary_currency": p.salary_currency,
                    "salary_period": p.salary_period,
                    "status": entry.status,
                    "first_seen": entry.first_seen,
                    "last_seen": entry.last_seen,
                    "broadening_step": outcome.step,
                    "sources": sorted({s.source for s in sightings}),
                    "fingerprint": fp,
                    "relevance": relevance[p.id],
                    "found_at": now,
                }
            )
        store.write_partition("job_postings", key, rows)
        return store.conform("job_postings", rows)

    done, failed = for_each_key(context, keys, run)
    if calls:
        store.append("api_calls", calls, group=today.isoformat())
    ledger = store.conform("api_calls", calls)
    df = pl.concat(list(done.values())) if done else store.conform("job_postings", [])
    dupes = df.height - df.unique(["search_key", "posting_id"]).height
    html = df.filter(pl.col("description").str.contains(r"(?i)<\s*(script|div|p|br|a)\b")).height
    dropped: dict[str, int] = defaultdict(int)
    for o in outcomes:
        for reason, n in o.dropped.items():
            dropped[reason] += n
    enabled = {e.name for e in engines}
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "searches": len(keys),
            "searches_failed": dg.MetadataValue.json(failed),
            "engines": ", ".join(sorted(enabled)),
            "engines_skipped": dg.MetadataValue.json(dict(skipped)),
            "paid_calls": int(ledger.filter(~pl.col("cache_hit") & (pl.col("credits") > 0)).height),
            "calls": ledger.height,
            "cache_hits": int(ledger["cache_hit"].sum() or 0),
            "shared_answers": shared.shared_hits,
            "credits": float(ledger["credits"].sum() or 0.0),
            "cost_usd": float(ledger["cost_usd"].sum() or 0.0),
            "dropped": dg.MetadataValue.json(dict(dropped)),
            "broadening_steps": dg.MetadataValue.json(
                df["broadening_step"].value_counts().to_dicts() if df.height else []
            ),
            "postings_per_search": dg.MetadataValue.json({k: v.height for k, v in done.items()}),
            "preview": preview(
                df, ["search_key", "title", "company", "location", "remote", "sources", "relevance"]
            ),
        },
        check_results=[
            check("unique_postings", dupes == 0, f"{dupes} duplicate rows"),
            check("clean_text", html == 0, f"{html} descriptions with HTML"),
            check(
                "every_search_ran",
                not failed,
                f"{len(failed)} of {len(keys)} searches failed",
                warn=True,
                failed=dg.MetadataValue.json(failed),
            ),
            *(_health(e, outcomes, enabled, dict(skipped)) for e in ENGINE_NAMES),
        ],
    )
