"""The local postings file (JSONL): the embedded default search engine, and ``jobland screen``'s input.

The file is streamed line by line within the limits of ``jsonlimits`` (a line over 1 MB or nested
deeper than 32 levels is refused while reading), so a file of any size costs the memory of one line.
By default a bad line is skipped and reported with its line number and reason, and every good line
is kept; ``strict`` makes the first bad line fail the file instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from jobland_pipeline.jsonlimits import JsonLimitError, iter_lines, parse
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.textutil import clean_posting_text

REQUIRED = (
    "id",
    "title",
    "company",
    "location",
    "remote",
    "employment_type",
    "posted_at",
    "salary",
    "url",
    "description",
)


class PostingsFileError(ValueError):
    """A malformed postings file or line; the message names the file, the line and the field."""


def load_postings(
    path: Path, *, source: str = "local", strict: bool = True, problems: list[str] | None = None
) -> list[Posting]:
    """Every valid posting of the file (see ``iter_postings``)."""
    return list(iter_postings(path, source=source, strict=strict, problems=problems))


def iter_postings(
    path: Path, *, source: str = "local", strict: bool = True, problems: list[str] | None = None
) -> Iterator[Posting]:
    """The file's postings one at a time. With ``strict`` the first bad line raises
    ``PostingsFileError``; otherwise it is skipped and its one-line reason appended to ``problems``."""
    if not path.is_file():
        raise PostingsFileError(f"{path}: postings file not found")
    seen: dict[str, int] = {}
    try:
        for number, line in iter_lines(path):
            try:
                posting = _line(line, f"{path}:{number}", source, seen, number)
            except PostingsFileError as exc:
                if strict:
                    raise
                if problems is not None:
                    problems.append(str(exc))
                continue
            yield posting
    except JsonLimitError as exc:
        raise PostingsFileError(str(exc)) from exc


def _line(line: str | JsonLimitError, where: str, source: str, seen: dict[str, int], number: int) -> Posting:
    if isinstance(line, JsonLimitError):
        raise PostingsFileError(str(line))
    posting = _posting(_fields(line, where), where, source)
    if posting.id in seen:
        raise PostingsFileError(f"{where}: duplicate id {posting.id!r} (first on line {seen[posting.id]})")
    seen[posting.id] = number
    return posting


def _fields(line: str, where: str) -> dict[str, object]:
    """One line's JSON object, with exactly the known fields (``source`` optional); ``where`` is
    "file:line" for the message."""
    try:
        raw = parse(line, where)
    except JsonLimitError as exc:
        raise PostingsFileError(str(exc)) from exc
    if not isinstance(raw, dict):
        raise PostingsFileError(f"{where}: expected a JSON object")
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise PostingsFileError(f"{where}: missing field(s) {', '.join(missing)}")
    unknown = sorted(set(raw) - set(REQUIRED) - {"source"})
    if unknown:
        raise PostingsFileError(f"{where}: unknown field(s) {', '.join(unknown)}")
    return raw


def _posting(raw: dict[str, object], where: str, source: str) -> Posting:
    """The validated posting, its description cleaned as every source's is; the first invalid field
    is named in the message."""
    raw.setdefault("source", source)
    raw["description"] = clean_posting_text(str(raw.get("description") or ""))
    try:
        return Posting.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "?"
        raise PostingsFileError(f"{where}: field '{field}': {first['msg']}") from None
