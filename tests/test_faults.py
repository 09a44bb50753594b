"""Failing services: every search engine, Exa research and the LLM client, one fault at a time.

Each target is wired as production wires it — ``build_engines`` / ``build_research`` from an
``EngineConfig`` whose base URL is a loopback :class:`~tests.replay.ReplayServer`, and an
:class:`LLMClient` with its endpoint there — and then answered with one fault: a missing field, a field
of the wrong type, a byte-order mark, an empty body, HTML, a redirect to an internal address, a
``Retry-After`` of 100,000 s, a 256 MB answer (with and without ``Content-Length``) and a gzip bomb.

Every fault must end in one line of reason — the ``EngineError`` (``LLMError``) message, or Exa
research's ``research unavailable: ...`` note — and never a traceback; the engine's failure is a row
of the call ledger and the search goes on with the other engines.

Memory (the oversize and bomb cases) is measured in a child process: its peak resident set since it
started (``VmHWM`` of ``/proc/self/status``, reset between faults through ``/proc/self/clear_refs``),
not ``ru_maxrss``, which on Linux carries the parent's peak over ``fork`` and ``exec`` (this test
process serves the faults, so its own memory would be counted).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from jobland_pipeline.llm.client import Endpoint, LLMClient, LLMError
from jobland_pipeline.postings.discovery import SharedSearches
from jobland_pipeline.postings.engines.base import CallRecord, EngineError, SearchQuery
from jobland_pipeline.postings.engines.registry import EngineConfig, build_engines
from jobland_pipeline.profiles.models import TitleSuggestion
from jobland_pipeline.research.exa_research import build_research
from tests.replay import (
    FIXTURES,
    ReplayServer,
    Reply,
    bom_reply,
    deep_reply,
    fixture_reply,
    gzip_bomb_reply,
    html_reply,
    huge_reply,
    json_reply,
    redirect_reply,
    status_reply,
)

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 27)
KEY = "faults-SECRET-9c2e51d7a4"
JSON = {"Content-Type": "application/json; charset=utf-8"}
MEMORY_LIMIT_MB = 300
ONE_HOUR_AND_MORE = (
    "the server asks to wait 100000 s (27.8 h) before a retry (Retry-After), more than the 60 s"
)


def _chat_completion() -> dict[str, Any]:
    """A chat-completions answer as OpenAI-compatible servers send it."""
    content = json.dumps({"score": 82, "band": "High", "reasons": ["Python", "SQL"]})
    return {
        "id": "chatcmpl-faults-1",
        "object": "chat.completion",
        "created": 1795766400,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 20, "total_tokens": 140},
    }


class Verdict(BaseModel):
    score: int
    band: str
    reasons: list[str]


@dataclass(frozen=True)
class Target:
    """One engine (or research, or the LLM client) and what its answers look like."""

    name: str
    method: str
    path: str
    good: Callable[[], Reply]  # a real answer (a recorded fixture)
    title: str  # what is searched
    missing: Any  # an answer without the field the target reads
    missing_reason: str
    wrong: Any  # that field with another type
    wrong_reason: str
    malformed_item: Any = None  # an answer with one item whose own fields have unexpected types

    def __str__(self) -> str:
        return self.name


def _with_item(fixture: str, key: str | None, item: dict[str, Any]) -> Any:
    """The fixture with ``item`` added to its list (``key`` None: the fixture is the list)."""
    data = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    (data if key is None else data[key]).append(item)
    return data


GH = "greenhouse/lakesidemedical_jobs.json"
LEVER = "lever/corvid-analytics.json"
ASHBY = "ashby/northstar-learning.json"
SERP = "serpapi/registered_nurse_page2.json"
EXA = "exa/search_data_engineer.json"
REMOTEOK = "remoteok/api.json"
NEWS = "exa/research_news_corvid.json"

TARGETS = [
    Target(
        "greenhouse",
        "GET",
        "/v1/boards/acme/jobs",
        lambda: fixture_reply(GH),
        "Nurse",
        {"meta": {"total": 0}},
        "unexpected answer from greenhouse: no 'jobs' field",
        {"jobs": {"id": 1}},
        "unexpected answer from greenhouse: 'jobs' is an object, not a list",
        _with_item(GH, "jobs", {"id": 9, "title": "Nurse Aide", "location": "Chicago", "offices": "HQ"}),
    ),
    Target(
        "lever",
        "GET",
        "/v0/postings/acme",
        lambda: fixture_reply(LEVER),
        "Data Engineer",
        {"postings": []},
        "unexpected answer from lever: expected a JSON array, got an object",
        "no postings",
        "unexpected answer from lever: expected a JSON array, got a string",
        _with_item(LEVER, None, {"id": "x9", "text": "Data Engineer", "categories": "Remote"}),
    ),
    Target(
        "ashby",
        "GET",
        "/posting-api/job-board/acme",
        lambda: fixture_reply(ASHBY),
        "Teacher",
        {"apiVersion": "1"},
        "unexpected answer from ashby: no 'jobs' field",
        {"jobs": "none"},
        "unexpected answer from ashby: 'jobs' is a string, not a list",
        _with_item(ASHBY, "jobs", {"id": "a9", "title": "Math Teacher", "compensation": "DOE"}),
    ),
    Target(
        "serpapi",
        "GET",
        "/search",
        lambda: fixture_reply(SERP),
        "Registered Nurse",
        {"search_metadata": {"status": "Success"}},
        "unexpected answer from serpapi (no 'jobs_results' field)",
        {"search_metadata": {"status": "Success"}, "jobs_results": {"0": {}}},
        "unexpected answer from serpapi ('jobs_results' is not a list)",
        _with_item(SERP, "jobs_results", {"title": "RN", "company_name": "X", "detected_extensions": "new"}),
    ),
    Target(
        "exa",
        "POST",
        "/search",
        lambda: fixture_reply(EXA),
        "Data Engineer",
        {"requestId": "req-1", "costDollars": {"total": 0.005}},
        "unexpected answer from exa (no 'results' field)",
        {"requestId": "req-1", "results": "none"},
        "unexpected answer from exa ('results' is not a list)",
    ),
    Target(
        "remoteok",
        "GET",
        "/api",
        lambda: fixture_reply(REMOTEOK),
        "Data Engineer",
        {"legal": "API Terms of Service"},
        "unexpected answer from remoteok (expected a JSON array, got an object)",
        "feed",
        "unexpected answer from remoteok (expected a JSON array, got a string)",
        _with_item(REMOTEOK, None, {"id": 9, "position": "Data Engineer", "company": "X", "tags": 5}),
    ),
    Target(
        "exa_research",
        "POST",
        "/search",
        lambda: fixture_reply(NEWS),
        "Corvid Analytics",
        {"requestId": "req-1"},
        "research unavailable: exa_research: unexpected answer from exa (no 'results' field)",
        {"requestId": "req-1", "results": {"0": {}}},
        "research unavailable: exa_research: unexpected answer from exa ('results' is not a list)",
    ),
    Target(
        "llm",
        "POST",
        "/v1/chat/completions",
        lambda: json_reply(_chat_completion()),
        "screen",
        {"id": "chatcmpl-faults-1", "object": "chat.completion"},
        "HTTP 200: not a chat completion (no 'choices' list)",
        {"id": "chatcmpl-faults-1", "choices": [{"index": 0, "message": "{}"}]},
        "HTTP 200: not a chat completion (no 'message' object in the first choice)",
    ),
]
ENGINES = [t for t in TARGETS if t.name not in ("exa_research", "llm")]
BY_NAME = {t.name: t for t in TARGETS}


# --------------------------------------------------------------------------- running one target


@dataclass
class Outcome:
    """What a target made of an answer: the one line of reason when it failed, else what it found."""

    reason: str | None
    found: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    calls: list[CallRecord] = field(default_factory=list)


def _config(name: str, base_url: str, cache_dir: Path) -> EngineConfig:
    per_engine: dict[str, dict[str, Any]] = {
        "serpapi": {"serpapi_key": KEY, "serpapi_base_url": base_url},
        "exa": {"exa_key": KEY, "exa_base_url": base_url},
        "greenhouse": {"greenhouse_boards": "acme", "greenhouse_base_url": base_url},
        "lever": {"lever_boards": "acme", "lever_base_url": base_url},
        "ashby": {"ashby_boards": "acme", "ashby_base_url": base_url},
        "remoteok": {"remoteok_base_url": base_url},
        "exa_research": {"exa_key": KEY, "exa_base_url": base_url},
    }
    return EngineConfig(enabled=name, cache_dir=str(cache_dir), **per_engine[name])


def run_target(name: str, base_url: str, cache_dir: Path, sleep: Callable[[float], None]) -> Outcome:
    """The target wired as production wires it, asked once."""
    target = BY_NAME[name]
    if name == "llm":
        endpoint = Endpoint("primary", base_url + "/v1", KEY, "test-model", timeout=10.0)
        with LLMClient([endpoint], sleep=sleep) as llm:
            try:
                verdict, _ = llm.complete(task="screen", system="s", user="u", schema=Verdict)
            except LLMError as exc:
                return Outcome(str(exc))
        return Outcome(None, verdict.score)
    if name == "exa_research":
        research = build_research(_config(name, base_url, cache_dir), sleep=sleep)
        assert research is not None
        result = research.research_result(target.title, postings=[])
        note = result.dossier.news_note or ""
        failed = note.startswith("research unavailable")
        return Outcome(note if failed else None, len(result.dossier.news), result.dropped, result.calls)
    engines, skipped = build_engines(_config(name, base_url, cache_dir), sleep=sleep, today=lambda: TODAY)
    assert skipped == [] and len(engines) == 1
    try:
        result = engines[0].search(SearchQuery(target.title))
    except EngineError as exc:
        return Outcome(str(exc), calls=exc.calls)
    return Outcome(None, len(result.postings), result.dropped, result.calls)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def one_line(reason: str | None) -> str:
    """The reason, checked to be one short line without a traceback."""
    assert reason, "the fault went unnoticed"
    assert "\n" not in reason and "Traceback" not in reason and len(reason) < 600, reason
    assert KEY not in reason
    return reason


def failed_call_recorded(target: Target, outcome: Outcome) -> None:
    """An engine's (and research's) failure is a row of the call ledger, with the same reason."""
    if target.name == "llm":
        return
    errors = [c for c in outcome.calls if c.status == "error"]
    assert errors and errors[-1].error and errors[-1].error in outcome.reason  # type: ignore[operator]


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer() as replay:
        yield replay


@pytest.fixture
def internal() -> Iterator[ReplayServer]:
    """Another loopback server: the internal address a redirect must never reach."""
    with ReplayServer() as replay:
        yield replay


@pytest.fixture
def ask(server: ReplayServer, tmp_path: Path) -> Callable[[Target, Reply], Outcome]:
    """Serve one reply on the target's route and ask the target (a fresh answer cache each time)."""
    counter = iter(range(1000))

    def run(target: Target, reply: Reply, sleep: Callable[[float], None] | None = None) -> Outcome:
        server.route(target.method, target.path, reply)
        cache = tmp_path / f"cache{next(counter)}"
        return run_target(target.name, server.base_url, cache, sleep or Sleeps())

    return run


