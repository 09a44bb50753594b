"""Constraints a CV states about the work its owner will take: place, setting, hours, rights, credentials.

People write these in their own words in a header line ("Availability: days only, no nights",
"Mobilité : Paris et proche banlieue uniquement", "求职意向：……不考虑上海以外的工作地点"). No
similarity measure turns them into deal-breakers, so they are read with explicit multilingual cues
(``lexicon.cues``) from the parts of a CV where people state them: the header, the summary and
labelled lines — never from role bullets, where "no" describes past work ("no third-party claims").
"""

from __future__ import annotations

import re

from jobland_pipeline.lexicon.cues import (
    AUTHORISATION,
    AWAY,
    CREDENTIAL,
    DAYS_ONLY,
    HYBRID,
    NEGATION,
    NIGHTS,
    NUMBER,
    ONSITE,
    PERMANENT,
    RELOCATION,
    REMOTE,
    ROTATION,
    SEASONAL,
    SPONSORSHIP,
    TEMPORARY,
    fold_for_cues,
    number,
    sentences,
)
from jobland_pipeline.lexicon.nationality import citizenships, work_rights
from jobland_pipeline.places import Place, find_places, region_countries, resolve
from jobland_pipeline.profiles.models import Constraints, PlaceRef

_NEG = rf"{NEGATION}(?:\s*\w+){{0,6}}?\s*"
_AREA_CUE = re.compile(
    r"\b(?:only|area|region|within|based\s+in|commut\w*|metropolitan|uniquement|seulement|exclusivement|proche|"
    r"banlieue|metropole|solo|solamente|unicamente|exclusivamente|desde|nur|ausschliesslich|lediglich|im\s+raum|"
    r"umland|umgebung|somente|apenas|arbeitsort|lieu\s+de\s+travail)\b|地区|以外|仅|只|范围"
)
_COUNTRY_ONLY = re.compile(
    r"based\s+in\s+the\s+(?:united\s+states|us|uk)|(?:any|all)\s+(?:us|u\.s\.)\s+domicile|abroad|overseas|"
    r"a\s+l'etranger|en\s+el\s+extranjero|im\s+ausland|境外|海外|国外"
)
_REGION_WORDS = re.compile(
    r"(?<![a-z])(eu|eea|european\s+union|europe|ue|union\s+europeenne|union\s+europea|uniao\s+europeia|"
    r"europaische\s+union|欧盟|欧洲)(?![a-z])"
)
_MAX_DAYS = re.compile(
    rf"(?:at\s+most|no\s+more\s+than|up\s+to|max(?:imum|imal|\.)?|maximo|au\s+plus|maximum|hochstens|最多|不超过)\s*({NUMBER})"
    rf"\s*(?:office\s+|on[- ]?site\s+)?(?:days?|dias?|jours?|tage|天)"
    rf"|({NUMBER})\s*(?:office\s+|on[- ]?site\s+)?(?:days?|dias?|jours?|tage|天)[^.;]{{0,30}}?"
    rf"(?:at\s+most|max(?:imum|imal)?|au\s+maximum|au\s+plus|como\s+maximo|hochstens|最多)"
)
_AVOID = re.compile(
    r"(?:not\s+(?:looking|planning|wanting|willing)\s+to\s+(?:go\s+back|return|move\s+back)\s+to|no\s+longer\s+(?:want|looking)"
    r"|not\s+returning\s+to|leaving\s+behind|ne\s+souhaite\s+plus|ya\s+no\s+(?:quiero|busco)|不再从事|不回到)\s+(?:to\s+)?(.+)"
)
_TARGET = re.compile(
    r"(?:looking\s+for|seeking|searching\s+for|open\s+to|my\s+goal\s+is|\btarget(?:ing)?\b|\bobjective\b|"
    r"recherche|je\s+cherche|poste\s+recherche|busco|buscando|objetivo|suche|gesucht|求职意向|期望职位|应聘)\s*[:：]?\s*(.+)"
)
_LABELS = re.compile(
    r"^(?:availability|work\s+setup|work\s+preferences?|job\s+preferences?|preferences?|mobility|mobilite|recherche|"
    r"looking\s+for|status|work\s+status|visa|licen[cs]e\s+status|registration|nationality|driving|"
    r"preferencias|disponibilidad|nacionalidad|movilidad|verfugbarkeit|mobilitat|求职意向|期望|到岗|签证|国籍)\b"
)


