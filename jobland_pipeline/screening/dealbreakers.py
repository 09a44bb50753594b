"""Deal-breakers from both sides: what the CV rules out against what the posting demands.

Each check compares one kind of constraint (``profiles.models.Constraints``) with one kind of demand
(``demands.Demands``) and returns a reason in the reader's language, or nothing. Credentials are
checked against the CV's literal text: a posting that requires "HV Authorised Person" or "日语N1"
is a deal-breaker for a CV that never names it, whatever the rest of the posting shares with it.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import pairwise

from jobland_pipeline.lexicon.cues import NEGATION, fold_for_cues
from jobland_pipeline.lexicon.hanzi import to_simplified
from jobland_pipeline.lexicon.lang import languages_used
from jobland_pipeline.lexicon.tokens import fold, tokens
from jobland_pipeline.messages import LEVEL_LABELS, language_name, say
from jobland_pipeline.places import Place, distance_km, find_places
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.salary import parse_salary
from jobland_pipeline.profiles.models import Constraints, PlaceRef, Profile
from jobland_pipeline.screening.demands import Credential, Demands
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
        "titular vigente valide valido actual en vigor completed recognised recognized accredited relevant "
        "abgeschlossene abgeschlossen erfolgreich staatlich anerkannte anerkannt examinierte dreijahrige "
        "reconnu reconnue titulo titulado titulada obtenu obtenido"
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
    bigrams: frozenset[tuple[str, str]]
    named_runs: tuple[
        str, ...
    ] = ()  # initials of runs of capitalised words ("American Heart Association" -> "aha")

    @classmethod
    def of(cls, text: str) -> CvText:
        places = frozenset(p.name.lower() for p in find_places(text))
        words = [t for t in tokens(text) if t not in _GENERIC and not t.isdigit()]
        return cls(
            folded=fold(text),
            token_set=frozenset(tokens(text)),
            place_names=places,
            written_in=frozenset(languages_used(text)),
            bigrams=frozenset(pairwise(words)),
            named_runs=tuple(
                "".join(w[0] for w in m.group(0).split() if w[0].isupper()).lower()
                for m in re.finditer(r"[A-Z][\w-]*(?:\s+(?:(?:of|and|for|the|in|&)\s+)?[A-Z][\w-]*)+", text)
            ),
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
        if _STRONG_TOKEN.match(word) and word.upper() not in {
            "UK",
            "US",
            "USA",
            "EU",
            "OK",
            "CV",
            "IT",
            "A",
            "I",
        }:
            keys.append(word)
    for place in find_places(phrase):
        if place.kind in {"admin1", "admin2", "city"} and place.name not in keys:
            keys.append(place.name)
    simple = to_simplified(phrase)
    for m in re.finditer(r"[\u4e00-\u9fff]{2,}", simple):
        # In Chinese, a credential is the few characters before 证/证书/资格/执照...: "律师执业证", "法律职业资格".
        for marker in re.finditer(r"证书|执业证|资格证|资格|执照|牌照|驾照|证", m.group(0)):
            start = max(0, marker.start() - 6)
            key = phrase[m.start() + start : m.start() + marker.end()]
            generic = re.search(
                r"(?:任用|任职|报名|应聘|应征|相关|相应|上述|以上|所需|合格)(?:资格|证书|证)$",
                to_simplified(key),
            )
            if len(key) >= 3 and not generic:
                keys.append(key)
    return keys


def _unbracketed(phrase: str) -> str:
    """The credential without its bracketed issuer or expansion: "BLS certification (AHA)" -> BLS."""
    return re.sub(r"\s*[(（][^)）]*[)）]", " ", phrase)


def _spelled_out(key: str, cv: CvText) -> bool:
    """An acronym the CV writes in full, in capitalised words: AHA = "American Heart Association"."""
    return bool(re.fullmatch(r"[A-Z]{3,6}", key)) and any(key.lower() in run for run in cv.named_runs)


def _present(key: str, cv: CvText) -> bool:
    if key.lower() in cv.place_names:
        return True
    if re.search(r"[\u4e00-\u9fff]", key):
        simple = to_simplified(key)
        grams = [simple[i : i + 2] for i in range(len(simple) - 1)]
        return sum(g in cv.folded for g in grams) >= max(1, int(0.7 * len(grams)))
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
    text = re.sub(
        r"^\s*(?:[-•*]|\(?\d+[.、)]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）])\s*",
        "",
        text,
    )
    for _ in range(3):
        text = re.sub(r"^\s*(?:must\s+hold|must\s+have|hold|holds|have|an?|the)\s+", "", text, flags=re.I)
    text = re.split(r"[.;]\s|\s[-–—:]\s|(?<=\))\s*,", text)[0]
    text = re.sub(r"\s{2,}", " ", text).strip(" .,;:-–—")
    return text if len(text) <= 70 else text[:67].rsplit(" ", 1)[0] + "…"


def credential_missing(credential: Credential, cv: CvText, *, same_language: bool = True) -> str | None:
    """The credential as the posting names it when no alternative of it is found in the CV, else None."""
    for alternative in credential.alternatives:
        keys = _strong_keys(_unbracketed(alternative)) or _strong_keys(alternative)
        if keys:
            if all(_present(k, cv) or _spelled_out(k, cv) for k in keys):
                return None
            continue
        if not same_language or re.search(r"[\u4e00-\u9fff]", alternative):
            return None  # across languages (and in Chinese) only identifying words can be checked
        if _phrase_present(alternative, cv) or _kind_present(alternative, cv):
            return None
    return short_credential(credential.text)


_CREDENTIAL_NOUN = r"(?:licen[cs]e|certificat(?:e|ion)|registration|permit|credential|endorsement|diploma)"


def _kind_present(phrase: str, cv: CvText) -> bool:
    """A credential named only by its kind ("Teaching license in the above-mentioned curriculum",
    "the applicable teacher license") is on the CV when the CV holds one of that kind ("Professional
    Teaching License"): the word just before the credential noun says the kind."""
    for m in re.finditer(rf"([a-z]{{4,}})\s+{_CREDENTIAL_NOUN}", fold(phrase)):
        kind = m.group(1)
        if kind in _GENERIC or kind in {
            "current",
            "valid",
            "applicable",
            "required",
            "relevant",
            "appropriate",
        }:
            continue
        if re.search(rf"\b{re.escape(kind[:5])}\w*\s+(?:\w+\s+){{0,1}}{_CREDENTIAL_NOUN}", cv.folded):
            return True
    return False


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = [t for t in tokens(text) if t not in _GENERIC and not t.isdigit()]
    return set(pairwise(words))


def _phrase_present(phrase: str, cv: CvText) -> bool:
    """A credential named without a code ("diplôme d'expertise comptable", "active security clearance")
    is on the CV when most of its word pairs are: independent words prove nothing."""
    pairs = _bigrams(phrase)
    words = [t for t in tokens(phrase) if t not in _GENERIC and not t.isdigit()]
    if not words:
        return True
    if len(words) <= 2 and all(_word_in(w, cv.token_set) for w in words):
        return True  # "Pflegeausbildung" against "Ausbildung ... Krankenpflegerin": compounds split
    return bool(pairs) and sum(p in cv.bigrams for p in pairs) / len(pairs) >= 0.5


def _alternatives_of(phrase: str) -> list[str]:
    """ "HV or CompEx", "香港、美国等境外律师资格", "物理科或其他学科证书": each named thing on its own."""
    phrase = re.sub(r"^[具有持取得]+", "", phrase.strip())
    parts = [p.strip(" ,.") for p in re.split(r"\s+or\s+|\s+ou\s+|\s+o\s+|\s+oder\s+|/|、|或|及|和", phrase)]
    return [p for p in parts if len(p) >= 2] or [phrase]


def _lacked(credential: Credential, lacks: list[str]) -> str | None:
    """A required credential the CV says it lacks ("Not yet licensed by MCGM" vs "MCGM licence")."""
    text = fold(credential.text)
    posting_words = set(tokens(credential.text))
    for lacked in lacks:
        for phrase in _alternatives_of(lacked):
            if _lacked_one(phrase, text, posting_words):
                return lacked
    return None


def _lacked_one(phrase: str, text: str, posting_words: set[str]) -> bool:
    """The posting's condition names this lacked thing (its identifying words, else most of its words)."""
    keys = [k for k in _strong_keys(phrase) if len(k) >= 2]
    if re.search(r"[\u4e00-\u9fff]", phrase):
        keys = [phrase]  # a short Chinese phrase: its characters identify it
    if keys:
        # Identifying words decide: "MCGM" must be named, not merely "structural engineer".
        return any(_named_in(k, text) for k in keys)
    content = [t for t in tokens(phrase) if t not in _GENERIC]
    return bool(content) and sum(_word_in(t, posting_words) for t in content) / len(content) >= 0.6


def _named_in(key: str, folded_text: str) -> bool:
    if re.search(r"[\u4e00-\u9fff]", key):
        simple = to_simplified(key)
        grams = [simple[i : i + 2] for i in range(len(simple) - 1)]
        return sum(g in folded_text for g in grams) >= max(1, int(0.7 * len(grams)))
    return re.search(rf"(?<![a-z0-9]){re.escape(fold(key))}(?![a-z0-9])", folded_text) is not None


def _word_in(word: str, words: AbstractSet[str]) -> bool:
    """A word, or a compound made of it ("Hebammenausbildung" / "Hebamme"), is among the words."""
    if word in words:
        return True
    if len(word) < 6:
        return False
    return any(len(w) >= 5 and (w in word or word in w or w[:6] == word[:6]) for w in words)


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
    profile: Profile,
    posting: Posting,
    demands: Demands,
    cv: CvText,
    prefs: Preferences,
    text: str,
    written: str,
) -> list[str]:
    """Every deal-breaker of this posting for this person, most decisive first."""
    c = profile.constraints
    lang = profile.language
    out: list[str] = []
    out += _place(c, posting, demands, lang)
    out += _setting(c, posting, demands, lang)
    out += _schedule(c, demands, lang)
    out += _rights(c, posting, demands, lang)
    out += _credentials(c, posting, demands, cv, lang, written)
    out += _languages(profile, demands, written, lang, cv)
    out += _contract(c, demands, lang)
    out += _preferences(prefs, posting, text, lang)
    return list(dict.fromkeys(out))


