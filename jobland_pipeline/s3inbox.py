"""The S3 inbox (any S3-compatible store): listing, reading with a size cap, presigned uploads.

Takes a boto3 S3 client; the Dagster wiring builds it with dagster-aws (``S3Resource``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from jobland_pipeline.documents.errors import DocumentError
from jobland_pipeline.documents.extract import MAX_FILE_BYTES
from jobland_pipeline.inbox import (
    CV_SUFFIXES,
    SETTINGS_FILE,
    STORIES_FILES,
    STORIES_READ_LIMIT,
    InboxFile,
    is_stories_file,
    safe_object_name,
)
from jobland_pipeline.keys import validate_user_id

MAX_UPLOAD_EXPIRY = 60 * 60


class ObjectTooLarge(DocumentError):
    """An object over the size cap: refused before it is downloaded (a CV record says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__("too_large", reason)


def _prefix(prefix: str) -> str:
    prefix = prefix.strip("/")
    return f"{prefix}/" if prefix else ""


class S3Lister:
    """``list_objects_v2`` pages under ``prefix``, keys relative to it (``"<user>/<file>"``)."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client, self.bucket, self.prefix = client, bucket, _prefix(prefix)

    def list_page(self, start_after: str | None, limit: int) -> tuple[list[tuple[str, str, int]], bool]:
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix, "MaxKeys": limit}
        if start_after:
            kwargs["StartAfter"] = self.prefix + start_after
        answer = self.client.list_objects_v2(**kwargs)
        entries = [
            (obj["Key"][len(self.prefix) :], str(obj.get("ETag", "")).strip('"'), int(obj.get("Size", 0)))
            for obj in answer.get("Contents", [])
            if not obj["Key"].endswith("/")
        ]
        return entries, bool(answer.get("IsTruncated"))


def read_object(client: Any, bucket: str, key: str, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read an object, refusing (before and while downloading) anything over ``max_bytes``."""
    answer = client.get_object(Bucket=bucket, Key=key)
    length = int(answer.get("ContentLength") or 0)
    body = answer["Body"]
    try:
        if length > max_bytes:
            raise ObjectTooLarge(f"{key} is {length:,} bytes; the limit is {max_bytes:,}")
        data = body.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ObjectTooLarge(f"{key} is larger than {max_bytes:,} bytes")
        return data
    finally:
        body.close()


def user_files(client: Any, bucket: str, prefix: str, user_id: str) -> list[InboxFile]:
    base = f"{_prefix(prefix)}{validate_user_id(user_id)}/"
    files: list[InboxFile] = []
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=base):
        for obj in page.get("Contents", []):
            name = obj["Key"][len(base) :]
            if "/" in name or name == SETTINGS_FILE or not name.lower().endswith(CV_SUFFIXES):
                continue
            if is_stories_file(name):
                continue
            key = obj["Key"]
            files.append(
                InboxFile(
                    name,
                    int(obj.get("Size", 0)),
                    str(obj.get("ETag", "")).strip('"'),
                    partial(read_object, client, bucket, key),
                )
            )
    return sorted(files, key=lambda f: f.name)


def read_settings(client: Any, bucket: str, prefix: str, user_id: str) -> bytes | None:
    key = f"{_prefix(prefix)}{validate_user_id(user_id)}/{SETTINGS_FILE}"
    try:
        return read_object(client, bucket, key, max_bytes=64 * 1024)
    except client.exceptions.NoSuchKey:
        return None


def read_stories(client: Any, bucket: str, prefix: str, user_id: str) -> tuple[str, bytes] | None:
    """(file name, bytes) of the user's stories file, or None. The name is matched as the local inbox
    and the CV sensor match it (``Stories.md`` too: it is never read as a CV, so it must be read as
    stories). An object over the read limit is cut there (the stories reader then refuses it as too
    large, without the CV being touched)."""
    base = f"{_prefix(prefix)}{validate_user_id(user_id)}/"
    listed = client.list_objects_v2(Bucket=bucket, Prefix=base, Delimiter="/", MaxKeys=1000)
    names = [str(o["Key"])[len(base) :] for o in listed.get("Contents", [])]
    found = sorted(
        (n for n in names if is_stories_file(n)), key=lambda n: (STORIES_FILES.index(n.lower()), n)
    )
    for name in found:
        try:
            answer = client.get_object(Bucket=bucket, Key=base + name)
        except client.exceptions.NoSuchKey:
            continue  # deleted since the listing
        body = answer["Body"]
        try:
            return name, body.read(STORIES_READ_LIMIT)
        finally:
            body.close()
    return None


def presigned_upload_url(
    client: Any, bucket: str, prefix: str, user_id: str, file_name: str, *, expires_seconds: int = 900
) -> tuple[str, str]:
    """A URL the user can PUT their CV to (no credentials needed); returns (url, object key)."""
    if not 60 <= expires_seconds <= MAX_UPLOAD_EXPIRY:
        raise ValueError(f"expiry must be between 60 and {MAX_UPLOAD_EXPIRY} seconds")
    name = safe_object_name(file_name)
    if name.lower().endswith(".doc"):  # the inbox takes it only to refuse it with this reason
        raise ValueError(f"{name}: old .doc files are not read; save it as DOCX or PDF")
    if not name.lower().endswith(CV_SUFFIXES):
        raise ValueError(f"{name}: not a CV file type ({', '.join(s for s in CV_SUFFIXES if s != '.doc')})")
    key = f"{_prefix(prefix)}{validate_user_id(user_id)}/{name}"
    url = client.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires_seconds, HttpMethod="PUT"
    )
    return url, key
