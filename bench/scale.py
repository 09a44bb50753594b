"""The real pipeline at scale: N synthetic users, postings from loopback job boards, Dagster on Postgres.

Generates N users (CVs in ten professions, eight cities, varied seniority and settings) and a
Greenhouse-format job board per profession served by a loopback HTTP server (the same replay server
the tests use), then runs one daily pass exactly as the sensors and schedules would (``run_once``:
the inbox sensor's intake runs, the searches sensor, the daily search batches, the delivery batch, the
tracker) against a fresh Postgres database with ``dagster.postgres.yaml``. It prints, per N: wall
time, runs launched per job, time per stage, Dagster's overhead share (run time outside the asset
steps), peak memory, warehouse size; then the growth of per-user time from the smallest N to the
largest (linear growth: <= 1.2), ending with the line ``users: N  wall_s: W  runs: R  growth: G``.

    python bench/scale.py --users 100 1000          # needs Postgres at 127.0.0.1:5432 (trust auth)

Each N runs in its own process (its peak memory is its own) on its own new database
(``jobland_scale_<N>_<pid>``, dropped afterwards unless ``--keep``). Intake (reading a new CV) is a
once-per-user cost; the daily cost is searches + delivery + tracker: both are printed apart. The
process's CPU seconds and the load average are printed beside the wall time: on a shared machine the
wall time measures the neighbours too.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dagster as dg  # noqa: E402
import psycopg2  # noqa: E402

from jobland_pipeline.definitions import build_definitions  # noqa: E402
from resources import SETTINGS  # noqa: E402
from resources.settings import resolve  # noqa: E402
from sensors.local_run import run_once  # noqa: E402
from tests.replay import ReplayServer, json_reply  # noqa: E402

CITIES = [
    ("Chicago", "IL"),
    ("Houston", "TX"),
    ("Phoenix", "AZ"),
    ("Denver", "CO"),
    ("Seattle", "WA"),
    ("Boston", "MA"),
    ("Atlanta", "GA"),
    ("Richmond", "VA"),
]
PROFESSIONS: dict[str, dict[str, list[str]]] = {
    "nursing": {
        "titles": ["Registered Nurse", "ICU Registered Nurse", "Emergency Department Registered Nurse"],
        "skills": ["Patient assessment", "BLS", "ACLS", "Epic EHR", "Medication administration", "Triage"],
        "duties": [
            "Cared for 5 patients per shift",
            "Titrated drips under protocol",
            "Precepted new graduate nurses",
        ],
    },
    "teaching": {
        "titles": ["Mathematics Teacher", "High School Math Teacher", "Science Teacher"],
        "skills": [
            "Differentiated instruction",
            "Google Classroom",
            "Classroom management",
            "Formative assessment",
        ],
        "duties": [
            "Taught Algebra I and Geometry",
            "Raised pass rates by 12 points",
            "Mentored new teachers",
        ],
    },
    "data": {
        "titles": ["Data Engineer", "Senior Data Engineer", "Analytics Engineer"],
        "skills": ["Python", "SQL", "Apache Airflow", "dbt", "Apache Spark", "Snowflake", "AWS"],
        "duties": [
            "Built batch pipelines in Airflow",
            "Modelled the warehouse in dbt",
            "Cut query costs by 30%",
        ],
    },
    "accounting": {
        "titles": ["Staff Accountant", "Senior Accountant", "General Ledger Accountant"],
        "skills": ["Month-end close", "Reconciliations", "GAAP", "Excel", "NetSuite", "Accounts payable"],
        "duties": ["Closed the books in 5 days", "Reconciled 40 bank accounts", "Prepared audit schedules"],
    },
    "electrical": {
        "titles": ["Journeyman Electrician", "Electrician", "Maintenance Electrician"],
        "skills": ["NEC", "Conduit bending", "Troubleshooting", "PLC", "Blueprint reading", "OSHA 30"],
        "duties": ["Wired commercial buildings", "Installed 480V panels", "Troubleshot motor controls"],
    },
    "culinary": {
        "titles": ["Sous Chef", "Line Cook", "Executive Chef"],
        "skills": ["Menu development", "Food cost control", "ServSafe", "Inventory", "Kitchen management"],
        "duties": ["Ran a 120-cover dinner service", "Cut food cost by 4 points", "Trained 8 line cooks"],
    },
    "sales": {
        "titles": ["Account Executive", "Sales Development Representative", "Account Manager"],
        "skills": ["Salesforce", "Prospecting", "Negotiation", "Pipeline management", "HubSpot"],
        "duties": ["Closed $1.2M in new business", "Booked 40 meetings a month", "Managed 60 accounts"],
    },
    "design": {
        "titles": ["UX Designer", "Product Designer", "Graphic Designer"],
        "skills": ["Figma", "User research", "Prototyping", "Design systems", "Usability testing"],
        "duties": ["Redesigned checkout flow", "Ran 30 user interviews", "Built a design system"],
    },
    "logistics": {
        "titles": ["Logistics Coordinator", "Supply Chain Analyst", "Warehouse Supervisor"],
        "skills": ["SAP", "Inventory control", "Excel", "Forecasting", "Vendor management"],
        "duties": ["Coordinated 200 shipments a week", "Cut stock-outs by 20%", "Supervised 15 associates"],
    },
    "support": {
        "titles": ["Customer Support Specialist", "Customer Success Manager", "Support Team Lead"],
        "skills": ["Zendesk", "Customer onboarding", "Escalation handling", "SQL", "Training"],
        "duties": ["Resolved 60 tickets a day", "Kept CSAT above 95%", "Onboarded 30 customers"],
    },
}
FIRST = ["Alex", "Sam", "Maria", "Wei", "Priya", "Jordan", "Fatima", "Liam", "Ana", "Kenji", "Zoe", "Omar"]
LAST = ["Rivera", "Chen", "Okafor", "Smith", "Kowalski", "Nguyen", "Haddad", "Brown", "Silva", "Tanaka"]


def make_cv(rng: random.Random, user: str, profession: str) -> tuple[str, str]:
    """(CV text, settings.yaml) of a synthetic person."""
    p = PROFESSIONS[profession]
    city, state = rng.choice(CITIES)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    years = rng.randint(2, 15)
    current = rng.choice(p["titles"])
    roles = []
    for i in range(rng.randint(2, 3)):
        title = current if i == 0 else rng.choice(p["titles"])
        start, end = 2025 - 3 * (i + 1), ("Present" if i == 0 else str(2025 - 3 * i))
        bullets = "\n".join(f"- {d}." for d in rng.sample(p["duties"], 2))
        roles.append(
            f"{title} | {rng.choice(LAST)} {profession.title()} Group, {city}, {state}\n01/{start} - {end}\n{bullets}"
        )
    cv = (
        f"{name}\n{user}@example.com | (555) 010-{rng.randint(1000, 9999)} | {city}, {state}\n\n"
        f"SUMMARY\n{current} with {years} years of experience.\n\nEXPERIENCE\n\n"
        + "\n\n".join(roles)
        + f"\n\nEDUCATION\n\nB.S. {profession.title()} | State University\n05/2010\n\n"
        f"SKILLS\n\n{', '.join(rng.sample(p['skills'], min(5, len(p['skills']))))}\n"
    )
    prefs = rng.choice(["", "preferences:\n  no_night_shifts: true\n", "preferences:\n  remote: hybrid_ok\n"])
    return cv, f"email: {user}@example.com\nauto_approve: true\n{prefs}"


def make_board(rng: random.Random, profession: str, n: int) -> dict[str, object]:
    """A Greenhouse ``/v1/boards/<board>/jobs?content=true`` answer with ``n`` postings."""
    p = PROFESSIONS[profession]
    jobs = []
    for i in range(n):
        city, state = CITIES[i % len(CITIES)]
        title = rng.choice(p["titles"])
        reqs = "".join(f"<li>{s}</li>" for s in rng.sample(p["skills"], 3))
        content = (
            f"<p>We are hiring a {title} in {city}.</p><h3>Requirements</h3><ul>{reqs}"
            f"<li>{rng.randint(1, 6)}+ years of experience</li></ul>"
        )
        jobs.append(
            {
                "id": 10_000 * (1 + list(PROFESSIONS).index(profession)) + i,
                "title": title,
                "updated_at": "2026-12-01T09:00:00-05:00",
                "location": {"name": f"{city}, {state}"},
                "absolute_url": f"https://boards.greenhouse.io/{profession}co/jobs/{i}",
                "company_name": f"{profession.title()} Co {i % 5}",
                "content": content.replace("<", "&lt;").replace(">", "&gt;"),
                "metadata": [],
            }
        )
    return {"jobs": jobs, "meta": {"total": n}}


def _database(name: str, *, create: bool = True) -> None:
    """A new, empty database for one bench run (or, with ``create=False``, drop it afterwards)."""
    with contextlib.closing(psycopg2.connect(host="127.0.0.1", dbname="test", user="postgres")) as con:
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            if create:
                cur.execute(f'CREATE DATABASE "{name}"')


def _durations(
    instance: dg.DagsterInstance, skip: frozenset[str] = frozenset()
) -> tuple[dict[str, int], dict[str, float], dict[str, float]]:
    """(runs per job, run seconds per job, seconds inside each asset step) from the instance's records
    (the runs in ``skip`` left out)."""
    runs: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    steps: dict[str, float] = defaultdict(float)
    for record in instance.get_run_records():
        if record.dagster_run.run_id in skip:
            continue
        job = record.dagster_run.job_name
        runs[job] += 1
        if record.start_time and record.end_time:
            seconds[job] += record.end_time - record.start_time
        starts: dict[str, float] = {}
        for event in instance.all_logs(record.dagster_run.run_id):
            kind = event.dagster_event.event_type_value if event.dagster_event else None
            if kind == "STEP_START":
                starts[str(event.step_key)] = event.timestamp
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and str(event.step_key) in starts:
                steps[str(event.step_key)] += event.timestamp - starts.pop(str(event.step_key))
    return dict(runs), dict(seconds), dict(steps)


def _package_counts(instance: dg.DagsterInstance, run_ids: set[str]) -> dict[str, int]:
    """Packages generated / reused / failed in these runs, from each partition's materialisation."""
    counts = {"generated": 0, "reused": 0, "failed": 0}
    cursor = None
    while True:
        page = instance.fetch_materializations(dg.AssetKey("application_packages"), limit=1000, cursor=cursor)
        for record in page.records:
            event = record.asset_materialization
            if record.run_id in run_ids and event is not None:
                for name in counts:
                    if name in event.metadata:
                        counts[name] += int(str(event.metadata[name].value))
        if not page.has_more:
            return counts
        cursor = page.cursor


