from __future__ import annotations

import mimetypes
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import boto3
import dagster as dg
from botocore.config import Config

from jobland_pipeline.generation.stage import StagedFolder
from jobland_pipeline.warehouse.store import s3_url, split_s3_url
from resources.settings import setting

S3_ENDPOINT_HELP = (
    "S3-compatible endpoint (MinIO, R2...); empty = AWS. Credentials: the usual AWS_* variables."
)
S3_REGION_HELP = "S3 region name; empty = the AWS default chain."


def s3_client(endpoint_url: str | None, region_name: str | None) -> Any:
    """A boto3 S3 client for JobLand's files (credentials: the AWS chain, AWS_* variables).

    Built per use, never at import: a Celery worker forks after importing, and a client is not
    fork-safe. Retries in boto3's standard mode (throttling and 5xx answers).
    """
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url or None,
        region_name=region_name or None,
        config=Config(retries={"max_attempts": 5, "mode": "standard"}),
    )


def _upload(client: Any, bucket: str, prefix: str, local: Path, files: list[str]) -> None:
    """Upload a staged package folder's files under ``prefix/`` and remove the staging copy."""
    try:
        for name in files:
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            client.upload_file(str(local / name), bucket, f"{prefix}/{name}", ExtraArgs={"ContentType": kind})
    finally:
        shutil.rmtree(local.parent, ignore_errors=True)


class PackageStoreResource(dg.ConfigurableResource):
    """Where package files are written: ``<path>/<user>/<day>/<company>--<title>/``.

    A local folder, or ``s3://bucket/prefix`` so that every worker and the digest share them: each
    package is then written to a temporary folder on the worker and uploaded file by file, and its
    record keeps the ``s3://`` location.
    """

    path: str = setting(
        "JOBLAND_PACKAGES_DIR",
        "{home}/packages",
        "Where application packages are written: a folder, or s3://bucket/prefix (workers on other machines).",
    )
    endpoint_url: str | None = setting("JOBLAND_S3_ENDPOINT_URL", None, S3_ENDPOINT_HELP)
    region_name: str | None = setting("JOBLAND_S3_REGION", None, S3_REGION_HELP)

    @property
    def on_s3(self) -> bool:
        return s3_url(self.path) is not None

    def _client(self) -> Any:
        return s3_client(self.endpoint_url, self.region_name)

    def folder(self, user_id: str, day: str, name: str) -> Path | StagedFolder:
        """The folder to write one package into: created locally, or staged for upload to S3."""
        url = s3_url(self.path)
        if url is None:
            folder = Path(self.path) / user_id / day / name
            folder.mkdir(parents=True, exist_ok=True)
            return folder
        bucket, prefix = split_s3_url(url)
        key = "/".join(p for p in (prefix, user_id, day, name) if p)
        staging = Path(tempfile.mkdtemp(prefix="jobland-package-")) / name
        staging.mkdir()
        return StagedFolder(staging, f"s3://{bucket}/{key}", partial(_upload, self._client(), bucket, key))

    def _objects(self, url: str) -> tuple[Any, str, list[tuple[str, str]]]:
        """The client, the bucket and ``(name, key)`` of each file directly under an S3 package prefix."""
        bucket, prefix = split_s3_url(url)
        client = self._client()
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/")
        keys = sorted(o["Key"] for page in pages for o in page.get("Contents", []))
        named = [(k[len(prefix) + 1 :], k) for k in keys]
        return client, bucket, [(name, key) for name, key in named if "/" not in name]

    def read_package(self, location: str) -> list[tuple[str, bytes]]:
        """A package's files, ``(name, bytes)`` sorted by name, from its folder or S3 location (digest)."""
        url = s3_url(location)
        if url is None:
            folder = Path(location)
            files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
            return [(p.name, p.read_bytes()) for p in files]
        client, bucket, objects = self._objects(url)
        return [(name, client.get_object(Bucket=bucket, Key=key)["Body"].read()) for name, key in objects]

    def missing_files(self, location: str, files: list[str]) -> list[str]:
        """The listed files a package lacks (the ``files_written`` check, on disk or on S3)."""
        url = s3_url(location)
        if url is None:
            return [f for f in files if not (Path(location) / f).exists()]
        present = {name for name, _ in self._objects(url)[2]}
        return [f for f in files if f not in present]
