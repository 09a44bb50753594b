"""How well a CV answers a posting, from evidence: shared words, covered requirements, title, seniority, place.

Every part compares the CV's own text with the posting's, weighted by background word rarity
(``lexicon.idf``) — never by a closed vocabulary — so it works for an electrician in Leeds as for a
lawyer in Shanghai. Nothing is given for free: a posting whose requirements the CV does not cover,
or that names none, earns nothing from that part.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from jobland_pipeline.lexicon.cues import SOFT_SKILL, fold_for_cues
from jobland_pipeline.lexicon.idf import idf
from jobland_pipeline.lexicon.lang import is_han
from jobland_pipeline.lexicon.titles import best_title_similarity, context_terms, title_similarity
from jobland_pipeline.lexicon.titlewords import core_title, title_level
from jobland_pipeline.lexicon.tokens import CJK_STOP, fold, tokens
from jobland_pipeline.places import Place, distance_km
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.screening.analysis import HanChars, PostingAnalysis, Requirement


@dataclass(frozen=True)
class CvIndex:
    """A CV's words, weighted once, for comparing with many postings."""

    counts: Counter[str]
    norm: float
    titles: tuple[tuple[str, float], ...]  # (title the person holds or seeks, weight)
    level: str
    home: Place | None
    context: frozenset[str]  # title terms of the person's listed skills
    languages: frozenset[str]  # languages the person works in (level B2 or better)
    han: str = ""  # the CV's Han runs, folded, one a line: what a shared Chinese term is checked against
    skills: tuple[str, ...] = ()  # the CV's listed skills, folded: shared terms among them are shown first
    qualities: frozenset[str] = frozenset()  # personal qualities the CV claims ("细致", "communication")


@dataclass
class Relevance:
    lexical: float
    requirements: float
    title: float
    seniority: float
    location: float
    title_role: str | None = None
    requirements_total: int = 0
    requirements_covered: int = 0
    relevant_years: float = 0.0
    years_asked: int | None = None
    level_gap: int = 0
    shared: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    distance_km: float | None = None
    language_match: float = 1.0  # 0.5 when the posting is in another language than the CV (words meet less)


def person_titles(profile: Profile) -> list[tuple[str, float]]:
    """The titles that describe the person: headline and stated targets, then roles by recency.

    Older roles count less, and roles below the person's current level (apprentice, student) or
    in a line of work the CV says it is leaving count little: they are not what the person seeks.
    """
    out: list[tuple[str, float]] = []
    avoid = [fold(a) for a in profile.constraints.avoid_roles]
    if profile.headline:
        out.append((profile.headline, 1.0))
    out.extend((t, 1.0) for t in profile.targets)
    current_title = profile.roles[0].title if profile.roles else profile.headline or ""
    for i, role in enumerate(profile.roles[:6]):
        out.append((role.title, _role_weight(i, role.title, current_title, avoid)))
    return out


def _role_weight(i: int, title: str, current_title: str, avoid: list[str]) -> float:
    """The weight of the ``i``-th most recent role's title (``avoid``: folded roles the CV is leaving)."""
    weight = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75)[i]
    if i > 0:
        # An earlier role with another title was a step on the way, usually below the current one.
        weight *= 0.55 + 0.45 * min(1.0, title_similarity(title, current_title) / 0.6)
    if title_level(title) == "entry" and title_level(current_title) != "entry":
        weight *= 0.5
    if any(a and (a in fold(title) or fold(core_title(title)) in a) for a in avoid):
        weight *= 0.2
    return weight


