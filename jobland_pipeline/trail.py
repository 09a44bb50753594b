"""Why this job: the trail behind one recommendation, read back from the warehouse.

Why: a person told "apply to this" should be able to ask why, and an operator should be able to tell
which data and which versions produced it. Everything is already recorded: where the posting was found
and when first seen, the CV file's hash and the profile built from it, the engine, model and prompt
versions of the screening, the parts of its score, the deal-breaker checks and the interview chance,
and the package with its grounding verdict. :func:`build_trail` gathers them for ``USER:POSTING_ID``;
:func:`render_trail` prints them as a person would want to read them (``jobland why``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

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

_Row = TypeVar("_Row")

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
    screenings = _screenings_of(store, user_id, posting_id)
    if not screenings:
        raise TrailError(f"no screening of posting {posting_id!r} for user {user_id!r} in the warehouse")
    keys = sorted({str(s.search_key) for s in screenings})
    app_id = f"{user_id}:{posting_id}"
    return Trail(
        user_id=user_id,
        posting_id=posting_id,
        screenings=screenings,
        postings=[p for p in store.read_records(JOB_POSTINGS, keys) if p.posting_id == posting_id],
        sources=[s for s in store.read_records(POSTING_SOURCES, keys) if s.posting_id == posting_id],
        cv_documents=store.read_records(CV_DOCUMENTS, [user_id]),
        profile=_latest(store.read_records(PROFILES, [user_id]), lambda p: p.built_at),
        llm_calls=[c for c in store.read_records(LLM_CALLS) if c.partition in keys and c.task == "screening"],
        package=_package_of(store, keys, app_id),
        tracker=_tracker_of(store, user_id, app_id),
    )


def _screenings_of(store: Warehouse, user_id: str, posting_id: str) -> list[ScreeningRow]:
    """The posting's screenings in this user's searches: the user's titles name the partitions to read."""
    searches = [str(t.search_key) for t in store.read_records(SUGGESTED_TITLES, [user_id]) if t.search_key]
    return [s for s in store.read_records(SCREENINGS, searches) if s.posting_id == posting_id]


def _latest(rows: Sequence[_Row], stamp: Callable[[_Row], object]) -> _Row | None:
    """The most recent row by its timestamp (a missing one sorts first), or None when there is none."""
    return max(rows, key=lambda r: str(stamp(r) or "")) if rows else None


def _package_of(store: Warehouse, keys: list[str], app_id: str) -> ApplicationPackageRow | None:
    """The newest package written for the application: a re-run of the search may have written another."""
    packages = [p for p in store.read_records(APPLICATION_PACKAGES, keys) if p.application_id == app_id]
    return _latest(packages, lambda p: p.created_at)


def _tracker_of(store: Warehouse, user_id: str, app_id: str) -> ApplicationTrackerRow | None:
    """The application's tracker row (one per application), if it was delivered."""
    return next(
        (t for t in store.read_records(APPLICATION_TRACKER, [user_id]) if t.application_id == app_id), None
    )


def render_trail(trail: Trail) -> str:
    """The trail in plain words: the posting, the CV, the versions, the score's parts, the checks.

    Each section is a small function of the trail and its latest screening, listed in
    :data:`_SECTIONS` in the order a reader asks: what, from which CV, how, why, what failed, what now.
    """
    s = max(trail.screenings, key=lambda r: str(r.screened_at or ""))
    lines = _headline(trail, s)
    for title, section in _SECTIONS:
        lines += ["", title, *section(trail, s)]
    return "\n".join(_unique_runs(lines))


def _headline(trail: Trail, s: ScreeningRow) -> list[str]:
    """Which posting, for whom, and the verdict with its interview chance when one was calibrated."""
    chance = (
        f", interview chance {s.interview_chance:.0%} ({s.chance_basis}, {s.calibration_version})"
        if s.interview_chance is not None
        else ""
    )
    return [
        f"Why {trail.posting_id} for {trail.user_id}: {s.title} at {s.company}",
        f"  {s.probability} match, score {s.score}/100" + chance,
    ]


def _posting_section(trail: Trail, s: ScreeningRow) -> list[str]:
    """When and where the posting was seen, and every source that reported it."""
    lines: list[str] = []
    if trail.postings:
        posting = trail.postings[0]
        lines += [
            f"  first seen {posting.first_seen}, last seen {posting.last_seen}, posted {posting.posted_at or 'date not given'}",
            f"  found by {', '.join(posting.sources) or posting.source} in the search {posting.search_key}",
            f"  {posting.url or posting.apply_url or 'no URL'}",
        ]
    return lines + [_source_line(src) for src in sorted(trail.sources, key=lambda r: str(r.seen_at or ""))]


def _source_line(src: PostingSourceRow) -> str:
    if src.seen_at:
        return f"  source {src.source} (id {src.source_id or '-'}) seen {src.seen_at:%Y-%m-%d %H:%M} as {src.merged_as}"
    return f"  source {src.source} as {src.merged_as}"


