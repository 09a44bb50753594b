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


def many_pages_pdf(pages: int = 300) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for i in range(pages):
        pdf.drawString(72, 800, f"Page {i + 1} of a very long document about nursing experience")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _pdf_with_objects(objects: list[bytes]) -> bytes:
    """A minimal PDF from raw object bodies (1-based numbering), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def flate_bomb_pdf(megabytes: int = 400) -> bytes:
    """One page whose content stream inflates from ~0.4 MB to hundreds of MB."""
    import zlib

    stream = zlib.compress(b"0 0 m " * (megabytes * 1024 * 1024 // 6), 9)
    return _pdf_with_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )


def cyclic_pages_pdf() -> bytes:
    """A page tree whose Kids point back at itself."""
    return _pdf_with_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )


def nested_array_pdf(depth: int = 50_000) -> bytes:
    return _pdf_with_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /X "
            + b"[" * depth
            + b"]" * depth
            + b" >>",
        ]
    )


def docx_bad_crc() -> bytes:
    """A DOCX whose body part's deflate stream is damaged (a flipped byte: a CRC or bit error)."""
    data = bytearray(docx_paragraphs(*(f"Line {i} of a nurse's experience" for i in range(200))))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 20] ^= 0xFF
    return bytes(data)
