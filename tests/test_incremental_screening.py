"""Re-screen only what changed: the offline engine as the judge, the postings that reach it counted.

The judge is the real offline engine (``get_engine("offline").screen``) behind a counting wrapper: what
the wrapper records is exactly what was scored, so "scored nothing" means the engine never ran.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from assets.screenings import screenings
from jobland_pipeline.definitions import build_definitions, build_resources
from jobland_pipeline.llm import get_engine
from jobland_pipeline.llm.cache import LLMCache
from jobland_pipeline.llm.client import Endpoint, LLMClient
from jobland_pipeline.llm.openai_engine import OpenAICompatibleEngine
from jobland_pipeline.postings import load_postings
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.records import JOB_POSTINGS
from jobland_pipeline.profiles import Profile, build_profile
from jobland_pipeline.screening.calibration import Calibration, Calibrator
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.records import SCREENINGS, ScreeningRow
from jobland_pipeline.screening.reuse import (
    JUDGE_UNAVAILABLE,
    plan,
    posting_content_hash,
    screened_counts,
    screening_basis,
)
from jobland_pipeline.screening.score import Thresholds
from jobland_pipeline.screening.stage import screen_search
from jobland_pipeline.warehouse import Warehouse
from resources import SETTINGS
from resources.settings import resolve
from sensors.local_run import run_once
from tests.conftest import SAMPLE_CVS, SAMPLE_INBOX, SAMPLE_POSTINGS, profile_of
from tests.openai_server import OpenAIServer

DAY1 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
KEY = "emma_clarke::math-teacher"
TITLE = "Mathematics Teacher"
ENGINE = "offline|code=test"


@dataclass
class CountingJudge:
    """The offline engine's screen for one user and search, recording every posting sent to it."""

    profile: Profile
    cv_text: str
    prefs: Preferences = field(default_factory=Preferences)
    seen: list[list[str]] = field(default_factory=list)

    def __call__(self, postings: list[Posting]) -> list[Screening]:
        self.seen.append([p.id for p in postings])
        return get_engine("offline").screen(
            self.profile,
            postings,
            cv_text=self.cv_text,
            search_title=TITLE,
            prefs=self.prefs,
            thresholds=Thresholds(),
        )

    @property
    def scored(self) -> list[str]:
        return [pid for batch in self.seen for pid in batch]

    def basis(self) -> str:
        return screening_basis(
            profile=self.profile,
            cv_text=self.cv_text,
            search_title=TITLE,
            prefs=self.prefs,
            thresholds=Thresholds(),
            engine=ENGINE,
        )


def _emma(extra: str = "") -> CountingJudge:
    text = SAMPLE_CVS["emma_clarke"].read_text(encoding="utf-8") + extra
    sha = hashlib.sha256(text.encode()).hexdigest()
    profile = build_profile(text, user_id="emma_clarke", cv_sha256=sha, as_of=date(2026, 11, 27))
    return CountingJudge(profile, text)


def _postings() -> list[Posting]:
    return load_postings(SAMPLE_POSTINGS)[:40]


def _screen(
    judge: CountingJudge, postings: list[Posting], previous: list[ScreeningRow], now: datetime
) -> list[ScreeningRow]:
    return screen_search(KEY, postings, judge, now=now, previous=previous, basis=judge.basis())


def _verdict(row: ScreeningRow) -> tuple[object, ...]:
    return (row.posting_id, row.score, row.probability, row.reasons, row.deal_breakers, row.components)


def test_the_second_screening_of_unchanged_postings_scores_nothing() -> None:
    postings = _postings()
    judge = _emma()
    first = _screen(judge, postings, [], DAY1)
    assert judge.scored == [p.id for p in postings]  # day 1: all 40 reach the engine
    assert screened_counts(first) == {
        "new": 40,
        "changed": 0,
        "basis_changed": 0,
        "search_changed": 0,
        "reused": 0,
        "scored": 40,
    }

    judge.seen.clear()
    second = _screen(judge, postings, first, DAY2)
    assert judge.seen == []  # the engine was never called
    assert screened_counts(second) == {
        "new": 0,
        "changed": 0,
        "basis_changed": 0,
        "search_changed": 0,
        "reused": 40,
        "scored": 0,
    }
    assert [_verdict(r) for r in second] == [_verdict(r) for r in first]
    # Written today, scored yesterday: the day's counts see the row, the trail sees when it was scored.
    assert {r.screened_at for r in second} == {DAY2} and {r.scored_at for r in second} == {DAY1}
    assert [r.content_hash for r in second] == [posting_content_hash(p) for p in postings]


