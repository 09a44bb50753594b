"""The ``url`` source: postings a user found themselves, listed as ``posting_urls`` in their settings.

Not a search engine in the query sense: a search query carries no user, and the shared answers of
:class:`~jobland_pipeline.postings.discovery.SharedSearches` are shared across users, so these
postings cannot go through it. Instead each user's URL postings join the answer of that user's
*first* search (its key first in sort order among the user's current titles, so every run picks the
same one) under the source ``url``; from there they go through the search stage like any engine's
postings (normalised, de-duplicated against the engines' copies of the same job, registered) and on
to screening and packages.

Each URL is downloaded once per run (:func:`~jobland_pipeline.postings.from_url.posting_from_url`:
the CV download's guards). A URL that gives no posting is a recorded error (a ``CallRecord`` with the
reason in the ``api_calls`` ledger, and the engine's error in the search outcome), never a failed
search or run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings.discovery import SearchOutcome
from jobland_pipeline.postings.engines.base import CallRecord, EngineResult
from jobland_pipeline.postings.from_url import SOURCE, PostingPageError, posting_from_url
from jobland_pipeline.postings.models import Posting

__all__ = ["PostingUrlEngine", "first_searches"]

PARALLEL_DOWNLOADS = 4
PAGE_TIMEOUT = 10.0  # seconds per network operation; the whole page gets three times that


def first_searches(keys: Iterable[str]) -> dict[str, str]:
    """``{user: the search key that carries the user's URL postings}``: the first in sort order."""
    first: dict[str, str] = {}
    for key in sorted(keys):
        first.setdefault(split_search_key(key)[0], key)
    return first


class PostingUrlEngine:
    """Postings from URLs: each downloaded once per engine (one run), the answers kept by URL."""

    name = SOURCE

    def __init__(
        self,
        *,
        allowed_private: Iterable[str] = (),
        timeout: float = PAGE_TIMEOUT,
        fetch: Callable[[str], Posting] | None = None,
    ) -> None:
        allowed = frozenset(allowed_private)
        self._fetch = fetch or (lambda url: posting_from_url(url, allowed_private=allowed, timeout=timeout))
        self._answers: dict[str, tuple[Posting | PostingPageError, CallRecord]] = {}

    @classmethod
    def allowing(cls, allow: str) -> PostingUrlEngine:
        """The engine for a comma-separated ``host:port`` allow list (the ``posting_url_allow`` setting)."""
        return cls(allowed_private=[h.strip() for h in allow.split(",") if h.strip()])

    def fetch(self, urls: Sequence[str]) -> EngineResult:
        """The postings at ``urls`` (in order; refusals left out, counted in ``dropped`` by code and
        recorded as error calls). A URL asked before in this run is answered from memory."""
        todo = [u for u in dict.fromkeys(urls) if u not in self._answers]
        if todo:
            with ThreadPoolExecutor(max_workers=min(PARALLEL_DOWNLOADS, len(todo))) as pool:
                for url, answer in zip(todo, pool.map(self._one, todo), strict=True):
                    self._answers[url] = answer
        result = EngineResult(raw_count=len(urls))
        for url in dict.fromkeys(urls):
            posting, call = self._answers[url]
            result.calls.append(call)
            if isinstance(posting, Posting):
                result.postings.append(posting)
            else:
                reason = f"refused_{posting.code}"
                result.dropped[reason] = result.dropped.get(reason, 0) + 1
        return result

    def add_to(self, outcome: SearchOutcome, urls: Sequence[str]) -> list[str]:
        """Add the postings at ``urls`` to a search's outcome (source ``url``); the refusals, one
        line each, are returned and kept as the engine's error in the outcome."""
        if not urls:
            return []
        result = self.fetch(urls)
        outcome.postings = [*outcome.postings, *result.postings]
        outcome.calls.extend(result.calls)
        outcome.per_engine[self.name] = outcome.per_engine.get(self.name, 0) + len(result.postings)
        outcome.missing_description[self.name] = 0
        for reason, n in result.dropped.items():
            outcome.dropped[reason] = outcome.dropped.get(reason, 0) + n
        if result.postings and outcome.step is None:
            outcome.step = "posting_urls"  # the engines found nothing: only the user's own postings
        refusals = [c.error for c in result.calls if c.error]
        if refusals:
            outcome.errors[self.name] = f"{len(refusals)} of {len(result.calls)} posting URL(s) refused: " + (
                "; ".join(refusals)
            )
        return refusals

    def _one(self, url: str) -> tuple[Posting | PostingPageError, CallRecord]:
        started = time.monotonic()
        answer: Posting | PostingPageError
        try:
            answer = self._fetch(url)
        except PostingPageError as exc:
            answer = exc
        call = CallRecord(
            engine=self.name,
            request=f"GET {_shown(url)}",
            status="ok" if isinstance(answer, Posting) else "error",
            latency_ms=round((time.monotonic() - started) * 1000, 3),
            error=None if isinstance(answer, Posting) else answer.reason,
        )
        return answer, call


def _shown(url: str) -> str:
    """The URL for the ledger: no query string or fragment (they may hold a token), bounded length."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparseable URL)"
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"[:300]
