from __future__ import annotations

from pathlib import Path

import dagster as dg

from resources.settings import setting


class PackageStoreResource(dg.ConfigurableResource):
    """Where package files are written: ``<path>/<user>/<day>/<company>--<title>/``."""

    path: str = setting("JOBLAND_PACKAGES_DIR", "{home}/packages", "Where application packages are written.")

    def folder(self, user_id: str, day: str, name: str) -> Path:
        folder = Path(self.path) / user_id / day / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder
