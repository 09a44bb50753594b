from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from jobland_pipeline.delivery import AlreadyDelivered, DigestItem, build_digest, write_once


def _item(tmp_path: Path, title: str = "ICU Nurse", url: str | None = "https://jobs.example/1") -> DigestItem:
    folder = tmp_path / "pkg-1"
    folder.mkdir(exist_ok=True)
    (folder / "tailored_cv.md").write_text("# Jane\n", encoding="utf-8")
    (folder / "cover_letter.md").write_text("Dear team\n", encoding="utf-8")
    return DigestItem(
        posting_id="p1",
        title=title,
        company="Acme <b>Health</b>",
        location="Chicago, IL",
        score=82,
        probability="High",
        reasons=["You have 5 of the 6 skills"],
        url=url,
        package_dir=folder,
    )


def _parse(msg):  # type: ignore[no-untyped-def]
    return message_from_bytes(msg.as_bytes(), policy=policy.default)


def test_digest_is_multipart_with_text_html_and_attachments(tmp_path: Path) -> None:
    msg = build_digest(
        user_id="jane",
        name="Jane Doe",
        recipient="jane@example.com",
        sender="jobland@example.org",
        day=date(2026, 11, 27),
        items=[_item(tmp_path)],
    )
    parsed = _parse(msg)
    assert parsed.get_content_type() == "multipart/mixed"
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    assert "ICU Nurse" in text and "82/100" in text
    assert "Acme &lt;b&gt;Health&lt;/b&gt;" in html and "<b>Health</b>" not in html
    attachments = [p.get_filename() for p in parsed.iter_attachments()]
    # Named after the job, not the folder; the markup of the company name cannot reach the file name.
    assert attachments == ["Acme Health--ICU Nurse.zip"]
    assert parsed["Message-ID"].startswith("<jobland.jane.2026-11-27.")
    assert parsed["Subject"] == "JobLand: 1 application package (2026-11-27)"


def test_script_in_a_posting_is_escaped_and_bad_urls_dropped(tmp_path: Path) -> None:
    item = _item(tmp_path, title="<script>alert(1)</script>Nurse", url="javascript:alert(1)")
    html = (
        _parse(
            build_digest(
                user_id="jane",
                name=None,
                recipient="j@example.com",
                sender="a@b.org",
                day=date(2026, 11, 27),
                items=[item],
            )
        )
        .get_body(preferencelist=("html",))
        .get_content()
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html


def test_message_id_is_stable_for_the_same_package_set(tmp_path: Path) -> None:
    kwargs = dict(
        user_id="jane", name=None, recipient="j@example.com", sender="a@b.org", day=date(2026, 11, 27)
    )
    a = build_digest(items=[_item(tmp_path)], **kwargs)  # type: ignore[arg-type]
    b = build_digest(items=[_item(tmp_path)], **kwargs)  # type: ignore[arg-type]
    assert a["Message-ID"] == b["Message-ID"]


def test_write_once_refuses_a_second_delivery(tmp_path: Path) -> None:
    msg = build_digest(
        user_id="jane",
        name=None,
        recipient="j@example.com",
        sender="a@b.org",
        day=date(2026, 11, 27),
        items=[_item(tmp_path)],
    )
    target = tmp_path / "outbox" / "2026-11-27" / "jane.eml"
    write_once(msg, target)
    first = target.read_bytes()
    with pytest.raises(AlreadyDelivered):
        write_once(msg, target)
    assert target.read_bytes() == first
    assert not list(target.parent.glob("*.tmp"))


def test_chinese_digest(tmp_path: Path) -> None:
    msg = build_digest(
        user_id="wang",
        name="王芳",
        recipient="w@example.com",
        sender="a@b.org",
        day=date(2026, 11, 27),
        items=[_item(tmp_path, title="高级会计")],
        language="zh",
    )
    parsed = _parse(msg)
    assert "求职材料" in parsed["Subject"]
    assert "高级会计" in parsed.get_body(preferencelist=("plain",)).get_content()
