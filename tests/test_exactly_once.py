"""Exactly once across processes: races, kills, SMTP 451/550, a write that fails for lack of room.

Every test runs the delivery in child processes (``python -c ... child(config)``) the way the
``email_digests`` asset does (claims, the warehouse ledger, the outbox or a real aiosmtpd server on
loopback) and asserts on what the server received, what the outbox holds and what the ledger says.
Kills are real: ``JOBLAND_TEST_KILL_AT=<point>`` makes the child SIGKILL itself at that point.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from aiosmtpd.controller import Controller

from tests.test_smtp import Recorder

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 12, 7)
USERS = ["ann", "bob", "cat", "dan"]
LATER = DAY + timedelta(days=10)
PG = {"host": "127.0.0.1", "port": 5432, "user": os.environ.get("PGUSER", "postgres")}


# -- the child: one delivery run, as the asset makes it ---------------------------------------------
def child(config: dict[str, Any]) -> None:
    """Deliver every user's digest of DAY once, print {user: status} as JSON."""
    import resource

    from jobland_pipeline.delivery.claims import open_claims
    from jobland_pipeline.delivery.mailer import Mailer
    from jobland_pipeline.delivery.records import EMAIL_DIGESTS, EmailDigestRow
    from jobland_pipeline.delivery.smtp import SmtpConfig
    from jobland_pipeline.delivery.stage import Ledger, deliver_digest
    from jobland_pipeline.generation.records import APPLICATION_PACKAGES
    from jobland_pipeline.warehouse import Warehouse

    if config.get("fsize"):  # a file may not grow past this: writes fail with EFBIG, not a signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (config["fsize"], config["fsize"]))
    root = Path(config["root"])
    store = Warehouse(root / "warehouse", root / "jobland.duckdb")
    smtp = (
        SmtpConfig("127.0.0.1", config["smtp_port"], "none", timeout=5, max_retries=2, backoff_base=0.01)
        if config.get("smtp_port")
        else None
    )
    mailer = Mailer(root / "outbox", "jobland@example.org", smtp, config.get("retry_after", 900.0))
    claims = open_claims(config.get("claims", "local"), root / "outbox", config.get("env", {}))
    offset = timedelta(seconds=config.get("clock_offset", 0))
    day = date.fromisoformat(config.get("day", DAY.isoformat()))
    packages = store.read_records(APPLICATION_PACKAGES)
    go = root / "go"
    (root / f"ready.{os.getpid()}").touch()  # imported and waiting (the soak kills only after this)
    while not go.exists():  # every child starts delivering at the same moment
        time.sleep(0.01)

    def ledger_rows(user_id: str) -> list[EmailDigestRow]:
        with claims.lock(f"ledger-{user_id}"):
            return store.read_records(EMAIL_DIGESTS, [user_id])

    def record(row: EmailDigestRow) -> None:
        with claims.lock(f"ledger-{row.user_id}"):
            store.append_records(EMAIL_DIGESTS, [row], group=str(row.user_id))

    out: dict[str, str] = {}
    for user in config["users"]:
        row = deliver_digest(
            user,
            packages=packages,
            ledger=Ledger.of(ledger_rows(user)),
            profile=None,
            recipient=f"{user}@example.com",
            mailer=mailer,
            record=record,
            today=day,
            claims=claims,
            ledger_rows=ledger_rows,
            now=lambda: datetime.now(UTC) + offset,
        )
        out[user] = str(row.status)
    for user in config["users"]:
        with claims.lock(f"ledger-{user}"):
            for tmp in (root / "warehouse" / EMAIL_DIGESTS.name / user).glob(".*.tmp"):
                tmp.unlink()  # as the asset does (DailyDigests.compact)
            store.compact(EMAIL_DIGESTS.name, user)
    claims.close()
    print(json.dumps(out))


