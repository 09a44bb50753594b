"""Split CV text into sections by recognising headings in English and Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jobland_pipeline.lexicon.tokens import fold

HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": (
        "profil",
        "profil professionnel",
        "résumé",
        "a propos",
        "à propos",
        "perfil",
        "perfil profesional",
        "resumen",
        "sobre mí",
        "acerca de mí",
        "profil",
        "kurzprofil",
        "über mich",
        "zusammenfassung",
        "resumo",
        "perfil profissional",
        "profilo",
        "sommario",
        "个人概述",
        "个人简历",
        "简介",
        "職業概述",
        "個人簡介",
        "自我介紹",
        "summary",
        "professional summary",
        "profile",
        "professional profile",
        "about me",
        "objective",
        "career objective",
        "personal statement",
        "career summary",
        "executive summary",
        "overview",
        "个人简介",
        "自我评价",
        "个人总结",
        "职业概述",
        "个人优势",
        "求职意向",
    ),
    "experience": (
        "expérience professionnelle",
        "expériences professionnelles",
        "expérience",
        "expériences",
        "parcours professionnel",
        "experiencia",
        "experiencia profesional",
        "experiencia laboral",
        "trayectoria profesional",
        "berufserfahrung",
        "beruflicher werdegang",
        "berufliche erfahrung",
        "experiência profissional",
        "experiência",
        "esperienza professionale",
        "esperienze lavorative",
        "flight experience",
        "工作經歷",
        "工作經驗",
        "實習經歷",
        "experience",
        "work experience",
        "professional experience",
        "employment history",
        "work history",
        "career history",
        "relevant experience",
        "employment",
        "professional background",
        "teaching experience",
        "clinical experience",
        "工作经历",
        "工作经验",
        "实习经历",
        "职业经历",
        "工作履历",
    ),
    "education": (
        "formation",
        "formations",
        "études",
        "diplômes",
        "formación",
        "formación académica",
        "educación",
        "estudios",
        "ausbildung",
        "bildung",
        "studium",
        "formação",
        "formação académica",
        "istruzione",
        "formazione",
        "教育經歷",
        "學歷",
        "education",
        "education and training",
        "academic background",
        "academic qualifications",
        "educational background",
        "education history",
        "教育背景",
        "教育经历",
        "学历",
        "教育",
    ),
    "skills": (
        "compétences",
        "compétences techniques",
        "savoir-faire",
        "habilidades",
        "competencias",
        "conocimientos",
        "aptitudes",
        "kenntnisse",
        "fähigkeiten",
        "kompetenzen",
        "competências",
        "competenze",
        "專業技能",
        "技能專長",
        "skills",
        "technical skills",
        "core competencies",
        "key skills",
        "competencies",
        "areas of expertise",
        "skills and abilities",
        "skills and expertise",
        "core skills",
        "professional skills",
        "clinical skills",
        "technologies",
        "tools",
        "skill set",
        "专业技能",
        "技能",
        "技能特长",
        "个人技能",
        "技能证书",
    ),
    "certifications": (
        "qualifications",
        "qualifications and cards",
        "licences and certifications",
        "licenses and certifications",
        "licences and registrations",
        "professional membership and training",
        "professional memberships",
        "membership",
        "memberships",
        "professional registration",
        "certificates and ratings",
        "licences and ratings",
        "certificates and licences",
        "certifications et habilitations",
        "habilitations",
        "permis et habilitations",
        "certificaciones",
        "certificados",
        "titulaciones",
        "acreditaciones",
        "zertifikate",
        "zertifizierungen",
        "certificações",
        "certificazioni",
        "执业资格",
        "資格證書",
        "證書",
        "certifications",
        "certification",
        "licenses",
        "licences",
        "licenses and certifications",
        "licences and certifications",
        "certifications and licenses",
        "certificates",
        "credentials",
        "证书",
        "资格证书",
        "职业资格",
        "获得证书",
    ),
    "languages": (
        "langues",
        "langues parlées",
        "idiomas",
        "lenguas",
        "sprachen",
        "sprachkenntnisse",
        "línguas",
        "lingue",
        "語言",
        "語言能力",
        "languages",
        "language skills",
        "language",
        "语言能力",
        "语言",
        "外语能力",
    ),
    "projects": (
        "projets",
        "proyectos",
        "projekte",
        "projetos",
        "progetti",
        "項目經歷",
        "projects",
        "selected projects",
        "key projects",
        "项目经历",
        "项目经验",
    ),
    "contact": (
        "contact",
        "contact information",
        "personal information",
        "personal details",
        "个人信息",
        "基本信息",
    ),
    "awards": (
        "distinctions",
        "prix",
        "premios",
        "reconocimientos",
        "auszeichnungen",
        "prêmios",
        "premi",
        "awards",
        "honors",
        "honours",
        "achievements",
        "awards and honors",
        "honors and awards",
        "honours and awards",
        "awards and achievements",
        "获奖经历",
        "获奖情况",
        "荣誉奖项",
    ),
    "publications": (
        "publicaciones",
        "publikationen",
        "publicações",
        "pubblicazioni",
        "publications",
        "research",
        "presentations",
        "presentation",
        "talks",
        "invited talks",
        "patents",
        "发表论文",
        "公开成果",
    ),
    "activities": (
        "extracurricular activities",
        "extracurricular activity",
        "activities",
        "leadership and activities",
        "community involvement",
        "program committees",
        "校园经历",
        "社团经历",
        "社会实践",
        "实践经历",
    ),
    "flight_time": ("flight time", "flight hours", "flying hours", "heures de vol", "horas de vuelo"),
    "interests": (
        "centres d'intérêt",
        "loisirs",
        "intereses",
        "aficiones",
        "hobbys",
        "interessen",
        "interests",
        "hobbies",
        "兴趣爱好",
    ),
    "volunteer": ("volunteer", "volunteering", "volunteer experience", "志愿者经历"),
    "references": ("références", "referencias", "referenzen", "references", "referees"),
}


def _norm(text: str) -> str:
    text = fold(text).replace("&", " and ")  # fold also reads Traditional Chinese as Simplified
    return re.sub(r"[^a-z\u4e00-\u9fff]", "", text)


_LOOKUP: dict[str, str] = {_norm(h): section for section, hs in HEADINGS.items() for h in hs}
_BULLET = re.compile(r"^[\s•·・●▪◦■□➢►\-*–—]+")


@dataclass
class Section:
    name: str
    heading: str | None
    lines: list[str] = field(default_factory=list)


def _joined_heading(bare: str) -> str | None:
    """ "SKILLS & AWARDS", "Languages and Interests": joined headings; the first one names the section."""
    parts = [p for p in re.split(r"\s*(?:&|\band\b|\bet\b|\by\b|,|/)\s*", bare, flags=re.I) if p.strip()]
    if len(parts) >= 2 and all(_LOOKUP.get(_norm(p)) for p in parts):
        return _LOOKUP[_norm(parts[0])]
    return None


def match_heading(line: str) -> tuple[str, str] | None:
    """Return (section, inline content) when the line is a heading, possibly "Skills: a, b"."""
    stripped = _BULLET.sub("", line).strip()
    if not stripped or len(stripped) > 60:
        return None
    m = re.match(r"^(.*?)\s*[:：]\s*(.*)$", stripped)
    head, sep, rest = (m.group(1), ":", m.group(2)) if m else (stripped, "", "")
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", head)
    section = _LOOKUP.get(_norm(head)) or _LOOKUP.get(_norm(bare))
    if section is None and not sep:
        section = _joined_heading(bare)
    if section is None:
        return None
    if not sep and len(bare.split()) > 5:
        return None
    if sep and section in {"summary", "experience", "education", "projects"} and rest.strip():
        return None  # "Experience: 5 years in ICU" is a sentence, not a heading
    return section, rest.strip()


def _add_line(sections: list[Section], line: str) -> None:
    """File one non-empty line: under the current section, or as the start of a new one."""
    found = match_heading(line)
    if found is None:
        sections[-1].lines.append(line)
        return
    name, inline = found
    current = sections[-1]
    if inline and current.name == "skills" and name not in {"languages", "certifications"}:
        current.lines.append(line)  # "Research: user interviews, ..." is a group of skills
    elif inline and current.name in {"header", "skills"}:
        # "执业资格：…" or "Languages: English, French" among the header lines: a labelled field, not
        # the start of a section. "Languages: Python, C++" or "Certifications: CKA" inside Skills labels
        # a group of skills. Either way the line is filed under both sections, and the current one goes on.
        sections.pop()
        sections.append(Section(name, line, [inline]))
        current.lines.append(line)
        sections.append(current)
    else:
        sections.append(Section(name, line))
        if inline:
            sections[-1].lines.append(inline)


def split_sections(text: str) -> list[Section]:
    """Sections in document order; text before the first heading is the ``header`` section."""
    sections = [Section("header", None)]
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            _add_line(sections, line)
    return sections


def strip_bullet(line: str) -> tuple[bool, str]:
    """(was a bullet, text without the bullet mark)."""
    match = _BULLET.match(line)
    if (
        match
        and match.end() < len(line)
        and (match.group().strip() not in {"-", "–", "—"} or line[1:2] == " ")
    ):
        return True, line[match.end() :].strip()
    return False, line.strip()