def index_cv(profile: Profile, cv_text: str, home: Place | None) -> CvIndex:
    counts = Counter(tokens(cv_text))
    norm = sum(idf(t) * (1 + math.log(c)) for t, c in counts.items()) or 1.0
    working = {s.language for s in profile.language_skills if (s.level or 4) >= 4 and not s.limited}
    working.add(profile.language.split("-")[0])
    return CvIndex(
        counts=counts,
        norm=norm,
        titles=tuple(person_titles(profile)),
        level=profile.seniority,
        home=home,
        # The skills a CV lists and the kinds of places the person worked ("Larkspur High School",
        # "St. Brendan Medical Center") say which "High School Math Teacher" or "Hospital Pharmacist" they are.
        context=context_terms(
            [*profile.skills_listed, *(r.employer for r in profile.roles[:4] if r.employer)]
        ),
        languages=frozenset(working),
        han="\n".join(_HAN_RUN.findall(fold(cv_text))),
        skills=tuple(fold(s) for s in [*profile.skills_listed, *profile.skills] if s.strip()),
        qualities=frozenset(m.group(0) for m in _SOFT_SKILL.finditer(fold_for_cues(cv_text))),
    )


def _coverage(line_tokens: list[str], cv: CvIndex) -> float:
    content = [t for t in set(line_tokens) if not t.isdigit()]
    if not content:
        return 0.0
    total = sum(idf(t) for t in content)
    return sum(idf(t) for t in content if t in cv.counts) / total if total else 0.0


def _relevant_years(profile: Profile, posting_title: str) -> float:
    """Years in roles whose title matches this posting's: experience in one field counts for that field."""
    today = profile.as_of[:7]
    months = 0
    for role in profile.roles:
        if not role.start:
            continue
        if title_similarity(posting_title, role.title) >= 0.35:
            from jobland_pipeline.profiles.dates import months_between

            months += months_between(role.start, min(role.end or today, today))
    return round(months / 12, 1)


_LEVELS = {"entry": 0, "mid": 1, "senior": 2, "lead": 3}


def _posting_level(title: str, years: int | None) -> int | None:
    """The level a posting asks for; None when neither its title nor its years say."""
    named = title_level(title)
    if named != "mid":
        return _LEVELS[named]
    if years is not None and years >= 6:
        return 2  # "3+ years" (or "1+ year") is a minimum an experienced person meets, not a level
    return 1 if re.search(r"\b(?:mid|intermediate|confirm[ée]|ii)\b", title, re.I) else None


def _gap_fit(gap: int) -> float:
    """The fit of a posting ``gap`` levels above (below, when negative) the person's own level.

    A step down suits less than a step up, and several levels below the person hardly at all.
    """
    if gap <= -2:
        return 0.1
    if gap >= 2:
        return 0.45
    return {-1: 0.6, 0: 1.0, 1: 0.75}[gap]


def _seniority(
    profile: Profile, posting: Posting, years_asked: int | None, years_max: int | None, relevant: float
) -> tuple[float, int]:
    person = _LEVELS.get(profile.seniority, 1)
    wanted = _posting_level(posting.title, years_asked)
    if wanted is None:
        # A plain title ("ICU Registered Nurse"): the same level as the person, unless the person's own
        # title names a level ("Desarrollador Java Senior"), when the plain one is the step below.
        own = title_level(profile.roles[0].title if profile.roles else profile.headline or "")
        wanted = 1 if own in {"senior", "lead"} and person >= 2 else person
    if years_max is not None and relevant > years_max + 1 and wanted >= person:
        wanted = person - 1  # "2-4 years" for someone with six: a step below
    gap = wanted - person
    fit = _gap_fit(gap)
    if years_asked:
        short = years_asked - relevant
        if short > 0:
            fit *= max(0.35, 1 - short / (years_asked + 2))
    return fit, gap


def _in_areas(profile: Profile, places: list[Place]) -> bool:
    """The posting is where the CV says the person works (a country for "any US domicile")."""
    for area in profile.constraints.areas:
        for place in places:
            if area.kind in {"country", "region"} and (
                place.country == area.country or place.country in area.countries
            ):
                return True
            if (
                area.lat is not None
                and place.lat is not None
                and place.kind == "city"
                and distance_km(place, area) <= (profile.constraints.commute_km or 60.0)  # type: ignore[arg-type]
            ):
                return True
    return False


