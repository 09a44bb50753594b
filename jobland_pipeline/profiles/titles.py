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
from jobland_pipeline.lexicon.acronyms import TITLE_ACRONYMS, expand_acronyms
from jobland_pipeline.lexicon.titles import head_concept, same_job_head, title_similarity
from jobland_pipeline.lexicon.titlewords import core_title, only_level_words, strip_markers, title_level
from jobland_pipeline.lexicon.tokens import fold, latin_words, stem, tokens
from jobland_pipeline.messages import say_title
from jobland_pipeline.profiles.models import Profile, TitleSuggestion
from jobland_pipeline.taxonomy import Occupation, occupations_for_title, related_titles

MIN_TITLES, MAX_TITLES = 5, 10
_LEVELS = {"entry": 0, "mid": 1, "senior": 2, "lead": 3}
RECENT_YEARS = 5
RESERVE = 0.5  # weight factor of a title kept only to reach five (it also comes after every other)
_CONNECTORS = frozenset(
    [
        "of",
        "de",
        "del",
        "du",
        "des",
        "la",
        "le",
        "les",
        "el",
        "los",
        "las",
        "and",
        "y",
        "et",
        "the",
        "for",
        "in",
        "en",
        "a",
        "d",
        "di",
        "da",
        "do",
        "und",
    ]
)
_WEAK_HEADS = frozenset({"manager", "lead"})


@dataclass
class _Candidate:
    title: str
    score: float
    reason: str
    source: str
    occupation: str | None = None
    reserve: bool = False


def _display(title: str) -> str:
    """A title as a search box wants it: markers and qualifiers off, first letter up (Latin scripts)."""
    text = core_title(_LABEL.sub("", title), keep_level=True)  # "Role: Civil Engineer"
    text = re.sub(r"\s{2,}", " ", text).strip(" -–—,:;")
    if text.isupper() and len(text) > 4:  # "SENIOR SOFTWARE ENGINEER" from a small-caps heading
        text = " ".join(w if len(w) <= 3 else w.capitalize() for w in text.split())
    return text[:1].upper() + text[1:] if text[:1].isalpha() and text[:1].isascii() else text


_LABEL = re.compile(
    r"^\W*(?:role|position|designation|job title|title|post|poste|puesto|cargo|stelle|职位|岗位)\s*(?:[:：]|\s[-–]\s)\s*",
    re.I,
)


def _ended_years_ago(end: str | None, as_of: str) -> float:
    if end is None:
        return 0.0
    ey, em = (int(x) for x in end.split("-"))
    ay, am = (int(x) for x in as_of[:7].split("-"))
    return ((ay - ey) * 12 + (am - em)) / 12


def _genderless(word: str) -> str:
    """Masculine and feminine job nouns as one ("contrôleuse" = "contrôleur", "Pflegerin" = "Pfleger"):
    the taxonomy keeps one form, a CV uses the person's."""
    for ending, base in (
        ("euse", "eur"),
        ("rice", "eur"),
        ("iere", "ier"),
        ("ienne", "ien"),
        ("erin", "er"),
        ("ora", "or"),
    ):
        if word.endswith(ending) and len(word) > len(ending) + 3:
            return word[: -len(ending)] + base
    return word


def _evidence_ok(title: str, cv_words: set[str]) -> bool:
    """Every word of the title is in the CV (a title the CV never supports is never suggested)."""
    words = [_genderless(stem(w)) for w in latin_words(title) if w not in _CONNECTORS]
    han = re.findall(r"[\u4e00-\u9fff]{2,}", title)
    return bool(words or han) and all(w in cv_words for w in words) and not han


def _words(text: str) -> set[str]:
    """The text's words, a title acronym also as the words it stands for: a CV that says "CTO" backs
    "Chief Technology Officer"."""
    return {_genderless(stem(w)) for w in expand_acronyms(latin_words(text))} | set(tokens(text))


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
    out: list[_Candidate] = []
    if profile.headline:
        out.append(_Candidate(profile.headline, 1.0, say_title("headline", lang), "cv"))
    for target in profile.targets:
        out.append(_Candidate(target, 0.97, say_title("target", lang), "cv"))
    out.extend(_role_candidates(profile))
    return out + _variants(out[:3], lang) + _plain(out[:4], lang)


