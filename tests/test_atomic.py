"""Files replaced whole: the old content or the new one, never a part, and nothing temporary left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jobland_pipeline.atomic import pid_alive, replacing, temporary_beside, write_atomically


def test_replaced_whole_and_nothing_left_behind(tmp_path: Path) -> None:
    target = tmp_path / "ledger.json"
    write_atomically(target, b'{"v": 1}')
    write_atomically(target, b'{"v": 2}', durable=False)
    assert target.read_bytes() == b'{"v": 2}'
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    with pytest.raises(OSError, match="disk full"), replacing(target) as tmp:
        tmp.write_bytes(b"half of the ne")
        raise OSError("disk full")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_the_temporary_name_carries_the_writer_pid(tmp_path: Path) -> None:
    tmp = temporary_beside(tmp_path / "jobland.duckdb")
    assert tmp.parent == tmp_path and tmp.name.startswith(f".jobland.duckdb.{os.getpid()}.")
    assert tmp.name.endswith(".tmp")
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    assert pid_alive(os.getpid()) and not pid_alive(int(done.stdout))
