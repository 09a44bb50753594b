"""The offline profile extractor: section-aware, in the CV's own words, deterministic.

Nothing here looks words up in a closed vocabulary: skills are the CV's listed items plus the tools
and codes its bullets name, titles are the person's own, and constraints are read from the CV's
statements (``constraints.py``). Every string kept is a span of the CV, so nothing is invented.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from jobland_pipeline.lexicon import detect_language
from jobland_pipeline.lexicon.languages import NATIVE, LanguageMention, find_languages, parse_language_items
from jobland_pipeline.lexicon.titlewords import core_title, title_level
from jobland_pipeline.profiles.constraints import constraint_sentences, read_constraints, read_targets
from jobland_pipeline.profiles.contact import extract_contact
from jobland_pipeline.profiles.dates import months_between, total_years
from jobland_pipeline.profiles.education import parse_education
from jobland_pipeline.profiles.items import list_lines, repair_hyphenation, split_items
from jobland_pipeline.profiles.models import Contact, Entry, FieldYears, LanguageSkill, Profile, Role
from jobland_pipeline.profiles.portal import read_export
from jobland_pipeline.profiles.roles import TITLE_WORDS, parse_roles
from jobland_pipeline.profiles.sections import Section, split_sections, strip_bullet

# Bump when extraction logic changes: profiles are rebuilt when this or the CV hash changes.
EXTRACTOR_VERSION = "offline-5"  # 5: job portal exports laid out as CVs (``portal.read_export``)

_TOOLISH = re.compile(
    r"(?<![\w-])(?:[A-Z][a-z]*[A-Z][A-Za-z0-9+#]*|[A-Z]{2,}[0-9]*s?|[A-Z][a-z]+(?:\.[a-z]{2,3})|"
    r"(?:IS|BS|EN|ISO|IEC|NFPA|ASME)\s?\d[\d:.-]*)(?![\w-])"
)
_NOT_TOOL = frozenset(
    [
        "I",
        "II",
        "III",
        "IV",
        "CV",
        "UK",
        "US",
        "USA",
        "EU",
        "UAE",
        "OK",
        "TBD",
        "FAQ",
        "CEO",
        "CFO",
        "COO",
        "CTO",
        "ASAP",
    ]
)  # ASAP is dropped too: as a word it is "as soon as possible" more often than a programme


def _section(sections: list[Section], *names: str) -> list[str]:
    return [line for s in sections if s.name in names for line in s.lines]


def _entries(lines: list[str]) -> list[Entry]:
    """Projects and the like: a header line followed by its bullets."""
    entries: list[Entry] = []
    for line in lines:
        is_bullet, text = strip_bullet(line)
        if is_bullet and entries:
            entries[-1].bullets.append(text)
        elif entries and not is_bullet and entries[-1].bullets and re.match(r"[a-z(]", text):
            entries[-1].bullets[-1] = f"{entries[-1].bullets[-1]} {text}"
        else:
            entries.append(Entry(title=text))
    for entry in entries:
        entry.bullets = [repair_hyphenation(b) for b in entry.bullets]
    return entries


def _add_mention(skills: dict[str, LanguageSkill], mention: LanguageMention) -> None:
    """The first mention of a language sets its level; a negated one ("basic", "not fluent") caps it."""
    known = skills.get(mention.code)
    if known is None:
        level = min(mention.level or 3, 3) if mention.negated else mention.level
        skills[mention.code] = LanguageSkill(
            language=mention.code, level=level, text=mention.text, limited=mention.negated
        )
        return
    known.limited = known.limited or mention.negated
    if mention.negated and known.level:
        known.level = min(known.level, 3)


def _languages(lines: list[str], cv_language: str) -> tuple[list[str], list[LanguageSkill]]:
    lines = [line for line in lines if find_languages(line)]  # "References available on request" is not one
    written = [item for item in split_items(lines) if find_languages(item)]
    skills: dict[str, LanguageSkill] = {}
    for mention in parse_language_items(" ; ".join(strip_bullet(line)[1] for line in lines)):
        _add_mention(skills, mention)
    base = cv_language.split("-")[0]
    if base not in skills and base in {"en", "fr", "es", "de", "zh", "pt", "it", "nl"}:
        skills[base] = LanguageSkill(language=base, level=NATIVE - 1, text=f"({base}: the CV's language)")
    return written, list(skills.values())


_NAMED = re.compile(
    r"(?<=[a-z0-9,;(] )(?:[A-Z][A-Za-z0-9+#.]*[A-Za-z0-9+#](?: [A-Z][A-Za-z0-9+#.]*[A-Za-z0-9+#]){0,2})(?![A-Za-z0-9])"
)
_CALENDAR = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*$", re.IGNORECASE
)


def _rare_name(name: str) -> bool:
    """No month or weekday, and every word rare in job texts."""
    from jobland_pipeline.lexicon.idf import idf
    from jobland_pipeline.lexicon.tokens import stem

    words = name.split()
    if any(_CALENDAR.match(w) for w in words):
        return False
    return len(name) >= 3 and not min(idf(stem(w.lower())) for w in words) < 3.9


def _tools(text: str, exclude: set[str]) -> list[str]:
    """Tools and codes a CV's sentences name: acronyms and CamelCase ("AWS", "WebSockets") and
    capitalised names in the middle of a sentence ("using Kafka and Go", "in Spring Boot") that are
    rare in job texts (background rarity), are not places, months or the person's employers."""
    from jobland_pipeline.places import find_places

    found: dict[str, int] = {}
    for m in _TOOLISH.finditer(text):
        word = m.group(0).strip()
        if word in _NOT_TOOL or word.lower() in exclude or len(word) < 2:
            continue
        found[word] = found.get(word, 0) + 1
    places = {p.name.lower() for p in find_places(text)}
    for m in _NAMED.finditer(text):
        name = m.group(0).strip(" .")
        if name.lower() in exclude or name.lower() in places or not _rare_name(name):
            continue
        found[name] = found.get(name, 0) + 1
    order = {w: i for i, w in enumerate(found)}
    return sorted(found, key=lambda w: (-found[w], order[w]))  # most named first, then as the CV goes


