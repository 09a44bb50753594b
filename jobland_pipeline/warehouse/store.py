"""Parquet per (table, partition), replaced atomically; DuckDB views over them for analysts.

Why not write into the DuckDB file directly: DuckDB allows one writer process, and a reader cannot
open the file while a writer holds it (see docs/decisions.md). Runs therefore only write Parquet
files, each of which appears whole, and the DuckDB file holds views that glob those files: parallel
runs never contend, and analysts can query at any time, even during a run.

The files live in a local folder (``os.replace`` makes a file appear whole) or under an S3 prefix,
``s3://bucket/prefix`` (a PUT makes an object appear whole), so that Celery workers on different
machines share one warehouse. Over S3 the store takes a boto3 client (the wiring builds it); the
DuckDB views then read ``s3://`` globs, which needs DuckDB's httpfs extension: see
:meth:`Warehouse.publish_views`.
"""

from __future__ import annotations

import io
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import duckdb
import polars as pl
from pydantic import BaseModel

from jobland_pipeline.atomic import replacing, write_atomically
from jobland_pipeline.keys import file_stem
from jobland_pipeline.records import Table
from jobland_pipeline.warehouse import duckdb_file, fts
from jobland_pipeline.warehouse.schemas import TABLES
from jobland_pipeline.warehouse.views import ANALYST_VIEWS

log = logging.getLogger(__name__)
R = TypeVar("R", bound=BaseModel)
T = TypeVar("T")
SCHEMA_FILE = "_schema.parquet"
VIEWS_SCRIPT = "_duckdb_views.sql"  # in S3 mode: the views as SQL, beside the tables
_S3_THREADS = 16  # requests in flight when reading many objects


def s3_url(location: object) -> str | None:
    """``s3://bucket/key`` for an S3 location, else None.

    Also undoes ``Path("s3://b/k")`` (which reads as ``s3:/b/k``): callers that wrap every setting
    in a ``Path`` still reach S3.
    """
    text = location.as_posix() if isinstance(location, PurePosixPath) else str(location)
    if text.startswith("s3://"):
        return text
    if text.startswith("s3:/"):
        return "s3://" + text.removeprefix("s3:/")
    return None


def split_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/a/b`` -> ``("bucket", "a/b")``; refuses a URL without a bucket."""
    bucket, _, key = url.removeprefix("s3://").partition("/")
    if not url.startswith("s3://") or not bucket:
        raise ValueError(f"{url!r}: expected s3://<bucket>/<prefix>")
    return bucket, key.strip("/")


class _LocalFiles:
    """Parquet files under a folder; keys are POSIX paths relative to it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def url(self, key: str) -> str:
        return (self.root / key).as_posix()

    def put(self, key: str, df: pl.DataFrame) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(path, durable=False) as tmp:  # readers see the old file or the new one
            df.write_parquet(tmp)

    def put_text(self, key: str, text: str) -> None:
        path = self.root / key
        write_atomically(path, text.encode("utf-8"), durable=False)

    def get(self, key: str) -> pl.DataFrame:
        return pl.read_parquet(self.root / key)

    def exists(self, key: str) -> bool:
        return (self.root / key).exists()

    def keys(self, prefix: str, *, recursive: bool = True) -> list[str]:
        folder = self.root / prefix
        if not folder.is_dir():
            return []
        found = folder.rglob("*.parquet") if recursive else folder.glob("*.parquet")
        return sorted(p.relative_to(self.root).as_posix() for p in found)

    def partition_files(self, table: str, stems: list[str]) -> list[str]:
        wanted = [f"{table}/{s}.parquet" for s in stems]
        grouped = [k for s in stems for k in self.keys(f"{table}/{s}", recursive=False)]
        return [k for k in wanted if self.exists(k)] + grouped

    def delete(self, key: str) -> None:
        (self.root / key).unlink(missing_ok=True)

    def drop_empty_folder(self, prefix: str) -> None:
        folder = self.root / prefix
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


