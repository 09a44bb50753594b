"""Tailor a CV to one posting by re-ordering the person's own facts (never adding any).

Every section of the CV is kept: headline, summary, skills, every role with its employer, place and
dates, projects, education, certifications (whole lines), languages (verbatim), awards,
publications, links and the other sections (volunteering, flight time...). Within each role the
bullets most relevant to the posting's requirement lines come first, by rarity-weighted word
overlap (a shared rare word such as "ETABS" counts for much more than a shared "team"); skills the
posting names come first. Nothing from the posting is ever copied into the CV: its words are only
used to order the CV's own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from jobland_pipeline.generation.text import PostingText, contains, normalise, repair
from jobland_pipeline.lexicon.idf import idf
from jobland_pipeline.lexicon.tokens import STOPWORDS, tokens
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Contact, Education, Entry, Profile, Role

TERM_IDF = 3.5  # a posting word at least this rare is one of its distinctive terms
MAX_TERMS = 20


class TailoredCV(BaseModel):
    contact: Contact
    headline: str | None = None
    summary: str | None = None
    skills: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    projects: list[Entry] = Field(default_factory=list)
    awards: list[str] = Field(default_factory=list)
    publications: list[str] = Field(default_factory=list)
    other_sections: dict[str, list[str]] = Field(default_factory=dict)
    language: str = "en"
    keywords_covered: list[str] = Field(
        default_factory=list, description="distinctive terms of the posting's requirements the CV uses"
    )
    keywords_missing: list[str] = Field(
        default_factory=list, description="distinctive terms of the posting's requirements the CV lacks"
    )

    @property
    def skill_labels(self) -> list[str]:
        """The skills as the reader sees them: the CV's own words."""
        return list(self.skills)

    def text(self) -> str:
        """Every word the CV shows (for keyword coverage)."""
        parts = [self.headline or "", self.summary or "", *self.skills]
        for role in self.roles:
            parts += [
                role.title,
                role.employer or "",
                role.location or "",
                role.dates_text or "",
                *role.bullets,
            ]
        for entry in self.projects:
            parts += [entry.title, *entry.bullets]
        parts += [e.text for e in self.education]
        parts += [*self.certifications, *self.languages, *self.awards, *self.publications]
        parts += [x for items in self.other_sections.values() for x in items]
        return "\n".join(p for p in parts if p)


# --- what the posting asks for -----------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """The posting's words, weighted by rarity: requirement lines count double."""

    weights: dict[str, float]
    requirements: list[str]

    @classmethod
    def of(cls, posting: PostingText) -> Wanted:
        weights: dict[str, float] = {}
        for t in set(tokens(f"{posting.title}\n{posting.description}")):
            weights[t] = idf(t)
        for t in set(tokens("\n".join([posting.title, *posting.requirements]))):
            weights[t] = 2 * idf(t)
        return cls(weights=weights, requirements=posting.requirements)


def relevance(text: str, weights: dict[str, float]) -> float:
    """Rarity-weighted overlap of ``text`` with the posting, damped for long texts."""
    own = set(tokens(text))
    if not own:
        return 0.0
    return sum(weights.get(t, 0.0) for t in own) / math.sqrt(1 + len(own))


def _ranked(items: list[str], weights: dict[str, float]) -> list[str]:
    scored = sorted(enumerate(items), key=lambda ib: (-relevance(ib[1], weights), ib[0]))
    return [b for _, b in scored]


_HAN_SPLIT = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(
    r"[0-9A-Za-z\u00c0-\u024f][0-9A-Za-z\u00c0-\u024f+#]*(?:[./-][0-9A-Za-z\u00c0-\u024f+#]+)*"
)


def _latin_term(surface: str, seen: set[str]) -> tuple[float, list[str]] | None:
    """(rarity, tokens) of a Latin word that is one rare token not seen yet; None otherwise."""
    toks = tokens(surface)
    if len(toks) != 1 or toks[0] in seen or toks[0] in STOPWORDS:
        return None
    if len(re.findall(r"[^\W\d_]", surface)) < 2 or re.search(r"[\u3400-\u9fff]", surface):
        return None
    rarity = idf(toks[0])
    if rarity >= TERM_IDF and len(toks[0]) > 1:
        return rarity, toks
    return None


def _han_term(segment: str, seen: set[str]) -> tuple[float, list[str]] | None:
    """(rarity, bigrams) of a short Han run not seen yet whose bigrams are rare on average."""
    if not 2 <= len(segment) <= 6:
        return None
    toks = [t for t in tokens(segment) if len(t) == 2]
    if not toks or segment in seen:
        return None
    rarity = sum(idf(t) for t in toks) / len(toks)
    return (rarity, toks) if rarity >= TERM_IDF else None


