"""A synthetic week of daily screenings: how much of each day is scored again, and how long it takes.

The point of incremental screening (``jobland_pipeline.screening.reuse``) is that a day after the first
costs what changed, not what exists. This script measures it on the code the ``screenings`` asset runs:
``screening.stage.screen_search`` per search with the partition's previous rows read back from a real
``Warehouse`` (Parquet per partition) and the new rows written to it, the offline engine as the judge
(behind a wrapper that counts the postings reaching it), and the same basis the asset computes
(profile, CV text, title, preferences, thresholds, engine and a fingerprint of the matching code).

The week, deterministic for a seed:

- users: the 4 bundled sample users (``jobland_pipeline/data/sample_inbox``: CV and settings.yaml
  preferences), ``--titles`` suggested titles each (one search per title);
- the posting pool on day 1: ``--pool`` postings made from the 235 bundled ones
  (``jobland_pipeline/data/postings/sample_postings.jsonl``): the originals, then variants with a new
  id, another company suffix and a location taken from another posting;
- each search holds the pool's postings whose seeded hash of (search, posting id) falls under
  ``--per-search / --pool`` (so about ``--per-search`` postings each, and a posting may be in several);
- each later day: ``--removed`` of the live postings are taken down, ``--changed`` get new content (a
  sentence added to the description, or the pay changed), and ``--new`` (of the live count) new
  variants appear; searches pick them up by the same hash rule;
- on day ``--cv-day`` one user (emma_clarke) drops a new CV (a certification line added), which changes
  the basis of that user's searches only.

Each day runs twice: incrementally (previous rows reused where the posting's content hash and the
basis are equal) and from scratch (every posting scored, nothing read), each as a fresh run would: the
per-process analysis cache (``screening.analysis``) is emptied first. Printed per day: live postings,
screenings (rows), new / changed / basis_changed / search_changed / reused / removed, postings scored, seconds
incremental and from scratch (read + screen + write), and the day-2 / day-1 work ratio.

    python bench/incremental.py [--days 7] [--pool 1200] [--per-search 150] [--titles 3]
                                [--new 0.10] [--changed 0.05] [--removed 0.05] [--cv-day 4] [--seed 7]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobland_pipeline.documents import extract_file
from jobland_pipeline.keys import search_key
from jobland_pipeline.llm import get_engine
from jobland_pipeline.postings import load_postings
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles import Profile, build_profile
from jobland_pipeline.profiles.titles import suggest_titles
from jobland_pipeline.profiles.user_settings import load_user_settings
from jobland_pipeline.screening import analysis
from jobland_pipeline.screening.code_version import screening_code_version
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.records import SCREENINGS
from jobland_pipeline.screening.reuse import SCREENED_AS, screened_counts, screening_basis
from jobland_pipeline.screening.score import Thresholds
from jobland_pipeline.screening.stage import screen_search
from jobland_pipeline.warehouse import Warehouse

ROOT = Path(__file__).resolve().parent.parent
INBOX = ROOT / "jobland_pipeline" / "data" / "sample_inbox"
POSTINGS = ROOT / "jobland_pipeline" / "data" / "postings" / "sample_postings.jsonl"
CVS = {
    "daniel_okafor": "Daniel_Okafor_CV.docx",
    "emma_clarke": "emma_clarke_resume.txt",
    "maria_santos": "maria_santos_cv.pdf",
    "wang_fang": "王芳_简历.pdf",
}
CV_CHANGE_USER = "emma_clarke"
AS_OF = date(2026, 11, 27)
THRESHOLDS = Thresholds()
SUFFIXES = ("Group", "Partners", "Holdings", "Services", "Labs", "Co.", "International", "Associates")
EDITS = (
    "Update: the team now also covers weekend on-call duties.",
    "This role now reports to the regional director.",
    "Applications close at the end of the month.",
    "We have added a hybrid option: two days a week on site.",
)


@dataclass
class User:
    user_id: str
    cv_text: str
    profile: Profile
    prefs: Preferences
    titles: list[tuple[str, str]]  # (title, slug)


@dataclass
class Search:
    key: str
    user: User
    title: str


@dataclass
class Counting:
    """The offline engine's screen for one search, counting the postings that reach it."""

    search: Search
    scored: int = 0

    def __call__(self, postings: list[Posting]) -> list[Screening]:
        self.scored += len(postings)
        return get_engine("offline").screen(
            self.search.user.profile,
            postings,
            cv_text=self.search.user.cv_text,
            search_title=self.search.title,
            prefs=self.search.user.prefs,
            thresholds=THRESHOLDS,
        )


@dataclass
class Day:
    live: int
    rows: int = 0
    scored: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    seconds_scratch: float = 0.0
    io: float = 0.0
    cpu: float = 0.0
    cpu_scratch: float = 0.0
    scored_scratch: int = 0


