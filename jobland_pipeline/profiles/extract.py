"""The offline profile extractor: section-aware, vocabulary-backed, deterministic."""

from __future__ import annotations

import re
from datetime import date

from jobland_pipeline.profiles.contact import extract_contact
from jobland_pipeline.profiles.dates import total_years
from jobland_pipeline.profiles.models import Education, Profile
from jobland_pipeline.profiles.roles import parse_roles
from jobland_pipeline.profiles.sections import Section, split_sections, strip_bullet
from jobland_pipeline.profiles.vocab import load_vocabulary

# Bump when extraction logic changes: profiles are rebuilt when this or the CV hash changes.
EXTRACTOR_VERSION = "offline-2"

DEGREE_RE = re.compile(
    r"\b(Ph\.?D|Doctor of|M\.?Ed|M\.?S\.?c?|M\.?A\.?|MBA|Master(?:'s)? of|Master(?:'s)?|B\.?S\.?N|B\.?S\.?c?|"
    r"B\.?A\.?|B\.?Eng|Bachelor(?:'s)? of|Bachelor(?:'s)?|Associate(?:'s)? (?:Degree|of)|Diploma|"
    r"A\.?D\.?N|Certificate in)\b|博士|硕士|学士|本科|研究生|大专|专科",
    re.IGNORECASE,
)
INSTITUTION_RE = re.compile(
    r"\b(University|College|Institute|School|Academy|Polytechnic)\b|大学|学院", re.IGNORECASE
)
LANGUAGES = {
    "English": ("english", "英语", "英文"),
    "Spanish": ("spanish", "西班牙语"),
    "French": ("french", "法语"),
    "German": ("german", "德语"),
    "Chinese (Mandarin)": ("mandarin", "chinese", "普通话", "中文", "汉语"),
    "Cantonese": ("cantonese", "粤语"),
    "Japanese": ("japanese", "日语"),
    "Korean": ("korean", "韩语"),
    "Portuguese": ("portuguese", "葡萄牙语"),
    "Italian": ("italian", "意大利语"),
    "Arabic": ("arabic", "阿拉伯语"),
    "Hindi": ("hindi",),
    "Russian": ("russian", "俄语"),
    "Tagalog": ("tagalog", "filipino"),
    "Vietnamese": ("vietnamese",),
    "Polish": ("polish",),
    "Dutch": ("dutch",),
    "Yoruba": ("yoruba",),
}
SENIOR_WORDS = re.compile(
    r"\b(senior|sr\.?|lead|principal|staff|head|chair|manager|director)\b|高级|主管|经理|总监|组长", re.I
)
_SPLIT_ITEMS = re.compile(r"\s*(?:[,;，；、|•·]|\s{2,})\s*")


def _section(sections: list[Section], name: str) -> list[str]:
    return [line for s in sections if s.name == name for line in s.lines]


def _items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        _, text = strip_bullet(line)
        if ":" in text and len(text.split(":", 1)[0]) < 30:
            text = text.split(":", 1)[1]  # "Clinical: a, b" -> "a, b"
        items.extend(i.strip(" .") for i in _SPLIT_ITEMS.split(text) if i.strip(" ."))
    return list(dict.fromkeys(items))


def _education(lines: list[str]) -> list[Education]:
    entries: list[Education] = []
    for line in lines:
        _, text = strip_bullet(line)
        degree = DEGREE_RE.search(text)
        institution = INSTITUTION_RE.search(text)
        year = re.findall(r"(?:19|20)\d\d", text)
        if degree or (institution and not entries):
            parts = [p.strip() for p in re.split(r"\s*[—–|,]\s*|\s{2,}", text) if p.strip()]
            inst = next((p for p in parts if INSTITUTION_RE.search(p)), None)
            deg = next((p for p in parts if DEGREE_RE.search(p)), None)
            entries.append(
                Education(degree=deg, institution=inst, year=year[-1] if year else None, text=text)
            )
        elif entries and (institution or year):
            last = entries[-1]
            last.text = f"{last.text} {text}"
            last.institution = last.institution or (
                next((p for p in re.split(r"\s*[—–|,]\s*", text) if INSTITUTION_RE.search(p)), None)
            )
            last.year = last.year or (year[-1] if year else None)
    return entries


def _languages(lines: list[str], text: str) -> list[str]:
    source = " ".join(lines).lower() if lines else ""
    found: list[str] = []
    for name, needles in LANGUAGES.items():
        if source and any(n in source for n in needles):
            found.append(_with_level(name, lines))
        elif not source and re.search(
            rf"\b(?:fluent|native|bilingual|proficient|conversational)\b[^.\n]{{0,30}}\b{needles[0]}\b"
            rf"|\b{needles[0]}\b\s*\((?:native|fluent|bilingual|professional)",
            text,
            re.IGNORECASE,
        ):
            found.append(name)
    return found


def _with_level(name: str, lines: list[str]) -> str:
    for item in _items(lines):
        if any(n in item.lower() for n in LANGUAGES[name]):
            return item
    return name


def _seniority(years: float, latest_title: str) -> str:
    if years >= 10 or re.search(r"\b(head|director|principal|chair)\b|总监", latest_title, re.I):
        return (
            "lead"
            if re.search(r"\b(head|director|chair|manager)\b|总监|经理", latest_title, re.I)
            else "senior"
        )
    if years >= 5 or SENIOR_WORDS.search(latest_title):
        return "senior"
    return "mid" if years >= 2 else "entry"


def build_profile(
    text: str, *, user_id: str, language: str, cv_sha256: str | None = None, as_of: date | None = None
) -> Profile:
    """Structure CV text; every string kept is a span of the CV (no invented facts)."""
    as_of = as_of or date.today()
    vocab = load_vocabulary()
    sections = split_sections(text)
    header = _section(sections, "header") + _section(sections, "contact")
    contact = extract_contact(header, text)
    roles = parse_roles(_section(sections, "experience") or _section(sections, "header"))
    skill_lines = _section(sections, "skills")
    counts = vocab.matcher.find(text)
    listed = vocab.matcher.find("\n".join(skill_lines + _section(sections, "certifications")))
    bullets_text = "\n".join(b for r in roles for b in r.bullets)
    in_bullets = vocab.matcher.find(bullets_text)
    ranked = sorted(
        counts,
        key=lambda s: (-(2 * (s in listed) + min(in_bullets.get(s, 0), 3) + min(counts[s], 3)), s),
    )
    families: dict[str, float] = {}
    for skill in ranked:
        for family in vocab.families_of(skill):
            families[family] = families.get(family, 0.0) + 1.0
    total = sum(families.values()) or 1.0
    summary_lines = _section(sections, "summary")
    years = total_years([(r.start, r.end) for r in roles if r.start], as_of)
    latest = roles[0].title if roles else ""
    return Profile(
        user_id=user_id,
        language=language,
        contact=contact,
        summary=" ".join(strip_bullet(line)[1] for line in summary_lines) or None,
        skills=ranked,
        skills_listed=_items(skill_lines),
        roles=roles,
        education=_education(_section(sections, "education")),
        certifications=_items(_section(sections, "certifications")),
        languages=_languages(_section(sections, "languages"), text),
        years_experience=years,
        seniority=_seniority(years, latest),
        families={k: round(v / total, 3) for k, v in sorted(families.items(), key=lambda kv: -kv[1])},
        cv_sha256=cv_sha256,
        extractor_version=EXTRACTOR_VERSION,
        as_of=as_of.isoformat(),
    )
