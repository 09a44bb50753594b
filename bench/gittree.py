"""A commit's files unpacked beside the working tree, for benches that measure it against today's code."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def unpack(rev: str, into: Path, paths: tuple[str, ...]) -> Path:
    """The files of ``rev`` under ``paths`` (folders of the repository), unpacked from git into ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, *paths], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into
