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
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise PostingsFileError(f"{path}: postings file not found") from exc
    except UnicodeDecodeError as exc:
        raise PostingsFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PostingsFileError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(raw, dict):
            raise PostingsFileError(f"{path}:{number}: expected a JSON object")
        missing = [k for k in REQUIRED if k not in raw]
        if missing:
            raise PostingsFileError(f"{path}:{number}: missing field(s) {', '.join(missing)}")
        unknown = sorted(set(raw) - set(REQUIRED) - {"source"})
        if unknown:
            raise PostingsFileError(f"{path}:{number}: unknown field(s) {', '.join(unknown)}")
        raw.setdefault("source", source)
        raw["description"] = clean_description(str(raw.get("description") or ""))
        try:
            posting = Posting.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "?"
            raise PostingsFileError(f"{path}:{number}: field '{field}': {first['msg']}") from exc
        if posting.id in seen:
            raise PostingsFileError(
                f"{path}:{number}: duplicate id {posting.id!r} (first on line {seen[posting.id]})"
            )
        seen[posting.id] = number
        postings.append(posting)
    return postings
