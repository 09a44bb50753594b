from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_aws.s3 import S3Resource

from jobland_pipeline import s3inbox
from jobland_pipeline.inbox import SETTINGS_FILE, InboxFile, Lister, LocalLister, local_user_files
from jobland_pipeline.settings import SettingsError, UserSettings, parse_user_settings


class InboxResource(dg.ConfigurableResource):
    """Where CVs arrive: a local folder or an S3 prefix, behind one interface (sensor and assets use this)."""

    def describe(self) -> str:
        raise NotImplementedError

    def lister(self) -> Lister:
        raise NotImplementedError

    def files_for(self, user_id: str) -> list[InboxFile]:
        raise NotImplementedError

    def user_settings(self, user_id: str) -> UserSettings:
        raise NotImplementedError


class LocalInboxResource(InboxResource):
    """CVs dropped into ``<path>/<user>/`` on this machine (the embedded default)."""

    path: str = "var/inbox"

    def describe(self) -> str:
        return str(Path(self.path).resolve())

    def lister(self) -> Lister:
        return LocalLister(Path(self.path))

    def files_for(self, user_id: str) -> list[InboxFile]:
        return local_user_files(Path(self.path), user_id)

    def user_settings(self, user_id: str) -> UserSettings:
        path = Path(self.path) / user_id / SETTINGS_FILE
        return parse_user_settings(path.read_bytes() if path.is_file() else None, str(path))


class S3InboxResource(InboxResource):
    """CVs uploaded to ``s3://<bucket>/<prefix>/<user>/`` (AWS or any S3-compatible store via endpoint_url)."""

    bucket: str
    prefix: str = "cvs"
    s3: dg.ResourceDependency[S3Resource]

    def _client(self) -> Any:
        return self.s3.get_client()

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix.strip('/')}"

    def lister(self) -> Lister:
        return s3inbox.S3Lister(self._client(), self.bucket, self.prefix)

    def files_for(self, user_id: str) -> list[InboxFile]:
        return s3inbox.user_files(self._client(), self.bucket, self.prefix, user_id)

    def user_settings(self, user_id: str) -> UserSettings:
        data = s3inbox.read_settings(self._client(), self.bucket, self.prefix, user_id)
        return parse_user_settings(data, f"{self.describe()}/{user_id}/{SETTINGS_FILE}")


def inbox_from_settings(values: Mapping[str, str], v: Callable[[str], Any] | None = None) -> InboxResource:
    """The S3 inbox when ``JOBLAND_INBOX_URL`` is ``s3://bucket/prefix``, else the local folder.

    ``v`` maps a setting name to its value or ``EnvVar`` (see definitions.py).
    """
    get = v or (lambda name: values[name])
    url = values["JOBLAND_INBOX_URL"]
    if not url:
        return LocalInboxResource(path=get("JOBLAND_INBOX_DIR"))
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if not url.startswith("s3://") or not bucket:
        raise SettingsError(f"JOBLAND_INBOX_URL={url!r}: expected s3://<bucket>/<prefix>")
    s3 = S3Resource(
        endpoint_url=values["JOBLAND_S3_ENDPOINT_URL"] or None,
        region_name=values["JOBLAND_S3_REGION"] or None,
    )
    return S3InboxResource(bucket=bucket, prefix=prefix, s3=s3)
