"""The profiles stage: a user's best CV and settings -> their Profile record, rebuilt only when needed.

The record is cached by a hash of the CV, the settings and the extractor version: an unchanged CV
is never re-extracted (with an LLM engine that is a paid call saved every day).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from jobland_pipeline.documents.extract import ExtractedDocument
from jobland_pipeline.keys import search_key
from jobland_pipeline.profiles.extract import EXTRACTOR_VERSION
from jobland_pipeline.profiles.models import Contact, Profile, TitleSuggestion
from jobland_pipeline.profiles.preferences import with_preferences
from jobland_pipeline.profiles.records import ProfileRow, SuggestedTitleRow
from jobland_pipeline.profiles.user_settings import UserSettings


class NoUsableCv(ValueError):
    """Neither a readable CV nor pinned titles: nothing to search for (the reasons say why)."""


@dataclass(frozen=True)
class ProfileBuild:
    profile: Profile
    row: ProfileRow
    cached: bool


def build_profile_record(
    user_id: str,
    document: ExtractedDocument | None,
    settings: UserSettings,
    *,
    extract: Callable[[ExtractedDocument], Profile],
    engine_name: str,
    previous: ProfileRow | None,
    refused: str = "no CV file",
    today: date | None = None,
) -> ProfileBuild:
    """The profile from the CV (``extract``) merged with the settings; the previous record when unchanged."""
    if document is None and not settings.pinned_titles:
        raise NoUsableCv(f"No readable CV for user {user_id}: {refused}")
    version = f"{EXTRACTOR_VERSION}/{engine_name}"
    inputs = hashlib.sha256(
        "|".join([document.sha256 if document else "no-cv", version, settings.model_dump_json()]).encode()
    ).hexdigest()
    if previous is not None and previous.inputs_sha256 == inputs and previous.profile_json:
        return ProfileBuild(Profile.model_validate_json(previous.profile_json), previous, cached=True)
    today = today or date.today()
    profile = extract(document) if document is not None else _settings_only(user_id, today)
    profile = _with_settings(profile, settings)
    row = ProfileRow(
        user_id=user_id,
        name=profile.contact.name,
        email=profile.contact.email,
        phone=profile.contact.phone,
        location=profile.contact.location,
        language=profile.language,
        skills=profile.skills,
        years_experience=profile.years_experience,
        seniority=profile.seniority,
        n_roles=len(profile.roles),
        headline=profile.headline or (profile.roles[0].title if profile.roles else None),
        profile_json=profile.model_dump_json(),
        cv_sha256=document.sha256 if document else None,
        inputs_sha256=inputs,
        extractor_version=version,
        built_at=datetime.now(UTC),
    )
    return ProfileBuild(profile, row, cached=False)


def _settings_only(user_id: str, today: date) -> Profile:
    """Settings but no CV: searches run from the pinned titles alone."""
    return Profile(
        user_id=user_id,
        language="en",
        contact=Contact(),
        extractor_version=EXTRACTOR_VERSION,
        as_of=today.isoformat(),
    )


def _with_settings(profile: Profile, settings: UserSettings) -> Profile:
    """What the user wrote in settings.yaml wins over what was read from the CV."""
    profile.contact.email = settings.email or profile.contact.email
    profile.contact.name = settings.name or profile.contact.name
    profile.seniority = settings.seniority or profile.seniority
    return with_preferences(profile, settings.preferences)


def profile_of(row: ProfileRow) -> Profile:
    """The full profile a record holds."""
    if not row.profile_json:
        raise ValueError(f"profile record of {row.user_id} holds no profile")
    return Profile.model_validate_json(row.profile_json)


def title_records(
    user_id: str, titles: list[TitleSuggestion], *, now: datetime | None = None
) -> list[SuggestedTitleRow]:
    """One record per suggested title, ranked; each becomes a ``searches`` partition."""
    now = now or datetime.now(UTC)
    return [
        SuggestedTitleRow(
            user_id=user_id,
            rank=rank,
            title=t.title,
            display_title=t.display_title,
            title_zh=t.title_zh,
            slug=t.slug,
            search_key=search_key(user_id, t.slug),
            family=t.family,
            level=t.level,
            score=t.score,
            reason=t.reason,
            source=t.source,
            aliases=t.aliases,
            skills=t.skills,
            built_at=now,
        )
        for rank, t in enumerate(titles, start=1)
    ]


def suggestion_of(row: SuggestedTitleRow) -> TitleSuggestion:
    """The title a record holds, as searches use it."""
    return TitleSuggestion(
        title=row.title or "",
        slug=row.slug or "",
        display_title=row.display_title or row.title or "",
        title_zh=row.title_zh,
        family=row.family,
        level=row.level,
        aliases=row.aliases,
        skills=row.skills,
        score=row.score or 0.0,
        reason=row.reason or "",
        source=row.source or "cv",
    )
