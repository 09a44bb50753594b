"""JSON and JSON Lines read within stated limits.

A file handed to ``jobland`` can come from anywhere: a 1 GB line or a document nested 10,000 levels
deep must be refused while reading, for a cost of a few times its own size at most, with one line
that says which limit and where — not a ``MemoryError`` minutes later or a ``RecursionError``
traceback. Sizes are checked on the raw bytes before anything is decoded, nesting on the raw text
before ``json`` builds a single object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
"""A single JSON document (a posting, a labels file); the largest real one here is under 1 MB."""
MAX_LINE_BYTES = 1024 * 1024
"""One JSON Lines record; a posting's description is capped at 60,000 characters, well inside."""
MAX_DEPTH = 32
"""Nesting of objects and arrays; postings and labels use three levels."""

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_CHUNK = 1024 * 1024


class JsonLimitError(ValueError):
    """Input refused by a limit or as malformed JSON; the message names the place and the rule."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def nesting_depth(text: str) -> int:
    """The deepest nesting of objects and arrays in ``text``, brackets inside strings ignored."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse(text: str, where: str, *, max_depth: int = MAX_DEPTH) -> object:
    """``json.loads`` after the nesting check; every failure is a ``JsonLimitError`` naming ``where``."""
    depth = nesting_depth(text)
    if depth > max_depth:
        raise JsonLimitError(f"{where}: JSON nested {depth} levels deep (the limit is {max_depth})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonLimitError(
            f"{where}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from exc
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise JsonLimitError(f"{where}: JSON nested too deeply") from exc


def load_file(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES, max_depth: int = MAX_DEPTH) -> object:
    """One JSON document from ``path``; its size is checked before it is read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise JsonLimitError(f"{path}: no such file") from exc
    if size > max_bytes:
        raise JsonLimitError(
            f"{path}: {_megabytes(size)} is over the {_megabytes(max_bytes)} limit for a JSON file"
        )
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    return parse(_decode(data, str(path)), str(path), max_depth=max_depth)


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonLimitError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def iter_lines(path: Path, *, max_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, str | JsonLimitError]]:
    """``(line number, text)`` for each non-blank line, or a ``JsonLimitError`` in place of a line that
    is too long or not UTF-8 (the caller decides whether that ends the file). A long line is skipped
    in chunks, never held whole."""
    try:
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise JsonLimitError(f"{path}: no such file") from exc
    with handle:
        number = 0
        while True:
            number += 1
            data = handle.readline(max_bytes + 1)
            if not data:
                return
            where = f"{path}:{number}"
            if len(data) > max_bytes and not data.endswith(b"\n"):
                skipped = len(data) + _skip_line(handle)
                yield (
                    number,
                    JsonLimitError(
                        f"{where}: line of {_megabytes(skipped)} is over the {_megabytes(max_bytes)} limit"
                    ),
                )
                continue
            if number == 1 and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield number, JsonLimitError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})")
                continue
            if text.strip():
                yield number, text


def _skip_line(handle: BinaryIO) -> int:
    """Read past the rest of an over-long line; the number of bytes skipped."""
    skipped = 0
    while True:
        chunk = handle.readline(_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped
