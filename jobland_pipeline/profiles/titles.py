"""Suggest 5-10 job titles from the person's own titles, generalised through an open taxonomy.

Every suggestion has evidence in the CV: it is the CV's headline, a title the CV says it is looking
for, a role the person held (level words kept, grades and employers dropped), or a title of the same
occupation in O*NET/ESCO (``jobland_pipeline.taxonomy``) whose every word the CV uses and which says
the same job as one of the person's titles. Titles below the person's level, in a line of work the CV
says it is leaving, or naming a credential the CV says it lacks are never suggested: searching them
steers the day's postings into jobs the person cannot take.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from jobland_pipeline.keys import slugify
from jobland_pipeline.lexicon.titles import head_concept, same_job_head, title_similarity
from jobland_pipeline.lexicon.titlewords import core_title, only_level_words, strip_markers, title_level
from jobland_pipeline.lexicon.tokens import fold, latin_words, stem, tokens
from jobland_pipeline.profiles.models import Profile, TitleSuggestion
from jobland_pipeline.messages import say_title
from jobland_pipeline.taxonomy import occupations_for_title, related_titles

MIN_TITLES, MAX_TITLES = 5, 10
_LEVELS = {"entry": 0, "mid": 1, "senior": 2, "lead": 3}
RECENT_YEARS = 5
_CONNECTORS = frozenset("of de del du des la le les el los las and y et the for in en a d di da do und".split())
_WEAK_HEADS = frozenset({"manager", "lead"})


@dataclass
class _Candidate:
    title: str
    score: float
    reason: str
    source: str
    occupation: str | None = None


def _display(title: str) -> str:
    """A title as a search box wants it: markers and qualifiers off, first letter up (Latin scripts)."""
    text = core_title(title, keep_level=True)
    text = re.sub(r"\s{2,}", " ", text).strip(" -–—,:;")
    if text.isupper() and len(text) > 4:  # "SENIOR SOFTWARE ENGINEER" from a small-caps heading
        text = " ".join(w if len(w) <= 3 else w.capitalize() for w in text.split())
    return text[:1].upper() + text[1:] if text[:1].isalpha() and text[:1].isascii() else text


def _ended_years_ago(end: str | None, as_of: str) -> float:
    if end is None:
        return 0.0
    ey, em = (int(x) for x in end.split("-"))
    ay, am = (int(x) for x in as_of[:7].split("-"))
    return ((ay - ey) * 12 + (am - em)) / 12


def _genderless(word: str) -> str:
    """Masculine and feminine job nouns as one ("contrôleuse" = "contrôleur", "Pflegerin" = "Pfleger"):
    the taxonomy keeps one form, a CV uses the person's."""
    for ending, base in (("euse", "eur"), ("rice", "eur"), ("iere", "ier"), ("ienne", "ien"), ("erin", "er"), ("ora", "or")):
        if word.endswith(ending) and len(word) > len(ending) + 3:
            return word[: -len(ending)] + base
    return word


def _evidence_ok(title: str, cv_words: set[str]) -> bool:
    """Every word of the title is in the CV (a title the CV never supports is never suggested)."""
    words = [_genderless(stem(w)) for w in latin_words(title) if w not in _CONNECTORS]
    han = re.findall(r"[\u4e00-\u9fff]{2,}", title)
    return bool(words or han) and all(w in cv_words for w in words) and not han


def _words(text: str) -> set[str]:
    return {_genderless(stem(w)) for w in latin_words(text)} | set(tokens(text))


def _blocked(title: str, profile: Profile) -> bool:
    """A title that names what the person rules out: a lacked credential, a role left behind, nights."""
    folded = fold(title)
    c = profile.constraints
    for phrase in c.lacks:
        for key in re.findall(r"\b[A-Z][A-Z0-9]{1,6}\b", phrase):
            if re.search(rf"(?<![a-z0-9]){re.escape(key.lower())}(?![a-z0-9])", folded):
                return True
    if any(title_similarity(title, role) >= 0.6 for role in c.avoid_roles):
        return True
    if c.no_nights and re.search(r"\bnight|overnight|nocturn|夜班", folded):
        return True
    return bool(c.no_away_work and re.search(r"offshore|nationwide|travel", folded))


