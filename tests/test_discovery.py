"""Query building, broadening steps, one answer per query per run, and the posting registry."""

from datetime import date, timedelta

import pytest

from jobland_pipeline.postings.discovery import SharedSearches, broadening, build_query
from jobland_pipeline.postings.engines.base import CallRecord, EngineError, EngineResult, SearchQuery
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.registry import CLOSED, OPEN, STALE, RegistryEntry, update_registry
from jobland_pipeline.profiles import TitleSuggestion
from jobland_pipeline.screening import Preferences

TITLE = TitleSuggestion(
    title="Senior Data Engineer",
    slug="senior-data-engineer",
    display_title="Senior Data Engineer",
    aliases=["Senior Data Platform Engineer"],
    score=90,
    reason="r",
)


class CountingEngine:
    """A real implementation of the engine interface over a fixed set of postings."""

    def __init__(self, name: str, postings: list[Posting], *, fail: bool = False) -> None:
        self.name, self.postings, self.fail, self.queries = name, postings, fail, []  # type: ignore[var-annotated]

    def search(self, query: SearchQuery) -> EngineResult:
        self.queries.append(query)
        call = CallRecord(engine=self.name, request=f"GET /search?q={query.title}", status="ok", credits=1)
        if self.fail:
            raise EngineError("500 after 3 retries", [call])
        words = {query.title.lower(), *(k.lower() for k in query.keywords)}
        hits = [
            p
            for p in self.postings
            if p.title.lower() in words and (query.location is None or query.location in p.location)
        ]
        return EngineResult(postings=hits, calls=[call], raw_count=len(hits))


def _posting(pid: str, title: str, location: str) -> Posting:
    return Posting(id=pid, title=title, company="Acme", location=location, description="x")


def test_query_uses_settings_then_cv() -> None:
    from tests.conftest import profile_of

    profile, _ = profile_of("daniel_okafor")
    q = build_query(TITLE, profile, Preferences(), fresh_days=7)
    assert (q.location, q.country, q.remote, q.posted_within_days) == ("London, UK", "GB", None, 7)
    q = build_query(
        TITLE, profile, Preferences(locations=["Berlin, Germany"], remote="remote_only"), fresh_days=None
    )
    assert (q.location, q.country, q.remote) == ("Berlin, Germany", "DE", True)


def test_broadening_steps_widen_in_order() -> None:
    q = SearchQuery(title="Senior Data Engineer", location="London, UK", country="GB")
    steps = dict(broadening(q, TITLE))
    assert list(steps) == ["exact", "synonyms", "no_seniority", "wider_location"]
    assert steps["synonyms"].keywords == ("Senior Data Platform Engineer",)
    assert steps["no_seniority"].title == "Data Engineer"
    assert steps["wider_location"].location == "GB"


def test_search_stops_at_the_first_step_that_finds_postings() -> None:
    engine = CountingEngine("e", [_posting("1", "data engineer", "London, UK")])
    outcome = SharedSearches([engine]).search(
        TITLE, SearchQuery(title="Senior Data Engineer", location="London, UK")
    )
    assert outcome.step == "no_seniority" and [p.id for p in outcome.postings] == ["1"]
    assert len(engine.queries) == 3


def test_equal_queries_are_answered_once_per_run() -> None:
    engine = CountingEngine("e", [_posting("1", "senior data engineer", "London, UK")])
    shared = SharedSearches([engine])
    q = SearchQuery(title="Senior Data Engineer", location="London, UK")
    first = shared.search(TITLE, q)
    second = shared.search(TITLE, SearchQuery(title="senior data  engineer", location="london, uk"))
    assert len(engine.queries) == 1 and shared.shared_hits == 1
    assert [c.credits for c in first.calls] == [1] and [(c.cache_hit, c.credits) for c in second.calls] == [
        (True, 0)
    ]


