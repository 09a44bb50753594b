from __future__ import annotations

import dagster as dg

from jobland_pipeline.llm import Engine, get_engine
from jobland_pipeline.screening.score import Thresholds


class EngineResource(dg.ConfigurableResource):
    """Which engine does the thinking, and the thresholds that decide what flows on."""

    name: str = "offline"
    high_score: int = 70
    medium_score: int = 50
    max_titles: int = 8
    max_packages_per_search: int = 3

    def engine(self) -> Engine:
        return get_engine(self.name)

    def thresholds(self) -> Thresholds:
        return Thresholds(high=self.high_score, medium=self.medium_score)
