"""A posting from its URL: pages served from a loopback server, read from JSON-LD or main text,
refused with a reason when they are not a posting; the CLI and the settings' posting_urls end to end.

The pages are in tests/fixtures/posting_pages (real job texts, see PROVENANCE.md); the loopback
server is an internal address, so each test lets exactly its ``host:port`` through, as the CV
download tests do (and checks that nothing else gets through).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.postings.discovery import SearchOutcome
from jobland_pipeline.postings.engines.posting_urls import PostingUrlEngine, first_searches
from jobland_pipeline.postings.from_url import PostingPageError, posting_from_page, posting_from_url
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.stage import MAX_POSTINGS_PER_SEARCH, Search, run_searches
from jobland_pipeline.profiles.models import TitleSuggestion
from jobland_pipeline.profiles.user_settings import SettingsError, parse_user_settings
from jobland_pipeline.warehouse import Warehouse
from resources import WarehouseResource
from sensors.schedules import daily_search_schedule
from sensors.searches import search_partitions_sensor
from tests.conftest import REAL_CVS, SAMPLE_CVS, SAMPLE_INBOX, SAMPLE_POSTINGS
from tests.replay import ReplayServer, Reply, redirect_reply, status_reply

PAGES = Path(__file__).parent / "fixtures" / "posting_pages"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _page(name: str) -> Reply:
    return Reply(200, (PAGES / name).read_bytes(), HTML)


def _html(body: str, title: str = "", head: str = "") -> Reply:
    page = f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    return Reply(200, page.encode(), HTML)


LOGIN = _html(
    '<h1>Sign in to see this job</h1><form method="post"><input type="email" name="u">'
    '<input type="password" name="p"><button>Sign in</button></form>',
    title="Sign In | Careers",
)
JOB_LIST = _html(
    "<h1>Open positions</h1><ul>"
    + "".join(f'<li><a href="/acme/jobs/{4000 + i}">Engineer {i}</a> Remote</li>' for i in range(12))
    + "</ul>",
    title="Jobs at Acme",
)
LIST_JSONLD = _html(
    "<p>Three jobs</p>",
    title="Jobs",
    head='<script type="application/ld+json">'
    + json.dumps(
        {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "item": {"@type": "JobPosting", "title": f"Job {i}"}} for i in range(3)
            ],
        }
    )
    + "</script>",
)
CLOSED = _html("<h1>This job is no longer available</h1><p>Browse our other openings.</p>", "Acme Careers")
SHORT = _html("<h1>Data Engineer</h1><p>Apply now.</p>", "Data Engineer at Acme")
DEEP = _html(
    "<main><h1>Staff Engineer</h1>"
    + "<p>We build reliable data systems for hospitals. </p>" * 20
    + "</main>",
    title="Staff Engineer at Deepco",
    # A JobPosting whose block nests 40 levels deep: refused by the JSON limits before it is built,
    # so its title never wins over the page's.
    head='<script type="application/ld+json">{"@type": "JobPosting", "title": "Read past the limit", '
    '"hiringOrganization": {"name": "Nobody"}, "x": ' + "[" * 40 + "]" * 40 + "}</script>",
)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer() as replay:
        replay.route("GET", "/workday/pearson", _page("pearson_facilitator_jsonld.html"))
        replay.route("GET", "/job/backend", _page("backend_eng_graph.html"))
        replay.route("GET", "/gh/ml", _page("ml_eng_no_jsonld.html"))
        replay.route("GET", "/login", LOGIN)
        replay.route("GET", "/gone", status_reply(404))
        replay.route("GET", "/board", JOB_LIST)
        replay.route("GET", "/board-jsonld", LIST_JSONLD)
        replay.route("GET", "/closed", CLOSED)
        replay.route("GET", "/short", SHORT)
        replay.route("GET", "/deep", DEEP)
        replay.route("GET", "/cv.pdf", Reply(200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"}))
        yield replay


def _allowed(server: ReplayServer) -> frozenset[str]:
    return frozenset({server.base_url.removeprefix("http://")})


def _get(server: ReplayServer, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return posting_from_url(server.base_url + path, allowed_private=_allowed(server), **kwargs)  # type: ignore[arg-type]


def _refusal(server: ReplayServer, path: str) -> PostingPageError:
    with pytest.raises(PostingPageError) as caught:
        _get(server, path)
    assert "\n" not in caught.value.reason and "Traceback" not in caught.value.reason
    return caught.value


# --------------------------------------------------------------------------- reading pages


def test_jsonld_posting_fields(server: ReplayServer) -> None:
    p = _get(server, "/workday/pearson")
    assert (p.title, p.company) == ("Training & Learning Facilitator", "Pearson")
    assert p.location == "Richmond, VA, US" and p.remote is True
    assert p.employment_type == "full_time" and p.posted_at == date(2025, 4, 16)
    assert (p.salary_min, p.salary_max, p.salary_currency, p.salary_period) == (65000, 70000, "USD", "year")
    assert p.source == "url" and p.source_id == "4210138065"
    assert p.url == server.base_url + "/workday/pearson" and p.id.startswith("url-")
    # The description is the JSON-LD's HTML as clean text (lists kept as lines, no tags).
    assert p.description.startswith("Remote | US Wide\n\nAre you passionate about empowering educators")
    assert "- Current K–12 teaching certification." in p.description and "<" not in p.description


def test_jsonld_in_a_graph_with_an_encoded_type(server: ReplayServer) -> None:
    p = _get(server, "/job/backend")
    assert (p.title, p.company, p.location) == (
        "Senior Backend Engineer",
        "Resume-Matcher Sample",
        "Berlin, Germany",
    )
    assert p.remote is True and p.employment_type == "full_time" and p.posted_at == date(2026, 11, 20)
    assert p.source_id == "1001" and p.url == "https://jobs.example.org/job/senior-backend-engineer/1001"
    assert p.description.startswith("We are looking for a Senior Backend Engineer to join our platform team.")
    assert "Similar jobs" not in p.description  # the posting's own description, not the page around it


def test_page_without_jsonld_main_text_and_title(server: ReplayServer) -> None:
    p = _get(server, "/gh/ml")
    assert p.title == "Machine Learning Engineer"  # og:title
    assert p.company == "Resume-Matcher Sample"  # "Job Application for <title> at <company>"
    assert p.description.startswith(
        "We are seeking a Machine Learning Engineer to join our AI platform team."
    )
    assert "PyTorch" in p.description
    # The application form's EEO questionnaire is the longest text on the page; it is not the posting.
    assert "Equal Employment" not in p.description and "Submit application" not in p.description


def test_jsonld_nested_past_the_limit_is_skipped_for_the_main_text(server: ReplayServer) -> None:
    p = _get(server, "/deep")
    assert (p.title, p.company) == ("Staff Engineer", "Deepco")
    assert p.description.startswith("Staff Engineer\n\nWe build reliable data systems for hospitals.")


def test_a_chinese_page_in_gb2312_without_jsonld() -> None:
    """The bundled sample posting smp-fincn-003 (written for this project), 250 characters of it in a
    GB2312 page: decoded by its <meta charset>, long enough (a Chinese character counts as two)."""
    sample = next(
        json.loads(line)
        for line in SAMPLE_POSTINGS.read_text(encoding="utf-8").splitlines()
        if '"smp-fincn-003"' in line
    )
    text = sample["description"].replace("\n", "")[:250]
    page = (
        '<html><head><meta charset="gb2312"><title>会计 - 嘉禾连锁餐饮管理有限公司</title></head>'
        f"<body><nav>首页 职位 登录</nav><h1>会计</h1><div class='jd'><p>{text}</p></div></body></html>"
    )
    p = posting_from_page(page.encode("gb18030"), "https://zhaopin.example.cn/job/3")
    assert (p.title, p.company) == ("会计", "嘉禾连锁餐饮管理有限公司")
    assert p.description.startswith("会计\n\n公司简介:嘉禾连锁餐饮创立于广州")  # NFKC: full-width colon
    assert p.description.endswith("持有初级会计职称,持有") and "首页" not in p.description
    short = page.replace(text, text[:150]).encode("gb18030")
    with pytest.raises(PostingPageError, match="too little text"):
        posting_from_page(short, "https://zhaopin.example.cn/job/3")


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/login", "login_wall", "sign-in page"),
        ("/gone", "http_status", "HTTP 404"),
        ("/board", "job_list", "list of jobs (12 job links)"),
        ("/board-jsonld", "job_list", "lists 3 jobs"),
        ("/closed", "error_page", "error page"),
        ("/short", "too_little_text", "too little text"),
        ("/cv.pdf", "bad_content_type", "application/pdf, not a web page"),
    ],
)
def test_pages_that_are_not_a_posting_are_refused(
    server: ReplayServer, path: str, code: str, words: str
) -> None:
    error = _refusal(server, path)
    assert error.code == code and words in error.reason, error.reason


def test_internal_addresses_refused_unless_allowed(server: ReplayServer) -> None:
    port = server.base_url.rsplit(":", 1)[1]
    # Not allowed at all: the loopback server is an internal address.
    with pytest.raises(PostingPageError) as caught:
        posting_from_url(server.base_url + "/workday/pearson")
    assert caught.value.code == "blocked_address" and "JobLand only downloads pages" in caught.value.reason
    # The first hop allowed (by the name localhost), its redirect to 127.0.0.1 is checked again and refused.
    server.route("GET", "/moved", redirect_reply(f"http://127.0.0.1:{port}/workday/pearson"))
    with pytest.raises(PostingPageError) as caught:
        posting_from_url(f"http://localhost:{port}/moved", allowed_private=frozenset({f"localhost:{port}"}))
    assert caught.value.code == "blocked_address" and "127.0.0.1" in caught.value.reason
    assert server.count("GET", "/workday/pearson") == 0  # never fetched
    # And to the cloud metadata service.
    server.route("GET", "/meta", redirect_reply("http://169.254.169.254/latest/meta-data/"))
    assert _refusal(server, "/meta").code == "blocked_address"


def test_the_same_page_bytes_give_the_same_posting() -> None:
    data = (PAGES / "pearson_facilitator_jsonld.html").read_bytes()
    a = posting_from_page(data, "https://careers.example.org/job/1")
    b = posting_from_page(data, "https://careers.example.org/job/1")
    assert a == b and a.id != posting_from_page(data, "https://careers.example.org/job/2").id


# --------------------------------------------------------------------------- settings and the engine


def test_settings_posting_urls_are_validated() -> None:
    settings = parse_user_settings(
        b"posting_urls:\n  - https://a.example/jobs/1\n  - https://a.example/jobs/1\n", "s"
    )
    assert settings.posting_urls == ["https://a.example/jobs/1"]
    for bad in (
        b"posting_urls: [ftp://a.example/x]",
        b"posting_urls: ['https://']",
        b"posting_urls: ['http://a b/']",
    ):
        with pytest.raises(SettingsError, match=r"posting_urls.*not an http"):
            parse_user_settings(bad, "settings.yaml")
    many = "posting_urls:\n" + "".join(f"  - https://a.example/{i}\n" for i in range(21))
    with pytest.raises(SettingsError, match="at most 20"):
        parse_user_settings(many.encode(), "settings.yaml")


def test_engine_adds_postings_and_records_refusals(server: ReplayServer) -> None:
    engine = PostingUrlEngine(allowed_private=_allowed(server))
    outcome = SearchOutcome()
    refusals = engine.add_to(
        outcome, [server.base_url + "/workday/pearson", server.base_url + "/gone?token=s3cret"]
    )
    assert [p.title for p in outcome.postings] == ["Training & Learning Facilitator"]
    assert outcome.per_engine == {"url": 1} and outcome.step == "posting_urls"
    assert outcome.dropped == {"refused_http_status": 1}
    assert len(refusals) == 1 and "HTTP 404" in refusals[0] and "1 of 2" in outcome.errors["url"]
    assert [c.status for c in outcome.calls] == ["ok", "error"]
    assert all("s3cret" not in (c.request + (c.error or "")) for c in outcome.calls)
    engine.add_to(SearchOutcome(), [server.base_url + "/workday/pearson"])
    assert server.count("GET", "/workday/pearson") == 1  # once per run, whoever asks
    assert first_searches(["b::x", "a::z", "a::y"]) == {"a": "a::y", "b": "b::x"}


def test_a_posting_the_user_gave_survives_the_ranking_cut() -> None:
    title = TitleSuggestion(
        title="Data Engineer", slug="data-engineer", display_title="Data Engineer", score=1, reason="r"
    )
    found = [
        Posting(id=f"local-{i}", title="Data Engineer", company=f"Company {i}", description=f"Pipelines {i}.")
        for i in range(MAX_POSTINGS_PER_SEARCH + 5)
    ]
    data = (PAGES / "pearson_facilitator_jsonld.html").read_bytes()
    own = posting_from_page(data, "https://careers.example.org/job/4210138065")  # an unrelated title
    outcome = SearchOutcome(postings=[*found, own], step="exact")
    batch = run_searches(
        [Search("u::data-engineer", title, outcome)],
        stale_after_days=14,
        liveness=None,
        today=date(2026, 12, 7),
        now=datetime(2026, 12, 7, tzinfo=UTC),
    )
    rows = batch.done["u::data-engineer"].postings
    assert len(rows) == MAX_POSTINGS_PER_SEARCH + 1
    assert [r.title for r in rows if r.source == "url"] == ["Training & Learning Facilitator"]


# --------------------------------------------------------------------------- the CLI


def _jobland(*args: str, allow: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "JOBLAND_POSTING_URL_ALLOW": allow}
    return subprocess.run(
        [sys.executable, "-m", "jobland_cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=env,
    )


def test_cli_screen_posting_urls(server: ReplayServer, tmp_path: Path) -> None:
    allow = server.base_url.removeprefix("http://")
    out = tmp_path / "results.json"
    cv = str(REAL_CVS / "resumematcher_single-column.pdf")
    urls = [
        server.base_url + "/job/backend",
        server.base_url + "/workday/pearson",
        server.base_url + "/login",
    ]
    args = ["screen", "--cv", cv, "--out", str(out)] + [a for u in urls for a in ("--posting-url", u)]
    proc = _jobland(*args, allow=allow)
    assert proc.returncode == 1, proc.stderr  # one URL refused: named, the others screened
    assert "sign-in page" in proc.stderr and "1 posting URL(s) refused" in proc.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    titles = {p["id"]: p["title"] for p in result["postings"]}
    assert sorted(titles.values()) == ["Senior Backend Engineer", "Training & Learning Facilitator"]
    scores = {titles[k]: v["score"] for k, v in result["screenings"].items()}
    assert (
        scores["Senior Backend Engineer"] > scores["Training & Learning Facilitator"]
    )  # a software engineer's CV

    # One URL, refused: one line, exit 2, before any CV work. Without the allow list, loopback is refused.
    proc = _jobland(
        "screen", "--cv", cv, "--out", str(out), "--posting-url", server.base_url + "/gone", allow=allow
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "HTTP 404" in proc.stderr
    proc = _jobland(
        "screen", "--cv", cv, "--out", str(out), "--posting-url", server.base_url + "/job/backend", allow=""
    )
    assert proc.returncode == 2 and "not a public address" in proc.stderr


def test_cli_tailor_posting_url(server: ReplayServer, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    proc = _jobland(
        "tailor",
        "--cv",
        str(SAMPLE_CVS["daniel_okafor"]),
        "--posting-url",
        server.base_url + "/job/backend",
        "--out",
        str(out),
        allow=server.base_url.removeprefix("http://"),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Senior Backend Engineer at Resume-Matcher Sample: score ")
    letter = (out / "cover_letter.md").read_text(encoding="utf-8")
    assert (
        "Senior Backend Engineer" in letter
        and "Resume-Matcher Sample" in letter
        and "Daniel Okafor" in letter
    )


# --------------------------------------------------------------------------- the pipeline


def _run_searches(defs: dg.Definitions, instance: dg.DagsterInstance, store: Warehouse) -> None:
    resource = WarehouseResource(root=str(store.root), duckdb_path=str(store.duckdb_path))
    with dg.build_sensor_context(instance=instance, resources={"warehouse": resource}) as ctx:
        result = search_partitions_sensor(ctx)
    for request in (result.dynamic_partitions_requests or []) if isinstance(result, dg.SensorResult) else []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys or []))
    with dg.build_schedule_context(instance=instance, scheduled_execution_time=datetime.now(UTC)) as ctx:
        requests = daily_search_schedule(ctx)
    assert isinstance(requests, list) and requests
    for request in requests:
        job = defs.resolve_job_def("search_job")
        assert job.execute_in_process(
            instance=instance, tags=dict(request.tags), raise_on_error=False
        ).success


def test_settings_posting_urls_reach_the_runs_postings(server: ReplayServer, tmp_path: Path) -> None:
    home = tmp_path / "var"
    inbox = home / "inbox" / "emma_clarke"
    shutil.copytree(SAMPLE_INBOX / "emma_clarke", inbox)
    settings = (inbox / "settings.yaml").read_text(encoding="utf-8")
    urls = [server.base_url + "/workday/pearson", server.base_url + "/board"]
    settings += "\nposting_urls:\n" + "".join(f"  - {u}\n" for u in urls)
    (inbox / "settings.yaml").write_text(settings, encoding="utf-8")
    defs = build_definitions(
        {"JOBLAND_HOME": str(home), "JOBLAND_POSTING_URL_ALLOW": server.base_url.removeprefix("http://")}
    )
    store = Warehouse(home / "warehouse", home / "jobland.duckdb")
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", ["emma_clarke"])
        intake = defs.resolve_job_def("intake_job")
        assert intake.execute_in_process(instance=instance, partition_key="emma_clarke").success
        _run_searches(defs, instance, store)

    postings = store.read("job_postings")
    mine = postings.filter(pl.col("source") == "url")
    assert mine["title"].to_list() == ["Training & Learning Facilitator"]
    first = sorted(postings["search_key"].unique().to_list())[0]
    assert mine["search_key"].to_list() == [first] and mine["salary_max"].to_list() == [70000.0]
    assert mine["sources"].to_list() == [["url"]] and mine["status"].to_list() == ["open"]
    # The list of jobs is a recorded engine error, not a failed search.
    calls = store.read("api_calls").filter(pl.col("engine") == "url").sort("request")
    assert calls["status"].to_list() == ["error", "ok"]
    assert "list of jobs" in calls["error"][0]
    # Screened like any posting of that search.
    screened = store.read("screenings").filter(pl.col("posting_id") == mine["posting_id"][0])
    assert screened.height == 1
