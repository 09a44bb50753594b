"""Date ranges as CVs write them: "Mar 2021 – Present", "08/2018 - Present", "2019.04–2022.06", "2022年7月至今"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from jobland_pipeline.lexicon.tokens import fold

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # French, Spanish, German, Portuguese, Italian, Dutch (folded, no accents): CVs name months in their language.
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12, "janv": 1, "fevr": 2, "avr": 4,
    "juil": 7,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12, "ene": 1,
    "abr": 4, "ago": 8, "dic": 12,
    "januar": 1, "februar": 2, "marz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    "okt": 10, "dez": 12,
    "janeiro": 1, "fevereiro": 2, "marco": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
}  # fmt: skip
_MONTH_NAME = (
    r"(?:jan(?:uary|vier|v|eiro|uar|uari)?|ene(?:ro)?|genn(?:aio)?|feb(?:ruary|rero|ruar|ruari|braio)?|f[eé]v(?:rier|r)?|fev(?:ereiro)?"
    r"|mar(?:ch|s|zo|ço|co|z)?|märz|maart|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may(?:o)?|mai(?:o)?|mei|maggio"
    r"|jun(?:e|io|i|ho)?|juin|giugno|jul(?:y|io|i|ho)?|juil(?:let)?|luglio|aug(?:ust|ustus)?|ao[uû]t|ago(?:sto)?"
    r"|sep(?:t|tember|tiembre|tembre)?|set(?:iembre|embro|tembre)?|oct(?:ober|ubre|obre)?|okt(?:ober)?|out(?:ubro)?|ottobre"
    r"|nov(?:ember|iembre|embre|embro)?|dec(?:ember)?|d[eé]c(?:embre)?|dic(?:iembre|embre)?|dez(?:ember|embro)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH_NAME}\s*,?\s*(?:de\s+)?(?:19|20)\d\d"
    r"|(?:0?[1-9]|1[0-2])\s*/\s*(?:19|20)\d\d"
    r"|(?:19|20)\d\d\s*[./-]\s*(?:0?[1-9]|1[0-2])(?!\d)"
    r"|(?:19|20)\d\d\s*年\s*(?:0?[1-9]|1[0-2])\s*月?"
    r"|(?:19|20)\d\d(?:\s*年)?"
    # A template's unfilled date ("20xx.xx", "20XX"): the line is still a dated entry, its date unknown.
    r"|(?:19|20)[xX]{2}(?:\s*[./-]\s*[xX]{1,2}(?![A-Za-z]))?)"
)
_PRESENT = (
    r"(?:present|current|now|today|ongoing|date|至\s*今|现在|今|aujourd'hui|aujourd’hui|pr[ée]sent|actuel(?:lement)?"
    r"|en\s+cours|actualidad|presente|hoy|la\s+fecha|heute|bis\s+heute|aktuell|atual(?:mente)?|oggi|attuale|heden|nu)"
)
RANGE_RE = re.compile(
    rf"(?P<start>{_DATE})(?:\s*(?:[-–—~～至]|to|until))+\s*(?P<end>{_DATE}|{_PRESENT})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateRange:
    start: str | None
    end: str | None
    is_current: bool
    text: str
    span: tuple[int, int]


def parse_point(text: str) -> str | None:
    """One date as ``YYYY-MM`` (month 01 when only a year is given; None for "20xx")."""
    text = fold(text.strip()).rstrip(".")
    m = re.match(rf"({_MONTH_NAME})\s*,?\s*(?:de\s+)?((?:19|20)\d\d)", text, re.IGNORECASE)
    if m:
        word = fold(m.group(1)).rstrip(".")
        month = _MONTHS.get(word) or _MONTHS.get(word[:4]) or _MONTHS[word[:3]]
        return f"{m.group(2)}-{month:02d}"
    m = re.match(r"(\d{1,2})\s*/\s*((?:19|20)\d\d)", text)
    if m:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    m = re.match(r"((?:19|20)\d\d)\s*(?:[./-]|年)\s*(\d{1,2})", text)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    m = re.match(r"((?:19|20)\d\d)", text)
    return f"{m.group(1)}-01" if m else None


def find_date_range(line: str) -> DateRange | None:
    match = RANGE_RE.search(line)
    if not match:
        return None
    end_text = match.group("end")
    is_current = re.fullmatch(_PRESENT, end_text.strip(), re.IGNORECASE) is not None
    return DateRange(
        start=parse_point(match.group("start")),
        end=None if is_current else parse_point(end_text),
        is_current=is_current,
        text=match.group(0).strip(),
        span=match.span(),
    )


def months_between(start: str, end: str) -> int:
    sy, sm = (int(x) for x in start.split("-"))
    ey, em = (int(x) for x in end.split("-"))
    return max(0, (ey - sy) * 12 + (em - sm))


def total_years(ranges: list[tuple[str, str | None]], as_of: date) -> float:
    """Years of experience with overlapping roles counted once."""
    today = f"{as_of.year}-{as_of.month:02d}"
    intervals = sorted((s, e or today) for s, e in ranges if s)
    merged: list[list[str]] = []
    for start, end in intervals:
        end = min(end, today)
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return round(sum(months_between(s, e) for s, e in merged) / 12, 1)
