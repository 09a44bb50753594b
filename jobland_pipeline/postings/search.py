"""Search a set of postings for one suggested title: the local engine's ranking."""

from __future__ import annotations

from dataclasses import dataclass

from jobland_pipeline.lexicon.titles import title_similarity
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import TitleSuggestion

MIN_RELEVANCE = 0.45


@dataclass(frozen=True)
class SearchHit:
    posting: Posting
    relevance: float


def search_postings(
    title: TitleSuggestion,
    postings: list[Posting],
    *,
    limit: int = 40,
    min_relevance: float = MIN_RELEVANCE,
) -> list[SearchHit]:
    """Postings whose title says the searched job (in any language the glossary knows), best first.

    A search engine returns what is *about* the title; whether it suits the user is the screening's job.
    """
    names = [n for n in dict.fromkeys([title.title, *title.aliases, title.title_zh or ""]) if n]
    hits: list[SearchHit] = []
    for posting in postings:
        relevance = max(title_similarity(posting.title, name) for name in names)
        if relevance >= min_relevance or min_relevance <= 0:
            hits.append(SearchHit(posting, round(relevance, 3)))
    hits.sort(key=lambda h: (-h.relevance, h.posting.id))
    return hits[:limit]