def _place(c: Constraints, posting: Posting, d: Demands, lang: str) -> list[str]:
    """Where the work is against where the person may and will work.

    A remote posting is checked only against the countries it hires from; an on-site (or hybrid)
    one against the person's work rights, areas and willingness to work away from home.
    """
    if posting.remote is True:
        return _remote_scope(c, d, lang)
    out: list[str] = []
    out += _on_site_rights(c, d, lang)
    out += _outside_area(c, posting, d, lang)
    out += _relocation(c, d, lang)
    if c.no_away_work and d.away_work:
        out.append(say("away", lang, what=d.away_work))
    return out


def _remote_scope(c: Constraints, d: Demands, lang: str) -> list[str]:
    """A remote posting open only to residents of countries where the person has no right to work."""
    if not d.remote_countries:
        return []
    rights = set(c.work_rights) or ({c.home.country} if c.home and c.home.country else set())
    if rights and not rights & d.remote_countries:
        where = ", ".join(sorted(d.remote_countries)[:5])
        return [say("remote_scope", lang, where=where)]
    return []


def _on_site_rights(c: Constraints, d: Demands, lang: str) -> list[str]:
    """On site (or hybrid) in a country where the CV shows no right to work, for someone not relocating."""
    rights = set(c.work_rights)
    countries = {p.country for p in d.places if p.country}
    if rights and countries and not countries & rights and c.relocate is not True:
        return [say("work_rights", lang, where=", ".join(sorted(countries)))]
    return []


