"""job_postings: fresh postings for each (user, title) search, normalised and de-duplicated."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.common import check, definition_metadata, preview, spec
from assets.partitions import searches_partitions
from assets.search_context import SearchContext, for_each_key
from assets.suggested_titles import suggested_titles
from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings import dedupe, fingerprint, search_postings
from jobland_pipeline.postings.geo import parse_place
from resources import InboxResource, LocalPostingsResource, WarehouseResource


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
    ],
)
def job_postings(
    context: dg.AssetExecutionContext,
    postings_source: LocalPostingsResource,
    inbox: InboxResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Postings found for the search's title (and its aliases) in the configured engines.

    One run covers many searches (single-run backfill): the source is loaded once and shared.
    """
    keys = list(context.partition_keys)
    store = warehouse.store
    ctx = SearchContext.load(keys, store, inbox)
    postings = postings_source.postings()
    now = datetime.now(UTC)

    def run(key: str) -> pl.DataFrame:
        user_id, slug = split_search_key(key)
        hits = search_postings(ctx.title(key), postings)
        kept, _ = dedupe([h.posting for h in hits])
        relevance = {h.posting.id: h.relevance for h in hits}
        rows = [
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
                "fingerprint": fingerprint(p),
                "relevance": relevance[p.id],
                "found_at": now,
            }
            for p in kept
        ]
        store.write_partition("job_postings", key, rows)
        return store.conform("job_postings", rows)

    done, failed = for_each_key(context, keys, run)
    df = pl.concat(list(done.values())) if done else store.conform("job_postings", [])
    dupes = df.height - df.unique(["search_key", "posting_id"]).height
    html = df.filter(pl.col("description").str.contains(r"(?i)<\s*(script|div|p|br|a)\b")).height
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "searches": len(keys),
            "searches_failed": dg.MetadataValue.json(failed),
            "postings_per_search": dg.MetadataValue.json({k: v.height for k, v in done.items()}),
            "source": str(postings_source.resolved_path()),
            "preview": preview(df, ["search_key", "title", "company", "location", "remote", "relevance"]),
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
        ],
    )