def test_a_changed_description_re_scores_exactly_that_posting() -> None:
    postings = _postings()
    judge = _emma()
    first = _screen(judge, postings, [], DAY1)
    changed = postings[7].model_copy(
        update={
            "description": postings[7].description + "\nNight shifts required. Must hold a nursing licence."
        }
    )
    today = [*postings[:7], changed, *postings[8:]]
    judge.seen.clear()
    second = _screen(judge, today, first, DAY2)
    assert judge.seen == [[changed.id]]
    assert screened_counts(second) == {
        "new": 0,
        "changed": 1,
        "basis_changed": 0,
        "search_changed": 0,
        "reused": 39,
        "scored": 1,
    }
    row = next(r for r in second if r.posting_id == changed.id)
    assert row.screened_as == "changed" and row.scored_at == DAY2
    assert row.content_hash == posting_content_hash(changed) != posting_content_hash(postings[7])
    fresh = get_engine("offline").screen(
        judge.profile,
        [changed],
        cv_text=judge.cv_text,
        search_title=TITLE,
        prefs=Preferences(),
        thresholds=Thresholds(),
    )[0]
    assert (row.score, row.reasons, row.deal_breakers) == (fresh.score, fresh.reasons, fresh.deal_breakers)


def test_new_and_removed_postings_and_a_changed_salary() -> None:
    postings = _postings()
    judge = _emma()
    first = _screen(judge, postings[:30], [], DAY1)
    paid = postings[3].model_copy(update={"salary": "$20,000 a year"})  # the pay is read (salary floor)
    today = [*postings[:3], paid, *postings[4:25], *postings[30:40]]  # 25..29 gone, 30..39 new
    judge.seen.clear()
    second = _screen(judge, today, first, DAY2)
    assert sorted(judge.scored) == sorted([paid.id] + [p.id for p in postings[30:40]])
    assert screened_counts(second) == {
        "new": 10,
        "changed": 1,
        "basis_changed": 0,
        "search_changed": 0,
        "reused": 24,
        "scored": 11,
    }
    assert [r.posting_id for r in second] == [p.id for p in today]  # removed postings are not kept
    assert plan(today, first, judge.basis()).removed == sorted(p.id for p in postings[25:30])


def test_a_new_cv_re_screens_all_of_that_users_postings_and_nobody_elses() -> None:
    postings = _postings()
    emma, other = _emma(), _emma()
    other.profile = other.profile.model_copy(update={"user_id": "someone_else"})
    first = _screen(emma, postings, [], DAY1)
    others_first = screen_search("someone_else::math-teacher", postings, other, now=DAY1, basis=other.basis())

    emma_v2 = _emma("\nCERTIFICATIONS\nAdvanced Placement Calculus teacher certification, 2026\n")
    assert emma_v2.profile.cv_sha256 != emma.profile.cv_sha256
    second = _screen(emma_v2, postings, first, DAY2)
    assert emma_v2.scored == [p.id for p in postings]
    assert screened_counts(second) == {
        "new": 0,
        "changed": 0,
        "basis_changed": 40,
        "search_changed": 0,
        "reused": 0,
        "scored": 40,
    }
    assert {r.screening_basis for r in second} == {emma_v2.basis()} != {emma.basis()}

    other.seen.clear()
    others_second = screen_search(
        "someone_else::math-teacher", postings, other, now=DAY2, previous=others_first, basis=other.basis()
    )
    assert other.seen == [] and screened_counts(others_second)["reused"] == 40


def test_changed_preferences_re_screen_and_change_the_verdict() -> None:
    postings = _postings()
    judge = _emma()
    first = _screen(judge, postings, [], DAY1)
    judge.prefs = Preferences(excluded_companies=[postings[0].company])
    judge.seen.clear()
    second = _screen(judge, postings, first, DAY2)
    assert len(judge.scored) == 40 and screened_counts(second)["basis_changed"] == 40
    excluded = f"{postings[0].company} is on your excluded companies list"
    assert excluded in second[0].deal_breakers and excluded not in first[0].deal_breakers


def test_reused_rows_take_todays_calibration() -> None:
    """The interview chance follows the outcomes settled since: applied again to reused rows, for free."""
    postings = _postings()
    judge = _emma()
    first = _screen(judge, postings, [], DAY1)
    method = str(first[0].method)
    curve = Calibration(method, "platt", "platt-test", 40, slope=0.05, intercept=-4.0)
    judge.seen.clear()
    second = screen_search(
        KEY,
        postings,
        judge,
        now=DAY2,
        previous=first,
        basis=judge.basis(),
        calibrator=Calibrator({method: curve}),
    )
    assert judge.seen == []
    assert {r.chance_basis for r in first} == {"prior"}
    assert {(r.chance_basis, r.calibration_version) for r in second} == {
        ("platt on 40 outcomes", "platt-test")
    }
    assert [r.interview_chance for r in second] == [curve.chance(r.score or 0, "") for r in second]


