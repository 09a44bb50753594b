"""LLMClient against a loopback OpenAI-compatible server (the real openai SDK, pointed by base_url)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import BaseModel, Field

from jobland_pipeline.llm.client import Endpoint, LLMCall, LLMClient, LLMError, extract_json_text
from tests.openai_server import OpenAIServer, Reply

KEY = "sk-test-SECRET-0123456789abcdef"
GOOD = '{"score": 82, "band": "High", "reasons": ["Python", "SQL"]}'


class Verdict(BaseModel):
    score: int = Field(ge=0, le=100)
    band: str
    reasons: list[str]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as srv:
        yield srv


@pytest.fixture
def backup() -> Iterator[OpenAIServer]:
    with OpenAIServer(model="backup-model") as srv:
        yield srv


def endpoint(srv: OpenAIServer, name: str = "primary", **kw: object) -> Endpoint:
    options: dict = {"api_key": KEY, "model": srv.model, "timeout": 5.0, **kw}
    return Endpoint(name=name, base_url=srv.base_url, **options)


def client(*endpoints: Endpoint, **kw: object) -> LLMClient:
    options: dict = {"sleep": Sleeps(), "backoff_base": 0.01, **kw}
    return LLMClient(endpoints, **options)


def ask(llm: LLMClient, **kw: object) -> tuple[Verdict, list[LLMCall]]:
    options: dict = {"task": "screen", "system": "You screen postings.", "user": "CV and posting here."}
    options.update(kw)
    return llm.complete(schema=Verdict, **options)


def no_secret(calls: list[LLMCall], *texts: str) -> None:
    for call in calls:
        dumped = json.dumps(call.as_dict()) + repr(call)
        for text in (KEY, *texts):
            assert text not in dumped


# --------------------------------------------------------------------------- happy paths


def test_structured_output_usage_and_cost(server: OpenAIServer) -> None:
    server.push(Reply(content=GOOD, prompt_tokens=1200, completion_tokens=300))
    ep = endpoint(server, price_in_per_mtok=2.5, price_out_per_mtok=10.0)
    with client(ep) as llm:
        verdict, calls = ask(llm, max_output_tokens=400)
    assert verdict == Verdict(score=82, band="High", reasons=["Python", "SQL"])
    [call] = calls
    assert (call.status, call.mode, call.attempts, call.endpoint, call.model, call.task) == (
        "ok",
        "structured",
        1,
        "primary",
        "test-model",
        "screen",
    )
    assert (call.input_tokens, call.output_tokens) == (1200, 300)
    assert call.cost_usd == pytest.approx(1200 * 2.5 / 1e6 + 300 * 10.0 / 1e6)
    assert call.latency_ms > 0 and call.error is None
    [request] = server.chat_requests
    assert request.response_format == "json_schema"
    assert request.body["response_format"]["json_schema"]["name"] == "Verdict"
    assert request.body["max_tokens"] == 400  # a local server: max_tokens, not max_completion_tokens
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert [m["role"] for m in request.messages] == ["system", "user"]
    no_secret(calls, "CV and posting here.", "You screen postings.", "Python")


def test_fenced_json_and_placeholder_key(server: OpenAIServer) -> None:
    server.push("Sure!\n```json\n" + GOOD + "\n```\nHope it helps.")
    with client(endpoint(server, api_key="")) as llm:
        verdict, calls = ask(llm)
    assert verdict.score == 82 and calls[0].status == "ok"
    assert server.chat_requests[0].headers["authorization"] == "Bearer not-needed"


def test_extract_json_text() -> None:
    assert extract_json_text('<think>hmm {x}</think>\n{"a": 1}') == '{"a": 1}'
    assert extract_json_text('```\n{"a": 1}\n```') == '{"a": 1}'
    assert extract_json_text('Here: {"a": {"b": 2}} done') == '{"a": {"b": 2}}'


# --------------------------------------------------------------------------- output modes


def test_json_schema_rejected_falls_back_to_json_object_and_remembers() -> None:
    with OpenAIServer(reject_formats={"json_schema"}) as srv, client(endpoint(srv)) as llm:
        srv.push(GOOD, GOOD)
        verdict, calls = ask(llm)
        assert verdict.score == 82
        assert (calls[0].mode, calls[0].status, calls[0].attempts) == ("json_object", "ok", 2)
        assert [r.response_format for r in srv.chat_requests] == ["json_schema", "json_object"]
        system = srv.chat_requests[1].message("system")
        assert system.startswith("You screen postings.") and '"reasons"' in system and "JSON" in system
        assert llm.mode("primary") == "json_object"

        _, calls = ask(llm)  # remembered: no new probe
        assert (calls[0].mode, calls[0].attempts) == ("json_object", 1)
        assert [r.response_format for r in srv.chat_requests] == ["json_schema", "json_object", "json_object"]


def test_json_object_rejected_too_falls_back_to_prompted() -> None:
    with (
        OpenAIServer(reject_formats={"json_schema", "json_object"}) as srv,
        client(endpoint(srv)) as llm,
    ):
        srv.push(GOOD, GOOD)
        verdict, calls = ask(llm)
        assert verdict.score == 82
        assert (calls[0].mode, calls[0].attempts) == ("prompted", 3)
        assert [r.response_format for r in srv.chat_requests] == ["json_schema", "json_object", None]
        assert "response_format" not in srv.chat_requests[2].body
        assert "JSON schema" in srv.chat_requests[2].message("system")
        ask(llm)
        assert srv.chat_requests[3].response_format is None
        assert llm.mode("primary") == "prompted"


# --------------------------------------------------------------------------- invalid output


def test_invalid_json_is_repaired_once(server: OpenAIServer) -> None:
    server.push(
        Reply(content="I think the score is high", prompt_tokens=100, completion_tokens=10),
        Reply(content=GOOD, prompt_tokens=150, completion_tokens=20),
    )
    with client(endpoint(server, price_in_per_mtok=1.0, price_out_per_mtok=2.0)) as llm:
        verdict, calls = ask(llm)
    assert verdict.score == 82
    [call] = calls
    assert (call.status, call.attempts, call.input_tokens, call.output_tokens) == ("repaired", 2, 250, 30)
    assert call.cost_usd == pytest.approx((250 * 1.0 + 30 * 2.0) / 1e6)
    _, repair = server.chat_requests
    assert [m["role"] for m in repair.messages] == ["system", "user", "assistant", "user"]
    assert repair.messages[2]["content"] == "I think the score is high"
    assert "not valid" in repair.message("user") and "JSON" in repair.message("user")
    assert repair.response_format == "json_schema"
    no_secret(calls, "I think the score is high")


def test_schema_violation_is_repaired(server: OpenAIServer) -> None:
    server.push('{"score": 140, "band": "High"}', GOOD)
    with client(endpoint(server)) as llm:
        _, calls = ask(llm)
    assert calls[0].status == "repaired"
    repair_prompt = server.chat_requests[1].message("user")
    assert "score" in repair_prompt and "reasons" in repair_prompt


def test_invalid_twice_is_llm_error(server: OpenAIServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server.push("not json at all", '{"score": "very high"}')
    with client(endpoint(server)) as llm, pytest.raises(LLMError) as caught:
        ask(llm)
    [call] = caught.value.calls
    assert (call.status, call.attempts) == ("invalid", 2)
    assert "score" in (call.error or "")
    assert "very high" not in (call.error or "") and "very high" not in str(caught.value)
    assert llm.circuit("primary") == "closed"  # invalid content is not an endpoint failure
    assert "invalid" in caplog.text and "very high" not in caplog.text and "not json" not in caplog.text


def test_invalid_then_next_endpoint(server: OpenAIServer, backup: OpenAIServer) -> None:
    server.push("nope", "still nope")
    backup.push(GOOD)
    with client(endpoint(server), endpoint(backup, "fallback")) as llm:
        verdict, calls = ask(llm)
    assert verdict.score == 82
    assert [(c.endpoint, c.status) for c in calls] == [("primary", "invalid"), ("fallback", "ok")]
    assert calls[1].model == "backup-model"


def test_refusal_is_invalid_then_repaired(server: OpenAIServer) -> None:
    server.push(Reply(content=None, refusal="I can't help with that."), GOOD)
    with client(endpoint(server)) as llm:
        _, calls = ask(llm)
    assert calls[0].status == "repaired"
    assert server.chat_requests[1].messages[2]["content"] == "I can't help with that."


# --------------------------------------------------------------------------- retries


def test_429_honours_retry_after(server: OpenAIServer) -> None:
    server.push(Reply(status=429, error="slow down", headers={"Retry-After": "1"}), GOOD)
    sleeps = Sleeps()
    with client(endpoint(server), sleep=sleeps) as llm:
        _, calls = ask(llm)
    assert sleeps == [pytest.approx(1.0)]
    assert (calls[0].status, calls[0].attempts) == ("ok", 2)


def test_retry_after_over_max_wait_moves_on_at_once(server: OpenAIServer, backup: OpenAIServer) -> None:
    server.push(Reply(status=429, headers={"Retry-After": "3600"}), GOOD)
    backup.push(GOOD)
    sleeps = Sleeps()
    with client(endpoint(server), endpoint(backup, "fallback"), sleep=sleeps) as llm:
        verdict, calls = ask(llm)
    assert verdict.score == 82 and sleeps == [] and len(server.chat_requests) == 1
    assert calls[0].status == "error" and calls[0].attempts == 1
    assert calls[0].error == (
        "HTTP 429: scripted HTTP 429; the server asks to wait 3600 s (1.0 h) before a retry "
        "(Retry-After), more than the 60 s a retry may wait; not retried"
    )


def test_500_forever_then_fallback(server: OpenAIServer, backup: OpenAIServer) -> None:
    server.fallback = Reply(status=500, error="upstream exploded")
    backup.push(GOOD)
    sleeps = Sleeps()
    with client(endpoint(server), endpoint(backup, "fallback"), max_retries=2, sleep=sleeps) as llm:
        verdict, calls = ask(llm)
    assert verdict.score == 82
    assert len(server.chat_requests) == 3
    assert [(c.endpoint, c.status, c.attempts) for c in calls] == [
        ("primary", "error", 3),
        ("fallback", "ok", 1),
    ]
    assert "HTTP 500" in (calls[0].error or "") and "3 attempts" in (calls[0].error or "")
    assert len(sleeps) == 2  # full jitter: within the exponential ceiling
    assert 0 <= sleeps[0] <= 0.01 and 0 <= sleeps[1] <= 0.02


def test_401_is_not_retried_and_key_stays_secret(
    server: OpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.fallback = Reply(
        status=401, error={"error": {"message": f"Incorrect API key provided: {KEY}", "type": "auth"}}
    )
    sleeps = Sleeps()
    with client(endpoint(server), sleep=sleeps) as llm, pytest.raises(LLMError) as caught:
        ask(llm)
    [call] = caught.value.calls
    assert (call.status, call.attempts) == ("error", 1)
    assert len(server.chat_requests) == 1 and sleeps == []
    assert "HTTP 401" in (call.error or "")
    assert KEY not in str(caught.value) and KEY not in repr(caught.value.calls)
    assert KEY not in repr(llm.endpoints)
    no_secret(caught.value.calls, "CV and posting here.")
    assert "HTTP 401" in caplog.text
    assert KEY not in caplog.text and "CV and posting here." not in caplog.text


def test_hang_times_out_then_next_endpoint(server: OpenAIServer, backup: OpenAIServer) -> None:
    server.fallback = Reply(content=GOOD, delay=30)
    backup.push(GOOD)
    with client(endpoint(server, timeout=0.5), endpoint(backup, "fallback"), max_retries=1) as llm:
        verdict, calls = ask(llm)
    assert verdict.score == 82
    assert [(c.endpoint, c.status, c.attempts) for c in calls] == [
        ("primary", "error", 2),
        ("fallback", "ok", 1),
    ]
    assert "timed out" in (calls[0].error or "")


def test_connection_refused_is_retried_then_error() -> None:
    with OpenAIServer() as srv:
        dead = endpoint(srv)
    with client(dead, max_retries=1) as llm, pytest.raises(LLMError) as caught:
        ask(llm)
    assert (caught.value.calls[0].attempts, caught.value.calls[0].status) == (2, "error")
    assert "connection" in (caught.value.calls[0].error or "")


def test_rate_limiter_spaces_requests(server: OpenAIServer) -> None:
    clock = Clock()

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock.now += seconds

    sleeps: list[float] = []
    server.push(GOOD, GOOD)
    with client(endpoint(server, rpm=60, max_concurrent=1), sleep=sleep, clock=clock) as llm:
        ask(llm)
        ask(llm)
    assert sum(sleeps) == pytest.approx(1.0)


def test_concurrent_calls_share_one_client(server: OpenAIServer) -> None:
    def responder(body: dict) -> str:
        n = int(body["messages"][-1]["content"])
        return json.dumps({"score": n, "band": "Low", "reasons": []})

    server.responder = responder
    with client(endpoint(server, max_concurrent=2)) as llm, ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda n: ask(llm, user=str(n)), range(12)))
    assert [verdict.score for verdict, _ in results] == list(range(12))
    assert all(calls[0].status == "ok" for _, calls in results)


# --------------------------------------------------------------------------- circuit breaker


def test_circuit_breaker_opens_skips_and_half_opens(server: OpenAIServer, backup: OpenAIServer) -> None:
    clock = Clock()
    server.fallback = Reply(status=503)
    backup.fallback = Reply(content=GOOD)
    primary, fallback = endpoint(server), endpoint(backup, "fallback")
    with client(
        primary, fallback, max_retries=0, breaker_failures=2, breaker_cooldown=60, clock=clock
    ) as llm:
        for _ in range(2):
            _, calls = ask(llm)
            assert [c.status for c in calls] == ["error", "ok"]
        assert llm.circuit("primary") == "open"
        assert len(server.chat_requests) == 2

        _, calls = ask(llm)  # skipped: no request reaches it
        assert [(c.status, c.attempts) for c in calls] == [("circuit_open", 0), ("ok", 1)]
        assert len(server.chat_requests) == 2

        clock.now += 59
        ask(llm)
        assert len(server.chat_requests) == 2

        clock.now += 2  # half-open: one trial, which fails and re-opens the circuit
        _, calls = ask(llm)
        assert calls[0].status == "error" and len(server.chat_requests) == 3
        _, calls = ask(llm)
        assert calls[0].status == "circuit_open" and len(server.chat_requests) == 3

        clock.now += 61  # half-open again: the trial succeeds and closes the circuit
        server.fallback = Reply(content=GOOD)
        _, calls = ask(llm)
        assert [c.endpoint for c in calls] == ["primary"] and calls[0].status == "ok"
        assert llm.circuit("primary") == "closed"
        ask(llm)
        assert len(server.chat_requests) == 5


def test_all_circuits_open_is_llm_error(server: OpenAIServer) -> None:
    server.fallback = Reply(status=500)
    with client(endpoint(server), max_retries=0, breaker_failures=1, clock=Clock()) as llm:
        with pytest.raises(LLMError):
            ask(llm)
        with pytest.raises(LLMError) as caught:
            ask(llm)
    assert [(c.status, c.attempts) for c in caught.value.calls] == [("circuit_open", 0)]
    assert len(server.chat_requests) == 1


# --------------------------------------------------------------------------- server helpers


def test_responder_computes_answers(server: OpenAIServer) -> None:
    def responder(body: dict) -> str:
        user = body["messages"][-1]["content"]
        return json.dumps({"score": len(user), "band": "Low", "reasons": [user.split()[0]]})

    server.responder = responder
    with client(endpoint(server)) as llm:
        verdict, _ = ask(llm, user="Hello there")
    assert verdict == Verdict(score=11, band="Low", reasons=["Hello"])


def test_unsupported_max_tokens_switches_parameter(server: OpenAIServer) -> None:
    message = "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."
    server.push(Reply(status=400, error=message), GOOD, GOOD)
    with client(endpoint(server)) as llm:
        _, calls = ask(llm, max_output_tokens=100)
        ask(llm, max_output_tokens=100)
        assert llm.mode("primary") == "structured"  # not mistaken for a response_format rejection
    assert (calls[0].status, calls[0].attempts) == ("ok", 2)
    assert [("max_tokens" in r.body, r.body.get("max_completion_tokens")) for r in server.chat_requests] == [
        (True, None),
        (False, 100),
        (False, 100),
    ]


def test_max_completion_tokens_for_openai_hosts() -> None:
    llm = LLMClient([Endpoint(name="openai", base_url="https://api.openai.com/v1", api_key=KEY, model="m")])
    with llm:
        assert llm._slots[0].token_param == "max_completion_tokens"


def test_endpoint_validation() -> None:
    with pytest.raises(ValueError):
        LLMClient([])
    ep = Endpoint(name="a", base_url="http://127.0.0.1:9/v1", api_key="", model="m")
    with pytest.raises(ValueError):
        LLMClient([ep, ep])
