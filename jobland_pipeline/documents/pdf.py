"""PDF text extraction with pypdf: the parser that always works, offline and without models."""

from __future__ import annotations

import io
import logging

from jobland_pipeline.documents.errors import DocumentError

MAX_PAGES = 40


def pdf_to_text(data: bytes) -> tuple[str, int]:
    """Return (text, page count); pages are separated by form feeds."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns loudly on benign quirks
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
                _ = len(reader.pages)
            except (FileNotDecryptedError, NotImplementedError, PdfReadError) as exc:
                raise DocumentError("encrypted", "the PDF is password-protected") from exc
            if not reader.decrypt(""):
                raise DocumentError("encrypted", "the PDF is password-protected")
        page_count = len(reader.pages)
        if page_count == 0:
            raise DocumentError("empty", "the PDF has no pages")
        if page_count > MAX_PAGES:
            raise DocumentError(
                "too_large", f"the PDF has {page_count} pages; a CV may have at most {MAX_PAGES}"
            )
        texts = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except FileNotDecryptedError as exc:
        raise DocumentError("encrypted", "the PDF is password-protected") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise DocumentError(
            "corrupt", f"the PDF is damaged and cannot be read ({type(exc).__name__})"
        ) from exc
    text = "\f".join(texts)
    if not text.strip():
        raise DocumentError(
            "no_text_layer", "the PDF has no text layer (a scanned image?); OCR is not enabled"
        )
    return text, page_count
