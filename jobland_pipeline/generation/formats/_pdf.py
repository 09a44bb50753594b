"""HTML -> PDF with xhtml2pdf (pure Python on ReportLab; no system libraries, no browser).

Fonts, per character, in the order of each theme's ``font-family`` list:

1. the theme's base-14 face (Times or Helvetica: Latin-1 and the WinAnsi symbols – • € “ ”);
2. TrueType files the caller passes (``fonts``), embedded and subset;
3. Bitstream Vera, shipped inside ReportLab, embedded and subset: some Latin Extended-A letters the
   base-14 faces lack (Ł, Č, Ć, Đ, Ş, Ğ, İ; not ą, ę, ř, ő: pass e.g. DejaVu Sans for those);
4. for a document with Chinese text, WenQuanYi Micro Hei (Apache-2.0, the licence in the font's own
   name table; TrueType outlines, so ReportLab embeds a subset of the glyphs used: a page of Chinese
   adds some 30 KB). It comes with the ``paperang-p2-fonts-cjk`` wheel, a dependency, or Debian's
   ``fonts-wqy-microhei``; a recipient without any CJK font sees the text;
5. ReportLab's ``STSong-Light`` CID font, only when no CJK TrueType file is found: not embedded,
   viewers supply the glyphs (Acrobat, Preview, Chrome and pdf.js do; poppler needs a CJK font).

In a Chinese document the quotation marks and dashes (“ ” ‘ ’ — … ·) are drawn in the CJK face, as
Chinese typesetting does (full width), not in the Latin one; and its paragraphs break between any
two characters (Chinese has no spaces: a long quote would otherwise run off the page as one word).
ReportLab's CJK line breaking treats a Latin word there like Chinese, so "Power Query" at the end of a
line may break inside "Power" (seen once in the sample Chinese CV's 55 lines): a cosmetic flaw, where
the alternative loses text off the page.

One exception: ReportLab writes "•" in a base-14 face as WinAnsi code 0x7F (allowed by the PDF
specification, but pypdf, and so many ATS pipelines, read it back as DEL), so every "•" of the
body is drawn in Vera, whose embedded font maps it back to U+2022.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import re
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import reportlab

from jobland_pipeline.generation.formats._model import has_cjk

log = logging.getLogger(__name__)


class PDFRenderError(RuntimeError):
    """xhtml2pdf reported errors for a document (the text of its log is in the message)."""


@dataclass(frozen=True)
class FontFace:
    family: str
    regular: Path
    bold: Path

    @property
    def regular_uri(self) -> str:
        return self.regular.as_uri()

    @property
    def bold_uri(self) -> str:
        return self.bold.as_uri()


_REPORTLAB_FONTS = Path(reportlab.__file__).resolve().parent / "fonts"
VERA = FontFace("jobland-vera", _REPORTLAB_FONTS / "Vera.ttf", _REPORTLAB_FONTS / "VeraBd.ttf")
CJK_FAMILY = "jobland-cjk"
# Where a CJK TrueType font may be, best first: the dependency's wheel, then Debian's packages.
CJK_FONT_FILES = (
    ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc"),
    (None, "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    (None, "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)


@lru_cache(maxsize=1)
def cjk_font_file() -> Path | None:
    """The first CJK TrueType font found (see :data:`CJK_FONT_FILES`); None when there is none."""
    for package, name in CJK_FONT_FILES:
        if package is None:
            path = Path(name)
        else:
            spec = importlib.util.find_spec(package)
            if spec is None or spec.origin is None:
                continue
            path = Path(spec.origin).parent / name
        if path.is_file():
            return path.resolve()
    log.warning("no CJK TrueType font found: Chinese PDFs fall back to STSong-Light (not embedded)")
    return None


def font_faces(fonts: Sequence[str | Path], *, cjk: bool = False) -> list[FontFace]:
    """The caller's TrueType files (each its own bold too), Vera, then the CJK font when ``cjk``."""
    faces = []
    for i, font in enumerate(fonts):
        path = Path(font).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"font file not found: {path}")
        faces.append(FontFace(f"jobland-font-{i}", path, path))
    faces.append(VERA)
    if cjk and (cjk_file := cjk_font_file()) is not None:
        faces.append(FontFace(CJK_FAMILY, cjk_file, cjk_file))
    return faces


@lru_cache(maxsize=1)
def _builtin_coverage() -> frozenset[str]:
    """Characters the base-14 faces (WinAnsi) or Vera can draw."""
    from reportlab.pdfbase.ttfonts import TTFont

    winansi = set()
    for code in range(32, 256):
        with suppress(UnicodeDecodeError):
            winansi.add(bytes([code]).decode("cp1252"))
    vera = TTFont(VERA.family, str(VERA.regular))
    return frozenset(winansi | {chr(c) for c in vera.face.charToGlyph})


def uncovered(text: str) -> list[str]:
    """Characters of ``text`` that no built-in face draws (they would print blank): pass ``fonts``."""
    covered = _builtin_coverage()
    return sorted({ch for ch in text if not ch.isspace() and ch not in covered and not has_cjk(ch)})


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _symbols_in_vera(html: str) -> str:
    """Draw every "•" of the body in Vera (our templates put data in the body's text nodes only)."""
    head, sep, body = html.partition("<body>")
    if not sep or "•" not in body:
        return html
    style = f"<style>.jl-sym {{ font-family: {VERA.family}; }}</style>\n</head>"
    return head.replace("</head>", style, 1) + sep + body.replace("•", '<span class="jl-sym">•</span>')


# Punctuation that Chinese sets full width: drawn in the CJK face in a Chinese document.
_ZH_WIDE = re.compile("[“”‘’—…·]+")


def _punctuation_in_cjk(html: str, family: str) -> str:
    """Draw the body's quotation marks and dashes in the CJK face (the base-14 ones are narrow)."""
    head, sep, body = html.partition("<body>")
    if not sep or not _ZH_WIDE.search(body):
        return html
    style = f"<style>.jl-zh {{ font-family: {family}; }}</style>\n</head>"
    return head.replace("</head>", style, 1) + sep + _ZH_WIDE.sub(r'<span class="jl-zh">\g<0></span>', body)


def html_to_pdf(html: str, *, faces: Sequence[FontFace] = (), zh: bool = False) -> bytes:
    """Render ``html`` (a document made by this package) to PDF bytes.

    The document may fetch nothing: no network, and no local file outside the folders of the font
    ``faces`` its @font-face rules name. xhtml2pdf logs its own warnings (an unknown CSS property,
    a character no font can draw); they become the message of :class:`PDFRenderError` on failure.
    ``zh``: a Chinese document (its punctuation in the CJK face, when one of the ``faces`` is it).
    """
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    if VERA in faces:
        html = _symbols_in_vera(html)
    if zh and (cjk := next((f for f in faces if f.family == CJK_FAMILY), None)):
        html = _punctuation_in_cjk(html, cjk.family)
    roots = {p.parent for face in faces for p in (face.regular, face.bold)}
    policy = ResourceAccessPolicy.server(
        None,
        allow_remote=False,
        extra_roots=tuple(sorted(roots)),
        max_local_bytes=64 * 1024 * 1024,
        max_render_seconds=60,
    )
    collect = _Collect()
    pisa_log = logging.getLogger("xhtml2pdf")
    pisa_log.addHandler(collect)
    try:
        out = io.BytesIO()
        status = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=policy)
    finally:
        pisa_log.removeHandler(collect)
    if status.err:
        raise PDFRenderError("; ".join(collect.messages) or "xhtml2pdf failed")
    return out.getvalue()
