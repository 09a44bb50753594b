"""What a posting demands of whoever takes the job: place, setting, hours, rights, credentials, languages.

The mirror of ``profiles.constraints``: the same multilingual cues read the posting's side, with its
own negations ("no nights", "A Boeing 737 type rating is NOT required", "no shift rotation") and
softeners ("preferred", "we will train", "or eligibility to register"). A demand is only recorded
when the posting makes it a condition; anything else is left to the relevance score.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from jobland_pipeline.lexicon.cues import (
    AUTHORISATION,
    AWAY,
    CREDENTIAL,
    NEGATION,
    NIGHTS,
    NUMBER,
    ONSITE,
    OPTIONAL,
    REMOTE,
    REQUIRED,
    ROTATION,
    SEASONAL,
    SPONSORSHIP,
    TEMPORARY,
    fold_for_cues,
    number,
    sentences,
)
from jobland_pipeline.lexicon.languages import find_languages, level_of
from jobland_pipeline.lexicon.sections import offer_heading
from jobland_pipeline.places import Place, country_name, find_places, region_countries
from jobland_pipeline.postings.models import Posting


@dataclass(frozen=True)
class Credential:
    """A credential the posting requires: its words, and its alternatives ("NY or E&W qualified")."""

    text: str
    alternatives: tuple[str, ...]


@dataclass
class Demands:
    places: list[Place] = field(default_factory=list)
    remote: bool | str = False
    remote_countries: set[str] = field(default_factory=set)
    office_days: int | None = None  # days a week at the workplace (5 = fully on site)
    site_based: bool = False
    away_work: str | None = None
    nights: str | None = None
    rotating: str | None = None
    relocation_required: str | None = None  # the words that make moving a condition of the job
    stated_places: list[Place] = field(default_factory=list)  # where the title or text says the work is
    work_countries: set[str] = field(default_factory=set)  # right to work needed in these countries
    credentials: list[Credential] = field(default_factory=list)
    required: list[str] = field(default_factory=list)  # every sentence the posting makes a condition
    languages: list[tuple[str, int, str]] = field(default_factory=list)  # (code, level, sentence)
    seasonal: str | None = None
    temporary: str | None = None
    years: int | None = None
    years_max: int | None = None
    evidence: dict[str, str] = field(default_factory=dict)


_NEGATED_SCHEDULE = re.compile(
    r"\bno\s+(?:\w+\s+){0,3}?(?:nights?|overnights?|shift\s+rotation|rotation|night\s+shifts?|shifts)\b"
    r"|(?:nights?|overnights?)\s+(?:are\s+)?not\s+required|without\s+nights|never\s+nights|days\s+only"
    r"|pas\s+de\s+(?:travail\s+de\s+)?nuit|sin\s+turnos?\s+de\s+noche|keine\s+nacht|无夜班|不(?:需要|用)?(?:上)?夜班"
)
_OFFICE_DAYS = re.compile(
    rf"({NUMBER})\s*(?:office\s+|on[- ]?site\s+|in[- ]office\s+)?days?\s*(?:a|per|each|/)?\s*(?:week)?\s*(?:in\s+(?:the\s+)?office|on[- ]?site|at\s+(?:the\s+)?(?:office|site))"
    rf"|(?:on[- ]?site|in\s+(?:the\s+)?office|office)[,\s]+({NUMBER})\s*days?\s*(?:a|per)\s*week"
    rf"|({NUMBER})\s*(?:office\s+)?days?\s+(?:per|a)\s+week"
    rf"|({NUMBER})\s*(?:dias?|jours?|tage|giorni)\s*(?:presenciales|sur\s+site|au\s+bureau|vor\s+ort|in\s+ufficio|en\s+oficina)"
    rf"|每周\s*({NUMBER})\s*天"
)
_FIVE_DAYS = re.compile(
    r"(?:fully|100\s*%|entirely|five\s+days|5\s+days)\s*(?:a\s+week\s*)?(?:on[- ]?site|in\s+(?:the\s+)?office|presencial)"
    r"|(?:on[- ]?site|presencial|in\s+office)\s*(?:,|\s)\s*(?:five|5|six|6)\s+days|no\s+(?:hybrid|remote)\s+(?:option|working)"
    r"|no\s+ofrecemos\s+teletrabajo|pas\s+de\s+teletravail|kein\s+homeoffice|monday\s+to\s+(?:friday|saturday)\s+on\s+site"
    r"|100\s*%\s*presencial|puesto\s+presencial|full[- ]time\s+(?:on\s+)?site|site\s+posting|six\s+days\s+a\s+week|office[- ]based"
)
_WORK_COUNTRY = re.compile(
    rf"(?:{AUTHORISATION}|residence\s+and\s+work|must\s+(?:be\s+)?(?:based|located|reside|live)\s+in|"
    rf"(?:only|solely)\s+(?:open\s+to|candidates)|residen(?:ce|t)s?\s+(?:of|in)|citizens?\s+(?:of|only)|"
    rf"{SPONSORSHIP})"
)
_YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:or\s+more\s+|plus\s+)?(?:years?|yrs?)(?:'|’)?(?:\s+of)?\s+(?:[\w-]+\s+){0,5}?(?:experience|practice)"
    r"|(?:at\s+least|minimum(?:\s+of)?|min\.?)\s+(\d{1,2})\s+(?:years?|yrs?)"
    r"|(\d{1,2})\s*(?:ans?|annees?)\s+(?:d'|de\s+)?(?:experience|pratique)|(?:minimo|al\s+menos)\s+(\d{1,2})\s+anos|(\d{1,2})\s+anos\s+(?:o\s+mas\s+)?(?:de\s+)?experiencia"
    r"|(\d{1,2})\s*(?:jahre?)\s+(?:berufs)?erfahrung|(\d{1,2})\s*年(?:以上)?(?:\S{0,8})经验"
)
_WORD_YEARS = re.compile(
    r"\b(two|three|four|five|six|seven|eight|ten|deux|trois|quatre|cinq|dos|tres|cuatro|cinco|seis)\s+(?:years?|ans|anos)\s+(?:or\s+more\s+|o\s+mas\s+)?(?:of\s+|de\s+|d')?"
    r"(?:[\w-]+\s+){0,4}?(?:experience|practice|experiencia|con)"
)
_CN_YEARS = re.compile(
    r"([一二三四五六七八九十两])年(?:以上)?(?:\S{0,8})经验|([一二三四五六七八九十两])年以上"
)
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_WORDS_NUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "ten": 10,
              "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6}  # fmt: skip


_RANGE_YEARS = re.compile(r"(\d{1,2})\s*(?:-|–|to|a)\s*(\d{1,2})\s*(?:years?|yrs?|ans|anos|jahre|年)")


def years_range_max(text: str) -> int | None:
    """The upper end of a years-of-experience range ("2-4 years"): above it, the role is below the person."""
    found = [
        int(m.group(2))
        for m in _RANGE_YEARS.finditer(fold_for_cues(text))
        if 0 < int(m.group(1)) < int(m.group(2)) <= 15
    ]
    return max(found) if found else None


_YEAR_WORD = re.compile(r"year|yr|\ban|\bano|jahr|年")
_DAY_WORD = re.compile(r"day|dia|jour|\btag|giorn|天")


def required_years(text: str) -> int | None:
    """The smallest number of years of experience the posting asks for (None when it asks none)."""
    folded = fold_for_cues(text)
    if not _YEAR_WORD.search(folded):
        return None
    found = [int(g) for m in _YEARS.finditer(folded) for g in m.groups() if g]
    found += [_WORDS_NUM[m.group(1)] for m in _WORD_YEARS.finditer(folded)]
    found += [_CN_NUM[g] for m in _CN_YEARS.finditer(text) for g in m.groups() if g]
    found = [n for n in found if 0 < n <= 25]
    return min(found) if found else None


def _places_of(posting: Posting, pairs: list[tuple[str, str]]) -> list[Place]:
    places = [p for p in find_places(posting.location, field=True) if p.kind != "region"]
    if not places:
        for sentence, low in pairs[:40]:
            if re.search(
                r"\b(?:based\s+in|located\s+in|our\s+(?:office|site)s?\s+in|work(?:ing)?\s+from\s+our)\b", low
            ):
                places.extend(find_places(sentence))
    return places


# Where the title or text states the work is, in words strong enough to outrank the listing's location
# (job boards often list the city that was searched): "Requires Relocation to Dubai", "On-site in Lagos",
# "Location: Lyon", "This role is based in Austin". A place named after a weaker cue ("our clients in
# Paris", "a company based in London") says nothing of where this job is.
_SPAN = r"((?:(?!\s[-–—|]\s)[^.;:\n()|\[\]]){2,60})"
_STATED_IN_TEXT = re.compile(
    rf"relocat(?:e|ion|ing)\s+to\s+{_SPAN}"
    rf"|\bon[- ]?site\s+(?:(?:role|position|job)\s+)?(?:in|at)\s+{_SPAN}"
    rf"|^[ \t*•-]*(?:job\s+|work\s+|work\s*place\s+|position\s+|role\s+)?location\s*(?:[:：]|[-–—]\s)\s*{_SPAN}"
    rf"|\b(?:role|position|job|post|vacancy|opening|you)\s+(?:is|are|will\s+be|would\s+be)\s+(?:\w+\s+){{0,2}}?(?:based|located)\s+(?:in|at)\s+{_SPAN}",
    re.MULTILINE,
)
# In a title any "based in" counts: "Maths Teacher (Based in Doha)".
_STATED_IN_TITLE = re.compile(rf"{_STATED_IN_TEXT.pattern}|\bbased\s+in\s+{_SPAN}", re.MULTILINE)


def _stated_place(d: Demands, posting: Posting, text: str) -> None:
    """The place the title or text states with a strong cue becomes the posting's place when the
    listing names none, or names one in another country or state: the text is about this job, the
    listing's location may be only where it was searched for."""
    stated: list[Place] = []
    for place in _cued_places(posting, text):
        if all(p.name != place.name for p in stated):
            stated.append(place)
    if not stated:
        return
    listed = [p for p in find_places(posting.location, field=True) if p.kind != "region"]
    if len(stated) == 1 and listed:
        stated = [_read_in(stated[0], listed)]
    if listed and not all(_elsewhere(place, listed) for place in stated):
        return  # the text names the listing's own place ("Location: Leeds" for a Leeds listing)
    d.stated_places = stated
    d.places = list(stated)
    d.evidence["place"] = ", ".join(p.name for p in stated[:3])


