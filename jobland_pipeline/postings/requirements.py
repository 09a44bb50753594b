"""The lines of a posting that say what it requires, in the languages postings are written in.

Requirements are what a CV can be checked against: lines under a requirements heading
("Requirements", "Profil", "Requisitos", "任职要求"...) and lines that say "required"/"must"/"必须".
Desirable items are left out; a posting with neither gives its duty lines, flagged as weaker. What the
employer offers (pay, benefits, hours, place: ``lexicon.sections``) is never a requirement, whatever
section the line sits in, so every reader of requirements (screening, tailoring, dossiers) gets the
same lines without dropping those itself.
"""

from __future__ import annotations

import re

from jobland_pipeline.lexicon.cues import REQUIRED, fold_for_cues
from jobland_pipeline.lexicon.sections import offer_lines, plain_headings, without_lines
from jobland_pipeline.lexicon.tokens import fold

_REQ_HEAD = re.compile(
    r"^\s*(?:requirements?|qualifications?|minimum\s+qualifications|required|essential|essentials|must[- ]haves?|"
    r"what\s+you(?:'ll)?\s+(?:need|bring|have)|who\s+you\s+are|about\s+you|your\s+profile|you\s+have|skills\s+(?:and|&)\s+experience|"
    r"experience\s+(?:and|&)\s+skills|the\s+ideal\s+candidate|we(?:'re|\s+are)\s+looking\s+for|what\s+we(?:'re|\s+are)\s+looking\s+for|"
    r"profil(?:\s+recherche)?|votre\s+profil|competences\s+requises|exigences|requis|"
    r"requisitos|perfil|que\s+buscamos|lo\s+que\s+buscamos|buscamos|necesitamos|imprescindible|"
    r"anforderungen|ihr\s+profil|was\s+du\s+mitbringst|das\s+bringst\s+du\s+mit|qualifikationen|"
    r"requisitos\s+necessarios|requisiti|任职要求|岗位要求|任职资格|职位要求|资格要求|我们希望你|应征条件|应聘条件|招聘条件|资格条件|条件要求|申请条件|任用资格|基本条件|报名资格|报名条件)\b",
    re.I,
)
_OTHER_HEAD = re.compile(
    r"^\s*(?:responsibilities|duties|main\s+duties|what\s+you(?:'ll)?\s+do|the\s+role|about\s+the\s+role|your\s+role|"
    r"benefits|what\s+we\s+offer|we\s+offer|perks|about\s+us|schedule|hours|working\s+hours|pay|salary|"
    r"conditions|missions|vos\s+missions|avantages|nous\s+offrons|funciones|responsabilidades|que\s+haras|ofrecemos|"
    r"modalidad|aufgaben|wir\s+bieten|岗位职责|工作职责|福利|我们提供|工作地点|domiciles?|desirable|nice\s+to\s+have|"
    r"preferred|bonus)\b",
    re.I,
)
_DESIRABLE_HEAD = re.compile(
    r"^\s*(?:desirable|nice\s+to\s+have|preferred|bonus|a\s+plus|souhaite|deseable|valorable)\b", re.I
)


_ENUMERATION = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.)、])\s*"
)


def requirement_lines(description: str) -> tuple[list[str], bool]:
    """(requirement lines, whether they came from a requirements section or explicit markers).

    Lines under a requirements heading, and any line that says "required"/"must"/"必须"; a posting
    with neither gives its duty lines, flagged as weaker evidence. Dressed headings ("【任职要求】",
    "### Requirements") are read plain, and the lines of pay, benefits, hours and place sections are
    left out: the heading walk below knows "Benefits" but not every way of heading them ("三、薪资福利：",
    "工作时间：…"), and "五险一金" is nothing a CV can meet. When that leaves an explicit list empty,
    the posting is read again without those lines (mostly its duty lines then, flagged as weaker).
    """
    text = plain_headings(description)
    lines, explicit = _read_lines(text)
    offer = offer_lines(text)
    if not offer:
        return lines, explicit
    kept = [line for line in lines if line not in offer]
    if explicit and not kept:
        return _read_lines(without_lines(text, offer))
    return kept, explicit


def _read_lines(description: str) -> tuple[list[str], bool]:
    """The heading walk of ``requirement_lines``, offer sections included: its requirement lines (or
    duty lines, flagged False) as the headings it knows place them."""
    required: list[str] = []
    duties: list[str] = []
    mode = None
    for raw in description.split("\n"):
        line = _ENUMERATION.sub("", raw.strip(" -•*·\t"))
        if not line:
            continue
        heading = _heading(line)
        if heading is not None:
            mode = heading
            if heading == "req":
                required += _inline_requirement(line)
            continue
        if mode == "req" or _says_required(line):
            required.append(line)
        elif _is_duty(raw, mode):
            duties.append(line)
    if required:
        return required, True
    return duties, False


def _heading(line: str) -> str | None:
    """The section a heading opens ("desirable", "req" or "other"); None for a line that is not one.

    A heading is short and does not end a sentence; desirable items are checked first, since
    "Preferred qualifications" would otherwise read as a requirements heading.
    """
    if len(line) >= 60 or line.endswith("."):
        return None
    folded = fold(line)
    if _DESIRABLE_HEAD.match(folded):
        return "desirable"
    if _REQ_HEAD.match(folded):
        return "req"
    if _OTHER_HEAD.match(folded):
        return "other"
    return None


def _inline_requirement(heading: str) -> list[str]:
    """What follows the colon of a heading line ("Requirements: a driving licence"), when anything does."""
    rest = re.split(r"[:：]", heading, maxsplit=1)
    if len(rest) == 2 and len(rest[1].strip()) > 3:
        return [rest[1].strip()]
    return []


def _says_required(line: str) -> bool:
    """A line outside a requirements section that says it is one ("must hold", "必须"); long prose is not."""
    return bool(re.search(REQUIRED, fold_for_cues(line))) and len(line) < 400


def _is_duty(raw: str, mode: str | None) -> bool:
    """A bulleted line outside the desirable section, or a numbered one anywhere: a duty line."""
    return (mode != "desirable" and raw.lstrip().startswith(("-", "•", "*", "·"))) or bool(
        re.match(r"^\s*\d+[.、)]", raw)
    )
