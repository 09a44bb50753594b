"""The sections of a posting that say what the employer gives, not what it asks: pay, benefits, hours, place.

A CV cannot meet "五险一金" or "Salary: $60k", so lines under such a heading are not requirements,
whatever section came before them. Chinese postings write these headings many ways ("福利待遇：",
"【福利待遇】", "三、薪资福利：", "我们提供", "工作时间：周一至周五 9:00-18:00" as a label with its
value), and none of them may be followed by a word boundary ("福利待遇" is one run of word characters),
so they are matched here as whole headings, in every supported language, rather than as a word at the
start of a line. An offer section runs to the next heading that opens another kind of section
(requirements, duties, profile...); a line in it that itself states a condition ("must", "必须") is
kept: the posting made it one.
"""

from __future__ import annotations

import re

from jobland_pipeline.lexicon.cues import OPTIONAL, REQUIRED, fold_for_cues

# What the employer offers, in Chinese: benefits, pay, hours, place, and how to apply or reach it.
_CN_OFFER = (
    r"(?:福利待遇|薪资福利|薪酬福利|薪资待遇|薪酬待遇|待遇福利|福利保障|员工福利|公司福利|福利|待遇"
    r"|薪资范围|薪资|薪酬|薪水|工资待遇|工资|月薪|年薪|报酬"
    r"|我们(?:能|可以|将)?(?:为你|为您)?提供|你将获得|您将获得|你能得到|您能得到"
    r"|工作时间|上班时间|工作时段|作息时间|工作地点|工作地址|上班地点|办公地点|工作城市"
    r"|联系方式|联系我们|联系人)"
)
# The same in the other supported languages (folded: lower case, no accents).
_LATIN_OFFER = (
    r"(?:benefits?|perks|what\s+we\s+offer|we\s+offer|what\s+you(?:'ll)?\s+get|what's\s+in\s+it\s+for\s+you"
    r"|compensation|salary|pay|remuneration|rewards?|schedule|working\s+hours|hours|shifts?|location|work\s+location"
    r"|why\s+join\s+us|avantages|nous\s+offrons|ce\s+que\s+nous\s+offrons|salaire"
    r"|horaires|lieu|ofrecemos|beneficios|que\s+ofrecemos|salario|horario|ubicacion|wir\s+bieten|was\s+wir\s+bieten"
    r"|gehalt|verguetung|arbeitszeiten?|arbeitsort|oferecemos|offriamo|retribuzione)"
)
_JOIN = r"\s*(?:及|与|和|、|&|/|,|and|et|y|und)\s*"
_OFFER_NAME = rf"(?:{_CN_OFFER}|{_LATIN_OFFER})(?:{_JOIN}(?:{_CN_OFFER}|{_LATIN_OFFER}))*"

# What may stand before a heading: a bullet, markdown, a number ("三、", "3.", "（三）"), an open bracket.
_LEAD = r"^[\s\-•*·#>■◆●▶►★☆]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.)、．])?\s*[【\[〔「『《]?\s*"
_CLOSE = r"\s*[】\]〕」』》]?\s*\**"
# A heading alone ("【福利待遇】", "三、薪资福利：", "What we offer"), or a label with its value
# ("薪资：¥16,000-23,000/月", "工作时间：周一至周五", "Salary: $60k").
_OFFER_HEAD = re.compile(rf"{_LEAD}{_OFFER_NAME}{_CLOSE}(?:[:：]|$)", re.I)

# Headings that open another kind of section and so end an offer section.
_CN_OTHER = r"(?:职责|要求|资格|条件|任职|职位描述|岗位描述|职位详情|岗位详情|工作内容|技能|学历|加分项|简介|介绍|关于|描述|我们希望|希望你|你需要|您需要)"
_LATIN_OTHER = (
    r"(?:requirements?|qualifications?|responsibilities|duties|about\s+(?:you|the\s+(?:role|job|team|company)|us)|the\s+role|your\s+role"
    r"|what\s+you(?:'ll)?\s+(?:do|need|bring|have)|who\s+you\s+are|you\s+have|your\s+profile|profile|skills|experience|essentials?"
    r"|desirable|nice\s+to\s+have|preferred|must[- ]haves?|key\s+\w+|job\s+description|description|overview|summary|education"
    r"|the\s+ideal\s+candidate|(?:what\s+)?we(?:'re|\s+are)\s+looking\s+for|profil(?:\s+recherche)?|votre\s+profil|missions|vos\s+missions"
    r"|competences|exigences|requisitos|perfil|funciones|responsabilidades|anforderungen|aufgaben|ihr\s+profil|qualifikationen"
    r"|ihre\s+aufgaben|requisiti|required|minimum|additional|physical|work\s+environment|position|travel|we(?:'re|\s+are)\s+looking"
    r"|what\s+we(?:'re|\s+are)\s+looking\s+for|about\s+you|you\s+will|your\s+(?:skills|experience)|exigences|requis|buscamos"
    r"|necesitamos|imprescindible|das\s+bringst\s+du\s+mit|was\s+du\s+mitbringst"
    r"|(?:basic|job|core|your|main|essential|technical|preferred)\s+(?:qualifications?|requirements?|responsibilities"
    r"|competenc(?:ies|es)|skills|duties)|competenc(?:ies|y))"
)
# A short line in Title Case or capitals, or ending with a colon, is a heading of some section too.
_TITLE_HEAD = re.compile(
    r"^(?:[A-Z][\w'’&/()-]*|of|and|the|to|for|in|&|-)(?:\s+(?:[A-Z][\w'’&/()-]*|of|and|the|to|for|in|&|-)){0,5}\s*:?$"
)
_COLON_HEAD = re.compile(r"^[^:：]{1,12}[:：]$")
_OTHER_HEAD = re.compile(
    rf"{_LEAD}(?:[^\n:：]{{0,4}}{_CN_OTHER}[^\n:：，,。]{{0,8}}|{_LATIN_OTHER}[^\n:.]{{0,30}}){_CLOSE}(?:[:：].*)?$",
    re.I,
)
# How requirement lines are read (``postings.requirements``): bullets and numbering stripped.
_ENUMERATION = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.)、])\s*"
)
_REQUIRED = re.compile(REQUIRED)
_LABEL_VALUE = re.compile(r"[:：]\s*\S")  # "Salary: $60k": a label followed by its value
_LIST_ITEM = re.compile(
    r"^\s*(?:[-•*·]|[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.)、])"
)
_OPTIONAL = re.compile(OPTIONAL)
_BULLET = re.compile(r"^\s*(?:[-•·]|\*(?!\*))\s*\S")  # a list item, not "**Bold heading**"
# A list item written as a heading: all in bold ("* **Basic Qualifications**") or ending with a colon.
_HEADING_ITEM = re.compile(r"^\s*(?:[-•·]|\*(?!\*))\s*(?:\*\*[^*\n]+\*\*|__[^_\n]+__)\s*[:：]?\s*$|[:：]\s*$")


