"""Normalisation and de-duplication of postings at scale: polars expressions, same answers as normalize.py.

``normalise_frame`` cleans a frame of raw postings rows and ``dedupe_frame`` removes exact duplicates
(fingerprint / canonical URL, as ``normalize.dedupe`` does) and fuzzy re-posts and staffing-agency copies.

Parity with the per-row functions in ``normalize.py`` (checked by tests/test_frame.py):

* ``description`` equals ``clean_description`` (then cut to 60,000 characters). Python's ``re`` and
  polars' Rust regex differ on what ``\\w``, ``\\s``, ``\\b`` and case-insensitive letters mean outside
  ASCII, and polars knows a newer Unicode than ``unicodedata``; every pattern here spells out Python's
  classes (``_py_word``, ``_PY_SPACE``, ``_ci``), and characters Python's Unicode does not assign are
  masked before lower-casing and NFKC, so the answers agree code point for code point.
  ``html.unescape`` is reproduced with one Aho-Corasick pass over all 2,231 HTML5 entity names plus the
  numeric references actually present in the column (each distinct one decoded once by ``html.unescape``).
* ``canonical_url`` is vectorised for printable-ASCII absolute URLs whose query has no ``%`` escape (what
  job boards and engines send); any other URL goes, once per distinct value, through ``canonical_url``
  itself (a URL it rejects with ``ValueError`` becomes null instead of failing the batch).
* ``fingerprint`` is the same sha1 (first 16 hex digits) of ``company|title|location`` normalised as
  ``fingerprint`` does; the normalised key is built with expressions and hashed in one pass over the
  column (polars has no sha1).
* ``dedupe_frame(fuzzy=False)`` keeps and merges exactly what ``dedupe`` does on the same ordered rows.

Checked code point by code point for Python 3.11 (Unicode 14): Python's ``\\w`` is ``[\\p{L}\\p{N}_]``
minus the code points it leaves unassigned; its ``\\s`` is White_Space plus U+001C..U+001F. The only
intended difference: a URL that ``canonical_url`` rejects with ``ValueError`` is null here.
"""

from __future__ import annotations

import hashlib
import html
import html.entities
import itertools
import unicodedata
from collections.abc import Callable
from functools import cache

import polars as pl

from jobland_pipeline.lexicon.instructions import INSTRUCTION_HINT as INJECTION
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.normalize import TRACKING_PARAMS, canonical_url
from jobland_pipeline.textutil import STOPWORDS

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

# ---------------------------------------------------------------------------------------------------
# Python's regex classes, spelled out for the Rust regex engine polars uses.

_PY_SPACE = r"[\s\x1C-\x1F]"  # Python's \s: Unicode White_Space plus the four information separators
# What re.IGNORECASE matches for these letters, grouped by simple lower case (a back-reference to a
# matched letter only matches its own group): "s" also matches U+017F, "i" U+0130 and U+0131, "k" U+212A.
_LOWER_GROUPS = {"s": ["sS", "\u017f"], "i": ["iI\u0130", "\u0131"], "k": ["kK\u212a"]}


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
def _py_nonword(also_not: str = "") -> str:
    """Python's ``\\W`` (optionally minus a few ASCII characters) as a Rust class."""
    return rf"[[^\p{{L}}\p{{N}}_{also_not}][{_py_unassigned()}]]"


def _ci(word: str) -> str:
    """A literal matched the way Python's re.IGNORECASE matches it (including ı, İ, ſ and K)."""
    return "".join(
        f"[{''.join(_LOWER_GROUPS.get(ch, [ch + ch.upper()]))}]" if ch.isalpha() else ch for ch in word
    )


def _ci_backref(word: str) -> list[str]:
    """``(word)...\\1`` under re.I, as alternatives: a back-reference compares simple lower cases, so
    ``<ſcript>`` is closed only by ``</ſcript>`` and ``<scrıpt>`` only by ``</scrıpt>``. One pattern per
    case-group combination; each is used for both the opening and the closing name."""
    options = [_LOWER_GROUPS.get(ch, [ch + ch.upper()]) for ch in word]
    return ["".join(f"[{g}]" for g in combo) for combo in itertools.product(*options)]