def _place_ref(place: Place) -> PlaceRef:
    return PlaceRef(name=place.name, country=place.country, lat=place.lat, lon=place.lon, kind=place.kind)


def _region(name: str) -> PlaceRef | None:
    members = region_countries(name)
    if not members:
        return None
    return PlaceRef(name=name, kind="region", countries=sorted(members))


def constraint_sentences(header: list[str], summary: list[str], other: list[str]) -> list[str]:
    """The sentences a person states constraints in: header and summary lines, labelled lines anywhere."""
    lines = [*header, *summary, *(line for line in other if _LABELS.match(fold_for_cues(line)))]
    return [s for line in lines for s in sentences(line)]


def read_constraints(statements: list[str], *, location: str | None) -> Constraints:
    """Constraints from the CV's own statements; ``location`` is the contact location line."""
    c = Constraints()
    home = resolve(location) if location else None
    c.home = _place_ref(home) if home else None
    for raw in statements:
        text = fold_for_cues(raw)
        found = False
        found |= _shifts(c, text)
        found |= _relocation(c, raw, text)
        found |= _setting(c, raw, text)
        found |= _rights(c, raw, text)
        found |= _credentials(c, raw, text)
        found |= _contract(c, text)
        found |= _avoid(c, raw, text)
        if found:
            c.evidence.append(raw.strip())
    _complete(c)
    return c


def _complete(c: Constraints) -> None:
    """What follows from the statements taken together and the home."""
    if c.home and c.home.country and not c.work_rights:
        c.work_rights = [c.home.country]  # people may work where they live unless the CV says otherwise
    c.work_rights = sorted(set(c.work_rights) - set(c.no_work_rights))
    if c.relocate is False and not c.areas and c.home:
        c.areas = [c.home]
    if c.areas and c.commute_km is None:
        c.commute_km = 60.0


def _shifts(c: Constraints, text: str) -> bool:
    hit = False
    if re.search(DAYS_ONLY, text):
        c.no_nights = c.no_rotating_shifts = hit = True
    if re.search(rf"{_NEG}(?:[\w,' ]{{0,30}}){NIGHTS}", text):
        c.no_nights = hit = True
    if re.search(
        rf"{_NEG}(?:[\w,' ]{{0,20}})(?:shift\s+work|shift\s+rotas?|rotating|rotation|{ROTATION})", text
    ):
        c.no_rotating_shifts = hit = True
    return hit


def _relocation(c: Constraints, raw: str, text: str) -> bool:
    hit = _willing_to_move(c, text)
    if re.search(r"not\s+interested\s+in\s+(?:positions|roles|jobs)\s+based\s+abroad", text) or (
        re.search(_COUNTRY_ONLY, text) and re.search(NEGATION, text)
    ):
        c.relocate, hit = False, True
    about_rights = re.search(CREDENTIAL + "|" + AUTHORISATION + "|" + SPONSORSHIP, text)
    if re.match(r"^\s*(?:location|address|adresse|ubicacion|所在地|地址|wohnort)\s*[:：]", text):
        return hit  # where the person lives is the home, not a limit on where they work
    if _country_areas(c, raw, text):
        hit = True
    if (_AREA_CUE.search(text) or hit) and not about_rights and _place_areas(c, raw, text):
        hit = True
    if re.search(
        r"within\s+(?:about\s+)?(?:an|one)\s+hour|hour'?s\s+drive|une\s+heure|una\s+hora|一小时", text
    ):
        c.commute_km, hit = 70.0, True
    return hit


