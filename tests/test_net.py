"""The network layer (jobland_pipeline.net): retry policy, breaker, rate limiter, redaction, cache, and the
HTTP client against real loopback servers (the client is never patched), plus the layering rules.
"""

from __future__ import annotations

import ast
import ipaddress
import json
import logging
import random
import socket
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobland_pipeline import net
from jobland_pipeline.net import (
    CircuitBreaker,
    ConnectFailed,
    DeadlineExceeded,
    HttpClient,
    NetError,
    RateLimiter,
    RedirectRefused,
    ResponseCache,
    RetryEvent,
    RetryPolicy,
    StatusError,
    TimedOut,
    TooLarge,
    header_secrets,
    make_cache_key,
    parse_retry_after,
    redact,
    redirect_refusal,
    register_secret,
    status_error,
)
from tests.replay import (
    ReplayServer,
    Reply,
    gzip_bomb_reply,
    http_date,
    json_reply,
    redirect_reply,
    scenario,
)

ROOT = Path(__file__).resolve().parent.parent
NET = ROOT / "jobland_pipeline" / "net"
SECRET = "net-SECRET-5e2d9c81a7"


class Sleeps(list[float]):
    """A sleep that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class Flaky:
    """A callable that raises the given errors in turn, then returns "ok"; counts its calls."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def transient(retry_after: float | None = None) -> NetError:
    return NetError("HTTP 503", retryable=True, status=503, retry_after=retry_after)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer() as replay:
        yield replay


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(timeout=2.0, max_body_bytes=100_000) as http:
        yield http


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------- retry policy


def test_retry_after_seconds_is_honoured_up_to_max_wait() -> None:
    sleeps = Sleeps()
    fn = Flaky(transient(retry_after=1.5))
    assert RetryPolicy(3, backoff_max=30, sleep=sleeps).call(fn) == "ok"
    assert (fn.calls, sleeps) == (2, [1.5])
    sleeps.clear()
    fn = Flaky(transient(retry_after=45))
    assert RetryPolicy(3, backoff_max=2.0, sleep=sleeps).call(fn) == "ok"
    assert sleeps == [45], "a server's Retry-After up to max_wait is waited as sent, not cut to backoff_max"


def test_a_server_asking_for_more_than_max_wait_fails_at_once_naming_the_wait() -> None:
    sleeps = Sleeps()
    fn = Flaky(transient(retry_after=100000))
    started = time.monotonic()
    with pytest.raises(NetError) as caught:
        RetryPolicy(3, sleep=sleeps).call(fn)
    assert (fn.calls, sleeps) == (1, []), "no wait, no second try"
    assert time.monotonic() - started < 1
    assert str(caught.value) == (
        "HTTP 503; the server asks to wait 100000 s (27.8 h) before a retry (Retry-After), "
        "more than the 60 s a retry may wait; not retried"
    )
    fn = Flaky(transient(retry_after=10))
    with pytest.raises(
        NetError, match=r"wait 10 s before a retry \(Retry-After\), more than the 5 s a retry may wait"
    ):
        RetryPolicy(3, max_wait=5, sleep=sleeps).call(fn)
    assert sleeps == []


def test_the_budget_bounds_the_whole_call() -> None:
    sleeps = Sleeps()
    fn = Flaky(transient(retry_after=1), transient(retry_after=40))
    with pytest.raises(NetError) as caught:
        RetryPolicy(3, budget=30, sleep=sleeps).call(fn)
    assert (fn.calls, sleeps) == (2, [1]), "the first wait fits the budget, the second does not"
    assert str(caught.value).endswith(
        "a retry in 40 s would end past the 30 s budget of this call; not retried"
    )
    with pytest.raises(ValueError):
        RetryPolicy(budget=0)


def test_retry_after_http_date_drives_the_wait() -> None:
    sleeps = Sleeps()
    error = status_error(429, {"Retry-After": http_date(5)})
    assert error.retryable and error.retry_after is not None and 3.5 < error.retry_after <= 5
    RetryPolicy(3, sleep=sleeps).call(Flaky(error))
    assert len(sleeps) == 1 and 3.5 < sleeps[0] <= 5


