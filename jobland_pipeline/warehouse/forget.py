"""Forgetting a user: every row and file of theirs leaves the warehouse and the folders.

The right to be forgotten, and the clean-up when a user leaves (their inbox folder or S3 prefix goes):
partition files named after the user or their searches are deleted, shared ledgers are rewritten
without the user's rows (atomically, file by file), and the user's package and outbox files are
removed. What cannot be attributed to a user is said: the LLM answer cache is keyed by content only
and expires with its TTL.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR, file_stem
from jobland_pipeline.warehouse.store import SCHEMA_FILE, Warehouse

# Columns that say whose a row is, in the order they are looked for.
_OWNER_COLUMNS = ("user_id", "search_key", "partition", "application_id")


@dataclass
class Forgotten:
    user_id: str
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows removed
    files: list[str] = field(default_factory=list)  # files and folders removed outside the warehouse

    def summary(self) -> str:
        tables = ", ".join(f"{t}: {n}" for t, n in sorted(self.rows.items()) if n) or "no rows"
        return f"{self.user_id}: removed {tables}; {len(self.files)} folder(s)/file(s)"


def _owned(df: pl.DataFrame, user_id: str) -> pl.Series:
    """True for the user's rows: their id, their searches' keys, their applications' ids."""
    mask = pl.Series("owned", [False] * df.height, dtype=pl.Boolean)
    prefix = f"{user_id}{SEARCH_KEY_SEPARATOR}"
    for column in _OWNER_COLUMNS:
        if column not in df.columns:
            continue
        values = df[column].cast(pl.String).fill_null("")
        mask = (
            mask
            | (values == user_id)
            | values.str.starts_with(prefix)
            | values.str.starts_with(f"{user_id}:")
        )
    return mask


def _owns_file(path: Path, user_id: str) -> bool:
    stem = path.stem
    return stem == file_stem(user_id) or stem.startswith(file_stem(f"{user_id}{SEARCH_KEY_SEPARATOR}"))


def forget_user(store: Warehouse, user_id: str, *, folders: Iterable[Path] = ()) -> Forgotten:
    """Remove the user's rows from every table and the given folders/files (packages, outbox, inbox)."""
    report = Forgotten(user_id)
    for table in store.tables():
        report.rows[table] = _forget_in_table(store, store.root / table, user_id)
    for path in folders:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        report.files.append(str(path))
    return report


def _forget_in_table(store: Warehouse, folder: Path, user_id: str) -> int:
    """Rows removed from one table: the user's partition files go whole, shared files are rewritten."""
    if not folder.exists():
        return 0
    removed = 0
    for path in sorted(folder.rglob("*.parquet")):
        if path.name == SCHEMA_FILE:
            continue
        df = pl.read_parquet(path)
        if path.parent == folder and _owns_file(path, user_id):
            removed += df.height
            path.unlink()
            continue
        mask = _owned(df, user_id)
        if mask.any():
            removed += int(mask.sum())
            store.replace_file(path, df.filter(~mask))
    own_group = folder / file_stem(user_id)
    if own_group.is_dir() and not any(own_group.iterdir()):
        own_group.rmdir()
    return removed


def forget_searches(store: Warehouse, keys: Iterable[str]) -> Forgotten:
    """Remove the rows of searches a user no longer has (their titles changed): partition files named
    after the searches, and rows of shared ledgers that carry one of their keys."""
    wanted = set(keys)
    report = Forgotten(", ".join(sorted(wanted)))
    stems = {file_stem(k) for k in wanted}
    for table in store.tables():
        folder = store.root / table
        removed = 0
        for path in sorted(folder.rglob("*.parquet")) if folder.exists() else []:
            if path.name == SCHEMA_FILE:
                continue
            df = pl.read_parquet(path)
            if path.parent == folder and path.stem in stems:
                removed += df.height
                path.unlink()
            elif "search_key" in df.columns and (mask := df["search_key"].is_in(list(wanted))).any():
                removed += int(mask.sum())
                store.replace_file(path, df.filter(~mask))
        report.rows[table] = removed
    return report
