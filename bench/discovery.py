"""Normalising and de-duplicating discovered postings: per-row Python vs polars (postings/frame.py).

Generates N synthetic postings deterministically (HTML descriptions of 500-3,000 characters, some of
them entity-escaped as Greenhouse sends them, tracking URLs, ~15% exact duplicates found by another
engine, ~5% re-posts and staffing-agency copies), writes them as JSONL, then times, from that file:

(a) the per-row Python path: json.loads, clean_description, Posting, fingerprint, canonical_url per
    row, then the ``normalize.dedupe`` loop over the precomputed keys;
(b) JobLand's: pl.read_ndjson, normalise_frame, dedupe_frame (exact + fuzzy).

    python bench/discovery.py [--rows 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobland_pipeline.postings.frame import POSTINGS_SCHEMA, dedupe_frame, normalise_frame
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.normalize import canonical_url, clean_description, fingerprint

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


def baseline(path: Path) -> tuple[int, int]:
    """Per-row Python: parse, clean, validate, fingerprint, canonical URL; then the dedupe loop."""
    postings: list[Posting] = []
    keys: list[list[str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            raw = json.loads(line)
            raw["description"] = clean_description(raw.get("description") or "")
            posting = Posting.model_validate(raw)
            postings.append(posting)
            url = canonical_url(posting.url)
            keys.append([f"fp:{fingerprint(posting)}"] + ([f"url:{url}"] if url else []))
    kept: list[Posting] = []
    by_key: dict[str, str] = {}
    merged: dict[str, str] = {}
    for posting, ks in zip(postings, keys, strict=True):  # normalize.dedupe, on the precomputed keys
        existing = next((by_key[k] for k in ks if k in by_key), None)
        if existing is not None:
            merged[posting.id] = existing
            continue
        for k in ks:
            by_key[k] = posting.id
        kept.append(posting)
    return len(postings), len(kept)


def jobland(path: Path) -> tuple[int, int, int, dict[str, int], dict[str, float]]:
    steps = {}
    start = time.perf_counter()
    df = pl.read_ndjson(path, schema=POSTINGS_SCHEMA)
    steps["read"] = time.perf_counter() - start
    frame, counts = normalise_frame(df)
    steps["normalise"] = time.perf_counter() - start - steps["read"]
    kept, merged = dedupe_frame(frame)
    steps["dedupe"] = time.perf_counter() - start - steps["read"] - steps["normalise"]
    fuzzy = merged.filter(pl.col("reason") == "fuzzy").height
    return frame.height, kept.height, fuzzy, counts, steps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {platform.system()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, polars {pl.__version__}, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    rows = generate(args.rows, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "postings.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        chars = sum(len(r["description"]) for r in rows)
        print(
            f"inputs: {len(rows):,} postings, {chars / len(rows):,.0f} description chars on average, "
            f"{path.stat().st_size / 1e6:,.1f} MB JSONL"
        )
        print("running the per-row Python baseline ...", flush=True)
        start = time.perf_counter()
        n_base, kept_base = baseline(path)
        t_base = time.perf_counter() - start
        print("running JobLand (polars) ...", flush=True)
        start = time.perf_counter()
        n_frame, kept_frame, fuzzy, counts, steps = jobland(path)
        t_frame = time.perf_counter() - start
    exact_kept = kept_frame + fuzzy
    assert n_frame == n_base, (n_frame, n_base)
    assert exact_kept == kept_base, (exact_kept, kept_base)
    print(f"baseline (per-row Python): {t_base:7.2f} s  {n_base / t_base:>10,.0f} rows/s  kept {kept_base:,}")
    print(
        f"JobLand (polars):          {t_frame:7.2f} s  {n_frame / t_frame:>10,.0f} rows/s  kept {kept_frame:,} "
        f"(+{fuzzy:,} fuzzy merges)"
    )
    print("JobLand steps: " + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()))
    print(f"same exact-duplicate kept set size: {exact_kept:,} (of {n_base:,})")
    print(f"counts: {counts}")
    print(f"ratio: {t_base / t_frame:.1f}")


if __name__ == "__main__":
    main()
