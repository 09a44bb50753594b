"""cv_documents: the CV files of a user, read into text (or refused with the reason)."""

from datetime import UTC, datetime

import dagster as dg

from assets.common import check, definition_metadata, preview, spec
from assets.partitions import users_partitions
from jobland_pipeline.documents import DocumentError, extract_file
from resources import LocalInboxResource, WarehouseResource


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
    context: dg.AssetExecutionContext, inbox: LocalInboxResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """The raw CV files found in the user's inbox folder, with content hash and extracted text.

    A file that cannot be read (corrupt, encrypted, scanned, not a CV format) becomes a row with
    ``status = error`` and a reason, so nothing is silently dropped and other users are unaffected.
    """
    user_id = context.partition_key
    files = inbox.scan().by_user().get(user_id, [])
    rows: list[dict[str, object]] = []
    now = datetime.now(UTC)
    for f in files:
        base: dict[str, object] = {
            "user_id": user_id,
            "file_name": f.name,
            "size_bytes": f.size,
            "extracted_at": now,
        }
        try:
            doc = extract_file(f.path)
        except DocumentError as exc:
            context.log.warning(f"{user_id}/{f.name}: {exc.reason}")
            rows.append({**base, "status": "error", "error_code": exc.code, "error": exc.reason})
            continue
        rows.append(
            {
                **base,
                "sha256": doc.sha256,
                "format": doc.format,
                "parser": doc.parser,
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
    ok = [r for r in rows if r["status"] == "ok"]
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(rows),
            "files_ok": len(ok),
            "files_refused": len(errors),
            "errors": dg.MetadataValue.json(errors),
            "parsers": ", ".join(sorted({str(r["parser"]) for r in ok})) or "none",
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
