"""A content-keyed on-disk cache of JSON answers, shared by every run and user of one machine.

The key is a sha256 of a caller name and a JSON-able request identity that must hold no secret (an
API key in the identity would split the cache per key and write the key to disk). One file per key,
written atomically (temporary file in the same folder, then rename), expired by the timestamp stored
inside it, so a clock change or a copied folder cannot revive an old answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["ResponseCache", "make_cache_key"]

log = logging.getLogger(__name__)

_FUTURE_SLACK = 60.0  # an entry stored more than a minute "in the future" is not trusted


def make_cache_key(name: str, identity: Any) -> str:
    """sha256 of a caller name and a JSON-able request identity (which must hold no secret)."""
    payload = json.dumps({"engine": name, "request": identity}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ResponseCache:
    """JSON answers on disk, one file per key, written atomically, expired by their stored timestamp.

    ``ttl_seconds <= 0`` turns the cache off (every get misses, every put is dropped).
    """

    def __init__(self, root: Path, ttl_seconds: float, *, clock: Callable[[], float] = time.time) -> None:
        self.root = Path(root)
        self.ttl_seconds = float(ttl_seconds)
        self._clock = clock

    def _path(self, key: str) -> Path:
        name = key if re.fullmatch(r"[0-9a-f]{16,128}", key) else hashlib.sha256(key.encode()).hexdigest()
        return self.root / name[:2] / f"{name}.json"

    def get(self, key: str) -> Any | None:
        """The stored value, or None when absent, expired or unreadable (a corrupt file is a miss)."""
        if self.ttl_seconds <= 0:
            return None
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            stored_at = float(entry["stored_at"])
            value = entry["value"]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            log.warning("response cache: unreadable entry %s ignored", path.name)
            return None
        now = self._clock()
        if now - stored_at > self.ttl_seconds or stored_at > now + _FUTURE_SLACK:
            return None
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-able) atomically: temp file in the same folder, then rename."""
        if self.ttl_seconds <= 0:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"stored_at": self._clock(), "value": value}, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
            Path(tmp).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise
