"""The offline screening score: weighted components, reasons a person can check, rules before keywords."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobland_pipeline.postings.geo import parse_place, place_match
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.profiles.vocab import load_vocabulary
from jobland_pipeline.screening.constraints import (
    Context,
    deal_breakers,
    mentions_night_shifts,
    required_years,
)
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.textutil import TfIdf, best_title_similarity

ENGINE_VERSION = "offline-screen-1"
WEIGHTS = {"skills": 40.0, "title": 20.0, "seniority": 15.0, "location": 15.0, "text": 10.0}
DEAL_BREAKER_CAP = 35
INJECTION = re.compile(
    r"ignore\s+(?:all\s+)?(?:previous|prior|above)\s+instructions|disregard\s+(?:the\s+)?(?:previous|above)"
    r"|rate\s+(?:this\s+)?candidate|you\s+are\s+(?:now\s+)?an?\s+(?:ai|assistant|language model)|system\s+prompt"
    r"|忽略(?:之前|以上)的?指令",
    re.I,
)
_REQUIREMENTS_HEAD = re.compile(
    r"^(requirements|qualifications|what you(?:'ll)? (?:need|bring)|who you are|must have|minimum qualifications"
    r"|required skills|任职要求|岗位要求|任职资格)\b",
    re.I | re.M,
)


@dataclass(frozen=True)
class Thresholds:
    high: int = 70
    medium: int = 50

    def probability(self, score: int) -> str:
        return "High" if score >= self.high else "Medium" if score >= self.medium else "Low"


def _requirements_text(description: str) -> str:
    match = _REQUIREMENTS_HEAD.search(description)
    if not match:
        return description
    rest = description[match.end() :]
    stop = re.search(r"^(benefits|what we offer|perks|about us|福利待遇|我们提供)\b", rest, re.I | re.M)
    return rest[: stop.start()] if stop else rest


def _seniority_fit(profile: Profile, text: str, title: str) -> tuple[float, str | None]:
    years = required_years(text)
    if years is None:
        senior_title = re.search(
            r"\b(senior|sr\.?|lead|principal|staff|head|manager)\b|高级|主管|经理", title, re.I
        )
        if senior_title and profile.seniority in {"entry", "mid"}:
            return 0.5, None
        return 0.8, None
    if profile.years_experience >= years:
        return 1.0, f"{profile.years_experience:g} years of experience meet the {years}+ asked"
    gap = years - profile.years_experience
    return max(0.0, 1 - gap / max(years, 1)), None


def screen_postings(
    profile: Profile,
    postings: list[Posting],
    *,
    cv_text: str,
    search_title: str | None = None,
    prefs: Preferences | None = None,
    thresholds: Thresholds | None = None,
) -> list[Screening]:
    """Screen every posting; deal-breakers cap the score below High whatever the keywords say."""
    prefs = prefs or Preferences()
    thresholds = thresholds or Thresholds()
    matcher = load_vocabulary().matcher
    have = set(profile.skills)
    index = TfIdf([f"{p.title}\n{p.description}" for p in postings])
    text_sims = index.similarities(cv_text)
    user_place = parse_place(profile.contact.location)
    own_titles = [r.title for r in profile.roles[:3]] + ([search_title] if search_title else [])
    results: list[Screening] = []
    for posting, text_sim in zip(postings, text_sims, strict=True):
        full = f"{posting.title}\n{posting.description}"
        # Injected instructions are data; they are cut out before anything reads the text.
        clean = INJECTION.sub(" ", full)
        wanted = matcher.find(clean)
        required = set(matcher.find(_requirements_text(INJECTION.sub(" ", posting.description))))
        weights = {s: (2.0 if s in required else 1.0) for s in wanted}
        matched = sorted((s for s in wanted if s in have), key=lambda s: (-weights[s], s))
        missing = sorted((s for s in wanted if s not in have), key=lambda s: (-weights[s], s))
        skills = sum(weights[s] for s in matched) / sum(weights.values()) if weights else 0.5
        title = best_title_similarity(posting.title, own_titles) if own_titles else 0.5
        seniority, seniority_reason = _seniority_fit(profile, clean, posting.title)
        posting_place = parse_place(posting.location)
        location = 1.0 if posting.remote is True else place_match(user_place, posting_place)
        if posting.remote == "hybrid":
            location = max(location, 0.3)
        text = min(1.0, text_sim / 0.35)
        components = {
            "skills": skills,
            "title": title,
            "seniority": seniority,
            "location": location,
            "text": text,
        }
        raw = sum(WEIGHTS[k] * v for k, v in components.items())
        ctx = Context(posting=posting, text=clean, profile=profile, cv_text=cv_text, prefs=prefs)
        breakers = deal_breakers(ctx)
        score = round(min(raw, DEAL_BREAKER_CAP) if breakers else raw)
        reasons = _reasons(components, matched, wanted, seniority_reason, posting)
        if mentions_night_shifts(clean) and not prefs.no_night_shifts:
            reasons.append("Note: the schedule includes night shifts")
        if INJECTION.search(full):
            reasons.append(
                "The posting contains instructions aimed at automated screeners; they were ignored"
            )
        results.append(
            Screening(
                posting_id=posting.id,
                score=max(0, min(100, score)),
                probability=thresholds.probability(score) if not breakers else "Low",  # type: ignore[arg-type]
                reasons=reasons,
                matched_skills=matched,
                missing_skills=missing[:12],
                deal_breakers=breakers,
                components={k: round(v, 3) for k, v in components.items()},
                method=ENGINE_VERSION,
            )
        )
    return results


def _reasons(
    components: dict[str, float],
    matched: list[str],
    wanted: dict[str, int],
    seniority_reason: str | None,
    posting: Posting,
) -> list[str]:
    reasons: list[str] = []
    if wanted:
        shown = ", ".join(matched[:6])
        reasons.append(
            f"You have {len(matched)} of the {len(wanted)} skills it names" + (f": {shown}" if shown else "")
        )
    if components["title"] >= 0.6:
        reasons.append("The title matches roles you have held or are searching for")
    elif components["title"] < 0.34:
        reasons.append("The title differs from the roles on your CV")
    if seniority_reason:
        reasons.append(seniority_reason[:1].upper() + seniority_reason[1:])
    if posting.remote is True:
        reasons.append("Fully remote")
    elif components["location"] >= 0.7:
        reasons.append(f"Located near you ({posting.location})")
    elif components["location"] <= 0.1:
        reasons.append(f"Located far from you ({posting.location})")
    return reasons