def _cued_places(posting: Posting, text: str) -> Iterator[Place]:
    """Places after a strong cue in the title, then the text, in order (regions aside), unless the cue's
    clause is negated."""
    for in_title, source, pattern in (
        (True, posting.title, _STATED_IN_TITLE),
        (False, text, _STATED_IN_TEXT),
    ):
        low = fold_for_cues(source)
        for m in pattern.finditer(low):
            start, end = next((m.start(i), m.end(i)) for i in range(1, (m.lastindex or 0) + 1) if m.group(i))
            # Up to the place itself: "no need to relocate to Paris", "you are not based in Seattle".
            if _clause_negated(low, start) or _conditional(low, m.start()):
                continue
            if m.group(0).startswith("relocat") and not _relocation_cue_holds(low, start, in_title=in_title):
                continue
            yield from (p for p in find_places(source[start:end]) if p.kind != "region")


_CLAUSE_BREAK = re.compile(r"[.;:!?\n,]|\bbut\b|\bmais\b|\bpero\b|\baber\b")
_CONDITIONAL = re.compile(r"\b(?:if|whether|unless|when|whenever|in\s+case|should\s+you)\b")
_NEEDED = re.compile(
    r"\b(?:requir\w*|must|need(?:s|ed)?|have\s+to|willing(?:ness)?|mandatory|compulsory|necessary|essential|expected)\b"
)