def _role_candidates(profile: Profile) -> list[_Candidate]:
    """The person's last six roles' titles, the latest and those in the current line of work first."""
    from jobland_pipeline.profiles.roles import TITLE_WORDS

    level = _LEVELS.get(profile.seniority, 1)
    currents = _current_titles(profile)
    out: list[_Candidate] = []
    for i, role in enumerate(profile.roles[:6]):
        if _LEVELS[title_level(role.title)] == 0 and level > 0:
            continue  # an apprenticeship or internship the person has grown out of
        if not TITLE_WORDS.search(role.title):
            continue  # "Career break and retraining" is not a job to search for
        same_line = (
            i == 0 or role.end is None or any(title_similarity(role.title, c) >= 0.5 for c in currents)
        )
        if _ended_years_ago(role.end, profile.as_of) > RECENT_YEARS and not same_line:
            continue
        weight = (0.96, 0.9, 0.85, 0.8, 0.75, 0.7)[i] * (1.0 if same_line else 0.55)
        where = f" ({role.employer})" if role.employer else ""
        for k, part in enumerate(_split_compound(role.title)):
            reason = say_title("role", profile.language, role=f"{role.title}{where}")
            out.append(_Candidate(_UNIT.sub(r"of \1", part), weight * (1 - 0.02 * k), reason, "cv"))
    return out


# The organisation unit after "of": "Director of (the) Infrastructure Division" is a Director of
# Infrastructure. Not "team" or "unit": a "Head of Red Team" or "of Business Unit" says what the job is.
_UNIT = re.compile(r"\bof\s+(?:the\s+)?(\S+(?:\s\S+)?)\s+(?:division|department|dept\.?)$", re.I)


def _plain(seeds: list[_Candidate], lang: str) -> list[_Candidate]:
    """The person's title as most postings write it: a senior's title without "Senior" (a plain
    title is the experienced person's level: "高级会计" -> "会计"), and in Chinese the job noun the
    title ends with ("总账会计" -> "会计"), which is what Chinese postings are titled."""
    from jobland_pipeline.lexicon.glossary import CONCEPTS

    out: list[_Candidate] = []
    for seed in seeds:
        junior = _JUNIOR.match(seed.title) and len(core_title(seed.title).split()) >= 2  # not "Developer"
        if title_level(seed.title) == "senior" or junior:
            # "Entry-level Software Developer" is searched as postings write it, too
            out.append(_Candidate(core_title(seed.title), seed.score * 0.92, seed.reason, "cv"))
        head = head_concept(seed.title)
        if lang.startswith("zh") and head and head not in _WEAK_HEADS:
            for phrase in CONCEPTS.get(head, ()):
                if len(phrase) >= 2 and seed.title.endswith(phrase) and phrase != seed.title:
                    out.append(_Candidate(phrase, seed.score * 0.85, seed.reason, "cv"))
    return out


_JUNIOR = re.compile(r"(?:entry-level|junior|jr\.?)\s+(?!level\b|year\b)\S", re.I)  # not "Junior Year Abroad"
_NOT_VARIED = re.compile(
    r"[\u4e00-\u9fff]|[·•|&/]|-\s|\b(?:and|und|et|y|e|for|für|fur|pour|para|of|de|du|des|di|da|do|del|der)\b"
)


def _droppable(title: str) -> list[int]:
    """Positions of the qualifiers of a short plain title that one may drop (two or more, else none):
    not connectors, level words or the job noun. Chinese, joined or phrased titles have none."""
    if _NOT_VARIED.search(title) or len(title.split()) > 4:
        return []
    words = title.split()
    modifiers = [
        i
        for i, w in enumerate(words)
        if fold(w) not in _CONNECTORS and not only_level_words(w) and stem(fold(w)) not in _head_words(title)
    ]
    return modifiers if len(modifiers) >= 2 else []


