"""Optional docling conversion (``pip install -e ".[docling]"``), used when installed and allowed.

docling is not a default dependency (its default install pulls a multi-GB CUDA torch; see
docs/decisions.md). When it is missing, or fails on a file, the built-in readers are used and the
fallback is recorded, so a missing extra or missing model files never break ingestion.
"""

from __future__ import annotations

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
    """Markdown text of the document; raises whatever docling raises (the caller falls back)."""
    from docling.document_converter import DocumentConverter  # type: ignore[import-not-found]

    suffix = Path(file_name).suffix or ".bin"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"cv{suffix}"
        path.write_bytes(data)
        if config.models_dir is not None:
            import os

            os.environ.setdefault("DOCLING_ARTIFACTS_PATH", str(config.models_dir))
        result = DocumentConverter().convert(str(path))
        return str(result.document.export_to_markdown())
