"""Screening results and the user preferences that turn into hard constraints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Probability = Literal["High", "Medium", "Low"]


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


class Screening(BaseModel):
    posting_id: str
    score: int = Field(ge=0, le=100)
    probability: Probability
    reasons: list[str]
    matched_skills: list[str]
    missing_skills: list[str]
    deal_breakers: list[str]
    components: dict[str, float]
    method: str
    stage: int = 1  # 1: the deterministic screen decided; 2: the LLM judge decided
    prompt_version: str | None = None
