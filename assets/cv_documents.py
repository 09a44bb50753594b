"""cv_documents: the CV files of a user, read into text (or refused with the reason)."""

import dagster as dg
import polars as pl

from assets.common import check, definition_metadata, preview, spec
from assets.partitions import users_partitions
from jobland_pipeline.documents.intake import read_cv_sources
from jobland_pipeline.documents.records import CV_DOCUMENTS, CvDocumentRow
from jobland_pipeline.profiles.user_settings import SettingsError
from resources import CvReaderResource, InboxResource, WarehouseResource


@dg.asset(
    partitions_def=users_partitions,
    group_name="intake",
    kinds={"python", "parquet"},
    metadata=definition_metadata("cv_documents"),
    check_specs=[
        spec(
            "cv_documents",
            "every_file_accounted_for",
            "Each file in the inbox and each CV link in the settings is a row: read, or refused with a reason.",
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
    try:
        urls, settings_error = inbox.user_settings(user_id).cv_urls, None
    except SettingsError as exc:
        urls, settings_error = [], str(exc)
        context.log.error(settings_error)
    sources = reader.sources(inbox.files_for(user_id), urls)
    rows = read_cv_sources(user_id, sources, docling=reader.docling_config())
    for row in rows:
        if row.status == "error":
            context.log.warning(f"{user_id}/{row.file_name}: {row.error}")
    df = warehouse.store.write_records(CV_DOCUMENTS, user_id, rows)
    return _result(rows, df, expected=len(sources), settings_error=settings_error)


def _result(
    rows: list[CvDocumentRow], df: pl.DataFrame, *, expected: int, settings_error: str | None
) -> dg.MaterializeResult:
    errors = {str(r.file_name): str(r.error) for r in rows if r.status == "error"}
    if settings_error:
        errors["settings.yaml"] = settings_error
    ok = [r for r in rows if r.status == "ok"]
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(rows),
            "files_ok": len(ok),
            "files_refused": len(errors),
            "errors": dg.MetadataValue.json(errors),
            "parsers": ", ".join(sorted({str(r.parser) for r in ok})) or "none",
            "parser_notes": dg.MetadataValue.json(
                {str(r.file_name): r.parser_note for r in ok if r.parser_note}
            ),
            "preview": preview(
                df,
                ["file_name", "format", "parser", "language", "pages", "status", "error", "text_chars"],
            ),
        },
        check_results=[
            check(
                "every_file_accounted_for", len(rows) == expected, f"{len(rows)} rows for {expected} sources"
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
