"""The daily batch: every search of a run through one frame, split back per search, one search's
failure never losing the others; and each partition's materialisation carrying its own figures."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from assets.partitions import range_tags
from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.postings import stage
from jobland_pipeline.postings.discovery import SearchOutcome, SharedSearches, build_query
from jobland_pipeline.postings.engines.common import clean_text
from jobland_pipeline.postings.engines.local_file import LocalFileEngine
from jobland_pipeline.postings.frame import dedupe_postings
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.registry import RegistryEntry
from jobland_pipeline.postings.stage import Search, run_searches
from jobland_pipeline.profiles import TitleSuggestion
from jobland_pipeline.screening import Preferences
from jobland_pipeline.textutil import clean_description
from jobland_pipeline.warehouse import Warehouse
from resources import WarehouseResource
from sensors.searches import search_partitions_sensor
from tests.conftest import SAMPLE_INBOX, profile_of

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def _title(name: str, *aliases: str, slug: str = "") -> TitleSuggestion:
    slug = slug or "-".join(name.lower().split())
    return TitleSuggestion(
        title=name, slug=slug, display_title=name, aliases=list(aliases), score=80, reason="r"
    )


def _searches() -> list[Search]:
    """Two users asking the same titles through one SharedSearches (their answers share Posting objects)
    plus one with a location: the sample postings file as the engine."""
    profile, _ = profile_of("daniel_okafor")
    profile = profile.model_copy(update={"contact": profile.contact.model_copy(update={"location": None})})
    engine = LocalFileEngine()
    counts = Counter(p.title for p in engine.postings())
    titles = [t for t, _ in counts.most_common(12)] + ["Registered Nurse", "Nobody Wants This Job"]
    shared = SharedSearches([engine])
    searches = []
    for user, prefs in (
        ("ana", Preferences()),
        ("bo", Preferences()),
        ("cy", Preferences(locations=["Chicago, IL"])),
    ):
        for i, name in enumerate(titles):
            title = _title(name, "Nurse" if "Nurse" in name else "", slug=f"title-{i}")
            outcome = shared.search(title, build_query(title, profile, prefs, fresh_days=None))
            searches.append(Search(f"{user}::{title.slug}", title, outcome))
    return searches


def _dump(found: stage.SearchRecords) -> tuple[list[dict], list[dict], list[dict]]:
    return (
        [r.model_dump() for r in found.postings],
        [r.model_dump() for r in found.sources],
        [r.model_dump() for r in found.registry],
    )


def _liveness(entry: RegistryEntry) -> str:
    return "closed" if entry.fingerprint < "4" else "unknown"


def test_a_batch_gives_each_search_what_it_gets_alone() -> None:
    searches = _searches()
    assert sum(len(s.outcome.postings) for s in searches) > 100
    batch = run_searches(searches, stale_after_days=14, liveness=_liveness, today=TODAY, now=NOW)
    assert not batch.failed and list(batch.done) == [s.key for s in searches]
    for search in searches:
        alone = run_searches([search], stale_after_days=14, liveness=_liveness, today=TODAY, now=NOW)
        assert _dump(batch.done[search.key]) == _dump(alone.done[search.key])
    postings = [r for found in batch.done.values() for r in found.postings]
    assert postings and {r.status for r in postings} == {"open"}
    # the same search by two users gives the same postings, each under its own key
    ana, bo = batch.done["ana::title-0"], batch.done["bo::title-0"]
    assert ana.postings and [r.posting_id for r in ana.postings] == [r.posting_id for r in bo.postings]
    assert {r.search_key for r in ana.postings} == {"ana::title-0"}


def test_users_sharing_an_answer_are_ranked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """SharedSearches gives each search its own list of the shared Posting objects: the ranking is
    keyed on the postings, so ana's and bo's same title is ranked once; cy's answer (another place)
    is ranked on its own, and the hits are what each search gets alone."""
    searches = _searches()
    assert searches[0].outcome.postings is not searches[14].outcome.postings  # ana and bo, title-0
    ranked: list[str] = []
    real = stage._ranked
    monkeypatch.setattr(stage, "_ranked", lambda search: ranked.append(search.key) or real(search))
    batch = run_searches(searches, stale_after_days=14, liveness=None, today=TODAY, now=NOW)
    assert not batch.failed
    assert not [k for k in ranked if k.startswith("bo::")]  # every bo search shares ana's ranking
    assert {k.split("::")[0] for k in ranked} == {"ana", "cy"}
    for search in searches:
        assert _dump(batch.done[search.key]) == _dump(
            run_searches([search], stale_after_days=14, liveness=None, today=TODAY, now=NOW).done[search.key]
        )
    # the same postings in another order are another answer: ranked again, to the same hits
    ana = searches[0]
    turned = Search("dee::title-0", ana.title, SearchOutcome(postings=ana.outcome.postings[::-1]))
    ranked.clear()
    again = run_searches([ana, turned], stale_after_days=14, liveness=None, today=TODAY, now=NOW)
    assert ranked == [ana.key, turned.key]
    assert [r.posting_id for r in again.done[ana.key].postings] == [
        r.posting_id for r in again.done[turned.key].postings
    ]


def test_texts_a_second_cleaning_changes_are_compared_as_a_search_alone_compares_them() -> None:
    """Cleaning is not idempotent (a triple-escaped <style> block is still "&lt;style&gt;..." after one
    pass and gone after two); the batch de-duplicates on the texts cleaned again, as ``dedupe_postings``
    does, so it merges the same re-post."""
    sentences = [f"alpha{i} beta{i} gamma{i}" for i in range(12)]
    noise = "&amp;lt;style&amp;gt;.c{i} {{ color: red }} font{i} size{i} weight{i}&amp;lt;/style&amp;gt;"
    first = clean_text(" ".join(f"{s} {noise.format(i=i)}" for i, s in enumerate(sentences)))
    assert clean_description(first) != first and "style" in first
    common = {"company": "Acme", "location": "Berlin"}
    a = Posting(
        id="greenhouse:1", title="Senior Data Platform Engineer Python", description=first,
        url="https://a.example/1", source="greenhouse", **common,
    )  # fmt: skip
    b = Posting(
        id="lever:2", title="Senior Data Platform Engineer Python Scala", description=clean_text(" ".join(sentences)),
        url="https://b.example/2", source="lever", **common,
    )  # fmt: skip
    kept, merged = dedupe_postings([a, b])
    assert [p.id for p in kept] == ["greenhouse:1"] and merged == {"lever:2": "greenhouse:1"}
    search = Search("u::sde", _title("Senior Data Engineer"), SearchOutcome(postings=[a, b], step="exact"))
    found = run_searches([search], stale_after_days=14, liveness=None, today=TODAY, now=NOW).done["u::sde"]
    assert found.postings_frame["posting_id"].to_list() == ["greenhouse:1"]
    assert found.sources_frame.select("source", "posting_id", "merged_as").rows() == [
        ("greenhouse", "greenhouse:1", "kept"),
        ("lever", "greenhouse:1", "duplicate"),  # counted as the posting it repeats
    ]


def test_duplicates_within_a_search_are_merged_and_keep_their_sources() -> None:
    base = Posting(
        id="a", title="ICU Nurse", company="Northwind Health", location="Chicago, IL", url="https://x/1"
    )
    copy = base.model_copy(update={"id": "b", "source": "greenhouse", "url": "https://x/1?utm_source=z"})
    other = base.model_copy(update={"id": "c", "title": "Chef", "url": "https://x/3"})
    title = _title("ICU Nurse")
    searches = [
        Search("u::icu-nurse", title, SearchOutcome(postings=[base, copy, other], step="exact")),
        Search("v::icu-nurse", title, SearchOutcome(postings=[copy, base], step="exact")),
    ]
    batch = run_searches(searches, stale_after_days=14, liveness=None, today=TODAY, now=NOW)
    u, v = batch.done["u::icu-nurse"], batch.done["v::icu-nurse"]
    assert [r.posting_id for r in u.postings] == ["a", "c"] and u.postings[0].sources == [
        "greenhouse",
        "local",
    ]
    merged_as = [(s.posting_id, s.merged_as) for s in u.sources]
    assert merged_as == [("a", "kept"), ("a", "duplicate"), ("c", "kept")]
    assert [r.posting_id for r in v.postings] == ["a"]  # hits are ranked (relevance, then id) first
    assert u.sources[1].url == "https://x/1"


def test_the_frames_written_are_the_tables_rows_with_each_postings_own_fields() -> None:
    """The batch makes the frames the asset writes itself: each table's schema exactly, the same
    frame ``Table.frame`` makes of its rows, the ATS link preferred, every engine listed once, the
    salary range read from the text, the country from the place."""
    posted = date(2026, 12, 1)
    board = Posting(
        id="gh-1",
        title="ICU Nurse",
        company="Northwind Health",
        location="Chicago, IL",
        url="https://boards.greenhouse.io/northwind/jobs/1",
        apply_url="https://boards.greenhouse.io/northwind/jobs/1#app",
        source="greenhouse",
        posted_at=posted,
    )
    google = board.model_copy(
        update={"id": "g-1", "source": "serpapi", "apply_url": "", "salary": "$90,000 - $110,000 a year"}
    )
    indeed = board.model_copy(update={"id": "i-1", "source": "indeed", "url": "https://indeed.example/1"})
    title = _title("ICU Nurse")
    search = Search("u::icu-nurse", title, SearchOutcome(postings=[google, board, indeed], step="synonyms"))
    found = run_searches([search], stale_after_days=14, liveness=None, today=TODAY, now=NOW).done[search.key]
    for table, frame, rows in (
        (stage.JOB_POSTINGS, found.postings_frame, found.postings),
        (stage.POSTING_SOURCES, found.sources_frame, found.sources),
        (stage.POSTING_REGISTRY, found.registry_frame, found.registry),
    ):
        assert frame.schema == table.schema
        assert frame.equals(table.frame(rows))
    (row,) = found.postings_frame.to_dicts()
    assert row["posting_id"] == "g-1" and row["user_id"] == "u"  # the first sighting is kept
    assert row["title_slug"] == "icu-nurse" and row["broadening_step"] == "synonyms"
    assert row["sources"] == ["greenhouse", "indeed", "serpapi"]
    assert row["apply_url"] == "https://boards.greenhouse.io/northwind/jobs/1#app"
    assert row["country"] == "US" and row["posted_at"] == posted and row["found_at"] == NOW
    assert found.sources_frame["merged_as"].to_list().count("kept") == 1
    assert (row["salary_min"], row["salary_max"], row["salary_period"]) == (90_000, 110_000, "year")
    assert found.registry_frame.height == 1 and found.registry_frame["status"].to_list() == ["open"]


def test_a_failing_search_does_not_lose_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    searches = _searches()[:5]
    bad = searches[2].key
    real_of = stage._Found.of

    def of(batch: list[Search]) -> stage._Found:  # the shared frame breaks on one search's data
        if any(s.key == bad for s in batch):
            raise ValueError("unreadable answer")
        return real_of(batch)

    monkeypatch.setattr(stage._Found, "of", of)
    batch = run_searches(searches, stale_after_days=14, liveness=None, today=TODAY, now=NOW)
    assert batch.failed == {bad: "ValueError: unreadable answer"}
    assert list(batch.done) == [s.key for s in searches if s.key != bad]

    def liveness(entry: RegistryEntry) -> str:  # a failure while building one search's records
        raise RuntimeError("board down")

    monkeypatch.setattr(stage._Found, "of", real_of)
    previous = stage.PostingRegistryRow(
        fingerprint="f" * 16, first_seen=TODAY, last_seen=TODAY, status="open", source="local"
    )
    searches[0] = Search(
        searches[0].key, searches[0].title, searches[0].outcome, stage.POSTING_REGISTRY.frame([previous])
    )
    batch = run_searches(searches, stale_after_days=14, liveness=liveness, today=TODAY, now=NOW)
    assert batch.failed == {searches[0].key: "RuntimeError: board down"}
    assert len(batch.done) == len(searches) - 1


def test_a_search_whose_frames_fail_fails_alone_and_nothing_is_checked_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Making the batch's frames at once fails on one search's rows: the frames are then made search by
    search from the rows already made, so each registry's liveness checks ran once, not again."""
    previous = stage.PostingRegistryRow(
        fingerprint="f" * 16, first_seen=TODAY, last_seen=TODAY, status="open", source="greenhouse"
    )
    searches = [
        Search(s.key, s.title, s.outcome, stage.POSTING_REGISTRY.frame([previous])) for s in _searches()[:3]
    ]
    bad = searches[1].key
    real_split = stage._split_key

    def split(key: str) -> tuple[str, str]:
        if key == bad:
            raise ValueError("unreadable key")
        return real_split(key)

    checked: list[str] = []

    def liveness(entry: RegistryEntry) -> str:
        checked.append(entry.fingerprint)
        return "unknown"

    monkeypatch.setattr(stage, "_split_key", split)
    batch = run_searches(searches, stale_after_days=14, liveness=liveness, today=TODAY, now=NOW)
    assert batch.failed == {bad: "ValueError: unreadable key"}
    assert list(batch.done) == [searches[0].key, searches[2].key]
    assert all(found.postings_frame.height for found in batch.done.values())
    assert checked == [previous.fingerprint] * 3  # once per search, none asked again


