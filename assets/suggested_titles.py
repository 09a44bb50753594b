"""suggested_titles: 5-10 specific job titles per user, each with the reason it fits."""

from datetime import UTC, datetime

import dagster as dg

from assets.common import check, definition_metadata, preview, record_llm_calls, spec, write_llm_ledger
from assets.partitions import users_partitions
from assets.profiles import profiles
from jobland_pipeline.keys import search_key
from jobland_pipeline.profiles import Profile
from resources import EngineResource, InboxResource, WarehouseResource


@dg.asset(
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
    engine: EngineResource,
    inbox: InboxResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Specific titles to search for: the CV's own, generalised through O*NET/ESCO (plus pinned ones).

    Each row becomes a ``searches`` partition (``<user>::<title-slug>``) via the searches sensor.
    """
    user_id = context.partition_key
    store = warehouse.store
    profile_df = store.read("profiles", [user_id])
    if profile_df.is_empty():
        raise dg.Failure(description=f"No profile for user {user_id}; materialize profiles first")
    profile = Profile.model_validate_json(profile_df["profile_json"][0])
    pinned = [t for t in inbox.user_settings(user_id).pinned_titles if t.strip()]
    thinker = engine.engine(store)
    titles = thinker.titles(profile, pinned=pinned, limit=engine.max_titles)
    ledger: list[dict[str, object]] = []
    record_llm_calls(thinker, asset="suggested_titles", partition=user_id, sink=ledger)
    now = datetime.now(UTC)
    rows = [
        {
            "user_id": user_id,
            "rank": i,
            "title": t.title,
            "display_title": t.display_title,
            "title_zh": t.title_zh,
            "slug": t.slug,
            "search_key": search_key(user_id, t.slug),
            "family": t.family,
            "level": t.level,
            "score": t.score,
            "reason": t.reason,
            "source": t.source,
            "aliases": t.aliases,
            "skills": t.skills,
            "built_at": now,
        }
        for i, t in enumerate(titles, start=1)
    ]
    store.write_partition("suggested_titles", user_id, rows)
    df = store.conform("suggested_titles", rows)
    distinct = len({r["slug"] for r in rows})
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(rows),
            **write_llm_ledger(store, ledger),
            "titles": ", ".join(t.display_title for t in titles),
            "preview": preview(df, ["rank", "display_title", "family", "level", "score", "reason"]),
        },
        check_results=[
            check(
                "titles_have_evidence",
                0 < distinct <= 10 and distinct == len(rows) and all(r["reason"] for r in rows),
                f"{distinct} distinct titles, {sum(1 for r in rows if r['reason'])} with a reason",
            ),
            check(
                "five_to_ten_titles",
                5 <= distinct <= 10 or (not profile.roles and distinct == len(pinned) > 0),
                f"{distinct} distinct titles",
                warn=True,
            ),
        ],
    )