def _distance_fit(best: float, places: list[Place], home: Place) -> float:
    """How well a commute of ``best`` km suits: near is fine, far in the same country beats abroad."""
    if best <= 40:
        return 1.0
    if best <= 100:
        return 0.8
    if best <= 400:
        return 0.5
    return 0.3 if any(p.country == home.country for p in places) else 0.15


def _location(
    cv: CvIndex, profile: Profile, posting: Posting, places: list[Place], remote_ok: bool
) -> tuple[float, float | None]:
    """The place fit and the distance from home (km, when both ends have coordinates).

    Remote work and the CV's own areas settle it first; without a home to measure from, a posting
    anywhere is a middling fit rather than a bad one (the CV simply does not say).
    """
    if posting.remote is True:
        return (1.0 if remote_ok else 0.5), None
    if places and _in_areas(profile, places):
        return 1.0, None
    home = cv.home
    if not places or home is None or home.lat is None:
        return 0.6, None
    best = min((distance_km(home, p) for p in places if p.lat is not None), default=None)
    if best is None:
        same = any(p.country == home.country for p in places)
        return (0.5 if same else 0.2), None
    fit = _distance_fit(best, places, home)
    if posting.remote == "hybrid":
        fit = max(fit, 0.4)
    return fit, round(best, 1)


def _lexical(cv: CvIndex, a: PostingAnalysis) -> tuple[list[str], float]:
    """The shared words (heaviest first in the posting) and their F-measure of recall and precision."""
    weights = a.weights
    shared_terms = sorted((t for t in weights if t in cv.counts), key=lambda t: -weights[t])
    recall = sum(weights[t] for t in shared_terms) / a.total
    precision = sum(idf(t) * (1 + math.log(cv.counts[t])) for t in shared_terms) / cv.norm
    lexical = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return shared_terms, lexical


def _short_line(line: str) -> str:
    """A requirement line cut at a word to fit a reason (90 characters)."""
    return line if len(line) <= 90 else line[:87].rsplit(" ", 1)[0] + "…"


_SOFT_SKILL = re.compile(SOFT_SKILL)


def _requirements(cv: CvIndex, a: PostingAnalysis) -> tuple[list[float], float, list[str]]:
    """Each requirement line's coverage, their mean, and the lines the CV barely covers.

    A posting without an explicit list of requirements earns 0.6 of the mean: its "lines" are
    sentences of prose, weaker evidence of what it asks. The missing lines name skills before
    personal qualities.
    """
    covered = [_covered(r, cv) for r in a.requirements]
    req = sum(covered) / len(covered) if covered else 0.0
    if not a.explicit:
        req *= 0.6
    missing = [
        _short_line(r.line)
        for r, cov in zip(a.requirements, covered, strict=True)
        if cov < 0.34 and not _quality_shown(r.line, cv)
    ]
    # Skills the CV lacks first; personal qualities ("认真细致", "team player") after them.
    missing.sort(key=lambda line: _SOFT_SKILL.search(fold_for_cues(line)) is not None)
    return covered, req, missing


def _share(han: HanChars, content: frozenset[str], weight: float, cv: CvIndex) -> float:
    """The rarity-weighted share of a requirement's words the CV has; Chinese read by character.

    Han text is tokenised as overlapping bigrams, and a run's bigrams that straddle two words
    ("会计、财务管理等相关专业" gives 理等, 等相, 关专) are in no CV. Counted as words, they kept a Chinese
    CV from ever covering a line ("0 of 5 requirements" for an accountant asked for accounting): the
    Han part's weight is kept, but what it covers is the weighted share of its characters that a
    bigram the CV has takes in (``analysis.han_chars``).
    """
    if not weight:
        return 0.0
    if not han:
        return sum(idf(t) for t in content if t in cv.counts) / weight
    latin = sum(idf(t) for t in content if t in cv.counts and not is_han(t[0]))
    han_weight = sum(idf(t) for t in content if is_han(t[0]))
    seen = sum(w for w, _ in han)
    hit = sum(w for w, grams in han if any(g in cv.counts for g in grams))
    return (latin + han_weight * hit / seen) / weight


