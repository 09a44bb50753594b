"""PDF text extraction with pypdf: the parser that always works, offline and without models.

pypdf's default ("plain") mode follows the content stream, which LaTeX, Typst, Word and Chromium write
in reading order, so a two-column CV comes out column by column. Its "layout" mode places text by
position: it keeps the gaps between left- and right-aligned fields, but text cleaning collapses those
gaps, it interleaves the lines of two columns ("SUMMARY ... EDUCATION" on one line), and it does not
take the word-gap repair below. Measured with bench/cv_parsing.py on 13 real CVs, plain is never worse
and is far better on the two-column one, so ``auto`` means plain; ``layout`` stays for measurement.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from typing import Any

from jobland_pipeline.documents.errors import DocumentError

MAX_PAGES = 40
MODES = ("plain", "layout")


def pdf_to_text(data: bytes) -> tuple[str, int]:
    """Return (text, page count); pages are separated by form feeds."""
    text, pages, _ = extract_pdf_text(data)
    return text, pages


def extract_pdf_text(data: bytes, mode: str = "auto") -> tuple[str, int, str]:
    """Return (text, page count, extraction mode used); ``mode`` is ``auto``, ``plain`` or ``layout``."""
    if mode not in ("auto", *MODES):
        raise ValueError(f"unknown PDF extraction mode {mode!r}")
    pages = _open_pages(data)
    try:
        if mode == "layout":
            texts = [page.extract_text(extraction_mode="layout") or "" for page in pages]
        else:
            mode = "plain"
            texts = [page.extract_text(visitor_operand_before=_WordGaps(page)) or "" for page in pages]
    except Exception as exc:
        error = _as_document_error(exc)
        if error is exc:
            raise
        raise error from exc
    # A soft hyphen in a text layer was drawn, so it is a visible hyphen (LaTeX fonts map their
    # hyphen glyph to U+00AD); left as is, text cleaning would drop it and glue "2021­2023" together.
    text = "\f".join(_drop_running_lines(texts)).replace("\u00ad", "-")
    if not text.strip():
        raise DocumentError(
            "no_text_layer", "the PDF has no text layer (a scanned image?); OCR is not enabled"
        )
    return text, len(pages), mode


def _drop_running_lines(pages: list[str]) -> list[str]:
    """Drop running headers and footers: a first or last line that recurs on most pages.

    "February 10, 2026 Byungjin Park · Résumé 1" ends every page of a LaTeX CV; left in, it lands
    between two roles and reads as a role header. Lines are compared with their numbers masked.
    """
    if len(pages) < 2:
        return pages
    split = [page.split("\n") for page in pages]
    for pick in (0, -1):
        ends: list[tuple[int, int, str]] = []
        for n, lines in enumerate(split):
            filled = [i for i, line in enumerate(lines) if line.strip()]
            if filled:
                i = filled[pick]
                ends.append((n, i, re.sub(r"\d+", "#", lines[i].strip())))
        counts = Counter(sig for _, _, sig in ends)
        for n, i, sig in ends:
            recurring = counts[sig] >= max(2, (len(pages) + 1) // 2)
            if (recurring or _PAGE_MARK.search(split[n][i])) and len(sig) <= 120:
                split[n][i] = ""
    return ["\n".join(lines) for lines in split]


# A page's own mark, on any page that has one ("Maria Santos — Page 2", "Page 2 of 3", "- 2 -",
# "第2页"): it ends up inside a role's bullets when only page 2 carries it.
_PAGE_MARK = re.compile(
    r"^\s*(?:.{0,60}?[—–\-|·,]\s*)?(?:page|seite|página|pagina|p\.)\s*\d+(?:\s*(?:of|/|von|de|sur)\s*\d+)?\s*$"
    r"|^\s*[-–—]\s*\d+\s*[-–—]\s*$|^\s*第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?\s*$",
    re.IGNORECASE,
)


# A gap in a TJ array of at least this many thousandths of an em separates two words: kerning
# moves glyphs together (positive numbers), letter-spacing stays well below a tenth of an em.
WORD_GAP = 100
# pypdf inserts a space for a gap of at least 0.95 x half the font's space width (its own rule).
_PYPDF_SPACE_SHARE = 0.95 / 2


class _WordGaps:
    """Make pypdf see the word gaps of fonts whose space width it misjudges.

    LaTeX (fontspec) and other tools draw inter-word spaces as TJ gaps, not as space glyphs. For an
    Identity-H font without a space glyph, pypdf takes the width of glyph id 32 (any letter, e.g. "e")
    as the space width, so a 0.2 em word gap looks like kerning and words run together
    ("DevOpsEngineer"). Gaps of at least WORD_GAP are widened just past pypdf's threshold; the text is
    unchanged, positions move by at most that difference.
    """

    def __init__(self, page: Any) -> None:
        from pypdf.generic import FloatObject

        self.number = FloatObject
        self.page = page
        self.thresholds: dict[str, float] = {}
        self.threshold = 0.0

    def __call__(self, operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        if operator == b"Tf" and operands:
            self.threshold = self._threshold(str(operands[0]))
        elif operator == b"TJ" and operands and self.threshold > WORD_GAP:
            array = operands[0]
            if not isinstance(array, list):
                return
            for i, item in enumerate(array):
                if isinstance(item, (int, float)) and not isinstance(item, bool):
                    gap = -float(item)
                    if WORD_GAP <= gap <= self.threshold:
                        array[i] = self.number(-(self.threshold + 1))

    def _threshold(self, name: str) -> float:
        if name not in self.thresholds:
            self.thresholds[name] = _pypdf_space_threshold(self.page, name)
        return self.thresholds[name]


def _pypdf_space_threshold(page: Any, name: str) -> float:
    """The smallest TJ gap pypdf reads as a space for this font (0 when unknown: leave it alone)."""
    try:
        from pypdf.generic._font import Font

        font_dict = page["/Resources"]["/Font"][name].get_object()
        font = Font.from_font_resource(font_dict)
        width = font.space_width if font.character_widths.get(font.space_char, 0) else 200.0
        return float(width) * _PYPDF_SPACE_SHARE
    except Exception:  # a private pypdf API or an odd font: keep pypdf's behaviour
        return 0.0


_READ_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
)


def _as_document_error(exc: Exception) -> Exception:
    """The error to raise for an exception met while reading: unknown kinds propagate unchanged."""
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if isinstance(exc, DocumentError):
        return exc
    if isinstance(exc, FileNotDecryptedError):
        return DocumentError("encrypted", "the PDF is password-protected")
    if isinstance(exc, (PdfReadError, *_READ_ERRORS)):
        return DocumentError("corrupt", f"the PDF is damaged and cannot be read ({type(exc).__name__})")
    return exc


def _open_pages(data: bytes) -> list[Any]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError

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
        pages = list(reader.pages)
        for page in pages:
            # pypdf stops inflating at its output limit but text extraction then swallows the error
            # and returns nothing; decompressing the contents once here turns it into a clear refusal.
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
        return pages
    except LimitReachedError as exc:
        raise DocumentError(
            "too_large", "the PDF's content expands past the safe limit (a decompression bomb?)"
        ) from exc
    except Exception as exc:
        error = _as_document_error(exc)
        if error is exc:
            raise
        raise error from exc