def _variants(seeds: list[_Candidate], lang: str) -> list[_Candidate]:
    """The person's own title with one qualifier dropped, level kept: "Desarrollador Backend Java
    Senior" -> "Desarrollador Java Senior", "Desarrollador Backend Senior"; "Structural Design
    Engineer" -> "Structural Engineer". Every word is still the CV's."""
    out: list[_Candidate] = []
    for seed in seeds:
        title = core_title(seed.title, keep_level=True)
        words = title.split()
        for i in _droppable(title):
            variant = " ".join(w for j, w in enumerate(words) if j != i)
            if title_similarity(title, variant) < 0.65:
                continue  # the dropped word was what the job is ("Site Reliability Engineer")
            reason = say_title("role", lang, role=seed.title)
            out.append(_Candidate(variant, seed.score * 0.8, reason, "cv"))
    return out


_STAKE = re.compile(r"(?:co-?\s?)?founder|founding (?:member|team)|owner", re.I)
_ACRONYM = re.compile(r"[A-Z]{2,5}")


def _split_compound(title: str) -> list[str]:
    """The jobs a joined title holds: "Founding Member & Site Reliability Engineer & Infrastructure Team
    Lead" holds two; "Co-Founder & CTO" holds one ("CTO"): a stake in the company is not a job to search
    for. "Sales & Marketing Manager" is one title ("Sales" alone is no job) and stays whole."""
    from jobland_pipeline.profiles.roles import TITLE_WORDS

    parts = [p.strip() for p in re.split(r"\s+&\s+|\s+/\s+", title) if p.strip()]
    jobs = [
        p
        for p in parts
        if not _STAKE.fullmatch(p)
        and (
            (TITLE_WORDS.search(p) and len(p.split()) >= 2)
            or (_ACRONYM.fullmatch(p) and fold(p) in TITLE_ACRONYMS)
        )
    ]
    stakes = [p for p in parts if _STAKE.fullmatch(p)]
    if len(jobs) >= 2 or (jobs and stakes and len(jobs) + len(stakes) == len(parts)):
        return jobs
    return [title]


def _head_words(title: str) -> set[str]:
    head = head_concept(title)
    if head is None:
        words = latin_words(title)
        return {stem(words[-1])} if words else set()
    from jobland_pipeline.lexicon.glossary import CONCEPTS

    return {stem(w) for phrase in CONCEPTS.get(head, ()) for w in fold(phrase).split()}


def _current_titles(profile: Profile) -> list[str]:
    """The latest role and every role still held (a teacher who also chairs the department)."""
    if not profile.roles:
        return [profile.headline] if profile.headline else []
    return [profile.roles[0].title, *(r.title for r in profile.roles[1:] if r.end is None)]


def _left_behind(profile: Profile) -> set[str]:
    """Keys of ended roles in another line than any current one: steps the person has moved past."""
    currents = _current_titles(profile)
    return {
        _key(role.title)
        for role in profile.roles[1:]
        if role.end is not None
        and all(
            title_similarity(role.title, c) < 0.5 and title_similarity(c, role.title) < 0.5 for c in currents
        )
    } - {_key(c) for c in currents}


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
    """The qualifying words are part of how the CV presents the person; of three or more, one may be
    missing. "University Department Chair" is not a high-school chair's title: "university" is only
    where she studied."""
    words = [_genderless(stem(w)) for w in latin_words(modifiers) if w not in _CONNECTORS]
    return sum(w not in identity for w in words) <= (1 if len(words) >= 3 else 0)


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
    # What the work itself keeps returning to ("warehouse" in two of a data engineer's bullets).
    bullets = Counter(w for r in profile.roles for b in r.bullets for w in _words(b))
    return _words("\n".join(parts)) | {w for w, n in bullets.items() if n >= 2} | {"x-none"}


@dataclass
class _Evidence:
    """What a related title must agree with: the person's titles, words and level."""

    seeds: list[_Candidate]
    cv_tokens: set[str]
    identity: set[str]
    cv_counts: Counter[str]
    level: int

    def fit(self, related: str) -> float:
        """How well the related title says the same job as one of the person's titles (same job noun,
        or a manager/lead of it for a senior person), covering most of what that title says."""
        fits = [
            title_similarity(s.title, related)
            for s in self.seeds
            if same_job_head(related, s.title)
            or (
                head_concept(related) in _WEAK_HEADS
                and self.level >= 2
                and title_similarity(related, s.title) >= 0.3
            )
        ]
        return max(fits, default=0.0)