# --------------------------------------------------------------------------- answers that do not fit


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_a_missing_field_is_a_clear_error(target: Target, ask) -> None:
    outcome = ask(target, json_reply(target.missing))
    assert target.missing_reason in one_line(outcome.reason)
    failed_call_recorded(target, outcome)


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_a_field_of_the_wrong_type_is_a_clear_error(target: Target, ask) -> None:
    outcome = ask(target, json_reply(target.wrong))
    assert target.wrong_reason in one_line(outcome.reason)
    failed_call_recorded(target, outcome)


@pytest.mark.parametrize("target", [t for t in TARGETS if t.malformed_item is not None], ids=str)
def test_an_item_with_fields_of_the_wrong_type_is_left_out_and_counted(target: Target, ask) -> None:
    outcome = ask(target, json_reply(target.malformed_item))
    assert outcome.reason is None and outcome.found > 0, "the other items are kept"
    assert outcome.dropped.get("malformed_item") == 1


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_a_byte_order_mark_is_tolerated(target: Target, ask) -> None:
    plain = ask(target, target.good())
    marked = ask(target, bom_reply(target.good()))
    assert plain.reason is None and marked.reason is None
    assert marked.found == plain.found > 0


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_a_byte_order_mark_does_not_hide_a_missing_field(target: Target, ask) -> None:
    outcome = ask(target, bom_reply(json_reply(target.missing)))
    assert target.missing_reason in one_line(outcome.reason)


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_an_empty_body_and_html_are_clear_errors(target: Target, ask) -> None:
    empty = ask(target, Reply(200, b"", dict(JSON)))
    assert "empty body" in one_line(empty.reason)
    page = ask(target, html_reply())
    assert "HTML instead of" in one_line(page.reason)


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_an_answer_nested_too_deeply_is_a_clear_error(target: Target, ask) -> None:
    """Valid JSON past the parser's recursion limit is malformed for us, not a RecursionError."""
    outcome = ask(target, deep_reply())
    assert "malformed JSON" in one_line(outcome.reason)
    failed_call_recorded(target, outcome)


