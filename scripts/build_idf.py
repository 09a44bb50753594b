"""Build the background word-rarity table (jobland_pipeline/lexicon/data/idf.json.gz).

Documents, all openly licensed (see jobland_pipeline/lexicon/data/PROVENANCE.md):
  - the bundled sample postings (jobland_pipeline/data/postings/sample_postings.jsonl);
  - the 719 real LinkedIn postings of m5991/linkedin-jobs-scraper-analysis (MIT), when the shared
    fixtures folder is present (``--linkedin PATH``);
  - the occupational taxonomy bundled in jobland_pipeline/taxonomy (O*NET CC BY 4.0, ESCO): one
    document per occupation and language, its titles together.

Tokens that occur in a single document are dropped (they would be "unseen" anyway), which keeps the
table small. Run: python scripts/build_idf.py [--linkedin ../shared/fixtures/real/postings/linkedin_jobs_m5991.csv]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobland_pipeline.lexicon.tokens import tokens  # noqa: E402
from jobland_pipeline.postings.normalize import clean_description  # noqa: E402
from jobland_pipeline.taxonomy import occupations  # noqa: E402

OUT = ROOT / "jobland_pipeline" / "lexicon" / "data" / "idf.json.gz"
DEFAULT_LINKEDIN = ROOT.parent / "shared" / "fixtures" / "real" / "postings" / "linkedin_jobs_m5991.csv"


def documents(linkedin: Path | None) -> tuple[list[str], dict[str, int]]:
    docs: list[str] = []
    counts = Counter[str]()
    sample = ROOT / "jobland_pipeline" / "data" / "postings" / "sample_postings.jsonl"
    for line in sample.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            docs.append(f"{raw['title']}\n{clean_description(raw.get('description') or '')}")
            counts["sample_postings"] += 1
    if linkedin and linkedin.is_file():
        csv.field_size_limit(10_000_000)
        with linkedin.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                docs.append(f"{row.get('title', '')}\n{clean_description(row.get('description') or '')}")
                counts["linkedin_postings"] += 1
    for occupation in occupations():
        for language, titles in occupation.titles.items():
            docs.append("\n".join(titles))
            counts[f"taxonomy_{language}"] += 1
    return docs, dict(counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--linkedin", type=Path, default=DEFAULT_LINKEDIN)
    args = parser.parse_args()
    docs, sources = documents(args.linkedin)
    df = Counter[str]()
    for doc in docs:
        df.update(set(tokens(doc)))
    kept = {t: c for t, c in sorted(df.items()) if c >= 2}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = {"documents": len(docs), "sources": sources, "df": kept}
    OUT.write_bytes(gzip.compress(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode(), mtime=0))
    print(
        f"{len(docs)} documents {sources}; {len(kept)} tokens -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size:,} bytes)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
