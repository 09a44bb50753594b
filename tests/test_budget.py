"""Budgets per user and day (and per run): past them the offline engine answers, the digest says so,
and the cost per delivered package is a view and a figure of the delivery's metadata.

The LLM is a loopback OpenAI-compatible server (tests/openai_server.py); its usage figures are the
token counts the ledger prices, so every expected amount here is computed from the ledger's rows.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl
import pytest

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.delivery.digest import BudgetNotice, DigestItem, build_digest
from jobland_pipeline.delivery.records import EMAIL_DIGESTS, EmailDigestRow
from jobland_pipeline.llm.budget import OVER_BUDGET, Budget, BudgetedEngine, DaySpend
from jobland_pipeline.llm.client import Endpoint, LLMClient
from jobland_pipeline.llm.openai_engine import OpenAICompatibleEngine
from jobland_pipeline.llm.records import LLM_CALLS, LlmCallRow
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.records import API_CALLS, ApiCallRow
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.screening import Preferences, Screening, Thresholds
from jobland_pipeline.warehouse import Warehouse
from tests.conftest import SAMPLE_INBOX, profile_of
from tests.openai_server import OpenAIServer

ICU = (
    "ICU nurse for our critical care unit. Requirements:\n- Critical care, ventilator management, ACLS, BLS, "
    "patient assessment, Epic\n- 3+ years of experience\n"
)
POSTINGS = [
    Posting(
        id=f"p{i}", title="ICU Registered Nurse", company="Mercy", location="Chicago, IL", description=ICU
    )  # type: ignore[arg-type]
    for i in range(3)
]
JUDGE = json.dumps({"score": 91, "probability": "High", "reasons": ["ICU experience and ACLS match"]})


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer(responder=lambda body: JUDGE) as s:
        yield s


def _engine(server: OpenAIServer) -> OpenAICompatibleEngine:
    endpoint = Endpoint(
        "primary", server.base_url, "sk-test", "judge-1", price_in_per_mtok=1.0, price_out_per_mtok=2.0
    )
    client = LLMClient([endpoint], backoff_base=0.01)
    models = dict.fromkeys(("screening", "titles", "dossier", "tailor"), "judge-1")
    return OpenAICompatibleEngine(dict.fromkeys(models, client), models, judge_budget=2)


def _screen(engine: Any, profile: Profile, text: str) -> list[Screening]:
    screened: list[Screening] = engine.screen(
        profile,
        POSTINGS,
        cv_text=text,
        search_title="ICU Registered Nurse",
        prefs=Preferences(),
        thresholds=Thresholds(),
    )
    return screened


def test_a_user_past_the_daily_budget_is_answered_offline(server: OpenAIServer) -> None:
    maria, text = profile_of("maria_santos")
    # What one screening call costs: measured on an unbudgeted engine (same prompts, same usage).
    probe = _engine(server)
    _screen(probe, maria, text)
    one_call = sum(r.cost_usd or 0.0 for r in probe.drain_calls())
    assert one_call > 0
    before = len(server.chat_requests)

    limit = 1.5 * one_call  # the first call fits, the second starts below the limit, the third does not
    engine = BudgetedEngine(_engine(server), Budget(per_user_day=limit))
    first, second, third = (_screen(engine, maria, text) for _ in range(3))
    other = maria.model_copy(update={"user_id": "someone_else"})
    theirs = _screen(engine, other, text)
    rows = engine.drain_calls()

    paid = [r for r in rows if r.status != OVER_BUDGET]
    switched = [r for r in rows if r.status == OVER_BUDGET]
    # Maria: two calls of two judgements at the LLM, then the offline engine; the other user unaffected.
    assert [(r.user_id, r.model) for r in paid] == [("maria_santos", "judge-1")] * 4 + [
        ("someone_else", "judge-1")
    ] * 2
    assert len(server.chat_requests) - before == 6
    assert sum(r.cost_usd or 0.0 for r in paid if r.user_id == "maria_santos") == pytest.approx(2 * one_call)
    [row] = switched
    assert (row.user_id, row.task, row.model, row.budget_scope) == (
        "maria_santos",
        "screening",
        "offline",
        "user_day",
    )
    assert row.budget_spent_usd == pytest.approx(2 * one_call, abs=1e-6)
    assert row.budget_limit_usd == pytest.approx(limit)
    assert row.cost_usd == 0.0
    # What each call returned: the LLM judged the best two postings, the offline engine judged none.
    judged = [
        sorted(s.posting_id for s in result if s.method.startswith("llm:"))
        for result in (first, second, third, theirs)
    ]
    assert [len(j) for j in judged] == [2, 2, 0, 2]
    assert all(s.stage == 1 for s in third)


def _ledger_row(cost: float, *, at: datetime, **fields: Any) -> LlmCallRow:
    base: dict[str, Any] = {"task": "screening", "model": "judge-1", "cache_hit": False, "status": "ok"}
    return LlmCallRow(**{**base, "cost_usd": cost, "at": at, **fields})


def test_the_day_ledger_counts_and_the_run_budget_includes_paid_search(
    server: OpenAIServer, tmp_path: Path
) -> None:
    maria, text = profile_of("maria_santos")
    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    now = datetime.now(UTC)
    today, yesterday = now.date().isoformat(), (now - timedelta(days=1)).date().isoformat()
    store.append_records(
        LLM_CALLS,
        [
            _ledger_row(0.004, at=now, user_id="maria_santos"),
            _ledger_row(0.003, at=now, partition="maria_santos::icu-nurse"),  # user from the partition
            _ledger_row(0.5, at=now, user_id="daniel_okafor"),
        ],
        group=today,
    )
    store.append_records(LLM_CALLS, [_ledger_row(9.0, at=now, user_id="maria_santos")], group=yesterday)
    store.append_records(
        API_CALLS,
        [
            ApiCallRow(engine="serpapi", run_id="run-1", cost_usd=0.015, at=now),
            ApiCallRow(run_id="run-2", cost_usd=1.0, at=now),
        ],
        group=today,
    )

    # Maria has spent 0.007 today (yesterday's 9.0 is another day): a limit of 0.007 is reached.
    engine = BudgetedEngine(_engine(server), Budget(per_user_day=0.007), store=store, run_id="run-1")
    screened = _screen(engine, maria, text)
    [row] = engine.drain_calls()
    assert (row.status, row.budget_scope, row.model) == (OVER_BUDGET, "user_day", "offline")
    assert row.budget_spent_usd == pytest.approx(0.007)
    assert all(s.stage == 1 for s in screened) and server.chat_requests == []
    # 0.0071 is not reached: the LLM judges.
    engine = BudgetedEngine(_engine(server), Budget(per_user_day=0.0071), store=store, run_id="run-1")
    _screen(engine, maria, text)
    assert {r.model for r in engine.drain_calls()} == {"judge-1"}

    # The run's budget: run-1's paid search (0.015) reaches a 0.015 limit for everyone, dossiers too.
    engine = BudgetedEngine(_engine(server), Budget(per_run=0.015), store=store, run_id="run-1")
    engine.dossier("Mercy", POSTINGS)
    _screen(engine, maria, text)
    rows = engine.drain_calls()
    assert [(r.task, r.status, r.budget_scope, r.budget_spent_usd) for r in rows] == [
        ("dossier", OVER_BUDGET, "run", 0.015),
        ("screening", OVER_BUDGET, "run", 0.015),
    ]


def test_a_budget_day_ends_at_utc_midnight_and_a_run_budget_does_not(
    server: OpenAIServer, tmp_path: Path
) -> None:
    """What a process spent before midnight is not the new day's; a run that spent it keeps it."""
    maria, text = profile_of("maria_santos")
    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    probe = _engine(server)
    _screen(probe, maria, text)
    cost = sum(r.cost_usd or 0.0 for r in probe.drain_calls())
    assert cost > 0
    clock = [datetime(2026, 12, 6, 23, 59, tzinfo=UTC)]
    engine = BudgetedEngine(
        _engine(server), Budget(per_user_day=cost * 0.9), store=store, run_id="r", clock=lambda: clock[0]
    )
    _screen(engine, maria, text)  # 23:59: nothing spent yet today, the LLM judges (and spends `cost`)
    clock[0] = datetime(2026, 12, 7, 0, 1, tzinfo=UTC)
    _screen(engine, maria, text)  # 00:01: a new day, nothing spent in it: the LLM judges again
    assert [r.status for r in engine.drain_calls() if r.task == "screening"].count(OVER_BUDGET) == 0
    _screen(engine, maria, text)  # now today's spend reaches the limit
    assert [r.status for r in engine.drain_calls()] == [OVER_BUDGET]

    # A run that spent 0.02 before midnight has spent it: a 0.015 run budget is reached after midnight.
    store.append_records(
        LLM_CALLS, [_ledger_row(0.02, at=clock[0] - timedelta(hours=1), run_id="run-3")], group="2026-12-06"
    )
    engine = BudgetedEngine(
        _engine(server), Budget(per_run=0.015), store=store, run_id="run-3", clock=lambda: clock[0]
    )
    _screen(engine, maria, text)
    [row] = engine.drain_calls()
    assert (row.status, row.budget_scope, row.budget_spent_usd) == (OVER_BUDGET, "run", 0.02)