def _usable(related: str, occupation_title: str, cv_tokens: set[str]) -> bool:
    """Not the occupation's own name, short (two to four words), every word backed by the CV, and not
    an index form no posting uses ("Developer of Software", "Engineer in Automation")."""
    words = len(latin_words(related))
    if related == occupation_title or len(related) > 40 or not 2 <= words <= 4 or _INVERTED.match(related):
        return False
    return _evidence_ok(related, cv_tokens)


# O*NET lists some titles inverted, as an index does; "Director of Nursing" or "Head of Sales" are not.
_INVERTED = re.compile(
    r"(?:developer|engineer|programmer|analyst|designer|technician|scientist|architect|administrator)s?"
    r"\s+(?:of|in)\s",
    re.I,
)


def _related_candidate(
    evidence: _Evidence,
    seed: _Candidate,
    found: tuple[Occupation, float],
    language: str,
    lang: str,
    ranked: tuple[int, str],
    profile_language: str,
) -> _Candidate | None:
    """A taxonomy title of the seed's occupation as a candidate, or None when the CV does not back it."""
    occupation, match = found
    rank, related = ranked
    if not _usable(related, occupation.title, evidence.cv_tokens):
        return None
    # A qualifier the CV uses but does not present the person with ("warehouse" in one
    # bullet) is kept as a reserve: used only when the CV supports fewer than five titles.
    reserve = not _identifies(_modifiers(related), evidence.identity)
    similarity = evidence.fit(related)
    if similarity < 0.3:
        return None
    reason = say_title("related", profile_language, role=seed.title, occupation=occupation.title)
    weight = 0.55 + 0.3 * similarity * match
    if not _shares_modifier(related, evidence.seeds):
        weight *= 0.85  # another speciality of the same job comes after the person's own
    if language != lang:
        weight *= 0.9  # a title in another language than the CV's comes after its own
    weight *= 1.0 - 0.003 * min(rank, 50)  # the taxonomy lists its common titles first
    weight *= 1.0 + 0.03 * _mentions(_modifiers(related), evidence.cv_counts)  # what the CV says most
    if reserve:
        weight *= RESERVE
    return _Candidate(related, weight * seed.score, reason, "taxonomy", occupation.id, reserve)


def _generalise(profile: Profile, seeds: list[_Candidate], cv_tokens: set[str]) -> list[_Candidate]:
    """Titles of the same occupation as the person's own, with every word backed by the CV.

    The words that qualify the job ("Maintenance" Electrician, "Clinical" Pharmacist) must also be
    part of how the CV presents the person (titles, summary, skills, credentials), not a passing word
    in a bullet: "Print Designer" is not a product designer's title because one bullet says "print".
    """
    evidence = _Evidence(
        seeds=seeds,
        cv_tokens=cv_tokens,
        identity=_identity(profile, seeds),
        cv_counts=Counter(stem(w) for w in latin_words(_cv_words(profile))),
        level=_LEVELS.get(profile.seniority, 1),
    )
    lang = profile.language.split("-")[0]
    if lang == "zh":
        return []  # the taxonomy has no Chinese titles; Chinese CVs keep their own
    out: list[_Candidate] = []
    seen: set[str] = set()
    for seed in seeds[:4]:
        for occupation, match in occupations_for_title(core_title(seed.title), lang, limit=3):
            if match < 0.3 or occupation.id in seen:
                continue
            seen.add(occupation.id)
            for language in [lang, "en"] if lang != "en" else ["en"]:
                for ranked in enumerate(related_titles(occupation, language)):
                    candidate = _related_candidate(
                        evidence, seed, (occupation, match), language, lang, ranked, profile.language
                    )
                    if candidate is not None:
                        out.append(candidate)
    return out