def _candidates(profile: Profile) -> list[_Candidate]:
    lang = profile.language
    level = _LEVELS.get(profile.seniority, 1)
    out: list[_Candidate] = []
    if profile.headline:
        out.append(_Candidate(profile.headline, 1.0, say_title("headline", lang), "cv"))
    for target in profile.targets:
        out.append(_Candidate(target, 0.97, say_title("target", lang), "cv"))
    current = profile.roles[0].title if profile.roles else profile.headline or ""
    for i, role in enumerate(profile.roles[:6]):
        role_level = _LEVELS[title_level(role.title)]
        if role_level == 0 and level > 0:
            continue  # an apprenticeship or internship the person has grown out of
        from jobland_pipeline.profiles.roles import TITLE_WORDS

        if not TITLE_WORDS.search(role.title):
            continue  # "Career break and retraining" is not a job to search for
        ago = _ended_years_ago(role.end, profile.as_of)
        same_line = i == 0 or title_similarity(role.title, current) >= 0.5
        if ago > RECENT_YEARS and not same_line:
            continue
        weight = (0.96, 0.9, 0.85, 0.8, 0.75, 0.7)[i] * (1.0 if same_line else 0.55)
        where = f" ({role.employer})" if role.employer else ""
        for k, part in enumerate(_split_compound(role.title)):
            reason = say_title("role", lang, role=f"{role.title}{where}")
            out.append(_Candidate(part, weight * (1 - 0.02 * k), reason, "cv"))
    return out + _variants(out[:3], lang)


def _variants(seeds: list[_Candidate], lang: str) -> list[_Candidate]:
    """The person's own title with one qualifier dropped, level kept: "Desarrollador Backend Java
    Senior" -> "Desarrollador Java Senior", "Desarrollador Backend Senior"; "Structural Design
    Engineer" -> "Structural Engineer". Every word is still the CV's."""
    out: list[_Candidate] = []
    for seed in seeds:
        title = core_title(seed.title, keep_level=True)
        if re.search(r"[\u4e00-\u9fff]|[·•|&/]|-\s|\b(?:and|und|et|y|e|for|für|fur|pour|para|of|de|du|des|di|da|do|del|der)\b", title) or len(title.split()) > 4:
            continue
        words = title.split()
        modifiers = [
            i
            for i, w in enumerate(words)
            if fold(w) not in _CONNECTORS and not only_level_words(w) and stem(fold(w)) not in _head_words(title)
        ]
        if len(modifiers) < 2:
            continue
        for i in modifiers:
            variant = " ".join(w for j, w in enumerate(words) if j != i)
            if title_similarity(title, variant) < 0.65:
                continue  # the dropped word was what the job is ("Site Reliability Engineer")
            reason = say_title("role", lang, role=seed.title)
            out.append(_Candidate(variant, seed.score * 0.8, reason, "cv"))
    return out


def _split_compound(title: str) -> list[str]:
    """"Founding Member & Site Reliability Engineer & Infrastructure Team Lead" holds two titles."""
    from jobland_pipeline.profiles.roles import TITLE_WORDS

    parts = [p.strip() for p in re.split(r"\s+&\s+|\s+/\s+", title) if p.strip()]
    jobs = [p for p in parts if TITLE_WORDS.search(p) and len(p.split()) >= 2]
    return jobs if len(jobs) >= 2 else [title]


def _head_words(title: str) -> set[str]:
    head = head_concept(title)
    if head is None:
        words = latin_words(title)
        return {stem(words[-1])} if words else set()
    from jobland_pipeline.lexicon.glossary import CONCEPTS

    return {stem(w) for phrase in CONCEPTS.get(head, ()) for w in fold(phrase).split()}


