"""The digest as its reader gets it: subject, date, attachment names, language, styling, escaping,
failed packages and the pay seen (issue 12 "Outputs people read", issue 16 item 7)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

from jobland_pipeline.delivery.digest import (
    DigestItem,
    FailedPackage,
    build_digest,
    digest_options,
    failed_packages,
)
from jobland_pipeline.delivery.pay import PayRange, pay_by_posting, place_key
from jobland_pipeline.generation.records import ApplicationPackageRow
from jobland_pipeline.postings.records import JobPostingRow
from tests.builders import package_row

DAY = date(2026, 12, 7)


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "tailored_cv.md").write_text("# CV\n", encoding="utf-8")
    (folder / "cover_letter.md").write_text("Letter\n", encoding="utf-8")
    return folder


def _item(
    tmp_path: Path, key: str, title: str, company: str, location: str = "Chicago, IL", **kw
) -> DigestItem:  # type: ignore[no-untyped-def]
    fields = {
        "posting_id": key,
        "title": title,
        "company": company,
        "location": location,
        "score": 82,
        "probability": "High",
        "reasons": ["You have 5 of the 6 skills"],
        "url": f"https://jobs.example/{key}",
        "package_dir": _folder(tmp_path, f"pkg-{key}"),
    }
    fields.update(kw)
    return DigestItem(**fields)  # type: ignore[arg-type]


def _digest(items: list[DigestItem], **kw) -> EmailMessage:  # type: ignore[no-untyped-def]
    args = {
        "user_id": "jane",
        "name": "Jane Doe",
        "recipient": "jane@example.com",
        "sender": "jobland@example.org",
        "day": DAY,
        "items": items,
    }
    args.update(kw)
    raw = build_digest(**args).as_bytes()  # type: ignore[arg-type]
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def _subject(msg: EmailMessage) -> str:
    """The subject as a mail client shows it (unfolded: Python folds one that fits a line by itself
    onto the next, and the folding space stays)."""
    return str(msg["Subject"]).strip()


def _text(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def _html(msg: EmailMessage) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]


class _Visible(HTMLParser):
    """The text a reader sees, and every tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _visible(html: str) -> _Visible:
    parser = _Visible()
    parser.feed(html)
    return parser


# --- subject and date ----------------------------------------------------------------------------


def test_the_subject_says_how_the_packages_were_approved(tmp_path: Path) -> None:
    items = [_item(tmp_path, "1", "ICU Nurse", "Acme Health")]
    auto = _subject(_digest(items, auto_approved=True))
    reviewed = _subject(_digest(items, auto_approved=False))
    unknown = _subject(_digest(items))
    assert auto == "JobLand: 1 application package, approved automatically (2026-12-07)"
    assert reviewed == "JobLand: 1 application package you approved, ready to send (2026-12-07)"
    assert unknown == "JobLand: 1 application package (2026-12-07)"
    assert not any("review" in s for s in (auto, reviewed, unknown))  # none is waiting for review
    assert "nobody has read them yet" in _text(_digest(items, auto_approved=True))
    zh = _subject(_digest(items, auto_approved=True, language="zh"))
    assert zh == "JobLand：今日 1 份求职材料（已按您的设置自动批准）（2026-12-07）"
    assert "待您查看" not in zh


def test_the_date_header_is_the_time_of_sending(tmp_path: Path) -> None:
    items = [_item(tmp_path, "1", "ICU Nurse", "Acme Health")]
    at = datetime(2026, 12, 7, 6, 42, 17, tzinfo=UTC)
    assert _digest(items, sent_at=at)["Date"].datetime == at
    before = datetime.now(UTC).replace(microsecond=0)
    sent = _digest(items)["Date"].datetime
    after = datetime.now(UTC) + timedelta(seconds=1)
    assert before <= sent <= after  # now, not the day's midnight
    assert sent.time() != datetime.min.time()


# --- attachments -----------------------------------------------------------------------------------