def _willing_to_move(c: Constraints, text: str) -> bool:
    """Whether the person will relocate, when they say so either way."""
    moving = [clause for clause in _clauses(text) if re.search(RELOCATION, clause)]
    if re.search(
        rf"{_NEG}{RELOCATION}|{RELOCATION}\s*[:：]\s*(?:no|non|nein)\b|不考虑.{{0,12}}以外|不(?:接受|考虑)(?:异地|外派|搬迁)",
        text,
    ) or any(
        re.search(NEGATION, clause)
        or re.search(r"nicht\s+in\s+frage|ausgeschlossen|hors\s+de\s+question|exclu", clause)
        for clause in moving
    ):
        # "ein Umzug kommt für mich nicht in Frage": the negation may come after the word.
        c.relocate = False
        return True
    if re.search(
        rf"(?:open|willing|happy|ready|able)\s+to\s+{RELOCATION}|pret\s+a\s+demenager|dispuesto\s+a\s+{RELOCATION}",
        text,
    ):
        c.relocate = True
        return True
    return False


def _country_areas(c: Constraints, raw: str, text: str) -> bool:
    """ "Roles based in the US", "any U.S. domicile": the country is the area."""
    country_only = re.search(
        r"(?:based|flying|work(?:ing)?|jobs?|roles?|positions?)\s+(?:based\s+)?in\s+the\s+([a-z .]+?)(?:[:;,.]|$)|any\s+([a-z.]+)\s+domicile",
        text,
    )
    if not country_only:
        return False
    hit = False
    for place in find_places(raw[country_only.start() : country_only.end()]):
        if place.kind == "country" and all(a.name != place.name for a in c.areas):
            c.areas.append(_place_ref(place))
            hit = True
    return hit


def _place_areas(c: Constraints, raw: str, text: str) -> bool:
    """The places named with an area cue (or with no relocation) are where the person will work;
    regions ("EU") only when not about remote work. True when places were read."""
    places = _limiting_places(raw)
    regions = [r for m in _REGION_WORDS.finditer(text) if (r := _region(m.group(1)))]
    hit = False
    if places and (_AREA_CUE.search(text) or c.relocate is False):
        _add_areas(c, [_place_ref(p) for p in places if not _shadowed(p, places)])
        hit = True
    if regions and re.search(REMOTE, text) is None and c.relocate is False:
        c.areas.extend(r for r in regions if all(a.name != r.name for a in c.areas))
    return hit


def _limiting_places(raw: str) -> list[Place]:
    """Cities, admin areas and countries named in the statement, not as a mere preference."""
    return [
        p
        for p in find_places(raw)
        if p.kind in {"city", "admin1", "admin2", "country"} and not _preferred(raw, p)
    ]


def _add_areas(c: Constraints, refs: list[PlaceRef]) -> None:
    for ref in refs:
        if all(a.name != ref.name for a in c.areas):
            c.areas.append(ref)


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[.;:!?。；：]|,\s+(?:but|mais|pero|aber)\b", text) if c.strip()]


def _preferred(raw: str, place: Place) -> bool:
    """A place named as a preference ("Denver preferred") is not a limit."""
    folded = fold_for_cues(raw)
    name = fold_for_cues(place.name)
    at = folded.find(name)
    return (
        at >= 0
        and re.match(
            r"\s*(?:\(?preferred|preferably|prefere|preferiblemente|bevorzugt|优先)", folded[at + len(name) :]
        )
        is not None
    )


def _shadowed(place: Place, others: list[Place]) -> bool:
    """A country or region named next to a city in it only says where the city is ("Leeds, UK")."""
    if place.kind == "city":
        return False
    return any(o.kind == "city" and o.country == place.country for o in others)


