"""Parquet per (table, partition), replaced atomically; DuckDB views over them for analysts.

Why not write into the DuckDB file directly: DuckDB allows one writer process, and a reader cannot
open the file while a writer holds it (see docs/decisions.md). Runs therefore only write Parquet
files (``os.replace`` makes each one appear whole), and the DuckDB file holds views that glob those
files: parallel runs never contend, and analysts can query at any time, even during a run.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl
from pydantic import BaseModel

from jobland_pipeline.keys import file_stem
from jobland_pipeline.records import Table
from jobland_pipeline.warehouse.schemas import TABLES
from jobland_pipeline.warehouse.views import ANALYST_VIEWS

log = logging.getLogger(__name__)
R = TypeVar("R", bound=BaseModel)
SCHEMA_FILE = "_schema.parquet"


class Warehouse:
    def __init__(self, root: Path, duckdb_path: Path) -> None:
        self.root = Path(root).resolve()
        self.duckdb_path = Path(duckdb_path).resolve()

    # -- writing -------------------------------------------------------------------------------
    def _spec(self, table: str) -> Table[Any]:
        try:
            return TABLES[table]
        except KeyError:
            raise KeyError(f"unknown warehouse table {table!r}; known: {', '.join(TABLES)}") from None

    def conform(self, table: str, rows: list[dict[str, object]] | pl.DataFrame) -> pl.DataFrame:
        """Rows -> a DataFrame with exactly the table's schema (missing columns null, extras refused)."""
        spec = self._spec(table)
        columns = set(rows.columns) if isinstance(rows, pl.DataFrame) else {k for r in rows for k in r}
        extra = columns - set(spec.schema)
        if extra:
            raise ValueError(f"{table}: columns not in the schema: {sorted(extra)}")
        df = rows if isinstance(rows, pl.DataFrame) else pl.DataFrame(rows, schema=spec.schema, strict=False)
        return df.select(
            [
                (pl.col(c) if c in df.columns else pl.lit(None)).cast(dtype, strict=False).alias(c)
                for c, dtype in spec.schema.items()
            ]
        )

    def _atomic_write(self, df: pl.DataFrame, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
        df.write_parquet(tmp)
        tmp.replace(path)
        return path

    def write_partition(
        self, table: str, partition_key: str, rows: list[dict[str, object]] | pl.DataFrame
    ) -> Path:
        """Replace one partition's rows (idempotent re-materialization)."""
        df = self.conform(table, rows)
        self.ensure_table(table)
        return self._atomic_write(df, self.root / table / f"{file_stem(partition_key)}.parquet")

    def append(self, table: str, rows: list[dict[str, object]] | pl.DataFrame, *, group: str) -> Path:
        """Add an immutable batch (ledgers): never overwrites, so concurrent appends cannot collide."""
        df = self.conform(table, rows)
        self.ensure_table(table)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.parquet"
        return self._atomic_write(df, self.root / table / file_stem(group) / name)

    # -- typed records (what assets and stages use) ----------------------------------------------
    def write_records(self, table: Table[R], partition_key: str, records: Iterable[R]) -> pl.DataFrame:
        """Replace one partition with these records; returns the frame written."""
        df = table.frame(records)
        self.write_partition(table.name, partition_key, df)
        return df

    def append_records(self, table: Table[R], records: Iterable[R], *, group: str) -> pl.DataFrame:
        """Append an immutable batch of records (a ledger); returns the frame (empty: nothing written)."""
        df = table.frame(records)
        if df.height:
            self.append(table.name, df, group=group)
        return df

    def read_records(self, table: Table[R], partition_keys: Iterable[str] | None = None) -> list[R]:
        """The records of the given partitions (or the whole table), as the table's row models."""
        return table.records(self.read(table.name, partition_keys))

    def compact(self, table: str, group: str) -> int:
        """Merge an append-only group's batch files into one (a ledger stays one file, not one per row).

        Returns the number of files merged; the merged file appears before the parts go, so a reader
        sees every row at all times (possibly twice for a moment, never none).
        """
        folder = self.root / table / file_stem(group)
        parts = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
        if len(parts) < 2:
            return len(parts)
        merged = self.conform(table, pl.concat([pl.read_parquet(p) for p in parts], how="diagonal_relaxed"))
        self._atomic_write(merged, folder / f"{parts[-1].stem}-compacted.parquet")
        for part in parts:
            part.unlink()
        return len(parts)

    def tables(self) -> list[str]:
        return list(TABLES)

    def replace_file(self, path: Path, df: pl.DataFrame) -> None:
        """Rewrite one Parquet file of the warehouse with fewer rows (atomically; gone when empty)."""
        if df.height:
            self._atomic_write(df, path)
        else:
            path.unlink(missing_ok=True)

    def ensure_table(self, table: str) -> None:
        """An empty file with the schema, so views exist and have types before any row does."""
        path = self.root / table / SCHEMA_FILE
        if not path.exists():
            self._atomic_write(pl.DataFrame(schema=self._spec(table).schema), path)

    # -- reading -------------------------------------------------------------------------------
    def _files(self, table: str, partition_keys: Iterable[str] | None) -> list[Path]:
        folder = self.root / table
        if partition_keys is None:
            return sorted(p for p in folder.rglob("*.parquet") if p.name != SCHEMA_FILE)
        wanted = [folder / f"{file_stem(k)}.parquet" for k in partition_keys]
        grouped = [p for k in partition_keys for p in sorted((folder / file_stem(k)).glob("*.parquet"))]
        return [p for p in wanted if p.exists()] + grouped

    def read(self, table: str, partition_keys: Iterable[str] | None = None) -> pl.DataFrame:
        """All rows of the given partitions (or the whole table), with the table's schema."""
        files = self._files(table, list(partition_keys) if partition_keys is not None else None)
        if not files:
            return pl.DataFrame(schema=self._spec(table).schema)
        return self.conform(table, pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed"))

    # -- DuckDB views --------------------------------------------------------------------------
    def view_sql(self, table: str) -> str:
        glob = (self.root / table / "**" / "*.parquet").as_posix().replace("'", "''")
        comment = self._spec(table).description.replace("'", "''")
        return (
            f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{glob}', union_by_name = true, "
            f"filename = false);\nCOMMENT ON VIEW {table} IS '{comment}';"
        )

    def publish_views(self, *, attempts: int = 5) -> bool:
        """(Re)create one view per table; returns False when another process holds the file.

        The views glob the Parquet folders, so they only need writing when the layout changes:
        skipping while an analyst holds the file loses nothing.
        """
        for table in TABLES:
            self.ensure_table(table)
        self.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(attempts):
            try:
                with duckdb.connect(str(self.duckdb_path)) as con:
                    con.execute("BEGIN")
                    for table in TABLES:
                        con.execute(self.view_sql(table))
                    for name, (comment, sql) in ANALYST_VIEWS.items():
                        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
                        con.execute(f"COMMENT ON VIEW {name} IS '{comment.replace(chr(39), chr(39) * 2)}'")
                    con.execute("COMMIT")
                return True
            except (duckdb.IOException, duckdb.ConnectionException) as exc:
                # another process holds the lock, or this process has it open read-only
                if "lock" not in str(exc).lower() and "different configuration" not in str(exc):
                    raise
                time.sleep(0.2 * (attempt + 1))
        log.warning("DuckDB file %s is in use; views left as they were", self.duckdb_path)
        return False

    def query(self, sql: str) -> pl.DataFrame:
        """Run SQL against the views, read-only (what an analyst does)."""
        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
        return pl.DataFrame(rows, schema=names, orient="row")
