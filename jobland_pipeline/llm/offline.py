"""The offline engine: deterministic, no network, no keys — a product mode, not a stub."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jobland_pipeline.documents.extract import ExtractedDocument
from jobland_pipeline.generation.package import Package, build_package
from jobland_pipeline.generation.stories import Story
from jobland_pipeline.llm.records import LlmCallRow
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.extract import build_profile
from jobland_pipeline.profiles.models import Profile, TitleSuggestion
from jobland_pipeline.profiles.titles import suggest_titles
from jobland_pipeline.research.dossier import Dossier, build_dossier
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.score import Thresholds, screen_postings


class OfflineEngine:
    name = "offline"

    def drain_calls(self) -> list[LlmCallRow]:
        return []  # the offline engine calls nothing

    def profile(self, document: ExtractedDocument, *, user_id: str, as_of: date) -> Profile:
        return build_profile(document.text, user_id=user_id, cv_sha256=document.sha256, as_of=as_of)

    def titles(self, profile: Profile, *, pinned: list[str], limit: int) -> list[TitleSuggestion]:
        return suggest_titles(profile, pinned=pinned, limit=limit)

    def screen(
        self,
        profile: Profile,
        postings: list[Posting],
        *,
        cv_text: str,
        search_title: str | None,
        prefs: Preferences,
        thresholds: Thresholds,
    ) -> list[Screening]:
        return screen_postings(
            profile, postings, cv_text=cv_text, search_title=search_title, prefs=prefs, thresholds=thresholds
        )

    def dossier(self, company: str, postings: list[Posting]) -> Dossier:
        return build_dossier(company, postings)

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
    ) -> Package:
        return build_package(
            profile,
            posting,
            screening,
            dossier,
            cv_text=cv_text,
            today=today,
            theme=theme,
            tone=tone,
            stories=stories,
        )