def _user(user_id: str, titles: int, extra: str = "") -> User:
    doc = extract_file(INBOX / user_id / CVS[user_id])
    text = doc.text + extra
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    profile = build_profile(text, user_id=user_id, language=doc.language, cv_sha256=sha, as_of=AS_OF)
    settings_file = INBOX / user_id / "settings.yaml"
    settings = load_user_settings(settings_file) if settings_file.is_file() else None
    prefs = settings.preferences if settings else Preferences()
    return User(
        user_id,
        text,
        profile,
        prefs,
        [(t.title, t.slug) for t in suggest_titles(profile, limit=titles)][:titles],
    )


def _variant(base: Posting, k: int, rng: random.Random, places: list[str]) -> Posting:
    return base.model_copy(
        update={
            "id": f"{base.id}-v{k}",
            "company": f"{base.company} {rng.choice(SUFFIXES)}",
            "location": rng.choice(places),
        }
    )


class Pool:
    """The live postings, day by day: removals, content changes and new variants, all seeded."""

    def __init__(self, size: int, seed: int) -> None:
        self.base = load_postings(POSTINGS)
        self.rng = random.Random(seed)
        self.places = sorted({p.location for p in self.base if p.location})
        self.made = 0
        self.live: dict[str, Posting] = {}
        for p in self.base[:size]:
            self.live[p.id] = p
        while len(self.live) < size:
            self._add()

    def _add(self) -> None:
        self.made += 1
        base = self.base[self.made % len(self.base)]
        posting = _variant(base, self.made, self.rng, self.places)
        self.live[posting.id] = posting

    def next_day(self, new: float, changed: float, removed: float) -> None:
        ids = sorted(self.live)
        count = len(ids)
        for pid in self.rng.sample(ids, round(count * removed)):
            del self.live[pid]
        for pid in self.rng.sample(sorted(self.live), round(count * changed)):
            p = self.live[pid]
            if self.rng.random() < 0.75:
                edit = {"description": f"{p.description}\n{self.rng.choice(EDITS)}"}
            else:
                edit = {"salary": f"${self.rng.randrange(30, 160) * 1000:,} a year"}
            self.live[pid] = p.model_copy(update=edit)
        for _ in range(round(count * new)):
            self._add()


def _in_search(key: str, posting_id: str, share: float, seed: int) -> bool:
    digest = hashlib.sha256(f"{seed}\x1f{key}\x1f{posting_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def _run_day(
    store: Warehouse, searches: list[Search], postings: dict[str, list[Posting]], now: datetime, engine: str
) -> tuple[int, Counter[str], int, float, float, float]:
    """One day's screenings of every search (read previous, screen, write): rows, counts, scored,
    wall seconds in all, seconds reading and writing Parquet, and CPU seconds in all."""
    analysis._CACHE.clear()  # a new day is a new run: no analyses left in memory
    counts: Counter[str] = Counter()
    rows = scored = 0
    io = 0.0
    started, cpu = time.perf_counter(), time.process_time()
    for search in searches:
        mine = postings[search.key]
        t0 = time.perf_counter()
        previous = store.read_records(SCREENINGS, [search.key])
        io += time.perf_counter() - t0
        judge = Counting(search)
        basis = screening_basis(
            profile=search.user.profile,
            cv_text=search.user.cv_text,
            search_title=search.title,
            prefs=search.user.prefs,
            thresholds=THRESHOLDS,
            engine=engine,
        )
        out = screen_search(search.key, mine, judge, now=now, previous=previous, basis=basis)
        t0 = time.perf_counter()
        store.write_records(SCREENINGS, search.key, out)
        io += time.perf_counter() - t0
        current = {p.id for p in mine}
        counts.update(screened_counts(out))
        counts["removed"] += sum(r.posting_id not in current for r in previous)
        rows += len(out)
        scored += judge.scored
    return rows, counts, scored, time.perf_counter() - started, io, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--pool", type=int, default=1200, help="live postings on day 1")
    ap.add_argument("--per-search", type=int, default=150, help="postings per search, about")
    ap.add_argument("--titles", type=int, default=3, help="searches (titles) per user")
    ap.add_argument("--new", type=float, default=0.10)
    ap.add_argument("--changed", type=float, default=0.05)
    ap.add_argument("--removed", type=float, default=0.05)
    ap.add_argument("--cv-day", type=int, default=4, help="day emma_clarke drops a new CV (0: never)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    users = {u: _user(u, args.titles) for u in CVS}
    searches = [
        Search(search_key(u.user_id, slug), u, title) for u in users.values() for title, slug in u.titles
    ]
    engine = f"offline|code={screening_code_version()}"
    pool = Pool(args.pool, args.seed)
    share = args.per_search / args.pool
    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}")
    print(
        f"inputs: {len(users)} users ({', '.join(users)}), {len(searches)} searches ({args.titles} titles each), "
        f"day-1 pool {args.pool} postings from {len(pool.base)} bundled ones, ~{args.per_search} per search; "
        f"each later day {args.removed:.0%} removed, {args.changed:.0%} changed, {args.new:.0%} new; "
        f"new CV for {CV_CHANGE_USER} on day {args.cv_day or 'never'}; seed {args.seed}",
        flush=True,
    )
    for search in searches:  # one-time costs of the process (word lists, gazetteer) before day 1
        Counting(search)(pool.base[:1])
    days: list[Day] = []
    start = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        inc = Warehouse(Path(tmp) / "inc", Path(tmp) / "inc.duckdb")
        scratch = Warehouse(Path(tmp) / "scratch", Path(tmp) / "scratch.duckdb")
        for n in range(1, args.days + 1):
            if n > 1:
                pool.next_day(args.new, args.changed, args.removed)
            if n == args.cv_day:
                new_cv = _user(
                    CV_CHANGE_USER, args.titles, "\nCERTIFICATIONS\nAdvanced Placement Calculus, 2026\n"
                )
                users[CV_CHANGE_USER].cv_text = new_cv.cv_text  # the searches stay: the titles are kept
                users[CV_CHANGE_USER].profile = new_cv.profile
            postings = {
                s.key: [p for pid, p in sorted(pool.live.items()) if _in_search(s.key, pid, share, args.seed)]
                for s in searches
            }
            now = start + timedelta(days=n - 1)
            day = Day(live=len(pool.live))
            day.rows, day.counts, day.scored, day.seconds, day.io, day.cpu = _run_day(
                inc, searches, postings, now, engine
            )
            for s in searches:  # from scratch: an empty previous screening, so everything is scored
                scratch.write_records(SCREENINGS, s.key, [])
            _, _, day.scored_scratch, day.seconds_scratch, _, day.cpu_scratch = _run_day(
                scratch, searches, postings, now, engine
            )
            days.append(day)
    _print(days)


