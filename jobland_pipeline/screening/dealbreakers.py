"""Deal-breakers from both sides: what the CV rules out against what the posting demands.

Each check compares one kind of constraint (``profiles.models.Constraints``) with one kind of demand
(``demands.Demands``) and returns a reason in the reader's language, or nothing. Credentials are
checked against the CV's literal text: a posting that requires "HV Authorised Person" or "日语N1"
is a deal-breaker for a CV that never names it, whatever the rest of the posting shares with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobland_pipeline.lexicon.cues import NEGATION, fold_for_cues
from jobland_pipeline.lexicon.lang import languages_used
from jobland_pipeline.lexicon.tokens import fold, tokens
from jobland_pipeline.places import Place, distance_km, find_places
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.salary import parse_salary
from jobland_pipeline.profiles.models import Constraints, PlaceRef, Profile
from jobland_pipeline.screening.demands import Credential, Demands
from jobland_pipeline.messages import LEVEL_LABELS, language_name, say
from jobland_pipeline.screening.models import Preferences

# Words that say a credential is required, or describe it, without naming which one.
_GENERIC = frozenset(
    tokens(
        "current valid full active good standing registered registration licence license licensed licensing "
        "certificate certification certified card holder hold holds held member membership appointment "
        "required essential mandatory must need needed have having with without proof evidence eligible "
        "qualified qualification professional status clean record recognised recognized equivalent "
        "experience years year minimum least plus type rating rated role post position job candidate "
        "candidates applicant applications considered willing obtain already new hire hires ability "
        "indispensable obligatoire exige requis imprescindible obligatorio requisito erforderlich "
        "titular vigente valide valido actual en vigor"
    )
)
_STRONG_TOKEN = re.compile(r"^(?:[A-Z]{2,}[A-Za-z]*|[A-Z][a-z]*\d[\w-]*|\d{3,}[\w-]*|[A-Z]-?\d{2,}[\w-]*)$")


@dataclass(frozen=True)
class CvText:
    """The CV's literal text, folded and tokenised once, for credential and term checks."""

    folded: str
    token_set: frozenset[str]
    place_names: frozenset[str]  # places the CV names, in their gazetteer spelling
    written_in: frozenset[str]  # languages the CV itself is (partly) written in

    @classmethod
    def of(cls, text: str) -> CvText:
        places = frozenset(p.name.lower() for p in find_places(text))
        return cls(
            folded=fold(text),
            token_set=frozenset(tokens(text)),
            place_names=places,
            written_in=frozenset(languages_used(text)),
        )


def _strong_keys(phrase: str) -> list[str]:
    """What identifies *which* credential a phrase names: acronyms, codes, CamelCase names, places.

    "HV Authorised Person" -> HV; "College of Pharmacists of British Columbia (CPBC)" -> CPBC,
    British Columbia; "Boeing 737 type rating" -> 737; "日语N1" -> the Chinese run. Ordinary
    capitalised words ("Master", "Applicants") say nothing about which credential is meant.
    """
    keys: list[str] = []
    for word in re.findall(r"[A-Za-zÀ-ÿ0-9][\w&.+-]*", phrase):
        word = word.strip(".-")
        if _STRONG_TOKEN.match(word) and word.upper() not in {"UK", "US", "USA", "EU", "OK", "CV", "IT", "A", "I"}:
            keys.append(word)
    for place in find_places(phrase):
        if place.kind in {"admin1", "admin2", "city"} and place.name not in keys:
            keys.append(place.name)
    keys.extend(re.findall(r"[\u4e00-\u9fff]{2,}", phrase))
    return keys


def _present(key: str, cv: CvText) -> bool:
    if key.lower() in cv.place_names:
        return True
    if re.search(r"[\u4e00-\u9fff]", key):
        grams = [key[i : i + 2] for i in range(len(key) - 1)]
        return sum(g in cv.folded for g in grams) >= max(1, int(0.6 * len(grams)))
    folded = fold(key)
    if re.search(rf"(?<![a-z0-9]){re.escape(folded)}(?![a-z0-9])", cv.folded):
        return True
    return bool(set(tokens(key)) & cv.token_set) and len(tokens(key)) == 1 and tokens(key)[0] in cv.token_set


_REQUIREMENT_WORDS = re.compile(
    r"\b(?:is\s+|are\s+)?(?:required|essential|mandatory|a\s+must|must|indispensable|obligatoire|exig[ée]e?|requise?|"
    r"imprescindible|obligatori[oa]|necesari[oa]|erforderlich|zwingend)\b|[-–—:]\s*$|必须|须",
    re.IGNORECASE,
)


def short_credential(sentence: str) -> str:
    """The credential a requirement sentence names, without the requirement words around it."""
    text = _REQUIREMENT_WORDS.sub(" ", sentence)
    text = re.sub(r"^\s*[-•*]\s*", "", text)
    for _ in range(3):
        text = re.sub(r"^\s*(?:must\s+hold|must\s+have|hold|holds|have|an?|the)\s+", "", text, flags=re.I)
    text = re.split(r"[.;]\s|\s[-–—:]\s|(?<=\))\s*,", text)[0]
    text = re.sub(r"\s{2,}", " ", text).strip(" .,;:-–—")
    return text if len(text) <= 70 else text[:67].rsplit(" ", 1)[0] + "…"


def credential_missing(credential: Credential, cv: CvText) -> str | None:
    """The credential as the posting names it when no alternative of it is found in the CV, else None."""
    for alternative in credential.alternatives:
        keys = _strong_keys(alternative)
        if keys:
            if all(_present(k, cv) for k in keys):
                return None
            continue
        content = [t for t in tokens(alternative) if t not in _GENERIC and not t.isdigit()]
        if not content or sum(t in cv.token_set for t in content) / len(content) >= 0.5:
            return None
    return short_credential(credential.text)


def _lacked(credential: Credential, lacks: list[str]) -> str | None:
    """A required credential the CV says it lacks ("Not yet licensed by MCGM" vs "MCGM licence")."""
    text = fold(credential.text)
    for phrase in lacks:
        keys = [k for k in _strong_keys(phrase) if len(k) >= 2]
        if keys and any(re.search(rf"(?<![a-z0-9]){re.escape(fold(k))}(?![a-z0-9])", text) for k in keys):
            return phrase
        content = [t for t in tokens(phrase) if t not in _GENERIC]
        if content and sum(t in set(tokens(credential.text)) for t in content) / len(content) >= 0.6:
            return phrase
    return None


def _near(place: Place, area: PlaceRef, radius: float) -> bool:
    if area.kind == "region":
        return place.country in set(area.countries)
    if area.kind == "country":
        return place.country == area.country
    if place.kind == "country":
        return False  # a whole country is not "near" a city
    if area.lat is None or place.lat is None:
        return place.name.lower() == area.name.lower()
    if place.kind == "admin1" and area.kind == "city":
        return False
    return distance_km(place, area) <= radius  # type: ignore[arg-type]


def _area_names(areas: list[PlaceRef]) -> str:
    return ", ".join(a.name for a in areas[:4])


def check(
    profile: Profile, posting: Posting, demands: Demands, cv: CvText, prefs: Preferences, text: str, written: str
) -> list[str]:
    """Every deal-breaker of this posting for this person, most decisive first."""
    c = profile.constraints
    lang = profile.language
    out: list[str] = []
    out += _place(c, posting, demands, lang)
    out += _setting(c, posting, demands, lang)
    out += _schedule(c, demands, lang)
    out += _rights(c, posting, demands, lang)
    out += _credentials(c, posting, demands, cv, lang)
    out += _languages(profile, demands, written, lang, cv)
    out += _contract(c, demands, lang)
    out += _preferences(prefs, posting, text, lang)
    return list(dict.fromkeys(out))


def _place(c: Constraints, posting: Posting, d: Demands, lang: str) -> list[str]:
    if posting.remote is True:
        if d.remote_countries:
            rights = set(c.work_rights) or ({c.home.country} if c.home and c.home.country else set())
            if rights and not rights & d.remote_countries:
                where = ", ".join(sorted(d.remote_countries)[:5])
                return [say("remote_scope", lang, where=where)]
        return []
    out: list[str] = []
    rights = set(c.work_rights)
    countries = {p.country for p in d.places if p.country}
    if rights and countries and not countries & rights and c.relocate is not True:
        # On site (or hybrid) in a country where the CV shows no right to work.
        where = ", ".join(sorted(countries))
        out.append(say("work_rights", lang, where=where))
    if c.areas and d.places:
        radius = c.commute_km or 60.0
        if not any(_near(p, a, radius) for p in d.places for a in c.areas):
            out.append(say("outside_area", lang, place=posting.location or d.places[0].name, areas=_area_names(c.areas)))
    if c.no_away_work and d.away_work:
        out.append(say("away", lang, what=d.away_work))
    return out


def _setting(c: Constraints, posting: Posting, d: Demands, lang: str) -> list[str]:
    out: list[str] = []
    if posting.remote is not True and c.max_office_days is not None and d.office_days is not None:
        if d.office_days > c.max_office_days:
            out.append(say("office_days", lang, days=d.office_days, max=c.max_office_days))
    if c.no_site_based and d.site_based:
        out.append(say("site_based", lang))
    return out


