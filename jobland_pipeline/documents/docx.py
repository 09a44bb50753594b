"""DOCX text extraction from the OOXML parts, with size caps checked before anything is expanded."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from jobland_pipeline.documents.errors import DocumentError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_RATIO = 200


def docx_to_text(data: bytes) -> str:
    """Paragraph text with headings kept on their own line and list items as "• " bullets."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES or (
                info.compress_size and info.file_size / info.compress_size > MAX_RATIO
            ):
                raise DocumentError("too_large", "the DOCX expands to more than the allowed size (zip bomb?)")
            xml = archive.read(info)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise DocumentError("corrupt", f"the DOCX container is damaged ({type(exc).__name__})") from exc
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml[:4096]:
        raise DocumentError("corrupt", "the DOCX declares a DTD or entities, which Word never writes")
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise DocumentError("corrupt", f"the DOCX body is not valid XML ({exc})") from exc
    lines: list[str] = []
    body = root.find(f"{W}body")
    for block in body if body is not None else []:
        if block.tag == f"{W}p":
            lines.append(_paragraph(block))
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                cells = [" ".join(_paragraph(p) for p in cell.iter(f"{W}p")) for cell in row.iter(f"{W}tc")]
                lines.append(" | ".join(c.strip() for c in cells if c.strip()))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _paragraph(p: ElementTree.Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    text = "".join(parts).strip()
    props = p.find(f"{W}pPr")
    if props is not None and text:
        style = props.find(f"{W}pStyle")
        style_name = (style.get(f"{W}val") or "") if style is not None else ""
        if props.find(f"{W}numPr") is not None or "list" in style_name.lower():
            return f"• {text}"
    return text