# --------------------------------------------------------------------------- redirects


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_a_redirect_to_an_internal_address_is_refused(
    target: Target, ask, server: ReplayServer, internal: ReplayServer
) -> None:
    internal.route(target.method, target.path, target.good())
    port = internal.base_url.rsplit(":", 1)[1]
    outcome = ask(target, redirect_reply(internal.base_url + target.path, 307))
    reason = one_line(outcome.reason)
    assert f"a redirect to 127.0.0.1:{port} was refused: loopback address, not a public one" in reason
    assert internal.count() == 0, "the internal server never heard of it"
    failed_call_recorded(target, outcome)
    metadata = ask(target, redirect_reply("http://169.254.169.254/latest/meta-data/iam/"))
    assert "169.254.169.254:80 was refused: link-local (cloud metadata) address" in one_line(metadata.reason)


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_a_redirect_on_the_same_server_is_followed(target: Target, ask, server: ReplayServer) -> None:
    server.route(target.method, "/moved" + target.path, target.good())
    outcome = ask(target, redirect_reply("/moved" + target.path, 308))
    assert outcome.reason is None and outcome.found > 0


# --------------------------------------------------------------------------- a wait the run cannot afford


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_a_huge_retry_after_fails_at_once_naming_the_wait(target: Target, ask, server: ReplayServer) -> None:
    sleeps = Sleeps()
    started = time.monotonic()
    outcome = ask(target, status_reply(429, retry_after="100000"), sleeps)
    assert time.monotonic() - started < 5 and sleeps == [], "no wait at all"
    reason = one_line(outcome.reason)
    assert "HTTP 429" in reason and f"{ONE_HOUR_AND_MORE} a retry may wait; not retried" in reason
    assert server.count() == 1, "asked once; the breaker and the next run take over"
    failed_call_recorded(target, outcome)


