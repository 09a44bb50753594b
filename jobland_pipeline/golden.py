"""The golden set: a small labelled set bundled with JobLand that guards the quality of every change.

Why: the development set (``../shared/eval``) measures how good the matcher is, but it lives outside the
project and nothing stops a change that makes matching worse from reaching production. The golden set
(``jobland_pipeline/data/golden``: real CVs and postings under permissive licences, labels written
here, provenance in its README) is run through the same chain as ``jobland eval``
(:func:`jobland_pipeline.evaluation.run_set`) and scored on three figures:

- ``ndcg@10``: the ranking of each person's postings against the graded labels (mean over people);
- ``deal_breaker_recall``: the labelled deal-breakers the engine flags (pooled over people);
- ``grounding``: the share of tailored CVs that pass the package's own grounding check and state none
  of the person's labelled ``absent_facts``, no year and no e-mail address their CV does not contain.

A figure below the stored baseline (``baseline.json``) is a regression: the blocking asset check on
``screenings`` fails and ``make eval`` exits 1. The baseline moves only through
:func:`update_baseline` (``jobland eval --update-baseline --reason ...``), which records who, when and
why. Results are cached per engine fingerprint (a digest of the engine's code and data), so a
screenings run pays for the set once per code version, not once per run.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import math
import os
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "BASELINE_FILE",
    "GOLDEN_DIR",
    "METRICS",
    "GoldenScore",
    "engine_fingerprint",
    "evaluate_golden",
    "golden_table",
    "load_baseline",
    "ndcg_at",
    "regressions",
    "score_golden",
    "ungrounded_items",
    "update_baseline",
]

PACKAGE_DIR = Path(__file__).resolve().parent
GOLDEN_DIR = PACKAGE_DIR / "data" / "golden"
BASELINE_FILE = GOLDEN_DIR / "baseline.json"
METRICS = ("ndcg@10", "deal_breaker_recall", "grounding")
AS_OF = date(2026, 12, 1)  # a fixed day: years of experience, and so seniority, do not drift with the clock
TOLERANCE = 1e-6  # floating-point noise, not a quality change
_MEMO: dict[str, GoldenScore] = {}


@dataclass
class GoldenScore:
    """The three figures, each person's own, and what produced them."""

    figures: dict[str, float]
    per_person: dict[str, dict[str, Any]]
    engine: str
    fingerprint: str
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    cached: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GoldenScore:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def ndcg_at(scores: dict[str, int], grades: dict[str, int], k: int = 10) -> float:
    """NDCG@k: postings ranked by score (ties by id), gain 2^grade - 1, log2 discount, ideal over all
    graded postings; 1.0 when the person has no relevant posting at all."""
    ranked = sorted(scores, key=lambda pid: (-scores[pid], pid))[:k]
    dcg = sum((2 ** grades.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 1.0


_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def ungrounded_items(tailored: str, cv_text: str, absent_facts: list[str]) -> list[str]:
    """What a tailored CV states that its CV does not: labelled absent facts (whole words, any case),
    years and e-mail addresses."""
    found: list[str] = []
    lower = tailored.lower()
    for fact in absent_facts:
        pattern = rf"(?<!\w){re.escape(fact.lower())}(?!\w)"
        if re.search(pattern, lower):
            found.append(fact)
    cv_years = set(_YEAR.findall(cv_text))
    found += sorted({f"year:{y}" for y in _YEAR.findall(tailored) if y not in cv_years})
    cv_lower = cv_text.lower()
    found += sorted({f"email:{e}" for e in _EMAIL.findall(tailored) if e.lower() not in cv_lower})
    return found


def score_golden(
    results: dict[str, Any],
    labels: dict[str, Any],
    personas: dict[str, Any],
    cv_texts: dict[str, str],
    packages_ok: dict[str, bool],
) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    """The set's figures and each person's (NDCG@10, deal-breakers flagged of labelled, grounding)."""
    per: dict[str, dict[str, Any]] = {}
    flagged_total = labelled_total = 0
    for pid in personas:
        scores = results.get("screenings", {}).get(pid, {})
        grades = labels.get("relevance", {}).get(pid, {})
        labelled = set(labels.get("deal_breakers", {}).get(pid, []))
        flagged = labelled & set(results.get("deal_breakers_flagged", {}).get(pid, []))
        flagged_total += len(flagged)
        labelled_total += len(labelled)
        tailored = results.get("tailored_cv_text", {}).get(pid)
        items = (
            ungrounded_items(tailored, cv_texts.get(pid, ""), personas[pid].get("absent_facts", []))
            if tailored
            else []
        )
        if tailored and not packages_ok.get(pid, False):
            items.append("package refused by its grounding check")
        per[pid] = {
            "ndcg@10": round(ndcg_at(scores, grades), 4) if scores else 0.0,
            "deal_breakers_flagged": f"{len(flagged)}/{len(labelled)}",
            "missed_deal_breakers": sorted(labelled - flagged),
            "grounded": None if not tailored else not items,
            "ungrounded": items,
        }
    tailored_people = [p for p in per.values() if p["grounded"] is not None]
    figures = {
        "ndcg@10": round(sum(p["ndcg@10"] for p in per.values()) / len(per), 4) if per else 0.0,
        "deal_breaker_recall": round(flagged_total / labelled_total, 4) if labelled_total else 1.0,
        "grounding": round(sum(p["grounded"] for p in tailored_people) / len(tailored_people), 4)
        if tailored_people
        else 0.0,
    }
    return figures, per


NOT_MATCHING = frozenset(
    {
        "delivery",
        "warehouse",
        "net",
        "sample_inbox",
        "definitions.py",
        "batch.py",
        "inbox.py",
        "inbox_cursor.py",
        "s3inbox.py",
        "trail.py",
    }
)
"""Parts of ``jobland_pipeline`` that cannot change the golden figures (delivery, storage, HTTP, the
inbox, run bookkeeping): leaving them out of the fingerprint keeps the cache across their edits."""


def engine_fingerprint(engine: str, package_dir: Path = PACKAGE_DIR) -> str:
    """A digest of everything that decides the set's figures: the engine's name and every code and data
    file of ``jobland_pipeline`` but those in ``NOT_MATCHING`` (and the baseline itself). A new module
    counts by default, so a cached result never hides a change to matching; unchanged code reuses it."""
    digest = hashlib.sha256(engine.encode())
    for path in sorted(package_dir.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path == BASELINE_FILE:
            continue
        if path.suffix in {".pyc", ".pyo"} or NOT_MATCHING & set(path.relative_to(package_dir).parts):
            continue
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def evaluate_golden(
    engine: str = "offline",
    *,
    set_dir: Path = GOLDEN_DIR,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> GoldenScore:
    """Run the engine over the golden set and score it (cached per fingerprint in this process and,
    with ``cache_dir``, in ``<cache_dir>/golden-<engine>-<fingerprint>.json`` across runs)."""
    from jobland_pipeline.evaluation import run_set
    from jobland_pipeline.llm import get_engine

    fingerprint = engine_fingerprint(engine) if set_dir == GOLDEN_DIR else _dir_digest(engine, set_dir)
    key = f"{engine}-{fingerprint}"
    cache_file = cache_dir / f"golden-{key}.json" if cache_dir else None
    if use_cache and key in _MEMO:
        return GoldenScore.from_json({**_MEMO[key].to_json(), "cached": True})
    if use_cache and cache_file and cache_file.is_file():
        score = GoldenScore.from_json({**json.loads(cache_file.read_text(encoding="utf-8")), "cached": True})
        _MEMO[key] = score
        return score
    started = time.perf_counter()
    run = run_set(set_dir, get_engine(engine), as_of=AS_OF)
    labels = json.loads((set_dir / "labels.json").read_text(encoding="utf-8"))
    personas = json.loads((set_dir / "personas.json").read_text(encoding="utf-8"))
    figures, per = score_golden(run.results, labels, personas, run.cv_texts, run.packages_ok)
    score = GoldenScore(
        figures, per, engine, fingerprint, round(time.perf_counter() - started, 2), run.problems
    )
    _MEMO[key] = score
    if cache_file:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(score.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(cache_file)  # atomic: parallel runs never read half a file
    return score


def _dir_digest(engine: str, set_dir: Path) -> str:
    """A set outside the package: its own files join the engine's fingerprint."""
    digest = hashlib.sha256(engine_fingerprint(engine).encode())
    for path in sorted(p for p in set_dir.rglob("*") if p.is_file() and p.name != "baseline.json"):
        digest.update(
            path.relative_to(set_dir).as_posix().encode() + hashlib.sha256(path.read_bytes()).digest()
        )
    return digest.hexdigest()[:16]


def load_baseline(path: Path = BASELINE_FILE) -> dict[str, Any] | None:
    """The stored baseline (figures, per person, who/when/why and its history), or None."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def regressions(score: GoldenScore, baseline: dict[str, Any] | None) -> list[str]:
    """Each figure that fell below the baseline, in words (empty: no regression)."""
    if baseline is None:
        return ["no baseline: run `jobland eval --update-baseline --reason ...`"]
    out = []
    for metric in METRICS:
        before = float(baseline["figures"].get(metric, 0.0))
        now = float(score.figures.get(metric, 0.0))
        if now < before - TOLERANCE:
            out.append(f"{metric} fell from {before:.4f} to {now:.4f}")
    return out


def update_baseline(
    score: GoldenScore, *, reason: str, who: str | None = None, path: Path = BASELINE_FILE
) -> dict[str, Any]:
    """Store ``score`` as the new baseline: only with a reason, recording who and when, and keeping the
    previous baselines' figures in ``history``."""
    if not reason.strip():
        raise ValueError("the baseline moves only with a reason (--reason)")
    old = load_baseline(path)
    history = list(old.get("history", [])) if old else []
    if old:
        history.append(
            {k: old[k] for k in ("figures", "updated_by", "updated_at", "reason", "fingerprint") if k in old}
        )
    data = {
        "figures": score.figures,
        "per_person": score.per_person,
        "engine": score.engine,
        "fingerprint": score.fingerprint,
        "updated_by": who or os.environ.get("GIT_AUTHOR_NAME") or getpass.getuser(),
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "reason": reason.strip(),
        "history": history,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return data


def golden_table(per_person: dict[str, dict[str, Any]], baseline: dict[str, dict[str, Any]]) -> str:
    """Each person's figures beside the baseline's, as a Markdown table (the check's metadata, the CLI)."""
    lines = [
        "| person | NDCG@10 | baseline | deal-breakers flagged | baseline | grounded | ungrounded |",
        "|---|---|---|---|---|---|---|",
    ]
    for pid, now in per_person.items():
        was = baseline.get(pid, {})
        grounded = {True: "yes", False: "no", None: "n/a"}[now.get("grounded")]
        was_ndcg = f"{was['ndcg@10']:.4f}" if "ndcg@10" in was else "-"
        lines.append(
            f"| {pid} | {now['ndcg@10']:.4f} | {was_ndcg} | "
            f"{now['deal_breakers_flagged']} | {was.get('deal_breakers_flagged', '-')} | {grounded} | "
            f"{', '.join(now.get('ungrounded', [])) or '-'} |"
        )
    return "\n".join(lines)
