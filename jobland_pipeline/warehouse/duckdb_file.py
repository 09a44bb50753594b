"""The analysts' DuckDB file, published whole: built aside, checked, renamed into place.

Why a new file each time instead of writing into the one analysts open: DuckDB allows one writer
process, and while a writer holds the file every reader's ``connect`` fails with "Could not set lock
… Conflicting lock" (issue 12 measured 3 failures in 326 connects during a run). The file only holds
views over the Parquet files (and the search index built from them), so nothing in it is lost by
building a fresh one next to it and moving it over the old with a rename (``os.replace``): a reader opening the
path gets the old file or the new one, always complete, and never meets a lock. A reader that
already holds the old file keeps reading it (on Linux the rename does not disturb an open file).

Why the damage check: a file truncated by a full disk or overwritten in the middle used to fail
every run with a raw traceback, or was taken for a lock because DuckDB's checksum error says
"block". A file that cannot be opened for a reason other than a lock is moved aside as
``<name>.damaged-<UTC timestamp>`` (kept for a look, never read again) with a WARNING naming it,
and the fresh file takes its place: the views are rebuilt from the Parquet files, which lose nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from jobland_pipeline.atomic import fsync_dir, fsync_file, pid_alive, temporary_beside
from jobland_pipeline.local_state import file_lock

log = logging.getLogger(__name__)

Builder = Callable[[duckdb.DuckDBPyConnection], None]

# What DuckDB says when another process holds the file, or this process holds it with other options.
_IN_USE = ("could not set lock", "conflicting lock", "different configuration")


def in_use(exc: BaseException) -> bool:
    """True when ``exc`` says the file is held by someone else (a lock), not that it is damaged.

    Matches DuckDB's lock messages only: the word "lock" alone is also in "block", which every
    checksum error names.
    """
    text = str(exc).lower()
    return any(marker in text for marker in _IN_USE)


def damage(path: Path) -> str | None:
    """Why ``path`` cannot be read as a DuckDB file, or None (sound, absent, or held by someone).

    Opens it read-only (a shared lock: it never disturbs readers), reads the catalog and hashes
    every row of every table, which reads every block in use: DuckDB checks each block's checksum
    and size as it reads it, so garbage or a cut anywhere shows (the file holds views and the
    search index: megabytes, read in a fraction of a second).
    """
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            con.execute("SET enable_progress_bar = false")
            con.execute("SELECT count(*) FROM duckdb_views()").fetchall()
            tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
            for schema, table in tables:
                name = f'"{schema.replace(chr(34), chr(34) * 2)}"."{table.replace(chr(34), chr(34) * 2)}"'
                con.execute(f"SELECT bit_xor(hash(t)) FROM {name} t").fetchall()
    except duckdb.Error as exc:
        if in_use(exc):
            return None
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def move_aside(path: Path, reason: str) -> Path:
    """Rename a damaged file (and its write-ahead log) to ``<name>.damaged-<UTC timestamp>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    path.replace(target)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        wal.replace(target.with_name(target.name + ".wal"))
    log.warning(
        "DuckDB file %s is damaged (%s): moved aside to %s and rebuilt from the Parquet files",
        path,
        reason,
        target,
    )
    return target


def remove_leftovers(path: Path) -> list[Path]:
    """Delete temporary files a killed publisher left beside ``path`` (its pid is gone)."""
    removed: list[Path] = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp*"):
        parts = tmp.name[len(path.name) + 2 :].split(".")
        if parts and parts[0].isdigit() and not pid_alive(int(parts[0])):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def publish(path: Path, build: Builder) -> None:
    """Build a new DuckDB file with ``build`` and move it over ``path`` in one rename.

    ``build`` runs on a connection to a temporary file beside ``path`` (same folder, so the rename
    is atomic); the file is closed (checkpointed: no write-ahead log left), flushed to disk, then
    renamed. A damaged file at ``path`` is moved aside first (see :func:`damage`). Raises what
    ``build`` or the disk raised; the temporary file never stays behind.

    One publisher at a time on this machine (a lock file beside ``path``): two publishes that
    overlap would otherwise end with whichever renamed last, though it may have read the Parquet
    files first. A forget (rows deleted, then published) would then find the user back in the
    search index.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(path.with_name(f".{path.stem}.publish.lock")):
        _publish(path, build)


def _publish(path: Path, build: Builder) -> None:
    remove_leftovers(path)
    tmp = temporary_beside(path)
    try:
        with duckdb.connect(str(tmp)) as con:
            con.execute("SET enable_progress_bar = false")  # a run's log is no terminal
            build(con)
            con.execute("CHECKPOINT")
        fsync_file(tmp)
        reason = damage(path)
        if reason is not None:
            move_aside(path, reason)
        # The old file's write-ahead log (a writer killed mid-way, an analyst writing) belongs to
        # the old file: replayed against the new one it would damage it. It goes first, so a
        # reader in between sees the old file at its last checkpoint, never the new one with it.
        path.with_name(path.name + ".wal").unlink(missing_ok=True)
        tmp.replace(path)  # os.replace: atomic within the folder
        fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
