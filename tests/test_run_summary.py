"""The operator's summary after ``jobland run``: a package its grounding refused is said, with why."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from jobland_pipeline.generation.records import APPLICATION_PACKAGES, ApplicationPackageRow
from jobland_pipeline.profiles.models import TitleSuggestion
from jobland_pipeline.profiles.records import SUGGESTED_TITLES
from jobland_pipeline.profiles.stage import title_records
from jobland_pipeline.warehouse import Warehouse
from sensors.local_run import summary_rows

DAY = date(2026, 12, 7)


def _package(posting: str, *, grounded: bool, issues: list[str]) -> ApplicationPackageRow:
    return ApplicationPackageRow(
        search_key="ana::icu-nurse",
        user_id="ana",
        posting_id=posting,
        application_id=f"ana:{posting}",
        title="ICU Nurse",
        company="Mercy Heights",
        grounded=grounded,
        review_status="ready_for_review" if grounded else "rejected",
        issues=issues,
        created_at=datetime(2026, 12, 7, 6, tzinfo=UTC),
    )


def test_refused_packages_are_counted_and_the_first_reason_given(tmp_path: Path) -> None:
    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    title = TitleSuggestion(
        title="ICU Nurse", slug="icu-nurse", display_title="ICU Nurse", score=90, reason="r"
    )
    store.write_records(SUGGESTED_TITLES, "ana", title_records("ana", [title]))
    store.write_records(
        APPLICATION_PACKAGES,
        "ana::icu-nurse",
        [
            _package("p1", grounded=True, issues=[]),
            _package("p2", grounded=False, issues=["tailored CV: contact not in the CV: x@example.org"]),
            _package("p3", grounded=False, issues=[]),
        ],
    )
    (row,) = summary_rows(store, DAY)
    assert (row.user, row.packages) == ("ana", 3)
    assert row.refused == ["tailored CV: contact not in the CV: x@example.org", "not grounded"]


def test_approving_a_refused_package_says_it_is_never_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from jobland_cli import main as jobland

    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    store.write_records(
        APPLICATION_PACKAGES,
        "ana::icu-nurse",
        [_package("p2", grounded=False, issues=["tailored CV: contact not in the CV: x@example.org"])],
    )
    monkeypatch.setenv("JOBLAND_HOME", str(tmp_path))
    assert jobland(["review", "approve", "ana:p2"]) == 0
    out = capsys.readouterr()
    assert "ana:p2: approved" in out.out
    assert "never sent, approved or not (tailored CV: contact not in the CV: x@example.org)" in out.err


def test_a_package_waits_again_once_it_carries_the_revision_note() -> None:
    """Approved or rejected since it was made: no longer waiting. Asked for a revision: waiting
    again as soon as a package with that note exists, even one reused from before (older time)."""
    from jobland_pipeline.delivery.review import Decision, decided_since

    made = datetime(2026, 12, 7, 6, tzinfo=UTC)
    later = datetime(2026, 12, 7, 9, tzinfo=UTC)
    approved = {"ana:p1": Decision("approved", None, "user", later)}
    assert decided_since("ana:p1", made, None, approved)
    assert not decided_since("ana:p1", datetime(2026, 12, 7, 10, tzinfo=UTC), None, approved)
    revise = {"ana:p1": Decision("revision_requested", "Lead with ICU", "user", later)}
    assert decided_since("ana:p1", made, None, revise)  # not made again yet
    assert not decided_since("ana:p1", made, "Lead with ICU", revise)  # reused with the note: waits
    assert not decided_since("ana:p2", made, None, revise)
