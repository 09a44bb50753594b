"""Find roles (title, employer, dates, bullets) in the experience section."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jobland_pipeline.lexicon.hanzi import to_simplified
from jobland_pipeline.profiles.dates import DateRange, find_date_range
from jobland_pipeline.profiles.models import Role
from jobland_pipeline.profiles.sections import strip_bullet

_TITLE_WORDS = re.compile(
    r"\b(nurse|rn|engineer|developer|teacher|instructor|tutor|accountant|analyst|manager|director|"
    r"specialist|coordinator|assistant|associate|officer|consultant|chair|lead|head|intern|scientist|"
    r"designer|administrator|architect|supervisor|technician|clerk|representative|educator|"
    r"practitioner|therapist|pharmacist|controller|auditor|bookkeeper|cashier|chef|recruiter|"
    r"executive|programmer|principal|president|founder|owner|advisor|adviser|counselor|editor|writer|"
    r"tester|trainer|"
    r"electrician|plumber|carpenter|mechanic|welder|fitter|machinist|operator|foreman|chargehand|pilot|"
    r"captain|crew|attendant|steward|stewardess|driver|courier|cook|baker|butcher|waiter|waitress|"
    r"bartender|barista|housekeeper|receptionist|secretary|translator|interpreter|journalist|"
    r"photographer|artist|researcher|professor|lecturer|fellow|student|apprentice|trainee|lawyer|"
    r"attorney|solicitor|barrister|paralegal|counsel|partner|physician|doctor|surgeon|dentist|midwife|"
    r"paramedic|caregiver|carer|worker|labourer|laborer|surveyor|inspector|planner|buyer|agent|broker|"
    r"technologist|estimator|draughtsman|draftsman|dispatcher|storekeeper|handler|packer|picker|"
    r"agronomist|veterinarian|vet|optometrist|radiographer|sonographer|hygienist|dietitian|"
    r"économiste|électricien(?:ne)?|ingénieur(?:e)?|développeur(?:se)?|cuisinier(?:ère)?|commis|"
    r"serveur(?:se)?|infirmier(?:ère)?|pharmacien(?:ne)?|avocat(?:e)?|juriste|responsable|directeur|"
    r"directrice|gestionnaire|technicien(?:ne)?|conseiller(?:ère)?|chargé(?:e)?|vendeur(?:se)?|"
    r"comptable|contr[ôo]leur|contr[ôo]leuse|auditeur|auditrice|gestionnaire|second|sous-chef|desarrollador(?:a)?|ingenier[oa]|programador(?:a)?|abogad[oa]|"
    r"enfermer[oa]|farmacéutic[oa]|técnic[oa]|jef[ea]|gerente|analista|consultor(?:a)?|cociner[oa]|"
    r"camarer[oa]|contador(?:a)?|profesor(?:a)?|entwickler(?:in)?|ingenieur(?:in)?|elektriker(?:in)?|"
    r"koch|köchin|pfleger(?:in)?|apotheker(?:in)?|rechtsanwalt|rechtsanwältin|leiter(?:in)?|"
    r"berater(?:in)?|techniker(?:in)?|sachbearbeiter(?:in)?|referent(?:in)?)s?\b"
    # German compounds end in their job noun: "Fachkrankenpflegerin", "Pflegefachkraft", "Softwareentwickler".
    r"|\b\w+(?:pfleger|pflegerin|fachkraft|pflegekraft|entwickler|entwicklerin|ingenieur|ingenieurin|berater|beraterin|"
    r"leiter|leiterin|techniker|technikerin|elektriker|kaufmann|kauffrau|referent|referentin|arzt|arztin|koch|"
    r"erzieher|erzieherin|lehrer|lehrerin|manager|managerin|assistent|assistentin)\b"
    r"|会计|出纳|经理|工程师|主管|专员|分析师|教师|老师|护士|总监|助理|顾问|审计|主任|实习生|组长|律师|法务"
    r"|厨师|飞行员|机长|副驾驶|电工|药师|设计师|程序员|开发|销售|司机|合伙人|研究员|负责人|医生|技术员|导师|讲师|编辑|护理",
    re.IGNORECASE,
)


class _TitleWords:
    """Job-title words in Latin scripts and Chinese (Traditional read as Simplified)."""

    def search(self, text: str) -> re.Match[str] | None:
        return _TITLE_WORDS.search(to_simplified(text))

    def finditer(self, text: str):  # type: ignore[no-untyped-def]
        return _TITLE_WORDS.finditer(to_simplified(text))


TITLE_WORDS = _TitleWords()
EMPLOYER_WORDS = re.compile(
    r"\b(hospital|clinic|health|medical|center|centre|school|academy|university|college|institute|"
    r"inc|ltd|llc|plc|corp|corporation|company|co|group|bank|partners|labs?|systems|solutions|"
    r"technologies|services|foundation|council|department|district|public schools|retail|trust)\b\.?"
    r"|公司|医院|学校|大学|学院|集团|银行|事务所|中心|有限|工厂",
    re.IGNORECASE,
)
LOCATION_RE = re.compile(r"^[A-Z][A-Za-z .'-]+,\s*(?:[A-Z]{2}|UK|USA|United Kingdom|United States)$")
_LEGAL_SUFFIX = r"(?:Inc|Ltd|LLC|LLP|L\.P|Co|Corp|GmbH|AG|PLC|S\.A|S\.L|B\.V|Pty|Pvt|DAC|SAS|SARL|SpA|S\.p\.A|Oy|AB|AS|KG|BV|NV)\b"
_SPLIT = re.compile(rf"\s+[—–|@•·]\s+|\s+-\s+|\s+at\s+|\s*[|｜]\s*|,\s+(?!{_LEGAL_SUFFIX})|\s{{2,}}|\t")

# A place written after an employer or title: "Google Mountain View, CA", "Kasa Seoul, S.Korea",
# "Schlumberger Pune, Maharashtra, India". It ends with a US state or a country.
_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
_COUNTRIES = (
    r"USA|U\.S\.A?\.?|US|UK|United States|United Kingdom|England|Scotland|Wales|Ireland|Canada|Australia|"
    r"New Zealand|India|China|Japan|Singapore|Germany|France|Spain|Italy|Netherlands|Belgium|Switzerland|"
    r"Austria|Sweden|Norway|Denmark|Finland|Poland|Portugal|Greece|Israel|Brazil|Mexico|Argentina|Chile|"
    r"Türkiye|Turkey|S\.\s?Korea|South Korea|Korea|Republic of Korea|Taiwan|Hong Kong|Vietnam|Philippines|"
    r"Indonesia|Malaysia|Thailand|Nigeria|Kenya|Ghana|South Africa|Egypt|UAE|United Arab Emirates|"
    r"Saudi Arabia|Qatar|Pakistan|Bangladesh|Sri Lanka|Nepal"
)
_TRAILING_PLACE = re.compile(rf",\s*(?:(?P<state>{_US_STATES})|(?P<country>{_COUNTRIES}))\s*$")
# Words that start or end two- and three-word city names ("San Francisco", "Mountain View", "Salt Lake City").
_CITY_FIRST = frozenset(
    str.split(
        "san santa los las new mountain palo salt saint st. fort port north south east west el la le hong "
        "kuala rio tel menlo redwood long grand cape ho abu buenos são sao costa ann baton little cedar "
        "kansas jersey oklahoma virginia palm boca coral daly foster union walnut chapel college"
    )
)
_CITY_LAST = frozenset(
    str.split("city beach park valley springs falls heights island hills hill harbor village")
)
_CITY_WORD = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿğışçöü'.-]+$")
_PLACE_SEPARATORS = tuple(",|｜—–-·•@(")


_ORG_WORD = re.compile(
    r"\b(research|technology|technologies|software|analytics|capital|ventures|studio|studios|media|"
    r"consulting|networks|robotics|industries|holdings|enterprises|agency|ministry|command|army|navy)\b",
    re.IGNORECASE,
)


def _city_word(word: str) -> bool:
    return bool(
        _CITY_WORD.match(word)
        and (not word.endswith(".") or word.lower() in _CITY_FIRST)
        and not TITLE_WORDS.search(word)
        and not EMPLOYER_WORDS.search(word)
        and not _ORG_WORD.search(word)
    )


def _city_start(head: str) -> int | None:
    """Where the city at the end of ``head`` starts, or None when no city-like word ends it."""
    words = list(re.finditer(r"\S+", head))
    run: list[re.Match[str]] = []
    for word in reversed(words):
        if len(run) == 3 or not _city_word(word.group()):
            break
        run.insert(0, word)
    if not run:
        return None
    before = head[: run[0].start()].rstrip()
    if before and before.endswith(_PLACE_SEPARATORS):
        return run[0].start()  # "Nexus AI – San Francisco": the separator says where the place begins
    return run[-_city_length([w.group() for w in run])].start()


def _city_length(names: list[str]) -> int:
    """Words of the city glued to the name before it: one, two or three when they read as one
    city name ("Mountain View", "Salt Lake City")."""
    if len(names) < 2 or not (names[-2].lower() in _CITY_FIRST or names[-1].lower() in _CITY_LAST):
        return 1
    return 3 if len(names) >= 3 and names[-3].lower() in _CITY_FIRST else 2


def split_location(text: str) -> tuple[str, str | None]:
    """("Google", "Mountain View, CA") from "Google Mountain View, CA"; (text, None) without a place."""
    match = _TRAILING_PLACE.search(text)
    if not match:
        return text, None
    head = text[: match.start()]
    start = _city_start(head)
    if start is None:
        return text, None
    before = head[:start].rstrip()
    if match.group("country") and before.endswith(","):  # "Pune, Maharashtra, India"
        outer = _city_start(before[:-1])
        if outer is not None and len(head[start:].split()) <= 2:
            start = outer
            before = head[:start].rstrip()
    return before.rstrip(" ,|｜—–-·•@("), text[start:].strip()


def _looks_like_header(line: str, allow_bullet: bool = False) -> bool:
    bullet, text = strip_bullet(line)
    if bullet and (not allow_bullet or len(text) > 80):
        return False
    return len(text) <= 120 and not text.endswith((".", "。", ";", "；")) and find_date_range(text) is None


_STATE = re.compile(
    r"^(?:[A-Z]{2}|UK|USA|U\.S\.A?\.?|United Kingdom|United States|England|Germany|China|中国)$"
)
_UNIT = re.compile(r"\b(unit|ward|floor|icu|department|dept|team)\b|科室|部门|病区", re.IGNORECASE)
_STRONG_EMPLOYER = re.compile(
    r"\b(hospital|clinic|university|college|school|academy|inc|ltd|llc|plc|corp|company|group|bank)\b"
    r"|公司|医院|学校|大学|学院|集团|银行|事务所|工厂",
    re.IGNORECASE,
)


def _kind(part: str) -> tuple[bool, bool]:
    """(title-like, employer-like); when both, the phrase's last keyword decides ("High School Teacher")."""
    titles = [m.end() for m in TITLE_WORDS.finditer(part)]
    employers = [m.end() for m in _STRONG_EMPLOYER.finditer(part)]
    if titles and employers:
        return (titles[-1] >= employers[-1], employers[-1] > titles[-1])
    return bool(titles), bool(employers)


