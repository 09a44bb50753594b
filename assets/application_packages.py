"""application_packages: a tailored CV, cover letter and cheat sheet per High match."""

from datetime import UTC, date, datetime
from pathlib import Path

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
from assets.company_dossiers import company_dossiers
from assets.partitions import searches_partitions
from assets.screenings import screenings
from assets.search_context import SearchContext, for_each_key
from jobland_pipeline.delivery.records import PACKAGE_REVIEWS
from jobland_pipeline.delivery.review import latest_decisions, review_status
from jobland_pipeline.generation.records import APPLICATION_PACKAGES, ApplicationPackageRow
from jobland_pipeline.generation.stage import package_name, package_record, write_package_files
from jobland_pipeline.keys import split_search_key
from jobland_pipeline.llm.records import LlmCallRow
from jobland_pipeline.postings.records import JOB_POSTINGS
from jobland_pipeline.postings.stage import posting_of
from jobland_pipeline.research.records import COMPANY_DOSSIERS, dossier_of
from jobland_pipeline.screening.records import SCREENINGS
from jobland_pipeline.screening.stage import screening_of, top_matches
from resources import InboxResource, LLMResource, MatchingResource, PackageStoreResource, WarehouseResource


@dg.asset(
    pool="llm",  # concurrency pool: its limit holds across every run (see README "Scaling out")
    partitions_def=searches_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="delivery",
    kinds={"python", "parquet"},
    deps=[screenings, company_dossiers],
    metadata=definition_metadata("application_packages"),
    check_specs=[
        spec(
            "application_packages",
            "grounded",
            "Every package traces each fact to the user's CV (nothing invented).",
        ),
        spec("application_packages", "files_written", "Every package folder holds its files."),
    ],
)
def application_packages(
    context: dg.AssetExecutionContext,
    llm: LLMResource,
    matching: MatchingResource,
    inbox: InboxResource,
    packages: PackageStoreResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Per High match: tailored CV (Markdown, HTML), cover letter using the dossier, interview cheat sheet.

    The tailored CV only re-orders and selects the user's own facts; a grounding check refuses any
    package that states something the CV does not.
    """
    keys = list(context.partition_keys)
    store = warehouse.store
    ctx = SearchContext.load(keys, store, inbox)
    today, now = date.today(), datetime.now(UTC)
    writer = llm.engine(store)
    ledger: list[LlmCallRow] = []
    users = sorted({split_search_key(k)[0] for k in keys})
    decisions = latest_decisions(store.read_records(PACKAGE_REVIEWS, users))

    def run(key: str) -> pl.DataFrame:
        user_id, _ = split_search_key(key)
        settings = ctx.settings(user_id)
        postings = {r.posting_id: posting_of(r) for r in store.read_records(JOB_POSTINGS, [key])}
        dossiers = {r.company: dossier_of(r) for r in store.read_records(COMPANY_DOSSIERS, [key])}
        rows: list[ApplicationPackageRow] = []
        for match in top_matches(store.read_records(SCREENINGS, [key]), matching.max_packages_per_search):
            posting = postings[match.posting_id]
            status, note = review_status(
                f"{user_id}:{posting.id}", auto_approve=settings.auto_approve, decisions=decisions
            )
            package = writer.package(
                ctx.profile(user_id),
                posting,
                screening_of(match),
                dossiers.get(posting.company),
                cv_text=ctx.cv_text(user_id),
                today=today,
                theme=settings.cv_theme,
                tone=settings.letter_tone,
            )
            folder = packages.folder(user_id, today.isoformat(), package_name(posting))
            files = write_package_files(folder, package, posting, note)
            rows.append(
                package_record(
                    key,
                    posting,
                    package,
                    score=match.score,
                    probability=match.probability,
                    reasons=match.reasons,
                    folder=folder,
                    files=files,
                    review_status=status,
                    revision_note=note,
                    now=now,
                )
            )
        record_llm_calls(writer, asset="application_packages", partition=key, sink=ledger)
        df = store.write_records(APPLICATION_PACKAGES, key, rows)
        context.add_asset_metadata(
            partition_metadata(df, ["title", "company", "score", "grounded"]), partition_key=key
        )
        return df

    done, failed = for_each_key(context, keys, run)
    df = pl.concat(list(done.values())) if done else APPLICATION_PACKAGES.frame([])
    return _result(df, failed, packages.path, write_llm_ledger(store, ledger))


def _result(
    df: pl.DataFrame, failed: dict[str, str], path: str, llm: dict[str, float]
) -> dg.MaterializeResult:
    ungrounded = df.filter(~pl.col("grounded"))
    missing_files = [
        r["package_dir"]
        for r in df.iter_rows(named=True)
        if not all((Path(r["package_dir"]) / f).exists() for f in r["files"])
    ]
    return dg.MaterializeResult(
        metadata={
            "rows_in_run": df.height,  # each partition carries its own dagster/row_count
            "packages_dir": path,
            **llm,
            "searches_failed": dg.MetadataValue.json(failed),
            "mean_ats_coverage_after": float(df["ats_coverage_after"].mean() or 0.0) if df.height else 0.0,  # type: ignore[arg-type]
            "preview": preview(
                df, ["user_id", "title", "company", "score", "grounded", "ats_coverage_after"]
            ),
        },
        check_results=[
            check(
                "grounded",
                ungrounded.is_empty(),
                f"{ungrounded.height} packages failed grounding",
                issues=dg.MetadataValue.json(ungrounded["issues"].to_list()[:5]),
            ),
            check("files_written", not missing_files, f"{len(missing_files)} package folders incomplete"),
        ],
    )
