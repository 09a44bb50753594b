"""Two-stage screening: every posting cheaply and deterministically, the LLM only where it pays.

Stage 1 (the offline score) sees every posting; stage 2 sends only the best ``budget`` candidates
without deal-breakers to an LLM judge. Rules beat the judge: a stage-1 deal-breaker is never sent and
never High, a judge's own deal-breaker caps the score, the probability is recomputed from the score,
and on a posting that tries to instruct the screener the judge can only lower the first-stage score
(the score must agree with the evidence and the constraints).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from jobland_pipeline.lexicon.instructions import has_instructions
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.screening.models import Screening
from jobland_pipeline.screening.score import DEAL_BREAKER_CAP, Thresholds


class LLMScreening(BaseModel):
    """What a judge must answer about one posting (validated; an invalid answer is repaired once)."""

    score: int = Field(ge=0, le=100)
    probability: Literal["High", "Medium", "Low"]
    reasons: list[str] = Field(min_length=1, max_length=8)
    missing_skills: list[str] = Field(default_factory=list, max_length=20)
    deal_breakers: list[str] = Field(default_factory=list, max_length=10)


@dataclass(frozen=True)
class Verdict:
    answer: LLMScreening | None  # None: the judge could not answer (the stage-1 result stands)
    method: str  # e.g. "llm:gpt-4o-mini"
    prompt_version: str | None
    note: str | None = None  # why there is no answer, when there is none


Judge = Callable[[Posting, Screening], Verdict]


def candidates(stage1: list[Screening], budget: int) -> list[str]:
    """Posting ids worth an LLM call: the best ``budget`` by stage-1 score, none with deal-breakers."""
    eligible = [s for s in stage1 if not s.deal_breakers]
    eligible.sort(key=lambda s: (-s.score, s.posting_id))
    return [s.posting_id for s in eligible[: max(0, budget)]]


def combine(stage1: Screening, posting: Posting, verdict: Verdict, thresholds: Thresholds) -> Screening:
    """The final screening: the judge's view, held to the rules and to the evidence."""
    answer = verdict.answer
    if answer is None:
        return stage1.model_copy(
            update={"reasons": [*stage1.reasons, f"LLM judge unavailable: {verdict.note}"]}
        )
    reasons = list(answer.reasons)
    score = answer.score
    if has_instructions(posting.description):
        # The posting tries to instruct the screener: the judge may lower the first-stage score, never raise it.
        score = min(score, stage1.score)
        reasons = [
            *reasons,
            "The posting tries to instruct automated screeners; the score cannot exceed the first-stage evidence",
        ]
    breakers = list(dict.fromkeys([*stage1.deal_breakers, *answer.deal_breakers]))
    if breakers:
        score = min(score, DEAL_BREAKER_CAP)
    probability = "Low" if breakers else thresholds.probability(score)
    return Screening(
        posting_id=stage1.posting_id,
        score=score,
        probability=probability,  # type: ignore[arg-type]
        reasons=reasons,
        matched_skills=stage1.matched_skills,
        missing_skills=list(dict.fromkeys([*answer.missing_skills, *stage1.missing_skills]))[:12],
        deal_breakers=breakers,
        components=stage1.components,
        method=verdict.method,
        stage=2,
        prompt_version=verdict.prompt_version,
    )


def two_stage(
    stage1: list[Screening], postings: list[Posting], judge: Judge, *, budget: int, thresholds: Thresholds
) -> list[Screening]:
    by_id = {p.id: p for p in postings}
    chosen = set(candidates(stage1, budget))
    return [
        combine(s, by_id[s.posting_id], judge(by_id[s.posting_id], s), thresholds)
        if s.posting_id in chosen
        else s
        for s in stage1
    ]
