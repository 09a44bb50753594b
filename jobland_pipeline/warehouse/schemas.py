"""Every analyst table, gathered from the records modules where each business object's row model lives.

The same row models type the Parquet files, document the DuckDB views (README) and become column
descriptions in the Dagster UI: one source of truth for the analyst-facing layout.
"""

from __future__ import annotations

from typing import Any

from jobland_pipeline.delivery.records import (
    APPLICATION_STATUS_HISTORY,
    APPLICATION_STATUS_UPDATES,
    APPLICATION_TRACKER,
    BATCH_STATUS,
    EMAIL_DIGESTS,
    PACKAGE_REVIEWS,
)
from jobland_pipeline.documents.records import CV_DOCUMENTS
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from jobland_pipeline.llm.records import LLM_CACHE, LLM_CALLS
from jobland_pipeline.postings.records import API_CALLS, JOB_POSTINGS, POSTING_REGISTRY, POSTING_SOURCES
from jobland_pipeline.profiles.records import PROFILES, SUGGESTED_TITLES
from jobland_pipeline.records import Table
from jobland_pipeline.research.records import COMPANY_DOSSIERS
from jobland_pipeline.screening.records import SCREENINGS

TableSpec = Table  # the name older code and tests use

_ALL: list[Table[Any]] = [
    CV_DOCUMENTS,
    PROFILES,
    SUGGESTED_TITLES,
    JOB_POSTINGS,
    API_CALLS,
    POSTING_SOURCES,
    POSTING_REGISTRY,
    LLM_CALLS,
    LLM_CACHE,
    SCREENINGS,
    COMPANY_DOSSIERS,
    APPLICATION_PACKAGES,
    EMAIL_DIGESTS,
    PACKAGE_REVIEWS,
    APPLICATION_STATUS_UPDATES,
    APPLICATION_STATUS_HISTORY,
    APPLICATION_TRACKER,
    BATCH_STATUS,
]
TABLES: dict[str, Table[Any]] = {t.name: t for t in _ALL}
