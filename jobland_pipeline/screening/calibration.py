"""The chance of an interview, calibrated on what happened to the applications a user tracked.

Why: a score of 82 says "a good fit", not "one chance in four of an interview". The only honest way to
turn a score into a chance is to learn it from outcomes: the tracker knows which applications led to
an interview (``interviewing`` or ``offer``) and which did not (``rejected``, or no answer
``NO_ANSWER_DAYS`` after ``applied``). Per screening method (another engine, model or version scores
on another scale) a monotone curve from score to chance is fitted with scikit-learn: Platt scaling
(``LogisticRegression``) while outcomes are few, isotonic regression once there are many (it follows
any monotone shape but over-fits small samples; ``bench/calibration.py`` measured where each beats
the stated prior). Until a method has ``MIN_OUTCOMES`` outcomes with at least ``MIN_PER_CLASS`` of
each kind, its chance is the stated prior of the score's band, and every row says which it got.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

import numpy as np

__all__ = [
    "ISOTONIC_FROM",
    "MIN_OUTCOMES",
    "MIN_PER_CLASS",
    "NO_ANSWER_DAYS",
    "PRIORS",
    "PRIOR_VERSION",
    "Calibration",
    "Calibrator",
    "Outcome",
    "ReliabilityBin",
    "brier_score",
    "expected_calibration_error",
    "fit_calibration",
    "fit_calibrator",
    "reliability",
    "reliability_markdown",
    "reliability_png",
    "tracked_outcomes",
]

MIN_OUTCOMES = 30
"""Outcomes a method needs (with ``MIN_PER_CLASS`` of each kind) before its curve replaces the prior."""
MIN_PER_CLASS = 5
ISOTONIC_FROM = 500
"""From this many outcomes the isotonic curve is used; below it Platt scaling (see the bench)."""
NO_ANSWER_DAYS = 21
"""An application with no answer this many days after ``applied`` counts as a 'no'."""
PRIORS: dict[str, float] = {"High": 0.20, "Medium": 0.08, "Low": 0.02}
"""The stated prior chance of an interview per probability band, before any outcome is known: about
one application in five for a strong match, fewer below. An assumption, written down so that it can
be argued with, and replaced by the fitted curve as soon as there are outcomes."""
PRIOR_VERSION = "prior-1"
POSITIVE = frozenset({"interviewing", "offer"})
NEGATIVE = frozenset({"rejected"})
Kind = Literal["prior", "platt", "isotonic"]
Floats = Sequence[float] | np.ndarray


@dataclass(frozen=True)
class Outcome:
    """What became of one application: did its screening's score lead to an interview?"""

    application_id: str
    method: str
    score: float
    interviewed: bool


@dataclass(frozen=True)
class StatusReport:
    """One status an application entered, and when (a tracker history row or a user's report)."""

    application_id: str
    status: str
    at: datetime


def tracked_outcomes(
    reports: Iterable[StatusReport],
    screened: Mapping[str, tuple[str, float]],
    *,
    now: datetime,
    no_answer_days: int = NO_ANSWER_DAYS,
) -> list[Outcome]:
    """The settled outcomes: ``interviewing``/``offer`` is a yes; ``rejected`` or silence for
    ``no_answer_days`` after ``applied`` is a no; anything else is still open and left out.

    ``screened`` maps an application id to the method and score of the screening that recommended it
    (an application without one cannot say which method it calibrates, so it is left out too).
    """
    by_app: dict[str, list[StatusReport]] = {}
    for report in reports:
        by_app.setdefault(report.application_id, []).append(report)
    out: list[Outcome] = []
    for app_id, events in sorted(by_app.items()):
        if app_id not in screened:
            continue
        statuses = {e.status for e in events}
        applied = [_utc(e.at) for e in events if e.status == "applied"]
        if statuses & POSITIVE:
            interviewed = True
        elif statuses & NEGATIVE or (applied and _utc(now) - min(applied) >= timedelta(days=no_answer_days)):
            interviewed = False
        else:
            continue
        method, score = screened[app_id]
        out.append(Outcome(app_id, method, float(score), interviewed))
    return out


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Calibration:
    """Score -> chance of an interview for one screening method, and what that chance rests on."""

    method: str
    kind: Kind
    version: str
    n_outcomes: int
    xs: tuple[float, ...] = ()  # isotonic: the curve's knots (score, chance)
    ys: tuple[float, ...] = ()
    slope: float = 0.0  # platt: chance = 1 / (1 + exp(-(slope * score + intercept)))
    intercept: float = 0.0
    priors: Mapping[str, float] = field(default_factory=lambda: dict(PRIORS))

    @property
    def basis(self) -> str:
        """In words, for the row: ``prior`` or ``isotonic on 57 outcomes``."""
        if self.kind == "prior":
            return "prior" if not self.n_outcomes else f"prior ({self.n_outcomes} outcomes, too few)"
        return f"{self.kind} on {self.n_outcomes} outcomes"

    def chances(self, scores: Sequence[float], bands: Sequence[str]) -> np.ndarray:
        """The chance for each (score, band): the band's prior, or the fitted curve at the score."""
        x = np.asarray(scores, dtype=float)
        if self.kind == "isotonic":
            return np.interp(x, self.xs, self.ys)
        if self.kind == "platt":
            return 1.0 / (1.0 + np.exp(-(self.slope * x + self.intercept)))
        return np.asarray([self.priors.get(b, self.priors["Low"]) for b in bands], dtype=float)

    def chance(self, score: float, band: str) -> float:
        return round(float(self.chances([score], [band])[0]), 4)