def test_the_batch_keeps_each_registry_within_its_window() -> None:
    old = stage.PostingRegistryRow(
        fingerprint="0" * 16,
        first_seen=date(2026, 1, 5),
        last_seen=date(2026, 1, 10),
        status="stale",
        source="local",
    )
    search = _searches()[0]
    search = Search(search.key, search.title, search.outcome, stage.POSTING_REGISTRY.frame([old]))
    kept = run_searches([search], stale_after_days=14, liveness=None, today=TODAY, now=NOW)
    pruned = run_searches([search], stale_after_days=14, liveness=None, today=TODAY, now=NOW, keep_days=90)
    registry = kept.done[search.key].registry_frame
    assert old.fingerprint in registry["fingerprint"].to_list()
    assert pruned.done[search.key].registry_frame.equals(
        registry.filter(pl.col("fingerprint") != old.fingerprint)
    )


def test_an_empty_batch_and_searches_without_postings() -> None:
    assert run_searches([], stale_after_days=14, liveness=None, today=TODAY, now=NOW).done == {}
    empty = Search("u::x", _title("Nobody", slug="x"), SearchOutcome())
    batch = run_searches([empty], stale_after_days=14, liveness=None, today=TODAY, now=NOW)
    assert _dump(batch.done["u::x"]) == ([], [], [])


