"""The screening stage: the postings of one search scored against the user -> screening records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.screening.calibration import Calibrator
from jobland_pipeline.screening.models import Screening
from jobland_pipeline.screening.records import ScreeningRow

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
