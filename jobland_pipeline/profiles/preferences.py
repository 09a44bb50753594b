"""What a user's settings.yaml says they will not compromise on, merged into the constraints read from
their CV; settings win.

Only the preferences a user actually wrote override the CV (``model_fields_set``): an unset
``willing_to_relocate`` must not erase "I am not relocating" stated in the CV. It lives with profiles
because it describes the person; screening, search and the pipeline all read it from here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jobland_pipeline.lexicon.languages import find_languages
from jobland_pipeline.places import resolve
from jobland_pipeline.profiles.models import Constraints, LanguageSkill, PlaceRef, Profile


class Preferences(BaseModel):
    """What a user will not compromise on (from their settings.yaml); empty means no constraint."""

    model_config = ConfigDict(extra="forbid")

    locations: list[str] = Field(default_factory=list)
    remote: Literal["any", "remote_only", "hybrid_ok", "onsite_only"] = "any"
    willing_to_relocate: bool = False
    no_night_shifts: bool = False
    excluded_companies: list[str] = Field(default_factory=list)
    excluded_keywords: list[str] = Field(default_factory=list)
    needs_visa_sponsorship: bool | None = None
    salary_floor: int | None = Field(default=None, ge=0, description="minimum yearly pay, in salary_currency")
    salary_currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    languages: list[str] = Field(
        default_factory=list, description="languages spoken, besides those on the CV"
    )


def with_preferences(profile: Profile, prefs: Preferences) -> Profile:
    """A copy of the profile whose constraints include the settings (the settings win)."""
    given = prefs.model_fields_set
    if not given:
        return profile
    c = profile.constraints.model_copy(deep=True)
    if "no_night_shifts" in given:
        c.no_nights = prefs.no_night_shifts
    _apply_places(c, prefs, given)
    if "remote" in given:
        _apply_remote(c, prefs.remote)
    if "needs_visa_sponsorship" in given:
        c.needs_sponsorship = prefs.needs_visa_sponsorship
    return profile.model_copy(update={"constraints": c, "language_skills": _spoken(profile, prefs)})


def _apply_places(c: Constraints, prefs: Preferences, given: set[str]) -> None:
    """Relocation, then the places the user will work in (within a default commute)."""
    if "willing_to_relocate" in given:
        c.relocate = prefs.willing_to_relocate
        if prefs.willing_to_relocate:
            c.areas = []
    if "locations" in given and prefs.locations:
        places = [p for p in (resolve(loc) for loc in prefs.locations) if p is not None]
        c.areas = [
            PlaceRef(name=p.name, country=p.country, lat=p.lat, lon=p.lon, kind=p.kind) for p in places
        ]
        c.commute_km = c.commute_km or 60.0


def _apply_remote(c: Constraints, remote: str) -> None:
    """The work setting the user accepts; "any" clears what the CV said."""
    if remote == "remote_only":
        c.remote_ok, c.onsite_ok, c.hybrid_ok, c.max_office_days = True, False, False, 0
    elif remote == "hybrid_ok":
        c.remote_ok, c.hybrid_ok, c.onsite_ok = True, True, False
        c.max_office_days = c.max_office_days if c.max_office_days is not None else 3
    elif remote == "onsite_only":
        c.remote_ok, c.onsite_ok, c.max_office_days = False, True, None
    else:
        c.remote_ok = c.onsite_ok = c.hybrid_ok = None
        c.max_office_days = None


def _spoken(profile: Profile, prefs: Preferences) -> list[LanguageSkill]:
    """The CV's languages plus those the settings add (at a working level)."""
    skills = list(profile.language_skills)
    for name in prefs.languages:
        for code, *_ in find_languages(name):
            if all(s.language != code for s in skills):
                skills.append(LanguageSkill(language=code, level=4, text=f"{name} (settings)"))
    return skills