def _conditional(low: str, start: int) -> bool:
    """The cue sits in a clause opened by if/whether/unless/when: "If you are located in Canada, ..."."""
    return _CONDITIONAL.search(_clause_before(low, start)) is not None


def _clause_before(low: str, start: int, *, width: int = 60) -> str:
    """The clause that ends at ``start`` (at most ``width`` characters back)."""
    return _CLAUSE_BREAK.split(low[max(0, start - width) : start])[-1]


def _relocation_cue_holds(low: str, start: int, *, in_title: bool) -> bool:
    """ "relocat... to X" says where the job is in a title, or when its sentence makes moving a condition
    ("You will need to relocate to Auckland"), not in a story ("we completed our relocation to Austin",
    "we have helped teachers relocate to Dubai"), and not when the rest says no ("is not supported")."""
    sentence_start = max((low.rfind(ch, 0, start) for ch in ".;!?\n"), default=-1) + 1
    rest = re.split(r"[.;!?\n]", low[start:], maxsplit=1)[0]
    if re.search(r"\b(?:not|no|never|cannot|isn't|won't)\b", rest):
        return False  # "relocation to Canada is not supported"
    return in_title or _NEEDED.search(low[sentence_start:start] + rest) is not None


def _read_in(place: Place, listed: list[Place]) -> Place:
    """A lone name read as a place of the listing's country when it names one there: "Location:
    Cambridge" on a "Cambridge, MA" listing, "Georgia" on an Atlanta one, "London" on a London, ON one."""
    if any(place.name in (other.name, other.admin1_name) for other in listed):
        return next(o for o in listed if place.name in (o.name, o.admin1_name))
    name = country_name(listed[0].country) if listed[0].country else None
    if not name or place.country == listed[0].country:
        return place
    again = find_places(f"{place.name}, {name}", field=True)
    if again and again[0].country == listed[0].country and again[0].name == place.name:
        return again[0]
    return place


def _elsewhere(place: Place, listed: list[Place]) -> bool:
    """In another country, or another state or province of the same country, than every listed place."""
    return all(
        place.country != other.country
        or (place.admin1 is not None and other.admin1 is not None and place.admin1 != other.admin1)
        for other in listed
    )


def _clause_negated(low: str, start: int) -> bool:
    """A negation earlier in the same clause: "we do not require relocation", "no relocation required"."""
    return re.search(NEGATION, _clause_before(low, start, width=50)) is not None


