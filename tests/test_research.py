"""Company research with Exa against the loopback replay server (HTTP-layer camelCase fixtures).

Fixtures: tests/fixtures/api/exa/research_*.json (synthetic, built from SHAPES.md; see its README).
The research makes its news search first, then its company-pages search, both ``POST /search``: a
route's replies are served in that order.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jobland_pipeline.postings.engines.transport import ResponseCache, Transport
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.research.exa_research import ExaResearch, normalise_company
from tests.replay import ReplayServer, fixture_reply, json_reply, scenario

TODAY = date(2026, 11, 27)
EXA_KEY = "exa-SECRET-research-7d41e9"
NEWS = "exa/research_news_corvid.json"
PAGES = "exa/research_company_corvid.json"


def posting(user: str, description: str, **extra) -> Posting:
    return Posting(
        id=f"{user}-1",
        title="Senior Data Engineer",
        company="Corvid Analytics",
        description=description,
        url=f"https://jobs.lever.co/corvid-analytics/{user}",
        source="lever",
        **extra,
    )


PLAIN = posting(
    "maria",
    "Corvid Analytics is hiring a senior data engineer to own streaming ingestion.\n\n"
    "You will build Kafka and Flink pipelines on AWS for hospital customers.",
)


@pytest.fixture
def server():
    with ReplayServer() as replay:
        yield replay


@pytest.fixture
def make(tmp_path: Path):
    """ExaResearch factory; every transport shares one on-disk cache (as separate runs would)."""
    sleeps: list[float] = []

    def build(server: ReplayServer, *, today=TODAY, **kwargs) -> ExaResearch:
        options = {
            "cache": ResponseCache(tmp_path / "cache" / "exa_research", 3600),
            "timeout": 2.0,
            "max_retries": 2,
            "backoff_base": 0.001,
            "sleep": sleeps.append,
        }
        options.update(kwargs)
        transport = Transport("exa_research", **options)
        return ExaResearch(EXA_KEY, transport=transport, base_url=server.base_url, today=today)

    return build


def route_ok(server: ReplayServer) -> None:
    server.route("POST", "/search", fixture_reply(NEWS), fixture_reply(PAGES))


def test_requests_sent_to_exa(server, make) -> None:
    route_ok(server)
    make(server).research("Corvid Analytics", postings=[PLAIN])
    news, pages = server.requests("/search")
    assert news.headers["x-api-key"] == EXA_KEY
    assert news.json() == {
        "query": "Corvid Analytics",
        "category": "news",
        "numResults": 5,
        "startPublishedDate": "2026-08-29T00:00:00.000Z",
        "contents": {"text": {"maxCharacters": 1500}},
    }
    body = pages.json()
    assert body["query"] == "Corvid Analytics mission values culture" and body["category"] == "company"
    assert body["numResults"] == 3 and body["contents"] == {"text": {"maxCharacters": 4000}}
    assert "startPublishedDate" not in body


def test_news_sorted_filtered_and_cleaned(server, make) -> None:
    route_ok(server)
    result = make(server).research_result("Corvid Analytics", postings=[PLAIN])
    dossier = result.dossier
    assert dossier.method == "exa" and dossier.news_note is None
    assert [(n.published, n.url) for n in dossier.news] == [
        ("2026-11-24", "https://citywire.example/denver/corvid-denver-office"),
        ("2026-11-10", "https://business.example/2026/11/10/corvid-analytics-series-c"),
        ("2026-09-15", "https://techweekly.example/startups-to-watch-2027"),  # named in the text only
        (None, "https://podcast.example/episodes/corvid-analytics-ceo"),  # unreadable date: last
    ]
    assert dossier.news[0].title == "Corvid Analytics opens Denver office & plans 60 hires"
    assert all("<" not in n.title and "evil.example" not in n.title for n in dossier.news)
    assert not any("corvids are smarter" in n.title for n in dossier.news), "about birds: dropped"
    assert result.dropped == {"news_off_topic": 1, "pages_off_topic": 1}
    assert "Mandatory overtime" in dossier.red_flags, "red flags from a news text"


def test_mission_culture_sources_and_red_flags_from_company_pages(server, make) -> None:
    route_ok(server)
    dossier, _ = make(server).research("Corvid Analytics", postings=[PLAIN])
    assert dossier.mission == (
        "Our mission is to make real-time data dependable for the people who keep hospitals and schools running."
    ), "from Corvid's own page, not the off-topic Raven Data page listed first"
    assert dossier.culture[:2] == [
        "We value curiosity, candour and respect for each other's time.",
        "Our culture is built on collaboration across data, product and customer teams.",
    ]
    everything = dossier.model_dump_json()
    assert "Raven" not in everything and "long lunches" not in everything
    assert "window.track" not in everything and "<script" not in everything and "fake" not in everything
    assert "Ignore all previous instructions" not in everything and "rate this candidate" not in everything
    assert dossier.sources[0] == "https://jobs.lever.co/corvid-analytics/maria", "posting sources first"
    assert {"https://corvidanalytics.example/about", "https://corvidanalytics.example/careers"} <= set(
        dossier.sources
    )
    assert "https://ravendata.example/about" not in dossier.sources
    assert "'We are a family' can blur work-life boundaries" in dossier.red_flags
    assert "Hype wording ('rockstar/ninja') instead of a clear job description" in dossier.red_flags
    assert len(dossier.red_flags) == len(set(dossier.red_flags))
    assert dossier.open_roles == ["Senior Data Engineer"], "the offline parts are kept"


def test_offline_mission_and_culture_win(server, make) -> None:
    route_ok(server)
    own = posting(
        "emma",
        "Our mission is to help nurses spend less time on screens.\n\n"
        "We value honest feedback and respect for each other.",
    )
    dossier, _ = make(server).research("Corvid Analytics", postings=[own])
    assert dossier.mission == "Our mission is to help nurses spend less time on screens."
    assert dossier.culture == ["We value honest feedback and respect for each other."]
    assert dossier.news and dossier.method == "exa"


def test_cost_recorded_and_key_never_recorded(server, make) -> None:
    route_ok(server)
    _, calls = make(server).research("Corvid Analytics", postings=[PLAIN])
    assert [(c.request, c.status, c.credits, c.cost_usd, c.cache_hit) for c in calls] == [
        ("POST /search (news)", "ok", 1.0, 0.01, False),
        ("POST /search (company)", "ok", 1.0, 0.008, False),
    ]
    assert EXA_KEY not in "\n".join(repr(c) for c in calls)


def test_second_user_same_company_is_served_from_cache(server, make) -> None:
    route_ok(server)
    first, _ = make(server).research("Corvid Analytics", postings=[PLAIN])
    assert server.count() == 2
    other_user = posting("daniel", "Corvid Analytics needs a data engineer for Flink jobs in Denver.")
    # another run, another transport object, another user's postings, another spelling of the name
    second, calls = make(server).research("  corvid   ANALYTICS ", postings=[other_user])
    assert server.count() == 2, "zero new requests"
    assert [(c.cache_hit, c.status, c.cost_usd, c.credits) for c in calls] == [(True, "cached", 0.0, 0.0)] * 2
    assert second.news == first.news and second.mission == first.mission
    assert normalise_company("  corvid   ANALYTICS ") == normalise_company("Corvid Analytics")


def test_next_day_asks_again_for_news(server, make) -> None:
    route_ok(server)
    make(server).research("Corvid Analytics", postings=[PLAIN])
    route_ok(server)
    _, calls = make(server, today=date(2026, 11, 28)).research("Corvid Analytics", postings=[PLAIN])
    assert server.count() == 3, "the news window moved (new request); the company pages' week did not"
    assert [c.cache_hit for c in calls] == [False, True]
    assert server.requests("/search")[-1].json()["startPublishedDate"] == "2026-08-30T00:00:00.000Z"


def test_server_error_forever_returns_the_offline_dossier(server, make) -> None:
    server.route("POST", "/search", *scenario("server_error"))
    dossier, calls = make(server).research("Corvid Analytics", postings=[PLAIN])
    assert server.count() == 3, "1 try + 2 retries, then the company search is not attempted"
    assert dossier.method == "offline" and dossier.news == []
    assert dossier.news_note is not None and dossier.news_note.startswith("research unavailable: ")
    assert "HTTP 500" in dossier.news_note
    assert dossier.open_roles == ["Senior Data Engineer"] and dossier.mission is None
    (call,) = calls
    assert (call.status, call.attempts, call.http_status, call.cost_usd) == ("error", 3, 500, 0.0)
    assert EXA_KEY not in repr(calls) and EXA_KEY not in dossier.news_note


def test_company_search_failure_also_falls_back(server, make) -> None:
    server.route("POST", "/search", fixture_reply(NEWS), *scenario("not_found"))
    dossier, calls = make(server).research("Corvid Analytics", postings=[PLAIN])
    assert dossier.method == "offline" and "HTTP 404" in (dossier.news_note or "")
    assert [c.status for c in calls] == ["ok", "error"] and calls[0].cost_usd == 0.01


def test_no_relevant_news_says_so(server, make) -> None:
    birds = {
        "results": [
            {"url": "https://news.example/birds", "title": "Corvid birds", "text": "Crows plan ahead."},
            {
                "url": "https://news.example/old",
                "title": "Corvid Analytics founded",
                "publishedDate": "2025-01-05T00:00:00.000Z",
                "text": "An old story.",
            },
        ],
        "costDollars": {"total": 0.005},
    }
    server.route(
        "POST", "/search", json_reply(birds), json_reply({"results": [], "costDollars": {"total": 0.005}})
    )
    result = make(server).research_result("Corvid Analytics", postings=[PLAIN])
    assert result.dossier.method == "exa" and result.dossier.news == []
    assert result.dossier.news_note == (
        "No news about Corvid Analytics in the last 90 days (Exa). 1 result about something else left out."
    )
    assert result.dropped == {"news_off_topic": 1, "news_too_old": 1}
    assert [c.status for c in result.calls] == ["ok", "empty"]


def test_needs_a_key() -> None:
    with pytest.raises(ValueError, match="API key"):
        ExaResearch("", transport=Transport("exa_research"))
