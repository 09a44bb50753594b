"""application_packages: a tailored CV, cover letter and cheat sheet per High match."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import polars as pl

from assets.common import check, definition_metadata, preview, record_llm_calls, spec, write_llm_ledger
from assets.company_dossiers import company_dossiers, top_matches
from assets.partitions import searches_partitions
from assets.screenings import postings_from_rows, screenings
from assets.search_context import SearchContext, for_each_key
from jobland_pipeline.delivery.review import latest_decisions, review_status
from jobland_pipeline.keys import slugify, split_search_key
from jobland_pipeline.research import Dossier
from jobland_pipeline.screening import Screening
from resources import EngineResource, InboxResource, PackageStoreResource, WarehouseResource


def _dossier(row: dict[str, object] | None) -> Dossier | None:
    if row is None:
        return None
    data = {k: v for k, v in row.items() if k in Dossier.model_fields}
    data["news"] = json.loads(str(row.get("news") or "[]"))
    return Dossier.model_validate(data)


@dg.asset(
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
    engine: EngineResource,
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
    today = date.today()
    now = datetime.now(UTC)
    writer = engine.engine(store)
    ledger: list[dict[str, object]] = []
    decisions = latest_decisions(store.read("package_reviews"))

    def run(key: str) -> pl.DataFrame:
        user_id, _ = split_search_key(key)
        profile = ctx.profile(user_id)
        top = top_matches(store.read("screenings", [key]), engine.max_packages_per_search)
        postings = {p.id: p for p in postings_from_rows(store.read("job_postings", [key]))}
        dossiers = {r["company"]: r for r in store.read("company_dossiers", [key]).iter_rows(named=True)}
        rows = []
        for s in top.iter_rows(named=True):
            posting = postings[s["posting_id"]]
            screening = Screening(
                posting_id=s["posting_id"],
                score=s["score"],
                probability=s["probability"],
                reasons=s["reasons"],
                matched_skills=s["matched_skills"],
                missing_skills=s["missing_skills"],
                deal_breakers=s["deal_breakers"],
                components={},
                method=s["method"],
            )
            status, revision_note = review_status(
                f"{user_id}:{posting.id}",
                auto_approve=ctx.settings(user_id).auto_approve,
                decisions=decisions,
            )
            user_settings = ctx.settings(user_id)
            package = writer.package(
                profile,
                posting,
                screening,
                _dossier(dossiers.get(posting.company)),
                cv_text=ctx.cv_text(user_id),
                today=today,
                theme=user_settings.cv_theme,
                tone=user_settings.letter_tone,
            )
            name = f"{slugify(posting.company)[:30]}--{slugify(posting.title)[:40]}"
            folder = packages.folder(user_id, today.isoformat(), name)
            for file_name, content in package.files.items():
                if isinstance(content, bytes):
                    (folder / file_name).write_bytes(content)
                else:
                    (folder / file_name).write_text(content, encoding="utf-8")
            (folder / "posting.json").write_text(posting.model_dump_json(indent=2), encoding="utf-8")
            # Every claim of every document with where it was found (or why not): the reviewer's evidence.
            report = {
                "grounded": package.ok,
                "grounding_issues": package.grounding_issues,
                "placeholder_issues": package.placeholder_issues,
                **package.grounding_report,
            }
            (folder / "grounding_report.json").write_text(
                json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            if revision_note:  # for the user's eyes only, never in an employer-facing file
                (folder / "REVISION_NOTE.txt").write_text(revision_note + "\n", encoding="utf-8")
            rows.append(
                {
                    "search_key": key,
                    "user_id": user_id,
                    "posting_id": posting.id,
                    "application_id": f"{user_id}:{posting.id}",
                    "title": posting.title,
                    "company": posting.company,
                    "location": posting.location,
                    "url": posting.url,
                    "score": s["score"],
                    "probability": s["probability"],
                    "reasons": s["reasons"],
                    "package_dir": str(folder),
                    "files": sorted(
                        [
                            *package.files,
                            "posting.json",
                            "grounding_report.json",
                            *(["REVISION_NOTE.txt"] if revision_note else []),
                        ]
                    ),
                    "ats_coverage_before": package.ats_coverage_before,
                    "ats_coverage_after": package.ats_coverage_after,
                    "grounded": package.ok,
                    "review_status": status if package.ok else "rejected",
                    "revision_note": revision_note,
                    "issues": package.grounding_issues + package.placeholder_issues,
                    "created_at": now,
                }
            )
        record_llm_calls(writer, asset="application_packages", partition=key, sink=ledger)
        store.write_partition("application_packages", key, rows)
        return store.conform("application_packages", rows)

    done, failed = for_each_key(context, keys, run)
    df = pl.concat(list(done.values())) if done else store.conform("application_packages", [])
    ungrounded = df.filter(~pl.col("grounded"))
    missing_files = [
        r["package_dir"]
        for r in df.iter_rows(named=True)
        if not all((Path(r["package_dir"]) / f).exists() for f in r["files"])
    ]
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": df.height,
            "packages_dir": packages.path,
            **write_llm_ledger(store, ledger),
            "searches_failed": dg.MetadataValue.json(failed),
            "mean_ats_coverage_after": float(df["ats_coverage_after"].mean() or 0.0) if df.height else 0.0,
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
