"""Is a posting still open? Checked without an LLM, with the ATS APIs, for postings not returned today."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jobland_pipeline.postings.engines.base import SearchEngine
from jobland_pipeline.postings.registry import RegistryEntry

UNKNOWN = "unknown"


def make_liveness(engines: Sequence[SearchEngine]) -> Callable[[RegistryEntry], str]:
    """Greenhouse: the single-job endpoint (404 = closed). Lever: a 404 only counts when the posting is
    also missing from the freshly fetched board. Ashby: presence on the board. Others: unknown (they
    turn stale with time instead)."""
    by_name: dict[str, Any] = {e.name: e for e in engines}

    @cache
    def lever_ids(site: str) -> frozenset[str]:
        return frozenset(by_name["lever"].posting_ids(site))

    @cache
    def ashby_jobs(board: str) -> tuple[Any, ...]:
        return tuple(by_name["ashby"].board_jobs(board))

    def check(entry: RegistryEntry) -> str:
        engine = by_name.get(entry.source)
        if engine is None or not entry.url or not entry.source_id:
            return UNKNOWN
        board = urlsplit(entry.url).path.strip("/").split("/")[0]
        try:
            if entry.source == "greenhouse":
                return str(engine.job_alive(board, entry.source_id))
            if entry.source == "lever":
                return str(engine.job_alive(board, entry.source_id, set(lever_ids(board))))
            if entry.source == "ashby":
                from jobland_pipeline.postings.engines.boards import ashby_job_alive

                return str(ashby_job_alive(list(ashby_jobs(board)), entry.url))
        except Exception:  # a probe that fails proves nothing either way
            return UNKNOWN
        return UNKNOWN

    return check
