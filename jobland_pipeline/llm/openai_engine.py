"""The OpenAI-compatible engine: LLM judgement where it changes the outcome, offline everywhere else.

- screening: two-stage — the offline score for every posting, the LLM judge for the best few;
- titles: the LLM picks and explains from the offline engine's candidates (never an invented title);
- dossiers: the LLM summarises the company's own texts, the offline dossier fills the gaps;
- profiles and packages stay with the offline engine, which keeps the CV's own wording and whose
  tailoring is grounded by construction.
Every answer is cached by (task, model, prompt version, content hash) and every call is a ledger row;
an answer that stays invalid after one repair falls back to the offline result, with the reason.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel

from jobland_pipeline.documents.extract import ExtractedDocument
from jobland_pipeline.generation.package import Package, build_package
from jobland_pipeline.generation.stories import Story, prompt_text
from jobland_pipeline.generation.tailor import TailoredCV, tailor_cv
from jobland_pipeline.llm.cache import LLMCache, content_key
from jobland_pipeline.llm.client import LLMClient, LLMError
from jobland_pipeline.llm.offline import OfflineEngine
from jobland_pipeline.llm.prompts import prompt_version, render
from jobland_pipeline.llm.records import LlmCallRow
from jobland_pipeline.llm.schemas import LLMDossier, LLMScreening, LLMTailoredCV, LLMTitles
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile, Role, TitleSuggestion
from jobland_pipeline.research.dossier import Dossier
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.score import Thresholds
from jobland_pipeline.screening.two_stage import Verdict, two_stage

TITLE_CANDIDATES = 15


def _hash(value: Any) -> str:
    text = (
        value
        if isinstance(value, str)
        else json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    )
    return hashlib.sha256(text.encode()).hexdigest()


class OpenAICompatibleEngine:
    name = "openai"

    def __init__(
        self,
        clients: dict[str, LLMClient],
        models: dict[str, str],
        *,
        cache: LLMCache | None = None,
        judge_budget: int = 5,
        offline: OfflineEngine | None = None,
    ) -> None:
        self.clients = clients  # task -> client (its endpoint chain, the task's model first)
        self.models = models  # task -> model name (cache key and method label)
        self.cache = cache
        self.judge_budget = judge_budget
        self.offline = offline or OfflineEngine()
        self.ledger: list[LlmCallRow] = []

    # -- plumbing ----------------------------------------------------------------------------
    def drain_calls(self) -> list[LlmCallRow]:
        rows, self.ledger = self.ledger, []
        if self.cache is not None:
            self.cache.flush()
        return rows

    def _ask(
        self, task: str, schema: type[BaseModel], context: dict[str, Any], *parts: str
    ) -> tuple[Any, str | None]:
        """(validated answer or None, why None)."""
        model, version = self.models[task], prompt_version(task)
        key = content_key(task, model, version, *parts)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            self.ledger.append(
                LlmCallRow(
                    task=task,
                    model=model,
                    prompt_version=version,
                    cache_hit=True,
                    status="cached",
                    attempts=0,
                    at=datetime.now(UTC),
                )
            )
            return schema.model_validate(hit), None
        system, user = render(task, **context)
        try:
            answer, calls = self.clients[task].complete(task=task, system=system, user=user, schema=schema)
        except LLMError as exc:
            self._record(exc.calls, version)
            return None, str(exc)
        self._record(calls, version)
        if self.cache is not None:
            self.cache.put(
                key, task=task, model=model, prompt_version=version, answer=answer.model_dump(mode="json")
            )
        return answer, None

    def _record(self, calls: list[Any], version: str) -> None:
        for call in calls:
            self.ledger.append(
                LlmCallRow.model_validate({**asdict(call), "prompt_version": version, "cache_hit": False})
            )

    # -- engine interface --------------------------------------------------------------------
    def profile(self, document: ExtractedDocument, *, user_id: str, as_of: date) -> Profile:
        return self.offline.profile(document, user_id=user_id, as_of=as_of)

    def titles(self, profile: Profile, *, pinned: list[str], limit: int) -> list[TitleSuggestion]:
        offline = self.offline.titles(profile, pinned=pinned, limit=TITLE_CANDIDATES)
        by_name = {t.title.lower(): t for t in offline} | {t.display_title.lower(): t for t in offline}
        answer, _ = self._ask(
            "titles",
            LLMTitles,
            {"profile": profile, "candidates": [t.display_title for t in offline]},
            profile.model_dump_json(),
            json.dumps([t.title for t in offline]),
        )
        if answer is None:
            return offline[:limit]
        chosen = [
            by_name[t.title.lower()].model_copy(update={"reason": t.reason})
            for t in answer.titles
            if t.title.lower() in by_name  # the LLM may reorder and explain, never invent a title
        ]
        chosen = list({t.slug: t for t in chosen}.values())
        pinned_first = [t for t in offline if t.source == "pinned"]
        result = pinned_first + [t for t in chosen if t.source != "pinned"]
        return result[:limit] if len(result) >= 5 else offline[:limit]

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
        stage1 = self.offline.screen(
            profile, postings, cv_text=cv_text, search_title=search_title, prefs=prefs, thresholds=thresholds
        )
        profile_hash = _hash(profile.model_dump_json(exclude={"as_of"}))
        version = prompt_version("screening")

        def judge(posting: Posting, first: Screening) -> Verdict:
            answer, why = self._ask(
                "screening",
                LLMScreening,
                {
                    "profile": profile,
                    "posting": posting,
                    "stage1": first,
                    "search_title": search_title,
                    "prefs": prefs.model_dump_json(exclude_defaults=True) or "none",
                },
                profile_hash,
                _hash(posting.model_dump_json()),
                prefs.model_dump_json(),
                search_title or "",
            )
            return Verdict(answer, f"llm:{self.models['screening']}", version, why)

        return two_stage(stage1, postings, judge, budget=self.judge_budget, thresholds=thresholds)

    def dossier(self, company: str, postings: list[Posting]) -> Dossier:
        base = self.offline.dossier(company, postings)
        texts = sorted({p.description for p in postings if p.description})[
            :5
        ]  # stable order: stable cache key
        if not texts:
            return base
        answer, _ = self._ask("dossier", LLMDossier, {"company": company, "texts": texts}, company, *texts)
        if answer is None:
            return base
        return base.model_copy(
            update={
                "about": answer.about or base.about,
                "mission": answer.mission or base.mission,
                "culture": answer.culture or base.culture,
                "red_flags": list(dict.fromkeys([*base.red_flags, *answer.red_flags])),
                "method": f"llm:{self.models['dossier']}",
            }
        )

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
        """The LLM tailors (re-words and re-orders); the grounding check then refuses any invented fact.

        The user's stories chosen for the posting go to the model as fenced data (to choose what to
        emphasise); the letter and cheat sheet use them as the offline engine does."""

        def made(cv: TailoredCV | None = None) -> Package:
            return build_package(
                profile,
                posting,
                screening,
                dossier,
                cv_text=cv_text,
                today=today,
                cv=cv,
                theme=theme,
                tone=tone,
                stories=stories,
            )

        if "tailor" not in self.clients:
            return made()
        fenced = prompt_text(stories)
        answer, _ = self._ask(
            "tailor",
            LLMTailoredCV,
            {"profile": profile, "posting": posting, "note": None, "stories": fenced},
            profile.model_dump_json(exclude={"as_of"}),
            posting.model_dump_json(),
            *([fenced] if fenced else []),
        )
        if answer is None:
            return made()
        base = tailor_cv(profile, posting)
        by_key = {(r.title, r.employer): r for r in profile.roles}
        roles = [
            by_key[(r.title, r.employer)].model_copy(update={"bullets": r.bullets})
            if (r.title, r.employer) in by_key
            else Role(title=r.title, employer=r.employer, bullets=r.bullets)
            for r in answer.roles
        ]
        cv = base.model_copy(
            update={
                "headline": answer.headline or base.headline,
                "summary": answer.summary or base.summary,
                "skills": answer.skills or base.skills,
                "roles": roles,
            }
        )
        return made(cv)
