"""The offline dossier, extended with Exa: recent news and the company's own pages.

Two Exa searches per company (exa-py's ``search``, ``POST /search``, through the engines'
:class:`ExaClient`, so through the Transport for cache, rate limit, retries and a CallRecord each):

* news: ``category="news"``, 5 results published in the last ``news_days`` days, 1,500 characters of
  text each; kept only when the title or text names the company, newest first;
* company pages: ``category="company"``, 3 results, 4,000 characters each; they fill the mission and
  culture sentences when the postings gave none, add red flags (same rules as the offline dossier) and
  add their URLs to ``sources``.

Everything Exa returns is data: titles and texts go through ``clean_description`` (scripts dropped,
HTML stripped) and prompt-injection wording is removed before any sentence is kept.

Caching: the cache identity holds only the normalised company name, the query and a date bucket (the
news window's start day; the ISO week for company pages), never the user nor the postings, so every
user asking about the same company within the cache TTL shares one answer (a cache hit costs nothing).

Failures (an :class:`EngineError` after the transport's retries, or an unreadable answer) never raise:
the offline dossier comes back with ``news_note = "research unavailable: ..."`` and the CallRecords.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from exa_py.api import Result, SearchResponse

from jobland_pipeline.lexicon.instructions import remove_instructions
from jobland_pipeline.postings.engines.base import CallRecord, EngineError
from jobland_pipeline.postings.engines.common import clean_line, clean_text, parse_date
from jobland_pipeline.postings.engines.exa import ExaClient, ExaQuery
from jobland_pipeline.postings.engines.registry import EngineConfig
from jobland_pipeline.postings.engines.transport import Transport
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.research.dossier import (
    _CULTURE,
    _MISSION,
    _RED_FLAGS,
    Dossier,
    NewsItem,
    _sentences,
    build_dossier,
)

NEWS_RESULTS = 5
NEWS_TEXT_CHARS = 1500
PAGE_RESULTS = 3
PAGE_TEXT_CHARS = 4000
_LEGAL_SUFFIX = re.compile(
    r"[,\s]+(inc|llc|l\.l\.c|ltd|limited|plc|corp|corporation|co|company|gmbh|ag|sa|s\.a|bv|pty)\.?$", re.I
)


def _today() -> date:
    return datetime.now(UTC).date()


def normalise_company(company: str) -> str:
    """The cache identity of a company: case-folded, runs of space collapsed."""
    return " ".join(company.split()).casefold()


def _squash(text: str) -> str:
    return re.sub(r"[\W_]", "", text.casefold())


def _mention_pattern(company: str) -> re.Pattern[str]:
    """The company name (legal suffix optional) as a whole word; CJK names match anywhere."""
    name = " ".join(company.split())
    core = _LEGAL_SUFFIX.sub("", name).strip() or name
    body = r"\s+".join(re.escape(part) for part in core.split())
    left = r"(?<![0-9a-z])" if re.match(r"[0-9a-z]", core, re.I) else ""
    right = r"(?![0-9a-z])" if re.search(r"[0-9a-z]$", core, re.I) else ""
    return re.compile(f"{left}{body}{right}", re.I)


def _web_url(value: object) -> str | None:
    url = str(value or "").strip()
    parts = urlsplit(url)
    return url if parts.scheme in {"http", "https"} and parts.hostname else None


@dataclass
class ResearchResult:
    """One research run: the dossier, every external call, and what was left out (reason -> count)."""

    dossier: Dossier
    calls: list[CallRecord] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)


class _Failed(Exception):
    """A search that failed after the transport's retries (its records are already kept)."""