def _outside_area(c: Constraints, posting: Posting, d: Demands, lang: str) -> list[str]:
    """None of the posting's places is within commuting distance of an area the CV names."""
    if not (c.areas and d.places):
        return []
    radius = c.commute_km or 60.0
    if any(_near(p, a, radius) for p in d.places for a in c.areas):
        return []
    return [
        say(
            "outside_area",
            lang,
            place=_stated_names(d) or posting.location or d.places[0].name,
            areas=_area_names(c.areas),
        )
    ]


def _stated_names(d: Demands) -> str:
    """The places the title or text says the work is in, when they outrank the listing's location."""
    return ", ".join(dict.fromkeys(p.name for p in d.stated_places[:3]))


def _relocation(c: Constraints, d: Demands, lang: str) -> list[str]:
    """Moving is a condition of the job and the person said they will not relocate; unless the job's
    place (as the text states it, else as listed) is already within the person's area: "Relocation
    required" then speaks to applicants from elsewhere."""
    if c.relocate is not False or not d.relocation_required:
        return []
    radius = c.commute_km or 60.0
    if any(_near(p, a, radius) for p in d.places for a in c.areas):
        return []
    return [say("relocation", lang, what=_short(d.relocation_required))]


def _setting(c: Constraints, posting: Posting, d: Demands, lang: str) -> list[str]:
    out: list[str] = []
    if (
        posting.remote is not True
        and c.max_office_days is not None
        and d.office_days is not None
        and d.office_days > c.max_office_days
    ):
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
    if (rights and not rights & d.work_countries) or (
        set(c.no_work_rights) & d.work_countries and not rights & d.work_countries
    ):
        return [say("work_rights", lang, where=", ".join(sorted(d.work_countries)[:5]))]
    return []


