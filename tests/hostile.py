"""Broken and hostile CV files, generated on the fly (nothing binary is stored for them)."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def text_pdf(
    text: str = "Jane Doe\nRegistered Nurse\nEXPERIENCE\nICU Nurse, General Hospital\n2019 - Present",
) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    y = 800
    for line in text.split("\n"):
        pdf.drawString(72, y, line)
        y -= 16
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.rect(72, 600, 400, 200, fill=1)  # a "scan": shapes, no text layer
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(document_xml: str, *, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_paragraphs(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return docx(f"<w:document {W}><w:body>{body}</w:body></w:document>")


def docx_xxe() -> bytes:
    return docx(
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&xxe; Jane Doe nurse experience text here</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )


def docx_zip_bomb() -> bytes:
    filler = "<w:p><w:r><w:t>" + "A" * 1000 + "</w:t></w:r></w:p>"
    return docx(
        f"<w:document {W}><w:body>{filler * 30000}</w:body></w:document>"
    )  # ~30 MB, compresses ~1000x


OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
HTML_AS_PDF = b"<!DOCTYPE html><html><head><title>Resume</title></head><body>Jane</body></html>"
GARBAGE = bytes(range(256)) * 8
