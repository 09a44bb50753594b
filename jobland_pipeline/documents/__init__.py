"""CV bytes -> clean text, with a clear reason when a file cannot be read."""

from jobland_pipeline.documents.errors import DocumentError
from jobland_pipeline.documents.extract import ExtractedDocument, extract_document, extract_file

__all__ = ["DocumentError", "ExtractedDocument", "extract_document", "extract_file"]
