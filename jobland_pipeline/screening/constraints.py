"""Hard constraints: no similarity measure flags a deal-breaker, so these are explicit rules.

Each rule reads the posting's own wording (with negations such as "no night shifts" or
"nights not required" handled) and the user's CV and preferences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from jobland_pipeline.postings.geo import parse_place
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.salary import parse_salary
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.screening.models import Preferences

REQUIRED = r"(?:required|must|mandatory|essential|need(?:ed|s)?|necessary|须|必须|要求)"
_NEGATED_NIGHTS = re.compile(
    r"\b(no|without|never)\s+(?:\w+\s+){0,2}(night|overnight|nights)\b|nights?\s+(?:are\s+)?not\s+required"
    r"|day\s+shifts?\s+only|无夜班|不需要?(?:上)?夜班",
    re.I,
)
_NIGHTS = re.compile(
    r"\b(night\s+shifts?|nights|overnight|7\s*p(?:m)?\s*[-–]\s*7\s*a(?:m)?|rotating\s+(?:shifts|nights))\b|夜班|倒班",
    re.I,
)
LICENCES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # licence: (posting requires it, user has it)
    "an active RN licence": (
        re.compile(
            r"\b(RN\s+licen[cs]e|registered\s+nurse\s+licen[cs]e|licen[cs]ed?\s+(?:as\s+an?\s+)?(?:registered\s+nurse|RN))\b",
            re.I,
        ),
        re.compile(r"\bRN\b|registered nurse|护士执业", re.I),
    ),
    "a teaching licence": (
        re.compile(
            r"\bteach(?:ing|er)\s+(?:licen[cs]e|certification|certificate)\b|\bcertified\s+teacher\b|\blicensed\s+teacher\b",
            re.I,
        ),
        re.compile(
            r"teach(?:ing|er)\s+(?:licen[cs]e|certification|certificate)|certified teacher|教师资格", re.I
        ),
    ),
    "a CPA qualification": (
        re.compile(
            r"\bCPA\b(?!\s*(?:preferred|a plus|is a plus|优先))[^.\n]{0,40}\b(?:required|must)\b|(?:must|required)[^.\n]{0,30}\bCPA\b|注册会计师[^。\n]{0,10}(?:必须|要求)",
            re.I,
        ),
        re.compile(r"\bCPA\b|注册会计师", re.I),
    ),
    "a commercial driving licence (CDL)": (
        re.compile(r"\bCDL\b", re.I),
        re.compile(r"\bCDL\b", re.I),
    ),
}
LANG_NAMES = {
    "English": r"english|英语",
    "Spanish": r"spanish|西班牙语",
    "French": r"french|法语",
    "German": r"german|德语",
    "Chinese (Mandarin)": r"mandarin|chinese|普通话|中文",
    "Japanese": r"japanese|日语",
    "Portuguese": r"portuguese",
    "Arabic": r"arabic",
    "Korean": r"korean|韩语",
}


@dataclass(frozen=True)
class Context:
    posting: Posting
    text: str
    profile: Profile
    cv_text: str
    prefs: Preferences


Rule = Callable[[Context], str | None]


def _night_shifts(ctx: Context) -> str | None:
    if not ctx.prefs.no_night_shifts:
        return None
    if _NIGHTS.search(ctx.text) and not _NEGATED_NIGHTS.search(ctx.text):
        return "requires night shifts, which you ruled out"
    return None


def _licences(ctx: Context) -> str | None:
    for name, (required, held) in LICENCES.items():
        if required.search(ctx.text) and not held.search(ctx.cv_text):
            return f"requires {name}, which your CV does not show"
    return None


def _clearance(ctx: Context) -> str | None:
    pattern = rf"(security|government|SC|DV|TS/SCI|secret)\s+clearance[^.\n]{{0,40}}{REQUIRED}|{REQUIRED}[^.\n]{{0,40}}(security|active)\s+clearance|\bactive\s+(?:security\s+)?clearance\b"
    if re.search(pattern, ctx.text, re.I) and not re.search(r"clearance", ctx.cv_text, re.I):
        return "requires a security clearance, which your CV does not show"
    return None


def _language(ctx: Context) -> str | None:
    spoken = " ".join([*ctx.profile.languages, *ctx.prefs.languages]).lower()
    if ctx.profile.language == "zh":
        spoken += " chinese 中文 普通话"
    if ctx.profile.language == "en":
        spoken += " english"
    for name, pattern in LANG_NAMES.items():
        wants = re.search(
            rf"(fluent|fluency|native|bilingual|proficien\w*)\s+(?:in\s+)?(?:{pattern})[^.\n]{{0,30}}{REQUIRED}"
            rf"|(?:{pattern})\s+(?:language\s+)?(?:is\s+)?(?:required|mandatory|essential)"
            rf"|{REQUIRED}[^.\n]{{0,20}}(?:fluent|fluency)\s+(?:in\s+)?(?:{pattern})"
            rf"|(?:精通|熟练掌握)(?:{pattern})",
            ctx.text,
            re.I,
        )
        if wants and not re.search(pattern, spoken, re.I):
            return f"requires {name}, which your CV does not list"
    return None


def _sponsorship(ctx: Context) -> str | None:
    no_sponsor = re.search(
        r"(cannot|can't|can not|unable to|do not|don't|not able to)\s+(?:offer|provide|sponsor)[^.\n]{0,20}(visa|sponsor)"
        r"|no\s+(?:visa\s+)?sponsorship|must\s+(?:be\s+)?(?:authori[sz]ed|eligible|have\s+the\s+right)\s+to\s+work",
        ctx.text,
        re.I,
    )
    if not no_sponsor:
        return None
    posting_country = parse_place(ctx.posting.location).country
    user_country = parse_place(ctx.profile.contact.location).country
    if ctx.prefs.needs_visa_sponsorship or (
        posting_country and user_country and posting_country != user_country
    ):
        return "offers no visa sponsorship and you are based in another country"
    return None


def _onsite_elsewhere(ctx: Context) -> str | None:
    if ctx.posting.remote is True or ctx.prefs.willing_to_relocate:
        return None
    posting_place = parse_place(ctx.posting.location)
    user_place = parse_place(ctx.profile.contact.location)
    if posting_place.country and user_place.country and posting_place.country != user_place.country:
        kind = "hybrid" if ctx.posting.remote == "hybrid" else "on-site"
        return (
            f"{kind} in {ctx.posting.location}, another country than yours ({ctx.profile.contact.location})"
        )
    return None


def _remote_preference(ctx: Context) -> str | None:
    if ctx.prefs.remote == "remote_only" and ctx.posting.remote is not True:
        return "not fully remote, and you asked for remote only"
    if ctx.prefs.remote == "onsite_only" and ctx.posting.remote is True:
        return "fully remote, and you asked for on-site work"
    return None


def _experience_gap(ctx: Context) -> str | None:
    years = required_years(ctx.text)
    if years is not None and years - ctx.profile.years_experience >= 5:
        return f"asks for {years}+ years of experience; your CV shows {ctx.profile.years_experience:g}"
    return None


def _exclusions(ctx: Context) -> str | None:
    company = ctx.posting.company.lower()
    for excluded in ctx.prefs.excluded_companies:
        if excluded.strip() and excluded.strip().lower() in company:
            return f"{ctx.posting.company} is on your excluded companies list"
    for keyword in ctx.prefs.excluded_keywords:
        if keyword.strip() and re.search(rf"\b{re.escape(keyword.strip())}\b", ctx.text, re.I):
            return f"mentions '{keyword.strip()}', which you excluded"
    return None


def _salary_floor(ctx: Context) -> str | None:
    floor = ctx.prefs.salary_floor
    salary = parse_salary(ctx.posting.salary)
    if not floor or salary is None or salary.currency not in (None, ctx.prefs.salary_currency):
        return None  # unknown pay or another currency: not a proof of a low salary
    if salary.yearly_max < floor:
        return f"pays at most {salary.yearly_max:,.0f} {salary.currency or ''} a year, below your floor of {floor:,}"
    return None


RULES: tuple[Rule, ...] = (
    _exclusions,
    _remote_preference,
    _onsite_elsewhere,
    _sponsorship,
    _licences,
    _clearance,
    _language,
    _night_shifts,
    _experience_gap,
    _salary_floor,
)


def required_years(text: str) -> int | None:
    found = [
        int(n)
        for n in re.findall(
            r"(\d{1,2})\s*\+?\s*(?:or more\s+)?years?(?:'|’)?(?:\s+of)?\s+(?:\w+\s+){0,4}experience",
            text,
            re.I,
        )
    ]
    found += [int(n) for n in re.findall(r"(\d{1,2})\s*年(?:以上)?(?:\S{0,8})经验", text)]
    found = [n for n in found if 0 < n <= 30]
    return min(found) if found else None


def deal_breakers(ctx: Context) -> list[str]:
    return [reason for rule in RULES if (reason := rule(ctx))]


def mentions_night_shifts(text: str) -> bool:
    return bool(_NIGHTS.search(text)) and not _NEGATED_NIGHTS.search(text)
