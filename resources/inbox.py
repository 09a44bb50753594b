from pathlib import Path
from typing import Any

import dagster as dg
from dagster_aws.s3 import S3Resource

from jobland_pipeline import s3inbox
from jobland_pipeline.inbox import (
    SETTINGS_FILE,
    InboxFile,
    Lister,
    LocalLister,
    local_user_files,
    local_user_stories,
    user_folder,
)
from jobland_pipeline.keys import InvalidKeyError
from jobland_pipeline.profiles.user_settings import SettingsError, UserSettings, parse_user_settings
from resources.settings import setting


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

    def user_stories(self, user_id: str) -> tuple[str, bytes] | None:
        """(file name, bytes) of the user's stories.md / stories.txt beside the CV, or None."""
        return None


class LocalInboxResource(InboxResource):
    """CVs dropped into ``<path>/<user>/`` on this machine (the embedded default)."""

    path: str = setting(
        "JOBLAND_INBOX_DIR",
        "{home}/inbox",
        "Local inbox: one folder per user holding their CV (and settings.yaml).",
    )

    def describe(self) -> str:
        return str(Path(self.path).resolve())

    def lister(self) -> Lister:
        return LocalLister(Path(self.path))

    def files_for(self, user_id: str) -> list[InboxFile]:
        return local_user_files(Path(self.path), user_id)

    def user_settings(self, user_id: str) -> UserSettings:
        try:
            folder = user_folder(Path(self.path), user_id)
        except InvalidKeyError as exc:
            raise SettingsError(str(exc)) from exc
        if folder is None:
            return UserSettings()
        path = folder / SETTINGS_FILE
        if path.is_symlink():
            raise SettingsError(f"{path}: a symbolic link; settings are read only from a plain file")
        return parse_user_settings(path.read_bytes() if path.is_file() else None, str(path))

    def user_stories(self, user_id: str) -> tuple[str, bytes] | None:
        return local_user_stories(Path(self.path), user_id)


class S3ClientResource(S3Resource):
    """dagster-aws's S3 client, its endpoint and region from JobLand's settings (credentials: AWS_*)."""

    endpoint_url: str | None = setting(
        "JOBLAND_S3_ENDPOINT_URL",
        None,
        "S3-compatible endpoint (MinIO, R2...); empty = AWS. Credentials: the usual AWS_* variables.",
    )
    region_name: str | None = setting(
        "JOBLAND_S3_REGION", None, "S3 region name; empty = the AWS default chain."
    )


class S3InboxResource(InboxResource):
    """CVs uploaded to ``s3://<bucket>/<prefix>/<user>/`` (AWS or any S3-compatible store via endpoint_url)."""

    url: str = setting(
        "JOBLAND_INBOX_URL",
        "",
        "S3 inbox 's3://bucket/prefix' (CVs at <prefix>/<user>/<file>); empty = the local inbox.",
    )
    s3: dg.ResourceDependency[S3Resource]

    @property
    def bucket(self) -> str:
        return self._parts()[0]

    @property
    def prefix(self) -> str:
        return self._parts()[1]

    def _parts(self) -> tuple[str, str]:
        bucket, _, prefix = self.url.removeprefix("s3://").partition("/")
        if not self.url.startswith("s3://") or not bucket:
            raise SettingsError(f"JOBLAND_INBOX_URL={self.url!r}: expected s3://<bucket>/<prefix>")
        return bucket, prefix

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

    def user_stories(self, user_id: str) -> tuple[str, bytes] | None:
        return s3inbox.read_stories(self._client(), self.bucket, self.prefix, user_id)
