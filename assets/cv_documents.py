"""cv_documents: the CV files of a user, read into text (or refused with the reason)."""

from collections.abc import Callable
from datetime import UTC, datetime

import dagster as dg

from assets.common import check, definition_metadata, preview, spec
from assets.partitions import users_partitions
from jobland_pipeline.documents import DocumentError, extract_document
from jobland_pipeline.documents.extract import MAX_FILE_BYTES
from jobland_pipeline.documents.fetch import FetchError, fetch_cv
from jobland_pipeline.s3inbox import ObjectTooLarge
from jobland_pipeline.settings import SettingsError
from resources import CvReaderResource, InboxResource, WarehouseResource


def display_url(url: str) -> str:
    """A URL without its query string (which may hold a token) for rows, logs and metadata."""
    return url.split("?", 1)[0][:300]


def fetched(url: str, allow: list[str]) -> tuple[str, bytes]:
    result = fetch_cv(url, allowed_private=frozenset(allow))
    return result.file_name, result.data


@dg.asset(
    partitions_def=users_partitions,
    group_name="intake",
    kinds={"python", "parquet"},
    metadata=definition_metadata("cv_documents"),
    check_specs=[
        spec(
            "cv_documents",
            "every_file_accounted_for",
            "Each file in the inbox is a row: read, or refused with a reason.",
        ),
        spec("cv_documents", "readable_cv_present", "The user has at least one CV that could be read."),
    ],
)
def cv_documents(
    context: dg.AssetExecutionContext,
    inbox: InboxResource,
    reader: CvReaderResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """The raw CV files of the user (inbox folder or S3 prefix, plus ``cv_urls``), hashed and read into text.

    A file that cannot be read (corrupt, encrypted, scanned, not a CV format) becomes a row with
    ``status = error`` and a reason, so nothing is silently dropped and other users are unaffected.
    """
    user_id = context.partition_key
    files = inbox.files_for(user_id)
    try:
        urls, settings_error = inbox.user_settings(user_id).cv_urls, None
    except SettingsError as exc:
        urls, settings_error = [], str(exc)
        context.log.error(settings_error)
    rows: list[dict[str, object]] = []
    now = datetime.now(UTC)
    sources: list[tuple[str, int | None, Callable[[], tuple[str, bytes]]]] = [
        (f.name, f.size, lambda f=f: (f.name, f.read_bytes())) for f in files
    ] + [(display_url(u), None, lambda u=u: fetched(u, reader.allowed())) for u in urls]
    for label, size, load in sources:
        base: dict[str, object] = {
            "user_id": user_id,
            "file_name": label,
            "size_bytes": size,
            "extracted_at": now,
        }
        try:
            if size is not None and size > MAX_FILE_BYTES:
                raise DocumentError(
                    "too_large", f"{label} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
                )
            name, data = load()
            doc = extract_document(data, name, docling=reader.docling_config())
        except (DocumentError, FetchError) as exc:
            context.log.warning(f"{user_id}/{label}: {exc.reason}")
            rows.append({**base, "status": "error", "error_code": exc.code, "error": exc.reason})
            continue
        except ObjectTooLarge as exc:
            rows.append({**base, "status": "error", "error_code": "too_large", "error": str(exc)})
            continue
        base["size_bytes"] = len(data)
        rows.append(
            {
                **base,
                "sha256": doc.sha256,
                "format": doc.format,
                "parser": doc.parser,
                "parser_note": doc.note,
                "language": doc.language,
                "pages": doc.pages,
                "status": "ok",
                "text": doc.text,
                "text_chars": len(doc.text),
            }
        )
    store = warehouse.store
    store.write_partition("cv_documents", user_id, rows)
    df = store.conform("cv_documents", rows)
    errors = {r["file_name"]: r["error"] for r in rows if r["status"] == "error"}
    if settings_error:
        errors["settings.yaml"] = settings_error
    ok = [r for r in rows if r["status"] == "ok"]
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(rows),
            "files_ok": len(ok),
            "files_refused": len(errors),
            "errors": dg.MetadataValue.json(errors),
            "parsers": ", ".join(sorted({str(r["parser"]) for r in ok})) or "none",
            "parser_notes": dg.MetadataValue.json(
                {r["file_name"]: r["parser_note"] for r in ok if r["parser_note"]}
            ),
            "preview": preview(
                df, ["file_name", "format", "parser", "language", "pages", "status", "error", "text_chars"]
            ),
        },
        check_results=[
            check(
                "every_file_accounted_for",
                len(rows) == len(files),
                f"{len(rows)} rows for {len(files)} files",
            ),
            check(
                "readable_cv_present",
                bool(ok),
                "ok"
                if ok
                else f"no readable CV: {'; '.join(f'{k}: {v}' for k, v in errors.items()) or 'no files'}",
                warn=True,
            ),
        ],
    )
