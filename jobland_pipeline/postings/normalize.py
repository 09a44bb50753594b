"""One posting at a time: clean text, canonical URL, fingerprint and exact de-duplication.

Each rule has one implementation, the vectorised one in ``frame.py`` (a daily batch goes through it
whole); these helpers apply it to one posting or one list, for callers that have just that. A frame of
one row costs a few milliseconds, so answers are remembered (callers such as a board's liveness check
ask for the same URLs again and again).
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from jobland_pipeline.postings.frame import canonical_urls, dedupe_rows, fingerprints, postings_frame
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.textutil import clean_description

__all__ = ["canonical_url", "clean_description", "dedupe", "fingerprint"]


def canonical_url(url: str | None) -> str | None:
    """Strip tracking parameters and fragments so the same job has one URL (None: no URL, or one that
    cannot be split, such as an invalid bracketed host)."""
    return _canonical_url(url) if url else None


@lru_cache(maxsize=65_536)
def _canonical_url(url: str) -> str | None:
    value: str | None = canonical_urls(pl.Series([url], dtype=pl.String)).item()
    return value


def fingerprint(posting: Posting) -> str:
    """Same company + normalised title + location = the same job, whatever engine found it."""
    return _fingerprint(posting.title, posting.company, posting.location)


@lru_cache(maxsize=65_536)
def _fingerprint(title: str, company: str, location: str) -> str:
    frame = pl.DataFrame(
        {"title": [title], "company": [company], "location": [location]},
        schema={"title": pl.String, "company": pl.String, "location": pl.String},
    )
    value: str = fingerprints(frame).item()
    return value


def dedupe(postings: list[Posting]) -> tuple[list[Posting], dict[str, str]]:
    """Keep the first of each fingerprint / canonical URL; return kept postings and {dropped id: kept id}."""
    if not postings:
        return [], {}
    keep, merged = dedupe_rows(postings_frame(postings), fuzzy=False)
    kept = [p for p, k in zip(postings, keep.to_list(), strict=True) if k]
    return kept, {postings[i].id: postings[k].id for i, k, _ in merged.iter_rows()}
