"""A job posting from its URL: downloaded through the CV download's guards, read from the page's
schema.org JSON-LD or its main text, or refused with one line that says why.

- :func:`posting_from_url`: URL -> :class:`~jobland_pipeline.postings.models.Posting` (source ``url``).
- :func:`posting_from_page`: the same from bytes already downloaded (tests, saved pages).
- :class:`PostingPageError`: the refusal, with a stable ``code`` and a one-line ``reason``.
"""

from __future__ import annotations

from jobland_pipeline.documents.fetch import FetchError
from jobland_pipeline.postings.from_url.download import MAX_PAGE_BYTES, fetch_page
from jobland_pipeline.postings.from_url.page import SOURCE, PostingPageError, posting_from_page
from jobland_pipeline.postings.models import Posting

__all__ = ["MAX_PAGE_BYTES", "SOURCE", "PostingPageError", "posting_from_page", "posting_from_url"]


def posting_from_url(
    url: str,
    *,
    allowed_private: frozenset[str] = frozenset(),
    timeout: float = 10.0,
    max_bytes: int = MAX_PAGE_BYTES,
) -> Posting:
    """The posting at ``url``. Raises ``PostingPageError`` when the URL is unsafe (internal address,
    bad scheme...), the download fails (HTTP 4xx/5xx, time or size cap) or the page is no posting.
    ``allowed_private``: ``host:port`` strings let through despite an internal address (tests,
    intranets), exactly as for CV links."""
    try:
        page = fetch_page(url, allowed_private=allowed_private, timeout=timeout, max_bytes=max_bytes)
    except FetchError as exc:
        raise PostingPageError(exc.code, exc.reason) from None
    return posting_from_page(page.data, page.url, charset=page.charset)