def _spawn(config: dict[str, Any], kill_at: str | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "JOBLAND_TEST_KILL_AT"}
    if kill_at:
        env["JOBLAND_TEST_KILL_AT"] = kill_at
    code = "import json, sys; from tests.test_exactly_once import child; child(json.loads(sys.argv[1]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(config: dict[str, Any], n: int = 1, kill_at: str | None = None) -> list[tuple[int, dict[str, str]]]:
    """n children at once; each one's exit code and {user: status}."""
    go = Path(config["root"]) / "go"
    go.unlink(missing_ok=True)
    children = [_spawn(config, kill_at) for _ in range(n)]
    go.touch()
    results = []
    for proc in children:
        out, err = proc.communicate(timeout=300)
        if proc.returncode == 0:
            results.append((0, json.loads(out.strip().splitlines()[-1])))
        else:
            assert proc.returncode == -signal.SIGKILL, err
            results.append((proc.returncode, {}))
    return results


# -- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture
def world(tmp_path: Path) -> Path:
    """Four users with two approved, grounded packages each, in a warehouse of their own."""
    from jobland_pipeline.generation.records import APPLICATION_PACKAGES, ApplicationPackageRow
    from jobland_pipeline.warehouse import Warehouse

    store = Warehouse(tmp_path / "warehouse", tmp_path / "jobland.duckdb")
    for user in USERS:
        rows = []
        for n in (1, 2):
            folder = tmp_path / "packages" / user / f"acme--role-{n}"
            folder.mkdir(parents=True)
            (folder / "tailored_cv.md").write_bytes(os.urandom(48 * 1024).hex().encode())  # ~96 KB
            rows.append(
                ApplicationPackageRow(
                    search_key=f"{user}::role-{n}",
                    user_id=user,
                    posting_id=f"p{n}",
                    application_id=f"{user}:p{n}",
                    title=f"Role {n}",
                    company="Acme",
                    location="Chicago, IL",
                    url=f"https://jobs.example/{n}",
                    score=90 - n,
                    probability="High",
                    package_dir=str(folder),
                    grounded=True,
                    review_status="approved",
                )
            )
        store.write_records(APPLICATION_PACKAGES, user, rows)
    return tmp_path


class Counting(Recorder):
    """The recorder of test_smtp, also counting every recipient offered (refused or not)."""

    def __init__(self) -> None:
        super().__init__()
        self.rcpt_offered = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        self.rcpt_offered += 1
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Counting, int]]:
    handler = Counting()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def pg_env() -> Iterator[dict[str, str]]:
    """A fresh Postgres database, as DAGSTER_PG_* would name it."""
    try:
        import psycopg2

        con = psycopg2.connect(dbname="test", connect_timeout=3, **PG)
    except Exception as exc:
        if os.environ.get("CI") == "true":
            raise  # CI must exercise Postgres
        pytest.skip(f"Postgres not reachable on 127.0.0.1:5432 ({str(exc).strip()})")
    name = f"jobland_claims_{uuid.uuid4().hex[:8]}"
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    yield {
        "DAGSTER_PG_HOST": str(PG["host"]),
        "DAGSTER_PG_PORT": str(PG["port"]),
        "DAGSTER_PG_USERNAME": str(PG["user"]),
        "DAGSTER_PG_PASSWORD": "",
        "DAGSTER_PG_DB": name,
    }
    with con.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    con.close()


# -- reading what happened --------------------------------------------------------------------------
def _ledger(root: Path) -> pl.DataFrame:
    from jobland_pipeline.warehouse import Warehouse

    return Warehouse(root / "warehouse", root / "jobland.duckdb").read("email_digests")


def _delivered(root: Path) -> pl.DataFrame:
    return _ledger(root).filter(pl.col("status").is_in(["sent", "written"]))


def _received(handler: Recorder) -> list[tuple[str, str]]:
    """(user, Message-ID) of every message the SMTP server accepted."""
    out = []
    for raw in handler.messages:
        msg = message_from_bytes(raw, policy=policy.default)
        out.append((str(msg["X-JobLand-User"]), str(msg["Message-ID"])))
    return sorted(out)


def _leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.tmp"))


def _emls(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "outbox").rglob("*.eml"))


