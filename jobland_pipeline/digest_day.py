"""One run's delivery of its users' daily digests: what it reads, and every write to their ledgers.

It sits above ``warehouse`` and ``delivery`` (it reads the run's titles, packages, profiles and
postings by partition and appends to the delivery ledger), so the ``email_digests`` asset only wires
resources to it. Every writer of a user's ledger holds that user's ledger lock (a claim lock), so
compaction never races an append of another run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from jobland_pipeline.delivery.claims import Claims
from jobland_pipeline.delivery.digest import digest_options, no_titles_notice, notice_delivered
from jobland_pipeline.delivery.mailer import Mailer
from jobland_pipeline.delivery.records import EMAIL_DIGESTS, EmailDigestRow
from jobland_pipeline.delivery.stage import DELIVERED, Ledger, deliver_digest
from jobland_pipeline.generation.records import APPLICATION_PACKAGES, ApplicationPackageRow
from jobland_pipeline.keys import file_stem
from jobland_pipeline.llm.budget import budget_notice
from jobland_pipeline.llm.records import LLM_CALLS, LlmCallRow
from jobland_pipeline.postings.records import API_CALLS, JOB_POSTINGS
from jobland_pipeline.profiles.records import PROFILES, SUGGESTED_TITLES, ProfileRow, SuggestedTitleRow
from jobland_pipeline.profiles.stage import profile_of
from jobland_pipeline.profiles.user_settings import UserSettings
from jobland_pipeline.warehouse.store import Warehouse
from jobland_pipeline.warehouse.views import COST_PER_PACKAGE


@dataclass
class DailyDigests:
    """The digests of ``users`` for ``today``; ``rows`` holds every ledger row this run wrote."""

    store: Warehouse
    claims: Claims
    mailer: Mailer
    settings_of: Callable[[str], UserSettings]
    users: list[str]
    today: date
    rows: list[EmailDigestRow] = field(default_factory=list)
    titles: list[SuggestedTitleRow] = field(init=False)
    titles_written: set[str] = field(init=False)  # users whose titles step ran (rows or none)
    packages: list[ApplicationPackageRow] = field(init=False)
    profiles: dict[str, ProfileRow] = field(init=False)
    llm_calls: list[LlmCallRow] = field(init=False)

    def __post_init__(self) -> None:
        # Only what this run owns: its users' searches, packages, profiles and delivery ledger.
        self.titles = self.store.read_records(SUGGESTED_TITLES, self.users)
        self.titles_written = self.store.written(SUGGESTED_TITLES.name, self.users)
        searches = [str(t.search_key) for t in self.titles]
        self.packages = self.store.read_records(APPLICATION_PACKAGES, searches)
        self.profiles = {str(r.user_id): r for r in self.store.read_records(PROFILES, self.users)}
        # The day's LLM ledger group (the ledger is grouped by day): which users' budgets were reached.
        self.llm_calls = self.store.read_records(LLM_CALLS, [self.today.isoformat()])

    def ledger_rows(self, user_id: str) -> list[EmailDigestRow]:
        with self.claims.lock(f"ledger-{user_id}"):  # not while another run compacts the user's files
            return self.store.read_records(EMAIL_DIGESTS, [user_id])

    def record(self, row: EmailDigestRow) -> None:
        self.rows.append(row)  # each step is durable before the next
        with self.claims.lock(f"ledger-{row.user_id}"):
            self.store.append_records(EMAIL_DIGESTS, [row], group=str(row.user_id))

    def deliver(self, user_id: str) -> EmailDigestRow:
        """The user's digest for today, sent or skipped with its reason (see ``deliver_digest``)."""
        profile_row = self.profiles.get(user_id)
        settings = self.settings_of(user_id)
        rows = self.ledger_rows(user_id)
        ledger = Ledger.of(rows)
        # The digest's optional parts: the day's packages that could not be made, the pay the user's
        # searches saw per posting (their postings read once), and whether settings auto-approve.
        mine = [str(t.search_key) for t in self.titles if t.user_id == user_id]
        options = digest_options(
            user_id,
            packages=self.packages,
            postings=self.store.read_records(JOB_POSTINGS, mine) if mine else [],
            day=self.today,
            sent=ledger.sent,
            auto_approve=settings.auto_approve,
            budget=budget_notice(self.llm_calls, user_id),
            no_titles=self._no_titles_notice(user_id, profile_row, rows) if not mine else None,
        )
        return deliver_digest(
            user_id,
            packages=self.packages,
            ledger=ledger,
            profile=profile_of(profile_row) if profile_row else None,
            recipient=settings.email or (profile_row.email if profile_row else None),
            mailer=self.mailer,
            record=self.record,
            today=self.today,
            claims=self.claims,
            ledger_rows=self.ledger_rows,
            digest_options=options,
        )

    def _no_titles_notice(
        self, user_id: str, profile: ProfileRow | None, rows: list[EmailDigestRow]
    ) -> str | None:
        """The notice that the user's CV names no job to search for, while it has not reached them: a
        CV was read (settings alone are no CV to fault), the titles step ran on it and found none (its
        partition written, empty: not a step still queued), and no digest carried this CV's notice."""
        if profile is None or profile.cv_sha256 is None or user_id not in self.titles_written:
            return None
        notice = no_titles_notice(profile.cv_sha256)
        return None if notice_delivered(rows, notice) else notice

    def costs(self) -> pl.DataFrame:
        """The ``cost_per_package`` view's rows of this run's users for today (LLM spend, their paid
        searches, packages delivered, cost per delivered package: what analysts see), computed by the
        view's own SQL over what this run owns: today's ledger groups and its users' delivery ledgers,
        never the whole tables."""
        day = self.today.isoformat()
        frames = {
            "llm_calls": LLM_CALLS.frame(self.llm_calls),
            "api_calls": API_CALLS.frame(self.store.read_records(API_CALLS, [day])),
            "email_digests": EMAIL_DIGESTS.frame(self.store.read_records(EMAIL_DIGESTS, self.users)),
        }
        with tempfile.TemporaryDirectory(prefix="jobland-costs-") as folder, duckdb.connect() as con:
            con.execute("SET TimeZone = 'UTC'")
            for name, frame in frames.items():  # through Parquet: polars and DuckDB share no Arrow here
                path = Path(folder) / f"{name}.parquet"
                frame.write_parquet(path)
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path.as_posix()}')")
            cursor = con.execute(
                f"SELECT * FROM ({COST_PER_PACKAGE}) WHERE day = ? AND list_contains(?, user_id) ORDER BY user_id",
                [self.today, self.users],
            )
            names = [d[0] for d in cursor.description or []]
            return pl.DataFrame(cursor.fetchall(), schema=names, orient="row")

    def compact(self) -> pl.DataFrame:
        """Each user's ledger made one file again (not one per row); the delivered rows of all of them."""
        ledgers = []
        for user in self.users:
            with self.claims.lock(f"ledger-{user}"):  # every writer of the user's ledger holds it
                self._sweep_temporaries(user)
                self.store.compact(EMAIL_DIGESTS.name, user)
                ledgers.append(self.store.read(EMAIL_DIGESTS.name, [user]))
        return pl.concat(ledgers).filter(pl.col("status").is_in(DELIVERED))

    def _sweep_temporaries(self, user_id: str) -> None:
        """Remove the half-written ledger files of a run killed while it appended or compacted (the
        ledger lock is held, so no live writer has one); S3 has none (a PUT is whole or nothing)."""
        if isinstance(self.store.root, Path):
            for tmp in (self.store.root / EMAIL_DIGESTS.name / file_stem(user_id)).glob(".*.tmp"):
                tmp.unlink(missing_ok=True)
