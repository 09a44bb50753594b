"""CV files as the warehouse keeps them: one row per file read or refused.

Each row model is its table: fields are the columns (see ``jobland_pipeline.records``)."""

from __future__ import annotations

from datetime import date, datetime  # noqa: F401 (column types)

from pydantic import BaseModel, Field

from jobland_pipeline.records import Table


class CvDocumentRow(BaseModel):
    """One row per CV file found in a user's inbox folder, read or refused with the reason."""

    user_id: str | None = Field(default=None, description="user partition key")
    file_name: str | None = Field(default=None, description="file name in the inbox")
    sha256: str | None = Field(default=None, description="content hash of the file bytes")
    size_bytes: int | None = Field(default=None, description="file size")
    format: str | None = Field(
        default=None, description="detected format: pdf, docx or txt (from the bytes, not the name)"
    )
    parser: str | None = Field(
        default=None, description="parser used (pypdf, ooxml, docling, html/markdown/text:<encoding>)"
    )
    parser_note: str | None = Field(
        default=None, description="why a preferred parser was not used (e.g. docling not installed)"
    )
    language: str | None = Field(default=None, description="detected language: en or zh")
    pages: int | None = Field(default=None, description="page count (PDF) or 1")
    status: str | None = Field(default=None, description="ok or error")
    error_code: str | None = Field(default=None, description="stable error code when status = error")
    error: str | None = Field(default=None, description="human-readable reason")
    text_chars: int | None = Field(default=None, description="characters of extracted text")
    text: str | None = Field(default=None, description="extracted text (normalised)")
    extracted_at: datetime | None = Field(default=None, description="when the file was read")


CV_DOCUMENTS = Table(
    "cv_documents",
    CvDocumentRow,
    "One row per CV file found in a user's inbox folder, read or refused with the reason.",
)
