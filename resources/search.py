from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import dagster as dg

from jobland_pipeline.postings import load_postings
from jobland_pipeline.postings.models import Posting


def bundled_postings_path() -> Path:
    return Path(str(resources.files("jobland_pipeline.data").joinpath("postings/sample_postings.jsonl")))


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> tuple[Posting, ...]:
    return tuple(load_postings(Path(path)))


class LocalPostingsResource(dg.ConfigurableResource):
    """The local postings file (JSONL) as a search engine; empty path = bundled sample postings."""

    path: str = ""

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else bundled_postings_path()

    def postings(self) -> list[Posting]:
        path = self.resolved_path()
        mtime = path.stat().st_mtime_ns if path.exists() else 0
        return list(_load(str(path), mtime))
