"""Write a message to the outbox folder at most once (an exclusive create, not a check-then-write)."""

from __future__ import annotations

import os
from email.message import EmailMessage
from pathlib import Path


class AlreadyDelivered(FileExistsError):
    """The digest for this user and day already exists in the outbox."""


def write_once(message: EmailMessage, path: Path) -> Path:
    """Atomically create ``path``; raise :class:`AlreadyDelivered` if it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = message.as_bytes()
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    try:
        os.link(tmp, path)  # fails if the target exists: exactly one writer wins
    except FileExistsError as exc:
        raise AlreadyDelivered(str(path)) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return path
