"""The LLM answer cache and call ledger, kept in the warehouse (queryable in DuckDB).

Keys are (task, model, prompt version, content hash of the inputs): a re-run with unchanged inputs
makes zero LLM calls. Entries are appended as immutable Parquet batches (no writer ever blocks
another); the newest entry of a key wins and entries older than the TTL are ignored.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from jobland_pipeline.llm.records import LLM_CACHE, LlmCacheRow
from jobland_pipeline.records import TableStore


def content_key(task: str, model: str, prompt_version: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return hashlib.sha256(f"{task}|{model}|{prompt_version}|{digest}".encode()).hexdigest()[:40]


class LLMCache:
    def __init__(self, store: TableStore, *, ttl_days: float = 30.0) -> None:
        self.store = store
        self.ttl = timedelta(days=ttl_days)
        self._entries: dict[str, Any] | None = None
        self._pending: list[LlmCacheRow] = []

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            now = datetime.now(UTC)
            cutoff = now - self.ttl
            # Entries are grouped by day: only the days within the TTL are read, never the whole history.
            days = [(now - timedelta(days=n)).date().isoformat() for n in range(self.ttl.days + 2)]
            fresh = [
                r for r in self.store.read_records(LLM_CACHE, days) if r.cached_at and r.cached_at >= cutoff
            ]
            fresh.sort(key=lambda r: r.cached_at)  # type: ignore[arg-type, return-value]  # filtered above
            self._entries = {str(r.key): json.loads(r.answer_json or "null") for r in fresh}
        return self._entries

    def get(self, key: str) -> Any | None:
        return self._load().get(key)

    def put(self, key: str, *, task: str, model: str, prompt_version: str, answer: Any) -> None:
        self._load()[key] = answer
        self._pending.append(
            LlmCacheRow(
                key=key,
                task=task,
                model=model,
                prompt_version=prompt_version,
                answer_json=json.dumps(answer, ensure_ascii=False),
                cached_at=datetime.now(UTC),
            )
        )

    def flush(self) -> int:
        if not self._pending:
            return 0
        n = len(self._pending)
        self.store.append_records(LLM_CACHE, self._pending, group=datetime.now(UTC).date().isoformat())
        self._pending = []
        return n
