"""The inbox sensor's cursor: which objects were seen with which version, swept in bounded pages.

Why a sweep: S3 cannot list "objects modified since", and resuming from the last key name misses
older keys that were overwritten (dagster #22892). So each tick lists at most ``max_pages`` pages
onward from where the previous tick stopped, compares ETags / mtimes with what it knew, and wraps
around at the end — bounded work per tick on a bucket of any size, every change seen within one
sweep, and deletions detected when a sweep completes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass, field

from jobland_pipeline.inbox import InboxObject, Lister, classify
from jobland_pipeline.keys import InvalidKeyError


@dataclass
class InboxCursor:
    known: dict[str, str] = field(default_factory=dict)  # key -> version, as last seen
    after: str | None = None  # where the current sweep continues (None = from the start)
    swept: list[str] = field(default_factory=list)  # keys seen so far in the current sweep

    def encode(self) -> str:
        raw = json.dumps(
            {"known": self.known, "after": self.after, "swept": self.swept}, separators=(",", ":")
        )
        return "z1:" + base64.b64encode(zlib.compress(raw.encode(), 9)).decode()

    @classmethod
    def decode(cls, text: str | None) -> InboxCursor:
        if not text:
            return cls()
        if not text.startswith("z1:"):
            raise ValueError("unrecognised inbox cursor format")
        data = json.loads(zlib.decompress(base64.b64decode(text[3:])))
        return cls(known=data["known"], after=data["after"], swept=data["swept"])

    def users(self) -> set[str]:
        """Every user with at least one known object (folder names folded as user ids are)."""
        return {_owner(k) for k in self.known}

    def with_users(self, other: InboxCursor, users: set[str]) -> InboxCursor:
        """This cursor with ``users``' objects taken from ``other`` (a newer cursor): saved after each
        finished intake, so a pass that dies half-way re-reads only the users it had not finished.
        The sweep position stays this cursor's; the next tick re-lists and finds those users unchanged."""
        known = {k: v for k, v in self.known.items() if _owner(k) not in users}
        known |= {k: v for k, v in other.known.items() if _owner(k) in users}
        return InboxCursor(known=known, after=self.after, swept=list(self.swept))

    def without_users(self, users: set[str]) -> InboxCursor:
        """This cursor forgetting ``users``' objects, so the next tick sees them as new (and re-adds them)."""
        known = {k: v for k, v in self.known.items() if _owner(k) not in users}
        return InboxCursor(
            known=known, after=self.after, swept=[k for k in self.swept if _owner(k) not in users]
        )

    def user_version(self, user_id: str) -> str:
        items = sorted((k, v) for k, v in self.known.items() if k.startswith(f"{user_id}/"))
        return hashlib.sha1(repr(items).encode()).hexdigest()[:12]


def _owner(key: str) -> str:
    return key.split("/", 1)[0].lower()


@dataclass
class TickPlan:
    changed_users: list[str]
    deleted: list[str]
    rejected: list[tuple[str, str]]
    users_seen: list[str]
    cursor: InboxCursor
    pages: int
    sweep_completed: bool

    @property
    def gone_users(self) -> list[str]:
        """Users whose every file left the inbox: they are to be forgotten, not re-read."""
        return [
            u
            for u in self.changed_users
            if not any(k.split("/", 1)[0].lower() == u for k in self.cursor.known)
        ]


def _colliding(known: dict[str, str]) -> dict[str, str]:
    """Users two or more folders fold to ("bob/" and "Bob/"), with the reason, stated once per user."""
    folders: dict[str, set[str]] = {}
    for key in known:
        folder = key.split("/", 1)[0]
        folders.setdefault(folder.lower(), set()).add(folder)
    return {
        user: f"folders {', '.join(sorted(repr(f) for f in names))} are all user '{user}': merge or rename them"
        for user, names in folders.items()
        if len(names) > 1
    }


def plan_tick(
    lister: Lister,
    cursor: InboxCursor,
    *,
    page_size: int = 1000,
    max_pages: int = 5,
    max_changed_users: int = 200,
) -> TickPlan:
    """List up to ``max_pages`` pages from the cursor; return users whose objects are new, changed or deleted."""
    changed: dict[str, None] = {}
    rejected: list[tuple[str, str]] = []
    seen_users: dict[str, None] = {}
    swept = set(cursor.swept)
    known = dict(cursor.known)
    after = cursor.after
    deleted: list[str] = []
    listed: list[str] = []  # raw keys listed by this tick, in order
    pages = 0
    completed = False
    while pages < max_pages and len(changed) < max_changed_users:
        entries, more = lister.list_page(after, page_size)
        pages += 1
        listed += [key for key, _, _ in entries]
        for key, version, size in entries:
            try:
                obj: InboxObject = classify(key, version, size)
            except InvalidKeyError as exc:
                rejected.append((key, str(exc)))
                continue
            swept.add(obj.key)
            seen_users[obj.user_id] = None
            if known.get(obj.key) != obj.version:
                known[obj.key] = obj.version
                changed[obj.user_id] = None
        if entries:
            after = entries[-1][0]
        if not more:
            deleted = sorted(set(known) - swept)
            for key in deleted:
                del known[key]
                changed[key.split("/", 1)[0].lower()] = None
            after, swept, completed = None, set(), True
            break
    if not completed:
        after = _hold_back_tail(listed, cursor, known, swept, changed) or after
    colliding = _colliding(known)
    rejected += [
        (k, colliding[k.split("/", 1)[0].lower()])
        for k in sorted(known)
        if k.split("/", 1)[0].lower() in colliding
    ]
    for user in colliding:
        changed.pop(user, None)
    return TickPlan(
        changed_users=sorted(changed),
        deleted=deleted,
        rejected=rejected,
        users_seen=sorted(seen_users),
        cursor=InboxCursor(known=known, after=after, swept=sorted(swept)),
        pages=pages,
        sweep_completed=completed,
    )


def _hold_back_tail(
    listed: list[str], cursor: InboxCursor, known: dict[str, str], swept: set[str], changed: dict[str, None]
) -> str | None:
    """Leave the tick's last user to the next tick, when others were listed before it: the listing
    stopped at a page limit, and more of that user's files may be on the next page (a user read now
    and again next tick would get two intake runs). Returns where the next tick starts (None: nothing
    held back, the tick's last user was its only one)."""
    if not listed:
        return None
    tail = _owner(listed[-1])
    cut = len(listed)
    while cut > 0 and _owner(listed[cut - 1]) == tail:
        cut -= 1
    if cut == 0:  # the whole tick was one user's files: take them, or no tick would ever progress
        return None
    for key in listed[cut:]:
        swept.discard(key)
        if key in cursor.known:
            known[key] = cursor.known[key]
        else:
            known.pop(key, None)
    changed.pop(tail, None)  # its files are all in the held-back suffix: nothing of it was taken
    return listed[cut - 1]