def _prior(method: str, n: int, priors: Mapping[str, float]) -> Calibration:
    return Calibration(method=method, kind="prior", version=PRIOR_VERSION, n_outcomes=n, priors=priors)


def _version(kind: str, method: str, outcomes: Sequence[Outcome]) -> str:
    """Same outcomes, same version: a digest of what the curve was fitted on."""
    digest = hashlib.sha256(kind.encode() + b"\0" + method.encode())
    for o in sorted(outcomes, key=lambda o: o.application_id):
        digest.update(f"\0{o.application_id}\0{o.score:g}\0{int(o.interviewed)}".encode())
    return f"{kind}-{digest.hexdigest()[:10]}"


def fit_calibration(
    method: str,
    outcomes: Sequence[Outcome],
    *,
    kind: Kind | None = None,
    min_outcomes: int = MIN_OUTCOMES,
    priors: Mapping[str, float] = PRIORS,
) -> Calibration:
    """The calibration of one method from its outcomes (the prior while they are too few).

    ``kind`` forces ``platt`` or ``isotonic``; by default Platt below ``ISOTONIC_FROM`` outcomes.
    """
    mine = [o for o in outcomes if o.method == method]
    yes = sum(o.interviewed for o in mine)
    if len(mine) < min_outcomes or min(yes, len(mine) - yes) < MIN_PER_CLASS or kind == "prior":
        return _prior(method, len(mine), priors)
    kind = kind or ("isotonic" if len(mine) >= ISOTONIC_FROM else "platt")
    x = np.asarray([o.score for o in mine], dtype=float)
    y = np.asarray([o.interviewed for o in mine], dtype=int)
    version = _version(kind, method, mine)
    if kind == "isotonic":
        from sklearn.isotonic import IsotonicRegression

        iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip").fit(x, y)
        return Calibration(
            method,
            "isotonic",
            version,
            len(mine),
            xs=tuple(float(v) for v in iso.X_thresholds_),
            ys=tuple(float(v) for v in iso.y_thresholds_),
            priors=priors,
        )
    from sklearn.linear_model import LogisticRegression

    # Platt's sigmoid on the raw score; a weak L2 penalty keeps a perfectly separated sample finite.
    lr = LogisticRegression(C=100.0).fit(x.reshape(-1, 1) / 100.0, y)
    return Calibration(
        method,
        "platt",
        version,
        len(mine),
        slope=float(lr.coef_[0][0]) / 100.0,
        intercept=float(lr.intercept_[0]),
        priors=priors,
    )


@dataclass(frozen=True)
class Calibrator:
    """Every method's calibration; a method never tracked gets the prior."""

    by_method: Mapping[str, Calibration]
    outcomes: tuple[Outcome, ...] = ()

    def of(self, method: str) -> Calibration:
        return self.by_method.get(method) or _prior(method, 0, PRIORS)


