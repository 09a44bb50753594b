"""The jobspy engine on frames shaped as JobSpy documents them (no site is reached), and its failures."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jobland_pipeline.net import RateLimiter, ResponseCache
from jobland_pipeline.postings.engines.base import EngineError, SearchQuery
from jobland_pipeline.postings.engines.jobspy import JobSpyEngine
from jobland_pipeline.postings.engines.registry import EngineConfig, build_engines

# JobSpy's documented output columns (its JobPost fields, in its order).
COLUMNS = [
    "id", "site", "job_url", "job_url_direct", "title", "company", "location", "date_posted", "job_type",
    "salary_source", "interval", "min_amount", "max_amount", "currency", "is_remote", "job_level",
    "job_function", "listing_type", "emails", "description", "company_industry", "company_url",
    "company_logo", "company_url_direct", "company_addresses", "company_num_employees", "company_revenue",
    "company_description", "skills", "experience_range", "company_rating", "company_reviews_count",
    "vacancy_count", "work_from_home_type",
]  # fmt: skip
TODAY = date(2026, 12, 6)
NAN = math.nan


def frame(rows: list[dict[str, Any]], errors: dict[str, str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLUMNS)
    df.attrs = {"errors": errors or {}, "warnings": {}}
    return df


ROWS = [
    {
        "id": "in-8f3a1c",
        "site": "indeed",
        "job_url": "https://www.indeed.com/viewjob?jk=8f3a1c",
        "job_url_direct": "https://careers.mercy.org/jobs/4411",
        "title": "ICU Registered Nurse",
        "company": "Mercy Hospital",
        "location": "Chicago, IL, US",
        "date_posted": pd.Timestamp("2026-12-04"),
        "job_type": "fulltime",
        "salary_source": "direct_data",
        "interval": "yearly",
        "min_amount": 85000.0,
        "max_amount": 105000.0,
        "currency": "USD",
        "is_remote": False,
        "description": "<p><b>Registered Nurse</b> for our ICU.</p><ul><li>BLS and ACLS required</li><li>Day shifts</li></ul>",
        "company_rating": NAN,
        "vacancy_count": NAN,
    },
    {
        "id": "li-4055",
        "site": "linkedin",
        "job_url": "https://www.linkedin.com/jobs/view/4055",
        "job_url_direct": NAN,
        "title": "Remote Clinical Nurse Educator",
        "company": "CareLearn",
        "location": NAN,
        "date_posted": NAN,
        "job_type": "contract, parttime",
        "interval": "hourly",
        "min_amount": 48.0,
        "max_amount": 60.0,
        "currency": "USD",
        "is_remote": True,
        "description": "Teach nurses online.",
    },
    {
        "id": "gd-77",
        "site": "glassdoor",
        "job_url": "https://www.glassdoor.com/job-listing/77",
        "title": "Charge Nurse",
        "company": "Northside Clinic",
        "location": "Evanston, IL, US",
        "date_posted": pd.Timestamp("2026-12-01"),
        "work_from_home_type": "Hybrid",
        "is_remote": NAN,
        "description": NAN,
    },
    {"id": "zr-1", "site": "zip_recruiter", "job_url": "https://ziprecruiter.com/j/1", "title": "Nurse"},
]


class Scraper:
    """Stands where ``jobspy.scrape_jobs`` is called: returns a frame, or raises, and keeps the calls."""

    def __init__(self, answer: pd.DataFrame | Exception) -> None:
        self.answer = answer
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> pd.DataFrame:
        self.calls.append(kwargs)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def engine(scrape: Scraper, tmp_path: Path | None = None) -> JobSpyEngine:
    cache = ResponseCache(tmp_path / "cache", 3600) if tmp_path else None
    return JobSpyEngine(
        ["indeed", "linkedin", "glassdoor", "zip_recruiter"],
        scrape=scrape,
        cache=cache,
        limiter=RateLimiter(10, 1),
        today=lambda: TODAY,
    )


QUERY = SearchQuery(title="Registered Nurse", location="Chicago, IL", posted_within_days=7)


def test_the_documented_columns_are_jobspys() -> None:
    jobspy = pytest.importorskip("jobspy.model", reason="python-jobspy is an optional engine")
    assert list(jobspy.JobPost.model_fields) == COLUMNS


def test_rows_map_to_postings(tmp_path: Path) -> None:
    scrape = Scraper(frame(ROWS))
    result = engine(scrape, tmp_path).search(QUERY)
    [asked] = scrape.calls
    assert asked["search_term"] == "Registered Nurse" and asked["location"] == "Chicago, IL"
    assert asked["site_name"] == ["indeed", "linkedin", "glassdoor", "zip_recruiter"]
    assert asked["hours_old"] == 7 * 24 and asked["is_remote"] is False
    by_title = {p.title: p for p in result.postings}
    icu = by_title["ICU Registered Nurse"]
    assert (icu.company, icu.location, icu.remote, icu.employment_type) == (
        "Mercy Hospital",
        "Chicago, IL, US",
        False,
        "full_time",
    )
    assert icu.posted_at == date(2026, 12, 4) and icu.source == "jobspy" and icu.source_id == "in-8f3a1c"
    assert icu.url == "https://www.indeed.com/viewjob?jk=8f3a1c"
    assert icu.apply_url == "https://careers.mercy.org/jobs/4411"  # the direct link first
    assert (icu.salary_min, icu.salary_max, icu.salary_currency, icu.salary_period) == (
        85000.0,
        105000.0,
        "USD",
        "year",
    )
    assert "BLS and ACLS required" in icu.description and "<" not in icu.description
    assert asked["description_format"] == "html"
    educator = by_title["Remote Clinical Nurse Educator"]
    assert educator.remote is True and educator.location == "Remote" and educator.posted_at is None
    assert educator.employment_type == "contract" and educator.salary_period == "hour"
    assert educator.apply_url == educator.url == "https://www.linkedin.com/jobs/view/4055"
    charge = by_title["Charge Nurse"]
    assert charge.remote == "hybrid" and charge.description == "" and charge.salary_min is None
    assert "Nurse" not in by_title  # no company: left out, counted
    assert result.dropped["missing_company"] == 1 and result.raw_count == 4
    [call] = result.calls
    assert (call.engine, call.status, call.error) == ("jobspy", "ok", None)
    # The same query again comes from the cache: JobSpy is not called a second time.
    again = engine(scrape, tmp_path).search(QUERY)
    assert len(scrape.calls) == 1 and again.calls[0].status == "cached"
    assert [p.model_dump() for p in again.postings] == [p.model_dump() for p in result.postings]


def test_one_site_failing_keeps_the_others_and_says_so(tmp_path: Path) -> None:
    scrape = Scraper(frame(ROWS[:1], errors={"linkedin": "429 Too Many Requests\nretry later"}))
    result = engine(scrape, tmp_path).search(QUERY)
    assert [p.title for p in result.postings] == ["ICU Registered Nurse"]
    assert result.calls[0].error == "linkedin: 429 Too Many Requests"
    engine(scrape, tmp_path).search(QUERY)
    assert len(scrape.calls) == 2  # a partial answer is not cached


def test_failures_are_engine_errors() -> None:
    every = {s: "blocked (403)" for s in ("indeed", "linkedin", "glassdoor", "zip_recruiter")}
    with pytest.raises(EngineError, match="every site failed") as failed:
        engine(Scraper(frame([], errors=every))).search(QUERY)
    assert failed.value.calls[0].status == "error"
    with pytest.raises(EngineError, match="jobspy failed: ConnectionError: proxy refused") as raised:
        engine(Scraper(ConnectionError("proxy refused\nTraceback"))).search(QUERY)
    assert raised.value.calls[0].error == "ConnectionError: proxy refused"
    missing = pd.DataFrame([{"TITLE": "Nurse", "COMPANY": "Acme"}])
    with pytest.raises(EngineError, match="no column title, company, job_url"):
        engine(Scraper(missing)).search(QUERY)
    empty = engine(Scraper(frame([]))).search(QUERY)
    assert empty.postings == [] and empty.calls[0].status == "empty"


def test_registry_builds_it_only_with_known_sites(tmp_path: Path) -> None:
    config = EngineConfig(enabled="jobspy", jobspy_sites="indeed, google", cache_dir=str(tmp_path))
    [built], skipped = build_engines(config)
    assert isinstance(built, JobSpyEngine) and built.sites == ("indeed", "google") and not skipped
    with pytest.raises(ValueError, match="monster"):
        build_engines(EngineConfig(enabled="jobspy", jobspy_sites="indeed,monster", cache_dir=str(tmp_path)))
