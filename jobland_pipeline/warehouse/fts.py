"""Full-text search over the postings found: a BM25 index (DuckDB's ``fts`` extension) in the DuckDB file.

Why an index table in the views file: ``fts`` indexes a table, not a view, so each publish copies the
postings (one row per posting, with the users whose searches found it) into ``posting_search`` and
indexes its title, company and description. The copy is rebuilt from the Parquet files with the views,
in the temporary file that is renamed into place (see ``duckdb_file``): the index follows every run and
a reader never sees half of it.

Why the extension comes from a wheel: ``INSTALL fts`` downloads it, which an offline machine or a CI
runner cannot do. The ``duckdb-extension-fts`` package ships the same file for one DuckDB version
(``extensions/v<version>/fts.duckdb_extension``), which is loaded by path; its version must equal
DuckDB's (pinned together in pyproject.toml).

Why the ``*_terms`` columns: fts splits text at whitespace and punctuation, so Chinese or Japanese
text, written without spaces, becomes one token per sentence and a query for a word inside it finds
nothing. :func:`terms` rewrites every run of CJK characters as its characters and its character pairs
(bigrams), the usual index for unsegmented scripts; queries go through the same function, so a
Chinese word matches wherever its characters stand together. Other text is left as it is (the porter
stemmer and English stop words apply to it).
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

SEARCH_TABLE = "posting_search"
_MACRO = f"fts_main_{SEARCH_TABLE}.match_bm25"
_FIELDS = ("title_terms", "company_terms", "description_terms")

# Han ideographs (with extension A and compatibility forms), hiragana and katakana: scripts written
# without spaces between words.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class SearchUnavailable(Exception):
    """The search cannot run: why, in one line (no extension for this DuckDB, no index yet)."""


def extension_path() -> Path:
    """The ``fts`` extension file of the ``duckdb-extension-fts`` wheel built for this DuckDB."""
    spec = importlib.util.find_spec("duckdb_extension_fts")
    if spec is None or not spec.submodule_search_locations:
        raise SearchUnavailable("the duckdb-extension-fts package is not installed (pip install -e .)")
    base = Path(next(iter(spec.submodule_search_locations)))
    path = base / "extensions" / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if not path.is_file():
        built = sorted(p.parent.name for p in base.glob("extensions/v*/fts.duckdb_extension"))
        raise SearchUnavailable(
            f"duckdb-extension-fts is built for DuckDB {', '.join(built) or 'no version'}, "
            f"this DuckDB is v{duckdb.__version__}: pin both to one version"
        )
    return path


def load(con: duckdb.DuckDBPyConnection) -> None:
    """Load ``fts`` into a connection from the wheel (never from the network)."""
    path = str(extension_path()).replace("'", "''")
    try:
        con.execute(f"LOAD '{path}'")
    except duckdb.Error as exc:
        raise SearchUnavailable(f"DuckDB could not load {path}: {exc}") from exc


def terms(text: str | None) -> str | None:
    """The text as the index sees it: each run of CJK characters as its characters and bigrams.

    >>> terms("高级数据分析师 (Python)")
    ' 高 级 数 据 分 析 师 高级 级数 数据 据分 分析 析师  (Python)'
    """
    if text is None:
        return None

    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        return " " + " ".join([*run, *(run[i : i + 2] for i in range(len(run) - 1))]) + " "

    return _UNSPACED.sub(split, text)


_BUILD = f"""
CREATE TABLE {SEARCH_TABLE} AS
WITH latest AS (
    SELECT * FROM job_postings WHERE posting_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY posting_id ORDER BY found_at DESC NULLS LAST, search_key) = 1
), found_by AS (
    SELECT posting_id, list_sort(list(DISTINCT user_id)) AS users FROM job_postings
    WHERE posting_id IS NOT NULL AND user_id IS NOT NULL GROUP BY posting_id
)
SELECT row_number() OVER (ORDER BY l.posting_id) AS doc_id, l.posting_id, l.title, l.company, l.location,
       l.posted_at, l.first_seen, l.url, coalesce(f.users, []::VARCHAR[]) AS users,
       jobland_terms(l.title) AS title_terms, jobland_terms(l.company) AS company_terms,
       jobland_terms(l.description) AS description_terms
FROM latest l LEFT JOIN found_by f USING (posting_id)
"""


def build_index(con: duckdb.DuckDBPyConnection) -> int:
    """Copy ``job_postings`` (a view on ``con``) into the search table and index it; returns its rows.

    All or nothing: a failure leaves neither the table nor a part of the index.
    """
    load(con)
    con.create_function("jobland_terms", terms, ["VARCHAR"], "VARCHAR")
    con.execute("BEGIN")
    try:
        con.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
        con.execute(_BUILD)
        fields = ", ".join(f"'{f}'" for f in _FIELDS)
        con.execute(
            f"PRAGMA create_fts_index('{SEARCH_TABLE}', 'doc_id', {fields}, "
            "stemmer = 'porter', stopwords = 'english', overwrite = 1)"
        )
        con.execute(f"COMMENT ON TABLE {SEARCH_TABLE} IS 'Postings for full-text search (jobland search).'")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.remove_function("jobland_terms")
    row = con.execute(f"SELECT count(*) FROM {SEARCH_TABLE}").fetchone()
    return int(row[0]) if row else 0


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'", [SEARCH_TABLE]
    ).fetchone()
    return bool(row and row[0])


@dataclass(frozen=True)
class Hit:
    """One posting found by a search, best first."""

    rank: int
    score: float
    posting_id: str
    title: str | None
    company: str | None
    location: str | None
    posted_at: date | None
    users: tuple[str, ...]
    url: str | None


def search(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    user: str | None = None,
    since: date | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Postings matching ``query`` by BM25 score over title, company and description.

    ``user``: only postings this user's searches found; ``since``: posted on or after that day (the
    first day it was found when the posting gives no date).
    """
    if not has_index(con):
        raise SearchUnavailable("no search index yet: it is built when a run publishes its views")
    load(con)
    where = ["score IS NOT NULL"]
    params: list[object] = [terms(query) or ""]
    if user is not None:
        where.append("list_contains(users, ?)")
        params.append(user)
    if since is not None:
        where.append("coalesce(posted_at, first_seen) >= ?")
        params.append(since)
    sql = f"""
        SELECT * FROM (SELECT *, {_MACRO}(doc_id, ?) AS score FROM {SEARCH_TABLE})
        WHERE {" AND ".join(where)} ORDER BY score DESC, posting_id LIMIT {max(int(limit), 0)}"""
    rows = con.execute(sql, params).fetchall()
    names = [d[0] for d in con.description or []]
    hits = []
    for rank, values in enumerate(rows, start=1):
        row = dict(zip(names, values, strict=True))
        hits.append(
            Hit(
                rank=rank,
                score=float(row["score"]),
                posting_id=str(row["posting_id"]),
                title=row["title"],
                company=row["company"],
                location=row["location"],
                posted_at=row["posted_at"],
                users=tuple(row["users"] or ()),
                url=row["url"],
            )
        )
    return hits
