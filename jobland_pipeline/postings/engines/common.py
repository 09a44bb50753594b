"""What every engine needs to turn an answer into Postings: text repair, dates, flags, filters, ids."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from pydantic import ValidationError

from jobland_pipeline.mojibake import fix_mojibake
from jobland_pipeline.postings.engines.base import SearchQuery
from jobland_pipeline.postings.geo import parse_place
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.normalize import clean_description
from jobland_pipeline.postings.salary import parse_salary
from jobland_pipeline.textutil import clean_posting_text, tokens

MAX_TITLE = 300
MAX_COMPANY = 200
MAX_LOCATION = 300
MAX_DESCRIPTION = 60_000
# What reading an item whose fields have unexpected types raises (a string where an object was expected...)
MALFORMED = (AttributeError, IndexError, KeyError, TypeError, ValueError)

ATS_HOSTS = (
    "greenhouse.io",
    "lever.co",
    "ashbyhq.com",
    "myworkdayjobs.com",
    "myworkdaysite.com",
    "workable.com",
    "smartrecruiters.com",
    "icims.com",
    "jobvite.com",
    "bamboohr.com",
    "recruitee.com",
    "teamtailor.com",
    "personio.de",
    "personio.com",
)

# --------------------------------------------------------------------------- text


def clean_line(text: object) -> str:
    """One line of plain text (titles, companies, locations): tags, entities, controls, runs of space."""
    if text is None:
        return ""
    value = fix_mojibake(str(text))
    if "<" in value or "&" in value:
        value = clean_description(value)
    value = unicodedata.normalize("NFKC", value)
    value = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    return " ".join(value.split())


def clean_text(text: object) -> str:
    """Description text: mojibake repaired, HTML to plain text, capped at the schema's limit."""
    if not text:
        return ""
    return clean_posting_text(fix_mojibake(str(text)))[:MAX_DESCRIPTION]


def slug_to_name(slug: str) -> str:
    """``acme-health`` -> ``Acme Health`` (board tokens as company names)."""
    words = re.split(r"[-_\s.]+", slug.strip())
    return " ".join(w[:1].upper() + w[1:] for w in words if w)


# --------------------------------------------------------------------------- dates

_RELATIVE = re.compile(
    r"(?P<n>\d+|an?|one)\+?\s*(?P<unit>minute|min|hour|hr|day|week|wk|month|mo|year|yr)s?\s+ago", re.I
)
_RELATIVE_ZH = re.compile(r"(?P<n>\d+)\s*(?P<unit>分钟|小时|天|周|个月|月|年)前")
_UNIT_DAYS = {
    "minute": 0,
    "min": 0,
    "hour": 0,
    "hr": 0,
    "day": 1,
    "week": 7,
    "wk": 7,
    "month": 30,
    "mo": 30,
    "year": 365,
    "yr": 365,
    "分钟": 0,
    "小时": 0,
    "天": 1,
    "周": 7,
    "个月": 30,
    "月": 30,
    "年": 365,
}


_TODAY_WORDS = frozenset({"today", "just posted", "just now", "new", "今天", "刚刚"})
_YESTERDAY_WORDS = frozenset({"yesterday", "昨天"})


def parse_date(value: object, *, today: date | None = None) -> date | None:
    """ISO dates/timestamps, epoch seconds or milliseconds, and "3 days ago"; None when unreadable."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return _epoch_date(value)
    return _text_date(str(value).strip(), today)


def _epoch_date(value: int | float) -> date | None:
    """Epoch seconds, or milliseconds when the number is too large for seconds."""
    seconds = value / 1000 if value > 10_000_000_000 else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def _text_date(text: str, today: date | None) -> date | None:
    """Epoch digits, an ISO date or timestamp (a broken one is None), else a relative date."""
    if re.fullmatch(r"\d{9,13}", text):
        return _epoch_date(int(text))
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    return _relative_date(text, today or datetime.now(UTC).date())


def _relative_date(text: str, base: date) -> date | None:
    """ "today", "yesterday", "3 days ago", "3天前" counted back from ``base``; None otherwise."""
    lowered = text.lower()
    if lowered in _TODAY_WORDS:
        return base
    if lowered in _YESTERDAY_WORDS:
        return base - timedelta(days=1)
    found = _RELATIVE.search(lowered) or _RELATIVE_ZH.search(text)
    if not found:
        return None
    n = found.group("n")
    count = 1 if n in {"a", "an", "one"} else int(n)
    return base - timedelta(days=count * _UNIT_DAYS[found.group("unit")])


# --------------------------------------------------------------------------- flags

_EMPLOYMENT = (
    (re.compile(r"intern(ship)?\b|实习|trainee", re.I), "internship"),
    (re.compile(r"part[\s_-]?time|parttime|兼职", re.I), "part_time"),
    (re.compile(r"\btemp(orary)?\b|seasonal|临时", re.I), "temporary"),
    (re.compile(r"contract(or)?|freelance|fixed[\s-]term|consultant|per diem|外包|合同工", re.I), "contract"),
    (re.compile(r"full[\s_-]?time|fulltime|permanent|regular|全职", re.I), "full_time"),
)


def employment_type(*values: object) -> str | None:
    """full_time | part_time | contract | temporary | internship from an engine's field(s), else None."""
    for value in values:
        if not value:
            continue
        text = " ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
        for pattern, kind in _EMPLOYMENT:
            if pattern.search(text):
                return kind
    return None


