"""A user's ``settings.yaml``: the questionnaire a job seeker fills once (contact, pinned titles,
preferences, review). Validated strictly: an error names the file and the field."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from jobland_pipeline.profiles.preferences import Preferences

MAX_POSTING_URLS = 20
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class SettingsError(ValueError):
    """A setting or settings file that cannot be used; the message names the variable or file and field."""


class UserSettings(BaseModel):
    """Optional ``settings.yaml`` next to a user's CV (the questionnaire a job seeker fills once)."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, max_length=254)
    name: str | None = Field(default=None, max_length=200)
    pinned_titles: list[str] = Field(default_factory=list, max_length=10)
    seniority: Literal["entry", "mid", "senior", "lead"] | None = None
    cv_urls: list[str] = Field(default_factory=list, max_length=3)
    # Postings the user found themselves: downloaded and screened with the next run's search.
    posting_urls: list[str] = Field(default_factory=list, max_length=MAX_POSTING_URLS)
    cv_theme: Literal["classic", "modern"] = "classic"
    letter_tone: Literal["formal", "warm"] = "formal"
    auto_approve: bool = False  # True: packages skip human review and go straight into the digest
    preferences: Preferences = Field(default_factory=Preferences)

    @field_validator("name", "email")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        """Both end up in e-mail headers: a line break there would let a file add headers."""
        if value is not None and re.search(r"[\x00-\x1f\x7f]", value):
            raise ValueError("must be one line: no line breaks or control characters")
        return value

    @field_validator("posting_urls")
    @classmethod
    def _web_addresses(cls, value: list[str]) -> list[str]:
        """Each an http(s) URL with a host, one line, at most 2,000 characters; duplicates dropped.
        (Whether its address is public is checked when it is downloaded, hop by hop.)"""
        for number, url in enumerate(value, start=1):
            try:
                parts = urlsplit(url) if len(url) <= 2000 and not _SPACE_OR_CONTROL.search(url) else None
            except ValueError:  # an unbalanced IPv6 bracket
                parts = None
            if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"item {number} is not an http(s) URL of a posting page")
        return list(dict.fromkeys(value))

    @field_validator("email")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s<>\",;]+@[^@\s<>\",;]+\.[A-Za-z]{2,}", value):
            raise ValueError(f"{value!r} is not an e-mail address (name@example.org)")
        return value


MAX_SETTINGS_BYTES = 64 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: a settings file never needs them, and expanding them is how a few hundred
    bytes become gigabytes ("billion laughs"). Refused at the first alias, before anything expands."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.YAMLError(f"aliases (*name) are not allowed (line {mark.line + 1})")
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def parse_user_settings(text: str | bytes | None, source: str) -> UserSettings:
    """Validate settings.yaml content; errors name the source (file or object key) and the field.

    The file is refused above 64 KB and at its first YAML alias, before anything is expanded, and an
    error never repeats the input: a hostile file costs a few times its own size, not gigabytes.
    """
    if text is None:
        return UserSettings()
    if len(text) > MAX_SETTINGS_BYTES:
        raise SettingsError(
            f"{source}: {len(text):,} bytes; a settings file is at most {MAX_SETTINGS_BYTES:,}"
        )
    try:
        raw = yaml.load(text, Loader=_NoAliasLoader) or {}  # a SafeLoader without aliases
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{source}: not valid YAML ({str(exc).splitlines()[0][:200]})") from exc
    if not isinstance(raw, dict):
        raise SettingsError(f"{source}: expected a mapping of settings")
    try:
        return UserSettings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        field = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")[:200]
        if first["type"] == "extra_forbidden":
            message = f"not a setting{_did_you_mean(first['loc'])}"
        raise SettingsError(f"{source}: field '{field}': {message}") from None


def _did_you_mean(loc: tuple[int | str, ...]) -> str:
    """The known setting closest to a misspelt one ("emial" -> email), at its level of the file."""
    model: type[BaseModel] = UserSettings
    for part in loc[:-1]:
        annotation = model.model_fields[str(part)].annotation if str(part) in model.model_fields else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return ""
        model = annotation
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else f" (settings here: {', '.join(model.model_fields)})"


def load_user_settings(path: Path) -> UserSettings:
    return parse_user_settings(path.read_bytes() if path.exists() else None, str(path))