def posting_terms(posting: PostingText) -> list[tuple[str, list[str]]]:
    """Distinctive terms of the requirement lines: (the posting's word, its tokens), rarest first."""
    seen: set[str] = set()
    found: list[tuple[float, int, str, list[str]]] = []
    for line in posting.requirements:
        for m in _LATIN_WORD.finditer(line):
            surface = m.group(0).strip(".-/")
            term = _latin_term(surface, seen)
            if term is not None:
                seen.add(term[1][0])
                found.append((term[0], len(found), surface, term[1]))
        for segment in _HAN_SPLIT.split(line):
            term = _han_term(segment, seen)
            if term is not None:
                seen.add(segment)
                found.append((term[0], len(found), segment, term[1]))
    found.sort(key=lambda x: (-x[0], x[1]))
    return [(surface, toks) for _, _, surface, toks in found]


def _present(toks: list[str], own: set[str]) -> bool:
    if len(toks) == 1:
        return toks[0] in own
    return sum(t in own for t in toks) / len(toks) >= 0.75


def keyword_report(text: str, posting: Posting | PostingText) -> tuple[list[str], list[str]]:
    """(terms of the posting's requirements ``text`` uses, terms it lacks), in the posting's words."""
    clean = posting if isinstance(posting, PostingText) else PostingText.of(posting)
    own = set(tokens(text))
    covered: list[str] = []
    missing: list[str] = []
    for surface, toks in posting_terms(clean):
        (covered if _present(toks, own) else missing).append(surface)
    return covered[:MAX_TERMS], missing[:MAX_TERMS]


def keyword_coverage(text: str, posting: Posting | PostingText) -> float:
    """Share of the posting's distinctive requirement terms that ``text`` uses (an ATS-style check)."""
    clean = posting if isinstance(posting, PostingText) else PostingText.of(posting)
    terms = posting_terms(clean)
    if not terms:
        return 1.0
    own = set(tokens(text))
    return round(sum(_present(toks, own) for _, toks in terms) / len(terms), 3)


# --- the tailored CV ---------------------------------------------------------------------------


def _skills(profile: Profile, wanted: Wanted, posting_norm: str) -> list[str]:
    """The CV's skills section (all of it), then the CV's other skills the posting names; relevant first."""
    listed = [repair(s) for s in (profile.skills_listed or profile.skills)]
    extra = [
        repair(s)
        for s in profile.skills
        if s not in profile.skills_listed and profile.skills_listed and contains(posting_norm, s)
    ]
    skills = list(dict.fromkeys(s for s in listed + extra if s.strip()))

    def score(ib: tuple[int, str]) -> tuple[float, int]:
        i, skill = ib
        named = contains(posting_norm, skill)
        return (-(relevance(skill, wanted.weights) + (10.0 if named else 0.0)), i)

    return [s for _, s in sorted(enumerate(skills), key=score)]


def _roles(profile: Profile, wanted: Wanted) -> list[Role]:
    """Every role, its bullets most relevant first."""
    return [
        role.model_copy(
            update={
                "title": repair(role.title),
                "employer": repair(role.employer) or None,
                "location": repair(role.location) or None,
                "bullets": _ranked([repair(b) for b in role.bullets], wanted.weights),
            }
        )
        for role in profile.roles
    ]


def _projects(profile: Profile, wanted: Wanted) -> list[Entry]:
    """Every project, the most relevant first, each with its bullets most relevant first."""
    projects = [
        Entry(title=repair(p.title), bullets=_ranked([repair(b) for b in p.bullets], wanted.weights))
        for p in profile.projects
    ]
    return [
        p
        for _, p in sorted(
            enumerate(projects),
            key=lambda ip: (-relevance(" ".join([ip[1].title, *ip[1].bullets]), wanted.weights), ip[0]),
        )
    ]


def _education(profile: Profile) -> list[Education]:
    return [
        e.model_copy(
            update={
                "text": repair(e.text),
                "degree": repair(e.degree) or None,
                "institution": repair(e.institution) or None,
            }
        )
        for e in profile.education
    ]


def tailor_cv(profile: Profile, posting: Posting) -> TailoredCV:
    """The CV re-ordered for ``posting``: every section and fact kept, nothing added."""
    clean = PostingText.of(posting)
    wanted = Wanted.of(clean)
    posting_norm = normalise(clean.full)
    roles = _roles(profile, wanted)
    projects = _projects(profile, wanted)
    headline = repair(profile.headline) or (repair(profile.roles[0].title) if profile.roles else None)
    cv = TailoredCV(
        contact=profile.contact.model_copy(deep=True),
        headline=headline or None,
        summary=repair(profile.summary) or None,
        skills=_skills(profile, wanted, posting_norm),
        roles=roles,
        education=_education(profile),
        certifications=[repair(c) for c in profile.certifications],
        languages=[repair(x) for x in profile.languages],
        projects=projects,
        awards=[repair(x) for x in profile.awards],
        publications=[repair(x) for x in profile.publications],
        other_sections={k: [repair(x) for x in v] for k, v in profile.other_sections.items() if v},
        language=profile.language,
    )
    covered, missing = keyword_report(cv.text(), clean)
    return cv.model_copy(update={"keywords_covered": covered, "keywords_missing": missing})