def _setting(c: Constraints, raw: str, text: str) -> bool:
    remote = re.search(REMOTE, text)
    hybrid = re.search(HYBRID, text)
    hit = _site_limits(c, text)
    if not (remote or hybrid):
        return hit
    if re.search(rf"{_NEG}(?:\w+\s+){{0,2}}{REMOTE}", text):
        c.remote_ok = False
        return True
    days = _MAX_DAYS.search(text)
    if days:
        c.max_office_days = number(days.group(1) or days.group(2) or "")
    if remote:
        _remote_where(c, raw, text, remote.start())
    if hybrid:
        c.hybrid_ok = True
    if not _positive_onsite(text) or re.search(rf"{_NEG}(?:\w+\s+){{0,2}}{ONSITE}", text):
        c.onsite_ok = False  # remote or hybrid stated as the setting wanted, no full-time office named
        if c.max_office_days is None and c.hybrid_ok:
            c.max_office_days = 3
        if c.max_office_days is None:
            c.max_office_days = 0
    return True


def _site_limits(c: Constraints, text: str) -> bool:
    """No site-based work ("no site postings", "design-office roles only"), no work away from home."""
    hit = False
    if re.search(
        rf"{_NEG}(?:[\w-]+\s+){{0,3}}(?:site\s+postings?|site[- ]based|site\s+work|full[- ]time\s+site)", text
    ):
        c.no_site_based = hit = True
    if re.search(
        r"design[- ]office\s+roles|office[- ]based\s+roles\s+only|bureau\s+d'etudes\s+uniquement", text
    ):
        c.no_site_based = hit = True
    if re.search(
        rf"{_NEG}(?:[\w,' ]{{0,30}}){AWAY}|home\s+every\s+night|rentrer\s+(?:chez\s+moi\s+)?chaque\s+soir|dormir\s+en\s+casa",
        text,
    ):
        c.no_away_work = hit = True
    return hit


def _remote_where(c: Constraints, raw: str, text: str, at: int) -> None:
    """Remote work is fine, from the regions and countries named right after the word."""
    c.remote_ok = True
    clause = text[at : at + 80]
    regions = [r for m in _REGION_WORDS.finditer(clause) if (r := _region(m.group(1)))]
    countries = {country for r in regions for country in r.countries}
    for place in find_places(raw[at : at + 80]):
        if place.country:
            countries.add(place.country)
    c.remote_countries = sorted(set(c.remote_countries) | countries)


def _positive_onsite(text: str) -> bool:
    """Office work named as acceptable, without a number of office days."""
    return bool(
        re.search(ONSITE, text)
        and not _MAX_DAYS.search(text)
        and not re.search(rf"{NUMBER}\s*(?:office\s+)?(?:days?|dias?|jours?|tage|天)", text)
    )


def _rights(c: Constraints, raw: str, text: str) -> bool:
    hit = False
    nations = citizenships(raw)
    if nations:
        c.work_rights = sorted(set(c.work_rights) | work_rights(nations, raw))
        hit = True
    if re.search(
        r"residence\s+visa|residence\s+permit|permanent\s+resident|green\s+card|titre\s+de\s+sejour|permiso\s+de\s+residencia|居留",
        text,
    ):
        places = find_places(raw)
        c.work_rights = sorted(set(c.work_rights) | {p.country for p in places if p.country})
        hit = True
    negated = re.search(
        rf"{_NEG}(?:[\w ]{{0,30}}){AUTHORISATION}|{_NEG}(?:[\w ]{{0,20}})(?:work\s+)?{SPONSORSHIP}", text
    )
    if negated and re.search(r"(?:do\s+not|don't|no)\s+(?:hold|have)|sin\s+permiso|pas\s+de\s+permis", text):
        lacking = {p.country for p in find_places(raw) if p.country}
        c.no_work_rights = sorted(set(c.no_work_rights) | lacking)
        hit = True
    if re.search(rf"(?:require|need)s?\s+(?:a\s+)?(?:visa\s+)?{SPONSORSHIP}", text) and not re.search(
        _NEG + SPONSORSHIP, text
    ):
        c.needs_sponsorship, hit = True, True
    return hit