def fit_calibrator(outcomes: Iterable[Outcome], *, kind: Kind | None = None) -> Calibrator:
    """One calibration per screening method found among the outcomes."""
    settled = tuple(outcomes)
    methods = sorted({o.method for o in settled})
    return Calibrator({m: fit_calibration(m, settled, kind=kind) for m in methods}, settled)


# -- measuring a calibration --------------------------------------------------------------------------
def brier_score(predicted: Floats, observed: Sequence[bool] | np.ndarray) -> float:
    """Mean squared gap between the chance given and what happened (0 is perfect)."""
    p = np.asarray(predicted, dtype=float)
    return float(np.mean((p - np.asarray(observed, dtype=float)) ** 2)) if p.size else float("nan")


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    n: int
    predicted: float  # mean chance given in the bin
    observed: float  # share that led to an interview


def reliability(
    predicted: Floats, observed: Sequence[bool] | np.ndarray, *, bins: int = 10
) -> list[ReliabilityBin]:
    """Equal-width bins of the chance given: what was predicted against what happened in each."""
    p = np.asarray(predicted, dtype=float)
    y = np.asarray(observed, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    out: list[ReliabilityBin] = []
    for b in range(bins):
        mask = index == b
        if mask.any():
            out.append(
                ReliabilityBin(
                    float(edges[b]),
                    float(edges[b + 1]),
                    int(mask.sum()),
                    float(p[mask].mean()),
                    float(y[mask].mean()),
                )
            )
    return out


def expected_calibration_error(
    predicted: Floats, observed: Sequence[bool] | np.ndarray, *, bins: int = 10
) -> float:
    """The bins' gaps between predicted and observed, weighted by how many chances fell in each."""
    table = reliability(predicted, observed, bins=bins)
    total = sum(b.n for b in table)
    return float(sum(b.n * abs(b.predicted - b.observed) for b in table) / total) if total else float("nan")


def reliability_png(series: Mapping[str, tuple[Sequence[float], Sequence[bool]]], *, title: str) -> bytes:
    """A reliability plot (predicted vs observed, one line per series) as a small PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the figure only ever goes to bytes
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4.0, 3.2), dpi=80)
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfect")
    for name, (p, y) in series.items():
        table = reliability(p, y)
        ax.plot([b.predicted for b in table], [b.observed for b in table], marker="o", label=name)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("chance given")
    ax.set_ylabel("share interviewed")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def reliability_markdown(calibrator: Calibrator, *, high: int = 70, medium: int = 50) -> str:
    """Per method: the basis, Brier score and ECE of the prior and of the fitted curve on the
    outcomes, and the reliability plot as an inline PNG (the Dagster UI renders data URIs)."""
    if not calibrator.outcomes:
        return (
            f"No settled outcomes yet: every chance is the stated prior per band {dict(PRIORS)} "
            f"(a method needs {MIN_OUTCOMES} outcomes, at least {MIN_PER_CLASS} of each kind)."
        )
    parts: list[str] = []
    for method, cal in sorted(calibrator.by_method.items()):
        mine = [o for o in calibrator.outcomes if o.method == method]
        scores = [o.score for o in mine]
        observed = [o.interviewed for o in mine]
        bands = [_band(s, high, medium) for s in scores]
        prior = _prior(method, len(mine), cal.priors).chances(scores, bands)
        series = {"prior": (list(prior), observed)}
        line = f"prior Brier {brier_score(prior, observed):.3f}, ECE {expected_calibration_error(prior, observed):.3f}"
        if cal.kind != "prior":
            fitted = cal.chances(scores, bands)
            series[cal.kind] = (list(fitted), observed)
            line += (
                f"; {cal.kind} (in-sample) Brier {brier_score(fitted, observed):.3f}, "
                f"ECE {expected_calibration_error(fitted, observed):.3f}"
            )
        png = base64.b64encode(reliability_png(series, title=method)).decode()
        parts.append(
            f"**{method}**: {cal.basis} (`{cal.version}`), {sum(observed)} of {len(mine)} interviewed; {line}\n\n"
            f"![reliability {method}](data:image/png;base64,{png})"
        )
    return "\n\n".join(parts)


def _band(score: float, high: int, medium: int) -> str:
    return "High" if score >= high else "Medium" if score >= medium else "Low"