# --- per-partition metadata in a run over many searches ---------------------------------------------


@pytest.fixture
def searched(tmp_path: Path):  # type: ignore[no-untyped-def]
    home = tmp_path / "var"
    for user in ("maria_santos", "emma_clarke"):
        shutil.copytree(SAMPLE_INBOX / user, home / "inbox" / user)
    defs = build_definitions({"JOBLAND_HOME": str(home)})
    store = Warehouse(home / "warehouse", home / "jobland.duckdb")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", ["emma_clarke", "maria_santos"])
        for user in ("emma_clarke", "maria_santos"):
            intake = defs.resolve_job_def("intake_job")
            assert intake.execute_in_process(instance=instance, partition_key=user).success
        resource = WarehouseResource(root=str(store.root), duckdb_path=str(store.duckdb_path))
        with dg.build_sensor_context(instance=instance, resources={"warehouse": resource}) as ctx:
            result = search_partitions_sensor(ctx)
        assert isinstance(result, dg.SensorResult)
        for request in result.dynamic_partitions_requests or []:
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys or []))
        keys = list(instance.get_dynamic_partitions("searches"))  # a range runs in this order
        run = defs.resolve_job_def("search_job").execute_in_process(
            instance=instance,
            tags=range_tags(keys[0], keys[-1]),
            asset_selection=[dg.AssetKey("job_postings")],
        )
        assert run.success
        yield instance, store, keys, run.run_id


