"""Files that appear whole or not at all: temporary file beside the target, fsync, rename.

Every ledger, state file, claim and published database of JobLand is replaced this way, so a kill or a
full disk leaves the previous version (and at worst a ``.<name>.<pid>.<random>.tmp`` beside it, which its
owner's pid tells a later run it may delete).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

__all__ = ["fsync_dir", "fsync_file", "pid_alive", "replacing", "temporary_beside", "write_atomically"]


def temporary_beside(path: Path) -> Path:
    """``.<name>.<pid>.<random>.tmp`` in ``path``'s folder: same filesystem, so the rename is atomic."""
    return path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp")


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this machine (one we may not signal exists too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path, *, best_effort: bool = False) -> None:
    """Make a rename or link in ``folder`` durable (a power cut cannot undo it). ``best_effort``: a
    filesystem that cannot sync a folder is not an error (the rename itself has happened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        if not best_effort:
            raise


@contextlib.contextmanager
def replacing(path: Path, *, durable: bool = True, strict: bool = False) -> Iterator[Path]:
    """A temporary path to write; when the block ends normally it replaces ``path`` in one rename
    (``durable``: the file and the rename are fsync'd first and after; ``strict``: a folder that cannot
    be synced is an error, for records whose loss after a power cut would let a thing happen twice).
    On an error, or after the rename, nothing temporary stays behind."""
    tmp = temporary_beside(path)
    try:
        yield tmp
        if durable:
            fsync_file(tmp)
        tmp.replace(path)
        if durable:
            fsync_dir(path.parent, best_effort=not strict)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes, *, durable: bool = True, strict: bool = False) -> None:
    """``path`` holds the old bytes or ``data``, never a part of them."""
    with replacing(path, durable=durable, strict=strict) as tmp:
        tmp.write_bytes(data)