def test_full_jitter_backoff_then_the_last_error() -> None:
    sleeps = Sleeps()
    fn = Flaky(*(transient() for _ in range(10)))
    policy = RetryPolicy(3, backoff_base=0.5, backoff_max=1.5, sleep=sleeps, rng=random.Random(7))
    with pytest.raises(NetError, match="HTTP 503"):
        policy.call(fn)
    assert fn.calls == 4, "max_retries=3: four attempts"
    ceilings = [0.5, 1.0, 1.5]  # base * 2**(n-1), capped at backoff_max
    assert len(sleeps) == 3 and all(0 <= s <= c for s, c in zip(sleeps, ceilings, strict=True))
    again = Sleeps()
    replay = RetryPolicy(3, backoff_base=0.5, backoff_max=1.5, sleep=again, rng=random.Random(7))
    with pytest.raises(NetError):
        replay.call(Flaky(*(transient() for _ in range(10))))
    assert again == sleeps, "the injected rng makes the jitter reproducible"


@pytest.mark.parametrize(
    "error",
    [
        status_error(404),
        status_error(400),
        NetError("malformed JSON from x", retryable=False),
        TooLarge(100, 200),
        ValueError("not a network error"),
    ],
)
def test_what_cannot_pass_is_not_retried(error: BaseException) -> None:
    sleeps = Sleeps()
    fn = Flaky(error)
    with pytest.raises(type(error)):
        RetryPolicy(3, sleep=sleeps).call(fn)
    assert (fn.calls, sleeps) == (1, [])


def test_status_classification() -> None:
    assert [status_error(s).retryable for s in (429, 500, 502, 503, 400, 401, 403, 404, 422)] == [
        *[True] * 4,
        *[False] * 5,
    ]
    assert status_error(503, {"Retry-After": "7"}).retry_after == 7.0
    assert status_error(404, {"Retry-After": "7"}).retry_after is None, "only read when we will retry"
    assert str(status_error(500)) == "HTTP 500"


def test_on_retry_reports_each_wait_and_a_custom_predicate() -> None:
    events: list[RetryEvent] = []
    fn = Flaky(transient(retry_after=0.25), transient(retry_after=0.5))
    RetryPolicy(3, sleep=Sleeps()).call(fn, on_retry=events.append)
    assert [(e.attempt, e.delay, str(e.error)) for e in events] == [
        (1, 0.25, "HTTP 503"),
        (2, 0.5, "HTTP 503"),
    ]
    fn = Flaky(transient())
    with pytest.raises(NetError):
        RetryPolicy(3, sleep=Sleeps()).call(fn, retry_if=lambda e: False)
    assert fn.calls == 1


def test_no_wait_past_the_deadline() -> None:
    sleeps = Sleeps()
    fn = Flaky(transient(retry_after=5.0))
    with pytest.raises(NetError):
        RetryPolicy(3, sleep=sleeps).call(fn, deadline=time.monotonic() + 2.0)
    assert (fn.calls, sleeps) == (1, []), "a 5 s wait would end past the 2 s budget"


def test_policy_arguments_are_checked() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(-1)
    with pytest.raises(ValueError):
        RetryPolicy(1, backoff_base=-0.5)


def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0 and parse_retry_after(" 0.5 ") == 0.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0, "a date in the past: no wait"
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


# --------------------------------------------------------------------------- circuit breaker


def test_breaker_opens_cools_down_and_half_opens_once() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=2, cooldown=30, clock=lambda: now[0])
    assert breaker.state == "closed" and breaker.allow()
    breaker.failure()
    assert breaker.state == "closed", "one failure is not a pattern"
    breaker.failure()
    assert breaker.state == "open" and not breaker.allow()
    now[0] += 29
    assert not breaker.allow()
    now[0] += 1
    assert breaker.state == "half_open"
    assert breaker.allow(), "one trial call"
    assert not breaker.allow(), "and only one"
    breaker.failure()
    assert breaker.state == "open", "a failed trial opens the circuit again at once"
    now[0] += 30
    assert breaker.allow()
    breaker.success()
    assert breaker.state == "closed" and breaker.failures == 0 and breaker.allow()


