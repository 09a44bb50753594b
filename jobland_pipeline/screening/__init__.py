"""Profile x Posting -> Screening: a weighted, explainable score with explicit deal-breaker rules."""

from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.score import ENGINE_VERSION, Thresholds, screen_postings

__all__ = ["ENGINE_VERSION", "Preferences", "Screening", "Thresholds", "screen_postings"]
