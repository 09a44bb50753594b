"""What the cover letter and cheat sheet say: the CV's own facts, the posting's words quoted as data.

The letter is written in the posting's language (English, Chinese, French or Spanish; English for
the rest). About the person it only repeats the CV: its most relevant bullets, the skills both the
CV and the posting name, and, when the CV states a number of years itself, that phrase verbatim
("thirteen years in the trade", "siete años de experiencia"). About the company it quotes the
dossier (mission, culture, recent news). The cheat sheet pairs each of the posting's requirement
lines with the CV lines that best answer it (STAR material) and lists the ones nothing on the CV
answers, to prepare for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from jobland_pipeline.generation.tailor import TailoredCV, Wanted, relevance
from jobland_pipeline.generation.text import (
    ABOUT_PAY,
    PostingText,
    contains,
    normalise,
    one_line,
    posting_plain,
)
from jobland_pipeline.lexicon.idf import idf
from jobland_pipeline.lexicon.tokens import tokens
from jobland_pipeline.research.dossier import Dossier
from jobland_pipeline.screening.models import Screening

LETTER_LANGUAGES = ("en", "zh", "fr", "es")
EVIDENCE_MIN = 4.0  # rarity-weighted shared words for a CV line to answer a requirement
EVIDENCE_SHARE = 0.2  # ... and at least this share of the requirement's weight
MAX_REQUIREMENTS = 8
MAX_QUOTE = 220

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}


def letter_language(posting: PostingText) -> str:
    return posting.language if posting.language in LETTER_LANGUAGES else "en"


def long_date(day: date, language: str) -> str:
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    if language == "fr":
        return f"{day.day} {_MONTHS['fr'][day.month - 1]} {day.year}"
    if language == "es":
        return f"{day.day} de {_MONTHS['es'][day.month - 1]} de {day.year}"
    return f"{day.day} {_MONTHS['en'][day.month - 1]} {day.year}"


# --- the CV's own statement of its years ---------------------------------------------------------

_NUM = (
    r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|"
    r"douze|treize|quatorze|quinze|seize|vingt|trente|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|"
    r"doce|trece|catorce|quince|dieciséis|veinte|treinta"
)
_YEARS_PHRASE = re.compile(rf"\b(?:{_NUM})\+?\s+(?:years|ans|años)\b", re.I)
_YEARS_PHRASE_ZH = re.compile(
    r"(?:[0-9]{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:多|余)?年(?:以上)?[\u4e00-\u9fff]{0,12}?经验"
)
_PREPS = frozenset(["of", "in", "as", "de", "en", "dans", "comme", "como"])
_TAIL_STOP = _PREPS | frozenset(
    [
        "on",
        "with",
        "including",
        "for",
        "at",
        "where",
        "when",
        "and",
        "or",
        "but",
        "who",
        "whom",
        "whose",
        "which",
        "that",
        "so",
        "while",
        "dont",
        "avec",
        "pour",
        "et",
        "ou",
        "mais",
        "qui",
        "que",
        "où",
        "con",
        "para",
        "y",
        "o",
        "pero",
        "quien",
        "quienes",
        "donde",
        "cuando",
    ]
)


def years_phrase(cv_text: str) -> str | None:
    """The CV's own "N years ..." phrase (its first), verbatim, or None when the CV states none."""
    if m := _YEARS_PHRASE_ZH.search(cv_text):
        return m.group(0)
    for m in _YEARS_PHRASE.finditer(cv_text):
        words = _phrase_tail(cv_text[m.end() :].split()[:4])
        if words and len(words) >= 2:
            return one_line(f"{m.group(0)} {' '.join(words)}")
    return None


def _phrase_tail(following: list[str]) -> list[str]:
    """What the years are of: a preposition and up to two more words ("in intensive care"), ending
    at punctuation, a verb form or a word that starts something else."""
    words: list[str] = []
    for raw in following:
        word = raw.rstrip(",.;:)")
        if not words and word.lower() not in _PREPS:
            break
        if words and (word.lower() in _TAIL_STOP or re.search(r"(?:ing|ndo|ant)$", word.lower())):
            break
        if word:
            words.append(word)
        if word != raw or len(words) == 3:
            break
    return words


# --- evidence: CV lines that answer the posting's requirement lines ------------------------------


@dataclass(frozen=True)
class Evidence:
    source: str  # "ICU Registered Nurse — Northshore Mercy Hospital", "Certifications"...
    text: str


@dataclass
class Answer:
    requirement: str
    evidence: list[Evidence] = field(default_factory=list)


def _quote(text: str) -> str:
    line = one_line(text).strip('"“”«»')
    return line if len(line) <= MAX_QUOTE else line[: MAX_QUOTE - 1].rstrip() + "…"


