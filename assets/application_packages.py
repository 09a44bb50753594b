"""application_packages: a tailored CV, cover letter and cheat sheet per High match."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial

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
from jobland_pipeline.delivery.review import Decision, latest_decisions, review_status
from jobland_pipeline.generation.records import APPLICATION_PACKAGES, ApplicationPackageRow
from jobland_pipeline.generation.stage import (
    package_inputs_sha256,
    package_name,
    package_record,
    reusable,
    reused_record,
    store_package,
)
from jobland_pipeline.generation.stories import Story, select_stories
from jobland_pipeline.generation.text import PostingText
from jobland_pipeline.keys import split_search_key
from jobland_pipeline.llm.engine import Engine
from jobland_pipeline.llm.prompts import prompt_version
from jobland_pipeline.llm.records import LlmCallRow
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.records import JOB_POSTINGS
from jobland_pipeline.postings.stage import posting_of
from jobland_pipeline.research.dossier import Dossier
from jobland_pipeline.research.records import COMPANY_DOSSIERS, dossier_of
from jobland_pipeline.screening.records import SCREENINGS, ScreeningRow
from jobland_pipeline.screening.stage import screening_of, top_matches
from jobland_pipeline.warehouse import Warehouse
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
    package that states something the CV does not. A package whose inputs did not change since it was
    made (same ``inputs_sha256``, files still there) is reused, not made again; one whose files could
    not be written is a ``failed`` record with the reason, logged as an error.
    """
    keys = list(context.partition_keys)
    store = warehouse.store
    ctx = SearchContext.load(keys, store, inbox)
    writer = llm.engine(store)
    maker = _Maker(context, ctx, writer, packages, _engine_id(writer), date.today(), datetime.now(UTC))
    ledger: list[LlmCallRow] = []
    users = sorted({split_search_key(k)[0] for k in keys})
    maker.decisions = latest_decisions(store.read_records(PACKAGE_REVIEWS, users))

    def run(key: str) -> pl.DataFrame:
        rows, counts = maker.search(key, store, matching.max_packages_per_search)
        record_llm_calls(writer, asset="application_packages", partition=key, sink=ledger)
        df = store.write_records(APPLICATION_PACKAGES, key, rows)
        context.add_asset_metadata(
            {**partition_metadata(df, ["title", "company", "score", "grounded"]), **counts},
            partition_key=key,
        )
        return df

    done, failed = for_each_key(context, keys, run)
    df = pl.concat(list(done.values())) if done else APPLICATION_PACKAGES.frame([])
    return _result(df, failed, packages, write_llm_ledger(store, ledger), maker.totals)


def _engine_id(writer: Engine) -> str:
    """The engine, its tailoring model and prompt version: a package made by another one is made again."""
    models: dict[str, str] = getattr(writer, "models", None) or {}
    if "tailor" not in models:
        return writer.name
    return f"{writer.name}:{models['tailor']}:{prompt_version('tailor')}"