def _covered(r: Requirement, cv: CvIndex) -> float:
    """How much of a requirement line the CV covers (rarity-weighted share of its words).

    A line joining a demand and a wish with ";" is read part by part: what it only wishes for ("ACLS
    preferred", "Dutch is a plus") never lowers the coverage of what it demands, and a line that only
    wishes (two ways in: "BSN preferred; ADN accepted with 2 years of ED experience") is met by either."""
    whole = _share(r.han, r.content, r.weight, cv)
    parts = [(_share(c.han, c.content, c.weight, cv), c) for c in r.clauses if c.weight]
    if not parts:
        return whole
    demanded = [(share, c.weight) for share, c in parts if not c.optional]
    if demanded:
        return max(whole, sum(share * w for share, w in demanded) / sum(w for _, w in demanded))
    return max([whole, *(share for share, _ in parts)])


def _quality_shown(line: str, cv: CvIndex) -> bool:
    """A line asking for personal qualities the CV claims too ("细致", "沟通"): not a missing skill.

    Only what is listed as missing changes; the line's coverage (and so the score) stays as measured.
    """
    asked = {m.group(0) for m in _SOFT_SKILL.finditer(fold_for_cues(line))}
    return bool(asked & cv.qualities)


def _best_title(cv: CvIndex, posting: Posting) -> tuple[float, str | None]:
    """The best weighted similarity of the posting's title with a title the person holds, and that title."""
    title_score, role = 0.0, None
    for held, weight in cv.titles:
        sim = title_similarity(posting.title, held, context=cv.context) * weight
        if sim > title_score:
            title_score, role = sim, held
    return title_score, role


def _language_match(profile: Profile, cv: CvIndex, a: PostingAnalysis) -> float:
    """1 when the posting is in the CV's own language (one the person works in), else 0.5."""
    return 1.0 if a.language in cv.languages and a.language == profile.language.split("-")[0] else 0.5


def relevance(profile: Profile, cv: CvIndex, posting: Posting, a: PostingAnalysis) -> Relevance:
    """The evidence that this CV answers this posting (``a``: the posting's profile-independent reading)."""
    shared_terms, lexical = _lexical(cv, a)
    covered, req, missing = _requirements(cv, a)
    title_score, role = _best_title(cv, posting)
    d = a.demands
    relevant = _relevant_years(profile, posting.title)
    seniority, gap = _seniority(profile, posting, d.years, d.years_max, relevant)
    location, km = _location(
        cv, profile, posting, d.places, remote_ok=profile.constraints.remote_ok is not False
    )
    return Relevance(
        lexical=round(min(1.0, lexical * 2.5), 4),
        requirements=round(req, 4),
        title=round(title_score, 4),
        seniority=round(seniority, 4),
        location=round(location, 4),
        title_role=role,
        requirements_total=len(a.requirements) if a.explicit else 0,
        requirements_covered=sum(1 for c in covered if c >= 0.5) if a.explicit else 0,
        relevant_years=relevant,
        years_asked=d.years,
        level_gap=gap,
        shared=_shared_display(shared_terms, cv, posting, a),
        missing=missing[:6],
        distance_km=km,
        language_match=_language_match(profile, cv, a),
    )


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Characters that begin or end no term: particles and conjunctions a shared run may catch at its edges.
_EDGE_FUNCTION = "的了和与及或在等并为是对将把被从以其之而且也都就还"
# Words a shared run may catch at its edges that say nothing of the job ("会计工作经验" -> "会计").
_EDGE_WORDS = CJK_STOP | {"使用", "协助", "配合", "独立", "能力", "较强", "善于"}
# Company-name boilerplate: a run with one of these is part of a company's name, not a shared skill.
_COMPANY = re.compile(r"有限|公司|集团|股份|责任|分行|支行|事务所")
SHARED_SHOWN = 8