def _left_behind(profile: Profile) -> set[str]:
    """Keys of earlier roles in another line than the current one: steps the person has moved past."""
    if not profile.roles:
        return set()
    current = profile.roles[0].title
    return {
        _key(role.title)
        for role in profile.roles[1:]
        if title_similarity(role.title, current) < 0.5 and title_similarity(current, role.title) < 0.5
    } - {_key(current)}


def _modifiers(title: str) -> str:
    """The words of a title other than its job noun ("Maintenance" of "Maintenance Electrician")."""
    head = head_concept(title)
    words = latin_words(title)
    if head is None:
        return " ".join(words[:-1])
    from jobland_pipeline.lexicon.glossary import CONCEPTS

    names = {stem(w) for phrase in CONCEPTS.get(head, ()) for w in fold(phrase).split()}
    return " ".join(w for w in words if stem(w) not in names) or "x-none"


def _shares_modifier(related: str, seeds: list[_Candidate]) -> bool:
    """The related title keeps a qualifier of one of the person's titles (or the person has a bare one)."""
    mine = {stem(w) for w in latin_words(_modifiers(related)) if w not in _CONNECTORS}
    for seed in seeds:
        if not same_job_head(related, seed.title):
            continue
        theirs = {stem(w) for w in latin_words(_modifiers(core_title(seed.title))) if w not in _CONNECTORS}
        if not theirs - {"x-none"} or mine & theirs:
            return True
    return False


def _mentions(modifiers: str, counts: Counter[str]) -> float:
    """How often the CV uses a title's qualifying words (capped): "UX" four times beats "UI" once."""
    words = [stem(w) for w in latin_words(modifiers) if w not in _CONNECTORS]
    return min(5.0, sum(counts.get(w, 0) for w in words) / len(words)) if words else 0.0


def _identifies(modifiers: str, identity: set[str]) -> bool:
    """At least half the qualifying words are part of how the CV presents the person."""
    words = [_genderless(stem(w)) for w in latin_words(modifiers) if w not in _CONNECTORS]
    return not words or sum(w in identity for w in words) * 2 >= len(words)


def _identity(profile: Profile, seeds: list[_Candidate]) -> set[str]:
    """Words that say who the person is professionally: titles, listed skills, credentials, degrees.

    Not the summary or bullets: "English learners" in a maths teacher's summary does not make her an
    English teacher.
    """
    parts = [
        profile.headline or "",
        *profile.targets,
        *(s.title for s in seeds),
        *profile.skills_listed,
        *profile.certifications,
        *(e.degree or "" for e in profile.education),
    ]
    return _words("\n".join(parts)) | {"x-none"}


