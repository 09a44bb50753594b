import dagster as dg

from jobland_pipeline.delivery.review import DECISIONS, record_decision
from resources import WarehouseResource


class ReviewConfig(dg.Config):
    application_id: str  # '<user>:<posting id>'
    decision: str  # approved | rejected | revision_requested
    note: str = ""
    reviewer: str = "operator"


@dg.op(description="Record a review decision on a package (the same as `jobland review`).")
def record_review(context: dg.OpExecutionContext, config: ReviewConfig, warehouse: WarehouseResource) -> None:
    if config.decision not in DECISIONS:
        raise dg.Failure(f"decision must be one of {', '.join(DECISIONS)}")
    try:
        record_decision(
            warehouse.store,
            config.application_id,
            config.decision,
            note=config.note or None,
            reviewer=config.reviewer,
        )
    except ValueError as exc:
        raise dg.Failure(str(exc)) from exc
    context.log.info(f"{config.application_id}: {config.decision}")


@dg.job(description="Approve, reject or request a revision of a package from the Dagster UI (launchpad).")
def review_job() -> None:
    record_review()
