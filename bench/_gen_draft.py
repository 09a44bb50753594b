"""scratch: generator draft (moved into bench/matching.py later)"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobland_pipeline.postings import Posting, load_postings
from jobland_pipeline.postings.normalize import clean_description

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "jobland_pipeline/data/postings/sample_postings.jsonl"
EVAL = ROOT.parent / "shared" / "eval"
LINKEDIN = ROOT.parent / "shared/fixtures/real/postings/linkedin_jobs_m5991.csv"


def sources() -> list[Posting]:
    out = load_postings(SAMPLE)
    if (EVAL / "postings.jsonl").is_file():
        out += load_postings(EVAL / "postings.jsonl")
    if LINKEDIN.is_file():
        with LINKEDIN.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                desc = clean_description(row["description"] or "")[:60_000]
                if not row["title"] or not desc:
                    continue
                out.append(
                    Posting(
                        id=f"li-{row['job_id']}",
                        title=row["title"][:300],
                        company=(row["company"] or "?")[:200],
                        location=row["location"] or "",
                        description=desc,
                        source="linkedin",
                    )
                )
    return out


_HAN = re.compile(r"[\u4e00-\u9fff]")
PREFIX = ["", "", "", "Senior ", "Junior ", "Lead ", "Principal "]


def synth(base: list[Posting], n: int, seed: int) -> list[Posting]:
    rng = random.Random(seed)
    paras: dict[bool, list[str]] = {False: [], True: []}
    for p in base:
        for para in p.description.split("\n\n"):
            if para.strip():
                paras[bool(_HAN.search(para))].append(para)
    companies = sorted({p.company for p in base})
    places = sorted({p.location for p in base if p.location})
    out = []
    for i in range(n):
        src = rng.choice(base)
        zh = bool(_HAN.search(src.title))
        own = [x for x in src.description.split("\n\n") if x.strip()]
        body = [x if rng.random() > 0.3 else rng.choice(paras[zh]) for x in own]
        if len(body) > 2:
            mid = body[1:-1]
            rng.shuffle(mid)
            body = [body[0], *mid, body[-1]]
        company = rng.choice(companies)
        title = src.title if zh or rng.random() < 0.6 else (rng.choice(PREFIX) + src.title)[:300]
        out.append(
            src.model_copy(
                update={
                    "id": f"syn-{i:06d}",
                    "title": title,
                    "company": company,
                    "location": rng.choice(places),
                    "remote": rng.choice([False, False, True, "hybrid"]),
                    "description": "\n\n".join(body).replace(src.company, company)[:60_000],
                }
            )
        )
    return out
