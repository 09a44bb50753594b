"""Turn one CV file into clean, normalised text plus facts about how it was read."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from pydantic import BaseModel

from jobland_pipeline.documents import docling_reader
from jobland_pipeline.documents.docling_reader import DoclingConfig
from jobland_pipeline.documents.docx import docx_to_text
from jobland_pipeline.documents.errors import DocumentError
from jobland_pipeline.documents.pdf import pdf_to_text
from jobland_pipeline.documents.sniff import DOCX, HTML, MARKDOWN, PDF, sniff_format
from jobland_pipeline.documents.text import decode_text
from jobland_pipeline.mojibake import fix_mojibake

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
    note: str | None = None


def extract_file(path: Path, *, docling: DoclingConfig | None = None) -> ExtractedDocument:
    """Read and extract a CV from disk, refusing oversized files before reading them."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DocumentError("too_large", f"{path.name} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    return extract_document(path.read_bytes(), path.name, docling=docling)


def extract_document(
    data: bytes, file_name: str, *, docling: DoclingConfig | None = None
) -> ExtractedDocument:
    """Extract text from CV bytes; raise :class:`DocumentError` with a clear reason otherwise.

    With ``docling`` given (and docling installed) DOCX/HTML/Markdown, and PDFs when its models are
    on disk, go through docling; any docling failure falls back to the built-in reader.
    """
    if not data.strip():
        raise DocumentError("empty", f"{file_name} is empty")
    if len(data) > MAX_FILE_BYTES:
        raise DocumentError(
            "too_large", f"{file_name} is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}"
        )
    fmt = sniff_format(data, file_name)
    document, note = _via_docling(data, file_name, fmt, docling)
    if document is not None:
        return document
    raw, parser, pages = _builtin(data, fmt)
    return _finish(data, file_name, fmt, parser, pages, raw, note)


def _via_docling(
    data: bytes, file_name: str, fmt: str, docling: DoclingConfig | None
) -> tuple[ExtractedDocument | None, str | None]:
    """(the document as docling read it, None) or (None, a note on why the built-in reader is used;
    None when docling was not asked for)."""
    if docling is not None and docling.wants(fmt):
        try:
            raw = docling_reader.convert(data, file_name, docling)
            pages = 1
            if fmt == PDF:
                _, pages = pdf_to_text(data)  # validates and counts pages the same way
            return _finish(data, file_name, fmt, "docling", pages, markdown_to_text(raw), None), None
        except DocumentError:
            raise
        except Exception as exc:  # docling is optional: any failure falls back to the built-in reader
            return None, f"docling failed ({type(exc).__name__}); used the built-in reader"
    if docling is not None and docling.enabled and not docling_reader.available() and fmt != "txt":
        return None, "docling not installed; used the built-in reader"
    return None, None


def _builtin(data: bytes, fmt: str) -> tuple[str, str, int]:
    """(raw text, parser, pages) read by the built-in readers."""
    if fmt == PDF:
        raw, pages = pdf_to_text(data)
        return raw, "pypdf", pages
    if fmt == DOCX:
        return docx_to_text(data), "ooxml", 1
    raw, encoding = decode_text(data)
    if fmt == HTML:
        return html_to_text(raw), f"html:{encoding}", 1
    if fmt == MARKDOWN:
        return markdown_to_text(raw), f"markdown:{encoding}", 1
    return raw, f"text:{encoding}", 1


def _finish(
    data: bytes, file_name: str, fmt: str, parser: str, pages: int, raw: str, note: str | None
) -> ExtractedDocument:
    text = clean_text(raw)
    if len(text) < MIN_TEXT_CHARS:
        raise DocumentError("empty", f"{file_name} holds almost no text ({len(text)} characters)")
    if looks_garbled(text):
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
        note=note,
    )


def html_to_text(html: str) -> str:
    """An HTML CV as text: scripts, styles and comments dropped, block elements as lines, lists as bullets."""
    from jobland_pipeline.textutil import clean_description

    return clean_description(re.sub(r"<\s*h[1-6][^>]*>", "\n", html, flags=re.I))


def markdown_to_text(md: str) -> str:
    """Markdown CV as text: heading marks, emphasis and link syntax removed, list items kept as bullets."""
    text = re.sub(r"^[ \t]{0,3}#{1,6}[ \t]*", "", md, flags=re.M)
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r"\1 (\2)", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return re.sub(r"^[ \t]*[*+][ \t]+", "- ", text, flags=re.M)


def clean_text(raw: str) -> str:
    """Mojibake repaired ("â€¢" -> "•": a CV saved by a tool that guessed the wrong encoding; before
    the control characters go, as the C1 ones are part of it), NFKC (full-width punctuation and
    ligatures folded), no control characters, tidy lines."""
    text = unicodedata.normalize("NFKC", fix_mojibake(raw)).replace("\r\n", "\n").replace("\r", "\n")
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


EXPECTED_SCRIPTS = (
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
_COMMON_SCRIPTS = ("LATIN", "CJK", "FULLWIDTH", "HIRAGANA", "KATAKANA")


def garbled_share(text: str) -> float:
    """Share of letters from scripts a CV in our languages would not use (a broken ToUnicode map)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    odd = sum(1 for ch in letters if not unicodedata.name(ch, "").startswith(EXPECTED_SCRIPTS))
    return odd / len(letters)


def looks_garbled(text: str) -> bool:
    """A broken font map scatters glyphs over many scripts; a real CV uses one or two.

    Measured on the real CVs (bench/cv_parsing.py): the broken-ToUnicode Chinese CV shows 13
    unexpected scripts and 42% unexpected non-ASCII letters (its ASCII "xxxx" placeholders hide it
    from a plain share); every readable CV shows 0 and 0%.
    """
    if garbled_share(text) > 0.25:
        return True
    non_ascii = [ch for ch in text if ch.isalpha() and ord(ch) > 127]
    unexpected = [ch for ch in non_ascii if not unicodedata.name(ch, "").startswith(EXPECTED_SCRIPTS)]
    scripts = {unicodedata.name(ch, "?").split()[0] for ch in non_ascii}
    scripts -= set(_COMMON_SCRIPTS)
    if len(scripts) >= 3:
        return True
    return len(unexpected) >= 10 and len(unexpected) / max(1, len(non_ascii)) > 0.25