def _shared_display(shared_terms: list[str], cv: CvIndex, posting: Posting, a: PostingAnalysis) -> list[str]:
    """The shared terms a reader recognises, heaviest first, the CV's listed skills before the rest.

    Chinese is matched as character bigrams, and a bigram can straddle two words ("级会" of
    "高级会计"): each shared bigram is shown as the longest run of the posting around it that the CV
    also contains ("高级会计"), without particles at its edges; single characters and company-name
    fragments ("科技有限公司", the employer's own name) are left out.
    """
    shown: list[str] = []
    companies = [fold(posting.company)]
    for token in shared_terms:
        if len(shown) >= SHARED_SHOWN:
            break
        if not _HAN.search(token):
            shown.append(_display(token, posting, a))
            continue
        term = _han_term(token, cv, a, companies)
        if term and not any(term in other for other in shown):
            shown = [other for other in shown if not (_HAN.search(other) and other in term)] + [term]
    return _skills_first(shown, cv) if a.language.startswith("zh") else shown


def _skills_first(shown: list[str], cv: CvIndex) -> list[str]:
    """``shown`` with the terms of the CV's listed skills first (stable otherwise)."""
    in_skills = [t for t in shown if any(fold(t) in s or s in fold(t) for s in cv.skills if s)]
    return in_skills + [t for t in shown if t not in in_skills]


def _han_term(token: str, cv: CvIndex, a: PostingAnalysis, companies: list[str]) -> str | None:
    """The longest run of the posting around the shared bigram ``token`` that the CV also contains,
    trimmed of particles; None for a single character or a company-name fragment."""
    if len(token) < 2 or not cv.han:
        return None
    best = ""
    text = a.folded
    start = text.find(token)
    for _ in range(6):  # the first few places the posting uses it
        if start < 0:
            break
        run = _grow(text, start, start + len(token), cv.han)
        best = run if len(run) > len(best) else best
        start = text.find(token, start + 1)
    best = _trim(best)
    if len(best) < 2 or _COMPANY.search(best) or any(best in c for c in companies if c):
        return None
    return best


def _trim(run: str) -> str:
    """``run`` without particles and content-free words ("工作", "经验", "熟练") at its edges."""
    previous = None
    while run != previous:
        previous = run
        run = run.strip(_EDGE_FUNCTION)
        if run[:2] in _EDGE_WORDS:
            run = run[2:]
        if run[-2:] in _EDGE_WORDS:
            run = run[:-2]
    return run


def _grow(text: str, start: int, end: int, cv_han: str) -> str:
    """``text[start:end]`` grown right, then left, one Han character at a time while the CV contains it."""
    while end < len(text) and _HAN.match(text[end]) and text[start : end + 1] in cv_han:
        end += 1
    while start > 0 and _HAN.match(text[start - 1]) and text[start - 1 : end] in cv_han:
        start -= 1
    return text[start:end]


def _display(token: str, posting: Posting, a: PostingAnalysis) -> str:
    """The posting's own word for a stemmed token (what the reader recognises).

    A plain ``str.find`` loop, not a regex per word: this runs for every shared word of every posting.
    """
    if re.search(r"[\u4e00-\u9fff]", token):
        return token
    text = a.folded
    start = text.find(token)
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start = text.find(token, start + 1)
    if start < 0:
        return token
    end = start + len(token)
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    source = f"{posting.title}\n{a.text}"
    return source[start:end] if len(source) == len(text) else text[start:end]


__all__ = ["CvIndex", "Relevance", "best_title_similarity", "index_cv", "relevance"]
