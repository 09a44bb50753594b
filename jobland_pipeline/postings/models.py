"""The one posting schema every engine normalises to."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Posting(BaseModel):
    """A job posting; ``description`` is clean plain text (never HTML)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=300)
    company: str = Field(min_length=1, max_length=200)
    location: str = Field(default="", max_length=300)
    remote: bool | Literal["hybrid"] = False
    employment_type: str | None = None
    posted_at: date | None = None
    salary: str | None = None
    url: str | None = None
    description: str = Field(default="", max_length=60_000)
    source: str = "local"
    source_id: str | None = None  # the engine's own id (Greenhouse job id, SerpAPI job_id, ...)
    apply_url: str | None = None  # direct application link (the ATS one when known)
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None  # year | month | week | day | hour

    @field_validator("remote", mode="before")
    @classmethod
    def _remote(cls, value: object) -> object:
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in {"true", "yes", "remote"}:
                return True
            if lowered in {"false", "no", "onsite", "on-site"}:
                return False
        return value

    @property
    def remote_flag(self) -> str:
        return "hybrid" if self.remote == "hybrid" else str(bool(self.remote)).lower()