class _S3Files:
    """Parquet objects under ``s3://bucket/prefix``; keys are relative to the prefix."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client, self.bucket = client, bucket
        self.prefix = f"{prefix}/" if prefix else ""

    def url(self, key: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}{key}"

    def put(self, key: str, df: pl.DataFrame) -> None:
        buffer = io.BytesIO()
        df.write_parquet(buffer)
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=buffer.getvalue())

    def put_text(self, key: str, text: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=text.encode("utf-8"))

    def get(self, key: str) -> pl.DataFrame:
        body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]
        try:
            return pl.read_parquet(io.BytesIO(body.read()))
        finally:
            body.close()

    def get_many(self, keys: list[str]) -> list[pl.DataFrame]:
        if len(keys) < 2:
            return [self.get(k) for k in keys]
        with ThreadPoolExecutor(_S3_THREADS) as pool:
            return list(pool.map(self.get, keys))

    def _keys(self, prefix: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        )
        return sorted(o["Key"][len(self.prefix) :] for page in pages for o in page.get("Contents", []))

    def exists(self, key: str) -> bool:
        return key in self._keys(key)

    def keys(self, prefix: str, *, recursive: bool = True) -> list[str]:
        base = prefix.rstrip("/") + "/"
        keys = [k for k in self._keys(base) if k.endswith(".parquet")]
        return keys if recursive else [k for k in keys if "/" not in k[len(base) :]]

    def _partition(self, table: str, stem: str) -> list[str]:
        # One listing finds both the partition file and an append-only group of that name.
        keys = self._keys(f"{table}/{stem}")
        own = [k for k in keys if k == f"{table}/{stem}.parquet"]
        group = [k for k in keys if k.startswith(f"{table}/{stem}/") and k.count("/") == 2]
        return own + [k for k in group if k.endswith(".parquet")]

    def partition_files(self, table: str, stems: list[str]) -> list[str]:
        if len(stems) < 2:
            found = [self._partition(table, s) for s in stems]
        else:
            with ThreadPoolExecutor(_S3_THREADS) as pool:
                found = list(pool.map(lambda s: self._partition(table, s), stems))
        # The same order as on disk: the partition files first, then the groups' batches.
        wanted = [k for keys in found for k in keys if "/" not in k[len(table) + 1 :]]
        return wanted + [k for keys in found for k in keys if "/" in k[len(table) + 1 :]]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)

    def drop_empty_folder(self, prefix: str) -> None:
        """Nothing to do: S3 has no folders, only keys."""


class Warehouse:
    def __init__(self, root: Path | str, duckdb_path: Path | str, *, s3_client: Any = None) -> None:
        """``root`` is a folder or ``s3://bucket/prefix`` (then ``s3_client`` is a boto3 S3 client)."""
        url = s3_url(root)
        self._files: _LocalFiles | _S3Files
        self.root: Path | str  # the folder, or the s3:// URL of the prefix
        if url is not None:
            if s3_client is None:
                raise ValueError(f"the warehouse at {url} needs an S3 client (WarehouseResource builds it)")
            bucket, prefix = split_s3_url(url)
            self.root = f"s3://{bucket}/{prefix}".rstrip("/")
            self._files = _S3Files(s3_client, bucket, prefix)
        else:
            self.root = Path(root).resolve()
            self._files = _LocalFiles(self.root)
        self.s3_client = s3_client
        self.duckdb_path = Path(duckdb_path).resolve()
        self._ensured: set[str] = set()

    @property
    def on_s3(self) -> bool:
        return isinstance(self._files, _S3Files)

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

    def _written(self, key: str) -> Path | str:
        """Where a key landed: a Path on disk (as before S3 existed), the s3:// URL on S3."""
        return self.root / key if isinstance(self.root, Path) else self._files.url(key)

    def write_partition(
        self, table: str, partition_key: str, rows: list[dict[str, object]] | pl.DataFrame
    ) -> Path | str:
        """Replace one partition's rows (idempotent re-materialization)."""
        df = self.conform(table, rows)
        self.ensure_table(table)
        key = f"{table}/{file_stem(partition_key)}.parquet"
        self._files.put(key, df)
        return self._written(key)

    def append(self, table: str, rows: list[dict[str, object]] | pl.DataFrame, *, group: str) -> Path | str:
        """Add an immutable batch (ledgers): never overwrites, so concurrent appends cannot collide."""
        df = self.conform(table, rows)
        self.ensure_table(table)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.parquet"
        key = f"{table}/{file_stem(group)}/{name}"
        self._files.put(key, df)
        return self._written(key)

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
        parts = self._files.keys(f"{table}/{file_stem(group)}", recursive=False)
        if len(parts) < 2:
            return len(parts)
        merged = self.conform(table, pl.concat(self._get_many(parts), how="diagonal_relaxed"))
        last = PurePosixPath(parts[-1])
        self._files.put(f"{last.parent}/{last.stem}-compacted.parquet", merged)
        for part in parts:
            self._files.delete(part)
        return len(parts)

    def tables(self) -> list[str]:
        return list(TABLES)

    def files(self, table: str) -> list[str]:
        """Every data file of a table (not the schema file), as keys ``<table>/...`` under the root."""
        return [k for k in self._files.keys(table) if PurePosixPath(k).name != SCHEMA_FILE]

    def read_file(self, key: str) -> pl.DataFrame:
        """One file's rows as stored (``key`` as :meth:`files` gives it)."""
        return self._files.get(key)

    def delete_file(self, key: str) -> None:
        self._files.delete(key)

    def drop_empty_group(self, table: str, group: str) -> None:
        """Remove an append-only group's folder once it holds nothing (a local folder; S3 has none)."""
        self._files.drop_empty_folder(f"{table}/{file_stem(group)}")

    def _key(self, path: Path | str) -> str:
        """A key under the root from a key, an absolute local path or an s3:// URL of the warehouse."""
        if isinstance(self.root, Path) and isinstance(path, Path):
            return path.resolve().relative_to(self.root).as_posix()
        return (s3_url(path) or str(path)).removeprefix(f"{self.root}/")

    def replace_file(self, path: Path | str, df: pl.DataFrame) -> None:
        """Rewrite one Parquet file of the warehouse with fewer rows (atomically; gone when empty)."""
        key = self._key(path)
        if df.height:
            self._files.put(key, df)
        else:
            self._files.delete(key)

    def ensure_table(self, table: str) -> None:
        """An empty file with the schema, so views exist and have types before any row does."""
        if table in self._ensured:
            return
        key = f"{table}/{SCHEMA_FILE}"
        if not self._files.exists(key):
            self._files.put(key, pl.DataFrame(schema=self._spec(table).schema))
        self._ensured.add(table)

    # -- reading -------------------------------------------------------------------------------
    def _get_many(self, keys: list[str]) -> list[pl.DataFrame]:
        if isinstance(self._files, _S3Files):
            return self._files.get_many(keys)
        return [self._files.get(k) for k in keys]

    def _keys_of(self, table: str, partition_keys: list[str] | None) -> list[str]:
        if partition_keys is None:
            return self.files(table)
        return self._files.partition_files(table, [file_stem(k) for k in partition_keys])

    def written(self, table: str, partition_keys: Iterable[str]) -> set[str]:
        """The partitions among ``partition_keys`` that were written, with rows or without (an asset
        that found nothing writes an empty partition: not the same as one not run yet)."""
        keys = list(partition_keys)
        found = set(self._keys_of(table, keys))
        return {k for k in keys if f"{table}/{file_stem(k)}.parquet" in found}

    def read(self, table: str, partition_keys: Iterable[str] | None = None) -> pl.DataFrame:
        """All rows of the given partitions (or the whole table), with the table's schema."""
        keys = self._keys_of(table, list(partition_keys) if partition_keys is not None else None)
        if not keys:
            return pl.DataFrame(schema=self._spec(table).schema)
        return self.conform(table, pl.concat(self._get_many(keys), how="diagonal_relaxed"))

    # -- DuckDB views --------------------------------------------------------------------------
    def view_sql(self, table: str) -> str:
        glob = self._files.url(f"{table}/**/*.parquet").replace("'", "''")
        comment = self._spec(table).description.replace("'", "''")
        return (
            f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{glob}', union_by_name = true, "
            f"filename = false);\nCOMMENT ON VIEW {table} IS '{comment}';"
        )

    def _views(self) -> list[str]:
        statements = [self.view_sql(table) for table in TABLES]
        for name, (comment, sql) in ANALYST_VIEWS.items():
            statements.append(f"CREATE OR REPLACE VIEW {name} AS {sql};")
            statements.append(f"COMMENT ON VIEW {name} IS '{comment.replace(chr(39), chr(39) * 2)}';")
        return statements

    def s3_secret_sql(self) -> str:
        """The DuckDB statements that let a session read this S3 warehouse: httpfs, and a secret taking
        the credentials from the AWS chain (never written here) with this store's endpoint and region."""
        client = self.s3_client
        endpoint = str(getattr(client.meta, "endpoint_url", "") or "") if client is not None else ""
        region = str(getattr(client.meta, "region_name", "") or "") if client is not None else ""
        options = ["TYPE s3", "PROVIDER credential_chain"]
        if endpoint and "amazonaws.com" not in endpoint:  # MinIO, R2, moto...: path-style requests
            host = endpoint.split("://", 1)[-1].rstrip("/")
            ssl = "true" if endpoint.startswith("https://") else "false"
            options += [f"ENDPOINT '{host}'", "URL_STYLE 'path'", f"USE_SSL {ssl}"]
        if region:
            options.append(f"REGION '{region}'")
        return (
            "INSTALL httpfs;\nLOAD httpfs;\nINSTALL aws;\nLOAD aws;\n"
            f"CREATE OR REPLACE SECRET jobland_s3 ({', '.join(options)});"
        )

    def views_script(self) -> str:
        """The views as one SQL script (S3 mode): ``duckdb -init <script>`` gives an analyst every table."""
        head = f"-- JobLand warehouse at {self.root}: the tables and analyst views (needs httpfs)."
        return "\n".join([head, self.s3_secret_sql(), *self._views()]) + "\n"

    @property
    def views_script_path(self) -> Path:
        return self.duckdb_path.with_suffix(".views.sql")

    def publish_views(self) -> bool:
        """(Re)create one view per table (and the search index); False when they could not be written.

        The views glob the Parquet folders, so they only need writing when the layout changes (and
        the search index after each run). The file is built aside and renamed into place
        (:func:`duckdb_file.publish`): an analyst's connection never meets a lock, one holding the
        old file keeps reading it, and a damaged file is moved aside and rebuilt. Over S3 the views
        are also written as a script (beside the DuckDB file and beside the tables), and go into the
        DuckDB file only where DuckDB's httpfs extension can load (it is downloaded once,
        ``INSTALL httpfs``). A disk that refuses the new file leaves the old one, with a WARNING.
        """
        for table in TABLES:
            self.ensure_table(table)
        self.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
        setup: list[str] = []
        if self.on_s3:
            script = self.views_script()
            _LocalFiles(self.views_script_path.parent).put_text(self.views_script_path.name, script)
            self._files.put_text(VIEWS_SCRIPT, script)
            if not self._httpfs_loads():
                log.warning(
                    "DuckDB's httpfs extension is not available: the S3 views are in %s "
                    "(run it in a DuckDB with httpfs: duckdb -init %s)",
                    self.views_script_path,
                    self.views_script_path,
                )
                return False
            setup = [s for s in self.s3_secret_sql().splitlines() if not s.startswith("INSTALL")]
        return self._write_views(setup)

    @staticmethod
    def _httpfs_loads() -> bool:
        with duckdb.connect() as con:
            try:
                con.execute("SET autoinstall_known_extensions = false")  # no download attempt here
                con.execute("LOAD httpfs")
                con.execute("LOAD aws")
            except duckdb.Error:
                return False
        return True

    def _build(self, con: duckdb.DuckDBPyConnection, setup: list[str]) -> None:
        """What a fresh DuckDB file holds: the views, then the search index over the postings."""
        for statement in setup:
            con.execute(statement)
        con.execute("BEGIN")
        for statement in self._views():
            con.execute(statement)
        con.execute("COMMIT")
        try:
            fts.build_index(con)
        except (fts.SearchUnavailable, duckdb.Error) as exc:  # the views are worth publishing alone
            log.warning("search index over the postings not built: %s", exc)

    def _write_views(self, setup: list[str]) -> bool:
        try:
            duckdb_file.publish(self.duckdb_path, lambda con: self._build(con, setup))
        except (OSError, duckdb.IOException) as exc:  # a full or read-only disk: the old file stays
            log.warning("DuckDB file %s not rewritten (%s); views left as they were", self.duckdb_path, exc)
            return False
        return True

    def query(self, sql: str) -> pl.DataFrame:
        """Run SQL against the views, read-only (what an analyst does).

        Over S3 it runs in a fresh in-memory DuckDB from the views script, which needs httpfs.
        """
        if self.on_s3:
            with duckdb.connect() as con:
                con.execute(self.views_script())
                return self._fetch(con, sql)
        return self._read(lambda con: self._fetch(con, sql))

    def search_postings(
        self, query: str, *, user: str | None = None, since: date | None = None, limit: int = 20
    ) -> list[fts.Hit]:
        """Postings matching ``query`` by BM25 over title, company and description (see ``fts``).

        Reads the index in the DuckDB file (also for an S3 warehouse: the index is a table, not a
        view over ``s3://``); a file without one (never published, or published before search
        existed) is published once here.
        """
        if not self._read(fts.has_index):
            fts.extension_path()  # no extension: say so rather than publish for nothing
            self.publish_views()
        return self._read(lambda con: fts.search(con, query, user=user, since=since, limit=limit))

    def _read(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """``work`` on a read-only connection; a file found damaged while reading is rebuilt and
        ``work`` runs once more (an error that is not damage is raised as it is)."""
        try:
            with self._reader() as con:
                return work(con)
        except duckdb.IOException as exc:
            if duckdb_file.in_use(exc) or duckdb_file.damage(self.duckdb_path) is None:
                raise
            if not self.publish_views():
                raise
        with self._open_read_only() as con:
            return work(con)

    def _reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the DuckDB file; a missing or damaged file (not one merely in
        use) is rebuilt from the Parquet files first."""
        try:
            return self._open_read_only()
        except duckdb.Error as exc:
            if duckdb_file.in_use(exc) or not self.publish_views():
                raise
            return self._open_read_only()

    def _open_read_only(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(str(self.duckdb_path), read_only=True)
        try:
            con.execute("SET enable_progress_bar = false")
            con.execute("SELECT count(*) FROM duckdb_views()").fetchall()
        except duckdb.Error:
            con.close()
            raise
        return con

    @staticmethod
    def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall()
        return pl.DataFrame(rows, schema=names, orient="row")