_LABEL_NOT_YET = re.compile(
    r"^(.{3,60}?)\s*[:：]\s*(?:not\s+yet|no|none|non|pas\s+encore|todavia\s+no|aun\s+no|noch\s+nicht|暂无|无|没有)"
    r"\s*(?:$|[-–—(,;.]|\bin\s+progress)"
)
_ONLY_CRED = re.compile(
    r"(?:licensed|registered|qualified|certified|certificates?|licen[cs]es?)\s+(?:in\s+)?([\w.\- ]{2,30}?)\s+only"
    r"|hold\s+([\w.\- ]{2,20}?)\s+(?:certificates?|licen[cs]es?|qualifications?)\s+only"
    r"|(?:only|solo|uniquement|nur)\s+(?:hold|have|tengo|possede)?\s*(?:a|an|the)?\s*([\w.\- ]{2,30}?)\s+(?:licen[cs]e|qualification|registration)"
    r"|仅持有(.{2,10}?)(?:律师|执业|资格)|只有(.{2,10}?)(?:执照|资格)"
)


_FUTURE_CRED = re.compile(
    r"(?:planning|plan|preparing|prepare|expect(?:ing)?|hoping|going|due|studying|working\s+towards?|eligible)\s+"
    r"(?:to\s+)?(?:sit|take|apply|obtain|get|pass|start|for)?\s*(?:for\s+)?(?:the\s+|my\s+)?"
    r"([\w&./-]+(?:\s+[\w&./-]+){0,4}?)\s*(?:exam|examination|licen[cs]e|registration|certification|in\s+20\d\d|[.;,]|$)"
    r"|en\s+cours\s+d'obtention\s+(?:du|de\s+la|de\s+l'|des)?\s*([\w&./-]+(?:\s+[\w&./-]+){0,3})"
    r"|(?:准备|正在)(?:考取|考|申请)(.{2,12}?)(?:[，。；,.]|$)"
)


def _credentials(c: Constraints, raw: str, text: str) -> bool:
    hit = False
    label = _LABEL_NOT_YET.match(text)
    if label and re.search(CREDENTIAL, label.group(1)):
        c.lacks.append(raw[: label.end(1)].strip())
        hit = True
    for m in re.finditer(
        rf"{NEGATION}\s*(?:yet\s+|currently\s+|tengo\s+|hold\s+|have\s+|an?\s+|any\s+|de\s+|la\s+|el\s+|持有)*",
        text,
    ):
        phrase = _lacking(text[m.end() : m.end() + 90], raw[m.end() : m.end() + 90])
        if phrase is not None:
            # "not yet licensed by MCGM", "Pas de permis B", "没有香港、美国等境外律师资格"
            c.lacks.append(phrase)
            hit = True
    for m in _FUTURE_CRED.finditer(text):
        # "planning to sit for the PE exam in 2027": the credential is not held yet.
        start = m.start(1)
        phrase = raw[start : start + len(m.group(1))].strip(" .,")
        if re.search(CREDENTIAL + r"|\b[A-Z]{2,}\b", m.group(1) + " " + phrase):
            c.lacks.append(phrase)
            hit = True
    for m in _ONLY_CRED.finditer(text):
        value = next(g for g in m.groups() if g)
        start = m.start(m.lastindex or 1)
        c.credentials_only.append(raw[start : start + len(value)].strip())
        hit = True
    c.lacks = list(dict.fromkeys(c.lacks))
    c.credentials_only = list(dict.fromkeys(c.credentials_only))
    return hit


