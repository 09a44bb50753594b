"""Postings at scale: the one implementation of their normalisation, fingerprints and de-duplication.

``normalise_frame`` cleans a frame of raw postings rows and ``dedupe_frame`` removes exact duplicates
(same fingerprint or canonical URL, the first one kept) and fuzzy re-posts and staffing-agency copies,
within each group of rows when ``by`` names a group column (one search of a batch). The per-row helpers
of ``normalize.py`` (``fingerprint``, ``canonical_url``, ``dedupe``) are these functions on one row.

* ``description`` is ``textutil.clean_description`` of each distinct text (then cut to 60,000
  characters): one Python implementation. Texts it would return unchanged (what the engines send,
  cleaned already) are recognised by expressions and Python's NFKC check, and never reach it.
* ``canonical_url`` is vectorised for printable-ASCII absolute URLs whose query has no ``%`` escape (what
  job boards and engines send); any other URL goes, once per distinct value, through urllib (the general
  case of the same rule). A URL urllib rejects with ``ValueError`` (an invalid bracketed host) is null.
* ``fingerprint`` is the sha1 (first 16 hex digits) of ``company|title|location`` normalised (legal
  suffixes, parentheses and noise words dropped, title words as sorted distinct tokens); the key is
  built with expressions and hashed in one pass over the column (polars has no sha1).

The expressions agree with Python's ``re`` and ``textutil.tokens`` code point for code point: polars'
Rust regex differs on what ``\\w`` and ``\\b`` mean outside ASCII, and knows a newer Unicode than
``unicodedata``, so the patterns spell out Python's classes (``_py_word``) and characters Python's
Unicode does not assign are masked before lower-casing. Checked for Python 3.11 (Unicode 14).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from operator import attrgetter
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import polars as pl

from jobland_pipeline.lexicon.instructions import INSTRUCTION_HINT as INJECTION
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.near_duplicates import Memo, near_duplicates
from jobland_pipeline.textutil import STOPWORDS, clean_description

POSTINGS_SCHEMA = pl.Schema(
    {
        "id": pl.String,
        "title": pl.String,
        "company": pl.String,
        "location": pl.String,
        "remote": pl.String,  # "true" | "false" | "hybrid"
        "employment_type": pl.String,
        "posted_at": pl.String,  # ISO date; a pl.Date column is accepted as well
        "salary": pl.String,
        "url": pl.String,
        "description": pl.String,
        "source": pl.String,
        "source_id": pl.String,
        "apply_url": pl.String,
    }
)
MAX_TITLE = 300
MAX_DESCRIPTION = 60_000
DROP_REASONS = ("missing_id", "missing_title", "missing_company", "title_too_long")
FLAG_COUNTS = ("description_truncated", "injection_text")
TITLE_JACCARD = 0.8  # fuzzy: title token-set Jaccard at least this
DESCRIPTION_JACCARD = 0.7  # fuzzy: description word-3-shingle Jaccard at least this ...
DESCRIPTION_CONTAINMENT = 0.9  # ... or the shorter description's shingles this much inside the longer
AGENCY = (
    r"(?i)\b(?:staffing|recruit(?:ment|ing|ers?)?|talent|personnel|resourcing|headhunt\w*|agency"
    r"|placements?|manpower|workforce solutions|search partners|employment services)\b"
)
TRACKING_PARAMS = re.compile(r"^(utm_\w+|gclid|fbclid|refid|trackingid|trk|ebp|src|source|ref|lipi)$", re.I)

# ---------------------------------------------------------------------------------------------------
# Python's regex classes, spelled out for the Rust regex engine polars uses.


@cache
def _py_unassigned() -> str:
    """Code points ``unicodedata`` (Python's Unicode version) leaves unassigned, as Rust class items."""
    ranges = [(0x40000, 0xDFFFF)]  # planes 4-13: unassigned in every Unicode version
    for lo, hi in ((0, 0x40000), (0xE0000, 0x110000)):
        start = None
        for c in range(lo, hi):
            if unicodedata.category(chr(c)) == "Cn":
                start = c if start is None else start
            elif start is not None:
                ranges.append((start, c - 1))
                start = None
        if start is not None:
            ranges.append((start, hi - 1))
    return "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in sorted(ranges))


@cache
def _py_word() -> str:
    """Python's ``\\w`` (``str.isalnum()`` or ``_``) as a Rust class."""
    return rf"[[\p{{L}}\p{{N}}_]--[{_py_unassigned()}]]"


@cache
def _py_nonword() -> str:
    """Python's ``\\W`` as a Rust class."""
    return rf"[[^\p{{L}}\p{{N}}_][{_py_unassigned()}]]"


def _mask_unassigned(expr: pl.Expr) -> pl.Expr:
    """Code points Python's Unicode does not know become U+FFFF (unassigned in every version)."""
    return expr.str.replace_all(f"[{_py_unassigned()}]", "\uffff")


def _stream(s: pl.Series, fn: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    """Apply an expression to a column on the streaming engine (morsels run on all cores)."""
    return s.to_frame("_s").lazy().select(fn(pl.col("_s"))).collect(engine="streaming").to_series()


# ---------------------------------------------------------------------------------------------------
# clean_description


@cache
def _py_unprintable() -> str:
    """Code points ``str.isprintable`` refuses in Python's Unicode (categories C and Z), space and
    newline excepted, as Rust class items."""
    ranges: list[tuple[int, int]] = [(0x40000, 0xDFFFF)]  # planes 4-13: unassigned (category Cn)
    start = None
    for c in [*range(0x40000), *range(0xE0000, 0x110000)]:
        bad = c not in (0x0A, 0x20) and unicodedata.category(chr(c))[0] in "CZ"
        if bad and start is None:
            start = c
        elif not bad and start is not None:
            ranges.append((start, c - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x10FFFF))
    # surrogates (category Cs) are no text polars holds, and no item of a Rust class
    ranges = [r for a, b in ranges for r in ((a, min(b, 0xD7FF)), (max(a, 0xE000), b)) if r[0] <= r[1]]
    return "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in sorted(ranges))


def _maybe_clean(texts: pl.Expr) -> pl.Expr:
    """Texts ``clean_description`` returns unchanged if they are NFKC-normalised (true of ASCII): no
    ``&`` that could start an entity (one before a space, a newline or the end is kept as it is), not
    both ``<`` and ``>``, no control, format, unassigned or white-space character but single spaces
    and newlines, no space beside a newline, no three newlines in a row, nothing to strip at either end."""
    changes = f"[{_py_unprintable()}]|&[^ \n]|  | \n|\n |\n\n\n|^[ \n]|[ \n]$"
    tags = texts.str.contains("<", literal=True) & texts.str.contains(">", literal=True)
    return ~texts.str.contains(changes) & ~tags


def clean_descriptions(descriptions: pl.Series) -> pl.Series:
    """``clean_description`` of a whole column, each distinct text cleaned once (nulls become "").

    Texts that are clean already (most: the engines clean what they fetch) are recognised by
    expressions on all cores (and, when not ASCII, Python's own NFKC check) and kept; only the others
    go through the Python function."""
    s = descriptions.cast(pl.String).fill_null("")
    texts = (
        s.unique()
        .to_frame("t")
        .lazy()
        .with_columns(
            maybe=_maybe_clean(pl.col("t")), ascii=pl.col("t").str.len_bytes() == pl.col("t").str.len_chars()
        )
        .filter(~(pl.col("maybe") & pl.col("ascii")))
        .collect(engine="streaming")
    )
    maybe, text = texts["maybe"].to_list(), texts["t"].to_list()
    dirty = [t for t, m in zip(text, maybe, strict=True) if not (m and unicodedata.is_normalized("NFKC", t))]
    if not dirty:
        return s.alias(descriptions.name)
    cleaned = pl.Series(list(map(clean_description, dirty)), dtype=pl.String)
    return s.replace(pl.Series(dirty, dtype=pl.String), cleaned).alias(descriptions.name)


# ---------------------------------------------------------------------------------------------------
# canonical_url

_QUOTE = {  # quote_plus for printable ASCII ('+' decodes to ' ' and encodes back to '+')
    ch: f"%{ord(ch):02X}" for ch in map(chr, range(0x21, 0x7F)) if not ch.isalnum() and ch not in "_.-~+%"
}
_FAST_URL = r"^[A-Za-z][A-Za-z0-9+.\-]*://[!-~&&[^/?#\[\]]]+(?:[/?#][!-~]*)?$"
_URL_PARTS = r"^([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?"


def _canonical_url_general(url: str) -> str | None:
    """The rule for any URL, with urllib: tracking parameters, fragment and trailing slashes dropped,
    scheme and host lower-cased. None for no URL or one urllib cannot split (an invalid bracketed host)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        query = [(k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMS.match(k)]
    except ValueError:
        return None
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), urlencode(query), "")
    )


def _quote_plus(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_many(list(_QUOTE), list(_QUOTE.values()))


def canonical_urls(urls: pl.Series) -> pl.Series:
    """The canonical URL of every value of a column: the same job has one URL whatever tracking
    parameters, fragment, trailing slash or letter case it came with. No URL is null; a URL of blanks
    is ""."""
    frame = pl.DataFrame({"raw": urls.cast(pl.String)}).with_row_index("_r")
    frame = frame.with_columns(u=pl.col("raw").str.strip_chars())
    frame = frame.with_columns(
        _fast=pl.col("u").str.contains(_FAST_URL)
        & ~pl.col("u").str.extract(_URL_PARTS, 4).fill_null("").str.contains("%", literal=True)
    )
    fast = frame.filter(pl.col("_fast")).with_columns(
        pl.col("u").str.extract_groups(_URL_PARTS).struct.rename_fields(["scheme", "netloc", "path", "query"])
    )
    fast = fast.unnest("u")
    fields = (
        fast.select("_r", pl.col("query").fill_null("").str.split("&").alias("f"))
        .explode("f")
        .with_columns(
            name=pl.col("f").str.extract(r"^([^=]*)=", 1),
            value=pl.col("f").str.extract(r"^[^=]*=(.*)$", 1),
        )
        .filter(
            pl.col("name").is_not_null()
            & (pl.col("value").str.len_bytes() > 0)
            & ~pl.col("name").str.contains("(?i)" + TRACKING_PARAMS.pattern)
        )
        .group_by("_r", maintain_order=True)
        .agg(
            pl.concat_str(_quote_plus(pl.col("name")), pl.lit("="), _quote_plus(pl.col("value")))
            .str.join("&")
            .alias("q")
        )
    )
    fast = fast.join(fields, on="_r", how="left").select(
        "_r",
        pl.concat_str(
            pl.col("scheme").str.to_lowercase(),
            pl.lit("://"),
            pl.col("netloc").str.to_lowercase(),
            pl.col("path").str.strip_chars_end("/"),
            pl.when(pl.col("q").fill_null("") != "").then("?" + pl.col("q")).otherwise(pl.lit("")),
        ).alias("c"),
    )
    slow_values = frame.filter(~pl.col("_fast") & pl.col("raw").is_not_null())["raw"].unique().to_list()
    slow = {value: _canonical_url_general(value) for value in slow_values}
    out = frame.join(fast, on="_r", how="left").with_columns(
        pl.when(pl.col("_fast"))
        .then(pl.col("c"))
        .otherwise(
            pl.col("raw").replace_strict(slow, default=None, return_dtype=pl.String) if slow else pl.lit(None)
        )
        .alias("c")
    )
    return out.sort("_r")["c"].alias("canonical_url")


# ---------------------------------------------------------------------------------------------------
# fingerprint

_TITLE_NOISE = "remote|hybrid|urgent|hiring|new"
_LATIN_WORD = r"[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]"
_HAN = r"[\x{4e00}-\x{9fff}]"
_COMPANY_SUFFIXES = ["inc", "llc", "ltd", "plc", "corp", "co", "gmbh"]


def _lowered(expr: pl.Expr) -> pl.Expr:
    return _mask_unassigned(expr.fill_null("")).str.to_lowercase()


def title_tokens(title: pl.Expr) -> pl.Expr:
    """A title's fingerprint words as a list column: ``sorted(set(tokens(title)))`` once the parentheses,
    "with verification" and remote/hybrid/urgent/hiring/new are removed."""
    nonword = _py_nonword()
    t = (
        _lowered(title)
        .str.replace_all(r"\(.*?\)", "\uffff")  # non-word, as "(" and ")" are: word boundaries stay
        .str.replace_all("with verification", "_")  # a word character, as "w" and "n" are
    )
    for _ in range(2):  # \b(...)\b: the boundary characters are consumed, so adjacent words need a 2nd pass
        t = t.str.replace_all(f"(^|{nonword})(?:{_TITLE_NOISE})({nonword}|$)", "${1} ${2}")
    words = t.str.extract_all(_LATIN_WORD).list.eval(
        pl.element()
        .filter(~pl.element().is_in(sorted(STOPWORDS)) & (pl.element().str.len_bytes() > 1))
        .str.replace(r"^(.{2,})ies$", "${1}y")
        .str.replace(r"^(.{2,}[^sui])s$", "${1}")
    )
    han_singles = t.str.extract_all(f"{_HAN}+").list.eval(
        pl.element().filter(pl.element().str.len_chars() == 1)
    )
    han_even = t.str.extract_all(f"{_HAN}{{2}}")
    han_odd = t.str.replace_all(f"(^|[^\\x{{4e00}}-\\x{{9fff}}]){_HAN}", "${1}").str.extract_all(
        f"{_HAN}{{2}}"
    )
    tokens = pl.concat_list(words, han_singles, han_even, han_odd)
    return tokens.list.eval(pl.element().unique().sort())  # (.list.sort() is ~30x slower in polars 2.1)


def company_key(company: pl.Expr) -> pl.Expr:
    """The company part of a fingerprint: word characters only, legal suffixes dropped."""
    return (
        _lowered(company)
        .str.extract_all(f"{_py_word()}+")
        .list.eval(pl.element().filter(~pl.element().is_in(_COMPANY_SUFFIXES)))
        .list.join("")
    )


def location_key(location: pl.Expr) -> pl.Expr:
    """The location part of a fingerprint: its word characters, lower-cased."""
    return _lowered(location).str.extract_all(f"{_py_word()}+").list.join("")


def _sha1_16(keys: pl.Series) -> pl.Series:
    return pl.Series(
        "fingerprint",
        [hashlib.sha1(k.encode("utf-8")).hexdigest()[:16] for k in keys.to_list()],
        dtype=pl.String,
    )


def fingerprints(df: pl.DataFrame) -> pl.Series:
    """The fingerprint of every row (title, company and location columns): same company + normalised
    title + location = the same job, whatever engine found it."""
    keys = (
        df.lazy()
        .select(
            pl.concat_str(
                company_key(pl.col("company")),
                pl.lit("|"),
                title_tokens(pl.col("title")).list.join(" "),
                pl.lit("|"),
                location_key(pl.col("location")),
            )
        )
        .collect(engine="streaming")
        .to_series()
    )
    return _sha1_16(keys)


# ---------------------------------------------------------------------------------------------------
# normalise_frame


def _conform(df: pl.DataFrame) -> pl.DataFrame:
    cols = []
    for name, dtype in POSTINGS_SCHEMA.items():
        if name not in df.columns:
            cols.append(pl.lit(None, dtype=dtype).alias(name))
        elif name == "posted_at" and df.schema[name] in (pl.Date, pl.Datetime):
            cols.append(pl.col(name).cast(pl.Date))
        elif name == "remote" and df.schema[name] == pl.Boolean:
            cols.append(pl.col(name).cast(pl.String).str.to_lowercase())
        else:
            cols.append(pl.col(name).cast(pl.String))
    out = df.select(*cols, *(c for c in df.columns if c not in POSTINGS_SCHEMA))  # others pass through
    if out.schema["posted_at"] == pl.String:
        out = out.with_columns(
            pl.col("posted_at").str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        )
    return out


def _tidy(col: str) -> pl.Expr:
    return pl.col(col).str.replace_all(r"\s+", " ").str.strip_chars()


def normalise_frame(df: pl.DataFrame, *, known_keys: bool = False) -> tuple[pl.DataFrame, dict[str, int]]:
    """Clean raw postings rows; return the kept rows (+ canonical_url, fingerprint, injection) and counts.

    Columns beyond ``POSTINGS_SCHEMA`` pass through (a row index, a search key). With ``known_keys``,
    ``df`` has the ``canonical_url`` and ``fingerprint`` of its raw rows already (``canonical_urls``,
    ``fingerprints``): they are kept, and a fingerprint computed again only where tidying the title,
    company or location changed it.

    A row is dropped for the first reason that applies: ``missing_id``, ``missing_title``,
    ``missing_company`` (null or blank), ``title_too_long`` (over 300 characters once tidied). A
    description over 60,000 characters is cut (``description_truncated``); one with prompt-injection text
    is kept, flagged in ``injection`` and counted (``injection_text``).
    """
    frame = _conform(df)
    if known_keys:
        same = (
            _tidy("title").eq_missing(pl.col("title"))
            & _tidy("company").eq_missing(pl.col("company"))
            & _tidy("location").fill_null("").eq(pl.col("location").fill_null(""))
        )
        frame = frame.with_columns(same.alias("_same"))
    frame = frame.with_columns(
        _tidy("title").alias("title"),
        _tidy("company").alias("company"),
        _tidy("location").fill_null("").alias("location"),
        pl.col("remote")
        .str.strip_chars()
        .str.to_lowercase()
        .replace_strict(
            {"true": "true", "yes": "true", "remote": "true", "hybrid": "hybrid"},
            default="false",
            return_dtype=pl.String,
        ),
        pl.col("source").fill_null("local"),
    )
    reason = (
        pl.when(pl.col("id").str.strip_chars().fill_null("") == "")
        .then(pl.lit("missing_id"))
        .when(pl.col("title").fill_null("") == "")
        .then(pl.lit("missing_title"))
        .when(pl.col("company").fill_null("") == "")
        .then(pl.lit("missing_company"))
        .when(pl.col("title").str.len_chars() > MAX_TITLE)
        .then(pl.lit("title_too_long"))
    )
    frame = frame.with_columns(reason.alias("_drop"))
    counts = {k: 0 for k in (*DROP_REASONS, *FLAG_COUNTS)}
    for row in frame["_drop"].drop_nulls().value_counts().iter_rows():
        counts[row[0]] = row[1]
    frame = frame.filter(pl.col("_drop").is_null()).drop("_drop")

    description = clean_descriptions(frame["description"])
    too_long = description.str.len_chars() > MAX_DESCRIPTION
    counts["description_truncated"] = int(too_long.sum())
    if counts["description_truncated"]:
        description = (
            description.to_frame("d")
            .select(
                pl.when(too_long)
                .then(pl.col("d").str.slice(0, MAX_DESCRIPTION).str.strip_chars_end())
                .otherwise(pl.col("d"))
            )
            .to_series()
        )
    injection = _stream(description, lambda c: c.str.contains("(?i)" + INJECTION.pattern))
    counts["injection_text"] = int(injection.sum())
    frame = _with_keys(
        frame.with_columns(description.alias("description"), injection.alias("injection")), known_keys
    )
    counts["rows_in"] = df.height
    counts["rows_out"] = frame.height
    return frame, counts


def _with_keys(frame: pl.DataFrame, known_keys: bool) -> pl.DataFrame:
    """``canonical_url`` and ``fingerprint`` of the normalised rows (see ``normalise_frame``)."""
    if not known_keys:
        frame = frame.with_columns(canonical_urls(frame["url"]).alias("canonical_url"))
        return frame.with_columns(fingerprints(frame).alias("fingerprint"))
    redo = (~frame["_same"]).arg_true()
    if len(redo):
        again = fingerprints(frame.filter(~pl.col("_same")))
        frame = frame.with_columns(frame["fingerprint"].clone().scatter(redo, again).alias("fingerprint"))
    return frame.drop("_same")


# ---------------------------------------------------------------------------------------------------
# dedupe_frame

MERGED_SCHEMA = pl.Schema({"id": pl.String, "kept_id": pl.String, "reason": pl.String})


def _exact_keep(keys: pl.DataFrame) -> pl.Series:
    """Which rows the exact pass keeps: no earlier *kept* row shares the fingerprint or the URL.

    Rounds over the undecided rows: a row with no earlier live row sharing a key is kept; a row sharing
    a key with an earlier kept row is dropped (and leaves the live set). Each round decides at least the
    earliest undecided row; chains deeper than a few rounds are rare, and after 32 rounds the rest is
    decided by the plain sequential loop.
    """
    live = keys.select("_i", "fp", "url").with_columns(status=pl.lit(0, dtype=pl.Int8))  # 1 kept, 0 undecided
    for _ in range(32):
        if live.filter(pl.col("status") == 0).is_empty():
            break
        first_fp = pl.col("fp").is_first_distinct()
        first_url = pl.col("url").is_null() | pl.col("url").is_first_distinct()
        live = live.with_columns(
            pl.when((pl.col("status") == 0) & first_fp & first_url)
            .then(1)
            .otherwise(pl.col("status"))
            .cast(pl.Int8)
            .alias("status")
        )
        kept_i = pl.when(pl.col("status") == 1).then(pl.col("_i"))
        live = live.with_columns(
            k_fp=kept_i.min().over("fp"),
            k_url=pl.when(pl.col("url").is_not_null()).then(kept_i.min().over("url")),
        )
        dropped = (pl.col("status") == 0) & (
            (pl.col("k_fp") < pl.col("_i")).fill_null(False)
            | (pl.col("k_url") < pl.col("_i")).fill_null(False)
        )
        live = live.filter(~dropped).drop("k_fp", "k_url")
    else:  # pathological chains: finish sequentially
        by_key: set[str] = set()
        status = []
        for _, fp, url, st in live.iter_rows():
            ks = [f"fp:{fp}"] + ([f"url:{url}"] if url else [])
            if st == 1 or not any(k in by_key for k in ks):
                by_key.update(ks)
                status.append(1)
            else:
                status.append(0)
        live = live.with_columns(pl.Series("status", status, dtype=pl.Int8)).filter(pl.col("status") == 1)
    kept = live.select("_i")
    return keys["_i"].is_in(kept["_i"].implode())


def _exact(keys: pl.DataFrame) -> tuple[pl.Series, pl.DataFrame]:
    """Kept mask, and (_i, kept_i, reason) of each dropped row of the exact pass."""
    keep = _exact_keep(keys)
    kept = keys.filter(keep)
    by_fp = kept.select("fp", pl.col("_i").alias("k_fp"))
    by_url = kept.filter(pl.col("url").is_not_null()).select("url", pl.col("_i").alias("k_url"))
    fp_hit = (pl.col("k_fp") < pl.col("_i")).fill_null(False)  # the fingerprint is looked up first
    merged = (
        keys.filter(~keep)
        .join(by_fp, on="fp", how="left")
        .join(by_url, on="url", how="left")
        .select(
            "_i",
            pl.when(fp_hit).then(pl.col("k_fp")).otherwise(pl.col("k_url")).alias("kept_i"),
            pl.when(fp_hit).then(pl.lit("fingerprint")).otherwise(pl.lit("url")).alias("reason"),
        )
    )
    return keep, merged


def _shingles(rows: pl.DataFrame) -> pl.DataFrame:
    """(_i, h): hashed word 3-shingles of each description's first 10,000 characters (CJK/Thai characters
    count as words; a description under 3 words is its word set)."""
    spaced = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]"
    words = (
        rows.select(
            "_i",
            pl.col("description")
            .fill_null("")
            .str.slice(0, 10_000)
            .str.to_lowercase()
            .str.extract_all(rf"{spaced}|[[\p{{L}}\p{{N}}]--{spaced}]+")
            .alias("w"),
        )
        .explode("w")
        .drop_nulls("w")
    )
    w, i = pl.col("w"), pl.col("_i")
    gram = pl.when(i.shift(-2) == i).then(pl.concat_str(w, w.shift(-1), w.shift(-2), separator=" "))
    counts = words.group_by("_i").len("n")
    short = words.join(counts.filter(pl.col("n") < 3), on="_i", how="semi").select("_i", w.alias("g"))
    return (
        pl.concat([words.select("_i", gram.alias("g")).drop_nulls("g"), short])
        .select("_i", pl.col("g").hash(seed=17).alias("h"))
        .unique()
    )


def _fuzzy_pairs(rows: pl.DataFrame) -> pl.DataFrame:
    """Candidate pairs (i < j) that are re-posts / agency copies, by prefix-filtered blocking (never
    across groups when ``rows`` has a group column ``_g``: the place is compared within the group)."""
    loc = location_key(pl.col("location"))
    feats = rows.select(
        "_i",
        "title",
        (pl.concat_str(pl.col("_g"), pl.lit("\x1f"), loc) if "_g" in rows.columns else loc).alias("loc"),
        company_key(pl.col("company")).alias("co"),
        pl.col("company").fill_null("").str.contains(AGENCY).alias("agency"),
        title_tokens(pl.col("title")).alias("tt"),
    )
    if (feats["tt"].list.len() == 0).any():  # no Latin/Han token (Cyrillic, Arabic...): Unicode words
        words = _lowered(pl.col("title")).str.extract_all(f"{_py_word()}+").list.eval(pl.element().unique())
        feats = feats.with_columns(
            pl.when(pl.col("tt").list.len() > 0).then("tt").otherwise(words).alias("tt")
        )
    tokens = feats.select("_i", "loc", "co", "agency", "tt").explode("tt").drop_nulls("tt")
    if tokens.is_empty():
        return pl.DataFrame(schema={"i": pl.UInt32, "j": pl.UInt32})
    df = tokens.group_by("tt").len("df")
    n = pl.len().over("_i")
    prefix = (
        tokens.join(df, on="tt")
        .sort("_i", "df", "tt")
        .with_columns(rank=pl.int_range(pl.len()).over("_i"), n=n)
        .filter(pl.col("rank") < pl.col("n") - (4 * pl.col("n") + 4) // 5 + 1)  # |x| - ceil(0.8|x|) + 1
        .select("_i", "loc", "co", "agency", "tt")
    )
    same_company = prefix.join(prefix, on=["loc", "co", "tt"], suffix="_b").filter(
        pl.col("_i") < pl.col("_i_b")
    )
    agency = prefix.join(prefix.filter(pl.col("agency")), on=["loc", "tt"], suffix="_b").filter(
        pl.col("_i") != pl.col("_i_b")
    )
    pairs = (
        pl.concat(
            [
                same_company.select(pl.col("_i").alias("i"), pl.col("_i_b").alias("j")),
                agency.select(
                    pl.min_horizontal("_i", "_i_b").alias("i"), pl.max_horizontal("_i", "_i_b").alias("j")
                ),
            ]
        )
        .unique()
        .sort("j", "i")
    )
    if pairs.is_empty():
        return pairs
    title_sets = feats.select("_i", "tt")
    pairs = (
        pairs.join(title_sets.rename({"_i": "i", "tt": "ta"}), on="i")
        .join(title_sets.rename({"_i": "j", "tt": "tb"}), on="j")
        .with_columns(inter=pl.col("ta").list.set_intersection("tb").list.len())
        .filter(
            pl.col("inter")
            >= TITLE_JACCARD * (pl.col("ta").list.len() + pl.col("tb").list.len() - pl.col("inter"))
        )
        .select("i", "j")
    )
    if pairs.is_empty():
        return pairs
    involved = pl.concat([pairs["i"], pairs["j"]]).unique()
    shingles = _shingles(rows.filter(pl.col("_i").is_in(involved.implode())))
    sizes = shingles.group_by("_i").len("n")
    inter = (
        pairs.join(shingles.rename({"_i": "i"}), on="i")
        .join(shingles.rename({"_i": "j"}), on=["j", "h"])
        .group_by("i", "j")
        .len("inter")
    )
    sa, sb, common = pl.col("na"), pl.col("nb"), pl.col("inter")
    smaller = pl.min_horizontal(sa, sb)
    return (
        inter.join(sizes.rename({"_i": "i", "n": "na"}), on="i")
        .join(sizes.rename({"_i": "j", "n": "nb"}), on="j")
        .filter(
            (common >= DESCRIPTION_JACCARD * (sa + sb - common))
            | ((common >= DESCRIPTION_CONTAINMENT * smaller) & (smaller >= 20))
        )
        .select("i", "j")
        .sort("j", "i")
    )


def _resolve_pairs(pairs: pl.DataFrame) -> dict[int, int]:
    """Greedy in row order: a row similar to an earlier kept row is merged into the earliest such row."""
    merged: dict[int, int] = {}
    for j, earlier in pairs.group_by("j").agg(pl.col("i").sort()).sort("j").iter_rows():
        target = next((i for i in earlier if i not in merged), None)
        if target is not None:
            merged[j] = target
    return merged


def dedupe_rows(
    df: pl.DataFrame, *, fuzzy: bool = True, by: str | None = None
) -> tuple[pl.Series, pl.DataFrame]:
    """Which rows ``dedupe_frame`` keeps (a mask), and ``(i, kept_i, reason)`` of each dropped row by
    row position; with ``by``, rows are only ever merged with rows of the same group."""
    if df.is_empty():
        return pl.Series("keep", [], dtype=pl.Boolean), pl.DataFrame(schema=_MERGED_ROWS)
    frame = df
    if "fingerprint" not in frame.columns:
        frame = frame.with_columns(fingerprints(frame).alias("fingerprint"))
    if "canonical_url" not in frame.columns:
        frame = frame.with_columns(canonical_urls(frame["url"]).alias("canonical_url"))
    group = pl.col(by).cast(pl.String) if by else pl.lit("")
    keys = frame.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"),
        pl.concat_str(group, pl.lit("\x1f"), pl.col("fingerprint")).alias("fp"),
        pl.when(pl.col("canonical_url") != "")
        .then(pl.concat_str(group, pl.lit("\x1f"), pl.col("canonical_url")))
        .alias("url"),
    )
    keep, merged = _exact(keys)
    if fuzzy:
        rows = frame.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"), group.alias("_g"))
        pairs = _fuzzy_pairs(rows.filter(keep))
        fuzzy_merged = _resolve_pairs(pairs) if not pairs.is_empty() else {}
        if fuzzy_merged:
            fm = pl.DataFrame(
                {"_i": list(fuzzy_merged), "kept_i": list(fuzzy_merged.values())},
                schema={"_i": pl.UInt32, "kept_i": pl.UInt32},
            ).with_columns(reason=pl.lit("fuzzy"))
            keep = keep & ~keys["_i"].is_in(fm["_i"].implode())
            merged = pl.concat(
                [merged.with_columns(pl.col("kept_i").replace(fuzzy_merged)), fm]  # point at the final row
            ).sort("_i")
    return keep.alias("keep"), merged.rename({"_i": "i"}).cast(pl.Schema(_MERGED_ROWS))


_MERGED_ROWS = pl.Schema({"i": pl.UInt32, "kept_i": pl.UInt32, "reason": pl.String})


def dedupe_frame(
    df: pl.DataFrame, *, fuzzy: bool = True, by: str | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Keep the first posting per fingerprint and per canonical URL, then drop fuzzy re-posts.

    Exact pass (reason "fingerprint" or "url"): a row sharing its fingerprint, else its canonical URL,
    with an earlier kept row is merged into it. Fuzzy pass (``fuzzy=True``), over the rows the exact
    pass kept: same normalised location, same normalised company or either company looks like a
    staffing agency, title token-set Jaccard >= 0.8 and description word-3-shingle Jaccard >= 0.7 (or
    >= 90% of the shorter one's shingles in the longer): the later row is merged into the earliest such
    kept row (reason "fuzzy"), and exact duplicates of a fuzzy-merged row point at its final kept row.
    With ``by``, each group of rows (one search of a batch) is de-duplicated on its own.

    Returns ``(kept, merged)``; ``kept`` keeps the input's columns and order, ``merged`` has one row per
    dropped posting: ``id``, ``kept_id``, ``reason``.
    """
    if df.is_empty():
        return df, pl.DataFrame(schema=MERGED_SCHEMA)
    keep, merged = dedupe_rows(df, fuzzy=fuzzy, by=by)
    ids = df["id"].cast(pl.String)
    merged = merged.select(
        ids.gather(merged["i"]).alias("id"), ids.gather(merged["kept_i"]).alias("kept_id"), "reason"
    )
    return df.filter(keep), merged.cast(pl.Schema(MERGED_SCHEMA))


def postings_frame(postings: Sequence[Posting]) -> pl.DataFrame:
    """Posting objects as raw postings rows (``POSTINGS_SCHEMA``), in order (built column by column:
    the plain fields read as one tuple per posting in C, then turned into columns by ``zip``)."""
    plain = [name for name in POSTINGS_SCHEMA if name not in ("remote", "posted_at")]
    rows = list(map(attrgetter(*plain), postings))
    columns: dict[str, Sequence[str | None]] = (
        dict(zip(plain, zip(*rows, strict=True), strict=True)) if rows else {name: [] for name in plain}
    )
    columns["remote"] = [p.remote_flag for p in postings]
    columns["posted_at"] = [p.posted_at.isoformat() if p.posted_at else None for p in postings]
    return pl.DataFrame({name: columns[name] for name in POSTINGS_SCHEMA}, schema=POSTINGS_SCHEMA)


def dedupe_postings(postings: list[Posting]) -> tuple[list[Posting], dict[str, str]]:
    """Exact duplicates, fuzzy re-posts and agency copies, then near-duplicate re-posts
    (``near_duplicates``), for a list of Posting objects: one search's postings.

    Returns the kept postings (input order) and {dropped id: kept id}.
    """
    if not postings:
        return [], {}
    frame, _ = normalise_frame(postings_frame(postings))
    kept, merged = dedupe_frame(frame)
    return with_near_duplicates(
        postings, set(kept["id"].to_list()), dict(zip(merged["id"], merged["kept_id"], strict=True))
    )


def with_near_duplicates(
    postings: list[Posting],
    kept_ids: set[str],
    mapping: dict[str, str],
    *,
    memo: Memo | None = None,
) -> tuple[list[Posting], dict[str, str]]:
    """The postings still kept once re-posts whose title wording, place format or company suffix
    changed (any language) are merged too, and the whole {dropped id: kept id}."""
    near = near_duplicates([p for p in postings if p.id in kept_ids], memo=memo)
    mapping.update(near)
    kept_ids -= set(near)
    return [p for p in postings if p.id in kept_ids], mapping