def _digest(notice: BudgetNotice | None, language: str) -> str:
    item = DigestItem(
        posting_id="p0",
        title="ICU Registered Nurse",
        company="Mercy",
        location="Chicago, IL",
        score=91,
        probability="High",
        reasons=["ICU experience"],
        url=None,
        package_dir="/nonexistent",
    )
    message = build_digest(
        user_id="maria_santos",
        name="Maria",
        recipient="maria@example.org",
        sender="jobs@example.org",
        day=date(2026, 12, 7),
        items=[item],
        language=language,
        package_files=lambda location: [],
        budget=notice,
    )
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()) + "\n" + str(html.get_content())


def test_the_digest_says_the_budget_was_reached_in_the_users_language() -> None:
    notice = BudgetNotice(scope="user_day", spent_usd=0.00312, limit_usd=0.003, switched=4)
    english = _digest(notice, "en")
    said = (
        "Today's budget of $0.0030 was reached ($0.0031 spent on LLM calls): "
        "the rest of today's work (4 steps) used the offline engine."
    )
    assert said in english.split("\n")  # the plain-text part, a paragraph of its own
    assert said.replace("'", "&#x27;") in english or said.replace("'", "&#39;") in english  # HTML
    assert (
        "今日预算 $0.0030 已用完（大模型调用已花费 $0.0031）：今天其余的工作（4 步）改用了离线引擎。"
        in _digest(notice, "zh")
    )
    assert "budget" not in _digest(None, "en").lower()


