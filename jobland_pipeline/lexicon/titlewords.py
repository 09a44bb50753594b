"""Job titles reduced to their core and their level, in English, French, Spanish, German and Chinese.

"Desarrollador/a Backend Java Senior", "Sous-chef (H/F) - CDI - Paris 10e" and "资深律师（公司并购方向）"
carry a gender marker, a level, a contract or a place around the job itself. Titles are compared,
suggested and searched by their core; the level is kept apart so seniority can be compared.
"""

from __future__ import annotations

import re

from jobland_pipeline.lexicon.hanzi import to_simplified

_GENDER = re.compile(
    r"\s*\((?:h/f|f/h|m/f|f/m|m/w/d|w/m/d|m/f/d|f/m/d|m/w|w/m|d/f/m|all\s+genders?|x/h|h/m|m/h)\)"
    r"|\s*\b(?:h/f|f/h|m/w/d|w/m/d|m/f/d)\b|(?<=[a-zà-ÿ])/(?:a|e|ne|se|ra|in|innen)\b|\s*\((?:a|e|ne|in)\)",
    re.IGNORECASE,
)
_GRADE = re.compile(
    r"\b(?:I{1,3}|IV|V|level\s+\d|band\s+\d|grade\s+\d+|L\d|step\s+\d|niveau\s+\d|nivel\s+\d)\b",
    re.IGNORECASE,
)
LEVEL_WORDS: dict[str, str] = {
    # entry
    "junior": "entry", "jr": "entry", "jr.": "entry", "entry-level": "entry", "entry": "entry",
    "graduate": "entry", "trainee": "entry", "apprentice": "entry", "intern": "entry",
    "internship": "entry", "student": "entry", "becario": "entry", "becaria": "entry",
    "practicas": "entry", "prácticas": "entry", "apprenti": "entry", "apprentie": "entry",
    "stagiaire": "entry", "stage": "entry", "alternance": "entry", "praktikant": "entry",
    "auszubildende": "entry", "azubi": "entry", "estagiario": "entry", "tirocinante": "entry",
    "初级": "entry", "实习": "entry", "实习生": "entry", "助理": "entry", "见习": "entry",

    # senior
    "senior": "senior", "sr": "senior", "sr.": "senior", "sénior": "senior", "experienced": "senior",
    "confirmé": "senior", "confirmée": "senior", "资深": "senior", "高级": "senior", "experto": "senior",
    # lead
    "lead": "lead", "principal": "lead", "head": "lead", "chief": "lead", "director": "lead",
    "directeur": "lead", "directrice": "lead", "directora": "lead", "jefe": "lead", "jefa": "lead",
    "leiter": "lead", "leiterin": "lead", "vp": "lead", "主管": "lead", "总监": "lead",

    "负责人": "lead", "首席": "lead",
}  # fmt: skip
# Job nouns that imply a level but are the job itself (kept in the core title).
ROLE_LEVELS: dict[str, str] = {
    "assistant": "entry", "assistante": "entry", "asistente": "entry", "ayudante": "entry", "commis": "entry",
    "mate": "entry", "helper": "entry", "aide": "entry", "improver": "entry", "labourer": "entry",
    "manager": "lead", "gerente": "lead", "经理": "lead", "captain": "lead", "合伙人": "lead",
    "executive chef": "lead", "chef executif": "lead", "chef exécutif": "lead", "head chef": "lead",
    "supervisor": "lead", "superviseur": "lead", "supervisor/a": "lead",
}  # fmt: skip
_ROLE_LEVEL_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(
        re.escape(w)
        for w in sorted((w for w in ROLE_LEVELS if w.isascii() or "é" in w), key=len, reverse=True)
    )
    + r")(?![\w-])|("
    + "|".join(re.escape(w) for w in ROLE_LEVELS if re.search(r"[\u4e00-\u9fff]", w))
    + ")",
    re.IGNORECASE,
)
_LATIN_LEVELS = sorted(
    (w for w in LEVEL_WORDS if w.isascii() or not re.search(r"[\u4e00-\u9fff]", w)), key=len, reverse=True
)
_HAN_LEVELS = sorted((w for w in LEVEL_WORDS if re.search(r"[\u4e00-\u9fff]", w)), key=len, reverse=True)
_LEVEL_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in _LATIN_LEVELS) + r")(?![\w-])"
    # "Junior High", "Senior Care", "senior living": a school or a clientele, not a level.
    r"(?!\s+(?:high|school|secondary|college|care|living|citizens?|centre|center|home|residents?)\b)"
    r"|(" + "|".join(re.escape(w) for w in _HAN_LEVELS) + ")",
    re.IGNORECASE,
)
_HEAD_OF = re.compile(
    r"^(?:head|director|vp|chief|jefe|jefa|directeur|directrice|directora?|leiter(?:in)?)\s+(?:of|de|del|de\s+la|des|du|für)\s+",
    re.I,
)
_HIRING_PREFIX = re.compile(
    r"^[^:：]{0,30}(?:hiring|job|vacancy|opening|now|we're|we\s+are|招聘|急聘)[^:：]{0,20}[:：]\s*", re.I
)
_QUALIFIER = re.compile(r"\s+[-–—|:]\s+.*$|\s*,\s+.*$|\s*[(（【\[].*?[)）】\]]")
_CONTRACT = re.compile(
    r"\b(?:cdi|cdd|full[- ]time|part[- ]time|permanent|temporary|contract|freelance|remote|hybrid|"
    r"now\s+hiring|urgent|indefinido)\b|急聘|诚聘|招聘",
    re.IGNORECASE,
)


def strip_markers(title: str) -> str:
    """The title without gender markers ("(H/F)", "/a", "(m/w/d)"), tidy spaces."""
    return re.sub(r"\s{2,}", " ", _GENDER.sub("", title)).strip(" -–—,")


def title_level(title: str) -> str:
    """entry | mid | senior | lead, from the level words a title carries (mid when none)."""
    title = to_simplified(title)
    found = [LEVEL_WORDS.get((m.group(1) or m.group(2)).lower(), "mid") for m in _LEVEL_RE.finditer(title)]
    found += [
        ROLE_LEVELS.get((m.group(1) or m.group(2)).lower(), "mid") for m in _ROLE_LEVEL_RE.finditer(title)
    ]
    for level in ("lead", "senior", "entry"):
        if level in found:
            return level
    return "mid"


def core_title(title: str, *, keep_level: bool = False) -> str:
    """The job itself: "Senior Backend Engineer (Java)" -> "Backend Engineer" (or with its level kept)."""
    text = _HIRING_PREFIX.sub("", strip_markers(title))
    text = _QUALIFIER.sub("", text) or text
    text = _CONTRACT.sub("", text)
    text = _GRADE.sub("", text)
    if not keep_level:
        text = _HEAD_OF.sub("", text)
        simple = to_simplified(text)  # one character for one: spans found there cut the original
        for m in reversed(list(_LEVEL_RE.finditer(simple))):
            text = text[: m.start()] + text[m.end() :]
    text = re.sub(r"\s{2,}", " ", text).strip(" -–—,/&")
    return text or strip_markers(title)


def only_level_words(title: str) -> bool:
    """True for "lead", "senior", "junior" alone: a level, not a job."""
    return not _LEVEL_RE.sub("", to_simplified(strip_markers(title))).strip(" -,/&")
