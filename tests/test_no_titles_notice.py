"""A CV that names no job to search for: the person is told once, the day it is read, what to do.

Before, such a user (a portal export whose designation is "HR", a CV of degrees only) got no search,
no package and no e-mail, day after day, and only the operator's asset check said why. Runs through
the real delivery path: ``DailyDigests`` over a local warehouse, claims and outbox.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from jobland_pipeline.delivery.claims import open_claims
from jobland_pipeline.delivery.digest import build_digest
from jobland_pipeline.delivery.mailer import Mailer
from jobland_pipeline.digest_day import DailyDigests
from jobland_pipeline.profiles import build_profile
from jobland_pipeline.profiles.records import PROFILES, SUGGESTED_TITLES, ProfileRow
from jobland_pipeline.profiles.stage import title_records
from jobland_pipeline.profiles.titles import suggest_titles
from jobland_pipeline.profiles.user_settings import UserSettings
from jobland_pipeline.warehouse import Warehouse

TODAY = date(2026, 12, 8)
CV = "Education Details\nMBA  Pune University\nHR\n\nSkill Details\nHr Operations- Experience - 6 months\nCompany Details\ncompany - \ndescription - \n"


def _profile_row(user: str, built: date, *, cv: str | None = CV, language: str = "en") -> ProfileRow:
    profile = build_profile(cv or "", user_id=user, language=language, as_of=built)
    return ProfileRow(
        user_id=user,
        language=profile.language,
        profile_json=profile.model_dump_json(),
        cv_sha256="ab" * 32 if cv is not None else None,
        built_at=datetime(built.year, built.month, built.day, 6, tzinfo=UTC),
    )


def _deliver(tmp_path: Path, rows: list[ProfileRow], *, titles: dict[str, list[str]] | None = None) -> dict:
    store = Warehouse(tmp_path / "wh", tmp_path / "wh.duckdb")
    for row in rows:
        store.write_records(PROFILES, str(row.user_id), [row])
    for user, names in (titles or {}).items():
        profile = build_profile("\n".join(["Jane Doe", *names]), user_id=user, as_of=TODAY)
        store.write_records(SUGGESTED_TITLES, user, title_records(user, suggest_titles(profile)))
    claims = open_claims("local", tmp_path / "outbox", {})
    try:
        day = DailyDigests(
            store,
            claims,
            Mailer(tmp_path / "outbox", "jobland@example.org"),
            lambda user: UserSettings(email=f"{user}@example.com"),
            [str(r.user_id) for r in rows],
            TODAY,
        )
        return {user: day.deliver(user) for user in day.users}
    finally:
        claims.close()


def _message(path: str | None) -> EmailMessage:
    msg = message_from_bytes(Path(str(path)).read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_a_cv_read_today_that_names_no_job_gets_one_notice(tmp_path: Path) -> None:
    out = _deliver(tmp_path, [_profile_row("asha", TODAY)])
    row = out["asha"]
    assert row.status == "written" and row.application_ids == []
    msg = _message(row.eml_path)
    assert msg["Subject"] == "JobLand: no job title to search for in your CV (2026-12-08)"
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "found no job title in it to search for" in text.get_content()
    assert "pinned_titles" in text.get_content() and "settings.yaml" in html.get_content()
    assert list(msg.iter_attachments()) == []


@pytest.mark.parametrize(
    ("built", "cv", "titles", "why"),
    [
        (TODAY - timedelta(days=1), CV, None, "the CV was read yesterday: told then, not every day"),
        (TODAY, None, None, "settings without a CV: no CV to fault"),
        (TODAY, CV, ["Registered Nurse"], "the CV has a title: searches run"),
    ],
)
def test_no_notice_otherwise(
    tmp_path: Path, built: date, cv: str | None, titles: list[str] | None, why: str
) -> None:
    out = _deliver(
        tmp_path, [_profile_row("asha", built, cv=cv)], titles={"asha": titles} if titles else None
    )
    assert out["asha"].status == "no_packages", why
    assert not list((tmp_path / "outbox").rglob("*.eml")), why


def test_the_notice_in_chinese() -> None:
    msg = build_digest(
        user_id="wang",
        name=None,
        recipient="wang@example.com",
        sender="jobland@example.org",
        day=TODAY,
        items=[],
        language="zh",
        no_titles=True,
    )
    assert msg["Subject"] == "JobLand：未能从您的简历中找到可搜索的职位名称（2026-12-08）"
    body = msg.get_body(preferencelist=("plain",))
    assert (
        body is not None
        and "pinned_titles" in body.get_content()
        and "没有找到可用于搜索的职位名称" in body.get_content()
    )