_DRIVING = re.compile(
    r"driv(?:er'?s?|ing)\s+licen[cs]e|permis\s+(?:de\s+conduire|b)\b|fuhrerschein|carn[eé]t?\s+de\s+conducir|licencia\s+de\s+conducir"
    r"|patente\s+b|carta\s+de\s+condu[cç][aã]o|驾照|驾驶证|驾驶执照"
)


def _credentials(
    c: Constraints, posting: Posting, d: Demands, cv: CvText, lang: str, written: str
) -> list[str]:
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
        if _DRIVING.search(fold(credential.text)):
            continue  # most adults hold one and few CVs say so: a deal-breaker only when the CV says it lacks one
        missing = credential_missing(credential, cv, same_language=written in cv.written_in)
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


_NO_SPONSORSHIP = re.compile(
    r"(?:cannot|can't|unable to|do not|don't|not able to)\s+(?:offer|provide|sponsor)[^.\n]{0,20}(?:visa|sponsor)|no\s+(?:visa\s+)?sponsorship",
    re.I,
)


def _preferences(prefs: Preferences, posting: Posting, text: str, lang: str) -> list[str]:
    """The person's own settings (excluded companies and words, remote, pay floor, visa) against the posting."""
    out: list[str] = []
    out += _excluded(prefs, posting, text, lang)
    if prefs.remote == "remote_only" and posting.remote is not True:
        out.append(say("remote_only", lang))
    if prefs.remote == "onsite_only" and posting.remote is True:
        out.append(say("onsite_only", lang))
    out += _salary_floor(prefs, posting, lang)
    if prefs.needs_visa_sponsorship and _NO_SPONSORSHIP.search(text):
        out.append(say("sponsorship", lang))
    return out


def _excluded(prefs: Preferences, posting: Posting, text: str, lang: str) -> list[str]:
    """A company the person excluded (by substring of its name), then each excluded keyword found."""
    out: list[str] = []
    company = posting.company.lower()
    for excluded in prefs.excluded_companies:
        if excluded.strip() and excluded.strip().lower() in company:
            out.append(say("excluded_company", lang, company=posting.company))
    for keyword in prefs.excluded_keywords:
        if keyword.strip() and re.search(
            rf"\b{re.escape(keyword.strip())}\b", f"{posting.title}\n{text}", re.I
        ):
            out.append(say("excluded_keyword", lang, keyword=keyword.strip()))
    return out


def _salary_floor(prefs: Preferences, posting: Posting, lang: str) -> list[str]:
    """Pay whose top is below the person's floor; pay in another currency is not compared."""
    floor = prefs.salary_floor
    salary = parse_salary(posting.salary)
    if (
        floor
        and salary is not None
        and salary.currency in (None, prefs.salary_currency)
        and salary.yearly_max < floor
    ):
        return [
            say(
                "salary_floor",
                lang,
                pay=f"{salary.yearly_max:,.0f} {salary.currency or ''}".strip(),
                floor=f"{floor:,}",
            )
        ]
    return []


def _short(sentence: str) -> str:
    sentence = sentence.strip()
    return sentence if len(sentence) <= 70 else sentence[:67].rsplit(" ", 1)[0] + "…"


def negated_near(text: str, start: int) -> bool:
    """True when a negation word sits just before ``start`` in ``text`` (folded)."""
    window = fold_for_cues(text[max(0, start - 30) : start])
    return re.search(NEGATION, window) is not None


__all__ = ["CvText", "check", "credential_missing", "find_places"]
