"""docling conversion of DOCX, HTML and Markdown CVs (the torch-free ``docling-slim`` is installed).

docling's default install pulls a multi-GB CUDA torch (see docs/decisions.md), so the project installs
``docling-slim`` and calls its format backends directly; PDFs stay with pypdf unless the full docling
and its layout models are installed (``JOBLAND_DOCLING_MODELS``). When docling is missing, or fails on
a file, the built-in readers are used and the fallback is recorded, so ingestion never breaks on it.
"""

from __future__ import annotations

import html
import importlib.util
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DoclingConfig:
    enabled: bool = True
    models_dir: Path | None = None  # PDFs go through docling only when its layout models are here

    def wants(self, fmt: str) -> bool:
        if not self.enabled or not available():
            return False
        if fmt == "pdf":
            return self.models_dir is not None and self.models_dir.is_dir()
        return fmt in {"docx", "html", "md"}


def available() -> bool:
    return importlib.util.find_spec("docling") is not None


def convert(data: bytes, file_name: str, config: DoclingConfig) -> str:
    """Markdown text of the document; raises whatever docling raises (the caller falls back).

    DOCX, HTML and Markdown go through docling's format backends directly: its document converter
    pulls in torch for its PDF models, which the torch-free ``docling-slim`` install does not have.
    PDFs use the converter, and so need the full docling and its layout models (``models_dir``).
    """
    suffix = Path(file_name).suffix.lower() or ".bin"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"cv{suffix}"
        path.write_bytes(data)
        if suffix in _BACKENDS:
            return _via_backend(path, suffix)
        if config.models_dir is not None:
            import os

            os.environ.setdefault("DOCLING_ARTIFACTS_PATH", str(config.models_dir))
        from docling.document_converter import DocumentConverter

        result = DocumentConverter().convert(str(path))
        return html.unescape(str(result.document.export_to_markdown()))


_BACKENDS = {".docx": "DOCX", ".html": "HTML", ".htm": "HTML", ".md": "MD"}


def _via_backend(path: Path, suffix: str) -> str:
    from docling.backend.abstract_backend import DeclarativeDocumentBackend
    from docling.backend.html_backend import HTMLDocumentBackend
    from docling.backend.md_backend import MarkdownDocumentBackend
    from docling.backend.msword_backend import MsWordDocumentBackend
    from docling.datamodel.base_models import InputFormat
    from docling.datamodel.document import InputDocument

    kind = _BACKENDS[suffix]
    backends: dict[str, type[DeclarativeDocumentBackend]] = {
        "DOCX": MsWordDocumentBackend,
        "HTML": HTMLDocumentBackend,
        "MD": MarkdownDocumentBackend,
    }
    backend = backends[kind]
    source = InputDocument(path_or_stream=path, format=getattr(InputFormat, kind), backend=backend)
    document = backend(source, path).convert()
    return html.unescape(str(document.export_to_markdown()))  # its Markdown escapes "&" as "&amp;"
