"""company_dossiers: research on the companies of a search's High matches."""

import json
from dataclasses import asdict
from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.common import check, definition_metadata, preview, record_llm_calls, spec, write_llm_ledger
from assets.partitions import searches_partitions
from assets.screenings import postings_from_rows, screenings
from assets.search_context import for_each_key
from jobland_pipeline.keys import split_search_key
from resources import EngineResource, SearchEnginesResource, WarehouseResource


def top_matches(store_df: pl.DataFrame, limit: int) -> pl.DataFrame:
    """The High matches that get dossiers and packages, best first, at most ``limit`` per search."""
    return (
        store_df.filter(pl.col("probability") == "High")
        .sort(["score", "posting_id"], descending=[True, False])
        .head(limit)
    )


@dg.asset(
    partitions_def=searches_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="research",
    kinds={"python", "parquet"},
    deps=[screenings],
    metadata=definition_metadata("company_dossiers"),
    check_specs=[
        spec("company_dossiers", "dossier_per_high_match", "Every company with a High match has a dossier.")
    ],
)
def company_dossiers(
    context: dg.AssetExecutionContext,
    engine: EngineResource,
    search: SearchEnginesResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Culture, mission, benefits, open roles, news and red flags for each company of a High match.

    Built once per company per run and shared by every search that needs it.
    """
    keys = list(context.partition_keys)
    store = warehouse.store
    all_postings = postings_from_rows(
        store.read("job_postings").sort("posting_id").unique("posting_id", keep="first", maintain_order=True)
    )
    cache: dict[str, dict[str, object]] = {}
    thinker = engine.engine(store)
    researcher = search.research()
    calls: list[dict[str, object]] = []
    ledger: list[dict[str, object]] = []
    now = datetime.now(UTC)
    missing: list[str] = []

    def run(key: str) -> pl.DataFrame:
        user_id, _ = split_search_key(key)
        top = top_matches(store.read("screenings", [key]), engine.max_packages_per_search)
        found = store.read("job_postings", [key])
        rows = []
        for company in sorted(set(top["company"].to_list())):
            if company not in cache:
                sources = [p for p in all_postings if p.company == company] or postings_from_rows(
                    found.filter(pl.col("company") == company)
                )
                if researcher is not None:
                    d, research_calls = researcher.research(company, postings=sources)
                    calls.extend(
                        {**asdict(c), "asset": "company_dossiers", "run_id": context.run.run_id}
                        for c in research_calls
                    )
                else:
                    d = thinker.dossier(company, sources)
                cache[company] = {
                    **d.model_dump(exclude={"news"}),
                    "news": json.dumps([n.model_dump() for n in d.news]),
                }
            rows.append({"search_key": key, "user_id": user_id, **cache[company], "built_at": now})
        record_llm_calls(thinker, asset="company_dossiers", partition=key, sink=ledger)
        store.write_partition("company_dossiers", key, rows)
        df = store.conform("company_dossiers", rows)
        missing.extend(c for c in set(top["company"].to_list()) if c not in set(df["company"].to_list()))
        return df

    done, failed = for_each_key(context, keys, run)
    if calls:
        store.append("api_calls", calls, group=datetime.now(UTC).date().isoformat())
    df = pl.concat(list(done.values())) if done else store.conform("company_dossiers", [])
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "companies_researched": len(cache),
            "research": "exa" if researcher is not None else "offline (no Exa key)",
            "research_calls": len(calls),
            **write_llm_ledger(store, ledger),
            "searches_failed": dg.MetadataValue.json(failed),
            "preview": preview(df, ["company", "mission", "red_flags", "method"]),
        },
        check_results=[check("dossier_per_high_match", not missing, f"missing dossiers: {missing}")],
    )
