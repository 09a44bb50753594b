"""The offline dossier, extended with Exa: recent news and the company's own pages.

Two Exa searches per company (through the exa-py SDK, run inside :meth:`Transport.call` for cache,
rate limit, retries and a CallRecord each):

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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from exa_py import Exa

from jobland_pipeline.lexicon.instructions import remove_instructions
from jobland_pipeline.postings.engines.base import CallRecord, EngineError
from jobland_pipeline.postings.engines.common import clean_line, clean_text, parse_date
from jobland_pipeline.postings.engines.exa import exa_answer
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
        self.base_url = base_url.rstrip("/")
        self.news_days = max(1, int(news_days))
        self.transport = transport
        if today is None:
            self._today: Callable[[], date] = _today
        elif isinstance(today, date):
            fixed = today
            self._today = lambda: fixed
        else:
            self._today = today
        transport.add_secret(api_key)
        self._client = Exa(api_key=api_key, base_url=self.base_url, timeout=transport.timeout)

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

    def _request(self, company: str, kind: str, today: date) -> tuple[str, dict[str, Any], str]:
        """(query text, SDK options, date bucket) of one search."""
        name = " ".join(company.split())
        if kind == "news":
            start = today - timedelta(days=self.news_days)
            options: dict[str, Any] = {
                "category": "news",
                "num_results": NEWS_RESULTS,
                "start_published_date": f"{start.isoformat()}T00:00:00.000Z",
                "contents": {"text": {"maxCharacters": NEWS_TEXT_CHARS}},
            }
            return name, options, start.isoformat()
        year, week, _ = today.isocalendar()
        options = {
            "category": "company",
            "num_results": PAGE_RESULTS,
            "contents": {"text": {"maxCharacters": PAGE_TEXT_CHARS}},
        }
        return f"{name} mission values culture", options, f"{year}-W{week:02d}"

    def _search(self, company: str, kind: str, today: date, calls: list[CallRecord]) -> dict[str, Any]:
        text, options, bucket = self._request(company, kind, today)

        def fetch() -> dict[str, Any]:
            return exa_answer(self._client.search(text, **options))

        # Only the company, the query and the date bucket: shared by every user asking about it.
        identity = {
            "url": f"{self.base_url}/search",
            "research": kind,
            "company": normalise_company(company),
            "query": " ".join(text.split()).casefold(),
            "bucket": bucket,
            **options,
        }
        try:
            answer, records = self.transport.call(identity, fetch, request=f"POST /search ({kind})")
        except EngineError as exc:
            calls.extend(exc.calls)
            raise _Failed(str(exc)) from None
        if not isinstance(answer, dict):
            answer = {"results": []}
        results = answer.get("results")
        for call in records:
            if not call.cache_hit:
                call.credits = 1.0
                call.cost_usd = float((answer.get("costDollars") or {}).get("total") or 0.0)
                if not results and call.status == "ok":
                    call.status = "empty"
        calls.extend(records)
        return answer

    # -- building the dossier --------------------------------------------------------------------

    def _extend(
        self,
        offline: Dossier,
        company: str,
        today: date,
        news_answer: dict[str, Any],
        page_answer: dict[str, Any],
        calls: list[CallRecord],
    ) -> ResearchResult:
        mentions = _mention_pattern(company)
        squashed = _squash(_LEGAL_SUFFIX.sub("", " ".join(company.split())) or company)
        start = today - timedelta(days=self.news_days)
        dropped: Counter[str] = Counter()

        news: list[tuple[date | None, int, NewsItem]] = []
        news_texts: list[str] = []
        seen_urls: set[str] = set()
        for position, item in enumerate(_items(news_answer)):
            title = clean_line(item.get("title"))[:300]
            text = remove_instructions(clean_text(item.get("text")))[0]
            url = _web_url(item.get("url"))
            published = parse_date(item.get("publishedDate"), today=today)
            if not title:
                dropped["news_missing_title"] += 1
            elif not (mentions.search(title) or mentions.search(text)):
                dropped["news_off_topic"] += 1
            elif published is not None and published < start:
                dropped["news_too_old"] += 1
            elif url is not None and url in seen_urls:
                dropped["news_duplicate"] += 1
            else:
                if url:
                    seen_urls.add(url)
                news.append(
                    (
                        published,
                        position,
                        NewsItem(
                            title=title, url=url, published=published.isoformat() if published else None
                        ),
                    )
                )
                news_texts.append(f"{title}\n{text}")
        # Newest first; undated items last, in Exa's order.
        news.sort(key=lambda n: (n[0] is None, -(n[0].toordinal() if n[0] else 0), n[1]))

        page_texts: list[str] = []
        page_urls: list[str] = []
        for item in _items(page_answer):
            title = clean_line(item.get("title"))
            text = remove_instructions(clean_text(item.get("text")))[0]
            url = _web_url(item.get("url"))
            host = _squash(urlsplit(url).hostname or "") if url else ""
            on_topic = (
                mentions.search(title) or mentions.search(text) or (len(squashed) >= 4 and squashed in host)
            )
            if not on_topic or not text:
                dropped["pages_off_topic" if not on_topic else "pages_empty"] += 1
                continue
            page_texts.append(text)
            if url:
                page_urls.append(url)

        sentences = [s for text in page_texts for s in _sentences(text)]
        mission = offline.mission or next((s for s in sentences if _MISSION.search(s)), None)
        culture = (
            offline.culture
            or list(dict.fromkeys(s for s in sentences if _CULTURE.search(s) and s != mission))[:4]
        )
        joined = "\n".join(page_texts + news_texts)
        red_flags = list(offline.red_flags)
        for pattern, label in _RED_FLAGS.items():
            if label not in red_flags and re.search(pattern, joined, re.I):
                red_flags.append(label)
        news_items = [n[2] for n in news][:NEWS_RESULTS]
        note = None
        if not news_items:
            note = f"No news about {' '.join(company.split())} in the last {self.news_days} days (Exa)."
            off_topic = dropped["news_off_topic"]
            if off_topic:
                note += f" {off_topic} result{'s' if off_topic != 1 else ''} about something else left out."
        sources = list(dict.fromkeys([*offline.sources, *page_urls, *(n.url for n in news_items if n.url)]))
        dossier = offline.model_copy(
            update={
                "mission": mission,
                "culture": culture,
                "news": news_items,
                "news_note": note,
                "red_flags": red_flags,
                "sources": sources,
                "method": "exa",
            }
        )
        return ResearchResult(
            dossier=Dossier.model_validate(dossier.model_dump()),
            calls=calls,
            dropped={k: v for k, v in dropped.items() if v},
        )


def _items(answer: dict[str, Any]) -> list[dict[str, Any]]:
    results = answer.get("results") if isinstance(answer, dict) else None
    return [r for r in results or [] if isinstance(r, dict)]


__all__ = ["ExaResearch", "ResearchResult", "normalise_company"]
