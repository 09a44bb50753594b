"""The screening stage: the postings of one search scored against the user -> screening records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.screening.calibration import Calibrator
from jobland_pipeline.screening.models import Screening
from jobland_pipeline.screening.records import ScreeningRow
from jobland_pipeline.screening.reuse import plan

Screen = Callable[[list[Posting]], list[Screening]]  # the engine's screen, bound to one user and search


def screen_search(
    key: str,
    postings: list[Posting],
    screen: Screen,
    *,
    now: datetime,
    calibrator: Calibrator | None = None,
    previous: Sequence[ScreeningRow] = (),
    basis: str | None = None,
    whole_search: bool = False,
) -> list[ScreeningRow]:
    """One record per posting (in the postings' order), with the evidence (components) behind each score
    and the chance of an interview its method's calibration gives (the prior without ``calibrator``).

    Only the postings that need it reach ``screen``: with ``previous`` (the partition's last screening)
    and ``basis`` (see :func:`reuse.screening_basis`), a posting whose content and basis are unchanged
    keeps its previous row (``screened_as = reused``, its ``scored_at`` kept). The interview chance is
    applied again to every row, reused ones too: it moves with the outcomes the tracker settles, not
    with the posting, and costs nothing to recompute. ``whole_search``: reuse is all or nothing per
    search (see :func:`reuse.plan`), for engines whose judge picks the search's best postings.
    """
    user_id, _ = split_search_key(key)
    todo = plan(postings, previous, basis, whole_search=whole_search)
    scored = {s.posting_id: s for s in (screen(todo.to_score) if todo.to_score else [])}
    rows: list[ScreeningRow] = []
    for posting in postings:
        reused = todo.reused.get(posting.id)
        if reused is not None:
            row = reused.model_copy(update={"search_key": key, "user_id": user_id, "screened_at": now})
        elif posting.id in scored:
            row = _row(key, user_id, posting, scored[posting.id], now=now, basis=basis)
        else:
            continue  # the engine returned no screening for it: one_row_per_posting reports the gap
        row.screened_as = todo.screened_as[posting.id]
        row.content_hash = todo.hashes[posting.id]
        rows.append(row)
    calibrator = calibrator or Calibrator({})
    for row in rows:
        cal = calibrator.of(row.method or "")
        row.interview_chance = cal.chance(row.score or 0, row.probability or "Low")
        row.chance_basis = cal.basis
        row.calibration_version = cal.version
    return rows


def _row(
    key: str, user_id: str, posting: Posting, s: Screening, *, now: datetime, basis: str | None
) -> ScreeningRow:
    return ScreeningRow(
        search_key=key,
        user_id=user_id,
        posting_id=s.posting_id,
        title=posting.title,
        company=posting.company,
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
        scored_at=now,
        screening_basis=basis,
    )


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
