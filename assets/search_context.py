"""What every search-partitioned asset needs about the users behind its keys, loaded once per run."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import dagster as dg

from jobland_pipeline.documents.intake import best_document
from jobland_pipeline.documents.records import CV_DOCUMENTS
from jobland_pipeline.generation.stories import Stories, read_stories
from jobland_pipeline.keys import split_search_key
from jobland_pipeline.profiles import Profile, TitleSuggestion
from jobland_pipeline.profiles.records import PROFILES, SUGGESTED_TITLES
from jobland_pipeline.profiles.stage import profile_of, suggestion_of
from jobland_pipeline.profiles.user_settings import UserSettings
from jobland_pipeline.warehouse import Warehouse
from resources import InboxResource
from resources.event_log import cached_partition_keys

T = TypeVar("T")


@dataclass
class SearchContext:
    store: Warehouse
    inbox: InboxResource
    titles: dict[str, TitleSuggestion] = field(default_factory=dict)
    _profiles: dict[str, Profile] = field(default_factory=dict)
    _cv_text: dict[str, str] = field(default_factory=dict)
    _settings: dict[str, UserSettings] = field(default_factory=dict)
    _stories: dict[str, Stories] = field(default_factory=dict)

    @classmethod
    def load(cls, keys: list[str], store: Warehouse, inbox: InboxResource) -> "SearchContext":
        users = sorted({split_search_key(k)[0] for k in keys})
        ctx = cls(store=store, inbox=inbox)
        for title in store.read_records(SUGGESTED_TITLES, users):
            ctx.titles[str(title.search_key)] = suggestion_of(title)
        for record in store.read_records(PROFILES, users):
            ctx._profiles[str(record.user_id)] = profile_of(record)
        docs = store.read_records(CV_DOCUMENTS, users)
        for user in users:
            best = best_document(d for d in docs if d.user_id == user)
            if best is not None:
                ctx._cv_text[user] = best.text
        return ctx

    def title(self, key: str) -> TitleSuggestion:
        if key not in self.titles:
            raise LookupError(f"{key} is no longer among the user's suggested titles (inactive search)")
        return self.titles[key]

    def profile(self, user_id: str) -> Profile:
        if user_id not in self._profiles:
            raise LookupError(f"no profile for user {user_id} (is their CV readable?)")
        return self._profiles[user_id]

    def cv_text(self, user_id: str) -> str:
        return self._cv_text.get(user_id, "")

    def stories(self, user_id: str) -> Stories:
        """The user's stories file beside the CV, read once per run; one that cannot be read is
        skipped with the reason (the CV and the packages go on without it)."""
        if user_id not in self._stories:
            try:
                found = self.inbox.user_stories(user_id)
                stories = read_stories(found[1], found[0]) if found else Stories()
            except Exception as exc:  # a stories file never costs the user their packages
                stories = Stories(skipped=f"stories not read: {type(exc).__name__}: {exc}")
            self._stories[user_id] = stories
        return self._stories[user_id]

    def settings(self, user_id: str) -> UserSettings:
        if user_id not in self._settings:
            self._settings[user_id] = self.inbox.user_settings(user_id)
        return self._settings[user_id]


def for_each_key(
    context: dg.AssetExecutionContext, keys: list[str], work: Callable[[str], T]
) -> tuple[dict[str, T], dict[str, str]]:
    """Run ``work`` per partition key; one key's failure is recorded and never loses the others.

    The work's per-partition metadata calls share one listing of the partition keys
    (``cached_partition_keys``: Dagster lists every key of the set once per call otherwise)."""
    done: dict[str, T] = {}
    failed: dict[str, str] = {}
    with cached_partition_keys(context.instance):
        for key in keys:
            try:
                done[key] = work(key)
            except Exception as exc:  # isolation boundary: record and move on to the next partition
                failed[key] = f"{type(exc).__name__}: {exc}"
                context.log.warning(f"{key}: {failed[key]}")
    return done, failed