def _generalise(profile: Profile, seeds: list[_Candidate], cv_tokens: set[str]) -> list[_Candidate]:
    """Titles of the same occupation as the person's own, with every word backed by the CV.

    The words that qualify the job ("Maintenance" Electrician, "Clinical" Pharmacist) must also be
    part of how the CV presents the person (titles, summary, skills, credentials), not a passing word
    in a bullet: "Print Designer" is not a product designer's title because one bullet says "print".
    """
    identity = _identity(profile, seeds)
    cv_counts = Counter(stem(w) for w in latin_words(_cv_words(profile)))
    lang = profile.language.split("-")[0]
    if lang == "zh":
        return []  # the taxonomy has no Chinese titles; Chinese CVs keep their own
    out: list[_Candidate] = []
    seen: set[str] = set()
    level = _LEVELS.get(profile.seniority, 1)
    for seed in seeds[:4]:
        core = core_title(seed.title)
        for occupation, match in occupations_for_title(core, lang, limit=3):
            if match < 0.3 or occupation.id in seen:
                continue
            seen.add(occupation.id)
            languages = [lang, "en"] if lang != "en" else ["en"]
            for language in languages:
                for rank, related in enumerate(related_titles(occupation, language)):
                    if related == occupation.title or len(related) > 40 or len(latin_words(related)) < 2:
                        continue
                    if not _evidence_ok(related, cv_tokens) or not _identifies(_modifiers(related), identity):
                        continue
                    # The same job as one of the person's titles (same job noun, or a manager/lead of it
                    # for a senior person), covering most of what that title says.
                    fits = [
                        title_similarity(s.title, related)
                        for s in seeds
                        if same_job_head(related, s.title)
                        or (head_concept(related) in _WEAK_HEADS and level >= 2 and title_similarity(related, s.title) >= 0.3)
                    ]
                    similarity = max(fits, default=0.0)
                    if similarity < 0.3:
                        continue
                    reason = say_title("related", profile.language, role=seed.title, occupation=occupation.title)
                    weight = 0.55 + 0.3 * similarity * match
                    if not _shares_modifier(related, seeds):
                        weight *= 0.85  # another speciality of the same job comes after the person's own
                    if language != lang:
                        weight *= 0.9  # a title in another language than the CV's comes after its own
                    weight *= 1.0 - 0.003 * min(rank, 50)  # the taxonomy lists its common titles first
                    weight *= 1.0 + 0.03 * _mentions(_modifiers(related), cv_counts)  # what the CV says most
                    out.append(_Candidate(related, weight * seed.score, reason, "taxonomy", occupation.id))
    return out


def suggest_titles(profile: Profile, *, pinned: list[str] | None = None, limit: int = 8) -> list[TitleSuggestion]:
    """5-10 titles, best first: pinned ones, then the CV's own, then evidence-backed generalisations."""
    cv_tokens = _words(_cv_words(profile))
    limit = max(MIN_TITLES, min(MAX_TITLES, limit))
    level = _LEVELS.get(profile.seniority, 1)
    seeds = _candidates(profile)
    pool = seeds + _generalise(profile, seeds, cv_tokens)
    if not pool:
        # No role title reads like a job title: the CV's own role titles are still its only evidence.
        pool = [_Candidate(r.title, 0.5, say_title("role", profile.language, role=r.title), "cv") for r in profile.roles[:5]]
    pool.sort(key=lambda c: -c.score)
    out: list[TitleSuggestion] = [_pinned(t, profile) for t in (pinned or []) if t.strip()][:limit]
    seen = {_key(s.title) for s in out} | _left_behind(profile)
    for cand in pool:
        if len(out) >= limit:
            break
        shown = _display(cand.title)
        key = _key(shown)
        if not shown or key in seen or _blocked(shown, profile):
            continue
        if _LEVELS[title_level(shown)] == 0 and level > 0:
            continue
        seen.add(key)
        out.append(
            TitleSuggestion(
                title=shown,
                slug=slugify(shown) or slugify(strip_markers(cand.title)) or f"title-{len(out)}",
                display_title=shown,
                level=title_level(shown),
                family=cand.occupation,
                score=round(cand.score * 100, 1),
                reason=cand.reason,
                source=cand.source,
            )
        )
    return out


def _key(title: str) -> str:
    """Two spellings of one title ("Sous-chef", "Sous Chef", "Pharmacists") count once."""
    words = [stem(w) for w in re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]+", fold(core_title(title, keep_level=True)))]
    return " ".join(words)


def _cv_words(profile: Profile) -> str:
    parts = [
        profile.headline or "",
        profile.summary or "",
        *profile.targets,
        *(r.title for r in profile.roles),
        *(b for r in profile.roles for b in r.bullets),
        *profile.skills,
        *profile.certifications,
        *(e.text for e in profile.education),
    ]
    return "\n".join(parts)


def _pinned(title: str, profile: Profile) -> TitleSuggestion:
    return TitleSuggestion(
        title=title.strip(),
        slug=slugify(title) or "pinned",
        display_title=title.strip(),
        level=title_level(title),
        score=100.0,
        source="pinned",
        reason=say_title("pinned", profile.language),
    )
