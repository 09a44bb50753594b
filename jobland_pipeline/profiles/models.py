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


class Entry(BaseModel):
    """A project, award, publication or other item kept as the CV wrote it."""

    title: str
    bullets: list[str] = Field(default_factory=list)


class LanguageSkill(BaseModel):
    """A spoken language: ISO code, CEFR-like level 1-6 (6 = native), the CV's words."""

    language: str
    level: int | None = Field(default=None, ge=1, le=6)
    text: str
    limited: bool = Field(default=False, description="the CV says it cannot be used for work")


class PlaceRef(BaseModel):
    """A place the CV names: where the person lives or will work."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    kind: str = "city"  # city | admin1 | admin2 | country | region
    countries: list[str] = Field(default_factory=list, description="for a region: its member countries")


class Constraints(BaseModel):
    """What the person can or will not do, as stated in the CV (and settings, which win).

    Every field is optional: an empty field means the CV says nothing about it, never "no".
    """

    home: PlaceRef | None = None
    areas: list[PlaceRef] = Field(default_factory=list, description="where the person will work")
    commute_km: float | None = None
    relocate: bool | None = None
    remote_ok: bool | None = None
    remote_countries: list[str] = Field(default_factory=list)
    hybrid_ok: bool | None = None
    onsite_ok: bool | None = None
    max_office_days: int | None = None
    no_site_based: bool = False
    no_away_work: bool = False
    no_nights: bool = False
    no_rotating_shifts: bool = False
    work_rights: list[str] = Field(default_factory=list, description="countries the person may work in")
    no_work_rights: list[str] = Field(default_factory=list)
    needs_sponsorship: bool | None = None
    lacks: list[str] = Field(default_factory=list, description="credentials the CV says it does not hold")
    credentials_only: list[str] = Field(
        default_factory=list, description="the only jurisdictions or issuers of the person's credentials"
    )
    permanent_only: bool = False
    no_seasonal: bool = False
    no_temporary: bool = False
    avoid_roles: list[str] = Field(default_factory=list, description="work the person is leaving behind")
    evidence: list[str] = Field(default_factory=list, description="the CV sentences these were read from")


class FieldYears(BaseModel):
    """Years in one line of work (roles with the same occupation), for relevant-experience checks."""

    field: str
    years: float
    titles: list[str] = Field(default_factory=list)


class Profile(BaseModel):
    user_id: str
    language: str
    contact: Contact
    headline: str | None = None
    summary: str | None = None
    skills: list[str] = Field(
        default_factory=list, description="skills and tools in the CV's own words, strongest first"
    )
    skills_listed: list[str] = Field(
        default_factory=list, description="the CV's skills section, verbatim items"
    )
    roles: list[Role] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list, description="spoken languages as the CV writes them")
    language_skills: list[LanguageSkill] = Field(default_factory=list)
    projects: list[Entry] = Field(default_factory=list)
    awards: list[str] = Field(default_factory=list)
    publications: list[str] = Field(default_factory=list)
    other_sections: dict[str, list[str]] = Field(
        default_factory=dict, description="volunteering, activities, flight time... kept verbatim"
    )
    targets: list[str] = Field(default_factory=list, description="job titles the CV says it is looking for")
    years_experience: float = 0.0
    experience_by_field: list[FieldYears] = Field(default_factory=list)
    seniority: str = "entry"
    constraints: Constraints = Field(default_factory=Constraints)
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
    skills: list[str] = Field(
        default_factory=list,
        description="the CV's skills that speak for this title; for a title pinned without a CV, the tools "
        "O*NET lists for its occupation (what such postings usually ask)",
    )
    score: float
    reason: str
    source: str = "cv"