def _next_pass(
    defs: dg.Definitions, values: dict[str, str], instance: dg.DagsterInstance
) -> dict[str, object]:
    """Another daily pass on the same data (the next day, nothing changed): its time and its packages."""
    before = frozenset(r.dagster_run.run_id for r in instance.get_run_records())
    cpu_before, started = _cpu_seconds(), time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = run_once(defs, values, seed_samples=False, instance=instance)
    wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_before
    runs, seconds, steps = _durations(instance, before)
    new_runs = {r.dagster_run.run_id for r in instance.get_run_records()} - before
    return {
        "exit": code,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "runs_per_job": runs,
        "seconds_per_job": {k: round(v, 1) for k, v in seconds.items()},
        "seconds_per_asset": {k: round(v, 1) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])},
        "packages": _package_counts(instance, new_runs),
    }


def run_scale(
    users: int, work: Path, seed: int = 7, *, keep: bool = False, passes: int = 1
) -> dict[str, object]:
    """Daily passes for ``users`` synthetic users on a new Postgres database: the figures.

    The first pass is a first day (every CV read, every package made); later passes are the next days
    with nothing changed (packages with unchanged inputs are reused)."""
    rng = random.Random(seed)
    home = work / f"n{users}"
    shutil.rmtree(home, ignore_errors=True)
    for i in range(users):
        user = f"u{i:05d}"
        cv, settings = make_cv(rng, user, list(PROFESSIONS)[i % len(PROFESSIONS)])
        (home / "var" / "inbox" / user).mkdir(parents=True)
        (home / "var" / "inbox" / user / "cv.txt").write_text(cv, encoding="utf-8")
        (home / "var" / "inbox" / user / "settings.yaml").write_text(settings, encoding="utf-8")
    db = f"jobland_scale_{users}_{os.getpid()}"
    _database(db)
    dagster_home = home / "dagster"
    dagster_home.mkdir(parents=True)
    shutil.copy(ROOT / "dagster.postgres.yaml", dagster_home / "dagster.yaml")
    os.environ.update(
        DAGSTER_HOME=str(dagster_home),
        DAGSTER_PG_USERNAME="postgres",
        DAGSTER_PG_PASSWORD="",
        DAGSTER_PG_HOST="127.0.0.1",
        DAGSTER_PG_PORT="5432",
        DAGSTER_PG_DB=db,
    )
    with ReplayServer() as server:
        boards = []
        for profession in PROFESSIONS:
            board = f"{profession}co"
            boards.append(board)
            server.route("GET", f"/v1/boards/{board}/jobs", json_reply(make_board(rng, profession, 60)))
        env = {
            "JOBLAND_HOME": str(home / "var"),
            "JOBLAND_SEARCH_ENGINES": "greenhouse",
            "JOBLAND_GREENHOUSE_BOARDS": ",".join(boards),
            "JOBLAND_GREENHOUSE_BASE_URL": server.base_url,
        }
        values = resolve(env, SETTINGS)
        defs = build_definitions(env)
        with dg.DagsterInstance.get() as instance:
            load_before = os.getloadavg()[0]
            cpu_before = _cpu_seconds()
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()) as out:
                code = run_once(defs, values, seed_samples=False, instance=instance)
            wall = time.perf_counter() - started
            cpu = _cpu_seconds() - cpu_before
            runs, seconds, steps = _durations(instance)
            made = _package_counts(instance, {r.dagster_run.run_id for r in instance.get_run_records()})
            taken_in = len(instance.get_dynamic_partitions("users"))  # the users the pass processed
            later = [_next_pass(defs, values, instance) for _ in range(passes - 1)]
    if not keep:
        _database(db, create=False)
    warehouse = sum(f.stat().st_size for f in (home / "var" / "warehouse").rglob("*") if f.is_file())
    run_seconds = sum(seconds.values())
    daily = seconds.get("search_job", 0) + seconds.get("delivery_job", 0) + seconds.get("tracker_job", 0)
    per = max(taken_in, 1)  # per user processed: a pass that took in fewer than N must not look cheaper
    figures: dict[str, object] = {
        "users": users,
        "users_taken_in": taken_in,
        "exit": code,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "load_avg_1m": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "per_user_wall_s": round(wall / per, 3),
        "per_user_cpu_s": round(cpu / per, 3),
        "per_user_daily_s": round(daily / per, 3),
        "runs": sum(runs.values()),
        "runs_per_job": runs,
        "seconds_per_job": {k: round(v, 1) for k, v in seconds.items()},
        "daily_s": round(daily, 1),
        "seconds_per_asset": {k: round(v, 1) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])},
        "dagster_overhead_share": round(1 - sum(steps.values()) / run_seconds, 3) if run_seconds else 0.0,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "warehouse_mb": round(warehouse / 1e6, 1),
        "packages": made,
        "failures": [line for line in out.getvalue().splitlines() if "FAILED" in line],
        "later_passes": later,
    }
    print(json.dumps(figures, indent=1))
    return figures


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _in_child(users: int, work: Path, keep: bool, passes: int) -> dict[str, object]:
    """Run one N in a new process: its peak memory and its imports are its own, not the previous N's."""
    command = [sys.executable, __file__, "--one", str(users), "--work", str(work), "--passes", str(passes)]
    command += ["--keep"] if keep else []
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    print(done.stdout, end="", flush=True)
    marker = done.stdout.rindex("FIGURES ")
    return dict(json.loads(done.stdout[marker + len("FIGURES ") :].splitlines()[0]))


