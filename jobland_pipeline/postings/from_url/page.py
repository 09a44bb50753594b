"""A downloaded page -> one :class:`Posting`, or a refusal that says what the page is instead.

The page's JSON-LD ``JobPosting`` wins (:mod:`.jsonld`); a page without one has its main text found
by readability-lxml (Mozilla Readability's scoring, a maintained library), after the parts that are
never the posting are dropped: application forms (the EEO questionnaire is often the longest text on
an ATS page), navigation, headers, footers, scripts. Its title is ``og:title`` or the page title, its
company ``og:site_name`` or what the page title says besides the job title ("… at Affirm").
readability-lxml rather than trafilatura: it adds four small packages (trafilatura eight, among them
dateparser and babel), and on the real saved ATS pages it found the description once the forms were
dropped (``bench/posting_pages.py``).

Refused, each with one line that says why: a page with several JobPostings or many links to job
pages and little text of its own (a list of jobs), a page asking for a password (a login wall), a
page whose title or heading says it is an error or a closed job, and a page with too little text to
be a job description.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
from lxml.html import HtmlElement
from readability import Document

from jobland_pipeline.postings.engines.common import (
    MAX_COMPANY,
    MAX_TITLE,
    clean_line,
    clean_text,
    employment_type_in_text,
    posting_id,
    remote_flag,
    salary_fields,
    salary_from_text,
)
from jobland_pipeline.postings.from_url.jsonld import job_postings, posting_fields
from jobland_pipeline.postings.models import Posting

__all__ = ["MIN_TEXT_CHARS", "SOURCE", "PostingPageError", "posting_from_page"]

SOURCE = "url"
MIN_TEXT_CHARS = 400
"""Shorter than any real job description seen (the shortest sample JD is about 1 KB); an ATS
application page without its description (a Lever ``/apply`` page) has about 380 characters left."""
LIST_LINKS = 8
"""Distinct links to job pages from which a page without a JobPosting may be a list of jobs."""
LIST_TEXT_PER_LINK = 300

_JOB_LINK = re.compile(r"/(jobs?|careers?|positions?|openings?|postings?|vacanc(?:y|ies))/[^/?#]+", re.I)
_LOGIN = re.compile(
    r"\b(sign[\s-]?in|log[\s-]?in|login|sign[\s-]?up|authwall|authenticate)\b|登录|登入", re.I
)
_ERROR = re.compile(
    r"\b(404|403|410|500|502|503|page not found|not found|something went wrong|an error (has )?occurred"
    r"|error page|access denied|forbidden|no longer (available|accepting|open|active)|has been filled"
    r"|(job|position|posting|vacancy|role) (is |has )?(been )?(closed|expired|removed|filled)"
    r"|(does not|doesn't) exist)\b|页面不存在|找不到(该)?页面|(职位|岗位)已(关闭|下线|过期|失效)",
    re.I,
)
_NOT_CONTENT = "//form|//script|//style|//noscript|//template|//nav|//header|//footer|//iframe|//svg"
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.I)
_SEPARATORS = " \t-–—|:·•@,"
_HAN = re.compile(r"[\u4e00-\u9fff]")


class PostingPageError(ValueError):
    """A URL that gave no posting. ``code`` is stable: the download's (``blocked_address``,
    ``http_status``, ``timeout``, ``too_large``, ``bad_content_type``...) or the page's
    (``not_html``, ``job_list``, ``login_wall``, ``error_page``, ``too_little_text``, ``no_title``); ``reason``
    (also ``str(error)``) is one line."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def posting_from_page(data: bytes, url: str, *, charset: str | None = None) -> Posting:
    """The posting on the page downloaded from ``url`` (its final address), or ``PostingPageError``."""
    root = _parse(data, charset, url)
    meta = _meta(root)
    notes: list[str] = []
    nodes = _distinct(job_postings(root, notes))
    if len(nodes) > 1:
        raise PostingPageError("job_list", f"{_shown(url)} lists {len(nodes)} jobs, not one posting")
    fields = posting_fields(nodes[0]) if nodes else {}
    if len(fields.get("description", "")) < MIN_TEXT_CHARS:
        if not nodes:
            _refuse_non_posting(root, meta, url)
        text = main_text(root)
        if not nodes:
            _refuse_job_list(root, text, url)
        fields["description"] = max(text, fields.get("description", ""), key=len)
    if not fields.get("title"):
        fields["title"] = _page_title(meta)
    if not fields.get("company"):
        fields["company"] = meta["og:site_name"] or _company_in_title(meta["title"], fields["title"], url)
    _check_text(fields["description"], url, notes)
    if not clean_line(fields["title"]):
        raise PostingPageError("no_title", f"{_shown(url)} names no job title")
    return _posting(fields, url)


