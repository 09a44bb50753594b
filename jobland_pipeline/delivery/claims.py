"""Who delivers a user's digest of a day: one claim, taken before anything is written or sent.

Two runs (processes, machines) delivering the same day at once must not both send. Reading the ledger
and then writing it cannot promise that (both read "not sent", both send), so each user-day has a
claim that only one holder can have at a time, taken *before* the send:

- locally (the default) a file lock (``fcntl.flock``) on ``<outbox>/.claims/<day>/<user>.lock``: the
  kernel gives it to one process and takes it back when that process dies, however it dies;
- with Dagster's instance on Postgres (``DAGSTER_PG_*``) a row of ``jobland_delivery_claims`` whose
  primary key is (user, day), inserted with ``INSERT ... ON CONFLICT DO NOTHING``: the insert that
  lands is the claim. The row names its owner by a session-level advisory lock of the owner's
  connection, so a claim whose owner died (its connection closed, its advisory lock gone) is taken
  over with one compare-and-set ``UPDATE``, never by reading and then writing.

The claim also keeps the delivery's state (:class:`ClaimState`: claimed with its Message-ID, then
sent/written/failed/dead_letter), written durably before the next step, so a run that finds a claim
left by a killed run knows what that run got done and completes it instead of sending again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jobland_pipeline.atomic import fsync_dir, write_atomically

TABLE = "jobland_delivery_claims"
_NAMESPACE = 0x4A4C  # the first key of every advisory lock JobLand takes ("JL")


@dataclass(frozen=True)
class ClaimState:
    """What the holder of a user-day's claim has got done so far (what a later run resumes from)."""

    status: str  # claimed | sent | written | failed | dead_letter | abandoned (killed, nothing sent)
    message_id: str | None = None
    subject: str | None = None
    application_ids: tuple[str, ...] = ()
    attempts: int = 0  # delivery attempts over every run of the day
    failures: int = 0  # runs in a row that failed transiently (the wait before the next one doubles)
    eml_path: str | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None

    def to_json(self) -> str:
        data = asdict(self)
        data["application_ids"] = list(self.application_ids)
        data["next_attempt_at"] = self.next_attempt_at.isoformat() if self.next_attempt_at else None
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | Mapping[str, Any]) -> ClaimState | None:
        """The state, or None for an empty one (a claim taken by a run that died before anything)."""
        data = dict(json.loads(text) if isinstance(text, str) else text)
        if not data.get("status"):
            return None
        known = {f for f in cls.__dataclass_fields__}
        data = {k: v for k, v in data.items() if k in known}
        data["application_ids"] = tuple(data.get("application_ids") or ())
        when = data.get("next_attempt_at")
        data["next_attempt_at"] = datetime.fromisoformat(when) if when else None
        return cls(**data)

    def but(self, **changes: Any) -> ClaimState:
        return replace(self, **changes)


class ClaimLost(RuntimeError):
    """The claim was taken over while held (it should not be: the owner was alive)."""


@dataclass
class Claim(ABC):
    """One held user-day: ``previous`` is what earlier holders recorded; :meth:`mark` records more."""

    user_id: str
    day: date
    previous: ClaimState | None
    marked: list[ClaimState] = field(default_factory=list)

    def mark(self, state: ClaimState) -> None:
        """Record ``state`` durably before returning (the next step may be a kill)."""
        self._store(state)
        self.marked.append(state)

    @abstractmethod
    def _store(self, state: ClaimState) -> None:
        """Keep the state durably; the first one also makes the claim *pending* (see :meth:`recorded`)."""

    @abstractmethod
    def recorded(self) -> None:
        """The ledger holds this claim's outcome: it is no longer pending (no later run looks at it)."""

    @abstractmethod
    def release(self) -> None: ...


