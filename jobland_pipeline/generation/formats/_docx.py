"""Word documents with python-docx, in Word's own styles (Title, Heading 1/2, List Bullet).

Recruiters edit these and ATS parsers read the style names, so nothing is faked with direct
formatting: a section heading *is* Heading 1. The theme restyles those styles (fonts, sizes,
colours); an East Asian font is set beside the Latin one so Chinese never falls back to a
Japanese or Korean face, and the document's language tags say which language it is in.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from jobland_pipeline.generation.formats._model import Block, CVView, inline_runs, lang_tag
from jobland_pipeline.generation.formats._themes import Theme

_WORD_LANG = {"zh": "zh-CN", "fr": "fr-FR", "es": "es-ES", "en": "en-US"}
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(rpr, latin: str, east_asian: str) -> None:  # type: ignore[no-untyped-def]
    """Explicit fonts; theme font attributes are dropped because Word lets them win."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asian)):
        rfonts.set(qn(attr), value)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _new_document(theme: Theme, *, language: str, title: str, author: str) -> DocumentObject:
    doc = Document()
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, theme.docx_font, theme.docx_east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), _WORD_LANG.get(language, "en-US"))
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    normal.font.size = Pt(theme.size_pt)
    normal.font.color.rgb = _rgb(theme.text)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, colour, bold in (
        ("Title", theme.size_pt * 2, theme.accent, True),
        ("Subtitle", theme.size_pt + 2, theme.accent, True),
        ("Heading 1", theme.size_pt + 1.5, theme.accent, True),
        ("Heading 2", theme.size_pt + 0.5, theme.text, True),
        ("List Bullet", theme.size_pt, theme.text, False),
    ):
        style = styles[name]
        _set_fonts(style.element.get_or_add_rPr(), theme.docx_heading_font, theme.docx_east_asian)
        style.font.size = Pt(size)
        style.font.color.rgb = _rgb(colour)
        style.font.bold = bold
        style.font.italic = False
        style.font.all_caps = name == "Heading 1" and theme.uppercase_headings
    styles["Title"].paragraph_format.space_after = Pt(2)
    styles["Subtitle"].paragraph_format.space_after = Pt(2)
    styles["Heading 1"].paragraph_format.space_before = Pt(12)
    styles["Heading 1"].paragraph_format.space_after = Pt(4)
    styles["Heading 2"].paragraph_format.space_before = Pt(8)
    styles["Heading 2"].paragraph_format.space_after = Pt(1)
    styles["List Bullet"].paragraph_format.space_after = Pt(2)

    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin = section.bottom_margin = Cm(1.6)
        section.left_margin = section.right_margin = Cm(1.8)

    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = "JobLand"
    props.language = lang_tag(language)
    return doc


def _muted(paragraph: Paragraph, text: str, theme: Theme) -> None:
    run = paragraph.add_run(text)
    run.font.color.rgb = _rgb(theme.muted)


def _save(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _header(doc: DocumentObject, cv: CVView, theme: Theme) -> None:
    """Name, headline, contact and link lines."""
    doc.add_paragraph(cv.name, style="Title")
    if cv.headline:
        doc.add_paragraph(cv.headline, style="Subtitle")
    for line in (cv.contact, cv.links):
        if line:
            _muted(doc.add_paragraph(), " · ".join(line), theme)


def _text_section(doc: DocumentObject, heading: str, text: str) -> None:
    doc.add_heading(heading, level=1)
    doc.add_paragraph(text)


def _bullets(doc: DocumentObject, items: list[str]) -> None:
    for item in items:
        doc.add_paragraph(item, style="List Bullet")


def _roles(doc: DocumentObject, cv: CVView, theme: Theme) -> None:
    doc.add_heading(cv.labels["experience"], level=1)
    for role in cv.roles:
        heading = doc.add_heading(role.title, level=2)
        if role.employer:
            heading.add_run(f" — {role.employer}").bold = False
        if role.meta:
            _muted(doc.add_paragraph(), role.meta, theme)
        _bullets(doc, role.bullets)


def _projects(doc: DocumentObject, cv: CVView) -> None:
    doc.add_heading(cv.labels["projects"], level=1)
    for project in cv.projects:
        doc.add_heading(project.title, level=2)
        _bullets(doc, project.bullets)


def _lists(doc: DocumentObject, lists: list[tuple[str, list[str]]]) -> None:
    for heading, values in lists:
        doc.add_heading(heading, level=1)
        _bullets(doc, values)


def cv_docx(cv: CVView, theme: Theme) -> bytes:
    doc = _new_document(theme, language=cv.language, title=cv.title, author=cv.name)
    _header(doc, cv, theme)
    if cv.summary:
        _text_section(doc, cv.labels["summary"], cv.summary)
    if cv.skills:
        _text_section(doc, cv.labels["skills"], " · ".join(cv.skills))
    if cv.roles:
        _roles(doc, cv, theme)
    if cv.projects:
        _projects(doc, cv)
    _lists(doc, cv.lists)
    if cv.languages:
        _text_section(doc, cv.labels["languages"], " · ".join(cv.languages))
    _lists(doc, cv.others)
    return _save(doc)


def _add_runs(paragraph: Paragraph, text: str) -> None:
    for style, part in inline_runs(text):
        run = paragraph.add_run(part)
        run.bold = True if style == "b" else None
        run.italic = True if style == "i" else None


def letter_docx(blocks: list[Block], *, language: str, title: str, author: str, theme: Theme) -> bytes:
    doc = _new_document(theme, language=language, title=title, author=author)
    doc.styles["Normal"].paragraph_format.space_after = Pt(theme.size_pt)
    for block in blocks:
        if block.kind == "heading":
            _add_runs(doc.add_heading(level=min(block.level, 3)), block.lines[0])
        elif block.kind == "bullets":
            for item in block.lines:
                _add_runs(doc.add_paragraph(style="List Bullet"), item)
        else:
            paragraph = doc.add_paragraph()
            for i, line in enumerate(block.lines):
                if i:
                    paragraph.add_run().add_break()
                _add_runs(paragraph, line)
    return _save(doc)