def test_without_a_basis_or_after_a_judge_failure_nothing_is_reused() -> None:
    postings = _postings()[:5]
    judge = _emma()
    first = _screen(judge, postings, [], DAY1)
    judge.seen.clear()
    again = screen_search(KEY, postings, judge, now=DAY2, previous=first)  # no basis: never reuse
    assert len(judge.scored) == 5 and screened_counts(again)["basis_changed"] == 5

    failed = [
        first[0].model_copy(update={"reasons": [*first[0].reasons, f"{JUDGE_UNAVAILABLE}: timeout"]}),
        *first[1:],
    ]
    judge.seen.clear()
    retried = _screen(judge, postings, failed, DAY2)
    assert judge.seen == [[postings[0].id]] and retried[0].screened_as == "basis_changed"


# -- in a real Dagster run ---------------------------------------------------------------------------
USER = "emma_clarke"


class Run:
    def __init__(self, home: Path, instance: dg.DagsterInstance) -> None:
        self.env = {"JOBLAND_HOME": str(home)}
        self.values = resolve(self.env, SETTINGS)
        self.instance = instance
        self.store = Warehouse(
            Path(self.values["JOBLAND_WAREHOUSE_DIR"]), Path(self.values["JOBLAND_DUCKDB_PATH"])
        )
        self.exit = run_once(build_definitions(self.env), self.values, seed_samples=False, instance=instance)

    def screen(self, key: str) -> dict[str, Any]:
        result = dg.materialize(
            [screenings], partition_key=key, resources=build_resources(self.env), instance=self.instance
        )
        assert result.success
        run_meta = result.asset_materializations_for_node("screenings")[0].metadata
        return {k: v.value for k, v in run_meta.items()}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    home = tmp_path_factory.mktemp("incremental") / "var"
    shutil.copytree(SAMPLE_INBOX / USER, home / "inbox" / USER)
    (home / "dagster").mkdir(parents=True)
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        yield Run(home, instance)


