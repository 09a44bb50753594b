"""What every format renders: a cleaned view of the tailored CV, and a letter cut into blocks.

Every format is rendered from these, so the Markdown, HTML, PDF, DOCX and LaTeX files always say the
same thing. Text is cleaned once here (control characters dropped: XML and PDF refuse them), never
escaped: escaping belongs to each format.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from jobland_pipeline.generation.render import zh_punctuation
from jobland_pipeline.generation.tailor import TailoredCV

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_WS = re.compile(r"\s+")

LABELS = {
    "en": {
        "cv": "Curriculum Vitae",
        "summary": "Summary",
        "skills": "Key skills",
        "experience": "Experience",
        "projects": "Projects",
        "education": "Education",
        "certifications": "Licences and certifications",
        "awards": "Awards",
        "publications": "Publications",
        "languages": "Languages",
        "letter": "Cover letter",
    },
    "zh": {
        "cv": "个人简历",
        "summary": "个人简介",
        "skills": "核心技能",
        "experience": "工作经历",
        "projects": "项目经历",
        "education": "教育背景",
        "certifications": "证书",
        "awards": "获奖情况",
        "publications": "发表作品",
        "languages": "语言能力",
        "letter": "求职信",
    },
    "fr": {
        "cv": "Curriculum vitae",
        "summary": "Profil",
        "skills": "Compétences clés",
        "experience": "Expérience professionnelle",
        "projects": "Projets",
        "education": "Formation",
        "certifications": "Certifications et habilitations",
        "awards": "Distinctions",
        "publications": "Publications",
        "languages": "Langues",
        "letter": "Lettre de motivation",
    },
    "es": {
        "cv": "Currículum vitae",
        "summary": "Perfil",
        "skills": "Competencias clave",
        "experience": "Experiencia profesional",
        "projects": "Proyectos",
        "education": "Formación",
        "certifications": "Certificaciones y licencias",
        "awards": "Premios",
        "publications": "Publicaciones",
        "languages": "Idiomas",
        "letter": "Carta de presentación",
    },
}
# Headings of the CV's other sections (the profile's keys), per language; unknown keys are spelled out.
SECTION_LABELS = {
    "volunteer": {"en": "Volunteering", "zh": "志愿经历", "fr": "Bénévolat", "es": "Voluntariado"},
    "volunteering": {"en": "Volunteering", "zh": "志愿经历", "fr": "Bénévolat", "es": "Voluntariado"},
    "activities": {"en": "Activities", "zh": "课外活动", "fr": "Activités", "es": "Actividades"},
    "interests": {"en": "Interests", "zh": "兴趣爱好", "fr": "Centres d'intérêt", "es": "Intereses"},
    "flight_time": {"en": "Flight time", "zh": "飞行时间", "fr": "Heures de vol", "es": "Horas de vuelo"},
    "memberships": {"en": "Memberships", "zh": "专业协会", "fr": "Adhésions", "es": "Afiliaciones"},
    "references": {"en": "References", "zh": "推荐人", "fr": "Références", "es": "Referencias"},
    "training": {"en": "Training", "zh": "培训经历", "fr": "Formations", "es": "Formación complementaria"},
    "courses": {"en": "Courses", "zh": "课程", "fr": "Cours", "es": "Cursos"},
    "skills_other": {
        "en": "Other skills",
        "zh": "其他技能",
        "fr": "Autres compétences",
        "es": "Otras competencias",
    },
}
_LANG_TAGS = {"zh": "zh-CN", "fr": "fr", "es": "es", "en": "en"}


def cv_language(language: str | None) -> str:
    """The language of a document's labels: English, Chinese, French or Spanish (English otherwise)."""
    base = (language or "en").split("-")[0].lower()
    return base if base in LABELS else "en"


def section_label(key: str, language: str) -> str:
    known = SECTION_LABELS.get(key.lower())
    if known:
        return known.get(language, known["en"])
    spelled = key.replace("_", " ").strip()
    return spelled[:1].upper() + spelled[1:]


def clean(text: str | None) -> str:
    """``text`` on one line, without control or private characters; '' for None."""
    if not text:
        return ""
    kept = "".join(
        ch if unicodedata.category(ch) not in {"Cc", "Cs", "Co", "Cn", "Zl", "Zp"} else " " for ch in text
    )
    return _WS.sub(" ", kept).strip()


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def lang_tag(language: str) -> str:
    return _LANG_TAGS.get(cv_language(language), "en")


@dataclass(frozen=True)
class RoleView:
    title: str
    employer: str
    meta: str  # dates · location
    bullets: list[str]


@dataclass(frozen=True)
class EntryView:
    title: str
    bullets: list[str]


