"""From a suggested title to postings: query building, broadening steps, shared answers, merged sources.

A search that finds nothing is broadened in defined steps (synonyms, then without seniority words,
then a wider place) and every posting records the step that found it. Equal queries from different
users are answered once per run (``SharedSearches``) and once per TTL across runs (the engines'
response cache), so a re-run the same day makes zero paid calls.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from jobland_pipeline.postings.engines.base import (
    CallRecord,
    EngineError,
    EngineResult,
    SearchEngine,
    SearchQuery,
)
from jobland_pipeline.postings.geo import parse_place
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile, TitleSuggestion
from jobland_pipeline.profiles.preferences import Preferences

SENIORITY_WORDS = re.compile(
    r"\b(senior|sr\.?|junior|jr\.?|lead|principal|staff|head of|chief)\b|高级|资深|初级", re.I
)


def build_query(
    title: TitleSuggestion, profile: Profile, prefs: Preferences, *, fresh_days: int | None
) -> SearchQuery:
    """The first query for a title: the user's preferred (or CV) location and remote preference."""
    location = prefs.locations[0] if prefs.locations else profile.contact.location
    remote = True if prefs.remote == "remote_only" else False if prefs.remote == "onsite_only" else None
    return SearchQuery(
        title=title.title_zh if profile.language == "zh" and title.title_zh else title.title,
        location=location,
        country=parse_place(location).country,
        remote=remote,
        posted_within_days=fresh_days,
        language=profile.language,
    )


def broadening(query: SearchQuery, title: TitleSuggestion) -> list[tuple[str, SearchQuery]]:
    """The defined steps, each a wider query than the one before."""
    synonyms = tuple(
        dict.fromkeys(
            a
            for a in [title.title, *title.aliases, *([title.title_zh] if title.title_zh else [])]
            if a and a != query.title
        )
    )
    plain = " ".join(SENIORITY_WORDS.sub(" ", query.title).split()) or query.title
    wider_place = parse_place(query.location).country if query.location else None
    steps = [
        ("exact", query),
        ("synonyms", replace(query, keywords=synonyms)),
        (
            "no_seniority",
            replace(
                query, title=plain, keywords=tuple(SENIORITY_WORDS.sub(" ", s).strip() for s in synonyms)
            ),
        ),
        (
            "wider_location",
            replace(
                query, title=plain, location=wider_place, remote=None if query.remote is not True else True
            ),
        ),
    ]
    unique: list[tuple[str, SearchQuery]] = []
    for name, q in steps:
        if all(q != seen for _, seen in unique):
            unique.append((name, q))
    return unique


@dataclass
class SearchOutcome:
    postings: list[Posting] = field(default_factory=list)
    step: str | None = None  # the broadening step that found the postings (None: nothing found)
    calls: list[CallRecord] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # engine -> reason, for engines that failed
    per_engine: dict[str, int] = field(default_factory=dict)  # engine -> postings returned
    missing_description: dict[str, int] = field(default_factory=dict)


class SharedSearches:
    """Answers equal queries once per run, whoever asks (the cross-run cache lives in the engines)."""

    def __init__(self, engines: Sequence[SearchEngine], *, breaker_threshold: int = 3) -> None:
        self.engines = list(engines)
        self.breaker_threshold = breaker_threshold
        self._failures: dict[str, int] = {}
        self._answers: dict[tuple[str, str], EngineResult | EngineError] = {}
        self.shared_hits = 0

    def _ask(
        self, engine: SearchEngine, query: SearchQuery
    ) -> tuple[EngineResult | EngineError, list[CallRecord]]:
        """The answer, and the calls to record: the real ones the first time, a free shared hit after."""
        key = (engine.name, query.cache_key())
        if key in self._answers:
            self.shared_hits += 1
            shared = CallRecord(
                engine=engine.name, request=f"shared:{key[1]}", status="cached", cache_hit=True, attempts=0
            )
            return self._answers[key], [shared]
        if self._failures.get(engine.name, 0) >= self.breaker_threshold:
            # Circuit open: an engine that failed this many queries in a row is not called again this run.
            skipped = EngineError(
                f"{engine.name} skipped: failed {self.breaker_threshold} searches in a row this run"
            )
            return skipped, [
                CallRecord(
                    engine=engine.name,
                    request=f"skipped:{key[1]}",
                    status="error",
                    attempts=0,
                    error=str(skipped),
                )
            ]
        try:
            answer: EngineResult | EngineError = engine.search(query)
            self._failures[engine.name] = 0
        except EngineError as exc:
            answer = exc
            self._failures[engine.name] = self._failures.get(engine.name, 0) + 1
        self._answers[key] = answer
        return answer, list(answer.calls)

    def search(self, title: TitleSuggestion, query: SearchQuery) -> SearchOutcome:
        outcome = SearchOutcome()
        for step, q in broadening(query, title):
            found: list[Posting] = []
            for engine in self.engines:
                answer, calls = self._ask(engine, q)
                outcome.calls.extend(calls)
                if isinstance(answer, EngineError):
                    outcome.errors[engine.name] = str(answer)
                    continue
                outcome.errors.pop(engine.name, None)
                found.extend(answer.postings)
                outcome.per_engine[engine.name] = outcome.per_engine.get(engine.name, 0) + len(
                    answer.postings
                )
                outcome.missing_description[engine.name] = outcome.missing_description.get(
                    engine.name, 0
                ) + sum(1 for p in answer.postings if not p.description.strip())
                for reason, n in answer.dropped.items():
                    outcome.dropped[reason] = outcome.dropped.get(reason, 0) + n
            if found:
                outcome.postings, outcome.step = found, step
                break
        return outcome
