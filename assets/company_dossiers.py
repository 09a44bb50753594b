"""company_dossiers: research on the companies of a search's High matches."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from assets.common import (
    check,
    definition_metadata,
    partition_metadata,
    preview,
    record_llm_calls,
    spec,
    write_llm_ledger,
)
from assets.partitions import searches_partitions
from assets.screenings import screenings
from assets.search_context import for_each_key
from jobland_pipeline.llm.records import LlmCallRow
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.records import API_CALLS, JOB_POSTINGS, ApiCallRow
from jobland_pipeline.postings.stage import call_records, posting_of
from jobland_pipeline.research.dossier import Dossier
from jobland_pipeline.research.records import COMPANY_DOSSIERS
from jobland_pipeline.research.stage import DossierBook, dossier_records
from jobland_pipeline.screening.records import SCREENINGS
from jobland_pipeline.screening.stage import top_matches
from resources import LLMResource, MatchingResource, SearchEnginesResource, WarehouseResource


@dg.asset(
    pool="research",  # concurrency pool: its limit holds across every run (see README "Scaling out")
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
    llm: LLMResource,
    matching: MatchingResource,
    search: SearchEnginesResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Culture, mission, benefits, open roles, news and red flags for each company of a High match.

    Built once per company per run and shared by every search that needs it.
    """
    keys = list(context.partition_keys)
    store = warehouse.store
    # The run's own searches only: their postings are the companies' words about themselves.
    known = {
        r.posting_id: posting_of(r)
        for r in sorted(store.read_records(JOB_POSTINGS, keys), key=lambda r: str(r.posting_id))
    }
    thinker = llm.engine(store)
    researcher = search.research()
    calls: list[ApiCallRow] = []
    ledger: list[LlmCallRow] = []
    now = datetime.now(UTC)
    missing: list[str] = []

    def research(company: str, postings: list[Posting]) -> Dossier:
        if researcher is None:
            return thinker.dossier(company, postings)
        dossier, made = researcher.research(company, postings=postings)
        calls.extend(call_records(made, asset="company_dossiers", run_id=context.run.run_id))
        return dossier

    book = DossierBook(research, list(known.values()))

    def run(key: str) -> pl.DataFrame:
        companies = [
            str(r.company)
            for r in top_matches(store.read_records(SCREENINGS, [key]), matching.max_packages_per_search)
        ]
        found = [posting_of(r) for r in store.read_records(JOB_POSTINGS, [key])]
        rows = dossier_records(key, companies, found, book, now=now)
        record_llm_calls(thinker, asset="company_dossiers", partition=key, sink=ledger)
        missing.extend(sorted(set(companies) - {str(r.company) for r in rows}))
        df = store.write_records(COMPANY_DOSSIERS, key, rows)
        context.add_asset_metadata(
            partition_metadata(df, ["company", "mission", "method"]), partition_key=key
        )
        return df

    done, failed = for_each_key(context, keys, run)
    store.append_records(API_CALLS, calls, group=now.date().isoformat())
    df = pl.concat(list(done.values())) if done else COMPANY_DOSSIERS.frame([])
    return dg.MaterializeResult(
        metadata={
            "rows_in_run": df.height,  # each partition carries its own dagster/row_count
            "companies_researched": len(book.dossiers),
            "research": "exa" if researcher is not None else "offline (no Exa key)",
            "research_calls": len(calls),
            **write_llm_ledger(store, ledger),
            "searches_failed": dg.MetadataValue.json(failed),
            "preview": preview(df, ["company", "mission", "red_flags", "method"]),
        },
        check_results=[check("dossier_per_high_match", not missing, f"missing dossiers: {missing}")],
    )