# A negation inside a required-relocation match, in the words its gaps allow: "requires no relocation",
# "Umzug nicht erforderlich", "déménagement non obligatoire", "reubicación no necesaria".
_NEGATED_INSIDE = re.compile(r"\b(?:no|not|non|never|nicht|kein\w*|pas|sin|nunca|ningun[oa]?|without)\b")


# Moving is a condition of the job: "Relocation required", "Requires relocation to ...", "must be willing to
# relocate", "déménagement obligatoire", "reubicación requerida", "Umzug erforderlich" (folded text).
_RELOCATION_REQUIRED = re.compile(
    r"\b(?:requires?|requiring|required)\s+(?:\w+\s+){0,2}?relocation\b"
    r"|\brequire[sd]?\s+(?:you\s+|candidates\s+)?to\s+relocate\b"
    r"|\brelocation\s+(?:to\s+[^.;,\n]{1,40}?\s+)?(?:is\s+|will\s+be\s+)?(?:required|mandatory|necessary|compulsory|essential|a\s+must|expected)\b"
    r"|\brelocation\s*[:：]\s*(?:required|mandatory|yes)\b"
    r"|\bmust\s+(?:be\s+(?:willing|able|prepared|ready)\s+to\s+)?relocate\b"
    r"|\b(?:will|would)\s+(?:need|have)\s+to\s+relocate\b"
    r"|\b(?:willing(?:ness)?|able|ability)\s+to\s+relocate\s+(?:to\s+[^.;,\n]{1,40}?\s+)?(?:is\s+)?(?:required|mandatory|essential|a\s+must)\b"
    r"|\b(?:demenagement|relocalisation)\s+(?:\w+\s+)?(?:obligatoire|exige|requis|necessaire|indispensable)"
    r"|\b(?:reubicacion|traslado|mudanza)\s+(?:\w+\s+)?(?:obligatori[oa]|requerid[oa]|necesari[oa]|imprescindible)"
    r"|\bumzug\s+(?:\w+\s+)?(?:erforderlich|notwendig|zwingend|vorausgesetzt|voraussetzung)"
)
# The same clause offers help or asks a question, or makes it a condition of something else.
_RELOCATION_SOFT = re.compile(
    r"assistance|package|support|allowance|reimburs\w*|stipend|bonus|help|paid|covered|provided|offered"
    r"|\b(?:if|when|where|should|unless|whether|may|might|optional|possible|preferred|ideally)\b"
    r"|aide|prise\s+en\s+charge|ayuda|si\b|falls|unterstutzung"
)


def _relocation_required(d: Demands, posting: Posting, text: str) -> None:
    """Whether the title or text makes moving a condition of the job, not merely an offer of help."""
    for source in (posting.title, text):
        low = fold_for_cues(source)
        if "relocat" not in low and not re.search(r"demenag|relocalis|reubica|traslad|mudanza|umzug", low):
            continue
        for m in _RELOCATION_REQUIRED.finditer(low):
            clause_start = max((low.rfind(ch, 0, m.start()) for ch in ".;!?\n,("), default=-1) + 1
            ends = [i for i in (low.find(ch, m.end()) for ch in ".;!?\n,()") if i >= 0]
            clause_end = min(ends, default=len(low))
            clause = low[clause_start:clause_end]
            if _clause_negated(low, m.start()) or _RELOCATION_SOFT.search(clause):
                continue
            if _NEGATED_INSIDE.search(m.group(0)):
                continue  # "This role requires no relocation", "Traslado no obligatorio"
            if re.match(r"\s*(?:\?|[:：-]?\s*(?:no|none|n/a|not)\b)", low[m.end() :]):
                continue  # "Relocation required? No", "Relocation required: no"
            d.relocation_required = source[clause_start:clause_end].strip(" -–—|:*•\t()")
            d.evidence["relocation_required"] = d.relocation_required
            return


def _remote_scope(posting: Posting, folded_text: str) -> set[str]:
    """Where a remote job may be done from: "Remote (United States only)", "Remote (EU)", "within Ireland"."""
    scope: set[str] = set()
    location = posting.location
    if re.search(REMOTE, fold_for_cues(location)):
        for place in find_places(location, field=True):
            if place.country:
                scope.add(place.country)
        for m in re.finditer(r"\b(EU|EEA|European Union|Europe|EMEA|UE)\b", location):
            scope |= set(region_countries(m.group(1)) or ())
    for m in re.finditer(
        rf"{REMOTE}[^.\n]{{0,40}}?\b(?:from|within|in|anywhere\s+in|desde|en|depuis|en\s+france|aus)\s+([^.\n,;]{{2,40}})",
        folded_text,
    ):
        for place in find_places(m.group(0)):
            if place.kind in {"country", "admin1"} and place.country:
                scope.add(place.country)
    return scope


