"""Screening results (``Preferences``, the user's hard constraints, live with profiles)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from jobland_pipeline.profiles.preferences import Preferences

__all__ = ["Preferences", "Probability", "Screening"]

Probability = Literal["High", "Medium", "Low"]


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