def test_breaker_success_resets_the_count() -> None:
    breaker = CircuitBreaker(failures=3, cooldown=30, clock=lambda: 0.0)
    for _ in range(5):
        breaker.failure()
        breaker.failure()
        breaker.success()
    assert breaker.state == "closed", "never three failures in a row"


def test_breaker_lets_one_thread_make_the_trial() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=1, cooldown=10, clock=lambda: now[0])
    breaker.failure()
    now[0] = 10
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(breaker.allow())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


# --------------------------------------------------------------------------- rate limiter


def test_token_bucket_with_burst() -> None:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    limiter = RateLimiter(requests_per_minute=120, burst=3, clock=lambda: clock[0], sleep=sleep)
    for _ in range(3):
        with limiter:
            pass
    assert clock[0] == 0.0, "the burst goes at once"
    for _ in range(2):
        with limiter:
            pass
    assert clock[0] == pytest.approx(1.0), "then one every half second"


def test_concurrency_cap_and_argument_checks() -> None:
    limiter = RateLimiter(max_concurrent=1)
    limiter.acquire()
    entered = threading.Event()

    def second() -> None:
        with limiter:
            entered.set()

    worker = threading.Thread(target=second)
    worker.start()
    assert not entered.wait(0.1), "a second request waits while one is in flight"
    limiter.release()
    assert entered.wait(2)
    worker.join(2)
    with pytest.raises(ValueError):
        RateLimiter(requests_per_minute=0)
    with pytest.raises(ValueError):
        RateLimiter(max_concurrent=0)


# --------------------------------------------------------------------------- redaction


def test_redact_query_values_registered_and_given_secrets() -> None:
    register_secret(SECRET)
    text = f"GET /search?q=nurse&api_key=abc123&token=t0k3n key={SECRET} Bearer zyx-987654 {SECRET}x"
    cleaned = redact(text, ["zyx-987654"])
    assert "abc123" not in cleaned and "t0k3n" not in cleaned and SECRET not in cleaned
    assert "zyx-987654" not in cleaned and "q=nurse" in cleaned
    assert cleaned.count("***") == 5
    assert redact("the cat sat", ["cat"]) == "the cat sat", "values under 4 characters are not secrets"
    register_secret("ab")
    assert "ab" in redact("abc")


def test_header_secrets() -> None:
    found = header_secrets(
        {"Authorization": "Bearer tok-123456", "X-API-Key": "k-abcdef", "Accept": "application/json"}
    )
    assert found == ["Bearer tok-123456", "tok-123456", "k-abcdef"]


