"""Build the digest e-mail: plain text + escaped HTML alternatives, packages attached as zips.

Posting and CV text are data: the HTML part autoescapes everything, so a posting that contains
``<script>`` shows up as text, never as markup. A package's files are read through a port
(``PackageFiles``): a local folder by default; the package store reads them back from S3.

What the reader sees, in their language (English or Chinese): a subject that says what the packages
are (approved automatically, approved by the reader, or neither known) and how many could not be
made; the real time of sending in ``Date``; each attachment named ``<company>--<title>.zip`` (Chinese
names kept, RFC 2231-encoded), and the line of each job naming its attachment; the pay seen for the
title and place (:mod:`jobland_pipeline.delivery.pay`); the packages that failed or timed out, each
with its reason, after the ones that worked; when the day's LLM budget was reached, that the rest of
the day's work used the offline engine (:mod:`jobland_pipeline.llm.budget`). The HTML is styled
inline (mail clients drop ``<style>``) and fits a phone's width.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from jobland_pipeline.delivery.pay import PayRange, pay_by_posting
from jobland_pipeline.delivery.records import EmailDigestRow
from jobland_pipeline.generation.records import ApplicationPackageRow
from jobland_pipeline.messages import say_budget
from jobland_pipeline.postings.records import JobPostingRow


@dataclass(frozen=True)
class DigestItem:
    posting_id: str
    title: str
    company: str
    location: str
    score: int
    probability: str
    reasons: list[str]
    url: str | None
    package_dir: Path | str  # a folder, or an s3:// location (packages on S3)
    pay: PayRange | None = None  # the pay seen for its title and place (or pass ``pay=`` to build_digest)


# Why a package is not in the digest, in the reader's language; ``detail`` says more in its own words.
FAILURE_KINDS: dict[str, dict[str, str]] = {
    "grounding": {
        "en": "it stated something your CV does not, so it was held back",
        "zh": "材料中有简历无法证实的内容，已被拦下",
    },
    "write": {"en": "its files could not be saved", "zh": "文件未能保存"},
    "timeout": {"en": "writing it took too long and was stopped", "zh": "生成超时，已停止"},
    "error": {"en": "it could not be made", "zh": "未能生成"},
}


@dataclass(frozen=True)
class FailedPackage:
    """A package of the day that is not attached, and why (``kind`` is a key of FAILURE_KINDS)."""

    title: str
    company: str
    kind: str = "error"
    detail: str | None = None
    location: str = ""
    url: str | None = None

    def reason(self, language: str = "en") -> str:
        labels = FAILURE_KINDS.get(self.kind, FAILURE_KINDS["error"])
        text = labels["zh" if language == "zh" else "en"]
        if self.detail:
            text += f"（{self.detail}）" if language == "zh" else f" ({self.detail})"
        return text


def failed_packages(
    user_id: str,
    packages: Iterable[ApplicationPackageRow],
    *,
    day: date | None = None,
    sent: Collection[str] = (),
) -> list[FailedPackage]:
    """The user's packages (made on ``day`` when given, never sent) whose files could not be written
    or that failed the grounding check, each application once."""
    out: dict[str, FailedPackage] = {}
    for p in packages:
        if p.user_id != user_id or str(p.application_id) in sent or str(p.application_id) in out:
            continue
        if day is not None and p.created_at is not None and p.created_at.date() != day:
            continue
        write_error = getattr(p, "write_error", None)
        if p.review_status == "failed" or write_error:
            kind, detail = "write", write_error
        elif p.grounded is False:
            kind, detail = "grounding", "; ".join(p.issues[:2]) or None
        else:
            continue
        out[str(p.application_id)] = FailedPackage(
            title=str(p.title or ""),
            company=str(p.company or ""),
            kind=kind,
            detail=detail,
            location=p.location or "",
            url=p.url,
        )
    return list(out.values())


# A package's location -> its files as (name, bytes), sorted by name; [] when there is nothing.
PackageFiles = Callable[[str], list[tuple[str, bytes]]]


def package_location(package_dir: Path | str) -> str:
    """The location as text; ``Path("s3://b/k")`` reads as ``s3:/b/k`` and is turned back."""
    text = str(package_dir)
    return (
        "s3://" + text.removeprefix("s3:/")
        if text.startswith("s3:/") and not text.startswith("s3://")
        else text
    )


def local_package_files(location: str) -> list[tuple[str, bytes]]:
    """The files of a local package folder (none when the folder is gone)."""
    if location.startswith("s3://"):
        raise ValueError(f"{location}: a package on S3 is read through the package store (PackageFiles)")
    folder = Path(location)
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return [(p.name, p.read_bytes()) for p in files]


@dataclass(frozen=True)
class BudgetNotice:
    """The user's budget was reached: which limit (``user_day`` or ``run``), what had been spent
    when the first call was switched, the limit (USD), and how many calls went offline after it."""

    scope: str
    spent_usd: float
    limit_usd: float
    switched: int

    def text(self, language: str = "en") -> str:
        return say_budget(
            self.scope, language, limit=self.limit_usd, spent=self.spent_usd, switched=self.switched
        )


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("jobland_pipeline.delivery", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def message_id(
    user_id: str, day: date, items: list[DigestItem], domain: str, *, notice: str | None = None
) -> str:
    """Deterministic: the same user, day and package set (or notice) always get the same Message-ID."""
    content = f"notice:{notice}" if notice else "|".join(sorted(i.posting_id for i in items))
    return f"<jobland.{user_id}.{day.isoformat()}.{_content_digest(content)}@{domain}>"


def _content_digest(content: str) -> str:
    """The part of a Message-ID that names what the digest holds."""
    return hashlib.sha256(content.encode()).hexdigest()[:12]


def no_titles_notice(cv_sha256: str) -> str:
    """The notice that a CV names no job to search for, as its Message-ID carries it: one per CV."""
    return f"no-titles:{cv_sha256}"


def notice_delivered(rows: Iterable[EmailDigestRow], notice: str) -> bool:
    """Whether a digest carrying ``notice`` reached the user (its Message-ID says so, whatever day)."""
    mark = f".{_content_digest(f'notice:{notice}')}@"
    return any(r.status in ("sent", "written") and mark in (r.message_id or "") for r in rows)


def digest_options(
    user_id: str,
    *,
    packages: Iterable[ApplicationPackageRow],
    postings: Iterable[JobPostingRow],
    day: date,
    sent: Collection[str] = (),
    auto_approve: bool | None = None,
    budget: BudgetNotice | None = None,
    no_titles: str | None = None,
) -> dict[str, Any]:
    """:func:`build_digest`'s optional inputs for one user's day, from the run's records: the
    packages that could not be made (``failed``), the pay seen per posting (``pay``), whether
    the user's settings approve packages automatically (``auto_approved``), whether the day's
    budget sent the rest of the work offline (``budget``), and the notice that the user's CV names
    no job to search for (``no_titles``: :func:`no_titles_notice` of the CV, when not delivered yet)."""
    mine = [p for p in packages if p.user_id == user_id]
    return {
        "failed": failed_packages(user_id, mine, day=day, sent=sent),
        "pay": pay_by_posting(mine, postings),
        "auto_approved": auto_approve,
        "budget": budget,
        "no_titles": no_titles,
    }


def _web_url(url: str | None) -> str | None:
    """Only web links reach the e-mail: a posting's "javascript:" or "data:" URL is dropped."""
    return url if (url or "").startswith(("https://", "http://")) else None