def _work_evidence(cv: TailoredCV, labels: dict[str, str]) -> list[Evidence]:
    """Role bullets under their role; project bullets under their project (or the project's title)."""
    out: list[Evidence] = []
    for role in cv.roles:
        label = " — ".join(x for x in (role.title, role.employer) if x)
        out += [Evidence(label, b) for b in role.bullets]
    for project in cv.projects:
        out += [Evidence(project.title, b) for b in project.bullets] or [
            Evidence(labels["projects"], project.title)
        ]
    return out


def _candidates(cv: TailoredCV, labels: dict[str, str]) -> list[Evidence]:
    out = _work_evidence(cv, labels)
    out += [Evidence(labels["certifications"], c) for c in cv.certifications]
    out += [Evidence(labels["education"], e.text) for e in cv.education]
    out += [Evidence(labels["languages"], x) for x in cv.languages]
    for name, items in cv.other_sections.items():
        out += [Evidence(name.replace("_", " ").capitalize(), x) for x in items]
    if cv.summary:
        out += [Evidence(labels["summary"], x) for x in sentences(cv.summary)]
    return out


_SENTENCE = re.compile(r"(?<=[.!?。！？；;])\s*")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (a summary), each as written."""
    return [x.strip() for x in _SENTENCE.split(one_line(text)) if len(x.strip()) > 3]


def _shared(requirement: str, text: str) -> float:
    """Rarity-weighted words ``text`` shares with a requirement; 0 below a fifth of the requirement."""
    want = set(tokens(requirement))
    total = sum(idf(t) for t in want)
    shared = sum(idf(t) for t in want & set(tokens(text)))
    return shared if total and shared / total >= EVIDENCE_SHARE else 0.0


def answers(
    cv: TailoredCV, posting: PostingText, screening: Screening, labels: dict[str, str]
) -> tuple[list[Answer], list[str]]:
    """(requirement lines the CV answers, with its best lines; requirement lines nothing answers)."""
    candidates = _candidates(cv, labels)
    answered: list[Answer] = []
    open_lines: list[str] = []
    for requirement in posting.requirements[:MAX_REQUIREMENTS]:
        requirement = _NUMBERING.sub("", requirement)
        best = _best_evidence(requirement, candidates)
        if best:
            answered.append(Answer(_quote(requirement), best))
        else:
            open_lines.append(_quote(requirement))
    _add_uncovered(posting, screening, answered, open_lines)
    return answered, open_lines


_NUMBERING = re.compile(r"^\s*\d+\s*[.、)]\s*")


def _best_evidence(requirement: str, candidates: list[Evidence]) -> list[Evidence]:
    """The two CV lines sharing the most (rarity-weighted) words with a requirement, in CV order on ties."""
    scored = sorted(
        ((s, i, c) for i, c in enumerate(candidates) if (s := _shared(requirement, c.text)) >= EVIDENCE_MIN),
        key=lambda x: (-x[0], x[1]),
    )
    return [c for _, _, c in scored[:2]]


def _add_uncovered(
    posting: PostingText, screening: Screening, answered: list[Answer], open_lines: list[str]
) -> None:
    """The screening's uncovered requirement lines, when they are requirement lines of this posting."""
    known = {normalise(_NUMBERING.sub("", r)) for r in posting.requirements}
    done = {normalise(a.requirement) for a in answered} | {normalise(x) for x in open_lines}
    for line in screening.missing_skills:
        clean = _NUMBERING.sub("", one_line(posting_plain(line)))
        if clean and normalise(clean) in known and normalise(_quote(clean)) not in done:
            open_lines.append(_quote(clean))
            done.add(normalise(_quote(clean)))


# --- the letter's material -----------------------------------------------------------------------


@dataclass
class Lead:
    """The role (or project) the letter leads with, and its most relevant bullets."""

    title: str
    employer: str | None
    is_current: bool
    is_project: bool
    bullets: list[str]


def lead(cv: TailoredCV, posting: PostingText, count: int) -> Lead | None:
    weights = Wanted.of(posting).weights
    for role in cv.roles:
        if role.bullets:
            ranked = sorted(role.bullets, key=lambda b: -relevance(b, weights))
            return Lead(role.title, role.employer, role.is_current, False, ranked[:count])
    if cv.projects:
        project = cv.projects[0]
        return Lead(project.title, None, False, True, project.bullets[:count])
    if cv.roles:
        role = cv.roles[0]
        return Lead(role.title, role.employer, role.is_current, False, [])
    return None


def matched_skills(cv: TailoredCV, screening: Screening, posting: PostingText, cv_norm: str) -> list[str]:
    """Skills both the CV and the posting name, in the CV's words (at most five)."""
    posting_norm = normalise(posting.full)
    named = [s for s in screening.matched_skills if contains(cv_norm, s) and contains(posting_norm, s)]
    named += [s for s in cv.skills if contains(posting_norm, s)]
    return list(dict.fromkeys(named))[:5]


