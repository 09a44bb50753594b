"""The offline dossier: what the company's own postings say about it, with every sentence sourced.

With no research engine configured there is no news: the dossier says so instead of inventing any.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel, Field

from jobland_pipeline.keys import slugify
from jobland_pipeline.lexicon.instructions import has_instructions, remove_instructions
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.requirements import requirement_lines


class NewsItem(BaseModel):
    title: str
    url: str | None = None
    published: str | None = None


class Dossier(BaseModel):
    company: str
    company_slug: str
    about: str | None = None
    mission: str | None = None
    culture: list[str] = Field(default_factory=list)
    benefits: list[str] = Field(default_factory=list)
    open_roles: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)
    skills_in_demand: list[str] = Field(default_factory=list)
    news: list[NewsItem] = Field(default_factory=list)
    news_note: str | None = None
    red_flags: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    method: str = "offline"


_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|\n+")
_CULTURE = re.compile(
    r"\b(culture|values?|we value|we believe|inclusive|diverse|diversity|collaborat\w+|supportive|"
    r"growth|learning|respect|integrity|flexib\w+|work-life|wellbeing|well-being)\b|文化|价值观|团队氛围",
    re.I,
)
_MISSION = re.compile(r"\b(mission|purpose|vision|we exist to|our goal)\b|使命|愿景", re.I)
_RED_FLAGS = {
    r"\bcommission[- ]only\b": "Pay is commission-only",
    r"\bunpaid\b": "Mentions unpaid work",
    r"\bwear many hats\b": "'Wear many hats' often means an under-staffed team",
    r"\b(rockstar|ninja|guru)\b": "Hype wording ('rockstar/ninja') instead of a clear job description",
    r"\b(24/7|always on call|available at all times)\b": "Expects round-the-clock availability",
    r"\bmandatory overtime\b": "Mandatory overtime",
    r"\bfamily\b[^.]{0,20}\bwe are\b|\bwe are (?:like )?a family\b": "'We are a family' can blur work-life boundaries",
    r"\bpay (?:a|the) (?:training|starter) fee\b|\bsend (?:us )?money\b": "Asks the applicant for money",
}


def _sentences(text: str) -> list[str]:
    return [s.strip(" -•\t") for s in _SENTENCE.split(text) if 20 <= len(s.strip()) <= 400]


def _section_lines(text: str, heads: str) -> list[str]:
    match = re.search(rf"^(?:{heads})\b.*$", text, re.I | re.M)
    if not match:
        return []
    lines: list[str] = []
    for line in text[match.end() :].split("\n"):
        line = line.strip()
        if not line:
            if lines:
                break
            continue
        if not line.startswith(("-", "•", "*")) and lines:
            break
        lines.append(line.lstrip("-•* ").strip())
    return lines


def _benefits(texts: list[str]) -> list[str]:
    """The lines listed under a benefits heading, each once, at most eight."""
    benefits: list[str] = []
    for text in texts:
        benefits.extend(_section_lines(text, r"benefits|what we offer|perks|福利待遇|我们提供"))
    return list(dict.fromkeys(benefits))[:8]


def _skills_in_demand(texts: list[str]) -> list[str]:
    """What the company asks for, in its own words: its short requirement lines, most repeated first
    (pay, benefits and hours are what it offers, not what it asks: ``requirement_lines`` leaves them out)."""
    skills: Counter[str] = Counter()
    for text in texts:
        skills.update(line for line in requirement_lines(text)[0] if len(line) <= 80)
    return [s for s, _ in skills.most_common(10)]


def _red_flags(postings: list[Posting]) -> list[str]:
    joined = "\n".join(f"{p.title}\n{p.description}" for p in postings)
    red_flags = [label for pattern, label in _RED_FLAGS.items() if re.search(pattern, joined, re.I)]
    if any(has_instructions(p.description) for p in postings):
        red_flags.append("A posting contains hidden instructions aimed at automated screening tools")
    return red_flags


def _about(texts: list[str]) -> str | None:
    """The longest first paragraph of the postings (cut at 1,200 characters)."""
    first_paragraphs = [t.split("\n\n", 1)[0].strip() for t in texts if t.strip()]
    about = max(first_paragraphs, key=len, default=None)
    return about[:1200] if about else None


def build_dossier(company: str, postings: list[Posting]) -> Dossier:
    """Summarise a company from its postings in hand (offline engine)."""
    texts = [remove_instructions(p.description)[0] for p in postings]
    sentences = [s for t in texts for s in _sentences(t)]
    mission = next((s for s in sentences if _MISSION.search(s)), None)
    culture = list(dict.fromkeys(s for s in sentences if _CULTURE.search(s) and s != mission))[:4]
    return Dossier(
        company=company,
        company_slug=slugify(company),
        about=_about(texts),
        mission=mission,
        culture=culture,
        benefits=_benefits(texts),
        open_roles=sorted({p.title for p in postings}),
        locations=sorted({p.location for p in postings if p.location}),
        skills_in_demand=_skills_in_demand(texts),
        news=[],
        news_note="No news source is configured (offline mode); connect Exa to add recent news.",
        red_flags=_red_flags(postings),
        sources=sorted({p.url for p in postings if p.url}),
    )
