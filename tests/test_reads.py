"""No asset or sensor reads a whole warehouse table: every read names the partitions the run owns.

Read from the source (``ast``): a call to ``read(...)`` / ``read_records(...)`` on the warehouse with
the table alone is a read of the whole table, which grows with every user ever served.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The local runner prints a summary over every user after `make run`: it is the operator's report,
# not a step of the daily pipeline (the daemon never runs it).
NOT_PIPELINE = {"sensors/local_run.py"}


def _whole_table_reads(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"read", "read_records"}
            and len(node.args) == 1
            and not node.keywords
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_assets_and_sensors_read_only_their_partitions() -> None:
    files = [p for d in ("assets", "sensors") for p in sorted((ROOT / d).glob("*.py"))]
    offenders = [
        f for p in files if str(p.relative_to(ROOT)) not in NOT_PIPELINE for f in _whole_table_reads(p)
    ]
    assert not offenders, "\n".join(offenders)


def test_the_rule_sees_a_whole_table_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(store, keys):\n    store.read_records(T, keys)\n    return store.read_records(T)\n"
    )
    assert _whole_table_reads(sample, tmp_path) == ["sample.py:3: store.read_records(T)"]