@dataclass
class CompanyFacts:
    """The dossier, as plain text with any instruction to machines removed."""

    about: str = ""
    mission: str = ""
    culture: list[str] = field(default_factory=list)
    news: list[dict[str, str]] = field(default_factory=list)
    red_flags: list[str] = field(default_factory=list)
    news_note: str = ""

    @classmethod
    def of(cls, dossier: Dossier | None) -> CompanyFacts:
        if dossier is None:
            return cls()

        def plain(text: str | None) -> str:
            return _quote(posting_plain(text)) if text else ""

        return cls(
            about=one_line(posting_plain(dossier.about)),
            mission=plain(dossier.mission),
            culture=[c for c in (plain(x) for x in dossier.culture) if c],
            news=[
                {"title": plain(n.title), "published": one_line(n.published), "url": one_line(n.url)}
                for n in dossier.news
                if plain(n.title)
            ],
            red_flags=[f for f in (plain(x) for x in dossier.red_flags) if f],
            news_note=plain(dossier.news_note),
        )

    @property
    def letter_mission(self) -> str:
        """The mission, for a letter: never a sentence about pay or benefits."""
        return "" if ABOUT_PAY.search(self.mission) else self.mission

    @property
    def letter_culture(self) -> str:
        return next((c for c in self.culture if not ABOUT_PAY.search(c)), "")

    def text(self) -> str:
        parts = [self.about, self.mission, *self.culture, *self.red_flags, self.news_note]
        parts += [" ".join(n.values()) for n in self.news]
        return "\n".join(p for p in parts if p)


# --- the cheat sheet's words, per language --------------------------------------------------------