def _lacking(rest: str, rest_raw: str) -> str | None:
    """The credential a negation denies (``rest`` follows the negation, folded and as written), or
    None when the clause after it names none, or names a contract or a work permit instead."""
    clause = re.split(r"[.;,:!?。；，]|\s[-–]\s|\bbut\b|\bso\b|\bi\s", rest, maxsplit=1)[0]
    written = rest_raw[: len(clause)]
    if not clause.strip() or not re.search(CREDENTIAL + r"|\b[A-Z]{2,}\b", clause + " " + written):
        return None
    if not re.search(CREDENTIAL, clause) and not re.search(r"\b[A-Z]{2,6}\b", written):
        return None
    phrase = written.strip(" -")
    if re.search(TEMPORARY + "|" + SEASONAL + "|" + PERMANENT, clause):
        return None  # "ni intérim, ni CDD": a contract preference, not a missing credential
    if phrase and len(phrase) > 1 and not re.search(AUTHORISATION + "|" + SPONSORSHIP, clause):
        return phrase
    return None


def _contract(c: Constraints, text: str) -> bool:
    hit = False
    if re.search(rf"{_NEG}(?:[\w' ]{{0,15}}){SEASONAL}", text):
        c.no_seasonal = hit = True
    if re.search(rf"{_NEG}(?:[\w' ]{{0,15}}){TEMPORARY}", text):
        c.no_temporary = hit = True
    if re.search(
        rf"{PERMANENT}[\w ,]{{0,20}}\b(?:only|uniquement|solo|unicamente|nur)\b|(?:only|uniquement|solo)\s+{PERMANENT}",
        text,
    ):
        c.permanent_only = c.no_seasonal = c.no_temporary = hit = True
    return hit


def _avoid(c: Constraints, raw: str, text: str) -> bool:
    m = _AVOID.search(text)
    if not m:
        return False
    what = raw[m.start(1) : m.start(1) + len(m.group(1))]
    parts = re.split(r"\s+or\s+|\s+and\s+|,\s*|\s+ou\s+|\s+o\s+|或|、", what.split(".")[0])
    c.avoid_roles.extend(p.strip(" .") for p in parts if 2 < len(p.strip(" .")) < 60)
    c.avoid_roles = list(dict.fromkeys(c.avoid_roles))
    return True


def read_targets(statements: list[str]) -> list[str]:
    """Job titles the CV says it is looking for ("Recherche : un CDI de sous-chef, ou de chef de cuisine"),
    or that its objective names ("To work as a Civil Engineer", "Aspiring Data Scientist")."""
    targets: list[str] = []
    for raw in statements:
        text = fold_for_cues(raw)
        m = _TARGET.search(text)
        body = raw
        if m:
            body = raw[m.start(1) :]
            again = _TARGET.match(fold_for_cues(body))  # "Objective: Looking for an opportunity as ..."
            body = body[again.start(1) :] if again else body
        goal = _GOAL.match(fold_for_cues(body))  # "To work as a Civil Engineer", after "Objective:" too
        if not m and not goal:
            continue
        body = body[goal.end() :] if goal else body
        body = re.split(r"[.;；。]|不考虑|\bi am not\b|\bnot\b", body, maxsplit=1)[0]
        named = _named_title(body, aspiring=bool(goal and goal.group(1)), goal=bool(goal))
        if named is None:
            continue
        chunks = re.split(r",\s*ou\s+|,\s*or\s+|\s+or\s+|\s+ou\s+|\s+o\s+|，或|、|或者|或|/", body)
        targets.extend(_titles_in(named if named else chunks))
    return list(dict.fromkeys(targets))


def _titles_in(chunks: list[str]) -> list[str]:
    from jobland_pipeline.lexicon.titlewords import core_title, only_level_words
    from jobland_pipeline.profiles.roles import TITLE_WORDS  # titles are recognised as roles are

    out = []
    for chunk in chunks:
        title = _title_of(chunk)
        if not title:
            continue
        core = core_title(title)
        if not only_level_words(title) and TITLE_WORDS.search(core) and len(core) > 1:
            out.append(title)
    return out


