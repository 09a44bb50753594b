"""Every file an applicant needs, from one tailored CV: Markdown, HTML, PDF, DOCX and LaTeX.

All formats are rendered from one cleaned view of the CV (``_model.py``), so they never disagree,
and each escapes for itself: Jinja autoescape for HTML (and so the PDF made from it), XML text nodes
for DOCX, :func:`escape_latex` for LaTeX. A CV or posting line such as ``<script>alert(1)</script>``
or ``{\\input{/etc/passwd}}`` comes out as those characters, never as markup or a command.

PDF engine, as measured on this project's machine (2 cores, Python 3.11, the same HTML of the
sample CVs given to both, warm figures are the last of three runs):

=====================  ==============================  ========================================
                       xhtml2pdf 0.2.28 (chosen)       WeasyPrint 70.0
=====================  ==============================  ========================================
system libraries       none: pure Python on ReportLab  Pango, HarfBuzz, fontconfig (apt)
install (pip, wheels)  4.8 s, 77 MB site-packages      2.9 s, 99 MB, plus the system libraries
import                 0.34 s                          1.16 s
English CV, warm       0.07 s                          0.66 s
Chinese CV, warm       0.03 s, text extracts intact    0.39 s, no CJK system font: pypdf got
                                                       no Chinese back at all
=====================  ==============================  ========================================

xhtml2pdf reads the HTML file (its CSS subset is enough for a one-column CV), refuses every
network fetch and every file outside the font folders (a ``ResourceAccessPolicy``), and picks a font per character from the
``font-family`` list, so Chinese falls through to the embedded CJK TrueType font (see ``_pdf.py``).

Render times with this package (median of 7, warm; the first call in a process adds ~0.3 s of
imports): ``render_cv`` 80 ms for all five files (PDF 35 ms, DOCX 42 ms, HTML and LaTeX ~1 ms);
``render_letter`` 33 ms; a Chinese letter ~0.3 s, most of it reading the 5 MB CJK font to subset it. ``python -m pytest tests/test_formats.py`` checks a two-package bound.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from jobland_pipeline.generation.formats._docx import cv_docx, letter_docx
from jobland_pipeline.generation.formats._html import cv_html, letter_html
from jobland_pipeline.generation.formats._latex import cv_tex as _cv_tex
from jobland_pipeline.generation.formats._latex import escape_latex
from jobland_pipeline.generation.formats._model import (
    LABELS,
    CVView,
    cv_view,
    has_cjk,
    lang_tag,
    letter_blocks,
)
from jobland_pipeline.generation.formats._pdf import PDFRenderError, font_faces, html_to_pdf, uncovered
from jobland_pipeline.generation.formats._themes import THEMES, Theme, get_theme
from jobland_pipeline.generation.render import render, zh_punctuation
from jobland_pipeline.generation.tailor import TailoredCV

__all__ = [
    "CV_FILES",
    "LETTER_FILES",
    "THEMES",
    "PDFRenderError",
    "Theme",
    "cv_markdown",
    "cv_view",
    "escape_latex",
    "render_cv",
    "render_letter",
    "theme_names",
]

log = logging.getLogger(__name__)

CV_FILES = ("tailored_cv.md", "tailored_cv.html", "tailored_cv.pdf", "tailored_cv.docx", "tailored_cv.tex")
LETTER_FILES = ("cover_letter.pdf", "cover_letter.docx")


def _check_glyphs(text: str, fonts: Sequence[str | Path]) -> None:
    if not fonts and (missing := uncovered(text)):
        log.warning(
            "the PDF has no font for %s; pass fonts=[a TrueType file that has them]", "".join(missing[:20])
        )


def theme_names() -> list[str]:
    return sorted(THEMES)


def render_cv(
    cv: TailoredCV, *, theme: str = "classic", fonts: Sequence[str | Path] = ()
) -> dict[str, bytes]:
    """The tailored CV in every format, as ``{file name: bytes}`` (text files UTF-8).

    ``theme`` names one of :data:`THEMES` (``ValueError`` otherwise). ``fonts`` are optional TrueType
    files (``.ttf``/``.ttc`` with TrueType outlines) embedded in the PDF for characters the theme's
    face lacks, before the built-in fallbacks (see ``_pdf.py``; a CV with Chinese text embeds the
    bundled CJK font without being asked).

    The Markdown is the package's own ``tailored_cv.md``. The PDF is rendered from the
    HTML document, with the PDF's ``@font-face`` rules added (the HTML file names no local files).
    """
    look = get_theme(theme)
    view = cv_view(cv)
    faces = font_faces(fonts, cjk=has_cjk(view.all_text()))
    _check_glyphs(view.all_text(), fonts)
    pdf_html = cv_html(view, look, pdf_fonts=faces)
    return {
        "tailored_cv.md": cv_markdown(view).encode(),
        "tailored_cv.html": cv_html(view, look).encode(),
        "tailored_cv.pdf": html_to_pdf(pdf_html, faces=faces, zh=view.language == "zh"),
        "tailored_cv.docx": cv_docx(view, look),
        "tailored_cv.tex": _cv_tex(view, look).encode(),
    }


def cv_markdown(view: CVView) -> str:
    """The CV as Markdown (``tailored_cv.md``), from the same view as every other format."""
    return render("tailored_cv.md.j2", cv=view)


def render_letter(
    text_md: str, *, language: str, theme: str = "classic", fonts: Sequence[str | Path] = ()
) -> dict[str, bytes]:
    """The cover letter (Markdown or plain text, as the package writes it) as PDF and DOCX.

    Kept from the Markdown: paragraphs with their line breaks (address block, sign-off), ``#``
    headings, ``-`` bullets, ``**bold**`` and ``*italic*``; everything else is literal text.
    ``language`` is ``"en"``, ``"zh"``, ``"fr"`` or ``"es"`` (anything else: Chinese if the text
    has Chinese, else English).
    """
    look = get_theme(theme)
    faces = font_faces(fonts, cjk=has_cjk(text_md))
    lang = language if language in LABELS else ("zh" if has_cjk(text_md) else "en")
    blocks = letter_blocks(zh_punctuation(text_md) if lang == "zh" else text_md)
    _check_glyphs(text_md, fonts)
    first = next((b.lines[0] for b in blocks if b.lines), "")
    title = LABELS[lang]["letter"] + (f" — {first}" if first else "")
    html = letter_html(blocks, lang=lang_tag(lang), title=title, theme=look, pdf_fonts=faces)
    return {
        "cover_letter.pdf": html_to_pdf(html, faces=faces, zh=lang == "zh"),
        "cover_letter.docx": letter_docx(blocks, language=lang, title=title, author=first, theme=look),
    }
