"""Write a message to the outbox folder at most once, atomically, and read back what is there.

The message goes to a temporary file (fsync'd), which is then hard-linked to its name: the link fails
if the name exists, so of two writers exactly one wins, and a reader never sees half a message. A
failed write (a full disk, a file-size limit, a read-only folder) leaves no file behind; a temporary
file left by a killed run is removed by the next run that holds the user-day's claim
(:func:`sweep_temporaries`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from email import message_from_binary_file, policy
from email.message import EmailMessage
from pathlib import Path

from jobland_pipeline.atomic import fsync_dir, temporary_beside
from jobland_pipeline.delivery.crash import crash_point

APPLICATIONS_HEADER = "X-JobLand-Applications"  # the application ids in a digest, comma-separated


class AlreadyDelivered(FileExistsError):
    """The digest for this user and day already exists in the outbox."""


def write_once(message: EmailMessage, path: Path) -> Path:
    """Atomically create ``path``; raise :class:`AlreadyDelivered` if it exists, ``OSError`` (nothing
    left behind) if it cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise AlreadyDelivered(str(path))
    data = message.as_bytes()
    tmp = temporary_beside(path)
    try:
        with tmp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        crash_point("after_tmp")
        try:
            os.link(tmp, path)  # fails if the target exists: exactly one writer wins
        except FileExistsError as exc:
            raise AlreadyDelivered(str(path)) from exc
        fsync_dir(path.parent)
        crash_point("after_link")
    finally:
        tmp.unlink(missing_ok=True)
    return path


def temporaries(path: Path) -> list[Path]:
    """The temporary files of ``path`` (also under the names older versions used)."""
    if not path.parent.is_dir():
        return []
    return [*path.parent.glob(f".{path.name}.*.tmp"), *path.parent.glob(f"{path.name}.*.tmp")]


def sweep_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` left by killed runs (call it holding the claim, so no
    live writer of this user-day has one)."""
    found = temporaries(path)
    for tmp in found:
        tmp.unlink(missing_ok=True)
    return found


@dataclass(frozen=True)
class Written:
    """A digest found in the outbox: what the ledger records of it."""

    path: Path
    message_id: str
    subject: str
    application_ids: tuple[str, ...] | None  # None: an older file without the header


def read_written(path: Path) -> Written | None:
    """The outbox file's Message-ID, subject and applications, or None if there is no such file."""
    try:
        with path.open("rb") as handle:
            message = message_from_binary_file(handle, policy=policy.default)
    except FileNotFoundError:
        return None
    header = message.get(APPLICATIONS_HEADER)
    ids = tuple(i.strip() for i in str(header).split(",") if i.strip()) if header is not None else None
    return Written(path, str(message.get("Message-ID", "")), str(message.get("Subject", "")), ids)