def _ratio(last: dict[str, object], first: dict[str, object], key: str) -> float:
    a, b = float(str(last[key])), float(str(first[key]))
    return a / b if b else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--work", default=None, help="folder for the runs (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep each run's Postgres database")
    parser.add_argument(
        "--passes", type=int, default=1, help="daily passes per N (later ones: the next days, unchanged)"
    )
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # a child: one N
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="jobland-scale-"))
    if args.one is not None:
        figures = run_scale(args.one, work, keep=args.keep, passes=args.passes)
        print("FIGURES " + json.dumps(figures), flush=True)
        return 0
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {memory:.0f} GiB, Python"
        f" {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"inputs: {len(PROFESSIONS)} professions x 60 postings on loopback Greenhouse boards; work in {work}"
    )
    results = [_in_child(n, work, args.keep, args.passes) for n in sorted(args.users)]
    first, last = results[0], results[-1]
    growth = _ratio(last, first, "per_user_wall_s")
    print(
        f"per-user time growth {first['users']} -> {last['users']} (users taken in: {first['users_taken_in']} -> "
        f"{last['users_taken_in']}): wall {growth:.2f}, "
        f"CPU {_ratio(last, first, 'per_user_cpu_s'):.2f}, daily part {_ratio(last, first, 'per_user_daily_s'):.2f}"
    )
    print(f"users: {last['users']}  wall_s: {last['wall_s']}  runs: {last['runs']}  growth: {growth:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
