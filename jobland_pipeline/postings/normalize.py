"""Clean text, location facts, fingerprints and de-duplication of postings."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jobland_pipeline.postings.models import Posting
from jobland_pipeline.textutil import tokens

_BLOCK_TAGS = re.compile(r"<\s*/?\s*(p|div|br|li|ul|ol|h[1-6]|tr|section|article)\b[^>]*>", re.I)
_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
TRACKING_PARAMS = re.compile(r"^(utm_\w+|gclid|fbclid|refid|trackingid|trk|ebp|src|source|ref|lipi)$", re.I)


def clean_description(text: str) -> str:
    """Plain text from text or HTML: scripts/styles/comments dropped, entities decoded, tidy paragraphs."""
    if re.search(r"&lt;\s*/?\s*[a-z]", text, re.I):
        text = html.unescape(text)  # entity-escaped HTML (Greenhouse double-encodes its content)
    if "<" in text and ">" in text:
        text = _DROP.sub(" ", text)
        text = re.sub(r"<\s*li\b[^>]*>", "\n- ", text, flags=re.I)
        text = _BLOCK_TAGS.sub("\n", text)
        text = _TAG.sub("", text)
    text = html.unescape(text) if "&" in text else text
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


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
