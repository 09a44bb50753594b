"""Typed shapes of a profile; every text field keeps the CV's own wording."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Contact(BaseModel):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: list[str] = Field(default_factory=list)


class Role(BaseModel):
    """One position held; ``start``/``end`` are ``YYYY-MM`` (``end`` is None while current)."""

    title: str
    employer: str | None = None
    location: str | None = None
    start: str | None = None
    end: str | None = None
    is_current: bool = False
    dates_text: str | None = None
    bullets: list[str] = Field(default_factory=list)


class Education(BaseModel):
    degree: str | None = None
    institution: str | None = None
    year: str | None = None
    text: str


class Profile(BaseModel):
    user_id: str
    language: str
    contact: Contact
    summary: str | None = None
    skills: list[str] = Field(default_factory=list, description="canonical skill names, strongest first")
    skills_listed: list[str] = Field(
        default_factory=list, description="the CV's skills section, verbatim items"
    )
    roles: list[Role] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    years_experience: float = 0.0
    seniority: str = "entry"
    families: dict[str, float] = Field(default_factory=dict, description="share of skills per job family")
    cv_sha256: str | None = None
    extractor_version: str
    as_of: str


class TitleSuggestion(BaseModel):
    title: str
    slug: str
    display_title: str
    title_zh: str | None = None
    family: str | None = None
    level: str | None = None
    aliases: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    score: float
    reason: str
    source: str = "vocabulary"