def _line_form(raw: str) -> str:
    """A line as the requirement reader gives it: bullets, numbering and edge blanks removed."""
    return _ENUMERATION.sub("", raw.strip(" -•*·\t"))


def is_offer_heading(line: str) -> bool:
    """Whether a line opens (or is) a pay, benefits, hours or place section ("【福利待遇】", "Salary: $60k")."""
    return len(line) <= 200 and _OFFER_HEAD.match(fold_for_cues(line.strip())) is not None


def offer_heading(line: str) -> str | None:
    """ "section" for an offer heading alone ("福利待遇", "【我们提供】"), "label" for one with its value
    ("薪资：面议", "Salary: $60k"), None for any other line."""
    if not is_offer_heading(line):
        return None
    return "label" if _LABEL_VALUE.search(line) else "section"


def _is_other_heading(line: str) -> bool:
    """Whether a short line opens a section of another kind (requirements, duties, profile...).

    A bulleted line ("- Private Health Insurance", "• Power BI认证补贴") is an item of the list it is in,
    not a heading for its Title Case: only a named section ("- Requirements:"), or an item written as a
    heading (all bold, "* **Basic Qualifications**", or ending with a colon), ends one."""
    stripped = line.strip(" -•*·_\t")
    if len(stripped) > 50:
        return False
    if _OTHER_HEAD.match(fold_for_cues(stripped)):
        return True
    if _BULLET.match(line) and not _HEADING_ITEM.search(line):
        return False
    return bool(_TITLE_HEAD.match(stripped) or _COLON_HEAD.match(stripped))


def _states_condition(line: str) -> bool:
    low = fold_for_cues(line)
    return _REQUIRED.search(low) is not None and _OPTIONAL.search(low) is None


def offer_lines(text: str) -> frozenset[str]:
    """The lines (as the requirement reader forms them) that sit in a pay/benefits/hours/place section.

    A heading alone ("福利待遇：", "Benefits") opens a section that runs to the next heading; a label
    with its value ("Salary: $60k", "工作时间：周一至周五") is an offer line itself, and so are the list
    items right under it. Lines that state a condition, and lines whose wording also appears outside
    such a section, are left out: only what is certainly an offer is removed.
    """
    offer: set[str] = set()
    elsewhere: set[str] = set()
    state = ""  # "section" under an offer heading, "label" after an offer label, "" elsewhere
    for raw in text.split("\n"):
        form = _line_form(raw.strip())
        if not form:
            continue
        state = _state_after(raw, state)
        if state and not _states_condition(form):
            offer.add(form)
        else:
            elsewhere.add(form)
    return frozenset(offer - elsewhere)


def _state_after(raw: str, state: str) -> str:
    """Where the walk is once it reads ``raw``: in an offer section, after an offer label, or elsewhere."""
    if is_offer_heading(raw):
        # A label inside an offer section ("- 薪资：面议" under "福利待遇：") leaves the section open.
        return "label" if _LABEL_VALUE.search(raw) and state != "section" else "section"
    if _is_other_heading(raw):
        return ""
    if state == "label" and not _LIST_ITEM.match(raw):
        return ""
    return state


# A heading dressed as "【任职要求】", "[Requirements]", "### 任职要求" or "**福利待遇：**".
_DRESSED_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*[【\[〔]\s*([^\n【】\[\]〔〕]{1,24}?)\s*[】\]〕]\s*(?:\*\*)?\s*[:：]?\s*(?:\*\*)?\s*$"
    r"|^\s*(?:#{1,6}\s+|\*\*)([^\n*#]{1,24}?)\s*[:：]?\s*(?:\*\*)?\s*$"
)


def plain_headings(text: str) -> str:
    """``text`` with dressed headings written plain ("【任职要求】" -> "任职要求"), as the requirement
    reader knows them; every other line is left as it is."""
    out = []
    for raw in text.split("\n"):
        m = _DRESSED_HEADING.match(raw)
        out.append((m.group(1) or m.group(2)).strip() if m else raw)
    return "\n".join(out)


def without_lines(text: str, lines: frozenset[str]) -> str:
    """``text`` without the lines whose requirement-reader form is in ``lines``."""
    return "\n".join(raw for raw in text.split("\n") if _line_form(raw.strip()) not in lines)


__all__ = ["is_offer_heading", "offer_heading", "offer_lines", "plain_headings", "without_lines"]