def _fields(roles: list[Role], as_of: date) -> list[FieldYears]:
    """Years per line of work: roles grouped by their core title (seniority and qualifiers dropped)."""
    today = f"{as_of.year}-{as_of.month:02d}"
    fields: dict[str, FieldYears] = {}
    for role in roles:
        if not role.start:
            continue
        key = core_title(role.title).lower() or role.title.lower()
        months = months_between(role.start, min(role.end or today, today))
        entry = fields.setdefault(key, FieldYears(field=key, years=0.0))
        entry.years = round(entry.years + months / 12, 1)
        if role.title not in entry.titles:
            entry.titles.append(role.title)
    return sorted(fields.values(), key=lambda f: -f.years)


def _seniority(total: float, roles: list[Role], as_of: date) -> str:
    """The level of the current line of work: a career changer's earlier years do not count."""
    latest = roles[0].title if roles else ""
    level = title_level(latest)
    from jobland_pipeline.lexicon.titles import title_similarity

    related = [r for r in roles if r.start and (r is roles[0] or title_similarity(latest, r.title) >= 0.45)]
    years = total_years([(r.start, r.end) for r in related if r.start], as_of) if related else total
    return _level(level, years)


def _level(level: str, years: float) -> str:
    """A title's own level wins ("Senior", "Lead"); otherwise years in the line of work decide."""
    if level in {"lead", "senior"}:
        return level
    if level == "entry":
        return "entry" if years < 3 else "mid"
    if years >= 10:
        return "senior"
    if years >= 5:
        return "senior" if level == "mid" and years >= 7 else "mid"
    return "mid" if years >= 2 else "entry"


