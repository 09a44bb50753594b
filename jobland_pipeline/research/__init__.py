"""Company -> Dossier (mission, culture, news, red flags)."""

from jobland_pipeline.research.dossier import Dossier, build_dossier

__all__ = ["Dossier", "build_dossier"]
