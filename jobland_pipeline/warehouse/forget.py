"""Forgetting a user: every row and file of theirs leaves the warehouse and the folders.

The right to be forgotten, and the clean-up when a user leaves (their inbox folder or S3 prefix goes):
partition files named after the user or their searches are deleted, shared ledgers are rewritten
without the user's rows (atomically, file by file), and the user's package and outbox files are
removed. The warehouse may be a local folder or an S3 prefix: its files are reached through the
store's API, never by path. What cannot be attributed to a user is said: the LLM answer cache is
keyed by content only and expires with its TTL.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polars as pl

from jobland_pipeline.keys import SEARCH_KEY_SEPARATOR, file_stem
from jobland_pipeline.warehouse.store import Warehouse, s3_url, split_s3_url

log = logging.getLogger(__name__)

# Columns that say whose a row is, in the order they are looked for.
_OWNER_COLUMNS = ("user_id", "search_key", "partition", "application_id")


@dataclass
class Forgotten:
    user_id: str
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows removed
    files: list[str] = field(default_factory=list)  # files and folders removed outside the warehouse
    index_rebuilt: bool = True  # the DuckDB file's copy of the postings (the search index) rebuilt

    def summary(self) -> str:
        tables = ", ".join(f"{t}: {n}" for t, n in sorted(self.rows.items()) if n) or "no rows"
        text = f"{self.user_id}: removed {tables}; {len(self.files)} folder(s)/file(s)"
        if not self.index_rebuilt:
            text += (
                "; the DuckDB file's search index could not be rebuilt (see the warning) and still names "
                "them until the views are published again (the next `jobland run` or search batch)"
            )
        return text


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


def _owns_file(key: str, table: str, user_id: str, df: pl.DataFrame) -> bool:
    """A partition file of the user or of one of their searches (``<table>/<stem>.parquet``).

    A user id may hold "__", the file form of the search key separator: "ana__bob" is a user of
    their own, not a search of "ana". A search's slug never holds "_", and a file named like a search
    of the user must hold only the user's rows."""
    path = PurePosixPath(key)
    if str(path.parent) != table:
        return False  # a batch of an append-only group: rewritten row by row instead
    stem, prefix = path.stem, file_stem(f"{user_id}{SEARCH_KEY_SEPARATOR}")
    if stem == file_stem(user_id):
        return True
    if not stem.startswith(prefix) or "_" in stem[len(prefix) :]:
        return False
    return df.is_empty() or bool(_owned(df, user_id).all())


def forget_user(store: Warehouse, user_id: str, *, folders: Iterable[Path | str] = ()) -> Forgotten:
    """Remove the user's rows from every table and the given folders/files (packages, outbox, inbox).

    A folder may be an S3 location (``s3://bucket/prefix/<user>``, packages on S3): every object under
    it goes, through the warehouse's S3 client.
    """
    report = Forgotten(user_id)
    for table in store.tables():
        report.rows[table] = _forget_in_table(store, table, user_id)
    for path in folders:
        if _remove(store, path):
            report.files.append(s3_url(path) or str(path))
    report.index_rebuilt = _rebuild_index(store, report)
    return report


def _rebuild_index(store: Warehouse, report: Forgotten) -> bool:
    """The DuckDB file holds a copy of the postings with the users who found them (the full-text
    index, ``posting_search``), rebuilt from the Parquet files: without this it would name the user
    until the next run. Rebuilt even when no row was left to remove (a second ``forget`` after a
    failed rebuild); a failure is said, never raised: the rows are gone already, and what follows
    (delivery claims, partitions) must still happen."""
    try:
        return store.publish_views()
    except Exception as exc:  # an S3 write, a DuckDB error: the report says the index is stale
        log.warning("%s: the search index could not be rebuilt: %s", report.user_id, exc)
        return False


def _remove(store: Warehouse, path: Path | str) -> bool:
    """Delete a local file or folder, or every object under an S3 prefix; False when nothing was there."""
    url = s3_url(path)
    if url is not None:
        if store.s3_client is None:
            raise ValueError(f"{url}: files on S3 need the warehouse on S3 too (JOBLAND_WAREHOUSE_DIR)")
        bucket, prefix = split_s3_url(url)
        pages = store.s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/")
        keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
        for i in range(0, len(keys), 1000):
            batch = {"Objects": [{"Key": k} for k in keys[i : i + 1000]], "Quiet": True}
            store.s3_client.delete_objects(Bucket=bucket, Delete=batch)
        return bool(keys)
    local = Path(path)
    if local.is_dir():
        shutil.rmtree(local)
    elif local.exists():
        local.unlink()
    else:
        return False
    return True


def _forget_in_table(store: Warehouse, table: str, user_id: str) -> int:
    """Rows removed from one table: the user's partition files go whole, shared files are rewritten."""
    removed = 0
    for key in store.files(table):
        df = store.read_file(key)
        if _owns_file(key, table, user_id, df):
            removed += df.height
            store.delete_file(key)
            continue
        mask = _owned(df, user_id)
        if mask.any():
            removed += int(mask.sum())
            store.replace_file(key, df.filter(~mask))
    store.drop_empty_group(table, user_id)
    return removed


def forget_searches(store: Warehouse, keys: Iterable[str]) -> Forgotten:
    """Remove the rows of searches a user no longer has (their titles changed): partition files named
    after the searches, and rows of shared ledgers that carry one of their keys."""
    wanted = set(keys)
    report = Forgotten(", ".join(sorted(wanted)))
    stems = {file_stem(k) for k in wanted}
    for table in store.tables():
        removed = 0
        for key in store.files(table):
            df = store.read_file(key)
            path = PurePosixPath(key)
            if str(path.parent) == table and path.stem in stems:
                removed += df.height
                store.delete_file(key)
            elif "search_key" in df.columns and (mask := df["search_key"].is_in(list(wanted))).any():
                removed += int(mask.sum())
                store.replace_file(key, df.filter(~mask))
        report.rows[table] = removed
    if any(report.rows.values()):  # a title change that removed nothing leaves the index as it is
        report.index_rebuilt = _rebuild_index(store, report)
    return report
