"""Contact details from the top of a CV (and labelled fields anywhere)."""

from __future__ import annotations

import re

from jobland_pipeline.lexicon.hanzi import to_simplified
from jobland_pipeline.profiles.dates import RANGE_RE
from jobland_pipeline.profiles.models import Contact
from jobland_pipeline.profiles.roles import TITLE_WORDS
from jobland_pipeline.profiles.sections import match_heading

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_RE = re.compile(r"(?<![\w.])(\(?\+?\(?\d[\d\s().\-]{7,}\d)(?![\w.])")
URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?(?:linkedin\.com|github\.com|gitlab\.com)/[^\s|,;)]+|https?://[^\s|,;)]+"
)
LABEL_RE = re.compile(
    r"(姓名|电话|手机|联系电话|邮箱|电子邮件|电子邮箱|所在地|居住地|现居地|现居|地址|城市|Name|Phone|Telefon|Tel|Téléphone|Telefono|Teléfono|Mobile|Móvil|Portable|E-?mail|Correo|Courriel|Address|Adresse|Dirección|Direccion|Ubicación|Ubicacion|Location|Localisation|Ville|Ciudad|Residencia|Wohnort|Standort|Anschrift)\s*[:：]\s*([^|｜\t]+?)(?=\s{2,}|[|｜\t]|$|\s+(?:姓名|电话|手机|邮箱|所在地|地址)\s*[:：])",
    re.IGNORECASE,
)
CITY_STATE_RE = re.compile(
    r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)*,\s*(?:[A-Z]{2}|UK|United Kingdom|USA|England|Germany|Netherlands))\b"
)
CN_CITY_RE = re.compile(r"(北京|上海|深圳|广州|杭州|成都|南京|武汉|西安|苏州|天津|重庆)")


def _phone(text: str) -> str | None:
    for match in PHONE_RE.finditer(text):
        candidate = match.group(1).strip()
        digits = re.sub(r"\D", "", candidate)
        if (
            9 <= len(digits) <= 15
            and not RANGE_RE.search(candidate)
            and not re.fullmatch(r"(19|20)\d\d", digits[:4])
        ):
            return candidate
    return None


_EMAIL_LABELS = ("e-mail", "email", "邮箱", "电子邮箱", "correo", "courriel", "电子邮件")
_PHONE_LABELS = ("电话", "手机", "phone", "mobile", "tel", "téléphone", "teléfono", "telefono", "móvil")
_LOCATION_LABELS = (
    "所在地",
    "居住地",
    "现居地",
    "现居",
    "城市",
    "地址",
    "location",
    "address",
    "adresse",
    "ubicación",
    "ubicacion",
    "localisation",
    "ville",
    "ciudad",
    "dirección",
    "direccion",
    "residencia",
    "wohnort",
    "standort",
    "anschrift",
)


def _labelled(full_text: str) -> dict[str, str]:
    """Labelled fields ("Phone: …", "邮箱：…") of the first 60 lines, the first of each label."""
    labelled: dict[str, str] = {}
    for line in full_text.split("\n")[:60]:
        for m in LABEL_RE.finditer(to_simplified(line)):  # same length: spans point into the original
            labelled.setdefault(m.group(1).lower(), line[m.start(2) : m.end(2)].strip())
    return labelled


def _first_labelled(labelled: dict[str, str], labels: tuple[str, ...]) -> str | None:
    """The value of the first of ``labels`` the CV uses (even when empty)."""
    return next((labelled[k] for k in labels if k in labelled), None)


# A line about somebody else: a referee, a reference, a manager, a recommender, a referral.
_OTHER_PERSON = re.compile(
    r"\b(?:refer(?:red|ee|ence|ences)|recommend\w*|manager|supervisor|reports?\s+to|reported\s+to|"
    r"contact\s+person|on\s+behalf|c/o|care\s+of|r[ée]f[ée]rences?|referenz\w*|referencias?|推荐人|证明人)\b",
    re.IGNORECASE,
)


def _email(labelled: dict[str, str], header: list[str], name_hint: str | None) -> str | None:
    """The person's own address: labelled in the contact block, else one the contact block gives.

    Only the contact block (the lines before the first section) counts: an address in the body is a
    referee's, a manager's or a quoted one, and sending the person's digest there would hand their CV
    to someone else. A line about another person ("Referred by J. Referee <…>") is skipped. Of several
    addresses, one that carries the person's name wins. None when the block gives none: the digest
    then waits for an address in settings.yaml rather than going to a guess.
    """
    given = next((value for k in _EMAIL_LABELS if (value := labelled.get(k))), None)
    if given and (found := EMAIL_RE.search(given)):
        return found.group(0)
    candidates = [m for line in header if not _OTHER_PERSON.search(line) for m in EMAIL_RE.findall(line)]
    if not candidates:
        return None
    words = [w for w in re.findall(r"[a-z]{3,}", (name_hint or "").lower())]
    named = [c for c in candidates if any(w in c.split("@")[0].lower() for w in words)]
    return (named or candidates)[0]


def _location(labelled: dict[str, str], top: str) -> str | None:
    location = _first_labelled(labelled, _LOCATION_LABELS)
    if location is None:
        m = CITY_STATE_RE.search(top) or CN_CITY_RE.search(top)
        location = m.group(1) if m else None
    return location


