"""screenings: every posting of a search scored against the user's profile."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.common import check, definition_metadata, preview, record_llm_calls, spec, write_llm_ledger
from assets.job_postings import job_postings
from assets.partitions import searches_partitions
from assets.search_context import SearchContext, for_each_key
from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings.models import Posting
from resources import EngineResource, InboxResource, WarehouseResource


def postings_from_rows(df: pl.DataFrame) -> list[Posting]:
    return [
        Posting(
            id=r["posting_id"],
            title=r["title"],
            company=r["company"],
            location=r["location"] or "",
            remote="hybrid" if r["remote"] == "hybrid" else r["remote"] == "true",
            employment_type=r["employment_type"],
            posted_at=r["posted_at"],
            salary=r["salary"],
            url=r["url"],
            description=r["description"] or "",
            source=r["source"] or "local",
        )
        for r in df.iter_rows(named=True)
    ]


@dg.asset(
    partitions_def=searches_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="screening",
    kinds={"python", "parquet"},
    deps=[job_postings],
    metadata=definition_metadata("screenings"),
    check_specs=[
        spec("screenings", "scores_in_range", "Scores are 0-100 and the probability agrees with the score."),
        spec("screenings", "deal_breakers_never_high", "A posting with a deal-breaker is never High."),
        spec("screenings", "one_row_per_posting", "Every posting of the search has exactly one screening."),
    ],
)
def screenings(
    context: dg.AssetExecutionContext,
    engine: EngineResource,
    inbox: InboxResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Score 0-100, probability (High/Medium/Low), reasons, missing skills and deal-breakers per posting.

    Hard constraints are rules checked before keywords: a deal-breaker caps the score below High.
    """
    keys = list(context.partition_keys)
    store = warehouse.store
    ctx = SearchContext.load(keys, store, inbox)
    thresholds = engine.thresholds()
    now = datetime.now(UTC)
    expected: dict[str, int] = {}
    judge = engine.engine(store)
    ledger: list[dict[str, object]] = []

    def run(key: str) -> pl.DataFrame:
        user_id, _ = split_search_key(key)
        postings = postings_from_rows(store.read("job_postings", [key]))
        expected[key] = len(postings)
        results = judge.screen(
            ctx.profile(user_id),
            postings,
            cv_text=ctx.cv_text(user_id),
            search_title=ctx.title(key).title,
            prefs=ctx.settings(user_id).preferences,
            thresholds=thresholds,
        )
        by_id = {p.id: p for p in postings}
        rows = [
            {
                "search_key": key,
                "user_id": user_id,
                "posting_id": s.posting_id,
                "title": by_id[s.posting_id].title,
                "company": by_id[s.posting_id].company,
                "score": s.score,
                "probability": s.probability,
                "reasons": s.reasons,
                "matched_skills": s.matched_skills,
                "missing_skills": s.missing_skills,
                "deal_breakers": s.deal_breakers,
                "method": s.method,
                "stage": s.stage,
                "prompt_version": s.prompt_version,
                "screened_at": now,
            }
            for s in results
        ]
        record_llm_calls(judge, asset="screenings", partition=key, sink=ledger)
        store.write_partition("screenings", key, rows)
        return store.conform("screenings", rows)

    done, failed = for_each_key(context, keys, run)
    df = pl.concat(list(done.values())) if done else store.conform("screenings", [])
    bad_range = df.filter(
        (pl.col("score") < 0)
        | (pl.col("score") > 100)
        | ((pl.col("probability") == "High") & (pl.col("score") < thresholds.high))
    ).height
    high_with_breakers = df.filter(
        (pl.col("probability") == "High") & (pl.col("deal_breakers").list.len() > 0)
    ).height
    missing_rows = {k: expected[k] - v.height for k, v in done.items() if v.height != expected[k]}
    counts = df["probability"].value_counts().to_dicts() if df.height else []
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "by_probability": dg.MetadataValue.json({c["probability"]: c["count"] for c in counts}),
            "searches_failed": dg.MetadataValue.json(failed),
            "engine": engine.name,
            **write_llm_ledger(store, ledger),
            "stage2_decided": int(df.filter(pl.col("stage") == 2).height) if df.height else 0,
            "preview": preview(
                df.sort("score", descending=True),
                ["search_key", "title", "company", "score", "probability", "deal_breakers"],
            ),
        },
        check_results=[
            check("scores_in_range", bad_range == 0, f"{bad_range} rows out of range or inconsistent"),
            check(
                "deal_breakers_never_high",
                high_with_breakers == 0,
                f"{high_with_breakers} High rows with deal-breakers",
            ),
            check(
                "one_row_per_posting",
                not missing_rows and not failed,
                f"mismatches: {missing_rows}, failed: {len(failed)}",
            ),
        ],
    )
