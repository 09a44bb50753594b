"""screenings: every posting of a search scored against the user's profile."""

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
from assets.job_postings import job_postings
from assets.partitions import searches_partitions
from assets.search_context import SearchContext, for_each_key
from jobland_pipeline.golden import (
    GoldenScore,
    evaluate_golden,
    golden_table,
    load_baseline,
    regressions,
)
from jobland_pipeline.keys import split_search_key
from jobland_pipeline.llm.prompts import prompt_version
from jobland_pipeline.llm.records import LlmCallRow
from jobland_pipeline.outcomes import load_calibrator
from jobland_pipeline.postings.records import JOB_POSTINGS
from jobland_pipeline.postings.stage import posting_of
from jobland_pipeline.screening.calibration import Calibrator, reliability_markdown
from jobland_pipeline.screening.code_version import screening_code_version
from jobland_pipeline.screening.records import SCREENINGS
from jobland_pipeline.screening.reuse import screened_counts, screening_basis, unsettled
from jobland_pipeline.screening.stage import screen_search
from resources import InboxResource, LLMResource, MatchingResource, WarehouseResource

SETTLED = frozenset({None, "ok", "repaired", "cached"})
"""LLM call statuses after which a screening is what its basis says; after any other (error, invalid,
circuit_open, over_budget: answered offline) the rows scored are written without a basis, so the next
run scores them again instead of keeping a stand-in."""


