"""Clean text, location facts, fingerprints and de-duplication of postings."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jobland_pipeline.postings.models import Posting
from jobland_pipeline.textutil import clean_description, tokens

__all__ = ["canonical_url", "clean_description", "dedupe", "fingerprint"]

TRACKING_PARAMS = re.compile(r"^(utm_\w+|gclid|fbclid|refid|trackingid|trk|ebp|src|source|ref|lipi)$", re.I)


def canonical_url(url: str | None) -> str | None:
    """Strip tracking parameters and fragments so the same job has one URL."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMS.match(k)]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), urlencode(query), "")
    )


def _norm_title(title: str) -> str:
    title = re.sub(r"\(.*?\)|with verification|\b(remote|hybrid|urgent|hiring|new)\b", " ", title.lower())
    return " ".join(sorted(set(tokens(title))))


def fingerprint(posting: Posting) -> str:
    """Same company + normalised title + location = the same job, whatever engine found it."""
    company = re.sub(r"\b(inc|llc|ltd|plc|corp|co|gmbh)\b\.?|[^\w]", "", posting.company.lower())
    location = re.sub(r"[^\w]", "", posting.location.lower())
    key = f"{company}|{_norm_title(posting.title)}|{location}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def dedupe(postings: list[Posting]) -> tuple[list[Posting], dict[str, str]]:
    """Keep the first of each fingerprint / canonical URL; return kept postings and {dropped id: kept id}."""
    kept: list[Posting] = []
    by_key: dict[str, str] = {}
    merged: dict[str, str] = {}
    for posting in postings:
        keys = [f"fp:{fingerprint(posting)}"]
        url = canonical_url(posting.url)
        if url:
            keys.append(f"url:{url}")
        existing = next((by_key[k] for k in keys if k in by_key), None)
        if existing is not None:
            merged[posting.id] = existing
            continue
        for k in keys:
            by_key[k] = posting.id
        kept.append(posting)
    return kept, merged
