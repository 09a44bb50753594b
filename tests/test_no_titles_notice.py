"""A CV that names no job to search for: the person is told once per CV what to do.

Before, such a user (a portal export whose designation is "HR", a CV of degrees only) got no search,
no package and no e-mail, day after day, and only the operator's asset check said why. Runs through
the real delivery path: ``DailyDigests`` over a local warehouse, claims and outbox, day after day as
the daily schedule delivers (the CV may have been read at any hour before).
"""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from jobland_pipeline.delivery.claims import open_claims
from jobland_pipeline.delivery.digest import build_digest
from jobland_pipeline.delivery.mailer import Mailer
from jobland_pipeline.delivery.records import EmailDigestRow
from jobland_pipeline.delivery.smtp import SmtpConfig
from jobland_pipeline.delivery.webhooks import NOTHING_TO_DELIVER, event_type
from jobland_pipeline.digest_day import DailyDigests
from jobland_pipeline.profiles import build_profile
from jobland_pipeline.profiles.records import PROFILES, SUGGESTED_TITLES, ProfileRow
from jobland_pipeline.profiles.stage import title_records
from jobland_pipeline.profiles.titles import suggest_titles
from jobland_pipeline.profiles.user_settings import UserSettings
from jobland_pipeline.warehouse import Warehouse

DAY = date(2026, 12, 8)
CV = (
    "Education Details\nMBA  Pune University\nHR\n\nSkill Details\nHr Operations- Experience - 6 months\n"
    "Company Details\ncompany - \ndescription - \n"
)
SUBJECT = "JobLand: no job title to search for in your CV ({day})"


class Desk:
    """One user's warehouse, claims and outbox, delivered day by day."""

    def __init__(self, root: Path, user: str = "asha") -> None:
        self.root, self.user = root, user
        self.store = Warehouse(root / "wh", root / "wh.duckdb")

    def read_cv(
        self, *, at: datetime, cv: str | None = CV, sha: str = "ab" * 32, titles: bool = True
    ) -> None:
        """The intake: the profile (built ``at``), then, unless ``titles`` is False (the step still
        queued), the titles step's partition, empty when the CV names no job."""
        profile = build_profile(cv or "", user_id=self.user, as_of=at.date())
        row = ProfileRow(
            user_id=self.user,
            language=profile.language,
            profile_json=profile.model_dump_json(),
            cv_sha256=sha if cv is not None else None,
            built_at=at,
        )
        self.store.write_records(PROFILES, self.user, [row])
        if titles:
            found = title_records(self.user, suggest_titles(profile))
            self.store.write_records(SUGGESTED_TITLES, self.user, found)

    def deliver(self, day: date, mailer: Mailer | None = None) -> EmailDigestRow:
        claims = open_claims("local", self.root / "outbox", {})
        try:
            digests = DailyDigests(
                self.store,
                claims,
                mailer or Mailer(self.root / "outbox", "jobland@example.org"),
                lambda user: UserSettings(email=f"{user}@example.com"),
                [self.user],
                day,
            )
            return digests.deliver(self.user)
        finally:
            claims.close()


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _message(path: str | None) -> EmailMessage:
    msg = message_from_bytes(Path(str(path)).read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_a_cv_that_names_no_job_gets_one_notice_at_the_next_delivery(tmp_path: Path) -> None:
    """Read at 10:00, after the day's 08:00 delivery: told at the next one, then never again."""
    desk = Desk(tmp_path)
    desk.read_cv(at=_at(DAY, 10))
    first = desk.deliver(DAY + timedelta(days=1))
    assert first.status == "written" and first.application_ids == []
    msg = _message(first.eml_path)
    assert msg["Subject"] == SUBJECT.format(day=DAY + timedelta(days=1))
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "found no job title in it to search for" in text.get_content()
    assert "pinned_titles" in text.get_content() and "settings.yaml" in html.get_content()
    assert list(msg.iter_attachments()) == []
    assert desk.deliver(DAY + timedelta(days=2)).status == "no_packages"  # told once
    # the webhook event says nothing was delivered, not "delivered"
    assert event_type({"digest": "written", "digest_packages": 0}, [], False) == NOTHING_TO_DELIVER


def test_a_new_cv_that_names_no_job_is_told_again_and_settings_alone_are_not(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    desk.read_cv(at=_at(DAY, 6))
    assert desk.deliver(DAY).status == "written"
    desk.read_cv(at=_at(DAY, 20))  # the same CV read again (new settings): not told again
    assert desk.deliver(DAY + timedelta(days=1)).status == "no_packages"
    desk.read_cv(at=_at(DAY + timedelta(days=1), 20), sha="cd" * 32)  # another CV, no job in it either
    assert desk.deliver(DAY + timedelta(days=2)).status == "written"
    other = Desk(tmp_path / "other")
    other.read_cv(at=_at(DAY, 6), cv=None)  # settings without a CV: no CV to fault
    assert other.deliver(DAY).status == "no_packages"


def test_no_notice_while_the_titles_step_has_not_run_or_when_it_found_titles(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    desk.read_cv(at=_at(DAY, 7), titles=False)  # the profile is in, its titles step still queued
    assert desk.deliver(DAY).status == "no_packages"
    assert not list((tmp_path / "outbox").rglob("*.eml"))
    nurse = Desk(tmp_path / "nurse")
    nurse.read_cv(at=_at(DAY, 7), cv="Jane Doe\nRegistered Nurse\nExperience\n")
    assert nurse.deliver(DAY).status == "no_packages"


def _closed_port() -> int:
    with socket.socket() as sock:  # bound, then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_notice_that_could_not_go_is_tried_again_the_next_day(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    desk.read_cv(at=_at(DAY, 6))
    down = SmtpConfig("127.0.0.1", _closed_port(), security="none", timeout=2, max_retries=0)
    failed = desk.deliver(DAY, Mailer(tmp_path / "outbox", "jobland@example.org", smtp=down))
    assert failed.status == "failed"
    again = desk.deliver(DAY + timedelta(days=1))
    assert again.status == "written"
    assert _message(again.eml_path)["Subject"] == SUBJECT.format(day=DAY + timedelta(days=1))


def test_the_notice_in_chinese() -> None:
    msg = build_digest(
        user_id="wang",
        name=None,
        recipient="wang@example.com",
        sender="jobland@example.org",
        day=DAY,
        items=[],
        language="zh",
        no_titles="no-titles:" + "ab" * 32,
    )
    assert msg["Subject"] == "JobLand：未能从您的简历中找到可搜索的职位名称（2026-12-08）"
    body = msg.get_body(preferencelist=("plain",))
    assert (
        body is not None
        and "pinned_titles" in body.get_content()
        and "没有找到可用于搜索的职位名称" in body.get_content()
    )
