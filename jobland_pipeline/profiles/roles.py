"""Find roles (title, employer, dates, bullets) in the experience section."""

from __future__ import annotations

import re

from jobland_pipeline.profiles.dates import find_date_range
from jobland_pipeline.profiles.models import Role
from jobland_pipeline.profiles.sections import strip_bullet

TITLE_WORDS = re.compile(
    r"\b(nurse|rn|engineer|developer|teacher|instructor|tutor|accountant|analyst|manager|director|"
    r"specialist|coordinator|assistant|associate|officer|consultant|chair|lead|head|intern|scientist|"
    r"designer|administrator|architect|supervisor|technician|clerk|representative|educator|"
    r"practitioner|therapist|pharmacist|controller|auditor|bookkeeper|cashier|chef|recruiter|"
    r"executive|programmer|principal|president|founder|owner|advisor|counselor|editor|writer)s?\b"
    r"|会计|出纳|经理|工程师|主管|专员|分析师|教师|老师|护士|总监|助理|顾问|审计|主任|实习生|组长",
    re.IGNORECASE,
)
EMPLOYER_WORDS = re.compile(
    r"\b(hospital|clinic|health|medical|center|centre|school|academy|university|college|institute|"
    r"inc|ltd|llc|plc|corp|corporation|company|co|group|bank|partners|labs?|systems|solutions|"
    r"technologies|services|foundation|council|department|district|public schools|retail|trust)\b\.?"
    r"|公司|医院|学校|大学|学院|集团|银行|事务所|中心|有限",
    re.IGNORECASE,
)
LOCATION_RE = re.compile(r"^[A-Z][A-Za-z .'-]+,\s*(?:[A-Z]{2}|UK|USA|United Kingdom|United States)$")
_SPLIT = re.compile(r"\s+[—–|@]\s+|\s+-\s+|\s+at\s+|\s*[|｜]\s*|,\s+|\s{2,}|\t")


def _looks_like_header(line: str) -> bool:
    bullet, text = strip_bullet(line)
    return not bullet and len(text) <= 120 and not text.endswith((".", "。", ";", "；"))


_STATE = re.compile(
    r"^(?:[A-Z]{2}|UK|USA|U\.S\.A?\.?|United Kingdom|United States|England|Germany|China|中国)$"
)
_UNIT = re.compile(r"\b(unit|ward|floor|icu|department|dept|team)\b|科室|部门|病区", re.IGNORECASE)
_STRONG_EMPLOYER = re.compile(
    r"\b(hospital|clinic|university|college|school|academy|inc|ltd|llc|plc|corp|company|group|bank)\b"
    r"|公司|医院|学校|大学|学院|集团|银行|事务所",
    re.IGNORECASE,
)


def _kind(part: str) -> tuple[bool, bool]:
    """(title-like, employer-like); when both, the phrase's last keyword decides ("High School Teacher")."""
    titles = [m.end() for m in TITLE_WORDS.finditer(part)]
    employers = [m.end() for m in _STRONG_EMPLOYER.finditer(part)]
    if titles and employers:
        return (titles[-1] >= employers[-1], employers[-1] > titles[-1])
    return bool(titles), bool(employers)


