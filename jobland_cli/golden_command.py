"""``jobland eval --golden`` and ``jobland eval --update-baseline --reason ...``: the bundled golden set.

``--golden`` scores the golden set with the offline engine (no cache: ``make eval`` always measures the
code as it is) and exits 1 when a figure fell below ``baseline.json``. ``--update-baseline`` is the
only way the baseline moves: it needs ``--reason`` and records who, when and why, keeping the previous
figures in the file's history (commit the file with the change that moved it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jobland_pipeline.golden import (
    BASELINE_FILE,
    evaluate_golden,
    golden_table,
    load_baseline,
    regressions,
    update_baseline,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The golden-set flags of ``jobland eval``."""
    p.add_argument(
        "--golden",
        action="store_true",
        help="score the bundled golden set and fail when a figure is below its baseline",
    )
    p.add_argument(
        "--update-baseline",
        action="store_true",
        help="store the golden set's current figures as the new baseline (needs --reason)",
    )
    p.add_argument("--reason", help="why the baseline moves (recorded in baseline.json)")
    p.add_argument("--who", help="who moves it (default: GIT_AUTHOR_NAME or the login name)")
    p.add_argument(
        "--baseline", default=str(BASELINE_FILE), help="the baseline file (default: the bundled one)"
    )


def run_golden(args: argparse.Namespace) -> int:
    """Score the golden set; compare with the baseline, or move the baseline when asked to."""
    if args.update_baseline and not (args.reason or "").strip():
        print('jobland: --update-baseline needs --reason "why the figures may move"', file=sys.stderr)
        return 2
    score = evaluate_golden("offline", use_cache=False)
    path = Path(args.baseline)
    baseline = load_baseline(path)
    print(
        f"golden set ({len(score.per_person)} people, {score.seconds:.1f} s, engine fingerprint {score.fingerprint})"
    )
    for name, value in score.figures.items():
        before = (baseline or {}).get("figures", {}).get(name)
        print(f"{name:<20} {value:.4f}" + (f"  (baseline {float(before):.4f})" if before is not None else ""))
    print(golden_table(score.per_person, (baseline or {}).get("per_person", {})))
    for problem in score.problems:
        print(f"problem: {problem}", file=sys.stderr)
    if args.update_baseline:
        data = update_baseline(score, reason=args.reason, who=args.who, path=path)
        print(f"baseline updated by {data['updated_by']} at {data['updated_at']}: {data['reason']} -> {path}")
        print(json.dumps(data["figures"]))
        return 0
    failed = regressions(score, baseline)
    for line in failed:
        print(f"REGRESSION: {line}", file=sys.stderr)
    if not failed:
        print("no figure below the baseline")
    return 1 if failed else 0
