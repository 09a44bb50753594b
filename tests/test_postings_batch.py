"""run_searches pauses Python's cyclic garbage collector for the batch and leaves it as it found it,
also when the batch fails; the records are the same either way."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime

from jobland_pipeline.postings.discovery import SearchOutcome
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.records import POSTING_REGISTRY, PostingRegistryRow
from jobland_pipeline.postings.registry import RegistryEntry
from jobland_pipeline.postings.stage import Search, run_searches
from jobland_pipeline.profiles import TitleSuggestion

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def _search(key: str) -> Search:
    title = TitleSuggestion(
        title="ICU Nurse", slug="icu-nurse", display_title="ICU Nurse", score=80, reason="r"
    )
    postings = [
        Posting(id=f"p{i}", title=t, company="Northwind Health", location="Chicago, IL", source="lever")
        for i, t in enumerate(["ICU Nurse", "ICU Nurse (Remote)", "Staff ICU Nurse", "Data Engineer"])
    ]
    old = PostingRegistryRow(
        fingerprint="0000gone", first_seen=date(2026, 11, 1), last_seen=date(2026, 11, 30), status="open",
        source="lever", source_id="9", url="https://jobs.example/9",
    )  # fmt: skip
    return Search(
        key, title, SearchOutcome(postings=postings, step="exact"), previous=POSTING_REGISTRY.frame([old])
    )


def _dumped(enabled: bool) -> tuple[list[bool], dict]:
    seen: list[bool] = []

    def liveness(entry: RegistryEntry) -> str:
        seen.append(gc.isenabled())
        return "closed"

    (gc.enable if enabled else gc.disable)()
    try:
        batch = run_searches(
            [_search("ana::icu-nurse"), _search("bo::icu-nurse")],
            stale_after_days=14,
            liveness=liveness,
            today=TODAY,
            now=NOW,
        )
        assert gc.isenabled() is enabled  # as it was
    finally:
        gc.enable()
    assert not batch.failed
    records = {
        k: [[r.model_dump() for r in getattr(v, t)] for t in ("postings", "sources", "registry")]
        for k, v in batch.done.items()
    }
    return seen, records


def test_collector_paused_during_the_batch_and_restored() -> None:
    seen_on, records_on = _dumped(True)
    seen_off, records_off = _dumped(False)
    assert seen_on == [False, False] and seen_off == [False, False]  # the liveness check ran in the pause
    assert records_on == records_off
    closed = [r for r in records_on["ana::icu-nurse"][2] if r["fingerprint"] == "0000gone"]
    assert closed and closed[0]["status"] == "closed"
    assert {r["posting_id"] for r in records_on["bo::icu-nurse"][0]} >= {"p0"}


def test_collector_restored_when_the_batch_raises() -> None:
    gc.enable()
    broken = _search("not a key")  # split_search_key refuses it: the search fails, the batch goes on
    batch = run_searches([broken], stale_after_days=14, liveness=None, today=TODAY, now=NOW)
    assert gc.isenabled()
    assert list(batch.failed) == ["not a key"] and "InvalidKeyError" in batch.failed["not a key"]


def test_batch_leaves_no_young_generation_to_scan() -> None:
    """What the batch allocated is handed to the oldest generation on the way out, so the collector's
    first young collection after the pause does not walk the whole batch; objects someone froze stay
    frozen."""
    gc.enable()
    gc.collect()
    batch = run_searches(
        [_search(f"u{i}::icu-nurse") for i in range(20)],
        stale_after_days=14,
        liveness=None,
        today=TODAY,
        now=NOW,
    )
    assert gc.isenabled() and len(batch.done) == 20
    # Without the hand-over, the first young collection after the pause walks every record, posting
    # and dict of the batch and moves the survivors to the middle generation.
    assert len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1)) < 200
    assert gc.get_freeze_count() == 0

    _kept = [{"kept": i} for i in range(50)]  # objects of the caller, frozen below
    gc.freeze()
    try:
        count = gc.get_freeze_count()
        run_searches([_search("v::icu-nurse")], stale_after_days=14, liveness=None, today=TODAY, now=NOW)
        assert gc.get_freeze_count() == count  # the caller's frozen objects were not released
    finally:
        gc.unfreeze()