def split_header(text: str) -> tuple[str, str | None, str | None]:
    """Split "Title, Unit — Employer, City, ST" (any order, any separator) into title, employer, location."""
    text = text.strip(" ,|—–-:\t")
    if not text:
        return "", None, None
    # Separators inside parentheses belong to the part: "Teacher (Algebra I, Geometry)".
    protected = re.sub(r"\(([^)]*)\)", lambda m: "(" + m.group(1).replace(",", "\ue000") + ")", text)
    parts = [p.strip(" ,|—–-").replace("\ue000", ",") for p in _SPLIT.split(protected)]
    parts = [p for p in parts if p]
    if len(parts) == 1 and " " in text and re.search(r"[\u4e00-\u9fff]", text):
        parts = text.split()
    title: str | None = None
    employer: str | None = None
    location: str | None = None
    units: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        state_next = i + 1 < len(parts) and _STATE.match(parts[i + 1])
        if location is None and i > 0 and (LOCATION_RE.match(part) or (state_next and len(part) < 30)):
            location = f"{part}, {parts[i + 1]}" if state_next else part
            i += 2 if state_next else 1
            continue
        is_title, strong_employer = _kind(part)
        if title is None and is_title:
            title = part
        elif title is not None and not strong_employer and _UNIT.search(part) and employer is None:
            units.append(part)
        elif employer is None and (strong_employer or EMPLOYER_WORDS.search(part)):
            employer = part
        else:
            rest.append(part)
        i += 1
    if title is None and rest:
        title = rest.pop(0)
    if employer is None and rest:
        employer = rest.pop(0)
    if title and units:
        title = ", ".join([title, *units])
    return title or "", employer, location


def parse_roles(lines: list[str]) -> list[Role]:
    """Roles are anchored on lines holding a date range; headers sit on, before or after that line."""
    anchors = [i for i, line in enumerate(lines) if find_date_range(line)]
    roles: list[Role] = []
    headers: list[set[int]] = []
    for idx in anchors:
        date_range = find_date_range(lines[idx])
        assert date_range is not None
        line = lines[idx]
        leftover = (line[: date_range.span[0]] + "  " + line[date_range.span[1] :]).strip(" ,|—–-()\t")
        title, employer, location = split_header(leftover)
        taken = {idx}
        floor = max(headers[-1]) if headers else -1
        if not title or not employer or not TITLE_WORDS.search(title):
            above: list[int] = []
            j = idx - 1
            while j > floor and len(above) < 2 and _looks_like_header(lines[j]):
                above.insert(0, j)
                t2, e2, l2 = split_header(" | ".join([*(lines[k] for k in above), leftover]))
                if t2 and TITLE_WORDS.search(t2):
                    title, employer, location = t2, e2, l2
                    taken.update(above)
                    if e2:
                        break
                j -= 1
        nxt = idx + 1
        if (
            (not title or not employer)
            and nxt < len(lines)
            and nxt not in anchors
            and _looks_like_header(lines[nxt])
        ):
            t3, e3, l3 = split_header(lines[nxt])
            if not title and t3:
                title, employer = t3, employer or e3
                taken.add(nxt)
            elif not employer and (e3 or t3) and not TITLE_WORDS.search(lines[nxt]):
                employer = e3 or t3
                taken.add(nxt)
            location = location or l3
        headers.append(taken)
        roles.append(
            Role(
                title=title or (employer or "Role"),
                employer=employer if employer and employer != title else None,
                location=location,
                start=date_range.start,
                end=date_range.end,
                is_current=date_range.is_current,
                dates_text=date_range.text,
            )
        )
    for n, role in enumerate(roles):
        start = max(headers[n]) + 1
        stop = min(headers[n + 1]) if n + 1 < len(roles) else len(lines)
        role.bullets = _bullets(lines[start:stop])
    return roles


def _bullets(lines: list[str]) -> list[str]:
    """Bullet items; wrapped lines are joined to the item they continue.

    When the CV marks bullets, an unmarked line always continues the previous item (PDF line
    wrapping); without markers, a line ending a sentence closes the item.
    """
    marked = any(strip_bullet(line)[0] for line in lines)
    bullets: list[str] = []
    open_bullet = False
    for line in lines:
        is_bullet, text = strip_bullet(line)
        if not text:
            continue
        continues = bullets and (not is_bullet) and (marked or open_bullet)
        if continues:
            joiner = "" if re.search(r"[\u4e00-\u9fff]$", bullets[-1]) else " "
            bullets[-1] = f"{bullets[-1]}{joiner}{text}"
        else:
            bullets.append(text)
        open_bullet = not text.endswith((".", "。", "!", "；", ";"))
    return [b for b in bullets if len(b) > 3]
