"""Spending limits: past a user's daily budget (or the run's), the rest of the work is done offline.

An LLM engine's bill grows with users x postings, and a few users with many searches can take most
of it. ``BudgetedEngine`` wraps the real engine: before each judgement call (screening,
dossier, tailoring) it adds what the day's ledgers already hold for the user (``llm_calls``, read
by the day's group, never the whole table) to what this process spent since, and once that reaches
the limit it sends the call to the offline engine instead and writes an ``over_budget`` row to the
LLM ledger (user, day, spent, limit) so the digest can say so and analysts can count it.

Who pays what:
- titles, screening, tailoring: the user of the profile the call receives (titles are counted but never
  sent offline: they are made once per CV, and an offline answer would outlive the day's budget);
- a dossier is about a company, not a user, and serves every user with a High match there (it is
  cached across users): its ledger row is charged to the search that first needed it (the row's
  partition), so it counts in that user's spend from then on, but it is gated only by the run's
  budget, never by one user's, which would withhold it from the others;
- a paid search call (``api_calls``) is charged to the search that made it (equal queries are answered
  once a run for every user who asks: the first asker pays, the others record a free shared hit), so it
  counts in that user's day from the next check on (searches run before screening), and in its run.

The check is per call of the engine: a screening call judges up to ``JOBLAND_LLM_JUDGE_BUDGET``
postings, so a user can pass the limit by at most one call's cost before the switch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from jobland_pipeline.delivery.digest import BudgetNotice
from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR
from jobland_pipeline.llm.engine import Engine
from jobland_pipeline.llm.offline import OfflineEngine
from jobland_pipeline.llm.records import LLM_CALLS, LlmCallRow
from jobland_pipeline.postings.records import API_CALLS
from jobland_pipeline.records import TableStore

OVER_BUDGET = "over_budget"
USER_DAY, RUN = "user_day", "run"
TASK_OF = {"titles": "titles", "screen": "screening", "dossier": "dossier", "package": "tailor"}

__all__ = [
    "OVER_BUDGET",
    "Budget",
    "BudgetedEngine",
    "DaySpend",
    "budget_notice",
    "row_user",
]


@dataclass(frozen=True)
class Budget:
    """USD limits; None is unlimited. A limit of 0 sends everything to the offline engine."""

    per_user_day: float | None = None
    per_run: float | None = None

    @property
    def limited(self) -> bool:
        return self.per_user_day is not None or self.per_run is not None


def row_user(row: LlmCallRow) -> str | None:
    """The user a ledger row is charged to: its own ``user_id``, else its partition's user."""
    if row.user_id:
        return row.user_id
    return row.partition.split(SEARCH_KEY_SEPARATOR, 1)[0] if row.partition else None


@dataclass
class DaySpend:
    """What the ledgers of one day held when read: LLM spend per user, and per run (LLM + paid search)."""

    day: date
    per_user: dict[str, float] = field(default_factory=dict)
    per_run: dict[str, float] = field(default_factory=dict)

    @classmethod
    def read(cls, store: TableStore, day: date) -> DaySpend:
        """The day's groups of ``llm_calls`` and ``api_calls`` (the ledgers are grouped by UTC day) for
        the users; for the runs, the day before's too (a run that started before midnight keeps what
        it spent then: its budget is the run's, not the day's)."""
        spend = cls(day)
        users: defaultdict[str, float] = defaultdict(float)
        runs: defaultdict[str, float] = defaultdict(float)
        groups = [(day - timedelta(days=1)).isoformat(), day.isoformat()]
        for group in groups:
            for row in store.read_records(LLM_CALLS, [group]):
                cost = row.cost_usd or 0.0
                if group == day.isoformat() and (user := row_user(row)) is not None:
                    users[user] += cost
                if row.run_id:
                    runs[row.run_id] += cost
        for group in groups:
            for call in store.read_records(API_CALLS, [group]):
                cost = call.cost_usd or 0.0
                if group == day.isoformat() and call.user_id:
                    users[call.user_id] += cost  # the paid searches the user's searches made
                if call.run_id:
                    runs[call.run_id] += cost
        spend.per_user, spend.per_run = dict(users), dict(runs)
        return spend


def _user_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """The user of a call whose first argument is the profile (titles, screen, package)."""
    profile = kwargs.get("profile", args[0] if args else None)
    user = getattr(profile, "user_id", None)
    return str(user) if user else None