_CRED_RE = re.compile(CREDENTIAL)
_REQUIRED_RE = re.compile(REQUIRED)
_OPTIONAL_RE = re.compile(OPTIONAL)
_AUTH_RE = re.compile(AUTHORISATION)
_NIGHTS_RE = re.compile(NIGHTS)
_ROTATION_RE = re.compile(ROTATION)
_STRONG_LANGUAGE = re.compile(
    r"fluent|fluency|full\s+professional|native|c1|c2|n1|courant|maitrise|parfaite|bilingue|fluido|dominio|fliessend|"
    r"verhandlungssicher|流利|精通|熟练"
)
_ESSENTIAL_HEAD = re.compile(
    r"^\s*(?:essential|essentials|must[- ]haves?|required|mandatory|imprescindible|indispensable|obligatoire|必备|必须|"
    r"requirements?|qualifications?|minimum\s+qualifications|what\s+you(?:'ll)?\s+need|who\s+you\s+are|your\s+profile|"
    r"votre\s+profil|profil(?:\s+recherche)?|requisitos|perfil|ihr\s+profil|anforderungen|das\s+bringen\s+sie\s+mit|"
    r"任职要求|岗位要求|任职资格|应征条件|应聘条件|招聘条件|资格条件|条件要求|申请条件|职位要求|报名资格|报名条件)\s*:?\s*$"
)
_OTHER_HEAD = re.compile(
    r"^\s*(?:responsibilities|duties|main\s+duties|what\s+you(?:'ll)?\s+do|the\s+role|about\s+(?:the\s+role|us)|your\s+role|"
    r"benefits|what\s+we\s+offer|we\s+offer|perks|schedule|hours|working\s+hours|pay|salary|conditions|desirable|"
    r"nice\s+to\s+have|preferred|bonus|missions|vos\s+missions|avantages|nous\s+offrons|funciones|responsabilidades|"
    r"que\s+haras|ofrecemos|modalidad|ihre\s+aufgaben|aufgaben|wir\s+bieten|arbeitszeiten|dienstmodell\w*|"
    r"岗位职责|工作职责|工作内容|福利|待遇福利|我们提供|工作地点)\b[^.]{0,40}$"
)


def read_demands(posting: Posting, text: str) -> Demands:
    """Demands of one posting; ``text`` is its description with machine-addressed text removed.

    Sentences are split and folded once; each rule first checks the whole text for its cue words, so
    the usual posting (no nights, no licence, no language demand) costs a few scans.
    """
    d = Demands()
    folded = fold_for_cues(text)
    head = fold_for_cues(f"{posting.title}\n{posting.location}\n{posting.employment_type or ''}")
    pairs = _sentences(text)
    d.places = _places_of(posting, pairs)
    _stated_place(d, posting, text)
    _relocation_required(d, posting, text)
    d.remote = posting.remote
    if posting.remote is True or re.search(REMOTE, fold_for_cues(posting.location)):
        d.remote_countries = _remote_scope(posting, folded)
    _setting(d, posting, head, folded)
    if _mentions_schedule(head, folded):
        _schedule(d, [(posting.title, head), *pairs])
    if _WORK_COUNTRY.search(folded):
        _rights(d, pairs)
    _contract(d, posting, head, folded)
    if _CRED_RE.search(folded) or _DEGREE_RE.search(folded):
        _credentials(d, pairs)
    d.required = [sentence for sentence, low in pairs if _is_condition(low)]
    _languages(d, posting.title, text, pairs)
    d.years = required_years(text)
    d.years_max = years_range_max(f"{posting.title}\n{text}")
    return d


def _mentions_schedule(head: str, folded: str) -> bool:
    """Whether any night or rotation cue appears at all (the sentence-by-sentence pass is the dear one)."""
    return bool(
        _NIGHTS_RE.search(head)
        or _NIGHTS_RE.search(folded)
        or _ROTATION_RE.search(folded)
        or _ROTATION_RE.search(head)
    )


def _is_condition(low: str) -> bool:
    """A (folded) sentence the posting makes a condition: under a requirements heading or worded as
    one, and not softened ("preferred", "a plus")."""
    return bool((low.startswith("§ ") or _REQUIRED_RE.search(low)) and not _OPTIONAL_RE.search(low))


def _languages(d: Demands, title: str, text: str, pairs: list[tuple[str, str]]) -> None:
    """Languages the text makes a condition, sentence by sentence (only when it names one at all),
    then those the title asks to speak."""
    if find_languages(text):
        for sentence, low in pairs:
            _language_demand(d, sentence, low)
    d.languages.extend(_title_languages(title))


def _title_languages(title: str) -> list[tuple[str, int, str]]:
    """Languages the title itself asks to speak ("Japanese Speaking Sales Rep", "客服（日语）"), at level 5."""
    return [
        (code, 5, title)
        for code, *_ in find_languages(title)
        if re.search(r"speaking|speaker|native|fluent|（|\(", title, re.I)
    ]


