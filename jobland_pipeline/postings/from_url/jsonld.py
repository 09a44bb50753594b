"""The schema.org ``JobPosting`` a posting page embeds as JSON-LD, read into posting fields.

Greenhouse, Lever, Ashby, Workday, Built In and most ATS pages put one ``<script
type="application/ld+json">`` on a job page for search engines' job listings: the structured data
says the title, company, places, remote eligibility, pay and date more reliably than any text
extraction could. A block may hold the posting itself, a list, or an ``@graph``; every block is parsed
within the project's JSON limits (:func:`jobland_pipeline.jsonlimits.parse`: size, then nesting
before ``json`` builds anything), and a block that cannot be read is noted and skipped, never fatal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from jobland_pipeline.jsonlimits import JsonLimitError, parse
from jobland_pipeline.postings.engines.common import (
    MAX_LOCATION,
    clean_line,
    clean_text,
    employment_type,
    parse_date,
    period_of,
    structured_salary,
)

__all__ = ["MAX_BLOCK_CHARS", "job_postings", "posting_fields"]

MAX_BLOCK_CHARS = 1_000_000
"""One JSON-LD block; a posting's is a few KB to ~60 KB (its description is HTML)."""
MAX_BLOCKS = 20
JSONLD_DEPTH = 32
_NODES_WALKED = 10_000
_WHITESPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def job_postings(root: HtmlElement, notes: list[str]) -> list[dict[str, Any]]:
    """Every ``JobPosting`` object in the page's JSON-LD, in page order; unreadable blocks are noted."""
    found: list[dict[str, Any]] = []
    blocks = [s for s in root.iter("script") if _is_jsonld(s.get("type"))]
    for number, script in enumerate(blocks[:MAX_BLOCKS], start=1):
        text = _block_text(script.text or "")
        if len(text) > MAX_BLOCK_CHARS:
            notes.append(f"JSON-LD block {number}: {len(text):,} characters, over {MAX_BLOCK_CHARS:,}")
            continue
        try:
            data = parse(text, f"JSON-LD block {number}", max_depth=JSONLD_DEPTH)
        except JsonLimitError as exc:
            notes.append(str(exc))
            continue
        found.extend(_job_nodes(data))
    return found


def _is_jsonld(kind: str | None) -> bool:
    return (kind or "").split(";", 1)[0].strip().lower() == "application/ld+json"


def _block_text(text: str) -> str:
    """The block without an HTML comment or CDATA wrapper; raw line breaks and tabs (which some sites
    leave inside strings, where JSON forbids them) read as spaces."""
    text = text.strip()
    for start, end in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if text.startswith(start) and text.endswith(end):
            text = text[len(start) : -len(end)].strip()
    return text.translate(_WHITESPACE)


def _type_names(node: dict[str, Any]) -> set[str]:
    """``JobPosting`` for ``"JobPosting"``, ``"schema:JobPosting"``, ``"https://schema.org/JobPosting"``."""
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {str(n).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for n in names if isinstance(n, str)}


def _job_nodes(data: object) -> Iterator[dict[str, Any]]:
    """JobPosting objects anywhere in a block (top level, a list, ``@graph``, ``mainEntity``, an
    ``ItemList``...), without looking inside a posting; at most ``_NODES_WALKED`` nodes visited."""
    stack: list[object] = [data]
    walked = 0
    while stack and walked < _NODES_WALKED:
        node = stack.pop()
        walked += 1
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if "JobPosting" in _type_names(node):
                yield node
            else:
                stack.extend(reversed([v for v in node.values() if isinstance(v, dict | list)]))


# --------------------------------------------------------------------------- fields


def posting_fields(node: dict[str, Any]) -> dict[str, Any]:
    """Posting fields from one JobPosting (title, company, location, remote, employment type, date,
    salary, description, url, source id); a field the node does not carry is left out."""
    fields: dict[str, Any] = {
        "title": clean_line(_text(node.get("title") or node.get("name"))),
        "company": clean_line(_name(node.get("hiringOrganization"))),
        "description": clean_text(_text(node.get("description"))),
        "employment_type": employment_type(node.get("employmentType")),
        "posted_at": parse_date(_text(node.get("datePosted"))[:10] or None),
        "source_id": _identifier(node.get("identifier")),
        "url": _http_url(node.get("url")),
    }
    remote = _telecommute(node.get("jobLocationType"))
    location = _places(node.get("jobLocation"))
    if not location and remote:
        location = _places(node.get("applicantLocationRequirements"))
    fields["location"] = location[:MAX_LOCATION]
    if remote:
        fields["remote"] = True
    fields.update(_salary(node.get("baseSalary") or node.get("estimatedSalary")))
    return {k: v for k, v in fields.items() if v not in (None, "", {})}


def _text(value: object) -> str:
    """A string field (a list's first string; ``{"@value": ...}`` unwrapped)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | dict)), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return value.strip() if isinstance(value, str) else ""


def _name(value: object) -> str:
    """An Organization's name, or the string given in its place."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("legalName"))
    return _text(value)


def _identifier(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("value") or value.get("@id")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return clean_line(value)[:120] or None


def _http_url(value: object) -> str | None:
    text = _text(value)
    return text[:2000] if urlsplit(text).scheme in ("http", "https") and urlsplit(text).netloc else None


def _telecommute(value: object) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and v.strip().upper() == "TELECOMMUTE" for v in values)


def _places(value: object) -> str:
    """``"Locality, Region, Country"`` per place (a Place, a PostalAddress, a Country or a string),
    several places joined with ``" / "``."""
    items = value if isinstance(value, list) else [value]
    places = [p for p in (_place(item) for item in items[:20]) if p]
    return " / ".join(dict.fromkeys(places))


def _place(item: object) -> str:
    if isinstance(item, str):
        return clean_line(item)
    if not isinstance(item, dict):
        return ""
    address = item.get("address", item)
    if isinstance(address, list):
        address = address[0] if address else {}
    if isinstance(address, str):
        return clean_line(address)
    if not isinstance(address, dict):
        return ""
    parts = [_text(address.get(k)) for k in ("addressLocality", "addressRegion", "addressCountry")]
    parts = [clean_line(p) for p in parts if p]
    if not parts:
        parts = [clean_line(_text(item.get("name")))]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def _salary(value: object) -> dict[str, object]:
    """``baseSalary`` (a MonetaryAmount whose ``value`` is a QuantitativeValue or a number) as the
    posting's salary fields."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict):
        return {}
    amount = value.get("value")
    unit = value.get("unitText")
    if isinstance(amount, dict):
        unit = amount.get("unitText") or unit
        low = amount.get("minValue", amount.get("value"))
        high = amount.get("maxValue", amount.get("value"))
    else:
        low = high = amount
    currency = value.get("currency")
    currency = currency.strip()[:3] if isinstance(currency, str) and currency.strip() else None
    fields = structured_salary(low, high, currency, period_of(unit))
    return fields if fields.get("salary_min") is not None else {}