# Characters no file system or mail client takes in a file name, and runs of space.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_SPACES = re.compile(r"\s+")


_TAG = re.compile(r"<[^<>]*>")


def _name_part(text: str, limit: int) -> str:
    clean = _SPACES.sub(" ", _UNSAFE.sub(" ", _TAG.sub(" ", text))).strip(" .-")
    return clean[:limit].rstrip(" .-")


def attachment_names(items: Sequence[DigestItem]) -> list[str]:
    """``<company>--<title>`` per item, readable in any script (no hashes), unique within the digest
    (the place, then a number, tells two of the same job apart)."""
    names: list[str] = []
    for item in items:
        company, title = _name_part(item.company, 40), _name_part(item.title, 60)
        base = f"{company}--{title}" if company and title else company or title or "package"
        name = base
        if name in names and (place := _name_part(item.location, 30)):
            name = f"{base} ({place})"
        number = 2
        while name in names:
            name, number = f"{base} {number}", number + 1
        names.append(name)
    return names


LABELS: dict[str, dict[str, str]] = {
    "en": {
        "hello": "Hello {name},",
        "hello_anon": "Hello,",
        "packages": "Today's packages",
        "failed": "Not made today",
        "match": "Match {score}/100 · interview chance: {probability}",
        "why": "Why it fits",
        "attachment": "Attachment",
        "posting": "The posting",
        "each": "Each attachment holds a tailored CV, a cover letter and an interview cheat sheet.",
        "signoff": "— JobLand",
        "colon": ": ",
        "place": " ({place})",
    },
    "zh": {
        "hello": "{name}，您好：",
        "hello_anon": "您好：",
        "packages": "今日求职材料",
        "failed": "今日未能生成的材料",
        "match": "匹配度 {score}/100 · 面试机会：{probability}",
        "why": "匹配理由",
        "attachment": "附件",
        "posting": "职位链接",
        "each": "每份附件中有定制简历、求职信和面试准备要点。",
        "signoff": "—— JobLand",
        "colon": "：",
        "place": "（{place}）",
    },
}
PROBABILITY = {"zh": {"High": "高", "Medium": "中", "Low": "低"}}