def _sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, folded sentence), with the heading each line sits under marked by a leading "§"."""
    out: list[tuple[str, str]] = []
    essential = False
    for block in re.split(r"\n\s*\n", text):
        # A requirements list runs from its heading to the end of its block; the next paragraph
        # ("Schedule and benefits ...") is not a condition of the job.
        if (
            essential
            and not block.lstrip().startswith(("-", "•", "*", "·"))
            and not re.match(r"\s*(?:\d+[.、)]|[一二三四五六七八九十]+、|\(\d+\))", block)
        ):
            essential = False
        for sentence in sentences(block):
            low = fold_for_cues(re.sub(r"^(?:[一二三四五六七八九十]+[、.]|\d+[.)、])\s*", "", sentence))
            offer = offer_heading(sentence)  # pay, benefits, hours or place: never a condition
            if offer == "label":
                out.append((sentence, low))
                continue
            if len(sentence) <= 50 and (
                _ESSENTIAL_HEAD.match(low) or _OTHER_HEAD.match(low) or low.rstrip().endswith(":") or offer
            ):
                essential = bool(_ESSENTIAL_HEAD.match(low))
                out.append((sentence, low))
                continue
            out.append((sentence, ("§ " + low) if essential else low))
    return out


_DEGREE_RE = re.compile(r"diplom|degree|titulo|titulacion|abschluss|学位|学历|文凭")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


# A credential the role is restricted to: "This role applies only to state-certified teachers", "open only
# to licensed electricians", "reserved for registered nurses" (folded). Not "including but not limited to",
# nor "open not only to certified teachers but also to career changers".
_ONLY_TO = re.compile(
    r"\b(?:appl(?:y|ies)|open|available|restricted|reserved|limited)\s+(?:exclusively\s+|solely\s+)?(?<!not\s)only\s+(?:to|for)\s+"
    r"|(?<!not\s)\bonly\s+(?:open|available|applies|apply)\s+to\s+"
    r"|\b(?:restricted|reserved)\s+(?:exclusively\s+|solely\s+)?(?:to|for)\s+"
    r"|(?<!not\s)\bonly\s+(?:to|for)\s+(?=(?:[\w-]+\s+){0,3}?(?:certified|licensed|registered|chartered|accredited)\b)"
)
# What the restriction is about must be the role itself, as the subject just before the verb: "This
# position applies only to", "Applications for this vacancy are open only to", "It is open only to";
# not "The signing bonus applies only to", "Access to this building is restricted to".
_ROLE_SUBJECT = re.compile(
    r"(?:\b(?:role|position|job|post|vacancy|opening|opportunity|program(?:me)?|posting|applications?|contract)"
    r"(?:\s*\([^()]*\))?|^\s*(?:this|it))"
    r"(?:\s+(?:is|are|will|be|been|has|have|remains?|currently|now|strictly|therefore|also|offered|given|made|itself))*\s*$"
)
_HOLDER_WORD = {"certified": "certification", "licensed": "license", "registered": "registration",
                "chartered": "chartership", "accredited": "accreditation"}  # fmt: skip
_HELD = re.compile(r"(?:an?\s+|the\s+)?(.*?)\b(certified|licensed|registered|chartered|accredited)\b", re.I)
# "licensed in Texas", "registered with the HCPC", "certified by the ABCTE", "licensed to practise in Ohio".
_HELD_BY = re.compile(
    r"\s+(?:to\s+practi[cs]e\s+)?(in|by|with|from|through)\s+(?:the\s+)?(.+?)"
    r"(?=\s+(?:who|which|that|to|with|for|at|in|on|and\s+who)\b|$)",
    re.I,
)

# The participle describes the noun after it ("ABCTE certified teachers"), not a holder before it.
_ATTRIBUTIVE = re.compile(
    r"[\s-]+(?!(?:in|by|with|from|through|as|to|for|at|under|and|or|who|if)\b)[^\W\d_]", re.I
)


def _only_to(sentence: str) -> Credential | None:
    """The credential a sentence restricts the role to, named as the posting names it: "applies only to
    XYZ certified teachers" -> "XYZ certification", checked against the CV as "XYZ certified"; "open
    only to RNs licensed in Texas" -> "Texas license" (or "licensed in Texas", "Texas-licensed")."""
    low = fold_for_cues(sentence)  # same length as the sentence: positions carry over
    m = _ONLY_TO.search(low)
    if not m:
        return None
    before = low[: m.start()]
    if before.strip(" -•*\t") and not _ROLE_SUBJECT.search(before.lstrip(" -•*\t")):
        return None  # "the bonus applies only to certified staff" restricts something else
    end = m.end() + len(re.split(r"[.;:!?()\[\]\n]|,\s|\s[-–—]\s", low[m.end() :])[0])
    phrase = sentence[m.end() : end].strip()
    if not _CRED_RE.search(fold_for_cues(phrase)):
        return None  # "open only to residents of ...", "reserved for internal candidates"
    held = _HELD.match(phrase)
    if not held:
        return Credential(phrase, tuple(_alternatives(phrase)))
    by = _HELD_BY.match(phrase[held.end() :])
    if by:
        return _issued_by(held.group(2), by.group(1), by.group(2).strip(" -"))
    if held.group(1).strip() and _ATTRIBUTIVE.match(phrase[held.end() :]):
        # "XYZ certified teachers": what identifies the credential is before the word. Not "RNs
        # licensed as ...", where the words before are the holder.
        named = held.group(1).strip(" -")
        text = f"{named} {_HOLDER_WORD[held.group(2).lower()]}"
        return Credential(text, (f"{named} {held.group(2)}",))
    return Credential(phrase, tuple(_alternatives(phrase)))


