from __future__ import annotations

from pathlib import Path

import dagster as dg

from jobland_pipeline.inbox import SETTINGS_FILE, InboxScan, scan_inbox
from jobland_pipeline.settings import UserSettings, load_user_settings


class LocalInboxResource(dg.ConfigurableResource):
    """CVs dropped into ``<path>/<user>/``; the S3 inbox implements the same methods."""

    path: str = "var/inbox"

    def scan(self) -> InboxScan:
        return scan_inbox(Path(self.path))

    def user_settings(self, user_id: str) -> UserSettings:
        return load_user_settings(Path(self.path) / user_id / SETTINGS_FILE)
