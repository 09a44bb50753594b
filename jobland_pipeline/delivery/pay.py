"""The pay seen for a package's title and place, from the postings the user's searches found.

A digest line says what the market pays for the job before the person applies: the postings of the
same search (one suggested title) in the same place that state a parsed salary, in their most common
currency and period (a range mixing euros a year with dollars an hour would say nothing), with how
many postings it rests on. The ``salary_ranges`` warehouse view holds the same figures for analysts
(title × exact location); here the place is the location's first part ("Shanghai, China" and
"Shanghai" are one place). When no posting in that place states pay, the title's range over every
place searched is given, and said to be so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from jobland_pipeline.generation.records import ApplicationPackageRow
from jobland_pipeline.postings.records import JobPostingRow

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥", "INR": "₹", "KRW": "₩"}
_PERIODS = {
    "en": {"year": "a year", "month": "a month", "week": "a week", "day": "a day", "hour": "an hour"},
    "zh": {"year": "每年", "month": "每月", "week": "每周", "day": "每天", "hour": "每小时"},
}
_PLACE_SPLIT = re.compile(r"[,;/|(（，]")


def place_key(location: str | None) -> str:
    """The place a location names, for grouping: its first part, case-folded ('' when none)."""
    return _PLACE_SPLIT.split(location or "", maxsplit=1)[0].strip().casefold()


def _place_label(location: str | None) -> str:
    return _PLACE_SPLIT.split(location or "", maxsplit=1)[0].strip()


@dataclass(frozen=True)
class PayRange:
    """Lowest and highest pay stated by ``postings`` postings (one currency and period)."""

    low: float
    high: float
    currency: str | None
    period: str | None
    postings: int
    place: str | None  # None: every place the title was searched in

    def amount(self, language: str = "en") -> str:
        """'$90,000–120,000 a year' / '每月 ¥8,500–14,000'."""
        symbol = _SYMBOLS.get((self.currency or "").upper())
        figures = _figure(self.low) if self.low == self.high else f"{_figure(self.low)}–{_figure(self.high)}"
        money = f"{symbol}{figures}" if symbol else f"{figures} {self.currency}" if self.currency else figures
        period = _PERIODS["zh" if language == "zh" else "en"].get(self.period or "", "")
        if language == "zh":
            return f"{period} {money}" if period else money
        return f"{money} {period}" if period else money

    def text(self, language: str = "en") -> str:
        """The whole digest line: amount, where, and how many postings it rests on."""
        if language == "zh":
            where = f"在{self.place}" if self.place else "（各地）"
            return f"该职位{where}的薪资：{self.amount('zh')}（基于 {self.postings} 个职位）"
        where = f"in {self.place}" if self.place else "across the places searched"
        count = f"{self.postings} posting{'s' if self.postings != 1 else ''}"
        return f"Pay seen for this title {where}: {self.amount()} (from {count})"


def _figure(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.2f}"


def _bounds(row: JobPostingRow) -> tuple[float, float] | None:
    """(low, high) a posting states; one bound stands for both when only one is given."""
    low = row.salary_min if row.salary_min is not None else row.salary_max
    high = row.salary_max if row.salary_max is not None else row.salary_min
    return None if low is None or high is None else (low, high)


def _range(rows: list[JobPostingRow], place: str | None) -> PayRange | None:
    paid = [(r, b) for r in rows if (b := _bounds(r)) is not None]
    if not paid:
        return None
    kinds = Counter((r.salary_currency, r.salary_period) for r, _ in paid)
    (currency, period), _ = kinds.most_common(1)[0]
    same = [(r, b) for r, b in paid if (r.salary_currency, r.salary_period) == (currency, period)]
    return PayRange(
        low=min(b[0] for _, b in same),
        high=max(b[1] for _, b in same),
        currency=currency,
        period=period,
        postings=len({r.posting_id or r.url or str(id(r)) for r, _ in same}),
        place=place,
    )


def pay_by_posting(
    packages: Iterable[ApplicationPackageRow], postings: Iterable[JobPostingRow]
) -> dict[str, PayRange]:
    """``{posting_id: the pay seen for its title and place}`` for each package that has one."""
    by_search: dict[str, list[JobPostingRow]] = {}
    for row in postings:
        by_search.setdefault(str(row.search_key), []).append(row)
    out: dict[str, PayRange] = {}
    for package in packages:
        rows = by_search.get(str(package.search_key), [])
        place = place_key(package.location)
        here = _range(
            [r for r in rows if place and place_key(r.location) == place], _place_label(package.location)
        )
        found = here or _range(rows, None)
        if found is not None and package.posting_id:
            out[str(package.posting_id)] = found
    return out
