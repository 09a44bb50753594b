"""A user's CV sources (inbox files, CV links) read into warehouse records, one per source.

A source that cannot be read (too large, corrupt, encrypted, scanned, a link that fails) becomes a
record with ``status = error`` and the reason, so nothing is silently dropped and the good sources of
the same user still count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from jobland_pipeline.documents.docling_reader import DoclingConfig
from jobland_pipeline.documents.errors import DocumentError
from jobland_pipeline.documents.extract import MAX_FILE_BYTES, ExtractedDocument, extract_document
from jobland_pipeline.documents.fetch import FetchError
from jobland_pipeline.documents.records import CvDocumentRow


@dataclass(frozen=True)
class CvSource:
    """Where a CV comes from: ``label`` names it in records (a URL without its query string)."""

    label: str
    size: int | None
    load: Callable[[], tuple[str, bytes]]  # -> (file name, bytes)
    # Called on the bytes before any parser sees them (the malware scan, documents/malware.py);
    # raises DocumentError to refuse the file.
    scan: Callable[[bytes, str], None] | None = None


def display_url(url: str) -> str:
    """A URL without its query string (which may hold a token) for rows, logs and metadata."""
    return url.split("?", 1)[0][:300]


def read_cv_sources(
    user_id: str,
    sources: Iterable[CvSource],
    *,
    docling: DoclingConfig | None = None,
    now: datetime | None = None,
) -> list[CvDocumentRow]:
    """One record per source: its text when readable, else the stable error code and the reason."""
    now = now or datetime.now(UTC)
    return [_read_one(user_id, source, docling, now) for source in sources]


def _read_one(user_id: str, source: CvSource, docling: DoclingConfig | None, now: datetime) -> CvDocumentRow:
    base = CvDocumentRow(user_id=user_id, file_name=source.label, size_bytes=source.size, extracted_at=now)
    try:
        if source.size is not None and source.size > MAX_FILE_BYTES:
            raise DocumentError(
                "too_large", f"{source.label} is {source.size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
            )
        name, data = source.load()
        if source.scan is not None:
            source.scan(data, source.label)
        doc = extract_document(data, name, docling=docling)
    except (DocumentError, FetchError) as exc:
        return base.model_copy(update={"status": "error", "error_code": exc.code, "error": exc.reason})
    return base.model_copy(
        update={
            "size_bytes": len(data),
            "sha256": doc.sha256,
            "format": doc.format,
            "parser": doc.parser,
            "parser_note": doc.note,
            "language": doc.language,
            "pages": doc.pages,
            "status": "ok",
            "text": doc.text,
            "text_chars": len(doc.text),
        }
    )


def best_document(rows: Iterable[CvDocumentRow]) -> ExtractedDocument | None:
    """The CV to use when a user has several: the largest readable text wins (most complete)."""
    ok = sorted(
        (r for r in rows if r.status == "ok"), key=lambda r: (-(r.text_chars or 0), r.file_name or "")
    )
    if not ok:
        return None
    row = ok[0]
    return ExtractedDocument(
        file_name=row.file_name or "",
        sha256=row.sha256 or "",
        size_bytes=row.size_bytes or 0,
        format=row.format or "",
        parser=row.parser or "",
        language=row.language or "",
        pages=row.pages or 0,
        text=row.text or "",
        note=row.parser_note,
    )
