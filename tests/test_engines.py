"""Search engines against a loopback replay server: content, retries, cache, limits, secrets.

Fixtures: tests/fixtures/api (synthetic, built from the documented wire shapes; see its README).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from jobland_pipeline.postings.engines.base import EngineError, SearchQuery
from jobland_pipeline.postings.engines.boards import (
    AshbyBoards,
    GreenhouseBoards,
    LeverBoards,
    ashby_job_alive,
    greenhouse_job_alive,
    lever_job_alive,
)
from jobland_pipeline.postings.engines.common import employment_type, fix_mojibake, parse_date, title_matches
from jobland_pipeline.postings.engines.exa import ExaJobs, company_slug, split_title
from jobland_pipeline.postings.engines.google_jobs import SerpApiGoogleJobs
from jobland_pipeline.postings.engines.local_file import LocalFileEngine
from jobland_pipeline.postings.engines.registry import EngineConfig, build_engines
from jobland_pipeline.postings.engines.remoteok import RemoteOK
from jobland_pipeline.postings.engines.transport import (
    RateLimiter,
    ResponseCache,
    Transport,
    parse_retry_after,
)
from tests.replay import FIXTURES, ReplayServer, fixture_reply, hang_reply, json_reply, scenario

TODAY = date(2026, 11, 27)
SERP_KEY = "serp-SECRET-4c1f9a77e2"
EXA_KEY = "exa-SECRET-b81d0c3f55"
PAGE2_TOKEN = json.loads((FIXTURES / "serpapi/registered_nurse_page1.json").read_text())[
    "serpapi_pagination"
]["next_page_token"]
GH_JOBS = "/v1/boards/lakesidemedical/jobs"


def today() -> date:
    return TODAY


class Sleeps(list):
    """A sleep that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def server():
    with ReplayServer() as replay:
        yield replay


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def transport(tmp_path: Path, sleeps: Sleeps):
    """Transport factory: tiny backoff, recorded sleeps, a cache under tmp_path."""

    def make(name: str = "greenhouse", **kwargs) -> Transport:
        options = {
            "cache": ResponseCache(tmp_path / "cache" / name, 3600),
            "timeout": 2.0,
            "max_retries": 3,
            "backoff_base": 0.001,
            "backoff_max": 30.0,
            "sleep": sleeps,
        }
        options.update(kwargs)
        return Transport(name, **options)

    return make


def all_text(records) -> str:
    return "\n".join(repr(r) for r in records)


# --------------------------------------------------------------------------- cache and limiter


def test_cache_roundtrip_expiry_and_atomic_files(tmp_path: Path) -> None:
    now = [1000.0]
    cache = ResponseCache(tmp_path, ttl_seconds=60, clock=lambda: now[0])
    key = "ab" * 32
    assert cache.get(key) is None
    cache.put(key, {"jobs": [{"title": "护士"}]})
    assert cache.get(key) == {"jobs": [{"title": "护士"}]}
    assert not list(tmp_path.rglob(".tmp-*")), "temp files are renamed into place"
    now[0] += 61
    assert cache.get(key) is None, "expired by the stored timestamp"
    cache.put(key, [1, 2])
    path = next(tmp_path.rglob("*.json"))
    path.write_text("{not json", encoding="utf-8")
    assert cache.get(key) is None, "a corrupt entry is a miss, not a crash"
    assert ResponseCache(tmp_path / "off", ttl_seconds=0).get(key) is None


def test_rate_limiter_spaces_requests_with_injected_clock() -> None:
    clock = [0.0]

    def fake_sleep(seconds: float) -> None:
        clock[0] += seconds

    limiter = RateLimiter(requests_per_minute=60, clock=lambda: clock[0], sleep=fake_sleep)
    for _ in range(4):
        with limiter:
            pass
    assert clock[0] == pytest.approx(3.0), "60/min = one a second after the first"


def test_rate_limiter_caps_concurrency() -> None:
    limiter = RateLimiter(max_concurrent=2)
    limiter.acquire()
    limiter.acquire()
    entered = threading.Event()

    def third() -> None:
        with limiter:
            entered.set()

    worker = threading.Thread(target=third)
    worker.start()
    assert not entered.wait(0.1), "a third request waits while two are in flight"
    limiter.release()
    assert entered.wait(2)
    worker.join(2)
    limiter.release()


def test_parse_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert (
        9 < parse_retry_after(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 10))) <= 10
    )
    assert parse_retry_after("soon") is None


# --------------------------------------------------------------------------- transport scenarios


def test_429_with_retry_after_then_success(server, transport, sleeps) -> None:
    server.route(
        "GET", GH_JOBS, *scenario("rate_limited", fixture_reply("greenhouse/lakesidemedical_jobs.json"))
    )
    answer, calls = transport().request_json("GET", server.base_url + GH_JOBS, params={"content": "true"})
    assert len(answer["jobs"]) == 5
    assert server.count("GET", GH_JOBS) == 2
    assert [(c.attempts, c.status, c.http_status) for c in calls] == [(2, "ok", 200)]
    assert sleeps == [1.0], "Retry-After: 1 honoured"


def test_retry_after_http_date_is_honoured_as_sent(server, transport, sleeps) -> None:
    server.route("GET", GH_JOBS, *scenario("rate_limited_date", json_reply({"jobs": []})))
    transport(backoff_max=0.5).request_json("GET", server.base_url + GH_JOBS)
    assert len(sleeps) == 1 and 0.5 < sleeps[0] <= 2, "a server's wait is not cut to backoff_max"


def test_retry_after_over_max_wait_fails_at_once(server, transport, sleeps) -> None:
    server.route("GET", GH_JOBS, *scenario("rate_limited_date", json_reply({"jobs": []})))
    with pytest.raises(
        EngineError,
        match=r"HTTP 429; the server asks to wait [\d.]+ s before a retry \(Retry-After\), more than the 0.5 s",
    ) as caught:
        transport(max_wait=0.5).request_json("GET", server.base_url + GH_JOBS)
    assert sleeps == [] and server.count() == 1
    assert [(c.status, c.attempts, c.http_status) for c in caught.value.calls] == [("error", 1, 429)]


def test_500_forever_gives_up_after_max_retries(server, transport, sleeps) -> None:
    server.route("GET", GH_JOBS, *scenario("server_error"))
    with pytest.raises(EngineError) as caught:
        transport(max_retries=3).request_json("GET", server.base_url + GH_JOBS)
    assert server.count("GET", GH_JOBS) == 4
    (call,) = caught.value.calls
    assert (call.status, call.attempts, call.http_status) == ("error", 4, 500)
    assert "HTTP 500" in str(caught.value) and "after 4 attempts" in str(caught.value)
    assert len(sleeps) == 3 and all(0 <= s <= 0.001 * 2**i for i, s in enumerate(sleeps)), "full jitter"


def test_other_4xx_is_not_retried(server, transport) -> None:
    server.route("GET", GH_JOBS, *scenario("not_found"))
    with pytest.raises(EngineError) as caught:
        transport().request_json("GET", server.base_url + GH_JOBS)
    assert server.count() == 1
    assert caught.value.calls[0].http_status == 404 and caught.value.calls[0].attempts == 1


def test_hang_times_out_per_try_and_the_server_still_stops(transport) -> None:
    with ReplayServer() as replay:
        replay.route("GET", GH_JOBS, hang_reply(10.0))
        started = time.monotonic()
        with pytest.raises(EngineError) as caught:
            transport(timeout=0.3, max_retries=1).request_json("GET", replay.base_url + GH_JOBS)
        elapsed = time.monotonic() - started
        assert replay.count() == 2
    assert elapsed < 0.3 * 2 + 1.0
    assert "timed out" in str(caught.value)
    assert caught.value.calls[0].attempts == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed", "malformed JSON from greenhouse"),
        ("deep", "malformed JSON from greenhouse: nested too deeply"),
        ("html", "HTML instead of JSON from greenhouse"),
    ],
)
def test_malformed_and_html_answers_are_clear_and_not_retried(server, transport, name, message) -> None:
    server.route("GET", GH_JOBS, *scenario(name))
    with pytest.raises(EngineError, match=message):
        transport().request_json("GET", server.base_url + GH_JOBS)
    assert server.count() == 1


@pytest.mark.parametrize("name", ["huge", "huge_no_length"])
def test_huge_body_is_cut_at_max_body_bytes(server, transport, name) -> None:
    server.route("GET", GH_JOBS, *scenario(name))
    with pytest.raises(EngineError, match="response too large"):
        transport(max_body_bytes=100_000).request_json("GET", server.base_url + GH_JOBS)
    assert server.count() == 1


def test_connection_refused_is_retried(transport, sleeps) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(EngineError, match="connection error") as caught:
        transport(max_retries=2).request_json(
            "GET", f"http://127.0.0.1:{port}/api", params={"api_key": SERP_KEY}
        )
    assert caught.value.calls[0].attempts == 3 and len(sleeps) == 2
    assert SERP_KEY not in str(caught.value) and SERP_KEY not in all_text(caught.value.calls)