_STRONG_SEP = re.compile(r"\s+[—–-]\s+|\s*[|｜]\s*|\s+@\s+|\s*—\s*")
_ORG = re.compile(
    rf"{_STRONG_EMPLOYER.pattern}|\b{_LEGAL_SUFFIX}\.?|\b(airways|airlines|air|pharmacy|pharmacie|farmacia|"
    r"consultants|contractors|services|software|technologies|restaurant|hotel|hôtel|maison|auberge|bistrot|"
    r"clinique|clinica|hospital|hôpital|cabinet|agence|agencia|studio|estudio|firm|partners|associates|"
    r"limited|gmbh|sarl|sas|s\.l\.|s\.a\.|b\.v\.|pvt|llp)\b|事务所|公司|集团|医院|学校|酒店|餐厅",
    re.IGNORECASE,
)


def _strong_parts(text: str) -> list[str] | None:
    """The two or three segments between strong separators, as written (None for other counts)."""
    protected = re.sub(r"\(([^)]*)\)", lambda m: "(" + re.sub(r"[-—–|,]", "\ue001", m.group(1)) + ")", text)
    parts = [p.strip(" ,") for p in _STRONG_SEP.split(protected) if p.strip(" ,")]
    if not 2 <= len(parts) <= 3:
        return None
    return [_restore(p, text) for p in parts]


