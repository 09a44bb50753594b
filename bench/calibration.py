"""Calibration of the interview chance: how many tracked outcomes it takes to beat the stated prior.

Synthetic outcomes are drawn from a known curve (the true chance of an interview at each score), the
calibration of ``jobland_pipeline.screening.calibration`` is fitted on ``n`` of them (Platt scaling,
isotonic regression, and the automatic choice the pipeline makes), and each is judged on a large held-
out sample from the same curve against the stated prior per probability band:

- Brier score: mean squared gap between the chance given and what happened (lower is better);
- ECE: expected calibration error over 10 equal-width bins of the chance given (lower is better).

Every figure is a mean over ``--repeats`` draws. "Beats the prior" means a lower mean Brier score
(the proper score); the first such ``n`` is printed per method, with the share of draws that did.

Run: ``python bench/calibration.py [--repeats 40] [--seed 7]`` (about 2 minutes of CPU at 20 repeats).

Measured here (20 draws per size, seed 7, 2 cores): the pipeline's choice (prior below 30 outcomes,
Platt below 500, isotonic from 500) beats the prior's Brier score from 30 outcomes on the cubic and
logistic curves (75 % and 85 % of draws) and from 50 on the step curve (85 %); Platt alone from 20-50,
isotonic alone from 50-150. Isotonic overtakes Platt from about 150 outcomes on the step curve and
1,000 on the logistic one, and not up to 2,000 on the cubic one (Brier 0.1736 against 0.1730): hence
Platt while outcomes are few, isotonic from 500. At 2,000 outcomes the ECE falls from the prior's
0.079-0.098 to 0.013-0.016.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jobland_pipeline.screening.calibration import (
    ISOTONIC_FROM,
    MIN_OUTCOMES,
    PRIORS,
    Calibration,
    Outcome,
    brier_score,
    expected_calibration_error,
    fit_calibration,
)

METHOD = "offline-screen-2"
SIZES = (10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000)
CURVES: dict[str, tuple[str, Callable[[np.ndarray], np.ndarray]]] = {
    "cubic": ("0.02 + 0.43 * (score/100)^3", lambda s: 0.02 + 0.43 * (s / 100.0) ** 3),
    "logistic": ("1 / (1 + exp(-(score - 80) / 7))  x 0.5", lambda s: 0.5 / (1 + np.exp(-(s - 80) / 7.0))),
    "step": ("0.05 below 75, 0.35 from 75", lambda s: np.where(s >= 75, 0.35, 0.05)),
}


def draw_scores(rng: np.random.Generator, n: int) -> np.ndarray:
    """Scores of applications: mostly High matches (packages are made for them), some Medium."""
    high = rng.uniform(70, 100, size=n)
    medium = rng.uniform(40, 70, size=n)
    return np.round(np.where(rng.random(n) < 0.75, high, medium))


def band(scores: np.ndarray) -> list[str]:
    return ["High" if s >= 70 else "Medium" if s >= 50 else "Low" for s in scores]


def judge(
    cal: Calibration, scores: np.ndarray, bands: list[str], observed: np.ndarray
) -> tuple[float, float]:
    predicted = cal.chances(scores, bands)
    return brier_score(predicted, observed), expected_calibration_error(predicted, observed)


def run_curve(
    curve: Callable[[np.ndarray], np.ndarray], repeats: int, seed: int, test_n: int
) -> dict[str, dict[int, list[tuple[float, float]]]]:
    rng = np.random.default_rng(seed)
    test_scores = draw_scores(rng, test_n)
    test_y = rng.random(test_n) < curve(test_scores)
    test_bands = band(test_scores)
    prior = judge(fit_calibration(METHOD, [], kind="prior"), test_scores, test_bands, test_y)
    results: dict[str, dict[int, list[tuple[float, float]]]] = {
        "prior": {},
        "platt": {},
        "isotonic": {},
        "auto": {},
    }
    for n in SIZES:
        for _ in range(repeats):
            scores = draw_scores(rng, n)
            y = rng.random(n) < curve(scores)
            outcomes = [
                Outcome(f"u:{i}", METHOD, float(s), bool(v))
                for i, s, v in zip(range(n), scores, y, strict=True)
            ]
            for kind in ("platt", "isotonic", "auto"):
                cal = fit_calibration(METHOD, outcomes, kind=None if kind == "auto" else kind, min_outcomes=1)  # type: ignore[arg-type]
                if kind == "auto":
                    cal = fit_calibration(
                        METHOD, outcomes
                    )  # what the pipeline does (prior below the minimum)
                results[kind].setdefault(n, []).append(judge(cal, test_scores, test_bands, test_y))
            results["prior"].setdefault(n, []).append(prior)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--test-n", type=int, default=20000)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # isotonic/logistic on tiny samples warn about what they do anyway
    import sklearn

    print("Calibration bench (bench/calibration.py)")
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}, numpy {np.__version__}, scikit-learn {sklearn.__version__}"
    )
    print(
        f"inputs: seed {args.seed}, {args.repeats} draws per size, held-out sample {args.test_n} outcomes; "
        f"scores 75% uniform 70-100 (High), 25% uniform 40-70; priors {PRIORS}; "
        f"pipeline: prior below {MIN_OUTCOMES} outcomes, Platt below {ISOTONIC_FROM}, isotonic from {ISOTONIC_FROM}"
    )
    started = time.perf_counter()
    for name, (formula, curve) in CURVES.items():
        results = run_curve(curve, args.repeats, args.seed, args.test_n)
        print(f"\ncurve '{name}': true chance = {formula}")
        print(
            f"{'n':>6} | {'prior Brier':>11} {'ECE':>6} | {'Platt Brier':>11} {'ECE':>6} | {'isotonic Brier':>14} {'ECE':>6} | {'pipeline Brier':>14} {'ECE':>6}"
        )
        for n in SIZES:
            cells = []
            for kind in ("prior", "platt", "isotonic", "auto"):
                arr = np.asarray(results[kind][n])
                cells.append((arr[:, 0].mean(), arr[:, 1].mean()))
            print(
                f"{n:>6} | {cells[0][0]:>11.4f} {cells[0][1]:>6.3f} | {cells[1][0]:>11.4f} {cells[1][1]:>6.3f} | "
                f"{cells[2][0]:>14.4f} {cells[2][1]:>6.3f} | {cells[3][0]:>14.4f} {cells[3][1]:>6.3f}"
            )
        for kind in ("platt", "isotonic", "auto"):
            first = None
            for n in SIZES:
                prior = np.asarray(results["prior"][n])[:, 0]
                mine = np.asarray(results[kind][n])[:, 0]
                if mine.mean() < prior.mean():
                    first = (n, float((mine < prior).mean()))
                    break
            label = "pipeline" if kind == "auto" else kind
            print(
                f"  {label}: beats the prior from n = {first[0]} ({first[1]:.0%} of draws)"
                if first
                else f"  {label}: never beats the prior up to n = {SIZES[-1]}"
            )
    print(f"\n{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
