"""Re-posts that exact keys miss: the same job re-published with another title wording or place format.

"Sous-chef (H/F)" in "Paris 10e, France" and "Sous-Chef (F/H) - CDI - Paris 10e" in "Paris,
Île-de-France" are one job: same employer, same city, the same core title once gender markers,
contract words and bracketed tags are dropped, and nearly the same description. The description test
uses the matching tokens (Chinese as character bigrams), so it works in any language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from jobland_pipeline.lexicon.titles import title_similarity
from jobland_pipeline.lexicon.tokens import fold, tokens
from jobland_pipeline.places import resolve
from jobland_pipeline.postings.models import Posting

TITLE_MIN = 0.7
TEXT_MIN = 0.6
_LEGAL = re.compile(
    r"\b(?:inc|llc|ltd|limited|plc|corp|co|gmbh|sa|sl|sas|sarl|bv|pvt|dac|llp|s\.?a\.?|s\.?l\.?)\b\.?"
)


@lru_cache(maxsize=65_536)
def _company(name: str) -> str:
    return re.sub(r"[^\w]", "", _LEGAL.sub("", fold(name)))


@lru_cache(maxsize=65_536)
def _company_words(name: str) -> frozenset[str]:
    return frozenset(tokens(_LEGAL.sub("", fold(name))))


def _place(posting: Posting) -> str:
    return _place_of(posting.location)


@lru_cache(maxsize=65_536)
def _place_of(location: str) -> str:
    place = resolve(location) if location else None
    if place is None:
        return fold(location)
    return f"{place.country}:{place.name}" if place.kind == "city" else f"{place.country}"


def _jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _same_company(a: str, b: str) -> bool:
    """ "Le Bistrot Martinet" and "Bistrot Martinet SAS", "上海衡岳律师事务所" and "衡岳律师事务所（上海）"."""
    ka, kb = _company(a), _company(b)
    if ka == kb or (min(len(ka), len(kb)) >= 4 and (ka in kb or kb in ka)):
        return True
    return _jaccard(_company_words(a), _company_words(b)) >= 0.6


@dataclass
class Memo:
    """What ``near_duplicates`` reads of each posting (by object), kept across calls: a batch of
    searches that share postings reads each one once."""

    places: dict[int, str] = field(default_factory=dict)
    words: dict[int, set[str]] = field(default_factory=dict)

    def place(self, posting: Posting) -> str:
        if id(posting) not in self.places:
            self.places[id(posting)] = "remote" if posting.remote is True else _place(posting)
        return self.places[id(posting)]

    def description_words(self, posting: Posting) -> set[str]:
        if id(posting) not in self.words:
            self.words[id(posting)] = set(tokens(posting.description))
        return self.words[id(posting)]


def near_duplicates(postings: list[Posting], *, memo: Memo | None = None) -> dict[str, str]:
    """{later posting id: earlier posting id} for re-posts of the same job (same place, employer, job, text).

    A description is tokenised only when its posting is compared on text (same place, same employer,
    nearly the same title): most postings never are."""
    memo = Memo() if memo is None else memo
    merged: dict[str, str] = {}
    buckets: dict[str, list[Posting]] = {}
    for posting in postings:
        bucket = buckets.setdefault(memo.place(posting), [])
        for earlier in bucket:
            if not _same_company(posting.company, earlier.company):
                continue
            titles = max(
                title_similarity(posting.title, earlier.title), title_similarity(earlier.title, posting.title)
            )
            if (
                titles >= TITLE_MIN
                and _jaccard(memo.description_words(posting), memo.description_words(earlier)) >= TEXT_MIN
            ):
                merged[posting.id] = merged.get(earlier.id, earlier.id)
                break
        else:
            bucket.append(posting)
    return merged