def test_a_failing_engine_leaves_the_search_to_the_others(server: ReplayServer, tmp_path: Path) -> None:
    greenhouse, lever = BY_NAME["greenhouse"], BY_NAME["lever"]
    server.route(greenhouse.method, greenhouse.path, json_reply(greenhouse.missing))
    server.route(lever.method, lever.path, lever.good())
    config = EngineConfig(
        enabled="greenhouse,lever",
        cache_dir=str(tmp_path),
        greenhouse_boards="acme",
        greenhouse_base_url=server.base_url,
        lever_boards="acme",
        lever_base_url=server.base_url,
    )
    engines, _ = build_engines(config, sleep=Sleeps(), today=lambda: TODAY)
    title = TitleSuggestion(
        title="Data Engineer", slug="data-engineer", display_title="Data Engineer", score=1.0, reason="CV"
    )
    outcome = SharedSearches(engines).search(title, SearchQuery("Data Engineer"))
    assert outcome.postings and outcome.per_engine == {"lever": len(outcome.postings)}
    assert one_line(outcome.errors["greenhouse"]).endswith(
        "unexpected answer from greenhouse: no 'jobs' field"
    )
    ledger = [(c.engine, c.status) for c in outcome.calls]
    assert ("greenhouse", "error") in ledger and ("lever", "ok") in ledger