# An objective that names the job without "looking for", at the start of the statement: "To work as a
# Civil Engineer", "Aspiring Data Scientist", "Objective: To secure a position as a Mechanical Engineer".
# Not "I used to work as a chef" or "Licensed to work as an electrician": those say what the person is.
_GOAL = re.compile(
    r"^\W*(?:(?:career\s+|professional\s+)?(?:objective|goal)\s*[:\-–]?\s*)?"
    r"(?:(aspiring)|to\s+(?:obtain|secure|get|find|pursue|work|start|join)\b)\s*"
)
# "a (challenging) position as a ...", "an opportunity as ...", "as a ...": at the start of the body.
_AS = re.compile(
    r"\s*(?:(?:(?:an?|the|new|challenging|full-time|part-time|permanent|suitable|entry-level|eine?)\s+){0,3}"
    r"(?:work|position|role|opportunity|career|job|post|stelle)\s+)?(?:as|als)\s+(?:an?\s+|the\s+)?",
    re.I,
)
_BEFORE_POSITION = re.compile(
    r"(?:^|.*?\s)(?:an?|the|my)\s+([^.;]{3,60}?)\s+(?:position|role|job|post)\b", re.I
)
_TITLE_END = re.compile(r"\s+and\s+|,|\||\s+I\s+|\s[-–—]\s")


def _named_title(body: str, *, aspiring: bool, goal: bool) -> list[str] | None:
    """The titles an objective names: after "a position as" / "aspiring", or before "position" / "role".

    [] when the body is an ordinary "looking for ..." list (read as it is); None when an objective
    names no job ("To pursue a career in finance")."""
    found = _AS.match(body)
    if found:
        rest = body[found.end() :]
    elif aspiring:  # "Aspiring Data Scientist and former Teacher": the first title only
        first = _up_to_job_noun(body)
        return [first] if first else None
    elif goal:
        before = _BEFORE_POSITION.match(body)
        if not before:
            return None
        rest = before.group(1)
    else:
        return []
    named = [_up_to_job_noun(part) for part in re.split(r",|\s+or\s+|\s+and\s+|/", rest)]
    named = [n for n in named if n]
    return named if named else None


def _up_to_job_noun(text: str) -> str:
    """The words up to the last job noun: "lawyer passionate about human rights" -> "lawyer"."""
    from jobland_pipeline.profiles.roles import TITLE_WORDS

    text = _TITLE_END.split(text, maxsplit=1)[0]
    ends = [found.end() for found in TITLE_WORDS.finditer(text)]
    return text[: ends[-1]].strip() if ends else ""


_LEAD_WORDS = re.compile(
    r"^(?:(?:a|an|the|un|une|le|la|de|d'|du|des|el|los|las|una|uno|ein|eine|einen|um|uma|permanent|full-time|full\s+time|"
    r"part-time|cdi|cdd|role|position|job|poste|puesto|rol|de\s+trabajo)\b[\s,']*)+",
    re.IGNORECASE,
)
_CUT = re.compile(
    r"\s+(?:in|at|with|within|for|based|near|dans|à|a|en|chez|avec|pour|con|para|desde|im|bei|mit)\s+|\s*\(|"
    r"\s+(?:role|position|job|post|poste|puesto|stelle)\b|职位|岗位|工作"
)


def _title_of(chunk: str) -> str | None:
    chunk = _CUT.split(chunk.strip(), maxsplit=1)[0]
    chunk = _LEAD_WORDS.sub("", chunk.strip()).strip(" ,:;")
    if re.search(r"[\u4e00-\u9fff]", chunk):
        chunk = re.split(r"方向|地区|的", chunk)[-1]
    if not chunk or len(chunk.split()) > 6:
        return None
    return chunk