def _mask_unassigned(expr: pl.Expr) -> pl.Expr:
    """Code points Python's Unicode does not know become U+FFFF (unassigned in every version)."""
    return expr.str.replace_all(f"[{_py_unassigned()}]", "\uffff")


# ---------------------------------------------------------------------------------------------------
# clean_description


@cache
def _description_patterns() -> dict[str, str]:
    s = _PY_SPACE
    drop = "|".join(  # <(script|style|noscript|template)\b.*?</\1\s*>
        rf"<{name}(?:{_py_nonword()}(?s:.)*?)??</{name}{s}*>"
        for tag in ("script", "style", "noscript", "template")
        for name in _ci_backref(tag)
    )
    names = "|".join(_ci(n) for n in ("p", "div", "br", "li", "ul", "ol", "section", "article", "tr"))
    tail = rf"(?:{_py_nonword('>')}[^>]*)?>"  # \b[^>]*>
    return {
        "escaped": rf"&{_ci('lt')};{s}*/?{s}*[a-zA-Z\x{{130}}\x{{131}}\x{{17F}}\x{{212A}}]",
        "drop": drop + r"|<!--(?s:.)*?-->",
        "li": rf"<{s}*{_ci('li')}{tail}",
        "block": rf"<{s}*/?{s}*(?:{names}|{_ci('h')}[1-6]){tail}",
        "tag": r"<[^>]+>",
        "control": rf"[[\p{{C}}{_py_unassigned()}]&&[^\n\t]]",
    }


_NUMERIC_REF = r"&#(?:[0-9]+|[xX][0-9a-fA-F]+);?"


@cache
def _named_entities() -> tuple[list[str], list[str]]:
    items = sorted(html.entities.html5.items(), key=lambda kv: -len(kv[0]))
    # &nbsp; and the other spaces decode straight to " ": NFKC would make them " " later, and Python's
    # \s, \W and [^>] (all the tag patterns look at) treat both alike; the text then often stays ASCII.
    spaces = {ch for ch, decomposed in _nfkc_tables()[1].items() if decomposed == " "}
    return [f"&{k}" for k, _ in items], ["".join(" " if ch in spaces else ch for ch in v) for _, v in items]


