"""Just enough geography to compare a user's location with a posting's: city, region, country."""

from __future__ import annotations

import re
from dataclasses import dataclass

US_STATES = {
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "DC",
}
COUNTRY_WORDS = {
    "US": ("usa", "united states", "u.s.", "us"),
    "GB": (
        "uk",
        "united kingdom",
        "england",
        "scotland",
        "wales",
        "london",
        "manchester",
        "birmingham",
        "edinburgh",
        "bristol",
        "leeds",
    ),
    "DE": ("germany", "deutschland", "berlin", "munich", "münchen", "hamburg", "frankfurt"),
    "NL": ("netherlands", "amsterdam", "rotterdam", "utrecht"),
    "IE": ("ireland", "dublin"),
    "FR": ("france", "paris"),
    "CA": ("canada", "toronto", "vancouver", "montreal"),
    "CN": (
        "china",
        "中国",
        "北京",
        "上海",
        "深圳",
        "广州",
        "杭州",
        "成都",
        "南京",
        "武汉",
        "苏州",
        "西安",
        "天津",
    ),
    "KW": ("kuwait",),
}


@dataclass(frozen=True)
class Place:
    city: str | None
    region: str | None
    country: str | None
    remote: bool


def parse_place(text: str | None) -> Place:
    if not text:
        return Place(None, None, None, False)
    lowered = text.lower()
    remote = bool(re.search(r"\bremote\b|远程", lowered))
    parts = [p.strip() for p in re.split(r"[,/|·]", text) if p.strip()]
    city = None if not parts or parts[0].lower() in {"remote", "anywhere"} else parts[0]
    region = next((p.upper() for p in parts[1:] if p.upper() in US_STATES), None)
    country = "US" if region else None
    if country is None:
        for code, words in COUNTRY_WORDS.items():
            if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered) for w in words):
                country = code
                break
    return Place(city=city, region=region, country=country, remote=remote)


def place_match(user: Place, posting: Place) -> float:
    """1.0 same city, 0.7 same region, 0.5 same country, 0.1 elsewhere, 0.4 when unknown."""
    if user.country is None or (posting.country is None and posting.city is None):
        return 0.4
    if user.city and posting.city and user.city.lower() == posting.city.lower():
        return 1.0
    if user.region and user.region == posting.region:
        return 0.7
    if user.country == posting.country:
        return 0.5
    return 0.1
