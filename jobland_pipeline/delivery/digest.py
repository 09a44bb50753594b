"""Build the digest e-mail: plain text + escaped HTML alternatives, packages attached as zips.

Posting and CV text are data: the HTML part autoescapes everything, so a posting that contains
``<script>`` shows up as text, never as markup. A package's files are read through a port
(``PackageFiles``): a local folder by default; the package store reads them back from S3.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path, PurePosixPath

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


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


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("jobland_pipeline.delivery", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def message_id(user_id: str, day: date, items: list[DigestItem], domain: str) -> str:
    """Deterministic: the same user, day and package set always get the same Message-ID."""
    digest = hashlib.sha256("|".join(sorted(i.posting_id for i in items)).encode()).hexdigest()[:12]
    return f"<jobland.{user_id}.{day.isoformat()}.{digest}@{domain}>"


def _without_url(item: DigestItem) -> DigestItem:
    return DigestItem(**{**item.__dict__, "url": None})


def _zip(name: str, files: list[tuple[str, bytes]]) -> bytes:
    """The package as ``<name>/<file>`` entries with a fixed date (the same files, the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, data in files:
            info = zipfile.ZipInfo(f"{name}/{file_name}", date_time=(2000, 1, 1, 0, 0, 0))
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


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
) -> EmailMessage:
    """The digest, each item's package zipped as an attachment (read with ``package_files``)."""
    env = _env()
    # Only web links reach the e-mail: a posting's "javascript:" or "data:" URL is dropped.
    items = [i if (i.url or "").startswith(("https://", "http://")) else _without_url(i) for i in items]
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "jobland.local"
    context = {"name": name, "items": items, "day": day.isoformat(), "zh": language == "zh"}
    msg = EmailMessage()
    count = len(items)
    subject = (
        f"JobLand：今日 {count} 份求职材料待您查看（{day.isoformat()}）"
        if language == "zh"
        else f"JobLand: {count} application package{'s' if count != 1 else ''} ready for review ({day.isoformat()})"
    )
    msg["Subject"] = subject
    msg["From"] = formataddr(("JobLand", sender))
    msg["To"] = formataddr((name or "", recipient))
    msg["Date"] = format_datetime(datetime.combine(day, datetime.min.time(), tzinfo=UTC))
    msg["Message-ID"] = message_id(user_id, day, items, domain)
    msg["X-JobLand-User"] = user_id
    msg["List-Unsubscribe"] = f"<mailto:{sender}?subject=unsubscribe%20{user_id}>"
    msg.set_content(env.get_template("digest.txt.j2").render(**context))
    msg.add_alternative(env.get_template("digest.html.j2").render(**context), subtype="html")
    for item in items:
        location = package_location(item.package_dir)
        files = package_files(location)
        if files:
            name = PurePosixPath(location.removeprefix("s3://")).name
            msg.add_attachment(
                _zip(name, files), maintype="application", subtype="zip", filename=f"{name}.zip"
            )
    return msg