def _title_first(a: str, b: str) -> tuple[str, str]:
    """ "Google | Software Engineer": the title is the part that reads like one."""
    title_a, title_b = TITLE_WORDS.search(a), TITLE_WORDS.search(b)
    if (title_b and not title_a) or (title_b and _ORG.search(a) and not _ORG.search(b)):
        return b, a
    return a, b


_WORK_MODE = re.compile(r"\((?:hybrid|remote|h[íi]brido|remoto|[^)]*domicile)", re.I)


def _employer_and_place(segment: str) -> tuple[str, str]:
    """Split the employer segment at its first comma when what follows is a place (or a work mode).

    "R.O.K Cyber Command, MND": the part after the comma is not a place, the whole is the employer.
    """
    head_tail = re.split(rf",\s+(?!{_LEGAL_SUFFIX}\b)", segment, maxsplit=1)
    employer, place = head_tail[0], head_tail[1] if len(head_tail) > 1 else ""
    if (
        place
        and not (_is_place(place) or _is_place(place.rsplit(",", 1)[-1]))
        and not _WORK_MODE.search(place)
    ):
        return segment, ""
    return employer, place


def _strong_split(text: str) -> tuple[str, str | None, str | None] | None:
    """ "Title[, qualifier] - Employer[, Place]": the convention most CVs follow, read segment by segment.

    Commas inside the title segment qualify the title ("First Officer, Airbus A320"); in the employer
    segment they start the place. None when the line does not read that way (the caller falls back).
    """
    original = _strong_parts(text)
    if original is None:
        return None
    a, b = _title_first(original[0], original[1])
    if not TITLE_WORDS.search(a) and not _ORG.search(b):
        return None
    if "," in a and _is_place(b):
        # "Co-Founder & CTO, Nexus AI – San Francisco": the dash sets off the place.
        title, _, employer = a.partition(", ")
        return title.strip(), employer.strip() or None, b.strip()
    employer, place = _employer_and_place(b)
    if len(original) == 3:
        place = f"{place}, {original[2]}" if place else original[2]
    return a.strip(), employer.strip() or None, place.strip() or None


