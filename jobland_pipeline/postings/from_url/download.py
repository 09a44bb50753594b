"""Download a posting page through the CV download's guards (:mod:`jobland_pipeline.documents.fetch`).

Every hop goes through the same checks as a CV link, made by the same functions: an http(s) URL
without credentials, a host resolved once and refused when any of its addresses is internal (unless
``host:port`` is in ``allowed_private``), the connection pinned to the checked address, each redirect
checked again before it is followed, a size cap (``Content-Length`` first, then counted while
reading, decompressed bytes included) and a deadline for the whole download. Only what a page needs
differs: it asks for HTML, accepts an HTML (or XHTML) answer, and says "posting URL" in its messages.
"""

from __future__ import annotations

import re
import ssl
import time
from dataclasses import dataclass

from jobland_pipeline.documents import fetch as _guard
from jobland_pipeline.documents.fetch import FetchError
from jobland_pipeline.net import (
    ACCEPT_ENCODING,
    REDIRECT_STATUSES,
    HttpClient,
    NetError,
    Response,
    RetryPolicy,
    StatusError,
)

__all__ = ["MAX_PAGE_BYTES", "FetchedPage", "fetch_page"]

MAX_PAGE_BYTES = 5 * 1024 * 1024
"""A posting page: the largest real one seen (a Lever page with its inline styles) is 736 KB."""
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.I)


@dataclass(frozen=True)
class FetchedPage:
    url: str  # final URL after redirects (its query string kept: the page's own address)
    charset: str | None  # the charset the server declared, if any
    data: bytes


def fetch_page(
    url: str,
    *,
    timeout: float = 10.0,
    max_bytes: int = MAX_PAGE_BYTES,
    max_redirects: int = 5,
    allowed_private: frozenset[str] = frozenset(),
    user_agent: str = "JobLand/0.1 (+posting-fetch)",
    retry: RetryPolicy = _guard.DEFAULT_RETRY,
) -> FetchedPage:
    """The HTML page at ``url``; raise ``FetchError`` (stable ``code``, one-line ``reason``) otherwise."""
    secrets: list[str] = []
    try:
        return _fetch(
            url,
            secrets=secrets,
            timeout=timeout,
            max_bytes=max_bytes,
            max_redirects=max_redirects,
            allowed_private=allowed_private,
            user_agent=user_agent,
            retry=retry,
        )
    except FetchError as error:
        raise FetchError(error.code, _for_postings(_guard._scrub(error.reason, secrets))) from None


def _for_postings(reason: str) -> str:
    """The guard's messages speak of a CV; here the URL is a posting's."""
    return reason.replace("the CV URL", "the posting URL").replace("downloads CVs", "downloads pages")


def _fetch(
    url: str,
    *,
    secrets: list[str],
    timeout: float,
    max_bytes: int,
    max_redirects: int,
    allowed_private: frozenset[str],
    user_agent: str,
    retry: RetryPolicy,
) -> FetchedPage:
    deadline = time.monotonic() + _guard._DEADLINE_FACTOR * timeout
    with HttpClient(
        timeout=timeout,
        max_body_bytes=max_bytes,
        user_agent=user_agent,
        verify=ssl.create_default_context(),
        trust_env=False,
    ) as client:
        redirects = 0
        while True:
            target = _guard._parse_url(url, secrets)
            addresses = _guard._resolve(target, allowed_private)
            with _get(client, target, addresses, timeout=timeout, deadline=deadline, retry=retry) as response:
                if response.status in REDIRECT_STATUSES:
                    url = _guard._redirect(response, target, redirects, max_redirects)
                    redirects += 1
                    continue
                if response.status != 200:
                    raise FetchError(
                        "http_status",
                        f"the server answered HTTP {response.status} for {target.display}: no posting there",
                    )
                return _read_page(response, target, max_bytes=max_bytes, timeout=timeout)


def _get(
    client: HttpClient,
    target: _guard._Target,
    addresses: list[_guard._Address],
    *,
    timeout: float,
    deadline: float,
    retry: RetryPolicy,
) -> Response:
    try:
        return retry.call(
            lambda: _guard._get_once(
                client, target, addresses, deadline, accept=_ACCEPT, encoding=ACCEPT_ENCODING
            ),
            retry_if=_guard._may_pass,
            deadline=deadline,
        )
    except StatusError as error:
        raise FetchError(
            "http_status", f"the server answered HTTP {error.status} for {target.display}: no posting there"
        ) from None
    except NetError as error:
        raise _guard._network_error(error, target, timeout=timeout) from None


def _read_page(response: Response, target: _guard._Target, *, max_bytes: int, timeout: float) -> FetchedPage:
    raw_type = response.headers.get("Content-Type") or ""
    content_type = raw_type.split(";", 1)[0].strip().lower()
    if content_type and content_type not in PAGE_TYPES:
        shown = content_type if re.fullmatch(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+", content_type) else "?"
        raise FetchError("bad_content_type", f"{target.display} is {shown[:80]}, not a web page (HTML)")
    declared = _guard._content_length(response)
    if declared is not None and declared > max_bytes:
        raise FetchError(
            "too_large",
            f"{target.display} is {declared} bytes (Content-Length); the limit is {max_bytes} bytes",
        )
    try:
        body = response.read()
    except NetError as error:
        raise _guard._network_error(error, target, timeout=timeout) from None
    if not body.strip():
        raise FetchError("empty", f"{target.display} is empty")
    charset = _CHARSET.search(raw_type)
    return FetchedPage(url=target.url, charset=charset.group(1).lower() if charset else None, data=body)