def test_each_attachment_is_named_after_its_job(tmp_path: Path) -> None:
    items = [
        _item(tmp_path, "1", "ICU Nurse", "Acme Health"),
        _item(tmp_path, "2", "Charge Nurse / Night shift", "Northwind: Health*"),
        _item(tmp_path, "3", "ICU Nurse", "Acme Health", location="Boston, MA"),
    ]
    msg = _digest(items)
    names = [part.get_filename() for part in msg.iter_attachments()]
    assert names == [
        "Acme Health--ICU Nurse.zip",
        "Northwind Health--Charge Nurse Night shift.zip",
        "Acme Health--ICU Nurse (Boston, MA).zip",
    ]
    # The body says which attachment is which job, in both parts.
    text = _text(msg)
    assert "1. ICU Nurse — Acme Health (Chicago, IL)" in text
    assert "Attachment: Acme Health--ICU Nurse.zip" in text
    assert "Attachment: Acme Health--ICU Nurse (Boston, MA).zip" in text
    assert "Acme Health--ICU Nurse (Boston, MA).zip" in "".join(_visible(_html(msg)).text)
    # Inside each zip, one folder with the same name holds the package's files.
    first = next(iter(msg.iter_attachments()))
    archive = zipfile.ZipFile(io.BytesIO(first.get_content()))
    assert archive.namelist() == [
        "Acme Health--ICU Nurse/cover_letter.md",
        "Acme Health--ICU Nurse/tailored_cv.md",
    ]


def test_chinese_attachment_names_keep_their_characters_rfc2231(tmp_path: Path) -> None:
    items = [_item(tmp_path, "1", "高级会计", "华诚科技有限公司", location="上海")]
    raw = build_digest(
        user_id="wang",
        name="王芳",
        recipient="w@example.com",
        sender="a@example.org",
        day=DAY,
        items=items,
        language="zh",
    ).as_bytes()
    assert b"filename*" in raw and b"utf-8''%E5%8D%8E" in raw  # RFC 2231, not a hash or a slug
    msg = message_from_bytes(raw, policy=policy.default)
    [part] = list(msg.iter_attachments())  # type: ignore[attr-defined]
    assert part.get_filename() == "华诚科技有限公司--高级会计.zip"
    archive = zipfile.ZipFile(io.BytesIO(part.get_content()))
    assert all(n.startswith("华诚科技有限公司--高级会计/") for n in archive.namelist())


# --- a Chinese reader -------------------------------------------------------------------------------


def test_a_chinese_digest_is_in_chinese(tmp_path: Path) -> None:
    pay = PayRange(8500, 14000, "CNY", "month", 3, "上海")
    items = [
        _item(
            tmp_path,
            "1",
            "会计",
            "华诚科技有限公司",
            location="上海",
            probability="Medium",
            reasons=["职位名称与您的“高级会计”经历一致"],
            pay=pay,
        )
    ]
    failed = [
        FailedPackage("出纳", "某公司", "timeout"),
        FailedPackage("审计", "另一公司", "grounding", "“CPA”"),
    ]
    msg = _digest(items, name="王芳", language="zh", failed=failed, auto_approved=False)
    assert _subject(msg) == "JobLand：1 份您已批准的求职材料可以投递，另有 2 份未能生成（2026-12-07）"
    text = _text(msg)
    for wanted in (
        "王芳，您好：",
        "以下是您已批准的 1 份求职材料",
        "1. 会计 — 华诚科技有限公司（上海）",
        "匹配度 82/100 · 面试机会：中",
        "该职位在上海的薪资：每月 ¥8,500–14,000（基于 3 个职位）",
        "附件：华诚科技有限公司--会计.zip",
        "今日未能生成的材料：",
        "- 出纳 — 某公司：生成超时，已停止",
        "- 审计 — 另一公司：材料中有简历无法证实的内容，已被拦下（“CPA”）",
    ):
        assert wanted in text, wanted
    html = _html(msg)
    assert 'lang="zh-CN"' in html
    seen = "".join(_visible(html).text)
    for english in ("Match", "interview chance", "Attachment", "Why it fits", "Not made", "Hello", "Medium"):
        assert english not in text and english not in seen, english
    assert "匹配理由" in seen and "今日求职材料" in seen and "职位链接" in seen