def _is_place(text: str) -> bool:
    """The whole segment names places ("San Francisco", "Paris 9e", "Denver, CO")."""
    from jobland_pipeline.places import find_places

    if _ORG.search(text) or TITLE_WORDS.search(text):
        return False
    places = find_places(text, field=True)
    covered = " ".join(p.name for p in places)
    words = re.findall(r"[^\W\d_]+", text)
    return bool(places) and len(words) <= 4 and len(covered) >= 0.5 * len(" ".join(words))


def _restore(part: str, text: str) -> str:
    """The segment as the CV wrote it (separators inside brackets put back)."""
    if "\ue001" not in part:
        return part
    pattern = re.escape(part).replace("\ue001", "[-—–|,]")
    found = re.search(pattern, text)
    return found.group(0) if found else part.replace("\ue001", "-")


@dataclass
class _HeaderParts:
    """The parts of a header line sorted by what they read as, in the order they come."""

    title: str | None = None
    employer: str | None = None
    location: str | None = None
    units: list[str] = field(default_factory=list)
    rest: list[str] = field(default_factory=list)

    def add(self, part: str) -> None:
        """The first title-like part is the title, a unit after it qualifies it ("Nurse, ICU"),
        the first employer-like part is the employer; the rest is kept in order."""
        is_title, strong_employer = _kind(part)
        if self.title is None and is_title:
            self.title = part
        elif self.title is not None and not strong_employer and _UNIT.search(part) and self.employer is None:
            self.units.append(part)
        elif self.employer is None and (strong_employer or EMPLOYER_WORDS.search(part)):
            self.employer = part
        else:
            self.rest.append(part)

    def result(self) -> tuple[str | None, str | None, str | None]:
        """(title, employer, location); parts that read as neither fill the empty fields in order."""
        if self.title is None and self.rest:
            self.title = self.rest.pop(0)
        if self.employer is None and self.rest:
            self.employer = self.rest.pop(0)
        title = self.title
        if title and self.units:
            title = ", ".join([title, *self.units])
        return title, self.employer, self.location


def _header_parts(text: str) -> list[str]:
    """The parts between separators; separators inside parentheses belong to the part:
    "Teacher (Algebra I, Geometry)". A Chinese header without separators splits at spaces."""
    protected = re.sub(r"\(([^)]*)\)", lambda m: "(" + m.group(1).replace(",", "\ue000") + ")", text)
    parts = [p.strip(" ,|—–-").replace("\ue000", ",") for p in _SPLIT.split(protected)]
    parts = [p for p in parts if p]
    if len(parts) == 1 and " " in text and re.search(r"[\u4e00-\u9fff]", text):
        parts = text.split()
    return parts


