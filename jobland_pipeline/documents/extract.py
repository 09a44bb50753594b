"""Turn one CV file into clean, normalised text plus facts about how it was read."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from pydantic import BaseModel

from jobland_pipeline.documents.docx import docx_to_text
from jobland_pipeline.documents.errors import DocumentError
from jobland_pipeline.documents.pdf import pdf_to_text
from jobland_pipeline.documents.sniff import DOCX, PDF, sniff_format
from jobland_pipeline.documents.text import decode_text

MAX_FILE_BYTES = 15 * 1024 * 1024
MIN_TEXT_CHARS = 40


class ExtractedDocument(BaseModel):
    """A CV read into text; ``text`` keeps the CV's own wording (Unicode NFKC, tidy whitespace)."""

    file_name: str
    sha256: str
    size_bytes: int
    format: str
    parser: str
    language: str
    pages: int
    text: str


def extract_file(path: Path) -> ExtractedDocument:
    """Read and extract a CV from disk, refusing oversized files before reading them."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DocumentError("too_large", f"{path.name} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    return extract_document(path.read_bytes(), path.name)


def extract_document(data: bytes, file_name: str) -> ExtractedDocument:
    """Extract text from CV bytes; raise :class:`DocumentError` with a clear reason otherwise."""
    if not data.strip():
        raise DocumentError("empty", f"{file_name} is empty")
    if len(data) > MAX_FILE_BYTES:
        raise DocumentError(
            "too_large", f"{file_name} is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}"
        )
    fmt = sniff_format(data, file_name)
    pages = 1
    if fmt == PDF:
        raw, pages = pdf_to_text(data)
        parser = "pypdf"
    elif fmt == DOCX:
        raw, parser = docx_to_text(data), "ooxml"
    else:
        raw, encoding = decode_text(data)
        parser = f"text:{encoding}"
    text = clean_text(raw)
    if len(text) < MIN_TEXT_CHARS:
        raise DocumentError("empty", f"{file_name} holds almost no text ({len(text)} characters)")
    if garbled_share(text) > 0.25:
        raise DocumentError(
            "garbled_text",
            f"{file_name}: the text layer is garbled (broken font encoding); OCR is not enabled",
        )
    return ExtractedDocument(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        format=fmt,
        parser=parser,
        language=detect_language(text),
        pages=pages,
        text=text,
    )


def clean_text(raw: str) -> str:
    """NFKC (full-width punctuation and ligatures folded), no control characters, tidy lines."""
    text = unicodedata.normalize("NFKC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t\f" or unicodedata.category(ch)[0] != "C")
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines).replace("\f", "\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def detect_language(text: str) -> str:
    """``zh`` when Han characters dominate the letters, else ``en`` (the two supported CV languages)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "unknown"
    han = sum(1 for ch in letters if is_cjk(ch))
    return "zh" if han / len(letters) > 0.2 else "en"


_EXPECTED_SCRIPTS = (
    "LATIN",
    "CJK",
    "DIGIT",
    "FULLWIDTH",
    "HIRAGANA",
    "KATAKANA",
    "HANGUL",
    "GREEK",
    "CYRILLIC",
)


def garbled_share(text: str) -> float:
    """Share of letters from scripts a CV in our languages would not use (a broken ToUnicode map)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    odd = 0
    for ch in letters:
        name = unicodedata.name(ch, "")
        if not name.startswith(_EXPECTED_SCRIPTS):
            odd += 1
    return odd / len(letters)