@dg.asset(
    pool="llm",  # concurrency pool: its limit holds across every run (see README "Scaling out")
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
    llm: LLMResource,
    matching: MatchingResource,
    inbox: InboxResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Score 0-100, probability (High/Medium/Low), reasons, missing skills and deal-breakers per posting.

    Hard constraints are rules checked before keywords: a deal-breaker caps the score below High.
    Each row carries the chance of an interview, calibrated per screening method on the outcomes the
    tracker settled (the stated prior per band until there are enough); the reliability plot of that
    calibration is in the metadata.
    """
    keys = list(context.partition_keys)
    store = warehouse.store
    ctx = SearchContext.load(keys, store, inbox)
    thresholds = matching.thresholds()
    now = datetime.now(UTC)
    expected: dict[str, int] = {}
    judge = llm.engine(store)
    engine_version = _engine_version(llm)
    calibrator = load_calibrator(store, now=now)
    ledger: list[LlmCallRow] = []
    reuse: dict[str, dict[str, int]] = {}

    def run(key: str) -> pl.DataFrame:
        user_id, _ = split_search_key(key)
        postings = [posting_of(r) for r in store.read_records(JOB_POSTINGS, [key])]
        expected[key] = len(postings)
        profile, cv_text = ctx.profile(user_id), ctx.cv_text(user_id)
        title, prefs = ctx.title(key).title, ctx.settings(user_id).preferences
        previous = store.read_records(SCREENINGS, [key])
        basis = screening_basis(
            profile=profile,
            cv_text=cv_text,
            search_title=title,
            prefs=prefs,
            thresholds=thresholds,
            engine=engine_version,
        )
        start = len(ledger)
        try:
            rows = screen_search(
                key,
                postings,
                lambda batch: judge.screen(
                    profile, batch, cv_text=cv_text, search_title=title, prefs=prefs, thresholds=thresholds
                ),
                now=now,
                calibrator=calibrator,
                previous=previous,
                basis=basis,
                # the offline score of a posting is its own; an LLM judge takes the search's best K
                whole_search=llm.name != "offline",
            )
        finally:  # calls made before a failure are this search's, never the next one's
            record_llm_calls(judge, asset="screenings", partition=key, sink=ledger)
        settled = all(c.status in SETTLED for c in ledger[start:])
        df = store.write_records(SCREENINGS, key, rows if settled else unsettled(rows))
        current = {p.id for p in postings}
        reuse[key] = {
            **screened_counts(rows),
            "removed": sum(r.posting_id not in current for r in previous),
            "unsettled": 0 if settled else sum(r.screening_basis is None for r in rows),
        }
        context.add_asset_metadata(
            {
                **partition_metadata(df, ["title", "company", "score", "probability", "screened_as"]),
                **{f"screened_{kind}": n for kind, n in reuse[key].items()},
            },
            partition_key=key,
        )
        return df

    done, failed = for_each_key(context, keys, run)
    df = pl.concat(list(done.values())) if done else SCREENINGS.frame([])
    missing = {k: expected[k] - v.height for k, v in done.items() if v.height != expected[k]}
    llm_figures = write_llm_ledger(store, ledger)
    calibration = _calibration_metadata(calibrator, thresholds.high, thresholds.medium)
    return _result(
        df,
        failed,
        missing,
        thresholds.high,
        llm.name,
        {**llm_figures, **calibration, **_reuse_metadata(reuse)},
    )


def _engine_version(llm: LLMResource) -> str:
    """The engine as a screening's basis sees it: name, and for an LLM its endpoints, models, prompt
    version and judge budget; always the version of the code the screening runs (a change to it
    re-screens; a change elsewhere, to delivery or intake, does not)."""
    parts = [llm.name, f"code={screening_code_version()}"]
    if llm.name == "openai":
        parts += [
            f"model={llm.model_screening or llm.model}@{llm.base_url}",
            f"fallback={llm.fallback_model or llm.model_screening or llm.model}@{llm.fallback_base_url}",
            f"prompt={prompt_version('screening')}",
            f"judge_budget={llm.judge_budget}",
        ]
    return "|".join(parts)


def _reuse_metadata(reuse: dict[str, dict[str, int]]) -> dict[str, dg.MetadataValue]:
    """The run's totals of new / changed / basis_changed / search_changed / reused / removed rows and of
    postings scored."""
    totals: dict[str, int] = {}
    for figures in reuse.values():
        for kind, n in figures.items():
            totals[kind] = totals.get(kind, 0) + n
    return {
        **{f"screened_{kind}": dg.MetadataValue.int(n) for kind, n in totals.items()},
        "screened_by_search": dg.MetadataValue.json(reuse),
    }


def _calibration_metadata(calibrator: Calibrator, high: int, medium: int) -> dict[str, dg.MetadataValue]:
    """What the interview chances rest on, per method, and the reliability plot (predicted vs observed)."""
    return {
        "interview_chance_calibration": dg.MetadataValue.json(
            {
                m: {"basis": c.basis, "version": c.version, "kind": c.kind}
                for m, c in sorted(calibrator.by_method.items())
            }
        ),
        "calibration_outcomes": dg.MetadataValue.int(len(calibrator.outcomes)),
        "reliability_plot": dg.MetadataValue.md(reliability_markdown(calibrator, high=high, medium=medium)),
    }


def _result(
    df: pl.DataFrame,
    failed: dict[str, str],
    missing: dict[str, int],
    high: int,
    engine: str,
    extra: Mapping[str, float | dg.MetadataValue],
) -> dg.MaterializeResult:
    bad_range = df.filter(
        (pl.col("score") < 0)
        | (pl.col("score") > 100)
        | ((pl.col("probability") == "High") & (pl.col("score") < high))
    ).height
    high_with_breakers = df.filter(
        (pl.col("probability") == "High") & (pl.col("deal_breakers").list.len() > 0)
    ).height
    counts = df["probability"].value_counts().to_dicts() if df.height else []
    return dg.MaterializeResult(
        metadata={
            "rows_in_run": df.height,  # each partition carries its own dagster/row_count
            "by_probability": dg.MetadataValue.json({c["probability"]: c["count"] for c in counts}),
            "searches_failed": dg.MetadataValue.json(failed),
            "engine": engine,
            **extra,
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
                not missing and not failed,
                f"mismatches: {missing}, failed: {len(failed)}",
            ),
        ],
    )


@dg.asset_check(
    asset=screenings,
    blocking=True,
    description="The golden set (jobland_pipeline/data/golden: real CVs and postings under permissive "
    "licences, labelled here) scored with the offline engine: NDCG@10, deal-breaker recall and grounding "
    "must not fall below baseline.json. A failure stops the packages of the run. The result is cached "
    "per engine fingerprint, so only the first run after a code change pays for it.",
)
def golden_set_quality(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Fails (blocking the steps after screenings) when a change lowers the golden set's figures."""
    started = time.perf_counter()
    score = evaluate_golden("offline", cache_dir=Path(warehouse.duckdb_path).parent / "eval")
    return golden_check_result(score, load_baseline(), time.perf_counter() - started)


def golden_check_result(
    score: GoldenScore, baseline: dict[str, Any] | None, seconds: float
) -> dg.AssetCheckResult:
    """The check's verdict and what the UI shows: each figure beside its baseline, and per person."""
    failed = regressions(score, baseline)
    before = (baseline or {}).get("figures", {})
    return dg.AssetCheckResult(
        passed=not failed,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(failed) or "no figure below the baseline",
        metadata={
            **{name: dg.MetadataValue.float(value) for name, value in score.figures.items()},
            **{f"baseline {name}": dg.MetadataValue.float(float(v)) for name, v in before.items()},
            "regressions": dg.MetadataValue.json(failed),
            "per_person": dg.MetadataValue.md(
                golden_table(score.per_person, (baseline or {}).get("per_person", {}))
            ),
            "baseline_reason": str((baseline or {}).get("reason", "")),
            "engine_fingerprint": score.fingerprint,
            "cached": score.cached,
            "seconds": round(seconds, 3),
            "seconds_uncached": score.seconds,
        },
    )
