"""Matching at daily-batch scale: one profile x 10,000 postings, and the stage-1 matrix 100,000 x 1,000.

The issue's targets: screening 10,000 postings against one profile in <= 5 s, and a stage-1 score
matrix of 100,000 postings x 1,000 profiles in <= 60 s on 2 cores.

Inputs, all made deterministically from a seed:

- postings: recombined from real and sample postings (the bundled sample postings, the development
  set ../shared/eval/postings.jsonl and the 719 real LinkedIn postings in
  ../shared/fixtures/real/postings/linkedin_jobs_m5991.csv, each when present). Posting ``i`` takes
  a source posting's title (40% with a seniority word added), a company and a place from other
  postings, and its description paragraphs, 30% of them swapped for paragraphs of other postings in
  the same language and the middle ones shuffled; 40% of the titles (not Chinese) get a place, a
  shift or a contract appended, as job boards' titles do. Posting ``i`` depends only on (seed, i),
  so worker processes make their own share;
- profiles: CV texts recombined from sample and real CVs (the sample inbox, tests/fixtures/cvs, the
  development set's personas when present): a base CV's header, and each of its summary,
  experience, skills, education, certifications and languages sections taken, with probability 0.5,
  from another CV in the same language; then ``build_profile`` (intake, not timed).

Figures:

1. one profile x N postings (``--single``, 10,000): *cold* = every posting analysed, then screened
   (``screen_postings`` in one process, and ``stage1.screen_parallel`` over the workers); *warm* =
   screened with the analyses cached, which is what the pipeline pays per user (a posting is analysed
   once per content and screened for every user whose search finds it); *two-stage warm* = stage-1 for
   all N (from their features, made once per posting), full screening of the stage-1 top 100 only;
2. shortlist recall: the full score's top 10 within the stage-1 top K (K = 50, 100), on the
   development set if present, else on the sample postings; and for the same people over the N
   synthetic postings plus those;
3. the matrix (``--postings`` x ``--profiles``): per-posting stage-1 features (once a day, for every
   profile), then the timed stage-1 computation: CV indexes, the profiles matrix, the postings matrix,
   the products, the bound and the top K per profile, in ``--workers`` processes.

The last line is ``per_10k_postings_s: X  matrix_100k_x_1k_s: Y`` (what X and Y are is printed above
it). Takes ~15 minutes at the defaults on 2 cores, most of it making the inputs (analysing the
10,000 postings twice, the features of the other 90,000, 1,000 profiles).

    python bench/matching.py [--postings 100000] [--profiles 1000] [--single 10000] [--k 100] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import platform
import random
import re
import resource
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
import scipy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobland_pipeline.documents import extract_file
from jobland_pipeline.lexicon.lang import detect_language
from jobland_pipeline.postings import Posting, load_postings
from jobland_pipeline.postings.normalize import clean_description
from jobland_pipeline.profiles import Profile, build_profile
from jobland_pipeline.profiles.sections import split_sections
from jobland_pipeline.screening import analysis, stage1
from jobland_pipeline.screening.score import screen_postings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE_POSTINGS = ROOT / "jobland_pipeline" / "data" / "postings" / "sample_postings.jsonl"
SAMPLE_INBOX = ROOT / "jobland_pipeline" / "data" / "sample_inbox"
REAL_CVS = ROOT / "tests" / "fixtures" / "cvs"
EVAL = SHARED / "eval"
LINKEDIN = SHARED / "fixtures" / "real" / "postings" / "linkedin_jobs_m5991.csv"
AS_OF = date(2026, 11, 27)
CV_SUFFIXES = {".pdf", ".docx", ".txt"}
SECTIONS = ("summary", "experience", "skills", "education", "certifications", "languages")
HEADINGS = {
    "summary": "Summary",
    "experience": "Experience",
    "skills": "Skills",
    "education": "Education",
    "certifications": "Certifications",
    "languages": "Languages",
}
LEVELS = ("Senior ", "Junior ", "Lead ", "Principal ", "Staff ")
SUFFIXES = (" - {city}", " ({city})", " (Contract)", " - Days", " - Evenings", " - Part Time", " II")
TOP = 10
_HAN = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- inputs


def posting_sources() -> list[Posting]:
    """Real and sample postings to recombine (each source only when present)."""
    out = load_postings(SAMPLE_POSTINGS)
    if (EVAL / "postings.jsonl").is_file():
        out += load_postings(EVAL / "postings.jsonl")
    if LINKEDIN.is_file():
        with LINKEDIN.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                description = clean_description(row["description"] or "")[:60_000]
                if row["title"].strip() and description:
                    out.append(
                        Posting(
                            id=f"li-{row['job_id']}",
                            title=row["title"].strip()[:300],
                            company=(row["company"] or "?").strip()[:200] or "?",
                            location=(row["location"] or "")[:300],
                            description=description,
                            source="linkedin",
                        )
                    )
    return out


class SyntheticPostings:
    """Posting ``i`` recombined from the sources with ``random.Random(f"{seed}:{i}")``."""

    def __init__(self, sources: list[Posting], seed: int) -> None:
        self.sources, self.seed = sources, seed
        self.language = [detect_language(f"{p.title}\n{p.description[:2000]}") for p in sources]
        self.paragraphs: dict[str, list[str]] = {}
        for p, lang in zip(sources, self.language, strict=True):
            self.paragraphs.setdefault(lang, []).extend(x for x in p.description.split("\n\n") if x.strip())
        self.companies = sorted({p.company for p in sources})
        self.places = sorted({p.location for p in sources if p.location})

    def make(self, i: int) -> Posting:
        rng = random.Random(f"{self.seed}:{i}")
        j = rng.randrange(len(self.sources))
        src, lang = self.sources[j], self.language[j]
        pool = self.paragraphs[lang]
        body = [
            x if rng.random() >= 0.3 else rng.choice(pool) for x in src.description.split("\n\n") if x.strip()
        ]
        if len(body) > 3:
            middle = body[1:-1]
            rng.shuffle(middle)
            body = [body[0], *middle, body[-1]]
        company = rng.choice(self.companies)
        place = rng.choice(self.places)
        title = src.title
        if not _HAN.search(title):
            if rng.random() < 0.4:
                title = rng.choice(LEVELS) + title
            if rng.random() < 0.4:  # job boards' titles carry a place, a shift or a contract
                title += rng.choice(SUFFIXES).format(city=place.split(",")[0].strip())
        return src.model_copy(
            update={
                "id": f"syn-{i:06d}",
                "title": title[:300],
                "company": company,
                "location": place,
                "remote": rng.choice([False, False, True, "hybrid"]),
                "description": "\n\n".join(body).replace(src.company, company)[:60_000],
                "url": None,
                "source": "synthetic",
            }
        )

    def many(self, start: int, stop: int) -> list[Posting]:
        return [self.make(i) for i in range(start, stop)]


def cv_sources() -> list[tuple[str, str, str]]:
    """(name, text, language) of the sample, real and (when present) development-set CVs."""
    paths = [f for d in sorted(SAMPLE_INBOX.iterdir()) if d.is_dir() for f in sorted(d.iterdir())]
    paths += sorted(REAL_CVS.iterdir())
    if (EVAL / "personas").is_dir():
        paths += sorted((EVAL / "personas").glob("*.txt"))
    out = []
    for path in paths:
        if path.suffix.lower() in CV_SUFFIXES:
            text = extract_file(path).text
            out.append((path.stem, text, detect_language(text)))
    return out


def synthetic_cv(bases: list[tuple[str, str, str]], i: int, seed: int) -> tuple[str, str]:
    """(language, text): a base CV with some sections taken from other CVs in its language."""
    rng = random.Random(f"cv:{seed}:{i}")
    name, text, lang = bases[i % len(bases)]
    same = [b for b in bases if b[2] == lang and b[0] != name]
    sections = {s.name: s for s in split_sections(text)}
    header = sections.pop("header", None)
    lines = list(header.lines) if header else []
    for key in SECTIONS:
        section = sections.get(key)
        if same and rng.random() < 0.5:
            donor = {s.name: s for s in split_sections(rng.choice(same)[1])}.get(key)
            section = donor or section
        if section and section.lines:
            lines += ["", section.heading or HEADINGS[key], *section.lines]
    return lang, "\n".join(lines)


# --------------------------------------------------------------------------- workers (fork)

_STATE: dict[str, object] = {}


def _features_span(span: tuple[int, int]) -> list[stage1.PostingFeatures]:
    maker = _STATE["maker"]
    assert isinstance(maker, SyntheticPostings)
    return [stage1.features(maker.make(i)) for i in range(*span)]


def _profile_span(span: tuple[int, int]) -> list[tuple[Profile, str]]:
    bases, seed = _STATE["cv_bases"], _STATE["seed"]
    out = []
    for i in range(*span):
        lang, text = synthetic_cv(bases, i, seed)  # type: ignore[arg-type]
        out.append((build_profile(text, user_id=f"p{i:04d}", language=lang, as_of=AS_OF), text))
    return out


def _spans(start: int, stop: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(i + size, stop)) for i in range(start, stop, size)]


def _pool_map(fn, spans: list[tuple[int, int]], workers: int) -> list:  # type: ignore[no-untyped-def]
    if workers <= 1:
        return [x for span in spans for x in fn(span)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return [x for part in pool.map(fn, spans) for x in part]


# --------------------------------------------------------------------------- figures


def _top(scores: Sequence[tuple[str, float]], n: int) -> list[str]:
    return [pid for pid, _ in sorted(scores, key=lambda x: (-x[1], x[0]))[:n]]


def shortlist_recall(
    people: list[tuple[Profile, str]], postings: list[Posting], ks: Sequence[int], workers: int
) -> tuple[dict[int, float], float]:
    """Mean over people of |full top 10 in the stage-1 top K| / 10, and the share of people whose
    stage-1 top K is certified to hold the full top 10 (10th full score >= best bound left out)."""
    feats = [stage1.features(p, analysis.analyse(p)) for p in postings]
    pm = stage1.profile_matrix([stage1.cv_index(profile, text) for profile, text in people])
    kmax = max(ks)
    values, index = stage1.shortlist(pm, feats, kmax + 1, workers=workers)
    found = dict.fromkeys(ks, 0.0)
    certified = 0
    for i, (profile, text) in enumerate(people):
        full = stage1.screen_parallel(profile, postings, cv_text=text, workers=workers)
        scored = [(s.posting_id, float(s.score)) for s in full]
        best = set(_top(scored, TOP))
        for k in ks:
            found[k] += len(best & {postings[j].id for j in index[i, :k]}) / min(TOP, len(postings))
        by_id = dict(scored)
        tenth = sorted((by_id[postings[j].id] for j in index[i, :kmax]), reverse=True)[TOP - 1]
        certified += bool(values.shape[1] <= kmax or tenth >= values[i, kmax])
    return {k: v / len(people) for k, v in found.items()}, certified / len(people)


def machine(workers: int) -> None:
    cpu = platform.processor() or "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            x.split(":", 1)[1].strip() for x in cpuinfo.read_text().splitlines() if x.startswith("model name")
        ]
        cpu = models[0] if models else cpu
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        mem = f", {int(meminfo.read_text().split()[1]) / 1024 / 1024:.1f} GiB RAM"
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"machine: {platform.system()} {platform.machine()}, {cpu}, {cores} cores usable{mem}")
    print(f"load average at start (1/5/15 min): {load}  (other work on the machine slows every figure)")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}; workers {workers}"
    )


def peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest finished child (Linux: KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--profiles", type=int, default=1_000)
    parser.add_argument("--single", type=int, default=10_000, help="postings for the one-profile figures")
    parser.add_argument("--k", type=int, default=100, help="shortlist size per profile")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--block", type=int, default=stage1.BLOCK)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress shows in a log file
    machine(args.workers)

    started = time.perf_counter()
    sources = posting_sources()
    maker = SyntheticPostings(sources, args.seed)
    bases = cv_sources()
    _STATE.update(maker=maker, cv_bases=bases, seed=args.seed)
    people = _pool_map(_profile_span, _spans(0, args.profiles, 50), args.workers)
    single = maker.many(0, min(args.single, args.postings))
    langs: dict[str, int] = {}
    for _, _, lang in bases:
        langs[lang] = langs.get(lang, 0) + 1
    print(
        f"inputs (seed {args.seed}): {len(sources)} source postings ({len(maker.paragraphs)} languages), "
        f"{len(bases)} source CVs {langs}; {args.profiles} profiles built (build_profile, intake) and "
        f"{len(single)} postings made in {time.perf_counter() - started:.1f} s"
    )

    # ---- 1. one profile x N postings
    profile, cv_text = people[0]
    print(f"\n== one profile ({profile.headline or profile.user_id!r}) x {len(single)} postings")
    analysis._CACHE.clear()
    t = time.perf_counter()
    stage1.screen_parallel(profile, single, cv_text=cv_text, workers=args.workers)
    cold_par = time.perf_counter() - t
    t = time.perf_counter()
    screen_postings(profile, single, cv_text=cv_text)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    screen_postings(profile, single, cv_text=cv_text)
    warm = time.perf_counter() - t
    t = time.perf_counter()
    stage1.screen_parallel(profile, single, cv_text=cv_text, workers=args.workers)
    warm_par = time.perf_counter() - t
    t = time.perf_counter()
    feats = [stage1.features(p, analysis.analyse(p)) for p in single]
    feats_s = time.perf_counter() - t
    t = time.perf_counter()
    pm1 = stage1.profile_matrix([stage1.cv_index(profile, cv_text)])
    _, idx = stage1.shortlist(pm1, feats, 100, workers=1)
    screen_postings(profile, [single[j] for j in idx[0]], cv_text=cv_text)
    two_stage = time.perf_counter() - t
    n = len(single)
    print(
        f"cold, 1 process:            {cold:7.2f} s  ({cold / n * 1000:.2f} ms a posting: analysis + screening)"
    )
    print(
        f"cold, {args.workers} processes:          {cold_par:7.2f} s  (stage1.screen_parallel, analyses made in the workers)"
    )
    print(
        f"warm, 1 process:            {warm:7.2f} s  ({warm / n * 1000:.3f} ms a posting: screening, analyses cached)"
    )
    print(
        f"warm, {args.workers} processes:          {warm_par:7.2f} s  (forked workers inherit the cached analyses)"
    )
    print(
        f"two-stage warm, 1 process:  {two_stage:7.2f} s  (stage-1 of all {n} from their features, full "
        f"screening of its top 100; the features, made once per posting from its analysis: {feats_s:.2f} s)"
    )
    per_10k = warm_par * 10_000 / n

    # ---- 2. shortlist recall
    ks = (50, 100)
    if (EVAL / "personas.json").is_file():
        personas = json.loads((EVAL / "personas.json").read_text(encoding="utf-8"))
        judged = []
        for pid, persona in personas.items():
            doc = extract_file(EVAL / persona["file"])
            judged.append(
                (build_profile(doc.text, user_id=pid, language=doc.language, as_of=AS_OF), doc.text)
            )
        pool = load_postings(EVAL / "postings.jsonl")
        where = f"development set ({len(judged)} personas x {len(pool)} postings)"
    else:
        judged = [people[i] for i in range(min(10, len(people)))]
        pool = load_postings(SAMPLE_POSTINGS)
        where = (
            f"sample postings ({len(judged)} synthetic profiles x {len(pool)} postings; no ../shared/eval)"
        )
    t = time.perf_counter()
    recall, certified = shortlist_recall(judged, pool, ks, args.workers)
    print(f"\n== shortlist recall: full top {TOP} (ties by posting id) within the stage-1 top K (by bound)")
    print(
        f"{where}: "
        + ", ".join(f"K={k} {recall[k]:.3f}" for k in ks)
        + f"; certified complete at K={max(ks)}: "
        f"{certified:.0%} of people ({time.perf_counter() - t:.0f} s)"
    )
    big = [*single, *pool]
    recall, certified = shortlist_recall(judged, big, ks, args.workers)
    print(
        f"same people x {len(big)} postings ({len(single)} synthetic + those): "
        + ", ".join(f"K={k} {recall[k]:.3f}" for k in ks)
        + f"; certified at K={max(ks)}: {certified:.0%}"
    )

    # ---- 3. the matrix
    print(f"\n== stage-1 matrix: {args.postings} postings x {args.profiles} profiles, top {args.k} each")
    t = time.perf_counter()
    rest = _pool_map(_features_span, _spans(len(single), args.postings, 2_000), args.workers)
    made = time.perf_counter() - t
    postings = [*feats, *rest]
    del rest
    distinct = len({f.title_terms for f in postings})
    print(
        f"per-posting features (stage1.features, once a day whatever the number of profiles): "
        f"{len(postings) - len(feats)} in {made:.1f} s on {args.workers} processes "
        f"({made * args.workers / max(1, len(postings) - len(feats)) * 1000:.2f} ms a posting; the other "
        f"{len(feats)} from their cached analyses); {distinct} distinct title term sets"
    )
    del single
    analysis._CACHE.clear()
    clock: dict[str, float] = {}
    t0 = time.perf_counter()
    indexes = [stage1.cv_index(p, text) for p, text in people]
    t1 = time.perf_counter()
    pm = stage1.profile_matrix(indexes)
    for start, stop in pm.chunks():
        pm.dense(start, stop)
    t2 = time.perf_counter()
    values, _ = stage1.shortlist(pm, postings, args.k, workers=args.workers, block=args.block, timings=clock)
    t3 = time.perf_counter()
    matrix_s = t3 - t0
    print(f"CV indexes (index_cv) of {len(people)} profiles:   {t1 - t0:6.2f} s")
    print(
        f"profiles matrix:                        {t2 - t1:6.2f} s  ({len(pm.vocabulary)} CV words, "
        f"{len(pm.held_profile)} held titles, {len(pm.title_vocabulary)} title terms)"
    )
    print(
        f"postings blocks -> top {args.k} (wall):       {t3 - t2:6.2f} s  ({args.workers} processes, blocks of {args.block})"
    )
    for key in ("distinct titles", "title product", "postings matrix", "words product", "bound", "top-k"):
        print(f"  {key + ':':38s} {clock.get(key, 0.0):6.2f} s  (summed over the processes)")
    print(f"whole stage-1 computation:              {matrix_s:6.2f} s")
    own, child = peak_mb()
    print(
        f"peak memory: this process {own:.0f} MB, largest worker {child:.0f} MB (shared pages counted in both)"
    )
    print("load average at the end (1/5/15 min): " + " / ".join(f"{x:.2f}" for x in os.getloadavg()))
    best = values[:, 0]
    print(
        f"bound of each profile's best posting: median {np.median(best):.1f}, "
        f"K-th {np.median(values[:, -1]):.1f} (0-100)"
    )
    scale = (100_000 * 1_000) / (args.postings * args.profiles)
    print(
        "\nX = warm screening of 10,000 postings for one profile on "
        f"{args.workers} processes (analyses cached: the pipeline's cost per user){'' if n == 10_000 else f', scaled from {n}'}"
    )
    print(
        "Y = the stage-1 computation from per-posting features to each profile's top K: CV indexes, profiles "
        f"matrix, postings matrix, products, bound, top-k, {args.workers} processes"
        + ("" if scale == 1 else f" (scaled x{scale:.2f} from {args.postings} x {args.profiles})")
    )
    print(f"per_10k_postings_s: {per_10k:.2f}  matrix_100k_x_1k_s: {matrix_s * scale:.2f}")


if __name__ == "__main__":
    main()
