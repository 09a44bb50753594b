"""A posting from its URL, on real saved ATS pages: what each page gives, and how long it takes.

The pages in ../shared/fixtures/real/postings/html (Ashby, Greenhouse x2, Lever, Built In; no licence
stated, so they stay there and are not copied into tests/) are read with
``jobland_pipeline.postings.from_url.posting_from_page`` exactly as a downloaded page would be. For each
page: JSON-LD or main text, title, company, location, remote, employment type, date, pay, the length of
the description and its first words, whether an application form's EEO text leaked into it, or the
refusal with its reason. Skips with a message when the shared folder is absent (it is not part of a
fresh clone).

    python bench/posting_pages.py
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jobland_pipeline.postings.from_url import PostingPageError, posting_from_page  # noqa: E402

PAGES = ROOT.parent / "shared" / "fixtures" / "real" / "postings" / "html"
LEAKS = ("Equal Employment Opportunity", "Voluntary Self-Identification", "Submit application")


def main() -> int:
    if not PAGES.is_dir():
        print(f"skipped: {PAGES} is absent (the shared fixtures are not part of a fresh clone)")
        return 0
    print(f"python {platform.python_version()} on {platform.machine()}; pages from {PAGES}")
    for path in sorted(PAGES.glob("*.html")):
        data = path.read_bytes()
        started = time.perf_counter()
        try:
            p = posting_from_page(data, f"https://example.org/{path.stem}")
        except PostingPageError as exc:
            ms = (time.perf_counter() - started) * 1000
            print(
                f"\n{path.name} ({len(data) / 1024:.0f} KB, {ms:.0f} ms): REFUSED [{exc.code}] {exc.reason}"
            )
            continue
        ms = (time.perf_counter() - started) * 1000
        has_jsonld = b"ld+json" in data or b"ld&#x2B;json" in data
        print(
            f"\n{path.name} ({len(data) / 1024:.0f} KB, {ms:.0f} ms, {'JSON-LD' if has_jsonld else 'main text'})"
        )
        print(f"  {p.title!r} at {p.company!r}; location {p.location!r}; remote {p.remote}")
        print(f"  {p.employment_type}; posted {p.posted_at}; pay {p.salary!r} ({p.salary_period})")
        leaked = [w for w in LEAKS if w in p.description]
        print(f"  description {len(p.description):,} chars; form text leaked: {leaked or 'none'}")
        print(f"  {p.description[:160]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
