"""Search a set of postings for one suggested title: the local engine's ranking."""

from __future__ import annotations

from dataclasses import dataclass

from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import TitleSuggestion
from jobland_pipeline.profiles.vocab import load_vocabulary
from jobland_pipeline.textutil import best_title_similarity

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
    """Postings whose title matches the searched title or its aliases, with skill overlap as tie-breaker.

    A search engine returns what is *about* the title; whether it suits the user is the screening's job.
    """
    names = [title.title, *title.aliases, *([title.title_zh] if title.title_zh else [])]
    matcher = load_vocabulary().matcher
    wanted = set(title.skills)
    hits: list[SearchHit] = []
    for posting in postings:
        title_match = best_title_similarity(posting.title, names)
        if title_match < 0.34 and min_relevance > 0:
            continue
        skill_overlap = 0.0
        if wanted:
            found = matcher.find(f"{posting.title}\n{posting.description}")
            skill_overlap = len(wanted & set(found)) / len(wanted)
        relevance = 0.75 * title_match + 0.25 * skill_overlap
        if relevance >= min_relevance:
            hits.append(SearchHit(posting, round(relevance, 3)))
    hits.sort(key=lambda h: (-h.relevance, h.posting.id))
    return hits[:limit]