@dataclass
class _Maker:
    """Makes (or reuses) the packages of one search at a time, counting what it did across the run."""

    context: dg.AssetExecutionContext
    ctx: SearchContext
    writer: Engine
    packages: PackageStoreResource
    engine: str
    today: date
    now: datetime
    decisions: dict[str, Decision] = field(default_factory=dict)
    totals: Counter[str] = field(default_factory=Counter)
    warned: set[str] = field(default_factory=set)

    def search(
        self, key: str, store: Warehouse, limit: int
    ) -> tuple[list[ApplicationPackageRow], dict[str, int]]:
        """The search's records and its own counts (generated / reused / failed)."""
        postings = {r.posting_id: posting_of(r) for r in store.read_records(JOB_POSTINGS, [key])}
        dossiers = {r.company: dossier_of(r) for r in store.read_records(COMPANY_DOSSIERS, [key])}
        previous = {r.posting_id: r for r in store.read_records(APPLICATION_PACKAGES, [key])}
        rows: list[ApplicationPackageRow] = []
        counts: Counter[str] = Counter({"generated": 0, "reused": 0, "failed": 0})
        for match in top_matches(store.read_records(SCREENINGS, [key]), limit):
            posting = postings[match.posting_id]
            row, outcome = self.one(key, match, posting, dossiers.get(posting.company), previous)
            rows.append(row)
            counts[outcome] += 1
        self.totals.update(counts)
        return rows, dict(counts)

    def stories(self, user_id: str, posting: Posting) -> list[Story]:
        """The user's stories most relevant to the posting (none when none is); a stories file that
        was skipped (or had lines removed) is said once per user, as a warning, and the packages go on."""
        read = self.ctx.stories(user_id)
        if user_id not in self.warned:
            self.warned.add(user_id)
            for note in read.notes():
                self.context.log.warning(f"{user_id}: {note}")
        return [s.story for s in select_stories(read.stories, PostingText.of(posting))]

    def one(
        self,
        key: str,
        match: ScreeningRow,
        posting: Posting,
        dossier: Dossier | None,
        previous: dict[str | None, ApplicationPackageRow],
    ) -> tuple[ApplicationPackageRow, str]:
        """One package: reused when its inputs are unchanged and its files are there, else made."""
        user_id, _ = split_search_key(key)
        settings = self.ctx.settings(user_id)
        status, note = review_status(
            f"{user_id}:{posting.id}", auto_approve=settings.auto_approve, decisions=self.decisions
        )
        profile, cv_text, screening = (
            self.ctx.profile(user_id),
            self.ctx.cv_text(user_id),
            screening_of(match),
        )
        stories = self.stories(user_id, posting)
        inputs = package_inputs_sha256(
            profile,
            cv_text,
            posting,
            screening,
            dossier,
            engine=self.engine,
            theme=settings.cv_theme,
            tone=settings.letter_tone,
            revision_note=note,
            stories=stories,
        )
        earlier = previous.get(posting.id)
        if earlier is not None and reusable(earlier, inputs, self.packages.missing_files):
            return reused_record(earlier, review_status=status), "reused"
        offline_before = getattr(self.writer, "answered_offline", 0)
        package = self.writer.package(
            profile,
            posting,
            screening,
            dossier,
            cv_text=cv_text,
            today=self.today,
            theme=settings.cv_theme,
            tone=settings.letter_tone,
            stories=stories,
        )
        # made offline past a budget: no inputs digest, so it is tailored again once the LLM may answer
        past_budget = getattr(self.writer, "answered_offline", 0) > offline_before
        folder = partial(self.packages.folder, user_id, self.today.isoformat(), package_name(posting))
        stored = store_package(folder, package, posting, note)
        if stored.error:  # a failure the run reports, not a warning to scroll past
            self.context.log.error(f"{user_id}: application_packages {key} {posting.id}: {stored.error}")
        row = package_record(
            key,
            posting,
            package,
            score=match.score,
            probability=match.probability,
            reasons=match.reasons,
            folder=stored.location,
            files=stored.files,
            review_status=status,
            revision_note=note,
            now=self.now,
            inputs_sha256=None if past_budget else inputs,
            write_error=stored.error,
        )
        return row, "failed" if stored.error else "generated"


def _result(
    df: pl.DataFrame,
    failed: dict[str, str],
    packages: PackageStoreResource,
    llm: dict[str, float],
    totals: Counter[str],
) -> dg.MaterializeResult:
    ungrounded = df.filter(~pl.col("grounded"))
    not_written = df.filter(pl.col("write_error").is_not_null())
    missing_files = [
        r["package_dir"]
        for r in df.filter(pl.col("write_error").is_null()).iter_rows(named=True)
        if packages.missing_files(r["package_dir"], r["files"])
    ]
    return dg.MaterializeResult(
        metadata={
            "rows_in_run": df.height,  # each partition carries its own dagster/row_count
            "packages_dir": packages.path,
            **llm,
            # each partition carries its own generated / reused / failed; these are the run's totals
            "generated_in_run": totals["generated"],
            "reused_in_run": totals["reused"],
            "failed_in_run": totals["failed"],
            "searches_failed": dg.MetadataValue.json(failed),
            "packages_failed": dg.MetadataValue.json(
                [
                    {"user": r["user_id"], "posting": r["posting_id"], "reason": r["write_error"]}
                    for r in not_written.iter_rows(named=True)
                ]
            ),
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
            check(
                "files_written",
                not missing_files and not_written.is_empty(),
                f"{not_written.height} packages not written, {len(missing_files)} package folders incomplete",
                reasons=dg.MetadataValue.json(not_written["write_error"].to_list()[:5]),
            ),
        ],
    )