def _location_at(parts: list[str], i: int) -> tuple[str, int] | None:
    """A location starting at part ``i`` ("Denver, CO" as two parts counts as one): (it, parts used)."""
    part = parts[i]
    state_next = i + 1 < len(parts) and _STATE.match(parts[i + 1])
    if LOCATION_RE.match(part) or (state_next and len(part) < 30):
        return (f"{part}, {parts[i + 1]}", 2) if state_next else (part, 1)
    return None


def split_header(text: str) -> tuple[str, str | None, str | None]:
    """Split "Title, Unit — Employer, City, ST" (any order, any separator) into title, employer, location."""
    strong = _strong_split(text.strip(" ,|—–-:\t"))
    if strong is not None:
        return strong
    text, place = split_location(text.strip(" ,|—–-:\t"))
    text = text.strip(" ,|—–-:\t")
    if not text:
        return "", None, place
    parts = _header_parts(text)
    found = _HeaderParts()
    i = 0
    while i < len(parts):
        location = _location_at(parts, i) if found.location is None and i > 0 else None
        if location is not None:
            found.location, used = location
            i += used
            continue
        found.add(parts[i])
        i += 1
    title, employer, location_found = found.result()
    return title or "", employer, location_found or place


@dataclass
class _Entry:
    """One role's header fields as they are found, and the lines they were read from."""

    title: str
    employer: str | None
    location: str | None
    taken: set[int]

    def needs_header(self) -> bool:
        """No title, no employer, or a title without a job word: the header is elsewhere."""
        return not self.title or not self.employer or not TITLE_WORDS.search(self.title)

    def role(self, date_range: DateRange) -> Role:
        title, employer = self.title, self.employer
        return Role(
            title=title or (employer or "Role"),
            employer=employer if employer and employer != title else None,
            location=self.location,
            start=date_range.start,
            end=date_range.end,
            is_current=date_range.is_current,
            dates_text=date_range.text,
        )


def _read_above(entry: _Entry, lines: list[str], above: list[int], places: list[str], leftover: str) -> bool:
    """Read the lines ``above`` with the date line's leftover as one header; adopt it when it names
    a title. True when it also names the employer (nothing more to read)."""
    joined = " | ".join([*(split_location(strip_bullet(lines[k])[1])[0] for k in above), leftover])
    title, employer, location = split_header(joined)
    if not (title and (TITLE_WORDS.search(title) or (employer and not entry.title))):
        return False
    entry.title, entry.employer = title, employer
    entry.location = location or next((p for p in places if p), None) or entry.location
    entry.taken.update(above)
    return bool(employer)


def _fill_from_above(
    entry: _Entry, lines: list[str], idx: int, floor: int, lead: tuple[int, bool], leftover: str
) -> None:
    """Up to ``lead`` header lines above the date line (none of the previous role's)."""
    count, bullets = lead
    above: list[int] = []
    places: list[str] = []
    j = idx - 1
    while j > floor and len(above) < count and _looks_like_header(lines[j], bullets):
        above.insert(0, j)
        place = split_location(strip_bullet(lines[j])[1])[1]
        places.insert(0, place or "")
        if _read_above(entry, lines, above, places, leftover):
            break
        j -= 1


def _below_is_header(lines: list[str], anchors: list[int], n: int, lead: int) -> bool:
    """The line under date line ``n`` is a header line, not the next role's."""
    nxt = anchors[n] + 1
    below_free = n + 1 == len(anchors) or nxt < anchors[n + 1] - lead
    return nxt < len(lines) and nxt not in anchors and below_free and _looks_like_header(lines[nxt])


def _entry(
    lines: list[str], anchors: list[int], n: int, floor: int, lead: tuple[int, bool], date_range: DateRange
) -> _Entry:
    """The header of the role dated on line ``anchors[n]``: on it, above it, then below it."""
    idx = anchors[n]
    line = lines[idx]
    leftover = _trim(line[: date_range.span[0]] + "  " + line[date_range.span[1] :])
    entry = _Entry(*split_header(leftover), taken={idx})
    if lead[0] and entry.needs_header():
        _fill_from_above(entry, lines, idx, floor, lead, leftover)
    if (not entry.title or not entry.employer) and _below_is_header(lines, anchors, n, lead[0]):
        entry.title, entry.employer, entry.location, used = _complete_from_below(
            entry.title, entry.employer, entry.location, lines[idx + 1]
        )
        if used:
            entry.taken.add(idx + 1)
    return entry


