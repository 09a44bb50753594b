"""Suggested titles on 166 real resumes nobody here wrote, against the category each resume is filed under.

``../shared/fixtures/real/labeled/UpdatedResumeDataSet_categories.csv`` holds 962 resumes (166 distinct
texts) from an Indian job portal, flattened to plain text, each filed under one of 25 categories ("Java
Developer", "HR", "Advocate"...). For each distinct resume: build the profile, suggest titles (offline
engine), and judge them against the category by the words a fitting title holds (``FITS`` below, written
from the category names, not from the resumes). Prints:

- how many resumes get no title at all (the person gets no search),
- how many get a junk title: a degree, a section label, a place or a sentence (``JUNK``),
- the share whose first title, and whose five first titles, fit the category,
- per category, the resumes and their first three titles.

Skips with a message when the shared folder is absent (it is not part of a fresh clone).

    python bench/title_categories.py [--show]
"""

from __future__ import annotations

import argparse
import csv
import platform
import re
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobland_pipeline.documents.extract import clean_text  # noqa: E402
from jobland_pipeline.lexicon.tokens import fold  # noqa: E402
from jobland_pipeline.profiles import build_profile, suggest_titles  # noqa: E402

DATA = ROOT.parent / "shared" / "fixtures" / "real" / "labeled" / "UpdatedResumeDataSet_categories.csv"
AS_OF = date(2026, 12, 1)

# A title fits a category when it holds one of these (folded) words or phrases.
FITS: dict[str, tuple[str, ...]] = {
    "Data Science": ("data scien", "machine learning", "data analyst", "ml ", "ai ", "research scientist"),
    "HR": ("hr", "human resource", "recruit", "talent", "people"),
    "Advocate": ("advocate", "lawyer", "legal", "attorney", "counsel", "law"),
    "Arts": ("art", "teacher", "lecturer", "professor", "design", "music", "dance", "writer"),
    "Web Designing": ("web", "design", "ui", "ux", "front"),
    "Mechanical Engineer": ("mechanical", "design engineer", "maintenance", "production"),
    "Sales": ("sales", "business development", "account"),
    "Health and fitness": ("fitness", "trainer", "coach", "gym", "health", "nutrition", "dietit"),
    "Civil Engineer": ("civil", "site engineer", "structural", "construction"),
    "Java Developer": ("java", "developer", "software engineer"),
    "Business Analyst": ("analyst",),
    "SAP Developer": ("sap",),
    "Automation Testing": ("test", "qa", "quality", "automation"),
    "Electrical Engineering": ("electric",),
    "Operations Manager": ("operations", "manager"),
    "Python Developer": ("python", "developer", "software"),
    "DevOps Engineer": ("devops", "cloud", "reliability", "infrastructure", "release", "build", "system"),
    "Network Security Engineer": ("network", "security"),
    "PMO": ("pmo", "project", "program"),
    "Database": ("database", "dba", "sql"),
    "Hadoop": ("hadoop", "big data", "data engineer", "spark"),
    "ETL Developer": ("etl", "data", "bi ", "informatica"),
    "DotNet Developer": (".net", "dot net", "c#", "developer"),
    "Blockchain": ("blockchain", "developer"),
    "Testing": ("test", "qa", "quality"),
}
# A junk title: a degree or school year, a section label, or a sentence.
JUNK = re.compile(
    r"\b(?:bachelor|master|diploma|degree|b\.?\s?e\b|b\.?\s?tech|m\.?\s?tech|llb|llm|mba|mca|mms|b\.?\s?sc|"
    r"m\.?\s?sc|h\.?s\.?c|s\.?s\.?c|intermediate|first year|description|skill set|experience)\b",
    re.I,
)


def fits(title: str, category: str) -> bool:
    """The title holds a word of the category, and is not junk ("LLB Law Mumbai" is no lawyer's title)."""
    if junk(title):
        return False
    folded = f" {fold(title)} "
    return any(word in folded for word in FITS[category])


def junk(title: str) -> bool:
    return bool(JUNK.search(title)) or len(title.split()) > 7 or ":" in title


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print every resume's first titles")
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"skipped: {DATA} is absent (the shared fixtures are not part of a fresh clone)")
        return
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    resumes: dict[str, str] = {}
    for row in rows:
        resumes.setdefault(row["Resume"], row["Category"])
    print(
        f"machine: {platform.machine()} {platform.system()}, Python {platform.python_version()}; "
        f"inputs: {len(rows)} rows, {len(resumes)} distinct resumes, {len(set(resumes.values()))} categories"
    )
    start = time.perf_counter()
    by_category: dict[str, list[list[str]]] = defaultdict(list)
    none = junky = top1 = top5 = 0
    for text, category in resumes.items():
        # as the intake reads a .txt CV (mojibake repaired, controls dropped, tidy lines), then profile
        profile = build_profile(clean_text(text), user_id="bench", as_of=AS_OF)
        titles = [t.title for t in suggest_titles(profile)]
        by_category[category].append(titles)
        none += not titles
        junky += any(junk(t) for t in titles)
        top1 += bool(titles) and fits(titles[0], category)
        top5 += any(fits(t, category) for t in titles[:5])
    took = time.perf_counter() - start
    n = len(resumes)
    print(
        f"no title: {none} ({none / n:.0%})   a junk title: {junky} ({junky / n:.0%})   "
        f"first title fits: {top1} ({top1 / n:.0%})   a fitting title in the first five: {top5} ({top5 / n:.0%})"
        f"   ({took:.1f} s)"
    )
    for category in sorted(by_category):
        lists = by_category[category]
        fit = sum(any(fits(t, category) for t in titles[:5]) for titles in lists)
        print(f"{category:26s} {fit}/{len(lists)} fit")
        if args.show:
            for titles in lists:
                print(f"    {titles[:3]}")


if __name__ == "__main__":
    main()
