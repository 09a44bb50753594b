"""What the LLM must answer, as pydantic models (validated; an invalid answer is repaired once)."""

from __future__ import annotations

from pydantic import BaseModel, Field

# The judge's answer is the screening stage's port: it lives there, the LLM adapter fills it.
from jobland_pipeline.screening.two_stage import LLMScreening

__all__ = ["LLMDossier", "LLMScreening", "LLMTailoredCV", "LLMTailoredRole", "LLMTitle", "LLMTitles"]


class LLMTitle(BaseModel):
    title: str = Field(min_length=2, max_length=120)
    reason: str = Field(min_length=5, max_length=400)


class LLMTitles(BaseModel):
    titles: list[LLMTitle] = Field(min_length=5, max_length=10)


class LLMDossier(BaseModel):
    about: str | None = Field(default=None, max_length=1500)
    mission: str | None = Field(default=None, max_length=600)
    culture: list[str] = Field(default_factory=list, max_length=6)
    red_flags: list[str] = Field(default_factory=list, max_length=6)


class LLMTailoredRole(BaseModel):
    title: str
    employer: str | None = None
    bullets: list[str] = Field(min_length=1, max_length=8)


class LLMTailoredCV(BaseModel):
    headline: str | None = None
    summary: str | None = Field(default=None, max_length=1200)
    skills: list[str] = Field(default_factory=list, max_length=20)
    roles: list[LLMTailoredRole] = Field(min_length=1, max_length=10)