def _issued_by(participle: str, preposition: str, issuer: str) -> Credential:
    """ "licensed in Texas" -> "Texas license", met by "Texas license", "licensed in Texas", "Texas-licensed";
    "registered with the HCPC or the NMC" -> each body on its own."""
    noun = _HOLDER_WORD[participle.lower()]
    names = [re.sub(r"^(?:the|an?)\s+", "", one.strip(), flags=re.I) for one in _alternatives(issuer)]
    alternatives: list[str] = []
    for one in names:
        alternatives += [f"{one} {noun}", f"{participle} {preposition} {one}", f"{one}-{participle}"]
    return Credential(f"{' or '.join(names)} {noun}", tuple(alternatives))


def _credentials(d: Demands, pairs: list[tuple[str, str]]) -> None:
    for sentence, low in pairs:
        restricted = _only_to(sentence) if _CRED_RE.search(low) else None
        if restricted and not _OPTIONAL_RE.search(fold_for_cues(" ".join(restricted.alternatives))):
            d.credentials.append(restricted)
            continue
        # A diploma counts as a credential when the posting names which one ("DSCG exigé").
        if not _CRED_RE.search(low) and not (_DEGREE_RE.search(low) and _ACRONYM.search(sentence)):
            continue
        required = low.startswith("§ ") or _REQUIRED_RE.search(low)
        if not required or _OPTIONAL_RE.search(low):
            continue
        if _AUTH_RE.search(low) and not re.search(
            r"licen[cs]e|registration|rating|permis\s+[a-z]\b|driving", low
        ):
            continue
        d.credentials.append(Credential(sentence, tuple(_alternatives(sentence))))


def _setting(d: Demands, posting: Posting, head: str, folded: str) -> None:
    """Where the work happens: days at the workplace, a site-based post, work away from home, relocation."""
    _office_days(d, posting, head, folded)
    if re.search(
        r"site[- ]based|site\s+posting|on\s+site\s+(?:six|6|full)|full[- ]time\s+(?:on\s+)?site|based\s+on\s+site",
        head + "\n" + folded,
    ):
        d.site_based = True
        d.evidence["site_based"] = "a site-based posting"
    away = re.search(AWAY, head) or re.search(AWAY, folded)
    if away and not re.search(rf"no\s+(?:\w+\s+){{0,2}}{AWAY}|not\s+(?:\w+\s+){{0,2}}{AWAY}", folded):
        d.away_work = away.group(0)


def _stated_office_days(head: str, folded: str) -> int | None:
    """The days a week at the workplace the title line or the text states, title line first."""
    for source in (head, folded):
        m = _OFFICE_DAYS.search(source) if _DAY_WORD.search(source) else None
        if m:
            return number(next(g for g in m.groups() if g))
    return None


def _office_days(d: Demands, posting: Posting, head: str, folded: str) -> None:
    """Days a week at the workplace: as stated, five when it says full time on site, and five for a
    posting that is not remote and says nothing of hybrid or remote work (an on-site job)."""
    days = _stated_office_days(head, folded)
    if days is not None and 1 <= days <= 7:
        d.office_days = days
        d.evidence["office_days"] = f"{days} days a week at the workplace"
    if (
        _FIVE_DAYS.search(head)
        or _FIVE_DAYS.search(folded)
        or (re.search(ONSITE, head) and d.office_days is None and posting.remote is False)
    ):
        d.office_days = max(d.office_days or 0, 5)
        d.evidence.setdefault("office_days", "on site full time")
    if (
        posting.remote is False
        and d.office_days is None
        and not re.search(r"hybrid|remote|teletravail|remoto|hibrido", head)
    ):
        d.office_days = 5  # an on-site job unless it says otherwise


