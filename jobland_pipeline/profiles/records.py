"""Profiles and suggested titles as the warehouse keeps them.

Each row model is its table: fields are the columns (see ``jobland_pipeline.records``)."""

from __future__ import annotations

from datetime import date, datetime  # noqa: F401 (column types)

from pydantic import BaseModel, Field

from jobland_pipeline.records import Table


class ProfileRow(BaseModel):
    """The structured profile of each user, rebuilt when the CV or the extractor changes."""

    user_id: str | None = Field(default=None, description="user partition key")
    name: str | None = Field(default=None, description="name from the CV")
    email: str | None = Field(default=None, description="e-mail from the CV or settings")
    phone: str | None = Field(default=None, description="phone from the CV")
    location: str | None = Field(default=None, description="location from the CV")
    language: str | None = Field(default=None, description="CV language")
    skills: list[str] = Field(default_factory=list, description="canonical skills found, strongest first")
    years_experience: float | None = Field(default=None, description="years, overlaps merged")
    seniority: str | None = Field(default=None, description="entry, mid, senior or lead")
    n_roles: int | None = Field(default=None, description="roles found")
    headline: str | None = Field(
        default=None, description="the title the CV presents the person with (else the current role)"
    )
    profile_json: str | None = Field(
        default=None, description="the full Profile as JSON (roles with bullets, education, languages...)"
    )
    cv_sha256: str | None = Field(
        default=None, description="hash of the CV the profile was built from (null: settings only)"
    )
    inputs_sha256: str | None = Field(
        default=None, description="hash of CV, settings and extractor version: unchanged = not rebuilt"
    )
    extractor_version: str | None = Field(default=None, description="extractor version")
    built_at: datetime | None = Field(default=None, description="when the profile was built")


PROFILES = Table(
    "profiles",
    ProfileRow,
    "The structured profile of each user, rebuilt when the CV or the extractor changes.",
)


class SuggestedTitleRow(BaseModel):
    """5-10 specific job titles per user, each with the reason it was suggested."""

    user_id: str | None = Field(default=None, description="user partition key")
    rank: int | None = Field(default=None, description="1 = best fit")
    title: str | None = Field(default=None, description="title searched (English)")
    display_title: str | None = Field(
        default=None, description="title shown to the user (in the CV's language)"
    )
    title_zh: str | None = Field(default=None, description="Chinese title")
    slug: str | None = Field(default=None, description="title slug")
    search_key: str | None = Field(default=None, description="searches partition key '<user>::<slug>'")
    family: str | None = Field(default=None, description="job family")
    level: str | None = Field(default=None, description="entry, mid, senior or lead")
    score: float | None = Field(default=None, description="fit score 0-100")
    reason: str | None = Field(default=None, description="why this title")
    source: str | None = Field(
        default=None,
        description="cv (the person's own title), taxonomy (O*NET/ESCO generalisation) or pinned",
    )
    aliases: list[str] = Field(default_factory=list, description="other names of the title, used by searches")
    skills: list[str] = Field(default_factory=list, description="the title's core skills")
    built_at: datetime | None = Field(default=None, description="when suggested")


SUGGESTED_TITLES = Table(
    "suggested_titles",
    SuggestedTitleRow,
    "5-10 specific job titles per user, each with the reason it was suggested.",
)
