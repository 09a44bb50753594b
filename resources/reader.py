from pathlib import Path

import dagster as dg

from jobland_pipeline.documents.docling_reader import DoclingConfig


class CvReaderResource(dg.ConfigurableResource):
    """How CVs are read: optional docling, and SSRF-safe downloads of ``cv_urls``."""

    docling: str = "auto"  # auto = use docling when installed; off = never
    docling_models: str = ""  # folder with docling's layout models; PDFs use docling only when it exists
    allow_private: str = ""  # comma-separated host:port allowed for downloads despite a private address

    def allowed(self) -> list[str]:
        return [h.strip() for h in self.allow_private.split(",") if h.strip()]

    def docling_config(self) -> DoclingConfig:
        return DoclingConfig(
            enabled=self.docling != "off",
            models_dir=Path(self.docling_models) if self.docling_models else None,
        )