def test_each_partition_of_a_run_reports_its_own_figures(searched) -> None:  # type: ignore[no-untyped-def]
    instance, store, keys, run_id = searched
    records = instance.fetch_materializations(dg.AssetKey("job_postings"), limit=1000).records
    events = {r.partition_key: r.asset_materialization for r in records if r.run_id == run_id}
    assert set(events) == set(keys) and len(keys) > 2
    rows = store.read("job_postings", keys).group_by("search_key").len()
    actual = {r["search_key"]: r["len"] for r in rows.iter_rows(named=True)}
    reported = {k: e.metadata["dagster/row_count"].value for k, e in events.items() if e is not None}
    assert reported == {k: actual.get(k, 0) for k in keys}
    assert len(set(reported.values())) >= 2  # two partitions of one run with different row counts
    busiest = max(reported, key=lambda k: reported[k])
    metadata = events[busiest].metadata  # type: ignore[union-attr]
    assert sum(metadata["postings_per_engine"].value.values()) >= reported[busiest] > 0
    assert "| title |" in metadata["preview"].value
    # the run's totals are on every partition's materialisation, under their own names
    assert {e.metadata["rows_in_run"].value for e in events.values() if e is not None} == {
        sum(actual.values())
    }
    frame = store.read("job_postings", [busiest])
    assert frame.height == reported[busiest] and frame["search_key"].unique().to_list() == [busiest]
    assert pl.Series(list(reported.values())).sum() == sum(actual.values())