def test_a_failing_engine_is_recorded_and_others_still_answer() -> None:
    good = CountingEngine("good", [_posting("1", "senior data engineer", "London, UK")])
    bad = CountingEngine("bad", [], fail=True)
    outcome = SharedSearches([bad, good]).search(
        TITLE, SearchQuery(title="Senior Data Engineer", location="London, UK")
    )
    assert [p.id for p in outcome.postings] == ["1"] and "500 after 3 retries" in outcome.errors["bad"]


def test_registry_first_last_seen_and_status() -> None:
    d1, d2, d30 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 30)
    reg = update_registry({}, [("a", "greenhouse", "1", "u"), ("b", "local", None, None)], d1)
    assert reg["a"].first_seen == d1 and reg["a"].status == OPEN
    reg = update_registry(
        reg,
        [("b", "local", None, None)],
        d2,
        liveness=lambda e: CLOSED if e.source == "greenhouse" else "unknown",
    )
    assert reg["a"].status == CLOSED and reg["b"].last_seen == d2 and reg["b"].first_seen == d1
    reg = update_registry(reg, [], d30)
    assert reg["b"].status == STALE and reg["a"].status == CLOSED
    reg = update_registry(reg, [("b", "local", None, None)], d30)
    assert reg["b"].status == OPEN
    assert isinstance(reg["b"], RegistryEntry)


def test_postings_gone_past_the_keep_window_leave_the_registry_unchecked() -> None:
    """A daily search's registry holds what it may still meet: closed or stale postings last seen more
    than ``keep_days`` ago leave it, before their liveness check; open ones and recent ones stay, and a
    stale one sighted again today is open with its first sighting kept."""
    day = date(2026, 12, 7)
    previous = {
        f: RegistryEntry(
            f, day - timedelta(days=age + 5), day - timedelta(days=age), status, "lever", f, None
        )
        for f, age, status in [
            ("open-old", 200, OPEN),  # kept open by its liveness check every day so far
            ("stale-old", 91, STALE),
            ("closed-old", 120, CLOSED),
            ("stale-recent", 90, STALE),
            ("closed-recent", 10, CLOSED),
            ("back-today", 150, STALE),
        ]
    }
    checked: list[str] = []

    def liveness(entry: RegistryEntry) -> str:
        checked.append(entry.fingerprint)
        return OPEN if entry.fingerprint == "open-old" else "unknown"

    reg = update_registry(
        previous, [("back-today", "lever", "x", None)], day, liveness=liveness, keep_days=90
    )
    assert set(reg) == {"open-old", "stale-recent", "closed-recent", "back-today"}
    assert sorted(checked) == ["open-old", "stale-recent"]  # closed ones are never checked again
    assert reg["back-today"].status == OPEN and reg["back-today"].first_seen == day - timedelta(days=155)
    assert reg["open-old"].last_seen == day
    assert set(update_registry(previous, [], day)) == set(previous)  # no window: kept for ever
    with pytest.raises(ValueError, match="0 or more"):
        update_registry(previous, [], day, keep_days=-1)  # a window ending tomorrow would empty it


def test_gathering_a_search_fails_only_when_every_engine_failed() -> None:
    from jobland_pipeline.postings.stage import EveryEngineFailed, SearchSettings, gather_search
    from tests.conftest import profile_of

    profile, _ = profile_of("daniel_okafor")
    good = CountingEngine("good", [_posting("1", "senior data engineer", "London, UK")])
    bad = CountingEngine("bad", [], fail=True)
    outcome = gather_search(
        TITLE, profile, Preferences(), SharedSearches([bad, good]), settings=SearchSettings(None, 14, 2)
    )
    assert [p.id for p in outcome.postings] == ["1"] and "bad" in outcome.errors
    with pytest.raises(EveryEngineFailed, match="every engine failed: bad: "):
        gather_search(
            TITLE, profile, Preferences(), SharedSearches([bad]), settings=SearchSettings(None, 14, 1)
        )
    nothing = gather_search(
        TITLE,
        profile,
        Preferences(),
        SharedSearches([CountingEngine("quiet", [])]),
        settings=SearchSettings(None, 14, 1),
    )
    assert nothing.postings == [] and nothing.step is None  # no jobs today is not a failure
