"""Screenings as the warehouse keeps them (lossless: components included).

Each row model is its table: fields are the columns (see ``jobland_pipeline.records``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from jobland_pipeline.records import Table


class ScreeningRow(BaseModel):
    """One row per posting of a search: score, probability, reasons and deal-breakers."""

    search_key: str | None = Field(default=None, description="searches partition key")
    user_id: str | None = Field(default=None, description="user")
    posting_id: str | None = Field(default=None, description="posting")
    title: str | None = Field(default=None, description="posting title")
    company: str | None = Field(default=None, description="company")
    score: int | None = Field(default=None, description="0-100")
    probability: str | None = Field(default=None, description="High, Medium or Low")
    reasons: list[str] = Field(default_factory=list, description="why, in plain words")
    matched_skills: list[str] = Field(default_factory=list, description="posting skills the user has")
    missing_skills: list[str] = Field(default_factory=list, description="posting skills the user lacks")
    deal_breakers: list[str] = Field(
        default_factory=list, description="hard constraints violated (never High when non-empty)"
    )
    method: str | None = Field(default=None, description="engine and version that decided")
    stage: int | None = Field(
        default=None, description="1 = deterministic screen decided, 2 = the LLM judge decided"
    )
    prompt_version: str | None = Field(default=None, description="prompt version of the LLM judge (stage 2)")
    components: dict[str, float] = Field(
        default_factory=dict,
        description="the evidence behind the score as JSON: title, lexical, requirements, seniority and "
        "location fit (0-1), relevant_years",
    )
    screened_at: datetime | None = Field(
        default=None,
        description="when this screening was written (the run's time, for a reused row too: the verdict stands "
        "as of then)",
    )
    scored_at: datetime | None = Field(
        default=None,
        description="when the score was computed: screened_at for a row scored in this run, the earlier run's "
        "time for a reused row",
    )
    screened_as: str | None = Field(
        default=None,
        description="new (first screening of the posting in this search), changed (its content changed), "
        "basis_changed (same posting, but the CV, settings, thresholds, engine or code changed), "
        "search_changed (same posting, others of the search changed, and an LLM judge takes the search's "
        "best: scored again) or reused (nothing changed: the previous row kept, not scored again)",
    )
    content_hash: str | None = Field(
        default=None,
        description="digest of the posting as screening reads it (title, company, place, remote, contract, "
        "description, pay)",
    )
    screening_basis: str | None = Field(
        default=None,
        description="digest of everything else the score read: profile (CV hash, extractor), CV text, search "
        "title, preferences, thresholds, engine, model, prompt and matching-code versions",
    )
    interview_chance: float | None = Field(
        default=None,
        description="chance (0-1) that applying leads to an interview: the method's curve fitted on tracked "
        "outcomes, or the stated prior of the probability band until there are enough",
    )
    chance_basis: str | None = Field(
        default=None,
        description="what interview_chance rests on: 'prior', 'prior (12 outcomes, too few)' or "
        "'isotonic on 57 outcomes' / 'platt on 40 outcomes'",
    )
    calibration_version: str | None = Field(
        default=None,
        description="the calibration used: 'prior-1', or the kind and a digest of the outcomes it was fitted on",
    )


SCREENINGS = Table(
    "screenings",
    ScreeningRow,
    "One row per posting of a search: score, probability, reasons and deal-breakers.",
)
