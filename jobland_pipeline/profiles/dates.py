"""Date ranges as CVs write them: "Mar 2021 – Present", "08/2018 - Present", "2019.04–2022.06", "2022年7月至今"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH_NAME}\s*,?\s*(?:19|20)\d\d"
    r"|(?:0?[1-9]|1[0-2])\s*/\s*(?:19|20)\d\d"
    r"|(?:19|20)\d\d\s*[./-]\s*(?:0?[1-9]|1[0-2])(?!\d)"
    r"|(?:19|20)\d\d\s*年\s*(?:0?[1-9]|1[0-2])\s*月?"
    r"|(?:19|20)\d\d(?:\s*年)?"
    # A template's unfilled date ("20xx.xx", "20XX"): the line is still a dated entry, its date unknown.
    r"|(?:19|20)[xX]{2}(?:\s*[./-]\s*[xX]{1,2}(?![A-Za-z]))?)"
)
_PRESENT = r"(?:present|current|now|today|ongoing|date|至\s*今|现在|今)"
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
    text = text.strip().lower().rstrip(".")
    m = re.match(rf"({_MONTH_NAME})\s*,?\s*((?:19|20)\d\d)", text, re.IGNORECASE)
    if m:
        month = _MONTHS[m.group(1)[:3]]
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