def test_secret_headers_and_params_never_recorded(server, transport, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    server.route("GET", "/api", *scenario("server_error"))
    token = "tok-SECRET-0a9b8c7d6e"
    with pytest.raises(EngineError) as caught:
        transport("remoteok", max_retries=1).request_json(
            "GET",
            server.base_url + "/api",
            params={"api_key": SERP_KEY, "q": "nurse"},
            headers={"Authorization": f"Bearer {token}", "x-api-key": EXA_KEY},
        )
    seen = server.requests()[0]
    assert seen.headers["authorization"] == f"Bearer {token}" and seen.query["api_key"] == SERP_KEY
    (call,) = caught.value.calls
    assert call.request == "GET /api?q=nurse"
    for text in (str(caught.value), all_text(caught.value.calls), caplog.text):
        assert token not in text and EXA_KEY not in text and SERP_KEY not in text


def test_repeated_request_is_a_cache_hit(server, transport) -> None:
    server.route("GET", GH_JOBS, fixture_reply("greenhouse/lakesidemedical_jobs.json"))
    t = transport()
    first, _ = t.request_json("GET", server.base_url + GH_JOBS, params={"content": "true"})
    second, calls = t.request_json("GET", server.base_url + GH_JOBS, params={"content": "true"})
    assert first == second and server.count() == 1
    assert [(c.status, c.cache_hit, c.attempts) for c in calls] == [("cached", True, 0)]
    _, calls = t.request_json("GET", server.base_url + GH_JOBS, params={"content": "true"}, cache_key=None)
    assert server.count() == 2 and not calls[0].cache_hit


# --------------------------------------------------------------------------- SerpAPI


def serpapi(server, transport, **kwargs) -> SerpApiGoogleJobs:
    return SerpApiGoogleJobs(
        SERP_KEY, transport=transport("serpapi"), base_url=server.base_url, today=today, **kwargs
    )


def route_serpapi_pages(server) -> None:
    server.route("GET", "/search", fixture_reply("serpapi/registered_nurse_page1.json"))
    server.route(
        "GET",
        "/search",
        fixture_reply("serpapi/registered_nurse_page2.json"),
        query={"next_page_token": PAGE2_TOKEN},
    )


def test_serpapi_two_pages_normalised(server, transport) -> None:
    route_serpapi_pages(server)
    result = serpapi(server, transport).search(SearchQuery("Registered Nurse", location="Chicago, IL"))
    assert server.count("GET", "/search") == 2
    first, second = server.requests("/search")
    assert first.query["engine"] == "google_jobs" and first.query["q"] == "Registered Nurse"
    assert first.query["location"] == "Chicago, IL" and first.query["api_key"] == SERP_KEY
    assert first.query["source"] == "python", "the request google-search-results builds (construct_url)"
    assert "next_page_token" not in first.query and second.query["next_page_token"] == PAGE2_TOKEN
    assert [c.credits for c in result.calls] == [1.0, 1.0]
    assert result.calls[0].request == (
        "GET /search?engine=google_jobs&q=Registered+Nurse&output=json&location=Chicago%2C+IL&source=python"
    )

    by_title = {p.title: p for p in result.postings}
    icu = by_title["ICU Registered Nurse"]
    assert icu.company == "Lakeside Medical Center" and icu.source == "serpapi" and icu.source_id
    assert icu.apply_url.startswith("https://boards.greenhouse.io/lakesidemedical/jobs/4410021")
    assert (icu.salary_min, icu.salary_max, icu.salary_currency, icu.salary_period) == (45, 63, "USD", "hour")
    assert icu.posted_at == date(2026, 11, 24) and icu.employment_type == "full_time" and icu.remote is False
    tele = by_title["Registered Nurse - Telehealth"]
    assert tele.remote is True and tele.employment_type == "part_time"
    assert tele.apply_url.startswith("https://jobs.lever.co/carebridge/"), "the ATS link, not ZipRecruiter"
    assert (tele.salary_min, tele.salary_max, tele.salary_period) == (85_000, 98_000, "year")
    assert "<" not in tele.description and "document.cookie" not in tele.description
    assert "Telehealth RN" in tele.description
    assert by_title["Nurse Case Manager (Hybrid)"].remote == "hybrid"
    assert by_title["Nurse Case Manager (Hybrid)"].apply_url.startswith(
        "https://careers.midwesthealth.example/"
    )
    chinese = next(p for p in result.postings if p.company == "上海仁和医院")
    assert "注册护士" in chinese.title and "心内科" in chinese.description and chinese.location == "上海"
    assert (chinese.salary_min, chinese.salary_max, chinese.salary_currency, chinese.salary_period) == (
        12_000,
        18_000,
        "CNY",
        "month",
    )
    travel = by_title["Travel Registered Nurse - ICU"]
    assert travel.employment_type == "contract" and travel.posted_at is None
    assert "IGNORE ALL PREVIOUS INSTRUCTIONS" in travel.description, "kept as data"
    assert "myworkdayjobs.com" in travel.apply_url
    assert result.dropped == {"title_too_long": 1, "missing_company": 1, "bad_date": 1}
    assert result.raw_count == 7 and len(result.postings) == 5


def test_serpapi_max_pages_and_query_filters(server, transport) -> None:
    route_serpapi_pages(server)
    query = SearchQuery("Registered Nurse", remote=True, language="en", country="US")
    result = serpapi(server, transport, max_pages=1).search(query)
    assert server.count() == 1
    sent = server.requests()[0].query
    assert (sent["ltype"], sent["hl"], sent["gl"]) == ("1", "en", "us")
    assert [p.title for p in result.postings] == ["Registered Nurse - Telehealth"], "remote only"


def test_serpapi_missing_descriptions_are_kept_and_counted(server, transport) -> None:
    server.route("GET", "/search", fixture_reply("serpapi/math_teacher_missing_description.json"))
    result = serpapi(server, transport).search(SearchQuery("Math Teacher"))
    assert len(result.postings) == 3
    assert result.dropped == {"missing_description": 2}
    assert {p.title: p.description == "" for p in result.postings} == {
        "Middle School Math Teacher": False,
        "High School Mathematics Teacher": True,
        "Online Math Tutor (Part-time)": True,
    }
    tutor = next(p for p in result.postings if p.title.startswith("Online"))
    assert tutor.apply_url.startswith("https://jobs.ashbyhq.com/brightpath/") and tutor.remote is True


def test_serpapi_fully_empty_is_empty_not_error(server, transport) -> None:
    server.route("GET", "/search", fixture_reply("serpapi/fully_empty.json"))
    result = serpapi(server, transport).search(SearchQuery("Underwater Basket Weaving Instructor"))
    assert result.postings == [] and result.raw_count == 0
    assert [(c.status, c.credits, c.error) for c in result.calls] == [("empty", 0.0, None)]
    assert server.count() == 1


def test_serpapi_429_then_success_through_the_library(server, transport, sleeps) -> None:
    server.route(
        "GET",
        "/search",
        *scenario("rate_limited", fixture_reply("serpapi/math_teacher_missing_description.json")),
    )
    result = serpapi(server, transport).search(SearchQuery("Math Teacher"))
    assert server.count() == 2 and sleeps == [1.0]
    assert [(c.attempts, c.status, c.credits) for c in result.calls] == [(2, "ok", 1.0)]
    assert len(result.postings) == 3


def test_serpapi_repeat_is_cached_and_shared_across_keys(server, transport) -> None:
    server.route("GET", "/search", fixture_reply("serpapi/math_teacher_missing_description.json"))
    serpapi(server, transport).search(SearchQuery("Math Teacher"))
    other_key = SerpApiGoogleJobs(
        "another-key-77", transport=transport("serpapi"), base_url=server.base_url, today=today
    )
    again = other_key.search(SearchQuery("math  teacher"))
    assert server.count() == 1, "same request identity without the key: one fetch"
    assert [(c.cache_hit, c.status, c.credits) for c in again.calls] == [(True, "cached", 0.0)]


def test_serpapi_secret_never_recorded_or_logged(server, transport, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    server.route("GET", "/search", *scenario("server_error"))
    engine = serpapi(server, transport)
    engine.transport.max_retries = 1
    with pytest.raises(EngineError) as caught:
        engine.search(SearchQuery("Registered Nurse"))
    server.route("GET", "/search", fixture_reply("serpapi/math_teacher_missing_description.json"))
    ok = engine.search(SearchQuery("Math Teacher"))
    assert server.requests()[0].query["api_key"] == SERP_KEY, "the key was sent"
    assert "api_key" not in all_text(caught.value.calls + ok.calls)
    for text in (str(caught.value), all_text(caught.value.calls), all_text(ok.calls), caplog.text):
        assert SERP_KEY not in text
    assert "/search?" in caplog.text, "urllib3's request lines are logged, redacted"
    cache_files = "".join(
        p.read_text(encoding="utf-8") for p in Path(engine.transport.cache.root).rglob("*.json")
    )
    assert cache_files and SERP_KEY not in cache_files


def test_serpapi_html_answer(server, transport) -> None:
    server.route("GET", "/search", *scenario("html"))
    with pytest.raises(EngineError, match="HTML instead of JSON from serpapi"):
        serpapi(server, transport).search(SearchQuery("Registered Nurse"))
    assert server.count() == 1


# --------------------------------------------------------------------------- Exa


def exa(server, transport, **kwargs) -> ExaJobs:
    return ExaJobs(EXA_KEY, transport=transport("exa", **kwargs), base_url=server.base_url, today=today)


def test_exa_results_normalised_with_cost(server, transport) -> None:
    server.route("POST", "/search", fixture_reply("exa/search_data_engineer.json"))
    result = exa(server, transport).search(SearchQuery("Data Engineer", posted_within_days=30))
    (seen,) = server.requests("/search")
    assert seen.headers["x-api-key"] == EXA_KEY
    body = seen.json()
    assert body["numResults"] == 25 and "jobs.lever.co" in body["includeDomains"]
    assert body["contents"] == {"text": {"maxCharacters": 8000}}
    assert body["startPublishedDate"] == "2026-10-28T00:00:00.000Z"
    (call,) = result.calls
    assert (call.cost_usd, call.credits, call.status, call.request) == (0.015, 1.0, "ok", "POST /search")
    assert EXA_KEY not in all_text(result.calls)

    by_company = {p.company: p for p in result.postings}
    lakeside = by_company["Lakeside Medical Center"]
    assert lakeside.title == "Data Engineer, Clinical Analytics" and lakeside.remote == "hybrid"
    assert lakeside.location == "Chicago, IL (Hybrid)" and lakeside.employment_type == "full_time"
    assert (lakeside.salary_min, lakeside.salary_max, lakeside.salary_period) == (118_000, 142_000, "year")
    assert lakeside.apply_url == "https://boards.greenhouse.io/lakesidemedical/jobs/4410355"
    corvid = by_company["Corvid Analytics"]
    assert corvid.title == "Senior Data Engineer" and corvid.remote is True
    assert corvid.posted_at == date(2026, 11, 18)
    northstar = by_company["Northstar Learning"]
    assert northstar.title == "Data Engineer, Learning Analytics" and northstar.posted_at is None
    assert northstar.employment_type == "contract" and "IGNORE ALL PREVIOUS" in northstar.description
    assert by_company["天河数据"].title == "数据工程师"
    assert result.dropped == {"bad_date": 1, "missing_title": 1}


def test_exa_cache_hit_costs_nothing(server, transport) -> None:
    server.route("POST", "/search", fixture_reply("exa/search_data_engineer.json"))
    engine = exa(server, transport)
    engine.search(SearchQuery("Data Engineer"))
    again = engine.search(SearchQuery("Data Engineer"))
    assert server.count() == 1
    assert [(c.cache_hit, c.cost_usd) for c in again.calls] == [(True, 0.0)]


def test_exa_status_codes_from_the_sdk_drive_retries(server, transport) -> None:
    server.route("POST", "/search", *scenario("server_error"))
    with pytest.raises(EngineError, match="HTTP 500") as caught:
        exa(server, transport, max_retries=2).search(SearchQuery("Data Engineer"))
    assert server.count() == 3 and caught.value.calls[0].attempts == 3
    server.route("POST", "/search", *scenario("not_found"))
    with pytest.raises(EngineError, match="HTTP 404"):
        exa(server, transport, max_retries=2).search(SearchQuery("Teacher"))
    assert server.count() == 4, "a 4xx is not retried"
    server.route("POST", "/search", *scenario("flaky", fixture_reply("exa/search_data_engineer.json")))
    result = exa(server, transport, max_retries=2).search(SearchQuery("Nurse"))
    assert result.calls[0].attempts == 2 and server.count() == 6


@pytest.mark.parametrize(
    ("name", "message"), [("html", "HTML instead of JSON"), ("malformed", "malformed JSON")]
)
def test_exa_bad_bodies(server, transport, name, message) -> None:
    server.route("POST", "/search", *scenario(name))
    with pytest.raises(EngineError, match=message) as caught:
        exa(server, transport).search(SearchQuery("Data Engineer"))
    assert server.count() == 1 and EXA_KEY not in str(caught.value)


def test_exa_answer_the_sdk_cannot_read_is_refused_not_cached(server, transport) -> None:
    unreadable = json.loads((FIXTURES / "exa/search_data_engineer.json").read_text())
    unreadable["costDollars"] = "0.015"  # exa-py reads costDollars as an object
    server.route("POST", "/search", json_reply(unreadable))
    engine = exa(server, transport)
    for _ in range(2):
        with pytest.raises(EngineError, match=r"unreadable answer from exa \(AttributeError\)") as caught:
            engine.search(SearchQuery("Data Engineer"))
        assert [(c.status, c.attempts) for c in caught.value.calls] == [("error", 1)]
    assert server.count() == 2, "not retried, and not cached: asked again"


def test_exa_hang_times_out(server, transport) -> None:
    server.route("POST", "/search", hang_reply(10.0))
    started = time.monotonic()
    with pytest.raises(EngineError, match="timed out"):
        exa(server, transport, timeout=0.3, max_retries=1).search(SearchQuery("Data Engineer"))
    assert time.monotonic() - started < 0.3 * 2 + 1.0 and server.count() == 2


def test_exa_title_and_company_parsing() -> None:
    assert company_slug("https://boards.greenhouse.io/acme/jobs/1") == "acme"
    assert company_slug("https://boards.greenhouse.io/embed/job_app?for=acme&token=1") == "acme"
    assert company_slug("https://acme.wd5.myworkdayjobs.com/en-US/careers/job/x") == "acme"
    assert split_title("Job Application for Data Engineer at Acme", "acme") == ("Data Engineer", "Acme")
    assert split_title("Acme Health - Data Engineer", "acme-health") == ("Data Engineer", "Acme Health")
    assert split_title("Data Engineer | Acme Health", "acme-health") == ("Data Engineer", "Acme Health")
    assert split_title("Plain Title", None) == ("Plain Title", None)


# --------------------------------------------------------------------------- boards


def greenhouse(server, transport, boards=("lakesidemedical",), **kwargs) -> GreenhouseBoards:
    return GreenhouseBoards(
        list(boards), transport=transport("greenhouse", **kwargs), base_url=server.base_url, today=today
    )


def test_greenhouse_board_filtered_per_query(server, transport) -> None:
    server.route("GET", GH_JOBS, fixture_reply("greenhouse/lakesidemedical_jobs.json"))
    engine = greenhouse(server, transport)
    result = engine.search(SearchQuery("Nurse"))
    assert server.requests()[0].query == {"content": "true"}
    titles = sorted(p.title for p in result.postings)
    assert titles == ["Clinical Nurse Educator", "ICU Registered Nurse", "Night Shift Charge Nurse"]
    icu = next(p for p in result.postings if p.title == "ICU Registered Nurse")
    assert (
        icu.source == "greenhouse" and icu.source_id == "4410021" and icu.company == "Lakeside Medical Center"
    )
    assert icu.apply_url == icu.url == "https://boards.greenhouse.io/lakesidemedical/jobs/4410021"
    assert "Care for 1–2 critically ill adults" in icu.description
    assert (
        "&lt;" not in icu.description and "<" not in icu.description and "evil.example" not in icu.description
    )
    assert (icu.salary_min, icu.salary_max, icu.salary_period, icu.employment_type) == (
        45,
        63,
        "hour",
        "full_time",
    )
    assert icu.posted_at == date(2026, 11, 24)
    educator = next(p for p in result.postings if p.title == "Clinical Nurse Educator")
    assert educator.remote is True and "IGNORE ALL PREVIOUS INSTRUCTIONS" in educator.description
    charge = next(p for p in result.postings if p.title == "Night Shift Charge Nurse")
    assert charge.posted_at is None and charge.employment_type == "part_time"
    assert result.dropped == {"bad_date": 1, "not_matching": 2} and result.raw_count == 5

    data = engine.search(SearchQuery("Data Engineer", location="Chicago, IL"))
    (job,) = data.postings
    assert job.location == "Chicago, IL (Hybrid)" and job.remote == "hybrid"
    assert (job.salary_min, job.salary_max, job.salary_period) == (118_000, 142_000, "year")
    assert server.count() == 1, "the board is fetched once per TTL, whatever the queries"
    assert data.calls[0].cache_hit
    assert engine.search(SearchQuery("Nurse", remote=False, location="Chicago, IL")).postings[0].title in {
        "ICU Registered Nurse",
        "Night Shift Charge Nurse",
    }


def test_greenhouse_failing_board_does_not_fail_the_others(server, transport) -> None:
    server.route("GET", GH_JOBS, fixture_reply("greenhouse/lakesidemedical_jobs.json"))
    server.route("GET", "/v1/boards/brokenboard/jobs", *scenario("server_error"))
    result = greenhouse(server, transport, boards=("brokenboard", "lakesidemedical"), max_retries=1).search(
        SearchQuery("ICU Registered Nurse")
    )
    assert [p.title for p in result.postings] == ["ICU Registered Nurse"]
    assert [(c.status, c.attempts) for c in result.calls] == [("error", 2), ("ok", 1)]
    assert result.dropped["board_errors"] == 1
    assert server.count("GET", "/v1/boards/brokenboard/jobs") == 2


def test_greenhouse_every_board_failing_raises(server, transport) -> None:
    server.route("GET", "/v1/boards/a/jobs", *scenario("not_found"))
    server.route("GET", "/v1/boards/b/jobs", *scenario("malformed"))
    with pytest.raises(EngineError, match="every board failed") as caught:
        greenhouse(server, transport, boards=("a", "b")).search(SearchQuery("Nurse"))
    assert [c.status for c in caught.value.calls] == ["error", "error"]


def test_board_names_are_validated(transport) -> None:
    with pytest.raises(ValueError, match="invalid Greenhouse board"):
        GreenhouseBoards(["../etc"], transport=transport())


def test_lever_salary_range_and_workplace_type(server, transport) -> None:
    server.route("GET", "/v0/postings/corvid-analytics", fixture_reply("lever/corvid-analytics.json"))
    engine = LeverBoards(
        ["corvid-analytics"], transport=transport("lever"), base_url=server.base_url, today=today
    )
    result = engine.search(SearchQuery("Data Engineer", keywords=("Analytics Engineer",)))
    assert server.requests()[0].query == {"mode": "json"}
    by_title = {p.title: p for p in result.postings}
    assert set(by_title) == {"Senior Data Engineer", "Analytics Engineer", "Data Engineer (Contract)"}
    senior = by_title["Senior Data Engineer"]
    assert (
        senior.remote is True
        and senior.company == "Corvid Analytics"
        and senior.employment_type == "full_time"
    )
    assert (senior.salary_min, senior.salary_max, senior.salary_currency, senior.salary_period) == (
        150_000,
        180_000,
        "USD",
        "year",
    )
    assert senior.apply_url.endswith("/apply") and senior.url.startswith(
        "https://jobs.lever.co/corvid-analytics/"
    )
    assert (
        "What you'll do" in senior.description
        and "- Design CDC pipelines from Postgres" in senior.description
    )
    assert senior.posted_at == date(2026, 11, 18)
    assert by_title["Analytics Engineer"].remote == "hybrid"
    assert by_title["Analytics Engineer"].salary_max == 140_000
    contract = by_title["Data Engineer (Contract)"]
    assert contract.remote is False and contract.employment_type == "contract"
    assert (contract.salary_min, contract.salary_max, contract.salary_period) == (85, 110, "hour")
    remote_only = engine.search(SearchQuery("Data Engineer", remote=True))
    assert [p.title for p in remote_only.postings] == ["Senior Data Engineer"]


def test_ashby_compensation_and_flags(server, transport) -> None:
    server.route(
        "GET", "/posting-api/job-board/northstar-learning", fixture_reply("ashby/northstar-learning.json")
    )
    engine = AshbyBoards(
        ["northstar-learning"], transport=transport("ashby"), base_url=server.base_url, today=today
    )
    result = engine.search(SearchQuery("Teacher"))
    assert server.requests()[0].query == {"includeCompensation": "true"}
    by_title = {p.title: p for p in result.postings}
    assert set(by_title) == {"High School Science Teacher", "Online ESL Teacher", "Substitute Teacher"}
    science = by_title["High School Science Teacher"]
    assert (science.salary_min, science.salary_max, science.salary_currency, science.salary_period) == (
        58_000,
        72_000,
        "USD",
        "year",
    )
    assert science.employment_type == "full_time" and science.remote is False
    assert science.apply_url.endswith("/application") and "Aurora, CO" in science.location
    esl = by_title["Online ESL Teacher"]
    assert esl.remote is True and esl.employment_type == "part_time" and esl.salary_period == "hour"
    assert by_title["Substitute Teacher"].employment_type == "temporary"
    assert result.dropped["unlisted"] == 1
    data = engine.search(SearchQuery("Data Engineer"))
    (job,) = data.postings
    assert job.remote == "hybrid" and job.employment_type == "contract"
    assert (job.salary_min, job.salary_max) == (105_000, 140_000), "Salary components only, across tiers"
    assert "IGNORE ALL PREVIOUS INSTRUCTIONS" in job.description and "<p>" not in job.description


def test_remoteok_feed(server, transport) -> None:
    server.route("GET", "/api", fixture_reply("remoteok/api.json"))
    engine = RemoteOK(transport=transport("remoteok"), base_url=server.base_url, today=today)
    result = engine.search(SearchQuery("Data Engineer"))
    assert server.requests()[0].headers["user-agent"].startswith("JobLand/")
    by_title = {p.title: p for p in result.postings}
    assert set(by_title) == {"Senior Data Engineer", "Staff Analytics Engineer"}, "title or tags"
    senior = by_title["Senior Data Engineer"]
    assert senior.remote is True and senior.source == "remoteok" and senior.source_id == "1200101"
    assert "We’re a small team building a café-style analytics notebook." in senior.description
    assert "Ã" not in senior.description and "â€" not in senior.description
    assert (senior.salary_min, senior.salary_max, senior.salary_currency) == (140_000, 175_000, "USD")
    assert senior.url.startswith("https://remoteOK.com/"), "the link back RemoteOK's terms ask for"
    assert senior.apply_url == "https://boards.greenhouse.io/quantivelabs/jobs/7001001"
    staff = by_title["Staff Analytics Engineer"]
    assert "alert" not in staff.description and "<" not in staff.description and staff.posted_at is None
    assert result.dropped["missing_company"] == 1 and result.dropped["bad_date"] == 1
    assert result.raw_count == 6, "element 0 (the legal notice) is not a job"

    nurse = engine.search(SearchQuery("Nurse Case Manager")).postings[0]
    assert nurse.description == "What We’re Looking For – an RN with case management experience."
    assert nurse.salary_min is None and nurse.salary is None
    teacher = engine.search(SearchQuery("English Teacher")).postings[0]
    assert teacher.employment_type == "part_time" and "日本語ができれば尚可" in teacher.description
    assert engine.search(SearchQuery("Data Engineer", remote=False)).postings == []
    assert server.count() == 1


# --------------------------------------------------------------------------- liveness


def test_greenhouse_liveness(server, transport) -> None:
    server.route("GET", f"{GH_JOBS}/4410021", fixture_reply("greenhouse/lakesidemedical_job_4410021.json"))
    server.route("GET", f"{GH_JOBS}/999", *scenario("not_found"))
    server.route("GET", f"{GH_JOBS}/777", *scenario("server_error"))
    t = transport(max_retries=0)
    alive = {
        job: greenhouse_job_alive("lakesidemedical", job, transport=t, base_url=server.base_url)
        for job in (4410021, 999, 777)
    }
    assert alive == {4410021: "open", 999: "closed", 777: "unknown"}


def test_lever_liveness_needs_the_board_to_call_a_404_closed(server, transport) -> None:
    server.route("GET", "/v0/postings/corvid-analytics", fixture_reply("lever/corvid-analytics.json"))
    server.route(
        "GET", "/v0/postings/corvid-analytics/0b8e6c1a-5d2f-4a7b-9c3e-1f2a3b4c5d6e", *scenario("not_found")
    )
    server.route("GET", "/v0/postings/corvid-analytics/deadbeef-0000", *scenario("not_found"))
    engine = LeverBoards(
        ["corvid-analytics"], transport=transport("lever", max_retries=0), base_url=server.base_url
    )
    engine.search(SearchQuery("Data Engineer"))
    ids = engine.posting_ids("corvid-analytics")
    assert server.count("GET", "/v0/postings/corvid-analytics") == 2, "the board list is fetched fresh"
    listed = "0b8e6c1a-5d2f-4a7b-9c3e-1f2a3b4c5d6e"
    assert engine.job_alive("corvid-analytics", listed, ids) == "open", "404 but listed: confidential, live"
    assert engine.job_alive("corvid-analytics", "deadbeef-0000", ids) == "closed"
    assert lever_job_alive("corvid-analytics", "deadbeef-0000", None, transport=engine.transport,
                           base_url=server.base_url) == "unknown"  # fmt: skip


def test_ashby_liveness_is_presence_on_the_board() -> None:
    jobs = json.loads((FIXTURES / "ashby/northstar-learning.json").read_text())["jobs"]
    url = "https://jobs.ashbyhq.com/northstar-learning/8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d"
    assert ashby_job_alive(jobs, url + "?utm_source=x") == "open"
    assert ashby_job_alive(jobs, "https://jobs.ashbyhq.com/northstar-learning/gone") == "closed"
    assert ashby_job_alive(None, url) == "unknown"


# --------------------------------------------------------------------------- registry and local


def test_build_engines_skips_paid_engines_without_keys(tmp_path: Path) -> None:
    engines, skipped = build_engines(
        EngineConfig(enabled="local,serpapi,exa,greenhouse,remoteok", cache_dir=str(tmp_path / "cache"))
    )
    assert [e.name for e in engines] == ["local", "remoteok"]
    assert skipped == [
        ("serpapi", "no API key: set JOBLAND_SERPAPI_KEY"),
        ("exa", "no API key: set JOBLAND_EXA_KEY"),
        ("greenhouse", "no boards: set JOBLAND_GREENHOUSE_BOARDS"),
    ]


def test_build_engines_all_configured(server, tmp_path: Path) -> None:
    server.route("GET", "/search", fixture_reply("serpapi/math_teacher_missing_description.json"))
    config = EngineConfig(
        enabled="local, serpapi, exa, greenhouse, lever, ashby, remoteok",
        serpapi_key=SERP_KEY,
        serpapi_base_url=server.base_url,
        exa_key=EXA_KEY,
        greenhouse_boards="lakesidemedical, other",
        lever_boards="corvid-analytics",
        ashby_boards="northstar-learning",
        cache_dir=str(tmp_path / "cache"),
        http_timeout=5,
    )
    engines, skipped = build_engines(config, today=today)
    assert [e.name for e in engines] == [
        "local",
        "serpapi",
        "exa",
        "greenhouse",
        "lever",
        "ashby",
        "remoteok",
    ]
    assert skipped == []
    assert engines[3].boards == ["lakesidemedical", "other"]
    result = engines[1].search(SearchQuery("Math Teacher"))
    assert len(result.postings) == 3 and (tmp_path / "cache" / "serpapi").is_dir()
    with pytest.raises(ValueError, match="did you mean serpapi"):
        build_engines(EngineConfig(enabled="serpap"))


def test_engine_settings_come_from_the_search_resource(tmp_path: Path) -> None:
    """Every engine setting is a typed field of the search resource; a bad value names its variable."""
    from jobland_pipeline.profiles.user_settings import SettingsError
    from resources import SETTINGS, SearchEnginesResource
    from resources.settings import configure

    names = [s.env for s in SETTINGS if s.resource == "SearchEnginesResource"]
    assert len(names) == len(set(names)) and all(n.startswith("JOBLAND_") for n in names)
    assert {"JOBLAND_SERPAPI_KEY", "JOBLAND_EXA_KEY", "JOBLAND_SEARCH_CACHE_TTL_HOURS"} <= set(names)
    env = {
        "JOBLAND_HOME": str(tmp_path),
        "JOBLAND_SEARCH_ENGINES": "local,remoteok",
        "JOBLAND_HTTP_TIMEOUT": "7.5",
    }
    config = configure(SearchEnginesResource, env).config()
    assert config.http_timeout == 7.5 and config.cache_dir == f"{tmp_path}/search_cache"
    assert [e.name for e in configure(SearchEnginesResource, env).engines()[0]] == ["local", "remoteok"]
    with pytest.raises(SettingsError, match=r"JOBLAND_HTTP_RETRIES='many' is not an integer"):
        configure(SearchEnginesResource, {**env, "JOBLAND_HTTP_RETRIES": "many"})
    with pytest.raises(SettingsError, match=r"JOBLAND_SEARCH_ENGINES.*did you mean serpapi"):
        configure(SearchEnginesResource, {**env, "JOBLAND_SEARCH_ENGINES": "serpap"}).engines()


def test_local_file_engine_filters_like_the_others() -> None:
    engine = LocalFileEngine()
    result = engine.search(SearchQuery("Registered Nurse", location="Chicago, IL"))
    assert result.postings and all("Registered Nurse" in p.title for p in result.postings)
    assert all("Chicago" in p.location for p in result.postings)
    assert result.calls[0].engine == "local" and result.raw_count > len(result.postings)
    remote = engine.search(SearchQuery("Nurse", remote=True)).postings
    assert remote and all(p.remote is True for p in remote)
    assert engine.search(SearchQuery("会计", location="上海")).postings


def test_a_bad_line_of_the_local_file_is_skipped_and_counted(tmp_path: Path) -> None:
    """One malformed line of 235 leaves the other 234 searchable; the ledger names the line."""
    from jobland_pipeline.postings.engines.local_file import SAMPLE_POSTINGS

    lines = SAMPLE_POSTINGS.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "postings.jsonl"
    path.write_text("\n".join([lines[0], '{"id": "broken"', *lines[1:]]) + "\n", encoding="utf-8")
    damaged = LocalFileEngine(path).search(SearchQuery("Registered Nurse", location="Chicago, IL"))
    clean = LocalFileEngine().search(SearchQuery("Registered Nurse", location="Chicago, IL"))
    assert [p.id for p in damaged.postings] == [p.id for p in clean.postings]
    assert damaged.raw_count == len(lines) and damaged.dropped["malformed_line"] == 1
    assert (damaged.calls[0].error or "").startswith(f"1 line(s) skipped: {path}:2: not valid JSON")
    assert clean.calls[0].error is None and "malformed_line" not in clean.dropped


# --------------------------------------------------------------------------- helpers


def test_mojibake_repair() -> None:
    assert fix_mojibake("cafÃ© â€“ Weâ€™re") == "café – We’re"
    assert fix_mojibake("We\u00e2\u0080\u0099re") == "We’re"
    assert fix_mojibake("Café – 上海 Weâ€™re") == "Café – 上海 We’re", "genuine text is kept"
    assert fix_mojibake("naïve résumé") == "naïve résumé"


def test_small_normalisers() -> None:
    assert employment_type("FullTime") == "full_time" and employment_type("Intern") == "internship"
    assert employment_type("Contractor") == "contract" and employment_type("International") is None
    assert parse_date("3 days ago", today=TODAY) == date(2026, 11, 24)
    assert parse_date(1795597200000) == date(2026, 11, 25)
    assert parse_date("32/13/2026") is None
    assert title_matches("Data Engineer II", SearchQuery("Senior Data Engineer"))
    assert not title_matches("Data Analyst", SearchQuery("Data Engineer"))
    assert title_matches("高级会计", SearchQuery("会计"))