def _cv_section(trail: Trail, s: ScreeningRow) -> list[str]:
    """Which CV files (by hash) and which profile version the screening read."""
    lines = [_cv_line(doc) for doc in trail.cv_documents]
    if trail.profile:
        lines.append(_profile_line(trail.profile))
    return lines


def _cv_line(doc: CvDocumentRow) -> str:
    if doc.extracted_at:
        return f"  {doc.file_name}: sha256 {str(doc.sha256)[:16]}…, {doc.format}, read {doc.extracted_at:%Y-%m-%d %H:%M}"
    return f"  {doc.file_name}: sha256 {str(doc.sha256)[:16]}…"


def _profile_line(p: ProfileRow) -> str:
    if p.built_at:
        return f"  profile version {str(p.inputs_sha256)[:16]} (extractor {p.extractor_version}, from CV {str(p.cv_sha256)[:16]}…, built {p.built_at:%Y-%m-%d %H:%M})"
    return f"  profile version {str(p.inputs_sha256)[:16]} (extractor {p.extractor_version})"


def _screening_section(trail: Trail, s: ScreeningRow) -> list[str]:
    """The engine, stage, model and prompt versions: what to re-run to get the same answer."""
    decider = "the LLM judge decided" if s.stage == 2 else "the deterministic screen decided"
    lines = [
        f"  engine {s.method}, stage {s.stage} ({decider}), screened {s.screened_at:%Y-%m-%d %H:%M}"
        if s.screened_at
        else f"  engine {s.method}"
    ]
    if s.screened_as == "reused" and s.scored_at:
        lines.append(
            f"  scored {s.scored_at:%Y-%m-%d %H:%M} and reused since: the posting, CV, settings and engine are unchanged"
        )
    models = sorted({f"{c.model} (prompt {c.prompt_version})" for c in trail.llm_calls if c.model})
    lines.append(f"  model: {', '.join(models)}" if models else "  model: none (no LLM call for this search)")
    if s.prompt_version:
        lines.append(f"  prompt version {s.prompt_version}")
    return lines


def _score_section(trail: Trail, s: ScreeningRow) -> list[str]:
    """The score's components by their readable names, the reasons and the skills found and missing."""
    lines = [_component_line(key, value) for key, value in s.components.items()]
    lines += [f"  reason: {r}" for r in s.reasons]
    if s.matched_skills:
        lines.append(f"  you have: {', '.join(s.matched_skills)}")
    if s.missing_skills:
        lines.append(f"  missing: {', '.join(s.missing_skills)}")
    return lines


def _component_line(key: str, value: float) -> str:
    """A known component is a 0-1 fit (two decimals); any other is a raw figure, printed as it is."""
    if key in COMPONENT_NAMES:
        return f"  {COMPONENT_NAMES[key]:<22} {value:.2f}"
    return f"  {key.replace('_', ' '):<22} {value:g}"


def _deal_breaker_section(trail: Trail, s: ScreeningRow) -> list[str]:
    """The failed checks, or, when none failed, the rule families that were checked."""
    if s.deal_breakers:
        return [f"  FAILED: {d}" for d in s.deal_breakers]
    return ["  none failed; checked: " + "; ".join(DEAL_BREAKER_CHECKS)]


def _package_section(trail: Trail, s: ScreeningRow) -> list[str]:
    """The package written, its grounding verdict and review, and where the application stands."""
    if trail.package:
        pk = trail.package
        source = "your CV and stories" if pk.stories else "your CV"
        grounded = f"yes, every claim traces to {source}" if pk.grounded else "NO: " + "; ".join(pk.issues)
        lines = [
            f"  {pk.package_dir} ({', '.join(pk.files)})",
            f"  grounded: {grounded}; review: {pk.review_status}",
        ]
        if pk.stories:
            lines.append(f"  your stories used: {'; '.join(pk.stories)}")
    else:
        lines = ["  none (packages are written for High matches only)"]
    if trail.tracker:
        lines.append(_tracker_line(trail.tracker))
    return lines


def _tracker_line(tracker: ApplicationTrackerRow) -> str:
    if tracker.updated_at:
        return f"  status: {tracker.status} (since {tracker.updated_at:%Y-%m-%d})"
    return f"  status: {tracker.status}"


_SECTIONS: tuple[tuple[str, Callable[[Trail, ScreeningRow], list[str]]], ...] = (
    ("The posting", _posting_section),
    ("Your CV", _cv_section),
    ("How it was screened", _screening_section),
    ("The score's parts", _score_section),
    ("Deal-breaker checks", _deal_breaker_section),
    ("Package", _package_section),
)
"""The sections of ``jobland why``, in print order: a heading and the function that writes its lines."""


def _unique_runs(lines: list[str]) -> list[str]:
    """The same source seen through two searches prints once (blank lines between sections stay)."""
    out: list[str] = []
    for line in lines:
        if line and line in out:
            continue
        out.append(line)
    return out
