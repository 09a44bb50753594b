"""Application packages as the warehouse keeps them: one record per package written.

Each row model is its table: fields are the columns (see ``jobland_pipeline.records``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from jobland_pipeline.records import Table


class ApplicationPackageRow(BaseModel):
    """One package per High match: tailored CV, cover letter, cheat sheet."""

    search_key: str | None = Field(default=None, description="searches partition key")
    user_id: str | None = Field(default=None, description="user")
    posting_id: str | None = Field(default=None, description="posting")
    application_id: str | None = Field(default=None, description="'<user>:<posting>' — the tracker's key")
    title: str | None = Field(default=None, description="posting title")
    company: str | None = Field(default=None, description="company")
    location: str | None = Field(default=None, description="posting location")
    url: str | None = Field(default=None, description="posting URL")
    score: int | None = Field(default=None, description="screening score")
    probability: str | None = Field(default=None, description="screening probability")
    reasons: list[str] = Field(default_factory=list, description="screening reasons")
    package_dir: str | None = Field(default=None, description="folder holding the files")
    files: list[str] = Field(default_factory=list, description="file names written")
    ats_coverage_before: float | None = Field(
        default=None, description="share of posting keywords in the original CV"
    )
    ats_coverage_after: float | None = Field(
        default=None, description="share of posting keywords in the tailored CV"
    )
    grounded: bool | None = Field(default=None, description="every fact traces to the CV")
    review_status: str | None = Field(
        default=None,
        description="ready_for_review, approved, rejected, revision_requested, or failed (files not written)",
    )
    revision_note: str | None = Field(
        default=None, description="the reviewer's note the package was regenerated with"
    )
    issues: list[str] = Field(default_factory=list, description="grounding or placeholder problems")
    created_at: datetime | None = Field(default=None, description="when written")
    inputs_sha256: str | None = Field(
        default=None,
        description="digest of everything the package is made from (profile, CV, posting, screening, "
        "dossier, engine and generator versions, theme, tone, reviewer's note): equal means reused, "
        "not generated again",
    )
    write_error: str | None = Field(
        default=None, description="why the package's files could not be written (then no files are listed)"
    )
    stories: list[str] = Field(
        default_factory=list, description="the user's own stories the letter and cheat sheet drew on (titles)"
    )


APPLICATION_PACKAGES = Table(
    "application_packages",
    ApplicationPackageRow,
    "One package per High match: tailored CV, cover letter, cheat sheet.",
)
