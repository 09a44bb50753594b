"""The daily search batch: the per-search path production ran before vs the batch it runs now.

Generates N engine answers deterministically (HTML descriptions of 500-3,000 characters, some of them
entity-escaped as Greenhouse sends them, tracking URLs, ~15% exact duplicates found by another engine,
~5% re-posts and staffing-agency copies) and the searches of one daily run: each job and its copies
answer one query, and each query is asked by ``--users-per-title`` users whose searches share the
answer, as ``SharedSearches`` makes them. Then, each in a fresh Python process, from the same JSONL:

(a) before: the code of commit ``--rev`` (the last one before the batch), as production ran it, with
    today's title vocabulary (``jobland_pipeline/lexicon`` and ``taxonomy``: relevance moves with
    them, and it is not what is measured): every answer turned into a Posting by the engines' per-row
    code (json.loads, clean_description, validation), then ``stage.run_search`` search by search, as
    the asset's ``for_each_key`` called it (relevance, ``dedupe_postings`` on the best 40,
    fingerprint, canonical_url, salary, registry, records), then the frames the asset wrote from
    them (``Table.frame``, as ``write_records`` did);
(b) now: the same per-row engine code with today's cleaning as the engines call it (``clean_posting_text``:
    each distinct text once per process), then ``stage.run_searches`` on
    the whole batch: the function the asset calls, which makes the frames written itself.

Both keep every search's three frames (job_postings, posting_sources, posting_registry), which must
be identical. One-off loading (lexicon, gazetteer,
Unicode tables) happens on other generated data before the clock starts. The previous bench's per-row
yardstick (``baseline()`` of ``--rev``: parse, clean, validate, fingerprint, canonical URL, exact
de-duplication loop, no records) is timed too.

Each side runs ``--repeat`` times (alternately, each run in a fresh process) and the medians are
reported; every run's records are compared.

    python bench/discovery.py [--rows 20000] [--searches 500] [--users-per-title 2] [--seed 7] [--rev REV]
                              [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from gittree import unpack  # bench/, beside this script

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "5d8ab07189470e03ea89c322c005993efe9074b3"  # the last commit whose asset searched key by key
TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)

ENGINES = ["greenhouse", "lever", "serpapi", "exa", "linkedin", "indeed"]
TRACKING = [
    "utm_source={e}&utm_medium=jobs&utm_campaign=feed",
    "gclid=Cj0K{n}",
    "trk=public_jobs&refId={n}",
    "src=aggr",
]
LEVELS = ["", "Senior", "Junior", "Lead", "Principal", "Staff"]
FIELDS = [
    "Data",
    "Software",
    "Backend",
    "Frontend",
    "Platform",
    "Cloud",
    "Security",
    "Mobile",
    "ICU",
    "Pediatric",
]
ROLES = [
    "Engineer",
    "Analyst",
    "Scientist",
    "Nurse",
    "Manager",
    "Developer",
    "Architect",
    "Designer",
    "Consultant",
]
FOCUS = [
    "Payments",
    "Search",
    "Growth",
    "Infrastructure",
    "Analytics",
    "Oncology",
    "Billing",
    "Identity",
    "Logistics",
]
WORDS = [
    "build",
    "maintain",
    "design",
    "deliver",
    "scalable",
    "reliable",
    "patient",
    "care",
    "services",
    "pipelines",
    "platform",
    "customers",
    "collaborate",
    "stakeholders",
    "product",
    "clinical",
    "teams",
    "operate",
    "monitor",
    "improve",
    "quality",
    "safety",
    "data",
    "models",
    "systems",
    "cloud",
    "kubernetes",
    "python",
    "sql",
    "spark",
    "airflow",
    "dashboards",
    "reporting",
    "compliance",
    "audits",
    "documentation",
    "mentoring",
    "hiring",
    "roadmap",
    "architecture",
    "incidents",
    "latency",
    "throughput",
    "budgets",
    "vendors",
    "contracts",
    "training",
    "schedules",
    "shifts",
    "certification",
    "license",
    "experience",
    "degree",
    "benefits",
    "pension",
    "insurance",
    "leave",
    "equity",
]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


ZH_SENTENCES = [
    "负责数据平台的设计与开发。",
    "与产品团队合作，提升系统稳定性。",
    "三年以上相关工作经验。",
    "熟悉Python和SQL。",
    "提供五险一金和带薪年假。",
]


def _description(rng: random.Random, company: str, title: str) -> str:
    target = rng.randint(500, 3000)
    if rng.random() < 0.03:  # a Chinese posting
        text = "".join(rng.choice(ZH_SENTENCES) for _ in range(target // 15))
        return f"<p>{company}招聘{title}。</p><p>{text}</p>"
    intro = rng.choice(
        ["we&#39;re growing", "we’re growing — fast", "café • lounge included", "we are growing"]
    )
    parts = [f"<p>{company} is hiring a {title} &amp; {intro}.</p>"]
    size = len(parts[0])
    while size < target:
        if rng.random() < 0.35:
            items = "".join(f"<li>{_sentence(rng)}</li>" for _ in range(rng.randint(2, 5)))
            block = f"<h3>Responsibilities</h3><ul>{items}</ul>"
        else:
            block = f"<p>{' '.join(_sentence(rng) for _ in range(rng.randint(2, 4)))}&nbsp;</p>"
        parts.append(block)
        size += len(block)
    if rng.random() < 0.1:
        parts.insert(1, "<script>track('view')</script><style>p{color:red}</style><!-- ad slot -->")
    html = "\n".join(parts)
    if rng.random() < 0.1:  # Greenhouse double-encodes its content
        html = html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return html


def _url(rng: random.Random, engine: str, slug: str, job: int) -> str:
    base = f"https://Boards.{engine}.example/{slug}/jobs/{job}"
    if rng.random() < 0.7:
        base += "?" + rng.choice(TRACKING).format(e=engine, n=rng.randint(1, 10**6))
    return base + ("#apply" if rng.random() < 0.2 else "")


def generate(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    companies = [
        f"{rng.choice(['North', 'Blue', 'Acme', 'Vertex', 'Cedar', 'Lumen'])}{i} {rng.choice(['Health', 'Labs', 'Systems', 'Group'])}"
        for i in range(3000)
    ]
    agencies = [
        f"{rng.choice(['Apex', 'Prime', 'Summit'])}{i} {rng.choice(['Staffing', 'Recruitment', 'Talent Partners'])}"
        for i in range(60)
    ]
    cities = [f"City{i}, {rng.choice(['IL', 'NY', 'CA', 'London', 'Berlin'])}" for i in range(400)]
    rows: list[dict] = []
    base: list[dict] = []
    n_base = int(n * 0.80)
    for i in range(n_base):
        company = rng.choice(companies)
        level = rng.choice(LEVELS)
        title = " ".join(w for w in (level, rng.choice(FIELDS), rng.choice(ROLES), rng.choice(FOCUS)) if w)
        engine = rng.choice(ENGINES)
        row = {
            "id": f"{engine}-{i}",
            "title": title,
            "company": company + rng.choice(["", "", " Inc.", " LLC"]),
            "location": rng.choice(cities),
            "remote": rng.choice(["true", "false", "hybrid"]),
            "employment_type": "full_time",
            "posted_at": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "salary": rng.choice([None, "$120,000 - $150,000 a year", "£45k"]),
            "url": _url(rng, engine, company.split()[0].lower(), i),
            "description": _description(rng, company, title),
            "source": engine,
            "source_id": str(i),
            "apply_url": None,
            "_job": i,
        }
        base.append(row)
        rows.append(row)
    extra = n - n_base
    for k in range(extra):
        original = rng.choice(base)
        engine = rng.choice(ENGINES)
        copy = {**original, "id": f"{engine}-dup-{k}", "source": engine, "source_id": f"d{k}"}
        kind = rng.random()
        if kind < 0.75:  # exact duplicate found by another engine (same job, other URL or tracking)
            copy["title"] = rng.choice(
                [original["title"], original["title"] + " (Remote)", original["title"].upper()]
            )
            if rng.random() < 0.5:
                copy["url"] = original["url"].split("?")[0] + "?utm_source=" + engine
            else:
                copy["url"] = _url(rng, engine, "mirror", k)
        elif kind < 0.9:  # re-post: one more title word, same text, new URL
            copy["title"] = original["title"] + " " + rng.choice(["Team Lead", "Specialist", "Onsite"])
            copy["url"] = _url(rng, original["source"], "repost", k)
            copy["description"] = original["description"].replace("</p>", " Apply today.</p>", 1)
        else:  # staffing agency copy
            copy["company"] = rng.choice(agencies)
            copy["url"] = _url(rng, engine, "agency", k)
            copy["description"] = (
                "<p>Our client is hiring; contact our recruiters.</p>" + original["description"]
            )
        rows.append(copy)
    rng.shuffle(rows)
    return rows


def plan(rows: list[dict], searches: int, users_per_title: int) -> dict[str, Any]:
    """The run's searches: queries answered by whole jobs (a job and its copies together), each asked
    by ``users_per_title`` users."""
    n_queries = max(1, searches // users_per_title)
    queries: list[list[int]] = [[] for _ in range(n_queries)]
    for i, row in enumerate(rows):
        queries[row["_job"] % n_queries].append(i)
    keys = []
    for s in range(searches):
        q = s % n_queries
        first = rows[queries[q][0]]["title"] if queries[q] else "Nobody Engineer"
        keys.append({"key": f"user{s // n_queries}::query-{q}", "query": q, "title": first})
    return {"queries": queries, "searches": keys}


# --------------------------------------------------------------------------------------------------
# one side, in its own process, against the tree given


def _engine_postings(lines: list[str], clean: Any, posting: Any) -> list[Any]:
    """What the engines do with each answer: parse it, clean its description, validate it."""
    out = []
    for line in lines:
        raw = json.loads(line)
        raw["description"] = clean(raw.get("description") or "")
        out.append(posting.model_validate(raw))
    return out


def _searches(spec: dict[str, Any], postings: list[Any]) -> list[tuple[str, Any, Any]]:
    from jobland_pipeline.postings.discovery import SearchOutcome
    from jobland_pipeline.profiles.models import TitleSuggestion

    out = []
    for s in spec["searches"]:
        answer = [postings[i] for i in spec["queries"][s["query"]]]
        title = TitleSuggestion(
            title=s["title"], slug=s["key"].split("::")[1], display_title=s["title"], score=80, reason="r"
        )
        outcome = SearchOutcome(
            postings=answer, step="exact" if answer else None, per_engine={"x": len(answer)}
        )
        out.append((s["key"], title, outcome))
    return out


def _run_before(searches: list[tuple[str, Any, Any]]) -> dict[str, Any]:
    from jobland_pipeline.postings import stage
    from jobland_pipeline.profiles.preferences import Preferences

    profile = SimpleNamespace(language="en", contact=SimpleNamespace(location=None))
    settings = stage.SearchSettings(None, 14, 1)
    done = {}
    for key, title, outcome in searches:
        shared = SimpleNamespace(search=lambda _title, _query, o=outcome: o)
        done[key] = stage.run_search(
            key,
            title,
            profile,
            Preferences(),
            shared,
            [],
            settings=settings,
            liveness=None,
            today=TODAY,
            now=NOW,
        )
    return done


def _run_now(searches: list[tuple[str, Any, Any]]) -> dict[str, Any]:
    from jobland_pipeline.postings import stage

    batch = stage.run_searches(
        [stage.Search(key, title, outcome) for key, title, outcome in searches],
        stale_after_days=14,
        liveness=None,
        today=TODAY,
        now=NOW,
    )
    assert not batch.failed, batch.failed
    return batch.done


def _written(found: Any) -> tuple[Any, ...]:
    """The frames the asset writes for a search: made by the batch (now), or from its records by
    ``Table.frame`` as ``write_records`` made them (before)."""
    if hasattr(found, "postings_frame"):
        return found.postings_frame, found.sources_frame, found.registry_frame
    from jobland_pipeline.postings.records import JOB_POSTINGS, POSTING_REGISTRY, POSTING_SOURCES

    return (
        JOB_POSTINGS.frame(found.postings),
        POSTING_SOURCES.frame(found.sources),
        POSTING_REGISTRY.frame(found.registry),
    )


def _side(role: str, tree: Path, data: Path) -> None:
    sys.path.insert(0, str(tree))
    from jobland_pipeline import textutil
    from jobland_pipeline.postings.models import Posting

    # as the engines clean a posting's text: by content, once per process, where the tree has it
    clean_description = getattr(textutil, "clean_posting_text", textutil.clean_description)

    run = _run_before if role == "before" else _run_now
    spec = json.loads((data / "plan.json").read_text(encoding="utf-8"))
    warm = generate(400, spec["seed"] + 1)  # load the one-off tables on other data
    warm_lines = [json.dumps({k: v for k, v in r.items() if k != "_job"}) for r in warm]
    run(_searches(plan(warm, 10, 2), _engine_postings(warm_lines, clean_description, Posting)))
    lines = (data / "postings.jsonl").read_text(encoding="utf-8").splitlines()
    start, cpu_start = time.perf_counter(), time.process_time()
    postings = _engine_postings(lines, clean_description, Posting)
    converted, cpu_converted = time.perf_counter(), time.process_time()
    searches = _searches(spec, postings)
    ready, cpu_ready = time.perf_counter(), time.process_time()
    done = run(searches)
    searched = time.perf_counter()
    written = {key: _written(found) for key, found in done.items()}
    finished, cpu_finished = time.perf_counter(), time.process_time()
    records = {key: [frame.to_dicts() for frame in frames] for key, frames in written.items()}
    (data / f"{role}.json").write_text(json.dumps(records, sort_keys=True, default=str), encoding="utf-8")
    figures = {
        "engines": converted - start,
        "search": finished - ready,
        "frames": finished - searched,
        "cpu": cpu_converted
        - cpu_start
        + cpu_finished
        - cpu_ready,  # all threads: the neighbours' load aside
    }
    if role == "before":  # the previous bench's per-row yardstick, from the same tree
        module = importlib.util.spec_from_file_location("before_bench", tree / "bench" / "discovery.py")
        assert module is not None and module.loader is not None
        bench = importlib.util.module_from_spec(module)
        sys.modules["before_bench"] = bench
        module.loader.exec_module(bench)
        start = time.perf_counter()
        bench.baseline(data / "postings.jsonl")
        figures["yardstick"] = time.perf_counter() - start
    print(json.dumps(figures))


# --------------------------------------------------------------------------------------------------
# the driver


def _with_todays_vocabulary(tree: Path) -> None:
    """Today's lexicon and taxonomy (the title vocabulary and its word weights) in the old tree: which
    postings are relevant to a title is a product decision that moves with them (one weight's change
    re-orders near ties), not part of the speed-up measured, and the records could not be compared
    without it. The two packages import nothing else of ours (the lexicon's title weights come from
    the taxonomy)."""
    for package in ("lexicon", "taxonomy"):
        old = tree / "jobland_pipeline" / package
        if not old.is_dir():
            raise SystemExit(f"{package} is not in the tree of --rev: pick a commit that has it")
        shutil.rmtree(old)
        shutil.copytree(
            ROOT / "jobland_pipeline" / package, old, ignore=shutil.ignore_patterns("__pycache__")
        )


def _measure(role: str, tree: Path, data: Path) -> dict[str, float]:
    print(f"running {role} ...", flush=True)
    out = subprocess.run(
        [sys.executable, __file__, "--role", role, "--tree", str(tree), "--data", str(data)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def _compare(data: Path) -> str:
    before = json.loads((data / "before.json").read_text(encoding="utf-8"))
    now = json.loads((data / "now.json").read_text(encoding="utf-8"))
    differing = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    counts = [sum(len(v[t]) for v in now.values()) for t in range(3)]
    what = (
        f"{len(now):,} searches: {counts[0]:,} postings, {counts[1]:,} sources, {counts[2]:,} registry rows"
    )
    if differing:
        return (
            f"records DIFFER for {len(differing)} of {len(before)} searches (first: {differing[0]}); {what}"
        )
    return f"records identical for all {what}"


def _median(figures: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the runs, and the totals' (engines + search) as ``total``."""
    out = {k: statistics.median(f[k] for f in figures) for k in figures[0]}
    out["total"] = statistics.median(f["engines"] + f["search"] for f in figures)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--users-per-title", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rev", default=BEFORE)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; medians reported")
    parser.add_argument("--role", choices=["before", "now"], help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        _side(args.role, args.tree, args.data)
        return
    print(
        f"machine: {platform.machine()} {platform.system()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at start"
    )
    rows = generate(args.rows, args.seed)
    spec = {**plan(rows, args.searches, args.users_per_title), "seed": args.seed}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        path = data / "postings.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps({k: v for k, v in row.items() if k != "_job"}, ensure_ascii=False) + "\n")
        (data / "plan.json").write_text(json.dumps(spec), encoding="utf-8")
        sightings = sum(len(spec["queries"][s["query"]]) for s in spec["searches"])
        chars = sum(len(r["description"]) for r in rows) / len(rows)
        print(
            f"inputs: {len(rows):,} engine answers ({chars:,.0f} description characters on average, "
            f"{path.stat().st_size / 1e6:,.1f} MB JSONL), {len(spec['searches']):,} searches "
            f"({len(spec['queries']):,} queries x {args.users_per_title} users, {sightings:,} answers seen)"
        )
        tree = unpack(args.rev, data / "before", ("jobland_pipeline", "bench"))
        _with_todays_vocabulary(tree)
        runs: list[tuple[dict[str, float], dict[str, float]]] = []
        verdicts = []
        for _ in range(args.repeat):  # alternately, each side in a fresh process: drifts in load hit both
            runs.append((_measure("before", tree, data), _measure("now", ROOT, data)))
            verdicts.append(_compare(data))
    before, now = _median([b for b, _ in runs]), _median([n for _, n in runs])
    verdict = next((v for v in verdicts if "DIFFER" in v), verdicts[0])
    for i, (b, n) in enumerate(runs, 1):
        print(
            f"run {i}: before engines {b['engines']:.2f} s + search {b['search']:.2f} s, "
            f"now engines {n['engines']:.2f} s + search {n['search']:.2f} s: total "
            f"{(b['engines'] + b['search']) / (n['engines'] + n['search']):.1f}x; "
            f"CPU {b['cpu']:.2f} s vs {n['cpu']:.2f} s: {b['cpu'] / n['cpu']:.1f}x"
        )
    print(f"medians of {args.repeat} runs:")
    total_before, total_now = before["total"], now["total"]
    print(
        f"before ({args.rev[:7]}): engines' per-row code {before['engines']:7.2f} s, "
        f"run_search x {len(spec['searches'])} + frames {before['search']:7.2f} s "
        f"(frames {before['frames']:.2f} s), total {total_before:7.2f} s "
        f"({len(rows) / total_before:,.0f} answers/s)"
    )
    print(
        f"now (run_searches):  engines' per-row code {now['engines']:7.2f} s, "
        f"one batch {now['search']:21.2f} s (frames {now['frames']:.2f} s), total {total_now:7.2f} s "
        f"({len(rows) / total_now:,.0f} answers/s)"
    )
    print(verdict)
    print(
        f"previous bench's per-row yardstick ({args.rev[:7]} baseline(), no ranking, fuzzy or records): "
        f"{before['yardstick']:.2f} s"
    )
    print(
        f"ratio: engines' per-row code {before['engines'] / now['engines']:.1f}x, "
        f"search stage {before['search'] / now['search']:.1f}x, "
        f"total {total_before / total_now:.1f}x (vs the yardstick {before['yardstick'] / total_now:.1f}x); "
        f"CPU seconds (all threads) {before['cpu']:.2f} vs {now['cpu']:.2f}: {before['cpu'] / now['cpu']:.1f}x; "
        f"load average {os.getloadavg()[0]:.1f} at the end"
    )


if __name__ == "__main__":
    main()
