"""The offline engine on real CVs nobody here wrote, against 719 real postings.

For each real CV in ../shared/fixtures/real/cvs (and tests/fixtures/cvs), prints the suggested titles
and the top 10 postings of the 719 real LinkedIn postings (m5991/linkedin-jobs-scraper-analysis, MIT)
with their score, label and evidence (title fit, requirements covered, shared words). Then checks the
issue's rule: no top-10 posting with zero evidence (no title fit, no requirement covered, almost no
shared words) while a better-evidenced posting is left out. Skips with a message when the shared
folder is absent (it is not part of a fresh clone).

    python bench/real_cvs.py [--top 10] [--cv NAME]
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobland_pipeline.documents import DocumentError, extract_file  # noqa: E402
from jobland_pipeline.generation.package import build_package  # noqa: E402
from jobland_pipeline.postings.models import Posting  # noqa: E402
from jobland_pipeline.postings.normalize import clean_description  # noqa: E402
from jobland_pipeline.profiles import build_profile, suggest_titles  # noqa: E402
from jobland_pipeline.screening import screen_postings  # noqa: E402

SHARED = ROOT.parent / "shared" / "fixtures" / "real"
AS_OF = date(2026, 12, 1)


def evidence(s) -> float:  # type: ignore[no-untyped-def]
    """How much the screening found: title fit, shared words and covered requirements."""
    c = s.components
    return c["title"] + c["lexical"] + c["requirements"]


def load_linkedin(path: Path) -> list[Posting]:
    csv.field_size_limit(10_000_000)
    out: list[Posting] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row.get("title") or not row.get("company"):
                continue
            out.append(
                Posting(
                    id=f"li{row['job_id']}",
                    title=row["title"][:300],
                    company=row["company"][:200],
                    location=(row.get("location") or "")[:300],
                    description=clean_description(row.get("description") or "")[:60_000],
                    source="linkedin",
                )
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--cv", help="only CVs whose file name contains this")
    args = parser.parse_args()
    postings_file = SHARED / "postings" / "linkedin_jobs_m5991.csv"
    if not postings_file.is_file():
        print(f"skipped: {postings_file} not found (the shared fixtures are not part of a fresh clone)")
        return 0
    postings = load_linkedin(postings_file)
    by_id = {p.id: p for p in postings}
    cvs = sorted(
        {*SHARED.joinpath("cvs").glob("*"), *(ROOT / "tests" / "fixtures" / "cvs").glob("*")},
        key=lambda p: p.name,
    )
    cvs = [p for p in cvs if p.suffix in {".pdf", ".docx", ".txt"} and (not args.cv or args.cv in p.name)]
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"inputs: {len(postings)} LinkedIn postings, {len(cvs)} CVs\n")
    seen: set[str] = set()
    violations = 0
    packages = ungrounded = refused = 0
    total_seconds = 0.0
    for path in cvs:
        if path.name in seen:
            continue
        seen.add(path.name)
        try:
            doc = extract_file(path)
        except DocumentError as exc:
            print(f"== {path.name}: refused: {exc.reason}\n")
            continue
        profile = build_profile(doc.text, user_id="real", as_of=AS_OF)
        titles = suggest_titles(profile)
        started = time.perf_counter()
        results = screen_postings(profile, postings, cv_text=doc.text)
        seconds = time.perf_counter() - started
        total_seconds += seconds
        ranked = sorted(results, key=lambda s: (-s.score, s.posting_id))
        top = ranked[: args.top]
        print(
            f"== {path.name}  ({profile.language}, {profile.contact.name}, {len(profile.roles)} roles; {seconds:.1f} s)"
        )
        print(f"   titles: {', '.join(t.title for t in titles)}")
        for s in top:
            p = by_id[s.posting_id]
            c = s.components
            print(
                f"   {s.score:3} {s.probability:6} t={c['title']:.2f} l={c['lexical']:.2f} r={c['requirements']:.2f} "
                f"{p.title[:48]:48} | {p.company[:24]}"
            )
        floor = min(evidence(s) for s in top)
        better_left = [s for s in ranked[args.top :] if evidence(s) > floor + 0.5]
        zero = [
            s
            for s in top
            if s.components["title"] < 0.05
            and s.components["requirements"] < 0.05
            and s.components["lexical"] < 0.1
        ]
        # The package for each of the three best postings: every claim must be on the CV.
        for s in [x for x in top if not x.deal_breakers][:3]:
            package = build_package(profile, by_id[s.posting_id], s, None, cv_text=doc.text, today=AS_OF)
            packages += 1
            if package.grounding_issues:
                ungrounded += 1
                print(f"   ! package for {s.posting_id} not grounded: {package.grounding_issues[:3]}")
            elif package.placeholder_issues:
                refused += 1
                print(f"   - package for {s.posting_id} refused: {package.placeholder_issues[:2]}")
        if zero and better_left:
            violations += 1
            print(
                f"   ! {len(zero)} top-{args.top} postings with no evidence while {len(better_left)} better ones are left out"
            )
        print()
    print(f"CVs with a zero-evidence posting in the top {args.top} while better ones exist: {violations}")
    print(f"tailored packages that fail grounding against the CV text: {ungrounded} of {packages}")
    print(f"refused for placeholder text (the CV's own, e.g. a template's 'xxx'): {refused} of {packages}")
    print(f"screening time: {total_seconds:.1f} s for {len(seen)} CVs x {len(postings)} postings")
    return 1 if violations or ungrounded else 0


if __name__ == "__main__":
    raise SystemExit(main())