class Claims(ABC):
    """Where claims are kept: :class:`LocalClaims` or :class:`PostgresClaims`."""

    kind: str

    @abstractmethod
    def try_claim(self, user_id: str, day: date) -> Claim | None:
        """The claim if no live holder has it now, else None (never waits)."""

    @abstractmethod
    def lock(self, name: str) -> contextlib.AbstractContextManager[None]:
        """Exclusive, waiting lock on a name (the ledger's compaction of one user's files)."""

    @abstractmethod
    def peek(self, user_id: str, days: list[date]) -> dict[date, ClaimState]:
        """The recorded states of these days' claims (read without taking them)."""

    @abstractmethod
    def forget(self, user_id: str) -> int:
        """Remove every claim of a user (forgetting them); returns how many went."""

    @abstractmethod
    def pending(self, user_id: str, before: date) -> list[date]:
        """Days before ``before`` whose claim holds a state the ledger may not have (a run was killed
        between marking it and recording it), however long ago."""

    def close(self) -> None:  # noqa: B027 - only the Postgres claims have a connection to close
        """Release the connection (nothing to release for files)."""

    @contextlib.contextmanager
    def claim(self, user_id: str, day: date, *, wait: float) -> Iterator[Claim | None]:
        """Hold the user-day's claim for the block; waits up to ``wait`` seconds for a live holder to
        finish (then yields None: the other run is still delivering it)."""
        deadline = time.monotonic() + wait
        pause = 0.05
        while (held := self.try_claim(user_id, day)) is None and time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
        try:
            yield held
        finally:
            if held is not None:
                held.release()


