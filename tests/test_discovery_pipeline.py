"""Discovery through Dagster against the replay server: shared answers, zero paid calls on a re-run."""

import shutil
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.warehouse import Warehouse
from resources import WarehouseResource
from sensors.schedules import daily_search_schedule
from sensors.searches import search_partitions_sensor
from tests.conftest import SAMPLE_INBOX
from tests.replay import ReplayServer, fixture_reply, scenario

SERP_KEY = "sk-test-secret-0123456789"


def _run_searches(defs: dg.Definitions, instance: dg.DagsterInstance, store: Warehouse) -> None:
    resource = WarehouseResource(root=str(store.root), duckdb_path=str(store.duckdb_path))
    with dg.build_sensor_context(instance=instance, resources={"warehouse": resource}) as ctx:
        result = search_partitions_sensor(ctx)
    for request in (result.dynamic_partitions_requests or []) if isinstance(result, dg.SensorResult) else []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys or []))
    with dg.build_schedule_context(instance=instance, scheduled_execution_time=datetime.now(UTC)) as ctx:
        requests = daily_search_schedule(ctx)
    assert isinstance(requests, list)
    for request in requests:
        assert (
            defs.resolve_job_def("search_job")
            .execute_in_process(instance=instance, tags=dict(request.tags), raise_on_error=False)
            .success
        )


@pytest.fixture
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    home = tmp_path / "var"
    for user in ("maria_santos", "nurse_two"):
        shutil.copytree(SAMPLE_INBOX / "maria_santos", home / "inbox" / user)
    with ReplayServer() as server:
        server.route("GET", "/search", fixture_reply("serpapi/registered_nurse_page1.json"))
        server.route("POST", "/search", fixture_reply("exa/research_news_corvid.json"))
        server.route(
            "GET",
            "/v1/boards/lakesidemedical/jobs",
            *scenario("rate_limited", fixture_reply("greenhouse/lakesidemedical_jobs.json")),
        )
        env = {
            "JOBLAND_HOME": str(home),
            "JOBLAND_SEARCH_ENGINES": "serpapi,greenhouse",
            "JOBLAND_SERPAPI_KEY": SERP_KEY,
            "JOBLAND_SERPAPI_BASE_URL": server.base_url,
            "JOBLAND_SERPAPI_MAX_PAGES": "1",
            "JOBLAND_GREENHOUSE_BOARDS": "lakesidemedical",
            "JOBLAND_GREENHOUSE_BASE_URL": server.base_url,
            "JOBLAND_EXA_KEY": "exa-test-key-42",  # dossiers researched with Exa (search stays serpapi+greenhouse)
            "JOBLAND_EXA_BASE_URL": server.base_url,
            "JOBLAND_HTTP_RETRIES": "2",
        }
        defs = build_definitions(env)
        with dg.instance_for_test() as instance:
            instance.add_dynamic_partitions("users", ["maria_santos", "nurse_two"])
            for user in ("maria_santos", "nurse_two"):
                assert (
                    defs.resolve_job_def("intake_job")
                    .execute_in_process(instance=instance, partition_key=user)
                    .success
                )
            yield server, defs, instance, Warehouse(home / "warehouse", home / "jobland.duckdb")


def test_shared_answers_and_a_free_rerun(setup) -> None:  # type: ignore[no-untyped-def]
    server, defs, instance, store = setup
    _run_searches(defs, instance, store)
    paid_first = server.count("GET", "/search")
    titles = store.read("suggested_titles").filter(pl.col("user_id") == "maria_santos").height
    # Two users with the same titles: each distinct query is fetched once, not once per user.
    assert 0 < paid_first <= titles * 4  # at most one request per broadening step per title
    calls = store.read("api_calls")
    assert calls.filter(pl.col("engine") == "serpapi")["request"].str.contains(SERP_KEY).sum() == 0
    assert calls.filter(pl.col("status") == "cached").height >= titles  # the second user's answers are shared
    board_requests = server.count("GET", "/v1/boards/lakesidemedical/jobs")
    assert board_requests == 2  # the board once a day (429 then success), whatever the number of searches

    postings = store.read("job_postings")
    assert postings.height > 0 and set(postings["status"].to_list()) == {"open"}
    assert postings["description"].str.contains("<").sum() == 0
    assert {"serpapi", "greenhouse"} & set(postings["source"].to_list())
    sources = store.read("posting_sources")
    assert sources.height >= postings.height

    dossiers = store.read("company_dossiers")
    assert dossiers.height > 0 and set(dossiers["method"].to_list()) <= {"exa", "offline"}
    research = store.read("api_calls").filter(pl.col("engine") == "exa_research")
    assert research.height > 0 and research["request"].str.contains("exa-test-key").sum() == 0

    _run_searches(defs, instance, store)  # the same day again
    assert server.count("GET", "/search") == paid_first
    assert server.count("GET", "/v1/boards/lakesidemedical/jobs") == board_requests
    assert (
        server.count("POST", "/search") == research.height - research["cache_hit"].sum()
    )  # research cached too
    second = store.read("api_calls").sort("at").tail(store.read("api_calls").height - calls.height)
    assert second.height > 0 and second["cache_hit"].all() and second["credits"].sum() == 0
    [event] = instance.fetch_materializations(dg.AssetKey("job_postings"), limit=1).records
    metadata = event.asset_materialization.metadata  # type: ignore[union-attr]
    assert metadata["paid_calls"].value == 0 and metadata["credits"].value == 0


def test_an_engine_failing_after_retries_does_not_lose_the_others(setup) -> None:  # type: ignore[no-untyped-def]
    server, defs, instance, store = setup
    server.route("GET", "/search", *scenario("server_error"))
    _run_searches(defs, instance, store)
    assert server.count("GET", "/search") >= 3  # retried
    postings = store.read("job_postings")
    assert postings.height > 0 and set(postings["source"].to_list()) == {"greenhouse"}
    errors = store.read("api_calls").filter((pl.col("engine") == "serpapi") & (pl.col("status") == "error"))
    assert errors.height > 0 and errors["error"].str.contains("500").any()