def test_cost_per_package_view(tmp_path: Path) -> None:
    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    day = datetime(2026, 12, 7, 9, tzinfo=UTC)
    llm = [
        _ledger_row(0.010, at=day, user_id="ann"),
        _ledger_row(0.002, at=day, partition="ann::data-engineer"),
        _ledger_row(0.0, at=day, user_id="ann", status=OVER_BUDGET),
        _ledger_row(0.006, at=day, partition="bob"),
        _ledger_row(0.5, at=day - timedelta(days=1), user_id="ann"),  # another day
    ]
    store.append_records(LLM_CALLS, llm, group="2026-12-07")
    # Paid searches are charged to the search that made them (a shared answer is a free hit for others).
    calls = [
        ApiCallRow(cost_usd=0.02, at=day, search_key="ann::data-engineer", user_id="ann"),
        ApiCallRow(cost_usd=0.0, at=day, cache_hit=True, search_key="ann::analyst", user_id="ann"),
        ApiCallRow(cost_usd=0.01, at=day, search_key="bob::nurse", user_id="bob"),
        ApiCallRow(cost_usd=0.04, at=day - timedelta(days=1), search_key="bob::nurse", user_id="bob"),
    ]
    store.append_records(API_CALLS, calls, group="2026-12-07")
    digests = [
        EmailDigestRow(
            user_id="ann", digest_date=day.date(), status="sent", application_ids=["ann:p1", "ann:p3"]
        ),
        EmailDigestRow(
            user_id="ann", digest_date=day.date(), status="claimed", application_ids=["ann:p1", "ann:p3"]
        ),
        EmailDigestRow(user_id="bob", digest_date=day.date(), status="failed", application_ids=["bob:p4"]),
    ]
    for row in digests:
        store.append_records(EMAIL_DIGESTS, [row], group=str(row.user_id))
    assert store.publish_views()
    view = store.query("SELECT * FROM cost_per_package WHERE day = DATE '2026-12-07'")  # as an analyst
    got = {r["user_id"]: r for r in view.iter_rows(named=True)}

    # Expected, from the rows above (another day's rows count on their own day).
    ann_llm, ann_paid = sum(r.cost_usd or 0.0 for r in llm[:3]), 0.02
    assert got["ann"]["llm_usd"] == pytest.approx(ann_llm)
    assert got["ann"]["search_usd"] == pytest.approx(ann_paid)
    assert got["ann"]["packages_delivered"] == 2
    assert got["ann"]["cost_per_package_usd"] == pytest.approx((ann_llm + ann_paid) / 2)
    assert got["ann"]["offline_after_budget"] == 1
    assert got["bob"]["spend_usd"] == pytest.approx(0.006 + 0.01)
    assert got["bob"]["packages_delivered"] == 0 and got["bob"]["cost_per_package_usd"] is None
    before = store.query("SELECT * FROM cost_per_package WHERE day = DATE '2026-12-06'")
    assert before.filter(pl.col("user_id") == "bob")["search_usd"].to_list() == [pytest.approx(0.04)]