_EMPLOYMENT_IN_TEXT = re.compile(
    r"\b(full[\s-]time|part[\s-]time|internship|contract(?:or)?\s+(?:role|position|basis|assignment)"
    r"|fixed[\s-]term|temporary\s+(?:role|position|assignment|contract))\b",
    re.I,
)


def employment_type_in_text(text: str) -> str | None:
    """The first explicit employment-type phrase in free text ("full-time", "contract role"...)."""
    found = _EMPLOYMENT_IN_TEXT.search(text or "")
    return employment_type(found.group(0)) if found else None


_HYBRID = re.compile(r"\bhybrid\b|混合办公", re.I)
_REMOTE = re.compile(
    r"\b(remote|work from home|wfh|work from anywhere|telecommute|distributed|anywhere)\b|远程|居家办公", re.I
)
_ONSITE = re.compile(r"\b(on[\s-]?site|in[\s-]office|in[\s-]person)\b", re.I)


def remote_flag(*texts: object) -> bool | str:
    """True / False / "hybrid" from short fields (location, title, work-model chips)."""
    joined = " | ".join(str(t) for t in texts if t)
    if _HYBRID.search(joined):
        return "hybrid"
    return bool(_REMOTE.search(joined) and not re.search(r"\bno(t)?\s+remote\b", joined, re.I))


def workplace_flag(value: object) -> bool | str | None:
    """An ATS work-model field (remote | hybrid | on-site | unspecified) -> flag, None when unspecified."""
    if not value:
        return None
    text = str(value).lower().replace("_", "").replace("-", "").replace(" ", "")
    if text in {"remote", "fullyremote"}:
        return True
    if text == "hybrid":
        return "hybrid"
    if text in {"onsite", "inoffice", "office"}:
        return False
    return None


# --------------------------------------------------------------------------- salary

_SALARY_SNIPPET = re.compile(
    r"(?:(?:US)?\$|£|€|USD|GBP|EUR)\s?\d[\d,.]*\s?[kK]?"
    r"(?:\s*(?:-|–|—|to)\s*(?:(?:US)?\$|£|€|USD|GBP|EUR)?\s?\d[\d,.]*\s?[kK]?)?"
    r"(?:\s*(?:USD|GBP|EUR))?"
    r"(?:\s*(?:per|an?|/)\s*(?:year|yr|annum|hour|hr|month|week|day))?",
)


def salary_from_text(text: str) -> str | None:
    """The first salary-looking snippet in free text ("$120,000 - $150,000 per year"), or None."""
    for match in _SALARY_SNIPPET.finditer(text or ""):
        snippet = match.group(0).strip()
        parsed = parse_salary(snippet)
        if parsed is not None and parsed.max >= 10:
            return snippet
    return None


def salary_fields(text: str | None) -> dict[str, object]:
    """Posting salary fields from a salary string."""
    parsed = parse_salary(text)
    if parsed is None:
        return {"salary": text or None}
    return {
        "salary": text,
        "salary_min": parsed.min,
        "salary_max": parsed.max,
        "salary_currency": parsed.currency,
        "salary_period": parsed.period,
    }


_PERIODS = (("hour", "hour"), ("day", "day"), ("week", "week"), ("month", "month"), ("year", "year"))


def period_of(interval: object) -> str | None:
    """Lever ``per-year-salary`` / Ashby ``1 YEAR`` / ``yearly`` -> year | month | week | day | hour."""
    text = str(interval or "").lower()
    text = text.replace("annual", "year").replace("yearly", "year").replace("hourly", "hour")
    return next((period for word, period in _PERIODS if word in text), None)


def format_salary(low: float | None, high: float | None, currency: str | None, period: str | None) -> str:
    def num(v: float) -> str:
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"

    if high is None or low == high:
        assert low is not None, "a salary range needs at least one bound"
        amount = num(low)
    else:
        amount = f"{num(low)} - {num(high)}" if low else num(high)
    return " ".join(p for p in (currency, amount, f"per {period}" if period else None) if p)


# --------------------------------------------------------------------------- links


def is_ats_link(url: str | None) -> bool:
    host = (urlsplit(url or "").hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in ATS_HOSTS)


def pick_apply_url(links: Iterable[str | None]) -> str | None:
    """The direct ATS link when one exists, else the first link."""
    kept = [link for link in links if link and link.startswith(("http://", "https://"))]
    return next((link for link in kept if is_ats_link(link)), kept[0] if kept else None)


# --------------------------------------------------------------------------- matching

_SENIORITY = {
    "senior",
    "sr",
    "junior",
    "jr",
    "lead",
    "principal",
    "staff",
    "head",
    "chief",
    "mid",
    "entry",
    "level",
    "ii",
    "iii",
    "iv",
    "i",
    "intern",
}


