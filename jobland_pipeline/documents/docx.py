"""DOCX text extraction from the OOXML parts, with size caps checked before anything is expanded."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from xml.etree import ElementTree

from jobland_pipeline.documents.errors import DocumentError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_RATIO = 200


def _document_xml(data: bytes) -> bytes:
    """The body part of the container, refused when it would expand past the caps."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO
            ):
                raise DocumentError("too_large", "the DOCX expands to more than the allowed size (zip bomb?)")
            return archive.read(info)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, NotImplementedError) as exc:
        # zlib.error: a damaged deflate stream (a CRC or bit error), NotImplementedError: an unknown
        # compression method: the file cannot be read, whatever the cause.
        raise DocumentError("corrupt", f"the DOCX container is damaged ({type(exc).__name__})") from exc


def _parse(xml: bytes) -> ElementTree.Element:
    """The body's XML; a DTD or entities (which Word never writes) are refused before parsing."""
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:4096]:
        raise DocumentError("corrupt", "the DOCX declares a DTD or entities, which Word never writes")
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise DocumentError("corrupt", f"the DOCX body is not valid XML ({exc})") from exc


def _table_lines(table: ElementTree.Element) -> list[str]:
    """One line per table row, its non-empty cells joined with " | "."""
    lines: list[str] = []
    for row in table.iter(f"{W}tr"):
        cells = [" ".join(_paragraph(p) for p in cell.iter(f"{W}p")) for cell in row.iter(f"{W}tc")]
        lines.append(" | ".join(c.strip() for c in cells if c.strip()))
    return lines


def docx_to_text(data: bytes) -> str:
    """Paragraph text with headings kept on their own line and list items as "• " bullets."""
    root = _parse(_document_xml(data))
    lines: list[str] = []
    body = root.find(f"{W}body")
    for block in body if body is not None else []:
        if block.tag == f"{W}p":
            lines.append(_paragraph(block))
        elif block.tag == f"{W}tbl":
            lines.extend(_table_lines(block))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_BREAKS = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}


def _paragraph(p: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag in _BREAKS:
            parts.append(_BREAKS[node.tag])
    text = "".join(parts).strip()
    props = p.find(f"{W}pPr")
    if props is not None and text and _is_list_item(props):
        return f"• {text}"
    return text


def _is_list_item(props: ElementTree.Element) -> bool:
    """Numbered, or styled as a list ("ListParagraph", "List Bullet")."""
    style = props.find(f"{W}pStyle")
    style_name = (style.get(f"{W}val") or "") if style is not None else ""
    return props.find(f"{W}numPr") is not None or "list" in style_name.lower()
