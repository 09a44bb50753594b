"""The offline screening score: evidence from the CV's own text, deal-breakers from both sides.

score = 100 x (title fit, shared words, covered requirements, seniority, place), weighted; a
deal-breaker caps it below every real match. Each part is a function of this CV and this posting
only (background word rarity is fixed), so ``jobland screen``, ``jobland tailor`` and the pipeline
give the same pair the same score. Weights and thresholds were tuned on the development set in
``../shared/eval`` and checked on the real CVs (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jobland_pipeline.messages import say
from jobland_pipeline.places import resolve
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.screening import dealbreakers
from jobland_pipeline.screening.analysis import PostingAnalysis, analyse
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.preferences import with_preferences
from jobland_pipeline.screening.relevance import Relevance, index_cv, relevance

ENGINE_VERSION = "offline-screen-2"
WEIGHTS = {"title": 0.40, "lexical": 0.20, "requirements": 0.15, "seniority": 0.15, "location": 0.10}
DEAL_BREAKER_CAP = 6
DEAL_BREAKER_SCALE = 0.06


@dataclass(frozen=True)
class Thresholds:
    high: int = 70
    medium: int = 50

    def probability(self, score: int) -> str:
        return "High" if score >= self.high else "Medium" if score >= self.medium else "Low"


def combine(rel: Relevance) -> float:
    """The weighted evidence; across languages shared words are scarce, so the title counts for more."""
    parts = {
        "title": rel.title,
        "lexical": rel.lexical,
        "requirements": rel.requirements,
        "seniority": rel.seniority,
        "location": rel.location,
    }
    weights = dict(WEIGHTS)
    if rel.language_match < 1.0:
        for key in ("lexical", "requirements"):
            moved = weights[key] * (1 - rel.language_match)
            weights[key] -= moved
            weights["title"] += moved * 0.5
    total = sum(weights.values())
    raw = sum(weights[k] * v for k, v in parts.items()) / total
    if rel.level_gap <= -2:
        raw *= 0.45  # several levels below the person: not a step anyone takes
    return 100 * raw


def screen_postings(
    profile: Profile,
    postings: list[Posting],
    *,
    cv_text: str,
    search_title: str | None = None,
    prefs: Preferences | None = None,
    thresholds: Thresholds | None = None,
) -> list[Screening]:
    """Screen every posting; deal-breakers cap the score below High whatever the evidence says."""
    return list(iter_screenings(profile, postings, cv_text=cv_text, prefs=prefs, thresholds=thresholds))


def iter_screenings(
    profile: Profile,
    postings: list[Posting],
    *,
    cv_text: str,
    prefs: Preferences | None = None,
    thresholds: Thresholds | None = None,
) -> Iterator[Screening]:
    """One screening at a time (a large postings file is streamed, not held twice in memory)."""
    prefs = prefs or Preferences()
    thresholds = thresholds or Thresholds()
    person = with_preferences(profile, prefs)
    home = resolve(person.contact.location) if person.contact.location else None
    cv = index_cv(person, cv_text, home)
    cv_literal = dealbreakers.CvText.of(cv_text)
    for posting in postings:
        yield screen_one(person, posting, cv, cv_literal, prefs, thresholds)


def screen_one(
    profile: Profile,
    posting: Posting,
    cv: object,
    cv_literal: dealbreakers.CvText,
    prefs: Preferences,
    thresholds: Thresholds,
) -> Screening:
    a = analyse(posting)
    rel = relevance(profile, cv, posting, a)  # type: ignore[arg-type]
    breakers = dealbreakers.check(profile, posting, a.demands, cv_literal, prefs, a.text, a.language)
    raw = combine(rel)
    avoided = _avoided(profile, posting)
    if avoided:
        raw = min(raw, 30.0)
    # A deal-breaker sinks the posting below every real match (scaled, so their order still says which fit).
    score = round(min(DEAL_BREAKER_CAP, raw * DEAL_BREAKER_SCALE) if breakers else raw)
    score = max(0, min(100, score))
    lang = profile.language
    reasons = _reasons(rel, posting, lang)
    if avoided:
        reasons.append(say("avoid_role", lang, what=avoided))
    if a.injected:
        reasons.append(say("injection", lang))
    return Screening(
        posting_id=posting.id,
        score=score,
        probability="Low" if breakers else thresholds.probability(score),  # type: ignore[arg-type]
        reasons=reasons,
        matched_skills=_matched(profile, a),
        missing_skills=rel.missing,
        deal_breakers=breakers,
        components={
            "title": rel.title,
            "lexical": rel.lexical,
            "requirements": rel.requirements,
            "seniority": rel.seniority,
            "location": rel.location,
            "relevant_years": rel.relevant_years,
        },
        method=ENGINE_VERSION,
    )


def _avoided(profile: Profile, posting: Posting) -> str | None:
    from jobland_pipeline.lexicon.titles import title_similarity

    for role in profile.constraints.avoid_roles:
        if title_similarity(posting.title, role) >= 0.6:
            return role
    return None


def _matched(profile: Profile, a: PostingAnalysis) -> list[str]:
    """The CV's own skills (its words) that the posting names too."""
    from jobland_pipeline.lexicon.tokens import tokens

    posting_tokens = a.weights
    out: list[str] = []
    for skill in profile.skills:
        skill_tokens = [t for t in tokens(skill) if not t.isdigit()]
        if skill_tokens and all(t in posting_tokens for t in skill_tokens):
            out.append(skill)
    return out[:12]


def _reasons(rel: Relevance, posting: Posting, lang: str) -> list[str]:
    """The reader's reasons, one per part of the evidence, in a fixed order: title, requirements,
    shared words, years, level, place. Parts with nothing worth saying are left out."""
    reasons: list[str] = []
    reasons += _title_reason(rel, lang)
    reasons.append(_requirements_reason(rel, lang))
    if rel.shared:
        sep = "、" if lang.startswith("zh") else ", "
        reasons.append(say("evidence", lang, terms=sep.join(rel.shared[:5])))
    if rel.years_asked:
        key = "years_ok" if rel.relevant_years >= rel.years_asked else "years_short"
        reasons.append(say(key, lang, years=rel.relevant_years, asked=rel.years_asked))
    reasons += _level_reason(rel, lang)
    reasons += _place_reason(rel, posting, lang)
    return reasons


def _title_reason(rel: Relevance, lang: str) -> list[str]:
    """Say which held title matches, or that the titles differ; a middling fit says nothing."""
    if rel.title >= 0.55 and rel.title_role:
        return [say("title_match", lang, role=rel.title_role)]
    if rel.title < 0.3:
        return [say("title_differs", lang)]
    return []


def _requirements_reason(rel: Relevance, lang: str) -> str:
    """How many listed requirements the CV covers, or that the posting lists none."""
    if rel.requirements_total:
        return say("requirements", lang, covered=rel.requirements_covered, total=rel.requirements_total)
    return say("no_requirements", lang)


def _level_reason(rel: Relevance, lang: str) -> list[str]:
    """A posting below or above the person's level."""
    if rel.level_gap <= -1:
        return [say("level_below", lang)]
    if rel.level_gap >= 1:
        return [say("level_above", lang)]
    return []


def _place_reason(rel: Relevance, posting: Posting, lang: str) -> list[str]:
    """Remote, near (60 km or less) or far (over 300 km); in between is not worth a line."""
    if posting.remote is True:
        return [say("remote", lang)]
    if rel.distance_km is not None and rel.distance_km <= 60:
        return [say("near", lang, place=posting.location)]
    if rel.distance_km is not None and rel.distance_km > 300:
        return [say("far", lang, place=posting.location)]
    return []