def _answer(body: dict[str, Any]) -> str:
    """A model for every task of the pipeline: picks the offered titles, summarises, judges."""
    asked = json.dumps(body)
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    if "Candidate titles:" in asked:
        offered = user.split("Candidate titles:", 1)[1].split("\n", 1)[0].strip().split("; ")
        return json.dumps(
            {"titles": [{"title": t, "reason": "Matches your ICU experience"} for t in offered[:6]]}
        )
    if "<texts>" in asked:
        return json.dumps({"about": "A hospital.", "culture": ["Supportive team"]})
    return JUDGE


def test_pipeline_with_a_daily_budget(server: OpenAIServer, tmp_path: Path) -> None:
    """Intake spends T on titles; with a daily budget just above T, the first search's judge calls go
    to the LLM, every later call of Maria's day to the offline engine, and her digest says so."""
    server.responder = _answer
    home = tmp_path / "var"
    shutil.copytree(SAMPLE_INBOX / "maria_santos", home / "inbox" / "maria_santos")
    env = {
        "JOBLAND_HOME": str(home),
        "JOBLAND_ENGINE": "openai",
        "JOBLAND_LLM_BASE_URL": server.base_url,
        "JOBLAND_LLM_MODEL": "judge-1",
        "JOBLAND_LLM_JUDGE_BUDGET": "2",
        "JOBLAND_LLM_PRICE_IN": "1.0",
        "JOBLAND_LLM_PRICE_OUT": "2.0",
    }
    store = Warehouse(home / "warehouse", home / "jobland.duckdb")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", ["maria_santos"])
        intake = build_definitions(env).resolve_job_def("intake_job")
        assert intake.execute_in_process(instance=instance, partition_key="maria_santos").success
        titles_cost = store.read("llm_calls")["cost_usd"].sum()
        assert titles_cost > 0
        limit = titles_cost * 1.01
        defs = build_definitions({**env, "JOBLAND_BUDGET_USD_PER_USER_DAY": f"{limit:.12f}"})
        keys = store.read("suggested_titles")["search_key"].to_list()
        instance.add_dynamic_partitions("searches", keys)
        tags = {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}
        search = defs.resolve_job_def("search_job").execute_in_process(instance=instance, tags=tags)
        assert search.success
        delivery = defs.resolve_job_def("delivery_job").execute_in_process(
            instance=instance, partition_key="maria_santos"
        )
        assert delivery.success
    ledger = store.read("llm_calls").filter(pl.col("user_id") == "maria_santos").sort("at")
    switched = ledger.filter(pl.col("status") == OVER_BUDGET)
    judged = ledger.filter((pl.col("task") == "screening") & (pl.col("status") != OVER_BUDGET))
    # The first search judged at the LLM (judge budget 2) and passed the limit; the rest went offline.
    assert judged["model"].unique().to_list() == ["judge-1"]
    assert judged["partition"].n_unique() == 1 and 1 <= judged.height <= 2
    [paid_search] = judged["partition"].unique().to_list()
    screened_offline = switched.filter(pl.col("task") == "screening")["partition"].to_list()
    searched = store.read("job_postings")["search_key"].unique().to_list()  # a search with no postings
    assert sorted(screened_offline) == sorted(k for k in searched if k != paid_search)  # is not screened
    assert switched["model"].unique().to_list() == ["offline"]
    assert switched["run_id"].unique().to_list() == [search.run_id]  # the per-run budget's key
    first = switched.row(0, named=True)
    spent = titles_cost + judged["cost_usd"].sum()
    assert first["budget_spent_usd"] == pytest.approx(spent, abs=1e-6) and spent >= limit
    assert first["budget_limit_usd"] == pytest.approx(limit)
    # Dossiers serve every user with a match at the company: not gated by Maria's budget, but charged
    # to her search that first needed them, so the packages step counts them in what she spent.
    dossiers = ledger.filter(pl.col("task") == "dossier")
    assert dossiers.height > 0 and dossiers["model"].unique().to_list() == ["judge-1"]
    first_tailor = switched.filter(pl.col("task") == "tailor").row(0, named=True)
    assert first_tailor["budget_spent_usd"] == pytest.approx(spent + dossiers["cost_usd"].sum(), abs=1e-6)
    # No tailoring reached the LLM: each package made was an over-budget call answered offline.
    assert ledger.filter((pl.col("task") == "tailor") & (pl.col("status") != OVER_BUDGET)).is_empty()
    packages = store.read("application_packages")
    assert switched.filter(pl.col("task") == "tailor").height == packages.height > 0
    stage2 = store.read("screenings").filter(pl.col("stage") == 2)["search_key"].unique().to_list()
    assert stage2 == [paid_search]

    # The digest says so, in Maria's language (English), with the ledger's figures.
    [eml] = (home / "outbox").rglob("maria_santos.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    said = (
        f"Today's budget of ${limit:.4f} was reached (${first['budget_spent_usd']:.4f} spent on LLM calls): "
        f"the rest of today's work ({switched.height} steps) used the offline engine."
    )
    assert said in str(body.get_content())

    # The cost per delivered package: the day's LLM spend (local search is free) over the packages sent.
    [digest] = (
        store.read("email_digests").filter(pl.col("status").is_in(["sent", "written"])).iter_rows(named=True)
    )
    delivered = len(digest["application_ids"])
    assert delivered > 0
    [materialization] = delivery.asset_materializations_for_node("email_digests")
    figures = {k: v.value for k, v in materialization.metadata.items()}
    assert figures["packages_delivered_today"] == delivered
    assert figures["cost_per_delivered_package_usd"] == pytest.approx(
        ledger["cost_usd"].sum() / delivered, abs=1e-6
    )
    per_user = figures["cost_per_package"]["maria_santos"]
    assert per_user["offline_after_budget"] == switched.height

    # Packages made offline past the budget keep no inputs digest: the next run whose budget lets the
    # LLM answer tailors them again instead of reusing the offline ones.
    assert packages["inputs_sha256"].is_null().all()
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", ["maria_santos"])
        instance.add_dynamic_partitions("searches", keys)
        again = build_definitions(env).resolve_job_def("search_job")
        assert again.execute_in_process(instance=instance, tags=tags).success
    tailored = store.read("llm_calls").filter(
        (pl.col("task") == "tailor") & (pl.col("status") != OVER_BUDGET) & (pl.col("model") == "judge-1")
    )
    remade = store.read("application_packages")
    assert tailored.height == remade.height == packages.height
    assert remade["inputs_sha256"].is_not_null().all()


