"""The digest's optional parts reach the e-mail through the real delivery path: ``deliver_digest``
given :func:`digest_options` writes an ``.eml`` whose subject says the packages were approved
automatically and how many could not be made, whose lines give the pay seen, and which lists the
failed package."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from jobland_pipeline.delivery.claims import open_claims
from jobland_pipeline.delivery.digest import digest_options
from jobland_pipeline.delivery.mailer import Mailer
from jobland_pipeline.delivery.records import EmailDigestRow
from jobland_pipeline.delivery.stage import Ledger, deliver_digest
from jobland_pipeline.generation.records import ApplicationPackageRow
from jobland_pipeline.postings.records import JobPostingRow
from tests.builders import package_row

DAY = date(2026, 12, 7)


def _package(tmp_path: Path, pid: str, **kw) -> ApplicationPackageRow:  # type: ignore[no-untyped-def]
    folder = tmp_path / "packages" / pid
    folder.mkdir(parents=True)
    (folder / "tailored_cv.md").write_text("# CV\n", encoding="utf-8")
    fields = {
        "url": f"https://jobs.example/{pid}",
        "score": 90,
        "probability": "High",
        "package_dir": str(folder),
    }
    return package_row(pid, **{**fields, **kw})


def _deliver(
    tmp_path: Path,
    packages: list[ApplicationPackageRow],
    day: date = DAY,
    *,
    postings: list[JobPostingRow] | None = None,
    auto_approve: bool | None = None,
    record: Callable[[EmailDigestRow], None] = lambda _row: None,
) -> EmailDigestRow:
    """``deliver_digest`` for jane with :func:`digest_options`, as the delivery asset calls them."""
    mailer = Mailer(tmp_path / "outbox", "jobland@example.org")
    claims = open_claims("local", tmp_path / "outbox", {})
    options = digest_options(
        "jane", packages=packages, postings=postings or [], day=day, sent=(), auto_approve=auto_approve
    )
    try:
        return deliver_digest(
            "jane",
            packages=packages,
            ledger=Ledger.of([]),
            profile=None,
            recipient="jane@example.com",
            mailer=mailer,
            record=record,
            today=day,
            claims=claims,
            digest_options=options,
        )
    finally:
        claims.close()


def test_deliver_digest_writes_pay_failed_packages_and_auto_approval(tmp_path: Path) -> None:
    packages = [
        _package(tmp_path, "ok"),
        _package(tmp_path, "held", grounded=False, issues=["'10 years' is not in the CV"]),
    ]
    postings = [
        JobPostingRow(
            search_key="jane::icu-nurse",
            posting_id="ok",
            title="ICU Nurse",
            location="Chicago, IL",
            salary_min=78_000,
            salary_max=92_000,
            salary_currency="USD",
            salary_period="year",
        )
    ]
    rows: list[EmailDigestRow] = []
    row = _deliver(tmp_path, packages, postings=postings, auto_approve=True, record=rows.append)
    assert row.status == "written" and row.application_ids == ["jane:ok"]
    assert rows == [row]
    msg = message_from_bytes(Path(str(row.eml_path)).read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    expected = "JobLand: 1 application package, approved automatically — 1 could not be made (2026-12-07)"
    assert msg["Subject"] == expected
    assert row.subject == expected
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Pay seen for this title in Chicago" in text and "$78,000–92,000 a year (from 1 posting)" in text
    assert "Not made today:" in text
    assert "- ICU Nurse — Hospital held: it stated something your CV does not" in text
    assert [p.get_filename() for p in msg.iter_attachments()] == ["Hospital ok--ICU Nurse.zip"]


def test_every_package_held_back_still_tells_the_user_why(tmp_path: Path) -> None:
    """A user whose every package failed the grounding check hears why (before: no e-mail at all)."""
    packages = [
        _package(tmp_path, "held1", grounded=False, issues=["contact 'jane@work.example' is not in the CV"]),
        _package(tmp_path, "held2", title="Charge Nurse", grounded=False, issues=["'ACLS' is not in the CV"]),
    ]
    row = _deliver(tmp_path, packages)
    assert row.status == "written" and row.application_ids == []
    msg = message_from_bytes(Path(str(row.eml_path)).read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["Subject"] == "JobLand: 2 application packages could not be made today (2026-12-07)"
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "could not make their application packages" in text
    assert "Each attachment" not in text and "0 application packages" not in text
    assert "- ICU Nurse — Hospital held1: it stated something your CV does not, so it was held back" in text
    assert "(contact 'jane@work.example' is not in the CV)" in text
    assert "- Charge Nurse — Hospital held2:" in text and "('ACLS' is not in the CV)" in text
    assert list(msg.iter_attachments()) == []
    html = msg.get_body(preferencelist=("html",))
    assert html is not None and "Today" not in html.get_content()  # no empty packages heading
    assert "Not made today" in html.get_content()


def test_nothing_made_and_nothing_failed_sends_nothing(tmp_path: Path) -> None:
    """Yesterday's held-back package is not news today: no digest."""
    held = _package(tmp_path, "held", grounded=False, issues=["'ACLS' is not in the CV"])
    row = _deliver(tmp_path, [held], day=date(2026, 12, 8))
    assert row.status == "no_packages"
    assert not (tmp_path / "outbox").exists() or not list((tmp_path / "outbox").rglob("*.eml"))


def test_a_digest_of_failures_only_found_after_a_kill_is_not_taken_for_the_packages_due_since(
    tmp_path: Path,
) -> None:
    """The run wrote the failures-only digest and was killed before its claim said so; by the next
    run a package is due. The file holds no package: the ledger must not say it sent one."""
    from jobland_pipeline.delivery.claims import ClaimState

    held = _package(tmp_path, "held", grounded=False, issues=["'ACLS' is not in the CV"])
    first = _deliver(tmp_path, [held])
    assert first.status == "written" and first.application_ids == []
    claims = open_claims("local", tmp_path / "outbox", {})
    try:  # as the killed run left it: claimed, the file written, no ledger row
        with claims.claim("jane", DAY, wait=1) as claim:
            assert claim is not None
            claim.mark(ClaimState("claimed", first.message_id, first.subject, ()))
    finally:
        claims.close()
    ok = _package(tmp_path, "ok")
    again = _deliver(tmp_path, [held, ok])
    assert again.status == "written" and again.application_ids == []
    assert again.message_id == first.message_id
    # ... and a later run with the ledger row sends the package the next day, not as "sent" today.
    assert "jane:ok" not in Ledger.of([first, again]).sent
