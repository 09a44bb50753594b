"""The screening stage: the postings of one search scored against the user -> screening records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from jobland_pipeline.delivery.records import (
    APPLICATION_STATUS_HISTORY,
    APPLICATION_STATUS_UPDATES,
    APPLICATION_TRACKER,
    ApplicationStatusHistoryRow,
    ApplicationStatusUpdateRow,
)
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.screening.calibration import (
    NO_ANSWER_DAYS,
    Calibrator,
    StatusReport,
    fit_calibrator,
    tracked_outcomes,
)
from jobland_pipeline.screening.models import Screening
from jobland_pipeline.screening.records import SCREENINGS, ScreeningRow

if TYPE_CHECKING:
    from jobland_pipeline.warehouse.store import Warehouse

Screen = Callable[[list[Posting]], list[Screening]]  # the engine's screen, bound to one user and search


def screen_search(
    key: str,
    postings: list[Posting],
    screen: Screen,
    *,
    now: datetime,
    calibrator: Calibrator | None = None,
) -> list[ScreeningRow]:
    """One record per posting, with the evidence (components) behind each score and the chance of an
    interview its method's calibration gives (the prior without ``calibrator``)."""
    user_id, _ = split_search_key(key)
    by_id = {p.id: p for p in postings}
    rows = [
        ScreeningRow(
            search_key=key,
            user_id=user_id,
            posting_id=s.posting_id,
            title=by_id[s.posting_id].title,
            company=by_id[s.posting_id].company,
            score=s.score,
            probability=s.probability,
            reasons=s.reasons,
            matched_skills=s.matched_skills,
            missing_skills=s.missing_skills,
            deal_breakers=s.deal_breakers,
            method=s.method,
            stage=s.stage,
            prompt_version=s.prompt_version,
            components=s.components,
            screened_at=now,
        )
        for s in screen(postings)
    ]
    calibrator = calibrator or Calibrator({})
    for row in rows:
        cal = calibrator.of(row.method or "")
        row.interview_chance = cal.chance(row.score or 0, row.probability or "Low")
        row.chance_basis = cal.basis
        row.calibration_version = cal.version
    return rows


def load_calibrator(store: Warehouse, *, now: datetime, no_answer_days: int = NO_ANSWER_DAYS) -> Calibrator:
    """The calibrations fitted on every tracked application that has settled (all users pooled: one
    user's dozen applications say little, a method's hundreds do).

    Each application's method and score come from its screening row (found through its package's
    search), its story from the user's reports and the tracker's history.
    """
    packages = store.read_records(APPLICATION_PACKAGES)
    search_of = {str(p.application_id): str(p.search_key) for p in packages if p.search_key}
    events: list[ApplicationStatusUpdateRow | ApplicationStatusHistoryRow] = [
        *store.read_records(APPLICATION_STATUS_UPDATES),
        *store.read_records(APPLICATION_STATUS_HISTORY),
    ]
    reports = [
        StatusReport(str(r.application_id), str(r.status), r.at or now)
        for r in events
        if r.application_id and r.status
    ]
    reports += [
        StatusReport(str(r.application_id), str(r.status), r.updated_at or now)
        for r in store.read_records(APPLICATION_TRACKER)
        if r.application_id and r.status
    ]
    tracked = {r.application_id for r in reports}
    searches = sorted({search_of[a] for a in tracked if a in search_of})
    screened: dict[str, tuple[str, float]] = {}
    rows = store.read_records(SCREENINGS, searches) if searches else []
    for row in sorted(rows, key=lambda r: r.screened_at or now):  # the latest screening wins
        app_id = f"{row.user_id}:{row.posting_id}"
        if app_id in tracked and row.method and row.score is not None:
            screened[app_id] = (row.method, float(row.score))
    return fit_calibrator(tracked_outcomes(reports, screened, now=now, no_answer_days=no_answer_days))


def screening_of(row: ScreeningRow) -> Screening:
    """The screening a record holds, with its components."""
    return Screening(
        posting_id=row.posting_id or "",
        score=row.score or 0,
        probability=row.probability or "Low",  # type: ignore[arg-type]  # written from a Probability
        reasons=row.reasons,
        matched_skills=row.matched_skills,
        missing_skills=row.missing_skills,
        deal_breakers=row.deal_breakers,
        components=row.components,
        method=row.method or "",
        stage=row.stage or 1,
        prompt_version=row.prompt_version,
    )


def top_matches(rows: list[ScreeningRow], limit: int) -> list[ScreeningRow]:
    """The High matches that get dossiers and packages, best first, at most ``limit`` per search."""
    high = [r for r in rows if r.probability == "High"]
    return sorted(high, key=lambda r: (-(r.score or 0), r.posting_id or ""))[:limit]