def _count(n: int, language: str) -> str:
    return f"{n} 份" if language == "zh" else f"{n} application package{'s' if n != 1 else ''}"


def subject(
    day: date,
    count: int,
    *,
    failed: int = 0,
    auto_approved: bool | None = None,
    language: str = "en",
    no_titles: bool = False,
) -> str:
    """What the digest holds: approved automatically, approved by the reader, (unknown) neither said, or
    the notice that the CV names no job to search for."""
    iso = day.isoformat()
    if no_titles:  # the notice that the CV gave no title to search for (a digest of nothing else)
        if language == "zh":
            return f"JobLand：未能从您的简历中找到可搜索的职位名称（{iso}）"
        return f"JobLand: no job title to search for in your CV ({iso})"
    if count == 0 and failed:  # only packages that could not be made: say that, not "0 packages"
        if language == "zh":
            return f"JobLand：今日 {failed} 份求职材料未能生成（{iso}）"
        return f"JobLand: {_count(failed, 'en')} could not be made today ({iso})"
    if language == "zh":
        lost = f"，另有 {failed} 份未能生成" if failed else ""
        if auto_approved is True:
            return f"JobLand：今日 {count} 份求职材料（已按您的设置自动批准）{lost}（{iso}）"
        if auto_approved is False:
            return f"JobLand：{count} 份您已批准的求职材料可以投递{lost}（{iso}）"
        return f"JobLand：今日 {count} 份求职材料{lost}（{iso}）"
    lost = f" — {failed} could not be made" if failed else ""
    packages = _count(count, "en")
    if auto_approved is True:
        return f"JobLand: {packages}, approved automatically{lost} ({iso})"
    if auto_approved is False:
        return f"JobLand: {packages} you approved, ready to send{lost} ({iso})"
    return f"JobLand: {packages}{lost} ({iso})"


# Sent once per CV that names no job to search for (a field such as "HR", a degree): without it the
# person would hear nothing, day after day.
NO_TITLES = {
    "en": (
        'JobLand read your CV but found no job title in it to search for: a field such as "HR" or a '
        "degree alone does not say which jobs to look for, so no search runs for you yet. Write the job "
        "titles you want under pinned_titles in your settings.yaml (or your current job title on your "
        "CV), and the next daily run searches for them."
    ),
    "zh": (
        "JobLand 已读取您的简历，但没有找到可用于搜索的职位名称：仅有“人力资源”之类的领域或学历，"
        "无法确定要找哪些职位，因此暂时没有为您搜索。请在 settings.yaml 的 pinned_titles 中写下您想找的职位"
        "（或在简历中写明您目前的职位），下一次每日运行就会按这些职位搜索。"
    ),
}


def _opening(count: int, auto_approved: bool | None, language: str, *, no_titles: bool = False) -> str:
    """The introduction, then what each attachment holds when there are any."""
    if no_titles:
        return NO_TITLES[language]
    intro = _intro(count, auto_approved, language)
    if not count:
        return intro
    return intro + ("" if language == "zh" else " ") + LABELS[language]["each"]


def _intro(count: int, auto_approved: bool | None, language: str) -> str:
    if count == 0:  # a digest of packages that could not be made only
        if language == "zh":
            return "今天为您找到了合适的职位，但未能为它们生成求职材料，原因见下文。"
        return (
            "JobLand found jobs that fit you today but could not make their application packages. "
            "Why, job by job, is below."
        )
    if language == "zh":
        if auto_approved is False:
            return f"以下是您已批准的 {count} 份求职材料，可以直接投递。"
        if auto_approved is True:
            return f"今天为您准备了 {count} 份求职材料。您的设置为自动批准，尚无人审阅：投递前请逐份查看。"
        return f"今天为您准备了 {count} 份求职材料，投递前请逐份查看。"
    packages = _count(count, "en")
    if auto_approved is False:
        return f"The {packages} you approved {'is' if count == 1 else 'are'} ready to send."
    if auto_approved is True:
        return (
            f"JobLand prepared {packages} for you today. Your settings approve them automatically, "
            "so nobody has read them yet: please read each before you apply."
        )
    return f"JobLand prepared {packages} for you today. Please read each before you apply."


