"""Rate limits that hold across processes: three runs searching at once share one budget in Redis.

Each process builds its own SerpAPI engine (as three concurrent Dagster runs or Celery workers would)
and searches the loopback replay server; the server notes when each request arrives.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from pathlib import Path

import pytest

from jobland_pipeline.postings.engines.base import SearchQuery
from jobland_pipeline.postings.engines.registry import EngineConfig, build_engines
from tests.replay import ReplayServer, fixture_reply

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by the test
PROCESSES, QUERIES = 3, 2


def _redis() -> object:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not running at 127.0.0.1:6379 (start: redis-server --daemonize yes)")
    client.flushdb()
    return client


def _search(base_url: str, cache_dir: str, shared: str, worker: int) -> None:
    config = EngineConfig(
        enabled="serpapi",
        serpapi_key="serp-SECRET-shared",
        serpapi_base_url=base_url,
        serpapi_rpm=60,  # one request a second, for all processes together when shared
        serpapi_max_pages=1,
        cache_dir=cache_dir,
        shared_limits_url=shared,
    )
    [engine], _ = build_engines(config)
    for q in range(QUERIES):
        engine.search(SearchQuery(f"Registered Nurse {worker}-{q}"))


def _gaps(shared: str, tmp_path: Path) -> list[float]:
    with ReplayServer() as server:
        server.route("GET", "/search", fixture_reply("serpapi/registered_nurse_page1.json"))
        context = multiprocessing.get_context("fork")
        workers = [
            context.Process(target=_search, args=(server.base_url, str(tmp_path / f"cache{i}"), shared, i))
            for i in range(PROCESSES)
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
            assert w.exitcode == 0
        times = sorted(seen.at for seen in server.requests("/search"))
    assert len(times) == PROCESSES * QUERIES
    return [b - a for a, b in itertools.pairwise(times)]


def test_a_limit_shared_in_redis_holds_across_processes(tmp_path: Path) -> None:
    _redis()
    gaps = _gaps(REDIS_URL, tmp_path / "shared")
    assert min(gaps) >= 0.9, gaps  # at most one request a second, whoever sends it


def test_limits_per_process_would_not(tmp_path: Path) -> None:
    """The same three runs with per-process limits send several requests in the same second."""
    gaps = _gaps("", tmp_path / "local")
    assert min(gaps) < 0.5, gaps


def test_llm_endpoint_limits_are_shared_by_every_client(tmp_path: Path) -> None:
    """Two runs' LLM clients for the same endpoint and model take turns: one request a second in all."""
    import threading

    from pydantic import BaseModel

    from resources import LLMResource
    from tests.openai_server import OpenAIServer, Reply

    class Answer(BaseModel):
        ok: bool

    _redis()
    resource = LLMResource(
        name="openai", api_key="sk-shared", rpm=60, concurrency=2, shared_limits_url=REDIS_URL
    )
    with OpenAIServer() as server:
        server.fallback = Reply(content='{"ok": true}')
        resource = resource.model_copy(update={"base_url": server.base_url, "model": server.model})
        clients = [resource._chain(server.model) for _ in range(2)]  # two runs, two clients

        def ask(client: object) -> None:
            for _ in range(2):
                client.complete(task="screening", system="s", user="u", schema=Answer)  # type: ignore[attr-defined]

        threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        times = sorted(r.at for r in server.requests)
    assert len(times) == 4
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.9, times