_SOFT_SCHEDULE = re.compile(
    r"on[- ]call|occasional|if\s+needed|optional|voluntary|rare(?:ly)?|closed\s+(?:overnight|at\s+night)|"
    r"ferme\w*\s+la\s+nuit|cerrad[oa]\s+por\s+la\s+noche|per\s+diem\s+for\s+overnight|overnight\s+(?:trips|stays|travel)|"
    r"night\s+(?:hours|time)\s*:|facultati\w+|opcional|nach\s+wahl|au\s+choix|a\s+elegir|of\s+your\s+choice|"
    r"you\s+(?:can\s+)?choose|waehl|wahlen|possible|moglich|separate[nm]?\s+(?:team|pool)|(?:covered|abgedeckt|couverts?|cubiertos?)\b|"
    r"dauernachtwach|night\s+team|equipe\s+de\s+nuit|entscheiden\s+sie|you\s+decide|vous\s+choisissez|usted\s+elige|可选择|自选|"
    # Pay for nights is a benefit line, not a schedule: "Shift differentials for evenings, nights and weekends".
    r"differentials?|premiums?\s+for|shift\s+allowance|enhanced\s+(?:pay|rates?)|prime\s+de\s+nuit|majoration|plus\s+de\s+nocturnidad"
    r"|nachtzuschl\w*|zuschl[a]?ge?\s+f[u]?r|夜班补贴|夜班津贴"
)


def _negated_at(low: str, start: int) -> bool:
    """A negation in the same clause as a schedule word, before ("No evening, weekend or overnight
    shifts") or after it ("Nachtdienste gibt es in diesem Modell nicht")."""
    before = re.split(r"[.;:!?]|\bbut\b|\bmais\b|\bpero\b|\baber\b", low[max(0, start - 60) : start])[-1]
    after = re.split(r"[.;:!?,]|\bbut\b|\bmais\b|\bpero\b|\baber\b", low[start : start + 80])[0]
    return (
        re.search(NEGATION, before) is not None
        or re.search(r"\b(?:nicht|not|pas|no|nunca|never)\b", after) is not None
    )


def _schedule(d: Demands, pairs: list[tuple[str, str]]) -> None:
    for sentence, low in pairs:
        if not (_NIGHTS_RE.search(low) or _ROTATION_RE.search(low)):
            continue
        if _NEGATED_SCHEDULE.search(low) or _SOFT_SCHEDULE.search(low):
            continue
        night = re.search(NIGHTS, low)
        if night and not _negated_at(low, night.start()):
            d.nights = d.nights or sentence.strip()
        rot = re.search(ROTATION, low)
        if rot and not re.search(r"on[- ]call\s+rota", low) and not _negated_at(low, rot.start()):
            d.rotating = d.rotating or sentence.strip()


def _rights(d: Demands, pairs: list[tuple[str, str]]) -> None:
    for sentence, low in pairs:
        if not _WORK_COUNTRY.search(low):
            continue
        if re.search(
            r"we\s+(?:can|will|do)\s+(?:offer\s+|provide\s+)?sponsor|sponsorship\s+(?:is\s+)?available|visa\s+(?:is\s+)?provided|we\s+sponsor",
            low,
        ):
            continue
        countries = {
            p.country
            for p in find_places(sentence)
            if p.kind in {"country", "admin1", "region"} and p.country
        }
        for m in re.finditer(r"\b(EU|EEA|European Union|UE)\b", sentence):
            countries |= set(region_countries(m.group(1)) or ())
        if countries:
            d.work_countries |= countries
            d.evidence["work_rights"] = sentence.strip()


def _contract(d: Demands, posting: Posting, head: str, folded: str) -> None:
    seasonal = re.search(SEASONAL, head) or re.search(
        rf"(?:contrat|contract|contrato|cdd)[^.\n]{{0,30}}{SEASONAL}|{SEASONAL}[^.\n]{{0,20}}(?:contract|contrat|cdd)",
        folded,
    )
    if seasonal:
        d.seasonal = seasonal.group(0)
    temp = re.search(TEMPORARY, head)
    if temp:
        d.temporary = temp.group(0)


def _language_demand(d: Demands, sentence: str, low: str) -> None:
    langs = find_languages(sentence)
    if not langs:
        return
    required = (low.startswith("§ ") or _REQUIRED_RE.search(low)) and not _OPTIONAL_RE.search(low)
    level = level_of(sentence)
    strong = _STRONG_LANGUAGE.search(low)
    if not (required or strong):
        return
    if strong and not required and re.search(r"good|basic|plus|advantage|asset|nice", low):
        return
    for code, *_ in langs:
        d.languages.append((code, level or (5 if strong else 4), sentence.strip()))


def _alternatives(sentence: str) -> list[str]:
    """ "New York or England & Wales qualified" -> the two ways of meeting the requirement."""
    parts = re.split(r"\s+or\s+|\s+ou\s+|\s+o\s+|\s+oder\s+|\s+ou\s+|或", sentence)
    return [p for p in parts if p.strip()] if len(parts) > 1 else [sentence]
