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


def _amount(number: str, unit: str | None) -> float:
    value = float(number.replace(",", "")) if number.count(",") or "." not in number else float(number)
    return value * (1000 if unit in ("k", "K") else 10_000 if unit == "万" else 1)


def parse_salary(text: str | None) -> Salary | None:
    """None when no amount can be read; the period defaults to a year for large figures, an hour for small."""
    if not text:
        return None
    currency = next(
        (code for sym, code in sorted(CURRENCIES.items(), key=lambda kv: -len(kv[0])) if sym in text), None
    )
    found = [(n, u) for n, u in _NUMBER.findall(text) if n.replace(",", "").replace(".", "").isdigit()][:2]
    if len(found) == 2 and found[1][1] and not found[0][1]:
        found[0] = (found[0][0], found[1][1])  # "25-35万", "45-55k": the unit applies to both ends
    amounts = [a for a in (_amount(n, u) for n, u in found) if a > 0]
    if currency is None and re.search(r"[\u4e00-\u9fff]", text):
        currency = "CNY"
    if not amounts:
        return None
    period = next((p for pattern, p in _PERIOD if pattern.search(text)), None)
    if period is None:
        period = (
            "hour"
            if max(amounts) < 200
            else "month"
            if currency == "CNY" and max(amounts) < 200_000
            else "year"
        )
    return Salary(min=min(amounts), max=max(amounts), currency=currency, period=period)
