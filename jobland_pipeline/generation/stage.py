"""The packaging stage: a search's best matches -> package files and one record per package.

A package that fails grounding is kept (its files and report help the reviewer) but marked rejected:
it never reaches an employer-facing e-mail. The files go into a local folder, or into a staged one
that is then published to shared storage (S3) so that every worker and the digest see them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jobland_pipeline.generation.package import Package
from jobland_pipeline.generation.records import ApplicationPackageRow
from jobland_pipeline.keys import slugify, split_search_key
from jobland_pipeline.postings.models import Posting

Folder = Callable[[str, str], Path]  # (user id, package name) -> the folder to write into (created)


@dataclass(frozen=True)
class StagedFolder:
    """A package folder written on this machine, then published to shared storage (S3).

    ``path`` is the local folder the files are written into, ``location`` where they end up (what the
    package record keeps), and ``publish(path, files)`` copies them there and clears the staging.
    """

    path: Path
    location: str
    publish: Callable[[Path, list[str]], None]


def folder_location(folder: Path | StagedFolder) -> str:
    """Where a package's files are for everyone else: the folder, or the staged folder's location."""
    return folder.location if isinstance(folder, StagedFolder) else str(folder)


def package_name(posting: Posting) -> str:
    """``<company>--<title>``, slugged and short: a folder a person can find."""
    return f"{slugify(posting.company)[:30]}--{slugify(posting.title)[:40]}"


def write_package_files(
    target: Path | StagedFolder, package: Package, posting: Posting, revision_note: str | None
) -> list[str]:
    """The documents, the posting, the grounding report (and the reviewer's note): the files written.

    A staged folder is published once every file is written, before any record points to it.
    """
    folder = target.path if isinstance(target, StagedFolder) else target
    for file_name, content in package.files.items():
        if isinstance(content, bytes):
            (folder / file_name).write_bytes(content)
        else:
            (folder / file_name).write_text(content, encoding="utf-8")
    (folder / "posting.json").write_text(posting.model_dump_json(indent=2), encoding="utf-8")
    # Every claim of every document with where it was found (or why not): the reviewer's evidence.
    report = {
        "grounded": package.ok,
        "grounding_issues": package.grounding_issues,
        "placeholder_issues": package.placeholder_issues,
        **package.grounding_report,
    }
    (folder / "grounding_report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    extra = ["posting.json", "grounding_report.json"]
    if revision_note:  # for the user's eyes only, never in an employer-facing file
        (folder / "REVISION_NOTE.txt").write_text(revision_note + "\n", encoding="utf-8")
        extra.append("REVISION_NOTE.txt")
    files = sorted([*package.files, *extra])
    if isinstance(target, StagedFolder):
        target.publish(folder, files)
    return files


def package_record(
    key: str,
    posting: Posting,
    package: Package,
    *,
    score: int | None,
    probability: str | None,
    reasons: list[str],
    folder: Path | StagedFolder,
    files: list[str],
    review_status: str,
    revision_note: str | None,
    now: datetime,
) -> ApplicationPackageRow:
    """The record of a written package; an ungrounded package is rejected whatever its review said."""
    user_id, _ = split_search_key(key)
    return ApplicationPackageRow(
        search_key=key,
        user_id=user_id,
        posting_id=posting.id,
        application_id=f"{user_id}:{posting.id}",
        title=posting.title,
        company=posting.company,
        location=posting.location,
        url=posting.url,
        score=score,
        probability=probability,
        reasons=reasons,
        package_dir=folder_location(folder),
        files=files,
        ats_coverage_before=package.ats_coverage_before,
        ats_coverage_after=package.ats_coverage_after,
        grounded=package.ok,
        review_status=review_status if package.ok else "rejected",
        revision_note=revision_note,
        issues=package.grounding_issues + package.placeholder_issues,
        created_at=now,
    )