# --- HTML: styled, escaped -----------------------------------------------------------------------------


def test_the_html_is_styled_for_a_phone_and_escapes_every_value(tmp_path: Path) -> None:
    hostile = '<img src=x onerror="alert(1)">'
    items = [
        _item(
            tmp_path,
            "1",
            f"Nurse {hostile}",
            'Acme "Health" & <b>Sons</b>',
            location="<script>alert(2)</script>",
            reasons=["<a href='https://evil.example'>click</a>"],
            url='https://jobs.example/1?a=1&b="><script>alert(3)</script>',
        )
    ]
    failed = [FailedPackage("<i>Ward</i> Nurse", "<b>Evil</b>", "write", "<script>alert(4)</script>")]
    html = _html(_digest(items, failed=failed, name="<b>Jane</b>"))
    parsed = _visible(html)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "img", "b", "i"}
    assert [attrs["href"] for tag, attrs in parsed.tags if tag == "a"] == [
        'https://jobs.example/1?a=1&b="><script>alert(3)</script>'
    ]  # one link, the posting's, its quotes escaped inside the attribute
    seen = "".join(parsed.text)
    for value in (hostile, 'Acme "Health" & <b>Sons</b>', "<script>alert(2)</script>", "<b>Jane</b>"):
        assert value in seen  # shown as the text it is
    assert "<i>Ward</i> Nurse" in seen and "<script>alert(4)</script>" in seen
    # Styled inline (mail clients drop <style>), one column that fits a phone.
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in parsed.tags
    styled = [attrs.get("style") or "" for _, attrs in parsed.tags]
    assert any("max-width:600px" in s for s in styled)
    assert sum(1 for s in styled if s) >= 10
    assert "<style" not in html


# --- partial digests and pay ------------------------------------------------------------------------------


def _package(app: str, **kw) -> ApplicationPackageRow:  # type: ignore[no-untyped-def]
    return package_row(app, **kw)


def test_failed_packages_are_listed_with_their_reason(tmp_path: Path) -> None:
    rows = [
        _package("ok"),
        _package(
            "ungrounded", grounded=False, review_status="rejected", issues=["'10 years' is not in the CV"]
        ),
        _package("unwritten", review_status="failed", grounded=True),
        _package("theirs", user_id="emma", application_id="emma:theirs", grounded=False),
        _package("old", grounded=False, created_at=datetime(2026, 12, 6, 5, 0, tzinfo=UTC)),
        _package("sent-before", grounded=False),
    ]
    failed = failed_packages("jane", rows, day=DAY, sent={"jane:sent-before"})
    assert [(f.company, f.kind, f.detail) for f in failed] == [
        ("Hospital ungrounded", "grounding", "'10 years' is not in the CV"),
        ("Hospital unwritten", "write", None),
    ]
    # The digest still goes with the package that worked and names the others.
    msg = _digest([_item(tmp_path, "ok", "ICU Nurse", "Hospital ok")], failed=failed)
    assert _subject(msg) == "JobLand: 1 application package — 2 could not be made (2026-12-07)"
    assert [p.get_filename() for p in msg.iter_attachments()] == ["Hospital ok--ICU Nurse.zip"]
    text = _text(msg)
    assert "Not made today:" in text
    assert (
        "- ICU Nurse — Hospital ungrounded: it stated something your CV does not, so it was held back "
        "('10 years' is not in the CV)"
    ) in text
    assert "- ICU Nurse — Hospital unwritten: its files could not be saved" in text
    assert text.index("Hospital ok") < text.index("Not made today")


def _posting(pid: str, location: str, low: float | None, high: float | None, **kw) -> JobPostingRow:  # type: ignore[no-untyped-def]
    fields = {
        "search_key": "jane::icu-nurse",
        "posting_id": pid,
        "title": "ICU Nurse",
        "location": location,
        "salary_min": low,
        "salary_max": high,
        "salary_currency": "USD",
        "salary_period": "year",
    }
    fields.update(kw)
    return JobPostingRow(**fields)  # type: ignore[arg-type]


