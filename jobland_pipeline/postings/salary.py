"""Salary strings as postings write them -> min / max / currency / period, and a yearly figure."""

from __future__ import annotations

import re
from dataclasses import dataclass

CURRENCIES = {
    "$": "USD",
    "US$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "CNY",
    "￥": "CNY",
    "CN¥": "CNY",
    "RMB": "CNY",
    "USD": "USD",
    "GBP": "GBP",
    "EUR": "EUR",
    "CNY": "CNY",
    "元": "CNY",
}
PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}
_PERIOD = [
    (re.compile(r"\b(an?\s+hour|per\s+hour|/\s*h(ou)?r|hourly)\b|/小时|时薪", re.I), "hour"),
    (re.compile(r"\b(a\s+day|per\s+day|/\s*day|daily)\b|/天|日薪", re.I), "day"),
    (re.compile(r"\b(a\s+week|per\s+week|/\s*w(ee)?k|weekly)\b", re.I), "week"),
    (re.compile(r"\b(a\s+month|per\s+month|/\s*mo(nth)?|monthly)\b|/月|月薪|每月", re.I), "month"),
    (re.compile(r"\b(a\s+year|per\s+year|/\s*y(ea)?r|annual(ly)?|p\.?a\.?)\b|年薪|/年", re.I), "year"),
]
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)\s*([kK]|万)?")


@dataclass(frozen=True)
class Salary:
    min: float
    max: float
    currency: str | None
    period: str

    @property
    def yearly_max(self) -> float:
        return self.max * PER_YEAR[self.period]


_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # "45.000", "1.234.567": dots group thousands
_DOT_THOUSANDS_DECIMAL = re.compile(r"\d{1,3}(?:\.\d{3})+,\d{1,2}")  # "1.234,56": then a decimal comma


def _figure(number: str, unit: str | None) -> float | None:
    """The value of a figure as written, None when it cannot be read ("1.2.3").

    Commas group thousands ("85,000", "1,234.56") and a lone dot is decimal ("38.50", "24.5k"), except
    that without a unit, dots followed by groups of three digits are thousands separators, as in most
    of Europe ("€45.000", "1.234.567", "1.234,56")."""
    if not unit and _DOT_THOUSANDS.fullmatch(number):
        return float(number.replace(".", ""))
    if not unit and _DOT_THOUSANDS_DECIMAL.fullmatch(number):
        return float(number.replace(".", "").replace(",", "."))
    try:
        return float(number.replace(",", "")) if "," in number or "." not in number else float(number)
    except ValueError:
        return None


def _amount(number: str, unit: str | None) -> float | None:
    value = _figure(number, unit)
    if value is None:
        return None
    return value * (1000 if unit in ("k", "K") else 10_000 if unit == "万" else 1)


def parse_salary(text: str | None) -> Salary | None:
    """None when no amount can be read; the period defaults to a year for large figures, an hour for small."""
    if not text:
        return None
    currency = _currency(text)
    amounts = _amounts(text)
    if not amounts:
        return None
    period = _stated_period(text) or _default_period(amounts, currency)
    return Salary(min=min(amounts), max=max(amounts), currency=currency, period=period)


_BY_LENGTH = sorted(CURRENCIES.items(), key=lambda kv: -len(kv[0]))  # "US$" before "$", "CN¥" before "¥"
_HANZI = re.compile(r"[\u4e00-\u9fff]")


def _currency(text: str) -> str | None:
    """The currency its longest symbol or code names; Chinese text without one is in yuan."""
    currency = next((code for sym, code in _BY_LENGTH if sym in text), None)
    if currency is None and _HANZI.search(text):
        return "CNY"
    return currency


def _amounts(text: str) -> list[float]:
    """The first two positive amounts, a unit after the second applying to the first too
    ("25-35万", "45-55k")."""
    found = [(n, u) for n, u in _NUMBER.findall(text) if n.replace(",", "").replace(".", "").isdigit()][:2]
    if len(found) == 2 and found[1][1] and not found[0][1]:
        found[0] = (found[0][0], found[1][1])
    return [a for a in (_amount(n, u) for n, u in found) if a is not None and a > 0]


def _stated_period(text: str) -> str | None:
    """The period the text names ("per hour", "/月", "p.a."), the shortest first."""
    return next((p for pattern, p in _PERIOD if pattern.search(text)), None)


def _default_period(amounts: list[float], currency: str | None) -> str:
    """A period for bare figures: small ones are hourly, Chinese pay under 200,000 monthly, the rest yearly."""
    if max(amounts) < 200:
        return "hour"
    if currency == "CNY" and max(amounts) < 200_000:
        return "month"
    return "year"
