"""The local postings file (JSONL): the embedded default search engine."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.normalize import clean_description

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
    """A malformed postings file; the message names the file, the line and the field."""


def load_postings(path: Path, *, source: str = "local") -> list[Posting]:
    """Load and validate every line; one bad line fails the file with a precise message."""
    postings: list[Posting] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        posting = _posting(_fields(line, f"{path}:{number}"), f"{path}:{number}", source)
        if posting.id in seen:
            raise PostingsFileError(
                f"{path}:{number}: duplicate id {posting.id!r} (first on line {seen[posting.id]})"
            )
        seen[posting.id] = number
        postings.append(posting)
    return postings


def _lines(path: Path) -> list[str]:
    """The file's lines; a missing or non-UTF-8 file is a ``PostingsFileError`` naming it."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise PostingsFileError(f"{path}: postings file not found") from exc
    except UnicodeDecodeError as exc:
        raise PostingsFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _fields(line: str, where: str) -> dict[str, object]:
    """One line's JSON object, with exactly the known fields (``source`` optional); ``where`` is
    "file:line" for the message."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise PostingsFileError(f"{where}: not valid JSON ({exc.msg})") from exc
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
    raw["description"] = clean_description(str(raw.get("description") or ""))
    try:
        return Posting.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "?"
        raise PostingsFileError(f"{where}: field '{field}': {first['msg']}") from exc