# --------------------------------------------------------------------------- size: 256 MB answers and a gzip bomb

MEMORY_FAULTS = {
    "oversize": lambda: huge_reply(256 << 20),  # Content-Length: 268435456
    "oversize_no_length": lambda: huge_reply(256 << 20, declare_length=False),
    "gzip_bomb": lambda: gzip_bomb_reply(1 << 30),  # 1 GiB of spaces in about 1 MB
}


def _peak_mb() -> float:
    """This process's peak resident set since it started (see the module docstring), in MB."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    try:
        with Path("/proc/self/clear_refs").open("w", encoding="ascii") as clear:
            clear.write("5")  # 5: reset the peak resident set size to the current one
    except OSError:
        pass  # then each figure is the peak so far, which is still an upper bound


def child_main(argv: list[str]) -> None:
    """In a child process: ask ``target`` once per ``fault=base_url`` and print one JSON line each."""
    name, cache_dir, *faults = argv
    for index, item in enumerate(faults):
        fault, base_url = item.split("=", 1)
        _reset_peak()
        outcome = run_target(name, base_url, Path(cache_dir) / str(index), Sleeps())
        print(
            json.dumps({"fault": fault, "reason": outcome.reason, "peak_mb": round(_peak_mb(), 1)}),
            flush=True,
        )


def _child(target: Target, fault: str, base_url: str, cache_dir: Path) -> subprocess.Popen[str]:
    """A fresh interpreter asking ``target`` once at ``base_url`` (one fault: figures of its own)."""
    code = "import sys; from tests.test_faults import child_main; child_main(sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, target.name, str(cache_dir), f"{fault}={base_url}"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_huge_answers_and_a_gzip_bomb_are_refused_in_bounded_memory(target: Target, tmp_path: Path) -> None:
    cap = "10000000" if target.name == "llm" else "20000000"
    declared = MEMORY_FAULTS["oversize"]()
    expected = {
        "oversize": f"response too large ({len(declared.body) * declared.repeat} bytes > {cap})",
        "oversize_no_length": f"response too large (over {cap} bytes)",
        "gzip_bomb": f"response too large (over {cap} bytes once decompressed)",
    }
    results: dict[str, dict[str, Any]] = {}
    with ReplayServer() as a, ReplayServer() as b, ReplayServer() as c:
        servers = dict(zip(MEMORY_FAULTS, (a, b, c), strict=True))
        children = {}
        for fault, replay in servers.items():
            replay.route(target.method, target.path, MEMORY_FAULTS[fault]())
            children[fault] = _child(target, fault, replay.base_url, tmp_path / fault)
        for fault, child in children.items():
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0 and "Traceback" not in err, err[-2000:]
            (results[fault],) = map(json.loads, out.splitlines())
    for fault, result in results.items():
        assert expected[fault] in one_line(result["reason"]), (fault, result)
        assert result["peak_mb"] < MEMORY_LIMIT_MB, (fault, result)
    figures = ", ".join(f"{fault} {r['peak_mb']:.0f} MB" for fault, r in results.items())
    print(f"{target.name}: peak resident memory {figures}")