def test_a_users_paid_searches_count_in_their_day(tmp_path: Path) -> None:
    """api_calls rows name the search (and user) that paid: they count in that user's day and the run."""
    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    now = datetime(2026, 12, 7, 9, tzinfo=UTC)
    store.append_records(
        LLM_CALLS, [_ledger_row(0.004, at=now, user_id="ann", run_id="r1")], group="2026-12-07"
    )
    store.append_records(
        API_CALLS,
        [
            ApiCallRow(cost_usd=0.01, at=now, run_id="r1", search_key="ann::nurse", user_id="ann"),
            ApiCallRow(
                cost_usd=0.0, at=now, run_id="r1", search_key="bob::nurse", user_id="bob", cache_hit=True
            ),
            ApiCallRow(cost_usd=0.02, at=now, run_id="r0", search_key="ann::nurse", user_id="ann"),
        ],
        group="2026-12-07",
    )
    spend = DaySpend.read(store, date(2026, 12, 7))
    assert spend.per_user == {"ann": pytest.approx(0.034), "bob": 0.0}
    assert spend.per_run == {"r1": pytest.approx(0.014), "r0": pytest.approx(0.02)}


def test_titles_are_counted_but_never_sent_offline(server: OpenAIServer, tmp_path: Path) -> None:
    """Titles are made once per CV: answered offline past one day's budget they would stay offline."""
    server.responder = _answer
    maria, _ = profile_of("maria_santos")
    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    engine = BudgetedEngine(_engine(server), Budget(per_user_day=0.0, per_run=0.0), store=store, run_id="r")
    suggested = engine.titles(maria, pinned=[], limit=5)
    [row] = engine.drain_calls()
    assert suggested and row.task == "titles" and row.status != OVER_BUDGET and (row.cost_usd or 0) > 0
    assert row.user_id == "maria_santos" and engine.spent_by_user  # and it counts in her day
