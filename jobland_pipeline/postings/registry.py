"""The posting registry: first and last seen per posting across days and engines, and its status.

A posting that stops appearing is not assumed closed: ATS postings get a liveness check without
an LLM (see engines), the rest turn ``stale`` after ``stale_after_days``. Only ``open`` postings
reach screening and packages.

A search's registry is read and written every day, and without an end it would hold every posting
the search ever met (a year of a daily search: ~25,000 rows, each day's liveness checks growing with
it). A posting closed or stale whose last sighting is older than ``keep_days`` leaves it, before any
liveness check; if it ever comes back, it is new again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

OPEN, CLOSED, STALE = "open", "closed", "stale"


@dataclass
class RegistryEntry:
    fingerprint: str
    first_seen: date
    last_seen: date
    status: str
    source: str
    source_id: str | None
    url: str | None


def update_registry(
    previous: dict[str, RegistryEntry],
    seen_today: Iterable[tuple[str, str, str | None, str | None]],  # (fingerprint, source, source_id, url)
    today: date,
    *,
    stale_after_days: int = 14,
    liveness: Callable[[RegistryEntry], str] | None = None,
    keep_days: int | None = None,
) -> dict[str, RegistryEntry]:
    """Merge today's sightings into the registry; check or age the postings not seen today (those
    closed or stale past ``keep_days`` leave it)."""
    registry = {k: RegistryEntry(**vars(v)) for k, v in previous.items()}
    seen: set[str] = set()
    for fingerprint, source, source_id, url in seen_today:
        seen.add(fingerprint)
        entry = registry.get(fingerprint)
        if entry is None:
            registry[fingerprint] = RegistryEntry(fingerprint, today, today, OPEN, source, source_id, url)
        else:
            entry.last_seen, entry.status = today, OPEN
    if keep_days is not None:
        registry = _within(registry, today, keep_days)
    for fingerprint, entry in registry.items():
        if fingerprint in seen or entry.status == CLOSED:
            continue
        verdict = liveness(entry) if liveness is not None else "unknown"
        if verdict == CLOSED:
            entry.status = CLOSED
        elif verdict == OPEN:
            entry.last_seen, entry.status = today, OPEN
        elif today - entry.last_seen > timedelta(days=stale_after_days):
            entry.status = STALE
    return registry


def _within(registry: dict[str, RegistryEntry], today: date, keep_days: int) -> dict[str, RegistryEntry]:
    """The entries open, or last seen at most ``keep_days`` ago (one without a date has no age to judge)."""
    if keep_days < 0:
        raise ValueError(f"keep_days must be 0 or more, not {keep_days}")
    oldest = today - timedelta(days=keep_days)
    return {
        k: e for k, e in registry.items() if e.status == OPEN or e.last_seen is None or e.last_seen >= oldest
    }