def safe_name(user_id: str) -> str:
    """A file name for a user id (the outbox already names files by it; anything odd is replaced)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", user_id).lstrip(".")
    return cleaned if cleaned == user_id else f"{cleaned}-{uuid.uuid5(uuid.NAMESPACE_URL, user_id).hex[:8]}"


@dataclass
class _FileClaim(Claim):
    fd: int = -1
    state_path: Path = Path()

    pending_path: Path = Path()

    def _store(self, state: ClaimState) -> None:
        if not self.marked and not self.pending_path.exists():  # before the state: never a state unseen
            self.pending_path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.pending_path, os.O_WRONLY | os.O_CREAT, 0o600))  # empty: no temp needed
            fsync_dir(self.pending_path.parent)
        write_atomically(self.state_path, state.to_json().encode(), strict=True)  # once-only: durable

    def recorded(self) -> None:
        self.pending_path.unlink(missing_ok=True)

    def release(self) -> None:
        if self.fd >= 0:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = -1


class LocalClaims(Claims):
    """File locks and state files under one folder (one machine; every process on it)."""

    kind = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def try_claim(self, user_id: str, day: date) -> Claim | None:
        folder = self.root / day.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        name = safe_name(user_id)
        fd = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        state_path = folder / f"{name}.json"
        for stale in folder.glob(f".{name}.json.*.tmp"):  # a holder killed mid-write; we hold it now
            stale.unlink(missing_ok=True)
        try:
            previous = ClaimState.from_json(state_path.read_text()) if state_path.exists() else None
        except (ValueError, TypeError):
            previous = None  # written atomically, so never half; unreadable means hand-edited
        pending = self.root / "pending" / name / day.isoformat()
        return _FileClaim(user_id, day, previous, fd=fd, state_path=state_path, pending_path=pending)

    def pending(self, user_id: str, before: date) -> list[date]:
        folder = self.root / "pending" / safe_name(user_id)
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        days = [date.fromisoformat(n) for n in names if re.fullmatch(r"\d{4}-\d{2}-\d{2}", n)]
        return sorted(d for d in days if d < before)

    def peek(self, user_id: str, days: list[date]) -> dict[date, ClaimState]:
        found: dict[date, ClaimState] = {}
        for day in days:
            path = self.root / day.isoformat() / f"{safe_name(user_id)}.json"
            with contextlib.suppress(FileNotFoundError, ValueError, TypeError):
                if (state := ClaimState.from_json(path.read_text())) is not None:
                    found[day] = state
        return found

    def forget(self, user_id: str) -> int:
        name = safe_name(user_id)
        gone = [*self.root.glob(f"*/{name}.json"), *self.root.glob(f"*/{name}.lock")]
        pending = self.root / "pending" / name
        marks = list(pending.glob("*"))
        for path in [*gone, *marks]:
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # gone, or a run marked a new day meanwhile
            pending.rmdir()
        return len(gone)

    @contextlib.contextmanager
    def lock(self, name: str) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / f"{safe_name(name)}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock


@dataclass
class _RowClaim(Claim):
    claims: PostgresClaims | None = None

    def _store(self, state: ClaimState) -> None:
        assert self.claims is not None
        self.claims.store(self, state)

    def recorded(self) -> None:
        assert self.claims is not None
        self.claims.set_recorded(self)

    def release(self) -> None:
        if self.claims is not None:
            self.claims.release(self)
            self.claims = None


class PostgresClaims(Claims):
    """Claims as rows of one Postgres table (every machine that reaches the database)."""

    kind = "postgres"

    def __init__(self, connect: Mapping[str, Any]) -> None:
        import psycopg2

        self.con = psycopg2.connect(**connect)
        self.con.autocommit = True
        # Who we are: a session-level advisory lock on a token of our own, held until the connection
        # closes (also when the process is killed): a claim naming a token nobody holds is orphaned.
        with self.con.cursor() as cur:
            while True:
                self.token = secrets.randbelow(2**31 - 2) + 1
                cur.execute("SELECT pg_try_advisory_lock(%s, %s)", (_NAMESPACE, self.token))
                if cur.fetchone()[0]:
                    break
            cur.execute("BEGIN")
            cur.execute("SELECT pg_advisory_xact_lock(%s, 0)", (_NAMESPACE,))  # one creator at a time
            cur.execute(
                f"""CREATE TABLE IF NOT EXISTS {TABLE} (
                    user_id text NOT NULL,
                    day date NOT NULL,
                    status text NOT NULL,
                    state jsonb NOT NULL DEFAULT '{{}}'::jsonb,
                    owner_token integer,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (user_id, day))"""
            )
            cur.execute(
                f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS recorded boolean NOT NULL DEFAULT false"
            )
            cur.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def try_claim(self, user_id: str, day: date) -> Claim | None:
        with self.con.cursor() as cur:
            cur.execute(
                f"""INSERT INTO {TABLE} (user_id, day, status, owner_token) VALUES (%s, %s, 'claimed', %s)
                    ON CONFLICT (user_id, day) DO NOTHING RETURNING status""",
                (user_id, day, self.token),
            )
            if cur.fetchone() is not None:
                return _RowClaim(user_id, day, None, claims=self)
            # Someone had it: take it over only if nobody holds it now (released, or its owner's
            # session is gone), in one statement; of two runs trying at once one update lands.
            cur.execute(
                f"""UPDATE {TABLE} AS c SET owner_token = %s, updated_at = now()
                    WHERE c.user_id = %s AND c.day = %s AND (c.owner_token IS NULL OR NOT EXISTS (
                        SELECT 1 FROM pg_locks l
                        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                          AND l.classid = %s::int4::oid AND l.objid = c.owner_token::oid
                          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())))
                    RETURNING c.state""",
                (self.token, user_id, day, _NAMESPACE),
            )
            row = cur.fetchone()
        if row is None:
            return None
        return _RowClaim(user_id, day, ClaimState.from_json(row[0]), claims=self)

    def peek(self, user_id: str, days: list[date]) -> dict[date, ClaimState]:
        with self.con.cursor() as cur:
            cur.execute(
                f"SELECT day, state FROM {TABLE} WHERE user_id = %s AND day = ANY(%s)", (user_id, days)
            )
            found = {day: ClaimState.from_json(state) for day, state in cur.fetchall()}
        return {day: state for day, state in found.items() if state is not None}

    def pending(self, user_id: str, before: date) -> list[date]:
        with self.con.cursor() as cur:
            cur.execute(
                f"SELECT day FROM {TABLE} WHERE user_id = %s AND day < %s AND NOT recorded AND state <> '{{}}'::jsonb",
                (user_id, before),
            )
            return sorted(day for (day,) in cur.fetchall())

    def set_recorded(self, claim: Claim) -> None:
        with self.con.cursor() as cur:
            cur.execute(
                f"UPDATE {TABLE} SET recorded = true WHERE user_id = %s AND day = %s AND owner_token = %s",
                (claim.user_id, claim.day, self.token),
            )

    def forget(self, user_id: str) -> int:
        with self.con.cursor() as cur:
            cur.execute(f"DELETE FROM {TABLE} WHERE user_id = %s", (user_id,))
            return int(cur.rowcount)

    def store(self, claim: Claim, state: ClaimState) -> None:
        with self.con.cursor() as cur:
            cur.execute(
                f"""UPDATE {TABLE} SET status = %s, state = %s::jsonb, recorded = false, updated_at = now()
                    WHERE user_id = %s AND day = %s AND owner_token = %s""",
                (state.status, state.to_json(), claim.user_id, claim.day, self.token),
            )
            if cur.rowcount != 1:
                raise ClaimLost(f"the claim on {claim.user_id}'s digest of {claim.day} was taken over")

    def release(self, claim: Claim) -> None:
        with self.con.cursor() as cur:
            if claim.previous is None and not claim.marked:  # nothing happened: leave no row behind
                cur.execute(
                    f"DELETE FROM {TABLE} WHERE user_id = %s AND day = %s AND owner_token = %s",
                    (claim.user_id, claim.day, self.token),
                )
            else:
                cur.execute(
                    f"""UPDATE {TABLE} SET owner_token = NULL
                        WHERE user_id = %s AND day = %s AND owner_token = %s""",
                    (claim.user_id, claim.day, self.token),
                )

    @contextlib.contextmanager
    def lock(self, name: str) -> Iterator[None]:
        key = int.from_bytes(uuid.uuid5(uuid.NAMESPACE_URL, name).bytes[:4], "big") >> 1
        with self.con.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s, %s)", (_NAMESPACE + 1, key))
            try:
                yield
            finally:
                cur.execute("SELECT pg_advisory_unlock(%s, %s)", (_NAMESPACE + 1, key))


def postgres_from_env(env: Mapping[str, str]) -> dict[str, Any] | None:
    """Connection settings of Dagster's Postgres instance (``DAGSTER_PG_*``), None when not set."""
    if not env.get("DAGSTER_PG_HOST"):
        return None
    return {
        "host": env["DAGSTER_PG_HOST"],
        "port": int(env.get("DAGSTER_PG_PORT") or 5432),
        "user": env.get("DAGSTER_PG_USERNAME") or None,
        "password": env.get("DAGSTER_PG_PASSWORD") or None,
        "dbname": env.get("DAGSTER_PG_DB") or "postgres",
        "connect_timeout": 10,
    }


def open_claims(kind: str, outbox_dir: Path, env: Mapping[str, str]) -> Claims:
    """``auto``: Postgres when Dagster's instance is there (DAGSTER_PG_*), else file locks beside the
    outbox; ``postgres`` insists on it (an error without DAGSTER_PG_*); ``local`` always uses files."""
    pg = postgres_from_env(env)
    if kind == "postgres" and pg is None:
        raise ValueError(
            "JOBLAND_DELIVERY_CLAIMS=postgres needs DAGSTER_PG_HOST (and the other DAGSTER_PG_*)"
        )
    if kind not in {"auto", "postgres", "local"}:
        raise ValueError(f"JOBLAND_DELIVERY_CLAIMS={kind!r}: expected auto, postgres or local")
    if pg is not None and kind != "local":
        return PostgresClaims(pg)
    return LocalClaims(outbox_dir / ".claims")
