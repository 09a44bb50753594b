"""The local JSONL postings file as a search engine (offline, free): the default."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from jobland_pipeline.postings.engines.base import CallRecord, EngineResult, SearchQuery
from jobland_pipeline.postings.engines.common import place_matches, title_matches
from jobland_pipeline.postings.local import load_postings
from jobland_pipeline.postings.models import Posting

SAMPLE_POSTINGS = Path(__file__).resolve().parents[2] / "data" / "postings" / "sample_postings.jsonl"


class LocalFileEngine:
    """Postings from a JSONL file (``load_postings``), filtered by title, remote, location and age.

    The file is read once per engine. A bad line is skipped and every good one kept: the skipped lines
    are counted as ``malformed_line`` in each result and named (line and reason) in its call record's
    error, so the search goes on and the ledger says what was left out. A file that cannot be read at
    all raises ``PostingsFileError``.
    """

    name = "local"

    def __init__(self, path: Path | None = None, *, today: Callable[[], date] | None = None) -> None:
        self.path = Path(path) if path else SAMPLE_POSTINGS
        self.today = today
        self._postings: list[Posting] | None = None
        self.problems: list[str] = []
        self._lock = threading.Lock()

    def postings(self) -> list[Posting]:
        with self._lock:
            if self._postings is None:
                problems: list[str] = []
                self._postings = load_postings(self.path, source=self.name, strict=False, problems=problems)
                self.problems = problems
            return self._postings

    def search(self, query: SearchQuery) -> EngineResult:
        started = time.monotonic()
        postings = self.postings()
        # Local samples have fixed dates: without an injected "today", age is not filtered.
        query_for_place = replace(query, posted_within_days=None) if self.today is None else query
        today = self.today() if self.today else None
        kept = [
            p
            for p in postings
            if title_matches(p.title, query) and place_matches(p, query_for_place, today=today)
        ]
        call = CallRecord(
            engine=self.name,
            request=f"READ {self.path.name}",
            status="ok" if kept else "empty",
            latency_ms=round((time.monotonic() - started) * 1000, 3),
            error=_skipped(self.problems),
        )
        dropped = {"not_matching": len(postings) - len(kept)} if len(kept) < len(postings) else {}
        if self.problems:
            dropped["malformed_line"] = len(self.problems)
        return EngineResult(postings=kept, calls=[call], dropped=dropped, raw_count=len(postings))


def _skipped(problems: list[str], shown: int = 3) -> str | None:
    """The skipped lines in one line: the first few reasons, then how many more."""
    if not problems:
        return None
    more = f"; and {len(problems) - shown} more" if len(problems) > shown else ""
    return f"{len(problems)} line(s) skipped: " + "; ".join(problems[:shown]) + more
