"""The engine interface every stage calls; the offline engine is the embedded default."""

from jobland_pipeline.llm.engine import Engine, get_engine
from jobland_pipeline.llm.offline import OfflineEngine

__all__ = ["Engine", "OfflineEngine", "get_engine"]
