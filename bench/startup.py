"""What a new step process pays before its first posting: imports and the one-off tables.

Under Dagster's multiprocess executor and on Celery workers every step runs in a new process, which
imports the code location and builds, on first use, the tables matching reads: the title IDF table over
every taxonomy title, the taxonomy's title index, and the place gazetteer. This prints the CPU and wall
seconds of each and the process's peak memory, median of ``--repeat`` fresh processes, for the working
tree or a ``--rev`` (unpacked from git beside it) to compare.

    python bench/startup.py [--repeat 5] [--rev REV]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gittree import unpack  # bench/, beside this script

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("import", "title_idf", "title_index", "gazetteer")


def _child(tree: Path) -> None:
    """One fresh process: each step timed in order (CPU and wall), then the peak RSS."""
    import resource

    sys.path.insert(0, str(tree))
    figures: dict[str, float] = {}

    def timed(name: str, step: object) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        step()  # type: ignore[operator]
        figures[f"{name}_cpu"] = time.process_time() - cpu
        figures[f"{name}_wall"] = time.perf_counter() - wall

    timed("import", lambda: __import__("jobland_pipeline.definitions"))
    from jobland_pipeline.lexicon import titles
    from jobland_pipeline.places import find_places
    from jobland_pipeline.taxonomy import index

    timed("title_idf", titles._idf)
    timed("title_index", index)
    timed("gazetteer", lambda: find_places("Richmond, VA", field=True))
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def _run(tree: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-W", "ignore", __file__, "--child", str(tree)],
        check=True,
        capture_output=True,
        text=True,
        cwd=tree,
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rev", default=None, help="also measure this commit, alternately")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at start; median of {args.repeat} fresh processes"
    )
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"now": ROOT}
        if args.rev:
            trees = {
                args.rev[:7]: unpack(
                    args.rev, Path(tmp), ("jobland_pipeline", "assets", "resources", "sensors")
                ),
                **trees,
            }
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for _ in range(args.repeat):  # alternately: drifts in load hit both
            for name, tree in trees.items():
                runs[name].append(_run(tree))
    for name, figures in runs.items():
        med = {k: statistics.median(f[k] for f in figures) for k in figures[0]}
        parts = ", ".join(f"{s} {med[s + '_cpu']:.2f}/{med[s + '_wall']:.2f}" for s in STEPS)
        total_cpu = sum(med[s + "_cpu"] for s in STEPS)
        total_wall = sum(med[s + "_wall"] for s in STEPS)
        print(
            f"{name:>8}: CPU/wall s: {parts}; total {total_cpu:.2f}/{total_wall:.2f} s; "
            f"peak RSS {med['peak_rss_mb']:.0f} MB"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
