"""suggested_titles: 5-10 specific job titles per user, each with the reason it fits."""

import dagster as dg
import polars as pl

from assets.common import check, definition_metadata, preview, record_llm_calls, spec, write_llm_ledger
from assets.partitions import users_partitions
from assets.profiles import profiles
from jobland_pipeline.llm.records import LlmCallRow
from jobland_pipeline.profiles.records import PROFILES, SUGGESTED_TITLES, SuggestedTitleRow
from jobland_pipeline.profiles.stage import profile_of, title_records
from resources import InboxResource, LLMResource, MatchingResource, WarehouseResource


@dg.asset(
    pool="llm",  # concurrency pool: its limit holds across every run (see README "Scaling out")
    partitions_def=users_partitions,
    group_name="intake",
    kinds={"python", "parquet"},
    deps=[profiles],
    metadata=definition_metadata("suggested_titles"),
    check_specs=[
        spec(
            "suggested_titles", "titles_have_evidence", "Distinct titles (at most 10), each with its reason."
        ),
        spec(
            "suggested_titles",
            "five_to_ten_titles",
            "Between 5 and 10 titles (a warning: a CV may back fewer, and none is invented to fill the list).",
        ),
    ],
)
def suggested_titles(
    context: dg.AssetExecutionContext,
    llm: LLMResource,
    matching: MatchingResource,
    inbox: InboxResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Specific titles to search for: the CV's own, generalised through O*NET/ESCO (plus pinned ones).

    Each row becomes a ``searches`` partition (``<user>::<title-slug>``) via the searches sensor.
    """
    user_id = context.partition_key
    store = warehouse.store
    records = store.read_records(PROFILES, [user_id])
    if not records:
        raise dg.Failure(description=f"No profile for user {user_id}; materialize profiles first")
    profile = profile_of(records[0])
    pinned = [t for t in inbox.user_settings(user_id).pinned_titles if t.strip()]
    thinker = llm.engine(store)
    rows = title_records(user_id, thinker.titles(profile, pinned=pinned, limit=matching.max_titles))
    ledger: list[LlmCallRow] = []
    record_llm_calls(thinker, asset="suggested_titles", partition=user_id, sink=ledger)
    df = store.write_records(SUGGESTED_TITLES, user_id, rows)
    only_pinned = not profile.roles and len(rows) == len(pinned) > 0
    return _result(rows, df, write_llm_ledger(store, ledger), only_pinned=only_pinned)


def _result(
    rows: list[SuggestedTitleRow], df: pl.DataFrame, ledger: dict[str, float], *, only_pinned: bool
) -> dg.MaterializeResult:
    distinct = len({r.slug for r in rows})
    with_reason = sum(1 for r in rows if r.reason)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(rows),
            **ledger,
            "titles": ", ".join(str(r.display_title) for r in rows),
            "preview": preview(df, ["rank", "display_title", "family", "level", "score", "reason"]),
        },
        check_results=[
            check(
                "titles_have_evidence",
                0 < distinct <= 10 and distinct == len(rows) and with_reason == len(rows),
                f"{distinct} distinct titles, {with_reason} with a reason"
                + ("" if distinct else ": no job title on the CV; pin some in settings.yaml (pinned_titles)"),
            ),
            check(
                "five_to_ten_titles",
                5 <= distinct <= 10 or only_pinned,
                f"{distinct} distinct titles",
                warn=True,
            ),
        ],
    )
