"""Tailor a CV to one posting by selecting and re-ordering the user's own facts (never adding any)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Contact, Education, Profile, Role
from jobland_pipeline.profiles.vocab import load_vocabulary
from jobland_pipeline.textutil import tokens

MAX_BULLETS_PER_ROLE = 5
MAX_SKILLS = 16


class TailoredCV(BaseModel):
    contact: Contact
    headline: str | None = None
    summary: str | None = None
    skills: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    language: str = "en"
    keywords_covered: list[str] = Field(default_factory=list)
    keywords_missing: list[str] = Field(default_factory=list)

    @property
    def skill_labels(self) -> list[str]:
        """The skills as the reader sees them (canonical names stay in ``skills`` for the grounding check)."""
        vocab = load_vocabulary()
        return [vocab.label(s, self.language) for s in self.skills]


def _relevance(text: str, wanted_tokens: set[str], wanted_skills: set[str]) -> float:
    own = set(tokens(text))
    skill_hits = len(set(load_vocabulary().matcher.find(text)) & wanted_skills)
    return 2.0 * skill_hits + len(own & wanted_tokens) / (1 + len(own) ** 0.5)


def tailor_cv(profile: Profile, posting: Posting) -> TailoredCV:
    """Most relevant bullets first within each role, posting skills first; every item is from the profile."""
    posting_text = f"{posting.title}\n{posting.description}"
    wanted_skills = set(load_vocabulary().matcher.find(posting_text))
    wanted_tokens = set(tokens(posting_text))
    roles: list[Role] = []
    for i, role in enumerate(profile.roles):
        ranked = sorted(
            enumerate(role.bullets),
            key=lambda ib: (-_relevance(ib[1], wanted_tokens, wanted_skills), ib[0]),
        )
        keep = MAX_BULLETS_PER_ROLE if i < 2 else 3
        roles.append(role.model_copy(update={"bullets": [b for _, b in ranked[:keep]]}))
    skills = sorted(profile.skills, key=lambda s: (s not in wanted_skills, profile.skills.index(s)))[
        :MAX_SKILLS
    ]
    covered = sorted(wanted_skills & set(profile.skills))
    missing = sorted(wanted_skills - set(profile.skills))
    headline = profile.roles[0].title if profile.roles else None
    return TailoredCV(
        contact=profile.contact,
        headline=headline,
        summary=profile.summary,
        skills=skills,
        roles=roles,
        education=profile.education,
        certifications=profile.certifications,
        languages=profile.languages,
        language=profile.language,
        keywords_covered=covered,
        keywords_missing=missing,
    )


def keyword_coverage(text: str, posting: Posting) -> float:
    """Share of the posting's vocabulary skills that appear in ``text`` (an ATS-style check)."""
    matcher = load_vocabulary().matcher
    wanted = set(matcher.find(f"{posting.title}\n{posting.description}"))
    if not wanted:
        return 1.0
    return round(len(wanted & set(matcher.find(text))) / len(wanted), 3)