SHEET: dict[str, dict[str, str]] = {
    "en": {
        "stories": "Your own stories for this role (STAR answers)",
        "story": "Story",
        "situation": "Situation",
        "task": "Task",
        "action": "Action",
        "result": "Result",
        "colon": ":",
        "lq": "“",
        "rq": "”",
        "title": "Interview cheat sheet",
        "match": "Match",
        "evidence": "What they ask for, and your evidence (STAR material)",
        "from": "From",
        "star": "STAR: Situation and task, what was the context? Action, what did *you* do? Result, what changed (with the number)?",
        "no_evidence": "No line of your CV answers the posting's requirements directly: lead with your most relevant experience.",
        "gaps": "To prepare for: requirements your CV does not cover",
        "gap_hint": "say honestly where you stand and how you would close the gap.",
        "no_gaps": "Every requirement line of the posting is answered by your CV.",
        "terms_missing": "Words of the posting your CV does not use",
        "strengths": "Skills both your CV and the posting name",
        "lead_with": "Lead with your most relevant experience above.",
        "questions": "Likely questions",
        "q_example": "Can you give an example of this from your work:",
        "q_why": "Why {company}, and why this role now?",
        "q_pressure": "Tell us about a time you handled a difficult situation under pressure.",
        "ask": "Questions to ask them",
        "ask_mission": "How does this role contribute to your mission",
        "ask_90": "What does success look like in the first 90 days?",
        "ask_team": "How is the team organised, and who would I work with most closely?",
        "ask_support": "What support is there to get up to speed on",
        "about": "What to know about",
        "mission": "Mission",
        "culture": "Culture",
        "news": "Recent news",
        "red_flags": "Watch out for",
    },
    "fr": {
        "stories": "Vos propres exemples pour ce poste (réponses STAR)",
        "story": "Exemple",
        "situation": "Situation",
        "task": "Tâche",
        "action": "Action",
        "result": "Résultat",
        "colon": " :",
        "lq": "« ",
        "rq": " »",
        "title": "Fiche de préparation à l'entretien",
        "match": "Adéquation",
        "evidence": "Ce qu'ils demandent, et vos preuves (matière STAR)",
        "from": "Source",
        "star": "STAR : Situation et tâche, quel était le contexte ? Action, qu'avez-vous fait *vous-même* ? Résultat, qu'est-ce qui a changé (avec le chiffre) ?",
        "no_evidence": "Aucune ligne de votre CV ne répond directement aux exigences de l'annonce : mettez en avant votre expérience la plus proche.",
        "gaps": "À préparer : exigences que votre CV ne couvre pas",
        "gap_hint": "dites honnêtement où vous en êtes et comment vous combleriez l'écart.",
        "no_gaps": "Votre CV répond à chaque exigence de l'annonce.",
        "terms_missing": "Mots de l'annonce absents de votre CV",
        "strengths": "Compétences citées à la fois par votre CV et par l'annonce",
        "lead_with": "Mettez en avant votre expérience la plus pertinente ci-dessus.",
        "questions": "Questions probables",
        "q_example": "Pouvez-vous donner un exemple tiré de votre travail :",
        "q_why": "Pourquoi {company}, et pourquoi ce poste maintenant ?",
        "q_pressure": "Racontez une situation difficile que vous avez gérée sous pression.",
        "ask": "Questions à leur poser",
        "ask_mission": "Comment ce poste contribue-t-il à votre mission",
        "ask_90": "À quoi ressemble la réussite dans les 90 premiers jours ?",
        "ask_team": "Comment l'équipe est-elle organisée, et avec qui travaillerais-je le plus ?",
        "ask_support": "Quel accompagnement est prévu pour monter en compétence sur",
        "about": "À savoir sur",
        "mission": "Mission",
        "culture": "Culture",
        "news": "Actualité récente",
        "red_flags": "Points de vigilance",
    },
    "es": {
        "stories": "Sus propios ejemplos para este puesto (respuestas STAR)",
        "story": "Ejemplo",
        "situation": "Situación",
        "task": "Tarea",
        "action": "Acción",
        "result": "Resultado",
        "colon": ":",
        "lq": "«",
        "rq": "»",
        "title": "Guía para la entrevista",
        "match": "Afinidad",
        "evidence": "Lo que piden, y sus pruebas (material STAR)",
        "from": "Fuente",
        "star": "STAR: Situación y tarea, ¿cuál era el contexto? Acción, ¿qué hizo *usted*? Resultado, ¿qué cambió (con la cifra)?",
        "no_evidence": "Ninguna línea de su CV responde directamente a los requisitos de la oferta: destaque su experiencia más cercana.",
        "gaps": "Para preparar: requisitos que su CV no cubre",
        "gap_hint": "explique con honestidad dónde está y cómo cerraría la brecha.",
        "no_gaps": "Su CV responde a todos los requisitos de la oferta.",
        "terms_missing": "Palabras de la oferta que su CV no usa",
        "strengths": "Competencias que nombran tanto su CV como la oferta",
        "lead_with": "Destaque su experiencia más relevante de arriba.",
        "questions": "Preguntas probables",
        "q_example": "¿Puede dar un ejemplo de su trabajo sobre esto?",
        "q_why": "¿Por qué {company} y por qué este puesto ahora?",
        "q_pressure": "Cuéntenos una situación difícil que resolvió bajo presión.",
        "ask": "Preguntas para ellos",
        "ask_mission": "¿Cómo contribuye este puesto a su misión",
        "ask_90": "¿Cómo sería el éxito en los primeros 90 días?",
        "ask_team": "¿Cómo está organizado el equipo y con quién trabajaría más?",
        "ask_support": "¿Qué apoyo hay para ponerse al día en",
        "about": "Lo que conviene saber de",
        "mission": "Misión",
        "culture": "Cultura",
        "news": "Noticias recientes",
        "red_flags": "Atención",
    },
    "zh": {
        "stories": "与该职位相关的个人经历（STAR 回答）",
        "story": "经历",
        "situation": "情境",
        "task": "任务",
        "action": "行动",
        "result": "结果",
        "colon": "：",
        "lq": "“",
        "rq": "”",
        "title": "面试准备要点",
        "match": "匹配度",
        "evidence": "职位要求与您的经历对照（STAR 素材）",
        "from": "来源",
        "star": "STAR：情境与任务是什么？您具体做了什么？结果如何（用数字说明）？",
        "no_evidence": "简历中没有直接对应职位要求的内容：请重点介绍与职位最相关的经历。",
        "gaps": "需要准备：简历未覆盖的要求",
        "gap_hint": "如实说明掌握程度及提升计划。",
        "no_gaps": "职位的每项要求在简历中都有对应内容。",
        "terms_missing": "职位描述中简历未出现的关键词",
        "strengths": "简历与职位共同提到的技能",
        "lead_with": "重点介绍上文中最相关的经历。",
        "questions": "可能被问到的问题",
        "q_example": "请举一个工作中的例子：",
        "q_why": "为什么选择{company}和这个职位？",
        "q_pressure": "请讲一次您在压力下处理困难情况的经历。",
        "ask": "可以向面试官提的问题",
        "ask_mission": "这个职位如何支持公司的使命",
        "ask_90": "入职前 90 天的成功标准是什么？",
        "ask_team": "团队的组织结构如何？我会和哪些同事合作最多？",
        "ask_support": "公司会提供哪些支持来帮助我尽快掌握",
        "about": "关于",
        "mission": "使命",
        "culture": "文化",
        "news": "近期动态",
        "red_flags": "需要留意",
    },
}