def _line(item: DigestItem, attachment: str | None, pay: PayRange | None, language: str) -> dict[str, Any]:
    """One job as both templates show it (values are text: the HTML template escapes them)."""
    labels = LABELS[language]
    probability = PROBABILITY.get(language, {}).get(item.probability, item.probability)
    return {
        "title": item.title,
        "company": item.company,
        "location": item.location,
        "place": labels["place"].format(place=item.location) if item.location else "",
        "match": labels["match"].format(score=item.score, probability=probability),
        "pay": pay.text(language) if pay else None,
        "reasons": item.reasons[:3],
        "attachment": f"{attachment}.zip" if attachment else None,
        "url": _web_url(item.url),
    }


def _budget_line(budget: BudgetNotice | None, language: str) -> str | None:
    return budget.text(language) if budget is not None else None


def _zip(name: str, files: list[tuple[str, bytes]]) -> bytes:
    """The package as ``<name>/<file>`` entries with a fixed date (the same files, the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, data in files:
            info = zipfile.ZipInfo(f"{name}/{file_name}", date_time=(2000, 1, 1, 0, 0, 0))
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _jobs(
    items: list[DigestItem], package_files: PackageFiles, pay: Mapping[str, PayRange], language: str
) -> tuple[list[dict[str, Any]], list[tuple[str, bytes]]]:
    """Each job's line as the templates show it, and its package zipped as (name, bytes) when its
    files could be read (a line names its attachment only then)."""
    lines: list[dict[str, Any]] = []
    attachments: list[tuple[str, bytes]] = []
    for item, attachment in zip(items, attachment_names(items), strict=True):
        files = package_files(package_location(item.package_dir))
        if files:
            attachments.append((attachment, _zip(attachment, files)))
        seen = item.pay or pay.get(item.posting_id)
        lines.append(_line(item, attachment if files else None, seen, language))
    return lines, attachments


def build_digest(
    *,
    user_id: str,
    name: str | None,
    recipient: str,
    sender: str,
    day: date,
    items: list[DigestItem],
    language: str = "en",
    package_files: PackageFiles = local_package_files,
    failed: Sequence[FailedPackage] = (),
    pay: Mapping[str, PayRange] | None = None,
    auto_approved: bool | None = None,
    sent_at: datetime | None = None,
    budget: BudgetNotice | None = None,
    no_titles: str | None = None,
) -> EmailMessage:
    """The digest, each item's package zipped as an attachment (read with ``package_files``).

    ``failed``: the day's packages that could not be made (listed with their reason, not attached);
    ``pay``: the pay seen per posting id (an item's own ``pay`` wins); ``auto_approved``: whether the
    user's settings approved the packages (None: not known, the subject says neither); ``sent_at``:
    the ``Date`` header (now by default); ``budget``: the day's budget was reached (said after the
    introduction); ``no_titles``: the notice that the CV names no job to search for (with no item
    and no failure, the digest is that notice, saying what to do so that searches start; its
    Message-ID carries it, so the ledger tells it was delivered).
    """
    env = _env()
    lang = "zh" if language == "zh" else "en"
    notice = no_titles if no_titles and not items and not failed else None
    labels = LABELS[lang]
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "jobland.local"
    lines, attachments = _jobs(items, package_files, pay or {}, lang)
    context = {
        "L": labels,
        "hello": labels["hello"].format(name=name) if name else labels["hello_anon"],
        "intro": _opening(len(items), auto_approved, lang, no_titles=notice is not None),
        "lines": lines,
        "failed": [{"title": f.title, "company": f.company, "reason": f.reason(lang)} for f in failed],
        "lang": "zh-CN" if lang == "zh" else "en",
        "budget": _budget_line(budget, lang),
    }
    msg = EmailMessage()
    msg["Subject"] = subject(
        day,
        len(items),
        failed=len(failed),
        auto_approved=auto_approved,
        language=lang,
        no_titles=notice is not None,
    )
    msg["From"] = formataddr(("JobLand", sender))
    msg["To"] = formataddr((name or "", recipient))
    msg["Date"] = format_datetime(sent_at or datetime.now(UTC))
    msg["Message-ID"] = message_id(user_id, day, items, domain, notice=notice)
    msg["X-JobLand-User"] = user_id
    msg["List-Unsubscribe"] = f"<mailto:{sender}?subject=unsubscribe%20{user_id}>"
    msg.set_content(env.get_template("digest.txt.j2").render(**context))
    msg.add_alternative(env.get_template("digest.html.j2").render(**context), subtype="html")
    for attachment, data in attachments:
        # A non-ASCII name is written as RFC 2231 (filename*=utf-8''...) by the default policy.
        msg.add_attachment(data, maintype="application", subtype="zip", filename=f"{attachment}.zip")
    return msg