def _schedule(c: Constraints, d: Demands, lang: str) -> list[str]:
    out: list[str] = []
    if c.no_nights and d.nights:
        out.append(say("nights", lang, what=_short(d.nights)))
    elif c.no_rotating_shifts and d.rotating:
        out.append(say("rotating", lang, what=_short(d.rotating)))
    return out


def _rights(c: Constraints, posting: Posting, d: Demands, lang: str) -> list[str]:
    if not d.work_countries:
        return []
    rights = set(c.work_rights)
    if (rights and not rights & d.work_countries) or (set(c.no_work_rights) & d.work_countries and not rights & d.work_countries):
        return [say("work_rights", lang, where=", ".join(sorted(d.work_countries)[:5]))]
    return []


def _credentials(c: Constraints, posting: Posting, d: Demands, cv: CvText, lang: str) -> list[str]:
    out: list[str] = []
    if c.lacks:
        # Any condition of the posting naming what the CV says it lacks ("HPS imprescindible").
        for sentence in d.required:
            lacked = _lacked(Credential(sentence, (sentence,)), c.lacks)
            if lacked:
                out.append(say("lacks", lang, what=lacked))
                break
    for credential in d.credentials:
        lacked = _lacked(credential, c.lacks)
        if lacked:
            out.append(say("lacks", lang, what=lacked))
            continue
        missing = credential_missing(credential, cv)
        if missing:
            out.append(say("credential", lang, what=missing))
    title = fold(posting.title)
    for phrase in c.lacks:
        for key in _strong_keys(phrase):
            if len(key) >= 3 and re.search(rf"(?<![a-z0-9]){re.escape(fold(key))}(?![a-z0-9])", title):
                out.append(say("lacks", lang, what=phrase))
    return out


def _user_level(profile: Profile, code: str) -> int:
    levels = [s.level or 4 for s in profile.language_skills if s.language == code]
    if not levels and profile.language.split("-")[0] == code:
        return 6
    return max(levels, default=0)


def _languages(profile: Profile, d: Demands, written: str, lang: str, cv: CvText) -> list[str]:
    out: list[str] = []
    for code, level, _ in d.languages:
        have = _user_level(profile, code)
        limited = any(s.language == code and s.limited for s in profile.language_skills)
        if have <= level - 2 or (limited and have < level):
            out.append(say("language", lang, language=language_name(code, lang), level=LEVEL_LABELS[have]))
    if not out and _user_level(profile, written) == 0 and written not in cv.written_in:
        out.append(say("posting_language", lang, language=language_name(written, lang)))
    return list(dict.fromkeys(out))


def _contract(c: Constraints, d: Demands, lang: str) -> list[str]:
    if (c.no_seasonal or c.permanent_only) and d.seasonal:
        return [say("seasonal", lang, what=d.seasonal)]
    if (c.no_temporary or c.permanent_only) and d.temporary:
        return [say("temporary", lang, what=d.temporary)]
    return []


def _preferences(prefs: Preferences, posting: Posting, text: str, lang: str) -> list[str]:
    out: list[str] = []
    company = posting.company.lower()
    for excluded in prefs.excluded_companies:
        if excluded.strip() and excluded.strip().lower() in company:
            out.append(say("excluded_company", lang, company=posting.company))
    for keyword in prefs.excluded_keywords:
        if keyword.strip() and re.search(rf"\b{re.escape(keyword.strip())}\b", f"{posting.title}\n{text}", re.I):
            out.append(say("excluded_keyword", lang, keyword=keyword.strip()))
    if prefs.remote == "remote_only" and posting.remote is not True:
        out.append(say("remote_only", lang))
    if prefs.remote == "onsite_only" and posting.remote is True:
        out.append(say("onsite_only", lang))
    floor = prefs.salary_floor
    salary = parse_salary(posting.salary)
    if floor and salary is not None and salary.currency in (None, prefs.salary_currency) and salary.yearly_max < floor:
        out.append(say("salary_floor", lang, pay=f"{salary.yearly_max:,.0f} {salary.currency or ''}".strip(), floor=f"{floor:,}"))
    if prefs.needs_visa_sponsorship and re.search(
        r"(?:cannot|can't|unable to|do not|don't|not able to)\s+(?:offer|provide|sponsor)[^.\n]{0,20}(?:visa|sponsor)|no\s+(?:visa\s+)?sponsorship",
        text,
        re.I,
    ):
        out.append(say("sponsorship", lang))
    return out


def _short(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if len(sentence) <= 70 else sentence[:67].rsplit(" ", 1)[0] + "…"


def negated_near(text: str, start: int) -> bool:
    """True when a negation word sits just before ``start`` in ``text`` (folded)."""
    window = fold_for_cues(text[max(0, start - 30) : start])
    return re.search(NEGATION, window) is not None


__all__ = ["CvText", "check", "credential_missing", "find_places"]
