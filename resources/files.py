from __future__ import annotations

from pathlib import Path

import dagster as dg


class PackageStoreResource(dg.ConfigurableResource):
    """Where package files are written: ``<path>/<user>/<day>/<company>--<title>/``."""

    path: str = "var/packages"

    def folder(self, user_id: str, day: str, name: str) -> Path:
        folder = Path(self.path) / user_id / day / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder
