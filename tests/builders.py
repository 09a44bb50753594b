"""Row builders shared by tests: one place for a plausible record, each test overriding what it checks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jobland_pipeline.generation.records import ApplicationPackageRow


def package_row(posting_id: str, user: str = "jane", **kw: Any) -> ApplicationPackageRow:
    """An approved, grounded package of ``user``'s ICU-nurse search for ``posting_id``."""
    fields: dict[str, Any] = {
        "search_key": f"{user}::icu-nurse",
        "user_id": user,
        "posting_id": posting_id,
        "application_id": f"{user}:{posting_id}",
        "title": "ICU Nurse",
        "company": f"Hospital {posting_id}",
        "location": "Chicago, IL",
        "grounded": True,
        "review_status": "approved",
        "created_at": datetime(2026, 12, 7, 5, 0, tzinfo=UTC),
    }
    return ApplicationPackageRow(**{**fields, **kw})
