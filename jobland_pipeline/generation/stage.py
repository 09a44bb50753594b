"""The packaging stage: a search's best matches -> package files and one record per package.

A package that fails grounding is kept (its files and report help the reviewer) but marked rejected:
it never reaches an employer-facing e-mail. The files go into a local folder, or into a staged one
that is then published to shared storage (S3) so that every worker and the digest see them.

A package is made again only when something it is made from changed: its record keeps the digest of
its inputs (:func:`package_inputs_sha256`), and a later run with the same digest and the files still in
place reuses it. A package whose files cannot be written (a full or read-only disk) becomes a ``failed``
record with the reason; each file is written to a temporary name and renamed, so no empty or partial
file is left behind.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jobland_pipeline.generation.package import Package
from jobland_pipeline.generation.records import ApplicationPackageRow
from jobland_pipeline.generation.stories import Story
from jobland_pipeline.keys import slugify, split_search_key
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.research.dossier import Dossier
from jobland_pipeline.screening.models import Screening

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


def package_contents(package: Package, posting: Posting, revision_note: str | None) -> dict[str, bytes]:
    """Every file of a package, by name: the documents, the posting, the grounding report (and the
    reviewer's note, for the user's eyes only, never in an employer-facing file)."""
    contents = {
        name: value if isinstance(value, bytes) else value.encode("utf-8")
        for name, value in package.files.items()
    }
    contents["posting.json"] = posting.model_dump_json(indent=2).encode("utf-8")
    # Every claim of every document with where it was found (or why not): the reviewer's evidence.
    report = {
        "grounded": package.ok,
        "grounding_issues": package.grounding_issues,
        "placeholder_issues": package.placeholder_issues,
        **package.grounding_report,
    }
    contents["grounding_report.json"] = json.dumps(report, indent=2, ensure_ascii=False).encode("utf-8")
    if revision_note:
        contents["REVISION_NOTE.txt"] = (revision_note + "\n").encode("utf-8")
    return contents


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _write_file(path: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, then rename: a reader (or a failure) never sees a
    partial file. No fsync: the record pointing to the file is written later, and a killed process
    (unlike a power cut) loses nothing the kernel already holds."""
    temporary = _temporary(path)
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _remove_package(folder: Path, names: list[str], *, staged: bool) -> None:
    """After a failed write: no file of this package (new or older copy) and no temporary is left."""
    if staged:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            folder.parent.rmdir()  # the staging folder made for this package, empty now
        return
    for name in names:
        (folder / name).unlink(missing_ok=True)
        _temporary(folder / name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only if nothing else is in it


def write_package_files(
    target: Path | StagedFolder, package: Package, posting: Posting, revision_note: str | None
) -> list[str]:
    """Write the package's files; returns their names (sorted).

    A staged folder is published once every file is written, before any record points to it. On any
    failure (``OSError`` from a full or read-only disk, an upload error) nothing of the package stays
    and the error propagates.
    """
    folder = target.path if isinstance(target, StagedFolder) else target
    contents = package_contents(package, posting, revision_note)
    files = sorted(contents)
    try:
        for name in files:
            _write_file(folder / name, contents[name])
        if isinstance(target, StagedFolder):
            target.publish(folder, files)
    except BaseException:
        _remove_package(folder, files, staged=isinstance(target, StagedFolder))
        raise
    return files


@dataclass(frozen=True)
class Stored:
    """Where a package's files went (``location``) and their names, or why they could not be written."""

    location: str | None
    files: list[str]
    error: str | None = None


def store_package(
    folder: Callable[[], Path | StagedFolder], package: Package, posting: Posting, revision_note: str | None
) -> Stored:
    """Create the package's folder and write its files; a failure is returned as the reason, never raised,
    so that one package that cannot be written becomes a ``failed`` record and the others go on."""
    try:
        target = folder()
    except OSError as exc:
        return Stored(None, [], f"package folder not created: {_reason(exc)}")
    try:
        files = write_package_files(target, package, posting, revision_note)
    except Exception as exc:  # disk full, read-only folder, an upload refused: the record says which
        return Stored(folder_location(target), [], f"files not written: {_reason(exc)}")
    return Stored(folder_location(target), files)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@functools.cache
def generator_version() -> str:
    """A digest of the generation code and templates: when either changes, packages are made anew."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def package_inputs_sha256(
    profile: Profile,
    cv_text: str,
    posting: Posting,
    screening: Screening,
    dossier: Dossier | None,
    *,
    engine: str,
    theme: str,
    tone: str,
    revision_note: str | None,
    stories: Sequence[Story] = (),
) -> str:
    """The digest of everything a package is made from: equal digests make equal packages.

    ``engine`` names the engine, its models and prompt versions; the generator's own code and templates
    count too (:func:`generator_version`). The profile's ``as_of`` and the day are left out: a package
    made from the same facts is not made again the next day (its letter keeps the date it was written).
    ``stories`` are the user's stories chosen for the posting: editing one of them makes the package anew.
    """
    inputs = {
        "profile": profile.model_dump(mode="json", exclude={"as_of"}),
        "cv_sha256": hashlib.sha256(cv_text.encode("utf-8")).hexdigest(),
        "posting": posting.model_dump(mode="json"),
        "screening": screening.model_dump(mode="json"),
        "dossier": dossier.model_dump(mode="json") if dossier is not None else None,
        "engine": engine,
        "generator": generator_version(),
        "theme": theme,
        "tone": tone,
        "revision_note": revision_note,
        "stories": [[s.title, s.text] for s in stories],
    }
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reusable(
    previous: ApplicationPackageRow | None,
    inputs_sha256: str,
    missing_files: Callable[[str, list[str]], list[str]],
) -> bool:
    """The earlier package can stand: same inputs, it was written, and its files are all still there."""
    return (
        previous is not None
        and previous.inputs_sha256 == inputs_sha256
        and previous.write_error is None
        and bool(previous.files)
        and previous.package_dir is not None
        and not missing_files(previous.package_dir, previous.files)
    )


def reused_record(previous: ApplicationPackageRow, *, review_status: str) -> ApplicationPackageRow:
    """The earlier record with today's review decision (an ungrounded package stays rejected)."""
    status = review_status if previous.grounded else "rejected"
    return previous.model_copy(update={"review_status": status})


def package_record(
    key: str,
    posting: Posting,
    package: Package,
    *,
    score: int | None,
    probability: str | None,
    reasons: list[str],
    folder: Path | StagedFolder | str | None,
    files: list[str],
    review_status: str,
    revision_note: str | None,
    now: datetime,
    inputs_sha256: str | None = None,
    write_error: str | None = None,
) -> ApplicationPackageRow:
    """The record of a package: an ungrounded one is rejected whatever its review said, one whose files
    could not be written is ``failed`` with the reason (and no files)."""
    user_id, _ = split_search_key(key)
    status = "failed" if write_error else review_status if package.ok else "rejected"
    location = folder if folder is None or isinstance(folder, str) else folder_location(folder)
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
        package_dir=location,
        files=[] if write_error else files,
        ats_coverage_before=package.ats_coverage_before,
        ats_coverage_after=package.ats_coverage_after,
        grounded=package.ok,
        review_status=status,
        revision_note=revision_note,
        issues=package.grounding_issues + package.placeholder_issues,
        created_at=now,
        inputs_sha256=inputs_sha256,
        write_error=write_error,
        stories=[
            str(s.get("story")) for s in package.grounding_report.get("stories") or [] if s.get("story")
        ],
    )