def test_pay_seen_for_the_title_and_place() -> None:
    postings = [
        _posting("a", "Chicago, IL", 78_000, 92_000),
        _posting("b", "chicago", 85_000, None),
        _posting("c", "Chicago, Illinois", None, 101_500),
        _posting("d", "Chicago, IL", 45, 60, salary_period="hour"),  # another period: not mixed in
        _posting("e", "Chicago, IL", None, None),  # no pay stated: not counted
        _posting("f", "Boston, MA", 95_000, 130_000),
        _posting("g", "Chicago, IL", 1, 2, search_key="jane::charge-nurse"),  # another title
    ]
    packages = [
        _package("a"),
        _package("f", location="Boston, MA"),
        _package("z", location="Denver, CO"),  # no posting there: the title's range, said to be so
        _package("y", search_key="jane::unknown", location="Chicago, IL"),  # nothing seen
    ]
    pay = pay_by_posting(packages, postings)
    assert pay["a"] == PayRange(78_000, 101_500, "USD", "year", 3, "Chicago")
    assert pay["a"].text() == "Pay seen for this title in Chicago: $78,000–101,500 a year (from 3 postings)"
    assert pay["f"].text() == "Pay seen for this title in Boston: $95,000–130,000 a year (from 1 posting)"
    assert pay["z"].place is None and pay["z"].postings == 4
    assert (
        pay["z"].text()
        == "Pay seen for this title across the places searched: $78,000–130,000 a year (from 4 postings)"
    )
    assert "y" not in pay
    assert place_key("Chicago, IL") == place_key("chicago") == "chicago"


def test_each_digest_line_shows_the_pay_seen(tmp_path: Path) -> None:
    postings = [_posting("a", "Chicago, IL", 78_000, 92_000), _posting("b", "Chicago", 80_000, 95_000)]
    pay = pay_by_posting([_package("a")], postings)
    items = [_item(tmp_path, "a", "ICU Nurse", "Acme"), _item(tmp_path, "b", "Charge Nurse", "Acme")]
    msg = _digest(items, pay=pay)
    text = _text(msg)
    line_a = text[text.index("1. ICU Nurse") : text.index("2. Charge Nurse")]
    assert "Pay seen for this title in Chicago: $78,000–95,000 a year (from 2 postings)" in line_a
    assert "Pay seen" not in text[text.index("2. Charge Nurse") :]  # none seen: nothing invented
    assert "Pay seen for this title in Chicago: $78,000–95,000 a year (from 2 postings)" in "".join(
        _visible(_html(msg)).text
    )
    zh = PayRange(8_500, 14_000, "CNY", "month", 2, "上海")
    assert zh.text("zh") == "该职位在上海的薪资：每月 ¥8,500–14,000（基于 2 个职位）"
    assert PayRange(40, 40, "EUR", "hour", 1, None).text() == (
        "Pay seen for this title across the places searched: €40 an hour (from 1 posting)"
    )


def test_digest_options_from_the_runs_records(tmp_path: Path) -> None:
    """What the delivery stage passes to build_digest: one call over the run's packages and postings."""
    packages = [
        _package("a"),
        _package("bad", grounded=False, issues=["'ECMO' is not in the CV"]),
        _package("theirs", user_id="emma", application_id="emma:theirs", grounded=False),
    ]
    postings = [_posting("a", "Chicago, IL", 78_000, 92_000), _posting("x", "Chicago", 80_000, 99_000)]
    options = digest_options("jane", packages=packages, postings=postings, day=DAY, auto_approve=True)
    assert [f.company for f in options["failed"]] == ["Hospital bad"]
    assert (
        options["pay"]["a"].text()
        == "Pay seen for this title in Chicago: $78,000–99,000 a year (from 2 postings)"
    )
    msg = _digest([_item(tmp_path, "a", "ICU Nurse", "Hospital a")], **options)
    assert (
        _subject(msg)
        == "JobLand: 1 application package, approved automatically — 1 could not be made (2026-12-07)"
    )
    text = _text(msg)
    assert "Pay seen for this title in Chicago: $78,000–99,000 a year (from 2 postings)" in text
    assert "- ICU Nurse — Hospital bad: it stated something your CV does not" in text
