"""The CV inbox: ``<inbox>/<user>/<file>`` in a local folder or under an S3 prefix, listed safely.

Both stores are read through the same small listing interface, so one sensor (and one cursor
logic, :mod:`jobland_pipeline.inbox_cursor`) serves both. Keys are validated here: a user folder
must be a valid user id, a file name a plain name; anything else is rejected with the reason and
never becomes a path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from jobland_pipeline.keys import InvalidKeyError, user_id_from_folder

CV_SUFFIXES = (".pdf", ".docx", ".txt", ".md", ".html", ".htm", ".doc")
SETTINGS_FILE = "settings.yaml"
# The user's own stories beside the CV (achievements the CV has no room for): never read as a CV.
STORIES_FILES = ("stories.md", "stories.txt")
MAX_STORIES_BYTES = 256 * 1024  # a long stories file is a few pages; more is not a stories file
STORIES_READ_LIMIT = MAX_STORIES_BYTES + 1  # read no further than it takes to know it is too large
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class InboxObject:
    """One object of the inbox: ``key`` is ``"<user>/<name>"`` relative to the inbox root."""

    key: str
    user_id: str
    name: str
    version: str  # ETag (S3) or size:mtime (local): changes whenever the content may have changed
    size: int


@dataclass
class InboxFile:
    """A user's file, readable on demand (the bytes are fetched only when needed)."""

    name: str
    size: int
    version: str
    reader: Callable[[], bytes] = field(repr=False)

    def read_bytes(self) -> bytes:
        return self.reader()


def validate_file_name(name: str) -> str:
    if not name or len(name) > MAX_NAME_LENGTH:
        raise InvalidKeyError(f"file name of {len(name)} characters (allowed: 1-{MAX_NAME_LENGTH})")
    if name in {".", ".."} or "/" in name or "\\" in name:
        raise InvalidKeyError(f"file name {name!r} is not a plain name")
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise InvalidKeyError(f"file name {name!r} contains control characters")
    return name


def parse_key(relative: str) -> tuple[str, str]:
    """``"<user>/<file>"`` -> (user id, file name); raises :class:`InvalidKeyError` with the reason."""
    parts = relative.split("/")
    if len(parts) != 2:
        raise InvalidKeyError(f"{relative!r}: expected '<user>/<file>' (no deeper folders)")
    return user_id_from_folder(parts[0]), validate_file_name(parts[1])


# Versions a lister gives entries it must not read, so that each is reported rather than dropped.
SYMLINK, HIDDEN = "symlink", "hidden"


def classify(relative: str, version: str, size: int) -> InboxObject:
    """Validate a raw listing entry into an :class:`InboxObject` (or raise InvalidKeyError)."""
    if version == SYMLINK:
        raise InvalidKeyError(f"{relative!r}: a symbolic link, never followed")
    if version == HIDDEN:
        raise InvalidKeyError(f"{relative!r}: a hidden file or folder, not read")
    user_id, name = parse_key(relative)
    if name != SETTINGS_FILE and not name.lower().endswith(CV_SUFFIXES):
        raise InvalidKeyError(
            f"{relative!r}: not a CV file type ({', '.join(CV_SUFFIXES)}) or {SETTINGS_FILE}"
        )
    return InboxObject(key=relative, user_id=user_id, name=name, version=version, size=size)


class Lister(Protocol):
    """A sorted listing of ``(relative key, version, size)``, one bounded page at a time."""

    def list_page(self, start_after: str | None, limit: int) -> tuple[list[tuple[str, str, int]], bool]:
        """Entries with key > start_after, sorted, at most ``limit``; and whether more follow."""
        ...


class LocalLister:
    """The local inbox folder as a sorted listing (links and hidden files are never followed)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _entries(self) -> list[tuple[str, str, int]]:
        """Every entry, links and hidden ones included (marked, so the sensor says it skipped them)."""
        entries: list[tuple[str, str, int]] = []
        if not self.root.is_dir():
            return entries
        for folder in self.root.iterdir():
            if folder.is_symlink() or folder.name.startswith("."):
                entries.append((f"{folder.name}/", SYMLINK if folder.is_symlink() else HIDDEN, 0))
                continue
            if folder.is_dir():
                entries += [_entry(folder, path) for path in folder.iterdir() if not path.is_dir()]
        return sorted(entries)

    def list_page(self, start_after: str | None, limit: int) -> tuple[list[tuple[str, str, int]], bool]:
        entries = [e for e in self._entries() if start_after is None or e[0] > start_after]
        return entries[:limit], len(entries) > limit


def _entry(folder: Path, path: Path) -> tuple[str, str, int]:
    key = f"{folder.name}/{path.name}"
    if path.is_symlink():
        return key, SYMLINK, 0
    if path.name.startswith("."):
        return key, HIDDEN, 0
    stat = path.stat()
    return key, f"{stat.st_size}:{stat.st_mtime_ns}", stat.st_size


def user_folder(root: Path, user_id: str) -> Path | None:
    """The user's folder: the one folder whose case-folded name is the user id (``Zed/`` is ``zed``).

    Two folders that fold to the same id ("bob/" and "Bob/") are an error for that id, never a silent
    pick; a symbolic link is never a user's folder.
    """
    if not root.is_dir():
        return None
    found = [
        f
        for f in root.iterdir()
        if not f.is_symlink() and f.is_dir() and f.name.lower() == user_id and not f.name.startswith(".")
    ]
    if len(found) > 1:
        names = ", ".join(sorted(f"'{f.name}'" for f in found))
        raise InvalidKeyError(f"folders {names} are all user '{user_id}': merge them or rename all but one")
    return found[0] if found else None


def local_user_files(root: Path, user_id: str) -> list[InboxFile]:
    folder = user_folder(root, user_id)
    if folder is None:
        return []
    files = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == SETTINGS_FILE or path.is_symlink() or not path.is_file():
            continue
        if is_stories_file(path.name):
            continue
        if not path.name.lower().endswith(CV_SUFFIXES):
            continue
        stat = path.stat()
        files.append(
            InboxFile(path.name, stat.st_size, f"{stat.st_size}:{stat.st_mtime_ns}", path.read_bytes)
        )
    return files


def is_stories_file(name: str) -> bool:
    return name.lower() in STORIES_FILES


def local_user_stories(root: Path, user_id: str) -> tuple[str, bytes] | None:
    """(file name, bytes) of the user's stories file, or None; a link is never followed, and a file
    over the limit is read only that far (the stories reader refuses it, saying so)."""
    folder = user_folder(root, user_id)
    if folder is None:
        return None
    for path in sorted(folder.iterdir()):
        if is_stories_file(path.name) and path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                return path.name, handle.read(STORIES_READ_LIMIT)
    return None


_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def safe_object_name(name: str) -> str:
    """A file name safe to use as an object key part (for uploads)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = _SLUG.sub("_", unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()).strip("._")
    return validate_file_name(base[:100] or "cv")