# -- races ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [2, 4])
def test_concurrent_runs_send_one_digest_per_user(world: Path, smtp, n: int) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    results = _run({"root": str(world), "users": USERS, "smtp_port": port}, n=n)
    assert [code for code, _ in results] == [0] * n
    assert [u for u, _ in _received(handler)] == USERS  # exactly one message per user
    for user in USERS:
        statuses = sorted(r[user] for _, r in results)
        assert statuses == ["already_sent"] * (n - 1) + ["sent"], (user, statuses)
    delivered = _delivered(world)
    assert sorted(delivered["user_id"].to_list()) == USERS
    ids = dict(_received(handler))
    assert dict(zip(delivered["user_id"], delivered["message_id"], strict=True)) == ids


def test_concurrent_runs_write_one_outbox_file_per_user(world: Path) -> None:
    results = _run({"root": str(world), "users": USERS}, n=4)
    assert [code for code, _ in results] == [0] * 4
    assert _emls(world) == [f"{u}.eml" for u in USERS]
    assert sorted(_delivered(world)["user_id"].to_list()) == USERS
    assert _leftovers(world) == []


def test_concurrent_runs_with_postgres_claims(world: Path, smtp, pg_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    config = {"root": str(world), "users": USERS, "smtp_port": port, "claims": "auto", "env": pg_env}
    results = _run(config, n=4)
    assert [code for code, _ in results] == [0] * 4
    assert [u for u, _ in _received(handler)] == USERS
    assert sorted(_delivered(world)["user_id"].to_list()) == USERS
    assert not (world / "outbox" / ".claims").exists()  # the claims were rows, not files
    import psycopg2

    with psycopg2.connect(dbname=pg_env["DAGSTER_PG_DB"], **PG) as con, con.cursor() as cur:
        cur.execute("SELECT user_id, status, owner_token FROM jobland_delivery_claims ORDER BY user_id")
        assert cur.fetchall() == [(u, "sent", None) for u in USERS]


# -- kills ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("point", ["after_claim", "after_tmp", "after_link", "after_mark", "after_ledger"])
def test_outbox_kill_then_rerun_delivers_once(world: Path, point: str) -> None:
    config = {"root": str(world), "users": USERS}
    [(code, _)] = _run(config, kill_at=point)
    assert code == -signal.SIGKILL
    first = {p.name: p.read_bytes() for p in (world / "outbox").rglob("*.eml")}
    [(code, statuses)] = _run(config)
    assert code == 0
    assert _emls(world) == [f"{u}.eml" for u in USERS]
    assert _leftovers(world) == []  # the killed run's temporary file is gone
    for name, data in first.items():  # a file the killed run wrote is recorded, never rewritten
        assert (world / "outbox" / DAY.isoformat() / name).read_bytes() == data
    delivered = _delivered(world)
    assert sorted(delivered["user_id"].to_list()) == USERS  # one `written` row each
    for row in delivered.iter_rows(named=True):
        eml = message_from_bytes(Path(row["eml_path"]).read_bytes(), policy=policy.default)
        assert row["message_id"] == eml["Message-ID"]
        assert sorted(row["application_ids"]) == [f"{row['user_id']}:p1", f"{row['user_id']}:p2"]
    expected = "already_sent" if point == "after_ledger" else "written"
    assert statuses["ann"] == expected  # the killed run's user: completed, not delivered again
    [(_, again)] = _run(config)
    assert set(again.values()) == {"already_sent"}
    assert _delivered(world).height == len(USERS)


@pytest.mark.parametrize("point", ["after_claim", "after_mark", "after_ledger"])
def test_smtp_kill_then_rerun_sends_once(world: Path, smtp, point: str) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    config = {"root": str(world), "users": USERS, "smtp_port": port}
    [(code, _)] = _run(config, kill_at=point)
    assert code == -signal.SIGKILL
    [(code, statuses)] = _run(config)
    assert code == 0
    assert [u for u, _ in _received(handler)] == USERS  # one message per user, the killed one too
    assert statuses["ann"] == ("already_sent" if point == "after_ledger" else "sent")
    assert sorted(_delivered(world)["user_id"].to_list()) == USERS
    assert _leftovers(world) == []


def test_smtp_kill_during_the_send_resends_the_same_message(world: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    """The one window left: the server said 250, the run died before recording it. The next run sends
    again, with the same Message-ID (the receiving side can tell it is the same digest)."""
    handler, port = smtp
    config = {"root": str(world), "users": USERS, "smtp_port": port}
    [(code, _)] = _run(config, kill_at="after_send")
    assert code == -signal.SIGKILL
    _run(config)
    received = _received(handler)
    ann = [mid for u, mid in received if u == "ann"]
    assert len(ann) == 2 and len(set(ann)) == 1
    assert [u for u, _ in received if u != "ann"] == USERS[1:]
    assert _delivered(world).filter(pl.col("user_id") == "ann")["message_id"].to_list() == ann[:1]


@pytest.mark.parametrize("point", ["after_claim", "after_mark"])
def test_postgres_claim_of_a_killed_run_is_taken_over(world: Path, smtp, pg_env, point: str) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    config = {"root": str(world), "users": USERS, "smtp_port": port, "claims": "auto", "env": pg_env}
    [(code, _)] = _run(config, kill_at=point)
    assert code == -signal.SIGKILL
    [(code, statuses)] = _run(config)  # the dead run's connection is gone: its claim is free
    assert code == 0 and statuses["ann"] == "sent"
    assert [u for u, _ in _received(handler)] == USERS
    assert sorted(_delivered(world)["user_id"].to_list()) == USERS


# -- SMTP answers -----------------------------------------------------------------------------------
def test_451_then_250_within_a_run(world: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    handler.busy = 1
    [(_, statuses)] = _run({"root": str(world), "users": ["ann"], "smtp_port": port})
    assert statuses == {"ann": "sent"}
    assert [u for u, _ in _received(handler)] == ["ann"]
    assert _delivered(world)["attempts"].to_list() == [2]


def test_451_is_retried_by_a_later_run_at_the_stated_time(world: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    handler.busy = 3  # every attempt of the first run (1 + 2 retries) is answered 451
    config = {"root": str(world), "users": ["ann"], "smtp_port": port, "retry_after": 3600}
    before = datetime.now(UTC)
    [(_, statuses)] = _run(config)
    assert statuses == {"ann": "failed"}
    [failed] = _ledger(world).to_dicts()
    assert "451" in failed["error"] and "next attempt at" in failed["error"]
    next_at = failed["next_attempt_at"].replace(tzinfo=UTC)
    assert before + timedelta(seconds=3600) <= next_at <= datetime.now(UTC) + timedelta(seconds=3600)
    [(_, statuses)] = _run(config)  # before that time: not tried, the row says when it will be
    assert statuses == {"ann": "failed"} and handler.messages == []
    assert _ledger(world).sort("recorded_at")["next_attempt_at"].to_list()[-1] == failed["next_attempt_at"]
    [(_, statuses)] = _run({**config, "clock_offset": 7200})  # after it: sent, once
    assert statuses == {"ann": "sent"}
    assert [u for u, _ in _received(handler)] == ["ann"]
    assert _delivered(world)["next_attempt_at"].to_list() == [None]


def test_no_answer_is_failed_with_a_next_attempt(world: Path) -> None:
    config = {"root": str(world), "users": ["ann"], "smtp_port": _free_port(), "retry_after": 60}
    [(_, statuses)] = _run(config)
    assert statuses == {"ann": "failed"}
    [row] = _ledger(world).to_dicts()
    assert "connection failed" in row["error"] and row["next_attempt_at"] is not None


def test_550_is_a_dead_letter_never_retried(world: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    handler, port = smtp
    handler.refuse_rcpt = True
    config = {"root": str(world), "users": ["ann"], "smtp_port": port, "retry_after": 0}
    [(_, statuses)] = _run(config)
    assert statuses == {"ann": "dead_letter"} and handler.rcpt_offered == 1
    [row] = _ledger(world).to_dicts()
    assert "550" in row["error"] and "not retried" in row["error"] and row["next_attempt_at"] is None
    handler.refuse_rcpt = False  # the server would take it now: still not resent
    [(_, statuses)] = _run({**config, "clock_offset": 86400})
    assert statuses == {"ann": "dead_letter"}
    [(_, statuses)] = _run({**config, "day": (DAY + timedelta(days=1)).isoformat()})  # nor the next day
    assert statuses == {"ann": "dead_letter"}
    assert handler.rcpt_offered == 1 and handler.messages == []


# -- a write that fails ------------------------------------------------------------------------------
def test_a_failed_outbox_write_is_failed_and_leaves_nothing(world: Path) -> None:
    """The .eml (about 270 KB) may not be written: the file-size limit makes the write fail with EFBIG
    as a full disk fails with ENOSPC (mounting a small tmpfs needs privileges a test does not have)."""
    config = {"root": str(world), "users": USERS, "fsize": 64 * 1024, "retry_after": 60}
    [(code, statuses)] = _run(config)
    assert code == 0 and set(statuses.values()) == {"failed"}
    ledger = _ledger(world)
    assert ledger.height == len(USERS)
    assert all("outbox write failed: EFBIG" in e for e in ledger["error"])
    assert ledger["next_attempt_at"].null_count() == 0
    assert _emls(world) == [] and _leftovers(world) == []
    assert not any((world / "outbox" / DAY.isoformat()).iterdir())
    [(_, statuses)] = _run({**config, "fsize": 0, "clock_offset": 120})  # room again, time to retry
    assert set(statuses.values()) == {"written"}
    assert _emls(world) == [f"{u}.eml" for u in USERS] and _leftovers(world) == []
    assert sorted(_delivered(world)["user_id"].to_list()) == USERS


@pytest.mark.parametrize("transport,point", [("outbox", "after_link"), ("smtp", "after_mark")])
def test_a_delivery_killed_days_ago_is_recorded_not_sent_again(
    world: Path, smtp, transport: str, point: str
) -> None:  # type: ignore[no-untyped-def]
    """The issue's case: a run killed after the digest went out, and the next run only days later (ten:
    past any fixed window). That digest is recorded for its day; its packages are not e-mailed again."""
    handler, port = smtp
    config: dict[str, Any] = {"root": str(world), "users": USERS}
    if transport == "smtp":
        config["smtp_port"] = port
    [(code, _)] = _run(config, kill_at=point)
    assert code == -signal.SIGKILL
    [(code, statuses)] = _run({**config, "day": LATER.isoformat()})
    assert code == 0 and statuses["ann"] == "no_packages"  # ann's packages went out that day
    assert {u: s for u, s in statuses.items() if u != "ann"} == {
        u: "sent" if transport == "smtp" else "written" for u in USERS[1:]
    }
    delivered = _delivered(world)
    ann = delivered.filter(pl.col("user_id") == "ann").to_dicts()
    assert [(r["digest_date"], sorted(r["application_ids"])) for r in ann] == [(DAY, ["ann:p1", "ann:p2"])]
    assert delivered.height == len(USERS)
    if transport == "smtp":
        assert [u for u, _ in _received(handler)] == USERS
    else:
        assert sorted(str(p.relative_to(world / "outbox")) for p in (world / "outbox").rglob("*.eml")) == [
            f"{DAY.isoformat()}/ann.eml",
            *[f"{LATER.isoformat()}/{u}.eml" for u in USERS[1:]],
        ]
    assert _leftovers(world) == []


def test_claims_are_forgotten_with_the_user(tmp_path: Path) -> None:
    from jobland_pipeline.delivery.claims import ClaimState, LocalClaims

    claims = LocalClaims(tmp_path)
    for user in ("ann", "bob"):
        with claims.claim(user, DAY, wait=0) as claim:
            assert claim is not None
            claim.mark(ClaimState("written", "<m>", "s", (f"{user}:p1",)))
    assert claims.peek("ann", [DAY]) == {DAY: ClaimState("written", "<m>", "s", ("ann:p1",))}
    assert claims.forget("ann") == 2
    assert claims.peek("ann", [DAY]) == {} and set(claims.peek("bob", [DAY])) == {DAY}