def _headline(
    header: list[str], name: str | None, names_job: Callable[[str], object] = TITLE_WORDS.search
) -> str | None:
    """The title line under the name ("Senior HR Business Partner | Chartered MCIPD")."""
    for line in header[:4]:
        text = strip_bullet(line)[1]
        if (
            not text
            or (name and text.startswith(name))
            or "@" in text
            or re.search(r"\d[\d ().-]{6,}\d", text)
            or ":" in text[:25]
        ):
            continue
        first = re.split(r"\s*[|｜·•]\s*|\s+[—–-]\s+(?=[A-Z][a-z])", text)[0]
        first = re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", first).strip()
        if names_job(first) and len(first) <= 80:
            return first
    return None


def _cv_language(language: str | None, text: str) -> str:
    """The language given, unless none (or only the default "en") was: then the text's own."""
    if language is None or language in ("", "unknown", "en"):
        return detect_language(text)
    return language


def _statements(header: list[str], summary: list[str], sections: list[Section]) -> list[str]:
    """Where constraints are stated: header, summary and labelled lines outside roles and projects."""
    other = [line for s in sections if s.name not in {"experience", "projects"} for line in s.lines]
    return constraint_sentences(header, summary, other)


def _mentioned_tools(roles: list[Role], summary_text: str, contact: Contact, listed: list[str]) -> list[str]:
    """Tools named in the summary and bullets that the skills list does not already hold; employers,
    role places and the person's name are not tools."""
    bullets_text = "\n".join([summary_text, *(b for r in roles for b in r.bullets)])
    exclude = {x.lower() for r in roles for x in (r.employer or "", r.location or "")} | {
        (contact.name or "").lower()
    }
    return [t for t in _tools(bullets_text, exclude) if not any(t.lower() in s.lower() for s in listed)]


_OTHER_SECTIONS = frozenset({"volunteer", "activities", "flight_time", "interests", "references"})


def build_profile(
    text: str,
    *,
    user_id: str,
    language: str | None = None,
    cv_sha256: str | None = None,
    as_of: date | None = None,
) -> Profile:
    """Structure CV text; every string kept is a span of the CV (no invented facts)."""
    as_of = as_of or date.today()
    cv_language = _cv_language(language, text)
    export = read_export(text)
    text = export.text if export else text
    sections = split_sections(text)
    header = _section(sections, "header", "contact")
    contact = extract_contact(header, text)
    if export:  # the portal keeps the name apart: none of the export's lines is one
        contact = contact.model_copy(update={"name": None})
    roles = parse_roles(_section(sections, "experience") or _section(sections, "header"))
    for role in roles:
        role.bullets = [repair_hyphenation(b) for b in role.bullets]
    listed = split_items(_section(sections, "skills"))
    summary_lines = _section(sections, "summary")
    summary_text = " ".join(strip_bullet(line)[1] for line in summary_lines)
    tools = _mentioned_tools(roles, summary_text, contact, listed)
    languages, language_skills = _languages(_section(sections, "languages"), cv_language)
    statements = _statements(header, summary_lines, sections)
    years = total_years([(r.start, r.end) for r in roles if r.start], as_of)
    return Profile(
        user_id=user_id,
        language=cv_language,
        contact=contact,
        headline=_headline(export.designation, None, export.names_job)
        if export
        else _headline(header, contact.name),
        summary=summary_text or None,
        skills=[*listed, *tools[:120]],  # a long CV may name a hundred tools; all are its own words
        skills_listed=listed,
        roles=roles,
        education=parse_education(_section(sections, "education")),
        certifications=list_lines(_section(sections, "certifications")),
        languages=languages,
        language_skills=language_skills,
        projects=_entries(_section(sections, "projects")),
        awards=list_lines(_section(sections, "awards")),
        publications=list_lines(_section(sections, "publications")),
        other_sections={
            s.name: list_lines(s.lines) for s in sections if s.name in _OTHER_SECTIONS and s.lines
        },
        targets=read_targets(statements),
        years_experience=years,
        experience_by_field=_fields(roles, as_of),
        seniority=_seniority(years, roles, as_of),
        constraints=read_constraints(statements, location=contact.location),
        cv_sha256=cv_sha256,
        extractor_version=EXTRACTOR_VERSION,
        as_of=as_of.isoformat(),
    )