def _pool(profile: Profile, cv_tokens: set[str]) -> list[_Candidate]:
    """Every candidate, best first (reserves last)."""
    seeds = _candidates(profile)
    pool = seeds + _generalise(profile, seeds, cv_tokens)
    if not pool:
        # No role title reads like a job title: a graduate's degree names the job it trains for, and
        # the CV's own role titles are still evidence.
        pool = _from_degrees(profile) + [
            _Candidate(r.title, 0.5, say_title("role", profile.language, role=r.title), "cv")
            for r in profile.roles[:5]
        ]
    pool.sort(key=lambda c: (c.reserve, -c.score))
    return pool


# Degrees that train for one job: an engineering degree for an engineer of its field ("B.E. Electrical"
# -> Electrical Engineer), a law degree for a lawyer, a pharmacy degree for a pharmacist.
_ENGINEERING_DEGREE = re.compile(
    r"\b(?:b\.\s?e|be|b\.?\s?tech|btech|m\.\s?e|m\.?\s?tech|mtech|bachelor(?:'?s)? of (?:engineering|technology)|"
    r"master(?:'?s)? of (?:engineering|technology))\b\.?",
    re.I,
)
_JOB_DEGREES = (
    (
        re.compile(
            r"\b(?:ll\.?\s?b|ll\.?\s?m|(?:bachelor|master)(?:'?s)?\s+(?:of\s+|in\s+)?laws?\b(?!\s+enforcement))",
            re.I,
        ),
        "Lawyer",
    ),
    (re.compile(r"\b(?:b\.?\s?pharm|m\.?\s?pharm|pharm\.?\s?d|bachelor of pharmacy)\b", re.I), "Pharmacist"),
    (re.compile(r"\b(?:b\.?\s?sc\.?\s+nursing|bsn|bachelor of science in nursing)\b", re.I), "Nurse"),
)
_COMPUTING = re.compile(r"(?:in\s+)?(?:computer|cse\b|cs\b|information technology|it\b|software)", re.I)
_FIELD_STOP = re.compile(r"\band\b|&|,|/|\bfrom\b|\bat\b|\d", re.I)


def _degree_titles(degree: str) -> list[str]:
    """The jobs a degree trains for, each a title the taxonomy knows."""
    out = [job for pattern, job in _JOB_DEGREES if pattern.search(degree)]
    degree = re.sub(r"[()]", " ", degree)  # "B.E. (Mechanical)", "Bachelor of Engineering (BE) Civil"
    match = _ENGINEERING_DEGREE.search(degree)
    if match:
        field = degree[match.end() :]
        stop = _FIELD_STOP.search(field)
        field = field[: stop.start()] if stop else field
        if _COMPUTING.match(field.strip()):
            return [*out, "Software Engineer"]  # a computing degree trains software engineers
        words = [  # "B.E. (BE) Civil", "B.E. E&TC": no field of two letters
            w for w in re.findall(r"[A-Za-z]{3,}", field) if fold(w) not in {"engineering", "engg"}
        ]
        for n in range(min(3, len(words)), 0, -1):  # "Electrical And Electronics" -> "Electrical"
            title = " ".join(w.capitalize() for w in words[:n]) + " Engineer"
            found = occupations_for_title(title, "en", limit=1)
            if found and found[0][1] >= 0.95:
                out.append(title)
                break
    return out


def _from_degrees(profile: Profile) -> list[_Candidate]:
    """Titles a graduate's degrees train for: the CV's degrees, and degree lines read as roles."""
    degrees = [e.degree or e.text for e in profile.education] + [r.title for r in profile.roles]
    out: list[_Candidate] = []
    for degree in degrees[:6]:
        for title in _degree_titles(degree):
            reason = say_title("degree", profile.language, degree=degree)
            out.append(_Candidate(title, 0.6, reason, "cv"))
    return out


def _suggestion(cand: _Candidate, shown: str, count: int, skills: list[str]) -> TitleSuggestion:
    return TitleSuggestion(
        title=shown,
        slug=slugify(shown) or slugify(strip_markers(cand.title)) or f"title-{count}",
        display_title=shown,
        level=title_level(shown),
        family=cand.occupation,
        score=round(cand.score * 100, 1),
        reason=cand.reason,
        source=cand.source,
        skills=skills,
    )


