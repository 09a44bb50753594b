"""Run the whole matching chain over a labelled set and write the results file its scorer reads.

A set (``../shared/eval`` is the development one) is a folder with ``personas.json`` (each persona's
CV file), ``postings.jsonl`` and a scorer ``eval.py``. Each persona goes through what ``jobland
screen`` and ``jobland tailor`` do — profile, titles, a screening of every posting, a tailored CV for
the best posting without a deal-breaker — and the postings through the de-duplication the pipeline
uses. Nothing here knows the set's people, companies or labels: only the scorer reads the labels.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jobland_pipeline.documents import extract_file
from jobland_pipeline.llm.engine import Engine
from jobland_pipeline.postings import load_postings
from jobland_pipeline.postings.frame import dedupe_postings
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.score import Thresholds


class EvalSetError(ValueError):
    """The folder is not a labelled set (missing personas.json, postings.jsonl or a CV file)."""


@dataclass
class EvalRun:
    results: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    cv_texts: dict[str, str] = field(default_factory=dict)  # persona -> the CV's extracted text
    packages_ok: dict[str, bool] = field(default_factory=dict)  # persona -> the package passed its grounding


def _duplicate_groups(merged: dict[str, str]) -> list[list[str]]:
    groups: dict[str, set[str]] = {}
    for dropped, kept in merged.items():
        groups.setdefault(kept, {kept}).add(dropped)
    return [sorted(g) for g in groups.values()]


def run_set(set_dir: Path, engine: Engine, *, as_of: date | None = None, titles: int = 8) -> EvalRun:
    """Results for every persona of the set, in the scorer's format."""
    personas_file = set_dir / "personas.json"
    postings_file = set_dir / "postings.jsonl"
    if not personas_file.is_file() or not postings_file.is_file():
        raise EvalSetError(f"{set_dir}: not a labelled set (needs personas.json and postings.jsonl)")
    personas = json.loads(personas_file.read_text(encoding="utf-8"))
    postings = load_postings(postings_file)
    as_of = as_of or date.today()
    run = EvalRun(
        results={
            "titles": {},
            "screenings": {},
            "deal_breakers_flagged": {},
            "duplicates_found": [],
            "tailored_cv_text": {},
        }
    )
    started = time.perf_counter()
    _, merged = dedupe_postings(postings)
    run.results["duplicates_found"] = _duplicate_groups(merged)
    run.seconds["dedupe"] = round(time.perf_counter() - started, 2)
    for persona_id, persona in personas.items():
        cv_path = set_dir / persona["file"]
        if not cv_path.is_file():
            run.problems.append(f"{persona_id}: CV file {persona['file']} not found")
            continue
        started = time.perf_counter()
        prefs = Preferences.model_validate((persona.get("settings") or {}).get("preferences") or {})
        _run_persona(run, persona_id, cv_path, postings, engine, as_of=as_of, titles=titles, prefs=prefs)
        run.seconds[persona_id] = round(time.perf_counter() - started, 2)
    return run


def _run_persona(
    run: EvalRun,
    persona_id: str,
    cv_path: Path,
    postings: list[Posting],
    engine: Engine,
    *,
    as_of: date,
    titles: int,
    prefs: Preferences,
) -> None:
    """One persona through ``jobland screen`` and ``jobland tailor``: its titles, every posting's score,
    the postings with a deal-breaker, and the tailored CV for its best posting without one.

    ``prefs`` are the persona's settings.yaml preferences (a set may give them as ``settings``)."""
    document = extract_file(cv_path)
    run.cv_texts[persona_id] = document.text
    profile = engine.profile(document, user_id=persona_id, as_of=as_of)
    suggested = engine.titles(profile, pinned=[], limit=titles)
    screenings = engine.screen(
        profile,
        postings,
        cv_text=document.text,
        search_title=suggested[0].title if suggested else None,
        prefs=prefs,
        thresholds=Thresholds(),
    )
    run.results["titles"][persona_id] = [t.display_title for t in suggested]
    run.results["screenings"][persona_id] = {s.posting_id: s.score for s in screenings}
    run.results["deal_breakers_flagged"][persona_id] = [s.posting_id for s in screenings if s.deal_breakers]
    best = _best_without_deal_breaker(screenings)
    if best is None:
        return
    posting = {p.id: p for p in postings}[best.posting_id]
    dossier = engine.dossier(posting.company, [posting])
    package = engine.package(profile, posting, best, dossier, cv_text=document.text, today=as_of)
    run.results["tailored_cv_text"][persona_id] = str(package.files.get("tailored_cv.md", ""))
    run.packages_ok[persona_id] = package.ok
    if not package.ok:
        run.problems.append(
            f"{persona_id}: package for {posting.id} not grounded: {package.grounding_issues[:3]}"
        )


def _best_without_deal_breaker(screenings: list[Screening]) -> Screening | None:
    """The posting ``jobland tailor`` would pick: the best score without a deal-breaker, ties to the
    larger posting id (so the choice does not depend on the order of the postings)."""
    return max(
        (s for s in screenings if not s.deal_breakers),
        key=lambda s: (s.score, s.posting_id),
        default=None,
    )


def label_calibration(results: dict[str, Any], labels: dict[str, Any], high: int, medium: int) -> str:
    """How often each label is right on a labelled set: High should mean a good fit (grade >= 2).

    The scorer judges the ranking; this judges the words the user reads ("High") against the labels.
    """
    relevance: dict[str, dict[str, int]] = labels.get("relevance", {})
    counts = {"High": [0, 0], "Medium": [0, 0], "Low": [0, 0]}
    for persona, scores in results.get("screenings", {}).items():
        for posting_id, score in scores.items():
            label = "High" if score >= high else "Medium" if score >= medium else "Low"
            good = relevance.get(persona, {}).get(posting_id, 0) >= 2
            counts[label][0] += good
            counts[label][1] += 1
    parts = [
        f"{name} {good / n:.3f} good fits (n={n})" if n else f"{name} n=0"
        for name, (good, n) in counts.items()
    ]
    return f"label_calibration: {'; '.join(parts)}  (grade>=2 share per label; High should be >= 0.8)"
