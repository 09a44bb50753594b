"""Profile x Posting x Dossier -> tailored CV, cover letter and interview cheat sheet."""

from jobland_pipeline.generation.grounding import check_grounding
from jobland_pipeline.generation.package import Package, build_package
from jobland_pipeline.generation.tailor import TailoredCV, tailor_cv

__all__ = ["Package", "TailoredCV", "build_package", "check_grounding", "tailor_cv"]
