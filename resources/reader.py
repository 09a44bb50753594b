from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import dagster as dg

from jobland_pipeline.documents.docling_reader import DoclingConfig
from jobland_pipeline.documents.fetch import fetch_cv
from jobland_pipeline.documents.intake import CvSource, display_url
from jobland_pipeline.documents.malware import ClamdScanner
from jobland_pipeline.inbox import InboxFile
from resources.settings import setting


class CvReaderResource(dg.ConfigurableResource):
    """How CVs are read: optional docling, and SSRF-safe downloads of ``cv_urls``."""

    docling: str = setting(
        "JOBLAND_DOCLING",
        "auto",
        "'auto': read DOCX/HTML/Markdown with docling (installed without torch); 'off': the built-in readers only.",
    )
    docling_models: str = setting(
        "JOBLAND_DOCLING_MODELS",
        "",
        "Folder with docling's layout models; PDFs go through docling only when it exists.",
    )
    allow_private: str = setting(
        "JOBLAND_CV_URL_ALLOW",
        "",
        "host:port list allowed for CV downloads despite a private address (intranets, tests).",
    )

    clamd: str = setting(
        "JOBLAND_CLAMD",
        "",
        "ClamAV daemon that scans every CV before it is read: tcp://host:port or its unix socket path; "
        "empty = no scan.",
    )

    def scanner(self) -> Callable[[bytes, str], None] | None:
        """The malware scan every CV goes through first, when ``JOBLAND_CLAMD`` is set."""
        return ClamdScanner(self.clamd).scan if self.clamd.strip() else None

    def allowed(self) -> list[str]:
        return [h.strip() for h in self.allow_private.split(",") if h.strip()]

    def docling_config(self) -> DoclingConfig:
        return DoclingConfig(
            enabled=self.docling != "off",
            models_dir=Path(self.docling_models) if self.docling_models else None,
        )

    def sources(self, files: Iterable[InboxFile], urls: Iterable[str]) -> list[CvSource]:
        """The user's inbox files, then their CV links (downloaded SSRF-safely when read)."""
        allowed = frozenset(self.allowed())
        scan = self.scanner()
        return [CvSource(f.name, f.size, partial(_inbox_file, f), scan) for f in files] + [
            CvSource(display_url(u), None, partial(_download, u, allowed), scan) for u in urls
        ]


def _inbox_file(file: InboxFile) -> tuple[str, bytes]:
    return file.name, file.read_bytes()


def _download(url: str, allowed: frozenset[str]) -> tuple[str, bytes]:
    result = fetch_cv(url, allowed_private=allowed)
    return result.file_name, result.data