# --------------------------------------------------------------------------- parsing


def _parse(data: bytes, charset: str | None, url: str) -> HtmlElement:
    """The page's tree, decoded with the declared charset, else its ``<meta charset>``, else UTF-8
    when the bytes are UTF-8, else Windows-1252."""
    encoding = _known(charset) or _known(_sniffed(data)) or _utf8_or_1252(data)
    try:
        root = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding=encoding))
    except (lxml.etree.ParserError, ValueError):
        raise PostingPageError("not_html", f"{_shown(url)} is not an HTML page") from None
    if root is None:
        raise PostingPageError("not_html", f"{_shown(url)} is not an HTML page")
    return root


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _sniffed(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def _utf8_or_1252(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _meta(root: HtmlElement) -> dict[str, str]:
    """``og:title``, ``og:site_name``, the ``<title>`` and the first ``<h1>``, as clean lines."""
    out = {"og:title": "", "og:site_name": "", "title": "", "h1": ""}
    for tag in root.iter("meta"):
        key = (tag.get("property") or tag.get("name") or "").strip().lower()
        if key in ("og:title", "og:site_name") and not out[key]:
            out[key] = clean_line(tag.get("content"))[:MAX_TITLE]
    title = root.find(".//title")
    out["title"] = clean_line(title.text_content() if title is not None else "")[:MAX_TITLE]
    h1 = root.find(".//h1")
    out["h1"] = clean_line(h1.text_content() if h1 is not None else "")[:MAX_TITLE]
    return out


def _distinct(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's JobPostings, one per (title, identifier): a page may repeat its posting in two blocks."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for node in nodes:
        key = (str(node.get("title", "")).strip().lower(), str(node.get("identifier", "")))
        seen.setdefault(key, node)
    return list(seen.values())


def main_text(root: HtmlElement) -> str:
    """The page's main text (readability-lxml), forms, navigation, headers and footers dropped first."""
    body = lxml.html.fromstring(lxml.html.tostring(root))  # a copy: the caller's tree stays whole
    for element in body.xpath(_NOT_CONTENT):
        element.drop_tree()
    try:
        summary = Document(lxml.html.tostring(body, encoding="unicode")).summary(html_partial=True)
    except Exception:  # readability raises its own Unparseable and lxml errors on degenerate pages
        return ""
    return clean_text(summary)


# --------------------------------------------------------------------------- refusals


def _refuse_non_posting(root: HtmlElement, meta: dict[str, str], url: str) -> None:
    """A login wall or an error page says so in its form or its title (only asked of pages without
    a JobPosting: a posting's own JSON-LD outweighs a title that mentions "sign in")."""
    heading = " | ".join(v for v in (meta["title"], meta["h1"], meta["og:title"]) if v)
    if root.xpath("//input[@type='password' or @type='PASSWORD']") or _LOGIN.search(meta["title"]):
        raise PostingPageError(
            "login_wall", f"{_shown(url)} is a sign-in page ({heading[:80] or 'a password form'})"
        )
    found = _ERROR.search(heading)
    if found:
        raise PostingPageError("error_page", f"{_shown(url)} is an error page ({heading[:80]})")


def _refuse_job_list(root: HtmlElement, text: str, url: str) -> None:
    own = urlsplit(url).path.rstrip("/")
    links = {
        href.split("#", 1)[0].rstrip("/")
        for a in root.iter("a")
        if (href := (a.get("href") or "").strip())
        and _JOB_LINK.search(urlsplit(href).path)
        and urlsplit(href).path.rstrip("/") != own
    }
    if len(links) >= LIST_LINKS and len(text) < LIST_TEXT_PER_LINK * len(links):
        raise PostingPageError(
            "job_list", f"{_shown(url)} is a list of jobs ({len(links)} job links), not one posting"
        )


def _check_text(text: str, url: str, notes: list[str]) -> None:
    """At least ``MIN_TEXT_CHARS``, a Chinese character counting as two (Chinese says as much in about
    half the characters); the reason names a JSON-LD block that could not be read, if any."""
    weight = len(text) + len(_HAN.findall(text))
    if weight < MIN_TEXT_CHARS:
        unread = f"; {notes[0]}" if notes else ""
        raise PostingPageError(
            "too_little_text",
            f"{_shown(url)} has too little text for a job description ({len(text)} characters; "
            f"at least {MIN_TEXT_CHARS}){unread}",
        )


# --------------------------------------------------------------------------- the posting


def _page_title(meta: dict[str, str]) -> str:
    """``og:title``; else the ``<h1>`` when the page title contains it ("Staff Engineer" in "Staff
    Engineer at Deepco"); else the page title; else the ``<h1>``."""
    if meta["og:title"]:
        return meta["og:title"]
    if meta["h1"] and meta["h1"] in meta["title"]:
        return meta["h1"]
    return meta["title"] or meta["h1"]


def _company_in_title(page_title: str, job_title: str, url: str) -> str:
    """What the page title says besides the job title ("Job Application for X at Affirm" -> Affirm,
    "X @ Superhuman", "Zoox - X"), else the site's host name."""
    if job_title and job_title in page_title:
        before, after = page_title.split(job_title, 1)
        after = re.sub(r"^(at|bei|chez)\s+", "", after.strip(_SEPARATORS), flags=re.I).strip(_SEPARATORS)
        after = after.split(" | ", 1)[0].strip(_SEPARATORS)
        before = re.sub(r"(?i)^job application for\s*", "", before).strip(_SEPARATORS)
        for candidate in (after, before):
            if 0 < len(candidate) <= 80:
                return candidate
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return host or "unknown"


def _posting(fields: dict[str, Any], url: str) -> Posting:
    """The Posting: source ``url``, id from its final address, salary and employment type read from
    the text when the structured data had none."""
    description = fields["description"]
    if "salary_min" not in fields and (snippet := salary_from_text(description)):
        fields.update({k: v for k, v in salary_fields(snippet).items() if v is not None})
    fields.setdefault("employment_type", employment_type_in_text(description))
    if "remote" not in fields:
        fields["remote"] = remote_flag(fields.get("location"), fields["title"])
    digest = hashlib.sha1(url.encode()).hexdigest()[:16]
    return Posting(
        id=posting_id(SOURCE, digest),
        title=clean_line(fields.pop("title"))[:MAX_TITLE],
        company=clean_line(fields.pop("company"))[:MAX_COMPANY] or "unknown",
        source=SOURCE,
        apply_url=url,
        **{"url": url, **fields, "source_id": fields.get("source_id") or digest},
    )


def _shown(url: str) -> str:
    """The URL for messages: no query string (it may hold a token), bounded length."""
    parts = urlsplit(url)
    path = parts.path if len(parts.path) <= 80 else parts.path[:77] + "..."
    return f"{parts.scheme}://{parts.netloc}{path}"
