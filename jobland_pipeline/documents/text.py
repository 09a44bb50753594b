"""Plain-text CVs in whatever encoding people save them."""

from __future__ import annotations

from jobland_pipeline.documents.errors import DocumentError

# Order matters: strict UTF-8 first, then GB18030 (a superset of GBK/GB2312 used for Chinese
# text files), then cp1252 which maps almost every byte (the last resort for Western text).
_FALLBACKS = ("utf-8", "gb18030", "cp1252")


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for encoding in _FALLBACKS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DocumentError("unsupported_format", "the text file is in an unknown encoding")
