"""Why this job: the trail behind one recommendation, read back from the warehouse.

Why: a person told "apply to this" should be able to ask why, and an operator should be able to tell
which data and which versions produced it. Everything is already recorded: where the posting was found
and when first seen, the CV file's hash and the profile built from it, the engine, model and prompt
versions of the screening, the parts of its score, the deal-breaker checks and the interview chance,
and the package with its grounding verdict. :func:`build_trail` gathers them for ``USER:POSTING_ID``;
:func:`render_trail` prints them as a person would want to read them (``jobland why``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jobland_pipeline.delivery.records import APPLICATION_TRACKER, ApplicationTrackerRow
from jobland_pipeline.documents.records import CV_DOCUMENTS, CvDocumentRow
from jobland_pipeline.generation.records import APPLICATION_PACKAGES, ApplicationPackageRow
from jobland_pipeline.llm.records import LLM_CALLS, LlmCallRow
from jobland_pipeline.postings.records import (
    JOB_POSTINGS,
    POSTING_SOURCES,
    JobPostingRow,
    PostingSourceRow,
)
from jobland_pipeline.profiles.records import PROFILES, SUGGESTED_TITLES, ProfileRow
from jobland_pipeline.screening.records import SCREENINGS, ScreeningRow

if TYPE_CHECKING:
    from jobland_pipeline.warehouse.store import Warehouse

__all__ = ["DEAL_BREAKER_CHECKS", "Trail", "TrailError", "build_trail", "render_trail"]

DEAL_BREAKER_CHECKS = (
    "place, distance and relocation",
    "remote / hybrid / on-site",
    "shift pattern (nights, rotas)",
    "work rights and sponsorship",
    "licences, registrations and credentials",
    "required languages",
    "contract type",
    "your settings (excluded companies and keywords, salary floor)",
)
"""The rule families ``screening.dealbreakers.check`` runs on every posting, in its order."""

COMPONENT_NAMES = {
    "title": "title fit",
    "lexical": "shared words",
    "requirements": "requirements covered",
    "seniority": "seniority",
    "location": "location",
}


class TrailError(LookupError):
    """No screening of that posting for that user in the warehouse."""


@dataclass
class Trail:
    user_id: str
    posting_id: str
    screenings: list[ScreeningRow]
    postings: list[JobPostingRow]
    sources: list[PostingSourceRow] = field(default_factory=list)
    cv_documents: list[CvDocumentRow] = field(default_factory=list)
    profile: ProfileRow | None = None
    llm_calls: list[LlmCallRow] = field(default_factory=list)
    package: ApplicationPackageRow | None = None
    tracker: ApplicationTrackerRow | None = None


def parse_application_id(value: str) -> tuple[str, str]:
    """``USER:POSTING_ID`` -> (user, posting); the posting id may itself hold colons."""
    user, sep, posting = value.partition(":")
    if not sep or not user or not posting:
        raise ValueError(f"{value!r}: expected USER:POSTING_ID (as `jobland review list` shows it)")
    return user, posting


def build_trail(store: Warehouse, user_id: str, posting_id: str) -> Trail:
    """Everything the warehouse knows about this recommendation (only this user's partitions are read)."""
    searches = [str(t.search_key) for t in store.read_records(SUGGESTED_TITLES, [user_id]) if t.search_key]
    screenings = [s for s in store.read_records(SCREENINGS, searches) if s.posting_id == posting_id]
    if not screenings:
        raise TrailError(f"no screening of posting {posting_id!r} for user {user_id!r} in the warehouse")
    keys = sorted({str(s.search_key) for s in screenings})
    profiles = store.read_records(PROFILES, [user_id])
    app_id = f"{user_id}:{posting_id}"
    packages = [p for p in store.read_records(APPLICATION_PACKAGES, keys) if p.application_id == app_id]
    trackers = [t for t in store.read_records(APPLICATION_TRACKER, [user_id]) if t.application_id == app_id]
    return Trail(
        user_id=user_id,
        posting_id=posting_id,
        screenings=screenings,
        postings=[p for p in store.read_records(JOB_POSTINGS, keys) if p.posting_id == posting_id],
        sources=[s for s in store.read_records(POSTING_SOURCES, keys) if s.posting_id == posting_id],
        cv_documents=store.read_records(CV_DOCUMENTS, [user_id]),
        profile=max(profiles, key=lambda p: str(p.built_at or "")) if profiles else None,
        llm_calls=[c for c in store.read_records(LLM_CALLS) if c.partition in keys and c.task == "screening"],
        package=max(packages, key=lambda p: str(p.created_at or "")) if packages else None,
        tracker=trackers[0] if trackers else None,
    )


def render_trail(trail: Trail) -> str:
    """The trail in plain words: the posting, the CV, the versions, the score's parts, the checks."""
    s = max(trail.screenings, key=lambda r: str(r.screened_at or ""))
    posting = trail.postings[0] if trail.postings else None
    lines = [
        f"Why {trail.posting_id} for {trail.user_id}: {s.title} at {s.company}",
        f"  {s.probability} match, score {s.score}/100"
        + (
            f", interview chance {s.interview_chance:.0%} ({s.chance_basis}, {s.calibration_version})"
            if s.interview_chance is not None
            else ""
        ),
        "",
        "The posting",
    ]
    if posting:
        lines.append(
            f"  first seen {posting.first_seen}, last seen {posting.last_seen}, posted {posting.posted_at or 'date not given'}"
        )
        lines.append(
            f"  found by {', '.join(posting.sources) or posting.source} in the search {posting.search_key}"
        )
        lines.append(f"  {posting.url or posting.apply_url or 'no URL'}")
    for src in sorted(trail.sources, key=lambda r: str(r.seen_at or "")):
        lines.append(
            f"  source {src.source} (id {src.source_id or '-'}) seen {src.seen_at:%Y-%m-%d %H:%M} as {src.merged_as}"
            if src.seen_at
            else f"  source {src.source} as {src.merged_as}"
        )
    lines += ["", "Your CV"]
    for doc in trail.cv_documents:
        lines.append(
            f"  {doc.file_name}: sha256 {str(doc.sha256)[:16]}…, {doc.format}, read {doc.extracted_at:%Y-%m-%d %H:%M}"
            if doc.extracted_at
            else f"  {doc.file_name}: sha256 {str(doc.sha256)[:16]}…"
        )
    if trail.profile:
        p = trail.profile
        lines.append(
            f"  profile version {str(p.inputs_sha256)[:16]} (extractor {p.extractor_version}, from CV {str(p.cv_sha256)[:16]}…, built {p.built_at:%Y-%m-%d %H:%M})"
            if p.built_at
            else f"  profile version {str(p.inputs_sha256)[:16]} (extractor {p.extractor_version})"
        )
    lines += ["", "How it was screened"]
    lines.append(
        f"  engine {s.method}, stage {s.stage} ({'the LLM judge decided' if s.stage == 2 else 'the deterministic screen decided'}), screened {s.screened_at:%Y-%m-%d %H:%M}"
        if s.screened_at
        else f"  engine {s.method}"
    )
    models = sorted({f"{c.model} (prompt {c.prompt_version})" for c in trail.llm_calls if c.model})
    lines.append(f"  model: {', '.join(models)}" if models else "  model: none (no LLM call for this search)")
    if s.prompt_version:
        lines.append(f"  prompt version {s.prompt_version}")
    lines += ["", "The score's parts"]
    for key, value in s.components.items():
        name = COMPONENT_NAMES.get(key, key.replace("_", " "))
        lines.append(f"  {name:<22} {value:.2f}" if key in COMPONENT_NAMES else f"  {name:<22} {value:g}")
    lines += [f"  reason: {r}" for r in s.reasons]
    if s.matched_skills:
        lines.append(f"  you have: {', '.join(s.matched_skills)}")
    if s.missing_skills:
        lines.append(f"  missing: {', '.join(s.missing_skills)}")
    lines += ["", "Deal-breaker checks"]
    if s.deal_breakers:
        lines += [f"  FAILED: {d}" for d in s.deal_breakers]
    else:
        lines.append("  none failed; checked: " + "; ".join(DEAL_BREAKER_CHECKS))
    lines += ["", "Package"]
    if trail.package:
        pk = trail.package
        lines.append(f"  {pk.package_dir} ({', '.join(pk.files)})")
        lines.append(
            f"  grounded: {'yes, every claim traces to your CV' if pk.grounded else 'NO: ' + '; '.join(pk.issues)}; review: {pk.review_status}"
        )
    else:
        lines.append("  none (packages are written for High matches only)")
    if trail.tracker:
        lines.append(
            f"  status: {trail.tracker.status} (since {trail.tracker.updated_at:%Y-%m-%d})"
            if trail.tracker.updated_at
            else f"  status: {trail.tracker.status}"
        )
    return "\n".join(_unique_runs(lines))


def _unique_runs(lines: list[str]) -> list[str]:
    """The same source seen through two searches prints once (blank lines between sections stay)."""
    out: list[str] = []
    for line in lines:
        if line and line in out:
            continue
        out.append(line)
    return out
