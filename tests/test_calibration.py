"""The interview chance: outcomes from the tracker, curves fitted per method, the prior until enough."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from jobland_pipeline.delivery.records import (
    APPLICATION_STATUS_HISTORY,
    APPLICATION_STATUS_UPDATES,
    ApplicationStatusHistoryRow,
    ApplicationStatusUpdateRow,
)
from jobland_pipeline.generation.records import APPLICATION_PACKAGES, ApplicationPackageRow
from jobland_pipeline.outcomes import load_calibrator
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.screening.calibration import (
    MIN_OUTCOMES,
    PRIORS,
    Calibrator,
    Outcome,
    StatusReport,
    brier_score,
    expected_calibration_error,
    fit_calibration,
    fit_calibrator,
    reliability_markdown,
    tracked_outcomes,
)
from jobland_pipeline.screening.models import Screening
from jobland_pipeline.screening.records import SCREENINGS, ScreeningRow
from jobland_pipeline.screening.stage import screen_search
from jobland_pipeline.warehouse import Warehouse

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
METHOD = "offline-screen-2"


def true_chance(score: np.ndarray) -> np.ndarray:
    """A known monotone curve: about 3 % at 40, 50 % at 100."""
    return 0.5 / (1 + np.exp(-(score - 85) / 8.0))


def draw(n: int, seed: int = 3) -> list[Outcome]:
    rng = np.random.default_rng(seed)
    scores = np.round(rng.uniform(40, 100, size=n))
    hits = rng.random(n) < true_chance(scores)
    return [
        Outcome(f"u:{i}", METHOD, float(s), bool(h))
        for i, (s, h) in enumerate(zip(scores, hits, strict=True))
    ]


@pytest.mark.parametrize("kind", ["platt", "isotonic"])
def test_a_known_monotone_curve_is_recovered(kind: str) -> None:
    cal = fit_calibration(METHOD, draw(4000), kind=kind)  # type: ignore[arg-type]
    assert cal.kind == kind and cal.n_outcomes == 4000
    assert cal.basis == f"{kind} on 4000 outcomes"
    grid = np.arange(45.0, 100.0, 5.0)
    got = cal.chances(grid, ["High"] * len(grid))
    assert np.max(np.abs(got - true_chance(grid))) < 0.07, list(
        zip(grid, got, true_chance(grid), strict=True)
    )
    assert np.all(np.diff(got) >= -1e-9)  # monotone: a higher score never lowers the chance


def test_the_default_kind_is_platt_for_few_outcomes_and_isotonic_for_many() -> None:
    assert fit_calibration(METHOD, draw(120)).kind == "platt"
    assert fit_calibration(METHOD, draw(800)).kind == "isotonic"


def test_fewer_outcomes_than_the_minimum_give_the_stated_prior() -> None:
    few = draw(4000)[: MIN_OUTCOMES - 1]
    assert {o.interviewed for o in few} == {True, False}  # both kinds, still too few
    cal = fit_calibration(METHOD, few)
    assert cal.kind == "prior" and cal.version == "prior-1"
    assert cal.basis == f"prior ({MIN_OUTCOMES - 1} outcomes, too few)"
    assert cal.chance(92, "High") == PRIORS["High"] == 0.20
    assert cal.chance(55, "Medium") == PRIORS["Medium"]
    assert cal.chance(10, "Low") == PRIORS["Low"]


def test_enough_outcomes_of_one_kind_only_give_the_prior() -> None:
    one_sided = [Outcome(f"u:{i}", METHOD, 50.0 + i, i < 2) for i in range(40)]  # 2 interviews of 40
    assert fit_calibration(METHOD, one_sided).kind == "prior"
    mixed = [Outcome(f"u:{i}", METHOD, 50.0 + i, i % 4 == 0) for i in range(40)]  # 10 of 40
    assert fit_calibration(METHOD, mixed).kind == "platt"


def test_each_method_has_its_own_curve() -> None:
    outcomes = draw(300) + [Outcome(f"v:{i}", "llm:gpt-x", 80.0, i % 2 == 0) for i in range(10)]
    calibrator = fit_calibrator(outcomes)
    assert calibrator.of(METHOD).kind == "platt"
    assert calibrator.of("llm:gpt-x").basis == "prior (10 outcomes, too few)"
    assert calibrator.of("never-tracked").basis == "prior"


def test_the_fitted_curve_beats_the_prior_on_held_out_outcomes() -> None:
    cal = fit_calibration(METHOD, draw(400, seed=1))
    test = draw(20000, seed=2)
    scores = [o.score for o in test]
    observed = [o.interviewed for o in test]
    bands = ["High" if s >= 70 else "Medium" if s >= 50 else "Low" for s in scores]
    prior = fit_calibration(METHOD, []).chances(scores, bands)
    fitted = cal.chances(scores, bands)
    assert brier_score(fitted, observed) < brier_score(prior, observed)
    assert expected_calibration_error(fitted, observed) < 0.03 < expected_calibration_error(prior, observed)


def test_outcomes_from_the_tracker() -> None:
    day = timedelta(days=1)
    reports = [
        StatusReport("u:a", "applied", NOW - 30 * day),
        StatusReport("u:a", "interviewing", NOW - 20 * day),  # yes
        StatusReport("u:b", "offer", NOW - 2 * day),  # yes (an offer without a reported interview)
        StatusReport("u:c", "applied", NOW - 10 * day),
        StatusReport("u:c", "rejected", NOW - 5 * day),  # no
        StatusReport("u:d", "applied", NOW - 22 * day),  # no answer for 22 days: no
        StatusReport("u:e", "applied", NOW - 5 * day),  # still open
        StatusReport("u:f", "sent", NOW - 60 * day),  # never applied: open
        StatusReport("u:g", "interviewing", NOW - 1 * day),  # no screening: cannot be attributed
    ]
    screened = {f"u:{k}": (METHOD, 70.0 + i) for i, k in enumerate("abcdef")}
    got = {o.application_id: (o.interviewed, o.score) for o in tracked_outcomes(reports, screened, now=NOW)}
    assert got == {"u:a": (True, 70.0), "u:b": (True, 71.0), "u:c": (False, 72.0), "u:d": (False, 73.0)}
    # With a shorter patience the five-day-old application is a no too.
    shorter = tracked_outcomes(reports, screened, now=NOW, no_answer_days=5)
    assert {o.application_id for o in shorter if not o.interviewed} == {"u:c", "u:d", "u:e"}


def _screening(posting_id: str, score: int) -> Screening:
    return Screening(
        posting_id=posting_id,
        score=score,
        probability="High" if score >= 70 else "Medium" if score >= 50 else "Low",
        reasons=[],
        matched_skills=[],
        missing_skills=[],
        deal_breakers=[],
        components={},
        method=METHOD,
    )


def _posting(posting_id: str) -> Posting:
    return Posting(id=posting_id, title="Nurse", company="Acme", description="x", source="test")


def test_each_row_records_its_chance_its_basis_and_the_calibration_version() -> None:
    postings = [_posting("p1"), _posting("p2")]
    prior_rows = screen_search(
        "ann::nurse", postings, lambda ps: [_screening("p1", 90), _screening("p2", 55)], now=NOW
    )
    assert [(r.interview_chance, r.chance_basis, r.calibration_version) for r in prior_rows] == [
        (0.20, "prior", "prior-1"),
        (0.08, "prior", "prior-1"),
    ]
    calibrator = fit_calibrator(draw(400))
    rows = screen_search(
        "ann::nurse",
        postings,
        lambda ps: [_screening("p1", 90), _screening("p2", 55)],
        now=NOW,
        calibrator=calibrator,
    )
    cal = calibrator.of(METHOD)
    assert rows[0].chance_basis == "platt on 400 outcomes"
    assert rows[0].calibration_version == cal.version and re.fullmatch(r"platt-[0-9a-f]{10}", cal.version)
    assert rows[0].interview_chance == pytest.approx(float(true_chance(np.array([90.0]))[0]), abs=0.07)
    assert rows[1].interview_chance is not None and rows[1].interview_chance < 0.06


def test_the_calibrator_reads_outcomes_from_the_warehouse(tmp_path: Path) -> None:
    """Packages tie applications to searches, screenings give method and score, the user's reports and
    the tracker's history say what happened: 40 settled applications fit a curve, 5 open ones do not count."""
    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    key = "ann::registered-nurse"
    outcomes = draw(45, seed=11)
    store.write_records(
        SCREENINGS,
        key,
        [
            ScreeningRow(
                search_key=key,
                user_id="ann",
                posting_id=f"p{i}",
                score=int(o.score),
                method=METHOD,
                screened_at=NOW,
            )
            for i, o in enumerate(outcomes)
        ],
    )
    store.write_records(
        APPLICATION_PACKAGES,
        key,
        [
            ApplicationPackageRow(
                search_key=key, user_id="ann", posting_id=f"p{i}", application_id=f"ann:p{i}"
            )
            for i in range(45)
        ],
    )
    applied = NOW - timedelta(days=40)
    updates = [
        ApplicationStatusUpdateRow(application_id=f"ann:p{i}", status="applied", at=applied)
        for i in range(45)
    ]
    updates += [
        ApplicationStatusUpdateRow(
            application_id=f"ann:p{i}", status="interviewing", at=applied + timedelta(days=3)
        )
        for i, o in enumerate(outcomes[:40])
        if o.interviewed
    ]
    store.append_records(APPLICATION_STATUS_UPDATES, updates, group="ann")
    store.append_records(
        APPLICATION_STATUS_HISTORY,
        [
            ApplicationStatusHistoryRow(application_id=f"ann:p{i}", user_id="ann", status="rejected", at=NOW)
            for i in range(40, 45)
        ],
        group="ann",
    )
    # Five of the applications were applied to only a week ago and heard nothing: still open.
    late = [
        ApplicationStatusUpdateRow(application_id=f"ann:p{i}", status="applied", at=NOW - timedelta(days=7))
        for i in range(45, 50)
    ]
    store.append_records(APPLICATION_STATUS_UPDATES, late, group="ann")

    calibrator = load_calibrator(store, now=NOW)
    assert len(calibrator.outcomes) == 45
    assert sum(o.interviewed for o in calibrator.outcomes) == sum(o.interviewed for o in outcomes[:40])
    assert calibrator.of(METHOD).basis == "platt on 45 outcomes"
    assert (
        load_calibrator(Warehouse(tmp_path / "empty", tmp_path / "e.duckdb"), now=NOW).of(METHOD).basis
        == "prior"
    )


def test_the_reliability_plot_is_an_inline_png() -> None:
    text = reliability_markdown(fit_calibrator(draw(200)))
    assert f"**{METHOD}**: platt on 200 outcomes" in text
    assert "prior Brier" in text and "platt (in-sample) Brier" in text
    data = re.search(r"\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", text)
    assert data is not None
    assert base64.b64decode(data.group(1))[:8] == b"\x89PNG\r\n\x1a\n"
    assert "No settled outcomes yet" in reliability_markdown(Calibrator({}))
