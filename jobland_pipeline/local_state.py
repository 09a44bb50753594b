"""Files the local runner keeps between passes, and the processes it can vouch for.

Why: ``jobland run`` keeps its sensor cursors in a JSON file and plays the daemon's part on one
machine. A kill, a full disk or a second ``jobland run`` at the same moment must never leave that
state unreadable, and a run left "in progress" by a process that no longer exists must be
recognisable as dead. Plain Python (no Dagster): the wiring in ``sensors/`` decides what to do.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jobland_pipeline.atomic import pid_alive, write_atomically

__all__ = [
    "file_lock",
    "first_line",
    "pid_gone",
    "process_gone",
    "process_token",
    "read_state",
    "write_state",
]


def write_state(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON so that the file is always either the old or the new content.

    Temporary file in the same folder, fsync, rename, fsync of the folder: a full disk or a kill
    leaves the previous state (and at worst a temporary file, removed by the next ``read_state``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(data, separators=(",", ":")).encode())


def read_state(path: Path) -> tuple[dict[str, Any], str | None]:
    """The state in ``path`` and a warning when it was damaged (then the state is empty, as if absent).

    Damaged = empty, not JSON, or not a JSON object: what a failed in-place write used to leave. The
    caller rebuilds what it needs from the Dagster instance instead of dying on a JSONDecodeError.
    Temporary files a killed ``write_state`` left beside it are removed.
    """
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, f"{path} could not be read ({exc.strerror}); starting from the Dagster instance"
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        what = "empty" if not raw.strip() else f"not valid JSON ({first_line(str(exc))})"
        return {}, f"{path} was damaged ({what}); starting from the Dagster instance"
    if not isinstance(data, dict):
        return {}, f"{path} was damaged (not a JSON object); starting from the Dagster instance"
    return data, None


@contextlib.contextmanager
def file_lock(path: Path, *, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive ``fcntl`` lock on ``path`` for the block; wait for whoever holds it.

    The kernel drops the lock when its holder dies, so a killed run never leaves it stuck. The
    holder's pid is written into the file so ``on_wait`` can say whom we wait for.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                handle.seek(0)
                on_wait(handle.read().strip() or "another process")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "-"


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (/proc), None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    except OSError:
        return "-"
    return stat.rsplit(")", 1)[1].split()[19]


def process_token(pid: int | None = None) -> str:
    """Who runs: ``host boot-id pid start-time``; a pid reused after the process died has another start."""
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()} {_boot_id()} {pid} {_start_time(pid) or '-'}"


def process_gone(token: str) -> bool | None:
    """True when the process a ``process_token`` names no longer exists, None when it cannot be told
    (another machine, or a token not made here)."""
    parts = token.split()
    if len(parts) != 4 or parts[0] != socket.gethostname() or not parts[2].isdigit():
        return None
    host_boot, pid, started = parts[1], int(parts[2]), parts[3]
    if host_boot != "-" and _boot_id() not in ("-", host_boot):
        return True  # the machine restarted since
    now = _start_time(pid)
    if now is None:
        return not pid_alive(pid)
    return started != "-" and now != "-" and now != started


def pid_gone(pid: int) -> bool:
    """True when no process ``pid`` exists on this machine (a reused pid counts as alive: cautious)."""
    return not pid_alive(pid)


def first_line(text: str, limit: int = 240) -> str:
    """The first non-empty line of ``text``, shortened: what a one-line report shows of a reason."""
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""