def extract_contact(header_lines: list[str], full_text: str) -> Contact:
    header = header_lines or full_text.split("\n")[:8]
    labelled = _labelled("\n".join(header))
    email = _email(labelled, header, _guess_name(header))
    top = "\n".join(header_lines[:12]) or "\n".join(full_text.split("\n")[:12])
    phone = _first_labelled(labelled, _PHONE_LABELS)
    phone = phone or _phone(top) or _phone(full_text[:2000])
    location = _location(labelled, top)
    links = list(dict.fromkeys(u.rstrip(".") for u in URL_RE.findall(full_text) if "@" not in u))[:5]
    name = (
        labelled.get("姓名")
        or labelled.get("name")
        or _guess_name(header_lines or full_text.split("\n")[:5])
        or (_name_from_email(full_text, email) if email else None)
    )
    return Contact(name=name, email=email, phone=phone, location=location, links=links)


# Where contact details start on a name line: "Sourabh Bajaj Email: sourabh@…".
_CONTACT_LABEL = re.compile(
    r"\s+(?=(?:e-?mail|phone|mobile|tel|cell|web|website|linkedin|github)\s*[:：])", re.IGNORECASE
)
_NOT_A_CN_NAME = re.compile(r"简历|履历|求职|个人|信息|意向")


_PARTICLES = frozenset(
    [
        "de",
        "del",
        "della",
        "der",
        "den",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "du",
        "van",
        "von",
        "la",
        "le",
        "bin",
        "binti",
        "al",
        "el",
        "y",
        "e",
        "ten",
        "ter",
    ]
)


def _name_candidate(line: str) -> str:
    """The part of a header line that could be the name: before any separator, contact label,
    e-mail address or link, without post-nominal credentials ("Maria Santos, BSN, RN, CCRN")."""
    candidate = re.split(r"\s*[|｜•·]\s*", line)[0].strip()
    candidate = _CONTACT_LABEL.split(candidate, maxsplit=1)[0]
    contact = EMAIL_RE.search(candidate) or URL_RE.search(candidate)
    if contact and contact.start() > 0:  # "Jane Doe jane@example.com"
        candidate = candidate[: contact.start()].strip()
    head, _, tail = candidate.partition(",")
    if tail and all(re.fullmatch(r"[A-Z][A-Za-z.-]{1,7}", t.strip()) for t in tail.split(",")):
        candidate = head.strip()
    return candidate


def _never_a_name(candidate: str) -> bool:
    """A place, contact detail, heading or anything with a digit."""
    if CITY_STATE_RE.fullmatch(candidate):
        return True
    if not candidate or EMAIL_RE.search(candidate) or URL_RE.search(candidate) or _phone(candidate):
        return True
    return bool(match_heading(candidate)) or any(ch.isdigit() for ch in candidate)


def _han_name(candidate: str, first_line: bool) -> bool:
    """Two to four Han characters (five or six alone on the first line), not a CV word or headline."""
    han = re.fullmatch(r"[\u4e00-\u9fff]{2,4}", candidate) or (
        first_line and re.fullmatch(r"[\u4e00-\u9fff]{5,6}", candidate)  # a longer name alone on line 1
    )
    return bool(han) and not _NOT_A_CN_NAME.search(candidate) and not _is_headline(candidate)


def _latin_name(candidate: str) -> bool:
    """Two to five capitalised words (particles aside), not a headline."""
    words = candidate.split()
    return (
        2 <= len(words) <= 5
        and all(w[:1].isupper() or not w[:1].isalpha() or w.lower() in _PARTICLES for w in words)
        and words[0][:1].isupper()
        and not _is_headline(candidate)
    )


def _guess_name(lines: list[str]) -> str | None:
    for n, line in enumerate(lines[:6]):
        candidate = _name_candidate(line)
        if _never_a_name(candidate):
            continue
        if _han_name(candidate, first_line=n == 0):
            return candidate
        if re.match(r"^[^:：]{1,25}[:：]", candidate):
            continue  # "Location: Amsterdam, Netherlands" is a labelled field, not a name
        if _latin_name(candidate):
            return candidate.title() if candidate.isupper() else candidate
    return None


def _is_headline(candidate: str) -> bool:
    """True for a headline such as "Senior Software Engineer" (an "RN" credential is no headline)."""
    return any(m.group().lower() != "rn" for m in TITLE_WORDS.finditer(candidate))


def _name_shaped(line: str) -> bool:
    """Two to four capitalised words, at most 40 characters, no digits."""
    words = line.split()
    if not (2 <= len(words) <= 4) or len(line) > 40 or any(ch.isdigit() for ch in line):
        return False
    return all(w[:1].isupper() for w in words)


def _name_from_email(text: str, email: str) -> str | None:
    """A name-shaped line anywhere whose words all appear in the e-mail address ("John Doe", john.doe@…).

    Two-column and designed CVs sometimes draw the name last, far from the other header lines.
    """
    address = re.sub(r"[^a-z]", "", email.lower().rsplit(".", 1)[0])
    for line in text.split("\n"):
        line = line.strip()
        if not _name_shaped(line):
            continue
        long_words = [re.sub(r"[^a-z]", "", w.lower()) for w in line.split() if len(w.strip(".")) > 1]
        if len(long_words) >= 2 and all(w and w in address for w in long_words):
            return line.title() if line.isupper() else line
    return None
