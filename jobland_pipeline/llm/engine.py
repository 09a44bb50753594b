"""One interface for the work that an LLM could do; engines are chosen by name in one place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from jobland_pipeline.documents.extract import ExtractedDocument
from jobland_pipeline.generation.package import Package
from jobland_pipeline.generation.stories import Story
from jobland_pipeline.llm.records import LlmCallRow
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile, TitleSuggestion
from jobland_pipeline.research.dossier import Dossier
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.score import Thresholds


class Engine(Protocol):
    name: str

    def drain_calls(self) -> list[LlmCallRow]:
        """Ledger rows of the LLM calls (and cache hits) made since the last drain."""
        ...

    def profile(self, document: ExtractedDocument, *, user_id: str, as_of: date) -> Profile: ...

    def titles(self, profile: Profile, *, pinned: list[str], limit: int) -> list[TitleSuggestion]: ...

    def screen(
        self,
        profile: Profile,
        postings: list[Posting],
        *,
        cv_text: str,
        search_title: str | None,
        prefs: Preferences,
        thresholds: Thresholds,
    ) -> list[Screening]: ...

    def dossier(self, company: str, postings: list[Posting]) -> Dossier: ...

    def package(
        self,
        profile: Profile,
        posting: Posting,
        screening: Screening,
        dossier: Dossier | None,
        *,
        cv_text: str,
        today: date,
        theme: str = "classic",
        tone: str = "formal",
        stories: Sequence[Story] = (),
    ) -> Package: ...


def get_engine(name: str) -> Engine:
    from jobland_pipeline.llm.offline import OfflineEngine

    engines: dict[str, type] = {"offline": OfflineEngine}
    if name not in engines:
        raise ValueError(f"unknown engine {name!r}; available: {', '.join(engines)}")
    return engines[name]()