def parse_roles(lines: list[str]) -> list[Role]:
    """Roles are anchored on lines holding a date range; headers sit on, before or after that line.

    A CV repeats one entry template, so the first role tells where headers sit: as many header lines
    above each date line as above the first one (Awesome-CV: "Employer City" above "Title Date"), or
    none, and then the line below completes the entry ("Title Date" over "Employer City"). A wrapped
    bullet just above the next date line is then never mistaken for a header.
    """
    anchors = [i for i, line in enumerate(lines) if find_date_range(line)]
    lead = _lead(lines, anchors[0]) if anchors else (0, False)
    roles: list[Role] = []
    headers: list[set[int]] = []
    for n, idx in enumerate(anchors):
        date_range = find_date_range(lines[idx])
        assert date_range is not None
        floor = max(headers[-1]) if headers else -1
        entry = _entry(lines, anchors, n, floor, lead, date_range)
        headers.append(entry.taken)
        roles.append(entry.role(date_range))
    for n, role in enumerate(roles):
        start = max(headers[n]) + 1
        stop = min(headers[n + 1]) if n + 1 < len(roles) else len(lines)
        role.bullets = _bullets(lines[start:stop])
    return roles


def _trim(text: str) -> str:
    """Separators and the dates' brackets off both ends; a title's own "(…)" stays."""
    text = re.sub(r"\(\s*\)", " ", text)  # the brackets the dates were written in
    seps = " ,|—–-\t"
    text = text.strip(seps)
    for _ in range(3):
        if text.endswith("(") or (text.endswith(")") and text.count(")") > text.count("(")):
            text = text[:-1].rstrip(seps)
        if text.startswith(")") or (text.startswith("(") and text.count("(") > text.count(")")):
            text = text[1:].lstrip(seps)
    return text


def _lead(lines: list[str], first: int) -> tuple[int, bool]:
    """(header lines right above the first date line, 0-2; whether one of them is bullet-marked)."""
    count, bullets = 0, False
    j = first - 1
    while j >= 0 and count < 2 and _looks_like_header(lines[j], allow_bullet=True):
        bullets = bullets or strip_bullet(lines[j])[0]
        count += 1
        j -= 1
    return count, bullets


def _complete_from_below(
    title: str, employer: str | None, location: str | None, line: str
) -> tuple[str, str | None, str | None, bool]:
    """Fill the title or employer from the line under the date line: (title, employer, location, used)."""
    t3, e3, l3 = split_header(line)
    if employer and not title:
        # "血汗工厂 20xx.xx – 20xx.xx" over "建筑工程一线劳动者 工地": the next line is the title line.
        t4, l4 = _title_line(line)
        return t4 or t3, employer, location or l4 or l3, True
    if not title and t3:
        return t3, employer or e3, location or l3, True
    if not employer:
        found = _employer_from_below(title, location, line, (t3, e3, l3))
        if found is not None:
            return found
    return title, employer, location or l3, False


def _employer_from_below(
    title: str, location: str | None, line: str, below: tuple[str, str | None, str | None]
) -> tuple[str, str | None, str | None, bool] | None:
    """No employer yet: the line below holds the title (then the date line named the employer) or
    the employer; None when it reads as neither."""
    t3, e3, l3 = below
    title_sure = bool(title) and TITLE_WORDS.search(title) is not None
    title_word = TITLE_WORDS.search(line) is not None
    if not title_sure and title_word and len(line) <= 80:
        # The date line named the employer, the next line holds the title ("远洋邮轮1号" / "... 工程师").
        t4, l4 = _title_line(line)
        return t4, title, location or l4, True
    if (e3 or t3) and not title_word:
        return title, e3 or t3, location or l3, True
    return None


def _title_line(line: str) -> tuple[str, str | None]:
    """A line known to hold the title: (title, place written after it)."""
    _, text = strip_bullet(line)
    rest, place = split_location(text)
    if place:
        return rest, place
    parts = text.split()
    if len(parts) >= 2 and re.search(r"[\u4e00-\u9fff]", text):
        # Chinese CVs put the place after the title: "实习 水手 花式摸鱼工程师 精神家园".
        sure = [i for i, part in enumerate(parts) if TITLE_WORDS.search(part)]
        cut = sure[-1] + 1 if sure else len(parts) - 1
        if cut < len(parts):
            return " ".join(parts[:cut]), " ".join(parts[cut:])
    return text, None


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
