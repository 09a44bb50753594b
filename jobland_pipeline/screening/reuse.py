"""Re-screen only what changed: which postings of a search need a score, and which keep yesterday's.

A screening is a function of two things: the posting's content (title, company, place, remote flag,
contract, description, pay: everything the screen and the judge's prompt read) and its *basis* (the
profile, hence the CV, the CV's text, the search's title, the user's preferences, the thresholds and the
engine: its name, models, prompt and code versions). When both are equal to those of the partition's
previous screening, scoring again would give the same answer at the same cost, so the previous row is
kept; a new posting, a posting whose content changed, and every posting of a user whose basis changed
(a new CV, new settings, a new engine or code version) are scored. Nothing here calls an engine: the
stage scores what :func:`plan` leaves to score, and reused rows spend nothing (no LLM call, no ledger row).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.screening.analysis import content_hash
from jobland_pipeline.screening.models import Preferences
from jobland_pipeline.screening.records import ScreeningRow
from jobland_pipeline.screening.score import Thresholds

NEW, CHANGED, BASIS_CHANGED, REUSED = "new", "changed", "basis_changed", "reused"
SEARCH_CHANGED = "search_changed"
SCREENED_AS = (NEW, CHANGED, BASIS_CHANGED, SEARCH_CHANGED, REUSED)
"""Why a row is what it is: no previous screening of the posting in this search; the posting's content
changed; the content is the same but the basis changed (CV, settings, engine...); the posting is the
same but others of its search came, changed or went, and its screening depends on them (a judge that
takes the search's best K); nothing changed."""

JUDGE_UNAVAILABLE = "LLM judge unavailable"
"""The reason ``two_stage.combine`` adds when the judge could not answer: such a row is a fallback, so it
is scored again next time rather than kept."""


def posting_content_hash(posting: Posting) -> str:
    """The posting as screening reads it: the analysis's content hash (title, company, location, remote,
    contract, description) plus the pay, which the salary-floor deal-breaker and the judge's prompt read.
    The id, URL, dates and sources are left out: a posting seen again with a new URL is the same job."""
    pay = [
        posting.salary,
        posting.salary_min,
        posting.salary_max,
        posting.salary_currency,
        posting.salary_period,
    ]
    raw = content_hash(posting) + "\x1f" + "\x1f".join("" if v is None else str(v) for v in pay)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def screening_basis(
    *,
    profile: Profile,
    cv_text: str,
    search_title: str | None,
    prefs: Preferences,
    thresholds: Thresholds,
    engine: str,
) -> str:
    """A digest of everything but the posting that decides a screening.

    ``engine`` names the engine and its versions as the caller knows them (engine name, screening model,
    prompt version, judge budget, a fingerprint of the matching code): the screening layer cannot see
    the LLM layer, so the wiring passes it in. The profile carries the CV's hash and the extractor's
    version, and its ``as_of`` (years of experience are counted up to it).
    """
    parts = [
        profile.model_dump_json(),
        hashlib.sha256(cv_text.encode("utf-8")).hexdigest(),
        search_title or "",
        prefs.model_dump_json(),
        f"high={thresholds.high};medium={thresholds.medium}",
        engine,
    ]
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()[:32]


@dataclass
class Plan:
    """What to do with one search's postings given its previous screening."""

    to_score: list[Posting]
    reused: dict[str, ScreeningRow]  # posting id -> the previous row, kept as it is
    screened_as: dict[str, str]  # posting id -> one of SCREENED_AS
    hashes: dict[str, str]  # posting id -> posting_content_hash
    removed: list[str] = field(default_factory=list)  # previously screened, no longer among the postings


def plan(
    postings: Sequence[Posting],
    previous: Iterable[ScreeningRow],
    basis: str | None,
    *,
    whole_search: bool = False,
) -> Plan:
    """Which postings need a score. Without a basis nothing is reused (every posting is scored).

    ``whole_search``: a posting's screening depends on the other postings of its search (the LLM judge
    takes the best ``judge_budget`` of them by first-stage score), so reuse is all or nothing: any new,
    changed or removed posting re-screens the whole search (the judge's unchanged answers come from the
    LLM cache); reusing rows one by one would judge whatever is new instead of the best matches."""
    before = {r.posting_id: r for r in previous if r.posting_id}
    out = Plan(to_score=[], reused={}, screened_as={}, hashes={})
    for posting in postings:
        digest = out.hashes[posting.id] = posting_content_hash(posting)
        old = before.get(posting.id)
        kind = _kind(old, digest, basis)
        out.screened_as[posting.id] = kind
        if kind == REUSED and old is not None:
            out.reused[posting.id] = old
        else:
            out.to_score.append(posting)
    seen = {p.id for p in postings}
    out.removed = sorted(str(k) for k in before if k not in seen)
    if whole_search and out.reused and (out.to_score or out.removed):
        for posting_id in out.reused:
            out.screened_as[posting_id] = SEARCH_CHANGED
        out.reused = {}
        out.to_score = list(postings)
    return out


def _kind(old: ScreeningRow | None, digest: str, basis: str | None) -> str:
    if old is None:
        return NEW
    if old.content_hash != digest:
        return CHANGED
    if basis is None or old.screening_basis != basis or _fallback(old):
        return BASIS_CHANGED
    return REUSED


def _fallback(row: ScreeningRow) -> bool:
    """A row the judge should have decided but could not: worth another try, never worth keeping."""
    return any(r.startswith(JUDGE_UNAVAILABLE) for r in row.reasons)


def unsettled(rows: list[ScreeningRow]) -> list[ScreeningRow]:
    """The rows scored this time, stripped of their basis so that the next run scores them again.

    For a run whose judge did not answer every call as asked (an error, an open circuit, an invalid
    answer, a spent budget answered offline): those rows are stand-ins, not the screening the basis
    promises. Answers the judge did give are in the LLM cache, so scoring again costs little."""
    for row in rows:
        if row.screened_as != REUSED:
            row.screening_basis = None
    return rows


def screened_counts(rows: Iterable[ScreeningRow]) -> dict[str, int]:
    """Rows per kind (every kind present, zero included) and ``scored`` (the rows scored this time)."""
    counts = Counter(r.screened_as or NEW for r in rows)
    figures = {kind: counts.get(kind, 0) for kind in SCREENED_AS}
    figures["scored"] = sum(figures.values()) - figures[REUSED]
    return figures