class ExaResearch:
    """Company research with Exa on top of the offline dossier (see the module docstring)."""

    name = "exa"

    def __init__(
        self,
        api_key: str,
        *,
        transport: Transport,
        base_url: str = "https://api.exa.ai",
        news_days: int = 90,
        today: date | Callable[[], date] | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("ExaResearch needs an API key (JOBLAND_EXA_KEY)")
        self.news_days = max(1, int(news_days))
        self.transport = transport
        self._exa = ExaClient(api_key, transport=transport, base_url=base_url)
        self.base_url = self._exa.base_url
        if today is None:
            self._today: Callable[[], date] = _today
        elif isinstance(today, date):
            fixed = today
            self._today = lambda: fixed
        else:
            self._today = today

    # -- public ----------------------------------------------------------------------------------

    def research(self, company: str, *, postings: list[Posting]) -> tuple[Dossier, list[CallRecord]]:
        """(dossier, CallRecords); never raises for a research failure."""
        result = self.research_result(company, postings=postings)
        return result.dossier, result.calls

    def research_result(self, company: str, *, postings: list[Posting]) -> ResearchResult:
        """Like :meth:`research`, with the counts of Exa results left out."""
        offline = build_dossier(company, postings)
        today = self._today()
        calls: list[CallRecord] = []
        try:
            news_answer = self._search(company, "news", today, calls)
            page_answer = self._search(company, "company", today, calls)
            return self._extend(offline, company, today, news_answer, page_answer, calls)
        except _Failed as exc:
            note = f"research unavailable: {exc}"
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # an answer we cannot read
            note = f"research unavailable: unreadable answer from Exa ({type(exc).__name__})"
        failed = offline.model_copy(update={"news_note": self.transport.redact(note)})
        return ResearchResult(dossier=failed, calls=calls)

    # -- Exa calls -------------------------------------------------------------------------------

    def _ask(self, company: str, kind: str, today: date) -> tuple[ExaQuery, str]:
        """(the search exa-py makes, date bucket) of one search."""
        name = " ".join(company.split())
        if kind == "news":
            start = today - timedelta(days=self.news_days)
            news = ExaQuery(
                name,
                category="news",
                num_results=NEWS_RESULTS,
                max_characters=NEWS_TEXT_CHARS,
                start_published_date=f"{start.isoformat()}T00:00:00.000Z",
            )
            return news, start.isoformat()
        year, week, _ = today.isocalendar()
        pages = ExaQuery(
            f"{name} mission values culture",
            category="company",
            num_results=PAGE_RESULTS,
            max_characters=PAGE_TEXT_CHARS,
        )
        return pages, f"{year}-W{week:02d}"

    def _search(
        self, company: str, kind: str, today: date, calls: list[CallRecord]
    ) -> SearchResponse[Result]:
        ask, bucket = self._ask(company, kind, today)

        def identity(body: Any) -> Any:
            # Only the company, the query and the date bucket: shared by every user asking about it.
            return {
                "url": f"{self.base_url}/search",
                "research": kind,
                "company": normalise_company(company),
                "bucket": bucket,
                **body,
                "query": " ".join(str(body["query"]).split()).casefold(),
            }

        try:
            answer, records = self._exa.search(ask, identity=identity, request=f"POST /search ({kind})")
        except EngineError as exc:
            calls.extend(exc.calls)
            raise _Failed(str(exc)) from None
        calls.extend(records)
        return answer

    # -- building the dossier --------------------------------------------------------------------

    def _extend(
        self,
        offline: Dossier,
        company: str,
        today: date,
        news_answer: SearchResponse[Result],
        page_answer: SearchResponse[Result],
        calls: list[CallRecord],
    ) -> ResearchResult:
        """The offline dossier with Exa's news and company pages added (what was left out is counted)."""
        topic = _Topic(company)
        dropped: Counter[str] = Counter()
        start = today - timedelta(days=self.news_days)
        news, news_texts = _news(news_answer.results, topic, start, today, dropped)
        page_texts, page_urls = _pages(page_answer.results, topic, dropped)
        mission, culture = _mission_and_culture(offline, page_texts)
        news_items = news[:NEWS_RESULTS]
        sources = [*offline.sources, *page_urls, *(n.url for n in news_items if n.url)]
        dossier = offline.model_copy(
            update={
                "mission": mission,
                "culture": culture,
                "news": news_items,
                "news_note": None if news_items else self._no_news_note(company, dropped),
                "red_flags": _red_flags(offline.red_flags, "\n".join(page_texts + news_texts)),
                "sources": list(dict.fromkeys(sources)),
                "method": "exa",
            }
        )
        return ResearchResult(
            dossier=Dossier.model_validate(dossier.model_dump()),
            calls=calls,
            dropped={k: v for k, v in dropped.items() if v},
        )

    def _no_news_note(self, company: str, dropped: Counter[str]) -> str:
        note = f"No news about {' '.join(company.split())} in the last {self.news_days} days (Exa)."
        off_topic = dropped["news_off_topic"]
        if off_topic:
            note += f" {off_topic} result{'s' if off_topic != 1 else ''} about something else left out."
        return note


# --------------------------------------------------------------------------- reading Exa's results


class _Topic:
    """Is a result about this company? Its name in the title or text, or its squashed name in the host."""

    def __init__(self, company: str) -> None:
        self.mentions = _mention_pattern(company)
        self.squashed = _squash(_LEGAL_SUFFIX.sub("", " ".join(company.split())) or company)

    def named_in(self, *texts: str) -> bool:
        return any(self.mentions.search(text) for text in texts)

    def owns(self, url: str | None) -> bool:
        """The company's squashed name (4+ characters) in the URL's host: its own site."""
        host = _squash(urlsplit(url).hostname or "") if url else ""
        return len(self.squashed) >= 4 and self.squashed in host


def _clean_text(item: Result) -> str:
    """A result's text as plain data: HTML stripped, prompt-injection wording removed."""
    return remove_instructions(clean_text(item.text))[0]


def _news_reject(
    title: str, text: str, url: str | None, published: date | None, topic: _Topic, start: date, seen: set[str]
) -> str | None:
    """Why a news result is left out (a ``dropped`` reason), or None to keep it."""
    if not title:
        return "news_missing_title"
    if not topic.named_in(title, text):
        return "news_off_topic"
    if published is not None and published < start:
        return "news_too_old"
    if url is not None and url in seen:
        return "news_duplicate"
    return None


def _news(
    items: list[Result], topic: _Topic, start: date, today: date, dropped: Counter[str]
) -> tuple[list[NewsItem], list[str]]:
    """(news about the company, newest first with undated ones last in Exa's order; their texts)."""
    kept: list[tuple[date | None, int, NewsItem]] = []
    texts: list[str] = []
    seen: set[str] = set()
    for position, item in enumerate(items):
        title = clean_line(item.title)[:300]
        text = _clean_text(item)
        url = _web_url(item.url)
        published = parse_date(item.published_date, today=today)
        reason = _news_reject(title, text, url, published, topic, start, seen)
        if reason:
            dropped[reason] += 1
            continue
        if url:
            seen.add(url)
        shown = published.isoformat() if published else None
        kept.append((published, position, NewsItem(title=title, url=url, published=shown)))
        texts.append(f"{title}\n{text}")
    kept.sort(key=lambda n: (n[0] is None, -(n[0].toordinal() if n[0] else 0), n[1]))
    return [n[2] for n in kept], texts


def _pages(items: list[Result], topic: _Topic, dropped: Counter[str]) -> tuple[list[str], list[str]]:
    """(texts, URLs) of the company-page results that are about the company and hold text."""
    texts: list[str] = []
    urls: list[str] = []
    for item in items:
        text = _clean_text(item)
        url = _web_url(item.url)
        if not (topic.named_in(clean_line(item.title), text) or topic.owns(url)):
            dropped["pages_off_topic"] += 1
        elif not text:
            dropped["pages_empty"] += 1
        else:
            texts.append(text)
            urls.extend([url] if url else [])
    return texts, urls


def _mission_and_culture(offline: Dossier, page_texts: list[str]) -> tuple[str | None, list[str]]:
    """The offline mission and culture win; the company's own pages fill what the postings gave none of."""
    sentences = [s for text in page_texts for s in _sentences(text)]
    mission = offline.mission or next((s for s in sentences if _MISSION.search(s)), None)
    if offline.culture:
        return mission, offline.culture
    culture = [s for s in sentences if _CULTURE.search(s) and s != mission]
    return mission, list(dict.fromkeys(culture))[:4]


def _red_flags(known: list[str], text: str) -> list[str]:
    """The offline red flags, then those the Exa texts raise (same rules as the offline dossier)."""
    flags = list(known)
    for pattern, label in _RED_FLAGS.items():
        if label not in flags and re.search(pattern, text, re.I):
            flags.append(label)
    return flags


__all__ = ["ExaResearch", "ResearchResult", "normalise_company"]


def build_research(
    config: EngineConfig, *, sleep: Callable[[float], None] = time.sleep
) -> ExaResearch | None:
    """Exa company research for dossiers when an Exa key is configured (cached per company, shared by users)."""
    if not config.exa_key:
        return None
    transport = config.transport(
        "exa_research", config.limiter("exa", None, config.exa_concurrency or None), sleep
    )
    return ExaResearch(config.exa_key, transport=transport, base_url=config.exa_base_url)
