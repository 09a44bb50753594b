"""Decide a file's real format from its bytes, not its name (a renamed file must not fool us)."""

from __future__ import annotations

import io
import zipfile

PDF, DOCX, TEXT, HTML, MARKDOWN = "pdf", "docx", "txt", "html", "md"
_CLAIMS = {".pdf": PDF, ".docx": DOCX}


def sniff_format(data: bytes, file_name: str) -> str:
    """Return ``pdf``, ``docx``, ``html``, ``md`` or ``txt`` from the bytes; refuse anything else.

    The name only decides between text flavours; a file whose name claims PDF or DOCX must hold one.
    """
    fmt = _sniff(data, file_name)
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    claimed = _CLAIMS.get(suffix)
    if claimed and fmt != claimed:
        from jobland_pipeline.documents.errors import DocumentError

        shown = {TEXT: "plain text", HTML: "an HTML page", MARKDOWN: "Markdown"}.get(fmt, fmt.upper())
        raise DocumentError("unsupported_format", f"{file_name} is named {suffix} but is {shown}")
    if fmt == TEXT and suffix in (".html", ".htm"):
        return HTML
    if fmt == TEXT and suffix in (".md", ".markdown"):
        return MARKDOWN
    return fmt


def _sniff(data: bytes, file_name: str) -> str:
    from jobland_pipeline.documents.errors import DocumentError

    head = data[:1024]
    if head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise DocumentError("corrupt", f"corrupt ZIP/DOCX container ({exc})") from exc
        if "word/document.xml" in names:
            return DOCX
        raise DocumentError("unsupported_format", "ZIP archive that is not a Word .docx document")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DocumentError(
            "unsupported_format", "legacy Word .doc (OLE) file: save it as .docx or PDF and upload again"
        )
    lowered = head.lower().lstrip()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:300]:
        return HTML
    if _looks_binary(head):
        raise DocumentError("unsupported_format", f"{file_name} is not a PDF, DOCX or text file")
    return TEXT


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False  # text with a byte-order mark (UTF-16 has NUL bytes by design)
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.1
