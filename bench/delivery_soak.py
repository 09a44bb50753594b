"""Random-kill soak of the delivery: N runs SIGKILLed at random moments, then a clean run per day.

Each round is a new day with one new approved package per user; one delivery run (sometimes two at
once) starts, and after a random delay (0 to ``--max-delay`` seconds after it starts delivering, so
anywhere: reading the ledger, taking a claim, writing the outbox, inside the SMTP transaction,
recording) it is killed with SIGKILL. At the end two clean runs on the next day (the second must
send nothing). Then it checks what the ``exactly once`` promise is about:

- every package reached the SMTP server (or the outbox) in exactly one digest (one Message-ID),
- each user-day has at most one delivered ledger row, and its Message-ID is the one received,
- no temporary file is left, no claim is still ``claimed`` or pending (marked, not in the ledger).

It prints the kills, where they landed (killed before or after the run had delivered anything), the
messages received, and ``duplicates: N`` (messages with a Message-ID already received: the one window
left, a kill between the server's "250" and the claim recording ``sent``) and ``lost: N``.

    python bench/delivery_soak.py --kills 50 --transport smtp
    python bench/delivery_soak.py --kills 50 --transport outbox
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from jobland_pipeline.delivery.claims import LocalClaims  # noqa: E402
from jobland_pipeline.generation.records import APPLICATION_PACKAGES, ApplicationPackageRow  # noqa: E402
from jobland_pipeline.warehouse import Warehouse  # noqa: E402
from tests.test_smtp import Recorder  # noqa: E402

USERS = ["ann", "bob", "cat", "dan"]
START = date(2026, 12, 7)
CHILD = "import json, sys; from tests.test_exactly_once import child; child(json.loads(sys.argv[1]))"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _add_packages(root: Path, rounds: int) -> None:
    """Every user's packages of rounds 0..rounds-1 (one per round), approved and grounded."""
    store = Warehouse(root / "warehouse", root / "jobland.duckdb")
    for user in USERS:
        rows = []
        for n in range(rounds):
            folder = root / "packages" / user / f"acme--role-{n}"
            if not folder.exists():
                folder.mkdir(parents=True)
                (folder / "tailored_cv.md").write_bytes(os.urandom(8 * 1024).hex().encode())
            rows.append(
                ApplicationPackageRow(
                    search_key=f"{user}::role-{n}",
                    user_id=user,
                    posting_id=f"p{n}",
                    application_id=f"{user}:p{n}",
                    title=f"Role {n}",
                    company="Acme",
                    score=90,
                    probability="High",
                    package_dir=str(folder),
                    grounded=True,
                    review_status="approved",
                )
            )
        store.write_records(APPLICATION_PACKAGES, user, rows)


def _start(config: dict[str, Any], n: int) -> list[subprocess.Popen[str]]:
    go = Path(config["root"]) / "go"
    go.unlink(missing_ok=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, json.dumps(config)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not all(
        (Path(config["root"]) / f"ready.{p.pid}").exists() for p in procs
    ):
        time.sleep(0.02)  # every child has imported and waits at the barrier
    go.touch()
    return procs


def _messages(root: Path, handler: Recorder | None) -> list[tuple[str, str, tuple[str, ...]]]:
    """(user, Message-ID, applications) of every message received (SMTP) or written (outbox)."""
    raws = (
        list(handler.messages)
        if handler is not None
        else [p.read_bytes() for p in sorted((root / "outbox").rglob("*.eml"))]
    )
    out = []
    for raw in raws:
        msg = message_from_bytes(raw, policy=policy.default)
        ids = tuple(i.strip() for i in str(msg["X-JobLand-Applications"]).split(",") if i.strip())
        out.append((str(msg["X-JobLand-User"]), str(msg["Message-ID"]), ids))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--transport", choices=["smtp", "outbox"], default="smtp")
    parser.add_argument("--max-delay", type=float, default=2.0, help="seconds after the start")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="jobland_soak_"))
    handler = Recorder() if args.transport == "smtp" else None
    controller = None
    base: dict[str, Any] = {"root": str(root), "users": USERS}
    if handler is not None:
        port = _port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        base["smtp_port"] = port
    killed_early = killed_late = finished = 0
    days: list[date] = []
    try:
        for i in range(args.kills):
            day = START + timedelta(days=i)
            days.append(day)
            _add_packages(root, i + 1)
            before = len(_messages(root, handler))
            procs = _start({**base, "day": day.isoformat()}, 2 if rng.random() < 0.25 else 1)
            time.sleep(rng.uniform(0, args.max_delay))
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                else:
                    finished += 1
                proc.communicate()
            after = len(_messages(root, handler))
            killed_late += after > before
            killed_early += after == before
        final = days[-1] + timedelta(days=1)
        for _ in range(
            2
        ):  # the clean runs, the day after (time goes forward), twice: the second sends nothing
            [proc] = _start({**base, "day": final.isoformat()}, 1)
            _out, err = proc.communicate(timeout=300)
            if proc.returncode != 0:
                print(err, file=sys.stderr)
                return 1
    finally:
        if controller is not None:
            controller.stop()
    received = _messages(root, handler)
    packages = Counter(a for _, _, ids in received for a in ids)
    ids = Counter(mid for _, mid, _ in received)
    expected = {f"{u}:p{n}" for u in USERS for n in range(args.kills)}
    store = Warehouse(root / "warehouse", root / "jobland.duckdb")
    ledger = store.read("email_digests")
    delivered = ledger.filter(ledger["status"].is_in(["sent", "written"]))
    per_day = Counter(zip(delivered["user_id"], delivered["digest_date"], strict=True))
    leftovers = [str(p) for p in root.rglob("*.tmp")]
    claims = LocalClaims(root / "outbox" / ".claims")
    stuck = [(u, d) for u in USERS for d, s in claims.peek(u, days).items() if s.status == "claimed"]
    pending = [(u, d) for u in USERS for d in claims.pending(u, date.max)]
    duplicates = sum(n - 1 for n in ids.values() if n > 1)
    twice = sorted(a for a, n in packages.items() if n > 1)
    lost = sorted(expected - set(packages))
    print(f"transport: {args.transport}  kills: {args.kills}  runs that finished before the kill: {finished}")
    print(f"kills before anything was delivered: {killed_early}  after some was: {killed_late}")
    print(
        f"messages: {len(received)}  distinct Message-IDs: {len(ids)}  packages: {len(packages)}/{len(expected)}"
    )
    print(
        f"ledger rows delivered: {delivered.height}  user-days with two rows: {sum(n > 1 for n in per_day.values())}"
    )
    print(
        f"leftover temporary files: {len(leftovers)}  claims still 'claimed': {len(stuck)}"
        f"  claims pending: {len(pending)}"
    )
    print(f"packages in two messages: {len(twice)} {twice[:5]}")
    print(f"duplicates: {duplicates}  lost: {len(lost)} {lost[:5]}")
    ok = not lost and not leftovers and not stuck and not pending and all(n == 1 for n in per_day.values())
    ok = ok and len(twice) == duplicates  # a package twice only in a resend of the same message
    print("ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