def _stream(s: pl.Series, fn: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    """Apply an expression to a column on the streaming engine (morsels run on all cores)."""
    return s.to_frame("_s").lazy().select(fn(pl.col("_s"))).collect(engine="streaming").to_series()


def _unescape(s: pl.Series) -> pl.Series:
    """``html.unescape`` over a column: one leftmost-longest Aho-Corasick pass."""
    refs = _stream(s, lambda c: c.str.extract_all(_NUMERIC_REF).explode().drop_nulls().unique())
    names, values = _named_entities()
    pairs = sorted(
        [*zip(names, values, strict=True), *((n, html.unescape(n)) for n in refs.to_list())],
        key=lambda kv: -len(kv[0]),
    )  # leftmost-first over longest-first patterns = leftmost-longest, as html.unescape's greedy regex
    patterns, replacements = [p for p, _ in pairs], [v for _, v in pairs]
    return _stream(s, lambda c: c.str.replace_many(patterns, replacements, leftmost=True))


@cache
def _nfkc_tables() -> tuple[str, dict[str, str]]:
    """(class of the characters that may need NFKC, {character: its NFKD} for inert decompositions).

    A text without a character of the class is already NFKC (the quick check: every character
    NFKC_QC=Yes with combining class 0). Replacing a character by its full decomposition never changes
    the NFKC of a text; for compatibility characters whose decomposition is inert (NBSP, ellipsis,
    ligatures, full-width and mathematical letters...), doing it first lets most texts skip NFKC.
    """
    scan = [*range(0x40000), *range(0xE0000, 0x110000)]
    seconds = _second_halves(scan)
    needs = {c for c in scan if c in seconds or _not_nfkc_alone(c)}
    inert: dict[str, str] = {}
    for c in needs:
        if c in seconds or unicodedata.combining(chr(c)):
            continue
        decomposed = unicodedata.normalize("NFKD", chr(c))
        if all(ord(x) not in needs for x in decomposed):
            inert[chr(c)] = decomposed
    return f"[{_class_items(needs)}]", inert


def _second_halves(scan: list[int]) -> set[int]:
    """Characters that can be the second half of a canonical composition (Hangul V and T jamo, and the
    second of every two-character canonical decomposition): NFKC may merge them with what precedes."""
    seconds = {0x1161 + k for k in range(21)} | {0x11A8 + k for k in range(27)}
    for c in scan:
        decomposition = unicodedata.decomposition(chr(c))
        if decomposition and not decomposition.startswith("<") and len(parts := decomposition.split()) == 2:
            seconds.add(int(parts[1], 16))
    return seconds


def _not_nfkc_alone(c: int) -> bool:
    """A combining character, or one that NFKC changes on its own."""
    return bool(unicodedata.combining(chr(c))) or unicodedata.normalize("NFKC", chr(c)) != chr(c)


def _class_items(codepoints: set[int]) -> str:
    r"""A regex character class body of ranges: ``\x{41}-\x{5A}\x{61}``."""

    def item(first: int, last: int) -> str:
        return f"\\x{{{first:X}}}" if first == last else f"\\x{{{first:X}}}-\\x{{{last:X}}}"

    items: list[str] = []
    ordered = sorted(codepoints)
    if not ordered:
        return ""
    start = prev = ordered[0]
    for c in ordered[1:]:
        if c != prev + 1:
            items.append(item(start, prev))
            start = c
        prev = c
    items.append(item(start, prev))
    return "".join(items)


def clean_descriptions(descriptions: pl.Series) -> pl.Series:
    """``normalize.clean_description`` for a whole column (nulls become "")."""
    pat = _description_patterns()
    s = descriptions.cast(pl.String).fill_null("").rename("_s")
    escaped = _stream(s, lambda c: c.str.contains(pat["escaped"]))
    if escaped.any():  # entity-escaped HTML (Greenhouse)
        s = s.scatter(escaped.arg_true(), _unescape(s.filter(escaped)))
    s = _stream(
        s,
        lambda c: (
            c.str.replace_all(pat["drop"], " ")
            .str.replace_all(pat["li"], "\n- ")
            .str.replace_all(pat["block"], "\n")
            .str.replace_all(pat["tag"], "")
        ),
    )
    s = _unescape(s)
    nonascii = _stream(s, lambda c: c.str.len_bytes() != c.str.len_chars())
    if nonascii.any():  # ASCII text is NFKC already
        needs_nfkc, inert = _nfkc_tables()
        sub = _stream(s.filter(nonascii), lambda c: c.str.replace_many(list(inert), list(inert.values())))
        needs = _stream(sub, lambda c: c.str.contains(needs_nfkc))
        if needs.any():
            normalised = _stream(sub.filter(needs), lambda c: _mask_unassigned(c).str.normalize("NFKC"))
            sub = sub.scatter(needs.arg_true(), normalised)
        s = s.scatter(nonascii.arg_true(), sub)
    return _stream(
        s,
        lambda c: (
            c.str.replace_all(pat["control"], "")
            .str.replace_all(r"[ \t]{2,}|\t", " ")  # = [ \t]+ -> " ", without rewriting single spaces
            .str.replace_all(r"[\s&&[^\n]]*\n[\s&&[^\n]]*", "\n")  # strip every line
            .str.replace_all(r"\n{3,}", "\n\n")
            .str.strip_chars()
        ),
    ).alias(descriptions.name)


# ---------------------------------------------------------------------------------------------------
# canonical_url

_QUOTE = {  # quote_plus for printable ASCII ('+' decodes to ' ' and encodes back to '+')
    ch: f"%{ord(ch):02X}" for ch in map(chr, range(0x21, 0x7F)) if not ch.isalnum() and ch not in "_.-~+%"
}
_FAST_URL = r"^[A-Za-z][A-Za-z0-9+.\-]*://[!-~&&[^/?#\[\]]]+(?:[/?#][!-~]*)?$"
_URL_PARTS = r"^([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?"


def _quote_plus(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_many(list(_QUOTE), list(_QUOTE.values()))


def canonical_urls(urls: pl.Series) -> pl.Series:
    """``normalize.canonical_url`` for a whole column; no URL (or an empty result) is null."""
    frame = pl.DataFrame({"u": urls.cast(pl.String)}).with_row_index("_r")
    frame = frame.with_columns(pl.col("u").str.strip_chars())
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
    slow_values = frame.filter(~pl.col("_fast") & pl.col("u").is_not_null())["u"].unique().to_list()
    slow: dict[str, str | None] = {}
    for value in slow_values:
        try:
            slow[value] = canonical_url(value) or None
        except ValueError:  # e.g. an invalid bracketed host; canonical_url raises, a batch should not
            slow[value] = None
    out = frame.join(fast, on="_r", how="left").with_columns(
        pl.when(pl.col("_fast"))
        .then(pl.col("c"))
        .otherwise(
            pl.col("u").replace_strict(slow, default=None, return_dtype=pl.String) if slow else pl.lit(None)
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
    """``normalize._norm_title`` as a list column: ``sorted(set(tokens(title)))`` once the parentheses,
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
    """The company part of ``normalize.fingerprint``: word characters only, legal suffixes dropped."""
    return (
        _lowered(company)
        .str.extract_all(f"{_py_word()}+")
        .list.eval(pl.element().filter(~pl.element().is_in(_COMPANY_SUFFIXES)))
        .list.join("")
    )


def location_key(location: pl.Expr) -> pl.Expr:
    """The location part of ``normalize.fingerprint``: its word characters, lower-cased."""
    return _lowered(location).str.extract_all(f"{_py_word()}+").list.join("")


def _sha1_16(keys: pl.Series) -> pl.Series:
    return pl.Series(
        "fingerprint",
        [hashlib.sha1(k.encode("utf-8")).hexdigest()[:16] for k in keys.to_list()],
        dtype=pl.String,
    )


def fingerprints(df: pl.DataFrame) -> pl.Series:
    """``normalize.fingerprint`` of every row (title, company and location columns)."""
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
    out = df.select(cols)
    if out.schema["posted_at"] == pl.String:
        out = out.with_columns(
            pl.col("posted_at").str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        )
    return out


def _tidy(col: str) -> pl.Expr:
    return pl.col(col).str.replace_all(r"\s+", " ").str.strip_chars()


def normalise_frame(df: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """Clean raw postings rows; return the kept rows (+ canonical_url, fingerprint, injection) and counts.

    A row is dropped for the first reason that applies: ``missing_id``, ``missing_title``,
    ``missing_company`` (null or blank), ``title_too_long`` (over 300 characters once tidied). A
    description over 60,000 characters is cut (``description_truncated``); one with prompt-injection text
    is kept, flagged in ``injection`` and counted (``injection_text``).
    """
    frame = _conform(df).with_columns(
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
    frame = frame.with_columns(
        description.alias("description"),
        canonical_urls(frame["url"]).alias("canonical_url"),
        injection.alias("injection"),
    )
    frame = frame.with_columns(fingerprints(frame).alias("fingerprint"))
    counts["rows_in"] = df.height
    counts["rows_out"] = frame.height
    return frame, counts


# ---------------------------------------------------------------------------------------------------
# dedupe_frame

MERGED_SCHEMA = pl.Schema({"id": pl.String, "kept_id": pl.String, "reason": pl.String})


def _exact_keep(keys: pl.DataFrame) -> pl.Series:
    """Which rows ``normalize.dedupe`` keeps: no earlier *kept* row shares the fingerprint or the URL.

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
    """Kept mask, and (_i, kept_i, reason) of each dropped row, as ``normalize.dedupe`` decides them."""
    keep = _exact_keep(keys)
    kept = keys.filter(keep)
    by_fp = kept.select("fp", pl.col("_i").alias("k_fp"))
    by_url = kept.filter(pl.col("url").is_not_null()).select("url", pl.col("_i").alias("k_url"))
    fp_hit = (pl.col("k_fp") < pl.col("_i")).fill_null(False)  # dedupe looks the fingerprint up first
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
    """Candidate pairs (i < j) that are re-posts / agency copies, by prefix-filtered blocking."""
    feats = rows.select(
        "_i",
        "title",
        location_key(pl.col("location")).alias("loc"),
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


def dedupe_frame(df: pl.DataFrame, *, fuzzy: bool = True) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Keep the first posting per fingerprint and per canonical URL, then drop fuzzy re-posts.

    Exact pass: the same kept rows and merges as ``normalize.dedupe`` on the same ordered rows (reason
    "fingerprint" or "url"). Fuzzy pass (``fuzzy=True``), over the rows the exact pass kept: same
    normalised location, same normalised company or either company looks like a staffing agency, title
    token-set Jaccard >= 0.8 and description word-3-shingle Jaccard >= 0.7 (or >= 90% of the shorter
    one's shingles in the longer): the later row is merged into the earliest such kept row (reason
    "fuzzy"), and exact duplicates of a fuzzy-merged row point at its final kept row.

    Returns ``(kept, merged)``; ``kept`` keeps the input's columns and order, ``merged`` has one row per
    dropped posting: ``id``, ``kept_id``, ``reason``.
    """
    if df.is_empty():
        return df, pl.DataFrame(schema=MERGED_SCHEMA)
    frame = df
    if "fingerprint" not in frame.columns:
        frame = frame.with_columns(fingerprints(frame).alias("fingerprint"))
    if "canonical_url" not in frame.columns:
        frame = frame.with_columns(canonical_urls(frame["url"]).alias("canonical_url"))
    keys = frame.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"),
        pl.col("id").cast(pl.String),
        pl.col("fingerprint").alias("fp"),
        pl.when(pl.col("canonical_url") != "").then(pl.col("canonical_url")).alias("url"),
    )
    keep, merged = _exact(keys)
    if fuzzy:
        rows = frame.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i")).filter(keep)
        pairs = _fuzzy_pairs(rows)
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
    ids = keys["id"]
    merged = merged.select(
        ids.gather(merged["_i"]).alias("id"), ids.gather(merged["kept_i"]).alias("kept_id"), "reason"
    )
    kept = df.filter(keep)
    return kept, merged.cast(pl.Schema(MERGED_SCHEMA))


def dedupe_postings(postings: list[Posting]) -> tuple[list[Posting], dict[str, str]]:
    """``normalize.dedupe`` plus fuzzy re-posts and agency copies, for a list of Posting objects.

    Returns the kept postings (input order) and {dropped id: kept id}.
    """
    if not postings:
        return [], {}
    rows = [
        {
            "id": p.id,
            "title": p.title,
            "company": p.company,
            "location": p.location,
            "remote": p.remote_flag,
            "employment_type": p.employment_type,
            "posted_at": p.posted_at.isoformat() if p.posted_at else None,
            "salary": p.salary,
            "url": p.url,
            "description": p.description,
            "source": p.source,
            "source_id": p.source_id,
            "apply_url": p.apply_url,
        }
        for p in postings
    ]
    frame, _ = normalise_frame(pl.DataFrame(rows, schema=POSTINGS_SCHEMA))
    kept, merged = dedupe_frame(frame)
    kept_ids = set(kept["id"].to_list())
    mapping = dict(zip(merged["id"].to_list(), merged["kept_id"].to_list(), strict=True))
    # Re-posts whose title wording, place format or company suffix changed (any language).
    from jobland_pipeline.postings.near_duplicates import near_duplicates

    near = near_duplicates([p for p in postings if p.id in kept_ids])
    mapping.update(near)
    kept_ids -= set(near)
    return [p for p in postings if p.id in kept_ids], mapping
