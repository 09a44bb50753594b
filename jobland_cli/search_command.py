"""``jobland search``: full-text search over the postings found (DuckDB fts, BM25).

The index is built from the warehouse each time a run publishes its views (see
``jobland_pipeline.warehouse.fts``); this command only reads it, read-only, so it runs at any time,
also during a run.
"""

from __future__ import annotations

import argparse
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # DuckDB is imported when a search runs, not at every jobland start
    from jobland_pipeline.warehouse.fts import Hit

_COLUMNS = ("rank", "score", "title", "company", "location", "posted", "user")
_WIDTH = {"title": 44, "company": 30, "location": 24, "user": 24}


def iso_day(text: str) -> date:
    """An argparse type: a YYYY-MM-DD date, or one line saying it is not one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return int(text)


def add_parser(sub: Any) -> None:
    """Register ``jobland search`` on ``sub`` (the ``jobland`` subparsers)."""
    p = sub.add_parser(
        "search",
        help="full-text search over the postings found (BM25 over title, company and description)",
        description="Rank the postings found by every run against a query (DuckDB fts, BM25). Chinese "
        "and Japanese text is indexed by characters and character pairs, so a word matches inside "
        "unspaced text.",
    )
    p.add_argument("query", help='words to look for, e.g. "data engineer airflow" or "数据分析师"')
    p.add_argument("--user", help="only postings this user's searches found")
    p.add_argument("--since", type=iso_day, help="only postings posted on or after this day (YYYY-MM-DD)")
    p.add_argument("--limit", type=_positive, default=20, help="at most this many postings (default 20)")
    p.set_defaults(func=cmd_search)


def _columns(text: str) -> int:
    """Terminal columns the text takes: CJK characters take two, so Chinese titles line up."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(value: str, width: int | None) -> str:
    text = " ".join(value.split())
    if width is not None and _columns(text) > width:
        while _columns(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _columns(text))


def format_hits(hits: list[Hit]) -> str:
    """The hits as an aligned table, one posting a line, best first."""
    rows = [
        {
            "rank": str(h.rank),
            "score": f"{h.score:.2f}",
            "title": h.title or "",
            "company": h.company or "",
            "location": h.location or "",
            "posted": h.posted_at.isoformat() if h.posted_at else "",
            "user": ", ".join(h.users),
        }
        for h in hits
    ]
    cells = [{c: _cell(r[c], _WIDTH.get(c)) for c in _COLUMNS} for r in rows]
    widths = {c: max([len(c), *(_columns(r[c]) for r in cells)]) for c in _COLUMNS}
    lines = ["  ".join(_pad(c, widths[c]) for c in _COLUMNS).rstrip()]
    lines += ["  ".join(_pad(r[c], widths[c]) for c in _COLUMNS).rstrip() for r in cells]
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace) -> int:
    """Print the best postings for the query; exit 0 with a line saying so when none matches."""
    import duckdb

    from jobland_cli.main import CliError, _warehouse
    from jobland_pipeline.warehouse.fts import SearchUnavailable

    try:
        store = _warehouse()
    except ValueError as exc:  # e.g. a warehouse on S3 without its client
        raise CliError(str(exc)) from exc
    try:
        hits = store.search_postings(args.query, user=args.user, since=args.since, limit=args.limit)
    except SearchUnavailable as exc:
        raise CliError(f"search unavailable: {exc}") from exc
    except duckdb.Error as exc:
        raise CliError(f"cannot read {store.duckdb_path}: {str(exc).splitlines()[0]}") from exc
    if not hits:
        known = args.user is None or args.user in set(store.read("job_postings")["user_id"].to_list())
        print(
            f"no posting matches {args.query!r}" + ("" if known else f": no postings of a user {args.user!r}")
        )
        return 0
    print(format_hits(hits))
    return 0


__all__ = ["add_parser", "cmd_search", "format_hits"]