@dataclass(frozen=True)
class CVView:
    language: str
    name: str
    headline: str
    contact: list[str]
    links: list[str]
    summary: str
    skills: list[str]
    roles: list[RoleView]
    education: list[str]
    certifications: list[str]
    languages: list[str]
    labels: dict[str, str] = field(repr=False)
    projects: list[EntryView] = field(default_factory=list)
    awards: list[str] = field(default_factory=list)
    publications: list[str] = field(default_factory=list)
    others: list[tuple[str, list[str]]] = field(default_factory=list, repr=False)

    @property
    def lists(self) -> list[tuple[str, list[str]]]:
        """The list sections after experience and projects, in order: (heading, items)."""
        out = [
            (self.labels["education"], self.education),
            (self.labels["certifications"], self.certifications),
            (self.labels["awards"], self.awards),
            (self.labels["publications"], self.publications),
        ]
        return [(heading, items) for heading, items in out if items]

    @property
    def lang(self) -> str:
        return lang_tag(self.language)

    @property
    def title(self) -> str:
        return " — ".join(x for x in (self.name, self.headline) if x)

    def all_text(self) -> str:
        parts = [self.name, self.headline, *self.contact, *self.links, self.summary, *self.skills]
        for role in self.roles:
            parts += [role.title, role.employer, role.meta, *role.bullets]
        for entry in self.projects:
            parts += [entry.title, *entry.bullets]
        parts += [*self.education, *self.certifications, *self.awards, *self.publications, *self.languages]
        for heading, items in self.others:
            parts += [heading, *items]
        return "\n".join(parts)


def cv_view(cv: TailoredCV) -> CVView:
    language = cv_language(cv.language)
    labels = LABELS[language]

    def one(value: str | None) -> str:
        text = clean(value)
        return zh_punctuation(text) if language == "zh" else text

    def items(values: list[str]) -> list[str]:
        return [c for c in (one(v) for v in values) if c]

    return CVView(
        language=language,
        name=one(cv.contact.name) or labels["cv"],
        headline=one(cv.headline),
        contact=items([cv.contact.email or "", cv.contact.phone or "", cv.contact.location or ""]),
        links=items(cv.contact.links),
        summary=one(cv.summary),
        skills=items(cv.skill_labels),
        roles=[
            RoleView(
                title=one(r.title),
                employer=one(r.employer),
                meta=" · ".join(items([r.dates_text or "", r.location or ""])),
                bullets=items(r.bullets),
            )
            for r in cv.roles
        ],
        education=items([e.text for e in cv.education]),
        certifications=items(cv.certifications),
        languages=items(cv.languages),
        labels=labels,
        projects=[
            EntryView(title=one(p.title), bullets=items(p.bullets)) for p in cv.projects if one(p.title)
        ],
        awards=items(cv.awards),
        publications=items(cv.publications),
        others=[
            (section_label(key, language), values)
            for key, raw in cv.other_sections.items()
            if (values := items(raw))
        ],
    )


# --- letters: a small, predictable subset of Markdown ------------------------------------------


@dataclass(frozen=True)
class Block:
    """``kind`` is heading (``level`` 1-3), paragraph (``lines`` kept as line breaks) or bullets."""

    kind: str
    lines: list[str]
    level: int = 0


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+•]\s+(.*)$")


def letter_blocks(text: str) -> list[Block]:
    """Headings, bullet lists and paragraphs; a letter's line breaks (address, sign-off) are kept."""
    blocks: list[Block] = []
    para: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", para.copy()))
            para.clear()
        if bullets:
            blocks.append(Block("bullets", bullets.copy()))
            bullets.clear()

    # The Markdown writes "<" before a letter as "&lt;" (never a tag in a viewer); here it is text again.
    text = text.replace("&lt;", "<")
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean(raw)
        if not line:
            flush()
        elif m := _HEADING.match(line):
            flush()
            blocks.append(Block("heading", [m.group(2)], level=min(len(m.group(1)), 3)))
        elif m := _BULLET.match(raw):
            if para:
                flush()
            if item := clean(m.group(1)):
                bullets.append(item)
        elif bullets and raw[:1].isspace():
            bullets[-1] = f"{bullets[-1]} {line}"  # continuation of a list item
        else:
            if bullets:
                flush()
            para.append(line)
    flush()
    return blocks


_INLINE = re.compile(r"\*\*(?P<b>\S(?:.*?\S)?)\*\*|(?<![\w*])[*_](?P<i>\S(?:.*?\S)?)[*_](?![\w*])")


def inline_runs(text: str) -> list[tuple[str, str]]:
    """``text`` as (style, text) runs: style is '', 'b' (``**bold**``) or 'i' (``*it*``/``_it_``)."""
    runs: list[tuple[str, str]] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append(("", text[pos : m.start()]))
        runs.append(("b", m.group("b")) if m.group("b") is not None else ("i", m.group("i")))
        pos = m.end()
    if pos < len(text):
        runs.append(("", text[pos:]))
    return runs