def test_the_pipeline_scores_each_posting_once_and_counts_what_it_reused(
    run: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run.exit == 0
    first = run.store.read_records(SCREENINGS)
    assert first and {r.screened_as for r in first} == {"new"} and all(r.screening_basis for r in first)
    key = max(sorted({str(r.search_key) for r in first}), key=lambda k: sum(r.search_key == k for r in first))
    mine = sorted((r for r in first if r.search_key == key), key=lambda r: str(r.posting_id))
    n = len(mine)

    again = run.screen(key)  # nothing changed: every row reused, nothing scored
    assert (again["screened_new"], again["screened_changed"], again["screened_basis_changed"]) == (0, 0, 0)
    assert (again["screened_reused"], again["screened_scored"], again["rows_in_run"]) == (n, 0, n)
    assert again["screened_by_search"] == {
        key: {
            "new": 0,
            "changed": 0,
            "basis_changed": 0,
            "search_changed": 0,
            "reused": n,
            "scored": 0,
            "removed": 0,
            "unsettled": 0,
        }
    }
    reused = sorted(run.store.read_records(SCREENINGS, [key]), key=lambda r: str(r.posting_id))
    assert [(r.posting_id, r.score, r.reasons) for r in reused] == [
        (r.posting_id, r.score, r.reasons) for r in mine
    ]
    assert [r.scored_at for r in reused] == [r.screened_at for r in mine]
    assert all(r.screened_at and r.scored_at and r.screened_at > r.scored_at for r in reused)

    postings = run.store.read_records(JOB_POSTINGS, [key])  # one posting's text changes, one disappears
    edited = postings[0].model_copy(
        update={"description": f"{postings[0].description}\nWeekend work required."}
    )
    run.store.write_records(JOB_POSTINGS, key, [edited, *postings[2:]])
    changed = run.screen(key)
    assert (changed["screened_changed"], changed["screened_reused"], changed["screened_scored"]) == (
        1,
        n - 2,
        1,
    )
    assert changed["screened_removed"] == 1 and changed["rows_in_run"] == n - 1
    by_id = {r.posting_id: r for r in run.store.read_records(SCREENINGS, [key])}
    assert by_id[edited.posting_id].screened_as == "changed" and postings[1].posting_id not in by_id

    # `jobland why` on a reused row: the same trail, and when its score was computed.
    row = by_id[postings[2].posting_id]
    monkeypatch.setenv("JOBLAND_HOME", run.env["JOBLAND_HOME"])
    from jobland_cli.main import main as jobland

    assert jobland(["why", f"{USER}:{row.posting_id}"]) == 0
    out = capsys.readouterr().out
    assert f"{row.probability} match, score {row.score}/100" in out
    assert f"scored {row.scored_at:%Y-%m-%d %H:%M} and reused since" in out


# -- the LLM path: reused rows spend nothing ------------------------------------------------------------
ICU = "ICU nurse for our critical care unit. Requirements:\n- Critical care, ACLS, BLS, patient assessment\n"


def _icu(pid: str, extra: str = "") -> Posting:
    return Posting(
        id=pid, title="ICU Registered Nurse", company="Mercy", location="Chicago, IL", description=ICU + extra
    )


def _likes_nursing(body: dict[str, Any]) -> str:
    return json.dumps({"score": 90, "probability": "High", "reasons": ["ICU experience matches"]})


def test_reused_rows_make_no_llm_call_and_no_ledger_row(tmp_path: Path) -> None:
    """The judge (a loopback chat-completions server) answers day 1; day 2 asks it nothing, not even
    the LLM cache (no ledger row at all); a changed posting costs exactly one judge call."""
    profile, cv_text = profile_of("maria_santos")
    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    with OpenAIServer(responder=_likes_nursing) as server:
        endpoint = Endpoint(
            "primary", server.base_url, "sk-test", "judge-1", price_in_per_mtok=1.0, price_out_per_mtok=2.0
        )
        client = LLMClient([endpoint], backoff_base=0.01)
        models = dict.fromkeys(("screening", "titles", "dossier", "tailor"), "judge-1")
        engine = OpenAICompatibleEngine(
            dict.fromkeys(models, client), models, cache=LLMCache(store), judge_budget=3
        )

        def judge(batch: list[Posting]) -> list[Screening]:
            return engine.screen(
                profile,
                batch,
                cv_text=cv_text,
                search_title="ICU Registered Nurse",
                prefs=Preferences(),
                thresholds=Thresholds(),
            )

        basis = screening_basis(
            profile=profile,
            cv_text=cv_text,
            search_title="ICU Registered Nurse",
            prefs=Preferences(),
            thresholds=Thresholds(),
            engine="openai|judge-1",
        )
        key = "maria_santos::icu-registered-nurse"
        postings = [_icu(f"icu-{i}", f"Unit {i}.") for i in range(5)]
        first = screen_search(key, postings, judge, now=DAY1, basis=basis)
        day1_calls = engine.drain_calls()
        assert len(server.chat_requests) == 3 and len(day1_calls) == 3  # the judge budget: 3 of 5
        assert sorted(r.stage or 0 for r in first) == [1, 1, 2, 2, 2]

        second = screen_search(key, postings, judge, now=DAY2, previous=first, basis=basis)
        assert len(server.chat_requests) == 3 and engine.drain_calls() == []
        assert [(r.stage, r.method, r.score) for r in second] == [(r.stage, r.method, r.score) for r in first]

        # The judge takes the search's best 3: a changed posting re-screens the whole search (the
        # unchanged answers come from the LLM cache), so the rows are those of a full re-screen.
        edited = [*postings[:4], _icu("icu-4", "Unit 4. Now also covers the burns unit, critical care.")]
        third = screen_search(key, edited, judge, now=DAY2, previous=second, basis=basis, whole_search=True)
        calls = engine.drain_calls()
        assert screened_counts(third) == {
            "new": 0,
            "changed": 1,
            "basis_changed": 0,
            "search_changed": 4,
            "reused": 0,
            "scored": 5,
        }
        fresh = screen_search(key, edited, judge, now=DAY2, basis=basis)
        engine.drain_calls()
        assert [_verdict(r) for r in third] == [_verdict(r) for r in fresh]
        assert sorted(r.stage or 0 for r in third) == [1, 1, 2, 2, 2]
        assert sum(not c.cache_hit for c in calls) == len(server.chat_requests) - 3 <= 1  # only the edit
        # Three weaker postings arrive: a per-posting reuse would judge them (they are all it scores);
        # the whole-search plan judges the best 3 of 8, as a full re-screen does.
        weak = [
            Posting(
                id=f"cook-{i}",
                title="Line Cook",
                company="Diner",
                location="Chicago, IL",
                description="Cook.",
            )
            for i in range(3)
        ]
        fourth = screen_search(
            key, [*edited, *weak], judge, now=DAY2, previous=third, basis=basis, whole_search=True
        )
        full = screen_search(key, [*edited, *weak], judge, now=DAY2, basis=basis)
        assert [_verdict(r) for r in fourth] == [_verdict(r) for r in full]
        assert [r.stage for r in fourth if r.posting_id.startswith("cook-")] == [1, 1, 1]
