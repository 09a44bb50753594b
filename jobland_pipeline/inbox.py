"""The local inbox: ``<inbox>/<user>/<cv file>`` (+ optional ``settings.yaml``), scanned safely."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from jobland_pipeline.keys import InvalidKeyError, user_id_from_folder

CV_SUFFIXES = (".pdf", ".docx", ".txt", ".doc", ".md")
SETTINGS_FILE = "settings.yaml"


@dataclass(frozen=True)
class InboxFile:
    user_id: str
    name: str
    path: Path
    size: int
    mtime_ns: int

    @property
    def version(self) -> str:
        """Changes whenever the file is replaced or edited (cheap: no read of the content)."""
        return f"{self.size}:{self.mtime_ns}"


@dataclass(frozen=True)
class InboxScan:
    files: list[InboxFile]
    rejected: list[tuple[str, str]]  # (path, reason)
    users_with_settings: list[str]

    def by_user(self) -> dict[str, list[InboxFile]]:
        users: dict[str, list[InboxFile]] = {u: [] for u in self.users_with_settings}
        for f in self.files:
            users.setdefault(f.user_id, []).append(f)
        return users

    def user_version(self, user_id: str) -> str:
        parts = sorted(f"{f.name}={f.version}" for f in self.files if f.user_id == user_id)
        return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


def scan_inbox(root: Path) -> InboxScan:
    """List CV files one level below each user folder; never follows links out of the inbox."""
    files: list[InboxFile] = []
    rejected: list[tuple[str, str]] = []
    with_settings: list[str] = []
    if not root.is_dir():
        return InboxScan([], [], [])
    base = root.resolve()
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        try:
            user_id = user_id_from_folder(folder.name)
        except InvalidKeyError as exc:
            rejected.append((folder.name, str(exc)))
            continue
        if folder.is_symlink() or not folder.resolve().is_relative_to(base):
            rejected.append((folder.name, "user folder is a link out of the inbox"))
            continue
        for path in sorted(folder.iterdir()):
            if path.name == SETTINGS_FILE:
                with_settings.append(user_id)
                continue
            if path.name.startswith(".") or not path.is_file() or path.is_symlink():
                continue
            if path.suffix.lower() not in CV_SUFFIXES:
                rejected.append(
                    (f"{folder.name}/{path.name}", f"not a CV file type ({', '.join(CV_SUFFIXES)})")
                )
                continue
            stat = path.stat()
            files.append(InboxFile(user_id, path.name, path, stat.st_size, stat.st_mtime_ns))
    return InboxScan(files, rejected, with_settings)