def _print(days: list[Day]) -> None:
    kinds = [*SCREENED_AS, "removed"]
    head = f"{'day':>3} {'live':>5} {'rows':>5} " + " ".join(f"{k:>13}" for k in kinds)
    print(
        f"\n{head} {'scored':>6} {'s incr':>7} {'cpu':>6} {'s io':>5} {'scored0':>7} {'s scratch':>9} {'cpu':>6} {'work':>6}"
    )
    for n, d in enumerate(days, 1):
        figures = " ".join(f"{d.counts[k]:>13}" for k in kinds)
        work = d.scored / d.scored_scratch if d.scored_scratch else 0.0
        print(
            f"{n:>3} {d.live:>5} {d.rows:>5} {figures} {d.scored:>6} {d.seconds:>7.2f} {d.cpu:>6.2f} {d.io:>5.2f} "
            f"{d.scored_scratch:>7} {d.seconds_scratch:>9.2f} {d.cpu_scratch:>6.2f} {work:>6.1%}"
        )
    if len(days) > 1:
        d1, d2 = days[0], days[1]
        print(
            f"\nday 2 / day 1: postings scored {d2.scored}/{d1.scored} = {d2.scored / d1.scored:.1%}, "
            f"wall seconds {d2.seconds:.2f}/{d1.seconds:.2f} = {d2.seconds / d1.seconds:.1%}, "
            f"CPU seconds {d2.cpu:.2f}/{d1.cpu:.2f} = {d2.cpu / d1.cpu:.1%} "
            f"(day 2 from scratch: {d2.seconds_scratch:.2f} s wall, {d2.cpu_scratch:.2f} s CPU, {d2.scored_scratch} scored)"
        )
        later = days[1:]
        print(
            f"days 2-{len(days)}: {sum(d.scored for d in later)} of {sum(d.rows for d in later)} screenings scored "
            f"({sum(d.scored for d in later) / max(1, sum(d.rows for d in later)):.1%}), "
            f"{sum(d.seconds for d in later):.2f} s wall ({sum(d.cpu for d in later):.2f} s CPU) vs "
            f"{sum(d.seconds_scratch for d in later):.2f} s ({sum(d.cpu_scratch for d in later):.2f} s CPU) from scratch"
        )
    print(
        "columns: rows = screenings written; scored = postings that reached the engine (scored0: from scratch);"
    )
    print(
        "s incr / s scratch = wall seconds (read previous rows + screen + write Parquet), cpu = process CPU"
    )
    print("seconds of the same; s io = the Parquet part of s incr; work = scored / scored0. The process is")
    print(
        "warmed up (one screening per search) before day 1; the analysis cache is emptied before each pass."
    )


if __name__ == "__main__":
    main()