def suggest_titles(
    profile: Profile, *, pinned: list[str] | None = None, limit: int = 8
) -> list[TitleSuggestion]:
    """5-10 titles, best first: pinned ones, then the CV's own, then evidence-backed generalisations."""
    cv_tokens = _words(_cv_words(profile))
    limit = max(MIN_TITLES, min(MAX_TITLES, limit))
    level = _LEVELS.get(profile.seniority, 1)
    pool = _pool(profile, cv_tokens)
    out: list[TitleSuggestion] = [_pinned(t, profile) for t in (pinned or []) if t.strip()][:limit]
    own_skills = (profile.skills_listed or profile.skills)[:12]
    seen = {_key(s.title) for s in out} | _left_behind(profile)
    for cand in pool:
        if len(out) >= limit or (cand.reserve and len(out) >= MIN_TITLES):
            break
        shown = _display(cand.title)
        key = _key(shown)
        if _wanted(shown, key, seen, profile, level):
            seen.add(key)
            out.append(_suggestion(cand, shown, len(out), own_skills))
    return out


def _wanted(shown: str, key: str, seen: set[str], profile: Profile, level: int) -> bool:
    """A new title, not one the person rules out, not below an experienced person's level."""
    if not shown or key in seen or _blocked(shown, profile) or not _reads_as_title(shown):
        return False
    return not (_LEVELS[title_level(shown)] == 0 and level > 0)


# What a CV's lines hold that is no job to search for: a degree or school year ("B.E. Electrical",
# "LLB Law Mumbai", "Bachelor of Arts Sociology"), a field label ("description", "Role:"), a sentence.
_DEGREE = re.compile(
    r"\b(?:bachelor\S*|master'?s|masters|master (?:of|in|law|arts?|science|commerce|business)|diploma|degree|b\.\s?e\b|be|b\.?\s?tech|m\.?\s?tech|btech|"
    r"b\.?\s?sc|m\.?\s?sc|ll\.?\s?[bm]|mba|mca|bca|mms|h\.\s?s\.\s?c|hsc|ssc|ph\.?\s?d|"
    r"intermediate|first year|second year|final year)\b",
    re.I,
)
_LABELS = frozenset(
    [
        "description",
        "role",
        "roles",
        "position",
        "designation",
        "company",
        "employer",
        "duration",
        "location",
        "responsibilities",
        "summary",
        "profile",
        "project",
        "projects",
        "skills",
        "skill set",
        "education",
        "experience",
        "details",
    ]
)


def _reads_as_title(title: str) -> bool:
    """A job title one could search: not a degree, a label, a place or a sentence (at most seven words)."""
    from jobland_pipeline.places import resolve
    from jobland_pipeline.profiles.roles import TITLE_WORDS

    words = title.split()
    if not words or len(words) > 7 or ":" in title or "：" in title:
        return False
    if fold(title).strip(" .-") in _LABELS or not re.search(r"[^\W\d_]", title):
        return False
    job_noun = bool(TITLE_WORDS.search(title))
    if _DEGREE.search(title) and not job_noun:  # "PhD Researcher", "Intermediate Accountant" are jobs
        return False
    if job_noun or head_concept(title) is not None:
        return True  # "Driver", "Cook", "大堂经理": a job noun, whatever town has that name
    place = resolve(title) if len(words) <= 2 else None  # "Mumbai", not "Cook" (a town somewhere)
    return place is None or fold(place.name) != fold(title).strip()


def _key(title: str) -> str:
    """Two spellings of one title ("Sous-chef", "Sous Chef", "Pharmacists") count once."""
    words = [
        stem(w) for w in re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]+", fold(core_title(title, keep_level=True)))
    ]
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
    """A title the user asked for; without a CV its skills are what O*NET says the occupation uses."""
    skills = (profile.skills_listed or profile.skills)[:12]
    if not skills:
        found = occupations_for_title(title, profile.language.split("-")[0], limit=3)
        skills = next((list(o.tools[:20]) for o, match in found if match >= 0.8 and o.tools), [])
    return TitleSuggestion(
        skills=skills,
        title=title.strip(),
        slug=slugify(title) or "pinned",
        display_title=title.strip(),
        level=title_level(title),
        score=100.0,
        source="pinned",
        reason=say_title("pinned", profile.language),
    )
