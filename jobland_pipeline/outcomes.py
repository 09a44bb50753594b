"""What became of the applications, read from the warehouse, as the screening calibration's input.

It sits above ``warehouse`` (it reads the packages, the tracker and the screenings of every user), so
``screening`` itself stays a lower layer that knows nothing of storage or delivery.
"""

from __future__ import annotations

from datetime import datetime

from jobland_pipeline.delivery.records import (
    APPLICATION_STATUS_HISTORY,
    APPLICATION_STATUS_UPDATES,
    APPLICATION_TRACKER,
    ApplicationStatusHistoryRow,
    ApplicationStatusUpdateRow,
)
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from jobland_pipeline.screening.calibration import (
    NO_ANSWER_DAYS,
    Calibrator,
    StatusReport,
    fit_calibrator,
    tracked_outcomes,
)
from jobland_pipeline.screening.records import SCREENINGS
from jobland_pipeline.warehouse.store import Warehouse


def load_calibrator(store: Warehouse, *, now: datetime, no_answer_days: int = NO_ANSWER_DAYS) -> Calibrator:
    """The calibrations fitted on every tracked application that has settled (all users pooled: one
    user's dozen applications say little, a method's hundreds do).

    Each application's method and score come from its screening row (found through its package's
    search), its story from the user's reports and the tracker's history.
    """
    search_of = _search_of_applications(store)
    reports = _status_reports(store, now=now)
    tracked = {r.application_id for r in reports}
    searches = sorted({search_of[a] for a in tracked if a in search_of})
    screened = _screened(store, searches, tracked, now=now)
    return fit_calibrator(tracked_outcomes(reports, screened, now=now, no_answer_days=no_answer_days))


def _search_of_applications(store: Warehouse) -> dict[str, str]:
    """Application id -> the search its package came from: the partition that holds its screening."""
    packages = store.read_records(APPLICATION_PACKAGES)
    return {str(p.application_id): str(p.search_key) for p in packages if p.search_key}


def _status_reports(store: Warehouse, *, now: datetime) -> list[StatusReport]:
    """Every status an application went through: the user's reports, the history, the tracker's current
    one (a status without a time counts as of ``now``)."""
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
    return reports


def _screened(
    store: Warehouse, searches: list[str], tracked: set[str], *, now: datetime
) -> dict[str, tuple[str, float]]:
    """Each tracked application's screening method and score, from the latest screening that has both."""
    screened: dict[str, tuple[str, float]] = {}
    rows = store.read_records(SCREENINGS, searches) if searches else []
    for row in sorted(rows, key=lambda r: r.screened_at or now):  # the latest screening wins
        app_id = f"{row.user_id}:{row.posting_id}"
        if app_id in tracked and row.method and row.score is not None:
            screened[app_id] = (row.method, float(row.score))
    return screened
