"""job_postings: fresh postings per (user, title) search, normalised, de-duplicated, still open."""

from collections import Counter
from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.common import check, definition_metadata, partition_metadata, preview, spec
from assets.partitions import searches_partitions
from assets.search_context import SearchContext, for_each_key
from assets.suggested_titles import suggested_titles
from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings.discovery import SearchOutcome, SharedSearches
from jobland_pipeline.postings.engines.posting_urls import PostingUrlEngine, first_searches
from jobland_pipeline.postings.engines.registry import ENGINE_NAMES
from jobland_pipeline.postings.liveness import make_liveness
from jobland_pipeline.postings.records import (
    API_CALLS,
    JOB_POSTINGS,
    POSTING_REGISTRY,
    POSTING_SOURCES,
    ApiCallRow,
)
from jobland_pipeline.postings.stage import (
    Search,
    SearchRecords,
    SearchSettings,
    call_records,
    gather_search,
    run_searches,
)
from resources import InboxResource, SearchEnginesResource, WarehouseResource
from resources.event_log import cached_partition_keys


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
    finds nothing is broadened step by step; then every answer of the run goes through one frame
    (normalised, de-duplicated per search, duplicates across engines keeping all their sources) and is
    split back per search. Postings that closed or went stale never go further. Each partition's
    materialisation carries its own figures; the run's totals are on all of them.
    """
    keys = list(context.partition_keys)
    store = warehouse.store
    ctx = SearchContext.load(keys, store, inbox)
    engines, skipped = search.engines()
    shared = SharedSearches(engines)
    own_urls = PostingUrlEngine.allowing(search.posting_url_allow)  # settings' posting_urls
    carries_urls = set(first_searches(ctx.titles).values())  # each user's first search has them
    if search.registry_keep_days < 0:
        raise dg.Failure(
            f"JOBLAND_REGISTRY_KEEP_DAYS must be 0 (kept for ever) or more, not {search.registry_keep_days}"
        )
    settings = SearchSettings(search.fresh_days or None, search.stale_after_days, len(engines))
    now = datetime.now(UTC)
    today = now.date()  # the UTC day: the ledgers are grouped by it

    def gather(key: str) -> Search:
        user_id, _ = split_search_key(key)
        title = ctx.title(key)
        prefs = ctx.settings(user_id).preferences
        outcome = gather_search(title, ctx.profile(user_id), prefs, shared, settings=settings)
        if key in carries_urls:
            for reason in own_urls.add_to(outcome, ctx.settings(user_id).posting_urls):
                context.log.warning(f"{key}: posting URL refused: {reason}")
        return Search(key, title, outcome, store.read(POSTING_REGISTRY.name, [key]))

    gathered, failed = for_each_key(context, keys, gather)
    batch = run_searches(
        list(gathered.values()),
        stale_after_days=settings.stale_after_days,
        keep_days=search.registry_keep_days or None,
        liveness=make_liveness(engines),
        today=today,
        now=now,
    )
    for key, reason in batch.failed.items():
        context.log.warning(f"{key}: {reason}")

    def write(key: str) -> pl.DataFrame:
        found = batch.done[key]
        store.write_partition(POSTING_REGISTRY.name, key, found.registry_frame)
        store.write_partition(POSTING_SOURCES.name, key, found.sources_frame)
        store.write_partition(JOB_POSTINGS.name, key, found.postings_frame)
        df = found.postings_frame
        context.add_asset_metadata(_partition_metadata(df, found), partition_key=key)
        return df

    done, unwritten = for_each_key(context, list(batch.done), write)
    failed = {**failed, **batch.failed, **unwritten}
    with cached_partition_keys(context.instance):
        for key, reason in failed.items():
            context.add_asset_metadata({"dagster/row_count": 0, "error": reason}, partition_key=key)
    outcomes = [found.outcome for found in batch.done.values()]
    calls = [
        c
        for key, found in batch.done.items()
        for c in call_records(
            found.outcome.calls, asset="job_postings", run_id=context.run.run_id, search_key=key
        )
    ]
    ledger = store.append_records(API_CALLS, calls, group=today.isoformat())
    df = pl.concat(list(done.values())) if done else JOB_POSTINGS.frame([])
    per_search = {k: v.height for k, v in done.items()}
    return _result(
        df, ledger, calls, outcomes, shared, {e.name for e in engines}, dict(skipped), per_search, failed
    )


def _partition_metadata(df: pl.DataFrame, found: SearchRecords) -> dict[str, object]:
    """One search's own figures: its rows, how many of them each engine returned, what the engines
    answered before de-duplication, and a preview."""
    per_engine = Counter(source for sources in df["sources"].to_list() for source in sources)
    return {
        **partition_metadata(df, ["title", "company", "location", "remote", "sources", "relevance"]),
        "postings_per_engine": dg.MetadataValue.json(dict(sorted(per_engine.items()))),
        "engine_answers": dg.MetadataValue.json(found.outcome.per_engine),
        "broadening_step": found.outcome.step or "none",
    }


def _result(
    df: pl.DataFrame,
    ledger: pl.DataFrame,
    calls: list[ApiCallRow],
    outcomes: list[SearchOutcome],
    shared: SharedSearches,
    enabled: set[str],
    skipped: dict[str, str],
    per_search: dict[str, int],
    failed: dict[str, str],
) -> dg.MaterializeResult:
    dupes = df.height - df.unique(["search_key", "posting_id"]).height
    html = df.filter(pl.col("description").str.contains(r"(?i)<\s*(script|div|p|br|a)\b")).height
    dropped: Counter[str] = Counter()
    for o in outcomes:
        dropped.update(o.dropped)
    return dg.MaterializeResult(
        metadata={
            "rows_in_run": df.height,  # each partition carries its own dagster/row_count
            "searches": len(per_search) + len(failed),
            "searches_failed": dg.MetadataValue.json(failed),
            "engines": ", ".join(sorted(enabled)),
            "engines_skipped": dg.MetadataValue.json(skipped),
            "paid_calls": sum(1 for c in calls if not c.cache_hit and (c.credits or 0) > 0),
            "calls": len(calls),
            "cache_hits": sum(1 for c in calls if c.cache_hit),
            "shared_answers": shared.shared_hits,
            "credits": float(ledger["credits"].sum() or 0.0) if ledger.height else 0.0,
            "cost_usd": float(ledger["cost_usd"].sum() or 0.0) if ledger.height else 0.0,
            "dropped": dg.MetadataValue.json(dict(dropped)),
            "broadening_steps": dg.MetadataValue.json(
                df["broadening_step"].value_counts().to_dicts() if df.height else []
            ),
            "postings_per_search": dg.MetadataValue.json(per_search),
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
                f"{len(failed)} of {len(per_search) + len(failed)} searches failed",
                warn=True,
                failed=dg.MetadataValue.json(failed),
            ),
            *(_health(e, outcomes, enabled, skipped) for e in ENGINE_NAMES),
        ],
    )


def _health(
    engine: str, outcomes: list[SearchOutcome], enabled: set[str], skipped: dict[str, str]
) -> dg.AssetCheckResult:
    """An engine that suddenly returns nothing, or postings without descriptions, is flagged."""
    name = f"source_health_{engine}"
    if engine not in enabled:
        return check(
            name, True, f"not enabled{': ' + skipped[engine] if engine in skipped else ''}", warn=True
        )
    returned, missing, failed, asked = _engine_counts(engine, outcomes)
    problem = _engine_problem(returned, missing, failed, asked)
    if problem:
        return check(name, False, problem, warn=True)
    return check(
        name, True, f"{returned} postings for {asked} searches, {missing} without description", warn=True
    )


def _engine_counts(engine: str, outcomes: list[SearchOutcome]) -> tuple[int, int, int, int]:
    """(postings returned, of them without a description, searches failed, searches asked) of one engine."""
    returned = sum(o.per_engine.get(engine, 0) for o in outcomes)
    missing = sum(o.missing_description.get(engine, 0) for o in outcomes)
    failed = sum(1 for o in outcomes if engine in o.errors)
    asked = sum(1 for o in outcomes if engine in o.per_engine or engine in o.errors)
    return returned, missing, failed, asked


def _engine_problem(returned: int, missing: int, failed: int, asked: int) -> str | None:
    """What is wrong with an engine that was asked, or None: every query failing, nothing found at all
    (a broken source, not "no jobs today"), or most postings without a description."""
    if asked and failed == asked:
        return f"every query failed ({failed}); see api_calls"
    if asked and returned == 0:
        return f"0 results for {asked} searches: broken source, not 'no jobs today'"
    if returned and missing / returned > 0.5:
        return f"{missing} of {returned} postings have no description"
    return None