def _wanted(phrase: str) -> set[str]:
    found = set(tokens(phrase))
    core = found - _SENIORITY
    return core or found


def title_matches(posting_title: str, query: SearchQuery) -> bool:
    """The searched title (or any keyword) as words of the posting title, case-insensitive.

    Seniority words of the search are optional ("Senior Data Engineer" finds "Data Engineer II").
    """
    have = set(tokens(posting_title))
    for phrase in (query.title, *query.keywords):
        wanted = _wanted(phrase)
        if wanted and wanted <= have:
            return True
    return False


def place_matches(posting: Posting, query: SearchQuery, *, today: date | None = None) -> bool:
    """Remote / location / age filters of a query on a normalised posting."""
    if query.remote is True and posting.remote is not True:
        return False
    if query.remote is False and posting.remote is True:
        return False
    if query.posted_within_days is not None and posting.posted_at is not None:
        base = today or datetime.now(UTC).date()
        if (base - posting.posted_at).days > query.posted_within_days:
            return False
    if not query.location or posting.remote is True:
        return True
    wanted = parse_place(query.location)
    where = posting.location.lower()
    if wanted.city and wanted.city.lower() in where:
        return True
    if not wanted.city and wanted.remote:
        return posting.remote is not False
    return False


# --------------------------------------------------------------------------- building postings


def posting_id(source: str, source_id: str) -> str:
    safe = re.fullmatch(r"[\w.:-]{1,120}", source_id)
    return (
        f"{source}-{source_id}" if safe else f"{source}-{hashlib.sha1(source_id.encode()).hexdigest()[:16]}"
    )


class Collector:
    """Builds Postings from drafts and counts why items were dropped or degraded."""

    def __init__(self, source: str, today: date) -> None:
        self.source = source
        self.today = today
        self.postings: list[Posting] = []
        self.dropped: Counter[str] = Counter()
        self.raw = 0
        self._seen: set[str] = set()

    def take(self, build: Callable[[], object]) -> object:
        """``build()`` for one item of an answer (it calls :meth:`add`); an item whose fields have
        unexpected types (``"location": "Chicago"`` where an object was expected) is counted as
        ``malformed_item`` and left out instead of failing the whole answer. Returns what ``build``
        returned, or None."""
        before = self.raw
        try:
            return build()
        except MALFORMED:
            self.raw = before + 1
            self.dropped["malformed_item"] += 1
            return None

    def add(
        self,
        *,
        source_id: object,
        title: object,
        company: object,
        raw_date: object = None,
        **fields: object,
    ) -> Posting | None:
        """Validate one item; None (and a counted reason) when it cannot be a posting."""
        self.raw += 1
        title_text = clean_line(title)
        company_text = clean_line(company)
        if not title_text:
            self.dropped["missing_title"] += 1
            return None
        if len(title_text) > MAX_TITLE:
            self.dropped["title_too_long"] += 1
            return None
        if not company_text:
            self.dropped["missing_company"] += 1
            return None
        sid = (
            str(source_id or "").strip()
            or hashlib.sha1(f"{title_text}|{company_text}|{fields.get('url')}".encode()).hexdigest()[:16]
        )
        posted = parse_date(raw_date, today=self.today)
        if raw_date not in (None, "") and posted is None:
            self.dropped["bad_date"] += 1  # kept, without a date
        description = str(fields.pop("description", "") or "")
        if not description:
            self.dropped["missing_description"] += 1  # kept, with an empty description
        location = clean_line(fields.pop("location", ""))[:MAX_LOCATION]
        pid = posting_id(self.source, sid)
        if pid in self._seen:
            self.dropped["duplicate"] += 1
            return None
        try:
            posting = Posting(
                id=pid,
                title=title_text,
                company=company_text[:MAX_COMPANY],
                location=location,
                posted_at=posted,
                description=description[:MAX_DESCRIPTION],
                source=self.source,
                source_id=sid,
                **fields,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            field = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "item"
            self.dropped[f"invalid_{field}"] += 1
            return None
        self._seen.add(pid)
        self.postings.append(posting)
        return posting


def json_kind(value: object) -> str:
    """The JSON type of a decoded value, for messages ("an object", "a string", "null"...)."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def unescape(value: object) -> str:
    return html.unescape(str(value or ""))


def structured_salary(
    low: object, high: object, currency: object, period: str | None, text: str | None = None
) -> dict[str, object]:
    """Posting salary fields from an ATS's structured range (falls back to parsing ``text``)."""

    def number(value: object) -> float | None:
        try:
            result = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return result if result > 0 else None

    lo, hi = number(low), number(high)
    if lo is None and hi is None:
        return salary_fields(text)
    lo, hi = lo if lo is not None else hi, hi if hi is not None else lo
    assert lo is not None and hi is not None
    lo, hi = min(lo, hi), max(lo, hi)
    code = str(currency).upper() if currency else None
    return {
        "salary": text if text and parse_salary(text) else format_salary(lo, hi, code, period),
        "salary_min": lo,
        "salary_max": hi,
        "salary_currency": code,
        "salary_period": period or ("hour" if hi < 200 else "year"),
    }