class BudgetedEngine:
    """The engine, sending each user's calls offline once their budget (or the run's) is spent.

    Calls are forwarded with their arguments as given (``*args``/``**kwargs``), so the wrapped
    engine's signatures may grow without this class changing; anything else (``models``,
    ``clients``...) is the wrapped engine's.
    """

    def __init__(
        self,
        inner: Engine,
        budget: Budget,
        *,
        store: TableStore | None = None,
        run_id: str | None = None,
        offline: Engine | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.budget = budget
        self.store = store
        self.run_id = run_id
        self.fallback: Engine = offline or getattr(inner, "offline", None) or OfflineEngine()
        self.clock = clock
        # by this process, per (UTC day, user): what it spent before midnight is not the new day's
        self.spent_by_user: defaultdict[tuple[date, str], float] = defaultdict(float)
        self.spent_in_run = 0.0  # by this process
        # calls the offline engine answered because a limit was reached: what such a call made is not
        # what the configured engine would make, so a cache keyed on the engine must not keep it
        self.answered_offline = 0
        self._earlier: DaySpend | None = None
        self._pending: list[LlmCallRow] = []

    def __getattr__(self, name: str) -> Any:
        if name == "inner":  # not set yet (copying, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)

    # -- the engine interface ------------------------------------------------------------------
    def drain_calls(self) -> list[LlmCallRow]:
        self._collect(None)
        rows, self._pending = self._pending, []
        return rows

    def profile(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.profile(*args, **kwargs)  # the offline extractor in every engine: no cost

    def titles(self, *args: Any, **kwargs: Any) -> Any:
        """Counted, never switched: titles are suggested once per CV (intake runs again only when the CV
        or settings change), so titles answered offline past one day's budget would stay offline for
        good, and every search after them depends on them."""
        user = _user_of(args, kwargs)
        result = self.inner.titles(*args, **kwargs)
        self._collect(user)
        return result

    def screen(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("screen", _user_of(args, kwargs), args, kwargs)

    def dossier(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("dossier", None, args, kwargs)  # shared by users: the run's budget only

    def package(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("package", _user_of(args, kwargs), args, kwargs)

    # -- the budget ----------------------------------------------------------------------------
    def earlier(self) -> DaySpend:
        """The day's ledgers as they were at this engine's first check (read once)."""
        if self._earlier is None or self._earlier.day != self.clock().date():
            today = self.clock().date()
            self._earlier = DaySpend.read(self.store, today) if self.store is not None else DaySpend(today)
        return self._earlier

    def over(self, user: str | None) -> tuple[str, float, float] | None:
        """(scope, spent, limit) of the first limit reached for this user's next call, or None."""
        earlier = self.earlier()
        if self.budget.per_run is not None:
            spent = earlier.per_run.get(self.run_id or "", 0.0) + self.spent_in_run
            if spent >= self.budget.per_run:
                return RUN, spent, self.budget.per_run
        if user is not None and self.budget.per_user_day is not None:
            spent = earlier.per_user.get(user, 0.0) + self.spent_by_user[(earlier.day, user)]
            if spent >= self.budget.per_user_day:
                return USER_DAY, spent, self.budget.per_user_day
        return None

    def _call(self, method: str, user: str | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        reached = self.over(user)
        if reached is None:
            result = getattr(self.inner, method)(*args, **kwargs)
            self._collect(user)
            return result
        scope, spent, limit = reached
        self._pending.append(
            LlmCallRow(
                task=TASK_OF[method],
                model=self.fallback.name,
                attempts=0,
                cost_usd=0.0,
                cache_hit=False,
                status=OVER_BUDGET,
                error=f"{'daily' if scope == USER_DAY else 'run'} budget reached: "
                f"${spent:.6f} spent of ${limit:.6f}; the offline engine answered",
                at=self.clock(),
                user_id=user,
                run_id=self.run_id,
                budget_scope=scope,
                budget_spent_usd=round(spent, 6),
                budget_limit_usd=limit,
            )
        )
        self.answered_offline += 1
        return getattr(self.fallback, method)(*args, **kwargs)

    def _collect(self, user: str | None) -> None:
        """Take the wrapped engine's new ledger rows, charged to ``user`` (and this run)."""
        rows = [
            r.model_copy(update={"user_id": r.user_id or user, "run_id": self.run_id})
            for r in self.inner.drain_calls()
        ]
        cost = sum(r.cost_usd or 0.0 for r in rows)
        self.spent_in_run += cost
        if user is not None:
            self.spent_by_user[(self.clock().date(), user)] += cost
        self._pending.extend(rows)


def budget_notice(rows: Iterable[LlmCallRow], user_id: str) -> BudgetNotice | None:
    """What the user's digest says about the day's budget: the first switch, and how many followed."""
    switched = sorted(
        (r for r in rows if r.status == OVER_BUDGET and row_user(r) == user_id),
        key=lambda r: r.at or datetime.min.replace(tzinfo=UTC),
    )
    if not switched:
        return None
    first = switched[0]
    return BudgetNotice(
        scope=first.budget_scope or USER_DAY,
        spent_usd=first.budget_spent_usd or 0.0,
        limit_usd=first.budget_limit_usd or 0.0,
        switched=len(switched),
    )