def test_log_lines_of_the_http_libraries_are_redacted(
    server: ReplayServer, client: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    register_secret(SECRET)
    server.route("GET", "/search", json_reply({"ok": True}))
    client.request("GET", server.base_url + "/search", params={"q": "nurse", "api_key": "plain-key-0042"})
    logging.getLogger("httpx").info("again: %s", f"x-api-key={SECRET}")
    assert server.requests()[0].query["api_key"] == "plain-key-0042", "the key was sent"
    assert "/search?q=nurse&api_key=***" in caplog.text, "httpx logs the URL, redacted"
    assert "plain-key-0042" not in caplog.text and SECRET not in caplog.text


# --------------------------------------------------------------------------- cache


def test_cache_key_ignores_order_and_the_cache_round_trips(tmp_path: Path) -> None:
    assert make_cache_key("exa", {"a": 1, "b": [1, 2]}) == make_cache_key("exa", {"b": [1, 2], "a": 1})
    assert make_cache_key("exa", {"a": 1}) != make_cache_key("serpapi", {"a": 1})
    now = [100.0]
    cache = ResponseCache(tmp_path, 10, clock=lambda: now[0])
    key = make_cache_key("exa", {"q": "nurse"})
    cache.put(key, {"results": ["护士"]})
    assert cache.get(key) == {"results": ["护士"]}
    now[0] = 111.0
    assert cache.get(key) is None, "expired"
    now[0] = 0.0
    cache.put(key, 1)
    now[0] = -100.0
    assert cache.get(key) is None, "stored 'in the future': not trusted"


# --------------------------------------------------------------------------- HTTP client on loopback


def test_get_and_post_round_trip(server: ReplayServer, client: HttpClient) -> None:
    server.route("GET", "/jobs", json_reply({"jobs": [1, 2]}))
    server.route("POST", "/search", json_reply({"results": []}))
    answer = client.request("GET", server.base_url + "/jobs", params={"content": "true", "page": 2})
    assert (answer.status, answer.json()) == (200, {"jobs": [1, 2]})
    posted = client.request("POST", server.base_url + "/search", json={"query": "数据", "numResults": 3})
    assert posted.json() == {"results": []}
    get, post = server.requests()
    assert get.query == {"content": "true", "page": "2"}
    assert get.headers["user-agent"] == net.DEFAULT_USER_AGENT
    assert post.json() == {"query": "数据", "numResults": 3}


def test_cookies_are_neither_kept_nor_sent(server: ReplayServer, client: HttpClient) -> None:
    server.route("GET", "/login", json_reply({}, headers={"Set-Cookie": "session=abc123; Path=/"}))
    server.route("GET", "/jobs", json_reply({}))
    client.request("GET", server.base_url + "/login")
    client.request("GET", server.base_url + "/jobs")
    assert "cookie" not in server.requests("/jobs")[0].headers


def test_status_errors_carry_retry_after(server: ReplayServer, client: HttpClient) -> None:
    server.route("GET", "/limited", *scenario("rate_limited"))
    server.route("GET", "/missing", *scenario("not_found"))
    limited = client.request("GET", server.base_url + "/limited")
    with pytest.raises(StatusError) as caught:
        limited.raise_for_status()
    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (429, True, 1.0)
    with pytest.raises(StatusError) as caught:
        client.request("GET", server.base_url + "/missing").raise_for_status()
    assert (caught.value.status, caught.value.retryable) == (404, False)


def test_retry_policy_around_the_client(server: ReplayServer, client: HttpClient) -> None:
    server.route("GET", "/jobs", *scenario("rate_limited", json_reply({"jobs": []})))
    sleeps = Sleeps()

    def get() -> object:
        response = client.request("GET", server.base_url + "/jobs")
        response.raise_for_status()
        return response.json()

    assert RetryPolicy(3, sleep=sleeps).call(get) == {"jobs": []}
    assert server.count() == 2 and sleeps == [1.0]


def test_declared_body_over_the_cap_is_refused_before_reading(
    server: ReplayServer, client: HttpClient
) -> None:
    server.route("GET", "/huge", *scenario("huge"))
    with pytest.raises(TooLarge) as caught:
        client.request("GET", server.base_url + "/huge")
    assert caught.value.declared is not None and caught.value.declared > 100_000
    assert not caught.value.retryable and "response too large" in str(caught.value)


def test_undeclared_body_is_cut_at_the_cap(server: ReplayServer, client: HttpClient) -> None:
    server.route("GET", "/huge", *scenario("huge_no_length"))
    with client.request("GET", server.base_url + "/huge", stream=True) as response:
        assert response.status == 200 and response.declared_length() is None
        with pytest.raises(TooLarge) as caught:
            response.read()
    assert caught.value.declared is None and caught.value.limit == 100_000


def test_a_hang_times_out_and_may_be_retried(server: ReplayServer) -> None:
    server.route("GET", "/hang", *scenario("hang"))
    started = time.monotonic()
    with HttpClient(timeout=0.3) as http, pytest.raises(TimedOut) as caught:
        http.request("GET", server.base_url + "/hang")
    assert time.monotonic() - started < 1.5
    assert caught.value.retryable and str(caught.value) == "timed out after 0.3s"


def test_connection_refused_says_so_without_the_url(client: HttpClient) -> None:
    port = closed_port()
    with pytest.raises(ConnectFailed) as caught:
        client.request("GET", f"http://127.0.0.1:{port}/api", params={"api_key": SECRET})
    error = caught.value
    assert error.retryable and error.reason == "connection refused"
    assert str(error) == "connection error (connection refused)"
    assert error.__cause__ is None and error.__suppress_context__


def test_an_invalid_url_is_a_net_error(client: HttpClient) -> None:
    with pytest.raises(NetError, match="invalid URL") as caught:
        client.request("GET", "ftp://example.com/cv.pdf")
    assert not caught.value.retryable


class _DripServer:
    """Accepts one connection and drips response *headers* a byte every 0.1 s (never finishing them)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve)

    def _serve(self) -> None:
        self.listener.settimeout(5)
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while not self.stop.wait(0.1):
                    conn.sendall(b"x")
            except OSError:
                pass

    def __enter__(self) -> _DripServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)
        self.listener.close()


def test_the_deadline_ends_dripping_headers(client: HttpClient) -> None:
    with _DripServer() as drip:
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded) as caught:
            client.request("GET", f"http://127.0.0.1:{drip.port}/", timeout=0.5, deadline=started + 0.8)
        elapsed = time.monotonic() - started
    assert 0.7 < elapsed < 1.5, "each byte arrives within the timeout: only the deadline can end it"
    assert not caught.value.retryable, "the time budget is spent"


def test_a_passed_deadline_sends_nothing(server: ReplayServer, client: HttpClient) -> None:
    with pytest.raises(DeadlineExceeded):
        client.request("GET", server.base_url + "/jobs", deadline=time.monotonic() - 1)
    assert server.count() == 0


def test_client_arguments_are_checked() -> None:
    with pytest.raises(ValueError):
        HttpClient(timeout=0)
    with pytest.raises(ValueError):
        HttpClient(max_body_bytes=0)
    with pytest.raises(ValueError):
        HttpClient(max_redirects=-1)


# --------------------------------------------------------------------------- compressed bodies


def _encoded(status: int, body: bytes, coding: str) -> Reply:
    return Reply(status, body, {"Content-Type": "application/json", "Content-Encoding": coding})


def test_gzip_and_both_deflate_forms_are_decoded(server: ReplayServer, client: HttpClient) -> None:
    data = json.dumps({"jobs": ["数据"] * 50}).encode()
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    forms = {
        "/gzip": _encoded(200, _gzip(data), "gzip"),
        "/zlib": _encoded(200, zlib.compress(data), "deflate"),
        "/raw": _encoded(200, raw.compress(data) + raw.flush(), "deflate"),
        "/both": _encoded(200, _gzip(zlib.compress(data)), "deflate, gzip"),
        "/plain": _encoded(200, data, "identity"),
    }
    for path, reply in forms.items():
        server.route("GET", path, reply)
        assert client.request("GET", server.base_url + path).content == data, path
    assert server.requests("/gzip")[0].headers["accept-encoding"] == "gzip, deflate"


def _gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def test_only_codings_decoded_in_bounded_steps_are_accepted(server: ReplayServer, client: HttpClient) -> None:
    server.route("GET", "/br", _encoded(200, b"\x1b\x03\x00\xf8", "br"))
    server.route("GET", "/bad", _encoded(200, b"not gzip at all", "gzip"))
    with pytest.raises(NetError, match="unsupported content encoding 'br'"):
        client.request("GET", server.base_url + "/br", headers={"Accept-Encoding": "br, gzip"})
    assert server.requests("/br")[0].headers["accept-encoding"] == "gzip, deflate", "br is never asked for"
    with pytest.raises(NetError, match=r"undecodable response body \(bad gzip data\)"):
        client.request("GET", server.base_url + "/bad")


def test_a_gzip_bomb_is_refused_by_its_decompressed_size_with_memory_to_match(
    server: ReplayServer, client: HttpClient
) -> None:
    server.route("GET", "/bomb", gzip_bomb_reply(64 << 20))  # 64 MB of spaces in 65 kB, under the cap
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge) as caught:
            client.request("GET", server.base_url + "/bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == "response too large (over 100000 bytes once decompressed)"
    assert not caught.value.retryable
    # The cap (100 kB) plus one 64 KiB piece and a network read, not the 64 MB one read can inflate to.
    assert peak < 4_000_000, f"{peak / 1e6:.1f} MB allocated while refusing a 64 MB bomb"


# --------------------------------------------------------------------------- redirects


@pytest.fixture
def internal() -> Iterator[ReplayServer]:
    """A second loopback server: an "internal" address no redirect may lead to."""
    with ReplayServer() as replay:
        replay.route("GET", "/latest/meta-data/", json_reply({"secret": "instance credentials"}))
        replay.route("POST", "/latest/meta-data/", json_reply({"secret": "instance credentials"}))
        yield replay


def test_redirects_are_not_followed_unless_asked(server: ReplayServer, client: HttpClient) -> None:
    server.route("GET", "/old", redirect_reply("/new"))
    answer = client.request("GET", server.base_url + "/old")
    assert (answer.status, answer.headers["Location"], server.count()) == (302, "/new", 1)


def test_same_origin_redirects_are_followed(server: ReplayServer) -> None:
    server.route("GET", "/v1/jobs", redirect_reply("/v1/jobs/", 301))
    server.route("GET", "/v1/jobs/", json_reply({"jobs": []}))
    server.route("POST", "/v1/search", redirect_reply("/v1/search/", 307))
    server.route("POST", "/v1/search/", json_reply({"results": []}))
    server.route("POST", "/v1/form", redirect_reply("/v1/done", 303))
    server.route("GET", "/v1/done", json_reply({"done": True}))
    with HttpClient(timeout=2.0, max_redirects=3) as http:
        assert http.request("GET", server.base_url + "/v1/jobs").json() == {"jobs": []}
        assert http.request("POST", server.base_url + "/v1/search", json={"q": 1}).json() == {"results": []}
        assert http.request("POST", server.base_url + "/v1/form", json={"q": 1}).json() == {"done": True}
    assert server.requests("/v1/search/")[0].json() == {"q": 1}, "307 keeps the method and the body"
    assert server.requests("/v1/done")[0].body == b"", "303 is a GET without the body"


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        (
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254:80 was refused: link-local (cloud metadata) address",
        ),
        ("http://10.0.0.7/admin", "10.0.0.7:80 was refused: private address, not a public one"),
        ("http://[::1]:9/x", "[::1]:9 was refused: loopback address, not a public one"),
        ("http://localhost:9/x", "localhost:9 was refused: a local host name"),
        ("http://metadata.google.internal/x", "metadata.google.internal:80 was refused: a local host name"),
        ("https://example.org/v1/jobs", "a redirect to another host (example.org:443) is not followed"),
        ("ftp://example.org/x", "a redirect to a scheme other than http(s) is not followed"),
        ("http://user:pw@example.org/x", "with a user name or password is not followed"),
    ],
)
def test_redirects_off_the_api_host_are_refused(server: ReplayServer, location: str, reason: str) -> None:
    server.route("GET", "/v1/jobs", redirect_reply(location))
    with HttpClient(timeout=2.0, max_redirects=3) as http, pytest.raises(RedirectRefused) as caught:
        http.request("GET", server.base_url + "/v1/jobs", params={"api_key": SECRET})
    assert reason in str(caught.value) and caught.value.status == 302 and not caught.value.retryable
    assert (
        SECRET not in str(caught.value)
        and "/x" not in str(caught.value)
        and "meta-data" not in str(caught.value)
    )


def test_a_redirect_to_another_loopback_port_never_reaches_it(
    server: ReplayServer, internal: ReplayServer
) -> None:
    server.route("POST", "/v1/chat", redirect_reply(internal.base_url + "/latest/meta-data/", 307))
    with HttpClient(timeout=2.0, max_redirects=3) as http, pytest.raises(RedirectRefused) as caught:
        http.request("POST", server.base_url + "/v1/chat", json={"messages": []})
    port = internal.base_url.rsplit(":", 1)[1]
    assert (
        str(caught.value) == f"a redirect to 127.0.0.1:{port} was refused: loopback address, not a public one"
    )
    assert internal.count() == 0


def test_too_many_redirects(server: ReplayServer) -> None:
    server.route("GET", "/loop", redirect_reply("/loop"))
    with (
        HttpClient(timeout=2.0, max_redirects=2) as http,
        pytest.raises(RedirectRefused, match="more than 2 redirects"),
    ):
        http.request("GET", server.base_url + "/loop")
    assert server.count() == 3


def test_redirect_rules() -> None:
    assert redirect_refusal("http://127.0.0.1:8080/v1/a", "http://127.0.0.1:8080/v1/b") is None, "same origin"
    assert redirect_refusal("http://8.8.8.8/a", "https://8.8.8.8/b") is None, "same public host, https"
    assert "https to http" in str(redirect_refusal("https://8.8.8.8/a", "http://8.8.8.8/b"))
    assert "loopback" in str(redirect_refusal("http://127.0.0.1:8080/", "http://127.0.0.1:8081/"))
    assert "IPv4-mapped loopback" in str(redirect_refusal("http://8.8.8.8/", "http://[::ffff:127.0.0.1]/"))
    assert net.blocked_kind(ipaddress.ip_address("8.8.8.8")) is None


def test_an_sdk_client_makes_its_requests_through_net(server: ReplayServer, internal: ReplayServer) -> None:
    server.route("GET", "/ok", _encoded(200, _gzip(b'{"ok": true}'), "gzip"))
    server.route("GET", "/bomb", gzip_bomb_reply(64 << 20))
    server.route("GET", "/away", redirect_reply(internal.base_url + "/latest/meta-data/"))
    with HttpClient(timeout=2.0, max_body_bytes=100_000, max_redirects=3) as http:
        sdk = http.sdk_client()
        answer = sdk.get(server.base_url + "/ok")
        assert answer.json() == {"ok": True} and "content-encoding" not in answer.headers
        with pytest.raises(TooLarge):
            sdk.get(server.base_url + "/bomb")
        with pytest.raises(RedirectRefused):
            sdk.get(server.base_url + "/away")
        sdk.close()
    assert internal.count() == 0


# --------------------------------------------------------------------------- layering


def _imports(path: Path) -> list[tuple[int, str]]:
    """(relative level, module) of every import statement in a file."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(0, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
    return found


def _project_modules() -> list[Path]:
    skip = {".venv", "var", "build", "dist", "node_modules"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not any(part in skip or part.startswith(".") for part in path.relative_to(ROOT).parts)
    ]


def test_net_is_a_leaf_package() -> None:
    allowed_third_party = {"httpx", "tenacity"}
    modules = sorted(NET.glob("*.py"))
    assert {p.name for p in modules} >= {"__init__.py", "_client.py", "_retry.py"}
    for path in modules:
        for level, module in _imports(path):
            where = f"{path.name}: {'.' * level}{module}"
            if level:
                assert level == 1, f"{where}: only sibling modules of net"
                continue
            if module.startswith("jobland_pipeline"):
                assert module == "jobland_pipeline.net" or module.startswith("jobland_pipeline.net."), where
                continue
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or top in allowed_third_party, where


def test_net_exports_an_explicit_public_api() -> None:
    assert sorted(net.__all__) == sorted(set(net.__all__))
    assert all(hasattr(net, name) for name in net.__all__)
    assert all(not name.startswith("_") for name in net.__all__)


def test_no_module_imports_requests() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _project_modules()
        for level, module in _imports(path)
        if level == 0 and module.split(".")[0] == "requests"
    ]
    assert offenders == []


def test_only_net_imports_an_http_client_library() -> None:
    clients = {"httpx", "requests", "urllib3", "aiohttp", "http.client", "urllib.request"}
    shipped = ("jobland_pipeline", "assets", "resources", "sensors", "jobland_cli")
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _project_modules()
        if path.relative_to(ROOT).parts[0] in shipped and NET not in path.parents
        for level, module in _imports(path)
        if level == 0 and (module in clients or module.split(".")[0] in clients)
    ]
    assert offenders == [], "outbound HTTP goes through jobland_pipeline.net"
