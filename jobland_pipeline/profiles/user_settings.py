"""A user's ``settings.yaml``: the questionnaire a job seeker fills once (contact, pinned titles,
preferences, review). Validated strictly: an error names the file and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jobland_pipeline.profiles.preferences import Preferences


class SettingsError(ValueError):
    """A setting or settings file that cannot be used; the message names the variable or file and field."""


class UserSettings(BaseModel):
    """Optional ``settings.yaml`` next to a user's CV (the questionnaire a job seeker fills once)."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    name: str | None = Field(default=None, max_length=200)
    pinned_titles: list[str] = Field(default_factory=list, max_length=10)
    seniority: Literal["entry", "mid", "senior", "lead"] | None = None
    cv_urls: list[str] = Field(default_factory=list, max_length=3)
    cv_theme: Literal["classic", "modern"] = "classic"
    letter_tone: Literal["formal", "warm"] = "formal"
    auto_approve: bool = False  # True: packages skip human review and go straight into the digest
    preferences: Preferences = Field(default_factory=Preferences)


def parse_user_settings(text: str | bytes | None, source: str) -> UserSettings:
    """Validate settings.yaml content; errors name the source (file or object key) and the field."""
    if text is None:
        return UserSettings()
    try:
        raw = yaml.safe_load(text) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{source}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(raw, dict):
        raise SettingsError(f"{source}: expected a mapping of settings")
    try:
        return UserSettings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise SettingsError(f"{source}: field '{field}': {first['msg']}") from exc


def load_user_settings(path: Path) -> UserSettings:
    return parse_user_settings(path.read_bytes() if path.exists() else None, str(path))
